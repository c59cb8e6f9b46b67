/**
 * The chat burst of `npm run bench:latency`: `accounts` distinct Twitch accounts each type a command within
 * `windowMs`, through the local Twitch server, the real bridge and the edge, into a long plain poll (3–4 options:
 * no HP, so no KO ends it under the burst) put live just before. Every tenth account types a second command (a
 * duplicate the room must refuse) and as many other accounts only chat (`gg`: never a vote), as real chat does.
 *
 * At the end the room's tally must equal the accounts that typed a command, option by option, less any the room
 * refused as stale (the round ended under them: none in a 10-minute round), and the bridge's request count shows
 * the batching (one POST per batch, not per line).
 */
import { performance } from 'node:perf_hooks';
import type { OptionId } from '@stream-fighter/core';
import { fighter, matchup } from '@stream-fighter/core/fixtures/matchups';
import type { BenchChat, SourceCounts } from './bench-latency-chat.ts';
import { freshRound } from './bench-latency-rounds.ts';
import { sleep } from './verify/http.ts';
import { getPoll } from './verify/rounds.ts';

/** How each account spells its vote: letters in both cases, `!vote x`, a fighter's name. */
const SPELLINGS: ReadonlyArray<{ option: OptionId; text: string }> = [
  { option: 'A', text: '!a' },
  { option: 'B', text: '!B' },
  { option: 'C', text: '!vote c' },
  { option: 'D', text: '!d go go' },
  { option: 'A', text: '!Taco' },
  { option: 'B', text: '!ramen' },
  { option: 'C', text: '!PIZZA' },
  { option: 'D', text: '!vote D' },
];
const CHATTER = ['gg', 'LUL', 'who wins?', '! a', 'a'];
/** Accounts of the burst get user ids from here, clear of the latency samples' ids. */
const USER_ID_BASE = 900_000_000;

export interface BurstResult {
  accounts: number;
  /** Lines typed: a command per account, the repeats, the chatter. */
  lines: { commands: number; repeats: number; chatter: number };
  /** First line to last line through the local Twitch server. */
  spanMs: number;
  /** Last line typed → the bridge had every command answered by the edge. */
  drainMs: number;
  expected: Record<OptionId, number>;
  tally: Partial<Record<OptionId, number>>;
  tallyTotal: number;
  /** What the bridge did with the burst (its /health counts, less those from before it). */
  bridge: { requests: number; sent: number; peakBuffered: number; dropped: SourceCounts['dropped']; room: SourceCounts['room'] };
  /** Room tally = accounts − stale, per option, with every command sent and answered. */
  ok: boolean;
}

