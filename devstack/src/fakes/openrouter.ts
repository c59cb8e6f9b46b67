/**
 * Node-only test helper: a real HTTP server on 127.0.0.1 speaking OpenRouter's chat-completions wire format,
 * so tests drive the real OpenAI SDK over a socket instead of mocking it. Not imported by Worker code.
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeReply =
  /** 200 with this string as the assistant message content. */
  | { kind: 'content'; content: string; finishReason?: string }
  /** Any status with a JSON body and headers, e.g. a 429 with an OpenAI-style error. */
  | { kind: 'status'; status: number; body: unknown; headers?: Record<string, string> }
  /** Read the request and never answer. */
  | { kind: 'hang' };

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

export interface FakeOpenRouter {
  /** e.g. http://127.0.0.1:41234/api/v1 */
  baseURL: string;
  received: ReceivedRequest[];
  /** The reply to every following request. */
  reply(r: FakeReply): void;
  close(): Promise<void>;
}

/** An API key in OpenRouter's format, for the client under test to send. */
export const KEY = 'sk-or-v1-TESTKEY-0123456789abcdefdeadbeef';

const COMPLETIONS_PATH = '/api/v1/chat/completions';

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export async function startFakeOpenRouter(): Promise<FakeOpenRouter> {
  const received: ReceivedRequest[] = [];
  let current: FakeReply = { kind: 'status', status: 500, body: { error: { message: 'no reply configured' } } };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(text) as Record<string, unknown>;
      } catch {
        // Recorded as empty; the assertions on `received` will say what was wrong.
      }
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });

      if (req.method !== 'POST' || req.url !== COMPLETIONS_PATH) {
        sendJson(res, 404, { error: { message: `no route ${req.method} ${req.url}`, code: 404 } });
        return;
      }
      const r = current;
      if (r.kind === 'hang') return;
      if (r.kind === 'status') {
        sendJson(res, r.status, r.body, r.headers);
        return;
      }
      sendJson(res, 200, {
        id: `gen-${received.length}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: typeof body.model === 'string' ? body.model : 'unknown',
        provider: 'FakeProvider',
        choices: [
          {
            index: 0,
            logprobs: null,
            finish_reason: r.finishReason ?? 'stop',
            message: { role: 'assistant', content: r.content, refusal: null },
          },
        ],
        usage: { prompt_tokens: 420, completion_tokens: 380, total_tokens: 800 },
      });
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}/api/v1`,
    received,
    reply(r) {
      current = r;
    },
    close() {
      // Hanging requests keep their sockets open; close them or `close` waits forever.
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}

/** OpenAI-style error bodies, as OpenRouter sends them. */
export const errorBody = (status: number, message: string) => ({ error: { message, code: status, metadata: {} } });
