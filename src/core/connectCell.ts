/**
 * The connect cell(s): `%sm_analytics emr connect` for an EMR cluster (backed
 * by Secrets Manager), `%sm_analytics emr-serverless connect` for an EMR
 * Serverless application. Both read their ids from the job's environment.
 *
 * Identical state gives identical text. Every value written into code is
 * validated first; `connectCells` throws `InvalidConnectStateError` rather
 * than emit a cell built from unchecked input.
 */
import { authTypeInfo, PanelAuthType } from './auth';
import { KernelFamily } from './kernel';
import {
  validateApplicationId,
  validateClusterId,
  validateEnvVarName,
  validateExecutionRoleArn,
  validateRoleArn,
  validateSecretId
} from './validate';

/** Cell metadata key marking the cells this extension writes. */
export const CELL_METADATA_KEY = 'emr_schedule';

export type CellPart =
  'local-import' | 'connect' | 'redshift-local' | 'redshift-send' | 'redshift';

/** The Spark session languages `%sm_analytics` offers IPython kernels. */
export const SESSION_LANGUAGES = ['python', 'scala'] as const;
export type SessionLanguage = (typeof SESSION_LANGUAGES)[number];

export function isSessionLanguage(value: unknown): value is SessionLanguage {
  return (SESSION_LANGUAGES as readonly unknown[]).includes(value);
}

/** What the notebook connects to: an EMR cluster or an EMR Serverless application. */
export const CONNECT_TARGETS = ['cluster', 'serverless'] as const;
export type ConnectTarget = (typeof CONNECT_TARGETS)[number];

export function isConnectTarget(value: unknown): value is ConnectTarget {
  return (CONNECT_TARGETS as readonly unknown[]).includes(value);
}

/** The magic's service word for each target. */
export const MAGIC_SERVICE: Readonly<Record<ConnectTarget, string>> = {
  cluster: 'emr',
  serverless: 'emr-serverless'
};

export interface IConnectState {
  target: ConnectTarget;
  clusterId: string;
  authType: PanelAuthType;
  secretId: string;
  verifyCertificate: boolean;
  /** Cross-account: the role in the cluster's account to assume. */
  assumableRoleArn: string;
  /**
   * Cluster: the EMR runtime role for the session (optional, written as is).
   * Serverless: the execution role the Spark session runs as (required, read
   * from the job's environment).
   */
  executionRoleArn: string;
  /** EMR Serverless application id (target `serverless`). */
  applicationId: string;
}

export interface IEnvNames {
  clusterId: string;
  authType: string;
  secretId: string;
  applicationId: string;
  executionRoleArn: string;
}

/** The env-var names each target reads, in the order the line uses them. */
export const TARGET_ENV_NAMES: Readonly<
  Record<ConnectTarget, readonly (keyof IEnvNames)[]>
> = {
  cluster: ['clusterId', 'authType', 'secretId'],
  serverless: ['applicationId', 'executionRoleArn']
};

export interface IConnectOptions {
  envNames: IEnvNames;
  /** Write the panel's values as `os.getenv` fallbacks. */
  useFallback: boolean;
  /** Add the `%load_ext` line before the magic. */
  loadExtension: boolean;
  /** `--language` for IPython kernels (the magic requires it there). */
  language: SessionLanguage;
}

export const DEFAULT_ENV_NAMES: IEnvNames = {
  clusterId: 'cluster_id',
  authType: 'auth_type',
  secretId: 'secret_id',
  applicationId: 'application_id',
  executionRoleArn: 'emr_execution_role_arn'
};

export const DEFAULT_CONNECT_OPTIONS: IConnectOptions = {
  envNames: DEFAULT_ENV_NAMES,
  useFallback: true,
  loadExtension: true,
  language: 'python'
};

export const EMPTY_CONNECT_STATE: IConnectState = {
  target: 'cluster',
  clusterId: '',
  authType: 'None',
  secretId: '',
  verifyCertificate: false,
  assumableRoleArn: '',
  executionRoleArn: '',
  applicationId: ''
};

export const LOAD_EXT_LINE =
  '%load_ext sagemaker_studio_analytics_extension.magics';

export interface ICellSpec {
  source: string;
  part: CellPart;
}

export type FieldErrors = Partial<
  Record<keyof IConnectState | `env.${keyof IEnvNames}`, string>
>;

export class InvalidConnectStateError extends Error {
  constructor(readonly errors: FieldErrors) {
    super(
      'The connection settings are not valid: ' +
        Object.values(errors).join(' ')
    );
    this.name = 'InvalidConnectStateError';
  }
}

/**
 * Every problem with the state, by field; empty when it can be written. Only
 * the fields and env-var names of the state's target count.
 */
