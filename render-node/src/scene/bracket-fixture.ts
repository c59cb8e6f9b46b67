/**
 * A snapshot's `season` as the room builds it (edge season-desk.ts onAir), played through core's cycle rules: for
 * the stream's tests and the render bench. Not used by the stream itself.
 */
import { bracketMatches, bracketView, cyclePosition, initialCycle, reduceCycle } from '@stream-fighter/core';
import type { CycleState, SeasonOnAir } from '@stream-fighter/core';

/** Eight names, seed 1 first, as long as the schema lets a fighter's name be (32 characters) for some. */
export const BRACKET_NAMES = ['Zorg the Unbreakable', 'Tidal Tina', 'Professor Thunderbolt McGillicud', 'Kelp Kaiser', 'Mighty Waldemar', 'Ronin Rei', 'Wandering Ronin of the North Sea', 'Gus'];

/**
 * The season with its tournament's first `played` matches played (0–7), each won by side A (the higher seed) unless
 * its index is in `upsets`. After all seven, the cycle is in its exhibitions with the champion in the bracket.
 */
export function tournamentOnAir(played: number, opts: { names?: readonly string[]; upsets?: readonly number[]; season?: number } = {}): SeasonOnAir {
  const names = opts.names ?? BRACKET_NAMES;
  const ids = names.map((_, i) => `f${i + 1}`);
  let state: CycleState = { ...initialCycle(), season: (opts.season ?? 3) - 1 };
  state = reduceCycle(state, { type: 'startTournament' });
  state = reduceCycle(state, { type: 'seed', seeds: ids });
  for (let i = 0; i < played; i++) {
    const m = bracketMatches(state.bracket!)[i]!;
    const winner = opts.upsets?.includes(i) ? 'B' : 'A';
    state = reduceCycle(state, {
      type: 'finished',
      pollId: `p-${i}`,
      at: i,
      fighters: { A: m.a!.id, B: m.b!.id },
      round: { outcome: { winner }, hp: winner === 'A' ? { A: 10, B: 0 } : { A: 0, B: 10 }, votes: { A: 5, B: 5 } },
    });
  }
  const name = (id: string) => names[ids.indexOf(id)] ?? id;
  return { position: cyclePosition(state, { exhibitions: 5 }), bracket: bracketView(state.bracket!, state.season, name) };
}
