/**
 * The OBS overlay: the room's snapshots drawn as HP (or vote) bars and the clock, where the season is (its line from
 * view/season-line.ts), a QR code to vote with the chat commands under it, and the feed of chat voters, as the
 * stream draws them (render-node/src/scene). `?show=` says which of the screen's parts are on (lib/overlay-show.ts):
 * `qr` the card, `chat` the commands on it and the feed (a stream without chat must not ask for chat votes). The
 * commands show only while the room says chat votes are open (`chatOpen`: a chat bridge is there to read them).
 */
import QRCode from 'qrcode';
import type { PollResponse, RoundState, SeasonOnAir, Snapshot } from '@stream-fighter/core';
import { isFight } from '@stream-fighter/core/round';
import { chatCommands } from '@stream-fighter/view/chat-commands';
import { cardLineHtml } from '@stream-fighter/view/fighter-card';
import { formatClock } from '@stream-fighter/view/format';
import { translator } from '@stream-fighter/view/words';
import { escapeHtml } from '@stream-fighter/view/html';
import { isLang, pickLang, type Lang } from '@stream-fighter/view/languages';
import { clockLeftMs, clockText, figures } from '@stream-fighter/view/round-text';
import { seasonLine } from '@stream-fighter/view/season-line';
import { applyLang } from '../lib/lang.ts';
import { apiCall } from '../lib/http.ts';
import { connectLive } from '../lib/live.ts';
import { shownParts } from '../lib/overlay-show.ts';
import { drawChatFeed } from './overlay-feed.ts';

const params = new URLSearchParams(location.search);
const askedLang = params.get('lang');
const lang: Lang = isLang(askedLang) ? askedLang : pickLang(navigator.languages ?? [navigator.language]);
applyLang(lang);
const voteUrl = params.get('url') ?? `${location.origin}/`;
const show = shownParts(params);

const $ = (sel: string) => document.querySelector<HTMLElement>(sel)!;
let round: RoundState | null = null;
/** The fighters' cards and the round they belong to (absent until the room has read them, and for a poll). */
let cards: { pollId: string; fighters: Snapshot['fighters'] } | null = null;
let chatOpen = false;
/** Where the season is, from the last snapshot (GET /api/poll does not carry it; absent from rooms older than the cycle). */
let season: SeasonOnAir | null = null;
let offset = 0;

async function drawQr(): Promise<void> {
  $('#qr [data-slot="code"]').innerHTML = await QRCode.toString(voteUrl, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
  $('#qr [data-slot="url"]').textContent = voteUrl.replace(/^https?:\/\//, '').replace(/\/$/, '');
}

function draw(): void {
  if (!round) return;
  const r = round;
  const fight = isFight(r.matchup);
  const figs = figures(r, lang);
  for (const side of document.querySelectorAll<HTMLElement>('[data-side]')) side.hidden = !fight;
  $('#top').classList.toggle('is-poll', !fight);
  $('#poll').hidden = fight;
  $('#title').hidden = !fight;
  $('#title').textContent = r.matchup.title;
  const fighterOf = (id: string) => r.matchup.options.find((x) => x.id === id)!.fighter;
  if (fight) {
    for (const f of figs) {
      const name = $(`[data-slot="name-${f.id}"]`);
      name.textContent = fighterOf(f.id).name;
      name.title = fighterOf(f.id).name;
      const bar = $(`[data-slot="bar-${f.id}"]`);
      bar.classList.toggle('low', f.hpPct <= 25);
      (bar.firstElementChild as HTMLElement).style.width = `${f.hpPct}%`;
      $(`[data-slot="num-${f.id}"]`).textContent = `${f.hpText} · ${f.votesText}`;
      // Only this round's: a newer round from GET /api/poll has none until its snapshot comes.
      const card = cards?.pollId === r.pollId ? cards.fighters?.[f.id] : undefined;
      const cardSlot = $(`[data-slot="card-${f.id}"]`);
      const html = card ? cardLineHtml(card, lang) : '';
      cardSlot.hidden = !card;
      // Rebuilt only when it changes (once a round), not on each of the ten snapshots a second.
      if (cardSlot.dataset.html !== html) {
        cardSlot.innerHTML = html;
        cardSlot.dataset.html = html;
      }
    }
  } else {
    $('#poll').innerHTML =
      `<h2>${escapeHtml(r.matchup.title)}</h2>` +
      figs
        .map((f) => {
          const o = fighterOf(f.id);
          return `<div style="--fc:${o.color}"><div class="name">${escapeHtml(o.name)}</div><div class="bar"><span style="width:${f.sharePct}%"></span></div><div class="num">${escapeHtml(f.votesText)}</div></div>`;
        })
        .join('');
  }
  drawChatHint(r);
  drawSeason();
  tick();
}

function drawSeason(): void {
  const el = $('#season');
  const text = season ? seasonLine(season.position, lang) : '';
  el.hidden = !text;
  if (el.textContent !== text) el.textContent = text;
}

/** Under the code, as on the stream: "or type !a / !b in chat", the commands of this round's options picked out. */
function drawChatHint(r: RoundState): void {
  const hint = $('[data-slot="chat-hint"]');
  hint.hidden = !show.has('chat') || !chatOpen;
  if (hint.hidden) return;
  const [before = '', after = ''] = translator(lang)('stream.chatHint').split('{commands}');
  const commands = document.createElement('span');
  commands.className = 'qr__cmds';
  commands.textContent = chatCommands(r.matchup.options.map((o) => o.id));
  hint.replaceChildren(before, commands, after);
}

/**
 * The clock box only ever holds a time: the time left, the full length before the start, and after a KO or a
 * rotate the time that was left when it ended. What is happening ("Starting in 0:05", "K.O.! … wins!") is the
 * status line under it, which has the width of the screen.
 */
function tick(): void {
  if (!round) return;
  const now = Date.now() + offset;
  $('[data-slot="clock"]').textContent = formatClock(clockLeftMs(round, now));
  const status = $('#status');
  status.textContent = round.phase === 'live' ? '' : clockText(round, now, lang);
  status.hidden = round.phase === 'live';
}

/** While the room is unreachable votes cannot land: say so on the QR card instead of asking for them. */
function setOnline(online: boolean): void {
  const label = $('#qr strong');
  label.textContent = translator(lang)(online ? 'overlay.scan' : 'overlay.votingPaused');
  $('#qr').classList.toggle('is-paused', !online);
}

const live = connectLive(params.get('room') ?? 'main', (s: Snapshot) => {
  offset = s.now - Date.now();
  round = s.round;
  cards = { pollId: s.round.pollId, fighters: s.fighters };
  chatOpen = s.chatOpen === true;
  season = s.season ?? null;
  draw();
  if (show.has('chat')) drawChatFeed($('#feed'), s.chatFeed, s.round, s.now);
}, setOnline);

$('#feed').hidden = !show.has('chat');
$('#qr').hidden = !show.has('qr');
if (show.has('qr')) void drawQr();
apiCall<PollResponse>('GET', '/api/poll')
  .then((p) => {
    if (p.seq > live.lastSeq) {
      live.saw(p.seq);
      offset = p.now - Date.now();
      round = p.round;
      chatOpen = p.chatOpen === true;
      draw();
    }
  })
  .catch((e: unknown) => console.warn(e));
setInterval(tick, 250);
