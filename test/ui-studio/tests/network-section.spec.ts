/**
 * The panel's Network section on the Studio stack, with SageMaker's plugin in
 * its SageMaker JupyterLab mode, in the local AWS's VpcOnly domain: the job's
 * network is what SageMaker's form will preselect (the domain's private
 * subnets and its security group), checked against the cluster's primary
 * node's security groups and the VPC's routes and endpoints. Two seeded
 * clusters in the domain's VPC (demo/local_aws_network.py): one whose primary
 * node admits only another group (blocked, with the rule an administrator
 * adds) and a Kerberos one that admits the domain's group on Livy's port and
 * the KDC's (reachable). Then Create job… hands SageMaker's form that network.
 */
import {
  expect,
  networkId,
  openAdditionalOptions,
  openCreateJob,
  openNotebook,
  run,
  test
} from './studio';
import type { Locator, Page } from '@playwright/test';

/** Picks a cluster from the panel's picker by a part of its name, as a user does. */
async function pickCluster(page: Page, name: string): Promise<void> {
  const panel = page.locator('.jp-EmrSchedule-panel');
  await panel.getByRole('button', { name: 'Browse clusters…' }).click();
  const clusters = panel.getByRole('list', { name: 'EMR clusters' });
  await panel.getByLabel('Search clusters by name or id').fill(name);
  const item = clusters.getByRole('button', { name: new RegExp(name) });
  await expect(item).toHaveCount(1);
  await item.click();
  await expect(panel.getByLabel('EMR cluster id')).toHaveValue(/^j-[A-Z0-9]+$/);
}

function lineOf(section: Locator, path: string): Locator {
  return section
    .getByRole('list', { name: 'Paths a run takes' })
    .locator(`[data-path="${path}"]`);
}

test('the Network section: blocked where the primary node admits another group, reachable for the Kerberos cluster, and Create job hands SageMaker’s form that network', async ({
  page,
  tmpPath
}) => {
  await openNotebook(page, tmpPath, 'python-emr.ipynb');
  await run(page, 'emr-schedule:open-panel');
  const panel = page.locator('.jp-EmrSchedule-panel');
  const section = panel.locator('.jp-EmrSchedule-network');
  const toggle = section.locator(':scope > .jp-EmrSchedule-summary');

  await pickCluster(page, 'studio-vpc-other-group');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');

  const livy = lineOf(section, 'livy');
  await expect(livy).toHaveAttribute('aria-label', /: blocked$/, {
    timeout: 60000
  });
  // The missing rule, as the command an administrator runs.
  const domainGroup = await networkId('security-group', 'studio-domain');
  await expect(livy).toContainText('aws ec2 authorize-security-group-ingress');
  await expect(livy).toContainText(`--source-group ${domainGroup}`);
  await expect(livy).toContainText('--port 8998');
  await expect(toggle.locator('.jp-EmrSchedule-count')).toHaveText('blocked');

  await pickCluster(page, 'studio-vpc-krb5');
  await expect(livy).toHaveAttribute('aria-label', /: reachable$/, {
    timeout: 60000
  });
  await expect(lineOf(section, 'kdc')).toHaveAttribute(
    'aria-label',
    /: reachable$/
  );
  await expect(toggle.locator('.jp-EmrSchedule-count')).toHaveText('reachable');

  // Create job…: SageMaker's form, its VPC box checked, with the domain's
  // subnets and group the section checked.
  await panel
    .getByLabel('Secrets Manager secret (name or ARN)')
    .fill('emr/users/analyst-2');
  const form = await openCreateJob(page);
  await openAdditionalOptions(form);
  await expect(form.locator('input[name="vpc-check-box"]')).toBeChecked({
    timeout: 30000
  });
  const subnets = form
    .getByRole('combobox', { name: 'Subnet(s)', exact: true })
    .locator('xpath=..');
  await expect(subnets).toContainText(
    await networkId('subnet', 'studio-private-nat')
  );
  const groups = form
    .getByRole('combobox', { name: 'Security Group(s)', exact: true })
    .locator('xpath=..');
  await expect(groups).toContainText(domainGroup);
});
