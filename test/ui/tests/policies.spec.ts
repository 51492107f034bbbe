import { expect, test } from './fixtures';
import { runFromPalette, toggleOf } from './helpers';

const ROLE = 'arn:aws:iam::123456789012:role/analytics-jobs';

test('IAM policies with the demo identity, the chosen secret and the Redshift inputs', async ({
  page
}) => {
  await runFromPalette(page, 'Show IAM Policies', 'emr-schedule:show-policies');
  const section = page.locator('.jp-EmrSchedule-policies');
  await expect(toggleOf(section)).toHaveAttribute('aria-expanded', 'true');
  // The local AWS answers STS with its account.
  await expect(section).toContainText('in account 123456789012');

  const policy = (id: string) => section.locator(`[data-policy="${id}"]`);
  // Nothing about Redshift yet: the policy says what it needs.
  await expect(policy('spark-redshift-provisioned')).toContainText('Needs');

  await section
    .getByLabel('Execution role ARN (the role jobs run as)')
    .fill(ROLE);
  const shared = policy('secret-shared').locator('pre');
  await expect(shared).toContainText(`"AWS": "${ROLE}"`);
  const perUser = policy('secret-per-user').locator('pre');
  await expect(perUser).toContainText(
    '"aws:ResourceTag/user-identity": "${aws:PrincipalTag/user-identity}"'
  );

  // The secret chosen in the form narrows the execution role's policy.
  const panel = page.locator('.jp-EmrSchedule-panel');
  await panel.getByLabel('Authentication').selectOption('LDAP');
  await panel
    .getByLabel('Secrets Manager secret (name or ARN)')
    .fill(
      'arn:aws:secretsmanager:us-east-1:123456789012:secret:emr/users/analyst-1-AbCdEf'
    );
  await expect(policy('execution-role-secret').locator('pre')).toContainText(
    '"Resource": "arn:aws:secretsmanager:us-east-1:123456789012:secret:emr/users/analyst-1-AbCdEf"'
  );

  // Redshift inputs from the Redshift section fill the Spark role's policy.
  const redshift = page.locator('.jp-EmrSchedule-redshift');
  await toggleOf(redshift).click();
  await redshift
    .getByLabel('Cluster endpoint')
    .fill('examplecluster.abc123xyz789.us-east-1.redshift.amazonaws.com');
  await redshift
    .getByLabel('S3 tempdir')
    .fill('s3a://analytics-temp/redshift/');
  await section
    .getByLabel('Redshift database user (for Redshift policies)')
    .fill('spark_etl');
  const spark = policy('spark-redshift-provisioned').locator('pre');
  await expect(spark).toContainText(
    'arn:aws:redshift:us-east-1:123456789012:dbuser:examplecluster/spark_etl'
  );
  await expect(spark).toContainText('arn:aws:s3:::analytics-temp/redshift/*');
  await expect(policy('redshift-copy-trust').locator('pre')).toContainText(
    'redshift.amazonaws.com'
  );
  await page.screenshot({ path: test.info().outputPath('policies.png') });

  await policy('secret-shared').getByRole('button', { name: /^Copy/ }).click();
  await expect(panel.locator('.jp-EmrSchedule-message')).toContainText(
    'Copied'
  );
});
