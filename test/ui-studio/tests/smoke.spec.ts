/**
 * The panel on the Studio stack, as on 4.6 (test/ui/tests/schedule-panel and
 * pickers): toolbar button, panel, pickers, insert, undo. Studio's notebook
 * toolbar also has SageMaker's EMR "Cluster" button (from
 * sagemaker-jupyterlab-emr-extension and its common extension); the two
 * must not clash.
 */
import { cellSources } from '../../ui/tests/helpers';
import { expect, openNotebook, test } from './studio';

const NOTEBOOK = 'pyspark-emr.ipynb';

test("toolbar beside SageMaker's Cluster button, panel, pickers, insert, undo", async ({
  page,
  tmpPath
}) => {
  await openNotebook(page, tmpPath, NOTEBOOK);
  expect(
    await page.evaluate(() =>
      ['@sagemaker-studio:EmrCluster', 'jupyterlab-emr-schedule:plugin'].map(
        id => (window as any).jupyterapp.isPluginActivated(id)
      )
    )
  ).toEqual([true, true]);

  // Both items on the toolbar, each once, side by side without overlapping.
  const toolbar = page.locator('.jp-NotebookPanel-toolbar').first();
  const ours = toolbar.locator('[data-jp-item-name="emr-schedule"]');
  const theirs = toolbar.locator('[data-jp-item-name="connectToCluster"]');
  await expect(ours).toHaveCount(1);
  await expect(theirs).toHaveCount(1);
  await expect(ours).toBeVisible();
  await expect(theirs).toBeVisible();
  const a = (await ours.boundingBox())!;
  const b = (await theirs.boundingBox())!;
  expect(a.x + a.width <= b.x || b.x + b.width <= a.x).toBe(true);

  const before = await cellSources(page);
  await ours.getByRole('button').first().click();
  const panel = page.locator('.jp-EmrSchedule-panel');
  await expect(panel).toBeVisible();
  await expect(panel.locator('.jp-EmrSchedule-notebookName')).toHaveText(
    NOTEBOOK
  );
  await expect(panel.locator('.jp-EmrSchedule-kernel')).toContainText(
    'SparkMagic'
  );

  // Pickers: the cluster list from the local AWS, with detected auth; a secret's ARN.
  await panel.getByRole('button', { name: 'Browse clusters…' }).click();
  const clusters = panel.getByRole('list', { name: 'EMR clusters' });
  await panel.getByLabel('Search clusters by name or id').fill('ldap');
  const ldap = clusters.getByRole('button', { name: /analytics-ldap/ });
  await expect(ldap.locator('.jp-EmrSchedule-authBadge')).toHaveText('LDAP');
  await ldap.click();
  await expect(panel.getByLabel('EMR cluster id')).toHaveValue(/^j-[A-Z0-9]+$/);
  await expect(panel.getByLabel('Authentication')).toHaveValue('LDAP');
  const cluster = await panel.getByLabel('EMR cluster id').inputValue();
  await panel.getByRole('button', { name: 'Browse secrets…' }).click();
  await panel
    .getByRole('list', { name: 'secrets' })
    .getByRole('button', { name: /emr\/users\/analyst-1/ })
    .click();
  const secret = panel.getByLabel('Secrets Manager secret (name or ARN)');
  await expect(secret).toHaveValue(
    /^arn:aws:secretsmanager:us-east-1:123456789012:secret:emr\/users\/analyst-1-/
  );
  const secretArn = await secret.inputValue();

  await panel.getByRole('button', { name: 'Insert connect cell' }).click();
  await expect(panel.getByRole('status')).toContainText(
    'Inserted the connect cell'
  );
  const inserted = [
    before[0],
    '%%local\nimport os',
    '%load_ext sagemaker_studio_analytics_extension.magics\n' +
      `%sm_analytics emr connect --cluster-id {os.getenv('cluster_id', '${cluster}')} ` +
      "--auth-type {os.getenv('auth_type', 'Basic_Access')} " +
      `--secret {os.getenv('secret_id', '${secretArn}')}`,
    ...before.slice(1)
  ];
  await expect.poll(() => cellSources(page)).toEqual(inserted);

  // The notebook's undo takes the insert back in one step.
  await page.notebook.activate(NOTEBOOK);
  await page.evaluate(async () => {
    await (window as any).jupyterapp.commands.execute(
      'notebook:undo-cell-action'
    );
  });
  await expect.poll(() => cellSources(page)).toEqual(before);

  // SageMaker's button still opens its own "Connect to cluster" dialog.
  await theirs.getByRole('button').first().click();
  const dialog = page.locator('.jp-Dialog');
  await expect(
    dialog.getByRole('heading', { name: 'Connect to cluster' })
  ).toBeVisible();
  await expect(dialog.getByRole('tab', { name: 'EMR Clusters' })).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(panel).toBeVisible();
});
