/**
 * The fighters' look, as on the stream: a 12×16 pixel sprite from the archetype's head and a shared body,
 * painted in the fighter's own colour and the archetype's palette. Returned as inline SVG so it shows before
 * (and without) JavaScript, from the Worker's first render as much as from the page's own updates.
 */
import { ARCHETYPES } from '@stream-fighter/core/roster';
import type { ArchetypeId } from '@stream-fighter/core/ids';

const W = 12;
// Legend: O outline, M fighter colour, A/B archetype accents, S skin (or metal, fur…), H hair, E eye-white, W white.
const HEADS: Record<ArchetypeId, string[]> = {
  brawler: ['....OOOO....', '...OHHHHO...', '...OAAAAOA..', '...OSOSOO...', '...OSSSSO...', '....OSSO....'],
  ninja: ['....OOOO....', '...OBBBBO...', '...OAAAAOAA.', '...OSOSOO...', '...OBBBBO...', '....OBBO....'],
  wizard: ['.....OO.....', '....OMAO....', '...OMMMMO...', '..OOOOOOOO..', '...OSOSOO...', '...OWWWWO...'],
  robot: ['.....AO.....', '...OOOOOO...', '...OSSSSO...', '...OAAAAO...', '...OSSSSO...', '....OOOO....'],
  beast: ['..OO...OO...', '..OHOOOOHO..', '...OHHHHO...', '...OSOSOO...', '...OSSSSO...', '....OWWO....'],
  luchador: ['....OOOO....', '...OMAAMO...', '...OEMMEO...', '...OMAAMO...', '...OMSSMO...', '....OSSO....'],
  samurai: ['..A.....A...', '...AOOOOA...', '..OBBBBBBO..', '...OSOSOO...', '...OSSSSO...', '....OSSO....'],
  alien: ['...A...A....', '....OOOO....', '...OSSSSO...', '..OSOOSOOS..', '...OSSSSO...', '....OSSO....'],
};
const BODY = [
  '..OMMMMMMO..',
  '.OMMMAAMMMO.',
  'OSOMMMMMMOSO',
  'OSOMMMMMMOSO',
  'OSOBBBBBBOSO',
  '.O.OMMMMO.O.',
  '...OMMMMO...',
  '...OMOOMO...',
  '..OMMO.OMMO.',
  '..OOOO.OOOO.',
];

const SKIN: Partial<Record<ArchetypeId, 'palette0' | 'palette1'>> = { robot: 'palette0', alien: 'palette0', beast: 'palette1' };

function colours(archetype: ArchetypeId, main: string): Record<string, string> {
  const pal = ARCHETYPES[archetype]?.palette ?? ['#888888', '#cccccc', '#444444'];
  const skin = SKIN[archetype] === 'palette0' ? pal[0]! : SKIN[archetype] === 'palette1' ? pal[1]! : '#f0c29a';
  return { O: '#14141c', M: main, A: pal[1] ?? '#cccccc', B: pal[2] ?? '#444444', S: skin, H: archetype === 'beast' ? pal[0]! : '#3b2a20', E: '#ffffff', W: '#f5f5f5' };
}

/** Inline SVG (decorative: the name is always next to it). `flip` faces it left, for the fighter on the right. */
export function spriteSvg(archetype: ArchetypeId, main: string, flip = false): string {
  const map = colours(archetype, main);
  const rows = [...(HEADS[archetype] ?? HEADS.brawler), ...BODY];
  const rects: string[] = [];
  rows.forEach((row, y) => {
    const cells = row.padEnd(W, '.').slice(0, W);
    // One rect per run of equal pixels keeps the markup small.
    for (let x = 0; x < W; ) {
      const ch = cells[x]!;
      let end = x + 1;
      while (end < W && cells[end] === ch) end++;
      const fill = map[ch];
      if (fill) rects.push(`<rect x="${x}" y="${y}" width="${end - x}" height="1" fill="${fill}"/>`);
      x = end;
    }
  });
  const transform = flip ? ` transform="translate(${W} 0) scale(-1 1)"` : '';
  return `<svg class="sprite" viewBox="0 0 ${W} ${rows.length}" shape-rendering="crispEdges" aria-hidden="true" focusable="false"><g${transform}>${rects.join('')}</g></svg>`;
}
