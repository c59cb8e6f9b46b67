import { describe, expect, it } from 'vitest';
import { encodeReply } from './base64-reply.ts';

describe('encodeReply', () => {
  it('base64-encodes strings recursively but keeps OK, integers and null', () => {
    const reply = ['héllo', 42, null, [{ status: 'PONG' }, 'OK', ''], { status: 'OK' }];
    expect(encodeReply(reply, true)).toEqual(['aMOpbGxv', 42, null, ['UE9ORw==', 'OK', ''], 'OK']);
  });

  it('leaves strings alone without the encoding header', () => {
    expect(encodeReply(['héllo', { status: 'PONG' }, 7], false)).toEqual(['héllo', 'PONG', 7]);
  });
});
