/**
 * The panel's "Runs" section: the active notebook's scheduled runs, newest
 * first, why each failed run failed, and the way to the panel's fix.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import { UseSignal } from '@jupyterlab/ui-components';
import * as React from 'react';
import { describeCron } from '../core/runs/cronText';
import type { IRunDiagnosis, RunAction } from '../core/runs/diagnosis';
import {
  displayStatus,
  formatDuration,
  hasOutputToDownload,
  IJobDefinition,
  isActive,
  nextCronRun,
  outputNotebookPath,
  runDuration
} from '../core/runs/runs';
import { Section } from './fields';
import type { PanelModel } from './model';
import type { IRun, IRunsError, RunsModel } from '../runs/model';
import type { ITestRun, TestRunModel } from '../runs/testRun';

/** What the section asks of whoever mounts it. */
export interface IRunsHandlers {
  /** Takes the user to the panel's feature that fixes a cause. */
  followAction(action: RunAction): void;
  /** The scheduler's own detail view of a job. */
  openJob(jobId: string): void;
  /** The scheduler's own detail view of a job definition. */
  openDefinition(definitionId: string): void;
  openNotebook(path: string): void;
  /** Whether a scheduler's views can be opened from here. */
  canOpenScheduler: boolean;
}

export interface IRunsSectionProps {
  runs: RunsModel;
  model: PanelModel;
  handlers: IRunsHandlers;
  trans: TranslationBundle;
  /** The test run (the panel's "Test run"), shown above the runs. */
  testRuns?: TestRunModel;
}

function statusLabel(status: string, trans: TranslationBundle): string {
  switch (status) {
    case 'CREATED':
      return trans.__('Created');
    case 'QUEUED':
      return trans.__('Queued');
    case 'STARTING':
      return trans.__('Starting');
    case 'IN_PROGRESS':
      return trans.__('In progress');
    case 'COMPLETED':
      return trans.__('Completed');
    case 'FAILED':
      return trans.__('Failed');
    case 'STOPPING':
      return trans.__('Stopping');
    case 'STOPPED':
      return trans.__('Stopped');
    default:
      return status;
  }
}

function actionLabel(action: RunAction, trans: TranslationBundle): string {
  switch (action) {
    case 'checks':
      return trans.__('Open Checks');
    case 'secret-check':
      return trans.__('Check the secret');
    case 'secret-create':
      return trans.__('Create the secret from my credentials');
    case 'policies':
      return trans.__('Show the IAM policies');
    case 'cluster-picker':
      return trans.__('Browse clusters');
    case 'network':
      return trans.__('Check the network');
  }
}

/** A failed run's cause, its fix and the button to the panel's feature that applies. */
function RunCause({
  diagnosis,
  summaryId,
  followAction,
  trans
}: {
  diagnosis: IRunDiagnosis;
  summaryId: string;
  followAction: (action: RunAction) => void;
  trans: TranslationBundle;
}): JSX.Element {
  return (
    <div className="jp-EmrSchedule-runCause" data-cause={diagnosis.cause}>
      <p id={summaryId} className="jp-EmrSchedule-runSummary">
        {diagnosis.summary}
      </p>
      <p className="jp-EmrSchedule-runFix">
        <span className="jp-EmrSchedule-runFixLabel">{trans.__('Fix:')}</span>{' '}
        {diagnosis.fix}
      </p>
      {diagnosis.action && (
        <button
          type="button"
          className="jp-mod-styled jp-mod-accept jp-EmrSchedule-runAction"
          data-action={diagnosis.action}
          onClick={() => followAction(diagnosis.action!)}
        >
          {actionLabel(diagnosis.action, trans)}
        </button>
      )}
    </div>
  );
}

function formatTime(ms: number): string {
  return new Date(ms).toLocaleString(undefined, {
    dateStyle: 'medium',
    timeStyle: 'short'
  });
}

