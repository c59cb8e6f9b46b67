import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateMatchup } from '@stream-fighter/core/generator';
import { Matchup } from '@stream-fighter/core/matchup';
import { aiTargetFromConfig } from './client.ts';
import type { AiTarget } from './client.ts';
import { errorBody, startFakeOpenRouter } from '@stream-fighter/devstack/fakes/openrouter';
import type { FakeOpenRouter, FakeReply } from '@stream-fighter/devstack/fakes/openrouter';
import { aiMatchup, matchupsContent } from '@stream-fighter/core/fixtures/matchups';
import { KEY } from '@stream-fighter/devstack/fakes/openrouter';
import { nextMatchups, redact } from './matchup-source.ts';
import type { MatchupSourceLog } from './matchup-source.ts';

const MODEL = 'meta-llama/llama-3.3-70b-instruct';
let server: FakeOpenRouter;
let ai: AiTarget;

function recordingLog() {
  const entries: Array<{ event: string; fields: Record<string, unknown> }> = [];
  const log: MatchupSourceLog = { warn: (event, fields) => entries.push({ event, fields }) };
  return { log, entries };
}

beforeAll(async () => {
  server = await startFakeOpenRouter();
  const target = aiTargetFromConfig({ apiKey: KEY, baseURL: server.baseURL, model: MODEL, timeoutMs: 300 });
  if (!target) throw new Error('expected an AI target');
  ai = target;
});
afterAll(() => server.close());
beforeEach(() => {
  server.received.length = 0;
});

