/**
 * Chat votes: the chat bridge (Bearer BRIDGE_TOKEN) sends batches of the lines that parsed as commands and reports
 * its sources; the operator sees each source and pauses or resumes it. The room decides everything (chat-desk.ts):
 * this only checks who is calling and what they sent.
 */
import { Hono, type Context } from 'hono';
import { CHAT_BATCH_MAX_BYTES, ChatSourceId, ChatSourcePause, ChatStatusReport, ChatVoteBatch } from '@stream-fighter/core';
import type { AppEnv } from '../app-env.ts';
import { readBody } from '../http/body.ts';
import { requireBridge } from '../http/bridge.ts';
import { ApiException, badRequest } from '../http/errors.ts';
import { requireOperator } from '../http/operator.ts';
import { roomStub } from '../room/room-stub.ts';

/** A report of 32 sources, each with the longest detail. */
const STATUS_MAX_BYTES = 64 * 1024;

function sourceId(c: Context<AppEnv>): string {
  const parsed = ChatSourceId.safeParse(c.req.param('source'));
  if (!parsed.success) throw badRequest('invalid-id', parsed.error.issues[0]?.message ?? 'not a chat source id');
  return parsed.data;
}

export const chatRoutes = new Hono<AppEnv>()
  .post('/votes', requireBridge, async (c) => {
    const batch = await readBody(c, ChatVoteBatch, CHAT_BATCH_MAX_BYTES);
    return c.json(await roomStub(c.env, c.var.config).chatVotes(batch));
  })
  .post('/status', requireBridge, async (c) => {
    const report = await readBody(c, ChatStatusReport, STATUS_MAX_BYTES);
    return c.json(await roomStub(c.env, c.var.config).chatStatus(report));
  })
  .get('/sources', requireOperator, async (c) => c.json({ sources: await roomStub(c.env, c.var.config).chatSources() }))
  .put('/sources/:source', requireOperator, async (c) => {
    const source = sourceId(c);
    const { paused } = await readBody(c, ChatSourcePause);
    const out = await roomStub(c.env, c.var.config).setChatPaused(source, paused);
    if ('refused' in out) throw new ApiException(409, out.refused, out.message);
    return c.json({ source: out });
  });
