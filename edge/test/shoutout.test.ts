import { env } from 'cloudflare:test';
import { ChatVoteResult, PENDING_SHOUTOUTS_MAX, type ChatVote, type ChatVoteBatch } from '@stream-fighter/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { call, goLive, nextLiveRound, OPERATOR, postJson, room, vote, voterToken } from './helpers.ts';
import { connect } from './ws.ts';

type Client = Exclude<Awaited<ReturnType<typeof connect>>, Response>;
type Shout = { id: string; user: string; message: string; voterId?: string };
type Moderation = { type: 'moderation'; pending: Shout[]; autoApprove: boolean };
type Snapshot = { type: 'snapshot'; seq: number; shoutouts: Shout[] };

const open: Client[] = [];
async function join(query = ''): Promise<Client> {
  const c = await connect(query);
  if (c instanceof Response) throw new Error(`upgrade refused: ${c.status} ${await c.text()}`);
  open.push(c);
  return c;
}
const operator = () => join(`?role=operator&token=${env.OPERATOR_TOKEN}`);

/**
 * The latest message of a type, once it satisfies `ok`; the failure says what was waited for. The latest one is
 * enough: snapshots and moderation messages each carry the whole state, not a change.
 */
function until<T>(client: Client, type: string, ok: (m: T) => boolean, what: string, timeout = 5_000): Promise<T> {
  return vi.waitFor(
    () => {
      const latest = client.messages.filter((m) => m.type === type).at(-1) as T | undefined;
      if (latest === undefined || !ok(latest)) throw new Error(`no ${type} message with ${what} within ${timeout} ms`);
      return latest;
    },
    { timeout, interval: 20 },
  );
}

/** What a viewer connecting now is shown. */
async function viewerSees(): Promise<string[]> {
  const viewer = await join();
  const snap = (await viewer.next('snapshot')) as unknown as Snapshot;
  viewer.ws.close();
  return snap.shoutouts.map((s) => s.id);
}

let n = 0;
/** Each from an address of its own, so the per-address shout-out limit stays out of the way. */
function shout(token: string | null, message: string, user = 'Rosa'): Promise<Response> {
  n++;
  const headers: Record<string, string> = { 'cf-connecting-ip': `198.51.100.${n % 250}` };
  if (token) headers['x-voter-token'] = token;
  return postJson('/api/shoutout', { user, message }, headers);
}
async function sent(token: string, message: string): Promise<{ id: string; status: string; code: number }> {
  const res = await shout(token, message);
  const body = (await res.json()) as { shoutout?: { id: string }; status?: string; error?: unknown };
  if (!body.shoutout) throw new Error(`shout-out refused: ${res.status} ${JSON.stringify(body)}`);
  return { id: body.shoutout.id, status: body.status ?? '', code: res.status };
}
const setAutoApprove = (autoApprove: boolean) => postJson('/api/shoutouts/settings', { autoApprove }, OPERATOR);
const newVoter = () => voterToken(`v-${crypto.randomUUID().slice(0, 12)}`);

/** The moderation log's row, read straight from Postgres through the Neon-HTTP stand-in. */
async function logRow(id: string): Promise<{ status: string; voter_id: string; ip_hash: string } | null> {
  const res = await fetch(env.NEON_HTTP_ENDPOINT!, { method: 'POST', body: JSON.stringify({ query: 'select status, voter_id, ip_hash from shoutouts where id = $1', params: [id] }) });
  const body = (await res.json()) as { rows: unknown[][]; fields: Array<{ name: string }> };
  const row = body.rows[0];
  return row ? (Object.fromEntries(body.fields.map((f, i) => [f.name, row[i]])) as { status: string; voter_id: string; ip_hash: string }) : null;
}

beforeEach(async () => {
  expect((await setAutoApprove(false)).status).toBe(200);
});
afterEach(() => {
  for (const c of open.splice(0)) c.ws.close();
});

