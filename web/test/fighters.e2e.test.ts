/**
 * The fighters pages end to end: one duel goes live, gets a vote and is finished by the operator; once the archive
 * has recorded it, /fighters lists both fighters with their record, tier and rating, sorts by a column, and each
 * fighter's page (/fighters/<id>, answered by the Worker) shows the record, the rating line and the fight.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { fightMatchup } from '@stream-fighter/core/fixtures/matchups';
import { fighterId } from '@stream-fighter/core/season/record';
import { api, goLive, oneVoteThenEnd, screenshot } from './support.ts';
import { useSiteSession } from './site-session.ts';

const tag = randomBytes(3).toString('hex');
const winner = `Vega Volt ${tag}`;
const loser = `Rook Rain ${tag}`;
const title = `Fighters page ${tag}`;

const site = useSiteSession(async ({ base, token }) => {
  await goLive(base, token, fightMatchup(winner, loser, { title, stage: 'rooftop', durationSec: 600 }));
  await oneVoteThenEnd(base, token);
  // The records are written with the archive, through the room's outbox. An unknown fighter's 404 is never
  // edge-cached, so the first 200 here is what the pages will read.
  await vi.waitFor(
    async () => {
      const r = await api(base, `/api/fighters/${fighterId(winner)}`);
      if (r.status !== 200) throw new Error(`${winner} is not recorded within 30 s (GET /api/fighters/:id ${r.status})`);
    },
    { timeout: 30_000, interval: 500 },
  );
});
const { phone, open } = site;

describe('the fighters pages', () => {
  it('lists both fighters after their round finishes, and sorts by a column', async () => {
    const p = await open(await phone(), '/fighters');
    const row = (name: string) => p.locator(`#fighters-body tr[data-id="${fighterId(name)}"]`);
    await expect.poll(() => row(winner).count(), { timeout: 10_000, message: `${winner} in the fighters table` }).toBe(1);
    const cells = async (name: string) => (await row(name).locator('th, td').allInnerTexts()).map((s) => s.trim());
    // name, tier, W-L-T, KOs, streak, rating, fights: a newcomer (N) after one fight, 1500 ± 16.
    expect(await cells(winner)).toEqual([winner, 'N', '1-0-0', '0', '1 W', '1,516', '1']);
    expect(await cells(loser)).toEqual([loser, 'N', '0-1-0', '0', '1 L', '1,484', '1']);
    const ratingHeader = p.locator('th', { has: p.locator('button[data-sort="rating"]') });
    expect(await ratingHeader.getAttribute('aria-sort')).toBe('descending');

    await p.locator('button[data-sort="name"]').click();
    await expect.poll(() => p.locator('th', { has: p.locator('button[data-sort="name"]') }).getAttribute('aria-sort')).toBe('ascending');
    expect(new URL(p.url()).searchParams.get('sort')).toBe('name');
    await expect.poll(() => row(winner).count(), { timeout: 10_000, message: `${winner} in the table sorted by name` }).toBe(1);
    // The table is drawn again in the new order a moment after the click: read it until it is.
    const order = async () => {
      const names = (await p.locator('#fighters-body tr th a').allInnerTexts()).map((s) => s.trim());
      return names.indexOf(loser) >= 0 && names.indexOf(loser) < names.indexOf(winner);
    };
    await expect.poll(order, { timeout: 10_000, message: 'Rook before Vega by name' }).toBe(true);
    await screenshot(p, 'fighters-phone');
  });

  it("opens a fighter's page with the record, the rating line and the fight", async () => {
    const p = await open(await phone(), '/fighters');
    await p.locator(`#fighters-body tr[data-id="${fighterId(winner)}"] a`).click();
    await p.waitForURL(`**/fighters/${fighterId(winner)}`, { timeout: 10_000 });
    await expect.poll(() => p.locator('.fighter-name').innerText(), { timeout: 10_000, message: "the fighter's name on its page" }).toBe(winner);
    expect((await p.locator('.stat.record dd').innerText()).trim()).toBe('1-0-0');
    expect((await p.locator('.stat.rating dd').innerText()).trim()).toBe('1,516');
    expect(await p.locator('svg.rating-chart path').count()).toBe(1);
    expect(await p.locator('svg.rating-chart').getAttribute('aria-label')).toBe('Rating from 1,500 to 1,516, fight by fight');
    const fight = p.locator('.fights li');
    expect(await fight.count()).toBe(1);
    expect(await fight.locator('.fight-result').innerText()).toBe(`Beat ${loser}`);
    expect(await fight.locator('.fight-meta').innerText()).toContain('rating 1,500 → 1,516');
    await screenshot(p, 'fighter-phone');
    // In Spanish, in place: the words from the shared table, the numbers from the shared formatter.
    await p.locator('a[data-lang-switch]').click();
    await expect.poll(() => fight.locator('.fight-result').innerText(), { message: 'the fight in Spanish' }).toBe(`Ganó a ${loser}`);
    expect((await p.locator('.stat.rating dd').innerText()).trim()).toBe('1516');
    expect(await p.locator('svg.rating-chart').getAttribute('aria-label')).toBe('Puntuación de 1500 a 1516, combate a combate');
    await p.locator('a[data-lang-switch]').click();
    await expect.poll(() => fight.locator('.fight-result').innerText(), { message: 'the fight in English again' }).toBe(`Beat ${loser}`);

    // The opponent's link leads to the other page.
    await fight.locator('a').click();
    await p.waitForURL(`**/fighters/${fighterId(loser)}`, { timeout: 10_000 });
    await expect.poll(() => p.locator('.fighter-name').innerText(), { timeout: 10_000, message: "the opponent's page" }).toBe(loser);
    expect((await p.locator('.stat.record dd').innerText()).trim()).toBe('0-1-0');
  });

  it('says so for an address with no fighter', async () => {
    const p = await open(await phone(), `/fighters/nobody-${tag}`);
    await expect.poll(() => p.locator('#fighter [role="alert"]').innerText(), { timeout: 10_000, message: 'the not-found message' }).toBe('There is no fighter at this address.');
  });
});
