// The WebSocket of one room, kept alive as protocol.md section 7 says: reconnect with backoff and
// jitter forever, catch up, re-send what has no ack, ping and watch for the pong. It never
// touches the DOM; it tells its listeners through events:
//   'state'  detail: 'connected' | 'reconnecting' | 'offline'
//   'frame'  detail: a server frame (everything but 'pong', which it consumes)
//   'ready'  open and caught up: sends go straight out (and waiting change requests go again)
//   'ended'  detail: a close code after which it does not reconnect (4401 kicked, 4402 banned,
//            4403 removed from the room; docs/protocol.md section 11); it has stopped

import { parseFrame } from './protocol.mjs';

export const BACKOFF_FIRST_MS = 500;
export const BACKOFF_MAX_MS = 30_000;
export const OPEN_TIMEOUT_MS = 10_000;
export const PING_EVERY_MS = 5 * 60_000;
export const PONG_TIMEOUT_MS = 7_000;
export const ACK_PATIENCE_MS = 8_000;
// The server allows a burst of 20 sends, then 10 a second; re-sends after a reconnect stay under it.
export const RESEND_BURST = 10;
export const RESEND_SPACING_MS = 150;

const OPEN = 1; // WebSocket.OPEN
/** Closes that end the stay in the room: kicked (the page offers to rejoin), banned, removed. */
export const FINAL_CLOSE_CODES = new Set([4401, 4402, 4403]);

/** Delay before attempt n (1, 2, …): a random point in the upper half of 0.5 s, 1 s, 2 s … 30 s. */
export function backoffDelay(attempt, random = Math.random) {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** (attempt - 1));
  return ceiling / 2 + random() * ceiling / 2;
}

/** When each of n re-sends goes out: a burst at once, then one every RESEND_SPACING_MS. */
export function resendDelays(count) {
  return Array.from({ length: count }, (_, i) => (i < RESEND_BURST ? 0 : (i - RESEND_BURST + 1) * RESEND_SPACING_MS));
}

/** The browser's timers; the unit tests give a FakeClock instead. */
export const browserClock = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: id => clearTimeout(id),
  setInterval: (callback, ms) => setInterval(callback, ms),
  clearInterval: id => clearInterval(id),
};

export class Connection extends EventTarget {
  #socketUrl;
  #synchronize;
  #renewSession;
  #serverAnswers;
  #explainRefusal;
  #outbox;
  #WebSocket;
  #clock;
  #random;
  #isOnline;

  #stopped = true;
  #socket = null;
  #ready = false;
  #state = 'offline';
  #attempts = 0;        // consecutive failed attempts (drives the backoff)
  #refusals = 0;        // consecutive sockets that never opened while the server answered HTTP
  #retryTimer = null;
  #openTimer = null;
  #pingTimer = null;
  #pongTimer = null;
  #resendTimers = [];

  /**
   * @param options.socketUrl async () => the URL to open (with room and a fresh token); throwing retries later
   * @param options.synchronize async () => catch up after open (history, presence); throwing drops the socket
   * @param options.renewSession async () => a new token, after two refusals while the server is up
   * @param options.serverAnswers async () => whether the server answers HTTP
   * @param options.explainRefusal async () => asks the server why a socket was refused while it answers
   *   (a browser cannot read the upgrade's 403): the room's side may end the stay, which stops this
   *   connection before its next attempt (a ban, a private room's refusal; protocol.md 11.10)
   * @param options.outbox { waiting(): clientMessageIds to re-send, textOf(id): its text while still waiting, else null,
   *   replyToOf(id): the seq it replies to, or null }
   */
  constructor({
    socketUrl, synchronize, renewSession, serverAnswers, outbox, explainRefusal = async () => {},
    WebSocket: socketClass = globalThis.WebSocket, clock = browserClock, random = Math.random,
    isOnline = () => globalThis.navigator?.onLine !== false,
  }) {
    super();
    this.#socketUrl = socketUrl;
    this.#synchronize = synchronize;
    this.#renewSession = renewSession;
    this.#serverAnswers = serverAnswers;
    this.#explainRefusal = explainRefusal;
    this.#outbox = outbox;
    this.#WebSocket = socketClass;
    this.#clock = clock;
    this.#random = random;
    this.#isOnline = isOnline;
  }

