/**
 * Rules for the Spark code of a notebook: AWS keys written into code, and
 * the spark-redshift connector (format name, S3 auth, passwords).
 *
 * A scheduled job keeps the notebook and its output as they are, and keys
 * in code expire, rotate and leak; the cluster's instance role (and
 * `aws_iam_role` for Redshift's COPY and UNLOAD) needs none of them.
 */
import { RULES } from './rules';
import { ILineEdit, ILocalFinding, lineEditFix, localFinding } from './text';

const ACCESS_KEY = /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/;

const S3_KEY_PROPERTY =
  '(?:spark\\.hadoop\\.)?fs\\.s3[an]?\\.(?:(?:bucket\\.[^.\\s"\']+\\.)?(?:access\\.key|secret\\.key|session\\.token)|awsAccessKeyId|awsSecretAccessKey)';
/** `"fs.s3a.secret.key", "literal"` (also `:` in JSON and `->` in Scala). */
const S3_KEY_QUOTED = new RegExp(
  `(["'])(${S3_KEY_PROPERTY})\\1\\s*(?:,|:|->)\\s*(["'])[^"'\\n]+\\3`
);
/** `spark.hadoop.fs.s3a.secret.key=literal` (`--conf`, properties). */
const S3_KEY_ASSIGNED = new RegExp(
  `(?:^|[\\s"'])(${S3_KEY_PROPERTY})\\s*=\\s*(?![{$"'\\s])\\S`
);
const S3_URL_KEYS = /\bs3[an]?:\/\/[^/\s:@'"]+:[^/\s@'"]+@/;

/** `.format("...spark.redshift")`, capturing whitespace around the name. */
const REDSHIFT_FORMAT =
  /\.format\(\s*(["'])([ \t]*)([\w.]*spark\.redshift)([ \t]*)\1\s*\)/g;
const S3_AUTH_OPTIONS = [
  'aws_iam_role',
  'forward_spark_s3_credentials',
  'temporary_aws_access_key_id'
] as const;
const S3_AUTH_QUOTED =
  /(["'])(aws_iam_role|forward_spark_s3_credentials|temporary_aws_access_key_id)\1(\s*(?:,|:|->)\s*["']?false\b)?/gi;
const S3_AUTH_KEYWORD =
  /\b(aws_iam_role|forward_spark_s3_credentials|temporary_aws_access_key_id)\s*=(?!=)(\s*["']?false\b)?/gi;
const JDBC_PASSWORD = /jdbc:redshift:\/\/[^\s"']*[?&;]password=/i;
const OPTION_PASSWORD = /\.option\(\s*["']password["']\s*,\s*["'][^"']+["']/;

export function checkSparkCode(
  text: string,
  lines: readonly string[]
): ILocalFinding[] {
  const findings: ILocalFinding[] = [];
  if (text.includes('AKIA') || text.includes('ASIA')) {
    eachLine(lines, ['AKIA', 'ASIA'], (line, i) => {
      if (ACCESS_KEY.test(line)) {
        findings.push(
          localFinding(
            RULES.awsAccessKey,
            i,
            'An AWS access key id is written in the notebook. A scheduled job stores the ' +
              'notebook and its output as they are, and the key leaks, expires or is rotated. ' +
              "Remove the key and let Spark use the cluster's instance role (for Redshift, " +
              'aws_iam_role).'
          )
        );
      }
    });
  }
  if (text.includes('fs.s3')) {
    eachLine(lines, ['fs.s3'], (line, i) => {
      const quoted = S3_KEY_QUOTED.exec(line);
      const property = quoted
        ? quoted[2]
        : (S3_KEY_ASSIGNED.exec(line)?.[1] ?? null);
      if (property) {
        findings.push(
          localFinding(
            RULES.s3SecretKeyLiteral,
            i,
            `${property} is set to a key written in the notebook. A scheduled job stores ` +
              'the notebook as it is, and the key leaks, expires or is rotated. Remove the S3 ' +
              "keys from the configuration: EMR reaches S3 with the cluster's instance role, " +
              'and the Redshift connector with aws_iam_role.'
          )
        );
      }
    });
  }
  if (text.includes('@') && text.includes('s3')) {
    eachLine(lines, ['@'], (line, i) => {
      if (S3_URL_KEYS.test(line)) {
        findings.push(
          localFinding(
            RULES.s3UrlCredentials,
            i,
            'This S3 URL carries keys (s3n://KEY:SECRET@bucket): they end up in logs, in the ' +
              'job definition and in the stored notebook. Give the bucket and path only and let ' +
              "the cluster's instance role (or aws_iam_role for Redshift) authorise S3."
          )
        );
      }
    });
  }
  if (text.includes('redshift')) {
    checkRedshift(lines, findings);
  }
  return findings;
}

function eachLine(
  lines: readonly string[],
  needles: readonly string[],
  visit: (line: string, index: number) => void
): void {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (needles.some(n => line.includes(n))) {
      visit(line, i);
    }
  }
}

function checkRedshift(
  lines: readonly string[],
  findings: ILocalFinding[]
): void {
  const formatLines: number[] = [];
  // One finding for the cell, whose fix cleans every format string in it.
  const edits: ILineEdit[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line.includes('redshift')) {
      continue;
    }
    REDSHIFT_FORMAT.lastIndex = 0;
    for (
      let m = REDSHIFT_FORMAT.exec(line);
      m;
      m = REDSHIFT_FORMAT.exec(line)
    ) {
      formatLines.push(i);
      if (m[2] || m[4]) {
        const start = m.index + m[0].indexOf(m[1]) + 1;
        edits.push({
          line: i,
          start,
          end: start + m[2].length + m[3].length + m[4].length,
          text: m[3]
        });
      }
    }
    if (JDBC_PASSWORD.test(line)) {
      findings.push(passwordFinding(i));
    }
  }
  if (edits.length) {
    findings.push(
      localFinding(
        RULES.redshiftFormatWhitespace,
        edits[0].line,
        'The connector name has whitespace inside the quotes (as on the AWS page), so Spark ' +
          'finds no data source by that name and the read or write fails. Remove the spaces: ' +
          '"io.github.spark_redshift_community.spark.redshift".',
        lineEditFix(lines, edits, 'Remove the spaces')
      )
    );
  }
  if (!formatLines.length) {
    return;
  }
  let next = 0;
  for (const [start, end] of statements(lines)) {
    while (next < formatLines.length && formatLines[next] < start) {
      next++;
    }
    const formatLine = formatLines[next];
    if (formatLine === undefined || formatLine > end) {
      continue;
    }
    const statement = lines.slice(start, end + 1).join('\n');
    const used = new Set<string>();
    for (const re of [S3_AUTH_QUOTED, S3_AUTH_KEYWORD]) {
      re.lastIndex = 0;
      for (let m = re.exec(statement); m; m = re.exec(statement)) {
        const quoted = re === S3_AUTH_QUOTED;
        const name = (quoted ? m[2] : m[1]).toLowerCase();
        // forward_spark_s3_credentials set to false is no auth method.
        const off = quoted ? m[3] : m[2];
        if (!off) {
          used.add(name);
        }
      }
    }
    if (used.size > 1) {
      findings.push(
        localFinding(
          RULES.redshiftS3Auth,
          formatLine,
          `This Redshift read or write sets several S3 auth options (${[...used].join(', ')}); ` +
            'the connector accepts exactly one and stops. Keep aws_iam_role (a role Redshift ' +
            'assumes for COPY and UNLOAD) and remove the others.'
        )
      );
    } else if (used.size === 0 && !/\.options\s*\(/.test(statement)) {
      findings.push(
        localFinding(
          RULES.redshiftS3Auth,
          formatLine,
          'This Redshift read or write sets no S3 auth option, so Redshift cannot read or write ' +
            'the tempdir and the job fails at COPY or UNLOAD. Add .option("aws_iam_role", ' +
            '"arn:aws:iam::ACCOUNT:role/NAME") with a role Redshift can assume (preferred over ' +
            `${S3_AUTH_OPTIONS.slice(1).join(' and ')}).`,
          undefined,
          'warning'
        )
      );
    }
    if (OPTION_PASSWORD.test(statement)) {
      const offset = lines
        .slice(start, end + 1)
        .findIndex(l => OPTION_PASSWORD.test(l));
      findings.push(passwordFinding(start + Math.max(0, offset)));
    }
  }
}

function passwordFinding(line: number): ILocalFinding {
  return localFinding(
    RULES.redshiftJdbcPassword,
    line,
    'A Redshift password is written in the notebook, where a scheduled job stores it as it is. ' +
      'Use the IAM form of the URL, jdbc:redshift:iam://HOST:PORT/DATABASE: the connector then ' +
      "gets temporary credentials with the cluster's role (redshift:GetClusterCredentials)."
  );
}

/**
 * Splits a cell into statements as [first line, last line]: lines joined by
 * open brackets, strings, a trailing backslash, or a next line that starts
 * with "." (a method chain, in Python and Scala).
 */
export function statements(lines: readonly string[]): [number, number][] {
  const out: [number, number][] = [];
  let start = 0;
  let depth = 0;
  let quote = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    for (let j = 0; j < line.length; j++) {
      const ch = line[j];
      if (quote) {
        if (ch === '\\') {
          j++;
        } else if (line.startsWith(quote, j)) {
          j += quote.length - 1;
          quote = '';
        }
        continue;
      }
      if (ch === '#') {
        break;
      }
      if (ch === '"' || ch === "'") {
        quote = line.startsWith(ch.repeat(3), j) ? ch.repeat(3) : ch;
        j += quote.length - 1;
      } else if (ch === '(' || ch === '[' || ch === '{') {
        depth++;
      } else if (ch === ')' || ch === ']' || ch === '}') {
        depth = Math.max(0, depth - 1);
      }
    }
    if (quote.length === 1) {
      // A one-quote string cannot span lines.
      quote = '';
    }
    const next = lines[i + 1];
    const continues =
      next !== undefined &&
      (depth > 0 ||
        quote !== '' ||
        line.trimEnd().endsWith('\\') ||
        next.trimStart().startsWith('.'));
    if (!continues) {
      out.push([start, i]);
      start = i + 1;
    }
  }
  return out;
}
