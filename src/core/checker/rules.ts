/**
 * The checker's rules: stable ids, severities and whether `applyAllFixes`
 * may apply their edit fixes without asking.
 */
import type { Severity } from './types';

/**
 * What a rule is about: the `%sm_analytics` connection (its line and the
 * cells it depends on) or the rest of the code (keys, Redshift).
 */
export type RuleCategory = 'connect' | 'code';

export interface IRuleInfo {
  id: string;
  category: RuleCategory;
  severity: Severity;
  /** One line for a list of rules. */
  title: string;
  /** The rule's edit fix is mechanical and always safe to apply. */
  safeFix: boolean;
}

const CODE_RULES = [
  'aws-access-key',
  's3-secret-key-literal',
  's3-url-credentials',
  'redshift-format-whitespace',
  'redshift-s3-auth',
  'redshift-jdbc-password',
  'password-literal'
];

function rule(
  id: string,
  severity: Severity,
  title: string,
  safeFix = false
): IRuleInfo {
  const category = CODE_RULES.includes(id) ? 'code' : 'connect';
  return { id, category, severity, title, safeFix };
}

export const RULES = {
  unicodeDash: rule(
    'unicode-dash',
    'error',
    'A typographic dash where the magic needs "--"',
    true
  ),
  typographicCharacter: rule(
    'typographic-character',
    'error',
    'Curly quotes or non-breaking spaces in a %sm_analytics line',
    true
  ),
  secretsFlag: rule(
    'secrets-flag',
    'error',
    '--secrets instead of --secret',
    true
  ),
  authAbbrev: rule(
    'auth-abbrev',
    'warning',
    '--auth instead of --auth-type',
    true
  ),
  optionAbbrev: rule(
    'option-abbrev',
    'warning',
    'An abbreviated %sm_analytics option',
    true
  ),
  unknownOption: rule(
    'unknown-option',
    'error',
    'An option the magic does not know',
    true
  ),
  optionValueMissing: rule(
    'option-value-missing',
    'error',
    'An option without its value'
  ),
  commandWords: rule(
    'command-words',
    'error',
    'The magic needs exactly "emr connect" before its options'
  ),
  missingRequired: rule(
    'missing-required-option',
    'error',
    'emr connect without --cluster-id or --auth-type'
  ),
  authTypeValue: rule(
    'auth-type-value',
    'error',
    '--auth-type other than None, Kerberos or Basic_Access',
    true
  ),
  quotedValue: rule(
    'quoted-value',
    'error',
    'A quoted value the magic passes on with its quotes',
    true
  ),
  missingSecret: rule(
    'missing-secret',
    'error',
    'Kerberos or Basic_Access without --secret fails headless'
  ),
  multilineMagic: rule(
    'multiline-magic',
    'error',
    'A %sm_analytics magic continued on the next lines without "\\"',
    true
  ),
  ipythonLanguage: rule(
    'ipython-language',
    'error',
    'emr connect in an IPython kernel without --language',
    true
  ),
  languageValue: rule(
    'language-value',
    'error',
    '--language other than python or scala',
    true
  ),
  sparkmagicParameters: rule(
    'sparkmagic-parameters',
    'error',
    'A job parameter used in the connect line of a SparkMagic kernel'
  ),
  sparkmagicLocalPython: rule(
    'sparkmagic-local-python',
    'error',
    'os used by the connect line is not imported in the local kernel',
    true
  ),
  sparkmagicRemoteMagic: rule(
    'sparkmagic-remote-magic',
    'error',
    '%sm_analytics in a SparkMagic cell that is sent to Spark',
    true
  ),
  sparkmagicRemoteName: rule(
    'sparkmagic-remote-name',
    'error',
    'The connect line reads a name assigned only in the Spark session',
    true
  ),
  osNotImported: rule(
    'os-not-imported',
    'error',
    'os used by the connect line is not imported before it',
    true
  ),
  literalConnectValue: rule(
    'literal-connect-value',
    'info',
    'A literal cluster id or secret (or application id or execution role) in the connect line'
  ),
  serverlessRefusedOption: rule(
    'serverless-refused-option',
    'error',
    '--cluster-id, --auth-type or --secret in emr-serverless connect',
    true
  ),
  serverlessVerifyCertificate: rule(
    'serverless-verify-certificate',
    'warning',
    '--verify-certificate in emr-serverless connect, where it is ignored',
    true
  ),
  serverlessMissingRequired: rule(
    'serverless-missing-required-option',
    'error',
    'emr-serverless connect without --application-id or --emr-execution-role-arn'
  ),
  roleArnFormat: rule(
    'role-arn-format',
    'error',
    'A literal role ARN the magic refuses (not arn:PARTITION:iam::ACCOUNT:role/NAME)'
  ),
  clusterIdFormat: rule(
    'cluster-id-format',
    'warning',
    'A literal cluster id that is not j- and capitals and digits'
  ),
  verifyCertificateFalse: rule(
    'verify-certificate-false',
    'info',
    'The TLS certificate of Livy is not checked'
  ),
  awsAccessKey: rule(
    'aws-access-key',
    'error',
    'An AWS access key id in the notebook'
  ),
  s3SecretKeyLiteral: rule(
    's3-secret-key-literal',
    'error',
    'S3 keys set as literals in the Spark or Hadoop configuration'
  ),
  s3UrlCredentials: rule(
    's3-url-credentials',
    'error',
    'Keys inside an s3://, s3a:// or s3n:// URL'
  ),
  redshiftFormatWhitespace: rule(
    'redshift-format-whitespace',
    'error',
    'Whitespace inside the Redshift connector format name',
    true
  ),
  redshiftS3Auth: rule(
    'redshift-s3-auth',
    'error',
    'A Redshift read or write needs exactly one S3 auth option'
  ),
  redshiftJdbcPassword: rule(
    'redshift-jdbc-password',
    'warning',
    'A Redshift password in the notebook instead of jdbc:redshift:iam://'
  ),
  passwordLiteral: rule(
    'password-literal',
    'warning',
    'A password written into the notebook instead of a Secrets Manager secret'
  )
} as const;

export type RuleKey = keyof typeof RULES;

const BY_ID = new Map<string, IRuleInfo>(
  Object.values(RULES).map(r => [r.id, r])
);

/** Every rule, in a stable order. */
export const RULE_LIST: readonly IRuleInfo[] = Object.values(RULES);

export function ruleInfo(id: string): IRuleInfo | undefined {
  return BY_ID.get(id);
}
