/**
 * Every policy kind the product writes, in one list: the admin command line
 * (`emr-schedule-admin policy <kind>`: its kinds, help and options) and the
 * panel's IAM policies section both read it, so a new policy is its builder
 * (in the file of its audience) and one entry here.
 */
import type { ConnectTarget } from '../connectCell';
import {
  serverlessExecutionTrustPolicy,
  serverlessJobRolePolicy
} from './emrServerless';
import {
  executionRoleSecretPolicy,
  executionRoleUserSecretsPolicy
} from './executionRole';
import {
  redshiftCopyS3Policy,
  redshiftCopyTrustPolicy,
  sparkRedshiftProvisionedPolicy,
  sparkRedshiftServerlessPolicy
} from './redshift';
import {
  perUserSecretResourcePolicy,
  sharedSecretResourcePolicy
} from './secretResource';
import { serverRoutesPolicy } from './serverRole';
import type { IPolicyDocument, IPolicyInputs, PolicyField } from './types';

export type PolicyDocumentType = 'resource' | 'identity' | 'trust';

/**
 * Whose policy it is, one file of builders each: a secret (its resource
 * policy), the execution role the jobs run as, the Jupyter server's role,
 * Redshift's roles (the Spark role and `aws_iam_role`), EMR Serverless's roles.
 */
export type PolicyAudience =
  'secret' | 'execution-role' | 'server-role' | 'redshift' | 'emr-serverless';

export interface IPolicyKindInfo {
  id: string;
  audience: PolicyAudience;
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
  /** The document from the inputs; throws `PolicyInputError`. */
  build(inputs: IPolicyInputs): IPolicyDocument;
}

