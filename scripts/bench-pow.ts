/**
 * `npm run bench:pow`: how long the vote page's proof of work takes in Chromium on this machine, and what that
 * means for a phone. A benchmark that prints figures, not a test.
 *
 * It serves, from a small local server with the vote page's Content-Security-Policy, ALTCHA's external widget and
 * its PBKDF2 worker (the files the site ships) and challenges shaped exactly as the edge makes them
 * (edge/src/voter/challenge.ts: PBKDF2/SHA-256, ALTCHA_COST iterations per attempt, a hidden counter in
 * [ALTCHA_MAX_COUNTER / 2, ALTCHA_MAX_COUNTER]). Debian's Chromium then solves them with the widget itself, as a
 * voter's browser does: with as many workers as it has cores (the widget's default), and with one worker, which
 * gives the cost of one attempt on one core, the figure a phone is compared by.
 *
 *   ALTCHA_COST=1000 ALTCHA_MAX_COUNTER=2500 BENCH_POW_RUNS=9 node scripts/bench-pow.ts
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createChallenge, randomInt } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import { chromium } from 'playwright-core';
import { z } from 'zod';
import { EnvSchema } from '@stream-fighter/edge/src/env.ts';
import { median, ms } from './verify/stats.ts';

const Knobs = z.object({
  // The edge's own defaults, from its settings schema: the figures are for what a deployment hands out.
  ALTCHA_COST: EnvSchema.shape.ALTCHA_COST,
  ALTCHA_MAX_COUNTER: EnvSchema.shape.ALTCHA_MAX_COUNTER,
  BENCH_POW_RUNS: z.coerce.number().int().min(1).max(100).default(9),
  /** A mid-range phone's core against this machine's, per PBKDF2 attempt (the range the projection spans). */
  BENCH_POW_PHONE_SLOWDOWN: z.coerce.number().min(1).default(5),
  /** Workers a phone keeps busy at full speed: its big cores; the little ones add less. */
  BENCH_POW_PHONE_WORKERS: z.coerce.number().int().min(1).default(2),
  BENCH_POW_TARGET_MS: z.coerce.number().int().min(100).default(1_000),
});

const say = (line = '') => process.stdout.write(`${line}\n`);
const SECRET = 'bench-pow-signature-secret-0123456789';
const KEY_SECRET = 'bench-pow-key-secret-0123456789';

const altchaDist = join(dirname(createRequire(import.meta.url).resolve('altcha/external')), '..');
const FILES: Record<string, { file: string; type: string }> = {
  '/altcha.js': { file: join(altchaDist, 'external/altcha.min.js'), type: 'text/javascript' },
  '/altcha.css': { file: join(altchaDist, 'external/altcha.css'), type: 'text/css' },
  '/pbkdf2.js': { file: join(altchaDist, 'workers/pbkdf2.js'), type: 'text/javascript' },
};

/** The vote page's policy for scripts, styles and workers: only this origin, nothing inline. */
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; worker-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'";

