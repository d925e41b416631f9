import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isRoom } from '../../wwwroot/modules/protocol.mjs';
import {
  READ_DELAY_MS, REFRESH_EVERY_MS, ReadPositions, RoomDirectory, checkTitle, inviteIn, inviteLink, roomLabel, unreadShown,
  withoutInvite,
} from '../../wwwroot/modules/room-list.mjs';
import { FakeClock, settle } from './fakes.mjs';

test('a room shows by its title, else by #name', () => {
  assert.equal(roomLabel({ room: 'team-a', title: 'Team A' }), 'Team A');
  assert.equal(roomLabel({ room: 'lobby' }), '#lobby');
});

test("unread shows the server's count, except for the room being read in a visible tab and rooms never marked", () => {
  assert.equal(unreadShown({ room: 'a', unread: 3 }, 'b'), 3);
  assert.equal(unreadShown({ room: 'a', unread: 3 }, 'a'), 0);
  assert.equal(unreadShown({ room: 'a', unread: 3 }, 'a', true), 3, 'a hidden tab is not reading');
  assert.equal(unreadShown({ room: 'a' }, 'b'), 0);
  assert.equal(unreadShown({ room: 'a', unread: 0 }, 'b'), 0);
});

test('the invite link carries the room in clear, then the token; the page reads both back', () => {
  const link = inviteLink('https://chat.example/?room=old', 'team-a', 'tok.en+/=');
  assert.equal(link, 'https://chat.example/?room=team-a&invite=tok.en%2B%2F%3D');
  assert.deepEqual(inviteIn(link, isRoom), { room: 'team-a', invite: 'tok.en+/=' });
  assert.equal(inviteIn('https://chat.example/?invite=abc', isRoom), null, 'without the room it cannot be used');
  assert.equal(inviteIn('https://chat.example/?room=bad%20name&invite=abc', isRoom), null);
  assert.equal(withoutInvite(link), 'https://chat.example/?room=team-a');
});

test('a title is optional, trimmed, at most 80 code points, one line', () => {
  assert.deepEqual(checkTitle('  Team A  '), { ok: true, title: 'Team A' });
  assert.deepEqual(checkTitle(''), { ok: true, title: '' });
  assert.equal(checkTitle('😀'.repeat(80)).ok, true);
  assert.equal(checkTitle('x'.repeat(81)).ok, false);
  assert.equal(checkTitle('a\nb').ok, false);
});

test('the directory reads the list at once and again every few seconds until stopped', async () => {
  const clock = new FakeClock();
  let reads = 0;
  const seen = [];
  const directory = new RoomDirectory({
    api: { list: async () => { reads += 1; return { rooms: [{ room: 'a', unread: reads }] }; } },
    onChange: rooms => seen.push(rooms.map(r => r.unread)),
    clock,
  });
  directory.start();
  await settle();
  assert.deepEqual(seen, [[1]]);
  await clock.advance(REFRESH_EVERY_MS);
  assert.deepEqual(seen, [[1], [2]]);
  directory.stop();
  await clock.advance(REFRESH_EVERY_MS * 3);
  assert.equal(reads, 2);
  assert.equal(clock.pending, 0);
});

test('a failed read keeps the list and tries again later; concurrent refreshes share one read', async () => {
  const clock = new FakeClock();
  const answers = [Promise.reject(new Error('down')), Promise.resolve([{ room: 'b' }])];
  let calls = 0;
  const directory = new RoomDirectory({ api: { list: () => { calls += 1; return answers.shift(); } }, onChange: () => {}, clock });
  directory.rooms = [{ room: 'kept' }];
  directory.start();
  await settle();
  assert.deepEqual(directory.rooms, [{ room: 'kept' }]);
  await clock.advance(REFRESH_EVERY_MS);
  assert.deepEqual(directory.rooms, [{ room: 'b' }], 'a bare array is read too');
  const one = directory.refresh();
  assert.equal(directory.refresh(), one);
  directory.stop();
  assert.equal(calls, 3);
});

