import assert from 'node:assert/strict';
import { createHash, webcrypto } from 'node:crypto';
import { test } from 'node:test';
import {
  ID_TOKEN_KEY, PENDING_KEY, PENDING_TTL_MS, SignInError, base64Url, beginSignIn, codeChallenge, completeSignIn,
  decodeClaims, discover, forget, isCallback, randomString, withoutCallback,
} from '../../wwwroot/modules/oidc.mjs';

/** sessionStorage over a Map, with the page store's json/setJson/set. */
function memoryStore() {
  const items = new Map();
  return {
    items,
    set(key, value) { if (value === null || value === undefined) items.delete(key); else items.set(key, value); },
    json(key, fallback) { return items.has(key) ? JSON.parse(items.get(key)) : fallback; },
    setJson(key, value) { this.set(key, value === null ? null : JSON.stringify(value)); },
  };
}

const oidc = { authority: 'https://id.example.com/realms/chat', clientId: 'chatdemo', scope: 'openid profile email' };
const provider = {
  issuer: oidc.authority,
  authorization_endpoint: 'https://id.example.com/realms/chat/auth',
  token_endpoint: 'https://id.example.com/realms/chat/token',
};
const redirectUri = 'https://chat.example.com/';
const now = Date.parse('2026-12-05T08:00:00Z');

const jwt = claims => `${base64Url(new TextEncoder().encode('{"alg":"RS256"}'))}.${base64Url(new TextEncoder().encode(JSON.stringify(claims)))}.c2ln`;

/** A token endpoint that records what it was sent and answers with an ID token carrying the given nonce. */
function tokenEndpoint(answer) {
  const calls = [];
  const fetchImpl = async (url, init) => {
    calls.push({ url, init, form: new URLSearchParams(init.body) });
    const { status = 200, body } = answer(calls.at(-1));
    return { ok: status < 300, status, json: async () => body };
  };
  return { calls, fetchImpl };
}

async function started(sessionStore = memoryStore()) {
  const url = new URL(await beginSignIn({ oidc, provider, redirectUri, crypto: webcrypto, sessionStore, now }));
  return { url, sessionStore, pending: sessionStore.json(PENDING_KEY, null) };
}

const callback = (params) => `${redirectUri}?${new URLSearchParams(params)}`;

