/**
 * Test support (Node side): the machine's real PostgreSQL and Redis when they answer, so the Worker's tests run
 * the production clients against real servers; the embedded stand-in backends when they don't.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import pg from 'pg';
import { createClient } from 'redis';

export const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export function reachable(url: string, timeoutMs = 500): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port) }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('error', () => resolve(false));
  });
}

async function admin(text: string, adminUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** A fresh, empty database on the real server; `drop()` removes it. */
export async function freshPostgresDatabase(prefix: string, adminUrl = TEST_POSTGRES_URL): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  await admin(`create database ${name}`, adminUrl);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`drop database if exists ${name} with (force)`, adminUrl) };
}

/** A Redis database index of the caller's own on the real server, emptied; returns its URL. */
export async function emptyRedisDatabase(index: number, baseUrl = TEST_REDIS_URL): Promise<string> {
  const url = `${baseUrl.replace(/\/\d*$/, '')}/${index}`;
  const client = createClient({ url });
  await client.connect();
  try {
    await client.flushDb();
  } finally {
    await client.close();
  }
  return url;
}
