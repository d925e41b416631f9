// The conversation: messages in seq order (own pending ones last), system lines, "Load older
// messages", and scrolling that follows new messages only when the reader is at the bottom.

import { byTestId, make } from './dom.mjs';

const NEAR_BOTTOM_PX = 80;

function formatTime(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

export class MessagesView {
  #scroller = document.querySelector('#scroller');
  #list = byTestId('message-list');
  #loadOlder = byTestId('load-older');
  #pending = new Map();   // clientMessageId -> element, for messages without an ack
  #onRetry;
  #onDiscard;

  constructor({ onRetry, onDiscard, onLoadOlder }) {
    this.#onRetry = onRetry;
    this.#onDiscard = onDiscard;
    this.#loadOlder.addEventListener('click', onLoadOlder);
  }

  clear() {
    this.#list.replaceChildren();
    this.#pending.clear();
  }

  scrollToBottom() {
    this.#scroller.scrollTop = this.#scroller.scrollHeight;
  }

  /** Runs change(); if the reader was at the bottom (or force), keeps them there. */
  keepAtBottom(change, force = false) {
    const s = this.#scroller;
    const stick = force || s.scrollHeight - s.scrollTop - s.clientHeight < NEAR_BOTTOM_PX;
    change();
    if (stick) this.scrollToBottom();
  }

  /** Runs change() (older messages going in above) without moving what the reader sees. */
  keepPosition(change) {
    const height = this.#scroller.scrollHeight;
    change();
    this.#scroller.scrollTop += this.#scroller.scrollHeight - height;
  }

  showLoadOlder(available, loading) {
    this.#loadOlder.hidden = !available;
    this.#loadOlder.disabled = loading;
    this.#loadOlder.textContent = loading ? 'Loading…' : 'Load older messages';
  }

  /** A message the server stored; wasPending turns this tab's pending bubble into it. */
  showConfirmed(message, { own, wasPending }) {
    let item = wasPending ? this.#pending.get(message.clientMessageId) : undefined;
    if (item) {
      this.#pending.delete(message.clientMessageId);
      item.remove();
    } else {
      item = this.#build(message.sender.name, message.text, message.clientMessageId, own);
    }
    item.dataset.seq = String(message.seq);
    item.dataset.id = message.id;
    const time = item.querySelector('.message-time');
    time.dateTime = message.sentAt ?? '';
    time.textContent = message.sentAt ? formatTime(message.sentAt) : '';
    if (message.sentAt) time.title = new Date(message.sentAt).toLocaleString();
    this.#setStatus(item, 'sent');
    this.#insertBySeq(item, message.seq);
  }

  /** One of this tab's messages without an ack, at the end. */
  showPending({ clientMessageId, text, senderName, status, reason }) {
    const item = this.#build(senderName, text, clientMessageId, true);
    this.#setStatus(item, status, reason);
    this.#list.append(item);
    this.#pending.set(clientMessageId, item);
  }

  setStatus(clientMessageId, status, reason = '') {
    const item = this.#pending.get(clientMessageId);
    if (item) this.#setStatus(item, status, reason);
  }

  removePending(clientMessageId) {
    this.#pending.get(clientMessageId)?.remove();
    this.#pending.delete(clientMessageId);
  }

  /** "Bob joined": after everything confirmed, before pending messages. */
  showSystemLine(text) {
    const line = make('div', 'system-line', text);
    line.dataset.testid = 'system-line';
    this.#list.insertBefore(line, this.#list.querySelector('[data-status="pending"], [data-status="failed"]'));
  }

  #build(senderName, text, clientMessageId, own) {
    const item = make('div', own ? 'message own' : 'message');
    item.dataset.testid = 'message';
    item.dataset.seq = '';
    item.dataset.id = '';
    item.dataset.clientId = clientMessageId ?? '';

    const meta = make('div', 'message-meta');
    const sender = make('span', 'message-sender', senderName);
    sender.dataset.testid = 'message-sender';
    meta.append(sender, make('time', 'message-time'));

    const body = make('p', 'message-text', text);
    body.dataset.testid = 'message-text';

    item.append(meta, body, make('div', 'message-state'));
    return item;
  }

  #setStatus(item, status, reason) {
    item.dataset.status = status;
    const state = item.querySelector('.message-state');
    state.replaceChildren();
    if (status === 'pending') {
      state.append(make('span', 'state-pending', 'Sending…'));
    } else if (status === 'failed') {
      const id = item.dataset.clientId;
      const retry = make('button', 'link-button', 'Retry');
      retry.type = 'button';
      retry.dataset.testid = 'retry-button';
      retry.addEventListener('click', () => this.#onRetry(id));
      const discard = make('button', 'link-button', 'Discard');
      discard.type = 'button';
      discard.addEventListener('click', () => this.#onDiscard(id));
      state.append(make('span', 'state-failed', `Not sent: ${reason}`), retry, discard);
    }
  }

  /** Confirmed messages go in seq order; pending ones stay at the end, after everything confirmed. */
  #insertBySeq(item, seq) {
    let before = null;
    for (const child of this.#list.children) {
      if (child.dataset.status === 'pending' || child.dataset.status === 'failed') { before = child; break; }
      if (child.dataset.testid === 'message' && Number(child.dataset.seq) > seq) { before = child; break; }
    }
    this.#list.insertBefore(item, before);
  }
}
