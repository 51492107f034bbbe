/**
 * Audience: the execution role, the role the scheduled notebook jobs run as.
 * The identity policies that let it read the secret it connects to EMR with:
 * one named secret, or the caller's own secrets under a prefix (ABAC).
 */
import {
  abacCondition,
  arnAt,
  arnParts,
  given,
  location,
  PrefixedSecretsInputs,
  prefixedSecrets,
  required,
  secretArn,
  secretName,
  secretReadActions,
  secretsDocument,
  secretsUnder
} from './shared';
import {
  DEFAULT_USER_SECRET_PREFIX,
  IPolicyDocument,
  IPolicyInputs
} from './types';

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
  const key = given(inputs, 'kmsKeyArn');
  const role = given(inputs, 'roleArn');
  let arn: string;
  let secretRegion: string;
  if (secretId.startsWith('arn:')) {
    arn = secretArn(secretId);
    secretRegion = arnParts(arn).region;
  } else {
    secretName(secretId);
    const where = location(inputs, role, 'when the secret is given by name');
    secretRegion = where.region;
    arn = arnAt(where, 'secretsmanager', `secret:${secretId}-??????`);
  }
  return secretsDocument(
    [
      {
        Sid: 'ReadEmrCredentialsSecret',
        Effect: 'Allow',
        Action: secretReadActions(),
        Resource: arn
      }
    ],
    key,
    secretRegion
  );
}

/**
 * Identity policy of the execution role for per-user secrets: any secret
 * under the prefix whose `user-identity` tag equals the caller's.
 */
export function executionRoleUserSecretsPolicy(
  inputs: PrefixedSecretsInputs
): IPolicyDocument {
  const { prefix, key, where } = prefixedSecrets(
    inputs,
    DEFAULT_USER_SECRET_PREFIX,
    'for the secrets’ ARNs'
  );
  return secretsDocument(
    [
      {
        Sid: 'ReadOwnEmrCredentialsSecrets',
        Effect: 'Allow',
        Action: secretReadActions(),
        Resource: secretsUnder(where, prefix),
        Condition: abacCondition()
      }
    ],
    key,
    where.region
  );
}
