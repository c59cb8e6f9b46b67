/**
 * The Arena room: one PartyServer Durable Object per stream. It owns the live round, runs the clock on alarms
 * (so rounds go on 24/7 with nobody connected), counts each voter once per round, archives results and
 * broadcasts snapshots to viewers and renderers at most 10 times a second.
 */
import { Server, type Connection, type ConnectionContext, type WSMessage } from 'partyserver';
import {
  ClientMessage,
  PROTOCOL_VERSION,
  canVote,
  generateMatchup,
  nextAudience,
  nextDeadline,
  pollIdFor,
  reduce,
  startRound,
  timeLeftMs,
  type Matchup,
  type OptionId,
  type PollResponse,
  type RoundEffect,
  type RoundEvent,
  type RoundResult,
  type RoundState,
  type ServerMessage,
  type Shoutout,
  type Snapshot,
  type StreamEntry,
  type StreamsDesired,
} from '@stream-fighter/core';
import { readConfig, type AppConfig } from '../env.ts';
import { log } from '../log.ts';
import { RoomStorage } from './storage.ts';
import { Throttle } from './throttle.ts';
import { archiveOutbox } from './archiver.ts';
import { Batcher } from './batcher.ts';
import { markVoted, rateLimitBatch } from './admission.ts';
import { prewarmQueue } from './prewarm.ts';
import { Retention } from './retention.ts';
import { addressKey, clientAddress } from '../http/address.ts';
import { ROLE_TAGS, roleOf, tokenAllowed, type Role } from './gate.ts';
import { CLOSE, ConnectionLimits, addressTag, addressTagOf } from './limits.ts';
import { keys, services } from '../services.ts';
import type { Moderation } from '@stream-fighter/core';
import { ShoutoutDesk, type ShoutoutAdmission } from './shoutout-desk.ts';

export const BROADCAST_INTERVAL_MS = 100;
/** Keep this many matchups ready so a round change never waits for the AI. */
export const QUEUE_TARGET = 2;
const SHOUTOUTS_ON_AIR = 8;
/** How often a pending archive is retried while Postgres is unreachable. */
const OUTBOX_RETRY_MS = 15_000;
const SNAPSHOT_CACHE_MS = 1_000;

export interface VoteInput {
  voterId: string;
  option: string;
  pollId?: string | undefined;
  /**
   * The keyed hash of the caller's address prefix (http/address.ts), for the per-address limits; absent for a
   * vote relayed by an authenticated bridge, whose platform accounts are not behind one address.
   */
  address?: string | undefined;
  /** The session was minted without proof of work (the no-JavaScript form): the stricter per-address cap applies. */
  nojs?: boolean | undefined;
}

export type VoteOutcome =
  | { ok: true; pollId: string; option: OptionId; tally: RoundState['votes']; hp: RoundState['hp']; seq: number }
  | { ok: false; code: 'already-voted'; pollId: string; option: string }
  | { ok: false; code: 'rate-limited'; pollId: string; retryAfterSec: number }
  | { ok: false; code: 'address-limit'; pollId: string; cap: number; retryAfterSec: number }
  | { ok: false; code: 'stale-poll' | 'not-live' | 'unknown-option'; pollId: string; message: string }
  | { ok: false; code: 'banned'; pollId: string; message: string };

export class Arena extends Server<Env> {
  static override options = { hibernate: true };

  private store!: RoomStorage;
  private config!: AppConfig;
  private round!: RoundState;
  private seq = 0;
  private previous: RoundResult | null = null;
  private readonly throttle = new Throttle(BROADCAST_INTERVAL_MS, () => this.broadcastSnapshot());

  /** The room's clock. Tests replace it (runInDurableObject) to drive rounds without waiting. */
  now(): number {
    return Date.now();
  }

  override async onStart(): Promise<void> {
    this.config = readConfig(this.env);
    this.store = new RoomStorage(this.ctx.storage.sql);
    this.previous = this.store.loadPrevious();
    const saved = this.store.loadRound();
    if (saved) {
      this.round = saved.round;
      this.seq = saved.seq;
    } else {
      this.round = this.openRound(this.nextMatchup(), 5);
      this.persist();
    }
    this.advance();
    await this.armAlarm();
    this.ctx.waitUntil(this.background());
  }

