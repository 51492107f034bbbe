import { parseArgs, UsageError } from '../../src/admin/args';
import { ICliIo, main } from '../../src/admin/cli';
import { translate } from '../../src/admin/secrets';
import { POLICY_KINDS, renderPolicy } from '../../src/core/policies';

const ROLE = 'arn:aws:iam::123456789012:role/emr-notebook-jobs';

interface IRun {
  code: number;
  stdout: string;
  stderr: string;
  passwordRead: boolean;
  clientMade: boolean;
}

async function run(argv: string[], password = ''): Promise<IRun> {
  const out: IRun = {
    code: -1,
    stdout: '',
    stderr: '',
    passwordRead: false,
    clientMade: false
  };
  const io: ICliIo = {
    stdout: text => {
      out.stdout += text;
    },
    stderr: text => {
      out.stderr += text;
    },
    readPassword: async () => {
      out.passwordRead = true;
      return password;
    },
    env: {},
    secretsManager: () => {
      out.clientMade = true;
      throw new Error('no AWS in unit tests');
    },
    network: () => {
      out.clientMade = true;
      throw new Error('no AWS in unit tests');
    }
  };
  out.code = await main(argv, io);
  return out;
}

describe('argument parser', () => {
  const spec = { options: ['--name', '--role-arn'], switches: ['--json'] };

  it('reads --name value, --name=value, switches, positionals and --', () => {
    const args = parseArgs(
      ['x', '--name', 'a', '--role-arn=b=c', '--json', '--', '--not-an-option'],
      spec,
      'test'
    );
    expect(args.positionals).toEqual(['x', '--not-an-option']);
    expect(Object.fromEntries(args.options)).toEqual({
      '--name': 'a',
      '--role-arn': 'b=c'
    });
    expect(args.switches.has('--json')).toBe(true);
    expect(args.help).toBe(false);
    expect(parseArgs(['-h'], spec, 'test').help).toBe(true);
  });

  it.each([
    [['--nme', 'a'], /unknown option --nme/],
    [['--name'], /--name needs a value/],
    [['--name', '--json'], /--name needs a value/],
    [['--name', 'a', '--name', 'b'], /given twice/],
    [['--json=yes'], /takes no value/],
    [['--password', 'hunter2'], /--password is not accepted/],
    [['--password=hunter2'], /--password is not accepted/]
  ])('%j is refused', (argv, message) => {
    expect(() => parseArgs(argv, spec, 'test')).toThrow(UsageError);
    expect(() => parseArgs(argv, spec, 'test')).toThrow(message);
  });

  it('never echoes an option value', () => {
    try {
      parseArgs(['--secret=hunter2'], spec, 'test');
    } catch (error) {
      expect(String(error)).not.toContain('hunter2');
    }
  });
});

const CLUSTER = 'j-1ABCDEFGHIJKL';
const SUBNET = 'subnet-0a1b2c3d4e5f60718';
const GROUP = 'sg-0123abcd';

/** network-check's wrong usages, refused before any AWS client is made. */
const NETWORK_USAGE: [string[], RegExp][] = [
  [['network-check'], /give --cluster-id .* or --application-id/],
  [
    ['network-check', '--cluster-id', CLUSTER, '--application-id', 'abc'],
    /give --cluster-id .* or --application-id/
  ],
  [
    ['network-check', '--cluster-id', 'cluster-1'],
    /--cluster-id: A cluster id/
  ],
  [
    ['network-check', '--application-id', 'App-1'],
    /--application-id: .*capital letter/
  ],
  [['network-check', CLUSTER], /takes options only/],
  [['network-check', '--cluster', CLUSTER], /unknown option --cluster /],
  [
    ['network-check', '--cluster-id', CLUSTER, '--subnets', `${SUBNET},vpc-1`],
    /--subnets is a comma-separated list of at most 16 subnet ids/
  ],
  [
    [
      'network-check',
      '--cluster-id',
      CLUSTER,
      '--security-groups',
      ['1', '2', '3', '4', '5', '6'].map(i => `sg-0000000${i}`).join(',')
    ],
    /at most 5 security group ids/
  ],
  [
    ['network-check', '--cluster-id', CLUSTER, '--domain-id', 'domain-1'],
    /--domain-id: a SageMaker domain id/
  ],
  [
    ['network-check', '--cluster-id', CLUSTER, '--space-name', 'team'],
    /--space-name needs --domain-id/
  ],
  [
    [
      'network-check',
      '--cluster-id',
      CLUSTER,
      '--domain-id',
      'd-abc123',
      '--user-profile-name',
      'a b'
    ],
    /--user-profile-name: letters, digits/
  ],
  [
    [
      'network-check',
      '--cluster-id',
      CLUSTER,
      '--domain-id',
      'd-abc123',
      '--space-name',
      'team',
      '--user-profile-name',
      'analyst'
    ],
    /not both/
  ],
  [['network-check', '--cluster-id', CLUSTER, '--json=yes'], /takes no value/]
];

