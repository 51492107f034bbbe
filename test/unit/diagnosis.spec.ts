import {
  cleanTerminalText,
  diagnoseRun,
  RunCause
} from '../../src/core/runs/diagnosis';
import { IRunFixture, runFixtures } from './runFixtures';

/**
 * Failures captured from real runs (test/server/capture_runs.py: run-now jobs
 * of jupyter-scheduler with the real %sm_analytics against the local AWS), and
 * the few no run can produce here, written from the library's source and
 * saying so in their `source`.
 */
type IFixture = IRunFixture;
const fixtures: IFixture[] = runFixtures;

const EXPECTED_CAUSES: RunCause[] = [
  'aws-unreachable',
  'credentials-expired',
  'secret-missing',
  'secret-access-denied',
  'secret-not-json',
  'secret-without-keys',
  'cluster-unknown',
  'primary-node-not-found',
  'livy-unreachable',
  'livy-unauthorized',
  'kerberos-kinit',
  'kerberos-password-wrong',
  'kerberos-principal-unknown',
  'headless-without-secret',
  'magic-arguments',
  'auth-type-mismatch',
  'extension-missing',
  'aws-access-denied',
  'aws-throttled',
  'aws-resource-not-found',
  'credentials-invalid',
  'user-code'
];

describe('the run corpus', () => {
  it('has a fixture for every cause the diagnosis names', () => {
    expect(fixtures.map(f => f.cause).sort()).toEqual(
      expect.arrayContaining([...EXPECTED_CAUSES].sort())
    );
  });

  it('says where each fixture came from', () => {
    for (const f of fixtures) {
      expect(f.source).toMatch(/^(Captured \d{4}-\d\d-\d\d|Written from)/);
    }
  });
});

describe.each(fixtures.map(f => [f.file, f] as const))(
  'the captured run %s',
  (_file, fixture) => {
    const cause = fixture.cause;
    it('is named from the output notebook and the status message', () => {
      const d = diagnoseRun({
        statusMessage: fixture.statusMessage,
        cells: fixture.cells
      });
      expect(d.cause).toBe(cause);
      expect(d.summary).toMatch(/\.$|[^\s]$/);
      expect(d.summary.length).toBeLessThan(400);
      expect(d.summary).not.toContain('\u001b');
      expect(d.summary).not.toContain('\n');
      expect(d.fix.length).toBeGreaterThan(20);
    });

    it('is named from the status message alone (no output notebook)', () => {
      if (!fixture.statusMessage) {
        return;
      }
      expect(diagnoseRun({ statusMessage: fixture.statusMessage }).cause).toBe(
        cause
      );
    });
  }
);

describe('what the user is told', () => {
  const byCause = (cause: RunCause) => {
    const f = fixtures.find(x => x.cause === cause)!;
    return diagnoseRun({ statusMessage: f.statusMessage, cells: f.cells });
  };
  const byFile = (file: string, statusOnly = false) => {
    const f = fixtures.find(x => x.file === file);
    if (!f) {
      throw new Error(`no fixture ${file}`);
    }
    return diagnoseRun({
      statusMessage: f.statusMessage,
      cells: statusOnly ? undefined : f.cells
    });
  };

  it('points at the panel feature that fixes it', () => {
    expect(byCause('secret-access-denied').action).toBe('policies');
    expect(byCause('secret-missing').action).toBe('secret-check');
    expect(byCause('secret-not-json').action).toBe('secret-check');
    expect(byCause('cluster-unknown').action).toBe('cluster-picker');
    expect(byCause('magic-arguments').action).toBe('checks');
    expect(byCause('headless-without-secret').action).toBe('checks');
    expect(byCause('livy-unreachable').action).toBe('network');
  });

  it('names the Livy host and port it could not reach', () => {
    expect(byCause('livy-unreachable').summary).toMatch(
      /Livy on the cluster's primary node \(ip-[\d-]+\.ec2\.internal:8998\)/
    );
  });

  it("quotes kinit's own reason", () => {
    expect(byCause('kerberos-kinit').summary).toContain(
      "Cannot contact any KDC for realm 'EC2.INTERNAL'"
    );
  });

  it('names the cell of an error in the notebook’s own code', () => {
    const d = byCause('user-code');
    expect(d.cell).toBe(2);
    expect(d.summary).toBe('Cell 2 raised ZeroDivisionError: division by zero');
  });

  it('names the IAM action of a denied DescribeCluster, not an unknown cluster', () => {
    for (const statusOnly of [false, true]) {
      const d = byFile('describe-cluster-denied', statusOnly);
      expect(d.cause).toBe('aws-access-denied');
      expect(d.summary).toContain('elasticmapreduce:DescribeCluster');
      expect(d.summary).toContain("job's role");
      expect(d.action).toBe('policies');
      expect(d.aws).toMatchObject({
        code: 'AccessDeniedException',
        operation: 'DescribeCluster'
      });
    }
    expect(byFile('list-instances-denied').summary).toContain(
      'elasticmapreduce:ListInstances'
    );
  });

  it('names the flag of an argument error, and its line rather than the usage text', () => {
    const auth = byFile('invalid-auth-type');
    expect(auth.cause).toBe('magic-arguments');
    expect(auth.flags).toEqual(['--auth-type']);
    expect(auth.summary).toContain('--auth-type LDAP');
    expect(auth.fix).toMatch(/Basic_Access/);
    expect(auth.detail).toMatch(/^MissingParametersError: Invalid auth type/);
    for (const file of ['missing-language', 'missing-language-emr']) {
      const d = byFile(file, true);
      expect(d.cause).toBe('magic-arguments');
      expect(d.flags).toEqual(['--language']);
      expect(d.detail).toMatch(
        /^MissingParametersError: Missing required argument '--language'/
      );
      expect(d.summary).not.toMatch(/help/);
    }
    expect(byFile('bad-role-arn').flags).toEqual(['--emr-execution-role-arn']);
    expect(byFile('serverless-missing-role').flags).toEqual([
      '--emr-execution-role-arn'
    ]);
    expect(byFile('serverless-with-cluster-flags').flags).toEqual([
      '--auth-type'
    ]);
    expect(byFile('magic-arguments').flags).toEqual(['--secrets']);
  });

  it('tells throttling, a missing application and a KMS key apart from access', () => {
    expect(byFile('secret-throttled').summary).toMatch(
      /throttled.*GetSecretValue/
    );
    expect(byFile('secret-kms-decrypt').summary).toContain('kms:Decrypt');
    expect(byFile('serverless-application-unknown').summary).toContain(
      '00fnosuchapp0001'
    );
    expect(byFile('assume-role-denied').summary).toContain('sts:AssumeRole');
    expect(byFile('serverless-start-denied').summary).toContain(
      'emr-serverless:StartApplication'
    );
  });

  it('names the unknown cluster id', () => {
    // (The Runs section's UI test reads this sentence.)
    expect(byCause('cluster-unknown').summary).toBe(
      'No EMR cluster j-0NOSUCHCLUSTER1 exists in this account and region.'
    );
  });
});

