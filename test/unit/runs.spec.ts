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
import { describeCron } from '../../src/core/runs/cronText';
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

describe('a schedule in words', () => {
  it('says the schedules the Create Job form offers', () => {
    // jupyter-scheduler's default, and its minute, hour, day, week and month
    // intervals.
    expect(describeCron('0 0 * * MON-FRI')).toBe('At 00:00 on weekdays');
    expect(describeCron('* * * * *')).toBe('Every minute');
    expect(describeCron('15 * * * *')).toBe('Every hour at 15 past the hour');
    expect(describeCron('0 * * * *')).toBe('Every hour');
    expect(describeCron('0 3 * * *')).toBe('Every day at 03:00');
    expect(describeCron('30 9 * * 1')).toBe('At 09:30 on Mondays');
    expect(describeCron('0 0 1 * *')).toBe('At 00:00 on the 1st of the month');
  });

  it('says steps, lists and ranges', () => {
    expect(describeCron('*/15 * * * *')).toBe('Every 15 minutes');
    expect(describeCron('*/10 9-17 * * 1-5')).toBe(
      'Every 10 minutes from 09:00 to 17:59 on weekdays'
    );
    expect(describeCron('0 */6 * * *')).toBe('Every 6 hours');
    expect(describeCron('5 */2 * * *')).toBe(
      'Every 2 hours at 5 past the hour'
    );
    expect(describeCron('0,30 * * * *')).toBe('Every 30 minutes');
    expect(describeCron('15,45 * * * *')).toBe(
      'Every hour at 15 and 45 minutes past'
    );
    expect(describeCron('0 8,20 * * *')).toBe('Every day at 08:00 and 20:00');
    expect(describeCron('0 8-18 * * *')).toBe('Every hour from 08:00 to 18:00');
    expect(describeCron('0 6 * * SAT,SUN')).toBe('At 06:00 on weekends');
    expect(describeCron('0 6 * * 7')).toBe('At 06:00 on Sundays');
    expect(describeCron('0 6 * * 2-4')).toBe(
      'At 06:00 from Tuesday to Thursday'
    );
    expect(describeCron('0 6 * * 1,3,5')).toBe(
      'At 06:00 on Mondays, Wednesdays and Fridays'
    );
    expect(describeCron('0 6 1,15 * *')).toBe(
      'At 06:00 on the 1st and 15th of the month'
    );
    expect(describeCron('0 6 1-7 * *')).toBe(
      'At 06:00 from the 1st to the 7th of the month'
    );
    expect(describeCron('5 8 1 JAN *')).toBe(
      'At 08:05 on the 1st of the month in January'
    );
    expect(describeCron('0 0 * 3-5 *')).toBe('At 00:00 from March to May');
    expect(describeCron('0 0 22 * 1')).toBe(
      'At 00:00 on the 22nd of the month and on Mondays'
    );
    expect(describeCron('0 0 11,12,13 * *')).toBe(
      'At 00:00 from the 11th to the 13th of the month'
    );
  });

  it('gives up on what it cannot say simply, and on what it cannot read', () => {
    expect(describeCron('7,19,23,41,53 1,5,9 * * *')).toBeNull();
    expect(describeCron('0 1,5,9,13,17,21,23 * * *')).toBeNull();
    expect(describeCron('every day')).toBeNull();
    expect(describeCron('61 * * * *')).toBeNull();
    expect(describeCron('')).toBeNull();
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
