import {
  cidrContains,
  describeNetwork,
  evaluateNetwork,
  IClusterFacts,
  INetworkFacts,
  INetworkLine,
  INetworkReport,
  IIpPermission,
  ISecurityGroup,
  IVpcEndpoint,
  jobNetwork,
  livyPort,
  NetworkPath,
  parseCidr
} from '../../src/core/network';

const REGION = 'us-east-1';
const tcp = (port: number, peer: Partial<IIpPermission>): IIpPermission => ({
  IpProtocol: 'tcp',
  FromPort: port,
  ToPort: port,
  ...peer
});
const ALL_OUT: IIpPermission = {
  IpProtocol: '-1',
  IpRanges: [{ CidrIp: '0.0.0.0/0' }]
};

/**
 * A VpcOnly Studio account: vpc-studio (10.0.0.0/16) with a private subnet
 * routed through a NAT gateway (subnet-nat), one with VPC endpoints only
 * (subnet-endpoints), a public one; the domain's group sg-studio; an EMR
 * cluster in subnet-emr whose primary group admits sg-studio on 8998.
 */
function account(): INetworkFacts {
  const cluster: IClusterFacts = {
    Id: 'j-KERBEROS',
    Name: 'analytics',
    State: 'WAITING',
    MasterPublicDnsName: 'ip-10-0-3-10.ec2.internal',
    InstanceCollectionType: 'INSTANCE_GROUP',
    Ec2InstanceAttributes: {
      Ec2SubnetId: 'subnet-emr',
      EmrManagedMasterSecurityGroup: 'sg-primary',
      AdditionalMasterSecurityGroups: []
    },
    Configurations: [],
    PrimaryInstance: {
      PrivateDnsName: 'ip-10-0-3-10.ec2.internal',
      PrivateIpAddress: '10.0.3.10'
    }
  };
  const group = (
    id: string,
    name: string,
    ingress: IIpPermission[],
    egress: IIpPermission[] = [ALL_OUT],
    vpc = 'vpc-studio'
  ): ISecurityGroup => ({
    GroupId: id,
    GroupName: name,
    VpcId: vpc,
    IpPermissions: ingress,
    IpPermissionsEgress: egress
  });
  return {
    region: REGION,
    target: 'cluster',
    cluster,
    request: { subnets: ['subnet-nat'], securityGroups: ['sg-studio'] },
    domain: null,
    subnets: [
      { SubnetId: 'subnet-nat', VpcId: 'vpc-studio', CidrBlock: '10.0.1.0/24' },
      {
        SubnetId: 'subnet-endpoints',
        VpcId: 'vpc-studio',
        CidrBlock: '10.0.2.0/24'
      },
      { SubnetId: 'subnet-emr', VpcId: 'vpc-studio', CidrBlock: '10.0.3.0/24' },
      {
        SubnetId: 'subnet-public',
        VpcId: 'vpc-studio',
        CidrBlock: '10.0.0.0/24'
      }
    ],
    routeTables: [
      {
        RouteTableId: 'rtb-main',
        VpcId: 'vpc-studio',
        Associations: [{ Main: true }],
        Routes: [{ DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local' }]
      },
      {
        RouteTableId: 'rtb-nat',
        VpcId: 'vpc-studio',
        Associations: [{ SubnetId: 'subnet-nat' }, { SubnetId: 'subnet-emr' }],
        Routes: [
          { DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local' },
          { DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: 'nat-1' }
        ]
      },
      {
        RouteTableId: 'rtb-public',
        VpcId: 'vpc-studio',
        Associations: [{ SubnetId: 'subnet-public' }],
        Routes: [
          { DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local' },
          { DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-1' }
        ]
      }
    ],
    securityGroups: [
      group('sg-studio', 'studio-domain', []),
      group('sg-primary', 'ElasticMapReduce-Master-Private', [
        tcp(8998, { UserIdGroupPairs: [{ GroupId: 'sg-studio' }] })
      ]),
      group('sg-other', 'analysts', []),
      group('sg-default', 'default', [])
    ],
    vpcEndpoints: [],
    vpcPeeringConnections: []
  };
}

function line(report: INetworkReport, path: NetworkPath): INetworkLine {
  const found = report.lines.find(l => l.path === path);
  if (!found) {
    throw new Error(`no ${path} line in ${JSON.stringify(report.lines)}`);
  }
  return found;
}

function group(facts: INetworkFacts, id: string): ISecurityGroup {
  return facts.securityGroups.find(g => g.GroupId === id)!;
}

function endpoint(
  service: string,
  extra: Partial<IVpcEndpoint> = {}
): IVpcEndpoint {
  return {
    VpcEndpointId: `vpce-${service}`,
    VpcEndpointType: 'Interface',
    ServiceName: `com.amazonaws.${REGION}.${service}`,
    VpcId: 'vpc-studio',
    State: 'available',
    PrivateDnsEnabled: true,
    SubnetIds: ['subnet-endpoints'],
    Groups: [{ GroupId: 'sg-endpoints' }],
    ...extra
  };
}

/** subnet-endpoints: no route out, interface endpoints for the APIs, S3's gateway. */
function endpointsOnly(facts: INetworkFacts, endpointGroup: IIpPermission[]) {
  facts.request = {
    subnets: ['subnet-endpoints'],
    securityGroups: ['sg-studio']
  };
  facts.routeTables.push({
    RouteTableId: 'rtb-endpoints',
    VpcId: 'vpc-studio',
    Associations: [{ SubnetId: 'subnet-endpoints' }],
    Routes: [
      { DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local' },
      { DestinationPrefixListId: 'pl-63a5400a', GatewayId: 'vpce-s3' }
    ]
  });
  facts.securityGroups.push({
    GroupId: 'sg-endpoints',
    GroupName: 'vpc-endpoints',
    VpcId: 'vpc-studio',
    IpPermissions: endpointGroup,
    IpPermissionsEgress: []
  });
  facts.vpcEndpoints.push(
    endpoint('sts'),
    endpoint('elasticmapreduce'),
    endpoint('secretsmanager'),
    {
      VpcEndpointId: 'vpce-s3',
      VpcEndpointType: 'Gateway',
      ServiceName: `com.amazonaws.${REGION}.s3`,
      VpcId: 'vpc-studio',
      State: 'available',
      RouteTableIds: ['rtb-endpoints']
    }
  );
}

describe('CIDR arithmetic', () => {
  it('contains by prefix and address, IPv4 only', () => {
    expect(cidrContains('10.0.0.0/16', '10.0.3.0/24')).toBe(true);
    expect(cidrContains('10.0.0.0/16', '10.1.0.0/24')).toBe(false);
    expect(cidrContains('10.0.3.0/24', '10.0.0.0/16')).toBe(false);
    expect(cidrContains('0.0.0.0/0', '203.0.113.7')).toBe(true);
    expect(cidrContains('10.0.3.10', '10.0.3.10/32')).toBe(true);
    expect(cidrContains('172.16.0.0/12', '172.31.255.0/24')).toBe(true);
    expect(cidrContains('172.16.0.0/12', '172.32.0.0/24')).toBe(false);
    // Host bits left in a rule do not widen or shift it.
    expect(cidrContains('10.0.1.7/24', '10.0.1.0/25')).toBe(true);
    expect(cidrContains('255.255.255.255/32', '255.255.255.255')).toBe(true);
    expect(parseCidr('10.0.0.256/8')).toBeNull();
    expect(parseCidr('10.0.0.0/33')).toBeNull();
    expect(parseCidr('::/0')).toBeNull();
  });
});

describe('Livy and the KDC on the primary node', () => {
  it('passes by group reference and names the rule', () => {
    const report = evaluateNetwork(account());
    const livy = line(report, 'livy');
    expect(livy.verdict).toBe('reachable');
    expect(livy.target).toBe('ip-10-0-3-10.ec2.internal:8998');
    expect(livy.reasons).toContain(
      'sg-primary (EMR primary, ElasticMapReduce-Master-Private) admits sg-studio on TCP 8998'
    );
    expect(livy.reasons.join(' ')).toContain(
      'sg-studio (job, studio-domain) allows egress to 0.0.0.0/0 on all traffic'
    );
    expect(report.lines.map(l => l.path)).toEqual(['livy', 'sts', 'emr', 's3']);
  });

  it('passes by a CIDR rule that covers the job subnet, not one that covers part of it', () => {
    const facts = account();
    group(facts, 'sg-primary').IpPermissions = [
      {
        IpProtocol: 'tcp',
        FromPort: 8000,
        ToPort: 9000,
        IpRanges: [{ CidrIp: '10.0.0.0/16' }]
      }
    ];
    expect(line(evaluateNetwork(facts), 'livy').reasons).toContain(
      'sg-primary (EMR primary, ElasticMapReduce-Master-Private) admits 10.0.0.0/16 on TCP 8000-9000'
    );
    group(facts, 'sg-primary').IpPermissions = [
      tcp(8998, { IpRanges: [{ CidrIp: '10.0.1.0/25' }] })
    ];
    const partial = line(evaluateNetwork(facts), 'livy');
    expect(partial.verdict).toBe('unknown');
    expect(partial.reasons.join(' ')).toContain(
      'covers only part of 10.0.1.0/24'
    );
  });

  it('is blocked when the primary admits only another group, and gives the rule to add', () => {
    const facts = account();
    group(facts, 'sg-primary').IpPermissions = [
      tcp(8998, { UserIdGroupPairs: [{ GroupId: 'sg-other' }] })
    ];
    const report = evaluateNetwork(facts);
    const livy = line(report, 'livy');
    expect(livy.verdict).toBe('blocked');
    expect(report.verdict).toBe('blocked');
    expect(livy.fixes).toEqual([
      'aws ec2 authorize-security-group-ingress --group-id sg-primary --protocol tcp --port 8998 --source-group sg-studio'
    ]);
    // sg-other passes: proposed, with what the job would then carry.
    expect(report.proposals[0].securityGroups).toEqual([
      'sg-studio',
      'sg-other'
    ]);
    expect(report.proposals[0].text).toContain('Add sg-other (analysts)');
  });

  it('a rule for all protocols admits; one for another port or UDP does not', () => {
    const facts = account();
    group(facts, 'sg-primary').IpPermissions = [
      { IpProtocol: '-1', UserIdGroupPairs: [{ GroupId: 'sg-studio' }] }
    ];
    expect(line(evaluateNetwork(facts), 'livy').verdict).toBe('reachable');
    group(facts, 'sg-primary').IpPermissions = [
      tcp(8999, { UserIdGroupPairs: [{ GroupId: 'sg-studio' }] }),
      {
        IpProtocol: 'udp',
        FromPort: 8998,
        ToPort: 8998,
        UserIdGroupPairs: [{ GroupId: 'sg-studio' }]
      }
    ];
    expect(line(evaluateNetwork(facts), 'livy').verdict).toBe('blocked');
  });

  it('is blocked when the job group’s egress is narrowed, and says which egress to add', () => {
    const facts = account();
    group(facts, 'sg-studio').IpPermissionsEgress = [
      tcp(443, { IpRanges: [{ CidrIp: '0.0.0.0/0' }] })
    ];
    const report = evaluateNetwork(facts);
    const livy = line(report, 'livy');
    expect(livy.verdict).toBe('blocked');
    expect(livy.reasons.join(' ')).toContain(
      "No egress rule of the job's groups (sg-studio) allows TCP 8998"
    );
    expect(livy.fixes).toEqual([
      'aws ec2 authorize-security-group-egress --group-id sg-studio --ip-permissions IpProtocol=tcp,FromPort=8998,ToPort=8998,UserIdGroupPairs=[{GroupId=sg-primary}]'
    ]);
    // HTTPS egress still carries the APIs through the NAT gateway.
    expect(line(report, 'sts').verdict).toBe('reachable');
    // Egress narrowed to the primary's subnet by CIDR passes.
    group(facts, 'sg-studio').IpPermissionsEgress = [
      tcp(8998, { IpRanges: [{ CidrIp: '10.0.3.0/24' }] })
    ];
    expect(line(evaluateNetwork(facts), 'livy').verdict).toBe('reachable');
  });

  it('reads a custom Livy port from livy-conf, the cluster’s or the primary group’s', () => {
    const facts = account();
    facts.cluster!.Configurations = [
      {
        Classification: 'livy-conf',
        Properties: { 'livy.server.port': '8999' }
      }
    ];
    const livy = line(evaluateNetwork(facts), 'livy');
    expect(livy.target).toBe('ip-10-0-3-10.ec2.internal:8999');
    expect(livy.verdict).toBe('blocked');
    expect(livy.fixes[0]).toContain('--port 8999');
    facts.cluster!.Configurations = [];
    facts.cluster!.PrimaryInstanceGroupConfigurations = [
      {
        Classification: 'livy-conf',
        Properties: { 'livy.server.port': '9000' }
      }
    ];
    expect(livyPort(facts.cluster!).port).toBe(9000);
    facts.cluster!.InstanceCollectionType = 'INSTANCE_FLEET';
    expect(livyPort(facts.cluster!).port).toBe(8998);
  });

  it('checks the cluster-dedicated KDC on port 88, UDP first, then TCP', () => {
    const facts = account();
    facts.cluster!.KerberosAttributes = { Realm: 'EC2.INTERNAL' };
    facts.cluster!.KerberosConfiguration = { Provider: 'ClusterDedicatedKdc' };
    const blocked = line(evaluateNetwork(facts), 'kdc');
    expect(blocked.verdict).toBe('blocked');
    expect(blocked.target).toBe('ip-10-0-3-10.ec2.internal:88');
    expect(blocked.fixes).toEqual([
      'aws ec2 authorize-security-group-ingress --group-id sg-primary --protocol udp --port 88 --source-group sg-studio',
      'aws ec2 authorize-security-group-ingress --group-id sg-primary --protocol tcp --port 88 --source-group sg-studio'
    ]);
    group(facts, 'sg-primary').IpPermissions!.push(
      tcp(88, { UserIdGroupPairs: [{ GroupId: 'sg-studio' }] })
    );
    const tcpOnly = line(evaluateNetwork(facts), 'kdc');
    expect(tcpOnly.verdict).toBe('reachable');
    expect(tcpOnly.notChecked.join(' ')).toContain('UDP 88 is not admitted');
  });

  it('says an external KDC is not checked rather than guessing', () => {
    const facts = account();
    facts.cluster!.KerberosAttributes = { Realm: 'CORP.EXAMPLE.COM' };
    facts.cluster!.SecurityConfiguration = 'external-kdc';
    facts.cluster!.KerberosConfiguration = {
      Provider: 'ExternalKdc',
      ExternalKdcConfiguration: {
        KdcServerType: 'Single',
        KdcServer: 'kdc.corp.example.com'
      }
    };
    const kdc = line(evaluateNetwork(facts), 'kdc');
    expect(kdc.verdict).toBe('unknown');
    expect(kdc.target).toBe('kdc.corp.example.com:88');
    expect(kdc.notChecked[0]).toContain('external KDC, kdc.corp.example.com');
  });
});

describe('another VPC', () => {
  function inOtherVpc(): INetworkFacts {
    const facts = account();
    facts.subnets.push({
      SubnetId: 'subnet-far',
      VpcId: 'vpc-far',
      CidrBlock: '10.1.0.0/24'
    });
    facts.cluster!.Ec2InstanceAttributes!.Ec2SubnetId = 'subnet-far';
    facts.cluster!.PrimaryInstance = {
      PrivateDnsName: 'ip-10-1-0-5.ec2.internal',
      PrivateIpAddress: '10.1.0.5'
    };
    facts.routeTables.push({
      RouteTableId: 'rtb-far',
      VpcId: 'vpc-far',
      Associations: [{ Main: true }],
      Routes: [{ DestinationCidrBlock: '10.1.0.0/16', GatewayId: 'local' }]
    });
    group(facts, 'sg-primary').VpcId = 'vpc-far';
    group(facts, 'sg-primary').IpPermissions = [
      tcp(8998, { IpRanges: [{ CidrIp: '10.0.1.0/24' }] })
    ];
    return facts;
  }

  it('without peering is blocked, with the peering and both routes to add', () => {
    const facts = inOtherVpc();
    const livy = line(evaluateNetwork(facts), 'livy');
    expect(livy.verdict).toBe('blocked');
    // The NAT route is the longest match for 10.1.0.0/24: the internet, not the cluster.
    expect(livy.reasons[0]).toContain('sends 10.1.0.0/24 to nat-1');
    expect(livy.fixes).toEqual([
      'aws ec2 create-vpc-peering-connection --vpc-id vpc-studio --peer-vpc-id vpc-far',
      'aws ec2 accept-vpc-peering-connection --vpc-peering-connection-id <the pcx- id it printed>',
      'aws ec2 create-route --route-table-id rtb-nat --destination-cidr-block 10.1.0.0/24 --vpc-peering-connection-id <pcx- id>',
      'aws ec2 create-route --route-table-id rtb-far --destination-cidr-block 10.0.1.0/24 --vpc-peering-connection-id <pcx- id>'
    ]);
  });

  it('with an active peering and routes both ways passes; without the route back it does not', () => {
    const facts = inOtherVpc();
    facts.vpcPeeringConnections.push({
      VpcPeeringConnectionId: 'pcx-1',
      Status: { Code: 'active' },
      RequesterVpcInfo: { VpcId: 'vpc-studio', CidrBlock: '10.0.0.0/16' },
      AccepterVpcInfo: { VpcId: 'vpc-far', CidrBlock: '10.1.0.0/16' }
    });
    facts.routeTables
      .find(t => t.RouteTableId === 'rtb-nat')!
      .Routes!.push({
        DestinationCidrBlock: '10.1.0.0/16',
        VpcPeeringConnectionId: 'pcx-1'
      });
    const oneWay = line(evaluateNetwork(facts), 'livy');
    expect(oneWay.verdict).toBe('blocked');
    expect(oneWay.fixes).toEqual([
      'aws ec2 create-route --route-table-id rtb-far --destination-cidr-block 10.0.1.0/24 --vpc-peering-connection-id pcx-1'
    ]);
    facts.routeTables
      .find(t => t.RouteTableId === 'rtb-far')!
      .Routes!.push({
        DestinationCidrBlock: '10.0.0.0/16',
        VpcPeeringConnectionId: 'pcx-1'
      });
    const livy = line(evaluateNetwork(facts), 'livy');
    expect(livy.verdict).toBe('reachable');
    expect(livy.reasons).toContain(
      'rtb-nat routes 10.1.0.0/24 to pcx-1 (active, vpc-studio to vpc-far).'
    );
    expect(livy.reasons).toContain(
      'sg-primary (EMR primary, ElasticMapReduce-Master-Private) admits 10.0.1.0/24 on TCP 8998'
    );
  });

  it('leaves the far side of a peering it could not read as unknown, and a pending one blocked', () => {
    const facts = inOtherVpc();
    facts.routeTables = facts.routeTables.filter(t => t.VpcId !== 'vpc-far');
    facts.vpcPeeringConnections.push({
      VpcPeeringConnectionId: 'pcx-2',
      Status: { Code: 'active' },
      RequesterVpcInfo: { VpcId: 'vpc-studio' },
      AccepterVpcInfo: { VpcId: 'vpc-far', OwnerId: '210987654321' }
    });
    facts.routeTables
      .find(t => t.RouteTableId === 'rtb-nat')!
      .Routes!.push({
        DestinationCidrBlock: '10.1.0.0/16',
        VpcPeeringConnectionId: 'pcx-2'
      });
    const livy = line(evaluateNetwork(facts), 'livy');
    expect(livy.verdict).toBe('unknown');
    expect(livy.notChecked[0]).toContain("The peering's other side");
    expect(livy.notChecked[0]).toContain('210987654321');
    facts.vpcPeeringConnections[0].Status = { Code: 'pending-acceptance' };
    const pending = line(evaluateNetwork(facts), 'livy');
    expect(pending.verdict).toBe('blocked');
    expect(pending.fixes).toEqual([
      'aws ec2 accept-vpc-peering-connection --vpc-peering-connection-id pcx-2'
    ]);
  });

  it('through a transit gateway is unknown, naming what was not read', () => {
    const facts = inOtherVpc();
    facts.routeTables
      .find(t => t.RouteTableId === 'rtb-nat')!
      .Routes!.push({
        DestinationCidrBlock: '10.0.0.0/8',
        TransitGatewayId: 'tgw-1'
      });
    const livy = line(evaluateNetwork(facts), 'livy');
    expect(livy.verdict).toBe('unknown');
    expect(livy.notChecked.join(' ')).toContain('tgw-1');
  });
});

describe('AWS APIs', () => {
  it('go through a NAT gateway route when the egress allows HTTPS out', () => {
    const sts = line(evaluateNetwork(account()), 'sts');
    expect(sts.verdict).toBe('reachable');
    expect(sts.target).toBe('sts.us-east-1.amazonaws.com:443');
    expect(sts.reasons).toContain(
      'rtb-nat (of subnet-nat) routes 0.0.0.0/0 to nat-1 (NAT gateway).'
    );
  });

  it('a public subnet does not carry a job’s traffic (no public address)', () => {
    const facts = account();
    facts.request = {
      subnets: ['subnet-public'],
      securityGroups: ['sg-studio']
    };
    const report = evaluateNetwork(facts);
    expect(line(report, 'sts').verdict).toBe('blocked');
    expect(line(report, 'sts').reasons[0]).toContain('no public address');
    // The private subnet through the NAT gateway passes everything: proposed.
    expect(report.proposals.map(p => p.subnets)).toContainEqual([
      'subnet-nat',
      'subnet-emr'
    ]);
  });

  it('go through interface endpoints with private DNS whose group admits 443, and S3 through its gateway', () => {
    const facts = account();
    endpointsOnly(facts, [
      tcp(443, { UserIdGroupPairs: [{ GroupId: 'sg-studio' }] })
    ]);
    const report = evaluateNetwork(facts, { secret: true });
    expect(report.lines.map(l => [l.path, l.verdict])).toEqual([
      ['livy', 'reachable'],
      ['sts', 'reachable'],
      ['emr', 'reachable'],
      ['secretsmanager', 'reachable'],
      ['s3', 'reachable']
    ]);
    expect(line(report, 'emr').reasons).toContain(
      'elasticmapreduce.us-east-1.amazonaws.com resolves to vpce-elasticmapreduce (interface endpoint, private DNS) in vpc-studio.'
    );
    expect(line(report, 'emr').reasons).toContain(
      'sg-endpoints (VPC endpoints, vpc-endpoints) admits sg-studio on TCP 443'
    );
    expect(line(report, 's3').reasons[0]).toBe(
      'rtb-endpoints (of subnet-endpoints) routes pl-63a5400a to vpce-s3 (gateway endpoint).'
    );
  });

  it('egress to anywhere reaches an endpoint whose subnets were not read', () => {
    const facts = account();
    endpointsOnly(facts, [
      tcp(443, { UserIdGroupPairs: [{ GroupId: 'sg-studio' }] })
    ]);
    facts.vpcEndpoints.find(e => e.VpcEndpointId === 'vpce-sts')!.SubnetIds = [
      'subnet-unread'
    ];
    expect(line(evaluateNetwork(facts), 'sts').verdict).toBe('reachable');
    // Egress to the VPC's block alone does not reach addresses it cannot place.
    group(facts, 'sg-studio').IpPermissionsEgress = [
      tcp(443, { IpRanges: [{ CidrIp: '10.0.0.0/16' }] })
    ];
    expect(line(evaluateNetwork(facts), 'sts').verdict).toBe('blocked');
    expect(line(evaluateNetwork(facts), 'emr').verdict).toBe('reachable');
  });

  it('are blocked by an endpoint group that refuses 443, with the ingress to add', () => {
    const facts = account();
    endpointsOnly(facts, [
      tcp(443, { UserIdGroupPairs: [{ GroupId: 'sg-other' }] })
    ]);
    const sts = line(evaluateNetwork(facts), 'sts');
    expect(sts.verdict).toBe('blocked');
    expect(sts.fixes).toEqual([
      'aws ec2 authorize-security-group-ingress --group-id sg-endpoints --protocol tcp --port 443 --source-group sg-studio'
    ]);
  });

  it('an endpoint without private DNS does not serve the host name', () => {
    const facts = account();
    endpointsOnly(facts, [
      tcp(443, { UserIdGroupPairs: [{ GroupId: 'sg-studio' }] })
    ]);
    facts.vpcEndpoints.find(
      e => e.VpcEndpointId === 'vpce-sts'
    )!.PrivateDnsEnabled = false;
    const sts = line(evaluateNetwork(facts), 'sts');
    expect(sts.verdict).toBe('blocked');
    expect(sts.reasons[0]).toContain('has private DNS off');
    expect(sts.fixes[0]).toBe(
      'aws ec2 modify-vpc-endpoint --vpc-endpoint-id vpce-sts --private-dns-enabled'
    );
    // With a NAT route as well, the public name goes out through it.
    facts.routeTables
      .find(t => t.RouteTableId === 'rtb-endpoints')!
      .Routes!.push({
        DestinationCidrBlock: '0.0.0.0/0',
        NatGatewayId: 'nat-1'
      });
    expect(line(evaluateNetwork(facts), 'sts').verdict).toBe('reachable');
  });

  it('a subnet with neither endpoint nor route out gets the endpoint to create', () => {
    const facts = account();
    endpointsOnly(facts, [
      tcp(443, { UserIdGroupPairs: [{ GroupId: 'sg-studio' }] })
    ]);
    facts.vpcEndpoints = facts.vpcEndpoints.filter(
      e => e.VpcEndpointId !== 'vpce-secretsmanager'
    );
    const secrets = line(
      evaluateNetwork(facts, { secret: true }),
      'secretsmanager'
    );
    expect(secrets.verdict).toBe('blocked');
    expect(secrets.fixes).toContain(
      'aws ec2 create-vpc-endpoint --vpc-id vpc-studio --vpc-endpoint-type Interface --service-name com.amazonaws.us-east-1.secretsmanager --subnet-ids subnet-endpoints --security-group-ids sg-studio --private-dns-enabled'
    );
    // sg-studio does not admit itself on 443, so the fix adds that first.
    expect(secrets.fixes[0]).toBe(
      'aws ec2 authorize-security-group-ingress --group-id sg-studio --protocol tcp --port 443 --source-group sg-studio'
    );
    facts.vpcEndpoints = facts.vpcEndpoints.filter(
      e => e.VpcEndpointId !== 'vpce-s3'
    );
    expect(line(evaluateNetwork(facts), 's3').fixes[0]).toBe(
      'aws ec2 create-vpc-endpoint --vpc-id vpc-studio --vpc-endpoint-type Gateway --service-name com.amazonaws.us-east-1.s3 --route-table-ids rtb-endpoints'
    );
  });

  it('S3 through its gateway needs egress to its prefix list or anywhere', () => {
    const facts = account();
    endpointsOnly(facts, [
      tcp(443, { UserIdGroupPairs: [{ GroupId: 'sg-studio' }] })
    ]);
    group(facts, 'sg-studio').IpPermissionsEgress = [
      tcp(443, { UserIdGroupPairs: [{ GroupId: 'sg-endpoints' }] }),
      tcp(8998, { UserIdGroupPairs: [{ GroupId: 'sg-primary' }] })
    ];
    const report = evaluateNetwork(facts);
    expect(line(report, 'sts').verdict).toBe('reachable');
    expect(line(report, 's3').verdict).toBe('blocked');
    expect(line(report, 's3').fixes).toEqual([
      'aws ec2 authorize-security-group-egress --group-id sg-studio --ip-permissions IpProtocol=tcp,FromPort=443,ToPort=443,PrefixListIds=[{PrefixListId=pl-63a5400a}]'
    ]);
    group(facts, 'sg-studio').IpPermissionsEgress!.push(
      tcp(443, { PrefixListIds: [{ PrefixListId: 'pl-63a5400a' }] })
    );
    expect(line(evaluateNetwork(facts), 's3').verdict).toBe('reachable');
  });

  it('EMR Serverless: the API and the Livy host the magic builds, no cluster lines', () => {
    const facts = account();
    facts.target = 'serverless';
    facts.cluster = null;
    facts.applicationId = '00fabc123';
    const report = evaluateNetwork(facts, { secret: true });
    expect(report.lines.map(l => l.target)).toEqual([
      'sts.us-east-1.amazonaws.com:443',
      'emr-serverless.us-east-1.amazonaws.com:443',
      '00fabc123.livy.emr-serverless-services.us-east-1.amazonaws.com:443',
      's3.us-east-1.amazonaws.com:443'
    ]);
    expect(report.verdict).toBe('reachable');
    endpointsOnly(facts, [
      tcp(443, { UserIdGroupPairs: [{ GroupId: 'sg-studio' }] })
    ]);
    const livy = line(evaluateNetwork(facts), 'emr-serverless-livy');
    expect(livy.verdict).toBe('blocked');
    expect(livy.fixes.join('\n')).toContain(
      '--service-name com.amazonaws.us-east-1.emr-serverless-services.livy'
    );
  });
});

describe('the job as a whole', () => {
  it('a PublicInternetOnly domain gets its own sentence and no VPC at all', () => {
    const facts = account();
    facts.domain = {
      DomainId: 'd-public',
      DomainName: 'open',
      AppNetworkAccessType: 'PublicInternetOnly',
      VpcId: 'vpc-studio',
      SubnetIds: ['subnet-nat']
    };
    const report = evaluateNetwork(facts);
    expect(report.job).toEqual({
      subnets: [],
      securityGroups: [],
      source: 'none'
    });
    expect(report.summary).toContain(
      'The domain d-public (open) uses PublicInternetOnly'
    );
    expect(report.summary).toContain(
      'aws sagemaker update-domain --domain-id d-public --app-network-access-type VpcOnly --subnet-ids subnet-nat subnet-endpoints subnet-emr'
    );
    expect(line(report, 'livy').verdict).toBe('blocked');
    // AWS's APIs are on the internet, which such a job has.
    expect(line(report, 'sts').verdict).toBe('reachable');
    expect(report.proposals).toEqual([]);
  });

  it('a VpcOnly domain’s private subnets and groups are the job’s when the request names none', () => {
    const facts = account();
    facts.request = {};
    facts.domain = {
      DomainId: 'd-vpc',
      AppNetworkAccessType: 'VpcOnly',
      VpcId: 'vpc-studio',
      SubnetIds: ['subnet-nat', 'subnet-public'],
      DefaultUserSettings: { SecurityGroups: ['sg-studio'] }
    };
    expect(jobNetwork(facts)).toEqual({
      subnets: ['subnet-nat'],
      securityGroups: ['sg-studio'],
      source: 'domain'
    });
    facts.domain.DefaultUserSettings = {};
    expect(jobNetwork(facts).securityGroups).toEqual(['sg-default']);
    // What the user picks wins over both.
    expect(
      jobNetwork(facts, {
        subnets: ['subnet-emr'],
        securityGroups: ['sg-other']
      }).source
    ).toBe('request');
  });

  it('a job without both subnets and groups runs outside the VPC', () => {
    const facts = account();
    facts.request = { subnets: ['subnet-nat'] };
    const report = evaluateNetwork(facts);
    expect(report.job.source).toBe('none');
    expect(report.summary).toContain('no VPC settings');
    expect(line(report, 'livy').verdict).toBe('blocked');
  });

  it('network isolation cuts every path', () => {
    const report = evaluateNetwork(account(), { networkIsolation: true });
    expect(report.lines.every(l => l.verdict === 'blocked')).toBe(true);
    expect(report.summary).toContain('EnableNetworkIsolation');
  });

  it('a subnet that fails makes the line blocked, naming the subnet', () => {
    const facts = account();
    facts.request = {
      subnets: ['subnet-nat', 'subnet-public'],
      securityGroups: ['sg-studio']
    };
    const sts = line(evaluateNetwork(facts), 'sts');
    expect(sts.verdict).toBe('blocked');
    expect(sts.reasons.some(r => r.startsWith('From subnet-public: '))).toBe(
      true
    );
    expect(sts.reasons.some(r => r.startsWith('From subnet-nat: '))).toBe(true);
  });

  it('says what it could not find rather than guessing', () => {
    const facts = account();
    facts.request = { subnets: ['subnet-gone'], securityGroups: ['sg-studio'] };
    expect(line(evaluateNetwork(facts), 'livy').reasons).toEqual([
      "The job's subnet subnet-gone was not found."
    ]);
    expect(evaluateNetwork(facts).notChecked[0]).toContain('Network ACLs');
  });

  it('reads as plain lines for the command line', () => {
    const facts = account();
    group(facts, 'sg-primary').IpPermissions = [];
    const text = describeNetwork(evaluateNetwork(facts));
    expect(text[0]).toBe(
      'BLOCKED  Livy on the primary node (Livy’s default port): ip-10-0-3-10.ec2.internal:8998'
    );
    expect(text).toContain(
      '    fix: aws ec2 authorize-security-group-ingress --group-id sg-primary --protocol tcp --port 8998 --source-group sg-studio'
    );
    expect(text).toContain(
      'REACHABLE  AWS STS (the magic calls it on import): sts.us-east-1.amazonaws.com:443'
    );
  });
});
