// One joined room's membership side (docs/protocol.md section 11): the room's owner and the caller's
// role, the member list, invitations, moderation, and this user's own state — muted until a time,
// or kicked, banned or removed (by a `member` frame about them or by close codes 4401–4403). It
// reaches the page only through the views, and the app through onEnded.

import { browserClock } from './connection.mjs';
import {
  CLOSE_REASONS, actingRole, allowedActions, applyMemberFrame, canInvite, canLeave, currentBans, endingFor, sortMembers,
  untilText,
} from './members.mjs';
import { inviteLink } from './room-list.mjs';

/** setTimeout's longest delay; a longer mute is re-checked after it. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** What each moderation action says in the room's log ("Alice muted Bob until 14:05"). */
function eventText(frame, now) {
  const who = frame.user.name ?? 'Someone';
  const by = frame.by?.name ? ` by ${frame.by.name}` : '';
  switch (frame.event) {
    case 'joined': return `${who} joined the room`;
    case 'left': return `${who} left the room`;
    case 'removed': return `${who} was removed from the room${by}`;
    case 'role': return frame.role === 'moderator' ? `${who} is now a moderator` : `${who} is no longer a moderator`;
    case 'muted': return `${who} was muted ${untilText(frame.until, now)}${by}`;
    case 'unmuted': return `${who} was unmuted${by}`;
    case 'kicked': return `${who} was kicked${by}`;
    case 'banned': return `${who} was banned ${untilText(frame.until, now)}${by}`;
    case 'unbanned': return `${who} was unbanned${by}`;
    default: return null;
  }
}

export class RoomMembership {
  #name;
  #session;
  #api;
  #listRooms;
  #views;
  #onEnded;
  #clock;
  #now;
  #baseUrl;
  #room = null;          // the room object, or null for a room nobody created
  #role = null;
  #members = [];
  #visitors = new Map();   // userId -> { id, name, mutedUntil }: online here without a role (a public room's visitors)
  #bans = [];
  #mutedUntil = null;
  #muteTimer = null;
  #ended = null;
  #leaving = false;
  #unlisted = false;       // not in the caller's list: a room nobody created, or (for an administrator) a private one

  /**
   * @param options.session () => the current session { userId, admin }
   * @param options.api the rooms API (modules/rooms-api.mjs)
   * @param options.listRooms async () => the caller's rooms as GET /api/rooms lists them, read now
   *   (the page passes its room list's fresh read, so entering a room reads the list once)
   * @param options.views { members, notice, composer, messages }
   * @param options.onEnded (ending) => …, ending { reason, room, by, until, detail }: reason 'kicked',
   *   'banned', 'removed', 'left' or 'refused' (see endingText)
   */
  constructor({
    name, session, api, views, onEnded, baseUrl, listRooms = async () => (await api.list())?.rooms ?? [],
    clock = browserClock, now = () => Date.now(),
  }) {
    this.#name = name;
    this.#session = session;
    this.#api = api;
    this.#listRooms = listRooms;
    this.#views = views;
    this.#onEnded = onEnded;
    this.#baseUrl = baseUrl;
    this.#clock = clock;
    this.#now = now;
  }