describe('emr-schedule-admin', () => {
  it.each([[['--help']], [['-h']], [['help']]])(
    '%j prints the usage',
    async argv => {
      const result = await run(argv);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^Usage: emr-schedule-admin <command>/);
      for (const command of [
        'policy',
        'create-secret',
        'check-secret',
        'network-check'
      ]) {
        expect(result.stdout).toContain(command);
      }
    }
  );

  it.each([
    ['policy'],
    ['create-secret'],
    ['check-secret'],
    ['network-check'],
    ...POLICY_KINDS.map(k => ['policy', k.id])
  ])('%s %s --help exits 0', async (...argv: string[]) => {
    const result = await run([...argv.filter(Boolean), '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: emr-schedule-admin /);
    expect(result.stderr).toBe('');
  });

  it('prints the same policy as the module', async () => {
    const result = await run(['policy', 'secret-shared', '--role-arn', ROLE]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(
      renderPolicy('secret-shared', { roleArn: ROLE })
    );
  });

  it('accepts --secret-arn for --secret', async () => {
    const arn =
      'arn:aws:secretsmanager:us-east-1:123456789012:secret:emr/x-AbCdEf';
    const result = await run([
      'policy',
      'execution-role-secret',
      '--secret-arn',
      arn
    ]);
    expect(JSON.parse(result.stdout).Statement[0].Resource).toBe(arn);
  });

  it.each([
    [['frob'], /unknown command frob/],
    [['--role-arn', ROLE], /name a command/],
    [['policy'], /name a policy kind/],
    [['policy', 'secret-everything'], /unknown policy kind/],
    [['policy', 'secret-shared', '--cluster', 'x'], /does not apply/],
    [['policy', 'secret-shared', '--role-arn', 'role'], /^[^:]+: --role-arn: /],
    [['check-secret'], /one secret name or ARN/],
    [['check-secret', 'a b'], /space/],
    [['create-secret', '--username', 'u'], /--name is required/],
    [
      [
        'create-secret',
        '--name',
        'arn:aws:secretsmanager:x',
        '--username',
        'u'
      ],
      /not its ARN/
    ],
    [
      [
        'create-secret',
        '--name',
        'n',
        '--username',
        'u',
        '--policy',
        'per-user'
      ],
      /needs --user-identity/
    ],
    [
      ['create-secret', '--name', 'n', '--username', 'u', '--role-arn', 'bad'],
      /--role-arn: Not an IAM role ARN/
    ],
    [
      ['create-secret', '--name', 'n', '--username', 'u', '--password', 'pw'],
      /--password is not accepted/
    ],
    ...NETWORK_USAGE
  ])('%j: one line on stderr, exit 2, no AWS', async (argv, message) => {
    const result = await run(argv);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.passwordRead).toBe(false);
    expect(result.clientMade).toBe(false);
  });

  it('refuses an empty password before calling AWS', async () => {
    const result = await run(
      ['create-secret', '--name', 'n', '--username', 'u'],
      '\n'
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no password on stdin/);
    expect(result.clientMade).toBe(false);
  });
});

describe('network-check', () => {
  it('makes its AWS clients only for well-formed input', async () => {
    // Repeated ids count once; empty items of a list are ignored.
    const result = await run([
      'network-check',
      '--cluster-id',
      CLUSTER,
      `--subnets=${SUBNET},,${SUBNET}`,
      '--security-groups',
      [GROUP, ...[1, 2, 3, 4].map(i => `sg-0000000${i}`), GROUP].join(','),
      '--domain-id',
      'd-abc123',
      '--space-name',
      'team-space',
      '--secret'
    ]);
    expect(result.clientMade).toBe(true);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('emr-schedule-admin: no AWS in unit tests\n');
  });

  it('says what it checks, where the job network comes from, and the exit codes', async () => {
    const result = await run(['network-check', '--help']);
    for (const option of [
      '--cluster-id',
      '--application-id',
      '--subnets',
      '--security-groups',
      '--domain-id',
      '--space-name',
      '--user-profile-name',
      '--secret',
      '--json',
      '--region'
    ]) {
      expect(result.stdout).toContain(`  ${option}`);
    }
    expect(result.stdout).toContain('Exits 1 when a path is blocked');
    expect(result.clientMade).toBe(false);
  });
});

describe('AWS errors in one line', () => {
  const sdkError = (name: string, status?: number, message = 'text') =>
    Object.assign(new Error(message), {
      name,
      $metadata: { httpStatusCode: status }
    });

  it('names the action AccessDenied is about', () => {
    const error = translate(
      sdkError('AccessDeniedException', 400),
      'secretsmanager:CreateSecret'
    );
    expect(error.message).toContain('secretsmanager:CreateSecret');
    expect(error.action).toBe('secretsmanager:CreateSecret');
  });

  it('leaves out AWS’s message for calls that carry the value', () => {
    const error = translate(
      sdkError('InvalidParameterException', 400, 'bad value s3cr3t'),
      'secretsmanager:PutSecretValue',
      false
    );
    expect(error.message).not.toContain('s3cr3t');
    expect(error.message).toContain('InvalidParameterException');
  });

  it.each([
    [
      'no credentials',
      sdkError('CredentialsProviderError'),
      /No AWS credentials/
    ],
    [
      'no region',
      sdkError('Error', undefined, 'Region is missing'),
      /No AWS region/
    ],
    [
      'refused connection',
      Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }),
      /could not be reached/
    ],
    ['throttling', sdkError('ThrottlingException', 400), /throttling/],
    ['expired token', sdkError('ExpiredTokenException', 400), /expired/],
    [
      'server error',
      sdkError('InternalServiceError', 500),
      /could not complete/
    ],
    [
      'multi-line message',
      sdkError('ValidationException', 400, 'line one\nline two'),
      /line one line two/
    ]
  ])('%s', (_, error, message) => {
    const translated = translate(error, 'secretsmanager:DescribeSecret');
    expect(translated.message).toMatch(message);
    expect(translated.message).not.toContain('\n');
  });
});
