/**
 * The vote page's points panel: the voter's balance, a bet form while the next fight is announced (from the end of
 * the fight before it through its intro: the betting window, edge/src/room/bet-book.ts), the live odds, and after the round what the bet won or lost. The room is the authority
 * (edge/src/room/bet-book.ts). The odds come with the room's snapshots; GET /api/me is asked only when this voter's
 * balance may have moved: once when the page opens (with a session), and when a round this voter bet on has
 * finished (each viewer after a random delay). A crowd that does not bet costs the room nothing more. A refused bet shows as refused.
 */
import type { BetAccepted, Matchup, MeResponse, OptionId, RoundOdds, RoundState } from '@stream-fighter/core';
import { POINTS } from '@stream-fighter/core/season/parimutuel';
import { formatNumber } from '@stream-fighter/view/format';
import { escapeHtml } from '@stream-fighter/view/html';
import type { Lang } from '@stream-fighter/view/languages';
import { nameOf } from '@stream-fighter/view/round-text';
import type { Translate } from '@stream-fighter/view/words';
import { betRefusalText, oddsLines, pointsText, resultLines } from '../lib/bet-text.ts';
import { ApiCallError, apiCall } from '../lib/http.ts';

/**
 * The most a viewer waits, at random, before asking after a phase change (so a crowd does not ask at once): within
 * the finish card (4 s by default), so the result is there while the card is.
 */
const SPREAD_MS = 3_000;

export interface BetPanelDeps {
  root: HTMLElement;
  t: () => Translate;
  lang: () => Lang;
  /** The fields that mint a voter session with a first request (a solved proof of work), or none with a session. */
  proof: () => Promise<Record<string, string>>;
  /** Whether the edge knows this browser's voter: without a session there is nothing to ask GET /api/me about. */
  hasSession: () => boolean;
  /** The edge knows this browser's voter now, or it does not after all (an expired session). */
  sessionKnown: () => void;
  sessionLost: () => void;
  /** The room's clock as this page has it: the form closes at the odds' closing time even if a snapshot is late. */
  serverNow: () => number;
}

export interface BetPanel {
  /** The round, the betting pools and the match up next as the page has them now (every snapshot). */
  update(round: RoundState, odds: RoundOdds | null, upNext?: Matchup | null): void;
  /** The language changed. */
  relabel(): void;
}

