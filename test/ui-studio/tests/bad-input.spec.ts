/**
 * Bad input on the Studio stack gets what it gets on 4.6: the bad-input table
 * (test/ui/tests/bad-input-cases.ts), with the notebook on disk compared by
 * its cells (jupyter-collaboration's server writes a notebook it opens back
 * in its own layout); then what only this stack has, SageMaker's Create Job
 * form.
 */
import {
  BAD_INPUT,
  CLUSTER,
  SECRET,
  fillForm,
  type IStack
} from '../../ui/tests/bad-input-cases';
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

const BUCKET = 'sagemaker-automated-execution-123456789012-us-east-1';

const STACK: IStack = { openNotebook, onDisk: notebookOnDisk };

test.describe('bad input on the Studio stack', () => {
  for (const { title, autoGoto = true, run } of BAD_INPUT) {
    test.describe(() => {
      test.use({ autoGoto });
      test(title, async ({ page, tmpPath }) => run(page, tmpPath, STACK));
    });
  }

  test("SageMaker's advanced environments failing: its form says so, nothing can be created, the notebook is unchanged", async ({
    page,
    tmpPath
  }) => {
    const name = 'python-emr.ipynb';
    const file = await openNotebook(page, tmpPath, name);
    const onDisk = await notebookOnDisk(page, file);
    const cells = await cellSources(page);
    await page.locator('.jp-EmrSchedule-toolbarButton').first().click();
    await fillForm(page);
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