  get name() { return this.#name; }

  /** The room's visibility and the caller's role, or null before load() or for a room nobody created. */
  get room() { return this.#room; }

  get mutedUntil() { return this.#mutedUntil; }

  /** The role this user acts with here ('owner' for an administrator), or null: it decides who may delete others' messages. */
  get actingRole() { return this.#acting(); }

  /**
   * Finds the room before connecting. A created room in the caller's room list (every created
   * room they may read is there: public ones, and private ones where they hold a role) is read
   * with GET /api/rooms/{room}, whose `ban` says whether the caller is banned from it. A room not
   * listed is checked with GET …/presence: it is one nobody created yet (as in v1, no members
   * panel) — or, for an administrator, who may open any private room by name, possibly a private
   * room they hold no role in: see seen(). False when the caller may not enter: banned, or a
   * private room they are not a member of (the notice says so and onEnded is called); true
   * otherwise, also when nothing can be read now (the connection then finds out).
   */
  async load() {
    this.#views.notice.clear();
    this.#views.composer.setMuted(null);
    this.#room = null;
    this.#unlisted = false;
    try {
      this.#room = (await this.#listRooms()).find(r => r.room === this.#name) ?? null;
      this.#unlisted = !this.#room;
    } catch { /* the list cannot be read now: check access below */ }
    try {
      if (this.#room?.owner) this.#room = await this.#api.room(this.#name);
      else if (!this.#room) await this.#api.access(this.#name);
    } catch (error) {
      if (error.status === 403) {
        this.#end('refused', error.message);
        return false;
      }
    }
    if (this.#room?.ban) {
      this.#end('banned', null, { until: this.#room.ban.until ?? null });
      return false;
    }
    this.#role = this.#room?.role ?? null;
    this.#views.members.available(Boolean(this.#room?.owner));
    if (this.#room?.owner) await this.refresh();
    return true;
  }

  /** Reads the members (and, for those who may unban, the current bans) and shows them. */
  async refresh() {
    if (!this.#room?.owner) return;
    try {
      const body = await this.#api.members(this.#name);
      // A log record may name its user by id only: keep the names already known.
      const names = new Map([...this.#bans.map(b => [b.user.id, b.user.name]), ...this.#members.map(m => [m.id, m.name])]);
      // A member whose name the server does not know (name null) shows by their id; the server
      // says who is muted (mutedUntil), and frames keep it current afterwards.
      const before = new Map(this.#members.map(m => [m.id, m]));
      this.#members = sortMembers((body.members ?? []).map(m => ({ ...m, name: m.name ?? m.id, mutedUntil: m.mutedUntil ?? null })));
      const mine = this.#members.find(m => m.id === this.#session().userId);
      if (mine) this.#role = mine.role;
      if (this.#moderates()) {
        // Whoever is online without a role can be moderated too (GET …/presence lists them).
        const online = (await this.#api.access(this.#name)).users ?? [];
        const memberIds = new Set(this.#members.map(m => m.id));
        this.#visitors = new Map(online.filter(u => !memberIds.has(u.id))
          .map(u => [u.id, { id: u.id, name: u.name ?? u.id, mutedUntil: before.get(u.id)?.mutedUntil ?? this.#visitors.get(u.id)?.mutedUntil ?? null }]));
        const log = await this.#api.moderationLog(this.#name);
        this.#bans = currentBans(Array.isArray(log) ? log : log.records ?? [], this.#now())
          .map(ban => ({ ...ban, user: { ...ban.user, name: ban.user.name ?? names.get(ban.user.id) } }));
      } else {
        this.#bans = [];
        this.#visitors.clear();
      }
      this.#render();
    } catch (error) {
      this.#views.members.showError(`Could not read the members: ${error.message}`);
    }
  }

  /** A server frame: `member` frames, `error` `muted`, and `presence` (who of the members, or of the visitors, is online). */
  frame(frame) {
    if (frame.type === 'error' && frame.code === 'muted') {
      this.#setMuted(frame.until ?? null);
    } else if (frame.type === 'presence' && frame.user?.id && (frame.room === undefined || frame.room === this.#name)) {
      this.#onPresence(frame);
    } else if (frame.type === 'member' && frame.user?.id && (frame.room === undefined || frame.room === this.#name)) {
      this.#onMember(frame);
    }
  }

  /**
   * The highest seq shown in the room. An administrator acts as an owner everywhere (protocol.md
   * 11.4), also in a private room they hold no role in, which their list leaves out — as it does a
   * room nobody created until its first message. So once an unlisted room has a message, it can
   * only be a created room: GET /api/rooms/{room} (which answers 404 only for an unused room nobody
   * created, and a browser logs that as an error) then gives the administrator its members panel.
   */
  async seen(seq) {
    if (!this.#unlisted || !(seq > 0) || this.#session().admin !== true || this.#ended) return;
    this.#unlisted = false;
    try {
      const room = await this.#api.room(this.#name);
      if (!room?.owner || this.#ended) return;
      this.#room = room;
      this.#role = room.role ?? null;
      this.#views.members.available(true);
      await this.refresh();
    } catch { /* not now: the panel stays away, as for a room nobody created */ }
  }

  /**
   * A socket was refused while the server answers (a browser cannot read the upgrade's 403): the
   * room says why (docs/protocol.md 11.10). A ban or a private room's refusal ends the stay, so the
   * connection stops; anything else (an expired session, a failed read) leaves it retrying.
   */
  async refused() {
    if (this.#ended) return;
    try {
      if (this.#room?.owner) {
        const room = await this.#api.room(this.#name);
        if (room?.ban) this.#end('banned', null, { until: room.ban.until ?? null });
      } else {
        await this.#api.access(this.#name);
      }
    } catch (error) {
      if (error.status === 403) this.#end('refused', error.message);
    }
  }

  /** The connection closed with a code the page does not reconnect after. */
  closed(code) {
    const reason = CLOSE_REASONS[code];
    // Leaving a private room closes one's own connections with 4403 too, maybe before DELETE answers.
    if (reason) this.#end(this.#leaving ? 'left' : reason);
  }

  /** An action from the members panel on a user. durationSeconds: for mute and ban (null: a ban for good). */
  async act(action, userId, durationSeconds = null) {
    const name = this.#name;
    try {
      if (action === 'remove') await this.#api.removeMember(name, userId);
      else if (action === 'promote' || action === 'demote') await this.#api.setRole(name, userId, action === 'promote' ? 'moderator' : 'member');
      else await this.#api.moderate(name, { action, userId, ...(durationSeconds ? { durationSeconds } : {}) });
    } catch (error) {
      this.#views.members.showError(`Could not ${action}: ${error.message}`);
      return false;
    }
    await this.refresh();
    return true;
  }

  /** Creates an invite and shows the page's link for it. */
  async invite() {
    try {
      const answer = await this.#api.invite(this.#name, {});
      this.#views.members.showInvite(inviteLink(this.#baseUrl, this.#name, answer.invite), answer.expiresAt);
    } catch (error) {
      this.#views.members.showError(`Could not create an invite: ${error.message}`);
    }
  }

  /** Leaves the room for good (members and moderators; an owner cannot). */
  async leaveRoom() {
    this.#leaving = true;
    try {
      await this.#api.removeMember(this.#name, this.#session().userId);
    } catch (error) {
      this.#leaving = false;
      this.#views.members.showError(`Could not leave: ${error.message}`);
      return;
    }
    this.#end('left');
  }

  /** Leaving the room (or the page) for another: stop timers. */
  dispose() {
    this.#clock.clearTimeout(this.#muteTimer);
    this.#views.composer.setMuted(null);
  }

  #acting() {
    return actingRole(this.#role, this.#session().admin === true);
  }

  #moderates() {
    const acting = this.#acting();
    return acting === 'owner' || acting === 'moderator';
  }

  #onPresence(frame) {
    const online = frame.status === 'online';
    const id = frame.user.id;
    if (this.#members.some(m => m.id === id)) {
      this.#members = this.#members.map(m => (m.id === id ? { ...m, online } : m));
    } else if (!this.#moderates() || id === this.#session().userId) {
      return;
    } else if (online) {
      this.#visitors.set(id, { id, name: frame.user.name ?? id, mutedUntil: this.#visitors.get(id)?.mutedUntil ?? null });
    } else {
      this.#visitors.delete(id);
    }
    if (this.#room?.owner) this.#render();
  }

  #onMember(frame) {
    const me = frame.user.id === this.#session().userId;
    this.#members = applyMemberFrame(this.#members, frame, { privateRoom: this.#room?.visibility === 'private' });
    const visitor = this.#visitors.get(frame.user.id);
    if (visitor && frame.event === 'joined') this.#visitors.delete(frame.user.id);
    if (visitor && (frame.event === 'muted' || frame.event === 'unmuted')) visitor.mutedUntil = frame.event === 'muted' ? frame.until ?? null : null;
    if (visitor && (frame.event === 'kicked' || frame.event === 'banned')) this.#visitors.delete(frame.user.id);
    if (frame.event === 'unbanned' || frame.event === 'banned') this.#bans = this.#bans.filter(b => b.user.id !== frame.user.id);
    if (frame.event === 'banned') this.#bans = [{ user: frame.user, until: frame.until ?? null, by: frame.by }, ...this.#bans];
    const text = eventText(frame, this.#now());
    if (text && !me) this.#views.messages.keepAtBottom(() => this.#views.messages.showSystemLine(text));
    if (me) {
      if (frame.event === 'role') this.#role = frame.role;
      if (frame.event === 'muted') this.#setMuted(frame.until ?? null);
      if (frame.event === 'unmuted') this.#setMuted(null);
      const ending = endingFor(frame);
      if (ending) this.#end(this.#leaving ? 'left' : ending, null, frame);
    }
    if (this.#room?.owner) this.#render();
  }

  #setMuted(until) {
    this.#clock.clearTimeout(this.#muteTimer);
    this.#muteTimer = null;
    const left = until ? Date.parse(until) - this.#now() : 0;
    this.#mutedUntil = left > 0 ? until : null;
    this.#views.composer.setMuted(this.#mutedUntil ? `You are muted ${untilText(this.#mutedUntil, this.#now())}.` : null);
    if (this.#mutedUntil) this.#muteTimer = this.#clock.setTimeout(() => this.#setMuted(this.#mutedUntil), Math.min(left, MAX_TIMER_MS));
  }

  /** Once: the notice, then the app (which stops the connection). */
  #end(reason, detail = null, frame = null) {
    if (this.#ended) return;
    this.#ended = reason;
    this.dispose();
    this.#views.members.available(false); // nothing to act on or leave any more: no Members button
    const ending = { reason, room: this.#name, by: frame?.by?.name ?? null, until: frame?.until ?? null, detail };
    this.#views.notice.ended(ending);
    this.#onEnded(ending);
  }

  #render() {
    const acting = this.#acting();
    const myUserId = this.#session().userId;
    const shown = m => {
      // A mute shows (and offers Unmute instead of Mute) only while it lasts.
      const current = { ...m, mutedUntil: m.mutedUntil && Date.parse(m.mutedUntil) > this.#now() ? m.mutedUntil : null };
      return { ...current, you: m.id === myUserId, actions: allowedActions(acting, myUserId, current) };
    };
    this.#views.members.show({
      room: this.#room,
      myUserId,
      canInvite: canInvite(acting),
      canLeave: canLeave(this.#role),
      members: this.#members.map(shown),
      // Online without a role (role null), for those who may act on them; after the members.
      visitors: this.#moderates() ? [...this.#visitors.values()].map(v => shown({ ...v, role: null, online: true })) : [],
      bans: this.#moderates() ? this.#bans : [],
    });
  }
}
