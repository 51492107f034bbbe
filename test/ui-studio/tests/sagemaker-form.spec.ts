/**
 * "Create job…" on the Studio stack opens SageMaker's Create Job form (its
 * scheduler plugin, amazon-sagemaker-jupyter-scheduler, from PyPI), whose
 * Environment variables rows (inputs envKey-N / envValue-N) must hold exactly
 * the panel's variables: when it first opens, after the panel's values
 * change, and with the Redshift variables of a notebook that has Redshift
 * cells. The rows are read from the page, as a user sees them.
 */
import * as fs from 'fs';
import * as path from 'path';
import { cellSources, toggleOf } from '../../ui/tests/helpers';
import {
  environmentRows,
  expect,
  expectEnvironmentRows,
  openAdditionalOptions,
  openCreateJob,
  openNotebook,
  test
} from './studio';

const NOTEBOOK = 'pyspark-emr.ipynb';
const CLUSTER = 'j-2AXXXXXXGAPLF';
const HOST = 'examplecluster.abc123xyz789.us-east-1.redshift.amazonaws.com';
const ROLE = 'arn:aws:iam::123456789012:role/redshift-copy-unload';

test.describe("SageMaker's Create Job form", () => {
  test.beforeEach(async ({ page, tmpPath }) => {
    await openNotebook(page, tmpPath, NOTEBOOK);
    await page.locator('.jp-EmrSchedule-toolbarButton').first().click();
  });

  test('its Environment variables rows hold exactly our variables, also after the panel changes', async ({
    page
  }) => {
    const panel = page.locator('.jp-EmrSchedule-panel');
    await panel.getByLabel('EMR cluster id').fill(CLUSTER);
    await panel.getByLabel('Authentication').selectOption('LDAP');
    await panel
      .getByLabel('Secrets Manager secret (name or ARN)')
      .fill('emr/users/analyst-1');
    let form = await openCreateJob(page);
    // SageMaker's form, not jupyter-scheduler's own: its compute types and
    // its Additional options (role, image, kernel, S3 folders).
    await expect(form).toContainText('ml.m5.large');
    await openAdditionalOptions(form);
    // SageMaker's options show once its server part has asked AWS for the
    // roles and the bucket (the first time also runs `jupyter labextension list`).
    await expect(form.getByText('Environment variables')).toBeVisible({
      timeout: 30000
    });
    await expectEnvironmentRows(form, {
      cluster_id: CLUSTER,
      auth_type: 'Basic_Access',
      secret_id: 'emr/users/analyst-1'
    });
    // The rows as a person sees them, with the role SageMaker's form found.
    await expect
      .poll(() =>
        form
          .locator('input')
          .evaluateAll(inputs => inputs.map(i => (i as HTMLInputElement).value))
      )
      .toContain(
        'arn:aws:iam::123456789012:role/SagemakerJupyterSchedulerEmrNotebookJobs'
      );
    await page.evaluate(() => (window as any).jupyterapp.shell.collapseLeft());
    await form.locator('input[name="envValue-2"]').scrollIntoViewIfNeeded();
    const shot = test.info().outputPath('studio-create-job.png');
    await page.screenshot({ path: shot });
    if (process.env.UPDATE_DOCS_SCREENSHOTS) {
      fs.copyFileSync(
        shot,
        path.resolve(__dirname, '../../../docs/studio-create-job.png')
      );
    }

    // The panel changes: the next form has the new values, and nothing else.
    await panel.getByLabel('Authentication').selectOption('Kerberos');
    await panel
      .getByLabel('Secrets Manager secret (name or ARN)')
      .fill('emr/users/analyst-2');
    form = await openCreateJob(page);
    await openAdditionalOptions(form);
    await expectEnvironmentRows(form, {
      cluster_id: CLUSTER,
      auth_type: 'Kerberos',
      secret_id: 'emr/users/analyst-2'
    });
    // No authentication needs no secret: its row goes away.
    await panel.getByLabel('Authentication').selectOption('None');
    form = await openCreateJob(page);
    await openAdditionalOptions(form);
    await expectEnvironmentRows(form, {
      cluster_id: CLUSTER,
      auth_type: 'None'
    });
  });

  test("with Redshift cells, the rows add the notebook's Redshift variables", async ({
    page
  }) => {
    const panel = page.locator('.jp-EmrSchedule-panel');
    await panel.getByLabel('EMR cluster id').fill(CLUSTER);
    await panel.getByRole('button', { name: 'Insert connect cell' }).click();
    const section = panel.locator('.jp-EmrSchedule-redshift');
    await toggleOf(section).click();
    await section.getByLabel('Cluster endpoint').fill(HOST);
    await section.getByLabel('Table').fill('public.sales');
    await section
      .getByLabel('S3 tempdir')
      .fill('s3a://analytics-temp/redshift/');
    await section
      .getByLabel('IAM role for COPY/UNLOAD (aws_iam_role)')
      .fill(ROLE);
    await section
      .getByRole('button', { name: 'Insert Redshift cells' })
      .click();
    await expect
      .poll(async () => (await cellSources(page)).join('\n'))
      .toContain('io.github.spark_redshift_community.spark.redshift');

    const form = await openCreateJob(page);
    await openAdditionalOptions(form);
    await expectEnvironmentRows(form, {
      cluster_id: CLUSTER,
      auth_type: 'None',
      redshift_url: `jdbc:redshift:iam://${HOST}:5439/dev`,
      redshift_table: 'public.sales',
      redshift_tempdir: 's3a://analytics-temp/redshift/',
      redshift_iam_role: ROLE
    });
    expect((await environmentRows(form)).length).toBe(6);
  });
});
