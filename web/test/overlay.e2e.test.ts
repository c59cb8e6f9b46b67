/**
 * The overlay end to end, as OBS's browser source shows it: a plain poll live, drawn on a transparent background,
 * with the chat voters the room puts on its feed (sent as the chat bridge sends them) where the screen shows chat.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { WebSocketRoute } from 'playwright-core';
import { PHASE_MS, PROTOCOL_VERSION, reduce, startRound } from '@stream-fighter/core';
import type { ChatFeedEntry, ChatVoteResult, FighterCard, RoundState, Screen, SeasonOnAir } from '@stream-fighter/core';
import { ChatVote } from '@stream-fighter/core/chat';
import { Fighter, Matchup } from '@stream-fighter/core/matchup';
import { fighter, matchup } from '@stream-fighter/core/fixtures/matchups';
import { cardLine } from '@stream-fighter/view/fighter-card';
import { formatClock, formatNumber } from '@stream-fighter/view/format';
import { dictionary } from '@stream-fighter/view/words';
import { clockLeftMs, clockText } from '@stream-fighter/view/round-text';
import { seasonLine } from '@stream-fighter/view/season-line';
import { overlayPath } from '../src/lib/overlay-show.ts';
import { api, bridgeCall, chatConnected, chatLine, goLive, OUTPUT, plainPoll } from './support.ts';
import { useSiteSession } from './site-session.ts';

const tag = randomBytes(3).toString('hex');
const site = useSiteSession(({ base, token }) => goLive(base, token, plainPoll(`Best snack ${tag}`)));
const { screen, open } = site;

describe('the overlay', () => {
  it('draws on a transparent background (OBS browser source)', async () => {
    const c = await screen();
    const p = await open(c, '/overlay');
    await expect.poll(() => p.locator('#qr svg').count()).toBe(1);
    await expect.poll(() => p.locator('#title').textContent()).not.toBe('');
    const png = await p.screenshot({ omitBackground: true, path: `${OUTPUT}/overlay.png` });
    const probe = await c.newPage();
    const alphas = await probe.evaluate(async (b64) => {
      const bytes = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
      const bmp = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
      const canvas = new OffscreenCanvas(bmp.width, bmp.height);
      const g = canvas.getContext('2d')!;
      g.drawImage(bmp, 0, 0);
      const at = (x: number, y: number) => g.getImageData(x, y, 1, 1).data[3];
      return { corners: [at(0, 0), at(bmp.width - 1, 0), at(0, bmp.height - 1)], centre: at(Math.floor(bmp.width / 2), Math.floor(bmp.height / 2)), qr: at(bmp.width - 60, bmp.height - 60) };
    }, png.toString('base64'));
    expect(alphas.corners).toEqual([0, 0, 0]);
    expect(alphas.centre).toBe(0);
    expect(alphas.qr).toBe(255);
  });

  it("draws the room's chat feed, newest last, and the chat commands; a screen without chat shows neither", async () => {
    const auth = { authorization: `Bearer ${site.token}`, 'content-type': 'application/json' };
    const created = await api<{ screen: Screen }>(site.base, '/api/screens', { method: 'POST', headers: auth, body: JSON.stringify({ id: `no-chat-${tag}`, show: { chat: false } }) });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const c = await screen();
    // Both overlays connected to the room before the votes, so the snapshot that carries them reaches both.
    const connected = async (path: string) => {
      const p = await c.newPage();
      const socket = p.waitForEvent('websocket', { timeout: 10_000 });
      await p.goto(`${site.base}${path}`);
      await (await socket).waitForEvent('framereceived', { timeout: 10_000 });
      return p;
    };
    const withChat = await connected('/overlay?lang=en');
    const without = await connected(overlayPath(created.body.screen));
    expect(new URL(without.url()).searchParams.get('show')).toBe('qr,ticker,shoutouts');

    // No chat bridge has reported yet: no chat commands, though the screen shows chat.
    await expect.poll(() => withChat.locator('#poll h2').textContent()).toBe(`Best snack ${tag}`);
    expect(await withChat.locator('[data-slot="chat-hint"]').isHidden()).toBe(true);
    // One reports a connected chat: under the code, the commands of this round's four options, as the stream writes
    // them (view/chat-commands.ts), with no reload.
    await chatConnected(site.base, site.bridgeToken);
    await expect.poll(() => withChat.locator('[data-slot="chat-hint"]').innerText(), { timeout: 5_000, message: 'the chat commands, once a chat is connected' }).toBe('or type !a–!d in chat');
    expect(await withChat.locator('.qr__cmds').textContent()).toBe('!a–!d');

    // Three chat voters in one batch, as the chat bridge sends them; the room puts all three on the feed (3 a second).
    const lines = [chatLine(`twitch:${tag}1`, 'gamer42', '!a'), chatLine(`twitch:${tag}2`, 'Rosa', '!vote c'), chatLine(`youtube:${tag}3`, 'Zed Über', '!sushi')];
    const sent = await bridgeCall<ChatVoteResult>(site.base, site.bridgeToken, '/api/chat/votes', { source: `twitch:e2e_${tag}`, votes: lines });
    expect(sent.body, JSON.stringify(sent.body)).toMatchObject({ counted: 3, paused: false });
    const feed = withChat.locator('#feed li');
    await expect.poll(() => feed.allInnerTexts(), { timeout: 5_000, message: 'the three chat voters on the overlay' }).toEqual(['gamer42 → TACO', 'Rosa → PIZZA', 'Zed Über → SUSHI']);
    expect(await withChat.locator('#feed').isVisible()).toBe(true);
    await withChat.screenshot({ path: `${OUTPUT}/overlay-chat-feed.png`, omitBackground: true });

    // The screen with chat off: the same room, the same snapshot, no feed and no chat commands; the code stays.
    expect(await without.locator('#qr svg').count()).toBe(1);
    expect(await without.locator('#feed').isHidden()).toBe(true);
    expect(await without.locator('#feed li').count()).toBe(0);
    expect(await without.locator('[data-slot="chat-hint"]').isHidden()).toBe(true);
    expect(await without.locator('body').innerText()).not.toContain('gamer42');
  });
});

/**
 * The overlay at OBS's 1920×1080 with the longest words the schema lets through: names of Fighter.name's maximum,
 * a title of Matchup.title's, seven-digit vote counts, in English and Spanish, in every phase. The room's socket is
 * replaced by the test (Playwright's routeWebSocket) so each phase can be put on the page at will.
 */
