import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../app-env.ts';
import { ApiException } from './errors.ts';
import { constantTimeEqual } from './constant-time.ts';

/** Operator routes need `Authorization: Bearer <OPERATOR_TOKEN>`. */
export const requireOperator = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header('authorization') ?? '';
  const token = header.startsWith('Bearer ') ? header.slice(7) : '';
  if (!token || !constantTimeEqual(token, c.var.config.OPERATOR_TOKEN)) {
    throw new ApiException(401, 'unauthorized', 'operator token missing or wrong');
  }
  await next();
});
