/**
 * Form fields shared by the panel's sections: a label, the input, and the
 * reason a value is refused (shown once the user has typed or left the field).
 */
import * as React from 'react';
import { Disclosure } from './Disclosure';
import type { PanelModel, PanelSection } from './model';

export interface ISectionProps {
  model: PanelModel;
  /** Which section: its open state lives in the model, across sessions. */
  name: PanelSection;
  /** The section's own class, beside `jp-EmrSchedule-section`. */
  className: string;
  summary: React.ReactNode;
  /** A count or mark after the summary (the errors found, a failed run). */
  badge?: ISectionBadge | null;
  children?: React.ReactNode;
}

export interface ISectionBadge {
  text: React.ReactNode;
  /** What the badge says, for a screen reader. */
  label: string;
  /** A class beside `jp-EmrSchedule-count`. */
  className?: string;
}

/**
 * A section of the panel that opens and closes, remembering which it is.
 * A closed section renders only its summary: its fields are built when it
 * opens, so the panel's first open beside a big notebook stays cheap.
 */
export function Section(props: ISectionProps): JSX.Element {
  const { model, name } = props;
  return (
    <Disclosure
      className={`jp-EmrSchedule-section ${props.className}`}
      summary={
        <>
          {props.summary}
          {props.badge && (
            <span
              className={['jp-EmrSchedule-count', props.badge.className]
                .filter(Boolean)
                .join(' ')}
              aria-label={props.badge.label}
            >
              {props.badge.text}
            </span>
          )}
        </>
      }
      open={model.isOpen(name)}
      onToggle={open => model.setOpen(name, open)}
    >
      {props.children}
    </Disclosure>
  );
}

export interface IFieldProps {
  id: string;
  label: string;
  value: string;
  error?: string;
  placeholder?: string;
  hint?: string;
  onChange: (value: string) => void;
}

export function TextField(props: IFieldProps): JSX.Element {
  const [touched, setTouched] = React.useState(props.value !== '');
  const showError = touched && props.error;
  const describedBy = `${props.id}-message`;
  return (
    <div className="jp-EmrSchedule-field">
      <label htmlFor={props.id}>{props.label}</label>
      <input
        id={props.id}
        className="jp-mod-styled jp-EmrSchedule-input"
        type="text"
        spellCheck={false}
        autoComplete="off"
        value={props.value}
        placeholder={props.placeholder}
        aria-invalid={showError ? true : false}
        aria-describedby={describedBy}
        onChange={e => {
          setTouched(true);
          props.onChange(e.target.value);
        }}
        onBlur={() => setTouched(true)}
      />
      <div
        id={describedBy}
        className={showError ? 'jp-EmrSchedule-error' : 'jp-EmrSchedule-hint'}
        role={showError ? 'alert' : undefined}
      >
        {showError ? props.error : props.hint}
      </div>
    </div>
  );
}

export interface ISelectFieldProps<T extends string> {
  id: string;
  label: string;
  value: T;
  options: readonly { value: T; label: string }[];
  onChange: (value: T) => void;
}

export function SelectField<T extends string>(
  props: ISelectFieldProps<T>
): JSX.Element {
  return (
    <div className="jp-EmrSchedule-field">
      <label htmlFor={props.id}>{props.label}</label>
      <select
        id={props.id}
        className="jp-mod-styled"
        value={props.value}
        onChange={e => {
          const chosen = props.options.find(o => o.value === e.target.value);
          if (chosen) {
            props.onChange(chosen.value);
          }
        }}
      >
        {props.options.map(o => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export interface ICheckFieldProps {
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
}

/** A checkbox whose label is its text: clicking the text toggles it. */
export function CheckField(props: ICheckFieldProps): JSX.Element {
  return (
    <label className="jp-EmrSchedule-check">
      <input
        type="checkbox"
        checked={props.checked}
        onChange={e => props.onChange(e.target.checked)}
      />
      {props.label}
    </label>
  );
}
