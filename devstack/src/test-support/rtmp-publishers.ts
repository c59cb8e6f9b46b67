/**
 * Every publish attempt the in-process RTMP receiver (devstack/src/stack/rtmp-receiver.ts, node-media-server)
 * sees, with when it began and when its connection closed: what a test needs to show there is never a moment with
 * two publishers on one key. node-media-server itself takes one publisher per key and refuses a second
 * ("already has a publisher") while the first is on, so a refused attempt counts as an overlap here too: the
 * second node tried to publish while the first still did.
 *
 * It reads node-media-server's process-wide context (one server per process), the same module instance the
 * receiver loaded, so call it in the process that runs the receiver.
 */
import { createRequire } from 'node:module';
import type { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';

export interface PublishAttempt {
  id: string;
  /** `/live/<key>` */
  streamPath: string;
  /** The publisher's address and port. */
  ip: string;
  /** Date.now() at the attempt, and when its connection closed (null while open). */
  startAt: number;
  endAt: number | null;
  /** Whether the receiver took it (false: refused, the key had a publisher). */
  accepted(): boolean;
}

interface NmsSession {
  id: string;
  ip: string;
  streamPath: string;
  isPublisher?: boolean;
  socket?: Socket;
}

export interface PublisherWatch {
  attempts: PublishAttempt[];
  /** The attempts on `/live/<key>`. */
  on(key: string): PublishAttempt[];
  /** Publishers on `/live/<key>` whose connection is open now. */
  openOn(key: string): PublishAttempt[];
  /** Pairs of attempts on `key` whose connections were open at the same moment. */
  overlapsOn(key: string): Array<[PublishAttempt, PublishAttempt]>;
  stop(): void;
}

export function watchPublishers(app = 'live'): PublisherWatch {
  const require = createRequire(import.meta.url);
  const context = require('node-media-server/src/core/context.js') as { eventEmitter: EventEmitter };
  const attempts: PublishAttempt[] = [];
  // 'prePublish' comes first in every publish, before the receiver decides whether to take it.
  const onPre = (session: NmsSession) => {
    const attempt: PublishAttempt = {
      id: String(session.id),
      streamPath: session.streamPath,
      ip: session.ip,
      startAt: Date.now(),
      endAt: null,
      accepted: () => session.isPublisher === true,
    };
    attempts.push(attempt);
    if (!session.socket || session.socket.destroyed) attempt.endAt = attempt.startAt;
    else session.socket.once('close', () => (attempt.endAt = Date.now()));
  };
  context.eventEmitter.on('prePublish', onPre);
  const on = (key: string) => attempts.filter((a) => a.streamPath === `/${app}/${key}`);
  return {
    attempts,
    on,
    openOn: (key) => on(key).filter((a) => a.endAt === null && a.accepted()),
    overlapsOn(key) {
      const list = on(key);
      const out: Array<[PublishAttempt, PublishAttempt]> = [];
      list.forEach((a, i) => {
        for (const b of list.slice(i + 1)) if (b.startAt < (a.endAt ?? Infinity) && a.startAt < (b.endAt ?? Infinity)) out.push([a, b]);
      });
      return out;
    },
    stop: () => context.eventEmitter.off('prePublish', onPre),
  };
}
