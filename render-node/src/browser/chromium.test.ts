import { describe, expect, it } from 'vitest';
import { DEFAULT_CHROMIUM_PATH, chromiumLaunch } from './chromium.ts';

describe('chromiumLaunch', () => {
  it('uses CHROMIUM_PATH, else the Debian package', () => {
    expect(chromiumLaunch({ CHROMIUM_PATH: '/opt/chrome/chrome' }, 1000).executablePath).toBe('/opt/chrome/chrome');
    expect(chromiumLaunch({}, 1000).executablePath).toBe(DEFAULT_CHROMIUM_PATH);
    expect(chromiumLaunch({ CHROMIUM_PATH: '' }, 1000).executablePath).toBe(DEFAULT_CHROMIUM_PATH);
  });

  it('turns the sandbox off only for root', () => {
    expect(chromiumLaunch({}, 0).args).toContain('--no-sandbox');
    expect(chromiumLaunch({}, 1000).args).not.toContain('--no-sandbox');
    expect(chromiumLaunch({}, null).args).not.toContain('--no-sandbox');
  });

  it('keeps a page nobody looks at from being throttled as a hidden one', () => {
    expect(chromiumLaunch({}, 1000).args).toEqual(expect.arrayContaining(['--disable-renderer-backgrounding', '--disable-background-timer-throttling']));
  });
});
