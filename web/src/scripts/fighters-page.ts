/** The fighters table (GET /api/fighters): sorted by the server, by the column the viewer picks (kept in ?sort=). */
import { FIGHTER_SORTS, type FighterSort } from '@stream-fighter/core/fighter-sorts';
import type { FighterList } from '@stream-fighter/core/protocol';
import { formatNumber } from '@stream-fighter/view/format';
import { escapeHtml } from '@stream-fighter/view/html';
import type { Lang } from '@stream-fighter/view/languages';
import type { Translate, WordKey } from '@stream-fighter/view/words';
import { recordText, streakText } from '../lib/fighter-text.ts';
import { apiCall } from '../lib/http.ts';
import { applyLang, initialLang, wireLangSwitch } from '../lib/lang.ts';

const body = document.getElementById('fighters-body')!;
const status = document.getElementById('fighters-status')!;
const caption = document.getElementById('fighters-caption')!;
const buttons = [...document.querySelectorAll<HTMLButtonElement>('button[data-sort]')];

/** The column whose name says what a sort orders by. */
const SORT_LABEL: Record<FighterSort, WordKey> = {
  rating: 'fighters.col.rating',
  wins: 'fighters.col.record',
  fights: 'fighters.col.fights',
  streak: 'fighters.col.streak',
  name: 'fighters.col.name',
  recent: 'fighters.col.fights',
};

const isSort = (s: unknown): s is FighterSort => typeof s === 'string' && (FIGHTER_SORTS as readonly string[]).includes(s);

let lang: Lang = initialLang();
let t: Translate = applyLang(lang);
const asked = new URLSearchParams(location.search).get('sort');
let sort: FighterSort = isSort(asked) ? asked : 'rating';
let items: FighterList['items'] | null = null;

function render(): void {
  caption.textContent = t('fighters.sortedBy', { column: t(SORT_LABEL[sort]) });
  for (const b of buttons) {
    const th = b.closest('th')!;
    if (b.dataset.sort === sort) th.setAttribute('aria-sort', sort === 'name' ? 'ascending' : 'descending');
    else th.removeAttribute('aria-sort');
  }
  if (!items) return;
  status.textContent = items.length === 0 ? t('fighters.none') : '';
  body.innerHTML = items
    .map((f) => {
      const off = f.active ? '' : ` <span class="retired">(${escapeHtml(t('fighters.retired'))})</span>`;
      return `<tr data-id="${escapeHtml(f.id)}">
        <th scope="row"><a href="/fighters/${encodeURIComponent(f.id)}">${escapeHtml(f.name)}</a>${off}</th>
        <td><span class="tier tier-${f.tier}">${f.tier}</span></td>
        <td class="num">${escapeHtml(recordText(f, lang))}</td>
        <td class="num">${escapeHtml(formatNumber(f.kos, lang))}</td>
        <td class="num">${escapeHtml(streakText(f.streak, t, lang))}</td>
        <td class="num">${escapeHtml(formatNumber(f.rating, lang))}</td>
        <td class="num">${escapeHtml(formatNumber(f.fights, lang))}</td>
      </tr>`;
    })
    .join('');
}

async function load(): Promise<void> {
  const wanted = sort;
  try {
    const page = await apiCall<FighterList>('GET', `/api/fighters?sort=${wanted}&limit=100`);
    // A later click already asked for another order: its answer is the one to show.
    if (wanted !== sort) return;
    items = page.items;
  } catch (e) {
    status.innerHTML = `<span role="alert">${escapeHtml(t('results.error', { reason: String((e as Error).message) }))}</span>`;
  }
  render();
}

for (const b of buttons) {
  b.addEventListener('click', () => {
    const next = b.dataset.sort;
    if (!isSort(next) || next === sort) return;
    sort = next;
    const q = new URLSearchParams(location.search);
    q.set('sort', sort);
    history.replaceState(history.state, '', `${location.pathname}?${q}${location.hash}`);
    render();
    void load();
  });
}
wireLangSwitch(
  () => lang,
  (next) => {
    lang = next;
    t = applyLang(lang);
    render();
  },
);
render();
void load();
