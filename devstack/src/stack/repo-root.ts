import { resolve } from 'node:path';

/** The repository's root (wrangler.toml, .env, DATA_DIR), whatever the working directory: devstack/src/stack/ is three levels down. */
export const REPO_ROOT = resolve(import.meta.dirname, '../../..');
