import {
  accountFromArn,
  executionRoleSecretPolicy,
  findPolicyKind,
  IPolicyDocument,
  IPolicyInputs,
  isPolicyKind,
  parseArn,
  parseTempdir,
  perUserSecretResourcePolicy,
  POLICY_FIELDS,
  POLICY_KINDS,
  PolicyField,
  PolicyInputError,
  PolicyKind,
  policyKindInfo,
  policyKindsFor,
  regionFromArn,
  renderPolicy,
  roleArnFromIdentity,
  sharedSecretResourcePolicy
} from '../../src/core/policies';

const ACCOUNT = '123456789012';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/service-role/AmazonSageMaker-ExecutionRole-20190101T012345`;
const SECRET_ARN = `arn:aws:secretsmanager:us-west-2:${ACCOUNT}:secret:emr/shared-analytics-1a2b3c`;
const KEY = `arn:aws:kms:us-west-2:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const WORKGROUP = `arn:aws:redshift-serverless:us-east-1:${ACCOUNT}:workgroup/a1b2c3d4-5678-90ab-cdef-0123456789ab`;

/** Every kind with every shape of input it accepts. */
const SERVERLESS_ROLE = `arn:aws:iam::${ACCOUNT}:role/service-role/EMRServerlessExecutionRole`;

const SHAPES: [string, PolicyKind, IPolicyInputs][] = [
  ['shared', 'secret-shared', { roleArn: ROLE }],
  ['per-user with role', 'secret-per-user', { roleArn: ROLE }],
  ['per-user, account only', 'secret-per-user', { account: ACCOUNT }],
  [
    'per-user, China account',
    'secret-per-user',
    { account: ACCOUNT, region: 'cn-north-1' }
  ],
  ['secret by ARN', 'execution-role-secret', { secretId: SECRET_ARN }],
  [
    'secret by ARN with key',
    'execution-role-secret',
    { secretId: SECRET_ARN, kmsKeyArn: KEY }
  ],
  [
    'secret by name',
    'execution-role-secret',
    { secretId: 'emr/shared-analytics', region: 'us-west-2', account: ACCOUNT }
  ],
  [
    'secret by name with key, account from the role',
    'execution-role-secret',
    {
      secretId: 'emr/shared-analytics',
      roleArn: ROLE,
      kmsKeyArn: KEY,
      region: 'us-west-2'
    }
  ],
  [
    'per-user secrets',
    'execution-role-user-secrets',
    { region: 'us-west-2', account: ACCOUNT }
  ],
  [
    'per-user secrets with prefix, role and key',
    'execution-role-user-secrets',
    {
      secretPrefix: 'emr/people/*',
      roleArn: ROLE,
      kmsKeyArn: KEY,
      region: 'us-west-2'
    }
  ],
  ['server routes', 'server-routes', { region: 'us-west-2', account: ACCOUNT }],
  [
    'server routes with role, prefix and key',
    'server-routes',
    {
      roleArn: ROLE,
      secretPrefix: 'team/emr/',
      kmsKeyArn: KEY,
      region: 'us-west-2'
    }
  ],
  [
    'provisioned',
    'spark-redshift-provisioned',
    {
      region: 'us-east-1',
      account: ACCOUNT,
      cluster: 'examplecluster',
      dbUser: 'spark_etl',
      database: 'dev',
      tempdir: 's3a://analytics-temp/redshift/'
    }
  ],
  [
    'provisioned, tempdir at the bucket root',
    'spark-redshift-provisioned',
    {
      region: 'us-east-1',
      account: ACCOUNT,
      cluster: 'examplecluster',
      dbUser: 'spark_etl',
      database: 'dev',
      tempdir: 's3://analytics-temp'
    }
  ],
  [
    'serverless',
    'spark-redshift-serverless',
    { workgroupArn: WORKGROUP, tempdir: 's3a://analytics-temp/redshift' }
  ],
  [
    'serverless, tempdir at the bucket root',
    'spark-redshift-serverless',
    { workgroupArn: WORKGROUP, tempdir: 's3a://analytics-temp/' }
  ],
  ['trust', 'redshift-copy-trust', {}],
  [
    'COPY/UNLOAD S3',
    'redshift-copy-s3',
    { tempdir: 's3a://analytics-temp/redshift/' }
  ],
  [
    'COPY/UNLOAD S3 at the bucket root',
    'redshift-copy-s3',
    { tempdir: 's3://analytics-temp', region: 'eu-west-1' }
  ],
  ['serverless execution trust', 'serverless-execution-trust', {}],
  [
    'serverless execution trust, one account',
    'serverless-execution-trust',
    { account: ACCOUNT }
  ],
  [
    'serverless notebook role, every application',
    'serverless-job-role',
    { region: 'us-east-1', emrExecutionRoleArn: SERVERLESS_ROLE }
  ],
  [
    'serverless notebook role, one application',
    'serverless-job-role',
    {
      region: 'us-east-1',
      account: '111122223333',
      emrExecutionRoleArn: SERVERLESS_ROLE,
      applicationId: '00fabcdefghij12k'
    }
  ]
];

