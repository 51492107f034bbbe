/**
 * Scheduled runs as the scheduler's REST API describes them (jupyter-scheduler
 * and SageMaker's plugin alike: GET scheduler/jobs, scheduler/job_definitions),
 * and what the Runs section derives from them. No JupyterLab import.
 */

export type RunStatus =
  | 'CREATED'
  | 'QUEUED'
  | 'IN_PROGRESS'
  | 'COMPLETED'
  | 'FAILED'
  | 'STOPPING'
  | 'STOPPED';

export interface IJobFile {
  display_name: string;
  file_format: string;
  /** Relative to the server's root; null until the outputs are downloaded. */
  file_path?: string | null;
}

/** The fields of the scheduler's `DescribeJob` the panel reads. */
export interface IJob {
  job_id: string;
  name: string;
  input_filename: string;
  status: RunStatus | string;
  status_message?: string | null;
  create_time: number;
  /** A failed run has no end_time in jupyter-scheduler; this is when it ended. */
  update_time?: number | null;
  start_time?: number | null;
  end_time?: number | null;
  job_definition_id?: string | null;
  job_files?: IJobFile[];
  downloaded?: boolean;
}

/** The fields of the scheduler's `DescribeJobDefinition` the panel reads. */
export interface IJobDefinition {
  job_definition_id: string;
  name: string;
  input_filename: string;
  schedule?: string | null;
  timezone?: string | null;
  active: boolean;
  create_time: number;
}

const ACTIVE: ReadonlySet<string> = new Set([
  'CREATED',
  'QUEUED',
  'IN_PROGRESS',
  'STOPPING'
]);

/** A run the scheduler has not finished with: worth refreshing. */
export function isActive(status: string): boolean {
  return ACTIVE.has(status) || status === 'STARTING';
}

/** How long a job created but not yet started counts as starting. */
export const STARTING_GRACE_MS = 10 * 60_000;

/**
 * The status to show. jupyter-scheduler's database marks a new job STOPPED
 * (its column's default) until the job's own process starts and sets
 * IN_PROGRESS, which can take many seconds on a busy server; a recent job
 * that is STOPPED and never started is shown as STARTING instead.
 */
export function displayStatus(job: IJob, now: number): string {
  if (
    job.status === 'STOPPED' &&
    !job.start_time &&
    !job.end_time &&
    now - job.create_time < STARTING_GRACE_MS
  ) {
    return 'STARTING';
  }
  return job.status;
}

/** The file name part of a notebook path ("a/b/c.ipynb" -> "c.ipynb"). */
export function fileNameOf(path: string): string {
  return path.split('/').pop() ?? path;
}

/**
 * Whether a job (or job definition) ran `path`. The scheduler's list API
 * cannot filter by input, and a job's name is the user's to change, so the
 * one reliable mark is `input_filename`, the file name of the notebook the job
 * copied. Two notebooks with the same file name in different folders cannot be
 * told apart from it; the job's name (which the Create Job form takes from the
 * file name) cannot tell them either.
 */
export function isRunOf(
  run: { input_filename?: string | null },
  path: string
): boolean {
  return !!run.input_filename && run.input_filename === fileNameOf(path);
}

/** "42 s", "3 min 5 s", "2 h 10 min": how long a run took or has taken. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) {
    return '';
  }
  const s = Math.round(ms / 1000);
  if (s < 60) {
    return `${s} s`;
  }
  const m = Math.floor(s / 60);
  if (m < 60) {
    return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
  }
  const h = Math.floor(m / 60);
  return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
}

/** How long the run took, or has taken so far (`now`) while it runs. */
export function runDuration(job: IJob, now: number): number | null {
  if (!job.start_time) {
    return null;
  }
  const end =
    job.end_time ??
    (isActive(displayStatus(job, now)) ? now : (job.update_time ?? null));
  return end === null ? null : end - job.start_time;
}

/** The output notebook of a run, once the scheduler has put it in the workspace. */
export function outputNotebookPath(job: IJob): string | null {
  const file = (job.job_files ?? []).find(
    f => f.file_format === 'ipynb' && f.file_path
  );
  return file?.file_path ?? null;
}

/** Whether the run has an output notebook the workspace does not have yet. */
export function hasOutputToDownload(job: IJob, now: number): boolean {
  return (
    !isActive(displayStatus(job, now)) &&
    !!job.start_time &&
    !outputNotebookPath(job) &&
    (job.job_files ?? []).some(f => f.file_format === 'ipynb')
  );
}

/** Merges a newer page into a list newest first, one entry per id. */
export function mergeRuns<T>(
  older: T[],
  newer: T[],
  idOf: (item: T) => string
): T[] {
  const byId = new Map<string, T>();
  for (const item of newer) {
    byId.set(idOf(item), item);
  }
  const merged: T[] = [...newer];
  for (const item of older) {
    if (!byId.has(idOf(item))) {
      merged.push(item);
    }
  }
  return merged;
}

