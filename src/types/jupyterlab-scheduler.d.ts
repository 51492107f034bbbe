/**
 * The part of `@jupyterlab/scheduler` this extension uses. The module itself
 * comes at run time from the scheduler's own labextension (a shared singleton,
 * never bundled), so its Token is the very object the scheduler requires.
 */
declare module '@jupyterlab/scheduler' {
  import type { Token } from '@lumino/coreutils';
  import type * as React from 'react';

  export type EnvironmentParameterValue = string | number | boolean;

  export interface IAdvancedOptionsModel {
    createType?: 'Job' | 'JobDefinition';
    idempotencyToken?: string;
    tags?: string[];
    runtimeEnvironmentParameters?: Record<string, EnvironmentParameterValue>;
    [key: string]: unknown;
  }

  export interface IAdvancedOptionsProps {
    /** `JobsView`: 1 is the Create Job form; the others are read-only views. */
    jobsView: number;
    model: IAdvancedOptionsModel;
    handleModelChange: (model: any) => void;
    errors: Record<string, string>;
    handleErrorsChange: (errors: Record<string, string>) => void;
  }

  export namespace Scheduler {
    type IAdvancedOptions = React.FC<IAdvancedOptionsProps>;
    const IAdvancedOptions: Token<IAdvancedOptions>;
  }
}
