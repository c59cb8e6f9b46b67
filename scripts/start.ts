/**
 * `npm start`: the whole local stack with no accounts. The RTMP receiver (unless RTMP_URL is set) and the
 * render node start first, so video flows while the edge is still coming up; then the stand-ins, migrations and
 * the Worker (`startStack`); then, on request, a simulated crowd; then the chat bridge, when a chat is configured
 * or with --demo (which also runs local Twitch and YouTube chats with simulated chatters). One summary of the
 * URLs; logs prefixed by service; Ctrl-C stops every child.
 *   node scripts/start.ts [--demo[=N]]
 */
import { join, relative, resolve } from 'node:path';
import { chatConfigured, startChatBridgeChild } from '@stream-fighter/devstack/stack/chat-bridge-child';
import { killChildrenNow, stopChildren } from '@stream-fighter/devstack/stack/children';
import { startDemoChat, type DemoChat } from '@stream-fighter/devstack/stack/demo-chat';
import { demoRefusal, localAddressVars, startDemoCrowd } from '@stream-fighter/devstack/stack/demo-crowd';
import { checkFfmpeg } from '@stream-fighter/devstack/stack/ffmpeg-check';
import { waitForFirstFrame } from '@stream-fighter/devstack/stack/flv-probe';
import { buildRenderBundle, PREVIEW_KEY, startRenderChild } from '@stream-fighter/devstack/stack/render-child';
import { startRtmpReceiver, type RtmpReceiver } from '@stream-fighter/devstack/stack/rtmp-receiver';
import { localSecrets } from '@stream-fighter/devstack/stack/secrets';
import { readSettings } from '@stream-fighter/devstack/stack/settings';
import { startStack, workerRoom, type Stack } from '@stream-fighter/devstack/stack/stack';
import { firstFrameLine, maskRtmpUrl, summaryText, type SummaryInput } from '@stream-fighter/devstack/stack/summary';

const ROOT = resolve(import.meta.dirname, '..');
const DEFAULT_DEMO_VOTERS = 12;

const logAs = (label: string) => (event: string, fields: Record<string, unknown> = {}) => {
  // The stand-ins log every request at debug level: only shown with LOG_LEVEL=debug.
  if (fields.level === 'debug' && process.env.LOG_LEVEL !== 'debug') return;
  const out = fields.level === 'error' || fields.level === 'warn' ? process.stderr : process.stdout;
  out.write(`[${label}] ${JSON.stringify({ event, ...fields })}\n`);
};
const log = logAs('stack');

/** `--demo` (the default crowd), `--demo=N` or `--demo N`; null when absent. */
function demoArg(argv: string[]): number | null {
  const i = argv.findIndex((a) => a === '--demo' || a.startsWith('--demo='));
  if (i < 0) return null;
  const value = argv[i]!.includes('=') ? argv[i]!.split('=')[1] : /^\d+$/.test(argv[i + 1] ?? '') ? argv[i + 1] : undefined;
  return value === undefined ? DEFAULT_DEMO_VOTERS : Number(value);
}

