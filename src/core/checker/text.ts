/**
 * Text helpers for cell sources, and the cell-relative form of findings
 * that a per-cell scan produces (the notebook index is added later, so a
 * scan can be cached by source text and reused wherever the cell moves).
 */
import type { IRuleInfo } from './rules';
import type { IEnvFormValues, IFinding, Severity } from './types';

/** A cell source as one string; anything malformed reads as empty. */
export function sourceText(source: unknown): string {
  if (typeof source === 'string') {
    return source;
  }
  if (Array.isArray(source)) {
    let text = '';
    for (const part of source) {
      if (typeof part === 'string') {
        text += part;
      }
    }
    return text;
  }
  return '';
}

/** Writes a new source in the representation the cell already uses. */
export function sourceLike(original: unknown, text: string): string | string[] {
  if (!Array.isArray(original)) {
    return text;
  }
  // nbformat's list form: every line keeps its newline.
  return text.split(/(?<=\n)/).filter(part => part !== '');
}

/** A finding without its cell index; the fix is the new cell source. */
export interface ILocalFinding {
  rule: string;
  severity: Severity;
  line: number;
  message: string;
  fix?: ILocalFix;
}

export type ILocalFix =
  | { kind: 'edit'; source: string; label: string }
  | { kind: 'env-form'; label: string; values: IEnvFormValues }
  | { kind: 'secret'; label: string; authType?: string };

export function localFinding(
  rule: IRuleInfo,
  line: number,
  message: string,
  fix?: ILocalFix,
  severity: Severity = rule.severity
): ILocalFinding {
  return fix
    ? { rule: rule.id, severity, line, message, fix }
    : { rule: rule.id, severity, line, message };
}

export function editFix(source: string, label: string): ILocalFix {
  return { kind: 'edit', source, label };
}

/** Adds the cell index to a cell-relative finding. */
export function materialize(local: ILocalFinding, cell: number): IFinding {
  const finding: IFinding = {
    rule: local.rule,
    severity: local.severity,
    cell,
    line: local.line,
    message: local.message
  };
  const fix = local.fix;
  if (fix?.kind === 'edit') {
    finding.fix = { kind: 'edit', cell, source: fix.source, label: fix.label };
  } else if (fix?.kind === 'env-form') {
    finding.fix = {
      kind: 'env-form',
      label: fix.label,
      values: { ...fix.values }
    };
  } else if (fix) {
    finding.fix = { ...fix };
  }
  return finding;
}

/** Findings of one cell in a stable order: line, then rule id. */
export function compareLocal(a: ILocalFinding, b: ILocalFinding): number {
  return a.line - b.line || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0);
}

/** A replacement of `[start, end)` on one line of a cell. */
export interface ILineEdit {
  line: number;
  start: number;
  end: number;
  text: string;
}

/** Applies non-overlapping edits to the lines and joins them again. */
export function applyLineEdits(
  lines: readonly string[],
  edits: readonly ILineEdit[]
): string {
  const out = lines.slice();
  const sorted = edits
    .slice()
    .sort((a, b) => b.line - a.line || b.start - a.start);
  for (const edit of sorted) {
    const line = out[edit.line];
    out[edit.line] =
      line.slice(0, edit.start) + edit.text + line.slice(edit.end);
  }
  return out.join('\n');
}

/** A fix that applies the edits to the cell's lines. */
export function lineEditFix(
  lines: readonly string[],
  edits: readonly ILineEdit[],
  label: string
): ILocalFix {
  return editFix(applyLineEdits(lines, edits), label);
}

/** Replaces lines `[from, to]` (inclusive) with `replacement` lines. */
export function replaceLines(
  lines: readonly string[],
  from: number,
  to: number,
  replacement: readonly string[]
): string {
  return [...lines.slice(0, from), ...replacement, ...lines.slice(to + 1)].join(
    '\n'
  );
}

/**
 * The cell with `added` lines put before line `at`, indented like it. A
 * SparkMagic cell stays local only while it starts with "%", so when `at`
 * is its first line (`sparkmagic`) the lines go into a `%%local` start.
 */
export function insertBefore(
  lines: readonly string[],
  at: number,
  added: readonly string[],
  sparkmagic: boolean
): string {
  const indented = added.map(line => `${indentOf(lines[at])}${line}`);
  return sparkmagic && at === 0
    ? ['%%local', ...indented, ...lines].join('\n')
    : replaceLines(lines, at, at, [...indented, lines[at]]);
}

/** Leading whitespace of a line. */
export function indentOf(line: string): string {
  return /^[ \t]*/.exec(line)![0];
}

/** `'x'` or `"x"` → `x`; anything else unchanged. */
export function unquote(value: string): string {
  if (
    value.length >= 2 &&
    (value[0] === '"' || value[0] === "'") &&
    value[value.length - 1] === value[0]
  ) {
    return value.slice(1, -1);
  }
  return value;
}
