/**
 * The announcer against a real WebSocket server standing in for the room's viewer socket: snapshots made by the
 * core's own rules (core/fixtures), announcements through a source's `say`.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { fightMatchup, pollMatchup } from '@stream-fighter/core/fixtures/matchups';
import { liveRound, snapshot } from '@stream-fighter/core/fixtures/rounds';
import type { Matchup, Snapshot } from '@stream-fighter/core';
import { translator } from '@stream-fighter/view/words';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { announcement, startAnnouncer } from './announce.ts';
import { createLogger } from './log.ts';
import { testSource, type TestSource } from './testing/test-source.ts';

let wss: WebSocketServer;
let announcer: { stop(): void } | undefined;
let logs: Array<{ event: string; [k: string]: unknown }>;
let seq = 0;

beforeEach(async () => {
  wss = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/parties/arena/main' });
  await once(wss, 'listening');
  logs = [];
});
afterEach(async () => {
  announcer?.stop();
  for (const c of wss.clients) c.terminate();
  await new Promise((r) => wss.close(r));
});

const edgeUrl = () => `http://127.0.0.1:${(wss.address() as AddressInfo).port}`;
/** A snapshot of a live round of `m` with `leftMs` on its clock, sent to every connected page. */
const live = (m: Matchup, pollId: string, leftMs = 60_000): Snapshot => {
  const r = { ...liveRound(m, Date.now()), pollId };
  const s = snapshot({ ...r, endsAt: Date.now() + leftMs }, ++seq, Date.now());
  for (const c of wss.clients) c.send(JSON.stringify(s));
  return s;
};
const start = (sources: TestSource[], minIntervalMs: number, mayAnnounce?: (source: string) => boolean) => {
  announcer = startAnnouncer({ edgeUrl: edgeUrl(), room: 'main', lang: 'en', sources, minIntervalMs, log: createLogger({ write: (l) => logs.push(JSON.parse(l)), level: 'debug' }), ...(mayAnnounce ? { mayAnnounce } : {}) });
};
const connected = () => expect.poll(() => wss.clients.size, { timeout: 5_000, message: 'the announcer to connect to the room' }).toBe(1);

describe('announcer', () => {
  it('words a fight and a poll with their commands, in the stream\'s language', () => {
    const fight = liveRound(fightMatchup('Iron Mara', 'Zip Zero'));
    expect(announcement(fight, translator('en'))).toBe(`${fight.matchup.title}: type !a / !b in chat to vote`);
    const poll = liveRound(pollMatchup(4, 'Best snack'));
    expect(announcement(poll, translator('es'))).toBe('Best snack: escribe !a–!d en el chat para votar');
  });

  it('posts once per round in each chat that can post, never closer than the interval, and skips late rounds', async () => {
    const bot = testSource('twitch:streamfighter', 'connected', { canSay: true });
    const readOnly = testSource('youtube:live-chat-1');
    start([bot, readOnly], 400);
    await connected();

    live(fightMatchup('Iron Mara', 'Zip Zero'), 'poll-1');
    await expect.poll(() => bot.said.length, { timeout: 5_000, message: 'the first announcement' }).toBe(1);
    expect(bot.said[0]).toMatch(/: type !a \/ !b in chat to vote$/);
    // The same round again (every snapshot repeats it), then a new one inside the interval: nothing more.
    live(fightMatchup('Iron Mara', 'Zip Zero'), 'poll-1');
    live(pollMatchup(3), 'poll-2');
    await expect.poll(() => logs.some((l) => l.event === 'announce.skipped' && l.pollId === 'poll-2'), { timeout: 5_000, message: 'poll-2 skipped' }).toBe(true);
    expect(bot.said).toHaveLength(1);

    await new Promise((r) => setTimeout(r, 450));
    live(pollMatchup(3, 'Late one'), 'poll-3', 5_000);
    live(pollMatchup(3, 'Best snack'), 'poll-4');
    await expect.poll(() => bot.said.length, { timeout: 5_000, message: 'the announcement after the interval' }).toBe(2);
    expect(bot.said[1]).toBe('Best snack: type !a–!c in chat to vote');
  });

  it('announces only in the chats whose lease this bridge holds: a standby stays quiet until it takes over', async () => {
    const mine = testSource('twitch:mine', 'connected', { canSay: true });
    const theirs = testSource('twitch:theirs', 'connected', { canSay: true });
    const held = new Set(['twitch:mine']);
    start([mine, theirs], 0, (s) => held.has(s));
    await connected();
    live(fightMatchup(), 'poll-1');
    await expect.poll(() => mine.said.length, { timeout: 5_000, message: 'the announcement in the held chat' }).toBe(1);
    expect(theirs.said).toEqual([]);
    expect(logs).toContainEqual(expect.objectContaining({ event: 'announce.standby', source: 'twitch:theirs', pollId: 'poll-1' }));
    held.add('twitch:theirs');
    live(pollMatchup(3), 'poll-2');
    await expect.poll(() => theirs.said.length, { timeout: 5_000, message: 'the announcement once the lease is held' }).toBe(1);
  });

  it('reconnects to the room when the socket drops', async () => {
    const bot = testSource('twitch:streamfighter', 'connected', { canSay: true });
    start([bot], 0);
    await connected();
    for (const c of wss.clients) c.terminate();
    await expect.poll(() => logs.some((l) => l.event === 'announce.room-lost'), { timeout: 5_000, message: 'the drop noticed' }).toBe(true);
    await connected();
    live(fightMatchup(), 'poll-9');
    await expect.poll(() => bot.said.length, { timeout: 5_000, message: 'an announcement after the reconnect' }).toBe(1);
  });

  it('says so when no chat can post, and stays off the room', async () => {
    start([testSource('youtube:live-chat-1')], 0);
    expect(logs.map((l) => l.event)).toEqual(['announce.no-chat-can-post']);
    await new Promise((r) => setTimeout(r, 100));
    expect(wss.clients.size).toBe(0);
  });
});
