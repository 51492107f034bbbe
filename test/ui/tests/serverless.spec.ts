/**
 * EMR Serverless with the panel alone: from a Python notebook to a scheduled
 * job whose environment names the application and the execution role, with
 * the applications and roles the local AWS holds (demo/local_aws.py seeds one
 * started application, one stopped that does not start by itself, and an
 * execution role that EMR Serverless may assume).
 */
import { expect, test } from './fixtures';
import {
  cellSources,
  createJobForm,
  openDemoNotebook,
  toggleOf
} from './helpers';

const NOTEBOOK = 'serverless-python.ipynb';
const ROLE_NAME = 'emr-schedule-demo-serverless-execution';
const ROLE = `arn:aws:iam::123456789012:role/service-role/${ROLE_NAME}`;

test('pick an application and a role, insert, switch target and undo, create the job', async ({
  page,
  tmpPath
}) => {
  await openDemoNotebook(page, tmpPath, NOTEBOOK);
  const before = await cellSources(page);
  await page.locator('.jp-EmrSchedule-toolbarButton').first().click();
  const panel = page.locator('.jp-EmrSchedule-panel');
  await panel
    .getByRole('radio', { name: 'EMR Serverless application' })
    .check();
  // The cluster's fields give way to the application's.
  await expect(panel.getByLabel('EMR cluster id')).toHaveCount(0);
  await expect(panel.getByLabel('Authentication')).toHaveCount(0);

  await panel.getByRole('button', { name: 'Browse applications…' }).click();
  const apps = panel.getByRole('list', { name: 'EMR Serverless applications' });
  const stopped = apps.getByRole('button', {
    name: /analytics-nightly-stopped/
  });
  const started = apps.getByRole('button', { name: /analytics-interactive/ });
  await expect(started).toContainText('STARTED');
  await expect(started.locator('.jp-EmrSchedule-startBadge')).toHaveText(
    'auto-start'
  );
  await expect(stopped).toContainText('STOPPED');
  await expect(stopped.locator('.jp-EmrSchedule-startBadge')).toHaveText(
    'no auto-start'
  );
  await panel.getByLabel('Search applications by name or id').fill('nightly');
  await expect(apps.getByRole('button')).toHaveCount(1);
  await stopped.click();
  const applicationId = await panel
    .getByLabel('EMR Serverless application id')
    .inputValue();
  expect(applicationId).toMatch(/^[0-9a-z]+$/);
  // A 3 a.m. run finds it stopped: the panel says what that means.
  const info = panel.locator('.jp-EmrSchedule-clusterInfo');
  await expect(info).toContainText('does not start by itself');
  await expect(info).toContainText('emr-serverless:StartApplication');

  const insert = panel.getByRole('button', { name: 'Insert connect cell' });
  await expect(insert).toBeDisabled();
  await panel.getByRole('button', { name: 'Browse execution roles…' }).click();
  await panel
    .getByRole('list', { name: 'execution roles' })
    .getByRole('button', { name: new RegExp(ROLE_NAME) })
    .click();
  await expect(
    panel.getByLabel('Execution role ARN (--emr-execution-role-arn)')
  ).toHaveValue(ROLE);
  await insert.click();
  await expect(panel.getByRole('status')).toContainText(
    'Inserted the connect cell'
  );
  const serverlessCell =
    'import os\n' +
    '%load_ext sagemaker_studio_analytics_extension.magics\n' +
    `%sm_analytics emr-serverless connect --application-id {os.getenv('application_id', '${applicationId}')} ` +
    `--emr-execution-role-arn {os.getenv('emr_execution_role_arn', '${ROLE}')} ` +
    '--language python';
  await expect
    .poll(() => cellSources(page))
    .toEqual([before[0], serverlessCell, ...before.slice(1)]);
  await page.screenshot({ path: test.info().outputPath('serverless.png') });

  // The IAM section shows the serverless policies for these values.
  const policies = page.locator('.jp-EmrSchedule-policies');
  await toggleOf(policies).click();
  await policies.getByLabel('Region').fill('us-east-1');
  const jobRole = policies.locator('[data-policy="serverless-job-role"] pre');
  await expect(jobRole).toContainText(
    `arn:aws:emr-serverless:us-east-1:123456789012:/applications/${applicationId}`
  );
  await expect(jobRole).toContainText(`"Resource": "${ROLE}"`);
  await expect(policies.locator('[data-policy="secret-shared"]')).toHaveCount(
    0
  );
  await toggleOf(policies).click();

  // Switching to a cluster rewrites the same cell; undo brings it back.
  await panel.getByRole('radio', { name: 'EMR cluster' }).check();
  await panel.getByLabel('EMR cluster id').fill('j-2AXXXXXXGAPLF');
  // The cluster's runtime role is not the serverless execution role.
  await panel.getByRole('button', { name: 'Advanced options' }).click();
  await expect(panel.getByLabel('EMR runtime role ARN (optional)')).toHaveValue(
    ''
  );
  await insert.click();
  await expect
    .poll(async () => (await cellSources(page))[1])
    .toContain('%sm_analytics emr connect');
  expect(await cellSources(page)).toHaveLength(before.length + 1);
  await page.notebook.activate(NOTEBOOK);
  await page.evaluate(() =>
    (window as any).jupyterapp.commands.execute('notebook:undo-cell-action')
  );
  await expect
    .poll(() => cellSources(page))
    .toEqual([before[0], serverlessCell, ...before.slice(1)]);

  // Back to serverless: nothing typed there was lost.
  await panel
    .getByRole('radio', { name: 'EMR Serverless application' })
    .check();
  await expect(panel.getByLabel('EMR Serverless application id')).toHaveValue(
    applicationId
  );
  await expect(
    panel.getByLabel('Execution role ARN (--emr-execution-role-arn)')
  ).toHaveValue(ROLE);

  // The job gets the application and the role, and nothing of a cluster's.
  await page.notebook.save();
  await panel.getByRole('button', { name: 'Create job…' }).click();
  const form = await createJobForm(page);
  await form.getByText('Additional options').click();
  const envEditor = form.locator('fieldset', {
    hasText: 'Environment variables'
  });
  const names = envEditor.locator('input[name^="jp-EmrSchedule-jobEnv-name"]');
  await expect(names).toHaveCount(2);
  await form.getByRole('button', { name: 'Create', exact: true }).click();
  const job = () =>
    page.evaluate(async () => {
      const response = await fetch('/scheduler/jobs?max_items=50');
      const body = await response.json();
      return (
        body.jobs.find((j: any) =>
          j.input_filename?.startsWith('serverless-python')
        ) ?? null
      );
    });
  await expect
    .poll(async () => (await job())?.runtime_environment_parameters, {
      timeout: 30000
    })
    .toEqual({
      application_id: applicationId,
      emr_execution_role_arn: ROLE
    });
});

