/**
 * Shout-out moderation: the queue waiting for approval is pushed by the room over the operator's WebSocket (the
 * entry hands its messages over); the log of recent ones is read from the API after each change.
 */
import { escapeHtml } from '@stream-fighter/view/html';
import { $, type Dashboard, type Panel } from './context.ts';

type Pending = { id: string; user: string; message: string; voterId: string };
type Logged = { id: string; user: string; message: string; status: string; voterId: string | null };
type ModerationState = { pending: Pending[]; autoApprove: boolean };

/** Structural check of the room's `moderation` message (no zod in the page). */
function isModeration(m: unknown): m is ModerationState & { type: 'moderation' } {
  if (typeof m !== 'object' || m === null) return false;
  const x = m as Record<string, unknown>;
  return x.type === 'moderation' && Array.isArray(x.pending) && typeof x.autoApprove === 'boolean';
}

export interface ShoutoutsPanel extends Panel {
  /** A message from the room that is not a snapshot: the panel takes the moderation queue. */
  onMessage(m: unknown): void;
}

export function mountShoutoutsPanel(ctx: Dashboard): ShoutoutsPanel {
  let moderation: ModerationState | null = null;
  let shoutouts: Logged[] | null = null;
  let logTimer = 0;

  function onModeration(m: ModerationState): void {
    moderation = m;
    drawPending();
    // Something arrived or was decided: the log below follows, once for a burst of changes.
    window.clearTimeout(logTimer);
    logTimer = window.setTimeout(() => void loadShoutouts().catch(() => {}), 300);
  }

  async function loadShoutouts(): Promise<void> {
    shoutouts = (await ctx.op<{ shoutouts: Logged[] }>('GET', '/api/shoutouts')).shoutouts;
    drawShoutouts();
  }

  const statusText = (status: string) =>
    status === 'pending' || status === 'visible' || status === 'rejected' || status === 'hidden' ? ctx.t(`dash.status.${status}`) : status;

  function drawPending(): void {
    const box = $<HTMLInputElement>('auto-approve');
    box.disabled = !moderation;
    if (!moderation) return;
    const { t } = ctx;
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
    const { t } = ctx;
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
    if (approve) void ctx.act(btn, (t) => t('dash.approveAct'), () => ctx.op('POST', `/api/shoutouts/${encodeURIComponent(approve)}/approve`));
    else if (reject) void ctx.act(btn, (t) => t('dash.rejectAct'), () => ctx.op('POST', `/api/shoutouts/${encodeURIComponent(reject)}/reject`));
    else if (hide) void ctx.act(btn, (t) => t('dash.hideAct'), async () => {
      await ctx.op('POST', `/api/shoutouts/${encodeURIComponent(hide)}/hide`);
      await loadShoutouts();
    });
    else if (ban && window.confirm(ctx.t('dash.banConfirm'))) void ctx.act(btn, (t) => t('dash.banAct'), async () => {
      await ctx.op('POST', `/api/voters/${encodeURIComponent(ban)}/ban`);
      await loadShoutouts();
    });
  }
  $('pending').addEventListener('click', onShoutoutClick);
  $('shoutouts').addEventListener('click', onShoutoutClick);

  $('auto-approve').addEventListener('change', (e) => {
    const box = e.currentTarget as HTMLInputElement;
    const autoApprove = box.checked;
    void ctx.act(null, (t) => t('dash.autoApproveAct'), async () => {
      try {
        await ctx.op('POST', '/api/shoutouts/settings', { autoApprove });
      } catch (err) {
        drawPending(); // back to what the room says
        throw err;
      }
    });
  });

  return {
    onMessage(m) {
      if (isModeration(m)) onModeration(m);
    },
    redraw() {
      drawPending();
      drawShoutouts();
    },
    start() {
      void ctx.quiet(loadShoutouts());
    },
    stop() {
      moderation = null;
      window.clearTimeout(logTimer);
    },
  };
}
