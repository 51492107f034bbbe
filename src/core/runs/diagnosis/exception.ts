/**
 * The failing exception of a run, read from what a scheduler keeps: an error
 * output of the output notebook (ename, evalue, traceback) or a status message
 * (the cell, its streams and a traceback as text, with terminal codes).
 */

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b[@-Z\\-_]/g;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/** Text without terminal colour codes and other control characters. */
export function cleanTerminalText(text: string): string {
  return text.replace(ANSI, '').replace(CONTROL, '');
}

export interface IException {
  /** The class as printed: `ValueError`, `botocore.exceptions.ClientError`. */
  name: string;
  /** The whole message, every line of it. */
  message: string;
  /** `Name: first line of the message`, as it appears in the input. */
  line: string;
}

export interface IFailure {
  exception: IException;
  /** The exceptions the failing one was raised from or while handling, nearest last. */
  chain: IException[];
  /** The frames of the failing exception's traceback (file paths and cell markers). */
  frames: string[];
}

/** The last part of a (dotted) class name. */
export function shortName(name: string): string {
  const parts = name.split('.');
  return parts[parts.length - 1];
}

const EXCEPTION_SUFFIX =
  /(?:Error|Exception|Fault|Warning|Exit|Interrupt|Failure|Iteration)$/;
/** Words that end like exception classes but are log levels or prose. */
const NOT_A_CLASS = new Set(['Error', 'Warning', 'Exception']);

/** Whether a name looks like an exception class (not a log level or a label). */
export function isExceptionName(name: string): boolean {
  const short = shortName(name);
  return (
    /^[A-Za-z_]\w*$/.test(short) &&
    EXCEPTION_SUFFIX.test(short) &&
    !NOT_A_CLASS.has(name) &&
    !/^[A-Z_]+$/.test(short)
  );
}

/** `Name: message` or a bare `Name`, at the start of a line. */
const HEADER = /^((?:[A-Za-z_]\w*\.)*[A-Za-z_]\w*)(?::(?:[ \t](.*))?)?$/;
/** IPython's `ValueError            Traceback (most recent call last)` and Python's own. */
const TRACEBACK_MARK =
  /^(?:(\S+)\s+)?Traceback \(most recent call last\):?\s*$/;
/** A rule of dashes or equals signs: where jupyter-scheduler's sections end. */
const RULE = /^\s*(?:-{3,}|={3,})\s*$/;

/** Frame lines: IPython 8's `File /path:12, in f()`, `Cell In[3], line 1`, Python's `File "x", line 1`. */
const FRAME =
  /^\s*(?:File\s+"?([^",\n]+?)"?(?::\d+|, line \d+)|(Cell In\s*\[\d+\], line \d+)|(Input In\s*\[\d+\])|(<ipython-input-[\w-]+>))/;

interface IHeader {
  index: number;
  name: string;
  first: string;
}

function headerAt(line: string, index: number, want?: string): IHeader | null {
  const m = HEADER.exec(line.trimEnd());
  // A plain `Exception: ...` counts when the traceback's header names it.
  if (!m || !(isExceptionName(m[1]) || (want !== undefined && m[1] === want))) {
    return null;
  }
  return { index, name: m[1], first: m[2] ?? '' };
}

/** A message that goes on below its header, up to a rule or (if `toBlank`) a blank line. */
function messageFrom(
  lines: string[],
  header: IHeader,
  end: number,
  toBlank: boolean
): string {
  const out = [header.first];
  for (let i = header.index + 1; i < end; i++) {
    const line = lines[i];
    if (RULE.test(line) || TRACEBACK_MARK.test(line)) {
      break;
    }
    if (toBlank && !line.trim()) {
      break;
    }
    if (
      /^(?:The above exception was|During handling of the above)/.test(line)
    ) {
      break;
    }
    out.push(line);
  }
  return out.join('\n').trimEnd();
}

function lineOf(name: string, message: string): string {
  const first = message.split('\n')[0].trim();
  return first ? `${name}: ${first}` : name;
}

/**
 * Reads a traceback given as text (a status message, or an error output's
 * traceback joined): the final `Name: message` block, however many lines its
 * message has, the exceptions chained before it, and its frames.
 * `preferred` names the class when it is known (an error output's ename).
 */
export function readTraceback(
  text: string,
  preferred?: string
): IFailure | null {
  const lines = cleanTerminalText(text).split(/\r?\n/);
  let firstMark = -1;
  let lastMark = -1;
  let markName: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const mark = TRACEBACK_MARK.exec(lines[i]);
    if (mark) {
      if (firstMark < 0) {
        firstMark = i;
      }
      lastMark = i;
      markName = mark[1];
    }
  }
  const want = preferred ?? markName;
  const headers: IHeader[] = [];
  for (let i = 0; i < lines.length; i++) {
    const h = TRACEBACK_MARK.test(lines[i])
      ? null
      : headerAt(lines[i], i, want);
    if (h) {
      headers.push(h);
    }
  }
  const candidates = headers.filter(h => h.index > lastMark);
  let final: IHeader | undefined;
  if (want) {
    const named = (list: IHeader[]) =>
      list.find(h => h.name === want || shortName(h.name) === shortName(want));
    final =
      named(candidates) ?? [...headers].reverse().find(h => h.name === want);
  }
  final ??= candidates[0] ?? headers[headers.length - 1];
  if (!final) {
    return null;
  }
  const message = messageFrom(lines, final, lines.length, false);
  const chain = headers
    .filter(h => h.index < final!.index && h.index > firstMark)
    .map(h => {
      const m = messageFrom(lines, h, final!.index, true);
      return { name: h.name, message: m, line: lineOf(h.name, m) };
    });
  const start = lastMark >= 0 && lastMark < final.index ? lastMark : 0;
  const frames: string[] = [];
  for (let i = start; i < final.index; i++) {
    const m = FRAME.exec(lines[i]);
    if (m) {
      frames.push((m[1] ?? m[2] ?? m[3] ?? m[4]).trim());
    }
  }
  return {
    // The line as it stands in the input (its spacing kept), so that it can be found there.
    exception: { name: final.name, message, line: lines[final.index].trim() },
    chain,
    frames
  };
}

/**
 * The notebook's own cell, as ipykernel names its frames, or as Livy runs a
 * SparkMagic cell's code on the cluster (`File "<stdin>"`, in the remote
 * traceback sparkmagic prints after "An error was encountered:").
 */
export function isCellFrame(frame: string): boolean {
  return /^Cell In\s*\[|^Input In\s*\[|<ipython-input-|\/ipykernel_\d+\/\d+\.py$|^<stdin>$/.test(
    frame
  );
}

/**
 * Frames of %sm_analytics, sparkmagic, their libraries and the AWS SDK: an
 * error raised there is never the notebook's own code.
 */
const MAGIC_PATH =
  /[\\/](?:sagemaker_studio_analytics_extension|sagemaker_studio_sparkmagic_lib|sparkmagic|hdijupyterutils|autovizwidget|botocore|boto3|s3transfer|requests_kerberos|requests_gssapi)[\\/]/;

export function isMagicFrame(frame: string): boolean {
  return MAGIC_PATH.test(frame);
}
