/**
 * The readiness checker on big notebooks: a whole check, the first check of
 * an incremental checker, and a re-check after one edit, by kind of edit.
 *
 *   node .stamps/bench/build/bench/checker.js <out.json> <notebook.ipynb>...
 *
 * Built with `npx tsc -p bench/tsconfig.json`; bench/run.py writes the
 * notebooks (bench/notebooks.py) and runs it.
 */
import * as fs from 'fs';
import { performance } from 'perf_hooks';
import {
  checkNotebook,
  createIncrementalChecker,
  ICellLike,
  INotebookLike
} from '../src/core/checker';

interface ISummary {
  median: number;
  p90: number;
  max: number;
  samples: number;
}

function summarize(values: number[]): ISummary {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const mid = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  const round = (v: number) => Number(v.toFixed(3));
  return {
    median: round(median),
    p90: round(at(0.9)),
    max: round(sorted[sorted.length - 1]),
    samples: values.length
  };
}

function time(fn: () => unknown): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

/** The notebook as JupyterLab hands it to the checker: sources as strings. */
function asLive(nb: any): INotebookLike {
  return {
    cells: nb.cells.map((c: any) => ({
      cell_type: c.cell_type,
      source: Array.isArray(c.source) ? c.source.join('') : c.source,
      metadata: { tags: c.metadata?.tags }
    })),
    metadata: { kernelspec: nb.metadata?.kernelspec }
  };
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

function middleOf(nb: INotebookLike, predicate: (c: ICellLike) => boolean) {
  const half = Math.floor(nb.cells.length / 2);
  for (let d = 0; d < nb.cells.length; d++) {
    for (const i of [half + d, half - d]) {
      if (i >= 0 && i < nb.cells.length && predicate(nb.cells[i])) {
        return i;
      }
    }
  }
  return -1;
}

const isSparkCode = (c: ICellLike) =>
  c.cell_type === 'code' &&
  typeof c.source === 'string' &&
  !c.source.startsWith('%') &&
  !c.source.includes('emr connect');

/** One edit, applied to the notebook `nb` for the `k`th time. */
type Edit = (nb: INotebookLike, k: number) => INotebookLike;

const EDITS: Record<string, Edit> = {
  // Typing in a Spark code cell in the middle of the notebook.
  'type in a code cell': (nb, k) => {
    const i = middleOf(nb, isSparkCode);
    const cell = nb.cells[i];
    return withCell(nb, i, {
      ...cell,
      source: `${cell.source}\nx_${k} = ${k}`
    });
  },
  // Typing in a markdown cell: nothing to scan.
  'type in a markdown cell': (nb, k) => {
    const i = middleOf(nb, c => c.cell_type === 'markdown');
    const cell = nb.cells[i];
    return withCell(nb, i, { ...cell, source: `${cell.source} ${k}` });
  },
  // The connect cell changes: every cell's notebook-level rules are re-read.
  'edit the connect cell': (nb, k) => {
    const i = nb.cells.findIndex(
      c => typeof c.source === 'string' && c.source.includes('emr connect')
    );
    const cell = nb.cells[i];
    const source = (cell.source as string).replace(
      /j-[A-Z0-9]+/,
      `j-EDIT${String(k).padStart(6, '0')}`
    );
    return withCell(nb, i, { ...cell, source });
  },
  // A new cell in the middle: every later cell moves down one place.
  'insert a cell in the middle': (nb, k) => {
    const cells = nb.cells.slice();
    cells.splice(Math.floor(cells.length / 2), 0, {
      cell_type: 'code',
      source: `df_new_${k} = spark.range(${k})`,
      metadata: {}
    });
    return { ...nb, cells };
  }
};

/** Runs every code path until the JIT has settled (`ms` per notebook). */
function warmUp(notebooks: INotebookLike[], ms: number): void {
  for (const nb of notebooks) {
    const until = performance.now() + ms;
    const checker = createIncrementalChecker();
    let current = nb;
    for (let k = 0; performance.now() < until || k < 3; k++) {
      checkNotebook(nb);
      current = EDITS['type in a code cell'](current, k);
      checker.check(current);
    }
  }
}

function benchSize(nb: INotebookLike) {
  const cells = nb.cells.length;
  const samples = cells >= 10000 ? 11 : 21;
  const warmup = 3;

  const full: number[] = [];
  let findings = 0;
  for (let i = 0; i < warmup + samples; i++) {
    let result: unknown[] = [];
    const t = time(() => {
      result = checkNotebook(nb);
    });
    findings = result.length;
    if (i >= warmup) {
      full.push(t);
    }
  }

  const cold: number[] = [];
  for (let i = 0; i < warmup + samples; i++) {
    const checker = createIncrementalChecker();
    const t = time(() => checker.check(nb));
    if (i >= warmup) {
      cold.push(t);
    }
  }

  const edits: Record<string, ISummary & { rescanned: number }> = {};
  for (const [name, edit] of Object.entries(EDITS)) {
    const checker = createIncrementalChecker();
    let current = nb;
    checker.check(current);
    const times: number[] = [];
    let rescanned = 0;
    for (let k = 0; k < warmup + 2 * samples; k++) {
      current = edit(current, k);
      const t = time(() => checker.check(current));
      if (k >= warmup) {
        times.push(t);
        rescanned = Math.max(rescanned, checker.lastRescanned);
      }
    }
    edits[name] = { ...summarize(times), rescanned };
  }

  const result = {
    cells,
    codeCells: nb.cells.filter(c => c.cell_type === 'code').length,
    findings,
    full: summarize(full),
    incrementalFirst: summarize(cold),
    edits
  };
  process.stderr.write(
    `  checker ${cells} cells: full ${result.full.median.toFixed(2)} ms, ` +
      Object.entries(edits)
        .map(([k, v]) => `${k} ${v.median.toFixed(3)} ms`)
        .join(', ') +
      '\n'
  );
  return result;
}

function main(): void {
  const [out, ...paths] = process.argv.slice(2);
  if (!out || paths.length === 0) {
    throw new Error('usage: checker.js <out.json> <notebook.ipynb>...');
  }
  const notebooks = paths.map(path =>
    asLive(JSON.parse(fs.readFileSync(path, 'utf8')))
  );
  warmUp(notebooks, 400);
  const sizes = notebooks.map(benchSize);
  fs.writeFileSync(
    out,
    JSON.stringify({ node: process.version, sizes }, null, 1)
  );
}

main();
