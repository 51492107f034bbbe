/**
 * The connect form's fields for an EMR Serverless application: its id (typed
 * or picked, with its state and whether it starts by itself) and the
 * execution role the Spark session runs as (picked from the roles EMR
 * Serverless may assume, or typed when the server may not list roles).
 */
import * as React from 'react';
import {
  IApplicationSummary,
  IExecutionRole,
  IPage,
  listApplications,
  listExecutionRoles
} from '../api';
import type { ITargetFieldsProps } from './ClusterFields';
import { applicationDetails, useDetail } from './details';
import { TextField } from './fields';
import { BrowseButton, PagedList } from './PagedList';

function ApplicationItem({ a }: { a: IApplicationSummary }): JSX.Element {
  const detail = useDetail(applicationDetails, a.id);
  return (
    <>
      <span className="jp-EmrSchedule-itemName">{a.name || a.id}</span>
      <span className="jp-EmrSchedule-itemMeta">
        {a.id}{' '}
        <span
          className={`jp-EmrSchedule-badge jp-mod-${a.state.toLowerCase()}`}
        >
          {a.state}
        </span>
        {detail ? (
          <span className="jp-EmrSchedule-badge jp-EmrSchedule-startBadge">
            {detail.autoStart ? 'auto-start' : 'no auto-start'}
          </span>
        ) : null}
        {a.releaseLabel ? ` ${a.releaseLabel}` : ''}
        {` ${a.architecture}`}
      </span>
    </>
  );
}

function RoleItem({ r }: { r: IExecutionRole }): JSX.Element {
  return (
    <>
      <span className="jp-EmrSchedule-itemName">{r.name}</span>
      <span className="jp-EmrSchedule-itemMeta">{r.description || r.arn}</span>
    </>
  );
}

export function ServerlessFields(props: ITargetFieldsProps): JSX.Element {
  const { model, trans, browse, setBrowse } = props;
  const { state } = model;
  const errors = model.errors;
  const application = model.application;
  // Without iam:ListRoles the list says so, and the field above is the way.
  const loadRoles = React.useCallback(
    async (search: string, marker: string | null) => {
      const page = await listExecutionRoles(search, marker);
      if (!page.canList) {
        throw new Error(
          trans.__(
            'This server may not list IAM roles (%1); type the execution role’s ARN above.',
            page.action || 'iam:ListRoles'
          )
        );
      }
      return page as IPage<IExecutionRole>;
    },
    [trans]
  );
  return (
    <>
      <TextField
        id="jp-EmrSchedule-applicationId"
        label={trans.__('EMR Serverless application id')}
        value={state.applicationId}
        placeholder="00fabcdefghij123"
        error={errors.applicationId}
        onChange={applicationId =>
          model.update({ applicationId: applicationId.trim() })
        }
      />
      <BrowseButton
        open={browse === 'applications'}
        show={trans.__('Browse applications…')}
        hide={trans.__('Hide applications')}
        onToggle={() =>
          setBrowse(browse === 'applications' ? null : 'applications')
        }
      />
      {browse === 'applications' && (
        <PagedList<IApplicationSummary>
          id="jp-EmrSchedule-applicationPicker"
          label={trans.__('EMR Serverless applications')}
          searchLabel={trans.__('Search applications by name or id')}
          emptyText={trans.__('No Spark applications match.')}
          load={listApplications}
          keyOf={a => a.id}
          render={a => <ApplicationItem a={a} />}
          onRefresh={applicationDetails.clear}
          onChoose={a => {
            setBrowse(null);
            void model.chooseApplication(a.id);
          }}
        />
      )}
      {application && (
        <div className="jp-EmrSchedule-clusterInfo" aria-live="polite">
          <span className="jp-EmrSchedule-badge">{application.state}</span>{' '}
          {application.name} · {application.releaseLabel} ·{' '}
          {application.architecture} ·{' '}
          {application.autoStart
            ? trans.__('starts by itself when a session asks')
            : trans.__('does not start by itself')}
          {application.warnings.map(w => (
            <div key={w} className="jp-EmrSchedule-warning">
              {w}
            </div>
          ))}
        </div>
      )}
      <TextField
        id="jp-EmrSchedule-serverlessRole"
        label={trans.__('Execution role ARN (--emr-execution-role-arn)')}
        value={state.executionRoleArn}
        placeholder="arn:aws:iam::111122223333:role/emr-serverless-execution"
        error={errors.executionRoleArn}
        hint={trans.__(
          'The role the Spark session runs as; its trust policy must admit EMR Serverless.'
        )}
        onChange={v => model.update({ executionRoleArn: v.trim() })}
      />
      <BrowseButton
        open={browse === 'roles'}
        show={trans.__('Browse execution roles…')}
        hide={trans.__('Hide roles')}
        onToggle={() => setBrowse(browse === 'roles' ? null : 'roles')}
      />
      {browse === 'roles' && (
        <PagedList<IExecutionRole>
          id="jp-EmrSchedule-rolePicker"
          label={trans.__('execution roles')}
          searchLabel={trans.__('Search roles by name')}
          emptyText={trans.__(
            'No role that EMR Serverless may assume matches.'
          )}
          load={loadRoles}
          keyOf={r => r.arn}
          render={r => <RoleItem r={r} />}
          onChoose={r => {
            setBrowse(null);
            model.update({ executionRoleArn: r.arn });
          }}
        />
      )}
    </>
  );
}
