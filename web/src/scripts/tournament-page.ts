/**
 * /tournament: where the season's cycle is, the live bracket and the past champions, from GET /api/season (edge-cached
 * for a few seconds, so every viewer's refresh is cheap). The bracket moves once a round, so the page reads it again
 * every REFRESH_MS while it is shown, and at once when it is shown again.
 */
import type { SeasonResponse } from '@stream-fighter/core/season/season-view';
import { escapeHtml } from '@stream-fighter/view/html';
import type { Lang } from '@stream-fighter/view/languages';
import type { Translate } from '@stream-fighter/view/words';
import { apiCall } from '../lib/http.ts';
import { applyLang, initialLang, wireLangSwitch } from '../lib/lang.ts';
import { seasonHtml } from '../lib/tournament-view.ts';

const REFRESH_MS = 15_000;

const position = document.getElementById('season-position')!;
const bracket = document.getElementById('bracket')!;
const champions = document.getElementById('champions')!;
const status = document.getElementById('season-status')!;

let lang: Lang = initialLang();
let t: Translate = applyLang(lang);
let data: SeasonResponse | null = null;
let failure: string | null = null;
let timer = 0;

function render(): void {
  // A failed refresh keeps what was shown and says why; a failed first load has nothing else to show.
  status.innerHTML = failure ? `<span role="alert">${escapeHtml(t('results.error', { reason: failure }))}</span>` : '';
  if (!data) return;
  const html = seasonHtml(data, t, lang);
  position.textContent = html.position;
  position.dataset.stage = data.position.stage;
  bracket.innerHTML = html.bracket;
  champions.innerHTML = html.champions;
}

async function load(): Promise<void> {
  try {
    data = await apiCall<SeasonResponse>('GET', '/api/season');
    failure = null;
  } catch (e) {
    failure = String((e as Error).message);
  }
  render();
}

function schedule(): void {
  window.clearInterval(timer);
  if (document.visibilityState === 'visible') timer = window.setInterval(() => void load(), REFRESH_MS);
}

document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible') void load();
  schedule();
});
wireLangSwitch(
  () => lang,
  (next) => {
    lang = next;
    t = applyLang(lang);
    render();
  },
);
void load();
schedule();
