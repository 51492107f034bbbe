/**
 * `emr-schedule-admin`: provisions the Secrets Manager secrets that scheduled
 * EMR notebooks connect with, and prints the IAM policies they need, from the
 * same policy code as the panel, and checks a scheduled run's network with
 * the panel's evaluator.
 *
 * Exit codes: 0 success, 1 a problem with AWS or with the secret, or a
 * blocked network path, 2 wrong usage. Every failure is one line on stderr; no secret value is printed.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

import {
  accountFromArn,
  findPolicyKind,
  IPolicyDocument,
  IPolicyInputs,
  IPolicyKindInfo,
  POLICY_FIELDS,
  POLICY_KINDS,
  PolicyField,
  PolicyInputError,
  regionFromArn,
  renderPolicy
} from '../core/policies';
import { describeNetwork, evaluateNetwork } from '../core/network';
import { describeCheck, ISecretCheck } from '../core/secretCheck';
import {
  validateApplicationId,
  validateClusterId,
  validateSecretId
} from '../core/validate';
import { IParsedArgs, parseArgs, UsageError } from './args';
import {
  gatherNetwork,
  INetworkClients,
  INetworkQuery,
  networkClients
} from './network';
import {
  AwsCallError,
  checkSecret,
  createOrUpdateSecret,
  IClientOptions,
  secretsManagerClient
} from './secrets';

export const PROGRAM = 'emr-schedule-admin';

/** What the commands use of the outside world; tests pass their own. */
export interface ICliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** The password: piped stdin, or typed at a prompt that does not echo. */
  readPassword(prompt: string): Promise<string>;
  env: NodeJS.ProcessEnv;
  secretsManager(options: IClientOptions): SecretsManagerClient;
  /** The EMR, EC2 and SageMaker clients of `network-check`. */
  network(options: IClientOptions): INetworkClients;
}

interface ICommand {
  summary: string;
  help(): string;
  run(argv: readonly string[], io: ICliIo): Promise<number>;
}

const AWS_NOTE = [
  'AWS: the standard credential chain (profile, SSO, role, environment);',
  'the region from --region, AWS_REGION or AWS_DEFAULT_REGION; AWS_ENDPOINT_URL',
  'sends every call to another endpoint, such as the demo’s local AWS.'
].join('\n');

/** `text` broken into lines of at most `width` characters, each indented. */
function wrap(text: string, indent: number, width = 79): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && indent + line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  return [...lines, line].map(l => ' '.repeat(indent) + l);
}

function table(rows: [string, string][], indent = 2): string {
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  return rows
    .map(([left, right]) => ' '.repeat(indent) + left.padEnd(width) + right)
    .join('\n');
}

// --- policy ------------------------------------------------------------------

/** `--secret-arn` is accepted for `--secret`. */
const FLAG_ALIASES: Record<string, string> = { '--secret-arn': '--secret' };

const FIELD_BY_FLAG = new Map<string, PolicyField>(
  (Object.keys(POLICY_FIELDS) as PolicyField[]).map(field => [
    POLICY_FIELDS[field].flag,
    field
  ])
);

function kindFlags(kind: IPolicyKindInfo): string {
  const flags = [
    ...kind.required.map(f => POLICY_FIELDS[f].flag),
    ...kind.optional.map(f => `[${POLICY_FIELDS[f].flag}]`)
  ];
  return flags.length ? flags.join(' ') : '(no options)';
}

function policyHelp(kind?: IPolicyKindInfo): string {
  const kinds = kind ? [kind] : (POLICY_KINDS as readonly IPolicyKindInfo[]);
  const fields = new Set<PolicyField>(
    kinds.flatMap(k => [...k.required, ...k.optional])
  );
  const lines = [
    `Usage: ${PROGRAM} policy ${kind ? kind.id : '<kind>'} [options]`,
    '',
    'Prints an IAM policy document as JSON. Resources are as narrow as the',
    'options allow: exact ARNs wherever they are known.',
    '',
    kind ? 'Kind:' : 'Kinds:'
  ];
  for (const k of kinds) {
    lines.push(
      `  ${k.id}`,
      ...wrap(`${k.title}. ${k.where}`, 6),
      ...wrap(`Options: ${kindFlags(k)}`, 6),
      ...(k.note ? wrap(k.note, 6) : [])
    );
  }
  const rows: [string, string][] = [...fields].map(f => [
    POLICY_FIELDS[f].flag,
    `${POLICY_FIELDS[f].label}, e.g. ${POLICY_FIELDS[f].example}`
  ]);
  if (fields.has('secretId')) {
    rows.push(['--secret-arn', 'Same as --secret']);
  }
  rows.push(['-h, --help', 'Show this help']);
  lines.push('', 'Options:', table(rows), '');
  return lines.join('\n');
}