const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="stylesheet" href="/altcha.css">
<script type="module" src="/altcha.js"></script><script type="module" src="/bench.js"></script></head><body></body></html>`;

/** In the page: one solve by a fresh widget, timed from verify() to its answer. */
const BENCH_JS = `
for (const a of ['PBKDF2/SHA-256']) globalThis.$altcha.algorithms.set(a, () => new Worker('/pbkdf2.js'));
globalThis.solveOnce = async (workers) => {
  const el = document.createElement('altcha-widget');
  el.setAttribute('challenge', '/challenge');
  el.setAttribute('auto', 'off');
  el.setAttribute('workers', String(workers));
  el.setAttribute('configuration', JSON.stringify({ minDuration: 0, humanInteractionSignature: false }));
  const loaded = new Promise((r) => el.addEventListener('load', r, { once: true }));
  document.body.append(el);
  await loaded;
  const t0 = performance.now();
  const out = await el.verify();
  const wallMs = performance.now() - t0;
  el.remove();
  if (!out || !out.solution) throw new Error('the widget found no solution');
  return { wallMs, counter: out.solution.counter, workers, cores: navigator.hardwareConcurrency };
};
globalThis.benchReady = true;
`;

interface Solve {
  wallMs: number;
  counter: number;
  workers: number;
  cores: number;
}

async function main(): Promise<void> {
  const k = Knobs.parse(process.env);
  const challenge = () =>
    createChallenge({
      algorithm: 'PBKDF2/SHA-256',
      cost: k.ALTCHA_COST,
      counter: randomInt(k.ALTCHA_MAX_COUNTER, Math.ceil(k.ALTCHA_MAX_COUNTER / 2)),
      deriveKey,
      expiresAt: Math.floor(Date.now() / 1000) + 600,
      hmacSignatureSecret: SECRET,
      hmacKeySignatureSecret: KEY_SECRET,
    });
  // The widget's files are cached as the site's hashed /_astro files are: a new worker does not fetch its script again.
  const send = (res: ServerResponse, type: string, body: string | Buffer, cache = 'no-store') => res.writeHead(200, { 'content-type': type, 'content-security-policy': CSP, 'cache-control': cache }).end(body);
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/') return send(res, 'text/html; charset=utf-8', PAGE);
    if (path === '/bench.js') return send(res, 'text/javascript', BENCH_JS);
    if (path === '/challenge') return void challenge().then((c) => send(res, 'application/json', JSON.stringify(c)));
    const f = FILES[path];
    if (f) return send(res, f.type, readFileSync(f.file), 'public, max-age=31536000, immutable');
    res.writeHead(path === '/favicon.ico' ? 204 : 404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
  try {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => void (m.type() === 'error' && problems.push(m.text())));
    await page.goto(base);
    // A function, not a string: the page's CSP refuses the eval a string predicate needs.
    await page.waitForFunction(() => (globalThis as { benchReady?: boolean }).benchReady === true, undefined, { timeout: 10_000 });
    const cores = await page.evaluate('navigator.hardwareConcurrency') as number;
    const expectedAttempts = 0.75 * k.ALTCHA_MAX_COUNTER;
    say(`bench:pow  Chromium ${browser.version()}, ${cores} cores, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}; challenge PBKDF2/SHA-256, cost ${k.ALTCHA_COST}, counter in [${Math.ceil(k.ALTCHA_MAX_COUNTER / 2)}, ${k.ALTCHA_MAX_COUNTER}] (≈${Math.round(expectedAttempts)} attempts expected); ${k.BENCH_POW_RUNS} solves each; the vote page's CSP`);
    const run = async (workers: number): Promise<Solve[]> => {
      const out: Solve[] = [];
      for (let i = 0; i < k.BENCH_POW_RUNS; i++) out.push((await page.evaluate(`solveOnce(${workers})`)) as Solve);
      return out;
    };
    await run(1); // warm-up: worker start, WebCrypto's first use
    const widget = await run(cores);
    const single = await run(1);
    if (problems.length) say(`  console errors: ${problems.join(' | ')}`);

    // One attempt on one core: the single-worker solves derived counter + 1 keys in their wall time.
    const perAttempt = median(single.map((s) => s.wallMs / (s.counter + 1)));
    const widgetMs = median(widget.map((s) => s.wallMs));
    say('');
    say(`  widget, ${cores} workers      median ${ms(widgetMs)}   min ${ms(Math.min(...widget.map((s) => s.wallMs)))}   max ${ms(Math.max(...widget.map((s) => s.wallMs)))}   (what a voter here waits, if the tap comes before the solve is done)`);
    say(`  widget, 1 worker       median ${ms(median(single.map((s) => s.wallMs)))}`);
    say(`  one attempt, one core  median ${(perAttempt * 1000).toFixed(0)} µs at cost ${k.ALTCHA_COST} (${((perAttempt * 1000) / k.ALTCHA_COST).toFixed(3)} µs per PBKDF2 iteration)`);

    // A phone: each attempt BENCH_POW_PHONE_SLOWDOWN× slower, spread over BENCH_POW_PHONE_WORKERS full-speed workers.
    const phone = (slowdown: number, attempts: number) => (attempts * perAttempt * slowdown) / k.BENCH_POW_PHONE_WORKERS;
    const phoneMs = phone(k.BENCH_POW_PHONE_SLOWDOWN, expectedAttempts);
    say(`  mid-range phone        ≈${ms(phoneMs)} expected (${ms(phone(4, expectedAttempts))} at 4×, ${ms(phone(6, expectedAttempts))} at 6× slower per attempt; ${k.BENCH_POW_PHONE_WORKERS} workers at full speed; ${ms(phoneMs * k.BENCH_POW_PHONE_WORKERS)} on one)`);
    // The counter (hence the work) for a ~target solve on that phone, at this cost.
    const maxFor = Math.round((k.BENCH_POW_TARGET_MS * k.BENCH_POW_PHONE_WORKERS) / (perAttempt * k.BENCH_POW_PHONE_SLOWDOWN * 0.75));
    say(`  for ≈${ms(k.BENCH_POW_TARGET_MS)} on that phone  ALTCHA_MAX_COUNTER ≈ ${maxFor} at ALTCHA_COST=${k.ALTCHA_COST} (the work a solve costs: cost × counter)`);
  } finally {
    await browser.close();
    server.close();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`bench:pow failed: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
