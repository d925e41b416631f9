// ChatDemo's page: one ES module, no framework. It speaks protocol v1 (docs/protocol.md) and
// reconnects as its section 7 says. User-provided text only ever reaches the DOM through
// textContent; nothing here builds HTML from strings.

const MAX_TEXT = 2000;
const COUNTER_FROM = 1800;
const HISTORY_PAGE = 50;
const CATCH_UP_PAGE = 100;
const BACKOFF_FIRST_MS = 500;
const BACKOFF_MAX_MS = 30_000;
const OPEN_TIMEOUT_MS = 10_000;
const PING_EVERY_MS = 5 * 60_000;
const PONG_TIMEOUT_MS = 7_000;
const ACK_PATIENCE_MS = 8_000;
const TYPING_SEND_EVERY_MS = 2_000;
const TYPING_SHOW_MS = 5_000;
const SESSION_RENEW_MARGIN_MS = 60_000;
// The server allows a burst of 20 sends, then 10 a second; re-sends after a reconnect stay under it.
const RESEND_BURST = 10;
const RESEND_SPACING_MS = 150;
const ROOM_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
// Control characters the protocol refuses (everything but \n and \t), stripped before sending.
const FORBIDDEN_CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

// ---------------------------------------------------------------------------------------------
// Remembered state (localStorage): name, session, last room, theme, and unacknowledged messages.

const keys = {
  name: 'chatdemo.name',
  session: 'chatdemo.session',
  room: 'chatdemo.room',
  inRoom: 'chatdemo.inRoom',
  theme: 'chatdemo.theme',
  myIds: 'chatdemo.myUserIds',
  outbox: room => `chatdemo.outbox.${room}`,
};

const saved = {
  get(key) {
    try { return localStorage.getItem(key); } catch { return null; }
  },
  set(key, value) {
    try {
      if (value === null || value === undefined) localStorage.removeItem(key);
      else localStorage.setItem(key, value);
    } catch { /* storage full or disabled: the page still works for this visit */ }
  },
  json(key, fallback) {
    try { return JSON.parse(saved.get(key)) ?? fallback; } catch { return fallback; }
  },
};

/** Messages without an ack, per room, so that neither a reconnect nor a reload loses them. */
const outbox = {
  list(room) { return saved.json(keys.outbox(room), []); },
  put(room, entry) {
    const entries = outbox.list(room).filter(e => e.clientMessageId !== entry.clientMessageId);
    entries.push(entry);
    saved.set(keys.outbox(room), JSON.stringify(entries));
  },
  remove(room, clientMessageId) {
    const entries = outbox.list(room).filter(e => e.clientMessageId !== clientMessageId);
    saved.set(keys.outbox(room), entries.length ? JSON.stringify(entries) : null);
  },
};

// ---------------------------------------------------------------------------------------------
// REST.

let configPromise = null;

function loadConfig() {
  configPromise ??= getJson('/api/config').catch(error => { configPromise = null; throw error; });
  return configPromise;
}

async function getJson(path) {
  const response = await fetch(path, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(await problemDetail(response));
  return response.json();
}

async function problemDetail(response) {
  try {
    const body = await response.json();
    return body.detail || body.title || `HTTP ${response.status}`;
  } catch {
    return `HTTP ${response.status}`;
  }
}

async function createSession(name) {
  const response = await fetch('/api/sessions', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ name }),
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(await problemDetail(response));
  const session = await response.json();
  saved.set(keys.session, JSON.stringify(session));
  const ids = saved.json(keys.myIds, []);
  if (!ids.includes(session.userId)) saved.set(keys.myIds, JSON.stringify([...ids, session.userId].slice(-20)));
  return session;
}

function sessionIsFresh(session) {
  return session && Date.parse(session.expiresAt) - SESSION_RENEW_MARGIN_MS > Date.now();
}

// ---------------------------------------------------------------------------------------------
// Elements.

