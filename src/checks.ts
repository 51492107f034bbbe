/**
 * The readiness checks of open notebooks, kept current as the user edits.
 *
 * One `NotebookChecks` per notebook panel. Edits are debounced and the
 * checker is incremental (unchanged cells are not scanned again), so typing
 * never waits for a check. Loaded on first use, with the checker.
 */
import type { NotebookPanel } from '@jupyterlab/notebook';
import type { ISharedCell } from '@jupyter/ydoc';
import { ISignal, Signal } from '@lumino/signaling';
import {
  createIncrementalChecker,
  ICellLike,
  IFinding,
  INotebookLike
} from './core/checker';
import type { IKernelSpecLike } from './core/kernel';
import { replaceCellSource } from './notebookEdits';

/** Quiet time after the last edit before the notebook is checked again. */
const DEBOUNCE_MS = 400;

function tagsOf(cell: ISharedCell): string[] | undefined {
  const tags = cell.getMetadata('tags');
  return Array.isArray(tags) ? (tags as string[]) : undefined;
}

/**
 * Each shared cell as the checker reads it, kept until the cell changes: a
 * check after a one-cell edit reads one cell's text, not the notebook's.
 */
const cellLikes = new WeakMap<ISharedCell, ICellLike>();

/** Forgets a cell's entry when its source, metadata or outputs change. */
function forget(cell: ISharedCell): void {
  cellLikes.delete(cell);
}

function cellLike(cell: ISharedCell): ICellLike {
  let entry = cellLikes.get(cell);
  if (!entry) {
    entry = {
      cell_type: cell.cell_type,
      source: cell.getSource(),
      metadata: { tags: tagsOf(cell) }
    };
    cellLikes.set(cell, entry);
    // One connection per cell: connecting the same slot again is a no-op.
    cell.changed.connect(forget);
  }
  return entry;
}

/** The notebook as the checker reads it. */
export function notebookLike(panel: NotebookPanel): INotebookLike {
  const shared = panel.content.model?.sharedModel;
  const kernelspec = shared?.getMetadata('kernelspec') as
    IKernelSpecLike | undefined;
  const session = panel.sessionContext.session?.kernel?.name;
  return {
    cells: (shared?.cells ?? []).map(cellLike),
    metadata: {
      kernelspec: session ? { ...kernelspec, name: session } : kernelspec
    }
  };
}

export class NotebookChecks {
  constructor(readonly panel: NotebookPanel) {
    panel.content.model?.contentChanged.connect(this._schedule, this);
    panel.sessionContext.kernelChanged.connect(this._schedule, this);
    panel.disposed.connect(this.dispose, this);
    this.refresh();
  }

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get findings(): readonly IFinding[] {
    return this._findings;
  }

  get errorCount(): number {
    return this._findings.filter(f => f.severity === 'error').length;
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  /** Checks now (cancelling a pending check) and returns the findings. */
  refresh(): readonly IFinding[] {
    if (this._timer !== null) {
      clearTimeout(this._timer);
      this._timer = null;
    }
    if (this._disposed || !this.panel.content.model) {
      return this._findings;
    }
    this._findings = this._checker.check(notebookLike(this.panel));
    this._changed.emit();
    return this._findings;
  }

  /**
   * Applies the edit fix of `finding` as one undoable step. The notebook is
   * checked again first, so a fix computed before the user's last edit is
   * never applied to text that has changed since.
   */
  applyFix(finding: IFinding): boolean {
    const fresh = this.refresh().find(
      f =>
        f.rule === finding.rule &&
        f.cell === finding.cell &&
        f.line === finding.line &&
        f.fix?.kind === 'edit'
    );
    if (!fresh || fresh.fix?.kind !== 'edit') {
      return false;
    }
    replaceCellSource(this.panel, fresh.fix.cell, fresh.fix.source);
    this.refresh();
    return true;
  }

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    if (this._timer !== null) {
      clearTimeout(this._timer);
    }
    this.panel.content.model?.contentChanged.disconnect(this._schedule, this);
    this.panel.sessionContext.kernelChanged.disconnect(this._schedule, this);
    registry.delete(this.panel);
    Signal.clearData(this);
  }

  private _schedule(): void {
    if (this._timer !== null) {
      clearTimeout(this._timer);
    }
    this._timer = setTimeout(() => {
      this._timer = null;
      this.refresh();
    }, DEBOUNCE_MS);
  }

  private _checker = createIncrementalChecker();
  private _findings: readonly IFinding[] = [];
  private _timer: ReturnType<typeof setTimeout> | null = null;
  private _disposed = false;
  private _changed = new Signal<this, void>(this);
}

const registry = new Map<NotebookPanel, NotebookChecks>();

/** The checks of `panel`, created on first use. */
export function checksFor(panel: NotebookPanel): NotebookChecks {
  let checks = registry.get(panel);
  if (!checks) {
    checks = new NotebookChecks(panel);
    registry.set(panel, checks);
  }
  return checks;
}
