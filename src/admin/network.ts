/**
 * The network facts of a scheduled run, gathered with the AWS SDK for the
 * admin command line exactly as the server's `network` route gathers them
 * (jupyterlab_emr_schedule/network.py): the same read-only calls, in the same
 * order, paged the same way, cut to the same fields (src/core/network/facts.ts),
 * so the one evaluator gives the panel and `network-check` the same lines.
 */
import {
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcPeeringConnectionsCommand,
  EC2Client,
  Filter
} from '@aws-sdk/client-ec2';
import {
  DescribeClusterCommand,
  DescribeSecurityConfigurationCommand,
  EMRClient,
  ListInstanceGroupsCommand,
  ListInstancesCommand
} from '@aws-sdk/client-emr';
import {
  DescribeDomainCommand,
  DescribeSpaceCommand,
  DescribeUserProfileCommand,
  SageMakerClient
} from '@aws-sdk/client-sagemaker';

import type { INetworkFacts } from '../core/network';
import { AwsCallError, IClientOptions, translate } from './secrets';

/** The clients one check uses. */
export interface INetworkClients {
  emr: EMRClient;
  ec2: EC2Client;
  sagemaker: SageMakerClient;
}

/** Clients on the standard credential chain, configured as the secrets client is. */
export function networkClients(options: IClientOptions): INetworkClients {
  const config = {
    region:
      options.region ||
      options.env.AWS_REGION ||
      options.env.AWS_DEFAULT_REGION ||
      undefined,
    maxAttempts: 4,
    requestHandler: { connectionTimeout: 5000, requestTimeout: 15000 }
  };
  return {
    emr: new EMRClient(config),
    ec2: new EC2Client(config),
    sagemaker: new SageMakerClient(config)
  };
}

/** What one check is asked about (network.py's `gather` keywords). */
export interface INetworkQuery {
  clusterId?: string;
  applicationId?: string;
  /** Absent: the domain's, as SageMaker's form preselects them. */
  subnets?: string[];
  securityGroups?: string[];
  domainId?: string;
  spaceName?: string;
  userProfileName?: string;
}

/** The facts with the number of AWS calls they took (as the route answers them). */
export type IGatheredFacts = INetworkFacts & { awsCalls: number };

type Json = Record<string, unknown>;

interface ISendable {
  send(command: unknown): Promise<unknown>;
}

/** AWS calls for one check, counted. */
class Reader {
  calls = 0;

  constructor(readonly clients: INetworkClients) {}

  async call(
    client: keyof INetworkClients,
    action: string,
    command: unknown
  ): Promise<Json> {
    this.calls += 1;
    try {
      return (await (this.clients[client] as unknown as ISendable).send(
        command
      )) as Json;
    } catch (error) {
      throw translate(error, action);
    }
  }

  async pages(
    client: keyof INetworkClients,
    action: string,
    make: (input: Json) => unknown,
    key: string,
    input: Json,
    token = 'NextToken'
  ): Promise<Json[]> {
    const items: Json[] = [];
    let marker: unknown = undefined;
    for (;;) {
      const args = marker ? { ...input, [token]: marker } : { ...input };
      const page = await this.call(client, action, make(args));
      items.push(...((page[key] as Json[] | undefined) ?? []));
      marker = page[token];
      if (!marker) {
        return items;
      }
    }
  }

  ec2(
    operation: keyof typeof EC2_COMMANDS,
    key: string,
    filters: Filter[]
  ): Promise<Json[]> {
    const Command = EC2_COMMANDS[operation];
    return this.pages(
      'ec2',
      `ec2:${operation}`,
      input => new Command(input),
      key,
      { Filters: filters }
    );
  }
}

/** EC2's Describe commands the check sends, each with Filters and NextToken. */
const EC2_COMMANDS: Record<
  | 'DescribeSubnets'
  | 'DescribeRouteTables'
  | 'DescribeSecurityGroups'
  | 'DescribeVpcEndpoints'
  | 'DescribeVpcPeeringConnections',
  new (input: { Filters?: Filter[]; NextToken?: string }) => unknown
> = {
  DescribeSubnets: DescribeSubnetsCommand,
  DescribeRouteTables: DescribeRouteTablesCommand,
  DescribeSecurityGroups: DescribeSecurityGroupsCommand,
  DescribeVpcEndpoints: DescribeVpcEndpointsCommand,
  DescribeVpcPeeringConnections: DescribeVpcPeeringConnectionsCommand
};

