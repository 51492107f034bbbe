/**
 * What the panel's Network section offers beside the verdicts: the subnets
 * and security groups of the job's VPC to pick from, and the server-side
 * probe's answer (open-source jupyter-scheduler runs jobs on the Jupyter
 * server's own machine) as verdict lines.
 */
import type { INetworkFacts, IRouteTable, ISubnet } from './facts';
import type { Verdict } from './evaluate';

export interface INetworkChoice {
  id: string;
  /** The id with its Name tag or group name, and for a subnet its CIDR. */
  label: string;
  /** A subnet whose route table sends 0.0.0.0/0 to an internet gateway. */
  public?: boolean;
}

export interface INetworkChoices {
  /** The VPC a job's subnets and groups are picked in (the domain's, else the cluster's). */
  vpcId: string | null;
  subnets: INetworkChoice[];
  securityGroups: INetworkChoice[];
}

function routeTableOf(
  facts: INetworkFacts,
  subnet: ISubnet
): IRouteTable | undefined {
  const tables = facts.routeTables.filter(t => t.VpcId === subnet.VpcId);
  return (
    tables.find(t =>
      (t.Associations ?? []).some(a => a.SubnetId === subnet.SubnetId)
    ) ?? tables.find(t => (t.Associations ?? []).some(a => a.Main))
  );
}

function isPublic(facts: INetworkFacts, subnet: ISubnet): boolean {
  return (routeTableOf(facts, subnet)?.Routes ?? []).some(
    r =>
      (r.GatewayId ?? '').startsWith('igw-') &&
      r.DestinationCidrBlock === '0.0.0.0/0'
  );
}

/** The VPC the job's network is chosen in. */
export function jobVpcId(facts: INetworkFacts): string | null {
  if (facts.domain?.VpcId) {
    return facts.domain.VpcId;
  }
  const clusterSubnet =
    facts.cluster?.Ec2InstanceAttributes?.Ec2SubnetId ?? undefined;
  const requested = facts.request?.subnets?.[0] ?? clusterSubnet;
  return facts.subnets.find(s => s.SubnetId === requested)?.VpcId ?? null;
}

/** The subnets and security groups of the job's VPC, private subnets first. */
export function networkChoices(facts: INetworkFacts): INetworkChoices {
  const vpcId = jobVpcId(facts);
  if (!vpcId) {
    return { vpcId: null, subnets: [], securityGroups: [] };
  }
  const subnets = facts.subnets
    .filter(s => s.VpcId === vpcId)
    .map(s => {
      const name = s.Tags?.find(t => t.Key === 'Name')?.Value;
      const bits = [name, s.CidrBlock, s.AvailabilityZone].filter(Boolean);
      return {
        id: s.SubnetId,
        label: bits.length ? `${s.SubnetId} (${bits.join(', ')})` : s.SubnetId,
        public: isPublic(facts, s)
      };
    })
    .sort(
      (a, b) => Number(a.public) - Number(b.public) || a.id.localeCompare(b.id)
    );
  const securityGroups = facts.securityGroups
    .filter(g => g.VpcId === vpcId)
    .map(g => ({
      id: g.GroupId,
      label: g.GroupName ? `${g.GroupId} (${g.GroupName})` : g.GroupId
    }))
    .sort((a, b) => a.label.localeCompare(b.label));
  return { vpcId, subnets, securityGroups };
}

/** A shell command among a line's fixes: the panel offers to copy it. */
export function isCommand(fix: string): boolean {
  return /^aws [a-z0-9-]+ [a-z0-9-]+/.test(fix);
}

// --- the probe from the Jupyter server ----------------------------------------------------------

export type ProbeResult =
  'open' | 'refused' | 'timeout' | 'unresolved' | 'unreachable';

/** One connect, as `GET emr-schedule/network/probe` answers it. */
export interface IProbeResult {
  path: 'livy' | 'kdc';
  host: string;
  port: number;
  address: string | null;
  result: ProbeResult;
  message: string;
  ms: number;
}

export interface IProbe {
  clusterId: string;
  host: string | null;
  results: IProbeResult[];
  notChecked: string[];
  awsCalls?: number;
}

export interface IProbeLine {
  path: 'livy' | 'kdc';
  title: string;
  target: string;
  verdict: Verdict;
  reason: string;
  fix: string | null;
}

const PROBE_TITLES = { livy: 'Livy', kdc: 'Kerberos KDC' } as const;

function probeFix(r: IProbeResult): string | null {
  switch (r.result) {
    case 'open':
      return null;
    case 'refused':
      return r.path === 'livy'
        ? `The node answers but refuses port ${r.port}: check that Livy runs on the primary node and listens on ${r.port} (livy-conf livy.server.port).`
        : `The node answers but refuses port ${r.port}: check that the cluster's KDC runs on the primary node.`;
    case 'timeout':
      return `Let this server reach ${r.host} on TCP ${r.port}: the primary node's security group must admit this machine's address (or its security group), and the network ACLs and routes between them must pass.`;
    case 'unresolved':
      return `This server cannot resolve ${r.host}, a name of the cluster's VPC: run the Jupyter server in that VPC (or a peered one with DNS resolution enabled), or use SageMaker's scheduler, whose jobs run in the VPC.`;
    case 'unreachable':
      return `This server has no route to ${r.host}: connect its network to the cluster's VPC (peering, a transit gateway or a VPN).`;
  }
}

/** The probe's connects as verdict lines: an open port is reachable, any other answer blocked. */
export function probeLines(probe: IProbe): IProbeLine[] {
  return probe.results.map(r => ({
    path: r.path,
    title: PROBE_TITLES[r.path],
    target: `${r.host}:${r.port}`,
    verdict: r.result === 'open' ? 'reachable' : 'blocked',
    reason: r.message,
    fix: probeFix(r)
  }));
}

/** The worst of the probe's connects (unknown when nothing was probed). */
export function probeVerdict(probe: IProbe): Verdict {
  if (!probe.results.length) {
    return 'unknown';
  }
  return probe.results.every(r => r.result === 'open')
    ? 'reachable'
    : 'blocked';
}
