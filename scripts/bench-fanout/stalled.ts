/**
 * `npm run bench:stalled`: what workerd holds for viewers that stop reading (issue 15, "Rate by need"). Workerd
 * gives the room no bufferedAmount, so a viewer that stops reading its socket and never pings is sent every delta
 * regardless; this measures where those bytes go (the client's receive queue, workerd's kernel send queue, workerd's
 * own memory) and whether the stall watch closes such viewers when they do ping with their stale seq.
 *
 * On the local stack bench:fanout uses (sf-system.ts, caps raised): per variant, a few reading viewers and K
 * viewers that read their snapshot and then nothing (stalled-viewer.ts); votes from distinct voters at a steady
 * rate; every few seconds workerd's RSS and the kernel's TCP table (stalled-variant.ts). Variants: `silent` (the
 * stalled viewers never write), `ping` (they ping every 20 s with the seq they hold, so the room should close them
 * with 4010 after 45-65 s); as controls, `reading` (the same K raw clients reading everything: what sending to K
 * more viewers costs) and `control` (no extra viewers: the RSS drift of the votes and readers alone).
 * `reading` runs first by default: workerd's RSS climbs by ~100 MB over the first minutes of sending to 200 more
 * viewers whether they read or not, and that must not be taken for the stalled viewers' cost.
 * Everything started is stopped at the end, on Ctrl-C and at the deadline.
 *
 *   BENCH_STALLED_VIEWERS=200 BENCH_STALLED_SECONDS=180 BENCH_STALLED_VARIANTS=reading,silent,ping npm run bench:stalled
 *
 * On loopback the stalled client's kernel took all 3 minutes' worth (its receive buffer may grow up to
 * net.ipv4.tcp_rmem's maximum), so workerd held none of it. To see what workerd holds once the buffers on the way are
 * full, as behind a real slow link, run it as root in a network namespace of its own with small buffers (the
 * machine's settings are untouched; the namespace has no Redis or Postgres, hence the embedded stand-ins):
 *
 *   unshare -n sh -c 'ip link set lo up && sysctl -q -w net.ipv4.tcp_wmem="4096 16384 65536" \
 *     net.ipv4.tcp_rmem="4096 32768 65536" && BENCH_BACKENDS=embedded exec node scripts/bench-fanout/stalled.ts'
 */
import { cpus, loadavg } from 'node:os';
import { z } from 'zod';
import { VIEWER_PING_MS, VIEWER_STALL_MS } from '@stream-fighter/core/constants';
import { fmt, table } from '@stream-fighter/edge/bench/stats.ts';
import { readKnobs } from './knobs.ts';
import { startSf } from './sf-system.ts';
import { driveVotes, kb, mb, runVariant, workerdRss, type VariantResult, type VoteTally } from './stalled-variant.ts';
import { runBench } from './run.ts';
import { sleep } from './wait.ts';

const say = (line = '') => process.stdout.write(`${line}\n`);
const int = (dflt: number, min = 1) => z.coerce.number().int().min(min).default(dflt);

const StalledKnobs = z.object({
  /** Viewers that stop reading, per variant. */
  BENCH_STALLED_VIEWERS: int(200, 0),
  /** Viewers that read everything: what they receive is what the room sent every viewer. */
  BENCH_STALLED_READERS: int(3),
  BENCH_STALLED_SECONDS: int(180),
  /** Votes before the first variant, not measured: workerd's RSS climbs for a minute or so as the room warms up. */
  BENCH_STALLED_WARMUP_SEC: int(60, 0),
  /** Votes from distinct voters: at 10/s the room broadcasts a delta on nearly every 100 ms throttle tick. */
  BENCH_STALLED_VOTES_PER_SEC: int(10),
  BENCH_STALLED_SAMPLE_SEC: int(5),
  BENCH_STALLED_PING_SEC: int(VIEWER_PING_MS / 1000),
  BENCH_STALLED_VARIANTS: z
    .string()
    .default('reading,silent,ping')
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.enum(['silent', 'ping', 'reading', 'control'])).min(1)),
  /** The whole run; by default the variants' time plus start-up and drains. */
  BENCH_STALLED_DEADLINE_SEC: z.coerce.number().int().min(60).optional(),
});
type StalledKnobs = z.infer<typeof StalledKnobs>;

/** Votes prepared per variant beyond seconds × rate: the last sample may come a little late. */
const VOTE_MARGIN_SEC = 30;
const PAUSE_MS = 5_000;

