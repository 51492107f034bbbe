/**
 * Will a scheduled run reach the cluster? One pure evaluation of the facts
 * the server gathered (./facts.ts): one verdict line per path the job takes
 * (Livy, the KDC, each AWS API), each saying why, naming the rule or route
 * that admits it, or what is missing and the exact change that adds it.
 *
 * What it reads, as AWS documents it: security groups are stateful, so the
 * job's groups' egress and the primary node's groups' ingress
 * (EmrManagedMasterSecurityGroup plus AdditionalMasterSecurityGroups) decide,
 * by group reference or by a CIDR block covering the job's subnet; a subnet
 * uses its route table (else its VPC's main one); interface endpoints serve
 * the magic's host names only with private DNS; S3 may be a gateway endpoint
 * on the route table. It says what it cannot see (NACLs, a transit gateway's
 * own tables, the far side of a peering it could not read, an external KDC)
 * rather than guessing.
 */
import { cidrContains, cidrOverlaps, isPrivateCidr } from './cidr';
import type {
  IClusterFacts,
  IEmrConfiguration,
  IIpPermission,
  INetworkFacts,
  IRoute,
  IRouteTable,
  ISecurityGroup,
  ISubnet,
  IVpcEndpoint,
  IVpcPeeringConnection
} from './facts';

export type Verdict = 'reachable' | 'blocked' | 'unknown';

export type NetworkPath =
  | 'livy'
  | 'kdc'
  | 'sts'
  | 'emr'
  | 'secretsmanager'
  | 'emr-serverless'
  | 'emr-serverless-livy'
  | 's3';

export interface INetworkLine {
  path: NetworkPath;
  /** What the job must reach, in words. */
  title: string;
  /** host:port */
  target: string;
  verdict: Verdict;
  /** Why: the rules and routes that admit it, or what is missing. */
  reasons: string[];
  /** The changes an administrator makes, as commands, when it is blocked. */
  fixes: string[];
  /** What this check could not see on this path. */
  notChecked: string[];
}

/** Another choice in the same VPC with which every cluster path passes. */
export interface INetworkProposal {
  subnets: string[];
  securityGroups: string[];
  text: string;
}

/** What the job runs with, as the scheduler will set it. */
export interface IJobNetwork {
  subnets: string[];
  securityGroups: string[];
  /** Who chose them: the request, the domain's defaults, or nobody (no VPC). */
  source: 'request' | 'domain' | 'none';
}

export interface IJobSettings {
  /** The job's subnets and groups; when absent, the request's, else the domain's. */
  subnets?: string[];
  securityGroups?: string[];
  /** The connect cell reads a Secrets Manager secret (--secret). */
  secret?: boolean;
  /** SageMaker's EnableNetworkIsolation for the job. */
  networkIsolation?: boolean;
}

export interface INetworkReport {
  /** blocked when any line is, else unknown when any line is, else reachable. */
  verdict: Verdict;
  /** A sentence about the job as a whole (no VPC, PublicInternetOnly, isolation), or null. */
  summary: string | null;
  job: IJobNetwork;
  lines: INetworkLine[];
  proposals: INetworkProposal[];
  /** What no line could check. */
  notChecked: string[];
}

export const LIVY_DEFAULT_PORT = 8998;
const KDC_PORT = 88;
const HTTPS = 443;

const NOT_CHECKED_ALWAYS = [
  'Network ACLs are not read: a subnet’s NACL can still drop what the security groups admit.'
];

// --- outcomes ----------------------------------------------------------------------------------

interface IOutcome {
  verdict: Verdict;
  reasons: string[];
  fixes: string[];
  notChecked: string[];
}

const RANK: Record<Verdict, number> = { reachable: 0, unknown: 1, blocked: 2 };

function outcome(
  verdict: Verdict,
  reasons: string[] = [],
  fixes: string[] = [],
  notChecked: string[] = []
): IOutcome {
  return { verdict, reasons, fixes, notChecked };
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}

function worst(verdicts: Verdict[]): Verdict {
  return verdicts.reduce<Verdict>(
    (a, b) => (RANK[b] > RANK[a] ? b : a),
    'reachable'
  );
}

/** Steps that must all pass. */
function all(...steps: IOutcome[]): IOutcome {
  return outcome(
    worst(steps.map(s => s.verdict)),
    unique(steps.flatMap(s => s.reasons)),
    unique(steps.flatMap(s => s.fixes)),
    unique(steps.flatMap(s => s.notChecked))
  );
}

/**
 * One outcome per job subnet (the job may start in any): the worst decides.
 * Reasons every subnet shares are said once; the others name their subnet.
 */
function acrossSubnets(perSubnet: [string, IOutcome][]): IOutcome {
  if (perSubnet.length === 0) {
    return outcome('unknown', ['The job has no subnet.']);
  }
  const merged = all(...perSubnet.map(([, o]) => o));
  if (perSubnet.length > 1) {
    const common = (r: string) =>
      perSubnet.every(([, o]) => o.reasons.includes(r));
    merged.reasons = unique(
      perSubnet.flatMap(([id, o]) =>
        o.reasons.map(r => (common(r) ? r : `From ${id}: ${r}`))
      )
    );
  }
  return merged;
}

// --- the facts, indexed --------------------------------------------------------------------------

interface IGroupRole {
  role: string;
}

class World {
  readonly subnets = new Map<string, ISubnet>();
  readonly groups = new Map<string, ISecurityGroup>();
  readonly roles = new Map<string, IGroupRole>();

  constructor(readonly facts: INetworkFacts) {
    for (const s of facts.subnets ?? []) {
      this.subnets.set(s.SubnetId, s);
    }
    for (const g of facts.securityGroups ?? []) {
      this.groups.set(g.GroupId, g);
    }
  }

  get region(): string {
    return this.facts.region;
  }

  routeTableOf(subnet: ISubnet): IRouteTable | undefined {
    const tables = this.facts.routeTables ?? [];
    return (
      tables.find(t =>
        (t.Associations ?? []).some(a => a.SubnetId === subnet.SubnetId)
      ) ??
      tables.find(
        t =>
          t.VpcId === subnet.VpcId && (t.Associations ?? []).some(a => a.Main)
      )
    );
  }

  /** A subnet is private when its route table sends nothing to an internet gateway. */
  isPrivate(subnet: ISubnet): boolean {
    const table = this.routeTableOf(subnet);
    return !(table?.Routes ?? []).some(r =>
      (r.GatewayId ?? '').startsWith('igw-')
    );
  }

