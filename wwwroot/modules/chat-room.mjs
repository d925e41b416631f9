// One joined room: keeps its state, outbox and connection, reads history and presence, and keeps
// the views in step with what the server says. It reaches the page only through the views.

import { Connection } from './connection.mjs';
import { MessageLifecycle } from './message-lifecycle.mjs';
import { Outbox } from './outbox.mjs';
import { checkText, failureReason, newClientMessageId } from './protocol.mjs';
import { RoomState } from './room-state.mjs';
import { isFresh } from './session.mjs';

const HISTORY_PAGE = 50;
const CATCH_UP_PAGE = 100;
/** A live message that skips a seq waits this long for the missing one before reading history. */
const GAP_WAIT_MS = 1000;
const TYPING_SEND_EVERY_MS = 2_000;
const TYPING_SHOW_MS = 5_000;

/** An outbox entry; replyTo only for a reply. */
function outboxEntry(clientMessageId, text, replyTo) {
  return replyTo === null ? { clientMessageId, text } : { clientMessageId, text, replyTo };
}

export class ChatRoom {
  #state;
  #outbox;
  #connection;
  #lifecycle;
  #api;
  #sessions;
  #views;
  #page;
  #typers = new Map();      // userId -> { name, timer }
  #gapTimer = null;
  #lastTypingSent = 0;
  #typingWhileNotReady = 0;
  #left = false;
  #observer;

