/**
 * The operator dashboard: sign in with the operator token (kept in sessionStorage, sent as Bearer), then the
 * current round (live over partysocket), rotate/generate, the queue, streams, the live preview (HTTP-FLV through
 * mpegts.js, loaded on demand; the render node's snapshot when it is off) and shout-out moderation (the queue arrives
 * over the room's WebSocket, connected as an operator). The server checks the token on every call; a 401 signs the page out.
 * Every word comes from the shared i18n table; what the script writes is kept as data and drawn again when the
 * language switch is used, so nothing stays in the old language.
 */
import type { PollResponse, RoundState, Snapshot, StreamEntry } from '@stream-fighter/core';
import type { MatchupInput } from '@stream-fighter/core/matchup';
import { ARCHETYPES, STAGES } from '@stream-fighter/core/roster';
import type { ArchetypeId, StageId } from '@stream-fighter/core/ids';
import { ApiCallError, apiCall } from '../lib/http.ts';
import type { Key, Lang, T } from '../lib/i18n.ts';
import { applyLang, initialLang, wireLangSwitch } from '../lib/lang.ts';
import { connectLive, type Live } from '../lib/live.ts';
import { clockText, escapeHtml, figures } from '../lib/view.ts';

const TOKEN_KEY = 'sf-operator-token';
const PREVIEW_KEY = 'sf-preview-url';
const PREVIEW_FLV_KEY = 'sf-preview-flv';
const $ = <E extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as E;

let lang: Lang = initialLang();
let t: T = applyLang(lang);

let token: string | null = sessionStorage.getItem(TOKEN_KEY);
let round: RoundState | null = null;
let offset = 0;
let live: Live | null = null;
const timers: number[] = [];

/** A message kept as words to translate, not text: the language switch redraws it. */
type Message = (t: T) => string;
const none: Message = () => '';
let status: { msg: Message; tone: 'ok' | 'error' | 'info' } = { msg: none, tone: 'info' };
let loginError: Message = none;

const reason = (e: unknown) => (e instanceof Error ? e.message : String(e));

function say(msg: Message, tone: 'ok' | 'error' | 'info' = 'info'): void {
  status = { msg, tone };
  drawStatus();
}

function drawStatus(): void {
  const el = $('dash-status');
  const text = status.msg(t);
  el.textContent = text;
  el.dataset.tone = status.tone;
  el.hidden = !text;
}

function setLoginError(msg: Message): void {
  loginError = msg;
  $('login-error').textContent = msg(t);
}

const op = <R>(method: string, path: string, body?: unknown) =>
  apiCall<R>(method, path, { token, ...(body !== undefined ? { body } : {}) }).catch((e: unknown) => {
    if (e instanceof ApiCallError && e.status === 401) signOut((t) => t('dash.signedOut401'));
    throw e;
  });

/** Run an operator action with its button disabled; report the outcome in the status line. */
async function act(button: HTMLButtonElement | null, what: Message, fn: () => Promise<unknown>): Promise<void> {
  if (button) button.disabled = true;
  try {
    await fn();
    say((t) => t('dash.done', { what: what(t) }), 'ok');
  } catch (e) {
    const why = reason(e);
    say((t) => t('dash.failed', { what: what(t), reason: why }), 'error');
  } finally {
    if (button) button.disabled = false;
  }
}

/* ---------- sign in / out ---------- */

async function signIn(candidate: string): Promise<boolean> {
  try {
    await apiCall('GET', '/api/poll/queue', { token: candidate });
  } catch (e) {
    const why = reason(e);
    setLoginError(e instanceof ApiCallError && e.status === 401 ? (t) => t('dash.tokenRefused') : (t) => t('dash.tokenCheckFailed', { reason: why }));
    return false;
  }
  token = candidate;
  sessionStorage.setItem(TOKEN_KEY, candidate);
  setLoginError(none);
  $('login').hidden = true;
  $('panel').hidden = false;
  start();
  return true;
}

function signOut(message: Message = none): void {
  token = null;
  sessionStorage.removeItem(TOKEN_KEY);
  for (const t of timers.splice(0)) clearInterval(t);
  live?.close();
  live = null;
  moderation = null;
  window.clearTimeout(logTimer);
  stopLive();
  $('panel').hidden = true;
  $('login').hidden = false;
  setLoginError(message);
  say(none);
}

