/**
 * Secrets Manager calls of the admin command line, mirroring the server's
 * `check_secret` and `create_secret` (jupyterlab_emr_schedule/aws.py). No
 * function returns or reports a secret's value.
 */
import { randomUUID } from 'crypto';
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  DescribeSecretCommandOutput,
  GetSecretValueCommand,
  PutResourcePolicyCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
  TagResourceCommand,
  UpdateSecretCommand
} from '@aws-sdk/client-secrets-manager';

import type { IPolicyDocument } from '../core/policies';
import type { ISecretCheck } from '../core/secretCheck';
import { USER_IDENTITY_TAG } from '../core/policies';

/** An AWS call that failed, in one line a person can act on. */
export class AwsCallError extends Error {
  constructor(
    readonly action: string,
    readonly code: string,
    message: string
  ) {
    super(message);
    this.name = 'AwsCallError';
  }
}

const ACCESS_DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'UnrecognizedClientException'
]);
const THROTTLED = new Set([
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'RequestLimitExceeded'
]);
const EXPIRED = new Set([
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'RequestExpired',
  'InvalidSignatureException'
]);
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH'
]);

interface ISdkError {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: number };
}

/** AWS's own message when it is one short line of text (never an HTML page). */
function plain(text: unknown): string {
  const line = String(text ?? '')
    .split(/\s+/)
    .join(' ')
    .trim();
  return line.length > 300 || line.includes('<') ? '' : line;
}

/**
 * Translates a failure of `action` (e.g. `secretsmanager:CreateSecret`).
 * `quoteAws` false leaves out AWS's own message, for calls that carry a
 * secret value.
 */
export function translate(
  error: unknown,
  action: string,
  quoteAws = true
): AwsCallError {
  const err = (error ?? {}) as ISdkError;
  const name = typeof err.name === 'string' ? err.name : 'Error';
  const code = typeof err.code === 'string' ? err.code : '';
  const text = quoteAws ? plain(err.message) : '';
  const status = err.$metadata?.httpStatusCode;
  const fail = (c: string, message: string) =>
    new AwsCallError(action, c, message);
  if (name === 'CredentialsProviderError') {
    return fail(
      'NoCredentials',
      'No AWS credentials: configure a profile (aws configure, aws sso login) or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.'
    );
  }
  if (/region is missing|region not accepted/i.test(String(err.message))) {
    return fail(
      'NoRegion',
      'No AWS region: pass --region or set AWS_REGION (or AWS_DEFAULT_REGION).'
    );
  }
  if (UNREACHABLE.has(code) || name === 'TimeoutError') {
    return fail(
      'EndpointUnreachable',
      `AWS could not be reached for ${action} (${code || name}); check the network and AWS_ENDPOINT_URL.`
    );
  }
  if (ACCESS_DENIED.has(name)) {
    return fail(
      name,
      `Not allowed to call ${action}: add it to the policy of the identity running this command.`
    );
  }
  if (THROTTLED.has(name)) {
    return fail(name, `AWS is throttling ${action}; try again in a moment.`);
  }
  if (EXPIRED.has(name)) {
    return fail(
      name,
      'The AWS credentials have expired or are invalid; refresh them and try again.'
    );
  }
  if (status === undefined) {
    // Failed before AWS answered: configuration, network, a malformed reply.
    return fail(name, `${action} failed: ${text || name}.`);
  }
  if (status >= 500) {
    return fail(
      name,
      `AWS could not complete ${action} (${text || name}); try again in a moment.`
    );
  }
  return fail(
    name,
    `AWS refused ${action} (${name})${text ? `: ${text}` : '.'}`
  );
}

async function call<T>(
  action: string,
  run: () => Promise<T>,
  quoteAws = true
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw translate(error, action, quoteAws);
  }
}

export interface IClientOptions {
  region?: string;
  env: NodeJS.ProcessEnv;
}

/**
 * A Secrets Manager client on the standard credential chain. The SDK reads
 * `AWS_ENDPOINT_URL` itself; the region comes from `--region`, `AWS_REGION`,
 * `AWS_DEFAULT_REGION` or the shared config file, in that order.
 */
export function secretsManagerClient(
  options: IClientOptions
): SecretsManagerClient {
  const region =
    options.region ||
    options.env.AWS_REGION ||
    options.env.AWS_DEFAULT_REGION ||
    undefined;
  return new SecretsManagerClient({
    region,
    maxAttempts: 4,
    requestHandler: { connectionTimeout: 5000, requestTimeout: 15000 }
  });
}

function tagsOf(meta: DescribeSecretCommandOutput): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const tag of meta.Tags ?? []) {
    if (tag.Key) {
      tags[tag.Key] = tag.Value ?? '';
    }
  }
  return tags;
}

function isNotFound(error: unknown): boolean {
  return (error as ISdkError)?.name === 'ResourceNotFoundException';
}

function hasOwn(object: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key);
}

