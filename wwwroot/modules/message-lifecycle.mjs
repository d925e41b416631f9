// Messages that change (protocol.md section 10, v1.1), for one joined room: keeps each message's
// newest state, sends this user's edits, deletes and reactions one at a time per message (resent
// after a reconnect), catches up changes by revision, fetches reply targets that are not loaded, and
// tells the lifecycle view what each message should show. No DOM: it reaches the page through views.

import { ChangeQueue, changeFrame } from './change-queue.mjs';
import { MessageStates, RevisionTracker, mayDelete, mayEdit, mayRespond, project } from './message-states.mjs';
import { checkText, failureReason, isRetriable } from './protocol.mjs';

const CHANGES_PAGE = 100;
/** A live change that skips a revision waits this long for the missing one before asking changedSince. */
const GAP_WAIT_MS = 1000;
/** Code points of a quoted text shown above a reply. */
const SNIPPET_LENGTH = 90;

/** The start of a text on one line, for a quote. */
export function snippet(text) {
  const line = text.replace(/\s+/g, ' ').trim();
  const points = [...line];
  return points.length > SNIPPET_LENGTH ? `${points.slice(0, SNIPPET_LENGTH - 1).join('')}…` : line;
}

export class MessageLifecycle {
  #room;
  #api;
  #connection;
  #views;
  #isMe;
  #loadOlder;
  #states = new MessageStates();
  #revision = new RevisionTracker();
  #queue;
  #replyingTo = null;
  #pendingReplies = new Map();   // clientMessageId of an unacknowledged send -> the seq it replies to
  #fetching = new Set();         // reply targets being read
  #unavailable = new Set();      // reply targets the server could not give (expired, or the read failed)
  #gapTimer = null;
  #left = false;