$('login').addEventListener('submit', (e) => {
  e.preventDefault();
  const value = $<HTMLInputElement>('token').value.trim();
  if (!value) {
    setLoginError((t) => t('dash.tokenMissing'));
    return;
  }
  void signIn(value);
});
$('signout').addEventListener('click', () => signOut());

/* ---------- current round ---------- */

function drawRound(): void {
  if (!round) return;
  $('round-title').textContent = round.matchup.title;
  $('round-phase').textContent = t(`dash.phase.${round.phase}` as Key);
  $('round-phase').dataset.phase = round.phase;
  $('round-votes').innerHTML = figures(round, lang)
    .map((f) => {
      const o = round!.matchup.options.find((x) => x.id === f.id)!;
      return `<li><span>${escapeHtml(o.fighter.name)}</span><span>${escapeHtml(f.votesText)}${round!.matchup.options.length === 2 ? ` · ${escapeHtml(f.hpText)}` : ''}</span></li>`;
    })
    .join('');
  tick();
}

function tick(): void {
  if (round) $('round-clock').textContent = clockText(round, Date.now() + offset, lang);
}

$('rotate').addEventListener('click', (e) =>
  act(e.currentTarget as HTMLButtonElement, (t) => t('dash.rotateAct'), async () => {
    const p = await op<PollResponse>('POST', '/api/poll/rotate');
    if (!live || p.seq > live.lastSeq) {
      live?.saw(p.seq);
      offset = p.now - Date.now();
      round = p.round;
      drawRound();
    }
    await loadQueue();
  }),
);

$('generate').addEventListener('click', (e) =>
  act(e.currentTarget as HTMLButtonElement, (t) => t('dash.generateAct'), async () => {
    const theme = $<HTMLInputElement>('theme').value.trim();
    const out = await op<{ source: string; aiError?: string }>('POST', '/api/poll/generate', { count: 1, ...(theme ? { theme } : {}) });
    const aiError = out.aiError;
    if (aiError) say((t) => t('dash.generatedFallback', { reason: aiError }), 'info');
    await loadQueue();
  }),
);

/* ---------- queue ---------- */

type QueueItem = { id: number; matchup: { title: string; source?: string; options: Array<{ fighter: { name: string } }> } };
let queue: QueueItem[] | null = null;

const sourceText = (source: string | undefined) =>
  source === 'ai' || source === 'builtin' || source === 'operator' ? t(`dash.source.${source}`) : (source ?? '');

async function loadQueue(): Promise<void> {
  queue = (await op<{ queue: QueueItem[] }>('GET', '/api/poll/queue')).queue;
  drawQueue();
}

function drawQueue(): void {
  if (!queue) return;
  $('queue').innerHTML = queue.length
    ? queue
        .map(
          (q) => `<li data-id="${q.id}"><span><strong>${escapeHtml(q.matchup.title)}</strong><br><span class="muted">${escapeHtml(q.matchup.options.map((o) => o.fighter.name).join(' vs '))} · ${escapeHtml(sourceText(q.matchup.source))}</span></span>
          <button class="btn btn--danger" type="button" data-remove="${q.id}" aria-label="${escapeHtml(t('dash.removeLabel', { title: q.matchup.title }))}">${escapeHtml(t('dash.remove'))}</button></li>`,
        )
        .join('')
    : `<li>${escapeHtml(t('dash.queueEmpty'))}</li>`;
}

$('queue').addEventListener('click', (e) => {
  const btn = (e.target as HTMLElement).closest<HTMLButtonElement>('[data-remove]');
  if (btn) void act(btn, (t) => t('dash.remove'), async () => {
    await op('DELETE', `/api/poll/queue/${btn.dataset.remove}`);
    await loadQueue();
  });
});

$('add-matchup').addEventListener('submit', (e) => {
  e.preventDefault();
  const form = e.currentTarget as HTMLFormElement;
  const data = new FormData(form);
  const options: MatchupInput['options'] = [];
  for (const id of ['A', 'B', 'C', 'D'] as const) {
    const name = String(data.get(`name-${id}`) ?? '').trim();
    if (!name) break;
    const archetype = String(data.get(`arch-${id}`)) as ArchetypeId;
    const a = ARCHETYPES[archetype];
    options.push({ id, fighter: { name, archetype, color: String(data.get(`color-${id}`)), tagline: a.taglines[0] ?? name, moves: a.moves } });
  }
  const matchup: MatchupInput = {
    title: String(data.get('title')).trim(),
    stage: String(data.get('stage')) as StageId,
    durationSec: Number(data.get('durationSec')),
    options,
  };
  void act(form.querySelector('button[type="submit"]'), (t) => t('dash.addAct'), async () => {
    await op('POST', '/api/poll/queue', matchup);
    form.reset();
    await loadQueue();
  });
});