async function runPolicy(argv: readonly string[], io: ICliIo): Promise<number> {
  const flags = [...FIELD_BY_FLAG.keys(), ...Object.keys(FLAG_ALIASES)];
  const args = parseArgs(argv, { options: flags }, 'policy');
  const [kindName, ...extra] = args.positionals;
  const kind = kindName === undefined ? undefined : findPolicyKind(kindName);
  if (args.help) {
    io.stdout(policyHelp(kind));
    return 0;
  }
  const kinds = POLICY_KINDS.map(k => k.id).join(', ');
  if (kindName === undefined) {
    throw new UsageError(`name a policy kind: ${kinds}.`);
  }
  if (!kind) {
    throw new UsageError(
      `unknown policy kind ${kindName.slice(0, 64)}; the kinds are ${kinds}.`
    );
  }
  if (extra.length) {
    throw new UsageError('policy takes one kind and options only.');
  }
  io.stdout(
    JSON.stringify(kind.build(policyInputs(kind, args)), null, 2) + '\n'
  );
  return 0;
}

function policyInputs(kind: IPolicyKindInfo, args: IParsedArgs): IPolicyInputs {
  const accepted = new Set<PolicyField>([...kind.required, ...kind.optional]);
  const inputs: IPolicyInputs = {};
  for (const [given, value] of args.options) {
    const flag = FLAG_ALIASES[given] ?? given;
    const field = FIELD_BY_FLAG.get(flag) as PolicyField;
    if (!accepted.has(field)) {
      throw new UsageError(
        `${given} does not apply to the policy ${kind.id}; it takes ${kindFlags(kind)}.`
      );
    }
    if (inputs[field] !== undefined) {
      throw new UsageError(`${flag} is given twice.`);
    }
    inputs[field] = value;
  }
  return inputs;
}

// --- create-secret -----------------------------------------------------------

type SecretPolicyChoice = 'shared' | 'per-user' | 'none';

const CREATE_OPTIONS = [
  '--name',
  '--username',
  '--user-identity',
  '--description',
  '--policy',
  '--role-arn',
  '--region'
];

function createHelp(): string {
  return [
    `Usage: ${PROGRAM} create-secret --name NAME --username USER [options] < password`,
    '',
    'Stores {"username": USER, "password": ...} as a Secrets Manager secret, or gives',
    'an existing secret of that name the new value (and tag), then attaches a',
    'resource policy. The password is read from stdin (typed at a prompt that does',
    'not echo, or piped); never pass it as an argument. Prints the name and ARN.',
    '',
    'Options:',
    table([
      ['--name NAME', 'Secret name, e.g. emr/users/analyst-1'],
      ['--username USER', 'The user name the cluster authenticates'],
      [
        '--user-identity TAG',
        'Tag user-identity=TAG (the per-user policy compares it)'
      ],
      ['--description TEXT', 'Secret description'],
      [
        '--policy KIND',
        'shared, per-user or none. Default: per-user with --user-identity,'
      ],
      ['', 'else shared with --role-arn, else none'],
      ['--role-arn ARN', 'The execution role the policy lets read the secret;'],
      ['', 'per-user without it names the whole account'],
      ['--region REGION', 'AWS region (default: AWS_REGION)'],
      ['-h, --help', 'Show this help']
    ]),
    '',
    'Example:',
    `  read -rs PW && printf '%s' "$PW" | ${PROGRAM} create-secret \\`,
    '    --name emr/users/analyst-3 --username analyst-3 --user-identity analyst-3',
    '',
    AWS_NOTE,
    ''
  ].join('\n');
}

const USER_IDENTITY_RE = /^[\p{L}\p{Z}\p{N}_.:/=+@-]{1,256}$/u;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

function option(args: IParsedArgs, name: string): string {
  return args.options.get(name) ?? '';
}

