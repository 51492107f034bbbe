/**
 * The panel's side of bad input: each case gets a message that says what to
 * do, the notebook on disk stays byte-for-byte the same, and what the user
 * typed into the form is still there.
 */
import type { IJupyterLabPageFixture } from '@jupyterlab/galata';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { cellSources, openDemoNotebook } from './helpers';

const SECRET = 'emr/users/analyst-1';
const CLUSTER = 'j-2AXXXXXXGAPLF';

/** The file's bytes as the server has them (not as the page shows them). */
async function fileOnDisk(page: Page, path: string): Promise<string> {
  const response = await page.request.get(
    `/api/contents/${path}?content=1&type=file&format=text`
  );
  expect(response.ok()).toBe(true);
  return (await response.json()).content;
}

async function run(page: Page, command: string): Promise<unknown> {
  return page.evaluate(
    id => (window as any).jupyterapp.commands.execute(id),
    command
  );
}

/** The panel's message about the last action (error, warning or success). */
function message(page: Page) {
  return page
    .locator('.jp-EmrSchedule-panel > .jp-EmrSchedule-message')
    .first();
}

async function fillForm(page: Page) {
  const panel = page.locator('.jp-EmrSchedule-panel');
  await panel.getByLabel('EMR cluster id').fill(CLUSTER);
  await panel.getByLabel('Authentication').selectOption('LDAP');
  await panel.getByLabel('Secrets Manager secret (name or ARN)').fill(SECRET);
  return panel;
}

/**
 * Opens a demo notebook, then the panel (from the toolbar or the command),
 * and fills the form. Returns the notebook's path and its bytes on the server.
 */
async function openAndFill(
  page: IJupyterLabPageFixture,
  tmpPath: string,
  name: string,
  via: 'toolbar' | 'command'
) {
  const path = `${tmpPath}/${name}`;
  await openDemoNotebook(page, tmpPath, name);
  const onDisk = await fileOnDisk(page, path);
  if (via === 'toolbar') {
    await page.locator('.jp-EmrSchedule-toolbarButton').first().click();
  } else {
    await run(page, 'emr-schedule:open-panel');
  }
  const panel = await fillForm(page);
  return { path, onDisk, panel };
}

async function expectFormKept(page: Page) {
  const panel = page.locator('.jp-EmrSchedule-panel');
  await expect(panel.getByLabel('EMR cluster id')).toHaveValue(CLUSTER);
  await expect(panel.getByLabel('Authentication')).toHaveValue('LDAP');
  await expect(
    panel.getByLabel('Secrets Manager secret (name or ARN)')
  ).toHaveValue(SECRET);
}

test.describe('bad input in the panel', () => {
  test('no active notebook: every action says to open one, and nothing is written', async ({
    page,
    tmpPath
  }) => {
    await run(page, 'emr-schedule:open-panel');
    await fillForm(page);
    const listing = async () =>
      (await page.contents.getContentMetadata(tmpPath, 'directory'))?.content;
    const before = await listing();

    expect(await run(page, 'emr-schedule:insert-connect-cell')).toBe(false);
    await expect(message(page)).toContainText('Open a notebook first');
    expect(await run(page, 'emr-schedule:create-job')).toBe(false);
    await expect(message(page)).toContainText(
      'Open the notebook to schedule first'
    );
    expect(await run(page, 'emr-schedule:check-notebook')).toBe(false);
    await expect(message(page)).toContainText('Open a notebook to check it');
    // The palette shows the notebook commands disabled rather than failing.
    await page.evaluate(() =>
      (window as any).jupyterapp.commands.execute(
        'apputils:activate-command-palette'
      )
    );
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
  });

  test('a read-only notebook is refused unchanged, with what to do', async ({
    page,
    tmpPath
  }) => {
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
        await route.fulfill({
          response,
          json: { ...body, writable: false }
        });
      }
    );
    const { onDisk, panel } = await openAndFill(page, tmpPath, name, 'toolbar');
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
    await run(page, 'emr-schedule:insert-redshift-cell');
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
    expect(await fileOnDisk(page, path)).toBe(onDisk);
    await expectFormKept(page);
  });

  test('the notebook closed while the panel asks: nothing is scheduled or written', async ({
    page,
    tmpPath
  }) => {
    const { path, onDisk, panel } = await openAndFill(
      page,
      tmpPath,
      'broken-from-aws-page.ipynb',
      'command'
    );

    await panel.getByRole('button', { name: 'Create job…' }).click();
    const ask = page.locator('.jp-Dialog', {
      hasText: 'Schedule a notebook that would fail?'
    });
    await expect(ask).toBeVisible();
    // The notebook goes away while the question is open.
    await page.evaluate(p => {
      const shell = (window as any).jupyterapp.shell;
      for (const widget of shell.widgets('main')) {
        if (widget.context?.path === p) {
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
    expect(await fileOnDisk(page, path)).toBe(onDisk);
    await expectFormKept(page);
  });
});

test.describe('no notebook scheduler in this JupyterLab', () => {
  test.use({ autoGoto: false });

  test('Create job says so and offers the variables to copy; the notebook is untouched', async ({
    page,
    tmpPath
  }) => {
    // JupyterLab as it loads when jupyter-scheduler's labextension is not
    // installed: the page's own list of disabled extensions names it.
    await page.route(
      url => url.pathname.startsWith('/lab/tree'),
      async route => {
        const response = await route.fetch();
        const html = (await response.text()).replace(
          /(<script id="jupyter-config-data" type="application\/json">)([\s\S]*?)(<\/script>)/,
          (_all, open: string, json: string, close: string) => {
            const config = JSON.parse(json);
            const disabled = config.disabledExtensions ?? [];
            config.disabledExtensions = Array.isArray(disabled)
              ? [...disabled, '@jupyterlab/scheduler']
              : { ...disabled, '@jupyterlab/scheduler': true };
            return open + JSON.stringify(config) + close;
          }
        );
        await route.fulfill({ response, body: html });
      }
    );
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
    expect(await fileOnDisk(page, path)).toBe(onDisk);
    await expectFormKept(page);
  });
});
