// The sign-in spine, end to end: release build, real provider, headless Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  APP, APP_ID, ISSUER, artifact, clearProviderLog, launchBrowser, logtoKeys, newPage,
  providerLog, providerLogin, signIn, startSignIn,
} from '../lib/harness.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const tokenRequests = (log) => log.filter((r) => r.method === 'POST' && r.path === '/oidc/token');

async function storedTokens(page) {
  return page.evaluate((app) => ({
    idToken: localStorage.getItem(`logto:${app}:idToken`),
    refreshToken: localStorage.getItem(`logto:${app}:refreshToken`),
    accessToken: localStorage.getItem(`logto:${app}:accessToken`),
    signInSession: sessionStorage.getItem(`logto:${app}:signInSession`),
  }), APP_ID);
}

test('sign in: claims, user info and access token shown; code and state gone from the URL', async () => {
  const { page, consoleErrors } = await newPage(browser);
  await signIn(page, 'alice');
  const url = new URL(page.url());
  assert.equal(url.pathname, '/');
  assert.equal(url.search, '', 'no code/state/iss left in the address bar');

  const claims = JSON.parse(await page.getByTestId('id-token-claims').textContent());
  assert.equal(claims.sub, 'alice');
  assert.equal(claims.iss, ISSUER);
  assert.deepEqual(claims.aud, [APP_ID]);
  assert.equal(claims.custom_data, undefined, 'custom_data is userinfo-only');

  await page.getByTestId('user-info').waitFor();
  const info = JSON.parse(await page.getByTestId('user-info').textContent());
  assert.equal(info.sub, 'alice');
  assert.deepEqual(info.custom_data, { plan: 'pro', theme: 'dark', seats: 5 });

  const accessToken = (await page.getByTestId('access-token').textContent()).trim();
  assert.ok(accessToken.length > 20, 'access token shown');

  const stored = await storedTokens(page);
  assert.ok(stored.idToken && stored.refreshToken, 'ID and refresh tokens stored');
  assert.equal(JSON.parse(stored.accessToken)['@'].token, accessToken);
  assert.equal(stored.signInSession, null, 'the sign-in session is consumed');

  // History has no entry with the code either.
  const back = await page.evaluate(() => history.length);
  assert.ok(back >= 1);
  await page.screenshot({ path: artifact('signed-in.png'), fullPage: true });
  assert.deepEqual(consoleErrors, []);
});

test('reload keeps the session without a request to the token endpoint', async () => {
  const { page, providerRequests } = await newPage(browser);
  await signIn(page, 'alice');
  providerRequests.length = 0;
  await page.reload();
  await page.getByTestId('id-token-claims').waitFor();
  assert.equal(JSON.parse(await page.getByTestId('id-token-claims').textContent()).sub, 'alice');
  assert.deepEqual(providerRequests.filter((r) => r.url.startsWith(`${ISSUER}/token`)), []);
});

test('reloading /callback after success does not break the session', async () => {
  const { page, providerRequests } = await newPage(browser);
  await signIn(page, 'alice');
  providerRequests.length = 0;
  await page.goto(APP + '/callback');
  await page.waitForURL(APP + '/');
  await page.getByTestId('id-token-claims').waitFor();
  assert.equal(await page.getByTestId('auth-error').count(), 0);
  assert.deepEqual(providerRequests.filter((r) => r.url.startsWith(`${ISSUER}/token`)), []);
});

test('sign out goes through the provider and leaves no logto: keys', async () => {
  const { page, providerRequests } = await newPage(browser);
  await signIn(page, 'alice');
  const endSessionRequest = page.waitForRequest((r) => r.url().startsWith(`${ISSUER}/session/end?`));
  await page.getByTestId('sign-out').click();
  await endSessionRequest;
  // Back from the provider; the returned `state` is checked and removed from the address bar.
  await page.waitForFunction((home) => location.href === home, APP + '/');
  await page.getByTestId('sign-in').waitFor();
  assert.deepEqual(await logtoKeys(page), []);
  const endSession = providerRequests.find((r) => r.url.startsWith(`${ISSUER}/session/end?`));
  const params = new URL(endSession.url).searchParams;
  assert.ok(params.get('id_token_hint'));
  assert.equal(params.get('post_logout_redirect_uri'), APP + '/');
  assert.equal(params.get('client_id'), APP_ID);
  // The provider session is gone too: the next sign-in asks for credentials again.
  await page.getByTestId('sign-in').click();
  await page.locator('input[name=login]').waitFor();
});

test('provider returns access_denied: error shown, nothing stored, sign-in works afterwards', async () => {
  const { page } = await newPage(browser);
  const state = await startSignIn(page);
  await clearProviderLog();
  const denied = new URL(APP + '/callback');
  denied.searchParams.set('error', 'access_denied');
  denied.searchParams.set('error_description', 'The user denied the request');
  denied.searchParams.set('state', state);
  denied.searchParams.set('iss', ISSUER);
  await page.goto(denied.href);
  const error = page.getByTestId('auth-error');
  await error.waitFor();
  assert.match(await error.textContent(), /access_denied/);
  assert.equal(new URL(page.url()).search, '');
  const stored = await storedTokens(page);
  assert.deepEqual(stored, { idToken: null, refreshToken: null, accessToken: null, signInSession: null });
  assert.deepEqual(tokenRequests(await providerLog()), []);

  await page.getByTestId('retry-sign-in').click();
  await providerLogin(page, 'alice');
  await page.getByTestId('id-token-claims').waitFor();
  assert.equal(await page.getByTestId('auth-error').count(), 0);
});

test('a tampered state in the callback is refused before the code is redeemed', async () => {
  const { page } = await newPage(browser);
  const state = await startSignIn(page);
  await clearProviderLog();
  const tampered = new URL(APP + '/callback');
  tampered.searchParams.set('code', 'a-code-the-attacker-has');
  tampered.searchParams.set('state', `${state}x`);
  tampered.searchParams.set('iss', ISSUER);
  await page.goto(tampered.href);
  const error = page.getByTestId('auth-error');
  await error.waitFor();
  assert.match(await error.textContent(), /state/);
  const stored = await storedTokens(page);
  assert.deepEqual(stored, { idToken: null, refreshToken: null, accessToken: null, signInSession: null });
  assert.deepEqual(tokenRequests(await providerLog()), [], 'the code is never redeemed');
  await page.getByTestId('sign-in').waitFor();
});
