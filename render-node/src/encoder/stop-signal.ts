/**
 * A stream's stop, shared by its loops: a flag they check between steps, and waits that end the moment stop() is
 * called, so a stop never waits out a backoff or an FFmpeg that runs for weeks.
 */
export interface StopSignal {
  readonly stopped: boolean;
  stop(): void;
  /** Resolves with p's value, or 'stop' as soon as stop() is called. */
  race<T>(p: Promise<T>): Promise<T | 'stop'>;
  /** Waits ms, or until stop() is called. */
  sleep(ms: number): Promise<void>;
}

export function createStopSignal(): StopSignal {
  let stopped = false;
  // Waiters register and unregister here rather than racing one long-lived promise: each Promise.race against a
  // promise that stays pending for weeks leaves a reaction behind on it.
  const waiters = new Set<() => void>();

  const race = <T,>(p: Promise<T>): Promise<T | 'stop'> =>
    new Promise((resolve, reject) => {
      const w = () => resolve('stop');
      if (stopped) return w();
      waiters.add(w);
      p.then(resolve, reject).finally(() => waiters.delete(w));
    });

  return {
    get stopped() {
      return stopped;
    },
    stop() {
      stopped = true;
      for (const w of waiters) w();
    },
    race,
    async sleep(ms) {
      let timer: NodeJS.Timeout | undefined;
      await race(new Promise((r) => (timer = setTimeout(r, ms))));
      clearTimeout(timer);
    },
  };
}
