/**
 * One chat completion that must come back as JSON matching a zod schema. Transport failures surface as the
 * SDK's own errors (`APIError` and subclasses); anything wrong with the answer itself is an `AiOutputError`.
 */
import type OpenAI from 'openai';
import { z } from 'zod';
import { findUnsafe } from './safety.ts';

export type AiOutputProblem = 'empty' | 'malformed' | 'invalid' | 'unsafe';

export class AiOutputError extends Error {
  override name = 'AiOutputError';
  readonly problem: AiOutputProblem;
  constructor(problem: AiOutputProblem, message: string) {
    super(message);
    this.problem = problem;
  }
}

type JsonSchema = { [key: string]: unknown };

/** Keywords OpenAI-style strict structured outputs accept; others are rejected with a 400 by some providers. */
const STRICT_KEYWORDS = new Set([
  'type', 'properties', 'required', 'additionalProperties', 'items', 'enum', 'const', 'anyOf',
  'minItems', 'maxItems', 'minimum', 'maximum', 'pattern', 'description',
]);

/**
 * Turn zod's JSON Schema into one strict mode accepts: drop `$schema` and `default`, restate string length
 * bounds as a description (the model still sees them), and drop Unicode-property patterns (`\p{Cc}`), which
 * several providers' grammar engines cannot compile. The zod schema re-checks everything on the way back.
 */
export function toStrictJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toStrictJsonSchema);
  if (node === null || typeof node !== 'object') return node;
  const src = node as JsonSchema;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(src)) {
    if (key === 'properties' && value && typeof value === 'object') {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toStrictJsonSchema(v)]));
    } else if (key === 'pattern' && typeof value === 'string' && value.includes('\\p{')) {
      continue;
    } else if (STRICT_KEYWORDS.has(key)) {
      out[key] = toStrictJsonSchema(value);
    }
  }
  const bounds = [
    typeof src.minLength === 'number' && src.minLength > 0 ? `at least ${src.minLength}` : null,
    typeof src.maxLength === 'number' ? `at most ${src.maxLength}` : null,
  ].filter(Boolean);
  if (bounds.length > 0) {
    const note = `${bounds.join(', ')} characters`;
    out.description = typeof out.description === 'string' ? `${out.description} (${note})` : note;
  }
  return out;
}

export interface JsonCompletionRequest<T extends z.ZodType> {
  model: string;
  system: string;
  user: string;
  /** Name of the structured-output schema, [a-zA-Z0-9_-]. */
  name: string;
  schema: T;
  maxTokens: number;
  /** Integer seed, for providers that honour it. */
  seed?: number;
  temperature?: number;
  /** Check every string in the answer against the blocklist (default true). */
  screen?: boolean;
}

/** Some providers ignore `response_format` and fence the JSON anyway; one surrounding fence is tolerated. */
function unfence(text: string): string {
  const m = /^\s*```(?:json)?\s*\n([\s\S]*?)\n?```\s*$/i.exec(text);
  return m?.[1] ?? text;
}

function summariseIssues(error: z.ZodError): string {
  // Paths and messages only: zod's messages do not echo the input, so nothing the model wrote reaches the log.
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '$'}: ${i.message}`)
    .join('; ');
}

/** Ask for JSON matching `schema`, then parse it, check it against the blocklist and validate it. */
export async function completeJson<T extends z.ZodType>(client: OpenAI, req: JsonCompletionRequest<T>): Promise<z.output<T>> {
  const completion = await client.chat.completions.create({
    model: req.model,
    messages: [
      { role: 'system', content: req.system },
      { role: 'user', content: req.user },
    ],
    response_format: {
      type: 'json_schema',
      json_schema: {
        name: req.name,
        strict: true,
        schema: toStrictJsonSchema(z.toJSONSchema(req.schema, { io: 'output', target: 'draft-7' })) as JsonSchema,
      },
    },
    max_tokens: req.maxTokens,
    ...(req.seed === undefined ? {} : { seed: req.seed }),
    ...(req.temperature === undefined ? {} : { temperature: req.temperature }),
  });

  const choice = completion.choices?.[0];
  const content = choice?.message?.content;
  if (typeof content !== 'string' || content.trim() === '') {
    throw new AiOutputError('empty', `no content (finish_reason: ${choice?.finish_reason ?? 'none'})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(unfence(content));
  } catch {
    // Not the parser's message: V8 quotes a slice of the input, and model text does not belong in logs.
    const cut = choice?.finish_reason === 'length' ? ', truncated: finish_reason length' : '';
    throw new AiOutputError('malformed', `content is not JSON (${content.length} chars${cut})`);
  }
  // Before the schema: a blocked word anywhere, even in a field we would drop, means the answer is not trusted.
  const unsafe = req.screen === false ? null : findUnsafe(json);
  if (unsafe) throw new AiOutputError('unsafe', `blocked ${unsafe.rule} text at ${unsafe.path}`);
  const parsed = req.schema.safeParse(json);
  if (!parsed.success) throw new AiOutputError('invalid', `content does not match ${req.name}: ${summariseIssues(parsed.error)}`);
  return parsed.data;
}
