/**
 * The panel's Redshift section: the connector's endpoint, table, S3 tempdir
 * and COPY/UNLOAD role, and the button that writes the PySpark cells.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';
import {
  RedshiftDirection,
  RedshiftKind,
  redshiftCells
} from '../core/redshiftCell';
import { Section, SelectField, TextField } from './fields';
import type { PanelModel } from './model';

/** What the Redshift section asks of whoever mounts it. */
export interface IRedshiftActions {
  /** Writes the section's PySpark cells into the active notebook. */
  insertRedshiftCell(): Promise<boolean>;
}

export interface IRedshiftSectionProps {
  model: PanelModel;
  actions: IRedshiftActions;
  trans: TranslationBundle;
}

export function RedshiftSection(props: IRedshiftSectionProps): JSX.Element {
  return (
    <Section
      model={props.model}
      name="redshift"
      className="jp-EmrSchedule-redshift"
      summary={props.trans.__('Redshift from Spark (IAM)')}
    >
      <RedshiftBody {...props} />
    </Section>
  );
}

/** The open section's fields and preview (built only when it is open). */
function RedshiftBody({
  model,
  actions,
  trans
}: IRedshiftSectionProps): JSX.Element {
  const state = model.redshift;
  const errors = model.redshiftErrors;
  const valid = Object.keys(errors).length === 0;
  const serverless = state.kind === 'serverless';
  return (
    <>
      <p className="jp-EmrSchedule-muted">
        {trans.__(
          'Reads or writes a Redshift table from PySpark with temporary IAM credentials: no password or key is written.'
        )}
      </p>
      <SelectField<RedshiftKind>
        id="jp-EmrSchedule-redshift-kind"
        label={trans.__('Redshift')}
        value={state.kind}
        options={[
          { value: 'provisioned', label: trans.__('Provisioned cluster') },
          { value: 'serverless', label: trans.__('Serverless workgroup') }
        ]}
        onChange={kind => model.updateRedshift({ kind })}
      />
      <TextField
        id="jp-EmrSchedule-redshift-host"
        label={
          serverless
            ? trans.__('Workgroup endpoint')
            : trans.__('Cluster endpoint')
        }
        value={state.host}
        placeholder={
          serverless
            ? 'default.123456789012.us-east-1.redshift-serverless.amazonaws.com'
            : 'examplecluster.abc123xyz789.us-east-1.redshift.amazonaws.com'
        }
        error={errors.host}
        onChange={host => model.updateRedshift({ host: host.trim() })}
      />
      <div className="jp-EmrSchedule-row">
        <TextField
          id="jp-EmrSchedule-redshift-port"
          label={trans.__('Port')}
          value={state.port}
          error={errors.port}
          onChange={port => model.updateRedshift({ port: port.trim() })}
        />
        <TextField
          id="jp-EmrSchedule-redshift-database"
          label={trans.__('Database')}
          value={state.database}
          error={errors.database}
          onChange={database =>
            model.updateRedshift({ database: database.trim() })
          }
        />
      </div>
      <TextField
        id="jp-EmrSchedule-redshift-table"
        label={trans.__('Table')}
        value={state.table}
        placeholder="public.sales"
        error={errors.table}
        onChange={table => model.updateRedshift({ table: table.trim() })}
      />
      <TextField
        id="jp-EmrSchedule-redshift-tempdir"
        label={trans.__('S3 tempdir')}
        value={state.tempdir}
        placeholder="s3a://my-bucket/redshift-temp/"
        error={errors.tempdir}
        hint={trans.__('Staging folder for COPY and UNLOAD; s3a:// only.')}
        onChange={tempdir => model.updateRedshift({ tempdir: tempdir.trim() })}
      />
      <TextField
        id="jp-EmrSchedule-redshift-role"
        label={trans.__('IAM role for COPY/UNLOAD (aws_iam_role)')}
        value={state.iamRoleArn}
        placeholder="arn:aws:iam::123456789012:role/redshift-copy-unload"
        error={errors.iamRoleArn}
        onChange={iamRoleArn =>
          model.updateRedshift({ iamRoleArn: iamRoleArn.trim() })
        }
      />
      <SelectField<RedshiftDirection>
        id="jp-EmrSchedule-redshift-direction"
        label={trans.__('The cell')}
        value={state.direction}
        options={[
          { value: 'read', label: trans.__('Reads the table') },
          { value: 'write', label: trans.__('Writes a DataFrame to the table') }
        ]}
        onChange={direction => model.updateRedshift({ direction })}
      />
      <div className="jp-EmrSchedule-actions">
        <button
          type="button"
          className="jp-mod-styled jp-mod-accept jp-EmrSchedule-insertRedshift"
          disabled={!valid || !model.notebook}
          onClick={() => void actions.insertRedshiftCell()}
        >
          {trans.__('Insert Redshift cells')}
        </button>
      </div>
      {valid && (
        <pre className="jp-EmrSchedule-cell" aria-label={trans.__('Preview')}>
          {redshiftCells(state)
            .map(c => c.source)
            .join('\n\n')}
        </pre>
      )}
    </>
  );
}
