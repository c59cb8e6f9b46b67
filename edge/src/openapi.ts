/**
 * The API reference, built from the same zod schemas that validate the requests, so it cannot drift from
 * what the handlers accept. Served at /api/openapi.json.
 */
import { z } from 'zod';
import {
  ApiError,
  GenerateRequest,
  Matchup,
  PollList,
  PollResponse,
  PollSummary,
  ShoutoutRequest,
  StreamEntry,
  StreamStartRequest,
  VoteAccepted,
  VoteRequest,
} from '@stream-fighter/core';

const schema = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' });
const json = (s: z.ZodType) => ({ content: { 'application/json': { schema: schema(s) } } });
const error = (description: string) => ({ description, ...json(ApiError) });
const operator = [{ operatorToken: [] }];

export function openApiDocument(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: { title: 'Stream Fighter API', version: '1.0.0', description: 'Votes, rounds, history and stream control for the Stream Fighter edge.' },
    components: {
      securitySchemes: {
        operatorToken: { type: 'http', scheme: 'bearer', description: 'OPERATOR_TOKEN' },
        voterToken: { type: 'apiKey', in: 'header', name: 'X-Voter-Token', description: 'signed voter session (or the sf_voter cookie)' },
      },
    },
    paths: {
      '/api/health': { get: { summary: 'Room, Redis and Postgres health', responses: { 200: { description: 'all healthy' }, 503: { description: 'something is down' } } } },
      '/api/poll': { get: { summary: 'The current match and the previous result', responses: { 200: { description: 'current poll', ...json(PollResponse) } } } },
      '/api/vote': {
        post: {
          summary: 'Cast a vote (one per voter per round)',
          security: [{ voterToken: [] }, {}],
          requestBody: { required: true, ...json(VoteRequest.extend({ turnstileToken: z.string().optional() })) },
          responses: {
            200: { description: 'vote accepted', ...json(VoteAccepted) },
            400: error('malformed body or unknown option'),
            401: error('invalid voter token or Turnstile required'),
            409: error('already voted, stale poll id, or round not live'),
            413: error('body too large'),
            429: error('rate limited'),
          },
        },
      },
      '/api/poll/generate': {
        post: { summary: 'Generate next matchups into the queue', security: operator, requestBody: json(GenerateRequest), responses: { 201: { description: 'queued' }, 401: error('operator token') } },
      },
      '/api/poll/rotate': { post: { summary: 'End the current round now', security: operator, responses: { 200: { description: 'new state', ...json(PollResponse) }, 401: error('operator token') } } },
      '/api/poll/queue': {
        get: { summary: 'Upcoming matchups', security: operator, responses: { 200: { description: 'queue' } } },
        post: { summary: 'Queue a hand-written matchup', security: operator, requestBody: json(Matchup), responses: { 201: { description: 'queued' }, 400: error('invalid matchup') } },
      },
      '/api/poll/queue/{id}': { delete: { summary: 'Remove a queued matchup', security: operator, responses: { 200: { description: 'removed' }, 404: error('no such entry') } } },
      '/api/polls': {
        get: {
          summary: 'Finished polls, newest first',
          parameters: [
            { name: 'cursor', in: 'query', schema: { type: 'string' } },
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 50 } },
          ],
          responses: { 200: { description: 'a page', ...json(PollList) }, 400: error('bad cursor') },
        },
      },
      '/api/polls/{id}': { get: { summary: 'One finished poll', responses: { 200: { description: 'the poll', ...json(PollSummary) }, 404: error('unknown poll') } } },
      '/api/leaderboard': { get: { summary: 'Fighters by wins', responses: { 200: { description: 'leaderboard' } } } },
      '/api/stream': {
        get: { summary: 'Desired streams and their reported status', security: operator, responses: { 200: { description: 'streams', ...json(z.object({ streams: z.array(StreamEntry) })) } } },
        post: { summary: 'Start a stream', security: operator, requestBody: json(StreamStartRequest), responses: { 201: { description: 'started' }, 400: error('invalid body') } },
        delete: { summary: 'Stop a stream', security: operator, parameters: [{ name: 'streamKey', in: 'query', required: true, schema: { type: 'string' } }], responses: { 200: { description: 'stopped' }, 404: error('no such stream') } },
      },
      '/api/shoutout': {
        post: { summary: 'Send a shout-out to the stream', requestBody: json(ShoutoutRequest), responses: { 201: { description: 'on air' }, 422: error('refused by the filter'), 429: error('rate limited') } },
      },
      '/api/shoutouts': { get: { summary: 'Recent shout-outs, for moderation', security: operator, responses: { 200: { description: 'list' } } } },
      '/api/shoutouts/{id}/hide': { post: { summary: 'Hide a shout-out', security: operator, responses: { 200: { description: 'hidden' }, 404: error('no such shout-out') } } },
      '/parties/arena/{room}': { get: { summary: 'WebSocket (partysocket): snapshots; ?role=renderer&token=… for render nodes', responses: { 101: { description: 'upgraded' }, 401: { description: 'bad renderer token' } } } },
    },
  };
}
