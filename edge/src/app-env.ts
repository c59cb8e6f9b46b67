import type { AppConfig } from './env.ts';

/** Hono's typing for this Worker: the bindings and what middleware puts on the context. */
export interface AppEnv {
  Bindings: Env;
  Variables: { config: AppConfig };
}
