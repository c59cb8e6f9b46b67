// Dev/test only: parses Upstash REST bodies. @upstash/redis sends each command as a JSON array whose
// arguments keep their JSON types (strings, numbers, booleans); Redis only knows strings, so they become text.
import { BadRequest } from './http-util.ts';

export function parseCommand(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0) throw new BadRequest('ERR a command must be a non-empty JSON array');
  return value.map((arg: unknown) => {
    if (typeof arg === 'string') return arg;
    if (typeof arg === 'number' || typeof arg === 'boolean') return String(arg);
    throw new BadRequest('ERR command arguments must be strings, numbers or booleans');
  });
}

export function parseCommands(value: unknown): string[][] {
  if (!Array.isArray(value) || value.length === 0) throw new BadRequest('ERR body must be a non-empty JSON array of commands');
  return value.map(parseCommand);
}
