/**
 * FNV-1a, 32-bit, over UTF-16 code units. Small, fast and the same on every runtime, which is all the round
 * needs: attack kinds and poll ids must come out identical in the room, the render node and the tests.
 */
export const FNV_OFFSET_BASIS = 0x811c9dc5;

export function fnv1a32(text: string, basis: number = FNV_OFFSET_BASIS): number {
  let h = basis >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Murmur3's finaliser. FNV-1a's low bits are weak for short keys that differ only in their last characters
 * ("id:1", "id:2", ...); mixing once spreads every input bit over the whole word before we take a modulo.
 */
export function mix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A well-mixed 32-bit hash of a string. */
export function hash32(text: string): number {
  return mix32(fnv1a32(text));
}
