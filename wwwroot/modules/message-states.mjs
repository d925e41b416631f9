// What a message looks like now (protocol.md section 10, v1.1): per seq, the state with the highest
// version seen from any source (a frame, an ack, a history page, one message read for a reply), and
// the room revision up to which every change is applied. No DOM, no timers.

/** A state without `version` is the message as sent: version 1. */
export const versionOf = message => message.version ?? 1;

export class MessageStates {
  #bySeq = new Map();

  /**
   * Keeps the state if it is newer than the one held: 'new' (first state of this seq), 'changed',
   * or 'stale' (an older or equal version, ignored). Order-insensitive and idempotent. A tombstone
   * never comes back: it has a higher version than every state before it, and a live state that
   * claimed otherwise is not believed either.
   */
  apply(message) {
    const held = this.#bySeq.get(message.seq);
    if (held && (versionOf(message) <= versionOf(held) || (held.deleted && !message.deleted))) return 'stale';
    this.#bySeq.set(message.seq, message);
    return held ? 'changed' : 'new';
  }

  get(seq) { return this.#bySeq.get(seq) ?? null; }

  /** Seqs of the held messages that reply to this one (to redraw their quotes when it changes). */
  repliesTo(seq) {
    return [...this.#bySeq.values()].filter(m => m.replyTo === seq).map(m => m.seq);
  }

  /** The newest message of this user, among the seqs shown, that can still be edited (Up arrow). */
  lastEditable(isMe, shownSeqs) {
    let last = null;
    for (const seq of shownSeqs) {
      const message = this.#bySeq.get(seq);
      if (message && mayEdit(message, isMe) && (last === null || seq > last)) last = seq;
    }
    return last;
  }
}

/** Only the author edits, and only a message that is not deleted (10.5). */
export function mayEdit(message, isMe) {
  return !message.deleted && isMe(message.sender.id);
}

/** Roles that may delete anyone's message, once the page knows the user's role in the room (issue 18). */
const DELETING_ROLES = new Set(['owner', 'moderator']);

/**
 * Who may delete: the author; and a moderator or the room's owner, when the page knows the user's
 * role in the room (role is null until then, so today only the author). The one place the page
 * decides it.
 */
export function mayDelete(message, isMe, role = null) {
  return !message.deleted && (isMe(message.sender.id) || DELETING_ROLES.has(role));
}

/** Anyone in the room reacts to, or replies to, a message that is not deleted. */
export function mayRespond(message) {
  return !message.deleted;
}

/**
 * The room revision (10.4, 10.8): `value` is the revision up to which every change has been
 * applied; null before the first history page (or against a v1 server, which has none).
 */
export class RevisionTracker {
  value = null;
  #seen = new Set();   // live revisions above value, waiting for the ones below them

  /** The first page loaded, or a changedSince answer: every change up to `revision` is applied. */
  caughtUpTo(revision) {
    if (!Number.isInteger(revision)) return;
    this.value = Math.max(this.value ?? 0, revision);
    this.#advance();
  }

  /**
   * A live messageUpdated's revision: 'loading' before the first page, 'gap' when revisions are
   * missing below it (wait, then ask changedSince={value}), else 'ok'.
   */
  noteLive(revision) {
    if (this.value === null || !Number.isInteger(revision)) return 'loading';
    if (revision <= this.value) return 'ok';
    this.#seen.add(revision);
    this.#advance();
    return revision > this.value ? 'gap' : 'ok';
  }

  /** Whether some revision below one already seen is still missing. */
  get hasGap() { return this.#seen.size > 0; }

  #advance() {
    while (this.#seen.has(this.value + 1)) this.value += 1;
    for (const revision of this.#seen) if (revision <= this.value) this.#seen.delete(revision);
  }
}

/** Whether this user is among a reaction's users. */
const reactedBy = (reaction, isMe) => reaction.users?.some(u => isMe(u.id)) ?? false;

/**
 * What to show for a message: its state with this user's unanswered changes laid over it
 * (optimistically, as a pending send is shown at once) and the failed ones listed.
 * @param changes the change queue's entries for this seq, in order
 * @returns { text, deleted, edited, editedAt, replyTo, reactions: [{ emoji, count, mine }], pending, failed: [entry] }
 */
export function project(message, changes, isMe) {
  const view = {
    text: message.text,
    deleted: message.deleted === true,
    edited: Boolean(message.editedAt),
    editedAt: message.editedAt ?? null,
    replyTo: message.replyTo ?? null,
    reactions: (message.reactions ?? []).map(r => ({ emoji: r.emoji, count: r.count, mine: reactedBy(r, isMe) })),
    pending: false,
    failed: [],
  };
  for (const change of changes) {
    if (change.status === 'failed') {
      view.failed.push(change);
      continue;
    }
    if (view.deleted) continue;
    view.pending = true;
    if (change.action === 'editMessage') {
      view.text = change.text;
      view.edited = true;
    } else if (change.action === 'deleteMessage') {
      view.deleted = true;
    } else if (change.action === 'react') {
      toggle(view.reactions, change.emoji, change.op === 'add');
    }
  }
  if (view.deleted) Object.assign(view, { text: '', edited: false, editedAt: null, replyTo: null, reactions: [] });
  return view;
}

function toggle(reactions, emoji, add) {
  const index = reactions.findIndex(r => r.emoji === emoji);
  const reaction = reactions[index];
  if (add && !reaction) reactions.push({ emoji, count: 1, mine: true });
  else if (add && !reaction.mine) Object.assign(reaction, { count: reaction.count + 1, mine: true });
  else if (!add && reaction?.mine) {
    if (reaction.count <= 1) reactions.splice(index, 1);
    else Object.assign(reaction, { count: reaction.count - 1, mine: false });
  }
}
