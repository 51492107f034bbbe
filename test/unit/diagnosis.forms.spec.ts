/**
 * Failure texts in every form %sm_analytics 0.3.0, sagemaker-studio-sparkmagic-lib,
 * sparkmagic and botocore write them (read from their source), on calls and
 * codes the captured runs do not cover: the diagnosis reads the code and the
 * operation, not a list of messages it has seen.
 */
import { diagnoseRun, IRunDiagnosis } from '../../src/core/runs/diagnosis';

/** A status message as jupyter-scheduler keeps it: the cell, then IPython's traceback. */
function status(
  name: string,
  message: string,
  frames: string[] = MAGIC_FRAMES,
  cell = CONNECT
): string {
  return [
    'An error occurred while executing the following cell:',
    '------------------',
    cell,
    '------------------',
    '',
    '\u001b[0;31m---------------------------------------------------------------------------\u001b[0m',
    `\u001b[0;31m${name}\u001b[0m                                Traceback (most recent call last)`,
    ...frames.flatMap(f => [f, '    120 try:', '--> 121     x = f()', '']),
    `\u001b[0;31m${name}\u001b[0m: ${message}`,
    ''
  ].join('\n');
}

const CONNECT =
  '%load_ext sagemaker_studio_analytics_extension.magics\n%sm_analytics emr connect --cluster-id j-1ABC --auth-type None';
const SITE = '/opt/conda/lib/python3.11/site-packages';
const MAGIC_FRAMES = [
  'Cell In[2], line 2',
  `File ${SITE}/sagemaker_studio_analytics_extension/magics/sagemaker_analytics.py:987, in SagemakerAnalytics.sm_analytics(self, line)`,
  `File ${SITE}/sagemaker_studio_sparkmagic_lib/emr.py:88, in EMRCluster._get_cluster(self, emr, cluster_id)`
];
const BOTO_FRAMES = [
  'Cell In[4], line 3',
  `File ${SITE}/botocore/client.py:606, in ClientCreator._create_api_method.<locals>._api_call(self, *args, **kwargs)`,
  `File ${SITE}/botocore/client.py:1094, in BaseClient._make_api_call(self, operation_name, api_params)`
];

const run = (
  name: string,
  message: string,
  frames?: string[],
  cell?: string
): IRunDiagnosis =>
  diagnoseRun({ statusMessage: status(name, message, frames, cell) });

const botocore = (
  code: string,
  op: string,
  message: string,
  retries?: number
) =>
  `An error occurred (${code}) when calling the ${op} operation${retries ? ` (reached max retries: ${retries})` : ''}: ${message}`;

