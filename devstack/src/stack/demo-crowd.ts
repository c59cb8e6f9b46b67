/**
 * A crowd on demand for local runs: N simulated voters going through the public API like real viewers. Each
 * solves one proof-of-work challenge for its first vote, as the vote page does, and keeps the session that vote
 * returns (the token); it has its own leaning and pace, and votes once per round; every round also gets its own
 * swing, so some fights are close and some end in a KO. Never pointed at real cloud services (see `demoRefusal`).
 */
import type { RoundState } from '@stream-fighter/core';
import { isNeonUrl, type LocalSettings } from './settings.ts';
import { watchRoom } from './room-watch.ts';
import { ALTCHA_FIELD, altchaPayload } from './solve-challenge.ts';

type Log = (event: string, fields?: Record<string, unknown>) => void;

interface Voter {
  token?: string;
  /** -1 (always the first fighter) … 1 (always the second); swing voters sit near 0. */
  lean: number;
  /** Favourite option in plain polls (3–4 options). */
  favourite: number;
  /** 0.3 (quick) … 1 (takes their time): how far into the round this voter tends to vote. */
  pace: number;
}

/** Why the crowd must not run with these settings, or null when it may. */
export function demoRefusal(s: Pick<LocalSettings, 'DATABASE_URL' | 'UPSTASH_REDIS_REST_URL'>): string | null {
  if (s.DATABASE_URL && isNeonUrl(s.DATABASE_URL)) return 'DATABASE_URL points at Neon';
  if (s.UPSTASH_REDIS_REST_URL) return 'UPSTASH_REDIS_REST_URL is set';
  return null;
}

/**
 * Every local client comes from 127.0.0.1 (the local edge's socket says so), i.e. one address to the edge's
 * per-address limits: the browser on this machine, `npm run verify`, the demo crowd. So `npm start` sizes those
 * limits for a crowd of `voters` plus a few runs of verify an hour, each unless set in the environment; set them to
 * try the production defaults (bench:stranger does).
 */
export function localAddressVars(voters: number, env: Record<string, string | undefined>): Record<string, string> {
  const sized: Record<string, number> = {
    RATE_LIMIT_IP_PER_10S: Math.max(60, voters * 3),
    SESSIONS_PER_ADDRESS_PER_HOUR: Math.max(200, voters * 10),
    VOTES_PER_ADDRESS_PER_ROUND: Math.max(50, voters + 12),
  };
  return Object.fromEntries(Object.entries(sized).filter(([k]) => !env[k]).map(([k, v]) => [k, String(v)]));
}

export function makeVoters(n: number, random: () => number = Math.random): Voter[] {
  return Array.from({ length: n }, (_, i) => {
    // Two camps of fans and some undecided in between.
    const camp = i % 5 === 4 ? 0 : i % 2 === 0 ? -1 : 1;
    const lean = Math.max(-1, Math.min(1, camp * (0.3 + 0.5 * random()) + (random() - 0.5) * 0.4));
    return { lean, favourite: Math.floor(random() * 4), pace: 0.3 + 0.7 * random() };
  });
}

/** The option this voter picks this round, given the round's swing (-0.3 … 0.3). */
export function choose(v: Voter, options: readonly string[], swing: number, random: () => number = Math.random): string {
  if (options.length === 2) {
    const pSecond = Math.max(0.05, Math.min(0.95, 0.5 + 0.4 * v.lean + swing));
    return options[random() < pSecond ? 1 : 0]!;
  }
  return random() < 0.6 ? options[v.favourite % options.length]! : options[Math.floor(random() * options.length)]!;
}

export function startDemoCrowd(o: { api: string; room: string; voters: number; log: Log }): { stop(): void } {
  const voters = makeVoters(o.voters);
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const seen = new Set<string>();
  let stopped = false;
  let failures = 0;

  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      if (!stopped) fn();
    }, ms);
    timers.add(t);
  };

  const vote = async (v: Voter, pollId: string, option: string, retry = true): Promise<void> => {
    try {
      // No session yet: this vote carries the solved challenge that mints one.
      const proof = v.token ? {} : { [ALTCHA_FIELD]: await altchaPayload(o.api) };
      const res = await fetch(`${o.api}/api/vote`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(v.token ? { 'x-voter-token': v.token } : {}) },
        body: JSON.stringify({ option, pollId, ...proof }),
        signal: AbortSignal.timeout(5_000),
      });
      const body = (await res.json().catch(() => ({}))) as { voterToken?: string; error?: { code?: string } };
      if (res.ok) {
        if (body.voterToken) v.token = body.voterToken;
        return;
      }
      // A session the edge no longer takes (a new VOTER_SECRET): start over with a new proof of work.
      if (res.status === 401 && v.token && retry) {
        delete v.token;
        return vote(v, pollId, option, false);
      }
      if (res.status === 429 && retry) {
        const wait = Number(res.headers.get('retry-after') ?? 2) * 1000;
        return later(wait + Math.random() * 1000, () => void vote(v, pollId, option, false));
      }
      // 409: the round moved on, or this voter already voted; neither is a problem for a simulated crowd.
      if (res.status !== 409) throw new Error(`${res.status} ${body.error?.code ?? ''}`);
    } catch (e) {
      if (stopped) return;
      if (failures++ % 20 === 0) o.log('demo.vote-failed', { level: 'warn', error: e instanceof Error ? e.message : String(e) });
    }
  };

  const onRound = (r: RoundState, timeLeftMs: number) => {
    if (r.phase !== 'live' || seen.has(r.pollId)) return;
    seen.add(r.pollId);
    const options = r.matchup.options.map((x) => x.id);
    const swing = (Math.random() - 0.5) * 0.6;
    // Like people watching: most vote within the first half minute, the slow ones later; never all at once.
    const window = Math.max(2_000, Math.min(timeLeftMs * 0.75, 45_000));
    for (const v of voters) {
      const delay = 800 + window * v.pace * Math.random() ** 1.5;
      later(delay, () => void vote(v, r.pollId, choose(v, options, swing)));
    }
    o.log('demo.round', { title: r.matchup.title, voters: voters.length, swing: Number(swing.toFixed(2)) });
  };

  // The crowd watches the room like a viewer page does (snapshots over the WebSocket): no polling.
  const room = watchRoom(o.api, o.room, (snap) => onRound(snap.round, snap.round.endsAt - snap.now));
  o.log('demo.started', { voters: voters.length });
  return {
    stop() {
      stopped = true;
      room.stop();
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}
