/**
 * The chat bridge's deployment checked against its code: its service in docker-compose.render.yaml (built from
 * chat-bridge/Dockerfile, env file, restart policy, limits, a health check on the port it sets), and the
 * environment it gets there, over chat-bridge/.env.example, accepted by the very schema the process parses.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { BridgeEnv, readConfig } from './config.ts';

const ROOT = resolve(import.meta.dirname, '../..');
type Service = {
  build?: { context: string; dockerfile: string };
  env_file?: string;
  environment?: Record<string, string>;
  ports?: string[];
  restart?: string;
  stop_grace_period?: string;
  healthcheck?: { test: string[]; interval: string; retries: number };
  deploy?: { resources?: { limits?: { cpus?: string; memory?: string } } };
};
const compose = parse(readFileSync(resolve(ROOT, 'docker-compose.render.yaml'), 'utf8')) as { services: Record<string, Service> };
const bridge = compose.services['chat-bridge']!;

describe('docker-compose.render.yaml: chat-bridge', () => {
  it('builds from the repository root with chat-bridge/Dockerfile, restarts unless stopped, with small limits', () => {
    expect(bridge.build).toEqual({ context: '.', dockerfile: 'chat-bridge/Dockerfile' });
    const dockerfile = readFileSync(resolve(ROOT, 'chat-bridge/Dockerfile'), 'utf8');
    expect(JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)?.[1] ?? 'null')).toEqual(['node', 'chat-bridge/src/main.ts']);
    expect(bridge.env_file).toBe('chat-bridge/.env');
    expect(bridge.restart).toBe('unless-stopped');
    expect(Number(bridge.deploy?.resources?.limits?.cpus)).toBeGreaterThan(0);
    expect(bridge.deploy?.resources?.limits?.memory).toMatch(/^\d+M$/);
    expect(parseInt(bridge.deploy!.resources!.limits!.memory!, 10)).toBeLessThanOrEqual(512);
  });

  it('gives the bridge an environment its schema accepts, and checks /health on the port it sets', () => {
    const env = bridge.environment ?? {};
    for (const name of Object.keys(env)) expect(Object.keys(BridgeEnv.shape), `${name} is not a bridge setting`).toContain(name);
    const example = parseEnv(readFileSync(resolve(ROOT, 'chat-bridge/.env.example'), 'utf8')) as Record<string, string>;
    // Compose: `environment` wins over `env_file`.
    const config = readConfig({ ...example, ...env });
    expect(config.HTTP_HOST).toBe('0.0.0.0');
    expect(bridge.ports).toContain(`127.0.0.1:${config.HTTP_PORT}:${config.HTTP_PORT}`);
    expect(bridge.healthcheck?.test.slice(0, 2)).toEqual(['CMD', 'node']);
    expect(bridge.healthcheck?.test.join(' ')).toContain(`http://127.0.0.1:${config.HTTP_PORT}/health`);
    expect(bridge.healthcheck?.retries).toBeGreaterThan(0);
  });
});
