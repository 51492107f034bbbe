/**
 * The Runs section's state: the active notebook's scheduled runs and job
 * definitions, why each failed run failed, and the refreshes while one runs.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import { VDomModel } from '@jupyterlab/ui-components';
import { diagnoseRun, IRunCell, IRunDiagnosis } from '../core/runs/diagnosis';
import {
  displayStatus,
  IJob,
  IJobDefinition,
  isActive,
  mergeRuns,
  outputNotebookPath
} from '../core/runs/runs';
import { lastRuns, lastRunState } from './lastRun';
import {
  downloadOutputs,
  getRun,
  listDefinitions,
  listRuns,
  readOutputCells,
  RUNS_PAGE,
  SchedulerError
} from './service';

export interface IRun {
  job: IJob;
  diagnosis: IRunDiagnosis | null;
  /** Whether the diagnosis read the output notebook or the status message. */
  diagnosedFrom: 'output' | 'status' | null;
}

export interface IRunsError {
  kind: 'missing' | 'unavailable' | 'unreachable';
  /** What the scheduler said (a status line or its message), if anything. */
  message: string;
}

/** How often runs in progress are refreshed. */
export const ACTIVE_POLL_MS = 3000;
/** After a job is created from the panel, how long to watch for it. */
export const WATCH_NEW_RUN_MS = 3 * 60_000;

export class RunsModel extends VDomModel {
  constructor(private _trans: TranslationBundle) {
    super();
  }

  get path(): string | null {
    return this._path;
  }

  /** Every run read so far, newest first (the section shows one page of them). */
  get runs(): IRun[] {
    return this._runs;
  }

  /** The runs on the page shown. */
  get pageRuns(): IRun[] {
    return this._runs.slice(this.pageStart, this.pageStart + RUNS_PAGE);
  }

  /** The index in `runs` of the first run shown. */
  get pageStart(): number {
    return this._page * RUNS_PAGE;
  }

  /** Whether there is a page of newer runs to go back to. */
  get hasNewer(): boolean {
    return this._page > 0;
  }

  /** Whether older runs are read already or the scheduler may have more. */
  get hasOlder(): boolean {
    return this._runs.length > this.pageStart + RUNS_PAGE || this.hasMore;
  }

  get definitions(): IJobDefinition[] {
    return this._definitions;
  }

  /** Whether the scheduler may have older runs of the notebook. */
  get hasMore(): boolean {
    return this._token !== null;
  }

  get loading(): boolean {
    return this._loading;
  }

  get loadingMore(): boolean {
    return this._loadingMore;
  }

  get loaded(): boolean {
    return this._loaded;
  }

  get error(): IRunsError | null {
    return this._error;
  }

  /** The latest change worth announcing (a run that started or ended). */
  get announcement(): string {
    return this._announcement;
  }

  /** Whether the model refreshes on its own (a run is in progress). */
  get watching(): boolean {
    return this._timer !== null;
  }

  /** Follows the active notebook; loads its runs when the section is shown. */
  setNotebook(path: string | null): void {
    if (path === this._path) {
      return;
    }
    this._path = path;
    this._generation++;
    this._runs = [];
    this._page = 0;
    this._definitions = [];
    this._token = null;
    this._loaded = false;
    this._error = null;
    this._announcement = '';
    this._watchUntil = 0;
    this._stopTimer();
    this.stateChanged.emit();
    if (this._visible) {
      void this.refresh();
    }
  }

  /** The section was opened (or closed): only an open section loads. */
  setVisible(visible: boolean): void {
    this._visible = visible;
    if (visible) {
      void this.refresh();
    } else if (!this._needsTimer()) {
      this._stopTimer();
    }
  }

  /** A job of the notebook is being created: watch for it for a while. */
  expectNewRun(): void {
    this._watchUntil = Date.now() + WATCH_NEW_RUN_MS;
    this._schedule();
  }

