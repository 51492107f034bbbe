import { execFileSync } from 'child_process';
import * as path from 'path';
import { expect, test } from './fixtures';
import {
  cellSources,
  createJobForm,
  NO_SCHEDULER_URL,
  openDemoNotebook,
  toggleOf
} from './helpers';
import type { IJupyterLabPageFixture } from '@jupyterlab/galata';
import type { Locator } from '@playwright/test';

const ROOT = path.resolve(__dirname, '../../..');
/** demo/run.py --galata keeps the scheduler's database here. */
const SCHEDULER_DB = path.join(ROOT, '.demo/galata/data/scheduler.sqlite');

/** Runs test/fixtures/seed_runs.py on the test server's scheduler database. */
function seedRunsScript(args: string[]): string {
  return execFileSync(
    path.join(ROOT, '.venv/bin/python'),
    [path.join(ROOT, 'test/fixtures/seed_runs.py'), SCHEDULER_DB, ...args],
    { encoding: 'utf-8' }
  );
}

/**
 * Writes `count` past runs of `notebook`, and `others` of `other` between
 * them, into the scheduler's database: the oldest jobs there (two days old).
 */
function seedRuns(
  notebook: string,
  count: number,
  other: string,
  others: number
): { ids: string[]; causes: Record<string, string> } {
  return JSON.parse(
    seedRunsScript([
      '--notebook',
      notebook,
      '--count',
      String(count),
      '--other-notebook',
      other,
      '--others',
      String(others)
    ])
  );
}

/** Opens the panel's Runs section (closed when the panel first shows). */
async function openRunsSection(panel: Locator): Promise<Locator> {
  const section = panel.locator('.jp-EmrSchedule-runsSection');
  await expect(section).toBeVisible();
  const toggle = toggleOf(section);
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') {
    await toggle.click();
  }
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  return section;
}

/** The contents API's copy of a file, as saved on the server. */
async function onDisk(page: IJupyterLabPageFixture, file: string) {
  return page.evaluate(async (p: string) => {
    const response = await fetch(`/api/contents/${p}?content=1&type=file`);
    return (await response.json()).content as string;
  }, file);
}

