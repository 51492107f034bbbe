/**
 * Why a scheduled run failed, in one sentence, with what to do.
 *
 * Reads what a scheduler keeps of a failed run: its status message (with
 * open-source jupyter-scheduler, the whole cell and traceback with terminal
 * colour codes) and, when the output notebook is at hand, its error outputs.
 *
 * It reads the failing exception first (its class and message), then the AWS
 * error inside it, in botocore's form or the error dict %sm_analytics prints:
 * the error code says what kind of failure it is (access, throttling, expired
 * credentials, not found, invalid request, ...) and the operation which IAM
 * action it needed, for any call. The magic's own errors (its argument checks,
 * Livy, Kerberos, the secret's content) are read from their class and message.
 * A run is said to have failed in the notebook's own code only when the
 * failing frame is the notebook's cell; anything else not recognised is
 * reported as the exception's own line: never a guess.
 */

import { argumentProblem, isArgumentError } from './diagnosis/arguments';
import { awsErrorIn, classifyCode, flat, IAwsError } from './diagnosis/aws';
import {
  cleanTerminalText,
  IException,
  IFailure,
  isCellFrame,
  isMagicFrame,
  readTraceback,
  shortName
} from './diagnosis/exception';

export { cleanTerminalText } from './diagnosis/exception';
export type { IAwsError } from './diagnosis/aws';

/** The panel feature that helps with a cause. */
export type RunAction =
  | 'checks'
  | 'secret-check'
  | 'secret-create'
  | 'policies'
  | 'cluster-picker'
  | 'network';

export type RunCause =
  | 'aws-unreachable'
  | 'credentials-missing'
  | 'credentials-expired'
  | 'credentials-invalid'
  | 'secret-missing'
  | 'secret-access-denied'
  | 'secret-not-json'
  | 'secret-without-keys'
  | 'cluster-unknown'
  | 'primary-node-not-found'
  | 'livy-unreachable'
  | 'livy-unauthorized'
  | 'spark-session-failed'
  | 'kerberos-kinit'
  | 'kerberos-password-wrong'
  | 'kerberos-principal-unknown'
  | 'headless-without-secret'
  | 'magic-arguments'
  | 'auth-type-mismatch'
  | 'extension-missing'
  | 'aws-access-denied'
  | 'aws-throttled'
  | 'aws-resource-not-found'
  | 'aws-invalid-request'
  | 'aws-service-error'
  | 'aws-error'
  | 'user-code'
  | 'unknown';

export interface IRunDiagnosis {
  cause: RunCause;
  /** One sentence: what failed and why. */
  summary: string;
  /** What to change. */
  fix: string;
  /** The panel's feature that applies, if one does. */
  action?: RunAction;
  /** 1-based index of the cell that failed, when the output notebook says. */
  cell?: number;
  /** The failing exception's line (`Name: first line of its message`), cleaned. */
  detail: string;
  /** The AWS error the cause was read from, when there was one. */
  aws?: IAwsError;
  /** The flags of the connect line at fault, for an argument error. */
  flags?: string[];
}

export interface IRunOutput {
  output_type?: string;
  name?: string;
  ename?: string;
  evalue?: string;
  text?: string | string[];
  traceback?: string[];
}

export interface IRunCell {
  cell_type?: string;
  source?: string | string[];
  outputs?: IRunOutput[];
}

export interface IRunFailure {
  statusMessage?: string | null;
  /** The output notebook's cells, when the scheduler has them. */
  cells?: IRunCell[];
}

/** Only the end of a long status message is read: the error is at the end. */
const MAX_SCAN = 200_000;
const MAX_DETAIL = 300;
const MAX_QUOTE = 160;

function joinText(text: string | string[] | undefined): string {
  return Array.isArray(text) ? text.join('') : (text ?? '');
}

