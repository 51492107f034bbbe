/**
 * Audience: EMR Serverless. The trust policy of the execution role a Spark
 * session runs as, and the identity policy of the role the notebook runs as
 * to start and connect to an application.
 */
import { arnAt, doc, given, location, need } from './shared';
import type { IPolicyDocument, IPolicyInputs, IPolicyStatement } from './types';

/** The service that assumes an EMR Serverless execution role. */
export const EMR_SERVERLESS_PRINCIPAL = 'emr-serverless.amazonaws.com';

/**
 * Trust policy of the EMR Serverless execution role: EMR Serverless may
 * assume it. With the account, only on behalf of that account's applications.
 */
export function serverlessExecutionTrustPolicy(
  inputs: Pick<IPolicyInputs, 'account'>
): IPolicyDocument {
  const statement: IPolicyStatement = {
    Sid: 'EmrServerlessAssumesRole',
    Effect: 'Allow',
    Principal: { Service: EMR_SERVERLESS_PRINCIPAL },
    Action: ['sts:AssumeRole']
  };
  const account = given(inputs, 'account');
  if (account) {
    statement.Condition = { StringEquals: { 'aws:SourceAccount': account } };
  }
  return doc(statement);
}

/**
 * Identity policy of the role the notebook runs as (the Studio user's or the
 * job's) for `%sm_analytics emr-serverless connect`, from what the magic
 * does: StartApplication, then GetApplication until it is STARTED
 * (resource/emr_serverless/emr_s_client.py); then it opens a Livy session on
 * the application's Livy endpoint, signed for emr-serverless
 * (external_dependencies/emr_serverless_auth.py), which IAM authorises as
 * emr-serverless:AccessLivyEndpoints, passing the execution role
 * (iam:PassRole to EMR Serverless); the session's Spark UI and driver log
 * links need emr-serverless:GetDashboardForJobRun.
 */
export function serverlessJobRolePolicy(
  inputs: Pick<
    IPolicyInputs,
    'region' | 'account' | 'applicationId' | 'emrExecutionRoleArn'
  >
): IPolicyDocument {
  const executionRole = need(inputs, 'emrExecutionRoleArn');
  const where = location(inputs, executionRole, 'for the application’s ARN');
  const app = given(inputs, 'applicationId') ?? '*';
  const application = arnAt(where, 'emr-serverless', `/applications/${app}`);
  return doc(
    {
      Sid: 'StartAndConnectToTheApplication',
      Effect: 'Allow',
      Action: [
        'emr-serverless:StartApplication',
        'emr-serverless:GetApplication',
        'emr-serverless:AccessLivyEndpoints'
      ],
      Resource: application
    },
    {
      Sid: 'SparkUiAndDriverLogs',
      Effect: 'Allow',
      Action: ['emr-serverless:GetDashboardForJobRun'],
      // "*" in IAM matches across "/": every application covers its job runs.
      Resource: app === '*' ? application : `${application}/jobruns/*`
    },
    {
      Sid: 'PassTheExecutionRole',
      Effect: 'Allow',
      Action: ['iam:PassRole'],
      Resource: executionRole,
      Condition: {
        StringLike: { 'iam:PassedToService': EMR_SERVERLESS_PRINCIPAL }
      }
    }
  );
}
