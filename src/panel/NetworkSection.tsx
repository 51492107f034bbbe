/**
 * The panel's Network section: will a scheduled run of this notebook reach
 * the cluster? One line per path (Livy, the KDC, each AWS API), each
 * reachable, blocked or unknown with why and the administrator's change; the
 * job's subnets and security groups to pick (evaluated in the browser); and,
 * where jobs run on this Jupyter server's machine, the server's own probe.
 * Nothing is read until the section opens.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import { UseSignal } from '@jupyterlab/ui-components';
import * as React from 'react';
import type { INetworkLine, IProbeLine, Verdict } from '../core/network';
// Only the light helpers: the evaluator is loaded with the section's first facts.
import { isCommand, probeLines } from '../core/network/choices';
import type { NetworkModel } from '../network/model';
import { Section } from './fields';
import type { PanelModel } from './model';

/** What the Network section asks of whoever mounts it. */
export interface INetworkActions {
  /** The section's own state (facts, choice, probe). */
  network: NetworkModel;
  /** Reads the network for the panel's target (again with `force`). */
  checkNetwork(force?: boolean): Promise<void>;
  /** Copies an administrator's command. */
  copyCommand(text: string): void;
}

export interface INetworkSectionProps {
  model: PanelModel;
  actions: INetworkActions;
  trans: TranslationBundle;
}

const VERDICT_CLASS: Record<Verdict, string> = {
  reachable: 'jp-mod-reachable',
  blocked: 'jp-mod-blocked',
  unknown: 'jp-mod-unknown'
};

function verdictText(verdict: Verdict, trans: TranslationBundle): string {
  switch (verdict) {
    case 'reachable':
      return trans.__('reachable');
    case 'blocked':
      return trans.__('blocked');
    case 'unknown':
      return trans.__('unknown');
  }
}

export function NetworkSection(props: INetworkSectionProps): JSX.Element {
  // The badge follows the check too, so the whole section follows its model.
  return (
    <UseSignal signal={props.actions.network.stateChanged}>
      {() => <NetworkSectionView {...props} />}
    </UseSignal>
  );
}

function NetworkSectionView(props: INetworkSectionProps): JSX.Element {
  const { model, actions, trans } = props;
  const verdict = actions.network.verdict;
  return (
    <Section
      model={model}
      name="network"
      className="jp-EmrSchedule-network"
      summary={trans.__('Network')}
      badge={
        verdict
          ? {
              text: verdictText(verdict, trans),
              label: trans.__('Network: %1', verdictText(verdict, trans)),
              className: VERDICT_CLASS[verdict]
            }
          : null
      }
    >
      <NetworkBody {...props} />
    </Section>
  );
}

function CopyButton({
  text,
  actions,
  trans
}: {
  text: string;
  actions: INetworkActions;
  trans: TranslationBundle;
}): JSX.Element {
  return (
    <button
      type="button"
      className="jp-mod-styled jp-EmrSchedule-network-copy"
      aria-label={trans.__('Copy the command: %1', text)}
      title={trans.__('Copy')}
      onClick={() => actions.copyCommand(text)}
    >
      {trans.__('Copy')}
    </button>
  );
}

function Fixes({
  fixes,
  actions,
  trans
}: {
  fixes: string[];
  actions: INetworkActions;
  trans: TranslationBundle;
}): JSX.Element | null {
  if (!fixes.length) {
    return null;
  }
  return (
    <ul className="jp-EmrSchedule-network-fixes" aria-label={trans.__('Fix')}>
      {fixes.map(fix => (
        <li key={fix}>
          {isCommand(fix) ? (
            <>
              <code>{fix}</code>
              <CopyButton text={fix} actions={actions} trans={trans} />
            </>
          ) : (
            fix
          )}
        </li>
      ))}
    </ul>
  );
}

/** One path's line: its verdict in words and colour, its title and target, then what it says. */
function PathLine({
  line,
  trans,
  children
}: {
  line: Pick<INetworkLine, 'verdict' | 'path' | 'title' | 'target'>;
  trans: TranslationBundle;
  children: React.ReactNode;
}): JSX.Element {
  const verdict = verdictText(line.verdict, trans);
  return (
    <li
      className={`jp-EmrSchedule-network-line ${VERDICT_CLASS[line.verdict]}`}
      data-path={line.path}
      aria-label={trans.__('%1 (%2): %3', line.title, line.target, verdict)}
    >
      <div className="jp-EmrSchedule-network-head">
        <span className="jp-EmrSchedule-network-verdict">{verdict}</span>
        <span className="jp-EmrSchedule-network-title">{line.title}</span>
        <code className="jp-EmrSchedule-network-target">{line.target}</code>
      </div>
      {children}
    </li>
  );
}

