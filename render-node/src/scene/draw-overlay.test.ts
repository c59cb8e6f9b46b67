/** The QR panel asks for votes only while they can land: with the room unreachable it says voting is paused. */
import { createCanvas } from '@napi-rs/canvas';
import type { SKRSContext2D } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { showcaseFight } from '@stream-fighter/core/fixtures/matchups';
import { T0, liveRound, shout, snapshot } from '@stream-fighter/core/fixtures/rounds';
import { drawQrPanel } from './draw-overlay.ts';
import { HINT_BOX } from './chat-hint.ts';
import { LAYOUT, qrPanelBox, toPixels } from './layout.ts';
import { SceneModel } from './model.ts';
import { countNear } from './probe.ts';
import { createRenderer } from './renderer.ts';
import { tr } from './screen-words.ts';

const W = 1280;

function panelTexts(paused: boolean, lang: 'en' | 'es'): string[] {
  const ctx = createCanvas(W, 720).getContext('2d');
  const texts: string[] = [];
  const fill = ctx.fillText.bind(ctx);
  ctx.fillText = ((text: string, x: number, y: number) => {
    texts.push(text);
    fill(text, x, y);
  }) as SKRSContext2D['fillText'];
  drawQrPanel(ctx, 'https://vote.example/', lang, 1, paused);
  return texts;
}

describe('the QR panel', () => {
  it('says VOTE NOW while the room is reachable, and that voting is paused while it is not', () => {
    for (const lang of ['en', 'es'] as const) {
      expect(panelTexts(false, lang)).toContain(tr(lang, 'voteNow'));
      // The paused header may take two lines: read the panel's words in order.
      const paused = panelTexts(true, lang).join(' ');
      expect(paused).not.toContain(tr(lang, 'voteNow'));
      expect(paused).toContain(tr(lang, 'votingPaused'));
      expect(paused).toContain(tr(lang, 'reconnectingShort'));
    }
    expect(tr('en', 'votingPaused')).toBe('VOTING PAUSED');
  });

  it('on the stream, drops the yellow VOTE NOW header as soon as the room connection is lost, and brings it back', () => {
    const renderer = createRenderer({ width: W, height: 720, lang: 'en', screen: 'fight', voteUrl: 'https://vote.example/' });
    const m = new SceneModel();
    m.applySnapshot(snapshot(liveRound(showcaseFight(), T0), 1, T0), T0);
    // (No chat votes open in this room: the panel without the commands under the code.)
    const panel = qrPanelBox(false);
    const header = toPixels({ x: panel.x + 6, y: panel.y + 6, w: panel.w - 12, h: 40 }, W);
    const yellow = (t: number) => countNear({ rgba: new Uint8Array(renderer.render(m.advanceTo(t), t)), width: W }, header, '#ffd60a', 20);
    expect(yellow(T0 + 1000)).toBeGreaterThan(3000);
    m.setConnection('reconnecting');
    expect(yellow(T0 + 1100)).toBeLessThan(100);
    m.setConnection('connected');
    expect(yellow(T0 + 1200)).toBeGreaterThan(3000);
  });
});

describe("a screen's parts", () => {
  it('draws the QR panel, the ticker, the shout-outs and the chat commands only when the screen shows them', () => {
    /** The room's live round, with chat votes open (a chat bridge reads chat) or not. */
    const roomWith = (chatOpen: boolean | undefined) => {
      const model = new SceneModel();
      model.applySnapshot(snapshot(liveRound(showcaseFight(), T0), 1, T0, { shoutouts: [shout('ana', 'hello from the front row', T0)], chatOpen }), T0);
      return model;
    };
    const m = roomWith(true);
    const probes = {
      // The QR panel's yellow VOTE NOW header, the ticker's red NEWS label, the shout-out's pink name tag.
      qr: [toPixels({ x: LAYOUT.qr.x + 6, y: LAYOUT.qr.y + 6, w: LAYOUT.qr.w - 12, h: 40 }, W), '#ffd60a'],
      ticker: [toPixels({ x: 0, y: LAYOUT.ticker.y + 6, w: 60, h: LAYOUT.ticker.h - 12 }, W), '#e11d2e'],
      shoutouts: [toPixels(LAYOUT.shoutout, W), '#ff2e88'],
      // The dark block of chat commands under the code (the feed itself: draw-chat.test.ts).
      chat: [toPixels({ x: LAYOUT.qr.x + HINT_BOX.x, y: LAYOUT.qr.y + HINT_BOX.y, w: HINT_BOX.w, h: HINT_BOX.h }, W), '#0b0b18'],
    } as const;
    const seen = (show: { qr: boolean; ticker: boolean; shoutouts: boolean; chat: boolean }, room = m) => {
      const renderer = createRenderer({ width: W, height: 720, lang: 'en', screen: 'fight', voteUrl: 'https://vote.example/', show });
      const rgba = new Uint8Array(renderer.render(room.advanceTo(T0 + 500), T0 + 500));
      // (Most of the chat block is its dark ground; the URL's dark letters, there when the panel is short, are far fewer.)
      return Object.fromEntries(Object.entries(probes).map(([part, [box, colour]]) => [part, countNear({ rgba, width: W }, box, colour, 20) > (part === 'chat' ? 4000 : 200)]));
    };
    expect(seen({ qr: true, ticker: true, shoutouts: true, chat: true })).toEqual({ qr: true, ticker: true, shoutouts: true, chat: true });
    expect(seen({ qr: true, ticker: true, shoutouts: true, chat: false })).toEqual({ qr: true, ticker: true, shoutouts: true, chat: false });
    expect(seen({ qr: false, ticker: false, shoutouts: false, chat: true })).toEqual({ qr: false, ticker: false, shoutouts: false, chat: false });
    expect(seen({ qr: false, ticker: true, shoutouts: false, chat: false })).toEqual({ qr: false, ticker: true, shoutouts: false, chat: false });
    // No chat bridge reads chat (chat votes closed, or a room older than them that does not say): no commands, though the screen shows chat.
    expect(seen({ qr: true, ticker: true, shoutouts: true, chat: true }, roomWith(false))).toEqual({ qr: true, ticker: true, shoutouts: true, chat: false });
    expect(seen({ qr: true, ticker: true, shoutouts: true, chat: true }, roomWith(undefined))).toEqual({ qr: true, ticker: true, shoutouts: true, chat: false });
    // Without `show`, a renderer shows everything (the bench and STATIC_STREAMS' default screens).
    const all = createRenderer({ width: W, height: 720, lang: 'en', screen: 'fight', voteUrl: 'https://vote.example/' });
    const rgba = new Uint8Array(all.render(m.advanceTo(T0 + 600), T0 + 600));
    expect(countNear({ rgba, width: W }, probes.qr[0], '#ffd60a', 20)).toBeGreaterThan(200);
  });
});
