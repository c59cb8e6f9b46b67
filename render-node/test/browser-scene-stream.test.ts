/**
 * A stream of the site's /scene page, end to end: the local stack (the Worker, its room and the site) plays a fight;
 * the operator saves a browser screen whose url is the site's /scene and streams it; the render node (`node
 * src/main.ts`, as in production) opens the page in Chromium, which draws the fight from the room's snapshots with
 * the render node's own scene code, and pushes it through the canvas path's encoder to a real RTMP receiver
 * (`ffmpeg -listen`). Two votes land mid-stream: decoded frames show the hit fighter's HP bar full, then shorter,
 * read where the canvas scene draws it (src/scene/layout.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_HP } from '@stream-fighter/core';
import { fightMatchup } from '@stream-fighter/core/fixtures/matchups';
import { LocalSettings } from '@stream-fighter/devstack/stack/settings';
import { startStack, type Stack } from '@stream-fighter/devstack/stack/stack';
import { freePort as freeStackPort } from '@stream-fighter/devstack/stack/free-port';
import { altchaPayload } from '@stream-fighter/devstack/stack/solve-challenge';
import { SHORT_PHASES } from '@stream-fighter/devstack/test-support/short-phases';
import { until } from '@stream-fighter/devstack/test-support/until';
import { LAYOUT, toPixels, type Box } from '../src/scene/layout.ts';
import { ffprobeJson, frameAt, freePort, listenOnce } from './helpers/rtmp.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const MAIN = resolve(import.meta.dirname, '../src/main.ts');
/** The screen's 720p. */
const W = 1280;
const H = 720;
const TITLE = 'Scene page duel';
const BOXES = [toPixels(LAYOUT.hp[0], W), toPixels(LAYOUT.hp[1], W)] as const;

type Poll = { round: { phase: string; hp: Record<string, number>; matchup: { title: string } } };
type Bars = { a: number; b: number };

/**
 * Columns of an HP bar that show the fighter's fill, from its middle rows, as scripts/verify/hud.ts `readHpBar` reads
 * the canvas stream's bar: the dark-red track (#3a0d12) and the white ghost are not fill; the fill is a colour made
 * to read on dark.
 */
