/**
 * The stream's fighters, pixel for pixel: one hash per archetype over every frame, facing, flash and a few colours,
 * and one of two fighters drawn on the stage in every pose. Last taken when the sprites got their rim light and
 * their highlights stopped short of white (issue 12): a change here is a visible change on the stream.
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
import { OUTLINE } from '@stream-fighter/view/sprites/pixels';
import { contrast, hex } from '@stream-fighter/view/sprites/color';
import { STAGE_IDS } from '@stream-fighter/core/ids';
import { LAYOUT } from './layout.ts';
import { stageBackground } from './stage.ts';
import { RIM_MIN_LUMINANCE, SPRITE_RES, rimColor, sprite } from './sprites.ts';

const GOLDEN_SPRITES: Record<ArchetypeId, string> = {
  brawler: '5fccd8ae6f2ca8cf79ab18593b5829a1d665e6e5',
  ninja: 'a4f85abe8d7b2f1db1a6ce3926707518610924bd',
  wizard: '5eefc1775a58eb87976e953cc5defc466cc495d2',
  robot: '900e8bb9c13f0dd7159b73abd3e882e04ae0e067',
  beast: '446f1180b3324bdd206c7713550e657dcd24b85d',
  luchador: '326e6eac9f0dd10ef18a54e56ab34ed320952698',
  samurai: '117a482bba3dfd1aaf21514b7791cc3ae206d8fb',
  alien: 'ea72803ae8ccce07aeb3fb82aa47778db1f2884d',
};
const GOLDEN_STAGE = '1fa5a36b851979ce7734efbea3c1b2b502c27745';

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
              expect([c.width, c.height]).toEqual([GRID * SPRITE_RES, GRID * SPRITE_RES]);
              h.update(c.getContext('2d').getImageData(0, 0, c.width, c.height).data);
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

/** Every fighter colour worth trying: the roster's, the darkest and lightest seen on air, and plain black and white. */
const FIGHTER_COLOURS = [...new Set([...Object.values(ARCHETYPES).flatMap((a) => a.palette), '#2b2d42', '#000000', '#111111', '#ffffff', '#fefae0', '#0000ff'])];

/** The colours behind the fighters on a stage (where they stand and jump), with how many pixels each covers. */
function stageColours(stage: (typeof STAGE_IDS)[number]): Map<string, number> {
  const bg = stageBackground(stage, 1280, 720);
  const area = { x: 200, y: 180, w: 880, h: 400 };
  const px = bg.getContext('2d').getImageData(area.x, area.y, area.w, area.h).data;
  const counts = new Map<string, number>();
  for (let i = 0; i < px.length; i += 4) {
    const c = hex([px[i]!, px[i + 1]!, px[i + 2]!]);
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  return counts;
}

describe('fighters stand out from every stage', () => {
  it('has a rim light at least as light as RIM_MIN_LUMINANCE for every colour, in the fighter\'s own tint', () => {
    for (const c of FIGHTER_COLOURS) expect(contrast(rimColor(c), '#000000'), c).toBeGreaterThanOrEqual((RIM_MIN_LUMINANCE + 0.05) / 0.05 - 1e-9);
    expect(rimColor('#d94a38')).not.toBe(rimColor('#06d6a0'));
  });

  it('keeps 3:1 between the outline or the rim and every colour behind the fighters, on every stage', () => {
    for (const stage of STAGE_IDS) {
      for (const [bg] of stageColours(stage)) {
        for (const c of FIGHTER_COLOURS) {
          const best = Math.max(contrast(OUTLINE, bg), contrast(rimColor(c), bg));
          expect(best, `${c} on ${stage}, background ${bg}`).toBeGreaterThanOrEqual(3);
        }
      }
    }
  });

  it('draws a dark fighter (#2b2d42) on the dark arcade stage with an edge that contrasts 3:1 with the stage all round', () => {
    const W = 1280;
    const H = 720;
    const s = LAYOUT.spriteScale;
    const bg = stageBackground('arcade', W, H);
    const plain = bg.getContext('2d').getImageData(0, 0, W, H).data;
    const canvas = createCanvas(W, H);
    const ctx = canvas.getContext('2d');
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(bg, 0, 0);
    const size = GRID * s;
    const x0 = LAYOUT.fighterX[0] - size / 2;
    const y0 = LAYOUT.groundY - 45 * s;
    ctx.drawImage(sprite({ archetype: 'ninja', color: '#2b2d42', frame: 'idle0', facing: 1 }), x0, y0, size, size);
    const drawn = ctx.getImageData(0, 0, W, H).data;
    const at = (d: Uint8ClampedArray, x: number, y: number) => hex([d[(y * W + x) * 4]!, d[(y * W + x) * 4 + 1]!, d[(y * W + x) * 4 + 2]!]);
    const fighter = (x: number, y: number) => at(drawn, x, y) !== at(plain, x, y);
    // Every edge of the fighter's footprint (a fighter pixel next to a stage pixel): the better contrast of the
    // stage pixel with the fighter's edge (the rim, 3 px) or with what lies just inside it (the dark outline).
    const inside = SPRITE_RES === 2 ? s / 2 + 1 : s + 1;
    const ratios: number[] = [];
    for (let y = y0; y < y0 + size; y++)
      for (let x = x0; x < x0 + size; x++) {
        if (!fighter(x, y)) continue;
        for (const [dx, dy] of [[1, 0], [-1, 0], [0, 1], [0, -1]] as const) {
          if (fighter(x + dx, y + dy)) continue;
          const stagePx = at(drawn, x + dx, y + dy);
          ratios.push(Math.max(contrast(at(drawn, x, y), stagePx), contrast(at(drawn, x - dx * inside, y - dy * inside), stagePx)));
        }
      }
    expect(ratios.length).toBeGreaterThan(200);
    ratios.sort((a, b) => a - b);
    // The worst 5 % of the edge still contrasts 3:1 (a pixel of the stage that happens to match the rim may not).
    expect(ratios[Math.floor(ratios.length * 0.05)]).toBeGreaterThanOrEqual(3);
  });
});