/* ---------- streams ---------- */

function uptime(sec: number): string {
  const h = Math.floor(sec / 3600);
  const m = Math.floor((sec % 3600) / 60);
  return h ? `${h} h ${m} min` : `${m} min`;
}

let streams: StreamEntry[] | null = null;

async function loadStreams(): Promise<void> {
  streams = (await op<{ streams: StreamEntry[] }>('GET', '/api/stream')).streams;
  drawStreams();
}

function drawStreams(): void {
  if (!streams) return;
  $('streams').innerHTML = streams.length
    ? streams
        .map((s) => {
          const st = s.status;
          const detail = st
            ? `${t('dash.streamDetail', { state: t(`dash.state.${st.state}`), fps: st.fps.toFixed(0), restarts: st.restarts, uptime: uptime(st.uptimeSec) })}${st.error ? ` · ${st.error}` : ''}`
            : t('dash.streamWaiting');
          const screen = s.screenId === 'fight' || s.screenId === 'bars' ? t(`dash.screen.${s.screenId}`) : s.screenId;
          return `<li data-key="${escapeHtml(s.streamKey)}"><span><strong>${escapeHtml(s.streamKey)}</strong> (${escapeHtml(screen)})<br><span class="muted" data-slot="state">${escapeHtml(detail)}</span></span>
            <button class="btn btn--danger" type="button" data-stop="${escapeHtml(s.streamKey)}" aria-label="${escapeHtml(t('dash.stopAct', { key: s.streamKey }))}">${escapeHtml(t('dash.stop'))}</button></li>`;
        })
        .join('')
    : `<li>${escapeHtml(t('dash.streamsNone'))}</li>`;
}

$('streams').addEventListener('click', (e) => {
  const btn = (e.target as HTMLElement).closest<HTMLButtonElement>('[data-stop]');
  const key = btn?.dataset.stop ?? '';
  if (btn) void act(btn, (t) => t('dash.stopAct', { key }), async () => {
    await op('DELETE', `/api/stream?streamKey=${encodeURIComponent(btn.dataset.stop!)}`);
    await loadStreams();
  });
});

$('start-stream').addEventListener('submit', (e) => {
  e.preventDefault();
  const form = e.currentTarget as HTMLFormElement;
  const data = new FormData(form);
  const streamKey = String(data.get('streamKey')).trim();
  void act(form.querySelector('button'), (t) => t('dash.startAct', { key: streamKey }), async () => {
    await op('POST', '/api/stream', { streamKey, screenId: String(data.get('screenId')) });
    form.reset();
    await loadStreams();
  });
});

/* ---------- shout-outs: the queue is pushed over the operator's WebSocket; the log is read after each change ---------- */

type Pending = { id: string; user: string; message: string; voterId: string };
type Logged = { id: string; user: string; message: string; status: string; voterId: string | null };
type ModerationState = { pending: Pending[]; autoApprove: boolean };
let moderation: ModerationState | null = null;
let shoutouts: Logged[] | null = null;
let logTimer = 0;

/** Structural check of the room's `moderation` message (no zod in the page). */
function isModeration(m: unknown): m is ModerationState & { type: 'moderation' } {
  if (typeof m !== 'object' || m === null) return false;
  const x = m as Record<string, unknown>;
  return x.type === 'moderation' && Array.isArray(x.pending) && typeof x.autoApprove === 'boolean';
}

function onModeration(m: ModerationState): void {
  moderation = m;
  drawPending();
  // Something arrived or was decided: the log below follows, once for a burst of changes.
  window.clearTimeout(logTimer);
  logTimer = window.setTimeout(() => void loadShoutouts().catch(() => {}), 300);
}

async function loadShoutouts(): Promise<void> {
  shoutouts = (await op<{ shoutouts: Logged[] }>('GET', '/api/shoutouts')).shoutouts;
  drawShoutouts();
}

const statusText = (status: string) =>
  status === 'pending' || status === 'visible' || status === 'rejected' || status === 'hidden' ? t(`dash.status.${status}`) : status;

