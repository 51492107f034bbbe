/**
 * Rules for `%sm_analytics` commands, read with the magic's grammar
 * (`grammar.ts`): each command's own defects here and in the files named
 * below, then the service's connect rules.
 *
 * Surface defects (a typographic dash, `--secrets`, `--auth`) are reported
 * once, and the dependent checks (required options, `--secret` for Kerberos
 * and Basic_Access, `--language`) run on what the user evidently meant, so
 * one typo does not cascade into several findings.
 */
import type { KernelFamily } from '../kernel';
import { checkClusterConnect } from './clusterConnect';
import {
  ICommand,
  IMagicReading,
  isMagicService,
  OPERATIONS,
  readMagics,
  referencedNames
} from './grammar';
import { checkOptionSpelling, display } from './optionSpelling';
import { RULES } from './rules';
import { checkServerlessConnect } from './serverlessConnect';
import { checkTypography } from './typography';
import { editFix, ILocalFinding, localFinding, replaceLines } from './text';

/**
 * Commands checked per cell. A real cell has one or two; the cap keeps a
 * pathological cell (thousands of magics, each fix a copy of the cell)
 * from costing quadratic time and memory.
 */
const MAX_MAGICS_PER_CELL = 16;

/** What the notebook-level rules need to know about one connect line. */
export interface IConnectFacts {
  line: number;
  /** The command is `emr connect` or `emr-serverless connect`. */
  isConnect: boolean;
  /** An `{...}` expression in the line uses `os`. */
  usesOs: boolean;
  /** Names the line's `{...}` and `$name` expansions read, by option. */
  refs: { option: string; names: string[] }[];
}

export interface IMagicResult {
  findings: ILocalFinding[];
  connects: IConnectFacts[];
}

/** Checks every `%sm_analytics` command in a cell, given as its lines. */
export function checkMagics(
  lines: readonly string[],
  family: KernelFamily
): IMagicResult {
  const findings: ILocalFinding[] = [];
  const connects = readMagics(lines, MAX_MAGICS_PER_CELL).map(
    ({ command, reading }) =>
      checkCommand(lines, command, reading, family, findings)
  );
  return { findings, connects };
}

/** The connect rules of each service. */
const CONNECT_RULES = {
  emr: checkClusterConnect,
  'emr-serverless': checkServerlessConnect
} as const;

function checkCommand(
  lines: readonly string[],
  command: ICommand,
  reading: IMagicReading,
  family: KernelFamily,
  findings: ILocalFinding[]
): IConnectFacts {
  const at = command.start;
  if (command.broken) {
    checkMultiline(lines, command, findings);
  }
  checkOptionSpelling(lines, reading, findings);

  // SparkMagic kernels never read the value of --language, so a stray
  // character inside it is harmless (next to the option name it is not).
  const language = reading.options.get('language')?.value;
  checkTypography(
    lines,
    command,
    family === 'sparkmagic' && language ? [language] : [],
    findings
  );
  checkCommandWords(reading, at, findings);

  const refs: IConnectFacts['refs'] = [];
  let usesOs = false;
  for (const token of command.tokens) {
    const names = referencedNames(token.text);
    if (names.length) {
      const use = [...reading.options.values()].find(o => o.value === token);
      refs.push({ option: use ? use.name : '', names });
      usesOs = usesOs || names.includes('os');
    }
  }

  if (reading.connect) {
    CONNECT_RULES[reading.connect]({
      lines,
      command,
      options: reading.options,
      family,
      hasUnresolved: reading.unresolved > 0,
      findings
    });
  }
  return { line: at, isConnect: reading.connect !== null, usesOs, refs };
}

/** Lines continued without `\`: Python stops the whole cell. */
function checkMultiline(
  lines: readonly string[],
  command: ICommand,
  findings: ILocalFinding[]
): void {
  const joined = command.parts
    .map((part, k) => {
      const text = lines[part.line].slice(0, part.to);
      return k === 0 ? text.trimEnd() : text.trim();
    })
    .filter(text => text !== '')
    .join(' ');
  findings.push(
    localFinding(
      RULES.multilineMagic,
      command.start,
      'This %sm_analytics magic continues on the next lines without a "\\" at the end of ' +
        'each line, so Python stops the whole cell with a SyntaxError and the job fails before ' +
        'it connects. Write the magic on one line.',
      editFix(
        replaceLines(lines, command.start, command.end, [joined]),
        'Join the magic into one line'
      )
    )
  );
}

/** The service and operation words, and plain words that belong nowhere. */
function checkCommandWords(
  reading: IMagicReading,
  at: number,
  findings: ILocalFinding[]
): void {
  const { words, extras } = reading;
  const [service, operation] = words.map(t => t.text.toLowerCase());
  const stray = [...words.slice(2), ...extras];
  let problem = '';
  if (stray.length) {
    problem =
      `${stray.map(display).join(', ')} ${stray.length > 1 ? 'are' : 'is'} not the value of ` +
      'an option: the magic reads it as an extra word and stops, so the job fails. Put it ' +
      'after its option (for example --cluster-id) or remove it.';
  } else if (words.length !== 2) {
    problem =
      'The magic needs two words before its options, "emr connect"; without them it stops ' +
      'with "Please provide service name and operation" and the job fails.';
  } else if (!isMagicService(service) || !OPERATIONS.includes(operation)) {
    problem =
      `The magic knows "emr connect" (and "emr help"), not "${words[0].text} ${words[1].text}": ` +
      'it stops with "not found" and the job fails. Write emr connect.';
  }
  if (problem) {
    findings.push(
      localFinding(
        RULES.commandWords,
        stray.length ? stray[0].line : at,
        problem
      )
    );
  }
}
