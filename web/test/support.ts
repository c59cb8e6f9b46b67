/**
 * Support for the site's browser tests: the local stack (Upstash stand-in embedded, a fresh database on the real
 * PostgreSQL or PGlite, throwaway data folder under .data, free ports) with the site built into it, Debian's Chromium
 * driven by playwright-core, and screenshots.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { join, relative, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { inject, vi } from 'vitest';
import { LocalSettings } from '@stream-fighter/devstack/stack/settings';
import { startStack, type Stack } from '@stream-fighter/devstack/stack/stack';
import { fightMatchup, pollMatchup } from '@stream-fighter/core/fixtures/matchups';
import { freePort } from '@stream-fighter/devstack/stack/free-port';
import { altchaPayload } from '@stream-fighter/devstack/stack/solve-challenge';
import { freshPostgresDatabase, reachable, TEST_POSTGRES_URL } from '@stream-fighter/devstack/test-support/real-servers';
import { SHORT_PHASES } from '@stream-fighter/devstack/test-support/short-phases';
// Its `edgeBundleDir`, provided to every test of the run (the declaration comes with the module).
import type {} from '@stream-fighter/devstack/test-support/e2e-global-setup';

const ROOT = resolve(import.meta.dirname, '../..');
export const OUTPUT = resolve(import.meta.dirname, '../test-output');
export const PHONE = { width: 390, height: 844 } as const;

export interface SiteStack {
  stack: Stack;
  /** One statement on the stack's database, through its local Neon endpoint (Neon's HTTP SQL protocol). */
  sql(query: string, params?: Array<string | null>): Promise<void>;
  teardown(): Promise<void>;
}

/**
 * The stack behind one test file. Its database is a fresh one on the real PostgreSQL when it answers (behind the
 * local Neon endpoint, as with DATABASE_URL: a 2–3 s start instead of 7–12 s for PGlite's, which each page's file
 * would pay), else PGlite in the throwaway data folder. `vars` go to the Worker over the tests' own.
 */
export async function startSiteStack(vars: Record<string, string> = {}): Promise<SiteStack> {
  mkdirSync(join(ROOT, '.data'), { recursive: true });
  const dataDir = mkdtempSync(join(ROOT, '.data', 'web-e2e-'));
  const database = (await reachable(TEST_POSTGRES_URL)) ? await freshPostgresDatabase('web_e2e') : null;
  const neonPort = await freePort();
  const settings = LocalSettings.parse({
    PORT: await freePort(),
    NEON_HTTP_PORT: neonPort,
    UPSTASH_PORT: await freePort(),
    DATA_DIR: relative(ROOT, dataDir),
    ...(database ? { DATABASE_URL: database.url } : {}),
  });
  const quiet = (event: string, fields: Record<string, unknown> = {}) => {
    if (fields.level === 'error' || fields.level === 'warn') console.warn(`[stack] ${event} ${JSON.stringify(fields)}`);
  };
  let stack: Stack;
  try {
    // All browsers here share 127.0.0.1: the per-address limits are for the internet.
    stack = await startStack(settings, quiet, { ...SHORT_PHASES, RATE_LIMIT_IP_PER_10S: '100000', SESSIONS_PER_ADDRESS_PER_HOUR: '100000', VOTES_PER_ADDRESS_PER_ROUND: '100000', ...vars }, { edgeBundleDir: inject('edgeBundleDir') });
  } catch (e) {
    rmSync(dataDir, { recursive: true, force: true });
    await database?.drop();
    throw e;
  }
  return {
    stack,
    async sql(query, params = []) {
      const res = await fetch(`http://127.0.0.1:${neonPort}/sql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'neon-connection-string': 'postgres://test@localhost/test' },
        body: JSON.stringify({ query, params }),
        signal: AbortSignal.timeout(10_000),
      });
      if (!res.ok) throw new Error(`SQL on the stack's database: ${res.status} ${await res.text()}`);
    },
    async teardown() {
      try {
        await stack.stop();
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
        await database?.drop();
      }
    },
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export async function screenshot(page: Page, name: string, opts: { fullPage?: boolean } = {}): Promise<string> {
  mkdirSync(OUTPUT, { recursive: true });
  const path = join(OUTPUT, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path, fullPage: opts.fullPage ?? true });
  return path;
}

/** Closes the browser contexts a test opened; a failed test first leaves a picture of every page it had open. */
export async function closeContexts(contexts: Set<BrowserContext>, task: { name: string; result?: { state: string } }): Promise<void> {
  if (task.result?.state === 'fail') {
    let i = 0;
    for (const c of contexts) for (const p of c.pages()) await screenshot(p, `FAILED-${task.name}-${i++}`).catch(() => {});
  }
  for (const c of contexts) await c.close().catch(() => {});
  contexts.clear();
}

export async function api<T = Record<string, unknown>>(base: string, path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
  const res = await fetch(`${base}${path}`, { ...init, signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) as T };
  } catch {
    throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status}, not JSON: ${text.slice(0, 200)}`);
  }
}

/** A call of the chat bridge (`/api/chat/votes`, `/api/chat/status`), with its token, as chat-bridge/ sends it. */
export function bridgeCall<T = Record<string, unknown>>(base: string, bridgeToken: string, path: '/api/chat/votes' | '/api/chat/status', body: unknown): Promise<{ status: number; body: T }> {
  return api<T>(base, path, { method: 'POST', headers: { authorization: `Bearer ${bridgeToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/**
 * A chat bridge's report that a chat is connected, as chat-bridge/ sends one every 5 s: chat votes are open (the
 * room's `chatOpen`, which the stream, the overlay and the vote page follow) for the next 30 s.
 */
export async function chatConnected(base: string, bridgeToken: string, source = 'twitch:e2e_chat'): Promise<void> {
  const res = await bridgeCall(base, bridgeToken, '/api/chat/status', { sources: [{ source, state: 'connected' }] });
  if (res.status !== 200) throw new Error(`POST /api/chat/status: ${res.status} ${JSON.stringify(res.body)}`);
}

/** A chat line that votes, as the bridge relays it: a platform account, the name chat shows, the line, sent now. */
export const chatLine = (voter: string, name: string, line: string) => ({ id: `${voter}-${randomUUID()}`, voter, name, line, at: Date.now() });

/** Iron Mara against Zip Zero on the rooftop, for 10 minutes: no test sees it end by the clock. */
export const duel = (title: string) => fightMatchup('Iron Mara', 'Zip Zero', { title, stage: 'rooftop', durationSec: 600 });

/** A plain poll of four snacks, for 10 minutes. */
export const plainPoll = (title: string) => pollMatchup(4, title, { durationSec: 600 });

/** One new voter votes A (with a solved challenge, as a browser would), then the operator ends the live round. */
export async function oneVoteThenEnd(base: string, operatorToken: string): Promise<void> {
  const voted = await api(base, '/api/vote', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ option: 'A', altcha: await altchaPayload(base) }),
  });
  if (voted.status !== 200) throw new Error(`POST /api/vote: ${voted.status} ${JSON.stringify(voted.body)}`);
  const rotated = await api(base, '/api/poll/rotate', { method: 'POST', headers: { authorization: `Bearer ${operatorToken}` } });
  if (rotated.status !== 200) throw new Error(`POST /api/poll/rotate: ${rotated.status} ${JSON.stringify(rotated.body)}`);
}

