/**
 * The room walks its sockets without partyserver's per-socket attachment read (edge/src/room/open-sockets.ts).
 * That rests on two things workerd does: it hands back the same socket objects on every call, and partyserver's
 * wrapping (the connection's `id`) stays on them; and on a socket not wrapped yet (after a wake) it goes the slow
 * way once.
 */
import { evictDurableObject, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it, vi } from 'vitest';
import { pollMatchup } from '@stream-fighter/core/fixtures/matchups';
import type { Arena } from '../src/room/arena.ts';
import { OpenSockets } from '../src/room/open-sockets.ts';
import { nextLiveRound, room, vote, voterToken } from './helpers.ts';
import { connect } from './ws.ts';

type Client = Exclude<Awaited<ReturnType<typeof connect>>, Response>;

async function viewers(n: number): Promise<Client[]> {
  const out: Client[] = [];
  for (let i = 0; i < n; i++) {
    const c = await connect();
    if (c instanceof Response) throw new Error(`upgrade refused: ${c.status}`);
    await c.next('snapshot');
    out.push(c);
  }
  return out;
}

const votesIn = (m: Record<string, unknown>) => Object.values((m.round as { votes: Record<string, number> }).votes).reduce((a, n) => a + n, 0);

async function everyoneSees(clients: Client[], total: number): Promise<void> {
  for (const c of clients) {
    await vi.waitFor(
      () => {
        const last = c.messages.filter((m) => m.type === 'snapshot').at(-1);
        if (!last || votesIn(last) < total) throw new Error(`a state with ${total} votes`);
      },
      { timeout: 3_000, interval: 20 },
    );
  }
}

describe('the room walks its open sockets directly', () => {
  it('the same socket objects, wrapped once, on every call; after a wake the slow way wraps them, and viewers still get every update', async () => {
    const { pollId } = await nextLiveRound(pollMatchup(2, 'Sockets'));
    const clients = await viewers(3);
    expect((await vote('A', await voterToken(`sockets-${crypto.randomUUID().slice(0, 8)}`), { pollId })).status).toBe(200);
    await everyoneSees(clients, 1);
    const seen = await runInDurableObject(room(), (arena: Arena, state) => {
      const [a, b] = [state.getWebSockets('viewer'), state.getWebSockets('viewer')];
      const open = new OpenSockets(state, (tag) => arena.getConnections(tag)).connections('viewer');
      return { same: a.length > 0 && a.every((ws, i) => ws === b[i]), wrapped: a.every((ws) => Object.hasOwn(ws, 'id')), open: open.length, ids: open.every((c) => typeof c.id === 'string') };
    });
    expect(seen).toEqual({ same: true, wrapped: true, open: expect.any(Number), ids: true });
    expect(seen.open).toBeGreaterThanOrEqual(3);

    // Woken from hibernation, the sockets are new objects partyserver has not wrapped yet.
    await evictDurableObject(room());
    expect((await vote('B', await voterToken(`sockets-${crypto.randomUUID().slice(0, 8)}`), { pollId })).status).toBe(200);
    await everyoneSees(clients, 2);
    for (const c of clients) expect(c.closed).toBeNull();
  });
});
