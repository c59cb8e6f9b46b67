/**
 * The numbers and id lists of the game, without zod: the browser, the render node and the Worker import this
 * module on its own (`@stream-fighter/core/constants`) and ship nothing else. The schemas in ids.ts,
 * matchup.ts and round-state.ts are built from these and re-export them.
 */

/** Option ids are stable strings, in order: a poll with n options uses the first n. */
export const OPTION_IDS = ['A', 'B', 'C', 'D'] as const;
export const ARCHETYPE_IDS = ['brawler', 'ninja', 'wizard', 'robot', 'beast', 'luchador', 'samurai', 'alien'] as const;
export const STAGE_IDS = ['dojo', 'rooftop', 'volcano', 'beach', 'space', 'arcade'] as const;
export const ATTACK_KINDS = ['punch', 'kick', 'special'] as const;

/** A round's clock, in seconds: the default and the bounds an operator or the AI may pick from. */
export const ROUND_SECONDS = { default: 180, min: 15, max: 1800 } as const;
/** Timing of the phases around the live part of a round, in ms: the default a round carries (RoundState.phaseMs). */
export const PHASE_MS = { intro: 5_000, finish: 4_000, results: 8_000 } as const;
/** The bounds a room's setting may pick each phase length from (the test stacks shorten them to the minimum). */
export const PHASE_MS_BOUNDS = { min: 200, max: 60_000 } as const;
/** HP is an integer so replays are exact; 100 000 lets a 5 000-voter crowd still chip away. */
export const MAX_HP = 100_000;
/** Recent hits kept in the state for animation (older ones are only in the tally). */
export const RECENT_HITS = 16;

/** The wire protocol's version: every message carries it as `v` (protocol.ts). Here so zod-free clients can send it. */
export const PROTOCOL_VERSION = 1 as const;

/**
 * A viewer pings this often with the seq of the last state it applied; the room closes one that has fallen more
 * than VIEWER_STALL_MS behind the broadcasts (its messages are piling up somewhere: a link too slow for them), and
 * the client reconnects to the current state.
 */
export const VIEWER_PING_MS = 20_000;
export const VIEWER_STALL_MS = 45_000;
