// The notice over the conversation when a stay in a room has ended: kicked (with Rejoin), banned
// (with Rooms). The page does not reconnect by itself after either.

import { endingText } from '../modules/members.mjs';
import { byTestId } from './dom.mjs';

export class RoomNoticeView {
  #notice = byTestId('room-notice');
  #text = document.querySelector('.room-notice-text');
  #action = byTestId('notice-action');
  #reason = null;

  /** onAction(reason): Rejoin after a kick, back to the room list otherwise. */
  constructor({ onAction }) {
    this.#action.addEventListener('click', () => onAction(this.#reason));
  }

  /** ending: { reason, room, by, until, detail } (see endingText). */
  ended(ending) {
    this.#reason = ending.reason;
    this.#notice.dataset.reason = ending.reason;
    this.#text.textContent = endingText(ending);
    this.#action.textContent = ending.reason === 'kicked' ? `Rejoin #${ending.room}` : 'Back to the room list';
    this.#notice.hidden = false;
    this.#action.focus();
  }

  clear() {
    this.#reason = null;
    this.#notice.hidden = true;
    delete this.#notice.dataset.reason;
  }
}
