/**
 * The render node in-process (startApp) against a fake room (ws) with a stand-in encoder: its URL names the node
 * and its capacity; a leased stream runs while renewed and stops once its lease runs out (no renewal, or the room
 * gone); a renewal brings it back; a list without a lease (an older room) runs as before; STATIC_STREAMS are not
 * leased; each report names the last grant applied, and a stale grant is ignored. The real FFmpeg path is covered by streams-manager.test.ts and main-against-edge.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { defaultScreen, PROTOCOL_VERSION, type ServerMessage, type StreamEntry, type StreamStatus } from '@stream-fighter/core';
import { startApp, type App } from '../../src/service/app.ts';
import type { CreateRenderer, StartStream } from '../../src/service/contracts.ts';
import { createLogger } from '../../src/service/log.ts';
import { testConfig } from './support.ts';
import { until } from '@stream-fighter/devstack/test-support/until';
import { fakeRoom, send } from './fake-room.ts';

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});


const entry = (streamKey: string): StreamEntry => ({ screenId: 'fight', screen: defaultScreen('fight'), streamKey, createdAt: Date.now(), status: null });
/** Grants numbered as the room numbers them: rising, unless a test names an older one. */
let grantSeq = 1_000;
const streamsMsg = (keys: string[], leaseMs?: number, leaseSeq = ++grantSeq): ServerMessage => ({
  type: 'streams',
  v: PROTOCOL_VERSION,
  streams: keys.map(entry),
  ...(leaseMs !== undefined ? { leaseMs, leaseSeq } : {}),
});
const leaseMsg = (keys: string[], leaseMs: number, seq = ++grantSeq): ServerMessage => ({ type: 'lease', v: PROTOCOL_VERSION, keys, leaseMs, seq });

