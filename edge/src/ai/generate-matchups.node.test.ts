import { APIConnectionTimeoutError, InternalServerError, RateLimitError } from 'openai';
import type OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Matchup } from '@stream-fighter/core/matchup';
import { createAiClient } from './client.ts';
import { errorBody, startFakeOpenRouter } from '@stream-fighter/devstack/fakes/openrouter';
import type { FakeOpenRouter } from '@stream-fighter/devstack/fakes/openrouter';
import { aiMatchup, matchupsContent } from '@stream-fighter/core/fixtures/matchups';
import { KEY } from '@stream-fighter/devstack/fakes/openrouter';
import { generateHeadlines, generateMatchupsWithAi, headlinesUserPrompt, matchupsUserPrompt } from './generate-matchups.ts';
import { AiOutputError } from './json-completion.ts';

const MODEL = 'meta-llama/llama-3.3-70b-instruct';
let server: FakeOpenRouter;
let client: OpenAI;

beforeAll(async () => {
  server = await startFakeOpenRouter();
  client = createAiClient(
    { apiKey: KEY, baseURL: server.baseURL, model: MODEL, timeoutMs: 300 },
    { referer: 'https://streamfighter.example' },
  );
});
afterAll(() => server.close());
beforeEach(() => {
  server.received.length = 0;
});

const rejection = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
};