const $ = selector => document.querySelector(selector);
const el = {
  joinView: $('#join-view'),
  joinForm: $('#join-form'),
  joinError: $('#join-error'),
  nameInput: $('[data-testid="name-input"]'),
  roomInput: $('[data-testid="room-input"]'),
  joinButton: $('[data-testid="join-button"]'),
  roomView: $('#room-view'),
  roomName: $('#room-name'),
  status: $('[data-testid="connection-status"]'),
  statusText: $('.connection-text'),
  themeToggle: $('#theme-toggle'),
  leave: $('[data-testid="leave-button"]'),
  presenceList: $('[data-testid="presence-list"]'),
  presenceCount: $('#presence-count'),
  scroller: $('#scroller'),
  loadOlder: $('[data-testid="load-older"]'),
  list: $('[data-testid="message-list"]'),
  typing: $('[data-testid="typing-indicator"]'),
  composerForm: $('#composer-form'),
  composer: $('[data-testid="composer-input"]'),
  send: $('[data-testid="send-button"]'),
  counter: $('#composer-counter'),
};

function make(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// ---------------------------------------------------------------------------------------------
// Theme: the system's by default; the toggle's choice is remembered.

function effectiveTheme() {
  return document.documentElement.dataset.theme
    ?? (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');
}

function applyTheme(theme) {
  if (theme === 'dark' || theme === 'light') document.documentElement.dataset.theme = theme;
  else delete document.documentElement.dataset.theme;
  const next = effectiveTheme() === 'dark' ? 'light' : 'dark';
  el.themeToggle.setAttribute('aria-label', `Switch to ${next} theme`);
}

applyTheme(saved.get(keys.theme));
el.themeToggle.addEventListener('click', () => {
  const next = effectiveTheme() === 'dark' ? 'light' : 'dark';
  saved.set(keys.theme, next);
  applyTheme(next);
});
matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => applyTheme(saved.get(keys.theme)));

// ---------------------------------------------------------------------------------------------
// The room: what is shown and what is known about it.

/** Everything about the room currently joined; replaced on every join. */
let room = null;

function newRoomState(name, session) {
  return {
    name,
    session,
    messages: new Map(),       // id -> element, confirmed messages only
    pending: new Map(),        // clientMessageId -> { text, element, status }
    presence: new Map(),       // userId -> name
    joined: new Set(),         // users whose 'online' frame was announced since the last presence load
    typers: new Map(),         // userId -> { name, timer }
    lowestSeq: null,
    highestSeq: 0,
    contiguousSeq: null,       // highest seq with no unrepaired gap below it; null before the first load
    hasOlder: false,
    loadingOlder: false,
    gapTimer: null,
    unread: 0,
  };
}

function isMe(userId) {
  return userId === room?.session.userId || saved.json(keys.myIds, []).includes(userId);
}

function nearBottom() {
  const s = el.scroller;
  return s.scrollHeight - s.scrollTop - s.clientHeight < 80;
}

function scrollToBottom() {
  el.scroller.scrollTop = el.scroller.scrollHeight;
}

function formatTime(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

function buildMessageElement({ senderId, senderName, text, clientMessageId }) {
  const item = make('div', 'message');
  item.dataset.testid = 'message';
  item.dataset.seq = '';
  item.dataset.id = '';
  item.dataset.clientId = clientMessageId ?? '';
  if (isMe(senderId)) item.classList.add('own');

  const meta = make('div', 'message-meta');
  const sender = make('span', 'message-sender', senderName);
  sender.dataset.testid = 'message-sender';
  const time = make('time', 'message-time');
  meta.append(sender, time);

  const body = make('p', 'message-text', text);
  body.dataset.testid = 'message-text';

  const state = make('div', 'message-state');
  item.append(meta, body, state);
  return item;
}

function setTime(item, sentAt) {
  const time = item.querySelector('.message-time');
  time.dateTime = sentAt ?? '';
  time.textContent = sentAt ? formatTime(sentAt) : '';
  if (sentAt) time.title = new Date(sentAt).toLocaleString();
}

function setStatus(item, status, reason) {
  item.dataset.status = status;
  const state = item.querySelector('.message-state');
  state.replaceChildren();
  if (status === 'pending') {
    state.append(make('span', 'state-pending', 'Sending…'));
  } else if (status === 'failed') {
    const why = make('span', 'state-failed', `Not sent: ${reason}`);
    const retry = make('button', 'link-button', 'Retry');
    retry.type = 'button';
    retry.dataset.testid = 'retry-button';
    retry.addEventListener('click', () => retrySend(item.dataset.clientId));
    const discard = make('button', 'link-button', 'Discard');
    discard.type = 'button';
    discard.addEventListener('click', () => discardPending(item.dataset.clientId));
    state.append(why, retry, discard);
  }
}

/** Confirmed messages go in seq order; pending ones stay at the end, after everything confirmed. */
function insertBySeq(item, seq) {
  let before = null;
  for (const child of el.list.children) {
    if (child.dataset.status === 'pending' || child.dataset.status === 'failed') { before ??= child; break; }
    if (child.dataset.testid === 'message' && Number(child.dataset.seq) > seq) { before = child; break; }
  }
  el.list.insertBefore(item, before);
}

function appendBeforePending(item) {
  const firstPending = el.list.querySelector('[data-status="pending"], [data-status="failed"]');
  el.list.insertBefore(item, firstPending);
}

/** Shows a message from the server (live, history or ack); each id at most once. */
function showMessage(message) {
  if (!room || message.room !== undefined && message.room !== room.name) return;
  if (room.messages.has(message.id)) return;

  let item = null;
  const own = isMe(message.sender.id);
  if (own && room.pending.has(message.clientMessageId)) {
    item = room.pending.get(message.clientMessageId).element;
    room.pending.delete(message.clientMessageId);
    outbox.remove(room.name, message.clientMessageId);
    item.remove();
  } else {
    item = buildMessageElement({
      senderId: message.sender.id, senderName: message.sender.name,
      text: message.text, clientMessageId: message.clientMessageId,
    });
  }
  item.dataset.seq = String(message.seq);
  item.dataset.id = message.id;
  setTime(item, message.sentAt);
  setStatus(item, 'sent');
  insertBySeq(item, message.seq);
  room.messages.set(message.id, item);
  room.lowestSeq = room.lowestSeq === null ? message.seq : Math.min(room.lowestSeq, message.seq);
  room.highestSeq = Math.max(room.highestSeq, message.seq);
  if (!own) clearTyper(message.sender.id);
}

function showSystemLine(text) {
  const line = make('div', 'system-line', text);
  line.dataset.testid = 'system-line';
  appendBeforePending(line);
}

function showPending(clientMessageId, text, status = 'pending', reason = '') {
  const item = buildMessageElement({
    senderId: room.session.userId, senderName: room.session.name, text, clientMessageId,
  });
  item.classList.add('own');
  setStatus(item, status, reason);
  el.list.append(item);
  room.pending.set(clientMessageId, { text, element: item, status });
}

// ---------------------------------------------------------------------------------------------
// Presence and typing.

function renderPresence() {
  const entries = [...room.presence].sort(([, a], [, b]) => a.localeCompare(b));
  el.presenceList.replaceChildren(...entries.map(([id, name]) => {
    const entry = make('li', 'presence-user');
    entry.dataset.testid = 'presence-user';
    entry.dataset.userId = id;
    const avatar = make('span', 'avatar', initials(name));
    avatar.setAttribute('aria-hidden', 'true');
    avatar.style.setProperty('--hue', String(hue(id)));
    entry.append(avatar, make('span', 'presence-name', name));
    if (id === room.session.userId) entry.append(make('span', 'presence-you', '(you)'));
    return entry;
  }));
  el.presenceCount.textContent = String(entries.length);
}

function initials(name) {
  const letters = [...name.trim()].filter(c => /\p{L}|\p{N}/u.test(c));
  return (letters[0] ?? '?').toUpperCase();
}

function hue(text) {
  let h = 0;
  for (const c of text) h = (h * 31 + c.codePointAt(0)) % 360;
  return h;
}

function onPresence(frame) {
  if (isMe(frame.user.id)) return;
  const id = frame.user.id;
  // The server announces a user's first connection only, so an 'online' frame is a real join even
  // when the presence list (read over REST) already has them; 'joined' guards against a repeat.
  if (frame.status === 'online') {
    room.presence.set(id, frame.user.name);
    if (!room.joined.has(id)) announce(`${frame.user.name} joined`);
    room.joined.add(id);
  } else {
    const known = room.presence.delete(id) | room.joined.delete(id);
    clearTyper(id);
    if (known) announce(`${frame.user.name} left`);
  }
  renderPresence();
}

function announce(text) {
  const stick = nearBottom();
  showSystemLine(text);
  if (stick) scrollToBottom();
}

function onTyping(frame) {
  if (isMe(frame.user.id)) return;
  clearTimeout(room.typers.get(frame.user.id)?.timer);
  const timer = setTimeout(() => clearTyper(frame.user.id), TYPING_SHOW_MS);
  room.typers.set(frame.user.id, { name: frame.user.name, timer });
  renderTyping();
}

function clearTyper(userId) {
  const typer = room?.typers.get(userId);
  if (!typer) return;
  clearTimeout(typer.timer);
  room.typers.delete(userId);
  renderTyping();
}

function renderTyping() {
  const names = [...room.typers.values()].map(t => t.name);
  el.typing.textContent =
    names.length === 0 ? '' :
    names.length === 1 ? `${names[0]} is typing…` :
    names.length === 2 ? `${names[0]} and ${names[1]} are typing…` :
    `${names.length} people are typing…`;
}

// ---------------------------------------------------------------------------------------------
// History: the first page, catching up after a (re)connect, filling gaps, and paging back.

function historyPath(query) {
  return `/api/rooms/${encodeURIComponent(room.name)}/messages?${new URLSearchParams(query)}`;
}

function showHistory(messages) {
  const stick = nearBottom();
  for (const message of messages) showMessage(message);
  if (stick) scrollToBottom();
}

/** Fetches everything after the highest contiguous seq until the server says there is no more. */
async function catchUp(current) {
  if (current.contiguousSeq === null) {
    const page = await getJson(historyPath({ limit: HISTORY_PAGE }));
    if (room !== current) return;
    showHistory(page.messages);
    current.hasOlder = page.hasMore;
    current.contiguousSeq = page.messages.at(-1)?.seq ?? 0;
    renderLoadOlder();
    scrollToBottom();
  }
  for (;;) {
    const page = await getJson(historyPath({ after: current.contiguousSeq, limit: CATCH_UP_PAGE }));
    if (room !== current) return;
    showHistory(page.messages);
    current.contiguousSeq = Math.max(current.contiguousSeq, page.messages.at(-1)?.seq ?? 0);
    if (!page.hasMore) break;
  }
  // Whatever is still missing below what we hold is not coming back: move on.
  current.contiguousSeq = Math.max(current.contiguousSeq, current.highestSeq);
}

function onLiveMessage(message) {
  const stick = nearBottom() || isMe(message.sender.id);
  showMessage(message);
  if (stick) scrollToBottom();
  if (document.hidden && !isMe(message.sender.id)) {
    room.unread += 1;
    updateTitle();
  }
  if (room.contiguousSeq === null) return;
  if (message.seq === room.contiguousSeq + 1) {
    room.contiguousSeq = message.seq;
    while (hasSeq(room.contiguousSeq + 1)) room.contiguousSeq += 1;
  } else if (message.seq > room.contiguousSeq + 1 && !room.gapTimer) {
    // Out of order or lost (possible with AWS fan-out): give it a moment, then ask history once.
    const current = room;
    current.gapTimer = setTimeout(() => {
      current.gapTimer = null;
      if (room === current && connection.ready) catchUp(current).catch(() => {});
    }, 1000);
  }
}

function hasSeq(seq) {
  return el.list.querySelector(`[data-testid="message"][data-seq="${seq}"]`) !== null;
}

function renderLoadOlder() {
  el.loadOlder.hidden = !room.hasOlder;
  el.loadOlder.disabled = room.loadingOlder;
  el.loadOlder.textContent = room.loadingOlder ? 'Loading…' : 'Load older messages';
}

async function loadOlder() {
  const current = room;
  if (!current || current.loadingOlder || current.lowestSeq === null) return;
  current.loadingOlder = true;
  renderLoadOlder();
  try {
    const page = await getJson(historyPath({ before: current.lowestSeq, limit: HISTORY_PAGE }));
    if (room !== current) return;
    const height = el.scroller.scrollHeight;
    for (const message of page.messages) showMessage(message);
    el.scroller.scrollTop += el.scroller.scrollHeight - height;
    current.hasOlder = page.hasMore && page.messages.length > 0;
  } catch {
    // Shown as still available; the person can press it again.
  } finally {
    current.loadingOlder = false;
    if (room === current) renderLoadOlder();
  }
}

el.loadOlder.addEventListener('click', loadOlder);

async function loadPresence(current) {
  const body = await getJson(`/api/rooms/${encodeURIComponent(current.name)}/presence`);
  if (room !== current) return;
  current.presence = new Map(body.users.map(u => [u.id, u.name]));
  current.joined.clear();
  current.presence.set(current.session.userId, current.session.name);
  renderPresence();
}

// ---------------------------------------------------------------------------------------------
// The WebSocket: connect, reconnect with backoff forever, catch up, re-send, keep alive.

const connection = {
  socket: null,
  ready: false,          // open and caught up: sends go straight out
  attempts: 0,           // consecutive failed attempts (drives the backoff)
  refusals: 0,           // consecutive sockets that never opened while the server answered HTTP
  retryTimer: null,
  openTimer: null,
  pingTimer: null,
  pongTimer: null,
  resendTimers: [],
};

function setConnectionState(state) {
  el.status.dataset.state = state;
  el.statusText.textContent = state === 'connected' ? 'Connected' : state === 'reconnecting' ? 'Reconnecting…' : 'Offline';
}

function disconnectedState() {
  return navigator.onLine === false ? 'offline' : 'reconnecting';
}

async function connect() {
  clearTimeout(connection.retryTimer);
  connection.retryTimer = null;
  const current = room;
  if (!current || connection.socket) return;
  setConnectionState(disconnectedState());

  let url;
  try {
    if (!sessionIsFresh(current.session)) current.session = await createSession(current.session.name);
    const config = await loadConfig();
    url = new URL(config.webSocketUrl, location.href);
  } catch {
    if (room === current) scheduleReconnect();
    return;
  }
  if (room !== current || connection.socket) return;
  url.searchParams.set('room', current.name);
  url.searchParams.set('token', current.session.token);

  const socket = new WebSocket(url);
  connection.socket = socket;
  let opened = false;
  connection.openTimer = setTimeout(() => dropSocket(socket), OPEN_TIMEOUT_MS);

  socket.addEventListener('open', () => {
    if (connection.socket !== socket) return;
    opened = true;
    clearTimeout(connection.openTimer);
    connection.attempts = 0;
    connection.refusals = 0;
    setConnectionState('connected');
    connection.pingTimer = setInterval(() => send({ action: 'ping' }), PING_EVERY_MS);
    synchronize(current, socket);
  });
  socket.addEventListener('message', event => {
    if (connection.socket === socket) onFrame(event.data);
  });
  socket.addEventListener('close', () => {
    if (connection.socket !== socket) return;
    dropSocket(socket);
    if (!opened) noteFailedOpen();
  });
}

/** Steps 2 and 3 of protocol.md section 7, after the socket opened. */
async function synchronize(current, socket) {
  try {
    await catchUp(current);
    await loadPresence(current);
  } catch {
    // History could not be read: start over rather than show a room with a hole in it.
    if (connection.socket === socket) dropSocket(socket);
    return;
  }
  if (connection.socket !== socket || room !== current) return;
  connection.ready = true;
  resendPending();
}

function resendPending() {
  const waiting = [...room.pending].filter(([, p]) => p.status === 'pending').map(([id]) => id);
  waiting.forEach((clientMessageId, index) => {
    const delay = index < RESEND_BURST ? 0 : (index - RESEND_BURST + 1) * RESEND_SPACING_MS;
    const transmit = () => {
      const pending = room?.pending.get(clientMessageId);
      if (pending?.status === 'pending') transmitMessage(clientMessageId, pending.text);
    };
    if (delay === 0) transmit();
    else connection.resendTimers.push(setTimeout(transmit, delay));
  });
}

/** Forgets a socket (closing it if needed) and plans the next attempt. */
function dropSocket(socket) {
  if (connection.socket !== socket) return;
  connection.socket = null;
  connection.ready = false;
  clearTimeout(connection.openTimer);
  clearInterval(connection.pingTimer);
  clearTimeout(connection.pongTimer);
  connection.pongTimer = null;
  connection.resendTimers.forEach(clearTimeout);
  connection.resendTimers = [];
  try { socket.close(); } catch { /* already closing */ }
  if (!room) return;
  setConnectionState(disconnectedState());
  scheduleReconnect();
}

function scheduleReconnect() {
  if (connection.retryTimer || !room) return;
  connection.attempts += 1;
  let delay;
  if (navigator.onLine === false) {
    // The browser says there is no network: wait for its 'online' event, but do not trust it forever.
    delay = BACKOFF_MAX_MS;
  } else {
    const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** (connection.attempts - 1));
    delay = ceiling / 2 + Math.random() * ceiling / 2;
  }
  connection.retryTimer = setTimeout(async () => {
    connection.retryTimer = null;
    if (connection.refusals >= 2) await renewSession();
    connect();
  }, delay);
}

/**
 * A browser never sees why an upgrade failed (a 401 looks like any network error). A socket
 * that fails while the server answers HTTP counts as a refusal; a server that is down or
 * restarting does not, so a restart never costs the user their identity.
 */
async function noteFailedOpen() {
  try {
    const response = await fetch('/api/config', { signal: AbortSignal.timeout(5_000) });
    connection.refusals = response.ok ? connection.refusals + 1 : 0;
  } catch {
    connection.refusals = 0;
  }
}

/** Refused twice in a row while the server is up: the token is the likely cause (expired, or a rotated key). */
async function renewSession() {
  const current = room;
  try {
    current.session = await createSession(current.session.name);
    connection.refusals = 0;
  } catch {
    // Keep backing off with the old session; the next refusal tries again.
  }
}

function reconnectNow() {
  if (!room) return;
  if (connection.socket) {
    checkAlive();
    return;
  }
  connection.attempts = 0;
  connect();
}

/** Pings, and treats the socket as dead when no pong comes back soon. */
function checkAlive() {
  if (!connection.socket || connection.socket.readyState !== WebSocket.OPEN || connection.pongTimer) return;
  const socket = connection.socket;
  send({ action: 'ping' });
  connection.pongTimer = setTimeout(() => {
    connection.pongTimer = null;
    dropSocket(socket);
  }, PONG_TIMEOUT_MS);
}

function send(frame) {
  const socket = connection.socket;
  if (!socket || socket.readyState !== WebSocket.OPEN) return false;
  socket.send(JSON.stringify(frame));
  return true;
}

window.addEventListener('online', reconnectNow);
window.addEventListener('offline', () => {
  // Chromium keeps a dead socket "open" for minutes after the network goes; do not wait for it.
  if (connection.socket) dropSocket(connection.socket);
  else if (room) setConnectionState('offline');
});
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState !== 'visible') return;
  if (room) {
    room.unread = 0;
    updateTitle();
  }
  reconnectNow();
});

