/**
 * The no-JavaScript way to a voter session: the Worker writes a one-time ticket into the vote page's form each
 * time it renders it, `t1.<nonce>.<issuedAtSec>.<hmac>`. Posting the form with it mints the voter derived from the
 * nonce, so a double-submitted form is one voter. A ticket costs no work to get (fetch the page again), which is
 * why such sessions are held to the stricter per-address cap in the room.
 */
import { timingSafeEqual } from 'hono/utils/buffer';
import { b64url, hmac } from '../http/hmac.ts';

async function mac(secret: string, body: string): Promise<string> {
  return b64url(await hmac(`ticket:${secret}`, body));
}

export async function issueTicket(secret: string, nowSec: number): Promise<string> {
  const body = `t1.${b64url(crypto.getRandomValues(new Uint8Array(16)))}.${nowSec}`;
  return `${body}.${await mac(secret, body)}`;
}

/** The ticket's nonce when it is well-formed, signed here and younger than `maxAgeSec`; otherwise null. */
export async function verifyTicket(secret: string, ticket: string, nowSec: number, maxAgeSec: number): Promise<string | null> {
  const m = /^t1\.([A-Za-z0-9_-]{22})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(ticket);
  if (!m) return null;
  const [, nonce, issued, sig] = m as unknown as [string, string, string, string];
  const age = nowSec - Number(issued);
  if (age < -300 || age > maxAgeSec) return null;
  return (await timingSafeEqual(sig, await mac(secret, `t1.${nonce}.${issued}`))) ? nonce : null;
}
