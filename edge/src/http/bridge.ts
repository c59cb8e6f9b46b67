/**
 * Server-side vote bridges (the chat bridge) show `Authorization: Bearer BRIDGE_TOKEN`. One check for every route
 * that takes them, compared in constant time; with no BRIDGE_TOKEN configured every bridge is refused.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { timingSafeEqual } from 'hono/utils/buffer';
import type { AppEnv } from '../app-env.ts';
import { ApiException } from './errors.ts';

const refused = () => new ApiException(401, 'unauthorized', 'bridge token missing or wrong');

async function isBridgeToken(c: Context<AppEnv>, header: string): Promise<boolean> {
  const expected = c.var.config.BRIDGE_TOKEN;
  if (!expected || !header.startsWith('Bearer ')) return false;
  return timingSafeEqual(header.slice(7), expected);
}

/** For routes only bridges call (/api/chat/votes, /api/chat/status). */
export const requireBridge: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!(await isBridgeToken(c, c.req.header('authorization') ?? ''))) throw refused();
  await next();
};
