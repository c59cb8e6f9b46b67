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
  'nav.skip': 'Skip to content',
  'title.vote': 'Stream Fighter: vote now',
  'title.results': 'Stream Fighter: results',
  'title.dashboard': 'Stream Fighter: operator',
  'dash.heading': 'Operator',
  'dash.token': 'Operator token',
  'dash.signIn': 'Sign in',
  'dash.signOut': 'Sign out',
  'dash.tokenMissing': 'Enter the operator token.',
  'dash.tokenRefused': 'That token was refused.',
  'dash.tokenCheckFailed': 'Could not check the token: {reason}',
  'dash.signedOut401': 'The operator token was refused. Sign in again.',
  'dash.done': '{what}: done.',
  'dash.failed': '{what} failed: {reason}',
  'dash.round': 'Current round',
  'dash.phase.upcoming': 'Upcoming',
  'dash.phase.live': 'Live',
  'dash.phase.finished': 'Finished',
  'dash.phase.results': 'Results',
  'dash.rotate': 'Rotate now',
  'dash.rotateAct': 'Rotate',
  'dash.themeLabel': 'Theme for the next matchup',
  'dash.themePlaceholder': 'Theme (optional)',
  'dash.generate': 'Generate next',
  'dash.generateAct': 'Generate',
  'dash.generatedFallback': 'Generated with the built-in generator (AI: {reason})',
  'dash.preview': 'Stream preview',
  'dash.previewAlt': 'Live frame from the render node',
  'dash.previewOff': 'Render node not reachable.',
  'dash.previewFlv': 'Live preview (HTTP-FLV)',
  'dash.previewSnapshot': 'Snapshot URL (when the live preview is off)',
  'dash.queue': 'Up next',
  'dash.queueEmpty': 'The queue is empty: the room generates the next matchup itself.',
  'dash.remove': 'Remove',
  'dash.removeLabel': 'Remove {title}',
  'dash.source.ai': 'AI',
  'dash.source.builtin': 'built-in',
  'dash.source.operator': 'operator',
  'dash.add': 'Add a matchup',
  'dash.addTitle': 'Title',
  'dash.addStage': 'Stage',
  'dash.addSeconds': 'Seconds',
  'dash.addOption': 'Option',
  'dash.addOptional': ' (optional: 3–4 options make a plain poll)',
  'dash.addName': 'Name',
  'dash.addArchetype': 'Archetype',
  'dash.addColour': 'Colour',
  'dash.addSubmit': 'Queue it',
  'dash.addAct': 'Queue matchup',
  'dash.streams': 'Streams',
  'dash.streamsNone': 'No streams.',
  'dash.streamKey': 'Stream key',
  'dash.screen': 'Screen',
  'dash.screen.fight': 'fight',
  'dash.screen.bars': 'bars',
  'dash.start': 'Start',
  'dash.startAct': 'Start {key}',
  'dash.stop': 'Stop',
  'dash.stopAct': 'Stop {key}',
  'dash.streamDetail': '{state} · {fps} fps · {restarts} restarts · up {uptime}',
  'dash.streamWaiting': 'no renderer has reported yet',
  'dash.state.starting': 'starting',
  'dash.state.live': 'live',
  'dash.state.retrying': 'retrying',
  'dash.state.stopped': 'stopped',
  'dash.state.error': 'error',
  'dash.shoutouts': 'Shout-outs',
  'dash.shoutoutsNone': 'No shout-outs yet.',
  'dash.hide': 'Hide',
  'dash.hidden': 'hidden',
  'dash.hideAct': 'Hide shout-out',
  'dash.noscript': 'The dashboard needs JavaScript.',
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
  'nav.skip': 'Saltar al contenido',
  'title.vote': 'Stream Fighter: vota ya',
  'title.results': 'Stream Fighter: resultados',
  'title.dashboard': 'Stream Fighter: operador',
  'dash.heading': 'Operador',
  'dash.token': 'Token de operador',
  'dash.signIn': 'Entrar',
  'dash.signOut': 'Salir',
  'dash.tokenMissing': 'Escribe el token de operador.',
  'dash.tokenRefused': 'Ese token no es válido.',
  'dash.tokenCheckFailed': 'No se pudo comprobar el token: {reason}',
  'dash.signedOut401': 'El token de operador fue rechazado. Vuelve a entrar.',
  'dash.done': '{what}: hecho.',
  'dash.failed': '{what} falló: {reason}',
  'dash.round': 'Ronda actual',
  'dash.phase.upcoming': 'Por empezar',
  'dash.phase.live': 'En directo',
  'dash.phase.finished': 'Terminada',
  'dash.phase.results': 'Resultados',
  'dash.rotate': 'Cambiar ya',
  'dash.rotateAct': 'Cambiar ronda',
  'dash.themeLabel': 'Tema del próximo enfrentamiento',
  'dash.themePlaceholder': 'Tema (opcional)',
  'dash.generate': 'Generar siguiente',
  'dash.generateAct': 'Generar',
  'dash.generatedFallback': 'Generado con el generador integrado (IA: {reason})',
  'dash.preview': 'Vista previa',
  'dash.previewAlt': 'Fotograma en directo del nodo de render',
  'dash.previewOff': 'No se puede contactar con el nodo de render.',
  'dash.previewFlv': 'Vista en directo (HTTP-FLV)',
  'dash.previewSnapshot': 'URL de captura (cuando la vista en directo está apagada)',
  'dash.queue': 'A continuación',
  'dash.queueEmpty': 'La cola está vacía: la sala genera el siguiente enfrentamiento por sí misma.',
  'dash.remove': 'Quitar',
  'dash.removeLabel': 'Quitar {title}',
  'dash.source.ai': 'IA',
  'dash.source.builtin': 'integrado',
  'dash.source.operator': 'operador',
  'dash.add': 'Añadir un enfrentamiento',
  'dash.addTitle': 'Título',
  'dash.addStage': 'Escenario',
  'dash.addSeconds': 'Segundos',
  'dash.addOption': 'Opción',
  'dash.addOptional': ' (opcional: con 3–4 opciones es una encuesta simple)',
  'dash.addName': 'Nombre',
  'dash.addArchetype': 'Arquetipo',
  'dash.addColour': 'Color',
  'dash.addSubmit': 'Añadir a la cola',
  'dash.addAct': 'Añadir a la cola',
  'dash.streams': 'Emisiones',
  'dash.streamsNone': 'No hay emisiones.',
  'dash.streamKey': 'Clave de emisión',
  'dash.screen': 'Pantalla',
  'dash.screen.fight': 'pelea',
  'dash.screen.bars': 'barras',
  'dash.start': 'Iniciar',
  'dash.startAct': 'Iniciar {key}',
  'dash.stop': 'Detener',
  'dash.stopAct': 'Detener {key}',
  'dash.streamDetail': '{state} · {fps} fps · {restarts} reinicios · activa {uptime}',
  'dash.streamWaiting': 'ningún renderizador ha informado todavía',
  'dash.state.starting': 'arrancando',
  'dash.state.live': 'en directo',
  'dash.state.retrying': 'reintentando',
  'dash.state.stopped': 'detenida',
  'dash.state.error': 'error',
  'dash.shoutouts': 'Saludos',
  'dash.shoutoutsNone': 'Aún no hay saludos.',
  'dash.hide': 'Ocultar',
  'dash.hidden': 'oculto',
  'dash.hideAct': 'Ocultar saludo',
  'dash.noscript': 'El panel necesita JavaScript.',
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
