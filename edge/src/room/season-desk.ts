/**
 * The season's cycle in the room (issue 14): matchmaking rounds, an 8-fighter tournament, exhibitions, again. The
 * rules are core's (season/cycle.ts, pure); this desk keeps their state in the room's SQLite and wires it to the
 * round runner and the upkeep.
 *
 * - A finished fight moves the cycle in the runner's archive step (`finished`), the same synchronous step that
 *   writes the outbox and pays the bets, so it commits with the finished round or not at all; a round reported
 *   twice counts once (the reducer keeps the last poll id).
 * - Tournament matches are built here, synchronously, when the runner opens a round (`nextMatchup`): the bracket's
 *   eight fighters (look and moves) are stored with it when it is seeded, so a semi-final whose feeders just
 *   finished needs no read. They go before the queue, which waits (an operator's matchup plays after the bracket,
 *   or at once after "skip to matchmaking").
 * - Reads of the roster in Postgres happen in the upkeep (`plan`), never in a round's way: the tournament's field is
 *   read when the last matchmaking round is under way (or at once when an operator starts a tournament), so the
 *   first quarter-final opens as soon as matchmaking ends; the queue is kept filled with matchmaking pairings
 *   (core/season/matchmaking.ts: same or neighbouring tiers, no immediate rematch, a share of debuts). When
 *   Postgres cannot be read the queue is filled by the generator as before the cycle, and the field is read again at
 *   the next upkeep (rounds played while seeding count for nothing).
 * - The field is the ratings as they stood when it was read: the last matchmaking round's own result is not in it.
 */
import {
  BRACKET_SIZE,
  bracketMatches,
  bracketView,
  CycleState,
  Fighter,
  cyclePosition,
  finishedEvent,
  initialCycle,
  nextMatch,
  nextPairing,
  QUARTER_FINAL_SEEDS,
  reduceCycle,
  seedTournament,
  STAGE_IDS,
  type BracketView,
  type ChampionView,
  type CycleEvent,
  type CycleLengths,
  type Matchup,
  type RoundResult,
  type SeasonOnAir,
  type SeasonResponse,
} from '@stream-fighter/core';
import { PROTOCOL_VERSION } from '@stream-fighter/core';
import { hash32 } from '@stream-fighter/core/hash';
import { isFight } from '@stream-fighter/core/round';
import { fighterId } from '@stream-fighter/core/season/record';
import type { SeasonRosterEntry } from '../db/fighters.ts';
import type { AppConfig } from '../env.ts';
import { log } from '../log.ts';
import { withTimeout } from './with-timeout.ts';

/** A roster read may take this long before the upkeep gives up on it (and fills the queue from the generator). */
export const ROSTER_TIMEOUT_MS = 8_000;

export interface SeasonContext {
  sql: SqlStorage;
  config: AppConfig;
  room: string;
  now: () => number;
  /** The season's roster (db/fighters.ts seasonRoster). */
  roster: () => Promise<SeasonRosterEntry[]>;
  /** New matchups from the AI or the built-in generator (prewarm.ts); never throws. */
  generate: (count: number, seed: string) => Promise<Matchup[]>;
  /** The cycle moved (a new seq and a broadcast). */
  changed: () => void;
}

type Stored = {
  cycle: CycleState;
  lengths: CycleLengths | null;
  /** The tournament's field read ahead, for the season it will be. */
  field: { season: number; seeds: string[]; fighters: Record<string, Fighter> } | null;
  /** The look of the current (or latest) bracket's fighters and the names of past champions, by fighter id. */
  fighters: Record<string, Fighter>;
  names: Record<string, string>;
};

export class SeasonDesk {
  private readonly c: SeasonContext;
  private memo: Stored | null = null;

