import net from 'node:net';

/** A port nothing listens on right now (the OS picks it), for stacks and receivers started by tests and benches. */
export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = net.createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => ok(port));
    });
  });
}
