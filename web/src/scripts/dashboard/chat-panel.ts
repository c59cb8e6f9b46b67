/**
 * Chat sources: each Twitch channel or YouTube live chat the chat bridges report (GET /api/chat/sources), with its
 * state, the bridge's detail, when the room last heard of it, its votes in the current round and which bridge
 * relays it (the room leases each chat to one bridge; others reading it stand by), re-read every 5 s; pause one
 * (its votes stop counting, kept by the room across restarts) or resume it. With none, it says how the bridge is
 * configured.
 */
import type { ChatSourceView } from '@stream-fighter/core';
import { formatNumber } from '@stream-fighter/view/format';
import { escapeHtml } from '@stream-fighter/view/html';
import type { Translate } from '@stream-fighter/view/words';
import { $, type Dashboard, type Panel } from './context.ts';

/** How long ago, in the units a glance needs (the room calls a source stale after 30 s). */
function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 120 ? `${s} s` : `${Math.round(s / 60)} min`;
}

export function mountChatPanel(ctx: Dashboard, deps: { serverNow(): number }): Panel {
  let sources: ChatSourceView[] | null = null;
  /** When the list was read, by the room's clock, which `seenAt` is on too. */
  let loadedAt = 0;
  let poller = 0;

  async function load(): Promise<void> {
    sources = (await ctx.op<{ sources: ChatSourceView[] }>('GET', '/api/chat/sources')).sources;
    loadedAt = deps.serverNow();
    redraw();
  }

  function detail(t: Translate, s: ChatSourceView): string {
    const votes = s.votes === 1 ? t('dash.chatVote1') : t('dash.chatVotes', { n: formatNumber(s.votes, ctx.lang) });
    const seen = s.seenAt === null ? t('dash.chatNever') : t('dash.chatSeen', { ago: ago(loadedAt - s.seenAt) });
    // The bridge holding the lease, as the stream list names a stream's render node; standbys ride along in brackets.
    const bridge = s.lease ? [`${t('dash.streamNode', { node: s.lease.bridge })}${s.standby.length ? ` (+ ${s.standby.join(', ')})` : ''}`] : [];
    return [t(`dash.chatState.${s.state}`), votes, ...(s.paused ? [t('dash.chatPaused')] : []), ...(s.detail ? [s.detail] : []), seen, ...bridge].join(' · ');
  }

  function redraw(): void {
    if (!sources) return;
    const { t } = ctx;
    // Redrawn every few seconds: keep the keyboard on the button it was on.
    const focused = (document.activeElement as HTMLElement | null)?.closest<HTMLElement>('#chat-sources [data-pause]')?.dataset.pause;
    $('chat-sources').innerHTML = sources.length
      ? sources
          .map((s) => {
            const source = escapeHtml(s.source);
            const [word, act] = s.paused ? (['dash.chatResume', 'dash.chatResumeAct'] as const) : (['dash.chatPause', 'dash.chatPauseAct'] as const);
            return `<li data-source="${source}" data-state="${escapeHtml(s.state)}" data-paused="${s.paused}" data-bridge="${escapeHtml(s.lease?.bridge ?? '')}"><span><strong>${source}</strong><br><span class="muted" data-slot="detail">${escapeHtml(detail(t, s))}</span></span>
            <button class="btn ${s.paused ? '' : 'btn--ghost'}" type="button" data-pause="${source}" data-paused="${s.paused}" aria-label="${escapeHtml(t(act, { source: s.source }))}">${escapeHtml(t(word))}</button></li>`;
          })
          .join('')
      : `<li>${escapeHtml(t('dash.chatNone'))}</li>`;
    if (focused) [...$('chat-sources').querySelectorAll<HTMLElement>('[data-pause]')].find((b) => b.dataset.pause === focused)?.focus();
  }

  $('chat-sources').addEventListener('click', (e) => {
    const btn = (e.target as HTMLElement).closest<HTMLButtonElement>('[data-pause]');
    if (!btn) return;
    const source = btn.dataset.pause!;
    const paused = btn.dataset.paused !== 'true';
    void ctx.act(btn, (t) => t(paused ? 'dash.chatPauseAct' : 'dash.chatResumeAct', { source }), async () => {
      await ctx.op('PUT', `/api/chat/sources/${encodeURIComponent(source)}`, { paused });
      await load();
    });
  });

  return {
    redraw,
    start() {
      void ctx.quiet(load());
      poller = window.setInterval(() => void load().catch(() => {}), 5_000);
    },
    stop() {
      window.clearInterval(poller);
      sources = null;
    },
  };
}
