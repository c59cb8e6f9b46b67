import { describe, expect, it } from 'vitest';
import { sceneParams, type SceneHost } from './scene-params.ts';

const host: SceneHost = { origin: 'https://sf.example', viewport: { width: 1280, height: 720 }, languages: ['en-US'] };
const of = (q: string, h: Partial<SceneHost> = {}) => sceneParams(new URLSearchParams(q), { ...host, ...h });

describe('/scene reads a screen from its address', () => {
  it('draws the fight at the window size in the browser language, everything shown, the site as vote URL, room main', () => {
    expect(of('')).toEqual({
      width: 1280,
      height: 720,
      lang: 'en',
      scene: 'fight',
      show: { qr: true, ticker: true, shoutouts: true, chat: true },
      voteUrl: 'https://sf.example/',
      room: 'main',
      fps: 30,
    });
    expect(of('', { languages: ['es-MX', 'en'] }).lang).toBe('es');
  });

  it('takes the size, language, scene, parts, vote URL and room asked for', () => {
    expect(of('w=1920&h=1080&lang=es&scene=bars&show=qr,chat&url=https://vote.example/x&room=side_2&fps=60')).toEqual({
      width: 1920,
      height: 1080,
      lang: 'es',
      scene: 'bars',
      show: { qr: true, ticker: false, shoutouts: false, chat: true },
      voteUrl: 'https://vote.example/x',
      room: 'side_2',
      fps: 60,
    });
  });

  it('keeps 16:9 when one side is given or the window is not 16:9, within the renderer floor and a 4K ceiling', () => {
    expect(of('w=640')).toMatchObject({ width: 640, height: 360 });
    expect(of('h=1080')).toMatchObject({ width: 1920, height: 1080 });
    expect(of('', { viewport: { width: 1280, height: 1024 } })).toMatchObject({ width: 1280, height: 720 });
    expect(of('', { viewport: { width: 1600, height: 720 } })).toMatchObject({ width: 1280, height: 720 });
    expect(of('', { viewport: { width: 100, height: 50 } })).toMatchObject({ width: 320, height: 180 });
    expect(of('w=99999&h=99999')).toMatchObject({ width: 3840, height: 2160 });
  });

  it('takes only an http(s) vote URL short enough for the QR code', () => {
    expect(of('url=javascript:alert(1)').voteUrl).toBe('https://sf.example/');
    expect(of(`url=https://vote.example/${'x'.repeat(400)}`).voteUrl).toBe('https://sf.example/');
    expect(of('url=not a url').voteUrl).toBe('https://sf.example/');
    expect(of('url=http://vote.example/').voteUrl).toBe('http://vote.example/');
  });

  it('ignores what it cannot use: a broken size, an unknown language, scene or room, a rate that is not a number', () => {
    expect(of('w=12.5&h=-3&lang=fr&scene=poll&room=../x&fps=fast')).toMatchObject({ width: 1280, height: 720, lang: 'en', scene: 'fight', room: 'main', fps: 30 });
  });

  it('keeps the rate within what a stream runs at', () => {
    expect(of('fps=1').fps).toBe(10);
    expect(of('fps=240').fps).toBe(60);
    expect(of('fps=25').fps).toBe(25);
  });
});
