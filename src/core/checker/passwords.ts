/**
 * Passwords written into the notebook: after sparkmagic's `%spark add -p`,
 * in the `user:password@` of a URL (Livy, JDBC, SQLAlchemy), as `password=`
 * of a JDBC URL, and as a password argument or key next to a user name.
 *
 * Every scheduler stores the notebook, and the output of each run, as plain
 * text; the password belongs in an AWS Secrets Manager secret, read when the
 * notebook runs. A value read at run time (a variable, `os.getenv`, a
 * secret's lookup, an f-string or `{...}` expansion), an empty string and a
 * placeholder (`<password>`, `****`, `YOUR_PASSWORD`) are no password.
 */
import { RULES } from './rules';
import { statements } from './spark';
import { ILocalFinding, localFinding, unquote } from './text';

/** The lines worth a closer look. */
const PASSWORD_HINT = /passw|pwd|%spark|jdbc:|:\/\/[^\s/@]*@/i;

/** Whether a cell may hold a password: a few `includes`, no regular expression. */
export function mayHoldPassword(text: string): boolean {
  return (
    text.includes('assw') ||
    text.includes('ASSW') ||
    text.includes('assW') ||
    text.includes('pwd') ||
    text.includes('PWD') ||
    text.includes('Pwd') ||
    text.includes('%spark') ||
    (text.includes('@') && (text.includes('://') || text.includes('jdbc:')))
  );
}

const SPARK_ADD = /^\s*%%?spark\s+add\b/;
const ARG = /"[^"]*"|'[^']*'|\S+/g;

