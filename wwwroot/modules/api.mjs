// The REST side of protocol v1 (and v1.1's changes): configuration, sessions, history pages, one message and presence.

export const TIMEOUT_MS = 10_000;
const PROBE_TIMEOUT_MS = 5_000;

export class ApiError extends Error {
  /** reason: the problem's machine-readable `reason` member, when it has one (an invite's refusal). */
  constructor(message, status, reason = null) {
    super(message);
    this.status = status;
    this.reason = reason;
  }
}

/** The problem+json detail (or title) of a failed response, in words. */
export async function problem(response) {
  let message = `HTTP ${response.status}`;
  let reason = null;
  try {
    const body = await response.json();
    message = body.detail || body.title || message;
    if (typeof body.reason === 'string') reason = body.reason;
  } catch { /* not JSON */ }
  return new ApiError(message, response.status, reason);
}

export function roomPath(room, what, query) {
  const path = `/api/rooms/${encodeURIComponent(room)}${what ? `/${what}` : ''}`;
  return query ? `${path}?${new URLSearchParams(query)}` : path;
}

/** The headers of a call for the session with this token (none: no Authorization). */
export function jsonHeaders(token) {
  return token ? { accept: 'application/json', authorization: `Bearer ${token}` } : { accept: 'application/json' };
}

/**
 * fetchImpl is the page's fetch, or a recording fake in the unit tests; token() is the session's
 * token, sent as a bearer token with history and presence (a private room's need it, protocol.md
 * section 11.3), or null.
 */
export function createApi(fetchImpl = (...args) => fetch(...args), token = () => null) {
  let config = null;

  async function getJson(path, bearer = null) {
    const response = await fetchImpl(path, { headers: jsonHeaders(bearer), signal: AbortSignal.timeout(TIMEOUT_MS) });
    if (!response.ok) throw await problem(response);
    return response.json();
  }

  async function postSession(headers, body) {
    const response = await fetchImpl('/api/sessions', {
      method: 'POST',
      headers: { ...headers, accept: 'application/json' },
      body,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (!response.ok) throw await problem(response);
    return response.json();
  }

  return {
    /** GET /api/config, once per page; a failure is not remembered. */
    config() {
      config ??= getJson('/api/config').catch(error => { config = null; throw error; });
      return config;
    },

    /** POST /api/sessions: a guest session, { userId, name, token, expiresAt, kind, admin }. */
    createSession(name) {
      return postSession({ 'content-type': 'application/json' }, JSON.stringify({ name }));
    },

    /** POST /api/sessions with the provider's ID token: a member session (docs/protocol.md section 1.1). */
    exchangeIdToken(idToken) {
      return postSession({ authorization: `Bearer ${idToken}` }, undefined);
    },

    /**
     * A history page: query is { limit } and at most one of { before } or { after }; or, v1.1, the
     * messages changed since a revision: { changedSince, limit } (protocol.md 10.7).
     */
    messages(room, query) {
      return getJson(roomPath(room, 'messages', query), token());
    },

    /** v1.1: one message in its current state, for a reply whose target is not loaded; 404 when there is none. */
    message(room, seq) {
      return getJson(roomPath(room, `messages/${seq}`));
    },

    presence(room) {
      return getJson(roomPath(room, 'presence'), token());
    },

    /** Whether the server answers HTTP at all (a socket refused by a live server means a bad token). */
    async serverAnswers() {
      try {
        const response = await fetchImpl('/api/config', { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
        return response.ok;
      } catch {
        return false;
      }
    },
  };
}