  label(groupId: string): string {
    const role = this.roles.get(groupId)?.role;
    const name = this.groups.get(groupId)?.GroupName;
    const parts = [role, name && name !== role ? name : undefined].filter(
      Boolean
    );
    return parts.length ? `${groupId} (${parts.join(', ')})` : groupId;
  }

  defaultGroupOf(vpcId: string | undefined): string | undefined {
    return [...this.groups.values()].find(
      g => g.VpcId === vpcId && g.GroupName === 'default'
    )?.GroupId;
  }

  peering(id: string): IVpcPeeringConnection | undefined {
    return (this.facts.vpcPeeringConnections ?? []).find(
      p => p.VpcPeeringConnectionId === id
    );
  }
}

// --- security groups -----------------------------------------------------------------------------

type Protocol = 'tcp' | 'udp';

/** Who is at the other end of a rule. */
interface IPeer {
  groups: string[];
  /** Blocks that a CIDR rule must cover, all of them. */
  cidrs: string[];
  prefixLists?: string[];
  /** The public internet (AWS's public endpoints through a NAT gateway). */
  internet?: boolean;
}

function protocolName(p: Protocol): string {
  return p.toUpperCase();
}

function coversPort(
  rule: IIpPermission,
  protocol: Protocol,
  port: number
): boolean {
  const proto = String(rule.IpProtocol).toLowerCase();
  if (proto === '-1' || proto === 'all') {
    return true;
  }
  if (proto !== protocol && proto !== (protocol === 'tcp' ? '6' : '17')) {
    return false;
  }
  const from = rule.FromPort ?? -1;
  const to = rule.ToPort ?? -1;
  if (from === -1 && to === -1) {
    return true;
  }
  return from <= port && port <= to;
}

function ruleText(
  rule: IIpPermission,
  protocol: Protocol,
  port: number
): string {
  const proto = String(rule.IpProtocol).toLowerCase();
  if (proto === '-1' || proto === 'all') {
    return 'all traffic';
  }
  const from = rule.FromPort ?? -1;
  const to = rule.ToPort ?? -1;
  if (from === to && from === port) {
    return `${protocolName(protocol)} ${port}`;
  }
  if (from === -1 && to === -1) {
    return `all ${protocolName(protocol)} ports`;
  }
  return `${protocolName(protocol)} ${from}-${to}`;
}

/** How the rule admits the peer ("sg-0abc", "10.0.0.0/16"), or null. */
function matchPeer(rule: IIpPermission, peer: IPeer): string | null {
  for (const pair of rule.UserIdGroupPairs ?? []) {
    if (pair.GroupId && peer.groups.includes(pair.GroupId)) {
      return pair.GroupId;
    }
  }
  for (const range of rule.IpRanges ?? []) {
    const cidr = range.CidrIp;
    if (!cidr) {
      continue;
    }
    if (cidrContains(cidr, '0.0.0.0/0')) {
      // Anywhere, whether or not the peer's own addresses are known.
      return cidr;
    }
    if (
      !peer.internet &&
      peer.cidrs.length &&
      peer.cidrs.every(c => cidrContains(cidr, c))
    ) {
      return cidr;
    }
  }
  for (const list of rule.PrefixListIds ?? []) {
    if (
      list.PrefixListId &&
      (peer.prefixLists ?? []).includes(list.PrefixListId)
    ) {
      return list.PrefixListId;
    }
  }
  return null;
}

/** A CIDR rule on the right port that covers only part of the peer, for the reasons. */
function partialPeer(rule: IIpPermission, peer: IPeer): string | null {
  for (const range of rule.IpRanges ?? []) {
    const cidr = range.CidrIp;
    if (!cidr) {
      continue;
    }
    if (
      peer.internet
        ? !isPrivateCidr(cidr)
        : peer.cidrs.some(c => cidrOverlaps(cidr, c))
    ) {
      return cidr;
    }
  }
  return null;
}

interface IAdmission {
  /** "sg-0abc (EMR primary) admits sg-0def on TCP 8998", or null. */
  by: string | null;
  /** Why it is not sure, when a rule covers only part of the peer. */
  partial: string | null;
  /** Groups named but not among the facts. */
  missing: string[];
}

function admission(
  world: World,
  groupIds: string[],
  direction: 'ingress' | 'egress',
  protocol: Protocol,
  port: number,
  peer: IPeer
): IAdmission {
  const missing: string[] = [];
  let partial: string | null = null;
  for (const id of groupIds) {
    const group = world.groups.get(id);
    if (!group) {
      missing.push(id);
      continue;
    }
    const rules =
      (direction === 'ingress'
        ? group.IpPermissions
        : group.IpPermissionsEgress) ?? [];
    for (const rule of rules) {
      if (!coversPort(rule, protocol, port)) {
        continue;
      }
      const how = matchPeer(rule, peer);
      const what = ruleText(rule, protocol, port);
      if (how) {
        return {
          by:
            direction === 'ingress'
              ? `${world.label(id)} admits ${how} on ${what}`
              : `${world.label(id)} allows egress to ${how} on ${what}`,
          partial: null,
          missing
        };
      }
      const part = partialPeer(rule, peer);
      if (part && !partial) {
        partial = `${world.label(id)} ${direction === 'ingress' ? 'admits' : 'allows egress to'} ${part} on ${what}, which covers only part of ${
          peer.internet ? 'the internet' : peer.cidrs.join(', ')
        }`;
      }
    }
  }
  return { by: null, partial, missing };
}

function ingressFix(
  groupId: string,
  protocol: Protocol,
  port: number,
  source: { group?: string; cidr?: string }
): string {
  const from = source.group
    ? `--source-group ${source.group}`
    : `--cidr ${source.cidr}`;
  return `aws ec2 authorize-security-group-ingress --group-id ${groupId} --protocol ${protocol} --port ${port} ${from}`;
}

function egressFix(
  groupId: string,
  protocol: Protocol,
  port: number,
  to: { group?: string; cidr?: string; prefixList?: string }
): string {
  const peer = to.group
    ? `UserIdGroupPairs=[{GroupId=${to.group}}]`
    : to.prefixList
      ? `PrefixListIds=[{PrefixListId=${to.prefixList}}]`
      : `IpRanges=[{CidrIp=${to.cidr}}]`;
  return `aws ec2 authorize-security-group-egress --group-id ${groupId} --ip-permissions IpProtocol=${protocol},FromPort=${port},ToPort=${port},${peer}`;
}

