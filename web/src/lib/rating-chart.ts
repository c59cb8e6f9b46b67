/**
 * A fighter's rating over time as a small inline SVG line (no chart library: one path). Points are spaced by fight,
 * not by date: a fighter who fought twice a minute and then rested a week reads as the fights it had. Pure, so it is
 * tested without a browser.
 */
import { escapeHtml } from '@stream-fighter/view/html';

export type RatingPoint = { at: number; rating: number };

export const CHART = { width: 320, height: 96, pad: 6 } as const;

/** The SVG path through the points, and the range it spans. A flat line sits in the middle. */
export function ratingPath(points: readonly RatingPoint[], size: { width: number; height: number; pad: number } = CHART): { d: string; min: number; max: number } | null {
  if (points.length === 0) return null;
  const ratings = points.map((p) => p.rating);
  const min = Math.min(...ratings);
  const max = Math.max(...ratings);
  const w = size.width - 2 * size.pad;
  const h = size.height - 2 * size.pad;
  const x = (i: number) => size.pad + (points.length === 1 ? w / 2 : (i * w) / (points.length - 1));
  const y = (r: number) => size.pad + (max === min ? h / 2 : ((max - r) * h) / (max - min));
  const round = (n: number) => Math.round(n * 10) / 10;
  const d = ratings.map((r, i) => `${i === 0 ? 'M' : 'L'}${round(x(i))} ${round(y(r))}`).join(' ');
  return { d, min, max };
}

/** The chart as markup; `label` is its text alternative (role="img"), already in the page's language. */
export function ratingChartSvg(points: readonly RatingPoint[], label: string): string {
  const path = ratingPath(points);
  if (!path) return '';
  const { width, height } = CHART;
  // One point draws no line: a dot says "one rating" instead.
  const dot = points.length === 1 ? `<circle cx="${width / 2}" cy="${height / 2}" r="3" class="chart-dot"/>` : '';
  return `<svg class="rating-chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(label)}"><path d="${path.d}" class="chart-line" fill="none"/>${dot}</svg>`;
}
