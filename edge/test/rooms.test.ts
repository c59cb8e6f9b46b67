import { env, listDurableObjectIds, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { Arena } from '../src/room/arena.ts';
import { call, room } from './helpers.ts';
import { connect } from './ws.ts';

const ns = env.Arena as unknown as DurableObjectNamespace<Arena>;

async function storedIds(): Promise<Set<string>> {
  return new Set((await listDurableObjectIds(ns)).map((id) => id.toString()));
}

async function expectJsonError(res: Response, status: number, code: string): Promise<void> {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/application\/json/);
  expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
}

describe('only the configured room exists', () => {
  it('refuses 10 other room names (HTTP and WebSocket) with a 404 and creates no Durable Object for them', async () => {
    const rogue = Array.from({ length: 10 }, (_, i) => `rogue-${i}-${crypto.randomUUID().slice(0, 6)}`);
    for (const name of rogue) {
      await expectJsonError(await call(`/parties/arena/${name}`), 404, 'not-found');
      await expectJsonError(await call(`/parties/arena/${name}`, { headers: { upgrade: 'websocket' } }), 404, 'not-found');
    }
    // Other spellings of a room: another party, a sub-path, a bare prefix.
    for (const path of ['/parties/main/main', '/parties/Arena/main', '/parties/arena/main/x', '/parties/arena', '/parties/']) {
      await expectJsonError(await call(path, { headers: { upgrade: 'websocket' } }), 404, 'not-found');
    }
    // The control: the real room is stored once someone connects, so the listing does see objects.
    const viewer = await connect();
    if (viewer instanceof Response) throw new Error(`upgrade refused: ${viewer.status}`);
    await viewer.next('welcome');
    const ids = await storedIds();
    expect(ids.has(ns.idFromName(env.ROOM_NAME ?? 'main').toString())).toBe(true);
    for (const name of rogue) expect(ids.has(ns.idFromName(name).toString()), name).toBe(false);
    viewer.ws.close();
  });

  it('answers plain HTTP to the room with 426 JSON, without a 5xx', async () => {
    await expectJsonError(await call('/parties/arena/main'), 426, 'upgrade-required');
    await expectJsonError(await call('/parties/arena/main', { method: 'POST', body: '{}' }), 426, 'upgrade-required');
  });

  it('refuses a connection id that poses as a role tag, and an unknown role, before the upgrade', async () => {
    for (const q of ['?_pk=operator', '?_pk=renderer', '?_pk=addr:x', `?_pk=${'a'.repeat(65)}`]) {
      await expectJsonError((await connect(q)) as Response, 400, 'bad-connection-id');
    }
    await expectJsonError((await connect('?role=admin')) as Response, 400, 'bad-role');
  });

  it("refuses a render node's malformed name or capacity with a 400 naming it, before the upgrade", async () => {
    const renderer = `?role=renderer&token=${env.RENDERER_TOKEN}`;
    await expectJsonError((await connect(`${renderer}&node=${encodeURIComponent('box one')}`)) as Response, 400, 'bad-node');
    await expectJsonError((await connect(`${renderer}&node=${'n'.repeat(65)}`)) as Response, 400, 'bad-node');
    for (const capacity of ['0', '33', 'two', '1.5']) await expectJsonError((await connect(`${renderer}&capacity=${capacity}`)) as Response, 400, 'bad-capacity');
    const ok = await connect(`${renderer}&node=box-1&capacity=4`);
    expect(ok).not.toBeInstanceOf(Response);
    (ok as { ws: WebSocket }).ws.close();
  });
});

describe('operator connections', () => {
  it('needs the operator token (401 JSON before the upgrade) and is tagged operator', async () => {
    await expectJsonError((await connect('?role=operator')) as Response, 401, 'unauthorized');
    await expectJsonError((await connect('?role=operator&token=wrong-token-0123456789')) as Response, 401, 'unauthorized');
    await expectJsonError((await connect(`?role=operator&token=${env.RENDERER_TOKEN}`)) as Response, 401, 'unauthorized');
    // The renderer door does not open for the operator's token either.
    await expectJsonError((await connect(`?role=renderer&token=${env.OPERATOR_TOKEN}`)) as Response, 401, 'unauthorized');

    const op = await connect(`?role=operator&token=${env.OPERATOR_TOKEN}`);
    if (op instanceof Response) throw new Error(`operator refused: ${op.status} ${await op.text()}`);
    const welcome = await op.next('welcome');
    expect(welcome.role).toBe('operator');
    await op.next('snapshot');
    const viewer = await connect();
    if (viewer instanceof Response) throw new Error('viewer refused');
    await viewer.next('welcome');
    const operators = await runInDurableObject(room(), (arena: Arena) => [...arena.getConnections('operator')].map((c) => c.id));
    expect(operators).toContain(welcome.connectionId);
    expect(operators).toHaveLength(1);
    op.ws.close();
    viewer.ws.close();
  });
});
