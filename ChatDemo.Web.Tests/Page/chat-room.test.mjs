import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChatRoom } from '../../wwwroot/modules/chat-room.mjs';
import { Outbox } from '../../wwwroot/modules/outbox.mjs';
import { createStore } from '../../wwwroot/modules/storage.mjs';
import { FakeClock, MemoryStorage, fakeSockets, recordingViews, settle } from './fakes.mjs';

const me = { userId: 'u_me', name: 'Me', token: 'tok', expiresAt: '2999-01-01T00:00:00Z' };
const bob = { id: 'u_bob', name: 'Bob' };
const stored = (seq, sender = bob, extra = {}) => ({ id: `m_${seq}`, seq, room: 'lobby', text: `text ${seq}`, sentAt: '2026-01-01T00:00:00Z', sender, ...extra });

/** A room over fake views, a fake REST API with a room history, fake sockets and a fake clock. */
function roomWith({ history = [], users = [bob], storage = new MemoryStorage(), observer } = {}) {
  const sockets = fakeSockets();
  const requests = [];
  const api = {
    config: async () => ({ webSocketUrl: '/ws' }),
    messages: async (room, query) => {
      requests.push(query);
      const after = query.after ?? 0;
      const page = history.filter(m => m.seq > after && (query.before === undefined || m.seq < query.before));
      return { messages: page.slice(-query.limit), hasMore: false };
    },
    presence: async () => ({ users }),
    serverAnswers: async () => true,
  };
  const sessions = { renew: async session => ({ ...me, name: session.name }), isMine: () => false };
  const recorded = recordingViews();
  const room = new ChatRoom({
    name: 'lobby', session: me, api, sessions, store: createStore(storage), views: recorded.views,
    page: { baseUrl: 'http://chat.test/', isHidden: () => false },
    observer,
    connection: { WebSocket: sockets.WebSocket, clock: new FakeClock(), random: () => 0, isOnline: () => true },
  });
  return { room, sockets, requests, storage, ...recorded };
}

async function enterAndOpen(r) {
  r.room.enter();
  await settle();
  r.sockets.last.open();
  await settle();
  return r.sockets.last;
}

test('entering shows the outbox, connects with the token, reads history, catches up, reads presence, then re-sends', async () => {
  const storage = new MemoryStorage();
  const outbox = new Outbox(createStore(storage), 'lobby');
  outbox.put({ clientMessageId: 'c-1', text: 'kept' });
  outbox.put({ clientMessageId: 'c-2', text: 'refused', failed: 'too many' });
  const r = roomWith({ history: [stored(1), stored(2)], storage });

  const socket = await enterAndOpen(r);

  assert.equal(socket.url.href, 'ws://chat.test/ws?room=lobby&token=tok');
  assert.deepEqual(r.named('messages.showPending').map(([p]) => [p.clientMessageId, p.status]), [['c-1', 'pending'], ['c-2', 'failed']]);
  assert.deepEqual(r.requests, [{ limit: 50 }, { after: 2, limit: 100 }]);
  assert.deepEqual(r.named('messages.showConfirmed').map(([m]) => m.seq), [1, 2]);
  assert.deepEqual(r.named('presence.show').at(-1), [[['u_bob', 'Bob'], ['u_me', 'Me']], 'u_me']);
  assert.deepEqual(socket.sent, [{ action: 'sendMessage', clientMessageId: 'c-1', text: 'kept' }], 'failed ones wait for Retry');
  assert.deepEqual(r.named('header.showConnection').map(([s]) => s), ['reconnecting', 'connected']);
});

test('an ack turns the pending message into the stored one and empties the outbox', async () => {
  const r = roomWith();
  const socket = await enterAndOpen(r);
  assert.equal(r.room.send('  hello \u0000 '), true);
  const { clientMessageId, text } = socket.sent[0];
  assert.equal(text, 'hello');
  assert.equal(new Outbox(createStore(r.storage), 'lobby').list().length, 1);

  socket.receive({ type: 'ack', clientMessageId, id: 'm_1', seq: 1, sentAt: '2026-01-01T00:00:00Z' });
  socket.receive({ type: 'message', ...stored(1, { id: 'u_me', name: 'Me' }, { clientMessageId, text: 'hello' }) });

  const shown = r.named('messages.showConfirmed');
  assert.equal(shown.length, 1, 'the broadcast after the ack is the same message');
  assert.deepEqual(shown[0][1], { own: true, wasPending: true });
  assert.deepEqual(new Outbox(createStore(r.storage), 'lobby').list(), []);
});

test('empty or too long text is not sent', async () => {
  const r = roomWith();
  const socket = await enterAndOpen(r);
  assert.equal(r.room.send(' \n\t '), false);
  assert.equal(r.room.send('x'.repeat(2001)), false);
  assert.deepEqual(socket.sent, []);
});

test("a refused message shows why, stays in the outbox, and Retry sends it again with the same id", async () => {
  const r = roomWith();
  const socket = await enterAndOpen(r);
  r.room.send('too fast');
  const { clientMessageId } = socket.sent[0];
  socket.receive({ type: 'error', code: 'rate_limited', clientMessageId });

  assert.deepEqual(r.named('messages.setStatus').at(-1), [clientMessageId, 'failed', 'too many messages at once. Wait a moment, then retry.']);
  assert.equal(new Outbox(createStore(r.storage), 'lobby').list()[0].failed, 'too many messages at once. Wait a moment, then retry.');

  r.room.retry(clientMessageId);
  assert.deepEqual(socket.sent.at(-1), { action: 'sendMessage', clientMessageId, text: 'too fast' });
  r.room.discard(clientMessageId);
  assert.deepEqual(new Outbox(createStore(r.storage), 'lobby').list(), []);
});

