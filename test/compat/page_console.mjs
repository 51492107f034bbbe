/**
 * Opens JupyterLab in headless Chromium (Debian's; no browser is downloaded) and prints,
 * as JSON, what the page logged while it loaded, with the script each message came from:
 * a shared module's "Unsatisfied version" warning is logged by the remote entry that
 * asked for it. Then opens our sidebar, so the chunks loaded on first use are checked too.
 *
 *   node test/compat/page_console.mjs URL [CHROMIUM] [EXTENSION]
 *
 * Used by test/compat/jupyterlab_range.py.
 */
import { chromium } from 'playwright-core';

const [url, executablePath = '/usr/bin/chromium', extension] =
  process.argv.slice(2);
const PANEL_ID = 'jp-emr-schedule-panel';

const browser = await chromium.launch({
  executablePath,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update'
  ]
});
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
  });
  page.on('pageerror', error => report.pageErrors.push(String(error)));
  await page.goto(url);
  await page.waitForSelector('#jp-main-dock-panel', { timeout: 90000 });
  const tab = page.locator(`.lm-TabBar-tab[data-id="${PANEL_ID}"]`);
  try {
    await tab.waitFor({ timeout: 30000 });
    report.sidebarTab = true;
    await tab.click();
    await page.waitForSelector(`#${PANEL_ID} > *`, { timeout: 30000 });
  } catch (error) {
    report.pageErrors.push(`${extension}: ${error}`);
  }
  // Late warnings (lazy chunks, settings) arrive shortly after.
  await page.waitForTimeout(2000);
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(report));
