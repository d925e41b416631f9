// What the page remembers between visits (localStorage). Every read and write goes through a
// store that tolerates a full or disabled storage: the page then still works for this visit.

export const keys = {
  name: 'chatdemo.name',
  session: 'chatdemo.session',
  room: 'chatdemo.room',
  inRoom: 'chatdemo.inRoom',
  theme: 'chatdemo.theme',
  myIds: 'chatdemo.myUserIds',
  outbox: room => `chatdemo.outbox.${room}`,
  changes: room => `chatdemo.changes.${room}`,
};

/** A store over a Web Storage object (localStorage in the page, a fake in the unit tests). */
export function createStore(storage) {
  const store = {
    get(key) {
      try { return storage.getItem(key); } catch { return null; }
    },
    /** null or undefined removes the key. */
    set(key, value) {
      try {
        if (value === null || value === undefined) storage.removeItem(key);
        else storage.setItem(key, value);
      } catch { /* storage full or disabled */ }
    },
    json(key, fallback) {
      try { return JSON.parse(store.get(key)) ?? fallback; } catch { return fallback; }
    },
    setJson(key, value) {
      store.set(key, value === null || value === undefined ? null : JSON.stringify(value));
    },
  };
  return store;
}
