/**
 * Opens JupyterLab in headless Chromium (test/chromium.js: Debian's; no browser is downloaded) and prints,
 * as JSON, what the page logged while it loaded, with the script each message came from:
 * a shared module's "Unsatisfied version" warning is logged by the remote entry that
 * asked for it. Then opens our sidebar, so the chunks loaded on first use are checked too.
 *
 *   node test/compat/page_console.mjs URL [CHROMIUM] [EXTENSION]
 *
 * With NOTEBOOK (a notebook in the server's root), the page opened is that
 * notebook's, and the smoke steps follow, as a user clicks them: the
 * notebook's toolbar button opens the panel, the form shows, the cluster and
 * secret pickers (served by the local AWS behind the server) fill it, and
 * "Insert connect cell" writes the connect cell, whose text is read back from
 * the notebook's model; the Runs section says what it says without a
 * scheduler. What each step saw goes in the report's `smoke`.
 *
 *   node test/compat/page_console.mjs URL [CHROMIUM] [EXTENSION] [NOTEBOOK]
 *
 * Used by test/compat/jupyterlab_range.py.
 */
/* global window -- in the page */
import { chromium } from 'playwright-core';
import chromiumConfig from '../chromium.js';

const { LAUNCH } = chromiumConfig;
/** JupyterLab's console lines for an extension that failed to load or start. */
const EXTENSION_FAILED = /Failed to create module|failed to activate/;

const [url, executablePath = LAUNCH.executablePath, extension, notebook] =
  process.argv.slice(2);
const PANEL_ID = 'jp-emr-schedule-panel';
const STEP_TIMEOUT = 20000;

/** The smoke steps on an open notebook; throws at the first one that fails. */
async function smoke(page, result) {
  const started = Date.now();
  // Wide enough that the notebook toolbar keeps every item in view.
  await page.setViewportSize({ width: 1600, height: 1000 });
  const button = page.locator('.jp-EmrSchedule-toolbarButton').first();
  await button.waitFor({ timeout: 60000 });
  result.toolbarButton = true;
  await button.click();
  const panel = page.locator('.jp-EmrSchedule-panel');
  const clusterId = panel.getByLabel('EMR cluster id');
  await clusterId.waitFor({ timeout: STEP_TIMEOUT });
  result.form = true;

  await panel.getByRole('button', { name: 'Browse clusters…' }).click();
  await panel
    .getByRole('list', { name: 'EMR clusters' })
    .getByRole('button', { name: /analytics-ldap/ })
    .click({ timeout: STEP_TIMEOUT });
  // The picker reads the cluster's detail and fills in the auth it detects.
  await panel
    .locator('.jp-EmrSchedule-clusterInfo', { hasText: 'detected auth: LDAP' })
    .waitFor({ timeout: STEP_TIMEOUT });
  result.cluster = await clusterId.inputValue();
  result.auth = await panel.getByLabel('Authentication').inputValue();
  await panel.getByRole('button', { name: 'Browse secrets…' }).click();
  await panel
    .getByRole('list', { name: 'secrets' })
    .getByRole('button', { name: /emr\/users\/analyst-1/ })
    .click({ timeout: STEP_TIMEOUT });
  result.secret = await panel
    .getByLabel('Secrets Manager secret (name or ARN)')
    .inputValue();

  await panel.getByRole('button', { name: 'Insert connect cell' }).click();
  await panel
    .locator('.jp-EmrSchedule-message', {
      hasText: 'Inserted the connect cell'
    })
    .waitFor({ timeout: STEP_TIMEOUT });
  result.cells = await page.evaluate(() =>
    window.jupyterapp.shell.currentWidget.content.model.sharedModel.cells.map(
      cell => cell.getSource()
    )
  );

  const runs = panel.locator('.jp-EmrSchedule-runsSection');
  await runs.locator(':scope > .jp-EmrSchedule-summary').click();
  const alert = runs.getByRole('alert');
  await alert.waitFor({ timeout: STEP_TIMEOUT });
  result.runsMessage = await alert.innerText();
  result.seconds = (Date.now() - started) / 1000;
}

const browser = await chromium.launch({ ...LAUNCH, executablePath });
const report = { console: [], pageErrors: [], sidebarTab: false };
try {
  const page = await browser.newPage();
  page.on('console', message => {
    const location = message.location();
    report.console.push({
      type: message.type(),
      text: message.text(),
      url: location?.url ?? ''
    });
    // JupyterLab catches an extension that fails to load or activate and
    // logs it: a page error all the same, named by the line.
    if (EXTENSION_FAILED.test(message.text())) {
      report.pageErrors.push(message.text());
    }
  });
  page.on('pageerror', error => report.pageErrors.push(String(error)));
  await page.goto(notebook ? `${url}/tree/${notebook}` : url);
  await page.waitForSelector('#jp-main-dock-panel', { timeout: 90000 });
  const tab = page.locator(`.lm-TabBar-tab[data-id="${PANEL_ID}"]`);
  try {
    await tab.waitFor({ timeout: 30000 });
    report.sidebarTab = true;
    if (!notebook) {
      await tab.click();
      await page.waitForSelector(`#${PANEL_ID} > *`, { timeout: 30000 });
    }
  } catch (error) {
    report.pageErrors.push(`${extension}: ${error}`);
  }
  if (notebook) {
    report.smoke = { errors: [] };
    try {
      await smoke(page, report.smoke);
    } catch (error) {
      report.smoke.errors.push(String(error).split('\n')[0]);
    }
  }
  // Late warnings (lazy chunks, settings) arrive shortly after.
  await page.waitForTimeout(2000);
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(report));
