/**
 * The operator dashboard: sign in with the operator token (kept in sessionStorage, sent as Bearer), then the
 * current round (live over partysocket), rotate/generate, the queue, streams, the live preview (HTTP-FLV through
 * mpegts.js, loaded on demand; the render node's snapshot when it is off) and shout-out moderation. The server checks the token on every call; a 401 signs the page out.
 */
import type { PollResponse, RoundState, Snapshot, StreamEntry } from '@stream-fighter/core';
import type { MatchupInput } from '@stream-fighter/core/matchup';
import { ARCHETYPES } from '@stream-fighter/core/roster';
import type { ArchetypeId, StageId } from '@stream-fighter/core/ids';
import { ApiCallError, apiCall } from '../lib/http.ts';
import { applyLang, initialLang } from '../lib/lang.ts';
import { connectLive, type Live } from '../lib/live.ts';
import { clockText, escapeHtml, figures } from '../lib/view.ts';

const TOKEN_KEY = 'sf-operator-token';
const PREVIEW_KEY = 'sf-preview-url';
const PREVIEW_FLV_KEY = 'sf-preview-flv';
const $ = <E extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as E;

const lang = initialLang();
applyLang(lang);

let token: string | null = sessionStorage.getItem(TOKEN_KEY);
let round: RoundState | null = null;
let offset = 0;
let live: Live | null = null;
const timers: number[] = [];

function say(text: string, tone: 'ok' | 'error' | 'info' = 'info'): void {
  const el = $('dash-status');
  el.textContent = text;
  el.dataset.tone = tone;
  el.hidden = !text;
}

const op = <T>(method: string, path: string, body?: unknown) =>
  apiCall<T>(method, path, { token, ...(body !== undefined ? { body } : {}) }).catch((e: unknown) => {
    if (e instanceof ApiCallError && e.status === 401) signOut('The operator token was refused. Sign in again.');
    throw e;
  });

/** Run an operator action with its button disabled; report the outcome in the status line. */
async function act(button: HTMLButtonElement | null, what: string, fn: () => Promise<unknown>): Promise<void> {
  if (button) button.disabled = true;
  try {
    await fn();
    say(`${what}: done.`, 'ok');
  } catch (e) {
    say(`${what} failed: ${e instanceof Error ? e.message : String(e)}`, 'error');
  } finally {
    if (button) button.disabled = false;
  }
}

/* ---------- sign in / out ---------- */

async function signIn(candidate: string): Promise<boolean> {
  try {
    await apiCall('GET', '/api/poll/queue', { token: candidate });
  } catch (e) {
    const msg = e instanceof ApiCallError && e.status === 401 ? 'That token was refused.' : `Could not check the token: ${(e as Error).message}`;
    $('login-error').textContent = msg;
    return false;
  }
  token = candidate;
  sessionStorage.setItem(TOKEN_KEY, candidate);
  $('login-error').textContent = '';
  $('login').hidden = true;
  $('panel').hidden = false;
  start();
  return true;
}

function signOut(message = ''): void {
  token = null;
  sessionStorage.removeItem(TOKEN_KEY);
  for (const t of timers.splice(0)) clearInterval(t);
  live?.close();
  live = null;
  stopLive();
  $('panel').hidden = true;
  $('login').hidden = false;
  $('login-error').textContent = message;
  say('');
}

$('login').addEventListener('submit', (e) => {
  e.preventDefault();
  const value = $<HTMLInputElement>('token').value.trim();
  if (!value) {
    $('login-error').textContent = 'Enter the operator token.';
    return;
  }
  void signIn(value);
});
$('signout').addEventListener('click', () => signOut());

/* ---------- current round ---------- */