function tail(text: string): string {
  return text.length > MAX_SCAN ? text.slice(text.length - MAX_SCAN) : text;
}

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The last line of a cleaned text that says something (not a rule of dashes), shortened. */
export function lastErrorLine(text: string): string {
  const lines = cleanTerminalText(text)
    .split(/\r?\n/)
    .map(l => l.trim())
    .filter(l => /[\p{L}\p{N}]/u.test(l));
  const line = lines.length ? lines[lines.length - 1] : '';
  return shorten(line, MAX_DETAIL);
}

interface IRead {
  failure: IFailure;
  /** Text the connect line can be read from. */
  source: string;
  cell?: number;
}

/** The first code cell that failed: its error output, or IPython's UsageError on stderr. */
function readCells(cells: IRunCell[] | undefined): IRead | undefined {
  if (!Array.isArray(cells)) {
    return undefined;
  }
  let index = 0;
  for (const cell of cells) {
    if (cell?.cell_type && cell.cell_type !== 'code') {
      continue;
    }
    index++;
    const outputs = Array.isArray(cell?.outputs) ? cell.outputs : [];
    const source = joinText(cell?.source);
    const error = outputs.find(o => o?.output_type === 'error');
    if (error) {
      const name = String(error.ename ?? 'Error');
      const message = cleanTerminalText(String(error.evalue ?? ''));
      const traceback = Array.isArray(error.traceback)
        ? error.traceback.join('\n')
        : '';
      const read = readTraceback(traceback, name);
      const first = message.split('\n')[0].trim();
      const exception: IException = {
        name,
        message,
        line: first ? `${name}: ${first}` : name
      };
      return {
        failure: {
          exception,
          chain: read?.chain ?? [],
          frames: read?.frames ?? []
        },
        source,
        cell: index
      };
    }
    // IPython shows a UsageError (the magic's argument parser) on stderr, with no error output.
    for (const o of outputs) {
      if (o?.output_type !== 'stream') {
        continue;
      }
      const text = cleanTerminalText(joinText(o.text));
      const m = /^UsageError: .*$/m.exec(text);
      if (m) {
        const read = readTraceback(text.slice(m.index), 'UsageError');
        if (read) {
          return { failure: read, source, cell: index };
        }
      }
    }
  }
  return undefined;
}

interface IVerdict {
  cause: RunCause;
  summary: string;
  fix: string;
  action?: RunAction;
  aws?: IAwsError;
  flags?: string[];
}

const ACCESS_FIX_TAIL =
  ' (the panel’s IAM policies section has the policies to attach), and check that no resource policy, permission boundary or SCP denies it.';

function quote(text: string): string {
  return shorten(flat(text).replace(/\.$/, ''), MAX_QUOTE);
}

/** A resource named in an AWS message or the magic's wrapper: `'j-123'`, `(Id: j-123)`, `application 00f...`. */
function resourceIn(text: string): string | undefined {
  const m =
    /\(Id: ([^)\s]+)\)/.exec(text) ??
    /\b(?:id|Id|ID|arn|ARN|name)\s+'([^']+)'/.exec(text) ??
    /\b(?:application|Application|cluster|Cluster|secret|Secret)\s+([\w./:-]{6,})/.exec(
      text
    );
  return m?.[1];
}

