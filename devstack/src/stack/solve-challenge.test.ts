/**
 * The Node clients' proof of work against altcha-lib's own challenges, served over real HTTP: what the solver
 * hands back must verify with altcha-lib's own `verifySolution`, the way the edge checks it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createChallenge, randomInt, verifySolution, type Challenge, type Payload } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '@stream-fighter/edge/src/env.ts';
import { altcha, verifyChallenge } from '@stream-fighter/edge/src/voter/challenge.ts';
import { altchaPayload, fetchChallenge, solve } from './solve-challenge.ts';

const SECRET = 'challenge-test-secret-0123456789';
const KEY_SECRET = 'challenge-test-key-secret-0123456789';

/** Signed, with a key signature and a hidden counter: the shape the edge's challenges have. */
function challenge(cost = 50, maxCounter = 200): Promise<Challenge> {
  return createChallenge({
    algorithm: 'PBKDF2/SHA-256',
    cost,
    counter: randomInt(maxCounter, Math.ceil(maxCounter / 2)),
    deriveKey,
    expiresAt: Math.floor(Date.now() / 1000) + 60,
    hmacSignatureSecret: SECRET,
    hmacKeySignatureSecret: KEY_SECRET,
  });
}

function decode(payload: string): Payload {
  return JSON.parse(Buffer.from(payload, 'base64').toString('utf8')) as Payload;
}

let server: Server;
let base: string;
/** What the next GET /api/challenge answers; a challenge of the usual shape by default. */
let answer: () => Promise<{ status: number; body: string }>;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url !== '/api/challenge') {
      res.writeHead(404).end();
      return;
    }
    void answer().then(({ status, body }) => res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  // The 'no answer' case leaves its connection open.
  server.closeAllConnections();
  return new Promise<void>((r) => server.close(() => r()));
});

describe('the Node solver', () => {
  it('fetches the challenge and returns the widget-shaped payload, which altcha-lib verifies', async () => {
    const served: Challenge[] = [];
    answer = async () => {
      const c = await challenge();
      served.push(c);
      return { status: 200, body: JSON.stringify(c) };
    };
    const payload = await altchaPayload(base);
    expect(served).toHaveLength(1);
    const decoded = decode(payload);
    expect(decoded.challenge).toEqual({ parameters: served[0]!.parameters, signature: served[0]!.signature });
    const verdict = await verifySolution({ challenge: decoded.challenge, solution: decoded.solution, deriveKey, hmacSignatureSecret: SECRET, hmacKeySignatureSecret: KEY_SECRET });
    expect(verdict).toMatchObject({ verified: true, expired: false, invalidSignature: false, invalidSolution: false });
    // And without the key-signature shortcut: the derived key itself is re-derived from the counter.
    const rederived = await verifySolution({ challenge: decoded.challenge, solution: decoded.solution, deriveKey, hmacSignatureSecret: SECRET });
    expect(rederived.verified).toBe(true);
  });

  it('does the work: the counter it reports is the one the challenge hides, and another counter fails', async () => {
    const c = await challenge(20, 400);
    const solved = await solve(c);
    const { solution } = decode(solved.payload);
    expect(solution.counter).toBe(solved.counter);
    expect(solved.counter).toBeGreaterThanOrEqual(200);
    const wrong = await verifySolution({ challenge: c, solution: { ...solution, counter: solution.counter - 1 }, deriveKey, hmacSignatureSecret: SECRET });
    expect(wrong.verified).toBe(false);
  });

  it('says which endpoint failed and how: an error status, a body that is not a challenge, no answer', async () => {
    answer = async () => ({ status: 503, body: '{"error":{"code":"unavailable"}}' });
    await expect(fetchChallenge(base)).rejects.toThrow(`GET ${base}/api/challenge: 503 {"error":{"code":"unavailable"}}`);
    answer = async () => ({ status: 200, body: '{"parameters":{}}' });
    await expect(fetchChallenge(base)).rejects.toThrow(/not an ALTCHA challenge/);
    answer = async () => ({ status: 200, body: 'not json' });
    await expect(fetchChallenge(base)).rejects.toThrow(/not JSON: not json/);
    answer = () => new Promise(() => {});
    await expect(fetchChallenge(base, 200)).rejects.toThrow(`GET ${base}/api/challenge`);
  });

  it("solves the edge's own challenges: its verification takes the payload, and copies of it name one voter", async () => {
    const config = readConfig({
      OPERATOR_TOKEN: 'solver-test-operator-token',
      VOTER_SECRET: 'solver-test-voter-secret-0123456789',
      RENDERER_TOKEN: 'solver-test-renderer-token',
      DATABASE_URL: 'postgres://127.0.0.1/unused',
      UPSTASH_REDIS_REST_URL: 'http://127.0.0.1:9/unused',
      UPSTASH_REDIS_REST_TOKEN: 'unused',
    });
    const edge = new Hono().get('/api/challenge', async (c) => (await altcha(config)).altcha.challengeHandler(c));
    answer = async () => {
      const res = await edge.request('/api/challenge');
      return { status: res.status, body: await res.text() };
    };
    const payload = await altchaPayload(base);
    const first = await verifyChallenge(config, payload);
    expect(first).toMatchObject({ ok: true, voterId: expect.stringMatching(/^p-/) });
    expect(await verifyChallenge(config, payload)).toEqual(first);
    // Another solved challenge is another voter.
    const other = await verifyChallenge(config, await altchaPayload(base));
    expect(other.ok && other.voterId !== (first.ok && first.voterId)).toBe(true);
  });

  it('gives up with an error when the work does not finish in time, rather than returning nothing', async () => {
    const c = await challenge(1, 10);
    // A prefix no PBKDF2 key of this challenge will start with in 50 ms.
    const impossible: Challenge = { ...c, parameters: { ...c.parameters, keyPrefix: '0000000000000000' } };
    await expect(solve(impossible, 50)).rejects.toThrow(/no solution to the ALTCHA challenge .* within 50 ms/);
  });
});
