/**
 * Names a connect line reads that only the Spark session has.
 *
 * IPython expands the `{expr}` and `$name` of a `%sm_analytics` line in the
 * local kernel. A SparkMagic kernel sends every cell without `%%local` (or a
 * leading line magic) to the Spark session, and an IPython kernel sends its
 * `%%spark` cells there: a name assigned only in such a cell never exists
 * locally, so the expansion fails, IPython leaves the whole line as it is
 * and the magic receives `{cid}` instead of a cluster id.
 *
 * Binding is read generously on the local side (any assignment-like line,
 * `for`, `import`, `as`, `%run`, `%store -r`, `%%sql -o`): a name that may
 * be bound locally is never reported.
 */
import type { KernelFamily } from '../kernel';
import type { IConnectFacts } from './magic';
import { panelAuth } from './authValue';
import { RULES } from './rules';
import { runsLocally } from './scan';
import { statements } from './spark';
import {
  editFix,
  ILocalFinding,
  indentOf,
  insertBefore,
  localFinding
} from './text';
import type {
  INameBindings,
  INotebookContext,
  IPosition,
  IRemoteAssignment
} from './types';

/** The cells `collectBindings` reads. */
export interface IBindingSource {
  count: number;
  textAt(index: number): string;
  isCodeAt(index: number): boolean;
}

/** A cell whose code runs in the Spark session rather than the local kernel. */
function sentToSpark(text: string, family: KernelFamily): boolean {
  return !runsLocally(text, family) || /^%%spark(?=\s|$)/.test(text);
}

