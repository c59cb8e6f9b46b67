/**
 * The page's language on the client. An explicit `?lang=` wins (the switch link works without JavaScript, and
 * operators can bookmark it), then a stored choice (localStorage, or the `sf_lang` cookie the Worker also sets),
 * then what the Worker picked from Accept-Language, then the browser's own languages.
 */
import { isLang, LANG_COOKIE, otherLang, pickLang, type Lang } from '@stream-fighter/view/languages';
import { isWordKey, translator, type Translate } from '@stream-fighter/view/words';

const STORE = 'sf-lang';

function cookieLang(): Lang | null {
  const m = new RegExp(`(?:^|;\\s*)${LANG_COOKIE}=([^;]*)`).exec(document.cookie);
  return m && isLang(m[1]) ? m[1] : null;
}

export function initialLang(fromServer?: unknown): Lang {
  const query = new URLSearchParams(location.search);
  const asked = query.get('lang');
  if (isLang(asked)) {
    rememberLang(asked);
    // Drop it from the address: a later switch in place, then a reload, must not bring it back.
    query.delete('lang');
    const rest = query.toString();
    history.replaceState(history.state, '', `${location.pathname}${rest ? `?${rest}` : ''}${location.hash}`);
    return asked;
  }
  try {
    const stored = localStorage.getItem(STORE);
    if (isLang(stored)) return stored;
  } catch {
    // storage blocked: fall through
  }
  const cookie = cookieLang();
  if (cookie) return cookie;
  if (isLang(fromServer)) return fromServer;
  return pickLang(navigator.languages?.length ? navigator.languages : [navigator.language]);
}

export function rememberLang(lang: Lang): void {
  try {
    localStorage.setItem(STORE, lang);
  } catch {
    // storage blocked: the cookie below still carries the choice
  }
  // The Worker renders `/` in this language too (first paint, no-JS form posts).
  document.cookie = `${LANG_COOKIE}=${lang}; path=/; max-age=31536000; samesite=lax`;
}

/** Attributes swapped by key: `data-i18n-placeholder="key"` sets `placeholder`, and so on. */
const ATTRS = [
  ['i18nPlaceholder', 'placeholder'],
  ['i18nAlt', 'alt'],
  ['i18nLabel', 'aria-label'],
] as const;

/** Swap every [data-i18n] text, the translated attributes and the switch link; returns the translator for the rest. */
export function applyLang(lang: Lang): Translate {
  const t = translator(lang);
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll<HTMLElement>('[data-i18n]')) {
    const key = el.dataset.i18n;
    if (isWordKey(key)) el.textContent = t(key);
  }
  for (const [data, attr] of ATTRS) {
    const sel = `[data-${data.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}]`;
    for (const el of document.querySelectorAll<HTMLElement>(sel)) {
      const key = el.dataset[data];
      if (isWordKey(key)) el.setAttribute(attr, t(key));
    }
  }
  for (const el of document.querySelectorAll<HTMLAnchorElement>('a[data-lang-switch]')) {
    const other = otherLang(lang);
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
      const next = otherLang(get());
      rememberLang(next);
      set(next);
    });
  }
}
