import {
  EMPTY_REDSHIFT_STATE,
  InvalidRedshiftStateError,
  IRedshiftState,
  REDSHIFT_FORMAT,
  redshiftCells,
  redshiftEnvVars,
  redshiftErrors,
  redshiftUrl
} from '../../src/core/redshiftCell';

const provisioned: IRedshiftState = {
  ...EMPTY_REDSHIFT_STATE,
  host: 'examplecluster.abc123xyz789.us-east-1.redshift.amazonaws.com',
  table: 'public.sales',
  tempdir: 's3a://analytics-temp/redshift/',
  iamRoleArn: 'arn:aws:iam::123456789012:role/redshift-copy-unload'
};
const serverless: IRedshiftState = {
  ...provisioned,
  kind: 'serverless',
  host: 'analytics.123456789012.eu-west-1.redshift-serverless.amazonaws.com'
};

describe('Redshift connector cells', () => {
  it('read locally, send to Spark, then call the connector', () => {
    const cells = redshiftCells(provisioned);
    expect(cells.map(c => c.part)).toEqual([
      'redshift-local',
      'redshift-send',
      'redshift'
    ]);
    expect(cells[0].source.split('\n')[0]).toBe('%%local');
    expect(cells[0].source).toContain(
      "'url': os.getenv('redshift_url', 'jdbc:redshift:iam://examplecluster.abc123xyz789.us-east-1.redshift.amazonaws.com:5439/dev'),"
    );
    expect(cells[1].source).toBe(
      '%%send_to_spark -i emr_schedule_redshift_options -t str -n emr_schedule_redshift_options'
    );
    expect(cells[2].source).toContain(`.format("${REDSHIFT_FORMAT}")`);
    expect(cells[2].source).toContain('.load()');
  });

  it('use the format name without stray whitespace and exactly one S3 auth option', () => {
    for (const state of [provisioned, serverless]) {
      for (const direction of ['read', 'write'] as const) {
        const spark = redshiftCells({ ...state, direction })[2].source;
        expect(spark).not.toMatch(/spark\.redshift\s+"/);
        expect(spark.match(/aws_iam_role/g)).toHaveLength(2); // key and lookup
        expect(spark).not.toMatch(
          /forward_spark_s3_credentials|temporary_aws_access_key_id/
        );
      }
    }
  });

  it('write appends the DataFrame', () => {
    const spark = redshiftCells({ ...provisioned, direction: 'write' })[2]
      .source;
    expect(spark).toContain('df.write');
    expect(spark).toContain('.mode("append")');
    expect(spark).toContain('.save()');
  });

  it('give the job the IAM JDBC URL and ids only', () => {
    expect(redshiftEnvVars(serverless)).toEqual({
      redshift_url:
        'jdbc:redshift:iam://analytics.123456789012.eu-west-1.redshift-serverless.amazonaws.com:5439/dev',
      redshift_table: 'public.sales',
      redshift_tempdir: 's3a://analytics-temp/redshift/',
      redshift_iam_role: 'arn:aws:iam::123456789012:role/redshift-copy-unload'
    });
    expect(redshiftUrl(provisioned)).toMatch(/^jdbc:redshift:iam:\/\//);
  });

  it('are identical for identical state', () => {
    expect(redshiftCells({ ...provisioned })).toEqual(
      redshiftCells(provisioned)
    );
  });
});

describe('Redshift form validation', () => {
  it('accepts the example states', () => {
    expect(redshiftErrors(provisioned)).toEqual({});
    expect(redshiftErrors(serverless)).toEqual({});
  });

  it.each<[keyof IRedshiftState, string]>([
    ['host', ''],
    ['host', 'jdbc:redshift://x.abc.us-east-1.redshift.amazonaws.com'],
    ['host', "x.abc.us-east-1.redshift.amazonaws.com'); import os; ('"],
    ['host', 'x.abc.us-east-1.redshift.amazonaws.com\nprint(1)'],
    ['port', '54a9'],
    ['port', '80'],
    ['database', 'dev; drop'],
    ['database', ''],
    ['table', ''],
    ['table', 'public.sales"'],
    ['table', 'a.b.c'],
    ['tempdir', ''],
    ['tempdir', 's3://analytics-temp/x/'],
    ['tempdir', 's3a://AKIAEXAMPLE:secret@analytics-temp/x/'],
    ['tempdir', "s3a://analytics-temp/x'/"],
    ['iamRoleArn', ''],
    ['iamRoleArn', 'arn:aws:iam::123:role/x']
  ])('rejects %s = %j with a reason', (field, value) => {
    const state = { ...provisioned, [field]: value };
    const errors = redshiftErrors(state);
    expect(errors[field]).toEqual(expect.any(String));
    expect(() => redshiftCells(state)).toThrow(InvalidRedshiftStateError);
  });

  it('tells a serverless endpoint from a cluster endpoint', () => {
    expect(redshiftErrors({ ...provisioned, kind: 'serverless' }).host).toMatch(
      /serverless/
    );
    expect(redshiftErrors({ ...serverless, kind: 'provisioned' }).host).toMatch(
      /cluster endpoint/
    );
  });

  it('says why keys in the tempdir are refused', () => {
    expect(
      redshiftErrors({
        ...provisioned,
        tempdir: 's3a://KEY:SECRET@analytics-temp/x/'
      }).tempdir
    ).toMatch(/aws_iam_role/);
  });
});
