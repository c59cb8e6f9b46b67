/**
 * A TCP proxy a test can cut: a stand-in for the network between a render node and the edge. `cut()` is a silent
 * partition: both ends keep their connections, but nothing reaches the other side any more (bytes are read and
 * dropped, as a dead link drops packets) and new connections are accepted and left hanging. `reset()` sends a TCP
 * reset on every connection, both sides, so each end sees its connection fail. `heal()` forwards new connections
 * again; a connection that lived through a cut never forwards again (its byte stream has a hole).
 */
import net from 'node:net';

export interface TcpProxy {
  port: number;
  /** `http://127.0.0.1:<port>`: the proxy in front of an HTTP (and WebSocket) server. */
  url: string;
  /** Connections open through the proxy now (the client side). */
  open(): number;
  cut(): void;
  reset(): void;
  heal(): void;
  close(): Promise<void>;
}

interface Pair {
  client: net.Socket;
  upstream: net.Socket | null;
  /** Forwarding: false for good once the link was cut while this pair was open. */
  live: boolean;
}

const HOST = '127.0.0.1';

export async function startTcpProxy(target: { host?: string; port: number }): Promise<TcpProxy> {
  const pairs = new Set<Pair>();
  let cut = false;

  const server = net.createServer((client) => {
    const pair: Pair = { client, upstream: null, live: !cut };
    pairs.add(pair);
    // Across a cut, neither end hears of the other's close: the far side stays open until reset() or close().
    client.on('close', () => {
      if (!pair.live && pair.upstream && !pair.upstream.destroyed) return;
      pairs.delete(pair);
      pair.upstream?.destroy();
    });
    client.on('error', () => {});
    // A cut link reads and drops, so the sender's writes go through as they would into a dead network.
    client.on('data', (chunk) => {
      if (pair.live) pair.upstream?.write(chunk);
    });
    if (!pair.live) return;
    client.pause();
    const upstream = net.connect(target.port, target.host ?? HOST, () => client.resume());
    pair.upstream = upstream;
    upstream.on('data', (chunk) => {
      if (pair.live) client.write(chunk);
    });
    upstream.on('error', () => {});
    upstream.on('close', () => {
      if (pair.live) client.destroy();
    });
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, HOST, () => ok());
  });
  const port = (server.address() as net.AddressInfo).port;

  return {
    port,
    url: `http://${HOST}:${port}`,
    open: () => [...pairs].filter((p) => !p.client.destroyed).length,
    cut() {
      cut = true;
      for (const p of pairs) p.live = false;
    },
    reset() {
      for (const p of pairs) {
        p.live = false;
        for (const s of [p.client, p.upstream]) if (s && !s.destroyed) s.resetAndDestroy();
      }
      pairs.clear();
    },
    heal() {
      cut = false;
    },
    async close() {
      for (const p of pairs) {
        p.client.destroy();
        p.upstream?.destroy();
      }
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}
