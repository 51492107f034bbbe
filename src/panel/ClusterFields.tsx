/**
 * The connect form's fields for an EMR cluster: its id (typed or picked), the
 * auth type, and the secret that holds the credentials.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';
import {
  IClusterSummary,
  ISecretSummary,
  listClusters,
  listSecrets
} from '../api';
import { AUTH_TYPES, isPanelAuthType } from '../core/auth';
import { clusterDetails, useDetail } from './details';
import { TextField } from './fields';
import type { PanelModel } from './model';
import { BrowseButton, PagedList } from './PagedList';

/** Which picker is open under the form (one at a time). */
export type Browse = 'clusters' | 'secrets' | 'applications' | 'roles' | null;

/** What the target fields ask of whoever mounts them. */
export interface ITargetActions {
  /**
   * Asks for a user name and password and stores them as a new secret; the
   * connect form takes its ARN unless `useInForm` is false.
   */
  createSecretFromCredentials(useInForm?: boolean): Promise<boolean>;
}

/** The target fields (cluster or serverless application) of the connect form. */
export interface ITargetFieldsProps {
  model: PanelModel;
  actions: ITargetActions;
  trans: TranslationBundle;
  browse: Browse;
  setBrowse: (browse: Browse) => void;
}

function ClusterItem({ c }: { c: IClusterSummary }): JSX.Element {
  const detail = useDetail(clusterDetails, c.id);
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

export function ClusterFields(props: ITargetFieldsProps): JSX.Element {
  const { model, actions, trans, browse, setBrowse } = props;
  const { state } = model;
  const errors = model.errors;
  const cluster = model.cluster;
  return (
    <>
      <TextField
        id="jp-EmrSchedule-clusterId"
        label={trans.__('EMR cluster id')}
        value={state.clusterId}
        placeholder="j-1ABCDEFGHIJKL"
        error={errors.clusterId}
        onChange={clusterId => model.update({ clusterId: clusterId.trim() })}
      />
      <BrowseButton
        open={browse === 'clusters'}
        show={trans.__('Browse clusters…')}
        hide={trans.__('Hide clusters')}
        onToggle={() => setBrowse(browse === 'clusters' ? null : 'clusters')}
      />
      {browse === 'clusters' && (
        <PagedList<IClusterSummary>
          id="jp-EmrSchedule-clusterPicker"
          label={trans.__('EMR clusters')}
          searchLabel={trans.__('Search clusters by name or id')}
          emptyText={trans.__('No active clusters match.')}
          load={listClusters}
          keyOf={c => c.id}
          render={c => <ClusterItem c={c} />}
          onRefresh={clusterDetails.clear}
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
        <>
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
          <div className="jp-EmrSchedule-secretActions">
            <BrowseButton
              open={browse === 'secrets'}
              show={trans.__('Browse secrets…')}
              hide={trans.__('Hide secrets')}
              onToggle={() =>
                setBrowse(browse === 'secrets' ? null : 'secrets')
              }
            />
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
          {browse === 'secrets' && (
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
        </>
      )}
    </>
  );
}
