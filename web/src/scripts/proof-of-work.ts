/**
 * The proof of work a new voter pays once, before the first vote mints a session: the ALTCHA widget, loaded only
 * for a browser without a session. It is ALTCHA's external build (the default bundle inlines its workers and
 * styles, which the page's Content-Security-Policy refuses): script, stylesheet and PBKDF2 worker are hashed files
 * of this site, so nothing comes from a third party. The widget starts solving as soon as it is on the page, so by
 * the time the voter taps a fighter the answer is usually ready and the vote is still a single tap.
 */
import type { AltchaWidgetElement } from 'altcha/types/generic';
import script from 'altcha-dist/external/altcha.min.js?url';
import styles from 'altcha-dist/external/altcha.css?url';
import pbkdf2Worker from 'altcha-dist/workers/pbkdf2.js?url';
import type { Lang } from '@stream-fighter/view/languages';
import { translator } from '@stream-fighter/view/words';

/** The algorithms of the edge's challenges (altcha-lib's PBKDF2 family): one worker file solves them all. */
const ALGORITHMS = ['PBKDF2/SHA-256', 'PBKDF2/SHA-384', 'PBKDF2/SHA-512'];

export interface ProofOfWork {
  /** The widget's payload for the `altcha` field: the solution at hand, the one being worked out, or a new one. */
  payload(): Promise<string>;
  /** The edge refused the last payload (expired, say): the next `payload()` solves a new challenge. */
  renew(): void;
  setLang(lang: Lang): void;
  /** A session exists now: the widget goes. */
  remove(): void;
}

let loading: Promise<void> | null = null;

function loadWidget(): Promise<void> {
  return (loading ??= (async () => {
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = styles;
    document.head.append(link);
    await import(/* @vite-ignore */ script);
    for (const a of ALGORITHMS) globalThis.$altcha.algorithms.set(a, () => new Worker(pbkdf2Worker));
  })());
}

/** The widget's words from the site's own table (ALTCHA ships its own, English unless another file is loaded). */
function registerWords(lang: Lang): void {
  const t = translator(lang);
  globalThis.$altcha.i18n.set(lang, {
    ...globalThis.$altcha.i18n.get('en'),
    label: t('pow.label'),
    verifying: t('pow.verifying'),
    verified: t('pow.verified'),
    error: t('pow.error'),
    expired: t('pow.expired'),
    verificationRequired: t('pow.required'),
    waitAlert: t('pow.wait'),
  });
}

export function proofOfWork(slot: HTMLElement, initialLang: Lang): ProofOfWork {
  let widget: AltchaWidgetElement | null = null;
  let solved: string | null = null;
  let removed = false;
  let waiting: Array<{ resolve: (p: string) => void; reject: (e: Error) => void }> = [];

  const settle = (outcome: { payload: string } | { error: Error }) => {
    const w = waiting;
    waiting = [];
    for (const x of w) 'payload' in outcome ? x.resolve(outcome.payload) : x.reject(outcome.error);
  };

  const ready = loadWidget().then(
    () =>
      new Promise<AltchaWidgetElement>((resolve) => {
        registerWords(initialLang);
        const el = document.createElement('altcha-widget');
        el.setAttribute('challenge', '/api/challenge');
        el.setAttribute('name', 'altcha');
        el.setAttribute('auto', 'onload');
        el.setAttribute('language', initialLang);
        // No artificial delay (the tap is waiting), no footer link, and no pointer data: the edge asks for none.
        el.setAttribute('configuration', JSON.stringify({ minDuration: 0, hideFooter: true, humanInteractionSignature: false }));
        el.addEventListener('statechange', (e) => {
          const { state, payload } = (e as CustomEvent<{ state: string; payload: string | null }>).detail;
          if (state === 'verified' && payload) {
            solved = payload;
            settle({ payload });
          } else if (state === 'error') {
            solved = null;
            settle({ error: new Error('the proof of work failed') });
          } else if (state === 'expired' || state === 'unverified') {
            solved = null;
          }
        });
        // Its methods exist once it has mounted.
        el.addEventListener('load', () => resolve(el), { once: true });
        slot.append(el);
        slot.hidden = false;
        widget = el;
      }),
  );

  return {
    async payload() {
      const el = await ready;
      if (solved) return solved;
      const answer = new Promise<string>((resolve, reject) => waiting.push({ resolve, reject }));
      // Solving already (on load, or for another tap): wait for it; otherwise start.
      if (el.getState() !== 'verifying') void el.verify();
      return answer;
    },
    renew() {
      solved = null;
      void ready.then((el) => {
        if (!removed) void el.verify();
      });
    },
    setLang(lang) {
      if (!globalThis.$altcha) return;
      registerWords(lang);
      widget?.setAttribute('language', lang);
    },
    remove() {
      removed = true;
      settle({ error: new Error('the widget was removed') });
      void ready.then((el) => {
        el.remove();
        slot.hidden = true;
      });
    },
  };
}
