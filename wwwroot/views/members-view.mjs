// The members panel (a dialog the header's Members button opens in a created room): members with
// their roles and who is online, the invite link for owners and moderators, the moderation actions
// the caller may take on each member, current bans with Unban, and Leave this room.

import { BAN_CHOICES, MUTE_CHOICES, ROLE_NAMES, untilText } from '../modules/members.mjs';
import { byTestId, make } from './dom.mjs';
import { hue, initials } from './presence-view.mjs';

function button(text, testId, label, onClick, className = 'button button-quiet') {
  const node = make('button', className, text);
  node.type = 'button';
  node.dataset.testid = testId;
  if (label) node.setAttribute('aria-label', label);
  node.addEventListener('click', onClick);
  return node;
}

function durationSelect(choices, testId, label) {
  const select = make('select', 'duration');
  select.dataset.testid = testId;
  select.setAttribute('aria-label', label);
  for (const [seconds, text] of choices) {
    const option = make('option', null, text);
    option.value = seconds === null ? '' : String(seconds);
    select.append(option);
  }
  return select;
}

export class MembersView {
  #openButton = byTestId('members-button');
  #dialog = document.querySelector('#members-dialog');
  #title = document.querySelector('#members-title');
  #error = byTestId('members-error');
  #inviteSection = byTestId('invite-section');
  #inviteResult = document.querySelector('.invite-result');
  #inviteLink = byTestId('invite-link');
  #inviteStatus = byTestId('invite-status');
  #list = byTestId('member-list');
  #banSection = byTestId('ban-section');
  #banList = byTestId('ban-list');
  #leave = byTestId('leave-room-button');
  #onAct;

