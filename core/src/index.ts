export * from './ids.ts';
export * from './matchup.ts';
export * from './round-state.ts';
export * from './protocol.ts';
export * from './round.ts';
export * from './roster.ts';
export * from './generator.ts';
export * from './text.ts';
