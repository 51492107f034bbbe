/**
 * AWS errors inside an exception's message: botocore's
 * `An error occurred (Code) when calling the Operation operation: message`,
 * and the error dict that %sm_analytics and its libraries print
 * (`... using describe-cluster API. Error: {'Message': ..., 'Code': ...}`).
 * The code says what kind of failure it is, the operation and its service
 * which IAM action it needed, for any operation.
 */

export type AwsErrorKind =
  | 'access-denied'
  | 'kms-key'
  | 'expired'
  | 'invalid-credentials'
  | 'throttled'
  | 'not-found'
  | 'invalid-request'
  | 'quota'
  | 'conflict'
  | 'service'
  | 'other';

export interface IAwsError {
  code: string;
  /** The API operation (`DescribeCluster`), when the text names it. */
  operation?: string;
  /** The IAM prefix of its service (`elasticmapreduce`), when it can be told. */
  service?: string;
  /** The IAM action it needed (`elasticmapreduce:DescribeCluster`). */
  iamAction?: string;
  /** AWS's own message, on one line. */
  message: string;
  kind: AwsErrorKind;
  /** botocore retried and gave up (`reached max retries: 4`). */
  retries?: number;
}

/** botocore's service names (and endpoint prefixes) to IAM action prefixes. */
const SERVICE_PREFIX: Record<string, string> = {
  emr: 'elasticmapreduce',
  elasticmapreduce: 'elasticmapreduce',
  'emr-serverless': 'emr-serverless',
  'emr-containers': 'emr-containers',
  secretsmanager: 'secretsmanager',
  kms: 'kms',
  sts: 'sts',
  iam: 'iam',
  s3: 's3',
  s3control: 's3',
  sagemaker: 'sagemaker',
  'api.sagemaker': 'sagemaker',
  ec2: 'ec2',
  glue: 'glue',
  athena: 'athena',
  logs: 'logs',
  monitoring: 'cloudwatch',
  cloudwatch: 'cloudwatch',
  ssm: 'ssm',
  lakeformation: 'lakeformation',
  redshift: 'redshift',
  'redshift-data': 'redshift-data',
  'redshift-serverless': 'redshift-serverless',
  dynamodb: 'dynamodb',
  lambda: 'lambda',
  sso: 'sso',
  'sso-oidc': 'sso-oauth',
  ecr: 'ecr',
  sns: 'sns',
  sqs: 'sqs',
  'elasticmapreduce-serverless': 'emr-serverless'
};

/** Operations whose service is certain (the calls the magic, its libraries and jobs make). */
const OPERATION_SERVICE: Record<string, string> = {};
function ops(service: string, names: string): void {
  for (const n of names.split(/\s+/).filter(Boolean)) {
    OPERATION_SERVICE[n] = service;
  }
}
ops(
  'elasticmapreduce',
  `DescribeCluster ListInstances ListInstanceGroups ListInstanceFleets DescribeSecurityConfiguration
   GetClusterSessionCredentials ListClusters ListBootstrapActions DescribeStep ListSteps AddJobFlowSteps
   RunJobFlow TerminateJobFlows DescribeJobFlows GetManagedScalingPolicy DescribeStudio ListStudios
   GetPersistentAppUIPresignedURL GetOnClusterAppUIPresignedURL CreatePersistentAppUI
   DescribePersistentAppUI DescribeReleaseLabel ListReleaseLabels GetBlockPublicAccessConfiguration
   DescribeNotebookExecution StartNotebookExecution ModifyInstanceGroups`
);
ops(
  'emr-serverless',
  `GetApplication StartApplication StopApplication ListApplications CreateApplication
   UpdateApplication DeleteApplication StartJobRun GetJobRun ListJobRuns CancelJobRun
   GetDashboardForJobRun`
);
ops(
  'secretsmanager',
  `GetSecretValue BatchGetSecretValue DescribeSecret ListSecrets CreateSecret PutSecretValue
   UpdateSecret DeleteSecret RotateSecret TagResource ListSecretVersionIds`
);
ops(
  'kms',
  `Decrypt Encrypt ReEncrypt GenerateDataKey GenerateDataKeyWithoutPlaintext DescribeKey
   CreateGrant ListAliases ListKeys GetKeyPolicy`
);
ops(
  'sts',
  `AssumeRole AssumeRoleWithWebIdentity AssumeRoleWithSAML GetCallerIdentity GetSessionToken
   GetFederationToken DecodeAuthorizationMessage GetAccessKeyInfo`
);
ops(
  'iam',
  `GetRole ListRoles GetUser ListUsers GetPolicy GetPolicyVersion ListAttachedRolePolicies
   ListRolePolicies GetRolePolicy SimulatePrincipalPolicy GetInstanceProfile PassRole`
);
ops(
  'sagemaker',
  `DescribeDomain DescribeUserProfile DescribeSpace DescribeApp ListApps ListTags AddTags
   DescribeTrainingJob DescribeProcessingJob CreateTrainingJob DescribeNotebookInstance
   DescribePipelineExecution`
);
ops(
  's3',
  `GetObject PutObject HeadObject HeadBucket ListObjects ListObjectsV2 ListBuckets DeleteObject
   DeleteObjects CopyObject CreateMultipartUpload UploadPart CompleteMultipartUpload
   AbortMultipartUpload GetBucketLocation GetObjectAcl PutObjectAcl`
);
ops(
  'ec2',
  `DescribeInstances DescribeSubnets DescribeSecurityGroups DescribeVpcs DescribeNetworkInterfaces
   CreateNetworkInterface`
);
ops(
  'logs',
  'PutLogEvents CreateLogStream CreateLogGroup DescribeLogStreams DescribeLogGroups GetLogEvents'
);
ops('cloudwatch', 'PutMetricData');
ops(
  'glue',
  'GetDatabase GetDatabases GetTable GetTables GetPartition GetPartitions CreateTable StartCrawler'
);
ops(
  'athena',
  'StartQueryExecution GetQueryExecution GetQueryResults GetWorkGroup'
);

