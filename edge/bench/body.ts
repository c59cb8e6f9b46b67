/**
 * bench:body: what a 200 MB chunked POST costs the edge. Starts its own local edge (workerd, the deploy bundle),
 * then sends the body in 64 KiB chunks with no Content-Length, samples the runtime's RSS every 10 ms meanwhile,
 * and prints the status, how much of the body had been sent when the answer came, and RSS before, at peak, and after.
 * The edge reads bodies as streams with a byte cap (edge/src/http/body.ts), so the peak should stay within a few MB.
 *
 *   npm run bench:body            # BENCH_BODY_MB=200 BENCH_REPS=3 BENCH_PORT=8920
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { z } from 'zod';
import { ownStack } from './target.ts';
import { median } from './stats.ts';

const Knobs = z.object({
  BENCH_BODY_MB: z.coerce.number().int().min(1).max(2000).default(200),
  BENCH_REPS: z.coerce.number().int().min(1).max(20).default(3),
  BENCH_PORT: z.coerce.number().int().min(1024).max(65000).default(8920),
});

const say = (line: string) => process.stdout.write(`${line}\n`);

/** The process listening on the port (the workerd edge), from `ss`. */
function listenerPid(port: number): number {
  const out = execFileSync('ss', ['-ltnpH', `sport = :${port}`], { encoding: 'utf8' });
  const m = /pid=(\d+)/.exec(out);
  if (!m) throw new Error(`no process found listening on ${port} (ss said: ${out.trim() || 'nothing'})`);
  return Number(m[1]);
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/**
 * The body goes over a raw socket, chunk by chunk, while the answer is read: an HTTP client library would stop at
 * the first write the edge no longer takes (EPIPE) and never show the 413 that came before it.
 */
function sendChunked(api: string, totalBytes: number): Promise<{ status: number; sentAtAnswer: number; ms: number }> {
  const url = new URL(api);
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  const framed = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let sent = 0;
    let sentAtAnswer = -1;
    let reply = '';
    const socket = connect(Number(url.port), url.hostname);
    const timer = setTimeout(() => socket.destroy(new Error('no answer within 60 s')), 60_000);
    const finish = () => {
      clearTimeout(timer);
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(reply)?.[1] ?? 0);
      resolve({ status, sentAtAnswer: sentAtAnswer < 0 ? sent : sentAtAnswer, ms: performance.now() - started });
    };
    socket.on('data', (d) => {
      if (sentAtAnswer < 0) sentAtAnswer = sent;
      reply += d.toString('latin1');
    });
    socket.on('close', finish);
    socket.on('error', () => undefined); // EPIPE/ECONNRESET once the edge has answered and closed: expected
    socket.on('connect', () => {
      socket.write(`POST /api/vote HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`);
      const pump = () => {
        while (sent < totalBytes && !socket.destroyed && sentAtAnswer < 0) {
          sent += chunk.length;
          if (!socket.write(framed)) return void socket.once('drain', pump);
        }
        if (!socket.destroyed && sentAtAnswer < 0) socket.end('0\r\n\r\n');
        else socket.end();
      };
      pump();
    });
    socket.once('error', (e) => {
      if (!reply) reject(e);
    });
  });
}

async function oneRep(api: string, pid: number, mb: number): Promise<{ status: number; sentMb: number; before: number; peak: number; after: number; ms: number }> {
  const before = rssMb(pid);
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 10);
  const { status, sentAtAnswer, ms } = await sendChunked(api, mb * 1024 * 1024);
  await new Promise((r) => setTimeout(r, 2_000));
  clearInterval(sampler);
  return { status, sentMb: sentAtAnswer / 1024 / 1024, before, peak, after: rssMb(pid), ms };
}

async function main(): Promise<void> {
  const k = Knobs.parse(process.env);
  let close = async () => {};
  const target = await ownStack(
    { portBase: k.BENCH_PORT, backends: 'auto', redisUrl: 'redis://127.0.0.1:6379/14', postgresUrl: 'postgres://postgres@127.0.0.1:5432/test', ipLimitPer10s: 60, verbose: false, say },
    (c) => (close = c),
  );
  try {
    const pid = listenerPid(k.BENCH_PORT);
    say(`bench:body  ${k.BENCH_BODY_MB} MB chunked POST /api/vote, ${k.BENCH_REPS} reps, edge pid ${pid}`);
    const reps = [];
    for (let i = 0; i < k.BENCH_REPS; i++) {
      const r = await oneRep(target.api, pid, k.BENCH_BODY_MB);
      reps.push(r);
      say(`  rep ${i + 1}: ${r.status} after ${r.ms.toFixed(0)} ms; sent before the answer ${r.sentMb.toFixed(2)} MB; RSS ${r.before.toFixed(1)} → peak ${r.peak.toFixed(1)} → ${r.after.toFixed(1)} MB`);
    }
    const grow = reps.map((r) => r.peak - r.before);
    say(`median: peak growth ${median(grow).toFixed(1)} MB, after ${median(reps.map((r) => r.after - r.before)).toFixed(1)} MB, sent before the answer ${median(reps.map((r) => r.sentMb)).toFixed(2)} MB`);
  } finally {
    await close();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`bench:body failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
