/**
 * The panel's side of bad input, one table for both stacks (run by
 * test/ui/tests/bad-input.spec.ts on JupyterLab 4.6 and by
 * test/ui-studio/tests/bad-input.spec.ts on the Studio stack): each case gets
 * a message that says what to do, the notebook on disk stays as it was, and
 * what the user typed into the form is still there. What differs by stack
 * (opening a notebook, reading it from disk) is the stack's `IStack`.
 */
import type { IJupyterLabPageFixture } from '@jupyterlab/galata';
import type { Locator, Page } from '@playwright/test';
import { expect } from './fixtures';
import { cellSources } from './helpers';

export const SECRET = 'emr/users/analyst-1';
export const CLUSTER = 'j-2AXXXXXXGAPLF';

/** What a case needs from the stack it runs on. */
export interface IStack {
  /** Copies a demo notebook into the test's folder, opens and activates it; returns its path. */
  openNotebook(
    page: IJupyterLabPageFixture,
    tmpPath: string,
    name: string
  ): Promise<string>;
  /**
   * The notebook as the server has it on disk (not as the page shows it), in
   * a form two reads of an unchanged notebook give alike.
   */
  onDisk(page: Page, path: string): Promise<unknown>;
}

export interface IBadInputCase {
  /** The test's title: the bad input, and what the user gets. */
  title: string;
  /** Galata goes to the page before the case (false: the case does). */
  autoGoto?: boolean;
  run(
    page: IJupyterLabPageFixture,
    tmpPath: string,
    stack: IStack
  ): Promise<void>;
}

export async function runCommand(
  page: Page,
  command: string
): Promise<unknown> {
  return page.evaluate(
    id => (window as any).jupyterapp.commands.execute(id),
    command
  );
}

/** The panel's message about the last action (error, warning or success). */
export function message(page: Page): Locator {
  return page
    .locator('.jp-EmrSchedule-panel > .jp-EmrSchedule-message')
    .first();
}

export async function fillForm(page: Page): Promise<Locator> {
  const panel = page.locator('.jp-EmrSchedule-panel');
  await panel.getByLabel('EMR cluster id').fill(CLUSTER);
  await panel.getByLabel('Authentication').selectOption('LDAP');
  await panel.getByLabel('Secrets Manager secret (name or ARN)').fill(SECRET);
  return panel;
}

async function expectFormKept(page: Page) {
  const panel = page.locator('.jp-EmrSchedule-panel');
  await expect(panel.getByLabel('EMR cluster id')).toHaveValue(CLUSTER);
  await expect(panel.getByLabel('Authentication')).toHaveValue('LDAP');
  await expect(
    panel.getByLabel('Secrets Manager secret (name or ARN)')
  ).toHaveValue(SECRET);
}

/**
 * Opens a demo notebook, then the panel (from the toolbar or the command),
 * and fills the form. Returns the notebook's path and how it is on disk.
 */
async function openAndFill(
  page: IJupyterLabPageFixture,
  tmpPath: string,
  stack: IStack,
  name: string,
  via: 'toolbar' | 'command'
) {
  const path = await stack.openNotebook(page, tmpPath, name);
  const onDisk = await stack.onDisk(page, path);
  if (via === 'toolbar') {
    await page.locator('.jp-EmrSchedule-toolbarButton').first().click();
  } else {
    await runCommand(page, 'emr-schedule:open-panel');
  }
  const panel = await fillForm(page);
  return { path, onDisk, panel };
}

/**
 * The scheduler labextensions of both stacks (jupyter-scheduler's, and
 * SageMaker's in Studio): switched off, JupyterLab loads as it does where no
 * notebook scheduler is installed.
 */
const SCHEDULERS = [
  '@jupyterlab/scheduler',
  '@amzn/sagemaker-jupyter-scheduler'
];

/**
 * Makes the next page load without a scheduler: the page's own list of
 * disabled extensions names them. (Changed as the page parses it, not by
 * serving another page: a page Playwright serves may not open WebSockets to
 * this machine, which jupyter-collaboration, on the Studio stack, needs to
 * open a notebook.)
 */
async function withoutScheduler(page: Page): Promise<void> {
  await page.addInitScript(off => {
    const observer = new MutationObserver(() => {
      const element = document.getElementById('jupyter-config-data');
      let config: any;
      try {
        config = JSON.parse(element?.textContent ?? '');
      } catch {
        return; // not parsed yet
      }
      const disabled = config.disabledExtensions ?? [];
      config.disabledExtensions = Array.isArray(disabled)
        ? [...disabled, ...off]
        : { ...disabled, ...Object.fromEntries(off.map(k => [k, true])) };
      element!.textContent = JSON.stringify(config);
      observer.disconnect();
    });
    observer.observe(document, { childList: true, subtree: true });
  }, SCHEDULERS);
}

