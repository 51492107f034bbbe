/**
 * Every IAM policy the product writes, for the panel and the admin command
 * line: one file of builders per audience (`secretResource`, `executionRole`,
 * `serverRole`, `redshift`, `emrServerless`), what they share (`shared`: ARNs,
 * input checks, locations, secret prefixes), and the one list of kinds that
 * both read (`registry`).
 *
 * Each builder validates its inputs (a bad value throws a `PolicyInputError`
 * naming the field) and returns a policy document whose resources are as
 * narrow as the inputs allow: an exact ARN wherever one is known, never a `*`.
 * The one exception is a secret's resource policy, whose `"Resource": "*"`
 * means "this secret" (a resource policy is attached to exactly one secret).
 *
 * Per-user secrets use ABAC: the secret's tag `user-identity` must equal the
 * caller's tag of the same name, `aws:PrincipalTag/user-identity` (the AWS
 * page calls it "PrincipleTag", which is no condition key).
 */
export * from './types';
export type { IArn } from './shared';
export {
  accountFromArn,
  parseArn,
  partitionForRegion,
  regionFromArn,
  roleArnFromIdentity
} from './shared';
export * from './secretResource';
export * from './executionRole';
export * from './serverRole';
export * from './redshift';
export * from './emrServerless';
export * from './registry';
