// A local OpenID provider configured like a Logto tenant, on panva's oidc-provider
// (the engine Logto itself runs on). Used by the demo (`scripts/demo.sh`) and the e2e tests.
//
//   node e2e/provider/server.mjs            # listens on 127.0.0.1:3001, issuer http://127.0.0.1:3001/oidc
//
// Environment:
//   PROVIDER_PORT        port (default 3001)
//   ACCESS_TOKEN_TTL     access-token lifetime in seconds (default 3600)
//   ID_TOKEN_TTL         ID-token lifetime in seconds (default 3600)
//
// Test hooks (loopback only, never part of a real tenant), under /__test/:
//   GET  /__test/requests        every request seen so far, as JSON [{method, path, time}]
//   POST /__test/requests/clear  forget them
//   POST /__test/revoke-all      revoke every grant (next refresh gets invalid_grant)
//   POST /__test/config?accessTokenTtl=N   access-token lifetime from now on
//   POST /__test/fault?token=500|drop|stall&jwks=500&all=down   inject faults (no query: clear)
import * as http from 'node:http';
import * as crypto from 'node:crypto';
import Provider, { errors } from 'oidc-provider';

import { findAccount } from './accounts.mjs';

const PORT = Number(process.env.PROVIDER_PORT || 3001);
const HOST = '127.0.0.1';
const PREFIX = '/oidc';
const ISSUER = `http://${HOST}:${PORT}${PREFIX}`;
// The demo (:3000), and the Angular reference apps the benchmark serves beside it (:3100, :3101).
const APP_ORIGINS = ['http://127.0.0.1:3000', 'http://localhost:3000', 'http://127.0.0.1:3100', 'http://127.0.0.1:3101'];
export const API_RESOURCE = 'https://api.demo.test';
const ORGANIZATIONS_RESOURCE = 'urn:logto:resource:organizations';
const ORGANIZATIONS_SCOPE = 'urn:logto:scope:organizations';
// Changeable at run time through /__test/config so a test can make tokens expire quickly.
const settings = { accessTokenTtl: Number(process.env.ACCESS_TOKEN_TTL || 3600) };
// Fault injection, set through /__test/fault: token = 500 | drop | stall, jwks = 500, all = down.
const faults = {};

let signingJwks;
function signingKeys() {
  const es384 = crypto.generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({ format: 'jwk' });
  const rs256 = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  const stamp = Date.now().toString(36);
  signingJwks = {
    keys: [
      { ...es384, kid: `es384-${stamp}`, alg: 'ES384', use: 'sig' },
      { ...rs256, kid: `rs256-${stamp}`, alg: 'RS256', use: 'sig' },
    ],
  };
  return structuredClone(signingJwks);
}