const ACTION = /^[a-z0-9-]+:[A-Z][A-Za-z]+$/;

/** Actions that IAM grants on no particular resource: their Resource is "*". */
const UNSCOPED_ACTIONS = [
  'elasticmapreduce:ListClusters',
  'elasticmapreduce:DescribeSecurityConfiguration',
  'secretsmanager:ListSecrets',
  'emr-serverless:ListApplications',
  'iam:ListRoles',
  'ec2:DescribeSubnets',
  'ec2:DescribeRouteTables',
  'ec2:DescribeSecurityGroups',
  'ec2:DescribeVpcEndpoints',
  'ec2:DescribeVpcPeeringConnections'
];

function resources(policy: IPolicyDocument): string[] {
  return policy.Statement.flatMap(s =>
    s.Resource === undefined ? [] : ([] as string[]).concat(s.Resource)
  );
}

function actions(policy: IPolicyDocument): string[] {
  return policy.Statement.flatMap(s => s.Action);
}

function fieldOf(run: () => unknown): PolicyField | string {
  try {
    run();
  } catch (error) {
    if (error instanceof PolicyInputError) {
      expect(error.message).toContain(error.field);
      expect(error.problem).toMatch(/\.$/);
      return error.field;
    }
    throw error;
  }
  return 'no error';
}

