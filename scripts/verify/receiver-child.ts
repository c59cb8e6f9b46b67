/**
 * The local RTMP receiver (the stack's own, devstack/src/stack/rtmp-receiver.ts) in a process of its own, for the
 * latency bench: the bench decodes and times frames, and node-media-server relaying in that same event loop would
 * be slowed by the very measurement. Prints one JSON line when ready; SIGTERM closes it.
 *   node scripts/verify/receiver-child.ts <rtmpPort> <previewPort> <dataDir>
 */
import { startRtmpReceiver } from '@stream-fighter/devstack/stack/rtmp-receiver';

const [rtmpPort, previewPort, dataDir] = process.argv.slice(2);
const receiver = await startRtmpReceiver({
  rtmpPort: Number(rtmpPort),
  previewPort: Number(previewPort),
  dataDir: dataDir!,
  log: (line, level) => {
    if (level === 'error') process.stderr.write(`[rtmp] ${line}\n`);
  },
});
process.stdout.write(`${JSON.stringify({ ready: true, rtmpUrl: receiver.rtmpUrl })}\n`);
const stop = () => void receiver.close().finally(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// The bench going away (even by SIGKILL) closes this pipe: then go too.
process.stdin.on('close', stop);
process.stdin.resume();