/** The next 06:30 UTC on a weekday after `from` (ms): `30 6 * * 1-5`. */
function nextWeekday0630(from: number): string {
  const day = new Date(from);
  day.setUTCHours(6, 30, 0, 0);
  while (
    day.getTime() <= from ||
    day.getUTCDay() === 0 ||
    day.getUTCDay() === 6
  ) {
    day.setUTCDate(day.getUTCDate() + 1);
  }
  return day.toISOString();
}

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
    await expect(toggleOf(section)).toHaveAttribute('aria-expanded', 'true');
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
    // Kept with the test results (the README's come from `make screenshots`).
    await section.screenshot({ path: test.info().outputPath('runs.png') });

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
    // A run that lasts: the demo notebook alone can finish before the
    // section's first look at it on a fast machine.
    await page.notebook.addCell('code', 'import time\ntime.sleep(15)');
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

  test('a job definition: its schedule in words, its next run, and the scheduler’s own view of it', async ({
    page,
    tmpPath
  }) => {
    const notebook = 'python-emr.ipynb';
    await openDemoNotebook(page, tmpPath, notebook);
    const name = `weekday-mornings-${Date.now()}`;
    // Created through jupyter-scheduler's REST API (what its Create Job form
    // posts for "Run on a schedule").
    const id: string = await page.evaluate(
      async ({ input, name }) => {
        const response = await fetch('/scheduler/job_definitions', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({
            input_uri: input,
            name,
            runtime_environment_name: 'python3',
            output_formats: ['ipynb'],
            schedule: '30 6 * * 1-5',
            timezone: 'UTC'
          })
        });
        if (!response.ok) {
          throw new Error(`${response.status} ${await response.text()}`);
        }
        return (await response.json()).job_definition_id;
      },
      { input: `${tmpPath}/${notebook}`, name }
    );
    try {
      const from = Date.now();
      await page.locator('.jp-EmrSchedule-toolbarButton').first().click();
      const panel = page.locator('.jp-EmrSchedule-panel');
      const section = await openRunsSection(panel);
      const definition = section.locator(
        `.jp-EmrSchedule-definition[data-definition-id="${id}"]`
      );
      await expect(definition.locator('.jp-EmrSchedule-runName')).toHaveText(
        name
      );
      await expect(definition.locator('.jp-EmrSchedule-runStatus')).toHaveText(
        'Active'
      );
      await expect(definition.locator('.jp-EmrSchedule-schedule')).toHaveText(
        'At 06:30 on weekdays (UTC)'
      );
      // The next run: the instant (machine-readable) and the user's own
      // clock's way of writing it.
      const next = definition.locator('time');
      const datetime = await next.getAttribute('datetime');
      expect([nextWeekday0630(from), nextWeekday0630(Date.now())]).toContain(
        datetime
      );
      const written = await page.evaluate(
        (iso: string) =>
          new Date(iso).toLocaleString(undefined, {
            dateStyle: 'medium',
            timeStyle: 'short'
          }),
        datetime!
      );
      await expect(definition.locator('.jp-EmrSchedule-runMeta')).toHaveText(
        `At 06:30 on weekdays (UTC) · next run ${written}`
      );

      // The scheduler's own view of the definition opens from it.
      await definition
        .getByRole('button', { name: 'Job definition details' })
        .click();
      const main = page.locator('#jp-main-dock-panel');
      await expect(
        main.getByRole('button', { name: 'Reload Job Definition' })
      ).toBeVisible({ timeout: 30000 });
      await expect(main.getByText(name).first()).toBeVisible();
      await expect(main.getByText('30 6 * * 1-5').first()).toBeVisible();
    } finally {
      await page.evaluate(
        (definitionId: string) =>
          fetch(`/scheduler/job_definitions/${definitionId}`, {
            method: 'DELETE'
          }),
        id
      );
    }
  });

  test('the scheduler does not answer: what the user reads and can do, the notebook untouched', async ({
    page,
    tmpPath
  }) => {
    const notebook = 'python-emr.ipynb';
    const file = `${tmpPath}/${notebook}`;
    // An injected network fault: the page's requests to the scheduler's API
    // fail as they do when the connection drops, then the server answers
    // them with 504 Gateway Timeout, as a proxy in front of a scheduler that
    // hangs does. Nothing else is touched.
    let fault: 'network' | 'timeout' | null = 'network';
    await page.route(
      url => url.pathname.startsWith('/scheduler/'),
      route =>
        fault === 'network'
          ? route.abort('connectionreset')
          : fault === 'timeout'
            ? route.fulfill({ status: 504, body: '' })
            : route.continue()
    );
    await openDemoNotebook(page, tmpPath, notebook);
    const cells = await cellSources(page);
    const saved = await onDisk(page, file);

    await page.locator('.jp-EmrSchedule-toolbarButton').first().click();
    const panel = page.locator('.jp-EmrSchedule-panel');
    const section = await openRunsSection(panel);
    const alert = section.getByRole('alert');
    await expect(alert).toHaveText(
      'The Jupyter server could not be reached, so the runs cannot be shown. Check that JupyterLab is still running and your network connection, then Refresh.'
    );
    const refresh = section.getByRole('button', { name: 'Refresh' });

    fault = 'timeout';
    await refresh.click();
    await expect(alert).toHaveText(
      'The scheduler did not answer (504 Gateway Timeout), so the runs cannot be shown. Refresh to try again; if it keeps failing, the Jupyter server’s log says why.'
    );

    // Doing what it says works once the scheduler answers again.
    fault = null;
    await refresh.click();
    await expect(alert).toHaveCount(0);
    await expect(section.locator('.jp-EmrSchedule-checksHeader')).toContainText(
      /No runs of this notebook yet|Newest first|The most recent run failed/
    );

    expect(await cellSources(page)).toEqual(cells);
    expect(await onDisk(page, file)).toBe(saved);
  });

  test('500 runs in the scheduler: page by page, newest first, a page at a time in the DOM', async ({
    page,
    tmpPath
  }) => {
    // The runs are rows in the test server's own jupyter-scheduler database,
    // written through the scheduler's models (running 500 real jobs would
    // take hours); its REST API lists and pages them as it does any job.
    const notebook = `many-runs-${Date.now()}.ipynb`;
    const other = `other-${notebook}`;
    const seeded = seedRuns(notebook, 500, other, 100);
    // Removed afterwards, so they stay the oldest jobs there (a later run of
    // the suite on the same server seeds its own).
    try {
      await page.contents.uploadFile(
        path.resolve(__dirname, '../../../demo/notebooks/python-emr.ipynb'),
        `${tmpPath}/${notebook}`
      );
      await page.notebook.openByPath(`${tmpPath}/${notebook}`);
      await page.notebook.activate(notebook);

      await page.locator('.jp-EmrSchedule-toolbarButton').first().click();
      const panel = page.locator('.jp-EmrSchedule-panel');
      const section = await openRunsSection(panel);
      const runs = section.locator('.jp-EmrSchedule-run');
      const pages = section.getByRole('navigation', { name: 'Pages of runs' });
      const newer = pages.getByRole('button', { name: 'Newer runs' });
      const older = pages.getByRole('button', { name: 'Older runs' });

      // The first page: the 20 newest runs, the newest first, a failed one
      // with its cause read from the traceback the scheduler stored.
      await expect(pages).toContainText('Runs 1–20');
      await expect(runs).toHaveCount(20);
      await expect(runs.first()).toHaveAttribute('data-job-id', seeded.ids[0]);
      await expect(runs.nth(19)).toHaveAttribute('data-job-id', seeded.ids[19]);
      await expect(newer).toBeDisabled();
      await expect(
        runs.first().locator('.jp-EmrSchedule-runCause')
      ).toHaveAttribute('data-cause', seeded.causes[seeded.ids[0]]);

      // Forward to the oldest and back: one page in the DOM at a time, the
      // panel answering all along.
      for (let p = 1; p < 25; p++) {
        await older.click();
        await expect(pages).toContainText(`Runs ${p * 20 + 1}–${p * 20 + 20}`);
        await expect(runs.first()).toHaveAttribute(
          'data-job-id',
          seeded.ids[p * 20]
        );
        await expect(runs).toHaveCount(20);
        await expect(panel.getByLabel('EMR cluster id')).toBeEditable();
      }
      await expect(runs.last()).toHaveAttribute('data-job-id', seeded.ids[499]);
      await expect(older).toBeDisabled();
      await newer.click();
      await expect(pages).toContainText('Runs 461–480');
      await expect(runs.first()).toHaveAttribute(
        'data-job-id',
        seeded.ids[460]
      );
      await expect(runs).toHaveCount(20);
    } finally {
      seedRunsScript(['--remove', notebook, other]);
    }
  });
});