describe('every policy kind and input shape', () => {
  it('covers every kind', () => {
    expect(new Set(SHAPES.map(([, kind]) => kind))).toEqual(
      new Set(POLICY_KINDS.map(k => k.id))
    );
  });

  it.each(SHAPES)('%s (%s) is a valid IAM document', (_, kind, inputs) => {
    const policy = renderPolicy(kind, inputs);
    const type = policyKindInfo(kind).documentType;
    const parsed = JSON.parse(JSON.stringify(policy));
    expect(parsed).toEqual(policy);
    expect(policy.Version).toBe('2012-10-17');
    expect(Array.isArray(policy.Statement)).toBe(true);
    expect(policy.Statement.length).toBeGreaterThan(0);
    const sids = policy.Statement.map(s => s.Sid);
    expect(new Set(sids).size).toBe(sids.length);
    for (const statement of policy.Statement) {
      expect(statement.Sid).toMatch(/^[A-Za-z0-9]+$/);
      expect(statement.Effect).toBe('Allow');
      expect(statement.Action.length).toBeGreaterThan(0);
      for (const action of statement.Action) {
        expect(action).toMatch(ACTION);
      }
      if (type === 'trust') {
        expect(statement.Principal).toEqual({
          Service: kind.startsWith('serverless')
            ? 'emr-serverless.amazonaws.com'
            : 'redshift.amazonaws.com'
        });
        expect(statement.Resource).toBeUndefined();
      } else if (type === 'resource') {
        // In a resource policy "*" means the resource it is attached to.
        expect(statement.Resource).toBe('*');
        expect(statement.Principal).toHaveProperty('AWS');
      } else {
        expect(statement.Principal).toBeUndefined();
        expect(statement.Resource).toBeDefined();
      }
      for (const [operator, conditions] of Object.entries(
        statement.Condition ?? {}
      )) {
        expect(['StringEquals', 'StringLike']).toContain(operator);
        expect(Object.keys(conditions).length).toBeGreaterThan(0);
      }
    }
    if (type === 'identity') {
      // "*" only for the actions IAM scopes to no resource (listing).
      const unscoped = policy.Statement.filter(s => s.Resource === '*');
      for (const statement of unscoped) {
        expect(
          ([] as string[])
            .concat(statement.Action)
            .every(a => UNSCOPED_ACTIONS.includes(a))
        ).toBe(true);
      }
      const scoped = policy.Statement.filter(s => s.Resource !== '*');
      for (const resource of resources({ ...policy, Statement: scoped })) {
        expect(resource).toMatch(/^arn:aws(-[a-z]+)*:[a-z0-9-]+:/);
        // A wildcard only where the input is a name or a prefix, never an ARN's middle.
        expect(resource.replace(/(-\?{6}|\*)$/, '')).not.toMatch(/[*?]/);
      }
    }
  });

  it('never uses the misspelt "PrincipleTag"', () => {
    for (const [, kind, inputs] of SHAPES) {
      expect(JSON.stringify(renderPolicy(kind, inputs))).not.toMatch(
        /Principle/i
      );
    }
  });

  it('names the exact ARNs it was given', () => {
    for (const [, kind, inputs] of SHAPES) {
      const policy = renderPolicy(kind, inputs);
      const named = resources(policy);
      for (const arn of [inputs.kmsKeyArn, inputs.workgroupArn]) {
        if (arn) {
          expect(named).toContain(arn);
        }
      }
      if (inputs.secretId?.startsWith('arn:')) {
        expect(named).toContain(inputs.secretId);
      }
      if (inputs.roleArn && policyKindInfo(kind).documentType === 'resource') {
        expect(policy.Statement[0].Principal).toEqual({ AWS: inputs.roleArn });
      }
    }
  });
});

describe('secret policies', () => {
  const ABAC = {
    StringEquals: {
      'aws:ResourceTag/user-identity': '${aws:PrincipalTag/user-identity}'
    }
  };

  it('shared: the execution role reads the secret', () => {
    expect(sharedSecretResourcePolicy({ roleArn: ROLE })).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'ExecutionRoleReadsSecret',
          Effect: 'Allow',
          Principal: { AWS: ROLE },
          Action: [
            'secretsmanager:GetSecretValue',
            'secretsmanager:DescribeSecret'
          ],
          Resource: '*'
        }
      ]
    });
  });

  it('per-user: ABAC on aws:PrincipalTag/user-identity, principal role or account', () => {
    const withRole = perUserSecretResourcePolicy({ roleArn: ROLE });
    expect(withRole.Statement[0].Condition).toEqual(ABAC);
    expect(withRole.Statement[0].Principal).toEqual({ AWS: ROLE });
    const key = Object.values(
      withRole.Statement[0].Condition?.StringEquals ?? {}
    )[0];
    expect(key).toBe('${aws:PrincipalTag/user-identity}');
    expect(
      perUserSecretResourcePolicy({ account: ACCOUNT }).Statement[0].Principal
    ).toEqual({ AWS: `arn:aws:iam::${ACCOUNT}:root` });
    expect(
      perUserSecretResourcePolicy({ account: ACCOUNT, region: 'cn-north-1' })
        .Statement[0].Principal
    ).toEqual({ AWS: `arn:aws-cn:iam::${ACCOUNT}:root` });
  });

  it('execution role: the exact ARN, or NAME-?????? for a name', () => {
    expect(
      resources(executionRoleSecretPolicy({ secretId: SECRET_ARN }))
    ).toEqual([SECRET_ARN]);
    expect(
      resources(
        executionRoleSecretPolicy({
          secretId: 'emr/shared-analytics',
          region: 'eu-west-1',
          account: ACCOUNT
        })
      )
    ).toEqual([
      `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:emr/shared-analytics-??????`
    ]);
  });

  it('execution role: kms:Decrypt on the key, only through Secrets Manager', () => {
    const policy = executionRoleSecretPolicy({
      secretId: SECRET_ARN,
      kmsKeyArn: KEY
    });
    expect(policy.Statement[1]).toEqual({
      Sid: 'DecryptSecretsWithTheirKey',
      Effect: 'Allow',
      Action: ['kms:Decrypt'],
      Resource: KEY,
      Condition: {
        StringEquals: {
          'kms:ViaService': 'secretsmanager.us-west-2.amazonaws.com'
        }
      }
    });
    expect(
      actions(executionRoleSecretPolicy({ secretId: SECRET_ARN }))
    ).toEqual([
      'secretsmanager:GetSecretValue',
      'secretsmanager:DescribeSecret'
    ]);
  });

  it('execution role, per user: the prefix with the same ABAC condition', () => {
    const policy = renderPolicy('execution-role-user-secrets', {
      region: 'us-east-1',
      account: ACCOUNT
    });
    expect(policy.Statement[0].Resource).toBe(
      `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:emr/users/*`
    );
    expect(policy.Statement[0].Condition).toEqual(ABAC);
    expect(
      renderPolicy('execution-role-user-secrets', {
        region: 'us-east-1',
        account: ACCOUNT,
        secretPrefix: 'team-a/'
      }).Statement[0].Resource
    ).toBe(`arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:team-a/*`);
  });
});

