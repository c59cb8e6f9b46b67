import { env, runInDurableObject } from 'cloudflare:test';
import type { Snapshot } from '@stream-fighter/core';
import { pollMatchup } from '@stream-fighter/core/fixtures/matchups';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { Arena } from '../src/room/arena.ts';
import type { Relay } from '../src/room/relay.ts';
import { call, nextLiveRound, room, vote, voterToken } from './helpers.ts';
import { connect } from './ws.ts';

type Client = Exclude<Awaited<ReturnType<typeof connect>>, Response>;
type Tunable = { config: { RELAY_AFTER_VIEWERS: number; RELAY_COUNT: number } };

async function join(ip: string): Promise<Client> {
  const c = await connect('', { 'cf-connecting-ip': ip });
  if (c instanceof Response) throw new Error(`upgrade refused: ${c.status}`);
  return c;
}

const states = (c: Client) => c.messages.filter((m) => m.type === 'snapshot') as unknown as Snapshot[];
const total = (s: Snapshot) => Object.values(s.round.votes).reduce<number>((a, b) => a + (b ?? 0), 0);
const withoutClock = ({ now: _now, ...rest }: Snapshot) => rest;

/** The Arena's own viewers, and the relays it feeds. */
const arenaSide = () =>
  runInDurableObject(room(), (arena: Arena) => {
    let viewers = 0;
    for (const _ of arena.getConnections('viewer')) viewers++;
    return { viewers, relays: (arena as unknown as { relays: { inUse: number[] } }).relays.inUse };
  });

const tune = (after: number, count: number) =>
  runInDurableObject(room(), (arena: Arena) => {
    Object.assign((arena as unknown as Tunable).config, { RELAY_AFTER_VIEWERS: after, RELAY_COUNT: count });
  });

const open: Client[] = [];
afterAll(async () => {
  for (const c of open) c.ws.close();
  await tune(5_000, 8);
});

describe('relays', () => {
  it('past the threshold, viewers connect to a relay, which the Arena feeds: they see every state the Arena’s viewers see', async () => {
    await nextLiveRound(pollMatchup(3, 'Relays'));
    // Whatever other tests left connected counts: the threshold is the Arena's viewers now, plus one.
    const before = await arenaSide();
    await tune(before.viewers + 1, 4);
    const here = await join('203.0.113.10');
    open.push(here);
    await here.next('snapshot');
    const relayed = await join('203.0.113.11');
    open.push(relayed);
    await relayed.next('welcome');
    await relayed.next('snapshot');
    const side = await arenaSide();
    expect(side.viewers, 'the second viewer is not on the Arena').toBe(before.viewers + 1);
    expect(side.relays).toHaveLength(1);

    for (let i = 0; i < 4; i++) {
      const res = await vote('ABC'[i % 3]!, await voterToken(`relay-${crypto.randomUUID().slice(0, 12)}`));
      expect(res.status).toBe(200);
      const want = total((await (await call('/api/poll')).json()) as Snapshot);
      await vi.waitFor(
        () => {
          for (const c of [here, relayed]) if (total(states(c).at(-1)!) < want) throw new Error(`both viewers holding ${want} votes`);
        },
        { timeout: 3_000, interval: 20 },
      );
    }
    // Deltas on the relay too, and each state it reached is the Arena's at that seq.
    expect(relayed.raw.some((m) => m.type === 'delta')).toBe(true);
    const arenaStates = new Map(states(here).map((s) => [s.seq, s]));
    let compared = 0;
    for (const s of states(relayed)) {
      const a = arenaStates.get(s.seq);
      if (!a) continue;
      expect(withoutClock(s)).toEqual(withoutClock(a));
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(3);

    // A resync on the relay gets the whole state.
    const heard = relayed.raw.length;
    relayed.ws.send(JSON.stringify({ type: 'resync', v: 1 }));
    await vi.waitFor(() => expect(relayed.raw.slice(heard).some((m) => m.type === 'snapshot')).toBe(true), { timeout: 3_000, interval: 20 });
  });

  it("an address's connections share one relay, and its cap holds there", async () => {
    const before = await arenaSide();
    await tune(Math.max(1, before.viewers), 4);
    const ip = '203.0.113.77';
    const mine: Client[] = [];
    for (let i = 0; i < 32; i++) mine.push(await join(ip));
    open.push(...mine);
    for (const c of mine) await c.next('welcome');
    // None went to the Arena; all to one relay (one more relay in use at most).
    const side = await arenaSide();
    expect(side.viewers).toBe(before.viewers);
    expect(side.relays.length - before.relays.length).toBeLessThanOrEqual(1);
    const over = await join(ip);
    open.push(over);
    await vi.waitFor(() => expect(over.closed?.code).toBe(4029), { timeout: 3_000, interval: 20 });
  });

  it('drops an update older than the last it was fed (calls may overtake each other)', async () => {
    const ns = env.Relay as unknown as DurableObjectNamespace<Relay>;
    const latest = await runInDurableObject(ns.get(ns.idFromName('main.relay.test')), (relay: Relay) => {
      relay.fanout({ whole: '{"seq":10}', delta: null, seq: 10, base: null });
      relay.fanout({ whole: '{"seq":9}', delta: null, seq: 9, base: null });
      return (relay as unknown as { latest: { seq: number; whole: string } }).latest;
    });
    expect(latest).toEqual({ seq: 10, whole: '{"seq":10}' });
  });

  it('a client cannot address a relay itself', async () => {
    const res = await call('/parties/relay/main.relay.0', { headers: { upgrade: 'websocket' } });
    expect(res.status).toBe(404);
  });
});
