import { readMagics } from '../../src/core/checker/grammar';
import {
  CELL_METADATA_KEY,
  connectCells,
  ConnectTarget,
  DEFAULT_CONNECT_OPTIONS,
  EMPTY_CONNECT_STATE,
  IConnectState,
  InvalidConnectStateError
} from '../../src/core/connectCell';
import { KernelFamily, kernelFamily } from '../../src/core/kernel';
import {
  adoptablePart,
  INotebookCellLike,
  isTestRunJob,
  TEST_RUN_TAG,
  testRunCells,
  testRunFileName,
  testRunFolder,
  testRunNotebook,
  testRunTarget
} from '../../src/core/testRun';

const SECRET =
  'arn:aws:secretsmanager:us-east-1:123456789012:secret:emr/users/analyst-1-AbCdEf';

const STATES: Record<ConnectTarget, IConnectState> = {
  cluster: {
    ...EMPTY_CONNECT_STATE,
    clusterId: 'j-1ABCDEFGHIJKL',
    authType: 'LDAP',
    secretId: SECRET
  },
  serverless: {
    ...EMPTY_CONNECT_STATE,
    target: 'serverless',
    applicationId: '00fabcdefghij012',
    executionRoleArn: 'arn:aws:iam::123456789012:role/emr-serverless-job'
  }
};

/** A kernel of each family, as JupyterLab names them. */
const KERNELS: Record<string, { name: string; display_name: string }> = {
  pyspark: { name: 'pysparkkernel', display_name: 'PySpark' },
  spark: { name: 'sparkkernel', display_name: 'Spark' },
  python: { name: 'python3', display_name: 'Python 3 (ipykernel)' }
};

const code = (
  source: string,
  metadata: Record<string, unknown> = {}
): INotebookCellLike => ({ cell_type: 'code', source, metadata });

/** A notebook with work of its own around whatever connect cells it has. */
function userNotebook(connect: INotebookCellLike[]): INotebookCellLike[] {
  return [
    { cell_type: 'markdown', source: '# Daily report', metadata: {} },
    ...connect,
    code('df = spark.read.parquet("s3://bucket/data/")\ndf.count()'),
    code('%%local\nprint("done")')
  ];
}

describe('a test run of a notebook without a connect cell', () => {
  for (const [kernel, spec] of Object.entries(KERNELS)) {
    const family = kernelFamily(spec);
    for (const target of ['cluster', 'serverless'] as const) {
      it(`${kernel} kernel, ${target}: the panel's connect cells, then the Spark probe`, () => {
        const state = STATES[target];
        const made = testRunCells(
          { cells: userNotebook([]) },
          family,
          state,
          DEFAULT_CONNECT_OPTIONS
        );
        expect(made.connectFrom).toBe('panel');
        const expected = connectCells(state, DEFAULT_CONNECT_OPTIONS, family);
        expect(made.cells.slice(0, -1)).toEqual(expected);
        // Nothing of the user's own work is in it.
        const all = made.cells.map(c => c.source).join('\n');
        expect(all).not.toContain('parquet');
        expect(all).not.toContain('print("done")');
        // The connect command is one the magic's grammar reads.
        const connect = made.cells.find(c => c.part === 'connect')!;
        const reading = readMagics(connect.source.split('\n')).find(
          m => m.reading.connect !== null
        );
        expect(reading).toBeDefined();
        expect(connect.source).toContain(
          target === 'cluster' ? 'emr connect' : 'emr-serverless connect'
        );
        // The last cell asks the remote Spark session for an answer.
        const probe = made.cells[made.cells.length - 1];
        expect(probe.part).toBe('spark');
        if (family === 'sparkmagic') {
          expect(probe.source).toBe('spark.range(1).count()');
          expect(made.cells[0].source).toBe('%%local\nimport os');
        } else {
          // In an IPython kernel a plain cell would run locally, where
          // `spark` does not exist: sparkmagic's cell magic sends it.
          expect(probe.source).toBe('%%spark\nspark.range(1).count()');
          expect(made.cells).toHaveLength(2);
        }
      });
    }
  }

  it('the Scala session of an IPython kernel gets the same probe', () => {
    const made = testRunCells({ cells: [] }, 'ipython', STATES.cluster, {
      ...DEFAULT_CONNECT_OPTIONS,
      language: 'scala'
    });
    expect(made.cells[0].source).toContain('--language scala');
    expect(made.cells[1].source).toBe('%%spark\nspark.range(1).count()');
  });

  it('refuses a panel state that cannot be written, as the connect cell does', () => {
    expect(() =>
      testRunCells(
        { cells: [] },
        'sparkmagic',
        { ...STATES.cluster, clusterId: "j-1'; rm -rf /" },
        DEFAULT_CONNECT_OPTIONS
      )
    ).toThrow(InvalidConnectStateError);
  });
});

