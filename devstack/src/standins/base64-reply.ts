// Dev/test only: turns a reply into the JSON Upstash sends. With `Upstash-Encoding: base64` (the client's
// default) every string is base64 of its UTF-8 bytes, recursively, except the exact string "OK", which the
// client special-cases; integers and null stay as they are.
import type { Reply } from './redis-reply.ts';
import { isStatus } from './redis-reply.ts';

export type JsonReply = string | number | null | JsonReply[];

export function encodeReply(reply: Reply, base64: boolean): JsonReply {
  if (reply === null || typeof reply === 'number') return reply;
  if (Array.isArray(reply)) return reply.map((item) => encodeReply(item, base64));
  const text = isStatus(reply) ? reply.status : reply;
  if (!base64 || text === 'OK') return text;
  return Buffer.from(text, 'utf8').toString('base64');
}
