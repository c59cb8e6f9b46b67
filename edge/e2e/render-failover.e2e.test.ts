/**
 * Two render boxes on one room, end to end (issue 15, "More than one render box"): the local stack's edge (the
 * room in workerd), two real render nodes (`render-node/src/main.ts`, real FFmpeg; box-a and box-b, capacity 1
 * each) publishing to the local RTMP receiver (node-media-server, in this process, so every publish attempt on a
 * key is seen: rtmp-publishers.ts), and a player that stays on the key (flv-frames.ts). Each box reaches the edge
 * through a TCP proxy of its own, which the partition test cuts.
 *
 * The room's lease times are set to their defaults here (2.5 s with a standby, 5 min alone), so the figures these
 * tests print are what a deployment with default settings gets.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkFfmpeg } from '@stream-fighter/devstack/stack/ffmpeg-check';
import { startRtmpReceiver, type RtmpReceiver } from '@stream-fighter/devstack/stack/rtmp-receiver';
import { watchFlvFrames, type FlvFrameWatch } from '@stream-fighter/devstack/test-support/flv-frames';
import { startRenderNode, type RenderNodeProcess } from '@stream-fighter/devstack/test-support/render-node-process';
import { watchPublishers, type PublishAttempt, type PublisherWatch } from '@stream-fighter/devstack/test-support/rtmp-publishers';
import { startTcpProxy, type TcpProxy } from '@stream-fighter/devstack/test-support/tcp-proxy';
import { until } from '@stream-fighter/devstack/test-support/until';
import { api, freePort, sleep, startE2eStack, type E2eStack } from './support.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const LEASE_MS = 2_500;
const SOLO_LEASE_MS = 300_000;
/** The bar: a stream whose box dies is back at the receiver within this. */
const FAILOVER_BAR_MS = 5_000;
const BOXES = ['box-a', 'box-b'] as const;
type Box = (typeof BOXES)[number];
/** The least CPU a stream can take (two boxes, workerd and this process share 2 cores): 720p is the smallest size. */
const RENDER_ENV = { RENDER_CAPACITY: '1', RESOLUTION: '720p', FPS: '10', VIDEO_BITRATE: '500k' };

let env: E2eStack;
let dataDir: string;
let receiver: RtmpReceiver;
let publishers: PublisherWatch;
let ffmpegPath: string;
const boxes = new Map<Box, RenderNodeProcess>();
const proxies = new Map<Box, TcpProxy>();
const httpPorts = new Map<Box, number>();
const players: FlvFrameWatch[] = [];
/**
 * The measured figures, on the worker's stdout: the run's `silent: 'passed-only'` hides console.log of a passing
 * test, and these figures are the point of a passing one.
 */
const figure = (line: string) => process.stdout.write(`${line}\n`);
/** A worker that dies mid-run must not leave render nodes and their FFmpeg streaming. */
const killAll = () => boxes.forEach((b) => b.kill());

beforeAll(async () => {
  const ffmpeg = checkFfmpeg();
  if (!ffmpeg.ok) throw new Error(`${ffmpeg.problem}; ${ffmpeg.hint}`);
  ffmpegPath = ffmpeg.path;
  process.once('exit', killAll);
  env = await startE2eStack({ RENDER_LEASE_MS: String(LEASE_MS), RENDER_SOLO_LEASE_MS: String(SOLO_LEASE_MS) });
  mkdirSync(join(ROOT, '.data'), { recursive: true });
  dataDir = mkdtempSync(join(ROOT, '.data', 'failover-e2e-'));
  receiver = await startRtmpReceiver({
    rtmpPort: await freePort(),
    previewPort: await freePort(),
    dataDir,
    // "already has a publisher" is an error line: a second publisher refused is worth seeing.
    log: (line, level) => {
      if (level === 'error') console.warn(`[rtmp] ${line}`);
    },
  });
  publishers = watchPublishers();
  const edgePort = Number(new URL(env.stack.api).port);
  for (const name of BOXES) {
    proxies.set(name, await startTcpProxy({ port: edgePort }));
    httpPorts.set(name, await freePort());
    startBox(name);
  }
  await untilConnected(...BOXES);
});

afterAll(async () => {
  players.forEach((p) => p.stop());
  await Promise.all([...boxes.values()].map((b) => b.stop()));
  await Promise.all([...proxies.values()].map((p) => p.close()));
  publishers?.stop();
  await receiver?.close();
  await env?.teardown();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  process.off('exit', killAll);
});

/* ---------------- the pieces ---------------- */

function startBox(name: Box): RenderNodeProcess {
  const box = startRenderNode({
    name,
    edgeUrl: proxies.get(name)!.url,
    rendererToken: env.stack.rendererToken,
    room: env.stack.room,
    rtmpUrl: receiver.rtmpUrl,
    httpPort: httpPorts.get(name)!,
    ffmpegPath,
    env: RENDER_ENV,
  });
  boxes.set(name, box);
  return box;
}

const box = (name: Box) => boxes.get(name)!;
const otherThan = (name: Box): Box => (name === 'box-a' ? 'box-b' : 'box-a');

