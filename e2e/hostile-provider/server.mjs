// A provider that misbehaves on purpose, for the relying-party conformance cases
// (e2e/tests/05-conformance.test.mjs), in the spirit of the OpenID Foundation's RP test plans.
// Hand-written on node:http, signing with node:crypto, because it must break rules a real
// provider won't. One *case* at a time (POST /__test/case?name=…) tampers exactly one thing.
// Every request is recorded (GET /__test/requests), and every token it issues
// (GET /__test/issued), so a test can assert what the client did NOT do or keep.
//
//   node e2e/hostile-provider/server.mjs     # 127.0.0.1:3002, issuer http://127.0.0.1:3002/oidc
import * as http from 'node:http';
import * as crypto from 'node:crypto';

const PORT = Number(process.env.HOSTILE_PORT || 3002);
const ISSUER = `http://127.0.0.1:${PORT}/oidc`;
const APP_ORIGIN = 'http://127.0.0.1:3000';
const CLIENT_ID = 'demo-app';

const b64u = (buf) => Buffer.from(buf).toString('base64url');
const json64 = (obj) => b64u(JSON.stringify(obj));

function keyPair(kind, kid) {
  const { privateKey, publicKey } = kind === 'RS256'
    ? crypto.generateKeyPairSync('rsa', { modulusLength: 2048 })
    : crypto.generateKeyPairSync('ec', { namedCurve: kind === 'ES256' ? 'P-256' : 'P-384' });
  return { alg: kind, kid, privateKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: kind, use: 'sig' } };
}

const KEYS = {
  es384: keyPair('ES384', 'es384-main'),
  es256: keyPair('ES256', 'es256-main'),
  rs256: keyPair('RS256', 'rs256-main'),
  rotated: keyPair('ES384', 'es384-rotated'),
  ghost: keyPair('ES384', 'es384-ghost'),
};

function sign(header, claims, key) {
  const input = `${json64(header)}.${json64(claims)}`;
  if (header.alg === 'none') return `${input}.`;
  if (header.alg === 'HS256') {
    // Algorithm confusion: HMAC keyed with the public key's bytes (RFC 8725 §2.1).
    const secret = Buffer.from(JSON.stringify(KEYS.es384.jwk));
    return `${input}.${b64u(crypto.createHmac('sha256', secret).update(input).digest())}`;
  }
  const hash = { ES256: 'sha256', ES384: 'sha384', RS256: 'sha256' }[header.alg];
  const sig = crypto.sign(hash, Buffer.from(input), key.alg.startsWith('ES') ? { key: key.privateKey, dsaEncoding: 'ieee-p1363' } : key.privateKey);
  return `${input}.${b64u(sig)}`;
}

const atHash = (token, bits) => b64u(crypto.createHash(`sha${bits}`).update(token).digest().subarray(0, bits / 16));

// ---- state -------------------------------------------------------------------------------
let currentCase = 'valid-es384';
const requests = [];
const issued = [];
const codes = new Map(); // code -> { nonce, challenge, redirectUri, state }
let tokenServed = false;

const random = () => b64u(crypto.randomBytes(24));

function discovery() {
  const doc = {
    issuer: currentCase === 'discovery-issuer-mismatch' ? 'http://127.0.0.1:3002/other' : ISSUER,
    authorization_endpoint: `${ISSUER}/auth`,
    token_endpoint: `${ISSUER}/token`,
    jwks_uri: `${ISSUER}/jwks`,
    userinfo_endpoint: `${ISSUER}/me`,
    end_session_endpoint: `${ISSUER}/session/end`,
    code_challenge_methods_supported: ['S256'],
    authorization_response_iss_parameter_supported: true,
    id_token_signing_alg_values_supported: ['ES384', 'ES256', 'RS256'],
    response_types_supported: ['code'],
    subject_types_supported: ['public'],
  };
  return doc;
}

function jwks() {
  const keys = [KEYS.es384.jwk, KEYS.es256.jwk, KEYS.rs256.jwk];
  if (currentCase === 'no-kid-single-key') return { keys: [{ ...KEYS.es384.jwk, kid: undefined }] };
  if (currentCase === 'key-rotation' && tokenServed) keys.push(KEYS.rotated.jwk);
  return { keys };
}

