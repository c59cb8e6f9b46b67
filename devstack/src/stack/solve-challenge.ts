/**
 * A Node client's proof of work for a new voter session, as the vote page's widget does it: fetch
 * `GET /api/challenge` (altcha-lib's own challenge JSON), solve it with altcha-lib's own solver, and hand back the
 * payload the widget would put in its `altcha` form field. The demo crowd, `verify`, the benches and the
 * end-to-end tests all vote for the first time through this, so they pay the same cost as a browser does.
 */
import { solveChallenge, type Challenge, type Payload } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';

/** The widget's own field name; `POST /api/vote` takes the payload under it. */
export { ALTCHA_FIELD } from '@stream-fighter/core';

export interface Solved {
  /** base64 of `{challenge:{parameters,signature}, solution}`: what goes in the `altcha` field. */
  payload: string;
  /** The solver's own time, ms. */
  solveMs: number;
  /** The winning counter: counter + 1 keys were derived to find it. */
  counter: number;
}

export async function fetchChallenge(api: string, timeoutMs = 10_000): Promise<Challenge> {
  const url = `${api.replace(/\/+$/, '')}/api/challenge`;
  let res: Response;
  try {
    res = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    throw new Error(`GET ${url}: ${e instanceof Error ? ((e.cause as Error | undefined)?.message ?? e.message) : String(e)}`);
  }
  const text = await res.text();
  if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${text.slice(0, 200)}`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`GET ${url}: ${res.status}, not JSON: ${text.slice(0, 200)}`);
  }
  const c = body as Partial<Challenge> | null;
  if (!c || typeof c !== 'object' || !c.parameters || typeof c.parameters.nonce !== 'string' || typeof c.signature !== 'string') {
    throw new Error(`GET ${url}: not an ALTCHA challenge: ${text.slice(0, 200)}`);
  }
  return c as Challenge;
}

/** Solve one challenge; fails (rather than returning nothing) when altcha-lib gives up within `timeoutMs`. */
export async function solve(challenge: Challenge, timeoutMs = 60_000): Promise<Solved> {
  const solution = await solveChallenge({ challenge, deriveKey, timeout: timeoutMs });
  if (!solution) throw new Error(`no solution to the ALTCHA challenge (${challenge.parameters.algorithm}, cost ${challenge.parameters.cost}) within ${timeoutMs} ms`);
  const payload: Payload = { challenge: { parameters: challenge.parameters, ...(challenge.signature ? { signature: challenge.signature } : {}) }, solution };
  return { payload: Buffer.from(JSON.stringify(payload)).toString('base64'), solveMs: solution.time ?? 0, counter: solution.counter };
}

/** Fetch a challenge from the edge at `api` and solve it: the `altcha` value for a first vote. */
export async function altchaPayload(api: string, opts: { timeoutMs?: number } = {}): Promise<string> {
  return (await solve(await fetchChallenge(api), opts.timeoutMs)).payload;
}
