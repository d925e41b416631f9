import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RoomState } from '../../wwwroot/modules/room-state.mjs';

const me = { userId: 'u_me', name: 'Me', token: 't' };
const message = (seq, id = `m_${seq}`) => ({ id, seq, text: `message ${seq}`, sender: { id: 'u_bob', name: 'Bob' } });

test('each message id is accepted once, and the lowest and highest seq follow', () => {
  const room = new RoomState('lobby', me);
  assert.equal(room.accept(message(5)), true);
  assert.equal(room.accept(message(5)), false);
  assert.equal(room.accept(message(3)), true);
  assert.equal(room.accept(message(9)), true);
  assert.deepEqual([room.lowestSeq, room.highestSeq], [3, 9]);
});

test('live messages before the first history page are only held', () => {
  const room = new RoomState('lobby', me);
  room.accept(message(4));
  assert.equal(room.noteLive(4), 'loading');
  assert.equal(room.contiguousSeq, null);
});

test('an in-order live message moves the contiguous seq, through seqs already held above it', () => {
  const room = new RoomState('lobby', me);
  room.caughtUpTo(2);
  for (const seq of [4, 5]) {
    room.accept(message(seq));
    assert.equal(room.noteLive(seq), 'gap');
  }
  assert.equal(room.contiguousSeq, 2);
  room.accept(message(3));
  assert.equal(room.noteLive(3), 'ok');
  assert.equal(room.contiguousSeq, 5);
});

test('a repeat or an old seq is no gap', () => {
  const room = new RoomState('lobby', me);
  room.caughtUpTo(7);
  assert.equal(room.noteLive(7), 'ok');
  assert.equal(room.noteLive(2), 'ok');
  assert.equal(room.contiguousSeq, 7);
});

test('after catching up, a hole nobody filled is given up so that the next catch-up starts above it', () => {
  const room = new RoomState('lobby', me);
  room.caughtUpTo(0);
  room.accept(message(1));
  room.accept(message(3));
  room.caughtUpTo(1);
  room.settleGaps();
  assert.equal(room.contiguousSeq, 3);
  room.caughtUpTo(2);
  assert.equal(room.contiguousSeq, 3, 'never moves back');
});

test("an 'online' frame is announced once until the presence list is read again", () => {
  const room = new RoomState('lobby', me);
  const bob = { id: 'u_bob', name: 'Bob' };
  assert.equal(room.userOnline(bob), true);
  assert.equal(room.userOnline(bob), false);
  room.setPresence([bob]);
  assert.equal(room.userOnline(bob), true, 'a new connection after the list was read is a real join');
});

test("an 'offline' frame is announced only for someone known here", () => {
  const room = new RoomState('lobby', me);
  assert.equal(room.userOffline({ id: 'u_ghost', name: 'Ghost' }), false);
  room.setPresence([{ id: 'u_bob', name: 'Bob' }]);
  assert.equal(room.userOffline({ id: 'u_bob', name: 'Bob' }), true);
  assert.equal(room.presence.has('u_bob'), false);
});

test('the presence list always holds this tab, sorted by name', () => {
  const room = new RoomState('lobby', me);
  room.setPresence([{ id: 'u_z', name: 'Zoe' }, { id: 'u_a', name: 'Anna' }]);
  assert.deepEqual(room.presenceByName(), [['u_a', 'Anna'], ['u_me', 'Me'], ['u_z', 'Zoe']]);
});

test('waiting lists pending messages in the order written, not failed ones', () => {
  const room = new RoomState('lobby', me);
  room.pending.set('c-1', { text: 'a', status: 'pending' });
  room.pending.set('c-2', { text: 'b', status: 'failed', reason: 'x' });
  room.pending.set('c-3', { text: 'c', status: 'pending' });
  assert.deepEqual(room.waiting(), ['c-1', 'c-3']);
});

test('this tab is me, and so is an id this browser had before a renewal', () => {
  const room = new RoomState('lobby', me);
  assert.equal(room.isMe('u_me'), true);
  assert.equal(room.isMe('u_old'), false);
  assert.equal(room.isMe('u_old', id => id === 'u_old'), true);
});
