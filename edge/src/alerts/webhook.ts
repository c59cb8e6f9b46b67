/**
 * One POST to the operator's webhook. It never throws and never holds the room's alarm long: a chat service that
 * is down or slow costs at most the timeout, and the room carries on. The URL is a secret (Discord's and Slack's
 * carry their token in the path), so it appears in no log line and no error this returns.
 */
import type { WebhookBody } from './message.ts';

export const WEBHOOK_TIMEOUT_MS = 5_000;

export type Delivery = { ok: true; status: number } | { ok: false; status: number | null; error: string };

export async function postWebhook(url: string, body: WebhookBody, timeoutMs = WEBHOOK_TIMEOUT_MS): Promise<Delivery> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    // Read (and drop) the answer: an unread body holds the connection open in workerd.
    const answer = await res.text().catch(() => '');
    if (res.ok) return { ok: true, status: res.status };
    return { ok: false, status: res.status, error: hideUrl(`answered ${res.status}: ${answer.slice(0, 200)}`, url) };
  } catch (e) {
    return { ok: false, status: null, error: hideUrl(e instanceof Error ? `${e.name}: ${e.message}` : String(e), url) };
  }
}

/** An error text without the URL, or any other URL it may quote. */
function hideUrl(text: string, url: string): string {
  return text.split(url).join('<webhook>').replace(/[a-z][a-z0-9+.-]*:\/\/\S+/gi, '<url>');
}
