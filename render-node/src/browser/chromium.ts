/**
 * How the render node starts Chromium: the system's own (Debian's `chromium`, or what a container installs), driven
 * by playwright-core, on a virtual display of its own (browser-source.ts adds the display's flags, xvfb.ts starts
 * it). Pure, so the flags are tested without a browser.
 */

export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';

export interface ChromiumLaunch {
  executablePath: string;
  args: string[];
}

/**
 * `uid` is the process's user id (null where there is none, as on Windows).
 *
 * - `--no-sandbox` only as root: Chromium refuses to start its sandbox as root (test machines and many containers
 *   run as root). For any other user the sandbox stays on, since it is what stands between a page and the node.
 *   The image runs as `node`; Chromium's sandbox there needs user namespaces, which the container's seccomp profile
 *   must allow (Chromium says "No usable sandbox" at launch otherwise: the launch fails loudly, never silently
 *   unsandboxed).
 * - `--disable-dev-shm-usage`: Docker gives /dev/shm 64 MB, and a renderer that runs out of it crashes; /tmp is slower
 *   but unbounded.
 * - The three `--disable-*background*` flags: nobody looks at the virtual display, and Chromium would otherwise take a
 *   window it deems hidden or covered for one to slow down (timers and animation frames at 1 Hz: a frozen stream).
 * - `--mute-audio`: a page's own sound is not captured (the stream's audio is the generated bed); muting keeps
 *   Chromium from opening an audio device the container does not have.
 * - `--hide-scrollbars`: a page a pixel taller than the frame would show a scrollbar on stream.
 */
export function chromiumLaunch(env: { CHROMIUM_PATH?: string | undefined }, uid: number | null = process.getuid?.() ?? null): ChromiumLaunch {
  const args = [
    '--disable-dev-shm-usage',
    '--disable-background-timer-throttling',
    '--disable-backgrounding-occluded-windows',
    '--disable-renderer-backgrounding',
    '--mute-audio',
    '--hide-scrollbars',
    '--no-first-run',
    '--no-default-browser-check',
  ];
  if (uid === 0) args.push('--no-sandbox');
  return { executablePath: env.CHROMIUM_PATH || DEFAULT_CHROMIUM_PATH, args };
}
