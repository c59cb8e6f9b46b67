// Dev/test only: EVAL for the embedded Redis store. Runs scripts in fengari (Lua 5.3 in pure JS, synchronous,
// so a script is atomic for free) with `redis.call`/`redis.pcall` bound to the store, converting values with
// Redis's rules. Redis embeds Lua 5.1; the few 5.1 names scripts rely on (unpack, table.getn, math.pow) are
// provided, and tostring prints integral floats without ".0" as 5.1 does.
// fengari ships no types: the reference brings ours into every program that reaches this file.
/// <reference path="./fengari.d.ts" />
import { createHash } from 'node:crypto';
import fengari from 'fengari';
import type { LuaState } from 'fengari';
import type { Reply } from '../redis-reply.ts';
import { RedisError, isStatus } from '../redis-reply.ts';

const { lua, lauxlib, lualib, to_luastring: ls } = fengari;

/** Runs one command on the store for a script; throws RedisError for a command error. */
export type ScriptCall = (args: string[]) => Reply;

const PRELUDE = `
unpack = table.unpack
table.getn = function(t) return #t end
math.pow = function(a, b) return a ^ b end
do
  local raw_tostring, math_type, floor = tostring, math.type, math.floor
  tostring = function(v)
    if math_type(v) == 'float' and v == floor(v) and v > -1e15 and v < 1e15 then
      return string.format('%d', v)
    end
    return raw_tostring(v)
  end
end
redis.LOG_DEBUG, redis.LOG_VERBOSE, redis.LOG_NOTICE, redis.LOG_WARNING = 0, 1, 2, 3
redis.REPL_NONE, redis.REPL_AOF, redis.REPL_REPLICA, redis.REPL_SLAVE, redis.REPL_ALL = 0, 1, 2, 2, 3
redis.error_reply = function(msg) return { err = msg } end
redis.status_reply = function(msg) return { ok = msg } end
redis.log = function() end
redis.setresp = function() end
redis.set_repl = function() end
redis.replicate_commands = function() return true end
`;

export const sha1 = (text: string) => createHash('sha1').update(text, 'utf8').digest('hex');

export class LuaScripts {
  readonly #L: LuaState;
  readonly #refs = new Map<string, number>();

  constructor(call: ScriptCall) {
    this.#L = lauxlib.luaL_newstate();
    const L = this.#L;
    // Only the libraries Redis exposes: no io, os, package or debug.
    for (const [name, open] of [['_G', lualib.luaopen_base], ['table', lualib.luaopen_table], ['string', lualib.luaopen_string], ['math', lualib.luaopen_math]] as const) {
      lauxlib.luaL_requiref(L, ls(name), open, true);
      lua.lua_pop(L, 1);
    }
    for (const name of ['dofile', 'loadfile', 'load', 'require', 'print']) {
      lua.lua_pushnil(L);
      lua.lua_setglobal(L, ls(name));
    }
    lua.lua_createtable(L, 0, 4);
    lua.lua_pushjsfunction(L, (state) => redisCall(state, call, true));
    lua.lua_setfield(L, -2, ls('call'));
    lua.lua_pushjsfunction(L, (state) => redisCall(state, call, false));
    lua.lua_setfield(L, -2, ls('pcall'));
    lua.lua_pushjsfunction(L, (state) => {
      lua.lua_pushstring(state, ls(sha1(lua.lua_tojsstring(state, 1))));
      return 1;
    });
    lua.lua_setfield(L, -2, ls('sha1hex'));
    lua.lua_setglobal(L, ls('redis'));
    if (lauxlib.luaL_loadbuffer(L, ls(PRELUDE), null, ls('=prelude')) !== lua.LUA_OK || lua.lua_pcall(L, 0, 0, 0) !== lua.LUA_OK) {
      throw new Error(`Lua prelude failed: ${lua.lua_tojsstring(L, -1)}`);
    }
  }