describe('the overlay at 1920×1080 with the longest names and titles', () => {
  const nameMax = Fighter.shape.name.maxLength!;
  const titleMax = Matchup.shape.title.maxLength!;
  const chatNameMax = ChatVote.shape.name.maxLength!;
  const longName = (seed: string, max = nameMax) => `${seed} `.repeat(8).slice(0, max).trim().padEnd(max, 'W');
  const names = [longName('Wandering Ronin'), longName('Grandmaster Whirlwind'), longName('Mighty Waldemar'), longName('Wolfgang Maxwell')];
  const title = 'Who Wins When Wandering Warriors Meet Mighty Mammoths? '.repeat(3).slice(0, titleMax);
  /** A full feed (five, the room's most) of the longest chat names, one a single unbreakable word, for every option. */
  const chatNames = [longName('WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW', chatNameMax), longName('Wandering Warrior Fan', chatNameMax), longName('Mighty Mammoth Maximalist', chatNameMax), longName('MMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMM', chatNameMax), longName('Wolfgang Waldemar Wow', chatNameMax)];
  const BIG_CARD: FighterCard = { tier: 'S', wins: 12_345, losses: 12_345, ties: 12_345, streak: 123, debut: false };
  const DEBUT: FighterCard = { tier: 'N', wins: 0, losses: 0, ties: 0, streak: 0, debut: true };
  /** The season's longest line (view/season-line.ts): a quarter-final of a season far off, in seven digits. */
  const SEASON: SeasonOnAir = { position: { stage: 'tournament', season: 1_234_567, round: 'quarter-final', match: 4, of: 4, overall: 4 }, bracket: null };
  const chatFeed = (round: RoundState, now: number): ChatFeedEntry[] =>
    chatNames.map((name, i) => ({ name, option: round.matchup.options[i % round.matchup.options.length]!.id, at: now - (chatNames.length - i) * 1_000 }));

  /** The round in each phase, as the room would send it: real core rules, with big vote counts. */
  function phases(n: 2 | 4, start: number): Array<{ phase: string; round: RoundState }> {
    const m = matchup(names.slice(0, n).map((name, i) => fighter(name, 'samurai', ['#2b2d42', '#f5f5f5', '#06d6a0', '#ffd60a'][i])), { title, stage: 'arcade', durationSec: 1800 });
    const big = (r: RoundState): RoundState => ({ ...r, votes: Object.fromEntries(r.matchup.options.map((o) => [o.id, 1_234_567])) });
    const upcoming = startRound({ pollId: `p-${n}-up`, matchup: m, now: start, audience: 100 });
    const live = reduce(upcoming, { type: 'tick' }, upcoming.liveAt).state;
    let ended = live;
    const at = live.liveAt + 1_000;
    if (n === 2) for (let i = 0; i < 200 && ended.phase === 'live'; i++) ended = reduce(ended, { type: 'votes', votes: Array.from({ length: 50 }, () => ({ option: 'A' as const })) }, at).state;
    else ended = reduce(live, { type: 'rotate' }, at).state;
    const results = reduce(ended, { type: 'tick' }, ended.phaseAt + PHASE_MS.finish).state;
    return [
      { phase: 'upcoming', round: upcoming },
      { phase: 'live', round: big(live) },
      { phase: 'finished', round: big(ended) },
      { phase: 'results', round: big(results) },
    ];
  }

  /** Every box on the page that holds words or bars, with whether its content overflows it. */
  const measure = () =>
    [...document.querySelectorAll<HTMLElement>('.clock, #status, #title, #season, .side, .side > *, #poll, #poll .name, #poll .num, #poll h2, #qr, #qr strong, #qr [data-slot="chat-hint"], #feed, #feed li')]
      .filter((e) => e.offsetParent !== null && e.getClientRects().length > 0)
      .map((e) => {
        const r = e.getBoundingClientRect();
        const lineHeight = Number.parseFloat(getComputedStyle(e).lineHeight) || Number.parseFloat(getComputedStyle(e).fontSize) * 1.3;
        return {
          id: e.matches('.clock') ? 'clock' : e.matches('.side') ? (e.classList.contains('side--a') ? 'A' : 'B') : e.matches('#feed li') ? 'feed line' : e.id || e.dataset.slot || e.className,
          box: { x: r.x, y: r.y, w: r.width, h: r.height },
          overflows: e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1,
          lines: Math.round(r.height / lineHeight),
          text: e.textContent ?? '',
        };
      });
  type Box = ReturnType<typeof measure>[number];
  const overlap = (a: Box['box'], b: Box['box']) => Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x)) * Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));

  for (const lang of ['en', 'es'] as const) {
    it(`fits every word in its box, keeps the boxes apart, and pauses the QR card while the room is away (${lang})`, async () => {
      const c = await site.browser.newContext({ viewport: { width: 1920, height: 1080 } });
      try {
        const p = await c.newPage();
        let socket: WebSocketRoute | null = null;
        await p.routeWebSocket(/\/parties\/arena\//, (ws) => {
          socket = ws;
        });
        // Only the test's snapshots: the live round of the stack must not come in through the first fetch either.
        await p.route('**/api/poll', (r) => r.fulfill({ status: 503, body: '{}' }));
        await p.goto(`${site.base}/overlay?lang=${lang}`);
        await p.evaluate(() => document.fonts.ready.then(() => undefined));
        await expect.poll(() => socket !== null, { timeout: 10_000, message: 'the overlay opened its room socket' }).toBe(true);
        let seq = 1;
        for (const n of [2, 4] as const) {
          for (const { phase, round } of phases(n, Date.now() - 1_000)) {
            const now = phase === 'upcoming' ? round.phaseAt + 1_000 : round.phaseAt + 500;
            // The feed holds the live round's chat voters, and stays through the cards after it.
            const feed = phase === 'upcoming' ? [] : chatFeed(round, now);
            // A fight's cards with the longest record a season could reach soon, and a debut (view/fighter-card.ts).
            const fighters = n === 2 ? { A: BIG_CARD, B: DEBUT } : undefined;
            socket!.send(JSON.stringify({ type: 'snapshot', v: PROTOCOL_VERSION, seq: seq++, room: 'main', now, round, previous: null, upNext: null, shoutouts: [], chatFeed: feed, chatOpen: true, fighters, season: SEASON }));
            // Wait for the phase's words anywhere on the page (not in a particular box: the boxes are under test).
            const wait = { timeout: 5_000, message: `the ${phase} words of the ${n}-option round (${lang})` };
            const words = phase === 'live' ? formatClock(clockLeftMs(round, now)).slice(0, 3) : clockText(round, now, lang).slice(0, 8);
            await expect.poll(() => p.locator('body').textContent(), wait).toContain(words);
            if (phase === 'live') await expect.poll(() => p.locator('#status').isHidden(), wait).toBe(true);
            await expect.poll(() => p.locator('#feed li').count(), wait).toBe(feed.length);
            const boxes = await p.evaluate(measure);
            await p.screenshot({ path: `${OUTPUT}/overlay-1080-${lang}-${n}-${phase}.png`, omitBackground: true });
            const where = `${lang}, ${n} options, ${phase}`;
            for (const b of boxes) {
              expect(b.overflows, `${where}: ${b.id} overflows its box (${JSON.stringify(b.text.slice(0, 60))})`).toBe(false);
              expect(b.box.x >= 0 && b.box.y >= 0 && b.box.x + b.box.w <= 1920 && b.box.y + b.box.h <= 1080, `${where}: ${b.id} inside the screen`).toBe(true);
            }
            // Where the season is, on one line of its own, in every phase.
            expect(await p.locator('#season').textContent(), `${where}: the season's line`).toBe(seasonLine(SEASON.position, lang));
            expect(boxes.find((b) => b.id === 'season')?.lines, `${where}: the season's line on one line`).toBe(1);
            // Different groups never touch: the clock, the status, the title, the season, each side, the poll, the QR card, the chat feed.
            const groups = boxes.filter((b) => ['clock', 'status', 'title', 'season', 'A', 'B', 'poll', 'qr', 'feed'].includes(b.id));
            for (const a of groups) for (const b of groups) if (a !== b) expect(overlap(a.box, b.box), `${where}: ${a.id} overlaps ${b.id}`).toBeLessThanOrEqual(1);
            // The clock only ever holds a time; what happened is the status line's. After the KO or the rotate (one
            // second in) it keeps the time that was left then.
            const clock = await p.locator('.clock').textContent();
            expect(clock, `${where}: clock`).toMatch(/^\d{1,2}:\d\d$/);
            if (phase === 'finished' || phase === 'results') expect(clock).toBe('29:59');
            if (phase !== 'live') expect(await p.locator('#status').textContent()).toContain(clockText(round, now, lang).slice(0, 8));
            if (n === 2 && phase !== 'upcoming') {
              const bar = (id: string) => boxes.find((b) => b.id === id)!.box;
              expect(Math.abs(bar('bar-A').y - bar('bar-B').y), `${where}: the two bars on one line`).toBeLessThan(1);
              for (const id of ['name-A', 'name-B']) expect(boxes.find((b) => b.id === id)!.lines, `${where}: ${id} on one line`).toBe(1);
              // Each fighter's card line under its name, on one line: tier and record with the flame, NEW on a debut.
              expect(await p.locator('[data-slot="card-A"]').textContent(), `${where}: card A`).toBe(`${cardLine(BIG_CARD, lang).text} ${formatNumber(BIG_CARD.streak, lang)}`);
              expect(await p.locator('[data-slot="card-A"] svg.flame').count(), `${where}: the streak flame`).toBe(1);
              expect(await p.locator('[data-slot="card-B"]').textContent(), `${where}: card B`).toBe(dictionary(lang)['card.new']);
              for (const id of ['card-A', 'card-B']) expect(boxes.find((b) => b.id === id)?.lines, `${where}: ${id} on one line`).toBe(1);
            }
          }
        }
        // The room goes away: the QR card stops asking for votes that would fail, and asks again once it is back.
        const label = p.locator('#qr strong');
        const words = dictionary(lang);
        expect(await label.textContent()).toBe(words['overlay.scan']);
        const first = socket!;
        await first.close();
        await expect.poll(() => label.textContent(), { timeout: 5_000, message: 'the QR card saying voting is paused' }).toBe(words['overlay.votingPaused']);
        await expect.poll(() => socket !== first, { timeout: 15_000, message: 'the overlay reconnecting its room socket' }).toBe(true);
        await expect.poll(() => label.textContent(), { timeout: 5_000, message: 'the QR card asking for votes again' }).toBe(words['overlay.scan']);
      } finally {
        await c.close();
      }
    });
  }
});