describe('Redshift policies', () => {
  const provisioned: IPolicyInputs = {
    region: 'us-east-1',
    account: ACCOUNT,
    cluster: 'examplecluster',
    dbUser: 'spark_etl',
    database: 'dev',
    tempdir: 's3a://analytics-temp/redshift/'
  };

  it('provisioned: credentials for one user and database, describe the cluster', () => {
    const policy = renderPolicy('spark-redshift-provisioned', provisioned);
    expect(policy.Statement[0]).toMatchObject({
      Action: ['redshift:GetClusterCredentials'],
      Resource: [
        `arn:aws:redshift:us-east-1:${ACCOUNT}:dbuser:examplecluster/spark_etl`,
        `arn:aws:redshift:us-east-1:${ACCOUNT}:dbname:examplecluster/dev`
      ]
    });
    expect(policy.Statement[1]).toMatchObject({
      Action: ['redshift:DescribeClusters'],
      Resource: `arn:aws:redshift:us-east-1:${ACCOUNT}:cluster:examplecluster`
    });
  });

  it('serverless: GetWorkgroup and GetCredentials on the workgroup', () => {
    const policy = renderPolicy('spark-redshift-serverless', {
      workgroupArn: WORKGROUP,
      tempdir: 's3a://analytics-temp/redshift/'
    });
    expect(policy.Statement[0]).toMatchObject({
      Action: [
        'redshift-serverless:GetWorkgroup',
        'redshift-serverless:GetCredentials'
      ],
      Resource: WORKGROUP
    });
  });

  it('S3 on the tempdir bucket and prefix only', () => {
    const policy = renderPolicy('spark-redshift-provisioned', provisioned);
    const s3 = policy.Statement.filter(s => s.Action[0].startsWith('s3:'));
    expect(s3).toEqual([
      {
        Sid: 'ListTempdir',
        Effect: 'Allow',
        Action: ['s3:ListBucket'],
        Resource: 'arn:aws:s3:::analytics-temp',
        Condition: {
          StringLike: { 's3:prefix': ['redshift/', 'redshift/*'] }
        }
      },
      {
        Sid: 'ReadTempdirBucketLifecycle',
        Effect: 'Allow',
        Action: ['s3:GetBucketLifecycleConfiguration'],
        Resource: 'arn:aws:s3:::analytics-temp'
      },
      {
        Sid: 'UseTempdirObjects',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        Resource: 'arn:aws:s3:::analytics-temp/redshift/*'
      }
    ]);
    const root = renderPolicy('redshift-copy-s3', {
      tempdir: 's3://analytics-temp'
    });
    expect(root.Statement[0].Condition).toBeUndefined();
    expect(resources(root)).toEqual([
      'arn:aws:s3:::analytics-temp',
      'arn:aws:s3:::analytics-temp/*'
    ]);
  });

  it('the aws_iam_role trusts redshift.amazonaws.com', () => {
    expect(renderPolicy('redshift-copy-trust', {})).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'RedshiftAssumesRole',
          Effect: 'Allow',
          Principal: { Service: 'redshift.amazonaws.com' },
          Action: ['sts:AssumeRole']
        }
      ]
    });
  });

  it('parses s3a:// and s3:// tempdirs', () => {
    expect(parseTempdir('s3a://my-bucket/a/b')).toEqual({
      bucket: 'my-bucket',
      prefix: 'a/b/'
    });
    expect(parseTempdir('s3://my-bucket/')).toEqual({
      bucket: 'my-bucket',
      prefix: ''
    });
  });
});

