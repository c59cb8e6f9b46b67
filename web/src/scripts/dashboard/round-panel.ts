/**
 * The current round: its title, phase, clock and votes, live from the room's snapshots (the entry hands them
 * over), and the buttons that rotate it now or generate the next matchup.
 */
import type { PollResponse, RoundState } from '@stream-fighter/core';
import { apiCall } from '../../lib/http.ts';
import type { WordKey as Key } from '@stream-fighter/view/words';
import type { Live } from '../../lib/live.ts';
import { escapeHtml } from '@stream-fighter/view/html';
import { clockText, figures } from '@stream-fighter/view/round-text';
import { $, type Dashboard, type Panel } from './context.ts';

export interface RoundPanel extends Panel {
  /** A state of the round and the server's clock when it was sent. */
  show(state: { round: RoundState; now: number }): void;
  /** The room's clock, as the last state it sent puts it (the operator's own clock may be off). */
  serverNow(): number;
}

export function mountRoundPanel(ctx: Dashboard, deps: { live(): Live | null; reloadQueue(): Promise<void> }): RoundPanel {
  let round: RoundState | null = null;
  /** Server clock minus ours, so the countdown matches the room's. */
  let offset = 0;
  let ticker = 0;

  function show(state: { round: RoundState; now: number }): void {
    offset = state.now - Date.now();
    round = state.round;
    redraw();
  }

  function redraw(): void {
    if (!round) return;
    const { t, lang } = ctx;
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
    if (round) $('round-clock').textContent = clockText(round, Date.now() + offset, ctx.lang);
  }

  $('rotate').addEventListener('click', (e) =>
    ctx.act(e.currentTarget as HTMLButtonElement, (t) => t('dash.rotateAct'), async () => {
      const p = await ctx.op<PollResponse>('POST', '/api/poll/rotate');
      const live = deps.live();
      if (!live || p.seq > live.lastSeq) {
        live?.saw(p.seq);
        show(p);
      }
      await deps.reloadQueue();
    }),
  );

  $('generate').addEventListener('click', (e) =>
    ctx.act(e.currentTarget as HTMLButtonElement, (t) => t('dash.generateAct'), async () => {
      const theme = $<HTMLInputElement>('theme').value.trim();
      const out = await ctx.op<{ source: string; aiError?: string }>('POST', '/api/poll/generate', { count: 1, ...(theme ? { theme } : {}) });
      const aiError = out.aiError;
      if (aiError) ctx.say((t) => t('dash.generatedFallback', { reason: aiError }), 'info');
      await deps.reloadQueue();
    }),
  );

  return {
    show,
    serverNow: () => Date.now() + offset,
    redraw,
    start() {
      // The public read; the snapshots may already be ahead of it, so it applies only if it is newer.
      void ctx.quiet(
        apiCall<PollResponse>('GET', '/api/poll').then((p) => {
          const live = deps.live();
          if (live && p.seq > live.lastSeq) {
            live.saw(p.seq);
            show(p);
          }
        }),
      );
      ticker = window.setInterval(tick, 500);
    },
    stop() {
      window.clearInterval(ticker);
    },
  };
}
