/**
 * Which render node publishes which stream: each desired stream is leased to exactly one live renderer, spread by
 * the capacity each states, and moved only once its holder is gone and the holder's lease has surely run out, so
 * two nodes never publish one stream key (a node cut off from the room stops by itself when its lease ends:
 * render-node/src/service/lease-keeper.ts). Pure: render-leases.ts keeps the records and talks to the renderers.
 */

export interface LeaseRecord {
  key: string;
  /** The holder's connection id, and its node name for the dashboard. */
  renderer: string;
  node: string;
  /** Room time until which the holder may publish: the longest lease ever granted on this record, never shortened. */
  until: number;
  /**
   * The stream is no longer wanted: the holder was told to stop, but one cut off from the room may publish until
   * its lease ends, so the key stays with it until then (a stream started again meanwhile goes back to it or waits).
   */
  released?: true;
}

export interface RendererSeen {
  id: string;
  node: string;
  capacity: number;
  /** Room time of its last status report (or of its connect, before the first). */
  lastReportAt: number;
}

export interface LeaseTimes {
  /** The lease while another renderer stands by: how long a dead holder keeps a stream off the air. */
  leaseMs: number;
  /** The lease of a renderer alone: how long an edge outage may last before a one-box setup stops its picture. */
  soloLeaseMs: number;
  /** Added to a dead holder's lease before the stream moves: a renewal takes this long at most to arrive. */
  marginMs: number;
}

/** Renderers that reported within a lease: a connected one that has gone quiet holds nothing new. */
export function liveRenderers(renderers: readonly RendererSeen[], now: number, t: LeaseTimes): RendererSeen[] {
  return renderers.filter((r) => now - r.lastReportAt <= t.leaseMs);
}

/** The lease granted now: short while a standby could take over, long for a renderer alone. */
export function leaseMsFor(live: number, t: LeaseTimes): number {
  return live >= 2 ? t.leaseMs : t.soloLeaseMs;
}

/**
 * The leases after this moment: kept while the holder is live (renewed by renew()), dropped for streams no longer
 * wanted, freed when the holder is gone and `until + marginMs` has passed, and free streams given to the live
 * renderer with the most room left (ties: the fewest streams, then the id, so the plan is deterministic).
 */
export function planLeases(desired: readonly string[], held: readonly LeaseRecord[], renderers: readonly RendererSeen[], now: number, t: LeaseTimes): LeaseRecord[] {
  const live = liveRenderers(renderers, now, t);
  const liveIds = new Set(live.map((r) => r.id));
  const byKey = new Map(held.map((l) => [l.key, l]));
  const load = new Map(live.map((r) => [r.id, 0]));
  const out: LeaseRecord[] = [];
  const free: string[] = [];
  const room = (r: RendererSeen) => r.capacity - load.get(r.id)!;
  const keep = (lease: LeaseRecord) => {
    const { released: _, ...kept } = lease;
    out.push(kept);
    if (load.has(lease.renderer)) load.set(lease.renderer, load.get(lease.renderer)! + 1);
  };
  const bound = (lease: LeaseRecord) => now < lease.until + t.marginMs;
  const wanted = new Set(desired);
  const returning: LeaseRecord[] = [];
  for (const key of desired) {
    const lease = byKey.get(key);
    if (lease && !lease.released && (liveIds.has(lease.renderer) || bound(lease))) keep(lease);
    else if (lease?.released && bound(lease)) returning.push(lease);
    else free.push(key);
  }
  // A stream started again while its key is still bound to the node it was released from: back to that node if it
  // is live and has room, else it waits, released, for the lease to end.
  for (const lease of returning) {
    const holder = live.find((r) => r.id === lease.renderer);
    if (holder && room(holder) > 0) keep(lease);
    else out.push(lease);
  }
  // Released keys stay bound to their holder until its lease and the margin are over.
  for (const lease of held) if (!wanted.has(lease.key) && bound(lease)) out.push({ ...lease, released: true });
  const grant = leaseMsFor(live.length, t);
  for (const key of free) {
    const [best] = live.filter((r) => room(r) > 0).sort((a, b) => room(b) - room(a) || load.get(a.id)! - load.get(b.id)! || (a.id < b.id ? -1 : 1));
    if (!best) continue;
    load.set(best.id, load.get(best.id)! + 1);
    out.push({ key, renderer: best.id, node: best.node, until: now + grant });
  }
  return out;
}

/** A holder's report renews its leases: until moves on, never back (a longer lease granted earlier still binds). */
export function renew(held: readonly LeaseRecord[], renderer: string, now: number, grantMs: number): LeaseRecord[] {
  return held.map((l) => (l.renderer === renderer && !l.released ? { ...l, until: Math.max(l.until, now + grantMs) } : l));
}

/** When the plan may change by itself: the first moment a dead holder's stream may move. */
export function nextMoveAt(held: readonly LeaseRecord[], renderers: readonly RendererSeen[], now: number, t: LeaseTimes): number | null {
  const liveIds = new Set(liveRenderers(renderers, now, t).map((r) => r.id));
  let at: number | null = null;
  for (const l of held) {
    if (liveIds.has(l.renderer) && !l.released) continue;
    const moveAt = l.until + t.marginMs;
    if (at === null || moveAt < at) at = moveAt;
  }
  return at;
}
