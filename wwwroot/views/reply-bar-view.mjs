// "Replying to Bob: …" above the composer while the next message is a reply (protocol v1.1), with
// a button (and Escape in the composer) to send it as an ordinary message instead.

import { byTestId, make } from './dom.mjs';

export class ReplyBarView {
  #bar = make('div', 'reply-bar');
  #sender = make('strong', 'reply-bar-sender');
  #text = make('span', 'reply-bar-text');
  #input = byTestId('composer-input');

  constructor({ onCancel }) {
    this.#bar.id = 'composer-reply';
    this.#bar.dataset.testid = 'composer-reply';
    this.#bar.hidden = true;
    const label = make('span', 'reply-bar-label', 'Replying to ');
    label.append(this.#sender);
    const cancel = make('button', 'reply-bar-cancel', '×');
    cancel.type = 'button';
    cancel.dataset.testid = 'composer-reply-cancel';
    cancel.setAttribute('aria-label', 'Cancel reply');
    cancel.title = 'Cancel reply (Escape)';
    cancel.addEventListener('click', () => {
      onCancel();
      this.#input.focus();
    });
    const body = make('span', 'reply-bar-body');
    body.append(label, this.#text);
    this.#bar.append(body, cancel);
    document.querySelector('#composer-form').before(this.#bar);
  }

  /** quote: as MessageLifecycle makes it ({ status, senderName, text }). */
  show(quote) {
    this.#sender.textContent = quote.status === 'shown' ? quote.senderName : 'a message';
    this.#text.textContent = quote.status === 'shown' ? quote.text : '';
    this.#bar.hidden = false;
    this.#describe(true);
    this.#input.focus();
  }

  hide() {
    this.#bar.hidden = true;
    this.#describe(false);
  }

  /** While replying, the composer is described by the bar too, so that people know what they answer. */
  #describe(replying) {
    const ids = (this.#input.getAttribute('aria-describedby') ?? '').split(' ').filter(id => id && id !== this.#bar.id);
    this.#input.setAttribute('aria-describedby', (replying ? [this.#bar.id, ...ids] : ids).join(' '));
  }
}