/** The job's egress and the far side's ingress (when it has groups), for one protocol. */
function groupsAdmit(
  world: World,
  protocol: Protocol,
  port: number,
  job: { groups: string[]; subnet: ISubnet },
  far: {
    /** Groups of the far side; none for the internet. */
    groups: string[];
    peerForEgress: IPeer;
    /** Where an ingress fix adds its rule. */
    fixGroup?: string;
    /** Use the job subnet's CIDR in fixes (no group references across VPCs). */
    byCidr?: boolean;
    egressFixTo: { group?: string; cidr?: string; prefixList?: string };
  }
): IOutcome {
  const steps: IOutcome[] = [];
  const egress = admission(
    world,
    job.groups,
    'egress',
    protocol,
    port,
    far.peerForEgress
  );
  if (egress.by) {
    steps.push(outcome('reachable', [egress.by]));
  } else if (egress.missing.length === job.groups.length) {
    steps.push(
      outcome('unknown', [
        `The job's security groups (${egress.missing.join(', ')}) were not found.`
      ])
    );
  } else {
    const reason = `No egress rule of the job's groups (${job.groups.join(', ')}) allows ${protocolName(protocol)} ${port} to ${describePeer(far.peerForEgress)}.`;
    steps.push(
      outcome(
        egress.partial ? 'unknown' : 'blocked',
        [egress.partial ? `${reason} ${egress.partial}.` : reason],
        [egressFix(job.groups[0], protocol, port, far.egressFixTo)]
      )
    );
  }
  if (far.groups.length) {
    const jobCidr = job.subnet.CidrBlock ? [job.subnet.CidrBlock] : [];
    const ingress = admission(world, far.groups, 'ingress', protocol, port, {
      groups: job.groups,
      cidrs: jobCidr
    });
    if (ingress.by) {
      steps.push(outcome('reachable', [ingress.by]));
    } else if (ingress.missing.length === far.groups.length) {
      steps.push(
        outcome('unknown', [
          `The security groups ${ingress.missing.join(', ')} were not found.`
        ])
      );
    } else {
      const reason = `No ingress rule of ${far.groups.map(g => world.label(g)).join(', ')} admits the job's groups (${job.groups.join(', ')})${
        jobCidr.length ? ` or ${job.subnet.SubnetId}'s ${jobCidr[0]}` : ''
      } on ${protocolName(protocol)} ${port}.`;
      const fixGroup = far.fixGroup ?? far.groups[0];
      steps.push(
        outcome(
          ingress.partial ? 'unknown' : 'blocked',
          [ingress.partial ? `${reason} ${ingress.partial}.` : reason],
          [
            ingressFix(
              fixGroup,
              protocol,
              port,
              far.byCidr && job.subnet.CidrBlock
                ? { cidr: job.subnet.CidrBlock }
                : { group: job.groups[0] }
            )
          ]
        )
      );
    }
  }
  return all(...steps);
}

function describePeer(peer: IPeer): string {
  if (peer.internet) {
    return 'the internet (0.0.0.0/0)';
  }
  const parts = [...peer.groups, ...peer.cidrs, ...(peer.prefixLists ?? [])];
  return parts.join(', ') || 'it';
}

// --- routes --------------------------------------------------------------------------------------

function longestMatch(
  table: IRouteTable | undefined,
  cidr: string
): IRoute | undefined {
  let best: IRoute | undefined;
  let bestPrefix = -1;
  for (const route of table?.Routes ?? []) {
    const dest = route.DestinationCidrBlock;
    if (!dest || !cidrContains(dest, cidr)) {
      continue;
    }
    const prefix = Number(dest.split('/')[1] ?? 32);
    if (prefix > bestPrefix) {
      best = route;
      bestPrefix = prefix;
    }
  }
  return best;
}

function routeTarget(route: IRoute): string {
  return (
    route.NatGatewayId ??
    route.VpcPeeringConnectionId ??
    route.TransitGatewayId ??
    route.NetworkInterfaceId ??
    route.InstanceId ??
    route.GatewayId ??
    'an unknown target'
  );
}

function peeringFixes(
  jobVpc: string,
  clusterVpc: string,
  jobTable: string,
  clusterTable: string,
  jobCidr: string,
  clusterCidr: string
): string[] {
  return [
    `aws ec2 create-vpc-peering-connection --vpc-id ${jobVpc} --peer-vpc-id ${clusterVpc}`,
    'aws ec2 accept-vpc-peering-connection --vpc-peering-connection-id <the pcx- id it printed>',
    `aws ec2 create-route --route-table-id ${jobTable} --destination-cidr-block ${clusterCidr} --vpc-peering-connection-id <pcx- id>`,
    `aws ec2 create-route --route-table-id ${clusterTable} --destination-cidr-block ${jobCidr} --vpc-peering-connection-id <pcx- id>`
  ];
}

/** Whether packets from the job's subnet get to the cluster's subnet and back. */
function routeToCluster(
  world: World,
  jobSubnet: ISubnet,
  clusterSubnet: ISubnet
): IOutcome {
  const jobVpc = jobSubnet.VpcId;
  const clusterVpc = clusterSubnet.VpcId;
  if (jobVpc === clusterVpc) {
    return outcome('reachable', [
      `${jobSubnet.SubnetId} and the primary node's ${clusterSubnet.SubnetId} are both in ${jobVpc} (its local route).`
    ]);
  }
  const dest = clusterSubnet.CidrBlock;
  const jobTable = world.routeTableOf(jobSubnet);
  if (!dest || !jobSubnet.CidrBlock) {
    return outcome('unknown', [
      `The CIDR blocks of ${jobSubnet.SubnetId} or ${clusterSubnet.SubnetId} are not known.`
    ]);
  }
  if (!jobTable) {
    return outcome('unknown', [
      `No route table of ${jobSubnet.SubnetId} was read.`
    ]);
  }
  const clusterTable = world.routeTableOf(clusterSubnet);
  const route = longestMatch(jobTable, dest);
  const fixes = peeringFixes(
    jobVpc,
    clusterVpc,
    jobTable.RouteTableId,
    clusterTable?.RouteTableId ??
      `<the route table of ${clusterSubnet.SubnetId}>`,
    jobSubnet.CidrBlock,
    dest
  );
  if (!route) {
    return outcome(
      'blocked',
      [
        `The cluster is in ${clusterVpc}, the job in ${jobVpc}, and ${jobTable.RouteTableId} (of ${jobSubnet.SubnetId}) has no route to ${dest}: the two VPCs are not connected.`
      ],
      fixes
    );
  }
  const via = routeTarget(route);
  if (route.State === 'blackhole') {
    return outcome(
      'blocked',
      [
        `${jobTable.RouteTableId} routes ${route.DestinationCidrBlock} to ${via}, which is gone (blackhole).`
      ],
      fixes
    );
  }
  if (route.VpcPeeringConnectionId) {
    const pcx = world.peering(route.VpcPeeringConnectionId);
    if (!pcx) {
      return outcome('unknown', [
        `${jobTable.RouteTableId} routes ${dest} to ${via}, which DescribeVpcPeeringConnections did not return.`
      ]);
    }
    const ends = [pcx.RequesterVpcInfo?.VpcId, pcx.AccepterVpcInfo?.VpcId];
    if (!(ends.includes(jobVpc) && ends.includes(clusterVpc))) {
      return outcome(
        'blocked',
        [
          `${via} connects ${ends.join(' and ')}, not ${jobVpc} and the cluster's ${clusterVpc}.`
        ],
        fixes
      );
    }
    const status = pcx.Status?.Code ?? 'unknown';
    if (status !== 'active') {
      return outcome(
        'blocked',
        [
          `${via} between ${jobVpc} and ${clusterVpc} is ${status}, not active.`
        ],
        status === 'pending-acceptance'
          ? [
              `aws ec2 accept-vpc-peering-connection --vpc-peering-connection-id ${via}`
            ]
          : fixes.slice(0, 2)
      );
    }
    const there = `${jobTable.RouteTableId} routes ${dest} to ${via} (active, ${jobVpc} to ${clusterVpc}).`;
    const notChecked: string[] = [];
    if (
      pcx.RequesterVpcInfo?.Region &&
      pcx.AccepterVpcInfo?.Region &&
      pcx.RequesterVpcInfo.Region !== pcx.AccepterVpcInfo.Region
    ) {
      notChecked.push(
        `${via} crosses regions: security group references do not work across it, only CIDR rules.`
      );
    }
    if (!clusterTable) {
      const owner = [pcx.RequesterVpcInfo, pcx.AccepterVpcInfo].find(
        v => v?.VpcId === clusterVpc
      )?.OwnerId;
      return outcome(
        'unknown',
        [there],
        [],
        [
          `The peering's other side: the route tables of ${clusterVpc}${owner ? ` (account ${owner})` : ''} were not read, so the route back to ${jobSubnet.CidrBlock} is not checked.`,
          ...notChecked
        ]
      );
    }
    const back = longestMatch(clusterTable, jobSubnet.CidrBlock);
    if (back?.VpcPeeringConnectionId !== via) {
      return outcome(
        'blocked',
        [
          there,
          `${clusterTable.RouteTableId} (of the cluster's ${clusterSubnet.SubnetId}) has no route back to ${jobSubnet.CidrBlock} through ${via}.`
        ],
        [
          `aws ec2 create-route --route-table-id ${clusterTable.RouteTableId} --destination-cidr-block ${jobSubnet.CidrBlock} --vpc-peering-connection-id ${via}`
        ],
        notChecked
      );
    }
    return outcome(
      'reachable',
      [
        there,
        `${clusterTable.RouteTableId} routes ${jobSubnet.CidrBlock} back through ${via}.`
      ],
      [],
      notChecked
    );
  }
  if (route.TransitGatewayId) {
    return outcome(
      'unknown',
      [
        `${jobTable.RouteTableId} routes ${route.DestinationCidrBlock} to ${via}.`
      ],
      [],
      [
        `The transit gateway ${via}: its route tables and the route back from ${clusterVpc} are not read.`
      ]
    );
  }
  if (route.GatewayId === 'local') {
    return outcome('blocked', [
      `${jobVpc}'s own block ${route.DestinationCidrBlock} overlaps the cluster's ${dest} in ${clusterVpc}: VPCs with overlapping addresses cannot be connected.`
    ]);
  }
  if (route.NatGatewayId || (route.GatewayId ?? '').startsWith('igw-')) {
    return outcome(
      'blocked',
      [
        `The cluster is in ${clusterVpc}; ${jobTable.RouteTableId} sends ${dest} to ${via}, towards the internet, where the primary node's private address is not reachable.`
      ],
      fixes
    );
  }
  return outcome(
    'unknown',
    [
      `${jobTable.RouteTableId} routes ${route.DestinationCidrBlock} to ${via}.`
    ],
    [],
    [`What ${via} does with the traffic is not checked.`]
  );
}

