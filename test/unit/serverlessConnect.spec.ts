import {
  connectCells,
  connectErrors,
  connectLine,
  DEFAULT_CONNECT_OPTIONS,
  EMPTY_CONNECT_STATE,
  IConnectState,
  InvalidConnectStateError
} from '../../src/core/connectCell';
import { readConnectLines } from '../../src/core/checker/grammar';
import { connectEnvVars } from '../../src/core/envVars';
import {
  validateApplicationId,
  validateExecutionRoleArn
} from '../../src/core/validate';

const APP = '00fabcdefghij12k';
const ROLE = 'arn:aws:iam::123456789012:role/service-role/emr-serverless-exec';
const CROSS = 'arn:aws:iam::111122223333:role/emr-cross-account';

const serverless: IConnectState = {
  ...EMPTY_CONNECT_STATE,
  target: 'serverless',
  applicationId: APP,
  executionRoleArn: ROLE
};

describe('serverless connect cell', () => {
  it('reads the application and the execution role from the environment', () => {
    const cells = connectCells(
      serverless,
      DEFAULT_CONNECT_OPTIONS,
      'sparkmagic'
    );
    expect(cells).toEqual([
      { part: 'local-import', source: '%%local\nimport os' },
      {
        part: 'connect',
        source:
          '%load_ext sagemaker_studio_analytics_extension.magics\n' +
          `%sm_analytics emr-serverless connect --application-id {os.getenv('application_id', '${APP}')} ` +
          `--emr-execution-role-arn {os.getenv('emr_execution_role_arn', '${ROLE}')}`
      }
    ]);
  });

  it('adds --language in IPython kernels, in one cell', () => {
    const cells = connectCells(
      serverless,
      { ...DEFAULT_CONNECT_OPTIONS, language: 'scala' },
      'ipython'
    );
    expect(cells).toHaveLength(1);
    expect(cells[0].source.split('\n')[0]).toBe('import os');
    expect(cells[0].source).toMatch(/ --language scala$/);
  });

  it('never writes the options the magic refuses for serverless', () => {
    const line = connectLine(
      {
        ...serverless,
        clusterId: 'j-1ABCDEFGHIJKL',
        authType: 'Kerberos',
        secretId: 'emr/x',
        verifyCertificate: true,
        assumableRoleArn: CROSS
      },
      DEFAULT_CONNECT_OPTIONS,
      'sparkmagic'
    );
    expect(line).not.toMatch(/--cluster-id|--auth-type|--secret|--verify/);
    expect(line).toMatch(new RegExp(` --assumable-role-arn ${CROSS}$`));
    expect(line).not.toContain('\n');
  });

  it('can leave the fallbacks out and rename the variables', () => {
    const line = connectLine(
      serverless,
      {
        ...DEFAULT_CONNECT_OPTIONS,
        useFallback: false,
        envNames: {
          ...DEFAULT_CONNECT_OPTIONS.envNames,
          applicationId: 'EMR_APP',
          executionRoleArn: 'EMR_ROLE'
        }
      },
      'sparkmagic'
    );
    expect(line).toBe(
      "%sm_analytics emr-serverless connect --application-id {os.getenv('EMR_APP')} " +
        "--emr-execution-role-arn {os.getenv('EMR_ROLE')}"
    );
  });

  it('gives the job the application id and the execution role only', () => {
    expect(
      connectEnvVars(
        { ...serverless, clusterId: 'j-1ABCDEFGHIJKL', secretId: 'emr/x' },
        DEFAULT_CONNECT_OPTIONS
      )
    ).toEqual({ application_id: APP, emr_execution_role_arn: ROLE });
  });

  it('is the same text for the same state', () => {
    const a = connectCells(serverless, DEFAULT_CONNECT_OPTIONS, 'ipython');
    const b = connectCells(
      { ...serverless },
      DEFAULT_CONNECT_OPTIONS,
      'ipython'
    );
    expect(a).toEqual(b);
  });
});

