/**
 * The edge end to end: the Worker and its room in workerd (the local stack, as `npm start` runs it; under
 * `wrangler dev` with EDGE_RUNNER=wrangler), driven by the real clients a viewer page, a render node and an API caller use. The tests run in
 * order against one stack; the restart test stops and starts it, the last one checks nothing is left behind.
 */
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import PartySocket from 'partysocket';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PollResponse, Snapshot, SnapshotDelta, StreamsDesired, VoteAccepted, Welcome, type StreamReport } from '@stream-fighter/core/protocol';
import { RESYNC_MESSAGE } from '@stream-fighter/core/snapshot-delta';
import { api, goLiveWithPlainPoll, Inbox, leftoverStackProcesses, postJson, sleep, startE2eStack, voteAsNewVoter, type E2eStack } from './support.ts';

const ROOT = resolve(import.meta.dirname, '../..');

let env: E2eStack;
let livePollId: string;
const sockets = new Set<{ close(): void }>();

beforeAll(async () => {
  env = await startE2eStack();
  ({ pollId: livePollId } = await goLiveWithPlainPoll(env.stack.api, env.stack.operatorToken, `E2E snacks ${randomBytes(3).toString('hex')}`));
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await env?.teardown();
});

/** A partysocket client on the arena room, recording every message. Closed (no more reconnects) after the run. */
function connect(query?: Record<string, string>): { socket: PartySocket; inbox: Inbox } {
  const inbox = new Inbox();
  const socket = new PartySocket({
    host: new URL(env.stack.api).host,
    party: 'arena',
    room: 'main',
    WebSocket: globalThis.WebSocket,
    ...(query ? { query } : {}),
  });
  socket.addEventListener('message', (e: MessageEvent) => inbox.push(e.data));
  sockets.add(socket);
  return { socket, inbox };
}

function close(socket: PartySocket): void {
  socket.close();
  sockets.delete(socket);
}

const operator = () => ({ authorization: `Bearer ${env.stack.operatorToken}` });

/** With a session's token, or as a new voter (who solves the proof of work first). */
async function vote(option: string, voterToken?: string) {
  return voterToken ? postJson(env.stack.api, '/api/vote', { option }, { 'x-voter-token': voterToken }) : voteAsNewVoter(env.stack.api, { option });
}

