/**
 * Chat votes end to end, every piece real: the local stack's edge (the Arena room in workerd), the local Twitch
 * chat server and YouTube Data API server (devstack/src/fakes), and the chat bridge as a process
 * (chat-bridge/src/main.ts, started as `npm start` starts it) reading them with @twurple/chat and its YouTube client.
 * The tests run in order against one stack and one bridge; each puts its own round live.
 *
 * Twitch never replays chat: a line said while the bridge is off the chat is missed. So what a round must count
 * is worked out from what the local Twitch server says it handed to a client joined to the channel (`delivered`),
 * and lines are said only when the bridge is settled in the channel or plainly gone from it, never while it is
 * leaving on its own (a RECONNECT), when a line could be handed over and then dropped by the client.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ChatSourceList, PollResponse, type Matchup, type OptionId, type RoundState } from '@stream-fighter/core';
import { fightMatchup, pollMatchup } from '@stream-fighter/core/fixtures/matchups';
import { startFakeTwitchChat, type FakeTwitchChat } from '@stream-fighter/devstack/fakes/twitch-chat';
import { startFakeYouTube, type FakeYouTube } from '@stream-fighter/devstack/fakes/youtube-api';
import { chatBridgeProcess, linesTaken, type ChatBridgeProcess } from '@stream-fighter/devstack/test-support/chat-bridge-process';
import { until } from '@stream-fighter/devstack/test-support/until';
import { account, form, NOT_COMMANDS, tallyOf, TwitchLedger, UNKNOWN_OPTIONS } from './chat-lines.ts';
import { api, postJson, queueAndRotate, startE2eStack, voteAsNewVoter, waitUntilLive, type E2eStack } from './support.ts';

const CHANNEL = 'streamfighter';
const TWITCH = `twitch:${CHANNEL}`;
/** How long the local Twitch server keeps a socket open after its RECONNECT (Twitch's own is longer). */
const RECONNECT_GRACE_MS = 300;

let env: E2eStack;
let twitch: FakeTwitchChat;
let youtube: FakeYouTube;
let bridge: ChatBridgeProcess;
let YOUTUBE: string;

beforeAll(async () => {
  // A cheap proof of work: the mixed round's web voters solve one each, as the vote page does.
  env = await startE2eStack({ ALTCHA_COST: '10', ALTCHA_MAX_COUNTER: '40' });
  twitch = await startFakeTwitchChat({ reconnectGraceMs: RECONNECT_GRACE_MS });
  // Streams held 1 s instead of YouTube's ~10 s, so a quota error shows within a second or two.
  youtube = await startFakeYouTube({ streamHoldMs: 1_000 });
  YOUTUBE = `youtube:${youtube.liveChatId}`;
  bridge = await chatBridgeProcess({
    edgeUrl: env.stack.api,
    bridgeToken: env.stack.bridgeToken,
    env: {
      TWITCH_CHANNELS: CHANNEL,
      TWITCH_IRC_URL: twitch.url,
      YOUTUBE_API_KEY: youtube.apiKey,
      YOUTUBE_LIVE_CHAT_ID: youtube.liveChatId,
      YOUTUBE_API_URL: youtube.url,
      LOG_LEVEL: 'warn',
    },
  });
  await bridge.start();
  await untilSettled(Date.now());
});

afterAll(async () => {
  await bridge?.stop();
  await Promise.all([twitch?.close(), youtube?.close()]);
  await env?.teardown();
});

/* ---------------- the stack ---------------- */

const operator = () => ({ authorization: `Bearer ${env.stack.operatorToken}` });
const title = (what: string) => `Chat ${what} ${randomBytes(3).toString('hex')}`;

async function poll(): Promise<PollResponse> {
  const res = await api(env.stack.api, '/api/poll');
  return PollResponse.parse(res.body);
}

async function chatSources(): Promise<ChatSourceList['sources']> {
  const res = await api(env.stack.api, '/api/chat/sources', { headers: operator() });
  if (res.status !== 200) throw new Error(`GET /api/chat/sources: ${res.status} ${JSON.stringify(res.body)}`);
  return ChatSourceList.parse(res.body).sources;
}

