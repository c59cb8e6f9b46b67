/**
 * The /results page's leaderboards: the viewers' play-money points (GET /api/leaderboard?kind=viewers) with the
 * caller's own row marked, and the season's fighters by rating (kind=fighters). Both answers are edge-cached and
 * the same for everyone; which row is the caller's comes from GET /api/me's `name`, asked only when this browser
 * holds a session (session-hint.ts). A viewer outside the top rows still reads their own name and balance.
 */
import type { FighterLeaderboard, MeResponse, ViewerLeaderboard } from '@stream-fighter/core';
import { formatNumber } from '@stream-fighter/view/format';
import { escapeHtml } from '@stream-fighter/view/html';
import type { Lang } from '@stream-fighter/view/languages';
import type { Translate } from '@stream-fighter/view/words';
import { pointsText } from '../lib/bet-text.ts';
import { recordText } from '../lib/fighter-text.ts';
import { ApiCallError, apiCall } from '../lib/http.ts';
import { forgetSession, mayHaveSession } from './session-hint.ts';

export interface BoardsDeps {
  viewersEl: HTMLElement;
  fightersEl: HTMLElement;
  /** "You are Viewer 3F9A2C · 1,250 points", shown once GET /api/me answered. */
  meEl: HTMLElement;
  t: () => Translate;
  lang: () => Lang;
}

export interface Boards {
  load(): Promise<void>;
  /** The language changed. */
  render(): void;
}

type Loaded<T> = { ok: true; value: T } | { ok: false; reason: string };

async function loaded<T>(p: Promise<T>): Promise<Loaded<T>> {
  try {
    return { ok: true, value: await p };
  } catch (e) {
    return { ok: false, reason: e instanceof Error ? e.message : String(e) };
  }
}

/** The caller's own standing: null without a session (or with one that has expired, which drops the hint). */
async function whoAmI(): Promise<MeResponse | null> {
  if (!mayHaveSession()) return null;
  try {
    return await apiCall<MeResponse>('GET', '/api/me');
  } catch (e) {
    if (e instanceof ApiCallError && e.status === 401) forgetSession();
    else console.warn(e);
    return null;
  }
}

export function leaderboards(d: BoardsDeps): Boards {
  let viewers: Loaded<ViewerLeaderboard['items']> | null = null;
  let fighters: Loaded<FighterLeaderboard['items']> | null = null;
  let me: MeResponse | null = null;

  function render(): void {
    const t = d.t();
    const lang = d.lang();
    // One list either way: its error, its empty line, or a row per entry.
    const list = <T,>(loaded: Loaded<T[]>, none: string, row: (item: T) => string) =>
      !loaded.ok
        ? `<li role="alert">${escapeHtml(t('results.error', { reason: loaded.reason }))}</li>`
        : loaded.value.length === 0
          ? `<li class="none">${escapeHtml(none)}</li>`
          : loaded.value.map(row).join('');
    if (viewers) {
      d.viewersEl.innerHTML = list(viewers, t('results.viewersNone'), (v) => {
        const mine = me !== null && v.name === me.name;
        const who = `${t('viewer.name', { tag: v.name })}${mine ? ` ${t('results.you')}` : ''}`;
        return `<li data-rank="${v.rank}"${mine ? ' class="me" aria-current="true"' : ''}><span>${escapeHtml(who)}</span><span>${escapeHtml(pointsText(t, lang, v.balance))}</span></li>`;
      });
    }
    if (fighters) {
      d.fightersEl.innerHTML = list(fighters, t('fighters.none'), (f) => {
        const standing = `${f.tier} · ${recordText(f, lang)} · ${t('results.rating', { n: formatNumber(f.rating, lang) })}`;
        return `<li><span><a href="/fighters/${encodeURIComponent(f.id)}">${escapeHtml(f.name)}</a></span><span>${escapeHtml(standing)}</span></li>`;
      });
    }
    d.meEl.hidden = me === null;
    if (me) d.meEl.textContent = `${t('viewer.you', { name: t('viewer.name', { tag: me.name }) })} · ${pointsText(t, lang, me.balance)}`;
  }

  return {
    async load() {
      const [v, f, m] = await Promise.all([
        loaded(apiCall<ViewerLeaderboard>('GET', '/api/leaderboard?kind=viewers').then((b) => b.items)),
        loaded(apiCall<FighterLeaderboard>('GET', '/api/leaderboard?kind=fighters').then((b) => b.items)),
        whoAmI(),
      ]);
      [viewers, fighters, me] = [v, f, m];
      render();
    },
    render,
  };
}
