import { expect, test } from './fixtures';
import { cellSources, openDemoNotebook, runFromPalette } from './helpers';

const NOTEBOOK = 'broken-from-aws-page.ipynb';

test.describe('readiness checks on the AWS page examples', () => {
  test.beforeEach(async ({ page, tmpPath }) => {
    await openDemoNotebook(page, tmpPath, NOTEBOOK);
  });

  test('the badge counts the errors, a fix repairs the cell, undo brings it back', async ({
    page
  }) => {
    const badge = page.locator('.jp-EmrSchedule-toolbarBadge').first();
    await expect(badge).toBeVisible();
    const errorsBefore = Number(await badge.textContent());
    expect(errorsBefore).toBeGreaterThan(2);

    await runFromPalette(page, 'Check Notebook', 'emr-schedule:check-notebook');
    const panel = page.locator('.jp-EmrSchedule-panel');
    const findings = panel.getByRole('list', { name: 'Findings' });
    await expect(findings).toBeVisible();
    await expect(
      findings.locator('.jp-EmrSchedule-finding.jp-mod-error')
    ).toHaveCount(errorsBefore);
    await page.screenshot({ path: test.info().outputPath('checks.png') });

    // The em dash the AWS page put before cluster-id.
    const dash = findings.locator('[data-rule="unicode-dash"]');
    await expect(dash).toHaveCount(1);
    const before = await cellSources(page);
    expect(before[2]).toContain('\u2014cluster-id');

    // "Cell 3, line 2" takes the user to the cell.
    await dash.getByRole('button', { name: /^Cell 3, line 2$/ }).click();
    await expect
      .poll(() =>
        page.evaluate(
          () =>
            (window as any).jupyterapp.shell.currentWidget.content
              .activeCellIndex
        )
      )
      .toBe(2);

    await dash.locator('.jp-EmrSchedule-fix').click();
    await expect
      .poll(async () => (await cellSources(page))[2])
      .toContain(' --cluster-id');
    const after = await cellSources(page);
    expect(after.filter((_, i) => i !== 2)).toEqual(
      before.filter((_, i) => i !== 2)
    );
    await expect(badge).toHaveText(String(errorsBefore - 1));
    await expect(findings.locator('[data-rule="unicode-dash"]')).toHaveCount(0);

    await page.notebook.activate(NOTEBOOK);
    await page.evaluate(() =>
      (window as any).jupyterapp.commands.execute('notebook:undo-cell-action')
    );
    await expect.poll(() => cellSources(page)).toEqual(before);
    await expect(badge).toHaveText(String(errorsBefore));
  });

  test('scheduling a notebook with errors asks first and shows the problems', async ({
    page
  }) => {
    await page.evaluate(() =>
      (window as any).jupyterapp.commands.execute('emr-schedule:open-panel')
    );
    const panel = page.locator('.jp-EmrSchedule-panel');
    await panel.getByLabel('EMR cluster id').fill('j-2AXXXXXXGAPLF');
    await panel.getByRole('button', { name: 'Create job…' }).click();
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog).toContainText('Schedule a notebook that would fail?');
    await dialog.getByRole('button', { name: 'Show the problems' }).click();
    await expect(panel.getByRole('list', { name: 'Findings' })).toBeVisible();
    await expect(page.locator('form', { hasText: 'Job name' })).toHaveCount(0);
  });
});
