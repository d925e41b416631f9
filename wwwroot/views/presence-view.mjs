// The online list (a side column, or a strip under the header on phones).

import { byTestId, make } from './dom.mjs';

export function initials(name) {
  const letters = [...name.trim()].filter(c => /\p{L}|\p{N}/u.test(c));
  return (letters[0] ?? '?').toUpperCase();
}

/** A stable colour per user. */
export function hue(text) {
  let h = 0;
  for (const c of text) h = (h * 31 + c.codePointAt(0)) % 360;
  return h;
}

export class PresenceView {
  #list = byTestId('presence-list');
  #count = document.querySelector('#presence-count');

  /** entries: [userId, name] pairs in display order; myUserId is marked "(you)". */
  show(entries, myUserId) {
    this.#list.replaceChildren(...entries.map(([id, name]) => {
      const entry = make('li', 'presence-user');
      entry.dataset.testid = 'presence-user';
      entry.dataset.userId = id;
      const avatar = make('span', 'avatar', initials(name));
      avatar.setAttribute('aria-hidden', 'true');
      avatar.style.setProperty('--hue', String(hue(id)));
      entry.append(avatar, make('span', 'presence-name', name));
      if (id === myUserId) entry.append(make('span', 'presence-you', '(you)'));
      return entry;
    }));
    this.#count.textContent = String(entries.length);
  }
}