function idTokenFor(code, accessToken) {
  const now = Math.floor(Date.now() / 1000);
  let claims = {
    iss: ISSUER, sub: 'alice', aud: CLIENT_ID, exp: now + 600, iat: now, nonce: code.nonce,
    at_hash: atHash(accessToken, 384), name: 'Alice (hostile provider)',
  };
  let key = KEYS.es384;
  let header = { alg: 'ES384', kid: key.kid, typ: 'JWT' };
  const tamper = {
    'valid-rs256': () => { key = KEYS.rs256; header = { alg: 'RS256', kid: key.kid }; claims.at_hash = atHash(accessToken, 256); },
    'valid-es256': () => { key = KEYS.es256; header = { alg: 'ES256', kid: key.kid }; claims.at_hash = atHash(accessToken, 256); },
    'no-kid-single-key': () => { header = { alg: 'ES384' }; },
    'key-rotation': () => { key = KEYS.rotated; header = { alg: 'ES384', kid: key.kid }; },
    'wrong-iss': () => { claims.iss = 'http://127.0.0.1:3002/evil'; },
    'missing-sub': () => { delete claims.sub; },
    'wrong-aud': () => { claims.aud = 'another-client'; },
    'untrusted-extra-aud': () => { claims.aud = [CLIENT_ID, 'another-client']; claims.azp = CLIENT_ID; },
    'wrong-azp': () => { claims.azp = 'another-client'; },
    expired: () => { claims.exp = now - 3600; claims.iat = now - 4000; },
    'missing-iat': () => { delete claims.iat; },
    'iat-in-future': () => { claims.iat = now + 3600; claims.exp = now + 7200; },
    'wrong-nonce': () => { claims.nonce = 'not-the-nonce'; },
    'missing-nonce': () => { delete claims.nonce; },
    'wrong-at-hash': () => { claims.at_hash = atHash('another-token', 384); },
    'alg-none': () => { header = { alg: 'none' }; },
    hs256: () => { header = { alg: 'HS256', kid: KEYS.es384.kid }; },
    'unknown-kid-after-refetch': () => { key = KEYS.ghost; header = { alg: 'ES384', kid: key.kid }; },
  };
  tamper[currentCase]?.();
  claims = JSON.parse(JSON.stringify(claims));
  let token = sign(header, claims, key);
  if (currentCase === 'corrupted-signature') {
    const [h, p, s] = token.split('.');
    const bytes = Buffer.from(s, 'base64url');
    bytes[10] ^= 0x5a;
    token = `${h}.${p}.${b64u(bytes)}`;
  }
  return token;
}

// ---- HTTP --------------------------------------------------------------------------------
function send(res, status, body, headers = {}) {
  res.writeHead(status, {
    'content-type': 'application/json', 'cache-control': 'no-store',
    'access-control-allow-origin': APP_ORIGIN, 'access-control-allow-headers': 'authorization, content-type',
    ...headers,
  });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

function readBody(req) {
  return new Promise((resolve) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString()));
  });
}

async function handle(req, res) {
  const url = new URL(req.url, ISSUER);
  const path = url.pathname;
  if (path.startsWith('/__test/')) {
    if (path === '/__test/case') {
      currentCase = url.searchParams.get('name');
      requests.length = 0;
      issued.length = 0;
      tokenServed = false;
      return send(res, 200, { case: currentCase });
    }
    if (path === '/__test/requests') return send(res, 200, requests);
    if (path === '/__test/issued') return send(res, 200, issued);
    return send(res, 404, { error: 'not_found' });
  }
  requests.push({ method: req.method, path, time: Date.now() });
  if (req.method === 'OPTIONS') return send(res, 204, '', { 'access-control-allow-methods': 'GET, POST' });

  if (path === '/oidc/.well-known/openid-configuration') return send(res, 200, discovery());
  if (path === '/oidc/jwks') return send(res, 200, jwks());

  if (path === '/oidc/auth') {
    const p = url.searchParams;
    const code = random();
    codes.set(code, { nonce: p.get('nonce'), challenge: p.get('code_challenge'), redirectUri: p.get('redirect_uri') });
    const back = new URL(p.get('redirect_uri'));
    if (currentCase === 'access-denied') {
      back.searchParams.set('error', 'access_denied');
      back.searchParams.set('error_description', 'The resource owner denied the request');
    } else {
      back.searchParams.set('code', code);
    }
    back.searchParams.set('state', currentCase === 'wrong-state' ? 'forged-state' : p.get('state'));
    if (currentCase === 'wrong-iss-param') back.searchParams.set('iss', 'http://127.0.0.1:3002/evil');
    else if (currentCase !== 'missing-iss-param') back.searchParams.set('iss', ISSUER);
    res.writeHead(302, { location: back.href });
    return res.end();
  }

  if (path === '/oidc/token' && req.method === 'POST') {
    const form = new URLSearchParams(await readBody(req));
    const code = codes.get(form.get('code'));
    codes.delete(form.get('code'));
    const verifier = form.get('code_verifier') || '';
    const challenge = b64u(crypto.createHash('sha256').update(verifier).digest());
    if (!code || code.challenge !== challenge || form.get('client_id') !== CLIENT_ID || form.get('redirect_uri') !== code.redirectUri) {
      return send(res, 400, { error: 'invalid_grant', error_description: 'code, PKCE verifier, client or redirect URI mismatch' });
    }
    const accessToken = `at-${random()}`;
    const refreshToken = `rt-${random()}`;
    const idToken = idTokenFor(code, accessToken);
    tokenServed = true;
    issued.push(accessToken, refreshToken, idToken);
    const body = { access_token: accessToken, token_type: 'Bearer', expires_in: 600, refresh_token: refreshToken, id_token: idToken, scope: 'openid profile offline_access' };
    if (currentCase === 'token-type-not-bearer') body.token_type = 'MAC';
    if (currentCase === 'missing-id-token') delete body.id_token;
    return send(res, 200, body);
  }

  if (path === '/oidc/me') {
    return send(res, 200, { sub: currentCase === 'userinfo-sub-mismatch' ? 'mallory' : 'alice', name: 'Alice (hostile provider)' });
  }

  if (path === '/oidc/session/end') {
    const target = url.searchParams.get('post_logout_redirect_uri') || APP_ORIGIN + '/';
    res.writeHead(302, { location: target });
    return res.end();
  }
  return send(res, 404, { error: 'not_found' });
}

http.createServer((req, res) => {
  handle(req, res).catch((e) => send(res, 500, { error: 'server_error', error_description: String(e) }));
}).listen(PORT, '127.0.0.1', () => console.log(`hostile provider: issuer ${ISSUER}`));
