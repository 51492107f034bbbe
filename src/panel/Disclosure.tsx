/**
 * A `<details>` whose content is built only once it is opened (and kept
 * while it stays open): a closed group of fields costs the panel nothing.
 */
import * as React from 'react';

export interface IDisclosureProps {
  className: string;
  summary: React.ReactNode;
  children?: React.ReactNode;
}

export function Disclosure(props: IDisclosureProps): JSX.Element {
  const [open, setOpen] = React.useState(false);
  return (
    <details
      className={props.className}
      open={open}
      onToggle={e => setOpen((e.target as HTMLDetailsElement).open)}
    >
      <summary>{props.summary}</summary>
      {open && props.children}
    </details>
  );
}
