import { describe, expect, it } from 'vitest';
import { findFfmpeg } from './find-ffmpeg.ts';

describe('findFfmpeg', () => {
  it('prefers FFMPEG_PATH', () => {
    expect(findFfmpeg({ FFMPEG_PATH: '/bin/sh', PATH: '/usr/bin' })).toBe('/bin/sh');
  });

  it('rejects an FFMPEG_PATH that is not executable', () => {
    expect(() => findFfmpeg({ FFMPEG_PATH: '/nonexistent/ffmpeg', PATH: '/usr/bin' })).toThrow(/FFMPEG_PATH=\/nonexistent\/ffmpeg/);
  });

  it('falls back to PATH', () => {
    expect(findFfmpeg({ PATH: '/nonexistent:/usr/bin' }, 'sh')).toBe('/usr/bin/sh');
  });

  it('names both places when neither has it', () => {
    expect(() => findFfmpeg({ PATH: '/nonexistent' })).toThrow(/FFMPEG_PATH.*PATH/);
  });
});