  /* ---------------- the clock ---------------- */

  override async onAlarm(): Promise<void> {
    this.advance();
    await this.armAlarm();
    await this.background();
  }

  /** Apply a tick at the current time and carry out what it asks for. */
  private advance(): void {
    this.apply({ type: 'tick' });
  }

  private apply(event: RoundEvent): RoundEffect[] {
    const before = this.round;
    const effects = this.step(event);
    if (this.round !== before) this.changed();
    return effects;
  }

  /** One event through the reducer and its effects carried out, without the save and broadcast of `changed`. */
  private step(event: RoundEvent): RoundEffect[] {
    const { state, effects } = reduce(this.round, event, this.now());
    this.round = state;
    for (const effect of effects) this.perform(effect);
    return effects;
  }

  private perform(effect: RoundEffect): void {
    if (effect.type === 'archive') {
      // Written to the outbox in the same transaction as the state: the archive can be retried, never lost.
      this.store.addOutbox(effect.result);
      this.store.savePrevious(effect.result);
      this.previous = effect.result;
      log.info('round.finished', { room: this.name, pollId: effect.result.pollId, outcome: effect.result.outcome, votes: effect.result.totalVotes });
    } else {
      const audience = this.previous ? nextAudience(this.round.audience, this.previous) : this.round.audience;
      const finished = this.round.pollId;
      this.round = this.openRound(this.nextMatchup(), audience);
      this.store.pruneVotes([this.round.pollId, finished]);
      log.info('round.started', { room: this.name, pollId: this.round.pollId, title: this.round.matchup.title });
    }
  }

  private openRound(matchup: Matchup, audience: number): RoundState {
    // The poll id folds in the room's seq so it is unique per room even for a repeated matchup.
    const pollId = pollIdFor(`${this.name}:${this.seq}:${this.now()}`);
    return startRound({ pollId, matchup: { ...matchup, durationSec: matchup.durationSec ?? this.config.ROUND_SECONDS }, now: this.now(), audience });
  }

  private nextMatchup(): Matchup {
    const queued = this.store.popQueue();
    if (queued) return queued;
    const m = generateMatchup(`${this.name}:${this.seq}`);
    return { ...m, durationSec: this.config.ROUND_SECONDS };
  }

  private persist(): void {
    this.store.saveRound(this.round, this.seq);
  }

  /** Something clients see changed (queue, shout-outs): a new seq, saved, and a broadcast within the window. */
  private changed(): void {
    this.seq++;
    this.persist();
    this.throttle.poke();
  }

  private async armAlarm(): Promise<void> {
    let at = nextDeadline(this.round) ?? this.now() + 60_000;
    if (this.store.outbox().length > 0) at = Math.min(at, this.now() + OUTBOX_RETRY_MS);
    await this.ctx.storage.setAlarm(Math.max(at, this.now() + 1));
  }

  private readonly retention = new Retention();

  /** Work that talks to the outside: archive finished rounds, keep the queue warm, expire personal data. Never blocks the round. */
  private async background(): Promise<void> {
    await Promise.allSettled([
      archiveOutbox(this.store, this.config, this.name),
      this.retention.run(this.config, this.name, this.now()),
      this.store.queue().length < QUEUE_TARGET ? this.prewarm(QUEUE_TARGET - this.store.queue().length) : Promise.resolve(),
    ]);
  }

  private prewarming = false;
  private async prewarm(count: number): Promise<void> {
    if (this.prewarming) return;
    this.prewarming = true;
    try {
      const matchups = await prewarmQueue(this.config, { count, seed: `${this.name}:${this.seq}:${this.now()}` });
      this.store.enqueue(matchups.map((m) => ({ ...m, durationSec: this.config.ROUND_SECONDS })));
      this.changed();
    } finally {
      this.prewarming = false;
    }
  }

  /* ---------------- RPC from the Worker ---------------- */

  /**
   * One vote. What the room can refuse on its own is refused here; the rest joins the next batch, which checks
   * the rate limits of all its votes in one Redis round trip and commits them with one state write.
   */
  async vote(input: VoteInput): Promise<VoteOutcome> {
    await this.__unsafe_ensureInitialized();
    this.advance();
    // A vote without a poll id is for the poll live now, not whichever one is live when its batch commits.
    const pollId = input.pollId ?? this.round.pollId;
    if (this.desk.isBanned(input.voterId)) return { ok: false, code: 'banned', pollId, message: 'this voter was banned by an operator' };
    return this.refusal(pollId, input.option) ?? this.ballots.submit({ ...input, pollId });
  }

