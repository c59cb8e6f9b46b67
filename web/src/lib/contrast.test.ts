/**
 * WCAG AA for the site's colours. The palette is read from the stylesheets themselves (the `:root` custom
 * properties of global.css, and of the overlay, which stands alone); every text colour the styles use must be
 * listed below with the backgrounds it sits on, and every pair must pass. Run with `--silent=false` for the table.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aaMinimum, contrastRatio, isLargeText, over, parseColor, relativeLuminance, rootCustomProperties, type Rgba } from './contrast.ts';

const SRC = resolve(import.meta.dirname, '..');
const read = (path: string) => readFileSync(resolve(SRC, path), 'utf8');
const styleBlocks = (astro: string) => [...astro.matchAll(/<style[^>]*>([\s\S]*?)<\/style>/g)].map((m) => m[1]!).join('\n');

const globalCss = read('styles/global.css');
const dashboardCss = styleBlocks(read('pages/dashboard.astro'));
const overlayCss = styleBlocks(read('pages/overlay.astro'));
const site = rootCustomProperties(globalCss);
const overlay = rootCustomProperties(overlayCss);

/** Text straight on the page sits on its gradient, from --bg-glow at the top to --bg. */
const PAGE = ['--bg', '--bg-glow'];
/** Video behind the overlay's translucent boxes: anything, so check both extremes. */
const VIDEO = ['#ffffff', '#000000'];

type Use = { kind: 'text'; px: number; bold: boolean } | { kind: 'ui' };
interface Pair {
  where: string;
  fg: string;
  bg: string[];
  use: Use;
  palette?: 'site' | 'overlay';
}
const text = (px: number, bold = false): Use => ({ kind: 'text', px, bold });
const ui: Use = { kind: 'ui' };

