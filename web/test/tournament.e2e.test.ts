/**
 * The season on the site, end to end in Chromium against the local stack: /tournament before any tournament, the
 * dashboard's season panel (lengths, start, skip), and then a whole tournament: eight fighters with recorded fights
 * put in the stack's database, the operator starts it, and every match is played through the room; the page shows
 * the bracket with the match under way highlighted, the names linking to the fighters' pages, a draw settled by the
 * seed marked as such, a won round not, and the champion, while the dashboard follows the cycle live.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { SeasonResponse } from '@stream-fighter/core/season/season-view';
import { seasonLine } from '@stream-fighter/view/season-line';
import { api, closeContexts, launchChromium, oneVoteThenEnd, PHONE, screenshot, startSiteStack, type SiteStack } from './support.ts';
import { endWithoutVotes, recordField, rotateUntilLive, type Seeded } from './season-support.ts';

const tag = randomBytes(3).toString('hex');
const NAMES = ['Atlas', 'Brick', 'Comet', 'Dune', 'Ember', 'Flint', 'Gale', 'Hex'].map((n) => `${n} ${tag}`);

let site: SiteStack;
let browser: Browser;
let base: string;
let token: string;
const contexts = new Set<BrowserContext>();

beforeAll(async () => {
  site = await startSiteStack();
  base = site.stack.api;
  token = site.stack.operatorToken;
  browser = await launchChromium();
});
afterEach((ctx) => closeContexts(contexts, ctx.task));
afterAll(async () => {
  await browser?.close();
  await site?.teardown();
});

async function open(path: string): Promise<Page> {
  const c = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'en-US' });
  contexts.add(c);
  const p = await c.newPage();
  await p.goto(`${base}${path}`);
  return p;
}

/** GET /api/season as the page reads it (from the edge cache: up to a few seconds behind). */
async function season(): Promise<SeasonResponse> {
  const r = await api<SeasonResponse>(base, '/api/season');
  if (r.status !== 200) throw new Error(`GET /api/season: ${r.status}`);
  return r.body;
}

/** Reload /tournament until `check` holds: the bracket moves once a round, and the API answers from the edge cache. */
async function reloadUntil(p: Page, what: string, check: () => Promise<boolean>): Promise<void> {
  await vi.waitFor(
    async () => {
      await p.reload();
      await p.locator('#season-position:not(:empty)').waitFor({ timeout: 5_000 });
      if (!(await check())) throw new Error(`/tournament did not show ${what} within 20 s`);
    },
    { timeout: 20_000, interval: 1_000 },
  );
}

async function signIn(p: Page): Promise<void> {
  await p.getByLabel('Operator token').fill(token);
  await p.getByRole('button', { name: 'Sign in' }).click();
  await expect.poll(() => p.locator('#panel').isVisible(), { message: 'the dashboard signed in' }).toBe(true);
}

const text = async (p: Page, selector: string) => ((await p.locator(selector).first().textContent()) ?? '').trim();