function onFrame(data) {
  let frame;
  try { frame = JSON.parse(data); } catch { return; }
  if (!room || typeof frame !== 'object' || frame === null) return;
  switch (frame.type) {
    case 'message': onLiveMessage(frame); break;
    case 'ack': onAck(frame); break;
    case 'presence': onPresence(frame); break;
    case 'typing': onTyping(frame); break;
    case 'pong':
      clearTimeout(connection.pongTimer);
      connection.pongTimer = null;
      break;
    case 'error': onError(frame); break;
    default: break; // a newer server's frame this page does not know
  }
}

function onAck(frame) {
  const pending = room.pending.get(frame.clientMessageId);
  if (!pending) return;
  const stick = nearBottom();
  showMessage({
    id: frame.id, seq: frame.seq, sentAt: frame.sentAt, clientMessageId: frame.clientMessageId,
    text: pending.text, sender: { id: room.session.userId, name: room.session.name },
  });
  if (stick) scrollToBottom();
}

const errorReasons = {
  rate_limited: 'too many messages at once. Wait a moment, then retry.',
  validation_failed: 'the server refused it',
  internal: 'the server could not store it',
};

function onError(frame) {
  const pending = frame.clientMessageId && room.pending.get(frame.clientMessageId);
  if (!pending) {
    console.warn('chat server error', frame.code, frame.message);
    return;
  }
  const reason = frame.code === 'validation_failed' && frame.message
    ? `${errorReasons.validation_failed} (${frame.message})`
    : errorReasons[frame.code] ?? frame.message ?? frame.code;
  pending.status = 'failed';
  setStatus(pending.element, 'failed', reason);
  outbox.put(room.name, { clientMessageId: frame.clientMessageId, text: pending.text, failed: reason });
}