describe('an AWS error in botocore’s form', () => {
  it.each([
    ['AccessDenied', 'GetObject', 's3:GetObject'],
    ['AccessDenied', 'ListObjectsV2', 's3:ListBucket'],
    [
      'AccessDeniedException',
      'GetClusterSessionCredentials',
      'elasticmapreduce:GetClusterSessionCredentials'
    ],
    [
      'AccessDeniedException',
      'ListInstanceFleets',
      'elasticmapreduce:ListInstanceFleets'
    ],
    ['UnauthorizedOperation', 'DescribeSubnets', 'ec2:DescribeSubnets'],
    ['AccessDeniedException', 'StartJobRun', 'emr-serverless:StartJobRun'],
    ['AccessDenied', 'GetRole', 'iam:GetRole'],
    [
      'AccessDeniedException',
      'DescribeUserProfile',
      'sagemaker:DescribeUserProfile'
    ],
    ['AccessDeniedException', 'GetTable', 'glue:GetTable'],
    ['NotAuthorizedException', 'PutLogEvents', 'logs:PutLogEvents']
  ])(
    '%s on %s names %s as the job role’s missing permission',
    (code, op, action) => {
      const d = run(
        'ClientError',
        botocore(code, op, 'User is not allowed'),
        BOTO_FRAMES
      );
      expect(d.cause).toBe('aws-access-denied');
      expect(d.summary).toBe(
        `The job's role may not call ${action} (${code} on ${op}).`
      );
      expect(d.action).toBe('policies');
      expect(d.aws?.iamAction).toBe(action);
    }
  );

  it('says whose role, on what, and which policy denied it, as AWS words it', () => {
    const d = run(
      'ValueError',
      "Unable to get Emr Cluster(Id: j-3ABC) details using describe-cluster API. Error: {'Message': 'User: arn:aws:sts::111122223333:assumed-role/NightlyJobRole/SageMaker is not authorized to perform: elasticmapreduce:DescribeCluster on resource: arn:aws:elasticmapreduce:us-east-1:111122223333:cluster/j-3ABC with an explicit deny in a service control policy', 'Code': 'AccessDeniedException'}"
    );
    expect(d.cause).toBe('aws-access-denied');
    expect(d.summary).toBe(
      "The job's role (NightlyJobRole) may not call elasticmapreduce:DescribeCluster (AccessDeniedException on DescribeCluster: an explicit deny in a service control policy)."
    );
    expect(d.fix).toContain('explicit deny');
    const allow = run(
      'ClientError',
      botocore(
        'AccessDeniedException',
        'ListInstances',
        'User: arn:aws:sts::111122223333:assumed-role/NightlyJobRole/s is not authorized to perform: elasticmapreduce:ListInstances on resource: arn:aws:elasticmapreduce:us-east-1:111122223333:cluster/j-3ABC because no identity-based policy allows the elasticmapreduce:ListInstances action'
      ),
      BOTO_FRAMES
    );
    expect(allow.fix).toContain(
      'Allow elasticmapreduce:ListInstances on arn:aws:elasticmapreduce:us-east-1:111122223333:cluster/j-3ABC'
    );
  });

  it('takes the action AWS names in its message over the one it would derive', () => {
    const d = run(
      'ClientError',
      botocore(
        'AccessDeniedException',
        'GetSecretValue',
        'User: arn:aws:sts::111122223333:assumed-role/job/s is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:us-east-1:111122223333:key/1 because no identity-based policy allows the kms:Decrypt action'
      ),
      BOTO_FRAMES
    );
    expect(d.cause).toBe('secret-access-denied');
    expect(d.summary).toContain('kms:Decrypt');
  });

  it.each([
    ['ThrottlingException', 'GetSecretValue', 'aws-throttled'],
    ['Throttling', 'AssumeRole', 'aws-throttled'],
    ['TooManyRequestsException', 'GetApplication', 'aws-throttled'],
    ['RequestLimitExceeded', 'DescribeInstances', 'aws-throttled'],
    ['SlowDown', 'PutObject', 'aws-throttled'],
    ['ExpiredTokenException', 'DescribeCluster', 'credentials-expired'],
    ['ExpiredToken', 'GetCallerIdentity', 'credentials-expired'],
    ['RequestExpired', 'DescribeSubnets', 'credentials-expired'],
    ['InvalidClientTokenId', 'GetCallerIdentity', 'credentials-invalid'],
    ['UnrecognizedClientException', 'GetSecretValue', 'credentials-invalid'],
    ['SignatureDoesNotMatch', 'GetObject', 'credentials-invalid'],
    ['ResourceNotFoundException', 'GetApplication', 'aws-resource-not-found'],
    ['NoSuchKey', 'GetObject', 'aws-resource-not-found'],
    ['NoSuchEntity', 'GetRole', 'aws-resource-not-found'],
    ['ResourceNotFoundException', 'DescribeSecret', 'secret-missing'],
    ['ValidationException', 'StartApplication', 'aws-invalid-request'],
    ['InvalidParameterValue', 'RunJobFlow', 'aws-invalid-request'],
    ['InvalidParameterException', 'GetSecretValue', 'aws-invalid-request'],
    ['InternalServerError', 'DescribeCluster', 'aws-service-error'],
    ['ServiceUnavailable', 'AssumeRole', 'aws-service-error'],
    ['ServiceQuotaExceededException', 'StartApplication', 'aws-error'],
    ['ConflictException', 'StartApplication', 'aws-error']
  ])('%s on %s is %s', (code, op, cause) => {
    expect(
      run('ClientError', botocore(code, op, 'message'), BOTO_FRAMES).cause
    ).toBe(cause);
  });

  it('counts botocore’s retries', () => {
    const d = run(
      'ClientError',
      botocore('ThrottlingException', 'GetSecretValue', 'Rate exceeded', 4)
    );
    expect(d.summary).toBe(
      "AWS throttled the job's GetSecretValue calls (ThrottlingException, still after 4 retries)."
    );
  });

  it('reads a message botocore wrapped over several lines', () => {
    const d = run(
      'ClientError',
      'An error occurred (AccessDeniedException) when calling the\nDescribeSecurityConfiguration operation: User is not\nauthorized'
    );
    expect(d.aws?.iamAction).toBe(
      'elasticmapreduce:DescribeSecurityConfiguration'
    );
  });
});

