/**
 * The words the stream draws. They come from the one table (@stream-fighter/view/words), like the site's; what
 * the stream adds is how it writes them: badges and cards are read at a glance from across a room, so it shouts
 * them (upper case), while sentences (the ticker, the connecting line) are drawn as written. Fighter names,
 * headlines and shout-outs are content and are drawn as they come.
 */
import type { Lang } from '@stream-fighter/view/languages';
import { translator, type Vars, type WordKey } from '@stream-fighter/view/words';

/** Each word the scene asks for by what it is on screen: its key in the table and whether it is shouted. */
const ON_SCREEN = {
  live: { key: 'live.connected', shout: true },
  reconnecting: { key: 'live.offline', shout: true },
  connecting: { key: 'stream.connecting', shout: false },
  news: { key: 'stream.news', shout: true },
  voteAt: { key: 'stream.voteAt', shout: false },
  voteNow: { key: 'vote.heading', shout: true },
  shoutout: { key: 'stream.shoutout', shout: true },
  getReady: { key: 'stream.getReady', shout: true },
  fight: { key: 'stream.fight', shout: true },
  ko: { key: 'round.ko', shout: true },
  time: { key: 'stream.time', shout: true },
  combo: { key: 'stream.combo', shout: true },
  roundOver: { key: 'phase.finished', shout: true },
  wins: { key: 'round.winner', shout: true },
  draw: { key: 'round.tie', shout: true },
  drawSub: { key: 'stream.drawSub', shout: false },
  upNext: { key: 'stream.upNext', shout: true },
  poll: { key: 'stream.poll', shout: true },
  leading: { key: 'stream.leading', shout: true },
  versus: { key: 'stream.versus', shout: false },
  votingPaused: { key: 'stream.votingPaused', shout: true },
  reconnectingShort: { key: 'stream.reconnectingShort', shout: false },
  chatHint: { key: 'stream.chatHint', shout: false },
  bracket: { key: 'cycle.bracket', shout: true },
  champion: { key: 'cycle.champion', shout: true },
} as const satisfies Record<string, { key: WordKey; shout: boolean }>;

export type ScreenWord = keyof typeof ON_SCREEN;
export const SCREEN_WORDS = Object.keys(ON_SCREEN) as ScreenWord[];

// The language's own upper case is the plain one for English and Spanish (no Turkish dotless i): toUpperCase
// needs no locale data.
export function tr(lang: Lang, word: ScreenWord, vars?: Vars): string {
  const { key, shout } = ON_SCREEN[word];
  const text = translator(lang)(key, vars);
  return shout ? text.toUpperCase() : text;
}
