/**
 * Whether votes go through, as the room answers them.
 *
 * "Votes failing" means the room's vote path throws: the batch that counts a vote (the room's SQLite insert, the
 * round's reducer, anything past the rate limits) fails, and /api/vote answers the viewer a bare 500 (the Worker's
 * one error path). A refusal (already voted, rate-limited, round not live…) is the path working, and counts as
 * an answer. Redis being away is not a failure here: the rate limits let votes through without it (admission.ts),
 * and the room's SQLite still counts each voter once. One failure can be a one-off; FAILURES or more in five
 * minutes, with at least as many failing as answered, means viewers keep seeing errors: that is the alert.
 *
 * Kept in memory, not in SQLite: counting every vote would cost a write per vote on the room's hottest path. While
 * votes arrive the room is awake, so nothing is lost; an evicted room has had no votes, which is "no evidence"
 * and changes nothing (a down message stands until votes go through again).
 */

/** The window the failures are counted over. */
export const VOTE_WINDOW_MS = 5 * 60_000;
/** Counts are kept per slice of this length, so the window costs a few dozen numbers however busy the room is. */
const SLICE_MS = 10_000;

interface Slice {
  at: number;
  answered: number;
  failed: number;
}

export interface VoteStats {
  answered: number;
  failed: number;
  lastError: string | null;
}

export class VoteWatch {
  private slices: Slice[] = [];
  private lastError: string | null = null;
  private readonly now: () => number;

  constructor(now: () => number) {
    this.now = now;
  }

  answered(): void {
    this.slice().answered++;
  }

  failed(error: unknown): void {
    this.slice().failed++;
    this.lastError = error instanceof Error ? error.message : String(error);
  }

  stats(): VoteStats {
    this.prune();
    let answered = 0;
    let failed = 0;
    for (const s of this.slices) {
      answered += s.answered;
      failed += s.failed;
    }
    return { answered, failed, lastError: failed > 0 ? this.lastError : null };
  }

  private slice(): Slice {
    const at = Math.floor(this.now() / SLICE_MS) * SLICE_MS;
    let last = this.slices[this.slices.length - 1];
    if (!last || last.at !== at) {
      this.prune();
      last = { at, answered: 0, failed: 0 };
      this.slices.push(last);
    }
    return last;
  }

  private prune(): void {
    const from = this.now() - VOTE_WINDOW_MS;
    while (this.slices.length > 0 && this.slices[0]!.at + SLICE_MS <= from) this.slices.shift();
  }
}
