/**
 * Galata's test, with one more promise: no uncaught error reaches the page
 * while a test runs. That is an uncaught exception or unhandled promise
 * rejection (Chromium reports both as page errors), and what JupyterLab logs
 * when it catches an extension failing: its code not loading ("Failed to
 * create module", as SageMaker's common extension did without the
 * `@jupyter/chat` it needs) or a plugin not activating.
 */
import { expect, test as base } from '@jupyterlab/galata';

export { expect };

/** JupyterLab's console lines for an extension that failed to load or start. */
export const EXTENSION_FAILED = /Failed to create module|failed to activate/;

export const test = base.extend({
  page: async ({ page }, use) => {
    const errors: string[] = [];
    const onError = (error: Error) =>
      errors.push(`${error.message}\n${error.stack ?? ''}`);
    const onConsole = (message: import('@playwright/test').ConsoleMessage) => {
      if (EXTENSION_FAILED.test(message.text())) {
        errors.push(`${message.text()} (${message.location().url})`);
      }
    };
    page.on('pageerror', onError);
    page.on('console', onConsole);
    await use(page);
    page.off('pageerror', onError);
    page.off('console', onConsole);
    expect(errors, 'uncaught errors in the page').toEqual([]);
  }
});