function drawPending(): void {
  const box = $<HTMLInputElement>('auto-approve');
  box.disabled = !moderation;
  if (!moderation) return;
  box.checked = moderation.autoApprove;
  $('pending').innerHTML = moderation.pending.length
    ? moderation.pending
        .map(
          (s) => `<li><span><strong>${escapeHtml(s.user)}</strong>: ${escapeHtml(s.message)}</span><span class="actions">
            <button class="btn" type="button" data-approve="${escapeHtml(s.id)}">${escapeHtml(t('dash.approve'))}</button>
            <button class="btn btn--danger" type="button" data-reject="${escapeHtml(s.id)}">${escapeHtml(t('dash.reject'))}</button>
            <button class="btn btn--ghost" type="button" data-ban="${escapeHtml(s.voterId)}">${escapeHtml(t('dash.ban'))}</button></span></li>`,
        )
        .join('')
    : `<li>${escapeHtml(t('dash.pendingNone'))}</li>`;
}

function drawShoutouts(): void {
  if (!shoutouts) return;
  $('shoutouts').innerHTML = shoutouts.length
    ? shoutouts
        .map(
          (s) => `<li><span><strong>${escapeHtml(s.user)}</strong>: ${escapeHtml(s.message)}</span><span class="actions">${
            s.status === 'visible'
              ? `<button class="btn btn--danger" type="button" data-hide="${escapeHtml(s.id)}">${escapeHtml(t('dash.hide'))}</button>`
              : `<span class="muted">${escapeHtml(statusText(s.status))}</span>`
          }${s.voterId && s.status === 'visible' ? `<button class="btn btn--ghost" type="button" data-ban="${escapeHtml(s.voterId)}">${escapeHtml(t('dash.ban'))}</button>` : ''}</span></li>`,
        )
        .join('')
    : `<li>${escapeHtml(t('dash.shoutoutsNone'))}</li>`;
}

/** The buttons of both lists; the queue itself redraws from the room's next push. */
function onShoutoutClick(e: Event): void {
  const btn = (e.target as HTMLElement).closest<HTMLButtonElement>('[data-approve],[data-reject],[data-hide],[data-ban]');
  if (!btn) return;
  const { approve, reject, hide, ban } = btn.dataset;
  if (approve) void act(btn, (t) => t('dash.approveAct'), () => op('POST', `/api/shoutouts/${encodeURIComponent(approve)}/approve`));
  else if (reject) void act(btn, (t) => t('dash.rejectAct'), () => op('POST', `/api/shoutouts/${encodeURIComponent(reject)}/reject`));
  else if (hide) void act(btn, (t) => t('dash.hideAct'), async () => {
    await op('POST', `/api/shoutouts/${encodeURIComponent(hide)}/hide`);
    await loadShoutouts();
  });
  else if (ban && window.confirm(t('dash.banConfirm'))) void act(btn, (t) => t('dash.banAct'), async () => {
    await op('POST', `/api/voters/${encodeURIComponent(ban)}/ban`);
    await loadShoutouts();
  });
}
$('pending').addEventListener('click', onShoutoutClick);
$('shoutouts').addEventListener('click', onShoutoutClick);

$('auto-approve').addEventListener('change', (e) => {
  const box = e.currentTarget as HTMLInputElement;
  const autoApprove = box.checked;
  void act(null, (t) => t('dash.autoApproveAct'), async () => {
    try {
      await op('POST', '/api/shoutouts/settings', { autoApprove });
    } catch (err) {
      drawPending(); // back to what the room says
      throw err;
    }
  });
});

/* ---------- preview: the live stream (HTTP-FLV from the local receiver), else the render node's snapshot ---------- */

type FlvPlayer = { destroy(): void };
let player: FlvPlayer | null = null;
let previewLive = false;

/** mpegts.js is loaded here, on demand: the dashboard alone pays for it, never the vote page. */
async function playLive(url: string, video: HTMLVideoElement, onFail: () => void): Promise<void> {
  const { default: mpegts } = await import('mpegts.js');
  if (!mpegts.getFeatureList().mseLivePlayback) return onFail();
  mpegts.LoggingControl.enableAll = false;
  const p = mpegts.createPlayer({ type: 'flv', isLive: true, url }, { enableWorker: false, liveBufferLatencyChasing: true, lazyLoad: false });
  player = p;
  p.on(mpegts.Events.ERROR, () => {
    if (player === p) stopLive();
    onFail();
  });
  p.attachMediaElement(video);
  p.load();
  void Promise.resolve(p.play()).catch(() => {});
}

