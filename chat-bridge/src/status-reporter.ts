/**
 * Every few seconds, each chat source's state goes to the edge (`POST /api/chat/status`), which keeps the latest
 * for the operator's dashboard; the answer lists the sources the operator paused. The room is what refuses a
 * paused source's votes; the relay also stops sending them, so a paused flood costs the edge nothing. A report
 * that fails is simply the next one's job: only the latest state matters.
 */
import { ChatStatusReply, toWellFormed, type ChatStatusReport } from '@stream-fighter/core';
import type { Logger } from './log.ts';
import type { Relay } from './relay.ts';
import type { ChatSource } from './source.ts';

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
}): StatusReporter {
  const url = new URL('/api/chat/status', o.edgeUrl).href;
  const state: ReporterState = { lastOkAt: null, lastError: null };
  let timer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;
  let running: Promise<void> | null = null;

  const post = async (): Promise<void> => {
    const body: ChatStatusReport = {
      sources: o.sources.map((s) => {
        const { state: st, detail } = s.status();
        return { source: s.id, state: st, ...(detail ? { detail: toWellFormed(detail.slice(0, 200)) } : {}) };
      }),
    };
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
