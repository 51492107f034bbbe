import {
  AUTH_TYPES,
  authTypeInfo,
  MAGIC_AUTH_VALUES,
  PanelAuthType
} from '../../src/core/auth';
import {
  connectCells,
  connectErrors,
  connectLine,
  DEFAULT_CONNECT_OPTIONS,
  EMPTY_CONNECT_STATE,
  IConnectOptions,
  IConnectState,
  InvalidConnectStateError
} from '../../src/core/connectCell';
import { connectEnvVars, envVarLines } from '../../src/core/envVars';
import { kernelFamily } from '../../src/core/kernel';

const SECRET =
  'arn:aws:secretsmanager:us-east-1:123456789012:secret:emr/users/analyst-1-AbCdEf';

const base: IConnectState = {
  ...EMPTY_CONNECT_STATE,
  clusterId: 'j-1ABCDEFGHIJKL',
  authType: 'LDAP',
  secretId: SECRET
};

describe('connect cell for a SparkMagic kernel', () => {
  it('puts import os in a %%local cell and the magic on one line', () => {
    const cells = connectCells(base, DEFAULT_CONNECT_OPTIONS, 'sparkmagic');
    expect(cells.map(c => c.part)).toEqual(['local-import', 'connect']);
    expect(cells[0].source).toBe('%%local\nimport os');
    expect(cells[1].source).toBe(
      '%load_ext sagemaker_studio_analytics_extension.magics\n' +
        "%sm_analytics emr connect --cluster-id {os.getenv('cluster_id', 'j-1ABCDEFGHIJKL')} " +
        "--auth-type {os.getenv('auth_type', 'Basic_Access')} " +
        `--secret {os.getenv('secret_id', '${SECRET}')}`
    );
  });

  it('gives identical text for identical state', () => {
    const a = connectCells(base, DEFAULT_CONNECT_OPTIONS, 'sparkmagic');
    const b = connectCells({ ...base }, DEFAULT_CONNECT_OPTIONS, 'sparkmagic');
    expect(a).toEqual(b);
  });
});

describe('connect cell for an IPython kernel', () => {
  it('is one cell with import os and --language python', () => {
    const cells = connectCells(
      { ...base, authType: 'None' },
      DEFAULT_CONNECT_OPTIONS,
      'ipython'
    );
    expect(cells).toHaveLength(1);
    expect(cells[0].source.split('\n')).toEqual([
      'import os',
      '%load_ext sagemaker_studio_analytics_extension.magics',
      "%sm_analytics emr connect --cluster-id {os.getenv('cluster_id', 'j-1ABCDEFGHIJKL')} --auth-type {os.getenv('auth_type', 'None')} --language python"
    ]);
  });

  it('asks for a Scala session when chosen, and never writes another value', () => {
    const scala = { ...DEFAULT_CONNECT_OPTIONS, language: 'scala' as const };
    expect(connectLine(base, scala, 'ipython')).toMatch(/ --language scala$/);
    expect(connectLine(base, scala, 'sparkmagic')).not.toContain('--language');
    const forged = {
      ...DEFAULT_CONNECT_OPTIONS,
      language: 'python; import os' as unknown as 'python'
    };
    expect(connectLine(base, forged, 'ipython')).toMatch(/ --language python$/);
  });
});

describe('auth types', () => {
  it.each(AUTH_TYPES.map(a => [a.id] as [PanelAuthType]))(
    '%s maps to a value the magic accepts and writes --secret only when needed',
    id => {
      const info = authTypeInfo(id);
      expect(MAGIC_AUTH_VALUES).toContain(info.magicValue);
      const line = connectLine(
        { ...base, authType: id },
        DEFAULT_CONNECT_OPTIONS,
        'sparkmagic'
      );
      expect(line.includes('--secret')).toBe(info.needsSecret);
      expect(line).toContain(`'auth_type', '${info.magicValue}'`);
    }
  );
});