export function connectErrors(
  state: IConnectState,
  options: IConnectOptions
): FieldErrors {
  const errors: FieldErrors = {};
  const set = (key: keyof FieldErrors, message: string | null) => {
    if (message) {
      errors[key] = message;
    }
  };
  if (state.target === 'serverless') {
    set('applicationId', validateApplicationId(state.applicationId));
    set('executionRoleArn', validateExecutionRoleArn(state.executionRoleArn));
  } else {
    set('clusterId', validateClusterId(state.clusterId));
    if (authTypeInfo(state.authType).needsSecret) {
      set('secretId', validateSecretId(state.secretId));
    }
    set('executionRoleArn', validateRoleArn(state.executionRoleArn));
  }
  set('assumableRoleArn', validateRoleArn(state.assumableRoleArn));
  const names = options.envNames;
  const keys = TARGET_ENV_NAMES[targetOf(state)];
  keys.forEach(key => set(`env.${key}`, validateEnvVarName(names[key])));
  const used = new Set<string>();
  keys.forEach(key => {
    if (used.has(names[key]) && !errors[`env.${key}`]) {
      errors[`env.${key}`] = 'Each environment variable needs its own name.';
    }
    used.add(names[key]);
  });
  return errors;
}

/** Any state from before targets existed is a cluster's. */
function targetOf(state: IConnectState): ConnectTarget {
  return state.target === 'serverless' ? 'serverless' : 'cluster';
}

function getenv(name: string, fallback: string, useFallback: boolean): string {
  // Both parts are validated to a closed character set without quotes.
  return useFallback
    ? `{os.getenv('${name}', '${fallback}')}`
    : `{os.getenv('${name}')}`;
}

/**
 * The `%sm_analytics emr connect ...` or `emr-serverless connect ...` line,
 * always a single line.
 */
export function connectLine(
  state: IConnectState,
  options: IConnectOptions,
  family: KernelFamily
): string {
  const errors = connectErrors(state, options);
  if (Object.keys(errors).length) {
    throw new InvalidConnectStateError(errors);
  }
  const parts =
    targetOf(state) === 'serverless'
      ? serverlessParts(state, options)
      : clusterParts(state, options);
  if (family === 'ipython') {
    // A closed set: anything else would be written into code unchecked.
    parts.push(
      `--language ${isSessionLanguage(options.language) ? options.language : 'python'}`
    );
  }
  return parts.join(' ');
}

function clusterParts(state: IConnectState, options: IConnectOptions) {
  const auth = authTypeInfo(state.authType);
  const { envNames, useFallback } = options;
  const parts = [
    `%sm_analytics ${MAGIC_SERVICE.cluster} connect`,
    `--cluster-id ${getenv(envNames.clusterId, state.clusterId, useFallback)}`,
    `--auth-type ${getenv(envNames.authType, auth.magicValue, useFallback)}`
  ];
  if (auth.needsSecret) {
    parts.push(
      `--secret ${getenv(envNames.secretId, state.secretId, useFallback)}`
    );
  }
  if (state.verifyCertificate) {
    parts.push('--verify-certificate True');
  }
  if (state.assumableRoleArn) {
    parts.push(`--assumable-role-arn ${state.assumableRoleArn}`);
  }
  if (state.executionRoleArn) {
    parts.push(`--emr-execution-role-arn ${state.executionRoleArn}`);
  }
  return parts;
}

/**
 * The magic refuses --cluster-id, --auth-type, --secret and
 * --verify-certificate here, so none of them is ever written.
 */
function serverlessParts(state: IConnectState, options: IConnectOptions) {
  const { envNames, useFallback } = options;
  const parts = [
    `%sm_analytics ${MAGIC_SERVICE.serverless} connect`,
    `--application-id ${getenv(envNames.applicationId, state.applicationId, useFallback)}`,
    `--emr-execution-role-arn ${getenv(envNames.executionRoleArn, state.executionRoleArn, useFallback)}`
  ];
  if (state.assumableRoleArn) {
    parts.push(`--assumable-role-arn ${state.assumableRoleArn}`);
  }
  return parts;
}

/**
 * The cells to insert, in order. SparkMagic kernels need `import os` in a
 * `%%local` cell; the `%`-lines then run locally on their own.
 */
export function connectCells(
  state: IConnectState,
  options: IConnectOptions,
  family: KernelFamily
): ICellSpec[] {
  const magic = [
    ...(options.loadExtension ? [LOAD_EXT_LINE] : []),
    connectLine(state, options, family)
  ];
  if (family === 'sparkmagic') {
    return [
      { part: 'local-import', source: '%%local\nimport os' },
      { part: 'connect', source: magic.join('\n') }
    ];
  }
  return [{ part: 'connect', source: ['import os', ...magic].join('\n') }];
}
