/**
 * `npm run vote -- A`: one vote from the command line, as a new voter would cast it. Without a session it solves the
 * edge's proof-of-work challenge first (altcha-lib, devstack/src/stack/solve-challenge.ts) and prints the session token
 * the edge hands back; with VOTER_TOKEN set it votes with that session instead.
 *
 *   npm run vote -- A                        # the local edge, http://127.0.0.1:8787 (or API_URL)
 *   VOTER_TOKEN=v1.… npm run vote -- B       # a later round, same voter
 */
import { altchaPayload } from '@stream-fighter/devstack/stack/solve-challenge';

const option = (process.argv[2] ?? '').toUpperCase();
if (!/^[A-D]$/.test(option)) {
  process.stderr.write('usage: npm run vote -- <A|B|C|D>   (API_URL, VOTER_TOKEN optional)\n');
  process.exit(2);
}
const api = (process.env.API_URL ?? `http://127.0.0.1:${process.env.PORT ?? 8787}`).replace(/\/+$/, '');
const token = process.env.VOTER_TOKEN?.trim();

try {
  const body = token ? { option } : { option, altcha: await altchaPayload(api) };
  const res = await fetch(`${api}/api/vote`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { 'x-voter-token': token } : {}) },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  process.stdout.write(`${res.status} ${await res.text()}\n`);
  process.exit(res.ok ? 0 : 1);
} catch (e) {
  process.stderr.write(`vote failed: ${e instanceof Error ? ((e.cause as Error | undefined)?.message ?? e.message) : String(e)}\n`);
  process.exit(1);
}
