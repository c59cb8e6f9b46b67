/** The privacy page's only script: the chosen language, swapped in by key. */
import { applyLang, initialLang, wireLangSwitch } from '../lib/lang.ts';

let lang = initialLang();
applyLang(lang);
wireLangSwitch(
  () => lang,
  (next) => {
    lang = next;
    applyLang(lang);
  },
);
