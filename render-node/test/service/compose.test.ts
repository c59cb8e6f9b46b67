/**
 * The deployment files checked against the code: docker-compose.render.yaml parsed as YAML (services, ports,
 * restart policies, limits), and the render node's environment in it — plus render-node/.env.example, which
 * the compose file loads as its env_file — accepted by the very schema the process parses at start.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { readConfig, RenderEnv } from '../../src/service/config.ts';
import { rtmpTarget } from '../../src/encoder/index.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
type Service = {
  image?: string;
  build?: { context: string; dockerfile: string };
  env_file?: string | string[];
  environment?: Record<string, string> | string[];
  ports?: string[];
  volumes?: string[];
  restart?: string;
  depends_on?: string[] | Record<string, unknown>;
  deploy?: { resources?: { limits?: { cpus?: string; memory?: string } } };
};
const compose = parse(readFileSync(resolve(ROOT, 'docker-compose.render.yaml'), 'utf8')) as { services: Record<string, Service>; volumes?: Record<string, unknown> };
const example = parseEnv(readFileSync(resolve(ROOT, 'render-node/.env.example'), 'utf8')) as Record<string, string>;

/** Compose's own interpolation for the forms the file uses: ${VAR}, ${VAR:-default}, ${VAR:?message}. */
function interpolate(value: string, vars: Record<string, string>): string {
  return value.replace(/\$\{([A-Z0-9_]+)(?::?([-?])([^}]*))?\}/g, (_, name: string, op?: string, arg?: string) => {
    if (vars[name]) return vars[name];
    if (op === '-') return arg ?? '';
    throw new Error(`compose would stop: ${name} is unset (${arg ?? ''})`);
  });
}
const envOf = (s: Service): Record<string, string> =>
  Array.isArray(s.environment) ? Object.fromEntries(s.environment.map((kv) => kv.split(/=(.*)/s).slice(0, 2) as [string, string])) : { ...(s.environment ?? {}) };

describe('docker-compose.render.yaml', () => {
  const { 'render-node': node, restreamer } = compose.services;

  it('has the render node and Restreamer, both restarting unless stopped, with CPU and memory limits', () => {
    // The chat bridge's service is checked by chat-bridge/src/compose.test.ts.
    expect(Object.keys(compose.services).sort()).toEqual(['chat-bridge', 'render-node', 'restreamer']);
    for (const s of [node!, restreamer!]) {
      expect(s.restart).toBe('unless-stopped');
      expect(Number(s.deploy?.resources?.limits?.cpus)).toBeGreaterThan(0);
      expect(s.deploy?.resources?.limits?.memory).toMatch(/^\d+[KMG]$/);
    }
  });

  it('builds the render node from the repository root with its Dockerfile and env file, after Restreamer', () => {
    expect(node!.build).toEqual({ context: '.', dockerfile: 'render-node/Dockerfile' });
    expect(readFileSync(resolve(ROOT, node!.build!.context, node!.build!.dockerfile), 'utf8')).toMatch(/^FROM node:22-bookworm-slim AS runtime$/m);
    expect(node!.env_file).toBe('render-node/.env');
    expect(Array.isArray(node!.depends_on) ? node!.depends_on : Object.keys(node!.depends_on ?? {})).toContain('restreamer');
  });

  it('runs Restreamer with its RTMP server on /live behind a token, UI/API on 8080 and RTMP on 1935, state in volumes', () => {
    expect(restreamer!.image).toBe('datarhei/restreamer:latest');
    const targets = restreamer!.ports!.map((p) => p.split(':').at(-1));
    expect(targets).toEqual(expect.arrayContaining(['8080', '1935']));
    expect(restreamer!.volumes!.map((v) => v.split(':')[1])).toEqual(expect.arrayContaining(['/core/config', '/core/data']));
    for (const v of restreamer!.volumes!) expect(compose.volumes).toHaveProperty(v.split(':')[0]!);
    const env = envOf(restreamer!);
    expect(env).toMatchObject({ CORE_RTMP_ENABLE: 'true', CORE_RTMP_APP: '/live' });
    expect(env.CORE_RTMP_TOKEN).toMatch(/^\$\{RTMP_TOKEN:\?/);
    // Without RTMP_TOKEN compose refuses to start, instead of running an open RTMP server.
    expect(() => interpolate(env.CORE_RTMP_TOKEN!, {})).toThrow(/RTMP_TOKEN/);
  });

  it('gives the render node an environment the config schema accepts, with the same token Restreamer checks', () => {
    const vars = { RTMP_TOKEN: 'rtmp-token-abcdef0123456789' };
    const env = Object.fromEntries(Object.entries(envOf(node!)).map(([k, v]) => [k, interpolate(String(v), vars)]));
    for (const name of Object.keys(env)) expect(Object.keys(RenderEnv.shape), `${name} is not a render node setting`).toContain(name);
    // Compose: `environment` wins over `env_file`.
    const config = readConfig({ ...example, ...env });
    expect(config.HTTP_HOST).toBe('0.0.0.0');
    const rtmp = new URL(config.RTMP_URL);
    expect(`${rtmp.protocol}//${rtmp.host}${rtmp.pathname}`).toBe('rtmp://restreamer:1935/live');
    expect(rtmp.searchParams.get('token')).toBe(interpolate(envOf(restreamer!).CORE_RTMP_TOKEN!, vars));
    expect(node!.ports!.some((p) => p.endsWith(`:${config.HTTP_PORT}`))).toBe(true);
  });

  it('documents every render node setting in .env.example, with a RENDERER_TOKEN the schema accepts', () => {
    const documented = readFileSync(resolve(ROOT, 'render-node/.env.example'), 'utf8');
    for (const name of Object.keys(RenderEnv.shape)) expect(documented, name).toMatch(new RegExp(`^#? ?${name}=`, 'm'));
    expect(example.RENDERER_TOKEN).toBeDefined();
    expect(() => readConfig(example)).not.toThrow();
    expect(() => readConfig({ ...example, RENDERER_TOKEN: '' })).toThrow(/RENDERER_TOKEN/);
  });

  // Restreamer's RTMP server reads the token from the `token` query parameter (datarhei/core rtmp/rtmp.go), so
  // the key must land in the path before the query: rtmp://restreamer:1935/live/<key>?token=…
  it('publishes with the key before Restreamer\'s token', () => {
    const env = envOf(node!);
    const url = interpolate(env.RTMP_URL!, { RTMP_TOKEN: 'tok123' });
    expect(rtmpTarget(url, 'sf-fight')).toBe('rtmp://restreamer:1935/live/sf-fight?token=tok123');
  });
});