export const POLICY_KINDS = [
  {
    id: 'secret-shared',
    audience: 'secret',
    target: 'cluster',
    title: 'Secret resource policy: one secret for all users',
    where:
      'An administrator attaches it to the shared secret (Secrets Manager > the secret > Resource permissions) so the execution role can read it.',
    documentType: 'resource',
    required: ['roleArn'],
    optional: [],
    build: sharedSecretResourcePolicy
  },
  {
    id: 'secret-per-user',
    audience: 'secret',
    target: 'cluster',
    title: 'Secret resource policy: one secret per user (ABAC)',
    where:
      'An administrator attaches it to each user’s secret, tagged user-identity; only a caller with the same user-identity tag can read it.',
    documentType: 'resource',
    required: [],
    optional: ['roleArn', 'account', 'region'],
    note: 'Names the execution role; without it, the account (whose identity policies then decide who may read), and the region only to tell China and GovCloud accounts apart.',
    build: perUserSecretResourcePolicy
  },
  {
    id: 'execution-role-secret',
    audience: 'execution-role',
    target: 'cluster',
    title: 'Execution role: read one secret',
    where:
      'An administrator adds it to the execution role the notebook jobs run as (IAM > Roles > the role > Add permissions).',
    documentType: 'identity',
    required: ['secretId'],
    optional: ['kmsKeyArn', 'region', 'account', 'roleArn'],
    note: 'A secret given by name also needs the region, and the account or the execution role ARN (whose account is used).',
    build: executionRoleSecretPolicy
  },
  {
    id: 'execution-role-user-secrets',
    audience: 'execution-role',
    target: 'cluster',
    title: 'Execution role: read the caller’s own per-user secrets (ABAC)',
    where:
      'An administrator adds it to the execution role; each user’s session carries the user-identity tag that must match the secret’s.',
    documentType: 'identity',
    required: ['region'],
    optional: ['secretPrefix', 'kmsKeyArn', 'account', 'roleArn'],
    note: 'Needs the account or the execution role ARN (whose account is used); the prefix defaults to emr/users/.',
    build: executionRoleUserSecretsPolicy
  },
  {
    id: 'server-routes',
    audience: 'server-role',
    title:
      'Jupyter server role: the panel’s clusters, secrets and network check',
    where:
      'An administrator adds it to the role the Jupyter server runs as: in SageMaker Studio, the space’s execution role.',
    documentType: 'identity',
    required: ['region'],
    optional: ['secretPrefix', 'kmsKeyArn', 'account', 'roleArn'],
    note: 'Needs the account or the role ARN (whose account is used); the secrets the panel checks and creates are those under the prefix (default emr/).',
    build: serverRoutesPolicy
  },
  {
    id: 'serverless-execution-trust',
    audience: 'emr-serverless',
    target: 'serverless',
    title: 'EMR Serverless execution role: trust policy',
    where:
      'An administrator sets it as the trust policy of the execution role the Spark session runs as (--emr-execution-role-arn).',
    documentType: 'trust',
    required: [],
    optional: ['account'],
    note: 'With the account, EMR Serverless may assume the role only for that account’s applications.',
    build: serverlessExecutionTrustPolicy
  },
  {
    id: 'serverless-job-role',
    audience: 'emr-serverless',
    target: 'serverless',
    title: 'Notebook role: start and connect to an EMR Serverless application',
    where:
      'An administrator adds it to the role the notebook runs as: the Studio user’s execution role, and the role the scheduled job runs as.',
    documentType: 'identity',
    required: ['region', 'emrExecutionRoleArn'],
    optional: ['applicationId', 'account'],
    note: 'Without an application id, every application of the account; the account defaults to the execution role’s.',
    build: serverlessJobRolePolicy
  },
  {
    id: 'spark-redshift-provisioned',
    audience: 'redshift',
    title: 'Spark role: Redshift provisioned cluster and tempdir',
    where:
      'An administrator adds it to the EMR cluster’s EC2 instance profile role (or the runtime role the session uses).',
    documentType: 'identity',
    required: ['region', 'account', 'cluster', 'dbUser', 'database', 'tempdir'],
    optional: [],
    build: sparkRedshiftProvisionedPolicy
  },
  {
    id: 'spark-redshift-serverless',
    audience: 'redshift',
    title: 'Spark role: Redshift Serverless workgroup and tempdir',
    where:
      'An administrator adds it to the EMR cluster’s EC2 instance profile role (or the runtime role the session uses).',
    documentType: 'identity',
    required: ['workgroupArn', 'tempdir'],
    optional: [],
    build: sparkRedshiftServerlessPolicy
  },
  {
    id: 'redshift-copy-trust',
    audience: 'redshift',
    title: 'aws_iam_role: trust policy for Redshift',
    where:
      'An administrator sets it as the trust policy of the role named in aws_iam_role, then associates that role with the cluster or workgroup.',
    documentType: 'trust',
    required: [],
    optional: [],
    build: redshiftCopyTrustPolicy
  },
  {
    id: 'redshift-copy-s3',
    audience: 'redshift',
    title: 'aws_iam_role: S3 access to the tempdir for COPY and UNLOAD',
    where:
      'An administrator adds it to the role named in aws_iam_role, which Redshift assumes for COPY and UNLOAD.',
    documentType: 'identity',
    required: ['tempdir'],
    optional: ['region'],
    note: 'The region only tells China and GovCloud buckets apart.',
    build: redshiftCopyS3Policy
  }
] as const satisfies readonly IPolicyKindInfo[];

export type PolicyKind = (typeof POLICY_KINDS)[number]['id'];

export function isPolicyKind(value: string): value is PolicyKind {
  return POLICY_KINDS.some(k => k.id === value);
}

export function policyKindInfo(kind: PolicyKind): IPolicyKindInfo {
  return POLICY_KINDS.find(k => k.id === kind) as IPolicyKindInfo;
}

/** The kind of that id, if there is one (an id typed by a user, say). */
export function findPolicyKind(id: string): IPolicyKindInfo | undefined {
  return isPolicyKind(id) ? policyKindInfo(id) : undefined;
}

/** The kinds that concern a notebook connecting to `target`, in order. */
export function policyKindsFor(target: ConnectTarget): IPolicyKindInfo[] {
  return POLICY_KINDS.filter(
    (kind: IPolicyKindInfo) => !kind.target || kind.target === target
  );
}

/** The policy of `kind` built from `inputs`; throws `PolicyInputError`. */
export function renderPolicy(
  kind: PolicyKind,
  inputs: IPolicyInputs
): IPolicyDocument {
  return policyKindInfo(kind).build(inputs);
}