describe('junk never throws and is never guessed at', () => {
  it('an empty run', () => {
    expect(diagnoseRun({})).toMatchObject({
      cause: 'unknown',
      summary: 'The run failed without an error message.'
    });
    expect(diagnoseRun({ statusMessage: '', cells: [] }).cause).toBe('unknown');
  });

  it('malformed input', () => {
    expect(() =>
      diagnoseRun({
        statusMessage: null,
        cells: [null, { outputs: [null] }, { outputs: 'x' }] as never
      })
    ).not.toThrow();
    expect(() => diagnoseRun(undefined as never)).not.toThrow();
  });

  it('a huge message is read from its end, quickly', () => {
    const huge =
      'x'.repeat(5_000_000) +
      '\nLivyConnectionError: Cannot connect to livy service at ip-10-0-0-1.ec2.internal:8998 or h:8998';
    const t = Date.now();
    expect(diagnoseRun({ statusMessage: huge }).cause).toBe('livy-unreachable');
    expect(Date.now() - t).toBeLessThan(2000);
  });

  it('pathological text is read in linear time', () => {
    const t = Date.now();
    for (const text of [
      ' '.repeat(150_000) + 'x',
      'ValueError: a' + ' \n'.repeat(60_000) + 'x',
      'a.'.repeat(80_000) + '!',
      "Error: {'Code': '" + 'A'.repeat(100_000)
    ]) {
      expect(diagnoseRun({ statusMessage: text }).cause).toBe('unknown');
    }
    expect(Date.now() - t).toBeLessThan(3000);
  });

  it('an AWS error whose class the scheduler left out is still read', () => {
    const d = diagnoseRun({
      statusMessage:
        'Run failed\nAn error occurred (AccessDeniedException) when calling the ListInstances operation: denied'
    });
    expect(d.cause).toBe('aws-access-denied');
    expect(d.summary).toContain('elasticmapreduce:ListInstances');
  });

  it('binary bytes become the cleaned last line', () => {
    const d = diagnoseRun({
      statusMessage:
        '\u0000\u0001\u0002garbage\u007f\nFatal: \u001b[31mboom\u001b[0m'
    });
    expect(d.cause).toBe('unknown');
    expect(d.summary).toBe('The run failed: Fatal: boom');
  });

  it("another language's traceback is reported, not matched to an EMR cause", () => {
    const scala = [
      'org.apache.spark.sql.AnalysisException: Table or view not found: sales;',
      '  at org.apache.spark.sql.catalyst.analysis.package$AnalysisErrorAt.failAnalysis(package.scala:42)'
    ].join('\n');
    const d = diagnoseRun({ statusMessage: scala });
    expect(d.cause).toBe('unknown');
    // The exception's own line, not the last line of its stack.
    expect(d.detail).toBe(
      'org.apache.spark.sql.AnalysisException: Table or view not found: sales;'
    );
    expect(d.summary).toBe(d.detail);
    // No cell frame: not said to be the notebook's code.
    const js = 'TypeError: Cannot read properties of undefined (reading "x")';
    expect(diagnoseRun({ statusMessage: js }).cause).toBe('unknown');
  });

  it('terminal colour codes are removed', () => {
    expect(
      cleanTerminalText('\u001b[0;31mError\u001b[0m: \u001b[1mx\u001b[0m')
    ).toBe('Error: x');
  });
});

describe('Kerberos sign-in against the real KDC', () => {
  const byFile = (name: string) => {
    const f = fixtures.find(x => x.file === name);
    if (!f) {
      throw new Error(`no fixture ${name}`);
    }
    return diagnoseRun({ statusMessage: f.statusMessage, cells: f.cells });
  };

  it('a wrong password names the user whose password it is not, and the secret’s Check', () => {
    const d = byFile('kerberos-password-wrong');
    expect(d.summary).toContain(
      "the secret's password is not the Kerberos password of analyst-2"
    );
    expect(d.action).toBe('secret-check');
  });

  it('a principal the KDC does not know is named, with the secret’s Check', () => {
    const d = byFile('kerberos-principal-unknown');
    expect(d.summary).toContain('analyst-9@EC2.INTERNAL');
    expect(d.action).toBe('secret-check');
  });

  it('a KDC that does not answer points at the network, not the secret', () => {
    const d = byFile('kerberos-kinit');
    expect(d.summary).toContain('Cannot contact any KDC');
    expect(d.fix).toContain('port 88');
    expect(d.action).toBe('network');
  });
});
