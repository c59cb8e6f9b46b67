/**
 * The room client against the real Worker and Arena room (the local stack, in workerd): renderer auth, the
 * welcome/snapshot/streams sequence, an operator's POST /api/stream pushed to the renderer, and the client's
 * periodic report showing up in GET /api/stream.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot, StreamEntry, StreamStatus } from '@stream-fighter/core';
import { connectRoom, type RoomClient } from '../../src/service/room-client.ts';
import { createLogger } from '../../src/service/log.ts';
import { until } from '@stream-fighter/devstack/test-support/until';
import { operatorApi, startEdge } from './edge-stack.ts';

let edge: Awaited<ReturnType<typeof startEdge>>;
const clients: RoomClient[] = [];

beforeAll(async () => {
  edge = await startEdge();
}, 120_000);

afterAll(async () => {
  for (const c of clients) c.close();
  await edge?.teardown();
});

function client(token: string, statuses?: () => StreamStatus[]) {
  const lines: string[] = [];
  const snapshots: Snapshot[] = [];
  const desired: StreamEntry[][] = [];
  const room = connectRoom({
    edgeUrl: edge.api,
    room: 'main',
    token,
    node: 'edge-test-node',
    capacity: 2,
    log: createLogger({ level: 'debug', write: (l) => lines.push(l), secrets: [token] }),
    onSnapshot: (s) => snapshots.push(s),
    onStreams: (s) => desired.push(s),
    ...(statuses ? { statuses, reportEveryMs: 200 } : {}),
    minReconnectionDelay: 200,
    maxReconnectionDelay: 1_000,
  });
  clients.push(room);
  return { room, lines, snapshots, desired };
}

describe('room client on the real Worker', () => {
  it('is refused with a wrong renderer token and never sees a snapshot', async () => {
    const c = client('not-the-renderer-token-at-all');
    await new Promise((r) => setTimeout(r, 2_000));
    expect(c.room.state).toBe('reconnecting');
    expect(c.snapshots).toEqual([]);
    expect(c.lines.join('\n')).not.toContain('not-the-renderer-token-at-all');
    c.room.close();
  });

  it('subscribes as a renderer, gets the desired streams pushed, and its report reaches GET /api/stream', async () => {
    const streamKey = `rt-${Date.now().toString(36)}`;
    let reported: StreamStatus[] = [];
    const c = client(edge.rendererToken, () => reported);
    await until('connected', () => c.room.state === 'connected', 10_000);
    await until('a snapshot', () => c.snapshots.length > 0, 10_000);
    await until('the initial streams', () => c.desired.length > 0, 10_000);
    expect(c.room.connectionId).toMatch(/.+/);
    expect(c.snapshots[0]!.room).toBe('main');
    expect(Math.abs(c.room.lagMs!)).toBeLessThan(5_000);

    const started = await operatorApi(edge, '/api/stream', { method: 'POST', body: JSON.stringify({ screenId: 'bars', streamKey }) });
    expect(started.status).toBe(201);
    const pushed = await until('the pushed stream', () => c.desired.find((list) => list.some((s) => s.streamKey === streamKey)), 10_000);
    expect(pushed.find((s) => s.streamKey === streamKey)).toMatchObject({ screenId: 'bars', status: null });

    reported = [{ streamKey, state: 'live', fps: 29.9, speed: 1, droppedFrames: 3, restarts: 1, uptimeSec: 4 }];
    const entry = await until('the reported status', async () => {
      const listed = await operatorApi(edge, '/api/stream');
      const found = (listed.body.streams as StreamEntry[]).find((s) => s.streamKey === streamKey);
      return found?.status ? found : undefined;
    }, 10_000);
    expect(entry.status).toMatchObject({ ...reported[0], renderer: c.room.connectionId });

    const stopped = await operatorApi(edge, `/api/stream?streamKey=${streamKey}`, { method: 'DELETE' });
    expect(stopped.status).toBe(200);
    await until('the stream gone', () => c.desired.at(-1)?.every((s) => s.streamKey !== streamKey), 10_000);
    expect(c.lines.join('\n')).not.toContain(edge.rendererToken);
  });
});
