/**
 * The vote page's island. The Worker already rendered the current fight into the HTML (and embedded it as
 * JSON in #sf-state); this script keeps it live over partysocket, votes without leaving the page and reports
 * back through the status line. The server stays the authority: a refused vote is shown as refused.
 */
import type { OptionId, PollResponse, RoundOdds, SeasonOnAir, Snapshot, VoteAccepted } from '@stream-fighter/core';
import { isFight } from '@stream-fighter/core/round';
import { voteRefusalText } from '@stream-fighter/view/errors';
import { buttonState, cardHtml, renderFight, totalText, type FightState } from '@stream-fighter/view/fight-panel';
import type { Lang } from '@stream-fighter/view/languages';
import { clockText, figures, nameOf, outcomeText } from '@stream-fighter/view/round-text';
import { seasonLine } from '@stream-fighter/view/season-line';
import type { Translate } from '@stream-fighter/view/words';
import { applyLang, initialLang, wireLangSwitch } from '../lib/lang.ts';
import { ApiCallError, apiCall } from '../lib/http.ts';
import { connectLive, type Live } from '../lib/live.ts';
import { betPanel, type BetPanel } from './bet-panel.ts';
import { forgetSession, rememberSession } from './session-hint.ts';
import { hitFeedback } from './hit-feedback.ts';
import { proofOfWork, type ProofOfWork } from './proof-of-work.ts';
import { roundOver } from './round-over.ts';

interface Boot {
  poll: PollResponse | null;
  lang?: string;
  room?: string;
  turnstileSiteKey?: string | null;
  /** Whether the request for this page came with a valid voter session (the Worker knows; the cookie is HttpOnly). */
  session?: boolean;
}

const boot: Boot = (() => {
  try {
    return (JSON.parse(document.getElementById('sf-state')?.textContent ?? 'null') as Boot | null) ?? { poll: null };
  } catch {
    return { poll: null };
  }
})();

const fightEl = document.getElementById('fight')!;
const statusEl = document.getElementById('status')!;
const announcer = document.getElementById('announcer')!;
const liveEl = document.querySelector<HTMLElement>('[data-slot="live"]');
const chatHint = document.querySelector<HTMLElement>('.chat-hint');
const hitEl = document.getElementById('hit');
const roundOverEl = document.getElementById('round-over');
const seasonEl = document.getElementById('season');

let lang: Lang = initialLang(boot.lang);
let t: Translate = applyLang(lang);
let state: FightState | null = null;
/** The round's betting pools from the last snapshot (not part of the fight panel's state). */
let odds: RoundOdds | null = null;
/** Where the season is, from the last snapshot or poll (absent from rooms older than the cycle). */
let season: SeasonOnAir | null = null;
/** server time − local time, from the last message that carried the server's clock. */
let offset = 0;
let pending: OptionId | null = null;
let rendered = '';
let live: Live | null = null;
/**
 * A browser without a voter session proves some work before its first vote (with Turnstile, that does the job).
 * The cookie is HttpOnly: the Worker says whether the page's request had one, and writes the no-JavaScript form's
 * ticket only when it had none.
 */
const ticket = document.querySelector<HTMLInputElement>('input[data-slot="ticket"]');
let hasSession = boot.session ?? (!!boot.poll?.myVote || (boot.lang !== undefined && ticket !== null && !ticket.value));
// The other pages (results) cannot see the HttpOnly cookie: they go by this hint (session-hint.ts), which follows
// what the Worker said of this browser's session when it filled the page.
if (hasSession) rememberSession();
else if (boot.session === false) forgetSession();
let pow: ProofOfWork | null = null;
/** The points panel (bet-panel.ts), from the start section on. */
let bets: BetPanel | null = null;
/** What this voter's hit did (hit-feedback.ts), and the results view once the round is over (round-over.ts). */
const hits = hitEl ? hitFeedback(hitEl, () => t, () => lang) : null;
const over = roundOverEl ? roundOver(roundOverEl) : null;

const serverNow = () => Date.now() + offset;

function setStatus(text: string, tone: 'info' | 'ok' | 'error' = 'info'): void {
  statusEl.textContent = text;
  statusEl.dataset.tone = tone;
  statusEl.hidden = !text;
}

