import {
  applyAllFixes,
  checkNotebook,
  IFinding,
  INotebookLike
} from '../../src/core/checker';
import { serverlessNotebooks } from '../fixtures/generateServerlessFixtures';

const notebooks = new Map(serverlessNotebooks().map(e => [e.name, e.notebook]));

function nb(name: string): INotebookLike {
  const found = notebooks.get(name);
  if (!found) {
    throw new Error(`No notebook ${name}`);
  }
  return found;
}

function rules(findings: IFinding[]): string[] {
  return findings.map(f => `${f.rule}:${f.severity}`).sort();
}

function errorsAfterFixes(name: string): IFinding[] {
  return checkNotebook(applyAllFixes(nb(name))).filter(
    f => f.severity === 'error'
  );
}

describe.each(['sparkmagic', 'ipython'])('serverless checks (%s)', family => {
  const of = (name: string) =>
    rules(checkNotebook(nb(`serverless-${family}-${name}`)));

  it('finds nothing in the cells the panel writes', () => {
    expect(of('generated')).toEqual([]);
  });

  it('suggests env vars for literal ids, and only that', () => {
    expect(of('literal-ids')).toEqual(['literal-connect-value:info']);
    expect(of('getenv-fallbacks')).toEqual([]);
    const fix = checkNotebook(nb(`serverless-${family}-literal-ids`))[0].fix;
    expect(fix).toEqual({
      kind: 'env-form',
      label: 'Use environment variables',
      values: {
        target: 'serverless',
        applicationId: '00fabcdefghij12k',
        executionRoleArn:
          'arn:aws:iam::123456789012:role/service-role/emr-serverless-exec'
      }
    });
  });

  it('removes the cluster options the magic refuses', () => {
    for (const name of ['auth-and-secret', 'cluster-id']) {
      expect(of(name)).toContain('serverless-refused-option:error');
      expect(errorsAfterFixes(`serverless-${family}-${name}`)).toEqual([]);
    }
    const fixed = applyAllFixes(nb(`serverless-${family}-auth-and-secret`));
    const source = String(fixed.cells[1].source);
    expect(source).not.toMatch(/--auth-type|--secret|None|emr\/x/);
  });

  it('only warns about --verify-certificate, which the magic lets through', () => {
    expect(of('verify-certificate')).toEqual([
      'literal-connect-value:info',
      'serverless-verify-certificate:warning'
    ]);
  });

  it('needs both ids, and leaves them to the panel', () => {
    expect(of('no-role')).toContain('serverless-missing-required-option:error');
    expect(of('no-application')).toContain(
      'serverless-missing-required-option:error'
    );
    const missing = checkNotebook(nb(`serverless-${family}-no-role`)).find(
      f => f.rule === 'serverless-missing-required-option'
    );
    expect(missing?.message).toMatch(/--emr-execution-role-arn/);
    expect(missing?.fix).toMatchObject({
      kind: 'env-form',
      values: { target: 'serverless', applicationId: '00fabcdefghij12k' }
    });
  });

  it('refuses role ARNs that are not roles, literal or fallback', () => {
    for (const name of ['user-arn', 'assumable-sts-arn', 'bad-role-fallback']) {
      expect(of(name)).toContain('role-arn-format:error');
    }
  });

  it('removes quotes the magic would keep', () => {
    expect(of('quoted-application')).toContain('quoted-value:error');
    expect(errorsAfterFixes(`serverless-${family}-quoted-application`)).toEqual(
      []
    );
  });
});

describe('serverless checks that depend on the kernel', () => {
  it('adds --language in IPython kernels only', () => {
    expect(
      rules(checkNotebook(nb('serverless-ipython-no-language')))
    ).toContain('ipython-language:error');
    expect(errorsAfterFixes('serverless-ipython-no-language')).toEqual([]);
    expect(
      rules(checkNotebook(nb('serverless-sparkmagic-no-language')))
    ).toEqual(['literal-connect-value:info']);
  });

  it('checks the --language value in IPython kernels', () => {
    expect(
      rules(checkNotebook(nb('serverless-ipython-language-value')))
    ).toContain('language-value:error');
  });
});
