import { describe, expect, it } from 'vitest';
import { hostname } from 'node:os';
import { RenderNodeName } from '@stream-fighter/core';
import { ConfigError, defaultNodeName, readConfig } from '../../src/service/config.ts';

const TOKEN = 'renderer-token-0123456789';

function errorOf(env: Record<string, string>): ConfigError {
  try {
    readConfig({ RENDERER_TOKEN: TOKEN, ...env });
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error(`expected ${JSON.stringify(env)} to be rejected`);
}

describe('render node configuration', () => {
  it('fills every default from a token alone', () => {
    const c = readConfig({ RENDERER_TOKEN: TOKEN });
    expect(c).toMatchObject({
      EDGE_URL: 'http://127.0.0.1:8787',
      ROOM: 'main',
      RTMP_URL: 'rtmp://127.0.0.1:1935/live',
      RESOLUTION: '720p',
      width: 1280,
      height: 720,
      FPS: 30,
      VIDEO_BITRATE: '3000k',
      X264_PRESET: 'ultrafast',
      AUDIO: 'bed',
      AUDIO_LOUDNESS_LUFS: -16,
      HTTP_PORT: 8790,
      HTTP_HOST: '127.0.0.1',
      LANG: 'en',
      VOTE_URL: 'http://127.0.0.1:8787/',
      STATIC_STREAMS: [],
    });
    expect(c.FFMPEG_PATH).toBeUndefined();
    expect(c.STALL_TIMEOUT_MS).toBeUndefined();
    expect(c.HEALTH_NOT_LIVE_SEC).toBe(30);
  });

  it('derives the bitrate from the resolution and the vote URL from the edge', () => {
    const c = readConfig({ RENDERER_TOKEN: TOKEN, RESOLUTION: '1080p', EDGE_URL: 'https://sf.example.workers.dev/some/path' });
    expect(c).toMatchObject({ width: 1920, height: 1080, VIDEO_BITRATE: '6000k', VOTE_URL: 'https://sf.example.workers.dev/' });
    expect(readConfig({ RENDERER_TOKEN: TOKEN, RESOLUTION: '1080p', VIDEO_BITRATE: '4500k' }).VIDEO_BITRATE).toBe('4500k');
  });

  it('parses STATIC_STREAMS as screen:key pairs (a bare key means the fight screen)', () => {
    expect(readConfig({ RENDERER_TOKEN: TOKEN, STATIC_STREAMS: 'news:sf-news' }).STATIC_STREAMS).toEqual([{ screenId: 'news', streamKey: 'sf-news' }]);
    const c = readConfig({ RENDERER_TOKEN: TOKEN, STATIC_STREAMS: ' fight:sf-main , bars:sf-bars.stream,plain ' });
    expect(c.STATIC_STREAMS).toEqual([
      { screenId: 'fight', streamKey: 'sf-main' },
      { screenId: 'bars', streamKey: 'sf-bars.stream' },
      { screenId: 'fight', streamKey: 'plain' },
    ]);
  });

  it('takes LANG as a language or a locale; C and POSIX mean English', () => {
    expect(readConfig({ RENDERER_TOKEN: TOKEN, LANG: 'es' }).LANG).toBe('es');
    expect(readConfig({ RENDERER_TOKEN: TOKEN, LANG: 'es_ES.UTF-8' }).LANG).toBe('es');
    expect(readConfig({ RENDERER_TOKEN: TOKEN, LANG: 'C.UTF-8' }).LANG).toBe('en');
    expect(errorOf({ LANG: 'fr_FR.UTF-8' }).message).toMatch(/LANG: LANG must be en or es/);
  });

  it('treats blank values as unset', () => {
    expect(readConfig({ RENDERER_TOKEN: TOKEN, VIDEO_BITRATE: '', STATIC_STREAMS: '', FPS: '' })).toMatchObject({ VIDEO_BITRATE: '3000k', STATIC_STREAMS: [], FPS: 30 });
  });

  it.each([
    [{ RENDERER_TOKEN: '' }, 'RENDERER_TOKEN'],
    [{ RENDERER_TOKEN: 'short' }, 'RENDERER_TOKEN'],
    [{ EDGE_URL: 'ftp://example.com' }, 'EDGE_URL'],
    [{ EDGE_URL: 'not a url' }, 'EDGE_URL'],
    [{ ROOM: 'main/room' }, 'ROOM'],
    [{ RTMP_URL: 'http://127.0.0.1/live' }, 'RTMP_URL'],
    [{ RESOLUTION: '4k' }, 'RESOLUTION'],
    [{ FPS: 'thirty' }, 'FPS'],
    [{ FPS: '240' }, 'FPS'],
    [{ VIDEO_BITRATE: '3 Mbps' }, 'VIDEO_BITRATE'],
    [{ X264_PRESET: 'placebo' }, 'X264_PRESET'],
    [{ AUDIO: 'loud' }, 'AUDIO'],
    [{ AUDIO_LOUDNESS_LUFS: '-5' }, 'AUDIO_LOUDNESS_LUFS'],
    [{ HTTP_PORT: '70000' }, 'HTTP_PORT'],
    [{ VOTE_URL: 'vote.example' }, 'VOTE_URL'],
    // Any screen id is a slug (a screen of its own, drawn with the defaults); this one is not.
    [{ STATIC_STREAMS: 'News Desk:sf-main' }, 'STATIC_STREAMS'],
    [{ STATIC_STREAMS: 'fight:bad key!' }, 'STATIC_STREAMS'],
    [{ STATIC_STREAMS: 'fight:a,bars:a' }, 'STATIC_STREAMS'],
    [{ STALL_TIMEOUT_MS: '10' }, 'STALL_TIMEOUT_MS'],
    [{ HEALTH_NOT_LIVE_SEC: '0' }, 'HEALTH_NOT_LIVE_SEC'],
    [{ HEALTH_NOT_LIVE_SEC: 'soon' }, 'HEALTH_NOT_LIVE_SEC'],
    [{ RENDER_CAPACITY: '0' }, 'RENDER_CAPACITY'],
    [{ RENDER_CAPACITY: '33' }, 'RENDER_CAPACITY'],
    [{ RENDER_CAPACITY: 'two' }, 'RENDER_CAPACITY'],
    [{ RENDER_NODE_NAME: 'box one' }, 'RENDER_NODE_NAME'],
    [{ RENDER_NODE_NAME: 'x'.repeat(65) }, 'RENDER_NODE_NAME'],
  ])('refuses %j and names %s', (env, name) => {
    const err = errorOf(env as Record<string, string>);
    expect(err.message).toMatch(/^Invalid configuration:/);
    expect(err.issues.some((i) => i.startsWith(`${name}`))).toBe(true);
  });

  it('states a capacity (2 by default) and a node name the room accepts (the host name by default)', () => {
    const c = readConfig({ RENDERER_TOKEN: TOKEN });
    expect(c.RENDER_CAPACITY).toBe(2);
    expect(c.RENDER_NODE_NAME).toBe(defaultNodeName(hostname()));
    expect(RenderNodeName.safeParse(c.RENDER_NODE_NAME).success).toBe(true);
    expect(readConfig({ RENDERER_TOKEN: TOKEN, RENDER_CAPACITY: '8', RENDER_NODE_NAME: 'box-2.eu_west' })).toMatchObject({ RENDER_CAPACITY: 8, RENDER_NODE_NAME: 'box-2.eu_west' });
    expect(defaultNodeName('my box (2)')).toBe('my-box--2-');
    expect(defaultNodeName('h'.repeat(80))).toBe('h'.repeat(64));
    expect(defaultNodeName('')).toBe('render-node');
  });

  it('reports every bad value at once', () => {
    const err = errorOf({ RENDERER_TOKEN: 'x', FPS: '0', AUDIO: 'none' });
    expect(err.issues.map((i) => i.split(/[.:]/)[0])).toEqual(expect.arrayContaining(['RENDERER_TOKEN', 'FPS', 'AUDIO']));
  });

  it('never echoes the token it refuses', () => {
    expect(errorOf({ RENDERER_TOKEN: 'sekrit-short' }).message).not.toContain('sekrit');
  });
});
