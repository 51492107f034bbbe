/**
 * The grammar of `%sm_analytics` lines: one tokenizer and one option reader
 * for every service, driven by the magic's own option table.
 *
 * IPython first expands `{expr}` and `$name` in the line (leaving the whole
 * line untouched if any of them fails), then the magic splits it on ASCII
 * whitespace without removing quotes and hands it to one argparse parser
 * (`SagemakerAnalytics.sm_analytics`) for every service: options are
 * case-sensitive, unique prefixes are accepted as abbreviations (IPython's
 * MagicArgumentParser keeps argparse's `allow_abbrev`), anything else is
 * "unrecognized". The service's validator then requires, refuses or checks
 * options; that part of the table is per service. A line that continues on
 * the next line needs a trailing `\`; an indented `--option` line without
 * it is a SyntaxError.
 *
 * The reader also says what the user evidently meant where the magic would
 * refuse a token (a typographic dash, `--secrets`, `--Cluster_Id`), so the
 * checker can report one defect once and check the rest as meant.
 */
import { unquote } from './text';

/** A line that starts the magic (IPython allows indentation at cell start). */
export const MAGIC_LINE = /^\s*%sm_analytics(?=\s|$)/;
const MAGIC = '%sm_analytics';

/** Hyphen-like characters that get pasted where `-` belongs. */
const DASH_CLASS = '\\-\\u2010-\\u2015\\u2212\\uFE58\\uFE63\\uFF0D';
/** A token that is, or was meant as, an option. */
export const OPTION_START = new RegExp(`^[${DASH_CLASS}]+(?=[A-Za-z])`);
export const UNICODE_DASH_CHAR = /[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/;
const CONTINUATION_START = new RegExp(`^\\s*[${DASH_CLASS}]`);

/**
 * The magic's options, in the order of its `@argument` decorators (argparse
 * lists ambiguous candidates in that order). Every option is `type=str`
 * with one value, except `--override-krb5-conf`, a BooleanOptionalAction
 * that also defines `--no-override-krb5-conf`; neither takes a value.
 */
export const MAGIC_OPTIONS = [
  { name: 'auth-type', takesValue: true },
  { name: 'application-id', takesValue: true },
  { name: 'cluster-id', takesValue: true },
  { name: 'language', takesValue: true },
  { name: 'assumable-role-arn', takesValue: true },
  { name: 'emr-execution-role-arn', takesValue: true },
  { name: 'secret', takesValue: true },
  { name: 'verify-certificate', takesValue: true },
  { name: 'override-krb5-conf', takesValue: false },
  { name: 'no-override-krb5-conf', takesValue: false }
] as const;
export type OptionName = (typeof MAGIC_OPTIONS)[number]['name'];
const OPTION_NAMES: readonly OptionName[] = MAGIC_OPTIONS.map(o => o.name);
const FLAGS: ReadonlySet<string> = new Set(
  MAGIC_OPTIONS.filter(o => !o.takesValue).map(o => o.name)
);

export type MagicService = 'emr' | 'emr-serverless';
/** The operations every service knows (case-insensitive, like the services). */
export const OPERATIONS = ['connect', 'help'];

/** What a service's validator makes of the options argparse accepted. */
export interface IServiceGrammar {
  /** "Missing required argument" without these. */
  required: readonly OptionName[];
  /** "not supported" for this service. */
  refused: readonly OptionName[];
  /** Accepted and never read. */
  ignored: readonly OptionName[];
  /** Checked by `RoleArnValidator` when given. */
  roleArns: readonly OptionName[];
  /** Options that take one of a closed set of values, exactly. */
  closed: Partial<Record<OptionName, readonly string[]>>;
}

/** The values `--auth-type` accepts, exactly. */
export const AUTH_VALUES = ['None', 'Kerberos', 'Basic_Access'] as const;
export type MagicAuth = (typeof AUTH_VALUES)[number];

/** `EMRValidator` and `EMRServerlessValidator`. */
export const SERVICES: Readonly<Record<MagicService, IServiceGrammar>> = {
  emr: {
    required: ['cluster-id', 'auth-type'],
    refused: [],
    ignored: ['application-id'],
    roleArns: ['assumable-role-arn', 'emr-execution-role-arn'],
    closed: { 'auth-type': AUTH_VALUES }
  },
  'emr-serverless': {
    required: ['application-id', 'emr-execution-role-arn'],
    // It means to refuse `--verify-certificate True` too, but compares an
    // object with `True`, so that option is only ignored.
    refused: ['cluster-id', 'auth-type', 'secret'],
    ignored: [
      'verify-certificate',
      'override-krb5-conf',
      'no-override-krb5-conf'
    ],
    roleArns: ['emr-execution-role-arn', 'assumable-role-arn'],
    closed: {}
  }
};

export function isMagicService(value: string): value is MagicService {
  return Object.prototype.hasOwnProperty.call(SERVICES, value);
}

/** What `RoleArnValidator` accepts: an IAM ARN in a known partition whose resource starts with "role". */
export const ROLE_ARN = /^arn:(?:aws|aws-cn|aws-us-gov):iam:[^:]*:[^:]*:role/;

/** The values `--language` accepts (IPython kernels read it, exactly). */
export const LANGUAGES = ['python', 'scala'];

export interface IToken {
  text: string;
  line: number;
  start: number;
  end: number;
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

/** One `%sm_analytics` command: its physical lines and tokens. */
export interface ICommand {
  start: number;
  end: number;
  /** Lines continued without a trailing backslash (a SyntaxError). */
  broken: boolean;
  /** The scanned range of each physical line. */
  parts: { line: number; from: number; to: number }[];
  tokens: IToken[];
}

/** The command that starts at `lines[start]` (a `MAGIC_LINE`). */
export function readCommand(lines: readonly string[], start: number): ICommand {
  const first = lines[start];
  const magicEnd = first.indexOf(MAGIC) + MAGIC.length;
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

/**
 * How an option name reads: `exact` and `abbrev` (a unique prefix) are what
 * argparse accepts; `ambiguous` and `unknown` it refuses; `secrets` and
 * `typo` it refuses too, but they evidently mean the option named.
 */
export type Resolution =
  | { kind: 'exact' | 'secrets' | 'abbrev' | 'typo'; name: OptionName }
  | { kind: 'ambiguous'; candidates: OptionName[] }
  | { kind: 'unknown' };

export function resolveOption(name: string): Resolution {
  const exact = OPTION_NAMES.find(o => o === name);
  if (exact) {
    return { kind: 'exact', name: exact };
  }
  if (name === 'secrets') {
    return { kind: 'secrets', name: 'secret' };
  }
  const prefixed = OPTION_NAMES.filter(o => o.startsWith(name));
  if (prefixed.length === 1) {
    return { kind: 'abbrev', name: prefixed[0] };
  }
  if (prefixed.length > 1) {
    return { kind: 'ambiguous', candidates: prefixed };
  }
  const normal = name.toLowerCase().replace(/_/g, '-');
  const typo =
    OPTION_NAMES.find(o => o === normal) ??
    OPTION_NAMES.find(o => o.replace(/-/g, '') === normal.replace(/-/g, ''));
  return typo ? { kind: 'typo', name: typo } : { kind: 'unknown' };
}

export interface IOptionUse {
  name: OptionName;
  token: IToken;
  value: IToken | null;
}

/** A token that is, or was meant as, an option, and how it reads. */
export interface IOptionToken {
  token: IToken;
  /** The leading run of dashes (possibly typographic ones). */
  dashRun: string;
  /** The name after the dashes, up to any `=`. */
  name: string;
  nameStart: number;
  resolution: Resolution;
  /** `--name=` (`empty`) or an option with nothing after it (`missing`). */
  valueProblem: 'empty' | 'missing' | null;
}

/** A command as the magic's parser reads it, and as it was meant. */
export interface IMagicReading {
  /** The leading plain words (argparse's `command`). */
  words: IToken[];
  /** Plain words after an option that are no option's value. */
  extras: IToken[];
  optionTokens: IOptionToken[];
  /** Every option read or evidently meant, by its real name. */
  options: Map<OptionName, IOptionUse>;
  /** Options no one can tell the meaning of (ambiguous, unknown). */
  unresolved: number;
  /** `<service> connect` (the words are case-insensitive). */
  connect: MagicService | null;
}

/** Reads a command's tokens against the option table. */
export function readOptions(tokens: readonly IToken[]): IMagicReading {
  // argparse gives the command words the first run of plain words; plain
  // words after an option (other than its value) are "unrecognized".
  const words: IToken[] = [];
  const extras: IToken[] = [];
  const optionTokens: IOptionToken[] = [];
  const options = new Map<OptionName, IOptionUse>();
  let wordsEnded = false;
  let unresolved = 0;
  const isValue = (k: number) =>
    k < tokens.length && !OPTION_START.test(tokens[k].text);

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
    const resolution = resolveOption(name);
    const use: IOptionToken = {
      token,
      dashRun,
      name,
      nameStart,
      resolution,
      valueProblem: null
    };
    optionTokens.push(use);
    if (resolution.kind === 'ambiguous' || resolution.kind === 'unknown') {
      unresolved++;
      // The line fails anyway; a plain word after the option is taken as its
      // value, so it is not reported a second time as a stray word.
      if (isValue(k + 1)) {
        k++;
      }
      continue;
    }

    let value: IToken | null = null;
    if (FLAGS.has(resolution.name)) {
      value = null;
    } else if (eq >= 0 && eq + 1 < rest.length) {
      value = {
        text: token.text.slice(dashRun.length + eq + 1),
        line: token.line,
        start: nameStart + eq + 1,
        end: token.end
      };
    } else if (eq >= 0) {
      use.valueProblem = 'empty';
    } else if (isValue(k + 1)) {
      value = tokens[++k];
    } else {
      use.valueProblem = 'missing';
    }
    options.set(resolution.name, { name: resolution.name, token, value });
  }

  const [service, operation] = words.map(t => t.text.toLowerCase());
  const connect =
    words.length === 2 && isMagicService(service) && operation === 'connect'
      ? service
      : null;
  return { words, extras, optionTokens, options, unresolved, connect };
}

/** Whether argparse takes the option token as it is written. */
export function isAccepted(use: IOptionToken): boolean {
  return (
    use.dashRun === '--' &&
    (use.resolution.kind === 'exact' || use.resolution.kind === 'abbrev') &&
    use.valueProblem === null
  );
}

/** A `%sm_analytics` command of a cell, read. */
export interface IMagicCommand {
  command: ICommand;
  reading: IMagicReading;
}

/** Every `%sm_analytics` command of a cell (at most `limit`), in order. */
export function readMagics(
  lines: readonly string[],
  limit = Infinity
): IMagicCommand[] {
  const out: IMagicCommand[] = [];
  for (let i = 0; i < lines.length && out.length < limit; i++) {
    if (!MAGIC_LINE.test(lines[i])) {
      continue;
    }
    const command = readCommand(lines, i);
    out.push({ command, reading: readOptions(command.tokens) });
    i = command.end;
  }
  return out;
}

/**
 * A connect line exactly as the magic's parser takes it: its service and
 * each option's text (`true` for a flag); null when the parser or the
 * service's validator refuses it (words, options, required and refused
 * options, literal role ARNs and auth types). Values IPython expands are
 * not judged, nor `--language`, which only IPython kernels read.
 */
export interface IConnectLine {
  service: MagicService;
  options: Partial<Record<OptionName, string | true>>;
}

export function parseConnect({
  command,
  reading
}: IMagicCommand): IConnectLine | null {
  const service = reading.connect;
  if (
    !service ||
    command.broken ||
    reading.extras.length ||
    reading.unresolved ||
    !reading.optionTokens.every(isAccepted)
  ) {
    return null;
  }
  const grammar = SERVICES[service];
  const options: IConnectLine['options'] = {};
  for (const [name, use] of reading.options) {
    options[name] = use.value ? use.value.text : true;
  }
  const given = (name: OptionName) => options[name] !== undefined;
  const literal = (name: OptionName) =>
    literalOf(reading.options.get(name)?.value ?? null);
  const badRole = (name: OptionName) => {
    const value = literal(name);
    return value !== null && !ROLE_ARN.test(value);
  };
  const badValue = ([name, values]: [string, readonly string[]]) => {
    const value = literal(name as OptionName);
    return value !== null && !values.includes(value);
  };
  if (
    !grammar.required.every(given) ||
    grammar.refused.some(given) ||
    grammar.roleArns.some(badRole) ||
    Object.entries(grammar.closed).some(badValue)
  ) {
    return null;
  }
  return { service, options };
}

/** `{os.getenv('NAME')}` or `{os.getenv('NAME', 'fallback')}` (or environ.get). */
export const GETENV =
  /^\{\s*os\.(?:getenv|environ\.get)\(\s*(['"])([^'"]*)\1\s*(?:,\s*(['"])([^'"]*)\3\s*)?\)\s*\}$/;

/** Names read by IPython's expansion of `{expr}` and `$name` in a token. */
export function referencedNames(token: string): string[] {
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

/** IPython expands the value before the magic sees it. */
export function isExpression(value: string): boolean {
  return value.includes('{') || /\$[A-Za-z_]/.test(value);
}

export { unquote };

export function isQuoted(text: string): boolean {
  return unquote(text) !== text;
}

/** The literal text of a value (quotes removed), or null for an expansion. */
export function literalOf(token: IToken | null): string | null {
  return token && !isExpression(token.text) ? unquote(token.text) : null;
}

/** The fallback of `{os.getenv('NAME', 'fallback')}`, or null. */
export function fallbackOf(token: IToken | null): string | null {
  const m = token ? GETENV.exec(token.text) : null;
  return m && m[4] !== undefined ? m[4] : null;
}

/** A cell's connect commands, each as `parseConnect` takes it. */
export function readConnectLines(source: string): (IConnectLine | null)[] {
  return readMagics(source.split('\n'))
    .filter(({ reading }) => reading.connect !== null)
    .map(parseConnect);
}

/** A value as far as the line tells: a literal, or the fallback of `os.getenv`. */
export function knownValue(token: IToken | null): string | null {
  return literalOf(token) ?? fallbackOf(token);
}
