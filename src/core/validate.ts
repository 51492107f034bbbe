/**
 * Validators for every value the product writes into code or into a job.
 *
 * Each returns `null` when the value is acceptable, otherwise a sentence the
 * panel shows next to the field. The character sets are closed, so nothing a
 * user types can break out of a Python string or a magic's argument.
 */

export type ValidationResult = string | null;

const CLUSTER_ID = /^j-[A-Z0-9]{1,64}$/;
/** EMR Serverless's own pattern for an application id (botocore's model). */
const APPLICATION_ID = /^[0-9a-z]{1,64}$/;
// A leading '-' would read as an option of the magic (--secret -x).
const SECRET_NAME = /^(?!-)[A-Za-z0-9/_+=.@-]{1,512}$/;
const SECRET_ARN =
  /^arn:(?:aws|aws-cn|aws-us-gov):secretsmanager:[a-z]{2}(?:-[a-z]+)+-\d:\d{12}:secret:[A-Za-z0-9/_+=.@-]{1,512}$/;
const ROLE_ARN =
  /^arn:(?:aws|aws-cn|aws-us-gov):iam::\d{12}:role\/[A-Za-z0-9+=,.@_/-]{1,512}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const UNICODE_DASH = /[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/;

function describeBadCharacter(value: string): string {
  if (/\s/.test(value)) {
    return 'it contains a space or line break';
  }
  if (UNICODE_DASH.test(value)) {
    return 'it contains a typographic dash; use the plain "-" key';
  }
  const bad = Array.from(value).find(ch => !/[A-Za-z0-9/_+=.@:-]/.test(ch));
  return bad ? `the character "${bad}" is not allowed` : '';
}

export function validateClusterId(value: string): ValidationResult {
  if (!value) {
    return 'Enter the EMR cluster id, for example j-1ABCDEFGHIJKL.';
  }
  if (CLUSTER_ID.test(value)) {
    return null;
  }
  const reason = describeBadCharacter(value);
  return (
    'A cluster id is "j-" followed by capital letters and digits' +
    (reason ? `; ${reason}.` : '.')
  );
}

export function validateApplicationId(value: string): ValidationResult {
  if (!value) {
    return 'Enter the EMR Serverless application id, for example 00fabcdefghij12k.';
  }
  if (APPLICATION_ID.test(value)) {
    return null;
  }
  if (value.length > 64) {
    return 'An application id has at most 64 characters.';
  }
  const reason = /[A-Z]/.test(value)
    ? 'it contains a capital letter'
    : describeBadCharacter(value);
  return (
    'An application id holds only lowercase letters and digits' +
    (reason ? `; ${reason}.` : '.')
  );
}

/** The role EMR Serverless runs the Spark session as: required there. */
export function validateExecutionRoleArn(value: string): ValidationResult {
  if (!value) {
    return 'Enter the ARN of the execution role the Spark session runs as (arn:aws:iam::ACCOUNT:role/NAME).';
  }
  return validateRoleArn(value);
}

export function validateSecretId(value: string): ValidationResult {
  if (!value) {
    return 'Enter the name or ARN of the Secrets Manager secret that holds the credentials.';
  }
  if (value.startsWith('arn:')) {
    return SECRET_ARN.test(value)
      ? null
      : 'This is not a Secrets Manager secret ARN (arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME).';
  }
  if (SECRET_NAME.test(value)) {
    return null;
  }
  if (value.length > 512) {
    return 'A secret name has at most 512 characters.';
  }
  if (value.startsWith('-')) {
    return 'A secret name cannot start with "-": the magic would read it as an option.';
  }
  const reason = describeBadCharacter(value);
  return (
    'A secret name uses letters, digits and / _ + = . @ -' +
    (reason ? `; ${reason}.` : '.')
  );
}

export function validateRoleArn(value: string): ValidationResult {
  if (!value) {
    return null;
  }
  return ROLE_ARN.test(value)
    ? null
    : 'This is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME).';
}

export function validateEnvVarName(value: string): ValidationResult {
  if (!value) {
    return 'Enter an environment variable name.';
  }
  if (ENV_NAME.test(value)) {
    return null;
  }
  return 'An environment variable name starts with a letter or _ and holds only letters, digits and _.';
}

/**
 * Values of job environment variables: one line, printable, no NUL. Secrets
 * never go here, only their ids, so a length cap keeps mistakes visible.
 */
export function validateEnvVarValue(value: string): ValidationResult {
  if (value.length > 4096) {
    return 'A value has at most 4096 characters.';
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) {
    return 'A value must be a single line without control characters.';
  }
  return null;
}

export { UNICODE_DASH };
