// Faults and hostile input against the real provider: a failing, dropped or stalled token
// endpoint, the JWKS down, the provider down at start-up, storage that throws, corrupt storage,
// and malformed callback URLs. The verdict each time: a clear error, nothing stored, nothing
// stuck, and sign-in works on the next try.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import {
  APP, APP_ID, ISSUER, PROVIDER, clearProviderLog, launchBrowser, newPage, providerLog, providerLogin, signIn, startSignIn,
} from '../lib/harness.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
afterEach(async () => { await fault(''); });
after(async () => { await browser?.close(); });

async function fault(query) {
  await fetch(`${PROVIDER}/__test/fault${query ? `?${query}` : ''}`, { method: 'POST' });
}

const tokenRequests = (log) => log.filter((r) => r.path === '/oidc/token');

async function storedTokens(page) {
  return page.evaluate((app) => ['idToken', 'refreshToken', 'accessToken']
    .map((k) => localStorage.getItem(`logto:${app}:${k}`))
    .concat(sessionStorage.getItem(`logto:${app}:signInSession`)), APP_ID);
}

async function expectCleanFailure(page, pattern) {
  const error = page.getByTestId('auth-error');
  await error.waitFor({ timeout: 25_000 });
  assert.match(await error.textContent(), pattern);
  assert.deepEqual(await storedTokens(page), [null, null, null, null], 'nothing stored, sign-in session gone');
  await page.getByTestId('sign-in').waitFor();
  assert.equal(await page.getByTestId('auth-loading').count(), 0, 'not stuck loading');
}

for (const [kind, pattern] of [['500', /HTTP status 500|server_error/], ['drop', /could not reach|not valid/], ['stall', /no answer within 15 s/]]) {
  test(`token endpoint ${kind} during the code exchange: clear error, nothing stored, code never replayed`, { timeout: 60_000 }, async () => {
    const { page, consoleErrors } = await newPage(browser);
    await page.goto(APP + '/');
    await page.getByTestId('sign-in').click();
    await fault(`token=${kind}`);
    await clearProviderLog();
    await providerLogin(page, 'alice');
    await expectCleanFailure(page, pattern);
    assert.equal(tokenRequests(await providerLog()).length, 1, 'the single-use code is sent once');
    await fault('');
    await page.getByTestId('sign-in').click();
    await providerLogin(page, 'alice');
    await page.getByTestId('id-token-claims').waitFor();
    assert.deepEqual(consoleErrors, [], 'no panic');
  });
}

test('JWKS endpoint down: the ID token is refused, not trusted, and nothing is stored', async () => {
  const { page, consoleErrors } = await newPage(browser);
  await fault('jwks=500');
  await page.goto(APP + '/');
  await page.getByTestId('sign-in').click();
  await providerLogin(page, 'alice');
  await expectCleanFailure(page, /jwks.*HTTP status 500/);
  assert.deepEqual(consoleErrors, []);
});

test('provider down at start-up with a valid stored session: the session is still shown, and renews when it is back', async () => {
  const { page } = await newPage(browser);
  await signIn(page, 'alice');
  await fault('all=down');
  await page.reload();
  await page.getByTestId('id-token-claims').waitFor();
  assert.equal(JSON.parse(await page.getByTestId('id-token-claims').textContent()).sub, 'alice');
  await fault('');
  const before = (await page.getByTestId('access-token').textContent()).trim();
  await page.getByTestId('renew').click();
  await page.waitForFunction((old) => document.querySelector('[data-testid=access-token]').textContent.trim() !== old, before);
});

test('storage that throws (quota) gives a clear error instead of a broken sign-in', async () => {
  const { page, context, consoleErrors } = await newPage(browser);
  await context.addInitScript(() => {
    const original = Storage.prototype.setItem;
    Storage.prototype.setItem = function setItem(key, value) {
      if (String(key).startsWith('logto:')) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return original.call(this, key, value);
    };
  });
  await page.goto(APP + '/');
  await page.getByTestId('sign-in').click();
  const error = page.getByTestId('auth-error');
  await error.waitFor();
  assert.match(await error.textContent(), /storage is unavailable or full.*quota/i);
  assert.ok(page.url().startsWith(APP), 'did not leave for the provider without a saved sign-in session');
  assert.deepEqual(consoleErrors, []);
});

const b64 = (obj) => Buffer.from(JSON.stringify(obj)).toString('base64url');
const fakeToken = (claims) => `${b64({ alg: 'ES384' })}.${b64(claims)}.${Buffer.alloc(96).toString('base64url')}`;
const now = () => Math.floor(Date.now() / 1000);

