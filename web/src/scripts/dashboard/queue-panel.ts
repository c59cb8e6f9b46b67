/** Up next: the queue of matchups (remove one), and the form that adds one; its stage and archetype names too. */
import type { MatchupInput } from '@stream-fighter/core/matchup';
import { ARCHETYPES, STAGES } from '@stream-fighter/core/roster';
import type { ArchetypeId, StageId } from '@stream-fighter/core/ids';
import { escapeHtml } from '@stream-fighter/view/html';
import { $, type Dashboard, type Panel } from './context.ts';

type QueueItem = { id: number; matchup: { title: string; source?: string; options: Array<{ fighter: { name: string } }> } };

export interface QueuePanel extends Panel {
  load(): Promise<void>;
}

export function mountQueuePanel(ctx: Dashboard): QueuePanel {
  let queue: QueueItem[] | null = null;

  const sourceText = (source: string | undefined) =>
    source === 'ai' || source === 'builtin' || source === 'operator' ? ctx.t(`dash.source.${source}`) : (source ?? '');

  async function load(): Promise<void> {
    queue = (await ctx.op<{ queue: QueueItem[] }>('GET', '/api/poll/queue')).queue;
    drawQueue();
  }

  function drawQueue(): void {
    if (!queue) return;
    const { t } = ctx;
    $('queue').innerHTML = queue.length
      ? queue
          .map(
            (q) => `<li data-id="${q.id}"><span><strong>${escapeHtml(q.matchup.title)}</strong><br><span class="muted">${escapeHtml(q.matchup.options.map((o) => o.fighter.name).join(' vs '))} · ${escapeHtml(sourceText(q.matchup.source))}</span></span>
          <button class="btn btn--danger" type="button" data-remove="${q.id}" aria-label="${escapeHtml(t('dash.removeLabel', { title: q.matchup.title }))}">${escapeHtml(t('dash.remove'))}</button></li>`,
          )
          .join('')
      : `<li>${escapeHtml(t('dash.queueEmpty'))}</li>`;
  }

  /** Names from the roster, which carries both languages; the built page has the English ones. */
  function drawRosterNames(): void {
    const { lang } = ctx;
    for (const o of document.querySelectorAll<HTMLOptionElement>('option[data-stage]')) o.textContent = STAGES[o.dataset.stage as StageId].name[lang];
    for (const o of document.querySelectorAll<HTMLOptionElement>('option[data-archetype]')) o.textContent = ARCHETYPES[o.dataset.archetype as ArchetypeId].label[lang];
  }

  $('queue').addEventListener('click', (e) => {
    const btn = (e.target as HTMLElement).closest<HTMLButtonElement>('[data-remove]');
    if (btn) void ctx.act(btn, (t) => t('dash.remove'), async () => {
      await ctx.op('DELETE', `/api/poll/queue/${btn.dataset.remove}`);
      await load();
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
    void ctx.act(form.querySelector('button[type="submit"]'), (t) => t('dash.addAct'), async () => {
      await ctx.op('POST', '/api/poll/queue', matchup);
      form.reset();
      await load();
    });
  });

  drawRosterNames();

  return {
    load,
    redraw() {
      drawRosterNames();
      drawQueue();
    },
    start() {
      void ctx.quiet(load());
    },
    stop() {},
  };
}
