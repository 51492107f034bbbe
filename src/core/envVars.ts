/**
 * The environment variables a job needs, derived from the panel's state.
 *
 * The scheduler stores them in plain text, so they only ever hold ids.
 */
import { authTypeInfo } from './auth';
import type { IConnectOptions, IConnectState } from './connectCell';

export type EnvMap = Record<string, string>;

export function connectEnvVars(
  state: IConnectState,
  options: IConnectOptions
): EnvMap {
  if (state.target === 'serverless') {
    return {
      [options.envNames.applicationId]: state.applicationId,
      [options.envNames.executionRoleArn]: state.executionRoleArn
    };
  }
  const auth = authTypeInfo(state.authType);
  const env: EnvMap = {
    [options.envNames.clusterId]: state.clusterId,
    [options.envNames.authType]: auth.magicValue
  };
  if (auth.needsSecret) {
    env[options.envNames.secretId] = state.secretId;
  }
  return env;
}

/** `NAME=value` lines, sorted by name, for the clipboard. */
export function envVarLines(env: EnvMap): string {
  return Object.keys(env)
    .sort()
    .map(name => `${name}=${env[name]}`)
    .join('\n');
}

/** Merges maps left to right; later maps win. */
export function mergeEnv(...maps: EnvMap[]): EnvMap {
  return Object.assign({}, ...maps);
}

const GETENV_WITH_FALLBACK =
  /os\.getenv\('([A-Za-z_][A-Za-z0-9_]*)', '([^'\\\n]*)'\)/g;

/**
 * The `os.getenv('NAME', 'fallback')` pairs of a cell this extension wrote,
 * so a job can be given the variables of cells inserted in an earlier session.
 */
export function getenvFallbacks(source: string): EnvMap {
  const env: EnvMap = {};
  for (const match of source.matchAll(GETENV_WITH_FALLBACK)) {
    env[match[1]] = match[2];
  }
  return env;
}
