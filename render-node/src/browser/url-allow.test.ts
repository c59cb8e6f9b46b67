import { describe, expect, it } from 'vitest';
import { pageAllowed } from './url-allow.ts';

describe('pageAllowed', () => {
  const origins = ['https://sf.example', 'http://127.0.0.1:8787'];
  it('takes a page from an allowed origin, whatever its path and query', () => {
    expect(pageAllowed('https://sf.example/scene?room=main', origins)).toBe(true);
    expect(pageAllowed('http://127.0.0.1:8787/', origins)).toBe(true);
  });
  it('refuses another scheme, host or port, and what is not a URL', () => {
    expect(pageAllowed('http://sf.example/scene', origins)).toBe(false);
    expect(pageAllowed('https://sf.example:444/', origins)).toBe(false);
    expect(pageAllowed('https://sf.example.evil.test/', origins)).toBe(false);
    expect(pageAllowed('http://127.0.0.1:8788/', origins)).toBe(false);
    expect(pageAllowed('file:///etc/passwd', origins)).toBe(false);
    expect(pageAllowed('not a url', origins)).toBe(false);
  });
});