function RunItem({
  run,
  runs,
  handlers,
  trans
}: {
  run: IRun;
  runs: RunsModel;
  handlers: IRunsHandlers;
  trans: TranslationBundle;
}): JSX.Element {
  const { job, diagnosis } = run;
  const [fetching, setFetching] = React.useState(false);
  const [fetchError, setFetchError] = React.useState<string | null>(null);
  const now = Date.now();
  const shown = displayStatus(job, now);
  const status = shown.toLowerCase().replace('_', '-');
  const duration = runDuration(job, now);
  const output = outputNotebookPath(job);
  const started = job.start_time
    ? trans.__('Started %1', formatTime(job.start_time))
    : trans.__('Created %1', formatTime(job.create_time));
  const summaryId = `jp-EmrSchedule-run-${job.job_id}-cause`;
  return (
    <li
      className={`jp-EmrSchedule-run jp-mod-${status}`}
      data-job-id={job.job_id}
      data-status={shown}
      aria-describedby={diagnosis ? summaryId : undefined}
    >
      <div className="jp-EmrSchedule-runHead">
        <span className={`jp-EmrSchedule-runStatus jp-mod-${status}`}>
          {statusLabel(shown, trans)}
        </span>
        <span className="jp-EmrSchedule-runName" title={job.name}>
          {job.name}
        </span>
      </div>
      <div className="jp-EmrSchedule-runMeta">
        {started}
        {duration !== null &&
          ` · ${
            isActive(shown)
              ? trans.__('running for %1', formatDuration(duration))
              : trans.__('took %1', formatDuration(duration))
          }`}
      </div>
      {diagnosis && (
        <RunCause
          diagnosis={diagnosis}
          summaryId={summaryId}
          followAction={handlers.followAction}
          trans={trans}
        />
      )}
      <div className="jp-EmrSchedule-runLinks">
        {handlers.canOpenScheduler && (
          <button
            type="button"
            className="jp-mod-styled jp-EmrSchedule-link"
            onClick={() => handlers.openJob(job.job_id)}
          >
            {trans.__('Job details')}
          </button>
        )}
        {output ? (
          <button
            type="button"
            className="jp-mod-styled jp-EmrSchedule-link"
            onClick={() => handlers.openNotebook(output)}
          >
            {trans.__('Output notebook')}
          </button>
        ) : (
          hasOutputToDownload(job, now) && (
            <button
              type="button"
              className="jp-mod-styled jp-EmrSchedule-link"
              disabled={fetching}
              onClick={async () => {
                setFetching(true);
                setFetchError(null);
                try {
                  const path = await runs.fetchOutput(job.job_id);
                  if (path) {
                    handlers.openNotebook(path);
                  } else {
                    setFetchError(
                      trans.__(
                        'The scheduler has not copied the output notebook yet; try again in a moment.'
                      )
                    );
                  }
                } catch (error) {
                  setFetchError((error as Error).message);
                } finally {
                  setFetching(false);
                }
              }}
            >
              {fetching
                ? trans.__('Getting the output notebook…')
                : trans.__('Get the output notebook')}
            </button>
          )
        )}
      </div>
      {fetchError && (
        <div className="jp-EmrSchedule-error" role="alert">
          {fetchError}
        </div>
      )}
    </li>
  );
}

/** What a test run's status reads as. */
function testRunStatus(run: ITestRun, trans: TranslationBundle): string {
  switch (run.phase) {
    case 'starting':
      return trans.__('Starting');
    case 'running':
      return run.job
        ? statusLabel(displayStatus(run.job, Date.now()), trans)
        : trans.__('Starting');
    case 'completed':
      return trans.__('Worked');
    case 'unconfirmed':
      return trans.__('Not confirmed');
    case 'failed':
      return trans.__('Failed');
    case 'stopped':
      return trans.__('Stopped');
  }
}

/**
 * The test run of the notebook: while it runs (with Stop) and after (what
 * Spark answered, or why it failed and the fix), with Dismiss, which removes
 * its job and files.
 */
