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
import * as http from 'node:http';
import * as crypto from 'node:crypto';
import Provider, { errors } from 'oidc-provider';

import { findAccount } from './accounts.mjs';

const PORT = Number(process.env.PROVIDER_PORT || 3001);
const HOST = '127.0.0.1';
const PREFIX = '/oidc';
const ISSUER = `http://${HOST}:${PORT}${PREFIX}`;
const APP_ORIGINS = ['http://127.0.0.1:3000', 'http://localhost:3000'];
export const API_RESOURCE = 'https://api.demo.test';
const ORGANIZATIONS_RESOURCE = 'urn:logto:resource:organizations';

function signingKeys() {
  const es384 = crypto.generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({ format: 'jwk' });
  const rs256 = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  const stamp = Date.now().toString(36);
  return {
    keys: [
      { ...es384, kid: `es384-${stamp}`, alg: 'ES384', use: 'sig' },
      { ...rs256, kid: `rs256-${stamp}`, alg: 'RS256', use: 'sig' },
    ],
  };
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
        if (resource === API_RESOURCE) {
          return {
            scope: 'read write',
            accessTokenFormat: 'jwt',
            accessTokenTTL: Number(process.env.ACCESS_TOKEN_TTL || 3600),
            jwt: { sign: { alg: 'ES384' } },
          };
        }
        if (resource === ORGANIZATIONS_RESOURCE) {
          return {
            scope: 'urn:logto:scope:organizations',
            accessTokenFormat: 'jwt',
            accessTokenTTL: Number(process.env.ACCESS_TOKEN_TTL || 3600),
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
    AccessToken: () => Number(process.env.ACCESS_TOKEN_TTL || 3600),
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

const seen = [];
const grants = new Set();
provider.on('authorization_code.saved', (code) => grants.add(code.grantId));

async function testHook(req, res, path) {
  res.setHeader('content-type', 'application/json');
  if (path === '/__test/requests' && req.method === 'GET') {
    res.end(JSON.stringify(seen));
  } else if (path === '/__test/requests/clear' && req.method === 'POST') {
    seen.length = 0;
    res.end('{}');
  } else if (path === '/__test/revoke-all' && req.method === 'POST') {
    for (const grantId of grants) {
      // eslint-disable-next-line no-await-in-loop
      await Promise.all([
        provider.Grant.adapter.destroy(grantId),
        provider.RefreshToken.adapter.revokeByGrantId(grantId),
        provider.AccessToken.adapter.revokeByGrantId(grantId),
      ]);
    }
    res.end(JSON.stringify({ revoked: grants.size }));
  } else {
    res.statusCode = 404;
    res.end('{"error":"not_found"}');
  }
}

const handle = provider.callback();
const server = http.createServer((req, res) => {
  const url = new URL(req.url, ISSUER);
  if (url.pathname.startsWith('/__test/')) {
    testHook(req, res, url.pathname);
    return;
  }
  seen.push({ method: req.method, path: url.pathname, time: Date.now() });
  if (url.pathname !== PREFIX && !url.pathname.startsWith(`${PREFIX}/`)) {
    res.statusCode = 404;
    res.end('not found: this provider lives under /oidc');
    return;
  }
  req.originalUrl = req.url;
  req.url = req.url.slice(PREFIX.length) || '/';
  handle(req, res);
});

server.listen(PORT, HOST, () => {
  console.log(`provider: issuer ${ISSUER} (discovery ${ISSUER}/.well-known/openid-configuration)`);
});
