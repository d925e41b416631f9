import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChatRoom } from '../../wwwroot/modules/chat-room.mjs';
import { MessageLifecycle, snippet } from '../../wwwroot/modules/message-lifecycle.mjs';
import { createStore } from '../../wwwroot/modules/storage.mjs';
import { FakeClock, MemoryStorage, fakeSockets, recordingViews, settle } from './fakes.mjs';

const me = { userId: 'u_me', name: 'Me', token: 'tok', expiresAt: '2999-01-01T00:00:00Z' };
const myself = { id: 'u_me', name: 'Me' };
const bob = { id: 'u_bob', name: 'Bob' };
const sent = (seq, sender, extra = {}) => ({ room: 'lobby', seq, id: `m_${seq}`, clientMessageId: `c-${seq}`, sender, text: `text ${seq}`, sentAt: '2026-01-01T00:00:00Z', ...extra });

/**
 * The server's side of a room, as REST shows it (protocol.md 10.7): messages in their current
 * state and the room revision; change() does what an accepted change does. changesPage caps
 * changedSince answers, so that catching up takes several pages.
 */
class FakeServer {
  messages = [];
  revision = 0;
  requests = [];
  constructor(changesPage = 100) { this.changesPage = changesPage; }

  change(seq, state) {
    const index = this.messages.findIndex(m => m.seq === seq);
    const held = this.messages[index];
    this.revision += 1;
    const next = { ...held, ...state, version: (held.version ?? 1) + 1, revision: this.revision };
    this.messages[index] = next;
    return next;
  }

  api() {
    return {
      config: async () => ({ webSocketUrl: '/ws' }),
      serverAnswers: async () => true,
      presence: async () => ({ users: [] }),
      message: async (room, seq) => {
        this.requests.push({ seq });
        const found = this.messages.find(m => m.seq === seq);
        if (!found) throw Object.assign(new Error('no such message'), { status: 404 });
        return structuredClone(found);
      },
      messages: async (room, query) => {
        this.requests.push(query);
        const limit = query.changedSince === undefined ? query.limit : Math.min(query.limit, this.changesPage);
        if (query.changedSince !== undefined) {
          const changed = this.messages.filter(m => (m.revision ?? 0) > query.changedSince).sort((a, b) => a.revision - b.revision);
          const page = changed.slice(0, limit);
          const hasMore = changed.length > limit;
          return { messages: structuredClone(page), revision: hasMore ? page.at(-1).revision : this.revision, hasMore };
        }
        const after = query.after ?? 0;
        const matching = this.messages.filter(m => m.seq > after && (query.before === undefined || m.seq < query.before));
        const page = query.after === undefined ? matching.slice(-limit) : matching.slice(0, limit);
        return { messages: structuredClone(page), revision: this.revision, hasMore: matching.length > page.length };
      },
    };
  }
}

async function roomOn(server, storage = new MemoryStorage()) {
  const sockets = fakeSockets();
  const clock = new FakeClock();
  const recorded = recordingViews();
  const room = new ChatRoom({
    name: 'lobby', session: me, api: server.api(), sessions: { renew: async s => s, isMine: () => false },
    store: createStore(storage), views: recorded.views, page: { baseUrl: 'http://chat.test/', isHidden: () => false },
    connection: { WebSocket: sockets.WebSocket, clock, random: () => 0, isOnline: () => true },
  });
  room.enter();
  await settle();
  sockets.last.open();
  await settle();
  return { room, sockets, clock, storage, ...recorded, get socket() { return sockets.last; } };
}

const changes = socket => socket.sent.filter(f => f.action !== 'sendMessage' && f.action !== 'ping');

