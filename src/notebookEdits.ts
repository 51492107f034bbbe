/**
 * Writes this extension's cells into a notebook through the shared model, in
 * one transaction: the notebook's undo restores it in a single step.
 */
import type { NotebookPanel } from '@jupyterlab/notebook';
import type { ISharedCell } from '@jupyter/ydoc';
import { CELL_METADATA_KEY, CellPart, ICellSpec } from './core/connectCell';
import { adoptablePart } from './core/testRun';

export class NotebookEditError extends Error {
  name = 'NotebookEditError';
}

export type UpsertResult = 'inserted' | 'updated' | 'unchanged';

function partOf(cell: ISharedCell): CellPart | null {
  const meta = cell.getMetadata(CELL_METADATA_KEY) as
    { part?: CellPart } | undefined;
  return meta?.part ?? null;
}

/** Index after a leading markdown title, where new cells go. */
function topIndex(cells: readonly ISharedCell[]): number {
  const first = cells[0];
  if (
    first &&
    first.cell_type === 'markdown' &&
    /^\s*#/.test(first.getSource())
  ) {
    return 1;
  }
  return 0;
}

/** Where each part already is: one pass over the notebook. */
interface ICellIndex {
  /** The cell marked as each part (the first one, should there be two). */
  marked: Map<CellPart, number>;
  /** A hand-written cell `adopt` would take for each part. */
  adoptable: Map<CellPart, number>;
  /** The last cell marked as ours (-1: none). */
  lastMarked: number;
}

function indexCells(
  cells: readonly ISharedCell[],
  adopt: (cell: ISharedCell) => CellPart | null
): ICellIndex {
  const index: ICellIndex = {
    marked: new Map(),
    adoptable: new Map(),
    lastMarked: -1
  };
  cells.forEach((cell, i) => {
    const part = partOf(cell);
    if (part) {
      if (!index.marked.has(part)) {
        index.marked.set(part, i);
      }
      index.lastMarked = i;
      return;
    }
    const adoptable = adopt(cell);
    if (adoptable && !index.adoptable.has(adoptable)) {
      index.adoptable.set(adoptable, i);
    }
  });
  return index;
}

/**
 * Where the first new cell of `specs` goes: connect cells at the top, other
 * cells (Redshift) after the last cell of ours, so they run after the connect.
 */
function firstIndex(
  cells: readonly ISharedCell[],
  specs: readonly ICellSpec[],
  index: ICellIndex
): number {
  const connect = specs.some(
    s => s.part === 'connect' || s.part === 'local-import'
  );
  if (!connect && index.lastMarked >= 0) {
    return index.lastMarked + 1;
  }
  return topIndex(cells);
}

/** Ends the current undo step (YNotebook's UndoManager; not in the interface). */
function stopCapturing(shared: object): void {
  (
    shared as { undoManager?: { stopCapturing(): void } | null }
  ).undoManager?.stopCapturing();
}

/** Refuses, with a reason, a notebook that cannot be edited. */
export function assertEditable(panel: NotebookPanel | null): NotebookPanel {
  if (!panel || panel.isDisposed || !panel.content.model) {
    throw new NotebookEditError(
      'Open a notebook first: the connect cell goes into the active notebook.'
    );
  }
  if (
    panel.content.model.readOnly ||
    panel.context.contentsModel?.writable === false
  ) {
    throw new NotebookEditError(
      `${panel.context.path} is read-only. Save a copy (File > Save Notebook As) and try again there.`
    );
  }
  return panel;
}

/**
 * A hand-written connect cell that holds nothing else (so nothing is lost
 * when it is rewritten), or `%%local` + `import os` alone: the same reading a
 * test run makes of the notebook (`adoptablePart`).
 */
export function adoptConnectCell(cell: ISharedCell): CellPart | null {
  return adoptablePart(cell.cell_type, cell.getSource());
}

/**
 * Inserts the cells, or updates in place the cells of the same part that are
 * already there; never duplicates.
 */
export function upsertCells(
  panel: NotebookPanel,
  specs: readonly ICellSpec[],
  adopt: (cell: ISharedCell) => CellPart | null = () => null
): UpsertResult {
  const shared = assertEditable(panel).content.model!.sharedModel;
  let result: UpsertResult = 'unchanged';
  // One undo step of its own, never merged with the user's last typing.
  stopCapturing(shared);
  shared.transact(() => {
    // `shared.cells` follows the inserts only when the transaction ends:
    // cells are read at their original index, inserts go to live positions.
    const cells = shared.cells;
    const index = indexCells(cells, adopt);
    const inserts: number[] = [];
    /** Where the cell at original index `at` is now. */
    const live = (at: number) =>
      inserts.reduce((now, p) => (p <= now ? now + 1 : now), at);
    // Missing parts go next to those still there, in the specs' order.
    const present = specs
      .map(
        spec => index.marked.get(spec.part) ?? index.adoptable.get(spec.part)
      )
      .filter((at): at is number => at !== undefined);
    let insertAt = present.length
      ? Math.min(...present)
      : firstIndex(cells, specs, index);
    for (const spec of specs) {
      let at = index.marked.get(spec.part) ?? -1;
      if (at < 0) {
        // A cell the user wrote for the same purpose becomes ours, in place.
        at = index.adoptable.get(spec.part) ?? -1;
        if (at >= 0) {
          index.adoptable.delete(spec.part);
          cells[at].setMetadata(CELL_METADATA_KEY, { part: spec.part });
          result = 'updated';
        }
      }
      if (at >= 0) {
        const cell = cells[at];
        if (cell.getSource() !== spec.source) {
          cell.setSource(spec.source);
          result = result === 'inserted' ? result : 'updated';
        }
        insertAt = live(at) + 1;
        continue;
      }
      shared.insertCell(insertAt, {
        cell_type: 'code',
        source: spec.source,
        metadata: { [CELL_METADATA_KEY]: { part: spec.part } }
      });
      inserts.push(insertAt);
      insertAt += 1;
      result = 'inserted';
    }
  });
  stopCapturing(shared);
  return result;
}

/** Replaces one cell's source as a single undo step (a checker's fix). */
export function replaceCellSource(
  panel: NotebookPanel,
  index: number,
  source: string
): void {
  const shared = assertEditable(panel).content.model!.sharedModel;
  const cell = shared.cells[index];
  if (!cell) {
    throw new NotebookEditError(
      `Cell ${index + 1} is gone; check the notebook again.`
    );
  }
  stopCapturing(shared);
  shared.transact(() => cell.setSource(source));
  stopCapturing(shared);
}
