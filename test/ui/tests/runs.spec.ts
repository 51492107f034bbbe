import * as path from 'path';
import { expect, test } from './fixtures';
import { createJobForm, openDemoNotebook } from './helpers';
import type { IJupyterLabPageFixture } from '@jupyterlab/galata';

/** A cluster id in the right form that no cluster has. */
const NO_SUCH_CLUSTER = 'j-0NOSUCHCLUSTER1';
const EXISTING_CLUSTER = 'j-2AXXXXXXGAPLF';

/** Opens the panel, fills it, and creates a run-now job of the notebook. */
async function scheduleRunNow(
  page: IJupyterLabPageFixture,
  notebook: string,
  clusterId: string,
  insertConnectCell: boolean
) {
  await page.locator('.jp-EmrSchedule-toolbarButton').first().click();
  const panel = page.locator('.jp-EmrSchedule-panel');
  await expect(panel).toBeVisible();
  await panel.getByLabel('EMR cluster id').fill(clusterId);
  await panel.getByLabel('Authentication').selectOption('None');
  if (insertConnectCell) {
    await panel.getByRole('button', { name: 'Insert connect cell' }).click();
    await expect(panel.getByRole('status').first()).toContainText(
      'connect cell'
    );
  }
  await page.notebook.activate(notebook);
  await page.notebook.save();
  await page.evaluate(() =>
    (window as any).jupyterapp.commands.execute('emr-schedule:open-panel')
  );
  await panel.getByRole('button', { name: 'Create job…' }).click();
  const form = await createJobForm(page);
  await form.getByRole('button', { name: 'Create', exact: true }).click();
  return panel;
}

