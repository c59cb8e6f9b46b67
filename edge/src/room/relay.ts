/**
 * A relay: a PartyServer Durable Object that holds viewer connections for a room with more viewers than one object
 * should hold. The Arena decides who goes where (relay-desk.ts: by a hash of the viewer's address, so an address's
 * connections share one object and its cap stays whole), names the relays, and feeds each one once per update,
 * not once per viewer. A relay speaks the Arena's viewer protocol: a snapshot on join, then deltas, a snapshot on
 * resync, the same limits, the same stall check; it holds only viewers and takes no votes.
 */
import { PROTOCOL_VERSION, Snapshot } from '@stream-fighter/core';
import { Server, type Connection, type ConnectionContext, type WSMessage } from 'partyserver';
import { readConfig, type AppConfig } from '../env.ts';
import { CLOSE } from './limits.ts';
import { OpenSockets } from './open-sockets.ts';
import { roomStub } from './room-stub.ts';
import { admitConnection, connectionTags } from './socket-auth.ts';
import { SocketInbox, send } from './socket-inbox.ts';
import { ViewerPace } from './viewer-pace.ts';

/** What the Arena hands a relay per update: the whole state, and the delta from the state numbered `base`. */
export interface Fanout {
  whole: string;
  delta: string | null;
  seq: number;
  base: number | null;
}

export class Relay extends Server<Env> {
  static override options = { hibernate: true };

  private readonly config: AppConfig;
  private readonly inbox: SocketInbox;
  private readonly pace: ViewerPace;
  private readonly sockets: OpenSockets;
  /** The last state fed (memory: a relay woken from hibernation has none, and its next update goes out whole). */
  private latest: { whole: string; seq: number } | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.config = readConfig(env);
    this.inbox = new SocketInbox(this.config, ctx.id.name ?? 'relay');
    this.pace = new ViewerPace(this.inbox, this.config);
    this.sockets = new OpenSockets(ctx, (tag) => this.getConnections(tag));
  }

  /**
   * One update from the Arena, to every viewer here: the delta when they hold its base, else the whole state. One
   * older than the last fed (calls can overtake each other) is dropped: viewers never go back.
   */
  fanout(f: Fanout): number {
    if (this.latest && f.seq <= this.latest.seq) return this.sockets.count('viewer');
    const deltaFits = f.delta !== null && this.latest !== null && this.latest.seq === f.base;
    const out = deltaFits ? f.delta! : f.whole;
    let viewers = 0;
    const now = Date.now();
    for (const conn of this.sockets.connections('viewer')) {
      if (!this.pace.mayReceive(conn, now)) continue;
      conn.send(out);
      viewers++;
    }
    this.latest = { whole: f.whole, seq: f.seq };
    this.pace.sent(f.seq, now);
    return viewers;
  }

  override getConnectionTags(_conn: Connection, ctx: ConnectionContext): Promise<string[]> {
    return connectionTags(ctx.request, this.config);
  }

  override async onConnect(conn: Connection, ctx: ConnectionContext): Promise<void> {
    const admitted = admitConnection(conn, ctx.request, this.config, (tag) => this.sockets.count(tag));
    if ('refused' in admitted) return this.inbox.refuse(conn, admitted.refused);
    // Only viewers are routed here (index.ts); anything else came some other way.
    if (admitted.role !== 'viewer') return this.inbox.refuse(conn, { close: CLOSE.unauthorized, code: 'unauthorized', message: 'relays hold viewers only' });
    this.pace.heard(conn, Date.now());
    send(conn, { type: 'welcome', v: PROTOCOL_VERSION, role: 'viewer', connectionId: conn.id });
    conn.send(await this.whole());
  }

  override async onMessage(conn: Connection, raw: WSMessage): Promise<void> {
    this.pace.heard(conn, Date.now());
    const msg = this.inbox.receive(conn, raw);
    if (msg?.type === 'resync') conn.send(await this.whole());
    else if (msg?.type === 'ping' && msg.seq !== undefined) this.pace.pinged(conn, msg.seq, Date.now());
  }

  override onClose(conn: Connection): void {
    this.pace.left(conn);
  }

  override onError(conn: Connection, error: unknown): void {
    this.inbox.error(conn, error);
  }

  /** The state a viewer starts from: the last one fed, so the next delta applies on it; the Arena's, before any. */
  private async whole(): Promise<string> {
    if (this.latest) return this.latest.whole;
    const snapshot = Snapshot.parse(await roomStub(this.env, this.config).snapshotForRelay());
    // Not kept as `latest`: the next update's delta is made from the Arena's last broadcast, not from this.
    return JSON.stringify(snapshot);
  }
}
