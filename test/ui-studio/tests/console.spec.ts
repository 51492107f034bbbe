/**
 * JupyterLab 4.5 loads this extension without complaint: the browser console
 * has no "Unsatisfied version" (nor "No satisfying version") from our remote
 * entry, which it reports when a shared package's version is outside the
 * range our build asks for (DESIGN.md section 8).
 *
 * The module-federation runtime that prints these lines is bundled into each
 * extension's remote entry, so a line's source tells whose it is. Other
 * extensions' lines (SageMaker's scheduler asks for React 17 and
 * @jupyterlab/scheduler <2.7.2) are not ours to answer for; that they are seen
 * shows the check reads the console at all.
 */
import { expect, test } from './studio';

test.use({ autoGoto: false });

test('no "Unsatisfied version" for jupyterlab-emr-schedule in the console', async ({
  page
}) => {
  const lines: { source: string; text: string }[] = [];
  page.on('console', message =>
    lines.push({ source: message.location().url, text: message.text() })
  );
  await page.goto();
  await expect
    .poll(() =>
      page.evaluate(() =>
        (window as any).jupyterapp.isPluginActivated(
          'jupyterlab-emr-schedule:plugin'
        )
      )
    )
    .toBe(true);

  const complaint = /Unsatisfied version|No satisfying version|not compatible/;
  const ours = lines.filter(
    line =>
      complaint.test(line.text) &&
      (line.source.includes('/lab/extensions/jupyterlab-emr-schedule/') ||
        line.text.includes('jupyterlab-emr-schedule'))
  );
  expect(ours.map(line => line.text)).toEqual([]);

  const others = lines.filter(
    line =>
      complaint.test(line.text) &&
      line.source.includes('/lab/extensions/@amzn/sagemaker-jupyter-scheduler/')
  );
  expect(others.length).toBeGreaterThan(0);
});
