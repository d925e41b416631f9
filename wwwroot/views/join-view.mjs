// The join form: name and room, checked as the server would before anything is sent.

import { checkName, checkRoom } from '../modules/protocol.mjs';
import { byTestId } from './dom.mjs';

export class JoinView {
  #view = document.querySelector('#join-view');
  #form = document.querySelector('#join-form');
  #error = document.querySelector('#join-error');
  #name = byTestId('name-input');
  #room = byTestId('room-input');
  #button = byTestId('join-button');

  /** onJoin(name, room) joins; what it throws is shown as the reason. */
  constructor({ onJoin }) {
    this.#form.addEventListener('submit', async event => {
      event.preventDefault();
      const name = checkName(this.#name.value);
      if (!name.ok) return this.#refuse(name.error, this.#name);
      const room = checkRoom(this.#room.value);
      if (!room.ok) return this.#refuse(room.error, this.#room);
      this.#error.textContent = '';
      this.#button.disabled = true;
      try {
        await onJoin(name.name, room.room);
      } catch (error) {
        this.show(`Could not join: ${error.message}`);
      } finally {
        this.#button.disabled = false;
      }
    });
  }

  fill(name, room) {
    this.#name.value = name;
    this.#room.value = room;
  }

  show(error = '') {
    this.#view.hidden = false;
    this.#error.textContent = error;
    this.#button.disabled = false;
    (this.#name.value ? this.#room : this.#name).focus();
  }

  hide() {
    this.#view.hidden = true;
  }

  #refuse(error, input) {
    this.#error.textContent = error;
    input.focus();
  }
}
