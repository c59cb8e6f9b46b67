/**
 * The languages the site and the stream speak. The Worker picks one from the request (hono's language detector);
 * the browser from its own preferences, with `pickLang`.
 */
export const LANGS = ['en', 'es'] as const;
export type Lang = (typeof LANGS)[number];

/** The cookie that keeps a chosen language: the Worker renders `/` in it, the page scripts read and write it. */
export const LANG_COOKIE = 'sf_lang';

export function isLang(s: unknown): s is Lang {
  return (LANGS as readonly unknown[]).includes(s);
}

/** The language a switch link offers from `lang`. */
export function otherLang(lang: Lang): Lang {
  return lang === 'en' ? 'es' : 'en';
}

/** The first supported language in a preference list (navigator.languages); English when none is. */
export function pickLang(prefs: readonly string[]): Lang {
  for (const p of prefs) {
    const base = p.trim().toLowerCase().split(/[-_]/)[0];
    if (isLang(base)) return base;
  }
  return 'en';
}

