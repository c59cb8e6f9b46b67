/**
 * `npm run bench:fanout`: how fast a vote reaches every viewer of a big room, for Stream Fighter's room and for the
 * seed project's realtime tier, in one run, side by side (issue 15, "Many viewers").
 *
 * For each viewer count N: N plain viewers connect (WebSocket on the room; socket.io-client on the seed's tier), then
 * votes from distinct voters go one at a time, 200-300 ms apart; each vote is timed from its POST until every viewer
 * holds an update that counts it. Printed per N and system: p50 / p95 / max of that time, the mean bytes of a state
 * update a viewer received, the updates per viewer per second, and the bytes per second sent to all viewers.
 * Viewers run in worker threads of this process (BENCH_WORKERS); the room runs in workerd and the seed's tier in two
 * Node processes of its own, all on this machine. Knobs: knobs.ts. Everything started is stopped at the end, on
 * Ctrl-C and at the deadline (BENCH_DEADLINE_SEC).
 *
 *   BENCH_VIEWERS=200,1000 BENCH_VOTES=20 npm run bench:fanout
 */
import { cpus, loadavg } from 'node:os';
import { readKnobs, type SystemName } from './knobs.ts';
import { measure } from './measure.ts';
import { render, type Row } from './report.ts';
import { startSeed } from './seed-system.ts';
import { startSf } from './sf-system.ts';
import type { SystemUnderTest } from './system.ts';
import { runBench } from './run.ts';
import { sleep } from './wait.ts';

const say = (line = '') => process.stdout.write(`${line}\n`);
const PAUSE_MS = 3_000;

runBench(
  'bench:fanout',
  say,
  () => {
    const knobs = readKnobs(process.env);
    return { knobs, deadlineSec: knobs.BENCH_DEADLINE_SEC, deadlineKnob: 'BENCH_DEADLINE_SEC' };
  },
  async (k, { signal, register }) => {
    say(`bench:fanout  viewers ${k.BENCH_VIEWERS.join(', ')}; ${k.BENCH_VOTES} votes each (+${k.BENCH_WARMUP_VOTES} warm-up), ${k.BENCH_SPACING_MIN_MS}-${k.BENCH_SPACING_MAX_MS} ms apart; viewers in ${k.BENCH_WORKERS} thread(s); load average ${loadavg()[0]!.toFixed(2)}`);
    const systems = new Map<SystemName, SystemUnderTest>();
    // The seed first: it starts in a second and fails at once when there is no Redis, before the stack's minute.
    if (k.BENCH_SYSTEMS.includes('seed')) systems.set('seed', await startSeed(k, say, register));
    if (k.BENCH_SYSTEMS.includes('sf')) systems.set('sf', await startSf(k, say, register));
    const order = k.BENCH_SYSTEMS.map((name) => systems.get(name)!);
    const labels = order.map((s) => s.label);

    const rows: Row[] = [];
    let gaps = 0;
    for (const viewers of k.BENCH_VIEWERS) {
      const row: Row = { viewers, bySystem: new Map() };
      rows.push(row);
      for (const sys of order) {
        if (signal.aborted) break;
        try {
          // A pause first: the previous measurement's thousands of closing sockets are not this one's load.
          await sleep(PAUSE_MS, signal);
          const m = await measure(sys, viewers, k, signal, say);
          gaps += m.traffic.gaps;
          const t = m.traffic;
          say(`  ${sys.label}, ${viewers} viewers: ${t.updates} updates received (${t.full} whole states, ${t.updates - t.full} deltas), ${t.other} other messages`);
          row.bySystem.set(sys.label, m);
        } catch (e) {
          if (signal.aborted) throw e;
          const message = e instanceof Error ? e.message : String(e);
          say(`  ${sys.label}, ${viewers} viewers: FAILED: ${message}`);
          row.bySystem.set(sys.label, message);
        }
      }
      say();
      say(render(rows, labels));
      say();
    }
    if (gaps > 0) say(`deltas that found a gap (a resync was asked for): ${gaps}`);
    say('time: from the vote POST sent until every viewer held a state counting it; B/update: payload of a state-bearing message');
    say('(Stream Fighter: snapshot or delta; seed: the heartbeat frame); MB/s out: every message to every viewer, during the votes;');
    say('server CPU µs/message: CPU time (user + system, /proc) of the server processes (workerd; the seed\'s two Node processes) over the');
    say('votes, per message a viewer received: a cost per viewer per update that other load on the machine does not change;');
    say('harness busy: event-loop use of the busiest viewer thread (near 100%, the viewers themselves fall behind)');
    say(`load average at the end: ${loadavg().map((x) => x.toFixed(2)).join(' ')} (${cpus().length} cores; anything else running shows here)`);
    const failed = rows.some((r) => [...r.bySystem.values()].some((m) => typeof m === 'string' || m.missed > 0));
    return failed ? 1 : 0;
  },
);