function fromAws(aws: IAwsError, exception: IException): IVerdict {
  const op = aws.operation ?? 'an AWS call';
  const what = aws.operation ? `${aws.code} on ${aws.operation}` : aws.code;
  const action = aws.iamAction;
  const secret = aws.service === 'secretsmanager';
  const msg = aws.message ? `: ${quote(aws.message)}` : '';
  switch (aws.kind) {
    case 'access-denied':
    case 'kms-key': {
      if (
        secret ||
        (aws.service === 'kms' && /secret/i.test(flat(exception.message)))
      ) {
        const kms =
          aws.service === 'kms' ||
          action === 'kms:Decrypt' ||
          aws.kind === 'kms-key';
        return {
          cause: 'secret-access-denied',
          summary: kms
            ? `The job's role may not decrypt the secret with its KMS key (${what}; it needs kms:Decrypt).`
            : `The job's role may not read the secret (${what}; it needs ${action ?? 'secretsmanager:GetSecretValue'}).`,
          fix: `Allow ${kms ? 'kms:Decrypt on the secret’s key' : `${action ?? 'secretsmanager:GetSecretValue'} on the secret`} in the job's execution role${ACCESS_FIX_TAIL}`,
          action: 'policies',
          aws
        };
      }
      if (/^AssumeRole/.test(aws.operation ?? '')) {
        const role = /\(arn: ([^)\s]+)\)/.exec(flat(exception.message))?.[1];
        return {
          cause: 'aws-access-denied',
          summary: `The job's role may not assume ${role ?? 'the role it asks for'} (${what}; it needs ${action ?? 'sts:AssumeRole'}).`,
          fix: `Allow sts:AssumeRole on ${role ?? 'that role'} in the job's execution role, and let that role's trust policy trust the job's role${ACCESS_FIX_TAIL}`,
          action: 'policies',
          aws
        };
      }
      // AWS's own words: whose request (an assumed role), on what, and which policy denied it.
      const said = flat(aws.message);
      const role = /assumed-role\/([^/\s]+)\//.exec(said)?.[1];
      const resource = /\bon resource:? (\S+?)(?=[\s,]|$)/.exec(said)?.[1];
      const deny = /explicit deny in (?:an? )?([\w -]*?policy)/.exec(said)?.[1];
      const who = `The job's role${role ? ` (${role})` : ''}`;
      return {
        cause: 'aws-access-denied',
        summary: action
          ? `${who} may not call ${action} (${what}${deny ? `: an explicit deny in a ${deny}` : ''}).`
          : `${who} was refused ${op} (${aws.code}${msg}).`,
        fix: deny
          ? `Remove or narrow the explicit deny of ${action ?? op} in the ${deny} that applies to the job's role${resource ? ` on ${resource}` : ''}: an allow does not override it.`
          : `Allow ${action ?? `the action of ${op}`}${resource ? ` on ${resource}` : ''} in the job's execution role${ACCESS_FIX_TAIL}`,
        action: 'policies',
        aws
      };
    }
    case 'expired':
      return {
        cause: 'credentials-expired',
        summary: `The job's AWS credentials had expired when it called ${op} (${aws.code}).`,
        fix: "Give the job a role rather than stored keys (SageMaker jobs run with the role chosen in the form); if the server's credentials come from a login, sign in again before scheduling.",
        aws
      };
    case 'invalid-credentials':
      return {
        cause: 'credentials-invalid',
        summary: `AWS did not accept the job's credentials on ${op} (${aws.code}${msg}).`,
        fix: "The job's access key, session token or signing is not valid for this account: run the job with a role (SageMaker) or give the scheduler valid credentials, and check the job's region and clock.",
        aws
      };
    case 'throttled':
      return {
        cause: 'aws-throttled',
        summary: `AWS throttled the job's ${op} calls (${aws.code}${aws.retries !== undefined ? `, still after ${aws.retries} retries` : ''}).`,
        fix: `Too many ${action ?? op} requests at once in this account and region: run the job at another time or spread the jobs out; if it keeps happening, ask for a higher quota in Service Quotas.`,
        aws
      };
    case 'not-found': {
      const where = flat(`${exception.message} ${aws.message}`);
      if (secret) {
        return {
          cause: 'secret-missing',
          summary: `The secret the job names does not exist in this account and region (${what}).`,
          fix: 'Check the secret_id variable of the job: pick the secret with Browse secrets and Check it in the panel, or create it with Create from my credentials.',
          action: 'secret-check',
          aws
        };
      }
      const resource = resourceIn(where);
      if (
        aws.service === 'elasticmapreduce' &&
        /Cluster/.test(aws.operation ?? '')
      ) {
        return {
          cause: 'cluster-unknown',
          summary: resource
            ? `No EMR cluster ${resource} exists in this account and region.`
            : `The EMR cluster the job names does not exist in this account and region (${what}).`,
          fix: 'Pick the cluster with Browse clusters in the panel (clusters get new ids when they are re-created), and update the job.',
          action: 'cluster-picker',
          aws
        };
      }
      const kind =
        aws.service === 'emr-serverless'
          ? 'The EMR Serverless application'
          : 'The resource';
      return {
        cause: 'aws-resource-not-found',
        summary: `${kind}${resource ? ` ${resource}` : ''} that ${op} names does not exist in this account and region (${aws.code}${msg}).`,
        fix: 'Check the id in the job (its variables or the connect line) against the account and region the job runs in; resources get new ids when they are re-created.',
        aws
      };
    }
    case 'invalid-request':
      return {
        cause: 'aws-invalid-request',
        summary: `AWS refused the job's ${op} request as invalid (${aws.code}${msg}).`,
        fix: "AWS's message names the value it refused: correct it in the job's variables or the connect line.",
        aws
      };
    case 'service':
      return {
        cause: 'aws-service-error',
        summary: `AWS failed on ${op} (${aws.code}${msg}).`,
        fix: 'An error on the AWS side: run the job again; if it persists, check the AWS Health Dashboard for the service and region.',
        aws
      };
    default:
      return {
        cause: 'aws-error',
        summary: `AWS refused ${op} (${aws.code}${msg}).`,
        fix:
          aws.kind === 'quota'
            ? 'A service quota of the account is reached: free some of it, or ask for more in Service Quotas.'
            : "AWS's message says what it refused: correct it in the job or the account, then run the job again.",
        aws
      };
  }
}