describe('an AWS error in the error dict the magic and its libraries print', () => {
  it('names the operation from the wrapper’s words (kebab-case or not)', () => {
    const sec = run(
      'ValueError',
      "Unable to get security configuration details(kerberos-conf) of EMR CLuster(Id: j-1ABC)details using describe-security-configuration. Error: {'Message': 'no', 'Code': 'AccessDeniedException'}"
    );
    expect(sec.cause).toBe('aws-access-denied');
    expect(sec.aws?.iamAction).toBe(
      'elasticmapreduce:DescribeSecurityConfiguration'
    );
    const groups = run(
      'InvalidConfigError',
      "Unable to list instance groups for EMR cluster(Id: j-1ABC) using ListInstanceGroups API. Error: {'Code': 'ThrottlingException', 'Message': 'Rate exceeded'}"
    );
    expect(groups.cause).toBe('aws-throttled');
    expect(groups.aws?.operation).toBe('ListInstanceGroups');
  });

  it('reads AssumeRole from "Unable to assume role", and names the role', () => {
    const d = run(
      'ValueError',
      "Unable to assume role(arn: arn:aws:iam::210987654321:role/cross). Ensure permissions are setup correctly Error: {'Type': 'Sender', 'Code': 'AccessDenied', 'Message': 'User: arn:aws:sts::111122223333:assumed-role/job/s is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::210987654321:role/cross'}"
    );
    expect(d.cause).toBe('aws-access-denied');
    expect(d.summary).toBe(
      "The job's role may not assume arn:aws:iam::210987654321:role/cross (AccessDenied on AssumeRole; it needs sts:AssumeRole)."
    );
  });

  it('says a cluster is unknown only for a not-found answer, never for a refusal', () => {
    const unknown = run(
      'ValueError',
      "Unable to get Emr Cluster(Id: j-2XYZ) details using describe-cluster API. Error: {'Message': \"Cluster id 'j-2XYZ' is not valid.\", 'Code': 'InvalidRequestException'}"
    );
    expect(unknown.cause).toBe('cluster-unknown');
    expect(unknown.summary).toContain('j-2XYZ');
    for (const code of [
      'AccessDeniedException',
      'ThrottlingException',
      'ExpiredTokenException'
    ]) {
      const d = run(
        'ValueError',
        `Unable to get Emr Cluster(Id: j-2XYZ) details using describe-cluster API. Error: {'Message': 'x', 'Code': '${code}'}`
      );
      expect(d.cause).not.toBe('cluster-unknown');
      expect(d.action).not.toBe('cluster-picker');
    }
    const invalid = run(
      'ValueError',
      "Unable to get Emr Cluster(Id: j-2XYZ) details using describe-cluster API. Error: {'Message': 'The request was not signed for this region.', 'Code': 'InvalidRequestException'}"
    );
    expect(invalid.cause).toBe('aws-invalid-request');
  });

  it('reads the code from the exception the magic raised from (EMR Serverless)', () => {
    const text = [
      'Traceback (most recent call last):',
      `  File "${SITE}/sagemaker_studio_analytics_extension/resource/emr_serverless/emr_s_client.py", line 61, in get_application`,
      'botocore.exceptions.ClientError: An error occurred (AccessDeniedException) when calling the GetApplication operation: not allowed',
      '',
      'The above exception was the direct cause of the following exception:',
      '',
      'Traceback (most recent call last):',
      `  File "${SITE}/sagemaker_studio_analytics_extension/resource/emr_serverless/emr_s_client.py", line 78, in get_application`,
      'sagemaker_studio_analytics_extension.utils.exceptions.EMRServerlessFault: Exception when getting EMR Serverless Application details'
    ].join('\n');
    const d = diagnoseRun({ statusMessage: text });
    expect(d.cause).toBe('aws-access-denied');
    expect(d.aws?.iamAction).toBe('emr-serverless:GetApplication');
    expect(d.detail).toBe(
      'sagemaker_studio_analytics_extension.utils.exceptions.EMRServerlessFault: Exception when getting EMR Serverless Application details'
    );
  });

  it('ignores the AWS errors the magic logs and recovers from', () => {
    const text = status(
      'LivyConnectionError',
      'Cannot connect to livy service at ip-10-0-0-1.ec2.internal:8998 or ec2-1-2-3-4.compute-1.amazonaws.com:8998'
    ).replace(
      '------------------\n\n',
      '------------------\n----- stderr -----\nERROR:root:Cannot detect dual stack: An error occurred (AccessDeniedException) when calling the DescribeDomain operation: no\n------------------\n\n'
    );
    expect(diagnoseRun({ statusMessage: text }).cause).toBe('livy-unreachable');
  });
});

