/**
 * Whether this browser holds a voter session, for pages the Worker does not fill in. The session cookie is
 * HttpOnly, so a page cannot see it; the vote page learns it from the Worker (boot.session) or from a first vote
 * or bet, and leaves this hint. /results asks GET /api/me only with the hint: without a session it would only be
 * told 401. A hint that is wrong (the session expired) costs one 401, after which the page drops it.
 */
const KEY = 'sf-session';

export function rememberSession(): void {
  try {
    localStorage.setItem(KEY, '1');
  } catch {
    // storage blocked: other pages just will not know
  }
}

export function forgetSession(): void {
  try {
    localStorage.removeItem(KEY);
  } catch {
    // storage blocked
  }
}

export function mayHaveSession(): boolean {
  try {
    return localStorage.getItem(KEY) === '1';
  } catch {
    return false;
  }
}