const configuration = {
  clients: [
    {
      client_id: 'demo-app',
      token_endpoint_auth_method: 'none',
      application_type: 'web',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: APP_ORIGINS.map((o) => `${o}/callback`),
      post_logout_redirect_uris: APP_ORIGINS.map((o) => `${o}/`),
      id_token_signed_response_alg: 'ES384',
    },
  ],
  jwks: signingKeys(),
  cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
  findAccount,
  // Logto's scopes and the claims each one releases.
  claims: {
    openid: ['sub'],
    profile: ['name', 'username', 'picture', 'created_at', 'updated_at'],
    email: ['email', 'email_verified'],
    phone: ['phone_number', 'phone_number_verified'],
    address: ['address'],
    roles: ['roles'],
    'urn:logto:scope:organizations': ['organizations', 'organization_data'],
    'urn:logto:scope:organization_roles': ['organization_roles'],
    custom_data: ['custom_data'],
    identities: ['identities', 'sso_identities'],
  },
  scopes: ['openid', 'offline_access', 'urn:logto:scope:sessions'],
  // Logto puts the scope's claims in the ID token too.
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  enabledJWA: {
    idTokenSigningAlgValues: ['ES384', 'RS256'],
  },
  clientBasedCORS: (ctx, origin) => APP_ORIGINS.includes(origin),
  features: {
    devInteractions: { enabled: true },
    rpInitiatedLogout: {
      enabled: true,
      // Logto ends the session at once; oidc-provider's default asks "Yes, sign me out".
      // Auto-confirm the same form (it carries the provider's xsrf token).
      logoutSource: async (ctx, form) => {
        const confirmed = form.replace('</form>', '<input type="hidden" name="logout" value="yes"/></form>');
        ctx.body = `<!DOCTYPE html><html><head><title>Signing out…</title></head><body>${confirmed}`
          + '<script>document.forms[0].submit()</script></body></html>';
      },
    },
    revocation: { enabled: true },
    resourceIndicators: {
      enabled: true,
      // Resource-less token requests get an opaque token for the userinfo endpoint.
      useGrantedResource: () => false,
      getResourceServerInfo: (ctx, resource) => {
        // Read at call time so /__test/config changes apply to resource tokens too.
        if (resource === API_RESOURCE) {
          return {
            scope: 'read write',
            accessTokenFormat: 'jwt',
            accessTokenTTL: settings.accessTokenTtl,
            jwt: { sign: { alg: 'ES384' } },
          };
        }
        if (resource === ORGANIZATIONS_RESOURCE) {
          return {
            scope: 'urn:logto:scope:organizations',
            accessTokenFormat: 'jwt',
            accessTokenTTL: settings.accessTokenTtl,
            jwt: { sign: { alg: 'ES384' } },
          };
        }
        throw new errors.InvalidTarget();
      },
    },
  },
  // Always issue a refresh token with offline_access; rotate it on every use (Logto's policy;
  // reuse of a rotated token revokes the whole grant, oidc-provider's default revokeGrantPolicy).
  rotateRefreshToken: () => true,
  ttl: {
    AccessToken: () => settings.accessTokenTtl,
    IdToken: () => Number(process.env.ID_TOKEN_TTL || 3600),
    RefreshToken: () => 14 * 24 * 3600,
    AuthorizationCode: 60,
    Interaction: 3600,
    Session: 14 * 24 * 3600,
    Grant: 14 * 24 * 3600,
  },
  loadExistingGrant: async (ctx) => {
    // Like Logto: a consented grant is reused, so a second sign-in needs no consent click
    // unless prompt=consent is sent again.
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    return grantId ? ctx.oidc.provider.Grant.find(grantId) : undefined;
  },
};

const provider = new Provider(ISSUER, configuration);
provider.proxy = false;

// ---- Logto organization tokens: the refresh grant with `organization_id` ----------------
// Logto answers `grant_type=refresh_token&organization_id=<id>` with an access token whose
// audience is `urn:logto:organization:<id>`. oidc-provider has no such parameter, so this
// handler does it: the refresh token must be live, carry the organizations scope, and the user
// must belong to the organization. The refresh token is not rotated here (no refresh_token in
// the answer), which clients handle by keeping the one they have.
function signJwt(payload) {
  const jwk = signingJwks.keys.find((k) => k.alg === 'ES384');
  const header = { alg: 'ES384', kid: jwk.kid, typ: 'at+jwt' };
  const b64 = (obj) => Buffer.from(JSON.stringify(obj)).toString('base64url');
  const input = `${b64(header)}.${b64(payload)}`;
  const key = crypto.createPrivateKey({ key: jwk, format: 'jwk' });
  const sig = crypto.sign('sha384', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  return `${input}.${sig.toString('base64url')}`;
}

function verifyJwt(token) {
  const [h, p, sig] = String(token).split('.');
  if (!h || !p || !sig) return null;
  const header = JSON.parse(Buffer.from(h, 'base64url'));
  const jwk = signingJwks.keys.find((k) => k.kid === header.kid && k.alg === 'ES384');
  if (!jwk || header.alg !== 'ES384') return null;
  const { d, ...pub } = jwk;
  const ok = crypto.verify('sha384', Buffer.from(`${h}.${p}`), { key: crypto.createPublicKey({ key: pub, format: 'jwk' }), dsaEncoding: 'ieee-p1363' }, Buffer.from(sig, 'base64url'));
  if (!ok) return null;
  const claims = JSON.parse(Buffer.from(p, 'base64url'));
  return claims.exp > Date.now() / 1000 ? claims : null;
}

function json(res, status, body, extraHeaders = {}) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...extraHeaders });
  res.end(JSON.stringify(body));
}

