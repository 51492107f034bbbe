import { expect, test } from './fixtures';
import { openDemoNotebook, runFromPalette } from './helpers';

test.describe('the extension in a real JupyterLab', () => {
  test('activates, and its server route answers from the page', async ({
    page
  }) => {
    const activated = await page.evaluate(() =>
      (window as any).jupyterapp.isPluginActivated(
        'jupyterlab-emr-schedule:plugin'
      )
    );
    expect(activated).toBe(true);

    const identity = await page.evaluate(async () => {
      const response = await fetch('/emr-schedule/identity');
      return { status: response.status, body: await response.json() };
    });
    expect(identity.status).toBe(200);
    expect(identity.body.account).toBe('123456789012');
  });

  test('builds the panel, hidden, once a notebook is open and the page is idle', async ({
    page,
    tmpPath
  }) => {
    const panel = page.locator('.jp-EmrSchedule-panel');
    // No notebook, no toolbar button: nothing is built at JupyterLab's start.
    await page.waitForTimeout(2000);
    await expect(panel).toHaveCount(0);

    await openDemoNotebook(page, tmpPath, 'pyspark-emr.ipynb');
    await expect(panel).toBeAttached({ timeout: 30000 });
    await expect(panel).toBeHidden();

    // The first open shows the panel already built, for this notebook.
    await page.locator('.jp-EmrSchedule-toolbarButton').first().click();
    await expect(panel).toBeVisible();
    await expect(panel.locator('.jp-EmrSchedule-notebookName')).toHaveText(
      'pyspark-emr.ipynb'
    );
    await expect(panel.getByLabel('EMR cluster id')).toBeEditable();
  });

  test('opens the panel from the command palette', async ({ page }) => {
    await runFromPalette(page, 'Schedule with EMR', 'emr-schedule:open-panel');
    await expect(page.locator('.jp-EmrSchedule-panel')).toBeVisible();
    await expect(page.locator('.jp-EmrSchedule-panel')).toContainText(
      'Open a notebook to schedule it with EMR.'
    );
  });
});
