// A real OpenID Connect provider (npm oidc-provider) for the accounts tests, on a free loopback port.
//
//   node oidc-provider.mjs '{"keys":[<private JWK>, …], "clientId":"chatdemo-test"}'
//
// The tests make the signing keys (so that they can also mint the tokens this provider never
// would: expired, wrong audience, …, all signed with its real key) and pass them in. It prints
// "issuer http://127.0.0.1:<port>" once it listens, and exits when its stdin closes, so a test
// process that dies never leaves it behind.
//
// One public client (no secret, PKCE required, code flow). Its type is "native" only because
// RFC 8252 loopback redirects then match on any port: the test apps listen on random ports, and
// every redirect URI on http://127.0.0.1/ is accepted. Sign-in uses the provider's own development
// login form (devInteractions: any password); the accounts below are who can sign in.
//
// POST /test/keys with a JWKS replaces the signing keys (a key rotation), keeping the port.
import http from 'node:http';
import Provider, { interactionPolicy } from 'oidc-provider';

const settings = JSON.parse(process.argv[2] ?? '{}');
const clientId = settings.clientId ?? 'chatdemo-test';

const accounts = {
  alice: { sub: 'alice', name: 'Alice Liddell', email: 'alice@example.test', email_verified: true, groups: ['staff', 'chat-admins'] },
  bob: { sub: 'bob', preferred_username: 'bob.builder', email: 'bob@example.test', email_verified: true, groups: ['staff'] },
  carol: { sub: 'carol', email: 'carol+chat@example.test', email_verified: false },
};

// Native clients are always asked for consent; this first-party client is not (its grant is
// implied below), so the login form is the only page a person sees.
const policy = interactionPolicy.base();
policy.get('consent').checks.remove('native_client_prompt');

function makeProvider(issuer, keys) {
  const provider = new Provider(issuer, {
    clients: [{
      client_id: clientId,
      application_type: 'native',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      redirect_uris: ['http://127.0.0.1/'],
    }],
    jwks: { keys },
    cookies: { keys: ['chatdemo-tests-only-cookie-key'] },
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
    interactions: { policy },
    claims: {
      openid: ['sub', 'groups'],
      profile: ['name', 'preferred_username'],
      email: ['email', 'email_verified'],
    },
    // Put the requested claims into the ID token too (the page only has the ID token to exchange).
    conformIdTokenClaims: false,
    async findAccount(ctx, id) {
      const claims = accounts[id];
      return claims && { accountId: id, claims: async () => claims };
    },
    // A first-party client: consent is implied, as a company's own app would configure it.
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid profile email');
      grant.addOIDCClaims(['sub', 'groups', 'name', 'preferred_username', 'email', 'email_verified']);
      await grant.save();
      return grant;
    },
    // The page exchanges the code from its own origin (a random loopback port in the tests).
    clientBasedCORS: () => true,
    ttl: { IdToken: 3600, AccessToken: 3600, AuthorizationCode: 60, Interaction: 600, Session: 3600, Grant: 3600 },
  });
  provider.on('server_error', (ctx, error) => console.error('server_error', error));
  return provider;
}

let handler = null;
const server = http.createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/test/keys') {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => {
      handler = makeProvider(issuer, JSON.parse(body).keys).callback();
      res.writeHead(204).end();
    });
    return;
  }
  handler(req, res);
});

let issuer = '';
server.listen(0, '127.0.0.1', () => {
  issuer = `http://127.0.0.1:${server.address().port}`;
  handler = makeProvider(issuer, settings.keys).callback();
  console.log(`issuer ${issuer}`);
});

process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