const PY_TARGETS =
  /^\s*([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s*(?::[^=\n]*)?=(?!=)(.*)$/;
const SCALA_VAL =
  /^\s*(?:(?:private|protected|final|lazy|implicit|override)\s+)*(?:val|var)\s+([A-Za-z_]\w*)\s*(?::[^=\n]*)?=(?!=)(.*)$/;

/** `%%sql -o name` and `%%spark -o name` copy a result into the local kernel. */
const OUTPUT_TO_LOCAL =
  /^%%(?:sql|spark)\b.*?(?:^|\s)(?:-o|--output)(?:\s+|=)([A-Za-z_]\w*)/;
/** Line magics that bind names nobody can see from here. */
const BINDS_ANYTHING = /^\s*%(?:run\b|store\s+-r\b)/;

const PY_STRING = /^(?:[rRuU])?(['"])([^'"\\\n]*)\1$/;
const PY_GETENV =
  /^os\.(?:getenv|environ\.get)\(\s*(['"])[^'"\\\n]*\1\s*(?:,\s*(['"])([^'"\\\n]*)\2\s*)?\)$/;
const PY_ENVIRON = /^os\.environ\[\s*(['"])[^'"\\\n]*\1\s*\]$/;
const SCALA_STRING = /^"([^"\\\n]*)"$/;
const SCALA_ENV = /^sys\.env\(\s*"([^"\\\n]*)"\s*\)$/;
const SCALA_ENV_OR =
  /^sys\.env\.getOrElse\(\s*"([^"\\\n]*)"\s*,\s*"([^"\\\n]*)"\s*\)$/;
const JAVA_GETENV = /^System\.getenv\(\s*"([^"\\\n]*)"\s*\)$/;

/** A Python string literal for text without backslashes or line ends. */
function pyString(text: string): string {
  return text.includes("'") ? `"${text}"` : `'${text}'`;
}

/**
 * The assignment `name = rhs` as local Python, when its value needs nothing
 * from the Spark session: a string literal or an environment variable.
 */
function localAssignment(
  name: string,
  rhs: string,
  scala: boolean
): { local: string | null; value: string | null } {
  const none = { local: null, value: null };
  if (scala) {
    const code = rhs
      .replace(/\s*\/\/.*$/, '')
      .replace(/\s*;\s*$/, '')
      .trim();
    let m = SCALA_STRING.exec(code);
    if (m) {
      return { local: `${name} = ${pyString(m[1])}`, value: m[1] };
    }
    m = SCALA_ENV.exec(code);
    if (m) {
      return { local: `${name} = os.environ[${pyString(m[1])}]`, value: null };
    }
    m = SCALA_ENV_OR.exec(code);
    if (m) {
      return {
        local: `${name} = os.getenv(${pyString(m[1])}, ${pyString(m[2])})`,
        value: m[2]
      };
    }
    m = JAVA_GETENV.exec(code);
    return m
      ? { local: `${name} = os.getenv(${pyString(m[1])})`, value: null }
      : none;
  }
  const code = rhs.replace(/\s+#.*$/, '').trim();
  const literal = PY_STRING.exec(code);
  if (literal) {
    return { local: `${name} = ${code}`, value: literal[2] };
  }
  const getenv = PY_GETENV.exec(code);
  if (getenv) {
    return { local: `${name} = ${code}`, value: getenv[3] ?? null };
  }
  return PY_ENVIRON.test(code)
    ? { local: `${name} = ${code}`, value: null }
    : none;
}

/** Assignments of the names at the start of a statement in a remote cell. */
function remoteAssignments(
  lines: readonly string[],
  names: ReadonlySet<string>,
  cell: number,
  out: Map<string, IRemoteAssignment[]>
): void {
  for (const [start] of statements(lines)) {
    const line = lines[start];
    const scala = SCALA_VAL.exec(line);
    const python = scala ? null : PY_TARGETS.exec(line);
    const targets = scala
      ? [scala[1]]
      : python
        ? python[1].split(',').map(t => t.trim())
        : [];
    const rhs = (scala ?? python)?.[2] ?? '';
    for (const name of targets) {
      if (!names.has(name)) {
        continue;
      }
      const { local, value } =
        targets.length === 1
          ? localAssignment(name, rhs, !!scala)
          : { local: null, value: null };
      const list = out.get(name) ?? [];
      // Only a top-level assignment can be copied as it is.
      list.push({
        cell,
        line: start,
        local: indentOf(line) === '' ? local : null,
        value
      });
      out.set(name, list);
    }
  }
}

/** A line of local code that binds `name`, or may. */
function bindingPattern(name: string): RegExp {
  return new RegExp(
    `(?:^|[^.\\w])${name}\\s*(?:,[^=\\n]*)?(?::[^=\\n]*)?(?:\\*\\*|//|>>|<<|[-+*/%&|^@])?=(?!=)` +
      `|\\b(?:as|def|class|global|nonlocal)\\s+${name}\\b` +
      `|\\bfor\\b.*\\b${name}\\b.*\\bin\\b` +
      `|^\\s*(?:from\\s+\\S+\\s+)?import\\b.*\\b${name}\\b` +
      `|\\b${name}\\s*:=`
  );
}

function firstLocalBinding(
  lines: readonly string[],
  name: string,
  pattern: RegExp
): number {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (BINDS_ANYTHING.test(line)) {
      return i;
    }
    const trimmed = line.trimStart();
    if (
      trimmed.startsWith('%') ||
      trimmed.startsWith('#') ||
      !line.includes(name)
    ) {
      continue;
    }
    if (pattern.test(line)) {
      return i;
    }
  }
  return -1;
}

function before(a: IPosition, b: IPosition): boolean {
  return a.cell < b.cell || (a.cell === b.cell && a.line < b.line);
}

/**
 * Where each of `names` is bound in cells `[0, until]`: assignments in
 * cells sent to the Spark session, and the first local binding. Only names
 * assigned in the Spark session are returned.
 */
export function collectBindings(
  family: KernelFamily,
  cells: IBindingSource,
  names: ReadonlySet<string>,
  until: number
): Map<string, INameBindings> {
  const result = new Map<string, INameBindings>();
  if (!names.size) {
    return result;
  }
  const any = new RegExp(`\\b(?:${[...names].join('|')})\\b|%run\\b|%store\\b`);
  const patterns = new Map([...names].map(n => [n, bindingPattern(n)]));
  const remote = new Map<string, IRemoteAssignment[]>();
  const local = new Map<string, IPosition>();
  const bindLocal = (name: string, at: IPosition) => {
    const first = local.get(name);
    if (!first || before(at, first)) {
      local.set(name, at);
    }
  };
  for (let i = 0; i <= until && i < cells.count; i++) {
    if (!cells.isCodeAt(i)) {
      continue;
    }
    const text = cells.textAt(i);
    if (!any.test(text)) {
      continue;
    }
    const lines = text.split('\n');
    if (sentToSpark(text, family)) {
      const output = OUTPUT_TO_LOCAL.exec(lines[0]);
      if (output && names.has(output[1])) {
        bindLocal(output[1], { cell: i, line: 0 });
      }
      // Other cell magics (%%sql, %%configure, ...) hold no Python or Scala.
      if (!text.startsWith('%%') || text.startsWith('%%spark')) {
        remoteAssignments(lines, names, i, remote);
      }
      continue;
    }
    for (const [name, pattern] of patterns) {
      if (local.has(name)) {
        continue;
      }
      const line = firstLocalBinding(lines, name, pattern);
      if (line >= 0) {
        bindLocal(name, { cell: i, line });
      }
    }
  }
  for (const [name, assignments] of remote) {
    result.set(name, {
      remote: assignments,
      firstLocal: local.get(name) ?? null
    });
  }
  return result;
}

interface IMissing {
  name: string;
  option: string;
  /** The last remote assignment before the connect line. */
  assignment: IRemoteAssignment;
}

function listOf(items: readonly string[]): string {
  return items.length > 1
    ? `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`
    : items[0];
}

/**
 * The finding of a local connect line that reads names only the Spark
 * session has; null when every name it reads may exist locally.
 * `osImported` tells whether `os` is imported locally before the line.
 */
export function remoteNameFinding(
  index: number,
  lines: readonly string[],
  connect: IConnectFacts,
  ctx: INotebookContext,
  osImported: boolean
): ILocalFinding | null {
  const at = { cell: index, line: connect.line };
  const missing: IMissing[] = [];
  for (const ref of connect.refs) {
    for (const name of ref.names) {
      const bindings = ctx.connectNames.get(name);
      if (
        !bindings ||
        missing.some(m => m.name === name) ||
        (bindings.firstLocal && before(bindings.firstLocal, at))
      ) {
        continue;
      }
      const earlier = bindings.remote.filter(r => before(r, at));
      if (earlier.length) {
        missing.push({
          name,
          option: ref.option,
          assignment: earlier[earlier.length - 1]
        });
      }
    }
  }
  if (!missing.length) {
    return null;
  }
  const names = missing.map(m => m.name);
  const cells = [...new Set(missing.map(m => m.assignment.cell + 1))].sort(
    (a, b) => a - b
  );
  const one = names.length === 1;
  const cellList = `${cells.length > 1 ? 'cells' : 'cell'} ${listOf(cells.map(String))}`;
  const those = cells.length > 1 ? 'those cells' : 'that cell';
  const sent =
    ctx.family === 'sparkmagic'
      ? `the SparkMagic kernel sends ${those} to the Spark session (no %%local)`
      : `%%spark runs ${those} in the Spark session`;
  const message =
    `This connect line reads ${listOf(names)}, but ${one ? names[0] : 'they'} ` +
    `${one ? 'is' : 'are'} assigned only in ${cellList}, and ${sent}. The magic runs in the ` +
    `local kernel, where IPython expands the line; ${one ? `${names[0]} does not exist` : 'they do not exist'} ` +
    'there, so IPython leaves the whole line unexpanded and the magic receives it as written: ' +
    'the connection fails, by hand and as a job. ' +
    `Assign ${one ? 'it' : 'them'} in the local kernel before the magic (Python in a %%local cell), ` +
    `or read the ${one ? 'value' : 'values'} with os.getenv in the connect line and set ` +
    `${one ? 'it' : 'them'} in the job's Environment variables; the panel's form does both.`;

  const statements = missing.map(m => m.assignment.local);
  if (statements.every((s): s is string => s !== null)) {
    const source = insertBefore(
      lines,
      connect.line,
      [
        ...(!osImported && statements.some(s => /\bos\./.test(s))
          ? ['import os']
          : []),
        ...statements
      ],
      ctx.family === 'sparkmagic'
    );
    return localFinding(
      RULES.sparkmagicRemoteName,
      connect.line,
      message,
      editFix(source, `Assign ${listOf(names)} locally, before the magic`)
    );
  }

  const values: { clusterId?: string; authType?: string; secretId?: string } =
    {};
  for (const { option, assignment } of missing) {
    const value = assignment.value;
    if (value === null) {
      continue;
    }
    if (option === 'cluster-id') {
      values.clusterId = value;
    } else if (option === 'secret') {
      values.secretId = value;
    } else if (option === 'auth-type') {
      const auth = panelAuth(value);
      if (auth) {
        values.authType = auth;
      }
    }
  }
  return localFinding(RULES.sparkmagicRemoteName, connect.line, message, {
    kind: 'env-form',
    label: 'Use environment variables',
    values
  });
}