// ---------------------------------------------------------------------------------------------
// Sending.

function newClientMessageId() {
  return `c-${Date.now().toString(36)}-${crypto.randomUUID().slice(0, 8)}`;
}

function codePoints(text) {
  return [...text].length;
}

function cleanText(raw) {
  return raw.replace(FORBIDDEN_CONTROLS, '').trim();
}

function transmitMessage(clientMessageId, text) {
  if (!connection.ready) return;
  if (!send({ action: 'sendMessage', clientMessageId, text })) return;
  // No ack in a while: make sure the socket is really alive (a dead one is replaced, and re-sends).
  setTimeout(() => {
    if (room?.pending.get(clientMessageId)?.status === 'pending') checkAlive();
  }, ACK_PATIENCE_MS);
}

function sendComposed() {
  if (!room) return;
  const text = cleanText(el.composer.value);
  const length = codePoints(text);
  if (length === 0 || length > MAX_TEXT) {
    updateComposer();
    return;
  }
  const clientMessageId = newClientMessageId();
  outbox.put(room.name, { clientMessageId, text });
  showPending(clientMessageId, text);
  scrollToBottom();
  el.composer.value = '';
  updateComposer();
  // The others hide this user's typing line when the message arrives; typing again shows it at once.
  lastTypingSent = 0;
  transmitMessage(clientMessageId, text);
}