describe('bad inputs throw an error naming the field', () => {
  const cases: [string, () => unknown, PolicyField][] = [
    ['missing role', () => renderPolicy('secret-shared', {}), 'roleArn'],
    [
      'malformed role',
      () => renderPolicy('secret-shared', { roleArn: 'arn:aws:iam::1:role/x' }),
      'roleArn'
    ],
    [
      'a user ARN for a role',
      () =>
        renderPolicy('secret-per-user', {
          roleArn: `arn:aws:iam::${ACCOUNT}:user/alice`
        }),
      'roleArn'
    ],
    [
      'per-user without role or account',
      () => renderPolicy('secret-per-user', {}),
      'account'
    ],
    [
      'bad account',
      () => renderPolicy('secret-per-user', { account: '12345' }),
      'account'
    ],
    [
      'missing secret',
      () => renderPolicy('execution-role-secret', {}),
      'secretId'
    ],
    [
      'malformed secret ARN',
      () =>
        renderPolicy('execution-role-secret', {
          secretId: 'arn:aws:secretsmanager:us-east-1:1:secret:x'
        }),
      'secretId'
    ],
    [
      'secret name with a space',
      () =>
        renderPolicy('execution-role-secret', {
          secretId: 'emr/my secret',
          region: 'us-east-1',
          account: ACCOUNT
        }),
      'secretId'
    ],
    [
      'secret name without region',
      () =>
        renderPolicy('execution-role-secret', {
          secretId: 'emr/x',
          account: ACCOUNT
        }),
      'region'
    ],
    [
      'secret name without account',
      () =>
        renderPolicy('execution-role-secret', {
          secretId: 'emr/x',
          region: 'us-east-1'
        }),
      'account'
    ],
    [
      'bad region',
      () =>
        renderPolicy('execution-role-user-secrets', {
          region: 'Virginia',
          account: ACCOUNT
        }),
      'region'
    ],
    [
      'KMS alias',
      () =>
        renderPolicy('execution-role-secret', {
          secretId: SECRET_ARN,
          kmsKeyArn: `arn:aws:kms:us-west-2:${ACCOUNT}:alias/secrets`
        }),
      'kmsKeyArn'
    ],
    [
      'key in another region',
      () =>
        renderPolicy('execution-role-secret', {
          secretId: SECRET_ARN,
          kmsKeyArn: KEY.replace('us-west-2', 'eu-west-1')
        }),
      'kmsKeyArn'
    ],
    [
      'wildcard in the prefix',
      () =>
        renderPolicy('execution-role-user-secrets', {
          region: 'us-east-1',
          account: ACCOUNT,
          secretPrefix: 'emr/*/x'
        }),
      'secretPrefix'
    ],
    [
      'uppercase cluster',
      () =>
        renderPolicy('spark-redshift-provisioned', {
          region: 'us-east-1',
          account: ACCOUNT,
          cluster: 'Example',
          dbUser: 'u',
          database: 'dev',
          tempdir: 's3a://b-1/x/'
        }),
      'cluster'
    ],
    [
      'wildcard db user',
      () =>
        renderPolicy('spark-redshift-provisioned', {
          region: 'us-east-1',
          account: ACCOUNT,
          cluster: 'example',
          dbUser: '*',
          database: 'dev',
          tempdir: 's3a://b-1/x/'
        }),
      'dbUser'
    ],
    [
      'missing db user',
      () =>
        renderPolicy('spark-redshift-provisioned', {
          region: 'us-east-1',
          account: ACCOUNT,
          cluster: 'example',
          database: 'dev',
          tempdir: 's3a://b-1/x/'
        }),
      'dbUser'
    ],
    [
      'bad database',
      () =>
        renderPolicy('spark-redshift-provisioned', {
          region: 'us-east-1',
          account: ACCOUNT,
          cluster: 'example',
          dbUser: 'u',
          database: 'dev; drop',
          tempdir: 's3a://b-1/x/'
        }),
      'database'
    ],
    [
      'workgroup by name',
      () =>
        renderPolicy('spark-redshift-serverless', {
          workgroupArn: `arn:aws:redshift-serverless:us-east-1:${ACCOUNT}:workgroup/analytics`,
          tempdir: 's3a://b-1/x/'
        }),
      'workgroupArn'
    ],
    [
      'keys in the tempdir',
      () =>
        renderPolicy('redshift-copy-s3', {
          tempdir: 's3n://AKIA:SECRET@bucket/x'
        }),
      'tempdir'
    ],
    [
      'keys in an s3a tempdir',
      () =>
        renderPolicy('redshift-copy-s3', {
          tempdir: 's3a://AKIA:SECRET@bucket/x'
        }),
      'tempdir'
    ],
    [
      'wildcard in the tempdir',
      () => renderPolicy('redshift-copy-s3', { tempdir: 's3a://bucket/*' }),
      'tempdir'
    ],
    [
      'uppercase bucket',
      () => renderPolicy('redshift-copy-s3', { tempdir: 's3a://Bucket/x' }),
      'tempdir'
    ],
    [
      'missing tempdir',
      () =>
        renderPolicy('spark-redshift-serverless', { workgroupArn: WORKGROUP }),
      'tempdir'
    ]
  ];

  it.each(cases)('%s', (_, run, field) => {
    expect(fieldOf(run)).toBe(field);
  });

  it('labels every field and its command-line flag', () => {
    for (const info of Object.values(POLICY_FIELDS)) {
      expect(info.flag).toMatch(/^--[a-z-]+$/);
      expect(info.label).not.toBe('');
    }
  });

  it('takes the examples of its fields as valid input', () => {
    for (const kind of POLICY_KINDS) {
      const inputs: IPolicyInputs = {};
      for (const field of [...kind.required, ...kind.optional]) {
        inputs[field] = POLICY_FIELDS[field].example;
      }
      expect(() => renderPolicy(kind.id, inputs)).not.toThrow();
    }
  });
});

