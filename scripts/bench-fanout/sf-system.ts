/**
 * Stream Fighter's room as the system under test: its own local stack (edge/bench/target.ts: workerd, the
 * stand-ins or the machine's Redis and Postgres, its own ports and data folder), a plain 4-option poll with no KO
 * (edge/bench/poll.ts), viewers on /parties/arena/<room>, votes through the real POST /api/vote with voter sessions
 * signed here with the stack's VOTER_SECRET, as bench:votes does.
 */
import { b64url } from '@stream-fighter/edge/src/http/hmac.ts';
import { signVoter } from '@stream-fighter/edge/src/voter/token.ts';
import { startPlainPoll } from '@stream-fighter/edge/bench/poll.ts';
import { ownStack } from '@stream-fighter/edge/bench/target.ts';
import { workerPassThrough, workerRoom } from '@stream-fighter/devstack/stack/stack';
import { cpuMs, descendants } from '@stream-fighter/devstack/stack/process-tree';
import { openFileLimit } from './fd-limit.ts';
import type { Knobs } from './knobs.ts';
import type { SystemUnderTest } from './system.ts';

/** Every viewer here comes from 127.0.0.1, one address: its cap on open viewer connections (default 32) is raised. */
const VIEWERS_PER_ADDRESS = 100_000;
/** All votes come from 127.0.0.1 too: the per-address vote rate (ownStack raises the votes-per-round cap itself). */
const VOTES_PER_ADDRESS_PER_10S = 100_000;
/** workerd's sockets per viewer (fd-limit.ts), and the files it holds besides (storage, stand-ins, logs). */
const FDS_PER_VIEWER = 2;
const FD_MARGIN = 300;

export async function startSf(k: Knobs, say: (line: string) => void, register: (close: () => Promise<void>) => void): Promise<SystemUnderTest> {
  // startStack hands every Worker setting it finds in the environment to the Worker: that is how this cap gets there.
  process.env.WS_CONNECTIONS_PER_ADDRESS = String(VIEWERS_PER_ADDRESS);
  const target = await ownStack(
    { portBase: k.BENCH_PORT, backends: k.BENCH_BACKENDS, redisUrl: k.BENCH_REDIS_URL, postgresUrl: k.BENCH_POSTGRES_URL, ipLimitPer10s: VOTES_PER_ADDRESS_PER_10S, verbose: k.BENCH_VERBOSE, say },
    register,
  );
  for (const n of target.notes) say(n);
  say(`viewers     up to ${VIEWERS_PER_ADDRESS} open viewer connections per address (WS_CONNECTIONS_PER_ADDRESS)`);
  const poll = await startPlainPoll(target.api, target.operatorToken, say);
  const pollId = poll.round.pollId;
  const options = poll.round.matchup.options.map((o) => o.id);
  say(`poll        ${pollId} live, options ${options.join(' ')}, no KO`);
  const room = workerRoom(workerPassThrough(process.env));
  let tokens: string[] = [];

  return {
    label: 'Stream Fighter room',
    viewerKind: 'sf',
    viewerUrl: `${target.api.replace(/^http/, 'ws')}/parties/arena/${room}`,
    cannotHold(viewers) {
      const limit = openFileLimit();
      const most = limit === null ? Infinity : Math.floor((limit - FD_MARGIN) / FDS_PER_VIEWER);
      return viewers <= most ? null : `workerd holds ${FDS_PER_VIEWER} sockets per viewer and this machine's open-file limit (ulimit -n) is ${limit}: at most ${most} viewers; raise the limit to measure ${viewers}`;
    },
    newRound: async () => {},
    async prepare(count) {
      const secret = target.voterSecret!;
      const now = Math.floor(Date.now() / 1000);
      tokens = await Promise.all(Array.from({ length: count }, () => signVoter(secret, `p-${b64url(crypto.getRandomValues(new Uint8Array(12)))}`, now)));
    },
    async vote(n) {
      const res = await fetch(`${target.api}/api/vote`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-voter-token': tokens[n - 1]! },
        body: JSON.stringify({ option: options[n % options.length], pollId }),
      });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`POST /api/vote (vote ${n}): ${res.status} ${text.slice(0, 200)}`);
    },
    // workerd runs the Worker and every Durable Object (room, relays); the stand-ins for Redis and Postgres are not counted.
    serverCpuMs: () => descendants(process.pid).filter((p) => /workerd/.test(p.cmd) && !/wrangler/.test(p.cmd)).reduce((a, p) => a + (cpuMs(p.pid) ?? 0), 0),
    close: target.close,
  };
}