export const BAD_INPUT: IBadInputCase[] = [
  {
    title:
      'no active notebook: every action says to open one, and nothing is written',
    async run(page, tmpPath) {
      await runCommand(page, 'emr-schedule:open-panel');
      await fillForm(page);
      const listing = async () =>
        (await page.contents.getContentMetadata(tmpPath, 'directory'))?.content;
      const before = await listing();

      expect(await runCommand(page, 'emr-schedule:insert-connect-cell')).toBe(
        false
      );
      await expect(message(page)).toContainText('Open a notebook first');
      expect(await runCommand(page, 'emr-schedule:create-job')).toBe(false);
      await expect(message(page)).toContainText(
        'Open the notebook to schedule first'
      );
      expect(await runCommand(page, 'emr-schedule:check-notebook')).toBe(false);
      await expect(message(page)).toContainText('Open a notebook to check it');
      // The palette shows the notebook commands disabled rather than failing.
      await runCommand(page, 'apputils:activate-command-palette');
      const palette = page.locator('#modal-command-palette');
      await palette.locator('input').fill('Insert EMR Connect Cell');
      await expect(
        palette.locator(
          '.lm-CommandPalette-item[data-command="emr-schedule:insert-connect-cell"]'
        )
      ).toHaveClass(/lm-mod-disabled/);
      await page.keyboard.press('Escape');

      expect(await listing()).toEqual(before);
      await expectFormKept(page);
    }
  },
  {
    title: 'a read-only notebook is refused unchanged, with what to do',
    async run(page, tmpPath, stack) {
      const name = 'pyspark-emr.ipynb';
      const path = `${tmpPath}/${name}`;
      // The server runs as root here, for whom no file is read-only; the page
      // is told what a server says of a file it may not write (writable:
      // false), which is all JupyterLab and the panel go by.
      await page.route(
        url => url.pathname.endsWith(`/api/contents/${path}`),
        async route => {
          if (route.request().method() !== 'GET') {
            return route.continue();
          }
          const response = await route.fetch();
          const body = await response.json();
          await route.fulfill({ response, json: { ...body, writable: false } });
        }
      );
      const { onDisk, panel } = await openAndFill(
        page,
        tmpPath,
        stack,
        name,
        'toolbar'
      );
      const cells = await cellSources(page);

      await panel.getByRole('button', { name: 'Insert connect cell' }).click();
      await expect(message(page)).toContainText(
        `${path} is read-only. Save a copy`
      );
      await expect(page.locator('.jp-Notification-Toast-error')).toContainText(
        'is read-only'
      );

      // The Redshift cells are refused the same way.
      const section = panel.locator('.jp-EmrSchedule-redshift');
      await runCommand(page, 'emr-schedule:insert-redshift-cell');
      await section
        .getByLabel('Cluster endpoint')
        .fill('examplecluster.abc123xyz789.us-east-1.redshift.amazonaws.com');
      await section.getByLabel('Table').fill('public.sales');
      await section
        .getByLabel('S3 tempdir')
        .fill('s3a://analytics-temp/redshift/');
      await section
        .getByLabel('IAM role for COPY/UNLOAD (aws_iam_role)')
        .fill('arn:aws:iam::123456789012:role/redshift-copy-unload');
      await section
        .getByRole('button', { name: 'Insert Redshift cells' })
        .click();
      await expect(message(page)).toContainText('is read-only');

      expect(await cellSources(page)).toEqual(cells);
      expect(await stack.onDisk(page, path)).toEqual(onDisk);
      await expectFormKept(page);
    }
  },
  {
    title:
      'the notebook closed while the panel asks: nothing is scheduled or written',
    async run(page, tmpPath, stack) {
      const { path, onDisk, panel } = await openAndFill(
        page,
        tmpPath,
        stack,
        'broken-from-aws-page.ipynb',
        'command'
      );

      await panel.getByRole('button', { name: 'Create job…' }).click();
      const ask = page.locator('.jp-Dialog', {
        hasText: 'Schedule a notebook that would fail?'
      });
      await expect(ask).toBeVisible();
      // The notebook goes away while the question is open, once its kernel
      // has finished starting: closed in the middle of that, JupyterLab and
      // the widgets manager throw from what they had not finished ("Disposed",
      // a canceled subshell request, the cells of a closed notebook), whoever
      // closes it. Finished is: ready, idle, and no request waiting on the
      // kernel, for half a second.
      await page.evaluate(async p => {
        const shell = (window as any).jupyterapp.shell;
        const pause = () => new Promise(resolve => setTimeout(resolve, 100));
        for (const widget of Array.from(shell.widgets('main')) as any[]) {
          if (widget.context?.path === p) {
            await widget.sessionContext.ready;
            for (let quiet = 0; quiet < 5;) {
              await pause();
              const kernel = widget.sessionContext.session?.kernel;
              const settled =
                !kernel || (kernel.status === 'idle' && !kernel._futures?.size);
              quiet = settled ? quiet + 1 : 0;
            }
            widget.dispose();
          }
        }
      }, path);
      await ask.getByRole('button', { name: 'Schedule anyway' }).click();
      await expect(message(page)).toContainText(
        `${path} was closed before the job was created; nothing was scheduled`
      );
      await expect(
        page.locator('form', { hasText: 'Job name' })
      ).not.toBeVisible();
      expect(await stack.onDisk(page, path)).toEqual(onDisk);
      await expectFormKept(page);
    }
  },
  {
    title:
      'no notebook scheduler: Create job says so and offers the variables to copy; the notebook is untouched',
    autoGoto: false,
    async run(page, tmpPath, stack) {
      await withoutScheduler(page);
      await page.goto(`tree/${tmpPath}`);
      expect(
        await page.evaluate(() =>
          (window as any).jupyterapp.commands.hasCommand(
            'scheduling:restore-layout'
          )
        )
      ).toBe(false);

      const { path, onDisk, panel } = await openAndFill(
        page,
        tmpPath,
        stack,
        'python-emr.ipynb',
        'command'
      );

      await panel.getByRole('button', { name: 'Create job…' }).click();
      await expect(message(page)).toContainText(
        'No notebook scheduler is installed in this JupyterLab'
      );
      await expect(panel.locator('.jp-EmrSchedule-env')).toHaveText(
        `auth_type=Basic_Access\ncluster_id=${CLUSTER}\nsecret_id=${SECRET}`
      );
      await expect(
        panel.getByRole('button', { name: 'Copy variables' })
      ).toBeEnabled();
      await expect(page.locator('form', { hasText: 'Job name' })).toHaveCount(
        0
      );
      expect(await stack.onDisk(page, path)).toEqual(onDisk);
      await expectFormKept(page);
    }
  }
];
