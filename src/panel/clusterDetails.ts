/**
 * Cluster details (detected auth, release label) for the rows of the cluster
 * list, fetched in the background a few at a time and cached, so the list
 * shows at once and its auth badges fill in as the answers arrive.
 */
import { describeCluster, IClusterDetail } from '../api';

const CONCURRENCY = 4;
const cache = new Map<string, Promise<IClusterDetail | null>>();
const queue: (() => void)[] = [];
let running = 0;

function next(): void {
  while (running < CONCURRENCY && queue.length) {
    running += 1;
    queue.shift()!();
  }
}

/** The detail of `id`, or null when the server could not tell. */
export function clusterDetail(id: string): Promise<IClusterDetail | null> {
  let pending = cache.get(id);
  if (!pending) {
    pending = new Promise<IClusterDetail | null>(resolve => {
      queue.push(() => {
        describeCluster(id)
          .then(resolve, () => {
            cache.delete(id); // try again next time the row shows
            resolve(null);
          })
          .finally(() => {
            running -= 1;
            next();
          });
      });
      next();
    });
    cache.set(id, pending);
  }
  return pending;
}

/** Forgets cached details (the list's refresh button). */
export function clearClusterDetails(): void {
  cache.clear();
}
