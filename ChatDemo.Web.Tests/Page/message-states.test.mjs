import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MessageStates, RevisionTracker, mayDelete, mayEdit, project } from '../../wwwroot/modules/message-states.mjs';

const alice = { id: 'u_alice', name: 'Alice' };
const bob = { id: 'u_bob', name: 'Bob' };
const isAlice = id => id === alice.id;
const base = { room: 'lobby', seq: 7, id: 'm_7', clientMessageId: 'c-7', sender: alice, text: 'helo', sentAt: '2026-01-01T00:00:00Z' };
// One message's life: sent, edited, reacted to, reacted to again, deleted.
const life = [
  base,
  { ...base, version: 2, revision: 1, text: 'hello', editedAt: '2026-01-01T00:01:00Z' },
  { ...base, version: 3, revision: 2, text: 'hello', editedAt: '2026-01-01T00:01:00Z', reactions: [{ emoji: '👍', count: 1, users: [bob] }] },
  { ...base, version: 4, revision: 4, text: 'hello', editedAt: '2026-01-01T00:01:00Z', reactions: [{ emoji: '👍', count: 2, users: [bob, alice] }] },
  { ...base, version: 5, revision: 6, text: '', deleted: true, deletedAt: '2026-01-01T00:02:00Z' },
];

function permutations(items) {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map(rest => [item, ...rest]));
}

test('the state with the highest version is kept, whatever order the states arrive in, each any number of times', () => {
  for (const order of permutations(life)) {
    const states = new MessageStates();
    for (const state of [...order, ...order]) states.apply(state);
    assert.deepEqual(states.get(7), life.at(-1), `order ${order.map(s => s.version ?? 1)}`);
  }
  for (const order of permutations(life.slice(0, 4))) {
    const states = new MessageStates();
    order.forEach(s => states.apply(s));
    assert.deepEqual(states.get(7), life[3], 'without the delete, the last reaction wins');
  }
  assert.equal(new MessageStates().get(7), null);
});

test('apply says whether the state was new, newer, or stale (an older or equal version)', () => {
  const states = new MessageStates();
  assert.equal(states.apply(life[1]), 'new');
  assert.equal(states.apply(life[0]), 'stale', 'an ack or page without version is version 1');
  assert.equal(states.apply(life[1]), 'stale');
  assert.equal(states.apply(life[2]), 'changed');
});

test('a tombstone never comes back, not even for a state that claims a higher version', () => {
  const states = new MessageStates();
  states.apply(life[4]);
  for (const older of life.slice(0, 4)) assert.equal(states.apply(older), 'stale');
  assert.equal(states.apply({ ...life[3], version: 9 }), 'stale');
  assert.equal(states.get(7).deleted, true);
  assert.equal(states.get(7).text, '');
});

test("Up arrow finds this user's newest shown message that is not deleted", () => {
  const states = new MessageStates();
  states.apply({ ...base, seq: 1, id: 'm_1' });
  states.apply({ ...base, seq: 2, id: 'm_2', sender: bob });
  states.apply({ ...base, seq: 3, id: 'm_3' });
  states.apply({ ...base, seq: 4, id: 'm_4', version: 2, deleted: true, text: '' });
  states.apply({ ...base, seq: 9, id: 'm_9' }); // known (a reply's target) but not shown
  assert.equal(states.lastEditable(isAlice, new Set([1, 2, 3, 4])), 3);
  assert.equal(states.lastEditable(id => id === bob.id, new Set([1, 2, 3, 4])), 2);
  assert.equal(states.lastEditable(() => false, new Set([1, 2, 3])), null);
});

test('only the author edits; the author deletes, and so do an owner and a moderator once the role is known', () => {
  const bobs = { ...base, sender: bob };
  assert.equal(mayEdit(base, isAlice), true);
  assert.equal(mayEdit(bobs, isAlice), false);
  assert.equal(mayEdit({ ...base, deleted: true }, isAlice), false);
  assert.equal(mayDelete(base, isAlice), true);
  assert.equal(mayDelete(bobs, isAlice), false, 'the role is not known: only the author');
  assert.equal(mayDelete(bobs, isAlice, 'member'), false);
  assert.equal(mayDelete(bobs, isAlice, 'moderator'), true);
  assert.equal(mayDelete(bobs, isAlice, 'owner'), true);
  assert.equal(mayDelete({ ...bobs, deleted: true }, isAlice, 'owner'), false);
});

