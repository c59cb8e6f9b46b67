/**
 * The vote page end to end: the local edge (the Worker in workerd) serving web/dist and the API, driven by
 * Debian's Chromium on a phone-sized viewport; a duel first, then a plain poll of four.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { SeasonResponse } from '@stream-fighter/core';
import { seasonLine } from '@stream-fighter/view/season-line';
import { api, chatConnected, duel, goLive, OUTPUT, plainPoll, screenshot } from './support.ts';
import { useSiteSession } from './site-session.ts';

const tag = randomBytes(3).toString('hex');
const fightTitle = `Rooftop rumble ${tag}`;
const site = useSiteSession(({ base, token }) => goLive(base, token, duel(fightTitle)));
const { phone, screen, open } = site;

const votesText = (p: Page, id: string) => p.locator(`[data-opt="${id}"] [data-slot="votes-text"]`);
/** Chat votes open for the next 30 s, as while a chat bridge runs. */
const chatOpen = () => chatConnected(site.base, site.bridgeToken);

describe('the vote page', () => {
  it('arrives with the current fight in the HTML, ready for a plain form post', async () => {
    const res = await fetch(`${site.base}/`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expect(html).toContain(fightTitle);
    expect(html).toMatch(/<form class="options" id="vote-form" method="post" action="\/api\/vote"/);
    expect(html).toContain('value="A"');
    expect(html).toContain('Iron Mara');
    expect(html).toMatch(/<svg class="sprite"/);
    expect(html).toMatch(/"pollId":"[^"]+"/);
    // No chat bridge has reported yet: the page does not ask for chat votes nobody would read.
    expect(html).toMatch(/<p class="chat-hint" hidden[ >=]/);
    // The rest of the site is plain static assets.
    for (const path of ['/results', '/overlay', '/dashboard']) expect((await fetch(`${site.base}${path}`)).status, path).toBe(200);
    const page = await open(await phone());
    await expect.poll(() => page.locator('.fight__title').textContent()).toBe(fightTitle);
    expect(await page.locator('.chat-hint').isHidden()).toBe(true);
    // One reports a connected chat: the open page says chat works too, with no reload (the room's snapshot says so).
    await chatOpen();
    await expect.poll(() => page.locator('.chat-hint').innerText(), { timeout: 5_000, message: 'the chat sentence, once a chat is connected' }).toBe("You can also vote in the stream's chat: type !a or !b");

    // Each fighter's card line (tier and record, or NEW), once the room has read the records (view/fighter-card.ts).
    const cardLine = /^(NEW|[SABCN] · \d[\d,]*-\d[\d,]*(-\d[\d,]*)?( \d[\d,]*)?)$/;
    for (const id of ['A', 'B']) {
      await expect.poll(() => page.locator(`[data-opt="${id}"] .fcard`).textContent(), { timeout: 10_000, message: `the vote page's card line of ${id}` }).toMatch(cardLine);
    }

    // Where the season is, in the words the stream uses (view/season-line.ts), from the room's snapshot: what
    // GET /api/season says the position is, asked again on each try (a round ending moves it).
    const seasonNow = async () => seasonLine((await api<SeasonResponse>(site.base, '/api/season')).body.position, 'en');
    const sameSeason = async (p: Page) => {
      const [shown, expected] = [await p.locator('#season').textContent(), await seasonNow()];
      return shown === expected ? 'same' : `${shown} ≠ ${expected}`;
    };
    await expect.poll(() => sameSeason(page), { timeout: 10_000, message: "the vote page's season line, as GET /api/season puts it" }).toBe('same');
    expect(await page.locator('#season').isVisible()).toBe(true);

    const obs = await screen();
    const overlay = await open(obs, '/overlay');
    await expect.poll(() => overlay.locator('[data-slot="name-A"]').textContent()).toBe('Iron Mara');
    await expect.poll(() => overlay.locator('[data-slot="card-A"] .fcard').textContent(), { timeout: 10_000, message: "the overlay's card line of A" }).toMatch(cardLine);
    await expect.poll(() => sameSeason(overlay), { timeout: 10_000, message: "the overlay's season line, as GET /api/season puts it" }).toBe('same');
    await overlay.screenshot({ path: `${OUTPUT}/overlay-duel.png`, omitBackground: true });
  });

  it('a vote changes the button at once, and another phone sees the tally move over the WebSocket', async () => {
    const voter = await phone();
    const watcher = await phone();
    const [mine, second] = [await open(voter), await open(voter)];
    const other = await open(watcher);
    await expect.poll(() => votesText(other, 'A').textContent()).toMatch(/^0 votes/);
    await screenshot(other, 'vote-duel-phone');
    await expect.poll(() => other.locator('[data-slot="live"]').getAttribute('data-online')).toBe('true');

    await mine.getByRole('button', { name: 'Vote Iron Mara' }).click();
    const chosen = mine.locator('[data-opt="A"] button');
    // Instant feedback (pressed, "Sending…"), then the server's answer.
    await expect.poll(() => chosen.getAttribute('aria-pressed')).toBe('true');
    // A new voter: the vote waits for the proof of work if the widget has not finished it yet.
    await expect.poll(() => chosen.textContent(), { timeout: 15_000 }).toBe('Your vote ✓');
    expect(await mine.locator('[data-opt="B"] button').isDisabled()).toBe(true);
    await expect.poll(() => mine.locator('#status').textContent()).toBe('You voted for Iron Mara.');
    await screenshot(mine, 'vote-duel-voted-phone');

    // The watcher never reloads: the new tally and the hit on Zip Zero arrive as a snapshot.
    await expect.poll(() => votesText(other, 'A').textContent(), { timeout: 5_000 }).toMatch(/^1 vote · 100%/);
    await expect.poll(() => other.locator('[data-opt="B"] [data-slot="hp-text"]').textContent()).not.toBe('HP 100,000 · 100%');
    expect(await other.locator('[data-opt="A"] button').isEnabled()).toBe(true);

    // A second tab of the same voter, opened before the vote, still offers the buttons: the server refuses.
    await second.getByRole('button', { name: 'Vote Zip Zero' }).click();
    await expect.poll(() => second.locator('#status').textContent()).toBe('You already voted in this round (for Iron Mara). One vote per round.');
    expect(await second.locator('#status').getAttribute('data-tone')).toBe('error');
    await expect.poll(() => second.locator('[data-opt="A"] button').getAttribute('aria-pressed')).toBe('true');
    expect(await second.locator('[data-opt="B"] button').isDisabled()).toBe(true);
    await screenshot(second, 'vote-double-refused-phone');
    expect(await votesText(other, 'B').textContent()).toMatch(/^0 votes/);
  });

  it('works without JavaScript: the state is in the HTML, the form votes, the page after the redirect says so', async () => {
    await chatOpen();
    const c = await phone({ javaScriptEnabled: false });
    const p = await open(c);
    expect(await p.locator('.fight__title').textContent()).toBe(fightTitle);
    expect(await votesText(p, 'A').textContent()).toMatch(/^1 vote/);
    // Chat votes too, with the commands of this round's two options (the stylesheet picks the sentence: no script).
    expect(await p.locator('.chat-hint').innerText()).toBe("You can also vote in the stream's chat: type !a or !b");
    await Promise.all([p.waitForURL(/\/\?voted=B$/), p.getByRole('button', { name: 'Vote Zip Zero' }).click()]);
    expect(await p.locator('#status').textContent()).toBe('You voted for Zip Zero.');
    expect(await p.locator('#status').getAttribute('data-tone')).toBe('ok');
    expect(await p.locator('[data-opt="B"] button').getAttribute('aria-pressed')).toBe('true');
    expect(await p.locator('[data-opt="A"] button').isDisabled()).toBe(true);
    expect(await votesText(p, 'B').textContent()).toMatch(/^1 vote · 50%/);
    await screenshot(p, 'vote-nojs-voted-phone');

    // A second form post from the same browser (its cookie): refused, and the page explains.
    const pollId = await p.locator('input[name="pollId"]').getAttribute('value');
    const again = await c.request.post(`${site.base}/api/vote`, { form: { option: 'A', pollId: pollId! }, headers: { accept: 'text/html' }, maxRedirects: 0 });
    expect(again.status()).toBe(303);
    expect(again.headers().location).toBe('/?error=already-voted');
    await p.goto(`${site.base}/?error=already-voted`);
    expect(await p.locator('#status').textContent()).toBe('You already voted in this round (for Zip Zero). One vote per round.');

    // JSON clients are unchanged: the same refusal as a 409 with the API's error body.
    const json = await c.request.post(`${site.base}/api/vote`, { data: { option: 'A' }, headers: { 'content-type': 'application/json' } });
    expect(json.status()).toBe(409);
    expect((await json.json()).error.code).toBe('already-voted');
  });

  it('speaks Spanish to a Spanish browser, before any JavaScript, and switches language by link', async () => {
    await chatOpen();
    const c = await phone({ javaScriptEnabled: false, locale: 'es-ES' });
    const p = await open(c);
    expect(await p.locator('html').getAttribute('lang')).toBe('es');
    expect(await p.getByRole('button', { name: 'Votar Iron Mara' }).count()).toBe(1);
    expect(await p.getByRole('link', { name: 'Resultados' }).count()).toBe(1);
    expect(await p.locator('#nojs-note').textContent()).toContain('Recarga la página');
    expect(await p.locator('.chat-hint').innerText()).toBe('También puedes votar en el chat del directo: escribe !a o !b');
    await screenshot(p, 'vote-es-nojs-phone');
    await p.getByRole('link', { name: 'English' }).click();
    expect(await p.locator('html').getAttribute('lang')).toBe('en');
    expect(await p.getByRole('button', { name: 'Vote Iron Mara' }).count()).toBe(1);

    const js = await phone({ locale: 'es-ES' });
    const q = await open(js);
    await expect.poll(() => q.locator('html').getAttribute('lang')).toBe('es');
    await q.getByRole('link', { name: 'English' }).click();
    await expect.poll(() => q.getByRole('button', { name: 'Vote Zip Zero' }).count()).toBe(1);
    expect(await q.locator('html').getAttribute('lang')).toBe('en');
  });

  it('votes from the keyboard alone', async () => {
    const c = await phone();
    const p = await open(c);
    await expect.poll(() => p.locator('[data-opt="A"] button').isEnabled()).toBe(true);
    await p.locator('[data-opt="A"] button').focus();
    await p.keyboard.press('Tab');
    expect(await p.evaluate(() => (document.activeElement as HTMLButtonElement | null)?.value)).toBe('B');
    await p.keyboard.press('Enter');
    await expect.poll(() => p.locator('#status').textContent(), { timeout: 15_000 }).toBe('You voted for Zip Zero.');
  });
});

describe('a plain poll of four', () => {
  it('shows each option with its count and share as text, and takes a vote', async () => {
    const title = `Best snack ${tag}`;
    const c = await phone();
    // A page that arrives with the duel and stays open while the poll goes live.
    await chatOpen();
    const early = await open(c);
    await expect.poll(() => early.locator('.chat-hint').innerText()).toBe("You can also vote in the stream's chat: type !a or !b");
    await goLive(site.base, site.token, plainPoll(title));
    await chatOpen();
    const p = await open(c);
    await expect.poll(() => p.locator('.fight__title').textContent()).toBe(title);
    expect(await p.locator('[data-opt]').count()).toBe(4);
    const pollHint = "You can also vote in the stream's chat: type !a, !b, !c or !d";
    expect(await p.locator('.chat-hint').innerText()).toBe(pollHint);
    // The script drew the poll over the duel on the early page: the chat hint followed, with no script of its own.
    await expect.poll(() => early.locator('.chat-hint').innerText(), { timeout: 5_000, message: "the early page's chat hint for the poll" }).toBe(pollHint);
    await p.getByRole('button', { name: 'Vote Pizza' }).click();
    await expect.poll(() => votesText(p, 'C').textContent(), { timeout: 15_000 }).toMatch(/^1 vote · 100%/);
    await screenshot(p, 'vote-poll-phone');
  });
});
