import { expect, test } from './fixtures';
import { createJobForm, openDemoNotebook, runFromPalette } from './helpers';

const NOTEBOOK = 'python-emr.ipynb';
const SECRET = 'emr/users/analyst-2';

test.describe('a scheduled job gets the variables from the panel', () => {
  test('Environment variables in Additional options, then a run-now job prints them', async ({
    page,
    tmpPath
  }) => {
    await openDemoNotebook(page, tmpPath, NOTEBOOK);

    // The palette alone: open the panel, fill it, open the Create Job form.
    await runFromPalette(page, 'Schedule with EMR', 'emr-schedule:open-panel');
    const panel = page.locator('.jp-EmrSchedule-panel');
    await panel.getByLabel('EMR cluster id').fill('j-2AXXXXXXGAPLF');
    await panel.getByLabel('Authentication').selectOption('Kerberos');
    await panel.getByLabel('Secrets Manager secret (name or ARN)').fill(SECRET);
    await page.notebook.activate(NOTEBOOK);
    await page.notebook.save();
    await runFromPalette(
      page,
      'Create Notebook Job with EMR Variables',
      'emr-schedule:create-job'
    );

    const form = await createJobForm(page);
    await form.getByText('Additional options').click();
    const envEditor = form.locator('fieldset', {
      hasText: 'Environment variables'
    });
    await expect(envEditor).toBeVisible();
    const names = envEditor.locator(
      'input[name^="jp-EmrSchedule-jobEnv-name"]'
    );
    await expect(names).toHaveCount(3);
    const rows: Record<string, string> = {};
    for (let i = 0; i < 3; i++) {
      rows[await names.nth(i).inputValue()] = await envEditor
        .locator(`input[name="jp-EmrSchedule-jobEnv-value-${i}"]`)
        .inputValue();
    }
    expect(rows).toEqual({
      cluster_id: 'j-2AXXXXXXGAPLF',
      auth_type: 'Kerberos',
      secret_id: SECRET
    });

    // A bad name is refused with a reason, and Create waits for a fix.
    await envEditor
      .getByRole('button', { name: 'Add environment variable' })
      .click();
    await envEditor
      .locator('input[name="jp-EmrSchedule-jobEnv-name-3"]')
      .fill('bad name');
    await expect(envEditor.getByRole('alert')).toContainText(
      'environment variable name'
    );
    await envEditor
      .getByRole('button', { name: 'Remove environment variable bad name' })
      .click();
    await expect(envEditor.getByRole('alert')).toHaveCount(0);

    await form.getByRole('button', { name: 'Create', exact: true }).click();

    // Wait for the job through the scheduler's API, then read its output notebook.
    const findJob = () =>
      page.evaluate(async () => {
        const response = await fetch('/scheduler/jobs?max_items=50');
        const body = await response.json();
        return (
          body.jobs.find((j: any) =>
            j.input_filename?.startsWith('python-emr')
          ) ?? null
        );
      });
    await expect
      .poll(async () => (await findJob())?.status, { timeout: 90000 })
      .toMatch(/COMPLETED|FAILED/);
    const described = await findJob();
    expect(described.status).toBe('COMPLETED');
    expect(described.runtime_environment_parameters).toEqual({
      cluster_id: 'j-2AXXXXXXGAPLF',
      auth_type: 'Kerberos',
      secret_id: SECRET
    });
    // The scheduler copies the output in a process of its own (a fork of the
    // server), which can take a while to start on a busy machine: ask again
    // every 15 s, as a user would with "Download job files", until the output
    // notebook is there.
    const id: string = described.job_id;
    const download = () =>
      page.evaluate(
        (jobId: string) =>
          fetch(`/scheduler/jobs/${jobId}/download_files`).then(r => r.status),
        id
      );
    await download();
    // The job's folder holds the input notebook too (python-emr.ipynb, no
    // outputs) beside the output one (python-emr-<time>.ipynb), listed in
    // whatever order the file system gives: read the output one.
    const input: string = described.input_filename;
    const readOutput = () =>
      page.evaluate(
        async ({ jobId, inputName }: { jobId: string; inputName: string }) => {
          const listing = await fetch('/api/contents/jobs');
          const dir = listing.ok ? await listing.json() : { content: [] };
          const folder = dir.content.find((f: any) => f.name.includes(jobId));
          if (!folder) {
            return '';
          }
          const files = await (
            await fetch(`/api/contents/${folder.path}`)
          ).json();
          const nb = files.content.find(
            (f: any) => f.name.endsWith('.ipynb') && f.name !== inputName
          );
          if (!nb) {
            return '';
          }
          const model = await (
            await fetch(`/api/contents/${nb.path}?content=1`)
          ).json();
          return model.content.cells
            .flatMap((c: any) => c.outputs ?? [])
            .map((o: any) => o.text ?? '')
            .join('');
        },
        { jobId: id, inputName: input }
      );
    let asked = Date.now();
    const printed = async () => {
      const text = await readOutput();
      if (!text && Date.now() - asked > 15000) {
        asked = Date.now();
        await download();
      }
      return text;
    };
    await expect
      .poll(printed, { timeout: 90000, intervals: [1000] })
      .toContain(`cluster: j-2AXXXXXXGAPLF auth: Kerberos secret: ${SECRET}`);
  });
});

test.describe("the scheduler's own Create Job form", () => {
  test('has the Environment variables editor, laid out in rows, without the palette command', async ({
    page,
    tmpPath
  }) => {
    await openDemoNotebook(page, tmpPath, NOTEBOOK);
    await page.notebook.save();
    // jupyter-scheduler's own command, not ours: the editor's rules come with
    // the editor's code (style/jobOptions.css), not with the panel's.
    await page.evaluate(() =>
      window.jupyterapp.commands.execute('scheduling:create-from-notebook')
    );
    const form = await createJobForm(page);
    await form.getByText('Additional options').click();
    const envEditor = form.locator('fieldset', {
      hasText: 'Environment variables'
    });
    await expect(envEditor).toBeVisible();

    await envEditor
      .getByRole('button', { name: 'Add environment variable' })
      .click();
    const name = envEditor.locator(
      'input[name="jp-EmrSchedule-jobEnv-name-0"]'
    );
    const value = envEditor.locator(
      'input[name="jp-EmrSchedule-jobEnv-value-0"]'
    );
    await name.fill('bad name');
    await value.fill('x');
    const alert = envEditor.getByRole('alert');
    await expect(alert).toContainText('environment variable name');
    // One row: the name, then the value (twice as wide), then its Remove
    // button; the reason for the refusal on a line of its own below them.
    const [n, v, r, a] = await Promise.all(
      [
        name,
        value,
        envEditor.getByRole('button', {
          name: 'Remove environment variable bad name'
        }),
        alert
      ].map(async l => (await l.boundingBox())!)
    );
    expect(Math.abs(n.y - v.y)).toBeLessThan(4);
    expect(v.x).toBeGreaterThan(n.x + n.width);
    expect(r.x).toBeGreaterThanOrEqual(v.x + v.width);
    expect(v.width).toBeGreaterThan(1.5 * n.width);
    expect(a.y).toBeGreaterThanOrEqual(n.y + n.height);
  });
});
