import { expect, test } from './fixtures';
import { openDemoNotebook } from './helpers';

const NOTEBOOK = 'python-emr.ipynb';
const CANARY = 'CANARY-7f3e9b-never-leave-the-server';

test.describe('pick clusters and secrets from the local AWS', () => {
  test.beforeEach(async ({ page, tmpPath }) => {
    await openDemoNotebook(page, tmpPath, NOTEBOOK);
    await page.evaluate(() =>
      (window as any).jupyterapp.commands.execute('emr-schedule:open-panel')
    );
  });

  test('a cluster fills the id and its detected auth; a secret fills its ARN and checks out', async ({
    page
  }) => {
    const panel = page.locator('.jp-EmrSchedule-panel');
    await panel.getByRole('button', { name: 'Browse clusters…' }).click();
    const clusters = panel.getByRole('list', { name: 'EMR clusters' });
    await expect(clusters.getByRole('button')).not.toHaveCount(0);
    await page.screenshot({ path: test.info().outputPath('pickers.png') });
    // Auth badges fill in from each cluster's detail.
    await expect(
      clusters
        .getByRole('button', { name: /analytics-kerberos/ })
        .locator('.jp-EmrSchedule-authBadge')
    ).toHaveText('Kerberos');
    await panel.getByLabel('Search clusters by name or id').fill('ldap');
    const ldap = clusters.getByRole('button', { name: /analytics-ldap/ });
    await expect(clusters.getByRole('button')).toHaveCount(1);
    await expect(ldap.locator('.jp-EmrSchedule-authBadge')).toHaveText('LDAP');
    await ldap.click();
    await expect(panel.getByLabel('EMR cluster id')).toHaveValue(
      /^j-[A-Z0-9]+$/
    );
    await expect(panel.getByLabel('Authentication')).toHaveValue('LDAP');
    await expect(panel.locator('.jp-EmrSchedule-clusterInfo')).toContainText(
      'detected auth: LDAP'
    );

    await panel.getByRole('button', { name: 'Browse secrets…' }).click();
    const secrets = panel.getByRole('list', { name: 'secrets' });
    await secrets
      .getByRole('button', { name: /emr\/users\/analyst-1/ })
      .click();
    await expect(
      panel.getByLabel('Secrets Manager secret (name or ARN)')
    ).toHaveValue(
      /^arn:aws:secretsmanager:us-east-1:123456789012:secret:emr\/users\/analyst-1-/
    );
    await panel.getByRole('button', { name: 'Check', exact: true }).click();
    await expect(panel.locator('.jp-EmrSchedule-message')).toHaveText(
      'Readable; has username and password; tagged user-identity=analyst-1'
    );
    expect(await page.content()).not.toContain(CANARY);
  });

  test('create a secret from my credentials', async ({ page }) => {
    // A name of its own: the local AWS keeps what an earlier run created.
    const name = `emr/users/ui-created-${Date.now()}`;
    const panel = page.locator('.jp-EmrSchedule-panel');
    await panel.getByLabel('Authentication').selectOption('HTTP_Basic');
    await panel
      .getByRole('button', { name: 'Create from my credentials…' })
      .click();
    const dialog = page.locator('.jp-Dialog');
    await dialog.getByLabel('Secret name').fill(name);
    await dialog.getByLabel('User name').fill('ui-user');
    const password = dialog.getByLabel('Password');
    await expect(password).toHaveAttribute('type', 'password');
    await password.fill('typed-in-the-dialog');
    await dialog.getByRole('button', { name: 'Create secret' }).click();
    await expect(
      panel.getByLabel('Secrets Manager secret (name or ARN)')
    ).toHaveValue(new RegExp(`secret:${name}-`));
    await expect(panel.locator('.jp-EmrSchedule-message')).toContainText(
      `Created ${name}`
    );
    expect(await page.content()).not.toContain('typed-in-the-dialog');
  });
});
