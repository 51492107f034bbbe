import { expect, IJupyterLabPageFixture } from '@jupyterlab/galata';
import type { Locator } from '@playwright/test';
import * as path from 'path';
import { portOf } from '../../playwright.base';

/**
 * The suite's second server: the same stack with jupyter-scheduler switched
 * off (test/playwright.base.js, the `ui` row), on the port after the first's.
 */
export const NO_SCHEDULER_URL = `http://127.0.0.1:${portOf('ui') + 1}`;

/**
 * Opens the command palette, searches for `label`, and runs `command`'s item.
 *
 * JupyterLab's modal palette closes and clears its search whenever any
 * command runs, and JupyterLab runs commands of its own (the Help menu's
 * `helpmenu:get-kernel`) each time the running sessions or the notebook's
 * kernel change, as they do while a notebook's kernel starts and connects.
 * So first wait for what the user sees before reaching for the palette: the
 * active notebook's kernel connected and idle.
 */
export async function runFromPalette(
  page: IJupyterLabPageFixture,
  label: string,
  command: string
): Promise<void> {
  await page.waitForFunction(
    () => {
      const context = (window as any).jupyterapp.shell.currentWidget
        ?.sessionContext;
      if (!context || context.hasNoKernel) {
        return true;
      }
      const kernel = context.session?.kernel;
      return (
        !!kernel &&
        kernel.connectionStatus === 'connected' &&
        kernel.status === 'idle'
      );
    },
    null,
    { timeout: 90000 }
  );
  const palette = page.locator('#modal-command-palette');
  const input = palette.locator('input');
  const item = palette.locator(
    `.lm-CommandPalette-item[data-command="${command}"]`
  );
  // The modal palette opens on its command (which toggles it); open it, then
  // search, until the item shows: a search typed while it opens can be lost.
  await expect(async () => {
    if (!(await palette.isVisible())) {
      await page.evaluate(() =>
        (window as any).jupyterapp.commands.execute(
          'apputils:activate-command-palette'
        )
      );
    }
    await expect(input).toBeVisible({ timeout: 2000 });
    await input.fill('');
    await input.fill(label);
    await expect(item).toBeVisible({ timeout: 2000 });
  }).toPass({ timeout: 30000 });
  await item.click();
}

/** The sources of the active notebook's cells, read from its shared model. */
export async function cellSources(
  page: IJupyterLabPageFixture
): Promise<string[]> {
  return page.evaluate(() => {
    const panel = (window as any).jupyterapp.shell.currentWidget;
    return panel.content.model.sharedModel.cells.map((c: any) => c.getSource());
  });
}

/** Copies a demo notebook into the test's folder, opens and activates it. */
export async function openDemoNotebook(
  page: IJupyterLabPageFixture,
  tmpPath: string,
  name: string
): Promise<void> {
  await page.contents.uploadFile(
    path.resolve(__dirname, '../../../demo/notebooks', name),
    `${tmpPath}/${name}`
  );
  await page.notebook.openByPath(`${tmpPath}/${name}`);
  await page.notebook.activate(name);
}

/**
 * Waits for the scheduler's Create Job form. When the kernel's start marked
 * the notebook changed after the test saved it, the panel first asks to save
 * again; the user's answer is "Save and continue". The demo's clusters are
 * not reachable from this machine (their primary nodes have VPC names), so
 * the panel may first warn that a run will not reach the cluster; the user's
 * answer is "Schedule anyway".
 */
export async function createJobForm(page: IJupyterLabPageFixture) {
  const form = page.locator('form', { hasText: 'Job name' }).first();
  const save = page.locator('.jp-Dialog', {
    hasText: 'Save before scheduling?'
  });
  const network = page.locator('.jp-Dialog', {
    hasText: 'Schedule a run that cannot reach the cluster?'
  });
  await expect(form.or(save).or(network)).toBeVisible({ timeout: 30000 });
  if (await network.isVisible()) {
    await network.getByRole('button', { name: 'Schedule anyway' }).click();
    await expect(form.or(save)).toBeVisible({ timeout: 30000 });
  }
  if (await save.isVisible()) {
    await save.getByRole('button', { name: 'Save and continue' }).click();
  }
  await expect(form).toBeVisible();
  return form;
}

/** A panel section's (or group's) toggle: the button that opens and closes it. */
export function toggleOf(section: Locator): Locator {
  return section.locator(':scope > .jp-EmrSchedule-summary');
}

/**
 * Picks a cluster and a secret with the panel's pickers, as a user does:
 * the cluster whose list entry matches `cluster` (the panel then shows
 * `authType`), and the secret whose entry matches `secret`.
 */
export async function pickClusterAndSecret(
  panel: Locator,
  cluster: RegExp,
  authType: string,
  secret: RegExp
): Promise<void> {
  await panel.getByRole('button', { name: 'Browse clusters…' }).click();
  await panel
    .getByRole('list', { name: 'EMR clusters' })
    .getByRole('button', { name: cluster })
    .click();
  await expect(panel.getByLabel('Authentication')).toHaveValue(authType);
  await panel.getByRole('button', { name: 'Browse secrets…' }).click();
  await panel
    .getByRole('list', { name: 'secrets' })
    .getByRole('button', { name: secret })
    .click();
}
