/** Notices an FFmpeg that has stopped making progress: hung, or stuck on a wedged network. */
export interface StallWatch {
  /** Resolves 'stall' once there has been no progress for timeoutMs; never rejects. */
  done: Promise<'stall'>;
  cancel(): void;
}

/** `lastProgressAt` and `now` read the same monotonic clock (ms). */
export function watchStall(lastProgressAt: () => number, timeoutMs: number, now: () => number = () => performance.now()): StallWatch {
  let timer: NodeJS.Timeout | undefined;
  const done = new Promise<'stall'>((resolve) => {
    timer = setInterval(() => {
      if (now() - lastProgressAt() > timeoutMs) resolve('stall');
    }, Math.min(500, timeoutMs / 4));
  });
  return { done, cancel: () => clearInterval(timer) };
}
