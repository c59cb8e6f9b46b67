/**
 * The Worker setting the local test stacks run with: a 1 s intro, a 2 s finish card and a 1 s results card
 * (production: 5, 4 and 8 s). A test that puts its own round live waits ~4 s instead of 17; the finish card still
 * stays up long enough for a page to be seen showing it.
 */
export const SHORT_PHASES = { ROUND_PHASES_MS: '1000,2000,1000' } as const;
