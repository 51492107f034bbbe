/**
 * The per-cell scan: everything that depends on one cell's text and the
 * kernel family only, so it can be cached by source text.
 *
 * Most cells of a real notebook are plain Spark or pandas code that no rule
 * concerns; a few `includes` tests let them through without splitting lines
 * or running a regular expression.
 */
import type { KernelFamily } from '../kernel';
import { checkMagics, IConnectFacts } from './magic';
import { checkPasswords, mayHoldPassword } from './passwords';
import { RULES } from './rules';
import { checkSparkCode } from './spark';
import { compareLocal, editFix, ILocalFinding, localFinding } from './text';

export interface ICellFacts {
  /** The kernel runs the cell's Python in the local IPython. */
  local: boolean;
  /** First line of an `import os` that binds the name `os`, or -1. */
  osImportLine: number;
  /** First line that imports or reads `os` (getenv, environ), or -1. */
  osUseLine: number;
  /** Nothing but local work: os imports and reads, line magics, comments. */
  localOnly: boolean;
  connects: readonly IConnectFacts[];
}

export interface ICellScan {
  findings: readonly ILocalFinding[];
  facts: ICellFacts;
  /** The notebook-level rules need to look at this cell. */
  relevant: boolean;
}

const NO_FACTS: ICellFacts = {
  local: true,
  osImportLine: -1,
  osUseLine: -1,
  localOnly: true,
  connects: []
};
export const EMPTY_SCAN: ICellScan = Object.freeze({
  findings: Object.freeze([]) as readonly ILocalFinding[],
  facts: Object.freeze(NO_FACTS),
  relevant: false
});

const OS_IMPORT =
  /^\s*import\s+(?:[\w.]+(?:\s+as\s+\w+)?\s*,\s*)*os(?:\.[\w.]+)?\s*(?:,|#|;|$)/;
const OS_USE = /\bos\.(?:getenv|environ)\b|^\s*(?:import|from)\s+os\b/;
const LOCAL_LINE =
  /^\s*(?:$|#|%(?!%)|import\s+os(?:\.path)?\s*(?:#.*)?$|from\s+os(?:\.path)?\s+import\s|[A-Za-z_]\w*\s*=\s*os\.(?:getenv|environ)\b|os\.environ\b)/;

/**
 * Whether the kernel runs a cell in the local IPython. SparkMagic's own
 * rule (its UserCodeParser): a cell that starts with `%%local` runs its body
 * locally, one that starts with a line magic runs locally as a whole, and
 * anything else is sent to the Spark session.
 */
export function runsLocally(text: string, family: KernelFamily): boolean {
  if (family === 'ipython') {
    return true;
  }
  return (
    text.startsWith('%%local') ||
    text.startsWith('%local') ||
    (text.startsWith('%') && !text.startsWith('%%'))
  );
}

/** Only the kind of lines a `%%local` cell holds before a connect line. */
export function isLocalOnly(lines: readonly string[]): boolean {
  return lines.every(line => LOCAL_LINE.test(line));
}

export function scanCell(text: string, family: KernelFamily): ICellScan {
  if (!text) {
    return EMPTY_SCAN;
  }
  const hasMagic = text.includes('%sm_analytics');
  const hasOs = text.includes('os') && /\bos\b/.test(text);
  const hasSpark =
    text.includes('AKIA') ||
    text.includes('ASIA') ||
    text.includes('fs.s3') ||
    text.includes('redshift') ||
    (text.includes('@') && text.includes('s3'));
  const hasPassword = mayHoldPassword(text);
  if (!hasMagic && !hasOs && !hasSpark && !hasPassword) {
    return EMPTY_SCAN;
  }
  const lines = text.split('\n');
  const local = runsLocally(text, family);
  let findings: ILocalFinding[] = [];
  let connects: IConnectFacts[] = [];
  if (hasMagic) {
    const magic = checkMagics(lines, family);
    findings = magic.findings;
    connects = magic.connects;
  }
  let osImportLine = -1;
  let osUseLine = -1;
  if (hasOs) {
    for (let i = 0; i < lines.length && osImportLine < 0; i++) {
      const line = lines[i];
      if (!line.includes('os')) {
        continue;
      }
      if (OS_IMPORT.test(line)) {
        osImportLine = i;
      }
      if (osUseLine < 0 && (osImportLine === i || OS_USE.test(line))) {
        osUseLine = i;
      }
    }
  }
  const localOnly = (hasMagic || hasOs) && isLocalOnly(lines);
  if (hasMagic && !local && connects.length) {
    findings.push(
      localFinding(
        RULES.sparkmagicRemoteMagic,
        connects[0].line,
        'In a SparkMagic kernel a cell that does not start with "%" is sent to the Spark ' +
          'session, where %sm_analytics does not exist, so the job fails. Start the cell with ' +
          '%%local (or make the magic its first line).',
        localOnly
          ? editFix(`%%local\n${text}`, 'Run the cell locally (%%local)')
          : undefined
      )
    );
  }
  if (hasSpark) {
    findings.push(...checkSparkCode(text, lines));
  }
  if (hasPassword) {
    // A Redshift password has its own rule and message.
    const reported = new Set(
      findings
        .filter(f => f.rule === RULES.redshiftJdbcPassword.id)
        .map(f => f.line)
    );
    findings.push(...checkPasswords(lines, reported));
  }
  findings.sort(compareLocal);
  return {
    findings,
    facts: { local, osImportLine, osUseLine, localOnly, connects },
    relevant: connects.length > 0 || osUseLine >= 0
  };
}
