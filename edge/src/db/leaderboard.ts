/** Fighters by wins: the durable source. Redis holds a live copy for fast reads and is rebuilt from this. */
import { asc, desc, gt } from 'drizzle-orm';
import type { z } from 'zod';
import type { LeaderboardEntry } from '@stream-fighter/core/protocol';
import { fighters } from '@stream-fighter/drizzle/schema';
import type { Db } from './client.ts';

export async function topFighters(db: Db, limit = 10): Promise<z.infer<typeof LeaderboardEntry>[]> {
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new RangeError('limit must be an integer from 1 to 100');
  // Ties go to the name, so the order is stable between calls.
  return db
    .select({ fighter: fighters.name, wins: fighters.wins })
    .from(fighters)
    .where(gt(fighters.wins, 0))
    .orderBy(desc(fighters.wins), asc(fighters.name))
    .limit(limit);
}