test('the directory is loading until its first answer, failed while it cannot read before one, then ready (also when empty)', async () => {
  const clock = new FakeClock();
  let answer;
  const seen = [];
  const directory = new RoomDirectory({
    api: { list: () => answer() },
    onChange: rooms => seen.push([directory.status, rooms.length]),
    clock,
  });
  assert.equal(directory.status, 'loading');
  answer = () => new Promise(() => {}); // the first read takes its time
  directory.refresh();
  await settle();
  assert.equal(directory.status, 'loading');
  assert.deepEqual(seen, [], 'nothing to show yet: not an empty list');

  const failing = new RoomDirectory({ api: { list: async () => { throw new Error('down'); } }, onChange: () => seen.push([failing.status]), clock });
  await failing.refresh();
  assert.deepEqual(seen, [['failed']]);

  const empty = new RoomDirectory({ api: { list: async () => ({ rooms: [] }) }, onChange: rooms => seen.push([empty.status, rooms.length]), clock });
  await empty.refresh();
  assert.deepEqual(seen.at(-1), ['ready', 0]);
  const later = new RoomDirectory({
    api: { list: async () => { if (answer === 'down') throw new Error('down'); return { rooms: [{ room: 'a' }] }; } },
    onChange: () => seen.push(['later', later.status]),
    clock,
  });
  await later.refresh();
  answer = 'down';
  await later.refresh();
  assert.deepEqual(seen.slice(-1), [['later', 'ready']], 'a failure after an answer keeps the list shown, silently');
  assert.equal(later.status, 'ready');
});

test('fresh() waits for a read under way and reads again, so a room created meanwhile is in it; it throws before any answer', async () => {
  const clock = new FakeClock();
  let release;
  const answers = [new Promise(resolve => { release = resolve; }), Promise.resolve({ rooms: [{ room: 'old' }, { room: 'new' }] })];
  const directory = new RoomDirectory({ api: { list: () => answers.shift() }, onChange: () => {}, clock });
  directory.refresh();
  const fresh = directory.fresh();
  release({ rooms: [{ room: 'old' }] });
  assert.deepEqual((await fresh).map(r => r.room), ['old', 'new']);

  const failing = new RoomDirectory({ api: { list: async () => { throw new Error('down'); } }, onChange: () => {}, clock });
  await assert.rejects(failing.fresh(), /cannot be read/);
});

test("a message in a room the list lacks (an ownerless room's first) reads the list again, once per room", async () => {
  const clock = new FakeClock();
  let answer = { rooms: [] };
  let reads = 0;
  const directory = new RoomDirectory({ api: { list: async () => { reads += 1; return answer; } }, onChange: () => {}, clock });
  await directory.refresh();
  directory.noticed('lobby', 0);
  await settle();
  assert.equal(reads, 1, 'an empty room is not listed yet: nothing to ask');
  answer = { rooms: [{ room: 'lobby' }] };
  directory.noticed('lobby', 1);
  await settle();
  assert.equal(reads, 2);
  assert.deepEqual(directory.rooms, [{ room: 'lobby' }]);
  directory.noticed('lobby', 2);
  directory.noticed('hidden', 5);
  directory.noticed('hidden', 6);
  await settle();
  assert.equal(reads, 3, 'listed: nothing more; unlisted: one read, not one per message');
  assert.equal(clock.pending, 0);
});

test('read positions are saved after a pause, only the highest, only forward', async () => {
  const clock = new FakeClock();
  const saved = [];
  const reads = new ReadPositions({ api: { markRead: async (room, seq) => { saved.push([room, seq]); } }, clock });
  reads.seen('a', 3);
  reads.seen('a', 5);
  reads.seen('a', 4);
  reads.seen('b', 0);
  assert.deepEqual(saved, [], 'debounced');
  await clock.advance(READ_DELAY_MS);
  assert.deepEqual(saved, [['a', 5], ['b', 0]]);
  reads.seen('a', 5);
  reads.seen('a', 2);
  reads.seen('b', -1);
  await clock.advance(READ_DELAY_MS);
  assert.equal(saved.length, 2, 'nothing at or below what was saved');
  reads.seen('a', 6);
  reads.flush();
  await settle();
  assert.deepEqual(saved.at(-1), ['a', 6], 'flush saves at once');
  assert.equal(clock.pending, 0);
});

test('a read position that could not be saved is tried again with the next message seen', async () => {
  const clock = new FakeClock();
  const attempts = [];
  let fail = true;
  const reads = new ReadPositions({
    api: { markRead: async (room, seq) => { attempts.push(seq); if (fail) throw new Error('offline'); } },
    clock,
  });
  reads.seen('a', 4);
  await clock.advance(READ_DELAY_MS);
  fail = false;
  reads.seen('a', 4);
  await clock.advance(READ_DELAY_MS);
  assert.deepEqual(attempts, [4, 4]);
});
