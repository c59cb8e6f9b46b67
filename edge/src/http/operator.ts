import type { Context } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import { timingSafeEqual } from 'hono/utils/buffer';
import type { ApiError } from '@stream-fighter/core';
import type { AppEnv } from '../app-env.ts';

/** Every way the header can be wrong is the same 401, in the API's own error shape (hono's default is plain text). */
const refused = (c: Context<AppEnv>) =>
  c.json({ error: { code: 'unauthorized', message: 'operator token missing or wrong' } } satisfies ApiError, 401);

/** Operator routes need `Authorization: Bearer <OPERATOR_TOKEN>` (hono's bearerAuth, compared in constant time). */
export const requireOperator = bearerAuth({
  verifyToken: (token, c: Context<AppEnv>) => timingSafeEqual(token, c.var.config.OPERATOR_TOKEN),
  noAuthenticationHeader: { message: refused },
  invalidAuthenticationHeader: { message: refused },
  invalidToken: { message: refused },
});