describe('the argument checks of %sm_analytics', () => {
  const USAGE =
    '\n        Services currently supported: emr, emr-serverless\n        Please look at usage of %sm_analytics by executing `%sm_analytics <SERVICE_NAME> help`\n        Example:\n        %sm_analytics emr help\n        %sm_analytics emr-serverless help\n        ';
  it.each([
    [
      'MissingParametersError',
      `Missing required argument '--cluster-id'. ${USAGE}`,
      ['--cluster-id']
    ],
    [
      'MissingParametersError',
      `Missing required argument '--application-id'. ${USAGE}`,
      ['--application-id']
    ],
    [
      'InvalidParameterError',
      `Invalid language, supported languages are '{'python', 'scala'}'. ${USAGE}`,
      ['--language']
    ],
    [
      'InvalidParameterError',
      `Operation 'conect' not found. ${USAGE}`,
      ['conect']
    ],
    ['InvalidParameterError', `Service 'emrr' not found. ${USAGE}`, ['emrr']],
    [
      'InvalidParameterError',
      '--no-override-krb5-conf key is only for Kerberos cluster',
      ['--no-override-krb5-conf']
    ],
    [
      'InvalidParameterError',
      '/home/x/ca.pem path does not point to a file. Please provide a valid path. Refer to %sm_analytics? for all supported options. ',
      ['--verify-certificate']
    ],
    [
      'UsageError',
      'argument --cluster-id: expected one argument',
      ['--cluster-id']
    ]
  ])('%s "%s" names %j', (name, message, flags) => {
    const d = run(name, message);
    expect(d.cause).toBe('magic-arguments');
    expect(d.flags).toEqual(flags);
    expect(d.action).toBe('checks');
    expect(d.detail).toBe(`${name}: ${message.split('\n')[0].trim()}`);
    expect(d.summary).not.toMatch(/help|Example/);
  });

  it('finds which role ARN flag is not a role', () => {
    const cell =
      '%sm_analytics emr connect --cluster-id j-1 --auth-type None --assumable-role-arn arn:aws:s3:::bucket --emr-execution-role-arn arn:aws:iam::111122223333:role/ok';
    const d = run(
      'InvalidArnException',
      'Incorrect Role ARN. Provided service s3 does not match expected service `iam`',
      MAGIC_FRAMES,
      cell
    );
    expect(d.cause).toBe('magic-arguments');
    expect(d.flags).toEqual(['--assumable-role-arn']);
    expect(d.fix).toContain('--assumable-role-arn');
  });
});

describe('kinit’s reasons (MIT krb5), from the magic’s InvalidParameterError', () => {
  const kinit = (stderr: string) =>
    run(
      'InvalidParameterError',
      `Failed to generate kerberos token using provided credentials. \n${stderr}\n \nPassword for analyst-2@EC2.INTERNAL: `
    );
  it('a wrong password in the secret', () => {
    const d = kinit(
      'kinit: Password incorrect while getting initial credentials'
    );
    expect(d.cause).toBe('kerberos-password-wrong');
    expect(d.summary).toContain(
      "the secret's password is not the Kerberos password of analyst-2"
    );
    expect(d.action).toBe('secret-check');
  });
  it('a principal the KDC does not know', () => {
    const d = kinit(
      "kinit: Client 'analyst-9@EC2.INTERNAL' not found in Kerberos database while getting initial credentials"
    );
    expect(d.cause).toBe('kerberos-principal-unknown');
    expect(d.summary).toContain(
      'does not know the principal analyst-9@EC2.INTERNAL'
    );
    expect(d.action).toBe('secret-check');
  });
  it('a KDC that does not answer', () => {
    const d = kinit(
      "kinit: Cannot contact any KDC for realm 'EC2.INTERNAL' while getting initial credentials"
    );
    expect(d.summary).toContain(
      "Cannot contact any KDC for realm 'EC2.INTERNAL'"
    );
    expect(d.action).toBe('network');
  });
});

