import fc from 'fast-check';
import {
  applyAllFixes,
  applyFix,
  checkCell,
  checkNotebook,
  createIncrementalChecker,
  ICellLike,
  IFix,
  INotebookLike,
  notebookContext,
  ruleInfo
} from '../../src/core/checker';

/** Pieces of real connect cells, defects included, to build sources from. */
const FRAGMENTS = [
  '%sm_analytics',
  '%sm_analytics emr connect',
  ' emr',
  ' connect',
  ' help',
  ' --cluster-id',
  ' \u2014cluster-id',
  ' \u2013auth-type',
  ' \u2212\u2212secret',
  ' -cluster-id',
  ' --cluster_id',
  ' --cluster',
  ' --auth',
  ' --auth-type',
  ' --auth-type=',
  ' --a',
  ' --secret',
  ' --secrets',
  ' --language',
  ' --verify-certificate',
  ' --emr-execution-role-arn arn:aws:iam::1:role/r',
  ' --no-override-krb5-conf',
  ' j-1ABCDEFGHIJKL',
  ' j_abcde12345',
  ' "j-1ABC"',
  ' None',
  ' "None"',
  ' LDAP',
  ' kerberos',
  ' Basic_Access',
  ' Digest',
  ' python',
  ' Python',
  ' False',
  ' emr/analyst-1',
  " {os.getenv('cluster_id', 'j-1ABCDEFGHIJKL')}",
  " {os.getenv('auth_type', 'LDAP')}",
  " {os.getenv('secret_id')}",
  ' {cluster_id}',
  ' $secret_id',
  ' {',
  ' }',
  "'",
  '"',
  '\u2018x\u2019',
  '\u00a0',
  ' \\',
  '\\',
  '\n',
  '\n    --auth Kerberos ',
  '\n    --secret x',
  '\n',
  '%%local\n',
  '%local\n',
  '%%spark\n',
  '%load_ext sagemaker_studio_analytics_extension.magics\n',
  'import os\n',
  'import sys, os\n',
  'x = os.getenv("a")\n',
  'cluster_id = "j-3ABC"\n',
  'cid = os.getenv("cluster_id", "j-1ABC")\n',
  'val cid = sys.env.getOrElse("cluster_id", "j-1ABC")\n',
  'cid = spark.conf.get("c")\n',
  ' {cid}',
  ' $cid',
  '%%sql -o cid\n',
  '%run settings.py\n',
  '%spark add -s s -u https://livy:8998 -a analyst -p Secr3t\n',
  'url = "jdbc:postgresql://analyst:Secr3t@db/sales"',
  'connect(user="analyst", password="Secr3t")',
  'password=os.getenv("DB_PASSWORD")',
  'df.write.format("io.github.spark_redshift_community.spark.redshift ")',
  '.format(" io.github.spark_redshift_community.spark.redshift")',
  '\n  .option("aws_iam_role", "arn")',
  '\n  .option("forward_spark_s3_credentials", "true")',
  '\n  .option("temporary_aws_access_key_id", k)',
  '\n  .option("password", "p")',
  '\n  .options(**o)',
  '.save()',
  '(',
  ')',
  ' # comment',
  '"""',
  'jdbc:redshift://h:5439/db?password=x',
  'AKIAIOSFODNN7EXAMPLE',
  'sc.hadoopConfiguration.set("fs.s3a.secret.key", "k")',
  '--conf spark.hadoop.fs.s3a.access.key=AK',
  's3n://KEY:SECRET@bucket/p',
  '\r\n',
  '\t',
  'é\u{1F600}'
];

const magicish = fc
  .array(fc.constantFrom(...FRAGMENTS), { maxLength: 24 })
  .map(parts => parts.join(''));

/** nbformat's list form of a source. */
const asLines = (text: string) =>
  text.split(/(?<=\n)/).filter(part => part !== '');

