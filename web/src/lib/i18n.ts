/**
 * The site's words in English and Spanish. Pure data plus a picker, shared by the pages, their scripts and the
 * Worker (which picks from Accept-Language for the first render, before any JavaScript runs).
 */
export const LANGS = ['en', 'es'] as const;
export type Lang = (typeof LANGS)[number];

const en = {
  'site.name': 'Stream Fighter',
  'nav.vote': 'Vote',
  'nav.results': 'Results',
  'nav.lang': 'Español',
  'vote.heading': 'Vote now',
  'vote.loading': 'Loading the current fight…',
  'vote.unavailable': 'The arena is not answering right now. Try again in a moment.',
  'vote.help': 'Each vote lands a hit on the other fighter. One vote per round.',
  'vote.helpPoll': 'Pick one. One vote per round; most votes wins.',
  'vote.for': 'Vote {name}',
  'vote.sending': 'Sending your vote for {name}…',
  'vote.sendingShort': 'Sending…',
  'vote.yours': 'Your vote ✓',
  'vote.done': 'You voted for {name}.',
  'vote.already': 'You already voted in this round{forName}. One vote per round.',
  'vote.alreadyFor': ' (for {name})',
  'vote.stale': 'That round is over. Here is the current one.',
  'vote.closed': 'Voting is closed right now: the next round starts soon.',
  'vote.limited': 'Too many votes from here. Wait a few seconds.',
  'vote.turnstile': 'Please complete the check below, then vote.',
  'vote.failed': 'Your vote did not go through ({reason}). Try again.',
  'vote.share': 'Share',
  'vote.shareText': 'Vote in the live fight on Stream Fighter!',
  'vote.copied': 'Link copied.',
  'phase.upcoming': 'Starting in {time}',
  'phase.live': '{time} left',
  'phase.finished': 'Round over',
  'phase.results': 'Results',
  'round.votes': '{n} votes',
  'round.vote1': '1 vote',
  'round.share': '{pct}%',
  'round.hp': 'HP {hp} · {pct}%',
  'round.ko': 'K.O.!',
  'round.winner': '{name} wins',
  'round.tie': 'It is a tie',
  'round.total': '{n} votes in total',
  'round.total1': '1 vote in total',
  'round.upNext': 'Up next: {title}',
  'round.previous': 'Last round: {title} — {result}',
  'round.stageOn': 'on {stage}',
  'live.connected': 'Live',
  'live.offline': 'Reconnecting…',
  'results.heading': 'Past matches',
  'results.leaderboard': 'Leaderboard',
  'results.wins': '{n} wins',
  'results.win1': '1 win',
  'results.more': 'Load more',
  'results.none': 'No finished matches yet.',
  'results.noneBoard': 'No winners yet.',
  'results.reason.ko': 'K.O.',
  'results.reason.timeout': 'time',
  'results.reason.rotate': 'ended early',
  'results.error': 'Could not load: {reason}',
  'overlay.scan': 'Scan to vote',
  'noscript.live': 'Reload the page to see the latest numbers.',
  'noscript.reload': 'Reload',
} as const;

export type Key = keyof typeof en;
type Dict = Record<Key, string>;

