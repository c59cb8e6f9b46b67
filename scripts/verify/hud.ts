/**
 * Reading the heads-up display back out of decoded video: the HP bars' fill, and how much a region changed. The
 * geometry is the render node's own layout (1280×720 logical, scaled to the stream's width), so a layout change
 * moves these probes with it.
 */
import { BASE_W, LAYOUT, toPixels, type Box } from '@stream-fighter/render-node/src/scene/layout.ts';
import type { Crop } from './args.ts';

export type RgbFrame = { rgb: Uint8Array; width: number; height: number };

/** The strip at the top of the picture that holds the title, HP bars, timer, names and vote counts. */
export function hudCrop(width: number, height: number): Crop {
  const s = width / BASE_W;
  const h = Math.min(height, Math.ceil((LAYOUT.names[0].y + LAYOUT.names[0].h + 4) * s / 2) * 2);
  return { x: 0, y: 0, w: width, h };
}

/** An HP bar's box in output pixels (side 0 is option A, on the left). */
export function hpBox(side: 0 | 1, width: number): Box {
  return toPixels(LAYOUT.hp[side], width);
}

export function namesBox(side: 0 | 1, width: number): Box {
  return toPixels(LAYOUT.names[side], width);
}

/** The bar's empty track (#3a0d12) and the ghost that trails a hit (white). */
const TRACK = [0x3a, 0x0d, 0x12] as const;
/** The dark frame drawn 4 logical px around each bar. */
const FRAME = [0x0b, 0x0b, 0x18] as const;

export interface BarReading {
  /** Columns showing the fighter's colour: the HP the bar shows. */
  fill: number;
  /** Columns showing the white ghost (damage not yet drained). */
  ghost: number;
  /** Columns of empty track. */
  empty: number;
  /** Columns that are none of these (dark, not the track): no HP bar is drawn there (another scene). */
  other: number;
  /** The box's width in pixels (full HP). */
  width: number;
}

/**
 * Classifies each column of the bar by its mean colour over the bar's middle rows (below the highlight stripe,
 * above the shadow stripe, so one colour per column): track, ghost or fill. Works on compressed video: the three
 * colours are far apart, and averaging over rows evens out the encoder's noise.
 */
export function readHpBar(f: RgbFrame, box: Box): BarReading {
  const s = box.h / LAYOUT.hp[0].h;
  const y0 = box.y + Math.round(13 * s);
  const y1 = Math.min(f.height, box.y + box.h - Math.round(11 * s));
  let fill = 0;
  let ghost = 0;
  let empty = 0;
  let other = 0;
  for (let x = box.x; x < box.x + box.w && x < f.width; x++) {
    let r = 0;
    let g = 0;
    let b = 0;
    for (let y = y0; y < y1; y++) {
      const i = (y * f.width + x) * 3;
      r += f.rgb[i]!;
      g += f.rgb[i + 1]!;
      b += f.rgb[i + 2]!;
    }
    const n = Math.max(1, y1 - y0);
    r /= n;
    g /= n;
    b /= n;
    const toTrack = Math.abs(r - TRACK[0]) + Math.abs(g - TRACK[1]) + Math.abs(b - TRACK[2]);
    const toFrame = Math.abs(r - FRAME[0]) + Math.abs(g - FRAME[1]) + Math.abs(b - FRAME[2]);
    // The track is a dark red; a dark navy (the frame colour, the bars scene's sky) is not a bar.
    if (toTrack <= 70 && toTrack < toFrame) empty++;
    else if (Math.min(r, g, b) >= 200) ghost++;
    // The fill is the fighter's colour made to read on dark (luminance ≥ 0.35), or the low-HP red.
    else if ((0.2126 * r + 0.7152 * g + 0.0722 * b) / 255 >= 0.2) fill++;
    else other++;
  }
  return { fill, ghost, empty, other, width: box.w };
}

/**
 * Whether the box shows an HP bar at all (the fight scene, not "connecting" or the bars scene): the bar's dark
 * frame (#0b0b18, 4 logical px) runs along its top edge, and every column inside is fill, ghost or track.
 */
export function showsHpBar(f: RgbFrame, box: Box): boolean {
  const s = box.h / LAYOUT.hp[0].h;
  const y = box.y - Math.max(1, Math.round(2 * s));
  if (y < 0) return false;
  let framed = 0;
  for (let x = box.x; x < box.x + box.w && x < f.width; x++) {
    const i = (y * f.width + x) * 3;
    if (Math.abs(f.rgb[i]! - FRAME[0]) + Math.abs(f.rgb[i + 1]! - FRAME[1]) + Math.abs(f.rgb[i + 2]! - FRAME[2]) <= 45) framed++;
  }
  return framed >= box.w * 0.95 && readHpBar(f, box).other <= box.w * 0.02;
}

/** Where the fill should end for `hp` of `maxHp` (the renderer rounds the same way). */
export function expectedFill(hp: number, maxHp: number, box: Box): number {
  return Math.round(box.w * Math.max(0, Math.min(1, hp / maxHp)));
}

/** Share of the box's pixels whose colour moved by more than `tol` (sum of channel differences) between a and b. */
export function changedShare(a: RgbFrame, b: RgbFrame, box: Box, tol = 60): number {
  let changed = 0;
  let total = 0;
  for (let y = box.y; y < box.y + box.h && y < a.height; y++) {
    for (let x = box.x; x < box.x + box.w && x < a.width; x++) {
      const i = (y * a.width + x) * 3;
      const d = Math.abs(a.rgb[i]! - b.rgb[i]!) + Math.abs(a.rgb[i + 1]! - b.rgb[i + 1]!) + Math.abs(a.rgb[i + 2]! - b.rgb[i + 2]!);
      if (d > tol) changed++;
      total++;
    }
  }
  return total === 0 ? 0 : changed / total;
}

/** RGBA (the renderer's output) to RGB24 (what the decoder hands over), for tests. */
export function rgbaToRgb(rgba: Uint8Array, width: number, height: number): RgbFrame {
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) {
    rgb[j] = rgba[i]!;
    rgb[j + 1] = rgba[i + 1]!;
    rgb[j + 2] = rgba[i + 2]!;
  }
  return { rgb, width, height };
}