// --- the cluster's paths -------------------------------------------------------------------------

/** The Livy port as the magic finds it: livy-conf's livy.server.port, else 8998. */
export function livyPort(cluster: IClusterFacts): {
  port: number;
  from: string;
} {
  const find = (confs: IEmrConfiguration[] | undefined): string | undefined =>
    (confs ?? []).find(
      c =>
        c.Classification === 'livy-conf' &&
        c.Properties?.['livy.server.port'] !== undefined
    )?.Properties?.['livy.server.port'];
  const own = find(cluster.Configurations);
  const group =
    own === undefined &&
    (cluster.InstanceCollectionType ?? 'INSTANCE_GROUP') === 'INSTANCE_GROUP'
      ? find(cluster.PrimaryInstanceGroupConfigurations)
      : undefined;
  const text = own ?? group;
  const port = Number(text);
  if (
    text !== undefined &&
    Number.isInteger(port) &&
    port > 0 &&
    port < 65536
  ) {
    return {
      port,
      from: `livy-conf sets livy.server.port to ${port}${own === undefined ? ' on the primary instance group' : ''}`
    };
  }
  return { port: LIVY_DEFAULT_PORT, from: 'Livy’s default port' };
}

export function isKerberos(cluster: IClusterFacts): boolean {
  return Boolean(
    cluster.KerberosAttributes?.Realm || cluster.KerberosConfiguration
  );
}

interface IClusterNetwork {
  subnet: ISubnet | undefined;
  subnetId: string | undefined;
  groups: string[];
  managed: string | undefined;
  additional: string[];
  host: string;
}

function clusterNetwork(world: World, cluster: IClusterFacts): IClusterNetwork {
  const attrs = cluster.Ec2InstanceAttributes ?? {};
  const managed = attrs.EmrManagedMasterSecurityGroup ?? undefined;
  const additional = attrs.AdditionalMasterSecurityGroups ?? [];
  if (managed) {
    world.roles.set(managed, { role: 'EMR primary' });
  }
  for (const g of additional) {
    world.roles.set(g, { role: 'EMR primary, additional' });
  }
  const subnetId = attrs.Ec2SubnetId ?? undefined;
  const primary = cluster.PrimaryInstance;
  return {
    subnet: subnetId ? world.subnets.get(subnetId) : undefined,
    subnetId,
    groups: [managed, ...additional].filter((g): g is string => Boolean(g)),
    managed,
    additional,
    host:
      primary?.PrivateDnsName ||
      primary?.PrivateIpAddress ||
      cluster.MasterPublicDnsName ||
      'the primary node'
  };
}