const PAIRS: Pair[] = [
  // page frame
  { where: 'body text, headings, nav links', fg: '--text', bg: PAGE, use: text(15) },
  { where: 'nav link of the current page', fg: '--text', bg: ['--panel-2'], use: text(15) },
  { where: 'links, logo, share link', fg: '--accent', bg: [...PAGE, '--panel'], use: text(13) },
  { where: 'skip link', fg: '--ink', bg: ['--accent'], use: text(16) },
  { where: 'loading, stage, help, totals, live label, no-JS note', fg: '--muted', bg: PAGE, use: text(14) },
  { where: 'status line', fg: '--text', bg: ['--panel-2'], use: text(16) },
  { where: 'status line: ok', fg: '--ok-ink', bg: ['--ok'], use: text(16) },
  { where: 'status line: error', fg: '--bad-text', bg: ['--bad-bg'], use: text(16) },
  // the fight
  { where: 'clock', fg: '--text', bg: ['--panel-2'], use: text(14) },
  { where: 'clock: live', fg: '--ink', bg: ['--accent'], use: text(14) },
  { where: 'clock: finished, results', fg: '--ok-ink', bg: ['--ok'], use: text(14) },
  { where: 'option card: name, HP, votes', fg: '--text', bg: ['--panel'], use: text(14) },
  { where: 'option card: archetype', fg: '--muted', bg: ['--panel'], use: text(13) },
  { where: 'option card: fighter card line', fg: '--text', bg: ['--panel-2'], use: text(13, true) },
  { where: 'option card: fighter card streak', fg: '--accent', bg: ['--panel-2'], use: text(13, true) },
  { where: 'option card: fighter card NEW', fg: '--ok-ink', bg: ['--ok'], use: text(13, true) },
  { where: 'vote button', fg: '--ink', bg: ['--accent'], use: text(17, true) },
  { where: 'vote button: yours', fg: '--ok-ink', bg: ['--ok'], use: text(17, true) },
  { where: 'vote button: disabled', fg: '--disabled-ink', bg: ['--disabled'], use: text(17, true) },
  // results
  { where: 'card headings', fg: '--accent', bg: ['--panel'], use: text(14) },
  { where: 'match details, ranks, loading in a card', fg: '--muted', bg: ['--panel'], use: text(14) },
  { where: 'winner line', fg: '--ok', bg: ['--panel'], use: text(14, true) },
  // dashboard
  { where: 'labels, legends, muted lines', fg: '--muted', bg: ['--panel', '--panel-2'], use: text(13) },
  { where: 'list rows', fg: '--text', bg: ['--panel-2'], use: text(16) },
  { where: 'inputs', fg: '--text', bg: ['--field'], use: text(16) },
  { where: 'placeholders', fg: '--muted', bg: ['--field'], use: text(16) },
  { where: 'buttons, phase pill', fg: '--ink', bg: ['--accent'], use: text(13, true) },
  { where: 'buttons: disabled', fg: '--disabled-ink', bg: ['--disabled'], use: text(15, true) },
  { where: 'ghost button, summary', fg: '--accent', bg: ['--panel'], use: text(15, true) },
  { where: 'danger buttons', fg: '--danger-ink', bg: ['--danger'], use: text(15, true) },
  { where: 'form errors', fg: '--danger', bg: ['--panel'], use: text(16) },
  // controls and graphics that carry meaning (1.4.11)
  { where: 'vote button and buttons against their card', fg: '--accent', bg: ['--panel', '--panel-2'], use: ui },
  { where: 'vote button (yours) against its card', fg: '--ok', bg: ['--panel'], use: ui },
  { where: 'danger button against its row', fg: '--danger', bg: ['--panel-2'], use: ui },
  { where: 'outlined buttons (share, ghost, load more)', fg: '--accent', bg: [...PAGE, '--panel'], use: ui },
  { where: 'input borders', fg: '--line', bg: ['--field', '--panel'], use: ui },
  { where: 'focus ring', fg: '--focus', bg: [...PAGE, '--panel', '--panel-2'], use: ui },
  { where: 'bar outline', fg: '--line', bg: ['--panel'], use: ui },
  { where: 'HP bar', fg: '--ok-from', bg: ['--field'], use: ui },
  { where: 'HP bar: low', fg: '--bad-from', bg: ['--field'], use: ui },
  { where: 'live dot', fg: '--live-on', bg: PAGE, use: ui },
  // overlay, sized for the smallest sensible canvas (1280 px wide; vw × 12.8)
  { where: 'overlay clock', fg: '--ov-accent', bg: ['--ov-scrim'], use: text(33.3, true), palette: 'overlay' },
  { where: 'overlay clock: text phases', fg: '--ov-accent', bg: ['--ov-scrim'], use: text(16.6, true), palette: 'overlay' },
  { where: 'overlay poll box', fg: '--ov-text', bg: ['--ov-panel'], use: text(15.4, true), palette: 'overlay' },
  { where: 'overlay QR card', fg: '--ov-card-ink', bg: ['--ov-card'], use: text(11.5, true), palette: 'overlay' },
  { where: 'overlay QR card: chat hint', fg: '--ov-text', bg: ['--ov-card-ink'], use: text(11.5, true), palette: 'overlay' },
  { where: 'overlay QR card: chat commands', fg: '--ov-accent', bg: ['--ov-card-ink'], use: text(11.5, true), palette: 'overlay' },
  { where: 'overlay chat feed: name', fg: '--ov-text', bg: ['--ov-scrim'], use: text(12.8, true), palette: 'overlay' },
  { where: 'overlay chat feed: fighter', fg: '--ov-accent', bg: ['--ov-scrim'], use: text(12.8, true), palette: 'overlay' },
  { where: 'overlay fighter card: tier and record', fg: '--ov-text', bg: ['--ov-scrim'], use: text(12.8, true), palette: 'overlay' },
  { where: 'overlay fighter card: streak', fg: '--ov-accent', bg: ['--ov-scrim'], use: text(12.8, true), palette: 'overlay' },
  { where: 'overlay fighter card: NEW', fg: '--ov-card-ink', bg: ['--ov-new'], use: text(12.8, true), palette: 'overlay' },
];

function colour(name: string, palette: Map<string, string>): Rgba {
  if (!name.startsWith('--')) return parseColor(name);
  const v = palette.get(name);
  if (v === undefined) throw new Error(`${name} is not in the palette`);
  return parseColor(v);
}

interface Row {
  where: string;
  fg: string;
  bg: string;
  ratio: number;
  min: number;
  category: 'normal text' | 'large text' | 'ui / graphics';
}

/** Each pair on each of its backgrounds; a translucent background is laid on each video extreme first. */
function rows(): Row[] {
  const out: Row[] = [];
  for (const p of PAIRS) {
    const palette = p.palette === 'overlay' ? overlay : site;
    const category = p.use.kind === 'ui' ? 'ui / graphics' : isLargeText(p.use.px, p.use.bold) ? 'large text' : 'normal text';
    for (const bgName of p.bg) {
      const bg = colour(bgName, palette);
      const fg = colour(p.fg, palette);
      for (const backdrop of bg.a < 1 ? VIDEO : [null]) {
        const solid = backdrop ? over(bg, parseColor(backdrop)) : bg;
        const ratio = contrastRatio(fg.a < 1 ? over(fg, solid) : fg, solid);
        out.push({ where: p.where, fg: p.fg, bg: backdrop ? `${bgName} over ${backdrop}` : bgName, ratio, min: aaMinimum(p.use), category });
      }
    }
  }
  return out;
}

