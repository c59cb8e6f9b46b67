/**
 * What the fuzz suite may not change: the live round's tally, HP and seq, the queue, the streams, the screens,
 * the shout-outs and the chat sources an operator paused. Only the clock may move the round on (a phase ends, the next round starts), and
 * the room's own work moves seq once each (the round's fighter cards arriving, the queue filled by the upkeep, the
 * tournament's field read); so the comparison is
 * exact while a round stays live and falls back to the tallies when the clock moved it.
 */
export interface RoomState {
  pollId: string;
  phase: string;
  seq: number;
  votes: string;
  hp: string;
  hitCount: number;
  previous: { pollId: string; votes: string } | null;
  /** The round's fighter cards (canonical JSON), or null before the room has read them. */
  fighters: string | null;
  /** The match announced next (its title), or null. */
  upNext: string | null;
  /** Operator views; null without the operator token. */
  queue: string | null;
  streams: string | null;
  screens: string | null;
  shoutouts: string | null;
  chatPaused: string | null;
}

type Send = (req: Request) => Promise<Response>;

/** Keys sorted, so two reads of the same value compare equal. */
const canonical = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x));

async function getJson(send: Send, url: string, headers: Record<string, string> = {}): Promise<unknown> {
  const res = await send(new Request(url, { headers }));
  if (!res.ok) throw new Error(`state read ${url}: ${res.status} ${(await res.text()).slice(0, 200)}`);
  return res.json();
}

export async function readState(send: Send, base: string, operatorToken: string | null): Promise<RoomState> {
  const poll = (await getJson(send, `${base}/api/poll`)) as {
    seq: number;
    round: { pollId: string; phase: string; votes: object; hp: object; hitCount: number };
    previous: { pollId: string; votes: object } | null;
    fighters?: object;
    upNext: { title: string } | null;
  };
  const state: RoomState = {
    pollId: poll.round.pollId,
    phase: poll.round.phase,
    seq: poll.seq,
    votes: canonical(poll.round.votes),
    hp: canonical(poll.round.hp),
    hitCount: poll.round.hitCount,
    fighters: poll.fighters ? canonical(poll.fighters) : null,
    upNext: poll.upNext?.title ?? null,
    previous: poll.previous ? { pollId: poll.previous.pollId, votes: canonical(poll.previous.votes) } : null,
    queue: null,
    streams: null,
    screens: null,
    shoutouts: null,
    chatPaused: null,
  };
  if (operatorToken) {
    const auth = { authorization: `Bearer ${operatorToken}` };
    const [queue, streams, screens, shoutouts, chat] = await Promise.all([
      getJson(send, `${base}/api/poll/queue`, auth),
      getJson(send, `${base}/api/stream`, auth),
      getJson(send, `${base}/api/screens`, auth),
      getJson(send, `${base}/api/shoutouts`, auth),
      getJson(send, `${base}/api/chat/sources`, auth),
    ]);
    state.queue = canonical((queue as { queue: Array<{ id: number }> }).queue.map((q) => q.id));
    // A renderer's status reports change with time; what the operator asked for may not.
    state.streams = canonical((streams as { streams: Array<{ streamKey: string; screenId: string; createdAt: number }> }).streams.map((s) => [s.streamKey, s.screenId, s.createdAt]));
    state.screens = canonical(screens);
    state.shoutouts = canonical(shoutouts);
    // A running chat bridge reports its sources all the time; only the operator's pauses are state.
    state.chatPaused = canonical((chat as { sources: Array<{ source: string; paused: boolean }> }).sources.filter((s) => s.paused).map((s) => s.source));
  }
  return state;
}

/** The room's queue target (edge/src/room/upkeep.ts QUEUE_TARGET): the upkeep fills the queue up to it. */
const QUEUE_TARGET = 2;

/** The queue (ids, canonical JSON) grew from below the target by appending, and nothing else changed. */
function queueOnlyFilled(before: string | null, after: string | null): boolean {
  if (before === null || after === null || before === after) return false;
  const [a, b] = [JSON.parse(before) as number[], JSON.parse(after) as number[]];
  return a.length < QUEUE_TARGET && b.length <= QUEUE_TARGET && b.length > a.length && a.every((id, i) => b[i] === id);
}

/** What changed that the clock cannot explain; empty when nothing did. */
export function unexplainedChanges(before: RoomState, after: RoomState): string[] {
  const out: string[] = [];
  const differs = (what: string, a: unknown, b: unknown) => {
    if (a !== b) out.push(`${what}: ${String(a)} → ${String(b)}`);
  };
  if (before.pollId === after.pollId) {
    differs('votes', before.votes, after.votes);
    differs('hp', before.hp, after.hp);
    differs('hits', before.hitCount, after.hitCount);
    // Within a live phase nothing but a request moves seq or the queue, but for the room's own work, each one new
    // seq: the round's fighter cards arriving from Postgres, the upkeep planning the season's next matches (it
    // reads the roster first, so the queue may fill after the round went live), which only appends to a queue
    // shorter than QUEUE_TARGET, and the tournament's field read, which announces the first quarter-final (or
    // seeds the bracket) with the queue untouched.
    const cardsArrived = before.fighters === null && after.fighters !== null;
    const queueFilled = queueOnlyFilled(before.queue, after.queue);
    const fieldRead = before.upNext !== after.upNext && before.queue === after.queue;
    if (before.phase === 'live' && after.phase === 'live') {
      if (after.seq !== before.seq + Number(cardsArrived) + Number(queueFilled) + Number(fieldRead)) differs('seq', before.seq, after.seq);
      if (!queueFilled) differs('queue', before.queue, after.queue);
    }
  } else if (after.previous?.pollId === before.pollId) {
    differs(`votes of the round that ended (${before.pollId})`, before.votes, after.previous.votes);
  }
  differs('streams', before.streams, after.streams);
  differs('screens', before.screens, after.screens);
  differs('shout-outs', before.shoutouts, after.shoutouts);
  differs('paused chat sources', before.chatPaused, after.chatPaused);
  return out;
}
