/**
 * One variant of bench:stalled: a few reading viewers and K viewers that stop reading join the room, votes from
 * distinct voters arrive at a steady rate (so the room broadcasts a delta per throttle tick), and every few
 * seconds workerd's RSS, what the room sent each stalled viewer so far (what a reading viewer received: every
 * viewer is sent the same deltas), and both ends of the stalled connections in the kernel's TCP table are sampled.
 * `ping`: the stalled viewers also ping with their stale seq, so the room's stall watch should close them (4010).
 * At the end they read again, which counts what had piled up for them and shows the room's close frame.
 * Controls: `reading` (the same K raw clients, reading everything: the cost of sending to K more viewers) and
 * `control` (no extra viewers: the drift of the votes and the readers alone).
 */
import { descendants, processTable, rssBytes } from '@stream-fighter/devstack/stack/process-tree';
import type { ViewerHandle, ViewerSink } from './messages.ts';
import { openSfViewer } from './sf-viewer.ts';
import { StalledViewer, type Drained } from './stalled-viewer.ts';
import type { SystemUnderTest } from './system.ts';
import { kernelTcpBytes, tcpTable, type TcpRow } from './tcp-table.ts';
import { sleep, within } from './wait.ts';

export type VariantName = 'silent' | 'ping' | 'reading' | 'control';

export interface VariantOptions {
  name: VariantName;
  stalled: number;
  readers: number;
  seconds: number;
  votesPerSec: number;
  sampleSec: number;
  pingSec: number;
  /** The local stack's port: workerd's end of every viewer connection. */
  serverPort: number;
  /** The number of the first vote this variant casts (each vote has a voter of its own, prepared beforehand)… */
  firstVote: number;
  /** … and how many it may cast at most. */
  voteBudget: number;
}

export interface Sample {
  atSec: number;
  rss: number;
  /** Per stalled viewer: bytes the room sent it since the stall began (frames with headers, as a reader got them). */
  sent: number;
  /** Per stalled viewer, averaged over all K: unread bytes at the client (Node + its kernel receive queue). */
  atClient: number;
  /** Per stalled viewer: bytes in workerd's kernel send queue (not yet taken by the client's window). */
  sendQueue: number;
  /**
   * Per stalled viewer whose connection workerd still holds open: sent − atClient − sendQueue, i.e. in workerd.
   * Only where the room never closes them (`silent`): a closed viewer is sent nothing more, so `sent` overstates.
   */
  inWorkerd: number | null;
  kernelTcp: number | null;
  /** The stalled connections, client end: ESTABLISHED, FIN or reset arrived (CLOSE_WAIT), gone from the table. */
  client: { open: number; fin: number; gone: number };
  /** workerd's end: ESTABLISHED, closing (FIN_WAIT1 and on, the close queued behind the unread bytes), gone. */
  server: { open: number; closing: number; gone: number };
}

export interface VariantResult {
  name: VariantName;
  stalled: number;
  rssBefore: number;
  rssConnected: number;
  samples: Sample[];
  /** Seconds from the stall's start until workerd's end of each stalled connection left ESTABLISHED. */
  serverClosedAfter: number[];
  /** … until the client's end did (FIN or reset arrived) or Node saw it end. */
  clientClosedAfter: number[];
  pingsSent: number;
  votes: VoteTally;
  readerMessages: number;
  drained: Drained[];
  /** What the readers received, per reader, from the stall's start to the end of the votes. */
  sentTotal: number;
}

const CONNECT_TIMEOUT_MS = 15_000;
const CONNECT_BATCH = 25;
const VOTE_TIMEOUT_MS = 10_000;
const MAX_VOTES_IN_FLIGHT = 50;
// Reading again does not always restart the flow at once: where the client's small receive buffer dropped a
// segment, workerd's end waits out its retransmission back-off (up to 2 min). The drain is a check, not the figure.
const DRAIN_QUIET_MS = 5_000;
const DRAIN_MAX_MS = 60_000;

/** workerd's processes below this one (the stack runs it as a child), summed. */
export function workerdRss(): { bytes: number; pids: number[] } {
  const mine = descendants(process.pid, processTable()).filter((p) => /workerd/.test(p.cmd) && !/wrangler/.test(p.cmd));
  return { bytes: mine.reduce((a, p) => a + (rssBytes(p.pid) ?? 0), 0), pids: mine.map((p) => p.pid) };
}

