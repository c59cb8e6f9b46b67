/**
 * /scene: the stream's own scene drawn by the browser, for a render node's browser screen (or OBS). The drawing is
 * the render node's (render-node/src/scene: the same model, layout, words and draw calls on the browser's 2D canvas,
 * scene-canvas.ts standing in for @napi-rs/canvas), fed by the room's snapshots through the pages' shared live
 * client (lib/live.ts), so a page frame and a canvas frame of the same state look the same. No sound: the render
 * node's audio is its own.
 */
import { draw, type FrameOptions } from '@stream-fighter/render-node/src/scene/draw.ts';
import { FONT } from '@stream-fighter/render-node/src/scene/fonts.ts';
import { SceneModel } from '@stream-fighter/render-node/src/scene/model.ts';
import { connectLive } from '../lib/live.ts';
import { sceneParams } from './scene-params.ts';

/** The scene's draw calls are typed with @napi-rs/canvas's context; the browser's has the same 2D API. */
type SceneContext = Parameters<typeof draw>[0];

/** How long the first frame waits for the fonts: the scene's caches keep text as first painted. */
const FONTS_WAIT_MS = 3000;

const params = sceneParams(new URLSearchParams(location.search), {
  origin: location.origin,
  viewport: { width: innerWidth, height: innerHeight },
  languages: navigator.languages?.length ? navigator.languages : [navigator.language],
});
document.documentElement.lang = params.lang;

const canvas = document.querySelector<HTMLCanvasElement>('#scene')!;
canvas.width = params.width;
canvas.height = params.height;
canvas.style.width = `${params.width}px`;
canvas.style.height = `${params.height}px`;
const ctx = canvas.getContext('2d', { alpha: false })! as unknown as SceneContext;
const frame: FrameOptions = { width: params.width, height: params.height, lang: params.lang, screen: params.scene, voteUrl: params.voteUrl, show: params.show };

const model = new SceneModel();
connectLive(
  params.room,
  (s) => model.applySnapshot(s, performance.now()),
  (online) => model.setConnection(online ? 'connected' : 'reconnecting'),
);

/** Both faces of each family (latin and latin-ext: "ą" is in the second), or whatever has come after the wait. */
async function fontsLoaded(): Promise<void> {
  const loads = [`800 16px "${FONT.sans}"`, `16px "${FONT.pixel}"`].map((f) => document.fonts.load(f, 'Aą'));
  await Promise.race([Promise.allSettled(loads), new Promise((ok) => setTimeout(ok, FONTS_WAIT_MS))]);
}

/**
 * Draws at `fps` (30 by default) on the browser's animation frames (60 a second headless): each tick at or past the
 * next frame's due time draws it, and the due time moves on by one frame's share of a second, so 60 Hz ticks give
 * 30, 25 or 45 draws a second as asked (a page that fell behind starts counting again from now). A render node
 * captures 30 a second; drawing the other 30 doubled the page's work for nothing.
 */
const periodMs = 1000 / params.fps;
/** Ticks come on a vsync grid: a tick this much early still counts as on time. */
const SLACK_MS = 2;
let due = -Infinity;
let failures = 0;
function paint(tick: number): void {
  requestAnimationFrame(paint);
  if (tick < due - SLACK_MS) return;
  due = tick - due > periodMs ? tick + periodMs : due + periodMs;
  const t = performance.now();
  try {
    draw(ctx, model.advanceTo(t), t, frame);
  } catch (e) {
    // A frame that throws must not end the loop (the stream would freeze on it): say so, now and then.
    if (failures++ % 300 === 0) console.error('scene frame failed', e);
  }
}

void fontsLoaded().then(() => requestAnimationFrame(paint));
