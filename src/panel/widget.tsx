/**
 * The "Schedule with EMR" panel: the connect form, then its sections. It
 * renders the model and calls the actions it is given (IPanelActions): each
 * section takes its own part of them, through the interface it exports.
 */
import { ReactWidget, UseSignal } from '@jupyterlab/ui-components';
import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';
import { Browse, ClusterFields, ITargetActions } from './ClusterFields';
import { CheckField, SelectField, TextField } from './fields';
import { Disclosure } from './Disclosure';
import { FindingsSection, IChecksActions } from './FindingsSection';
import { INetworkActions, NetworkSection } from './NetworkSection';
import { PoliciesSection } from './PoliciesSection';
import { IRedshiftActions, RedshiftSection } from './RedshiftSection';
import { IRunsHandlers, RunsSection } from './RunsSection';
import { ServerlessFields } from './ServerlessFields';
import {
  ConnectTarget,
  connectCells,
  FieldErrors,
  IEnvNames,
  SessionLanguage,
  TARGET_ENV_NAMES
} from '../core/connectCell';
import { envVarLines } from '../core/envVars';
import type { PanelModel } from './model';
import type { RunsModel } from '../runs/model';
import type { TestRunModel } from '../runs/testRun';

const TARGETS: readonly { id: ConnectTarget; label: string }[] = [
  { id: 'cluster', label: 'EMR cluster' },
  { id: 'serverless', label: 'EMR Serverless application' }
];

const ENV_NAME_LABELS: Readonly<Record<keyof IEnvNames, string>> = {
  clusterId: 'Cluster id variable',
  authType: 'Auth type variable',
  secretId: 'Secret id variable',
  applicationId: 'Application id variable',
  executionRoleArn: 'Execution role variable'
};

/** What the panel asks of whoever builds it: its form's and its sections'. */
export interface IPanelActions
  extends ITargetActions, IChecksActions, IRedshiftActions, INetworkActions {
  /** The active notebook's scheduled runs (the Runs section's model). */
  runs: RunsModel;
  runHandlers: IRunsHandlers;
  insertConnectCell(): Promise<boolean>;
  createJob(): Promise<boolean>;
  copyEnvVars(): Promise<boolean>;
  /** The test run's model (its outcome shows in the Runs section). */
  testRuns: TestRunModel;
  /** Runs the connection now, as the scheduled job will (a test run). */
  testRun(): Promise<boolean>;
}

export interface IPanelProps {
  model: PanelModel;
  actions: IPanelActions;
  trans: TranslationBundle;
}

/** A role ARN of the Advanced options (each target has its own). */
const ROLE_FIELDS = {
  assumableRoleArn: {
    id: 'jp-EmrSchedule-assumableRole',
    label: 'Cross-account role ARN (optional)',
    placeholder: 'arn:aws:iam::111122223333:role/emr-access'
  },
  executionRoleArn: {
    id: 'jp-EmrSchedule-executionRole',
    label: 'EMR runtime role ARN (optional)',
    placeholder: 'arn:aws:iam::111122223333:role/emr-runtime'
  }
} as const;

function RoleField({
  model,
  name,
  trans
}: {
  model: PanelModel;
  name: keyof typeof ROLE_FIELDS;
  trans: TranslationBundle;
}): JSX.Element {
  const field = ROLE_FIELDS[name];
  return (
    <TextField
      id={field.id}
      label={trans.__(field.label)}
      value={model.state[name]}
      error={model.errors[name]}
      placeholder={field.placeholder}
      onChange={v => model.update({ [name]: v.trim() })}
    />
  );
}

function cellPreview(model: PanelModel): string {
  if (!model.isValid) {
    return '';
  }
  return connectCells(
    model.state,
    model.options,
    model.notebook?.family ?? 'ipython'
  )
    .map(c => c.source)
    .join('\n\n');
}