test.describe('no notebook scheduler on the server', () => {
  // A second server of the suite (playwright.config.js): the same stack with
  // jupyter-scheduler's server and lab extensions switched off.
  test.use({ baseURL: NO_SCHEDULER_URL });

  test('the Runs section says so and what to do; the notebook is untouched', async ({
    page,
    tmpPath
  }) => {
    const notebook = 'python-emr.ipynb';
    const file = `${tmpPath}/${notebook}`;
    await openDemoNotebook(page, tmpPath, notebook);
    const cells = await cellSources(page);
    const saved = await onDisk(page, file);

    await page.locator('.jp-EmrSchedule-toolbarButton').first().click();
    const panel = page.locator('.jp-EmrSchedule-panel');
    const section = await openRunsSection(panel);
    await expect(section.getByRole('alert')).toHaveText(
      'No notebook scheduler is installed on this server, so there are no runs to show. Install jupyter-scheduler (pip install jupyter-scheduler) and restart JupyterLab to schedule notebooks.'
    );
    await expect(section.locator('.jp-EmrSchedule-run')).toHaveCount(0);
    // The panel says what is left to do without one.
    await expect(panel).toContainText(
      'No notebook scheduler runs on this server. Copy the variables into the job you create elsewhere.'
    );
    // Refreshing asks again and says the same.
    await section.getByRole('button', { name: 'Refresh' }).click();
    await expect(section.getByRole('alert')).toContainText(
      'No notebook scheduler is installed'
    );

    expect(await cellSources(page)).toEqual(cells);
    expect(await onDisk(page, file)).toBe(saved);
  });
});
