/**
 * What the policies of every audience share: ARNs (reading them, writing
 * them), the checks of each input, where resources known by name live
 * (partition, region, account), the name prefix of secrets, and the
 * statements that recur (reading a secret, decrypting it with its key).
 *
 * Builders return fresh objects, so a caller may change one document freely.
 */
import {
  IPolicyDocument,
  IPolicyInputs,
  IPolicyStatement,
  POLICY_FIELDS,
  POLICY_VERSION,
  PolicyCondition,
  PolicyField,
  PolicyInputError,
  PRINCIPAL_TAG_VALUE,
  RESOURCE_TAG_KEY
} from './types';

// --- ARNs ------------------------------------------------------------------

const PARTITION = 'aws(?:-[a-z]+)*';
const REGION = '[a-z]{2}(?:-[a-z]+)+-\\d';
const ACCOUNT = '\\d{12}';
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const SECRET_NAME_CHARS = '[A-Za-z0-9/_+=.@-]';

const ARN_RE = /^arn:([a-z-]+):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|aws|):(.+)$/;
const ROLE_ARN_RE = new RegExp(
  `^arn:${PARTITION}:iam::${ACCOUNT}:role/[A-Za-z0-9+=,.@_/-]{1,512}$`
);
const SECRET_ARN_RE = new RegExp(
  `^arn:${PARTITION}:secretsmanager:${REGION}:${ACCOUNT}:secret:${SECRET_NAME_CHARS}{1,512}$`
);
const SECRET_NAME_RE = new RegExp(`^${SECRET_NAME_CHARS}{1,512}$`);

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

