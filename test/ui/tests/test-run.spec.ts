/**
 * "Test run": a run-now job of a small notebook made from the user's one
 * (its connect cells and one Spark statement), through jupyter-scheduler.
 * The local AWS has no cluster to reach, so a test run here fails, and what
 * matters is that it fails where the job would, with that cause in the Runs
 * section; that the user's notebook is left as it was (on disk and in the
 * editor, unsaved changes included); and that dismissing it removes all of
 * it. To stop a test run that runs, the Kerberos cluster (its primary node
 * is this machine, its KDC real: demo/local_kdc.py) gets a Livy that takes
 * the connection and never answers: a test double, since no Livy runs here.
 */
import * as net from 'net';
import * as path from 'path';
import type { IJupyterLabPageFixture } from '@jupyterlab/galata';
import type { Locator } from '@playwright/test';
import { expect, test } from './fixtures';
import {
  cellSources,
  openDemoNotebook,
  pickClusterAndSecret,
  toggleOf
} from './helpers';

const TEST_RUN_FOLDER = 'emr-schedule-test-runs';
/** A cluster id in the right form that no cluster has. */
const NO_SUCH_CLUSTER = 'j-0NOSUCHCLUSTER1';

/** The contents API's listing of a folder (names), or null when it is not there. */
async function listing(
  page: IJupyterLabPageFixture,
  folder: string
): Promise<string[] | null> {
  return page.evaluate(async (p: string) => {
    const response = await fetch(`/api/contents/${p}?content=1`);
    if (response.status === 404) {
      return null;
    }
    const body = await response.json();
    return (body.content as { name: string }[]).map(e => e.name).sort();
  }, folder);
}

/** The saved file's text, as the server has it. */
async function onDisk(page: IJupyterLabPageFixture, file: string) {
  return page.evaluate(async (p: string) => {
    const response = await fetch(`/api/contents/${p}?content=1&type=file`);
    return (await response.json()).content as string;
  }, file);
}

/** The scheduler's job, or null when it has none with that id. */
async function schedulerJob(page: IJupyterLabPageFixture, jobId: string) {
  return page.evaluate(async (id: string) => {
    const body = await (await fetch('/scheduler/jobs?max_items=1000')).json();
    return body.jobs.find((j: any) => j.job_id === id) ?? null;
  }, jobId);
}

async function openPanel(page: IJupyterLabPageFixture): Promise<Locator> {
  await page.locator('.jp-EmrSchedule-toolbarButton').first().click();
  const panel = page.locator('.jp-EmrSchedule-panel');
  await expect(panel).toBeVisible();
  return panel;
}

/** Clicks "Test run", reads the dialog's cost and care, and starts it. */
async function startTestRun(page: IJupyterLabPageFixture, panel: Locator) {
  await panel.getByRole('button', { name: 'Test run', exact: true }).click();
  const dialog = page.locator('.jp-Dialog');
  await expect(dialog).toContainText('Test the schedule now?');
  await expect(dialog).toContainText('runs a job now');
  await expect(dialog).toContainText(
    'on the Jupyter server’s machine and takes a few minutes'
  );
  await expect(dialog).toContainText('is not changed, saved or run');
  await dialog.getByRole('button', { name: 'Start test run' }).click();
  const section = panel.locator('.jp-EmrSchedule-runsSection');
  await expect(toggleOf(section)).toHaveAttribute('aria-expanded', 'true');
  const item = section.locator('.jp-EmrSchedule-testRun');
  await expect(item).toBeVisible();
  await expect(item.locator('.jp-EmrSchedule-runName')).toHaveText('Test run');
  return { section, item };
}

/** Dismisses the test run; then neither its job nor its files are left. */
async function dismissAndCheckGone(
  page: IJupyterLabPageFixture,
  item: Locator,
  jobId: string,
  folder: string,
  userFiles: string[]
) {
  await item.getByRole('button', { name: 'Dismiss' }).click();
  await expect(item).toHaveCount(0);
  expect(await schedulerJob(page, jobId)).toBeNull();
  expect(await listing(page, `${folder}/${TEST_RUN_FOLDER}`)).toBeNull();
  expect(await listing(page, folder)).toEqual(userFiles);
}