/** Livy or the KDC on the primary node, from one job subnet. */
function toPrimary(
  world: World,
  net: IClusterNetwork,
  cluster: IClusterFacts,
  jobSubnet: ISubnet,
  jobGroups: string[],
  port: number,
  protocols: Protocol[]
): IOutcome {
  if (!net.subnet) {
    return outcome('unknown', [
      net.subnetId
        ? `The cluster's subnet ${net.subnetId} was not found.`
        : 'DescribeCluster names no subnet for the cluster (Ec2InstanceAttributes.Ec2SubnetId).'
    ]);
  }
  if (!net.groups.length) {
    return outcome('unknown', [
      'DescribeCluster names no security group of the primary node (EmrManagedMasterSecurityGroup).'
    ]);
  }
  const route = routeToCluster(world, jobSubnet, net.subnet);
  if (route.verdict === 'blocked') {
    return route;
  }
  const sameVpc = jobSubnet.VpcId === net.subnet.VpcId;
  const ip = cluster.PrimaryInstance?.PrivateIpAddress;
  const clusterCidr =
    ip && cidrContains(net.subnet.CidrBlock, ip)
      ? `${ip}/32`
      : net.subnet.CidrBlock;
  const per = protocols.map(protocol =>
    groupsAdmit(
      world,
      protocol,
      port,
      { groups: jobGroups, subnet: jobSubnet },
      {
        groups: net.groups,
        peerForEgress: {
          groups: net.groups,
          cidrs: clusterCidr ? [clusterCidr] : []
        },
        fixGroup: net.additional[0] ?? net.managed,
        byCidr: !sameVpc,
        egressFixTo: sameVpc
          ? { group: net.groups[0] }
          : { cidr: net.subnet?.CidrBlock }
      }
    )
  );
  const passing = per.findIndex(p => p.verdict === 'reachable');
  let groups: IOutcome;
  if (passing >= 0) {
    groups = per[passing];
    const refused = protocols.filter((_, i) => per[i].verdict !== 'reachable');
    if (protocols.length > 1 && refused.length) {
      groups = {
        ...groups,
        notChecked: [
          ...groups.notChecked,
          `${refused.map(protocolName).join(' and ')} ${port} is not admitted; the Kerberos client falls back to ${protocolName(protocols[passing])} (after a timeout when UDP gets no answer).`
        ]
      };
    }
  } else {
    groups = all(...per);
  }
  return all(route, groups);
}

// --- AWS's APIs ----------------------------------------------------------------------------------

interface IService {
  path: NetworkPath;
  title: string;
  host: string;
  /** The VPC endpoint service that serves the host. */
  endpointService: string;
  gateway?: boolean;
}

function services(
  world: World,
  facts: INetworkFacts,
  settings: IJobSettings
): IService[] {
  const r = world.region;
  const svc = (
    path: NetworkPath,
    title: string,
    host: string,
    name: string,
    gateway = false
  ): IService => ({
    path,
    title,
    host: `${host}.${r}.amazonaws.com`,
    endpointService: `com.amazonaws.${r}.${name}`,
    gateway
  });
  const list: IService[] = [
    svc('sts', 'AWS STS (the magic calls it on import)', 'sts', 'sts')
  ];
  if (facts.target === 'serverless') {
    list.push(
      svc(
        'emr-serverless',
        'The EMR Serverless API',
        'emr-serverless',
        'emr-serverless'
      )
    );
    const app = facts.applicationId || '<application-id>';
    list.push({
      path: 'emr-serverless-livy',
      title: 'The application’s Livy endpoint',
      host: `${app}.livy.emr-serverless-services.${r}.amazonaws.com`,
      endpointService: `com.amazonaws.${r}.emr-serverless-services.livy`
    });
  } else {
    list.push(
      svc(
        'emr',
        'The EMR API (DescribeCluster, ListInstances)',
        'elasticmapreduce',
        'elasticmapreduce'
      )
    );
    if (settings.secret) {
      list.push(
        svc(
          'secretsmanager',
          'Secrets Manager (--secret)',
          'secretsmanager',
          'secretsmanager'
        )
      );
    }
  }
  list.push(
    svc('s3', 'Amazon S3 (the job’s input and output)', 's3', 's3', true)
  );
  return list;
}

function endpointSubnetCidrs(world: World, ep: IVpcEndpoint): string[] {
  const cidrs = (ep.SubnetIds ?? []).map(
    id => world.subnets.get(id)?.CidrBlock
  );
  return cidrs.every(Boolean) && cidrs.length ? (cidrs as string[]) : [];
}

function endpointFix(
  world: World,
  service: IService,
  subnet: ISubnet,
  table: IRouteTable | undefined,
  jobSubnets: string[],
  jobGroups: string[]
): string[] {
  if (service.gateway && table) {
    return [
      `aws ec2 create-vpc-endpoint --vpc-id ${subnet.VpcId} --vpc-endpoint-type Gateway --service-name ${service.endpointService} --route-table-ids ${table.RouteTableId}`
    ];
  }
  // The endpoint's group must admit 443 from the job: one of the job's own groups that does, or
  // the first with a rule that makes it so.
  const self = jobGroups.find(
    g =>
      admission(world, [g], 'ingress', 'tcp', HTTPS, {
        groups: jobGroups,
        cidrs: subnet.CidrBlock ? [subnet.CidrBlock] : []
      }).by
  );
  const group = self ?? jobGroups[0];
  const subnets = jobSubnets.filter(
    id => world.subnets.get(id)?.VpcId === subnet.VpcId
  );
  return [
    ...(self ? [] : [ingressFix(group, 'tcp', HTTPS, { group })]),
    `aws ec2 create-vpc-endpoint --vpc-id ${subnet.VpcId} --vpc-endpoint-type Interface --service-name ${service.endpointService} --subnet-ids ${subnets.join(' ')} --security-group-ids ${group} --private-dns-enabled`
  ];
}

