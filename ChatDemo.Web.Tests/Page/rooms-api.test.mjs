import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError } from '../../wwwroot/modules/api.mjs';
import { createRoomsApi } from '../../wwwroot/modules/rooms-api.mjs';

/** A fetch that records each call and answers from a list of responses. */
function recordingFetch(...answers) {
  const calls = [];
  const fetchImpl = async (url, init = {}) => {
    calls.push({ url, method: init.method ?? 'GET', headers: init.headers ?? {}, body: init.body === undefined ? undefined : JSON.parse(init.body) });
    return answers.shift();
  };
  return { fetchImpl, calls };
}

const json = (status, body, type = 'application/json') => new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });
const noContent = () => new Response(null, { status: 204 });

test('every call carries the session token as a bearer token, and none when there is no session', async () => {
  let token = 'tok-1';
  const { fetchImpl, calls } = recordingFetch(json(200, { rooms: [] }), json(200, { rooms: [] }));
  const api = createRoomsApi(() => token, fetchImpl);
  await api.list();
  token = null;
  await api.list();
  assert.equal(calls[0].headers.authorization, 'Bearer tok-1');
  assert.equal('authorization' in calls[1].headers, false);
  assert.deepEqual(calls.map(c => [c.method, c.url]), [['GET', '/api/rooms'], ['GET', '/api/rooms']]);
});

test('each endpoint of section 11 with its method, path and JSON body', async () => {
  const room = { room: 'team a', visibility: 'private' };
  const { fetchImpl, calls } = recordingFetch(
    json(201, room), json(201, { room: 'x', visibility: 'public' }), noContent(), json(200, { members: [] }),
    json(200, { id: 'u_1', role: 'moderator' }), noContent(), json(201, { invite: 'i' }), json(200, room),
    json(200, { id: 'r_1' }), json(200, { records: [] }), json(200, { room: 'team-a', users: [] }));
  const api = createRoomsApi(() => 't', fetchImpl);
  assert.deepEqual(await api.create({ room: 'team-a', visibility: 'private', title: 'Team A' }), room);
  await api.create({ room: 'x', visibility: 'public', title: '' });
  assert.equal(await api.markRead('team-a', 7), null, '204 has no body');
  await api.members('team-a');
  await api.setRole('team-a', 'u_1', 'moderator');
  await api.removeMember('team-a', 'u_1');
  await api.invite('team-a', {});
  await api.join('team-a', 'inv.tok');
  await api.moderate('team-a', { action: 'mute', userId: 'u_1', durationSeconds: 600 });
  await api.moderationLog('team-a', 50);
  await api.access('team a');
  assert.deepEqual(calls.map(c => [c.method, c.url, c.body]), [
    ['POST', '/api/rooms', { room: 'team-a', visibility: 'private', title: 'Team A' }],
    ['POST', '/api/rooms', { room: 'x', visibility: 'public' }],
    ['PUT', '/api/rooms/team-a/read', { seq: 7 }],
    ['GET', '/api/rooms/team-a/members', undefined],
    ['PUT', '/api/rooms/team-a/members/u_1', { role: 'moderator' }],
    ['DELETE', '/api/rooms/team-a/members/u_1', undefined],
    ['POST', '/api/rooms/team-a/invites', {}],
    ['POST', '/api/rooms/team-a/join', { invite: 'inv.tok' }],
    ['POST', '/api/rooms/team-a/moderation', { action: 'mute', userId: 'u_1', durationSeconds: 600 }],
    ['GET', '/api/rooms/team-a/moderation?limit=50', undefined],
    ['GET', '/api/rooms/team%20a/presence', undefined],
  ]);
  assert.equal(calls[0].headers['content-type'], 'application/json');
  assert.equal('content-type' in calls.at(-1).headers, false);
});

test("a refusal throws the problem's detail, status and reason", async () => {
  const { fetchImpl } = recordingFetch(
    json(403, { title: 'Forbidden', detail: 'The invite has expired', reason: 'expired' }, 'application/problem+json'),
    json(409, { title: 'Conflict', detail: 'The room exists' }, 'application/problem+json'));
  const api = createRoomsApi(() => 't', fetchImpl);
  await assert.rejects(api.join('a', 'x'), e => e instanceof ApiError && e.status === 403 && e.reason === 'expired' && e.message === 'The invite has expired');
  await assert.rejects(api.create({ room: 'a', visibility: 'public' }), e => e.status === 409 && e.reason === null);
});