  private readonly ballots = new Batcher<VoteInput & { pollId: string }, VoteOutcome>((batch) => this.admit(batch));

  private async admit(batch: Array<VoteInput & { pollId: string }>): Promise<VoteOutcome[]> {
    const verdicts = await rateLimitBatch(this.config, this.name, batch);
    // Everything from here on is synchronous: the inserts and the new state commit together. The round may
    // have moved on during the Redis round trip, so every vote is checked again against the round as it is now.
    this.advance();
    const before = this.round;
    const counted: Array<{ i: number; voterId: string; option: OptionId }> = [];
    const outcomes = batch.map((v, i): VoteOutcome | null => {
      const verdict = verdicts[i]!;
      if (!verdict.ok) return { ok: false, code: 'rate-limited', pollId: v.pollId, retryAfterSec: verdict.retryAfterSec };
      const refused = this.refusal(v.pollId, v.option);
      if (refused) return refused;
      const already = this.store.voteOf(v.pollId, v.voterId);
      if (already !== null) return { ok: false, code: 'already-voted', pollId: v.pollId, option: already };
      const capped = this.addressCap(v);
      if (capped) return capped;
      this.store.recordVote(v.pollId, v.voterId, v.option, this.now());
      if (v.address) this.store.countAddressVote(v.pollId, v.address, v.nojs === true);
      // One at a time: a KO part-way through the batch closes the round for the votes after it.
      const option = v.option as OptionId;
      this.step({ type: 'votes', votes: [{ option }] });
      counted.push({ i, voterId: v.voterId, option });
      return null;
    });
    if (this.round !== before) this.changed();
    const pollId = before.pollId;
    this.ctx.waitUntil(markVoted(this.config, this.name, counted.map((c) => ({ pollId, voterId: c.voterId, option: c.option }))));
    const accepted = { ok: true as const, pollId, tally: this.round.votes, hp: this.round.hp, seq: this.seq };
    for (const c of counted) outcomes[c.i] = { ...accepted, option: c.option };
    return outcomes as VoteOutcome[];
  }

  /**
   * The per-round cap of the vote's address, counted here in the room's own SQLite so it is exact and needs no
   * Redis: every vote of a round passes through this one object. Sessions minted without proof of work (the
   * no-JavaScript form) have a stricter cap of their own, inside the address's total.
   */
  private addressCap(v: VoteInput & { pollId: string }): VoteOutcome | null {
    if (!v.address) return null;
    const used = this.store.addressVotes(v.pollId, v.address);
    const { VOTES_PER_ADDRESS_PER_ROUND: total, VOTES_PER_ADDRESS_PER_ROUND_NOJS: nojs } = this.config;
    const cap = used.total >= total ? total : v.nojs && used.nojs >= nojs ? nojs : null;
    if (cap === null) return null;
    const retryAfterSec = Math.max(1, Math.ceil(timeLeftMs(this.round, this.now()) / 1000));
    return { ok: false, code: 'address-limit', pollId: v.pollId, cap, retryAfterSec };
  }

  /** Why this vote cannot count in the round as it is now, or null when it can. */
  private refusal(pollId: string, option: string): VoteOutcome | null {
    const { round } = this;
    if (pollId !== round.pollId) {
      return { ok: false, code: 'stale-poll', pollId: round.pollId, message: `poll ${pollId} is over; the current poll is ${round.pollId}` };
    }
    if (round.phase !== 'live') {
      return { ok: false, code: 'not-live', pollId: round.pollId, message: `voting is closed while the round is ${round.phase}` };
    }
    if (!canVote(round, option)) {
      return { ok: false, code: 'unknown-option', pollId: round.pollId, message: `option ${option} is not in this poll` };
    }
    return null;
  }