function readStalledKnobs(env: NodeJS.ProcessEnv): StalledKnobs {
  const parsed = StalledKnobs.safeParse(Object.fromEntries(Object.entries(env).filter(([key, v]) => key.startsWith('BENCH_STALLED_') && v !== '')));
  if (!parsed.success) throw new Error(`invalid knobs:\n  ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n  ')}`);
  return parsed.data;
}

/** Least-squares slope of y over x. */
function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return den === 0 ? Number.NaN : num / den;
}

const spread = (xs: number[]) => (xs.length === 0 ? '-' : `${fmt(xs[0]!, 0)} / ${fmt(xs[Math.floor(xs.length / 2)]!, 0)} / ${fmt(xs.at(-1)!, 0)} s`);
function tally(xs: Array<string | number | null>): string {
  const counts = new Map<string, number>();
  for (const x of xs) counts.set(String(x), (counts.get(String(x)) ?? 0) + 1);
  return [...counts].map(([key, n]) => `${key} ×${n}`).join(', ');
}

/** The variant's table (a row every 30 s and the last) and its figures; returns the RSS growth per stalled viewer per minute. */
function report(r: VariantResult, k: StalledKnobs): number {
  const rows = r.samples.filter((s, i) => i === r.samples.length - 1 || Math.round(s.atSec) % 30 < k.BENCH_STALLED_SAMPLE_SEC);
  const first = r.samples[0]!;
  say();
  say(
    table([
      ['t s', 'workerd RSS MB', 'Δ MB', 'sent KB/stalled', 'at client KB', 'workerd Send-Q KB', 'in workerd KB (est)', 'kernel TCP MB', 'client open/fin/gone', 'workerd open/closing/gone'],
      ...rows.map((s) => [
        fmt(s.atSec, 0),
        mb(s.rss),
        mb(s.rss - first.rss),
        kb(s.sent),
        kb(s.atClient),
        kb(s.sendQueue),
        s.inWorkerd === null ? '-' : kb(s.inWorkerd),
        s.kernelTcp === null ? '-' : mb(s.kernelTcp),
        `${s.client.open}/${s.client.fin}/${s.client.gone}`,
        `${s.server.open}/${s.server.closing}/${s.server.gone}`,
      ]),
    ]),
  );
  const minutes = r.samples.map((s) => s.atSec / 60);
  const perMin = slope(minutes, r.samples.map((s) => s.rss));
  const perStalledPerMin = r.stalled > 0 ? perMin / r.stalled : Number.NaN;
  const sentPerMin = r.sentTotal / (r.samples.at(-1)!.atSec / 60);
  say(`  [${r.name}] votes ${r.votes.ok} accepted, ${r.votes.failed} failed${r.votes.firstError ? ` (first: ${r.votes.firstError})` : ''}; a reader got ${r.readerMessages} messages, ${kb(r.sentTotal)} KB (${kb(sentPerMin)} KB/min)`);
  if (r.stalled > 0) say(`  [${r.name}] workerd RSS per stalled connection when it joined: ${kb((r.rssConnected - r.rssBefore) / r.stalled)} KB`);
  say(`  [${r.name}] workerd RSS growth (least squares): ${mb(perMin)} MB/min${r.stalled > 0 ? ` = ${fmt(perStalledPerMin / 1024, 2)} KB per ${r.name === 'reading' ? 'extra reading' : 'stalled'} viewer per minute, against ${kb(sentPerMin)} KB/min sent to each` : ''}`);
  if (r.stalled > 0 && r.name !== 'reading') {
    say(`  [${r.name}] workerd closed its end of ${r.serverClosedAfter.length}/${r.stalled} (after min / median / max ${spread(r.serverClosedAfter)}); the client end saw a FIN or reset on ${r.clientClosedAfter.length} (${spread(r.clientClosedAfter)})${r.name === 'ping' ? `; ${r.pingsSent} pings sent` : ''}`);
    const d = r.drained;
    const mean = (f: (x: (typeof d)[number]) => number) => d.reduce((a, x) => a + f(x), 0) / d.length;
    say(`  [${r.name}] reading again at the end, each got ${kb(mean((x) => x.bytes))} KB, ${fmt(mean((x) => x.messages), 0)} messages on average (a reader: ${kb(r.sentTotal)} KB); close frames: ${tally(d.map((x) => x.closeCode))}; stopped on: ${tally(d.map((x) => x.stop))}`);
  }
  return perStalledPerMin;
}

