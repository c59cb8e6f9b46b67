/**
 * What the chat end-to-end tests say in chat, and what a round must make of it: votes in the forms viewers type
 * them, lines that are no vote at all (look-alike letters, control characters, emoji, huge lines), and a ledger of
 * every Twitch line with whether the local Twitch server handed it to a client in the channel.
 */
import type { OptionId, RoundState } from '@stream-fighter/core';
import type { FakeTwitchChat } from '@stream-fighter/devstack/fakes/twitch-chat';

/** Each option of the round with how many of `voters` chose it (0 for the others), as the room's tally reads. */
export function tallyOf(round: RoundState, voters: ReadonlyMap<string, OptionId>): Partial<Record<OptionId, number>> {
  const tally = Object.fromEntries(round.matchup.options.map((o) => [o.id, 0])) as Partial<Record<OptionId, number>>;
  for (const option of voters.values()) tally[option] = (tally[option] ?? 0) + 1;
  return tally;
}

/** A line said in the local Twitch chat; `vote` is the option it names in the round it is said in, or null. */
export interface Said {
  userId: string;
  text: string;
  vote: OptionId | null;
  id: string;
  sentAt: number;
  delivered: boolean;
}

/** Every line a test says in Twitch chat, with what the server did with it. */
export class TwitchLedger {
  readonly said: Said[] = [];
  private readonly chat: Pick<FakeTwitchChat, 'say'>;
  private readonly channel: string;

  constructor(chat: Pick<FakeTwitchChat, 'say'>, channel: string) {
    this.chat = chat;
    this.channel = channel;
  }

  say(userId: string, text: string, vote: OptionId | null, at: { sentAt?: number; id?: string } = {}): Said {
    const out = this.chat.say(this.channel, { userId, displayName: displayName(userId), text, ...at });
    const s = { userId, text, vote, id: out.id, sentAt: out.sentAt, delivered: out.delivered > 0 };
    this.said.push(s);
    return s;
  }

  /** The same message (id, timestamp, text) handed out again. */
  again(s: Said): Said {
    return this.say(s.userId, s.text, s.vote, { id: s.id, sentAt: s.sentAt });
  }

  delivered(from = 0): Said[] {
    return this.said.slice(from).filter((s) => s.delivered);
  }

  /** Each account that counts, with its option: its first delivered line that names an option of the round. */
  voters(): Map<string, OptionId> {
    const voters = new Map<string, OptionId>();
    for (const s of this.said) if (s.delivered && s.vote && !voters.has(`twitch:${s.userId}`)) voters.set(`twitch:${s.userId}`, s.vote);
    return voters;
  }
}

/** Display names as chat has them, odd ones included: the vote counts by account id, whatever the name. */
function displayName(userId: string): string {
  const n = Number(userId) % 7;
  return n === 0 ? `Ｆａｎ${userId}` : n === 1 ? `gamer🔥${userId}` : n === 2 ? `bell\u0007${userId}` : `Viewer_${userId}`;
}

export const account = (i: number) => String(100_000 + i);

/** Votes as viewers type them in a three-option poll (Taco, Ramen, Pizza), and what each names. */
export const FORMS: ReadonlyArray<readonly [string, OptionId]> = [
  ['!a', 'A'],
  ['!B', 'B'],
  ['!vote c', 'C'],
  ['!taco', 'A'],
  ['!Ramen gg', 'B'],
  ['  !pizza', 'C'],
  ['!VOTE a', 'A'],
  ['!c lets go', 'C'],
];
export const form = (i: number, shift = 0) => FORMS[(i + shift) % FORMS.length]!;

/** Lines that are no command at all: the bridge drops them on arrival (look-alikes, control characters, emoji, huge). */
export const NOT_COMMANDS = [
  'gg',
  'a',
  '! a',
  'vote a',
  '!vote',
  '!\u0430', // Cyrillic а
  '!\uff41', // full-width ａ
  '\u01c3a', // ǃ, the Latin letter click, not an exclamation mark
  '!\u{1d41a}', // mathematical bold 𝐚
  '!t\u0430co',
  '!a\u0007',
  '\u0002!b\u000f',
  '\u001b[1m!c',
  '!b\u200b',
  '🅰️',
  '!🅰',
  '!a🔥',
  '🔥 !a',
  `!a ${'x'.repeat(300)}`,
  `!b ${'lol '.repeat(124)}`,
  `!c ${'🔥'.repeat(4_000)}`,
];
/** Commands for no option of a three-option poll: the room ignores them. */
export const UNKNOWN_OPTIONS = ['!d', '!vote d', '!e', '!burrito', '!vote sushi'];
