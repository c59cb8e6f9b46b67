import { env } from 'cloudflare:test';
import type { StreamEntry } from '@stream-fighter/core';
import { describe, expect, it, vi } from 'vitest';
import { call, OPERATOR, postJson } from './helpers.ts';
import { connect } from './ws.ts';

type Client = Exclude<Awaited<ReturnType<typeof connect>>, Response>;
type Streams = { type: 'streams'; streams: StreamEntry[]; leaseMs?: number };

async function renderer(node: string, capacity: number): Promise<Client> {
  const c = await connect(`?role=renderer&token=${env.RENDERER_TOKEN}&node=${node}&capacity=${capacity}`);
  if (c instanceof Response) throw new Error(`renderer refused: ${c.status}`);
  await c.next('welcome');
  return c;
}

/** The streams this renderer was last told it holds. */
const holds = (r: Client) => {
  const last = r.messages.filter((m) => m.type === 'streams').at(-1) as unknown as Streams | undefined;
  return last?.streams.map((s) => s.streamKey).sort() ?? [];
};
const lastLeaseMs = (r: Client) => (r.messages.filter((m) => m.type === 'streams').at(-1) as unknown as Streams | undefined)?.leaseMs;

/** The seq of the last grant this renderer got ('streams' with a lease, or 'lease'), as a render node applies them. */
const lastGrant = (r: Client) => {
  const grants = r.messages.filter((m) => m.type === 'lease' || (m.type === 'streams' && m.leaseSeq !== undefined));
  const last = grants.at(-1);
  return last === undefined ? undefined : ((last.type === 'lease' ? last.seq : last.leaseSeq) as number);
};

/** A status report, acknowledging the last grant (`ack: false`: a node older than acknowledgements). */
const report = (r: Client, keys: string[], ack = true) =>
  r.ws.send(
    JSON.stringify({
      type: 'stream-status',
      v: 1,
      streams: keys.map((streamKey) => ({ streamKey, state: 'live', fps: 30, speed: 1, droppedFrames: 0, restarts: 0, uptimeSec: 1 })),
      ...(ack ? { leaseSeq: lastGrant(r) } : {}),
    }),
  );

async function listed(): Promise<StreamEntry[]> {
  return ((await (await call('/api/stream', { headers: OPERATOR })).json()) as { streams: StreamEntry[] }).streams;
}

async function clearStreams(): Promise<void> {
  for (const s of await listed()) await call(`/api/stream?streamKey=${s.streamKey}`, { method: 'DELETE', headers: OPERATOR });
}

const until = (what: string, check: () => void, timeout = 3_000) => vi.waitFor(check, { timeout, interval: 20 }).catch((e: unknown) => {
  throw new Error(`${what}: ${String(e)}`);
});

