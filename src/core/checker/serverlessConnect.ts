/**
 * `emr-serverless connect`, as `EMRServerlessValidator` reads it: both ids
 * required, role ARNs checked, `--language` in IPython kernels, and the
 * cluster's options refused.
 */
import { checkConnectCommon, formValues, IConnectCheck } from './connectValues';
import {
  fallbackOf,
  IOptionUse,
  isQuoted,
  knownValue,
  literalOf,
  ROLE_ARN,
  SERVICES
} from './grammar';
import { RULES } from './rules';
import { ILineEdit, lineEditFix, localFinding } from './text';

const GRAMMAR = SERVICES['emr-serverless'];

/** An edit that removes an option and its value, with the space before them. */
function removeOption(lines: readonly string[], use: IOptionUse): ILineEdit[] {
  const end = use.value ?? use.token;
  if (end.line !== use.token.line) {
    return [];
  }
  const text = lines[use.token.line];
  let start = use.token.start;
  while (start > 0 && /[ \t]/.test(text[start - 1])) {
    start--;
  }
  return [{ line: use.token.line, start, end: end.end, text: '' }];
}

export function checkServerlessConnect(check: IConnectCheck): void {
  const { lines, options, findings } = check;
  const application = options.get('application-id')?.value ?? null;
  const role = options.get('emr-execution-role-arn')?.value ?? null;

  const values = formValues(
    { target: 'serverless' },
    {
      applicationId: knownValue(application),
      executionRoleArn: knownValue(role)
    }
  );
  checkConnectCommon(check, 'emr-serverless', values, [
    [application, 'application id'],
    [role, 'execution role']
  ]);

  const refused = GRAMMAR.refused.flatMap(name => {
    const use = options.get(name);
    return use ? [use] : [];
  });
  if (refused.length) {
    const edits = refused.flatMap(use => removeOption(lines, use));
    findings.push(
      localFinding(
        RULES.serverlessRefusedOption,
        refused[0].token.line,
        `${refused.map(u => `--${u.name}`).join(', ')} ${refused.length > 1 ? 'are' : 'is'} for ` +
          'EMR clusters: with emr-serverless connect the magic stops with "not supported when ' +
          'connecting to EMR Serverless Applications" and the job fails. Remove ' +
          `${refused.length > 1 ? 'them' : 'it'}; an application needs no secret.`,
        edits.length === refused.length
          ? lineEditFix(lines, edits, 'Remove the cluster options')
          : undefined
      )
    );
  }
  const verify = options.get('verify-certificate');
  if (verify) {
    const edits = removeOption(lines, verify);
    findings.push(
      localFinding(
        RULES.serverlessVerifyCertificate,
        verify.token.line,
        '--verify-certificate is for EMR clusters; emr-serverless connect ignores it (the ' +
          'application is reached over HTTPS with AWS signatures). Remove it.',
        edits.length
          ? lineEditFix(lines, edits, 'Remove --verify-certificate')
          : undefined
      )
    );
  }

  for (const name of GRAMMAR.roleArns) {
    const value = options.get(name)?.value ?? null;
    const literal = literalOf(value);
    const checkedValue = literal ?? fallbackOf(value);
    if (
      value &&
      checkedValue !== null &&
      !isQuoted(value.text) &&
      !ROLE_ARN.test(checkedValue)
    ) {
      findings.push(
        localFinding(
          RULES.roleArnFormat,
          value.line,
          `${literal !== null ? '' : 'The fallback of '}--${name} "${checkedValue}" is not an IAM ` +
            'role ARN (arn:aws:iam::ACCOUNT:role/NAME), so the magic stops with "Incorrect Role ' +
            `ARN"${literal !== null ? ' and the job fails' : ' whenever the environment variable is not set'}. ` +
            "Copy the role's ARN from the IAM console or pick it in the panel."
        )
      );
    }
  }
}