/** The parts of an ARN that a check has already accepted. */
export function arnParts(arn: string): IArn {
  return parseArn(arn) as IArn;
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

// --- Inputs ------------------------------------------------------------------

export function present(value: string | undefined): value is string {
  return value !== undefined && value !== '';
}

/** The field's value, which must be given (it is not checked here). */
export function required(inputs: IPolicyInputs, field: PolicyField): string {
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

export function checked(
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

const NOT_A_ROLE = 'Not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME).';

/** The form of each field that has one form, and what to say when it is not. */
const FIELD_RULES: Partial<Record<PolicyField, [RegExp, string]>> = {
  roleArn: [ROLE_ARN_RE, NOT_A_ROLE],
  emrExecutionRoleArn: [ROLE_ARN_RE, NOT_A_ROLE],
  region: [
    new RegExp(`^${REGION}$`),
    'Not an AWS region (for example us-east-1).'
  ],
  account: [new RegExp(`^${ACCOUNT}$`), 'An AWS account id is 12 digits.'],
  kmsKeyArn: [
    new RegExp(
      `^arn:${PARTITION}:kms:${REGION}:${ACCOUNT}:key/(?:${UUID}|mrk-[0-9a-f]{32})$`
    ),
    'Not a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/KEY-ID); an alias does not work in a policy.'
  ],
  workgroupArn: [
    new RegExp(
      `^arn:${PARTITION}:redshift-serverless:${REGION}:${ACCOUNT}:workgroup/${UUID}$`
    ),
    'Not a workgroup ARN (arn:aws:redshift-serverless:REGION:ACCOUNT:workgroup/WORKGROUP-ID, the id being a UUID).'
  ],
  cluster: [
    /^[a-z](?!.*--)[a-z0-9-]{0,62}$/,
    'A cluster identifier is lowercase letters, digits and single dashes, starting with a letter (at most 63).'
  ],
  dbUser: [
    /^[A-Za-z0-9_.@+-]{1,128}$/,
    'A database user name uses letters, digits and _ . @ + - (no wildcards).'
  ],
  database: [
    /^[A-Za-z_][A-Za-z0-9_$]{0,126}$/,
    'A database name starts with a letter or _ and holds letters, digits, _ and $.'
  ],
  applicationId: [
    /^[0-9a-z]{1,64}$/,
    'An application id holds 1 to 64 lowercase letters and digits.'
  ]
};

/** `value` as a valid `field`, or a `PolicyInputError` saying why not. */
export function valid(field: PolicyField, value: string): string {
  const rule = FIELD_RULES[field];
  return rule ? checked(field, value, ...rule) : value;
}

/** The field's value, which must be given and valid. */
export function need(inputs: IPolicyInputs, field: PolicyField): string {
  return valid(field, required(inputs, field));
}

/** The field's value when it is given (then it must be valid). */
export function given(
  inputs: IPolicyInputs,
  field: PolicyField
): string | undefined {
  const value = inputs[field];
  return present(value) ? valid(field, value) : undefined;
}

// --- Locations -------------------------------------------------------------

/** Where resources known by name live. */
export interface ILocation {
  partition: string;
  region: string;
  account: string;
}

/**
 * Where resources known by name live: the region given, and the account given
 * or else the role's (an execution role ARN), whose partition it also gives.
 * `why` finishes "Required ..." when the region or account is missing.
 */
export function location(
  inputs: Pick<IPolicyInputs, 'region' | 'account'>,
  role: string | undefined,
  why: string
): ILocation {
  if (!present(inputs.region)) {
    throw new PolicyInputError(
      'region',
      `Required ${why}, for example us-east-1.`
    );
  }
  const where = valid('region', inputs.region);
  let id = role ? accountFromArn(role) : null;
  if (present(inputs.account)) {
    id = valid('account', inputs.account);
  }
  if (!id) {
    throw new PolicyInputError(
      'account',
      `Required ${why} (or the execution role ARN, whose account is used): the 12-digit account id.`
    );
  }
  const partition = role ? arnParts(role).partition : partitionForRegion(where);
  return { partition, region: where, account: id };
}

/** The partition of the region given, `aws` without one. */
export function partitionOf(inputs: Pick<IPolicyInputs, 'region'>): string {
  const region = given(inputs, 'region');
  return region ? partitionForRegion(region) : 'aws';
}

/** The ARN of `resource` of `service` at `where`. */
export function arnAt(
  where: ILocation,
  service: string,
  resource: string
): string {
  return `arn:${where.partition}:${service}:${where.region}:${where.account}:${resource}`;
}

// --- Secrets -----------------------------------------------------------------

/** A secret's ARN as given, checked. */
export function secretArn(value: string): string {
  return checked(
    'secretId',
    value,
    SECRET_ARN_RE,
    'Not a Secrets Manager secret ARN (arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME).'
  );
}

/** A secret's name as given, checked. */
export function secretName(value: string): string {
  return checked(
    'secretId',
    value,
    SECRET_NAME_RE,
    'A secret name uses letters, digits and / _ + = . @ - (at most 512).'
  );
}

/** The inputs of a policy on the secrets under a name prefix. */
export type PrefixedSecretsInputs = Pick<
  IPolicyInputs,
  'secretPrefix' | 'kmsKeyArn' | 'region' | 'account' | 'roleArn'
>;

/**
 * What a policy on the secrets under a name prefix needs: the prefix (a
 * trailing `*` dropped), the KMS key if any, and where the secrets live.
 */
export function prefixedSecrets(
  inputs: PrefixedSecretsInputs,
  defaultPrefix: string,
  why: string
): { prefix: string; key: string | undefined; where: ILocation } {
  const prefix = checked(
    'secretPrefix',
    (inputs.secretPrefix || defaultPrefix).replace(/\*$/, ''),
    SECRET_NAME_RE,
    'A secret name prefix uses letters, digits and / _ + = . @ - (a trailing * is allowed).'
  );
  const key = given(inputs, 'kmsKeyArn');
  const where = location(inputs, given(inputs, 'roleArn'), why);
  return { prefix, key, where };
}

/** The ARN pattern of every secret at `where` whose name starts with `prefix`. */
export function secretsUnder(where: ILocation, prefix: string): string {
  return arnAt(where, 'secretsmanager', `secret:${prefix}*`);
}

export function secretReadActions(): string[] {
  return ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'];
}

/** The secret's user-identity tag equals the caller's. */
export function abacCondition(): PolicyCondition {
  return { StringEquals: { [RESOURCE_TAG_KEY]: PRINCIPAL_TAG_VALUE } };
}

// --- Documents ---------------------------------------------------------------

export function doc(...statements: IPolicyStatement[]): IPolicyDocument {
  return { Version: POLICY_VERSION, Statement: statements };
}

function kmsDecrypt(keyArn: string, secretRegion: string): IPolicyStatement {
  const key = arnParts(keyArn);
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

/**
 * A document of `statements` on secrets in `secretRegion`, and the right to
 * decrypt them with their customer managed key when there is one.
 */
export function secretsDocument(
  statements: IPolicyStatement[],
  key: string | undefined,
  secretRegion: string
): IPolicyDocument {
  return doc(...statements, ...(key ? [kmsDecrypt(key, secretRegion)] : []));
}