function toAwsApi(
  world: World,
  service: IService,
  subnet: ISubnet,
  jobGroups: string[],
  jobSubnets: string[]
): IOutcome {
  const endpoints = (world.facts.vpcEndpoints ?? []).filter(
    e => e.VpcId === subnet.VpcId && e.ServiceName === service.endpointService
  );
  const available = (e: IVpcEndpoint) =>
    (e.State ?? 'available').toLowerCase() === 'available';
  const table = world.routeTableOf(subnet);
  const notes: string[] = [];
  const extraFixes: string[] = [];

  // Interface endpoints with private DNS take the host name, whatever else the subnet routes.
  const interfaces = endpoints.filter(
    e => (e.VpcEndpointType ?? 'Interface') === 'Interface'
  );
  for (const ep of interfaces.filter(e => !available(e))) {
    notes.push(
      `${ep.VpcEndpointId} for ${service.endpointService} is ${ep.State}, not available.`
    );
  }
  const withDns = interfaces.filter(e => available(e) && e.PrivateDnsEnabled);
  if (withDns.length) {
    const tries = withDns.map(ep => {
      const groups = (ep.Groups ?? [])
        .map(g => g.GroupId)
        .filter((g): g is string => Boolean(g));
      for (const g of groups) {
        const known = world.roles.get(g);
        if (!known) {
          world.roles.set(g, { role: `endpoint ${ep.VpcEndpointId}` });
        } else if (
          known.role.startsWith('endpoint ') &&
          known.role !== `endpoint ${ep.VpcEndpointId}`
        ) {
          // One group for several endpoints: naming one of them would mislabel the others.
          world.roles.set(g, { ...known, role: 'VPC endpoints' });
        }
      }
      const cidrs = endpointSubnetCidrs(world, ep);
      const via = outcome('reachable', [
        `${service.host} resolves to ${ep.VpcEndpointId} (interface endpoint, private DNS) in ${subnet.VpcId}.`
      ]);
      return all(
        via,
        groupsAdmit(
          world,
          'tcp',
          HTTPS,
          { groups: jobGroups, subnet },
          {
            groups,
            peerForEgress: { groups, cidrs },
            egressFixTo: groups.length
              ? { group: groups[0] }
              : { cidr: cidrs[0] }
          }
        )
      );
    });
    return (
      tries.find(t => t.verdict === 'reachable') ??
      tries.find(t => t.verdict === 'unknown') ??
      all(...tries)
    );
  }
  for (const ep of interfaces.filter(
    e => available(e) && !e.PrivateDnsEnabled
  )) {
    notes.push(
      `${ep.VpcEndpointId} serves ${service.endpointService} but has private DNS off, so ${service.host} resolves to AWS's public address, not to it.`
    );
    extraFixes.push(
      `aws ec2 modify-vpc-endpoint --vpc-endpoint-id ${ep.VpcEndpointId} --private-dns-enabled`
    );
  }

  if (!table) {
    return outcome('unknown', [
      ...notes,
      `No route table of ${subnet.SubnetId} was read.`
    ]);
  }

  if (service.gateway) {
    const gateways = endpoints.filter(
      e => e.VpcEndpointType === 'Gateway' && available(e)
    );
    for (const ep of gateways) {
      const route = (table.Routes ?? []).find(
        r => r.GatewayId === ep.VpcEndpointId
      );
      if (!route && !(ep.RouteTableIds ?? []).includes(table.RouteTableId)) {
        continue;
      }
      const prefixList = route?.DestinationPrefixListId;
      const via = outcome('reachable', [
        `${table.RouteTableId} (of ${subnet.SubnetId}) routes ${prefixList ?? service.endpointService} to ${ep.VpcEndpointId} (gateway endpoint).`
      ]);
      const egress = groupsAdmit(
        world,
        'tcp',
        HTTPS,
        { groups: jobGroups, subnet },
        {
          groups: [],
          peerForEgress: {
            groups: [],
            cidrs: [],
            prefixLists: prefixList ? [prefixList] : [],
            internet: true
          },
          egressFixTo: prefixList ? { prefixList } : { cidr: '0.0.0.0/0' }
        }
      );
      return all(
        via,
        egress,
        outcome(
          'reachable',
          [],
          [],
          [`${ep.VpcEndpointId}'s endpoint policy is not read.`]
        )
      );
    }
  }

  const route = (table.Routes ?? []).find(
    r => r.DestinationCidrBlock === '0.0.0.0/0'
  );
  const createEndpoint = endpointFix(
    world,
    service,
    subnet,
    table,
    jobSubnets,
    jobGroups
  );
  const natFix = `aws ec2 create-route --route-table-id ${table.RouteTableId} --destination-cidr-block 0.0.0.0/0 --nat-gateway-id <nat- id of a NAT gateway in a public subnet>`;
  if (!route || route.State === 'blackhole') {
    return outcome(
      'blocked',
      [
        ...notes,
        route
          ? `${table.RouteTableId} (of ${subnet.SubnetId}) routes 0.0.0.0/0 to ${routeTarget(route)}, which is gone (blackhole), and no VPC endpoint in ${subnet.VpcId} serves ${service.host}.`
          : `${table.RouteTableId} (of ${subnet.SubnetId}) has no route to the internet and no VPC endpoint in ${subnet.VpcId} serves ${service.host}.`
      ],
      [...extraFixes, ...(extraFixes.length ? [] : createEndpoint), natFix]
    );
  }
  const via = routeTarget(route);
  if (route.NatGatewayId) {
    const egress = groupsAdmit(
      world,
      'tcp',
      HTTPS,
      { groups: jobGroups, subnet },
      {
        groups: [],
        peerForEgress: { groups: [], cidrs: [], internet: true },
        egressFixTo: { cidr: '0.0.0.0/0' }
      }
    );
    return all(
      outcome(
        'reachable',
        [
          ...notes,
          `${table.RouteTableId} (of ${subnet.SubnetId}) routes 0.0.0.0/0 to ${via} (NAT gateway).`
        ],
        [],
        [`${via}'s own route to the internet is not read.`]
      ),
      egress
    );
  }
  if (via.startsWith('igw-')) {
    return outcome(
      'blocked',
      [
        ...notes,
        `${subnet.SubnetId} routes 0.0.0.0/0 to ${via}, but SageMaker gives a job's network interface no public address, so nothing it sends gets out that way: use private subnets routed through a NAT gateway, or VPC endpoints.`
      ],
      [...extraFixes, ...createEndpoint]
    );
  }
  return outcome(
    'unknown',
    [
      ...notes,
      `${table.RouteTableId} (of ${subnet.SubnetId}) routes 0.0.0.0/0 to ${via}.`
    ],
    extraFixes,
    [`Whether ${via} carries the traffic to the internet is not checked.`]
  );
}

// --- the job -------------------------------------------------------------------------------------

