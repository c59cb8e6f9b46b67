/**
 * One fighter's page, /fighters/<id> (the Worker answers every such address with this page: edge/src/site/
 * fighter-page.ts): its record, its rating over its latest fights and its recent fights, from GET /api/fighters/<id>.
 */
import type { FighterPage } from '@stream-fighter/core/protocol';
import { formatNumber } from '@stream-fighter/view/format';
import { escapeHtml } from '@stream-fighter/view/html';
import type { Lang } from '@stream-fighter/view/languages';
import type { Translate } from '@stream-fighter/view/words';
import { recordText, streakText } from '../lib/fighter-text.ts';
import { ApiCallError, apiCall } from '../lib/http.ts';
import { applyLang, initialLang, wireLangSwitch } from '../lib/lang.ts';
import { ratingChartSvg } from '../lib/rating-chart.ts';
import { formatDate } from '../lib/dates.ts';

const root = document.getElementById('fighter')!;

/** The id is the address's second segment: /fighters/<id>. */
function idFromPath(): string {
  const seg = location.pathname.split('/')[2] ?? '';
  try {
    return decodeURIComponent(seg);
  } catch {
    return seg;
  }
}

let lang: Lang = initialLang();
let t: Translate = applyLang(lang);
let data: FighterPage | null = null;
/** 'not-found', or why the fighter could not be loaded. */
let failure: string | null = null;

const n = (x: number) => formatNumber(x, lang);
const when = (ms: number) => formatDate(ms, lang);

function stat(key: Parameters<Translate>[0], value: string, cls = ''): string {
  return `<div class="stat ${cls}"><dt>${escapeHtml(t(key))}</dt><dd>${escapeHtml(value)}</dd></div>`;
}

function render(): void {
  if (failure === 'not-found') {
    root.innerHTML = `<h1 class="fighter-name">?</h1><p role="alert">${escapeHtml(t('fighter.notFound'))}</p>`;
    return;
  }
  if (failure) {
    root.innerHTML = `<p role="alert">${escapeHtml(t('results.error', { reason: failure }))}</p>`;
    return;
  }
  if (!data) return;
  const { fighter: f, ratingHistory, recent } = data;
  document.title = `${f.name} · ${t('site.name')}`;
  const { punch, kick, special } = f.fighter.moves;
  const first = ratingHistory[0];
  const last = ratingHistory.at(-1);
  const chart =
    first && last
      ? ratingChartSvg(ratingHistory, t('fighter.chart', { from: n(first.rating), to: n(last.rating) }))
      : `<p>${escapeHtml(t('fighter.noFights'))}</p>`;
  const fights = recent.length
    ? `<ol class="fights">${recent
        .map((r) => {
          const opponent = `<a href="/fighters/${encodeURIComponent(r.opponent.id)}">${escapeHtml(r.opponent.name)}</a>`;
          // The opponent's name is content: escape the sentence around a placeholder, then put the link in.
          const sentence = escapeHtml(t(`fighter.${r.result}`, { name: '\u0000' })).replace('\u0000', opponent);
          const move = t('fighter.ratingMove', { from: n(r.ratingBefore), to: n(r.ratingAfter) });
          return `<li class="fight fight--${r.result}" data-poll="${escapeHtml(r.pollId)}"><span class="fight-result">${sentence}</span>
            <span class="fight-meta">${escapeHtml(t(`results.reason.${r.reason}`))} · ${escapeHtml(when(r.at))} · ${escapeHtml(move)}</span></li>`;
        })
        .join('')}</ol>`
    : `<p>${escapeHtml(t('fighter.noFights'))}</p>`;
  root.innerHTML = `
    <h1 class="fighter-name">${escapeHtml(f.name)}</h1>
    <p class="tagline">${escapeHtml(f.fighter.tagline)}${f.active ? '' : ` · ${escapeHtml(t('fighters.retired'))}`}</p>
    <dl class="stats">
      ${stat('fighters.col.tier', f.tier, `tier tier-${f.tier}`)}
      ${stat('fighters.col.record', recordText(f, lang), 'record')}
      ${stat('fighters.col.kos', n(f.kos))}
      ${stat('fighters.col.streak', streakText(f.streak, t, lang))}
      ${stat('fighters.col.rating', n(f.rating), 'rating')}
      ${stat('fighters.col.fights', n(f.fights))}
    </dl>
    <p class="moves">${escapeHtml(t('fighter.moves'))}: ${escapeHtml(punch)} · ${escapeHtml(kick)} · ${escapeHtml(special)}</p>
    <h2>${escapeHtml(t('fighter.ratingH'))}</h2>
    <div class="chart">${chart}</div>
    <h2>${escapeHtml(t('fighter.recentH'))}</h2>
    ${fights}`;
}

async function load(): Promise<void> {
  try {
    data = await apiCall<FighterPage>('GET', `/api/fighters/${encodeURIComponent(idFromPath())}`);
  } catch (e) {
    // A malformed id is no fighter either.
    failure = e instanceof ApiCallError && (e.status === 404 || e.status === 400) ? 'not-found' : String((e as Error).message);
  }
  render();
}

wireLangSwitch(
  () => lang,
  (next) => {
    lang = next;
    t = applyLang(lang);
    render();
  },
);
void load();
