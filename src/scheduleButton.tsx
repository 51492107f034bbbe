/**
 * The notebook toolbar's "Schedule with EMR" button, with a badge counting
 * what would fail if the notebook ran unattended now, and a second one when
 * the notebook's most recent scheduled run failed.
 */
import type { NotebookPanel } from '@jupyterlab/notebook';
import type { TranslationBundle } from '@jupyterlab/translation';
import { ToolbarButton } from '@jupyterlab/ui-components';
import type { Message } from '@lumino/messaging';
import * as React from 'react';
import { lastRuns, lastRunState } from './runs/lastRun';

export class ScheduleButton extends ToolbarButton {
  /**
   * @param preload - starts loading the panel's code; called when the pointer
   *   or the keyboard focus reaches the button, so a click finds it loaded.
   * @param idle - resolves when JupyterLab has restored its layout and is
   *   idle: the checker waits for it, so it never competes with the start.
   * @param prefetch - fetches the panel's code and then builds the panel,
   *   hidden, in idle time; called in the browser's next idle period after
   *   `idle`, once the button is on the page, so the panel's first open
   *   neither waits for the network nor builds the form.
   */
  constructor(
    props: ToolbarButton['props'],
    private _trans: TranslationBundle,
    preload: () => void,
    private _idle: Promise<void>,
    private _prefetch: () => void = () => undefined
  ) {
    super(props);
    this.addClass('jp-EmrSchedule-toolbarButton');
    this.node.addEventListener('pointerenter', preload, { once: true });
    this.node.addEventListener('focusin', preload, { once: true });
  }

  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    if (this._prefetchScheduled) {
      return;
    }
    this._prefetchScheduled = true;
    void this._idle.then(() => {
      if (typeof requestIdleCallback === 'function') {
        requestIdleCallback(() => this._prefetch(), { timeout: 5000 });
      } else {
        setTimeout(() => this._prefetch(), 1000);
      }
    });
  }

  get errorCount(): number {
    return this._errorCount;
  }

  set errorCount(count: number) {
    if (count !== this._errorCount) {
      this._errorCount = count;
      this.update();
    }
  }

  get lastRunFailed(): boolean {
    return this._lastRunFailed;
  }

  set lastRunFailed(failed: boolean) {
    if (failed !== this._lastRunFailed) {
      this._lastRunFailed = failed;
      this.update();
    }
  }

  /**
   * Keeps the badges current for `panel`. The checker is loaded here, once a
   * notebook shows its toolbar and JupyterLab is idle, not at its start.
   */
  watch(panel: NotebookPanel): void {
    this._idle
      .then(() => import('./checks'))
      .then(({ checksFor }) => {
        if (this.isDisposed || panel.isDisposed) {
          return;
        }
        const checks = checksFor(panel);
        const sync = () => {
          this.errorCount = checks.errorCount;
        };
        checks.changed.connect(sync);
        this.disposed.connect(() => checks.changed.disconnect(sync));
        sync();
      })
      .catch(reason => {
        // No badge is better than a broken toolbar; the panel's Checks
        // section reports the same problems when it is opened.
        console.warn('Schedule with EMR: the checker could not load', reason);
      });
    this._watchRuns(panel);
  }

  /**
   * The run badge follows what the Runs section reads; once JupyterLab is
   * idle, one request reads the notebook's newest run among the scheduler's
   * newest jobs, so the badge shows before the panel is opened.
   */
  private _watchRuns(panel: NotebookPanel): void {
    const sync = () => {
      this.lastRunFailed = lastRuns.get(panel.context.path) === 'failed';
    };
    const unsubscribe = lastRuns.subscribe(path => {
      if (path === panel.context.path) {
        sync();
      }
    });
    panel.context.pathChanged.connect(sync);
    this.disposed.connect(() => {
      unsubscribe();
      panel.context.pathChanged.disconnect(sync);
    });
    sync();
    this._idle
      .then(() => panel.context.ready)
      .then(() => import('./runs/service'))
      .then(({ latestRun }) => {
        const path = panel.context.path;
        if (this.isDisposed || lastRuns.get(path) !== undefined) {
          return;
        }
        return latestRun(path).then(job => {
          if (job && lastRuns.get(path) === undefined) {
            lastRuns.set(path, lastRunState(job.status));
          }
        });
      })
      .catch(() => {
        // No scheduler, or it did not answer: the Runs section says so.
      });
  }

  render(): JSX.Element {
    const count = this._errorCount;
    const runFailed = this._trans.__(
      'The most recent scheduled run of this notebook failed'
    );
    return (
      <>
        {super.render()}
        {this._lastRunFailed && (
          <span
            className="jp-EmrSchedule-toolbarRunBadge"
            role="status"
            aria-label={runFailed}
            title={runFailed}
          >
            ✕
          </span>
        )}
        {count > 0 && (
          <span
            className="jp-EmrSchedule-toolbarBadge"
            role="status"
            title={this._trans._n(
              '%1 problem would fail an unattended run',
              '%1 problems would fail an unattended run',
              count
            )}
          >
            {count}
          </span>
        )}
      </>
    );
  }

  private _errorCount = 0;
  private _prefetchScheduled = false;
  private _lastRunFailed = false;
}