export async function runBurst(o: { api: string; auth: Record<string, string>; chat: BenchChat; accounts: number; windowMs: number; drainTimeoutMs: number; info: (s: string) => void }): Promise<BurstResult> {
  const poll = await freshRound(o.api, o.auth, burstMatchup());
  if (poll.round.matchup.options.length !== 4) throw new Error(`the burst round has ${poll.round.matchup.options.length} options, not 4`);
  const before = await o.chat.counts();

  // Who types what, when: spread evenly over the window, repeats and chatter mixed in.
  type Line = { at: number; userId: string; name: string; text: string };
  const lines: Line[] = [];
  const expected: Record<OptionId, number> = { A: 0, B: 0, C: 0, D: 0 };
  const repeats = Math.floor(o.accounts / 10);
  for (let i = 0; i < o.accounts; i++) {
    const s = SPELLINGS[i % SPELLINGS.length]!;
    expected[s.option]++;
    lines.push({ at: (i / o.accounts) * o.windowMs, userId: String(USER_ID_BASE + i), name: `Burst${i}`, text: s.text });
  }
  for (let k = 0; k < repeats; k++) {
    const i = k * 10;
    // Later in the window and for another option: the first vote stands.
    lines.push({ at: Math.min(o.windowMs - 1, (i / o.accounts) * o.windowMs + o.windowMs / 4), userId: String(USER_ID_BASE + i), name: `Burst${i}`, text: SPELLINGS[(i + 1) % SPELLINGS.length]!.text });
    lines.push({ at: ((k + 0.5) / repeats) * o.windowMs, userId: String(USER_ID_BASE + o.accounts + k), name: `Lurker${k}`, text: CHATTER[k % CHATTER.length]! });
  }
  lines.sort((a, b) => a.at - b.at);

  // The bridge's buffer, sampled while the burst goes on: it must stay bounded (CHAT_BUFFER_MAX) and drain.
  let peakBuffered = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const c = await o.chat.counts().catch(() => null);
      if (c) peakBuffered = Math.max(peakBuffered, c.buffered);
      await sleep(100);
    }
  })();

  o.info(`burst: ${o.accounts} accounts typing a command within ${o.windowMs / 1000} s (+${repeats} repeats, +${repeats} chatter lines) into "${poll.round.matchup.title}"`);
  const commands = o.accounts + repeats;
  // A command is answered once the edge took its batch, or once the bridge dropped it (which must not happen).
  const answered = (c: SourceCounts) => c.sent + c.dropped.invalid + c.dropped.paused + c.dropped.overflow + c.dropped.rejected;
  const accounted = (c: SourceCounts) => answered(c) - answered(before);
  let first = NaN;
  let last = NaN;
  let after: SourceCounts;
  try {
    const start = performance.now();
    let next = 0;
    while (next < lines.length) {
      const now = performance.now() - start;
      while (next < lines.length && lines[next]!.at <= now) {
        const l = lines[next++]!;
        last = o.chat.say(l.userId, l.name, l.text);
        if (Number.isNaN(first)) first = last;
      }
      if (next < lines.length) await sleep(Math.max(1, Math.min(10, lines[next]!.at - (performance.now() - start))));
    }
    // Every command answered by the edge: sent (or refused) and nothing left in the bridge's buffer.
    const drainBy = performance.now() + o.drainTimeoutMs;
    after = await o.chat.counts();
    while (!(after.buffered === 0 && accounted(after) >= commands)) {
      if (performance.now() > drainBy) {
        throw new Error(`the bridge had not had the burst's ${commands} commands answered within ${o.drainTimeoutMs / 1000} s of the last line (buffered ${after.buffered}, answered ${accounted(after)})`);
      }
      await sleep(50);
      after = await o.chat.counts();
    }
  } finally {
    sampling = false;
    await sampler;
  }
  const drainMs = performance.now() - last;

  const end = await getPoll(o.api);
  if (end.round.pollId !== poll.round.pollId) throw new Error(`the burst round ended before it was read (now ${end.round.matchup.title}, ${end.round.phase})`);
  const tally = end.round.votes;
  const tallyTotal = Object.values(tally).reduce((a, b) => a + (b ?? 0), 0);
  const minus = <K extends string>(a: Record<K, number>, b: Record<K, number>) => Object.fromEntries(Object.keys(a).map((k) => [k, a[k as K] - b[k as K]])) as Record<K, number>;
  const room = minus(after.room, before.room);
  const dropped = minus(after.dropped, before.dropped);
  const ok =
    tallyTotal === o.accounts - room.stale &&
    room.counted === tallyTotal &&
    (room.stale > 0 || (['A', 'B', 'C', 'D'] as const).every((id) => (tally[id] ?? 0) === expected[id])) &&
    dropped.overflow + dropped.rejected + dropped.invalid + dropped.paused === 0;
  return {
    accounts: o.accounts,
    lines: { commands: o.accounts, repeats, chatter: repeats },
    spanMs: last - first,
    drainMs,
    expected,
    tally,
    tallyTotal,
    bridge: { requests: after.requests - before.requests, sent: after.sent - before.sent, peakBuffered, dropped, room },
    ok,
  };
}

/** Four options, ten minutes: no KO, and a clock that outlasts the burst many times over. */
function burstMatchup() {
  return matchup(
    [fighter('Taco', 'luchador', '#e63946'), fighter('Ramen', 'samurai', '#9d0208'), fighter('Pizza', 'robot', '#00b4d8'), fighter('Sushi', 'alien', '#70e000')],
    { title: 'Bench burst', stage: 'arcade', durationSec: 600 },
  );
}

export function printBurst(r: BurstResult, out: (s: string) => void): void {
  const n = (x: number) => x.toLocaleString('en');
  const byOption = (t: Partial<Record<OptionId, number>>) => (['A', 'B', 'C', 'D'] as const).map((id) => `${id} ${n(t[id] ?? 0)}`).join(', ');
  const { room, dropped } = r.bridge;
  const lost = dropped.overflow + dropped.rejected + dropped.invalid + dropped.paused;
  out('');
  out(`Chat burst: ${n(r.accounts)} Twitch accounts → local Twitch server → chat bridge → room (a 4-option, 10-minute poll)`);
  out(`  typed             ${n(r.lines.commands)} commands from ${n(r.accounts)} accounts in ${(r.spanMs / 1000).toFixed(2)} s, + ${n(r.lines.repeats)} second commands from the same accounts, + ${n(r.lines.chatter)} chatter lines`);
  out(`  room tally        ${n(r.tallyTotal)} (${byOption(r.tally)}); expected ${n(r.accounts)} accounts − ${n(room.stale)} stale (${byOption(r.expected)}): ${r.ok ? 'MET' : 'NOT MET'}`);
  out(`  room answers      counted ${n(room.counted)}, duplicate ${n(room.duplicate)}, stale ${n(room.stale)}, ignored ${n(room.ignored)}, limited ${n(room.limited)}`);
  out(`  bridge requests   ${n(r.bridge.requests)} POST /api/chat/votes for ${n(r.bridge.sent)} votes (${(r.bridge.sent / Math.max(1, r.bridge.requests)).toFixed(0)} a request); peak buffer ${n(r.bridge.peakBuffered)} (sampled every 100 ms); chatter dropped unsent ${n(dropped.chatter)}; lost ${n(lost)}`);
  out(`  drained           every command answered ${(r.drainMs / 1000).toFixed(2)} s after the last line`);
}
