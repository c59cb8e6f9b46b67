/** Past matches (GET /api/polls, a page at a time by cursor) and the leaderboards (leaderboards.ts). */
import type { PollList } from '@stream-fighter/core';
import { isFight } from '@stream-fighter/core/round';
import { formatNumber } from '@stream-fighter/view/format';
import { escapeHtml } from '@stream-fighter/view/html';
import type { Lang } from '@stream-fighter/view/languages';
import { votesText } from '@stream-fighter/view/round-text';
import { sharePct } from '@stream-fighter/view/shares';
import type { Translate } from '@stream-fighter/view/words';
import { applyLang, initialLang, wireLangSwitch } from '../lib/lang.ts';
import { apiCall } from '../lib/http.ts';
import { leaderboards } from './leaderboards.ts';
import { formatDate } from '../lib/dates.ts';

const matchesEl = document.getElementById('matches')!;
const more = document.getElementById('more') as HTMLButtonElement;

let lang: Lang = initialLang();
let t: Translate = applyLang(lang);
let items: PollList['items'] = [];
let cursor: string | null = null;

const when = (ms: number): string => formatDate(ms, lang);

function renderMatches(): void {
  if (items.length === 0) {
    matchesEl.innerHTML = `<p>${escapeHtml(t('results.none'))}</p>`;
    return;
  }
  matchesEl.innerHTML = items
    .map((p) => {
      const winner = p.options.find((o) => o.id === p.winner);
      const result = winner ? t('round.winner', { name: winner.name }) : t('round.tie');
      const opts = p.options
        .map((o) => {
          const votes = votesText(o.votes, lang);
          const pct = sharePct(o.votes, p.totalVotes);
          return `<li class="${o.id === p.winner ? 'win' : ''}">${escapeHtml(o.name)}: ${escapeHtml(votes)} (${pct}%)${isFight(p) ? ` · HP ${formatNumber(o.hp, lang)}` : ''}</li>`;
        })
        .join('');
      return `<article class="match"><h3>${escapeHtml(p.title)}</h3>
        <p>${escapeHtml(result)} · ${escapeHtml(t(`results.reason.${p.reason}` as const))} · ${escapeHtml(when(p.finishedAt))}</p><ol>${opts}</ol></article>`;
    })
    .join('');
}

async function loadMatches(): Promise<void> {
  more.disabled = true;
  try {
    const page = await apiCall<PollList>('GET', `/api/polls?limit=10${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    items = [...items, ...page.items];
    cursor = page.nextCursor;
    renderMatches();
  } catch (e) {
    matchesEl.insertAdjacentHTML('beforeend', `<p role="alert">${escapeHtml(t('results.error', { reason: String((e as Error).message) }))}</p>`);
  } finally {
    more.hidden = !cursor;
    more.disabled = false;
  }
}

const boards = leaderboards({
  viewersEl: document.getElementById('viewers')!,
  fightersEl: document.getElementById('board')!,
  meEl: document.getElementById('me-line')!,
  t: () => t,
  lang: () => lang,
});

more.addEventListener('click', () => void loadMatches());
wireLangSwitch(
  () => lang,
  (next) => {
    lang = next;
    t = applyLang(lang);
    renderMatches();
    boards.render();
  },
);
void loadMatches();
void boards.load();
