/**
 * What one check sees, turned into observations (conditions.ts): the desired streams against the renderers'
 * reports, the vote path's answers, and the archive outbox.
 */
import type { StreamStatus } from '@stream-fighter/core';
import type { AppConfig } from '../env.ts';
import type { OutboxEntry, StoredStream } from '../room/storage.ts';
import type { Observation } from './conditions.ts';
import { duration, maskKey, scrub } from './message.ts';
import type { VoteStats } from './vote-watch.ts';

type Rules = Pick<AppConfig, 'ALERT_STREAM_DOWN_SEC' | 'ALERT_ARCHIVE_STALL_SEC' | 'ALERT_VOTE_FAILURES'>;
type Reported = StreamStatus & { renderer: string; reportedAt: number };

/**
 * A desired stream is live while its last report says `live` and is fresh. Renderers report every 2 s, so a
 * report older than the down threshold means its renderer (or its connection to the room) is gone: the stream has
 * not been known live since that report. A report that is not `live` counts from the first check that saw it.
 * A stream never reported counts from when the operator asked for it.
 */
export function observeStreams(streams: StoredStream[], statuses: ReadonlyMap<string, Reported>, now: number, rules: Rules): Observation[] {
  const downAfterMs = rules.ALERT_STREAM_DOWN_SEC * 1000;
  return streams.map((s) => {
    const base = { key: `stream:${s.streamKey}`, label: `stream ${maskKey(s.streamKey)} (${s.screenId})`, downAfterMs };
    const st = statuses.get(s.streamKey);
    if (!st) return { ...base, state: { badSince: s.createdAt }, detail: 'no renderer has reported it' };
    const age = now - st.reportedAt;
    if (age >= downAfterMs) return { ...base, state: { badSince: st.reportedAt }, detail: `no report from a renderer for ${duration(age)} (last: ${st.state})` };
    if (st.state === 'live') return { ...base, state: 'ok', detail: '' };
    const why = st.error ? `: ${scrub(st.error)}` : '';
    return { ...base, state: {}, detail: `not live, the renderer reports "${st.state}"${why} (${st.restarts} restarts)` };
  });
}

export function observeVotes(stats: VoteStats, rules: Rules): Observation {
  const base = { key: 'votes', label: 'votes', downAfterMs: 0 };
  const { answered, failed } = stats;
  if (answered + failed === 0) return { ...base, state: 'unknown', detail: '' };
  const failing = failed >= rules.ALERT_VOTE_FAILURES && failed >= answered;
  if (!failing) return { ...base, state: 'ok', detail: '' };
  const why = stats.lastError ? ` (last error: ${scrub(stats.lastError)})` : '';
  return { ...base, state: {}, detail: `${failed} of ${answered + failed} votes failed inside the room in the last 5 min${why}` };
}

/** What the archive did lately, kept by the room (alert-store.ts). */
export interface ArchiveMarks {
  /** The last time a round was archived. */
  okAt: number | null;
  /** The last time a round was parked (never to be archived), and why. */
  parkedAt: number | null;
  parkedError: string | null;
}

/**
 * The archive is stalled when finished rounds have failed to archive for longer than the threshold: from the first
 * check that found one in the outbox after a failed attempt (Postgres unreachable, or slow enough to time out every
 * attempt) until a check finds none; or when a round was parked after the last one that was archived. A round
 * not tried yet is not counted: a room that slept past a round's end archives it on the alarm that finds it. The
 * round's own end time is not the measure either, for the same reason.
 */
export function observeArchive(outbox: OutboxEntry[], marks: ArchiveMarks, now: number, rules: Rules): Observation {
  const base = { key: 'archive', label: 'archive', downAfterMs: rules.ALERT_ARCHIVE_STALL_SEC * 1000 };
  const parked = marks.parkedAt !== null && (marks.okAt === null || marks.parkedAt > marks.okAt);
  if (parked) {
    const why = marks.parkedError ? `: ${scrub(marks.parkedError)}` : '';
    return { ...base, downAfterMs: 0, state: { badSince: marks.parkedAt! }, detail: `a finished round could not be archived and was parked${why}` };
  }
  const failing = outbox.filter((e) => e.attempts > 0);
  if (failing.length === 0) return { ...base, state: 'ok', detail: '' };
  const attempts = Math.max(...failing.map((e) => e.attempts));
  const ends = failing.flatMap((e) => (e.result ? [e.result.finishedAt] : []));
  const oldest = ends.length > 0 ? `, the oldest finished ${duration(now - Math.min(...ends))} ago` : '';
  return { ...base, state: {}, detail: `${failing.length} finished round(s) not archived after up to ${attempts} failed attempt(s)${oldest}` };
}