function retrySend(clientMessageId) {
  const pending = room?.pending.get(clientMessageId);
  if (!pending) return;
  pending.status = 'pending';
  setStatus(pending.element, 'pending');
  outbox.put(room.name, { clientMessageId, text: pending.text });
  transmitMessage(clientMessageId, pending.text);
}

function discardPending(clientMessageId) {
  const pending = room?.pending.get(clientMessageId);
  if (!pending) return;
  pending.element.remove();
  room.pending.delete(clientMessageId);
  outbox.remove(room.name, clientMessageId);
}

let lastTypingSent = 0;

function updateComposer() {
  const length = codePoints(cleanText(el.composer.value));
  const over = length > MAX_TEXT;
  el.counter.textContent = length >= COUNTER_FROM ? `${length} / ${MAX_TEXT}` : '';
  el.counter.classList.toggle('over', over);
  el.send.disabled = length === 0 || over;
  el.composer.setAttribute('aria-invalid', String(over));
  // Grow with the text up to a few lines; the stylesheet caps the height.
  el.composer.style.height = 'auto';
  el.composer.style.height = `${el.composer.scrollHeight}px`;
}

el.composer.addEventListener('input', () => {
  updateComposer();
  const now = Date.now();
  if (el.composer.value.trim() && connection.ready && now - lastTypingSent >= TYPING_SEND_EVERY_MS) {
    lastTypingSent = now;
    send({ action: 'typing' });
  }
});