test.describe('the Runs section', () => {
  test('a failed run: seen while it runs, its cause, the way to the fix', async ({
    page,
    tmpPath
  }) => {
    const notebook = 'pyspark-emr.ipynb';
    await openDemoNotebook(page, tmpPath, notebook);
    const panel = await scheduleRunNow(page, notebook, NO_SUCH_CLUSTER, true);

    // Creating the job opened the Runs section, which watches for the run.
    const section = panel.locator('.jp-EmrSchedule-runsSection');
    await expect(section).toHaveAttribute('open', '');
    const run = section.locator('.jp-EmrSchedule-run').first();
    await expect(run).toHaveAttribute(
      'data-status',
      /STARTING|CREATED|QUEUED|IN_PROGRESS/,
      { timeout: 30000 }
    );
    await expect(run.locator('.jp-EmrSchedule-runName')).toHaveText(
      'pyspark-emr'
    );
    await expect(run.locator('.jp-EmrSchedule-runMeta')).toContainText(
      /Started|Created/
    );

    // It refreshes on its own until the run ends.
    await expect(run).toHaveAttribute('data-status', 'FAILED', {
      timeout: 150000
    });
    await expect(run.locator('.jp-EmrSchedule-runStatus')).toHaveText('Failed');
    await expect(run.locator('.jp-EmrSchedule-runMeta')).toContainText('took');
    await expect(run.locator('.jp-EmrSchedule-runCause')).toHaveAttribute(
      'data-cause',
      'cluster-unknown'
    );
    await expect(run.locator('.jp-EmrSchedule-runSummary')).toHaveText(
      `No EMR cluster ${NO_SUCH_CLUSTER} exists in this account and region.`
    );
    await expect(run.locator('.jp-EmrSchedule-runFix')).toContainText(
      'Browse clusters'
    );
    await expect(
      section.getByRole('status').filter({ hasText: 'failed' })
    ).toHaveCount(1);

    // The section's summary and the toolbar tell that the last run failed,
    // each with its own label.
    await expect(
      section.getByLabel('The most recent run failed', { exact: true })
    ).toBeVisible();
    await run.scrollIntoViewIfNeeded();
    await section.screenshot({
      path: path.resolve(__dirname, '../../../docs/runs.png')
    });

    // Its fix: the cluster picker opens, with the cluster id field focused.
    await run.getByRole('button', { name: 'Browse clusters' }).click();
    await expect(panel.locator('#jp-EmrSchedule-clusterPicker')).toBeVisible();
    await expect(panel.getByLabel('EMR cluster id')).toBeFocused();
    await expect(
      panel.locator('#jp-EmrSchedule-clusterPicker .jp-EmrSchedule-pickerItem')
    ).not.toHaveCount(0);

    // The scheduler's own view of the job opens from the run.
    await run.getByRole('button', { name: 'Job details' }).click();
    const main = page.locator('#jp-main-dock-panel');
    await expect(main.getByText('Job Detail').first()).toBeVisible({
      timeout: 30000
    });
    await expect(
      main.getByRole('button', { name: 'Reload Job' })
    ).toBeVisible();

    // The notebook's toolbar (the only notebook open) shows it too, beside
    // the checks' count; in a narrow main area the toolbar folds the button
    // into its overflow menu, so the badge is read from the DOM.
    await page.notebook.activate(notebook);
    const toolbarBadge = page.locator('.jp-EmrSchedule-toolbarRunBadge');
    await expect(toolbarBadge).toHaveCount(1);
    await expect(toolbarBadge).toHaveAttribute(
      'aria-label',
      'The most recent scheduled run of this notebook failed'
    );
  });

  test('a completed run: seen while it runs, then its output notebook', async ({
    page,
    tmpPath
  }) => {
    const notebook = 'python-emr.ipynb';
    await openDemoNotebook(page, tmpPath, notebook);
    const panel = await scheduleRunNow(page, notebook, EXISTING_CLUSTER, false);

    const section = panel.locator('.jp-EmrSchedule-runsSection');
    const run = section.locator('.jp-EmrSchedule-run').first();
    await expect(run).toHaveAttribute(
      'data-status',
      /STARTING|CREATED|QUEUED|IN_PROGRESS/,
      { timeout: 30000 }
    );
    await expect(run).toHaveAttribute('data-status', 'COMPLETED', {
      timeout: 150000
    });
    await expect(run.locator('.jp-EmrSchedule-runStatus')).toHaveText(
      'Completed'
    );
    await expect(run.locator('.jp-EmrSchedule-runCause')).toHaveCount(0);
    await expect(page.locator('.jp-EmrSchedule-toolbarRunBadge')).toHaveCount(
      0
    );

    // Its output: the scheduler copies it into the workspace, then it opens.
    const jobId = await run.getAttribute('data-job-id');
    await run
      .getByRole('button', { name: /output notebook/i })
      .first()
      .click();
    const current = () =>
      page.evaluate(
        () => (window as any).jupyterapp.shell.currentWidget?.context?.path
      );
    await expect.poll(current, { timeout: 60000 }).toContain(jobId!);
    expect(await current()).toMatch(/\.ipynb$/);
  });

  test('500 runs page by page, newest first', async ({ page, tmpPath }) => {
    const notebook = 'many-runs.ipynb';
    const total = 500;
    const now = Date.now();
    const jobs = Array.from({ length: total }, (_, i) => ({
      job_id: `fake-${String(i).padStart(4, '0')}`,
      name: `many-runs ${total - i}`,
      input_filename: i % 2 ? 'other.ipynb' : notebook,
      runtime_environment_name: '',
      status: i % 3 ? 'COMPLETED' : 'FAILED',
      status_message:
        'ValueError: Unable to get Emr Cluster(Id: j-0NOSUCHCLUSTER1) details using describe-cluster API.',
      create_time: now - i * 60_000,
      start_time: now - i * 60_000,
      end_time: now - i * 60_000 + 30_000,
      url: '',
      job_files: []
    }));
    // The scheduler's list (offset tokens, as jupyter-scheduler pages).
    await page.route(/\/scheduler\/jobs\?/, async route => {
      const url = new URL(route.request().url());
      const max = Number(url.searchParams.get('max_items') ?? 1000);
      const offset = Number(url.searchParams.get('next_token') ?? 0);
      const slice = jobs.slice(offset, offset + max);
      const next = offset + slice.length;
      await route.fulfill({
        json: {
          jobs: slice,
          total_count: total,
          next_token: next < total ? String(next) : null
        }
      });
    });
    await page.contents.uploadFile(
      path.resolve(__dirname, '../../../demo/notebooks/python-emr.ipynb'),
      `${tmpPath}/${notebook}`
    );
    await page.notebook.openByPath(`${tmpPath}/${notebook}`);
    await page.notebook.activate(notebook);

    await page.locator('.jp-EmrSchedule-toolbarButton').first().click();
    const panel = page.locator('.jp-EmrSchedule-panel');
    const section = panel.locator('.jp-EmrSchedule-runsSection');
    await section.locator('summary').click();
    const runs = section.locator('.jp-EmrSchedule-run');
    await expect(runs.first()).toBeVisible();
    const first = await runs.count();
    expect(first).toBeGreaterThanOrEqual(20);
    expect(first).toBeLessThan(total / 2);
    await expect(runs.first()).toHaveAttribute('data-job-id', 'fake-0000');
    await expect(runs.first().locator('.jp-EmrSchedule-runSummary')).toHaveText(
      'No EMR cluster j-0NOSUCHCLUSTER1 exists in this account and region.'
    );

    const more = section.getByRole('button', { name: 'Load older runs' });
    let pages = 1;
    while (await more.isVisible()) {
      await more.click();
      pages++;
      // The panel keeps answering while it pages.
      await expect(panel.getByLabel('EMR cluster id')).toBeEditable();
      await expect(more.or(runs.nth(total / 2 - 1))).toBeVisible();
    }
    await expect(runs).toHaveCount(total / 2);
    expect(pages).toBeGreaterThan(2);
    await expect(runs.last()).toHaveAttribute('data-job-id', 'fake-0498');
  });
});