  /** Reads the newest runs and the job definitions again. */
  async refresh(): Promise<void> {
    const path = this._path;
    if (!path || this._loading) {
      return;
    }
    const generation = this._generation;
    this._loading = true;
    this.stateChanged.emit();
    try {
      const [page, definitions] = await Promise.all([
        listRuns(path, null),
        listDefinitions(path)
      ]);
      if (generation !== this._generation) {
        return;
      }
      const known = new Set(this._runs.map(r => r.job.job_id));
      const fresh = page.items.some(j => !known.has(j.job_id));
      if (fresh && this._loaded) {
        this._watchUntil = 0;
      }
      this._applyJobs(page.items, true);
      if (!this._loaded || this._runs.length <= page.items.length) {
        this._token = page.token;
      }
      this._definitions = definitions.items;
      this._error = null;
      this._loaded = true;
    } catch (error) {
      if (generation === this._generation) {
        this._setError(error);
      }
    } finally {
      if (generation === this._generation) {
        this._loading = false;
        this._schedule();
        this.stateChanged.emit();
      }
    }
  }

  /**
   * Shows the next page of older runs, reading them from the scheduler when
   * they are not read yet.
   */
  async older(): Promise<void> {
    const generation = this._generation;
    const want = this.pageStart + 2 * RUNS_PAGE;
    // Each read scans a bounded number of the scheduler's pages; a few reads
    // fill a page even when the notebook's runs are sparse among others'.
    for (let read = 0; read < 3 && this._runs.length < want; read++) {
      if (!this.hasMore || !(await this.loadMore())) {
        break;
      }
    }
    if (
      generation === this._generation &&
      this._runs.length > this.pageStart + RUNS_PAGE
    ) {
      this._page++;
      this._diagnoseShown();
      this.stateChanged.emit();
    }
  }

  /** Shows the page of newer runs before this one. */
  newer(): void {
    if (this._page > 0) {
      this._page--;
      this._diagnoseShown();
      this.stateChanged.emit();
    }
  }

  /** Reads more older runs; false when that did not work or was not done. */
  async loadMore(): Promise<boolean> {
    const path = this._path;
    if (!path || !this._token || this._loadingMore) {
      return false;
    }
    const generation = this._generation;
    this._loadingMore = true;
    this.stateChanged.emit();
    try {
      const page = await listRuns(path, this._token);
      if (generation !== this._generation) {
        return false;
      }
      this._applyJobs(page.items, false);
      this._token = page.token;
      this._error = null;
      return true;
    } catch (error) {
      if (generation === this._generation) {
        this._setError(error);
      }
      return false;
    } finally {
      if (generation === this._generation) {
        this._loadingMore = false;
        this.stateChanged.emit();
      }
    }
  }

  /**
   * Has the scheduler copy a finished run's outputs into the workspace, then
   * reads the output notebook (a finer diagnosis). Returns its path.
   */
  async fetchOutput(jobId: string): Promise<string | null> {
    const generation = this._generation;
    await downloadOutputs(jobId);
    // The copy runs in a process of its own: look again for a little while.
    for (let attempt = 0; attempt < 20; attempt++) {
      const job = await getRun(jobId);
      if (generation !== this._generation) {
        return null;
      }
      const output = outputNotebookPath(job);
      if (output) {
        this._applyJobs([job], true);
        this.stateChanged.emit();
        return output;
      }
      await new Promise(resolve => setTimeout(resolve, 1000));
    }
    return null;
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._stopTimer();
    super.dispose();
  }

  /** Puts jobs in the list (newest first), diagnosing the failed ones. */
  private _applyJobs(jobs: IJob[], newer: boolean): void {
    const previous = new Map(this._runs.map(r => [r.job.job_id, r]));
    const incoming: IRun[] = jobs.map(job => {
      const before = previous.get(job.job_id);
      if (before && this._loaded) {
        this._announceChange(before.job, job);
      }
      const unchanged =
        before &&
        before.job.status === job.status &&
        outputNotebookPath(before.job) === outputNotebookPath(job);
      return unchanged
        ? { ...before, job }
        : { job, diagnosis: null, diagnosedFrom: null };
    });
    this._runs = newer
      ? mergeRuns(this._runs, incoming, r => r.job.job_id)
      : mergeRuns(incoming, this._runs, r => r.job.job_id);
    this._diagnoseShown();
    if (this._path && this._runs.length) {
      lastRuns.set(
        this._path,
        lastRunState(displayStatus(this._runs[0].job, Date.now()))
      );
    }
  }