/** The structure changes with the round or its phase: then render anew; otherwise patch numbers in place. */
function structureKey(s: FightState): string {
  return `${s.round.pollId}|${s.round.phase}|${lang}`;
}

/** The season's line over the fight, as the stream and the overlay write it. */
function showSeason(): void {
  if (!seasonEl) return;
  const text = season ? seasonLine(season.position, lang) : '';
  seasonEl.hidden = !text;
  if (seasonEl.textContent !== text) seasonEl.textContent = text;
}

function render(): void {
  showSeason();
  if (!state) return;
  bets?.update(state.round, odds, state.upNext);
  over?.update(state, t, lang);
  const key = structureKey(state);
  if (key !== rendered) {
    // Keep keyboard focus on the same button across a re-render.
    const focused = (document.activeElement as HTMLElement | null)?.closest('[data-opt]')?.getAttribute('data-opt');
    fightEl.innerHTML = renderFight(state, serverNow(), lang, pending);
    rendered = key;
    mountTurnstile();
    if (focused) fightEl.querySelector<HTMLElement>(`[data-opt="${focused}"] button`)?.focus();
    return;
  }
  patch(state);
}

function setText(root: ParentNode, slot: string, text: string): void {
  const el = root.querySelector<HTMLElement>(`[data-slot="${slot}"]`);
  if (el && el.textContent !== text) el.textContent = text;
}

function patch(s: FightState): void {
  for (const f of figures(s.round, lang)) {
    const item = fightEl.querySelector<HTMLElement>(`[data-opt="${f.id}"]`);
    if (!item) continue;
    setText(item, 'hp-text', f.hpText);
    setText(item, 'votes-text', f.votesText);
    // The cards come a moment after the round begins (the room reads them from the season's records).
    const card = item.querySelector<HTMLElement>('[data-slot="card"]');
    const html = cardHtml(s, f.id, lang);
    if (card && card.dataset.html !== html) {
      card.innerHTML = html;
      card.dataset.html = html;
    }
    const hp = item.querySelector<HTMLElement>('[data-slot="hp-bar"]');
    if (hp) {
      hp.style.width = `${f.hpPct}%`;
      hp.parentElement?.classList.toggle('is-low', f.hpPct <= 25);
    }
    const share = item.querySelector<HTMLElement>('[data-slot="votes-bar"]');
    if (share) share.style.width = `${f.sharePct}%`;
    const btn = item.querySelector<HTMLButtonElement>('button');
    if (btn) {
      const b = buttonState(s, f.id, lang, pending);
      btn.disabled = b.disabled;
      btn.setAttribute('aria-pressed', String(b.pressed));
      if (btn.textContent !== b.label) btn.textContent = b.label;
    }
  }
  setText(fightEl, 'total', totalText(s.round, lang));
  tick();
}

function tick(): void {
  if (state) setText(fightEl, 'clock', clockText(state.round, serverNow(), lang));
}

/* ---------- screen-reader summary: the tally, at most every 10 s; results at once ---------- */

let lastAnnounced = 0;
let announceTimer: ReturnType<typeof setTimeout> | null = null;
let lastPhase = '';

function summary(s: FightState): string {
  const fight = isFight(s.round.matchup);
  const parts = figures(s.round, lang).map((f) => `${nameOf(s.round, f.id)}: ${f.votesText}${fight ? `, ${f.hpText}` : ''}`);
  return `${parts.join('; ')}. ${clockText(s.round, serverNow(), lang)}.`;
}

function announce(immediate = false): void {
  if (!state) return;
  const phaseKey = `${state.round.pollId}|${state.round.phase}`;
  if (phaseKey !== lastPhase) {
    lastPhase = phaseKey;
    immediate = true;
  }
  const wait = immediate ? 0 : Math.max(0, lastAnnounced + 10_000 - Date.now());
  if (announceTimer && !immediate) return;
  if (announceTimer) clearTimeout(announceTimer);
  announceTimer = setTimeout(() => {
    announceTimer = null;
    lastAnnounced = Date.now();
    if (!state) return;
    const s = state;
    announcer.textContent =
      s.round.phase === 'finished' || s.round.phase === 'results' ? `${s.round.matchup.title}: ${outcomeText(s.round, lang)}` : summary(s);
  }, wait);
}

/* ---------- state in ---------- */