runBench(
  'bench:stalled',
  say,
  () => {
    // Its own port and Redis database by default, so it can run beside bench:fanout.
    const base = readKnobs({ BENCH_PORT: '8970', BENCH_REDIS_URL: 'redis://127.0.0.1:6379/9', ...process.env });
    const k = readStalledKnobs(process.env);
    const deadlineSec = k.BENCH_STALLED_DEADLINE_SEC ?? k.BENCH_STALLED_WARMUP_SEC + k.BENCH_STALLED_VARIANTS.length * (k.BENCH_STALLED_SECONDS + 120) + 300;
    return { knobs: { base, k }, deadlineSec, deadlineKnob: 'BENCH_STALLED_DEADLINE_SEC' };
  },
  async ({ base, k }, { signal, register }) => {
    const variants = k.BENCH_STALLED_VARIANTS;
    say(`bench:stalled  ${k.BENCH_STALLED_VIEWERS} stalled + ${k.BENCH_STALLED_READERS} reading viewers; variants ${variants.join(', ')}; ${k.BENCH_STALLED_SECONDS} s each, votes ${k.BENCH_STALLED_VOTES_PER_SEC}/s, samples every ${k.BENCH_STALLED_SAMPLE_SEC} s; stall window ${VIEWER_STALL_MS / 1000} s, pings every ${k.BENCH_STALLED_PING_SEC} s; load average ${loadavg()[0]!.toFixed(2)}`);
    const sys = await startSf(base, say, register);
    const refusal = sys.cannotHold(k.BENCH_STALLED_VIEWERS + k.BENCH_STALLED_READERS);
    if (refusal) throw new Error(refusal);
    const w = workerdRss();
    if (w.pids.length === 0) throw new Error('no workerd process found below this one: its RSS cannot be sampled');
    say(`workerd     pid ${w.pids.join(', ')}, RSS ${mb(w.bytes)} MB`);
    const budget = (k.BENCH_STALLED_SECONDS + VOTE_MARGIN_SEC) * k.BENCH_STALLED_VOTES_PER_SEC;
    const warmupVotes = k.BENCH_STALLED_WARMUP_SEC * k.BENCH_STALLED_VOTES_PER_SEC;
    await sys.prepare(warmupVotes + budget * variants.length);
    const serverPort = Number(new URL(sys.viewerUrl).port);
    if (warmupVotes > 0) {
      const tally: VoteTally = { ok: 0, failed: 0, firstError: null };
      await driveVotes(sys, { votesPerSec: k.BENCH_STALLED_VOTES_PER_SEC, firstVote: 1, voteBudget: warmupVotes }, tally, signal);
      if (signal.aborted) throw signal.reason;
      say(`warm-up     ${tally.ok} votes in ${k.BENCH_STALLED_WARMUP_SEC} s (${tally.failed} failed${tally.firstError ? `: ${tally.firstError}` : ''}); workerd RSS ${mb(workerdRss().bytes)} MB`);
    }

    const growth = new Map<string, number>();
    for (const [i, name] of variants.entries()) {
      if (i > 0) await sleep(PAUSE_MS, signal);
      say();
      const r = await runVariant(
        sys,
        {
          name,
          stalled: k.BENCH_STALLED_VIEWERS,
          readers: k.BENCH_STALLED_READERS,
          seconds: k.BENCH_STALLED_SECONDS,
          votesPerSec: k.BENCH_STALLED_VOTES_PER_SEC,
          sampleSec: k.BENCH_STALLED_SAMPLE_SEC,
          pingSec: k.BENCH_STALLED_PING_SEC,
          serverPort,
          firstVote: 1 + warmupVotes + i * budget,
          voteBudget: budget,
        },
        signal,
        say,
        register,
      );
      growth.set(name, report(r, k));
    }
    say();
    say(`workerd RSS growth per stalled (or, for reading, extra) viewer per minute: ${[...growth].map(([name, g]) => `${name} ${Number.isNaN(g) ? '-' : `${fmt(g / 1024, 2)} KB`}`).join(', ')}`);
    say('sent: frames (with headers) a reading viewer got since the stall began, which the room sent every viewer; at client: unread bytes in');
    say("the stalled client's Node buffer and kernel receive queue; Send-Q: workerd's kernel send queue for that connection; in workerd:");
    say('sent − at client − Send-Q, for connections workerd still holds open (what waits in workerd itself); client fin: a FIN or reset arrived');
    say(`load average at the end: ${loadavg().map((x) => x.toFixed(2)).join(' ')} (${cpus().length} cores)`);
    return 0;
  },
);
