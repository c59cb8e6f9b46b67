/**
 * Support for the season's browser tests: a tournament's field (eight fighters with 5 or more recorded fights, the
 * room's rule) written to the site stack's database (SiteStack.sql, through the stack's own local Neon endpoint,
 * whichever backend is behind it) without playing forty rounds; and the bracket driven from outside, as an operator
 * would: rotate until the wanted fighters are live.
 */
import { vi } from 'vitest';
import { rosterFighter } from '@stream-fighter/core/fixtures/matchups';
import { ARCHETYPE_IDS } from '@stream-fighter/core/ids';
import { fighterId } from '@stream-fighter/core/season/record';
import { api, type SiteStack } from './support.ts';

export interface Seeded {
  id: string;
  name: string;
}

const COLOURS = ['#d94a38', '#3366cc', '#33aa55', '#aa66cc'];

/**
 * Eight fighters, each with 10 recorded fights, rated 1700 down to 1560: seeds 1 to 8 in this order. Their look is
 * the roster's (core/fixtures rosterFighter), under the given names.
 */
export async function recordField(s: SiteStack, names: readonly string[]): Promise<Seeded[]> {
  if (names.length !== 8) throw new Error('a field is eight fighters');
  const out: Seeded[] = [];
  for (const [seed, name] of names.entries()) {
    const fighter = rosterFighter(name, ARCHETYPE_IDS[seed % ARCHETYPE_IDS.length]!, COLOURS[seed % COLOURS.length]!);
    const wins = 9 - seed;
    await s.sql(
      `insert into fighter_records (id, name, fighter, rating, wins, losses, ties, kos, streak, fights, first_fought_at, last_fought_at)
       values ($1, $2, $3::jsonb, $4, $5, $6, 0, 0, 0, 10, now() - interval '1 day', now() - interval '1 hour')`,
      [fighterId(name), name, JSON.stringify(fighter), String(1700 - seed * 20), String(wins), String(10 - wins)],
    );
    out.push({ id: fighterId(name), name });
  }
  return out;
}

type LiveRound = { pollId: string; phase: string; matchup: { options: Array<{ fighter: { name: string } }> } };

/**
 * The operator ends whatever else is live until a round of `a` against `b` is: the room opens the bracket's match
 * before its queue once the tournament is seeded (which its upkeep does on the round changes this causes).
 */
export async function rotateUntilLive(base: string, token: string, a: string, b: string): Promise<string> {
  const auth = { authorization: `Bearer ${token}` };
  let seen = '';
  return vi.waitFor(
    async () => {
      const { round } = (await api<{ round: LiveRound }>(base, '/api/poll')).body;
      const names = round.matchup.options.map((o) => o.fighter.name);
      seen = `${names.join(' vs ')} (${round.phase})`;
      if (round.phase === 'live' && names.join('|') === `${a}|${b}`) return round.pollId;
      if (round.phase === 'live') {
        const rotated = await api(base, '/api/poll/rotate', { method: 'POST', headers: auth });
        if (rotated.status !== 200) throw new Error(`POST /api/poll/rotate: ${rotated.status}`);
      }
      throw new Error(`${a} vs ${b} did not go live within 45 s (last seen ${seen})`);
    },
    { timeout: 45_000, interval: 500 },
  );
}

/** End the live round with no vote: a draw, which the bracket's tie-break settles (equal HP, equal votes: the seed). */
export async function endWithoutVotes(base: string, token: string): Promise<void> {
  const rotated = await api(base, '/api/poll/rotate', { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  if (rotated.status !== 200) throw new Error(`POST /api/poll/rotate: ${rotated.status}`);
}