function drawRound(): void {
  if (!round) return;
  $('round-title').textContent = round.matchup.title;
  $('round-phase').textContent = round.phase;
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
  act(e.currentTarget as HTMLButtonElement, 'Rotate', async () => {
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
  act(e.currentTarget as HTMLButtonElement, 'Generate', async () => {
    const theme = $<HTMLInputElement>('theme').value.trim();
    const out = await op<{ source: string; aiError?: string }>('POST', '/api/poll/generate', { count: 1, ...(theme ? { theme } : {}) });
    if (out.aiError) say(`Generated with the built-in generator (AI: ${out.aiError})`, 'info');
    await loadQueue();
  }),
);

/* ---------- queue ---------- */

async function loadQueue(): Promise<void> {
  const { queue } = await op<{ queue: Array<{ id: number; matchup: { title: string; source?: string; options: Array<{ fighter: { name: string } }> } }> }>('GET', '/api/poll/queue');
  $('queue').innerHTML = queue.length
    ? queue
        .map(
          (q) => `<li data-id="${q.id}"><span><strong>${escapeHtml(q.matchup.title)}</strong><br><span class="muted">${escapeHtml(q.matchup.options.map((o) => o.fighter.name).join(' vs '))} · ${escapeHtml(q.matchup.source ?? '')}</span></span>
          <button class="btn btn--danger" type="button" data-remove="${q.id}" aria-label="Remove ${escapeHtml(q.matchup.title)}">Remove</button></li>`,
        )
        .join('')
    : '<li>The queue is empty: the room generates the next matchup itself.</li>';
}

$('queue').addEventListener('click', (e) => {
  const btn = (e.target as HTMLElement).closest<HTMLButtonElement>('[data-remove]');
  if (btn) void act(btn, 'Remove', async () => {
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
  void act(form.querySelector('button[type="submit"]'), 'Queue matchup', async () => {
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

async function loadStreams(): Promise<void> {
  const { streams } = await op<{ streams: StreamEntry[] }>('GET', '/api/stream');
  $('streams').innerHTML = streams.length
    ? streams
        .map((s) => {
          const st = s.status;
          const detail = st ? `${st.state} · ${st.fps.toFixed(0)} fps · ${st.restarts} restarts · up ${uptime(st.uptimeSec)}${st.error ? ` · ${st.error}` : ''}` : 'no renderer has reported yet';
          return `<li data-key="${escapeHtml(s.streamKey)}"><span><strong>${escapeHtml(s.streamKey)}</strong> (${s.screenId})<br><span class="muted" data-slot="state">${escapeHtml(detail)}</span></span>
            <button class="btn btn--danger" type="button" data-stop="${escapeHtml(s.streamKey)}" aria-label="Stop ${escapeHtml(s.streamKey)}">Stop</button></li>`;
        })
        .join('')
    : '<li>No streams.</li>';
}

$('streams').addEventListener('click', (e) => {
  const btn = (e.target as HTMLElement).closest<HTMLButtonElement>('[data-stop]');
  if (btn) void act(btn, `Stop ${btn.dataset.stop}`, async () => {
    await op('DELETE', `/api/stream?streamKey=${encodeURIComponent(btn.dataset.stop!)}`);
    await loadStreams();
  });
});

$('start-stream').addEventListener('submit', (e) => {
  e.preventDefault();
  const form = e.currentTarget as HTMLFormElement;
  const data = new FormData(form);
  const streamKey = String(data.get('streamKey')).trim();
  void act(form.querySelector('button'), `Start ${streamKey}`, async () => {
    await op('POST', '/api/stream', { streamKey, screenId: String(data.get('screenId')) });
    form.reset();
    await loadStreams();
  });
});

/* ---------- shout-outs ---------- */

async function loadShoutouts(): Promise<void> {
  const { shoutouts } = await op<{ shoutouts: Array<{ id: string; user: string; message: string; status: string }> }>('GET', '/api/shoutouts');
  $('shoutouts').innerHTML = shoutouts.length
    ? shoutouts
        .map(
          (s) => `<li><span><strong>${escapeHtml(s.user)}</strong>: ${escapeHtml(s.message)}</span>${
            s.status === 'hidden' ? '<span class="muted">hidden</span>' : `<button class="btn btn--danger" type="button" data-hide="${escapeHtml(s.id)}">Hide</button>`
          }</li>`,
        )
        .join('')
    : '<li>No shout-outs yet.</li>';
}

$('shoutouts').addEventListener('click', (e) => {
  const btn = (e.target as HTMLElement).closest<HTMLButtonElement>('[data-hide]');
  if (btn) void act(btn, 'Hide shout-out', async () => {
    await op('POST', `/api/shoutouts/${btn.dataset.hide}/hide`);
    await loadShoutouts();
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
  const quiet = (p: Promise<unknown>) => p.catch((e: unknown) => say(e instanceof Error ? e.message : String(e), 'error'));
  live = connectLive('main', (s: Snapshot) => {
    offset = s.now - Date.now();
    round = s.round;
    drawRound();
  }, () => {});
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
  timers.push(window.setInterval(() => void loadShoutouts().catch(() => {}), 15_000));
}

if (token) void signIn(token);
