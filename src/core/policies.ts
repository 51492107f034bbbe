/**
 * Every IAM policy the product writes, in one place, for the panel and the
 * admin command line.
 *
 * Each builder validates its inputs (a bad value throws a `PolicyInputError`
 * naming the field) and returns a policy document whose resources are as
 * narrow as the inputs allow: an exact ARN wherever one is known, never a `*`.
 * The one exception is a secret's resource policy, whose `"Resource": "*"`
 * means "this secret" (a resource policy is attached to exactly one secret).
 *
 * Facts behind the documents (from the AWS pages the product was built from,
 * with their defects fixed):
 * - per-user secrets use ABAC: the secret's tag `user-identity` must equal the
 *   caller's tag of the same name, `aws:PrincipalTag/user-identity` (the page
 *   calls it "PrincipleTag", which is no condition key);
 * - the Spark side of the Redshift connector needs
 *   `redshift:GetClusterCredentials` and `redshift:DescribeClusters`
 *   (provisioned) or `redshift-serverless:GetWorkgroup` and
 *   `redshift-serverless:GetCredentials` (serverless), plus S3 on the tempdir;
 *   the page's `s3:GetBucket` is an S3 on Outposts action and is not needed;
 * - the role named in `aws_iam_role` trusts `redshift.amazonaws.com`.
 */
import type { ConnectTarget } from './connectCell';

export const POLICY_VERSION = '2012-10-17';

/** The tag that ties a per-user secret to its user. */
export const USER_IDENTITY_TAG = 'user-identity';
/** The ABAC condition key on the secret and the value it must equal. */
export const RESOURCE_TAG_KEY = `aws:ResourceTag/${USER_IDENTITY_TAG}`;
export const PRINCIPAL_TAG_KEY = `aws:PrincipalTag/${USER_IDENTITY_TAG}`;
export const PRINCIPAL_TAG_VALUE = '${' + PRINCIPAL_TAG_KEY + '}';
/** Where per-user secrets live unless another prefix is given. */
export const DEFAULT_USER_SECRET_PREFIX = 'emr/users/';

export type PolicyConditionOperator = 'StringEquals' | 'StringLike';
export type PolicyCondition = Partial<
  Record<PolicyConditionOperator, Record<string, string | string[]>>
>;
export type PolicyPrincipal = { AWS: string } | { Service: string };

export interface IPolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Principal?: PolicyPrincipal;
  Action: string[];
  /** Absent only in a trust policy. */
  Resource?: string | string[];
  Condition?: PolicyCondition;
}

export interface IPolicyDocument {
  Version: typeof POLICY_VERSION;
  Statement: IPolicyStatement[];
}

/** Every value a policy can be built from; each kind uses a subset. */
export interface IPolicyInputs {
  /** The role the notebook job runs as (the execution role). */
  roleArn?: string;
  /** A secret's name or ARN. */
  secretId?: string;
  /** The name prefix of per-user secrets, e.g. `emr/users/`. */
  secretPrefix?: string;
  /** The customer managed KMS key that encrypts the secrets. */
  kmsKeyArn?: string;
  region?: string;
  account?: string;
  /** Redshift provisioned cluster identifier. */
  cluster?: string;
  /** Redshift database user the Spark job connects as. */
  dbUser?: string;
  database?: string;
  /** Redshift Serverless workgroup ARN. */
  workgroupArn?: string;
  /** The connector's staging folder, `s3a://bucket/prefix/`. */
  tempdir?: string;
  /** EMR Serverless application id; without it, every application. */
  applicationId?: string;
  /** The role an EMR Serverless Spark session runs as (`--emr-execution-role-arn`). */
  emrExecutionRoleArn?: string;
}

export type PolicyField = keyof IPolicyInputs;

export interface IPolicyFieldInfo {
  /** The admin command line's option. */
  flag: string;
  label: string;
  example: string;
}

