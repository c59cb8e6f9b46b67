/** Bounded waiting: every wait of the benchmark ends, with a message that says what it waited for. */
import { setTimeout as delay } from 'node:timers/promises';

export class TimeoutError extends Error {
  override name = 'TimeoutError';
}

/** `work`, or a TimeoutError naming `what` after `ms`, or the abort reason as soon as `signal` fires. */
export function within<T>(work: Promise<T>, ms: number, what: string, signal?: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => finish(() => reject(new TimeoutError(`timed out after ${ms} ms waiting for ${what}`))), ms);
    const onAbort = () => finish(() => reject(signal!.reason instanceof Error ? signal!.reason : new Error(`stopped while waiting for ${what}`)));
    let done = false;
    function finish(settle: () => void) {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      settle();
    }
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => finish(() => resolve(v)),
      (e: unknown) => finish(() => reject(e)),
    );
  });
}

/** A pause that ends early (rejecting) when `signal` fires. */
export const sleep = (ms: number, signal?: AbortSignal): Promise<void> => delay(ms, undefined, signal ? { signal } : {});

/** Wall-clock milliseconds with sub-millisecond resolution, comparable across worker threads. */
export const clock = (): number => performance.timeOrigin + performance.now();
