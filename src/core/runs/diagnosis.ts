/**
 * Why a scheduled run failed, in one sentence, with what to do.
 *
 * Reads what a scheduler keeps of a failed run: its status message (with
 * open-source jupyter-scheduler, the whole cell and traceback with terminal
 * colour codes) and, when the output notebook is at hand, its error outputs.
 * The patterns come from real failing runs of `%sm_analytics` and its
 * libraries (test/fixtures/runs/). Anything not recognised is reported as the
 * run's last error line, cleaned: never a guess.
 */

/** The panel feature that helps with a cause. */
export type RunAction =
  'checks' | 'secret-check' | 'secret-create' | 'policies' | 'cluster-picker';

export type RunCause =
  | 'aws-unreachable'
  | 'credentials-missing'
  | 'credentials-expired'
  | 'secret-missing'
  | 'secret-access-denied'
  | 'secret-not-json'
  | 'secret-without-keys'
  | 'cluster-unknown'
  | 'primary-node-not-found'
  | 'livy-unreachable'
  | 'livy-unauthorized'
  | 'kerberos-kinit'
  | 'headless-without-secret'
  | 'magic-arguments'
  | 'auth-type-mismatch'
  | 'extension-missing'
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
  /** The run's last error line, cleaned (for the curious, and for 'unknown'). */
  detail: string;
}

export interface IRunOutput {
  output_type?: string;
  ename?: string;
  evalue?: string;
  text?: string | string[];
  traceback?: string[];
}

