import {
  INetworkFacts,
  IProbe,
  isCommand,
  jobVpcId,
  networkChoices,
  probeLines,
  probeVerdict
} from '../../src/core/network';

const facts: INetworkFacts = {
  region: 'us-east-1',
  target: 'cluster',
  cluster: {
    Id: 'j-1',
    Ec2InstanceAttributes: { Ec2SubnetId: 'subnet-0000000c' }
  },
  domain: { DomainId: 'd-1', VpcId: 'vpc-00000001', SubnetIds: [] },
  subnets: [
    {
      SubnetId: 'subnet-0000000b',
      VpcId: 'vpc-00000001',
      CidrBlock: '10.0.2.0/24',
      Tags: [{ Key: 'Name', Value: 'public' }]
    },
    {
      SubnetId: 'subnet-0000000a',
      VpcId: 'vpc-00000001',
      CidrBlock: '10.0.1.0/24',
      Tags: [{ Key: 'Name', Value: 'private-nat' }]
    },
    { SubnetId: 'subnet-0000000c', VpcId: 'vpc-00000002' }
  ],
  routeTables: [
    {
      RouteTableId: 'rtb-1',
      VpcId: 'vpc-00000001',
      Associations: [{ SubnetId: 'subnet-0000000b' }],
      Routes: [{ DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-1' }]
    },
    {
      RouteTableId: 'rtb-2',
      VpcId: 'vpc-00000001',
      Associations: [{ Main: true }],
      Routes: [{ DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: 'nat-1' }]
    }
  ],
  securityGroups: [
    { GroupId: 'sg-00000002', GroupName: 'studio', VpcId: 'vpc-00000001' },
    { GroupId: 'sg-00000001', GroupName: 'default', VpcId: 'vpc-00000001' },
    { GroupId: 'sg-00000009', GroupName: 'elsewhere', VpcId: 'vpc-00000002' }
  ],
  vpcEndpoints: [],
  vpcPeeringConnections: []
};

describe('networkChoices', () => {
  it("offers the domain VPC's subnets, private ones first, and its groups only", () => {
    const choices = networkChoices(facts);
    expect(choices.vpcId).toBe('vpc-00000001');
    expect(choices.subnets).toEqual([
      {
        id: 'subnet-0000000a',
        label: 'subnet-0000000a (private-nat, 10.0.1.0/24)',
        public: false
      },
      {
        id: 'subnet-0000000b',
        label: 'subnet-0000000b (public, 10.0.2.0/24)',
        public: true
      }
    ]);
    expect(choices.securityGroups.map(g => g.id)).toEqual([
      'sg-00000001',
      'sg-00000002'
    ]);
  });

  it("without a domain, picks in the cluster's VPC", () => {
    const noDomain = { ...facts, domain: null };
    expect(jobVpcId(noDomain)).toBe('vpc-00000002');
    expect(networkChoices(noDomain).securityGroups.map(g => g.id)).toEqual([
      'sg-00000009'
    ]);
  });

  it('offers nothing when no VPC is known', () => {
    expect(
      networkChoices({ ...facts, domain: null, cluster: null, subnets: [] })
    ).toEqual({ vpcId: null, subnets: [], securityGroups: [] });
  });
});

describe('isCommand', () => {
  it('tells an aws command from a sentence', () => {
    expect(
      isCommand(
        'aws ec2 authorize-security-group-ingress --group-id sg-1 --protocol tcp --port 8998 --source-group sg-2'
      )
    ).toBe(true);
    expect(isCommand('Add a NAT gateway route to the subnet.')).toBe(false);
  });
});

describe('probeLines', () => {
  const probe = (results: IProbe['results']): IProbe => ({
    clusterId: 'j-1',
    host: 'ip-10-0-1-5.ec2.internal',
    results,
    notChecked: []
  });
  const result = (
    path: 'livy' | 'kdc',
    port: number,
    r: IProbe['results'][number]['result']
  ) => ({
    path,
    host: 'ip-10-0-1-5.ec2.internal',
    port,
    address: '10.0.1.5',
    result: r,
    message: `${r} on ${port}`,
    ms: 3
  });

  it('is reachable only when every port is open', () => {
    expect(probeVerdict(probe([result('livy', 8998, 'open')]))).toBe(
      'reachable'
    );
    expect(
      probeVerdict(
        probe([result('livy', 8998, 'open'), result('kdc', 88, 'timeout')])
      )
    ).toBe('blocked');
    expect(probeVerdict(probe([]))).toBe('unknown');
  });

  it('gives refusal, timeout and an unresolved name each their own fix', () => {
    const lines = probeLines(
      probe([
        result('livy', 8998, 'refused'),
        result('kdc', 88, 'timeout'),
        result('livy', 9000, 'unresolved')
      ])
    );
    expect(lines.map(l => [l.title, l.target, l.verdict])).toEqual([
      ['Livy', 'ip-10-0-1-5.ec2.internal:8998', 'blocked'],
      ['Kerberos KDC', 'ip-10-0-1-5.ec2.internal:88', 'blocked'],
      ['Livy', 'ip-10-0-1-5.ec2.internal:9000', 'blocked']
    ]);
    expect(lines[0].fix).toMatch(/nothing|refuses port 8998.*Livy runs/);
    expect(lines[1].fix).toMatch(/security group must admit/);
    expect(lines[2].fix).toMatch(/cannot resolve .*run the Jupyter server/);
    expect(new Set(lines.map(l => l.fix)).size).toBe(3);
  });

  it('an open port has no fix', () => {
    const [line] = probeLines(probe([result('livy', 8998, 'open')]));
    expect(line.verdict).toBe('reachable');
    expect(line.fix).toBeNull();
  });
});
