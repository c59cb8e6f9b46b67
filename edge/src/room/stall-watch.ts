/**
 * Which viewers have fallen behind. Workerd gives a Durable Object no view of a WebSocket's send queue
 * (no bufferedAmount), so a viewer on a link too slow for the room's updates would make its queue grow unseen.
 * Viewers ping every VIEWER_PING_MS with the seq of the last state they applied; one still short of what the room
 * broadcast VIEWER_STALL_MS ago is closed (and reconnects to the current state), which bounds what can wait for
 * it to about VIEWER_STALL_MS + VIEWER_PING_MS of updates.
 */
import { VIEWER_STALL_MS } from '@stream-fighter/core';

interface Sent {
  seq: number;
  at: number;
}

export class StallWatch {
  /** The broadcasts of about the last two stall windows, oldest first: at most ten a second, so bounded. */
  private readonly sent: Sent[] = [];
  private readonly stallMs: number;

  constructor(stallMs = VIEWER_STALL_MS) {
    this.stallMs = stallMs;
  }

  /** A broadcast went out. */
  record(seq: number, at: number): void {
    this.sent.push({ seq, at });
    let drop = 0;
    while (drop < this.sent.length - 1 && this.sent[drop + 1]!.at <= at - 2 * this.stallMs) drop++;
    if (drop > 0) this.sent.splice(0, drop);
  }

  /** A viewer that has applied `seq` by `now` lags more than the stall window: it lacks a state sent that long ago. */
  stalled(seq: number, now: number): boolean {
    let due: Sent | undefined;
    for (const s of this.sent) {
      if (s.at > now - this.stallMs) break;
      due = s;
    }
    return due !== undefined && seq < due.seq;
  }
}
