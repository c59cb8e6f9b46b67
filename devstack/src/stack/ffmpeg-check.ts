/**
 * FFmpeg for the render node, found the way the render node finds it (FFMPEG_PATH, then PATH). When it is
 * missing the stack still starts without the render node, and says how to install it on this platform.
 */
import { findFfmpeg } from '@stream-fighter/render-node/src/encoder/find-ffmpeg.ts';

export type FfmpegCheck = { ok: true; path: string } | { ok: false; problem: string; hint: string };

export function installHint(platform: NodeJS.Platform = process.platform): string {
  switch (platform) {
    case 'darwin':
      return 'install it with: brew install ffmpeg';
    case 'win32':
      return 'install it with: winget install Gyan.FFmpeg (or choco install ffmpeg), then open a new terminal';
    default:
      return 'install it with: sudo apt-get install ffmpeg (Debian/Ubuntu; dnf install ffmpeg on Fedora)';
  }
}

export function checkFfmpeg(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): FfmpegCheck {
  try {
    return { ok: true, path: findFfmpeg(env) };
  } catch (e) {
    // find-ffmpeg's own message ends with an apt hint; the platform's hint replaces it.
    const problem = (e instanceof Error ? e.message : String(e)).replace(/\s*\(apt-get install ffmpeg\)$/, '');
    return { ok: false, problem, hint: `${installHint(platform)}; or set FFMPEG_PATH to the ffmpeg binary` };
  }
}
