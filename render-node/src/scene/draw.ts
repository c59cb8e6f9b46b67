/**
 * One frame: a pure function of the view, the time and the output settings. Layout is in a 1280×720 logical space;
 * caches (backgrounds, sprites, QR, ticker strip) make the per-frame work small.
 */
import type { Canvas, SKRSContext2D } from '@napi-rs/canvas';
import type { Screen, ScreenShow } from '@stream-fighter/core';
import { drawBars } from './draw-bars.ts';
import { drawCards } from './draw-cards.ts';
import { drawChatFeed } from './draw-chat.ts';
import { cameraOffset } from './camera.ts';
import { drawCombo, drawFighters } from './draw-fight.ts';
import { drawFightHud, drawLiveBadge, drawReconnecting, drawTimer, drawTitle } from './draw-hud.ts';
import { drawSeasonLine } from './draw-season.ts';
import { drawOdds } from './draw-odds.ts';
import { drawLogo, drawQrPanel, drawShoutout, drawTicker } from './draw-overlay.ts';
import { sans } from './fonts.ts';
import { tr } from './screen-words.ts';
import type { Lang } from '@stream-fighter/view/languages';
import { BASE_H, BASE_W } from './layout.ts';
import type { SceneView } from './model.ts';
import { stageBackground } from './stage.ts';
import { drawText } from './text.ts';
import { cardLengthMs, cardTransition } from './transition.ts';

/** `screen`: the scene the screen asks for; `show`: which parts around the action it shows (core/src/screen.ts). */
export type FrameOptions = { width: number; height: number; lang: Lang; screen: Screen['scene']; voteUrl: string; show: ScreenShow };

/** Which scene a view gets: polls of 3–4 options are always bars. */
export function sceneFor(view: SceneView, screen: Screen['scene']): 'connecting' | 'fight' | 'bars' {
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
    // The camera shakes the world (stage and fighters), never the HUD and cards over it.
    const cam = scene === 'fight' ? cameraOffset(view) : { x: 0, y: 0 };
    drawShifted(ctx, stageBackground(round.matchup.stage, o.width, o.height, scene === 'bars'), Math.round(cam.x * scale), Math.round(cam.y * scale));
    ctx.setTransform(scale, 0, 0, scale, 0, 0);
    if (scene === 'fight') {
      ctx.translate(cam.x, cam.y);
      drawFighters(ctx, view, t);
      ctx.translate(-cam.x, -cam.y);
      drawCombo(ctx, view, o.lang);
      drawFightHud(ctx, view, o.lang);
    } else {
      drawBars(ctx, view, o.lang);
      drawTimer(ctx, view);
    }
    drawTitle(ctx, round.matchup.title);
    drawSeasonLine(ctx, view, o.lang);
    // Cards fade and slide in and out (transition.ts) instead of cutting.
    const card = cardTransition(view.phaseMs, cardLengthMs(round));
    if (card.alpha > 0) {
      ctx.save();
      ctx.globalAlpha = card.alpha;
      ctx.translate(0, card.offset);
      drawCards(ctx, view, o.lang);
      ctx.restore();
    }
    // The screen's parts. `chat` is the feed and the commands beside the QR code: a screen whose stream has no chat
    // must not ask for chat votes, nor may any screen while no chat bridge reads chat (the room's `chatOpen`). The
    // feed only ever holds counted chat votes; it makes way for the cards that cover the fight (K.O., results, up next).
    const chat = o.show.chat && view.chatOpen ? view.options.map((x) => x.id) : [];
    if (o.show.qr) drawQrPanel(ctx, o.voteUrl, o.lang, scale, view.connection === 'reconnecting', chat);
    if (o.show.shoutouts) drawShoutout(ctx, view.shoutouts, o.lang, view.serverNow, t);
    // The odds while the room takes bets, in a box of their own that no card covers (draw-odds.ts).
    drawOdds(ctx, view, o.lang);
    if (o.show.chat) drawChatFeed(ctx, view, scale, round.phase === 'live' ? 1 : 1 - card.alpha);
    if (o.show.ticker) drawTicker(ctx, round.matchup.headlines, o.lang, o.voteUrl, t, scale);
  }
  drawLiveBadge(ctx, o.lang, t);
  if (view.connection === 'reconnecting') drawReconnecting(ctx, o.lang, t);
}

/**
 * The full-frame background moved by (dx, dy) output px. The strips it uncovers at the edges are filled with the
 * background's own edge, unmoved: a shake never shows the previous frame's pixels, and costs one blit, not two.
 */
function drawShifted(ctx: SKRSContext2D, bg: Canvas, dx: number, dy: number): void {
  ctx.drawImage(bg, dx, dy);
  if (dx === 0 && dy === 0) return;
  const w = bg.width;
  const h = bg.height;
  if (dx > 0) ctx.drawImage(bg, 0, 0, dx, h, 0, 0, dx, h);
  if (dx < 0) ctx.drawImage(bg, w + dx, 0, -dx, h, w + dx, 0, -dx, h);
  if (dy > 0) ctx.drawImage(bg, 0, 0, w, dy, 0, 0, w, dy);
  if (dy < 0) ctx.drawImage(bg, 0, h + dy, w, -dy, 0, h + dy, w, -dy);
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
