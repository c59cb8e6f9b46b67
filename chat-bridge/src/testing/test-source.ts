/**
 * A chat source for the bridge's own tests, whose state a test sets: the relay, the reporter and /health only
 * read a source through the ChatSource interface, and the real Twitch and YouTube sources have tests of their own.
 */
import type { ChatSourceId, ChatSourceState } from '@stream-fighter/core';
import type { ChatLine, ChatSource } from '../source.ts';

export interface TestSource extends ChatSource {
  set(state: ChatSourceState, detail?: string): void;
  /** A line as if the platform had delivered it. */
  emit(line: ChatLine): void;
  said: string[];
}

export function testSource(id: ChatSourceId, state: ChatSourceState = 'connected', opts: { canSay?: boolean } = {}): TestSource {
  let current: { state: ChatSourceState; detail?: string } = { state };
  let onLine: ((line: ChatLine) => void) | null = null;
  const said: string[] = [];
  return {
    id,
    said,
    start: (fn) => void (onLine = fn),
    stop: async () => void (onLine = null),
    status: () => current,
    set: (s, detail) => void (current = detail ? { state: s, detail } : { state: s }),
    emit: (line) => onLine?.(line),
    ...(opts.canSay ? { say: async (text: string) => void said.push(text) } : {}),
  };
}
