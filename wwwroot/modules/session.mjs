// The guest session (POST /api/sessions) and the user ids this browser has had.

import { keys } from './storage.mjs';

/** A session is renewed this long before it expires, so that a connect never races its expiry. */
export const RENEW_MARGIN_MS = 60_000;
/** Own user ids kept, to mark own messages from before a session renewal. */
const MY_IDS_KEPT = 20;

export function isFresh(session, now = Date.now()) {
  return Boolean(session) && Date.parse(session.expiresAt) - RENEW_MARGIN_MS > now;
}

export class Sessions {
  #store;
  #api;

  #providerToken;

  /** providerToken() is the provider's ID token of this tab's sign-in, or null. */
  constructor(store, api, providerToken = () => null) {
    this.#store = store;
    this.#api = api;
    this.#providerToken = providerToken;
  }

  /** The remembered session, or null. */
  saved() {
    return this.#store.json(keys.session, null);
  }

  /** A new guest session under this name, remembered along with its user id. */
  async create(name) {
    return this.adopt(await this.#api.createSession(name));
  }

  /** Remembers a session got elsewhere (a member's, from the provider's ID token), and its user id. */
  adopt(session) {
    this.#store.setJson(keys.session, session);
    const ids = this.#store.json(keys.myIds, []);
    if (!ids.includes(session.userId)) this.#store.setJson(keys.myIds, [...ids, session.userId].slice(-MY_IDS_KEPT));
    return session;
  }

  /** The remembered member session (signed in with the provider), or null. */
  member() {
    const session = this.saved();
    return session?.kind === 'member' ? session : null;
  }

  /** Forgets the remembered session (signing out); the user ids stay, to mark old messages as own. */
  forget() {
    this.#store.set(keys.session, null);
  }

  /**
   * A new session for the same user: a guest gets one under the same name; a member's is
   * exchanged again for the provider's ID token, which fails once that has expired (sign in again).
   */
  async renew(session) {
    if (session?.kind !== 'member') return this.create(session.name);
    const idToken = this.#providerToken();
    if (!idToken) throw new Error('the sign-in has ended; sign in again');
    return this.adopt(await this.#api.exchangeIdToken(idToken));
  }

  /** The remembered session if it is fresh and has this name, else a new one. */
  async forName(name, now = Date.now()) {
    const session = this.saved();
    return isFresh(session, now) && session.name === name ? session : this.create(name);
  }

  /** Whether a user id is, or was, this browser's. */
  isMine(userId) {
    return this.#store.json(keys.myIds, []).includes(userId);
  }
}