function TestRunItem({
  run,
  testRuns,
  handlers,
  trans
}: {
  run: ITestRun;
  testRuns: TestRunModel;
  handlers: IRunsHandlers;
  trans: TranslationBundle;
}): JSX.Element {
  const { job, diagnosis } = run;
  const now = Date.now();
  const active = run.phase === 'starting' || run.phase === 'running';
  const duration = job ? runDuration(job, now) : null;
  const summaryId = 'jp-EmrSchedule-testRun-cause';
  return (
    <li
      className={`jp-EmrSchedule-run jp-EmrSchedule-testRun jp-mod-${run.phase}`}
      data-test-run-phase={run.phase}
      data-job-id={run.jobId ?? undefined}
      aria-describedby={diagnosis ? summaryId : undefined}
    >
      <div className="jp-EmrSchedule-runHead">
        <span className={`jp-EmrSchedule-runStatus jp-mod-${run.phase}`}>
          {testRunStatus(run, trans)}
        </span>
        <span className="jp-EmrSchedule-runName">{trans.__('Test run')}</span>
      </div>
      <div className="jp-EmrSchedule-runMeta">
        {active
          ? duration !== null
            ? trans.__(
                'Connecting and asking Spark for an answer · running for %1',
                formatDuration(duration)
              )
            : trans.__('Writing the test notebook and creating its job…')
          : run.phase === 'stopped'
            ? trans.__('Stopped before it ended.')
            : duration !== null
              ? trans.__('took %1', formatDuration(duration))
              : ''}
      </div>
      {run.phase === 'completed' && (
        <p className="jp-EmrSchedule-testRunResult" role="status">
          {testRuns.successText(run)}
        </p>
      )}
      {run.phase === 'unconfirmed' && (
        <p
          className="jp-EmrSchedule-testRunResult jp-mod-unconfirmed"
          role="status"
        >
          {trans.__(
            'The scheduler reports the job completed, but it left no output (nothing under %1), as a job that did not run: nothing shows that the connection works. Open Job details, and the job’s logs in SageMaker, to see what ran.',
            run.missingOutput || trans.__('its output location')
          )}
        </p>
      )}
      {diagnosis && (
        <RunCause
          diagnosis={diagnosis}
          summaryId={summaryId}
          followAction={handlers.followAction}
          trans={trans}
        />
      )}
      {run.error && (
        <div className="jp-EmrSchedule-error" role="alert">
          {run.error}
        </div>
      )}
      <div className="jp-EmrSchedule-runLinks">
        {active && run.jobId && (
          <button
            type="button"
            className="jp-mod-styled jp-mod-warn jp-EmrSchedule-testRunStop"
            disabled={run.stopping || run.removing}
            onClick={() => void testRuns.stop()}
          >
            {run.stopping ? trans.__('Stopping…') : trans.__('Stop')}
          </button>
        )}
        {handlers.canOpenScheduler && run.jobId && (
          <button
            type="button"
            className="jp-mod-styled jp-EmrSchedule-link"
            onClick={() => handlers.openJob(run.jobId!)}
          >
            {trans.__('Job details')}
          </button>
        )}
        {run.phase !== 'starting' && (
          <button
            type="button"
            className="jp-mod-styled jp-EmrSchedule-testRunDismiss"
            disabled={run.removing}
            title={trans.__(
              'Remove the test run: its job, its files and its notebook'
            )}
            onClick={() => void testRuns.dismiss()}
          >
            {run.removing ? trans.__('Removing…') : trans.__('Dismiss')}
          </button>
        )}
      </div>
    </li>
  );
}

/** The notebook's test run, if it has one, above its runs. */
function TestRunBlock({
  path,
  testRuns,
  handlers,
  trans
}: {
  path: string;
  testRuns: TestRunModel;
  handlers: IRunsHandlers;
  trans: TranslationBundle;
}): JSX.Element | null {
  return (
    <UseSignal signal={testRuns.stateChanged}>
      {() => {
        const run = testRuns.runOf(path);
        return run ? (
          <ul
            className="jp-EmrSchedule-runs jp-EmrSchedule-testRuns"
            aria-label={trans.__('Test run')}
          >
            <TestRunItem
              run={run}
              testRuns={testRuns}
              handlers={handlers}
              trans={trans}
            />
          </ul>
        ) : null;
      }}
    </UseSignal>
  );
}