/** S3 operations whose IAM action has another name. */
const S3_ACTION: Record<string, string> = {
  HeadObject: 'GetObject',
  CopyObject: 'PutObject',
  HeadBucket: 'ListBucket',
  ListObjects: 'ListBucket',
  ListObjectsV2: 'ListBucket',
  ListBuckets: 'ListAllMyBuckets',
  CreateMultipartUpload: 'PutObject',
  UploadPart: 'PutObject',
  CompleteMultipartUpload: 'PutObject',
  AbortMultipartUpload: 'AbortMultipartUpload',
  DeleteObjects: 'DeleteObject'
};

/** The service an operation's name points to, when no table knows it. */
const OPERATION_SHAPES: [RegExp, string][] = [
  [/Secret/, 'secretsmanager'],
  [/Bucket|Object|MultipartUpload|^UploadPart/, 's3'],
  [
    /^(?:AssumeRole|GetCallerIdentity|GetSessionToken|GetFederationToken)/,
    'sts'
  ],
  [
    /(?:Role|Policy|Policies|InstanceProfile|AccessKey|OpenIDConnectProvider|SAMLProvider)s?$/,
    'iam'
  ],
  [
    /^(?:Decrypt|Encrypt|ReEncrypt|GenerateDataKey|GenerateRandom|Sign|Verify)|Key(?:s|Policy|Rotation)?$|Grants?$|Alias(?:es)?$/,
    'kms'
  ],
  [
    /Cluster|JobFlow|Steps?$|InstanceGroups?|InstanceFleets?|SecurityConfiguration|Studio|NotebookExecution|ReleaseLabel|PersistentAppUI/,
    'elasticmapreduce'
  ],
  [/Application|JobRun|Dashboard/, 'emr-serverless'],
  [/Log(?:Group|Stream|Event)s?/, 'logs'],
  [/QueryExecution|QueryResults|WorkGroup/, 'athena'],
  [/Database|Table|Partition|Crawler|Catalog/, 'glue'],
  [
    /Domain|UserProfile|Space|TrainingJob|ProcessingJob|NotebookInstance|Pipeline/,
    'sagemaker'
  ]
];