const source: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: magicish },
  { weight: 2, arbitrary: magicish.map(asLines) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  { weight: 1, arbitrary: fc.array(fc.anything(), { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.anything() },
  {
    weight: 1,
    arbitrary: fc
      .tuple(magicish, fc.integer({ min: 50, max: 400 }))
      .map(([text, n]) => `${text}\n`.repeat(n))
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        magicish,
        fc.constantFrom('x', ' ', '\u2014', '{', "'", 's3://a:', ','),
        fc.integer({ min: 10000, max: 100000 })
      )
      .map(([text, filler, n]) => `${text}${filler.repeat(n)}${text}`)
  }
);

const tags = fc.oneof(
  fc.constant(['parameters']),
  fc.constant(['injected-parameters', 'x']),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.anything()
);

const junkCell: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record(
      {
        cell_type: fc.oneof(
          { weight: 6, arbitrary: fc.constant('code') },
          { weight: 1, arbitrary: fc.constantFrom('markdown', 'raw') },
          { weight: 1, arbitrary: fc.anything() }
        ),
        source,
        metadata: fc.oneof(fc.record({ tags }), fc.anything()),
        id: fc.string()
      },
      { requiredKeys: [] }
    )
  },
  { weight: 1, arbitrary: fc.anything() }
);

const KERNELSPECS = [
  { name: 'pysparkkernel', display_name: 'PySpark', language: 'python' },
  { name: 'sparkkernel', display_name: 'Spark', language: 'scala' },
  { name: 'python3', display_name: 'Python 3', language: 'python' }
];

const junkNotebook: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record(
      {
        cells: fc.oneof(
          { weight: 6, arbitrary: fc.array(junkCell, { maxLength: 10 }) },
          { weight: 1, arbitrary: fc.anything() }
        ),
        metadata: fc.oneof(
          fc.record(
            {
              kernelspec: fc.oneof(
                fc.constantFrom(...KERNELSPECS),
                fc.record({ name: fc.anything(), display_name: fc.anything() }),
                fc.anything()
              )
            },
            { requiredKeys: [] }
          ),
          fc.anything()
        )
      },
      { requiredKeys: [] }
    )
  },
  { weight: 1, arbitrary: fc.anything() }
);

/** Well-formed notebooks of code and markdown cells built from real fragments. */
const cell: fc.Arbitrary<ICellLike> = fc.record({
  cell_type: fc.oneof(
    { weight: 5, arbitrary: fc.constant('code') },
    { weight: 1, arbitrary: fc.constant('markdown') }
  ),
  source: fc.oneof(magicish, magicish.map(asLines)),
  metadata: fc.oneof(
    { weight: 4, arbitrary: fc.constant({}) },
    { weight: 1, arbitrary: fc.constant({ tags: ['parameters'] }) }
  )
});

const notebook: fc.Arbitrary<INotebookLike> = fc.record({
  cells: fc.array(cell, { maxLength: 8 }),
  metadata: fc.record({ kernelspec: fc.constantFrom(...KERNELSPECS) })
});

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value));

describe('the checker on any input', () => {
  it('never throws, whatever the notebook looks like', () => {
    fc.assert(
      fc.property(junkNotebook, input => {
        const nb = input as INotebookLike;
        checkNotebook(nb);
        const context = notebookContext(nb);
        const cells = (input as { cells?: unknown } | null)?.cells;
        if (Array.isArray(cells)) {
          cells.forEach((c, i) => checkCell(c as ICellLike, i, context));
        }
        createIncrementalChecker().check(nb);
        applyAllFixes(nb);
      }),
      { numRuns: 300 }
    );
  });

  it('never throws on fixes that are not its own', () => {
    fc.assert(
      fc.property(junkNotebook, fc.anything(), (nb, fix) => {
        applyFix(nb as INotebookLike, fix as IFix);
      })
    );
  });

  it('reports positions inside the notebook, in order, and edits of the cell it names', () => {
    fc.assert(
      fc.property(notebook, nb => {
        const findings = checkNotebook(nb);
        let previous = [-1, -1];
        for (const f of findings) {
          expect(ruleInfo(f.rule)).toBeDefined();
          expect(nb.cells[f.cell].cell_type).toBe('code');
          const source = nb.cells[f.cell].source;
          const lines = (
            Array.isArray(source) ? source.join('') : source
          ).split('\n');
          expect(f.line).toBeGreaterThanOrEqual(0);
          expect(f.line).toBeLessThan(lines.length);
          expect(
            f.cell > previous[0] ||
              (f.cell === previous[0] && f.line >= previous[1])
          ).toBe(true);
          previous = [f.cell, f.line];
          if (f.fix?.kind === 'edit') {
            expect(f.fix.cell).toBe(f.cell);
          }
        }
      })
    );
  });
});

