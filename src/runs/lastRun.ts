/**
 * The toolbar badge's one fact about runs: how each notebook's most recent
 * run ended. Tiny on purpose, it is the only part of the Runs feature that
 * loads with JupyterLab; the Runs section (loaded with the panel) and the
 * button's one look after start-up fill it in.
 */

export type LastRunState = 'failed' | 'completed' | 'active' | 'other';

type Listener = (path: string) => void;

const states = new Map<string, LastRunState>();
const listeners = new Set<Listener>();

export const lastRuns = {
  get(path: string): LastRunState | undefined {
    return states.get(path);
  },

  set(path: string, state: LastRunState | undefined): void {
    if (states.get(path) === state) {
      return;
    }
    if (state === undefined) {
      states.delete(path);
    } else {
      states.set(path, state);
    }
    listeners.forEach(listener => listener(path));
  },

  /** Calls `listener` with each path whose state changes; returns an unsubscribe. */
  subscribe(listener: Listener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  }
};

/** The badge's reading of a run's scheduler status. */
export function lastRunState(status: string): LastRunState {
  switch (status) {
    case 'FAILED':
      return 'failed';
    case 'COMPLETED':
      return 'completed';
    case 'CREATED':
    case 'QUEUED':
    case 'IN_PROGRESS':
    case 'STOPPING':
    case 'STARTING':
      return 'active';
    default:
      return 'other';
  }
}