function hpFill(rgb: Uint8Array, box: Box): number {
  const s = box.h / LAYOUT.hp[0].h;
  const y0 = box.y + Math.round(13 * s);
  const y1 = box.y + box.h - Math.round(11 * s);
  let fill = 0;
  for (let x = box.x; x < box.x + box.w; x++) {
    let [r, g, b] = [0, 0, 0];
    for (let y = y0; y < y1; y++) {
      const i = (y * W + x) * 3;
      r += rgb[i]!;
      g += rgb[i + 1]!;
      b += rgb[i + 2]!;
    }
    [r, g, b] = [r / (y1 - y0), g / (y1 - y0), b / (y1 - y0)];
    const track = Math.abs(r - 0x3a) + Math.abs(g - 0x0d) + Math.abs(b - 0x12) <= 70;
    const ghost = Math.min(r, g, b) >= 200;
    if (!track && !ghost && (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255 >= 0.2) fill++;
  }
  return fill;
}

const bars = (rgb: Uint8Array): Bars => ({ a: hpFill(rgb, BOXES[0]), b: hpFill(rgb, BOXES[1]) });
const full = (px: number, box: Box) => px >= box.w - 2;
/** Where B's fill ends for `hp` (the scene rounds the same way), give or take the encoder's blur at its edge. */
const showsHp = (px: number, hp: number) => Math.abs(px - Math.round(BOXES[1].w * (hp / MAX_HP))) <= 6;

async function api<T = Record<string, unknown>>(base: string, path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
  const res = await fetch(`${base}${path}`, { ...init, signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) as T };
  } catch {
    throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status}, not JSON: ${text.slice(0, 200)}`);
  }
}

describe('a browser screen showing the site\'s /scene, as the receiver got it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sf-scene-stream-'));
  const file = join(dir, 'out.flv');
  const streamKey = `sf-scene-${Date.now().toString(36)}`;
  let dataDir = '';
  let stack: Stack | undefined;
  let node: ChildProcess | undefined;
  let nodeOut = '';
  /** B's HP the room reported after the votes. */
  let hpB = MAX_HP;

  beforeAll(async () => {
    mkdirSync(join(ROOT, '.data'), { recursive: true });
    dataDir = mkdtempSync(join(ROOT, '.data', 'render-scene-'));
    const settings = LocalSettings.parse({ PORT: await freeStackPort(), NEON_HTTP_PORT: await freeStackPort(), UPSTASH_PORT: await freeStackPort(), DATA_DIR: relative(ROOT, dataDir), LOG_LEVEL: 'warn' });
    // The stack builds the site (web/dist, /scene with it) when its sources changed. A cheap proof of work and no
    // per-address limits: every voter here is 127.0.0.1.
    stack = await startStack(settings, (event, fields = {}) => fields.level === 'error' && console.warn(`[stack] ${event} ${JSON.stringify(fields)}`), {
      ...SHORT_PHASES,
      RATE_LIMIT_IP_PER_10S: '100000',
      SESSIONS_PER_ADDRESS_PER_HOUR: '100000',
      VOTES_PER_ADDRESS_PER_ROUND: '100000',
      ALTCHA_COST: '10',
      ALTCHA_MAX_COUNTER: '40',
    });
  }, 120_000);

  afterAll(async () => {
    // A test that failed midway leaves the node streaming: stopped as Docker would (its FFmpeg and Chromium with it).
    if (node && node.exitCode === null && node.signalCode === null) {
      const gone = new Promise((ok) => node!.once('exit', ok));
      node.kill('SIGTERM');
      await Promise.race([gone, new Promise((ok) => setTimeout(ok, 10_000))]);
      if (node.exitCode === null && node.signalCode === null) node.kill('SIGKILL');
    }
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('streams the page: the fight with both HP bars full, then the hit fighter\'s bar down to its HP after two votes', async () => {
    const base = stack!.api;
    const auth = { authorization: `Bearer ${stack!.operatorToken}`, 'content-type': 'application/json' };

    // Our fight, live: at the head of the queue (the room refills it by itself) when a round is rotated, since the
    // round that follows is fixed when one finishes; a round that had already finished is waited out, then rotated.
    const duel = fightMatchup('Iron Mara', 'Zip Zero', { title: TITLE, stage: 'rooftop', durationSec: 600 });
    let last = '(nothing yet)';
    await until(`"${TITLE}" live in GET /api/poll`, async () => {
      const { round } = (await api<Poll>(base, '/api/poll')).body;
      last = `${round.matchup.title}: ${round.phase}`;
      if (round.matchup.title === TITLE) return round.phase === 'live';
      if (round.phase !== 'live' && round.phase !== 'upcoming') return false;
      const queue = await api<{ queue: Array<{ id: number; matchup: { title: string } }> }>(base, '/api/poll/queue', { headers: auth });
      if (queue.body.queue[0]?.matchup.title !== TITLE) {
        for (const item of queue.body.queue) await api(base, `/api/poll/queue/${item.id}`, { method: 'DELETE', headers: auth });
        const added = await api(base, '/api/poll/queue', { method: 'POST', headers: auth, body: JSON.stringify(duel) });
        if (added.status !== 201) throw new Error(`POST /api/poll/queue: ${added.status} ${JSON.stringify(added.body)}`);
        return false;
      }
      const rotated = await api(base, '/api/poll/rotate', { method: 'POST', headers: auth });
      if (rotated.status !== 200) throw new Error(`POST /api/poll/rotate: ${rotated.status}`);
      return false;
    }, 60_000, 250).catch((e: Error) => {
      throw new Error(`${e.message} (last seen ${last})`);
    });

    // The screen: the site's own /scene (the edge accepts its own origin), in English, for this room.
    const room = stack!.room === 'main' ? '' : `&room=${stack!.room}`;
    const saved = await api(base, '/api/screens', { method: 'POST', headers: auth, body: JSON.stringify({ id: 'scene', renderer: 'browser', url: `${base}/scene?lang=en${room}` }) });
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);

    const rtmpPort = await freePort();
    const receiver = await listenOnce(rtmpPort, `/live/${streamKey}`, file);
    const httpPort = await freePort();
    node = spawn(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH ?? '', LANG: 'en', EDGE_URL: base, RENDERER_TOKEN: stack!.rendererToken, RTMP_URL: `rtmp://127.0.0.1:${rtmpPort}/live`, HTTP_PORT: String(httpPort), FPS: '30' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    node.stdout!.on('data', (d: Buffer) => (nodeOut = (nodeOut + d.toString()).slice(-20_000)));
    node.stderr!.on('data', (d: Buffer) => (nodeOut = (nodeOut + d.toString()).slice(-20_000)));
    const exited = new Promise<number | null>((ok) => node!.once('exit', (code) => ok(code)));
    const nodeApi = `http://127.0.0.1:${httpPort}`;
    await until('the render node connected to the room', async () => {
      const health = await fetch(`${nodeApi}/health`).then((r) => r.json() as Promise<{ room?: { connected?: boolean } }>).catch(() => null);
      return health?.room?.connected;
    }, 30_000, 200);
    const started = await api(base, '/api/stream', { method: 'POST', headers: auth, body: JSON.stringify({ screenId: 'scene', streamKey }) });
    expect(started.status, JSON.stringify(started.body)).toBe(201);

    // What the receiver has so far: the time of the last whole frame in its file and the bars that frame shows. The
    // file, not the page, says when the stream showed what: the encoder may run behind the page.
    const received = async (): Promise<{ t: number; bars: Bars } | null> => {
      try {
        const { frames } = await ffprobeJson(file, ['-select_streams', 'v', '-show_entries', 'frame=pts_time']);
        if (!frames || frames.length < 2) return null;
        const t = Number(frames.at(-2).pts_time);
        return { t, bars: bars(await frameAt(file, t, W, H)) };
      } catch {
        return null; // not written yet, or a frame cut in half at its end
      }
    };
    let seen: { t: number; bars: Bars } | null = null;
    const lastSeen = (e: Error) => {
      throw new Error(`${e.message} (last seen ${JSON.stringify(seen)})\n${nodeOut.slice(-3000)}`);
    };
    await until('the receiver to get the fight with both HP bars full', async () => {
      seen = await received();
      return seen && full(seen.bars.a, BOXES[0]) && full(seen.bars.b, BOXES[1]);
    }, 60_000, 300).catch(lastSeen);
    const fullAt = seen!.t;
    await until('a second more of it in the receiver\'s file', async () => ((seen = await received())?.t ?? 0) >= fullAt + 1, 15_000, 300).catch(lastSeen);

    // Two new voters for A: two hits on B (a tiny crowd's hit is a quarter of the bar at most: no KO).
    for (let i = 0; i < 2; i++) {
      const voted = await api(base, '/api/vote', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ option: 'A', altcha: await altchaPayload(base) }) });
      expect(voted.status, JSON.stringify(voted.body)).toBe(200);
    }
    hpB = (await api<Poll>(base, '/api/poll')).body.round.hp.B!;
    expect(hpB).toBeGreaterThan(0);
    expect(hpB).toBeLessThan(MAX_HP);
    await until(`the receiver to get B's bar at its HP (${hpB})`, async () => {
      seen = await received();
      return seen && showsHp(seen.bars.b, hpB);
    }, 20_000, 300).catch(lastSeen);
    const hitAt = seen!.t;
    await until('a second more of it in the receiver\'s file', async () => ((seen = await received())?.t ?? 0) >= hitAt + 1, 15_000, 300).catch(lastSeen);

    // Stopped by the operator: the node ends the publish, the receiver's file is whole.
    expect((await api(base, `/api/stream?streamKey=${streamKey}`, { method: 'DELETE', headers: auth })).status).toBe(200);
    const got = await receiver.done;
    expect(got.exitCode, got.stderr).toBe(0);
    node.kill('SIGTERM');
    expect(await exited, nodeOut.slice(-3000)).toBe(0);

    const { streams } = await ffprobeJson(file, ['-show_streams']);
    expect(streams.find((s: { codec_type: string }) => s.codec_type === 'video')).toMatchObject({ codec_name: 'h264', width: W, height: H, r_frame_rate: '30/1' });
    expect(streams.find((s: { codec_type: string }) => s.codec_type === 'audio')).toMatchObject({ codec_name: 'aac', channels: 2 });

    // Frames every half second: the fight with both bars full comes first, B's bar down to its HP (A's still full)
    // last, and B's bar never grows back in between.
    const { frames } = await ffprobeJson(file, ['-select_streams', 'v', '-show_entries', 'frame=pts_time']);
    const end = Number(frames.at(-1).pts_time);
    const timeline: Array<Bars & { t: number }> = [];
    for (let t = 0.25; t < end; t += 0.5) timeline.push({ t, ...bars(await frameAt(file, t, W, H)) });
    const said = timeline.map((x) => `${x.t}s A${x.a} B${x.b}`).join(', ');
    const firstFull = timeline.findIndex((x) => full(x.a, BOXES[0]) && full(x.b, BOXES[1]));
    const firstHit = timeline.findIndex((x, i) => i > firstFull && !full(x.b, BOXES[1]));
    expect(firstFull, said).toBeGreaterThanOrEqual(0);
    expect(firstHit, said).toBeGreaterThan(firstFull);
    const after = timeline.slice(firstHit);
    expect(after.every((x, i) => i === 0 || x.b <= after[i - 1]!.b + 2), said).toBe(true);
    const lastFrame = timeline.at(-1)!;
    expect(showsHp(lastFrame.b, hpB), `${said}; B's HP ${hpB}`).toBe(true);
    expect(full(lastFrame.a, BOXES[0]), said).toBe(true);
  }, 150_000);
});