function Line({
  line,
  actions,
  trans
}: {
  line: INetworkLine;
  actions: INetworkActions;
  trans: TranslationBundle;
}): JSX.Element {
  return (
    <PathLine line={line} trans={trans}>
      {line.reasons.map(r => (
        <p key={r} className="jp-EmrSchedule-network-reason">
          {r}
        </p>
      ))}
      <Fixes fixes={line.fixes} actions={actions} trans={trans} />
      {line.notChecked.map(n => (
        <p key={n} className="jp-EmrSchedule-muted">
          {trans.__('Not checked: %1', n)}
        </p>
      ))}
    </PathLine>
  );
}

function ProbeLine({
  line,
  trans
}: {
  line: IProbeLine;
  trans: TranslationBundle;
}): JSX.Element {
  return (
    <PathLine line={line} trans={trans}>
      <p className="jp-EmrSchedule-network-reason">{line.reason}</p>
      {line.fix && (
        <p className="jp-EmrSchedule-network-fix">
          <strong>{trans.__('Fix:')}</strong> {line.fix}
        </p>
      )}
    </PathLine>
  );
}

function ErrorBox({
  message,
  action,
  onRetry,
  trans
}: {
  message: string;
  action?: string;
  onRetry: () => void;
  trans: TranslationBundle;
}): JSX.Element {
  return (
    <div className="jp-EmrSchedule-message jp-mod-error" role="alert">
      <p>{message}</p>
      {action && (
        <p>
          {trans.__('Missing permission:')} <code>{action}</code>
        </p>
      )}
      <button type="button" className="jp-mod-styled" onClick={onRetry}>
        {trans.__('Try again')}
      </button>
    </div>
  );
}

function Progress({ text }: { text: string }): JSX.Element {
  return (
    <div className="jp-EmrSchedule-network-progress" role="status">
      <progress aria-label={text} />
      <span>{text}</span>
    </div>
  );
}

