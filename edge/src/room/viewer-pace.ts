/**
 * Keeping viewers' queues bounded, the same in the Arena and in a relay: a viewer too far behind the updates
 * (stall-watch.ts, 4010) or silent too long (viewer-liveness.ts, 4011) is closed, and reconnects to the current
 * state. Callers pass the times: the Arena's updates carry room time (tests move it), silence is wall-clock time.
 */
import { VIEWER_PING_MS, VIEWER_STALL_MS } from '@stream-fighter/core';
import type { Connection } from 'partyserver';
import type { AppConfig } from '../env.ts';
import { CLOSE } from './limits.ts';
import type { SocketInbox } from './socket-inbox.ts';
import { StallWatch } from './stall-watch.ts';
import { ViewerLiveness } from './viewer-liveness.ts';

export class ViewerPace {
  private readonly stalls = new StallWatch();
  private readonly liveness = new ViewerLiveness(Date.now());
  private readonly inbox: SocketInbox;
  private readonly config: AppConfig;

  constructor(inbox: SocketInbox, config: AppConfig) {
    this.inbox = inbox;
    this.config = config;
  }

  /** A viewer connected, or sent anything. */
  heard(conn: Connection, now: number): void {
    this.liveness.heard(conn.id, now);
  }

  left(conn: Connection): void {
    this.liveness.forget(conn.id);
  }

  /** An update went out, numbered `seq`, at `at`. */
  sent(seq: number, at: number): void {
    this.stalls.record(seq, at);
  }

  /** Before an update goes to a viewer: false, and the viewer closed, when it has been silent too long. */
  mayReceive(conn: Connection, now: number): boolean {
    const silentSec = this.config.WS_VIEWER_SILENT_SEC;
    if (!this.liveness.silent(conn.id, now, silentSec * 1_000)) return true;
    this.liveness.forget(conn.id);
    const message = `nothing heard from this connection for ${silentSec} s (clients ping every ${VIEWER_PING_MS / 1000} s)`;
    this.inbox.refuse(conn, { close: CLOSE.silent, code: 'silent', message, warn: { event: 'ws.silent', fields: {} } });
    return false;
  }

  /** A viewer's ping says it holds `seq` at `now`: closed when it lacks what went out a stall window ago. */
  pinged(conn: Connection, seq: number, now: number): void {
    if (!this.stalls.stalled(seq, now)) return;
    const message = `this connection is more than ${VIEWER_STALL_MS / 1000} s behind the room: reconnect for the current state`;
    this.inbox.refuse(conn, { close: CLOSE.stalled, code: 'stalled', message, warn: { event: 'ws.stalled', fields: { seq } } });
  }
}
