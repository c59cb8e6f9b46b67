import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { issueTicket } from '../src/voter/ticket.ts';
import { pollMatchup } from '@stream-fighter/core/fixtures/matchups';
import { call, currentPoll, goLive, nextLiveRound, postJson, solvedAltcha, vote, voterToken } from './helpers.ts';

/**
 * Who may vote, and how much one source can weigh: proof of work per new voter, one voter per proof, and the
 * per-address caps of a round. The caps are the defaults (12 votes per address per round, 3 of them through the
 * no-JavaScript path, 20 new sessions per address per hour): the tests use them as a stranger would meet them.
 */
const CAP = 12;
const CAP_NOJS = 3;

const codeOf = async (r: Response) => ((await r.json()) as { error?: { code: string } }).error?.code ?? 'ok';
/** A random address, so runs against a Redis that keeps its windows between runs never share a bucket. */
const randomV4 = () => `203.0.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 254)}`;
const randomPrefix64 = () => `2001:db8:${Math.floor(Math.random() * 0xffff).toString(16)}:${Math.floor(Math.random() * 0xffff).toString(16)}`;
const hex = () => Math.floor(Math.random() * 0xffff).toString(16);

function formPost(body: Record<string, string>, ip: string): Promise<Response> {
  return call('/api/vote', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', 'cf-connecting-ip': ip },
    body: new URLSearchParams(body).toString(),
    redirect: 'manual',
  });
}

describe('a new voter costs a solved challenge', () => {
  beforeEach(async () => {
    await nextLiveRound(pollMatchup(3));
  });

  it('GET /api/challenge answers altcha-lib\'s own challenge, never cached', async () => {
    const res = await call('/api/challenge');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as { parameters: Record<string, unknown>; signature: string };
    expect(body.parameters).toMatchObject({ algorithm: 'PBKDF2/SHA-256', cost: 10 });
    expect(body.parameters.expiresAt).toBeGreaterThan(Date.now() / 1000);
    expect(body.signature).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a double tap: five copies of a first vote sent at once are one voter, counted once', async () => {
    const before = await currentPoll();
    const altcha = await solvedAltcha();
    const ip = randomV4();
    const responses = await Promise.all(Array.from({ length: 5 }, () => vote('A', undefined, { altcha }, { 'cf-connecting-ip': ip })));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409, 409, 409, 409]);
    // Every copy was issued the same voter.
    const ids = new Set(responses.map((r) => /sf_voter=v1\.([^.]+)\./.exec(r.headers.get('set-cookie') ?? '')?.[1]));
    expect(ids.size).toBe(1);
    const after = await currentPoll();
    expect(after.round.votes.A ?? 0).toBe((before.round.votes.A ?? 0) + 1);
  });

  it('100 fresh clients each sending 5 concurrent copies of their first vote: 100 votes, one each', async () => {
    const before = await currentPoll();
    const clients = await Promise.all(Array.from({ length: 100 }, async () => ({ altcha: await solvedAltcha(), ip: randomV4() })));
    const responses = await Promise.all(clients.flatMap((c) => Array.from({ length: 5 }, () => vote('B', undefined, { altcha: c.altcha }, { 'cf-connecting-ip': c.ip }))));
    const statuses = responses.map((r) => r.status);
    await Promise.all(responses.map((r) => r.body?.cancel()));
    expect(statuses.filter((s) => s === 200).length).toBe(100);
    expect(statuses.filter((s) => s !== 200 && s !== 409)).toEqual([]);
    expect((await currentPoll()).round.votes.B ?? 0).toBe((before.round.votes.B ?? 0) + 100);
  });

  it('a double-submitted form without JavaScript is one voter', async () => {
    const ticket = await issueTicket(env.VOTER_SECRET, Math.floor(Date.now() / 1000));
    const ip = randomV4();
    const [a, b] = await Promise.all([formPost({ option: 'C', ticket }, ip), formPost({ option: 'C', ticket }, ip)]);
    const locations = [a.headers.get('location'), b.headers.get('location')].sort();
    expect([a.status, b.status]).toEqual([303, 303]);
    expect(locations).toEqual(['/?error=already-voted', '/?voted=C']);
  });

  it('a solved challenge wins over a ticket sent with it: the session is not held to the no-JavaScript cap', async () => {
    const ticket = await issueTicket(env.VOTER_SECRET, Math.floor(Date.now() / 1000));
    const res = await vote('A', undefined, { ticket, altcha: await solvedAltcha() }, { 'cf-connecting-ip': randomV4() });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { voterToken: string }).voterToken).toMatch(/^v1\.p-/);
  });

  it('a tampered or expired ticket mints nothing', async () => {
    const ticket = await issueTicket(env.VOTER_SECRET, Math.floor(Date.now() / 1000));
    const tampered = `${ticket.slice(0, -2)}${ticket.endsWith('AA') ? 'BB' : 'AA'}`;
    const old = await issueTicket(env.VOTER_SECRET, Math.floor(Date.now() / 1000) - 2 * 3600);
    for (const t of [tampered, old]) {
      const res = await postJson('/api/vote', { option: 'A', ticket: t }, { 'cf-connecting-ip': randomV4() });
      expect(res.status).toBe(403);
      expect(await codeOf(res)).toBe('ticket-invalid');
    }
  });
});