describe('catalogue and ARN helpers', () => {
  it('describes each kind once, with who attaches it where', () => {
    const ids = POLICY_KINDS.map(k => k.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const kind of POLICY_KINDS) {
      expect(isPolicyKind(kind.id)).toBe(true);
      expect(kind.title).not.toBe('');
      expect(kind.where).toMatch(/attaches|adds|sets/);
    }
    expect(isPolicyKind('secret')).toBe(false);
  });

  it('gives each kind an audience and the builder renderPolicy runs', () => {
    const audiences = new Set(POLICY_KINDS.map(k => k.audience));
    expect(audiences).toEqual(
      new Set([
        'secret',
        'execution-role',
        'server-role',
        'redshift',
        'emr-serverless'
      ])
    );
    for (const [, kind, inputs] of SHAPES) {
      expect(policyKindInfo(kind).build(inputs)).toEqual(
        renderPolicy(kind, inputs)
      );
    }
  });

  it('lists for each target only the kinds that concern it, in order', () => {
    const both = [
      'server-routes',
      'spark-redshift-provisioned',
      'spark-redshift-serverless',
      'redshift-copy-trust',
      'redshift-copy-s3'
    ];
    expect(policyKindsFor('cluster').map(k => k.id)).toEqual([
      'secret-shared',
      'secret-per-user',
      'execution-role-secret',
      'execution-role-user-secrets',
      ...both
    ]);
    expect(policyKindsFor('serverless').map(k => k.id)).toEqual([
      both[0],
      'serverless-execution-trust',
      'serverless-job-role',
      ...both.slice(1)
    ]);
  });

  it('finds a kind by the id a user typed, and no other', () => {
    expect(findPolicyKind('redshift-copy-s3')?.title).toBe(
      'aws_iam_role: S3 access to the tempdir for COPY and UNLOAD'
    );
    for (const name of ['secret', 'constructor', 'toString', '']) {
      expect(findPolicyKind(name)).toBeUndefined();
    }
  });

  it('parses ARNs and caller identities', () => {
    expect(parseArn(SECRET_ARN)).toEqual({
      partition: 'aws',
      service: 'secretsmanager',
      region: 'us-west-2',
      account: ACCOUNT,
      resource: 'secret:emr/shared-analytics-1a2b3c'
    });
    expect(parseArn('not an arn')).toBeNull();
    expect(accountFromArn(ROLE)).toBe(ACCOUNT);
    expect(regionFromArn(ROLE)).toBeNull();
    expect(regionFromArn(KEY)).toBe('us-west-2');
    expect(
      roleArnFromIdentity(
        `arn:aws:sts::${ACCOUNT}:assumed-role/AmazonSageMaker-ExecutionRole/SageMaker`
      )
    ).toBe(`arn:aws:iam::${ACCOUNT}:role/AmazonSageMaker-ExecutionRole`);
    expect(roleArnFromIdentity(ROLE)).toBe(ROLE);
    expect(
      roleArnFromIdentity(`arn:aws:iam::${ACCOUNT}:user/alice`)
    ).toBeNull();
  });
});

