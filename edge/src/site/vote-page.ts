/**
 * The vote page `/`, filled in at the edge. The site is static (web/dist, served by Workers static assets), so
 * the Worker runs first for `/`: it fetches the built page from the ASSETS binding and writes the current
 * fight, the caller's own vote, a message for the last form post and the chosen language into it with
 * HTMLRewriter. The page therefore shows the live state and votes through a plain form before (or without)
 * any JavaScript; the page script takes over from the same state (embedded as JSON) when it loads.
 */
import { Hono } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { toWellFormed, type PollResponse } from '@stream-fighter/core';
import { dictionary, isLang, parseAcceptLanguage, pickLang, translator, type Key, type Lang } from '@stream-fighter/web/lib/i18n';
import { nameOf, renderFight } from '@stream-fighter/web/lib/view';
import type { AppEnv } from '../app-env.ts';
import { readConfig } from '../env.ts';
import { onError } from '../http/on-error.ts';
import { log } from '../log.ts';
import { cachedPoll } from '../room/snapshot-cache.ts';
import { arena } from '../room/stub.ts';
import { peekVoter } from '../voter/session.ts';
import { issueTicket } from '../voter/ticket.ts';
import { votePageHeaders } from './headers.ts';

export const LANG_COOKIE = 'sf_lang';
const POLL_TIMEOUT_MS = 2_000;

/** What a failed form vote (`/?error=<code>`) tells the voter; codes are the API's. */
const ERROR_KEYS: Record<string, Key> = {
  'already-voted': 'vote.already',
  'stale-poll': 'vote.stale',
  'not-live': 'vote.closed',
  'rate-limited': 'vote.limited',
  'turnstile-required': 'vote.turnstile',
  'turnstile-failed': 'vote.turnstile',
  'ticket-invalid': 'vote.ticket',
  'address-limit': 'vote.limited',
  'too-many-sessions': 'vote.limited',
  banned: 'vote.banned',
};

function chooseLang(c: { req: { query(k: string): string | undefined; header(k: string): string | undefined } }, cookie: string | undefined): Lang {
  const asked = c.req.query('lang');
  if (isLang(asked)) return asked;
  if (isLang(cookie)) return cookie;
  return pickLang(parseAcceptLanguage(c.req.header('accept-language') ?? null));
}

async function currentPoll(env: Env, config: AppEnv['Variables']['config'], voterId: string | null): Promise<PollResponse | null> {
  try {
    return await Promise.race([
      arena(env, config).poll(voterId ?? undefined),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`room poll timed out after ${POLL_TIMEOUT_MS} ms`)), POLL_TIMEOUT_MS)),
    ]);
  } catch (e) {
    log.warn('site.poll-failed', { error: e instanceof Error ? e.message : String(e) });
    return cachedPoll(config).catch(() => null);
  }
}

function flashMessage(poll: PollResponse | null, query: (k: string) => string | undefined, lang: Lang): string {
  const t = translator(lang);
  const error = query('error');
  if (error) {
    const key = ERROR_KEYS[error];
    if (key === 'vote.already') {
      const mine = poll?.myVote;
      return t('vote.already', { forName: mine && poll ? t('vote.alreadyFor', { name: nameOf(poll.round, mine) }) : '' });
    }
    // Cut by UTF-16 units, a code can end in half an emoji, which would stop the page mid-stream.
    return key ? t(key) : t('vote.failed', { reason: toWellFormed(error.slice(0, 40)) });
  }
  const voted = query('voted');
  if (voted && poll && poll.myVote === voted) return t('vote.done', { name: nameOf(poll.round, poll.myVote) });
  return '';
}

/** JSON inside <script type="application/json">: `<` is escaped so the payload can't close the element. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

export const sitePage = new Hono<AppEnv>()
  .onError(onError)
  .use(async (c, next) => {
    c.set('config', readConfig(c.env));
    await next();
  })
  .on(['GET', 'HEAD'], '/', async (c) => {
    const url = new URL(c.req.url);
    // Absent where the Worker runs without its site (the workers test pool).
    const assets = c.env.ASSETS as Fetcher | undefined;
    if (!assets) return c.text('the site is not built into this Worker (no ASSETS binding)', 503);
    const page = await assets.fetch(new Request(`${url.origin}/`, { headers: { accept: 'text/html' } }));
    if (!page.ok || !(page.headers.get('content-type') ?? '').includes('text/html')) return page;

    const langCookie = getCookie(c, LANG_COOKIE);
    const lang = chooseLang(c, langCookie);
    // A no-JS language switch (`/?lang=es`) sticks for the form posts that follow.
    if (isLang(c.req.query('lang')) && langCookie !== lang) setCookie(c, LANG_COOKIE, lang, { path: '/', sameSite: 'Lax', maxAge: 365 * 24 * 3600 });

    const config = c.var.config;
    const voterId = await peekVoter(c).catch(() => null);
    const poll = await currentPoll(c.env, config, voterId);
    const t = translator(lang);
    const dict = dictionary(lang);
    const flash = flashMessage(poll, (k) => c.req.query(k), lang);
    const siteKey = (c.env as Env & { TURNSTILE_SITE_KEY?: string }).TURNSTILE_SITE_KEY?.trim();
    const other: Lang = lang === 'en' ? 'es' : 'en';
    // `session`: the cookie is HttpOnly, so the page's script learns here whether it must prove work before voting.
    const state = { poll, lang, room: config.ROOM_NAME, turnstileSiteKey: siteKey || null, receivedAt: poll?.now ?? null, session: voterId !== null };

    const rewriter = new HTMLRewriter()
      .on('html', { element: (el) => void el.setAttribute('lang', lang) })
      .on('[data-i18n]', {
        element: (el) => {
          const key = el.getAttribute('data-i18n') as Key | null;
          if (lang !== 'en' && key && key in dict) el.setInnerContent(dict[key]);
        },
      })
      .on('a[data-lang-switch]', {
        element: (el) => {
          el.setAttribute('href', `/?lang=${other}`);
          el.setAttribute('hreflang', other);
          el.setAttribute('lang', other);
          el.setInnerContent(translator(lang)('nav.lang'));
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

/** Requests the Worker answers with a page rather than the API. */
export function isSitePage(request: Request): boolean {
  return (request.method === 'GET' || request.method === 'HEAD') && new URL(request.url).pathname === '/';
}