describe('options', () => {
  it('writes the optional flags the panel sets', () => {
    const line = connectLine(
      {
        ...base,
        verifyCertificate: true,
        assumableRoleArn: 'arn:aws:iam::111122223333:role/emr-access',
        executionRoleArn: 'arn:aws:iam::111122223333:role/emr-runtime'
      },
      DEFAULT_CONNECT_OPTIONS,
      'ipython'
    );
    expect(line).toContain('--verify-certificate True');
    expect(line).toContain(
      '--assumable-role-arn arn:aws:iam::111122223333:role/emr-access'
    );
    expect(line).toContain(
      '--emr-execution-role-arn arn:aws:iam::111122223333:role/emr-runtime'
    );
  });

  it('can leave the fallbacks out and rename the variables', () => {
    const options: IConnectOptions = {
      ...DEFAULT_CONNECT_OPTIONS,
      useFallback: false,
      loadExtension: false,
      envNames: {
        ...DEFAULT_CONNECT_OPTIONS.envNames,
        clusterId: 'EMR_CLUSTER',
        authType: 'EMR_AUTH',
        secretId: 'EMR_SECRET'
      }
    };
    const cells = connectCells(base, options, 'sparkmagic');
    expect(cells[1].source).toBe(
      "%sm_analytics emr connect --cluster-id {os.getenv('EMR_CLUSTER')} --auth-type {os.getenv('EMR_AUTH')} --secret {os.getenv('EMR_SECRET')}"
    );
    expect(connectEnvVars(base, options)).toEqual({
      EMR_CLUSTER: 'j-1ABCDEFGHIJKL',
      EMR_AUTH: 'Basic_Access',
      EMR_SECRET: SECRET
    });
  });
});

describe('env vars', () => {
  it('hold the secret id only when the auth type needs one', () => {
    expect(
      connectEnvVars({ ...base, authType: 'None' }, DEFAULT_CONNECT_OPTIONS)
    ).toEqual({
      cluster_id: 'j-1ABCDEFGHIJKL',
      auth_type: 'None'
    });
    expect(envVarLines(connectEnvVars(base, DEFAULT_CONNECT_OPTIONS))).toBe(
      `auth_type=Basic_Access\ncluster_id=j-1ABCDEFGHIJKL\nsecret_id=${SECRET}`
    );
  });
});

describe('hostile input never reaches the cell', () => {
  const hostile = [
    "j-ABC'); import os; os.system('rm -rf ~') #",
    'j-ABC DEF',
    'j-ABC\n%sm_analytics emr connect',
    'j-ABC{os.environ}',
    '\u2014cluster-id',
    'j-' + 'A'.repeat(100000),
    '"j-ABC"',
    ''
  ];
  it.each(hostile.map(h => [h]))('cluster id %#', clusterId => {
    const state = { ...base, clusterId };
    expect(
      connectErrors(state, DEFAULT_CONNECT_OPTIONS).clusterId
    ).toBeTruthy();
    expect(() =>
      connectLine(state, DEFAULT_CONNECT_OPTIONS, 'ipython')
    ).toThrow(InvalidConnectStateError);
  });

  it.each(
    [
      "x'); print(1) #",
      'name with space',
      'a\nb',
      '{secret}',
      'x\u2013y',
      'arn:aws:secretsmanager:us-east-1:123:secret:x',
      's'.repeat(513)
    ].map(h => [h])
  )('secret id %#', secretId => {
    expect(
      connectErrors({ ...base, secretId }, DEFAULT_CONNECT_OPTIONS).secretId
    ).toBeTruthy();
  });

  it.each([['1abc'], ['a-b'], ['a b'], ["x')"], [''], ['é']])(
    'env name %s',
    name => {
      const options = {
        ...DEFAULT_CONNECT_OPTIONS,
        envNames: { ...DEFAULT_CONNECT_OPTIONS.envNames, clusterId: name }
      };
      expect(connectErrors(base, options)['env.clusterId']).toBeTruthy();
    }
  );

  it('refuses two variables with one name', () => {
    const options = {
      ...DEFAULT_CONNECT_OPTIONS,
      envNames: {
        ...DEFAULT_CONNECT_OPTIONS.envNames,
        clusterId: 'x',
        authType: 'x',
        secretId: 'y'
      }
    };
    expect(connectErrors(base, options)['env.authType']).toMatch(/own name/);
  });

  it('refuses role ARNs that are not IAM roles', () => {
    const errors = connectErrors(
      { ...base, assumableRoleArn: 'arn:aws:iam::123456789012:user/bob' },
      DEFAULT_CONNECT_OPTIONS
    );
    expect(errors.assumableRoleArn).toMatch(/IAM role ARN/);
  });
});

describe('kernel family', () => {
  it('recognises SparkMagic kernels by name', () => {
    expect(
      kernelFamily({ name: 'pysparkkernel', display_name: 'PySpark' })
    ).toBe('sparkmagic');
    expect(kernelFamily({ name: 'sparkkernel', display_name: 'Spark' })).toBe(
      'sparkmagic'
    );
    expect(
      kernelFamily({ name: 'python3', display_name: 'Python 3 (ipykernel)' })
    ).toBe('ipython');
    expect(kernelFamily(null)).toBe('ipython');
  });
});
