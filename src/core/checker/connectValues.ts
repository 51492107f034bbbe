/**
 * What both connect lines are checked for: required options, quoted ids,
 * `--language` in IPython kernels, ids written as literals.
 */
import type { KernelFamily } from '../kernel';
import {
  ICommand,
  IOptionUse,
  isExpression,
  isQuoted,
  IToken,
  LANGUAGES,
  literalOf,
  MagicService,
  OptionName,
  SERVICES,
  unquote
} from './grammar';
import type { IRuleInfo } from './rules';
import { RULES } from './rules';
import { ILocalFinding, lineEditFix, localFinding } from './text';
import type { IEnvFormValues } from './types';

export type OptionUses = ReadonlyMap<OptionName, IOptionUse>;

/** One connect command being checked, and where its findings go. */
export interface IConnectCheck {
  lines: readonly string[];
  command: ICommand;
  options: OptionUses;
  family: KernelFamily;
  /** An option the magic does not recognise may be a required one. */
  hasUnresolved: boolean;
  findings: ILocalFinding[];
}

/** The panel form's values, with those the line tells (the empty ones left out). */
export function formValues(
  values: IEnvFormValues,
  told: Partial<Record<keyof IEnvFormValues, string | null | undefined>>
): IEnvFormValues {
  for (const [key, value] of Object.entries(told)) {
    if (value) {
      (values as Record<string, string>)[key] = value;
    }
  }
  return values;
}

/**
 * What both connect lines are checked for, given what the panel's form
 * should start from and the ids the job's environment should choose.
 */
export function checkConnectCommon(
  check: IConnectCheck,
  service: MagicService,
  values: IEnvFormValues,
  ids: readonly [IToken | null, string][]
): void {
  checkQuotedValues(check);
  checkRequired(check, service, values);
  checkLanguage(check);
  checkLiteralIds(check, values, ids);
}

/** Each service's rule for a missing required option, and its fix's label. */
const MISSING: Readonly<Record<MagicService, [IRuleInfo, string]>> = {
  emr: [RULES.missingRequired, 'Fill in the connection in the panel'],
  'emr-serverless': [
    RULES.serverlessMissingRequired,
    'Fill in the application in the panel'
  ]
};

/**
 * The options the service's validator requires. Not reported while an
 * option the magic does not recognise may be one of them.
 */
function checkRequired(
  { options, hasUnresolved, command, findings }: IConnectCheck,
  service: MagicService,
  values: IEnvFormValues
): void {
  const missing = SERVICES[service].required.filter(o => !options.has(o));
  if (!missing.length || hasUnresolved) {
    return;
  }
  const [rule, label] = MISSING[service];
  findings.push(
    localFinding(
      rule,
      command.start,
      `${service} connect needs ${missing.map(o => `--${o}`).join(' and ')}; without ` +
        `${missing.length > 1 ? 'them' : 'it'} the magic stops with "Missing required ` +
        'argument" and the job fails. Use the panel to write a complete connect cell.',
      { kind: 'env-form', label, values }
    )
  );
}

/** Values the magic keeps in quotes, so the quotes become part of the id. */
const QUOTE_SENSITIVE: readonly OptionName[] = [
  'cluster-id',
  'secret',
  'assumable-role-arn',
  'emr-execution-role-arn',
  'application-id'
];

function checkQuotedValues({ lines, options, findings }: IConnectCheck): void {
  for (const name of QUOTE_SENSITIVE) {
    const value = options.get(name)?.value;
    // Quotes stay, also around an expansion: IPython expands inside them.
    if (!value || !isQuoted(value.text)) {
      continue;
    }
    findings.push(
      localFinding(
        RULES.quotedValue,
        value.line,
        `The magic keeps quotes as part of the value, so --${name} receives the value with its ` +
          'quotes and AWS finds no such resource; the job fails. Remove the quotes.',
        lineEditFix(
          lines,
          [
            {
              line: value.line,
              start: value.start,
              end: value.end,
              text: unquote(value.text)
            }
          ],
          'Remove the quotes'
        )
      )
    );
  }
}

/** IPython kernels: the magic requires --language, exactly python or scala. */
function checkLanguage(check: IConnectCheck): void {
  const { lines, command, options, findings } = check;
  if (check.family !== 'ipython') {
    return;
  }
  if (!options.has('language')) {
    const last = command.parts[command.parts.length - 1];
    const end = lines[last.line].slice(0, last.to).trimEnd().length;
    findings.push(
      localFinding(
        RULES.ipythonLanguage,
        command.start,
        'In an IPython kernel the magic requires --language (python or scala) and stops ' +
          'without it, so the job fails. Add --language python.',
        lineEditFix(
          lines,
          [{ line: last.line, start: end, end, text: ' --language python' }],
          'Add --language python'
        )
      )
    );
  }
  checkLanguageValue(check);
}

/** Ids written as literals where the job's environment should choose them. */
function checkLiteralIds(
  { findings }: IConnectCheck,
  values: IEnvFormValues,
  ids: readonly [IToken | null, string][]
): void {
  const literals = ids.filter(
    (id): id is [IToken, string] => literalOf(id[0]) !== null
  );
  if (literals.length) {
    const what = literals.map(([, name]) => name).join(' and ');
    findings.push(
      localFinding(
        RULES.literalConnectValue,
        Math.min(...literals.map(([t]) => t.line)),
        `The ${what} ${literals.length > 1 ? 'are' : 'is'} written into the connect line, so ` +
          'every job uses the same one. To choose per job, read it with os.getenv and set it in ' +
          "the job's Environment variables; the panel's form does both.",
        { kind: 'env-form', label: 'Use environment variables', values }
      )
    );
  }
}

/** IPython kernels only: the magic accepts exactly python or scala. */
function checkLanguageValue({ lines, options, findings }: IConnectCheck): void {
  const language = options.get('language')?.value ?? null;
  if (
    !language ||
    LANGUAGES.includes(language.text) ||
    (isExpression(language.text) && !isQuoted(language.text))
  ) {
    return;
  }
  const inner = unquote(language.text);
  const fixed = LANGUAGES.includes(inner.toLowerCase())
    ? inner.toLowerCase()
    : isExpression(inner)
      ? inner
      : null;
  findings.push(
    localFinding(
      RULES.languageValue,
      language.line,
      `--language ${language.text} is not a value the magic accepts (exactly python or scala), ` +
        `so it stops and the job fails.${fixed ? ` Write ${fixed}.` : ''}`,
      fixed
        ? lineEditFix(
            lines,
            [
              {
                line: language.line,
                start: language.start,
                end: language.end,
                text: fixed
              }
            ],
            `Use ${fixed}`
          )
        : undefined
    )
  );
}