describe('a viewer on partysocket', () => {
  it('gets welcome, a snapshot, then deltas; votes from the public API reach the state it keeps within 2 s, seq never going back', async () => {
    const { socket, inbox } = connect();
    inbox.onGap = () => socket.send(RESYNC_MESSAGE);
    try {
      const welcome = await inbox.waitFor((m) => m.type === 'welcome', 10_000, 0, 'welcome');
      expect(welcome.index).toBe(0);
      expect(Welcome.parse(welcome.data)).toMatchObject({ role: 'viewer' });

      Snapshot.parse((await inbox.waitFor((m) => m.type === 'snapshot', 5_000, 1, 'snapshot')).data);
      const first = inbox.states[0]!.state;
      expect(first.room).toBe('main');
      expect(first.round.pollId).toBe(livePollId);
      expect(first.round.phase).toBe('live');

      // Several distinct voters: no token: each solves a challenge, and its vote starts a new voter session.
      const cast = ['A', 'B', 'A', 'C', 'A'];
      const expected = { ...first.round.votes };
      const tokens = new Set<string>();
      const seqs: number[] = [];
      const sinceIndex = inbox.states.length;
      for (const option of cast) {
        const res = await vote(option);
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        const accepted = VoteAccepted.parse(res.body);
        expect(accepted.vote).toEqual({ pollId: livePollId, option });
        tokens.add(String(res.body.voterToken));
        seqs.push(accepted.seq);
        expected[option as 'A'] = (expected[option as 'A'] ?? 0) + 1;
      }
      const lastAcceptedAt = Date.now();
      expect(tokens.size).toBe(cast.length);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(new Set(seqs).size).toBe(seqs.length);
      expect(expected).toEqual({ A: first.round.votes.A! + 3, B: first.round.votes.B! + 1, C: first.round.votes.C! + 1 });

      const hit = await inbox.waitForState(
        (s) => JSON.stringify(s.round.votes) === JSON.stringify(expected),
        2_000 - (Date.now() - lastAcceptedAt),
        sinceIndex,
        `state with tally ${JSON.stringify(expected)}`,
      );
      expect(hit.at - lastAcceptedAt).toBeLessThanOrEqual(2_000);
      expect(hit.state.round.pollId).toBe(livePollId);
      expect(hit.state.seq).toBeGreaterThanOrEqual(seqs.at(-1)!);
      // It is the room's own state: GET /api/poll, asked now (no vote since), has the same tally.
      const poll = PollResponse.parse((await api(env.stack.api, '/api/poll')).body);
      expect(poll.round.votes).toEqual(hit.state.round.votes);

      // The votes came as deltas, each a small message, not as snapshots.
      const deltas = inbox.messages.filter((m) => m.data.type === 'delta').map((m) => SnapshotDelta.parse(m.data));
      expect(deltas.length).toBeGreaterThanOrEqual(1);
      for (const d of deltas) expect(JSON.stringify(d).length, JSON.stringify(d)).toBeLessThan(345);

      const stateSeqs = inbox.states.map((s) => s.state.seq);
      expect(stateSeqs.length).toBeGreaterThanOrEqual(2);
      // Never backwards; an equal seq is the same state sent twice (a resync answered while deltas caught up).
      for (let i = 1; i < stateSeqs.length; i++) {
        expect(stateSeqs[i], `state seqs ${stateSeqs.join(',')}`).toBeGreaterThanOrEqual(stateSeqs[i - 1]!);
        if (stateSeqs[i] === stateSeqs[i - 1]) expect(inbox.states[i]!.state.round).toEqual(inbox.states[i - 1]!.state.round);
      }
      expect(stateSeqs.at(-1)!).toBeGreaterThan(stateSeqs[0]!);
    } finally {
      close(socket);
    }
  });
});

