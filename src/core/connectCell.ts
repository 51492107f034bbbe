/**
 * The Secrets-Manager-backed `%sm_analytics emr connect` cell(s).
 *
 * Identical state gives identical text. Every value written into code is
 * validated first; `connectCells` throws `InvalidConnectStateError` rather
 * than emit a cell built from unchecked input.
 */
import { authTypeInfo, PanelAuthType } from './auth';
import { KernelFamily } from './kernel';
import {
  validateClusterId,
  validateEnvVarName,
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

export interface IConnectState {
  clusterId: string;
  authType: PanelAuthType;
  secretId: string;
  verifyCertificate: boolean;
  /** Cross-account: the role in the cluster's account to assume. */
  assumableRoleArn: string;
  /** EMR runtime role for the session. */
  executionRoleArn: string;
}

export interface IEnvNames {
  clusterId: string;
  authType: string;
  secretId: string;
}

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
  secretId: 'secret_id'
};

export const DEFAULT_CONNECT_OPTIONS: IConnectOptions = {
  envNames: DEFAULT_ENV_NAMES,
  useFallback: true,
  loadExtension: true,
  language: 'python'
};

export const EMPTY_CONNECT_STATE: IConnectState = {
  clusterId: '',
  authType: 'None',
  secretId: '',
  verifyCertificate: false,
  assumableRoleArn: '',
  executionRoleArn: ''
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

/** Every problem with the state, by field; empty when it can be written. */
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
  set('clusterId', validateClusterId(state.clusterId));
  if (authTypeInfo(state.authType).needsSecret) {
    set('secretId', validateSecretId(state.secretId));
  }
  set('assumableRoleArn', validateRoleArn(state.assumableRoleArn));
  set('executionRoleArn', validateRoleArn(state.executionRoleArn));
  const names = options.envNames;
  (Object.keys(names) as (keyof IEnvNames)[]).forEach(key =>
    set(`env.${key}`, validateEnvVarName(names[key]))
  );
  const used = new Set<string>();
  (Object.keys(names) as (keyof IEnvNames)[]).forEach(key => {
    if (used.has(names[key]) && !errors[`env.${key}`]) {
      errors[`env.${key}`] = 'Each environment variable needs its own name.';
    }
    used.add(names[key]);
  });
  return errors;
}

function getenv(name: string, fallback: string, useFallback: boolean): string {
  // Both parts are validated to a closed character set without quotes.
  return useFallback
    ? `{os.getenv('${name}', '${fallback}')}`
    : `{os.getenv('${name}')}`;
}

/** The `%sm_analytics emr connect ...` line, always a single line. */
export function connectLine(
  state: IConnectState,
  options: IConnectOptions,
  family: KernelFamily
): string {
  const errors = connectErrors(state, options);
  if (Object.keys(errors).length) {
    throw new InvalidConnectStateError(errors);
  }
  const auth = authTypeInfo(state.authType);
  const { envNames, useFallback } = options;
  const parts = [
    '%sm_analytics emr connect',
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
  if (family === 'ipython') {
    // A closed set: anything else would be written into code unchecked.
    parts.push(
      `--language ${isSessionLanguage(options.language) ? options.language : 'python'}`
    );
  }
  return parts.join(' ');
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