// Cron: the five fields jupyter-scheduler accepts (minute hour day month weekday).

const MONTHS = [
  'JAN',
  'FEB',
  'MAR',
  'APR',
  'MAY',
  'JUN',
  'JUL',
  'AUG',
  'SEP',
  'OCT',
  'NOV',
  'DEC'
];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

function parseField(
  text: string,
  min: number,
  max: number,
  names: string[] = [],
  nameBase = 0
): Set<number> | null {
  const value = (s: string): number => {
    const i = names.indexOf(s.toUpperCase());
    return i >= 0 ? i + nameBase : Number(s);
  };
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) {
      return null;
    }
    let lo: number;
    let hi: number;
    if (range === '*') {
      lo = min;
      hi = max;
    } else if (range.includes('-')) {
      const [a, b] = range.split('-');
      lo = value(a);
      hi = value(b);
    } else {
      lo = value(range);
      hi = stepText === undefined ? lo : max;
    }
    if (
      !Number.isInteger(lo) ||
      !Number.isInteger(hi) ||
      lo < min ||
      hi > max ||
      lo > hi
    ) {
      return null;
    }
    for (let v = lo; v <= hi; v += step) {
      out.add(v);
    }
  }
  return out;
}

/** The offset of `timeZone` from UTC at `instant`, in ms (wall - UTC). */
function zoneOffset(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric'
  }).formatToParts(new Date(instant));
  const get = (type: string) =>
    Number(parts.find(p => p.type === type)?.value ?? 0);
  const wall = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second')
  );
  return wall - Math.floor(instant / 1000) * 1000;
}

/** A cron schedule's five fields, read. */
export interface ICron {
  minutes: Set<number>;
  hours: Set<number>;
  days: Set<number>;
  months: Set<number>;
  /** 0 is Sunday (7 is read as 0 too). */
  weekdays: Set<number>;
  /** The day-of-month field is `*`. */
  anyDay: boolean;
  /** The day-of-week field is `*`. */
  anyWeekday: boolean;
}

/** The five fields jupyter-scheduler accepts, or null for what this cannot read. */
export function parseCron(schedule: string): ICron | null {
  const fields = schedule.trim().split(/\s+/);
  if (fields.length !== 5) {
    return null;
  }
  const minutes = parseField(fields[0], 0, 59);
  const hours = parseField(fields[1], 0, 23);
  const days = parseField(fields[2], 1, 31);
  const months = parseField(fields[3], 1, 12, MONTHS, 1);
  const weekdays = parseField(fields[4], 0, 7, DAYS, 0);
  if (!minutes || !hours || !days || !months || !weekdays) {
    return null;
  }
  if (weekdays.has(7)) {
    weekdays.delete(7);
    weekdays.add(0);
  }
  return {
    minutes,
    hours,
    days,
    months,
    weekdays,
    anyDay: fields[2] === '*',
    anyWeekday: fields[4] === '*'
  };
}

/**
 * The next time a cron schedule fires after `from` (ms), in `timeZone`
 * (UTC when absent or unknown), or null for a schedule this cannot read.
 */
export function nextCronRun(
  schedule: string,
  timeZone: string | null | undefined,
  from: number
): number | null {
  const cron = parseCron(schedule);
  if (!cron) {
    return null;
  }
  const { minutes, hours, days, months, weekdays, anyDay, anyWeekday } = cron;
  let zone = timeZone || 'UTC';
  try {
    zoneOffset(from, zone);
  } catch {
    zone = 'UTC';
  }
  // Walk the zone's wall clock (as if it were UTC), day by day, for 5 years.
  const wallFrom = from + zoneOffset(from, zone);
  const start = new Date(wallFrom);
  const day0 = Date.UTC(
    start.getUTCFullYear(),
    start.getUTCMonth(),
    start.getUTCDate()
  );
  const sortedHours = [...hours].sort((a, b) => a - b);
  const sortedMinutes = [...minutes].sort((a, b) => a - b);
  for (let d = 0; d < 366 * 5; d++) {
    const date = new Date(day0 + d * 86_400_000);
    if (!months.has(date.getUTCMonth() + 1)) {
      continue;
    }
    const dayOk = days.has(date.getUTCDate());
    const weekdayOk = weekdays.has(date.getUTCDay());
    // Cron's rule: with both restricted, either matching is enough.
    const matches =
      anyDay && anyWeekday
        ? true
        : anyDay
          ? weekdayOk
          : anyWeekday
            ? dayOk
            : dayOk || weekdayOk;
    if (!matches) {
      continue;
    }
    for (const h of sortedHours) {
      for (const m of sortedMinutes) {
        const wall = date.getTime() + h * 3_600_000 + m * 60_000;
        if (wall <= wallFrom) {
          continue;
        }
        // Back to an instant: the offset at the guessed instant (close enough
        // across a daylight-saving change for a "next run" label).
        const guess = wall - zoneOffset(wall, zone);
        return wall - zoneOffset(guess, zone);
      }
    }
  }
  return null;
}