function stopLive(): void {
  player?.destroy();
  player = null;
  previewLive = false;
}

function startPreview(): void {
  const video = $<HTMLVideoElement>('preview-video');
  const img = $<HTMLImageElement>('preview');
  const flvInput = $<HTMLInputElement>('preview-flv');
  const input = $<HTMLInputElement>('preview-url');
  // `npm start` prints the dashboard with ?preview=<flv url>&snapshot=<png url> when not on the default ports.
  const query = new URLSearchParams(location.search);
  flvInput.value = query.get('preview') ?? localStorage.getItem(PREVIEW_FLV_KEY) ?? flvInput.value;
  input.value = query.get('snapshot') ?? localStorage.getItem(PREVIEW_KEY) ?? input.value;
  input.addEventListener('change', () => localStorage.setItem(PREVIEW_KEY, input.value));
  video.addEventListener('playing', () => {
    previewLive = true;
    video.hidden = false;
    img.hidden = true;
    $('preview-off').hidden = true;
  });
  img.addEventListener('load', () => {
    if (previewLive) return;
    img.hidden = false;
    $('preview-off').hidden = true;
  });
  img.addEventListener('error', () => {
    img.hidden = true;
    $('preview-off').hidden = previewLive;
  });
  let retry = 0;
  const goLive = () => {
    stopLive();
    video.hidden = true;
    window.clearTimeout(retry);
    if (!flvInput.value || !token) return;
    // No stream yet, or the receiver restarting: fall back to snapshots and try the live stream again later.
    void playLive(flvInput.value, video, () => {
      video.hidden = true;
      retry = window.setTimeout(goLive, 5_000);
    }).catch(() => {});
  };
  flvInput.addEventListener('change', () => {
    localStorage.setItem(PREVIEW_FLV_KEY, flvInput.value);
    goLive();
  });
  const refresh = () => {
    if (previewLive || !input.value) return;
    const u = new URL(input.value, location.href);
    u.searchParams.set('t', String(Date.now()));
    img.src = u.href;
  };
  goLive();
  refresh();
  timers.push(window.setInterval(refresh, 2_000));
}

/* ---------- start ---------- */

function start(): void {
  const quiet = (p: Promise<unknown>) =>
    p.catch((e: unknown) => {
      const why = reason(e);
      say(() => why, 'error');
    });
  // As an operator: the room pushes the shout-out queue (`moderation`) on connect and on every change.
  live = connectLive(
    'main',
    (s: Snapshot) => {
      offset = s.now - Date.now();
      round = s.round;
      drawRound();
    },
    () => {},
    { query: { role: 'operator', token: token ?? '' }, onMessage: (m) => isModeration(m) && onModeration(m) },
  );
  void quiet(
    apiCall<PollResponse>('GET', '/api/poll').then((p) => {
      if (live && p.seq > live.lastSeq) {
        live.saw(p.seq);
        offset = p.now - Date.now();
        round = p.round;
        drawRound();
      }
    }),
  );
  void quiet(loadQueue());
  void quiet(loadStreams());
  void quiet(loadShoutouts());
  startPreview();
  timers.push(window.setInterval(tick, 500));
  timers.push(window.setInterval(() => void loadStreams().catch(() => {}), 5_000));
}

/* ---------- language ---------- */

/** Names from the roster, which carries both languages; the built page has the English ones. */
function drawRosterNames(): void {
  for (const o of document.querySelectorAll<HTMLOptionElement>('option[data-stage]')) o.textContent = STAGES[o.dataset.stage as StageId].name[lang];
  for (const o of document.querySelectorAll<HTMLOptionElement>('option[data-archetype]')) o.textContent = ARCHETYPES[o.dataset.archetype as ArchetypeId].label[lang];
}

drawRosterNames();
wireLangSwitch(
  () => lang,
  (next) => {
    lang = next;
    t = applyLang(lang);
    drawRosterNames();
    drawStatus();
    $('login-error').textContent = loginError(t);
    drawRound();
    drawQueue();
    drawStreams();
    drawPending();
    drawShoutouts();
  },
);

if (token) void signIn(token);
