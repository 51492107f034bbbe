/**
 * The facts a network check works from, as the server's `network` route
 * answers them: AWS's own shapes (DescribeCluster, ListInstances,
 * DescribeSubnets, ...), cut to the fields the check reads, so anything that
 * calls AWS with its own SDK (the admin command line) can gather the same.
 */

/** One EMR configuration classification (DescribeCluster, ListInstanceGroups). */
export interface IEmrConfiguration {
  Classification?: string;
  Properties?: Record<string, string>;
  Configurations?: IEmrConfiguration[];
}

/** The Kerberos part of a cluster's security configuration. */
export interface IKerberosConfiguration {
  Provider?: 'ClusterDedicatedKdc' | 'ExternalKdc' | string;
  ClusterDedicatedKdcConfiguration?: {
    CrossRealmTrustConfiguration?: {
      Realm?: string;
      Domain?: string;
      KdcServer?: string;
      AdminServer?: string;
    };
  };
  ExternalKdcConfiguration?: {
    KdcServerType?: string;
    KdcServer?: string;
    AdminServer?: string;
    AdIntegrationConfiguration?: {
      AdRealm?: string;
      AdDomain?: string;
      AdServer?: string;
    };
  };
}

/** What the check needs of a cluster. Never carries a password. */
export interface IClusterFacts {
  Id: string;
  Name?: string;
  State?: string;
  MasterPublicDnsName?: string | null;
  InstanceCollectionType?: string;
  Ec2InstanceAttributes?: {
    Ec2SubnetId?: string | null;
    EmrManagedMasterSecurityGroup?: string | null;
    AdditionalMasterSecurityGroups?: string[] | null;
  };
  Configurations?: IEmrConfiguration[];
  /** The primary instance group's own configurations (ListInstanceGroups). */
  PrimaryInstanceGroupConfigurations?: IEmrConfiguration[];
  /** Realm only: the server drops the passwords DescribeCluster returns. */
  KerberosAttributes?: { Realm?: string } | null;
  SecurityConfiguration?: string | null;
  /** From DescribeSecurityConfiguration, when the cluster has one. */
  KerberosConfiguration?: IKerberosConfiguration | null;
  /** The ListInstances entry whose DNS name is MasterPublicDnsName. */
  PrimaryInstance?: {
    Ec2InstanceId?: string;
    PrivateDnsName?: string;
    PrivateIpAddress?: string;
    PublicDnsName?: string;
  } | null;
}

export interface ISubnet {
  SubnetId: string;
  VpcId: string;
  CidrBlock?: string;
  AvailabilityZone?: string;
  MapPublicIpOnLaunch?: boolean;
  Tags?: { Key?: string; Value?: string }[];
}

export interface IRoute {
  DestinationCidrBlock?: string;
  DestinationPrefixListId?: string;
  GatewayId?: string;
  NatGatewayId?: string;
  TransitGatewayId?: string;
  VpcPeeringConnectionId?: string;
  NetworkInterfaceId?: string;
  InstanceId?: string;
  State?: string;
}

export interface IRouteTable {
  RouteTableId: string;
  VpcId: string;
  Associations?: { SubnetId?: string; Main?: boolean }[];
  Routes?: IRoute[];
}

export interface IIpPermission {
  IpProtocol: string;
  FromPort?: number;
  ToPort?: number;
  IpRanges?: { CidrIp?: string }[];
  Ipv6Ranges?: { CidrIpv6?: string }[];
  PrefixListIds?: { PrefixListId?: string }[];
  UserIdGroupPairs?: { GroupId?: string; UserId?: string; VpcId?: string }[];
}

export interface ISecurityGroup {
  GroupId: string;
  GroupName?: string;
  VpcId?: string;
  IpPermissions?: IIpPermission[];
  IpPermissionsEgress?: IIpPermission[];
}

export interface IVpcEndpoint {
  VpcEndpointId: string;
  VpcEndpointType?: 'Interface' | 'Gateway' | 'GatewayLoadBalancer' | string;
  ServiceName: string;
  VpcId: string;
  State?: string;
  PrivateDnsEnabled?: boolean;
  SubnetIds?: string[];
  Groups?: { GroupId?: string; GroupName?: string }[];
  RouteTableIds?: string[];
}

export interface IVpcInfo {
  VpcId?: string;
  OwnerId?: string;
  Region?: string;
  CidrBlock?: string;
}

export interface IVpcPeeringConnection {
  VpcPeeringConnectionId: string;
  Status?: { Code?: string };
  RequesterVpcInfo?: IVpcInfo;
  AccepterVpcInfo?: IVpcInfo;
}

export type AppNetworkAccessType = 'PublicInternetOnly' | 'VpcOnly';

/** The SageMaker domain (and the space or user profile) a job comes from. */
export interface IDomainFacts {
  DomainId: string;
  DomainName?: string;
  AppNetworkAccessType?: AppNetworkAccessType | string;
  VpcId?: string;
  SubnetIds?: string[];
  DefaultUserSettings?: { SecurityGroups?: string[] };
  DefaultSpaceSettings?: { SecurityGroups?: string[] };
  UserProfile?: {
    UserProfileName: string;
    UserSettings?: { SecurityGroups?: string[] };
  } | null;
  Space?: {
    SpaceName: string;
    OwnershipSettings?: { OwnerUserProfileName?: string };
    SpaceSharingSettings?: { SharingType?: string };
  } | null;
}

/** Everything the server read for one check. */
export interface INetworkFacts {
  region: string;
  target: 'cluster' | 'serverless';
  cluster?: IClusterFacts | null;
  /** The EMR Serverless application (serverless target). */
  applicationId?: string | null;
  /** The job's subnets and security groups as the request named them (absent: the domain's). */
  request?: { subnets?: string[]; securityGroups?: string[] };
  domain?: IDomainFacts | null;
  subnets: ISubnet[];
  routeTables: IRouteTable[];
  securityGroups: ISecurityGroup[];
  vpcEndpoints: IVpcEndpoint[];
  vpcPeeringConnections: IVpcPeeringConnection[];
}
