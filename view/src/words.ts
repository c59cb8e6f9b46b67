/**
 * The one table of words (words-en.ts, words-es.ts) and how to read it. Static HTML carries `data-i18n="key"`:
 * the Worker (first render) and the page scripts (language switch) swap those texts by key with `dictionary`;
 * everything else is written with a `translator`.
 */
import type { Lang } from './languages.ts';
import { EN } from './words-en.ts';
import { ES } from './words-es.ts';

export type WordKey = keyof typeof EN;
export type Words = Readonly<Record<WordKey, string>>;
/** Values for a word's `{placeholders}`. */
export type Vars = Readonly<Record<string, string | number>>;
export type Translate = (key: WordKey, vars?: Vars) => string;

const TABLES: Record<Lang, Words> = { en: EN, es: ES };

export function isWordKey(key: unknown): key is WordKey {
  return typeof key === 'string' && Object.hasOwn(EN, key);
}

export function dictionary(lang: Lang): Words {
  return TABLES[lang];
}

/** A word with its `{placeholders}` filled in; a placeholder without a value is left as written, to be seen. */
export function translator(lang: Lang): Translate {
  const words = TABLES[lang];
  return (key, vars) => {
    const s = words[key];
    return vars ? s.replace(/\{(\w+)\}/g, (m, k: string) => (Object.hasOwn(vars, k) ? String(vars[k]) : m)) : s;
  };
}
