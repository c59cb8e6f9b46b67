/**
 * The room client against a real WebSocket server (ws) speaking the room's side of the protocol: the renderer
 * URL and query, every server message parsed (garbage dropped and logged), room lag, periodic status reports,
 * and reconnection after the server drops it. The real Worker is exercised in room-client-against-edge.test.ts.
 */
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultScreen, generateMatchup, PROTOCOL_VERSION, startRound, StreamReport, type ServerMessage, type Snapshot, type StreamEntry } from '@stream-fighter/core';
import { connectRoom, type Connection, type RoomClient } from '../../src/service/room-client.ts';
import { createLogger } from '../../src/service/log.ts';
import { until } from '@stream-fighter/devstack/test-support/until';

const TOKEN = 'renderer-token-for-tests-0123';
const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function roomServer() {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((ok) => wss.once('listening', () => ok()));
  const sockets: WebSocket[] = [];
  const requests: URL[] = [];
  const received: unknown[] = [];
  wss.on('connection', (ws, req) => {
    requests.push(new URL(req.url ?? '/', 'http://x'));
    sockets.push(ws);
    ws.on('message', (d) => received.push(JSON.parse(String(d))));
  });
  cleanups.push(() => new Promise<void>((ok) => {
    for (const ws of wss.clients) ws.terminate();
    wss.close(() => ok());
  }));
  return { port: (wss.address() as AddressInfo).port, sockets, requests, received };
}

function snapshot(seq: number, now: number): Snapshot {
  return {
    type: 'snapshot',
    v: PROTOCOL_VERSION,
    seq,
    room: 'main',
    now,
    round: startRound({ pollId: 'p_test', matchup: generateMatchup('room-client-test'), now: now - 5_000, audience: 10 }),
    previous: null,
    upNext: null,
    shoutouts: [],
  };
}

const send = (ws: WebSocket, m: ServerMessage) => ws.send(JSON.stringify(m));

function client(port: number, extra: Partial<Parameters<typeof connectRoom>[0]> = {}) {
  const lines: Array<Record<string, unknown>> = [];
  const log = createLogger({ level: 'debug', write: (l) => lines.push(JSON.parse(l) as Record<string, unknown>), secrets: [TOKEN] });
  const snapshots: Array<{ s: Snapshot; at: number }> = [];
  const streams: StreamEntry[][] = [];
  const states: Connection[] = [];
  const room: RoomClient = connectRoom({
    edgeUrl: `http://127.0.0.1:${port}`,
    room: 'main',
    token: TOKEN,
    log,
    onSnapshot: (s, at) => snapshots.push({ s, at }),
    onStreams: (list) => streams.push(list),
    onConnection: (st) => states.push(st),
    minReconnectionDelay: 50,
    maxReconnectionDelay: 200,
    ...extra,
  });
  cleanups.push(() => room.close());
  return { room, lines, snapshots, streams, states };
}

describe('room client', () => {
  it('connects as a renderer to /parties/arena/<room> and hands on snapshots and streams, with the lag', async () => {
    const server = await roomServer();
    const c = client(server.port);
    const ws = await until('a connection', () => server.sockets[0], 5_000, 20);
    const url = server.requests[0]!;
    expect(url.pathname).toBe('/parties/arena/main');
    expect(url.searchParams.get('role')).toBe('renderer');
    expect(url.searchParams.get('token')).toBe(TOKEN);
    await until('connected', () => c.room.state === 'connected', 5_000, 20);

    send(ws, { type: 'welcome', v: PROTOCOL_VERSION, role: 'renderer', connectionId: 'conn-1' });
    send(ws, snapshot(7, Date.now() - 1_500));
    const entry: StreamEntry = { screenId: 'bars', screen: defaultScreen('bars'), streamKey: 'sf-bars', createdAt: Date.now(), status: null };
    send(ws, { type: 'streams', v: PROTOCOL_VERSION, streams: [entry] });

    await until('streams', () => c.streams.length === 1, 5_000, 20);
    expect(c.room.connectionId).toBe('conn-1');
    expect(c.snapshots.map((x) => x.s.seq)).toEqual([7]);
    expect(c.room.lagMs).toBeGreaterThanOrEqual(1_500);
    expect(c.room.lagMs).toBeLessThan(3_000);
    expect(c.streams[0]).toEqual([entry]);
    expect(c.states).toEqual(['connected']);
    // The token is in the URL, never in the log.
    expect(JSON.stringify(c.lines)).not.toContain(TOKEN);
  });

  it('drops and logs messages that are not JSON or do not match the protocol', async () => {
    const server = await roomServer();
    const c = client(server.port);
    const ws = await until('a connection', () => server.sockets[0], 5_000, 20);
    ws.send('not json');
    ws.send(JSON.stringify({ type: 'snapshot', v: 1, seq: -1 }));
    ws.send(JSON.stringify({ type: 'streams', v: 2, streams: [] }));
    ws.send(JSON.stringify({ type: 'error', v: 1, code: 'unauthorized', message: 'renderer token missing or wrong' }));
    send(ws, snapshot(1, Date.now()));
    await until('the good snapshot', () => c.snapshots.length === 1, 5_000, 20);
    expect(c.lines.filter((l) => l.event === 'room.bad-message')).toHaveLength(3);
    expect(c.lines.find((l) => l.event === 'room.error')).toMatchObject({ level: 'error', code: 'unauthorized' });
    expect(c.streams).toEqual([]);
  });

  it('reports stream status every interval while connected, as valid StreamReports', async () => {
    const server = await roomServer();
    let calls = 0;
    client(server.port, {
      reportEveryMs: 50,
      statuses: () => {
        calls++;
        return [{ streamKey: 'sf-main', state: 'live', fps: 30, speed: 1.01, droppedFrames: 0, restarts: 0, uptimeSec: calls }];
      },
    });
    await until('three reports', () => server.received.length >= 3, 5_000, 20);
    for (const m of server.received) expect(StreamReport.parse(m).streams[0]).toMatchObject({ streamKey: 'sf-main', state: 'live' });
  });

  it('reconnects by itself when the server drops it, and says so', async () => {
    const server = await roomServer();
    const c = client(server.port);
    const first = await until('a connection', () => server.sockets[0], 5_000, 20);
    await until('connected', () => c.room.state === 'connected', 5_000, 20);
    first.terminate();
    await until('reconnecting', () => c.states.includes('reconnecting'), 5_000, 20);
    const second = await until('a second connection', () => server.sockets[1], 5_000, 20);
    await until('connected again', () => c.room.state === 'connected', 5_000, 20);
    expect(c.states).toEqual(['connected', 'reconnecting', 'connected']);
    send(second, snapshot(2, Date.now()));
    await until('a snapshot on the new connection', () => c.snapshots.length === 1, 5_000, 20);
    expect(c.lines.some((l) => l.event === 'room.disconnected')).toBe(true);
  });

  it('reports nothing while disconnected and stops for good on close', async () => {
    const server = await roomServer();
    const c = client(server.port);
    expect(c.room.report([])).toBe(false);
    await until('connected', () => c.room.state === 'connected', 5_000, 20);
    expect(c.room.report([])).toBe(true);
    c.room.close();
    await until('closed', () => c.room.state === 'reconnecting', 5_000, 20);
    await new Promise((r) => setTimeout(r, 400));
    expect(server.sockets).toHaveLength(1);
  });
});