async function goLive(matchup: Matchup): Promise<RoundState> {
  await queueAndRotate(env.stack.api, env.stack.operatorToken, matchup);
  return waitUntilLive(env.stack.api, matchup.title);
}

/** The bridge in the channel, alone, and saying so; not before `notBefore` (a RECONNECTed socket is closed by then). */
async function untilSettled(notBefore: number): Promise<void> {
  await until(
    `the chat bridge in #${CHANNEL} again: one client joined, /health saying connected`,
    async () => Date.now() >= notBefore && twitch.clients() === 1 && twitch.joined(CHANNEL) && (await bridge.source(TWITCH)).state === 'connected',
    15_000,
  );
}

/**
 * Until the bridge has taken `lines` more lines of `source` than `from` (a linesTaken reading) and holds no vote
 * unanswered: from then on the room has applied everything it was sent.
 */
async function untilTaken(source: string, from: number, lines: number, what: string): Promise<void> {
  await vi.waitFor(
    async () => {
      const s = await bridge.source(source);
      const got = linesTaken(s) - from;
      if (got !== lines || s.buffered > 0) throw new Error(`the bridge took ${got} of ${lines} lines of ${source} (${what}) and holds ${s.buffered} votes unanswered, after 20 s`);
    },
    { timeout: 20_000, interval: 50 },
  );
}

const taken = async (source: string) => linesTaken(await bridge.source(source));

/* ---------------- the tests ---------------- */

let r1: RoundState;
let ledger1: TwitchLedger;
let mixed: { round: RoundState; tally: Partial<Record<OptionId, number>> };

