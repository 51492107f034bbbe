import { expect, IJupyterLabPageFixture } from '@jupyterlab/galata';

/** Opens the command palette, searches for `label`, and runs `command`'s item. */
export async function runFromPalette(
  page: IJupyterLabPageFixture,
  label: string,
  command: string
): Promise<void> {
  const palette = page.locator('#modal-command-palette');
  // The modal palette opens on its command; open it until it shows.
  await expect(async () => {
    if (!(await palette.isVisible())) {
      await page.evaluate(() =>
        (window as any).jupyterapp.commands.execute(
          'apputils:activate-command-palette'
        )
      );
    }
    await expect(palette.locator('input')).toBeVisible({ timeout: 2000 });
  }).toPass({ timeout: 20000 });
  await palette.locator('input').fill(label);
  await palette
    .locator(`.lm-CommandPalette-item[data-command="${command}"]`)
    .click();
}
