import { sql } from 'drizzle-orm';
import type { Db } from './client.ts';

export type DbHealth = { ok: true; latencyMs: number } | { ok: false; latencyMs: number; error: string };

/** One round trip to Postgres. Never throws: a health check reports failure, it does not fail. */
export async function checkDb(db: Db): Promise<DbHealth> {
  const started = performance.now();
  const latencyMs = () => Math.round((performance.now() - started) * 10) / 10;
  try {
    const result = await db.execute<{ ok: number }>(sql`select 1 as ok`);
    if (Number(result.rows[0]?.ok) !== 1) return { ok: false, latencyMs: latencyMs(), error: 'unexpected reply to select 1' };
    return { ok: true, latencyMs: latencyMs() };
  } catch (error) {
    return { ok: false, latencyMs: latencyMs(), error: error instanceof Error ? error.message : String(error) };
  }
}
