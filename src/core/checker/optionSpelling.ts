/**
 * Options the magic's parser refuses as written: a typographic dash, one or
 * three hyphens, `--secrets`, a misspelt or ambiguous name, an abbreviation
 * that works only until the magic gains an option, a missing value.
 */
import {
  IMagicReading,
  IOptionToken,
  IToken,
  UNICODE_DASH_CHAR
} from './grammar';
import type { IRuleInfo } from './rules';
import { RULES } from './rules';
import { ILineEdit, ILocalFinding, lineEditFix, localFinding } from './text';

export function display(token: IToken): string {
  return `"${token.text}"`;
}

/** The edit that puts plain `--` where the token's dashes are. */
function dashEdit(use: IOptionToken): ILineEdit {
  return {
    line: use.token.line,
    start: use.token.start,
    end: use.nameStart,
    text: '--'
  };
}

export function checkOptionSpelling(
  lines: readonly string[],
  reading: IMagicReading,
  findings: ILocalFinding[]
): void {
  const dashed: IOptionToken[] = [];
  for (const use of reading.optionTokens) {
    const { token, name, resolution } = use;
    /** A finding whose fix writes the option's real name. */
    const rename = (rule: IRuleInfo, real: string, message: string) =>
      findings.push(
        localFinding(
          rule,
          token.line,
          message,
          lineEditFix(
            lines,
            [
              {
                line: token.line,
                start: use.nameStart,
                end: use.nameStart + name.length,
                text: real
              }
            ],
            `Use --${real}`
          )
        )
      );

    if (UNICODE_DASH_CHAR.test(use.dashRun)) {
      dashed.push(use);
    } else if (use.dashRun !== '--' && resolution.kind !== 'unknown') {
      findings.push(
        localFinding(
          RULES.unknownOption,
          token.line,
          `${display(token)} needs exactly two hyphens: the magic does not recognise it and stops, ` +
            `so the job fails. Write --${name}.`,
          lineEditFix(lines, [dashEdit(use)], 'Use "--"')
        )
      );
    }

    switch (resolution.kind) {
      case 'secrets':
        rename(
          RULES.secretsFlag,
          resolution.name,
          'The magic has no --secrets option (its name is --secret): it stops with ' +
            '"unrecognized arguments" and the job fails. Write --secret.'
        );
        break;
      case 'abbrev':
        rename(
          resolution.name === 'auth-type'
            ? RULES.authAbbrev
            : RULES.optionAbbrev,
          resolution.name,
          `--${name} works only as an abbreviation of --${resolution.name}; it breaks as soon as ` +
            `the magic gains another option starting with "--${name}". Write --${resolution.name}.`
        );
        break;
      case 'typo':
        rename(
          RULES.unknownOption,
          resolution.name,
          `The magic has no option --${name}: it stops with "unrecognized arguments" and the job ` +
            `fails. Write --${resolution.name}.`
        );
        break;
      case 'ambiguous':
        findings.push(
          localFinding(
            RULES.unknownOption,
            token.line,
            `--${name} could mean ${resolution.candidates.map(c => `--${c}`).join(' or ')}: the ` +
              'magic stops with "ambiguous option" and the job fails. Write the option in full.'
          )
        );
        break;
      case 'unknown':
        findings.push(
          localFinding(
            RULES.unknownOption,
            token.line,
            `The magic has no option ${display(token)}: it stops with "unrecognized arguments" and ` +
              'the job fails. Remove it or use one of --cluster-id, --auth-type, --secret, ' +
              '--language, --verify-certificate, --assumable-role-arn, --emr-execution-role-arn.'
          )
        );
        break;
      case 'exact':
        break;
    }
    if (resolution.kind === 'ambiguous' || resolution.kind === 'unknown') {
      continue;
    }
    if (use.valueProblem === 'empty') {
      findings.push(
        localFinding(
          RULES.optionValueMissing,
          token.line,
          `--${resolution.name}= gives the option an empty value, so the job fails. Give the ` +
            'value after the "=".'
        )
      );
    } else if (use.valueProblem === 'missing') {
      findings.push(
        localFinding(
          RULES.optionValueMissing,
          token.line,
          `--${resolution.name} has no value after it: the magic stops with "expected one ` +
            'argument" and the job fails. Give the value after the option.'
        )
      );
    }
  }

  if (dashed.length) {
    const tokens = dashed.map(use => use.token);
    findings.push(
      localFinding(
        RULES.unicodeDash,
        tokens[0].line,
        `${tokens.map(display).join(', ')} ${tokens.length > 1 ? 'start' : 'starts'} with a ` +
          'typographic dash (often pasted from a web page) instead of two hyphens: the magic reads ' +
          'it as a plain word, does not see the option and stops, so the job fails. Type "--".',
        lineEditFix(lines, dashed.map(dashEdit), 'Replace the dash with "--"')
      )
    );
  }
}
