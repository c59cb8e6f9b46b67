/**
 * Chat votes: what a viewer types in Twitch or YouTube chat, and the wire between the chat bridge and the room.
 * The bridge parses each line with `parseChatCommand` to drop chatter before it is buffered; the room parses the
 * line again (every boundary parses its input) and resolves it against the options of the round it lands in.
 */
import { z } from 'zod';
import { OPTION_IDS } from './constants.ts';
import { BridgeVoter } from './protocol.ts';
import { OptionId } from './ids.ts';
import { text } from './text.ts';

/** Longer lines are never commands: a bridge drops them unread, so a flood of huge lines costs nothing. */
export const CHAT_LINE_MAX = 200;

export type ChatCommand = { kind: 'option'; option: OptionId } | { kind: 'name'; name: string };

/**
 * `!a`…`!d`, `!vote a`, or `!<fighter name>` (letters and digits only, spaces dropped), case-insensitive, with
 * anything after the first word ignored (`!a lets go`). Only ASCII counts: a look-alike letter (Cyrillic а, the
 * full-width ａ) is not an `a`, so nothing a viewer types can vote for an option they did not name plainly.
 */
export function parseChatCommand(line: string): ChatCommand | null {
  if (line.length > CHAT_LINE_MAX) return null;
  const m = /^\s*!([A-Za-z0-9]{1,32})(?:\s+([A-Za-z0-9]{1,32}))?(?:\s|$)/.exec(line);
  if (!m) return null;
  const word = m[1]!.toLowerCase();
  const arg = m[2]?.toLowerCase();
  if (word === 'vote') return arg === undefined ? null : asCommand(arg);
  return asCommand(word);
}

function asCommand(word: string): ChatCommand {
  const upper = word.toUpperCase();
  const option = (OPTION_IDS as readonly string[]).includes(upper) ? (upper as OptionId) : null;
  return option ? { kind: 'option', option } : { kind: 'name', name: word };
}

/** A fighter's name as a chat command spells it: lower-case ASCII letters and digits, nothing else. */
export function chatName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/**
 * The option a command names in a poll, or null. A name matches a fighter's whole name without spaces
 * (`!wanderingronin`) or one word of it (`!ronin`) when no other option has that word.
 */
export function resolveChatCommand(cmd: ChatCommand, options: ReadonlyArray<{ id: OptionId; name: string }>): OptionId | null {
  if (cmd.kind === 'option') return options.some((o) => o.id === cmd.option) ? cmd.option : null;
  const whole = options.filter((o) => chatName(o.name) === cmd.name);
  if (whole.length === 1) return whole[0]!.id;
  const byWord = options.filter((o) => o.name.split(/\s+/).some((w) => chatName(w) === cmd.name && cmd.name.length > 0));
  return byWord.length === 1 ? byWord[0]!.id : null;
}

/** A chat source: one Twitch channel or one YouTube live chat, e.g. `twitch:streamfighter`, `youtube:Cg0KC…`. */
export const ChatSourceId = z.string().regex(/^(twitch|youtube):[A-Za-z0-9_.-]{1,128}$/, 'source must be twitch:<channel> or youtube:<live chat id>');
export type ChatSourceId = z.infer<typeof ChatSourceId>;

/** One chat line that parsed as a command, as the bridge relays it. */
export const ChatVote = z.strictObject({
  /** The platform's message id: the same line delivered twice is the same vote. */
  id: z.string().min(1).max(128),
  voter: BridgeVoter,
  /** The name chat shows, for the on-stream feed (which filters it as it does shout-outs). */
  name: text().min(1).max(64),
  line: text().min(1).max(CHAT_LINE_MAX),
  /** The platform's timestamp of the line (Twitch `tmi-sent-ts`, YouTube `publishedAt`), ms epoch. */
  at: z.number().int().positive(),
});
export type ChatVote = z.infer<typeof ChatVote>;

/** Most votes one request from the bridge carries; a burst is sent as several. */
export const CHAT_BATCH_MAX = 500;
/**
 * The largest batch body the edge reads. JSON.stringify of 500 votes with every field at its longest is about
 * 650 KB (it writes non-ASCII as UTF-8, not as escapes); anything bigger is a 413.
 */
export const CHAT_BATCH_MAX_BYTES = 1024 * 1024;

/**
 * A chat bridge's name (BRIDGE_NAME): the room leases each source to one bridge by it. A bridge older than leases
 * sends none and is taken as DEFAULT_CHAT_BRIDGE, so one old bridge alone works as before.
 */
export const ChatBridgeName = z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'bridge must be 1-64 letters, digits, _ . : -');
export type ChatBridgeName = z.infer<typeof ChatBridgeName>;
export const DEFAULT_CHAT_BRIDGE = 'default';

