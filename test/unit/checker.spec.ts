import {
  applyAllFixes,
  applyFix,
  checkCell,
  checkNotebook,
  createIncrementalChecker,
  ICellLike,
  IFinding,
  INotebookLike,
  notebookContext,
  RULE_LIST,
  ruleInfo
} from '../../src/core/checker';
import {
  findingKey,
  generatedNotebooks,
  KERNELSPECS,
  readCorpus,
  readExpected
} from '../fixtures/generateCheckerFixtures';

const corpus = readCorpus();
const expected = readExpected();

function notebook(name: string): INotebookLike {
  const entry = corpus.find(c => c.name === name);
  if (!entry) {
    throw new Error(`No corpus notebook ${name}`);
  }
  return entry.notebook;
}

function text(cell: ICellLike): string {
  return Array.isArray(cell.source) ? cell.source.join('') : cell.source;
}

function only(findings: IFinding[], rule: string): IFinding {
  const matching = findings.filter(f => f.rule === rule);
  expect(matching).toHaveLength(1);
  return matching[0];
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    Object.values(value).forEach(deepFreeze);
  }
  return value;
}

function codeCell(source: string, tags?: string[]): ICellLike {
  return {
    cell_type: 'code',
    source,
    metadata: tags ? { tags } : {}
  };
}

const CONNECT =
  "%sm_analytics emr connect --cluster-id {os.getenv('cluster_id', 'j-1ABCDEFGHIJKL')} --auth-type None";

/** A long PySpark notebook of ordinary cells, with the connect cells on top. */
function bigNotebook(cells: number): INotebookLike {
  const out: ICellLike[] = [
    codeCell('%%local\nimport os'),
    codeCell(
      `%load_ext sagemaker_studio_analytics_extension.magics\n${CONNECT}`
    )
  ];
  for (let i = 0; out.length < cells; i++) {
    out.push(
      i % 4 === 3
        ? {
            cell_type: 'markdown',
            source: `## Step ${i}\nNotes.`,
            metadata: {}
          }
        : codeCell(
            `df_${i} = spark.read.parquet("s3://example-bucket/part-${i}/")\n` +
              `df_${i}.groupBy("region").agg({"amount": "sum"}).show(${i % 20})`
          )
    );
  }
  return { cells: out, metadata: { kernelspec: KERNELSPECS.sparkmagic } };
}

function withCell(
  nb: INotebookLike,
  index: number,
  cell: ICellLike
): INotebookLike {
  const cells = nb.cells.slice();
  cells[index] = cell;
  return { ...nb, cells };
}

describe('the corpus', () => {
  it('has expectations for exactly its notebooks', () => {
    expect(Object.keys(expected).sort()).toEqual(corpus.map(c => c.name));
  });

  it('makes every rule fire at least once', () => {
    const fired = new Set(
      Object.values(expected).flatMap(e => e.findings.map(f => f.rule))
    );
    expect(RULE_LIST.map(r => r.id).filter(id => !fired.has(id))).toEqual([]);
  });

  it('holds the two connect examples of the AWS page verbatim', () => {
    const emDash = notebook('aws-page-em-dash.ipynb').cells.map(text);
    expect(emDash).toContain(
      "%sm_analytics emr connect \u2014cluster-id {os.getenv('cluster_id')} --auth-type None"
    );
    expect(text(notebook('aws-page-multiline.ipynb').cells[0])).toBe(
      '%sm_analytics emr connect --cluster-id j_abcde12345 \n' +
        '    --auth Kerberos \n' +
        '    --secret aws_secret_id_123'
    );
  });
});

