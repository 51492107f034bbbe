/**
 * A group of fields or a section that opens and closes: a button (the
 * disclosure pattern: `aria-expanded`, Enter and Space) and content that is
 * built only while it is open, so a closed group costs the panel nothing.
 *
 * Not `<details>`: each one brings a shadow tree of its own that Chromium
 * styles on the panel's first open (about 1 ms apiece beside a big notebook,
 * measured), for nothing a button does not do.
 */
import * as React from 'react';

export interface IDisclosureProps {
  className: string;
  summary: React.ReactNode;
  /** Held by the caller (with `onToggle`); otherwise the disclosure keeps its own. */
  open?: boolean;
  onToggle?: (open: boolean) => void;
  children?: React.ReactNode;
}

export function Disclosure(props: IDisclosureProps): JSX.Element {
  const [own, setOwn] = React.useState(false);
  const open = props.open ?? own;
  const id = React.useId();
  return (
    <div className={props.className}>
      <button
        type="button"
        className="jp-EmrSchedule-summary"
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        onClick={() => {
          if (props.open === undefined) {
            setOwn(!open);
          }
          props.onToggle?.(!open);
        }}
      >
        {props.summary}
      </button>
      {open && <div id={id}>{props.children}</div>}
    </div>
  );
}
