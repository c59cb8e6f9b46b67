/** The feed of chat voters on the stream: when it shows, how names come and go, and that no name leaves its box. */
import { createCanvas } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { CHAT_FEED_MAX } from '@stream-fighter/core';
import type { ChatFeedEntry, OptionId } from '@stream-fighter/core';
import { showcaseFight, showcasePoll } from '@stream-fighter/core/fixtures/matchups';
import { T0, liveRound, snapshot } from '@stream-fighter/core/fixtures/rounds';
import { reduce } from '@stream-fighter/core';
import { onDark } from '@stream-fighter/view/sprites/color';
import { FEED, feedRows, layoutRow } from './draw-chat.ts';
import { registerFonts } from './fonts.ts';
import { BASE_H, BASE_W, LAYOUT, toPixels } from './layout.ts';
import type { Box } from './layout.ts';
import { SceneModel } from './model.ts';
import type { SceneView } from './model.ts';
import { countNear, hashRegion } from './probe.ts';
import type { PixelFrame } from './probe.ts';
import { createRenderer } from './renderer.ts';
import { CARD_FADE_MS } from './transition.ts';

const W = 1280;
const SHOW = { qr: true, ticker: true, shoutouts: true, chat: true };
const entry = (name: string, option: OptionId, at: number): ChatFeedEntry => ({ name, option, at });

/** The view of a live round at T0 + 2 s whose snapshot carried `chatFeed` (or none, as a room older than chat votes). */
function viewWith(chatFeed: ChatFeedEntry[] | undefined, m = showcaseFight()): SceneView {
  const model = new SceneModel();
  model.applySnapshot(snapshot(liveRound(m, T0 - 20_000), 1, T0, chatFeed ? { chatFeed } : {}), T0);
  return model.advanceTo(T0 + 2000);
}

function frame(view: SceneView, show = SHOW, width = W): PixelFrame {
  const r = createRenderer({ width, height: (width * 9) / 16, lang: 'en', screen: 'fight', voteUrl: 'https://vote.example/', show });
  return { rgba: new Uint8Array(r.render(view, view.t)), width };
}

/** The four bands of the frame around a box (output px). */
function around(b: Box, width: number): Box[] {
  const height = (width * BASE_H) / BASE_W;
  return [
    { x: 0, y: 0, w: width, h: b.y },
    { x: 0, y: b.y + b.h, w: width, h: height - b.y - b.h },
    { x: 0, y: b.y, w: b.x, h: b.h },
    { x: b.x + b.w, y: b.y, w: width - b.x - b.w, h: b.h },
  ];
}

describe('the chat feed', () => {
  const feed = [entry('gamer42', 'B', T0 - 1500), entry('ana_g', 'A', T0 - 500)];
  const box = toPixels(LAYOUT.chatFeed, W);

  it("reaches the frame's view from the snapshot, and is empty for a room that sends none", () => {
    expect(viewWith(feed).chatFeed).toEqual(feed);
    expect(viewWith(undefined).chatFeed).toEqual([]);
  });

  it('is drawn when the screen shows chat and the room sent names, and not when chat is off or nobody is on it', () => {
    const empty = hashRegion(frame(viewWith([])), box);
    const shown = frame(viewWith(feed));
    expect(hashRegion(shown, box)).not.toBe(empty);
    // The fighters' names in their colours: EL TORNADO for gamer42, IRON KNUCKLES for ana_g.
    const [a, b] = showcaseFight().options.map((o) => onDark(o.fighter.color));
    const base = frame(viewWith([]));
    expect(countNear(shown, box, b!, 20) - countNear(base, box, b!, 20)).toBeGreaterThan(150);
    expect(countNear(shown, box, a!, 20) - countNear(base, box, a!, 20)).toBeGreaterThan(150);
    expect(hashRegion(frame(viewWith(feed), { ...SHOW, chat: false }), box)).toBe(hashRegion(frame(viewWith([]), { ...SHOW, chat: false }), box));
    expect(hashRegion(frame(viewWith(undefined)), box)).toBe(empty);
    // Names whose time is up are gone.
    expect(hashRegion(frame(viewWith([entry('gamer42', 'B', T0 + 2000 - FEED.delayMs - FEED.showMs)])), box)).toBe(empty);
  });

  it('keeps a very long name, emoji, right-to-left text and control characters inside its box, beside the fighter', () => {
    const names = ['W'.repeat(64), '🔥🌪️👊🏽 ' + 'ab'.repeat(20), 'مُحَمَّد‮ reversed ana 🇲🇽🇲🇽🇲🇽', 'a\nb\u0000c\td'.repeat(8), 'Z̷̢̛̤̈́͑a̸̜̓l̵̰̈g̴̣̈́o̶̗͝'.repeat(5)];
    const feedOf = names.map((n, i) => entry(n, i % 2 ? 'A' : 'B', T0 - 3000 + i * 400));
    // The same, with the newest still sliding in from the right and the others moving up from one row lower.
    const sliding = [...feedOf.slice(0, -1), entry(names.at(-1)!, 'A', T0 + 2000 - FEED.delayMs - FEED.slideMs / 4)];
    for (const width of [1280, 1920]) {
      const px = toPixels(LAYOUT.chatFeed, width);
      const none = frame(viewWith([]), SHOW, width);
      const long = frame(viewWith(feedOf), SHOW, width);
      expect(hashRegion(long, px)).not.toBe(hashRegion(none, px));
      // Not one pixel outside the box changed.
      for (const f of [long, frame(viewWith(sliding), SHOW, width)]) {
        for (const b of around(px, width)) expect(hashRegion(f, b), `${width} ${JSON.stringify(b)}`).toBe(hashRegion(none, b));
      }
      // Each row still ends with its fighter: the long names were cut, not the fighters' names pushed out.
      const rows = feedRows(feedOf, T0 + 2000);
      expect(rows).toHaveLength(names.length);
      for (const r of rows) {
        const fighter = showcaseFight().options.find((o) => o.id === r.entry.option)!.fighter;
        const right = toPixels({ x: LAYOUT.chatFeed.x + LAYOUT.chatFeed.w - 100, y: r.y, w: 100, h: LAYOUT.chatRowH }, width);
        expect(countNear(long, right, onDark(fighter.color), 20) - countNear(none, right, onDark(fighter.color), 20), `${width} ${r.entry.name}`).toBeGreaterThan(40);
      }
    }
  });

  it('cuts a long name with an ellipsis to what the fighter leaves of the row, and draws line breaks as spaces', () => {
    registerFonts();
    const ctx = createCanvas(1, 1).getContext('2d');
    const w = LAYOUT.chatFeed.w;
    const short = layoutRow(ctx, 'gamer42', 'GRIZZLE', w);
    expect([short.name, short.label]).toEqual(['gamer42', 'GRIZZLE']);
    expect(short.pillW).toBeLessThan(w * 0.8);
    for (const name of ['W'.repeat(64), '🔥'.repeat(40), 'مُحَمَّد'.repeat(10)]) {
      const row = layoutRow(ctx, name, 'WANDERING RONIN OF THE EAST', w);
      expect(row.name.endsWith('…'), name).toBe(true);
      expect(row.label.endsWith('…')).toBe(true);
      expect(row.pillW).toBeLessThanOrEqual(w);
      expect(row.nameW).toBeGreaterThan(60);
    }
    expect(layoutRow(ctx, ' a\nb\u0000\tc ', 'A', w).name).toBe('a b c');
  });

  it('makes way for the cards that cover the fight once the round is over', () => {
    const live = liveRound(showcaseFight(), T0 - 20_000);
    const over = reduce(live, { type: 'rotate' }, T0).state;
    expect(over.phase).toBe('finished');
    const at = (feed: ChatFeedEntry[], ms: number) => {
      const m = new SceneModel();
      m.applySnapshot(snapshot(over, 1, T0 + ms, { chatFeed: feed }), T0 + ms);
      return hashRegion(frame(m.advanceTo(T0 + ms)), box);
    };
    const late = [entry('gamer42', 'B', T0 - 1000)];
    // Just over: the K.O. card is still coming in, the feed still going out.
    expect(at(late, 60)).not.toBe(at([], 60));
    expect(at(late, CARD_FADE_MS + 100)).toBe(at([], CARD_FADE_MS + 100));
  });

  it("shows a poll's option letters, and skips names for options the round does not have", () => {
    const poll = showcasePoll(3);
    const shown = frame(viewWith([entry('ana', 'C', T0 - 500)], poll));
    const none = frame(viewWith([], poll));
    expect(hashRegion(shown, box)).not.toBe(hashRegion(none, box));
    expect(hashRegion(frame(viewWith([entry('ana', 'D', T0 - 500)], poll)), box)).toBe(hashRegion(none, box));
  });
});

