import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from './log.ts';
import { createRelay, type Relay } from './relay.ts';
import { startStatusReporter, type StatusReporter } from './status-reporter.ts';
import { startFakeEdge, type FakeEdge } from './testing/fake-edge.ts';
import { testSource } from './testing/test-source.ts';

let edge: FakeEdge;
let relay: Relay;
let reporter: StatusReporter | undefined;
let logs: Array<{ event: string; [k: string]: unknown }>;

beforeEach(async () => {
  edge = await startFakeEdge();
  logs = [];
  relay = createRelay({ edgeUrl: edge.url, token: edge.token, bufferMax: 100, log: createLogger({ write: () => {} }) });
});
afterEach(async () => {
  reporter?.stop();
  relay.stop();
  await edge.close();
});

const log = () => createLogger({ write: (l) => logs.push(JSON.parse(l)) });

describe('status reporter', () => {
  it('reports every source\'s state every interval, and applies the paused list the edge answers', async () => {
    const twitch = testSource('twitch:streamfighter');
    const youtube = testSource('youtube:live-chat-1', 'reconnecting');
    youtube.set('reconnecting', 'quota exceeded, retrying in 60 s');
    reporter = startStatusReporter({ edgeUrl: edge.url, token: edge.token, sources: [twitch, youtube], relay, log: log(), intervalMs: 50 });
    await expect.poll(() => edge.reports.length, { timeout: 5_000, message: 'the first report' }).toBeGreaterThanOrEqual(1);
    expect(edge.reports[0]).toEqual({
      sources: [
        { source: 'twitch:streamfighter', state: 'connected' },
        { source: 'youtube:live-chat-1', state: 'reconnecting', detail: 'quota exceeded, retrying in 60 s' },
      ],
    });

    edge.paused.add('twitch:streamfighter');
    await expect.poll(() => relay.isPaused('twitch:streamfighter'), { timeout: 5_000, message: 'the pause applied' }).toBe(true);
    expect(logs).toContainEqual(expect.objectContaining({ event: 'status.paused', source: 'twitch:streamfighter' }));
    twitch.set('reconnecting');
    edge.paused.clear();
    await expect.poll(() => relay.isPaused('twitch:streamfighter'), { timeout: 5_000, message: 'the pause lifted' }).toBe(false);
    expect(logs).toContainEqual(expect.objectContaining({ event: 'status.resumed', source: 'twitch:streamfighter' }));
    expect(edge.reports.at(-1)!.sources[0]).toEqual({ source: 'twitch:streamfighter', state: 'reconnecting' });
    expect(reporter.state()).toMatchObject({ lastError: null });
  });

  it('logs once when reports start failing, keeps trying, and says when the edge is back', async () => {
    await edge.down();
    reporter = startStatusReporter({ edgeUrl: edge.url, token: edge.token, sources: [testSource('twitch:a')], relay, log: log(), intervalMs: 20 });
    await expect.poll(() => reporter!.state().lastError, { timeout: 5_000, message: 'a failed report' }).toMatch(/fetch failed/);
    await new Promise((r) => setTimeout(r, 200));
    expect(logs.filter((l) => l.event === 'status.failed')).toHaveLength(1);
    await edge.up();
    await expect.poll(() => reporter!.state().lastOkAt, { timeout: 5_000, message: 'a report after the edge came back' }).not.toBeNull();
    expect(logs.map((l) => l.event)).toContain('status.edge-back');
  });
});