/** The subnets and groups SageMaker's form preselects from the domain (DESIGN.md §8). */
export function domainDefaults(
  facts: INetworkFacts
): { subnets: string[]; securityGroups: string[] } | null {
  const domain = facts.domain;
  if (!domain || domain.AppNetworkAccessType === 'PublicInternetOnly') {
    return null;
  }
  const world = new World(facts);
  const subnets = (domain.SubnetIds ?? []).filter(id => {
    const s = world.subnets.get(id);
    return !s || world.isPrivate(s);
  });
  const groups = unique([
    ...(domain.DefaultUserSettings?.SecurityGroups ?? []),
    ...(domain.DefaultSpaceSettings?.SecurityGroups ?? []),
    ...(domain.UserProfile?.UserSettings?.SecurityGroups ?? [])
  ]);
  const fallback = world.defaultGroupOf(domain.VpcId);
  return {
    subnets,
    securityGroups: groups.length ? groups : fallback ? [fallback] : []
  };
}

export function jobNetwork(
  facts: INetworkFacts,
  settings: IJobSettings = {}
): IJobNetwork {
  if (facts.domain?.AppNetworkAccessType === 'PublicInternetOnly') {
    return { subnets: [], securityGroups: [], source: 'none' };
  }
  const subnets = settings.subnets ?? facts.request?.subnets;
  const groups = settings.securityGroups ?? facts.request?.securityGroups;
  if (subnets?.length || groups?.length) {
    // SageMaker sends a VpcConfig only when both are set.
    return subnets?.length && groups?.length
      ? { subnets, securityGroups: groups, source: 'request' }
      : {
          subnets: subnets ?? [],
          securityGroups: groups ?? [],
          source: 'none'
        };
  }
  const defaults = domainDefaults(facts);
  if (defaults && defaults.subnets.length && defaults.securityGroups.length) {
    return { ...defaults, source: 'domain' };
  }
  return { subnets: [], securityGroups: [], source: 'none' };
}

function lineOf(
  path: NetworkPath,
  title: string,
  target: string,
  o: IOutcome
): INetworkLine {
  return {
    path,
    title,
    target,
    verdict: o.verdict,
    reasons: o.reasons,
    fixes: o.fixes,
    notChecked: o.notChecked
  };
}

function updateDomainCommand(world: World, facts: INetworkFacts): string {
  const domain = facts.domain!;
  const privateSubnets = (facts.subnets ?? [])
    .filter(s => s.VpcId === domain.VpcId && world.isPrivate(s))
    .map(s => s.SubnetId);
  return `aws sagemaker update-domain --domain-id ${domain.DomainId} --app-network-access-type VpcOnly --subnet-ids ${
    privateSubnets.join(' ') || '<private subnets that reach the cluster>'
  }`;
}

function evaluateLines(
  facts: INetworkFacts,
  settings: IJobSettings,
  job: IJobNetwork
): { lines: INetworkLine[]; summary: string | null } {
  const world = new World(facts);
  for (const g of job.securityGroups) {
    world.roles.set(g, { role: 'job' });
  }
  const cluster = facts.target === 'cluster' ? (facts.cluster ?? null) : null;
  const net = cluster ? clusterNetwork(world, cluster) : null;
  const livy = cluster ? livyPort(cluster) : null;
  const kerberos = cluster ? isKerberos(cluster) : false;
  const kdc = cluster?.KerberosConfiguration;
  const external = kdc?.Provider === 'ExternalKdc';
  const apis = services(world, facts, settings);

  type Plan = {
    path: NetworkPath;
    title: string;
    target: string;
    run: (s: ISubnet) => IOutcome;
    internetOk: boolean;
  };
  const plan: Plan[] = [];
  if (facts.target === 'cluster') {
    if (!cluster || !net || !livy) {
      plan.push({
        path: 'livy',
        title: 'Livy on the primary node',
        target: 'the primary node',
        internetOk: false,
        run: () => outcome('unknown', ['The cluster was not described.'])
      });
    } else {
      const primaryKnown =
        cluster.PrimaryInstance || cluster.MasterPublicDnsName;
      plan.push({
        path: 'livy',
        title: `Livy on the primary node (${livy.from})`,
        target: `${net.host}:${livy.port}`,
        internetOk: false,
        run: s =>
          primaryKnown
            ? toPrimary(world, net, cluster, s, job.securityGroups, livy.port, [
                'tcp'
              ])
            : outcome('unknown', [
                `The cluster has no primary node to reach yet (state ${cluster.State ?? 'unknown'}).`
              ])
      });
      if (kerberos) {
        if (external) {
          const server =
            kdc?.ExternalKdcConfiguration?.KdcServer ?? 'the external KDC';
          plan.push({
            path: 'kdc',
            title: 'The external KDC (security configuration)',
            target: server.includes(':') ? server : `${server}:${KDC_PORT}`,
            internetOk: false,
            run: () =>
              outcome(
                'unknown',
                [],
                [],
                [
                  `The security configuration ${cluster.SecurityConfiguration ?? ''} names an external KDC, ${server}; what admits the job there is not read. It must accept the job's subnets on port ${KDC_PORT} (UDP, and TCP).`
                ]
              )
          });
        } else {
          const trust =
            kdc?.ClusterDedicatedKdcConfiguration?.CrossRealmTrustConfiguration;
          plan.push({
            path: 'kdc',
            title: 'The KDC on the primary node',
            target: `${net.host}:${KDC_PORT}`,
            internetOk: false,
            run: s => {
              const o = toPrimary(
                world,
                net,
                cluster,
                s,
                job.securityGroups,
                KDC_PORT,
                ['udp', 'tcp']
              );
              return trust?.KdcServer
                ? {
                    ...o,
                    notChecked: [
                      ...o.notChecked,
                      `The trusted realm's KDC, ${trust.KdcServer} (${trust.Realm ?? 'cross-realm trust'}), is not checked.`
                    ]
                  }
                : o;
            }
          });
        }
      }
    }
  }
  for (const service of apis) {
    plan.push({
      path: service.path,
      title: service.title,
      target: `${service.host}:${HTTPS}`,
      internetOk: true,
      run: s => toAwsApi(world, service, s, job.securityGroups, job.subnets)
    });
  }

  if (settings.networkIsolation) {
    return {
      summary:
        'The job runs with network isolation (EnableNetworkIsolation): its container has no network at all, so the connect cell reaches neither the cluster nor AWS. Turn network isolation off for this job.',
      lines: plan.map(p =>
        lineOf(
          p.path,
          p.title,
          p.target,
          outcome(
            'blocked',
            ['Network isolation cuts every connection of the job’s container.'],
            []
          )
        )
      )
    };
  }

  if (job.source === 'none') {
    const domain = facts.domain;
    const publicOnly = domain?.AppNetworkAccessType === 'PublicInternetOnly';
    const where = publicOnly
      ? `The domain ${domain!.DomainId}${domain!.DomainName ? ` (${domain!.DomainName})` : ''} uses PublicInternetOnly: SageMaker runs its notebook jobs outside your VPC, with no VPC settings at all.`
      : 'The job has no VPC settings (subnets and security groups, both): SageMaker runs it outside your VPC.';
    const clusterText =
      facts.target === 'cluster'
        ? ` No scheduled run can reach the cluster's primary node there: Livy listens on its private address.${
            publicOnly
              ? ` An administrator can switch the domain to VpcOnly with private subnets that reach the cluster (${updateDomainCommand(world, facts)}, when the domain has no running apps), or the notebook can use EMR Serverless, which a job reaches over the internet.`
              : ' Choose subnets and security groups of the cluster’s VPC (or one connected to it).'
          }`
        : ' EMR Serverless is reached over the internet, which such a job has.';
    return {
      summary: where + clusterText,
      lines: plan.map(p =>
        lineOf(
          p.path,
          p.title,
          p.target,
          p.internetOk
            ? outcome('reachable', [
                `Outside a VPC the job has SageMaker's internet access to ${p.target}.`
              ])
            : outcome('blocked', [
                `${p.target} is a private address in the cluster's VPC; a job outside the VPC cannot reach it.`
              ])
        )
      )
    };
  }

  const lines = plan.map(p => {
    const per: [string, IOutcome][] = job.subnets.map(id => {
      const s = world.subnets.get(id);
      return [
        id,
        s
          ? p.run(s)
          : outcome('unknown', [`The job's subnet ${id} was not found.`])
      ];
    });
    return lineOf(p.path, p.title, p.target, acrossSubnets(per));
  });
  return { lines, summary: null };
}