el.composer.addEventListener('keydown', event => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    sendComposed();
  }
});

el.composerForm.addEventListener('submit', event => {
  event.preventDefault();
  sendComposed();
  el.composer.focus();
});

// ---------------------------------------------------------------------------------------------
// Joining and leaving.

function updateTitle() {
  const prefix = room?.unread ? `(${room.unread}) ` : '';
  document.title = room ? `${prefix}#${room.name} · ChatDemo` : 'ChatDemo';
}

function showJoinForm(error = '') {
  el.roomView.hidden = true;
  el.joinView.hidden = false;
  el.status.hidden = true;
  el.leave.hidden = true;
  el.roomName.hidden = true;
  el.joinError.textContent = error;
  el.joinButton.disabled = false;
  updateTitle();
  (el.nameInput.value ? el.roomInput : el.nameInput).focus();
}

async function join(name, roomName) {
  let session = saved.json(keys.session, null);
  if (!sessionIsFresh(session) || session.name !== name) session = await createSession(name);
  saved.set(keys.name, name);
  saved.set(keys.room, roomName);
  saved.set(keys.inRoom, roomName);
  enterRoom(roomName, session);
}

function enterRoom(roomName, session) {
  room = newRoomState(roomName, session);
  el.list.replaceChildren();
  el.typing.textContent = '';
  el.composer.value = '';
  el.joinView.hidden = true;
  el.roomView.hidden = false;
  el.status.hidden = false;
  el.leave.hidden = false;
  el.roomName.hidden = false;
  el.roomName.textContent = `#${roomName}`;
  el.composer.placeholder = `Message #${roomName}`;
  const url = new URL(location.href);
  url.searchParams.set('room', roomName);
  history.replaceState(null, '', url);
  updateTitle();

  for (const entry of outbox.list(roomName)) {
    showPending(entry.clientMessageId, entry.text, entry.failed ? 'failed' : 'pending', entry.failed);
  }
  room.presence.set(session.userId, session.name);
  renderPresence();
  renderLoadOlder();
  updateComposer();
  connection.attempts = 0;
  connection.refusals = 0;
  connect();
  el.composer.focus();
}

