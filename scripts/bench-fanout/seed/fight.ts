/**
 * The seed's fight rules, as its Socket.IO tier applies them on every tick (stream-socket/index.js), restated:
 * a 180 s clock, a slow passive HP decay, a fighter whose vote counter went up attacks (at most once per 400 ms,
 * 0.05 HP plus 0.01 per new vote), an attack pose lasts 600 ms, KO at 0 HP, and the counters seen are kept as
 * `prevVotes`, which is what a viewer's state counts. It mutates the state, as the seed does.
 */
import type { SeedFight, SeedFighter } from './wire.ts';

const DEFAULT_CLOCK_S = 180;
const DECAY_PER_S = 0.0005;
const ATTACK_COOLDOWN_MS = 400;
const POSE_MS = 600;
const MOVES = ['punch', 'kick', 'special'] as const;

export function newFight(pollId: string): SeedFight {
  const fresh = (): SeedFighter => ({ hp: 1, lastHit: 0, animation: 'idle' });
  return { pollId, fighterA: fresh(), fighterB: fresh(), events: [] };
}

/** One tick at `now`. `counters` are the two options' vote counters, or null when the poll is not known. */
export function stepFight(s: SeedFight, counters: readonly [number, number] | null, now: number, random: () => number): void {
  const dt = (now - (s.lastUpdate ?? now)) / 1000;
  if (!s.combatOver) {
    s.timer = Math.max(0, (s.timer ?? DEFAULT_CLOCK_S) - dt);
    if (s.timer <= 0) end(s, s.fighterA.hp > s.fighterB.hp ? 'A' : 'B');
  }
  for (const f of [s.fighterA, s.fighterB]) f.hp = Math.max(0, f.hp - DECAY_PER_S * dt);

  if (counters) {
    attack(s.fighterA, s.fighterB, counters[0] - (s.fighterA.prevVotes ?? 0), now, random);
    attack(s.fighterB, s.fighterA, counters[1] - (s.fighterB.prevVotes ?? 0), now, random);
    s.fighterA.prevVotes = counters[0];
    s.fighterB.prevVotes = counters[1];
  }
  for (const f of [s.fighterA, s.fighterB]) if (f.animation !== 'idle' && now - (f.lastActionTime ?? 0) > POSE_MS) f.animation = 'idle';
  s.lastUpdate = now;
  if (!s.combatOver && (s.fighterA.hp <= 0 || s.fighterB.hp <= 0)) end(s, s.fighterA.hp <= 0 ? 'B' : 'A');
}

function attack(attacker: SeedFighter, target: SeedFighter, newVotes: number, now: number, random: () => number): void {
  if (newVotes <= 0 || now - (attacker.lastActionTime ?? 0) <= ATTACK_COOLDOWN_MS) return;
  attacker.animation = MOVES[Math.floor(random() * MOVES.length)]!;
  attacker.lastActionTime = now;
  target.hp = Math.max(0, target.hp - (0.05 + newVotes * 0.01));
  target.lastHit = now;
}

function end(s: SeedFight, winner: 'A' | 'B'): void {
  s.combatOver = true;
  s.winner = winner;
}
