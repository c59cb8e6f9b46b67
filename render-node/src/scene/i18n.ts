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

const SEPARATORS: Record<Lang, { group: string; decimal: string; minGroupDigits: number }> = {
  en: { group: ',', decimal: '.', minGroupDigits: 1 },
  // Spanish groups thousands only from five digits on (CLDR minimumGroupingDigits 2): 1234, but 12.345.
  es: { group: '.', decimal: ',', minGroupDigits: 2 },
};

/**
 * The number as Intl.NumberFormat('en-US' / 'es-ES') writes it (grouped thousands, up to 3 decimals), without Intl:
 * the first Intl.NumberFormat pulls ~7 MB of ICU data and code into the process's RSS (pages of the node binary),
 * for two separators. The test checks it against Intl.
 */
export function formatNumber(lang: Lang, n: number): string {
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'NaN' : n > 0 ? '∞' : '-∞';
  const sep = SEPARATORS[lang];
  const [int = '0', frac = ''] = (Math.round(Math.abs(n) * 1000) / 1000).toFixed(3).split('.');
  const digits = frac.replace(/0+$/, '');
  let grouped = int;
  if (int.length > 3 && int.length >= 3 + sep.minGroupDigits) {
    grouped = '';
    for (let end = int.length; end > 0; end -= 3) grouped = int.slice(Math.max(0, end - 3), end) + (grouped ? sep.group + grouped : '');
  }
  const sign = n < 0 && (grouped !== '0' || digits) ? '-' : '';
  return sign + grouped + (digits ? sep.decimal + digits : '');
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
