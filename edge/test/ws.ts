import { vi } from 'vitest';
import { call } from './helpers.ts';

/** A WebSocket client on the room through the Worker's own routing (the path partysocket uses). */
export async function connect(
  query = '',
  headers: Record<string, string> = {},
): Promise<{ ws: WebSocket; messages: Array<Record<string, unknown>>; closed: { code: number; reason: string } | null; next(type: string, timeoutMs?: number): Promise<Record<string, unknown>> } | Response> {
  const res = await call(`/parties/arena/main${query}`, { headers: { upgrade: 'websocket', ...headers } });
  const ws = res.webSocket;
  if (!ws) return res;
  ws.accept();
  const messages: Array<Record<string, unknown>> = [];
  ws.addEventListener('message', (e) => {
    messages.push(JSON.parse(e.data as string) as Record<string, unknown>);
  });
  let closed: { code: number; reason: string } | null = null;
  ws.addEventListener('close', (e) => {
    closed = { code: e.code, reason: e.reason };
  });
  let seen = 0;
  return {
    ws,
    messages,
    /** The close the server sent, once it has. */
    get closed() {
      return closed;
    },
    /** The next message of this type not yet returned. */
    async next(type, timeoutMs = 5_000) {
      const i = await vi.waitFor(
        () => {
          const found = messages.findIndex((m, idx) => idx >= seen && m.type === type);
          if (found < 0) throw new Error(`no ${type} message within ${timeoutMs} ms (got ${messages.map((m) => m.type).join(',')})`);
          return found;
        },
        { timeout: timeoutMs, interval: 20 },
      );
      seen = i + 1;
      return messages[i]!;
    },
  };
}
