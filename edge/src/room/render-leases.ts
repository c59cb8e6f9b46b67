/**
 * The room's side of render leases: which render node holds which stream (lease-plan.ts decides), kept in the
 * room's SQLite so a room that restarts or wakes from hibernation never hands a stream to a second node while the
 * first may still be publishing it. Each renderer is sent the streams it holds with its lease (`streams`, when its
 * set changes) and a renewal in answer to each of its status reports (`lease`); a stream whose node disconnects or
 * goes quiet moves to another once that node's lease, plus a margin, is over.
 */
import { PROTOCOL_VERSION, RenderCapacity, RenderNodeName, type Lease, type ServerMessage, type StreamEntry, type StreamsDesired } from '@stream-fighter/core';
import type { Connection } from 'partyserver';
import { leaseMsFor, liveRenderers, nextMoveAt, planLeases, renew, type LeaseRecord, type LeaseTimes, type RendererSeen } from './lease-plan.ts';

/** What a renderer's connection URL says of it, kept on the connection (it survives hibernation). */
export interface RendererInfo {
  node: string;
  capacity: number;
}

/** A render node that does not say (an older one): one stream, named by its connection id. */
const DEFAULT_CAPACITY = 1;

/**
 * A gone node's streams move this long after its lease: the node counts its lease from when the renewal arrived,
 * notices the end within 250 ms (lease-keeper check) and then closes FFmpeg's RTMP connection.
 */
export const LEASE_MARGIN_MS = 1_000;

export interface RenderLeasesContext {
  sql: SqlStorage;
  now: () => number;
  times: Omit<LeaseTimes, 'marginMs'>;
  /** The renderer connections (one closing may still be among them: only open ones count). */
  renderers: () => Iterable<Connection>;
  /** The streams the operator wants, each with its screen resolved (StreamDesk.list without leases). */
  wanted: () => StreamEntry[];
}

export function rendererInfo(conn: Connection, url: URL): RendererInfo {
  const capacity = RenderCapacity.safeParse(url.searchParams.get('capacity') ?? undefined);
  const node = RenderNodeName.safeParse(url.searchParams.get('node') ?? undefined);
  return { capacity: capacity.success ? capacity.data : DEFAULT_CAPACITY, node: node.success ? node.data : conn.id };
}

interface Grant {
  seq: number;
  /** Room time it was sent, and its length: the node publishes until at most `at + ms` plus the network delay. */
  at: number;
  ms: number;
}

/** Grants kept per renderer while it acknowledges none (an older render node never does). */
const GRANTS_KEPT = 64;

export class RenderLeases {
  private readonly c: RenderLeasesContext;
  private readonly times: LeaseTimes;
  /** Room time of each renderer's last report (memory: a room just woken counts every open renderer as heard now). */
  private readonly heard = new Map<string, number>();
  /** What each renderer was last sent it holds, to send `streams` only when that changes. */
  private readonly sent = new Map<string, string>();
  /**
   * The grants sent to each renderer since the last one it said it applied (memory: after a wake nothing is known,
   * and records are only ever lengthened until a new grant is acknowledged).
   */
  private readonly grants = new Map<string, Grant[]>();
  private grantSeq = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(c: RenderLeasesContext) {
    this.c = c;
    this.times = { ...c.times, marginMs: LEASE_MARGIN_MS };
    c.sql.exec(`CREATE TABLE IF NOT EXISTS render_leases (stream_key TEXT PRIMARY KEY, record TEXT NOT NULL)`);
  }

  /** The leases as they stand (released ones included). */
  held(): LeaseRecord[] {
    return this.c.sql
      .exec<{ record: string }>(`SELECT record FROM render_leases`)
      .toArray()
      .map((r) => JSON.parse(r.record) as LeaseRecord);
  }

  /** A renderer joined: it is sent what it holds (nothing, often) and the plan runs with it. */
  joined(conn: Connection, info: RendererInfo): void {
    conn.setState(info);
    this.heard.set(conn.id, this.c.now());
    this.sent.delete(conn.id);
    this.grants.delete(conn.id);
    this.reconcile();
  }

  left(conn: Connection): void {
    this.heard.delete(conn.id);
    this.sent.delete(conn.id);
    this.grants.delete(conn.id);
    this.reconcile();
  }

  /**
   * A renderer's status report: it is alive, so its leases run on. Answered with a renewal of what it holds; the
   * plan runs too, since a report is when a quiet holder is noticed and a stream can move to this renderer. The
   * report names the last grant the node applied (`leaseSeq`): from then on the node's leases end by the latest of
   * that grant and the ones sent after it, so a record made long by a lease granted to a node alone becomes short
   * again once the node has taken the short one, and a dead node's streams move seconds after it, not minutes.
   */
  reported(conn: Connection, leaseSeq: number | undefined): void {
    const now = this.c.now();
    this.heard.set(conn.id, now);
    let held = this.held();
    const bound = this.acknowledged(conn.id, leaseSeq);
    if (bound !== null) held = held.map((l) => (l.renderer === conn.id && !l.released ? { ...l, until: bound } : l));
    const grant = leaseMsFor(liveRenderers(this.seen(), now, this.times).length, this.times);
    this.save(renew(held, conn.id, now, grant));
    const keys = this.reconcile()
      .filter((l) => l.renderer === conn.id && !l.released)
      .map((l) => l.key);
    const seq = this.grant(conn.id, now, grant);
    conn.send(JSON.stringify({ type: 'lease', v: PROTOCOL_VERSION, keys, leaseMs: grant, seq } satisfies Lease satisfies ServerMessage));
  }