describe.each(corpus)('$name', ({ name, notebook: nb }) => {
  const findings = checkNotebook(nb);

  it('gives the expected findings', () => {
    expect(findings.map(findingKey)).toEqual(expected[name].findings);
  });

  it('gives the expected findings after applying every safe fix', () => {
    expect(checkNotebook(applyAllFixes(nb)).map(findingKey)).toEqual(
      expected[name].afterFixes
    );
  });

  it('gives each cell the same findings through checkCell', () => {
    const context = notebookContext(nb);
    const byCell = nb.cells.flatMap((cell, i) => checkCell(cell, i, context));
    expect(byCell).toEqual(findings);
  });

  it('uses known rules and says what to do in plain sentences', () => {
    for (const f of findings) {
      const info = ruleInfo(f.rule);
      expect(info).toBeDefined();
      if (f.rule !== 'redshift-s3-auth') {
        expect(f.severity).toBe(info!.severity);
      }
      expect(f.message).toMatch(/^\S.*\.$/s);
      expect(f.message).not.toMatch(/undefined|null|\[object/);
      expect(f.line).toBeGreaterThanOrEqual(0);
      expect(f.line).toBeLessThan(text(nb.cells[f.cell]).split('\n').length);
    }
  });

  it('resolves each finding with its edit fix and adds no error', () => {
    const before = new Set(
      findings
        .filter(f => f.severity === 'error')
        .map(f => `${f.rule}@${f.cell}`)
    );
    for (const f of findings) {
      if (f.fix?.kind !== 'edit') {
        continue;
      }
      expect(f.fix.cell).toBe(f.cell);
      const after = checkNotebook(applyFix(nb, f.fix));
      expect(after.filter(a => a.rule === f.rule && a.cell === f.cell)).toEqual(
        []
      );
      const added = after.filter(
        a => a.severity === 'error' && !before.has(`${a.rule}@${a.cell}`)
      );
      expect(added).toEqual([]);
    }
  });

  it('leaves the notebook untouched for env-form fixes and never mutates it', () => {
    const frozen = deepFreeze(JSON.parse(JSON.stringify(nb)) as INotebookLike);
    for (const f of checkNotebook(frozen)) {
      if (f.fix?.kind === 'env-form') {
        expect(applyFix(frozen, f.fix)).toEqual(frozen);
      } else if (f.fix) {
        applyFix(frozen, f.fix);
      }
    }
    expect(() => applyAllFixes(frozen)).not.toThrow();
  });
});

describe('fixes', () => {
  it('replace the em dash of the AWS page with two hyphens', () => {
    const nb = notebook('aws-page-em-dash.ipynb');
    const fix = only(checkNotebook(nb), 'unicode-dash').fix!;
    expect(fix.kind === 'edit' && fix.source).toBe(
      "%sm_analytics emr connect --cluster-id {os.getenv('cluster_id')} --auth-type None"
    );
  });

  it('turn the multi-line example into one line with the full option names', () => {
    const sparkmagic = applyAllFixes(notebook('aws-page-multiline.ipynb'));
    expect(text(sparkmagic.cells[0])).toBe(
      '%sm_analytics emr connect --cluster-id j_abcde12345 --auth-type Kerberos --secret aws_secret_id_123'
    );
    const ipython = applyAllFixes(notebook('aws-page-multiline-ipython.ipynb'));
    expect(text(ipython.cells[0])).toBe(
      '%sm_analytics emr connect --cluster-id j_abcde12345 --auth-type Kerberos --secret aws_secret_id_123 --language python'
    );
  });

  it('keep nbformat list sources as lists', () => {
    const nb = notebook('aws-page-multiline.ipynb');
    expect(Array.isArray(nb.cells[0].source)).toBe(true);
    const fixed = applyFix(nb, only(checkNotebook(nb), 'auth-abbrev').fix!);
    expect(Array.isArray(fixed.cells[0].source)).toBe(true);
    expect(fixed.cells[0].source).toEqual([
      '%sm_analytics emr connect --cluster-id j_abcde12345 \n',
      '    --auth-type Kerberos \n',
      '    --secret aws_secret_id_123'
    ]);
  });

  it('map auth types the obvious way and leave the rest to the user', () => {
    const fixed = applyAllFixes(notebook('auth-type-values.ipynb'));
    const auth = fixed.cells
      .slice(1)
      .map(c => /--auth-type (\S+)/.exec(text(c))![1]);
    expect(auth).toEqual([
      'Basic_Access',
      'Basic_Access',
      'Basic_Access',
      'Kerberos',
      'None',
      'None',
      'Basic_Access',
      'Digest',
      "{os.getenv('auth_type',",
      "{os.getenv('auth_type')}"
    ]);
    expect(text(fixed.cells[9])).toContain(
      "{os.getenv('auth_type', 'Basic_Access')}"
    );
    expect(
      checkNotebook(fixed)
        .filter(f => f.rule === 'auth-type-value')
        .map(f => f.cell)
    ).toEqual([8]);
  });

  it('remove the stray space from the Redshift connector name', () => {
    const fixed = applyAllFixes(notebook('redshift-page.ipynb'));
    expect(text(fixed.cells[0])).toContain(
      '.format("io.github.spark_redshift_community.spark.redshift") \\\n'
    );
  });

  it('run an os import cell locally in SparkMagic kernels', () => {
    const fixed = applyAllFixes(notebook('sparkmagic-local-python.ipynb'));
    expect(text(fixed.cells[0])).toBe('%%local\nimport os');
  });

  it('import os where the connect cell runs', () => {
    const sparkmagic = applyAllFixes(notebook('sparkmagic-no-os-import.ipynb'));
    expect(text(sparkmagic.cells[1]).split('\n').slice(0, 2)).toEqual([
      '%load_ext sagemaker_studio_analytics_extension.magics',
      'import os'
    ]);
    const ipython = applyAllFixes(notebook('ipython-os-not-imported.ipynb'));
    expect(text(ipython.cells[0]).split('\n')[0]).toBe('import os');
    const oneLine = applyAllFixes({
      cells: [codeCell(CONNECT)],
      metadata: { kernelspec: KERNELSPECS.sparkmagic }
    });
    expect(text(oneLine.cells[0])).toBe(`%%local\nimport os\n${CONNECT}`);
    expect(checkNotebook(oneLine)).toEqual([]);
  });

  it('send the panel the values a connect line already has', () => {
    const literal = only(
      checkNotebook(notebook('literal-values.ipynb')),
      'literal-connect-value'
    );
    expect(literal.fix).toEqual({
      kind: 'env-form',
      label: expect.any(String),
      values: {
        clusterId: 'j-1ABCDEFGHIJKL',
        authType: 'HTTP_Basic',
        secretId: 'emr/analyst-1'
      }
    });
    const parameters = only(
      checkNotebook(notebook('sparkmagic-parameters.ipynb')),
      'sparkmagic-parameters'
    );
    expect(
      parameters.fix?.kind === 'env-form' && parameters.fix.values
    ).toEqual({
      clusterId: 'j-3ABCDEFGHIJKL',
      secretId: 'emr/analyst-1'
    });
    const missing = checkNotebook(notebook('missing-secret.ipynb'));
    expect(
      missing.map(f => f.fix?.kind === 'env-form' && f.fix.values)
    ).toEqual([
      { clusterId: 'j-1ABCDEFGHIJKL', authType: 'Kerberos' },
      { clusterId: 'j-1ABCDEFGHIJKL', authType: 'HTTP_Basic' }
    ]);
  });

  it('never change an unknown cell or a cell that is not there', () => {
    const nb = notebook('aws-page-em-dash.ipynb');
    const edit = { kind: 'edit' as const, cell: 99, source: 'x', label: 'x' };
    expect(applyFix(nb, edit)).toEqual(nb);
    expect(applyFix(nb, { ...edit, cell: -1 })).toEqual(nb);
    expect(applyFix(nb, { ...edit, cell: 1.5 })).toEqual(nb);
  });
});

describe('the cells the product writes', () => {
  const notebooks = generatedNotebooks();

  it('cover both kernel families and every auth type', () => {
    expect(notebooks.length).toBeGreaterThanOrEqual(2 * 4 * 4 * 3);
  });

  it.each(notebooks)('$name has no finding', ({ notebook: nb }) => {
    expect(checkNotebook(nb)).toEqual([]);
  });
});

describe('rules in detail', () => {
  const check = (source: string, family: 'sparkmagic' | 'ipython') =>
    checkNotebook({
      cells: [codeCell(source)],
      metadata: { kernelspec: KERNELSPECS[family] }
    }).map(f => f.rule);

  it('accept a magic continued with backslashes', () => {
    expect(
      check(
        "%%local\nimport os\n%sm_analytics emr connect --cluster-id {os.getenv('c', 'j-1A')} \\\n  --auth-type None",
        'sparkmagic'
      )
    ).toEqual([]);
  });

  it('read Windows line ends like Python does', () => {
    expect(
      check(
        "%%local\r\nimport os\r\n%sm_analytics emr connect --cluster-id {os.getenv('c', 'j-1A')} \\\r\n  --auth-type None\r\n",
        'sparkmagic'
      )
    ).toEqual([]);
    expect(
      check(
        '%sm_analytics emr connect --cluster-id j-1A\r\n  --auth-type None',
        'sparkmagic'
      )
    ).toEqual(['literal-connect-value', 'multiline-magic']);
  });

  it('need no secret for Basic_Access with an EMR runtime role', () => {
    expect(
      check(
        '%sm_analytics emr connect --cluster-id {x} --auth-type Basic_Access --emr-execution-role-arn arn:aws:iam::111122223333:role/r',
        'ipython'
      )
    ).toEqual(['ipython-language']);
  });

  it('check the connection of emr connect and emr-serverless connect only', () => {
    expect(check('%sm_analytics emr help', 'ipython')).toEqual([]);
    expect(
      check(
        '%sm_analytics emr-serverless connect --application-id a',
        'ipython'
      )
    ).toEqual([
      'ipython-language',
      'literal-connect-value',
      'serverless-missing-required-option'
    ]);
  });

  it('count forward_spark_s3_credentials only when it is on', () => {
    const read = (options: string) =>
      check(
        `spark.read.format("io.github.spark_redshift_community.spark.redshift")${options}.load()`,
        'sparkmagic'
      );
    expect(read('.option("aws_iam_role", role)')).toEqual([]);
    expect(read('.option("forward_spark_s3_credentials", "true")')).toEqual([]);
    expect(read('.option("forward_spark_s3_credentials", "false")')).toEqual([
      'redshift-s3-auth'
    ]);
    expect(read('.options(**redshift_options)')).toEqual([]);
  });

  it('leave keys read from the environment alone', () => {
    expect(
      check(
        'spark.conf.set("fs.s3a.access.key", os.environ["AWS_ACCESS_KEY_ID"])',
        'sparkmagic'
      )
    ).toEqual([]);
  });
});

describe('the incremental checker', () => {
  it('agrees with a full check through every fix of every corpus notebook', () => {
    for (const { notebook: start } of corpus) {
      const checker = createIncrementalChecker();
      let nb = start;
      for (let step = 0; step < 20; step++) {
        const findings = checker.check(nb);
        expect(findings).toEqual(checkNotebook(nb));
        const edit = findings.find(f => f.fix?.kind === 'edit');
        if (!edit) {
          break;
        }
        nb = applyFix(nb, edit.fix!);
      }
    }
  });

  it('agrees with a full check after inserting, deleting, moving and retagging cells', () => {
    const nb = notebook('sparkmagic-parameters.ipynb');
    const checker = createIncrementalChecker();
    const same = (next: INotebookLike) =>
      expect(checker.check(next)).toEqual(checkNotebook(next));
    same(nb);
    const [parameters, connect, work] = nb.cells;
    const untagged = { ...parameters, metadata: {} };
    same({ ...nb, cells: [untagged, connect, work] });
    same({ ...nb, cells: [parameters, connect, work] });
    same({ ...nb, cells: [codeCell('x = 1'), parameters, connect, work] });
    same({ ...nb, cells: [connect, parameters, work] });
    same({ ...nb, cells: [connect, work] });
    same({ ...nb, cells: [{ ...connect, cell_type: 'markdown' }, work] });
    same({ ...nb, metadata: { kernelspec: KERNELSPECS.ipython } });
    same({ cells: [] });
  });

  it('re-scans only the edited cell of a long notebook', () => {
    const checker = createIncrementalChecker();
    const nb = bigNotebook(2000);
    checker.check(nb);
    expect(checker.lastRescanned).toBeGreaterThan(1000);
    checker.check(nb);
    expect(checker.lastRescanned).toBe(0);

    const edited = withCell(
      nb,
      1000,
      codeCell('df = spark.range(10)\ndf.show()')
    );
    expect(checker.check(edited)).toEqual(checkNotebook(edited));
    expect(checker.lastRescanned).toBe(1);

    // The connect line now needs os from cell 0, which is no longer local.
    const remote = withCell(edited, 0, codeCell('import os'));
    const findings = checker.check(remote);
    expect(checker.lastRescanned).toBe(1);
    expect(findings.map(findingKey)).toEqual([
      {
        rule: 'sparkmagic-local-python',
        severity: 'error',
        cell: 0,
        line: 0
      }
    ]);
    expect(findings).toEqual(checkNotebook(remote));
  });

  it('re-scans every cell when the kernel family changes', () => {
    const checker = createIncrementalChecker();
    const nb = bigNotebook(200);
    checker.check(nb);
    const ipython = { ...nb, metadata: { kernelspec: KERNELSPECS.ipython } };
    expect(checker.check(ipython)).toEqual(checkNotebook(ipython));
    expect(checker.lastRescanned).toBeGreaterThan(100);
    expect(checker.context?.family).toBe('ipython');
  });

  it('is not fooled by a list source changed in place', () => {
    const source = ['%%local\n', 'import os'];
    const nb: INotebookLike = {
      cells: [{ cell_type: 'code', source, metadata: {} }, codeCell(CONNECT)],
      metadata: { kernelspec: KERNELSPECS.sparkmagic }
    };
    const checker = createIncrementalChecker();
    expect(checker.check(nb)).toEqual([]);
    source[0] = '';
    expect(checker.check(nb)).toEqual(checkNotebook(nb));
    expect(checker.check(nb).map(f => f.rule)).toEqual([
      'sparkmagic-local-python'
    ]);
  });
});

describe('names a connect line reads', () => {
  const SPARK_SCALA = {
    name: 'sparkkernel',
    display_name: 'Spark',
    language: 'scala'
  };
  const kernels = {
    pyspark: KERNELSPECS.sparkmagic,
    spark: SPARK_SCALA,
    ipython: KERNELSPECS.ipython
  };
  const LINE = '%sm_analytics emr connect --cluster-id {cid} --auth-type None';
  const CONNECT_CELL = `%load_ext sagemaker_studio_analytics_extension.magics\n${LINE}`;
  const run = (kernel: keyof typeof kernels, ...sources: string[]) =>
    checkNotebook({
      cells: sources.map(s => codeCell(s)),
      metadata: { kernelspec: kernels[kernel] }
    });
  const remoteNames = (kernel: keyof typeof kernels, ...sources: string[]) =>
    run(kernel, ...sources)
      .filter(f => f.rule === 'sparkmagic-remote-name')
      .map(f => [f.cell, f.line]);

  it('finds the name assigned only in a cell sent to the Spark session (the issue)', () => {
    const nb: INotebookLike = {
      cells: [
        codeCell("import os\ncid = os.getenv('cluster_id')"),
        codeCell(CONNECT_CELL)
      ],
      metadata: { kernelspec: KERNELSPECS.sparkmagic }
    };
    const finding = only(checkNotebook(nb), 'sparkmagic-remote-name');
    expect(finding).toMatchObject({ severity: 'error', cell: 1, line: 1 });
    expect(finding.message).toContain(
      'reads cid, but cid is assigned only in cell 1'
    );
    expect(finding.message).toContain(
      'IPython leaves the whole line unexpanded'
    );
    expect(finding.message).toContain('%%local');
    expect(finding.message).toContain("job's Environment variables");
    expect(finding.fix).toEqual({
      kind: 'edit',
      cell: 1,
      label: 'Assign cid locally, before the magic',
      source:
        '%load_ext sagemaker_studio_analytics_extension.magics\n' +
        'import os\n' +
        "cid = os.getenv('cluster_id')\n" +
        LINE
    });
    expect(checkNotebook(applyFix(nb, finding.fix!))).toEqual([]);
  });

  it('finds it in PySpark and Spark kernels, not in IPython kernels', () => {
    expect(remoteNames('pyspark', 'cid = "j-1ABC"', CONNECT_CELL)).toEqual([
      [1, 1]
    ]);
    expect(remoteNames('spark', 'val cid = "j-1ABC"', CONNECT_CELL)).toEqual([
      [1, 1]
    ]);
    expect(
      remoteNames(
        'ipython',
        'cid = "j-1ABC"',
        `${CONNECT_CELL} --language python`
      )
    ).toEqual([]);
    expect(
      run('ipython', 'cid = "j-1ABC"', `${CONNECT_CELL} --language python`)
    ).toEqual([]);
  });

  it('finds a %%spark cell of an IPython kernel, which runs in the Spark session', () => {
    expect(
      remoteNames(
        'ipython',
        '%%spark\ncid = "j-1ABC"',
        `${CONNECT_CELL} --language python`
      )
    ).toEqual([[1, 1]]);
  });

  it('say nothing when the local kernel has the name before the line', () => {
    const cases = [
      '%%local\ncid = "j-1ABC"',
      '%%local\nimport os\ncid = os.getenv("cluster_id", "j-1ABC")',
      '%load_ext autoreload\ncid = "j-1ABC"',
      '%%local\nfor cid in ["j-1ABC"]:\n    pass',
      '%%local\nfrom settings import cid',
      '%%local\nimport settings as cid',
      '%%local\ncid, region = "j-1ABC", "us-east-1"',
      '%%local\ncid: str = "j-1ABC"',
      '%%local\nwith open("cluster.txt") as cid:\n    pass',
      '%run settings.py',
      '%store -r cid',
      '%%sql -o cid\nSELECT id FROM clusters LIMIT 1'
    ];
    for (const local of cases) {
      // Also assigned in the Spark session, before and after: the local one is what counts.
      expect([
        local,
        remoteNames('pyspark', 'cid = "j-2XYZ"', local, CONNECT_CELL)
      ]).toEqual([local, []]);
      expect([
        local,
        remoteNames('pyspark', local, 'cid = "j-2XYZ"', CONNECT_CELL)
      ]).toEqual([local, []]);
    }
    expect(
      remoteNames(
        'pyspark',
        'cid = "j-2XYZ"',
        `%load_ext sagemaker_studio_analytics_extension.magics\ncid = "j-1ABC"\n${LINE}`
      )
    ).toEqual([]);
  });

  it('find the name when the local kernel assigns it only after the line', () => {
    expect(
      remoteNames(
        'pyspark',
        'cid = "j-1ABC"',
        CONNECT_CELL,
        '%%local\ncid = "j-1ABC"'
      )
    ).toEqual([[1, 1]]);
    expect(
      remoteNames(
        'pyspark',
        'cid = "j-1ABC"',
        `%load_ext sagemaker_studio_analytics_extension.magics\n${LINE}\ncid = "j-1ABC"`
      )
    ).toEqual([[1, 1]]);
  });

  it('say nothing about names assigned nowhere or only after the line', () => {
    expect(remoteNames('pyspark', CONNECT_CELL)).toEqual([]);
    expect(remoteNames('pyspark', CONNECT_CELL, 'cid = "j-1ABC"')).toEqual([]);
  });

  it('leave job parameters and os to their own rules', () => {
    const parameters = checkNotebook({
      cells: [
        codeCell('cid = "j-1ABC"', ['parameters']),
        codeCell(CONNECT_CELL)
      ],
      metadata: { kernelspec: KERNELSPECS.sparkmagic }
    }).map(f => f.rule);
    expect(parameters).toEqual(['sparkmagic-parameters']);
    expect(
      run(
        'pyspark',
        'import os',
        "%sm_analytics emr connect --cluster-id {os.getenv('cluster_id', 'j-1A')} --auth-type None"
      ).map(f => f.rule)
    ).toEqual(['sparkmagic-local-python']);
  });

  it('ignore what other cell magics hold and what a remote cell only reads', () => {
    expect(
      remoteNames(
        'pyspark',
        '%%sql\nSELECT 1 AS cid',
        'print(cid)',
        CONNECT_CELL
      )
    ).toEqual([]);
    expect(
      remoteNames(
        'pyspark',
        'spark.conf.set("cid", "x")\nf(cid="j-1")',
        CONNECT_CELL
      )
    ).toEqual([]);
  });

  it('name every such name in one finding, with $name too', () => {
    const findings = run(
      'pyspark',
      'cid = "j-1ABC"\nsid = "emr/analyst-1"',
      '%sm_analytics emr connect --cluster-id {cid} --auth-type Basic_Access --secret $sid'
    );
    const finding = only(findings, 'sparkmagic-remote-name');
    expect(finding.message).toContain(
      'reads cid and sid, but they are assigned only in cell 1'
    );
    expect(finding.fix?.kind === 'edit' && finding.fix.source).toBe(
      '%%local\ncid = "j-1ABC"\nsid = "emr/analyst-1"\n' +
        '%sm_analytics emr connect --cluster-id {cid} --auth-type Basic_Access --secret $sid'
    );
  });

  it('copy the last assignment before the line, and only values the local kernel can compute', () => {
    const fixOf = (...sources: string[]) =>
      only(run('pyspark', ...sources), 'sparkmagic-remote-name').fix;
    const copied = (fix: ReturnType<typeof fixOf>) =>
      fix?.kind === 'edit' ? fix.source.split('\n').slice(1, -1) : fix;
    expect(
      copied(fixOf('cid = "j-1A"', 'cid = "j-2B"  # the new one', CONNECT_CELL))
    ).toEqual(['cid = "j-2B"']);
    expect(
      copied(fixOf("cid = os.environ['cluster_id']", CONNECT_CELL))
    ).toEqual(['import os', "cid = os.environ['cluster_id']"]);
    expect(
      copied(
        fixOf(
          '%%local\nimport os',
          "cid = os.environ.get('cluster_id', 'j-1A')",
          CONNECT_CELL
        )
      )
    ).toEqual(["cid = os.environ.get('cluster_id', 'j-1A')"]);
    // Values that need the Spark session go to the panel's form.
    expect(
      fixOf('cid = spark.conf.get("spark.emr.clusterId")', CONNECT_CELL)
    ).toEqual({
      kind: 'env-form',
      label: 'Use environment variables',
      values: {}
    });
    expect(fixOf('if True:\n    cid = "j-1ABC"', CONNECT_CELL)).toEqual({
      kind: 'env-form',
      label: 'Use environment variables',
      values: { clusterId: 'j-1ABC' }
    });
    expect(
      fixOf(
        'cid = "j-1ABC"\nsid = secrets.pick()',
        '%sm_analytics emr connect --cluster-id {cid} --auth-type {auth} --secret {sid}',
        'auth = "x"'
      )
    ).toEqual({
      kind: 'env-form',
      label: 'Use environment variables',
      values: { clusterId: 'j-1ABC' }
    });
  });

  it('translate Scala values of the Spark kernel into local Python', () => {
    const fixOf = (assignment: string) => {
      const fix = only(
        run('spark', assignment, LINE),
        'sparkmagic-remote-name'
      ).fix;
      return fix?.kind === 'edit' ? fix.source : fix;
    };
    expect(fixOf('val cid = "j-1ABC"')).toBe(
      `%%local\ncid = 'j-1ABC'\n${LINE}`
    );
    expect(fixOf('val cid: String = sys.env("cluster_id");')).toBe(
      `%%local\nimport os\ncid = os.environ['cluster_id']\n${LINE}`
    );
    expect(
      fixOf('var cid = sys.env.getOrElse("cluster_id", "j-1ABC") // default')
    ).toBe(
      `%%local\nimport os\ncid = os.getenv('cluster_id', 'j-1ABC')\n${LINE}`
    );
    expect(fixOf('val cid = System.getenv("cluster_id")')).toBe(
      `%%local\nimport os\ncid = os.getenv('cluster_id')\n${LINE}`
    );
    expect(fixOf('val cid = sys.env.get("cluster_id")')).toEqual({
      kind: 'env-form',
      label: 'Use environment variables',
      values: {}
    });
  });

  it('are re-checked when the cell that assigns them changes', () => {
    const checker = createIncrementalChecker();
    const remote = codeCell('cid = "j-1ABC"');
    const connect = codeCell(CONNECT_CELL);
    const nb = (first: ICellLike): INotebookLike => ({
      cells: [first, connect, codeCell('df = spark.range(3)')],
      metadata: { kernelspec: KERNELSPECS.sparkmagic }
    });
    const rules = (next: INotebookLike) => {
      const findings = checker.check(next);
      expect(findings).toEqual(checkNotebook(next));
      return findings.map(f => f.rule);
    };
    expect(rules(nb(remote))).toEqual(['sparkmagic-remote-name']);
    expect(rules(nb(codeCell('%%local\ncid = "j-1ABC"')))).toEqual([]);
    expect(checker.lastRescanned).toBe(1);
    expect(rules(nb(remote))).toEqual(['sparkmagic-remote-name']);
    expect(
      rules({ ...nb(remote), metadata: { kernelspec: KERNELSPECS.ipython } })
    ).toEqual(['ipython-language']);
  });
});

describe('passwords written into the notebook', () => {
  const findings = (
    source: string,
    family: 'sparkmagic' | 'ipython' = 'ipython'
  ) =>
    checkNotebook({
      cells: [codeCell(source)],
      metadata: { kernelspec: KERNELSPECS[family] }
    }).filter(f => f.rule === 'password-literal');
  const lines = (source: string) => findings(source).map(f => f.line);

  it.each([
    '%spark add -s s -l python -u https://livy:8998 -a analyst -p Secr3t -t Basic_Access',
    '%spark add -s s -l python -u https://livy:8998 -a analyst --password Secr3t',
    '%spark add -s s -l python -u https://livy:8998 -a analyst --password=Secr3t',
    '%spark add -s s -l python -u https://analyst:Secr3t@livy.example.com:8998 -t Basic_Access',
    'url = "http://analyst:Secr3t@emr-master:8998/sessions"',
    'url = "jdbc:postgresql://analyst:Secr3t@db:5432/sales"',
    'engine = create_engine("mysql+pymysql://analyst:Secr3t@db/sales")',
    'url = "jdbc:mysql://db:3306/sales?user=analyst&password=Secr3t"',
    'url = "jdbc:sqlserver://db:1433;databaseName=sales;user=analyst;password=Secr3t"',
    'url = "jdbc:oracle:thin:analyst/Secr3t@db:1521:orcl"',
    'conn = psycopg2.connect(host="db", user="analyst", password="Secr3t")',
    'conn = redshift_connector.connect(host=h, database="dev", user=u, password=\'Secr3t\')',
    'conn = pymysql.connect(host="db", user="analyst", passwd="Secr3t")',
    'props = {"user": "analyst", "password": "Secr3t"}',
    'props = Map("user" -> "analyst", "password" -> "Secr3t")',
    'df = spark.read.format("jdbc").option("user", "analyst").option("password", "Secr3t").load()',
    'spark.conf.set("spark.hadoop.javax.jdo.option.ConnectionUserName", "hive")\n' +
      'spark.conf.set("spark.hadoop.javax.jdo.option.ConnectionPassword", "Secr3t")'
  ])('finds %s', source => {
    expect(findings(source)).toHaveLength(1);
  });

  it('finds a password set next to the statement that sets the user', () => {
    expect(
      lines(
        'val props = new java.util.Properties()\nprops.setProperty("user", "analyst")\n' +
          'props.setProperty("password", "Secr3t")'
      )
    ).toEqual([2]);
    expect(
      lines(
        'conn = connect(\n    host="db",\n    user="analyst",\n    password="Secr3t",\n)'
      )
    ).toEqual([3]);
  });

  it.each([
    'conn = psycopg2.connect(host="db", user="analyst", password=os.getenv("DB_PASSWORD"))',
    'conn = psycopg2.connect(host="db", user="analyst", password=os.environ["DB_PASSWORD"])',
    'conn = psycopg2.connect(host="db", user="analyst", password=os.environ.get("password", "x"))',
    'password = os.getenv("password", "fallback")\nuser = "analyst"',
    'creds = json.loads(sm.get_secret_value(SecretId="db/analyst")["SecretString"])\n' +
      'conn = connect(user=creds["username"], password=creds["password"])',
    'conn = connect(user="analyst", password=creds.get("password", ""))',
    'conn = connect(user="analyst", password="")',
    "conn = connect(user='analyst', password='')",
    'conn = connect(user="analyst", password="<password>")',
    'conn = connect(user="analyst", password="********")',
    'conn = connect(user="analyst", password="YOUR_PASSWORD")',
    'conn = connect(user="analyst", password="your-password-here")',
    'conn = connect(user="analyst", password="xxxx")',
    'conn = connect(user="analyst", password="...")',
    'conn = connect(user="analyst", password="${DB_PASSWORD}")',
    'conn = connect(user="analyst", password=f"{prefix}-{suffix}")',
    'conn = connect(user="analyst", password="%s" % pw)',
    'conn = connect(user="analyst", password="pre" + pw)',
    'url = f"postgresql://{user}:{pw}@db/sales"',
    'url = "postgresql://analyst:{pw}@db/sales".format(pw=pw)',
    'url = "jdbc:postgresql://USER:PASSWORD@host:5432/db"',
    'url = "jdbc:mysql://db/sales?user=analyst&password="',
    'url = "jdbc:mysql://db/sales?user=analyst&password=${PW}"',
    '%spark add -s s -l python -u https://livy:8998 -a {user} -p {password} -t Basic_Access',
    '%spark add -s s -l python -u https://livy:8998 -a $user -p $password',
    '%spark add -s s -l python -u https://livy:8998 -t None',
    'form = Text(placeholder="password", value="")',
    'password = "Secr3t"',
    'conn = connect(password="Secr3t")',
    'if password == "Secr3t":\n    user = 1',
    'git_url = "ssh://git@github.com/org/repo"',
    'email = "analyst@example.com"',
    'tempdir = "s3n://KEY:SECRET@bucket/tmp"'
  ])('leaves %s alone', source => {
    expect(findings(source)).toEqual([]);
  });

  it("offer the secret route, for the cluster when the password is Livy's", () => {
    const fixOf = (source: string) => findings(source)[0].fix;
    expect(
      fixOf('%spark add -s s -u https://livy:8998 -a a -p Secr3t -t Kerberos')
    ).toEqual({
      kind: 'secret',
      label: 'Create a secret from my credentials…',
      authType: 'Kerberos'
    });
    expect(
      fixOf('%spark add -s s -u https://livy:8998 -a a -p Secr3t')
    ).toEqual({
      kind: 'secret',
      label: 'Create a secret from my credentials…',
      authType: 'HTTP_Basic'
    });
    expect(
      fixOf('url = "https://analyst:Secr3t@livy.example.com:8998"')
    ).toMatchObject({
      authType: 'HTTP_Basic'
    });
    expect(
      fixOf('url = "jdbc:postgresql://analyst:Secr3t@db:5432/sales"')
    ).toEqual({
      kind: 'secret',
      label: 'Create a secret from my credentials…'
    });
    const message = findings(
      'conn = connect(user="analyst", password="Secr3t")'
    )[0].message;
    expect(message).toContain('plain text');
    expect(message).toContain('Create from my credentials…');
    expect(message).toContain('secretsmanager:GetSecretValue');
    expect(message).not.toContain('Secr3t');
  });

  it('leaves a Redshift password to its own rule, once', () => {
    const rules = checkNotebook({
      cells: [
        codeCell(
          'df = (spark.read.format("io.github.spark_redshift_community.spark.redshift")\n' +
            '  .option("url", "jdbc:redshift://h:5439/dev?user=admin&password=Secr3t")\n' +
            '  .option("user", "admin")\n' +
            '  .option("password", "Secr3t")\n' +
            '  .option("aws_iam_role", role)\n' +
            '  .load())'
        )
      ],
      metadata: { kernelspec: KERNELSPECS.sparkmagic }
    }).map(f => [f.rule, f.line]);
    expect(rules).toEqual([
      ['redshift-jdbc-password', 1],
      ['redshift-jdbc-password', 3]
    ]);
  });
});
