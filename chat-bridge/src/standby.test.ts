/**
 * Two bridges on one chat against an edge that leases it (testing/fake-edge.ts with `leaseMs`): the relay, the
 * status reporter and the lease keeper together, as main.ts wires them. Leases are short here (400 ms, reports
 * every 50 ms) so a hand-over takes a fraction of a second.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLeaseKeeper, type LeaseKeeper } from './lease-keeper.ts';
import { createLogger } from './log.ts';
import { createRelay, type Relay } from './relay.ts';
import type { ChatLine } from './source.ts';
import { startStatusReporter, type StatusReporter } from './status-reporter.ts';
import { startFakeEdge, type FakeEdge } from './testing/fake-edge.ts';
import { testSource } from './testing/test-source.ts';

const SOURCE = 'twitch:streamfighter';
const LEASE_MS = 400;
const vote = (i: number): ChatLine => ({ id: `msg-${i}`, voter: `twitch:${100_000 + i}`, name: `viewer${i}`, line: '!a', at: 1_760_000_000_000 + i });

interface Bridge {
  name: string;
  relay: Relay;
  reporter: StatusReporter;
  leases: LeaseKeeper;
  logs: Array<{ event: string; [k: string]: unknown }>;
  stop(): void;
}

let edge: FakeEdge;
const bridges: Bridge[] = [];

function bridge(name: string): Bridge {
  const logs: Bridge['logs'] = [];
  const log = createLogger({ write: (l) => logs.push(JSON.parse(l)) });
  const leases = createLeaseKeeper();
  const relay = createRelay({ edgeUrl: edge.url, token: edge.token, bufferMax: 1_000, log, bridge: name, leases });
  const reporter = startStatusReporter({ edgeUrl: edge.url, token: edge.token, sources: [testSource(SOURCE)], relay, log, bridge: name, leases, intervalMs: 50 });
  const b = {
    name,
    relay,
    reporter,
    leases,
    logs,
    stop() {
      reporter.stop();
      relay.stop();
    },
  };
  bridges.push(b);
  return b;
}

/** Every line of the chat reaches every bridge that reads it. */
const say = (from: number, to: number, ...readers: Bridge[]) => {
  for (let i = from; i < to; i++) for (const b of readers) b.relay.push(SOURCE, vote(i));
};
const counts = (b: Bridge) => b.relay.counts().get(SOURCE)!;
const standing = (b: Bridge) => b.leases.standing(SOURCE);
const held = (b: Bridge, what: string) => expect.poll(() => standing(b), { timeout: 5_000, message: `${b.name} to hold the chat: ${what}` }).toBe('held');

beforeEach(async () => {
  edge = await startFakeEdge();
  edge.leaseMs = LEASE_MS;
});
afterEach(async () => {
  for (const b of bridges.splice(0)) b.stop();
  await edge.close();
});

