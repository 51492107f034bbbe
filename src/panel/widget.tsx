/**
 * The "Schedule with EMR" panel: renders the model, calls the actions.
 */
import { ReactWidget, UseSignal } from '@jupyterlab/ui-components';
import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';
import type { IActions } from '../actions';
import {
  IClusterDetail,
  IClusterSummary,
  ISecretSummary,
  listClusters,
  listSecrets
} from '../api';
import { SelectField, TextField } from './fields';
import { Disclosure } from './Disclosure';
import { FindingsSection } from './FindingsSection';
import { PoliciesSection } from './PoliciesSection';
import { RedshiftSection } from './RedshiftSection';
import { RunsSection } from '../runs/RunsSection';
import { clearClusterDetails, clusterDetail } from './clusterDetails';
import { PagedList } from './PagedList';
import { AUTH_TYPES, isPanelAuthType } from '../core/auth';
import {
  connectCells,
  FieldErrors,
  IEnvNames,
  SessionLanguage
} from '../core/connectCell';
import { envVarLines } from '../core/envVars';
import type { PanelModel } from './model';

interface IViewProps {
  model: PanelModel;
  actions: IActions;
  trans: TranslationBundle;
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

function ClusterItem({ c }: { c: IClusterSummary }): JSX.Element {
  const [detail, setDetail] = React.useState<IClusterDetail | null>(null);
  React.useEffect(() => {
    let live = true;
    void clusterDetail(c.id).then(d => live && setDetail(d));
    return () => {
      live = false;
    };
  }, [c.id]);
  return (
    <>
      <span className="jp-EmrSchedule-itemName">{c.name || c.id}</span>
      <span className="jp-EmrSchedule-itemMeta">
        {c.id}{' '}
        <span
          className={`jp-EmrSchedule-badge jp-mod-${c.state.toLowerCase()}`}
        >
          {c.state}
        </span>{' '}
        {detail ? (
          <span
            className="jp-EmrSchedule-badge jp-EmrSchedule-authBadge"
            title={detail.authReason}
          >
            {detail.authType}
          </span>
        ) : null}
        {detail?.releaseLabel ? ` ${detail.releaseLabel}` : ''}
      </span>
    </>
  );
}

function SecretItem({ s }: { s: ISecretSummary }): JSX.Element {
  const tags = Object.entries(s.tags).map(([k, v]) => `${k}=${v}`);
  return (
    <>
      <span className="jp-EmrSchedule-itemName">{s.name}</span>
      <span className="jp-EmrSchedule-itemMeta">
        {s.description}
        {tags.map(t => (
          <span key={t} className="jp-EmrSchedule-badge">
            {t}
          </span>
        ))}
      </span>
    </>
  );
}

export function PanelView({ model, actions, trans }: IViewProps): JSX.Element {
  const { state, options } = model;
  const [browse, setBrowse] = React.useState<'clusters' | 'secrets' | null>(
    null
  );
  const cluster = model.cluster;
  const errors: FieldErrors = model.errors;
  const nb = model.notebook;
  const valid = model.isValid;
  const scheduler = model.serverStatus?.scheduler;
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
        <TextField
          id="jp-EmrSchedule-clusterId"
          label={trans.__('EMR cluster id')}
          value={state.clusterId}
          placeholder="j-1ABCDEFGHIJKL"
          error={errors.clusterId}
          onChange={clusterId => model.update({ clusterId: clusterId.trim() })}
        />
        <button
          type="button"
          className="jp-mod-styled jp-EmrSchedule-browse"
          aria-expanded={browse === 'clusters'}
          onClick={() => setBrowse(browse === 'clusters' ? null : 'clusters')}
        >
          {browse === 'clusters'
            ? trans.__('Hide clusters')
            : trans.__('Browse clusters…')}
        </button>
        {browse === 'clusters' && (
          <PagedList<IClusterSummary>
            id="jp-EmrSchedule-clusterPicker"
            label={trans.__('EMR clusters')}
            searchLabel={trans.__('Search clusters by name or id')}
            emptyText={trans.__('No active clusters match.')}
            load={listClusters}
            keyOf={c => c.id}
            render={c => <ClusterItem c={c} />}
            onRefresh={clearClusterDetails}
            onChoose={c => {
              setBrowse(null);
              void model.chooseCluster(c.id);
            }}
          />
        )}
        {cluster && (
          <div className="jp-EmrSchedule-clusterInfo" aria-live="polite">
            <span className="jp-EmrSchedule-badge">{cluster.state}</span>{' '}
            {cluster.name} · {cluster.releaseLabel} ·{' '}
            {trans.__('detected auth: %1', cluster.authType)}
            {cluster.warnings.map(w => (
              <div key={w} className="jp-EmrSchedule-warning">
                {w}
              </div>
            ))}
          </div>
        )}
        <div className="jp-EmrSchedule-field">
          <label htmlFor="jp-EmrSchedule-authType">
            {trans.__('Authentication')}
          </label>
          <select
            id="jp-EmrSchedule-authType"
            className="jp-mod-styled"
            value={state.authType}
            onChange={e => {
              const value = e.target.value;
              if (isPanelAuthType(value)) {
                model.update({ authType: value });
              }
            }}
          >
            {AUTH_TYPES.map(a => (
              <option key={a.id} value={a.id}>
                {trans.__(a.label)}
              </option>
            ))}
          </select>
        </div>
        {model.needsSecret && (
          <TextField
            id="jp-EmrSchedule-secretId"
            label={trans.__('Secrets Manager secret (name or ARN)')}
            value={state.secretId}
            placeholder="arn:aws:secretsmanager:us-east-1:123456789012:secret:emr-creds"
            error={errors.secretId}
            hint={trans.__(
              'A JSON secret with "username" and "password" keys. Only its id is written.'
            )}
            onChange={secretId => model.update({ secretId: secretId.trim() })}
          />
        )}
        {model.needsSecret && (
          <div className="jp-EmrSchedule-secretActions">
            <button
              type="button"
              className="jp-mod-styled jp-EmrSchedule-browse"
              aria-expanded={browse === 'secrets'}
              onClick={() => setBrowse(browse === 'secrets' ? null : 'secrets')}
            >
              {browse === 'secrets'
                ? trans.__('Hide secrets')
                : trans.__('Browse secrets…')}
            </button>
            <button
              type="button"
              className="jp-mod-styled"
              disabled={!!errors.secretId || !!model.busy}
              onClick={() => void model.checkSecret()}
            >
              {trans.__('Check')}
            </button>
            <button
              type="button"
              className="jp-mod-styled"
              onClick={() => void actions.createSecretFromCredentials()}
            >
              {trans.__('Create from my credentials…')}
            </button>
          </div>
        )}
        {model.needsSecret && browse === 'secrets' && (
          <PagedList<ISecretSummary>
            id="jp-EmrSchedule-secretPicker"
            label={trans.__('secrets')}
            searchLabel={trans.__('Search secrets by name')}
            emptyText={trans.__('No secrets match.')}
            load={listSecrets}
            keyOf={s => s.arn}
            render={s => <SecretItem s={s} />}
            onChoose={s => {
              setBrowse(null);
              model.update({ secretId: s.arn });
            }}
          />
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
          <TextField
            id="jp-EmrSchedule-env-clusterId"
            label={trans.__('Cluster id variable')}
            value={options.envNames.clusterId}
            error={errors['env.clusterId']}
            onChange={v => setEnvName('clusterId', v)}
          />
          <TextField
            id="jp-EmrSchedule-env-authType"
            label={trans.__('Auth type variable')}
            value={options.envNames.authType}
            error={errors['env.authType']}
            onChange={v => setEnvName('authType', v)}
          />
          <TextField
            id="jp-EmrSchedule-env-secretId"
            label={trans.__('Secret id variable')}
            value={options.envNames.secretId}
            error={errors['env.secretId']}
            onChange={v => setEnvName('secretId', v)}
          />
          <TextField
            id="jp-EmrSchedule-assumableRole"
            label={trans.__('Cross-account role ARN (optional)')}
            value={state.assumableRoleArn}
            error={errors.assumableRoleArn}
            placeholder="arn:aws:iam::111122223333:role/emr-access"
            onChange={v => model.update({ assumableRoleArn: v.trim() })}
          />
          <TextField
            id="jp-EmrSchedule-executionRole"
            label={trans.__('EMR runtime role ARN (optional)')}
            value={state.executionRoleArn}
            error={errors.executionRoleArn}
            placeholder="arn:aws:iam::111122223333:role/emr-runtime"
            onChange={v => model.update({ executionRoleArn: v.trim() })}
          />
          <label className="jp-EmrSchedule-check">
            <input
              type="checkbox"
              checked={state.verifyCertificate}
              onChange={e =>
                model.update({ verifyCertificate: e.target.checked })
              }
            />
            {trans.__("Verify the cluster's certificate")}
          </label>
          <label className="jp-EmrSchedule-check">
            <input
              type="checkbox"
              checked={options.useFallback}
              onChange={e =>
                model.updateOptions({ useFallback: e.target.checked })
              }
            />
            {trans.__('Use these values when no environment variable is set')}
          </label>
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
      />
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
  actions: IActions,
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
