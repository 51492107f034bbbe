/**
 * The scheduling readiness checker: what in a notebook would fail when it
 * runs unattended as a scheduled job, with fixes where they are mechanical.
 *
 * Pure (no JupyterLab import). `checkNotebook` checks a whole notebook;
 * `notebookContext` + `checkCell` check one cell; `createIncrementalChecker`
 * re-checks a notebook after edits, re-scanning only the cells that changed.
 * Findings are shared with the checker's cache: treat them as read-only.
 */
export type {
  ICellLike,
  IEditFix,
  IEnvFormFix,
  IFinding,
  IFix,
  IKernelSpecLike,
  INameBindings,
  INotebookContext,
  INotebookLike,
  IPosition,
  IRemoteAssignment,
  ISecretFix,
  Severity
} from './checker/types';
export { RULES, RULE_LIST, ruleInfo } from './checker/rules';
export type { IRuleInfo, RuleCategory } from './checker/rules';
export {
  checkCell,
  checkNotebook,
  createIncrementalChecker,
  familyOf,
  notebookContext
} from './checker/engine';
export type { IIncrementalChecker } from './checker/engine';
export { applyAllFixes, applyFix } from './checker/fixes';
export { mapAuthType } from './checker/authValue';
