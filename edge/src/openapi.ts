/**
 * The API reference, built from the same zod schemas that validate the requests, so it cannot drift from
 * what the handlers accept. Served at /api/openapi.json.
 */
import { z } from 'zod';
import {
  ApiError,
  BetAccepted,
  BetRequest,
  CHAT_BATCH_MAX,
  CHAT_SOURCES_MAX,
  ChatSourceId,
  ChatSourceList,
  ChatSourcePause,
  ChatSourceView,
  ChatStatusReply,
  ChatStatusReport,
  ChatVoteBatch,
  ChatVoteResult,
  FIGHTER_PAGE,
  FIGHTER_SORTS,
  FighterId,
  FighterLeaderboard,
  FighterList,
  FighterPage,
  GenerateRequest,
  LEADERBOARD_KINDS,
  LEADERBOARD_SIZE,
  MeResponse,
  Matchup,
  PollList,
  PollResponse,
  PollSummary,
  Screen,
  ScreenCreate,
  ScreenId,
  ScreenUpdate,
  SCREENS_MAX,
  SeasonAction,
  SeasonResponse,
  ShoutoutRequest,
  ShoutoutSettings,
  StreamEntry,
  StreamStartRequest,
  VoteAccepted,
  ViewerLeaderboard,
  VoteRequest,
  VoterId,
  WinsLeaderboard,
} from '@stream-fighter/core';

const schema = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' });
const json = (s: z.ZodType) => ({ content: { 'application/json': { schema: schema(s) } } });
const error = (description: string) => ({ description, ...json(ApiError) });
const operator = [{ operatorToken: [] }];
const bridge = [{ bridgeToken: [] }];
/** A site session's id or a chat account (`twitch:123`): the pattern comes from the schema the routes check with. */
const screenIdParam = { name: 'id', in: 'path', required: true, schema: schema(ScreenId) };
const voterIdParam = { name: 'id', in: 'path', required: true, schema: schema(VoterId) };
const sourceParam = { name: 'source', in: 'path', required: true, schema: schema(ChatSourceId) };

