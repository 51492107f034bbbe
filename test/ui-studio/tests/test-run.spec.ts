/**
 * "Test run" on the Studio stack: the test run's job is a SageMaker training
 * job that SageMaker's plugin creates (through the same `scheduler/jobs` route
 * its Create Job form posts to), with the fields that form would send.
 *
 * The local AWS (moto) cannot run a SageMaker job: it records the training
 * job and reports it Completed at once, without running anything. So no
 * outcome of the connection is asserted here: what is asserted is what was
 * sent, CreateTrainingJob as the fault proxy in front of the local AWS
 * recorded it, against the one a job created through the form sent; that the
 * Runs section does not take the local AWS's "Completed" for a success (the
 * job left no output in S3, as a job that ran would); what the test run
 * leaves (the user's notebook as it was; its notebook in S3 while it is
 * there); and that dismissing it removes its files, in S3 and beside the
 * user's notebook.
 */
import {
  askSageMaker,
  createThroughForm,
  expect,
  networkId,
  notebookOnDisk,
  openNotebook,
  run,
  s3Keys,
  sentToAws,
  test
} from './studio';
import { cellSources } from '../../ui/tests/helpers';

const NOTEBOOK = 'python-emr.ipynb';
const BUCKET = 'sagemaker-automated-execution-123456789012-us-east-1';
const TEST_RUN_FOLDER = 'emr-schedule-test-runs';
const VARIABLES = {
  cluster_id: 'j-2AXXXXXXGAPLF',
  auth_type: 'Kerberos',
  secret_id: 'emr/users/analyst-2'
};
/** What SageMaker's plugin names after the notebook, not the job's settings. */
const PER_NOTEBOOK = ['SM_INPUT_NOTEBOOK_NAME', 'SM_OUTPUT_NOTEBOOK_NAME'];

function withoutNotebookNames(environment: Record<string, string>) {
  const rest = { ...environment };
  for (const key of PER_NOTEBOOK) {
    delete rest[key];
  }
  return rest;
}

async function folderListing(page: any, folder: string) {
  const response = await page.request.get(`/api/contents/${folder}?content=1`);
  if (response.status() === 404) {
    return null;
  }
  return ((await response.json()).content as { name: string }[])
    .map(e => e.name)
    .sort();
}

