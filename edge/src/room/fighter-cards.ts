/**
 * The cards of the live round's two fighters (tier, record, streak, debut), read from the season's records in
 * Postgres when the round begins, for the stream to show next to their names ("S · 14-3", NEW, a streak flame).
 *
 * Never in the round's way: the read runs in the background (waitUntil) with a bounded time, and the snapshot
 * carries the cards only once they have come, with a new seq so they are broadcast. One attempt per round: a failure
 * is logged once and that round has no cards (the stream then shows the names alone); the next round tries again.
 * The cards are the records as they stood when the round began; the previous round's fight counts in them when the
 * archiver recorded it first (it does so as that round finishes, long before the next one begins, unless Postgres
 * was down then).
 */
import type { FighterCard, OptionId, RoundState } from '@stream-fighter/core';
import { isFight } from '@stream-fighter/core/round';
import { fighterId } from '@stream-fighter/core/season/record';
import { fighterById } from '../db/fighters.ts';
import type { Db } from '../db/client.ts';
import type { AppConfig } from '../env.ts';
import { log } from '../log.ts';
import { services } from '../services.ts';
import { withTimeout } from './with-timeout.ts';

export type FighterCards = Partial<Record<OptionId, FighterCard>>;

/** A read may not take longer than this: the intro is a few seconds, and cards that come later are little use. */
export const FIGHTER_CARDS_TIMEOUT_MS = 5_000;

/** The current round and the one before: a broadcast may still be made for the old one as the new one begins. */
const KEEP_ROUNDS = 2;

/** A fighter no fight has been recorded for (it is not in the table yet): a debut, tier N, 0-0-0. */
export const DEBUT_CARD: FighterCard = Object.freeze({ tier: 'N', wins: 0, losses: 0, ties: 0, streak: 0, debut: true });

/** One fighter's card from its record, or the debut card when it has none. */
export async function readCard(db: Db, name: string): Promise<FighterCard> {
  // One point of history and no recent fights: only the record and the tier are wanted here.
  const detail = await fighterById(db, fighterId(name), { points: 1, recent: 0 });
  if (!detail || detail.fighter.fights === 0) return DEBUT_CARD;
  const { tier, wins, losses, ties, streak } = detail.fighter;
  return { tier, wins, losses, ties, streak, debut: false };
}

export interface CardsContext {
  config: AppConfig;
  room: string;
  waitUntil: (work: Promise<unknown>) => void;
  /** The poll id of the round live in the room now: cards of a round already gone are kept but not broadcast. */
  currentPollId: () => string;
  /** Cards came for the current round: a new seq, so they are broadcast. */
  changed: () => void;
  /** How one card is read (tests replace it); Postgres by default. */
  read?: (name: string) => Promise<FighterCard>;
  timeoutMs?: number;
}

type Entry = { state: 'pending' } | { state: 'failed' } | { state: 'ready'; cards: FighterCards };

export class FighterCardDesk {
  private readonly entries = new Map<string, Entry>();
  private readonly c: CardsContext;

  constructor(c: CardsContext) {
    this.c = c;
  }

  /** The round's cards once they have come; undefined for a plain poll, before they come, or after a failure. */
  of(pollId: string): FighterCards | undefined {
    const entry = this.entries.get(pollId);
    return entry?.state === 'ready' ? entry.cards : undefined;
  }

  /** Starts reading this round's cards unless it is not a fight or they are here, on their way or failed. */
  want(round: Pick<RoundState, 'pollId' | 'matchup'>): void {
    if (!isFight(round.matchup) || this.entries.has(round.pollId)) return;
    this.entries.set(round.pollId, { state: 'pending' });
    while (this.entries.size > KEEP_ROUNDS) this.entries.delete(this.entries.keys().next().value as string);
    this.c.waitUntil(this.fetch(round));
  }

  private async fetch({ pollId, matchup }: Pick<RoundState, 'pollId' | 'matchup'>): Promise<void> {
    const { config, room } = this.c;
    const read = this.c.read ?? ((name: string) => readCard(services(config).db, name));
    const ms = this.c.timeoutMs ?? FIGHTER_CARDS_TIMEOUT_MS;
    try {
      const reading = Promise.all(matchup.options.map(async (o) => [o.id, await read(o.fighter.name)] as const));
      const cards: FighterCards = Object.fromEntries(await withTimeout(reading, ms, 'reading the fighter cards'));
      // Forgotten meanwhile (two newer rounds began): nothing to keep.
      if (!this.entries.has(pollId)) return;
      this.entries.set(pollId, { state: 'ready', cards });
      if (this.c.currentPollId() === pollId) this.c.changed();
    } catch (err) {
      if (this.entries.has(pollId)) this.entries.set(pollId, { state: 'failed' });
      log.warn('fighter-cards.failed', { room, pollId, error: err instanceof Error ? err.message : String(err) });
    }
  }
}
