/**
 * What the Studio suite needs besides the 4.6 suite's fixtures and helpers
 * (test/ui/tests): a page that never leaves the machine, opening a notebook
 * in JupyterLab 4.5, reading SageMaker's Create Job form, and talking to the
 * fault proxy and the local AWS that `demo/run.py --studio --galata` started.
 */
import type { IJupyterLabPageFixture } from '@jupyterlab/galata';
import type { Locator, Page } from '@playwright/test';
import * as fs from 'fs';
import * as path from 'path';
import { expect, test as base } from '../../ui/tests/fixtures';

export { expect };

/** The Studio test server's state: its log, the proxy's and the local AWS's addresses. */
export const STATE = path.resolve(__dirname, '../../../.demo/galata-studio');

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The 4.6 suite's test (no uncaught error in the page), in a browser that
 * reaches only this machine: SageMaker's common extension loads scripts from
 * AWS's sites (cookie banner, navigation), which are refused here before any
 * lookup leaves the machine.
 */
export const test = base.extend({
  context: async ({ context }, use) => {
    await context.route(
      url => !LOOPBACK.has(url.hostname),
      route => route.abort('blockedbyclient')
    );
    await use(context);
  }
});

/**
 * Copies a demo notebook into the test's folder, opens and activates it.
 * Galata's own helpers (page.notebook.openByPath) are the 4.6 release's and
 * wait for a file-browser attribute JupyterLab 4.5 does not have, so the
 * notebook is opened with JupyterLab's command; its kernel may still be
 * starting.
 */
export async function openNotebook(
  page: IJupyterLabPageFixture,
  tmpPath: string,
  name: string
): Promise<string> {
  const file = `${tmpPath}/${name}`;
  await page.contents.uploadFile(
    path.resolve(__dirname, '../../../demo/notebooks', name),
    file
  );
  await page.evaluate(async p => {
    const app = (window as any).jupyterapp;
    const widget = await app.commands.execute('docmanager:open', { path: p });
    await widget.context.ready;
    app.shell.activateById(widget.id);
  }, file);
  await expect(
    page.locator('.jp-NotebookPanel').filter({ visible: true })
  ).toHaveCount(1);
  return file;
}

/** Runs a JupyterLab command in the page (its result is not returned). */
export async function run(page: Page, command: string): Promise<void> {
  await page.evaluate(async id => {
    await (window as any).jupyterapp.commands.execute(id);
  }, command);
}

/**
 * The notebook's cells as the server reads them from disk (not as the page
 * shows them). Not its bytes, as on 4.6: with jupyter-collaboration, as in
 * Studio, the server writes a notebook it opens back in its own layout. That
 * write truncates the file and fills it again in place (jupyter_server's
 * "atomic" writing keeps a backup, not the reader out), so a read that lands
 * in between finds an empty file and is answered 400 "Unreadable Notebook";
 * such a read is tried again, any other answer fails at once.
 */
export async function notebookOnDisk(
  page: Page,
  file: string
): Promise<{ cell_type: string; source: string; metadata: unknown }[]> {
  const url = `/api/contents/${file}?content=1&type=notebook`;
  let response = await page.request.get(url);
  for (let tries = 1; tries < 20 && response.status() === 400; tries++) {
    const text = await response.text();
    if (!text.includes('Unreadable Notebook')) {
      break;
    }
    await page.waitForTimeout(250);
    response = await page.request.get(url);
  }
  expect(
    response.ok(),
    `GET ${url}: ${response.status()} ${await response.text()}`
  ).toBe(true);
  // "trusted" is the server's judgement of the file's signature, not its content.
  return (await response.json()).content.cells.map((c: any) => {
    const metadata = { ...c.metadata };
    delete metadata.trusted;
    return { cell_type: c.cell_type, source: c.source, metadata };
  });
}