function requireOption(args: IParsedArgs, name: string, what: string): string {
  const value = option(args, name);
  if (!value) {
    throw new UsageError(`${name} is required: ${what}.`);
  }
  return value;
}

function secretPolicyChoice(args: IParsedArgs): SecretPolicyChoice {
  const given = option(args, '--policy');
  if (!given) {
    if (option(args, '--user-identity')) {
      return 'per-user';
    }
    return option(args, '--role-arn') ? 'shared' : 'none';
  }
  if (given !== 'shared' && given !== 'per-user' && given !== 'none') {
    throw new UsageError('--policy is shared, per-user or none.');
  }
  return given;
}

async function runCreateSecret(
  argv: readonly string[],
  io: ICliIo
): Promise<number> {
  const args = parseArgs(argv, { options: CREATE_OPTIONS }, 'create-secret');
  if (args.help) {
    io.stdout(createHelp());
    return 0;
  }
  if (args.positionals.length) {
    throw new UsageError(
      'create-secret takes options only; the password is read from stdin.'
    );
  }
  const name = requireOption(args, '--name', 'the secret name');
  const nameProblem = name.startsWith('arn:')
    ? 'give the secret’s name, not its ARN.'
    : validateSecretId(name);
  if (nameProblem) {
    throw new UsageError(`--name: ${nameProblem}`);
  }
  const username = requireOption(args, '--username', 'the user name');
  if (CONTROL_CHARS.test(username) || username.length > 256) {
    throw new UsageError(
      '--username: at most 256 characters, without control characters.'
    );
  }
  const userIdentity = option(args, '--user-identity');
  if (userIdentity && !USER_IDENTITY_RE.test(userIdentity)) {
    throw new UsageError(
      '--user-identity: a tag value of at most 256 letters, digits, spaces and _ . : / = + - @.'
    );
  }
  const description = option(args, '--description');
  if (CONTROL_CHARS.test(description) || description.length > 2048) {
    throw new UsageError('--description: at most 2048 characters on one line.');
  }
  const choice = secretPolicyChoice(args);
  const roleArn = option(args, '--role-arn');
  if (choice === 'per-user' && !userIdentity) {
    throw new UsageError(
      '--policy per-user needs --user-identity: the tag the policy compares with the caller’s.'
    );
  }
  if (choice === 'none' && roleArn) {
    throw new UsageError(
      '--role-arn is only used by --policy shared or per-user.'
    );
  }
  // Policies are built before any AWS call, so a bad role ARN changes nothing.
  let policyFor: ((arn: string) => IPolicyDocument) | null = null;
  if (choice === 'shared') {
    const shared = renderPolicy('secret-shared', { roleArn });
    policyFor = () => shared;
  } else if (choice === 'per-user') {
    const perUser = roleArn
      ? renderPolicy('secret-per-user', { roleArn })
      : null;
    policyFor = (arn: string) =>
      perUser ??
      renderPolicy('secret-per-user', {
        account: accountFromArn(arn) ?? '',
        region: regionFromArn(arn) ?? ''
      });
  }

  const password = stripNewline(
    await io.readPassword(`Password for ${username} (not shown): `)
  );
  if (!password) {
    throw new UsageError(
      'no password on stdin: type it at the prompt or pipe it in, e.g. printf \'%s\' "$PW" | ...'
    );
  }
  const client = io.secretsManager({
    region: option(args, '--region'),
    env: io.env
  });
  const ref = await createOrUpdateSecret(client, {
    name,
    username,
    password,
    description,
    userIdentity,
    policyFor
  });
  io.stderr(
    `${ref.created ? 'Created' : 'Updated'} the secret ${ref.name}` +
      (choice === 'none'
        ? '.\n'
        : `; attached the ${choice} resource policy.\n`)
  );
  io.stdout(JSON.stringify({ name: ref.name, arn: ref.arn }) + '\n');
  return 0;
}

/** One line break at the end comes from `echo` or the Enter key, not the password. */
function stripNewline(text: string): string {
  return text.replace(/\r?\n$/, '');
}

// --- check-secret ------------------------------------------------------------

