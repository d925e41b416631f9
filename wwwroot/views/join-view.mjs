// The join form: name and room, checked as the server would before anything is sent; with a
// sign-in provider configured, also Sign in / Sign out and the signed-in name (a member joins
// under the provider's name, so the name field is only for guests).

import { checkName, checkRoom } from '../modules/protocol.mjs';
import { byTestId } from './dom.mjs';

export class JoinView {
  #view = document.querySelector('#join-view');
  #form = document.querySelector('#join-form');
  #error = document.querySelector('#join-error');
  #name = byTestId('name-input');
  #room = byTestId('room-input');
  #button = byTestId('join-button');
  #nameField = document.querySelector('#name-field');
  #account = byTestId('account');
  #signedIn = document.querySelector('.account-signed-in');
  #signedInName = byTestId('signed-in-name');
  #signIn = byTestId('sign-in-button');
  #signOut = byTestId('sign-out-button');
  #or = document.querySelector('.account-or');
  #lead = document.querySelector('.join-lead');
  /** The signed-in member's name, or null for a guest. */
  #memberName = null;

  /** onJoin(name, room) joins; onSignIn() and onSignOut() act on the provider sign-in. What they throw is shown. */
  constructor({ onJoin, onSignIn = () => {}, onSignOut = () => {} }) {
    this.#signIn.addEventListener('click', () => this.#run(onSignIn, 'Could not sign in'));
    this.#signOut.addEventListener('click', () => this.#run(onSignOut, 'Could not sign out'));
    this.#form.addEventListener('submit', async event => {
      event.preventDefault();
      const name = this.#memberName === null ? checkName(this.#name.value) : { ok: true, name: this.#memberName };
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

  /**
   * What the account area shows: signIn (a provider is configured), guests (guest sessions are
   * allowed) and memberName (signed in as, or null).
   */
  showAccount({ signIn, guests, memberName }) {
    this.#memberName = memberName;
    const member = memberName !== null;
    this.#account.hidden = !signIn && !member;
    this.#signedIn.hidden = !member;
    this.#signedInName.textContent = memberName ?? '';
    this.#signIn.hidden = member || !signIn;
    this.#or.hidden = member || !signIn || !guests;
    this.#nameField.hidden = member || !guests;
    this.#button.hidden = !member && !guests;
    // A member's name comes from the provider: only a room is left to pick.
    this.#lead.textContent = member || !guests
      ? 'Pick a room. Anyone in the same room sees your messages instantly.'
      : 'Pick a display name and a room. Anyone in the same room sees your messages instantly.';
  }

  /** The room as typed, kept across the trip to the provider's sign-in page. */
  roomValue() {
    return this.#room.value;
  }

  fill(name, room) {
    this.#name.value = name;
    this.#room.value = room;
  }

  show(error = '') {
    this.#view.hidden = false;
    this.#error.textContent = error;
    this.#button.disabled = false;
    (this.#name.value || this.#nameField.hidden ? this.#room : this.#name).focus();
  }

  hide() {
    this.#view.hidden = true;
  }

  async #run(action, failure) {
    this.#error.textContent = '';
    try {
      await action();
    } catch (error) {
      this.show(`${failure}: ${error.message}`);
    }
  }

  #refuse(error, input) {
    this.#error.textContent = error;
    input.focus();
  }
}
