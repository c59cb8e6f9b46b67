/**
 * The fighter sprite's frame of reference, shared by the stream (canvas) and the site (SVG): a GRID px square,
 * the frames a fighter can show, and the drawable primitive both sides paint.
 */
import type { ArchetypeId } from '@stream-fighter/core/ids';

export const GRID = 48;
/** Where the feet touch the ground in the grid. */
export const FOOT_Y = 45;

export const FRAMES = ['idle0', 'idle1', 'punch', 'kick', 'charge', 'special', 'hurt', 'ko', 'win', 'walk0', 'walk1', 'breathe', 'taunt', 'fall', 'victory'] as const;
export type SpritePose = (typeof FRAMES)[number];

/** One fighter in one frame. `facing` -1 mirrors it (the right-hand fighter); `white` is the hit flash silhouette. */
export type SpriteKey = { archetype: ArchetypeId; color: string; frame: SpritePose; facing: 1 | -1; white?: boolean };

/** A filled rectangle in grid pixels, colour #rrggbb. */
export type SpriteRect = { x: number; y: number; w: number; h: number; fill: string };

export const rect = (x: number, y: number, w: number, h: number, fill: string): SpriteRect => ({ x, y, w, h, fill });