test.describe('a test run', () => {
  test.setTimeout(300000);

  test('of the PySpark notebook for the LDAP cluster: fails where the local AWS ends, and leaves the notebook as it was', async ({
    page,
    tmpPath
  }) => {
    const notebook = 'pyspark-emr.ipynb';
    await openDemoNotebook(page, tmpPath, notebook);
    const saved = await onDisk(page, `${tmpPath}/${notebook}`);
    // An unsaved change of the user's.
    await page.notebook.addCell('code', 'print("not saved yet")');
    const inEditor = await cellSources(page);
    const userFiles = await listing(page, tmpPath);

    const panel = await openPanel(page);
    await pickClusterAndSecret(
      panel,
      /analytics-ldap/,
      'LDAP',
      /emr\/shared-analytics/
    );

    const badgesBefore = await page
      .locator('.jp-EmrSchedule-toolbarRunBadge')
      .count();
    const { section, item } = await startTestRun(page, panel);
    // Its job is created (it may have failed already: no cluster answers).
    await expect(item).toHaveAttribute('data-job-id', /.+/, {
      timeout: 30000
    });
    const jobId = (await item.getAttribute('data-job-id'))!;
    expect(jobId).toBeTruthy();

    // While it runs, its notebook is in a folder of its own, named after
    // the user's.
    const job = await schedulerJob(page, jobId);
    expect(job.tags).toContain('emr-schedule:test-run');
    expect(job.input_filename).toMatch(
      /^pyspark-emr-test-\d{8}T\d{6}Z\.ipynb$/
    );
    // Exactly the panel's variables, as the scheduled job gets them.
    expect(job.runtime_environment_parameters).toMatchObject({
      cluster_id: expect.stringMatching(/^j-/),
      auth_type: 'Basic_Access',
      secret_id: expect.stringContaining('emr/shared-analytics')
    });
    const testFiles = await listing(page, `${tmpPath}/${TEST_RUN_FOLDER}`);
    expect(testFiles).toEqual([job.input_filename]);
    const small = JSON.parse(
      await onDisk(page, `${tmpPath}/${TEST_RUN_FOLDER}/${job.input_filename}`)
    );
    expect(small.metadata.kernelspec.name).toBe('pysparkkernel');
    // The server keeps sources as lists of lines.
    const text = (c: any) =>
      Array.isArray(c.source) ? c.source.join('') : c.source;
    expect(small.cells.map(text)).toEqual([
      '%%local\nimport os',
      expect.stringContaining('%sm_analytics emr connect'),
      'spark.range(1).count()'
    ]);

    // It ends where the local AWS ends: no Livy answers on the cluster.
    await expect(item).toHaveAttribute('data-test-run-phase', 'failed', {
      timeout: 240000
    });
    await expect(item.locator('.jp-EmrSchedule-runCause')).toHaveAttribute(
      'data-cause',
      'livy-unreachable'
    );
    await expect(item.locator('.jp-EmrSchedule-runSummary')).toContainText(
      'could not reach Livy'
    );
    // A test run is no run of the notebook's: the runs list (runs of any
    // notebook named pyspark-emr.ipynb, as the scheduler keeps them, other
    // tests' included), read again, holds its job only as the test run, and
    // the toolbar's badge is as it was before it.
    await section.getByRole('button', { name: 'Refresh' }).click();
    await expect(
      section.locator(`.jp-EmrSchedule-run[data-job-id="${jobId}"]`)
    ).toHaveCount(1);
    await expect(
      section.locator(
        `.jp-EmrSchedule-run:not(.jp-EmrSchedule-testRun)[data-job-id="${jobId}"]`
      )
    ).toHaveCount(0);
    await expect(page.locator('.jp-EmrSchedule-toolbarRunBadge')).toHaveCount(
      badgesBefore
    );
    await item.scrollIntoViewIfNeeded();
    await section.screenshot({
      path: test.info().outputPath('test-run-failed.png')
    });
    await section.screenshot({
      path: path.resolve(__dirname, '../test-results/test-run-section.png')
    });

    // The user's notebook: on disk and in the editor, as it was.
    expect(await onDisk(page, `${tmpPath}/${notebook}`)).toBe(saved);
    await page.notebook.activate(notebook);
    expect(await cellSources(page)).toEqual(inEditor);
    expect(
      await page.evaluate(
        () => (window as any).jupyterapp.shell.currentWidget.context.model.dirty
      )
    ).toBe(true);

    await dismissAndCheckGone(page, item, jobId, tmpPath, userFiles!);
  });

  test('for a cluster that does not exist: says so, from an unsaved connect cell', async ({
    page,
    tmpPath
  }) => {
    const notebook = 'python-emr.ipynb';
    await openDemoNotebook(page, tmpPath, notebook);
    const saved = await onDisk(page, `${tmpPath}/${notebook}`);
    const userFiles = await listing(page, tmpPath);

    const panel = await openPanel(page);
    await panel.getByLabel('EMR cluster id').fill(NO_SUCH_CLUSTER);
    await panel.getByLabel('Authentication').selectOption('None');
    // The connect cell is in the editor only: the test run takes it as is.
    await panel.getByRole('button', { name: 'Insert connect cell' }).click();
    await expect(panel.getByRole('status').first()).toContainText(
      'connect cell'
    );
    const inEditor = await cellSources(page);

    const { item } = await startTestRun(page, panel);
    await expect(item).toHaveAttribute('data-test-run-phase', 'failed', {
      timeout: 240000
    });
    const jobId = (await item.getAttribute('data-job-id'))!;
    await expect(item.locator('.jp-EmrSchedule-runCause')).toHaveAttribute(
      'data-cause',
      'cluster-unknown'
    );
    await expect(item.locator('.jp-EmrSchedule-runSummary')).toHaveText(
      `No EMR cluster ${NO_SUCH_CLUSTER} exists in this account and region.`
    );
    // The fix's button: the cluster picker.
    await item.getByRole('button', { name: 'Browse clusters' }).click();
    await expect(panel.getByLabel('EMR cluster id')).toBeFocused();

    expect(await onDisk(page, `${tmpPath}/${notebook}`)).toBe(saved);
    await page.notebook.activate(notebook);
    expect(await cellSources(page)).toEqual(inEditor);

    await dismissAndCheckGone(page, item, jobId, tmpPath, userFiles!);
  });

  test('that runs: a second one is refused while it does, a reload keeps it, and Stop stops its job', async ({
    page,
    tmpPath
  }) => {
    // Livy's port on the Kerberos cluster's primary node (this machine): it
    // takes the job's connection and never answers, so the job runs on.
    const held: net.Socket[] = [];
    const livy = net.createServer(socket => held.push(socket));
    await new Promise<void>((resolve, reject) => {
      livy.once('error', reject);
      livy.listen(8998, resolve);
    });
    try {
      const notebook = 'python-emr.ipynb';
      await openDemoNotebook(page, tmpPath, notebook);
      const userFiles = await listing(page, tmpPath);
      const panel = await openPanel(page);
      await pickClusterAndSecret(
        panel,
        /analytics-kerberos/,
        'Kerberos',
        /emr\/users\/analyst-1/
      );

      const started = await startTestRun(page, panel);
      await expect(started.item).toHaveAttribute('data-job-id', /.+/, {
        timeout: 30000
      });
      const jobId = (await started.item.getAttribute('data-job-id'))!;
      // The job got a Kerberos ticket and reached Livy: it waits there.
      await expect
        .poll(() => held.length, { timeout: 180000 })
        .toBeGreaterThan(0);
      await expect(started.item).toHaveAttribute(
        'data-test-run-phase',
        'running'
      );

      // A second test run is refused, without asking, while this one runs:
      // the button says it is busy, and the palette's command refuses.
      await expect(
        panel.getByRole('button', { name: 'Test running…', exact: true })
      ).toHaveAttribute('aria-disabled', 'true');
      await page.evaluate(() =>
        (window as any).jupyterapp.commands.execute('emr-schedule:test-run')
      );
      await expect(panel.getByRole('alert').first()).toContainText(
        `A test run of ${tmpPath}/${notebook} is in progress`
      );
      await expect(page.locator('.jp-Dialog')).toHaveCount(0);
      await expect(panel.locator('.jp-EmrSchedule-testRun')).toHaveCount(1);
      const testRuns = await page.evaluate(async () => {
        const body = await (
          await fetch('/scheduler/jobs?max_items=1000')
        ).json();
        return body.jobs.filter((j: any) =>
          j.tags?.includes('emr-schedule:test-run')
        ).length;
      });
      expect(testRuns).toBe(1);

      // A reload of the page forgets nothing: once the panel opens again,
      // its Runs section shows the same test run, followed, with its Stop.
      // (The notebook's tab is restored, not the launcher galata waits for.)
      await page.reload({ waitForIsReady: false });
      await page.locator('#jupyterlab-splash').waitFor({ state: 'detached' });
      await page.evaluate(async p => {
        const app = (window as any).jupyterapp;
        // Once the layout is restored (it may reopen the notebook itself).
        await app.restored;
        const widget = await app.commands.execute('docmanager:open', {
          path: p
        });
        await widget.context.ready;
        app.shell.activateById(widget.id);
      }, `${tmpPath}/${notebook}`);
      // The panel comes back open with the layout, or from its sidebar tab
      // (with the sidebar open, the notebook's toolbar may be too narrow to
      // show the toolbar button, which then sits in its overflow menu).
      const again = page.locator('.jp-EmrSchedule-panel');
      if (!(await again.isVisible())) {
        await page.getByRole('tab', { name: 'Schedule with EMR' }).click();
      }
      await expect(again).toBeVisible();
      const runs = again.locator('.jp-EmrSchedule-runsSection');
      // The Runs section opens by itself to show it.
      await expect(toggleOf(runs)).toHaveAttribute('aria-expanded', 'true');
      const item = runs.locator('.jp-EmrSchedule-testRun');
      await expect(item).toHaveAttribute('data-job-id', jobId);
      await expect(item).toHaveAttribute('data-test-run-phase', 'running');

      // Stop: the scheduler stops the job, and the Runs section says so.
      await item.getByRole('button', { name: 'Stop' }).click();
      await expect(item).toHaveAttribute('data-test-run-phase', 'stopped', {
        timeout: 60000
      });
      await expect(item).toContainText('Stopped before it ended.');
      await expect(item.getByRole('button', { name: 'Stop' })).toHaveCount(0);
      expect((await schedulerJob(page, jobId)).status).toBe('STOPPED');

      await dismissAndCheckGone(page, item, jobId, tmpPath, userFiles!);
    } finally {
      held.forEach(socket => socket.destroy());
      await new Promise(resolve => livy.close(resolve));
    }
  });
});
