/**
 * The IAM-authenticated Redshift connector cells for a PySpark (SparkMagic)
 * notebook.
 *
 * The Spark code runs on the cluster, where the job's environment variables
 * do not exist; they exist in the local kernel. So the values are read
 * locally (`%%local`, `os.getenv` with the form's values as fallbacks, the
 * same pattern as the connect cell), sent to the Spark session as one JSON
 * string with sparkmagic's `%%send_to_spark`, and used there:
 *
 * - format `io.github.spark_redshift_community.spark.redshift` (no stray
 *   whitespace: the AWS page's trailing space fails),
 * - `url` `jdbc:redshift:iam://host:port/db` (IAM, no password),
 * - `tempdir` on `s3a://`, with no keys in the URL,
 * - exactly one S3 auth option: `aws_iam_role`.
 *
 * Every value written into code is validated first to a closed character set.
 */
import type { ICellSpec } from './connectCell';
import { EnvMap } from './envVars';
import { validateEnvVarName, validateRoleArn } from './validate';

export const REDSHIFT_FORMAT =
  'io.github.spark_redshift_community.spark.redshift';

/** The Python variable that carries the options from local to the cluster. */
export const REDSHIFT_OPTIONS_VARIABLE = 'emr_schedule_redshift_options';

export type RedshiftKind = 'provisioned' | 'serverless';
export type RedshiftDirection = 'read' | 'write';

export interface IRedshiftState {
  kind: RedshiftKind;
  /** Endpoint host of the cluster or the serverless workgroup. */
  host: string;
  port: string;
  database: string;
  table: string;
  /** `s3a://bucket/prefix/` for the connector's staging files. */
  tempdir: string;
  /** The role Redshift assumes for COPY/UNLOAD (`aws_iam_role`). */
  iamRoleArn: string;
  direction: RedshiftDirection;
}

export interface IRedshiftEnvNames {
  url: string;
  table: string;
  tempdir: string;
  iamRole: string;
}

export const DEFAULT_REDSHIFT_ENV_NAMES: IRedshiftEnvNames = {
  url: 'redshift_url',
  table: 'redshift_table',
  tempdir: 'redshift_tempdir',
  iamRole: 'redshift_iam_role'
};

export const EMPTY_REDSHIFT_STATE: IRedshiftState = {
  kind: 'provisioned',
  host: '',
  port: '5439',
  database: 'dev',
  table: '',
  tempdir: '',
  iamRoleArn: '',
  direction: 'read'
};

export type RedshiftErrors = Partial<Record<keyof IRedshiftState, string>>;

export class InvalidRedshiftStateError extends Error {
  constructor(readonly errors: RedshiftErrors) {
    super(
      'The Redshift settings are not valid: ' + Object.values(errors).join(' ')
    );
    this.name = 'InvalidRedshiftStateError';
  }
}

const PROVISIONED_HOST =
  /^[a-z][a-z0-9-]{0,62}\.[a-z0-9]+\.[a-z]{2}(?:-[a-z]+)+-\d\.redshift\.amazonaws\.com(?:\.cn)?$/;
const SERVERLESS_HOST =
  /^[a-z][a-z0-9-]{0,62}\.\d{12}\.[a-z]{2}(?:-[a-z]+)+-\d\.redshift-serverless\.amazonaws\.com(?:\.cn)?$/;
const ANY_HOST = /^[a-z0-9](?:[a-z0-9-]{0,62})(?:\.[a-z0-9-]{1,63})+$/;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]{0,126}$/;
const TABLE =
  /^[A-Za-z_][A-Za-z0-9_$]{0,126}(?:\.[A-Za-z_][A-Za-z0-9_$]{0,126})?$/;
const TEMPDIR =
  /^s3a:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(\/[A-Za-z0-9_.=/-]*)?$/;

