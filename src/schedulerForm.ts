/**
 * Opens jupyter-scheduler's Create Job form with our variables filled in.
 *
 * The contract (DESIGN.md section 4): `scheduling:restore-layout` takes the
 * jobs model as JSON; `jobsView` 1 is the Create Job form, and its model's
 * `runtimeEnvironmentParameters` feed the Environment variables rows of
 * SageMaker's plugin and of our own Additional options editor alike.
 */
import type { CommandRegistry } from '@lumino/commands';
import type { EnvMap } from './core/envVars';

export const RESTORE_LAYOUT = 'scheduling:restore-layout';
/** `JobsView.CreateForm` in @jupyterlab/scheduler. */
export const JOBS_VIEW_CREATE_FORM = 1;

export function schedulerAvailable(commands: CommandRegistry): boolean {
  return commands.hasCommand(RESTORE_LAYOUT);
}

/** A job name the scheduler accepts, from the notebook's file name. */
export function jobNameFor(path: string): string {
  const file = path.split('/').pop() ?? path;
  const stem = file.replace(/\.ipynb$/i, '');
  const name = stem.replace(/[^A-Za-z0-9 ._-]/g, '-').slice(0, 60);
  return name || 'emr-job';
}

/**
 * The job's network as SageMaker's scheduler plugin keeps it: its reserved
 * `vpc_subnets` and `vpc_security_group_ids` keys of
 * `runtimeEnvironmentParameters`, comma-separated (it sends a `VpcConfig`
 * only when both are non-empty). Only for SageMaker's plugin: open-source
 * jupyter-scheduler would show them as Environment variables.
 */
export interface IJobNetwork {
  subnets: string[];
  securityGroupIds: string[];
}

export function networkParameters(network: IJobNetwork): EnvMap {
  return {
    vpc_subnets: network.subnets.join(','),
    vpc_security_group_ids: network.securityGroupIds.join(',')
  };
}

export function createJobModel(
  path: string,
  env: EnvMap,
  network?: IJobNetwork
) {
  const dir = path.includes('/')
    ? path.slice(0, path.lastIndexOf('/') + 1)
    : '';
  return {
    key: Math.random(),
    jobName: jobNameFor(path),
    inputFile: path,
    outputPath: dir,
    environment: '',
    createType: 'Job',
    runtimeEnvironmentParameters: {
      ...env,
      ...(network ? networkParameters(network) : {})
    },
    schedule: '0 0 * * MON-FRI',
    scheduleInterval: 'weekday',
    scheduleClock: '00:00',
    scheduleMinute: '0',
    scheduleMonthDay: '1',
    scheduleWeekDay: '1',
    timezone: Intl.DateTimeFormat().resolvedOptions().timeZone
  };
}

export async function openCreateJobForm(
  commands: CommandRegistry,
  path: string,
  env: EnvMap,
  network?: IJobNetwork
): Promise<void> {
  await commands.execute(RESTORE_LAYOUT, {
    jobsView: JOBS_VIEW_CREATE_FORM,
    createJobModel: createJobModel(path, env, network)
  } as any);
}
