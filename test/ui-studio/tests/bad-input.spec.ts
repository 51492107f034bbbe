/**
 * Bad input on the Studio stack gets what it gets on 4.6
 * (test/ui/tests/bad-input.spec.ts): a message that says what happened, and
 * the notebook unchanged, in the page and on disk.
 */
import { cellSources } from '../../ui/tests/helpers';
import {
  expect,
  expectEnvironmentRows,
  notebookOnDisk,
  openAdditionalOptions,
  openCreateJob,
  openNotebook,
  setFaults,
  test
} from './studio';

const CLUSTER = 'j-2AXXXXXXGAPLF';
const SECRET = 'emr/users/analyst-1';
const BUCKET = 'sagemaker-automated-execution-123456789012-us-east-1';

/** The panel's message about the last action (error, warning or success). */
function message(page: import('@playwright/test').Page) {
  return page
    .locator('.jp-EmrSchedule-panel > .jp-EmrSchedule-message')
    .first();
}

async function fillPanel(page: import('@playwright/test').Page) {
  const panel = page.locator('.jp-EmrSchedule-panel');
  await panel.getByLabel('EMR cluster id').fill(CLUSTER);
  await panel.getByLabel('Authentication').selectOption('LDAP');
  await panel.getByLabel('Secrets Manager secret (name or ARN)').fill(SECRET);
  return panel;
}

test.describe('bad input on the Studio stack', () => {
  test('a read-only notebook is refused unchanged, with what to do', async ({
    page,
    tmpPath
  }) => {
    const name = 'pyspark-emr.ipynb';
    const file = `${tmpPath}/${name}`;
    // As on 4.6: the server runs as root, for whom no file is read-only, so
    // the page is told what a server says of a file it may not write.
    await page.route(
      url => url.pathname.endsWith(`/api/contents/${file}`),
      async route => {
        if (route.request().method() !== 'GET') {
          return route.continue();
        }
        const response = await route.fetch();
        const body = await response.json();
        await route.fulfill({ response, json: { ...body, writable: false } });
      }
    );
    await openNotebook(page, tmpPath, name);
    const onDisk = await notebookOnDisk(page, file);
    const cells = await cellSources(page);
    await page.locator('.jp-EmrSchedule-toolbarButton').first().click();
    const panel = await fillPanel(page);

    await panel.getByRole('button', { name: 'Insert connect cell' }).click();
    await expect(message(page)).toContainText(
      `${file} is read-only. Save a copy`
    );
    expect(await cellSources(page)).toEqual(cells);
    expect(await notebookOnDisk(page, file)).toEqual(onDisk);
  });

  test("SageMaker's advanced environments failing: its form says so, nothing can be created, the notebook is unchanged", async ({
    page,
    tmpPath
  }) => {
    const name = 'python-emr.ipynb';
    const file = await openNotebook(page, tmpPath, name);
    const onDisk = await notebookOnDisk(page, file);
    const cells = await cellSources(page);
    await page.locator('.jp-EmrSchedule-toolbarButton').first().click();
    await fillPanel(page);
    // A slow S3 (through the fault proxy): SageMaker's server part gives up
    // on its job settings after 8 s and answers 500.
    await setFaults({ [`HEAD /${BUCKET}`]: { delay: 9 } });
    try {
      const form = await openCreateJob(page);
      await openAdditionalOptions(form);
      await expect(
        form.getByRole('region', { name: 'Additional options' })
      ).toContainText('Internal Server Error', { timeout: 30000 });
      await expect(
        form.getByRole('button', { name: 'Create', exact: true })
      ).toBeDisabled();
      await expect(form.locator('input[name="envKey-0"]')).toHaveCount(0);
    } finally {
      await setFaults({});
    }
    // The variables are still there to copy, and once AWS answers again the
    // next form has them.
    await expect(page.locator('.jp-EmrSchedule-env')).toHaveText(
      `auth_type=Basic_Access\ncluster_id=${CLUSTER}\nsecret_id=${SECRET}`
    );
    const form = await openCreateJob(page);
    await openAdditionalOptions(form);
    await expectEnvironmentRows(form, {
      cluster_id: CLUSTER,
      auth_type: 'Basic_Access',
      secret_id: SECRET
    });
    await page.notebook.activate(name);
    expect(await cellSources(page)).toEqual(cells);
    expect(await notebookOnDisk(page, file)).toEqual(onDisk);
  });
});

test.describe('no notebook scheduler to answer', () => {
  test.use({ autoGoto: false });

  test('Create job says so and offers the variables to copy; the notebook is untouched', async ({
    page,
    tmpPath
  }) => {
    // JupyterLab as it loads without a scheduler: the page's own list of
    // disabled extensions names jupyter-scheduler's and SageMaker's. (Changed
    // as the page parses it, not by serving another page: a page Playwright
    // serves may not open WebSockets to this machine, which
    // jupyter-collaboration needs to open a notebook.)
    await page.addInitScript(() => {
      const off = [
        '@jupyterlab/scheduler',
        '@amzn/sagemaker-jupyter-scheduler'
      ];
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
    });
    await page.goto(`tree/${tmpPath}`);
    expect(
      await page.evaluate(() =>
        (window as any).jupyterapp.commands.hasCommand(
          'scheduling:restore-layout'
        )
      )
    ).toBe(false);

    const file = await openNotebook(page, tmpPath, 'python-emr.ipynb');
    const onDisk = await notebookOnDisk(page, file);
    await page.locator('.jp-EmrSchedule-toolbarButton').first().click();
    const panel = await fillPanel(page);
    await panel.getByRole('button', { name: 'Create job…' }).click();
    await expect(message(page)).toContainText(
      'No notebook scheduler is installed in this JupyterLab'
    );
    await expect(
      panel.getByRole('button', { name: 'Copy variables' })
    ).toBeEnabled();
    await expect(page.locator('form', { hasText: 'Job name' })).toHaveCount(0);
    expect(await notebookOnDisk(page, file)).toEqual(onDisk);
  });
});