  constructor(c: SeasonContext) {
    this.c = c;
    c.sql.exec(`CREATE TABLE IF NOT EXISTS season (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
  }

  lengths(): CycleLengths {
    const { config } = this.c;
    return this.load().lengths ?? { matchmakingRounds: config.CYCLE_MATCHMAKING_ROUNDS, exhibitions: config.CYCLE_EXHIBITIONS };
  }

  get cycle(): CycleState {
    return this.load().cycle;
  }

  /** A finished round, in the runner's archive step: moves the cycle (a plain poll does not count). */
  finished(result: RoundResult): void {
    const event = finishedEvent(result);
    // Quiet: the runner saves and broadcasts the finished round right after this step.
    if (event) this.reduce(event, { quiet: true });
  }

  /** The operator's "start a tournament now": seeded at once when the field is already read, else by the next upkeep. */
  startTournament(): CycleState {
    return this.reduce({ type: 'startTournament' });
  }

  /** The operator's "skip to matchmaking": an unfinished bracket is dropped. */
  skipToMatchmaking(): CycleState {
    return this.reduce({ type: 'skipToMatchmaking' });
  }

  /** New lengths; a field read ahead is dropped (it was read for the old count, maybe many rounds early). */
  setLengths(change: Partial<CycleLengths>): CycleLengths {
    const lengths = { ...this.lengths(), ...change };
    this.save({ lengths, field: this.cycle.stage === 'seeding' ? this.load().field : null });
    this.c.changed();
    return lengths;
  }

  /** The tournament match to open next, built from the bracket's stored fighters; null outside a tournament. */
  nextMatchup(): Matchup | null {
    const next = nextMatch(this.cycle);
    return next.kind === 'bracket' ? this.bracketMatchup(next.match) : null;
  }

  /**
   * What the stream and the site announce as up next while `live` is on: the bracket's following match once both
   * its fighters are known (null while one is still fighting: the final during the second semi-final), the first
   * quarter-final during the last matchmaking round when the field is read, else 'queue' (the queue's head).
   */
  upNext(live: Matchup): Matchup | null | 'queue' {
    const { cycle, field } = this.load();
    const next = nextMatch(cycle);
    if (next.kind === 'bracket') {
      const ids = new Set(live.options.map((o) => fighterId(o.fighter.name)));
      if (!(ids.has(next.match.a.id) && ids.has(next.match.b.id))) return this.bracketMatchup(next.match);
      if (next.match.index === BRACKET_SIZE - 2) return 'queue';
      const following = bracketMatches(cycle.bracket!)[next.match.index + 1];
      return following?.a && following.b ? this.bracketMatchup({ index: following.index, a: following.a, b: following.b }) : null;
    }
    const lastOfMatchmaking = cycle.stage === 'matchmaking' && cycle.played + 1 >= this.lengths().matchmakingRounds && isFight(live);
    if (lastOfMatchmaking && field?.season === cycle.season + 1 && field.seeds.length === BRACKET_SIZE) {
      const [a, b] = QUARTER_FINAL_SEEDS[0].map((seed) => field.fighters[field.seeds[seed - 1] as string]);
      if (a && b) return this.fight(a, b, `${field.season}:0`);
    }
    return 'queue';
  }

  private bracketMatchup(match: { index: number; a: { id: string }; b: { id: string } }): Matchup | null {
    const { fighters } = this.load();
    const a = fighters[match.a.id];
    const b = fighters[match.b.id];
    if (!a || !b) {
      // Cannot happen by this desk's own writes; if it does, a bracket that cannot be played is dropped, not stalled on.
      log.error('season.bracket-fighter-missing', { room: this.c.room, match: match.index });
      this.reduce({ type: 'skipToMatchmaking' }, { quiet: true });
      return null;
    }
    return this.fight(a, b, `${this.cycle.season}:${match.index}`);
  }

  /** For the snapshot. */
  onAir(): SeasonOnAir {
    const cycle = this.cycle;
    const showBracket = cycle.stage === 'tournament' || cycle.stage === 'exhibition';
    return { position: cyclePosition(cycle, this.lengths()), bracket: showBracket ? this.bracketView() : null };
  }

  /** GET /api/season. */
  view(): SeasonResponse {
    const cycle = this.cycle;
    const { names } = this.load();
    const champions: ChampionView[] = cycle.champions.map((ch) => ({ ...ch, name: names[ch.fighterId] ?? ch.fighterId }));
    return { type: 'season', v: PROTOCOL_VERSION, position: cyclePosition(cycle, this.lengths()), bracket: this.bracketView(), champions, cycle: this.lengths() };
  }

  /**
   * The upkeep's part: read the tournament's field when it is wanted, and fill the queue up to `missing` matchups
   * with matchmaking pairings (or exhibitions). Returns the matchups to queue. Throws nothing: a failed read falls
   * back to the generator.
   */
  async plan(missing: number, seed: string): Promise<Matchup[]> {
    const { room } = this.c;
    const wantsField = this.wantsField();
    if (!wantsField && missing <= 0) return [];
    let roster: SeasonRosterEntry[];
    try {
      roster = (await withTimeout(this.c.roster(), ROSTER_TIMEOUT_MS, 'reading the roster')).filter((f) => Fighter.safeParse(f.fighter).success);
    } catch (err) {
      log.warn('season.roster-unavailable', { room, error: err instanceof Error ? err.message : String(err) });
      return missing > 0 ? this.c.generate(missing, seed) : [];
    }
    if (wantsField && this.wantsField()) this.readField(roster);
    if (missing <= 0) return [];
    const out: Matchup[] = [];
    // The queue plays after a tournament's bracket: what is planned during one is for the exhibitions.
    const mode = this.cycle.stage === 'exhibition' || this.cycle.stage === 'tournament' ? 'exhibition' : 'matchmaking';
    for (let i = 0; i < missing; i++) {
      // Exhibitions debut more often by core's default (EXHIBITION_DEBUT_SHARE); DEBUT_PERCENT sets matchmaking's share.
      const debutShare = mode === 'matchmaking' ? this.c.config.DEBUT_PERCENT / 100 : undefined;
      const pairing = nextPairing(roster, { now: this.c.now(), seed: hash32(`${seed}:${i}`) }, { ...(debutShare === undefined ? {} : { debutShare }), mode });
      const byId = (id: string) => roster.find((f) => f.id === id)?.fighter;
      if (pairing.kind === 'pair') {
        const a = byId(pairing.a);
        const b = byId(pairing.b);
        if (a && b) out.push(this.fight(a, b, `${seed}:${i}`));
        continue;
      }
      const generated = await this.c.generate(pairing.kind === 'fresh' ? 1 : 2, `${seed}:${i}`);
      const first = generated[0];
      if (!first) continue;
      const opponent = pairing.kind === 'debut' ? byId(pairing.opponent) : undefined;
      if (!opponent) {
        out.push(first);
        continue;
      }
      // The newcomer: a generated fighter nobody on the roster is (the built-in generator repeats names).
      const known = new Set(roster.map((f) => f.id));
      const candidates = generated.flatMap((m) => m.options.map((o) => o.fighter)).filter((f) => fighterId(f.name) !== fighterId(opponent.name));
      const debut = candidates.find((f) => !known.has(fighterId(f.name))) ?? candidates[0];
      out.push(debut ? { ...first, title: `${debut.name} vs ${opponent.name}`.slice(0, 80), options: [{ id: 'A', fighter: debut }, { id: 'B', fighter: opponent }], headlines: [] } : first);
    }
    return out;
  }

  /** A two-fighter matchup of stored fighters; `key` picks the stage. */
  private fight(a: Fighter, b: Fighter, key: string): Matchup {
    const stage = STAGE_IDS[hash32(`${this.c.room}:${key}`) % STAGE_IDS.length] ?? STAGE_IDS[0];
    return {
      title: `${a.name} vs ${b.name}`.slice(0, 80),
      stage,
      options: [
        { id: 'A', fighter: a },
        { id: 'B', fighter: b },
      ],
      durationSec: this.c.config.ROUND_SECONDS,
      headlines: [],
      source: 'builtin',
    };
  }

  /** While seeding, or once the last matchmaking round is under way, and no field is read for the coming season. */
  private wantsField(): boolean {
    const { cycle, field } = this.load();
    const coming = cycle.season + 1;
    if (field?.season === coming) return false;
    if (cycle.stage === 'seeding') return true;
    return cycle.stage === 'matchmaking' && cycle.played >= this.lengths().matchmakingRounds - 1;
  }

  private readField(roster: readonly SeasonRosterEntry[]): void {
    const seeds = seedTournament(roster);
    const fighters: Record<string, Fighter> = {};
    for (const id of seeds) {
      const f = roster.find((r) => r.id === id)?.fighter;
      if (f) fighters[id] = f;
    }
    const field = { season: this.cycle.season + 1, seeds: seeds.filter((id) => fighters[id]), fighters };
    this.save({ field });
    log.info('season.field-read', { room: this.c.room, season: field.season, seeds: field.seeds.length });
    // Already seeding (an operator's start, or the read came late): the tournament begins with the next round.
    if (this.cycle.stage === 'seeding') this.reduce({ type: 'seed', seeds: field.seeds });
    // Else the first quarter-final is announced as up next (upNext) during the last matchmaking round.
    else this.c.changed();
  }

  /** One event through core's reducer; a field read ahead seeds the tournament the moment seeding begins. */
  private reduce(event: CycleEvent, opts: { quiet?: boolean } = {}): CycleState {
    const before = this.load();
    let cycle = reduceCycle(before.cycle, event, this.lengths());
    let { field, fighters, names } = before;
    // Seeding with a field read for this season: seeded now. A field is used once, whatever comes of it (too few
    // fighters sends the cycle back to matchmaking, and the next seeding reads the roster again).
    const seeding = field?.season === before.cycle.season + 1 && (cycle.stage === 'seeding' || (event.type === 'seed' && before.cycle.stage === 'seeding'));
    if (seeding && field) {
      if (cycle.stage === 'seeding') cycle = reduceCycle(cycle, { type: 'seed', seeds: field.seeds }, this.lengths());
      if (cycle.stage === 'tournament') fighters = field.fighters;
      field = null;
    }
    // Stale once matchmaking starts over (a skip, or the exhibitions ended).
    if (cycle.stage === 'matchmaking' && before.cycle.stage !== 'matchmaking') field = null;
    if (cycle === before.cycle && field === before.field) return cycle;
    const champion = cycle.champions[0];
    if (champion && champion !== before.cycle.champions[0]) {
      const name = fighters[champion.fighterId]?.name;
      const kept = new Set(cycle.champions.map((ch) => ch.fighterId));
      names = Object.fromEntries([...Object.entries(names).filter(([id]) => kept.has(id)), ...(name ? [[champion.fighterId, name]] : [])]);
    }
    this.save({ cycle, field, fighters, names });
    if (cycle.stage !== before.cycle.stage) log.info('season.stage', { room: this.c.room, from: before.cycle.stage, to: cycle.stage, season: cycle.season });
    if (!opts.quiet) this.c.changed();
    return cycle;
  }

  private bracketView(): BracketView | null {
    const { cycle, fighters } = this.load();
    return cycle.bracket ? bracketView(cycle.bracket, cycle.season, (id) => fighters[id]?.name ?? id) : null;
  }

  private load(): Stored {
    if (this.memo) return this.memo;
    const rows = new Map(this.c.sql.exec<{ key: string; value: string }>(`SELECT key, value FROM season`).toArray().map((r) => [r.key, r.value]));
    const json = (key: string): unknown => {
      const raw = rows.get(key);
      return raw === undefined ? undefined : JSON.parse(raw);
    };
    const parsed = CycleState.safeParse(json('cycle') ?? initialCycle());
    if (!parsed.success) log.error('season.state-invalid', { room: this.c.room, error: parsed.error.message });
    this.memo = {
      cycle: parsed.success ? parsed.data : initialCycle(),
      lengths: (json('lengths') as CycleLengths | undefined) ?? null,
      field: (json('field') as Stored['field'] | undefined) ?? null,
      fighters: (json('fighters') as Record<string, Fighter> | undefined) ?? {},
      names: (json('names') as Record<string, string> | undefined) ?? {},
    };
    return this.memo;
  }

  private save(change: Partial<Stored>): void {
    const next = { ...this.load(), ...change };
    for (const [key, value] of Object.entries(change)) {
      this.c.sql.exec(`INSERT INTO season (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, JSON.stringify(value));
    }
    this.memo = next;
  }
}
