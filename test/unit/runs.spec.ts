import {
  displayStatus,
  fileNameOf,
  formatDuration,
  hasOutputToDownload,
  IJob,
  isActive,
  isRunOf,
  mergeRuns,
  nextCronRun,
  outputNotebookPath,
  runDuration
} from '../../src/core/runs/runs';
import { lastRuns, lastRunState } from '../../src/runs/lastRun';

const NOW = Date.UTC(2026, 11, 1, 10, 30); // Tuesday 1 December 2026, 10:30 UTC

function job(patch: Partial<IJob>): IJob {
  return {
    job_id: 'id',
    name: 'nb',
    input_filename: 'nb.ipynb',
    status: 'COMPLETED',
    create_time: NOW - 60_000,
    ...patch
  };
}

describe('which runs are the notebook’s', () => {
  it('matches the input file name, whatever the folder', () => {
    expect(fileNameOf('a/b/nb.ipynb')).toBe('nb.ipynb');
    expect(isRunOf({ input_filename: 'nb.ipynb' }, 'a/b/nb.ipynb')).toBe(true);
    expect(isRunOf({ input_filename: 'nb.ipynb' }, 'nb.ipynb')).toBe(true);
    expect(isRunOf({ input_filename: 'other.ipynb' }, 'nb.ipynb')).toBe(false);
    expect(isRunOf({ input_filename: '' }, 'nb.ipynb')).toBe(false);
  });
});

describe('status and duration', () => {
  it('counts queued, running and stopping runs as active', () => {
    for (const s of ['CREATED', 'QUEUED', 'IN_PROGRESS', 'STOPPING']) {
      expect(isActive(s)).toBe(true);
    }
    for (const s of ['COMPLETED', 'FAILED', 'STOPPED']) {
      expect(isActive(s)).toBe(false);
    }
  });

  it('shows a new jupyter-scheduler job that has not started as starting', () => {
    const fresh = job({ status: 'STOPPED', start_time: null });
    expect(displayStatus(fresh, NOW)).toBe('STARTING');
    expect(isActive(displayStatus(fresh, NOW))).toBe(true);
    expect(displayStatus(fresh, NOW + 60 * 60_000)).toBe('STOPPED');
    expect(
      displayStatus(job({ status: 'STOPPED', start_time: NOW - 1000 }), NOW)
    ).toBe('STOPPED');
  });

  it('formats durations', () => {
    expect(formatDuration(42_000)).toBe('42 s');
    expect(formatDuration(185_000)).toBe('3 min 5 s');
    expect(formatDuration(120_000)).toBe('2 min');
    expect(formatDuration(2 * 3600_000 + 600_000)).toBe('2 h 10 min');
    expect(formatDuration(-1)).toBe('');
  });

  it('measures a run to its end, to now while it runs, to its last update when it failed', () => {
    const start = NOW - 30_000;
    expect(runDuration(job({ start_time: start, end_time: NOW }), NOW)).toBe(
      30_000
    );
    expect(
      runDuration(job({ status: 'IN_PROGRESS', start_time: start }), NOW + 5)
    ).toBe(30_005);
    expect(
      runDuration(
        job({ status: 'FAILED', start_time: start, update_time: NOW }),
        NOW + 99
      )
    ).toBe(30_000);
    expect(runDuration(job({ start_time: null }), NOW)).toBeNull();
  });
});

describe('output files', () => {
  const files = [
    { display_name: 'Notebook', file_format: 'ipynb', file_path: null },
    { display_name: 'Input', file_format: 'input', file_path: 'x/in.ipynb' }
  ];

  it('knows the output notebook only once it is in the workspace', () => {
    const ended = job({ start_time: NOW - 1000, job_files: files });
    expect(outputNotebookPath(ended)).toBeNull();
    expect(hasOutputToDownload(ended, NOW)).toBe(true);
    const downloaded = job({
      start_time: NOW - 1000,
      job_files: [{ ...files[0], file_path: 'jobs/x/out.ipynb' }]
    });
    expect(outputNotebookPath(downloaded)).toBe('jobs/x/out.ipynb');
    expect(hasOutputToDownload(downloaded, NOW)).toBe(false);
    expect(
      hasOutputToDownload(
        job({ status: 'IN_PROGRESS', start_time: NOW, job_files: files }),
        NOW
      )
    ).toBe(false);
  });
});

describe('merging pages', () => {
  it('keeps one entry per id, newest first', () => {
    const id = (x: { id: string }) => x.id;
    const merged = mergeRuns(
      [
        { id: 'b', v: 1 },
        { id: 'c', v: 1 }
      ],
      [
        { id: 'a', v: 2 },
        { id: 'b', v: 2 }
      ],
      id
    );
    expect(merged).toEqual([
      { id: 'a', v: 2 },
      { id: 'b', v: 2 },
      { id: 'c', v: 1 }
    ]);
  });
});

describe('the next run of a schedule', () => {
  const iso = (ms: number | null) =>
    ms === null ? null : new Date(ms).toISOString();

  it('reads jupyter-scheduler’s default weekday schedule', () => {
    expect(iso(nextCronRun('0 0 * * MON-FRI', 'UTC', NOW))).toBe(
      '2026-12-02T00:00:00.000Z'
    );
  });

  it('skips the weekend', () => {
    const friday = Date.UTC(2026, 11, 4, 12);
    expect(iso(nextCronRun('0 0 * * MON-FRI', 'UTC', friday))).toBe(
      '2026-12-07T00:00:00.000Z'
    );
  });

  it('reads steps, lists and month names', () => {
    expect(iso(nextCronRun('*/15 * * * *', 'UTC', NOW))).toBe(
      '2026-12-01T10:45:00.000Z'
    );
    expect(iso(nextCronRun('5 8,20 1 JAN *', 'UTC', NOW))).toBe(
      '2027-01-01T08:05:00.000Z'
    );
  });

  it('runs in the schedule’s time zone', () => {
    // 09:00 in New York in December is 14:00 UTC.
    expect(iso(nextCronRun('0 9 * * *', 'America/New_York', NOW))).toBe(
      '2026-12-01T14:00:00.000Z'
    );
  });

  it('says nothing for what it cannot read', () => {
    expect(nextCronRun('every day', 'UTC', NOW)).toBeNull();
    expect(nextCronRun('61 * * * *', 'UTC', NOW)).toBeNull();
    expect(nextCronRun('0 0 31 2 *', 'UTC', NOW)).toBeNull();
  });
});

describe('the toolbar badge’s state', () => {
  it('tells failed from the rest, and tells listeners', () => {
    expect(lastRunState('FAILED')).toBe('failed');
    expect(lastRunState('COMPLETED')).toBe('completed');
    expect(lastRunState('IN_PROGRESS')).toBe('active');
    expect(lastRunState('STOPPED')).toBe('other');
    const seen: string[] = [];
    const off = lastRuns.subscribe(p => seen.push(p));
    lastRuns.set('a.ipynb', 'failed');
    lastRuns.set('a.ipynb', 'failed');
    lastRuns.set('a.ipynb', 'completed');
    off();
    lastRuns.set('a.ipynb', 'failed');
    expect(seen).toEqual(['a.ipynb', 'a.ipynb']);
    expect(lastRuns.get('a.ipynb')).toBe('failed');
  });
});