describe('two bridges on one chat', () => {
  it('one relays it; the standby reads it and drops its lines; when the holder stops, the standby takes over after the lease', async () => {
    const a = bridge('bridge-a');
    await held(a, 'alone');
    const b = bridge('bridge-b');
    await expect.poll(() => standing(b), { timeout: 5_000, message: 'bridge-b told it stands by' }).toBe('standby');

    say(0, 100, a, b);
    await expect.poll(() => edge.counted.size, { timeout: 5_000, message: 'the 100 votes counted' }).toBe(100);
    expect(edge.batches.every((x) => x.bridge === 'bridge-a')).toBe(true);
    expect(edge.duplicates).toBe(0);
    expect(edge.notLeased).toEqual([]);
    expect(counts(b)).toMatchObject({ buffered: 0, requests: 0, dropped: { standby: 100 } });
    expect(b.logs).toContainEqual(expect.objectContaining({ event: 'lease.standby', source: SOURCE }));

    // bridge-a stops. bridge-b stands by until a's lease and the margin are over, then relays.
    const stoppedAt = performance.now();
    a.stop();
    await held(b, 'after the holder stopped');
    expect(performance.now() - stoppedAt, 'taken over before the holder’s lease ran out').toBeGreaterThanOrEqual(LEASE_MS - 60);
    say(100, 150, b);
    await expect.poll(() => edge.counted.size, { timeout: 5_000, message: 'the standby’s 50 votes counted' }).toBe(150);
    expect(edge.notLeased).toEqual([]);
    expect(b.logs).toContainEqual(expect.objectContaining({ event: 'lease.held', source: SOURCE }));
  });

  it('a holder cut off from the edge stops relaying when its lease runs out; back, it is a standby and drops what it kept', async () => {
    const a = bridge('bridge-a');
    await held(a, 'alone');
    const b = bridge('bridge-b');
    await expect.poll(() => standing(b), { timeout: 5_000, message: 'bridge-b told it stands by' }).toBe('standby');

    edge.cutOff.add('bridge-a');
    say(0, 20, a, b);
    // Its lease runs out on its own clock: no request after that, whatever it holds.
    await expect.poll(() => standing(a), { timeout: 5_000, message: 'bridge-a’s lease to run out' }).toBe('waiting');
    const tried = counts(a).requests;
    say(20, 40, a, b);
    await held(b, 'after the cut-off holder’s lease');
    say(40, 60, a, b);
    await expect.poll(() => edge.counted.size, { timeout: 5_000, message: 'bridge-b’s 20 votes counted' }).toBe(20);
    expect(counts(a).requests, 'bridge-a sent after its lease ran out').toBe(tried);
    expect(counts(a).buffered, 'kept, not sent, while nobody said whose the chat is').toBe(60);
    expect(a.logs).toContainEqual(expect.objectContaining({ event: 'lease.ran-out', source: SOURCE, level: 'warn' }));

    edge.cutOff.delete('bridge-a');
    await expect.poll(() => standing(a), { timeout: 5_000, message: 'bridge-a told it stands by' }).toBe('standby');
    expect(counts(a)).toMatchObject({ buffered: 0, dropped: { standby: 60 } });
    expect(edge.notLeased, 'a refused batch: bridge-a sent while bridge-b held the chat').toEqual([]);
    expect(edge.batches.every((x) => x.bridge === 'bridge-b')).toBe(true);
  });

  it('sends nothing once its lease has run out, though the edge would take the votes (no report renewed it)', async () => {
    // An edge that counts whatever it is sent: only the bridge's own clock can stop it.
    edge.leaseMs = null;
    const leases = createLeaseKeeper();
    const relay = createRelay({ edgeUrl: edge.url, token: edge.token, bufferMax: 1_000, log: createLogger({ write: () => {} }), bridge: 'bridge-a', leases });
    bridges.push({ name: 'bridge-a', relay, leases, logs: [], reporter: { state: () => ({ lastOkAt: null, lastError: null }), report: async () => {}, stop() {} }, stop: () => relay.stop() });
    leases.apply([{ source: SOURCE, ms: 300 }], leases.now());
    relay.leasesChanged();
    for (let i = 0; i < 10; i++) relay.push(SOURCE, vote(i));
    await expect.poll(() => edge.counted.size, { timeout: 5_000, message: 'the 10 votes sent within the lease' }).toBe(10);
    await expect.poll(() => leases.standing(SOURCE), { timeout: 5_000, message: 'the lease to run out' }).toBe('waiting');
    const requests = relay.counts().get(SOURCE)!.requests;
    for (let i = 10; i < 40; i++) relay.push(SOURCE, vote(i));
    expect(await relay.drain(300), 'votes sent after the lease ran out').toBe(30);
    expect(edge.counted.size).toBe(10);
    expect(relay.counts().get(SOURCE)!.requests).toBe(requests);
  });

  it('a lone bridge whose lease ran out with the edge away keeps the votes and sends them when its lease is back', async () => {
    const a = bridge('bridge-a');
    await held(a, 'alone');
    edge.cutOff.add('bridge-a');
    await expect.poll(() => standing(a), { timeout: 5_000, message: 'bridge-a’s lease to run out' }).toBe('waiting');
    say(0, 30, a);
    expect(counts(a).buffered).toBe(30);
    edge.cutOff.delete('bridge-a');
    await expect.poll(() => edge.counted.size, { timeout: 5_000, message: 'the 30 kept votes counted' }).toBe(30);
    expect(counts(a).dropped.standby).toBe(0);
  });

  it('a batch the room refuses (the lease moved while it was on its way) turns the relay into a standby', async () => {
    const a = bridge('bridge-a');
    await held(a, 'alone');
    a.reporter.stop();
    // The room hands the chat to another bridge; bridge-a has not been told yet.
    edge.holders.set(SOURCE, { bridge: 'bridge-z', until: Date.now() + 60_000 });
    say(0, 5, a);
    await expect.poll(() => standing(a), { timeout: 5_000, message: 'bridge-a to stand by after the refusal' }).toBe('standby');
    say(5, 10, a);
    expect(edge.notLeased.length).toBeGreaterThan(0);
    expect(edge.counted.size).toBe(0);
    expect(counts(a).dropped.standby).toBeGreaterThanOrEqual(5);
    expect(a.logs).toContainEqual(expect.objectContaining({ event: 'relay.not-leased', source: SOURCE }));
  });
});
