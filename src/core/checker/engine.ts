/**
 * Whole-notebook, per-cell and incremental checking.
 *
 * A check has two layers: the per-cell scan (findings and facts from one
 * cell's text and the kernel family, cacheable by text) and the few
 * notebook-level rules that read the facts of other cells through the
 * context. Nothing here throws, whatever the input looks like.
 */
import { IKernelSpecLike, kernelFamily, KernelFamily } from '../kernel';
import {
  buildContext,
  contextFindings,
  ICellSource,
  isParametersCell
} from './context';
import { EMPTY_SCAN, ICellScan, scanCell } from './scan';
import { compareLocal, ILocalFinding, materialize, sourceText } from './text';
import type {
  ICellLike,
  IFinding,
  INotebookContext,
  INotebookLike
} from './types';

function cellsOf(nb: unknown): readonly unknown[] {
  const cells = (nb as { cells?: unknown } | null | undefined)?.cells;
  return Array.isArray(cells) ? cells : [];
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** The kernel family of a notebook; a missing or odd kernelspec is IPython. */
export function familyOf(nb: unknown): KernelFamily {
  const metadata = (nb as { metadata?: unknown } | null | undefined)?.metadata;
  const spec = (metadata as { kernelspec?: unknown } | null | undefined)
    ?.kernelspec as Record<string, unknown> | null | undefined;
  const safe: IKernelSpecLike = {
    name: stringOrNull(spec?.name),
    display_name: stringOrNull(spec?.display_name),
    language: stringOrNull(spec?.language)
  };
  return kernelFamily(safe);
}

function isCode(cell: unknown): boolean {
  return (cell as { cell_type?: unknown } | null)?.cell_type === 'code';
}

function sourceOf(cell: unknown): unknown {
  return (cell as { source?: unknown } | null)?.source;
}

/** Materializes one cell's findings, merged with its notebook-level ones. */
function cellFindings(
  index: number,
  local: readonly ILocalFinding[],
  extra: readonly ILocalFinding[]
): IFinding[] {
  const all = extra.length ? [...local, ...extra].sort(compareLocal) : local;
  return all.map(f => materialize(f, index));
}

/** What the rules of one cell need to know about the whole notebook. */
export function notebookContext(nb: INotebookLike): INotebookContext {
  const cells = cellsOf(nb);
  const family = familyOf(nb);
  const texts = cells.map(cell =>
    isCode(cell) ? sourceText(sourceOf(cell)) : ''
  );
  const scans = texts.map((text, i) =>
    isCode(cells[i]) ? scanCell(text, family) : EMPTY_SCAN
  );
  return buildContext(family, arraySource(cells, texts, scans));
}

function arraySource(
  cells: readonly unknown[],
  texts: readonly string[],
  scans: readonly ICellScan[]
): ICellSource {
  return {
    count: cells.length,
    scanAt: i => scans[i],
    textAt: i => texts[i],
    isCodeAt: i => isCode(cells[i]),
    isParametersAt: i => isParametersCell(cells[i])
  };
}

/** The findings of one cell, given the notebook's context. */
export function checkCell(
  cell: ICellLike,
  index: number,
  context: INotebookContext
): IFinding[] {
  if (!isCode(cell)) {
    return [];
  }
  const text = sourceText(sourceOf(cell));
  const scan = scanCell(text, context.family);
  return cellFindings(
    index,
    scan.findings,
    contextFindings(index, text, scan, context)
  );
}

/** Every finding of the notebook, by cell, then line, then rule id. */
export function checkNotebook(nb: INotebookLike): IFinding[] {
  const cells = cellsOf(nb);
  const family = familyOf(nb);
  const texts: string[] = new Array(cells.length);
  const scans: ICellScan[] = new Array(cells.length);
  for (let i = 0; i < cells.length; i++) {
    const code = isCode(cells[i]);
    texts[i] = code ? sourceText(sourceOf(cells[i])) : '';
    scans[i] = code ? scanCell(texts[i], family) : EMPTY_SCAN;
  }
  const context = buildContext(family, arraySource(cells, texts, scans));
  const findings: IFinding[] = [];
  for (let i = 0; i < cells.length; i++) {
    const scan = scans[i];
    if (scan.findings.length || scan.relevant) {
      findings.push(
        ...cellFindings(
          i,
          scan.findings,
          contextFindings(i, texts[i], scan, context)
        )
      );
    }
  }
  return findings;
}

/** Re-checks a notebook after edits, re-scanning only the changed cells. */
export interface IIncrementalChecker {
  /** Every finding, exactly as `checkNotebook` gives them. */
  check(nb: INotebookLike): IFinding[];
  /** The context of the last check (null before the first). */
  readonly context: INotebookContext | null;
  /** How many cells the last check had to scan. */
  readonly lastRescanned: number;
  /** Drops everything cached. */
  reset(): void;
}

interface IEntry {
  code: boolean;
  /** The source as given (strings) or a copy of its parts (lists). */
  source: unknown;
  /** Whether the cell is tagged as the job's parameters. */
  params: boolean;
  text: string;
  scan: ICellScan;
  /** The scan's findings materialized for the cell at `at`. */
  materialized: IFinding[] | null;
  at: number;
}

const NOT_CODE: IEntry = Object.freeze({
  code: false,
  source: undefined,
  params: false,
  text: '',
  scan: EMPTY_SCAN,
  materialized: null,
  at: -1
}) as IEntry;

/** Whether a list-form source still holds the same parts. */
function sameParts(previous: unknown, source: unknown): boolean {
  if (!Array.isArray(previous) || !Array.isArray(source)) {
    return false;
  }
  if (previous.length !== source.length) {
    return false;
  }
  for (let k = 0; k < source.length; k++) {
    if (previous[k] !== source[k]) {
      return false;
    }
  }
  return true;
}

/** Whether `cell` still says what its entry was made from. */
function unchanged(cell: unknown, entry: IEntry): boolean {
  if (!isCode(cell)) {
    return !entry.code;
  }
  if (!entry.code) {
    return false;
  }
  const source = sourceOf(cell);
  const same =
    typeof source === 'string'
      ? source === entry.source
      : sameParts(entry.source, source);
  return same && isParametersCell(cell) === entry.params;
}

/** A cell the notebook-level rules read, or one with findings of its own. */
function isNotable(entry: IEntry): boolean {
  return (
    entry.code &&
    (entry.params || entry.scan.relevant || entry.scan.findings.length > 0)
  );
}

/**
 * Re-checks by what changed: the cells that are the same at the start and
 * at the end of the notebook keep their entries, only those in between are
 * looked at again, and the rules and findings read only the notable cells
 * (a few in a hundred), so a re-check after one edit never walks every
 * cell's scan.
 */
class IncrementalChecker implements IIncrementalChecker {
  private _family: KernelFamily | null = null;
  private _entries: IEntry[] = [];
  /** Indices of the notable entries, in order. */
  private _notable: number[] = [];
  private _byText = new Map<string, ICellScan>();
  private _context: INotebookContext | null = null;
  private _rescanned = 0;

  get context(): INotebookContext | null {
    return this._context;
  }

  get lastRescanned(): number {
    return this._rescanned;
  }

  reset(): void {
    this._family = null;
    this._entries = [];
    this._notable = [];
    this._byText.clear();
    this._context = null;
    this._rescanned = 0;
  }

  check(nb: INotebookLike): IFinding[] {
    const cells = cellsOf(nb);
    const family = familyOf(nb);
    if (family !== this._family) {
      // Every scan depends on the family.
      this.reset();
      this._family = family;
    }
    this._rescanned = 0;
    const entries = this._update(cells, family);
    const notable = this._notable;
    if (this._byText.size > 2 * cells.length + 1024) {
      // Forget the texts of edits that are gone.
      this._byText = new Map(
        entries.filter(e => e.code).map(e => [e.text, e.scan])
      );
    }

    const context = buildContext(family, {
      count: cells.length,
      scanAt: i => entries[i].scan,
      textAt: i => entries[i].text,
      isCodeAt: i => entries[i].code,
      isParametersAt: i => entries[i].params,
      notable
    });
    this._context = context;

    const findings: IFinding[] = [];
    for (const i of notable) {
      const entry = entries[i];
      const scan = entry.scan;
      if (!scan.findings.length && !scan.relevant) {
        continue;
      }
      const extra = contextFindings(i, entry.text, scan, context);
      if (extra.length) {
        findings.push(...cellFindings(i, scan.findings, extra));
        continue;
      }
      if (!entry.materialized || entry.at !== i) {
        entry.materialized = cellFindings(i, scan.findings, []);
        entry.at = i;
      }
      findings.push(...entry.materialized);
    }
    return findings;
  }

  /**
   * The entries of `cells`: the unchanged run at the start and the one at
   * the end are kept as they were (the end's moved by the cells added or
   * removed), and `_notable` follows them.
   */
  private _update(cells: readonly unknown[], family: KernelFamily): IEntry[] {
    const previous = this._entries;
    const n = cells.length;
    const m = previous.length;
    const limit = Math.min(n, m);
    let head = 0;
    while (head < limit && unchanged(cells[head], previous[head])) {
      head++;
    }
    let tail = 0;
    while (
      tail < limit - head &&
      unchanged(cells[n - 1 - tail], previous[m - 1 - tail])
    ) {
      tail++;
    }
    if (head === n && n === m) {
      return previous;
    }
    // Between the two runs: old entries [head, m - tail), new cells [head, n - tail).
    const middle: IEntry[] = new Array(n - tail - head);
    for (let i = head; i < n - tail; i++) {
      const old = i < m - tail ? previous[i] : undefined;
      middle[i - head] =
        old && unchanged(cells[i], old)
          ? old
          : this._entry(cells[i], old, family);
    }
    const entries = previous
      .slice(0, head)
      .concat(middle, previous.slice(m - tail));

    const shift = n - m;
    const notable: number[] = [];
    for (const i of this._notable) {
      if (i >= head) {
        break;
      }
      notable.push(i);
    }
    for (let i = head; i < n - tail; i++) {
      if (isNotable(entries[i])) {
        notable.push(i);
      }
    }
    for (const i of this._notable) {
      if (i >= m - tail) {
        notable.push(i + shift);
      }
    }
    this._entries = entries;
    this._notable = notable;
    return entries;
  }

  private _entry(
    cell: unknown,
    old: IEntry | undefined,
    family: KernelFamily
  ): IEntry {
    if (!isCode(cell)) {
      return NOT_CODE;
    }
    const source = sourceOf(cell);
    const text = sourceText(source);
    let scan = old && old.code && old.text === text ? old.scan : undefined;
    if (!scan) {
      scan = this._byText.get(text);
    }
    if (!scan) {
      scan = scanCell(text, family);
      this._byText.set(text, scan);
      this._rescanned++;
    }
    return {
      code: true,
      source: Array.isArray(source) ? source.slice() : source,
      params: isParametersCell(cell),
      text,
      scan,
      materialized: null,
      at: -1
    };
  }
}

export function createIncrementalChecker(): IIncrementalChecker {
  return new IncrementalChecker();
}
