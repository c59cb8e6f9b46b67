/**
 * Opaque keyset cursors: base64url of a small JSON object. Opaque so clients cannot build one, and so the key can
 * change without changing the API; checked on the way in because it comes from a query string.
 */
import { z } from 'zod';

export class BadCursorError extends Error {
  override name = 'BadCursorError';
  constructor() {
    super('malformed cursor');
  }
}

export function encodeCursor(value: unknown): string {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Decodes and checks a cursor; anything that is not one this module made throws BadCursorError. */
export function decodeCursor<T>(cursor: string, schema: z.ZodType<T>): T {
  if (cursor.length === 0 || cursor.length > 512 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw new BadCursorError();
  try {
    const binary = atob(cursor.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    const parsed = schema.safeParse(JSON.parse(new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes)));
    if (parsed.success) return parsed.data;
  } catch {
    // Falls through: bad base64, bad UTF-8 or bad JSON are all just a bad cursor.
  }
  throw new BadCursorError();
}
