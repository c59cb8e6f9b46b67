/**
 * Screens: what each stream shows (scene, language, resolution, the parts around the action, and what draws it: the
 * stream's own scene or a web page in Chromium), listed with how many streams show each and a link to the OBS
 * overlay drawn as the screen says; add one, edit one (the form, filled in), delete one. It also fills the stream
 * form's screen list, so a stream can be started on any screen there is.
 */
import type { Screen, StreamEntry } from '@stream-fighter/core';
import { BUILT_IN_SCREENS, SCREEN_PARTS } from '@stream-fighter/core/screen-options';
import type { Translate } from '@stream-fighter/view/words';
import { escapeHtml } from '@stream-fighter/view/html';
import { overlayPath, scenePath } from '../../lib/overlay-show.ts';
import { $, type Dashboard, type Panel } from './context.ts';

export interface ScreensPanel extends Panel {
  load(): Promise<void>;
}

const isBuiltIn = (id: string): id is (typeof BUILT_IN_SCREENS)[number] => (BUILT_IN_SCREENS as readonly string[]).includes(id);
/** `fight` and `bars` have names in each language; an operator's screen is called by its id. */
export const screenName = (t: Translate, id: string) => (isBuiltIn(id) ? t(`dash.screen.${id}`) : id);

export function mountScreensPanel(ctx: Dashboard): ScreensPanel {
  let screens: Screen[] | null = null;
  let users = new Map<string, number>();
  /** The screen the form edits; null: the form adds one. */
  let editing: string | null = null;
  const form = $<HTMLFormElement>('screen-form');
  const field = <E extends HTMLInputElement | HTMLSelectElement>(name: string) => form.elements.namedItem(name) as E;

  async function load(): Promise<void> {
    const [list, streams] = await Promise.all([
      ctx.op<{ screens: Screen[] }>('GET', '/api/screens'),
      ctx.op<{ streams: StreamEntry[] }>('GET', '/api/stream'),
    ]);
    screens = list.screens;
    users = new Map();
    for (const s of streams.streams) users.set(s.screenId, (users.get(s.screenId) ?? 0) + 1);
    redraw();
  }

  function detail(t: Translate, s: Screen): string {
    const shows = SCREEN_PARTS.filter((p) => s.show[p]).map((p) => t(`dash.screenShow.${p}`));
    const base = t('dash.screenDetail', { scene: t(`dash.screen.${s.scene}`), lang: t(`dash.lang.${s.lang}`), resolution: s.resolution, shows: shows.join(', ') || t('dash.screenShowsNothing') });
    const drawn = s.renderer === 'browser' && s.url ? [t('dash.screenDrawnBy', { url: s.url })] : s.renderer === 'canvas' ? [t('dash.renderer.canvas')] : [];
    const used = users.get(s.id) ?? 0;
    return [base, ...drawn, ...(used ? [t('dash.screenUsedBy', { count: used })] : []), ...(isBuiltIn(s.id) ? [t('dash.screenBuiltIn')] : [])].join(' · ');
  }

  function redraw(): void {
    if (!screens) return;
    const { t } = ctx;
    $('screens').innerHTML = screens.length
      ? screens
          .map((s) => {
            const id = escapeHtml(s.id);
            const del = isBuiltIn(s.id)
              ? ''
              : `<button class="btn btn--danger" type="button" data-delete="${id}" aria-label="${escapeHtml(t('dash.screenDeleteAct', { id: s.id }))}">${escapeHtml(t('dash.screenDelete'))}</button>`;
            const overlay = `<a class="btn btn--ghost" href="${escapeHtml(overlayPath(s))}" target="_blank" rel="noopener" aria-label="${escapeHtml(t('dash.screenOverlayFor', { id: s.id }))}">${escapeHtml(t('dash.screenOverlay'))}</a>`;
            return `<li data-screen="${id}"><span><strong>${escapeHtml(screenName(t, s.id))}</strong><br><span class="muted">${escapeHtml(detail(t, s))}</span></span>
            <span class="actions">${overlay}<button class="btn btn--ghost" type="button" data-edit="${id}" aria-label="${escapeHtml(t('dash.screenEditAct', { id: s.id }))}">${escapeHtml(t('dash.screenEdit'))}</button>${del}</span></li>`;
          })
          .join('')
      : `<li>${escapeHtml(t('dash.screensNone'))}</li>`;
    fillStreamScreens(t, screens);
  }

  /** The stream form's screen list: every screen there is, keeping the operator's choice. */
  function fillStreamScreens(t: Translate, list: Screen[]): void {
    const select = document.querySelector<HTMLSelectElement>('#start-stream select[name="screenId"]');
    if (!select) return;
    const chosen = select.value;
    select.innerHTML = list.map((s) => `<option value="${escapeHtml(s.id)}">${escapeHtml(screenName(t, s.id))}</option>`).join('');
    if (list.some((s) => s.id === chosen)) select.value = chosen;
  }

  /**
   * "The render node's default" is a screen without a renderer; a screen's renderer can be changed but not taken
   * away again (PUT changes only the fields it names), so that choice is offered only while the screen has none.
   */
  function offerDefaultRenderer(offer: boolean): void {
    const option = field<HTMLSelectElement>('renderer').querySelector<HTMLOptionElement>('option[value=""]')!;
    option.disabled = !offer;
    option.hidden = !offer;
  }

  /** The form's screen as far as a /scene address carries it. */
  const formScene = () => ({
    lang: field<HTMLSelectElement>('lang').value as Screen['lang'],
    scene: field<HTMLSelectElement>('scene').value as Screen['scene'],
    show: Object.fromEntries(SCREEN_PARTS.map((p) => [p, field<HTMLInputElement>(`show-${p}`).checked])) as Screen['show'],
  });
  const sceneUrl = () => new URL(scenePath(formScene()), location.origin).href;
  /** The page address as the form filled it in itself; null once the operator wrote their own. */
  let autoUrl: string | null = null;

  function edit(s: Screen | null): void {
    editing = s?.id ?? null;
    // Before the reset: a reset selects the first option that is not disabled, and "" must be that for a new screen.
    offerDefaultRenderer(!s?.renderer);
    form.reset();
    field<HTMLSelectElement>('renderer').value = '';
    autoUrl = null;
    const id = field<HTMLInputElement>('id');
    id.readOnly = editing !== null;
    if (s) {
      id.value = s.id;
      field<HTMLSelectElement>('scene').value = s.scene;
      field<HTMLSelectElement>('lang').value = s.lang;
      field<HTMLSelectElement>('resolution').value = s.resolution;
      field<HTMLSelectElement>('renderer').value = s.renderer ?? '';
      field<HTMLInputElement>('url').value = s.url ?? '';
      for (const p of SCREEN_PARTS) field<HTMLInputElement>(`show-${p}`).checked = s.show[p];
      // A screen still on the address the form would write for it (the form filled in) keeps following its settings.
      if (s.url === sceneUrl()) autoUrl = s.url;
      $<HTMLDetailsElement>('screen-editor').open = true;
      id.focus();
    }
  }

  $('screens').addEventListener('click', (e) => {
    const target = e.target as HTMLElement;
    const editBtn = target.closest<HTMLButtonElement>('[data-edit]');
    if (editBtn) return edit(screens?.find((s) => s.id === editBtn.dataset.edit) ?? null);
    const del = target.closest<HTMLButtonElement>('[data-delete]');
    const id = del?.dataset.delete ?? '';
    if (del) void ctx.act(del, (t) => t('dash.screenDeleteAct', { id }), async () => {
      await ctx.op('DELETE', `/api/screens/${encodeURIComponent(id)}`);
      if (editing === id) edit(null);
      await load();
    });
  });

  // A web page needs an address: choosing one fills in this site's own /scene (the stream's scene drawn by the
  // browser, the page most screens want) for the form's scene, language and parts, and keeps it in step with them
  // until the operator writes an address of their own.
  form.addEventListener('change', () => {
    const url = field<HTMLInputElement>('url');
    if (field<HTMLSelectElement>('renderer').value !== 'browser') return;
    if (url.value && url.value !== autoUrl) return;
    autoUrl = sceneUrl();
    url.value = autoUrl;
  });

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const id = field<HTMLInputElement>('id').value.trim();
    const renderer = field<HTMLSelectElement>('renderer').value;
    const url = field<HTMLInputElement>('url').value.trim();
    // Empty fields are left out, so they keep what the screen has (the edge says what is wrong with the rest).
    const settings = {
      scene: field<HTMLSelectElement>('scene').value,
      lang: field<HTMLSelectElement>('lang').value,
      resolution: field<HTMLSelectElement>('resolution').value,
      show: Object.fromEntries(SCREEN_PARTS.map((p) => [p, field<HTMLInputElement>(`show-${p}`).checked])),
      ...(renderer ? { renderer } : {}),
      ...(url ? { url } : {}),
    };
    const changing = editing;
    void ctx.act(form.querySelector('button[type="submit"]'), (t) => t('dash.screenSaveAct', { id }), async () => {
      if (changing) await ctx.op('PUT', `/api/screens/${encodeURIComponent(changing)}`, settings);
      else await ctx.op('POST', '/api/screens', { id, ...settings });
      edit(null);
      await load();
    });
  });

  // Closing the editor leaves edit mode: opening it again starts a new screen.
  $<HTMLDetailsElement>('screen-editor').addEventListener('toggle', (e) => {
    if (!(e.currentTarget as HTMLDetailsElement).open) edit(null);
  });

  return {
    load,
    redraw,
    start() {
      void ctx.quiet(load());
    },
    stop() {
      screens = null;
      edit(null);
    },
  };
}