describe('how names come and go', () => {
  const b = LAYOUT.chatFeed;

  it('puts the newest at the bottom and never more than the room may send', () => {
    const seven = Array.from({ length: 7 }, (_, i) => entry(`v${i}`, 'A', T0 + i * 400));
    const rows = feedRows(seven, T0 + 7 * 400 + 1000);
    expect(rows.map((r) => r.entry.name)).toEqual(['v6', 'v5', 'v4', 'v3', 'v2']);
    expect(rows).toHaveLength(CHAT_FEED_MAX);
    expect(rows[0]!.y).toBe(b.y + b.h - LAYOUT.chatRowH);
    expect(rows.at(-1)!.y).toBeGreaterThanOrEqual(b.y);
  });

  it('slides the newest in from the right while the others move up a row', () => {
    const feed = [entry('old', 'A', T0), entry('new', 'B', T0 + 2000)];
    const at = (ms: number) => feedRows(feed, T0 + 2000 + FEED.delayMs + ms);
    expect(at(-1).map((r) => r.entry.name)).toEqual(['old']);
    const start = at(0);
    expect(start[0]!.x).toBe(b.x + b.w);
    expect(start[1]!.y).toBe(b.y + b.h - LAYOUT.chatRowH);
    const mid = at(FEED.slideMs / 3);
    expect(mid[0]!.x).toBeGreaterThan(b.x);
    expect(mid[0]!.x).toBeLessThan(b.x + b.w);
    const done = at(FEED.slideMs);
    expect(done[0]!.x).toBe(b.x);
    expect(done[1]!.y).toBe(b.y + b.h - 2 * LAYOUT.chatRowH);
  });

  it('brings names the room took together in one after another', () => {
    const burst = [entry('a', 'A', T0), entry('b', 'B', T0), entry('c', 'A', T0)];
    const names = (ms: number) => feedRows(burst, T0 + FEED.delayMs + ms).map((r) => r.entry.name);
    expect(names(0)).toEqual(['a']);
    expect(names(FEED.staggerMs)).toEqual(['b', 'a']);
    expect(names(2 * FEED.staggerMs)).toEqual(['c', 'b', 'a']);
  });

  it('fades each name out over its last moments and then drops it', () => {
    const feed = [entry('a', 'A', T0)];
    const alpha = (age: number) => feedRows(feed, T0 + FEED.delayMs + age)[0]?.alpha ?? 0;
    expect(alpha(1000)).toBe(1);
    expect(alpha(FEED.showMs - FEED.fadeMs)).toBe(1);
    expect(alpha(FEED.showMs - FEED.fadeMs / 2)).toBeCloseTo(0.5);
    expect(alpha(FEED.showMs)).toBe(0);
  });
});
