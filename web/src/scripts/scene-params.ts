/**
 * What /scene draws, from its address: a screen's settings (core/src/screen.ts) as query parameters, since a page
 * cannot read the operator's screens. `w`/`h` the picture's size in px (by default the largest 16:9 the window
 * holds: a render node opens the page at the stream's size), `lang`, `scene` (fight or bars), `show` (the parts on,
 * as the overlay reads them: lib/overlay-show.ts), `url` the vote URL in the QR code, `room`, and `fps` the frames
 * a second it draws (30 by default, a stream's rate: a browser offers 60 animation frames a second, and every one
 * drawn past what the capture takes is work thrown away).
 */
import type { Screen, ScreenShow } from '@stream-fighter/core';
import { SCREEN_SCENES } from '@stream-fighter/core/screen-options';
import { isLang, pickLang, type Lang } from '@stream-fighter/view/languages';
import { shownParts } from '../lib/overlay-show.ts';

export interface SceneParams {
  width: number;
  height: number;
  lang: Lang;
  scene: Screen['scene'];
  show: ScreenShow;
  voteUrl: string;
  room: string;
  fps: number;
}

/** What the page knows of where it runs. */
export interface SceneHost {
  origin: string;
  viewport: { width: number; height: number };
  languages: readonly string[];
}

/** The scene's smallest picture (the canvas renderer's own floor) and a ceiling well above 1080p. */
export const MIN_SIZE = { width: 320, height: 180 } as const;
export const MAX_SIZE = { width: 3840, height: 2160 } as const;
/** Frames a second: a stream's 30 unless asked (OBS at 60 passes fps=60); the render node's FPS range. */
export const DEFAULT_FPS = 30;
export const FPS_RANGE = { min: 10, max: 60 } as const;

const whole = (s: string | null, min: number, max: number): number | null => {
  if (s === null || !/^\d{1,5}$/.test(s)) return null;
  return Math.min(max, Math.max(min, Number(s)));
};

/** The QR code's vote URL: an http(s) address short enough for the code (a longer one would fail every frame). */
export const MAX_VOTE_URL = 300;
function voteUrl(s: string | null): string | null {
  if (s === null || s.length > MAX_VOTE_URL || !URL.canParse(s)) return null;
  return /^https?:$/.test(new URL(s).protocol) ? s : null;
}

export function sceneParams(query: URLSearchParams, host: SceneHost): SceneParams {
  // The scene is laid out for 16:9 (1280×720 logical, scaled by the width): a missing side follows the other.
  const fit = Math.floor(Math.min(host.viewport.width, (host.viewport.height * 16) / 9));
  const askedW = whole(query.get('w'), MIN_SIZE.width, MAX_SIZE.width);
  const askedH = whole(query.get('h'), MIN_SIZE.height, MAX_SIZE.height);
  const width = askedW ?? (askedH !== null ? Math.round((askedH * 16) / 9) : Math.max(MIN_SIZE.width, fit));
  const height = askedH ?? Math.round((width * 9) / 16);
  const lang = query.get('lang');
  const scene = query.get('scene');
  const parts = shownParts(query);
  const room = query.get('room');
  return {
    width: Math.min(MAX_SIZE.width, width),
    height: Math.min(MAX_SIZE.height, Math.max(MIN_SIZE.height, height)),
    lang: isLang(lang) ? lang : pickLang(host.languages),
    scene: (SCREEN_SCENES as readonly string[]).includes(scene ?? '') ? (scene as Screen['scene']) : 'fight',
    show: { qr: parts.has('qr'), ticker: parts.has('ticker'), shoutouts: parts.has('shoutouts'), chat: parts.has('chat') },
    voteUrl: voteUrl(query.get('url')) ?? `${host.origin}/`,
    room: room && /^[A-Za-z0-9_-]{1,64}$/.test(room) ? room : 'main',
    fps: whole(query.get('fps'), FPS_RANGE.min, FPS_RANGE.max) ?? DEFAULT_FPS,
  };
}