  /**
   * Diagnoses the failed runs on the page shown. Only those: a status message
   * can be a whole traceback (tens of KB), and a notebook can have hundreds of
   * failed runs read in one go.
   */
  private _diagnoseShown(): void {
    for (const run of this.pageRuns) {
      if (run.job.status === 'FAILED' && !run.diagnosis) {
        this._diagnose(run);
      }
    }
  }

  private _diagnose(run: IRun): void {
    run.diagnosis = diagnoseRun({ statusMessage: run.job.status_message });
    run.diagnosedFrom = 'status';
    const output = outputNotebookPath(run.job);
    if (!output) {
      return;
    }
    const generation = this._generation;
    void readOutputCells(output).then((cells: IRunCell[] | null) => {
      if (!cells || generation !== this._generation) {
        return;
      }
      run.diagnosis = diagnoseRun({
        statusMessage: run.job.status_message,
        cells
      });
      run.diagnosedFrom = 'output';
      this.stateChanged.emit();
    });
  }

  private _announceChange(before: IJob, after: IJob): void {
    const now = Date.now();
    if (displayStatus(before, now) === displayStatus(after, now)) {
      return;
    }
    if (after.status === 'FAILED') {
      this._announcement = this._trans.__('Run %1 failed.', after.name);
    } else if (after.status === 'COMPLETED') {
      this._announcement = this._trans.__('Run %1 completed.', after.name);
    } else if (after.status === 'IN_PROGRESS') {
      this._announcement = this._trans.__('Run %1 started.', after.name);
    }
  }

  private _setError(error: unknown): void {
    this._error =
      error instanceof SchedulerError
        ? { kind: error.kind, message: error.message }
        : { kind: 'unavailable', message: (error as Error)?.message ?? '' };
    this._stopTimer();
  }

  private _needsTimer(): boolean {
    return (
      !this._error &&
      (this._runs.some(r => isActive(displayStatus(r.job, Date.now()))) ||
        Date.now() < this._watchUntil)
    );
  }

  /** Refreshes on a timer only while a run is in progress (or expected). */
  private _schedule(): void {
    if (this._timer !== null || !this._needsTimer() || this.isDisposed) {
      return;
    }
    this._timer = setTimeout(() => {
      this._timer = null;
      void this._poll();
    }, ACTIVE_POLL_MS);
  }

  private async _poll(): Promise<void> {
    const generation = this._generation;
    const waiting = Date.now() < this._watchUntil;
    try {
      if (waiting) {
        await this.refresh();
      } else {
        const now = Date.now();
        const active = this._runs.filter(r =>
          isActive(displayStatus(r.job, now))
        );
        const jobs = await Promise.all(active.map(r => getRun(r.job.job_id)));
        if (generation !== this._generation) {
          return;
        }
        this._applyJobs(jobs, true);
        this.stateChanged.emit();
      }
    } catch (error) {
      if (generation === this._generation) {
        this._setError(error);
        this.stateChanged.emit();
      }
    }
    this._schedule();
  }

  private _stopTimer(): void {
    if (this._timer !== null) {
      clearTimeout(this._timer);
      this._timer = null;
    }
  }

  private _path: string | null = null;
  private _generation = 0;
  private _runs: IRun[] = [];
  private _page = 0;
  private _definitions: IJobDefinition[] = [];
  private _token: string | null = null;
  private _loading = false;
  private _loadingMore = false;
  private _loaded = false;
  private _visible = false;
  private _error: IRunsError | null = null;
  private _announcement = '';
  private _watchUntil = 0;
  private _timer: ReturnType<typeof setTimeout> | null = null;
}