  /**
   * @param options.views { header, messages, presence, typing, composer, lifecycle, reply }
   * @param options.page { baseUrl, isHidden() }
   * @param options.observer optional { frame(frame), ended(closeCode), refused(), seen(highestSeq) }: the
   *   room's membership side (modules/room-membership.mjs: refused() asks why a socket was refused)
   *   and the read positions
   * @param options.connection extra Connection options (the unit tests' fake socket and clock)
   */
  constructor({ name, session, api, sessions, store, views, page, observer = {}, connection = {} }) {
    this.#state = new RoomState(name, session);
    this.#outbox = new Outbox(store, name);
    this.#api = api;
    this.#sessions = sessions;
    this.#views = views;
    this.#page = page;
    this.#connection = new Connection({
      socketUrl: () => this.#socketUrl(),
      synchronize: () => this.#synchronize(),
      renewSession: async () => { this.#state.session = await sessions.renew(this.#state.session); },
      serverAnswers: () => api.serverAnswers(),
      explainRefusal: async () => observer.refused?.(),
      outbox: {
        waiting: () => this.#state.waiting(),
        textOf: id => {
          const pending = this.#state.pending.get(id);
          return pending?.status === 'pending' ? pending.text : null;
        },
        replyToOf: id => this.#state.pending.get(id)?.replyTo ?? null,
      },
      ...connection,
    });
    this.#connection.addEventListener('state', event => views.header.showConnection(event.detail));
    this.#connection.addEventListener('frame', event => this.#onFrame(event.detail));
    this.#connection.addEventListener('ready', () => this.#typingOnReady());
    this.#lifecycle = new MessageLifecycle({
      room: this.#state, api, connection: this.#connection, store, views,
      // The server knows the current session's user only: messages of an earlier guest session in
      // this browser are shown as own, but are not this user's to edit or delete any more.
      isMe: userId => userId === this.#state.session.userId,
      loadOlder: () => this.loadOlder(),
    });
    this.#observer = observer;
    this.#connection.addEventListener('ended', event => observer.ended?.(event.detail));
  }

  get name() { return this.#state.name; }

  /** Edits, deletes, reactions and replies (protocol v1.1) in this room. */
  get lifecycle() { return this.#lifecycle; }

  /** Shows the room (with what the outbox still holds) and connects. */
  enter() {
    const { header, messages, typing, composer } = this.#views;
    messages.clear();
    typing.show([]);
    header.showRoom(this.name, 0);
    composer.reset(this.name);
    for (const entry of this.#outbox.list()) {
      this.#showPending(entry.clientMessageId, entry.text, entry.failed ? 'failed' : 'pending', entry.failed, entry.replyTo ?? null);
    }
    this.#state.presence.set(this.#state.session.userId, this.#state.session.name);
    this.#renderPresence();
    this.#renderLoadOlder();
    this.#connection.start();
    composer.focus();
  }

  /** This user's role in the room became known or changed: owners and moderators may delete anyone's message (protocol.md 11). */
  setRole(role) {
    if (this.#state.role === role) return;
    this.#state.role = role;
    this.#lifecycle.refresh();
  }

  /**
   * Stops for good but keeps the conversation shown (kicked, banned or removed: the notice
   * explains); who is online is no longer known, so that list empties.
   */
  halt() {
    this.#left = true;
    this.#lifecycle.leave();
    this.#typers.forEach(t => clearTimeout(t.timer));
    clearTimeout(this.#gapTimer);
    this.#connection.stop();
    this.#views.typing.show([]);
    this.#views.presence.show([], null);
  }

  leave() {
    this.#left = true;
    this.#lifecycle.leave();
    this.#typers.forEach(t => clearTimeout(t.timer));
    clearTimeout(this.#gapTimer);
    this.#connection.stop();
    this.#views.messages.clear();
    this.#views.presence.show([], null);
  }

  /** The tab is visible again: nothing unread, and make sure the socket lives. */
  becameVisible() {
    this.#state.unread = 0;
    this.#views.header.showRoom(this.name, 0);
    if (this.#connection.ready) this.#observer.seen?.(this.#state.highestSeq);
    this.#connection.reconnectNow();
  }

  networkBack() { this.#connection.reconnectNow(); }

  networkGone() { this.#connection.wentOffline(); }

  /** The composer's text changed: tell the room, at most every TYPING_SEND_EVERY_MS. */
  typed(raw) {
    const now = Date.now();
    if (!raw.trim()) return;
    // Typed while connecting or catching up: said as soon as the connection is ready, so that the
    // first keystrokes after joining are not lost.
    if (!this.#connection.ready) this.#typingWhileNotReady = now;
    else if (now - this.#lastTypingSent >= TYPING_SEND_EVERY_MS) this.#sendTyping(now);
  }

  #sendTyping(now) {
    this.#lastTypingSent = now;
    this.#typingWhileNotReady = 0;
    this.#connection.send({ action: 'typing' });
  }

  /** On 'ready': typing from the last few seconds that could not be said yet. */
  #typingOnReady() {
    const now = Date.now();
    if (this.#typingWhileNotReady && now - this.#typingWhileNotReady < TYPING_SEND_EVERY_MS) this.#sendTyping(now);
    this.#typingWhileNotReady = 0;
  }

  /** Sends what the composer holds; false (and nothing sent) if it is empty or too long. */
  send(raw) {
    const { text, sendable } = checkText(raw);
    if (!sendable) return false;
    const clientMessageId = newClientMessageId();
    const replyTo = this.#lifecycle.takeReply();
    this.#outbox.put(outboxEntry(clientMessageId, text, replyTo));
    this.#showPending(clientMessageId, text, 'pending', '', replyTo);
    this.#views.messages.scrollToBottom();
    // The others hide this user's typing line when the message arrives; typing again shows it at once.
    this.#lastTypingSent = 0;
    this.#connection.sendMessage(clientMessageId, text, replyTo);
    return true;
  }

  retry(clientMessageId) {
    const pending = this.#state.pending.get(clientMessageId);
    if (!pending) return;
    pending.status = 'pending';
    this.#views.messages.setStatus(clientMessageId, 'pending');
    this.#outbox.put(outboxEntry(clientMessageId, pending.text, pending.replyTo));
    this.#connection.sendMessage(clientMessageId, pending.text, pending.replyTo);
  }

  discard(clientMessageId) {
    if (!this.#state.pending.delete(clientMessageId)) return;
    this.#lifecycle.forgetPending(clientMessageId);
    this.#views.messages.removePending(clientMessageId);
    this.#outbox.remove(clientMessageId);
  }

  async loadOlder() {
    const state = this.#state;
    if (state.loadingOlder || state.lowestSeq === null) return;
    state.loadingOlder = true;
    this.#renderLoadOlder();
    try {
      const page = await this.#api.messages(state.name, { before: state.lowestSeq, limit: HISTORY_PAGE });
      if (this.#left) return;
      this.#views.messages.keepPosition(() => page.messages.forEach(m => this.#showMessage(m)));
      state.hasOlder = page.hasMore && page.messages.length > 0;
    } catch {
      // Shown as still available; the person can press it again.
    } finally {
      state.loadingOlder = false;
      if (!this.#left) this.#renderLoadOlder();
    }
  }

  #isMe(userId) {
    return this.#state.isMe(userId, id => this.#sessions.isMine(id));
  }

  async #socketUrl() {
    const state = this.#state;
    if (!isFresh(state.session)) state.session = await this.#sessions.renew(state.session);
    const config = await this.#api.config();
    const url = new URL(config.webSocketUrl, this.#page.baseUrl);
    // A relative URL resolves to http(s): older browsers accept only ws(s) in the constructor.
    url.protocol = url.protocol.replace(/^http/, 'ws');
    url.searchParams.set('room', state.name);
    url.searchParams.set('token', state.session.token);
    return url;
  }

  /** Steps 2 of protocol.md section 7: history after what is held, changes since the revision held (10.8), then presence. */
  async #synchronize() {
    await this.#catchUp();
    await this.#lifecycle.catchUp();
    const body = await this.#api.presence(this.name);
    if (this.#left) return;
    this.#state.setPresence(body.users);
    this.#renderPresence();
    this.#observer.seen?.(this.#state.highestSeq);
  }

  /** Reads history after the highest contiguous seq until the server says there is no more. */
  async #catchUp() {
    const state = this.#state;
    if (state.contiguousSeq === null) {
      const page = await this.#api.messages(state.name, { limit: HISTORY_PAGE });
      if (this.#left) return;
      this.#lifecycle.firstPage(page);
      this.#showHistory(page.messages);
      state.hasOlder = page.hasMore;
      state.caughtUpTo(page.messages.at(-1)?.seq ?? 0);
      this.#renderLoadOlder();
      this.#views.messages.scrollToBottom();
    }
    for (;;) {
      const page = await this.#api.messages(state.name, { after: state.contiguousSeq, limit: CATCH_UP_PAGE });
      if (this.#left) return;
      this.#showHistory(page.messages);
      state.caughtUpTo(page.messages.at(-1)?.seq ?? 0);
      if (!page.hasMore) break;
    }
    state.settleGaps();
  }

  #showHistory(messages) {
    this.#views.messages.keepAtBottom(() => messages.forEach(m => this.#showMessage(m)));
  }

  /**
   * A message from the server (live, history or ack): each id shown at most once, and its newest
   * state (v1.1) kept whichever source it came from.
   */
  #showMessage(message) {
    const state = this.#state;
    if (message.room !== undefined && message.room !== state.name) return;
    if (!state.accept(message)) {
      this.#lifecycle.received(message);
      return;
    }
    const own = this.#isMe(message.sender.id);
    const wasPending = own && state.pending.delete(message.clientMessageId);
    if (wasPending) this.#outbox.remove(message.clientMessageId);
    this.#views.messages.showConfirmed(message, { own, wasPending });
    this.#lifecycle.received(message, true);
    if (!own) this.#clearTyper(message.sender.id);
  }

  #showPending(clientMessageId, text, status = 'pending', reason = '', replyTo = null) {
    const { session } = this.#state;
    this.#state.pending.set(clientMessageId, { text, status, reason, replyTo });
    this.#views.messages.showPending({ clientMessageId, text, senderName: session.name, status, reason });
    if (replyTo !== null) this.#lifecycle.showPendingReply(clientMessageId, replyTo);
  }

  #onFrame(frame) {
    if (this.#left) return;
    this.#observer.frame?.(frame);
    switch (frame.type) {
      case 'message': this.#onLiveMessage(frame); break;
      case 'ack': this.#onAck(frame); break;
      case 'presence': this.#onPresence(frame); break;
      case 'typing': this.#onTyping(frame); break;
      case 'error': this.#onError(frame); break;
      case 'messageUpdated': this.#lifecycle.onUpdated(frame); break;
      case 'updateAck': this.#lifecycle.onUpdateAck(frame); break;
      default: break; // a newer server's frame this page does not know
    }
  }

  #onLiveMessage(message) {
    const state = this.#state;
    if (message.room !== undefined && message.room !== state.name) return;
    const own = this.#isMe(message.sender.id);
    this.#views.messages.keepAtBottom(() => this.#showMessage(message), own);
    if (this.#page.isHidden() && !own) {
      state.unread += 1;
      this.#views.header.showRoom(state.name, state.unread);
    }
    this.#observer.seen?.(state.highestSeq);
    if (state.noteLive(message.seq) === 'gap' && !this.#gapTimer) {
      // Out of order or lost (possible with AWS fan-out): give it a moment, then ask history once.
      this.#gapTimer = setTimeout(() => {
        this.#gapTimer = null;
        if (!this.#left && this.#connection.ready) this.#catchUp().catch(() => {});
      }, GAP_WAIT_MS);
    }
  }

  #onAck(frame) {
    const pending = this.#state.pending.get(frame.clientMessageId);
    if (!pending) return;
    const { session } = this.#state;
    this.#views.messages.keepAtBottom(() => this.#showMessage({
      id: frame.id, seq: frame.seq, sentAt: frame.sentAt, clientMessageId: frame.clientMessageId,
      text: pending.text, sender: { id: session.userId, name: session.name },
      ...(pending.replyTo !== null && { replyTo: pending.replyTo }),
    }));
  }

  #onError(frame) {
    if (this.#lifecycle.onError(frame)) return;
    const pending = frame.clientMessageId && this.#state.pending.get(frame.clientMessageId);
    if (!pending) {
      console.warn('chat server error', frame.code, frame.message);
      return;
    }
    const reason = failureReason(frame);
    pending.status = 'failed';
    pending.reason = reason;
    this.#views.messages.setStatus(frame.clientMessageId, 'failed', reason);
    this.#outbox.put({ ...outboxEntry(frame.clientMessageId, pending.text, pending.replyTo), failed: reason });
  }

  #onPresence(frame) {
    if (this.#isMe(frame.user.id)) return;
    // The server announces a user's first connection only, so an 'online' frame is a real join even
    // when the presence list (read over REST) already has them; RoomState guards against a repeat.
    if (frame.status === 'online') {
      if (this.#state.userOnline(frame.user)) this.#announce(`${frame.user.name} joined`);
    } else {
      const known = this.#state.userOffline(frame.user);
      this.#clearTyper(frame.user.id);
      if (known) this.#announce(`${frame.user.name} left`);
    }
    this.#renderPresence();
  }

  #announce(text) {
    this.#views.messages.keepAtBottom(() => this.#views.messages.showSystemLine(text));
  }

  #onTyping(frame) {
    if (this.#isMe(frame.user.id)) return;
    clearTimeout(this.#typers.get(frame.user.id)?.timer);
    const timer = setTimeout(() => this.#clearTyper(frame.user.id), TYPING_SHOW_MS);
    this.#typers.set(frame.user.id, { name: frame.user.name, timer });
    this.#renderTyping();
  }

  #clearTyper(userId) {
    const typer = this.#typers.get(userId);
    if (!typer) return;
    clearTimeout(typer.timer);
    this.#typers.delete(userId);
    this.#renderTyping();
  }

  #renderTyping() {
    this.#views.typing.show([...this.#typers.values()].map(t => t.name));
  }

  #renderPresence() {
    this.#views.presence.show(this.#state.presenceByName(), this.#state.session.userId);
  }

  #renderLoadOlder() {
    this.#views.messages.showLoadOlder(this.#state.hasOlder, this.#state.loadingOlder);
  }
}