function cors(req) {
  const origin = req.headers.origin;
  return APP_ORIGINS.includes(origin)
    ? { 'access-control-allow-origin': origin, vary: 'origin', 'access-control-allow-headers': 'authorization, content-type', 'access-control-allow-methods': 'GET, POST' }
    : {};
}

async function organizationToken(req, res, params) {
  const headers = cors(req);
  const rt = await provider.RefreshToken.find(params.get('refresh_token') || '');
  const grant = rt && await provider.Grant.find(rt.grantId);
  if (!rt || !grant || rt.isExpired || rt.consumed || rt.clientId !== params.get('client_id')) {
    json(res, 400, { error: 'invalid_grant', error_description: 'grant request is invalid' }, headers);
    return;
  }
  if (!String(rt.scope).split(' ').includes(ORGANIZATIONS_SCOPE)) {
    json(res, 400, { error: 'invalid_scope', error_description: 'the organizations scope was not granted' }, headers);
    return;
  }
  const orgId = params.get('organization_id');
  const account = await findAccount(null, rt.accountId);
  const claims = await account.claims('userinfo');
  if (!(claims.organizations || []).includes(orgId)) {
    json(res, 403, { error: 'invalid_target', error_description: `the user is not a member of ${orgId}` }, headers);
    return;
  }
  const now = Math.floor(Date.now() / 1000);
  const ttl = settings.accessTokenTtl;
  const scope = (params.get('scope') || '').trim();
  const accessToken = signJwt({
    iss: ISSUER, sub: claims.sub, aud: `urn:logto:organization:${orgId}`, client_id: rt.clientId,
    scope, iat: now, exp: now + ttl, jti: crypto.randomUUID(),
  });
  json(res, 200, { access_token: accessToken, token_type: 'Bearer', expires_in: ttl, scope }, headers);
}

// ---- A tiny API resource (https://api.demo.test) for the demo's protected page -----------
// GET /api/whoami with `Authorization: Bearer <JWT for https://api.demo.test>`: checks the
// signature and audience, answers with who the token is for.
function apiWhoami(req, res) {
  const headers = cors(req);
  if (req.method === 'OPTIONS') {
    res.writeHead(204, headers);
    res.end();
    return;
  }
  const token = (req.headers.authorization || '').replace(/^Bearer /, '');
  let claims = null;
  try {
    claims = verifyJwt(token);
  } catch {
    claims = null;
  }
  if (!claims) {
    json(res, 401, { error: 'invalid_token' }, { ...headers, 'www-authenticate': 'Bearer error="invalid_token"' });
  } else if (claims.aud !== API_RESOURCE) {
    json(res, 403, { error: 'wrong_audience', aud: claims.aud }, headers);
  } else {
    json(res, 200, { message: `Hello ${claims.sub}, from ${API_RESOURCE}`, sub: claims.sub, aud: claims.aud, scope: claims.scope }, headers);
  }
}

// ---- Test hooks (loopback only) -----------------------------------------------------------
const seen = [];
const grants = new Set();
provider.on('authorization_code.saved', (code) => grants.add(code.grantId));

