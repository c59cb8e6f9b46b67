/**
 * A room's open connections of one tag, without partyserver's check on every step: its iterator
 * (`getConnections`) reads each socket's attachment back (a structured-clone deserialization) to see that the socket
 * is one of its own, on every call, so one broadcast to 5,000 viewers paid 5,000 reads and counting the viewers
 * for each new one paid as many again. Every socket carrying a tag of ours was accepted through partyserver, so the
 * check adds nothing. Partyserver gives a socket its `id` when it first wraps it (in place, once per wake); while
 * some socket has not been wrapped yet, the caller's own iterator runs once and wraps them all.
 */
import type { Connection } from 'partyserver';

export class OpenSockets {
  private readonly ctx: DurableObjectState;
  private readonly wrapping: (tag: string) => Iterable<Connection>;

  /** `wrapping`: partyserver's getConnections, which wraps what it yields. */
  constructor(ctx: DurableObjectState, wrapping: (tag: string) => Iterable<Connection>) {
    this.ctx = ctx;
    this.wrapping = wrapping;
  }

  connections(tag: string): Connection[] {
    const out: Connection[] = [];
    for (const ws of this.ctx.getWebSockets(tag)) {
      if (ws.readyState !== WebSocket.READY_STATE_OPEN) continue;
      if (!Object.hasOwn(ws, 'id')) return [...this.wrapping(tag)];
      out.push(ws as unknown as Connection);
    }
    return out;
  }

  count(tag: string): number {
    let n = 0;
    for (const ws of this.ctx.getWebSockets(tag)) if (ws.readyState === WebSocket.READY_STATE_OPEN) n++;
    return n;
  }
}