describe('whose code failed', () => {
  it('the notebook’s own cell, even when it called a library', () => {
    expect(
      run('ZeroDivisionError', 'division by zero', ['Cell In[3], line 1']).cause
    ).toBe('user-code');
    expect(
      run('ValueError', 'could not convert string to float', [
        'Cell In[5], line 2',
        `File ${SITE}/pandas/core/generic.py:6534, in NDFrame.astype(self, dtype)`
      ]).cause
    ).toBe('user-code');
    for (const frame of [
      'File <ipython-input-3-1a2b3c>:1',
      'File /tmp/ipykernel_4711/1234567.py:2, in <module>()'
    ]) {
      expect(run('NameError', "name 'x' is not defined", [frame]).cause).toBe(
        'user-code'
      );
    }
  });

  it('never the notebook when the magic, sparkmagic or botocore raised it', () => {
    const d = run(
      'RuntimeError',
      'Something new went wrong in the library',
      MAGIC_FRAMES
    );
    expect(d.cause).toBe('unknown');
    expect(d.summary).toBe(
      'RuntimeError: Something new went wrong in the library'
    );
    const spark = run(
      'SessionManagementException',
      'Already have a session named x',
      [
        'Cell In[1], line 1',
        `File ${SITE}/sparkmagic/livyclientlib/sessionmanager.py:50, in SessionManager.add_session(self, name, session)`
      ]
    );
    expect(spark.cause).toBe('unknown');
    expect(
      run('NoRegionError', 'You must specify a region.', BOTO_FRAMES).cause
    ).toBe('unknown');
  });

  it('Livy and EMR Serverless sessions that sparkmagic could not start', () => {
    const refused = run(
      'ConnectionError',
      "HTTPConnectionPool(host='ip-10-0-1-17.ec2.internal', port=8998): Max retries exceeded with url: /sessions (Caused by NewConnectionError('<urllib3.connection.HTTPConnection object at 0x7f>: Failed to establish a new connection: [Errno 111] Connection refused'))",
      [
        'Cell In[2], line 2',
        `File ${SITE}/sparkmagic/livyclientlib/reliablehttpclient.py:104, in ReliableHttpClient._send_request_helper(self, relative_url, accepted_status_codes, function, data, retry_count)`
      ]
    );
    expect(refused.cause).toBe('livy-unreachable');
    expect(refused.summary).toContain('ip-10-0-1-17.ec2.internal:8998');
    const forbidden = run(
      'SparkSessionStartFailedError',
      'Invalid status code \'403\' from https://00f1.livy.emr-serverless-services.us-east-1.amazonaws.com/sessions with error payload: {"Message":"User: arn:aws:sts::111122223333:assumed-role/NightlyJobRole/s is not authorized to perform: emr-serverless:StartSession on resource: arn:aws:emr-serverless:us-east-1:111122223333:/applications/00f1"}'
    );
    expect(forbidden.cause).toBe('aws-access-denied');
    expect(forbidden.summary).toContain('emr-serverless:StartSession');
    const trust = run(
      'SparkSessionStartFailedError',
      'Invalid status code \'400\' from https://00f1.livy.emr-serverless-services.us-east-1.amazonaws.com/sessions with error payload: {"Message":"Execution role arn:aws:iam::111122223333:role/x doesn\'t exist or isn\'t setup with the required trust relationship."}'
    );
    expect(trust.flags).toEqual(['--emr-execution-role-arn']);
    expect(trust.action).toBe('policies');
  });

  it('a Spark session that Livy could not start (sparkmagic’s words)', () => {
    const dead = run(
      'LivyUnexpectedStatusException',
      "Session 0 unexpectedly reached final status 'dead'. See logs:\nstdout: \n\nstderr: \njava.lang.IllegalArgumentException: Required executor memory (4096 MB) is above the max threshold\n\tat org.apache.spark.deploy.yarn.Client.verifyClusterResources(Client.scala:382)",
      [
        'Cell In[2], line 2',
        `File ${SITE}/sparkmagic/livyclientlib/livysession.py:326, in LivySession.wait_for_idle(self, seconds_to_wait)`
      ]
    );
    expect(dead.cause).toBe('spark-session-failed');
    expect(dead.summary).toContain(
      "session 0 unexpectedly reached final status 'dead'"
    );
    expect(dead.detail).toBe(
      "LivyUnexpectedStatusException: Session 0 unexpectedly reached final status 'dead'. See logs:"
    );
    expect(
      run(
        'LivyClientTimeoutException',
        'Session 3 did not start up in 60 seconds.'
      ).cause
    ).toBe('spark-session-failed');
  });

  it('botocore’s client-side errors', () => {
    expect(
      run('NoCredentialsError', 'Unable to locate credentials', BOTO_FRAMES)
        .cause
    ).toBe('credentials-missing');
    expect(
      run(
        'ConnectTimeoutError',
        'Connect timeout on endpoint URL: "https://elasticmapreduce.us-east-1.amazonaws.com/"',
        BOTO_FRAMES
      ).summary
    ).toBe(
      'The job could not reach AWS at https://elasticmapreduce.us-east-1.amazonaws.com/.'
    );
    const unreachable = run(
      'ConnectionError',
      'Could not connect to EMR cluster. Please check your network settings or contact support for assistance.'
    );
    expect(unreachable.cause).toBe('aws-unreachable');
    expect(unreachable.action).toBe('network');
  });
});

