// What the page knows about the room it is in: which messages it holds (by id and seq), what it
// has sent without an ack, who is online. No DOM, no timers: the room controller asks, the views show.

export class RoomState {
  constructor(name, session) {
    this.name = name;
    this.session = session;
    this.ids = new Set();          // ids of confirmed messages held
    this.seqs = new Set();         // their seqs
    this.pending = new Map();      // clientMessageId -> { text, status: 'pending' | 'failed', reason, replyTo: seq | null }
    this.presence = new Map();     // userId -> name
    this.joined = new Set();       // users whose 'online' frame was announced since the last presence load
    this.lowestSeq = null;
    this.highestSeq = 0;
    this.contiguousSeq = null;     // highest seq with no unrepaired gap below it; null before the first load
    this.hasOlder = false;
    this.loadingOlder = false;
    this.unread = 0;
    // This user's role in the room ('owner', 'moderator', 'member'), null while the page does not
    // know it: message-states.mjs's mayDelete reads it.
    this.role = null;
  }

  /** Records a confirmed message; false if its id is already held (a duplicate or a repeat). */
  accept(message) {
    if (this.ids.has(message.id)) return false;
    this.ids.add(message.id);
    this.seqs.add(message.seq);
    this.lowestSeq = this.lowestSeq === null ? message.seq : Math.min(this.lowestSeq, message.seq);
    this.highestSeq = Math.max(this.highestSeq, message.seq);
    return true;
  }

  /**
   * After a live message was accepted: 'loading' before the first history page, 'gap' when it
   * skipped seqs that may still arrive (wait, then read history from contiguousSeq), else 'ok'.
   */
  noteLive(seq) {
    if (this.contiguousSeq === null) return 'loading';
    if (seq === this.contiguousSeq + 1) {
      this.contiguousSeq = seq;
      while (this.seqs.has(this.contiguousSeq + 1)) this.contiguousSeq += 1;
      return 'ok';
    }
    return seq > this.contiguousSeq + 1 ? 'gap' : 'ok';
  }

  /** History was read without a hole up to this seq. */
  caughtUpTo(seq) {
    this.contiguousSeq = Math.max(this.contiguousSeq ?? 0, seq);
  }

  /** Catch-up reached the end: whatever is still missing below what is held is not coming back. */
  settleGaps() {
    this.caughtUpTo(this.highestSeq);
  }

  /** Whether a user id is this tab's (isMine covers ids of earlier sessions in this browser). */
  isMe(userId, isMine = () => false) {
    return userId === this.session.userId || isMine(userId);
  }

  /** An 'online' frame: true if it should be announced as a join. */
  userOnline(user) {
    this.presence.set(user.id, user.name);
    if (this.joined.has(user.id)) return false;
    this.joined.add(user.id);
    return true;
  }

  /** An 'offline' frame: true if the user was known here, so that the leave is worth announcing. */
  userOffline(user) {
    const listed = this.presence.delete(user.id);
    const joined = this.joined.delete(user.id);
    return listed || joined;
  }

  /** The presence list read over REST replaces what frames said; this tab's user is always in it. */
  setPresence(users) {
    this.presence = new Map(users.map(u => [u.id, u.name]));
    this.joined.clear();
    this.presence.set(this.session.userId, this.session.name);
  }

  /** The online list sorted by name, as [userId, name] pairs. */
  presenceByName() {
    return [...this.presence].sort(([, a], [, b]) => a.localeCompare(b));
  }

  /** clientMessageIds still waiting for an ack (not failed), in the order they were written. */
  waiting() {
    return [...this.pending].filter(([, p]) => p.status === 'pending').map(([id]) => id);
  }
}
