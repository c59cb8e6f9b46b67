/**
 * The relay against a real HTTP server standing in for the edge's chat routes (testing/fake-edge.ts), which
 * parses every batch with the protocol's schema and counts each voter once, as the room does.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHAT_BATCH_MAX, CHAT_BATCH_MAX_BYTES } from '@stream-fighter/core';
import { createLogger } from './log.ts';
import { createRelay, MIN_INTERVAL_MS, type Relay } from './relay.ts';
import type { ChatLine } from './source.ts';
import { startFakeEdge, type FakeEdge } from './testing/fake-edge.ts';

const SOURCE = 'twitch:streamfighter';
const vote = (i: number, line = i % 2 ? '!a' : '!vote b'): ChatLine => ({ id: `msg-${i}`, voter: `twitch:${100_000 + i}`, name: `viewer${i}`, line, at: 1_760_000_000_000 + i });

let edge: FakeEdge;
let relay: Relay;
let logs: Array<{ level: string; event: string; [k: string]: unknown }>;

const start = (bufferMax = 20_000) => {
  relay = createRelay({ edgeUrl: edge.url, token: edge.token, bufferMax, log: createLogger({ write: (l) => logs.push(JSON.parse(l)), secrets: [edge.token] }) });
  return relay;
};
const counts = () => relay.counts().get(SOURCE)!;

beforeEach(async () => {
  edge = await startFakeEdge();
  logs = [];
});
afterEach(async () => {
  relay?.stop();
  await edge.close();
});

describe('relay', () => {
  it('sends a burst of 5,000 votes as 10 batches of 500, none lost, and drops the chatter around them before buffering', async () => {
    start();
    for (let i = 0; i < 5_000; i++) {
      relay.push(SOURCE, vote(i));
      relay.push(SOURCE, { ...vote(i), id: `chat-${i}`, line: i % 2 ? 'gg' : 'hello !a' });
    }
    // All of it arrived in one turn of the event loop: nothing has been sent yet, and the chatter was never buffered.
    expect(counts()).toMatchObject({ buffered: 5_000, dropped: { chatter: 5_000 } });
    await expect.poll(() => edge.counted.size, { timeout: 10_000, message: 'the edge to count 5,000 voters' }).toBe(5_000);
    expect(edge.batches.map((b) => b.votes.length)).toEqual(Array(10).fill(CHAT_BATCH_MAX));
    expect(edge.duplicates).toBe(0);
    expect(edge.batches.flatMap((b) => b.votes).every((v) => v.line === '!a' || v.line === '!vote b')).toBe(true);
    // The edge counts the last batch before its answer reaches the relay: wait for the relay to have read it.
    await expect.poll(() => counts().sent, { timeout: 5_000, message: "the relay to read the last batch's answer" }).toBe(5_000);
    expect(counts()).toMatchObject({ buffered: 0, sent: 5_000, requests: 10, room: { counted: 5_000, duplicate: 0 } });
  });

  it('relays 5,000 accounts voting over 10 s in batches, not a request per line', async () => {
    start();
    // 500 lines a second, in 20-ms ticks of 10, each tick also carrying a repeat of an earlier voter's line.
    const t0 = performance.now();
    for (let tick = 0; tick < 500; tick++) {
      for (let j = 0; j < 10; j++) relay.push(SOURCE, vote(tick * 10 + j));
      if (tick > 0) relay.push(SOURCE, { ...vote((tick - 1) * 10), id: `again-${tick}` });
      const next = t0 + (tick + 1) * 20;
      await new Promise((r) => setTimeout(r, Math.max(0, next - performance.now())));
    }
    await expect.poll(() => edge.counted.size, { timeout: 5_000, message: 'the edge to count 5,000 voters' }).toBe(5_000);
    const seconds = (performance.now() - t0) / 1000;
    // At most one request per MIN_INTERVAL_MS while lines keep coming (plus the last one), each within the cap.
    expect(edge.batches.length).toBeLessThanOrEqual(Math.ceil((seconds * 1000) / MIN_INTERVAL_MS) + 1);
    expect(edge.batches.length).toBeGreaterThan(10);
    expect(Math.max(...edge.batches.map((b) => b.votes.length))).toBeLessThanOrEqual(CHAT_BATCH_MAX);
    expect(edge.duplicates).toBe(499);
    // As above: the edge counts the last batch before its answer reaches the relay (CI saw sent 5,488).
    await expect.poll(() => counts().sent, { timeout: 5_000, message: "the relay to read the last batch's answer" }).toBe(5_499);
    expect(counts()).toMatchObject({ sent: 5_499, room: { counted: 5_000, duplicate: 499 } });
  }, 30_000);

  it('sends a lone vote at once', async () => {
    start();
    await expect.poll(() => edge.batches.length).toBe(0);
    const t0 = performance.now();
    relay.push(SOURCE, vote(1));
    await expect.poll(() => edge.counted.size, { timeout: 2_000, interval: 1, message: 'the vote to reach the edge' }).toBe(1);
    // A generous bound for a shared machine; what it catches is a relay that waits to fill a batch.
    expect(performance.now() - t0).toBeLessThan(250);
  });

  it('keeps a bounded buffer while the edge is down, dropping the oldest, and counts each vote once when it is back', async () => {
    start(1_000);
    await edge.down();
    for (let i = 0; i < 3_000; i++) relay.push(SOURCE, vote(i));
    await expect.poll(() => relay.edge().failingSince, { timeout: 5_000, message: 'the relay to see the edge down' }).not.toBeNull();
    // More votes while it retries: the buffer never holds more than its bound.
    for (let i = 3_000; i < 4_000; i++) relay.push(SOURCE, vote(i));
    expect(counts().buffered).toBeLessThanOrEqual(1_000);
    expect(counts().dropped.overflow).toBe(3_000);
    expect(logs.some((l) => l.event === 'relay.overflow' && l.level === 'warn')).toBe(true);
    expect(logs.some((l) => l.event === 'relay.edge-failing')).toBe(true);

    await edge.up();
    await expect.poll(() => counts().buffered, { timeout: 15_000, message: 'the buffer to empty once the edge is back' }).toBe(0);
    // The newest 1,000 (3,000–3,999), each counted once.
    expect([...edge.counted.keys()].sort()).toEqual(Array.from({ length: 1_000 }, (_, i) => vote(3_000 + i).voter).sort());
    expect(edge.duplicates).toBe(0);
    expect(relay.edge()).toEqual({ failingSince: null, lastError: null });
    expect(logs.some((l) => l.event === 'relay.edge-back')).toBe(true);
  });

  it('re-sends a batch whose answer was lost or refused, and the edge counts each vote once', async () => {
    start();
    edge.loseAnswers = 2;
    for (let i = 0; i < 1_200; i++) relay.push(SOURCE, vote(i));
    await expect.poll(() => edge.batches.length, { timeout: 5_000, message: 'two batches taken and their answers lost' }).toBeGreaterThanOrEqual(2);
    edge.failWith = 503;
    await expect.poll(() => relay.edge().lastError, { timeout: 5_000, message: 'a request answered 503' }).toMatch(/^503/);
    edge.failWith = null;
    await expect.poll(() => counts().buffered, { timeout: 15_000, message: 'every vote answered' }).toBe(0);
    expect(edge.counted.size).toBe(1_200);
    expect(edge.duplicates).toBe(CHAT_BATCH_MAX * 2);
    // The relay saw one answer per vote: the lost answers' votes came back as duplicates of themselves.
    expect(counts().room.counted + counts().room.duplicate).toBe(1_200);
    expect(counts().sent).toBe(1_200);
  });

  it('sends no vote of a paused source, and learns a pause from the edge\'s answer', async () => {
    start();
    relay.setPaused([SOURCE]);
    relay.push(SOURCE, vote(1));
    expect(counts().dropped.paused).toBe(1);
    relay.setPaused([]);
    edge.paused.add(SOURCE);
    relay.push(SOURCE, vote(2));
    await expect.poll(() => relay.isPaused(SOURCE), { timeout: 5_000, message: 'the relay to take the answer\'s pause' }).toBe(true);
    relay.push(SOURCE, vote(3));
    expect(counts().dropped.paused).toBe(2);
    expect(edge.batches.flatMap((b) => b.votes.map((v) => v.id))).toEqual(['msg-2']);
    expect(edge.counted.size).toBe(0);
  });

  it('cuts long names to what the protocol takes and drops lines the vote schema refuses', async () => {
    start();
    relay.push(SOURCE, { ...vote(1), name: 'x'.repeat(63) + '\u{1F44A}' });
    relay.push(SOURCE, { ...vote(2), name: '   ' });
    relay.push(SOURCE, { ...vote(3), voter: 'twitch:12 34' });
    relay.push(SOURCE, { ...vote(4), id: '' });
    await expect.poll(() => edge.counted.size, { timeout: 5_000, message: 'the two valid votes' }).toBe(2);
    const sent = edge.batches.flatMap((b) => b.votes);
    expect(sent.map((v) => v.name)).toEqual(['x'.repeat(63) + '\uFFFD', '100002']);
    expect(counts().dropped.invalid).toBe(2);
    expect(logs.find((l) => l.event === 'relay.invalid-line')).toMatchObject({ source: SOURCE, level: 'warn' });
  });

  it('keeps each batch within the edge\'s body limit, however long the lines are once escaped', async () => {
    start();
    // 200 characters, most of them control characters: six bytes each in JSON.
    const line = '!a ' + '\u0001'.repeat(197);
    for (let i = 0; i < 1_000; i++) relay.push(SOURCE, { ...vote(i), id: `${'\u0002'.repeat(100)}${i}`, name: '\u0003'.repeat(64), line });
    await expect.poll(() => edge.counted.size, { timeout: 10_000, message: 'all 1,000 votes counted' }).toBe(1_000);
    expect(counts().dropped.rejected).toBe(0);
    expect(edge.batches.length).toBeGreaterThan(2);
    for (const b of edge.batches) expect(Buffer.byteLength(JSON.stringify(b))).toBeLessThanOrEqual(CHAT_BATCH_MAX_BYTES);
  });

  it('counts the body around the votes exactly, for a source id at its longest', async () => {
    start();
    const source = `youtube:${'C'.repeat(128)}`;
    const line = '!a ' + '\u0001'.repeat(197);
    // An id `extra` bytes longer once in JSON: control characters take six bytes each, letters one.
    const at = (i: number, extra: number) => ({
      id: `${'\u0002'.repeat(Math.floor(extra / 6))}${'x'.repeat(extra % 6)}${String(i).padStart(4, '0')}`,
      voter: `youtube:UC${String(i).padStart(22, '0')}`,
      name: '\u0003'.repeat(64),
      line,
      at: 1_760_000_000_000 + i,
    });
    // A vote size (comma included) at which the body's size decides the batch (fewer than CHAT_BATCH_MAX votes),
    // and at which counting a short source id's envelope (64 bytes) instead of this one's would fill the batch past
    // the limit: a body the edge refuses (413), every vote in it lost.
    const envelope = Buffer.byteLength(JSON.stringify({ source, votes: [] }));
    const extra = Array.from({ length: 700 }, (_, e) => e).find((e) => {
      const size = Buffer.byteLength(JSON.stringify(at(0, e))) + 1;
      const n = Math.floor((CHAT_BATCH_MAX_BYTES - 64) / size);
      return n < CHAT_BATCH_MAX && envelope - 1 + n * size > CHAT_BATCH_MAX_BYTES;
    });
    expect(extra, 'a vote size that fills a batch to within the envelope of the limit').toBeDefined();
    for (let i = 0; i < 1_000; i++) relay.push(source, at(i, extra!));
    await expect.poll(() => edge.counted.size, { timeout: 10_000, message: 'all 1,000 votes counted' }).toBe(1_000);
    expect(relay.counts().get(source)!.dropped.rejected).toBe(0);
  });

  it('keeps retrying while the edge refuses the token, and never logs the token', async () => {
    relay = createRelay({ edgeUrl: edge.url, token: 'a-wrong-bridge-token-0123', bufferMax: 100, log: createLogger({ write: (l) => logs.push(JSON.parse(l)), secrets: ['a-wrong-bridge-token-0123'] }) });
    relay.push(SOURCE, vote(1));
    await expect.poll(() => counts().requests, { timeout: 5_000, message: 'a retry after the 401' }).toBeGreaterThanOrEqual(2);
    expect(relay.edge().lastError).toMatch(/^401/);
    expect(counts().buffered).toBe(1);
    expect(JSON.stringify(logs)).not.toContain('a-wrong-bridge-token-0123');
  });

  it('drops a batch the edge refuses as malformed instead of re-sending it', async () => {
    start();
    edge.failWith = 422;
    for (let i = 0; i < 3; i++) relay.push(SOURCE, vote(i));
    await expect.poll(() => counts().dropped.rejected, { timeout: 5_000, message: 'the batch refused' }).toBe(3);
    await new Promise((r) => setTimeout(r, 300));
    expect(counts()).toMatchObject({ requests: 1, buffered: 0, sent: 0 });
    expect(relay.edge().failingSince).toBeNull();
    expect(logs.find((l) => l.event === 'relay.batch-rejected')).toMatchObject({ level: 'error', status: 422, votes: 3 });
  });

  it('drains what is buffered before it stops, within a bound', async () => {
    start();
    edge.delayMs = 100;
    for (let i = 0; i < 1_500; i++) relay.push(SOURCE, vote(i));
    expect(await relay.drain(5_000)).toBe(0);
    expect(edge.counted.size).toBe(1_500);
    // An edge that never answers: drain gives up at its bound and says what is left.
    await edge.down();
    relay.push(SOURCE, vote(9_999));
    const t0 = performance.now();
    expect(await relay.drain(300)).toBe(1);
    expect(performance.now() - t0).toBeLessThan(1_000);
  });

  it('takes turns between sources, one source per batch', async () => {
    start();
    for (let i = 0; i < 700; i++) {
      relay.push(SOURCE, vote(i));
      relay.push('youtube:live-chat-1', { ...vote(10_000 + i), voter: `youtube:UC${i}` });
    }
    await expect.poll(() => edge.counted.size, { timeout: 5_000, message: 'both sources\' votes' }).toBe(1_400);
    expect(edge.batches.map((b) => b.source).slice(0, 2).sort()).toEqual([SOURCE, 'youtube:live-chat-1']);
    for (const b of edge.batches) expect(b.votes.every((v) => v.voter.startsWith(b.source.split(':')[0]!))).toBe(true);
  });
});