/** The first AWS error in the exception, or else in what it was raised from (nearest first). */
function findAws(failure: IFailure): IAwsError | null {
  const context = [...failure.chain.map(e => e.line), ...failure.frames].join(
    '\n'
  );
  const own = awsErrorIn(failure.exception.message, context);
  if (own) {
    return own;
  }
  for (const e of [...failure.chain].reverse()) {
    const found = awsErrorIn(
      e.message,
      `${failure.exception.message}\n${context}`
    );
    if (found) {
      return found;
    }
  }
  return magicWrappedAwsError(failure.exception);
}

/**
 * The magic's EMR Serverless client re-raises three AWS codes of
 * GetApplication and StartApplication as `EMRServerlessError(<AWS's message>)`
 * (resource/emr_serverless/emr_s_client.py): ResourceNotFoundException,
 * ValidationException and ServiceQuotaExceededException. When the ClientError
 * it was raised from is not in the text (a status message cut short), the
 * code is read back from which of the three AWS's message is.
 */
function magicWrappedAwsError(exception: IException): IAwsError | null {
  if (shortName(exception.name) !== 'EMRServerlessError') {
    return null;
  }
  const message = flat(exception.message);
  if (/Could not connect to the endpoint URL|network settings/i.test(message)) {
    return null;
  }
  const code = /\b(?:does not exist|not found|cannot be found)\b/i.test(message)
    ? 'ResourceNotFoundException'
    : /\bquota\b/i.test(message)
      ? 'ServiceQuotaExceededException'
      : 'ValidationException';
  // Which of the two calls failed is not in the message: no operation is claimed.
  return {
    code,
    service: 'emr-serverless',
    message,
    kind: classifyCode(code, message)
  };
}

const MAGIC_CLASSES = new Set([
  // sagemaker_studio_analytics_extension/utils/exceptions.py and its external dependencies
  'AnalyticsLibError',
  'AnalyticsLibFault',
  'InvalidArnException',
  'LivyConnectionError',
  'MissingParametersError',
  'InvalidParameterError',
  'InvalidConfigError',
  'InvalidEMRServerlessApplicationStateError',
  'EMRServerlessApplicationStartTimeoutFault',
  'EMRServerlessFault',
  'EMRServerlessError',
  'SparkSessionStartFailedFault',
  'SparkSessionStartFailedError',
  'RuntimeRoleNotFoundException',
  // sparkmagic/livyclientlib/exceptions.py
  'LivyClientLibException',
  'HttpClientException',
  'LivyClientTimeoutException',
  'DataFrameParseException',
  'LivyUnexpectedStatusException',
  'SessionManagementException',
  'BadUserConfigurationException',
  'BadUserDataException',
  'SqlContextNotFoundException',
  'HttpSessionAdapterConfigException',
  // botocore/exceptions.py
  'ClientError',
  'BotoCoreError',
  'NoCredentialsError',
  'PartialCredentialsError',
  'CredentialRetrievalError',
  'EndpointConnectionError',
  'ConnectTimeoutError',
  'ReadTimeoutError',
  'ConnectionClosedError',
  'ProxyConnectionError',
  'SSLError',
  'NoRegionError',
  'ParamValidationError',
  'ProfileNotFound',
  'UnknownServiceError',
  'NoAuthTokenError',
  'TokenRetrievalError',
  'SSOTokenLoadError',
  'UnauthorizedSSOTokenError',
  'WaiterError',
  'UsageError'
]);

