/**
 * What every dashboard panel is given: the page's current language, the operator's API calls and the status
 * line. A panel owns its part of the page and its own state; the entry (page.ts) starts and stops it with the
 * operator's session and asks it to draw again when the language changes.
 */
import type { Lang } from '@stream-fighter/view/languages';
import type { Translate as T } from '@stream-fighter/view/words';

/** A message kept as words to translate, not text: the language switch redraws it. */
export type Message = (t: T) => string;
export const none: Message = () => '';
export type Tone = 'ok' | 'error' | 'info';

/** The language the switch last chose and its translator. */
export interface Words {
  readonly lang: Lang;
  readonly t: T;
}

export interface Dashboard extends Words {
  /** An operator API call with the signed-in token; a 401 signs the page out, then rethrows. */
  op<R>(method: string, path: string, body?: unknown): Promise<R>;
  /** Run an operator action with its button disabled; report the outcome in the status line. */
  act(button: HTMLButtonElement | null, what: Message, fn: () => Promise<unknown>): Promise<void>;
  say(msg: Message, tone?: Tone): void;
  /** A load whose failure is only reported in the status line. */
  quiet(p: Promise<unknown>): Promise<unknown>;
}

export interface Panel {
  /** Draw what the panel holds again, in the current language. */
  redraw(): void;
  /** Signed in: load, start timers. */
  start(): void;
  /** Signed out: stop timers and players. */
  stop(): void;
}

export const $ = <E extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as E;

export const reason = (e: unknown) => (e instanceof Error ? e.message : String(e));
