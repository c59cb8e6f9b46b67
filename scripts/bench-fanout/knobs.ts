/** The benchmark's knobs: environment variables, parsed once; a malformed one stops the run before anything starts. */
import { z } from 'zod';

const int = (dflt: number, min = 1) => z.coerce.number().int().min(min).default(dflt);
const csv = (dflt: string) => z.string().default(dflt).transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));

export const SYSTEMS = ['sf', 'seed'] as const;
export type SystemName = (typeof SYSTEMS)[number];

export const Knobs = z
  .object({
    /** Viewer counts, each measured on every system, in this order. */
    BENCH_VIEWERS: csv('2000,5000,10000')
      .transform((xs) => xs.map(Number))
      .pipe(z.array(z.number().int().min(1).max(30_000)).min(1)),
    /** sf: Stream Fighter's room on its own local stack; seed: the seed project's Socket.IO tier, re-created. */
    BENCH_SYSTEMS: csv('sf,seed').pipe(z.array(z.enum(SYSTEMS)).min(1)),
    /** Votes per viewer count and system, after the warm-up votes (sent the same way, not in the figures). */
    BENCH_VOTES: int(40),
    BENCH_WARMUP_VOTES: int(3, 0),
    /** Between one vote and the next: drawn uniformly, so votes fall on every phase of the seed's 200 ms tick. */
    BENCH_SPACING_MIN_MS: int(200),
    BENCH_SPACING_MAX_MS: int(300),
    /** Threads holding the viewers (node:worker_threads): the viewers' JSON.parse runs beside the main thread. */
    BENCH_WORKERS: int(2),
    /** Connections each worker opens at once while it connects its viewers. */
    BENCH_CONNECT_CONCURRENCY: int(100),
    /** For all viewers of one count to be connected and to hold the same state. */
    BENCH_CONNECT_TIMEOUT_SEC: int(300),
    /** A vote that some viewer has not seen within this long is counted as missed. */
    BENCH_REACH_TIMEOUT_MS: int(10_000),
    /** The whole run: past it everything is stopped and the run fails. */
    BENCH_DEADLINE_SEC: int(2_400),
    /** The local stack uses this port and the next two; the seed's tier this one (Socket.IO) and the next (its API). */
    BENCH_PORT: int(8960, 1024),
    BENCH_SEED_PORT: int(8965, 1024),
    BENCH_BACKENDS: z.enum(['auto', 'real', 'embedded']).default('auto'),
    /** The stack's Redis (behind its Upstash stand-in); this database is flushed. 11-14 belong to the tests and the other benches. */
    BENCH_REDIS_URL: z.string().default('redis://127.0.0.1:6379/10'),
    BENCH_POSTGRES_URL: z.string().default('postgres://postgres@127.0.0.1:5432/test'),
    /** The seed's tier needs a real Redis (its adapter publishes there); only its own keys are touched. */
    BENCH_SEED_REDIS_URL: z.string().default('redis://127.0.0.1:6379/15'),
    BENCH_VERBOSE: z.stringbool().default(false),
  })
  .refine((k) => k.BENCH_SPACING_MAX_MS >= k.BENCH_SPACING_MIN_MS, { message: 'BENCH_SPACING_MAX_MS must be at least BENCH_SPACING_MIN_MS' });
export type Knobs = z.infer<typeof Knobs>;

export function readKnobs(env: NodeJS.ProcessEnv): Knobs {
  const parsed = Knobs.safeParse(Object.fromEntries(Object.entries(env).filter(([key, v]) => key.startsWith('BENCH_') && v !== '')));
  if (!parsed.success) {
    throw new Error(`invalid knobs:\n  ${parsed.error.issues.map((i) => `${i.path.join('.') || '(knobs)'}: ${i.message}`).join('\n  ')}`);
  }
  return parsed.data;
}
