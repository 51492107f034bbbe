import { expect, test } from '@jupyterlab/galata';

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

  test('offers its commands in the palette under Schedule with EMR', async ({
    page
  }) => {
    await page.evaluate(() =>
      (window as any).jupyterapp.commands.execute(
        'apputils:activate-command-palette'
      )
    );
    const palette = page.locator('#modal-command-palette');
    await palette.locator('input').fill('Schedule with EMR');
    await expect(
      palette.locator('.lm-CommandPalette-header', {
        hasText: 'Schedule with EMR'
      })
    ).not.toHaveCount(0);
    const open = palette.locator(
      '.lm-CommandPalette-item[data-command="emr-schedule:open-panel"]'
    );
    await expect(open).toBeVisible();
    await open.click();
    await expect(page.locator('.jp-EmrSchedule-panel')).toBeVisible();
    await expect(page.locator('.jp-EmrSchedule-panel')).toContainText(
      'Open a notebook to schedule it with EMR.'
    );
  });
});
