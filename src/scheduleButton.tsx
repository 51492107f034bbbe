/**
 * The notebook toolbar's "Schedule with EMR" button, with a badge counting
 * what would fail if the notebook ran unattended now.
 */
import type { NotebookPanel } from '@jupyterlab/notebook';
import type { TranslationBundle } from '@jupyterlab/translation';
import { ToolbarButton } from '@jupyterlab/ui-components';
import * as React from 'react';

export class ScheduleButton extends ToolbarButton {
  constructor(
    props: ToolbarButton['props'],
    private _trans: TranslationBundle
  ) {
    super(props);
    this.addClass('jp-EmrSchedule-toolbarButton');
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

  /**
   * Keeps the badge current for `panel`. The checker is loaded here, when a
   * notebook first shows its toolbar, not at JupyterLab's start.
   */
  watch(panel: NotebookPanel): void {
    void import('./checks').then(({ checksFor }) => {
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
    });
  }

  render(): JSX.Element {
    const count = this._errorCount;
    return (
      <>
        {super.render()}
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
}
