import { env, evictDurableObject, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { afterEach, describe, expect, it } from 'vitest';
import { CHAT_FEED_MAX, CHAT_SOURCE_STALE_MS, CHAT_SOURCES_MAX, ChatSourceList, ChatStatusReply, ChatVoteResult, nextAudience, PollResponse, RoundResult, type ChatFeedEntry, type ChatSourceState, type ChatVote, type ChatVoteBatch } from '@stream-fighter/core';
import { fightMatchup, pollMatchup } from '@stream-fighter/core/fixtures/matchups';
import type { Arena } from '../src/room/arena.ts';
import { call, currentPoll, goLive, nextLiveRound, OPERATOR, postJson, room, shiftRoomClock, vote, voterToken } from './helpers.ts';
import { connect } from './ws.ts';

/**
 * Chat votes at the edge: the chat bridge's batches (POST /api/chat/votes) go through the room's ballot box, the
 * same admission as the site's votes, for the round that was live when each line was sent.
 */
const BRIDGE = { authorization: `Bearer ${env.BRIDGE_TOKEN}` };
const run = () => crypto.randomUUID().slice(0, 8);
const codeOf = async (r: Response) => ((await r.json()) as { error?: { code: string; message: string } }).error;

/** One chat line as the bridge relays it: `at` is the platform's timestamp, in the room's clock. */
const line = (voter: string, text: string, at: number, name = voter): ChatVote => ({ id: crypto.randomUUID(), voter: `twitch:${voter}`, name, line: text, at });

async function send(source: string, votes: ChatVote[]): Promise<ChatVoteResult> {
  const res = await postJson('/api/chat/votes', { source, votes } satisfies ChatVoteBatch, BRIDGE);
  if (res.status !== 200) throw new Error(`POST /api/chat/votes: ${res.status} ${await res.text()}`);
  return ChatVoteResult.parse(await res.json());
}

/** The counts of several results, added up. */
function total(results: ChatVoteResult[]): Omit<ChatVoteResult, 'paused'> {
  const sum = { counted: 0, duplicate: 0, stale: 0, ignored: 0, limited: 0 };
  for (const r of results) for (const k of Object.keys(sum) as Array<keyof typeof sum>) sum[k] += r[k];
  return sum;
}

const inBatches = <T>(items: T[], size: number) => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

async function sources(): Promise<ChatSourceList['sources']> {
  const res = await call('/api/chat/sources', { headers: OPERATOR });
  expect(res.status).toBe(200);
  return ChatSourceList.parse(await res.json()).sources;
}

const setPaused = (source: string, paused: boolean) =>
  call(`/api/chat/sources/${source}`, { method: 'PUT', headers: { ...OPERATOR, 'content-type': 'application/json' }, body: JSON.stringify({ paused }) });

/** The chat feed a viewer is sent: the first snapshot of a new connection is the room's state now. */
async function feed(): Promise<ChatFeedEntry[]> {
  const viewer = await connect();
  if (viewer instanceof Response) throw new Error(`viewer refused: ${viewer.status}`);
  const snapshot = await viewer.next('snapshot');
  viewer.ws.close();
  return snapshot.chatFeed as ChatFeedEntry[];
}

/** Holds the room's clock at its time now plus `ms` (the feed counts names per second of the room's clock). */
async function holdClock(ms = 0): Promise<void> {
  await runInDurableObject(room(), (arena: Arena) => {
    const at = arena.now() + ms;
    arena.now = () => at;
  });
}

/** Lets the room's clock run again from where it was held (shiftRoomClock's offset, helpers.ts). */
async function releaseClock(): Promise<void> {
  await runInDurableObject(room(), (arena: Arena) => {
    const a = arena as Arena & { clockOffset?: number };
    a.clockOffset = a.now() - Date.now();
    a.now = () => Date.now() + (a.clockOffset ?? 0);
  });
}

describe('chat votes count once per account per round, through the ballot box', () => {
  it('1,000 accounts with repeated lines, every batch delivered twice: each account counted once', async () => {
    const round = await nextLiveRound(pollMatchup(3));
    const before = await currentPoll();
    const id = run();
    const source = `twitch:c${id}`;
    const options = ['a', 'b', 'c'] as const;
    const firsts = Array.from({ length: 1000 }, (_, i) => line(`${id}n${i}`, `!${options[i % 3]}`, round.liveAt + 1 + i));
    // 200 of them say it again (a second line, a new message id), spread over other batches.
    const repeats = firsts.slice(0, 200).map((v) => ({ ...v, id: crypto.randomUUID(), line: `${v.line} again` }));
    const batches = inBatches([...firsts.slice(0, 400), ...repeats.slice(100), ...firsts.slice(400), ...repeats.slice(0, 100)], 500);
    expect(batches.map((b) => b.length)).toEqual([500, 500, 200]);

    const first = await Promise.all(batches.map((b) => send(source, b)));
    expect(total(first)).toEqual({ counted: 1000, duplicate: 200, stale: 0, ignored: 0, limited: 0 });
    // The bridge restarts and sends everything again: the same lines are the same votes.
    const again = await Promise.all(batches.map((b) => send(source, b)));
    expect(total(again)).toEqual({ counted: 0, duplicate: 1200, stale: 0, ignored: 0, limited: 0 });

    const after = await currentPoll();
    expect(after.round.pollId).toBe(round.pollId);
    for (const [i, o] of (['A', 'B', 'C'] as const).entries()) {
      expect(after.round.votes[o]! - (before.round.votes[o] ?? 0), o).toBe(Math.ceil((1000 - i) / 3));
    }
    expect((await sources()).find((s) => s.source === source)).toMatchObject({ state: 'connected', paused: false, votes: 1000 });
  });

  it('web and chat voters in one round: the tally is the unique voters across both, and so is the audience estimate', async () => {
    const round = (await nextLiveRound(pollMatchup(3))) as Awaited<ReturnType<typeof nextLiveRound>> & { audience: number };
    const id = run();
    const tokens = await Promise.all(Array.from({ length: 30 }, (_, i) => voterToken(`web${id}${i}`)));
    const web = await Promise.all(tokens.map((t) => vote('B', t)));
    expect(web.map((r) => r.status)).toEqual(Array(30).fill(200));
    // A web voter voting again, and a chat account relayed by two sources (the same account id): once each.
    expect((await vote('A', tokens[0])).status).toBe(409);
    expect(await send(`twitch:m${id}`, [line(`${id}x0`, '!c', round.liveAt + 5)])).toMatchObject({ counted: 1 });
    const chat = Array.from({ length: 40 }, (_, i) => line(`${id}x${i}`, '!c', round.liveAt + 10));
    expect(await send(`youtube:m${id}`, [...chat, ...chat.slice(0, 5)])).toEqual({ counted: 39, duplicate: 6, stale: 0, ignored: 0, limited: 0, paused: false });

    const p = await currentPoll();
    expect(p.round.votes).toEqual({ A: 0, B: 30, C: 40 });
    // The round runs its clock out; the next round's audience estimate is made from all 70 voters.
    await shiftRoomClock(p.round.endsAt - p.now + 10);
    const next = (await goLive()) as Awaited<ReturnType<typeof goLive>> & { audience: number };
    const result = RoundResult.parse((await currentPoll()).previous);
    expect(result).toMatchObject({ pollId: round.pollId, totalVotes: 70, outcome: { reason: 'timeout' } });
    expect(next.audience).toBe(nextAudience(round.audience, result));
    expect(next.audience).not.toBe(nextAudience(round.audience, { ...result, totalVotes: 30 }));
  });
});

describe('a chat vote counts for the round live when it was sent, or not at all', () => {
  it('lines stamped before the round went live, or after it ended, are stale and never reach the next round', async () => {
    const r1 = await nextLiveRound(pollMatchup(3));
    const id = run();
    const source = `twitch:r${id}`;
    const early = line(`${id}e`, '!a', r1.liveAt - 1);
    const during = line(`${id}d`, '!a', r1.liveAt + 1);
    // A platform clock ahead of the room's: taken as now, in the live round.
    const ahead = line(`${id}f`, '!b', r1.liveAt + 10 * 60_000);
    expect(await send(source, [early, during, ahead])).toMatchObject({ counted: 2, stale: 1 });

    await call('/api/poll/rotate', { method: 'POST', headers: OPERATOR });
    const late = line(`${id}l`, '!c', r1.liveAt + 2);
    expect(await send(source, [late])).toMatchObject({ counted: 0, stale: 1 });

    const r2 = await goLive();
    expect(r2.pollId).not.toBe(r1.pollId);
    // Lines sent during the first round, arriving now: dropped, not applied to this fight.
    expect(await send(source, [late, { ...during, id: crypto.randomUUID() }, early])).toMatchObject({ counted: 0, stale: 3 });
    expect(Object.values((await currentPoll()).round.votes).every((n) => n === 0)).toBe(true);
    // In the new round the same account votes again, with a line sent in it.
    expect(await send(source, [line(`${id}d`, '!a', r2.liveAt + 1)])).toMatchObject({ counted: 1, stale: 0 });
    const p = await currentPoll();
    expect(p.round.votes.A).toBe(1);
    expect(p.previous).toMatchObject({ pollId: r1.pollId, votes: { A: 1, B: 1, C: 0 } });
  });

  it('a fighter\'s name is a vote for them; lines that name nothing of this round are ignored', async () => {
    const round = await nextLiveRound(fightMatchup('Grizzle', 'Wandering Ronin'));
    const id = run();
    const at = round.liveAt + 1;
    const votes = [
      line(`${id}g1`, '!grizzle', at),
      line(`${id}g2`, '!vote GRIZZLE', at),
      line(`${id}r1`, '!Ronin lets go', at),
      line(`${id}i1`, '!c', at),
      line(`${id}i2`, '!tron', at),
      line(`${id}i3`, 'grizzle', at),
      line(`${id}i4`, '!\u0430', at),
    ];
    expect(await send(`twitch:n${id}`, votes)).toEqual({ counted: 3, duplicate: 0, stale: 0, ignored: 4, limited: 0, paused: false });
    expect((await currentPoll()).round.votes).toEqual({ A: 2, B: 1 });
  });

  it('a banned chat account is ignored: not counted, not on the feed', async () => {
    const round = await nextLiveRound(pollMatchup(3));
    const id = run();
    expect((await call(`/api/voters/twitch:${id}b/ban`, { method: 'POST', headers: OPERATOR })).status).toBe(200);
    expect(await send(`twitch:b${id}`, [line(`${id}b`, '!a', round.liveAt + 1, `banned${id}`)])).toMatchObject({ counted: 0, ignored: 1 });
    expect((await currentPoll()).round.votes.A).toBe(0);
    expect((await feed()).map((e) => e.name)).not.toContain(`banned${id}`);
  });
});

describe('chat sources: status, pause', () => {
  it('keeps each source\'s latest report; one not heard from for 30 s shows as stale', async () => {
    const id = run();
    const status = await postJson('/api/chat/status', { sources: [{ source: `youtube:s${id}`, state: 'error', detail: 'quota exceeded, retrying in 60 s' }, { source: `twitch:s${id}`, state: 'connected' }] }, BRIDGE);
    expect(status.status).toBe(200);
    // A report without a bridge name is the bridge "default" (one older than leases): it holds both, being alone.
    expect(ChatStatusReply.parse(await status.json())).toEqual({ paused: expect.any(Array), leases: [{ source: `youtube:s${id}`, ms: 15_000 }, { source: `twitch:s${id}`, ms: 15_000 }] });
    const mine = async () => (await sources()).filter((s) => s.source.endsWith(`:s${id}`));
    expect(await mine()).toEqual([
      { source: `twitch:s${id}`, state: 'connected', seenAt: expect.any(Number), paused: false, votes: 0, lease: { bridge: 'default', until: expect.any(Number) }, standby: [] },
      { source: `youtube:s${id}`, state: 'error', detail: 'quota exceeded, retrying in 60 s', seenAt: expect.any(Number), paused: false, votes: 0, lease: { bridge: 'default', until: expect.any(Number) }, standby: [] },
    ]);
    await shiftRoomClock(31_000);
    expect((await mine()).map((s) => s.state)).toEqual(['stale', 'stale']);
  });

  it(`keeps at most ${CHAT_SOURCES_MAX} sources: the least recently heard are forgotten`, async () => {
    const id = run();
    const report = (from: number) => ({ sources: Array.from({ length: 32 }, (_, i) => ({ source: `twitch:b${id}-${from + i}`, state: 'connected' as const })) });
    for (const from of [0, 32, 64]) expect((await postJson('/api/chat/status', report(from), BRIDGE)).status).toBe(200);
    const heard = (await sources()).filter((s) => !s.paused);
    expect(heard.length).toBeLessThanOrEqual(CHAT_SOURCES_MAX);
    expect(heard.map((s) => s.source).sort()).toEqual(report(64).sources.map((s) => s.source).sort());
  });

  it('a paused source counts nothing, and stays paused when the room restarts', async () => {
    await goLive();
    const id = run();
    const source = `twitch:p${id}`;
    const paused = await setPaused(source, true);
    expect(paused.status).toBe(200);
    expect(await paused.json()).toEqual({ source: { source, state: 'stale', seenAt: null, paused: true, votes: 0, lease: null, standby: [] } });

    const votes = (liveAt: number) => Array.from({ length: 5 }, (_, i) => line(`${id}v${i}`, '!a', liveAt + 1));
    const nothing = { counted: 0, duplicate: 0, stale: 0, ignored: 0, limited: 0, paused: true };
    expect(await send(source, votes((await currentPoll()).round.liveAt))).toEqual(nothing);
    const status = await postJson('/api/chat/status', { sources: [{ source, state: 'connected' }] }, BRIDGE);
    expect(ChatStatusReply.parse(await status.json()).paused).toContain(source);

    // A restart loses the room's memory (and the tests' shifted clock): the pause is in its storage.
    await evictDurableObject(room());
    expect((await sources()).find((s) => s.source === source)).toMatchObject({ paused: true, votes: 0 });
    const round = await nextLiveRound(pollMatchup(3));
    expect(await send(source, votes(round.liveAt))).toEqual(nothing);
    expect((await currentPoll()).round.votes.A).toBe(0);

    expect((await setPaused(source, false)).status).toBe(200);
    expect(await send(source, votes(round.liveAt))).toMatchObject({ counted: 5, paused: false });
    expect((await sources()).find((s) => s.source === source)).toMatchObject({ state: 'connected', paused: false, votes: 5 });
  });

  it(`refuses a pause past ${CHAT_SOURCES_MAX} paused sources`, async () => {
    const id = run();
    const already = (await sources()).filter((s) => s.paused).length;
    const mine = Array.from({ length: CHAT_SOURCES_MAX - already }, (_, i) => `youtube:q${id}-${i}`);
    for (const s of mine) expect((await setPaused(s, true)).status).toBe(200);
    const over = await setPaused(`youtube:q${id}-over`, true);
    expect(over.status).toBe(409);
    expect((await codeOf(over))?.code).toBe('too-many-sources');
    for (const s of mine) expect((await setPaused(s, false)).status).toBe(200);
    expect((await setPaused(`youtube:q${id}-over`, true)).status).toBe(200);
    expect((await setPaused(`youtube:q${id}-over`, false)).status).toBe(200);
  });
});

describe("chat votes are open only while a chat source is connected (the snapshot's chatOpen)", () => {
  type Viewer = Exclude<Awaited<ReturnType<typeof connect>>, Response>;
  const report = (source: string, state: ChatSourceState) => postJson('/api/chat/status', { sources: [{ source, state }] }, BRIDGE);
  const pollSays = async () => PollResponse.parse(await (await call('/api/poll')).json()).chatOpen;
  const lastSnapshot = (viewer: Viewer) => viewer.messages.filter((m) => m.type === 'snapshot').at(-1);
  /** Until the latest snapshot the viewer got says `open`: the room sent it by itself, nobody asked. */
  const told = (viewer: Viewer, open: boolean, what: string) => expect.poll(() => lastSnapshot(viewer)?.chatOpen, { timeout: 5_000, message: what }).toBe(open);
  /** Until the viewer has the room's latest state: no broadcast is still on its way (throttle.ts sends the last change late). */
  async function settled(viewer: Viewer): Promise<void> {
    const { seq } = await currentPoll();
    await expect.poll(() => lastSnapshot(viewer)?.seq, { timeout: 5_000, message: `the snapshot of seq ${seq}` }).toBe(seq);
  }

  /**
   * A viewer of a room that knows no source (just woken: reports are memory only), its live round a minute long and
   * its queue full, so nothing but chat changes what viewers see for a while.
   */
  async function viewerOfRoomWithoutChat(): Promise<Viewer> {
    // (Only a running room can be evicted: a poll wakes it.)
    await currentPoll();
    await evictDurableObject(room());
    await nextLiveRound(pollMatchup(3));
    for (const m of [pollMatchup(3), pollMatchup(4)]) expect((await postJson('/api/poll/queue', m, OPERATOR)).status).toBe(201);
    const viewer = await connect();
    if (viewer instanceof Response) throw new Error(`viewer refused: ${viewer.status}`);
    expect((await viewer.next('snapshot')).chatOpen).toBe(false);
    await settled(viewer);
    expect(await pollSays()).toBe(false);
    return viewer;
  }

  it('a connected report opens them, a pause closes them, a resume or an error too: each flip goes out at once', async () => {
    const viewer = await viewerOfRoomWithoutChat();
    const source = `twitch:o${run()}`;
    expect((await report(source, 'reconnecting')).status).toBe(200);
    expect(await pollSays()).toBe(false);
    expect((await report(source, 'connected')).status).toBe(200);
    await told(viewer, true, 'a snapshot saying chat votes are open, after the connected report');
    expect(await pollSays()).toBe(true);

    expect((await setPaused(source, true)).status).toBe(200);
    await told(viewer, false, 'a snapshot saying chat votes are closed, after the pause');
    // A paused source still reporting connected opens nothing.
    expect((await report(source, 'connected')).status).toBe(200);
    expect(await pollSays()).toBe(false);
    expect((await setPaused(source, false)).status).toBe(200);
    await told(viewer, true, 'a snapshot saying chat votes are open, after the resume');

    expect((await report(source, 'error')).status).toBe(200);
    await told(viewer, false, 'a snapshot saying chat votes are closed, after the error report');
    expect(await pollSays()).toBe(false);
    viewer.ws.close();
  });

  it('close 30 s after the last word from any source: the room wakes for it and tells its viewers', async () => {
    const viewer = await viewerOfRoomWithoutChat();
    const wake = () => runInDurableObject(room(), async (arena: Arena, state) => ((await state.storage.getAlarm()) ?? Infinity) - arena.now());
    expect((await report(`youtube:o${run()}`, 'connected')).status).toBe(200);
    await told(viewer, true, 'a snapshot saying chat votes are open');

    // 25 s on, an alarm (whatever the room woke for): still open, and the next wake is no later than the moment the
    // source goes stale, though the round ends later and the alerts would look again only in 15 s.
    await shiftRoomClock(CHAT_SOURCE_STALE_MS - 5_000);
    expect(await runDurableObjectAlarm(room())).toBe(true);
    expect(await pollSays()).toBe(true);
    expect(await wake()).toBeLessThanOrEqual(5_000);

    await shiftRoomClock(5_000);
    expect(lastSnapshot(viewer)?.chatOpen, 'nothing sent before the alarm').toBe(true);
    expect(await runDurableObjectAlarm(room())).toBe(true);
    await told(viewer, false, 'a snapshot saying chat votes are closed, sent on the alarm');
    expect(await pollSays()).toBe(false);
    viewer.ws.close();
  });
});

describe('the chat feed on stream', () => {
  afterEach(releaseClock);

  it(`takes at most 3 names a second, shows at most ${CHAT_FEED_MAX}, and never a name the shout-out filter refuses`, async () => {
    const round = await nextLiveRound(pollMatchup(3));
    await holdClock();
    const id = run();
    const source = `twitch:f${id}`;
    const named = (names: string[], tag: string) => names.map((name, i) => line(`${id}${tag}${i}`, `!${'abc'[i % 3]}`, round.liveAt + 1, name));
    // Refused names come first: they take no place on the feed, and are still counted.
    const blocked = ['n4zi_fan', 'evil.com', 'see @me', 'ｅｖｉｌ．ｃｏｍ'];
    const first = await send(source, named([...blocked, 'ann', 'bob', 'cat', 'dan', 'eve'], 'x'));
    expect(first.counted).toBe(9);
    expect((await feed()).map((e) => e.name)).toEqual(['ann', 'bob', 'cat']);
    // The same second: nothing more is shown, though every vote counts.
    expect((await send(source, named(['fay', 'gus'], 'y'))).counted).toBe(2);
    expect((await feed()).map((e) => e.name)).toEqual(['ann', 'bob', 'cat']);

    await holdClock(1_001);
    await send(source, named(['hal', 'ivy', 'jon', 'kim'], 'z'));
    const shown = await feed();
    // Six taken in all, the latest five shown.
    expect(shown.map((e) => e.name)).toEqual(['bob', 'cat', 'hal', 'ivy', 'jon']);
    expect(shown).toHaveLength(CHAT_FEED_MAX);
    expect(shown[2]).toEqual({ name: 'hal', option: 'A', at: expect.any(Number) });
    expect(shown.some((e) => blocked.includes(e.name))).toBe(false);

    // Banned: off the feed at once.
    expect((await call(`/api/voters/twitch:${id}z1/ban`, { method: 'POST', headers: OPERATOR })).status).toBe(200);
    expect((await feed()).map((e) => e.name)).toEqual(['bob', 'cat', 'hal', 'jon']);

    // A new round starts with an empty feed: an option id there means another fighter.
    await releaseClock();
    await nextLiveRound(pollMatchup(3));
    expect(await feed()).toEqual([]);
  });
});

describe('a burst', () => {
  it('5,000 distinct accounts in batches of 500 within 10 s: all counted', async () => {
    const round = await nextLiveRound(pollMatchup(4));
    const before = await currentPoll();
    const id = run();
    const votes = Array.from({ length: 5000 }, (_, i) => line(`${id}k${i}`, `!${'abcd'[i % 4]}`, round.liveAt + 1));
    const started = Date.now();
    const results = await Promise.all(inBatches(votes, 500).map((b) => send(`twitch:k${id}`, b)));
    const ms = Date.now() - started;
    console.log(`5,000 chat votes in 10 batches of 500: ${ms} ms`);
    expect(total(results)).toEqual({ counted: 5000, duplicate: 0, stale: 0, ignored: 0, limited: 0 });
    expect(ms).toBeLessThan(10_000);
    const after = await currentPoll();
    for (const o of ['A', 'B', 'C', 'D'] as const) expect(after.round.votes[o]! - (before.round.votes[o] ?? 0)).toBe(1250);
  });
});

describe('bad input changes nothing', () => {
  const ok = () => ({ source: 'twitch:bad', votes: [line(`bad${run()}`, '!a', Date.now())] });

  it('a missing or wrong bridge token is 401 JSON, on every bridge route; the bridge token opens no operator route', async () => {
    const before = await currentPoll();
    for (const path of ['/api/chat/votes', '/api/chat/status']) {
      for (const auth of [{}, { authorization: 'Bearer wrong-token-0123456789' }, { authorization: `Basic ${env.BRIDGE_TOKEN}` }, OPERATOR]) {
        const res = await postJson(path, path.endsWith('votes') ? ok() : { sources: [] }, auth);
        expect(res.status, `${path} ${JSON.stringify(auth)}`).toBe(401);
        expect((await codeOf(res))?.code).toBe('unauthorized');
      }
    }
    expect((await call('/api/chat/sources', { headers: BRIDGE })).status).toBe(401);
    expect((await call('/api/chat/sources/twitch:bad', { method: 'PUT', headers: { ...BRIDGE, 'content-type': 'application/json' }, body: '{"paused":true}' })).status).toBe(401);
    expect((await currentPoll()).round.votes).toEqual(before.round.votes);
    expect((await sources()).find((s) => s.source === 'twitch:bad')).toBeUndefined();
  });

  it('a malformed body is 400 naming the problem; an oversize one 413', async () => {
    await goLive();
    const before = await currentPoll();
    const good = line(`bad${run()}`, '!a', Date.now());
    const cases: Array<[string, string, string]> = [
      ['{"source":', 'malformed-json', 'not valid JSON'],
      ['[]', 'invalid-body', ''],
      [JSON.stringify({ ...ok(), source: 'irc:chan' }), 'invalid-body', 'source: source must be twitch:<channel>'],
      [JSON.stringify({ ...ok(), votes: [] }), 'invalid-body', 'votes'],
      [JSON.stringify({ ...ok(), votes: Array(501).fill(good) }), 'invalid-body', 'votes'],
      [JSON.stringify({ ...ok(), votes: [{ ...good, voter: 'web:abc' }] }), 'invalid-body', 'votes.0.voter'],
      [JSON.stringify({ ...ok(), votes: [{ ...good, line: `!a ${'x'.repeat(300)}` }] }), 'invalid-body', 'votes.0.line'],
      [JSON.stringify({ ...ok(), votes: [{ ...good, at: -1 }] }), 'invalid-body', 'votes.0.at'],
      [JSON.stringify({ ...ok(), votes: [{ ...good, name: '\ud83d' }] }), 'invalid-body', 'votes.0.name'],
      [JSON.stringify({ ...ok(), weight: 10 }), 'invalid-body', 'weight'],
    ];
    for (const [body, code, says] of cases) {
      const res = await call('/api/chat/votes', { method: 'POST', headers: { ...BRIDGE, 'content-type': 'application/json' }, body });
      expect(res.status, body.slice(0, 80)).toBe(400);
      const error = await codeOf(res);
      expect(error?.code, body.slice(0, 80)).toBe(code);
      expect(error?.message, body.slice(0, 80)).toContain(says);
    }
    const status = await postJson('/api/chat/status', { sources: [{ source: 'twitch:x', state: 'sleeping' }] }, BRIDGE);
    expect(status.status).toBe(400);
    expect((await codeOf(status))?.message).toContain('sources.0.state');

    const huge = await call('/api/chat/votes', { method: 'POST', headers: { ...BRIDGE, 'content-type': 'application/json' }, body: JSON.stringify({ ...ok(), pad: 'x'.repeat(1_100_000) }) });
    expect(huge.status).toBe(413);
    expect((await codeOf(huge))?.code).toBe('body-too-large');

    for (const [path, body, code] of [
      ['/api/chat/sources/irc:chan', '{"paused":true}', 'invalid-id'],
      ['/api/chat/sources/twitch:ok', '{"paused":"yes"}', 'invalid-body'],
      ['/api/chat/sources/twitch:ok', '{"paused":true,"x":1}', 'invalid-body'],
      ['/api/chat/sources/twitch:ok', '', 'malformed-json'],
    ] as const) {
      const res = await call(path, { method: 'PUT', headers: { ...OPERATOR, 'content-type': 'application/json' }, body });
      expect(res.status, `${path} ${body}`).toBe(400);
      expect((await codeOf(res))?.code).toBe(code);
    }
    expect((await currentPoll()).round.votes).toEqual(before.round.votes);
    expect((await sources()).filter((s) => ['twitch:bad', 'twitch:x', 'twitch:ok'].includes(s.source))).toEqual([]);
  });

  it('a percent-encoded source id in the path is the same source', async () => {
    const id = run();
    expect((await setPaused(`twitch%3Ae${id}`, true)).status).toBe(200);
    expect((await sources()).find((s) => s.source === `twitch:e${id}`)?.paused).toBe(true);
    expect((await setPaused(`twitch:e${id}`, false)).status).toBe(200);
  });
});
