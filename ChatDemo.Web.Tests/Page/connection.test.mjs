import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  ACK_PATIENCE_MS, BACKOFF_MAX_MS, Connection, OPEN_TIMEOUT_MS, PING_EVERY_MS, PONG_TIMEOUT_MS, RESEND_SPACING_MS,
  backoffDelay, resendDelays,
} from '../../wwwroot/modules/connection.mjs';
import { FakeClock, fakeSockets, settle } from './fakes.mjs';

describe('backoff', () => {
  test('doubles from 0.5 s to 30 s, each delay a random point in the upper half', () => {
    assert.equal(backoffDelay(1, () => 0), 250);
    assert.equal(backoffDelay(1, () => 1), 500);
    assert.equal(backoffDelay(2, () => 0), 500);
    assert.equal(backoffDelay(4, () => 0.5), 3000);
    assert.equal(backoffDelay(7, () => 1), 30_000);
    assert.equal(backoffDelay(50, () => 0), 15_000);
  });

  test('re-sends go ten at once, then one every 150 ms', () => {
    assert.deepEqual(resendDelays(12), [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 150, 300]);
    assert.deepEqual(resendDelays(0), []);
  });
});

/** A connection over fake sockets and a fake clock, with its events and callbacks recorded. */
function harness({ waiting = [], online = true, serverUp = true, synchronize, explainRefusal } = {}) {
  const clock = new FakeClock();
  const sockets = fakeSockets();
  const texts = new Map(waiting.map(id => [id, `text of ${id}`]));
  const h = {
    clock, sockets, texts, states: [], frames: [], readies: 0, syncs: 0, renewals: 0, online, serverUp, token: 'token-1',
  };
  h.connection = new Connection({
    socketUrl: async () => `ws://chat.test/ws?room=lobby&token=${h.token}`,
    synchronize: synchronize ?? (async () => { h.syncs += 1; }),
    renewSession: async () => { h.renewals += 1; h.token = `token-${h.renewals + 1}`; },
    serverAnswers: async () => h.serverUp,
    ...(explainRefusal ? { explainRefusal: () => explainRefusal(h) } : {}),
    outbox: { waiting: () => [...texts.keys()], textOf: id => texts.get(id) ?? null },
    WebSocket: sockets.WebSocket,
    clock,
    random: () => 0,
    isOnline: () => h.online,
  });
  h.connection.addEventListener('state', e => h.states.push(e.detail));
  h.connection.addEventListener('frame', e => h.frames.push(e.detail));
  h.connection.addEventListener('ready', () => { h.readies += 1; });
  return h;
}

async function startAndOpen(h) {
  h.connection.start();
  await settle();
  h.sockets.last.open();
  await settle();
  return h.sockets.last;
}

test('opens the socket, catches up, then is ready and re-sends what waits, in order', async () => {
  const h = harness({ waiting: ['c-1', 'c-2'] });
  h.connection.start();
  await settle();
  assert.deepEqual(h.states, ['reconnecting']);
  assert.equal(h.sockets.created.length, 1);
  assert.equal(h.sockets.last.url.searchParams.get('token'), 'token-1');

  h.sockets.last.open();
  await settle();
  assert.deepEqual(h.states, ['reconnecting', 'connected']);
  assert.equal(h.syncs, 1);
  assert.equal(h.readies, 1);
  assert.equal(h.connection.ready, true);
  assert.deepEqual(h.sockets.last.sent, [
    { action: 'sendMessage', clientMessageId: 'c-1', text: 'text of c-1' },
    { action: 'sendMessage', clientMessageId: 'c-2', text: 'text of c-2' },
  ]);
});

test('twelve waiting messages: ten at once, the rest spaced, and none once the socket is gone', async () => {
  const ids = Array.from({ length: 12 }, (_, i) => `c-${i + 1}`);
  const h = harness({ waiting: ids });
  const socket = await startAndOpen(h);
  assert.equal(socket.sent.length, 10);
  await h.clock.advance(RESEND_SPACING_MS);
  assert.equal(socket.sent.length, 11);
  h.connection.wentOffline();
  await h.clock.advance(RESEND_SPACING_MS);
  assert.equal(socket.sent.length, 11);
});

test('frames go to listeners; pongs and what is not a frame do not', async () => {
  const h = harness();
  const socket = await startAndOpen(h);
  socket.receive({ type: 'message', seq: 1 });
  socket.receive({ type: 'pong' });
  socket.receive('garbage');
  socket.receive({ type: 'somethingNew' });
  assert.deepEqual(h.frames, [{ type: 'message', seq: 1 }, { type: 'somethingNew' }]);
});

