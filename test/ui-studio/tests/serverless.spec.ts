/**
 * EMR Serverless on the Studio stack: the application and the execution role
 * chosen in the panel become the rows of SageMaker's Environment variables,
 * and nothing of a cluster's.
 */
import {
  expect,
  expectEnvironmentRows,
  openAdditionalOptions,
  openCreateJob,
  openNotebook,
  test
} from './studio';

const ROLE =
  'arn:aws:iam::123456789012:role/service-role/emr-schedule-demo-serverless-execution';

test("SageMaker's form gets the application and the execution role", async ({
  page,
  tmpPath
}) => {
  await openNotebook(page, tmpPath, 'serverless-python.ipynb');
  await page.locator('.jp-EmrSchedule-toolbarButton').first().click();
  const panel = page.locator('.jp-EmrSchedule-panel');
  await panel
    .getByRole('radio', { name: 'EMR Serverless application' })
    .check();
  await panel.getByRole('button', { name: 'Browse applications…' }).click();
  await panel
    .getByRole('list', { name: 'EMR Serverless applications' })
    .getByRole('button', { name: /analytics-interactive/ })
    .click();
  const applicationId = await panel
    .getByLabel('EMR Serverless application id')
    .inputValue();
  expect(applicationId).toMatch(/^[0-9a-z]+$/);
  await panel
    .getByLabel('Execution role ARN (--emr-execution-role-arn)')
    .fill(ROLE);
  const form = await openCreateJob(page);
  await openAdditionalOptions(form);
  await expect(form.getByText('Environment variables')).toBeVisible({
    timeout: 30000
  });
  await expectEnvironmentRows(form, {
    application_id: applicationId,
    emr_execution_role_arn: ROLE
  });
});
