/**
 * One page of a live chat (a liveChatMessages.list answer or one element of a streamList stream) and the chat lines
 * in it. The page is parsed loosely and each message on its own: one message YouTube shapes unexpectedly is dropped,
 * not the whole page, which would be fetched again and again with the same token.
 */
import { BridgeVoter } from '@stream-fighter/core';
import { z } from 'zod';
import type { ChatLine } from '../source.ts';

export const ChatPage = z.object({
  nextPageToken: z.string().min(1).optional(),
  /** list only: how long to wait before the next call. */
  pollingIntervalMillis: z.number().int().nonnegative().optional(),
  /** Set once the broadcast went offline: the chat is over. */
  offlineAt: z.string().optional(),
  items: z.array(z.unknown()).default([]),
});
export type ChatPage = z.infer<typeof ChatPage>;

const Message = z.object({
  id: z.string().min(1).max(128),
  snippet: z.object({
    type: z.string(),
    publishedAt: z.string().optional(),
    authorChannelId: z.string().optional(),
    displayMessage: z.string().optional(),
    textMessageDetails: z.object({ messageText: z.string() }).optional(),
    messageDeletedDetails: z.object({ deletedMessageId: z.string() }).optional(),
  }),
  authorDetails: z.object({ channelId: z.string().optional(), displayName: z.string().optional() }).optional(),
});
type Message = z.infer<typeof Message>;

export interface PageLines {
  lines: ChatLine[];
  /** The page says the chat is over (offlineAt, or a chatEndedEvent). */
  ended: boolean;
  /** Messages that did not parse, for the log. */
  malformed: number;
}

/**
 * The text messages of a page that may vote: published at or after `since` (the backlog YouTube sends on the first
 * call predates the source and must not vote), from an author whose channel id makes a valid voter id, and not
 * deleted on the same page (a moderator's deletion arrives as a later messageDeletedEvent; when it comes on a
 * later page, the line has already gone out).
 */
export function pageLines(page: ChatPage, since: number): PageLines {
  const messages: Message[] = [];
  let malformed = 0;
  for (const item of page.items) {
    const m = Message.safeParse(item);
    if (m.success) messages.push(m.data);
    else malformed++;
  }
  const deleted = new Set(messages.flatMap((m) => (m.snippet.type === 'messageDeletedEvent' && m.snippet.messageDeletedDetails ? [m.snippet.messageDeletedDetails.deletedMessageId] : [])));
  const lines: ChatLine[] = [];
  for (const m of messages) {
    if (m.snippet.type !== 'textMessageEvent' || deleted.has(m.id)) continue;
    const at = Date.parse(m.snippet.publishedAt ?? '');
    const channelId = m.authorDetails?.channelId ?? m.snippet.authorChannelId;
    const voter = BridgeVoter.safeParse(`youtube:${channelId}`);
    const line = m.snippet.textMessageDetails?.messageText ?? m.snippet.displayMessage;
    if (!Number.isFinite(at) || at < since || !voter.success || line === undefined) continue;
    lines.push({ id: m.id, voter: voter.data, name: m.authorDetails?.displayName || channelId!, line, at });
  }
  const ended = page.offlineAt !== undefined || messages.some((m) => m.snippet.type === 'chatEndedEvent');
  return { lines, ended, malformed };
}
