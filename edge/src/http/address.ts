/**
 * Where a request comes from, in the only forms the edge keeps: an address prefix (IPv4 whole, IPv6 its /64,
 * since one subscriber or one cloud box holds a whole /64) and a keyed hash of it. The raw address is never
 * stored: rate-limit keys, per-round caps and logs use the hash, which rotates with the key and expires with them.
 */
import type { AppConfig } from '../env.ts';
import { hex, hmac } from './hmac.ts';

/** The caller's address as Cloudflare saw it (the local runners set it too; 'local' when absent). */
export function clientAddress(headers: { get(name: string): string | null }): string {
  return headers.get('cf-connecting-ip')?.trim() || 'local';
}

/** Expand an IPv6 address to its eight 16-bit groups, or null when it is not one. */
function ipv6Groups(ip: string): number[] | null {
  let s = ip.toLowerCase().replace(/^\[|\]$/g, '').split('%')[0]!;
  // An IPv4-mapped tail (::ffff:1.2.3.4) becomes two groups.
  const v4 = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (v4) {
    const o = v4.slice(1).map(Number);
    if (o.some((n) => n > 255)) return null;
    s = `${s.slice(0, v4.index)}${((o[0]! << 8) | o[1]!).toString(16)}:${((o[2]! << 8) | o[3]!).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const parse = (part: string) => (part ? part.split(':') : []);
  const head = parse(halves[0]!);
  const tail = halves.length === 2 ? parse(halves[1]!) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (!groups.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return null;
  return groups.map((g) => parseInt(g, 16));
}

/** The unit the per-address limits count: an IPv4 address, or an IPv6 /64 (`2001:db8:1:2::/64`). */
export function addressPrefix(ip: string): string {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(ip)) return ip;
  const groups = ipv6Groups(ip);
  if (!groups) return ip.slice(0, 64);
  // An IPv4-mapped IPv6 address is that IPv4 address.
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return [groups[6]! >> 8, groups[6]! & 255, groups[7]! >> 8, groups[7]! & 255].join('.');
  }
  return `${groups.slice(0, 4).map((g) => g.toString(16)).join(':')}::/64`;
}

/** A keyed hash of the caller's prefix (hex, 128 bits): what the edge may store about where a vote came from. */
export async function addressKey(config: Pick<AppConfig, 'VOTER_SECRET'>, ip: string): Promise<string> {
  return hex((await hmac(`address:${config.VOTER_SECRET}`, addressPrefix(ip))).subarray(0, 16));
}
