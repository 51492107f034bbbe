/**
 * Failures captured from real runs (test/server/capture_runs.py and
 * capture_kerberos_runs.py: run-now jobs of jupyter-scheduler with the real
 * %sm_analytics against the local AWS), and the few no run can produce here,
 * written from the library's source and saying so in their `source`.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { IRunCell, RunCause } from '../../src/core/runs/diagnosis';

export interface IRunFixture {
  file: string;
  cause: RunCause;
  source: string;
  statusMessage: string;
  cells: IRunCell[];
}

const DIR = path.join(__dirname, '..', 'fixtures', 'runs');

export const runFixtures: IRunFixture[] = fs
  .readdirSync(DIR)
  .filter(f => f.endsWith('.json'))
  .sort()
  .map(f => ({
    ...JSON.parse(fs.readFileSync(path.join(DIR, f), 'utf-8')),
    file: f.replace(/\.json$/, '')
  }));
