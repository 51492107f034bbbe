/**
 * The panel's "IAM policies" section: every policy the product writes, filled
 * with the server's identity, the chosen secret and the Redshift inputs, each
 * with who attaches it where and a copy button.
 */
import { Clipboard } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';
import {
  IPolicyInputs,
  IPolicyKindInfo,
  POLICY_FIELDS,
  PolicyInputError,
  policyKindsFor,
  regionFromArn
} from '../core/policies';
import { Section, TextField } from './fields';
import type { PanelModel } from './model';

interface ISectionProps {
  model: PanelModel;
  trans: TranslationBundle;
}

/** The region the other inputs imply: identity, secret ARN, Redshift host. */
function impliedRegion(model: PanelModel): string {
  const fromHost = /\.([a-z]{2}(?:-[a-z]+)+-\d)\.redshift/.exec(
    model.redshift.host
  );
  return (
    model.identity?.region ||
    (model.state.secretId.startsWith('arn:')
      ? regionFromArn(model.state.secretId)
      : null) ||
    fromHost?.[1] ||
    ''
  );
}

export function policyInputs(model: PanelModel): IPolicyInputs {
  const extra = model.policyExtras;
  const redshift = model.redshift;
  const value = (v: string | null | undefined) => (v ? v : undefined);
  return {
    roleArn: value(extra.roleArn || model.identity?.roleArn),
    account: value(model.identity?.account),
    region: value(extra.region || impliedRegion(model)),
    secretId: model.needsSecret ? value(model.state.secretId) : undefined,
    kmsKeyArn: value(extra.kmsKeyArn),
    cluster:
      redshift.kind === 'provisioned'
        ? value(redshift.host.split('.')[0])
        : undefined,
    dbUser: value(extra.dbUser),
    database: value(redshift.database),
    workgroupArn: value(extra.workgroupArn),
    tempdir: value(redshift.tempdir),
    ...(model.state.target === 'serverless'
      ? {
          applicationId: value(model.state.applicationId),
          emrExecutionRoleArn: value(model.state.executionRoleArn)
        }
      : {})
  };
}

export function PoliciesSection({ model, trans }: ISectionProps): JSX.Element {
  const open = model.isOpen('policies');
  React.useEffect(() => {
    if (open && !model.identity && !model.busy) {
      void model.loadIdentity();
    }
  }, [open]);
  return (
    <Section
      model={model}
      name="policies"
      className="jp-EmrSchedule-policies"
      summary={trans.__('IAM policies')}
    >
      <PoliciesBody model={model} trans={trans} />
    </Section>
  );
}

/** One of the section's own inputs: a value no other section asks for. */
interface IExtraField {
  field: keyof PanelModel['policyExtras'];
  id: string;
  label: string;
  placeholder: string;
  hint?: string;
}

/** The section's own inputs; the Redshift one follows the Redshift kind. */
function extraFields(
  model: PanelModel,
  trans: TranslationBundle
): IExtraField[] {
  const identity = model.identity;
  return [
    {
      field: 'roleArn',
      id: 'jp-EmrSchedule-policy-role',
      label: trans.__('Execution role ARN (the role jobs run as)'),
      placeholder: identity?.roleArn ?? POLICY_FIELDS.roleArn.example,
      hint:
        identity && !identity.roleArn
          ? trans.__(
              'This server does not run as a role; enter the role the jobs run as.'
            )
          : undefined
    },
    {
      field: 'region',
      id: 'jp-EmrSchedule-policy-region',
      label: trans.__('Region'),
      placeholder: impliedRegion(model) || 'us-east-1'
    },
    {
      field: 'kmsKeyArn',
      id: 'jp-EmrSchedule-policy-kms',
      label: trans.__('KMS key ARN of the secrets (optional)'),
      placeholder: POLICY_FIELDS.kmsKeyArn.example
    },
    model.redshift.kind === 'provisioned'
      ? {
          field: 'dbUser',
          id: 'jp-EmrSchedule-policy-dbuser',
          label: trans.__('Redshift database user (for Redshift policies)'),
          placeholder: POLICY_FIELDS.dbUser.example
        }
      : {
          field: 'workgroupArn',
          id: 'jp-EmrSchedule-policy-workgroup',
          label: trans.__('Redshift Serverless workgroup ARN'),
          placeholder: POLICY_FIELDS.workgroupArn.example
        }
  ];
}

/** The open section: its inputs and every policy, rendered (built only when open). */
function PoliciesBody({ model, trans }: ISectionProps): JSX.Element {
  const inputs = policyInputs(model);
  const extra = model.policyExtras;
  const identity = model.identity;
  return (
    <>
      <p className="jp-EmrSchedule-muted" aria-live="polite">
        {identity
          ? trans.__(
              'This server runs as %1 in account %2.',
              identity.roleArn ?? identity.arn,
              identity.account
            )
          : model.identityError
            ? model.identityError
            : trans.__('Reading the server’s identity…')}
      </p>
      {extraFields(model, trans).map(({ field, ...props }) => (
        <TextField
          key={props.id}
          {...props}
          value={extra[field]}
          onChange={value =>
            model.updatePolicyExtras({ [field]: value.trim() })
          }
        />
      ))}
      <ul
        className="jp-EmrSchedule-policyList"
        aria-label={trans.__('Policies')}
      >
        {policyKindsFor(model.state.target).map(kind => (
          <PolicyItem
            key={kind.id}
            kind={kind}
            inputs={inputs}
            model={model}
            trans={trans}
          />
        ))}
      </ul>
    </>
  );
}

/** One policy: its title, who attaches it where, and the document or what it needs. */
function PolicyItem({
  kind,
  inputs,
  model,
  trans
}: ISectionProps & {
  kind: IPolicyKindInfo;
  inputs: IPolicyInputs;
}): JSX.Element {
  const title = trans.__(kind.title);
  let text: string | null = null;
  let missing: string | null = null;
  try {
    text = JSON.stringify(kind.build(inputs), null, 2);
  } catch (error) {
    missing =
      error instanceof PolicyInputError
        ? trans.__(
            'Needs %1: %2',
            POLICY_FIELDS[error.field].label,
            error.problem
          )
        : (error as Error).message;
  }
  return (
    <li className="jp-EmrSchedule-policy" data-policy={kind.id}>
      <h4>{title}</h4>
      <p className="jp-EmrSchedule-muted">{trans.__(kind.where)}</p>
      {text ? (
        <>
          <pre className="jp-EmrSchedule-cell">{text}</pre>
          <button
            type="button"
            className="jp-mod-styled"
            aria-label={trans.__('Copy %1', title)}
            onClick={() => {
              Clipboard.copyToSystem(text!);
              model.setMessage({
                kind: 'success',
                text: trans.__('Copied: %1.', title)
              });
            }}
          >
            {trans.__('Copy')}
          </button>
        </>
      ) : (
        <p className="jp-EmrSchedule-hint">{missing}</p>
      )}
    </li>
  );
}
