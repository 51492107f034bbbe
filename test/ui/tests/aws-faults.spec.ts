/**
 * The panel while AWS is slow or failing. The UI tests' server reaches the
 * local AWS through the fault-injecting proxy (demo/run.py --galata); these
 * tests tell it which operations to slow down or fail.
 */
import * as fs from 'fs';
import * as path from 'path';
import { expect, test } from './fixtures';
import { openDemoNotebook } from './helpers';

const STATE = path.resolve(__dirname, '../../../.demo/galata');
const PROXY_FILE = path.join(STATE, 'fault-proxy');

/** Lines of the server's log that tell of a failure inside this extension. */
function ourTracebacks(): string[] {
  const log = fs.readFileSync(path.join(STATE, 'server.log'), 'utf-8');
  return log
    .split('\n')
    .filter(
      line =>
        /jupyterlab_emr_schedule[/\\](handlers|aws)\.py/.test(line) ||
        /Uncaught exception \w+ \/emr-schedule\//.test(line)
    );
}
const SECRET = 'emr/users/analyst-1';

type Faults = Record<
  string,
  { delay?: number; status?: number; code?: string; drop?: string }
>;

async function setFaults(faults: Faults): Promise<void> {
  const proxy = fs.readFileSync(PROXY_FILE, 'utf-8').trim();
  const response = await fetch(`${proxy}/__faults__`, {
    method: 'PUT',
    body: JSON.stringify(faults)
  });
  expect(response.status).toBe(204);
}

test.describe('the panel while AWS is slow or failing', () => {
  test.beforeEach(async ({ page, tmpPath }) => {
    await openDemoNotebook(page, tmpPath, 'python-emr.ipynb');
    await page.evaluate(() =>
      (window as any).jupyterapp.commands.execute('emr-schedule:open-panel')
    );
  });

  test.afterEach(async () => {
    await setFaults({});
    // Faults answered with messages, not with tracebacks in the server's log.
    expect(ourTracebacks()).toEqual([]);
  });

  test('a slow cluster list shows progress while the form keeps answering', async ({
    page
  }) => {
    await setFaults({ ListClusters: { delay: 4 } });
    const panel = page.locator('.jp-EmrSchedule-panel');
    await panel.getByRole('button', { name: 'Browse clusters…' }).click();
    const clusters = panel.getByRole('list', { name: 'EMR clusters' });
    await expect(panel.getByText('Loading EMR clusters…')).toBeVisible();
    await expect(clusters).toHaveAttribute('aria-busy', 'true');

    // While AWS takes its time, typing and validation answer at once.
    await panel.getByLabel('Authentication').selectOption('LDAP');
    const secret = panel.getByLabel('Secrets Manager secret (name or ARN)');
    await secret.fill('emr secret');
    await expect(panel.getByRole('alert').first()).toBeVisible();
    await secret.fill(SECRET);
    await expect(secret).toHaveValue(SECRET);
    await panel.getByLabel('EMR cluster id').fill('j-2AXXXXXXGAPLF');
    await expect(
      panel.getByRole('button', { name: 'Insert connect cell' })
    ).toBeEnabled();
    await expect(panel.getByText('Loading EMR clusters…')).toBeVisible();

    // Then the list arrives.
    await expect(clusters.getByRole('button')).not.toHaveCount(0, {
      timeout: 20000
    });
    await expect(panel.getByText('Loading EMR clusters…')).toHaveCount(0);
    await expect(secret).toHaveValue(SECRET);
  });

  test('refused and throttled lists say what to do, keep the typing, and recover on refresh', async ({
    page
  }) => {
    const panel = page.locator('.jp-EmrSchedule-panel');
    await panel.getByLabel('Authentication').selectOption('Kerberos');
    const secret = panel.getByLabel('Secrets Manager secret (name or ARN)');
    await secret.fill(SECRET);

    await setFaults({
      ListSecrets: { status: 400, code: 'AccessDeniedException' }
    });
    await panel.getByRole('button', { name: 'Browse secrets…' }).click();
    const list = panel.locator('.jp-EmrSchedule-picker', {
      has: page.getByRole('list', { name: 'secrets' })
    });
    await expect(list.getByRole('alert')).toContainText(
      "The server's AWS role is not allowed to call secretsmanager:ListSecrets"
    );

    // Throttled on every attempt: the server retries, then says so.
    await setFaults({
      ListSecrets: { status: 400, code: 'ThrottlingException' }
    });
    await list.getByRole('button', { name: 'Refresh secrets' }).click();
    await expect(list.getByRole('alert')).toContainText(
      'AWS is throttling secretsmanager:ListSecrets; wait a moment and try again',
      { timeout: 30000 }
    );
    await expect(secret).toHaveValue(SECRET);

    // AWS recovers: the refresh lists the secrets.
    await setFaults({});
    await list.getByRole('button', { name: 'Refresh secrets' }).click();
    await expect(
      panel
        .getByRole('list', { name: 'secrets' })
        .getByRole('button', { name: /emr\/users\/analyst-1/ })
    ).toBeVisible();
    await expect(list.getByRole('alert')).toHaveCount(0);
    await expect(secret).toHaveValue(SECRET);
  });
});
