/**
 * The streams the operator wants pushed (each a stream key and the screen it shows) and what the renderers report
 * about them. Renderers are sent the whole list, each stream with its screen resolved, on connect and on every
 * change: a stream started or stopped, or a screen a stream shows changed.
 */
import { PROTOCOL_VERSION, type Screen, type ScreenCreate, type ScreenUpdate, type ServerMessage, type StreamEntry, type StreamStatus, type StreamsDesired } from '@stream-fighter/core';
import type { ScreenBook, ScreenRefusal } from './screen-book.ts';
import type { RoomStorage } from './storage.ts';

export interface StreamDeskContext {
  store: RoomStorage;
  screens: ScreenBook;
  now: () => number;
  /** Sends a message to every connected renderer. */
  toRenderers: (message: string) => void;
}

export type StreamStart = { streams: StreamEntry[]; createdScreen: Screen | null };
export type ScreenDeleteRefusal = ScreenRefusal | { refused: 'screen-in-use'; message: string };

export class StreamDesk {
  private readonly c: StreamDeskContext;

  constructor(c: StreamDeskContext) {
    this.c = c;
  }

  list(): StreamEntry[] {
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
    if (out.changed && this.usersOf(id) > 0) this.push();
    return { screen: out.screen };
  }

  deleteScreen(id: string): { removed: Screen } | ScreenDeleteRefusal {
    const users = this.usersOf(id);
    if (users > 0) return { refused: 'screen-in-use', message: `screen ${id} is shown by ${users} stream${users === 1 ? '' : 's'}: stop ${users === 1 ? 'it' : 'them'} or move ${users === 1 ? 'it' : 'them'} to another screen first` };
    return this.c.screens.remove(id);
  }

  /** A renderer's report: kept for the streams the operator asked for, ignored for any other. */
  report(statuses: StreamStatus[], renderer: string): void {
    const known = new Set(this.c.store.streams().map((s) => s.streamKey));
    for (const status of statuses) {
      if (known.has(status.streamKey)) this.c.store.saveStatus({ ...status, renderer, reportedAt: this.c.now() });
    }
  }

  /** What renderers are sent. */
  desired(): StreamsDesired {
    return { type: 'streams', v: PROTOCOL_VERSION, streams: this.list() };
  }

  private usersOf(screenId: string): number {
    return this.c.store.streams().filter((s) => s.screenId === screenId).length;
  }

  private push(): void {
    this.c.toRenderers(JSON.stringify(this.desired() satisfies ServerMessage));
  }
}
