import type { Context } from 'hono';
import type { z } from 'zod';
import { ApiException, badRequest } from './errors.ts';

/** Bodies are tiny (a vote is ~20 bytes): anything bigger is refused before it is parsed. */
export const MAX_BODY_BYTES = 4 * 1024;

/**
 * Read a JSON body (or a plain HTML form post, so the vote page works before JavaScript loads) and check it
 * against its schema. Every failure is a 4xx naming the problem.
 */
export async function readBody<S extends z.ZodType>(c: Context, schema: S, maxBytes = MAX_BODY_BYTES): Promise<z.infer<S>> {
  const declared = Number(c.req.header('content-length') ?? '0');
  if (declared > maxBytes) throw new ApiException(413, 'body-too-large', `body is larger than ${maxBytes} bytes`);
  const text = await c.req.text();
  if (new TextEncoder().encode(text).length > maxBytes) throw new ApiException(413, 'body-too-large', `body is larger than ${maxBytes} bytes`);
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  let data: unknown;
  // `curl -d '{"option":"A"}'` sends JSON labelled as a form: a body that looks like JSON is read as JSON.
  if (type === 'application/x-www-form-urlencoded' && !/^\s*[[{]/.test(text)) {
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