describe('shout-outs wait for an operator', () => {
  it('need a voter session', async () => {
    const none = await shout(null, 'hello');
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe('voter-required');
    expect((await shout('v1.forged.1.sig', 'hello')).status).toBe(401);
  });

  it('a pending one is pushed to the operator at once and is not on air until approved', async () => {
    const op = await operator();
    const first = (await op.next('moderation')) as unknown as Moderation;
    expect(first.autoApprove).toBe(false);

    const voter = await newVoter();
    const { id, status, code } = await sent(voter, 'Go Taco! (pending)');
    expect([code, status]).toEqual([202, 'pending']);
    const pushed = await until<Moderation>(op, 'moderation', (m) => m.pending.some((s) => s.id === id), `shout-out ${id} pending`);
    expect(pushed.pending.find((s) => s.id === id)).toMatchObject({ user: 'Rosa', message: 'Go Taco! (pending)', voterId: expect.any(String) });
    expect(await viewerSees()).not.toContain(id);

    const viewer = await join();
    await viewer.next('snapshot');
    const approved = await call(`/api/shoutouts/${id}/approve`, { method: 'POST', headers: OPERATOR });
    expect(approved.status).toBe(200);
    await until<Snapshot>(viewer, 'snapshot', (s) => s.shoutouts.some((x) => x.id === id), `shout-out ${id} on air`);
    await until<Moderation>(op, 'moderation', (m) => !m.pending.some((s) => s.id === id), `shout-out ${id} gone from the queue`);
    expect((await logRow(id))?.status).toBe('visible');
    // Approved once: a second approval finds nothing waiting.
    expect((await call(`/api/shoutouts/${id}/approve`, { method: 'POST', headers: OPERATOR })).status).toBe(404);
  });

  it('a rejected one never airs', async () => {
    const op = await operator();
    const { id } = await sent(await newVoter(), 'reject me');
    await until<Moderation>(op, 'moderation', (m) => m.pending.some((s) => s.id === id), `shout-out ${id} pending`);
    expect((await call(`/api/shoutouts/${id}/reject`, { method: 'POST', headers: OPERATOR })).status).toBe(200);
    await until<Moderation>(op, 'moderation', (m) => !m.pending.some((s) => s.id === id), `shout-out ${id} gone from the queue`);
    expect((await call(`/api/shoutouts/${id}/approve`, { method: 'POST', headers: OPERATOR })).status).toBe(404);
    expect(await viewerSees()).not.toContain(id);
    expect((await logRow(id))?.status).toBe('rejected');
  });

  it('auto-approval, switched on by the operator, puts one on air at once', async () => {
    const op = await operator();
    await op.next('moderation');
    const on = await setAutoApprove(true);
    expect(await on.json()).toEqual({ autoApprove: true });
    await until<Moderation>(op, 'moderation', (m) => m.autoApprove, 'autoApprove on');
    expect(await (await call('/api/shoutouts/settings', { headers: OPERATOR })).json()).toEqual({ autoApprove: true });

    const { id, status, code } = await sent(await newVoter(), 'straight to air');
    expect([code, status]).toEqual([201, 'visible']);
    expect(await viewerSees()).toContain(id);
    expect((await logRow(id))?.status).toBe('visible');
  });

  it('the setting is the operator\'s: a bad body is a 400, and the route needs the operator token', async () => {
    expect((await postJson('/api/shoutouts/settings', { autoApprove: 'yes' }, OPERATOR)).status).toBe(400);
    expect((await postJson('/api/shoutouts/settings', { autoApprove: true })).status).toBe(401);
    for (const path of ['/api/shoutouts/00000000-0000-0000-0000-000000000000/approve', '/api/shoutouts/00000000-0000-0000-0000-000000000000/reject', '/api/voters/abc/ban']) {
      expect((await call(path, { method: 'POST' })).status, path).toBe(401);
    }
  });

  it('hide takes an aired one off, and the log stores the voter and a keyed address hash, never the address', async () => {
    await setAutoApprove(true);
    const voter = `v-${crypto.randomUUID().slice(0, 12)}`;
    const res = await postJson('/api/shoutout', { user: 'Rosa', message: 'hide me later' }, { 'x-voter-token': await voterToken(voter), 'cf-connecting-ip': '203.0.113.77' });
    const { shoutout } = (await res.json()) as { shoutout: { id: string } };
    expect(await viewerSees()).toContain(shoutout.id);
    expect((await call(`/api/shoutouts/${shoutout.id}/hide`, { method: 'POST', headers: OPERATOR })).status).toBe(200);
    expect(await viewerSees()).not.toContain(shoutout.id);
    const row = await logRow(shoutout.id);
    expect(row).toMatchObject({ status: 'hidden', voter_id: voter });
    expect(row?.ip_hash).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.stringify(row)).not.toContain('203.0.113');
  });
});