test('a closed socket is replaced after a jittered, growing delay, forever', async () => {
  const h = harness();
  await startAndOpen(h);
  for (const [attempt, delay] of [[1, 250], [2, 500], [3, 1000]]) {
    h.sockets.last.close();
    await settle();
    assert.equal(h.connection.state, 'reconnecting');
    const before = h.sockets.created.length;
    await h.clock.advance(delay - 1);
    assert.equal(h.sockets.created.length, before, `attempt ${attempt} came early`);
    await h.clock.advance(1);
    assert.equal(h.sockets.created.length, before + 1, `attempt ${attempt} did not come at ${delay} ms`);
  }
  h.sockets.last.open();
  await settle();
  h.sockets.last.close();
  await h.clock.advance(250);
  assert.equal(h.sockets.created.length, 5, 'an open resets the backoff');
});

test('a socket that does not open within 10 s is given up and tried again', async () => {
  const h = harness();
  h.connection.start();
  await settle();
  await h.clock.advance(OPEN_TIMEOUT_MS - 1);
  assert.equal(h.sockets.last.readyState, 0);
  await h.clock.advance(1);
  assert.equal(h.sockets.last.readyState, 3);
  await h.clock.advance(250);
  assert.equal(h.sockets.created.length, 2);
});

test('pings every five minutes', async () => {
  const h = harness();
  const socket = await startAndOpen(h);
  await h.clock.advance(PING_EVERY_MS * 2);
  assert.deepEqual(socket.sent, [{ action: 'ping' }, { action: 'ping' }]);
});

test('a check without a pong within 7 s drops the socket; with one, nothing happens', async () => {
  const h = harness();
  const socket = await startAndOpen(h);
  h.connection.checkAlive();
  h.connection.checkAlive();
  assert.deepEqual(socket.sent, [{ action: 'ping' }], 'one check at a time');
  socket.receive({ type: 'pong' });
  await h.clock.advance(PONG_TIMEOUT_MS);
  assert.equal(socket.readyState, 1);

  h.connection.reconnectNow();
  await h.clock.advance(PONG_TIMEOUT_MS);
  assert.equal(socket.readyState, 3);
  assert.equal(h.connection.state, 'reconnecting');
});

test('a message without an ack for 8 s makes the connection check the socket', async () => {
  const h = harness();
  const socket = await startAndOpen(h);
  h.texts.set('c-9', 'hello');
  h.connection.sendMessage('c-9', 'hello');
  await h.clock.advance(ACK_PATIENCE_MS);
  assert.deepEqual(socket.sent.map(f => f.action), ['sendMessage', 'ping']);

  h.texts.delete('c-9'); // acked meanwhile
  socket.receive({ type: 'pong' });
  h.connection.sendMessage('c-9', 'hello');
  await h.clock.advance(ACK_PATIENCE_MS);
  assert.deepEqual(socket.sent.map(f => f.action), ['sendMessage', 'ping', 'sendMessage']);
});

test('nothing is sent before catch-up finished; a failed catch-up drops the socket', async () => {
  let fail = true;
  let release;
  const h = harness({ synchronize: () => new Promise((resolve, reject) => { release = () => (fail ? reject(new Error('500')) : resolve()); }) });
  const socket = await startAndOpen(h);
  h.connection.sendMessage('c-1', 'too early');
  assert.equal(h.connection.ready, false);
  assert.deepEqual(socket.sent, []);
  release();
  await settle();
  assert.equal(socket.readyState, 3);
  assert.equal(h.readies, 0);

  fail = false;
  await h.clock.advance(250);
  h.sockets.last.open();
  await settle();
  release();
  await settle();
  assert.equal(h.readies, 1);
});

test('two sockets refused while the server answers: a new session before the next attempt', async () => {
  const h = harness();
  h.connection.start();
  await settle();
  h.sockets.last.close();
  await settle();
  await h.clock.advance(250);
  h.sockets.last.close();
  await settle();
  await h.clock.advance(500);
  assert.equal(h.renewals, 1);
  assert.equal(h.sockets.last.url.searchParams.get('token'), 'token-2');
});

