/**
 * A job created through SageMaker's form carries the panel's variables in its
 * environment, as SageMaker's plugin sends it to AWS.
 *
 * Run now: the plugin uploads the notebook to S3 and calls SageMaker
 * CreateTrainingJob with `Environment` holding the customer's variables. The
 * local AWS (moto 5) accepts that call and records the training job, but
 * keeps no `Environment` for it (its CreateTrainingJob drops the field), so
 * the environment is asserted on the request as it was sent, which the fault
 * proxy in front of the local AWS recorded; that moto has the job is asserted
 * too. On a schedule: the plugin creates a SageMaker pipeline whose training
 * step's arguments carry the same `Environment`; moto keeps the pipeline
 * definition, so there it is asserted as the local AWS records it.
 *
 * The plugin reads Studio's app metadata from the fixed path
 * /opt/ml/metadata/resource-metadata.json to create a job; the test server
 * (demo/run.py --studio) writes it there while it runs.
 */
import {
  askSageMaker,
  createThroughForm,
  expect,
  openAdditionalOptions,
  openCreateJob,
  openNotebook,
  sentToAws,
  test
} from './studio';

const NOTEBOOK = 'python-emr.ipynb';
const VARIABLES = {
  cluster_id: 'j-2AXXXXXXGAPLF',
  auth_type: 'Kerberos',
  secret_id: 'emr/users/analyst-2'
};

test.describe("a job created through SageMaker's form", () => {
  test.beforeEach(async ({ page, tmpPath }) => {
    await openNotebook(page, tmpPath, NOTEBOOK);
    await page.locator('.jp-EmrSchedule-toolbarButton').first().click();
    const panel = page.locator('.jp-EmrSchedule-panel');
    await panel.getByLabel('EMR cluster id').fill(VARIABLES.cluster_id);
    await panel.getByLabel('Authentication').selectOption('Kerberos');
    await panel
      .getByLabel('Secrets Manager secret (name or ARN)')
      .fill(VARIABLES.secret_id);
  });

  test('run now: CreateTrainingJob carries the variables in its Environment', async ({
    page
  }) => {
    const sent = await createThroughForm(page);
    // What SageMaker's plugin sent: our variables beside its own SM_* ones.
    console.log(
      'CreateTrainingJob Environment as sent:',
      JSON.stringify(sent.body.Environment, null, 2)
    );
    expect(sent.body.Environment).toMatchObject(VARIABLES);
    expect(sent.body.Environment.SM_INPUT_NOTEBOOK_NAME).toBe(NOTEBOOK);
    expect(sent.body.RoleArn).toBe(
      'arn:aws:iam::123456789012:role/SagemakerJupyterSchedulerEmrNotebookJobs'
    );
    expect(sent.access_key).toBe('testing');

    // The local AWS accepted it and has the training job.
    const described = await askSageMaker('DescribeTrainingJob', {
      TrainingJobName: sent.body.TrainingJobName
    });
    expect(described.status).toBe(200);
    expect(described.body.TrainingJobName).toBe(sent.body.TrainingJobName);
    if (described.body.Environment !== undefined) {
      // Should the local AWS keep it one day, it must be what was sent.
      expect(described.body.Environment).toMatchObject(VARIABLES);
    }
  });

  test("on a schedule: the pipeline's training step carries the variables, as the local AWS records it", async ({
    page
  }) => {
    const before = (await sentToAws('CreatePipeline')).length;
    const form = await openCreateJob(page);
    await openAdditionalOptions(form);
    await expect(form.locator('input[name="envKey-2"]')).toBeVisible({
      timeout: 30000
    });
    await form.getByRole('radio', { name: 'Run on a schedule' }).check();
    await form.getByRole('button', { name: 'Create', exact: true }).click();

    await expect
      .poll(async () => (await sentToAws('CreatePipeline')).length, {
        timeout: 60000
      })
      .toBe(before + 1);
    const sent = (await sentToAws('CreatePipeline'))[before];
    const described = await askSageMaker('DescribePipeline', {
      PipelineName: sent.body.PipelineName
    });
    expect(described.status).toBe(200);
    const definition = JSON.parse(described.body.PipelineDefinition);
    expect(definition.Steps[0].Type).toBe('Training');
    expect(definition.Steps[0].Arguments.Environment).toMatchObject(VARIABLES);
  });
});