function leaveRoom() {
  const socket = connection.socket;
  if (room) room.typers.forEach(t => clearTimeout(t.timer));
  clearTimeout(room?.gapTimer);
  room = null;
  clearTimeout(connection.retryTimer);
  connection.retryTimer = null;
  if (socket) dropSocket(socket);
  saved.set(keys.inRoom, null);
  el.list.replaceChildren();
  el.presenceList.replaceChildren();
  const url = new URL(location.href);
  url.searchParams.delete('room');
  history.replaceState(null, '', url);
  setConnectionState('offline');
  showJoinForm();
}

el.leave.addEventListener('click', leaveRoom);

el.joinForm.addEventListener('submit', async event => {
  event.preventDefault();
  const name = el.nameInput.value.trim();
  const roomName = el.roomInput.value.trim() || 'lobby';
  if (!name) {
    el.joinError.textContent = 'Please enter a display name.';
    el.nameInput.focus();
    return;
  }
  if (!ROOM_PATTERN.test(roomName)) {
    el.joinError.textContent = 'A room name is 1-64 letters, digits, - or _.';
    el.roomInput.focus();
    return;
  }
  el.joinError.textContent = '';
  el.joinButton.disabled = true;
  try {
    await join(name, roomName);
  } catch (error) {
    showJoinForm(`Could not join: ${error.message}`);
  } finally {
    el.joinButton.disabled = false;
  }
});

function start() {
  const fromUrl = new URLSearchParams(location.search).get('room');
  const linkedRoom = fromUrl && ROOM_PATTERN.test(fromUrl) ? fromUrl : null;
  el.nameInput.value = saved.get(keys.name) ?? '';
  el.roomInput.value = linkedRoom ?? saved.get(keys.room) ?? 'lobby';

  const session = saved.json(keys.session, null);
  const inRoom = saved.get(keys.inRoom);
  if (session && inRoom && saved.get(keys.name) === session.name) {
    // A reload: back into the room as the same user (a new session only if this one expired).
    enterRoom(linkedRoom ?? inRoom, session);
    if (linkedRoom) saved.set(keys.inRoom, linkedRoom);
    return;
  }
  showJoinForm();
}

start();