describe('EMR Serverless policies', () => {
  it('lets EMR Serverless assume the execution role, for one account', () => {
    expect(
      renderPolicy('serverless-execution-trust', { account: ACCOUNT })
    ).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'EmrServerlessAssumesRole',
          Effect: 'Allow',
          Principal: { Service: 'emr-serverless.amazonaws.com' },
          Action: ['sts:AssumeRole'],
          Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } }
        }
      ]
    });
  });

  it('gives the notebook role what the magic calls, on the one application', () => {
    const policy = renderPolicy('serverless-job-role', {
      region: 'eu-west-1',
      emrExecutionRoleArn: SERVERLESS_ROLE,
      applicationId: '00fabcdefghij12k'
    });
    const app = `arn:aws:emr-serverless:eu-west-1:${ACCOUNT}:/applications/00fabcdefghij12k`;
    expect(policy.Statement.map(s => [s.Action, s.Resource])).toEqual([
      [
        [
          'emr-serverless:StartApplication',
          'emr-serverless:GetApplication',
          'emr-serverless:AccessLivyEndpoints'
        ],
        app
      ],
      [['emr-serverless:GetDashboardForJobRun'], `${app}/jobruns/*`],
      [['iam:PassRole'], SERVERLESS_ROLE]
    ]);
    expect(policy.Statement[2].Condition).toEqual({
      StringLike: { 'iam:PassedToService': 'emr-serverless.amazonaws.com' }
    });
  });

  it('names the field at fault', () => {
    expect(
      fieldOf(() =>
        renderPolicy('serverless-job-role', { region: 'us-east-1' })
      )
    ).toBe('emrExecutionRoleArn');
    expect(
      fieldOf(() =>
        renderPolicy('serverless-job-role', {
          emrExecutionRoleArn: SERVERLESS_ROLE
        })
      )
    ).toBe('region');
    expect(
      fieldOf(() =>
        renderPolicy('serverless-job-role', {
          region: 'us-east-1',
          emrExecutionRoleArn: SERVERLESS_ROLE,
          applicationId: '00F*'
        })
      )
    ).toBe('applicationId');
    expect(
      fieldOf(() =>
        renderPolicy('serverless-job-role', {
          region: 'us-east-1',
          emrExecutionRoleArn: 'arn:aws:iam::123456789012:user/bob'
        })
      )
    ).toBe('emrExecutionRoleArn');
  });

  it('lets the server role list applications and the roles EMR Serverless may assume', () => {
    const policy = renderPolicy('server-routes', {
      region: 'us-east-1',
      account: ACCOUNT
    });
    expect(actions(policy)).toEqual(
      expect.arrayContaining([
        'emr-serverless:ListApplications',
        'emr-serverless:GetApplication',
        'iam:ListRoles'
      ])
    );
  });

  it('lets the server role read exactly what the network check reads', () => {
    const policy = renderPolicy('server-routes', {
      region: 'us-east-1',
      account: ACCOUNT
    });
    const network = [
      'elasticmapreduce:ListInstances',
      'ec2:DescribeSubnets',
      'ec2:DescribeRouteTables',
      'ec2:DescribeSecurityGroups',
      'ec2:DescribeVpcEndpoints',
      'ec2:DescribeVpcPeeringConnections',
      'sagemaker:DescribeDomain',
      'sagemaker:DescribeSpace',
      'sagemaker:DescribeUserProfile'
    ];
    expect(actions(policy)).toEqual(expect.arrayContaining(network));
    // Read-only: nothing of EC2 or SageMaker beyond these Describe calls and
    // the test run's training job read (the next test).
    expect(
      actions(policy).filter(a => /^(ec2|sagemaker):/.test(a))
    ).toHaveLength(10);
    const on = (action: string) =>
      policy.Statement.filter(s => s.Action.includes(action)).flatMap(s =>
        ([] as string[]).concat(s.Resource ?? [])
      );
    expect(on('ec2:DescribeSubnets')).toEqual(['*']);
    expect(on('elasticmapreduce:ListInstances')).toEqual([
      `arn:aws:elasticmapreduce:us-east-1:${ACCOUNT}:cluster/*`
    ]);
    expect(on('sagemaker:DescribeDomain')).toEqual([
      `arn:aws:sagemaker:us-east-1:${ACCOUNT}:domain/*`
    ]);
    expect(on('sagemaker:DescribeSpace')).toEqual([
      `arn:aws:sagemaker:us-east-1:${ACCOUNT}:space/*`,
      `arn:aws:sagemaker:us-east-1:${ACCOUNT}:user-profile/*`
    ]);
  });

  it("lets the server role remove a SageMaker test run's files, in SageMaker's jobs bucket only", () => {
    const policy = renderPolicy('server-routes', {
      region: 'eu-west-1',
      account: ACCOUNT
    });
    const on = (action: string) =>
      policy.Statement.filter(s => s.Action.includes(action)).flatMap(s =>
        ([] as string[]).concat(s.Resource ?? [])
      );
    for (const action of [
      'sagemaker:DescribeTrainingJob',
      'sagemaker:ListTags'
    ]) {
      expect(on(action)).toEqual([
        `arn:aws:sagemaker:eu-west-1:${ACCOUNT}:training-job/*`
      ]);
    }
    const bucket = `arn:aws:s3:::sagemaker-automated-execution-${ACCOUNT}-eu-west-1`;
    expect(on('s3:DeleteObject')).toEqual([bucket, `${bucket}/*`]);
    expect(on('s3:ListBucket')).toEqual([bucket, `${bucket}/*`]);
    expect(
      actions(policy)
        .filter(a => a.startsWith('s3:'))
        .sort()
    ).toEqual(['s3:DeleteObject', 's3:ListBucket']);
  });
});