test('replies to a message are found by its seq', () => {
  const states = new MessageStates();
  states.apply({ ...base, seq: 1, id: 'm_1' });
  states.apply({ ...base, seq: 2, id: 'm_2', replyTo: 1 });
  states.apply({ ...base, seq: 3, id: 'm_3', replyTo: 1 });
  states.apply({ ...base, seq: 4, id: 'm_4', replyTo: 2 });
  assert.deepEqual(states.repliesTo(1), [2, 3]);
  assert.deepEqual(states.repliesTo(4), []);
});

test('the revision follows consecutive live changes and sees a gap until the missing one arrives', () => {
  const revision = new RevisionTracker();
  assert.equal(revision.noteLive(3), 'loading', 'nothing to compare with before the first page');
  assert.equal(revision.value, null);
  revision.caughtUpTo(4);
  assert.equal(revision.noteLive(4), 'ok', 'already in the page');
  assert.equal(revision.noteLive(5), 'ok');
  assert.equal(revision.value, 5);
  assert.equal(revision.noteLive(7), 'gap');
  assert.equal(revision.noteLive(8), 'gap');
  assert.equal(revision.hasGap, true);
  assert.equal(revision.value, 5);
  assert.equal(revision.noteLive(6), 'ok', 'the late one closes the gap');
  assert.equal(revision.value, 8);
  assert.equal(revision.hasGap, false);
});

test('a changedSince answer moves the revision past a gap, and it never moves back', () => {
  const revision = new RevisionTracker();
  revision.caughtUpTo(2);
  revision.noteLive(5);
  revision.caughtUpTo(6);
  assert.equal(revision.value, 6);
  assert.equal(revision.hasGap, false);
  revision.caughtUpTo(3);
  revision.caughtUpTo(undefined); // a v1 server's page has no revision
  assert.equal(revision.value, 6);
});

test("this user's unanswered changes are shown over the state; failed ones are listed, not applied", () => {
  const state = life[3];
  const view = project(state, [
    { action: 'editMessage', text: 'hello there', status: 'pending' },
    { action: 'react', emoji: '👍', op: 'remove', status: 'pending' },
    { action: 'react', emoji: '🎉', op: 'add', status: 'pending' },
    { action: 'react', emoji: '😮', op: 'add', status: 'failed', reason: 'x' },
  ], isAlice);
  assert.equal(view.text, 'hello there');
  assert.equal(view.edited, true);
  assert.equal(view.pending, true);
  assert.deepEqual(view.reactions, [{ emoji: '👍', count: 1, mine: false }, { emoji: '🎉', count: 1, mine: true }]);
  assert.deepEqual(view.failed.map(f => f.emoji), ['😮']);

  const mine = project(state, [], isAlice);
  assert.deepEqual(mine.reactions, [{ emoji: '👍', count: 2, mine: true }]);
  assert.equal(mine.pending, false);
  const bobsView = project(state, [{ action: 'react', emoji: '👍', op: 'add', status: 'pending' }], id => id === bob.id);
  assert.deepEqual(bobsView.reactions, [{ emoji: '👍', count: 2, mine: true }], 'adding a reaction already there changes nothing');
});

test('a pending delete shows the tombstone at once, and a deleted state shows nothing of what it was', () => {
  const deleting = project(life[3], [{ action: 'deleteMessage', status: 'pending' }], isAlice);
  assert.deepEqual([deleting.deleted, deleting.text, deleting.reactions, deleting.pending], [true, '', [], true]);
  const gone = project({ ...life[4], replyTo: 3 }, [{ action: 'editMessage', text: 'too late', status: 'pending' }], isAlice);
  assert.deepEqual([gone.deleted, gone.text, gone.edited, gone.replyTo, gone.pending], [true, '', false, null, false]);
});
