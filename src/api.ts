/** Typed calls to the server routes the panel uses. */
import { ISecretCheck } from './core/secretCheck';
import { requestAPI } from './request';

export { describeCheck } from './core/secretCheck';
export type { ISecretCheck } from './core/secretCheck';

export interface IClusterSummary {
  id: string;
  name: string;
  state: string;
  releaseLabel?: string | null;
  created?: string | null;
}

export interface IClusterDetail extends IClusterSummary {
  applications: string[];
  masterAddress: string | null;
  authType: 'None' | 'Kerberos' | 'LDAP';
  authReason: string;
  warnings: string[];
}

export interface ISecretSummary {
  name: string;
  arn: string;
  description: string;
  tags: Record<string, string>;
  lastChanged: string | null;
}

export interface IPage<T> {
  items: T[];
  marker: string | null;
}

function query(params: Record<string, string | null | undefined>): string {
  const q = new URLSearchParams();
  Object.entries(params).forEach(([k, v]) => {
    if (v) {
      q.set(k, v);
    }
  });
  const s = q.toString();
  return s ? `?${s}` : '';
}

export async function listClusters(
  search: string,
  marker: string | null
): Promise<IPage<IClusterSummary>> {
  const r = await requestAPI<{
    clusters: IClusterSummary[];
    marker: string | null;
  }>(`clusters${query({ search, marker })}`);
  return { items: r.clusters, marker: r.marker };
}

export function describeCluster(id: string): Promise<IClusterDetail> {
  return requestAPI<IClusterDetail>(`clusters/${encodeURIComponent(id)}`);
}

export async function listSecrets(
  name: string,
  marker: string | null
): Promise<IPage<ISecretSummary>> {
  const r = await requestAPI<{
    secrets: ISecretSummary[];
    marker: string | null;
  }>(`secrets${query({ name, marker })}`);
  return { items: r.secrets, marker: r.marker };
}

export function checkSecret(secretId: string): Promise<ISecretCheck> {
  return requestAPI<ISecretCheck>('secrets/check', {
    method: 'POST',
    body: JSON.stringify({ secretId })
  });
}

export interface INewSecret {
  name: string;
  description: string;
  username: string;
  password: string;
  userIdentity: string;
}

export function createSecret(
  secret: INewSecret
): Promise<{ name: string; arn: string }> {
  return requestAPI('secrets', {
    method: 'POST',
    body: JSON.stringify(secret)
  });
}

export interface IIdentity {
  account: string;
  arn: string;
  roleArn: string | null;
  region?: string | null;
}

export function getIdentity(): Promise<IIdentity> {
  return requestAPI<IIdentity>('identity');
}