export const ChatVoteBatch = z.strictObject({
  source: ChatSourceId,
  /** The bridge that sends it: the room counts a batch only from the bridge that holds the source's lease. */
  bridge: ChatBridgeName.optional(),
  votes: z.array(ChatVote).min(1).max(CHAT_BATCH_MAX),
});
export type ChatVoteBatch = z.infer<typeof ChatVoteBatch>;

/** What became of each vote of a batch, as counts (the bridge needs no per-line answer: it never replies per vote). */
export const ChatVoteResult = z.object({
  counted: z.number().int().nonnegative(),
  /** The account had already voted in that round (a repeat, a redelivery, a second line). */
  duplicate: z.number().int().nonnegative(),
  /** The line's timestamp is outside the live round, so it is dropped rather than applied to another fight. */
  stale: z.number().int().nonnegative(),
  /** Not a command for an option of that round, or the voter is banned. */
  ignored: z.number().int().nonnegative(),
  /** Refused by the rate limits (a script posing as many accounts through a stolen bridge token). */
  limited: z.number().int().nonnegative(),
  /**
   * The operator paused this source: nothing of the batch was looked at or counted, and every count above is 0
   * (so the counts add up to the batch's length exactly when this is false).
   */
  paused: z.boolean(),
  /**
   * Another bridge holds this source's lease: nothing was looked at or counted (as with `paused`). The sender is a
   * standby for it; absent from rooms older than leases.
   */
  notLeased: z.boolean().optional(),
});
export type ChatVoteResult = z.infer<typeof ChatVoteResult>;

export const ChatSourceState = z.enum(['connecting', 'connected', 'reconnecting', 'error']);
export type ChatSourceState = z.infer<typeof ChatSourceState>;

/** The bridge's report of one source, sent every few seconds; the room keeps the latest. */
export const ChatSourceReport = z.strictObject({
  source: ChatSourceId,
  state: ChatSourceState,
  /** Why it is reconnecting or in error (e.g. "quota exceeded, retrying in 60 s"); no secrets. */
  detail: text().max(200).optional(),
});
export type ChatSourceReport = z.infer<typeof ChatSourceReport>;
export const ChatStatusReport = z.strictObject({
  /** Who reports (absent: DEFAULT_CHAT_BRIDGE): each report renews the leases this bridge holds. */
  bridge: ChatBridgeName.optional(),
  sources: z.array(ChatSourceReport).max(32),
});
export type ChatStatusReport = z.infer<typeof ChatStatusReport>;

/**
 * A source this bridge holds, and for how long from now: the bridge counts `ms` from when it sent the report (its
 * own monotonic clock, never later than the room's grant), and stops relaying and announcing when it runs out.
 */
export const ChatLease = z.strictObject({ source: ChatSourceId, ms: z.number().int().positive() });
export type ChatLease = z.infer<typeof ChatLease>;

/**
 * The room's answer to a status report: the sources an operator paused (the bridge shows them as paused) and the
 * sources this bridge holds (`leases`: a reported source not listed is another bridge's, so this one stands by).
 * `leases` is absent from rooms older than leases: the bridge then relays every source, as before.
 */
export const ChatStatusReply = z.object({ paused: z.array(ChatSourceId), leases: z.array(ChatLease).max(32).optional() });
export type ChatStatusReply = z.infer<typeof ChatStatusReply>;

/**
 * Most sources the room keeps: the latest report of each (the least recently heard is forgotten first) and, apart,
 * the operator's pause flags. A stolen bridge token cannot grow the room's memory without bound.
 */
export const CHAT_SOURCES_MAX = 32;
/** A source not heard from (a report or a batch) for this long shows as `stale`: its bridge is gone or cut off. */
export const CHAT_SOURCE_STALE_MS = 30_000;

/** One source as the operator sees it (GET /api/chat/sources). */
export const ChatSourceView = z.object({
  source: ChatSourceId,
  /** The bridge's last report; `stale` when nothing came for CHAT_SOURCE_STALE_MS (or ever, for a source only paused). */
  state: z.enum([...ChatSourceState.options, 'stale']),
  detail: z.string().optional(),
  /** When the room last heard of it (ms epoch), null when never. */
  seenAt: z.number().nullable(),
  paused: z.boolean(),
  /** Votes it got counted in the current round. */
  votes: z.number().int().nonnegative(),
  /** The bridge that holds its lease (relays its votes, announces in it) and until when (ms epoch); null when none. */
  lease: z.object({ bridge: ChatBridgeName, until: z.number() }).nullable(),
  /** The other bridges that read it (reported it within a lease): hot standbys, by name. */
  standby: z.array(ChatBridgeName),
});
export type ChatSourceView = z.infer<typeof ChatSourceView>;
export const ChatSourceList = z.object({ sources: z.array(ChatSourceView) });
export type ChatSourceList = z.infer<typeof ChatSourceList>;

/** PUT /api/chat/sources/:source: the operator pauses a source (kept by the room across restarts) or resumes it. */
export const ChatSourcePause = z.strictObject({ paused: z.boolean() });
export type ChatSourcePause = z.infer<typeof ChatSourcePause>;
