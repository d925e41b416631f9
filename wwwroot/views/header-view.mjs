// The header: the room's name (the chat view's h1), the connection status, Leave, and the tab title.

import { byTestId } from './dom.mjs';

const stateText = { connected: 'Connected', reconnecting: 'Reconnecting…', offline: 'Offline' };

export class HeaderView {
  #roomName = document.querySelector('#room-name');
  #status = byTestId('connection-status');
  #statusText = document.querySelector('.connection-text');
  #leave = byTestId('leave-button');

  constructor({ onLeave }) {
    this.#leave.addEventListener('click', onLeave);
  }

  /** In a room (with unread messages counted in the tab title), or null for the join form. */
  showRoom(room, unread = 0) {
    const inRoom = room !== null;
    this.#status.hidden = !inRoom;
    this.#leave.hidden = !inRoom;
    this.#roomName.hidden = !inRoom;
    if (inRoom) this.#roomName.textContent = `#${room}`;
    document.title = inRoom ? `${unread ? `(${unread}) ` : ''}#${room} · ChatDemo` : 'ChatDemo';
  }

  showConnection(state) {
    this.#status.dataset.state = state;
    this.#statusText.textContent = stateText[state];
  }
}