export function redshiftErrors(state: IRedshiftState): RedshiftErrors {
  const errors: RedshiftErrors = {};
  const host = state.host;
  if (!host) {
    errors.host =
      state.kind === 'serverless'
        ? 'Enter the workgroup endpoint, for example default.123456789012.us-east-1.redshift-serverless.amazonaws.com.'
        : 'Enter the cluster endpoint, for example examplecluster.abc123xyz789.us-east-1.redshift.amazonaws.com.';
  } else if (!ANY_HOST.test(host)) {
    errors.host =
      'An endpoint is a host name (letters, digits, dots and dashes), without jdbc:, port or database.';
  } else if (state.kind === 'serverless' && !SERVERLESS_HOST.test(host)) {
    errors.host =
      'A serverless workgroup endpoint looks like WORKGROUP.ACCOUNT.REGION.redshift-serverless.amazonaws.com.';
  } else if (state.kind === 'provisioned' && !PROVISIONED_HOST.test(host)) {
    errors.host =
      'A cluster endpoint looks like CLUSTER.ID.REGION.redshift.amazonaws.com.';
  }
  const port = Number(state.port);
  if (!/^\d{1,5}$/.test(state.port) || port < 1150 || port > 65535) {
    errors.port = 'The port is a number from 1150 to 65535 (5439 by default).';
  }
  if (!IDENTIFIER.test(state.database)) {
    errors.database =
      'A database name starts with a letter or _ and holds letters, digits, _ and $.';
  }
  if (!TABLE.test(state.table)) {
    errors.table = state.table
      ? 'A table is NAME or SCHEMA.NAME (letters, digits, _ and $).'
      : 'Enter the table, for example public.sales.';
  }
  if (!state.tempdir) {
    errors.tempdir =
      'Enter the S3 folder for staging files, for example s3a://my-bucket/redshift-temp/.';
  } else if (state.tempdir.includes('@')) {
    errors.tempdir =
      'Keys in the tempdir URL end up in logs and job definitions; give the folder only and let aws_iam_role authorise S3.';
  } else if (!TEMPDIR.test(state.tempdir)) {
    errors.tempdir =
      'The tempdir is an s3a:// URL: s3a://BUCKET/PREFIX/ (lowercase bucket name).';
  }
  if (!state.iamRoleArn) {
    errors.iamRoleArn =
      'Enter the ARN of the IAM role Redshift assumes for COPY and UNLOAD.';
  } else {
    const roleProblem = validateRoleArn(state.iamRoleArn);
    if (roleProblem) {
      errors.iamRoleArn = roleProblem;
    }
  }
  return errors;
}

function assertValid(state: IRedshiftState, names: IRedshiftEnvNames): void {
  const errors = redshiftErrors(state);
  if (Object.keys(errors).length) {
    throw new InvalidRedshiftStateError(errors);
  }
  for (const name of Object.values(names)) {
    const problem = validateEnvVarName(name);
    if (problem) {
      throw new InvalidRedshiftStateError({ table: problem });
    }
  }
}

/** `jdbc:redshift:iam://host:port/db`, the IAM form of the JDBC URL. */
export function redshiftUrl(state: IRedshiftState): string {
  return `jdbc:redshift:iam://${state.host}:${state.port}/${state.database}`;
}

/** The variables a job needs for the Redshift cells (ids and names only). */
export function redshiftEnvVars(
  state: IRedshiftState,
  names: IRedshiftEnvNames = DEFAULT_REDSHIFT_ENV_NAMES
): EnvMap {
  assertValid(state, names);
  return {
    [names.url]: redshiftUrl(state),
    [names.table]: state.table,
    [names.tempdir]: state.tempdir,
    [names.iamRole]: state.iamRoleArn
  };
}

/** The three cells: local values, send to Spark, the connector call. */
export function redshiftCells(
  state: IRedshiftState,
  names: IRedshiftEnvNames = DEFAULT_REDSHIFT_ENV_NAMES
): ICellSpec[] {
  const env = redshiftEnvVars(state, names);
  // Names and values are validated to sets without quotes or backslashes.
  const option = (key: string, name: string) =>
    `    '${key}': os.getenv('${name}', '${env[name]}'),`;
  const local = [
    '%%local',
    'import json',
    'import os',
    '',
    '# Read locally: a job sets these environment variables; by hand, the fallbacks apply.',
    `${REDSHIFT_OPTIONS_VARIABLE} = json.dumps({`,
    option('url', names.url),
    option('dbtable', names.table),
    option('tempdir', names.tempdir),
    option('aws_iam_role', names.iamRole),
    '})'
  ].join('\n');
  const send = `%%send_to_spark -i ${REDSHIFT_OPTIONS_VARIABLE} -t str -n ${REDSHIFT_OPTIONS_VARIABLE}`;
  const chain = [
    `    .format("${REDSHIFT_FORMAT}")`,
    '    .option("url", redshift["url"])',
    '    .option("dbtable", redshift["dbtable"])',
    '    .option("tempdir", redshift["tempdir"])',
    '    .option("aws_iam_role", redshift["aws_iam_role"])'
  ];
  const spark =
    state.direction === 'read'
      ? [
          'import json',
          '',
          `redshift = json.loads(${REDSHIFT_OPTIONS_VARIABLE})`,
          'redshift_df = (',
          '    spark.read',
          ...chain,
          '    .load()',
          ')',
          'redshift_df.show(5)'
        ]
      : [
          'import json',
          '',
          `redshift = json.loads(${REDSHIFT_OPTIONS_VARIABLE})`,
          '# Replace df with the DataFrame to write.',
          '(',
          '    df.write',
          ...chain,
          '    .mode("append")',
          '    .save()',
          ')'
        ];
  return [
    { part: 'redshift-local', source: local },
    { part: 'redshift-send', source: send },
    { part: 'redshift', source: spark.join('\n') }
  ];
}