async function testHook(req, res, url) {
  const path = url.pathname;
  if (path === '/__test/requests' && req.method === 'GET') {
    json(res, 200, seen);
  } else if (path === '/__test/requests/clear' && req.method === 'POST') {
    seen.length = 0;
    json(res, 200, {});
  } else if (path === '/__test/config' && req.method === 'POST') {
    if (url.searchParams.has('accessTokenTtl')) settings.accessTokenTtl = Number(url.searchParams.get('accessTokenTtl'));
    json(res, 200, settings);
  } else if (path === '/__test/fault' && req.method === 'POST') {
    for (const key of Object.keys(faults)) delete faults[key];
    for (const [key, value] of url.searchParams) faults[key] = value;
    json(res, 200, faults);
  } else if (path === '/__test/revoke-all' && req.method === 'POST') {
    for (const grantId of grants) {
      // eslint-disable-next-line no-await-in-loop
      await Promise.all([
        provider.Grant.adapter.destroy(grantId),
        provider.RefreshToken.adapter.revokeByGrantId(grantId),
        provider.AccessToken.adapter.revokeByGrantId(grantId),
      ]);
    }
    json(res, 200, { revoked: grants.size });
  } else {
    json(res, 404, { error: 'not_found' });
  }
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const handle = provider.callback();
const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, ISSUER);
  if (url.pathname.startsWith('/__test/')) {
    testHook(req, res, url);
    return;
  }
  const entry = { method: req.method, path: url.pathname, time: Date.now() };
  seen.push(entry);
  res.on('finish', () => { entry.status = res.statusCode; });
  if (faults.all === 'down' && url.pathname.startsWith(PREFIX)) {
    req.socket.destroy();
    return;
  }
  if (faults.jwks === '500' && url.pathname === `${PREFIX}/jwks`) {
    json(res, 500, { error: 'server_error' }, cors(req));
    return;
  }
  if (faults.token && req.method === 'POST' && url.pathname === `${PREFIX}/token`) {
    entry.fault = faults.token;
    if (faults.token === '500') json(res, 500, { error: 'server_error', error_description: 'injected failure' }, cors(req));
    else if (faults.token === 'drop') {
      // Cut mid-response (after the headers), which browsers do not retry.
      res.writeHead(200, { 'content-type': 'application/json', ...cors(req) });
      res.write('{"access_token":"');
      setTimeout(() => req.socket.destroy(), 20);
    }
    else if (faults.token === 'stall') setTimeout(() => req.socket.destroy(), 30_000);
    return;
  }
  if (url.pathname === '/api/whoami') {
    apiWhoami(req, res);
    return;
  }
  if (url.pathname !== PREFIX && !url.pathname.startsWith(`${PREFIX}/`)) {
    json(res, 404, { error: 'not_found', error_description: 'this provider lives under /oidc' });
    return;
  }
  req.originalUrl = req.url;
  req.url = req.url.slice(PREFIX.length) || '/';
  if (req.method === 'POST' && req.url === '/token') {
    // Peek at the grant: record it, and route Logto's organization grant to its handler.
    const body = await readBody(req);
    const params = new URLSearchParams(body.toString());
    entry.grant = params.get('grant_type');
    if (params.has('refresh_token')) {
      // A fingerprint, so tests can prove no refresh token was ever sent twice.
      entry.refreshToken = crypto.createHash('sha256').update(params.get('refresh_token')).digest('base64url').slice(0, 12);
    }
    if (entry.grant === 'refresh_token' && params.has('organization_id')) {
      organizationToken(req, res, params).catch((e) => json(res, 500, { error: 'server_error', error_description: String(e) }));
      return;
    }
    // The stream is consumed; oidc-provider then reads the already-read body from req.body.
    req.body = body;
    handle(req, res);
    return;
  }
  handle(req, res);
});

server.listen(PORT, HOST, () => {
  console.log(`provider: issuer ${ISSUER} (discovery ${ISSUER}/.well-known/openid-configuration)`);
});