export function openApiDocument(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: { title: 'Stream Fighter API', version: '1.0.0', description: 'Votes, rounds, history and stream control for the Stream Fighter edge.' },
    components: {
      securitySchemes: {
        operatorToken: { type: 'http', scheme: 'bearer', description: 'OPERATOR_TOKEN' },
        voterToken: { type: 'apiKey', in: 'header', name: 'X-Voter-Token', description: 'signed voter session (or the sf_voter cookie)' },
        bridgeToken: { type: 'http', scheme: 'bearer', description: 'BRIDGE_TOKEN, for server-side vote bridges (chat)' },
      },
    },
    paths: {
      '/api/health': {
        get: {
          summary: 'Room, Redis and Postgres health',
          description: 'The public answer repeats the last check for HEALTH_CACHE_SECONDS (its `Age` says how old); `?deep=1` with the operator token checks now.',
          parameters: [{ name: 'deep', in: 'query', required: false, schema: { type: 'string', enum: ['1'] } }],
          security: [{}, { operatorToken: [] }],
          responses: { 200: { description: 'all healthy' }, 401: { description: 'deep=1 without the operator token' }, 503: { description: 'something is down' } },
        },
      },
      '/api/poll': { get: { summary: 'The current match and the previous result', responses: { 200: { description: 'current poll', ...json(PollResponse) } } } },
      '/api/challenge': {
        get: {
          summary: 'A proof-of-work challenge for a new voter session (altcha-lib\'s own JSON, what the ALTCHA widget fetches)',
          description:
            'Solve it with altcha-lib (solveChallenge) or the ALTCHA widget, and send the solution as `altcha` (base64 JSON {challenge, solution}) with the first vote. One solution mints one voter; challenges expire.',
          responses: { 200: { description: 'challenge', content: { 'application/json': { schema: { type: 'object', required: ['parameters', 'signature'] } } } } },
        },
      },
      '/api/vote': {
        post: {
          summary: 'Cast a vote (one per voter per round)',
          description:
            'With a voter session (cookie sf_voter or X-Voter-Token), or, for a new voter, with a solved challenge in `altcha` (or the vote page\'s `ticket`, or a Turnstile token where configured). JSON, or the site\'s own form post; cross-site browser requests are refused. Viewers only: chat votes go in batches to /api/chat/votes.',
          security: [{ voterToken: [] }, {}],
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: schema(VoteRequest) },
              'application/x-www-form-urlencoded': { schema: schema(VoteRequest) },
            },
          },
          responses: {
            200: { description: 'vote accepted: the tally and HP after it, and in a fight the hit it landed (`hit`: the move, its damage)', ...json(VoteAccepted) },
            303: { description: 'the page\'s own form post: back to / with the outcome' },
            400: error('malformed body or unknown option'),
            401: error('no session and no solved challenge (challenge-required), or an invalid voter token'),
            403: error('a cross-site request, or a challenge solution or ticket that is not valid'),
            409: error('already voted, stale poll id, or round not live'),
            413: error('body too large'),
            415: error('body is neither JSON nor a form post'),
            429: error('rate limited, this address\'s votes in this round used up (address-limit), or too many new sessions from this address'),
            503: error('the vote could not be counted just now (its counting object restarted mid-way); try again after Retry-After'),
          },
        },
      },
      '/api/bet': {
        post: {
          summary: 'Stake play-money points on one option of the round in its intro (one bet per voter per round)',
          description:
            'Points are play money: a voter starts with 1000, the stake leaves the balance when the bet is placed, and when the round finishes the losing side\'s stakes are shared among the winners in proportion to their stakes (pari-mutuel; floors, then the leftover points one each by largest remainder). A tie, or a side nobody backed, refunds every stake. A balance below 100 with no bet open is topped up to 100. Bets are taken only while the named round is in its intro (the betting window, ROUND_PHASES_MS intro); once it is live they are closed (409 bets-closed). Same session, origin, content-type and body-size rules as POST /api/vote.',
          security: [{ voterToken: [] }, {}],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: schema(BetRequest) }, 'application/x-www-form-urlencoded': { schema: schema(BetRequest) } },
          },
          responses: {
            200: { description: 'bet placed: the bet, the balance after the stake, the round\'s odds', ...json(BetAccepted) },
            400: error('malformed body, an option not in the round (unknown-option) or a stake that is not a whole number above 0'),
            401: error('no session and no solved challenge (challenge-required), or an invalid voter token'),
            403: error('a cross-site request, a proof that is not valid, or a banned voter'),
            409: error('bets closed for that round (bets-closed), not the current round (stale-poll), already bet in this round (already-bet), or a stake above the balance (over-balance)'),
            413: error('body too large'),
            415: error('body is neither JSON nor a form post'),
            429: error('more than POINTS_CALLS_PER_10S bets or balance reads from this voter in 10 s (rate-limited), or too many new sessions from this address'),
            503: error('the room restarted mid-way; try again after Retry-After'),
          },
        },
      },
      '/api/me': {
        get: {
          summary: "The caller's points: balance, the bet riding on the current round, the last settled bet, the current round's odds",
          security: [{ voterToken: [] }],
          responses: { 200: { description: 'your points', ...json(MeResponse) }, 401: error('no voter session (voter-required) or an invalid one') },
        },
      },
      '/api/chat/votes': {
        post: {
          summary: `A batch of chat votes from the chat bridge (at most ${CHAT_BATCH_MAX} lines that parsed as commands)`,
          description:
            'Each line counts for the round that was live at its platform timestamp `at` (a time ahead of the room is taken as now), or is dropped as `stale`: never for the next fight. Each account (`twitch:<id>`, `youtube:<id>`) counts once per round, through the same dedupe and per-voter rate limit as site votes; a chat account and the same person\'s browser session are different voters. A batch of a paused source counts nothing (`paused: true`, every count 0).',
          security: bridge,
          requestBody: { required: true, ...json(ChatVoteBatch) },
          responses: {
            200: { description: 'what became of the batch, as counts', ...json(ChatVoteResult) },
            400: error('malformed body'),
            401: error('bridge token missing or wrong'),
            413: error('body too large'),
          },
        },
      },
      '/api/chat/status': {
        post: {
          summary: "The chat bridge's report of its sources (sent every few seconds); answered with the sources an operator paused",
          security: bridge,
          requestBody: { required: true, ...json(ChatStatusReport) },
          responses: { 200: { description: 'paused sources', ...json(ChatStatusReply) }, 400: error('malformed body'), 401: error('bridge token missing or wrong'), 413: error('body too large') },
        },
      },
      '/api/chat/sources': {
        get: {
          summary: 'Chat sources: state (stale when not heard from for 30 s), votes counted in the current round, paused',
          security: operator,
          responses: { 200: { description: 'sources', ...json(ChatSourceList) }, 401: error('operator token') },
        },
      },
      '/api/chat/sources/{source}': {
        put: {
          summary: "Pause or resume a chat source: a paused source's votes are not counted (kept by the room across restarts)",
          security: operator,
          parameters: [sourceParam],
          requestBody: { required: true, ...json(ChatSourcePause) },
          responses: {
            200: { description: 'the source as it is now: { source }', ...json(z.object({ source: ChatSourceView })) },
            400: error('invalid body or source id'),
            401: error('operator token'),
            409: error(`${CHAT_SOURCES_MAX} sources are paused already (too-many-sources)`),
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
      '/api/fighters': {
        get: {
          summary: "The season's fighters with record, Elo rating and tier, best first by `sort`",
          description:
            'Records change once per finished fight. Tiers are by rank among active fighters with 5 or more fights (S top 10 %, A next 20 %, B next 40 %, C the rest); fewer fights is N. Cached at the edge for a few seconds.',
          parameters: [
            { name: 'sort', in: 'query', required: false, schema: { type: 'string', enum: [...FIGHTER_SORTS], default: 'rating' } },
            { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: FIGHTER_PAGE.min, maximum: FIGHTER_PAGE.max, default: FIGHTER_PAGE.default } },
          ],
          responses: { 200: { description: 'a page of fighters', ...json(FighterList) }, 400: error('unknown sort or limit out of range (invalid-query)') },
        },
      },
      '/api/fighters/{id}': {
        get: {
          summary: "One fighter: record, tier, rating over its latest fights (oldest first) and its recent fights (newest first)",
          parameters: [{ name: 'id', in: 'path', required: true, schema: schema(FighterId) }],
          responses: { 200: { description: 'the fighter', ...json(FighterPage) }, 400: error('not a fighter id (invalid-id)'), 404: error('no such fighter (not-found)') },
        },
      },
      '/api/leaderboard': {
        get: {
          summary: "Leaderboards: the season's fighters by rating, the viewers by play-money points, or (no kind) fighters by wins",
          description: `\`kind=fighters\`: the top ${LEADERBOARD_SIZE} fighters by Elo rating. \`kind=viewers\`: the top ${LEADERBOARD_SIZE} balances of viewers who have bet, each under a pseudonym (six hex digits from a hash of the voter id; GET /api/me gives the caller's own), equal balances sharing a rank. Without \`kind\`: fighters by wins over every round, as before. Cached at the edge for a few seconds.`,
          parameters: [{ name: 'kind', in: 'query', required: false, schema: { type: 'string', enum: [...LEADERBOARD_KINDS] } }],
          responses: {
            200: {
              description: 'the leaderboard of that kind',
              content: { 'application/json': { schema: { oneOf: [schema(FighterLeaderboard), schema(ViewerLeaderboard), schema(WinsLeaderboard)] } } },
            },
            400: error('an unknown kind (invalid-query)'),
          },
        },
      },
      '/api/season': {
        get: {
          summary: "The season's cycle: where it is (matchmaking, seeding, a tournament match, exhibitions), the current or latest bracket with names and results, past champions (newest first), the cycle's lengths",
          description:
            'After `cycle.matchmakingRounds` matchmaking rounds the 8 top-rated active fighters with 5 or more fights are seeded into a single-elimination bracket (quarter-finals 1v8, 4v5, 2v7, 3v6; semi-finals; final), then `cycle.exhibitions` exhibitions, then matchmaking again. A bracket match cannot tie: its `by` says what sent the winner through (the round\'s own winner, then more HP, then more votes, then the higher seed). Fewer than 8 such fighters: no tournament this time, back to matchmaking. Changes once a round; cached at the edge for a few seconds.',
          responses: { 200: { description: 'the season', ...json(SeasonResponse) } },
        },
        post: {
          summary: "The operator's acts on the cycle: start a tournament now, skip to matchmaking (an unfinished bracket is dropped), set the cycle's lengths",
          description: 'Starting a tournament goes to seeding (from matchmaking or exhibitions; a no-op while seeding or in a tournament). Answered with the season as it is after the act.',
          security: operator,
          requestBody: { required: true, ...json(SeasonAction) },
          responses: { 200: { description: 'the season after the act', ...json(SeasonResponse) }, 400: error('malformed body or a length out of range'), 401: error('operator token'), 413: error('body too large') },
        },
      },
      '/api/season/now': {
        get: {
          summary: "The operator's read of the season: the same as GET /api/season, from the room and never cached (the dashboard's length fields)",
          security: operator,
          responses: { 200: { description: 'the season now', ...json(SeasonResponse) }, 401: error('operator token') },
        },
      },
      '/api/stream': {
        get: { summary: 'Desired streams, their reported status and the render node holding each (lease)', security: operator, responses: { 200: { description: 'streams', ...json(z.object({ streams: z.array(StreamEntry) })) } } },
        post: {
          summary: 'Start a stream (or move it to another screen)',
          description: 'An unknown screenId (a well-formed slug) is created with the defaults (the fight scene, the room STREAM_LANG, 720p, everything shown) and returned as `createdScreen`.',
          security: operator,
          requestBody: json(StreamStartRequest),
          responses: {
            201: { description: 'started: { streams, createdScreen? }', ...json(z.object({ streams: z.array(StreamEntry), createdScreen: Screen.optional() })) },
            400: error('invalid body'),
            409: error(`the screen would be new and there are already ${SCREENS_MAX} (too-many-screens)`),
          },
        },
        delete: { summary: 'Stop a stream', security: operator, parameters: [{ name: 'streamKey', in: 'query', required: true, schema: { type: 'string' } }], responses: { 200: { description: 'stopped' }, 404: error('no such stream') } },
      },
      '/api/screens': {
        get: { summary: 'Screens: what each stream shows (scene, language, resolution, parts shown)', security: operator, responses: { 200: { description: 'screens', ...json(z.object({ screens: z.array(Screen) })) } } },
        post: {
          summary: 'Create a screen: an id, and whatever differs from the defaults',
          security: operator,
          requestBody: json(ScreenCreate),
          responses: {
            201: { description: 'created', ...json(z.object({ screen: Screen })) },
            400: error('invalid body'),
            409: error(`the id exists (screen-exists), or there are already ${SCREENS_MAX} screens (too-many-screens)`),
          },
        },
      },
      '/api/screens/{id}': {
        get: { summary: 'One screen', security: operator, parameters: [screenIdParam], responses: { 200: { description: 'the screen', ...json(z.object({ screen: Screen })) }, 400: error('not a screen id'), 404: error('no such screen') } },
        put: {
          summary: "Change a screen: the fields named replace the screen's, `show` merges part by part; streams showing it restart with it",
          security: operator,
          parameters: [screenIdParam],
          requestBody: json(ScreenUpdate),
          responses: { 200: { description: 'the screen as it is now', ...json(z.object({ screen: Screen })) }, 400: error('invalid body or id'), 404: error('no such screen') },
        },
        delete: {
          summary: 'Delete a screen',
          security: operator,
          parameters: [screenIdParam],
          responses: {
            200: { description: 'deleted: { removed }' },
            400: error('not a screen id'),
            404: error('no such screen'),
            409: error('a stream shows it (screen-in-use), or it is fight or bars (built-in-screen)'),
          },
        },
      },
      '/api/shoutout': {
        post: {
          summary: 'Send a shout-out to the stream: it waits for an operator unless auto-approval is on',
          security: [{ voterToken: [] }],
          requestBody: json(ShoutoutRequest),
          responses: {
            201: { description: 'on air (auto-approval): { shoutout, status: "visible" }' },
            202: { description: 'waiting for an operator: { shoutout, status: "pending" }' },
            400: error('malformed body'),
            401: error('no voter session (vote first)'),
            403: error('the voter is banned'),
            422: error('refused by the filter (links, handles, e-mail addresses in any spelling, blocked words)'),
            429: error('rate limited, this voter already has one waiting (already-pending), or the moderation queue is full (queue-full)'),
          },
        },
      },
      '/api/voters/{id}': {
        delete: {
          summary: "Delete one voter's data: the room's vote rows, their shout-outs, the voted markers in Redis (operator)",
          security: operator,
          parameters: [voterIdParam],
          responses: { 200: { description: 'what was deleted: { voterId, deleted: { votes, shoutouts, markers } }' }, 400: error('not a voter id'), 401: error('operator token') },
        },
      },
      '/api/shoutouts': { get: { summary: 'Recent shout-outs, for moderation', security: operator, responses: { 200: { description: 'list' } } } },
      '/api/shoutouts/{id}/hide': { post: { summary: 'Hide a shout-out (off the air, or out of the queue)', security: operator, responses: { 200: { description: 'hidden' }, 404: error('no such shout-out') } } },
      '/api/shoutouts/{id}/approve': { post: { summary: 'Approve a waiting shout-out: it goes on air', security: operator, responses: { 200: { description: 'approved' }, 404: error('none waits under that id') } } },
      '/api/shoutouts/{id}/reject': { post: { summary: 'Reject a waiting shout-out: it never airs', security: operator, responses: { 200: { description: 'rejected' }, 404: error('none waits under that id') } } },
      '/api/shoutouts/settings': {
        get: { summary: 'Whether shout-outs air without approval', security: operator, responses: { 200: { description: 'settings', ...json(ShoutoutSettings) } } },
        post: { summary: 'Switch auto-approval (kept by the room)', security: operator, requestBody: json(ShoutoutSettings), responses: { 200: { description: 'settings', ...json(ShoutoutSettings) }, 400: error('invalid body') } },
      },
      '/api/voters/{id}/ban': {
        post: { summary: "Ban a voter: their votes and shout-outs are refused (403 banned), what waits is rejected, what aired is hidden", security: operator, parameters: [voterIdParam], responses: { 200: { description: '{ voterId, banned, rejected, hidden }' }, 400: error('not a voter id') } },
        delete: { summary: 'Lift a ban', security: operator, parameters: [voterIdParam], responses: { 200: { description: 'unbanned' }, 400: error('not a voter id'), 404: error('not banned') } },
      },
      '/parties/arena/{room}': { get: { summary: 'WebSocket (partysocket): snapshots; ?role=renderer&token=… for render nodes', responses: { 101: { description: 'upgraded' }, 401: { description: 'bad renderer token' } } } },
    },
  };
}
