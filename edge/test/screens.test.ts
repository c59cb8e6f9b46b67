import { env, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { defaultScreen, SCREENS_MAX, type Screen } from '@stream-fighter/core';
import type { Arena } from '../src/room/arena.ts';
import { ScreenBook } from '../src/room/screen-book.ts';
import { call, OPERATOR, postJson, room } from './helpers.ts';
import { connect } from './ws.ts';

const send = (method: string, path: string, body?: unknown) =>
  call(path, { method, headers: { ...OPERATOR, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
const screens = async () => ((await (await call('/api/screens', { headers: OPERATOR })).json()) as { screens: Screen[] }).screens;
const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error;
const unique = (prefix: string) => `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
const ALL = { qr: true, ticker: true, shoutouts: true, chat: true };

async function renderer() {
  const r = await connect(`?role=renderer&token=${env.RENDERER_TOKEN}`);
  if (r instanceof Response) throw new Error(`renderer refused: ${r.status}`);
  await r.next('streams');
  return r;
}

describe('screens', () => {
  it('fight and bars exist from the start, with the defaults', async () => {
    const list = await screens();
    expect(list.slice(0, 2).map((s) => s.id)).toEqual(['fight', 'bars']);
    expect(list.find((s) => s.id === 'fight')).toEqual({ id: 'fight', scene: 'fight', lang: 'en', resolution: '720p', show: ALL });
    expect(list.find((s) => s.id === 'bars')).toEqual({ id: 'bars', scene: 'bars', lang: 'en', resolution: '720p', show: ALL });
    expect((await call('/api/screens/bars', { headers: OPERATOR })).status).toBe(200);
  });

  it("the seed's example body works as written: an unknown screenId is created with the defaults, and the reply says so", async () => {
    const r = await renderer();
    const res = await postJson('/api/stream', { screenId: 'test', streamKey: 'my-stream-key' }, OPERATOR);
    expect(res.status).toBe(201);
    const body = (await res.json()) as { streams: Array<{ streamKey: string; screenId: string; screen: Screen }>; createdScreen?: Screen };
    expect(body.createdScreen).toEqual({ id: 'test', scene: 'fight', lang: 'en', resolution: '720p', show: ALL });
    expect(body.streams.find((s) => s.streamKey === 'my-stream-key')).toMatchObject({ screenId: 'test', screen: body.createdScreen });
    expect((await screens()).map((s) => s.id)).toContain('test');
    // The renderer is sent the stream with its screen resolved: it needs nothing else to draw it.
    const pushed = (await r.next('streams')).streams as Array<{ streamKey: string; screen: Screen }>;
    expect(pushed.find((s) => s.streamKey === 'my-stream-key')?.screen).toEqual(body.createdScreen);
    // Again: the screen exists now, so nothing is created.
    const again = (await (await postJson('/api/stream', { screenId: 'test', streamKey: 'my-stream-key' }, OPERATOR)).json()) as Record<string, unknown>;
    expect(again).not.toHaveProperty('createdScreen');
    expect((await send('DELETE', '/api/stream?streamKey=my-stream-key')).status).toBe(200);
    expect((await send('DELETE', '/api/screens/test')).status).toBe(200);
    r.ws.close();
  });

  it('creates, changes and deletes a screen; a change reaches the renderers of the streams that show it', async () => {
    const id = unique('lobby');
    const created = await postJson('/api/screens', { id, scene: 'bars', lang: 'es', show: { qr: false } }, OPERATOR);
    expect(created.status).toBe(201);
    expect(((await created.json()) as { screen: Screen }).screen).toEqual({ id, scene: 'bars', lang: 'es', resolution: '720p', show: { ...ALL, qr: false } });

    const r = await renderer();
    const key = unique('k');
    expect((await postJson('/api/stream', { screenId: id, streamKey: key }, OPERATOR)).status).toBe(201);
    await r.next('streams');

    // PUT changes what it names and keeps the rest.
    const changed = await send('PUT', `/api/screens/${id}`, { resolution: '1080p', show: { ticker: false } });
    expect(changed.status).toBe(200);
    const want = { id, scene: 'bars', lang: 'es', resolution: '1080p', show: { ...ALL, qr: false, ticker: false } };
    expect(((await changed.json()) as { screen: Screen }).screen).toEqual(want);
    const pushed = (await r.next('streams')).streams as Array<{ streamKey: string; screen: Screen }>;
    expect(pushed.find((s) => s.streamKey === key)?.screen).toEqual(want);
    expect(((await (await call(`/api/screens/${id}`, { headers: OPERATOR })).json()) as { screen: Screen }).screen).toEqual(want);

    // A stream shows it: not deleted, and nothing changes.
    const inUse = await send('DELETE', `/api/screens/${id}`);
    expect(inUse.status).toBe(409);
    expect(await errorOf(inUse)).toMatchObject({ code: 'screen-in-use', message: expect.stringContaining('1 stream') });
    expect((await screens()).find((s) => s.id === id)).toEqual(want);

    expect((await send('DELETE', `/api/stream?streamKey=${key}`)).status).toBe(200);
    const deleted = await send('DELETE', `/api/screens/${id}`);
    expect(deleted.status).toBe(200);
    expect(((await deleted.json()) as { removed: Screen }).removed).toEqual(want);
    expect((await screens()).map((s) => s.id)).not.toContain(id);
    expect((await send('DELETE', `/api/screens/${id}`)).status).toBe(404);
    r.ws.close();
  });

  it(`keeps at most ${SCREENS_MAX} screens, and a stream naming a new screen past that is refused with nothing changed`, async () => {
    const made: string[] = [];
    try {
      for (let n = (await screens()).length; n < SCREENS_MAX; n++) {
        const id = unique('many');
        expect((await postJson('/api/screens', { id }, OPERATOR)).status).toBe(201);
        made.push(id);
      }
      const over = await postJson('/api/screens', { id: unique('one-more') }, OPERATOR);
      expect(over.status).toBe(409);
      expect(await errorOf(over)).toMatchObject({ code: 'too-many-screens', message: expect.stringContaining(String(SCREENS_MAX)) });

      const streamsBefore = await (await call('/api/stream', { headers: OPERATOR })).text();
      const viaStream = await postJson('/api/stream', { screenId: unique('via-stream'), streamKey: unique('k') }, OPERATOR);
      expect(viaStream.status).toBe(409);
      expect((await errorOf(viaStream)).code).toBe('too-many-screens');
      expect(await (await call('/api/stream', { headers: OPERATOR })).text()).toBe(streamsBefore);
      expect((await screens()).length).toBe(SCREENS_MAX);
    } finally {
      for (const id of made) await send('DELETE', `/api/screens/${id}`);
    }
    expect((await screens()).length).toBe(SCREENS_MAX - made.length);
  });

  it('refuses bad input with a JSON 4xx and changes no screen', async () => {
    const before = JSON.stringify(await screens());
    const cases: Array<[Response, number, string]> = [
      [await postJson('/api/screens', { id: 'UPPER' }, OPERATOR), 400, 'invalid-body'],
      [await postJson('/api/screens', { id: 'x', resolution: '4k' }, OPERATOR), 400, 'invalid-body'],
      [await postJson('/api/screens', { id: 'x', extra: 1 }, OPERATOR), 400, 'invalid-body'],
      [await postJson('/api/screens', [], OPERATOR), 400, 'invalid-body'],
      [await call('/api/screens', { method: 'POST', headers: { ...OPERATOR, 'content-type': 'application/json' }, body: '{"id":' }), 400, 'malformed-json'],
      [await send('PUT', '/api/screens/fight', { id: 'other' }), 400, 'invalid-body'],
      [await send('PUT', '/api/screens/fight', { show: { qr: 1 } }), 400, 'invalid-body'],
      [await send('PUT', '/api/screens/NOPE', {}), 400, 'invalid-id'],
      [await send('DELETE', '/api/screens/fight'), 409, 'built-in-screen'],
      [await send('DELETE', '/api/screens/absent-screen'), 404, 'not-found'],
      [await call('/api/screens'), 401, 'unauthorized'],
      [await call('/api/screens/fight', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{}' }), 401, 'unauthorized'],
    ];
    for (const [res, status, code] of cases) {
      expect(res.status, code).toBe(status);
      expect((await errorOf(res)).code).toBe(code);
    }
    expect(JSON.stringify(await screens())).toBe(before);
  });

  it('keeps a browser screen whose page is on this site (or SITE_ORIGINS), and sends it to the renderers with its url', async () => {
    const id = unique('page');
    const url = 'https://vote.example/scene?room=main';
    const created = await postJson('/api/screens', { id, renderer: 'browser', url }, OPERATOR);
    expect(created.status, await created.clone().text()).toBe(201);
    const want = { ...defaultScreen(id), renderer: 'browser', url };
    expect(((await created.json()) as { screen: Screen }).screen).toEqual(want);
    expect(((await (await call(`/api/screens/${id}`, { headers: OPERATOR })).json()) as { screen: Screen }).screen).toEqual(want);

    const r = await renderer();
    const key = unique('k');
    expect((await postJson('/api/stream', { screenId: id, streamKey: key }, OPERATOR)).status).toBe(201);
    const pushed = (await r.next('streams')).streams as Array<{ streamKey: string; screen: Screen }>;
    expect(pushed.find((s) => s.streamKey === key)?.screen).toEqual(want);

    // The site's own origin (the request's) is allowed too; back to the canvas keeps the url for later.
    const own = await send('PUT', `/api/screens/${id}`, { url: 'https://sf.test/scene' });
    expect(own.status).toBe(200);
    const canvas = await send('PUT', `/api/screens/${id}`, { renderer: 'canvas' });
    expect(((await canvas.json()) as { screen: Screen }).screen).toEqual({ ...want, renderer: 'canvas', url: 'https://sf.test/scene' });

    expect((await send('DELETE', `/api/stream?streamKey=${key}`)).status).toBe(200);
    expect((await send('DELETE', `/api/screens/${id}`)).status).toBe(200);
    r.ws.close();
  });

  it('refuses a browser page from another origin, or none, when the screen is saved, and changes nothing', async () => {
    const id = unique('page');
    expect((await postJson('/api/screens', { id }, OPERATOR)).status).toBe(201);
    const before = JSON.stringify(await screens());
    const cases: Array<[Response, string]> = [
      [await postJson('/api/screens', { id: unique('evil'), renderer: 'browser', url: 'https://evil.example/' }, OPERATOR), 'https://evil.example is not'],
      [await postJson('/api/screens', { id: unique('port'), renderer: 'browser', url: 'https://vote.example:8443/' }, OPERATOR), 'https://vote.example:8443 is not'],
      [await postJson('/api/screens', { id: unique('none'), renderer: 'browser' }, OPERATOR), 'give it a url'],
      [await postJson('/api/screens', { id: unique('file'), renderer: 'browser', url: 'file:///etc/passwd' }, OPERATOR), 'http(s) URL'],
      [await send('PUT', `/api/screens/${id}`, { renderer: 'browser', url: 'http://169.254.169.254/latest/meta-data' }), 'http://169.254.169.254 is not'],
      [await send('PUT', `/api/screens/${id}`, { renderer: 'browser' }), 'give it a url'],
    ];
    for (const [res, message] of cases) {
      expect(res.status, message).toBe(400);
      expect(await errorOf(res)).toMatchObject({ code: 'invalid-body', message: expect.stringContaining(message) });
    }
    expect(JSON.stringify(await screens())).toBe(before);
    expect((await send('DELETE', `/api/screens/${id}`)).status).toBe(200);
  });

  it("a screen nobody set up speaks the room's STREAM_LANG, so its words match the matchups", async () => {
    await runInDurableObject(room(`lang-${crypto.randomUUID().slice(0, 8)}`), (_instance: Arena, state) => {
      const book = new ScreenBook(state.storage.sql, () => 0, 'es');
      expect(book.create({ id: 'nueva' })).toEqual({ screen: { ...defaultScreen('nueva'), lang: 'es' } });
      expect(book.create({ id: 'otra', lang: 'en' })).toMatchObject({ screen: { lang: 'en' } });
      expect(book.defaults('x').lang).toBe('es');
    });
  });
});