test("an edit goes out at once, shown pending; the message's next change waits for the edit's updateAck", async () => {
  const server = new FakeServer();
  server.messages.push(sent(1, myself, { text: 'helo' }));
  const r = await roomOn(server);

  assert.equal(r.room.lifecycle.edit(1, '  hello \u0000'), true);
  assert.equal(r.room.lifecycle.react(1, '👍'), true);
  const [edit, ...rest] = changes(r.socket);
  assert.deepEqual(rest, [], 'the reaction waits for the edit');
  assert.deepEqual({ ...edit, clientMessageId: undefined }, { action: 'editMessage', seq: 1, text: 'hello', clientMessageId: undefined });
  const pendingView = r.shown(1);
  assert.deepEqual([pendingView.text, pendingView.edited, pendingView.pending], ['hello', true, true]);
  assert.deepEqual(pendingView.reactions, [{ emoji: '👍', count: 1, mine: true }], 'shown at once, like a pending send');

  const edited = server.change(1, { text: 'hello', editedAt: '2026-01-01T00:01:00Z' });
  r.socket.receive({ type: 'messageUpdated', ...edited });
  r.socket.receive({ type: 'updateAck', action: 'editMessage', clientMessageId: edit.clientMessageId, duplicate: false, message: edited });
  const react = changes(r.socket)[1];
  assert.deepEqual({ ...react, clientMessageId: undefined }, { action: 'react', seq: 1, emoji: '👍', op: 'add', clientMessageId: undefined });
  assert.match(react.clientMessageId, /^r-/);

  const reacted = server.change(1, { reactions: [{ emoji: '👍', count: 1, users: [myself] }] });
  r.socket.receive({ type: 'updateAck', action: 'react', clientMessageId: react.clientMessageId, duplicate: false, message: reacted });
  r.socket.receive({ type: 'messageUpdated', ...reacted });
  const done = r.shown(1);
  assert.deepEqual([done.text, done.edited, done.pending, done.version], ['hello', true, false, 3]);
  assert.deepEqual(done.reactions, [{ emoji: '👍', count: 1, mine: true }]);

  assert.equal(r.room.lifecycle.react(1, '👍'), true, 'a second click takes the reaction back');
  assert.equal(changes(r.socket).at(-1).op, 'remove');
  assert.equal(r.room.lifecycle.edit(1, 'hello'), true, 'the same text is no edit');
  assert.equal(changes(r.socket).length, 3);
  assert.equal(r.room.lifecycle.edit(1, ' \n '), false, 'an empty text cannot be saved');
  r.room.leave();
});

test("only your own messages are edited or deleted; anyone reacts and replies; nothing on a tombstone", async () => {
  const server = new FakeServer();
  server.messages.push(sent(1, bob), sent(2, myself), sent(3, myself, { version: 2, revision: 1, text: '', deleted: true, deletedAt: '2026-01-01T00:00:01Z' }));
  server.revision = 1;
  const r = await roomOn(server);
  assert.deepEqual(['mayEdit', 'mayDelete', 'mayRespond'].map(k => r.shown(1)[k]), [false, false, true]);
  assert.deepEqual(['mayEdit', 'mayDelete', 'mayRespond'].map(k => r.shown(2)[k]), [true, true, true]);
  assert.deepEqual(['mayEdit', 'mayDelete', 'mayRespond', 'deleted'].map(k => r.shown(3)[k]), [false, false, false, true]);
  assert.equal(r.room.lifecycle.edit(1, 'mine now'), false);
  assert.equal(r.room.lifecycle.remove(1), false);
  assert.equal(r.room.lifecycle.react(3, '👍'), false);
  assert.equal(r.room.lifecycle.remove(2), true);
  assert.deepEqual([r.shown(2).deleted, r.shown(2).pending], [true, true], 'the tombstone shows at once, pending');
  assert.equal(changes(r.socket).at(-1).action, 'deleteMessage');
  r.room.leave();
});

