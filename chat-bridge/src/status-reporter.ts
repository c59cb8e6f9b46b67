/**
 * Every few seconds, each chat source's state goes to the edge (`POST /api/chat/status`) with the bridge's name,
 * which keeps the latest for the operator's dashboard; the answer lists the sources the operator paused and the
 * ones this bridge holds the lease on (lease-keeper.ts: each report renews them). The room is what refuses a
 * paused source's votes; the relay also stops sending them, so a paused flood costs the edge nothing. A report
 * that fails is simply the next one's job: only the latest state matters.
 */
import { ChatStatusReply, DEFAULT_CHAT_BRIDGE, toWellFormed, type ChatLease, type ChatStatusReport } from '@stream-fighter/core';
import type { LeaseKeeper, Standing } from './lease-keeper.ts';
import type { Logger } from './log.ts';
import type { Relay } from './relay.ts';
import type { ChatSource } from './source.ts';

/**
 * The same for a standby as for a holder: the room's lease is three intervals long (CHAT_LEASE_MS, 15 s), so a
 * holder survives two lost reports, and a faster standby would only take over a dead holder's chat up to 5 s sooner.
 */
export const STATUS_INTERVAL_MS = 5_000;
const REQUEST_TIMEOUT_MS = 5_000;

export interface ReporterState {
  /** When the edge last took a report (ms epoch). */
  lastOkAt: number | null;
  /** Why the last report failed, while reports fail. */
  lastError: string | null;
}

export interface StatusReporter {
  state(): ReporterState;
  /** Sends a report now (the timer sends the next one an interval later). */
  report(): Promise<void>;
  stop(): void;
}

export function startStatusReporter(o: {
  edgeUrl: string;
  token: string;
  sources: readonly ChatSource[];
  relay: Relay;
  log: Logger;
  intervalMs?: number;
  /** BRIDGE_NAME; absent, the room takes the bridge as "default" (as a bridge older than leases). */
  bridge?: string;
  /** Told each answer's leases; absent, the answer's leases are not used. */
  leases?: LeaseKeeper;
}): StatusReporter {
  const url = new URL('/api/chat/status', o.edgeUrl).href;
  const state: ReporterState = { lastOkAt: null, lastError: null };
  let timer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;
  let running: Promise<void> | null = null;
  /** Each source's standing as last logged: a change (taken, moved, run out) is logged once. */
  const logged = new Map<string, Standing>();

  const logStandings = () => {
    if (!o.leases) return;
    for (const s of o.sources) {
      const now = o.leases.standing(s.id);
      const before = logged.get(s.id);
      if (now === before) continue;
      logged.set(s.id, now);
      if (before === undefined && now === 'waiting') continue;
      const event = now === 'held' ? 'lease.held' : now === 'standby' ? 'lease.standby' : 'lease.ran-out';
      o.log[now === 'waiting' ? 'warn' : 'info'](event, { source: s.id, bridge: o.bridge ?? DEFAULT_CHAT_BRIDGE, ...(now === 'held' ? { msLeft: o.leases.msLeft(s.id) } : {}) });
    }
  };

  const post = async (): Promise<void> => {
    // A lease that ran out since the last report (the edge away) is logged now.
    logStandings();
    const body: ChatStatusReport = {
      ...(o.bridge ? { bridge: o.bridge } : {}),
      sources: o.sources.map((s) => {
        const { state: st, detail } = s.status();
        return { source: s.id, state: st, ...(detail ? { detail: toWellFormed(detail.slice(0, 200)) } : {}) };
      }),
    };
    // The lease is counted from here: the room grants it after this moment, so it ends here first.
    const sentAt = o.leases?.now() ?? 0;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${o.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${res.status} ${text.slice(0, 200)}`);
      const reply = ChatStatusReply.safeParse(JSON.parse(text));
      if (!reply.success) throw new Error(`unexpected answer: ${text.slice(0, 200)}`);
      applyPaused(reply.data.paused);
      applyLeases(reply.data.leases, sentAt);
      if (state.lastError) o.log.info('status.edge-back', { after: state.lastError });
      state.lastOkAt = Date.now();
      state.lastError = null;
    } catch (e) {
      const error = e instanceof Error ? (e.cause instanceof Error ? `${e.message}: ${e.cause.message}` : e.message) : String(e);
      // One line when reports start failing and one when the error changes, not one every 5 s.
      if (error !== state.lastError) o.log.warn('status.failed', { error });
      state.lastError = error;
    }
  };

  const applyPaused = (list: readonly string[]) => {
    for (const s of o.sources) {
      const now = list.includes(s.id);
      if (now !== o.relay.isPaused(s.id)) o.log.info(now ? 'status.paused' : 'status.resumed', { source: s.id });
    }
    o.relay.setPaused(list);
  };

  const applyLeases = (leases: ChatLease[] | undefined, sentAt: number) => {
    if (!o.leases) return;
    o.leases.apply(leases, sentAt);
    o.relay.leasesChanged();
    logStandings();
  };

  const report = (): Promise<void> => {
    running ??= post().finally(() => (running = null));
    return running;
  };

  const loop = () => {
    if (stopped) return;
    void report().then(() => {
      if (!stopped) timer = setTimeout(loop, o.intervalMs ?? STATUS_INTERVAL_MS);
    });
  };
  loop();

  return {
    state: () => ({ ...state }),
    report,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
