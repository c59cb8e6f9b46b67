/**
 * The vote page's answer to a tap: what the voter's own hit did ("Claw Swipe! 21,845 damage", from POST /api/vote's
 * `hit`), with a short pop of the line, a shake of the fighter it hit, and a buzz where the phone has the Vibration
 * API. The line stays until the round changes; a screen reader hears it once (the element is a polite status).
 */
import type { Lang } from '@stream-fighter/view/languages';
import type { Translate } from '@stream-fighter/view/words';
import { hitText, vibrationFor, type VoteHit } from '../lib/hit-text.ts';

export interface HitFeedback {
  /** The hit this voter's vote just landed; `target` is the card of the fighter it hit, when drawn. */
  show(hit: VoteHit, target: HTMLElement | null): void;
  /** A new round: the last one's hit is gone. */
  clear(): void;
  /** The language changed. */
  relabel(): void;
}

/**
 * prefers-reduced-motion is the one thing a page hears about a person who wants less motion, and a buzz is motion
 * they feel: with it set there is no animation and no vibration either. The words carry the whole message, so
 * nothing is lost; asked at each hit, so a setting changed while the page is open counts.
 */
const calm = () => typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;

export function hitFeedback(el: HTMLElement, t: () => Translate, lang: () => Lang): HitFeedback {
  let last: VoteHit | null = null;

  const write = () => {
    el.textContent = last ? hitText(t(), lang(), last) : '';
    el.hidden = last === null;
  };

  return {
    show(hit, target) {
      last = hit;
      write();
      el.dataset.kind = hit.kind;
      if (calm()) return;
      // Restart the animation even if the class is still on (removed, a layout read, added back).
      el.classList.remove('hit--pop');
      void el.offsetWidth;
      el.classList.add('hit--pop');
      if (target) {
        target.classList.add('is-hit');
        target.addEventListener('animationend', () => target.classList.remove('is-hit'), { once: true });
      }
      // Feature-detected: iOS Safari and desktops have no vibrate(); Chrome allows it after a tap, which this is.
      if (typeof navigator.vibrate === 'function') navigator.vibrate(vibrationFor(hit.kind));
    },
    clear() {
      last = null;
      el.classList.remove('hit--pop');
      write();
    },
    relabel: write,
  };
}