test('Up arrow edits your newest message that is not deleted', async () => {
  const server = new FakeServer();
  server.messages.push(sent(1, myself), sent(2, myself), sent(3, bob), sent(4, myself, { version: 2, revision: 1, text: '', deleted: true }));
  const r = await roomOn(server);
  assert.equal(r.room.lifecycle.editLast(), true);
  assert.deepEqual(r.named('lifecycle.startEdit'), [[2]]);
  r.room.leave();

  const empty = await roomOn(new FakeServer());
  assert.equal(empty.room.lifecycle.editLast(), false, 'nothing to edit: the arrow key does what it does');
  empty.room.leave();
});

test('a refused change shows why; Retry only where sending again can help; Discard forgets it', async () => {
  const server = new FakeServer();
  server.messages.push(sent(1, myself), sent(2, bob));
  const storage = new MemoryStorage();
  const r = await roomOn(server, storage);
  r.room.lifecycle.react(2, '🎉');
  r.room.lifecycle.edit(1, 'new text');
  const [react, edit] = changes(r.socket);
  r.socket.receive({ type: 'error', code: 'rate_limited', message: 'slow down', clientMessageId: react.clientMessageId });
  r.socket.receive({ type: 'error', code: 'message_deleted', message: 'gone', clientMessageId: edit.clientMessageId });

  const [failedReaction] = r.shown(2).failed;
  assert.deepEqual([failedReaction.reason, failedReaction.retriable], ['too many messages at once. Wait a moment, then retry.', true]);
  assert.deepEqual(r.shown(2).reactions, [], 'a failed reaction is not shown as made');
  const [failedEdit] = r.shown(1).failed;
  assert.deepEqual([failedEdit.reason, failedEdit.retriable], ['the message was deleted', false]);
  assert.equal(r.shown(1).text, 'text 1');
  assert.deepEqual(r.named('messages.setStatus'), [], 'a send with the same id would not be touched');

  r.room.lifecycle.retryChange(react.clientMessageId);
  const again = changes(r.socket).at(-1);
  assert.deepEqual([again.action, again.emoji, again.op], ['react', '🎉', 'add']);
  r.room.lifecycle.discardChange(edit.clientMessageId);
  assert.deepEqual(r.shown(1).failed, []);
  assert.deepEqual(JSON.parse(storage.getItem('chatdemo.changes.lobby')).map(e => e.action), ['react']);
  r.room.leave();
});

test('changes made offline, and one whose answer never came, go out after the reconnect has caught up', async () => {
  const server = new FakeServer();
  server.messages.push(sent(1, myself), sent(2, bob));
  const r = await roomOn(server);
  r.room.lifecycle.edit(1, 'lost on the way');
  const first = r.socket;
  first.close();
  r.room.lifecycle.react(2, '👍');
  r.room.lifecycle.react(1, '😮');
  assert.equal(changes(first).length, 1);

  await r.clock.advance(1000);
  const second = r.socket;
  assert.notEqual(second, first);
  second.open();
  await settle();
  await settle();
  const resent = changes(second);
  assert.deepEqual(resent.map(f => [f.action, f.seq]), [['editMessage', 1], ['react', 2]], "one change per message; 1's reaction waits for its edit");
  assert.equal(resent[0].clientMessageId, changes(first)[0].clientMessageId);
  r.room.leave();
});