test('a live message shown twice is shown once; one that skips a seq has history read from the gap', async () => {
  const history = [stored(1)];
  const r = roomWith({ history });
  const socket = await enterAndOpen(r);
  history.push(stored(2), stored(3));

  socket.receive({ type: 'message', ...stored(3) });
  socket.receive({ type: 'message', ...stored(3) });
  assert.deepEqual(r.named('messages.showConfirmed').map(([m]) => m.seq), [1, 3]);

  await new Promise(resolve => setTimeout(resolve, 1100));
  assert.deepEqual(r.requests.at(-1), { after: 1, limit: 100 });
  assert.deepEqual(r.named('messages.showConfirmed').map(([m]) => m.seq), [1, 3, 2]);
});

test('joins are announced once, leaves only of someone known, and this user is never announced', async () => {
  const r = roomWith({ users: [] });
  const socket = await enterAndOpen(r);
  const carol = { id: 'u_carol', name: 'Carol' };
  socket.receive({ type: 'presence', status: 'online', user: carol });
  socket.receive({ type: 'presence', status: 'online', user: carol });
  socket.receive({ type: 'presence', status: 'offline', user: { id: 'u_ghost', name: 'Ghost' } });
  socket.receive({ type: 'presence', status: 'online', user: { id: 'u_me', name: 'Me' } });
  socket.receive({ type: 'presence', status: 'offline', user: carol });
  assert.deepEqual(r.named('messages.showSystemLine').map(([t]) => t), ['Carol joined', 'Carol left']);
});

test('typing shows the name until the message arrives', async () => {
  const r = roomWith();
  const socket = await enterAndOpen(r);
  socket.receive({ type: 'typing', user: bob });
  assert.deepEqual(r.named('typing.show').at(-1), [['Bob']]);
  socket.receive({ type: 'message', ...stored(1) });
  assert.deepEqual(r.named('typing.show').at(-1), [[]]);
  r.room.leave();
});

test('leaving closes the socket for good and clears the views', async () => {
  const r = roomWith();
  const socket = await enterAndOpen(r);
  r.room.leave();
  assert.equal(socket.readyState, 3);
  assert.equal(r.named('header.showConnection').at(-1)[0], 'offline');
  socket.receive({ type: 'message', ...stored(1) });
  assert.equal(r.named('messages.showConfirmed').length, 0);
});

test('the observer gets every frame, the highest seq seen after catch-up and after each live message, and final close codes', async () => {
  const seen = [];
  const frames = [];
  const ended = [];
  const r = roomWith({ history: [stored(1), stored(2)], observer: { seen: seq => seen.push(seq), frame: f => frames.push(f.type), ended: code => ended.push(code) } });
  const socket = await enterAndOpen(r);
  assert.deepEqual(seen, [2]);
  socket.receive({ type: 'message', ...stored(3) });
  socket.receive({ type: 'member', room: 'lobby', event: 'joined', user: bob, at: '2026-01-01T00:00:00Z' });
  assert.deepEqual(seen, [2, 3]);
  assert.deepEqual(frames, ['message', 'member']);
  socket.serverClose(4402, 'banned');
  await settle();
  assert.deepEqual(ended, [4402]);
  assert.deepEqual(r.named('header.showConnection').at(-1), ['offline']);
});

test('an empty room is seen up to seq 0, so that its read position exists', async () => {
  const seen = [];
  const r = roomWith({ observer: { seen: seq => seen.push(seq) } });
  await enterAndOpen(r);
  assert.deepEqual(seen, [0]);
});

test('halting stops the connection for good but keeps the conversation shown; nobody is listed online any more', async () => {
  const r = roomWith({ history: [stored(1)] });
  const socket = await enterAndOpen(r);
  const cleared = r.named('messages.clear').length;
  r.room.halt();
  socket.receive({ type: 'message', ...stored(2) });
  assert.equal(r.named('messages.clear').length, cleared);
  assert.deepEqual(r.named('messages.showConfirmed').map(([m]) => m.seq), [1]);
  assert.equal(socket.readyState, 3);
  assert.deepEqual(r.named('presence.show').at(-1), [[], null]);
});

test("setRole lets an owner or moderator delete others' messages, and taking the role back takes it away", async () => {
  const r = roomWith({ history: [stored(1)] });
  const socket = await enterAndOpen(r);
  assert.equal(r.shown(1).mayDelete, false, "another's message, no role");

  r.room.setRole('moderator');
  assert.equal(r.shown(1).mayDelete, true);
  r.room.setRole('member');
  assert.equal(r.shown(1).mayDelete, false);
  assert.equal(r.room.lifecycle.remove(1), false);

  r.room.setRole('owner');
  assert.equal(r.room.lifecycle.remove(1), true);
  assert.equal(socket.sent.at(-1).action, 'deleteMessage');
  assert.equal(socket.sent.at(-1).seq, 1);
});

test('typing while the connection is not ready yet is said once it is ready, once; a blank composer says nothing', async () => {
  const r = roomWith({ history: [stored(1)] });
  r.room.enter();
  await settle();
  r.room.typed('h');
  r.room.typed('he');
  r.room.typed('   ');
  const socket = r.sockets.last;
  assert.deepEqual(socket.sent ?? [], [], 'nothing goes out before the socket is open');

  socket.open();
  await settle();
  assert.deepEqual(socket.sent.filter(f => f.action === 'typing'), [{ action: 'typing' }]);
  r.room.typed('hel');
  assert.equal(socket.sent.filter(f => f.action === 'typing').length, 1, 'at most one typing frame every 2 s');
});
