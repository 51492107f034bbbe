/**
 * The bad-input table (bad-input-cases.ts) on JupyterLab 4.6. The notebook on
 * disk is compared byte for byte.
 */
import type { Page } from '@playwright/test';
import { BAD_INPUT, type IStack } from './bad-input-cases';
import { expect, test } from './fixtures';
import { openDemoNotebook } from './helpers';

const STACK: IStack = {
  async openNotebook(page, tmpPath, name) {
    await openDemoNotebook(page, tmpPath, name);
    return `${tmpPath}/${name}`;
  },
  /** The file's bytes as the server has them. */
  async onDisk(page: Page, path: string) {
    const response = await page.request.get(
      `/api/contents/${path}?content=1&type=file&format=text`
    );
    expect(response.ok()).toBe(true);
    return (await response.json()).content;
  }
};

test.describe('bad input in the panel', () => {
  for (const { title, autoGoto = true, run } of BAD_INPUT) {
    test.describe(() => {
      test.use({ autoGoto });
      test(title, async ({ page, tmpPath }) => run(page, tmpPath, STACK));
    });
  }
});