describe('generateMatchupsWithAi', () => {
  it('asks for strict JSON with the right model, key and headers, and returns core matchups from the AI', async () => {
    server.reply({ kind: 'content', content: matchupsContent(2) });
    const out = await generateMatchupsWithAi(client, MODEL, { count: 2, seed: 'round:7', theme: 'kitchen\nappliances' });

    expect(out).toHaveLength(2);
    for (const m of out) expect(Matchup.parse(m)).toEqual(m);
    expect(out[0]).toMatchObject({ title: aiMatchup(1).title, stage: 'beach', source: 'ai', durationSec: 180 });
    expect(out[1]?.options[1]?.fighter.name).toBe('Professor Volt 2');

    expect(server.received).toHaveLength(1);
    const req = server.received[0]!;
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/api/v1/chat/completions');
    expect(req.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(req.headers['x-title']).toBe('Stream Fighter');
    expect(req.headers['http-referer']).toBe('https://streamfighter.example');
    expect(req.body.model).toBe(MODEL);
    expect(req.body.seed).toEqual(expect.any(Number));
    expect(Number.isInteger(req.body.seed)).toBe(true);

    const messages = req.body.messages as Array<{ role: string; content: string }>;
    expect(messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(messages[0]?.content).toMatch(/PG/);
    expect(messages[0]?.content).toMatch(/real person/);
    expect(messages[1]?.content).toContain('Write exactly 2 matchups.');
    expect(messages[1]?.content).toContain('"kitchen appliances"');

    const rf = req.body.response_format as { type: string; json_schema: { name: string; strict: boolean; schema: any } };
    expect(rf.type).toBe('json_schema');
    expect(rf.json_schema.name).toBe('stream_fighter_matchups');
    expect(rf.json_schema.strict).toBe(true);
    const schema = rf.json_schema.schema;
    expect(schema.type).toBe('object');
    expect(schema.required).toEqual(['matchups']);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.matchups).toMatchObject({ type: 'array', minItems: 2, maxItems: 2 });
    const item = schema.properties.matchups.items;
    expect(item.required).toEqual(['title', 'stage', 'options', 'headlines']);
    expect(item.properties.stage.enum).toContain('volcano');
    const fighter = item.properties.options.items.properties.fighter;
    expect(fighter.properties.color.pattern).toBe('^#[0-9a-fA-F]{6}$');
    expect(fighter.properties.name.description).toBe('at least 1, at most 32 characters');
    // Strict mode rejects these keywords; none may survive anywhere in the tree.
    const text = JSON.stringify(schema);
    for (const banned of ['"$schema"', '"default"', '"minLength"', '"maxLength"', '\\\\p{']) expect(text).not.toContain(banned);
  });

  it('asks for the stream\'s language: Spanish titles, taglines, moves and headlines when the stream speaks Spanish', async () => {
    expect(matchupsUserPrompt({ count: 1, seed: 's' })).not.toMatch(/Language:|Spanish/);
    expect(matchupsUserPrompt({ count: 1, seed: 's', lang: 'en' })).toBe(matchupsUserPrompt({ count: 1, seed: 's' }));
    const es = matchupsUserPrompt({ count: 1, seed: 's', lang: 'es' });
    expect(es).toMatch(/Language: write .*"tagline".* headline.* in Spanish/);
    server.reply({ kind: 'content', content: matchupsContent(1) });
    await generateMatchupsWithAi(client, MODEL, { count: 1, seed: 'round:8', lang: 'es' });
    const messages = server.received[0]!.body.messages as Array<{ role: string; content: string }>;
    expect(messages[1]?.content).toContain(es.split('\n').find((l) => l.startsWith('Language:')));
  });

  it('tolerates one markdown fence around the JSON', async () => {
    server.reply({ kind: 'content', content: '```json\n' + matchupsContent(1) + '\n```' });
    const out = await generateMatchupsWithAi(client, MODEL, { count: 1, seed: 's' });
    expect(out[0]?.source).toBe('ai');
  });

  it.each([
    ['malformed JSON', '{"matchups": [{"title": "Beach Br', 'malformed'],
    ['prose instead of JSON', 'Sure! Here are two matchups: ...', 'malformed'],
    ['empty content', '', 'empty'],
    ['more matchups than asked for', matchupsContent(3), 'invalid'],
    ['a missing field', JSON.stringify({ matchups: [{ ...aiMatchup(1), stage: undefined }] }), 'invalid'],
    ['an unknown stage', JSON.stringify({ matchups: [{ ...aiMatchup(1), stage: 'moon' }] }), 'invalid'],
    ['a bad colour', JSON.stringify({ matchups: [{ ...aiMatchup(1), options: aiMatchup(1).options.map((o) => ({ ...o, fighter: { ...o.fighter, color: 'red' } })) }] }), 'invalid'],
    ['option ids out of order', JSON.stringify({ matchups: [{ ...aiMatchup(1), options: aiMatchup(1).options.reverse() }] }), 'invalid'],
    ['a URL in a tagline', JSON.stringify({ matchups: [{ ...aiMatchup(1), title: 'Watch at www.spam.tv' }] }), 'unsafe'],
    ['an @mention in a headline', JSON.stringify({ matchups: [{ ...aiMatchup(1), headlines: ['Big thanks @sponsor'] }] }), 'unsafe'],
    ['profanity in an extra field', JSON.stringify({ matchups: [{ ...aiMatchup(1), note: 'shit happens' }] }), 'unsafe'],
  ])('rejects %s', async (_name, content, problem) => {
    server.reply({ kind: 'content', content });
    const err = await rejection(generateMatchupsWithAi(client, MODEL, { count: 1, seed: 's' }));
    expect(err).toBeInstanceOf(AiOutputError);
    expect((err as AiOutputError).problem).toBe(problem);
  });

  it('rejects a cut-off answer and says it was truncated', async () => {
    server.reply({ kind: 'content', content: matchupsContent(1).slice(0, 200), finishReason: 'length' });
    const err = await rejection(generateMatchupsWithAi(client, MODEL, { count: 1, seed: 's' }));
    expect((err as AiOutputError).problem).toBe('malformed');
    expect((err as Error).message).toContain('finish_reason length');
  });

  it('surfaces a 429 as RateLimitError after one retry', async () => {
    server.reply({ kind: 'status', status: 429, body: errorBody(429, 'Rate limit exceeded: free-models-per-min'), headers: { 'retry-after': '0' } });
    const err = await rejection(generateMatchupsWithAi(client, MODEL, { count: 1, seed: 's' }));
    expect(err).toBeInstanceOf(RateLimitError);
    expect((err as RateLimitError).status).toBe(429);
    expect((err as Error).message).toContain('Rate limit exceeded');
    expect(server.received).toHaveLength(2);
  });

  it('surfaces a 500 as InternalServerError after one retry', async () => {
    server.reply({ kind: 'status', status: 500, body: errorBody(500, 'Internal Server Error') });
    const err = await rejection(generateMatchupsWithAi(client, MODEL, { count: 1, seed: 's' }));
    expect(err).toBeInstanceOf(InternalServerError);
    expect(server.received).toHaveLength(2);
  });

  it('times out when the server never answers', async () => {
    server.reply({ kind: 'hang' });
    const started = Date.now();
    const err = await rejection(generateMatchupsWithAi(client, MODEL, { count: 1, seed: 's' }));
    expect(err).toBeInstanceOf(APIConnectionTimeoutError);
    // Two attempts of 300 ms plus one backoff: well under the 8 s production budget.
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(server.received).toHaveLength(2);
  });

  it.each([0, 6, 1.5])('refuses count %s without calling the API', async (count) => {
    await expect(generateMatchupsWithAi(client, MODEL, { count, seed: 's' })).rejects.toThrow(RangeError);
    expect(server.received).toHaveLength(0);
  });
});

describe('generateHeadlines', () => {
  const matchup = Matchup.parse({ ...aiMatchup(1), source: 'ai' });

  it('returns at most three valid, safe lines and asks about the matchup', async () => {
    server.reply({
      kind: 'content',
      content: JSON.stringify({
        headlines: [
          'Kelp brings the tide!',
          'x'.repeat(101),
          'Tickets at www.scalpers.com',
          '   ',
          'Volt is fully charged.',
          'Sand everywhere.',
          'A fourth good line that should be cut.',
        ],
      }),
    });
    await expect(generateHeadlines(client, MODEL, matchup)).resolves.toEqual([
      'Kelp brings the tide!',
      'Volt is fully charged.',
      'Sand everywhere.',
    ]);
    const req = server.received[0]!;
    expect(req.body.model).toBe(MODEL);
    const rf = req.body.response_format as { type: string; json_schema: { name: string; strict: boolean } };
    expect(rf).toMatchObject({ type: 'json_schema', json_schema: { name: 'stream_fighter_headlines', strict: true } });
    const messages = req.body.messages as Array<{ content: string }>;
    expect(messages[1]?.content).toContain('Captain Kelp 1');
  });

  it('asks for lines in the stream\'s language', async () => {
    expect(headlinesUserPrompt(matchup)).not.toMatch(/Language:/);
    expect(headlinesUserPrompt(matchup, 'es')).toMatch(/Language: write the lines in Spanish/);
    server.reply({ kind: 'content', content: JSON.stringify({ headlines: ['¡Kelp trae la marea!'] }) });
    await expect(generateHeadlines(client, MODEL, matchup, 'es')).resolves.toEqual(['¡Kelp trae la marea!']);
    const messages = server.received[0]!.body.messages as Array<{ content: string }>;
    expect(messages[1]?.content).toMatch(/in Spanish/);
    expect(messages[1]?.content).toContain('Captain Kelp 1');
  });

  it('rejects malformed and mis-shaped answers', async () => {
    server.reply({ kind: 'content', content: 'Kelp wins!' });
    expect(await rejection(generateHeadlines(client, MODEL, matchup))).toMatchObject({ problem: 'malformed' });
    server.reply({ kind: 'content', content: JSON.stringify({ headlines: 'Kelp wins!' }) });
    expect(await rejection(generateHeadlines(client, MODEL, matchup))).toMatchObject({ problem: 'invalid' });
  });
});