describe('a renderer on partysocket', () => {
  it('gets the desired streams, a pushed update on POST /api/stream, and its status report shows in GET /api/stream', async () => {
    const { socket, inbox } = connect({ role: 'renderer', token: env.stack.rendererToken });
    try {
      const welcome = Welcome.parse((await inbox.waitFor((m) => m.type === 'welcome', 10_000, 0, 'welcome')).data);
      expect(welcome.role).toBe('renderer');
      const initial = await inbox.waitFor((m) => m.type === 'streams', 5_000, 0, 'streams');
      const streamKey = `e2e-${randomBytes(4).toString('hex')}`;
      expect(StreamsDesired.parse(initial.data).streams.map((s) => s.streamKey)).not.toContain(streamKey);

      const started = await postJson(env.stack.api, '/api/stream', { screenId: 'bars', streamKey }, operator());
      expect(started.status, JSON.stringify(started.body)).toBe(201);
      const pushed = await inbox.waitFor(
        (m) => m.type === 'streams' && StreamsDesired.parse(m).streams.some((s) => s.streamKey === streamKey),
        3_000,
        initial.index + 1,
        `streams with ${streamKey}`,
      );
      expect(StreamsDesired.parse(pushed.data).streams.find((s) => s.streamKey === streamKey)).toMatchObject({ screenId: 'bars', status: null });

      const report = {
        type: 'stream-status',
        v: 1,
        streams: [{ streamKey, state: 'live', fps: 30, speed: 1.01, droppedFrames: 2, restarts: 1, uptimeSec: 12.5 }],
      } satisfies StreamReport;
      socket.send(JSON.stringify(report));

      // The report is fire-and-forget over the socket: poll the API for it, briefly.
      const status = async () => {
        const listed = await api(env.stack.api, '/api/stream', { headers: operator() });
        expect(listed.status).toBe(200);
        return (listed.body.streams as Array<{ streamKey: string; status: Record<string, unknown> | null }>).find((s) => s.streamKey === streamKey)?.status;
      };
      await expect.poll(status, { timeout: 3_000, interval: 100, message: 'the status the renderer reported' }).toMatchObject({ ...report.streams[0], renderer: welcome.connectionId });
      expect(inbox.messages.some((m) => m.data.type === 'error')).toBe(false);

      const stopped = await api(env.stack.api, `/api/stream?streamKey=${streamKey}`, { method: 'DELETE', headers: operator() });
      expect(stopped.status).toBe(200);
      const gone = await inbox.waitFor(
        (m) => m.type === 'streams' && !StreamsDesired.parse(m).streams.some((s) => s.streamKey === streamKey),
        3_000,
        pushed.index + 1,
        `streams without ${streamKey}`,
      );
      expect(gone.data.type).toBe('streams');
    } finally {
      close(socket);
    }
  });

  it('is refused before the upgrade with a wrong token (401), and a WebSocket with it never opens', async () => {
    const path = '/parties/arena/main?role=renderer&token=not-the-renderer-token';
    const { port } = new URL(env.stack.api);
    const outcome = await new Promise<{ status: number; body: string } | 'upgraded'>((ok, fail) => {
      const req = http.get({
        host: '127.0.0.1',
        port,
        path,
        headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': randomBytes(16).toString('base64') },
        timeout: 10_000,
      });
      req.on('upgrade', (_res, sock) => {
        sock.destroy();
        ok('upgraded');
      });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => ok({ status: res.statusCode ?? 0, body }));
      });
      req.on('timeout', () => req.destroy(new Error('no answer within 10 s')));
      req.on('error', fail);
    });
    expect(outcome).not.toBe('upgraded');
    expect(outcome).toMatchObject({ status: 401 });
    expect(JSON.parse((outcome as { body: string }).body)).toMatchObject({ error: { code: 'unauthorized' } });

    // The same through a plain WebSocket client: it fails, never opening or receiving. (Node's WebSocket reports
    // a refused upgrade with 'error' alone and stays CONNECTING; browsers follow it with 'close'.)
    const ws = new WebSocket(`${env.stack.api.replace('http', 'ws')}${path}`);
    const events: string[] = [];
    for (const type of ['open', 'message', 'error', 'close']) ws.addEventListener(type, () => events.push(type));
    const failed = await new Promise<boolean>((ok) => {
      ws.addEventListener('error', () => ok(true));
      ws.addEventListener('close', () => ok(true));
      setTimeout(() => ok(false), 5_000);
    });
    await sleep(300);
    ws.close();
    expect(failed, `events: ${events.join(',')}`).toBe(true);
    expect(events).not.toContain('open');
    expect(events).not.toContain('message');

    // And partysocket, which keeps retrying: over a few attempts it never gets in.
    const retrying = connect({ role: 'renderer', token: 'not-the-renderer-token' });
    let opened = 0;
    retrying.socket.addEventListener('open', () => opened++);
    await sleep(2_000);
    close(retrying.socket);
    expect(opened).toBe(0);
    expect(retrying.inbox.messages).toEqual([]);

    // And the right token does open, so the refusal above is about the token.
    const good = new WebSocket(`${env.stack.api.replace('http', 'ws')}/parties/arena/main?role=renderer&token=${encodeURIComponent(env.stack.rendererToken)}`);
    const goodOpened = await new Promise<boolean>((ok) => {
      good.addEventListener('open', () => ok(true));
      good.addEventListener('error', () => ok(false));
      setTimeout(() => ok(false), 5_000);
    });
    good.close();
    expect(goodOpened).toBe(true);
  });
});