function checkHelp(): string {
  return [
    `Usage: ${PROGRAM} check-secret <name-or-arn> [--json] [--region REGION]`,
    '',
    'Checks a secret as the panel does: it exists, it is readable, it is a JSON',
    'object with the lowercase keys username and password; shows its tags. Never',
    'prints the value. Exits 1 when a scheduled job could not use the secret.',
    '',
    'Options:',
    table([
      ['--json', 'Print the check as JSON'],
      ['--region REGION', 'AWS region (default: AWS_REGION)'],
      ['-h, --help', 'Show this help']
    ]),
    '',
    AWS_NOTE,
    ''
  ].join('\n');
}

function yesNo(value: boolean): string {
  return value ? 'yes' : 'no';
}

function checkReport(check: ISecretCheck): string {
  const tags = Object.entries(check.tags)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  return (
    table(
      [
        ['Secret', check.secretId],
        ['ARN', check.arn ?? '-'],
        ['Exists', yesNo(check.exists)],
        ['Readable', yesNo(check.readable)],
        ['JSON object', yesNo(check.json)],
        ['username', yesNo(check.hasUsername)],
        ['password', yesNo(check.hasPassword)],
        ['Tags', tags || '-'],
        ['Result', describeCheck(check)]
      ],
      0
    ) + '\n'
  );
}

async function runCheckSecret(
  argv: readonly string[],
  io: ICliIo
): Promise<number> {
  const args = parseArgs(
    argv,
    { options: ['--region'], switches: ['--json'] },
    'check-secret'
  );
  if (args.help) {
    io.stdout(checkHelp());
    return 0;
  }
  if (args.positionals.length !== 1) {
    throw new UsageError('check-secret takes one secret name or ARN.');
  }
  const secretId = args.positionals[0];
  const problem = validateSecretId(secretId);
  if (problem) {
    throw new UsageError(problem);
  }
  const client = io.secretsManager({
    region: option(args, '--region'),
    env: io.env
  });
  const check = await checkSecret(client, secretId);
  io.stdout(
    args.switches.has('--json')
      ? JSON.stringify(check, null, 2) + '\n'
      : checkReport(check)
  );
  if (check.problem) {
    io.stderr(`${PROGRAM}: ${check.problem}\n`);
    return 1;
  }
  return 0;
}

// --- network-check -----------------------------------------------------------

/** The server route's patterns (jupyterlab_emr_schedule/network.py). */
const SUBNET_ID = /^subnet-[0-9a-f]{8,17}$/;
const GROUP_ID = /^sg-[0-9a-f]{8,17}$/;
const DOMAIN_ID = /^d-(-*[a-z0-9]){1,61}$/;
const SPACE_OR_PROFILE = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
/** A job's VpcConfig holds at most 16 subnets and 5 security groups. */
const MAX_SUBNETS = 16;
const MAX_GROUPS = 5;

function networkHelp(): string {
  return [
    `Usage: ${PROGRAM} network-check (--cluster-id ID | --application-id ID) [options]`,
    '',
    'Checks, as the panel’s Network section does, whether a scheduled run of a',
    'notebook reaches the cluster: one line per path (Livy, the KDC, each AWS API',
    'the job uses), saying why, or what is missing and the command that adds it.',
    'Only read-only calls. Exits 1 when a path is blocked, 0 when none is (a path',
    'it could not check is printed as UNKNOWN, with what it could not see).',
    '',
    'The job’s subnets and security groups: --subnets and --security-groups, else',
    'those SageMaker’s job form preselects from --domain-id (its subnets; the',
    'space’s, user profile’s or domain’s security groups).',
    '',
    'Options:',
    table([
      ['--cluster-id ID', 'The EMR cluster, e.g. j-1ABCDEFGHIJKL'],
      ['--application-id ID', 'Or the EMR Serverless application'],
      ['--subnets A,B', 'The job’s subnets (comma-separated)'],
      ['--security-groups X,Y', 'The job’s security groups (comma-separated)'],
      ['--domain-id ID', 'The SageMaker domain the job comes from, e.g. d-abc'],
      ['--space-name NAME', 'Its space, whose security groups the job takes'],
      ['--user-profile-name NAME', 'Or its user profile'],
      ['--secret', 'The cell reads a secret: check Secrets Manager too'],
      ['--json', 'Print the facts and the report as JSON'],
      ['--region REGION', 'AWS region (default: AWS_REGION)'],
      ['-h, --help', 'Show this help']
    ]),
    '',
    'Example:',
    `  ${PROGRAM} network-check --cluster-id j-1ABCDEFGHIJKL \\`,
    '    --domain-id d-abc123 --space-name analytics --secret',
    '',
    AWS_NOTE,
    ''
  ].join('\n');
}

