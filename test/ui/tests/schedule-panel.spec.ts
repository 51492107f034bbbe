import { expect, test } from './fixtures';
import { cellSources, openDemoNotebook, toggleOf } from './helpers';

const NOTEBOOK = 'pyspark-emr.ipynb';
const SECRET = 'emr/users/analyst-1';

test.describe('Schedule with EMR on a PySpark notebook', () => {
  test.beforeEach(async ({ page, tmpPath }) => {
    await openDemoNotebook(page, tmpPath, NOTEBOOK);
  });

  test('toolbar button, form, insert, insert again, undo', async ({ page }) => {
    const before = await cellSources(page);
    await page.locator('.jp-EmrSchedule-toolbarButton').first().click();
    const panel = page.locator('.jp-EmrSchedule-panel');
    await expect(panel).toBeVisible();
    await expect(panel.locator('.jp-EmrSchedule-notebookName')).toHaveText(
      NOTEBOOK
    );
    await expect(panel.locator('.jp-EmrSchedule-kernel')).toContainText(
      'SparkMagic'
    );

    const insert = panel.getByRole('button', { name: 'Insert connect cell' });
    await expect(insert).toBeDisabled();

    await panel.getByLabel('EMR cluster id').fill('j-1ABC DEF');
    await expect(panel.getByRole('alert')).toContainText('space');
    await panel.getByLabel('EMR cluster id').fill('j-2AXXXXXXGAPLF');
    await panel.getByLabel('Authentication').selectOption('LDAP');
    await panel.getByLabel('Secrets Manager secret (name or ARN)').fill(SECRET);
    await expect(insert).toBeEnabled();
    await insert.click();
    await expect(panel.getByRole('status')).toContainText(
      'Inserted the connect cell'
    );
    // Kept with the test results (the README's come from `make screenshots`).
    await page.screenshot({ path: test.info().outputPath('panel.png') });

    const expected = [
      '%%local\nimport os',
      '%load_ext sagemaker_studio_analytics_extension.magics\n' +
        "%sm_analytics emr connect --cluster-id {os.getenv('cluster_id', 'j-2AXXXXXXGAPLF')} " +
        "--auth-type {os.getenv('auth_type', 'Basic_Access')} " +
        `--secret {os.getenv('secret_id', '${SECRET}')}`
    ];
    await expect
      .poll(() => cellSources(page))
      .toEqual([before[0], ...expected, ...before.slice(1)]);

    // Again, with a change: updated in place, never duplicated.
    await panel.getByLabel('Authentication').selectOption('Kerberos');
    await insert.click();
    await expect
      .poll(async () => (await cellSources(page)).length)
      .toBe(before.length + 2);
    expect((await cellSources(page))[2]).toContain(
      "{os.getenv('auth_type', 'Kerberos')}"
    );

    // The notebook's undo takes each insert back in one step.
    await page.notebook.activate(NOTEBOOK);
    await page.evaluate(() =>
      (window as any).jupyterapp.commands.execute('notebook:undo-cell-action')
    );
    await expect
      .poll(() => cellSources(page))
      .toEqual([before[0], ...expected, ...before.slice(1)]);
    await page.evaluate(() =>
      (window as any).jupyterapp.commands.execute('notebook:undo-cell-action')
    );
    await expect.poll(() => cellSources(page)).toEqual(before);
  });

  test('groups and sections open and close from the keyboard, keeping what was typed', async ({
    page
  }) => {
    await page.locator('.jp-EmrSchedule-toolbarButton').first().click();
    const panel = page.locator('.jp-EmrSchedule-panel');
    const advanced = panel.getByRole('button', { name: 'Advanced options' });
    await expect(advanced).toHaveAttribute('aria-expanded', 'false');
    // Closed, a group builds nothing.
    await expect(panel.getByLabel('Cluster id variable')).toHaveCount(0);

    await advanced.focus();
    await page.keyboard.press('Enter');
    await expect(advanced).toHaveAttribute('aria-expanded', 'true');
    await panel.getByLabel('Cluster id variable').fill('nightly_cluster');
    await advanced.focus();
    await page.keyboard.press('Space');
    await expect(advanced).toHaveAttribute('aria-expanded', 'false');
    await expect(panel.getByLabel('Cluster id variable')).toHaveCount(0);
    await page.keyboard.press('Enter');
    await expect(panel.getByLabel('Cluster id variable')).toHaveValue(
      'nightly_cluster'
    );

    const checks = toggleOf(panel.locator('.jp-EmrSchedule-checks'));
    await checks.focus();
    await page.keyboard.press('Enter');
    await expect(checks).toHaveAttribute('aria-expanded', 'true');
    await expect(
      panel
        .locator('.jp-EmrSchedule-checks')
        .getByRole('button', { name: 'Check again' })
    ).toBeVisible();
  });

  test('opens the Create Job form with the environment variables', async ({
    page
  }) => {
    await page.evaluate(() =>
      (window as any).jupyterapp.commands.execute('emr-schedule:open-panel')
    );
    const panel = page.locator('.jp-EmrSchedule-panel');
    await panel.getByLabel('EMR cluster id').fill('j-2AXXXXXXGAPLF');
    await panel.getByLabel('Authentication').selectOption('HTTP_Basic');
    await panel.getByLabel('Secrets Manager secret (name or ARN)').fill(SECRET);
    await expect(panel.locator('.jp-EmrSchedule-env')).toHaveText(
      `auth_type=Basic_Access\ncluster_id=j-2AXXXXXXGAPLF\nsecret_id=${SECRET}`
    );
    await panel.getByRole('button', { name: 'Create job…' }).click();
    const form = page.locator('.jp-create-job-form, form').filter({
      hasText: 'Create Job'
    });
    await expect(form.first()).toBeVisible();
    // The panel's own form says "Create job…" too: wait for the scheduler's
    // (Create job checks the network first).
    const createJobModel = () =>
      page.evaluate(() => {
        const shell = (window as any).jupyterapp.shell;
        const widget = Array.from(shell.widgets('main') as any).find(
          (w: any) => w.id && w.content?.model?.createJobModel
        ) as any;
        return widget ? widget.content.model.createJobModel : null;
      });
    await expect.poll(createJobModel).not.toBeNull();
    const model = await createJobModel();
    expect(model.inputFile).toContain(NOTEBOOK);
    expect(model.runtimeEnvironmentParameters).toEqual({
      auth_type: 'Basic_Access',
      cluster_id: 'j-2AXXXXXXGAPLF',
      secret_id: SECRET
    });
  });
});
