import type { ChatSourceId, ChatSourceState } from '@stream-fighter/core';
/** One chat line from a platform, before it is parsed as a command. */
export interface ChatLine { id: string; voter: string /* twitch:<user-id> | youtube:<channel-id> */; name: string; line: string; at: number /* platform timestamp, ms epoch */ }
export interface ChatSource {
  readonly id: ChatSourceId;
  start(onLine: (line: ChatLine) => void): void;  // connect; keeps reconnecting until stop()
  stop(): Promise<void>;
  status(): { state: ChatSourceState; detail?: string };
  say?(text: string): Promise<void>;
}