/** "Test run", beside "Create job…": busy while a test run is in progress. */
function TestRunButton({ model, actions, trans }: IPanelProps): JSX.Element {
  return (
    <UseSignal signal={actions.testRuns.stateChanged}>
      {() => {
        const busy = actions.testRuns.inProgress;
        const studio =
          model.serverStatus?.scheduler.how === 'sagemaker-job-environment';
        return (
          <button
            type="button"
            className="jp-mod-styled jp-EmrSchedule-testRunButton"
            disabled={!model.isValid || !model.notebook}
            aria-disabled={busy}
            title={
              busy
                ? trans.__('A test run is in progress; see the Runs section.')
                : studio
                  ? trans.__(
                      'Run the connection now as a SageMaker training job, as the scheduled job will, and see whether it works'
                    )
                  : trans.__(
                      'Run the connection now, as the scheduled job will, and see whether it works'
                    )
            }
            onClick={() => void actions.testRun()}
          >
            {busy ? trans.__('Test running…') : trans.__('Test run')}
          </button>
        );
      }}
    </UseSignal>
  );
}

export function PanelView({ model, actions, trans }: IPanelProps): JSX.Element {
  const { state, options } = model;
  const [browse, setBrowse] = React.useState<Browse>(null);
  const serverless = state.target === 'serverless';
  const errors: FieldErrors = model.errors;
  const nb = model.notebook;
  const valid = model.isValid;
  const scheduler = model.serverStatus?.scheduler;
  const fieldProps = { model, actions, trans, browse, setBrowse };
  const setEnvName = (key: keyof IEnvNames, value: string) =>
    model.updateOptions({ envNames: { ...options.envNames, [key]: value } });

  // A command (a failed run's fix) asks for the cluster picker or the secret.
  const reveal = model.reveal;
  React.useEffect(() => {
    if (!reveal) {
      return;
    }
    if (reveal.target === 'clusters') {
      setBrowse('clusters');
    }
    const id =
      reveal.target === 'clusters'
        ? 'jp-EmrSchedule-clusterId'
        : 'jp-EmrSchedule-secretId';
    requestAnimationFrame(() => {
      const field = document.getElementById(id);
      field?.scrollIntoView({ block: 'center' });
      field?.focus();
    });
  }, [reveal]);

  return (
    <div className="jp-EmrSchedule-panel">
      <header className="jp-EmrSchedule-header">
        <h2>{trans.__('Schedule with EMR')}</h2>
        <div className="jp-EmrSchedule-notebook" aria-live="polite">
          {nb ? (
            <>
              <span className="jp-EmrSchedule-notebookName" title={nb.path}>
                {nb.name}
              </span>
              <span className="jp-EmrSchedule-kernel">
                {nb.kernelDisplayName || trans.__('No kernel')}
                {' · '}
                {nb.family === 'sparkmagic'
                  ? trans.__('SparkMagic')
                  : trans.__('IPython')}
              </span>
            </>
          ) : (
            <span className="jp-EmrSchedule-muted">
              {trans.__('Open a notebook to schedule it with EMR.')}
            </span>
          )}
        </div>
      </header>

      <form
        className="jp-EmrSchedule-form"
        onSubmit={e => {
          e.preventDefault();
          void actions.insertConnectCell();
        }}
      >
        <fieldset className="jp-EmrSchedule-target">
          <legend>{trans.__('Connect to')}</legend>
          {TARGETS.map(t => (
            <label key={t.id} className="jp-EmrSchedule-check">
              <input
                type="radio"
                name="jp-EmrSchedule-target"
                value={t.id}
                checked={state.target === t.id}
                onChange={() => {
                  setBrowse(null);
                  model.setTarget(t.id);
                }}
              />
              {trans.__(t.label)}
            </label>
          ))}
        </fieldset>
        {serverless ? (
          <ServerlessFields {...fieldProps} />
        ) : (
          <ClusterFields {...fieldProps} />
        )}
        {model.busy && (
          <div className="jp-EmrSchedule-muted" role="status">
            {model.busy}
          </div>
        )}

        <Disclosure
          className="jp-EmrSchedule-advanced"
          summary={trans.__('Advanced options')}
        >
          {TARGET_ENV_NAMES[state.target].map(key => (
            <TextField
              key={key}
              id={`jp-EmrSchedule-env-${key}`}
              label={trans.__(ENV_NAME_LABELS[key])}
              value={options.envNames[key]}
              error={errors[`env.${key}`]}
              onChange={v => setEnvName(key, v)}
            />
          ))}
          <RoleField model={model} name="assumableRoleArn" trans={trans} />
          {!serverless && (
            <>
              <RoleField model={model} name="executionRoleArn" trans={trans} />
              <CheckField
                label={trans.__("Verify the cluster's certificate")}
                checked={state.verifyCertificate}
                onChange={checked =>
                  model.update({ verifyCertificate: checked })
                }
              />
            </>
          )}
          <CheckField
            label={trans.__(
              'Use these values when no environment variable is set'
            )}
            checked={options.useFallback}
            onChange={checked => model.updateOptions({ useFallback: checked })}
          />
          {nb?.family !== 'sparkmagic' && (
            <SelectField<SessionLanguage>
              id="jp-EmrSchedule-language"
              label={trans.__('Spark session language (--language)')}
              value={options.language}
              options={[
                { value: 'python', label: 'Python (PySpark)' },
                { value: 'scala', label: 'Scala' }
              ]}
              onChange={language => model.updateOptions({ language })}
            />
          )}
        </Disclosure>

        <div className="jp-EmrSchedule-actions">
          <button
            type="submit"
            className="jp-mod-styled jp-mod-accept jp-EmrSchedule-insert"
            disabled={!valid || !nb}
          >
            {trans.__('Insert connect cell')}
          </button>
          <button
            type="button"
            className="jp-mod-styled jp-mod-accept jp-EmrSchedule-createJob"
            disabled={!valid || !nb}
            onClick={() => void actions.createJob()}
          >
            {trans.__('Create job…')}
          </button>
          <TestRunButton model={model} actions={actions} trans={trans} />
          <button
            type="button"
            className="jp-mod-styled jp-EmrSchedule-copy"
            disabled={!valid}
            onClick={() => void actions.copyEnvVars()}
          >
            {trans.__('Copy variables')}
          </button>
        </div>
      </form>

      {model.message && (
        <div
          className={`jp-EmrSchedule-message jp-mod-${model.message.kind}`}
          role={model.message.kind === 'error' ? 'alert' : 'status'}
        >
          {model.message.text}
        </div>
      )}
      {scheduler && !scheduler.installed && (
        <div className="jp-EmrSchedule-message jp-mod-warning" role="status">
          {trans.__(
            'No notebook scheduler runs on this server. Copy the variables into the job you create elsewhere.'
          )}
        </div>
      )}

      <FindingsSection model={model} actions={actions} trans={trans} />
      <RunsSection
        runs={actions.runs}
        model={model}
        handlers={actions.runHandlers}
        trans={trans}
        testRuns={actions.testRuns}
      />
      <NetworkSection model={model} actions={actions} trans={trans} />
      <RedshiftSection model={model} actions={actions} trans={trans} />
      <PoliciesSection model={model} trans={trans} />

      {valid && (
        <section className="jp-EmrSchedule-preview">
          <h3>{trans.__('Job environment variables')}</h3>
          <pre className="jp-EmrSchedule-env">
            {envVarLines(model.jobEnvVars)}
          </pre>
          <h3>{trans.__('Connect cell')}</h3>
          <pre className="jp-EmrSchedule-cell">{cellPreview(model)}</pre>
        </section>
      )}
    </div>
  );
}

export function createPanelWidget(
  model: PanelModel,
  actions: IPanelActions,
  trans: TranslationBundle
): ReactWidget {
  const widget = ReactWidget.create(
    <UseSignal signal={model.stateChanged}>
      {() => <PanelView model={model} actions={actions} trans={trans} />}
    </UseSignal>
  );
  widget.addClass('jp-EmrSchedule-root');
  return widget;
}
