import type { Context } from 'hono';
import type { z } from 'zod';
import { ApiException, badRequest } from './errors.ts';
import { FORM_TYPE, mediaType } from './origin.ts';

/** Bodies are tiny (a vote is ~20 bytes): anything bigger is refused before it is parsed. */
export const MAX_BODY_BYTES = 4 * 1024;

const tooLarge = (maxBytes: number) => new ApiException(413, 'body-too-large', `body is larger than ${maxBytes} bytes`);

/**
 * The body as text, read as a stream and abandoned as soon as it passes `maxBytes`: a chunked body has no
 * Content-Length to refuse up front, and reading it whole first would let one request fill the isolate's memory.
 */
export async function readCapped(req: Request, maxBytes: number): Promise<string> {
  const declared = req.headers.get('content-length');
  if (declared !== null && !(Number(declared) <= maxBytes)) throw tooLarge(maxBytes);
  if (!req.body) return '';
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.byteLength;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(all);
  } catch {
    throw badRequest('invalid-encoding', 'body is not valid UTF-8');
  }
}

/**
 * Read a JSON body (or a plain HTML form post, so the vote page works before JavaScript loads) and check it
 * against its schema. Every failure is a 4xx naming the problem.
 */
export async function readBody<S extends z.ZodType>(c: Context, schema: S, maxBytes = MAX_BODY_BYTES, emptyAs?: z.input<S>): Promise<z.infer<S>> {
  const text = await readCapped(c.req.raw, maxBytes);
  let data: unknown;
  // `emptyAs`: for routes whose every field has a default, where `curl -X POST` with no body means the defaults.
  if (emptyAs !== undefined && text.trim() === '') {
    data = emptyAs;
  } else if (mediaType(c.req.header('content-type')) === FORM_TYPE && !/^\s*[[{]/.test(text)) {
    // `curl -d '{"option":"A"}'` sends JSON labelled as a form: a body that looks like JSON is read as JSON.
    data = Object.fromEntries(new URLSearchParams(text));
  } else {
    try {
      data = JSON.parse(text);
    } catch {
      throw badRequest('malformed-json', 'body is not valid JSON');
    }
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first?.path.length ? `${first.path.join('.')}: ` : '';
    throw badRequest('invalid-body', `${where}${first?.message ?? 'invalid body'}`, parsed.error.issues);
  }
  return parsed.data;
}
