/**
 * What the Worker refuses before a request reaches the room. Every Durable Object name is a new object with its
 * own storage, so a rogue room name is refused here, before `idFromName` ever runs: only the configured room
 * exists. Tokens and connection ids are checked here too, so a refused client never wakes the room.
 */
import { RenderCapacity, RenderNodeName, type ApiError } from '@stream-fighter/core';
import type { AppConfig } from '../env.ts';
import { ApiException } from '../http/errors.ts';
import { constantTimeEqual } from '../http/constant-time.ts';

/** The party partysocket names (`routePartykitRequest` maps the binding `Arena` to `arena`). */
export const PARTY = 'arena';
export const ROOM_PREFIX = '/parties/';

export type Role = 'viewer' | 'renderer' | 'operator';

/** Tags the room gives its connections: a client-chosen connection id must never pose as one of them. */
export const ROLE_TAGS: ReadonlySet<string> = new Set<Role>(['viewer', 'renderer', 'operator']);

/** partysocket sends a UUID as `_pk`; anything with a ':' could pose as an address tag (limits.ts). */
const CONNECTION_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function isRoomPath(url: URL): boolean {
  return url.pathname === ROOM_PREFIX.slice(0, -1) || url.pathname.startsWith(ROOM_PREFIX);
}

/** Throws the 4xx for a request the room must not see; returns the role of one it may. */
export function admitToRoom(request: Request, config: AppConfig): Role {
  const url = new URL(request.url);
  const parts = url.pathname.split('/').filter(Boolean);
  if (parts.length !== 3 || parts[1] !== PARTY || parts[2] !== config.ROOM_NAME) {
    throw new ApiException(404, 'not-found', `no room at ${url.pathname.slice(0, 120)}; the room is ${ROOM_PREFIX}${PARTY}/${config.ROOM_NAME}`);
  }
  if (request.method !== 'GET' || request.headers.get('upgrade')?.toLowerCase() !== 'websocket') {
    throw new ApiException(426, 'upgrade-required', 'the room speaks WebSocket only (GET with Upgrade: websocket)');
  }
  const id = url.searchParams.get('_pk');
  if (id !== null && (!CONNECTION_ID.test(id) || ROLE_TAGS.has(id))) {
    throw new ApiException(400, 'bad-connection-id', 'connection id (_pk) must be 1-64 letters, digits, _ or -');
  }
  const role = roleOf(url);
  if (!role) throw new ApiException(400, 'bad-role', 'role must be viewer, renderer or operator');
  if (!tokenAllowed(role, url, config)) throw new ApiException(401, 'unauthorized', `${role} token missing or wrong`);
  if (role === 'renderer') checkRendererParams(url);
  return role;
}

/** A render node's name and capacity (render-leases.ts), when it gives them: malformed ones are a 400, not a guess. */
function checkRendererParams(url: URL): void {
  for (const [name, schema] of [['node', RenderNodeName], ['capacity', RenderCapacity]] as const) {
    const value = url.searchParams.get(name);
    const parsed = value === null ? null : schema.safeParse(value);
    if (parsed && !parsed.success) throw new ApiException(400, `bad-${name}`, `${name}: ${parsed.error.issues[0]?.message ?? 'malformed'}`);
  }
}

/** The role a connection URL asks for, or null for an unknown one. */
export function roleOf(url: URL): Role | null {
  const role = url.searchParams.get('role') ?? 'viewer';
  return ROLE_TAGS.has(role) ? (role as Role) : null;
}

/** Renderers and operators show their token; viewers connect freely. */
export function tokenAllowed(role: Role, url: URL, config: AppConfig): boolean {
  if (role === 'viewer') return true;
  const token = url.searchParams.get('token') ?? '';
  return constantTimeEqual(token, role === 'renderer' ? config.RENDERER_TOKEN : config.OPERATOR_TOKEN);
}

/** The JSON error every refusal at the edge answers with (the Hono app's onError does the same for its routes). */
export function refusal(e: ApiException): Response {
  return Response.json({ error: { code: e.code, message: e.message } } satisfies ApiError, { status: e.status });
}