/**
 * Put `matchup` alone at the head of the queue. The room refills an emptied queue (its upkeep): one refilled between
 * the deletes and the POST goes first and costs a whole round more (CI saw it), so this retries until the POST's
 * answer has the matchup first.
 */
export async function queueAtHead(base: string, operatorToken: string, matchup: { title: string }): Promise<void> {
  const auth = { authorization: `Bearer ${operatorToken}`, 'content-type': 'application/json' };
  for (let attempt = 0; attempt < 3; attempt++) {
    const q = await api<{ queue: Array<{ id: number }> }>(base, '/api/poll/queue', { headers: auth });
    for (const item of q.body.queue) await api(base, `/api/poll/queue/${item.id}`, { method: 'DELETE', headers: auth });
    const added = await api<{ queue: Array<{ matchup: { title: string } }> }>(base, '/api/poll/queue', { method: 'POST', headers: auth, body: JSON.stringify(matchup) });
    if (added.status !== 201) throw new Error(`POST /api/poll/queue: ${added.status} ${JSON.stringify(added.body)}`);
    if (added.body.queue[0]?.matchup.title === matchup.title) return;
  }
  throw new Error(`could not put ${matchup.title} at the head of the queue`);
}

/**
 * Make `matchup` the live round: put it at the head of the queue, rotate, and wait for the room's own clock (finish
 * card, results card, intro) until it is live: about 4 s with the stack's SHORT_PHASES.
 */
export async function goLive(base: string, operatorToken: string, matchup: { title: string }): Promise<string> {
  const auth = { authorization: `Bearer ${operatorToken}`, 'content-type': 'application/json' };
  await queueAtHead(base, operatorToken, matchup);
  const rotate = async () => {
    const rotated = await api(base, '/api/poll/rotate', { method: 'POST', headers: auth });
    if (rotated.status !== 200) throw new Error(`POST /api/poll/rotate: ${rotated.status}`);
  };
  await rotate();
  return vi.waitFor(
    async () => {
      const { round } = (await api<{ round: { pollId: string; phase: string; matchup: { title: string } } }>(base, '/api/poll')).body;
      // A round that had already finished had its successor fixed (bets may name it): once that one opens, end it too.
      if (round.matchup.title !== matchup.title && (round.phase === 'upcoming' || round.phase === 'live')) await rotate();
      if (round.matchup.title !== matchup.title || round.phase !== 'live') throw new Error(`${matchup.title} did not go live within 40 s (last seen ${round.matchup.title}: ${round.phase})`);
      return round.pollId;
    },
    { timeout: 40_000, interval: 250 },
  );
}
