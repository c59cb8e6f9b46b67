/**
 * The webhook's body: one JSON object both chat services take. Discord's "Execute Webhook" reads `content`
 * (plain text, at most 2,000 characters); a Slack incoming webhook reads `text` (mrkdwn, where `&`, `<` and `>`
 * are control characters and must be sent as HTML entities). Each ignores the other's field, so one body carries
 * both, each written for its reader. These are operator messages, in English like the logs.
 */
import type { AlertLine } from './conditions.ts';

export interface WebhookBody {
  content: string;
  text: string;
}

/** Discord refuses a longer `content`; Slack would take more, but both get the same message. */
export const MAX_CHARS = 2_000;

const MARK: Record<AlertLine['kind'], string> = { down: '🔴 DOWN', recovered: '🟢 RECOVERED', gone: '⚪ NO LONGER WATCHED' };

/** A stream key is the platform's secret: a message names a stream by its last four characters only. */
export function maskKey(streamKey: string): string {
  return streamKey.length >= 12 ? `…${streamKey.slice(-4)}` : '…';
}

/**
 * Text from elsewhere (an error a renderer or Postgres reported) made safe to post: URLs go (one may carry a
 * password), `@` cannot ping a channel, and it is kept short.
 */
export function scrub(text: string, max = 200): string {
  const clean = text
    .replace(/[a-z][a-z0-9+.-]*:\/\/\S+/gi, '<url>')
    .replace(/@/g, '@\u200b')
    .replace(/\s+/g, ' ')
    .trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 120) return `${m} min`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

function clock(at: number): string {
  return `${new Date(at).toISOString().slice(11, 16)} UTC`;
}

export function lineText(l: AlertLine, now: number): string {
  if (l.kind === 'down') {
    const since = l.badSince === null ? '' : ` (since ${clock(l.badSince)}, ${duration(now - l.badSince)})`;
    return `${MARK.down} ${l.label}: ${l.detail}${since}`;
  }
  const lasted = l.downForMs === null ? '' : ` after ${duration(l.downForMs)}`;
  if (l.kind === 'gone') return `${MARK.gone} ${l.label}: removed by an operator${lasted}`;
  return `${MARK.recovered} ${l.label}: back to normal${lasted}`;
}

const slackEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function webhookBody(room: string, lines: AlertLine[], now: number): WebhookBody {
  const head = `Stream Fighter, room ${room}:`;
  let content = [head, ...lines.map((l) => lineText(l, now))].join('\n');
  if (content.length > MAX_CHARS) content = `${content.slice(0, MAX_CHARS - 1)}…`;
  return { content, text: slackEscape(content) };
}
