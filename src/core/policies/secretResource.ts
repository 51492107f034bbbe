/**
 * Audience: a secret. The resource policies an administrator attaches to a
 * Secrets Manager secret, saying who may read it. `"Resource": "*"` in a
 * resource policy means this secret (it is attached to exactly one).
 */
import {
  abacCondition,
  doc,
  given,
  need,
  partitionOf,
  secretReadActions
} from './shared';
import type { IPolicyDocument, IPolicyInputs } from './types';

/** Resource policy of a secret shared by all users: the execution role may read it. */
export function sharedSecretResourcePolicy(
  inputs: Pick<IPolicyInputs, 'roleArn'>
): IPolicyDocument {
  return doc({
    Sid: 'ExecutionRoleReadsSecret',
    Effect: 'Allow',
    Principal: { AWS: need(inputs, 'roleArn') },
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
  let principal = given(inputs, 'roleArn');
  if (!principal) {
    const account = need(inputs, 'account');
    principal = `arn:${partitionOf(inputs)}:iam::${account}:root`;
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
