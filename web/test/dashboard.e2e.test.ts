/**
 * The operator dashboard end to end: sign-in, the round, streams, screens, shout-out moderation pushed by the room,
 * the chat sources a bridge reports (with the stack's BRIDGE_TOKEN), and both languages, against the local edge with
 * a round live, in Debian's Chromium on a phone-sized viewport.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { dictionary, type WordKey as Key } from '@stream-fighter/view/words';
import { altchaPayload } from '@stream-fighter/devstack/stack/solve-challenge';
import type { ChatStatusReply, ChatVoteResult } from '@stream-fighter/core';
import { api, bridgeCall, chatLine, duel, goLive, screenshot } from './support.ts';
import { useSiteSession } from './site-session.ts';

const tag = randomBytes(3).toString('hex');
const site = useSiteSession(({ base, token }) => goLive(base, token, duel(`Rooftop rumble ${tag}`)));
const { phone, open } = site;

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
    await p.getByLabel('Operator token').fill(site.token);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => p.locator('#panel').isVisible()).toBe(true);
    await expect.poll(() => p.locator('#round-phase').getAttribute('data-phase')).toBe('live');
    expect(await p.locator('#round-phase').textContent()).toBe('Live');
    await screenshot(p, 'dashboard-phone');

    await p.getByRole('button', { name: 'Rotate now' }).click();
    await expect.poll(() => p.locator('#dash-status').textContent()).toBe('Rotate: done.');
    await expect.poll(() => p.locator('#round-phase').getAttribute('data-phase')).toBe('finished');
    const polled = await api<{ round: { phase: string } }>(site.base, '/api/poll');
    expect(polled.body.round.phase).not.toBe('live');

    const key = `e2e-${tag}`;
    await p.getByLabel('Stream key').fill(key);
    await p.getByRole('button', { name: 'Start', exact: true }).click();
    await expect.poll(() => p.locator(`#streams li[data-key="${key}"]`).count()).toBe(1);
    const listed = await api<{ streams: Array<{ streamKey: string }> }>(site.base, '/api/stream', { headers: { authorization: `Bearer ${site.token}` } });
    expect(listed.body.streams.map((s) => s.streamKey)).toContain(key);
    await p.getByRole('button', { name: `Stop ${key}` }).click();
    await expect.poll(() => p.locator(`#streams li[data-key="${key}"]`).count()).toBe(0);

    // The token survives a reload of the tab (sessionStorage), not a new tab elsewhere.
    await p.reload();
    await expect.poll(() => p.locator('#panel').isVisible()).toBe(true);
  });

  it('adds, edits and deletes a screen, and starts a stream on it', async () => {
    const c = await phone();
    const p = await open(c, '/dashboard');
    await p.getByLabel('Operator token').fill(site.token);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => p.locator('#screens li[data-screen="bars"]').textContent()).toContain('bars · English · 720p · QR code, ticker, shout-outs, chat feed · built in');
    expect(await p.locator('#screens li').first().getAttribute('data-screen')).toBe('fight');
    expect(await p.locator('#start-stream select[name="screenId"]').inputValue()).toBe('fight');
    // Built-in screens can be edited, not deleted.
    expect(await p.getByRole('button', { name: 'Delete screen fight' }).count()).toBe(0);

    const id = `lobby-${tag}`;
    await p.getByText('New screen').click();
    await p.getByLabel('Screen id').fill(id);
    await p.getByLabel('Scene').selectOption('bars');
    await p.getByLabel('Language').selectOption('es');
    await p.getByLabel('QR code').uncheck();
    await p.getByRole('button', { name: 'Save screen' }).click();
    await expect.poll(() => p.locator(`#screens li[data-screen="${id}"]`).textContent()).toContain('bars · Spanish · 720p · ticker, shout-outs, chat feed');
    const auth = { headers: { authorization: `Bearer ${site.token}` } };
    const created = await api<{ screen: unknown }>(site.base, `/api/screens/${id}`, auth);
    expect(created.body.screen).toEqual({ id, scene: 'bars', lang: 'es', resolution: '720p', show: { qr: false, ticker: true, shoutouts: true, chat: true } });
    // Its OBS overlay: the address carries the language and the parts (the overlay cannot read the screen itself).
    expect(await p.getByRole('link', { name: `OBS overlay for screen ${id}` }).getAttribute('href')).toBe('/overlay?lang=es&show=ticker,shoutouts,chat');

    // Edit: the form comes back filled in; the id stays.
    await p.getByRole('button', { name: `Edit screen ${id}` }).click();
    expect(await p.getByLabel('Screen id').inputValue()).toBe(id);
    expect(await p.getByLabel('QR code').isChecked()).toBe(false);
    await p.getByLabel('Resolution').selectOption('1080p');
    await p.getByRole('button', { name: 'Save screen' }).click();
    await expect.poll(() => p.locator(`#screens li[data-screen="${id}"]`).textContent()).toContain('Spanish · 1080p');

    // The stream form offers it; a stream on it keeps it from being deleted.
    const key = `scr-${tag}`;
    await p.getByLabel('Stream key').fill(key);
    await p.locator('#start-stream select[name="screenId"]').selectOption(id);
    await p.getByRole('button', { name: 'Start', exact: true }).click();
    await expect.poll(() => p.locator(`#streams li[data-key="${key}"]`).textContent()).toContain(id);
    await expect.poll(() => p.locator(`#screens li[data-screen="${id}"]`).textContent()).toContain('shown by 1 stream(s)');
    await p.getByRole('button', { name: `Delete screen ${id}` }).click();
    await expect.poll(() => p.locator('#dash-status').textContent()).toContain('is shown by 1 stream');
    await p.getByRole('button', { name: `Stop ${key}` }).click();
    await expect.poll(() => p.locator(`#streams li[data-key="${key}"]`).count()).toBe(0);
    await p.getByRole('button', { name: `Delete screen ${id}` }).click();
    await expect.poll(() => p.locator(`#screens li[data-screen="${id}"]`).count()).toBe(0);
    expect((await api(site.base, `/api/screens/${id}`, auth)).status).toBe(404);
    await screenshot(p, 'dashboard-screens-phone');
  });

  it('sets a screen to be drawn by a web page: this site\'s /scene by default, another origin refused', async () => {
    const c = await phone();
    const p = await open(c, '/dashboard');
    await p.getByLabel('Operator token').fill(site.token);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => p.locator('#screens li[data-screen="fight"]').count()).toBe(1);
    const auth = { headers: { authorization: `Bearer ${site.token}` } };

    const id = `page-${tag}`;
    await p.getByText('New screen').click();
    await p.getByLabel('Screen id').fill(id);
    expect(await p.getByLabel('Drawn by').inputValue()).toBe('');
    await p.getByLabel('Drawn by').selectOption('browser');
    // Choosing a web page fills in the site's own /scene for the form's settings, and follows them until edited.
    expect(await p.getByLabel('Page address').inputValue()).toBe(new URL('/scene?lang=en&scene=fight', site.base).href);
    await p.getByLabel('Language').selectOption('es');
    await p.getByLabel('Ticker').uncheck();
    const scene = new URL('/scene?lang=es&scene=fight&show=qr,shoutouts,chat', site.base).href;
    expect(await p.getByLabel('Page address').inputValue()).toBe(scene);
    await p.getByRole('button', { name: 'Save screen' }).click();
    await expect.poll(() => p.locator(`#screens li[data-screen="${id}"]`).textContent()).toContain(`web page ${scene}`);
    const saved = await api<{ screen: { renderer?: string; url?: string } }>(site.base, `/api/screens/${id}`, auth);
    expect(saved.body.screen).toMatchObject({ renderer: 'browser', url: scene });

    // A page on an origin the edge does not allow is refused, says why, and changes nothing.
    await p.getByRole('button', { name: `Edit screen ${id}` }).click();
    expect(await p.getByLabel('Drawn by').inputValue()).toBe('browser');
    // Still the address the form wrote (parts off included): it follows the screen's settings as they change.
    await p.getByLabel('Language').selectOption('en');
    expect(await p.getByLabel('Page address').inputValue()).toBe(new URL('/scene?lang=en&scene=fight&show=qr,shoutouts,chat', site.base).href);
    await p.getByLabel('Language').selectOption('es');
    // Once set, the renderer can be changed, not taken back to "the render node's default".
    expect(await p.locator('select[name="renderer"] option[value=""]').isDisabled()).toBe(true);
    await p.getByLabel('Page address').fill('https://elsewhere.example/scene');
    await p.getByRole('button', { name: 'Save screen' }).click();
    await expect.poll(() => p.locator('#dash-status').textContent()).toContain('https://elsewhere.example is not this site');
    expect((await api<{ screen: unknown }>(site.base, `/api/screens/${id}`, auth)).body.screen).toEqual(saved.body.screen);

    // Back to the canvas: the address stays for a later switch, and the list says what draws it.
    await p.getByLabel('Page address').fill(scene);
    await p.getByLabel('Drawn by').selectOption('canvas');
    await p.getByRole('button', { name: 'Save screen' }).click();
    await expect.poll(() => p.locator(`#screens li[data-screen="${id}"]`).textContent()).toContain('the render node\'s canvas');
    expect((await api<{ screen: unknown }>(site.base, `/api/screens/${id}`, auth)).body.screen).toMatchObject({ renderer: 'canvas', url: scene });
    // A new screen after that edit starts on the render node's default again, with no address.
    await p.getByText('New screen').click();
    expect(await p.getByLabel('Drawn by').inputValue()).toBe('');
    expect(await p.getByLabel('Page address').inputValue()).toBe('');
    await p.getByRole('button', { name: `Delete screen ${id}` }).click();
    await expect.poll(() => p.locator(`#screens li[data-screen="${id}"]`).count()).toBe(0);
  });

  it('shows a new shout-out at once, pushed by the room, and approving it puts it on air', async () => {
    const c = await phone();
    const p = await open(c, '/dashboard');
    await p.getByLabel('Operator token').fill(site.token);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => p.locator('#auto-approve').isDisabled()).toBe(false);
    expect(await p.locator('#auto-approve').isChecked()).toBe(false);

    // A voter, as a client would become one: a solved challenge with the first vote.
    await goLive(site.base, site.token, duel(`Shout-out bout ${tag}`));
    const voted = await api<{ voterToken?: string }>(site.base, '/api/vote', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ option: 'A', altcha: await altchaPayload(site.base) }),
    });
    expect(voted.status, JSON.stringify(voted.body)).toBe(200);
    const message = `Go Mara ${tag}`;
    const sent = await api<{ status: string; shoutout: { id: string } }>(site.base, '/api/shoutout', {
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

  it('lists the chat sources the bridge reports, with their votes this round, and pausing one stops its votes counting', async () => {
    const c = await phone();
    const p = await open(c, '/dashboard');
    await p.getByLabel('Operator token').fill(site.token);
    await p.getByRole('button', { name: 'Sign in' }).click();
    // No bridge has reported to this stack yet: the panel says how to set one up.
    await expect.poll(() => p.locator('#chat-sources li').first().textContent()).toContain('TWITCH_CHANNELS');

    await goLive(site.base, site.token, duel(`Chat bout ${tag}`));
    const source = `twitch:e2e_${tag}`;
    const reported = await bridgeCall<ChatStatusReply>(site.base, site.bridgeToken, '/api/chat/status', { sources: [{ source, state: 'reconnecting', detail: 'socket closed, retrying in 2 s' }] });
    expect(reported.body).toMatchObject({ paused: [] });
    const counted = await bridgeCall<ChatVoteResult>(site.base, site.bridgeToken, '/api/chat/votes', { source, votes: [chatLine(`twitch:${tag}1`, 'gamer42', '!a')] });
    expect(counted.body).toMatchObject({ counted: 1, paused: false });

    // No reload: the panel reads the sources again every few seconds.
    const row = p.locator(`#chat-sources li[data-source="${source}"]`);
    await expect.poll(() => row.textContent(), { timeout: 10_000, message: 'the reported source in the chat panel' }).toMatch(/reconnecting · 1 vote this round · socket closed, retrying in 2 s · last heard \d+ s ago/);
    await screenshot(p, 'dashboard-chat-phone');

    await p.getByRole('button', { name: `Pause ${source}` }).click();
    await expect.poll(() => p.locator('#dash-status').textContent()).toBe(`Pause ${source}: done.`);
    expect(await row.textContent()).toContain('paused: its votes are not counted');
    const paused = await bridgeCall<ChatVoteResult>(site.base, site.bridgeToken, '/api/chat/votes', { source, votes: [chatLine(`twitch:${tag}2`, 'Rosa', '!b')] });
    expect(paused.body).toEqual({ counted: 0, duplicate: 0, stale: 0, ignored: 0, limited: 0, paused: true });
    expect((await bridgeCall<ChatStatusReply>(site.base, site.bridgeToken, '/api/chat/status', { sources: [{ source, state: 'connected' }] })).body).toMatchObject({ paused: [source] });

    // Resumed (and reported connected meanwhile): the same account's line counts now, as the paused batch was never looked at.
    await p.getByRole('button', { name: `Resume ${source}` }).click();
    await expect.poll(() => p.locator('#dash-status').textContent()).toBe(`Resume ${source}: done.`);
    expect(await row.textContent()).toContain(`${source}connected · 1 vote this round · last heard`);
    const resumed = await bridgeCall<ChatVoteResult>(site.base, site.bridgeToken, '/api/chat/votes', { source, votes: [chatLine(`twitch:${tag}2`, 'Rosa', '!b')] });
    expect(resumed.body).toMatchObject({ counted: 1, paused: false });
    const listed = await api<{ sources: Array<{ source: string; votes: number; paused: boolean }> }>(site.base, '/api/chat/sources', { headers: { authorization: `Bearer ${site.token}` } });
    expect(listed.body.sources.find((s) => s.source === source)).toMatchObject({ votes: 2, paused: false });
  });

  it('speaks Spanish to a Spanish browser, every label, and the switch turns it to English in place', async () => {
    const es = dictionary('es');
    const en = dictionary('en');
    const c = await phone({ locale: 'es-ES' });
    const p = await c.newPage();
    const mpegts = p.waitForRequest(/\/_astro\/mpegts\.[\w-]+\.js$/, { timeout: 15_000 });
    await p.goto(`${site.base}/dashboard`);
    await expect.poll(() => p.locator('html').getAttribute('lang')).toBe('es');
    expect(await p.title()).toBe(es['title.dashboard']);
    expect(await p.getByRole('heading', { level: 1 }).textContent()).toBe('Operador');
    await p.getByRole('button', { name: 'Entrar' }).click();
    expect(await p.locator('#panel').isHidden()).toBe(true);
    await p.getByLabel('Token de operador').fill('not-the-operator-token-at-all');
    await p.getByRole('button', { name: 'Entrar' }).click();
    await expect.poll(() => p.locator('#login-error').textContent()).toBe('Ese token no es válido.');

    await p.getByLabel('Token de operador').fill(site.token);
    await p.getByRole('button', { name: 'Entrar' }).click();
    await expect.poll(() => p.locator('#panel').isVisible()).toBe(true);
    for (const name of ['Ronda actual', 'Vista previa', 'A continuación', 'Emisiones', 'Pantallas', 'Fuentes de chat', 'Saludos']) {
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
    await expect.poll(() => p.locator('#chat-sources li').first().textContent()).toMatch(/Ninguna fuente de chat ha informado|votos? en esta ronda/);
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
    expect((await c.cookies(site.base)).find((k) => k.name === 'sf_lang')?.value).toBe('en');
    await p.goto(`${site.base}/dashboard?lang=es`);
    await expect.poll(() => p.getByRole('button', { name: 'Cambiar ya' }).isVisible()).toBe(true);
    expect(new URL(p.url()).search).toBe('');
  });
});