/** A reading viewer that counts the bytes of every frame it receives (payload plus the 2- or 4-byte header). */
class Reader {
  bytes = 0;
  messages = 0;
  dropped: string | null = null;
  readonly sink: ViewerSink = {
    state: () => {},
    received: (_kind, n) => {
      this.bytes += n + (n < 126 ? 2 : n < 65_536 ? 4 : 10);
      this.messages++;
    },
    gap: () => {},
    dropped: (_i, reason) => void (this.dropped ??= reason),
  };
  reset(): void {
    this.bytes = 0;
    this.messages = 0;
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

export async function runVariant(sys: SystemUnderTest, o: VariantOptions, signal: AbortSignal, say: (line: string) => void, register: (close: () => Promise<void>) => void): Promise<VariantResult> {
  const K = o.name === 'control' ? 0 : o.stalled;
  const readers = Array.from({ length: o.readers }, () => new Reader());
  const handles: ViewerHandle[] = [];
  const stalled: StalledViewer[] = [];
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    for (const s of stalled) s.destroy();
    await Promise.all(handles.map((h) => h.close()));
  };
  register(close);
  try {
    for (const [i, r] of readers.entries()) handles.push(await openSfViewer(sys.viewerUrl, i, r.sink, CONNECT_TIMEOUT_MS));
    await sleep(2_000, signal);
    const rssBefore = workerdRss().bytes;
    const url = new URL(sys.viewerUrl);
    for (let i = 0; i < K; i += CONNECT_BATCH) {
      const batch = Array.from({ length: Math.min(CONNECT_BATCH, K - i) }, () => StalledViewer.open(url, CONNECT_TIMEOUT_MS, o.name === 'reading'));
      stalled.push(...(await within(Promise.all(batch), CONNECT_TIMEOUT_MS + 5_000, `${batch.length} stalled viewers to connect`, signal)));
    }
    await sleep(2_000, signal);
    const rssConnected = workerdRss().bytes;
    say(`  [${o.name}] ${o.readers} reading and ${K} ${o.name === 'reading' ? 'more reading (raw)' : 'stalled'} viewers connected; workerd RSS ${mb(rssBefore)} → ${mb(rssConnected)} MB; votes at ${o.votesPerSec}/s for ${o.seconds} s`);

    const ports = new Set(stalled.map((s) => s.localPort));
    const serverClosed = new Map<number, number>();
    const clientClosed = new Map<number, number>();
    for (const r of readers) r.reset();
    const t0 = Date.now();
    const since = () => (Date.now() - t0) / 1000;
    const votes: VoteTally = { ok: 0, failed: 0, firstError: null };
    const stopVotes = new AbortController();
    const voting = driveVotes(sys, o, votes, AbortSignal.any([signal, stopVotes.signal]));
    let pingsSent = 0;
    const pingTimers: NodeJS.Timeout[] = [];
    if (o.name === 'ping') {
      // Each at its own phase, as real clients joined at different times: the closes spread over a ping period.
      for (const s of stalled) {
        const first = setTimeout(() => {
          s.ping();
          pingsSent++;
          pingTimers.push(setInterval(() => (s.ping(), pingsSent++), o.pingSec * 1000));
        }, Math.random() * o.pingSec * 1000);
        pingTimers.push(first);
      }
    }

    const samples: Sample[] = [];
    const take = (): Sample => {
      const at = since();
      const table = tcpTable();
      const clientRows = new Map<number, TcpRow>();
      const serverRows = new Map<number, TcpRow>();
      for (const row of table) {
        if (ports.has(row.localPort) && row.remotePort === o.serverPort) clientRows.set(row.localPort, row);
        else if (row.localPort === o.serverPort && ports.has(row.remotePort) && row.state !== 'LISTEN') serverRows.set(row.remotePort, row);
      }
      const sent = median(readers.map((r) => r.bytes));
      const s: Sample = { atSec: at, rss: workerdRss().bytes, sent, atClient: 0, sendQueue: 0, inWorkerd: null, kernelTcp: kernelTcpBytes(), client: { open: 0, fin: 0, gone: 0 }, server: { open: 0, closing: 0, gone: 0 } };
      let heldOpen = 0;
      for (const v of stalled) {
        const c = clientRows.get(v.localPort);
        const w = serverRows.get(v.localPort);
        const atClient = v.heldBytes + (c?.receiveQueue ?? 0);
        s.atClient += atClient;
        s.sendQueue += w?.sendQueue ?? 0;
        if (!c) s.client.gone++;
        else if (c.state === 'ESTABLISHED' && !v.ended) s.client.open++;
        else s.client.fin++;
        if ((!c || c.state !== 'ESTABLISHED' || v.ended) && !clientClosed.has(v.localPort)) clientClosed.set(v.localPort, at);
        if (!w) s.server.gone++;
        else if (w.state === 'ESTABLISHED') {
          s.server.open++;
          heldOpen += sent - atClient - w.sendQueue;
        } else s.server.closing++;
        if ((!w || w.state !== 'ESTABLISHED') && !serverClosed.has(v.localPort)) serverClosed.set(v.localPort, at);
      }
      if (K > 0) {
        s.atClient /= K;
        s.sendQueue /= K;
      }
      s.inWorkerd = o.name === 'silent' && s.server.open > 0 ? heldOpen / s.server.open : null;
      return s;
    };
    const line = (s: Sample) =>
      say(`  [${o.name}] ${s.atSec.toFixed(0).padStart(4)} s  RSS ${mb(s.rss)} MB  sent ${kb(s.sent)} KB/stalled: client ${kb(s.atClient)}, Send-Q ${kb(s.sendQueue)}, workerd ~${s.inWorkerd === null ? '-' : kb(s.inWorkerd)}  client ${s.client.open}/${s.client.fin}/${s.client.gone}  workerd ${s.server.open}/${s.server.closing}/${s.server.gone}`);
    samples.push(take());
    line(samples[0]!);
    while (since() < o.seconds) {
      await sleep(Math.max(0, t0 + samples.length * o.sampleSec * 1000 - Date.now()), signal);
      samples.push(take());
      line(samples.at(-1)!);
      const dropped = readers.find((r) => r.dropped);
      if (dropped) throw new Error(`a reading viewer was closed by the room: ${dropped.dropped}`);
    }
    stopVotes.abort(new Error('variant over'));
    for (const t of pingTimers) clearTimeout(t);
    await voting;
    const sentTotal = median(readers.map((r) => r.bytes));
    const readerMessages = median(readers.map((r) => r.messages));
    // Everything has been sent: the stalled viewers read again and count what had piled up for them.
    const drained = await Promise.all(stalled.map((s) => s.drain(DRAIN_QUIET_MS, DRAIN_MAX_MS)));
    return {
      name: o.name,
      stalled: K,
      rssBefore,
      rssConnected,
      samples,
      serverClosedAfter: [...serverClosed.values()].sort((a, b) => a - b),
      clientClosedAfter: [...clientClosed.values()].sort((a, b) => a - b),
      pingsSent,
      votes,
      readerMessages,
      drained,
      sentTotal,
    };
  } finally {
    await close();
  }
}

export interface VoteTally {
  ok: number;
  failed: number;
  firstError: string | null;
}

/** Votes from distinct voters at a steady rate until `signal`; a slow answer does not delay the next vote. */
export async function driveVotes(sys: SystemUnderTest, o: Pick<VariantOptions, 'votesPerSec' | 'firstVote' | 'voteBudget'>, out: VoteTally, signal: AbortSignal): Promise<void> {
  const period = 1000 / o.votesPerSec;
  const start = Date.now();
  const inFlight = new Set<Promise<void>>();
  for (let i = 0; !signal.aborted && i < o.voteBudget; i++) {
    try {
      await sleep(Math.max(0, start + i * period - Date.now()), signal);
    } catch {
      break;
    }
    if (inFlight.size >= MAX_VOTES_IN_FLIGHT) {
      out.failed++;
      out.firstError ??= `more than ${MAX_VOTES_IN_FLIGHT} votes waiting for an answer`;
      continue;
    }
    const n = o.firstVote + i;
    const p: Promise<void> = within(sys.vote(n), VOTE_TIMEOUT_MS, `vote ${n} to be accepted`)
      .then(
        () => void out.ok++,
        (e: unknown) => {
          out.failed++;
          out.firstError ??= e instanceof Error ? e.message : String(e);
        },
      )
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  }
  await Promise.all(inFlight);
}

export const mb = (b: number): string => (b / 2 ** 20).toFixed(1);
export const kb = (b: number): string => String(Math.round(b / 1024));
