import { Hono } from 'hono';
import { cors } from 'hono/cors';
import type { AppEnv } from './app-env.ts';
import { readConfig } from './env.ts';
import { notFound, onError } from './http/on-error.ts';
import { siteOnly } from './http/origin.ts';
import { openApiDocument } from './openapi.ts';
import { betRoutes } from './routes/bet.ts';
import { challengeRoutes } from './routes/challenge.ts';
import { chatRoutes } from './routes/chat.ts';
import { fighterRoutes } from './routes/fighters.ts';
import { healthRoutes } from './routes/health.ts';
import { historyRoutes } from './routes/history.ts';
import { seasonRoutes } from './routes/season.ts';
import { meRoutes } from './routes/me.ts';
import { pollRoutes } from './routes/poll.ts';
import { shoutoutRoutes } from './routes/shoutout.ts';
import { shoutoutOperatorRoutes } from './routes/shoutouts-operator.ts';
import { screenRoutes } from './routes/screens.ts';
import { streamRoutes } from './routes/stream.ts';
import { voteRoutes } from './routes/vote.ts';
import { voterRoutes } from './routes/voters.ts';
import { fighterPage } from './site/fighter-page.ts';
import { votePage } from './site/fill-vote-page.ts';

export const app = new Hono<AppEnv>();

app.use('*', async (c, next) => {
  c.set('config', readConfig(c.env));
  await next();
});
// Browsers may call the API only from the configured site origin(s).
app.use(
  '/api/*',
  cors({
    origin: (origin, c) => (c.var.config.SITE_ORIGINS.includes(origin) ? origin : null),
    credentials: true,
    allowHeaders: ['content-type', 'authorization', 'x-voter-token', 'cf-turnstile-response'],
    allowMethods: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
    maxAge: 600,
  }),
);
// Votes and shout-outs only from the site's own pages or from non-browser clients (http/origin.ts).
app.use('/api/vote', siteOnly);
app.use('/api/bet', siteOnly);
app.use('/api/shoutout', siteOnly);
app.onError(onError);
app.notFound(notFound);

const openapi = openApiDocument();
app.get('/api/openapi.json', (c) => c.json(openapi));
app.route('/api/health', healthRoutes);
app.route('/api/poll', pollRoutes);
app.route('/api/challenge', challengeRoutes);
app.route('/api/vote', voteRoutes);
app.route('/api/bet', betRoutes);
app.route('/api/me', meRoutes);
app.route('/api/season', seasonRoutes);
app.route('/api/chat', chatRoutes);
app.route('/api/stream', streamRoutes);
app.route('/api/screens', screenRoutes);
app.route('/api', historyRoutes);
app.route('/api/fighters', fighterRoutes);
app.route('/api/shoutout', shoutoutRoutes);
app.route('/api/shoutouts', shoutoutOperatorRoutes);
app.route('/api/voters', voterRoutes);
app.route('/', votePage);
app.route('/', fighterPage);