export function betPanel(d: BetPanelDeps): BetPanel {
  const slot = (name: string) => d.root.querySelector<HTMLElement>(`[data-slot="${name}"]`)!;
  const form = d.root.querySelector<HTMLFormElement>('#bet-form')!;
  const input = form.querySelector<HTMLInputElement>('input[name="points"]')!;
  let round: RoundState | null = null;
  let upNext: Matchup | null = null;
  /** The last GET /api/me answer, or what a bet's answer says before one (no pseudonym in it). */
  let me: (Omit<MeResponse, 'name'> & { name?: string }) | null = null;
  /** The pools from the last snapshot; until one carries them, the last answer's. */
  let liveOdds: RoundOdds | null = null;
  /** No session yet (GET /api/me said 401): a first bet mints one, and the balance is the starting one. */
  let anonymous = false;
  let seen = '';
  let sending = false;
  let status: { text: string; tone: 'info' | 'ok' | 'error' } = { text: '', tone: 'info' };
  let timer: ReturnType<typeof setTimeout> | null = null;

  const balance = () => me?.balance ?? POINTS.start;
  /**
   * What bets go to now: once the live round has finished, the room's book is the next match's (its poll id comes
   * with the odds), named from the match up next; else the live round.
   */
  const target = (): { pollId: string; matchup: Pick<Matchup, 'options'>; next: boolean } | null => {
    if (!round) return null;
    const pools = liveOdds ?? me?.odds ?? null;
    const over = round.phase === 'finished' || round.phase === 'results';
    // The next match's book closes after this round finished; a book that closed before is an old one (a page that
    // missed rounds), never the announced match's.
    if (over && upNext && pools && pools.pollId !== round.pollId && pools.closesAt > round.phaseAt) return { pollId: pools.pollId, matchup: upNext, next: true };
    return { pollId: round.pollId, matchup: round.matchup, next: false };
  };
  const myBet = () => {
    const to = target();
    return me?.bet && to && me.bet.pollId === to.pollId ? me.bet : null;
  };
  const odds = () => {
    const id = target()?.pollId;
    return liveOdds && liveOdds.pollId === id ? liveOdds : me?.odds.pollId === id ? me!.odds : null;
  };
  const open = () => {
    const to = target();
    if (!to) return false;
    const pools = odds();
    if (pools && d.serverNow() >= pools.closesAt) return false;
    return to.next ? (pools?.open ?? false) : round?.phase === 'upcoming' && (pools?.open ?? true);
  };

  async function load(): Promise<void> {
    try {
      me = await apiCall<MeResponse>('GET', '/api/me');
      anonymous = false;
    } catch (e) {
      if (e instanceof ApiCallError && e.status === 401) {
        me = null;
        anonymous = true;
      } else console.warn(e);
    }
    render();
  }

  function render(): void {
    if (!round) return;
    const t = d.t();
    const lang = d.lang();
    const r = round;
    const to = target()!;
    const name = (id: OptionId) => nameOf(to, id);
    d.root.hidden = false;
    slot('balance').textContent = pointsText(t, lang, balance());
    const bet = myBet();
    const result = me?.lastResult && me.lastResult.pollId === r.pollId ? me.lastResult : null;
    const placed = bet && `${t('bet.placed', { points: formatNumber(bet.points, lang), name: name(bet.option) })}${open() ? '' : ` ${t('bet.closed')}`}`;
    const parts: string[] = result ? resultLines(t, lang, result, balance()) : [];
    if (to.next) {
      // The fight that just ended and the one announced: say which one a bet is on.
      const title = upNext?.title ?? '';
      parts.push(placed || (open() ? `${t('bet.nextFight', { title })} ${anonymous ? t('bet.playMoney') : ''}`.trim() : t('bet.nextRound')));
    } else if (!result) {
      if (placed) parts.push(placed);
      else if (open()) parts.push(`${t('bet.open')} ${anonymous ? t('bet.playMoney') : ''}`.trim());
      else parts.push(r.phase === 'live' ? t('bet.closed') : t('bet.nextRound'));
    }
    const note = parts.join(' ');
    slot('note').textContent = note;
    const pools = odds();
    const lines = pools && (open() || bet) ? oddsLines(t, lang, pools, name) : [];
    slot('odds').innerHTML = lines.map((line) => `<li>${escapeHtml(line)}</li>`).join('');
    form.hidden = !open() || bet !== null;
    const sides = slot('sides');
    const key = `${to.pollId}|${lang}`;
    if (sides.dataset.key !== key) {
      sides.innerHTML = to.matchup.options.map((o) => `<button type="submit" value="${escapeHtml(o.id)}">${escapeHtml(t('bet.on', { name: name(o.id) }))}</button>`).join('');
      sides.dataset.key = key;
    }
    for (const b of sides.querySelectorAll('button')) b.disabled = sending;
    input.max = String(balance());
    if (!input.value) input.value = String(Math.min(100, balance()));
    const s = slot('status');
    s.textContent = status.text;
    s.dataset.tone = status.tone;
  }

  async function place(option: OptionId): Promise<void> {
    if (!round || sending) return;
    const t = d.t();
    const points = Number(input.value);
    if (!Number.isSafeInteger(points) || points < 1) {
      status = { text: betRefusalText(t, 'invalid-stake'), tone: 'error' };
      input.focus();
      return render();
    }
    sending = true;
    status = { text: t('bet.sending'), tone: 'info' };
    render();
    const body = { pollId: target()!.pollId, option, points };
    try {
      let res: BetAccepted;
      try {
        res = await apiCall<BetAccepted>('POST', '/api/bet', { body: { ...body, ...(await d.proof()) } });
      } catch (e) {
        if (!(e instanceof ApiCallError) || e.code !== 'challenge-required') throw e;
        // The page thought it had a session (an expired cookie, say): prove, once, and send again.
        d.sessionLost();
        res = await apiCall<BetAccepted>('POST', '/api/bet', { body: { ...body, ...(await d.proof()) } });
      }
      d.sessionKnown();
      status = { text: '', tone: 'ok' };
      me = { ...(me ?? { type: 'me', v: res.v, lastResult: null }), balance: res.balance, bet: res.bet, odds: res.odds };
      anonymous = false;
    } catch (e) {
      const code = e instanceof ApiCallError ? e.code : 'network';
      status = { text: betRefusalText(t, code), tone: 'error' };
      await load();
    } finally {
      sending = false;
      render();
    }
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const option = ((e as SubmitEvent).submitter as HTMLButtonElement | null)?.value as OptionId | undefined;
    if (option) void place(option);
  });

  /**
   * Every viewer sees a phase change at the same moment: each asks after its own random delay, and only when the
   * server has something new for it (its settled bet, once the round it bet on finished).
   */
  function loadSoon(): void {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      void load();
    }, Math.random() * SPREAD_MS);
  }

  return {
    update(next, pools, nextMatch = null) {
      const before = round;
      round = next;
      const nextChanged = JSON.stringify(nextMatch?.title ?? null) !== JSON.stringify(upNext?.title ?? null);
      upNext = nextMatch;
      const oddsMoved = pools !== null && JSON.stringify(pools) !== JSON.stringify(liveOdds);
      if (pools) liveOdds = pools;
      const key = `${next.pollId}|${next.phase}`;
      if (key === seen) {
        if (oddsMoved || nextChanged) render();
        return;
      }
      seen = key;
      // A browser without a session has the starting balance and no bet: asking would only be told 401.
      if (before === null) {
        if (d.hasSession()) void load();
        else anonymous = true;
      } else if (next.pollId !== before.pollId) status = { text: '', tone: 'info' };
      // A bet whose round is over and whose result this page has not seen: asked for, whichever phase the page
      // wakes up in (a phone locked through the finish card resumes in the results or the next round).
      const betOn = me?.bet?.pollId;
      // Riding: on the round under way, or on the match announced next (placed after the last one finished).
      const announced = target();
      const ridingNow = (betOn === next.pollId && (next.phase === 'upcoming' || next.phase === 'live')) || (announced?.next === true && betOn === announced.pollId);
      if (before !== null && betOn && !ridingNow && me?.lastResult?.pollId !== betOn) loadSoon();
      render();
    },
    relabel() {
      render();
    },
  };
}