  async poll(voterId?: string): Promise<PollResponse> {
    await this.__unsafe_ensureInitialized();
    this.advance();
    const myVote = voterId ? this.store.voteOf(this.round.pollId, voterId) : null;
    return {
      type: 'poll',
      v: PROTOCOL_VERSION,
      seq: this.seq,
      now: this.now(),
      round: this.round,
      timeLeftMs: timeLeftMs(this.round, this.now()),
      previous: this.previous,
      upNext: this.store.queue()[0]?.matchup ?? null,
      myVote: (myVote as OptionId | null) ?? null,
    } satisfies PollResponse;
  }

  async rotate(): Promise<PollResponse> {
    await this.__unsafe_ensureInitialized();
    this.apply({ type: 'rotate' });
    await this.armAlarm();
    return this.poll();
  }

  async enqueue(matchups: Matchup[]): Promise<Array<{ id: number; matchup: Matchup }>> {
    await this.__unsafe_ensureInitialized();
    this.store.enqueue(matchups);
    this.changed();
    return this.store.queue();
  }

  /** Not `queue`: that name is the Queues consumer handler, which RPC will not call. */
  async listQueue(): Promise<Array<{ id: number; matchup: Matchup }>> {
    await this.__unsafe_ensureInitialized();
    return this.store.queue();
  }

  async dequeue(id: number): Promise<boolean> {
    await this.__unsafe_ensureInitialized();
    const removed = this.store.removeQueued(id);
    if (removed) this.changed();
    return removed;
  }

  async streams(): Promise<StreamEntry[]> {
    await this.__unsafe_ensureInitialized();
    const statuses = this.store.statuses();
    return this.store.streams().map((s) => ({ ...s, status: statuses.get(s.streamKey) ?? null }));
  }

  async startStream(input: { streamKey: string; screenId: StreamEntry['screenId'] }): Promise<StreamEntry[]> {
    await this.__unsafe_ensureInitialized();
    this.store.upsertStream({ ...input, createdAt: this.now() });
    await this.pushStreams();
    return this.streams();
  }

  async stopStream(streamKey: string): Promise<boolean> {
    await this.__unsafe_ensureInitialized();
    const removed = this.store.deleteStream(streamKey);
    if (removed) await this.pushStreams();
    return removed;
  }

  /* ---------------- shout-outs: the moderation desk (shoutout-desk.ts) ---------------- */

  private deskInstance: ShoutoutDesk | undefined;
  private get desk(): ShoutoutDesk {
    this.deskInstance ??= new ShoutoutDesk(
      this.store,
      { autoApprove: this.config.SHOUTOUT_AUTO_APPROVE, onAir: SHOUTOUTS_ON_AIR },
      { aired: () => this.changed(), queued: () => this.pushModeration() },
    );
    return this.deskInstance;
  }

  /** A screened shout-out: refused for a banned voter, on air with auto-approval, else waiting for an operator. */
  async addShoutout(s: Shoutout, voterId: string): Promise<ShoutoutAdmission> {
    await this.__unsafe_ensureInitialized();
    return this.desk.submit(s, voterId);
  }

  async approveShoutout(id: string): Promise<Shoutout | null> {
    await this.__unsafe_ensureInitialized();
    return this.desk.approve(id);
  }

  async rejectShoutout(id: string): Promise<boolean> {
    await this.__unsafe_ensureInitialized();
    return this.desk.reject(id);
  }

  /** Off the air or out of the queue, wherever it is. */
  async removeShoutout(id: string): Promise<boolean> {
    await this.__unsafe_ensureInitialized();
    return this.desk.hide(id);
  }

  async takeDownShoutouts(ids: string[]): Promise<number> {
    await this.__unsafe_ensureInitialized();
    return this.desk.takeDown(ids);
  }

  async moderation(): Promise<Moderation> {
    await this.__unsafe_ensureInitialized();
    return this.desk.state();
  }

  async setAutoApprove(on: boolean): Promise<Moderation> {
    await this.__unsafe_ensureInitialized();
    this.desk.setAutoApprove(on);
    return this.desk.state();
  }

  /** Refuses the voter's shout-outs and votes from now on, and drops what they have waiting. */
  async banVoter(voterId: string): Promise<{ banned: boolean; dropped: string[] }> {
    await this.__unsafe_ensureInitialized();
    return this.desk.ban(voterId, this.now());
  }

