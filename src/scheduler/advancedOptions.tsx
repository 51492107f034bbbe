/**
 * "Additional options" for open-source jupyter-scheduler's Create Job form:
 * the default's idempotency token and tags, plus an Environment variables
 * editor writing `runtimeEnvironmentParameters` (which our server part hands
 * to the job's kernel).
 */
import type {
  EnvironmentParameterValue,
  IAdvancedOptionsProps
} from '@jupyterlab/scheduler';
import * as React from 'react';
import { validateEnvVarName, validateEnvVarValue } from '../core/validate';
import '../../style/fields.css';
import '../../style/jobOptions.css';

/** `JobsView.CreateForm` in @jupyterlab/scheduler. */
const CREATE_FORM = 1;
const PREFIX = 'jp-EmrSchedule-jobEnv';
const ERROR_KEY = 'emrScheduleEnv';

interface IRow {
  name: string;
  value: string;
}

function rowsFrom(
  params: Record<string, EnvironmentParameterValue> | undefined
): IRow[] {
  return Object.entries(params ?? {}).map(([name, value]) => ({
    name,
    value: String(value)
  }));
}

export function rowErrors(rows: IRow[]): string[] {
  const seen = new Set<string>();
  return rows.map(row => {
    if (!row.name && !row.value) {
      return '';
    }
    const problem =
      validateEnvVarName(row.name) ?? validateEnvVarValue(row.value);
    if (problem) {
      return problem;
    }
    if (seen.has(row.name)) {
      return `${row.name} is set twice.`;
    }
    seen.add(row.name);
    return '';
  });
}

function EnvironmentEditor(props: IAdvancedOptionsProps): JSX.Element {
  const [rows, setRows] = React.useState<IRow[]>(() =>
    rowsFrom(props.model.runtimeEnvironmentParameters)
  );
  const errors = rowErrors(rows);

  const commit = (next: IRow[]) => {
    setRows(next);
    const nextErrors = rowErrors(next);
    const params: Record<string, string> = {};
    next.forEach((row, i) => {
      if (row.name && !nextErrors[i]) {
        params[row.name] = row.value;
      }
    });
    props.handleModelChange({
      ...props.model,
      runtimeEnvironmentParameters: params
    });
    const firstError = nextErrors.find(e => e);
    const { [ERROR_KEY]: _previous, ...others } = props.errors; // eslint-disable-line @typescript-eslint/no-unused-vars
    props.handleErrorsChange(
      firstError ? { ...others, [ERROR_KEY]: firstError } : others
    );
  };

  const update = (index: number, patch: Partial<IRow>) =>
    commit(rows.map((row, i) => (i === index ? { ...row, ...patch } : row)));

  return (
    <fieldset className={`${PREFIX}`}>
      <legend>Environment variables</legend>
      <p className="jp-EmrSchedule-hint">
        The job's kernel sees these. Only ids belong here, never a password: the
        scheduler stores them in plain text.
      </p>
      {rows.map((row, i) => (
        <div className={`${PREFIX}-row`} key={i}>
          <input
            className="jp-mod-styled"
            aria-label={`Environment variable ${i + 1} name`}
            name={`${PREFIX}-name-${i}`}
            value={row.name}
            placeholder="NAME"
            spellCheck={false}
            aria-invalid={errors[i] ? true : false}
            onChange={e => update(i, { name: e.target.value.trim() })}
          />
          <input
            className="jp-mod-styled"
            aria-label={`Environment variable ${i + 1} value`}
            name={`${PREFIX}-value-${i}`}
            value={row.value}
            placeholder="value"
            spellCheck={false}
            onChange={e => update(i, { value: e.target.value })}
          />
          <button
            type="button"
            className="jp-mod-styled"
            aria-label={`Remove environment variable ${row.name || i + 1}`}
            onClick={() => commit(rows.filter((_, j) => j !== i))}
          >
            ✕
          </button>
          {errors[i] && (
            <div className="jp-EmrSchedule-error" role="alert">
              {errors[i]}
            </div>
          )}
        </div>
      ))}
      <button
        type="button"
        className="jp-mod-styled"
        onClick={() => commit([...rows, { name: '', value: '' }])}
      >
        Add environment variable
      </button>
    </fieldset>
  );
}

function ReadOnlyEnvironment(props: IAdvancedOptionsProps): JSX.Element {
  const rows = rowsFrom(props.model.runtimeEnvironmentParameters);
  return (
    <fieldset className={PREFIX}>
      <legend>Environment variables</legend>
      {rows.length ? (
        <pre className={`${PREFIX}-list`}>
          {rows.map(r => `${r.name}=${r.value}`).join('\n')}
        </pre>
      ) : (
        <em>None</em>
      )}
    </fieldset>
  );
}

export function AdvancedOptions(props: IAdvancedOptionsProps): JSX.Element {
  const editable = props.jobsView === CREATE_FORM;
  const tags = props.model.tags ?? [];
  const setTags = (next: string[]) =>
    props.handleModelChange({ ...props.model, tags: next });
  return (
    <div className="jp-EmrSchedule-advancedOptions">
      {editable && props.model.createType === 'Job' && (
        <label className="jp-EmrSchedule-field">
          <span>Idempotency token</span>
          <input
            className="jp-mod-styled"
            name="idempotencyToken"
            value={props.model.idempotencyToken ?? ''}
            onChange={e =>
              props.handleModelChange({
                ...props.model,
                idempotencyToken: e.target.value
              })
            }
          />
        </label>
      )}
      {!editable && props.model.idempotencyToken && (
        <div className="jp-EmrSchedule-field">
          <span>Idempotency token</span>
          <span>{props.model.idempotencyToken}</span>
        </div>
      )}
      <fieldset className="jp-EmrSchedule-tags">
        <legend>Tags</legend>
        {tags.map((tag, i) =>
          editable ? (
            <div className={`${PREFIX}-row`} key={i}>
              <input
                className="jp-mod-styled"
                name={`tag-${i}`}
                aria-label={`Tag ${i + 1}`}
                value={tag}
                onChange={e =>
                  setTags(tags.map((t, j) => (j === i ? e.target.value : t)))
                }
              />
              <button
                type="button"
                className="jp-mod-styled"
                aria-label={`Delete tag ${i + 1}`}
                onClick={() => setTags(tags.filter((_, j) => j !== i))}
              >
                ✕
              </button>
            </div>
          ) : (
            <div key={i}>{tag}</div>
          )
        )}
        {editable ? (
          <button
            type="button"
            className="jp-mod-styled"
            onClick={() => setTags([...tags, ''])}
          >
            Add tag
          </button>
        ) : (
          !tags.length && <em>No tags</em>
        )}
      </fieldset>
      {editable ? (
        <EnvironmentEditor {...props} />
      ) : (
        <ReadOnlyEnvironment {...props} />
      )}
    </div>
  );
}
