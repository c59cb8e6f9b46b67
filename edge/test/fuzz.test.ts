import { env, runInDurableObject } from 'cloudflare:test';
import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { formatReport, runFuzz } from '@stream-fighter/devstack/fuzz/run';
import type { Arena } from '../src/room/arena.ts';
import { BASE, goLive, room } from './helpers.ts';

/**
 * The deterministic slice of `npm run fuzz`: the same generator, a fixed seed, against the Worker in workerd.
 * The room's clock is held still, so any change of state is the requests' doing.
 */
describe('fuzz slice', () => {
  it('1 000 hostile requests across every route: no 5xx, a JSON error on every 4xx, no change of state', async () => {
    await goLive();
    await runInDurableObject(room(), (arena: Arena) => {
      const held = arena.now();
      arena.now = () => held;
    });
    const options = {
      send: (req: Request) => exports.default.fetch(req),
      base: BASE,
      seed: 20_261_124,
      count: 1_000,
      ctx: { operatorToken: env.OPERATOR_TOKEN, nowSec: Math.floor(Date.now() / 1000), room: env.ROOM_NAME ?? 'main', sitePage: false },
      concurrency: 8,
      batchSize: 250,
    };
    const report = await runFuzz(options);
    const text = formatReport(options, report);
    console.log(text);
    expect(report.tally.total).toBe(1_000);
    expect(report.failures, text).toEqual([]);
    expect(report.stateChanges, text).toEqual([]);
    expect([...report.tally.statuses.keys()].filter((s) => s.startsWith('5')), text).toEqual([]);
    // The slice reaches the routes' own checks, not only the front door.
    expect(report.tally.statuses.get('400') ?? 0, text).toBeGreaterThan(200);
    expect(report.tally.statuses.get('401') ?? 0, text).toBeGreaterThan(50);
  });
});