  /**
   * An operator's erasure request: the voter's rows in the votes table go. The tallies are anonymous counts and
   * stay; a ban (the desk's) stays too, as the moderation decision it is.
   */
  async forgetVoter(voterId: string): Promise<{ votes: number; keptUntilRoundEnds: number; polls: string[] }> {
    await this.__unsafe_ensureInitialized();
    this.advance();
    // The polls whose voted markers may still be in Redis but are not archived yet.
    const polls = [this.round.pollId, this.previous?.pollId, ...this.store.outbox().map((r) => r.pollId)].filter((p): p is string => Boolean(p));
    // Their waiting shout-outs hold a name and a message: they go too (the aired ones are taken down by the route).
    this.desk.forget(voterId);
    const rows = this.store.forgetVoter(voterId, this.round.pollId);
    return { votes: rows.deleted, keptUntilRoundEnds: rows.kept, polls: [...new Set(polls)] };
  }

  async unbanVoter(voterId: string): Promise<boolean> {
    await this.__unsafe_ensureInitialized();
    return this.desk.unban(voterId);
  }

  private pushModeration(): void {
    const msg = JSON.stringify(this.desk.state() satisfies ServerMessage);
    for (const conn of this.getConnections('operator')) conn.send(msg);
  }

  async health(): Promise<{ ok: true; pollId: string; phase: string; seq: number; connections: { viewer: number; renderer: number }; queued: number; outbox: number }> {
    await this.__unsafe_ensureInitialized();
    this.advance();
    return {
      ok: true,
      pollId: this.round.pollId,
      phase: this.round.phase,
      seq: this.seq,
      connections: { viewer: count(this.getConnections('viewer')), renderer: count(this.getConnections('renderer')) },
      queued: this.store.queue().length,
      outbox: this.store.outbox().length,
    };
  }

  /* ---------------- WebSocket ---------------- */

  private limits: ConnectionLimits | null = null;
  /** Made on first use: the config is read in onStart. */
  private get wsLimits(): ConnectionLimits {
    return (this.limits ??= new ConnectionLimits(this.config));
  }

  override async getConnectionTags(_conn: Connection, ctx: ConnectionContext): Promise<string[]> {
    const role = roleOf(new URL(ctx.request.url)) ?? 'viewer';
    // Only viewers count against their address: renderers and operators hold a token.
    if (role !== 'viewer') return [role];
    return [role, addressTag(await addressKey(this.config, clientAddress(ctx.request.headers)))];
  }

  override async onConnect(conn: Connection, ctx: ConnectionContext): Promise<void> {
    const url = new URL(ctx.request.url);
    const role = roleOf(url);
    // The Worker refuses these before the upgrade (gate.ts); this covers a direct route to the object.
    if (!role || ROLE_TAGS.has(conn.id) || !tokenAllowed(role, url, this.config)) {
      this.refuse(conn, CLOSE.unauthorized, 'unauthorized', 'role, token or connection id refused');
      return;
    }
    // Counted after the accept, so two connections racing in cannot both take the last place.
    const tag = addressTagOf(conn.tags);
    if (tag && count(this.getConnections(tag)) > this.config.WS_CONNECTIONS_PER_ADDRESS) {
      this.wsLimits.warn(conn, 'ws.address-cap', { room: this.name, connection: conn.id, cap: this.config.WS_CONNECTIONS_PER_ADDRESS }, Date.now(), false);
      this.refuse(conn, CLOSE.tooManyConnections, 'too-many-connections', `at most ${this.config.WS_CONNECTIONS_PER_ADDRESS} connections per address`);
      return;
    }
    send(conn, { type: 'welcome', v: PROTOCOL_VERSION, role, connectionId: conn.id });
    send(conn, this.snapshot());
    if (role === 'renderer') send(conn, await this.desiredStreams());
    if (role === 'operator') send(conn, this.desk.state());
  }

