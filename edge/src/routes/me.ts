/**
 * GET /api/me: the caller's play-money points (room/bet-book.ts): balance, the bet riding on the current round,
 * their last settled bet, and the current round's odds. A voter session is required; this never mints one.
 */
import { Hono } from 'hono';
import { PROTOCOL_VERSION, type MeResponse } from '@stream-fighter/core';
import type { AppEnv } from '../app-env.ts';
import { ApiException } from '../http/errors.ts';
import { roomStub } from '../room/room-stub.ts';
import { limitPoints } from './points-limit.ts';
import { peekVoter } from '../voter/session.ts';

export const meRoutes = new Hono<AppEnv>().get('/', async (c) => {
  const voter = await peekVoter(c);
  if (!voter) throw new ApiException(401, 'voter-required', 'your points belong to a voter session (vote or bet first); the X-Voter-Token or sf_voter cookie is missing, invalid or expired');
  await limitPoints(c, voter);
  const me = await roomStub(c.env, c.var.config).me(voter);
  c.header('cache-control', 'no-store');
  return c.json({ type: 'me', v: PROTOCOL_VERSION, ...me } satisfies MeResponse);
});
