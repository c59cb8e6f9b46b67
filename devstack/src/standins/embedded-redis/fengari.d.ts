// Dev/test only: the small part of fengari (a Lua 5.3 VM in JavaScript, no types of its own) that
// lua-scripts.ts, beside it, uses.
declare module 'fengari' {
  export type LuaState = { readonly __luaState: unique symbol };
  export type LuaString = Uint8Array;
  export type LuaJsFunction = (L: LuaState) => number;

  export function to_luastring(text: string): LuaString;
  export function to_jsstring(text: LuaString): string;

  export const lua: {
    LUA_OK: number;
    LUA_TNIL: number;
    LUA_TBOOLEAN: number;
    LUA_TNUMBER: number;
    LUA_TSTRING: number;
    LUA_TTABLE: number;
    LUA_REGISTRYINDEX: number;
    lua_gettop(L: LuaState): number;
    lua_settop(L: LuaState, index: number): void;
    lua_pop(L: LuaState, n: number): void;
    lua_type(L: LuaState, index: number): number;
    lua_pushnil(L: LuaState): void;
    lua_pushboolean(L: LuaState, value: boolean): void;
    lua_pushinteger(L: LuaState, value: number): void;
    lua_pushnumber(L: LuaState, value: number): void;
    lua_pushstring(L: LuaState, value: LuaString): void;
    lua_pushjsfunction(L: LuaState, fn: LuaJsFunction): void;
    lua_createtable(L: LuaState, narr: number, nrec: number): void;
    lua_setfield(L: LuaState, index: number, key: LuaString): void;
    lua_getfield(L: LuaState, index: number, key: LuaString): number;
    lua_rawseti(L: LuaState, index: number, n: number): void;
    lua_rawgeti(L: LuaState, index: number, n: number): number;
    lua_setglobal(L: LuaState, name: LuaString): void;
    lua_toboolean(L: LuaState, index: number): boolean;
    lua_tonumber(L: LuaState, index: number): number;
    lua_isinteger(L: LuaState, index: number): boolean;
    lua_tointeger(L: LuaState, index: number): number;
    lua_tojsstring(L: LuaState, index: number): string;
    lua_pcall(L: LuaState, nargs: number, nresults: number, msgh: number): number;
    lua_error(L: LuaState): never;
    lua_close(L: LuaState): void;
  };

  export const lauxlib: {
    luaL_newstate(): LuaState;
    luaL_requiref(L: LuaState, name: LuaString, open: LuaJsFunction, global: boolean): void;
    luaL_loadbuffer(L: LuaState, source: LuaString, size: number | null, chunkname: LuaString): number;
    luaL_ref(L: LuaState, table: number): number;
    luaL_unref(L: LuaState, table: number, ref: number): void;
  };

  export const lualib: {
    luaopen_base: LuaJsFunction;
    luaopen_table: LuaJsFunction;
    luaopen_string: LuaJsFunction;
    luaopen_math: LuaJsFunction;
  };
}