/** A multiple choice of ids, keyboard-operable (a native list box). */
function Picker({
  id,
  label,
  options,
  value,
  onChange
}: {
  id: string;
  label: string;
  options: { id: string; label: string }[];
  value: string[];
  onChange: (ids: string[]) => void;
}): JSX.Element {
  return (
    <div className="jp-EmrSchedule-field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        multiple
        size={Math.min(5, Math.max(2, options.length))}
        value={value}
        onChange={e =>
          onChange(Array.from(e.target.selectedOptions, o => o.value))
        }
      >
        {options.map(o => (
          <option key={o.id} value={o.id}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

function NetworkBody({
  model,
  actions,
  trans
}: INetworkSectionProps): JSX.Element {
  const network = actions.network;
  const target = model.state.target;
  const field = target === 'cluster' ? 'clusterId' : 'applicationId';
  // Only a complete id is checked: not each keystroke of one being typed.
  const id = model.errors[field] ? '' : model.state[field];
  React.useEffect(() => {
    if (id) {
      void actions.checkNetwork();
    }
  }, [target, id]);

  if (!id) {
    return (
      <p className="jp-EmrSchedule-muted">
        {target === 'cluster'
          ? trans.__('Pick a cluster to check the network a run takes.')
          : trans.__('Pick an application to check the network a run takes.')}
      </p>
    );
  }
  if (network.where === 'server') {
    return <ServerProbe model={model} actions={actions} trans={trans} />;
  }
  const report = network.report;
  const choices = network.choices;
  const retry = () => void actions.checkNetwork(true);
  return (
    <div className="jp-EmrSchedule-network-body">
      <p className="jp-EmrSchedule-muted">
        {network.where === 'sagemaker'
          ? trans.__(
              'Scheduled runs are SageMaker jobs: their subnets and security groups decide whether they reach the cluster.'
            )
          : trans.__(
              'No scheduler on this server says where runs go; checked as a SageMaker job in the domain’s network.'
            )}
      </p>
      {network.loading && (
        <Progress text={trans.__('Reading the network from AWS…')} />
      )}
      {network.error && (
        <ErrorBox
          message={network.error.message}
          action={network.error.action}
          onRetry={retry}
          trans={trans}
        />
      )}
      {report && (
        <>
          {report.summary && (
            <p className="jp-EmrSchedule-network-summary" role="note">
              {report.summary}
            </p>
          )}
          <p className="jp-EmrSchedule-network-job">
            {report.job.subnets.length || report.job.securityGroups.length
              ? trans.__(
                  'The job: subnets %1; security groups %2 (%3).',
                  report.job.subnets.join(', ') || '–',
                  report.job.securityGroups.join(', ') || '–',
                  report.job.source === 'request'
                    ? trans.__('your choice')
                    : report.job.source === 'domain'
                      ? trans.__('what SageMaker’s form preselects')
                      : trans.__('incomplete: SageMaker sends no VPC settings')
                )
              : trans.__('The job: no VPC settings.')}
          </p>
          <ul
            className="jp-EmrSchedule-network-lines"
            aria-label={trans.__('Paths a run takes')}
          >
            {report.lines.map(line => (
              <Line
                key={line.path}
                line={line}
                actions={actions}
                trans={trans}
              />
            ))}
          </ul>
          {report.proposals.length > 0 && (
            <div className="jp-EmrSchedule-network-proposals">
              <h4>{trans.__('Would pass')}</h4>
              <ul>
                {report.proposals.map(p => (
                  <li key={p.text}>
                    <span>{p.text}</span>
                    <button
                      type="button"
                      className="jp-mod-styled jp-mod-accept"
                      onClick={() => network.applyProposal(p)}
                    >
                      {trans.__('Use this')}
                    </button>
                  </li>
                ))}
              </ul>
            </div>
          )}
          {choices && choices.vpcId && (
            <fieldset className="jp-EmrSchedule-network-choice">
              <legend>
                {trans.__('The job’s network in %1', choices.vpcId)}
              </legend>
              <Picker
                id="jp-EmrSchedule-network-subnets"
                label={trans.__('Subnets')}
                options={choices.subnets.map(s => ({
                  id: s.id,
                  label: s.public ? trans.__('%1 – public', s.label) : s.label
                }))}
                value={report.job.subnets}
                onChange={ids => network.setSubnets(ids)}
              />
              <Picker
                id="jp-EmrSchedule-network-groups"
                label={trans.__('Security groups')}
                options={choices.securityGroups}
                value={report.job.securityGroups}
                onChange={ids => network.setSecurityGroups(ids)}
              />
              <button
                type="button"
                className="jp-mod-styled"
                disabled={
                  !network.selection.subnets &&
                  !network.selection.securityGroups
                }
                onClick={() => network.resetSelection()}
              >
                {trans.__('Use SageMaker’s defaults')}
              </button>
            </fieldset>
          )}
          <NotChecked items={report.notChecked} trans={trans} />
        </>
      )}
      {!network.loading && (
        <button type="button" className="jp-mod-styled" onClick={retry}>
          {trans.__('Check again')}
        </button>
      )}
    </div>
  );
}

function NotChecked({
  items,
  trans
}: {
  items: string[];
  trans: TranslationBundle;
}): JSX.Element | null {
  if (!items.length) {
    return null;
  }
  return (
    <div className="jp-EmrSchedule-network-notChecked">
      <h4>{trans.__('Not checked')}</h4>
      <ul>
        {items.map(n => (
          <li key={n}>{n}</li>
        ))}
      </ul>
    </div>
  );
}

function ServerProbe({
  model,
  actions,
  trans
}: INetworkSectionProps): JSX.Element {
  const network = actions.network;
  const probe = network.probe;
  const retry = () => void actions.checkNetwork(true);
  return (
    <div className="jp-EmrSchedule-network-body">
      <p className="jp-EmrSchedule-network-summary" role="note">
        {trans.__(
          'Scheduled runs of jupyter-scheduler run on this Jupyter server’s own machine: checked from there, with a TCP connect to the primary node.'
        )}
      </p>
      {model.state.target === 'serverless' ? (
        <p className="jp-EmrSchedule-muted">
          {trans.__(
            'An EMR Serverless run reaches only AWS’s endpoints; this server does not probe them.'
          )}
        </p>
      ) : (
        <>
          {network.probing && (
            <Progress
              text={trans.__(
                'Connecting to the primary node from this server…'
              )}
            />
          )}
          {network.probeError && (
            <ErrorBox
              message={network.probeError.message}
              action={network.probeError.action}
              onRetry={retry}
              trans={trans}
            />
          )}
          {probe && (
            <>
              <ul
                className="jp-EmrSchedule-network-lines"
                aria-label={trans.__('Connects from this server')}
              >
                {probeLines(probe).map(line => (
                  <ProbeLine key={line.path} line={line} trans={trans} />
                ))}
              </ul>
              <NotChecked items={probe.notChecked} trans={trans} />
            </>
          )}
          {!network.probing && (
            <button type="button" className="jp-mod-styled" onClick={retry}>
              {trans.__('Check again')}
            </button>
          )}
        </>
      )}
    </div>
  );
}