describe('render leases', () => {
  it('a renderer alone holds every stream it has room for, on the long lease', async () => {
    await clearStreams();
    const a = await renderer('box-solo', 2);
    await postJson('/api/stream', { screenId: 'fight', streamKey: 'solo-1' }, OPERATOR);
    await until('solo-1 leased to box-solo', () => expect(holds(a)).toEqual(['solo-1']));
    expect(lastLeaseMs(a)).toBe(300_000);
    report(a, ['solo-1']);
    const lease = (await a.next('lease')) as { keys: string[]; leaseMs: number };
    expect(lease).toMatchObject({ keys: ['solo-1'], leaseMs: 300_000 });
    expect((await listed()).find((s) => s.streamKey === 'solo-1')?.lease).toMatchObject({ node: 'box-solo' });
    a.ws.close();
    await clearStreams();
  });

  it('spreads streams by capacity, one holder each; a gone holder’s stream moves after its lease, never before', async () => {
    await clearStreams();
    const a = await renderer('box-a', 1);
    const b = await renderer('box-b', 2);
    for (const key of ['two-1', 'two-2']) expect((await postJson('/api/stream', { screenId: 'fight', streamKey: key }, OPERATOR)).ok).toBe(true);
    // b has more room: the first stream; then a has as much room and fewer streams: the second.
    await until('one stream each', () => {
      expect(holds(b)).toEqual(['two-1']);
      expect(holds(a)).toEqual(['two-2']);
    });
    // Two renderers: the short lease.
    expect(lastLeaseMs(a)).toBe(2_500);
    const byKey = new Map((await listed()).map((s) => [s.streamKey, s.lease?.node]));
    expect(Object.fromEntries(byKey)).toEqual({ 'two-1': 'box-b', 'two-2': 'box-a' });

    // A report from a node that does not hold the stream changes nothing; the holder's report is kept.
    report(b, ['two-1', 'two-2']);
    await b.next('lease');
    const statuses = new Map((await listed()).map((s) => [s.streamKey, s.status?.renderer ?? null]));
    expect(statuses.get('two-2')).toBeNull();
    expect(statuses.get('two-1')).not.toBeNull();

    // a goes. Its stream stays off b until a's lease (2.5 s from its last word) and the 1 s margin are over.
    const goneAt = Date.now();
    a.ws.close();
    const keepReporting = setInterval(() => report(b, holds(b)), 500);
    try {
      await new Promise((r) => setTimeout(r, 1_500));
      expect(holds(b), 'moved before the lease was over').toEqual(['two-1']);
      await until('two-2 moved to box-b', () => expect(holds(b)).toEqual(['two-1', 'two-2']), 5_000);
      const movedAfter = Date.now() - goneAt;
      expect(movedAfter).toBeGreaterThanOrEqual(2_500);
      expect(movedAfter).toBeLessThan(5_000);
    } finally {
      clearInterval(keepReporting);
    }
    // b is alone now: the long lease.
    expect(lastLeaseMs(b)).toBe(300_000);
    b.ws.close();
    await clearStreams();
  });

  it('a lease granted to a node alone turns short once the node has taken a short one: its stream moves in seconds', async () => {
    await clearStreams();
    const first = await renderer('box-first', 1);
    await postJson('/api/stream', { screenId: 'fight', streamKey: 'ack-1' }, OPERATOR);
    await until('ack-1 leased to box-first', () => expect(holds(first)).toEqual(['ack-1']));
    expect(lastLeaseMs(first)).toBe(300_000);
    // A standby joins; both report (each report acknowledging the last grant), so box-first takes the short lease.
    const standby = await renderer('box-standby', 1);
    const reports = [setInterval(() => report(first, holds(first)), 400), setInterval(() => report(standby, holds(standby)), 400)];
    try {
      await until('box-first renewed on the short lease', () => expect((first.messages.filter((m) => m.type === 'lease').at(-1) as { leaseMs?: number } | undefined)?.leaseMs).toBe(2_500));
      await new Promise((r) => setTimeout(r, 1_000));
      const bound = (await listed()).find((s) => s.streamKey === 'ack-1')!.lease!.until;
      expect(bound - Date.now(), 'the record is short again').toBeLessThan(5_000);
      clearInterval(reports[0]);
      const goneAt = Date.now();
      first.ws.close();
      await until('ack-1 moved to box-standby', () => expect(holds(standby)).toEqual(['ack-1']), 6_000);
      expect(Date.now() - goneAt).toBeLessThan(5_000);
    } finally {
      for (const r of reports) clearInterval(r);
    }
    standby.ws.close();
    await clearStreams();
  });

  it('a node that never acknowledges keeps the long lease it was given alone: its stream does not move early', async () => {
    await clearStreams();
    const old = await renderer('box-old', 1);
    await postJson('/api/stream', { screenId: 'fight', streamKey: 'noack-1' }, OPERATOR);
    await until('noack-1 leased to box-old', () => expect(holds(old)).toEqual(['noack-1']));
    const standby = await renderer('box-standby2', 1);
    const reports = [setInterval(() => report(old, holds(old), false), 400), setInterval(() => report(standby, holds(standby)), 400)];
    try {
      await new Promise((r) => setTimeout(r, 1_500));
      const bound = (await listed()).find((s) => s.streamKey === 'noack-1')!.lease!.until;
      expect(bound - Date.now(), 'still the long lease').toBeGreaterThan(200_000);
      clearInterval(reports[0]);
      old.ws.close();
      await new Promise((r) => setTimeout(r, 4_500));
      expect(holds(standby), 'moved while the old node may still publish').toEqual([]);
    } finally {
      for (const r of reports) clearInterval(r);
    }
    standby.ws.close();
    await clearStreams();
  });

  it('a connected renderer that stops reporting loses its streams to one that reports', async () => {
    await clearStreams();
    const quiet = await renderer('box-quiet', 1);
    await postJson('/api/stream', { screenId: 'fight', streamKey: 'quiet-1' }, OPERATOR);
    await until('quiet-1 leased to box-quiet', () => expect(holds(quiet)).toEqual(['quiet-1']));
    const loud = await renderer('box-loud', 1);
    // box-quiet held it alone (the long lease): its lease binds for 5 min even though it is still connected. A
    // stream started while both are live goes on the short lease, and moves when its holder goes quiet.
    await postJson('/api/stream', { screenId: 'fight', streamKey: 'quiet-2' }, OPERATOR);
    await until('quiet-2 leased to box-loud', () => expect(holds(loud)).toEqual(['quiet-2']));
    await call('/api/stream?streamKey=quiet-1', { method: 'DELETE', headers: OPERATOR });
    await until('box-quiet told to stop quiet-1', () => expect(holds(quiet)).toEqual([]));
    const keepReporting = setInterval(() => report(loud, holds(loud)), 500);
    try {
      // box-loud is full; a third renderer that reports takes nothing from box-loud, which is live.
      const spare = await renderer('box-spare', 1);
      const spareReports = setInterval(() => report(spare, holds(spare)), 500);
      try {
        await new Promise((r) => setTimeout(r, 1_000));
        expect(holds(spare)).toEqual([]);
        // Now box-loud goes quiet (still connected): after its lease and the margin, box-spare takes quiet-2.
        clearInterval(keepReporting);
        await until('quiet-2 moved to box-spare', () => expect(holds(spare)).toEqual(['quiet-2']), 6_000);
      } finally {
        clearInterval(spareReports);
        spare.ws.close();
      }
    } finally {
      clearInterval(keepReporting);
    }
    quiet.ws.close();
    loud.ws.close();
    await clearStreams();
  });
});
