/**
 * The streams the operator wants pushed (each a stream key and the screen it shows) and what the renderers report
 * about them. Each stream is leased to one renderer (render-leases.ts), which is sent the streams it holds, each
 * with its screen resolved, whenever that changes: a stream started or stopped, a renderer come or gone, or a
 * screen a stream shows changed.
 */
import type { Screen, ScreenCreate, ScreenUpdate, StreamEntry, StreamStatus } from '@stream-fighter/core';
import type { RenderLeases } from './render-leases.ts';
import type { ScreenBook, ScreenRefusal } from './screen-book.ts';
import type { RoomStorage } from './storage.ts';

export interface StreamDeskContext {
  store: RoomStorage;
  screens: ScreenBook;
  now: () => number;
  /** Who runs which stream; told of every change to the streams wanted (set once the desk exists: it reads list()). */
  leases: () => RenderLeases;
}

export type StreamStart = { streams: StreamEntry[]; createdScreen: Screen | null };
export type ScreenDeleteRefusal = ScreenRefusal | { refused: 'screen-in-use'; message: string };

export class StreamDesk {
  private readonly c: StreamDeskContext;

  constructor(c: StreamDeskContext) {
    this.c = c;
  }

  /** The streams wanted, each with its screen, its last status and who holds it. */
  list(): StreamEntry[] {
    const leases = this.c.leases().leaseOf();
    return this.wanted().map((s) => {
      const lease = leases.get(s.streamKey);
      return { ...s, lease: lease ? { renderer: lease.renderer, node: lease.node, until: lease.until } : null };
    });
  }

  /** The streams wanted, each with its screen resolved and its last status (what render-leases.ts hands out). */
  wanted(): StreamEntry[] {
    const statuses = this.c.store.statuses();
    const screens = new Map(this.c.screens.list().map((s) => [s.id, s]));
    return this.c.store.streams().map((s) => ({ ...s, screen: screens.get(s.screenId) ?? this.c.screens.defaults(s.screenId), status: statuses.get(s.streamKey) ?? null }));
  }

  /** An unknown screen is created with the defaults first (the seed's own example names `test`), and said so. */
  start(input: { streamKey: string; screenId: string }): StreamStart | ScreenRefusal {
    let createdScreen: Screen | null = null;
    if (!this.c.screens.get(input.screenId)) {
      const made = this.c.screens.create({ id: input.screenId });
      if ('refused' in made) return made;
      createdScreen = made.screen;
    }
    this.c.store.upsertStream({ ...input, createdAt: this.c.now() });
    this.push();
    return { streams: this.list(), createdScreen };
  }

  stop(streamKey: string): boolean {
    const removed = this.c.store.deleteStream(streamKey);
    if (removed) this.push();
    return removed;
  }

  /* ---------- screens: the operator's changes, pushed to renderers when a stream shows the screen ---------- */

  screens(): Screen[] {
    return this.c.screens.list();
  }

  createScreen(input: ScreenCreate): { screen: Screen } | ScreenRefusal {
    return this.c.screens.create(input);
  }

  updateScreen(id: string, change: ScreenUpdate): { screen: Screen } | ScreenRefusal {
    const out = this.c.screens.update(id, change);
    if ('refused' in out) return out;
    if (out.changed && this.usersOf(id) > 0) this.c.leases().resend();
    return { screen: out.screen };
  }

  deleteScreen(id: string): { removed: Screen } | ScreenDeleteRefusal {
    const users = this.usersOf(id);
    if (users > 0) return { refused: 'screen-in-use', message: `screen ${id} is shown by ${users} stream${users === 1 ? '' : 's'}: stop ${users === 1 ? 'it' : 'them'} or move ${users === 1 ? 'it' : 'them'} to another screen first` };
    return this.c.screens.remove(id);
  }

  /**
   * A renderer's report: kept for the streams the operator asked for that it holds (or nobody does), ignored for
   * any other: a node still stopping a stream that moved does not overwrite its new holder's status.
   */
  report(statuses: StreamStatus[], renderer: string): void {
    const known = new Set(this.c.store.streams().map((s) => s.streamKey));
    const leases = this.c.leases();
    const held = leases.leaseOf();
    for (const status of statuses) {
      if (known.has(status.streamKey) && leases.mayReport(status.streamKey, renderer, held)) this.c.store.saveStatus({ ...status, renderer, reportedAt: this.c.now() });
    }
  }

  private usersOf(screenId: string): number {
    return this.c.store.streams().filter((s) => s.screenId === screenId).length;
  }

  private push(): void {
    this.c.leases().reconcile();
  }
}
