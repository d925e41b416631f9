// This user's change requests (edit, delete, react) in one room that have no answer yet, kept in
// the store like the outbox so that neither a reconnect nor a reload loses them. Changes are
// last-writer-wins (protocol.md 10.6): a message's next change goes out only after its previous one
// was answered, so a resend of an old edit can never overwrite a newer one. No DOM, no timers.

import { newClientMessageId } from './protocol.mjs';
import { keys } from './storage.mjs';

const PREFIX = { editMessage: 'e', deleteMessage: 'd', react: 'r' };

/** The frame of a change (10.2); clientMessageId correlates the answer, it is not an idempotency key. */
export function changeFrame({ action, seq, text, emoji, op, clientMessageId }) {
  if (action === 'editMessage') return { action, seq, text, clientMessageId };
  if (action === 'react') return { action, seq, emoji, op, clientMessageId };
  return { action, seq, clientMessageId };
}

export class ChangeQueue {
  #store;
  #key;
  #entries;               // held here too: a full or disabled storage only costs the reload
  #inFlight = new Set();   // clientMessageIds sent on the current socket, not answered yet

  constructor(store, room) {
    this.#store = store;
    this.#key = keys.changes(room);
    const saved = store.json(this.#key, []);
    this.#entries = Array.isArray(saved) ? saved.filter(e => Number.isInteger(e?.seq) && PREFIX[e.action]) : [];
  }

  /** Every change without an answer, in the order made: { clientMessageId, seq, action, text?, emoji?, op?, status, reason? }. */
  list() {
    return [...this.#entries];
  }

  forSeq(seq) {
    return this.list().filter(e => e.seq === seq);
  }

  /** Queues a change ({ seq, action, text } or { seq, action, emoji, op }); it waits its turn (due()). */
  add(change) {
    const entry = { ...change, clientMessageId: newClientMessageId(undefined, undefined, PREFIX[change.action]), status: 'pending' };
    this.#save([...this.list(), entry]);
    return entry;
  }

  /**
   * The changes to send now: for each message, its first pending change, unless that one is
   * already on its way. They count as on their way from here on.
   */
  due() {
    const heads = new Map();
    for (const entry of this.list()) {
      if (entry.status === 'pending' && !heads.has(entry.seq)) heads.set(entry.seq, entry);
    }
    const due = [...heads.values()].filter(e => !this.#inFlight.has(e.clientMessageId));
    due.forEach(e => this.#inFlight.add(e.clientMessageId));
    return due;
  }

  /** Whether a change is still waiting for its answer. */
  isWaiting(clientMessageId) {
    return this.list().some(e => e.clientMessageId === clientMessageId && e.status === 'pending');
  }

  /** An updateAck: the change is done. Returns its entry, or null if it is not one of these. */
  answered(clientMessageId) {
    return this.#take(clientMessageId);
  }

  /**
   * An error frame: the change is kept as failed, with the reason (and whether sending it again
   * could help), until retried or discarded; the next change of its message goes ahead.
   */
  failed(clientMessageId, reason, retriable = true) {
    const entries = this.list();
    const entry = entries.find(e => e.clientMessageId === clientMessageId);
    if (!entry) return null;
    this.#inFlight.delete(clientMessageId);
    Object.assign(entry, { status: 'failed', reason, retriable });
    this.#save(entries);
    return entry;
  }

  /** Queues a failed change again, after the changes made since. */
  retry(clientMessageId) {
    const entries = this.list();
    const entry = entries.find(e => e.clientMessageId === clientMessageId && e.status === 'failed');
    if (!entry) return null;
    const { reason: _, retriable: __, ...change } = entry;
    const again = { ...change, status: 'pending' };
    this.#save([...entries.filter(e => e !== entry), again]);
    return again;
  }

  discard(clientMessageId) {
    return this.#take(clientMessageId);
  }

  /** The socket is gone: whatever was on its way is sent again once the next one is ready. */
  disconnected() {
    this.#inFlight.clear();
  }

  /** Removes a change from the queue; its entry, or null when there is none. */
  #take(clientMessageId) {
    const entries = this.list();
    const entry = entries.find(e => e.clientMessageId === clientMessageId);
    if (!entry) return null;
    this.#inFlight.delete(clientMessageId);
    this.#save(entries.filter(e => e !== entry));
    return entry;
  }

  #save(entries) {
    this.#entries = entries;
    this.#store.setJson(this.#key, entries.length ? entries : null);
  }
}
