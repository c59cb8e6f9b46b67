/** Each archetype's head details (hair, masks, hats, eyes), drawn over the bare head whose top-left is (hx, hy). */
import type { ArchetypeId } from '@stream-fighter/core/ids';
import { rect as r } from './grid.ts';
import type { SpriteRect } from './grid.ts';
import type { Palette } from './palette.ts';
import type { Eyes } from './poses.ts';

function eye(out: SpriteRect[], eyes: Eyes, x: number, y: number, col = '#111111'): void {
  if (eyes === 'x') {
    out.push(r(x - 1, y - 1, 1, 1, col), r(x + 1, y - 1, 1, 1, col), r(x, y, 1, 1, col), r(x - 1, y + 1, 1, 1, col), r(x + 1, y + 1, 1, 1, col));
  } else {
    out.push(r(x, y, 2, 2, col));
    if (eyes === 'angry') out.push(r(x - 1, y - 1, 3, 1, '#111111'));
  }
}

export function headRects(a: ArchetypeId, hx: number, hy: number, c: Palette, eyes: Eyes): SpriteRect[] {
  const { main, p1, p2, skin } = c;
  const out: SpriteRect[] = [];
  switch (a) {
    case 'brawler':
      out.push(r(hx - 1, hy - 2, 12, 3, '#3b2a20')); // hair
      out.push(r(hx, hy + 2, 11, 2, p1), r(hx - 4, hy + 2, 4, 2, p1)); // headband
      eye(out, eyes, hx + 8, hy + 5);
      out.push(r(hx + 7, hy + 9, 3, 1, '#7a2e1f'));
      break;
    case 'ninja':
      out.push(r(hx - 1, hy - 1, 12, 12, main), r(hx + 4, hy + 4, 7, 3, skin));
      out.push(r(hx - 1, hy + 1, 12, 2, p2), r(hx - 5, hy + 2, 4, 2, p2), r(hx - 7, hy + 4, 3, 2, p2));
      eye(out, eyes, hx + 8, hy + 5);
      break;
    case 'wizard':
      out.push(r(hx - 2, hy - 1, 15, 3, main)); // hat brim
      out.push(r(hx + 1, hy - 5, 9, 4, main), r(hx + 3, hy - 9, 5, 4, main), r(hx + 4, hy - 12, 3, 3, main));
      out.push(r(hx + 4, hy - 4, 2, 2, p2)); // star
      out.push(r(hx + 2, hy + 7, 10, 8, p1), r(hx + 4, hy + 15, 6, 3, p1)); // beard
      eye(out, eyes, hx + 8, hy + 4);
      break;
    case 'robot':
      out.push(r(hx - 1, hy - 1, 13, 12, '#9aa5b1'));
      out.push(r(hx + 3, hy + 3, 9, 3, p1)); // visor
      out.push(r(hx + 8, hy + 3, 3, 3, eyes === 'x' ? '#ff3b3b' : '#e0fbff'));
      out.push(r(hx + 4, hy - 4, 2, 3, '#6c7a89'), r(hx + 3, hy - 6, 4, 2, '#ff3b3b'));
      out.push(r(hx + 3, hy + 8, 8, 1, '#3d5a80'));
      break;
    case 'beast':
      out.push(r(hx - 1, hy - 3, 3, 4, main), r(hx + 7, hy - 3, 3, 4, main)); // ears
      out.push(r(hx - 1, hy, 12, 3, main));
      out.push(r(hx + 8, hy + 6, 5, 4, p1)); // snout
      out.push(r(hx + 12, hy + 6, 1, 1, '#111111'), r(hx + 9, hy + 10, 1, 2, '#ffffff'));
      eye(out, eyes, hx + 7, hy + 4, '#ffd60a');
      break;
    case 'luchador':
      out.push(r(hx - 1, hy - 1, 12, 12, main)); // mask
      out.push(r(hx + 6, hy + 3, 5, 4, p1), r(hx + 3, hy - 1, 2, 8, p1));
      out.push(r(hx + 6, hy + 8, 5, 2, skin)); // mouth hole
      eye(out, eyes, hx + 8, hy + 4, '#ffffff');
      break;
    case 'samurai':
      out.push(r(hx - 1, hy - 2, 12, 4, '#1b1b1b')); // hair
      out.push(r(hx + 2, hy - 5, 4, 3, '#1b1b1b')); // topknot
      out.push(r(hx - 1, hy + 2, 3, 6, '#1b1b1b'));
      out.push(r(hx - 4, hy + 12, 2, 16, '#8d99ae'), r(hx - 5, hy + 10, 4, 3, p2)); // katana on the back
      eye(out, eyes, hx + 8, hy + 5);
      out.push(r(hx + 6, hy + 9, 4, 1, '#5a3a2a'));
      break;
    case 'alien':
      out.push(r(hx + 1, hy - 6, 1, 4, p1), r(hx + 8, hy - 6, 1, 4, p1)); // antennae
      out.push(r(hx, hy - 7, 3, 2, p2), r(hx + 7, hy - 7, 3, 2, p2));
      if (eyes === 'x') eye(out, eyes, hx + 8, hy + 4);
      else out.push(r(hx + 6, hy + 2, 5, 4, '#111111'), r(hx + 7, hy + 2, 2, 1, '#ffffff'));
      out.push(r(hx + 7, hy + 9, 3, 1, '#222222'));
      break;
  }
  return out;
}
