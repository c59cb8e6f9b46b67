/**
 * The Arena room: one PartyServer Durable Object per stream. It owns the live round, runs the clock on alarms
 * (so rounds go on 24/7 with nobody connected), counts each voter once per round, archives results and
 * broadcasts snapshots to viewers and renderers at most 10 times a second. The work is done by the modules beside
 * it; this class wires them to the Durable Object's entry points: RPC, alarms and WebSockets.
 */
import type { Connection, ConnectionContext, WSMessage } from 'partyserver';
import { PROTOCOL_VERSION, diffSnapshots, type ChatStatusReply, type ChatStatusReport, type ChatVoteBatch, type ChatVoteResult, type OptionId, type PollResponse, type SeasonResponse, type ServerMessage, type Shoutout, type Snapshot } from '@stream-fighter/core';
import { Alerts } from '../alerts/alerts.ts';
import { seasonRoster } from '../db/fighters.ts';
import { services } from '../services.ts';
import { generateForQueue } from './prewarm.ts';
import { readConfig, type AppConfig } from '../env.ts';
import { BallotBox, type VoteInput, type VoteOutcome } from './ballot-box.ts';
import { BetBook, type BetInput, type BetOutcome, type MeView, type ViewerStanding } from './bet-book.ts';
import { ChatDesk } from './chat-desk.ts';
import { ChatFeed } from './chat-feed.ts';
import { ChatSources } from './chat-sources.ts';
import { FighterCardDesk } from './fighter-cards.ts';
import { OpenSockets } from './open-sockets.ts';
import { OperatorRpc } from './operator-rpc.ts';
import { RoundRunner } from './round-runner.ts';
import { ScreenBook } from './screen-book.ts';
import { ShoutoutDesk, type ShoutoutAdmission } from './shoutout-desk.ts';
import { SnapshotCache } from './snapshot-cache.ts';
import { admitConnection, connectionTags, roleOfConnection } from './socket-auth.ts';
import { SeasonDesk } from './season-desk.ts';
import { SocketInbox, send } from './socket-inbox.ts';
import { RenderLeases, rendererInfo } from './render-leases.ts';
import { RelayDesk } from './relay-desk.ts';
import type { Relay } from './relay.ts';
import { ShardFlushes, type FlushAnswer } from './shard-flushes.ts';
import { RoomStorage } from './storage.ts';
import { ViewerPace } from './viewer-pace.ts';
import { StreamDesk } from './stream-desk.ts';
import { Throttle } from './throttle.ts';
import { Upkeep } from './upkeep.ts';
import type { ShardFlush } from './vote-shard.ts';
import { healthView, pollView, snapshotView, type RoomHealth } from './views.ts';

export const BROADCAST_INTERVAL_MS = 100;
const SHOUTOUTS_ON_AIR = 8;

export class Arena extends OperatorRpc {
  static override options = { hibernate: true };

