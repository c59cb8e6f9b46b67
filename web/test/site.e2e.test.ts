/**
 * The site end to end: the local edge (the Worker in workerd) serving web/dist and the API, driven by Debian's
 * Chromium on a phone-sized viewport. The tests run in order against one stack and share its rounds.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { MAX_HP as CORE_MAX_HP } from '../../core/src/round-state.ts';
import { dictionary, type Key } from '../src/lib/i18n.ts';
import { MAX_HP } from '../src/lib/view.ts';
import { altchaPayload } from '../../scripts/local/solve-challenge.ts';
import { api, closeContexts, duel, goLive, launchChromium, OUTPUT, PHONE, plainPoll, screenshot, sleep, startSiteStack, type SiteStack } from './support.ts';

let site: SiteStack;
let browser: Browser;
let base: string;
let token: string;
const tag = randomBytes(3).toString('hex');
const fightTitle = `Rooftop rumble ${tag}`;
const contexts = new Set<BrowserContext>();

beforeAll(async () => {
  site = await startSiteStack();
  base = site.stack.api;
  token = site.stack.operatorToken;
  browser = await launchChromium();
  await goLive(base, token, duel(fightTitle));
});

afterEach((ctx) => closeContexts(contexts, ctx.task));

afterAll(async () => {
  await browser?.close();
  await site?.teardown();
});

async function phone(opts: { javaScriptEnabled?: boolean; locale?: string } = {}): Promise<BrowserContext> {
  const c = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: opts.locale ?? 'en-US', javaScriptEnabled: opts.javaScriptEnabled ?? true });
  contexts.add(c);
  return c;
}

async function open(c: BrowserContext, path = '/'): Promise<Page> {
  const p = await c.newPage();
  await p.goto(`${base}${path}`);
  return p;
}

const votesText = (p: Page, id: string) => p.locator(`[data-opt="${id}"] [data-slot="votes-text"]`);

describe('the vote page', () => {
  it('arrives with the current fight in the HTML, ready for a plain form post', async () => {
    expect(MAX_HP).toBe(CORE_MAX_HP);
    const res = await fetch(`${base}/`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expect(html).toContain(fightTitle);
    expect(html).toMatch(/<form class="options" id="vote-form" method="post" action="\/api\/vote"/);
    expect(html).toContain('value="A"');
    expect(html).toContain('Iron Mara');
    expect(html).toMatch(/<svg class="sprite"/);
    expect(html).toMatch(/"pollId":"[^"]+"/);
    // The rest of the site is plain static assets.
    for (const path of ['/results', '/overlay', '/dashboard']) expect((await fetch(`${base}${path}`)).status, path).toBe(200);

    const obs = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    contexts.add(obs);
    const overlay = await open(obs, '/overlay');
    await expect.poll(() => overlay.locator('[data-slot="name-A"]').textContent()).toBe('Iron Mara');
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
    const c = await phone({ javaScriptEnabled: false });
    const p = await open(c);
    expect(await p.locator('.fight__title').textContent()).toBe(fightTitle);
    expect(await votesText(p, 'A').textContent()).toMatch(/^1 vote/);
    await Promise.all([p.waitForURL(/\/\?voted=B$/), p.getByRole('button', { name: 'Vote Zip Zero' }).click()]);
    expect(await p.locator('#status').textContent()).toBe('You voted for Zip Zero.');
    expect(await p.locator('#status').getAttribute('data-tone')).toBe('ok');
    expect(await p.locator('[data-opt="B"] button').getAttribute('aria-pressed')).toBe('true');
    expect(await p.locator('[data-opt="A"] button').isDisabled()).toBe(true);
    expect(await votesText(p, 'B').textContent()).toMatch(/^1 vote · 50%/);
    await screenshot(p, 'vote-nojs-voted-phone');

    // A second form post from the same browser (its cookie): refused, and the page explains.
    const pollId = await p.locator('input[name="pollId"]').getAttribute('value');
    const again = await c.request.post(`${base}/api/vote`, { form: { option: 'A', pollId: pollId! }, headers: { accept: 'text/html' }, maxRedirects: 0 });
    expect(again.status()).toBe(303);
    expect(again.headers().location).toBe('/?error=already-voted');
    await p.goto(`${base}/?error=already-voted`);
    expect(await p.locator('#status').textContent()).toBe('You already voted in this round (for Zip Zero). One vote per round.');

    // JSON clients are unchanged: the same refusal as a 409 with the API's error body.
    const json = await c.request.post(`${base}/api/vote`, { data: { option: 'A' }, headers: { 'content-type': 'application/json' } });
    expect(json.status()).toBe(409);
    expect((await json.json()).error.code).toBe('already-voted');
  });

  it('speaks Spanish to a Spanish browser, before any JavaScript, and switches language by link', async () => {
    const c = await phone({ javaScriptEnabled: false, locale: 'es-ES' });
    const p = await open(c);
    expect(await p.locator('html').getAttribute('lang')).toBe('es');
    expect(await p.getByRole('button', { name: 'Votar Iron Mara' }).count()).toBe(1);
    expect(await p.getByRole('link', { name: 'Resultados' }).count()).toBe(1);
    expect(await p.locator('#nojs-note').textContent()).toContain('Recarga la página');
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
    await goLive(base, token, plainPoll(title));
    const c = await phone();
    const p = await open(c);
    await expect.poll(() => p.locator('.fight__title').textContent()).toBe(title);
    expect(await p.locator('[data-opt]').count()).toBe(4);
    await p.getByRole('button', { name: 'Vote Pizza' }).click();
    await expect.poll(() => votesText(p, 'C').textContent(), { timeout: 15_000 }).toMatch(/^1 vote · 100%/);
    await screenshot(p, 'vote-poll-phone');
  });
});

describe('the overlay', () => {
  it('draws on a transparent background (OBS browser source)', async () => {
    const c = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    contexts.add(c);
    const p = await open(c, '/overlay');
    await expect.poll(() => p.locator('#qr svg').count()).toBe(1);
    await expect.poll(() => p.locator('#title').textContent()).not.toBe('');
    const png = await p.screenshot({ omitBackground: true, path: `${OUTPUT}/overlay.png` });
    const probe = await c.newPage();
    const alphas = await probe.evaluate(async (b64) => {
      const bytes = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
      const bmp = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
      const canvas = new OffscreenCanvas(bmp.width, bmp.height);
      const g = canvas.getContext('2d')!;
      g.drawImage(bmp, 0, 0);
      const at = (x: number, y: number) => g.getImageData(x, y, 1, 1).data[3];
      return { corners: [at(0, 0), at(bmp.width - 1, 0), at(0, bmp.height - 1)], centre: at(Math.floor(bmp.width / 2), Math.floor(bmp.height / 2)), qr: at(bmp.width - 60, bmp.height - 60) };
    }, png.toString('base64'));
    expect(alphas.corners).toEqual([0, 0, 0]);
    expect(alphas.centre).toBe(0);
    expect(alphas.qr).toBe(255);
  });
});

describe('the operator dashboard', () => {
  it('refuses a missing or wrong token', async () => {
    const c = await phone();
    const p = await open(c, '/dashboard');
    await p.getByRole('button', { name: 'Sign in' }).click();
    expect(await p.locator('#panel').isHidden()).toBe(true);
    await p.getByLabel('Operator token').fill('not-the-operator-token-at-all');
    await p.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => p.locator('#login-error').textContent()).toBe('That token was refused.');
    expect(await p.locator('#panel').isHidden()).toBe(true);
    expect(await p.evaluate(() => sessionStorage.getItem('sf-operator-token'))).toBeNull();
    await screenshot(p, 'dashboard-refused-phone');
  });

  it('with the right token rotates the round and starts and stops a stream', async () => {
    const c = await phone();
    const p = await open(c, '/dashboard');
    await p.getByLabel('Operator token').fill(token);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => p.locator('#panel').isVisible()).toBe(true);
    await expect.poll(() => p.locator('#round-phase').getAttribute('data-phase')).toBe('live');
    expect(await p.locator('#round-phase').textContent()).toBe('Live');
    await screenshot(p, 'dashboard-phone');

    await p.getByRole('button', { name: 'Rotate now' }).click();
    await expect.poll(() => p.locator('#dash-status').textContent()).toBe('Rotate: done.');
    await expect.poll(() => p.locator('#round-phase').getAttribute('data-phase')).toBe('finished');
    const polled = await api<{ round: { phase: string } }>(base, '/api/poll');
    expect(polled.body.round.phase).not.toBe('live');

    const key = `e2e-${tag}`;
    await p.getByLabel('Stream key').fill(key);
    await p.getByRole('button', { name: 'Start', exact: true }).click();
    await expect.poll(() => p.locator(`#streams li[data-key="${key}"]`).count()).toBe(1);
    const listed = await api<{ streams: Array<{ streamKey: string }> }>(base, '/api/stream', { headers: { authorization: `Bearer ${token}` } });
    expect(listed.body.streams.map((s) => s.streamKey)).toContain(key);
    await p.getByRole('button', { name: `Stop ${key}` }).click();
    await expect.poll(() => p.locator(`#streams li[data-key="${key}"]`).count()).toBe(0);

    // The token survives a reload of the tab (sessionStorage), not a new tab elsewhere.
    await p.reload();
    await expect.poll(() => p.locator('#panel').isVisible()).toBe(true);
  });

  it('shows a new shout-out at once, pushed by the room, and approving it puts it on air', async () => {
    const c = await phone();
    const p = await open(c, '/dashboard');
    await p.getByLabel('Operator token').fill(token);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => p.locator('#auto-approve').isDisabled()).toBe(false);
    expect(await p.locator('#auto-approve').isChecked()).toBe(false);

    // A voter, as a client would become one: a solved challenge with the first vote.
    await goLive(base, token, duel(`Shout-out bout ${tag}`));
    const voted = await api<{ voterToken?: string }>(base, '/api/vote', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ option: 'A', altcha: await altchaPayload(base) }),
    });
    expect(voted.status, JSON.stringify(voted.body)).toBe(200);
    const message = `Go Mara ${tag}`;
    const sent = await api<{ status: string; shoutout: { id: string } }>(base, '/api/shoutout', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-voter-token': voted.body.voterToken! },
      body: JSON.stringify({ user: 'Rosa', message }),
    });
    expect([sent.status, sent.body.status]).toEqual([202, 'pending']);

    // No reload and no poll: the queue's list changes because the room pushed it.
    const item = p.locator('#pending li', { hasText: message });
    await expect.poll(() => item.count(), { timeout: 5_000 }).toBe(1);
    await screenshot(p, 'dashboard-shoutout-pending-phone');
    await item.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => item.count(), { timeout: 5_000 }).toBe(0);
    const aired = p.locator('#shoutouts li', { hasText: message });
    await expect.poll(() => aired.getByRole('button', { name: 'Hide' }).count(), { timeout: 5_000 }).toBe(1);
  });

  it('speaks Spanish to a Spanish browser, every label, and the switch turns it to English in place', async () => {
    const es = dictionary('es');
    const en = dictionary('en');
    const c = await phone({ locale: 'es-ES' });
    const p = await c.newPage();
    const mpegts = p.waitForRequest(/\/_astro\/mpegts\.[\w-]+\.js$/, { timeout: 15_000 });
    await p.goto(`${base}/dashboard`);
    await expect.poll(() => p.locator('html').getAttribute('lang')).toBe('es');
    expect(await p.title()).toBe(es['title.dashboard']);
    expect(await p.getByRole('heading', { level: 1 }).textContent()).toBe('Operador');
    await p.getByRole('button', { name: 'Entrar' }).click();
    expect(await p.locator('#panel').isHidden()).toBe(true);
    await p.getByLabel('Token de operador').fill('not-the-operator-token-at-all');
    await p.getByRole('button', { name: 'Entrar' }).click();
    await expect.poll(() => p.locator('#login-error').textContent()).toBe('Ese token no es válido.');

    await p.getByLabel('Token de operador').fill(token);
    await p.getByRole('button', { name: 'Entrar' }).click();
    await expect.poll(() => p.locator('#panel').isVisible()).toBe(true);
    for (const name of ['Ronda actual', 'Vista previa', 'A continuación', 'Emisiones', 'Saludos']) {
      expect(await p.getByRole('heading', { name, level: 2 }).count(), name).toBe(1);
    }
    for (const name of ['Salir', 'Cambiar ya', 'Generar siguiente', 'Iniciar']) expect(await p.getByRole('button', { name, exact: true }).count(), name).toBe(1);
    expect(await p.getByLabel('Clave de emisión').count()).toBe(1);
    expect(await p.locator('#theme').getAttribute('placeholder')).toBe('Tema (opcional)');
    expect(await p.locator('option[value="rooftop"]').textContent()).toBe('Azotea de Neón');
    expect(await p.locator('select[name="screenId"] option[value="bars"]').textContent()).toBe('barras');
    await expect.poll(() => p.locator('#round-phase').getAttribute('data-phase')).toMatch(/^(upcoming|live|finished|results)$/);
    const phase = (await p.locator('#round-phase').getAttribute('data-phase'))!;
    expect(await p.locator('#round-phase').textContent()).toBe(es[`dash.phase.${phase}` as Key]);
    // Lists the script draws: the queue (empty or not), streams, shout-outs, all in Spanish.
    await expect.poll(() => p.locator('#streams li').first().textContent()).toMatch(/No hay emisiones|ningún renderizador|fps/);
    await expect.poll(() => p.locator('#shoutouts li').first().textContent()).toMatch(/Aún no hay saludos|Ocultar|oculto|en espera|rechazado/);
    // The shout-out queue is drawn only from the room's push to the operator's WebSocket.
    await expect.poll(() => p.locator('#pending li').first().textContent()).toMatch(/No hay nada esperando|Aprobar/);
    expect(await p.locator('#auto-approve').isDisabled()).toBe(false);
    await expect.poll(() => p.locator('#queue li').first().textContent()).toMatch(/La cola está vacía|Quitar|integrado|IA|operador/);
    // The preview player still loads on demand (no render node here: it falls back to the Spanish notice).
    await mpegts;
    await expect.poll(() => p.locator('#preview-off').textContent()).toBe('No se puede contactar con el nodo de render.');
    await p.getByRole('button', { name: 'Cambiar ya' }).click();
    await expect.poll(() => p.locator('#dash-status').textContent()).toBe('Cambiar ronda: hecho.');
    await screenshot(p, 'dashboard-es-phone');

    await p.getByRole('link', { name: 'English' }).click();
    await expect.poll(() => p.locator('html').getAttribute('lang')).toBe('en');
    expect(await p.getByRole('heading', { level: 1 }).textContent()).toBe('Operator');
    expect(await p.getByRole('heading', { name: 'Current round', level: 2 }).count()).toBe(1);
    for (const name of ['Sign out', 'Rotate now', 'Generate next', 'Start']) expect(await p.getByRole('button', { name, exact: true }).count(), name).toBe(1);
    expect(await p.locator('#theme').getAttribute('placeholder')).toBe('Theme (optional)');
    expect(await p.locator('option[value="rooftop"]').textContent()).toBe('Neon Rooftop');
    expect(await p.locator('#dash-status').textContent()).toBe('Rotate: done.');
    const phaseNow = (await p.locator('#round-phase').getAttribute('data-phase'))!;
    expect(await p.locator('#round-phase').textContent()).toBe(en[`dash.phase.${phaseNow}` as Key]);
    expect(await p.locator('#preview-off').textContent()).toBe(en['dash.previewOff']);
    expect(await p.getByRole('link', { name: 'Español' }).count()).toBe(1);
    await screenshot(p, 'dashboard-en-switched-phone');

    // The choice sticks (and reaches the Worker as the sf_lang cookie); ?lang= overrides it.
    await p.reload();
    await expect.poll(() => p.locator('#panel').isVisible()).toBe(true);
    expect(await p.locator('html').getAttribute('lang')).toBe('en');
    expect((await c.cookies(base)).find((k) => k.name === 'sf_lang')?.value).toBe('en');
    await p.goto(`${base}/dashboard?lang=es`);
    await expect.poll(() => p.getByRole('button', { name: 'Cambiar ya' }).isVisible()).toBe(true);
    expect(new URL(p.url()).search).toBe('');
  });
});

describe('the results page', () => {
  it('lists past matches and the leaderboard', async () => {
    const c = await phone();
    const p = await open(c, '/results');
    // Rounds reach the archive through the room's outbox: allow it a few seconds.
    for (let i = 0; i < 20 && (await p.locator('.match').count()) === 0; i++) {
      await sleep(1_000);
      await p.reload();
    }
    await expect.poll(() => p.locator('.match h3', { hasText: fightTitle }).count()).toBe(1);
    expect(await p.locator('#board li').count()).toBeGreaterThan(0);
    await screenshot(p, 'results-phone');
  });
});