/** The ids of a comma-separated option, without repeats; absent when not given. */
function idList(
  args: IParsedArgs,
  name: string,
  pattern: RegExp,
  limit: number,
  what: string
): string[] | undefined {
  const text = args.options.get(name);
  if (text === undefined) {
    return undefined;
  }
  const ids = [...new Set(text.split(',').filter(Boolean))];
  if (ids.length > limit || !ids.every(id => pattern.test(id))) {
    throw new UsageError(
      `${name} is a comma-separated list of at most ${limit} ${what} ids.`
    );
  }
  return ids;
}

function networkQuery(args: IParsedArgs): INetworkQuery {
  const clusterId = option(args, '--cluster-id');
  const applicationId = option(args, '--application-id');
  if (Boolean(clusterId) === Boolean(applicationId)) {
    throw new UsageError(
      'give --cluster-id (an EMR cluster) or --application-id (EMR Serverless).'
    );
  }
  const problem = clusterId
    ? validateClusterId(clusterId)
    : validateApplicationId(applicationId);
  if (problem) {
    throw new UsageError(
      `${clusterId ? '--cluster-id' : '--application-id'}: ${problem}`
    );
  }
  const domainId = option(args, '--domain-id');
  const spaceName = option(args, '--space-name');
  const userProfileName = option(args, '--user-profile-name');
  if (domainId && !DOMAIN_ID.test(domainId)) {
    throw new UsageError('--domain-id: a SageMaker domain id is d-...');
  }
  for (const [name, value] of [
    ['--space-name', spaceName],
    ['--user-profile-name', userProfileName]
  ]) {
    if (value && !domainId) {
      throw new UsageError(`${name} needs --domain-id: the domain it is in.`);
    }
    if (value && !SPACE_OR_PROFILE.test(value)) {
      throw new UsageError(
        `${name}: letters, digits and inner hyphens, at most 63.`
      );
    }
  }
  if (spaceName && userProfileName) {
    throw new UsageError(
      'give --space-name or --user-profile-name, not both: the job takes one’s security groups.'
    );
  }
  return {
    clusterId,
    applicationId,
    subnets: idList(args, '--subnets', SUBNET_ID, MAX_SUBNETS, 'subnet'),
    securityGroups: idList(
      args,
      '--security-groups',
      GROUP_ID,
      MAX_GROUPS,
      'security group'
    ),
    domainId,
    spaceName,
    userProfileName
  };
}

async function runNetworkCheck(
  argv: readonly string[],
  io: ICliIo
): Promise<number> {
  const args = parseArgs(
    argv,
    {
      options: [
        '--cluster-id',
        '--application-id',
        '--subnets',
        '--security-groups',
        '--domain-id',
        '--space-name',
        '--user-profile-name',
        '--region'
      ],
      switches: ['--secret', '--json']
    },
    'network-check'
  );
  if (args.help) {
    io.stdout(networkHelp());
    return 0;
  }
  if (args.positionals.length) {
    throw new UsageError('network-check takes options only.');
  }
  const query = networkQuery(args);
  const facts = await gatherNetwork(
    io.network({ region: option(args, '--region'), env: io.env }),
    query
  );
  const report = evaluateNetwork(facts, {
    secret: args.switches.has('--secret')
  });
  if (args.switches.has('--json')) {
    io.stdout(JSON.stringify({ facts, report }, null, 2) + '\n');
  } else {
    const job = report.job;
    const header =
      job.source === 'none'
        ? 'Job network: none (SageMaker runs the job outside any VPC)'
        : `Job network: subnets ${job.subnets.join(', ') || '-'}; security groups ${job.securityGroups.join(', ') || '-'} (${job.source === 'domain' ? 'the domain’s defaults' : 'as given'})`;
    io.stdout([header, ...describeNetwork(report)].join('\n') + '\n');
  }
  const blocked = report.lines.filter(l => l.verdict === 'blocked');
  if (blocked.length) {
    io.stderr(
      `${PROGRAM}: blocked: ${blocked.map(l => l.title).join('; ')}.\n`
    );
    return 1;
  }
  return 0;
}