test('after a reconnect, changes are caught up by revision until hasMore is false, and the page shows the stored state', async () => {
  const server = new FakeServer(2);
  server.messages.push(sent(1, myself), sent(2, bob), sent(3, bob));
  server.change(2, { reactions: [{ emoji: '👍', count: 1, users: [bob] }] });
  const r = await roomOn(server);
  assert.equal(r.room.lifecycle.revision, 1);

  r.socket.close();
  server.change(1, { reactions: [{ emoji: '🎉', count: 1, users: [bob] }] });
  server.change(3, { text: 'edited while you were away', editedAt: '2026-01-01T00:05:00Z' });
  server.change(2, { reactions: [{ emoji: '👍', count: 2, users: [bob, myself] }] });
  server.change(3, { text: '', deleted: true, deletedAt: '2026-01-01T00:06:00Z', editedAt: undefined });
  server.messages.push(sent(4, bob, { replyTo: 3 }));
  server.requests.length = 0;
  await r.clock.advance(1000);
  r.socket.open();
  await settle();
  await settle();

  assert.deepEqual(server.requests.filter(q => q.changedSince !== undefined).map(q => q.changedSince), [1, 4]);
  assert.equal(r.room.lifecycle.revision, 5);
  assert.deepEqual(r.shown(1).reactions, [{ emoji: '🎉', count: 1, mine: false }]);
  assert.deepEqual(r.shown(2).reactions, [{ emoji: '👍', count: 2, mine: true }]);
  assert.deepEqual([r.shown(3).deleted, r.shown(3).text, r.shown(3).version], [true, '', 3]);
  assert.deepEqual(r.shown(4).quote, { seq: 3, status: 'deleted' }, 'a reply to a tombstone');
  r.room.leave();
});

test('the highest version wins from any source: a late ack, frame or page never undoes a change', async () => {
  const server = new FakeServer();
  const r = await roomOn(server);
  r.room.send('fresh');
  const { clientMessageId } = r.socket.sent.find(f => f.action === 'sendMessage');
  server.messages.push(sent(1, myself, { clientMessageId, text: 'fresh' }));
  const reacted = server.change(1, { reactions: [{ emoji: '❤️', count: 1, users: [bob] }] });
  // AWS mode may deliver Bob's reaction before the message and its ack.
  r.socket.receive({ type: 'messageUpdated', ...reacted });
  r.socket.receive({ type: 'ack', room: 'lobby', clientMessageId, id: 'm_1', seq: 1, sentAt: '2026-01-01T00:00:00Z', duplicate: false });
  r.socket.receive({ type: 'message', ...sent(1, myself, { clientMessageId, text: 'fresh' }) });
  assert.deepEqual(r.shown(1).reactions, [{ emoji: '❤️', count: 1, mine: false }]);
  assert.equal(r.shown(1).version, 2);
  assert.equal(r.named('messages.showConfirmed').length, 1);
  r.room.leave();
});

test('a live change that skips a revision reads changedSince once, after a moment', async () => {
  const server = new FakeServer();
  server.messages.push(sent(1, bob), sent(2, bob));
  const r = await roomOn(server);
  const missed = server.change(1, { text: 'edited', editedAt: '2026-01-01T00:01:00Z' });
  const seen = server.change(2, { text: 'also edited', editedAt: '2026-01-01T00:01:00Z' });
  server.requests.length = 0;
  r.socket.receive({ type: 'messageUpdated', ...seen });
  assert.equal(r.room.lifecycle.revision, 0);
  assert.deepEqual(server.requests, []);

  await new Promise(resolve => setTimeout(resolve, 1100));
  assert.deepEqual(server.requests, [{ changedSince: 0, limit: 100 }]);
  assert.equal(r.room.lifecycle.revision, 2);
  assert.equal(r.shown(1).text, missed.text);

  // A late frame that fills the gap before the moment is over: nothing to read.
  const a = server.change(1, { text: 'a' });
  const b = server.change(2, { text: 'b' });
  server.requests.length = 0;
  r.socket.receive({ type: 'messageUpdated', ...b });
  r.socket.receive({ type: 'messageUpdated', ...a });
  await new Promise(resolve => setTimeout(resolve, 1100));
  assert.deepEqual(server.requests, []);
  assert.equal(r.room.lifecycle.revision, 4);
  r.room.leave();
});