describe('health', () => {
  it('GET /api/health is 200 with the room, Redis and Postgres ok', async () => {
    const res = await api(env.stack.api, '/api/health');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ ok: true, service: 'edge', room: { ok: true, detail: { ok: true, pollId: livePollId, phase: 'live' } }, redis: { ok: true }, postgres: { ok: true } });
    expect(env.stack.backends).toEqual({
      postgres: env.backends.postgres === 'real' ? 'postgres (via local Neon endpoint)' : expect.stringMatching(/^pglite /),
      redis: env.backends.redis === 'real' ? 'redis (via local Upstash endpoint)' : 'embedded (in memory)',
    });
  });
});

describe('a restart of the whole edge', () => {
  it('keeps the live round: same pollId and tally, the voter still counted once', async () => {
    const res = await vote('B');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const voterToken = String(res.body.voterToken);
    const before = PollResponse.parse((await api(env.stack.api, '/api/poll')).body);
    expect(before.round.pollId).toBe(livePollId);
    expect(before.round.phase).toBe('live');
    expect(before.round.votes.B).toBeGreaterThanOrEqual(1);

    const base = env.stack.api;
    for (const s of sockets) s.close();
    await env.stop();
    // The stop sends SIGKILL after its grace period without waiting for the exit: allow the kernel a moment.
    await expect.poll(() => leftoverStackProcesses(env.groups), { timeout: 5_000, interval: 100, message: 'stack processes left after the stop' }).toEqual([]);
    await expect(fetch(`${base}/api/health`).then((r) => r.status, () => 'down')).resolves.toBe('down');
    // What carries the room over: the Durable Object's storage, in wrangler's persist layout under either runner.
    const persisted = join(ROOT, env.settings.DATA_DIR, 'wrangler');
    expect(existsSync(persisted) && readdirSync(persisted).length > 0).toBe(true);

    await env.start();
    const after = PollResponse.parse((await api(env.stack.api, '/api/poll', { headers: { 'x-voter-token': voterToken } })).body);
    expect(after.round.pollId).toBe(before.round.pollId);
    expect(after.round.phase).toBe('live');
    expect(after.round.votes).toEqual(before.round.votes);
    expect(after.seq).toBeGreaterThanOrEqual(before.seq);
    expect(after.myVote).toBe('B');

    const again = await vote('A', voterToken);
    expect(again.status, JSON.stringify(again.body)).toBe(409);
    expect(again.body).toMatchObject({ error: { code: 'already-voted' } });

    // The restarted room still takes votes and shows them to a new viewer.
    const fresh = await vote('C');
    expect(fresh.status, JSON.stringify(fresh.body)).toBe(200);
    const { socket, inbox } = connect();
    try {
      const snap = Snapshot.parse((await inbox.waitFor((m) => m.type === 'snapshot', 10_000, 0, 'snapshot')).data);
      expect(snap.round.pollId).toBe(before.round.pollId);
      expect(snap.round.votes).toEqual({ ...before.round.votes, C: before.round.votes.C! + 1 });
    } finally {
      close(socket);
    }
  });
});

describe('stopping the stack', () => {
  it('leaves no wrangler or workerd process behind and removes the data folder', async () => {
    const dataDir = join(ROOT, env.settings.DATA_DIR);
    // The check below must be able to see them: while the stack runs, it finds workerd (and wrangler, if it runs it).
    const running = leftoverStackProcesses(env.groups).map((p) => p.cmd);
    expect(running.some((cmd) => /workerd/.test(cmd)), running.join('\n')).toBe(true);
    if (env.stack.runner === 'wrangler') expect(running.some((cmd) => /wrangler/.test(cmd)), running.join('\n')).toBe(true);
    await env.teardown();
    // The stop sends SIGKILL after its grace period without waiting for the exit: allow the kernel a moment.
    await expect.poll(() => leftoverStackProcesses(env.groups), { timeout: 5_000, interval: 100, message: 'stack processes left after the stop' }).toEqual([]);
    expect(existsSync(dataDir)).toBe(false);
  });
});
