/**
 * Details of the rows of the cluster and application lists (detected auth,
 * release label, whether an application starts by itself), fetched in the
 * background a few at a time and cached, so a list shows at once and its
 * badges fill in as the answers arrive.
 */
import * as React from 'react';
import {
  describeApplication,
  describeCluster,
  IApplicationDetail,
  IClusterDetail
} from '../api';

const CONCURRENCY = 4;
const queue: (() => void)[] = [];
let running = 0;

function next(): void {
  while (running < CONCURRENCY && queue.length) {
    running += 1;
    queue.shift()!();
  }
}

interface IDetailCache<T> {
  /** The detail of `id`, or null when the server could not tell. */
  get(id: string): Promise<T | null>;
  /** Forgets cached details (the list's refresh button). */
  clear(): void;
}

function detailCache<T>(describe: (id: string) => Promise<T>): IDetailCache<T> {
  const cache = new Map<string, Promise<T | null>>();
  return {
    get(id) {
      let pending = cache.get(id);
      if (!pending) {
        pending = new Promise<T | null>(resolve => {
          queue.push(() => {
            describe(id)
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
    },
    clear() {
      cache.clear();
    }
  };
}

/** The detail of a list row, once it arrives (null until then). */
export function useDetail<T>(cache: IDetailCache<T>, id: string): T | null {
  const [detail, setDetail] = React.useState<T | null>(null);
  React.useEffect(() => {
    let live = true;
    void cache.get(id).then(d => live && setDetail(d));
    return () => {
      live = false;
    };
  }, [cache, id]);
  return detail;
}

export const clusterDetails = detailCache<IClusterDetail>(describeCluster);
export const applicationDetails =
  detailCache<IApplicationDetail>(describeApplication);
