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

  constructor(store, api) {
    this.#store = store;
    this.#api = api;
  }

  /** The remembered session, or null. */
  saved() {
    return this.#store.json(keys.session, null);
  }

  /** A new session under this name, remembered along with its user id. */
  async create(name) {
    const session = await this.#api.createSession(name);
    this.#store.setJson(keys.session, session);
    const ids = this.#store.json(keys.myIds, []);
    if (!ids.includes(session.userId)) this.#store.setJson(keys.myIds, [...ids, session.userId].slice(-MY_IDS_KEPT));
    return session;
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
