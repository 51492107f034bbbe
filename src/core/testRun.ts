/**
 * A test run's notebook: the small notebook made from the user's one, holding
 * only what the connection needs: the `%%local` cell and the connect cell as
 * the notebook has them (or, when it has none yet, the cells the panel would
 * insert), then one trivial statement on the Spark session, in the kernel's
 * language. Running it proves what the checks cannot: the job's role, the
 * secret's contents, what the cluster answers.
 */
import { readMagics } from './checker/grammar';
import {
  CELL_METADATA_KEY,
  CellPart,
  connectCells,
  ICellSpec,
  IConnectOptions,
  IConnectState
} from './connectCell';
import { KernelFamily } from './kernel';

/** A notebook cell as nbformat writes it (`source` a string or its lines). */
export interface INotebookCellLike {
  cell_type: string;
  source: string | readonly string[];
  metadata?: Record<string, unknown> | null;
}

export interface INotebookLike {
  cells: readonly INotebookCellLike[];
  metadata?: Record<string, unknown> | null;
}

/** The part a test run's cell plays. */
export type TestRunPart = 'local-import' | 'connect' | 'spark';

export interface ITestRunCell {
  part: TestRunPart;
  source: string;
}

export interface ITestRunNotebook {
  cells: ITestRunCell[];
  /** Whether the connect cells are the notebook's own or the panel's. */
  connectFrom: 'notebook' | 'panel';
}

/** Tag on a test run's job, so no list mistakes it for a scheduled run. */
export const TEST_RUN_TAG = 'emr-schedule:test-run';
/**
 * The folder, next to the user's notebook, a test run's notebook goes in; it
 * is removed with the test run when nothing else is in it. Not hidden: the
 * contents API refuses hidden paths on a server that does not allow them.
 */
export const TEST_RUN_FOLDER = 'emr-schedule-test-runs';
/** The statement the Spark session answers (the same in Python and Scala). */
export const SPARK_PROBE = 'spark.range(1).count()';

/** Lines a hand-written connect cell may hold besides its magic commands. */
const CONNECT_CELL_LINE = /^\s*(?:%.*|import os\s*|#.*)?$/;

export function cellSource(cell: INotebookCellLike): string {
  return typeof cell.source === 'string' ? cell.source : cell.source.join('');
}

/**
 * The part a hand-written cell can be taken as: a connect cell that holds
 * nothing else, read with the magic's grammar (an `emr connect` or
 * `emr-serverless connect` command, over as many lines as the magic reads
 * it), or `%%local` + `import os` alone.
 */
export function adoptablePart(
  cellType: string,
  source: string
): CellPart | null {
  if (cellType !== 'code') {
    return null;
  }
  if (/^%%local\s*\n\s*import os\s*$/.test(source.trim())) {
    return 'local-import';
  }
  const lines = source.split('\n');
  const magics = readMagics(lines);
  const inMagic = (i: number) =>
    magics.some(({ command }) => command.start <= i && i <= command.end);
  if (
    magics.some(({ reading }) => reading.connect !== null) &&
    lines.every((line, i) => inMagic(i) || CONNECT_CELL_LINE.test(line))
  ) {
    return 'connect';
  }
  return null;
}

/** The part of ours a cell is marked as, if any. */
function markedPart(cell: INotebookCellLike): string | null {
  const meta = cell.metadata?.[CELL_METADATA_KEY] as
    { part?: unknown } | undefined;
  return typeof meta?.part === 'string' ? meta.part : null;
}

/** Where the notebook's connect cells are: ours first, else hand-written. */
function findParts(
  cells: readonly INotebookCellLike[]
): Map<'local-import' | 'connect', number> {
  const marked = new Map<'local-import' | 'connect', number>();
  const adoptable = new Map<'local-import' | 'connect', number>();
  cells.forEach((cell, i) => {
    const part = markedPart(cell);
    if (part) {
      if (
        (part === 'local-import' || part === 'connect') &&
        !marked.has(part)
      ) {
        marked.set(part, i);
      }
      return;
    }
    const found = adoptablePart(cell.cell_type, cellSource(cell));
    if (
      (found === 'local-import' || found === 'connect') &&
      !adoptable.has(found)
    ) {
      adoptable.set(found, i);
    }
  });
  const at = new Map<'local-import' | 'connect', number>();
  for (const part of ['local-import', 'connect'] as const) {
    const i = marked.get(part) ?? adoptable.get(part);
    if (i !== undefined) {
      at.set(part, i);
    }
  }
  return at;
}

/**
 * The statement that asks the cluster's Spark session for an answer. A
 * SparkMagic kernel sends a plain cell to the session; an IPython kernel
 * runs it there through sparkmagic's `%%spark` cell magic, which the
 * analytics magic loads and points at the session it starts.
 */
export function sparkProbeCell(family: KernelFamily): ITestRunCell {
  return {
    part: 'spark',
    source: family === 'sparkmagic' ? SPARK_PROBE : `%%spark\n${SPARK_PROBE}`
  };
}

/**
 * The test run's cells. The notebook's own connect cell (and, for SparkMagic
 * kernels, its `%%local` cell) as it has them; when it has no connect cell
 * yet, the cells the panel would insert for `state` (it throws, as
 * `connectCells` does, on a state that cannot be written).
 */
export function testRunCells(
  notebook: INotebookLike,
  family: KernelFamily,
  state: IConnectState,
  options: IConnectOptions
): ITestRunNotebook {
  const at = findParts(notebook.cells);
  const connectAt = at.get('connect');
  let cells: ITestRunCell[];
  let connectFrom: ITestRunNotebook['connectFrom'];
  if (connectAt !== undefined) {
    connectFrom = 'notebook';
    cells = [];
    const localAt = at.get('local-import');
    if (family === 'sparkmagic' && localAt !== undefined) {
      cells.push({
        part: 'local-import',
        source: cellSource(notebook.cells[localAt])
      });
    }
    cells.push({
      part: 'connect',
      source: cellSource(notebook.cells[connectAt])
    });
  } else {
    connectFrom = 'panel';
    cells = connectCells(state, options, family).map((spec: ICellSpec) => ({
      part: spec.part === 'local-import' ? 'local-import' : 'connect',
      source: spec.source
    }));
  }
  cells.push(sparkProbeCell(family));
  return { cells, connectFrom };
}

/**
 * The nbformat 4 notebook of a test run: its cells, and the user's
 * notebook's kernelspec and language, so the job starts the same kernel.
 */
export function testRunNotebook(
  notebook: INotebookLike,
  cells: readonly ITestRunCell[]
): Record<string, unknown> {
  const meta = notebook.metadata ?? {};
  const metadata: Record<string, unknown> = {
    [CELL_METADATA_KEY]: { testRun: true }
  };
  if (meta.kernelspec) {
    metadata.kernelspec = meta.kernelspec;
  }
  if (meta.language_info) {
    metadata.language_info = meta.language_info;
  }
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata,
    cells: cells.map((cell, i) => ({
      id: `emr-schedule-test-${i}`,
      cell_type: 'code',
      execution_count: null,
      metadata: { [CELL_METADATA_KEY]: { part: cell.part } },
      outputs: [],
      source: cell.source
    }))
  };
}