/** The app with an encoder that only records which keys start and stop (at what time), and a renderer that draws nothing. */
async function node(port: number, env: Record<string, string> = {}) {
  const lines: Array<Record<string, unknown>> = [];
  const log = createLogger({ write: (l) => lines.push(JSON.parse(l) as Record<string, unknown>) });
  const running = new Set<string>();
  const events: Array<{ what: 'start' | 'stop'; key: string; at: number }> = [];
  const startStream: StartStream = (opts) => {
    running.add(opts.streamKey);
    events.push({ what: 'start', key: opts.streamKey, at: performance.now() });
    const stats = (): StreamStatus => ({ streamKey: opts.streamKey, state: 'live', fps: 30, speed: 1, droppedFrames: 0, restarts: 0, uptimeSec: 1 });
    return {
      stats,
      latestFrame: () => null,
      stop: async () => {
        running.delete(opts.streamKey);
        events.push({ what: 'stop', key: opts.streamKey, at: performance.now() });
      },
    };
  };
  const createRenderer: CreateRenderer = () => ({ render: () => Buffer.alloc(4), png: async () => Buffer.alloc(0) });
  const model = { advanceTo: () => ({}), applySnapshot: () => true, setConnection: () => {} };
  const app: App = await startApp({
    config: testConfig({ EDGE_URL: `http://127.0.0.1:${port}`, RENDER_NODE_NAME: 'box-a', RENDER_CAPACITY: '4', ...env }),
    log,
    model,
    startStream,
    createRenderer,
    reconnectDelayMs: { min: 50, max: 200 },
  });
  cleanups.push(() => app.stop());
  const stoppedAt = (key: string) => events.find((e) => e.what === 'stop' && e.key === key)?.at;
  const starts = (key: string) => events.filter((e) => e.what === 'start' && e.key === key).length;
  return { app, lines, running, events, stoppedAt, starts };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('render node leases', () => {
  it('names itself and its capacity, and stops a leased stream nobody renews once its lease runs out', async () => {
    const room = await fakeRoom(cleanups);
    const n = await node(room.port, { STATIC_STREAMS: 'fight:sf-static' });
    const ws = await until('the node to connect', () => room.sockets[0], 5_000, 20);
    const url = room.requests[0]!;
    expect(url.searchParams.get('node')).toBe('box-a');
    expect(url.searchParams.get('capacity')).toBe('4');
    expect(url.searchParams.get('role')).toBe('renderer');

    await until('the static stream running', () => n.running.has('sf-static'), 5_000, 20);
    const sentAt = performance.now();
    send(ws, streamsMsg(['sf-leased'], 600));
    await until('the leased stream running', () => n.running.has('sf-leased'), 5_000, 10);
    const stopped = await until('the leased stream to stop after its 600 ms lease', () => n.stoppedAt('sf-leased'), 3_000, 10);
    // Not before its lease ran out; within ~1 s (lease + one 250-ms check + the stop).
    expect(stopped - sentAt).toBeGreaterThanOrEqual(590);
    expect(stopped - sentAt).toBeLessThan(1_100);
    expect(n.lines.filter((l) => l.event === 'lease.expired')).toHaveLength(1);
    // A stream key is never logged in full.
    expect(JSON.stringify(n.lines.filter((l) => l.event === 'lease.expired'))).not.toContain('sf-leased');
    // STATIC_STREAMS are local: no lease, they run on.
    expect(n.running.has('sf-static')).toBe(true);
    await sleep(400);
    expect(n.lines.filter((l) => l.event === 'lease.expired')).toHaveLength(1);

    // A renewal of a key it still holds brings the stream back.
    send(ws, leaseMsg(['sf-leased'], 600));
    await until('the renewed stream running again', () => n.running.has('sf-leased'), 3_000, 10);
    expect(n.starts('sf-leased')).toBe(2);
  });

  it('keeps a stream renewed every 300 ms running, and stops it within its lease once the room is gone', async () => {
    const room = await fakeRoom(cleanups);
    const n = await node(room.port);
    const ws = await until('the node to connect', () => room.sockets[0], 5_000, 20);
    send(ws, streamsMsg(['sf-renewed', 'sf-dropped'], 600));
    const renewals = setInterval(() => send(ws, leaseMsg(['sf-renewed'], 600)), 300);
    cleanups.push(() => clearInterval(renewals));
    await until('both streams running', () => n.running.has('sf-renewed') && n.running.has('sf-dropped'), 5_000, 10);
    // The one the room stops renewing stops; the renewed one runs on, never restarted.
    await until('the unrenewed stream to stop', () => n.stoppedAt('sf-dropped'), 3_000, 10);
    await sleep(1_500);
    expect(n.running.has('sf-renewed')).toBe(true);
    expect(n.starts('sf-renewed')).toBe(1);
    expect(n.stoppedAt('sf-renewed')).toBeUndefined();

    // A partition: the room vanishes, nothing renews, and the node stops publishing when the lease runs out.
    clearInterval(renewals);
    const goneAt = performance.now();
    await room.vanish();
    const stopped = await until('the stream to stop with the room gone', () => n.stoppedAt('sf-renewed'), 3_000, 10);
    expect(stopped - goneAt).toBeLessThan(1_100);
    expect(n.running.size).toBe(0);
  });

  it('runs a list without a lease (an older room) for as long as it is listed, room or not', async () => {
    const room = await fakeRoom(cleanups);
    const n = await node(room.port);
    const ws = await until('the node to connect', () => room.sockets[0], 5_000, 20);
    send(ws, streamsMsg(['sf-old']));
    await until('the stream running', () => n.running.has('sf-old'), 5_000, 10);
    await room.vanish();
    await sleep(1_200);
    expect(n.running.has('sf-old')).toBe(true);
    expect(n.lines.some((l) => l.event === 'lease.expired')).toBe(false);
  });

  it('names in each report the last grant it applied, and ignores a grant numbered below it', async () => {
    const room = await fakeRoom(cleanups);
    const n = await node(room.port);
    const ws = await until('the node to connect', () => room.sockets[0], 5_000, 20);
    const lastSeq = () => room.reports.at(-1)?.leaseSeq;
    await until('a report before any grant', () => room.reports.length >= 1, 5_000, 20);
    expect(room.reports[0]!.leaseSeq).toBeUndefined();

    // A long grant, then a shorter one in its place (what the room sends once a standby joins): both acked in turn.
    send(ws, streamsMsg(['sf-acked'], 3_000, 10));
    await until('the leased stream running', () => n.running.has('sf-acked'), 5_000, 10);
    await until('a report naming the list (grant 10)', () => lastSeq() === 10, 3_000, 20);
    const shortenedAt = performance.now();
    send(ws, leaseMsg(['sf-acked'], 600, 11));
    await until('a report naming the renewal (grant 11)', () => lastSeq() === 11, 3_000, 20);
    const stopped = await until('the stream to stop once grant 11 ran out', () => n.stoppedAt('sf-acked'), 3_000, 10);
    expect(stopped - shortenedAt).toBeLessThan(1_100);

    // An older grant (a reconnect can deliver one late) neither brings the stream back nor is reported.
    send(ws, leaseMsg(['sf-acked'], 600, 9));
    send(ws, streamsMsg(['sf-acked', 'sf-moved'], 600, 8));
    await until('the stale grants logged', () => n.lines.filter((l) => l.event === 'lease.stale').length === 2, 3_000, 10);
    const reportsBefore = room.reports.length;
    await until('a report after the stale grants', () => room.reports.length > reportsBefore, 3_000, 20);
    expect(lastSeq()).toBe(11);
    expect(n.running.size).toBe(0);
    expect(n.starts('sf-acked')).toBe(1);
    expect(n.starts('sf-moved')).toBe(0);

    send(ws, leaseMsg(['sf-acked'], 600, 12));
    await until('the stream back on a newer grant', () => n.running.has('sf-acked'), 3_000, 10);
    await until('a report naming grant 12', () => lastSeq() === 12, 3_000, 20);
  });
});
