/**
 * The job's network through SageMaker's Create Job form, with its plugin in
 * its SageMaker JupyterLab mode (as in a JupyterLab space in Studio: the test
 * server runs it so, in the local AWS's VpcOnly domain `emr-schedule-vpc`,
 * whose space `emr-schedule-demo` its user `analyst-1` owns).
 *
 * The form is opened as the panel's "Create job…" opens it: jupyter-scheduler's
 * `scheduling:restore-layout` command with the model `createJobModel` builds
 * (src/schedulerForm.ts), here with a chosen network, which the form must show
 * in its VPC fields (box checked) in place of its own defaults; Create must
 * send that network as the job's `VpcConfig`.
 *
 * The local AWS (moto) cannot run a SageMaker job: no training job runs and no
 * pipeline executes here, so nothing below asserts that a job reached a
 * cluster. What is asserted is what SageMaker's plugin sent: CreateTrainingJob
 * as the fault proxy in front of the local AWS recorded it, and the pipeline
 * definition the local AWS keeps for a schedule.
 */
import { createJobModel } from '../../../src/schedulerForm';
import {
  askSageMaker,
  expect,
  networkId,
  openAdditionalOptions,
  openNotebook,
  sentToAws,
  test
} from './studio';
import type { Locator, Page } from '@playwright/test';

const NOTEBOOK = 'python-emr.ipynb';
const VARIABLES = {
  cluster_id: 'j-2AXXXXXXGAPLF',
  auth_type: 'Kerberos',
  secret_id: 'emr/users/analyst-2'
};

interface INetwork {
  subnets: string[];
  securityGroupIds: string[];
}

/** Opens SageMaker's Create Job form as the panel does, with `network` in its model. */
async function openForm(
  page: Page,
  file: string,
  network?: INetwork
): Promise<Locator> {
  const form = page.locator('form', { hasText: 'Job name' });
  if (await form.count()) {
    await form.first().getByRole('button', { name: 'Cancel' }).click();
    await expect(form).toHaveCount(0);
  }
  const model = createJobModel(file, VARIABLES, network);
  await page.evaluate(async m => {
    await (window as any).jupyterapp.commands.execute(
      'scheduling:restore-layout',
      { jobsView: 1, createJobModel: m }
    );
  }, model);
  await expect(form.first()).toBeVisible({ timeout: 30000 });
  await openAdditionalOptions(form.first());
  return form.first();
}

/**
 * The values a VPC field ("Subnet(s)", "Security Group(s)") shows: the chips
 * beside its input, each a button named by its value.
 */
async function shown(form: Locator, field: string): Promise<string[]> {
  const input = form.getByRole('combobox', { name: field, exact: true });
  return input.evaluate(element =>
    [...(element.parentElement?.querySelectorAll('[role="button"]') ?? [])].map(
      chip => chip.textContent?.trim() ?? ''
    )
  );
}

/**
 * The VPC box is checked and the VPC fields show exactly `network` (in its
 * order, or in any order with `anyOrder`: the form lists its own defaults in
 * the order EC2 lists the subnets).
 */
async function expectVpcFields(
  form: Locator,
  network: INetwork,
  anyOrder = false
) {
  const box = form.locator('input[name="vpc-check-box"]');
  await expect(box).toBeChecked({ timeout: 30000 });
  const order = (ids: string[]) => (anyOrder ? [...ids].sort() : ids);
  await expect
    .poll(async () => order(await shown(form, 'Subnet(s)')), {
      timeout: 30000
    })
    .toEqual(order(network.subnets));
  await expect
    .poll(async () => order(await shown(form, 'Security Group(s)')))
    .toEqual(order(network.securityGroupIds));
}

test.describe("the job's network in SageMaker's form (SageMaker JupyterLab mode)", () => {
  let file = '';
  let chosen: INetwork;
  let domainDefaults: INetwork;

  test.beforeEach(async ({ page, tmpPath }) => {
    file = await openNotebook(page, tmpPath, NOTEBOOK);
    // A choice other than the domain's own: one private subnet, and the
    // analysts' group beside the domain's.
    chosen = {
      subnets: [await networkId('subnet', 'studio-private-nat')],
      securityGroupIds: [
        await networkId('security-group', 'studio-domain'),
        await networkId('security-group', 'analysts')
      ]
    };
    domainDefaults = {
      subnets: [
        await networkId('subnet', 'studio-private-nat'),
        await networkId('subnet', 'studio-private-endpoints')
      ],
      securityGroupIds: [await networkId('security-group', 'studio-domain')]
    };
  });

  test("without a network in the model, the form preselects the domain's subnets and security group", async ({
    page
  }) => {
    const form = await openForm(page, file);
    await expectVpcFields(form, domainDefaults, true);
  });

  test('run now: the chosen network shows, and CreateTrainingJob carries it as VpcConfig', async ({
    page
  }) => {
    const before = (await sentToAws('CreateTrainingJob')).length;
    const form = await openForm(page, file, chosen);
    await expectVpcFields(form, chosen);
    await form.getByRole('button', { name: 'Create', exact: true }).click();

    await expect
      .poll(async () => (await sentToAws('CreateTrainingJob')).length, {
        timeout: 60000
      })
      .toBe(before + 1);
    const sent = (await sentToAws('CreateTrainingJob'))[before];
    expect(sent.body.VpcConfig).toEqual({
      Subnets: chosen.subnets,
      SecurityGroupIds: chosen.securityGroupIds
    });
    // The network is no environment variable of the job; ours still are.
    expect(sent.body.Environment).toMatchObject(VARIABLES);
    expect(Object.keys(sent.body.Environment)).not.toContain('vpc_subnets');
    expect(Object.keys(sent.body.Environment)).not.toContain(
      'vpc_security_group_ids'
    );

    // The local AWS recorded the request (it runs no job). Should it one day
    // keep the network, it must be what was sent.
    const described = await askSageMaker('DescribeTrainingJob', {
      TrainingJobName: sent.body.TrainingJobName
    });
    expect(described.status).toBe(200);
    if (
      described.body.VpcConfig &&
      Object.keys(described.body.VpcConfig).length
    ) {
      expect(described.body.VpcConfig).toEqual(sent.body.VpcConfig);
    }
  });

  test("on a schedule: the pipeline's training step carries the chosen VpcConfig, as the local AWS records it", async ({
    page
  }) => {
    const before = (await sentToAws('CreatePipeline')).length;
    const form = await openForm(page, file, chosen);
    await expectVpcFields(form, chosen);
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
    expect(definition.Steps[0].Arguments.VpcConfig).toEqual({
      Subnets: chosen.subnets,
      SecurityGroupIds: chosen.securityGroupIds
    });
  });
});
