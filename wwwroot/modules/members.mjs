// Who may do what in a room (docs/protocol.md section 11.4–11.6), the member list kept in step with
// `member` frames, and what a close code or a frame about oneself means. No DOM, no timers.

const ROLE_ORDER = { owner: 0, moderator: 1, member: 2 };

/** Close codes after which the page does not reconnect by itself (4401 offers a Rejoin button). */
export const CLOSE_REASONS = { 4401: 'kicked', 4402: 'banned', 4403: 'removed' };

/** Mute and ban lengths offered by the members panel, in seconds (null: a ban for good). */
export const MUTE_CHOICES = [[600, '10 minutes'], [3600, '1 hour'], [86_400, '1 day']];
export const BAN_CHOICES = [[3600, '1 hour'], [86_400, '1 day'], [604_800, '7 days'], [null, 'for good']];

/** Role words as the panel shows them. */
export const ROLE_NAMES = { owner: 'Owner', moderator: 'Moderator', member: 'Member', visitor: 'Visitor' };

/**
 * How the caller acts in a room: an administrator acts as an owner everywhere; otherwise their role
 * (owner, moderator, member) or null.
 */
export function actingRole(role, admin) {
  return admin ? 'owner' : role ?? null;
}

export function canInvite(acting) {
  return acting === 'owner' || acting === 'moderator';
}

/**
 * The actions the caller may take on someone: mute (or unmute, when target.mutedUntil says they
 * are muted now), kick, ban, remove (owners and moderators, never on the owner or themselves, a
 * moderator not on another moderator) and promote/demote (owners only, never on the owner). A
 * visitor (online without a role, role null) can be muted, kicked and banned, not removed or
 * promoted. Administrators among the targets are refused by the server (no list says who is one);
 * the panel then shows its answer.
 */
export function allowedActions(acting, myUserId, target) {
  if (target.id === myUserId || target.role === 'owner') return [];
  if (acting !== 'owner' && acting !== 'moderator') return [];
  if (acting === 'moderator' && target.role === 'moderator') return [];
  const mute = target.mutedUntil ? 'unmute' : 'mute';
  if (!target.role) return [mute, 'kick', 'ban'];
  const actions = [mute, 'kick', 'ban', 'remove'];
  if (acting === 'owner') actions.push(target.role === 'moderator' ? 'demote' : 'promote');
  return actions;
}

/** A member may leave; an owner cannot (409): they would leave the room without one. */
export function canLeave(role) {
  return role === 'moderator' || role === 'member';
}

/** Owner first, then moderators, then members by joinedAt (the server's order, kept after frames). */
export function sortMembers(members) {
  return [...members].sort((a, b) =>
    (ROLE_ORDER[a.role] ?? 3) - (ROLE_ORDER[b.role] ?? 3) || String(a.joinedAt ?? '').localeCompare(String(b.joinedAt ?? '')));
}

/**
 * The member list after a `member` frame: joined adds (as a member), role changes the role,
 * left/removed take the member out, a ban takes them out of a private room, muted/unmuted set or
 * clear mutedUntil. Returns a new array; frames about unknown users only add on joined.
 */
export function applyMemberFrame(members, frame, { privateRoom = false } = {}) {
  const others = members.filter(m => m.id !== frame.user.id);
  const known = members.find(m => m.id === frame.user.id);
  switch (frame.event) {
    case 'joined':
      return known ? members : sortMembers([...members, { id: frame.user.id, name: frame.user.name ?? frame.user.id, role: frame.role ?? 'member', joinedAt: frame.at, online: true }]);
    case 'role':
      return known ? sortMembers([...others, { ...known, role: frame.role }]) : members;
    case 'left':
    case 'removed':
      return others;
    case 'banned':
      return privateRoom ? others : members;
    case 'muted':
      return known ? members.map(m => (m.id === known.id ? { ...m, mutedUntil: frame.until ?? null } : m)) : members;
    case 'unmuted':
      return known ? members.map(m => (m.id === known.id ? { ...m, mutedUntil: null } : m)) : members;
    default:
      return members;
  }
}

/**
 * Who is banned now, from the moderation log (newest first): each user's latest ban or unban
 * decides; a ban whose `until` has passed is over. [{ user, until, by }], newest first.
 */
export function currentBans(records, now = Date.now()) {
  const decided = new Set();
  const bans = [];
  for (const record of records) {
    if ((record.action !== 'ban' && record.action !== 'unban') || decided.has(record.user.id)) continue;
    decided.add(record.user.id);
    if (record.action === 'ban' && (!record.until || Date.parse(record.until) > now)) {
      bans.push({ user: record.user, until: record.until ?? null, by: record.by });
    }
  }
  return bans;
}

/** What a `member` frame about this user means for their connection: kicked, banned, removed, or null. */
export function endingFor(frame) {
  return ['kicked', 'banned', 'removed'].includes(frame.event) ? frame.event : null;
}

/** "until 14:05" for a time today, else with the date; "for good" without one. */
export function untilText(until, now = Date.now(), locale = undefined) {
  if (!until) return 'for good';
  const date = new Date(until);
  if (Number.isNaN(date.getTime())) return 'for a while';
  const sameDay = new Date(now).toDateString() === date.toDateString();
  const time = date.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
  return sameDay ? `until ${time}` : `until ${date.toLocaleDateString(locale, { day: 'numeric', month: 'short' })} ${time}`;
}

/** What the page says when a stay in a room ends: kicked, banned, removed, left, or refused at the door. */
export function endingText({ reason, room, by = null, until = null, detail = null }, now = Date.now()) {
  const byWhom = by ? ` by ${by}` : '';
  switch (reason) {
    case 'kicked': return `You were kicked from #${room}${byWhom}. You may rejoin.`;
    case 'banned': return `You are banned from #${room}${byWhom} ${until ? untilText(until, now) : 'until a moderator lifts the ban'}.`;
    case 'removed': return `You were removed from #${room}${byWhom}.`;
    case 'left': return `You left #${room}.`;
    default: return `You cannot enter #${room}${detail ? `: ${detail.replace(/\.$/, '')}` : ''}.`;
  }
}

const inviteRefusals = {
  invalid: 'this invite link is not valid (it may have been copied incompletely)',
  expired: 'this invite has expired; ask for a new one',
  used_up: 'this invite has been used as often as it allows; ask for a new one',
  wrong_room: 'this invite is for another room',
  banned: 'you are banned from this room',
};

/** Why an invite was refused, in words, from the problem's `reason` (docs/protocol.md section 11.5). */
export function inviteRefusal(error) {
  return inviteRefusals[error.reason] ?? error.message;
}