describe('a test run of a notebook with a connect cell', () => {
  for (const family of ['sparkmagic', 'ipython'] as KernelFamily[]) {
    for (const target of ['cluster', 'serverless'] as const) {
      it(`${family}, ${target}: the notebook's own cells, as it has them`, () => {
        // The notebook's cells were written for other values than the
        // panel's now: the test run tries the notebook.
        const written = connectCells(
          {
            ...STATES[target],
            clusterId: 'j-2OTHERCLUSTER',
            applicationId: '00fotherapp00001'
          },
          { ...DEFAULT_CONNECT_OPTIONS, useFallback: false },
          family
        );
        const cells = userNotebook(
          written.map(c =>
            code(c.source, { [CELL_METADATA_KEY]: { part: c.part } })
          )
        );
        const made = testRunCells(
          { cells },
          family,
          STATES[target],
          DEFAULT_CONNECT_OPTIONS
        );
        expect(made.connectFrom).toBe('notebook');
        expect(made.cells.slice(0, -1).map(c => c.source)).toEqual(
          written.map(c => c.source)
        );
        expect(made.cells[made.cells.length - 1].part).toBe('spark');
      });
    }
  }

  it('takes a hand-written connect cell the grammar recognises', () => {
    const handWritten =
      '%load_ext sagemaker_studio_analytics_extension.magics\n' +
      '%sm_analytics emr connect --cluster-id j-3HANDWRITTEN1 \\\n' +
      '  --auth-type None --language python';
    const made = testRunCells(
      {
        cells: userNotebook([
          code('import os\nprint(os.getcwd())'),
          code(handWritten)
        ])
      },
      'ipython',
      STATES.cluster,
      DEFAULT_CONNECT_OPTIONS
    );
    expect(made.connectFrom).toBe('notebook');
    expect(made.cells.map(c => c.source)).toEqual([
      handWritten,
      '%%spark\nspark.range(1).count()'
    ]);
  });

  it('reads nbformat sources given as lists of lines', () => {
    const made = testRunCells(
      {
        cells: [
          { cell_type: 'code', source: ['%%local\n', 'import os'] },
          {
            cell_type: 'code',
            source: [
              "%sm_analytics emr connect --cluster-id {os.getenv('cluster_id')} ",
              '--auth-type None'
            ]
          }
        ]
      },
      'sparkmagic',
      STATES.cluster,
      DEFAULT_CONNECT_OPTIONS
    );
    expect(made.cells.map(c => c.part)).toEqual([
      'local-import',
      'connect',
      'spark'
    ]);
    expect(made.cells[0].source).toBe('%%local\nimport os');
  });

  it('does not take a cell that does more than connect', () => {
    expect(
      adoptablePart(
        'code',
        '%sm_analytics emr connect --cluster-id j-1 --auth-type None\ndf = spark.sql("select 1")'
      )
    ).toBeNull();
    expect(
      adoptablePart(
        'markdown',
        '%sm_analytics emr connect --cluster-id j-1 --auth-type None'
      )
    ).toBeNull();
  });
});

describe("the test run's notebook and files", () => {
  it("keeps the user's kernel, and only the test run's cells", () => {
    const nb = testRunNotebook(
      {
        cells: [],
        metadata: {
          kernelspec: KERNELS.pyspark,
          language_info: { name: 'python' },
          papermill: { parameters: {} }
        }
      },
      [{ part: 'spark', source: 'spark.range(1).count()' }]
    ) as any;
    expect(nb.nbformat).toBe(4);
    expect(nb.metadata.kernelspec).toEqual(KERNELS.pyspark);
    expect(nb.metadata.papermill).toBeUndefined();
    expect(nb.cells).toHaveLength(1);
    expect(nb.cells[0]).toMatchObject({
      cell_type: 'code',
      source: 'spark.range(1).count()',
      outputs: []
    });
  });

  it('names the file after the notebook, in a folder of its own beside it', () => {
    const now = new Date('2026-12-07T15:04:05.123Z');
    expect(testRunFileName('reports/daily émr.ipynb', now)).toBe(
      'daily--mr-test-20261207T150405Z.ipynb'
    );
    expect(testRunFolder('reports/daily.ipynb')).toBe(
      'reports/emr-schedule-test-runs'
    );
    expect(testRunFolder('daily.ipynb')).toBe('emr-schedule-test-runs');
  });

  it('tells a test run job by its tag', () => {
    expect(isTestRunJob({ tags: [TEST_RUN_TAG] })).toBe(true);
    expect(isTestRunJob({ tags: ['nightly'] })).toBe(false);
    expect(isTestRunJob({})).toBe(false);
  });
});

describe("what a test run's success names", () => {
  it('the id the job reads from its environment, else the fallback', () => {
    const made = testRunCells(
      { cells: [] },
      'sparkmagic',
      STATES.cluster,
      DEFAULT_CONNECT_OPTIONS
    );
    expect(testRunTarget(made.cells, { cluster_id: 'j-9FROMTHEJOB' })).toEqual({
      service: 'emr',
      id: 'j-9FROMTHEJOB'
    });
    expect(testRunTarget(made.cells, {})).toEqual({
      service: 'emr',
      id: 'j-1ABCDEFGHIJKL'
    });
  });

  it("a serverless application's id, and a literal one", () => {
    const serverless = testRunCells(
      { cells: [] },
      'ipython',
      STATES.serverless,
      { ...DEFAULT_CONNECT_OPTIONS, useFallback: false }
    );
    expect(
      testRunTarget(serverless.cells, { application_id: '00fjobapp0000001' })
    ).toEqual({ service: 'emr-serverless', id: '00fjobapp0000001' });
    expect(testRunTarget(serverless.cells, {})).toEqual({
      service: 'emr-serverless',
      id: null
    });
    expect(
      testRunTarget(
        [
          {
            part: 'connect',
            source:
              '%sm_analytics emr connect --cluster-id j-LITERAL1 --auth-type None'
          }
        ],
        {}
      )
    ).toEqual({ service: 'emr', id: 'j-LITERAL1' });
  });
});
