/** Small shared checks for the service tests: PNG headers, child processes. */
import { readdirSync, readFileSync } from 'node:fs';
import { readConfig, type Config } from '../../src/service/config.ts';

export const TOKEN = 'renderer-token-for-tests-0123';

/** A config as the process would parse it, drawn small (640x360) so tests spend little CPU. */
export function testConfig(env: Record<string, string> = {}): Config {
  return { ...readConfig({ RENDERER_TOKEN: TOKEN, HTTP_PORT: '0', ...env }), width: 640, height: 360 };
}

export function pngSize(buf: Buffer): { width: number; height: number } {
  const magic = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (!buf.subarray(0, 8).equals(magic)) throw new Error('not a PNG: bad signature');
  if (buf.toString('latin1', 12, 16) !== 'IHDR') throw new Error('not a PNG: first chunk is not IHDR');
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

/** Processes below `root` (pid, state letter, command line). */
export function descendants(root: number): Array<{ pid: number; state: string; cmd: string }> {
  const table: Array<{ pid: number; ppid: number; state: string; cmd: string }> = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      table.push({ pid: Number(name), ppid: Number(f[1]), state: f[0]!, cmd: readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ').trim() });
    } catch {
      // gone while we looked
    }
  }
  const out: Array<{ pid: number; state: string; cmd: string }> = [];
  const frontier = [root];
  while (frontier.length) {
    const parent = frontier.pop()!;
    for (const p of table) if (p.ppid === parent) (out.push(p), frontier.push(p.pid));
  }
  return out;
}

export const ffmpegChildren = (root = process.pid) => descendants(root).filter((p) => /(^|\/)ffmpeg /.test(p.cmd));