/** The verdict lines for the job's network, with proposals where another choice passes. */
export function evaluateNetwork(
  facts: INetworkFacts,
  settings: IJobSettings = {}
): INetworkReport {
  const job = jobNetwork(facts, settings);
  const { lines, summary } = evaluateLines(facts, settings, job);
  const verdict = worst(lines.map(l => l.verdict));
  const proposals =
    verdict === 'reachable' ||
    job.source === 'none' ||
    settings.networkIsolation
      ? []
      : propose(facts, settings, job, lines);
  return {
    verdict,
    summary,
    job,
    lines,
    proposals,
    notChecked: NOT_CHECKED_ALWAYS
  };
}

const CLUSTER_PATHS: NetworkPath[] = ['livy', 'kdc'];

function propose(
  facts: INetworkFacts,
  settings: IJobSettings,
  job: IJobNetwork,
  lines: INetworkLine[]
): INetworkProposal[] {
  const world = new World(facts);
  const vpc = world.subnets.get(job.subnets[0])?.VpcId;
  if (!vpc) {
    return [];
  }
  const proposals: INetworkProposal[] = [];
  const pass = (candidate: IJobNetwork, paths: (l: INetworkLine) => boolean) =>
    evaluateLines(facts, settings, candidate)
      .lines.filter(paths)
      .every(l => l.verdict === 'reachable');
  const clusterBlocked = lines.some(
    l => CLUSTER_PATHS.includes(l.path) && l.verdict === 'blocked'
  );
  if (clusterBlocked) {
    // Not the cluster's own groups, nor those EMR manages for its nodes: a job has no business
    // in them, whatever their rules admit.
    const attrs = facts.cluster?.Ec2InstanceAttributes;
    const clusterGroups = new Set([
      attrs?.EmrManagedMasterSecurityGroup,
      ...(attrs?.AdditionalMasterSecurityGroups ?? [])
    ]);
    const candidates = (facts.securityGroups ?? [])
      .filter(
        g =>
          g.VpcId === vpc &&
          !job.securityGroups.includes(g.GroupId) &&
          !clusterGroups.has(g.GroupId) &&
          !(g.GroupName ?? '').startsWith('ElasticMapReduce-')
      )
      .sort((a, b) => a.GroupId.localeCompare(b.GroupId));
    for (const g of candidates) {
      const groups = [...job.securityGroups, g.GroupId];
      if (
        pass({ ...job, securityGroups: groups }, l =>
          CLUSTER_PATHS.includes(l.path)
        )
      ) {
        proposals.push({
          subnets: job.subnets,
          securityGroups: groups,
          text: `Add ${g.GroupId}${g.GroupName ? ` (${g.GroupName})` : ''} to the job's security groups: the primary node admits it and it may send there.`
        });
        if (proposals.length >= 3) {
          break;
        }
      }
    }
  }
  // Subnets, with the groups just proposed (if any): those from which every path passes, where
  // some of the job's own still fail.
  const groups = proposals[0]?.securityGroups ?? job.securityGroups;
  const failing = job.subnets.filter(
    id => !pass({ ...job, subnets: [id], securityGroups: groups }, () => true)
  );
  if (failing.length) {
    const good = (facts.subnets ?? [])
      .filter(s => s.VpcId === vpc && world.isPrivate(s))
      .map(s => s.SubnetId)
      .filter(id =>
        pass({ ...job, subnets: [id], securityGroups: groups }, () => true)
      );
    if (good.length) {
      proposals.push({
        subnets: good,
        securityGroups: groups,
        text: `Use the subnets ${good.join(', ')}: every path passes from them, where ${failing.join(', ')} ${failing.length === 1 ? 'fails' : 'fail'}.`
      });
    }
  }
  return proposals;
}

/** The report as plain text lines (the admin command line prints these). */
export function describeNetwork(report: INetworkReport): string[] {
  const out: string[] = [];
  if (report.summary) {
    out.push(report.summary);
  }
  for (const line of report.lines) {
    out.push(`${line.verdict.toUpperCase()}  ${line.title}: ${line.target}`);
    for (const r of line.reasons) {
      out.push(`    ${r}`);
    }
    for (const f of line.fixes) {
      out.push(`    fix: ${f}`);
    }
    for (const n of line.notChecked) {
      out.push(`    not checked: ${n}`);
    }
  }
  for (const p of report.proposals) {
    out.push(`Proposal: ${p.text}`);
  }
  for (const n of report.notChecked) {
    out.push(`Not checked: ${n}`);
  }
  return out;
}