test('a socket refused while the server answers is explained before the next attempt; an ending explanation stops it for good', async () => {
  const explained = [];
  const h = harness({
    explainRefusal: async conn => {
      explained.push(conn.sockets.created.length);
      if (explained.length === 2) conn.connection.stop(); // the room said: banned (the app halts the room)
    },
  });
  h.connection.start();
  await settle();
  h.sockets.last.close();
  await settle();
  assert.deepEqual(explained, [1]);
  await h.clock.advance(250);
  assert.equal(h.sockets.created.length, 2, 'not ended: tried again');
  h.sockets.last.close();
  await settle();
  assert.deepEqual(explained, [1, 2]);
  await h.clock.advance(BACKOFF_MAX_MS * 4);
  assert.equal(h.sockets.created.length, 2, 'no socket after the ending explanation');
  assert.equal(h.renewals, 0, 'and no new session to get round a ban');
  assert.equal(h.connection.state, 'offline');
});

test('the next attempt waits for the explanation; none is asked while the server is down or after an open socket closes', async () => {
  let release;
  const explained = [];
  const h = harness({ explainRefusal: () => { explained.push(1); return new Promise(resolve => { release = resolve; }); } });
  h.connection.start();
  await settle();
  h.sockets.last.close();
  await settle();
  await h.clock.advance(BACKOFF_MAX_MS);
  assert.equal(h.sockets.created.length, 1, 'still asking why');
  release();
  await settle();
  await h.clock.advance(250);
  assert.equal(h.sockets.created.length, 2);

  h.sockets.last.open();
  await settle();
  h.sockets.last.serverClose(1001, 'restart');
  await settle();
  h.serverUp = false;
  await h.clock.advance(250);
  h.sockets.last.close();
  await settle();
  assert.equal(explained.length, 1);
});

test('sockets failing while the server is down (a restart) keep the session', async () => {
  const h = harness({ serverUp: false });
  h.connection.start();
  await settle();
  for (const delay of [250, 500, 1000, 2000]) {
    h.sockets.last.close();
    await settle();
    await h.clock.advance(delay);
  }
  assert.equal(h.sockets.created.length, 5);
  assert.equal(h.renewals, 0);
});

test('going offline drops the socket at once and waits 30 s (or the online event) to try again', async () => {
  const h = harness();
  const socket = await startAndOpen(h);
  h.online = false;
  h.connection.wentOffline();
  assert.equal(socket.readyState, 3);
  assert.equal(h.connection.state, 'offline');
  await h.clock.advance(BACKOFF_MAX_MS - 1);
  assert.equal(h.sockets.created.length, 1);

  h.online = true;
  h.connection.reconnectNow();
  await settle();
  assert.equal(h.sockets.created.length, 2);
  assert.equal(h.connection.state, 'reconnecting');
});

test('stopping closes the socket for good', async () => {
  const h = harness();
  const socket = await startAndOpen(h);
  h.connection.stop();
  assert.equal(socket.readyState, 3);
  assert.equal(h.connection.state, 'offline');
  assert.equal(h.connection.send({ action: 'typing' }), false);
  h.connection.reconnectNow();
  await h.clock.advance(BACKOFF_MAX_MS * 2);
  assert.equal(h.sockets.created.length, 1);
  assert.equal(h.clock.pending, 0, 'no timer left behind');
});

test('closed with 4401, 4402 or 4403 (kicked, banned, removed): stopped, said once, never reconnected', async () => {
  for (const code of [4401, 4402, 4403]) {
    const h = harness();
    const ended = [];
    h.connection.addEventListener('ended', e => ended.push(e.detail));
    const socket = await startAndOpen(h);
    socket.serverClose(code, 'kicked');
    await settle();
    assert.deepEqual(ended, [code]);
    assert.equal(h.connection.state, 'offline');
    await h.clock.advance(BACKOFF_MAX_MS * 2);
    h.connection.reconnectNow();
    await settle();
    assert.equal(h.sockets.created.length, 1, `no new socket after ${code}`);
  }
});

test('other server close codes (1001, 1008) reconnect as before', async () => {
  const h = harness();
  const ended = [];
  h.connection.addEventListener('ended', e => ended.push(e.detail));
  const socket = await startAndOpen(h);
  socket.serverClose(1001);
  await h.clock.advance(250); // the first backoff step with random() = 0
  assert.equal(h.sockets.created.length, 2);
  h.sockets.last.open();
  await settle();
  h.sockets.last.serverClose(1008);
  await h.clock.advance(250);
  assert.equal(h.sockets.created.length, 3);
  assert.deepEqual(ended, []);
});