  /** Compiles and caches a script (SCRIPT LOAD); returns its SHA1, which EVALSHA uses. */
  load(script: string): string {
    const sha = sha1(script);
    if (this.#refs.has(sha)) return sha;
    // Redis 7 reads a "#!lua flags=..." first line itself; plain Lua would choke on it. Keep the line count.
    const body = script.startsWith('#!') ? script.replace(/^#![^\n]*/, '') : script;
    if (lauxlib.luaL_loadbuffer(this.#L, ls(body), null, ls('@user_script')) !== lua.LUA_OK) {
      const message = lua.lua_tojsstring(this.#L, -1);
      lua.lua_pop(this.#L, 1);
      throw new RedisError(`ERR Error compiling script (new function): ${message}`);
    }
    this.#refs.set(sha, lauxlib.luaL_ref(this.#L, lua.LUA_REGISTRYINDEX));
    return sha;
  }

  has(sha: string): boolean {
    return this.#refs.has(sha.toLowerCase());
  }

  flush(): void {
    for (const ref of this.#refs.values()) lauxlib.luaL_unref(this.#L, lua.LUA_REGISTRYINDEX, ref);
    this.#refs.clear();
  }

  run(sha: string, keys: readonly string[], args: readonly string[]): Reply {
    const L = this.#L;
    const ref = this.#refs.get(sha.toLowerCase());
    if (ref === undefined) throw new RedisError('NOSCRIPT No matching script. Please use EVAL.');
    setArray(L, 'KEYS', keys);
    setArray(L, 'ARGV', args);
    lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, ref);
    const status = lua.lua_pcall(L, 0, 1, 0);
    try {
      if (status !== lua.LUA_OK) throw scriptError(L, sha);
      return toReply(L, -1, true);
    } finally {
      lua.lua_settop(L, 0);
    }
  }
}

function setArray(L: LuaState, name: string, values: readonly string[]): void {
  lua.lua_createtable(L, values.length, 0);
  values.forEach((value, i) => {
    lua.lua_pushstring(L, ls(value));
    lua.lua_rawseti(L, -2, i + 1);
  });
  lua.lua_setglobal(L, ls(name));
}

/** redis.call raises command errors as an {err=...} table (Redis 7); redis.pcall returns that table. */
function redisCall(L: LuaState, call: ScriptCall, raise: boolean): number {
  const args: string[] = [];
  let failure: string | undefined;
  const n = lua.lua_gettop(L);
  if (n === 0) failure = 'ERR Please specify at least one argument for this redis lib call';
  for (let i = 1; i <= n && failure === undefined; i++) {
    const type = lua.lua_type(L, i);
    if (type === lua.LUA_TSTRING) args.push(lua.lua_tojsstring(L, i));
    else if (type === lua.LUA_TNUMBER) args.push(formatNumber(L, i));
    else failure = 'ERR Lua redis lib command arguments must be strings or integers';
  }
  if (failure === undefined) {
    try {
      pushReply(L, call(args));
      return 1;
    } catch (err) {
      if (!(err instanceof RedisError)) throw err;
      failure = err.message;
    }
  }
  lua.lua_createtable(L, 0, 1);
  lua.lua_pushstring(L, ls(failure));
  lua.lua_setfield(L, -2, ls('err'));
  if (raise) lua.lua_error(L);
  return 1;
}

// Redis turns a Lua number argument into the shortest decimal text; integral values print without ".0".
function formatNumber(L: LuaState, index: number): string {
  if (lua.lua_isinteger(L, index)) return String(lua.lua_tointeger(L, index));
  const value = lua.lua_tonumber(L, index);
  return value === Infinity ? 'inf' : value === -Infinity ? '-inf' : String(value);
}

/** Redis reply -> Lua: integer -> number, bulk -> string, nil -> false, status -> {ok=...}, array -> table. */
function pushReply(L: LuaState, reply: Reply): void {
  if (reply === null) lua.lua_pushboolean(L, false);
  else if (typeof reply === 'number') lua.lua_pushinteger(L, reply);
  else if (typeof reply === 'string') lua.lua_pushstring(L, ls(reply));
  else if (Array.isArray(reply)) {
    lua.lua_createtable(L, reply.length, 0);
    reply.forEach((item, i) => {
      pushReply(L, item);
      lua.lua_rawseti(L, -2, i + 1);
    });
  } else if (isStatus(reply)) {
    lua.lua_createtable(L, 0, 1);
    lua.lua_pushstring(L, ls(reply.status));
    lua.lua_setfield(L, -2, ls('ok'));
  }
}

/**
 * Lua -> Redis reply: numbers truncate to integers, true -> 1, false/nil -> nil, {err=} -> error,
 * {ok=} -> status, other tables -> arrays up to the first nil.
 */
function toReply(L: LuaState, index: number, top: boolean): Reply {
  const type = lua.lua_type(L, index);
  if (type === lua.LUA_TNUMBER) {
    return lua.lua_isinteger(L, index) ? lua.lua_tointeger(L, index) : Math.trunc(lua.lua_tonumber(L, index));
  }
  if (type === lua.LUA_TSTRING) return lua.lua_tojsstring(L, index);
  if (type === lua.LUA_TBOOLEAN) return lua.lua_toboolean(L, index) ? 1 : null;
  if (type !== lua.LUA_TTABLE) return null;
  // Callers pass -1; pushing while walking the table would move a relative index, so make it absolute.
  const table = index < 0 ? lua.lua_gettop(L) + 1 + index : index;
  const err = fieldString(L, table, 'err');
  if (err !== undefined) {
    // A nested error in an array is an error element in RESP; only the top level fails the whole EVAL.
    if (top) throw new RedisError(err);
    return null;
  }
  const ok = fieldString(L, table, 'ok');
  if (ok !== undefined) return { status: ok };
  const items: Reply[] = [];
  for (let i = 1; ; i++) {
    if (lua.lua_rawgeti(L, table, i) === lua.LUA_TNIL) {
      lua.lua_pop(L, 1);
      break;
    }
    items.push(toReply(L, -1, false));
    lua.lua_pop(L, 1);
  }
  return items;
}

function fieldString(L: LuaState, table: number, key: string): string | undefined {
  const type = lua.lua_getfield(L, table, ls(key));
  const value = type === lua.LUA_TSTRING ? lua.lua_tojsstring(L, -1) : undefined;
  lua.lua_pop(L, 1);
  return value;
}

function scriptError(L: LuaState, sha: string): RedisError {
  if (lua.lua_type(L, -1) === lua.LUA_TTABLE) {
    const err = fieldString(L, lua.lua_gettop(L), 'err');
    if (err !== undefined) return new RedisError(`${err} script: ${sha}`);
  }
  const message = lua.lua_type(L, -1) === lua.LUA_TSTRING ? lua.lua_tojsstring(L, -1) : 'unknown error';
  return new RedisError(`ERR Error running script: ${message} script: ${sha}`);
}
