import { expect, test } from './fixtures';
import {
  cellSources,
  createJobForm,
  openDemoNotebook,
  runFromPalette,
  toggleOf
} from './helpers';
import * as path from 'path';

const NOTEBOOK = 'pyspark-emr.ipynb';
const HOST = 'examplecluster.abc123xyz789.us-east-1.redshift.amazonaws.com';
const ROLE = 'arn:aws:iam::123456789012:role/redshift-copy-unload';

test.describe('Redshift connector cells', () => {
  test.beforeEach(async ({ page, tmpPath }) => {
    await openDemoNotebook(page, tmpPath, NOTEBOOK);
  });

  test('the palette command opens the form, refuses bad input, inserts after the connect cell, and the job gets the variables', async ({
    page
  }) => {
    const before = await cellSources(page);
    await runFromPalette(
      page,
      'Insert Redshift',
      'emr-schedule:insert-redshift-cell'
    );
    // An empty form: the section opens and says what is missing; nothing is written.
    const panel = page.locator('.jp-EmrSchedule-panel');
    const section = panel.locator('.jp-EmrSchedule-redshift');
    await expect(toggleOf(section)).toHaveAttribute('aria-expanded', 'true');
    await expect(panel.locator('.jp-EmrSchedule-message')).toContainText(
      'Complete the Redshift form first'
    );
    expect(await cellSources(page)).toEqual(before);

    // The connect cell first, so the Redshift cells go after it.
    await panel.getByLabel('EMR cluster id').fill('j-2AXXXXXXGAPLF');
    await panel.getByRole('button', { name: 'Insert connect cell' }).click();
    await expect
      .poll(async () => (await cellSources(page)).length)
      .toBe(before.length + 2);

    await section.getByLabel('Cluster endpoint').fill(HOST);
    await section.getByLabel('Table').fill('public.sales');
    const tempdir = section.getByLabel('S3 tempdir');
    await tempdir.fill('s3a://KEY:SECRET@analytics-temp/x/');
    await expect(section.getByRole('alert')).toContainText('aws_iam_role');
    const insert = section.getByRole('button', {
      name: 'Insert Redshift cells'
    });
    await expect(insert).toBeDisabled();
    await tempdir.fill('s3a://analytics-temp/redshift/');
    await section
      .getByLabel('IAM role for COPY/UNLOAD (aws_iam_role)')
      .fill(ROLE);
    await expect(insert).toBeEnabled();
    await insert.click();

    await expect
      .poll(async () => (await cellSources(page)).length)
      .toBe(before.length + 5);
    const cells = await cellSources(page);
    // Title, the two connect cells, then the three Redshift cells.
    expect(cells[3].split('\n')[0]).toBe('%%local');
    expect(cells[3]).toContain(
      `'url': os.getenv('redshift_url', 'jdbc:redshift:iam://${HOST}:5439/dev'),`
    );
    expect(cells[4]).toMatch(/^%%send_to_spark -i /);
    expect(cells[5]).toContain(
      '.format("io.github.spark_redshift_community.spark.redshift")'
    );

    // Writing instead of reading updates the cells in place.
    await section.getByLabel('The cell').selectOption('write');
    await insert.click();
    await expect
      .poll(async () => (await cellSources(page))[5])
      .toContain('.save()');
    expect((await cellSources(page)).length).toBe(before.length + 5);

    await expect(panel.locator('.jp-EmrSchedule-env')).toContainText(
      'redshift_iam_role=' + ROLE
    );
    await page.screenshot({ path: test.info().outputPath('redshift.png') });
    await panel.getByRole('button', { name: 'Create job…' }).click();
    await createJobForm(page);
    await expect
      .poll(() =>
        page.evaluate(() => {
          const shell = (window as any).jupyterapp.shell;
          const widget = Array.from(shell.widgets('main') as any).find(
            (w: any) => w.content?.model?.createJobModel
          ) as any;
          return widget?.content.model.createJobModel
            .runtimeEnvironmentParameters;
        })
      )
      .toEqual({
        auth_type: 'None',
        cluster_id: 'j-2AXXXXXXGAPLF',
        redshift_iam_role: ROLE,
        redshift_table: 'public.sales',
        redshift_tempdir: 's3a://analytics-temp/redshift/',
        redshift_url: `jdbc:redshift:iam://${HOST}:5439/dev`
      });
  });

  test('a Python notebook is refused with the reason, unchanged', async ({
    page,
    tmpPath
  }) => {
    await page.contents.uploadFile(
      path.resolve(__dirname, '../../../demo/notebooks/python-emr.ipynb'),
      `${tmpPath}/python-emr.ipynb`
    );
    await page.notebook.openByPath(`${tmpPath}/python-emr.ipynb`);
    await page.notebook.activate('python-emr.ipynb');
    const before = await cellSources(page);
    await page.evaluate(() =>
      (window as any).jupyterapp.commands.execute('emr-schedule:open-panel')
    );
    const section = page.locator('.jp-EmrSchedule-redshift');
    await toggleOf(section).click();
    await section.getByLabel('Cluster endpoint').fill(HOST);
    await section.getByLabel('Table').fill('sales');
    await section.getByLabel('S3 tempdir').fill('s3a://analytics-temp');
    await section
      .getByLabel('IAM role for COPY/UNLOAD (aws_iam_role)')
      .fill(ROLE);
    await section
      .getByRole('button', { name: 'Insert Redshift cells' })
      .click();
    await expect(
      page.locator('.jp-EmrSchedule-panel .jp-EmrSchedule-message')
    ).toContainText('need the PySpark (SparkMagic) kernel');
    expect(await cellSources(page)).toEqual(before);
  });
});
