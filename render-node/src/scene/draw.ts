/**
 * One frame: a pure function of the view, the time and the output settings. Layout is in a 1280×720 logical space;
 * caches (backgrounds, sprites, QR, ticker strip) make the per-frame work small.
 */
import type { SKRSContext2D } from '@napi-rs/canvas';
import type { ScreenId } from '@stream-fighter/core';
import { drawBars } from './draw-bars.ts';
import { drawCards } from './draw-cards.ts';
import { drawFighters, shakeOffset } from './draw-fight.ts';
import { drawFightHud, drawLiveBadge, drawReconnecting, drawTimer, drawTitle } from './draw-hud.ts';
import { drawLogo, drawQrPanel, drawShoutout, drawTicker } from './draw-overlay.ts';
import { sans } from './fonts.ts';
import { tr } from './screen-words.ts';
import type { Lang } from '@stream-fighter/view/languages';
import { BASE_H, BASE_W } from './layout.ts';
import type { SceneView } from './model.ts';
import { stageBackground } from './stage.ts';
import { drawText } from './text.ts';

export type FrameOptions = { width: number; height: number; lang: Lang; screen: ScreenId; voteUrl: string };

/** Which scene a view gets: polls of 3–4 options are always bars. */
export function sceneFor(view: SceneView, screen: ScreenId): 'connecting' | 'fight' | 'bars' {
  if (view.connecting || !view.round) return 'connecting';
  return screen === 'bars' || !view.fight ? 'bars' : 'fight';
}

export function draw(ctx: SKRSContext2D, view: SceneView, t: number, o: FrameOptions): void {
  const scale = o.width / BASE_W;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.globalAlpha = 1;
  const scene = sceneFor(view, o.screen);
  if (scene === 'connecting') {
    drawConnecting(ctx, t, o, scale);
  } else {
    const round = view.round!;
    ctx.drawImage(stageBackground(round.matchup.stage, o.width, o.height, scene === 'bars'), 0, 0);
    ctx.setTransform(scale, 0, 0, scale, 0, 0);
    if (scene === 'fight') {
      const shake = shakeOffset(view);
      ctx.translate(shake.x, shake.y);
      drawFighters(ctx, view, t);
      ctx.translate(-shake.x, -shake.y);
      drawFightHud(ctx, view, o.lang);
    } else {
      drawBars(ctx, view, o.lang);
      drawTimer(ctx, view);
    }
    drawTitle(ctx, round.matchup.title);
    drawCards(ctx, view, o.lang);
    drawQrPanel(ctx, o.voteUrl, o.lang, scale);
    drawShoutout(ctx, view.shoutouts, o.lang, view.serverNow, t);
    drawTicker(ctx, round.matchup.headlines, o.lang, o.voteUrl, t, scale);
  }
  drawLiveBadge(ctx, o.lang, t);
  if (view.connection === 'reconnecting') drawReconnecting(ctx, o.lang, t);
}

function drawConnecting(ctx: SKRSContext2D, t: number, o: FrameOptions, scale: number): void {
  ctx.fillStyle = '#120a2a';
  ctx.fillRect(0, 0, o.width, o.height);
  ctx.setTransform(scale, 0, 0, scale, 0, 0);
  // Moving stripes, so the picture visibly lives while there is nothing to show.
  ctx.fillStyle = '#1d1145';
  const shift = (t / 20) % 80;
  for (let x = -80 + shift; x < BASE_W; x += 80) ctx.fillRect(x, 0, 30, BASE_H);
  drawLogo(ctx, BASE_W / 2 - 80, 250, 64);
  const base = tr(o.lang, 'connecting').replace(/…$/, '');
  ctx.font = sans(34);
  const x = BASE_W / 2 - 80 - ctx.measureText(`${base}...`).width / 2;
  const dots = '.'.repeat(1 + (Math.floor(t / 400) % 3));
  drawText(ctx, base + dots, x, 420, { font: sans(34), fill: '#ffffff', stroke: '#000000', line: 6 });
  drawQrPanel(ctx, o.voteUrl, o.lang, scale);
  drawTicker(ctx, [], o.lang, o.voteUrl, t, scale);
}
