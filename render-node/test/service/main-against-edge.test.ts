/**
 * The render node as it runs in production: `node render-node/src/main.ts` as a child process, against the real
 * Worker (local stack) and a real RTMP server. The operator asks the room for a stream, the node publishes it
 * and reports it live; /health and /snapshot.png answer; SIGTERM stops FFmpeg and exits 0 with nothing left.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamEntry } from '@stream-fighter/core';
import { freePort, operatorApi, startEdge } from './edge-stack.ts';
import { startRtmpSink } from './rtmp-sink.ts';
import { descendants, pngSize } from './support.ts';
import { until } from '@stream-fighter/devstack/test-support/until';

const MAIN = resolve(import.meta.dirname, '../../src/main.ts');
let edge: Awaited<ReturnType<typeof startEdge>>;
let sink: Awaited<ReturnType<typeof startRtmpSink>>;
const children = new Set<ChildProcess>();

beforeAll(async () => {
  [edge, sink] = await Promise.all([startEdge(), startRtmpSink()]);
}, 120_000);
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await sink?.stop();
  await edge?.teardown();
});

function startNode(env: Record<string, string>) {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', LANG: 'en', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const out: string[] = [];
  let err = '';
  let partial = '';
  child.stdout!.on('data', (d: Buffer) => {
    const lines = (partial + d.toString()).split('\n');
    partial = lines.pop() ?? '';
    out.push(...lines);
  });
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
  return { child, out, stderr: () => err, exited };
}

describe('render node process', () => {
  it('refuses to start on a bad setting, naming it, with exit code 2', async () => {
    const n = startNode({ RENDERER_TOKEN: 'short', FPS: 'fast' });
    expect(await n.exited).toBe(2);
    expect(n.stderr()).toMatch(/Invalid configuration:[\s\S]*RENDERER_TOKEN[\s\S]*FPS/);
    expect(n.stderr()).not.toContain('short');
  });

  it('streams what the room asks for, reports it live, and shuts down cleanly on SIGTERM', async () => {
    const port = await freePort();
    const streamKey = `sf-main-${Date.now().toString(36)}`;
    const n = startNode({ EDGE_URL: edge.api, RENDERER_TOKEN: edge.rendererToken, RTMP_URL: sink.url, HTTP_PORT: String(port), FPS: '15' });
    const base = `http://127.0.0.1:${port}`;
    const health = async () => {
      try {
        return (await (await fetch(`${base}/health`)).json()) as { ok: boolean; room: { connected: boolean }; streams: unknown[] };
      } catch {
        return undefined;
      }
    };
    await until('the room connected', async () => (await health())?.room.connected, 30_000);

    const started = await operatorApi(edge, '/api/stream', { method: 'POST', body: JSON.stringify({ screenId: 'fight', streamKey }) });
    expect(started.status).toBe(201);
    await until('the stream published', () => sink.published.includes(`/live/${streamKey}`), 30_000);
    const ours = async () => ((await operatorApi(edge, '/api/stream')).body.streams as StreamEntry[]).find((s) => s.streamKey === streamKey);
    await until('the live status in GET /api/stream', async () => (await ours())?.status?.state === 'live', 30_000);
    // The first live report can come before FFmpeg's first progress line (reports go once a second): then 0 fps.
    const entry = await until('a live status with its frame rate', async () => {
      const e = await ours();
      return (e?.status?.fps ?? 0) > 0 && e;
    }, 5_000);
    expect(entry.status!.state).toBe('live');
    // The room leased it to this node, the only one.
    expect(entry.lease).toMatchObject({ node: expect.any(String) });

    const png = await fetch(`${base}/snapshot.png`);
    expect(pngSize(Buffer.from(await png.arrayBuffer()))).toEqual({ width: 1280, height: 720 });
    expect((await health())?.streams).toHaveLength(1);

    const ffmpeg = descendants(n.child.pid!).filter((p) => p.cmd.includes('ffmpeg'));
    expect(ffmpeg).toHaveLength(1);
    n.child.kill('SIGTERM');
    const code = await n.exited;
    expect(code, n.out.slice(-8).join('\n') + n.stderr()).toBe(0);
    for (const p of ffmpeg) expect(existsSync(`/proc/${p.pid}`), `ffmpeg ${p.pid} outlived the node`).toBe(false);

    // Every stdout line is one JSON event; neither the renderer token nor the stream key appears in full.
    const events = n.out.filter(Boolean).map((l) => JSON.parse(l) as { event: string });
    expect(events.map((e) => e.event)).toEqual(expect.arrayContaining(['room.connected', 'stream.started', 'shutdown.begin', 'shutdown.done']));
    const all = n.out.join('\n') + n.stderr();
    expect(all).not.toContain(edge.rendererToken);
    expect(all).not.toContain(streamKey);
  });
});
