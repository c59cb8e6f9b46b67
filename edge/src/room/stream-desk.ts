/**
 * The streams the operator wants pushed (each a stream key and the screen it shows) and what the renderers report
 * about them. Renderers are sent the whole list on connect and on every change, and push what it says.
 */
import { PROTOCOL_VERSION, type ServerMessage, type StreamEntry, type StreamStatus, type StreamsDesired } from '@stream-fighter/core';
import type { RoomStorage } from './storage.ts';

export interface StreamDeskContext {
  store: RoomStorage;
  now: () => number;
  /** Sends a message to every connected renderer. */
  toRenderers: (message: string) => void;
}

export class StreamDesk {
  private readonly c: StreamDeskContext;

  constructor(c: StreamDeskContext) {
    this.c = c;
  }

  list(): StreamEntry[] {
    const statuses = this.c.store.statuses();
    return this.c.store.streams().map((s) => ({ ...s, status: statuses.get(s.streamKey) ?? null }));
  }

  start(input: { streamKey: string; screenId: StreamEntry['screenId'] }): StreamEntry[] {
    this.c.store.upsertStream({ ...input, createdAt: this.c.now() });
    this.push();
    return this.list();
  }

  stop(streamKey: string): boolean {
    const removed = this.c.store.deleteStream(streamKey);
    if (removed) this.push();
    return removed;
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

  private push(): void {
    this.c.toRenderers(JSON.stringify(this.desired() satisfies ServerMessage));
  }
}
