import { expect, test } from './fixtures';
import { runFromPalette } from './helpers';

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

  test('opens the panel from the command palette', async ({ page }) => {
    await runFromPalette(page, 'Schedule with EMR', 'emr-schedule:open-panel');
    await expect(page.locator('.jp-EmrSchedule-panel')).toBeVisible();
    await expect(page.locator('.jp-EmrSchedule-panel')).toContainText(
      'Open a notebook to schedule it with EMR.'
    );
  });
});