  /**
   * onOpen() refreshes the members; onAct(action, userId, durationSeconds) acts on one;
   * onInvite() creates an invite link; onLeave() leaves the room.
   */
  constructor({ onOpen, onAct, onInvite, onLeave }) {
    this.#onAct = onAct;
    this.#openButton.addEventListener('click', () => {
      this.#error.textContent = '';
      this.#dialog.showModal();
      onOpen();
    });
    byTestId('members-close').addEventListener('click', () => this.close());
    byTestId('invite-button').addEventListener('click', () => onInvite());
    byTestId('copy-invite-button').addEventListener('click', () => this.#copy());
    this.#leave.addEventListener('click', () => onLeave());
  }

  /** Whether the room has members to show (a created room); the Members button shows only then. */
  available(yes) {
    this.#openButton.hidden = !yes;
    if (!yes) this.close();
  }

  close() {
    if (this.#dialog.open) this.#dialog.close();
  }

  /**
   * model: { room, myUserId, canInvite, canLeave, members: [{ id, name, role, online, mutedUntil?, you, actions }],
   * visitors (the same, role null: online without a role), bans }
   */
  show({ room, canInvite, canLeave, members, visitors = [], bans }) {
    this.#title.textContent = `Members of ${room?.title || `#${room?.room ?? ''}`}`;
    this.#inviteSection.hidden = !canInvite;
    if (!canInvite) this.#inviteResult.hidden = true;
    this.#leave.hidden = !canLeave;
    // Rebuilt on every change: keep open action rows and the focused control where they were.
    const openRows = new Set([...this.#list.querySelectorAll('details[open]')].map(d => d.closest('[data-user-id]').dataset.userId));
    const focused = document.activeElement;
    const focusKey = this.#dialog.contains(focused) ? [focused.closest('[data-user-id]')?.dataset.userId, focused.dataset.testid] : null;

    this.#list.replaceChildren(...[...members, ...visitors].map(member => this.#member(member, openRows.has(member.id))));
    this.#banSection.hidden = bans.length === 0;
    this.#banList.replaceChildren(...bans.map(ban => {
      const item = make('li', 'ban');
      item.dataset.testid = 'banned-user';
      item.dataset.userId = ban.user.id;
      item.append(make('span', 'ban-name', `${ban.user.name ?? ban.user.id} · ${untilText(ban.until)}`),
        button('Unban', 'unban-button', `Unban ${ban.user.name ?? ban.user.id}`, () => this.#onAct('unban', ban.user.id)));
      return item;
    }));

    if (focusKey?.[0] && focusKey[1]) {
      // Mute becomes Unmute (and back) once it worked: focus goes to the button that replaced it.
      const row = this.#list.querySelector(`[data-user-id="${CSS.escape(focusKey[0])}"]`);
      const swapped = { 'mute-button': 'unmute-button', 'unmute-button': 'mute-button' }[focusKey[1]];
      (row?.querySelector(`[data-testid="${CSS.escape(focusKey[1])}"]`) ?? (swapped && row?.querySelector(`[data-testid="${swapped}"]`)))?.focus();
    }
  }

  showInvite(link, expiresAt) {
    this.#inviteResult.hidden = false;
    this.#inviteLink.value = link;
    this.#inviteStatus.textContent = expiresAt ? `Valid ${untilText(expiresAt)}.` : '';
    this.#inviteLink.focus();
    this.#inviteLink.select();
  }

  showError(text) {
    this.#error.textContent = text;
  }

  async #copy() {
    this.#inviteLink.select();
    try {
      await navigator.clipboard.writeText(this.#inviteLink.value);
      this.#inviteStatus.textContent = 'Copied.';
    } catch {
      // No clipboard (an http page other than localhost, or refused): the link is selected to copy by hand.
      this.#inviteStatus.textContent = 'Selected: press Ctrl+C (⌘C) to copy.';
    }
  }

  #member(member, open) {
    const item = make('li', 'member');
    item.dataset.testid = 'member';
    item.dataset.userId = member.id;
    const role = member.role ?? 'visitor';
    item.dataset.role = role;
    item.dataset.online = String(Boolean(member.online));
    item.dataset.mutedUntil = member.mutedUntil ?? '';

    const avatar = make('span', member.online ? 'avatar' : 'avatar away', initials(member.name));
    avatar.setAttribute('aria-hidden', 'true');
    avatar.style.setProperty('--hue', String(hue(member.id)));
    const who = make('span', 'member-who');
    const line = make('span', 'member-line');
    const name = make('span', 'member-name', member.name);
    name.dataset.testid = 'member-name';
    line.append(name);
    if (member.you) line.append(make('span', 'presence-you', '(you)'));
    who.append(line);
    const facts = make('span', 'member-facts');
    const roleTag = make('span', `role role-${role}`, ROLE_NAMES[role] ?? role);
    roleTag.dataset.testid = 'member-role';
    facts.append(roleTag, make('span', 'member-online', member.online ? 'online' : 'offline'));
    if (member.mutedUntil) {
      const muted = make('span', 'member-muted', `muted ${untilText(member.mutedUntil)}`);
      muted.dataset.testid = 'member-muted';
      facts.append(muted);
    }
    who.append(facts);
    item.append(avatar, who);
    if (member.actions.length) item.append(this.#actions(member, open));
    return item;
  }

  #actions(member, open) {
    const details = make('details', 'member-actions');
    details.open = open;
    const summary = make('summary', 'button button-quiet', 'Actions');
    summary.dataset.testid = 'member-actions';
    summary.setAttribute('aria-label', `Actions for ${member.name}`);
    const row = make('div', 'member-action-row');
    const act = (action, durationOf) => () => this.#onAct(action, member.id, durationOf ? durationOf() : null);
    const has = action => member.actions.includes(action);
    if (has('mute')) {
      const group = make('span', 'action-group');
      const select = durationSelect(MUTE_CHOICES, 'mute-duration', `Mute ${member.name} for`);
      group.append(select, button('Mute', 'mute-button', `Mute ${member.name}`, act('mute', () => Number(select.value))));
      row.append(group);
    }
    if (has('unmute')) row.append(button('Unmute', 'unmute-button', `Unmute ${member.name}`, act('unmute')));
    if (has('kick')) row.append(button('Kick', 'kick-button', `Kick ${member.name}`, act('kick')));
    if (has('ban')) {
      const group = make('span', 'action-group');
      const select = durationSelect(BAN_CHOICES, 'ban-duration', `Ban ${member.name} for`);
      group.append(select, button('Ban', 'ban-button', `Ban ${member.name}`, act('ban', () => (select.value ? Number(select.value) : null)), 'button button-danger'));
      row.append(group);
    }
    if (has('remove')) row.append(button('Remove', 'remove-button', `Remove ${member.name} from the room`, act('remove'), 'button button-danger'));
    if (has('promote')) row.append(button('Make moderator', 'role-button', `Make ${member.name} a moderator`, act('promote')));
    if (has('demote')) row.append(button('Remove moderator', 'role-button', `Make ${member.name} a member`, act('demote')));
    details.append(summary, row);
    return details;
  }
}
