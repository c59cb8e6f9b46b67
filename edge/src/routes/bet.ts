/**
 * A viewer's play-money bet (POST /api/bet): the same origin, content-type, body-size and session rules as a vote
 * (routes/vote.ts), and the room decides (room/bet-book.ts): open only while the round is in its intro.
 */
import { Hono } from 'hono';
import { BetRequest, PROTOCOL_VERSION, type BetAccepted } from '@stream-fighter/core';
import type { AppEnv } from '../app-env.ts';
import { addressKey, clientAddress } from '../http/address.ts';
import { readBody } from '../http/body.ts';
import { ApiException } from '../http/errors.ts';
import type { BetOutcome, BetRefusal } from '../room/bet-book.ts';
import { roomStub } from '../room/room-stub.ts';
import { limitPoints } from './points-limit.ts';
import { resolveVoter } from '../voter/session.ts';

const STATUS: Record<BetRefusal['code'], 400 | 403 | 409> = {
  'unknown-option': 400,
  'invalid-stake': 400,
  banned: 403,
  'bets-closed': 409,
  'stale-poll': 409,
  'already-bet': 409,
  'over-balance': 409,
};

export const betRoutes = new Hono<AppEnv>().post('/', async (c) => {
  const body = await readBody(c, BetRequest);
  const address = await addressKey(c.var.config, clientAddress(c.req.raw.headers));
  const voter = await resolveVoter(c, body, address);
  await limitPoints(c, voter.id);
  // A room reset mid-call is a 503 (http/on-error.ts): the bet and its stake committed together or not at all, so
  // the viewer may simply retry (answered already-bet if it had gone in).
  const out = (await roomStub(c.env, c.var.config).bet({ voterId: voter.id, pollId: body.pollId, option: body.option, points: body.points })) as BetOutcome;
  if (!out.ok) throw new ApiException(STATUS[out.code], out.code, out.message);
  const accepted: BetAccepted = { type: 'bet-accepted', v: PROTOCOL_VERSION, bet: out.bet, balance: out.balance, odds: out.odds };
  // API clients without cookies keep their session through the token, as with a first vote.
  return c.json(voter.issued ? { ...accepted, voterToken: voter.issued } : accepted, 200);
});
