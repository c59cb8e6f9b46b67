/**
 * How the fighters list can be sorted, and its page sizes: used by the API's query schema (protocol.ts) and by the
 * site's table. No zod here: the browser imports it, and zod would try `new Function`, which the pages' CSP refuses.
 */
export const FIGHTER_SORTS = ['rating', 'wins', 'fights', 'streak', 'name', 'recent'] as const;
export type FighterSort = (typeof FIGHTER_SORTS)[number];
export const FIGHTER_PAGE = { min: 1, max: 100, default: 50 } as const;