describe('the tournament page and the season panel', () => {
  it('before any tournament: where the cycle is, no bracket and no champion yet, in both languages', async () => {
    const p = await open('/fighters');
    await p.getByRole('link', { name: 'Tournament' }).click();
    await p.waitForURL('**/tournament/', { timeout: 10_000 });
    const res = await p.reload();
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-security-policy']).toMatch(/default-src 'self'.*frame-ancestors 'none'/);
    expect(await p.getByRole('link', { name: 'Tournament' }).getAttribute('aria-current')).toBe('page');
    await expect.poll(() => text(p, '#bracket'), { timeout: 10_000, message: 'the page says there is no tournament' }).toBe('No tournament yet.');
    expect(await text(p, '#champions')).toBe('No champion yet.');
    const s = await season();
    expect(s.position.stage).toBe('matchmaking');
    expect(await text(p, '#season-position')).toBe(seasonLine(s.position, 'en'));
    expect(await text(p, '#season-position')).toMatch(/^\d+ matches until the tournament$/);
    await screenshot(p, 'tournament-none-phone');

    await p.locator('a[data-lang-switch]').click();
    await expect.poll(() => text(p, '#bracket'), { message: 'the page in Spanish' }).toBe('Aún no hay torneo.');
    expect(await text(p, '#champions')).toBe('Aún no hay campeón.');
    expect(await text(p, '#season-position')).toBe(seasonLine(s.position, 'es'));
  });

  it('the dashboard sets the lengths, starts a tournament (seeding) and skips back to matchmaking', async () => {
    const p = await open('/dashboard');
    await signIn(p);
    const position = () => text(p, '#season-position');
    await expect.poll(position, { timeout: 10_000, message: 'the position from the room' }).toMatch(/^\d+ matches until the tournament$/);
    const lengths = p.locator('#season-lengths');
    await expect.poll(() => lengths.locator('input[name="exhibitions"]').inputValue(), { message: 'the lengths from GET /api/season' }).toBe('5');
    expect(await lengths.locator('input[name="matchmakingRounds"]').inputValue()).toBe('20');

    await lengths.locator('input[name="matchmakingRounds"]').fill('3');
    await lengths.locator('input[name="exhibitions"]').fill('2');
    await p.getByRole('button', { name: 'Save lengths' }).click();
    await expect.poll(() => text(p, '#dash-status'), { message: 'the lengths saved' }).toBe('Cycle lengths: done.');
    await expect.poll(position, { message: 'the position with the new length' }).toMatch(/^(3 matches|2 matches|1 match) until the tournament$/);
    await vi.waitFor(
      async () => {
        const { cycle } = await season();
        if (cycle.matchmakingRounds !== 3 || cycle.exhibitions !== 2) throw new Error(`GET /api/season has not the new lengths within 15 s: ${JSON.stringify(cycle)}`);
      },
      { timeout: 15_000, interval: 500 },
    );

    // No fighter has 5 fights in a fresh stack: the tournament is seeding, and its field will be too small.
    await p.getByRole('button', { name: 'Start tournament now' }).click();
    await expect.poll(() => text(p, '#dash-status'), { message: 'the start acknowledged' }).toBe('Start tournament now: done.');
    await expect.poll(position, { message: 'seeding' }).toBe('Seeding the tournament');
    await screenshot(p, 'dashboard-season-phone');
    await p.getByRole('button', { name: 'Skip to matchmaking' }).click();
    await expect.poll(() => text(p, '#dash-status'), { message: 'the skip acknowledged' }).toBe('Skip to matchmaking: done.');
    await expect.poll(position, { message: 'matchmaking again, counted from 0' }).toBe('3 matches until the tournament');
  });

  it('plays a whole tournament: the bracket live, tie-breaks marked, the champion crowned', { timeout: 240_000 }, async () => {
    const field: Seeded[] = await recordField(site, NAMES);
    const seed = (n: number) => field[n - 1]!;
    const started = await api<SeasonResponse>(base, '/api/season', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ action: 'start-tournament' }) });
    expect(started.status).toBe(200);

    await rotateUntilLive(base, token, seed(1).name, seed(8).name);
    const p = await open('/tournament');
    await reloadUntil(p, 'the first quarter-final under way', async () => (await p.locator('.match--now[data-index="0"]').count()) === 1);
    expect(await text(p, '#season-position')).toBe('Season 1 · Quarter-final 1 of 4');
    expect(await text(p, '#bracket h2')).toBe('Season 1');
    const qf1 = p.locator('.match[data-index="0"]');
    expect(await qf1.getAttribute('aria-current')).toBe('true');
    expect(await qf1.locator('.now').textContent()).toBe('Now');
    expect((await qf1.locator('.side a').allTextContents()).map((s) => s.trim())).toEqual([seed(1).name, seed(8).name]);
    expect(await qf1.locator('.side a').first().getAttribute('href')).toBe(`/fighters/${seed(1).id}`);
    expect((await qf1.locator('.seed').allTextContents()).map((s) => s.trim())).toEqual(['1', '8']);
    // Quarter-finals 1v8, 4v5, 2v7, 3v6; the later rounds are not known yet.
    const sides = async (i: number) => (await p.locator(`.match[data-index="${i}"] .side`).allTextContents()).map((s) => s.trim());
    expect((await sides(1)).map((s) => s.replace(/\s*\(seed \d\)$/, ''))).toEqual([`4 ${seed(4).name}`, `5 ${seed(5).name}`]);
    expect(await sides(4)).toEqual(['To be decided', 'To be decided']);
    expect(await p.locator('.match--now').count()).toBe(1);
    await screenshot(p, 'tournament-live-phone');

    // The dashboard follows the cycle from the room's snapshots.
    const dash = await open('/dashboard');
    await signIn(dash);
    await expect.poll(() => text(dash, '#season-position'), { message: 'the dashboard at the first quarter-final' }).toBe('Season 1 · Quarter-final 1 of 4');

    // QF1 ends with no vote: a draw, which goes to the higher seed.
    await endWithoutVotes(base, token);
    await expect.poll(() => text(dash, '#season-position'), { timeout: 15_000, message: 'the dashboard moved on, live' }).toBe('Season 1 · Quarter-final 2 of 4');
    // QF2: one vote for seed 4 (option A): won in the round, no tie-break.
    await rotateUntilLive(base, token, seed(4).name, seed(5).name);
    await oneVoteThenEnd(base, token);
    for (const [a, b] of [
      [2, 7],
      [3, 6],
      [1, 4],
      [2, 3],
      [1, 2],
    ] as const) {
      await rotateUntilLive(base, token, seed(a).name, seed(b).name);
      await endWithoutVotes(base, token);
    }

    await reloadUntil(p, 'the champion', async () => (await p.locator('.champion').count()) === 1);
    expect(await text(p, '.champion')).toBe(`Champion: ${seed(1).name}`);
    expect(await p.locator('.match--now').count(), 'nothing under way in a finished bracket').toBe(0);
    expect(await text(p, '#season-position')).toBe('Exhibition 1 of 2');
    const winner = (i: number) => p.locator(`.match[data-index="${i}"] .side--winner`).getAttribute('data-id');
    expect(await Promise.all([0, 1, 2, 3, 4, 5, 6].map(winner))).toEqual([1, 4, 2, 3, 1, 2, 1].map((n) => seed(n).id));
    expect(await text(p, '.match[data-index="0"] .by')).toBe('decided by seed');
    expect(await p.locator('.match[data-index="1"] .by').count(), 'a round won outright needs no note').toBe(0);
    expect(await text(p, '.match[data-index="6"] .by')).toBe('decided by seed');
    expect(await text(p, '.match[data-index="1"] .side--winner .won')).toBe('✓winner');
    const champ = p.locator('#champions li').first();
    expect(await champ.getAttribute('data-season')).toBe('1');
    expect(await champ.locator('a').textContent()).toBe(seed(1).name);
    await screenshot(p, 'tournament-done-phone');
    await screenshot(p, 'tournament-done-phone-top', { fullPage: false });

    // In Spanish, in place.
    await p.locator('a[data-lang-switch]').click();
    await expect.poll(() => text(p, '.champion'), { message: 'the champion in Spanish' }).toBe(`Campeón: ${seed(1).name}`);
    expect(await text(p, '.match[data-index="0"] .by')).toBe('decidido por cabeza de serie');
    expect(await text(p, '#season-position')).toBe('Exhibición 1 de 2');
    await p.locator('a[data-lang-switch]').click();

    // The champion's name leads to the fighter's page.
    await p.locator('.champion a').click();
    await p.waitForURL(`**/fighters/${seed(1).id}`, { timeout: 10_000 });
    await expect.poll(() => p.locator('.fighter-name').innerText(), { timeout: 10_000, message: "the champion's page" }).toBe(seed(1).name);
  });
});
