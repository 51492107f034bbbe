/**
 * Opens jupyter-scheduler's own views of a job and of a job definition, with
 * the same command the Create Job form is opened with (`JobsView` 5 and 6 of
 * @jupyterlab/scheduler, the id in its `jobDetailModel`).
 */
import type { CommandRegistry } from '@lumino/commands';
import { RESTORE_LAYOUT } from '../schedulerForm';

export const JOBS_VIEW_JOB_DETAIL = 5;
export const JOBS_VIEW_JOB_DEFINITION_DETAIL = 6;

export async function openJobDetail(
  commands: CommandRegistry,
  jobId: string
): Promise<void> {
  await commands.execute(RESTORE_LAYOUT, {
    jobsView: JOBS_VIEW_JOB_DETAIL,
    jobDetailModel: { id: jobId }
  } as any);
}

export async function openJobDefinitionDetail(
  commands: CommandRegistry,
  definitionId: string
): Promise<void> {
  await commands.execute(RESTORE_LAYOUT, {
    jobsView: JOBS_VIEW_JOB_DEFINITION_DETAIL,
    jobDetailModel: { id: definitionId }
  } as any);
}