/** Facts about a secret, never its value: exists, readable, JSON, keys, tags. */
export async function checkSecret(
  client: SecretsManagerClient,
  secretId: string
): Promise<ISecretCheck> {
  const result: ISecretCheck = {
    secretId,
    arn: null,
    exists: false,
    readable: false,
    json: false,
    hasUsername: false,
    hasPassword: false,
    tags: {},
    problem: null
  };
  let meta: DescribeSecretCommandOutput;
  try {
    meta = await client.send(new DescribeSecretCommand({ SecretId: secretId }));
  } catch (error) {
    if (isNotFound(error)) {
      return {
        ...result,
        problem: `No secret ${secretId} in this account and region.`
      };
    }
    throw translate(error, 'secretsmanager:DescribeSecret');
  }
  Object.assign(result, {
    exists: true,
    arn: meta.ARN ?? null,
    tags: tagsOf(meta)
  });
  let text: string | undefined;
  try {
    const value = await client.send(
      new GetSecretValueCommand({ SecretId: secretId })
    );
    text = value.SecretString;
  } catch (error) {
    const failure = translate(error, 'secretsmanager:GetSecretValue');
    if (ACCESS_DENIED.has(failure.code)) {
      return { ...result, problem: failure.message, action: failure.action };
    }
    throw failure;
  }
  result.readable = true;
  if (text === undefined) {
    return {
      ...result,
      problem: 'The secret is binary; %sm_analytics needs a JSON text secret.'
    };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return {
      ...result,
      problem:
        'The secret is not JSON; store {"username": ..., "password": ...}.'
    };
  } finally {
    text = undefined;
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return {
      ...result,
      problem:
        'The secret is not a JSON object; store {"username": ..., "password": ...}.'
    };
  }
  result.json = true;
  result.hasUsername = hasOwn(data, 'username');
  result.hasPassword = hasOwn(data, 'password');
  data = undefined;
  const missing = [
    ...(result.hasUsername ? [] : ['username']),
    ...(result.hasPassword ? [] : ['password'])
  ];
  if (missing.length) {
    return {
      ...result,
      problem: `The secret lacks the lowercase key(s): ${missing.join(', ')}.`
    };
  }
  return result;
}

export interface ISecretInput {
  name: string;
  username: string;
  password: string;
  description?: string;
  userIdentity?: string;
  /** The resource policy to attach, given the secret's ARN; null for none. */
  policyFor: ((arn: string) => IPolicyDocument) | null;
}

export interface ISecretRef {
  name: string;
  arn: string;
  /** False when an existing secret was updated. */
  created: boolean;
}

/** The secret `name` if it has the version `token`, i.e. this request created it. */
async function createdWithToken(
  client: SecretsManagerClient,
  name: string,
  token: string
): Promise<DescribeSecretCommandOutput | null> {
  const meta = await call('secretsmanager:DescribeSecret', () =>
    client.send(new DescribeSecretCommand({ SecretId: name }))
  );
  return token in (meta.VersionIdsToStages ?? {}) ? meta : null;
}

/**
 * Creates the credentials secret, or gives an existing one the new value,
 * description and tag; then attaches the resource policy. Safe to retry: the
 * create carries a `ClientRequestToken`, so a create whose answer was lost is
 * recognised rather than taken for someone else's secret.
 */
export async function createOrUpdateSecret(
  client: SecretsManagerClient,
  input: ISecretInput
): Promise<ISecretRef> {
  const tags = input.userIdentity
    ? [{ Key: USER_IDENTITY_TAG, Value: input.userIdentity }]
    : undefined;
  const secretString = (): string =>
    JSON.stringify({ username: input.username, password: input.password });
  const token = randomUUID();
  let ref: ISecretRef;
  try {
    const created = await client.send(
      new CreateSecretCommand({
        Name: input.name,
        ClientRequestToken: token,
        SecretString: secretString(),
        Description: input.description || undefined,
        Tags: tags
      })
    );
    ref = {
      name: created.Name ?? input.name,
      arn: created.ARN ?? '',
      created: true
    };
  } catch (error) {
    if ((error as ISdkError)?.name !== 'ResourceExistsException') {
      throw translate(error, 'secretsmanager:CreateSecret', false);
    }
    const ours = await createdWithToken(client, input.name, token);
    if (ours) {
      ref = {
        name: ours.Name ?? input.name,
        arn: ours.ARN ?? '',
        created: true
      };
    } else {
      ref = await updateSecret(client, input, secretString(), tags);
    }
  }
  const policy = input.policyFor?.(ref.arn);
  if (policy) {
    try {
      await call('secretsmanager:PutResourcePolicy', () =>
        client.send(
          new PutResourcePolicyCommand({
            SecretId: ref.arn,
            ResourcePolicy: JSON.stringify(policy),
            BlockPublicPolicy: true
          })
        )
      );
    } catch (error) {
      const failure = error as AwsCallError;
      throw new AwsCallError(
        failure.action,
        failure.code,
        `The secret ${ref.name} (${ref.arn}) is stored, but its resource policy is not attached: ${failure.message}`
      );
    }
  }
  return ref;
}

async function updateSecret(
  client: SecretsManagerClient,
  input: ISecretInput,
  secretString: string,
  tags: { Key: string; Value: string }[] | undefined
): Promise<ISecretRef> {
  const put = await call(
    'secretsmanager:PutSecretValue',
    () =>
      client.send(
        new PutSecretValueCommand({
          SecretId: input.name,
          ClientRequestToken: randomUUID(),
          SecretString: secretString
        })
      ),
    false
  );
  const arn = put.ARN ?? '';
  if (input.description) {
    await call('secretsmanager:UpdateSecret', () =>
      client.send(
        new UpdateSecretCommand({
          SecretId: arn,
          Description: input.description
        })
      )
    );
  }
  if (tags) {
    await call('secretsmanager:TagResource', () =>
      client.send(new TagResourceCommand({ SecretId: arn, Tags: tags }))
    );
  }
  return { name: put.Name ?? input.name, arn, created: false };
}
