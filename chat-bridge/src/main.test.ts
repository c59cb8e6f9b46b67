/**
 * The bridge as a process (`node chat-bridge/src/main.ts`), as the stack and Docker run it: real @twurple/chat and
 * the YouTube client against devstack's local Twitch and YouTube servers, votes relayed to a stand-in for the
 * edge's chat routes, /health, and SIGTERM sending what is still buffered before the exit.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { startFakeTwitchChat, type FakeTwitchChat } from '@stream-fighter/devstack/fakes/twitch-chat';
import { startFakeYouTube, type FakeYouTube } from '@stream-fighter/devstack/fakes/youtube-api';
import { until } from '@stream-fighter/devstack/test-support/until';
import { afterEach, describe, expect, it } from 'vitest';
import type { Health } from './health.ts';
import { startFakeEdge, type FakeEdge } from './testing/fake-edge.ts';

const MAIN = resolve(import.meta.dirname, 'main.ts');
const CHANNEL = 'streamfighter';

let child: ChildProcess | undefined;
let edge: FakeEdge | undefined;
let twitch: FakeTwitchChat | undefined;
let youtube: FakeYouTube | undefined;

afterEach(async () => {
  const c = child;
  if (c && c.exitCode === null && c.signalCode === null) {
    c.kill('SIGKILL');
    await until('the killed bridge to exit', () => c.exitCode !== null || c.signalCode !== null, 5_000);
  }
  child = undefined;
  await Promise.all([edge?.close(), twitch?.close(), youtube?.close()]);
});

function run(env: Record<string, string>) {
  const p = spawn(process.execPath, [MAIN], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const out: string[] = [];
  let err = '';
  createInterface({ input: p.stdout! }).on('line', (l) => out.push(l));
  p.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  let exit: { code: number | null } | null = null;
  p.once('exit', (code) => (exit = { code }));
  /** The exit code, once the process has exited within `ms` (`why` says what was expected of it). */
  const exited = async (why: string, ms: number) => (await until(`the bridge to exit (${why})`, () => exit, ms)).code;
  return { p, out, stderr: () => err, exited };
}

describe('chat bridge process', () => {
  it('refuses to start with exit code 2 and a message naming what is wrong, without the secret', async () => {
    const r = run({ EDGE_URL: 'not a url', BRIDGE_TOKEN: 'short-secret', YOUTUBE_LIVE_CHAT_ID: 'abc' });
    child = r.p;
    expect(await r.exited('a bad setting', 10_000)).toBe(2);
    expect(r.stderr()).toMatch(/EDGE_URL: EDGE_URL must be an http\(s\) URL/);
    expect(r.stderr()).toMatch(/BRIDGE_TOKEN: BRIDGE_TOKEN must be at least 16 characters/);
    expect(r.stderr()).not.toContain('short-secret');
  });

  it('relays Twitch and YouTube chat votes to the edge, reports the chats, and sends what it holds on SIGTERM', async () => {
    edge = await startFakeEdge();
    twitch = await startFakeTwitchChat();
    youtube = await startFakeYouTube({ pollingIntervalMillis: 200, streamHoldMs: 1_000 });
    const r = run({
      EDGE_URL: edge.url,
      BRIDGE_TOKEN: edge.token,
      TWITCH_CHANNELS: CHANNEL,
      TWITCH_IRC_URL: twitch.url,
      YOUTUBE_API_KEY: youtube.apiKey,
      YOUTUBE_LIVE_CHAT_ID: youtube.liveChatId,
      YOUTUBE_API_URL: youtube.url,
      HTTP_PORT: '0',
    });
    child = r.p;
    const ready = await until(`the start.ready line; output: ${r.out.join('\n')}${r.stderr()}`, () => r.out.map((l) => JSON.parse(l) as { event: string; http?: string }).find((l) => l.event === 'start.ready'), 15_000);
    const health = async () => {
      const res = await fetch(`${ready.http}/health`);
      return { status: res.status, body: (await res.json()) as Health };
    };
    const ytSource = `youtube:${youtube.liveChatId}`;
    await until('both chats connected (/health 200)', async () => (await health()).status === 200, 15_000);

    twitch.say(CHANNEL, { userId: '1001', displayName: 'Grizzle_Fan', text: '!a' });
    twitch.say(CHANNEL, { userId: '1002', displayName: 'lurker', text: 'gg' });
    const yt = youtube.post({ channelId: 'UCviewer0000000000000001', displayName: 'yt viewer', text: '!vote b' });
    await until('both votes at the edge', () => edge!.counted.has('twitch:1001') && edge!.counted.has('youtube:UCviewer0000000000000001'), 15_000);
    expect(edge.counted.get('twitch:1001')).toMatchObject({ name: 'Grizzle_Fan', line: '!a' });
    expect(edge.counted.get('youtube:UCviewer0000000000000001')).toMatchObject({ id: yt.id, line: '!vote b', at: Date.parse(yt.snippet.publishedAt) });
    expect(edge.batches.map((b) => b.source).sort()).toEqual([ytSource, `twitch:${CHANNEL}`].sort());
    await until('a status report with both chats connected', () =>
      edge!.reports.some((rep) => rep.sources.length === 2 && rep.sources.every((s) => s.state === 'connected')), 15_000);
    const h = await health();
    expect(h.body.sources.find((s) => s.source === `twitch:${CHANNEL}`)).toMatchObject({ sent: 1, dropped: { chatter: 1 }, room: { counted: 1 } });

    // A slow edge, votes in hand, then SIGTERM: the bridge leaves the chats, waits for the edge, exits 0.
    edge.delayMs = 1_500;
    for (let i = 0; i < 20; i++) twitch.say(CHANNEL, { userId: String(2_000 + i), displayName: `late${i}`, text: '!b' });
    await until('the late votes buffered or in flight', async () => (await health()).body.sources.find((s) => s.source === `twitch:${CHANNEL}`)!.buffered === 20, 10_000);
    r.p.kill('SIGTERM');
    // Within its own bounds: 2 s to leave the chats, 5 s to flush (main.ts), and the process's start-up margin.
    expect(await r.exited('SIGTERM with votes in hand', 15_000)).toBe(0);
    expect([...edge.counted.keys()].filter((v) => v.startsWith('twitch:20'))).toHaveLength(20);
    const events = r.out.map((l) => JSON.parse(l) as { event: string });
    expect(events.map((e) => e.event)).toEqual(expect.arrayContaining(['shutdown.begin', 'shutdown.done']));
    const all = r.out.join('\n') + r.stderr();
    expect(all).not.toContain(edge.token);
    expect(all).not.toContain(youtube.apiKey);
  }, 60_000);
});