/** The chat sentence only while the room says a chat bridge reads chat (absent, from an older room: closed). */
function showChat(open: boolean | undefined): void {
  if (chatHint) chatHint.hidden = open !== true;
}

/** `receivedAt`: local time the poll was taken at (the page's own start, for the state embedded in it). */
function fromPoll(p: PollResponse, receivedAt = Date.now()): void {
  offset = p.now - receivedAt;
  if (state && state.round.pollId !== p.round.pollId) hits?.clear();
  // GET /api/poll has no fighter cards: the ones a snapshot brought for this round stay.
  const fighters = state?.round.pollId === p.round.pollId ? state.fighters : undefined;
  state = { round: p.round, previous: p.previous, upNext: p.upNext, myVote: p.myVote, fighters };
  if (p.season) season = p.season;
  showChat(p.chatOpen);
  live?.saw(p.seq);
  render();
  announce();
}

function fromSnapshot(s: Snapshot): void {
  offset = s.now - Date.now();
  const sameRound = state?.round.pollId === s.round.pollId;
  state = { round: s.round, previous: s.previous, upNext: s.upNext, myVote: sameRound ? (state?.myVote ?? null) : null, fighters: s.fighters };
  odds = s.odds ?? null;
  season = s.season ?? null;
  showChat(s.chatOpen);
  if (!sameRound && pending === null) setStatus('');
  if (!sameRound) hits?.clear();
  render();
  announce();
}

async function refresh(): Promise<void> {
  try {
    fromPoll(await apiCall<PollResponse>('GET', '/api/poll'));
  } catch (e) {
    if (!state) fightEl.innerHTML = `<p class="loading">${t('vote.unavailable')}</p>`;
    console.warn(e);
  }
}

/* ---------- voting ---------- */

function turnstileToken(): string | undefined {
  const el = fightEl.querySelector<HTMLInputElement>('[name="cf-turnstile-response"]');
  return el?.value || undefined;
}

function mountTurnstile(): void {
  const key = boot.turnstileSiteKey;
  const slot = fightEl.querySelector<HTMLElement>('[data-slot="turnstile"]');
  const ts = (window as { turnstile?: { render(el: HTMLElement, o: { sitekey: string }): void } }).turnstile;
  if (!key || !slot || !ts || slot.childElementCount > 0) return;
  const div = document.createElement('div');
  slot.append(div);
  ts.render(div, { sitekey: key });
}

/** The proof of work, on the page while this browser has no session (and Turnstile is not the check in use). */
function needPow(): ProofOfWork | null {
  if (hasSession || boot.turnstileSiteKey) return null;
  const slot = document.getElementById('pow');
  if (!slot) return null;
  pow ??= proofOfWork(slot, lang);
  return pow;
}

/** The edge knows this browser's voter now (it voted, or was told it already had): no more proof of work. */
function sessionKnown(): void {
  hasSession = true;
  rememberSession();
  pow?.remove();
  pow = null;
}

/** What a request of a browser without a session adds to mint one: the Turnstile token, or the solved proof of work. */
async function proofFields(): Promise<Record<string, string>> {
  const token = turnstileToken();
  const altcha = await needPow()?.payload();
  return { ...(token ? { turnstileToken: token } : {}), ...(altcha ? { altcha } : {}) };
}

/** A new voter's first vote carries the widget's payload; a refused or missing proof is worked out again, once. */
async function send(option: OptionId, pollId: string, name: string, retried = false): Promise<VoteAccepted> {
  const token = turnstileToken();
  const proof = needPow();
  let altcha: string | undefined;
  if (proof) {
    // Usually solved while the page was read; otherwise say why the tap is taking a moment.
    const solving = setTimeout(() => setStatus(t('vote.checking')), 150);
    try {
      altcha = await proof.payload();
    } catch (e) {
      throw new ApiCallError('proof of work', 0, 'challenge-failed', e instanceof Error ? e.message : String(e));
    } finally {
      clearTimeout(solving);
      setStatus(t('vote.sending', { name }));
    }
  }
  try {
    return await apiCall<VoteAccepted>('POST', '/api/vote', { body: { option, pollId, ...(token ? { turnstileToken: token } : {}), ...(altcha ? { altcha } : {}) } });
  } catch (e) {
    const code = e instanceof ApiCallError ? e.code : '';
    if (retried) throw e;
    if (code === 'challenge-required') {
      // The page thought it had a session (an expired cookie, say).
      hasSession = false;
      forgetSession();
      return send(option, pollId, name, true);
    }
    if (code === 'challenge-failed' && proof) {
      proof.renew();
      return send(option, pollId, name, true);
    }
    throw e;
  }
}

