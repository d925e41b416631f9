// Messages without an ack, per room, kept in the store so that neither a reconnect nor a reload
// loses them: each is re-sent with its original clientMessageId, which the server deduplicates.

import { keys } from './storage.mjs';

export class Outbox {
  #store;
  #key;

  constructor(store, room) {
    this.#store = store;
    this.#key = keys.outbox(room);
  }

  /** Entries in the order they were first put: { clientMessageId, text, failed? }. */
  list() {
    const entries = this.#store.json(this.#key, []);
    return Array.isArray(entries) ? entries : [];
  }

  /** Adds an entry at the end, replacing any with the same clientMessageId. */
  put(entry) {
    const entries = this.list().filter(e => e.clientMessageId !== entry.clientMessageId);
    entries.push(entry);
    this.#store.setJson(this.#key, entries);
  }

  remove(clientMessageId) {
    const entries = this.list().filter(e => e.clientMessageId !== clientMessageId);
    this.#store.setJson(this.#key, entries.length ? entries : null);
  }
}
