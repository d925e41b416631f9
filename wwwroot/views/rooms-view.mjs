// The room list (a column on wide screens, a panel the header's Rooms button opens on narrow ones)
// with unread badges and online counts, and the New room dialog.

import { checkRoom } from '../modules/protocol.mjs';
import { checkTitle, roomLabel, unreadShown } from '../modules/room-list.mjs';
import { byTestId, make } from './dom.mjs';

/** What the list says while it has no room to show: before the first answer, or after it. */
const EMPTY_TEXT = { loading: 'Loading rooms…', failed: 'Could not read the rooms; trying again…', ready: 'No rooms to show yet.' };

export class RoomsView {
  #panel = byTestId('room-list-panel');
  #list = byTestId('room-list');
  #empty = byTestId('rooms-status');
  #toggle = byTestId('rooms-button');
  #total = byTestId('rooms-unread-total');
  #newRoom = byTestId('new-room-button');
  #dialog = document.querySelector('#create-room-dialog');
  #form = document.querySelector('#create-room-form');
  #name = byTestId('new-room-name');
  #title = byTestId('new-room-title');
  #error = byTestId('create-room-error');
  #submit = byTestId('create-room-submit');
  #onOpen;
  #shown = '';

  /**
   * onOpen(room) enters a room; onCreate({ room, title, visibility }) creates one (what it throws is
   * shown); onCreated() runs once the dialog and the panel closed (the app focuses the composer).
   */
  constructor({ onOpen, onCreate, onCreated = () => {} }) {
    this.#onOpen = onOpen;
    this.#toggle.addEventListener('click', () => this.setOpen(!this.#panel.classList.contains('open')));
    this.#panel.addEventListener('keydown', event => {
      if (event.key === 'Escape' && this.#panel.classList.contains('open')) {
        this.setOpen(false);
        this.#toggle.focus();
      }
    });
    this.#newRoom.addEventListener('click', () => {
      this.#form.reset();
      this.#error.textContent = '';
      this.#dialog.showModal();
      this.#name.focus();
    });
    byTestId('create-room-cancel').addEventListener('click', () => this.#dialog.close());
    this.#form.addEventListener('submit', async event => {
      event.preventDefault();
      const room = checkRoom(this.#name.value);
      if (!this.#name.value.trim() || !room.ok) return this.#refuse(room.error ?? 'Please enter a room name.', this.#name);
      const title = checkTitle(this.#title.value);
      if (!title.ok) return this.#refuse(title.error, this.#title);
      const visibility = new FormData(this.#form).get('visibility') === 'private' ? 'private' : 'public';
      this.#submit.disabled = true;
      try {
        await onCreate({ room: room.room, title: title.title, visibility });
        this.#dialog.close();
        this.setOpen(false);
        onCreated();
      } catch (error) {
        this.#refuse(`Could not create the room: ${error.message}`, this.#name);
      } finally {
        this.#submit.disabled = false;
      }
    });
  }

  /** New room needs a session (the creator becomes the owner). */
  canCreate(allowed) {
    this.#newRoom.hidden = !allowed;
  }

  /** The panel on narrow screens (on wide ones it is always shown and this changes nothing visible). */
  setOpen(open) {
    this.#panel.classList.toggle('open', open);
    this.#toggle.setAttribute('aria-expanded', String(open));
    if (open) (this.#list.querySelector('[aria-current="page"]') ?? this.#list.querySelector('button') ?? this.#newRoom).focus();
  }

  /**
   * rooms: the server's list, in its order; current: the room being read; hidden: whether the tab
   * is; status: the directory's ('loading' until its first answer, 'failed', 'ready').
   */
  show(rooms, { current = null, hidden = false, status = 'ready' } = {}) {
    this.#list.setAttribute('aria-busy', String(status !== 'ready'));
    this.#empty.dataset.status = status;
    this.#empty.textContent = EMPTY_TEXT[status] ?? EMPTY_TEXT.ready;
    // Read again every few seconds: rebuilt only when something shown changed, keeping the focus.
    const shown = JSON.stringify([current, rooms.map(r => [r.room, r.title, r.visibility, r.online, unreadShown(r, current, hidden)])]);
    if (shown === this.#shown) return;
    this.#shown = shown;
    const focused = this.#list.contains(document.activeElement) ? document.activeElement.dataset.room : null;
    let total = 0;
    this.#list.replaceChildren(...rooms.map(room => {
      const unread = unreadShown(room, current, hidden);
      total += unread;
      const item = make('li', 'room-entry');
      const button = make('button', 'room-item');
      button.type = 'button';
      button.dataset.testid = 'room-item';
      button.dataset.room = room.room;
      button.dataset.unread = String(unread);
      if (room.room === current) button.setAttribute('aria-current', 'page');
      const label = make('span', 'room-item-name', roomLabel(room));
      const details = make('span', 'room-item-details');
      if (room.visibility === 'private') details.append(make('span', 'room-private', 'Private'));
      const online = make('span', 'room-online', `${room.online ?? 0} online`);
      online.dataset.testid = 'room-online';
      details.append(online);
      button.append(label, details);
      if (unread > 0) {
        const badge = make('span', 'badge', unread > 99 ? '99+' : String(unread));
        badge.dataset.testid = 'room-unread';
        badge.setAttribute('aria-label', `${unread} unread`);
        button.append(badge);
      }
      button.addEventListener('click', () => {
        this.setOpen(false);
        this.#onOpen(room.room);
      });
      item.append(button);
      return item;
    }));
    this.#empty.hidden = rooms.length > 0;
    this.#total.hidden = total === 0;
    this.#total.textContent = total > 99 ? '99+' : String(total);
    this.#toggle.setAttribute('aria-label', total ? `Rooms, ${total} unread` : 'Rooms');
    if (focused) this.#list.querySelector(`[data-room="${CSS.escape(focused)}"]`)?.focus();
  }

  #refuse(error, input) {
    this.#error.textContent = error;
    input.focus();
  }
}