  /**
   * @param options.room the RoomState (name, shown seqs, role, hasOlder, lowestSeq)
   * @param options.connection the room's Connection: sendChange, ready, and its 'ready' and 'state' events
   * @param options.views { lifecycle, reply }
   * @param options.isMe userId => whether it is this user's
   * @param options.loadOlder async () => reads the next older history page
   */
  constructor({ room, api, connection, store, views, isMe, loadOlder }) {
    this.#room = room;
    this.#api = api;
    this.#connection = connection;
    this.#views = views;
    this.#isMe = isMe;
    this.#loadOlder = loadOlder;
    this.#queue = new ChangeQueue(store, room.name);
    connection.addEventListener('ready', () => this.#sendDue());
    connection.addEventListener('state', event => {
      if (event.detail !== 'connected') this.#queue.disconnected();
    });
  }

  /** The room revision up to which every change is applied (null before the first page). */
  get revision() { return this.#revision.value; }

  leave() {
    this.cancelReply();
    this.#left = true;
    clearTimeout(this.#gapTimer);
  }

  // --- What the server says -------------------------------------------------------------------

  /**
   * A message's state from any source (a live message, an ack, a history page); fresh when it has
   * just been added to the list, so that it is drawn whatever its version.
   */
  received(message, fresh = false) {
    if (message.clientMessageId) this.#pendingReplies.delete(message.clientMessageId);
    const changed = this.#apply(message);
    if (fresh && !changed) this.#render(message.seq);
  }

  /** The first history page loaded: every change up to its revision is in it (10.8). */
  firstPage(page) {
    this.#revision.caughtUpTo(page.revision);
  }

  /** After new messages were caught up by seq: the changes since the revision held, until there are no more (10.8). */
  async catchUp() {
    while (this.#revision.value !== null && !this.#left) {
      const since = this.#revision.value;
      const page = await this.#api.messages(this.#room.name, { changedSince: since, limit: CHANGES_PAGE });
      if (this.#left) return;
      page.messages.forEach(m => this.#apply(m));
      this.#revision.caughtUpTo(page.revision);
      // A page that moved nothing forward would be asked for again and again.
      if (!page.hasMore || !(page.revision > since)) break;
    }
  }

  /** A live messageUpdated: apply it, and read the changes missed when its revision skips some. */
  onUpdated(frame) {
    if (frame.room !== undefined && frame.room !== this.#room.name) return;
    this.#apply(frame);
    if (this.#revision.noteLive(frame.revision) !== 'gap' || this.#gapTimer) return;
    // Out of order or lost (possible with AWS fan-out): give it a moment, then ask once.
    this.#gapTimer = setTimeout(() => {
      this.#gapTimer = null;
      if (!this.#left && this.#revision.hasGap && this.#connection.ready) this.catchUp().catch(() => {});
    }, GAP_WAIT_MS);
  }

  /** The answer to one of this user's changes: it is done, and the message's next change may go. */
  onUpdateAck(frame) {
    const entry = this.#queue.answered(frame.clientMessageId);
    if (frame.message) this.#apply(frame.message);
    if (entry) {
      this.#render(entry.seq);
      this.#sendDue();
    }
  }

  /** An error frame: true when it answers one of this user's changes (then shown as failed). */
  onError(frame) {
    const entry = frame.clientMessageId && this.#queue.failed(frame.clientMessageId, failureReason(frame), isRetriable(frame.code));
    if (!entry) return false;
    this.#render(entry.seq);
    this.#sendDue();
    return true;
  }

  // --- What this user does ----------------------------------------------------------------------

  /** Edits a message inline; false (nothing sent) when the text may not be sent or the message not edited. */
  edit(seq, raw) {
    const view = this.#viewOf(seq);
    if (!view || !mayEdit(view.shown, this.#isMe)) return false;
    const { text, sendable } = checkText(raw);
    if (!sendable) return false;
    if (text !== view.model.text) this.#change({ seq, action: 'editMessage', text });
    return true;
  }

  /** Deletes a message (the view asked for a confirmation first). */
  remove(seq) {
    const view = this.#viewOf(seq);
    if (!view || !mayDelete(view.shown, this.#isMe, this.#room.role)) return false;
    this.#change({ seq, action: 'deleteMessage' });
    return true;
  }

  /** Adds this user's reaction, or takes it back when it is there. */
  react(seq, emoji) {
    const view = this.#viewOf(seq);
    if (!view || !mayRespond(view.shown)) return false;
    const mine = view.model.reactions.some(r => r.emoji === emoji && r.mine);
    this.#change({ seq, action: 'react', emoji, op: mine ? 'remove' : 'add' });
    return true;
  }

  /**
   * What this user may do changed (their role in the room, RoomState.role, issue 18): every
   * message is drawn again with its actions.
   */
  refresh() {
    for (const seq of this.#room.seqs) this.#render(seq);
  }

  /** Up arrow in an empty composer: edits this user's newest editable message; false when there is none. */
  editLast() {
    const seq = this.#states.lastEditable(this.#isMe, this.#room.seqs);
    if (seq === null) return false;
    this.#views.lifecycle.startEdit(seq);
    return true;
  }

  retryChange(clientMessageId) {
    const entry = this.#queue.retry(clientMessageId);
    if (!entry) return;
    this.#render(entry.seq);
    this.#sendDue();
  }

  discardChange(clientMessageId) {
    const entry = this.#queue.discard(clientMessageId);
    if (!entry) return;
    this.#render(entry.seq);
    this.#sendDue();
  }

  /** The composer's next message replies to this one. */
  startReply(seq) {
    const message = this.#states.get(seq);
    if (!message || !mayRespond(message)) return;
    this.#replyingTo = seq;
    this.#views.reply.show(this.#quote(seq));
  }

  cancelReply() {
    if (this.#replyingTo === null) return false;
    this.#replyingTo = null;
    this.#views.reply.hide();
    return true;
  }

  /** The seq the message being sent replies to (or null); the composer's reply is then done. */
  takeReply() {
    const seq = this.#replyingTo;
    this.cancelReply();
    return seq;
  }

  /** A send of this user's not acknowledged yet that replies to seq: show its quote. */
  showPendingReply(clientMessageId, seq) {
    this.#pendingReplies.set(clientMessageId, seq);
    this.#views.lifecycle.renderPendingQuote(clientMessageId, this.#quote(seq));
  }

  forgetPending(clientMessageId) {
    this.#pendingReplies.delete(clientMessageId);
  }

  /** Brings a message into view (reading older pages when it is not loaded) and moves focus to it. */
  async jumpTo(seq) {
    const room = this.#room;
    while (!room.seqs.has(seq) && room.hasOlder && room.lowestSeq !== null && room.lowestSeq > seq && !this.#left) {
      const lowest = room.lowestSeq;
      await this.#loadOlder();
      if (room.lowestSeq === lowest) break; // the page could not be read
    }
    if (!this.#left) this.#views.lifecycle.jumpTo(seq, room.seqs.has(seq));
  }

  // --- Inside -----------------------------------------------------------------------------------

  #change(change) {
    this.#queue.add(change);
    this.#render(change.seq);
    this.#sendDue();
  }

  /** Sends each message's next change, if the connection is ready (else on 'ready'). */
  #sendDue() {
    if (!this.#connection.ready) return;
    for (const entry of this.#queue.due()) {
      const sent = this.#connection.sendChange(changeFrame(entry), () => this.#queue.isWaiting(entry.clientMessageId));
      if (!sent) this.#queue.disconnected();
    }
  }

  /** Keeps a newer state and redraws what shows it: the message, replies quoting it, the reply bar. */
  #apply(message) {
    const result = this.#states.apply(message);
    if (result === 'stale') return false;
    this.#unavailable.delete(message.seq);
    this.#render(message.seq);
    this.#renderQuotesOf(message.seq);
    if (this.#replyingTo === message.seq) {
      if (message.deleted) this.cancelReply();
      else this.#views.reply.show(this.#quote(message.seq));
    }
    return true;
  }

  /** Redraws the replies, sent or not yet, that quote this message. */
  #renderQuotesOf(seq) {
    for (const reply of this.#states.repliesTo(seq)) this.#render(reply);
    for (const [clientMessageId, target] of this.#pendingReplies) {
      if (target === seq) this.#views.lifecycle.renderPendingQuote(clientMessageId, this.#quote(seq));
    }
  }

  /** A message's state and what to show for it, or null when it is not held. */
  #viewOf(seq) {
    const state = this.#states.get(seq);
    if (!state) return null;
    const model = project(state, this.#queue.forSeq(seq), this.#isMe);
    return { state, model, shown: { ...state, deleted: model.deleted } };
  }

  #render(seq) {
    if (!this.#room.seqs.has(seq)) return;
    const view = this.#viewOf(seq);
    if (!view) return;
    const { state, model, shown } = view;
    this.#views.lifecycle.render(seq, {
      ...model,
      version: state.version ?? 1,
      own: this.#isMe(state.sender.id),
      mayEdit: mayEdit(shown, this.#isMe),
      mayDelete: mayDelete(shown, this.#isMe, this.#room.role),
      mayRespond: mayRespond(shown),
      quote: model.replyTo === null ? null : this.#quote(model.replyTo),
    });
  }

  /**
   * What a reply shows of its target, in its current state: { seq, status: 'shown', senderName,
   * text } | 'deleted' | 'loading' (read with GET …/messages/{seq}) | 'unavailable'.
   */
  #quote(seq) {
    const target = this.#states.get(seq);
    if (target?.deleted) return { seq, status: 'deleted' };
    if (target) return { seq, status: 'shown', senderName: target.sender.name, text: snippet(target.text) };
    if (this.#unavailable.has(seq)) return { seq, status: 'unavailable' };
    this.#fetch(seq);
    return { seq, status: 'loading' };
  }

  async #fetch(seq) {
    if (this.#fetching.has(seq)) return;
    this.#fetching.add(seq);
    try {
      const message = await this.#api.message(this.#room.name, seq);
      if (!this.#left) this.#apply(message);
    } catch {
      // Expired (404) or not readable now: say so rather than wait forever.
      if (this.#left) return;
      this.#unavailable.add(seq);
      this.#renderQuotesOf(seq);
    } finally {
      this.#fetching.delete(seq);
    }
  }
}
