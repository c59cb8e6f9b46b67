import { describe, expect, it } from 'vitest';
import { call, currentPoll, goLive, OPERATOR, postJson, voterToken } from './helpers.ts';

/** Every bad request is a 4xx JSON error that names the problem, and changes nothing. */
describe('bad input', () => {
  const cases: Array<[string, () => Promise<Response>, number, string]> = [
    ['malformed JSON', () => call('/api/vote', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"option":' }), 400, 'malformed-json'],
    ['oversized body', () => postJson('/api/vote', { option: 'A', pad: 'x'.repeat(10_000) }), 413, 'body-too-large'],
    ['wrong type', () => postJson('/api/vote', { option: 1 }), 400, 'invalid-body'],
    ['missing option', () => postJson('/api/vote', {}), 400, 'invalid-body'],
    ['unknown option letter', () => postJson('/api/vote', { option: 'Z' }), 400, 'invalid-body'],
    ['extra fields', () => postJson('/api/vote', { option: 'A', weight: 100 }), 400, 'invalid-body'],
    ['array body', () => postJson('/api/vote', ['A']), 400, 'invalid-body'],
    ['forged voter cookie', () => call('/api/vote', { method: 'POST', headers: { 'content-type': 'application/json', cookie: 'sf_voter=v1.AAAAAAAAAAAA.1700000000.forgedsignature' }, body: '{"option":"A"}' }), 401, 'invalid-voter-token'],
    ['garbage voter token', () => postJson('/api/vote', { option: 'A' }, { 'x-voter-token': 'hello' }), 401, 'invalid-voter-token'],
    ['stream without key', () => postJson('/api/stream', { screenId: 'fight' }, OPERATOR), 400, 'invalid-body'],
    ['stream key with a slash', () => postJson('/api/stream', { screenId: 'fight', streamKey: '../../etc' }, OPERATOR), 400, 'invalid-body'],
    ['screen id that is not a slug', () => postJson('/api/stream', { screenId: 'Movie Night!', streamKey: 'abc' }, OPERATOR), 400, 'invalid-body'],
    ['new screen without an id', () => postJson('/api/screens', { scene: 'bars' }, OPERATOR), 400, 'invalid-body'],
    ['new screen with an unknown scene', () => postJson('/api/screens', { id: 'lobby', scene: 'movie' }, OPERATOR), 400, 'invalid-body'],
    ['new screen with an unknown language', () => postJson('/api/screens', { id: 'lobby', lang: 'fr' }, OPERATOR), 400, 'invalid-body'],
    ['new screen with an unknown part', () => postJson('/api/screens', { id: 'lobby', show: { clock: false } }, OPERATOR), 400, 'invalid-body'],
    ['new screen that exists', () => postJson('/api/screens', { id: 'fight' }, OPERATOR), 409, 'screen-exists'],
    ['screen change with a wrong type', () => call('/api/screens/fight', { method: 'PUT', headers: { 'content-type': 'application/json', ...OPERATOR }, body: '{"show":{"qr":"no"}}' }), 400, 'invalid-body'],
    ['screen change of an unknown screen', () => call('/api/screens/nope', { method: 'PUT', headers: { 'content-type': 'application/json', ...OPERATOR }, body: '{}' }), 404, 'not-found'],
    ['screen id with a slash', () => call('/api/screens/..%2Fx', { method: 'DELETE', headers: OPERATOR }), 400, 'invalid-id'],
    ['deleting a built-in screen', () => call('/api/screens/bars', { method: 'DELETE', headers: OPERATOR }), 409, 'built-in-screen'],
    ['stop without key', () => call('/api/stream', { method: 'DELETE', headers: OPERATOR }), 400, 'invalid-query'],
    ['generate count too high', () => postJson('/api/poll/generate', { count: 99 }, OPERATOR), 400, 'invalid-body'],
    ['queue an invalid matchup', () => postJson('/api/poll/queue', { title: 'x', stage: 'moon', options: [] }, OPERATOR), 400, 'invalid-body'],
    ['shout-out with no user', () => postJson('/api/shoutout', { message: 'hi' }), 400, 'invalid-body'],
    ['bad poll id', () => call('/api/polls/%3Cscript%3E'), 400, 'invalid-id'],
  ];

  it.each(cases)('%s → 4xx with a JSON error, state unchanged', async (_name, send, status, code) => {
    await goLive();
    const before = await currentPoll();
    const res = await send();
    expect(res.status).toBe(status);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe(code);
    expect(body.error.message.length).toBeGreaterThan(3);
    const after = await currentPoll();
    expect(after.round.votes).toEqual(before.round.votes);
    expect(after.round.hp).toEqual(before.round.hp);
    expect(after.round.pollId).toBe(before.round.pollId);
  });

  it('a vote signed with another secret is refused', async () => {
    await goLive();
    const good = await voterToken('tamper-test-01');
    const tampered = good.replace('tamper-test-01', 'tamper-test-02');
    const res = await postJson('/api/vote', { option: 'A' }, { 'x-voter-token': tampered });
    expect(res.status).toBe(401);
  });
});