async function vote(option: OptionId): Promise<void> {
  if (!state || pending) return;
  const round = state.round;
  const name = nameOf(round, option);
  pending = option;
  setStatus(t('vote.sending', { name }));
  patch(state);
  try {
    const res = await send(option, round.pollId, name);
    sessionKnown();
    pending = null;
    if (state.round.pollId === res.vote.pollId) {
      state.myVote = res.vote.option;
      // The reply carries the tally right after our vote: apply it unless a newer snapshot already did.
      if (live && res.seq > live.lastSeq) {
        state.round = { ...state.round, votes: { ...res.tally }, hp: { ...res.hp } };
        live.saw(res.seq);
      }
    }
    setStatus(t('vote.done', { name }), 'ok');
    render();
    // After the render: a new card would not have the shake the hit puts on the one it hit.
    if (res.hit && state.round.pollId === res.vote.pollId) hits?.show(res.hit, fightEl.querySelector<HTMLElement>(`[data-opt="${res.hit.target}"]`));
  } catch (e) {
    pending = null;
    const code = e instanceof ApiCallError ? e.code : 'network';
    if (code === 'already-voted') sessionKnown();
    // The server is the authority: after these, ask it for the round (and for the vote it holds for us).
    if (code === 'already-voted' || code === 'stale-poll' || code === 'not-live') await refresh();
    const mine = state?.myVote ?? null;
    setStatus(voteRefusalText(t, code, mine && state ? nameOf(state.round, mine) : null), 'error');
    render();
  }
}

fightEl.addEventListener('submit', (e) => {
  e.preventDefault();
  const submitter = (e as SubmitEvent).submitter as HTMLButtonElement | null;
  const option = submitter?.value as OptionId | undefined;
  if (option) void vote(option);
});

/* ---------- share, language ---------- */

for (const a of document.querySelectorAll<HTMLAnchorElement>('a[data-share]')) {
  a.addEventListener('click', async (e) => {
    const url = `${location.origin}/`;
    const nav = navigator as Navigator & { share?: (d: ShareData) => Promise<void> };
    if (nav.share) {
      e.preventDefault();
      await nav.share({ title: t('site.name'), text: t('vote.shareText'), url }).catch(() => {});
    } else if (navigator.clipboard) {
      e.preventDefault();
      await navigator.clipboard.writeText(url).then(() => setStatus(t('vote.copied'), 'ok'), () => {});
    }
  });
}

wireLangSwitch(
  () => lang,
  (next) => {
    lang = next;
    t = applyLang(lang);
    pow?.setLang(lang);
    bets?.relabel();
    hits?.relabel();
    rendered = '';
    render();
  },
);

/* ---------- start ---------- */

document.getElementById('nojs-note')?.setAttribute('hidden', '');

// A message from a no-JS form post (/?voted=A, /?error=…) was rendered by the Worker: keep it, clean the URL.
if (statusEl.textContent?.trim()) {
  statusEl.hidden = false;
  statusEl.dataset.tone = new URLSearchParams(location.search).has('error') ? 'error' : 'ok';
}
if (location.search) history.replaceState(null, '', location.pathname);

live = connectLive(
  boot.room ?? 'main',
  fromSnapshot,
  (online) => {
    if (liveEl) {
      liveEl.textContent = online ? t('live.connected') : t('live.offline');
      liveEl.dataset.online = String(online);
    }
  },
);
const betsEl = document.getElementById('bets');
if (betsEl) {
  bets = betPanel({
    root: betsEl,
    t: () => t,
    lang: () => lang,
    proof: proofFields,
    hasSession: () => hasSession,
    sessionKnown,
    sessionLost: () => {
      hasSession = false;
      forgetSession();
    },
    serverNow,
  });
}
// Solving starts now, while the voter reads the page, so the first tap is usually a single round trip.
needPow();
if (boot.poll) {
  // The embedded state is as old as the page: its clock is measured from the navigation start.
  fromPoll(boot.poll, Math.round(performance.timeOrigin) || Date.now());
} else {
  void refresh();
}
setInterval(tick, 250);