  // Set by load(), with the modules of OperatorRpc, before the room takes any call. Tests reach into `config`.
  private config!: AppConfig;
  private upkeep!: Upkeep;
  private inbox!: SocketInbox;
  private cache!: SnapshotCache;
  private leases!: RenderLeases;
  private relays!: RelayDesk;
  private shardFlushes!: ShardFlushes;
  private cards!: FighterCardDesk;
  private readonly throttle = new Throttle(BROADCAST_INTERVAL_MS, () => this.broadcastSnapshot());
  /** The last snapshot broadcast: viewers hold it, and the next delta is made from it. */
  private lastSent: Snapshot | null = null;
  /** Viewers given a state newer than lastSent (on join, on resync): the next delta is not theirs to apply. */
  private readonly wholeNext = new Set<string>();
  private pace!: ViewerPace;
  private readonly sockets: OpenSockets;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sockets = new OpenSockets(ctx, (tag) => this.getConnections(tag));
    // RPC from the Worker does not pass through partyserver's fetch, where onStart runs: the room loads here, once
    // per wake, and blockConcurrencyWhile holds every call, alarm and message until it has. Its name (ctx.id.name)
    // is known from the constructor on, since the room is addressed by name (room-stub.ts, routePartykitRequest).
    void ctx.blockConcurrencyWhile(() => this.load());
  }

  /** The room's clock. Tests replace it (runInDurableObject) to drive rounds without waiting. */
  now(): number {
    return Date.now();
  }

  private async load(): Promise<void> {
    const [config, store, room, now] = [readConfig(this.env), new RoomStorage(this.ctx.storage.sql), this.name, () => this.now()];
    const waitUntil = (work: Promise<unknown>) => this.ctx.waitUntil(work);
    const season = new SeasonDesk({
      sql: this.ctx.storage.sql,
      config,
      room,
      now,
      roster: () => seasonRoster(services(config).db, { now: now() }),
      generate: async (count, seed) => (await generateForQueue(config, { count, seed })).matchups,
      changed: () => runner.changed(),
    });
    // A new round (or any change) asks for the live round's fighter cards; a no-op once they are here or on their way.
    const runner = new RoundRunner({
      store,
      config,
      room,
      now,
      season,
      changed: () => {
        this.cards.want(runner.round);
        this.throttle.poke();
      },
      // Both in the archive step: the payouts and the cycle's move commit with the finished round.
      finished: (result) => {
        this.bets.settle(result);
        season.finished(result);
      },
    });
    this.cards = new FighterCardDesk({ config, room, waitUntil, currentPollId: () => runner.round.pollId, changed: () => runner.changed() });
    const desk = new ShoutoutDesk(store, { autoApprove: config.SHOUTOUT_AUTO_APPROVE, onAir: SHOUTOUTS_ON_AIR }, { aired: () => runner.changed(), queued: () => this.pushModeration() });
    [this.config, this.store, this.runner, this.desk, this.season] = [config, store, runner, desk, season];
    const alerts = new Alerts({ sql: this.ctx.storage.sql, store, config, room, now });
    const isBanned = (voterId: string) => desk.isBanned(voterId);
    const round = () => (runner.advance(), runner.round);
    this.bets = new BetBook({ sql: this.ctx.storage.sql, now, round, previousPollId: () => runner.previous?.pollId ?? null, upcoming: () => runner.upcoming(), streamDelayMs: () => config.STREAM_DELAY_MS, isBanned });
    this.ballots = new BallotBox({ store, config, room, now, runner, isBanned, waitUntil, watch: alerts.votes });
    const feed = new ChatFeed({ blocklist: config.SHOUTOUT_BLOCKLIST, isBanned });
    const opened = () => this.ctx.waitUntil(this.armAlarm());
    this.shardFlushes = new ShardFlushes(this.ctx.storage.sql);
    this.chat = new ChatDesk({ runner, ballots: this.ballots, sources: new ChatSources(this.ctx.storage.sql, { leaseMs: config.CHAT_LEASE_MS }), feed, now, fed: () => runner.changed(), opened });
    const streamDesk = new StreamDesk({ store, screens: new ScreenBook(this.ctx.storage.sql, now, config.STREAM_LANG), now, leases: () => this.leases });
    this.leases = new RenderLeases({
      sql: this.ctx.storage.sql,
      now,
      times: { leaseMs: config.RENDER_LEASE_MS, soloLeaseMs: config.RENDER_SOLO_LEASE_MS },
      renderers: () => this.sockets.connections('renderer'),
      wanted: () => streamDesk.wanted(),
    });
    this.streamDesk = streamDesk;
    const relays = this.env.Relay as unknown as DurableObjectNamespace<Relay>;
    this.relays = new RelayDesk({
      sql: this.ctx.storage.sql,
      config,
      room,
      relay: (name) => relays.get(relays.idFromName(name)),
      arenaViewers: () => this.sockets.count('viewer'),
      waitUntil,
    });
    this.upkeep = new Upkeep({ store, config, room, now, runner, alerts, season });
    this.inbox = new SocketInbox(config, room);
    this.pace = new ViewerPace(this.inbox, config);
    this.cache = new SnapshotCache(config, room, waitUntil);
    runner.advance();
    // A room woken with a round under way has lost its cards with its memory: read them again.
    this.cards.want(runner.round);
    await this.armAlarm();
    this.ctx.waitUntil(this.upkeep.run());
  }

  override async onAlarm(): Promise<void> {
    this.runner.advance();
    this.chat.recheck();
    await this.armAlarm();
    await this.upkeep.run();
  }

  private async armAlarm(): Promise<void> {
    await this.ctx.storage.setAlarm(Math.min(this.runner.wakeAt(), this.upkeep.alerts.wakeAt(), this.chat.wakeAt()));
  }

  /* ---------------- RPC from the Worker (the operator's: operator-rpc.ts) ---------------- */

  vote(input: VoteInput): Promise<VoteOutcome> {
    return this.ballots.vote(input);
  }

  /** A play-money bet on the round in its intro (bet-book.ts). */
  bet(input: BetInput): BetOutcome {
    const outcome = this.bets.place(input);
    // The odds moved: a new seq, and they go out with the next broadcast (at most ten a second, however many bets come).
    if (outcome.ok) this.runner.changed();
    return outcome;
  }

  /** A voter's points, open bet, last settled bet and the current round's odds. */
  me(voterId: string): MeView {
    return this.bets.me(voterId);
  }

  /** The season's viewers' leaderboard: the highest point balances (bet-book.ts). */
  viewerLeaderboard(limit: number): ViewerStanding[] {
    return this.bets.leaderboard(limit);
  }

  /** GET /api/season: where the cycle is, the bracket with names, past champions. */
  seasonView(): SeasonResponse {
    this.runner.advance();
    return this.season.view();
  }

  /** A counting shard's flush (vote-shard.ts): counted once, however often it is sent. */
  shardFlush(flush: ShardFlush): FlushAnswer {
    return this.shardFlushes.once(flush.shard, flush.seq, flush.votes, () => this.ballots.countShardBatch(flush.votes));
  }

  /** A batch of chat votes from the chat bridge: each line for the round live when it was sent, or none. */
  chatVotes(batch: ChatVoteBatch): Promise<ChatVoteResult> {
    return this.chat.votes(batch);
  }

  /** The chat bridge's report of its sources; answered with the sources an operator paused. */
  chatStatus(report: ChatStatusReport): ChatStatusReply {
    return this.chat.status(report);
  }

  /** A screened shout-out: refused for a banned voter, on air with auto-approval, else waiting for an operator. */
  addShoutout(s: Shoutout, voterId: string): ShoutoutAdmission {
    return this.desk.submit(s, voterId);
  }

  poll(voterId?: string): PollResponse {
    this.runner.advance();
    const myVote = voterId ? this.store.voteOf(this.runner.round.pollId, voterId) : null;
    return pollView(this.runner.view(), this.now(), myVote as OptionId | null, this.chat.isOpen(), this.cards.of(this.runner.round.pollId), this.season.onAir());
  }

  async rotate(): Promise<PollResponse> {
    this.runner.apply({ type: 'rotate' });
    await this.armAlarm();
    return this.poll();
  }

  health(): RoomHealth {
    this.runner.advance();
    const connections = { viewer: this.sockets.count('viewer'), renderer: this.sockets.count('renderer') };
    return healthView(this.runner.view(), connections, this.relays.inUse, { queued: this.store.queue().length, outbox: this.store.outbox().length });
  }

  /** Where a new viewer connects (the Worker asks before it routes the upgrade): a relay's number, or null: here. */
  placeViewer(addressTag: string): number | null {
    return this.relays.place(addressTag);
  }

  /** The state a relay starts its first viewers from, before its first update. */
  snapshotForRelay(): Snapshot {
    return this.lastSent ?? this.snapshot();
  }

  /* ---------------- WebSocket ---------------- */

  override getConnectionTags(_conn: Connection, ctx: ConnectionContext): Promise<string[]> {
    return connectionTags(ctx.request, this.config);
  }

  override onConnect(conn: Connection, ctx: ConnectionContext): void {
    const admitted = admitConnection(conn, ctx.request, this.config, (tag) => this.sockets.count(tag));
    if ('refused' in admitted) return this.inbox.refuse(conn, admitted.refused);
    send(conn, { type: 'welcome', v: PROTOCOL_VERSION, role: admitted.role, connectionId: conn.id });
    if (admitted.role === 'viewer') {
      this.pace.heard(conn, Date.now());
      this.startViewer(conn);
    } else send(conn, this.snapshot());
    if (admitted.role === 'renderer') this.leases.joined(conn, rendererInfo(conn, new URL(ctx.request.url)));
    if (admitted.role === 'operator') send(conn, this.desk.state());
  }

  override onMessage(conn: Connection, raw: WSMessage): void {
    this.pace.heard(conn, Date.now());
    const msg = this.inbox.receive(conn, raw);
    if (msg?.type === 'resync') this.startViewer(conn);
    else if (msg?.type === 'ping') {
      if (msg.seq !== undefined && roleOfConnection(conn) === 'viewer') this.pace.pinged(conn, msg.seq, this.now());
    }
    else if (msg) {
      this.streamDesk.report(msg.streams, conn.id);
      this.leases.reported(conn, msg.leaseSeq);
    }
  }

  override onClose(conn: Connection): void {
    if (roleOfConnection(conn) === 'renderer') this.leases.left(conn);
    else this.pace.left(conn);
  }

  override onError(conn: Connection, error: unknown): void {
    this.inbox.error(conn, error);
  }

  private snapshot(): Snapshot {
    const view = this.runner.view();
    const pollId = view.round.pollId;
    return snapshotView(this.name, view, this.now(), {
      shoutouts: this.desk.onAir(),
      chatFeed: this.chat.feed(pollId),
      chatOpen: this.chat.isOpen(),
      odds: this.bets.odds(view.round),
      fighters: this.cards.of(pollId),
      season: this.season.onAir(),
    });
  }

  /**
   * A viewer's whole state, on join and on resync: the current one. When it is newer than the last broadcast (a
   * change waits for the throttle), the next delta is made from a state this viewer never held, so the next
   * broadcast goes to it whole; the ones after are deltas again.
   */
  private startViewer(conn: Connection): void {
    const snapshot = this.snapshot();
    if (this.lastSent && snapshot.seq !== this.lastSent.seq) this.wholeNext.add(conn.id);
    send(conn, snapshot);
  }

  /**
   * Renderers and operators get every snapshot whole. Viewers, the many, get what changed since the last one (~240
   * bytes for a vote against ~2.5 KB, core/snapshot-delta.ts), one string for all of them; the whole snapshot when
   * a delta cannot say it or the room has just woken (its viewers may hold anything up to the last one before it
   * slept).
   */
  private broadcastSnapshot(): void {
    const snapshot = this.snapshot();
    const whole = JSON.stringify(snapshot satisfies ServerMessage);
    const delta = this.lastSent && diffSnapshots(this.lastSent, snapshot);
    const forViewers = delta ? JSON.stringify(delta satisfies ServerMessage) : whole;
    this.relays.feed({ whole, delta: delta ? forViewers : null, seq: snapshot.seq, base: this.lastSent?.seq ?? null });
    this.lastSent = snapshot;
    this.pace.sent(snapshot.seq, snapshot.now);
    const now = Date.now();
    for (const conn of this.sockets.connections('viewer')) {
      if (!this.pace.mayReceive(conn, now)) continue;
      conn.send(this.wholeNext.size > 0 && this.wholeNext.has(conn.id) ? whole : forViewers);
    }
    this.wholeNext.clear();
    this.sendTo('renderer', whole);
    this.sendTo('operator', whole);
    this.cache.save(snapshot);
  }

  private pushModeration(): void {
    this.sendTo('operator', JSON.stringify(this.desk.state() satisfies ServerMessage));
  }

  private sendTo(role: 'renderer' | 'operator', msg: string): void {
    for (const conn of this.sockets.connections(role)) conn.send(msg);
  }
}
