/**
 * The vote page `/`, filled in at the edge. The site is static (web/dist, served by Workers static assets), so
 * the Worker runs first for `/`: it fetches the built page from the ASSETS binding and writes the current
 * fight, the caller's own vote, a message for the last form post, whether chat votes are open and the chosen
 * language into it with HTMLRewriter. The page therefore shows the live state and votes through a plain form
 * before (or without) any JavaScript; the page script takes over from the same state (embedded as JSON) when it
 * loads.
 * Mounted on the app (app.ts), so its configuration and error handling are the API's.
 */
import { Hono } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { languageDetector } from 'hono/language';
import { toWellFormed, type PollResponse } from '@stream-fighter/core';
import { voteRefusalText } from '@stream-fighter/view/errors';
import { renderFight } from '@stream-fighter/view/fight-panel';
import { isLang, LANG_COOKIE, LANGS, otherLang, type Lang } from '@stream-fighter/view/languages';
import { nameOf } from '@stream-fighter/view/round-text';
import { dictionary, isWordKey, translator } from '@stream-fighter/view/words';
import type { AppEnv } from '../app-env.ts';
import { log } from '../log.ts';
import { cachedPoll } from '../room/snapshot-cache.ts';
import { roomStub } from '../room/room-stub.ts';
import { peekVoter } from '../voter/session.ts';
import { issueTicket } from '../voter/ticket.ts';
import { votePageHeaders } from './headers.ts';

const POLL_TIMEOUT_MS = 2_000;

async function currentPoll(env: Env, config: AppEnv['Variables']['config'], voterId: string | null): Promise<PollResponse | null> {
  try {
    return await Promise.race([
      roomStub(env, config).poll(voterId ?? undefined),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`room poll timed out after ${POLL_TIMEOUT_MS} ms`)), POLL_TIMEOUT_MS)),
    ]);
  } catch (e) {
    log.warn('site.poll-failed', { error: e instanceof Error ? e.message : String(e) });
    return cachedPoll(config).catch(() => null);
  }
}

/** The status line after a no-JavaScript form post: `/?voted=<option>` or `/?error=<code>`. */
function flashMessage(poll: PollResponse | null, query: (k: string) => string | undefined, lang: Lang): string {
  const t = translator(lang);
  const error = query('error');
  if (error) {
    const mine = poll?.myVote;
    // Cut by UTF-16 units, a code can end in half an emoji, which would stop the page mid-stream.
    return voteRefusalText(t, toWellFormed(error.slice(0, 40)), mine && poll ? nameOf(poll.round, mine) : null);
  }
  const voted = query('voted');
  if (voted && poll && poll.myVote === voted) return t('vote.done', { name: nameOf(poll.round, poll.myVote) });
  return '';
}