describe('nextMatchups', () => {
  it('uses the AI when it answers well', async () => {
    server.reply({ kind: 'content', content: matchupsContent(3) });
    const { log, entries } = recordingLog();
    const out = await nextMatchups({ ai, count: 3, seed: 'q:1', theme: 'pirates', log, durationSec: 90 });
    expect(out.source).toBe('ai');
    expect(out.error).toBeUndefined();
    expect(out.matchups).toHaveLength(3);
    for (const m of out.matchups) {
      expect(Matchup.parse(m)).toEqual(m);
      expect(m).toMatchObject({ source: 'ai', durationSec: 90 });
    }
    expect(out.matchups[2]?.title).toBe(aiMatchup(3).title);
    expect(entries).toEqual([]);
    expect(server.received).toHaveLength(1);
    expect(server.received[0]?.body.model).toBe(MODEL);
    expect(server.received[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it('uses the built-in generator, quietly, when no AI is configured', async () => {
    expect(aiTargetFromConfig({ baseURL: server.baseURL, model: MODEL, timeoutMs: 300 })).toBeNull();
    const { log, entries } = recordingLog();
    const out = await nextMatchups({ ai: null, count: 2, seed: 'q:2', log });
    expect(out).toEqual({ source: 'builtin', matchups: [generateMatchup('q:2:0'), generateMatchup('q:2:1')] });
    expect(entries).toEqual([]);
    expect(server.received).toHaveLength(0);
  });

  it("writes the matchups in the room's language, by the built-in generator and by the AI, also when the AI fails", async () => {
    const { log } = recordingLog();
    const built = await nextMatchups({ ai: null, count: 2, seed: 'q:es', log, lang: 'es' });
    expect(built.matchups).toEqual([generateMatchup('q:es:0', { lang: 'es' }), generateMatchup('q:es:1', { lang: 'es' })]);
    expect(built.matchups).not.toEqual([generateMatchup('q:es:0'), generateMatchup('q:es:1')]);

    server.reply({ kind: 'content', content: matchupsContent(1) });
    await nextMatchups({ ai, count: 1, seed: 'q:es2', log, lang: 'es' });
    expect(JSON.stringify(server.received[0]?.body.messages)).toMatch(/Spanish|español/i);

    server.reply({ kind: 'status', status: 500, body: errorBody(500, 'Internal Server Error') });
    const fallback = await nextMatchups({ ai, count: 1, seed: 'q:es3', log, lang: 'es' });
    expect(fallback).toMatchObject({ source: 'builtin', matchups: [generateMatchup('q:es3:0', { lang: 'es' })] });
  });

  const failures: Array<[string, FakeReply, string, number]> = [
    ['timeout', { kind: 'hang' }, 'timeout', 2],
    ['429', { kind: 'status', status: 429, body: errorBody(429, 'Rate limit exceeded'), headers: { 'retry-after': '0' } }, 'rate_limited', 2],
    ['500', { kind: 'status', status: 500, body: errorBody(500, 'Internal Server Error') }, 'upstream_5xx', 2],
    ['502', { kind: 'status', status: 502, body: errorBody(502, 'Provider returned error') }, 'upstream_5xx', 2],
    // OpenAI-style 401s quote the key back; the log must not.
    ['401 echoing the key', { kind: 'status', status: 401, body: errorBody(401, `Incorrect API key provided: ${KEY}`) }, 'http_401', 1],
    ['malformed JSON', { kind: 'content', content: '{"matchups": [' }, 'malformed', 1],
    ['schema-invalid JSON', { kind: 'content', content: JSON.stringify({ matchups: [{ title: 'x' }, { title: 'y' }] }) }, 'invalid', 1],
    ['too few matchups', { kind: 'content', content: matchupsContent(1) }, 'invalid', 1],
    ['unsafe content', { kind: 'content', content: JSON.stringify({ matchups: [aiMatchup(1), { ...aiMatchup(2), title: 'Sexy Showdown' }] }) }, 'unsafe', 1],
    ['a model echoing the key', { kind: 'content', content: `not json, but here is ${KEY}` }, 'malformed', 1],
  ];

  it.each(failures)('falls back to built-in matchups on %s, logs why and never leaks the key', async (_name, reply, kind, requests) => {
    server.reply(reply);
    const { log, entries } = recordingLog();
    const out = await nextMatchups({ ai, count: 2, seed: 'q:3', log });

    expect(out.source).toBe('builtin');
    expect(out.matchups).toEqual([generateMatchup('q:3:0'), generateMatchup('q:3:1')]);
    for (const m of out.matchups) expect(m.source).toBe('builtin');
    expect(out.error).toMatch(new RegExp(`^${kind}: `));
    expect(server.received).toHaveLength(requests);

    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ event: 'ai_matchups_fallback', fields: { kind, model: MODEL, count: 2 } });
    const logged = JSON.stringify(entries);
    for (const text of [logged, out.error ?? '']) {
      expect(text).not.toContain(KEY);
      expect(text).not.toContain('TESTKEY');
    }
  });

  it('never throws: not even with a broken logger, or a nonsense count', async () => {
    server.reply({ kind: 'status', status: 500, body: errorBody(500, 'boom') });
    const log: MatchupSourceLog = {
      warn: () => {
        throw new Error('log sink down');
      },
    };
    const out = await nextMatchups({ ai, count: 99, seed: 'q:4', log });
    expect(out.source).toBe('builtin');
    expect(out.matchups).toHaveLength(5);
    const low = await nextMatchups({ ai: null, count: Number.NaN, seed: 'q:4', log });
    expect(low.matchups).toHaveLength(1);
  });

  it('clamps the round length for AI and built-in matchups alike', async () => {
    server.reply({ kind: 'content', content: matchupsContent(1) });
    const { log } = recordingLog();
    const fromAi = await nextMatchups({ ai, count: 1, seed: 'q:5', log, durationSec: 1 });
    expect(fromAi.source).toBe('ai');
    expect(fromAi.matchups[0]?.durationSec).toBe(15);
    const builtin = await nextMatchups({ ai: null, count: 1, seed: 'q:5', log, durationSec: 99_999 });
    expect(builtin.matchups[0]?.durationSec).toBe(1800);
  });
});

describe('redact', () => {
  it('removes the configured key, key-shaped tokens and bearer credentials', () => {
    expect(redact(`bad key ${KEY}!`, KEY)).toBe('bad key [redacted]!');
    expect(redact('Incorrect API key provided: sk-abc1******************wxyz', null)).toBe('Incorrect API key provided: [redacted]');
    expect(redact('Authorization: Bearer abc.def', undefined)).toBe('Authorization: Bearer [redacted]');
    expect(redact('nothing secret here', KEY)).toBe('nothing secret here');
  });
});
