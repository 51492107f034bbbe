/**
 * Every IAM policy the product writes, for the panel and the admin command
 * line. This is the index of `policies/`: one file of builders per audience
 * (`secretResource`, `executionRole`, `serverRole`, `redshift`,
 * `emrServerless`), what they share (`shared`: ARNs, input checks, locations,
 * secret prefixes), the words of them all (`types`), and the one list of
 * kinds that the panel and the command line read (`registry`).
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
export * from './policies/types';
export type { IArn } from './policies/shared';
export {
  accountFromArn,
  parseArn,
  partitionForRegion,
  regionFromArn,
  roleArnFromIdentity
} from './policies/shared';
export * from './policies/secretResource';
export * from './policies/executionRole';
export * from './policies/serverRole';
export * from './policies/redshift';
export * from './policies/emrServerless';
export * from './policies/registry';