describe('the queue cannot be locked by a few senders', () => {
  it('one waits per voter: a second is a 429 already-pending until the first is decided; others go on', async () => {
    const voter = await newVoter();
    const { id } = await sent(voter, 'first, waiting');
    const second = await shout(voter, 'second, too soon');
    expect(second.status).toBe(429);
    expect(await second.json()).toMatchObject({ error: { code: 'already-pending', message: expect.stringMatching(/still waiting for the operator/) } });
    expect((await shout(await newVoter(), 'another voter')).status).toBe(202);
    expect((await call(`/api/shoutouts/${id}/reject`, { method: 'POST', headers: OPERATOR })).status).toBe(200);
    expect((await shout(voter, 'after the decision')).status).toBe(202);
  });

  it(`holds at most PENDING_SHOUTOUTS_MAX (${PENDING_SHOUTOUTS_MAX}) in all: then 429 queue-full`, async () => {
    const waiting = ((await (await call('/api/shoutouts', { headers: OPERATOR })).json()) as { pending: Shout[] }).pending.length;
    // Straight into the room (one voter each), past the address limits that would stop this many HTTP senders.
    const filler = Array.from({ length: PENDING_SHOUTOUTS_MAX - waiting }, (_, i) => ({ id: crypto.randomUUID(), user: 'Filler', message: `filler ${i}`, at: Date.now() }));
    try {
      for (const s of filler) expect(await room().addShoutout(s, `filler-${s.id.slice(0, 8)}`)).toEqual({ ok: true, status: 'pending' });
      const full = await shout(await newVoter(), 'one too many');
      expect(full.status).toBe(429);
      expect(((await full.json()) as { error: { code: string } }).error.code).toBe('queue-full');
    } finally {
      for (const s of filler) await room().rejectShoutout(s.id);
    }
    expect((await shout(await newVoter(), 'room again')).status).toBe(202);
  });
});