function DefinitionItem({
  definition,
  handlers,
  trans
}: {
  definition: IJobDefinition;
  handlers: IRunsHandlers;
  trans: TranslationBundle;
}): JSX.Element {
  const next =
    definition.active && definition.schedule
      ? nextCronRun(definition.schedule, definition.timezone, Date.now())
      : null;
  // Words in the schedule's own time zone (the scheduler's); the next run in
  // the browser's.
  const words = definition.schedule ? describeCron(definition.schedule) : null;
  const zone = definition.timezone || 'UTC';
  return (
    <li
      className="jp-EmrSchedule-definition"
      data-definition-id={definition.job_definition_id}
    >
      <div className="jp-EmrSchedule-runHead">
        <span
          className={`jp-EmrSchedule-runStatus ${
            definition.active ? 'jp-mod-active' : 'jp-mod-paused'
          }`}
        >
          {definition.active ? trans.__('Active') : trans.__('Paused')}
        </span>
        <span className="jp-EmrSchedule-runName">{definition.name}</span>
      </div>
      <div className="jp-EmrSchedule-runMeta">
        {definition.schedule ? (
          <span
            className="jp-EmrSchedule-schedule"
            title={trans.__('cron: %1', definition.schedule)}
          >
            {words
              ? trans.__('%1 (%2)', words, zone)
              : trans.__('Schedule %1 (%2)', definition.schedule, zone)}
          </span>
        ) : (
          trans.__('No schedule')
        )}
        {next !== null && (
          <>
            {' · '}
            {trans.__('next run')}{' '}
            <time
              className="jp-EmrSchedule-nextRun"
              dateTime={new Date(next).toISOString()}
            >
              {formatTime(next)}
            </time>
          </>
        )}
      </div>
      {handlers.canOpenScheduler && (
        <div className="jp-EmrSchedule-runLinks">
          <button
            type="button"
            className="jp-mod-styled jp-EmrSchedule-link"
            onClick={() =>
              handlers.openDefinition(definition.job_definition_id)
            }
          >
            {trans.__('Job definition details')}
          </button>
        </div>
      )}
    </li>
  );
}

/** What went wrong reading the runs, and what the user can do about it. */
function errorText(error: IRunsError, trans: TranslationBundle): string {
  switch (error.kind) {
    case 'missing':
      return trans.__(
        'No notebook scheduler is installed on this server, so there are no runs to show. Install jupyter-scheduler (pip install jupyter-scheduler) and restart JupyterLab to schedule notebooks.'
      );
    case 'unreachable':
      return trans.__(
        'The Jupyter server could not be reached, so the runs cannot be shown. Check that JupyterLab is still running and your network connection, then Refresh.'
      );
    default:
      return error.message
        ? trans.__(
            'The scheduler did not answer (%1), so the runs cannot be shown. Refresh to try again; if it keeps failing, the Jupyter server’s log says why.',
            error.message
          )
        : trans.__(
            'The scheduler did not answer, so the runs cannot be shown. Refresh to try again; if it keeps failing, the Jupyter server’s log says why.'
          );
  }
}