async function untilConnected(...names: Box[]): Promise<void> {
  for (const name of names) {
    await until(
      `${name} connected to the room (its /health)`,
      async () => {
        if (!box(name).running()) throw new Error(`${name} exited: ${JSON.stringify(box(name).log.slice(-5))}`);
        return (await box(name).health().catch(() => null))?.room?.connected;
      },
      60_000,
      200,
    );
  }
}

const operator = () => ({ authorization: `Bearer ${env.stack.operatorToken}` });

interface Lease {
  renderer: string;
  node: string;
  until: number;
}

async function leaseOf(key: string): Promise<Lease | null> {
  const res = await api(env.stack.api, '/api/stream', { headers: operator() });
  if (res.status !== 200) throw new Error(`GET /api/stream: ${res.status} ${JSON.stringify(res.body)}`);
  const stream = (res.body.streams as Array<{ streamKey: string; lease: Lease | null }>).find((s) => s.streamKey === key);
  return stream?.lease ?? null;
}

async function startStream(key: string): Promise<void> {
  const res = await api(env.stack.api, '/api/stream', {
    method: 'POST',
    headers: { ...operator(), 'content-type': 'application/json' },
    body: JSON.stringify({ screenId: 'fight', streamKey: key }),
  });
  if (res.status !== 201) throw new Error(`POST /api/stream ${key}: ${res.status} ${JSON.stringify(res.body)}`);
}

async function stopStream(key: string): Promise<void> {
  const res = await api(env.stack.api, `/api/stream?streamKey=${key}`, { method: 'DELETE', headers: operator() });
  if (res.status !== 200) throw new Error(`DELETE /api/stream ${key}: ${res.status} ${JSON.stringify(res.body)}`);
}

/** The streams a box runs, by its own /health (keys masked there; this test runs one stream at a time). */
async function streamsOf(name: Box): Promise<string[]> {
  return (await box(name).health()).streams.map((s) => s.state);
}

function player(key: string): FlvFrameWatch {
  const p = watchFlvFrames(receiver.flvUrl(key));
  players.push(p);
  return p;
}

/** A key on one box: the room leased it, frames reach the player, one publisher at the receiver, the other box idle. */
async function onAir(key: string, p: FlvFrameWatch): Promise<{ holder: Box; lease: Lease }> {
  const lease = await until(`a lease on ${key} (GET /api/stream)`, () => leaseOf(key), 15_000, 100);
  expect(BOXES).toContain(lease.node);
  const holder = lease.node as Box;
  await until(`frames of ${key} at the receiver (${p.problem ?? 'no problem reported'})`, () => p.frames.length >= 20, 60_000, 100);
  await until(`${holder} saying its stream is live`, async () => (await streamsOf(holder)).join() === 'live', 20_000, 200);
  expect(publishers.openOn(key), 'one publisher on the key at the receiver').toHaveLength(1);
  expect(await streamsOf(otherThan(holder)), `${otherThan(holder)} runs nothing`).toEqual([]);
  return { holder, lease };
}

/** The next publisher the receiver took on `key` after the first `since` attempts. */
function nextPublisher(key: string, since: number): PublishAttempt | undefined {
  return publishers.on(key).slice(since).find((a) => a.accepted());
}

/* ---------------- the tests ---------------- */