export const POLICY_FIELDS: Readonly<Record<PolicyField, IPolicyFieldInfo>> = {
  roleArn: {
    flag: '--role-arn',
    label: 'Execution role ARN',
    example:
      'arn:aws:iam::123456789012:role/service-role/AmazonSageMaker-ExecutionRole'
  },
  secretId: {
    flag: '--secret',
    label: 'Secret name or ARN',
    example: 'emr/shared-analytics'
  },
  secretPrefix: {
    flag: '--secret-prefix',
    label: 'Per-user secret name prefix',
    example: DEFAULT_USER_SECRET_PREFIX
  },
  kmsKeyArn: {
    flag: '--kms-key-arn',
    label: 'KMS key ARN',
    example:
      'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab'
  },
  region: { flag: '--region', label: 'Region', example: 'us-east-1' },
  account: { flag: '--account', label: 'Account id', example: '123456789012' },
  cluster: {
    flag: '--cluster',
    label: 'Redshift cluster identifier',
    example: 'examplecluster'
  },
  dbUser: { flag: '--db-user', label: 'Database user', example: 'spark_etl' },
  database: { flag: '--database', label: 'Database', example: 'dev' },
  workgroupArn: {
    flag: '--workgroup-arn',
    label: 'Redshift Serverless workgroup ARN',
    example:
      'arn:aws:redshift-serverless:us-east-1:123456789012:workgroup/a1b2c3d4-5678-90ab-cdef-0123456789ab'
  },
  tempdir: {
    flag: '--tempdir',
    label: 'Connector tempdir',
    example: 's3a://my-bucket/redshift-temp/'
  },
  applicationId: {
    flag: '--application-id',
    label: 'EMR Serverless application id',
    example: '00fabcdefghij12k'
  },
  emrExecutionRoleArn: {
    flag: '--emr-execution-role-arn',
    label: 'EMR Serverless execution role ARN',
    example:
      'arn:aws:iam::123456789012:role/service-role/EMRServerlessExecutionRole'
  }
};

/** A policy input that cannot be used; `field` names it, `problem` says why. */
export class PolicyInputError extends Error {
  constructor(
    readonly field: PolicyField,
    readonly problem: string
  ) {
    super(`${POLICY_FIELDS[field].label} (${field}): ${problem}`);
    this.name = 'PolicyInputError';
  }
}

// --- ARNs ------------------------------------------------------------------

const PARTITION = 'aws(?:-[a-z]+)*';
const REGION = '[a-z]{2}(?:-[a-z]+)+-\\d';
const ACCOUNT = '\\d{12}';
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const SECRET_NAME_CHARS = '[A-Za-z0-9/_+=.@-]';

const REGION_RE = new RegExp(`^${REGION}$`);
const ACCOUNT_RE = new RegExp(`^${ACCOUNT}$`);
const ARN_RE = /^arn:([a-z-]+):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|aws|):(.+)$/;
const ROLE_ARN_RE = new RegExp(
  `^arn:${PARTITION}:iam::${ACCOUNT}:role/[A-Za-z0-9+=,.@_/-]{1,512}$`
);
const SECRET_ARN_RE = new RegExp(
  `^arn:${PARTITION}:secretsmanager:${REGION}:${ACCOUNT}:secret:${SECRET_NAME_CHARS}{1,512}$`
);
const SECRET_NAME_RE = new RegExp(`^${SECRET_NAME_CHARS}{1,512}$`);
const KMS_KEY_ARN_RE = new RegExp(
  `^arn:${PARTITION}:kms:${REGION}:${ACCOUNT}:key/(?:${UUID}|mrk-[0-9a-f]{32})$`
);
const WORKGROUP_ARN_RE = new RegExp(
  `^arn:${PARTITION}:redshift-serverless:${REGION}:${ACCOUNT}:workgroup/${UUID}$`
);
const CLUSTER_RE = /^[a-z](?!.*--)[a-z0-9-]{0,62}$/;
const DB_USER_RE = /^[A-Za-z0-9_.@+-]{1,128}$/;
const DATABASE_RE = /^[A-Za-z_][A-Za-z0-9_$]{0,126}$/;
const BUCKET_RE = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const S3_KEY_PREFIX_RE = /^[A-Za-z0-9_.=/-]*$/;
const APPLICATION_ID_RE = /^[0-9a-z]{1,64}$/;