function isLibraryException(name: string): boolean {
  return (
    MAGIC_CLASSES.has(shortName(name)) ||
    /^botocore\.|^boto3\.|^sparkmagic\./.test(name)
  );
}

/**
 * kinit's reasons (MIT krb5's messages), with the principal kinit was given
 * (its prompt, "Password for analyst-2@REALM:", is in the magic's message).
 */
function kinitVerdict(reason: string, message: string): IVerdict {
  const principal =
    /Client '([^']+)' not found/.exec(message)?.[1] ??
    /Password for (\S+?):/.exec(message)?.[1];
  const user = principal?.replace(/@.*$/, '');
  const base = { cause: 'kerberos-kinit' as const };
  // kinit's reason as one line, whatever the message's wrapping cut it to.
  const said = flat(`${reason} ${message}`);
  if (/Password incorrect|Preauthentication failed/i.test(said)) {
    return {
      cause: 'kerberos-password-wrong',
      summary: `Kerberos sign-in failed: the secret's password is not the Kerberos password of ${user ?? 'its user'} (${shorten(reason, MAX_QUOTE)}).`,
      fix: "Put the principal's current Kerberos password in the secret: Check the secret in the panel.",
      action: 'secret-check'
    };
  }
  if (/not found in Kerberos database/i.test(said)) {
    return {
      cause: 'kerberos-principal-unknown',
      summary: `Kerberos sign-in failed: the KDC does not know the principal ${principal ?? 'the secret names'}.`,
      fix: "The secret's username must be a principal of the cluster's realm (or of the realm it trusts): Check the secret in the panel.",
      action: 'secret-check'
    };
  }
  if (/credentials have been revoked|locked/i.test(said)) {
    return {
      ...base,
      summary:
        `Kerberos sign-in failed: the principal ${principal ?? ''} is locked or disabled (${shorten(reason, MAX_QUOTE)}).`.replace(
          '  ',
          ' '
        ),
      fix: "Ask the realm's administrator to unlock the principal, then run the job again."
    };
  }
  if (/Clock skew too great/i.test(said)) {
    return {
      ...base,
      summary: `Kerberos sign-in failed: the job's clock and the KDC's differ too much (${shorten(reason, MAX_QUOTE)}).`,
      fix: "Synchronise the clocks of the job's host and the KDC (NTP / Amazon Time Sync)."
    };
  }
  return {
    ...base,
    summary: `Kerberos sign-in failed: ${shorten(reason, MAX_QUOTE)}.`,
    fix: "Check that the job can reach the cluster's KDC (port 88 on the primary node, security groups) and that the secret holds the Kerberos principal's user name and password.",
    // No answer from any KDC is the network's to explain.
    ...(/Cannot contact any KDC|Cannot resolve network address|Cannot find KDC/i.test(
      said
    )
      ? { action: 'network' as const }
      : {})
  };
}

