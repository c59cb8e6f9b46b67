/**
 * Which viewers have gone silent. Every viewer client pings every VIEWER_PING_MS; one the room has heard nothing
 * from for WS_VIEWER_SILENT_SEC (three pings missed) is closed when the next update would go to it: a client that
 * stopped reading and never pings would otherwise make workerd hold every update for it, without bound
 * (`npm run bench:stalled`: ~670 KB a minute each behind a small TCP window). Memory only: a room just woken counts
 * its open connections as heard at its wake.
 */
export class ViewerLiveness {
  private readonly heardAt = new Map<string, number>();
  private readonly wokeAt: number;

  constructor(now: number) {
    this.wokeAt = now;
  }

  heard(id: string, now: number): void {
    this.heardAt.set(id, now);
  }

  forget(id: string): void {
    this.heardAt.delete(id);
  }

  silent(id: string, now: number, silentMs: number): boolean {
    return now - (this.heardAt.get(id) ?? this.wokeAt) > silentMs;
  }
}