describe("serverless connect line read back with the magic's grammar", () => {
  it.each([
    ['sparkmagic', true, ''],
    ['sparkmagic', false, CROSS],
    ['ipython', true, CROSS],
    ['ipython', false, '']
  ] as const)(
    '%s kernel, fallbacks %s, cross-account %p: the options of the state, accepted',
    (family, useFallback, assumableRoleArn) => {
      const line = connectLine(
        { ...serverless, assumableRoleArn, verifyCertificate: true },
        { ...DEFAULT_CONNECT_OPTIONS, useFallback },
        family
      );
      const getenv = (name: string, value: string) =>
        useFallback
          ? `{os.getenv('${name}', '${value}')}`
          : `{os.getenv('${name}')}`;
      expect(readConnectLines(line)).toEqual([
        {
          service: 'emr-serverless',
          options: {
            'application-id': getenv('application_id', APP),
            'emr-execution-role-arn': getenv('emr_execution_role_arn', ROLE),
            ...(assumableRoleArn
              ? { 'assumable-role-arn': assumableRoleArn }
              : {}),
            ...(family === 'ipython' ? { language: 'python' } : {})
          }
        }
      ]);
    }
  );

  it('is refused by the grammar with a cluster option or a role that is not a role', () => {
    const line = connectLine(serverless, DEFAULT_CONNECT_OPTIONS, 'sparkmagic');
    expect(readConnectLines(line)).toHaveLength(1);
    expect(readConnectLines(`${line} --secret emr/x`)).toEqual([null]);
    expect(readConnectLines(`${line} --cluster j-1`)).toEqual([null]);
    expect(
      readConnectLines(`${line} --assumable-role-arn arn:aws:iam::1:user/x`)
    ).toEqual([null]);
  });
});

describe('serverless validation, per field', () => {
  it('needs an application id and an execution role', () => {
    const errors = connectErrors(
      { ...EMPTY_CONNECT_STATE, target: 'serverless' },
      DEFAULT_CONNECT_OPTIONS
    );
    expect(Object.keys(errors).sort()).toEqual([
      'applicationId',
      'executionRoleArn'
    ]);
    expect(() =>
      connectLine(
        { ...EMPTY_CONNECT_STATE, target: 'serverless' },
        DEFAULT_CONNECT_OPTIONS,
        'ipython'
      )
    ).toThrow(InvalidConnectStateError);
  });

  it('ignores the cluster fields, and the cluster ignores the serverless ones', () => {
    expect(
      connectErrors(
        { ...serverless, clusterId: 'not a cluster', secretId: "'" },
        DEFAULT_CONNECT_OPTIONS
      )
    ).toEqual({});
    expect(
      connectErrors(
        {
          ...EMPTY_CONNECT_STATE,
          clusterId: 'j-1ABCDEFGHIJKL',
          applicationId: 'Not An Id'
        },
        DEFAULT_CONNECT_OPTIONS
      )
    ).toEqual({});
  });

  it.each([
    ["00f'); import os; ('", /lowercase letters and digits/],
    ['00FABC', /capital letter/],
    ['00f abc', /space/],
    ['a'.repeat(65), /at most 64/],
    ['', /Enter the EMR Serverless application id/]
  ])('refuses the application id %j', (value, message) => {
    expect(validateApplicationId(value)).toMatch(message);
    expect(
      connectErrors(
        { ...serverless, applicationId: value },
        DEFAULT_CONNECT_OPTIONS
      ).applicationId
    ).toMatch(message);
  });

  it.each([
    ['', /Enter the ARN of the execution role/],
    ['arn:aws:iam::123456789012:user/bob', /not an IAM role ARN/],
    ["arn:aws:iam::123456789012:role/x'", /not an IAM role ARN/]
  ])('refuses the execution role %j', (value, message) => {
    expect(validateExecutionRoleArn(value)).toMatch(message);
    expect(
      connectErrors(
        { ...serverless, executionRoleArn: value },
        DEFAULT_CONNECT_OPTIONS
      ).executionRoleArn
    ).toMatch(message);
  });

  it('checks only the variable names the target uses', () => {
    const options = {
      ...DEFAULT_CONNECT_OPTIONS,
      envNames: {
        ...DEFAULT_CONNECT_OPTIONS.envNames,
        clusterId: 'bad name',
        applicationId: 'same',
        executionRoleArn: 'same'
      }
    };
    const errors = connectErrors(serverless, options);
    expect(errors).toEqual({ 'env.executionRoleArn': expect.any(String) });
    expect(
      connectErrors(
        { ...EMPTY_CONNECT_STATE, clusterId: 'j-1ABCDEFGHIJKL' },
        options
      )
    ).toEqual({ 'env.clusterId': expect.any(String) });
  });
});
