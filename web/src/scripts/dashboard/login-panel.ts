/**
 * Sign in and out: the operator token is checked against the API, then kept in sessionStorage (gone when the tab
 * closes) and sent as Bearer. The server checks it on every call; this only decides which half of the page shows.
 */
import { ApiCallError, apiCall } from '../../lib/http.ts';
import { $, none, reason, type Message, type Words } from './context.ts';

const TOKEN_KEY = 'sf-operator-token';

export interface Login {
  /** The signed-in token, or null. */
  readonly token: string | null;
  signIn(candidate: string): Promise<boolean>;
  signOut(message?: Message): void;
  redraw(): void;
}

export function mountLogin(words: Words, session: { onSignedIn(): void; onSignedOut(): void }): Login {
  let token: string | null = sessionStorage.getItem(TOKEN_KEY);
  let loginError: Message = none;

  function setLoginError(msg: Message): void {
    loginError = msg;
    $('login-error').textContent = msg(words.t);
  }

  async function signIn(candidate: string): Promise<boolean> {
    try {
      await apiCall('GET', '/api/poll/queue', { token: candidate });
    } catch (e) {
      const why = reason(e);
      setLoginError(e instanceof ApiCallError && e.status === 401 ? (t) => t('dash.tokenRefused') : (t) => t('dash.tokenCheckFailed', { reason: why }));
      return false;
    }
    token = candidate;
    sessionStorage.setItem(TOKEN_KEY, candidate);
    setLoginError(none);
    $('login').hidden = true;
    $('panel').hidden = false;
    session.onSignedIn();
    return true;
  }

  function signOut(message: Message = none): void {
    token = null;
    sessionStorage.removeItem(TOKEN_KEY);
    session.onSignedOut();
    $('panel').hidden = true;
    $('login').hidden = false;
    setLoginError(message);
  }

  $('login').addEventListener('submit', (e) => {
    e.preventDefault();
    const value = $<HTMLInputElement>('token').value.trim();
    if (!value) {
      setLoginError((t) => t('dash.tokenMissing'));
      return;
    }
    void signIn(value);
  });
  $('signout').addEventListener('click', () => signOut());

  return {
    get token() {
      return token;
    },
    signIn,
    signOut,
    redraw: () => {
      $('login-error').textContent = loginError(words.t);
    },
  };
}