/**
 * Clicks the panel's "Create job…" and returns the Create Job form it opens
 * (SageMaker's, on this stack). A form still open from before is cancelled
 * first, so the one returned is the new one. With jupyter-collaboration (as
 * in Studio's images) the panel waits for the server's own save rather than
 * saving (a save from the page raced with it, and JupyterLab asked "File
 * Changed", which no test answers any more); "Save before scheduling?" only
 * shows if that save does not come, and gets a user's answer, as does the
 * network check's warning.
 */
export async function openCreateJob(page: Page): Promise<Locator> {
  const form = page.locator('form', { hasText: 'Job name' });
  if (await form.count()) {
    await form.first().getByRole('button', { name: 'Cancel' }).click();
    await expect(form).toHaveCount(0);
  }
  await page
    .locator('.jp-EmrSchedule-panel')
    .getByRole('button', { name: 'Create job…' })
    .click();
  const save = page.locator('.jp-Dialog', {
    hasText: 'Save before scheduling?'
  });
  // The panel warns first when its network check finds the run blocked (the
  // demo's own clusters are outside the Studio domain's VPC): a user's answer.
  const network = page.locator('.jp-Dialog', {
    hasText: 'Schedule a run that cannot reach the cluster?'
  });
  await expect(async () => {
    if (await network.isVisible()) {
      await network.getByRole('button', { name: 'Schedule anyway' }).click();
    }
    if (await save.isVisible()) {
      await save.getByRole('button', { name: 'Save and continue' }).click();
    }
    await expect(form.first()).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 30000 });
  return form.first();
}

/**
 * Opens the form's "Additional options" and waits until they show. A click
 * that lands before SageMaker's form handles it changes nothing, so it is
 * clicked again until the section is expanded (never twice once it is).
 */
export async function openAdditionalOptions(form: Locator): Promise<Locator> {
  const toggle = form.getByRole('button', { name: 'Additional options' });
  await expect(async () => {
    if ((await toggle.getAttribute('aria-expanded')) !== 'true') {
      await toggle.click();
    }
    await expect(toggle).toHaveAttribute('aria-expanded', 'true', {
      timeout: 2000
    });
  }).toPass({ timeout: 30000 });
  return form;
}

/**
 * The form's Environment variables rows, read from the page: the inputs
 * `envKey-N` / `envValue-N` SageMaker's plugin renders, in order.
 */
export async function environmentRows(
  form: Locator
): Promise<[string, string][]> {
  return form.evaluate(element => {
    const rows: [string, string][] = [];
    for (let i = 0; ; i++) {
      const key = element.querySelector<HTMLInputElement>(
        `input[name="envKey-${i}"]`
      );
      const value = element.querySelector<HTMLInputElement>(
        `input[name="envValue-${i}"]`
      );
      if (!key || !value) {
        return rows;
      }
      rows.push([key.value, value.value]);
    }
  });
}

/** Waits until the form's Environment variables rows are exactly `expected`. */
export async function expectEnvironmentRows(
  form: Locator,
  expected: Record<string, string>
): Promise<void> {
  // The rows show once SageMaker's server part has its job settings from AWS.
  await expect
    .poll(
      async () => {
        const rows = await environmentRows(form);
        // Exactly these rows: no key twice, none missing, none extra.
        return rows.length === new Set(rows.map(([k]) => k)).size
          ? Object.fromEntries(rows)
          : rows;
      },
      { timeout: 30000 }
    )
    .toEqual(expected);
}

function address(name: 'fault-proxy' | 'local-aws'): string {
  return fs.readFileSync(path.join(STATE, name), 'utf-8').trim();
}

export interface ISentRequest {
  operation: string;
  access_key: string;
  body: any;
}

/** The requests the Studio server sent to AWS, as the fault proxy recorded them. */
export async function sentToAws(operation: string): Promise<ISentRequest[]> {
  const response = await fetch(
    `${address('fault-proxy')}/__requests__?operation=${operation}`
  );
  expect(response.status).toBe(200);
  return response.json();
}