export interface IRunCell {
  cell_type?: string;
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

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b[@-Z\\-_]/g;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/** Text without terminal colour codes and other control characters. */
export function cleanTerminalText(text: string): string {
  return text.replace(ANSI, '').replace(CONTROL, '');
}

/**
 * IPython's tracebacks quote the source around each frame ("   1091  except
 * EndpointConnectionError as e:", "-> 1094  raise ..."): code, not what
 * happened, so it is left out before matching.
 */
const SOURCE_CONTEXT = /^\s*(?:-+>\s*)?\d+\s.*$/gm;

function withoutSourceContext(text: string): string {
  return text.replace(SOURCE_CONTEXT, '');
}

interface IRule {
  cause: Exclude<RunCause, 'user-code' | 'unknown'>;
  test: RegExp;
  summary: (m: RegExpMatchArray) => string;
  fix: string;
  action?: RunAction;
}

const RULES: IRule[] = [
  {
    cause: 'extension-missing',
    test: /No module named '?sagemaker_studio_analytics_extension|Line magic function `%?sm_analytics` not found/,
    summary: () =>
      "The job's kernel does not have the analytics extension (sagemaker-studio-analytics-extension), so %sm_analytics does not exist there.",
    fix: 'Install sagemaker-studio-analytics-extension in the image or environment the job runs in, or choose an image that has it (SageMaker Distribution, SparkMagic).'
  },
  {
    cause: 'headless-without-secret',
    test: /A --secret parameter needs to be added to run the Notebook in Headless mode/,
    summary: () =>
      'The connect line asks for a password (Kerberos, LDAP or HTTP Basic) but names no --secret, and a scheduled run has no one to type it.',
    fix: "Choose the secret in the panel and insert the connect cell again, so the line reads --secret from the job's variables.",
    action: 'checks'
  },
  {
    cause: 'auth-type-mismatch',
    test: /Cluster auth type does not match provided auth (\w+)/,
    summary: m =>
      `The cluster does not use the auth type the connect line gives (${m[1]}).`,
    fix: "Browse clusters in the panel and pick the cluster again: its detected auth type fills the field, then update the job's auth_type.",
    action: 'cluster-picker'
  },
  {
    cause: 'magic-arguments',
    test: /UsageError: (unrecognized arguments: .*|argument [-\w]+: .*)|InvalidParameterError: (Invalid argument|Missing required argument|.*is not a valid)/,
    summary: m =>
      `%sm_analytics refused its arguments: ${(m[1] ?? m[2] ?? '').trim()}.`,
    fix: 'Open Checks in the panel: it finds the wrong flags (--secrets, --auth, typographic dashes, a split line) and fixes them.',
    action: 'checks'
  },
  {
    cause: 'credentials-expired',
    test: /ExpiredToken|security token included in the request is expired|RequestExpired/,
    summary: () => "The job's AWS credentials had expired when it called AWS.",
    fix: "Give the job a role rather than stored keys (SageMaker jobs run with the role chosen in the form); if the server's credentials come from a login, sign in again before scheduling."
  },
  {
    cause: 'credentials-missing',
    test: /Unable to locate credentials|NoCredentialsError/,
    summary: () => 'The job found no AWS credentials.',
    fix: 'Run the job with a role (SageMaker) or give the scheduler process credentials; never write keys into the notebook.'
  },
  {
    cause: 'aws-unreachable',
    test: /Could not connect to the endpoint URL: "?([^"\s]+)"?|EndpointConnectionError|Connect timeout on endpoint URL: "?([^"\s]+)"?/,
    summary: m =>
      `The job could not reach AWS${m[1] || m[2] ? ` at ${m[1] ?? m[2]}` : ''}.`,
    fix: "Check the job's network: a VPC job needs a route to AWS (NAT or VPC endpoints for STS, EMR and Secrets Manager), and AWS_ENDPOINT_URL, if set, must point at a reachable endpoint."
  },
  {
    cause: 'secret-access-denied',
    test: /\(AccessDenied(?:Exception)?\) when calling the GetSecretValue operation|GetSecretValue.*AccessDenied|AccessDenied.*(?:kms:Decrypt|KMS)/,
    summary: m =>
      /kms/i.test(m[0])
        ? "The job's role may not decrypt the secret (KMS)."
        : "The job's role may not read the secret (AccessDenied on GetSecretValue).",
    fix: "Attach the execution role's secret policy (secretsmanager:GetSecretValue on the secret, and kms:Decrypt on its key if it has one), and check the secret's resource policy allows the role: see the panel's IAM policies.",
    action: 'policies'
  },
  {
    cause: 'secret-missing',
    test: /ResourceNotFoundException\)? when calling the GetSecretValue operation|Secrets Manager can't find the specified secret/,
    summary: () =>
      'The secret the job names does not exist (in this account and region).',
    fix: 'Check the secret_id variable of the job: pick the secret with Browse secrets and Check it in the panel, or create it with Create from my credentials.',
    action: 'secret-check'
  },
  {
    cause: 'secret-without-keys',
    test: /KeyError: '(username|password)'/,
    summary: m => `The secret has no "${m[1]}" key.`,
    fix: 'The secret must be JSON with lowercase keys "username" and "password": Check it in the panel, or create it again with Create from my credentials.',
    action: 'secret-check'
  },
  {
    cause: 'secret-not-json',
    test: /JSONDecodeError: .*|_get_secret[\s\S]*Expecting value/,
    summary: () => 'The secret is not JSON.',
    fix: 'Store the credentials as JSON {"username": ..., "password": ...}: Check it in the panel, or create it again with Create from my credentials.',
    action: 'secret-check'
  },
  {
    cause: 'kerberos-kinit',
    test: /(kinit: [^\n"\\]*)/,
    summary: m => `Kerberos sign-in failed: ${m[1].trim().replace(/\.$/, '')}.`,
    fix: "Check that the job can reach the cluster's KDC (port 88 on the primary node, security groups) and that the secret holds the Kerberos principal's user name and password."
  },
  {
    cause: 'livy-unauthorized',
    test: /Invalid status code '401' from (\S+)/,
    summary: m =>
      `Livy refused the credentials (401 from ${m[1].replace(/[,.]$/, '')}).`,
    fix: 'Check the user name and password in the secret against the cluster (LDAP or HTTP Basic); Check the secret in the panel.',
    action: 'secret-check'
  },
  {
    cause: 'livy-unreachable',
    test: /Cannot connect to livy service at (\S+?):(\d+)/,
    summary: m =>
      `The job could not reach Livy on the cluster's primary node (${m[1]}:${m[2]}).`,
    fix: "Allow the job's network to reach port 8998 on the primary node: the cluster's security group must admit the job's (or the Studio domain's) security group, in the same VPC or a peered one."
  },
  {
    cause: 'primary-node-not-found',
    test: /Failed to find primary node ip address/,
    summary: () =>
      'The cluster has no running primary node: it is terminated or still starting.',
    fix: 'Pick a running cluster with Browse clusters in the panel, and update the job.',
    action: 'cluster-picker'
  },
  {
    cause: 'cluster-unknown',
    test: /Unable to get Emr Cluster\(Id: ([^)]+)\)|Cluster id '?([\w-]+)'? is not valid/,
    summary: m =>
      `No EMR cluster ${m[1] ?? m[2]} exists in this account and region.`,
    fix: 'Pick the cluster with Browse clusters in the panel (clusters get new ids when they are re-created), and update the job.',
    action: 'cluster-picker'
  }
];

function joinText(text: string | string[] | undefined): string {
  return Array.isArray(text) ? text.join('') : (text ?? '');
}

function tail(text: string): string {
  return text.length > MAX_SCAN ? text.slice(text.length - MAX_SCAN) : text;
}

/** The last line of a cleaned text that says something (not a rule of dashes), shortened. */
export function lastErrorLine(text: string): string {
  const lines = cleanTerminalText(text)
    .split(/\r?\n/)
    .map(l => l.trim())
    .filter(l => /[\p{L}\p{N}]/u.test(l));
  const line = lines.length ? lines[lines.length - 1] : '';
  return line.length > MAX_DETAIL ? `${line.slice(0, MAX_DETAIL - 1)}…` : line;
}

interface IFailedCell {
  index: number;
  text: string;
  line: string;
}

/** The first code cell with an error output, and everything it printed. */
function failedCell(cells: IRunCell[] | undefined): IFailedCell | undefined {
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
    const error = outputs.find(o => o?.output_type === 'error');
    if (!error) {
      continue;
    }
    const printed = outputs
      .filter(o => o?.output_type === 'stream')
      .map(o => joinText(o.text));
    const traceback = Array.isArray(error.traceback)
      ? error.traceback.join('\n')
      : '';
    const line = `${error.ename ?? 'Error'}: ${error.evalue ?? ''}`;
    return {
      index,
      // The exception first: the patterns take the first match.
      text: cleanTerminalText([line, traceback, ...printed].join('\n')),
      line
    };
  }
  return undefined;
}

