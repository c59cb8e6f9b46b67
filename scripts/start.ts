/**
 * `npm start`: the whole local stack with no accounts. Ctrl-C stops every child.
 */
import { readSettings } from './local/settings.ts';
import { startStack, type Stack } from './local/stack.ts';
import { stopChildren } from './local/children.ts';

const log = (event: string, fields: Record<string, unknown> = {}) => {
  // The stand-ins log every request at debug level: only shown with LOG_LEVEL=debug.
  if (fields.level === 'debug' && process.env.LOG_LEVEL !== 'debug') return;
  process.stdout.write(`[stack] ${JSON.stringify({ event, ...fields })}\n`);
};

async function main(): Promise<void> {
  const settings = readSettings();
  const t0 = Date.now();
  // Handlers go in before anything starts: a Ctrl-C during start-up must not orphan wrangler.
  let stack: Stack | null = null;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log('stopping', { signal });
    await (stack ? stack.stop() : stopChildren());
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGHUP', () => void stop('SIGHUP'));
  stack = await startStack(settings, log);
  const lines = [
    '',
    `Stream Fighter is running (${((Date.now() - t0) / 1000).toFixed(1)} s)`,
    `  API            ${stack.api}/api/poll`,
    `  OpenAPI        ${stack.api}/api/openapi.json`,
    `  Health         ${stack.api}/api/health`,
    `  Room (ws)      ${stack.api.replace('http', 'ws')}/parties/arena/main`,
    `  Postgres       ${stack.backends.postgres}`,
    `  Redis          ${stack.backends.redis}`,
    stack.generatedOperatorToken
      ? `  Operator token ${stack.operatorToken}   (generated; kept in ${settings.DATA_DIR}/secrets.json — set OPERATOR_TOKEN to choose one)`
      : '  Operator token from OPERATOR_TOKEN',
    '  Try:           curl -s -X POST -H "content-type: application/json" -d \'{"option":"A"}\' ' + `${stack.api}/api/vote`,
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`[stack] failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