  /** Numbers a grant to a renderer and remembers it. Seqs follow room time, so they keep rising across restarts. */
  private grant(renderer: string, now: number, ms: number): number {
    this.grantSeq = Math.max(this.grantSeq + 1, now);
    const list = this.grants.get(renderer) ?? [];
    list.push({ seq: this.grantSeq, at: now, ms });
    if (list.length > GRANTS_KEPT) list.splice(0, list.length - GRANTS_KEPT);
    this.grants.set(renderer, list);
    return this.grantSeq;
  }

  /**
   * The room time by which the node's leases end, given that it applied grant `seq` (and maybe later ones): the
   * latest end among that grant and those after it. null when the grant is unknown here (sent before a restart,
   * or none named): then nothing is shortened.
   */
  private acknowledged(renderer: string, seq: number | undefined): number | null {
    const list = this.grants.get(renderer);
    const at = seq === undefined || !list ? -1 : list.findIndex((g) => g.seq === seq);
    if (at < 0) return null;
    const since = list!.slice(at);
    this.grants.set(renderer, since);
    return Math.max(...since.map((g) => g.at + g.ms));
  }

  /**
   * The plan again (a stream wanted or dropped, a renderer come or gone): each renderer whose set changed is told.
   * Returns the leases as they now stand.
   */
  reconcile(): LeaseRecord[] {
    const now = this.c.now();
    const wanted = this.c.wanted();
    const seen = this.seen();
    const before = this.held();
    let plan = planLeases(
      wanted.map((s) => s.streamKey),
      before,
      seen,
      now,
      this.times,
    );
    const grant = leaseMsFor(liveRenderers(seen, now, this.times).length, this.times);
    const byKey = new Map(wanted.map((s) => [s.streamKey, s]));
    for (const conn of this.open()) {
      const streams = plan.filter((l) => l.renderer === conn.id && !l.released).map((l) => ({ ...byKey.get(l.key)!, lease: { renderer: l.renderer, node: l.node, until: Math.max(l.until, now + grant) } }));
      const said = JSON.stringify(streams.map((s) => [s.streamKey, s.screenId, s.screen]));
      if (this.sent.get(conn.id) === said) continue;
      this.sent.set(conn.id, said);
      // The node counts `leaseMs` from this message: the room's record must reach at least as far.
      plan = renew(plan, conn.id, now, grant);
      const leaseSeq = this.grant(conn.id, now, grant);
      conn.send(JSON.stringify({ type: 'streams', v: PROTOCOL_VERSION, streams, leaseMs: grant, leaseSeq } satisfies StreamsDesired satisfies ServerMessage));
    }
    if (JSON.stringify(plan) !== JSON.stringify(before)) this.save(plan);
    this.schedule(plan, seen, now);
    return plan;
  }

  /** A screen a stream shows changed: every holder is sent its streams again, whether or not the set changed. */
  resend(): void {
    this.sent.clear();
    this.reconcile();
  }

  /** Each stream's lease, for the dashboard and GET /api/stream. */
  leaseOf(): Map<string, LeaseRecord> {
    return new Map(this.held().filter((l) => !l.released).map((l) => [l.key, l]));
  }

  /** Who may report a stream's status: its holder, or anyone while nobody holds it. */
  mayReport(streamKey: string, renderer: string, leases = this.leaseOf()): boolean {
    const holder = leases.get(streamKey)?.renderer;
    return holder === undefined || holder === renderer;
  }

  private *open(): Iterable<Connection> {
    for (const conn of this.c.renderers()) if (conn.readyState === WebSocket.OPEN) yield conn;
  }

  private seen(): RendererSeen[] {
    const now = this.c.now();
    const out: RendererSeen[] = [];
    for (const conn of this.open()) {
      const info = (conn.state as RendererInfo | null) ?? { node: conn.id, capacity: DEFAULT_CAPACITY };
      if (!this.heard.has(conn.id)) this.heard.set(conn.id, now);
      out.push({ id: conn.id, node: info.node, capacity: info.capacity, lastReportAt: this.heard.get(conn.id)! });
    }
    return out;
  }

  /** Wakes the plan when a gone holder's stream may move (the DO is awake: its renderers report every second). */
  private schedule(plan: LeaseRecord[], seen: RendererSeen[], now: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const at = nextMoveAt(plan, seen, now, this.times);
    if (at !== null) this.timer = setTimeout(() => this.reconcile(), Math.max(0, at - now) + 1);
  }

  private save(records: LeaseRecord[]): void {
    this.c.sql.exec(`DELETE FROM render_leases`);
    for (const r of records) this.c.sql.exec(`INSERT INTO render_leases (stream_key, record) VALUES (?, ?)`, r.key, JSON.stringify(r));
  }
}
