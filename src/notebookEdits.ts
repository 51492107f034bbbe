/**
 * Writes this extension's cells into a notebook through the shared model, in
 * one transaction: the notebook's undo restores it in a single step.
 */
import type { NotebookPanel } from '@jupyterlab/notebook';
import type { ISharedCell } from '@jupyter/ydoc';
import { CELL_METADATA_KEY, CellPart, ICellSpec } from './core/connectCell';

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

/**
 * Where the first new cell of `specs` goes: connect cells at the top, other
 * cells (Redshift) after the last cell of ours, so they run after the connect.
 */
function firstIndex(
  cells: readonly ISharedCell[],
  specs: readonly ICellSpec[]
): number {
  const connect = specs.some(
    s => s.part === 'connect' || s.part === 'local-import'
  );
  if (!connect) {
    for (let i = cells.length - 1; i >= 0; i--) {
      if (partOf(cells[i])) {
        return i + 1;
      }
    }
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
 * Inserts the cells, or updates in place the cells of the same part that are
 * already there; never duplicates.
 */
export function upsertCells(
  panel: NotebookPanel,
  specs: readonly ICellSpec[]
): UpsertResult {
  const shared = assertEditable(panel).content.model!.sharedModel;
  let result: UpsertResult = 'unchanged';
  // One undo step of its own, never merged with the user's last typing.
  stopCapturing(shared);
  shared.transact(() => {
    let insertAt = firstIndex(shared.cells, specs);
    for (const spec of specs) {
      const index = shared.cells.findIndex(c => partOf(c) === spec.part);
      if (index >= 0) {
        const cell = shared.cells[index];
        if (cell.getSource() !== spec.source) {
          cell.setSource(spec.source);
          result = result === 'inserted' ? result : 'updated';
        }
        insertAt = index + 1;
        continue;
      }
      shared.insertCell(insertAt, {
        cell_type: 'code',
        source: spec.source,
        metadata: { [CELL_METADATA_KEY]: { part: spec.part } }
      });
      insertAt += 1;
      result = 'inserted';
    }
  });
  stopCapturing(shared);
  return result;
}
