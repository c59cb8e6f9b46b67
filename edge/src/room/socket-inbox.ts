/**
 * What the room lets through from its WebSocket connections, and how it says no. Every message passes the size
 * and rate limits (limits.ts) and the protocol's schema before the room acts on it; what is refused gets a short
 * typed error within the connection's reply budget, or the connection is closed with the reason.
 */
import { ClientMessage, PROTOCOL_VERSION, type Ping, type Resync, type ServerMessage, type StreamReport } from '@stream-fighter/core';
import type { Connection, WSMessage } from 'partyserver';
import type { AppConfig } from '../env.ts';
import { CLOSE, ConnectionLimits } from './limits.ts';
import { roleOfConnection, type Refusal } from './socket-auth.ts';

export class SocketInbox {
  private readonly limits: ConnectionLimits;
  private readonly config: AppConfig;
  private readonly room: string;

  constructor(config: AppConfig, room: string) {
    this.limits = new ConnectionLimits(config);
    this.config = config;
    this.room = room;
  }

  /**
   * A renderer's stream report, a resync (within its budget) or a ping with the seq its sender holds, for the room
   * to act on; null when dealt with here.
   */
  receive(conn: Connection, raw: WSMessage): StreamReport | Resync | Ping | null {
    // A connection being closed (refused, over a limit) has nothing more to say.
    if (conn.readyState !== WebSocket.OPEN) return null;
    const role = roleOfConnection(conn);
    const now = Date.now();
    const verdict = this.limits.check(conn, role, raw, now);
    if (verdict.kind === 'drop') return null;
    if (verdict.kind === 'close') {
      const code = verdict.code === CLOSE.tooLarge ? 'too-large' : 'flooding';
      const warn = { event: 'ws.closed', fields: { code: verdict.code, reason: verdict.reason, bytes: verdict.bytes } };
      this.refuse(conn, { close: verdict.code, code, message: verdict.reason, warn });
      return null;
    }
    if (verdict.kind === 'rate-limited') {
      this.limits.warn(conn, 'ws.rate-limited', { room: this.room, connection: conn.id }, now);
      this.reply(conn, 'rate-limited', `at most ${this.config.WS_MESSAGES_PER_SEC} messages a second; the rest are dropped`, now);
      return null;
    }
    // Within the size cap, so parsing is cheap.
    let data: unknown;
    try {
      data = JSON.parse(typeof raw === 'string' ? raw : new TextDecoder().decode(raw));
    } catch {
      data = undefined;
    }
    const msg = ClientMessage.safeParse(data);
    if (!msg.success) {
      this.limits.warn(conn, 'ws.bad-message', { room: this.room, connection: conn.id, issues: msg.error.issues.slice(0, 3) }, now);
      this.reply(conn, 'bad-message', 'message does not match the protocol', now);
      return null;
    }
    // A ping keeps the connection alive; with a seq, the room checks the sender is keeping up (stall-watch.ts).
    if (msg.data.type === 'ping') return msg.data.seq === undefined ? null : msg.data;
    // Over its budget, a resync is dropped quietly: the client goes on with deltas it cannot apply and asks again.
    if (msg.data.type === 'resync') return this.limits.mayResync(conn, now) ? msg.data : null;
    if (role !== 'renderer') {
      this.reply(conn, 'forbidden', 'only renderers report stream status', now);
      return null;
    }
    return msg.data;
  }

  /** The last word to a connection: why, then the close. Its warn line skips the connection's budget: it comes once. */
  refuse(conn: Connection, refusal: Refusal): void {
    if (refusal.warn) this.limits.warn(conn, refusal.warn.event, { room: this.room, connection: conn.id, ...refusal.warn.fields }, Date.now(), false);
    send(conn, { type: 'error', v: PROTOCOL_VERSION, code: refusal.code, message: refusal.message });
    conn.close(refusal.close, refusal.code);
  }

  error(conn: Connection, error: unknown): void {
    this.limits.warn(conn, 'ws.error', { room: this.room, connection: conn.id, error: String(error) }, Date.now());
  }

  /** An error reply, within the connection's budget: a flood gets a few, not one per message. */
  private reply(conn: Connection, code: string, message: string, now: number): void {
    if (this.limits.mayReply(conn, now)) send(conn, { type: 'error', v: PROTOCOL_VERSION, code, message });
  }
}

export function send(conn: Connection, msg: ServerMessage): void {
  conn.send(JSON.stringify(msg));
}
