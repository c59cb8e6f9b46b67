/**
 * Parses FFmpeg's `-progress` output: blocks of `key=value` lines, each block ending in `progress=continue`
 * (or `progress=end`). Chunks may split lines anywhere.
 */
export interface FfmpegProgress {
  /** Frames encoded so far in this process. */
  frame: number;
  /** FFmpeg's own average fps since it started. */
  fps: number;
  /** Media time over wall time since it started; a healthy live encoder sits at ~1.0. */
  speed: number;
  outTimeSec: number;
  end: boolean;
}

export function createProgressParser(onBlock: (p: FfmpegProgress) => void): (chunk: string) => void {
  let partial = '';
  let block: Record<string, string> = {};
  return (chunk) => {
    const lines = (partial + chunk).split('\n');
    partial = (lines.pop() ?? '').slice(-1000);
    for (const raw of lines) {
      const eq = raw.indexOf('=');
      if (eq < 0) continue;
      const key = raw.slice(0, eq).trim();
      const value = raw.slice(eq + 1).trim();
      if (key !== 'progress') {
        block[key] = value;
        continue;
      }
      onBlock({
        frame: num(block.frame),
        fps: num(block.fps),
        speed: num(block.speed?.replace(/x$/, '')),
        outTimeSec: num(block.out_time_us) / 1e6,
        end: value === 'end',
      });
      block = {};
    }
  };
}

function num(s: string | undefined): number {
  const n = Number(s);
  return Number.isFinite(n) && n >= 0 ? n : 0;
}
