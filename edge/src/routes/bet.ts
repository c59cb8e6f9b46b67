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
import type { AppConfig } from '../env.ts';
import { log } from '../log.ts';
import type { BetInput, BetOutcome, BetRefusal } from '../room/bet-book.ts';
import { roomStub } from '../room/room-stub.ts';
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

/**
 * The room's answer, or 'unavailable' when the room was reset or overloaded mid-call (workerd marks those errors):
 * the bet and its stake committed together or not at all, so the viewer may simply retry (answered already-bet if it
 * had gone in).
 */
async function placeBet(env: Env, config: AppConfig, input: BetInput): Promise<BetOutcome | 'unavailable'> {
  try {
    return (await roomStub(env, config).bet(input)) as BetOutcome;
  } catch (e) {
    const flags = e as { retryable?: unknown; overloaded?: unknown; durableObjectReset?: unknown };
    if (flags.retryable !== true && flags.overloaded !== true && flags.durableObjectReset !== true) throw e;
    log.warn('bet.room-unavailable', { error: e instanceof Error ? e.message : String(e) });
    return 'unavailable';
  }
}

export const betRoutes = new Hono<AppEnv>().post('/', async (c) => {
  const body = await readBody(c, BetRequest);
  const address = await addressKey(c.var.config, clientAddress(c.req.raw.headers));
  const voter = await resolveVoter(c, body, address);
  const out = await placeBet(c.env, c.var.config, { voterId: voter.id, pollId: body.pollId, option: body.option, points: body.points });
  if (out === 'unavailable') {
    c.header('retry-after', '1');
    throw new ApiException(503, 'unavailable', 'the bet could not be placed just now (the room restarted mid-way); try again');
  }
  if (!out.ok) throw new ApiException(STATUS[out.code], out.code, out.message);
  const accepted: BetAccepted = { type: 'bet-accepted', v: PROTOCOL_VERSION, bet: out.bet, balance: out.balance, odds: out.odds };
  // API clients without cookies keep their session through the token, as with a first vote.
  return c.json(voter.issued ? { ...accepted, voterToken: voter.issued } : accepted, 200);
});
