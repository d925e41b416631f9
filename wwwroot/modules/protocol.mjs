// The input rules of protocol v1 (docs/protocol.md), as the server applies them
// (ChatDemo.Web/Chat/ChatRules.cs), so that the page refuses or cleans bad input before sending.

export const MAX_NAME = 32;
export const MAX_ROOM = 64;
export const MAX_TEXT = 2000;
/** The composer's counter appears from here on. */
export const COUNTER_FROM = 1800;

const ROOM_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
// Letters with their combining marks, decimal digits, spaces and - _ . '
const NAME_PATTERN = /^[\p{L}\p{Mn}\p{Mc}\p{Nd} _.'-]+$/u;
// Control characters the protocol refuses in text: everything but \n and \t.
const TEXT_CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
const LONE_SURROGATES = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const ANY_CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** Length as the server counts it: Unicode code points, not UTF-16 units. */
export function codePoints(text) {
  return [...text].length;
}

/** A display name: { ok: true, name } (trimmed) or { ok: false, error }. */
export function checkName(raw) {
  const value = String(raw ?? '');
  if (ANY_CONTROL.test(value)) return { ok: false, error: 'A name cannot contain control characters.' };
  const name = value.trim();
  if (!name) return { ok: false, error: 'Please enter a display name.' };
  if (!NAME_PATTERN.test(name)) return { ok: false, error: "A name may contain only letters, digits, spaces and - _ . '" };
  if (codePoints(name) > MAX_NAME) return { ok: false, error: `A name is 1-${MAX_NAME} characters.` };
  return { ok: true, name };
}

/** A room name, case-sensitive; an empty field means the lobby. */
export function checkRoom(raw) {
  const room = String(raw ?? '').trim() || 'lobby';
  return ROOM_PATTERN.test(room)
    ? { ok: true, room }
    : { ok: false, error: `A room name is 1-${MAX_ROOM} letters, digits, - or _.` };
}

export function isRoom(value) {
  return typeof value === 'string' && ROOM_PATTERN.test(value);
}

/**
 * What the composer would send: forbidden control characters and unpaired surrogates are
 * dropped rather than refused (a pasted \r is not worth an error), surrounding space trimmed.
 */
export function cleanText(raw) {
  return raw.replace(LONE_SURROGATES, '').replace(TEXT_CONTROLS, '').trim();
}

/** The composer's view of its text: what would be sent, its length, and whether it may be sent. */
export function checkText(raw) {
  const text = cleanText(raw);
  const length = codePoints(text);
  return { text, length, over: length > MAX_TEXT, sendable: length > 0 && length <= MAX_TEXT };
}

/**
 * A clientMessageId (1-64 of A-Z a-z 0-9 _ -), unique enough to deduplicate re-sends. Change
 * requests (v1.1) use another prefix, so that their answers are never taken for a send's.
 */
export function newClientMessageId(now = Date.now(), uuid = crypto.randomUUID(), prefix = 'c') {
  return `${prefix}-${now.toString(36)}-${uuid.slice(0, 8)}`;
}

/** A server frame, or null for anything that is not a JSON object with a type. */
export function parseFrame(data) {
  let frame;
  try { frame = JSON.parse(data); } catch { return null; }
  return frame !== null && typeof frame === 'object' && typeof frame.type === 'string' ? frame : null;
}

const failureReasons = {
  rate_limited: 'too many messages at once. Wait a moment, then retry.',
  validation_failed: 'the server refused it',
  internal: 'the server could not store it',
  // v1.1 (protocol.md 10.5): refusals of a change, or of a reply's target
  unknown_message: 'that message no longer exists',
  not_author: 'only its author can change that message',
  message_deleted: 'the message was deleted',
  invalid_emoji: 'that is not one emoji',
  too_many_reactions: 'that message has too many reactions',
  unknown_action: 'this server cannot change messages',
};

/** Refusals that may go through when simply sent again; the others would be refused again. */
const retriable = new Set(['rate_limited', 'internal']);

export function isRetriable(code) {
  return retriable.has(code);
}

/** Why a message was not sent, in words, from the server's error frame. */
export function failureReason(frame) {
  if (frame.code === 'validation_failed' && frame.message) return `${failureReasons.validation_failed} (${frame.message})`;
  return failureReasons[frame.code] ?? frame.message ?? frame.code;
}