/** `scheme://user:password@`, the scheme captured (s3 has a rule of its own). */
const URL_USERINFO =
  /\b([A-Za-z][\w+.-]*(?::[A-Za-z][\w+.-]*)*):\/\/[^\s/:@'"{}$<>]+:([^\s/@'"]+)@/g;
const S3_SCHEME = /(?:^|:)s3[an]?$/i;
/** Oracle's `jdbc:oracle:thin:user/password@host`. */
const ORACLE_USERINFO = /\bjdbc:oracle:\w+:[^\s/@'"{}$<>:]+\/([^\s@'"]+)@/g;
/** `password=` in a JDBC URL; Redshift's has a rule of its own. */
const JDBC_PROPERTY =
  /\bjdbc:(?!redshift:)[^\s"']*?[?&;:](?:password|pwd)=([^&;\s"']*)/gi;

/** A string literal that ends the value: `, ) ] } ;`, a comment or the line end. */
const LITERAL = String.raw`[rRbBuUfF]{0,2}(?<quote>["'])(?<value>[^"'\\\n]*)\k<quote>(?=\s*(?:[,)\]};]|#|//|$))`;
const PASSWORD_KEY = String.raw`\w*(?:password|passwd)|pwd`;
/** `password="..."` (a keyword argument or an assignment). */
const KEYWORD_PASSWORD = new RegExp(
  String.raw`(?<![\w.'"])(?:${PASSWORD_KEY})\s*=(?!=)\s*${LITERAL}`,
  'gi'
);
/** `"password": "..."`, `"password" -> "..."`, `.option("password", "...")`. */
const KEYED_PASSWORD = new RegExp(
  String.raw`(["'])[\w.-]*(?:${PASSWORD_KEY})\1\s*(?::|->|,)\s*${LITERAL}`,
  'gi'
);
/** A lookup whose first argument is the key: the literal is its default. */
const GETTER_BEFORE = /\b(?:get\w*|getenv|getOrElse|getProperty)\s*\(\s*$/i;
const USER_KEY =
  /(?<![\w.])\w*(?:user(?:_?name)?|uid|login)\s*=(?!=)|["'][\w.-]*(?:user(?:_?name)?|uid|login)["']\s*(?::|->|,)/i;

/** Values that are no password: empty, a template, or a documentation placeholder. */
function isPlaceholder(value: string): boolean {
  const v = value.trim();
  return (
    v === '' ||
    /^[*x.?#_-]+$/i.test(v) ||
    /\{[^}]*\}|\$\{[^}]*\}|^\$[A-Za-z_]\w*$|%\(?\w*\)?s|^<.*>$|^\[.*\]$/.test(
      v
    ) ||
    /^(?:your|my|the|db|database|enter|insert|some|example|sample|dummy|fake)?[-_ ]?(?:pass(?:word)?|passwd|pwd|secret)(?:[-_ ]?(?:here|goes[-_ ]?here|placeholder))?$/i.test(
      v
    ) ||
    /^(?:change[-_ ]?me|todo|tbd|redacted|none|null|placeholder)$/i.test(v) ||
    /^(?:your|enter|insert)[-_ ]/i.test(v)
  );
}

type Where = 'spark-add' | 'livy-url' | 'url' | 'jdbc' | 'argument';

const SECRET_ROUTE =
  'Store the user name and password in an AWS Secrets Manager secret ("Create from my ' +
  'credentials…" in the panel\'s secret picker)';

const WHAT: Readonly<Record<Where, string>> = {
  'spark-add': 'This %spark add line passes the password itself (-p)',
  'livy-url':
    'This Livy URL carries a user name and password (user:password@host)',
  url: 'This URL carries a user name and password (user:password@host)',
  jdbc: 'This JDBC URL carries a password (password=)',
  argument: 'A password is written here, next to the user name'
};

function message(where: Where): string {
  const stored =
    `${WHAT[where]}. Every scheduler stores the notebook, and the output of each run, as ` +
    'plain text, so anyone who can see the job can read the password.';
  if (where === 'spark-add' || where === 'livy-url') {
    return (
      `${stored} ${SECRET_ROUTE} and connect with %sm_analytics emr connect --secret, which ` +
      'reads it when the job runs.'
    );
  }
  return (
    `${stored} ${SECRET_ROUTE} and read it when the notebook runs, for example ` +
    "json.loads(boto3.client('secretsmanager').get_secret_value(SecretId=...)" +
    "['SecretString'])['password']; the role that runs the code needs " +
    'secretsmanager:GetSecretValue on the secret.'
  );
}

function finding(line: number, where: Where, authType?: string): ILocalFinding {
  return localFinding(RULES.passwordLiteral, line, message(where), {
    kind: 'secret',
    label: 'Create a secret from my credentials…',
    ...(authType ? { authType } : {})
  });
}

/**
 * The panel auth type for `%spark add ... -p PASSWORD` (or `--password`),
 * from its `-t` (Basic_Access unless Kerberos); null without a password.
 */
function sparkAddPassword(line: string): string | null {
  const args = line.match(ARG) ?? [];
  let password: string | null = null;
  let auth = '';
  for (let k = 0; k < args.length; k++) {
    const arg = args[k];
    const next = args[k + 1] ?? '';
    if (arg === '-p' || arg === '--password') {
      password = next.startsWith('-') ? '' : next;
    } else if (arg.startsWith('--password=')) {
      password = arg.slice('--password='.length);
    } else if (arg === '-t' || arg === '--auth') {
      auth = unquote(next);
    }
  }
  if (password === null || isPlaceholder(unquote(password))) {
    return null;
  }
  return /^kerberos$/i.test(auth) ? 'Kerberos' : 'HTTP_Basic';
}

/** What kind of URL on the line carries a password, if any. */
function urlPassword(line: string, sparkAdd: boolean): Where | null {
  URL_USERINFO.lastIndex = 0;
  for (let m = URL_USERINFO.exec(line); m; m = URL_USERINFO.exec(line)) {
    if (S3_SCHEME.test(m[1]) || isPlaceholder(m[2])) {
      continue;
    }
    const livy =
      sparkAdd || (/^https?$/i.test(m[1]) && /livy|:8998\b/i.test(line));
    return livy ? 'livy-url' : 'url';
  }
  for (const re of [ORACLE_USERINFO, JDBC_PROPERTY]) {
    re.lastIndex = 0;
    for (let m = re.exec(line); m; m = re.exec(line)) {
      if (!isPlaceholder(m[1])) {
        return re === ORACLE_USERINFO ? 'url' : 'jdbc';
      }
    }
  }
  return null;
}

/** A password literal given as an argument or a key on the line. */
function keyedPassword(line: string): boolean {
  for (const re of [KEYWORD_PASSWORD, KEYED_PASSWORD]) {
    re.lastIndex = 0;
    for (let m = re.exec(line); m; m = re.exec(line)) {
      const keyed = re === KEYED_PASSWORD;
      if (keyed && GETTER_BEFORE.test(line.slice(0, m.index))) {
        continue;
      }
      if (!isPlaceholder(m.groups?.value ?? '')) {
        return true;
      }
    }
  }
  return false;
}

/**
 * Password findings of a cell, at most one per line; `skip` holds lines
 * another rule already reports a password on.
 */
export function checkPasswords(
  lines: readonly string[],
  skip: ReadonlySet<number>
): ILocalFinding[] {
  const findings: ILocalFinding[] = [];
  const keyedLines: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (skip.has(i) || !PASSWORD_HINT.test(line)) {
      continue;
    }
    const sparkAdd = SPARK_ADD.test(line);
    const sparkAuth = sparkAdd ? sparkAddPassword(line) : null;
    if (sparkAuth) {
      findings.push(finding(i, 'spark-add', sparkAuth));
      continue;
    }
    const url = urlPassword(line, sparkAdd);
    if (url) {
      findings.push(
        finding(i, url, url === 'livy-url' ? 'HTTP_Basic' : undefined)
      );
    } else if (keyedPassword(line)) {
      keyedLines.push(i);
    }
  }
  if (keyedLines.length) {
    // A password argument counts next to a user name: in its statement or
    // the statement just before or after it.
    const ranges = statements(lines);
    const text = (k: number) =>
      k >= 0 && k < ranges.length
        ? lines.slice(ranges[k][0], ranges[k][1] + 1).join('\n')
        : '';
    for (const i of keyedLines) {
      const k = ranges.findIndex(([start, end]) => start <= i && i <= end);
      if ([k, k - 1, k + 1].some(j => USER_KEY.test(text(j)))) {
        findings.push(finding(i, 'argument'));
      }
    }
  }
  return findings.sort((a, b) => a.line - b.line);
}
