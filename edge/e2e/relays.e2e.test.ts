/**
 * Relays on the local stack, in workerd as `npm start` runs them: past RELAY_AFTER_VIEWERS the Worker sends new
 * viewers to the relay the Arena names, the Arena feeds it once per update, and its viewers see what the Arena's
 * see; after a restart of the whole edge they are back (partysocket reconnects) and still fed.
 */
import { randomBytes } from 'node:crypto';
import PartySocket from 'partysocket';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PollResponse, type Snapshot } from '@stream-fighter/core';
import { RESYNC_MESSAGE } from '@stream-fighter/core/snapshot-delta';
import { api, goLiveWithPlainPoll, Inbox, startE2eStack, voteAsNewVoter, type E2eStack } from './support.ts';

let env: E2eStack;
const viewers: Array<{ socket: PartySocket; inbox: Inbox }> = [];

beforeAll(async () => {
  // The Arena keeps one viewer; every one after goes to a relay (all from 127.0.0.1 here: one relay).
  env = await startE2eStack({ RELAY_AFTER_VIEWERS: '1', RELAY_COUNT: '2' });
  await goLiveWithPlainPoll(env.stack.api, env.stack.operatorToken, `Relayed ${randomBytes(3).toString('hex')}`);
});

afterAll(async () => {
  for (const v of viewers) v.socket.close();
  await env?.teardown();
});

function viewer(): { socket: PartySocket; inbox: Inbox } {
  const inbox = new Inbox();
  const socket = new PartySocket({
    host: new URL(env.stack.api).host,
    party: 'arena',
    room: 'main',
    WebSocket: globalThis.WebSocket,
    // Back quickly after the restart below: the test measures the reconnect, not partysocket's backoff.
    minReconnectionDelay: 100,
    maxReconnectionDelay: 500,
  });
  inbox.onGap = () => socket.send(RESYNC_MESSAGE);
  socket.addEventListener('message', (e: MessageEvent) => inbox.push(e.data));
  const v = { socket, inbox };
  viewers.push(v);
  return v;
}

const total = (s: Snapshot) => Object.values(s.round.votes).reduce<number>((a, b) => a + (b ?? 0), 0);
const poll = async () => PollResponse.parse((await api(env.stack.api, '/api/poll')).body);

async function allSee(votes: number, since: number[], timeoutMs: number): Promise<void> {
  await Promise.all(viewers.map((v, i) => v.inbox.waitForState((s) => total(s) >= votes, timeoutMs, since[i] ?? 0, `viewer ${i} holding ${votes} votes`)));
}

describe('relays on the local stack', () => {
  it('viewers past the threshold are relayed, fed by the Arena, and see every vote', async () => {
    for (let i = 0; i < 4; i++) {
      const v = viewer();
      await v.inbox.waitFor((m) => m.type === 'snapshot', 10_000, 0, `viewer ${i}'s first snapshot`);
    }
    const health = (await api(env.stack.api, '/api/health?deep=1', { headers: { authorization: `Bearer ${env.stack.operatorToken}` } })).body as {
      room: { detail: { connections: { viewer: number }; relays: number[] } };
    };
    // The Arena holds the first viewer only; the others are on one relay.
    expect(health.room.detail.connections.viewer).toBe(1);
    expect(health.room.detail.relays).toHaveLength(1);
    for (let i = 0; i < 3; i++) {
      const since = viewers.map((v) => v.inbox.states.length);
      const res = await voteAsNewVoter(env.stack.api, { option: 'ABC'[i]! });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      await allSee(total((await poll()) as unknown as Snapshot), since, 3_000);
    }
    // The relayed viewers got deltas, not snapshots, for those votes.
    expect(viewers[3]!.inbox.messages.some((m) => m.data.type === 'delta')).toBe(true);
  });

  it('after a restart of the whole edge, every viewer is back within its reconnect and still sees votes', async () => {
    await env.stop();
    // Down now: nothing more arrives until the edge is back, so any state from here on came after the restart.
    const from = viewers.map((v) => v.inbox.states.length);
    const welcomes = viewers.map((v) => v.inbox.messages.filter((m) => m.data.type === 'welcome').length);
    const restartAt = Date.now();
    await env.start();
    const upAfter = Date.now() - restartAt;
    await Promise.all(viewers.map((v, i) => v.inbox.waitForState(() => true, 10_000, from[i], `viewer ${i} back with a state`)));
    // Each came back on a new connection (a welcome of its own), not on a socket that outlived the edge.
    viewers.forEach((v, i) => expect(v.inbox.messages.filter((m) => m.data.type === 'welcome').length).toBe(welcomes[i]! + 1));
    const backAfter = Date.now() - restartAt;
    process.stdout.write(`[relays] edge back after ${upAfter} ms, every viewer holding a state after ${backAfter} ms\n`);
    expect(backAfter - upAfter).toBeLessThan(3_000);
    const since = viewers.map((v) => v.inbox.states.length);
    const res = await voteAsNewVoter(env.stack.api, { option: 'B' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    await allSee(total((await poll()) as unknown as Snapshot), since, 3_000);
  });
});
