/**
 * The render node as a child of the stack (`node render-node/src/main.ts`, or its production bundle; logs prefixed
 * `[render]`), with a static `preview` stream so video flows with no operator action. The render node's own settings in the
 * environment (RESOLUTION, FPS, LANG, AUDIO, …) pass through; what ties it to this stack is set here.
 */
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { RenderEnv } from '@stream-fighter/render-node/src/service/config.ts';
import { startChild } from './children.ts';
import { REPO_ROOT } from './repo-root.ts';

const MAIN = join(REPO_ROOT, 'render-node/src/main.ts');
export const PREVIEW_KEY = 'preview';

export interface RenderChild {
  child: ChildProcess;
  url: string;
}

/** Builds the render node's production bundle (render-node/dist/main.js); returns how to run it. */
export async function buildRenderBundle(): Promise<{ main: string; flags: readonly string[]; env: Readonly<Record<string, string>> }> {
  // Loaded only when asked for: the build brings esbuild, which `npm start` from the sources does not need.
  const build = await import('@stream-fighter/render-node/build.ts');
  const [main] = await build.buildBundles();
  return { main: main!, flags: build.NODE_FLAGS, env: build.NODE_ENV };
}

export function startRenderChild(o: {
  edgeUrl: string;
  rendererToken: string;
  rtmpUrl: string;
  httpPort: number;
  ffmpegPath: string;
  env?: NodeJS.ProcessEnv;
  /** The built bundle to run (`buildRenderBundle()`); the sources when absent. */
  bundle?: Awaited<ReturnType<typeof buildRenderBundle>>;
}): RenderChild {
  const base = { ...(o.env ?? process.env) };
  // LANG is also the system locale: de_DE.UTF-8 would stop the render node, where it should just mean English.
  if (base.LANG && !RenderEnv.shape.LANG.safeParse(base.LANG).success) delete base.LANG;
  const env: NodeJS.ProcessEnv = {
    ...base,
    EDGE_URL: o.edgeUrl,
    RENDERER_TOKEN: o.rendererToken,
    RTMP_URL: o.rtmpUrl,
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: String(o.httpPort),
    FFMPEG_PATH: o.ffmpegPath,
    VOTE_URL: base.VOTE_URL || `${o.edgeUrl}/`,
    STATIC_STREAMS: base.STATIC_STREAMS || `fight:${PREVIEW_KEY}`,
  };
  // The bundle runs as production runs it (render-node/build.ts): its Node flags, and an environment that must be
  // there before the process starts.
  const child = o.bundle
    ? startChild('render', process.execPath, [...o.bundle.flags, o.bundle.main], { ...env, ...o.bundle.env })
    : startChild('render', process.execPath, [MAIN], env);
  return { child, url: `http://127.0.0.1:${o.httpPort}` };
}
