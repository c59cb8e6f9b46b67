/**
 * /tournament's content, from GET /api/season (core/season/season-view.ts SeasonResponse): where the cycle is (in
 * the stream's words), the bracket in three columns (quarter-finals, semi-finals, final), each side linking to its
 * fighter's page, the winners marked, the match being played highlighted and, where the tie-break rule
 * (core/season/tie-break.ts) rather than the round itself sent a fighter through, which step decided; then the past
 * champions. Pure, so a fixed season can be rendered and checked without a browser (tournament-view.test.ts).
 */
import type { BracketMatchView, BracketSideView, BracketView, ChampionView, SeasonResponse } from '@stream-fighter/core/season/season-view';
import { formatNumber } from '@stream-fighter/view/format';
import { escapeHtml } from '@stream-fighter/view/html';
import type { Lang } from '@stream-fighter/view/languages';
import { bracketRoundName, seasonLine, seasonName } from '@stream-fighter/view/season-line';
import type { Translate } from '@stream-fighter/view/words';
import { formatDate } from './dates.ts';

export interface SeasonHtml {
  /** Where the cycle is, as the stream says it (view/season-line.ts): text, not HTML. */
  position: string;
  bracket: string;
  champions: string;
}

const fighterLink = (id: string, name: string) => `<a href="/fighters/${encodeURIComponent(id)}">${escapeHtml(name)}</a>`;

/** The match being played: the bracket's match the cycle is at, when the position is in this bracket's season. */
export function currentMatchIndex(s: Pick<SeasonResponse, 'position' | 'bracket'>): number | null {
  const p = s.position;
  if (p.stage !== 'tournament' || !s.bracket || s.bracket.season !== p.season) return null;
  return p.overall - 1;
}

function side(s: BracketSideView | null, m: BracketMatchView, t: Translate, lang: Lang): string {
  if (!s) return `<li class="side side--tbd">${escapeHtml(t('tournament.tbd'))}</li>`;
  const state = m.winner === null ? '' : m.winner === s.id ? ' side--winner' : ' side--out';
  const won = m.winner === s.id ? ` <span class="won"><span aria-hidden="true">✓</span><span class="sr-only">${escapeHtml(t('tournament.won'))}</span></span>` : '';
  const seed = formatNumber(s.seed, lang);
  return `<li class="side${state}" data-id="${escapeHtml(s.id)}"><span class="seed" aria-hidden="true">${escapeHtml(seed)}</span> ${fighterLink(s.id, s.name)}<span class="sr-only"> (${escapeHtml(t('tournament.seed', { n: seed }))})</span>${won}</li>`;
}

function match(m: BracketMatchView, now: boolean, t: Translate, lang: Lang): string {
  const cls = `match${now ? ' match--now' : ''}${m.winner ? ' match--done' : ''}`;
  // 'winner' is the round's own result: only a tie-break step is worth a note.
  // A step this page does not know (a newer room's) gets no note rather than breaking the bracket.
  const by = m.by === 'hp' || m.by === 'votes' || m.by === 'seed' ? `<p class="by" data-by="${m.by}">${escapeHtml(t(`tournament.by.${m.by}`))}</p>` : '';
  const badge = now ? ` <span class="now">${escapeHtml(t('tournament.now'))}</span>` : '';
  return `<li class="${cls}" data-index="${m.index}"${now ? ' aria-current="true"' : ''}>
      <p class="match-label">${escapeHtml(bracketRoundName(m.round, m.match, m.of, lang))}${badge}</p>
      <ol class="sides">${side(m.a, m, t, lang)}${side(m.b, m, t, lang)}</ol>${by}
    </li>`;
}

export function bracketHtml(bracket: BracketView | null, current: number | null, t: Translate, lang: Lang): string {
  if (!bracket) return `<p class="none">${escapeHtml(t('tournament.none'))}</p>`;
  const final = bracket.matches.at(-1);
  const champion = bracket.done && final?.winner ? [final.a, final.b].find((x) => x?.id === final.winner) : undefined;
  const heading = `<h2 id="bracket-h">${escapeHtml(seasonName(bracket.season, lang))}</h2>`;
  const crown = champion ? `<p class="champion">${escapeHtml(t('tournament.champion', { name: '\u0000' })).replace('\u0000', fighterLink(champion.id, champion.name))}</p>` : '';
  const rounds = (['quarter-final', 'semi-final', 'final'] as const)
    .map((r) => `<ol class="round round--${r}">${bracket.matches.filter((m) => m.round === r).map((m) => match(m, m.index === current, t, lang)).join('')}</ol>`)
    .join('');
  return `${heading}${crown}<div class="rounds">${rounds}</div>`;
}

const dateText = (ms: number, lang: Lang) => formatDate(ms, lang, { time: false });

export function championsHtml(champions: readonly ChampionView[], t: Translate, lang: Lang): string {
  if (champions.length === 0) return `<p class="none">${escapeHtml(t('tournament.championsNone'))}</p>`;
  return `<ol class="champions">${champions
    .map(
      (c) => `<li data-season="${c.season}"><span class="champion-season">${escapeHtml(seasonName(c.season, lang))}</span>
        ${fighterLink(c.fighterId, c.name)} <span class="champion-date">${escapeHtml(dateText(c.at, lang))}</span></li>`,
    )
    .join('')}</ol>`;
}

export function seasonHtml(s: SeasonResponse, t: Translate, lang: Lang): SeasonHtml {
  return { position: seasonLine(s.position, lang), bracket: bracketHtml(s.bracket, currentMatchIndex(s), t, lang), champions: championsHtml(s.champions, t, lang) };
}
