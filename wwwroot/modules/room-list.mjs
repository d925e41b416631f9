// The room list (GET /api/rooms, read again every few seconds while the tab is visible), the read
// positions the page saves as messages are seen (PUT …/read, debounced and only forward), and the
// invite link a room's owner shares. No DOM; timers come from a clock the unit tests control.

import { browserClock } from './connection.mjs';

export const REFRESH_EVERY_MS = 8_000;
export const READ_DELAY_MS = 1_000;

/** The name a room is shown by: its title when it has one, else #name. */
export function roomLabel(room) {
  return room.title || `#${room.room}`;
}

/**
 * The unread count to show for a room: none for the room being read (while the tab is visible),
 * none when the server has no read position (a room never opened), else the server's count.
 */
export function unreadShown(room, current, hidden = false) {
  if (room.room === current && !hidden) return 0;
  return Number.isInteger(room.unread) && room.unread > 0 ? room.unread : 0;
}

/** The page's own link for an invite: the room in clear (POST …/join needs it), then the token. */
export function inviteLink(baseUrl, room, invite) {
  const url = new URL('/', baseUrl);
  url.searchParams.set('room', room);
  url.searchParams.set('invite', invite);
  return url.href;
}

/** An invite in the page's address: { room, invite } when both are there, else null. */
export function inviteIn(href, isRoom) {
  const params = new URL(href).searchParams;
  const room = params.get('room');
  const invite = params.get('invite');
  return invite && isRoom(room) ? { room, invite } : null;
}

export function withoutInvite(href) {
  const url = new URL(href);
  url.searchParams.delete('invite');
  return url.href;
}

/**
 * The list of rooms, read again every REFRESH_EVERY_MS while running; onChange(rooms) after each
 * read, and after a failed one until the first answer. `status` is 'loading' until that first
 * answer ('failed' while reads fail before it), then 'ready': the page says "No rooms" only then.
 */
export class RoomDirectory {
  #api;
  #clock;
  #onChange;
  #timer = null;
  #running = false;
  #reading = null;
  #askedFor = new Set();
  rooms = [];
  status = 'loading';

  constructor({ api, onChange, clock = browserClock }) {
    this.#api = api;
    this.#onChange = onChange;
    this.#clock = clock;
  }

  start() {
    if (this.#running) return;
    this.#running = true;
    this.refresh();
  }

  /** The tab is hidden: no reading until it shows again. */
  stop() {
    this.#running = false;
    this.#clock.clearTimeout(this.#timer);
    this.#timer = null;
  }

  /**
   * A message (seq) seen in a room: when the list lacks that room, read it again, once per room. A
   * room nobody created is listed from its first stored message on, so the room being read would
   * otherwise be missing (or the list say "No rooms") until the next read; an administrator's
   * unlisted private room costs that one read only.
   */
  noticed(room, seq) {
    if (!(seq > 0) || this.rooms.some(r => r.room === room) || this.#askedFor.has(room)) return;
    this.#askedFor.add(room);
    this.refresh();
  }

  /**
   * The list as of now: waits for a read under way (it may have started before a room was just
   * created) and reads again; throws when no read has ever answered.
   */
  async fresh() {
    await this.#reading;
    await this.refresh();
    if (this.status !== 'ready') throw new Error('the room list cannot be read');
    return this.rooms;
  }

  /** Reads the list now (one read at a time; a call during a read waits for it). */
  refresh() {
    this.#reading ??= this.#read().finally(() => { this.#reading = null; });
    return this.#reading;
  }

  async #read() {
    this.#clock.clearTimeout(this.#timer);
    this.#timer = null;
    try {
      const body = await this.#api.list();
      const rooms = Array.isArray(body) ? body : body?.rooms;
      this.rooms = Array.isArray(rooms) ? rooms : [];
      this.status = 'ready';
      this.#onChange(this.rooms);
    } catch {
      // Kept as it was; the next read tries again. Before any answer, the page says it could not read.
      if (this.status !== 'ready') {
        this.status = 'failed';
        this.#onChange(this.rooms);
      }
    } finally {
      if (this.#running) this.#timer = this.#clock.setTimeout(() => this.refresh(), REFRESH_EVERY_MS);
    }
  }
}

/**
 * Read positions: seen(room, seq) saves the highest seq seen in each room READ_DELAY_MS after the
 * last one, never a lower one than this page saved before (the server keeps the highest anyway).
 */
export class ReadPositions {
  #api;
  #clock;
  #saved = new Map();    // room -> highest seq saved (or being saved)
  #waiting = new Map();  // room -> { seq, timer }
  #onSaved;

  constructor({ api, clock = browserClock, onSaved = () => {} }) {
    this.#api = api;
    this.#clock = clock;
    this.#onSaved = onSaved;
  }

  seen(room, seq) {
    if (!Number.isInteger(seq) || seq < 0) return;
    const waiting = this.#waiting.get(room);
    if (seq <= Math.max(this.#saved.get(room) ?? -1, waiting?.seq ?? -1)) return;
    this.#clock.clearTimeout(waiting?.timer);
    const timer = this.#clock.setTimeout(() => this.#save(room), READ_DELAY_MS);
    this.#waiting.set(room, { seq, timer });
  }

  /** Saves what waits now (leaving a room, the tab going away). */
  flush() {
    for (const [room, { timer }] of [...this.#waiting]) {
      this.#clock.clearTimeout(timer);
      this.#save(room);
    }
  }

  async #save(room) {
    const waiting = this.#waiting.get(room);
    if (!waiting) return;
    this.#waiting.delete(room);
    const before = this.#saved.get(room);
    this.#saved.set(room, waiting.seq);
    try {
      await this.#api.markRead(room, waiting.seq);
      this.#onSaved(room, waiting.seq);
    } catch {
      // Not saved: the next message seen in this room tries again from here.
      if (this.#saved.get(room) === waiting.seq) {
        if (before === undefined) this.#saved.delete(room);
        else this.#saved.set(room, before);
      }
    }
  }
}

const TITLE_CONTROLS = /[\u0000-\u001f\u007f-\u009f]/;
export const MAX_TITLE = 80;

/** A room's optional title: { ok, title } (trimmed; '' for none) or { ok: false, error }. */
export function checkTitle(raw) {
  const title = String(raw ?? '').trim();
  if (TITLE_CONTROLS.test(title)) return { ok: false, error: 'A title cannot contain control characters or line breaks.' };
  if ([...title].length > MAX_TITLE) return { ok: false, error: `A title is at most ${MAX_TITLE} characters.` };
  return { ok: true, title };
}
