/**
 * `emr connect`, as `EMRValidator` reads it: --cluster-id and --auth-type
 * required, the auth type one of three values, and a --secret wherever the
 * magic would otherwise ask for a password no scheduled job can give.
 */
import { isAuthValue, mapAuthType, panelAuth } from './authValue';
import { checkConnectCommon, formValues, IConnectCheck } from './connectValues';
import {
  fallbackOf,
  GETENV,
  isExpression,
  isQuoted,
  IToken,
  knownValue,
  literalOf,
  MagicAuth,
  unquote
} from './grammar';
import { RULES } from './rules';
import { ILineEdit, ILocalFinding, lineEditFix, localFinding } from './text';

const CLUSTER_ID = /^j-[A-Z0-9]{1,64}$/;

/**
 * Reports a bad `--auth-type` and returns the auth type the line ends up
 * with, when it can be known (a literal, or the fallback of `os.getenv`).
 */
function checkAuthType(
  lines: readonly string[],
  auth: IToken | null,
  findings: ILocalFinding[]
): MagicAuth | null {
  if (!auth) {
    return null;
  }
  if (isQuoted(auth.text) && isExpression(auth.text)) {
    // IPython expands inside the quotes, and the magic keeps them.
    const inner = unquote(auth.text);
    findings.push(
      localFinding(
        RULES.authTypeValue,
        auth.line,
        `The magic keeps quotes, so --auth-type ${auth.text} is not None, Kerberos or ` +
          'Basic_Access and it stops with "Invalid auth type"; the job fails. Remove the quotes.',
        lineEditFix(
          lines,
          [{ line: auth.line, start: auth.start, end: auth.end, text: inner }],
          'Remove the quotes'
        )
      )
    );
    const fallback = GETENV.exec(inner)?.[4];
    return fallback === undefined
      ? null
      : isAuthValue(fallback)
        ? fallback
        : mapAuthType(fallback);
  }
  const expression = isExpression(auth.text);
  const value = expression ? fallbackOf(auth) : auth.text;
  if (value === null) {
    return null;
  }
  if (isAuthValue(value)) {
    return value;
  }
  const mapped = mapAuthType(value);
  let message: string;
  let edit: ILineEdit;
  if (expression) {
    // Rewrite only the fallback inside the expression.
    const offset = auth.start + auth.text.lastIndexOf(value);
    edit = {
      line: auth.line,
      start: offset,
      end: offset + value.length,
      text: mapped ?? ''
    };
    message =
      `The fallback "${value}" of --auth-type is not a value the magic accepts (exactly None, ` +
      'Kerberos or Basic_Access; LDAP and HTTP Basic are Basic_Access), so the notebook fails ' +
      'whenever the environment variable is not set.';
  } else {
    edit = {
      line: auth.line,
      start: auth.start,
      end: auth.end,
      text: mapped ?? ''
    };
    message = isQuoted(value)
      ? `The magic keeps quotes, so --auth-type ${value} is not None, Kerberos or Basic_Access ` +
        'and it stops with "Invalid auth type"; the job fails.'
      : `--auth-type ${value} is not a value the magic accepts (exactly None, Kerberos or ` +
        'Basic_Access; LDAP and HTTP Basic are Basic_Access), so it stops with "Invalid auth ' +
        'type" and the job fails.';
  }
  findings.push(
    localFinding(
      RULES.authTypeValue,
      auth.line,
      message +
        (mapped
          ? ` Write ${mapped}.`
          : ' Write None, Kerberos or Basic_Access.'),
      mapped ? lineEditFix(lines, [edit], `Use ${mapped}`) : undefined
    )
  );
  return mapped;
}

export function checkClusterConnect(check: IConnectCheck): void {
  const { lines, options, findings } = check;
  const at = check.command.start;
  const cluster = options.get('cluster-id')?.value ?? null;
  const secret = options.get('secret')?.value ?? null;
  const auth = options.get('auth-type')?.value ?? null;
  const effectiveAuth = checkAuthType(lines, auth, findings);

  // What the panel's form should start from, as far as the line tells.
  const values = formValues(
    {},
    {
      clusterId: knownValue(cluster),
      authType: panelAuth(knownValue(auth)),
      secretId: knownValue(secret)
    }
  );
  checkConnectCommon(check, 'emr', values, [
    [cluster, 'cluster id'],
    [secret, 'secret']
  ]);

  // Basic_Access with an EMR runtime role gets its credentials from EMR.
  const rbac =
    effectiveAuth === 'Basic_Access' && options.has('emr-execution-role-arn');
  if (
    (effectiveAuth === 'Kerberos' || effectiveAuth === 'Basic_Access') &&
    !rbac &&
    !options.has('secret')
  ) {
    findings.push(
      localFinding(
        RULES.missingSecret,
        at,
        `With --auth-type ${effectiveAuth} and no --secret, the magic asks for a user name and ` +
          'password in a pop-up; a scheduled job has no one to answer and fails with "A --secret ' +
          'parameter needs to be added to run the Notebook in Headless mode". Store the ' +
          'credentials (JSON with username and password) in an AWS Secrets Manager secret and ' +
          "pass its id with --secret; the panel's form writes it as an environment variable.",
        { kind: 'env-form', label: 'Choose a secret in the panel', values }
      )
    );
  }

  if (
    cluster &&
    !isExpression(cluster.text) &&
    !isQuoted(cluster.text) &&
    !CLUSTER_ID.test(cluster.text)
  ) {
    findings.push(
      localFinding(
        RULES.clusterIdFormat,
        cluster.line,
        `"${cluster.text}" does not look like an EMR cluster id ("j-" followed by capital ` +
          'letters and digits, for example j-1ABCDEFGHIJKL), so the job will not find the ' +
          'cluster. Copy the id from the EMR console or pick the cluster in the panel.'
      )
    );
  }

  const verify = options.get('verify-certificate')?.value ?? null;
  if (verify && literalOf(verify)?.toLowerCase() === 'false') {
    findings.push(
      localFinding(
        RULES.verifyCertificateFalse,
        verify.line,
        '--verify-certificate False means the TLS certificate of Livy is not checked. Use True ' +
          "(or the path to the cluster's certificate) when the certificate can be verified."
      )
    );
  }
}
