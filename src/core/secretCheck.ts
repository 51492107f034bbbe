/**
 * What a secret check reports (facts only, never the value), and the same facts
 * in words. Shared by the panel and the admin command line.
 */

/** The answer of the server's secret check and of `emr-schedule-admin check-secret`. */
export interface ISecretCheck {
  secretId: string;
  arn: string | null;
  exists: boolean;
  readable: boolean;
  json: boolean;
  hasUsername: boolean;
  hasPassword: boolean;
  tags: Record<string, string>;
  problem: string | null;
  action?: string;
}

/** The check result in words, for the panel and the command line. */
export function describeCheck(check: ISecretCheck): string {
  if (check.problem) {
    return check.problem;
  }
  const tags = Object.entries(check.tags)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  return (
    'Readable; has username and password' + (tags ? `; tagged ${tags}` : '')
  );
}
