/**
 * Test-only: a real HTTP server on 127.0.0.1 standing in for a Discord webhook and a Slack incoming webhook at
 * once, for the room's alerts (edge/src/alerts). It refuses what either service would: Discord's Execute Webhook
 * answers 400 without a `content` (or with one over 2,000 characters), Slack's answers 400 `no_text` without a
 * `text`; what both accept is recorded and answered 204 (Discord's answer without `?wait=true`).
 *
 * The Worker's tests run in workerd and reach it over the network like the room does: `POST /hook` is the webhook,
 * `GET /hook` lists what it accepted and refused, `PUT /mode` with `{"status": 503}` makes it fail every post from
 * then on (`{"status": 0}` undoes it).
 */
import { createServer } from 'node:http';
import { BadRequest, closeServer, listen, parseJson, readBody, sendJson } from '../standins/http-util.ts';

export interface WebhookPost {
  at: number;
  /** The answer given: 204 accepted, 400 refused (why in `refused`), or the status of the failure mode. */
  status: number;
  refused?: string;
  body: unknown;
}

export interface FakeChatWebhook {
  /** The URL to configure as the webhook, e.g. http://127.0.0.1:41234/hook */
  url: string;
  posts: WebhookPost[];
  close(): Promise<void>;
}

/** Why Discord or Slack would refuse this body, or null when both would post it. */
export function refusal(body: unknown): string | null {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return 'the body is not a JSON object';
  const { content, text } = body as { content?: unknown; text?: unknown };
  if (typeof content !== 'string' || content.trim() === '') return 'Discord: content is missing or empty';
  if (content.length > 2_000) return `Discord: content is ${content.length} characters, over 2000`;
  if (typeof text !== 'string' || text.trim() === '') return 'Slack: no_text';
  return null;
}

export async function startFakeChatWebhook(port = 0): Promise<FakeChatWebhook> {
  const posts: WebhookPost[] = [];
  let failWith = 0;
  const server = createServer((req, res) => {
    void (async () => {
      try {
        const path = new URL(req.url ?? '/', 'http://x').pathname;
        if (path === '/hook' && req.method === 'GET') return sendJson(res, 200, posts);
        if (path === '/mode' && req.method === 'PUT') {
          const { status } = parseJson(await readBody(req)) as { status?: unknown };
          failWith = typeof status === 'number' ? status : 0;
          return sendJson(res, 200, { status: failWith });
        }
        if (path !== '/hook' || req.method !== 'POST') return sendJson(res, 404, { message: 'Unknown Webhook' });
        if (!(req.headers['content-type'] ?? '').startsWith('application/json')) throw new BadRequest('content-type must be application/json');
        const body = parseJson(await readBody(req));
        if (failWith) {
          posts.push({ at: Date.now(), status: failWith, body });
          return sendJson(res, failWith, { message: 'failing on purpose' });
        }
        const refused = refusal(body);
        posts.push({ at: Date.now(), status: refused ? 400 : 204, body, ...(refused ? { refused } : {}) });
        if (refused) return sendJson(res, 400, { message: refused });
        res.writeHead(204).end();
      } catch (e) {
        sendJson(res, e instanceof BadRequest ? 400 : 500, { message: e instanceof Error ? e.message : String(e) });
      }
    })();
  });
  const bound = await listen(server, port, '127.0.0.1');
  return { url: `http://127.0.0.1:${bound}/hook`, posts, close: () => closeServer(server) };
}
