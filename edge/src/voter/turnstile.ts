/** Cloudflare Turnstile server-side check. A token is single-use: one pass buys a signed voter session. */
const VERIFY_URL = 'https://challenges.cloudflare.com/turnstile/v0/siteverify';

export async function verifyTurnstile(secret: string, token: string, ip: string | null, fetcher: typeof fetch = fetch): Promise<boolean> {
  const form = new FormData();
  form.append('secret', secret);
  form.append('response', token);
  if (ip) form.append('remoteip', ip);
  const res = await fetcher(VERIFY_URL, { method: 'POST', body: form });
  if (!res.ok) return false;
  const out = (await res.json()) as { success?: unknown };
  return out.success === true;
}