export interface IArn {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

/** The parts of an ARN, or null when the text is not one. */
export function parseArn(arn: string): IArn | null {
  const match = ARN_RE.exec(arn);
  if (!match) {
    return null;
  }
  const [, partition, service, region, account, resource] = match;
  return { partition, service, region, account, resource };
}

/** The account id in an ARN (a role, a secret, a key, a caller identity). */
export function accountFromArn(arn: string): string | null {
  return parseArn(arn)?.account || null;
}

/** The region in an ARN; null for global ARNs such as IAM roles. */
export function regionFromArn(arn: string): string | null {
  return parseArn(arn)?.region || null;
}

/**
 * The IAM role ARN behind a caller identity (`sts:GetCallerIdentity`'s Arn):
 * an assumed-role session ARN becomes its role's ARN, which is what policies
 * name. Null for users and other identities.
 */
export function roleArnFromIdentity(callerArn: string): string | null {
  const arn = parseArn(callerArn);
  if (!arn || (arn.service !== 'sts' && arn.service !== 'iam')) {
    return null;
  }
  if (arn.resource.startsWith('assumed-role/')) {
    const roleName = arn.resource.split('/')[1];
    return roleName
      ? `arn:${arn.partition}:iam::${arn.account}:role/${roleName}`
      : null;
  }
  return arn.resource.startsWith('role/') ? callerArn : null;
}

/** The partition of a region: `aws-cn` for China, `aws-us-gov` for GovCloud. */
export function partitionForRegion(region: string): string {
  if (region.startsWith('cn-')) {
    return 'aws-cn';
  }
  if (region.startsWith('us-gov-')) {
    return 'aws-us-gov';
  }
  return 'aws';
}

function dnsSuffix(partition: string): string {
  return partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
}

// --- Input validation --------------------------------------------------------

function present(value: string | undefined): value is string {
  return value !== undefined && value !== '';
}

function required(inputs: IPolicyInputs, field: PolicyField): string {
  const value = inputs[field];
  if (!present(value)) {
    const info = POLICY_FIELDS[field];
    throw new PolicyInputError(
      field,
      `Required: the ${info.label.toLowerCase()}, for example ${info.example}.`
    );
  }
  return value;
}

function checked(
  field: PolicyField,
  value: string,
  pattern: RegExp,
  problem: string
): string {
  if (!pattern.test(value)) {
    throw new PolicyInputError(field, problem);
  }
  return value;
}

function roleArn(value: string): string {
  return checked(
    'roleArn',
    value,
    ROLE_ARN_RE,
    'Not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME).'
  );
}

function region(value: string): string {
  return checked(
    'region',
    value,
    REGION_RE,
    'Not an AWS region (for example us-east-1).'
  );
}

function account(value: string): string {
  return checked(
    'account',
    value,
    ACCOUNT_RE,
    'An AWS account id is 12 digits.'
  );
}

function kmsKeyArn(value: string): string {
  return checked(
    'kmsKeyArn',
    value,
    KMS_KEY_ARN_RE,
    'Not a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/KEY-ID); an alias does not work in a policy.'
  );
}

interface ISecretsLocation {
  partition: string;
  region: string;
  account: string;
}

/**
 * Where secrets known by name live: the region given, and the account given
 * or else the execution role's.
 */
function secretsLocation(
  inputs: Pick<IPolicyInputs, 'region' | 'account'>,
  role: string | undefined,
  why: string
): ISecretsLocation {
  if (!present(inputs.region)) {
    throw new PolicyInputError(
      'region',
      `Required ${why}, for example us-east-1.`
    );
  }
  const where = region(inputs.region);
  let id = role ? accountFromArn(role) : null;
  if (present(inputs.account)) {
    id = account(inputs.account);
  }
  if (!id) {
    throw new PolicyInputError(
      'account',
      `Required ${why} (or the execution role ARN, whose account is used): the 12-digit account id.`
    );
  }
  const partition = role
    ? (parseArn(role) as IArn).partition
    : partitionForRegion(where);
  return { partition, region: where, account: id };
}

export interface ITempdir {
  bucket: string;
  /** The key prefix, empty or ending in `/`. */
  prefix: string;
}

/** Bucket and key prefix of a connector tempdir (`s3a://` or `s3://`). */
export function parseTempdir(url: string): ITempdir {
  const problem = (text: string) => new PolicyInputError('tempdir', text);
  if (url.includes('@')) {
    throw problem(
      'Keys in the tempdir URL end up in logs and job definitions; give the folder only.'
    );
  }
  const match = /^([a-z0-9]+):\/\/([^/]*)(\/.*)?$/.exec(url);
  if (!match) {
    throw problem('Not an S3 URL; give s3a://BUCKET/PREFIX/.');
  }
  const [, scheme, bucket, path = ''] = match;
  if (scheme !== 's3a' && scheme !== 's3') {
    throw problem(`Use s3a:// (or s3://), not ${scheme}://.`);
  }
  if (!BUCKET_RE.test(bucket)) {
    throw problem(
      'The bucket name is 3 to 63 lowercase letters, digits, dots and dashes.'
    );
  }
  const key = path.replace(/^\/+/, '');
  if (!S3_KEY_PREFIX_RE.test(key) || key.includes('//')) {
    throw problem(
      'The folder uses letters, digits and _ . = / - (no wildcards, spaces or empty segments).'
    );
  }
  return { bucket, prefix: key && !key.endsWith('/') ? `${key}/` : key };
}

// --- Building blocks -------------------------------------------------------

// Builders return fresh objects, so a caller may change one document freely.

function secretReadActions(): string[] {
  return ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'];
}

/** The secret's user-identity tag equals the caller's. */
function abacCondition(): PolicyCondition {
  return { StringEquals: { [RESOURCE_TAG_KEY]: PRINCIPAL_TAG_VALUE } };
}

function doc(...statements: IPolicyStatement[]): IPolicyDocument {
  return { Version: POLICY_VERSION, Statement: statements };
}

function kmsDecrypt(keyArn: string, secretRegion: string): IPolicyStatement {
  const key = parseArn(keyArn) as IArn;
  if (key.region !== secretRegion) {
    throw new PolicyInputError(
      'kmsKeyArn',
      `The key is in ${key.region} but the secrets are in ${secretRegion}; Secrets Manager uses a key of its own region.`
    );
  }
  return {
    Sid: 'DecryptSecretsWithTheirKey',
    Effect: 'Allow',
    Action: ['kms:Decrypt'],
    Resource: keyArn,
    Condition: {
      StringEquals: {
        'kms:ViaService': `secretsmanager.${key.region}.${dnsSuffix(key.partition)}`
      }
    }
  };
}

function tempdirStatements(
  tempdir: string,
  partition: string,
  actions: string[],
  withLifecycle: boolean
): IPolicyStatement[] {
  const { bucket, prefix } = parseTempdir(tempdir);
  const bucketArn = `arn:${partition}:s3:::${bucket}`;
  const list: IPolicyStatement = {
    Sid: 'ListTempdir',
    Effect: 'Allow',
    Action: ['s3:ListBucket'],
    Resource: bucketArn
  };
  if (prefix) {
    list.Condition = { StringLike: { 's3:prefix': [prefix, `${prefix}*`] } };
  }
  const statements = [list];
  if (withLifecycle) {
    // The connector reads the bucket's lifecycle rules to warn when staging
    // files would never expire.
    statements.push({
      Sid: 'ReadTempdirBucketLifecycle',
      Effect: 'Allow',
      Action: ['s3:GetBucketLifecycleConfiguration'],
      Resource: bucketArn
    });
  }
  statements.push({
    Sid: 'UseTempdirObjects',
    Effect: 'Allow',
    Action: actions,
    Resource: `${bucketArn}/${prefix}*`
  });
  return statements;
}

// --- The policies ------------------------------------------------------------

/**
 * Resource policy of a secret shared by all users: the execution role may
 * read it. `"Resource": "*"` in a resource policy means this secret.
 */
export function sharedSecretResourcePolicy(
  inputs: Pick<IPolicyInputs, 'roleArn'>
): IPolicyDocument {
  return doc({
    Sid: 'ExecutionRoleReadsSecret',
    Effect: 'Allow',
    Principal: { AWS: roleArn(required(inputs, 'roleArn')) },
    Action: secretReadActions(),
    Resource: '*'
  });
}

/**
 * Resource policy of one user's secret (ABAC): readable only by a caller
 * whose `user-identity` tag equals the secret's. The principal is the
 * execution role, or the whole account (its identity policies decide) when no
 * role is given.
 */
export function perUserSecretResourcePolicy(
  inputs: Pick<IPolicyInputs, 'roleArn' | 'account' | 'region'>
): IPolicyDocument {
  let principal: string;
  if (present(inputs.roleArn)) {
    principal = roleArn(inputs.roleArn);
  } else {
    const id = account(required(inputs, 'account'));
    const partition = present(inputs.region)
      ? partitionForRegion(region(inputs.region))
      : 'aws';
    principal = `arn:${partition}:iam::${id}:root`;
  }
  return doc({
    Sid: 'OwnerReadsSecret',
    Effect: 'Allow',
    Principal: { AWS: principal },
    Action: secretReadActions(),
    Resource: '*',
    Condition: abacCondition()
  });
}

/**
 * Identity policy of the execution role for one secret: read it (by its ARN,
 * or by name as `NAME-??????`, the six characters AWS appends) and decrypt it
 * with its customer managed key when there is one.
 */
export function executionRoleSecretPolicy(
  inputs: Pick<
    IPolicyInputs,
    'secretId' | 'kmsKeyArn' | 'region' | 'account' | 'roleArn'
  >
): IPolicyDocument {
  const secretId = required(inputs, 'secretId');
  const key = present(inputs.kmsKeyArn)
    ? kmsKeyArn(inputs.kmsKeyArn)
    : undefined;
  const role = present(inputs.roleArn) ? roleArn(inputs.roleArn) : undefined;
  let secretArn: string;
  let secretRegion: string;
  if (secretId.startsWith('arn:')) {
    checked(
      'secretId',
      secretId,
      SECRET_ARN_RE,
      'Not a Secrets Manager secret ARN (arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME).'
    );
    secretArn = secretId;
    secretRegion = (parseArn(secretId) as IArn).region;
  } else {
    checked(
      'secretId',
      secretId,
      SECRET_NAME_RE,
      'A secret name uses letters, digits and / _ + = . @ - (at most 512).'
    );
    const where = secretsLocation(
      inputs,
      role,
      'when the secret is given by name'
    );
    secretRegion = where.region;
    secretArn = `arn:${where.partition}:secretsmanager:${where.region}:${where.account}:secret:${secretId}-??????`;
  }
  const statements: IPolicyStatement[] = [
    {
      Sid: 'ReadEmrCredentialsSecret',
      Effect: 'Allow',
      Action: secretReadActions(),
      Resource: secretArn
    }
  ];
  if (key) {
    statements.push(kmsDecrypt(key, secretRegion));
  }
  return doc(...statements);
}

/**
 * What a policy on the secrets under a name prefix needs: the prefix (a
 * trailing `*` dropped), the KMS key if any, and where the secrets live.
 */
function prefixedSecrets(
  inputs: Pick<
    IPolicyInputs,
    'secretPrefix' | 'kmsKeyArn' | 'region' | 'account' | 'roleArn'
  >,
  defaultPrefix: string,
  purpose: string
) {
  const prefix = (inputs.secretPrefix || defaultPrefix).replace(/\*$/, '');
  checked(
    'secretPrefix',
    prefix,
    SECRET_NAME_RE,
    'A secret name prefix uses letters, digits and / _ + = . @ - (a trailing * is allowed).'
  );
  const key = present(inputs.kmsKeyArn)
    ? kmsKeyArn(inputs.kmsKeyArn)
    : undefined;
  const role = present(inputs.roleArn) ? roleArn(inputs.roleArn) : undefined;
  return { prefix, key, where: secretsLocation(inputs, role, purpose) };
}

/**
 * Identity policy of the execution role for per-user secrets: any secret
 * under the prefix whose `user-identity` tag equals the caller's.
 */
export function executionRoleUserSecretsPolicy(
  inputs: Pick<
    IPolicyInputs,
    'secretPrefix' | 'kmsKeyArn' | 'region' | 'account' | 'roleArn'
  >
): IPolicyDocument {
  const { prefix, key, where } = prefixedSecrets(
    inputs,
    DEFAULT_USER_SECRET_PREFIX,
    'for the secrets’ ARNs'
  );
  const statements: IPolicyStatement[] = [
    {
      Sid: 'ReadOwnEmrCredentialsSecrets',
      Effect: 'Allow',
      Action: secretReadActions(),
      Resource: `arn:${where.partition}:secretsmanager:${where.region}:${where.account}:secret:${prefix}*`,
      Condition: abacCondition()
    }
  ];
  if (key) {
    statements.push(kmsDecrypt(key, where.region));
  }
  return doc(...statements);
}

/** The name prefix the panel's routes may check and create secrets under. */
export const DEFAULT_SERVER_SECRET_PREFIX = 'emr/';

/**
 * Identity policy of the role the Jupyter server runs as (in SageMaker Studio,
 * the space's execution role) for the panel's routes, from what they call:
 * list and describe EMR clusters (the security configuration and instance
 * groups tell the auth type), list and describe EMR Serverless applications,
 * list the roles EMR Serverless may assume, list secrets, check the ones under the prefix
 * (the check reads the value on the server to see its keys; the value never
 * leaves it) and create them from the user's credentials, tagged. STS
 * GetCallerIdentity, for the panel's identity, needs no permission.
 */
export function serverRoutesPolicy(
  inputs: Pick<
    IPolicyInputs,
    'secretPrefix' | 'kmsKeyArn' | 'region' | 'account' | 'roleArn'
  >
): IPolicyDocument {
  const { prefix, key, where } = prefixedSecrets(
    inputs,
    DEFAULT_SERVER_SECRET_PREFIX,
    'for the clusters’ and secrets’ ARNs'
  );
  const statements: IPolicyStatement[] = [
    {
      Sid: 'ListEmrClusters',
      Effect: 'Allow',
      Action: [
        'elasticmapreduce:ListClusters',
        'elasticmapreduce:DescribeSecurityConfiguration'
      ],
      Resource: '*'
    },
    {
      Sid: 'DescribeEmrClusters',
      Effect: 'Allow',
      Action: [
        'elasticmapreduce:DescribeCluster',
        'elasticmapreduce:ListInstanceGroups'
      ],
      Resource: `arn:${where.partition}:elasticmapreduce:${where.region}:${where.account}:cluster/*`
    },
    {
      Sid: 'ListSecrets',
      Effect: 'Allow',
      Action: ['secretsmanager:ListSecrets'],
      Resource: '*'
    },
    {
      Sid: 'ListEmrServerlessApplicationsAndExecutionRoles',
      Effect: 'Allow',
      Action: ['emr-serverless:ListApplications', 'iam:ListRoles'],
      Resource: '*'
    },
    {
      Sid: 'DescribeEmrServerlessApplications',
      Effect: 'Allow',
      Action: ['emr-serverless:GetApplication'],
      Resource: `arn:${where.partition}:emr-serverless:${where.region}:${where.account}:/applications/*`
    },
    {
      Sid: 'CheckAndCreateEmrSecrets',
      Effect: 'Allow',
      Action: [
        ...secretReadActions(),
        'secretsmanager:CreateSecret',
        'secretsmanager:TagResource'
      ],
      Resource: `arn:${where.partition}:secretsmanager:${where.region}:${where.account}:secret:${prefix}*`
    }
  ];
  if (key) {
    statements.push(kmsDecrypt(key, where.region));
  }
  return doc(...statements);
}

/**
 * Identity policy of the Spark role (the cluster's EC2 instance profile role
 * or its runtime role) for a provisioned Redshift cluster: temporary
 * credentials for one database user and database, the cluster's description,
 * and the tempdir.
 */
export function sparkRedshiftProvisionedPolicy(
  inputs: Pick<
    IPolicyInputs,
    'region' | 'account' | 'cluster' | 'dbUser' | 'database' | 'tempdir'
  >
): IPolicyDocument {
  const where = region(required(inputs, 'region'));
  const id = account(required(inputs, 'account'));
  const cluster = checked(
    'cluster',
    required(inputs, 'cluster'),
    CLUSTER_RE,
    'A cluster identifier is lowercase letters, digits and single dashes, starting with a letter (at most 63).'
  );
  const dbUser = checked(
    'dbUser',
    required(inputs, 'dbUser'),
    DB_USER_RE,
    'A database user name uses letters, digits and _ . @ + - (no wildcards).'
  );
  const database = checked(
    'database',
    required(inputs, 'database'),
    DATABASE_RE,
    'A database name starts with a letter or _ and holds letters, digits, _ and $.'
  );
  if (cluster.endsWith('-')) {
    throw new PolicyInputError(
      'cluster',
      'A cluster identifier cannot end with a dash.'
    );
  }
  const tempdir = required(inputs, 'tempdir');
  const partition = partitionForRegion(where);
  const redshift = `arn:${partition}:redshift:${where}:${id}`;
  return doc(
    {
      Sid: 'GetRedshiftCredentials',
      Effect: 'Allow',
      Action: ['redshift:GetClusterCredentials'],
      Resource: [
        `${redshift}:dbuser:${cluster}/${dbUser}`,
        `${redshift}:dbname:${cluster}/${database}`
      ]
    },
    {
      Sid: 'DescribeRedshiftCluster',
      Effect: 'Allow',
      Action: ['redshift:DescribeClusters'],
      Resource: `${redshift}:cluster:${cluster}`
    },
    ...tempdirStatements(
      tempdir,
      partition,
      ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      true
    )
  );
}

/**
 * Identity policy of the Spark role for a Redshift Serverless workgroup:
 * the workgroup's description and temporary credentials, and the tempdir.
 */
export function sparkRedshiftServerlessPolicy(
  inputs: Pick<IPolicyInputs, 'workgroupArn' | 'tempdir'>
): IPolicyDocument {
  const workgroupArn = checked(
    'workgroupArn',
    required(inputs, 'workgroupArn'),
    WORKGROUP_ARN_RE,
    'Not a workgroup ARN (arn:aws:redshift-serverless:REGION:ACCOUNT:workgroup/WORKGROUP-ID, the id being a UUID).'
  );
  const tempdir = required(inputs, 'tempdir');
  return doc(
    {
      Sid: 'GetRedshiftServerlessCredentials',
      Effect: 'Allow',
      Action: [
        'redshift-serverless:GetWorkgroup',
        'redshift-serverless:GetCredentials'
      ],
      Resource: workgroupArn
    },
    ...tempdirStatements(
      tempdir,
      (parseArn(workgroupArn) as IArn).partition,
      ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      true
    )
  );
}

/** Trust policy of the role named in `aws_iam_role`: Redshift may assume it. */
export function redshiftCopyTrustPolicy(): IPolicyDocument {
  return doc({
    Sid: 'RedshiftAssumesRole',
    Effect: 'Allow',
    Principal: { Service: 'redshift.amazonaws.com' },
    Action: ['sts:AssumeRole']
  });
}

/**
 * Permissions of the role named in `aws_iam_role`: COPY reads and UNLOAD
 * writes the connector's staging files in the tempdir, nothing else.
 */
export function redshiftCopyS3Policy(
  inputs: Pick<IPolicyInputs, 'tempdir' | 'region'>
): IPolicyDocument {
  const tempdir = required(inputs, 'tempdir');
  const partition = present(inputs.region)
    ? partitionForRegion(region(inputs.region))
    : 'aws';
  return doc(
    ...tempdirStatements(
      tempdir,
      partition,
      ['s3:GetObject', 's3:PutObject'],
      false
    )
  );
}

/** The service that assumes an EMR Serverless execution role. */
export const EMR_SERVERLESS_PRINCIPAL = 'emr-serverless.amazonaws.com';

/**
 * Trust policy of the EMR Serverless execution role: EMR Serverless may
 * assume it. With the account, only on behalf of that account's applications.
 */
export function serverlessExecutionTrustPolicy(
  inputs: Pick<IPolicyInputs, 'account'>
): IPolicyDocument {
  const statement: IPolicyStatement = {
    Sid: 'EmrServerlessAssumesRole',
    Effect: 'Allow',
    Principal: { Service: EMR_SERVERLESS_PRINCIPAL },
    Action: ['sts:AssumeRole']
  };
  if (present(inputs.account)) {
    statement.Condition = {
      StringEquals: { 'aws:SourceAccount': account(inputs.account) }
    };
  }
  return doc(statement);
}

/**
 * Identity policy of the role the notebook runs as (the Studio user's or the
 * job's) for `%sm_analytics emr-serverless connect`, from what the magic
 * does: StartApplication, then GetApplication until it is STARTED
 * (resource/emr_serverless/emr_s_client.py); then it opens a Livy session on
 * the application's Livy endpoint, signed for emr-serverless
 * (external_dependencies/emr_serverless_auth.py), which IAM authorises as
 * emr-serverless:AccessLivyEndpoints, passing the execution role
 * (iam:PassRole to EMR Serverless); the session's Spark UI and driver log
 * links need emr-serverless:GetDashboardForJobRun.
 */
export function serverlessJobRolePolicy(
  inputs: Pick<
    IPolicyInputs,
    'region' | 'account' | 'applicationId' | 'emrExecutionRoleArn'
  >
): IPolicyDocument {
  const executionRole = checked(
    'emrExecutionRoleArn',
    required(inputs, 'emrExecutionRoleArn'),
    ROLE_ARN_RE,
    'Not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME).'
  );
  const where = secretsLocation(
    inputs,
    executionRole,
    'for the application’s ARN'
  );
  const app = present(inputs.applicationId)
    ? checked(
        'applicationId',
        inputs.applicationId,
        APPLICATION_ID_RE,
        'An application id holds 1 to 64 lowercase letters and digits.'
      )
    : '*';
  const application = `arn:${where.partition}:emr-serverless:${where.region}:${where.account}:/applications/${app}`;
  return doc(
    {
      Sid: 'StartAndConnectToTheApplication',
      Effect: 'Allow',
      Action: [
        'emr-serverless:StartApplication',
        'emr-serverless:GetApplication',
        'emr-serverless:AccessLivyEndpoints'
      ],
      Resource: application
    },
    {
      Sid: 'SparkUiAndDriverLogs',
      Effect: 'Allow',
      Action: ['emr-serverless:GetDashboardForJobRun'],
      // "*" in IAM matches across "/": every application covers its job runs.
      Resource: app === '*' ? application : `${application}/jobruns/*`
    },
    {
      Sid: 'PassTheExecutionRole',
      Effect: 'Allow',
      Action: ['iam:PassRole'],
      Resource: executionRole,
      Condition: {
        StringLike: { 'iam:PassedToService': EMR_SERVERLESS_PRINCIPAL }
      }
    }
  );
}

// --- The catalogue ---------------------------------------------------------

export type PolicyDocumentType = 'resource' | 'identity' | 'trust';

export interface IPolicyKindInfo {
  id: string;
  title: string;
  /** Who attaches it where, in one line. */
  where: string;
  documentType: PolicyDocumentType;
  required: readonly PolicyField[];
  optional: readonly PolicyField[];
  /** Inputs that stand in for one another, when there are such. */
  note?: string;
  /** Only for notebooks that connect to this target; both when absent. */
  target?: ConnectTarget;
}

export const POLICY_KINDS = [
  {
    id: 'secret-shared',
    target: 'cluster',
    title: 'Secret resource policy: one secret for all users',
    where:
      'An administrator attaches it to the shared secret (Secrets Manager > the secret > Resource permissions) so the execution role can read it.',
    documentType: 'resource',
    required: ['roleArn'],
    optional: []
  },
  {
    id: 'secret-per-user',
    target: 'cluster',
    title: 'Secret resource policy: one secret per user (ABAC)',
    where:
      'An administrator attaches it to each user’s secret, tagged user-identity; only a caller with the same user-identity tag can read it.',
    documentType: 'resource',
    required: [],
    optional: ['roleArn', 'account', 'region'],
    note: 'Names the execution role; without it, the account (whose identity policies then decide who may read), and the region only to tell China and GovCloud accounts apart.'
  },
  {
    id: 'execution-role-secret',
    target: 'cluster',
    title: 'Execution role: read one secret',
    where:
      'An administrator adds it to the execution role the notebook jobs run as (IAM > Roles > the role > Add permissions).',
    documentType: 'identity',
    required: ['secretId'],
    optional: ['kmsKeyArn', 'region', 'account', 'roleArn'],
    note: 'A secret given by name also needs the region, and the account or the execution role ARN (whose account is used).'
  },
  {
    id: 'execution-role-user-secrets',
    target: 'cluster',
    title: 'Execution role: read the caller’s own per-user secrets (ABAC)',
    where:
      'An administrator adds it to the execution role; each user’s session carries the user-identity tag that must match the secret’s.',
    documentType: 'identity',
    required: ['region'],
    optional: ['secretPrefix', 'kmsKeyArn', 'account', 'roleArn'],
    note: 'Needs the account or the execution role ARN (whose account is used); the prefix defaults to emr/users/.'
  },
  {
    id: 'server-routes',
    title: 'Jupyter server role: the panel’s clusters and secrets',
    where:
      'An administrator adds it to the role the Jupyter server runs as: in SageMaker Studio, the space’s execution role.',
    documentType: 'identity',
    required: ['region'],
    optional: ['secretPrefix', 'kmsKeyArn', 'account', 'roleArn'],
    note: 'Needs the account or the role ARN (whose account is used); the secrets the panel checks and creates are those under the prefix (default emr/).'
  },
  {
    id: 'serverless-execution-trust',
    target: 'serverless',
    title: 'EMR Serverless execution role: trust policy',
    where:
      'An administrator sets it as the trust policy of the execution role the Spark session runs as (--emr-execution-role-arn).',
    documentType: 'trust',
    required: [],
    optional: ['account'],
    note: 'With the account, EMR Serverless may assume the role only for that account’s applications.'
  },
  {
    id: 'serverless-job-role',
    target: 'serverless',
    title: 'Notebook role: start and connect to an EMR Serverless application',
    where:
      'An administrator adds it to the role the notebook runs as: the Studio user’s execution role, and the role the scheduled job runs as.',
    documentType: 'identity',
    required: ['region', 'emrExecutionRoleArn'],
    optional: ['applicationId', 'account'],
    note: 'Without an application id, every application of the account; the account defaults to the execution role’s.'
  },
  {
    id: 'spark-redshift-provisioned',
    title: 'Spark role: Redshift provisioned cluster and tempdir',
    where:
      'An administrator adds it to the EMR cluster’s EC2 instance profile role (or the runtime role the session uses).',
    documentType: 'identity',
    required: ['region', 'account', 'cluster', 'dbUser', 'database', 'tempdir'],
    optional: []
  },
  {
    id: 'spark-redshift-serverless',
    title: 'Spark role: Redshift Serverless workgroup and tempdir',
    where:
      'An administrator adds it to the EMR cluster’s EC2 instance profile role (or the runtime role the session uses).',
    documentType: 'identity',
    required: ['workgroupArn', 'tempdir'],
    optional: []
  },
  {
    id: 'redshift-copy-trust',
    title: 'aws_iam_role: trust policy for Redshift',
    where:
      'An administrator sets it as the trust policy of the role named in aws_iam_role, then associates that role with the cluster or workgroup.',
    documentType: 'trust',
    required: [],
    optional: []
  },
  {
    id: 'redshift-copy-s3',
    title: 'aws_iam_role: S3 access to the tempdir for COPY and UNLOAD',
    where:
      'An administrator adds it to the role named in aws_iam_role, which Redshift assumes for COPY and UNLOAD.',
    documentType: 'identity',
    required: ['tempdir'],
    optional: ['region'],
    note: 'The region only tells China and GovCloud buckets apart.'
  }
] as const satisfies readonly IPolicyKindInfo[];

export type PolicyKind = (typeof POLICY_KINDS)[number]['id'];

export function isPolicyKind(value: string): value is PolicyKind {
  return POLICY_KINDS.some(k => k.id === value);
}

export function policyKindInfo(kind: PolicyKind): IPolicyKindInfo {
  return POLICY_KINDS.find(k => k.id === kind) as IPolicyKindInfo;
}

/** The policy of `kind` built from `inputs`; throws `PolicyInputError`. */
export function renderPolicy(
  kind: PolicyKind,
  inputs: IPolicyInputs
): IPolicyDocument {
  switch (kind) {
    case 'secret-shared':
      return sharedSecretResourcePolicy(inputs);
    case 'secret-per-user':
      return perUserSecretResourcePolicy(inputs);
    case 'execution-role-secret':
      return executionRoleSecretPolicy(inputs);
    case 'execution-role-user-secrets':
      return executionRoleUserSecretsPolicy(inputs);
    case 'server-routes':
      return serverRoutesPolicy(inputs);
    case 'serverless-execution-trust':
      return serverlessExecutionTrustPolicy(inputs);
    case 'serverless-job-role':
      return serverlessJobRolePolicy(inputs);
    case 'spark-redshift-provisioned':
      return sparkRedshiftProvisionedPolicy(inputs);
    case 'spark-redshift-serverless':
      return sparkRedshiftServerlessPolicy(inputs);
    case 'redshift-copy-trust':
      return redshiftCopyTrustPolicy();
    case 'redshift-copy-s3':
      return redshiftCopyS3Policy(inputs);
  }
}
