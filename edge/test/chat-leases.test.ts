import { env, evictDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { ChatSourceList, ChatStatusReply, ChatVoteResult, type ChatSourceState, type ChatVote, type ChatVoteBatch } from '@stream-fighter/core';
import { pollMatchup } from '@stream-fighter/core/fixtures/matchups';
import { call, currentPoll, nextLiveRound, OPERATOR, postJson, room, shiftRoomClock } from './helpers.ts';

/**
 * Chat bridges leased one per chat source (edge/src/room/chat-leases.ts): two bridges reading one chat, the room
 * lets one relay it and refuses the other's votes, and hands the chat on once the holder has gone quiet for its
 * lease (CHAT_LEASE_MS, 15 s) and the margin (1 s). The room's clock is moved rather than waited for.
 */
const BRIDGE = { authorization: `Bearer ${env.BRIDGE_TOKEN}` };
const LEASE_MS = 15_000;
const MARGIN_MS = 1_000;
const run = () => crypto.randomUUID().slice(0, 8);

async function report(bridge: string, source: string, state: ChatSourceState = 'connected'): Promise<ChatStatusReply> {
  const res = await postJson('/api/chat/status', { bridge, sources: [{ source, state }] }, BRIDGE);
  if (res.status !== 200) throw new Error(`POST /api/chat/status: ${res.status} ${await res.text()}`);
  return ChatStatusReply.parse(await res.json());
}

/** The sources the answer says this bridge holds. */
const holds = (reply: ChatStatusReply) => (reply.leases ?? []).map((l) => l.source);

/** A batch of `n` fresh accounts voting !a, stamped in the live round, from `bridge`. */
async function votes(bridge: string, source: string, n: number): Promise<ChatVoteResult> {
  const { round } = await currentPoll();
  if (round.phase !== 'live') throw new Error(`the round is ${round.phase}, not live`);
  const batch = Array.from({ length: n }, (): ChatVote => {
    const voter = crypto.randomUUID().slice(0, 12);
    return { id: crypto.randomUUID(), voter: `twitch:${voter}`, name: voter, line: '!a', at: round.liveAt + 1 };
  });
  const res = await postJson('/api/chat/votes', { source, bridge, votes: batch } satisfies ChatVoteBatch, BRIDGE);
  if (res.status !== 200) throw new Error(`POST /api/chat/votes: ${res.status} ${await res.text()}`);
  return ChatVoteResult.parse(await res.json());
}

async function view(source: string) {
  const res = await call('/api/chat/sources', { headers: OPERATOR });
  return ChatSourceList.parse(await res.json()).sources.find((s) => s.source === source);
}

const tally = async () => (await currentPoll()).round.votes.A ?? 0;

describe('chat leases: one bridge relays each chat', () => {
  it('two bridges on one chat: one holds it, the other’s votes are refused and not counted; the chat moves only after the quiet holder’s lease and the margin', async () => {
    await nextLiveRound(pollMatchup(3));
    const id = run();
    const [a, b, source] = [`a-${id}`, `b-${id}`, `twitch:l${id}`];

    const first = await report(a, source);
    expect(first.leases).toEqual([{ source, ms: LEASE_MS }]);
    expect(holds(await report(b, source)), 'the second bridge stands by').toEqual([]);
    expect(await view(source)).toMatchObject({ lease: { bridge: a }, standby: [b] });

    const before = await tally();
    expect(await votes(b, source, 5)).toEqual({ counted: 0, duplicate: 0, stale: 0, ignored: 0, limited: 0, paused: false, notLeased: true });
    expect(await tally(), 'the standby’s votes counted').toBe(before);
    expect(await votes(a, source, 5)).toMatchObject({ counted: 5, paused: false });
    expect(await tally()).toBe(before + 5);
    expect((await view(source))?.votes).toBe(5);

    // The holder renews by reporting: 10 s on, still its, for a whole lease again.
    await shiftRoomClock(10_000);
    expect(holds(await report(b, source))).toEqual([]);
    expect((await report(a, source)).leases).toEqual([{ source, ms: LEASE_MS }]);

    // Then a goes quiet. b reports every 5 s: the chat stays a's until its lease and the margin are over.
    for (let t = 5_000; t < LEASE_MS + MARGIN_MS; t += 5_000) {
      await shiftRoomClock(5_000);
      expect(holds(await report(b, source)), `moved ${t} ms after the holder's last report`).toEqual([]);
    }
    await shiftRoomClock(LEASE_MS + MARGIN_MS - 15_000);
    expect((await report(b, source)).leases, 'moved once the lease and margin were over').toEqual([{ source, ms: LEASE_MS }]);
    expect(await view(source)).toMatchObject({ lease: { bridge: b }, standby: [] });

    // The old holder, back, is a standby now: its batch is refused, its report gives it nothing.
    if ((await currentPoll()).round.phase !== 'live') {
      await nextLiveRound(pollMatchup(3));
      expect(holds(await report(b, source))).toEqual([source]);
    }
    const now = await tally();
    expect(await votes(a, source, 3)).toMatchObject({ counted: 0, notLeased: true });
    expect(holds(await report(a, source))).toEqual([]);
    expect(await votes(b, source, 3)).toMatchObject({ counted: 3 });
    expect(await tally()).toBe(now + 3);
  });

  it('a holder whose chat is down is not renewed while another bridge reads it connected: the chat moves to the working one', async () => {
    const id = run();
    const [a, b, source] = [`a-${id}`, `b-${id}`, `youtube:d${id}`];
    expect(holds(await report(a, source))).toEqual([source]);
    expect(holds(await report(b, source))).toEqual([]);
    await shiftRoomClock(5_000);
    // a's connection to the chat drops; b still reads it. a keeps what is left of its lease, no more.
    const down = await report(a, source, 'reconnecting');
    expect(holds(down)).toEqual([source]);
    // (The room's clock runs on between the reports.)
    expect(down.leases![0]!.ms).toBeGreaterThan(LEASE_MS - 5_000 - 1_000);
    expect(down.leases![0]!.ms).toBeLessThanOrEqual(LEASE_MS - 5_000);
    expect(holds(await report(b, source))).toEqual([]);
    await shiftRoomClock(LEASE_MS - 5_000 + MARGIN_MS);
    expect(holds(await report(a, source, 'reconnecting')), 'a bridge whose chat is down holds nothing once its lease is over').toEqual([]);
    expect(holds(await report(b, source))).toEqual([source]);
    // The dashboard shows the holder's state, not the standby's.
    expect(await view(source)).toMatchObject({ state: 'connected', lease: { bridge: b }, standby: [a] });
  });

  it('a restarted room keeps its grants: the standby does not get the chat early', async () => {
    const id = run();
    const [a, b, source] = [`a-${id}`, `b-${id}`, `twitch:r${id}`];
    expect(holds(await report(a, source))).toEqual([source]);
    await evictDurableObject(room());
    expect(holds(await report(b, source)), 'a restarted room handed the chat to the standby').toEqual([]);
    expect(holds(await report(a, source))).toEqual([source]);
    expect(await view(source)).toMatchObject({ lease: { bridge: a } });
  });

  it('a bridge without a name is "default": alone, it holds its chats and its votes count, as before leases', async () => {
    await nextLiveRound(pollMatchup(3));
    const source = `twitch:o${run()}`;
    const res = await postJson('/api/chat/status', { sources: [{ source, state: 'connected' }] }, BRIDGE);
    expect(ChatStatusReply.parse(await res.json()).leases).toEqual([{ source, ms: LEASE_MS }]);
    expect(await view(source)).toMatchObject({ lease: { bridge: 'default' } });
    const { round } = await currentPoll();
    const vote: ChatVote = { id: crypto.randomUUID(), voter: `twitch:${run()}`, name: 'someone', line: '!b', at: round.liveAt + 1 };
    const counted = await postJson('/api/chat/votes', { source, votes: [vote] }, BRIDGE);
    expect(ChatVoteResult.parse(await counted.json())).toMatchObject({ counted: 1 });
    // A named bridge is not "default": it stands by.
    expect(await votes(`n-${run()}`, source, 1)).toMatchObject({ counted: 0, notLeased: true });
  });
});
