import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLeaseKeeper } from './lease-keeper.ts';
import { createLogger } from './log.ts';
import { createRelay, type Relay } from './relay.ts';
import { EDGE_DOWN_MS, health, startHealthServer, type Health, type HealthServer } from './health.ts';
import { startFakeEdge, type FakeEdge } from './testing/fake-edge.ts';
import { testSource, type TestSource } from './testing/test-source.ts';
import type { ReporterState } from './status-reporter.ts';

const API_KEY = 'AIzaSy-test-api-key-0123456789';
let edge: FakeEdge;
let relay: Relay;
let server: HealthServer;
let twitch: TestSource;
let youtube: TestSource;
let reporterState: ReporterState;
const startedAt = Date.now();

beforeEach(async () => {
  edge = await startFakeEdge();
  const log = createLogger({ write: () => {}, secrets: [edge.token, API_KEY] });
  relay = createRelay({ edgeUrl: edge.url, token: edge.token, bufferMax: 100, log });
  twitch = testSource('twitch:streamfighter');
  youtube = testSource('youtube:live-chat-1');
  reporterState = { lastOkAt: Date.now(), lastError: null };
  const deps = { sources: [twitch, youtube], relay, reporter: { state: () => reporterState }, startedAt };
  server = await startHealthServer({ host: '127.0.0.1', port: 0, log, health: () => health(deps) });
});
afterEach(async () => {
  relay.stop();
  await server.close();
  await edge.close();
});

const get = async (path = '/health') => {
  const res = await fetch(server.url + path);
  return { status: res.status, body: (await res.json()) as Health };
};

describe('/health', () => {
  it('names the bridge and each source\'s lease; a standby source is no fault, its dropped lines are counted', () => {
    const leases = createLeaseKeeper({ now: () => 0 });
    leases.apply([{ source: 'twitch:streamfighter', ms: 15_000 }], 0);
    const standbyRelay = createRelay({ edgeUrl: edge.url, token: edge.token, bufferMax: 100, log: createLogger({ write: () => {} }), bridge: 'box-b', leases });
    standbyRelay.push('youtube:live-chat-1', { id: 'm1', voter: 'youtube:UC1', name: 'one', line: '!a', at: Date.now() });
    const h = health({ sources: [twitch, youtube], relay: standbyRelay, reporter: { state: () => reporterState }, startedAt, bridge: 'box-b', leases });
    standbyRelay.stop();
    expect(h).toMatchObject({ ok: true, reasons: [], bridge: 'box-b' });
    expect(h.sources[0]).toMatchObject({ source: 'twitch:streamfighter', lease: 'held', leaseMsLeft: 15_000 });
    expect(h.sources[1]).toMatchObject({ source: 'youtube:live-chat-1', lease: 'standby', leaseMsLeft: null, buffered: 0, dropped: { standby: 1 } });
  });

  it('is 200 with each source\'s counts while every source is connected', async () => {
    relay.push('twitch:streamfighter', { id: 'm1', voter: 'twitch:1', name: 'one', line: '!a', at: Date.now() });
    relay.push('twitch:streamfighter', { id: 'm2', voter: 'twitch:2', name: 'two', line: 'hello', at: Date.now() });
    await expect.poll(() => edge.counted.size, { timeout: 5_000, message: 'the vote sent' }).toBe(1);
    const { status, body } = await get();
    expect(status).toBe(200);
    expect(body).toMatchObject({ ok: true, reasons: [] });
    expect(body.sources[0]).toMatchObject({ source: 'twitch:streamfighter', state: 'connected', paused: false, buffered: 0, sent: 1, dropped: { chatter: 1, overflow: 0 }, room: { counted: 1 } });
    expect(body.sources[1]).toMatchObject({ source: 'youtube:live-chat-1', state: 'connected', sent: 0 });
  });

  it('is 503 naming the source that is not connected, unless the operator paused it; secrets scrubbed', async () => {
    youtube.set('error', `GET ${edge.url}/youtube/v3/liveChat/messages?key=${API_KEY} answered 403 quotaExceeded`);
    const down = await get();
    expect(down.status).toBe(503);
    expect(down.body.reasons).toEqual([expect.stringMatching(/^youtube:live-chat-1 is error: .*key=\*\*\* answered 403 quotaExceeded$/)]);
    expect(JSON.stringify(down.body)).not.toContain(API_KEY);

    relay.setPaused(['youtube:live-chat-1']);
    const paused = await get();
    expect(paused.status).toBe(200);
    expect(paused.body.sources[1]).toMatchObject({ state: 'error', paused: true });

    twitch.set('reconnecting');
    expect((await get()).body.reasons).toEqual(['twitch:streamfighter is reconnecting']);
  });

  it('is 503 once the edge has failed votes or status reports for EDGE_DOWN_MS', async () => {
    await edge.down();
    relay.push('twitch:streamfighter', { id: 'm1', voter: 'twitch:1', name: 'one', line: '!a', at: Date.now() });
    await expect.poll(() => relay.edge().failingSince, { timeout: 5_000, message: 'a failed vote request' }).not.toBeNull();
    const deps = { sources: [twitch, youtube], relay, reporter: { state: () => reporterState }, startedAt };
    expect(health(deps).ok).toBe(true);
    const later = Date.now() + EDGE_DOWN_MS;
    expect(health({ ...deps, now: later }).reasons).toEqual([expect.stringMatching(/^the edge has refused or missed votes for \d+ s: fetch failed/)]);

    reporterState = { lastOkAt: Date.now(), lastError: '503 unavailable' };
    expect(health({ ...deps, now: later + 1_000 }).reasons).toContainEqual(expect.stringMatching(/^no status report has reached the edge for 31 s: 503 unavailable$/));
  });

  it('answers other paths and methods with a short JSON error', async () => {
    expect((await fetch(server.url + '/nope')).status).toBe(404);
    const post = await fetch(server.url + '/health', { method: 'POST' });
    expect(post.status).toBe(405);
    expect(await post.json()).toEqual({ error: { code: 'method-not-allowed', message: 'GET only' } });
  });
});
