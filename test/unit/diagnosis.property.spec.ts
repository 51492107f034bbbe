/**
 * Properties of the run diagnosis (fast-check): over the captured runs
 * (test/fixtures/runs) changed the ways real status messages differ from each
 * other, and over made-up failures that hold nothing it knows.
 */
import fc from 'fast-check';
import {
  cleanTerminalText,
  diagnoseRun,
  IRunDiagnosis
} from '../../src/core/runs/diagnosis';
import { IRunFixture, runFixtures } from './runFixtures';

type IFixture = IRunFixture;
const fixtures: IFixture[] = runFixtures;
const withStatus = fixtures.filter(f => f.statusMessage);

const RUNS = 40;

const fromStatus = (statusMessage: string) => diagnoseRun({ statusMessage });

/** A diagnosis's detail, without the ellipsis of a shortened one. */
function detailText(d: IRunDiagnosis): string {
  return d.detail.replace(/…$/, '');
}

const ANSI_CODES = [
  '\u001b[0;31m',
  '\u001b[0m',
  '\u001b[1;32m',
  '\u001b[38;5;241m',
  '\u001b[43m',
  '\u001b[39;49m',
  '\u001b[K'
];

/** Colours the text as a terminal would: codes at word and line boundaries. */
function colour(text: string, picks: number[]): string {
  let i = 0;
  return text.replace(/(^|\s)(?=\S)/gm, (m: string) => {
    const pick = picks[i++ % picks.length];
    return pick < ANSI_CODES.length ? m + ANSI_CODES[pick] : m;
  });
}

/** The index of the failing exception's line in the cleaned status, found by its class. */
function finalLine(f: IFixture, lines: string[]): number {
  const error = f.cells
    .flatMap(c => c.outputs ?? [])
    .find(o => o.output_type === 'error');
  const name = error?.ename ?? 'UsageError';
  for (let i = lines.length - 1; i >= 0; i--) {
    if (lines[i].startsWith(`${name}:`)) {
      return i;
    }
  }
  return -1;
}

/** The status message with its failing exception's message wrapped again at `width`. */
function rewrap(f: IFixture, width: number): string | null {
  const lines = cleanTerminalText(f.statusMessage).split('\n');
  const start = finalLine(f, lines);
  if (start < 0) {
    return null;
  }
  let end = start + 1;
  while (end < lines.length && !/^\s*-{3,}\s*$/.test(lines[end])) {
    end++;
  }
  const words = lines.slice(start, end).join(' ').split(/\s+/).filter(Boolean);
  const wrapped: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && line.length + 1 + w.length > width) {
      wrapped.push(line);
      line = w;
    } else {
      line = line ? `${line} ${w}` : w;
    }
  }
  wrapped.push(line);
  return [...lines.slice(0, start), ...wrapped, ...lines.slice(end)].join('\n');
}

describe('the diagnosis of a captured run does not depend on', () => {
  it('terminal codes: stripped, or added anywhere between words', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...withStatus),
        fc.array(fc.nat(ANSI_CODES.length * 2), {
          minLength: 1,
          maxLength: 20
        }),
        (f, picks) => {
          const cause = fromStatus(f.statusMessage).cause;
          const clean = cleanTerminalText(f.statusMessage);
          expect(fromStatus(clean).cause).toBe(cause);
          expect(fromStatus(colour(clean, picks)).cause).toBe(cause);
        }
      ),
      { numRuns: RUNS }
    );
  });

  it('how the failing exception’s message is wrapped', () => {
    const wrappable = withStatus.filter(f => rewrap(f, 80) !== null);
    expect(wrappable.length).toBeGreaterThan(withStatus.length / 2);
    fc.assert(
      fc.property(
        fc.constantFrom(...wrappable),
        fc.integer({ min: 16, max: 160 }),
        (f, width) => {
          const cause = fromStatus(f.statusMessage).cause;
          const d = fromStatus(rewrap(f, width)!);
          expect(d.cause).toBe(cause);
        }
      ),
      { numRuns: RUNS * 2 }
    );
  });

  it('the beginning of a long status message (its last 2,000 characters are enough)', () => {
    let same = 0;
    for (const f of withStatus) {
      const full = fromStatus(f.statusMessage);
      const clean = cleanTerminalText(f.statusMessage);
      for (const cut of [clean.slice(-2000), f.statusMessage.slice(-2000)]) {
        const d = fromStatus(cut);
        if (d.cause === full.cause) {
          same++;
          continue;
        }
        // Only when the cut took away everything that told the cause: the AWS error of an
        // exception the failing one was raised from, or every frame of the magic (IPython's
        // coloured frames are long). Then it is unknown, never another cause.
        // (Source lines IPython quotes are code, not what happened.)
        const left = cleanTerminalText(cut).replace(
          /^\s*(?:-+>\s*)?\d+\s.*$/gm,
          ''
        );
        const evidence = full.aws
          ? left.includes(full.aws.code)
          : /site-packages\/(?:sagemaker_studio|sparkmagic)/.test(left);
        expect([f.file, d.cause, evidence]).toEqual([f.file, 'unknown', false]);
      }
    }
    expect(same).toBeGreaterThan(withStatus.length * 1.6);
  });
});