describe('banning a voter', () => {
  it('drops what they have waiting and refuses their shout-outs and votes (403 banned); others go on', async () => {
    const op = await operator();
    const id = `v-${crypto.randomUUID().slice(0, 12)}`;
    const troll = await voterToken(id);
    const { id: waiting } = await sent(troll, 'troll one');
    await until<Moderation>(op, 'moderation', (m) => m.pending.some((s) => s.id === waiting && s.voterId === id), `the troll's shout-out pending`);

    const ban = await call(`/api/voters/${id}/ban`, { method: 'POST', headers: OPERATOR });
    expect(ban.status).toBe(200);
    expect(await ban.json()).toMatchObject({ voterId: id, banned: true, rejected: [waiting] });
    await until<Moderation>(op, 'moderation', (m) => !m.pending.some((s) => s.id === waiting), `the troll's shout-out dropped`);
    expect((await logRow(waiting))?.status).toBe('rejected');

    const again = await shout(troll, 'troll two');
    expect(again.status).toBe(403);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('banned');

    await goLive();
    const banned = await vote('A', troll);
    expect(banned.status).toBe(403);
    expect(((await banned.json()) as { error: { code: string } }).error.code).toBe('banned');
    expect((await vote('A', await newVoter())).status).toBe(200);
    expect((await shout(await newVoter(), 'still welcome')).status).toBe(202);

    // Unbanned, the voter may vote again.
    expect((await call(`/api/voters/${id}/ban`, { method: 'DELETE', headers: OPERATOR })).status).toBe(200);
    expect((await call(`/api/voters/${id}/ban`, { method: 'DELETE', headers: OPERATOR })).status).toBe(404);
    expect((await vote('A', troll)).status).toBe(200);
  });

  it('takes their aired shout-outs off the air', async () => {
    await setAutoApprove(true);
    const id = `v-${crypto.randomUUID().slice(0, 12)}`;
    const { id: aired } = await sent(await voterToken(id), 'aired before the ban');
    expect(await viewerSees()).toContain(aired);
    const ban = await call(`/api/voters/${id}/ban`, { method: 'POST', headers: OPERATOR });
    expect(await ban.json()).toMatchObject({ hidden: [aired] });
    expect(await viewerSees()).not.toContain(aired);
  });

  it('bans and erases a chat account (twitch:…) as it does a site session', async () => {
    const live = await goLive();
    const account = `twitch:${crypto.randomUUID().slice(0, 8)}`;
    const bridge = { authorization: `Bearer ${env.BRIDGE_TOKEN}` };
    // The account's `!a` in chat, sent 1 ms into the round, as the chat bridge relays it.
    const bridged = async (round: { liveAt: number }) => {
      const vote: ChatVote = { id: crypto.randomUUID(), voter: account, name: 'chatter', line: '!a', at: round.liveAt + 1 };
      const res = await postJson('/api/chat/votes', { source: 'twitch:shoutout_tests', votes: [vote] } satisfies ChatVoteBatch, bridge);
      expect(res.status).toBe(200);
      return ChatVoteResult.parse(await res.json());
    };
    expect(await bridged(live)).toMatchObject({ counted: 1 });

    const ban = await call(`/api/voters/${account}/ban`, { method: 'POST', headers: OPERATOR });
    expect(ban.status).toBe(200);
    expect(await ban.json()).toMatchObject({ voterId: account, banned: true });
    const next = await nextLiveRound();
    expect(next.pollId).not.toBe(live.pollId);
    // A banned account's chat vote is ignored, as a banned session's site vote is refused.
    expect(await bridged(next)).toMatchObject({ counted: 0, ignored: 1 });
    expect((await call(`/api/voters/${account}/ban`, { method: 'DELETE', headers: OPERATOR })).status).toBe(200);

    const erased = await call(`/api/voters/${account}`, { method: 'DELETE', headers: OPERATOR });
    expect(erased.status).toBe(200);
    // Its vote in the finished round goes; the ban kept it from voting in this one.
    expect(await erased.json()).toMatchObject({ voterId: account, deleted: { votes: 1 }, keptUntilRoundEnds: { votes: 0 } });
  });

  it('refuses a malformed voter id with a 400', async () => {
    const res = await call(`/api/voters/${encodeURIComponent('bad id!')}/ban`, { method: 'POST', headers: OPERATOR });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid-id');
  });
});

describe('the filter at the edge', () => {
  it.each(['evil . com', 'evil[.]com', 'evil。com', '＠bob', 'еvil.соm', 'e v i l . c o m', 'he\u0301\u0302\u0303\u0304llo'])('refuses %s with 422', async (message) => {
    const res = await shout(await newVoter(), message);
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('refused');
  });

  it('lets a normal message through', async () => {
    expect((await shout(await newVoter(), '¡Vamos Ramen! Great fight.')).status).toBe(202);
  });
});
