// The REST side of rooms (protocol v1.2, docs/protocol.md section 11): the room list, creating a
// room, read positions, members and roles, invitations and moderation. Every call carries the
// ChatDemo session token as a bearer token when there is one.

import { TIMEOUT_MS, jsonHeaders, problem, roomPath } from './api.mjs';

/**
 * token() is the current session's token, or null (GET /api/rooms then lists public rooms only);
 * fetchImpl is the page's fetch, or a recording fake in the unit tests.
 */
export function createRoomsApi(token, fetchImpl = (...args) => fetch(...args)) {
  async function request(method, path, body) {
    const headers = jsonHeaders(token());
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetchImpl(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (!response.ok) throw await problem(response);
    return response.status === 204 ? null : response.json();
  }

  const room = roomPath;

  return {
    /** GET /api/rooms: the rooms this caller may see, newest activity first. */
    list: () => request('GET', '/api/rooms'),
    /**
     * Whether the caller may read the room: GET …/presence with the token, 200 for a public room or
     * a member (with who is online), 403 for a private room's outsider. Unlike GET /api/rooms/{room}
     * it never answers 404 (which a browser logs as an error) for a room nobody created yet.
     */
    access: name => request('GET', room(name, 'presence')),
    /**
     * GET /api/rooms/{room}: the room object, with the caller's own `ban` while they are banned
     * (docs/protocol.md 11.1). Only for a room known to be created (or by an administrator): a room
     * nobody created answers 404, which a browser logs as an error.
     */
    room: name => request('GET', room(name)),
    /** POST /api/rooms: { room, visibility, title? }; the caller becomes its owner. */
    create: ({ room: name, visibility, title }) => request('POST', '/api/rooms', { room: name, visibility, ...(title ? { title } : {}) }),
    /** PUT …/read: the read position; the server only ever moves it forward. */
    markRead: (name, seq) => request('PUT', room(name, 'read'), { seq }),
    members: name => request('GET', room(name, 'members')),
    setRole: (name, userId, role) => request('PUT', room(name, `members/${encodeURIComponent(userId)}`), { role }),
    /** DELETE …/members/{userId}: removes someone, or leaves when userId is the caller's. */
    removeMember: (name, userId) => request('DELETE', room(name, `members/${encodeURIComponent(userId)}`)),
    /** POST …/invites: { invite, room, expiresAt, maxUses?, url }. */
    invite: (name, options = {}) => request('POST', room(name, 'invites'), options),
    /** POST …/join with an invite: the room object, with role member. */
    join: (name, invite) => request('POST', room(name, 'join'), { invite }),
    /** POST …/moderation: { action, userId, durationSeconds?, reason? } → the record. */
    moderate: (name, action) => request('POST', room(name, 'moderation'), action),
    /** GET …/moderation: the records, newest first. */
    moderationLog: (name, limit = 100) => request('GET', room(name, 'moderation', { limit })),
  };
}