describe('fixes', () => {
  it('change only the cell they name and never the notebook they are given', () => {
    fc.assert(
      fc.property(notebook, nb => {
        const before = clone(nb);
        for (const f of checkNotebook(nb)) {
          const after = applyFix(
            nb,
            f.fix ?? { kind: 'env-form', label: '', values: {} }
          );
          expect(after.cells).toHaveLength(nb.cells.length);
          after.cells.forEach((c, i) => {
            if (f.fix?.kind === 'edit' && i === f.fix.cell) {
              const { source: newSource, ...rest } = c;
              const { source: oldSource, ...oldRest } = nb.cells[i];
              expect(rest).toEqual(oldRest);
              expect(Array.isArray(newSource)).toBe(Array.isArray(oldSource));
              expect(
                Array.isArray(newSource) ? newSource.join('') : newSource
              ).toBe(f.fix.source);
            } else {
              expect(c).toEqual(nb.cells[i]);
            }
          });
          expect(after.metadata).toEqual(nb.metadata);
        }
        expect(nb).toEqual(before);
      })
    );
  });

  it('all applied: terminates, leaves no safe fix and is idempotent', () => {
    fc.assert(
      fc.property(notebook, nb => {
        const before = clone(nb);
        const once = applyAllFixes(nb);
        expect(nb).toEqual(before);
        const left = checkNotebook(once).filter(
          f => f.fix?.kind === 'edit' && ruleInfo(f.rule)?.safeFix
        );
        expect(left).toEqual([]);
        expect(applyAllFixes(once)).toEqual(once);
      }),
      { numRuns: 300 }
    );
  });
});

type Edit =
  | { kind: 'set'; at: number; source: string }
  | { kind: 'insert'; at: number; cell: ICellLike }
  | { kind: 'delete'; at: number }
  | { kind: 'tag'; at: number }
  | { kind: 'kernel'; spec: number }
  | { kind: 'fix' };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({
    kind: fc.constant('set' as const),
    at: fc.nat(),
    source: magicish
  }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), cell }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('tag' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('kernel' as const), spec: fc.nat({ max: 2 }) }),
  fc.record({ kind: fc.constant('fix' as const) })
);

function applyEdit(nb: INotebookLike, e: Edit): INotebookLike {
  const cells = nb.cells.slice();
  const at = cells.length ? ('at' in e ? e.at % cells.length : 0) : 0;
  switch (e.kind) {
    case 'set':
      if (cells.length) {
        cells[at] = { ...cells[at], source: e.source };
      }
      return { ...nb, cells };
    case 'insert':
      cells.splice(at, 0, e.cell);
      return { ...nb, cells };
    case 'delete':
      cells.splice(at, 1);
      return { ...nb, cells };
    case 'tag':
      if (cells.length) {
        const tagged = cells[at].metadata?.tags?.includes('parameters');
        cells[at] = {
          ...cells[at],
          metadata: { tags: tagged ? [] : ['parameters'] }
        };
      }
      return { ...nb, cells };
    case 'kernel':
      return { ...nb, metadata: { kernelspec: KERNELSPECS[e.spec] } };
    case 'fix': {
      const fix = checkNotebook(nb).find(f => f.fix?.kind === 'edit')?.fix;
      return fix ? applyFix(nb, fix) : nb;
    }
  }
}

