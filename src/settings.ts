/** Reads the Settings Editor's values into the shapes the pure modules take. */
import type { ISettingRegistry } from '@jupyterlab/settingregistry';
import { DEFAULT_CONNECT_OPTIONS, IConnectOptions } from './core/connectCell';

export interface IPanelDefaults {
  options: IConnectOptions;
  verifyCertificate: boolean;
  userIdentityTag: string;
}

export const DEFAULT_PANEL_DEFAULTS: IPanelDefaults = {
  options: DEFAULT_CONNECT_OPTIONS,
  verifyCertificate: false,
  userIdentityTag: ''
};

export function readDefaults(
  settings: ISettingRegistry.ISettings | null
): IPanelDefaults {
  if (!settings) {
    return DEFAULT_PANEL_DEFAULTS;
  }
  const get = <T>(key: string, fallback: T): T =>
    (settings.get(key).composite as T | undefined) ?? fallback;
  const envNames = DEFAULT_CONNECT_OPTIONS.envNames;
  return {
    options: {
      envNames: {
        clusterId: get('clusterIdEnvName', envNames.clusterId),
        authType: get('authTypeEnvName', envNames.authType),
        secretId: get('secretIdEnvName', envNames.secretId),
        applicationId: get('applicationIdEnvName', envNames.applicationId),
        executionRoleArn: get(
          'executionRoleArnEnvName',
          envNames.executionRoleArn
        )
      },
      useFallback: get('useFallback', true),
      loadExtension: get('loadExtension', true),
      language: 'python'
    },
    verifyCertificate: get('verifyCertificate', false),
    userIdentityTag: get('userIdentityTag', '')
  };
}
