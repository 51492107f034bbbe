/** Ids shared by the plugin's parts: one place each. */

export const PLUGIN_ID = 'jupyterlab-emr-schedule:plugin';
export const ADVANCED_OPTIONS_PLUGIN_ID =
  'jupyterlab-emr-schedule:advanced-options';
/** SageMaker Studio's scheduler labextension, which brings its own form. */
export const SAGEMAKER_SCHEDULER_EXTENSION =
  '@amzn/sagemaker-jupyter-scheduler';
export const PANEL_ID = 'jp-emr-schedule-panel';
export const PALETTE_CATEGORY = 'Schedule with EMR';
export const TOOLBAR_ITEM = 'emr-schedule';

export namespace CommandIDs {
  export const openPanel = 'emr-schedule:open-panel';
  export const insertConnectCell = 'emr-schedule:insert-connect-cell';
  export const createJob = 'emr-schedule:create-job';
  export const testRun = 'emr-schedule:test-run';
  export const copyEnvVars = 'emr-schedule:copy-env-vars';
  export const checkNotebook = 'emr-schedule:check-notebook';
  export const insertRedshiftCell = 'emr-schedule:insert-redshift-cell';
  export const showPolicies = 'emr-schedule:show-policies';
}
