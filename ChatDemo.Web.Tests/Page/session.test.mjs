import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RENEW_MARGIN_MS, Sessions, isFresh } from '../../wwwroot/modules/session.mjs';
import { createStore, keys } from '../../wwwroot/modules/storage.mjs';
import { MemoryStorage } from './fakes.mjs';

const now = Date.parse('2026-01-01T12:00:00Z');
const expiring = ms => new Date(now + ms).toISOString();

function sessionsWith(storage = new MemoryStorage()) {
  let next = 1;
  const created = [];
  const api = {
    async createSession(name) {
      created.push(name);
      return { userId: `u_${next++}`, name, token: 't', expiresAt: expiring(24 * 3600_000) };
    },
  };
  return { sessions: new Sessions(createStore(storage), api), created, storage };
}

test('a session is fresh until a minute before it expires', () => {
  assert.equal(isFresh({ expiresAt: expiring(RENEW_MARGIN_MS + 1) }, now), true);
  assert.equal(isFresh({ expiresAt: expiring(RENEW_MARGIN_MS) }, now), false);
  assert.equal(isFresh(null, now), false);
  assert.equal(isFresh({ expiresAt: 'garbage' }, now), false);
});

test('a fresh session under the same name is kept; another name or an expiring one gets a new session', async () => {
  const { sessions, created } = sessionsWith();
  const first = await sessions.forName('Alice', now);
  assert.equal((await sessions.forName('Alice', now)).userId, first.userId);
  assert.equal(sessions.saved().userId, first.userId);
  assert.deepEqual(created, ['Alice']);

  await sessions.forName('Bob', now);
  assert.deepEqual(created, ['Alice', 'Bob']);
  await sessions.forName('Bob', now + 24 * 3600_000);
  assert.deepEqual(created, ['Alice', 'Bob', 'Bob']);
});

test('every user id this browser had is remembered (the last 20), to mark own messages', async () => {
  const { sessions, storage } = sessionsWith();
  for (let i = 0; i < 25; i++) await sessions.create('Alice');
  const ids = JSON.parse(storage.getItem(keys.myIds));
  assert.equal(ids.length, 20);
  assert.equal(ids.at(-1), 'u_25');
  assert.equal(sessions.isMine('u_25'), true);
  assert.equal(sessions.isMine('u_6'), true);
  assert.equal(sessions.isMine('u_5'), false);
});

test('a member session is adopted and renewed by exchanging the ID token again; a guest renews under the same name', async () => {
  const exchanged = [];
  let idToken = 'id-token-1';
  const api = {
    async createSession(name) { return { userId: 'u_guest2', name, token: 'g', expiresAt: expiring(3600_000), kind: 'guest' }; },
    async exchangeIdToken(token) { exchanged.push(token); return { userId: 'u_member', name: 'Alice L', token: 'm2', expiresAt: expiring(3600_000), kind: 'member' }; },
  };
  const storage = new MemoryStorage();
  const sessions = new Sessions(createStore(storage), api, () => idToken);
  const member = sessions.adopt({ userId: 'u_member', name: 'Alice L', token: 'm1', expiresAt: expiring(1000), kind: 'member' });
  assert.equal(sessions.member().userId, 'u_member');
  assert.equal(sessions.isMine('u_member'), true);

  const renewed = await sessions.renew(member);
  assert.deepEqual(exchanged, ['id-token-1']);
  assert.equal(renewed.token, 'm2');
  assert.equal(sessions.saved().token, 'm2');

  idToken = null;
  await assert.rejects(sessions.renew(member), /sign in again/);

  const guest = await sessions.renew({ userId: 'u_guest1', name: 'Bob', kind: 'guest' });
  assert.equal(guest.name, 'Bob');
  assert.equal(sessions.member(), null);

  sessions.forget();
  assert.equal(sessions.saved(), null);
  assert.equal(sessions.isMine('u_member'), true, 'own ids outlive a sign-out, to keep marking old messages');
});
