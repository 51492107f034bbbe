/**
 * The part of `react-dom` this extension uses. The module comes at run time
 * from JupyterLab (a shared singleton, never bundled): the same React DOM that
 * renders every ReactWidget.
 */
declare module 'react-dom' {
  /** Runs `fn` and commits the React updates it schedules before returning. */
  export function flushSync<R>(fn: () => R): R;
}
