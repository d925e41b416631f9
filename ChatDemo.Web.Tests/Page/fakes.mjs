// Test doubles for the page's pure modules: a Web Storage, a clock whose time only moves when a
// test says so, WebSockets a test opens, feeds and closes by hand, and views that record.

/** localStorage's interface over a Map; full = true makes every write throw, as a full quota does. */
export class MemoryStorage {
  items = new Map();
  full = false;
  getItem(key) { return this.items.has(key) ? this.items.get(key) : null; }
  setItem(key, value) {
    if (this.full) throw new Error('QuotaExceededError');
    this.items.set(key, String(value));
  }
  removeItem(key) { this.items.delete(key); }
}

/** Lets promise callbacks (awaits inside the code under test) run. */
export const settle = () => new Promise(resolve => setImmediate(resolve));

export class FakeClock {
  now = 0;
  #timers = new Map();
  #nextId = 1;

  setTimeout = (callback, ms) => this.#add(callback, ms, null);
  setInterval = (callback, ms) => this.#add(callback, ms, ms);
  clearTimeout = id => { this.#timers.delete(id); };
  clearInterval = id => { this.#timers.delete(id); };

  get pending() { return this.#timers.size; }

  /** Moves time forward, running each timer due on the way (and what its promises do) in order. */
  async advance(ms) {
    const end = this.now + ms;
    for (;;) {
      const due = [...this.#timers].filter(([, t]) => t.at <= end).sort(([, a], [, b]) => a.at - b.at)[0];
      if (!due) break;
      const [id, timer] = due;
      this.now = timer.at;
      if (timer.every === null) this.#timers.delete(id);
      else timer.at += timer.every;
      timer.callback();
      await settle();
    }
    this.now = end;
    await settle();
  }

  #add(callback, ms, every) {
    const id = this.#nextId++;
    this.#timers.set(id, { at: this.now + ms, callback, every });
    return id;
  }
}

/** A WebSocket class whose instances are listed in `created`, each opened and fed by the test. */
export function fakeSockets() {
  const created = [];
  class FakeWebSocket extends EventTarget {
    readyState = 0;
    sent = [];
    constructor(url) {
      super();
      this.url = new URL(url);
      created.push(this);
    }
    send(data) { this.sent.push(JSON.parse(data)); }
    close() {
      if (this.readyState === 3) return;
      this.readyState = 3;
      this.dispatchEvent(new Event('close'));
    }
    open() {
      this.readyState = 1;
      this.dispatchEvent(new Event('open'));
    }
    /** The server closes with a code (4401 kicked, …): the close event carries it, as a browser's does. */
    serverClose(code, reason = '') {
      this.readyState = 3;
      const event = new Event('close');
      event.code = code;
      event.reason = reason;
      this.dispatchEvent(event);
    }
    receive(frame) {
      const event = new Event('message');
      event.data = typeof frame === 'string' ? frame : JSON.stringify(frame);
      this.dispatchEvent(event);
    }
  }
  return { WebSocket: FakeWebSocket, created, get last() { return created.at(-1); } };
}

/**
 * Views that record what they were asked to show, in order: views.<any name>.<any method>(…) is
 * recorded as ['<name>.<method>', …args]; keepAtBottom and keepPosition run their change.
 */
export function recordingViews() {
  const calls = [];
  const recorders = new Map();
  const record = name => new Proxy({}, {
    get: (_, method) => (...args) => {
      calls.push([`${name}.${String(method)}`, ...args]);
      if (method === 'keepAtBottom' || method === 'keepPosition') args[0]();
    },
  });
  const views = new Proxy({}, {
    get: (_, name) => {
      if (!recorders.has(name)) recorders.set(name, record(String(name)));
      return recorders.get(name);
    },
  });
  const named = name => calls.filter(c => c[0] === name).map(c => c.slice(1));
  /** The last model the lifecycle view was asked to draw for a message. */
  const shown = seq => named('lifecycle.render').filter(([s]) => s === seq).at(-1)?.[1];
  return { views, calls, named, shown };
}
