/**
 * The words of every policy: the document's shape, the inputs a policy is
 * built from (with the admin command line's flag, a label and an example for
 * each), and the error that names the input at fault.
 */

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
