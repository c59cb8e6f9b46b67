import { Ratelimit } from '@upstash/ratelimit';
import type { AppConfig } from '../env.ts';
import { services } from '../services.ts';

export interface Limiters {
  voteIp: Ratelimit;
  voteVoter: Ratelimit;
  shoutout: Ratelimit;
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
    };
    cache.set(config, l);
  }
  return l;
}

/** The caller's address as Cloudflare saw it (the local runners set 127.0.0.1, so local callers share one bucket). */
export function clientIp(headers: { get(name: string): string | null }): string {
  return headers.get('cf-connecting-ip') ?? 'local';
}