function RunsBody({
  runs,
  handlers,
  trans,
  testRuns
}: Omit<IRunsSectionProps, 'model'>): JSX.Element {
  if (!runs.path) {
    return (
      <p className="jp-EmrSchedule-muted">
        {trans.__('Open a notebook to see its scheduled runs.')}
      </p>
    );
  }
  const error = runs.error;
  const failedLatest = runs.runs[0]?.job.status === 'FAILED';
  return (
    <>
      <div className="jp-EmrSchedule-checksHeader">
        <span className="jp-EmrSchedule-muted">
          {runs.loaded
            ? runs.runs.length === 0
              ? trans.__('No runs of this notebook yet.')
              : failedLatest
                ? trans.__('The most recent run failed.')
                : runs.watching
                  ? trans.__('Refreshing while a run is in progress.')
                  : trans.__('Newest first.')
            : ''}
        </span>
        <button
          type="button"
          className="jp-mod-styled"
          disabled={runs.loading}
          onClick={() => void runs.refresh()}
        >
          {trans.__('Refresh')}
        </button>
      </div>
      <div className="jp-EmrSchedule-srOnly" role="status" aria-live="polite">
        {runs.announcement}
      </div>
      {runs.loading && !runs.loaded && (
        <div className="jp-EmrSchedule-muted" role="status">
          <progress className="jp-EmrSchedule-progress" />{' '}
          {trans.__('Loading runs…')}
        </div>
      )}
      {error && (
        <div
          className={`jp-EmrSchedule-message jp-mod-${
            error.kind === 'missing' ? 'warning' : 'error'
          }`}
          role="alert"
        >
          {errorText(error, trans)}
        </div>
      )}
      {testRuns && (
        <TestRunBlock
          path={runs.path}
          testRuns={testRuns}
          handlers={handlers}
          trans={trans}
        />
      )}
      {runs.definitions.length > 0 && (
        <>
          <h4 className="jp-EmrSchedule-runsHeading">
            {trans.__('Job definitions')}
          </h4>
          <ul
            className="jp-EmrSchedule-runs"
            aria-label={trans.__('Job definitions')}
          >
            {runs.definitions.map(d => (
              <DefinitionItem
                key={d.job_definition_id}
                definition={d}
                handlers={handlers}
                trans={trans}
              />
            ))}
          </ul>
        </>
      )}
      {runs.runs.length > 0 && (
        <>
          <ul
            className="jp-EmrSchedule-runs"
            aria-label={trans.__('Runs')}
            aria-busy={runs.loading || runs.loadingMore}
          >
            {runs.pageRuns.map(r => (
              <RunItem
                key={r.job.job_id}
                run={r}
                runs={runs}
                handlers={handlers}
                trans={trans}
              />
            ))}
          </ul>
        </>
      )}
      {(runs.hasNewer || runs.hasOlder) && (
        <nav
          className="jp-EmrSchedule-runsPages"
          aria-label={trans.__('Pages of runs')}
        >
          <button
            type="button"
            className="jp-mod-styled"
            disabled={!runs.hasNewer}
            onClick={() => runs.newer()}
          >
            {trans.__('Newer runs')}
          </button>
          <span className="jp-EmrSchedule-muted" aria-live="polite">
            {runs.loadingMore
              ? trans.__('Loading older runs…')
              : trans.__(
                  'Runs %1–%2',
                  runs.pageStart + 1,
                  runs.pageStart + runs.pageRuns.length
                )}
          </span>
          <button
            type="button"
            className="jp-mod-styled"
            disabled={!runs.hasOlder || runs.loadingMore}
            onClick={() => void runs.older()}
          >
            {trans.__('Older runs')}
          </button>
        </nav>
      )}
    </>
  );
}

export function RunsSection(props: IRunsSectionProps): JSX.Element {
  const { runs, model, trans } = props;
  const open = model.isOpen('runs');
  React.useEffect(() => {
    runs.setVisible(open);
  }, [open, runs]);
  return (
    <UseSignal signal={runs.stateChanged}>
      {() => {
        const latestFailed = runs.runs[0]?.job.status === 'FAILED';
        return (
          <Section
            model={model}
            name="runs"
            className="jp-EmrSchedule-runsSection"
            summary={trans.__('Runs')}
            badge={
              latestFailed
                ? {
                    text: '!',
                    label: trans.__('The most recent run failed'),
                    className: 'jp-EmrSchedule-runFailed'
                  }
                : null
            }
          >
            {open && (
              <RunsBody
                runs={runs}
                handlers={props.handlers}
                trans={trans}
                testRuns={props.testRuns}
              />
            )}
          </Section>
        );
      }}
    </UseSignal>
  );
}
