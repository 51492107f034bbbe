/**
 * Applying fixes. Both functions are pure: they return a new notebook and
 * leave the one they are given, and its cells, untouched.
 */
import { createIncrementalChecker } from './engine';
import { ruleInfo } from './rules';
import { sourceLike } from './text';
import type { IEditFix, IFinding, IFix, INotebookLike } from './types';

/**
 * Rules whose fixes change what other cells' rules see (where os is
 * imported, which names the local kernel has).
 */
const NOTEBOOK_LEVEL = new Set([
  'sparkmagic-local-python',
  'os-not-imported',
  'sparkmagic-remote-name'
]);

/** Upper bounds, whatever happens: rounds, and fixes of one rule in one cell. */
const MAX_ROUNDS = 256;
const MAX_PER_RULE_AND_CELL = 64;

/**
 * The notebook with one fix applied. An `edit` fix replaces the source of
 * the cell it names (keeping the source's string or list form); `env-form`
 * and `secret` fixes are carried out by the panel, so the notebook is
 * unchanged.
 */
export function applyFix(nb: INotebookLike, fix: IFix): INotebookLike {
  const cells = Array.isArray(nb?.cells) ? nb.cells : [];
  const copy: INotebookLike = { ...nb, cells: cells.slice() };
  if (!fix || fix.kind !== 'edit' || typeof fix.source !== 'string') {
    return copy;
  }
  const index = fix.cell;
  const cell = Number.isInteger(index) ? cells[index] : undefined;
  if (!cell || typeof cell !== 'object') {
    return copy;
  }
  copy.cells[index] = { ...cell, source: sourceLike(cell.source, fix.source) };
  return copy;
}

function isSafeEdit(
  finding: IFinding
): finding is IFinding & { fix: IEditFix } {
  return finding.fix?.kind === 'edit' && !!ruleInfo(finding.rule)?.safeFix;
}

/**
 * Applies every safe edit fix until none is left, re-checking after each
 * round. A round applies the first safe fix of each cell; fixes that move
 * where `os` is imported change other cells' findings, so they go one at a
 * time. A fix never repeats an earlier result and the rounds are bounded,
 * so this always ends.
 */
export function applyAllFixes(nb: INotebookLike): INotebookLike {
  const checker = createIncrementalChecker();
  const produced = new Set<string>();
  const applied = new Map<string, number>();
  let current: INotebookLike = {
    ...nb,
    cells: Array.isArray(nb?.cells) ? nb.cells.slice() : []
  };
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const perCell = new Map<number, IFinding & { fix: IEditFix }>();
    let notebookLevel: (IFinding & { fix: IEditFix }) | null = null;
    for (const finding of checker.check(current)) {
      if (!isSafeEdit(finding) || perCell.has(finding.cell)) {
        continue;
      }
      if (
        produced.has(`${finding.cell}\u0000${finding.fix.source}`) ||
        (applied.get(`${finding.cell}\u0000${finding.rule}`) ?? 0) >=
          MAX_PER_RULE_AND_CELL
      ) {
        continue;
      }
      if (NOTEBOOK_LEVEL.has(finding.rule)) {
        notebookLevel ??= finding;
      } else {
        perCell.set(finding.cell, finding);
      }
    }
    const chosen = perCell.size
      ? [...perCell.values()]
      : notebookLevel
        ? [notebookLevel]
        : [];
    if (!chosen.length) {
      break;
    }
    for (const { rule, fix } of chosen) {
      const ruleKey = `${fix.cell}\u0000${rule}`;
      applied.set(ruleKey, (applied.get(ruleKey) ?? 0) + 1);
      produced.add(`${fix.cell}\u0000${fix.source}`);
      current = applyFix(current, fix);
    }
  }
  return current;
}
