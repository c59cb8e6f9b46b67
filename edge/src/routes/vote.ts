import { Hono, type Context } from 'hono';
import { PROTOCOL_VERSION, SessionProof, VoteRequest, type VoteAccepted } from '@stream-fighter/core';
import { z } from 'zod';
import type { AppEnv } from '../app-env.ts';
import { addressKey, clientAddress } from '../http/address.ts';
import { readBody } from '../http/body.ts';
import { ApiException } from '../http/errors.ts';
import { FORM_TYPE, mediaType } from '../http/origin.ts';
import type { VoteInput } from '../room/ballot-box.ts';
import { admitVote } from '../room/room-stub.ts';
import { isNoJsVoter } from '../voter/derived-id.ts';
import { resolveVoter } from '../voter/session.ts';

/**
 * The vote page's plain <form>: `ticket` is the one-time ticket the Worker wrote into the page (no JavaScript);
 * with JavaScript the ALTCHA widget adds `altcha`, and the Turnstile widget `cf-turnstile-response`.
 */
const FormVoteBody = z
  // Not strict, unlike the JSON body: a page's form may carry fields of its widgets that are not ours.
  .object({ ...VoteRequest.omit({ turnstileToken: true }).shape, 'cf-turnstile-response': SessionProof.shape.turnstileToken })
  .transform(({ 'cf-turnstile-response': turnstileToken, ...vote }) => ({ ...vote, ...(turnstileToken ? { turnstileToken } : {}) }));

/**
 * A browser's own form post (the vote page before or without JavaScript): answered with a redirect back to the
 * page, which says what happened. Scripts and API clients (JSON, or `curl -d` without Accept: text/html) get JSON.
 */
function isPageForm(c: Context<AppEnv>): boolean {
  return mediaType(c.req.header('content-type')) === FORM_TYPE && (c.req.header('accept') ?? '').includes('text/html');
}

async function castVote(c: Context<AppEnv>, input: VoteInput): Promise<VoteAccepted> {
  // The room is the authority: it checks the rate limits (for a whole batch of votes at once), the per-round
  // address caps, and its dedupe insert and the tally commit together; with VOTE_SHARDS, a counting shard checks
  // the rate limits and repeats first and hands the room its votes in batches (room/vote-shard.ts).
  const out = await admitVote(c.env, c.var.config, input);
  if (!out.ok) {
    switch (out.code) {
      case 'rate-limited':
        c.header('retry-after', String(out.retryAfterSec));
        throw new ApiException(429, 'rate-limited', 'too many votes; slow down');
      case 'address-limit':
        c.header('retry-after', String(out.retryAfterSec));
        throw new ApiException(429, 'address-limit', `this network has cast its ${out.cap} votes in this round`);
      case 'already-voted':
        throw new ApiException(409, 'already-voted', `you already voted for ${out.option} in this round`);
      case 'banned':
        throw new ApiException(403, 'banned', out.message);
      case 'unavailable':
        c.header('retry-after', String(out.retryAfterSec));
        throw new ApiException(503, 'unavailable', out.message);
      case 'unknown-option':
        throw new ApiException(400, out.code, out.message);
      default:
        throw new ApiException(409, out.code, out.message);
    }
  }
  // The hit this vote landed (a fight only): what the vote page shows the voter their tap did.
  const hit = out.hit ? { hit: { n: out.hit.n, attacker: out.hit.attacker, target: out.hit.target, kind: out.hit.kind, damage: out.hit.damage, move: out.hit.move } } : {};
  return { type: 'vote-accepted', v: PROTOCOL_VERSION, vote: { pollId: out.pollId, option: out.option }, tally: out.tally, hp: out.hp, seq: out.seq, ...hit };
}

/** A viewer's vote: their session (or the proof that mints one) and their address, for the per-address limits. */
async function viewerVote(c: Context<AppEnv>, body: z.infer<typeof VoteRequest>): Promise<{ accepted: VoteAccepted; issued: string | null }> {
  const address = await addressKey(c.var.config, clientAddress(c.req.raw.headers));
  const voter = await resolveVoter(c, body, address);
  const accepted = await castVote(c, { voterId: voter.id, option: body.option, pollId: body.pollId, address, nojs: isNoJsVoter(voter.id) });
  return { accepted, issued: voter.issued };
}

/**
 * Viewers only. Chat votes come in batches on POST /api/chat/votes, which places each line in the round live at
 * its platform timestamp; an Authorization header here changes nothing (the vote is a viewer's, with a session).
 */
export const voteRoutes = new Hono<AppEnv>().post('/', async (c) => {
  if (isPageForm(c)) {
    // 303 so the browser follows with a GET: reloading the result page never re-posts the vote.
    try {
      const { accepted } = await viewerVote(c, await readBody(c, FormVoteBody));
      return c.redirect(`/?voted=${accepted.vote.option}`, 303);
    } catch (e) {
      if (e instanceof ApiException) return c.redirect(`/?error=${encodeURIComponent(e.code)}`, 303);
      throw e;
    }
  }
  const { accepted, issued } = await viewerVote(c, await readBody(c, VoteRequest));
  // API clients without cookies keep their session through the token.
  return c.json(issued ? { ...accepted, voterToken: issued } : accepted, 200);
});
