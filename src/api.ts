/** Typed calls to the server routes the panel uses. */
import type { INetworkFacts, IProbe } from './core/network';
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

export interface IApplicationSummary {
  id: string;
  name: string;
  state: string;
  stateDetails: string;
  releaseLabel: string | null;
  type: string;
  architecture: string;
  created: string | null;
}

export interface IApplicationDetail extends IApplicationSummary {
  /** Starts by itself when a session asks for it (autoStartConfiguration). */
  autoStart: boolean;
  autoStop: boolean;
  idleTimeoutMinutes: number | null;
  warnings: string[];
}

export async function listApplications(
  search: string,
  marker: string | null
): Promise<IPage<IApplicationSummary>> {
  const r = await requestAPI<{
    applications: IApplicationSummary[];
    marker: string | null;
  }>(`serverless/applications${query({ search, marker })}`);
  return { items: r.applications, marker: r.marker };
}

export function describeApplication(id: string): Promise<IApplicationDetail> {
  return requestAPI<IApplicationDetail>(
    `serverless/applications/${encodeURIComponent(id)}`
  );
}

export interface IExecutionRole {
  name: string;
  arn: string;
  path: string;
  description: string;
}

/** A page of roles EMR Serverless may assume, or why the server cannot list them. */
export interface IExecutionRolePage extends IPage<IExecutionRole> {
  canList: boolean;
  /** The IAM action the server's role lacks, when it cannot list. */
  action?: string;
}

export async function listExecutionRoles(
  search: string,
  marker: string | null
): Promise<IExecutionRolePage> {
  const r = await requestAPI<{
    roles: IExecutionRole[];
    marker: string | null;
    canList: boolean;
    action?: string;
  }>(`serverless/execution-roles${query({ search, marker })}`);
  return {
    items: r.roles,
    marker: r.marker,
    canList: r.canList,
    action: r.action
  };
}

/** Where a network check looks from: a cluster or an EMR Serverless application. */
export interface INetworkTarget {
  clusterId?: string;
  applicationId?: string;
}

/** The facts of a job's network (`GET network`), and the AWS calls they took. */
export function getNetworkFacts(
  target: INetworkTarget
): Promise<INetworkFacts & { awsCalls?: number }> {
  return requestAPI(
    `network${query({
      cluster_id: target.clusterId ?? '',
      application_id: target.applicationId ?? ''
    })}`
  );
}

/** A bounded TCP connect from the Jupyter server to the cluster's primary node. */
export function probeClusterNetwork(clusterId: string): Promise<IProbe> {
  return requestAPI<IProbe>(`network/probe${query({ cluster_id: clusterId })}`);
}
