/**
 * Takes the README's screenshots in the demo as a newcomer starts it
 * (`demo/run.py`: a fresh state directory with copies of the demo notebooks,
 * a token, nothing of the UI tests'), by what a user clicks and types:
 *
 *   cd test/screenshots && npx playwright test
 *
 * writes docs/panel.png, docs/checks.png and docs/runs.png (SCREENSHOTS_DIR
 * writes them elsewhere). Each picture starts from a new workspace, so one
 * does not show what the one before left open.
 */
import { expect, test, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'child_process';
import * as path from 'path';
import { DEMO, PYTHON, ROOT, portOf } from '../../playwright.base';

const OUT = process.env.SCREENSHOTS_DIR
  ? path.resolve(process.env.SCREENSHOTS_DIR)
  : path.join(ROOT, 'docs');

/** The size of the README's pictures. */
test.use({ viewport: { width: 1024, height: 768 } });
/** How much wider than JupyterLab's default the right sidebar is dragged (px). */
const WIDER = 70;
test.describe.configure({ mode: 'serial' });

let demo: ChildProcess | undefined;
/** The address the demo printed: JupyterLab's /lab with its token. */
let address: URL;

test.beforeAll(async () => {
  test.setTimeout(240000);
  demo = spawn(PYTHON, [DEMO, '--port', String(portOf('screenshots'))], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit']
  });
  address = await new Promise<URL>((resolve, reject) => {
    let out = '';
    demo!.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const found = /JupyterLab with Schedule with EMR: (\S+)/.exec(out);
      if (found) {
        resolve(new URL(found[1]));
      }
    });
    demo!.on('exit', code =>
      reject(new Error(`demo/run.py exited (${code}):\n${out}`))
    );
  });
  demo.stdout!.resume();
});

test.afterAll(async () => {
  if (demo && demo.exitCode === null) {
    const exited = new Promise(resolve => demo!.once('exit', resolve));
    demo.kill('SIGTERM');
    await exited;
  }
});

/** Opens JupyterLab in a workspace of its own, and `notebook` from the file browser. */
async function openNotebook(page: Page, workspace: string, notebook: string) {
  const url = new URL(`/lab/workspaces/${workspace}`, address);
  url.search = address.search;
  await page.goto(url.href);
  await page
    .locator('.jp-DirListing-item', { hasText: notebook })
    .dblclick({ timeout: 90000 });
  await expect(page.locator('.jp-EmrSchedule-toolbarButton')).toBeVisible({
    timeout: 60000
  });
  // Its kernel started, as the user would wait for it.
  await expect(page.locator('#jp-main-statusbar')).toContainText('| Idle', {
    timeout: 120000
  });
}

/**
 * Opens the panel from the notebook's toolbar and widens the right sidebar
 * (dragging its edge, as a user would) so the form's buttons keep to one line.
 */
async function openPanel(page: Page) {
  await page.locator('.jp-EmrSchedule-toolbarButton').first().click();
  const panel = page.locator('.jp-EmrSchedule-panel');
  await expect(panel).toBeVisible();
  const edge = page
    .locator('#jp-main-split-panel > .lm-SplitPanel-handle:not(.lm-mod-hidden)')
    .last();
  const box = (await edge.boundingBox())!;
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width / 2, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 - WIDER, y, { steps: 5 });
  await page.mouse.up();
  return panel;
}

async function fillPanel(page: Page, clusterId: string, auth: string) {
  const panel = await openPanel(page);
  await panel.getByLabel('EMR cluster id').fill(clusterId);
  await panel.getByLabel('Authentication').selectOption(auth);
  if (auth === 'LDAP') {
    await panel
      .getByLabel('Secrets Manager secret (name or ARN)')
      .fill('emr/users/analyst-1');
  }
  await panel.getByRole('button', { name: 'Insert connect cell' }).click();
  await expect(panel.getByRole('status').first()).toContainText(
    'Inserted the connect cell'
  );
  return panel;
}

test('docs/panel.png: the panel beside a PySpark notebook, after inserting the connect cell', async ({
  page
}) => {
  await openNotebook(page, 'readme-panel', 'pyspark-emr.ipynb');
  await fillPanel(page, 'j-2AXXXXXXGAPLF', 'LDAP');
  await page.screenshot({ path: path.join(OUT, 'panel.png') });
});

test("docs/checks.png: the Checks section on the AWS page's examples", async ({
  page
}) => {
  await openNotebook(page, 'readme-checks', 'broken-from-aws-page.ipynb');
  await expect(page.locator('.jp-EmrSchedule-toolbarBadge')).toBeVisible();
  await openPanel(page);
  await page.keyboard.press('Control+Shift+C');
  const palette = page.locator('#modal-command-palette');
  await palette.locator('input').fill('Check Notebook');
  await palette
    .locator(
      '.lm-CommandPalette-item[data-command="emr-schedule:check-notebook"]'
    )
    .click();
  const findings = page
    .locator('.jp-EmrSchedule-panel')
    .getByRole('list', { name: 'Findings' });
  await expect(
    findings.locator('.jp-EmrSchedule-finding.jp-mod-error')
  ).not.toHaveCount(0);
  await page.screenshot({ path: path.join(OUT, 'checks.png') });
});

test('docs/runs.png: the Runs section with a failed run, its cause and the fix', async ({
  page
}) => {
  test.setTimeout(300000);
  await openNotebook(page, 'readme-runs', 'pyspark-emr.ipynb');
  // A cluster id in the right form that no cluster has: the run fails.
  const panel = await fillPanel(page, 'j-0NOSUCHCLUSTER1', 'None');
  await page
    .locator('.lm-TabBar-tab', { hasText: 'pyspark-emr.ipynb' })
    .click();
  await page.keyboard.press('Control+s');
  await panel.getByRole('button', { name: 'Create job…' }).click();
  const form = page.locator('form', { hasText: 'Job name' }).first();
  const save = page.locator('.jp-Dialog', {
    hasText: 'Save before scheduling?'
  });
  await expect(form.or(save)).toBeVisible({ timeout: 30000 });
  if (await save.isVisible()) {
    await save.getByRole('button', { name: 'Save and continue' }).click();
  }
  await form.getByRole('button', { name: 'Create', exact: true }).click();

  const section = panel.locator('.jp-EmrSchedule-runsSection');
  const run = section.locator('.jp-EmrSchedule-run').first();
  await expect(run).toHaveAttribute('data-status', 'FAILED', {
    timeout: 240000
  });
  await expect(run.locator('.jp-EmrSchedule-runFix')).toContainText(
    'Browse clusters'
  );
  await run.scrollIntoViewIfNeeded();
  await section.screenshot({ path: path.join(OUT, 'runs.png') });
});
