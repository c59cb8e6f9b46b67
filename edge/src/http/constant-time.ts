const enc = new TextEncoder();
/** The Workers extension, typed here because Node's own SubtleCrypto (this file is also type-checked for Node) lacks it. */
const subtle = crypto.subtle as typeof crypto.subtle & { timingSafeEqual(a: ArrayBufferView, b: ArrayBufferView): boolean };

/**
 * Compare secrets without leaking, through timing, how much of a guess was right: the Workers runtime's own
 * `crypto.subtle.timingSafeEqual`, which needs equal lengths (a wrong length compares the guess with itself, so
 * it costs the same and only the length is learnt). Synchronous, unlike hono's `timingSafeEqual`, because the room
 * checks a connection's token inside `onConnect` before its welcome goes out.
 */
export function constantTimeEqual(given: string, expected: string): boolean {
  const a = enc.encode(given);
  const b = enc.encode(expected);
  if (a.byteLength !== b.byteLength) return !subtle.timingSafeEqual(a, a);
  return subtle.timingSafeEqual(a, b);
}