/** `item`'s `fields` that are set (network.py's `_pick`). */
function pick(item: unknown, ...fields: string[]): Json {
  const source = (item ?? {}) as Json;
  const out: Json = {};
  for (const f of fields) {
    if (source[f] !== undefined && source[f] !== null) {
      out[f] = source[f];
    }
  }
  return out;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function truthy(value: unknown): boolean {
  if (Array.isArray(value)) {
    return value.length > 0;
  }
  if (isObject(value)) {
    return Object.keys(value).length > 0;
  }
  return Boolean(value);
}

function objectOr(value: unknown): Json {
  return isObject(value) ? value : {};
}

// --- the cluster -------------------------------------------------------------

async function kerberosConfiguration(
  reader: Reader,
  name: string
): Promise<Json | null> {
  const answer = await reader.call(
    'emr',
    'elasticmapreduce:DescribeSecurityConfiguration',
    new DescribeSecurityConfigurationCommand({ Name: name })
  );
  let conf: unknown;
  try {
    conf = JSON.parse((answer.SecurityConfiguration as string) ?? '{}');
  } catch {
    return null;
  }
  const kerberos = objectOr(
    objectOr(conf).AuthenticationConfiguration
  ).KerberosConfiguration;
  if (!isObject(kerberos)) {
    return null;
  }
  // Provider and servers only, as the route keeps them.
  const dedicated = objectOr(kerberos.ClusterDedicatedKdcConfiguration);
  const external = objectOr(kerberos.ExternalKdcConfiguration);
  const out: Json = { Provider: kerberos.Provider ?? null };
  const trust = dedicated.CrossRealmTrustConfiguration;
  if (truthy(dedicated)) {
    const kept: Json = {};
    if (isObject(trust)) {
      kept.CrossRealmTrustConfiguration = pick(
        trust,
        'Realm',
        'Domain',
        'KdcServer',
        'AdminServer'
      );
    }
    out.ClusterDedicatedKdcConfiguration = kept;
  }
  if (truthy(external)) {
    const kept = pick(external, 'KdcServerType', 'KdcServer', 'AdminServer');
    const ad = external.AdIntegrationConfiguration;
    if (isObject(ad)) {
      kept.AdIntegrationConfiguration = pick(
        ad,
        'AdRealm',
        'AdDomain',
        'AdServer'
      );
    }
    out.ExternalKdcConfiguration = kept;
  }
  return out;
}

async function cluster(reader: Reader, clusterId: string): Promise<Json> {
  let c: Json;
  try {
    c = (
      await reader.call(
        'emr',
        'elasticmapreduce:DescribeCluster',
        new DescribeClusterCommand({ ClusterId: clusterId })
      )
    ).Cluster as Json;
  } catch (error) {
    const failure = error as AwsCallError;
    // As the route reads it: EMR answers an unknown id with a 400 InvalidRequestException.
    const refused = failure.message.startsWith('AWS refused');
    if (
      failure.code === 'InvalidRequestException' ||
      (refused && /not found/i.test(failure.message))
    ) {
      throw new AwsCallError(
        failure.action,
        'ClusterNotFound',
        `No EMR cluster ${clusterId} in this account and region.`
      );
    }
    throw error;
  }
  const facts: Json = {
    ...pick(
      c,
      'Id',
      'Name',
      'MasterPublicDnsName',
      'InstanceCollectionType',
      'SecurityConfiguration'
    ),
    State: objectOr(c.Status).State ?? null,
    Ec2InstanceAttributes: pick(
      c.Ec2InstanceAttributes,
      'Ec2SubnetId',
      'EmrManagedMasterSecurityGroup',
      'AdditionalMasterSecurityGroups'
    ),
    Configurations: (c.Configurations as unknown[] | undefined) ?? [],
    KerberosAttributes: pick(c.KerberosAttributes, 'Realm'),
    PrimaryInstance: null
  };
  if ((c.InstanceCollectionType || 'INSTANCE_GROUP') === 'INSTANCE_GROUP') {
    const groups = await reader.pages(
      'emr',
      'elasticmapreduce:ListInstanceGroups',
      input => new ListInstanceGroupsCommand(input as { ClusterId: string }),
      'InstanceGroups',
      { ClusterId: clusterId },
      'Marker'
    );
    const primary = groups.filter(g => g.InstanceGroupType === 'MASTER');
    facts.PrimaryInstanceGroupConfigurations = primary.length
      ? ((primary[0].Configurations as unknown[] | undefined) ?? [])
      : [];
  }
  if (c.SecurityConfiguration) {
    facts.KerberosConfiguration = await kerberosConfiguration(
      reader,
      c.SecurityConfiguration as string
    );
  }
  const dns = c.MasterPublicDnsName;
  if (dns) {
    // The instance whose public or private DNS name is MasterPublicDnsName.
    const instances = await reader.pages(
      'emr',
      'elasticmapreduce:ListInstances',
      input => new ListInstancesCommand(input as { ClusterId: string }),
      'Instances',
      { ClusterId: clusterId },
      'Marker'
    );
    for (const instance of instances) {
      if (dns === instance.PublicDnsName || dns === instance.PrivateDnsName) {
        facts.PrimaryInstance = pick(
          instance,
          'Ec2InstanceId',
          'PrivateDnsName',
          'PrivateIpAddress',
          'PublicDnsName'
        );
      }
    }
  }
  return facts;
}

// --- the domain --------------------------------------------------------------

async function domain(
  reader: Reader,
  domainId: string,
  spaceName: string,
  userProfileName: string
): Promise<Json> {
  const d = await reader.call(
    'sagemaker',
    'sagemaker:DescribeDomain',
    new DescribeDomainCommand({ DomainId: domainId })
  );
  const facts: Json = {
    ...pick(
      d,
      'DomainId',
      'DomainName',
      'AppNetworkAccessType',
      'VpcId',
      'SubnetIds'
    ),
    DefaultUserSettings: pick(d.DefaultUserSettings, 'SecurityGroups'),
    DefaultSpaceSettings: pick(d.DefaultSpaceSettings, 'SecurityGroups'),
    UserProfile: null,
    Space: null
  };
  if (spaceName) {
    const s = await reader.call(
      'sagemaker',
      'sagemaker:DescribeSpace',
      new DescribeSpaceCommand({ DomainId: domainId, SpaceName: spaceName })
    );
    facts.Space = pick(
      s,
      'SpaceName',
      'OwnershipSettings',
      'SpaceSharingSettings'
    );
  } else if (userProfileName) {
    const u = await reader.call(
      'sagemaker',
      'sagemaker:DescribeUserProfile',
      new DescribeUserProfileCommand({
        DomainId: domainId,
        UserProfileName: userProfileName
      })
    );
    facts.UserProfile = {
      UserProfileName: u.UserProfileName ?? userProfileName,
      UserSettings: pick(u.UserSettings, 'SecurityGroups')
    };
  }
  return facts;
}

// --- the VPCs ----------------------------------------------------------------

const ROUTE_FIELDS = [
  'DestinationCidrBlock',
  'DestinationPrefixListId',
  'GatewayId',
  'NatGatewayId',
  'TransitGatewayId',
  'VpcPeeringConnectionId',
  'NetworkInterfaceId',
  'InstanceId',
  'State'
];
const RULE_FIELDS = [
  'IpProtocol',
  'FromPort',
  'ToPort',
  'IpRanges',
  'Ipv6Ranges',
  'PrefixListIds',
  'UserIdGroupPairs'
];
const VPC_INFO = ['VpcId', 'OwnerId', 'Region', 'CidrBlock'];

function list(value: unknown): Json[] {
  return Array.isArray(value) ? (value as Json[]) : [];
}

function group(g: Json): Json {
  return {
    ...pick(g, 'GroupId', 'GroupName', 'VpcId'),
    IpPermissions: list(g.IpPermissions).map(r => pick(r, ...RULE_FIELDS)),
    IpPermissionsEgress: list(g.IpPermissionsEgress).map(r =>
      pick(r, ...RULE_FIELDS)
    )
  };
}

async function vpcFacts(
  reader: Reader,
  vpcs: string[],
  found: Json[],
  groups: string[]
): Promise<Json> {
  const inVpcs: Filter[] = [{ Name: 'vpc-id', Values: vpcs }];
  const known = new Set(found.map(s => s.SubnetId));
  const subnets = [
    ...found,
    ...(await reader.ec2('DescribeSubnets', 'Subnets', inVpcs)).filter(
      s => !known.has(s.SubnetId)
    )
  ];
  const foundGroups = await reader.ec2(
    'DescribeSecurityGroups',
    'SecurityGroups',
    inVpcs
  );
  const have = new Set(foundGroups.map(g => g.GroupId));
  const outside = [...new Set(groups)].filter(g => !have.has(g)).sort();
  if (outside.length) {
    foundGroups.push(
      ...(await reader.ec2('DescribeSecurityGroups', 'SecurityGroups', [
        { Name: 'group-id', Values: outside }
      ]))
    );
  }
  const peerings = new Map<string, Json>();
  for (const side of [
    'requester-vpc-info.vpc-id',
    'accepter-vpc-info.vpc-id'
  ]) {
    for (const p of await reader.ec2(
      'DescribeVpcPeeringConnections',
      'VpcPeeringConnections',
      [{ Name: side, Values: vpcs }]
    )) {
      peerings.set(p.VpcPeeringConnectionId as string, {
        VpcPeeringConnectionId: p.VpcPeeringConnectionId,
        Status: pick(p.Status, 'Code'),
        RequesterVpcInfo: pick(p.RequesterVpcInfo, ...VPC_INFO),
        AccepterVpcInfo: pick(p.AccepterVpcInfo, ...VPC_INFO)
      });
    }
  }
  const subnetFacts = subnets.map(s =>
    pick(
      s,
      'SubnetId',
      'VpcId',
      'CidrBlock',
      'AvailabilityZone',
      'MapPublicIpOnLaunch',
      'Tags'
    )
  );
  const routeTables = (
    await reader.ec2('DescribeRouteTables', 'RouteTables', inVpcs)
  ).map(t => ({
    ...pick(t, 'RouteTableId', 'VpcId'),
    Associations: list(t.Associations).map(a => pick(a, 'SubnetId', 'Main')),
    Routes: list(t.Routes).map(r => pick(r, ...ROUTE_FIELDS))
  }));
  const securityGroups = foundGroups.map(group);
  const vpcEndpoints = (
    await reader.ec2('DescribeVpcEndpoints', 'VpcEndpoints', inVpcs)
  ).map(e => ({
    ...pick(
      e,
      'VpcEndpointId',
      'VpcEndpointType',
      'ServiceName',
      'VpcId',
      'State',
      'PrivateDnsEnabled',
      'SubnetIds',
      'RouteTableIds'
    ),
    Groups: list(e.Groups).map(g => pick(g, 'GroupId', 'GroupName'))
  }));
  return {
    subnets: subnetFacts,
    routeTables,
    securityGroups,
    vpcEndpoints,
    vpcPeeringConnections: [...peerings.values()]
  };
}

/**
 * The facts of one check (INetworkFacts) and `awsCalls`, as the server's
 * route answers them for the same query. A call that fails throws an
 * AwsCallError naming the action (the permission a denied read lacks).
 */
export async function gatherNetwork(
  clients: INetworkClients,
  query: INetworkQuery
): Promise<IGatheredFacts> {
  const reader = new Reader(clients);
  let region: string;
  try {
    region = await clients.ec2.config.region();
  } catch (error) {
    throw translate(error, 'ec2:DescribeSubnets');
  }
  const request: Json = {};
  if (query.subnets !== undefined) {
    request.subnets = query.subnets;
  }
  if (query.securityGroups !== undefined) {
    request.securityGroups = query.securityGroups;
  }
  const clusterFacts = query.clusterId
    ? await cluster(reader, query.clusterId)
    : null;
  const facts: Json = {
    region,
    target: query.clusterId ? 'cluster' : 'serverless',
    cluster: clusterFacts,
    applicationId: query.applicationId || null,
    request,
    domain: query.domainId
      ? await domain(
          reader,
          query.domainId,
          query.spaceName ?? '',
          query.userProfileName ?? ''
        )
      : null
  };
  const named = [...(query.subnets ?? [])];
  const clusterSubnet = objectOr(clusterFacts?.Ec2InstanceAttributes)
    .Ec2SubnetId as string | undefined;
  if (clusterSubnet) {
    named.push(clusterSubnet);
  }
  const found = named.length
    ? await reader.ec2('DescribeSubnets', 'Subnets', [
        { Name: 'subnet-id', Values: [...new Set(named)].sort() }
      ])
    : [];
  const vpcs: string[] = [];
  for (const vpc of [
    ...found.map(s => s.VpcId),
    objectOr(facts.domain).VpcId
  ]) {
    if (typeof vpc === 'string' && vpc && !vpcs.includes(vpc)) {
      vpcs.push(vpc);
    }
  }
  Object.assign(
    facts,
    vpcs.length
      ? await vpcFacts(reader, vpcs, found, query.securityGroups ?? [])
      : {
          subnets: [],
          routeTables: [],
          securityGroups: [],
          vpcEndpoints: [],
          vpcPeeringConnections: []
        }
  );
  facts.awsCalls = reader.calls;
  return facts as unknown as IGatheredFacts;
}
