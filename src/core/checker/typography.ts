/**
 * Curly quotes and non-ASCII spaces in a `%sm_analytics` command, usually
 * pasted from a web page: Python and the magic understand only plain ones.
 */
import type { ICommand, IToken } from './grammar';
import { RULES } from './rules';
import { ILineEdit, ILocalFinding, lineEditFix, localFinding } from './text';

/** Curly quotes and non-ASCII spaces, with what the magic needs instead. */
const TYPOGRAPHIC: Readonly<Record<string, string>> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201A': "'",
  '\u201B': "'",
  '\u2032': "'",
  '\u201C': '"',
  '\u201D': '"',
  '\u201E': '"',
  '\u201F': '"',
  '\u2033': '"',
  '\u00A0': ' ',
  '\u2007': ' ',
  '\u202F': ' ',
  '\u2009': ' ',
  '\u200A': ' ',
  '\u2002': ' ',
  '\u2003': ' ',
  '\u3000': ' '
};
const TYPOGRAPHIC_RE =
  /[\u2018\u2019\u201A\u201B\u2032\u201C-\u201F\u2033\u00A0\u2007\u202F\u2009\u200A\u2002\u2003\u3000]/g;

export function checkTypography(
  lines: readonly string[],
  command: ICommand,
  ignored: readonly IToken[],
  findings: ILocalFinding[]
): void {
  const edits: ILineEdit[] = [];
  const seen = new Set<string>();
  let harmless = true;
  for (const part of command.parts) {
    const text = lines[part.line];
    TYPOGRAPHIC_RE.lastIndex = 0;
    for (let m = TYPOGRAPHIC_RE.exec(text); m; m = TYPOGRAPHIC_RE.exec(text)) {
      const at = m.index;
      if (at < part.from || at >= part.to) {
        continue;
      }
      seen.add(m[0]);
      edits.push({
        line: part.line,
        start: at,
        end: at + 1,
        text: TYPOGRAPHIC[m[0]]
      });
      // The tokens the character is in or glues to (the magic does not split there).
      const touched = command.tokens.filter(
        t => t.line === part.line && t.start <= at + 1 && at <= t.end
      );
      harmless =
        harmless &&
        touched.length > 0 &&
        touched.every(t => ignored.includes(t));
    }
  }
  if (!edits.length) {
    return;
  }
  const quotes = [...seen].filter(ch => TYPOGRAPHIC[ch] !== ' ');
  const spaces = [...seen].filter(ch => TYPOGRAPHIC[ch] === ' ');
  const names = [
    quotes.length ? `curly quotes (${quotes.join(' ')})` : '',
    spaces.length
      ? `non-breaking spaces (${spaces.map(ch => `U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`).join(', ')})`
      : ''
  ]
    .filter(Boolean)
    .join(' and ');
  findings.push(
    localFinding(
      RULES.typographicCharacter,
      edits[0].line,
      `This %sm_analytics line contains ${names}, usually pasted from a web page. ` +
        (harmless
          ? 'The characters only touch the value of --language, which SparkMagic kernels ignore, ' +
            'but use plain characters.'
          : 'Python and the magic only understand plain quotes and spaces, so the expansion or ' +
            'the option is lost and the job fails. Use plain characters.'),
      lineEditFix(lines, edits, 'Use plain quotes and spaces'),
      harmless ? 'warning' : 'error'
    )
  );
}