describe('the incremental checker', () => {
  it('gives the findings of a full check after any sequence of edits', () => {
    fc.assert(
      fc.property(
        notebook,
        fc.array(edit, { maxLength: 12 }),
        (start, edits) => {
          const checker = createIncrementalChecker();
          let nb = start;
          expect(checker.check(nb)).toEqual(checkNotebook(nb));
          for (const e of edits) {
            nb = applyEdit(nb, e);
            expect(checker.check(nb)).toEqual(checkNotebook(nb));
          }
        }
      ),
      { numRuns: 200 }
    );
  });

  // A re-check keeps the unchanged cells at the start and at the end of the
  // notebook; with only a few distinct cells, those runs are easy to get
  // wrong (an inserted cell equal to its neighbour, two edits far apart).
  it('gives the findings of a full check when the same cells repeat', () => {
    const pool = fc.constantFrom<ICellLike>(
      { cell_type: 'code', source: '%%local\nimport os', metadata: {} },
      {
        cell_type: 'code',
        source:
          '%load_ext sagemaker_studio_analytics_extension.magics\n' +
          "%sm_analytics emr connect --cluster-id {os.getenv('cluster_id')} " +
          '--auth-type None --language python',
        metadata: {}
      },
      { cell_type: 'code', source: 'import os\ncid = "j-1ABC"', metadata: {} },
      {
        cell_type: 'code',
        source: 'cid = "j-1ABC"',
        metadata: { tags: ['parameters'] }
      },
      { cell_type: 'markdown', source: '# notes', metadata: {} }
    );
    const change = fc.oneof(
      fc.record({
        kind: fc.constant('insert' as const),
        at: fc.nat(),
        cell: pool
      }),
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
      fc.record({
        kind: fc.constant('set' as const),
        at: fc.nat(),
        cell: pool
      }),
      fc.record({
        kind: fc.constant('move' as const),
        at: fc.nat(),
        to: fc.nat()
      })
    );
    type Change = typeof change extends fc.Arbitrary<infer T> ? T : never;
    const apply = (cells: ICellLike[], c: Change) => {
      const at = cells.length ? c.at % cells.length : 0;
      if (c.kind === 'insert') {
        cells.splice(at, 0, c.cell);
      } else if (cells.length && c.kind === 'delete') {
        cells.splice(at, 1);
      } else if (cells.length && c.kind === 'set') {
        cells[at] = { ...c.cell };
      } else if (cells.length && c.kind === 'move') {
        const [moved] = cells.splice(at, 1);
        cells.splice(c.to % (cells.length + 1), 0, moved);
      }
    };
    fc.assert(
      fc.property(
        fc.array(pool, { maxLength: 12 }),
        fc.constantFrom(...KERNELSPECS),
        // Each check follows one to three changes.
        fc.array(fc.array(change, { minLength: 1, maxLength: 3 }), {
          maxLength: 10
        }),
        (start, kernelspec, steps) => {
          const checker = createIncrementalChecker();
          let nb: INotebookLike = { cells: start, metadata: { kernelspec } };
          expect(checker.check(nb)).toEqual(checkNotebook(nb));
          for (const step of steps) {
            const cells = nb.cells.slice();
            step.forEach(c => apply(cells, c));
            nb = { ...nb, cells };
            expect(checker.check(nb)).toEqual(checkNotebook(nb));
          }
        }
      ),
      { numRuns: 300 }
    );
  });
});

const PYSPARK = KERNELSPECS[0];