/** Words around an error that name its service. */
const CONTEXT_HINTS: [RegExp, string][] = [
  [
    /EMR[ -]?Serverless|emr-serverless|emr_serverless|emr_s_client/i,
    'emr-serverless'
  ],
  [/Secrets ?Manager|secretsmanager|_get_secret/i, 'secretsmanager'],
  [/\bKMS\b|\bkms\b/, 'kms'],
  [/\bSTS\b|\bsts\b|assume role|AssumeRole/, 'sts'],
  [/\bEMR\b|\bEmr\b|\bemr\b|elasticmapreduce/, 'elasticmapreduce'],
  [/\bS3\b|s3:\/\//, 's3'],
  [/\bIAM\b/, 'iam'],
  [/SageMaker|sagemaker/, 'sagemaker']
];

/** Code families, from botocore's retry and error handling and AWS's common errors. */
export function classifyCode(code: string, message = ''): AwsErrorKind {
  // EC2-style "Client.UnauthorizedOperation", or a namespaced code.
  const c = code.replace(/^(?:Client|Server)\./, '').replace(/^.*[.#]/, '');
  if (/Expired|^TokenRefreshRequired/i.test(c)) {
    return 'expired';
  }
  if (
    /^(?:InvalidClientTokenId|UnrecognizedClient|InvalidSignature|SignatureDoesNotMatch|IncompleteSignature|MissingAuthenticationToken|InvalidAccessKeyId|AuthFailure|InvalidToken|InvalidIdentityToken|InvalidSecurity)/.test(
      c
    )
  ) {
    return 'invalid-credentials';
  }
  if (/^DecryptionFailure/.test(c)) {
    return 'access-denied';
  }
  if (
    /AccessDenied|NotAuthorized|^UnauthorizedOperation|^Unauthorized(?:Access)?(?:Exception)?$|^Forbidden(?:Exception)?$|^AuthorizationError|^AuthorizationFailure|^InsufficientPermissions|^OptInRequired|^403$/.test(
      c
    )
  ) {
    return 'access-denied';
  }
  if (
    /^(?:Disabled|KMSInvalidState|KeyUnavailable|InvalidCiphertext|IncorrectKey|InvalidKeyUsage|KMSInvalidSignature|KMSInternal)/.test(
      c
    )
  ) {
    return 'kms-key';
  }
  if (
    /Throttl|TooManyRequests|RequestLimitExceeded|^SlowDown$|ProvisionedThroughputExceeded|BandwidthLimitExceeded|^PriorRequestNotComplete|^TransactionInProgress|^429$/.test(
      c
    )
  ) {
    return 'throttled';
  }
  if (/QuotaExceeded|LimitExceeded/.test(c)) {
    return 'quota';
  }
  if (/NotFound|^NoSuch|DoesNotExist|NotExist|^NonExistent|^404$/.test(c)) {
    return 'not-found';
  }
  if (
    /^(?:InternalServer|InternalFailure|InternalError|InternalException|ServiceUnavailable|ServiceFailure|ServerException|Unavailable|ServiceException|5\d\d$)/.test(
      c
    )
  ) {
    return 'service';
  }
  if (
    /Conflict|ResourceInUse|InvalidState|IllegalState|AlreadyExists|ResourceExists/.test(
      c
    )
  ) {
    return 'conflict';
  }
  if (
    /^(?:Validation|InvalidParameter|InvalidInput|InvalidRequest|InvalidArgument|MissingParameter|MissingRequired|MalformedPolicy|BadRequest|Serialization|InvalidAction|Invalid\w*|400$)/.test(
      c
    )
  ) {
    // EMR answers an unknown cluster id with InvalidRequestException
    // ("Cluster id 'j-...' is not valid."): the code is a request error whose
    // message says the identifier names nothing.
    return IDENTIFIER_UNKNOWN.test(message) ? 'not-found' : 'invalid-request';
  }
  return 'other';
}

const IDENTIFIER_UNKNOWN =
  /\b(?:id|identifier|arn|name)\b[^.]{0,80}?\b(?:is not valid|does not exist|doesn't exist|was not found|not found|cannot be found|could not be found)/i;

function pascal(operation: string): string {
  if (!/[-_]/.test(operation) && /^[A-Z]/.test(operation)) {
    return operation;
  }
  return operation
    .split(/[-_]/)
    .filter(Boolean)
    .map(p => p[0].toUpperCase() + p.slice(1))
    .join('');
}

/** Collapses whitespace: a message re-wrapped reads the same. */
export function flat(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

const BOTOCORE =
  /An error occurred \(([^)\s]+)\) when calling the (\w+) operation(?: \(reached max retries: (\d+)\))?(?:: ?(.*))?/;
const DICT_CODE = /['"]Code['"]\s*:\s*['"]([^'"]+)['"]/;
const DICT_MESSAGE =
  /['"]Message['"]\s*:\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")/;
/** How the magic's wrappers name the call: `using describe-cluster API`, `using ListInstanceGroups API`. */
const WRAPPED_OPERATION =
  /\busing (?:the )?([A-Za-z][A-Za-z0-9]*(?:-[a-z0-9]+)*)(?: API\b|\. Error\b|\s+Error\b)/;
/** AWS's own words for a denied call: `is not authorized to perform: kms:Decrypt on resource: ...`. */
const NOT_AUTHORIZED =
  /not authorized to perform:? ([a-z0-9-]+):([A-Za-z0-9*]+)(?: on resource:? ?(\S+))?/;

/** The service of a call, from its operation and the words around it. */
function serviceOf(
  operation: string | undefined,
  context: string
): string | undefined {
  const host = /https?:\/\/([a-z0-9-]+)(?:\.[a-z0-9-]+)*\.amazonaws\.com/.exec(
    context
  );
  if (host && SERVICE_PREFIX[host[1]]) {
    return SERVICE_PREFIX[host[1]];
  }
  if (operation && OPERATION_SERVICE[operation]) {
    return OPERATION_SERVICE[operation];
  }
  for (const [re, service] of CONTEXT_HINTS) {
    if (re.test(context)) {
      return service;
    }
  }
  if (operation) {
    for (const [re, service] of OPERATION_SHAPES) {
      if (re.test(operation)) {
        return service;
      }
    }
  }
  return undefined;
}

/** The IAM action a call needs: the service's prefix and the operation (S3 names a few otherwise). */
export function iamActionFor(
  service: string | undefined,
  operation: string | undefined,
  code = ''
): string | undefined {
  if (!operation) {
    return undefined;
  }
  if (service === 'secretsmanager' && /^DecryptionFailure/.test(code)) {
    // Secrets Manager could not use the secret's KMS key for the caller.
    return 'kms:Decrypt';
  }
  const prefix = service ? (SERVICE_PREFIX[service] ?? service) : undefined;
  if (!prefix) {
    return undefined;
  }
  const action =
    prefix === 's3' ? (S3_ACTION[operation] ?? operation) : operation;
  return `${prefix}:${action}`;
}

/**
 * The AWS error in one exception's message, or null. `context` is the text
 * around it (the chain and frames), used only to tell the service.
 */
export function awsErrorIn(
  messageText: string,
  context = ''
): IAwsError | null {
  const text = flat(messageText);
  let code: string | undefined;
  let operation: string | undefined;
  let message = '';
  let retries: number | undefined;
  const b = BOTOCORE.exec(text);
  if (b) {
    code = b[1];
    operation = b[2];
    retries = b[3] ? Number(b[3]) : undefined;
    message = b[4] ?? '';
    // A body botocore could not parse leaves the HTTP status as the code; the body has the real one.
    const inner = /^\d{3}$/.test(code)
      ? /<Code>([\w.]+)<\/Code>/.exec(message)
      : null;
    if (inner) {
      code = inner[1];
      message = /<Message>([^<]*)<\/Message>/.exec(message)?.[1] ?? message;
    }
  } else {
    const c = DICT_CODE.exec(text);
    if (c) {
      code = c[1];
      const m = DICT_MESSAGE.exec(text);
      message = m ? (m[1] ?? m[2] ?? '') : '';
      const w = WRAPPED_OPERATION.exec(text);
      if (w) {
        operation = pascal(w[1]);
      } else if (/\bUnable to assume role\b/i.test(text)) {
        operation = 'AssumeRole';
      }
    }
  }
  const denied = NOT_AUTHORIZED.exec(text);
  if (!code && !denied) {
    return null;
  }
  if (denied && !operation && /^[A-Z]\w+$/.test(denied[2])) {
    operation = denied[2];
  }
  const service = denied?.[1] ?? serviceOf(operation, `${text}\n${context}`);
  // Secrets Manager refuses a secret whose KMS key the caller may not use
  // with its own AccessDenied and words ("Access to KMS is not allowed").
  const kmsRefused =
    service === 'secretsmanager' && /\bKMS\b/.test(message) && !denied;
  const iamAction = denied
    ? `${denied[1]}:${denied[2]}`
    : kmsRefused
      ? 'kms:Decrypt'
      : iamActionFor(service, operation, code);
  return {
    code: code ?? 'AccessDenied',
    ...(operation ? { operation } : {}),
    ...(service ? { service } : {}),
    ...(iamAction ? { iamAction } : {}),
    message: message.replace(/\\(['"])/g, '$1'),
    kind: code ? classifyCode(code, message) : 'access-denied',
    ...(retries !== undefined ? { retries } : {})
  };
}
