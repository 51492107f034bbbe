/**
 * Rules for `%sm_analytics` lines, read the way the real magic reads them.
 *
 * IPython first expands `{expr}` and `$name` in the line (leaving the whole
 * line untouched if any of them fails), then the magic splits it on ASCII
 * whitespace without removing quotes and hands it to argparse: options are
 * case-sensitive, unique prefixes are accepted as abbreviations, anything
 * else is "unrecognized". A line that continues on the next line needs a
 * trailing `\`; an indented `--option` line without it is a SyntaxError.
 *
 * Surface defects (a typographic dash, `--secrets`, `--auth`) are reported
 * once, and the dependent checks (required options, `--secret` for Kerberos
 * and Basic_Access, `--language`) run on what the user evidently meant, so
 * one typo does not cascade into several findings.
 */
import { panelAuthFromDetected } from '../auth';
import type { KernelFamily } from '../kernel';
import { RULES } from './rules';
import type { IEnvFormValues } from './types';
import {
  applyLineEdits,
  editFix,
  ILineEdit,
  ILocalFinding,
  localFinding,
  replaceLines,
  unquote
} from './text';

/** A line that starts the magic (IPython allows indentation at cell start). */
export const MAGIC_LINE = /^\s*%sm_analytics(?=\s|$)/;

