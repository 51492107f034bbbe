/**
 * Argument errors of %sm_analytics: its validators (EMRValidator,
 * EMRServerlessValidator, the role ARN check) raise MissingParametersError,
 * InvalidParameterError and InvalidArnException, IPython's argument parser a
 * UsageError. Each names a flag; the message goes on with the magic's usage
 * text, which is never the reason.
 */

import { flat } from './aws';
import { shortName } from './exception';

/** The classes the magic's argument checks raise (and argparse's, through IPython). */
export const ARGUMENT_ERRORS = new Set([
  'MissingParametersError',
  'InvalidParameterError',
  'InvalidArnException',
  'UsageError',
  'ArgumentError',
  'ArgumentTypeError'
]);

export function isArgumentError(name: string): boolean {
  return ARGUMENT_ERRORS.has(shortName(name));
}

export interface IArgumentProblem {
  /** The flags at fault (`--auth-type`), or the word of the command (`conect`). */
  flags: string[];
  /** What is wrong, one clause. */
  problem: string;
  /** What to write instead. */
  fix: string;
}

function list(set: string): string {
  return set
    .split(',')
    .map(s => s.trim().replace(/^['"]|['"]$/g, ''))
    .filter(Boolean)
    .join(', ');
}

const ROLE_ARN = /^arn:aws[\w-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

/** Role ARN flags of the connect line whose value is not a role ARN. */
function badRoleFlags(source: string): string[] {
  const bad: string[] = [];
  const re = /(--(?:emr-execution-role-arn|assumable-role-arn))(?:\s+|=)(\S+)/g;
  for (let m = re.exec(source); m; m = re.exec(source)) {
    const value = m[2].replace(/^['"]|['"]$/g, '');
    if (!ROLE_ARN.test(value) && !/^\{/.test(value) && !bad.includes(m[1])) {
      bad.push(m[1]);
    }
  }
  return bad;
}

/**
 * What an argument error says: the flag and the fix. `source` is the text the
 * connect line can be read from (the cell or the status message).
 */
export function argumentProblem(
  name: string,
  message: string,
  source: string
): IArgumentProblem {
  const p = readProblem(name, message, connectLines(source));
  return { ...p, flags: p.flags.filter((f, i) => p.flags.indexOf(f) === i) };
}

/**
 * The lines of a text that are the connect line (the cell, or IPython's quote
 * of it): not the magic's own source, which a traceback also quotes.
 */
function connectLines(source: string): string {
  return source
    .split('\n')
    .filter(l =>
      /sm_analytics['"]?,?\s+['"]?(?:emr|emr-serverless)\s+\w/.test(l)
    )
    .join('\n');
}

function readProblem(
  name: string,
  message: string,
  source: string
): IArgumentProblem {
  const text = flat(message);
  const short = shortName(name);
  let m: RegExpExecArray | null;
  if (
    (m = /Missing required argument '(--[\w-]+)' for IPython kernel/.exec(text))
  ) {
    return {
      flags: [m[1]],
      problem: `${m[1]} is missing, and a Python (IPython) kernel needs it`,
      fix: `Add ${m[1]} python (or scala) to the connect line: in a Python kernel %sm_analytics must be told the language of the Spark session.`
    };
  }
  if ((m = /Missing required argument '(--[\w-]+)'/.exec(text))) {
    return {
      flags: [m[1]],
      problem: `${m[1]} is missing`,
      fix: `Add ${m[1]} to the connect line (insert the connect cell again from the panel to get every required flag).`
    };
  }
  if (
    (m = /Invalid auth type, supported auth types are '?\{([^}]*)\}/.exec(text))
  ) {
    const given = /--auth-type(?:\s+|=)(\S+)/.exec(source)?.[1];
    return {
      flags: ['--auth-type'],
      problem: `--auth-type${given ? ` ${given}` : ''} is not one of ${list(m[1])}`,
      fix: `Give --auth-type one of ${list(m[1])} (case matters): the cluster's own auth type, which Browse clusters in the panel detects.`
    };
  }
  if (
    (m = /Invalid language, supported languages are '?\{([^}]*)\}/.exec(text))
  ) {
    return {
      flags: ['--language'],
      problem: `--language is not one of ${list(m[1])}`,
      fix: `Give --language one of ${list(m[1])}.`
    };
  }
  if (
    (m =
      /((?:--[\w-]+,? )+and --[\w-]+) are not supported when connecting to EMR Serverless/.exec(
        text
      ))
  ) {
    const flags = (m[1].match(/--[\w-]+/g) ?? []).filter(f =>
      new RegExp(`${f}(?:\\s|=|$)`).test(source)
    );
    const named = flags.length ? flags : (m[1].match(/--[\w-]+/g) ?? []);
    return {
      flags: named,
      problem: `${named.join(', ')} ${named.length > 1 ? 'are' : 'is'} for EMR clusters, not EMR Serverless applications`,
      fix: `Remove ${named.join(', ')} from the emr-serverless connect line: it takes --application-id, --emr-execution-role-arn, --language and --assumable-role-arn.`
    };
  }
  if ((m = /(--[\w-]+) key is only for Kerberos cluster/.exec(text))) {
    return {
      flags: [m[1]],
      problem: `${m[1]} is only for Kerberos clusters`,
      fix: `Remove ${m[1]} from the connect line, or connect with --auth-type Kerberos to a Kerberos cluster.`
    };
  }
  if ((m = /(\S+) path does not point to a file/.exec(text))) {
    return {
      flags: ['--verify-certificate'],
      problem: `--verify-certificate names ${m[1]}, which is not a file`,
      fix: 'Give --verify-certificate the path of a certificate file the job can read, True for a public CA, or False.'
    };
  }
  if ((m = /Operation '([^']*)' not found/.exec(text))) {
    return {
      flags: [m[1]],
      problem: `"${m[1]}" is not an operation of %sm_analytics`,
      fix: 'Write the operation as connect (or help): %sm_analytics emr connect ... or %sm_analytics emr-serverless connect ....'
    };
  }
  if ((m = /Service '([^']*)' not found/.exec(text))) {
    return {
      flags: [m[1]],
      problem: `"${m[1]}" is not a service of %sm_analytics`,
      fix: 'Write the service as emr or emr-serverless: %sm_analytics emr connect ....'
    };
  }
  if (/Please provide service name and operation/.test(text)) {
    return {
      flags: [],
      problem: 'the line names no service and operation',
      fix: 'Start the line with the service and operation: %sm_analytics emr connect ... or %sm_analytics emr-serverless connect ....'
    };
  }
  if (
    short === 'InvalidArnException' ||
    /Incorrect Role ARN|ARNs must|Provided ARN is empty|Invalid partition/.test(
      text
    )
  ) {
    const flags = badRoleFlags(source);
    const which = flags.length ? flags.join(' and ') : 'a role ARN flag';
    return {
      flags,
      problem: `${which} is not an IAM role ARN (${text.split(/(?<=\.) /)[0].replace(/\.$/, '')})`,
      fix: `Give ${which} a role's ARN, arn:aws:iam::<account>:role/<name>: the panel's role picker fills it.`
    };
  }
  if ((m = /unrecognized arguments?: (.*)/.exec(text))) {
    const flags = m[1].split(/\s+/).filter(t => /^--?[A-Za-z]/.test(t));
    return {
      flags,
      problem: `${flags.length ? flags.join(', ') : m[1].trim()} ${flags.length > 1 ? 'are' : 'is'} not a flag of %sm_analytics`,
      fix: 'Correct the flag names (--secret, not --secrets; --auth-type, not --auth; plain dashes, one line): Checks in the panel finds and fixes them.'
    };
  }
  if ((m = /argument (--?[\w-]+(?:\/--?[\w-]+)*): (.*)/.exec(text))) {
    const flag = m[1].split('/').pop()!;
    return {
      flags: [flag],
      problem: `${flag}: ${m[2].replace(/\.$/, '')}`,
      fix: `Give ${flag} one value, with no spaces in it (quote it otherwise).`
    };
  }
  if ((m = /the following arguments are required: (.*)/.exec(text))) {
    return {
      flags: m[1].split(/,\s*/),
      problem: `${m[1]} missing`,
      fix: 'Write the whole connect line: %sm_analytics emr connect --cluster-id ... --auth-type ....'
    };
  }
  const flags = (
    text.split(/(?<=\.) /)[0].match(/--[a-z][\w-]*/g) ?? []
  ).filter((f, i, all) => all.indexOf(f) === i);
  return {
    flags,
    problem: text.split(/(?<=\.) /)[0].replace(/\.$/, ''),
    fix: `Correct ${flags.length ? flags.join(', ') : 'the connect line'}: Checks in the panel finds the flags %sm_analytics refuses and fixes them.`
  };
}
