/**
 * Properties of the connect cells over random states (fast-check).
 *
 * Valid states: the cells are a fixed template with each value written
 * verbatim in its own place. The template is what the generator writes for
 * placeholder values; replacing the placeholders by the real values must give
 * exactly the real cells. So no value changes anything outside its place: no
 * new line, quote, brace or flag comes from what a user typed.
 *
 * Any state (a valid one with a field corrupted): either the panel refuses it
 * and `connectCells` throws InvalidConnectStateError naming the field, writing
 * nothing, or the panel accepts it and it is written as the template above.
 */
import fc from 'fast-check';
import { authTypeInfo } from '../../src/core/auth';
import { readConnectLines } from '../../src/core/checker/grammar';
import {
  connectCells,
  connectErrors,
  IConnectOptions,
  IConnectState,
  InvalidConnectStateError
} from '../../src/core/connectCell';
import {
  validateClusterId,
  validateEnvVarName,
  validateRoleArn,
  validateSecretId
} from '../../src/core/validate';
import {
  IConnectCase,
  validCaseArb
} from '../fixtures/generatePropertyFixtures';

const RUNS = 1000;

/** Placeholders: valid values that cannot occur in the template's own text. */
const PLACEHOLDER = {
  clusterId: 'j-QQQCLUSTERQQQ',
  secretId: 'QQQSECRETQQQ',
  assumableRoleArn: 'arn:aws:iam::000000000000:role/QQQASSUMEQQQ',
  executionRoleArn: 'arn:aws:iam::000000000000:role/QQQEXECUTIONQQQ',
  envCluster: 'QQQENVCLUSTERQQQ',
  envAuth: 'QQQENVAUTHQQQ',
  envSecret: 'QQQENVSECRETQQQ'
};

/** The cells for the same choices with every typed value a placeholder. */
function template({ state, options, family }: IConnectCase) {
  const placeholderState: IConnectState = {
    ...state,
    clusterId: PLACEHOLDER.clusterId,
    secretId: PLACEHOLDER.secretId,
    assumableRoleArn: state.assumableRoleArn && PLACEHOLDER.assumableRoleArn,
    executionRoleArn: state.executionRoleArn && PLACEHOLDER.executionRoleArn
  };
  const placeholderOptions: IConnectOptions = {
    ...options,
    envNames: {
      ...options.envNames,
      clusterId: PLACEHOLDER.envCluster,
      authType: PLACEHOLDER.envAuth,
      secretId: PLACEHOLDER.envSecret
    }
  };
  return connectCells(placeholderState, placeholderOptions, family);
}

/** Every (placeholder, value) pair of a case. */
function substitutions({ state, options }: IConnectCase): [string, string][] {
  return [
    [PLACEHOLDER.clusterId, state.clusterId],
    [PLACEHOLDER.secretId, state.secretId],
    [PLACEHOLDER.assumableRoleArn, state.assumableRoleArn],
    [PLACEHOLDER.executionRoleArn, state.executionRoleArn],
    [PLACEHOLDER.envCluster, options.envNames.clusterId],
    [PLACEHOLDER.envAuth, options.envNames.authType],
    [PLACEHOLDER.envSecret, options.envNames.secretId]
  ];
}

function fill(text: string, pairs: [string, string][]): string {
  return pairs.reduce((t, [from, to]) => t.split(from).join(to), text);
}

/** Characters that could end a string literal, open an expression, start a
 * comment or a new statement, or split an argument. */
const STRUCTURAL = ["'", '"', '{', '}', '\n', '\r', ' ', '\\', '#', '$', ';'];

function count(text: string, ch: string): number {
  return text.split(ch).length - 1;
}

/** The cells of a case the panel accepts are its template, filled in, with
 * exactly the template's quotes, braces, spaces and lines. */
