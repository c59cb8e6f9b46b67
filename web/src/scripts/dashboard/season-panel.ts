/**
 * The season: where the cycle is (live from the room's snapshots, which the entry hands over, and from each reply),
 * the operator's "start a tournament now" and "skip to matchmaking", and the cycle's two lengths (POST /api/season).
 * The lengths come from GET /api/season/now (the room's, never an edge-cached copy) when the panel starts and from
 * every reply; a field being edited is left
 * alone.
 */
import type { Snapshot } from '@stream-fighter/core';
import type { CycleLengths, CyclePositionView, SeasonAction, SeasonResponse } from '@stream-fighter/core/season/season-view';
import { seasonLine } from '@stream-fighter/view/season-line';
import { $, type Dashboard, type Panel } from './context.ts';

export interface SeasonPanel extends Panel {
  /** A snapshot from the room: its season part, when it has one. */
  show(s: Snapshot): void;
}

export function mountSeasonPanel(ctx: Dashboard): SeasonPanel {
  let position: CyclePositionView | null = null;
  /** A snapshot has set the position: the GET, answered from the edge cache, may be older, so it must not take it back. */
  let fromSnapshot = false;
  const form = $<HTMLFormElement>('season-lengths');
  const input = (name: keyof CycleLengths) => form.elements.namedItem(name) as HTMLInputElement;

  function redraw(): void {
    const el = $('season-position');
    el.textContent = position ? seasonLine(position, ctx.lang) : '';
    el.dataset.stage = position?.stage ?? '';
  }

  function showLengths(lengths: CycleLengths): void {
    for (const name of ['matchmakingRounds', 'exhibitions'] as const) {
      const el = input(name);
      if (document.activeElement !== el) el.value = String(lengths[name]);
    }
  }

  /** A reply to the operator's own act: the room's state just after it. */
  function showReply(s: SeasonResponse): void {
    position = s.position;
    showLengths(s.cycle);
    redraw();
  }

  const send = (act: SeasonAction) => ctx.op<SeasonResponse>('POST', '/api/season', act).then(showReply);

  $('season-start').addEventListener('click', (e) => ctx.act(e.currentTarget as HTMLButtonElement, (t) => t('dash.seasonStart'), () => send({ action: 'start-tournament' })));
  $('season-skip').addEventListener('click', (e) => ctx.act(e.currentTarget as HTMLButtonElement, (t) => t('dash.seasonSkip'), () => send({ action: 'skip-to-matchmaking' })));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const lengths = { matchmakingRounds: input('matchmakingRounds').valueAsNumber, exhibitions: input('exhibitions').valueAsNumber };
    void ctx.act(form.querySelector('button[type="submit"]'), (t) => t('dash.seasonSaveAct'), () => send({ action: 'set-lengths', lengths }));
  });

  return {
    show(s) {
      if (!s.season) return;
      position = s.season.position;
      fromSnapshot = true;
      redraw();
    },
    redraw,
    start() {
      void ctx.quiet(
        ctx.op<SeasonResponse>('GET', '/api/season/now').then((s) => {
          showLengths(s.cycle);
          if (!fromSnapshot) {
            position = s.position;
            redraw();
          }
        }),
      );
    },
    stop() {
      position = null;
      fromSnapshot = false;
    },
  };
}
