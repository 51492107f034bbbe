/**
 * The panel's "Checks" section: what would fail when the notebook runs
 * unattended, each linked to its cell, with a fix where one is safe.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';
import type { IFinding } from '../core/checker';
import { Section } from './fields';
import type { PanelModel } from './model';

/** What the Checks section asks of whoever mounts it. */
export interface IChecksActions {
  /** Checks the active notebook again. */
  checkNotebook(): Promise<boolean>;
  /** Shows the finding's cell and line in the notebook. */
  goToFinding(finding: IFinding): Promise<void>;
  /** Applies the finding's fix (in the notebook or in the form). */
  applyFinding(finding: IFinding): Promise<boolean>;
}

export interface IChecksSectionProps {
  model: PanelModel;
  actions: IChecksActions;
  trans: TranslationBundle;
}

function FindingItem({
  finding,
  actions,
  trans
}: {
  finding: IFinding;
  actions: IChecksActions;
  trans: TranslationBundle;
}): JSX.Element {
  const where = trans.__(
    'Cell %1, line %2',
    finding.cell + 1,
    finding.line + 1
  );
  return (
    <li
      className={`jp-EmrSchedule-finding jp-mod-${finding.severity}`}
      data-rule={finding.rule}
    >
      <span className={`jp-EmrSchedule-severity jp-mod-${finding.severity}`}>
        {finding.severity === 'error'
          ? trans.__('Error')
          : finding.severity === 'warning'
            ? trans.__('Warning')
            : trans.__('Info')}
      </span>
      <span className="jp-EmrSchedule-findingMessage">{finding.message}</span>
      <span className="jp-EmrSchedule-findingActions">
        <button
          type="button"
          className="jp-mod-styled jp-EmrSchedule-link"
          title={trans.__('Go to the cell')}
          onClick={() => void actions.goToFinding(finding)}
        >
          {where}
        </button>
        {finding.fix && (
          <button
            type="button"
            className="jp-mod-styled jp-mod-accept jp-EmrSchedule-fix"
            onClick={() => void actions.applyFinding(finding)}
          >
            {finding.fix.label}
          </button>
        )}
      </span>
    </li>
  );
}

export function FindingsSection({
  model,
  actions,
  trans
}: IChecksSectionProps): JSX.Element {
  const errors = model.checks?.errorCount ?? 0;
  return (
    <Section
      model={model}
      name="checks"
      className="jp-EmrSchedule-checks"
      summary={trans.__('Checks')}
      badge={
        errors > 0
          ? { text: errors, label: trans.__('%1 errors', errors) }
          : null
      }
    >
      <FindingsBody model={model} actions={actions} trans={trans} />
    </Section>
  );
}

/** The open section: the summary line and the findings (built only when open). */
function FindingsBody({
  model,
  actions,
  trans
}: IChecksSectionProps): JSX.Element {
  const checks = model.checks;
  const findings = checks?.findings ?? [];
  const errors = checks?.errorCount ?? 0;
  const summary = !checks
    ? trans.__('Open a notebook to check it.')
    : findings.length === 0
      ? trans.__('No problems found for an unattended run.')
      : trans.__(
          '%1 errors, %2 other findings',
          errors,
          findings.length - errors
        );
  return (
    <>
      <div className="jp-EmrSchedule-checksHeader">
        <span role="status">{summary}</span>
        <button
          type="button"
          className="jp-mod-styled"
          disabled={!checks}
          onClick={() => void actions.checkNotebook()}
        >
          {trans.__('Check again')}
        </button>
      </div>
      {findings.length > 0 && (
        <ul
          className="jp-EmrSchedule-findings"
          aria-label={trans.__('Findings')}
        >
          {findings.map(f => (
            <FindingItem
              key={`${f.rule}:${f.cell}:${f.line}`}
              finding={f}
              actions={actions}
              trans={trans}
            />
          ))}
        </ul>
      )}
    </>
  );
}
