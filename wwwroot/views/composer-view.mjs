// The composer: Enter sends, Shift+Enter is a new line, a counter near the limit, grows with the text;
// Up arrow in an empty composer edits your last message, Escape cancels a reply.

import { COUNTER_FROM, MAX_TEXT, checkText } from '../modules/protocol.mjs';
import { byTestId } from './dom.mjs';

export class ComposerView {
  #form = document.querySelector('#composer-form');
  #input = byTestId('composer-input');
  #send = byTestId('send-button');
  #counter = document.querySelector('#composer-counter');
  #muted = byTestId('composer-muted');
  #placeholder = '';

  /**
   * onSend(text) returns whether it took the text (then the composer empties); onInput(text) on every
   * change; onEditLast() and onEscape() return whether they did something (then the key does nothing else).
   */
  constructor({ onSend, onInput, onEditLast = () => false, onEscape = () => false }) {
    const send = () => {
      if (onSend(this.#input.value)) this.#input.value = '';
      this.update();
    };
    this.#input.addEventListener('input', () => {
      this.update();
      onInput(this.#input.value);
    });
    this.#input.addEventListener('keydown', event => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        send();
      } else if (event.key === 'ArrowUp' && this.#input.value === '' && !(event.shiftKey || event.altKey || event.ctrlKey || event.metaKey)) {
        if (onEditLast()) event.preventDefault();
      } else if (event.key === 'Escape' && onEscape()) {
        event.preventDefault();
      }
    });
    this.#form.addEventListener('submit', event => {
      event.preventDefault();
      send();
      this.#input.focus();
    });
  }

  reset(room) {
    this.#input.value = '';
    this.#placeholder = `Message #${room}`;
    this.#input.placeholder = this.#placeholder;
    this.update();
  }

  /** Muted in this room: the composer is disabled and says until when; null enables it again. */
  setMuted(text) {
    this.#input.disabled = text !== null;
    this.#input.placeholder = text ?? this.#placeholder;
    this.#muted.textContent = text ?? '';
    this.#muted.hidden = text === null;
    this.update();
  }

  focus() {
    this.#input.focus();
  }

  update() {
    const { length, over } = checkText(this.#input.value);
    this.#counter.textContent = length >= COUNTER_FROM ? `${length} / ${MAX_TEXT}` : '';
    this.#counter.classList.toggle('over', over);
    this.#send.disabled = length === 0 || over || this.#input.disabled;
    this.#input.setAttribute('aria-invalid', String(over));
    // Grow with the text up to a few lines; the stylesheet caps the height.
    this.#input.style.height = 'auto';
    this.#input.style.height = `${this.#input.scrollHeight}px`;
  }
}
