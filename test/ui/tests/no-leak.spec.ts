/**
 * The whole flow with the demo's canary secret: pick, check, create a secret,
 * insert the cell, schedule, run the job. Then neither the canary password nor
 * the password typed into the dialog appears in any HTTP response the browser
 * received, the notebook, the job's files, the scheduler's database and
 * staging area, the settings, or the server's log.
 */
import { expect, test } from './fixtures';
import {
  createJobForm,
  openDemoNotebook,
  pickClusterAndSecret
} from './helpers';
import * as fs from 'fs';
import * as path from 'path';

const NOTEBOOK = 'python-emr.ipynb';
const CANARY = 'CANARY-7f3e9b-never-leave-the-server';
const TYPED = 'TYPED-3c1d-password-from-the-dialog';
// demo/run.py --galata keeps the scheduler's data and the server's log here.
const STATE = path.resolve(__dirname, '../../../.demo/galata');

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) {
    return [];
  }
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

test('no secret value leaves the server on the whole flow', async ({
  page,
  tmpPath
}) => {
  test.setTimeout(240000);
  const bodies: { url: string; body: Buffer }[] = [];
  const pending: Promise<void>[] = [];
  page.on('response', response => {
    pending.push(
      response
        .body()
        .then(body => {
          bodies.push({ url: response.url(), body });
        })
        .catch(() => undefined) // redirects and aborted requests have no body
    );
  });

  await openDemoNotebook(page, tmpPath, NOTEBOOK);
  await page.locator('.jp-EmrSchedule-toolbarButton').first().click();
  const panel = page.locator('.jp-EmrSchedule-panel');

  // Pick the LDAP cluster and the canary secret, and check the secret.
  await pickClusterAndSecret(
    panel,
    /analytics-ldap/,
    'LDAP',
    /emr\/users\/analyst-1/
  );
  await panel.getByRole('button', { name: 'Check', exact: true }).click();
  await expect(panel.locator('.jp-EmrSchedule-message')).toContainText(
    'has username and password'
  );

  // Save a typed password as a new secret; its ARN replaces the canary's.
  await panel
    .getByRole('button', { name: 'Create from my credentials…' })
    .click();
  const dialog = page.locator('.jp-Dialog');
  const name = `emr/users/leak-check-${Date.now()}`;
  await dialog.getByLabel('Secret name').fill(name);
  await dialog.getByLabel('User name').fill('leak-check');
  await dialog.getByLabel('Password').fill(TYPED);
  await dialog.getByRole('button', { name: 'Create secret' }).click();
  await expect(
    panel.getByLabel('Secrets Manager secret (name or ARN)')
  ).toHaveValue(new RegExp(`secret:${name}-`));
  await panel.getByRole('button', { name: 'Check', exact: true }).click();
  await expect(panel.locator('.jp-EmrSchedule-message')).toContainText(
    'has username and password'
  );

  // Insert the cell, save, and schedule a run-now job through the form.
  await panel.getByRole('button', { name: 'Insert connect cell' }).click();
  await page.notebook.activate(NOTEBOOK);
  await page.notebook.save();
  await panel.getByRole('button', { name: 'Create job…' }).click();
  const form = await createJobForm(page);
  await form.getByRole('button', { name: 'Create', exact: true }).click();

  const job = async () =>
    page.evaluate(async (file: string) => {
      const body = await (await fetch('/scheduler/jobs?max_items=100')).json();
      return (
        body.jobs.find(
          (j: any) =>
            j.input_filename === file &&
            j.runtime_environment_parameters?.cluster_id
        ) ?? null
      );
    }, NOTEBOOK);
  // There is no EMR cluster here, so the connect fails and the job may fail:
  // what matters is what it wrote on the way.
  await expect
    .poll(async () => (await job())?.status, { timeout: 180000 })
    .toMatch(/COMPLETED|FAILED|STOPPED/);
  const finished = await job();
  expect(finished.runtime_environment_parameters.secret_id).toMatch(
    new RegExp(`secret:${name}-`)
  );

  // Everything the browser can read after the run, fetched as a user would.
  const afterwards = await page.evaluate(
    async ({ id, notebook }) => {
      const texts: string[] = [];
      const get = async (url: string) => {
        const response = await fetch(url);
        texts.push(await response.text());
        return response;
      };
      await get(`/scheduler/jobs/${id}`);
      await get(`/scheduler/jobs/${id}/download_files`);
      await get(`/api/contents/${notebook}?content=1`);
      await get('/lab/api/settings?ids_only=false');
      const listing = await (await fetch('/api/contents/jobs')).json();
      for (const folder of listing.content ?? []) {
        const files = await (
          await fetch(`/api/contents/${folder.path}`)
        ).json();
        for (const file of files.content ?? []) {
          await get(`/api/contents/${file.path}?content=1`);
        }
      }
      return texts;
    },
    { id: finished.job_id, notebook: `${tmpPath}/${NOTEBOOK}` }
  );
  await Promise.all(pending);

  // The test could see the secrets: the checks below are not vacuous.
  expect(bodies.length).toBeGreaterThan(50);
  const requestsWithTyped = bodies.filter(b => b.url.includes('secrets'));
  expect(requestsWithTyped.length).toBeGreaterThan(0);

  for (const secret of [CANARY, TYPED]) {
    for (const { url, body } of bodies) {
      expect(body.includes(secret), `response of ${url}`).toBe(false);
    }
    for (const text of afterwards) {
      expect(text).not.toContain(secret);
    }
    const stored = filesUnder(STATE);
    expect(stored.some(f => f.endsWith('scheduler.sqlite'))).toBe(true);
    expect(stored.some(f => f.endsWith('server.log'))).toBe(true);
    for (const file of stored) {
      expect(fs.readFileSync(file).includes(secret), file).toBe(false);
    }
  }
  // The server log did record the flow (so searching it means something).
  const log = fs.readFileSync(path.join(STATE, 'server.log'), 'utf8');
  expect(log).toContain('Found endpoint for secretsmanager');
});
