// Dev/test only: lets Lua scripts written for Upstash run on an older real Redis. @upstash/ratelimit's scripts
// start with "#!lua flags=allow-key-locking", a flag Upstash accepts but Redis 7.0 rejects ("Unexpected flag
// in script shebang"). When the server rejects a flag, it is dropped from that and later scripts, and the
// client's SHA (computed over the original text) is mapped to the SHA of the text the server really stored,
// so EVALSHA keeps hitting the script cache.
import { createHash } from 'node:crypto';

const sha1 = (text: string) => createHash('sha1').update(text, 'utf8').digest('hex');
const UNEXPECTED_FLAG = /Unexpected flag in script shebang: (\S+)/;

export class ScriptCompat {
  readonly #unsupported = new Set<string>();
  readonly #aliases = new Map<string, string>();

  /** The command to send: scripts without the flags this server rejects, known SHAs translated. */
  prepare(command: readonly string[]): string[] {
    const [name = '', ...args] = command;
    const lower = name.toLowerCase();
    if ((lower === 'eval' || lower === 'eval_ro') && args[0] !== undefined) return [name, this.#rewrite(args[0]), ...args.slice(1)];
    if ((lower === 'evalsha' || lower === 'evalsha_ro') && args[0] !== undefined) {
      return [name, this.#aliases.get(args[0].toLowerCase()) ?? args[0], ...args.slice(1)];
    }
    if (lower === 'script' && args[0]?.toLowerCase() === 'load' && args[1] !== undefined) return [name, args[0], this.#rewrite(args[1])];
    if (lower === 'script' && args[0]?.toLowerCase() === 'exists') {
      return [name, args[0], ...args.slice(1).map((sha) => this.#aliases.get(sha.toLowerCase()) ?? sha)];
    }
    return [...command];
  }

  /** Learns from a server error; true when the command is worth preparing and sending again. */
  learn(message: string): boolean {
    const flag = UNEXPECTED_FLAG.exec(message)?.[1];
    if (flag === undefined) return false;
    // Concurrent scripts may all fail on the same flag before the first one learns it: each is worth a retry.
    this.#unsupported.add(flag);
    return true;
  }

  #rewrite(script: string): string {
    if (!script.startsWith('#!') || this.#unsupported.size === 0) return script;
    const newline = script.indexOf('\n');
    const shebang = newline === -1 ? script : script.slice(0, newline);
    const rewritten = shebang.replace(/flags=(\S*)/, (_all, list: string) => {
      const kept = list.split(',').filter((f) => f && !this.#unsupported.has(f));
      return `flags=${kept.join(',')}`;
    });
    if (rewritten === shebang) return script;
    const result = rewritten + (newline === -1 ? '' : script.slice(newline));
    this.#aliases.set(sha1(script), sha1(result));
    return result;
  }
}