async function main(): Promise<void> {
  const settings = readSettings();
  const elapsedSec = () => performance.now() / 1000; // since this process started
  // Whatever happens, no child outlives this process (a library may call process.exit on its own).
  process.on('exit', killChildrenNow);

  let stack: Stack | null = null;
  let receiver: RtmpReceiver | null = null;
  let crowd: { stop(): void } | null = null;
  let demoChat: DemoChat | null = null;
  const frames = new AbortController();
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log('stopping', { signal });
    crowd?.stop();
    frames.abort();
    await (stack ? stack.stop() : stopChildren());
    await demoChat?.stop().catch(() => {});
    await receiver?.close().catch(() => {});
    process.exit(0);
  };
  // Handlers go in before anything starts: a Ctrl-C during start-up must not orphan wrangler.
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGHUP', () => void stop('SIGHUP'));

  const dataDir = resolve(ROOT, settings.DATA_DIR);
  const secrets = localSecrets(dataDir, { OPERATOR_TOKEN: settings.OPERATOR_TOKEN, VOTER_SECRET: settings.VOTER_SECRET, RENDERER_TOKEN: settings.RENDERER_TOKEN });
  const api = `http://127.0.0.1:${settings.PORT}`;

  // The receiver, then the render node: its static preview stream needs neither the edge nor an operator.
  let preview: SummaryInput['preview'];
  if (settings.RTMP_URL) {
    preview = { external: maskRtmpUrl(settings.RTMP_URL) };
  } else {
    try {
      const showInfo = settings.LOG_LEVEL === 'debug';
      receiver = await startRtmpReceiver({
        rtmpPort: settings.RTMP_PORT,
        previewPort: settings.PREVIEW_PORT,
        dataDir: join(dataDir, 'rtmp'),
        log: (line, level) => {
          if (level === 'warn' || level === 'error') process.stderr.write(`[rtmp] ${line}\n`);
          else if (showInfo) process.stdout.write(`[rtmp] ${line}\n`);
        },
      });
      preview = { flv: receiver.flvUrl(PREVIEW_KEY), rtmp: receiver.playUrl(PREVIEW_KEY) };
    } catch (e) {
      preview = { problem: e instanceof Error ? e.message : String(e) };
      log('rtmp-receiver.failed', { level: 'error', error: preview.problem });
    }
  }

  const ffmpeg = checkFfmpeg({ ...process.env, ...(settings.FFMPEG_PATH ? { FFMPEG_PATH: settings.FFMPEG_PATH } : {}) });
  let render: SummaryInput['render'];
  const rtmpUrl = settings.RTMP_URL ?? receiver?.rtmpUrl;
  if (!ffmpeg.ok) {
    render = { problem: ffmpeg.problem, hint: ffmpeg.hint };
    process.stderr.write(`[stack] FFmpeg is missing, so the render node is not started: ${ffmpeg.problem}\n[stack]   ${ffmpeg.hint}\n`);
  } else if (!rtmpUrl) {
    render = { problem: 'no RTMP receiver to push to', hint: 'free RTMP_PORT/PREVIEW_PORT, or set RTMP_URL' };
  } else {
    const bundle = settings.RENDER_BUILD === 'bundle' ? await buildRenderBundle() : undefined;
    // The room the Worker is about to serve (stack.room, before the stack is up): the only one it lets a renderer join.
    const env = { ...process.env, ROOM: workerRoom(process.env) };
    const child = startRenderChild({ edgeUrl: api, rendererToken: secrets.RENDERER_TOKEN, rtmpUrl, httpPort: settings.RENDER_HTTP_PORT, ffmpegPath: ffmpeg.path, env, bundle });
    render = { url: child.url };
  }

  let firstFrameSec: number | null = null;
  let summaryShown = false;
  if (receiver && 'url' in render) {
    waitForFirstFrame(receiver.flvUrl(PREVIEW_KEY), frames.signal).then(
      () => {
        firstFrameSec = elapsedSec();
        log('first-frame', { seconds: Number(firstFrameSec.toFixed(2)), url: receiver!.flvUrl(PREVIEW_KEY) });
        if (summaryShown) process.stdout.write(`\n${firstFrameLine(firstFrameSec)}\n\n`);
      },
      () => {},
    );
  }

  // The crowd: only ever against local stand-ins.
  const wanted = demoArg(process.argv.slice(2)) ?? settings.DEMO_VOTERS;
  const refusal = wanted > 0 ? demoRefusal(settings) : null;
  if (refusal) log('demo.refused', { level: 'warn', reason: `${refusal}: the demo crowd only runs against the local stand-ins` });
  const demoOn = wanted > 0 && !refusal;
  // Every local client (and the simulated voters) comes from 127.0.0.1: the per-address limits are sized for them.
  const extraVars = localAddressVars(demoOn ? wanted : 0, process.env);

  stack = await startStack(settings, log, extraVars);
  if (demoOn) crowd = startDemoCrowd({ api: stack.api, room: stack.room, voters: wanted, log: logAs('demo') });

  // The chat bridge, when it has a chat to read: the configured ones, or with --demo the local servers instead.
  let chat: SummaryInput['chat'] = null;
  if (demoOn) demoChat = await startDemoChat({ api: stack.api, room: stack.room, log: logAs('demo') });
  if (demoChat || chatConfigured(process.env)) {
    const bridge = startChatBridgeChild({ edgeUrl: stack.api, bridgeToken: stack.bridgeToken, httpPort: settings.CHAT_BRIDGE_HTTP_PORT, env: { ...process.env, ROOM: stack.room, ...demoChat?.env } });
    chat = { url: bridge.url, demo: demoChat !== null };
  }

  process.stdout.write(
    summaryText({
      startedInSec: elapsedSec(),
      api: stack.api,
      backends: stack.backends,
      operatorToken: stack.operatorToken,
      generatedOperatorToken: stack.generatedOperatorToken,
      secretsFile: join(relative(ROOT, dataDir) || '.', 'secrets.json'),
      preview,
      render,
      demo: demoOn ? { voters: wanted } : refusal ? { refused: refusal } : null,
      chat,
      firstFrameSec,
    }),
  );
  summaryShown = true;
}

main().catch((e: unknown) => {
  process.stderr.write(`[stack] failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
