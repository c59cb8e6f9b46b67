import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listActiveStreams, stopStream, upsertStream } from './streams.ts';
import { BACKENDS, openTestDb } from '@stream-fighter/devstack/test-support/test-database';
import type { TestDb } from '@stream-fighter/devstack/test-support/test-database';

describe.each(BACKENDS)('streams on $backend', ({ backend }) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(backend);
  });
  afterAll(() => t?.close());

  it('round-trips: start, switch screen, stop, restart', async () => {
    const a = await upsertStream(t.db, { streamKey: 'yt-main', screenId: 'fight' });
    expect(a).toMatchObject({ streamKey: 'yt-main', screenId: 'fight', status: null });
    await upsertStream(t.db, { streamKey: 'twitch.bars', screenId: 'bars' });
    expect((await listActiveStreams(t.db)).map((s) => s.streamKey)).toEqual(['yt-main', 'twitch.bars']);

    // Switching the screen of a running stream keeps its start time.
    const switched = await upsertStream(t.db, { streamKey: 'yt-main', screenId: 'bars' });
    expect(switched).toEqual({ ...a, screenId: 'bars' });

    expect(await stopStream(t.db, 'yt-main')).toBe(true);
    expect(await stopStream(t.db, 'yt-main')).toBe(false);
    expect(await stopStream(t.db, 'never-started')).toBe(false);
    expect(await listActiveStreams(t.db)).toEqual([expect.objectContaining({ streamKey: 'twitch.bars', screenId: 'bars' })]);
    expect(await t.sql(`select count(*)::int as n from streams where stopped_at is not null`)).toEqual([{ n: '1' }]);

    // A stopped stream started again is active again (and new again).
    await t.sql(`update streams set created_at = created_at - interval '1 hour' where stream_key = 'yt-main'`);
    const restarted = await upsertStream(t.db, { streamKey: 'yt-main', screenId: 'fight' });
    expect(restarted.createdAt).toBeGreaterThan(a.createdAt - 1_000);
    expect((await listActiveStreams(t.db)).map((s) => s.streamKey).sort()).toEqual(['twitch.bars', 'yt-main']);
  });

  it('rejects a stream key that cannot go into an RTMP URL', async () => {
    await expect(upsertStream(t.db, { streamKey: 'bad key/../x', screenId: 'fight' })).rejects.toThrow();
    expect((await listActiveStreams(t.db)).map((s) => s.streamKey)).not.toContain('bad key/../x');
  });
});
