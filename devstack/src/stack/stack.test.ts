// The stack's room name: what the demo crowd, the demo chatters, the render node and the chat bridge join. The
// stack itself runs in the e2e tests.
import { describe, expect, it } from 'vitest';
import { workerRoom } from './stack.ts';

describe('workerRoom', () => {
  it("is the Worker's ROOM_NAME as the stack passes it, else wrangler.toml's; a name the Worker refuses fails here", () => {
    expect(workerRoom({})).toBe('main');
    expect(workerRoom({ ROOM_NAME: '' })).toBe('main');
    expect(workerRoom({ ROOM_NAME: 'night-show' })).toBe('night-show');
    expect(() => workerRoom({ ROOM_NAME: 'Night Show' })).toThrow(/^ROOM_NAME "Night Show": /);
  });
});
