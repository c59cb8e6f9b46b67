import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.ts';
import { until } from './until.ts';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

/** An echo server behind a proxy, and a client that records what comes back and whether its socket closed. */
async function setup(): Promise<{ proxy: TcpProxy; connect(): Promise<{ socket: net.Socket; got: () => string; closed: () => boolean }> }> {
  const echo = net.createServer((s) => s.on('error', () => {}).pipe(s));
  await new Promise<void>((ok) => echo.listen(0, '127.0.0.1', () => ok()));
  closers.push(() => new Promise<void>((ok) => echo.close(() => ok())));
  const proxy = await startTcpProxy({ port: (echo.address() as net.AddressInfo).port });
  closers.push(() => proxy.close());
  const connect = async () => {
    const socket = net.connect(proxy.port, '127.0.0.1');
    let got = '';
    let closed = false;
    socket.on('data', (d) => (got += d.toString())).on('error', () => {}).on('close', () => (closed = true));
    await new Promise<void>((ok) => socket.once('connect', () => ok()));
    closers.push(async () => void socket.destroy());
    return { socket, got: () => got, closed: () => closed };
  };
  return { proxy, connect };
}

describe('the cuttable TCP proxy', () => {
  it('forwards; a cut drops bytes but keeps the connection; a reset closes it; healed, a new connection forwards', async () => {
    const { proxy, connect } = await setup();
    const c = await connect();
    c.socket.write('one');
    await until('the echo of "one"', () => c.got() === 'one', 2_000);

    proxy.cut();
    c.socket.write('two');
    await new Promise((r) => setTimeout(r, 200));
    expect(c.got()).toBe('one');
    expect(c.closed()).toBe(false);
    const hanging = await connect();
    hanging.socket.write('three');
    await new Promise((r) => setTimeout(r, 200));
    expect(hanging.got()).toBe('');

    proxy.reset();
    await until('both connections closed by the reset', () => c.closed() && hanging.closed(), 2_000);
    proxy.heal();
    const fresh = await connect();
    fresh.socket.write('four');
    await until('the echo of "four" after healing', () => fresh.got() === 'four', 2_000);
  });
});
