import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError, createApi } from '../../wwwroot/modules/api.mjs';

/** A fetch that records each call and answers from a list of responses (or throws an Error given). */
function recordingFetch(...answers) {
  const calls = [];
  const fetchImpl = async (url, init = {}) => {
    calls.push({ url, method: init.method ?? 'GET', headers: init.headers ?? {}, body: init.body });
    const answer = answers.shift();
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { fetchImpl, calls };
}

const json = (status, body, type = 'application/json') => new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });

test('a session is created with a JSON POST of the name', async () => {
  const session = { userId: 'u_1', name: 'Alice', token: 't', expiresAt: '2030-01-01T00:00:00Z' };
  const { fetchImpl, calls } = recordingFetch(json(201, session));
  assert.deepEqual(await createApi(fetchImpl).createSession('Alice'), session);
  assert.equal(calls[0].url, '/api/sessions');
  assert.equal(calls[0].method, 'POST');
  assert.equal(calls[0].headers['content-type'], 'application/json');
  assert.deepEqual(JSON.parse(calls[0].body), { name: 'Alice' });
});

test('a member session is exchanged for the ID token in a bearer Authorization header, with no body', async () => {
  const session = { userId: 'u_m', name: 'Alice', token: 't', expiresAt: '2030-01-01T00:00:00Z', kind: 'member', admin: false };
  const { fetchImpl, calls } = recordingFetch(json(201, session));
  assert.deepEqual(await createApi(fetchImpl).exchangeIdToken('eyJ.id.token'), session);
  assert.equal(calls[0].url, '/api/sessions');
  assert.equal(calls[0].method, 'POST');
  assert.equal(calls[0].headers.authorization, 'Bearer eyJ.id.token');
  assert.equal(calls[0].body, undefined);
});

test("a refusal throws the problem's detail, or its title, or the status", async () => {
  const { fetchImpl } = recordingFetch(
    json(400, { title: 'Bad request', detail: "'name' is required" }, 'application/problem+json'),
    json(404, { title: 'Not found' }, 'application/problem+json'),
    new Response('<html>', { status: 502 }));
  const api = createApi(fetchImpl);
  await assert.rejects(api.createSession(''), error => error instanceof ApiError && error.status === 400 && error.message === "'name' is required");
  await assert.rejects(api.presence('lobby'), { message: 'Not found', status: 404 });
  await assert.rejects(api.messages('lobby', { limit: 50 }), { message: 'HTTP 502', status: 502 });
});

test('history and presence paths carry the room escaped and the query as given', async () => {
  const page = { messages: [], hasMore: false };
  const { fetchImpl, calls } = recordingFetch(json(200, page), json(200, page), json(200, { users: [] }));
  const api = createApi(fetchImpl);
  await api.messages('lobby', { after: 12, limit: 100 });
  await api.messages('a b', { before: 3, limit: 50 });
  await api.presence('lobby');
  assert.deepEqual(calls.map(c => c.url), [
    '/api/rooms/lobby/messages?after=12&limit=100',
    '/api/rooms/a%20b/messages?before=3&limit=50',
    '/api/rooms/lobby/presence',
  ]);
  assert.equal(calls[0].headers.accept, 'application/json');
});

test("history and presence carry the session's token as a bearer token (private rooms need it); config and sessions do not", async () => {
  const page = { messages: [], hasMore: false };
  let token = 'tok-1';
  const { fetchImpl, calls } = recordingFetch(json(200, page), json(200, { users: [] }), json(200, { webSocketUrl: '/ws' }), json(200, page));
  const api = createApi(fetchImpl, () => token);
  await api.messages('team-a', { limit: 50 });
  await api.presence('team-a');
  await api.config();
  token = null;
  await api.messages('lobby', { limit: 50 });
  assert.deepEqual(calls.map(c => c.headers.authorization), ['Bearer tok-1', 'Bearer tok-1', undefined, undefined]);
});

test('the configuration is read once, but a failed read is tried again', async () => {
  const config = { webSocketUrl: '/ws' };
  const { fetchImpl, calls } = recordingFetch(new TypeError('network down'), json(200, config));
  const api = createApi(fetchImpl);
  await assert.rejects(api.config(), TypeError);
  assert.deepEqual(await api.config(), config);
  assert.deepEqual(await api.config(), config);
  assert.equal(calls.length, 2);
});

test('the server answers when /api/config says 200, not when it fails or cannot be reached', async () => {
  const { fetchImpl } = recordingFetch(json(200, {}), json(503, {}), new TypeError('refused'));
  const api = createApi(fetchImpl);
  assert.equal(await api.serverAnswers(), true);
  assert.equal(await api.serverAnswers(), false);
  assert.equal(await api.serverAnswers(), false);
});