test.describe('a test run on SageMaker (SageMaker JupyterLab mode)', () => {
  test.setTimeout(240000);

  test('sends the training job a job from the form would, tells what it costs, and leaves nothing once dismissed', async ({
    page,
    tmpPath
  }) => {
    const file = await openNotebook(page, tmpPath, NOTEBOOK);
    const saved = await notebookOnDisk(page, file);
    const userFiles = await folderListing(page, tmpPath);
    await page.locator('.jp-EmrSchedule-toolbarButton').first().click();
    const panel = page.locator('.jp-EmrSchedule-panel');
    await panel.getByLabel('EMR cluster id').fill(VARIABLES.cluster_id);
    await panel.getByLabel('Authentication').selectOption('Kerberos');
    await panel
      .getByLabel('Secrets Manager secret (name or ARN)')
      .fill(VARIABLES.secret_id);
    const inEditor = await cellSources(page);

    // The test run: the dialog says what it costs before anything starts.
    const before = (await sentToAws('CreateTrainingJob')).length;
    await panel.getByRole('button', { name: 'Test run', exact: true }).click();
    const dialog = page.locator('.jp-Dialog', {
      hasText: 'Test the schedule now?'
    });
    await expect(dialog).toContainText(
      'It is a SageMaker training job on one ml.m5.large instance, billed while it runs'
    );
    await expect(dialog).toContainText(
      'arn:aws:iam::123456789012:role/SagemakerJupyterSchedulerEmrNotebookJobs'
    );
    await expect(dialog).toContainText('in subnets subnet-');
    await dialog.getByRole('button', { name: 'Start test run' }).click();

    const item = panel.locator('.jp-EmrSchedule-testRun');
    await expect(item).toHaveAttribute('data-job-id', /.+/, {
      timeout: 60000
    });
    const jobName = (await item.getAttribute('data-job-id'))!;
    await expect
      .poll(async () => (await sentToAws('CreateTrainingJob')).length, {
        timeout: 60000
      })
      .toBe(before + 1);
    const testRun = (await sentToAws('CreateTrainingJob'))[before];
    expect(testRun.body.TrainingJobName).toBe(jobName);
    const smallNotebook = testRun.body.Environment.SM_INPUT_NOTEBOOK_NAME;
    expect(smallNotebook).toMatch(/^python-emr-test-\d{8}T\d{6}Z\.ipynb$/);
    // At most half an hour of a billed instance, not the form's 48 hours.
    expect(testRun.body.StoppingCondition.MaxRuntimeInSeconds).toBe(1800);
    // Its notebook went to S3, and is beside the user's while the test run is
    // there.
    expect(await s3Keys(BUCKET, `${jobName}/`)).toContain(
      `${jobName}/input/${smallNotebook}`
    );
    expect(
      await folderListing(page, `${tmpPath}/${TEST_RUN_FOLDER}`)
    ).toContain(smallNotebook);

    // A job created through SageMaker's form, from the same panel.
    const fromForm = await createThroughForm(page);

    // The same variables, role, image, instance and network as the form's job.
    expect(fromForm.body.Environment).toMatchObject(VARIABLES);
    expect(withoutNotebookNames(testRun.body.Environment)).toEqual(
      withoutNotebookNames(fromForm.body.Environment)
    );
    expect(fromForm.body.VpcConfig?.Subnets?.length).toBeGreaterThan(0);
    expect(testRun.body.VpcConfig).toEqual(fromForm.body.VpcConfig);
    expect(testRun.body.RoleArn).toBe(fromForm.body.RoleArn);
    expect(testRun.body.AlgorithmSpecification).toEqual(
      fromForm.body.AlgorithmSpecification
    );
    expect(testRun.body.ResourceConfig).toEqual(fromForm.body.ResourceConfig);
    expect(testRun.body.EnableNetworkIsolation).toBe(
      fromForm.body.EnableNetworkIsolation
    );

    // The local AWS says Completed, but the job ran nowhere and left no
    // output: the Runs section says so, and claims no success.
    await expect(item).toHaveAttribute('data-test-run-phase', 'unconfirmed', {
      timeout: 60000
    });
    await expect(item.locator('.jp-EmrSchedule-runStatus')).toHaveText(
      'Not confirmed'
    );
    await expect(item).toContainText(
      `it left no output (nothing under s3://${BUCKET}/${jobName}/output/)`
    );
    await expect(item).not.toContainText('Spark answered');
    await panel.locator('.jp-EmrSchedule-runsSection').screenshot({
      path: test.info().outputPath('test-run-unconfirmed.png')
    });

    // The user's notebook: on disk and in the editor, as it was.
    expect(await notebookOnDisk(page, file)).toEqual(saved);
    await page.notebook.activate(NOTEBOOK);
    expect(await cellSources(page)).toEqual(inEditor);

    // Dismissed: SageMaker's plugin archives the job; its files in S3 and
    // the test run's folder are gone; the form's job keeps its own.
    await item.getByRole('button', { name: 'Dismiss' }).click();
    await expect(item).toHaveCount(0, { timeout: 60000 });
    expect(await s3Keys(BUCKET, `${jobName}/`)).toEqual([]);
    expect(
      await s3Keys(BUCKET, `${fromForm.body.TrainingJobName}/`)
    ).not.toEqual([]);
    expect(await folderListing(page, tmpPath)).toEqual(userFiles);
    const tags = await askSageMaker('ListTags', {
      ResourceArn: (
        await askSageMaker('DescribeTrainingJob', { TrainingJobName: jobName })
      ).body.TrainingJobArn
    });
    expect(tags.body.Tags).toContainEqual({
      Key: 'sagemaker:is-studio-archived',
      Value: 'true'
    });
  });

  test("the network chosen in the Network section is the test run's VpcConfig", async ({
    page,
    tmpPath
  }) => {
    await openNotebook(page, tmpPath, NOTEBOOK);
    await run(page, 'emr-schedule:open-panel');
    const panel = page.locator('.jp-EmrSchedule-panel');
    await panel.getByRole('button', { name: 'Browse clusters…' }).click();
    await panel
      .getByLabel('Search clusters by name or id')
      .fill('studio-vpc-krb5');
    await panel
      .getByRole('list', { name: 'EMR clusters' })
      .getByRole('button', { name: /studio-vpc-krb5/ })
      .click();
    await panel
      .getByLabel('Secrets Manager secret (name or ARN)')
      .fill('emr/users/analyst-2');
    // One of the domain's two subnets, and the analysts' group beside the
    // domain's: not what SageMaker's form would preselect.
    const chosen = {
      Subnets: [await networkId('subnet', 'studio-private-nat')],
      SecurityGroupIds: [
        await networkId('security-group', 'studio-domain'),
        await networkId('security-group', 'analysts')
      ]
    };
    const section = panel.locator('.jp-EmrSchedule-network');
    await section.locator(':scope > .jp-EmrSchedule-summary').click();
    await section
      .getByLabel('Subnets', { exact: true })
      .selectOption(chosen.Subnets, { timeout: 60000 });
    await section
      .getByLabel('Security groups', { exact: true })
      .selectOption(chosen.SecurityGroupIds);

    const before = (await sentToAws('CreateTrainingJob')).length;
    await panel.getByRole('button', { name: 'Test run', exact: true }).click();
    const dialog = page.locator('.jp-Dialog', {
      hasText: 'Test the schedule now?'
    });
    // (The groups in the order the section lists them.)
    await expect(dialog).toContainText(
      `in subnets ${chosen.Subnets[0]} with security groups `
    );
    for (const group of chosen.SecurityGroupIds) {
      await expect(dialog).toContainText(group);
    }
    await dialog.getByRole('button', { name: 'Start test run' }).click();
    await expect
      .poll(async () => (await sentToAws('CreateTrainingJob')).length, {
        timeout: 60000
      })
      .toBe(before + 1);
    const sent = (await sentToAws('CreateTrainingJob'))[before];
    expect(sent.body.VpcConfig.Subnets).toEqual(chosen.Subnets);
    expect([...sent.body.VpcConfig.SecurityGroupIds].sort()).toEqual(
      [...chosen.SecurityGroupIds].sort()
    );

    const item = panel.locator('.jp-EmrSchedule-testRun');
    await expect(item).toHaveAttribute('data-test-run-phase', 'unconfirmed', {
      timeout: 60000
    });
    await item.getByRole('button', { name: 'Dismiss' }).click();
    await expect(item).toHaveCount(0, { timeout: 60000 });
    expect(await s3Keys(BUCKET, `${sent.body.TrainingJobName}/`)).toEqual([]);
  });
});