test('a hand-written serverless line: its fix fills the serverless form, and the insert replaces it', async ({
  page,
  tmpPath
}) => {
  const role = 'arn:aws:iam::123456789012:role/hand-written';
  const line =
    '%sm_analytics emr-serverless connect --application-id 00handwritten1 ' +
    `--emr-execution-role-arn ${role} --language python`;
  const notebook = {
    cells: [
      { cell_type: 'code', metadata: {}, outputs: [], source: line },
      { cell_type: 'code', metadata: {}, outputs: [], source: 'print(1)' }
    ],
    metadata: {
      kernelspec: {
        name: 'python3',
        display_name: 'Python 3 (ipykernel)',
        language: 'python'
      }
    },
    nbformat: 4,
    nbformat_minor: 5
  };
  await page.contents.uploadContent(
    JSON.stringify(notebook),
    'text',
    `${tmpPath}/hand-written.ipynb`
  );
  await page.notebook.openByPath(`${tmpPath}/hand-written.ipynb`);
  await page.notebook.activate('hand-written.ipynb');
  await page.evaluate(() =>
    (window as any).jupyterapp.commands.execute('emr-schedule:check-notebook')
  );
  const panel = page.locator('.jp-EmrSchedule-panel');
  const finding = panel.locator('[data-rule="literal-connect-value"]');
  await expect(finding).toContainText('application id and execution role');
  await finding.locator('.jp-EmrSchedule-fix').click();
  await expect(
    panel.getByRole('radio', { name: 'EMR Serverless application' })
  ).toBeChecked();
  await expect(panel.getByLabel('EMR Serverless application id')).toHaveValue(
    '00handwritten1'
  );
  await expect(
    panel.getByLabel('Execution role ARN (--emr-execution-role-arn)')
  ).toHaveValue(role);
  await panel.getByRole('button', { name: 'Insert connect cell' }).click();
  await expect
    .poll(() => cellSources(page))
    .toEqual([
      'import os\n' +
        '%load_ext sagemaker_studio_analytics_extension.magics\n' +
        "%sm_analytics emr-serverless connect --application-id {os.getenv('application_id', '00handwritten1')} " +
        `--emr-execution-role-arn {os.getenv('emr_execution_role_arn', '${role}')} ` +
        '--language python',
      'print(1)'
    ]);
});