  override onMessage(conn: Connection, raw: WSMessage): void {
    // A connection being closed (refused, over a limit) has nothing more to say.
    if (conn.readyState !== WebSocket.OPEN) return;
    const role = roleOfConnection(conn);
    const now = Date.now();
    const verdict = this.wsLimits.check(conn, role, raw, now);
    if (verdict.kind === 'drop') return;
    if (verdict.kind === 'close') {
      this.wsLimits.warn(conn, 'ws.closed', { room: this.name, connection: conn.id, code: verdict.code, reason: verdict.reason, bytes: verdict.bytes }, now, false);
      this.refuse(conn, verdict.code, verdict.code === CLOSE.tooLarge ? 'too-large' : 'flooding', verdict.reason);
      return;
    }
    if (verdict.kind === 'rate-limited') {
      this.wsLimits.warn(conn, 'ws.rate-limited', { room: this.name, connection: conn.id }, now);
      this.reply(conn, 'rate-limited', `at most ${this.config.WS_MESSAGES_PER_SEC} messages a second; the rest are dropped`, now);
      return;
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
      this.wsLimits.warn(conn, 'ws.bad-message', { room: this.name, connection: conn.id, issues: msg.error.issues.slice(0, 3) }, now);
      this.reply(conn, 'bad-message', 'message does not match the protocol', now);
      return;
    }
    if (msg.data.type === 'ping') return;
    if (role !== 'renderer') {
      this.reply(conn, 'forbidden', 'only renderers report stream status', now);
      return;
    }
    const known = new Set(this.store.streams().map((s) => s.streamKey));
    for (const status of msg.data.streams) {
      if (known.has(status.streamKey)) this.store.saveStatus({ ...status, renderer: conn.id, reportedAt: this.now() });
    }
  }

  override onError(conn: Connection, error: unknown): void {
    this.wsLimits.warn(conn, 'ws.error', { room: this.name, connection: conn.id, error: String(error) }, Date.now());
  }

  /** An error reply, within the connection's budget: a flood gets a few, not one per message. */
  private reply(conn: Connection, code: string, message: string, now: number): void {
    if (this.wsLimits.mayReply(conn, now)) send(conn, { type: 'error', v: PROTOCOL_VERSION, code, message });
  }

  /** The last word to a connection: why, then the close. */
  private refuse(conn: Connection, closeCode: number, code: string, message: string): void {
    send(conn, { type: 'error', v: PROTOCOL_VERSION, code, message });
    conn.close(closeCode, code);
  }

  private snapshot(): Snapshot {
    return {
      type: 'snapshot',
      v: PROTOCOL_VERSION,
      seq: this.seq,
      room: this.name,
      now: this.now(),
      round: this.round,
      previous: this.previous,
      upNext: this.store.queue()[0]?.matchup ?? null,
      shoutouts: this.store.shoutouts(SHOUTOUTS_ON_AIR),
    };
  }

  private broadcastSnapshot(): void {
    const snapshot = this.snapshot();
    this.broadcast(JSON.stringify(snapshot satisfies ServerMessage));
    this.cacheSnapshot(snapshot);
  }

  private cachedAt = 0;
  /**
   * The public snapshot, copied to Redis at most once a second: GET /api/poll answers from it when the room
   * itself cannot be reached, so the vote page still shows the fight.
   */
  private cacheSnapshot(snapshot: Snapshot): void {
    if (snapshot.now - this.cachedAt < SNAPSHOT_CACHE_MS) return;
    this.cachedAt = snapshot.now;
    const { redis } = services(this.config);
    this.ctx.waitUntil(
      redis.set(keys.snapshot(this.name), JSON.stringify(snapshot), { ex: 3600 }).then(
        () => undefined,
        (e: unknown) => log.warn('snapshot.cache-failed', { room: this.name, error: String(e) }),
      ),
    );
  }

  private async desiredStreams(): Promise<StreamsDesired> {
    return { type: 'streams', v: PROTOCOL_VERSION, streams: await this.streams() };
  }

  private async pushStreams(): Promise<void> {
    const msg = JSON.stringify((await this.desiredStreams()) satisfies ServerMessage);
    for (const conn of this.getConnections('renderer')) conn.send(msg);
  }
}

/** The role tag the room gave a connection (gate.ts keeps connection ids from posing as one). */
function roleOfConnection(conn: Connection): Role {
  return conn.tags.includes('renderer') ? 'renderer' : conn.tags.includes('operator') ? 'operator' : 'viewer';
}

function send(conn: Connection, msg: ServerMessage): void {
  conn.send(JSON.stringify(msg));
}

function count(it: Iterable<unknown>): number {
  let n = 0;
  for (const _ of it) n++;
  return n;
}
