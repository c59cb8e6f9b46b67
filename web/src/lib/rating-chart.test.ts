import { describe, expect, it } from 'vitest';
import { ratingChartSvg, ratingPath } from './rating-chart.ts';

const pts = (...ratings: number[]) => ratings.map((rating, i) => ({ at: i * 1000, rating }));

describe('the rating chart', () => {
  it('runs left to right, the highest rating at the top and the lowest at the bottom', () => {
    const size = { width: 100, height: 50, pad: 0 };
    expect(ratingPath(pts(1500, 1516, 1484), size)).toEqual({ d: 'M0 25 L50 0 L100 50', min: 1484, max: 1516 });
  });

  it('draws a flat line in the middle and a single point as a dot', () => {
    expect(ratingPath(pts(1500, 1500), { width: 10, height: 10, pad: 1 })?.d).toBe('M1 5 L9 5');
    expect(ratingPath([])).toBeNull();
    expect(ratingChartSvg(pts(1500), 'one')).toContain('<circle');
    expect(ratingChartSvg([], 'none')).toBe('');
  });

  it('escapes its label', () => {
    expect(ratingChartSvg(pts(1, 2), 'a "b" <c> & d')).toContain('aria-label="a &quot;b&quot; &lt;c&gt; &amp; d"');
  });
});
