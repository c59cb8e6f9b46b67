/**
 * The room client against a real WebSocket server (ws) speaking the room's side of the protocol: the renderer
 * URL and query (node name and capacity included), every server message parsed (garbage dropped and logged),
 * leases handed on (with their grant numbers), room lag, periodic status reports (with the last grant applied),
 * reconnection after the server drops it, and after a room that grants leases goes silent (a link cut without a
 * close). The real Worker is exercised in room-client-against-edge.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { defaultScreen, generateMatchup, PROTOCOL_VERSION, startRound, StreamReport, type Snapshot, type StreamEntry } from '@stream-fighter/core';
import { connectRoom, type Connection, type RoomClient } from '../../src/service/room-client.ts';
import { createLogger } from '../../src/service/log.ts';
import { until } from '@stream-fighter/devstack/test-support/until';
import { fakeRoom, send } from './fake-room.ts';

const TOKEN = 'renderer-token-for-tests-0123';
const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});


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


function client(port: number, extra: Partial<Parameters<typeof connectRoom>[0]> = {}) {
  const lines: Array<Record<string, unknown>> = [];
  const log = createLogger({ level: 'debug', write: (l) => lines.push(JSON.parse(l) as Record<string, unknown>), secrets: [TOKEN] });
  const snapshots: Array<{ s: Snapshot; at: number }> = [];
  const streams: StreamEntry[][] = [];
  const leaseMs: Array<number | undefined> = [];
  const leaseSeqs: Array<number | undefined> = [];
  const leases: Array<{ keys: string[]; leaseMs: number; seq: number }> = [];
  const states: Connection[] = [];
  const room: RoomClient = connectRoom({
    edgeUrl: `http://127.0.0.1:${port}`,
    room: 'main',
    token: TOKEN,
    node: 'box-1.example',
    capacity: 3,
    log,
    onSnapshot: (s, at) => snapshots.push({ s, at }),
    onStreams: (list, ms, seq) => (streams.push(list), leaseMs.push(ms), leaseSeqs.push(seq)),
    onLease: (keys, ms, seq) => leases.push({ keys, leaseMs: ms, seq }),
    onConnection: (st) => states.push(st),
    minReconnectionDelay: 50,
    maxReconnectionDelay: 200,
    ...extra,
  });
  cleanups.push(() => room.close());
  return { room, lines, snapshots, streams, leaseMs, leaseSeqs, leases, states };
}

describe('room client', () => {
  it('connects as a renderer to /parties/arena/<room> and hands on snapshots and streams, with the lag', async () => {
    const server = await fakeRoom(cleanups);
    const c = client(server.port);
    const ws = await until('a connection', () => server.sockets[0], 5_000, 20);
    const url = server.requests[0]!;
    expect(url.pathname).toBe('/parties/arena/main');
    expect(url.searchParams.get('role')).toBe('renderer');
    expect(url.searchParams.get('token')).toBe(TOKEN);
    expect(url.searchParams.get('node')).toBe('box-1.example');
    expect(url.searchParams.get('capacity')).toBe('3');
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
    expect(c.leaseMs).toEqual([undefined]);
    expect(c.leaseSeqs).toEqual([undefined]);
    expect(c.states).toEqual(['connected']);
    // The token is in the URL, never in the log.
    expect(JSON.stringify(c.lines)).not.toContain(TOKEN);
  });

  it('hands on the lease of a streams list and each renewal, with their grant numbers', async () => {
    const server = await fakeRoom(cleanups);
    const c = client(server.port);
    const ws = await until('a connection', () => server.sockets[0], 5_000, 20);
    const entry: StreamEntry = { screenId: 'fight', screen: defaultScreen('fight'), streamKey: 'sf-leased', createdAt: Date.now(), status: null };
    send(ws, { type: 'streams', v: PROTOCOL_VERSION, streams: [entry], leaseMs: 3_000, leaseSeq: 41 });
    send(ws, { type: 'lease', v: PROTOCOL_VERSION, keys: ['sf-leased'], leaseMs: 3_000, seq: 42 });
    // Under the protocol's shortest lease, or without its number: dropped as malformed, never handed on.
    ws.send(JSON.stringify({ type: 'lease', v: PROTOCOL_VERSION, keys: ['sf-leased'], leaseMs: 10, seq: 43 }));
    ws.send(JSON.stringify({ type: 'lease', v: PROTOCOL_VERSION, keys: ['sf-leased'], leaseMs: 3_000 }));
    send(ws, { type: 'lease', v: PROTOCOL_VERSION, keys: [], leaseMs: 600, seq: 44 });
    await until('two renewals', () => c.leases.length === 2, 5_000, 20);
    expect(c.streams).toEqual([[entry]]);
    expect(c.leaseMs).toEqual([3_000]);
    expect(c.leaseSeqs).toEqual([41]);
    expect(c.leases).toEqual([
      { keys: ['sf-leased'], leaseMs: 3_000, seq: 42 },
      { keys: [], leaseMs: 600, seq: 44 },
    ]);
    expect(c.lines.filter((l) => l.event === 'room.bad-message')).toHaveLength(2);
  });

  it('drops and logs messages that are not JSON or do not match the protocol', async () => {
    const server = await fakeRoom(cleanups);
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
    const server = await fakeRoom(cleanups);
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

  it('tells the room in each report the last grant applied, once there is one', async () => {
    const server = await fakeRoom(cleanups);
    let applied: number | undefined;
    const c = client(server.port, { reportEveryMs: 50, statuses: () => [], leaseSeq: () => applied });
    await until('a report before any grant', () => server.received.length >= 1, 5_000, 20);
    expect(StreamReport.parse(server.received[0])).not.toHaveProperty('leaseSeq');
    applied = 42;
    await until('a report naming grant 42', () => server.received.some((m) => StreamReport.parse(m).leaseSeq === 42), 5_000, 20);
    // A report sent by hand carries it too.
    const before = server.received.length;
    applied = 43;
    expect(c.room.report([])).toBe(true);
    await until('the report sent by hand', () => server.received.length > before, 5_000, 20);
    expect(server.received.map((m) => StreamReport.parse(m).leaseSeq)).toContain(43);
  });

  it('reports every second by default (the room renews leases in answer)', async () => {
    const server = await fakeRoom(cleanups);
    client(server.port, { statuses: () => [] });
    const at: number[] = [];
    const seen = () => {
      while (at.length < server.received.length) at.push(performance.now());
      return at.length >= 3;
    };
    await until('three reports at the default interval', seen, 5_000, 10);
    const gaps = at.slice(1).map((t, i) => t - at[i]!);
    for (const gap of gaps) expect(gap).toBeGreaterThan(700);
    for (const gap of gaps) expect(gap).toBeLessThan(1_500);
  });

  it('reconnects by itself when the server drops it, and says so', async () => {
    const server = await fakeRoom(cleanups);
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

  it('reconnects within a bounded wait when a room that answered its reports goes silent, telling it once', async () => {
    const server = await fakeRoom(cleanups);
    server.answering.on = true;
    const c = client(server.port, { reportEveryMs: 50, statuses: () => [], silentReconnectMs: 400 });
    await until('renewals in answer to reports', () => c.leases.length >= 3, 5_000, 20);
    // The link goes dead without a close: the socket stays open, but nothing comes back any more.
    server.answering.on = false;
    const quietFrom = performance.now();
    await until('a reconnect after the room went silent', () => server.sockets[1], 3_000, 10);
    const waited = performance.now() - quietFrom;
    // Not before the silence is long enough; well before TCP would notice (400 ms, checked every 100 ms, + dialling).
    expect(waited).toBeGreaterThanOrEqual(350);
    expect(waited).toBeLessThan(1_500);
    const silentLines = () => c.lines.filter((l) => l.event === 'room.silent');
    expect(silentLines()).toEqual([expect.objectContaining({ level: 'warn', room: 'main' })]);
    expect(c.lines.find((l) => l.event === 'room.disconnected')).toMatchObject({ level: 'warn', code: 4000, reason: 'silent' });
    // Taken again and still silent: it dials once more, but the episode was told already.
    await until('a second reconnect while still silent', () => server.sockets[2], 3_000, 10);
    expect(silentLines().filter((l) => l.level === 'warn')).toHaveLength(1);
    expect(silentLines().filter((l) => l.level === 'debug').length).toBeGreaterThanOrEqual(1);
    // The link is back: the room answers, the client stays, and a later silence is a new episode.
    server.answering.on = true;
    const leasesBefore = c.leases.length;
    await until('renewals on the new connection', () => c.leases.length >= leasesBefore + 3, 5_000, 20);
    const sockets = server.sockets.length;
    await new Promise((r) => setTimeout(r, 800));
    expect(server.sockets).toHaveLength(sockets);
    server.answering.on = false;
    await until('a reconnect after the second silence', () => server.sockets[sockets], 3_000, 10);
    expect(silentLines().filter((l) => l.level === 'warn')).toHaveLength(2);
  });

  it('stays connected to a room that answers, and never takes a room that grants no leases for silent', async () => {
    const answering = await fakeRoom(cleanups);
    answering.answering.on = true;
    const a = client(answering.port, { reportEveryMs: 50, statuses: () => [], silentReconnectMs: 300 });
    // A room older than leases answers nothing: the same silence proves nothing there.
    const older = await fakeRoom(cleanups);
    const b = client(older.port, { reportEveryMs: 50, statuses: () => [], silentReconnectMs: 300 });
    await until('both connected', () => a.room.state === 'connected' && b.room.state === 'connected', 5_000, 20);
    await new Promise((r) => setTimeout(r, 1_500)); // five silences' worth
    expect(a.leases.length).toBeGreaterThan(10);
    expect(older.received.length).toBeGreaterThan(10);
    expect(answering.sockets).toHaveLength(1);
    expect(older.sockets).toHaveLength(1);
    expect([...a.lines, ...b.lines].some((l) => l.event === 'room.silent')).toBe(false);
  });

  it('reports nothing while disconnected and stops for good on close', async () => {
    const server = await fakeRoom(cleanups);
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