/** Replaces the fault proxy's faults ({} clears them). */
export async function setFaults(
  faults: Record<string, { delay?: number; status?: number; code?: string }>
): Promise<void> {
  const response = await fetch(`${address('fault-proxy')}/__faults__`, {
    method: 'PUT',
    body: JSON.stringify(faults)
  });
  expect(response.status).toBe(204);
}

/**
 * Asks the local AWS (moto, not through the proxy) a SageMaker question, as
 * the AWS CLI would: `operation` with a JSON body.
 */
export async function askSageMaker(
  operation: string,
  body: Record<string, unknown>
): Promise<{ status: number; body: any }> {
  const response = await fetch(address('local-aws'), {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': `SageMaker.${operation}`,
      // moto routes by the signing scope; it checks no signature.
      Authorization:
        'AWS4-HMAC-SHA256 Credential=testing/20250101/us-east-1/sagemaker/aws4_request, SignedHeaders=host, Signature=0'
    },
    body: JSON.stringify(body)
  });
  return { status: response.status, body: await response.json() };
}

/**
 * Asks the local AWS (not through the proxy) an EC2 question, as the AWS CLI
 * would (EC2's query protocol); returns the XML answer.
 */
export async function askEc2(
  action: string,
  params: Record<string, string>
): Promise<string> {
  const response = await fetch(address('local-aws'), {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Authorization:
        'AWS4-HMAC-SHA256 Credential=testing/20250101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=0'
    },
    body: new URLSearchParams({
      Action: action,
      Version: '2016-11-15',
      ...params
    })
  });
  expect(response.status).toBe(200);
  return response.text();
}

/** The id of the local AWS's subnet or security group with this Name tag or group name. */
export async function networkId(
  kind: 'subnet' | 'security-group',
  name: string
): Promise<string> {
  const xml =
    kind === 'subnet'
      ? await askEc2('DescribeSubnets', {
          'Filter.1.Name': 'tag:Name',
          'Filter.1.Value.1': name
        })
      : await askEc2('DescribeSecurityGroups', {
          'Filter.1.Name': 'group-name',
          'Filter.1.Value.1': name
        });
  const ids = [
    ...xml.matchAll(
      kind === 'subnet'
        ? /<subnetId>(subnet-[0-9a-f]+)<\/subnetId>/g
        : /<groupId>(sg-[0-9a-f]+)<\/groupId>/g
    )
  ].map(m => m[1]);
  const unique = [...new Set(ids)];
  expect(unique, `${kind} ${name} in the local AWS`).toHaveLength(1);
  return unique[0];
}

/**
 * The keys under `prefix` in a bucket of the local AWS (not through the
 * proxy), as S3's ListObjectsV2 answers them.
 */
export async function s3Keys(
  bucket: string,
  prefix: string
): Promise<string[]> {
  const query = new URLSearchParams({ 'list-type': '2', prefix });
  const response = await fetch(`${address('local-aws')}/${bucket}?${query}`, {
    headers: {
      // moto routes by the signing scope; it checks no signature.
      Authorization:
        'AWS4-HMAC-SHA256 Credential=testing/20250101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0'
    }
  });
  expect(response.status).toBe(200);
  const xml = await response.text();
  return [...xml.matchAll(/<Key>([^<]+)<\/Key>/g)].map(m => m[1]).sort();
}

/**
 * Creates a run-now job through SageMaker's Create Job form as the panel
 * opens it (its Environment variables rows shown, then Create), and returns
 * the CreateTrainingJob SageMaker's plugin sent, as the fault proxy recorded
 * it.
 */
export async function createThroughForm(page: Page): Promise<ISentRequest> {
  const before = (await sentToAws('CreateTrainingJob')).length;
  const form = await openCreateJob(page);
  await openAdditionalOptions(form);
  await expect(form.locator('input[name="envKey-2"]')).toBeVisible({
    timeout: 30000
  });
  await form.getByRole('button', { name: 'Create', exact: true }).click();
  await expect
    .poll(async () => (await sentToAws('CreateTrainingJob')).length, {
      timeout: 60000
    })
    .toBe(before + 1);
  return (await sentToAws('CreateTrainingJob'))[before];
}