describe('the detail', () => {
  it('is a line of the captured run’s input', () => {
    for (const f of withStatus) {
      const d = fromStatus(f.statusMessage);
      expect(cleanTerminalText(f.statusMessage)).toContain(detailText(d));
      const full = diagnoseRun({
        statusMessage: f.statusMessage,
        cells: f.cells
      });
      const error = f.cells
        .flatMap(c => c.outputs ?? [])
        .find(o => o.output_type === 'error');
      if (error) {
        // The exception's line, as the traceback of the error output shows it.
        expect(cleanTerminalText((error.traceback ?? []).join('\n'))).toContain(
          detailText(full)
        );
        expect(full.detail).toBe(
          `${error.ename}: ${String(error.evalue).split('\n')[0].trim()}`.slice(
            0,
            300
          )
        );
      }
    }
  });

  it('is in the input, whatever the input', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 400 }),
          fc.fullUnicodeString({ maxLength: 200 }),
          fc
            .array(
              fc.oneof(
                fc.lorem({ maxCount: 8 }),
                fc.constantFrom(
                  'ValueError: bad value',
                  'Traceback (most recent call last):',
                  'KeyError: ',
                  '  File "/x.py", line 1, in <module>',
                  '------------------',
                  'RuntimeError:\tx',
                  'OSError:  two spaces'
                )
              ),
              { maxLength: 12 }
            )
            .map(l => l.join('\n'))
        ),
        text => {
          const d = fromStatus(text);
          expect(cleanTerminalText(text)).toContain(detailText(d));
        }
      ),
      { numRuns: 300 }
    );
  });
});

/** Exception classes that are neither the magic's, sparkmagic's, botocore's nor an argument error. */
const PLAIN_NAMES = [
  'ValueError',
  'RuntimeError',
  'TypeError',
  'KeyError',
  'IndexError',
  'AttributeError',
  'ZeroDivisionError',
  'OSError',
  'AssertionError',
  'NameError',
  'pandas.errors.ParserError',
  'numpy.core._exceptions._ArrayMemoryError'
];
const OTHER_LIBRARIES = [
  'pandas/core/frame.py',
  'numpy/lib/npyio.py',
  'requests/api.py',
  'json/decoder.py',
  'myproject/etl.py'
];

const plainName = fc.oneof(
  fc.constantFrom(...PLAIN_NAMES),
  fc.stringMatching(/^[A-Z][a-z]{3,9}(?:Error|Exception)$/)
);
const frame = fc.oneof(
  fc
    .integer({ min: 1, max: 40 })
    .map(n => `Cell In[${n}], line ${(n % 7) + 1}`),
  fc
    .tuple(
      fc.constantFrom(...OTHER_LIBRARIES),
      fc.integer({ min: 1, max: 2000 })
    )
    .map(
      ([p, n]) =>
        `File /opt/conda/lib/python3.11/site-packages/${p}:${n}, in f(x)`
    )
);
const madeUpFailure = fc
  .record({
    name: plainName,
    message: fc.array(fc.lorem({ maxCount: 10 }), {
      minLength: 1,
      maxLength: 3
    }),
    frames: fc.array(frame, { maxLength: 4 }),
    preamble: fc.boolean(),
    noise: fc.array(fc.lorem({ maxCount: 6 }), { maxLength: 4 }),
    header: fc.boolean(),
    picks: fc.array(fc.nat(ANSI_CODES.length * 2), {
      minLength: 1,
      maxLength: 8
    })
  })
  .map(r => {
    const text = [
      ...(r.preamble
        ? [
            'An error occurred while executing the following cell:',
            '------------------',
            'df = load()',
            '------------------',
            ''
          ]
        : []),
      ...r.noise,
      r.header
        ? `${r.name}                  Traceback (most recent call last)`
        : 'Traceback (most recent call last):',
      ...r.frames.flatMap(f => [f, '      1 x = 1', '----> 2 y = f(x)', '']),
      `${r.name}: ${r.message.join('\n')}`
    ].join('\n');
    return {
      text: colour(text, r.picks),
      hasCell: r.frames.some(f => f.startsWith('Cell In'))
    };
  });

describe('a failure with no AWS error, no frame of the magic and no exception it knows', () => {
  it('is the notebook’s code (if its cell is in the traceback) or unknown, never an EMR cause', () => {
    fc.assert(
      fc.property(madeUpFailure, ({ text, hasCell }) => {
        const d = fromStatus(text);
        expect(['unknown', 'user-code']).toContain(d.cause);
        if (d.cause === 'user-code') {
          expect(hasCell).toBe(true);
        }
        expect(d.action).toBeUndefined();
        expect(cleanTerminalText(text)).toContain(detailText(d));
        if (d.cause === 'unknown') {
          expect(d.summary).toBe(d.detail);
        }
      }),
      { numRuns: 300 }
    );
  });

  it('junk is never guessed at', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 500 }), text => {
        expect(['unknown', 'user-code']).toContain(fromStatus(text).cause);
      }),
      { numRuns: 300 }
    );
  });
});
