import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Outbox } from '../../wwwroot/modules/outbox.mjs';
import { createStore, keys } from '../../wwwroot/modules/storage.mjs';
import { MemoryStorage } from './fakes.mjs';

test('keeps unacknowledged messages per room under chatdemo.outbox.<room>, across instances (a reload)', () => {
  const storage = new MemoryStorage();
  new Outbox(createStore(storage), 'lobby').put({ clientMessageId: 'c-1', text: 'hello' });
  new Outbox(createStore(storage), 'garden').put({ clientMessageId: 'c-2', text: 'elsewhere' });

  const afterReload = new Outbox(createStore(storage), 'lobby');
  assert.deepEqual(afterReload.list(), [{ clientMessageId: 'c-1', text: 'hello' }]);
  assert.deepEqual(JSON.parse(storage.getItem(keys.outbox('garden'))), [{ clientMessageId: 'c-2', text: 'elsewhere' }]);
});

test('putting an id again replaces its entry (a failure, a retry) and moves it last', () => {
  const outbox = new Outbox(createStore(new MemoryStorage()), 'lobby');
  outbox.put({ clientMessageId: 'c-1', text: 'one' });
  outbox.put({ clientMessageId: 'c-2', text: 'two' });
  outbox.put({ clientMessageId: 'c-1', text: 'one', failed: 'rate limited' });
  assert.deepEqual(outbox.list(), [
    { clientMessageId: 'c-2', text: 'two' },
    { clientMessageId: 'c-1', text: 'one', failed: 'rate limited' },
  ]);
});

test('removing the last entry removes the key', () => {
  const storage = new MemoryStorage();
  const outbox = new Outbox(createStore(storage), 'lobby');
  outbox.put({ clientMessageId: 'c-1', text: 'one' });
  outbox.put({ clientMessageId: 'c-2', text: 'two' });
  outbox.remove('c-1');
  assert.deepEqual(outbox.list().map(e => e.clientMessageId), ['c-2']);
  outbox.remove('c-2');
  outbox.remove('never there');
  assert.equal(storage.getItem(keys.outbox('lobby')), null);
});

test('a damaged entry reads as empty, and a full storage does not throw', () => {
  const storage = new MemoryStorage();
  storage.setItem(keys.outbox('lobby'), '{not json');
  const outbox = new Outbox(createStore(storage), 'lobby');
  assert.deepEqual(outbox.list(), []);
  storage.setItem(keys.outbox('lobby'), '{"clientMessageId":"c-1"}');
  assert.deepEqual(outbox.list(), []);

  storage.full = true;
  assert.doesNotThrow(() => outbox.put({ clientMessageId: 'c-1', text: 'x' }));
});

test('a storage that throws on every call (disabled) reads as empty', () => {
  const store = createStore({ getItem() { throw new Error('SecurityError'); }, setItem() { throw new Error('SecurityError'); }, removeItem() { throw new Error('SecurityError'); } });
  assert.equal(store.get('x'), null);
  assert.deepEqual(store.json('x', []), []);
  assert.doesNotThrow(() => store.set('x', null));
});