/** Causes read from the magic's own messages and the SDK's client-side errors. */
function fromMessage(failure: IFailure, source: string): IVerdict | null {
  const { exception } = failure;
  const name = shortName(exception.name);
  const text = flat(exception.message);
  const all = flat(
    [exception.message, ...failure.chain.map(e => e.message)].join('\n')
  );
  let m: RegExpExecArray | null;
  if (
    /No module named '?(?:sagemaker_studio_analytics_extension|sparkmagic|sagemaker_studio_sparkmagic_lib)/.test(
      text
    ) ||
    /Line magic function `%?sm_analytics` not found/.test(text)
  ) {
    return {
      cause: 'extension-missing',
      summary:
        "The job's kernel does not have the analytics extension (sagemaker-studio-analytics-extension), so %sm_analytics does not exist there.",
      fix: 'Install sagemaker-studio-analytics-extension in the image or environment the job runs in, or choose an image that has it (SageMaker Distribution, SparkMagic).'
    };
  }
  if (
    /A --secret parameter needs to be added to run the Notebook in Headless mode/.test(
      text
    )
  ) {
    return {
      cause: 'headless-without-secret',
      summary:
        'The connect line asks for a password (Kerberos, LDAP or HTTP Basic) but names no --secret, and a scheduled run has no one to type it.',
      fix: "Choose the secret in the panel and insert the connect cell again, so the line reads --secret from the job's variables.",
      action: 'checks',
      flags: ['--secret']
    };
  }
  if ((m = /Cluster auth type does not match provided auth (\w+)/.exec(text))) {
    return {
      cause: 'auth-type-mismatch',
      summary: `The cluster does not use the auth type the connect line gives (${m[1]}).`,
      fix: "Browse clusters in the panel and pick the cluster again: its detected auth type fills the field, then update the job's auth_type.",
      action: 'cluster-picker',
      flags: ['--auth-type']
    };
  }
  if (
    (m = /(kinit: [^\n"\\]*)/.exec(exception.message)) ||
    /Failed to generate kerberos token/.test(text)
  ) {
    const reason = m ? m[1].trim().replace(/\.$/, '') : 'kinit failed';
    return kinitVerdict(reason, flat(exception.message));
  }
  if ((m = /Invalid status code '401' from (\S+)/.exec(text))) {
    return {
      cause: 'livy-unauthorized',
      summary: `Livy refused the credentials (401 from ${m[1].replace(/[,.]$/, '')}).`,
      fix: 'Check the user name and password in the secret against the cluster (LDAP or HTTP Basic); Check the secret in the panel.',
      action: 'secret-check'
    };
  }
  if ((m = /Cannot connect to livy service at (\S+?):(\d+)/.exec(text))) {
    return {
      cause: 'livy-unreachable',
      summary: `The job could not reach Livy on the cluster's primary node (${m[1]}:${m[2]}).`,
      fix: "Allow the job's network to reach port 8998 on the primary node: the cluster's security group must admit the job's (or the Studio domain's) security group, in the same VPC or a peered one.",
      action: 'network'
    };
  }
  // requests' own words when sparkmagic cannot open a connection to Livy (or to AWS).
  if (
    (m =
      /HTTPS?ConnectionPool\(host='([^']+)', port=(\d+)\): Max retries exceeded/.exec(
        all
      ))
  ) {
    if (/amazonaws\.com$/.test(m[1])) {
      return {
        cause: 'aws-unreachable',
        summary: `The job could not reach AWS at ${m[1]}:${m[2]}.`,
        fix: "Check the job's network: a VPC job needs a route to AWS (NAT or VPC endpoints for STS, EMR and Secrets Manager), and AWS_ENDPOINT_URL, if set, must point at a reachable endpoint.",
        action: 'network'
      };
    }
    return {
      cause: 'livy-unreachable',
      summary: `The job could not reach Livy on the cluster's primary node (${m[1]}:${m[2]}).`,
      fix: "Allow the job's network to reach the Livy port on the primary node: the cluster's security group must admit the job's (or the Studio domain's) security group, in the same VPC or a peered one.",
      action: 'network'
    };
  }
  if (
    (m =
      /[Ee]xecution role (\S+) doesn't exist or isn't setup with the required trust relationship/.exec(
        text
      ))
  ) {
    return {
      cause: 'aws-access-denied',
      summary: `EMR Serverless cannot use the execution role ${m[1]}: it does not exist or does not trust EMR Serverless.`,
      fix: 'Give --emr-execution-role-arn a role whose trust policy admits emr-serverless.amazonaws.com (the panel’s IAM policies section has the trust policy).',
      action: 'policies',
      flags: ['--emr-execution-role-arn']
    };
  }
  // sparkmagic's own words when Livy's Spark session does not come up (livysession.py).
  if (
    (m =
      /Session (\S+) (unexpectedly reached final status '[^']*'|did not start up in \d+ seconds|did not reach idle status in time\. Current status is \w+)/.exec(
        text
      ))
  ) {
    return {
      cause: 'spark-session-failed',
      summary: `Livy reached the cluster, but its Spark session did not start: session ${m[1]} ${m[2]}.`,
      fix: "The session's log (in the output notebook, or the Livy and YARN logs on the primary node) says why: usually the cluster has no room for it (other applications, or a %%configure asking more driver or executor memory than the nodes have), or it was still starting; free capacity or raise the session start-up timeout, then run the job again."
    };
  }
  if (/Failed to find primary node ip address/.test(text)) {
    return {
      cause: 'primary-node-not-found',
      summary:
        'The cluster has no running primary node: it is terminated or still starting.',
      fix: 'Pick a running cluster with Browse clusters in the panel, and update the job.',
      action: 'cluster-picker'
    };
  }
  if (
    name === 'NoCredentialsError' ||
    /Unable to locate credentials/.test(all)
  ) {
    return {
      cause: 'credentials-missing',
      summary: 'The job found no AWS credentials.',
      fix: 'Run the job with a role (SageMaker) or give the scheduler process credentials; never write keys into the notebook.'
    };
  }
  if (
    (m =
      /(?:Could not connect to the endpoint URL|Connect timeout on endpoint URL|Read timeout on endpoint URL|Failed to connect to proxy URL): (?:"([^"]+)"|(\S+?)(?=\.?(?:\s|$)))/.exec(
        all
      )) ||
    /Could not connect to EMR cluster\. Please check your network settings/.test(
      all
    ) ||
    [
      'EndpointConnectionError',
      'ConnectTimeoutError',
      'ProxyConnectionError'
    ].includes(name)
  ) {
    return {
      cause: 'aws-unreachable',
      summary: `The job could not reach AWS${m?.[1] || m?.[2] ? ` at ${m[1] ?? m[2]}` : ''}.`,
      fix: "Check the job's network: a VPC job needs a route to AWS (NAT or VPC endpoints for STS, EMR and Secrets Manager), and AWS_ENDPOINT_URL, if set, must point at a reachable endpoint.",
      action: 'network'
    };
  }
  if (isArgumentError(exception.name)) {
    const p = argumentProblem(exception.name, exception.message, source);
    return {
      cause: 'magic-arguments',
      summary: `%sm_analytics refused its arguments: ${shorten(p.problem, 200)}.`,
      fix: /Checks in the panel/.test(p.fix)
        ? p.fix
        : `${p.fix} Checks in the panel finds such mistakes before the job runs.`,
      action: 'checks',
      flags: p.flags
    };
  }
  const inMagic = failure.frames.some(isMagicFrame);
  if (
    (m = /^'(username|password)'$/.exec(text)) &&
    name === 'KeyError' &&
    inMagic
  ) {
    return {
      cause: 'secret-without-keys',
      summary: `The secret has no "${m[1]}" key.`,
      fix: 'The secret must be JSON with lowercase keys "username" and "password": Check it in the panel, or create it again with Create from my credentials.',
      action: 'secret-check'
    };
  }
  if (
    name === 'JSONDecodeError' &&
    failure.frames.some(f => /sagemaker_studio_analytics_extension/.test(f))
  ) {
    return {
      cause: 'secret-not-json',
      summary: 'The secret is not JSON.',
      fix: 'Store the credentials as JSON {"username": ..., "password": ...}: Check it in the panel, or create it again with Create from my credentials.',
      action: 'secret-check'
    };
  }
  return null;
}

