import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { probeTcp, rtmpEndpoint } from './target-probe.ts';

describe('rtmpEndpoint', () => {
  it('takes the host and port FFmpeg would connect to', () => {
    expect(rtmpEndpoint('rtmp://restreamer:1935/live?token=T')).toEqual({ host: 'restreamer', port: 1935 });
    expect(rtmpEndpoint('rtmp://127.0.0.1/live')).toEqual({ host: '127.0.0.1', port: 1935 });
    expect(rtmpEndpoint('rtmps://a.rtmp.youtube.com/live2')).toEqual({ host: 'a.rtmp.youtube.com', port: 443 });
    expect(rtmpEndpoint('rtmp://[::1]:1936/live')).toEqual({ host: '::1', port: 1936 });
    expect(rtmpEndpoint('rtmp://user:pass@h:2000/live')).toEqual({ host: 'h', port: 2000 });
  });

  it('refuses what is not an RTMP URL', () => {
    expect(() => rtmpEndpoint('http://h/live')).toThrow(/rtmp/);
    expect(() => rtmpEndpoint('rtmp://h:70000/live')).toThrow(/range/);
  });
});

describe('probeTcp', () => {
  it('answers null while something listens, and the reason once nothing does', async () => {
    const server = createServer((s) => s.destroy());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    expect(await probeTcp({ host: '127.0.0.1', port })).toBeNull();
    await new Promise((r) => server.close(r));
    expect(await probeTcp({ host: '127.0.0.1', port })).toMatch(/ECONNREFUSED/);
  });

  it('gives up on a name that does not resolve', async () => {
    expect(await probeTcp({ host: 'no-such-host.invalid', port: 1935 }, 3000)).toMatch(/ENOTFOUND|EAI_AGAIN|no answer/);
  });
});