function expectWrittenAsTemplate(c: IConnectCase) {
  const cells = connectCells(c.state, c.options, c.family);
  const shape = template(c);
  expect(cells).toEqual(
    shape.map(cell => ({
      ...cell,
      source: fill(cell.source, substitutions(c))
    }))
  );
  cells.forEach((cell, i) => {
    for (const ch of STRUCTURAL) {
      expect([ch, count(cell.source, ch)]).toEqual([
        ch,
        count(shape[i].source, ch)
      ]);
    }
  });
}

describe('connect cells of valid states', () => {
  it('are the template with each value written verbatim in its place', () => {
    fc.assert(
      fc.property(validCaseArb, c => {
        expect(connectErrors(c.state, c.options)).toEqual({});
        expectWrittenAsTemplate(c);
      }),
      { numRuns: RUNS }
    );
  });

  it('put each fallback inside its own string literal, on one magic line', () => {
    fc.assert(
      fc.property(validCaseArb, c => {
        const source = connectCells(c.state, c.options, c.family)
          .map(cell => cell.source)
          .join('\n');
        const magic = source
          .split('\n')
          .filter(line => line.startsWith('%sm_analytics'));
        expect(magic).toHaveLength(1);
        const getenv = /\{os\.getenv\('([^']*)'(?:, '([^']*)')?\)\}/g;
        const found = [...magic[0].matchAll(getenv)].map(m => [m[1], m[2]]);
        const names = c.options.envNames;
        const auth = authTypeInfo(c.state.authType);
        const fallback = (v: string) => (c.options.useFallback ? v : undefined);
        expect(found).toEqual([
          [names.clusterId, fallback(c.state.clusterId)],
          [names.authType, fallback(auth.magicValue)],
          ...(auth.needsSecret
            ? [[names.secretId, fallback(c.state.secretId)]]
            : [])
        ]);
      }),
      { numRuns: RUNS }
    );
  });
});

describe("connect cells read back with the magic's grammar", () => {
  it('give the magic exactly the options of the state, as it accepts them', () => {
    fc.assert(
      fc.property(validCaseArb, c => {
        const source = connectCells(c.state, c.options, c.family)
          .map(cell => cell.source)
          .join('\n');
        const { envNames: names, useFallback } = c.options;
        const getenv = (name: string, value: string) =>
          useFallback
            ? `{os.getenv('${name}', '${value}')}`
            : `{os.getenv('${name}')}`;
        const auth = authTypeInfo(c.state.authType);
        const optional = (given: unknown, option: string, value: string) =>
          given ? { [option]: value } : {};
        expect(readConnectLines(source)).toEqual([
          {
            service: 'emr',
            options: {
              'cluster-id': getenv(names.clusterId, c.state.clusterId),
              'auth-type': getenv(names.authType, auth.magicValue),
              ...optional(
                auth.needsSecret,
                'secret',
                getenv(names.secretId, c.state.secretId)
              ),
              ...optional(
                c.state.verifyCertificate,
                'verify-certificate',
                'True'
              ),
              ...optional(
                c.state.assumableRoleArn,
                'assumable-role-arn',
                c.state.assumableRoleArn
              ),
              ...optional(
                c.state.executionRoleArn,
                'emr-execution-role-arn',
                c.state.executionRoleArn
              ),
              ...optional(
                c.family === 'ipython',
                'language',
                c.options.language
              )
            }
          }
        ]);
      }),
      { numRuns: RUNS }
    );
  });
});

/** One field of a valid case made invalid, by insertion or replacement. */
type Field =
  | 'clusterId'
  | 'secretId'
  | 'assumableRoleArn'
  | 'executionRoleArn'
  | 'env.clusterId'
  | 'env.authType'
  | 'env.secretId';

const VALIDATORS: Record<Field, (v: string) => string | null> = {
  clusterId: validateClusterId,
  secretId: validateSecretId,
  assumableRoleArn: validateRoleArn,
  executionRoleArn: validateRoleArn,
  'env.clusterId': validateEnvVarName,
  'env.authType': validateEnvVarName,
  'env.secretId': validateEnvVarName
};

