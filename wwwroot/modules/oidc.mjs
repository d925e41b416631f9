// Signing in with an OpenID Connect provider: the authorization code flow with PKCE (RFC 7636)
// for a public client (no secret exists). Our own few lines rather than a library, since the page
// has no build step; WebCrypto does the randomness and the SHA-256.
//
// What is kept where: the pending sign-in (state, nonce, PKCE verifier) and the provider's ID
// token live in sessionStorage only — one tab, gone when it closes, never in localStorage. The
// ID token's signature, issuer, audience and lifetime are checked by the server when the page
// exchanges it for a ChatDemo session (docs/protocol.md section 1.1); the page checks what only it
// can: the state (this browser started this sign-in) and the nonce (this ID token answers it).
//
// Everything the module touches is passed in (crypto, storage, fetch, the clock), so the unit
// tests run it under node without a browser.

export const PENDING_KEY = 'chatdemo.oidc.pending';
export const ID_TOKEN_KEY = 'chatdemo.oidc.idToken';
/** A sign-in not completed within this time is forgotten: its state no longer matches anything. */
export const PENDING_TTL_MS = 10 * 60_000;

export class SignInError extends Error {}

export function base64Url(bytes) {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** 32 random bytes as base64url: 43 characters, the shortest verifier RFC 7636 allows, 256 bits of entropy. */
export function randomString(crypto) {
  return base64Url(crypto.getRandomValues(new Uint8Array(32)));
}

/** The S256 code challenge: base64url(SHA-256(ASCII(verifier))). */
export async function codeChallenge(crypto, verifier) {
  return base64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
}

const sameIssuer = (a, b) => String(a).replace(/\/+$/, '') === String(b).replace(/\/+$/, '');

/** The provider's discovery document; its issuer must be the configured authority (OpenID Connect Discovery 4.3). */
export async function discover(fetchImpl, authority) {
  const response = await fetchImpl(`${authority.replace(/\/+$/, '')}/.well-known/openid-configuration`,
    { headers: { accept: 'application/json' } });
  if (!response.ok) throw new SignInError(`the sign-in provider answered ${response.status}`);
  const document = await response.json();
  if (!sameIssuer(document.issuer, authority)) throw new SignInError(`the sign-in provider calls itself ${document.issuer}, not ${authority}`);
  if (!document.authorization_endpoint || !document.token_endpoint) throw new SignInError('the sign-in provider has no authorization or token endpoint');
  return document;
}

/**
 * Starts a sign-in: remembers state, nonce and verifier in sessionStorage and returns the
 * provider's authorization URL to navigate to. oidc is /api/config's auth.oidc.
 */
export async function beginSignIn({ oidc, provider, redirectUri, crypto, sessionStore, now = Date.now() }) {
  const pending = {
    state: randomString(crypto),
    nonce: randomString(crypto),
    verifier: randomString(crypto),
    redirectUri,
    startedAt: now,
  };
  sessionStore.setJson(PENDING_KEY, pending);
  const url = new URL(provider.authorization_endpoint);
  url.search = new URLSearchParams({
    client_id: oidc.clientId,
    response_type: 'code',
    scope: oidc.scope,
    redirect_uri: redirectUri,
    state: pending.state,
    nonce: pending.nonce,
    code_challenge: await codeChallenge(crypto, pending.verifier),
    code_challenge_method: 'S256',
  }).toString();
  return url.toString();
}

/** Whether this address is the provider sending the browser back (with a code or an error). */
export function isCallback(href) {
  const params = new URL(href).searchParams;
  return params.has('state') && (params.has('code') || params.has('error'));
}

/** The claims of a JWT, unverified (the server verifies); null when it is not one. */
export function decodeClaims(jwt) {
  try {
    const part = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const binary = atob(part.padEnd(part.length + ((4 - (part.length % 4)) % 4), '='));
    return JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, c => c.charCodeAt(0))));
  } catch {
    return null;
  }
}

/**
 * Completes a sign-in from the callback address: checks the state against the pending sign-in,
 * redeems the code with the verifier, checks the ID token's nonce, keeps the ID token in
 * sessionStorage and returns it. The pending sign-in is used once, whatever happens.
 */
export async function completeSignIn({ href, oidc, provider, fetchImpl, sessionStore, now = Date.now() }) {
  const params = new URL(href).searchParams;
  const pending = sessionStore.json(PENDING_KEY, null);
  sessionStore.set(PENDING_KEY, null);
  if (!pending || params.get('state') !== pending.state) throw new SignInError('this sign-in was not started here (its state does not match); sign in again');
  if (now - pending.startedAt > PENDING_TTL_MS) throw new SignInError('the sign-in took too long; sign in again');
  if (params.has('error')) throw new SignInError(params.get('error_description') || params.get('error'));
  // RFC 9207: a provider that names itself must be the one this sign-in went to.
  if (params.has('iss') && !sameIssuer(params.get('iss'), provider.issuer)) throw new SignInError('the answer came from another provider');

  const response = await fetchImpl(provider.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: params.get('code'),
      redirect_uri: pending.redirectUri,
      client_id: oidc.clientId,
      code_verifier: pending.verifier,
    }).toString(),
  });
  const tokens = await response.json().catch(() => ({}));
  if (!response.ok) throw new SignInError(tokens.error_description || tokens.error || `the provider's token endpoint answered ${response.status}`);
  if (typeof tokens.id_token !== 'string') throw new SignInError('the provider sent no ID token (is "openid" in the scope?)');
  const claims = decodeClaims(tokens.id_token);
  if (!claims || claims.nonce !== pending.nonce) throw new SignInError('the ID token does not answer this sign-in (its nonce does not match)');
  sessionStore.set(ID_TOKEN_KEY, tokens.id_token);
  return tokens.id_token;
}

/** The address without the provider's answer in it, to put back into the address bar. */
export function withoutCallback(href) {
  const url = new URL(href);
  for (const name of ['code', 'state', 'iss', 'error', 'error_description', 'session_state']) url.searchParams.delete(name);
  return url.toString();
}

/** Forgets the provider's token and any sign-in in progress (signing out of ChatDemo in this tab). */
export function forget(sessionStore) {
  sessionStore.set(PENDING_KEY, null);
  sessionStore.set(ID_TOKEN_KEY, null);
}
