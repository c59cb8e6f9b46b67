import { Hono, type Context } from 'hono';
import { OptionId, PROTOCOL_VERSION, VoteRequest, type VoteAccepted } from '@stream-fighter/core';
import { z } from 'zod';
import type { AppEnv } from '../app-env.ts';
import { readBody } from '../http/body.ts';
import { ApiException } from '../http/errors.ts';
import { clientIp } from '../http/limits.ts';
import { arena } from '../room/stub.ts';
import { resolveVoter } from '../voter/session.ts';

/** The seed's body `{"option":"A"}` still works; `pollId` pins the vote to a round, `turnstileToken` starts a session. */
const VoteBody = VoteRequest.extend({ turnstileToken: z.string().min(1).max(2048).optional() });

/** The vote page's plain <form> (no JavaScript): the Turnstile widget names its field `cf-turnstile-response`. */
const FormVoteBody = z
  .object({
    option: OptionId,
    pollId: z.string().min(1).max(64).optional(),
    'cf-turnstile-response': z.string().min(1).max(2048).optional(),
  })
  .transform(({ 'cf-turnstile-response': turnstileToken, ...vote }) => ({ ...vote, ...(turnstileToken ? { turnstileToken } : {}) }));

/**
 * A browser's own form post (the vote page before or without JavaScript): answered with a redirect back to the
 * page, which says what happened. Scripts and API clients (JSON, or `curl -d` without Accept: text/html) get JSON.
 */
function isPageForm(c: Context<AppEnv>): boolean {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  return type === 'application/x-www-form-urlencoded' && (c.req.header('accept') ?? '').includes('text/html');
}

async function castVote(c: Context<AppEnv>, body: z.infer<typeof VoteBody>): Promise<{ accepted: VoteAccepted; issued: string | null }> {
  const { config } = c.var;
  const voter = await resolveVoter(c, body.turnstileToken);
  // The room is the authority: it checks the rate limits (for a whole batch of votes at once) and its dedupe
  // insert and the tally commit together.
  const out = await arena(c.env, config).vote({ voterId: voter.id, option: body.option, pollId: body.pollId, ip: clientIp(c.req.raw.headers) });
  if (!out.ok) {
    switch (out.code) {
      case 'rate-limited':
        c.header('retry-after', String(out.retryAfterSec));
        throw new ApiException(429, 'rate-limited', 'too many votes; slow down');
      case 'already-voted':
        throw new ApiException(409, 'already-voted', `you already voted for ${out.option} in this round`);
      case 'unknown-option':
        throw new ApiException(400, out.code, out.message);
      default:
        throw new ApiException(409, out.code, out.message);
    }
  }
  const accepted: VoteAccepted = {
    type: 'vote-accepted',
    v: PROTOCOL_VERSION,
    vote: { pollId: out.pollId, option: out.option },
    tally: out.tally,
    hp: out.hp,
    seq: out.seq,
  };
  return { accepted, issued: voter.issued };
}

export const voteRoutes = new Hono<AppEnv>().post('/', async (c) => {
  if (isPageForm(c)) {
    // 303 so the browser follows with a GET: reloading the result page never re-posts the vote.
    try {
      const { accepted } = await castVote(c, await readBody(c, FormVoteBody));
      return c.redirect(`/?voted=${accepted.vote.option}`, 303);
    } catch (e) {
      if (e instanceof ApiException) return c.redirect(`/?error=${encodeURIComponent(e.code)}`, 303);
      throw e;
    }
  }
  const { accepted, issued } = await castVote(c, await readBody(c, VoteBody));
  // API clients without cookies keep their session through the token.
  return c.json(issued ? { ...accepted, voterToken: issued } : accepted, 200);
});