describe('names only the Spark session has', () => {
  /** Cells by kind: remote assignments of cid, a local one, the connect cell, other work. */
  const CELLS: Record<string, string> = {
    remote: 'cid = "j-1ABCDEFGHIJKL"',
    remoteScala: 'val cid = sys.env.getOrElse("cluster_id", "j-1ABCDEFGHIJKL")',
    remoteSpark: 'cid = spark.conf.get("spark.emr.clusterId")',
    local: '%%local\ncid = "j-1ABCDEFGHIJKL"',
    connect:
      '%load_ext sagemaker_studio_analytics_extension.magics\n' +
      '%sm_analytics emr connect --cluster-id {cid} --auth-type None --language python',
    work: 'df = spark.range(3)\ndf.count()',
    localWork: '%%local\nimport os'
  };
  const REMOTE = ['remote', 'remoteScala', 'remoteSpark'];

  it('are reported exactly where the local kernel has not bound them before the line', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...KERNELSPECS),
        fc.array(fc.constantFrom(...Object.keys(CELLS)), { maxLength: 9 }),
        (kernelspec, kinds) => {
          const nb: INotebookLike = {
            cells: kinds.map(k => ({
              cell_type: 'code',
              source: CELLS[k],
              metadata: {}
            })),
            metadata: { kernelspec }
          };
          const sparkmagic = kernelspec !== KERNELSPECS[2];
          const expected = kinds.flatMap((kind, i) => {
            const earlier = kinds.slice(0, i);
            return kind === 'connect' &&
              sparkmagic &&
              earlier.some(k => REMOTE.includes(k)) &&
              !earlier.includes('local')
              ? [i]
              : [];
          });
          const reported = (n: INotebookLike) =>
            checkNotebook(n)
              .filter(f => f.rule === 'sparkmagic-remote-name')
              .map(f => f.cell);
          expect(reported(nb)).toEqual(expected);
          // The fixes copy what can run locally; the rest is left to the panel's form.
          const left = reported(applyAllFixes(nb));
          expect(
            left.every(i => kinds.slice(0, i).includes('remoteSpark'))
          ).toBe(true);
        }
      ),
      { numRuns: 300 }
    );
  });
});

describe('passwords', () => {
  const password = fc
    .tuple(
      fc.stringMatching(/^[A-Za-z]{2,8}$/),
      fc.stringMatching(/^[0-9!*+=-]{1,6}$/)
    )
    .map(([letters, rest]) => letters + rest);
  const LITERAL_FORMS = [
    (p: string) =>
      `%spark add -s s -l python -u https://livy:8998 -a analyst -p ${p}`,
    (p: string) => `url = "jdbc:postgresql://analyst:${p}@db:5432/sales"`,
    (p: string) => `conn = connect(host="db", user="analyst", password="${p}")`,
    (p: string) => `props = {"user": "analyst", "password": "${p}"}`,
    (p: string) =>
      `df = spark.read.option("user", "a").option("password", "${p}")`
  ];
  const RUNTIME_FORMS = [
    (p: string) => `conn = connect(user="analyst", password=os.getenv("${p}"))`,
    (p: string) => `conn = connect(user="analyst", password=creds["${p}"])`,
    (p: string) =>
      `conn = connect(user="analyst", password=${p.replace(/\W/g, '_')})`,
    (p: string) =>
      `conn = connect(user="analyst", password=os.environ.get("password", "${p}"))`,
    (p: string) => `conn = connect(user="analyst", password="<${p}>")`,
    () => 'conn = connect(user="analyst", password="")'
  ];
  const found = (source: string) =>
    checkNotebook({
      cells: [{ cell_type: 'code', source, metadata: {} }],
      metadata: { kernelspec: PYSPARK }
    }).filter(f => f.rule === 'password-literal');

  it('are found wherever a literal is written, and never quoted back', () => {
    fc.assert(
      fc.property(password, fc.constantFrom(...LITERAL_FORMS), (p, form) => {
        const findings = found(form(p));
        expect(findings.map(f => f.line)).toEqual([0]);
        expect(findings[0].message).not.toContain(p);
        expect(findings[0].fix?.kind).toBe('secret');
      })
    );
  });

  it('are not found where the value is read when the notebook runs', () => {
    fc.assert(
      fc.property(password, fc.constantFrom(...RUNTIME_FORMS), (p, form) => {
        expect(found(form(p))).toEqual([]);
      })
    );
  });
});