describe('forms read from the services’ and Livy’s own words', () => {
  it('a secret whose KMS key the role may not use needs kms:Decrypt, not GetSecretValue', () => {
    // Secrets Manager's answer when the caller lacks kms:Decrypt on the secret's key.
    const d = run(
      'ValueError',
      `Unable to retrieve secret. Error: ${botocore('AccessDeniedException', 'GetSecretValue', 'Access to KMS is not allowed')}`
    );
    expect(d.cause).toBe('secret-access-denied');
    expect(d.aws?.iamAction).toBe('kms:Decrypt');
    expect(d.fix).toContain('kms:Decrypt');
    expect(d.action).toBe('policies');
  });

  it('a Spark error in a cell Livy ran is the notebook’s own code, not unknown', () => {
    // sparkmagic prints the remote traceback after "An error was encountered:";
    // Livy runs the cell's code as <stdin>.
    const text = [
      'An error was encountered:',
      'Table or view not found: sales; line 1 pos 14;',
      'Traceback (most recent call last):',
      '  File "<stdin>", line 1, in <module>',
      '  File "/mnt/yarn/usercache/livy/appcache/application_1/container_1/pyspark.zip/pyspark/sql/session.py", line 723, in sql',
      'pyspark.sql.utils.AnalysisException: Table or view not found: sales; line 1 pos 14;'
    ].join('\n');
    const d = diagnoseRun({ statusMessage: text });
    expect(d.cause).toBe('user-code');
    expect(d.detail).toBe(
      'pyspark.sql.utils.AnalysisException: Table or view not found: sales; line 1 pos 14;'
    );
  });
});

describe('the magic’s EMRServerlessError, which keeps only AWS’s message', () => {
  // emr_s_client.py re-raises ResourceNotFoundException, ValidationException
  // and ServiceQuotaExceededException as EMRServerlessError(message) from the
  // ClientError; a cut status message may hold only that last exception.
  const SERVERLESS_FRAMES = [
    'Cell In[2], line 2',
    `File ${SITE}/sagemaker_studio_analytics_extension/resource/emr_serverless/emr_s_client.py:51, in EMRServerlessApplication.start_application(self)`
  ];

  it('an application that does not exist is a not-found, on EMR Serverless', () => {
    const d = run(
      'EMRServerlessError',
      'Application 00fabc123def4567 does not exist',
      SERVERLESS_FRAMES
    );
    expect(d.cause).toBe('aws-resource-not-found');
    expect(d.aws).toMatchObject({
      code: 'ResourceNotFoundException',
      service: 'emr-serverless'
    });
    expect(d.aws?.operation).toBeUndefined();
  });

  it('any other message of it is an invalid request, never a not-found', () => {
    const d = run(
      'EMRServerlessError',
      'Application 00fabc123def4567 is in CREATING state and cannot be started',
      SERVERLESS_FRAMES
    );
    expect(d.cause).not.toBe('aws-resource-not-found');
    expect(d.aws?.code).toBe('ValidationException');
  });
});