/** JSON inside <script type="application/json">: `<` is escaped so the payload can't close the element. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

export const votePage = new Hono<AppEnv>()
  // `?lang=` (the no-JS switch link), then the cookie a choice left, then Accept-Language.
  .use('/', languageDetector({ supportedLanguages: [...LANGS], fallbackLanguage: 'en', order: ['querystring', 'cookie', 'header'], lookupCookie: LANG_COOKIE, caches: false }))
  .on(['GET', 'HEAD'], '/', async (c) => {
    const url = new URL(c.req.url);
    // Absent where the Worker runs without its site (the workers test pool).
    const assets = c.env.ASSETS as Fetcher | undefined;
    if (!assets) return c.text('the site is not built into this Worker (no ASSETS binding)', 503);
    const page = await assets.fetch(new Request(`${url.origin}/`, { headers: { accept: 'text/html' } }));
    if (!page.ok || !(page.headers.get('content-type') ?? '').includes('text/html')) return page;

    const detected = c.get('language');
    const lang: Lang = isLang(detected) ? detected : 'en';
    // A no-JS language switch (`/?lang=es`) sticks for the form posts that follow.
    if (isLang(c.req.query('lang')) && getCookie(c, LANG_COOKIE) !== lang) setCookie(c, LANG_COOKIE, lang, { path: '/', sameSite: 'Lax', maxAge: 365 * 24 * 3600 });

    const config = c.var.config;
    const voterId = await peekVoter(c).catch(() => null);
    const poll = await currentPoll(c.env, config, voterId);
    const t = translator(lang);
    const words = dictionary(lang);
    const flash = flashMessage(poll, (k) => c.req.query(k), lang);
    const siteKey = config.TURNSTILE_SITE_KEY;
    const other = otherLang(lang);
    // `session`: the cookie is HttpOnly, so the page's script learns here whether it must prove work before voting.
    const state = { poll, lang, room: config.ROOM_NAME, turnstileSiteKey: siteKey ?? null, receivedAt: poll?.now ?? null, session: voterId !== null };

    const rewriter = new HTMLRewriter()
      .on('html', { element: (el) => void el.setAttribute('lang', lang) })
      .on('[data-i18n]', {
        element: (el) => {
          const key = el.getAttribute('data-i18n');
          if (lang !== 'en' && isWordKey(key)) el.setInnerContent(words[key]);
        },
      })
      .on('a[data-lang-switch]', {
        element: (el) => {
          el.setAttribute('href', `/?lang=${other}`);
          el.setAttribute('hreflang', other);
          el.setAttribute('lang', other);
          el.setInnerContent(t('nav.lang'));
        },
      })
      .on('a[data-share]', {
        element: (el) => {
          el.setAttribute('href', `https://wa.me/?text=${encodeURIComponent(`${t('vote.shareText')} ${url.origin}/`)}`);
        },
      })
      .on('#sf-state', { element: (el) => void el.setInnerContent(scriptJson(state), { html: true }) })
      .on('#status', {
        element: (el) => {
          if (!flash) return;
          el.setInnerContent(flash);
          el.setAttribute('data-tone', c.req.query('error') ? 'error' : 'ok');
        },
      });
    if (!voterId && config.VOTES_PER_ADDRESS_PER_ROUND_NOJS > 0) {
      // Without a session and without JavaScript, the form's ticket mints one (voter/ticket.ts).
      const ticket = await issueTicket(config.VOTER_SECRET, Math.floor(Date.now() / 1000));
      rewriter.on('input[data-slot="ticket"]', { element: (el) => void el.setAttribute('value', ticket) });
    }
    if (poll) {
      rewriter.on('#fight', { element: (el) => void el.setInnerContent(renderFight(poll, poll.now, lang), { html: true }) });
    }
    if (poll?.chatOpen) {
      // Chat votes too, but only while a chat bridge is there to read them (the room's `chatOpen`).
      rewriter.on('.chat-hint', { element: (el) => void el.removeAttribute('hidden') });
    }
    if (siteKey) {
      rewriter.on('[data-slot="turnstile"]', {
        element: (el) => void el.setInnerContent(`<div class="cf-turnstile" data-sitekey="${siteKey.replace(/[^A-Za-z0-9_-]/g, '')}"></div>`, { html: true }),
      });
      rewriter.on('head', { element: (el) => void el.append('<script src="https://challenges.cloudflare.com/turnstile/v0/api.js" async defer></script>', { html: true }) });
    }
    if (poll && poll.round.phase !== 'live') {
      // Without JavaScript nothing updates by itself: reload when the round next changes phase.
      const waitSec = Math.min(30, Math.max(2, Math.ceil((poll.round.phase === 'upcoming' ? poll.round.liveAt - poll.now : 6_000) / 1000) + 1));
      rewriter.on('head', { element: (el) => void el.append(`<noscript><meta http-equiv="refresh" content="${waitSec}"></noscript>`, { html: true }) });
    }

    c.header('content-type', page.headers.get('content-type') ?? 'text/html; charset=utf-8');
    // Personal (the caller's own vote) and live: never cached.
    c.header('cache-control', 'no-store');
    c.header('vary', 'cookie, accept-language');
    for (const [name, value] of Object.entries(votePageHeaders({ turnstile: Boolean(siteKey) }))) c.header(name, value);
    if (c.req.method === 'HEAD') return c.body(null, 200);
    return c.body(rewriter.transform(new Response(page.body)).body ?? '', 200);
  });