  /** Open and caught up. */
  get ready() { return this.#ready; }

  get state() { return this.#state; }

  start() {
    this.#stopped = false;
    this.#attempts = 0;
    this.#refusals = 0;
    this.#connect();
  }

  /** For good: closes the socket and stops reconnecting. */
  stop() {
    this.#stopped = true;
    this.#clock.clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    if (this.#socket) this.#drop(this.#socket);
    this.#setState('offline');
  }

  /** The network is back or the tab is visible again: check an open socket, or try at once. */
  reconnectNow() {
    if (this.#stopped) return;
    if (this.#socket) {
      this.checkAlive();
      return;
    }
    this.#attempts = 0;
    this.#connect();
  }

  /** The browser says the network is gone. Chromium keeps a dead socket "open" for minutes: drop it now. */
  wentOffline() {
    if (this.#socket) this.#drop(this.#socket);
    else if (!this.#stopped) this.#setState('offline');
  }

  /** Sends a frame if the socket is open; false if not. */
  send(frame) {
    const socket = this.#socket;
    if (!socket || socket.readyState !== OPEN) return false;
    socket.send(JSON.stringify(frame));
    return true;
  }

  /**
   * Sends a message once ready (else it waits in the outbox for the re-send after catch-up);
   * replyTo (v1.1) is the seq it replies to, or null.
   */
  sendMessage(clientMessageId, text, replyTo = null) {
    const frame = { action: 'sendMessage', clientMessageId, text };
    if (replyTo !== null) frame.replyTo = replyTo;
    if (!this.#ready || !this.send(frame)) return;
    this.#expectAnswer(() => this.#outbox.textOf(clientMessageId) !== null);
  }

  /**
   * Sends a change request (v1.1) if ready; false if not (the caller sends it again on 'ready').
   * stillWaiting() says whether its answer is still missing.
   */
  sendChange(frame, stillWaiting) {
    if (!this.#ready || !this.send(frame)) return false;
    this.#expectAnswer(stillWaiting);
    return true;
  }

  /** No answer in a while: make sure the socket is really alive (a dead one is replaced, and re-sends). */
  #expectAnswer(stillWaiting) {
    this.#clock.setTimeout(() => {
      if (!this.#stopped && stillWaiting()) this.checkAlive();
    }, ACK_PATIENCE_MS);
  }

  /** Pings, and treats the socket as dead when no pong comes back soon. */
  checkAlive() {
    const socket = this.#socket;
    if (!socket || socket.readyState !== OPEN || this.#pongTimer) return;
    this.send({ action: 'ping' });
    this.#pongTimer = this.#clock.setTimeout(() => {
      this.#pongTimer = null;
      this.#drop(socket);
    }, PONG_TIMEOUT_MS);
  }

  #setState(state) {
    if (state === this.#state) return;
    this.#state = state;
    this.dispatchEvent(new CustomEvent('state', { detail: state }));
  }

  #disconnectedState() {
    return this.#isOnline() ? 'reconnecting' : 'offline';
  }

  async #connect() {
    this.#clock.clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    if (this.#stopped || this.#socket) return;
    this.#setState(this.#disconnectedState());

    let url;
    try {
      url = await this.#socketUrl();
    } catch {
      if (!this.#stopped) this.#scheduleReconnect();
      return;
    }
    if (this.#stopped || this.#socket) return;

    const socket = new this.#WebSocket(url);
    this.#socket = socket;
    let opened = false;
    this.#openTimer = this.#clock.setTimeout(() => this.#drop(socket), OPEN_TIMEOUT_MS);

    socket.addEventListener('open', () => {
      if (this.#socket !== socket) return;
      opened = true;
      this.#clock.clearTimeout(this.#openTimer);
      this.#attempts = 0;
      this.#refusals = 0;
      this.#setState('connected');
      this.#pingTimer = this.#clock.setInterval(() => this.send({ action: 'ping' }), PING_EVERY_MS);
      this.#catchUp(socket);
    });
    socket.addEventListener('message', event => {
      if (this.#socket === socket) this.#receive(event.data);
    });
    socket.addEventListener('close', event => {
      if (this.#socket !== socket) return;
      if (FINAL_CLOSE_CODES.has(event.code)) {
        this.stop();
        this.dispatchEvent(new CustomEvent('ended', { detail: event.code }));
        return;
      }
      // A socket that never opened retries only once the refusal is explained (it may end the stay).
      this.#drop(socket, opened);
      if (!opened) this.#noteFailedOpen();
    });
  }

  #receive(data) {
    const frame = parseFrame(data);
    if (!frame) return;
    if (frame.type === 'pong') {
      this.#clock.clearTimeout(this.#pongTimer);
      this.#pongTimer = null;
      return;
    }
    this.dispatchEvent(new CustomEvent('frame', { detail: frame }));
  }

  /** Steps 2 and 3 of section 7, after the socket opened. */
  async #catchUp(socket) {
    try {
      await this.#synchronize();
    } catch {
      // History could not be read: start over rather than show a room with a hole in it.
      if (this.#socket === socket) this.#drop(socket);
      return;
    }
    if (this.#socket !== socket || this.#stopped) return;
    this.#ready = true;
    this.dispatchEvent(new Event('ready'));
    this.#resend();
  }

  #resend() {
    const waiting = this.#outbox.waiting();
    const delays = resendDelays(waiting.length);
    waiting.forEach((clientMessageId, index) => {
      const transmit = () => {
        const text = this.#outbox.textOf(clientMessageId);
        if (text !== null) this.sendMessage(clientMessageId, text, this.#outbox.replyToOf?.(clientMessageId) ?? null);
      };
      if (delays[index] === 0) transmit();
      else this.#resendTimers.push(this.#clock.setTimeout(transmit, delays[index]));
    });
  }

  /** Forgets a socket (closing it if needed) and plans the next attempt (unless retry is false). */
  #drop(socket, retry = true) {
    if (this.#socket !== socket) return;
    this.#socket = null;
    this.#ready = false;
    this.#clock.clearTimeout(this.#openTimer);
    this.#clock.clearInterval(this.#pingTimer);
    this.#clock.clearTimeout(this.#pongTimer);
    this.#pongTimer = null;
    this.#resendTimers.forEach(timer => this.#clock.clearTimeout(timer));
    this.#resendTimers = [];
    try { socket.close(); } catch { /* already closing */ }
    if (this.#stopped) return;
    this.#setState(this.#disconnectedState());
    if (retry) this.#scheduleReconnect();
  }

  #scheduleReconnect() {
    if (this.#retryTimer || this.#stopped) return;
    this.#attempts += 1;
    // Without a network, wait for the browser's 'online' event, but do not trust it forever.
    const delay = this.#isOnline() ? backoffDelay(this.#attempts, this.#random) : BACKOFF_MAX_MS;
    this.#retryTimer = this.#clock.setTimeout(async () => {
      this.#retryTimer = null;
      if (this.#refusals >= 2) {
        try {
          await this.#renewSession();
          this.#refusals = 0;
        } catch {
          // Keep backing off with the old session; the next refusal tries again.
        }
      }
      this.#connect();
    }, delay);
  }

  /**
   * A browser never sees why an upgrade failed (a 401 looks like any network error). A socket
   * that fails while the server answers HTTP counts as a refusal; a server that is down or
   * restarting does not, so a restart never costs the user their identity.
   */
  async #noteFailedOpen() {
    const refused = await this.#serverAnswers().catch(() => false);
    this.#refusals = refused ? this.#refusals + 1 : 0;
    if (refused && !this.#stopped) await this.#explainRefusal().catch(() => {});
    if (!this.#stopped && !this.#socket) this.#scheduleReconnect();
  }
}
