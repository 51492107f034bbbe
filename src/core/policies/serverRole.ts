/**
 * Audience: the Jupyter server's role (in SageMaker Studio, the space's
 * execution role). The identity policy behind the panel's server routes.
 */
import {
  arnAt,
  PrefixedSecretsInputs,
  prefixedSecrets,
  secretReadActions,
  secretsDocument,
  secretsUnder
} from './shared';
import type { IPolicyDocument } from './types';

/**
 * The bucket SageMaker's scheduler plugin keeps notebook jobs' files in, by
 * default: this, then the account and region.
 */
export const SAGEMAKER_JOBS_BUCKET = 'sagemaker-automated-execution';

/** The name prefix the panel's routes may check and create secrets under. */
export const DEFAULT_SERVER_SECRET_PREFIX = 'emr/';

/**
 * Identity policy of the role the Jupyter server runs as for the panel's
 * routes, from what they call: list and describe EMR clusters (the security
 * configuration and instance groups tell the auth type), list and describe
 * EMR Serverless applications, list the roles EMR Serverless may assume, list
 * secrets, check the ones under the prefix (the check reads the value on the
 * server to see its keys; the value never leaves it) and create them from the
 * user's credentials, tagged; and, for the network check, read the cluster's
 * instances, the VPCs' subnets, route tables, security groups, endpoints and
 * peerings (EC2's Describe calls take no resource) and the SageMaker domain,
 * space or user profile the job comes from
 * (jupyterlab_emr_schedule/network.py's ACTIONS); and, when a test run on
 * SageMaker is dismissed, read its training job and remove its files from
 * SageMaker's default jobs bucket (jupyterlab_emr_schedule/testruns.py's
 * ACTIONS). STS GetCallerIdentity, for
 * the panel's identity, needs no permission.
 */
export function serverRoutesPolicy(
  inputs: PrefixedSecretsInputs
): IPolicyDocument {
  const { prefix, key, where } = prefixedSecrets(
    inputs,
    DEFAULT_SERVER_SECRET_PREFIX,
    'for the clusters’ and secrets’ ARNs'
  );
  return secretsDocument(
    [
      {
        Sid: 'ListEmrClusters',
        Effect: 'Allow',
        Action: [
          'elasticmapreduce:ListClusters',
          'elasticmapreduce:DescribeSecurityConfiguration'
        ],
        Resource: '*'
      },
      {
        Sid: 'DescribeEmrClusters',
        Effect: 'Allow',
        Action: [
          'elasticmapreduce:DescribeCluster',
          'elasticmapreduce:ListInstanceGroups',
          'elasticmapreduce:ListInstances'
        ],
        Resource: arnAt(where, 'elasticmapreduce', 'cluster/*')
      },
      {
        Sid: 'DescribeJobNetworks',
        Effect: 'Allow',
        Action: [
          'ec2:DescribeSubnets',
          'ec2:DescribeRouteTables',
          'ec2:DescribeSecurityGroups',
          'ec2:DescribeVpcEndpoints',
          'ec2:DescribeVpcPeeringConnections'
        ],
        Resource: '*'
      },
      {
        Sid: 'DescribeSageMakerDomains',
        Effect: 'Allow',
        Action: ['sagemaker:DescribeDomain'],
        Resource: arnAt(where, 'sagemaker', 'domain/*')
      },
      {
        Sid: 'DescribeSageMakerSpacesAndUserProfiles',
        Effect: 'Allow',
        Action: ['sagemaker:DescribeSpace', 'sagemaker:DescribeUserProfile'],
        Resource: [
          arnAt(where, 'sagemaker', 'space/*'),
          arnAt(where, 'sagemaker', 'user-profile/*')
        ]
      },
      {
        Sid: 'DescribeSageMakerTestRunJobs',
        Effect: 'Allow',
        Action: ['sagemaker:DescribeTrainingJob', 'sagemaker:ListTags'],
        Resource: arnAt(where, 'sagemaker', 'training-job/*')
      },
      {
        Sid: 'RemoveSageMakerTestRunFiles',
        Effect: 'Allow',
        Action: ['s3:ListBucket', 's3:DeleteObject'],
        Resource: [
          `arn:${where.partition}:s3:::${SAGEMAKER_JOBS_BUCKET}-${where.account}-${where.region}`,
          `arn:${where.partition}:s3:::${SAGEMAKER_JOBS_BUCKET}-${where.account}-${where.region}/*`
        ]
      },
      {
        Sid: 'ListSecrets',
        Effect: 'Allow',
        Action: ['secretsmanager:ListSecrets'],
        Resource: '*'
      },
      {
        Sid: 'ListEmrServerlessApplicationsAndExecutionRoles',
        Effect: 'Allow',
        Action: ['emr-serverless:ListApplications', 'iam:ListRoles'],
        Resource: '*'
      },
      {
        Sid: 'DescribeEmrServerlessApplications',
        Effect: 'Allow',
        Action: ['emr-serverless:GetApplication'],
        Resource: arnAt(where, 'emr-serverless', '/applications/*')
      },
      {
        Sid: 'CheckAndCreateEmrSecrets',
        Effect: 'Allow',
        Action: [
          ...secretReadActions(),
          'secretsmanager:CreateSecret',
          'secretsmanager:TagResource'
        ],
        Resource: secretsUnder(where, prefix)
      }
    ],
    key,
    where.region
  );
}
