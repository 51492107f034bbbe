/**
 * Galata's test, with one more promise: no uncaught error and no unhandled
 * promise rejection reaches the page while a test runs.
 */
import { expect, test as base } from '@jupyterlab/galata';

export { expect };

export const test = base.extend({
  page: async ({ page }, use) => {
    const errors: string[] = [];
    // Chromium reports uncaught exceptions and unhandled rejections alike.
    const record = (error: Error) => {
      const stack = error.stack ?? '';
      // Another labextension's own failure while it loads (SageMaker's common
      // extension, installed with the analytics package, expects Studio's
      // @jupyter/chat) is not this extension's to answer for.
      if (
        /\/lab\/extensions\//.test(stack) &&
        !stack.includes('/lab/extensions/jupyterlab-emr-schedule/')
      ) {
        return;
      }
      errors.push(`${error.message}\n${stack}`);
    };
    page.on('pageerror', record);
    await use(page);
    page.off('pageerror', record);
    expect(errors, 'uncaught errors in the page').toEqual([]);
  }
});
