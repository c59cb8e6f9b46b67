/** The page's language on the client: a stored choice, else what the Worker picked, else the browser's. */
import { isLang, pickLang, translator, type Key, type Lang, type T } from './i18n.ts';

const STORE = 'sf-lang';

export function initialLang(fromServer?: unknown): Lang {
  try {
    const stored = localStorage.getItem(STORE);
    if (isLang(stored)) return stored;
  } catch {
    // storage blocked: fall through
  }
  if (isLang(fromServer)) return fromServer;
  return pickLang(navigator.languages?.length ? navigator.languages : [navigator.language]);
}

export function rememberLang(lang: Lang): void {
  try {
    localStorage.setItem(STORE, lang);
  } catch {
    // storage blocked: the choice lasts for this page only
  }
  // The Worker renders `/` in this language too (first paint, no-JS form posts).
  document.cookie = `sf_lang=${lang}; path=/; max-age=31536000; samesite=lax`;
}

/** Swap every [data-i18n] text and the switch link; returns the translator for the rest. */
export function applyLang(lang: Lang): T {
  const t = translator(lang);
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll<HTMLElement>('[data-i18n]')) el.textContent = t(el.dataset.i18n as Key);
  for (const el of document.querySelectorAll<HTMLAnchorElement>('a[data-lang-switch]')) {
    const other = lang === 'en' ? 'es' : 'en';
    el.textContent = t('nav.lang');
    el.lang = other;
    el.hreflang = other;
    el.href = `?lang=${other}`;
  }
  return t;
}

/** Wire the switch link: in place with JavaScript (the link itself works without). */
export function wireLangSwitch(get: () => Lang, set: (lang: Lang) => void): void {
  for (const el of document.querySelectorAll<HTMLAnchorElement>('a[data-lang-switch]')) {
    el.addEventListener('click', (e) => {
      e.preventDefault();
      const next = get() === 'en' ? 'es' : 'en';
      rememberLang(next);
      set(next);
    });
  }
}
