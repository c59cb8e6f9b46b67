import { Hono } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { altcha } from '../voter/challenge.ts';

/** A proof-of-work challenge for a new voter session, in altcha-lib's own JSON (what the widget fetches). */
export const challengeRoutes = new Hono<AppEnv>().get('/', async (c) => (await altcha(c.var.config)).altcha.challengeHandler(c));
