/**
 * A small command-line parser: `--name value`, `--name=value`, `-h`/`--help`,
 * positionals, and `--` to end the options. Errors name the option only, never
 * its value, so a secret typed by mistake is not echoed back.
 */

/** Wrong usage of the command line: a message and exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface IParsedArgs {
  positionals: string[];
  /** Option values by option name, e.g. `--role-arn`. */
  options: Map<string, string>;
  /** Boolean switches that were given, e.g. `--json`. */
  switches: Set<string>;
  help: boolean;
}

export interface IArgSpec {
  /** Options that take a value. */
  options: readonly string[];
  /** Options without a value. */
  switches?: readonly string[];
}

export const PASSWORD_FLAG_MESSAGE =
  '--password is not accepted: a password on the command line is visible to other ' +
  'users and kept in shell history. Type it at the prompt or pipe it on stdin.';

export function parseArgs(
  argv: readonly string[],
  spec: IArgSpec,
  command: string
): IParsedArgs {
  const parsed: IParsedArgs = {
    positionals: [],
    options: new Map(),
    switches: new Set(),
    help: false
  };
  const switches = new Set(spec.switches ?? []);
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (token === '--') {
      parsed.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (token === '-h' || token === '--help') {
      parsed.help = true;
      continue;
    }
    if (!token.startsWith('-') || token === '-') {
      parsed.positionals.push(token);
      continue;
    }
    const eq = token.indexOf('=');
    const name = eq === -1 ? token : token.slice(0, eq);
    if (/^--?password$/i.test(name)) {
      throw new UsageError(PASSWORD_FLAG_MESSAGE);
    }
    if (switches.has(name)) {
      if (eq !== -1) {
        throw new UsageError(`${name} takes no value.`);
      }
      parsed.switches.add(name);
      continue;
    }
    if (!spec.options.includes(name)) {
      throw new UsageError(
        `unknown option ${name.slice(0, 64)} for ${command}.`
      );
    }
    let value: string;
    if (eq !== -1) {
      value = token.slice(eq + 1);
    } else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) {
        throw new UsageError(`${name} needs a value.`);
      }
      value = next;
      i++;
    }
    if (parsed.options.has(name)) {
      throw new UsageError(`${name} is given twice.`);
    }
    parsed.options.set(name, value);
  }
  return parsed;
}