// --- Entry -----------------------------------------------------------------

const COMMANDS: Record<string, ICommand> = {
  policy: {
    summary: 'Print an IAM policy document as JSON',
    help: () => policyHelp(),
    run: runPolicy
  },
  'create-secret': {
    summary: 'Create or update a credentials secret (password on stdin)',
    help: createHelp,
    run: runCreateSecret
  },
  'check-secret': {
    summary: 'Check a secret as the panel does, never printing its value',
    help: checkHelp,
    run: runCheckSecret
  },
  'network-check': {
    summary: 'Check that a scheduled run reaches the cluster (exit 1: blocked)',
    help: networkHelp,
    run: runNetworkCheck
  }
};

export function usage(): string {
  return [
    `Usage: ${PROGRAM} <command> [options]`,
    '',
    'Provisions AWS Secrets Manager secrets for scheduled EMR notebooks, prints',
    'the IAM policies they need, and checks that a scheduled run reaches the',
    'cluster.',
    '',
    'Commands:',
    table(Object.entries(COMMANDS).map(([name, c]) => [name, c.summary])),
    '',
    `Run "${PROGRAM} <command> --help" for a command’s options.`,
    '',
    AWS_NOTE,
    ''
  ].join('\n');
}

function oneLine(text: string): string {
  return text.split(/\s+/).join(' ').trim();
}

/** Runs the command line; resolves to the exit code and never rejects. */
export async function main(
  argv: readonly string[],
  io: ICliIo
): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '-h' || name === '--help' || name === 'help') {
    io.stdout(usage());
    return 0;
  }
  if (name === undefined) {
    io.stderr(usage());
    return 2;
  }
  const command = Object.prototype.hasOwnProperty.call(COMMANDS, name)
    ? COMMANDS[name]
    : undefined;
  try {
    if (!command) {
      throw new UsageError(
        name.startsWith('-')
          ? `name a command before options: ${Object.keys(COMMANDS).join(', ')}.`
          : `unknown command ${name.slice(0, 64)}; the commands are ${Object.keys(COMMANDS).join(', ')}.`
      );
    }
    return await command.run(rest, io);
  } catch (error) {
    const help = command ? `${PROGRAM} ${name} --help` : `${PROGRAM} --help`;
    if (error instanceof UsageError) {
      io.stderr(`${PROGRAM}: ${oneLine(error.message)} (see ${help})\n`);
      return 2;
    }
    if (error instanceof PolicyInputError) {
      const flag = POLICY_FIELDS[error.field].flag;
      io.stderr(`${PROGRAM}: ${flag}: ${oneLine(error.problem)}\n`);
      return 2;
    }
    if (error instanceof AwsCallError) {
      io.stderr(`${PROGRAM}: ${oneLine(error.message)}\n`);
      return 1;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`${PROGRAM}: ${oneLine(message) || 'failed'}\n`);
    return 1;
  }
}

/** Reads all of piped stdin, or prompts on a terminal without echoing. */
function readPassword(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      stdin.on('data', (chunk: Buffer) => chunks.push(chunk));
      stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      stdin.on('error', reject);
    });
  }
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = (error?: Error) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      if (error) {
        reject(error);
      } else {
        resolve(typed);
      }
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') {
          finish();
          return;
        }
        if (ch === '\u0003') {
          finish(new UsageError('cancelled.'));
          return;
        }
        typed =
          ch === '\u007f' || ch === '\b' ? typed.slice(0, -1) : typed + ch;
      }
    };
    // No echo from here on, before the prompt invites typing.
    stdin.setRawMode(true);
    stdin.setEncoding('utf8');
    process.stderr.write(prompt);
    stdin.on('data', onData);
    stdin.resume();
  });
}

function nodeIo(): ICliIo {
  return {
    stdout: text => process.stdout.write(text),
    stderr: text => process.stderr.write(text),
    readPassword,
    env: process.env,
    secretsManager: secretsManagerClient,
    network: networkClients
  };
}

/** The `emr-schedule-admin` executable. */
export function run(): void {
  // The SDK's multi-line notice about future Node.js versions would break the
  // one-line error contract of stderr; setting the variable shows it again.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  void main(process.argv.slice(2), nodeIo()).then(code => {
    process.exitCode = code;
  });
}
