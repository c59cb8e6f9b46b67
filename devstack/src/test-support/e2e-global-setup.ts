/**
 * Once per run of the end-to-end tests: the Worker bundle their local stacks run, built by wrangler (`deploy
 * --dry-run`) into a throwaway folder. Every stack of the run serves this one bundle instead of building its own
 * (3–7 s each on this machine); `npm start`'s own test still builds one, as a newcomer's start does.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildWorkerBundle } from '../stack/edge-workerd.ts';
import { REPO_ROOT } from '../stack/repo-root.ts';
import { WRANGLER_TOML } from '../stack/stack.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The Worker bundle the run's local stacks serve (devstack/src/stack/edge-workerd.ts). */
    edgeBundleDir: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  mkdirSync(join(REPO_ROOT, '.data'), { recursive: true });
  const dir = mkdtempSync(join(REPO_ROOT, '.data', 'e2e-bundle-'));
  // The bundle is the Worker's code only: the site is its static assets, which each stack serves from web/dist.
  await buildWorkerBundle(WRANGLER_TOML, join(dir, 'bundle'));
  project.provide('edgeBundleDir', join(dir, 'bundle'));
  return () => rmSync(dir, { recursive: true, force: true });
}