describe('the contrast formula', () => {
  it('matches the known values', () => {
    const black = parseColor('#000');
    const white = parseColor('#ffffff');
    expect(relativeLuminance(black)).toBe(0);
    expect(relativeLuminance(white)).toBeCloseTo(1, 10);
    expect(contrastRatio(black, white)).toBeCloseTo(21, 10);
    expect(contrastRatio(white, black)).toBeCloseTo(21, 10);
    expect(contrastRatio(white, white)).toBe(1);
    // The classic edge: #767676 is the lightest grey that passes on white, #777777 already fails.
    expect(contrastRatio(parseColor('#767676'), white)).toBeCloseTo(4.54, 2);
    expect(contrastRatio(parseColor('#777777'), white)).toBeCloseTo(4.48, 2);
  });

  it('can fail: known-bad pairs come out under the thresholds', () => {
    expect(contrastRatio(parseColor('#777777'), parseColor('#fff'))).toBeLessThan(4.5);
    // Yellow on white, a favourite mistake, fails even the 3:1 of large text.
    expect(contrastRatio(parseColor('#ffd23f'), parseColor('#fff'))).toBeLessThan(3);
    // The site's own muted grey on its own accent would not do.
    expect(contrastRatio(colour('--muted', site), colour('--accent', site))).toBeLessThan(4.5);
  });

  it('reads CSS colours and composites translucent ones', () => {
    expect(parseColor('#abc')).toEqual({ r: 0xaa, g: 0xbb, b: 0xcc, a: 1 });
    expect(parseColor('rgb(0 0 0 / 0.65)')).toEqual({ r: 0, g: 0, b: 0, a: 0.65 });
    expect(parseColor('rgba(255, 0, 0, 50%)')).toEqual({ r: 255, g: 0, b: 0, a: 0.5 });
    expect(over(parseColor('rgb(0 0 0 / 0.5)'), parseColor('#ffffff'))).toEqual({ r: 127.5, g: 127.5, b: 127.5, a: 1 });
    expect(() => contrastRatio(parseColor('rgb(0 0 0 / 0.5)'), parseColor('#fff'))).toThrow(/composite/);
    expect(() => parseColor('tomato')).toThrow();
  });

  it('applies the size rule for large text', () => {
    expect(aaMinimum(text(16))).toBe(4.5);
    expect(aaMinimum(text(18, true))).toBe(4.5);
    expect(aaMinimum(text(18.66, true))).toBe(3);
    expect(aaMinimum(text(23.9))).toBe(4.5);
    expect(aaMinimum(text(24))).toBe(3);
    expect(aaMinimum(ui)).toBe(3);
  });

  it('resolves custom properties, including references between them', () => {
    const p = rootCustomProperties(':root { --a: #fff; /* c: d; */ --b: var(--a); }\n.x { --c: #000; }');
    expect(p.get('--b')).toBe('#fff');
    expect(p.has('--c')).toBe(false);
  });
});

describe('the site palette', () => {
  it('keeps every colour in :root: no colour literal elsewhere in the styles', () => {
    const outsideRoot = (css: string) => css.replace(/:root\s*\{[^}]*\}/g, '').replace(/\/\*[\s\S]*?\*\//g, '');
    for (const [name, css] of [
      ['global.css', globalCss],
      ['dashboard.astro', dashboardCss],
      ['overlay.astro', overlayCss],
    ] as const) {
      expect(outsideRoot(css).match(/#[0-9a-f]{3,8}\b|\brgba?\(|\bhsla?\(/gi), name).toBeNull();
    }
  });

  it('lists every text colour the styles use', () => {
    const used = new Set<string>();
    for (const css of [globalCss, dashboardCss, overlayCss]) {
      for (const m of css.matchAll(/(?:^|[\s;{])color:\s*var\((--[\w-]+)\)/g)) used.add(m[1]!);
    }
    const listed = new Set(PAIRS.map((p) => p.fg));
    expect([...used].filter((v) => !listed.has(v))).toEqual([]);
  });

  it('passes WCAG AA on every pair', () => {
    const all = rows();
    console.table(all.map((r) => ({ where: r.where, fg: r.fg, bg: r.bg, ratio: r.ratio.toFixed(2), needs: r.min })));
    for (const category of ['normal text', 'large text', 'ui / graphics'] as const) {
      const worst = all.filter((r) => r.category === category).sort((a, b) => a.ratio - b.ratio)[0];
      if (worst) console.log(`${category}: min ${worst.ratio.toFixed(2)}:1 (${worst.fg} on ${worst.bg}, ${worst.where})`);
    }
    const failing = all.filter((r) => r.ratio < r.min).map((r) => `${r.where}: ${r.fg} on ${r.bg} = ${r.ratio.toFixed(2)} < ${r.min}`);
    expect(failing).toEqual([]);
    expect(all.length).toBeGreaterThanOrEqual(PAIRS.length);
  });
});