test('the code challenge is the RFC 7636 S256 of the verifier', async () => {
  // RFC 7636 appendix B.
  assert.equal(await codeChallenge(webcrypto, 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'), 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
});

test('state, nonce and verifier are 43 base64url characters from 32 random bytes, never the same twice', () => {
  const seen = new Set();
  for (let i = 0; i < 200; i++) {
    const value = randomString(webcrypto);
    assert.match(value, /^[A-Za-z0-9_-]{43}$/);
    seen.add(value);
  }
  assert.equal(seen.size, 200);
});

test('beginning a sign-in remembers state, nonce and verifier in the session store and asks for a code with PKCE', async () => {
  const { url, pending, sessionStore } = await started();

  assert.equal(`${url.origin}${url.pathname}`, provider.authorization_endpoint);
  const q = url.searchParams;
  assert.equal(q.get('client_id'), 'chatdemo');
  assert.equal(q.get('response_type'), 'code');
  assert.equal(q.get('scope'), 'openid profile email');
  assert.equal(q.get('redirect_uri'), redirectUri);
  assert.equal(q.get('state'), pending.state);
  assert.equal(q.get('nonce'), pending.nonce);
  assert.equal(q.get('code_challenge_method'), 'S256');
  assert.equal(q.get('code_challenge'), createHash('sha256').update(pending.verifier).digest('base64url'));
  assert.equal(q.has('code_verifier'), false, 'the verifier never leaves the browser before the token request');
  assert.notEqual(pending.state, pending.nonce);
  assert.notEqual(pending.state, pending.verifier);
  assert.deepEqual([...sessionStore.items.keys()], [PENDING_KEY]);
});

test('completing redeems the code with the verifier and keeps the ID token in the session store only', async () => {
  const { pending, sessionStore } = await started();
  const idToken = jwt({ sub: 'alice', nonce: pending.nonce });
  const endpoint = tokenEndpoint(() => ({ body: { id_token: idToken, access_token: 'at' } }));

  const got = await completeSignIn({
    href: callback({ code: 'c0de', state: pending.state, iss: provider.issuer }), oidc, provider,
    fetchImpl: endpoint.fetchImpl, sessionStore, now: now + 5000,
  });

  assert.equal(got, idToken);
  assert.equal(endpoint.calls.length, 1);
  const { url, init, form } = endpoint.calls[0];
  assert.equal(url, provider.token_endpoint);
  assert.equal(init.method, 'POST');
  assert.equal(init.headers['content-type'], 'application/x-www-form-urlencoded');
  assert.deepEqual(Object.fromEntries(form), {
    grant_type: 'authorization_code', code: 'c0de', redirect_uri: redirectUri, client_id: 'chatdemo', code_verifier: pending.verifier,
  });
  assert.equal(sessionStore.items.get(ID_TOKEN_KEY), idToken);
  assert.equal(sessionStore.items.has(PENDING_KEY), false, 'a pending sign-in is used once');
});

test('a callback whose state does not match, or with nothing pending, is refused without calling the provider', async () => {
  const { pending, sessionStore } = await started();
  const endpoint = tokenEndpoint(() => ({ body: { id_token: jwt({ nonce: pending.nonce }) } }));
  await assert.rejects(completeSignIn({ href: callback({ code: 'c', state: 'forged' }), oidc, provider, fetchImpl: endpoint.fetchImpl, sessionStore, now }),
    SignInError);
  // The failed attempt consumed the pending sign-in: the right state no longer works either.
  await assert.rejects(completeSignIn({ href: callback({ code: 'c', state: pending.state }), oidc, provider, fetchImpl: endpoint.fetchImpl, sessionStore, now }),
    /not started here/);
  assert.equal(endpoint.calls.length, 0);
});

test('an ID token whose nonce is not this sign-in\'s is refused and not kept', async () => {
  const { pending, sessionStore } = await started();
  const endpoint = tokenEndpoint(() => ({ body: { id_token: jwt({ sub: 'alice', nonce: 'replayed' }) } }));
  await assert.rejects(completeSignIn({ href: callback({ code: 'c', state: pending.state }), oidc, provider, fetchImpl: endpoint.fetchImpl, sessionStore, now }),
    /nonce/);
  assert.equal(sessionStore.items.has(ID_TOKEN_KEY), false);
});

test('a sign-in older than ten minutes, an error from the provider, another issuer or a refused code is refused', async () => {
  const cases = [
    [p => ({ href: callback({ code: 'c', state: p.state }), now: now + PENDING_TTL_MS + 1 }), /too long/],
    [p => ({ href: callback({ error: 'access_denied', error_description: 'End-User aborted interaction', state: p.state }) }), /aborted/],
    [p => ({ href: callback({ code: 'c', state: p.state, iss: 'https://evil.example.com' }) }), /another provider/],
    [p => ({ href: callback({ code: 'c', state: p.state }), status: 400, body: { error: 'invalid_grant', error_description: 'grant request is invalid' } }), /grant request is invalid/],
    [p => ({ href: callback({ code: 'c', state: p.state }), body: { access_token: 'only' } }), /no ID token/],
  ];
  for (const [make, expected] of cases) {
    const { pending, sessionStore } = await started();
    const spec = make(pending);
    const endpoint = tokenEndpoint(() => ({ status: spec.status, body: spec.body ?? { id_token: jwt({ nonce: pending.nonce }) } }));
    await assert.rejects(completeSignIn({ href: spec.href, oidc, provider, fetchImpl: endpoint.fetchImpl, sessionStore, now: spec.now ?? now }), expected);
    assert.equal(sessionStore.items.has(ID_TOKEN_KEY), false);
  }
});

test('discovery insists that the document names the configured authority as its issuer', async () => {
  const answering = body => async url => ({ ok: true, status: 200, json: async () => ({ ...body, requested: url }) });
  const good = await discover(answering(provider), `${oidc.authority}/`);
  assert.equal(good.requested, `${oidc.authority}/.well-known/openid-configuration`);
  await assert.rejects(discover(answering({ ...provider, issuer: 'https://evil.example.com' }), oidc.authority), /calls itself/);
  await assert.rejects(discover(async () => ({ ok: false, status: 503 }), oidc.authority), /503/);
});

test('callbacks are told apart from ordinary addresses, and their parameters are removed from the address', () => {
  assert.equal(isCallback('https://chat.example.com/?code=x&state=y'), true);
  assert.equal(isCallback('https://chat.example.com/?error=access_denied&state=y'), true);
  assert.equal(isCallback('https://chat.example.com/?room=lobby'), false);
  assert.equal(withoutCallback('https://chat.example.com/?room=lobby&code=x&state=y&iss=z'), 'https://chat.example.com/?room=lobby');
});

test('claims are read from an ID token, and anything else reads as null', () => {
  assert.deepEqual(decodeClaims(jwt({ sub: 'zoë', name: 'Zoë' })), { sub: 'zoë', name: 'Zoë' });
  assert.equal(decodeClaims('not a token'), null);
});

test('forgetting removes the ID token and any pending sign-in', async () => {
  const { sessionStore } = await started();
  sessionStore.set(ID_TOKEN_KEY, 'token');
  forget(sessionStore);
  assert.equal(sessionStore.items.size, 0);
});
