import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * The FFmpeg binary to run: `FFMPEG_PATH` if set, else `ffmpeg` on PATH. Resolved once at start so a missing
 * binary fails the process with a clear message instead of every stream retrying forever.
 */
export function findFfmpeg(env: NodeJS.ProcessEnv = process.env, name = 'ffmpeg'): string {
  const explicit = env.FFMPEG_PATH?.trim();
  if (explicit) {
    if (isExecutable(explicit)) return explicit;
    throw new Error(`FFMPEG_PATH=${explicit} is not an executable file (unset it to use ${name} from PATH)`);
  }
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  throw new Error(`${name} not found: set FFMPEG_PATH to the ${name} binary or put ${name} on PATH (apt-get install ffmpeg)`);
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