describe('chat votes through the real chat bridge', () => {
  it('Twitch: 1,000 accounts with repeats, a RECONNECT and a dropped socket: each account whose line reached the bridge counts once; nothing else counts', async () => {
    r1 = await goLive(pollMatchup(3, title('Twitch'), { durationSec: 600 }));
    const chat = (ledger1 = new TwitchLedger(twitch, CHANNEL));
    /** Accounts `from`..`to`-1 vote; some type two or three lines, some lines are handed out twice, some start with a command for no option. */
    const crowd = (from: number, to: number) => {
      for (let i = from; i < to; i++) {
        if (i % 25 === 4) chat.say(account(i), '!d', null);
        const first = chat.say(account(i), ...form(i));
        if (i % 10 === 1) chat.say(account(i), ...form(i, 1));
        if (i % 10 === 2) {
          chat.say(account(i), ...form(i, 2));
          chat.say(account(i), ...form(i, 5));
        }
        if (i % 10 === 3) chat.again(first);
      }
    };

    // Settled in the channel: 400 voters, and accounts of their own saying everything that is not a vote.
    let mark = chat.said.length;
    let from = await taken(TWITCH);
    crowd(0, 400);
    [...NOT_COMMANDS, ...UNKNOWN_OPTIONS].forEach((text, j) => chat.say(String(9_000_000 + j), text, null));
    expect(chat.delivered(mark), 'every line said while the bridge is in the channel is handed to it').toHaveLength(chat.said.length - mark);
    await untilTaken(TWITCH, from, chat.said.length - mark, 'the first 400 voters and the lines that are not votes');

    // Twitch's RECONNECT: the bridge leaves and joins again; then 300 more voters.
    let t = Date.now();
    twitch.reconnectAll();
    await untilSettled(t + RECONNECT_GRACE_MS + 50);
    mark = chat.said.length;
    from = await taken(TWITCH);
    crowd(400, 700);
    await untilTaken(TWITCH, from, chat.delivered(mark).length, 'the 300 voters after the RECONNECT');

    // The socket cut without a word: 100 accounts speak while the bridge is gone, and are missed.
    t = Date.now();
    twitch.dropAll();
    mark = chat.said.length;
    crowd(700, 800);
    expect(chat.delivered(mark), 'no line reaches a bridge whose socket was cut').toHaveLength(0);
    await untilSettled(t + 100);
    // Back: half of the missed accounts say it again, and 200 new ones vote.
    mark = chat.said.length;
    from = await taken(TWITCH);
    crowd(700, 750);
    crowd(800, 1_000);
    expect(chat.delivered(mark), 'every line said after the bridge is back is handed to it').toHaveLength(chat.said.length - mark);
    await untilTaken(TWITCH, from, chat.said.length - mark, 'the voters after the dropped socket');

    const voters = chat.voters();
    expect(voters.size).toBe(950);
    const { round } = await poll();
    expect(round.pollId).toBe(r1.pollId);
    expect(round.votes).toEqual(tallyOf(r1, voters));
    // What the room made of each line, from the bridge's side: every vote line answered, each account counted once.
    const delivered = chat.delivered();
    const voteLines = delivered.filter((s) => s.vote).length;
    const s = await bridge.source(TWITCH);
    expect(s.room).toEqual({ counted: 950, duplicate: voteLines - 950, stale: 0, ignored: delivered.filter((d) => UNKNOWN_OPTIONS.includes(d.text)).length, limited: 0 });
    expect(s.dropped).toEqual({ chatter: NOT_COMMANDS.length, invalid: 0, paused: 0, overflow: 0, rejected: 0, standby: 0 });
    // The bridge reports its sources every 5 s: the room hears of the reconnection on its next report.
    const listed = await until(
      'the room to list the Twitch source as connected (the bridge reports every 5 s)',
      async () => (await chatSources()).find((x) => x.source === TWITCH && x.state === 'connected'),
      12_000,
      250,
    );
    expect(listed).toMatchObject({ state: 'connected', paused: false, votes: 950 });
  }, 60_000);

  it('a bridge killed mid-round and started again, the same lines handed to it again: each account still counts once', async () => {
    const chat = ledger1;
    // 100 new voters, and the bridge killed at once: their votes are read, in flight or lost, depending on the instant.
    const mark = chat.said.length;
    for (let i = 1_000; i < 1_100; i++) {
      const first = chat.say(account(i), ...form(i));
      if (i % 3 === 0) chat.say(account(i), ...form(i, 1));
      if (i % 4 === 0) chat.again(first);
    }
    expect(chat.delivered(mark)).toHaveLength(chat.said.length - mark);
    await bridge.kill();
    await bridge.start();
    await untilSettled(Date.now());

    // Everything the first bridge was handed this round, handed to the new one: same ids, same timestamps.
    const replay = chat.delivered();
    for (const s of replay) chat.again(s);
    await untilTaken(TWITCH, 0, replay.length, 'the whole round said again');

    const voters = chat.voters();
    expect(voters.size).toBe(1_050);
    const { round } = await poll();
    expect(round.pollId).toBe(r1.pollId);
    expect(round.votes).toEqual(tallyOf(r1, voters));
    const s = await bridge.source(TWITCH);
    // Only the last 100 accounts could still be new to the room; everything else is a repeat (or, past the per-voter limit, refused).
    expect(s.room.counted).toBeLessThanOrEqual(100);
    expect(s.room.counted + s.room.duplicate + s.room.limited).toBe(replay.filter((x) => x.vote).length);
    expect(s.room.stale).toBe(0);
    expect((await chatSources()).find((x) => x.source === TWITCH)).toMatchObject({ votes: 1_050 });
  }, 60_000);

  it('YouTube: votes count; a quota error shows on the bridge and the dashboard without stopping anything; after the reset the bridge reads again', async () => {
    const round = await goLive(pollMatchup(3, title('YouTube'), { durationSec: 600 }));
    const yt = (n: number, text: string) => youtube.post({ channelId: `UCytviewer${String(n).padStart(14, '0')}`, displayName: `yt viewer ${n}`, text });
    await until('the bridge streaming the YouTube chat', async () => (await bridge.source(YOUTUBE)).state === 'connected', 15_000);

    let from = await taken(YOUTUBE);
    yt(1, '!a');
    yt(2, '!vote b');
    yt(3, '!Ramen');
    yt(1, '!b');
    yt(4, 'gg 🔥');
    yt(5, '!d');
    await untilTaken(YOUTUBE, from, 6, 'six YouTube lines');
    expect((await poll()).round.votes).toEqual({ A: 1, B: 2, C: 0 });
    expect((await bridge.source(YOUTUBE)).room).toMatchObject({ counted: 3, duplicate: 1, ignored: 1 });

    youtube.exhaustQuota();
    const inError = await until(
      'the bridge to report the YouTube source in error over the quota',
      async () => {
        const s = await bridge.source(YOUTUBE);
        return s.state === 'error' && /quota/i.test(s.detail ?? '') && s;
      },
      15_000,
    );
    expect(inError.detail).toMatch(/YouTube API quota exceeded/);
    const h = await bridge.health();
    expect(h.ok).toBe(false);
    expect(h.reasons.join('\n')).toContain(`${YOUTUBE} is error: YouTube API quota exceeded`);
    // The operator's view comes from the bridge's status reports, one every 5 s.
    const shown = await until(
      'GET /api/chat/sources to show the YouTube source in error',
      async () => (await chatSources()).find((x) => x.source === YOUTUBE && x.state === 'error'),
      15_000,
    );
    expect(shown.detail).toMatch(/YouTube API quota exceeded/);
    // Nothing stopped: the bridge runs and Twitch votes still count.
    expect(bridge.child?.exitCode).toBeNull();
    from = await taken(TWITCH);
    const tw = new TwitchLedger(twitch, CHANNEL);
    tw.say('5000', '!pizza', 'C');
    await untilTaken(TWITCH, from, 1, 'a Twitch vote during the YouTube outage');
    expect((await poll()).round.votes).toEqual({ A: 1, B: 2, C: 1 });

    // The quota resets. The running bridge would wait for midnight Pacific time (the reset it cannot see early);
    // a restart, as an operator does after a quota raise, reads the chat again.
    youtube.resetQuota();
    expect(await bridge.stop()).toBe(0);
    await bridge.start();
    await until('the restarted bridge streaming the YouTube chat', async () => (await bridge.source(YOUTUBE)).state === 'connected', 15_000);
    yt(6, '!c');
    yt(7, '!a');
    yt(2, '!a');
    await untilTaken(YOUTUBE, 0, 3, 'three YouTube lines after the reset');
    const after = await poll();
    expect(after.round.pollId).toBe(round.pollId);
    expect(after.round.votes).toEqual({ A: 2, B: 2, C: 2 });
    expect((await bridge.source(YOUTUBE)).room).toMatchObject({ counted: 2, duplicate: 1 });
  }, 60_000);

  it('mixed: web voters and chat voters in one round; the tally is the unique voters across both', async () => {
    const round = await goLive(pollMatchup(3, title('Mixed'), { durationSec: 600 }));
    const voters = new Map<string, OptionId>();
    const chat = new TwitchLedger(twitch, CHANNEL);
    const fromTwitch = await taken(TWITCH);
    for (let i = 6_000; i < 6_020; i++) {
      const first = chat.say(account(i), ...form(i));
      if (i % 4 === 0) chat.again(first);
    }
    for (const [k, v] of chat.voters()) voters.set(k, v);
    const fromYouTube = await taken(YOUTUBE);
    for (const [n, text, option] of [[10, '!a', 'A'], [11, '!c', 'C'], [12, '!b', 'B'], [10, '!c', 'C']] as const) {
      const channelId = `UCytviewer${String(n).padStart(14, '0')}`;
      youtube.post({ channelId, displayName: `yt viewer ${n}`, text });
      if (!voters.has(`youtube:${channelId}`)) voters.set(`youtube:${channelId}`, option);
    }
    // Web voters meanwhile, through the public API, each with its own session (and its proof of work).
    const tokens: string[] = [];
    for (const [n, option] of (['A', 'B', 'C', 'A', 'B'] as const).entries()) {
      const res = await voteAsNewVoter(env.stack.api, { option, pollId: round.pollId });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      tokens.push(String(res.body.voterToken));
      voters.set(`web:${n}`, option);
    }
    const again = await postJson(env.stack.api, '/api/vote', { option: 'C', pollId: round.pollId }, { 'x-voter-token': tokens[0]! });
    expect(again.status).toBe(409);
    await untilTaken(TWITCH, fromTwitch, chat.delivered().length, 'the mixed round\'s Twitch lines');
    await untilTaken(YOUTUBE, fromYouTube, 4, 'the mixed round\'s YouTube lines');

    expect(voters.size).toBe(20 + 3 + 5);
    const now = await poll();
    expect(now.round.pollId).toBe(round.pollId);
    expect(now.round.votes).toEqual(tallyOf(round, voters));
    mixed = { round, tally: now.round.votes };
  }, 60_000);

  it('the right round: a line sent before the fight went live counts for nothing, neither late in its own round nor in the next fight', async () => {
    const fight = fightMatchup('Iron Mara', 'Zip Zero', { title: title('Fight'), durationSec: 600 });
    const chat = new TwitchLedger(twitch, CHANNEL);
    const ytChannel = `UCytviewer${String(20).padStart(14, '0')}`;
    const before = { twitch: (await bridge.source(TWITCH)).room, youtube: (await bridge.source(YOUTUBE)).room };
    let fromTwitch = await taken(TWITCH);
    const fromYouTube = await taken(YOUTUBE);
    await queueAndRotate(env.stack.api, env.stack.operatorToken, fight);
    // Said between the rounds (the mixed round's finish card): no round is live, and the next fight must not get it.
    chat.say('7000', '!a', null);
    await untilTaken(TWITCH, fromTwitch, 1, 'the line said between the rounds');
    const round = await waitUntilLive(env.stack.api, fight.title);

    // Delivered now, sent earlier: during the mixed round, and during this fight's intro.
    chat.say('7001', '!a', null, { sentAt: mixed.round.liveAt + 100 });
    chat.say('7002', '!b', null, { sentAt: round.liveAt - 300 });
    youtube.post({ channelId: ytChannel, displayName: 'yt viewer 20', text: '!a', publishedAt: round.liveAt - 300 });
    // A fight has no option C.
    chat.say('7003', '!c', null);
    chat.say('7004', '!vote c', null);
    await untilTaken(TWITCH, fromTwitch, 5, 'the early lines and the !c lines');
    await untilTaken(YOUTUBE, fromYouTube, 1, 'the early YouTube line');
    const twitchRoom = (await bridge.source(TWITCH)).room;
    expect({ stale: twitchRoom.stale - before.twitch.stale, ignored: twitchRoom.ignored - before.twitch.ignored, counted: twitchRoom.counted - before.twitch.counted }).toEqual({ stale: 3, ignored: 2, counted: 0 });
    expect((await bridge.source(YOUTUBE)).room.stale - before.youtube.stale).toBe(1);
    expect((await poll()).round.votes).toEqual({ A: 0, B: 0 });

    // The same accounts, now: they vote (their early lines took nothing from them). Five hits: no KO.
    fromTwitch = await taken(TWITCH);
    chat.say('7000', '!zip', 'B');
    chat.say('7001', '!b', 'B');
    chat.say('7002', '!a', 'A');
    chat.say('7005', '!mara', 'A');
    youtube.post({ channelId: ytChannel, displayName: 'yt viewer 20', text: '!zero' });
    await untilTaken(TWITCH, fromTwitch, 4, 'the fight\'s votes');
    await untilTaken(YOUTUBE, fromYouTube, 2, 'the fight\'s YouTube vote');

    const now = await poll();
    expect(now.round.pollId).toBe(round.pollId);
    expect(now.round.phase).toBe('live');
    expect(now.round.votes).toEqual({ A: 2, B: 3 });
    // The mixed round, archived, kept exactly what it had.
    expect(now.previous?.pollId).toBe(mixed.round.pollId);
    expect(now.previous?.votes).toEqual(mixed.tally);
  }, 60_000);
});
