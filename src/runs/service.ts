/**
 * The scheduler's REST API, as the Runs section reads it: `<base>scheduler/`
 * (open-source jupyter-scheduler and SageMaker's plugin serve the same routes),
 * and the contents API for a run's output notebook.
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';
import type { IRunCell } from '../core/runs/diagnosis';
import { IJob, IJobDefinition, isRunOf } from '../core/runs/runs';
import { isTestRunJob } from '../core/testRun';

/**
 * Why the scheduler gave no answer: none is installed, it failed, or the
 * Jupyter server itself could not be reached. `message` is what the server
 * said (a status line or the scheduler's message), for the user to read.
 */
export class SchedulerError extends Error {
  constructor(
    readonly kind: 'missing' | 'unavailable' | 'unreachable',
    message: string
  ) {
    super(message);
    this.name = 'SchedulerError';
  }
}

/** Server pages read per request: the list API has no filter by notebook. */
export const SCAN_PAGE = 100;
/** Runs shown per page of the section. */
export const RUNS_PAGE = 20;
/** Server pages one "load more" reads at most before it stops and asks. */
const MAX_SCAN_PAGES = 5;

async function schedulerGet<T>(path: string): Promise<T> {
  const settings = ServerConnection.makeSettings();
  const url = URLExt.join(settings.baseUrl, 'scheduler', path);
  let response: Response;
  try {
    response = await ServerConnection.makeRequest(url, {}, settings);
  } catch {
    throw new SchedulerError('unreachable', '');
  }
  if (response.status === 404) {
    throw new SchedulerError('missing', '');
  }
  if (!response.ok) {
    let detail = `${response.status} ${response.statusText}`.trim();
    try {
      const body = await response.json();
      detail = body?.message || detail;
    } catch {
      // The status line is all there is.
    }
    throw new SchedulerError('unavailable', detail);
  }
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

function listQuery(token: string | null, maxItems: number): string {
  const q = new URLSearchParams({
    max_items: String(maxItems),
    sort_by: 'desc(create_time)'
  });
  if (token) {
    q.set('next_token', token);
  }
  return `?${q.toString()}`;
}

export interface IRunsPage<T> {
  items: T[];
  /** Where the next read starts; null when the scheduler has no more. */
  token: string | null;
}

/**
 * Reads the scheduler's list newest first, keeping the notebook's entries,
 * until a page's worth is found, the list ends, or `maxPages` were read.
 */
async function scan<
  T extends { input_filename?: string | null; tags?: string[] | null }
>(
  route: 'jobs' | 'job_definitions',
  key: 'jobs' | 'job_definitions',
  path: string,
  token: string | null,
  want: number,
  maxPages: number
): Promise<IRunsPage<T>> {
  const items: T[] = [];
  let next = token;
  for (let read = 0; read < maxPages; read++) {
    const page = await schedulerGet<Record<string, unknown>>(
      `${route}${listQuery(next, SCAN_PAGE)}`
    );
    const entries = (page[key] as T[] | undefined) ?? [];
    // A test run is no run of the notebook's schedule (nor of the badge).
    items.push(...entries.filter(e => isRunOf(e, path) && !isTestRunJob(e)));
    next = (page.next_token as string | null | undefined) ?? null;
    if (next !== null) {
      next = String(next);
    }
    if (!next || items.length >= want) {
      break;
    }
  }
  return { items, token: next };
}

/** The notebook's runs, newest first, from `token` on. */
export function listRuns(
  path: string,
  token: string | null,
  want = RUNS_PAGE,
  maxPages = MAX_SCAN_PAGES
): Promise<IRunsPage<IJob>> {
  return scan<IJob>('jobs', 'jobs', path, token, want, maxPages);
}

/** The notebook's job definitions (its schedules), newest first. */
export function listDefinitions(
  path: string,
  maxPages = MAX_SCAN_PAGES
): Promise<IRunsPage<IJobDefinition>> {
  return scan<IJobDefinition>(
    'job_definitions',
    'job_definitions',
    path,
    null,
    Number.POSITIVE_INFINITY,
    maxPages
  );
}

export function getRun(jobId: string): Promise<IJob> {
  return schedulerGet<IJob>(`jobs/${encodeURIComponent(jobId)}`);
}

/** The notebook's newest run among the scheduler's newest jobs, for the badge. */
export async function latestRun(path: string): Promise<IJob | null> {
  const page = await listRuns(path, null, 1, 1);
  return page.items[0] ?? null;
}

/** Asks the scheduler to copy a run's outputs into the workspace. */
export async function downloadOutputs(jobId: string): Promise<void> {
  await schedulerGet<void>(`jobs/${encodeURIComponent(jobId)}/download_files`);
}

/** The cells of a run's output notebook (for the diagnosis), or null. */
export async function readOutputCells(
  filePath: string
): Promise<IRunCell[] | null> {
  const settings = ServerConnection.makeSettings();
  const url = URLExt.join(
    settings.baseUrl,
    'api/contents',
    URLExt.encodeParts(filePath)
  );
  try {
    const response = await ServerConnection.makeRequest(
      `${url}?content=1&type=notebook`,
      {},
      settings
    );
    if (!response.ok) {
      return null;
    }
    const model = await response.json();
    return Array.isArray(model?.content?.cells) ? model.content.cells : null;
  } catch {
    return null;
  }
}
