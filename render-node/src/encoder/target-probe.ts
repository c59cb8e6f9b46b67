/**
 * Is the RTMP target taking connections? One TCP connect to its host and port, closed at once: what FFmpeg would
 * do first, at the cost of a socket instead of a process. The supervisor asks before each FFmpeg it starts, so an
 * outage of the target is waited out with cheap probes rather than a loop of FFmpeg processes.
 */
import { connect } from 'node:net';

export interface Endpoint {
  host: string;
  port: number;
}

/** The host and port FFmpeg connects to for `rtmp://` (1935 unless given) or `rtmps://` (443 unless given). */
export function rtmpEndpoint(rtmpUrl: string): Endpoint {
  const m = /^(rtmps?):\/\/(?:[^@/?#]*@)?(\[[^\]]+\]|[^:/?#]+)(?::(\d+))?/i.exec(rtmpUrl);
  if (!m) throw new Error(`rtmpUrl must start with rtmp:// or rtmps://, got ${rtmpUrl}`);
  const port = m[3] ? Number(m[3]) : m[1]!.toLowerCase() === 'rtmps' ? 443 : 1935;
  if (!(port >= 1 && port <= 65_535)) throw new Error(`port ${port} of ${rtmpUrl} is out of range`);
  return { host: m[2]!.replace(/^\[(.*)\]$/, '$1'), port };
}

/** Resolves null once a connection opened, else the reason (ECONNREFUSED, ENOTFOUND, timeout …); never rejects. */
export function probeTcp({ host, port }: Endpoint, timeoutMs = 1000): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (why: string | null) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(why);
    };
    // A host that drops packets never answers: give up after timeoutMs (the caller probes again).
    const timer = setTimeout(() => done(`no answer from ${host}:${port} in ${timeoutMs} ms`), timeoutMs);
    socket.once('connect', () => done(null));
    socket.once('error', (e: NodeJS.ErrnoException) => done(`${host}:${port} ${e.code ?? e.message}`));
  });
}
