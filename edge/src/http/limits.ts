import { Ratelimit } from '@upstash/ratelimit';
import type { AppConfig } from '../env.ts';
import { services } from '../services.ts';

export interface Limiters {
  voteIp: Ratelimit;
  voteVoter: Ratelimit;
  shoutout: Ratelimit;
  /** New voter sessions per address per hour. */
  sessions: Ratelimit;
}

const cache = new WeakMap<AppConfig, Limiters>();

/** The rate limits, on Upstash Redis so they hold across every Worker isolate. */
export function limiters(config: AppConfig): Limiters {
  let l = cache.get(config);
  if (!l) {
    const { redis } = services(config);
    l = {
      // No per-call timeout (a timer per vote): the room times out a whole batch at once (room/admission.ts).
      voteIp: new Ratelimit({ redis, prefix: 'sf:rl:ip', limiter: Ratelimit.slidingWindow(config.RATE_LIMIT_IP_PER_10S, '10 s'), analytics: false, timeout: 0 }),
      voteVoter: new Ratelimit({ redis, prefix: 'sf:rl:voter', limiter: Ratelimit.fixedWindow(config.RATE_LIMIT_VOTER_PER_10S, '10 s'), analytics: false, timeout: 0 }),
      shoutout: new Ratelimit({ redis, prefix: 'sf:rl:shout', limiter: Ratelimit.slidingWindow(config.SHOUTOUT_PER_MIN, '60 s'), analytics: false }),
      // A minted session costs a solved challenge and this: when Redis does not answer in time it lets the session
      // through (the room's per-round address cap still holds, without Redis).
      sessions: new Ratelimit({ redis, prefix: 'sf:rl:session', limiter: Ratelimit.slidingWindow(config.SESSIONS_PER_ADDRESS_PER_HOUR, '1 h'), analytics: false, timeout: 2_000 }),
    };
    cache.set(config, l);
  }
  return l;
}