test('hostile storage values never break start-up', async () => {
  const valid = { iss: ISSUER, aud: APP_ID, sub: 'alice', iat: now(), exp: now() + 3600 };
  const cases = {
    'random bytes': { idToken: '\u0000\u0007\uffff�garbage', accessToken: '\u0001\u0002', refreshToken: '\u0003' },
    'wrong JSON shapes': { idToken: '{"iss":1}', accessToken: '[1,2,3]', signInSession: '"string"' },
    'a token from another app id': { idToken: fakeToken({ ...valid, aud: 'another-app' }) },
    'another issuer': { idToken: fakeToken({ ...valid, iss: 'http://evil.test/oidc' }) },
    'an expired token': { idToken: fakeToken({ ...valid, exp: now() - 3600 }) },
    'a half-written access-token map': { idToken: fakeToken(valid), accessToken: '{"@":{"token":"abc","exp' },
    'huge values': { idToken: 'A'.repeat(2_000_000), accessToken: '{'.repeat(100_000) },
  };
  for (const [name, values] of Object.entries(cases)) {
    const { page, context, consoleErrors } = await newPage(browser);
    await context.addInitScript(([app, entries]) => {
      if (sessionStorage.getItem('__seeded')) return;
      sessionStorage.setItem('__seeded', '1');
      for (const [key, value] of Object.entries(entries)) {
        (key === 'signInSession' ? sessionStorage : localStorage).setItem(`logto:${app}:${key}`, value);
      }
    }, [APP_ID, values]);
    await page.goto(APP + '/');
    const signedIn = name === 'a half-written access-token map';
    await page.getByTestId(signedIn ? 'id-token-claims' : 'sign-in').waitFor({ timeout: 10_000 });
    assert.deepEqual(consoleErrors, [], `${name}: no panic`);
    await context.close();
  }
});

test('malformed callback URLs are refused and never redeem a code', async () => {
  for (const [name, build] of [
    ['duplicated code', (state) => `code=a&code=b&state=${state}&iss=${encodeURIComponent(ISSUER)}`],
    ['duplicated state', (state) => `code=a&state=${state}&state=${state}&iss=${encodeURIComponent(ISSUER)}`],
    ['wrong iss', (state) => `code=a&state=${state}&iss=${encodeURIComponent('http://evil.test/oidc')}`],
    ['huge parameter', (state) => `code=${'x'.repeat(6_000)}&state=${state}&iss=${encodeURIComponent(ISSUER)}`],
  ]) {
    const { page } = await newPage(browser);
    const state = await startSignIn(page);
    await clearProviderLog();
    await page.goto(`${APP}/callback?${build(state)}`);
    await page.getByTestId('auth-error').waitFor();
    assert.deepEqual(tokenRequests(await providerLog()), [], `${name}: no code redeemed`);
    assert.deepEqual(await storedTokens(page), [null, null, null, null], `${name}: nothing stored`);
  }
  // The response in the fragment instead of the query.
  const { page } = await newPage(browser);
  const state = await startSignIn(page);
  await page.goto(`${APP}/callback?x=1#code=a&state=${state}`);
  await page.getByTestId('auth-error').waitFor();
  assert.match(await page.getByTestId('auth-error').textContent(), /fragment/);
});

test('a network error on renewal keeps the session and retries by itself with backoff', async () => {
  const { page } = await newPage(browser);
  await signIn(page, 'alice');
  const before = (await page.getByTestId('access-token').textContent()).trim();
  await fault('all=down');
  await page.getByTestId('renew').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=renewal-error]')?.textContent.includes('could not reach'));
  assert.equal(JSON.parse(await page.getByTestId('id-token-claims').textContent()).sub, 'alice', 'still signed in');
  await fault('');
  // No click: the backoff timer (2 s, then 4 s, …) renews once the provider answers again.
  await page.waitForFunction((old) => document.querySelector('[data-testid=access-token]').textContent.trim() !== old, before, { timeout: 20_000 });
  assert.equal(await page.getByTestId('auth-error').count(), 0);
});

test('a broken or missing config.json is reported on screen with the field at fault', async () => {
  const { context, page, consoleErrors } = await newPage(browser);
  const serve = (status, body) => context.route('**/config.json', (route) => route.fulfill({ status, contentType: 'application/json', body }));
  await serve(200, JSON.stringify({ endpoint: 'http://127.0.0.1:3001', appId: 'demo-app', redirectUri: `${APP}/callback`, scopes: 'email' }));
  await page.goto(APP + '/');
  const error = page.getByTestId('config-error');
  await error.waitFor();
  assert.match(await error.textContent(), /`scopes` is invalid: must be an array of strings/);
  await context.unroute('**/config.json');
  await serve(404, 'not found');
  await page.reload();
  await error.waitFor();
  assert.match(await error.textContent(), /could not load \/config\.json: .*404/);
  assert.deepEqual(consoleErrors, [], 'no panic');
  await context.close();
});
