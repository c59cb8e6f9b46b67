/**
 * Who may hold a WebSocket on the room, decided again inside it: the Worker refuses the same before the upgrade
 * (gate.ts), and this covers a request routed straight to the object. Renderers and operators show their token;
 * viewers connect freely and are counted against their address.
 */
import type { Connection } from 'partyserver';
import type { AppConfig } from '../env.ts';
import { addressKey, clientAddress } from '../http/address.ts';
import { ROLE_TAGS, roleOf, tokenAllowed, type Role } from './gate.ts';
import { CLOSE, addressTag, addressTagOf } from './limits.ts';

/** Why a connection is closed, and the warn line it is worth when the Worker could not have refused it first. */
export interface Refusal {
  close: number;
  code: string;
  message: string;
  warn?: { event: string; fields: Record<string, unknown> };
}

/** The tags a connection is accepted with: its role, and a viewer's address tag (a keyed hash, never the address). */
export async function connectionTags(request: Request, config: AppConfig): Promise<string[]> {
  const role = roleOf(new URL(request.url)) ?? 'viewer';
  // Only viewers count against their address: renderers and operators hold a token.
  if (role !== 'viewer') return [role];
  return [role, addressTag(await addressKey(config, clientAddress(request.headers)))];
}

/**
 * The role of a connection just accepted, or why it must be closed. The address cap is counted after the accept
 * (`connectionsTagged` includes this one), so two connections racing in cannot both take the last place.
 */
export function admitConnection(
  conn: Connection,
  request: Request,
  config: AppConfig,
  connectionsTagged: (tag: string) => number,
): { role: Role } | { refused: Refusal } {
  const url = new URL(request.url);
  const role = roleOf(url);
  if (!role || ROLE_TAGS.has(conn.id) || !tokenAllowed(role, url, config)) {
    return { refused: { close: CLOSE.unauthorized, code: 'unauthorized', message: 'role, token or connection id refused' } };
  }
  const tag = addressTagOf(conn.tags);
  const cap = config.WS_CONNECTIONS_PER_ADDRESS;
  if (tag && connectionsTagged(tag) > cap) {
    const warn = { event: 'ws.address-cap', fields: { cap } };
    return { refused: { close: CLOSE.tooManyConnections, code: 'too-many-connections', message: `at most ${cap} connections per address`, warn } };
  }
  return { role };
}

/** The role tag the room gave a connection (gate.ts keeps connection ids from posing as one). */
export function roleOfConnection(conn: Connection): Role {
  return conn.tags.includes('renderer') ? 'renderer' : conn.tags.includes('operator') ? 'operator' : 'viewer';
}
