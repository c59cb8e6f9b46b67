/**
 * The operator dashboard: sign in with the operator token, then the current round (live over partysocket),
 * rotate/generate, the queue, the season's cycle, streams and their screens, the chat sources, the live preview and shout-out moderation, each a panel of its own. This
 * entry holds the language and the operator's connection to the room (as `role=operator`, so the room also pushes
 * the shout-out queue) and hands what arrives to the panels. Every word comes from the shared i18n table; what
 * the panels write is kept as data and drawn again when the language switch is used, so nothing stays in the old
 * language.
 */
import type { Snapshot } from '@stream-fighter/core';
import type { Lang } from '@stream-fighter/view/languages';
import type { Translate as T } from '@stream-fighter/view/words';
import { applyLang, initialLang, wireLangSwitch } from '../../lib/lang.ts';
import { connectLive, type Live } from '../../lib/live.ts';
import { mountChatPanel } from './chat-panel.ts';
import { none, reason, type Dashboard } from './context.ts';
import { mountLogin } from './login-panel.ts';
import { operatorApi } from './operator-api.ts';
import { mountPreviewPanel } from './preview-panel.ts';
import { mountQueuePanel } from './queue-panel.ts';
import { mountRoundPanel } from './round-panel.ts';
import { mountScreensPanel } from './screens-panel.ts';
import { mountSeasonPanel } from './season-panel.ts';
import { mountShoutoutsPanel } from './shoutouts-panel.ts';
import { mountStatusLine } from './status-line.ts';
import { mountStreamsPanel } from './streams-panel.ts';

let lang: Lang = initialLang();
let t: T = applyLang(lang);
/** The operator's connection to the room, while signed in. */
let live: Live | null = null;

// The status line and the login are mounted just below; the calls that reach them only run after that.
const ctx: Dashboard = {
  get lang() {
    return lang;
  },
  get t() {
    return t;
  },
  op: operatorApi(() => login.token, () => login.signOut((t) => t('dash.signedOut401'))),
  act: (button, what, fn) => status.act(button, what, fn),
  say: (msg, tone) => status.say(msg, tone),
  quiet: (p) =>
    p.catch((e: unknown) => {
      const why = reason(e);
      status.say(() => why, 'error');
    }),
};
const status = mountStatusLine(ctx);
const login = mountLogin(ctx, { onSignedIn: start, onSignedOut: stop });
const queue = mountQueuePanel(ctx);
const round = mountRoundPanel(ctx, { live: () => live, reloadQueue: queue.load });
const season = mountSeasonPanel(ctx);
const screens = mountScreensPanel(ctx);
const streams = mountStreamsPanel(ctx, { reloadScreens: screens.load });
const chat = mountChatPanel(ctx, { serverNow: round.serverNow });
const shoutouts = mountShoutoutsPanel(ctx);
const preview = mountPreviewPanel({ signedIn: () => login.token !== null });
const panels = [round, queue, season, streams, screens, chat, shoutouts, preview];

function start(): void {
  live = connectLive(
    'main',
    (s: Snapshot) => {
      round.show(s);
      season.show(s);
    },
    () => {},
    {
      query: { role: 'operator', token: login.token ?? '' },
      onMessage: (m) => shoutouts.onMessage(m),
    },
  );
  for (const p of panels) p.start();
}

function stop(): void {
  live?.close();
  live = null;
  for (const p of panels) p.stop();
  status.say(none);
}

wireLangSwitch(
  () => lang,
  (next) => {
    lang = next;
    t = applyLang(lang);
    status.redraw();
    login.redraw();
    for (const p of panels) p.redraw();
  },
);

if (login.token) void login.signIn(login.token);