/** Hyphen-like characters that get pasted where `-` belongs. */
const DASH_CLASS = '\\-\\u2010-\\u2015\\u2212\\uFE58\\uFE63\\uFF0D';
const OPTION_START = new RegExp(`^[${DASH_CLASS}]+(?=[A-Za-z])`);
const UNICODE_DASH_CHAR = /[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/;
const CONTINUATION_START = new RegExp(`^\\s*[${DASH_CLASS}]`);

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

/**
 * Commands checked per cell. A real cell has one or two; the cap keeps a
 * pathological cell (thousands of magics, each fix a copy of the cell)
 * from costing quadratic time and memory.
 */
const MAX_MAGICS_PER_CELL = 16;

/** The magic's options (argparse names without the leading `--`). */
const OPTIONS = [
  'auth-type',
  'application-id',
  'cluster-id',
  'language',
  'assumable-role-arn',
  'emr-execution-role-arn',
  'secret',
  'verify-certificate',
  'override-krb5-conf',
  'no-override-krb5-conf'
] as const;
type OptionName = (typeof OPTIONS)[number];
const FLAGS: ReadonlySet<string> = new Set([
  'override-krb5-conf',
  'no-override-krb5-conf'
]);
const SERVICES = ['emr', 'emr-serverless'];
const OPERATIONS = ['connect', 'help'];

const AUTH_VALUES = ['None', 'Kerberos', 'Basic_Access'] as const;
type MagicAuth = (typeof AUTH_VALUES)[number];
const LANGUAGES = ['python', 'scala'];
const CLUSTER_ID = /^j-[A-Z0-9]{1,64}$/;

/** `{os.getenv('NAME')}` or `{os.getenv('NAME', 'fallback')}` (or environ.get). */
const GETENV =
  /^\{\s*os\.(?:getenv|environ\.get)\(\s*(['"])([^'"]*)\1\s*(?:,\s*(['"])([^'"]*)\3\s*)?\)\s*\}$/;

interface IToken {
  text: string;
  line: number;
  start: number;
  end: number;
}

interface IOptionUse {
  name: OptionName;
  token: IToken;
  value: IToken | null;
}

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

function isSpace(ch: string): boolean {
  return /\s/.test(ch);
}

/** Splits `line[from, to)` the way the magic will see it after expansion. */
function tokenize(
  text: string,
  line: number,
  from: number,
  to: number,
  out: IToken[]
): void {
  let i = from;
  while (i < to) {
    if (isSpace(text[i])) {
      i++;
      continue;
    }
    const start = i;
    let depth = 0;
    let quote = '';
    while (i < to) {
      const ch = text[i];
      if (quote) {
        if (ch === quote) {
          quote = '';
        }
      } else if (ch === '{') {
        depth++;
      } else if (ch === '}') {
        depth = Math.max(0, depth - 1);
      } else if ((ch === "'" || ch === '"') && (depth > 0 || i === start)) {
        quote = ch;
      } else if (depth === 0 && isSpace(ch)) {
        break;
      }
      i++;
    }
    if (depth > 0 || quote) {
      // Unclosed: IPython leaves the line as it is and it splits on spaces.
      i = start;
      while (i < to && !isSpace(text[i])) {
        i++;
      }
    }
    out.push({ text: text.slice(start, i), line, start, end: i });
  }
}

/** Names read by IPython's expansion of `{expr}` and `$name` in a token. */
function referencedNames(token: string): string[] {
  if (!token.includes('{') && !token.includes('$')) {
    return [];
  }
  const names: string[] = [];
  const braces = /\{([^{}]*)\}/g;
  for (let m = braces.exec(token); m; m = braces.exec(token)) {
    const code = m[1].replace(/'[^']*'|"[^"]*"/g, '""');
    const ident = /(^|[^.\w])([A-Za-z_]\w*)/g;
    for (let n = ident.exec(code); n; n = ident.exec(code)) {
      names.push(n[2]);
    }
  }
  const dollar = /\$([A-Za-z_]\w*)/g;
  for (let m = dollar.exec(token); m; m = dollar.exec(token)) {
    names.push(m[1]);
  }
  return names;
}

function isExpression(value: string): boolean {
  return value.includes('{') || /\$[A-Za-z_]/.test(value);
}

type Resolution =
  | { kind: 'exact' | 'secrets' | 'abbrev' | 'typo'; name: OptionName }
  | { kind: 'ambiguous'; candidates: OptionName[] }
  | { kind: 'unknown' };

function resolveOption(name: string): Resolution {
  const exact = OPTIONS.find(o => o === name);
  if (exact) {
    return { kind: 'exact', name: exact };
  }
  if (name === 'secrets') {
    return { kind: 'secrets', name: 'secret' };
  }
  const prefixed = OPTIONS.filter(o => o.startsWith(name));
  if (prefixed.length === 1) {
    return { kind: 'abbrev', name: prefixed[0] };
  }
  if (prefixed.length > 1) {
    return { kind: 'ambiguous', candidates: prefixed };
  }
  const normal = name.toLowerCase().replace(/_/g, '-');
  const typo =
    OPTIONS.find(o => o === normal) ??
    OPTIONS.find(o => o.replace(/-/g, '') === normal.replace(/-/g, ''));
  return typo ? { kind: 'typo', name: typo } : { kind: 'unknown' };
}

/** The obvious `--auth-type` for what people write; null if not obvious. */
export function mapAuthType(value: string): MagicAuth | null {
  const key = unquote(value.trim())
    .toLowerCase()
    .replace(/[\s_-]+/g, '');
  switch (key) {
    case 'none':
      return 'None';
    case 'kerberos':
    case 'krb':
    case 'krb5':
      return 'Kerberos';
    case 'ldap':
    case 'basic':
    case 'httpbasic':
    case 'basicaccess':
    case 'basicauth':
    case 'httpbasicauth':
      return 'Basic_Access';
    default:
      return null;
  }
}

/** The panel's auth type id for a value written in a connect line. */
export function panelAuth(raw: string | null): string | undefined {
  if (raw === null) {
    return undefined;
  }
  const value = unquote(raw.trim());
  const direct = panelAuthFromDetected(
    value.toLowerCase().replace(/[\s-]+/g, '_')
  );
  if (direct) {
    return direct;
  }
  const mapped = mapAuthType(value);
  return mapped === 'Basic_Access' ? 'HTTP_Basic' : (mapped ?? undefined);
}

function isAuthValue(value: string): value is MagicAuth {
  return (AUTH_VALUES as readonly string[]).includes(value);
}

/** One `%sm_analytics` command: its physical lines and tokens. */
interface ICommand {
  start: number;
  end: number;
  /** Lines continued without a trailing backslash (a SyntaxError). */
  broken: boolean;
  /** The scanned range of each physical line. */
  parts: { line: number; from: number; to: number }[];
  tokens: IToken[];
}

function readCommand(lines: readonly string[], start: number): ICommand {
  const first = lines[start];
  const magicEnd = first.indexOf('%sm_analytics') + '%sm_analytics'.length;
  const parts: ICommand['parts'] = [];
  let broken = false;
  let i = start;
  let from = magicEnd;
  for (;;) {
    const text = lines[i];
    // Python joins a line with the next only when `\` is its last character
    // (before a CRLF line end, if any).
    const body = text.endsWith('\r') ? text.slice(0, -1) : text;
    const continued = body.endsWith('\\');
    parts.push({
      line: i,
      from,
      to: continued ? body.length - 1 : text.trimEnd().length
    });
    const next = lines[i + 1];
    if (next === undefined) {
      break;
    }
    if (continued) {
      i++;
      from = 0;
    } else if (CONTINUATION_START.test(next)) {
      broken = true;
      i++;
      from = 0;
    } else {
      break;
    }
  }
  const tokens: IToken[] = [];
  for (const part of parts) {
    tokenize(lines[part.line], part.line, part.from, part.to, tokens);
  }
  return { start, end: i, broken, parts, tokens };
}

function display(token: IToken): string {
  return `"${token.text}"`;
}

/** Checks every `%sm_analytics` command in a cell, given as its lines. */
export function checkMagics(
  lines: readonly string[],
  family: KernelFamily
): IMagicResult {
  const findings: ILocalFinding[] = [];
  const connects: IConnectFacts[] = [];
  for (
    let i = 0;
    i < lines.length && connects.length < MAX_MAGICS_PER_CELL;
    i++
  ) {
    if (!MAGIC_LINE.test(lines[i])) {
      continue;
    }
    const command = readCommand(lines, i);
    const facts = checkCommand(lines, command, family, findings);
    connects.push(facts);
    i = command.end;
  }
  return { findings, connects };
}

function checkCommand(
  lines: readonly string[],
  command: ICommand,
  family: KernelFamily,
  findings: ILocalFinding[]
): IConnectFacts {
  const { tokens } = command;
  const at = command.start;
  const fixSource = (edits: ILineEdit[]) => applyLineEdits(lines, edits);

  if (command.broken) {
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
        at,
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

  // argparse gives the command words the first run of plain words; plain
  // words after an option (other than its value) are "unrecognized".
  const words: IToken[] = [];
  const extras: IToken[] = [];
  let wordsEnded = false;
  const options = new Map<OptionName, IOptionUse>();
  const dashEdits: ILineEdit[] = [];
  const dashTokens: IToken[] = [];
  // Options the magic will not recognise; one of them may be a required one.
  let unresolved = 0;

  for (let k = 0; k < tokens.length; k++) {
    const token = tokens[k];
    const dash = OPTION_START.exec(token.text);
    if (!dash) {
      (wordsEnded ? extras : words).push(token);
      continue;
    }
    wordsEnded = words.length > 0;
    const dashRun = dash[0];
    const rest = token.text.slice(dashRun.length);
    const eq = rest.indexOf('=');
    const name = eq < 0 ? rest : rest.slice(0, eq);
    const nameStart = token.start + dashRun.length;
    const nameEdit = (text: string): ILineEdit => ({
      line: token.line,
      start: nameStart,
      end: nameStart + name.length,
      text
    });
    const resolution = resolveOption(name);

    if (UNICODE_DASH_CHAR.test(dashRun)) {
      dashTokens.push(token);
      dashEdits.push({
        line: token.line,
        start: token.start,
        end: nameStart,
        text: '--'
      });
    } else if (dashRun !== '--' && resolution.kind !== 'unknown') {
      findings.push(
        localFinding(
          RULES.unknownOption,
          token.line,
          `${display(token)} needs exactly two hyphens: the magic does not recognise it and stops, ` +
            `so the job fails. Write --${name}.`,
          editFix(
            fixSource([
              {
                line: token.line,
                start: token.start,
                end: nameStart,
                text: '--'
              }
            ]),
            'Use "--"'
          )
        )
      );
    }

    switch (resolution.kind) {
      case 'secrets':
        findings.push(
          localFinding(
            RULES.secretsFlag,
            token.line,
            'The magic has no --secrets option (its name is --secret): it stops with ' +
              '"unrecognized arguments" and the job fails. Write --secret.',
            editFix(fixSource([nameEdit('secret')]), 'Use --secret')
          )
        );
        break;
      case 'abbrev': {
        const isAuth = resolution.name === 'auth-type';
        findings.push(
          localFinding(
            isAuth ? RULES.authAbbrev : RULES.optionAbbrev,
            token.line,
            `--${name} works only as an abbreviation of --${resolution.name}; it breaks as soon as ` +
              `the magic gains another option starting with "--${name}". Write --${resolution.name}.`,
            editFix(
              fixSource([nameEdit(resolution.name)]),
              `Use --${resolution.name}`
            )
          )
        );
        break;
      }
      case 'typo':
        findings.push(
          localFinding(
            RULES.unknownOption,
            token.line,
            `The magic has no option --${name}: it stops with "unrecognized arguments" and the job ` +
              `fails. Write --${resolution.name}.`,
            editFix(
              fixSource([nameEdit(resolution.name)]),
              `Use --${resolution.name}`
            )
          )
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
      unresolved++;
      // The line fails anyway; a plain word after the option is taken as its
      // value, so it is not reported a second time as a stray word.
      if (k + 1 < tokens.length && !OPTION_START.test(tokens[k + 1].text)) {
        k++;
      }
      continue;
    }

    let value: IToken | null = null;
    if (FLAGS.has(resolution.name)) {
      value = null;
    } else if (eq >= 0 && eq + 1 < rest.length) {
      const valueStart = nameStart + eq + 1;
      value = {
        text: token.text.slice(dashRun.length + eq + 1),
        line: token.line,
        start: valueStart,
        end: token.end
      };
    } else if (eq >= 0) {
      findings.push(
        localFinding(
          RULES.optionValueMissing,
          token.line,
          `--${resolution.name}= gives the option an empty value, so the job fails. Give the ` +
            'value after the "=".'
        )
      );
    } else if (
      k + 1 < tokens.length &&
      !OPTION_START.test(tokens[k + 1].text)
    ) {
      value = tokens[++k];
    } else {
      findings.push(
        localFinding(
          RULES.optionValueMissing,
          token.line,
          `--${resolution.name} has no value after it: the magic stops with "expected one ` +
            'argument" and the job fails. Give the value after the option.'
        )
      );
    }
    options.set(resolution.name, { name: resolution.name, token, value });
  }

  // SparkMagic kernels never read the value of --language, so a stray
  // character inside it is harmless (next to the option name it is not).
  const language = options.get('language')?.value;
  checkTypography(
    lines,
    command,
    family === 'sparkmagic' && language ? [language] : [],
    findings
  );

  if (dashTokens.length) {
    findings.push(
      localFinding(
        RULES.unicodeDash,
        dashTokens[0].line,
        `${dashTokens.map(display).join(', ')} ${dashTokens.length > 1 ? 'start' : 'starts'} with a ` +
          'typographic dash (often pasted from a web page) instead of two hyphens: the magic reads ' +
          'it as a plain word, does not see the option and stops, so the job fails. Type "--".',
        editFix(fixSource(dashEdits), 'Replace the dash with "--"')
      )
    );
  }

  const [service, operation] = words.map(t => t.text.toLowerCase());
  const isConnect =
    words.length === 2 && service === 'emr' && operation === 'connect';
  const isServerless =
    words.length === 2 &&
    service === 'emr-serverless' &&
    operation === 'connect';
  const stray = [...words.slice(2), ...extras];
  let wordsProblem = '';
  if (stray.length) {
    wordsProblem =
      `${stray.map(display).join(', ')} ${stray.length > 1 ? 'are' : 'is'} not the value of ` +
      'an option: the magic reads it as an extra word and stops, so the job fails. Put it ' +
      'after its option (for example --cluster-id) or remove it.';
  } else if (words.length !== 2) {
    wordsProblem =
      'The magic needs two words before its options, "emr connect"; without them it stops ' +
      'with "Please provide service name and operation" and the job fails.';
  } else if (!SERVICES.includes(service) || !OPERATIONS.includes(operation)) {
    wordsProblem =
      `The magic knows "emr connect" (and "emr help"), not "${words[0].text} ${words[1].text}": ` +
      'it stops with "not found" and the job fails. Write emr connect.';
  }
  if (wordsProblem) {
    findings.push(
      localFinding(
        RULES.commandWords,
        stray.length ? stray[0].line : at,
        wordsProblem
      )
    );
  }

  const refs: IConnectFacts['refs'] = [];
  let usesOs = false;
  for (const token of tokens) {
    const names = referencedNames(token.text);
    if (names.length) {
      const use = [...options.values()].find(o => o.value === token);
      refs.push({ option: use ? use.name : '', names });
      usesOs = usesOs || names.includes('os');
    }
  }

  if (isConnect) {
    checkConnect(lines, command, options, family, unresolved > 0, findings);
  } else if (isServerless) {
    checkServerlessConnect(
      lines,
      command,
      options,
      family,
      unresolved > 0,
      findings
    );
  }
  return { line: at, isConnect: isConnect || isServerless, usesOs, refs };
}

function checkTypography(
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
      editFix(applyLineEdits(lines, edits), 'Use plain quotes and spaces'),
      harmless ? 'warning' : 'error'
    )
  );
}

/** The literal text of a value (quotes removed), or null for an expansion. */
function literalOf(token: IToken | null): string | null {
  return token && !isExpression(token.text) ? unquote(token.text) : null;
}

/** The fallback of `{os.getenv('NAME', 'fallback')}`, or null. */
function fallbackOf(token: IToken | null): string | null {
  const m = token ? GETENV.exec(token.text) : null;
  return m && m[4] !== undefined ? m[4] : null;
}

function isQuoted(text: string): boolean {
  return unquote(text) !== text;
}

/** Values the magic keeps in quotes, so the quotes become part of the id. */
const QUOTE_SENSITIVE: readonly OptionName[] = [
  'cluster-id',
  'secret',
  'assumable-role-arn',
  'emr-execution-role-arn',
  'application-id'
];

function checkQuotedValues(
  lines: readonly string[],
  options: Map<OptionName, IOptionUse>,
  findings: ILocalFinding[]
): void {
  for (const name of QUOTE_SENSITIVE) {
    const value = options.get(name)?.value;
    // Quotes stay, also around an expansion: IPython expands inside them.
    if (!value || !isQuoted(value.text)) {
      continue;
    }
    findings.push(
      localFinding(
        RULES.quotedValue,
        value.line,
        `The magic keeps quotes as part of the value, so --${name} receives the value with its ` +
          'quotes and AWS finds no such resource; the job fails. Remove the quotes.',
        editFix(
          applyLineEdits(lines, [
            {
              line: value.line,
              start: value.start,
              end: value.end,
              text: unquote(value.text)
            }
          ]),
          'Remove the quotes'
        )
      )
    );
  }
}

/**
 * Reports a bad `--auth-type` and returns the auth type the line ends up
 * with, when it can be known (a literal, or the fallback of `os.getenv`).
 */
function checkAuthType(
  lines: readonly string[],
  auth: IToken | null,
  findings: ILocalFinding[]
): MagicAuth | null {
  if (!auth) {
    return null;
  }
  if (isQuoted(auth.text) && isExpression(auth.text)) {
    // IPython expands inside the quotes, and the magic keeps them.
    const inner = unquote(auth.text);
    findings.push(
      localFinding(
        RULES.authTypeValue,
        auth.line,
        `The magic keeps quotes, so --auth-type ${auth.text} is not None, Kerberos or ` +
          'Basic_Access and it stops with "Invalid auth type"; the job fails. Remove the quotes.',
        editFix(
          applyLineEdits(lines, [
            { line: auth.line, start: auth.start, end: auth.end, text: inner }
          ]),
          'Remove the quotes'
        )
      )
    );
    const fallback = GETENV.exec(inner)?.[4];
    return fallback === undefined
      ? null
      : isAuthValue(fallback)
        ? fallback
        : mapAuthType(fallback);
  }
  const expression = isExpression(auth.text);
  const value = expression ? fallbackOf(auth) : auth.text;
  if (value === null) {
    return null;
  }
  if (isAuthValue(value)) {
    return value;
  }
  const mapped = mapAuthType(value);
  let message: string;
  let edit: ILineEdit;
  if (expression) {
    // Rewrite only the fallback inside the expression.
    const offset = auth.start + auth.text.lastIndexOf(value);
    edit = {
      line: auth.line,
      start: offset,
      end: offset + value.length,
      text: mapped ?? ''
    };
    message =
      `The fallback "${value}" of --auth-type is not a value the magic accepts (exactly None, ` +
      'Kerberos or Basic_Access; LDAP and HTTP Basic are Basic_Access), so the notebook fails ' +
      'whenever the environment variable is not set.';
  } else {
    edit = {
      line: auth.line,
      start: auth.start,
      end: auth.end,
      text: mapped ?? ''
    };
    message = isQuoted(value)
      ? `The magic keeps quotes, so --auth-type ${value} is not None, Kerberos or Basic_Access ` +
        'and it stops with "Invalid auth type"; the job fails.'
      : `--auth-type ${value} is not a value the magic accepts (exactly None, Kerberos or ` +
        'Basic_Access; LDAP and HTTP Basic are Basic_Access), so it stops with "Invalid auth ' +
        'type" and the job fails.';
  }
  findings.push(
    localFinding(
      RULES.authTypeValue,
      auth.line,
      message +
        (mapped
          ? ` Write ${mapped}.`
          : ' Write None, Kerberos or Basic_Access.'),
      mapped
        ? editFix(applyLineEdits(lines, [edit]), `Use ${mapped}`)
        : undefined
    )
  );
  return mapped;
}

function checkConnect(
  lines: readonly string[],
  command: ICommand,
  options: Map<OptionName, IOptionUse>,
  family: KernelFamily,
  hasUnresolved: boolean,
  findings: ILocalFinding[]
): void {
  const at = command.start;
  const cluster = options.get('cluster-id')?.value ?? null;
  const secret = options.get('secret')?.value ?? null;
  const auth = options.get('auth-type')?.value ?? null;
  const effectiveAuth = checkAuthType(lines, auth, findings);
  checkQuotedValues(lines, options, findings);

  // What the panel's form should start from, as far as the line tells.
  const values: IEnvFormValues = {};
  const clusterValue = literalOf(cluster) ?? fallbackOf(cluster);
  const secretValue = literalOf(secret) ?? fallbackOf(secret);
  const authValue = panelAuth(literalOf(auth) ?? fallbackOf(auth));
  if (clusterValue) {
    values.clusterId = clusterValue;
  }
  if (authValue) {
    values.authType = authValue;
  }
  if (secretValue) {
    values.secretId = secretValue;
  }

  const missing = (['cluster-id', 'auth-type'] as const).filter(
    o => !options.has(o)
  );
  if (missing.length && !hasUnresolved) {
    findings.push(
      localFinding(
        RULES.missingRequired,
        at,
        `emr connect needs ${missing.map(o => `--${o}`).join(' and ')}; without ` +
          `${missing.length > 1 ? 'them' : 'it'} the magic stops with "Missing required ` +
          'argument" and the job fails. Use the panel to write a complete connect cell.',
        {
          kind: 'env-form',
          label: 'Fill in the connection in the panel',
          values
        }
      )
    );
  }

  // Basic_Access with an EMR runtime role gets its credentials from EMR.
  const rbac =
    effectiveAuth === 'Basic_Access' && options.has('emr-execution-role-arn');
  if (
    (effectiveAuth === 'Kerberos' || effectiveAuth === 'Basic_Access') &&
    !rbac &&
    !options.has('secret')
  ) {
    findings.push(
      localFinding(
        RULES.missingSecret,
        at,
        `With --auth-type ${effectiveAuth} and no --secret, the magic asks for a user name and ` +
          'password in a pop-up; a scheduled job has no one to answer and fails with "A --secret ' +
          'parameter needs to be added to run the Notebook in Headless mode". Store the ' +
          'credentials (JSON with username and password) in an AWS Secrets Manager secret and ' +
          "pass its id with --secret; the panel's form writes it as an environment variable.",
        { kind: 'env-form', label: 'Choose a secret in the panel', values }
      )
    );
  }

  checkCommonTail(lines, command, options, family, at, findings, values, [
    [cluster, 'cluster id'],
    [secret, 'secret']
  ]);
  if (
    cluster &&
    !isExpression(cluster.text) &&
    !isQuoted(cluster.text) &&
    !CLUSTER_ID.test(cluster.text)
  ) {
    findings.push(
      localFinding(
        RULES.clusterIdFormat,
        cluster.line,
        `"${cluster.text}" does not look like an EMR cluster id ("j-" followed by capital ` +
          'letters and digits, for example j-1ABCDEFGHIJKL), so the job will not find the ' +
          'cluster. Copy the id from the EMR console or pick the cluster in the panel.'
      )
    );
  }

  const verify = options.get('verify-certificate')?.value ?? null;
  if (verify && literalOf(verify)?.toLowerCase() === 'false') {
    findings.push(
      localFinding(
        RULES.verifyCertificateFalse,
        verify.line,
        '--verify-certificate False means the TLS certificate of Livy is not checked. Use True ' +
          "(or the path to the cluster's certificate) when the certificate can be verified."
      )
    );
  }
}

/** The options `EMRServerlessValidator` refuses (it means to refuse `--verify-certificate True` too). */
const SERVERLESS_REFUSED: readonly OptionName[] = [
  'cluster-id',
  'auth-type',
  'secret'
];
/** What `RoleArnValidator` accepts: an IAM ARN in a known partition whose resource starts with "role". */
const ROLE_ARN_MAGIC = /^arn:(?:aws|aws-cn|aws-us-gov):iam:[^:]*:[^:]*:role/;

/** An edit that removes an option and its value, with the space before them. */
function removeOption(lines: readonly string[], use: IOptionUse): ILineEdit[] {
  const end = use.value ?? use.token;
  if (end.line !== use.token.line) {
    return [];
  }
  const text = lines[use.token.line];
  let start = use.token.start;
  while (start > 0 && /[ \t]/.test(text[start - 1])) {
    start--;
  }
  return [{ line: use.token.line, start, end: end.end, text: '' }];
}

/**
 * `emr-serverless connect`, as `EMRServerlessValidator` reads it: both ids
 * required, role ARNs checked, `--language` in IPython kernels, and the
 * cluster's options refused.
 */
function checkServerlessConnect(
  lines: readonly string[],
  command: ICommand,
  options: Map<OptionName, IOptionUse>,
  family: KernelFamily,
  hasUnresolved: boolean,
  findings: ILocalFinding[]
): void {
  const at = command.start;
  const application = options.get('application-id')?.value ?? null;
  const role = options.get('emr-execution-role-arn')?.value ?? null;
  checkQuotedValues(lines, options, findings);

  const values: IEnvFormValues = { target: 'serverless' };
  const applicationValue = literalOf(application) ?? fallbackOf(application);
  const roleValue = literalOf(role) ?? fallbackOf(role);
  if (applicationValue) {
    values.applicationId = applicationValue;
  }
  if (roleValue) {
    values.executionRoleArn = roleValue;
  }

  const missing = (
    ['application-id', 'emr-execution-role-arn'] as const
  ).filter(o => !options.has(o));
  if (missing.length && !hasUnresolved) {
    findings.push(
      localFinding(
        RULES.serverlessMissingRequired,
        at,
        `emr-serverless connect needs ${missing.map(o => `--${o}`).join(' and ')}; without ` +
          `${missing.length > 1 ? 'them' : 'it'} the magic stops with "Missing required ` +
          'argument" and the job fails. Use the panel to write a complete connect cell.',
        {
          kind: 'env-form',
          label: 'Fill in the application in the panel',
          values
        }
      )
    );
  }

  const refused = SERVERLESS_REFUSED.flatMap(name => {
    const use = options.get(name);
    return use ? [use] : [];
  });
  if (refused.length) {
    const edits = refused.flatMap(use => removeOption(lines, use));
    findings.push(
      localFinding(
        RULES.serverlessRefusedOption,
        refused[0].token.line,
        `${refused.map(u => `--${u.name}`).join(', ')} ${refused.length > 1 ? 'are' : 'is'} for ` +
          'EMR clusters: with emr-serverless connect the magic stops with "not supported when ' +
          'connecting to EMR Serverless Applications" and the job fails. Remove ' +
          `${refused.length > 1 ? 'them' : 'it'}; an application needs no secret.`,
        edits.length === refused.length
          ? editFix(applyLineEdits(lines, edits), 'Remove the cluster options')
          : undefined
      )
    );
  }
  const verify = options.get('verify-certificate');
  if (verify) {
    const edits = removeOption(lines, verify);
    findings.push(
      localFinding(
        RULES.serverlessVerifyCertificate,
        verify.token.line,
        '--verify-certificate is for EMR clusters; emr-serverless connect ignores it (the ' +
          'application is reached over HTTPS with AWS signatures). Remove it.',
        edits.length
          ? editFix(applyLineEdits(lines, edits), 'Remove --verify-certificate')
          : undefined
      )
    );
  }

  for (const name of [
    'emr-execution-role-arn',
    'assumable-role-arn'
  ] as const) {
    const value = options.get(name)?.value ?? null;
    const literal = literalOf(value);
    const checkedValue = literal ?? fallbackOf(value);
    if (
      value &&
      checkedValue !== null &&
      !isQuoted(value.text) &&
      !ROLE_ARN_MAGIC.test(checkedValue)
    ) {
      findings.push(
        localFinding(
          RULES.roleArnFormat,
          value.line,
          `${literal !== null ? '' : 'The fallback of '}--${name} "${checkedValue}" is not an IAM ` +
            'role ARN (arn:aws:iam::ACCOUNT:role/NAME), so the magic stops with "Incorrect Role ' +
            `ARN"${literal !== null ? ' and the job fails' : ' whenever the environment variable is not set'}. ` +
            "Copy the role's ARN from the IAM console or pick it in the panel."
        )
      );
    }
  }

  checkCommonTail(lines, command, options, family, at, findings, values, [
    [application, 'application id'],
    [role, 'execution role']
  ]);
}

/**
 * What both connect lines share: --language in IPython kernels, and ids
 * written as literals where the job's environment should choose them.
 */
function checkCommonTail(
  lines: readonly string[],
  command: ICommand,
  options: Map<OptionName, IOptionUse>,
  family: KernelFamily,
  at: number,
  findings: ILocalFinding[],
  values: IEnvFormValues,
  ids: readonly [IToken | null, string][]
): void {
  if (family === 'ipython' && !options.has('language')) {
    const last = command.parts[command.parts.length - 1];
    const end = lines[last.line].slice(0, last.to).trimEnd().length;
    findings.push(
      localFinding(
        RULES.ipythonLanguage,
        at,
        'In an IPython kernel the magic requires --language (python or scala) and stops ' +
          'without it, so the job fails. Add --language python.',
        editFix(
          applyLineEdits(lines, [
            { line: last.line, start: end, end, text: ' --language python' }
          ]),
          'Add --language python'
        )
      )
    );
  }
  if (family === 'ipython') {
    checkLanguageValue(lines, options, findings);
  }

  const literals = ids.filter(
    (id): id is [IToken, string] => literalOf(id[0]) !== null
  );
  if (literals.length) {
    const what = literals.map(([, name]) => name).join(' and ');
    findings.push(
      localFinding(
        RULES.literalConnectValue,
        Math.min(...literals.map(([t]) => t.line)),
        `The ${what} ${literals.length > 1 ? 'are' : 'is'} written into the connect line, so ` +
          'every job uses the same one. To choose per job, read it with os.getenv and set it in ' +
          "the job's Environment variables; the panel's form does both.",
        { kind: 'env-form', label: 'Use environment variables', values }
      )
    );
  }
}

/** IPython kernels only: the magic accepts exactly python or scala. */
function checkLanguageValue(
  lines: readonly string[],
  options: Map<OptionName, IOptionUse>,
  findings: ILocalFinding[]
): void {
  const language = options.get('language')?.value ?? null;
  if (
    !language ||
    LANGUAGES.includes(language.text) ||
    (isExpression(language.text) && !isQuoted(language.text))
  ) {
    return;
  }
  const inner = unquote(language.text);
  const fixed = LANGUAGES.includes(inner.toLowerCase())
    ? inner.toLowerCase()
    : isExpression(inner)
      ? inner
      : null;
  findings.push(
    localFinding(
      RULES.languageValue,
      language.line,
      `--language ${language.text} is not a value the magic accepts (exactly python or scala), ` +
        `so it stops and the job fails.${fixed ? ` Write ${fixed}.` : ''}`,
      fixed
        ? editFix(
            applyLineEdits(lines, [
              {
                line: language.line,
                start: language.start,
                end: language.end,
                text: fixed
              }
            ]),
            `Use ${fixed}`
          )
        : undefined
    )
  );
}