test('a reply is sent with replyTo and quotes its target, read with GET …/messages/{seq} when it is not loaded', async () => {
  const server = new FakeServer();
  server.messages.push(sent(1, bob, { text: 'the original,\n  on two lines' }));
  for (let seq = 2; seq <= 60; seq++) server.messages.push(sent(seq, bob));
  server.messages.push(sent(61, bob, { replyTo: 1 }), sent(62, bob, { replyTo: 99 }));
  const r = await roomOn(server);
  await settle();
  await settle();

  assert.deepEqual(server.requests.filter(q => q.seq !== undefined), [{ seq: 1 }, { seq: 99 }]);
  assert.deepEqual(r.shown(61).quote, { seq: 1, status: 'shown', senderName: 'Bob', text: 'the original, on two lines' });
  assert.deepEqual(r.shown(62).quote, { seq: 99, status: 'unavailable' });

  r.room.lifecycle.startReply(61);
  assert.deepEqual(r.named('reply.show').at(-1), [{ seq: 61, status: 'shown', senderName: 'Bob', text: 'text 61' }]);
  assert.equal(r.room.lifecycle.cancelReply(), true);
  assert.equal(r.room.lifecycle.cancelReply(), false, 'Escape with no reply does nothing');
  r.room.lifecycle.startReply(61);
  r.room.send('agreed');
  const frame = r.socket.sent.find(f => f.action === 'sendMessage');
  assert.equal(frame.replyTo, 61);
  assert.deepEqual(r.named('lifecycle.renderPendingQuote').at(-1), [frame.clientMessageId, { seq: 61, status: 'shown', senderName: 'Bob', text: 'text 61' }]);
  assert.equal(r.named('reply.hide').length, 2);
  assert.equal(JSON.parse(r.storage.getItem('chatdemo.outbox.lobby'))[0].replyTo, 61, 'a reload re-sends it as a reply');

  // The target is deleted: every quote of it says so.
  const gone = server.change(61, { text: '', deleted: true, deletedAt: '2026-01-01T00:09:00Z', replyTo: undefined });
  r.socket.receive({ type: 'messageUpdated', ...gone });
  assert.deepEqual(r.named('lifecycle.renderPendingQuote').at(-1)[1], { seq: 61, status: 'deleted' });
  r.room.leave();
});

test('jumping to a reply target that is not loaded reads older pages until it is', async () => {
  const server = new FakeServer();
  for (let seq = 1; seq <= 120; seq++) server.messages.push(sent(seq, bob));
  const r = await roomOn(server);
  await r.room.lifecycle.jumpTo(5);
  assert.deepEqual(server.requests.filter(q => q.before !== undefined).map(q => q.before), [71, 21]);
  assert.deepEqual(r.named('lifecycle.jumpTo'), [[5, true]]);
  await r.room.lifecycle.jumpTo(500);
  assert.deepEqual(r.named('lifecycle.jumpTo').at(-1), [500, false]);
  r.room.leave();
});

test('a quote is one line of at most 90 characters', () => {
  assert.equal(snippet('  a\n\tb  '), 'a b');
  const long = snippet('😀'.repeat(200));
  assert.equal([...long].length, 90);
  assert.ok(long.endsWith('…'));
});

test("a moderator's or owner's Delete appears on others' messages once the page knows the role", () => {
  const connection = Object.assign(new EventTarget(), { ready: false, sendChange: () => false });
  const room = { name: 'lobby', seqs: new Set([1]), role: null, hasOlder: false, lowestSeq: 1 };
  const recorded = recordingViews();
  const lifecycle = new MessageLifecycle({
    room, api: {}, connection, store: createStore(new MemoryStorage()), views: recorded.views,
    isMe: id => id === me.userId, loadOlder: async () => {},
  });
  lifecycle.received(sent(1, bob), true);
  assert.equal(recorded.shown(1).mayDelete, false);
  assert.equal(lifecycle.remove(1), false);

  room.role = 'moderator';
  lifecycle.refresh();
  assert.deepEqual([recorded.shown(1).mayDelete, recorded.shown(1).mayEdit], [true, false]);
  assert.equal(lifecycle.remove(1), true);
  assert.equal(recorded.shown(1).deleted, true);
});
