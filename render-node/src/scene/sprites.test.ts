/**
 * The stream's fighters, pixel for pixel. The hashes were taken from the painter before the sprite model moved to
 * view/ (one per archetype over every frame, facing, flash and a few colours, and one of two fighters drawn on the
 * stage in every pose): a change here is a visible change on the stream.
 */
import { createHash } from 'node:crypto';
import { createCanvas } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { ARCHETYPES } from '@stream-fighter/core/roster';
import type { ArchetypeId } from '@stream-fighter/core/ids';
import { drawFighters } from './draw-fight.ts';
import { showcaseFight } from '@stream-fighter/core/fixtures/matchups';
import type { OptionView, Pose, SceneView } from './model.ts';
import { FRAMES, GRID } from '@stream-fighter/view/sprites/grid';
import { sprite } from './sprites.ts';

const GOLDEN_SPRITES: Record<ArchetypeId, string> = {
  brawler: '2a4a03b2f8a5d49a853f29c9e14fbc2c8232fb81',
  ninja: 'f2abf2b504e6e25185ab3945be20200357c2dfcd',
  wizard: '629f6fbd451bccb77721090ca62a0b70649cbefc',
  robot: 'cc4ef8f7b89853e67f0150dc82442f0fb10f7f7c',
  beast: 'ba5845131fdd24aa410239954bf12dd09f9f7923',
  luchador: '612d2b7b8a60d0d9ed5f06067f3c5c6590602370',
  samurai: '1321a7efdf80d3bb478effa4b4e19cfcc78e1d76',
  alien: '75721ea898791159154ea883aa146520d6f23aec',
};
const GOLDEN_STAGE = '6df1d6d06055a9245913e3cb16c5bc4b399e90c5';

/** The archetype's own colours plus two that are far from them, so the trim swaps (`apart`) are covered too. */
function coloursFor(a: ArchetypeId): string[] {
  return [...ARCHETYPES[a].palette, '#d94a38', '#06d6a0'];
}

describe('sprite', () => {
  it('paints every frame of every archetype as before', () => {
    const got: Record<string, string> = {};
    for (const archetype of Object.keys(ARCHETYPES) as ArchetypeId[]) {
      const h = createHash('sha1');
      for (const color of coloursFor(archetype))
        for (const frame of FRAMES)
          for (const facing of [1, -1] as const)
            for (const white of [false, true]) {
              const c = sprite({ archetype, color, frame, facing, white });
              expect([c.width, c.height]).toEqual([GRID, GRID]);
              h.update(c.getContext('2d').getImageData(0, 0, GRID, GRID).data);
            }
      got[archetype] = h.digest('hex');
    }
    expect(got).toEqual(GOLDEN_SPRITES);
  });

  it('draws two fighters on the stage in every pose as before', () => {
    const canvas = createCanvas(1280, 720);
    const ctx = canvas.getContext('2d');
    ctx.imageSmoothingEnabled = false;
    const [a, b] = showcaseFight().options;
    const option = (o: typeof a, pose: Pose, poseMs: number): OptionView => ({
      id: o!.id, fighter: o!.fighter, hp: 1, hpShown: 1, hpGhost: 1, votes: 0, votesShown: 0, pct: 0, pose, poseMs,
    });
    const poses: Array<[Pose, number]> = [
      ['idle', 0], ['idle', 400], ['punch', 50], ['punch', 200], ['kick', 100], ['special', 100], ['special', 400],
      ['hurt', 40], ['hurt', 200], ['ko', 100], ['ko', 400], ['ko', 900], ['win', 300],
    ];
    const h = createHash('sha1');
    for (const [pose, ms] of poses) {
      ctx.fillStyle = '#202030';
      ctx.fillRect(0, 0, 1280, 720);
      const view = { options: [option(a, pose, ms), option(b, 'hurt', ms % 300)], effects: [] } as Partial<SceneView>;
      drawFighters(ctx, view as SceneView, 1000 + ms);
      h.update(ctx.getImageData(0, 0, 1280, 720).data);
    }
    expect(h.digest('hex')).toBe(GOLDEN_STAGE);
  });
});