/** Reads a failed run and names its cause. Never throws. */
export function diagnoseRun(run: IRunFailure): IRunDiagnosis {
  const status =
    typeof run?.statusMessage === 'string'
      ? cleanTerminalText(tail(run.statusMessage))
      : '';
  let cell: IFailedCell | undefined;
  try {
    cell = failedCell(run?.cells);
  } catch {
    cell = undefined;
  }
  const text = withoutSourceContext(cell ? `${cell.text}\n${status}` : status);
  const detail = lastErrorLine(cell ? cell.line : status);
  for (const rule of RULES) {
    const match = text.match(rule.test);
    if (match) {
      return {
        cause: rule.cause,
        summary: rule.summary(match),
        fix: rule.fix,
        ...(rule.action ? { action: rule.action } : {}),
        ...(cell ? { cell: cell.index } : {}),
        detail
      };
    }
  }
  if (cell) {
    return {
      cause: 'user-code',
      summary: `Cell ${cell.index} raised ${lastErrorLine(cell.line)}`,
      fix: `Open the output notebook at cell ${cell.index} to see the traceback; the error is in the notebook's own code.`,
      cell: cell.index,
      detail
    };
  }
  const userError = status.match(
    /^(\w*(?:Error|Exception)): (.*)$(?![\s\S]*^\w*(?:Error|Exception): )/m
  );
  if (userError) {
    return {
      cause: 'user-code',
      summary: `The notebook raised ${userError[1]}: ${userError[2].trim().slice(0, MAX_DETAIL)}`,
      fix: 'Open the output notebook to see the traceback; the error is in the notebook’s own code.',
      detail
    };
  }
  return {
    cause: 'unknown',
    summary: detail
      ? `The run failed: ${detail}`
      : 'The run failed without an error message.',
    fix: "Open the run's output notebook or its log in the scheduler for the full error.",
    detail
  };
}
