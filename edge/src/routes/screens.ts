/**
 * The operator's screens (core/src/screen.ts): list, create, change, delete. The room keeps them with the streams
 * (stream-desk.ts), so a change reaches the renderers showing that screen at once. `PUT` changes only the fields
 * it names; `fight` and `bars` can be changed but not deleted; a screen a stream shows is not deleted either.
 */
import { Hono, type Context } from 'hono';
import { ScreenCreate, ScreenId, ScreenUpdate } from '@stream-fighter/core';
import type { AppEnv } from '../app-env.ts';
import { readBody } from '../http/body.ts';
import { ApiException, badRequest } from '../http/errors.ts';
import { requireOperator } from '../http/operator.ts';
import { roomStub } from '../room/room-stub.ts';

/** Every refusal the room gives about screens, as the status it is answered with. */
const STATUS = { 'invalid-body': 400, 'not-found': 404, 'screen-exists': 409, 'too-many-screens': 409, 'built-in-screen': 409, 'screen-in-use': 409 } as const;

/** A room's refusal (or the value it returned) → the value, or the API error that refusal is. */
type Refusal = { refused: keyof typeof STATUS; message: string };
export function orRefuse<U extends object>(out: U): Exclude<U, Refusal> {
  if ('refused' in out) {
    const r = out as unknown as Refusal;
    throw new ApiException(STATUS[r.refused], r.refused, r.message);
  }
  return out as Exclude<U, Refusal>;
}

function screenId(c: Context<AppEnv>): string {
  const parsed = ScreenId.safeParse(c.req.param('id'));
  if (!parsed.success) throw badRequest('invalid-id', parsed.error.issues[0]?.message ?? 'not a screen id');
  return parsed.data;
}

/**
 * A browser screen's page must come from this site or an origin the operator allowed: the request's own origin,
 * SITE_ORIGINS or BROWSER_URL_ALLOW. Anything else is refused here, when the screen is saved, so it is never sent to a render node (which checks again before it
 * loads anything): a page a render node loads runs with the node's network reach.
 */
function checkUrl(c: Context<AppEnv>, url: string | undefined): void {
  if (url === undefined) return;
  const origins = [new URL(c.req.url).origin, ...c.var.config.SITE_ORIGINS, ...c.var.config.BROWSER_URL_ALLOW];
  // ScreenUrl has parsed it as an http(s) URL already, so it has an origin.
  if (!origins.includes(new URL(url).origin)) {
    throw badRequest('invalid-body', `url: ${new URL(url).origin} is not this site's origin nor one allowed for browser screens (${origins.join(', ')})`);
  }
}

export const screenRoutes = new Hono<AppEnv>()
  .use(requireOperator)
  .get('/', async (c) => c.json({ screens: await roomStub(c.env, c.var.config).screens() }))
  .post('/', async (c) => {
    const body = await readBody(c, ScreenCreate);
    checkUrl(c, body.url);
    return c.json(orRefuse(await roomStub(c.env, c.var.config).createScreen(body)), 201);
  })
  .get('/:id', async (c) => {
    const id = screenId(c);
    const screen = (await roomStub(c.env, c.var.config).screens()).find((s) => s.id === id);
    if (!screen) throw new ApiException(404, 'not-found', `no screen ${id}`);
    return c.json({ screen });
  })
  .put('/:id', async (c) => {
    const id = screenId(c);
    const body = await readBody(c, ScreenUpdate);
    checkUrl(c, body.url);
    return c.json(orRefuse(await roomStub(c.env, c.var.config).updateScreen(id, body)));
  })
  .delete('/:id', async (c) => {
    const id = screenId(c);
    return c.json(orRefuse(await roomStub(c.env, c.var.config).deleteScreen(id)));
  });