function diagnose(read: IRead): IVerdict {
  const { failure, source } = read;
  const message = fromMessage(failure, source);
  // The magic's own messages first (none of them holds an AWS error), but an
  // argument error only after AWS: its usage text holds none either.
  if (message && message.cause !== 'magic-arguments') {
    return message;
  }
  const aws = findAws(failure);
  if (aws) {
    return fromAws(aws, failure.exception);
  }
  if (message) {
    return message;
  }
  const { exception, frames } = failure;
  const ownCell = frames.some(isCellFrame);
  const library =
    frames.some(isMagicFrame) || isLibraryException(exception.name);
  if (ownCell && !library) {
    return {
      cause: 'user-code',
      summary:
        read.cell !== undefined
          ? `Cell ${read.cell} raised ${shorten(exception.line, MAX_DETAIL)}`
          : `The notebook raised ${shorten(exception.line, MAX_DETAIL)}`,
      fix:
        read.cell !== undefined
          ? `Open the output notebook at cell ${read.cell} to see the traceback; the error is in the notebook's own code.`
          : "Open the output notebook to see the traceback; the error is in the notebook's own code."
    };
  }
  return {
    cause: 'unknown',
    summary: shorten(exception.line, MAX_DETAIL),
    fix: library
      ? "%sm_analytics or its libraries raised this; open the run's output notebook or its log in the scheduler for the whole traceback."
      : "Open the run's output notebook or its log in the scheduler for the full error."
  };
}