const es: Dict = {
  'site.name': 'Stream Fighter',
  'nav.vote': 'Votar',
  'nav.results': 'Resultados',
  'nav.lang': 'English',
  'vote.heading': 'Vota ya',
  'vote.loading': 'Cargando la pelea actual…',
  'vote.unavailable': 'La arena no responde ahora. Inténtalo de nuevo en un momento.',
  'vote.help': 'Cada voto es un golpe al otro luchador. Un voto por ronda.',
  'vote.helpPoll': 'Elige una. Un voto por ronda; gana la más votada.',
  'vote.for': 'Votar {name}',
  'vote.sending': 'Enviando tu voto por {name}…',
  'vote.sendingShort': 'Enviando…',
  'vote.yours': 'Tu voto ✓',
  'vote.done': 'Votaste por {name}.',
  'vote.already': 'Ya votaste en esta ronda{forName}. Un voto por ronda.',
  'vote.alreadyFor': ' (por {name})',
  'vote.stale': 'Esa ronda terminó. Esta es la actual.',
  'vote.closed': 'La votación está cerrada: la próxima ronda empieza pronto.',
  'vote.limited': 'Demasiados votos desde aquí. Espera unos segundos.',
  'vote.turnstile': 'Completa la verificación de abajo y vota.',
  'vote.failed': 'Tu voto no se registró ({reason}). Inténtalo de nuevo.',
  'vote.share': 'Compartir',
  'vote.shareText': '¡Vota en la pelea en directo de Stream Fighter!',
  'vote.copied': 'Enlace copiado.',
  'phase.upcoming': 'Empieza en {time}',
  'phase.live': 'Quedan {time}',
  'phase.finished': 'Fin de la ronda',
  'phase.results': 'Resultados',
  'round.votes': '{n} votos',
  'round.vote1': '1 voto',
  'round.share': '{pct} %',
  'round.hp': 'Vida {hp} · {pct} %',
  'round.ko': '¡K.O.!',
  'round.winner': 'Gana {name}',
  'round.tie': 'Empate',
  'round.total': '{n} votos en total',
  'round.total1': '1 voto en total',
  'round.upNext': 'A continuación: {title}',
  'round.previous': 'Ronda anterior: {title} — {result}',
  'round.stageOn': 'en {stage}',
  'live.connected': 'En directo',
  'live.offline': 'Reconectando…',
  'results.heading': 'Peleas anteriores',
  'results.leaderboard': 'Clasificación',
  'results.wins': '{n} victorias',
  'results.win1': '1 victoria',
  'results.more': 'Cargar más',
  'results.none': 'Aún no hay peleas terminadas.',
  'results.noneBoard': 'Aún no hay ganadores.',
  'results.reason.ko': 'K.O.',
  'results.reason.timeout': 'tiempo',
  'results.reason.rotate': 'terminada antes',
  'results.error': 'No se pudo cargar: {reason}',
  'overlay.scan': 'Escanea para votar',
  'noscript.live': 'Recarga la página para ver los últimos números.',
  'noscript.reload': 'Recargar',
};

const DICTS: Record<Lang, Dict> = { en, es };

export function isLang(s: unknown): s is Lang {
  return s === 'en' || s === 'es';
}

/** The first supported language in a preference list (navigator.languages, or parsed Accept-Language). */
export function pickLang(prefs: readonly string[]): Lang {
  for (const p of prefs) {
    const base = p.trim().toLowerCase().split(/[-_]/)[0];
    if (isLang(base)) return base;
  }
  return 'en';
}

/** Accept-Language → languages ordered by q (ties keep header order). */
export function parseAcceptLanguage(header: string | null): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.trim(), q: q ? Number(q.slice(2)) || 0 : 1, i };
    })
    .filter((x) => x.tag && x.tag !== '*' && x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i)
    .map((x) => x.tag);
}

export type T = (key: Key, vars?: Record<string, string | number>) => string;

export function translator(lang: Lang): T {
  const dict = DICTS[lang];
  return (key, vars) => {
    const s = dict[key] ?? en[key];
    return vars ? s.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m)) : s;
  };
}

/** Numbers as people read them: thin grouping per language (12 345 / 12,345). */
export function formatNumber(n: number, lang: Lang): string {
  return new Intl.NumberFormat(lang === 'es' ? 'es-ES' : 'en-US', { useGrouping: true, maximumFractionDigits: 0 }).format(n);
}

/** Static strings in the built HTML carry data-i18n="key": both the Worker and the scripts swap them by it. */
export function dictionary(lang: Lang): Readonly<Dict> {
  return DICTS[lang];
}
