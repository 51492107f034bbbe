/**
 * Audience: Redshift's two roles. The Spark role (the EMR cluster's EC2
 * instance profile role, or the runtime role a session uses) gets temporary
 * database credentials and the connector's tempdir; the role named in
 * `aws_iam_role`, which Redshift assumes for COPY and UNLOAD, gets the
 * tempdir only.
 *
 * From the AWS pages the product was built from, with their defects fixed:
 * the Spark side of the connector needs `redshift:GetClusterCredentials` and
 * `redshift:DescribeClusters` (provisioned) or
 * `redshift-serverless:GetWorkgroup` and `redshift-serverless:GetCredentials`
 * (serverless), plus S3 on the tempdir (the page's `s3:GetBucket` is an S3 on
 * Outposts action and is not needed); the role named in `aws_iam_role` trusts
 * `redshift.amazonaws.com`.
 */
import {
  arnAt,
  arnParts,
  doc,
  need,
  partitionForRegion,
  partitionOf,
  required
} from './shared';
import {
  IPolicyDocument,
  IPolicyInputs,
  IPolicyStatement,
  PolicyInputError
} from './types';

const BUCKET_RE = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const S3_KEY_PREFIX_RE = /^[A-Za-z0-9_.=/-]*$/;

export interface ITempdir {
  bucket: string;
  /** The key prefix, empty or ending in `/`. */
  prefix: string;
}

/** Bucket and key prefix of a connector tempdir (`s3a://` or `s3://`). */
export function parseTempdir(url: string): ITempdir {
  const problem = (text: string) => new PolicyInputError('tempdir', text);
  if (url.includes('@')) {
    throw problem(
      'Keys in the tempdir URL end up in logs and job definitions; give the folder only.'
    );
  }
  const match = /^([a-z0-9]+):\/\/([^/]*)(\/.*)?$/.exec(url);
  if (!match) {
    throw problem('Not an S3 URL; give s3a://BUCKET/PREFIX/.');
  }
  const [, scheme, bucket, path = ''] = match;
  if (scheme !== 's3a' && scheme !== 's3') {
    throw problem(`Use s3a:// (or s3://), not ${scheme}://.`);
  }
  if (!BUCKET_RE.test(bucket)) {
    throw problem(
      'The bucket name is 3 to 63 lowercase letters, digits, dots and dashes.'
    );
  }
  const key = path.replace(/^\/+/, '');
  if (!S3_KEY_PREFIX_RE.test(key) || key.includes('//')) {
    throw problem(
      'The folder uses letters, digits and _ . = / - (no wildcards, spaces or empty segments).'
    );
  }
  return { bucket, prefix: key && !key.endsWith('/') ? `${key}/` : key };
}

/**
 * The tempdir's statements: list the folder, use its objects with `actions`
 * and, for the Spark side, read the bucket's lifecycle rules (the connector
 * warns when staging files would never expire).
 */
function tempdirStatements(
  tempdir: string,
  partition: string,
  actions: string[],
  withLifecycle: boolean
): IPolicyStatement[] {
  const { bucket, prefix } = parseTempdir(tempdir);
  const bucketArn = `arn:${partition}:s3:::${bucket}`;
  const list: IPolicyStatement = {
    Sid: 'ListTempdir',
    Effect: 'Allow',
    Action: ['s3:ListBucket'],
    Resource: bucketArn
  };
  if (prefix) {
    list.Condition = { StringLike: { 's3:prefix': [prefix, `${prefix}*`] } };
  }
  const statements = [list];
  if (withLifecycle) {
    statements.push({
      Sid: 'ReadTempdirBucketLifecycle',
      Effect: 'Allow',
      Action: ['s3:GetBucketLifecycleConfiguration'],
      Resource: bucketArn
    });
  }
  statements.push({
    Sid: 'UseTempdirObjects',
    Effect: 'Allow',
    Action: actions,
    Resource: `${bucketArn}/${prefix}*`
  });
  return statements;
}

/** What the Spark side of the connector does in the tempdir. */
function sparkTempdirStatements(
  tempdir: string,
  partition: string
): IPolicyStatement[] {
  return tempdirStatements(
    tempdir,
    partition,
    ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
    true
  );
}

/**
 * Identity policy of the Spark role for a provisioned Redshift cluster:
 * temporary credentials for one database user and database, the cluster's
 * description, and the tempdir.
 */
export function sparkRedshiftProvisionedPolicy(
  inputs: Pick<
    IPolicyInputs,
    'region' | 'account' | 'cluster' | 'dbUser' | 'database' | 'tempdir'
  >
): IPolicyDocument {
  const region = need(inputs, 'region');
  const account = need(inputs, 'account');
  const cluster = need(inputs, 'cluster');
  const dbUser = need(inputs, 'dbUser');
  const database = need(inputs, 'database');
  if (cluster.endsWith('-')) {
    throw new PolicyInputError(
      'cluster',
      'A cluster identifier cannot end with a dash.'
    );
  }
  const tempdir = required(inputs, 'tempdir');
  const where = { partition: partitionForRegion(region), region, account };
  return doc(
    {
      Sid: 'GetRedshiftCredentials',
      Effect: 'Allow',
      Action: ['redshift:GetClusterCredentials'],
      Resource: [
        arnAt(where, 'redshift', `dbuser:${cluster}/${dbUser}`),
        arnAt(where, 'redshift', `dbname:${cluster}/${database}`)
      ]
    },
    {
      Sid: 'DescribeRedshiftCluster',
      Effect: 'Allow',
      Action: ['redshift:DescribeClusters'],
      Resource: arnAt(where, 'redshift', `cluster:${cluster}`)
    },
    ...sparkTempdirStatements(tempdir, where.partition)
  );
}

/**
 * Identity policy of the Spark role for a Redshift Serverless workgroup:
 * the workgroup's description and temporary credentials, and the tempdir.
 */
export function sparkRedshiftServerlessPolicy(
  inputs: Pick<IPolicyInputs, 'workgroupArn' | 'tempdir'>
): IPolicyDocument {
  const workgroupArn = need(inputs, 'workgroupArn');
  const tempdir = required(inputs, 'tempdir');
  return doc(
    {
      Sid: 'GetRedshiftServerlessCredentials',
      Effect: 'Allow',
      Action: [
        'redshift-serverless:GetWorkgroup',
        'redshift-serverless:GetCredentials'
      ],
      Resource: workgroupArn
    },
    ...sparkTempdirStatements(tempdir, arnParts(workgroupArn).partition)
  );
}

/** Trust policy of the role named in `aws_iam_role`: Redshift may assume it. */
export function redshiftCopyTrustPolicy(): IPolicyDocument {
  return doc({
    Sid: 'RedshiftAssumesRole',
    Effect: 'Allow',
    Principal: { Service: 'redshift.amazonaws.com' },
    Action: ['sts:AssumeRole']
  });
}

/**
 * Permissions of the role named in `aws_iam_role`: COPY reads and UNLOAD
 * writes the connector's staging files in the tempdir, nothing else.
 */
export function redshiftCopyS3Policy(
  inputs: Pick<IPolicyInputs, 'tempdir' | 'region'>
): IPolicyDocument {
  const tempdir = required(inputs, 'tempdir');
  return doc(
    ...tempdirStatements(
      tempdir,
      partitionOf(inputs),
      ['s3:GetObject', 's3:PutObject'],
      false
    )
  );
}
