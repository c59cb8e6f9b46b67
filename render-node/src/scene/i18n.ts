/**
 * Every word the stream draws, in English and Spanish. Fighter names, headlines and shout-outs are content and are
 * drawn as they come; everything else goes through `tr`.
 */
import { STAGES } from '@stream-fighter/core';
import type { StageId } from '@stream-fighter/core';

export type Lang = 'en' | 'es';

const TABLE = {
  live: { en: 'LIVE', es: 'EN VIVO' },
  news: { en: 'NEWS', es: 'NOTICIAS' },
  voteNow: { en: 'VOTE NOW', es: '¡VOTA YA!' },
  voteAt: { en: 'Every vote is a hit! Vote at {url}', es: '¡Cada voto es un golpe! Vota en {url}' },
  votes: { en: '{n} votes', es: '{n} votos' },
  vote1: { en: '1 vote', es: '1 voto' },
  ko: { en: 'K.O.!', es: '¡K.O.!' },
  time: { en: 'TIME!', es: '¡TIEMPO!' },
  fight: { en: 'FIGHT!', es: '¡PELEA!' },
  getReady: { en: 'GET READY', es: 'PREPÁRATE' },
  roundOver: { en: 'ROUND OVER', es: 'FIN DEL ASALTO' },
  wins: { en: '{name} WINS!', es: '¡GANA {name}!' },
  draw: { en: 'DRAW!', es: '¡EMPATE!' },
  drawSub: { en: 'Nobody backs down', es: 'Nadie se rinde' },
  upNext: { en: 'UP NEXT', es: 'A CONTINUACIÓN' },
  vs: { en: 'VS', es: 'VS' },
  reconnecting: { en: 'RECONNECTING…', es: 'RECONECTANDO…' },
  connecting: { en: 'Connecting to the arena…', es: 'Conectando con la arena…' },
  results: { en: 'RESULTS', es: 'RESULTADOS' },
  poll: { en: 'THE CROWD DECIDES', es: 'EL PÚBLICO DECIDE' },
  leading: { en: 'LEADING', es: 'EN CABEZA' },
  shoutout: { en: 'SHOUT-OUT', es: 'SALUDO' },
  totalVotes: { en: '{n} votes in total', es: '{n} votos en total' },
} as const satisfies Record<string, Record<Lang, string>>;

export type TextKey = keyof typeof TABLE;

export function tr(lang: Lang, key: TextKey, vars: Record<string, string | number> = {}): string {
  return TABLE[key][lang].replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ''));
}

const numberFormats: Record<Lang, Intl.NumberFormat> = {
  en: new Intl.NumberFormat('en-US'),
  es: new Intl.NumberFormat('es-ES'),
};

export function formatNumber(lang: Lang, n: number): string {
  return numberFormats[lang].format(n);
}

export function votesLabel(lang: Lang, n: number): string {
  return n === 1 ? tr(lang, 'vote1') : tr(lang, 'votes', { n: formatNumber(lang, n) });
}

export function stageName(lang: Lang, stage: StageId): string {
  return STAGES[stage].name[lang];
}

/** Every key, for the test that both languages are complete. */
export const TEXT_KEYS = Object.keys(TABLE) as TextKey[];
export function rawText(lang: Lang, key: TextKey): string {
  return TABLE[key][lang];
}