/** `<stem>-test-<UTC timestamp>.ipynb`, a name the scheduler accepts. */
export function testRunFileName(notebookPath: string, now: Date): string {
  const file = notebookPath.split('/').pop() ?? notebookPath;
  const stem =
    file
      .replace(/\.ipynb$/i, '')
      .replace(/[^A-Za-z0-9._-]/g, '-')
      .slice(0, 60) || 'notebook';
  const stamp = now
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/[-:]/g, '');
  return `${stem}-test-${stamp}.ipynb`;
}

/** The test run folder next to the notebook at `notebookPath`. */
export function testRunFolder(notebookPath: string): string {
  const i = notebookPath.lastIndexOf('/');
  return i < 0
    ? TEST_RUN_FOLDER
    : `${notebookPath.slice(0, i + 1)}${TEST_RUN_FOLDER}`;
}

/** Whether a scheduler job is a test run (by its tags). */
export function isTestRunJob(job: {
  tags?: readonly string[] | null;
}): boolean {
  return !!job.tags?.includes(TEST_RUN_TAG);
}

/** What a test run connects to, as its connect cell says under `env`. */
export interface ITestRunTarget {
  service: 'emr' | 'emr-serverless';
  /** The cluster or application id, when the cell and `env` tell it. */
  id: string | null;
}

const GETENV =
  /^\{\s*os\.getenv\(\s*['"]([^'"]+)['"]\s*(?:,\s*['"]([^'"]*)['"]\s*)?\)\s*\}$/;

/** An option's value as the job's kernel would read it under `env`. */
function valueUnder(text: string, env: Readonly<Record<string, string>>) {
  const getenv = GETENV.exec(text);
  if (getenv) {
    return env[getenv[1]] || getenv[2] || null;
  }
  return /^[A-Za-z0-9._:/-]+$/.test(text) ? text : null;
}

/** The cluster or application the test run's connect cell connects to. */
export function testRunTarget(
  cells: readonly ITestRunCell[],
  env: Readonly<Record<string, string>>
): ITestRunTarget | null {
  for (const cell of cells) {
    if (cell.part !== 'connect') {
      continue;
    }
    for (const { reading } of readMagics(cell.source.split('\n'))) {
      if (!reading.connect) {
        continue;
      }
      const option =
        reading.connect === 'emr-serverless' ? 'application-id' : 'cluster-id';
      const value = reading.options.get(option)?.value?.text;
      return {
        service: reading.connect,
        id: value ? valueUnder(value, env) : null
      };
    }
  }
  return null;
}