describe('per-address caps', () => {
  beforeEach(async () => {
    await nextLiveRound(pollMatchup(3));
  });

  it('one cookie-less client that solves a challenge for every vote lands at most the cap in a round', async () => {
    const ip = randomV4();
    const before = await currentPoll();
    const codes: string[] = [];
    for (let i = 0; i < CAP + 8; i++) {
      codes.push(await codeOf(await vote('A', undefined, { altcha: await solvedAltcha() }, { 'cf-connecting-ip': ip })));
    }
    expect(codes.filter((c) => c === 'ok').length).toBe(CAP);
    expect(new Set(codes.slice(CAP))).toEqual(new Set(['address-limit']));
    expect((await currentPoll()).round.votes.A ?? 0).toBe((before.round.votes.A ?? 0) + CAP);
  });

  it('the same client through the no-JavaScript path lands at most its stricter cap', async () => {
    const ip = randomV4();
    const codes: string[] = [];
    for (let i = 0; i < CAP_NOJS + 5; i++) {
      const ticket = await issueTicket(env.VOTER_SECRET, Math.floor(Date.now() / 1000));
      codes.push(await codeOf(await postJson('/api/vote', { option: 'B', ticket }, { 'cf-connecting-ip': ip })));
    }
    expect(codes.filter((c) => c === 'ok').length).toBe(CAP_NOJS);
    expect(new Set(codes.slice(CAP_NOJS))).toEqual(new Set(['address-limit']));
  });

  it('a thousand addresses in one IPv6 /64 are one address', async () => {
    const prefix = randomPrefix64();
    const before = await currentPoll();
    const statuses: Record<string, number> = {};
    // Sessions minted up front (their own cap is per hour), votes all at once from 1,000 addresses of the /64.
    const tokens = await Promise.all(Array.from({ length: 1000 }, (_, i) => voterToken(`six4-${i}-${crypto.randomUUID().slice(0, 8)}`)));
    const responses = await Promise.all(tokens.map((t) => vote('C', t, {}, { 'cf-connecting-ip': `${prefix}:${hex()}:${hex()}:${hex()}:${hex()}` })));
    for (const r of responses) {
      const code = await codeOf(r);
      statuses[code] = (statuses[code] ?? 0) + 1;
    }
    expect(statuses.ok).toBe(CAP);
    expect(statuses['address-limit']).toBe(1000 - CAP);
    expect((await currentPoll()).round.votes.C ?? 0).toBe((before.round.votes.C ?? 0) + CAP);
  });

  it('new sessions from one /64 stop at the hourly cap, whatever the address inside it', async () => {
    const prefix = randomPrefix64();
    const codes: string[] = [];
    for (let i = 0; i < 24; i++) {
      const ip = `${prefix}:${hex()}:${hex()}:${hex()}:${hex()}`;
      const res = await vote('A', undefined, { altcha: await solvedAltcha() }, { 'cf-connecting-ip': ip });
      codes.push(await codeOf(res));
    }
    // 20 sessions per hour: the first 12 votes land, 8 more sessions hit the vote cap, then no more sessions.
    expect(codes.slice(0, CAP)).toEqual(Array(CAP).fill('ok'));
    expect(codes.slice(CAP, 20)).toEqual(Array(20 - CAP).fill('address-limit'));
    expect(codes.slice(20)).toEqual(Array(4).fill('too-many-sessions'));
  });

  it('honest distinct voters are not refused: 300 voters on 300 addresses, IPv4 and IPv6', async () => {
    const before = await currentPoll();
    const voters = await Promise.all(
      Array.from({ length: 300 }, async (_, i) => ({ altcha: await solvedAltcha(), ip: i % 2 ? randomV4() : `${randomPrefix64()}::1` })),
    );
    const responses = await Promise.all(voters.map((v) => vote('B', undefined, { altcha: v.altcha }, { 'cf-connecting-ip': v.ip })));
    const codes = await Promise.all(responses.map(codeOf));
    // Two random addresses may collide, but no address gets near the cap here: every voter must be counted.
    expect(codes.filter((c) => c === 'ok').length).toBe(300);
    expect((await currentPoll()).round.votes.B ?? 0).toBe((before.round.votes.B ?? 0) + 300);
  });

  it('is for viewers only: a bridge token votes for no platform account, and any Authorization header is ignored', async () => {
    const bridge = { authorization: `Bearer ${env.BRIDGE_TOKEN}`, 'cf-connecting-ip': randomV4() };
    // Chat votes go in batches to /api/chat/votes, which checks each line's round; here `voter` is an unknown field.
    expect(await codeOf(await postJson('/api/vote', { option: 'A', voter: `twitch:${crypto.randomUUID().slice(0, 8)}` }, bridge))).toBe('invalid-body');
    // The bridge's token is no voter session: a new voter still shows a solved challenge.
    expect(await codeOf(await postJson('/api/vote', { option: 'A' }, bridge))).toBe('challenge-required');
    for (const authorization of [`Bearer ${env.BRIDGE_TOKEN}`, 'Bearer wrong-token-0123456789']) {
      const res = await vote('B', undefined, { altcha: await solvedAltcha() }, { authorization, 'cf-connecting-ip': randomV4() });
      expect(await codeOf(res), authorization.slice(0, 12)).toBe('ok');
    }
  });
});

