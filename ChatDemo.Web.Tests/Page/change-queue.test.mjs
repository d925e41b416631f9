import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChangeQueue, changeFrame } from '../../wwwroot/modules/change-queue.mjs';
import { createStore } from '../../wwwroot/modules/storage.mjs';
import { MemoryStorage } from './fakes.mjs';

const queueIn = (storage = new MemoryStorage()) => new ChangeQueue(createStore(storage), 'lobby');
const ids = entries => entries.map(e => e.clientMessageId);

test("a message's changes go one at a time, in order; other messages' changes do not wait", () => {
  const queue = queueIn();
  const edit = queue.add({ seq: 1, action: 'editMessage', text: 'a' });
  const react = queue.add({ seq: 1, action: 'react', emoji: '👍', op: 'add' });
  const other = queue.add({ seq: 2, action: 'deleteMessage' });
  assert.match(edit.clientMessageId, /^e-[a-z0-9]+-[a-f0-9]{8}$/);
  assert.match(react.clientMessageId, /^r-/);
  assert.match(other.clientMessageId, /^d-/);

  assert.deepEqual(ids(queue.due()), [edit.clientMessageId, other.clientMessageId]);
  assert.deepEqual(queue.due(), [], 'on their way: not again');
  assert.equal(queue.answered(edit.clientMessageId).seq, 1);
  assert.deepEqual(ids(queue.due()), [react.clientMessageId]);
  assert.equal(queue.answered('c-unknown'), null);
});

test('a failed change is kept with its reason and lets the next one go; Retry queues it after the others', () => {
  const queue = queueIn();
  const first = queue.add({ seq: 1, action: 'react', emoji: '🎉', op: 'add' });
  const second = queue.add({ seq: 1, action: 'editMessage', text: 'b' });
  queue.due();
  const failed = queue.failed(first.clientMessageId, 'too many at once', true);
  assert.deepEqual([failed.status, failed.reason, failed.retriable], ['failed', 'too many at once', true]);
  assert.equal(queue.isWaiting(first.clientMessageId), false);
  assert.deepEqual(ids(queue.due()), [second.clientMessageId]);

  queue.retry(first.clientMessageId);
  assert.deepEqual(queue.forSeq(1).map(e => [e.action, e.status, e.reason]), [['editMessage', 'pending', undefined], ['react', 'pending', undefined]]);
  assert.deepEqual(queue.due(), [], 'the edit is still on its way');
  queue.answered(second.clientMessageId);
  assert.deepEqual(ids(queue.due()), [first.clientMessageId]);
  queue.discard(first.clientMessageId);
  assert.deepEqual(queue.list(), []);
});

test('after the socket is lost, what was on its way is due again', () => {
  const queue = queueIn();
  const edit = queue.add({ seq: 3, action: 'editMessage', text: 'x' });
  assert.equal(queue.due().length, 1);
  queue.disconnected();
  assert.deepEqual(ids(queue.due()), [edit.clientMessageId]);
  assert.equal(queue.isWaiting(edit.clientMessageId), true);
});

test('the queue survives a reload, failures and all, and every change is due again', () => {
  const storage = new MemoryStorage();
  const queue = queueIn(storage);
  const edit = queue.add({ seq: 3, action: 'editMessage', text: 'x' });
  const react = queue.add({ seq: 4, action: 'react', emoji: '😮', op: 'add' });
  queue.due();
  queue.failed(react.clientMessageId, 'that message has too many reactions', false);
  assert.deepEqual([...storage.items.keys()], ['chatdemo.changes.lobby']);

  const reloaded = queueIn(storage);
  assert.deepEqual(ids(reloaded.due()), [edit.clientMessageId]);
  assert.deepEqual(reloaded.forSeq(4).map(e => [e.status, e.retriable]), [['failed', false]]);
  reloaded.answered(edit.clientMessageId);
  reloaded.discard(react.clientMessageId);
  assert.equal(storage.items.size, 0, 'an empty queue leaves no key behind');
});

test('a full storage costs only the reload: the queue still works', () => {
  const storage = new MemoryStorage();
  storage.full = true;
  const queue = queueIn(storage);
  const edit = queue.add({ seq: 1, action: 'editMessage', text: 'x' });
  assert.deepEqual(ids(queue.due()), [edit.clientMessageId]);
});

test('entries a stored queue should not hold are dropped on load', () => {
  const storage = new MemoryStorage();
  storage.setItem('chatdemo.changes.lobby', JSON.stringify([{ seq: 'x', action: 'editMessage' }, { seq: 2, action: 'dance' }, null, { seq: 2, action: 'deleteMessage', clientMessageId: 'd-1', status: 'pending' }]));
  assert.deepEqual(ids(queueIn(storage).list()), ['d-1']);
  storage.setItem('chatdemo.changes.lobby', '{"not":"a list"}');
  assert.deepEqual(queueIn(storage).list(), []);
});

test('each change is the frame of protocol.md 10.2, nothing more', () => {
  assert.deepEqual(changeFrame({ action: 'editMessage', seq: 4, text: 'hi', clientMessageId: 'e-1', status: 'pending' }),
    { action: 'editMessage', seq: 4, text: 'hi', clientMessageId: 'e-1' });
  assert.deepEqual(changeFrame({ action: 'deleteMessage', seq: 4, clientMessageId: 'd-1', status: 'failed', reason: 'x' }),
    { action: 'deleteMessage', seq: 4, clientMessageId: 'd-1' });
  assert.deepEqual(changeFrame({ action: 'react', seq: 4, emoji: '👍', op: 'remove', clientMessageId: 'r-1', status: 'pending' }),
    { action: 'react', seq: 4, emoji: '👍', op: 'remove', clientMessageId: 'r-1' });
});
