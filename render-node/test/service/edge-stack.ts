/**
 * The real edge for render node tests: the local stack (the Worker and its Arena room in workerd,
 * with the PGlite and embedded-Redis stand-ins) on free ports and a throwaway data folder, so it shares no
 * database, Redis or port with any other test run.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { LocalSettings } from '@stream-fighter/devstack/stack/settings';
import { startStack, type Stack } from '@stream-fighter/devstack/stack/stack';
import { freePort } from '@stream-fighter/devstack/stack/free-port';
export { freePort };

const ROOT = resolve(import.meta.dirname, '../../..');


export async function startEdge(): Promise<Stack & { teardown(): Promise<void> }> {
  mkdirSync(join(ROOT, '.data'), { recursive: true });
  const dataDir = mkdtempSync(join(ROOT, '.data', 'render-test-'));
  const settings = LocalSettings.parse({
    PORT: await freePort(),
    NEON_HTTP_PORT: await freePort(),
    UPSTASH_PORT: await freePort(),
    DATA_DIR: relative(ROOT, dataDir),
  });
  const log = (event: string, fields: Record<string, unknown> = {}) => {
    if (fields.level === 'error') console.warn(`[edge] ${event} ${JSON.stringify(fields)}`);
  };
  let stack: Stack;
  try {
    stack = await startStack(settings, log);
  } catch (e) {
    rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
  let down = false;
  return {
    ...stack,
    async teardown() {
      if (down) return;
      down = true;
      try {
        await stack.stop();
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}

export async function operatorApi(stack: Stack, path: string, init: RequestInit = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${stack.api}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${stack.operatorToken}`, 'content-type': 'application/json', ...(init.headers as Record<string, string> | undefined) },
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) as Record<string, unknown> };
  } catch {
    throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status}, not JSON: ${text.slice(0, 200)}`);
  }
}
