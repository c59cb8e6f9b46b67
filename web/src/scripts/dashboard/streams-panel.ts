/**
 * Streams: which render node holds each (its lease) and what it reports (state, fps, restarts, uptime), re-read
 * every 5 s; start and stop one.
 * Starting or stopping one changes which screens are in use, so the screens panel reloads too.
 */
import type { StreamEntry } from '@stream-fighter/core';
import { escapeHtml } from '@stream-fighter/view/html';
import { $, type Dashboard, type Panel } from './context.ts';
import { screenName } from './screens-panel.ts';

function uptime(sec: number): string {
  const h = Math.floor(sec / 3600);
  const m = Math.floor((sec % 3600) / 60);
  return h ? `${h} h ${m} min` : `${m} min`;
}

export function mountStreamsPanel(ctx: Dashboard, o: { reloadScreens: () => Promise<void> }): Panel {
  let streams: StreamEntry[] | null = null;
  let poller = 0;

  async function load(): Promise<void> {
    streams = (await ctx.op<{ streams: StreamEntry[] }>('GET', '/api/stream')).streams;
    redraw();
  }

  function redraw(): void {
    if (!streams) return;
    const { t } = ctx;
    $('streams').innerHTML = streams.length
      ? streams
          .map((s) => {
            const st = s.status;
            const detail = st
              ? `${t('dash.streamDetail', { state: t(`dash.state.${st.state}`), fps: st.fps.toFixed(0), restarts: st.restarts, uptime: uptime(st.uptimeSec) })}${st.error ? ` · ${st.error}` : ''}`
              : t('dash.streamWaiting');
            const screen = screenName(t, s.screenId);
            // Rooms older than leases send no `lease` at all: then nothing is said of the node.
            const node = s.lease ? t('dash.streamNode', { node: s.lease.node }) : s.lease === null ? t('dash.streamUnassigned') : '';
            return `<li data-key="${escapeHtml(s.streamKey)}"><span><strong>${escapeHtml(s.streamKey)}</strong> (${escapeHtml(screen)})<br><span class="muted" data-slot="state">${escapeHtml(detail)}</span>${node ? ` <span class="muted" data-slot="node">· ${escapeHtml(node)}</span>` : ''}</span>
            <button class="btn btn--danger" type="button" data-stop="${escapeHtml(s.streamKey)}" aria-label="${escapeHtml(t('dash.stopAct', { key: s.streamKey }))}">${escapeHtml(t('dash.stop'))}</button></li>`;
          })
          .join('')
      : `<li>${escapeHtml(t('dash.streamsNone'))}</li>`;
  }

  $('streams').addEventListener('click', (e) => {
    const btn = (e.target as HTMLElement).closest<HTMLButtonElement>('[data-stop]');
    const key = btn?.dataset.stop ?? '';
    if (btn) void ctx.act(btn, (t) => t('dash.stopAct', { key }), async () => {
      await ctx.op('DELETE', `/api/stream?streamKey=${encodeURIComponent(btn.dataset.stop!)}`);
      await Promise.all([load(), o.reloadScreens()]);
    });
  });

  $('start-stream').addEventListener('submit', (e) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const streamKey = String(data.get('streamKey')).trim();
    // The seed's API creates an unknown screen with the defaults; the form offers only screens there are, but say so if it happens.
    let created: string | null = null;
    const what = (t: Parameters<Parameters<Dashboard['act']>[1]>[0]) => (created ? t('dash.startActCreated', { key: streamKey, id: created }) : t('dash.startAct', { key: streamKey }));
    void ctx.act(form.querySelector('button'), what, async () => {
      const reply = await ctx.op<{ createdScreen?: { id: string } }>('POST', '/api/stream', { streamKey, screenId: String(data.get('screenId')) });
      created = reply.createdScreen?.id ?? null;
      form.reset();
      await Promise.all([load(), o.reloadScreens()]);
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
    },
  };
}