/** Reads a failed run and names its cause. Never throws. */
export function diagnoseRun(run: IRunFailure): IRunDiagnosis {
  try {
    return diagnoseUnsafe(run);
  } catch {
    return {
      cause: 'unknown',
      summary: 'The run failed; its error could not be read.',
      fix: "Open the run's output notebook or its log in the scheduler for the full error.",
      detail: ''
    };
  }
}

function diagnoseUnsafe(run: IRunFailure): IRunDiagnosis {
  const status =
    typeof run?.statusMessage === 'string'
      ? cleanTerminalText(tail(run.statusMessage))
      : '';
  let read: IRead | undefined;
  try {
    read = readCells(run?.cells);
  } catch {
    read = undefined;
  }
  if (!read && status) {
    const failure = readTraceback(status);
    if (failure) {
      read = { failure, source: status };
    }
  }
  if (!read && status) {
    // No `Name: message` line: the last line that says something stands for the exception
    // (some schedulers keep the message without its class).
    const line = lastErrorLine(status);
    if (line) {
      const exception: IException = { name: '', message: line, line };
      const verdict = diagnose({
        failure: { exception, chain: [], frames: [] },
        source: status
      });
      if (verdict.cause !== 'unknown') {
        return {
          cause: verdict.cause,
          summary: verdict.summary,
          fix: verdict.fix,
          ...(verdict.action ? { action: verdict.action } : {}),
          detail: line,
          ...(verdict.aws ? { aws: verdict.aws } : {}),
          ...(verdict.flags && verdict.flags.length
            ? { flags: verdict.flags }
            : {})
        };
      }
    }
  }
  if (!read) {
    const detail = lastErrorLine(status);
    return {
      cause: 'unknown',
      summary: detail
        ? `The run failed: ${detail}`
        : 'The run failed without an error message.',
      fix: "Open the run's output notebook or its log in the scheduler for the full error.",
      detail
    };
  }
  if (!read.source && status) {
    read.source = status;
  }
  const verdict = diagnose(read);
  return {
    cause: verdict.cause,
    summary: verdict.summary,
    fix: verdict.fix,
    ...(verdict.action ? { action: verdict.action } : {}),
    ...(read.cell !== undefined ? { cell: read.cell } : {}),
    detail: shorten(read.failure.exception.line.trim(), MAX_DETAIL),
    ...(verdict.aws ? { aws: verdict.aws } : {}),
    ...(verdict.flags && verdict.flags.length ? { flags: verdict.flags } : {})
  };
}