const hostileChar = fc.oneof(
  fc.constantFrom(
    ...STRUCTURAL,
    '\t',
    '\u0000',
    '(',
    ')',
    '%',
    '\u2014',
    '\u2010',
    '\u0458',
    '\u0661',
    '\uff21',
    '\u200b'
  ),
  fc.fullUnicode()
);

function valueOf(c: IConnectCase, field: Field): string {
  if (field.startsWith('env.')) {
    const key = field.slice(4) as keyof IConnectOptions['envNames'];
    return c.options.envNames[key];
  }
  return c.state[field as keyof IConnectState] as string;
}

function withValue(c: IConnectCase, field: Field, value: string): IConnectCase {
  if (field.startsWith('env.')) {
    const key = field.slice(4) as keyof IConnectOptions['envNames'];
    return {
      ...c,
      options: {
        ...c.options,
        envNames: { ...c.options.envNames, [key]: value }
      }
    };
  }
  return { ...c, state: { ...c.state, [field]: value } };
}

/** A valid case with one field corrupted (a character inserted or replaced,
 * or the whole value replaced): mostly invalid, sometimes still valid. */
const mutatedCaseArb = fc
  .tuple(
    validCaseArb,
    fc.constantFrom(...(Object.keys(VALIDATORS) as Field[])),
    fc.oneof(
      fc
        .tuple(fc.nat(), hostileChar, fc.boolean())
        .map(([at, ch, replace]) => (v: string) => {
          const i = v.length ? at % v.length : 0;
          return v.slice(0, i) + ch + v.slice(i + (replace ? 1 : 0));
        }),
      fc.string().map(s => () => s),
      fc.fullUnicodeString().map(s => () => s)
    )
  )
  .map(([c, field, corrupt]) => {
    // The secret only matters for auth types that need one.
    const needsSecret = authTypeInfo(c.state.authType).needsSecret;
    const target: Field =
      field === 'secretId' && !needsSecret ? 'clusterId' : field;
    return {
      field: target,
      c: withValue(c, target, corrupt(valueOf(c, target)))
    };
  });

describe('connect cells of any state', () => {
  it('are refused, naming the field, or written as the template', () => {
    const seen = { refused: 0, written: 0 };
    fc.assert(
      fc.property(mutatedCaseArb, ({ field, c }) => {
        const errors = connectErrors(c.state, c.options);
        if (Object.keys(errors).length === 0) {
          // Still valid: then it must be as harmless as any valid state.
          seen.written++;
          expectWrittenAsTemplate(c);
          return;
        }
        seen.refused++;
        let thrown: unknown;
        try {
          connectCells(c.state, c.options, c.family);
        } catch (e) {
          thrown = e;
        }
        expect(thrown).toBeInstanceOf(InvalidConnectStateError);
        const named = Object.keys((thrown as InvalidConnectStateError).errors);
        if (VALIDATORS[field](valueOf(c, field)) !== null) {
          expect(named).toContain(field);
        } else {
          // A valid name that another variable already has.
          expect(named.every(k => k.startsWith('env.'))).toBe(true);
        }
      }),
      { numRuns: RUNS * 2 }
    );
    // Both outcomes were exercised.
    expect(seen.refused).toBeGreaterThan(RUNS);
    expect(seen.written).toBeGreaterThan(0);
  });

  it('are refused when two variables share a name', () => {
    fc.assert(
      fc.property(validCaseArb, fc.constantFrom(0, 1, 2), (c, which) => {
        const names = c.options.envNames;
        const values = [names.clusterId, names.authType, names.secretId];
        const duplicated = values.map((v, i) =>
          i === which ? values[(i + 1) % 3] : v
        );
        const bad = {
          ...c.options,
          envNames: {
            ...c.options.envNames,
            clusterId: duplicated[0],
            authType: duplicated[1],
            secretId: duplicated[2]
          }
        };
        expect(() => connectCells(c.state, bad, c.family)).toThrow(
          InvalidConnectStateError
        );
      }),
      { numRuns: RUNS }
    );
  });
});