describe('votes come only from the site itself', () => {
  beforeEach(async () => {
    await goLive();
  });

  const foreign = [
    ['a foreign Origin', { origin: 'https://evil.example' }],
    ['a null Origin (sandboxed frame)', { origin: 'null' }],
    ['Sec-Fetch-Site: cross-site without Origin', { 'sec-fetch-site': 'cross-site' }],
  ] as const;

  it.each(foreign)('%s is refused with 403 and counts nothing', async (_name, headers) => {
    const before = await currentPoll();
    for (const path of ['/api/vote', '/api/shoutout']) {
      const json = await postJson(path, { option: 'A', user: 'x', message: 'y' }, { ...headers, 'x-voter-token': await voterToken(`xs-${crypto.randomUUID().slice(0, 8)}`) });
      expect(json.status).toBe(403);
      expect(await codeOf(json)).toBe('cross-site');
      const form = await call(path, { method: 'POST', headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, body: 'option=A' });
      expect(form.status).toBe(403);
    }
    expect((await currentPoll()).round.votes).toEqual(before.round.votes);
  });

  it('the site\'s own origins and clients without an Origin pass', async () => {
    const callers: Array<Record<string, string>> = [{ origin: 'https://vote.example' }, { origin: 'https://sf.test', 'sec-fetch-site': 'same-origin' }, {}];
    for (const headers of callers) {
      const res = await postJson('/api/vote', { option: 'A' }, { ...headers, 'x-voter-token': await voterToken(`ok-${crypto.randomUUID().slice(0, 8)}`), 'cf-connecting-ip': randomV4() });
      expect(res.status).toBe(200);
    }
  });

  it.each([
    ['text/plain', '{"option":"A"}'],
    ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="option"\r\n\r\nA\r\n--x--\r\n'],
    ['', '{"option":"A"}'],
  ])('a %s body gets 415', async (type, body) => {
    const headers: Record<string, string> = { 'x-voter-token': await voterToken(`mt-${crypto.randomUUID().slice(0, 8)}`) };
    if (type) headers['content-type'] = type;
    for (const path of ['/api/vote', '/api/shoutout']) {
      const res = await call(path, { method: 'POST', headers, body });
      expect(res.status).toBe(415);
      expect(await codeOf(res)).toBe('unsupported-media-type');
    }
  });
});

describe('bodies are read as streams with a byte cap', () => {
  it('a 200 MB chunked body is refused after the cap, without being read whole', async () => {
    let pulled = 0;
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled >= 200 * 1024 * 1024) return controller.close();
        pulled += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const res = await call('/api/vote', { method: 'POST', headers: { 'content-type': 'application/json' }, body, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
    expect(await codeOf(res)).toBe('body-too-large');
    // The stream was abandoned after the first chunks, not drained.
    expect(pulled).toBeLessThan(1024 * 1024);
  });
});