describe('two render boxes, one stream', () => {
  it('a box killed (SIGKILL): the other box has the stream back at the receiver within 5 s', async () => {
    const KEY = 'failover';
    const p = player(KEY);
    await startStream(KEY);
    const { holder, lease } = await onAir(KEY, p);
    const other = otherThan(holder);
    // Both boxes report, so the lease granted is the short one: a dead holder keeps the key at most that long.
    expect(lease.until - Date.now(), 'the lease is the short one (a standby is connected)').toBeLessThanOrEqual(LEASE_MS + 500);

    const since = publishers.on(KEY).length;
    const gone = publishers.openOn(KEY)[0]!;
    const killedAt = Date.now();
    box(holder).kill();
    const taken = await until(`a new publisher of ${KEY} at the receiver after ${holder} was killed`, () => nextPublisher(KEY, since), 20_000, 20);
    const back = await until(`frames of ${KEY} at the receiver from the new publisher`, () => p.firstFrom(taken.startAt), 10_000, 20);
    const movedAt = box(other).event('room.streams', killedAt)?.at;
    const startedAt = box(other).event('stream.started', killedAt)?.at;
    const rel = (t: number | null | undefined) => (t == null ? '?' : `${t - killedAt} ms`);
    const failoverMs = back.at - killedAt;
    figure(
      `[failover] ${holder} killed → ${other}: old publisher closed ${rel(gone.endAt)}, room moved the lease ${rel(movedAt)}, ` +
        `stream started ${rel(startedAt)}, publishing ${rel(taken.startAt)}, first frame at the receiver ${failoverMs} ms (keyframe: ${back.keyframe})`,
    );

    expect(failoverMs, `kill → frames again (bar ${FAILOVER_BAR_MS} ms)`).toBeLessThan(FAILOVER_BAR_MS);
    expect((await leaseOf(KEY))?.node).toBe(other);
    await until(`${other} saying its stream is live`, async () => (await streamsOf(other)).join() === 'live', 10_000, 200);
    expect(publishers.overlapsOn(KEY), 'never two publishers on the key').toEqual([]);
    expect(publishers.on(KEY).every((a) => a.accepted()), 'no publish refused').toBe(true);
  });

  it('a box cut off from the edge but running: it stops publishing when its lease runs out, and only then does the other start', async () => {
    // Both boxes up again: the killed one comes back as the standby.
    const dead = BOXES.find((name) => !box(name).running())!;
    expect(dead, 'a box from the test before is down').toBeDefined();
    await box(dead).stop();
    // A port of its own again: the dead box's may have been taken by anything on the machine since.
    httpPorts.set(dead, await freePort());
    startBox(dead);
    await untilConnected(dead);
    // The key of the test before was renewed with the solo lease while its box was alone. With a standby back, the
    // holder is renewed on the short lease, says it applied it in its next report (leaseSeq), and the room's record
    // is short again: cut off now, it would keep the key off the air for seconds, not RENDER_SOLO_LEASE_MS.
    const old = await until('the record of failover short again', async () => {
      const l = await leaseOf('failover');
      return l && l.until - Date.now() < LEASE_MS + 2_000 && l;
    }, 10_000, 200);
    figure(`[partition] before: 'failover' on ${old.node}, bound until now + ${old.until - Date.now()} ms with ${dead} back as a standby`);
    await stopStream('failover');
    await until('no box running a stream, no publisher on failover', async () => (await streamsOf('box-a')).length + (await streamsOf('box-b')).length === 0 && publishers.openOn('failover').length === 0, 15_000, 200);

    const KEY = 'partition';
    const p = player(KEY);
    await startStream(KEY);
    const { holder: x, lease } = await onAir(KEY, p);
    const y = otherThan(x);
    expect(lease.until - Date.now(), 'the lease is the short one (a standby is connected)').toBeLessThanOrEqual(LEASE_MS + 500);

    const since = publishers.on(KEY).length;
    const xPublish = publishers.openOn(KEY)[0]!;
    const cutAt = Date.now();
    proxies.get(x)!.cut();
    const xStopped = await until(`${x}'s publish of ${KEY} closed at the receiver after the cut`, () => xPublish.endAt, 15_000, 20);
    const taken = await until(`${y} publishing ${KEY} at the receiver after ${x} was cut off`, () => nextPublisher(KEY, since), 20_000, 20);
    const back = await until(`frames of ${KEY} at the receiver from ${y}`, () => p.firstFrom(taken.startAt), 10_000, 20);
    const expired = box(x).event('lease.expired', cutAt);
    const xHealth = await box(x).health();
    const rel = (t: number | null | undefined) => (t == null ? '?' : `${t - cutAt} ms`);
    figure(
      `[partition] ${x} cut off → ${y}: ${x} lease.expired ${rel(expired?.at)}, ${x} stopped (RTMP closed) ${rel(xStopped)}; ` +
        `${y} told ${rel(box(y).event('room.streams', cutAt)?.at)}, ${y} publishing ${rel(taken.startAt)}, first frame ${rel(back.at)}; ` +
        `gap ${taken.startAt - xStopped} ms between the two publishers; ${x} still thinks it is connected: ${xHealth.room.connected}`,
    );

    // X runs on, but publishes nothing; Y has the key; the receiver never had two publishers.
    expect(box(x).running(), `${x} still runs`).toBe(true);
    expect(expired, `${x} logged lease.expired`).toBeDefined();
    expect(xHealth.streams, `${x} runs no stream`).toEqual([]);
    expect(xStopped, `${x} stopped before ${y} started`).toBeLessThanOrEqual(taken.startAt);
    expect(publishers.overlapsOn(KEY), 'never two publishers on the key').toEqual([]);
    expect(publishers.on(KEY).every((a) => a.accepted()), 'no publish refused').toBe(true);
    expect((await leaseOf(KEY))?.node).toBe(y);
    await until(`${y} saying its stream is live`, async () => (await streamsOf(y)).join() === 'live', 10_000, 200);

    // The link comes back (its dead connections reset, so X notices and reconnects): X is a standby, the key stays.
    const healedAt = Date.now();
    proxies.get(x)!.reset();
    proxies.get(x)!.heal();
    await until(`${x} connected to the room again`, () => box(x).event('room.connected', healedAt), 20_000, 100);
    await sleep(LEASE_MS + 1_000);
    expect((await leaseOf(KEY))?.node, 'the key stays with the box that took it').toBe(y);
    expect(await streamsOf(x), `${x} runs nothing after it is back`).toEqual([]);
    expect(publishers.openOn(KEY), 'one publisher on the key').toHaveLength(1);
    expect(publishers.overlapsOn(KEY), 'never two publishers on the key').toEqual([]);
    expect(p.last()!.at, 'frames still arriving').toBeGreaterThan(Date.now() - 1_000);
  });
});
