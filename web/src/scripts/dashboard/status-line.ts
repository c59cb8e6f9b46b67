/** The status line under the heading: the outcome of the last operator action, redrawn in the current language. */
import { $, none, reason, type Message, type Tone, type Words } from './context.ts';

export interface StatusLine {
  say(msg: Message, tone?: Tone): void;
  act(button: HTMLButtonElement | null, what: Message, fn: () => Promise<unknown>): Promise<void>;
  redraw(): void;
}

export function mountStatusLine(words: Words): StatusLine {
  let status: { msg: Message; tone: Tone } = { msg: none, tone: 'info' };

  function redraw(): void {
    const el = $('dash-status');
    const text = status.msg(words.t);
    el.textContent = text;
    el.dataset.tone = status.tone;
    el.hidden = !text;
  }

  function say(msg: Message, tone: Tone = 'info'): void {
    status = { msg, tone };
    redraw();
  }

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

  return { say, act, redraw };
}
