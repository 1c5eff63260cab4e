// Token lifecycle: silent renewal, many tabs refreshing at once, cross-tab sign-out, API
// resource and organization tokens, the route guard, and a revoked grant.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  APP, APP_ID, PROVIDER, clearProviderLog, launchBrowser, logtoKeys, newPage, providerLog, providerLogin, signIn,
} from '../lib/harness.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => {
  await setAccessTokenTtl(3600);
  await browser?.close();
});

async function setAccessTokenTtl(seconds) {
  await fetch(`${PROVIDER}/__test/config?accessTokenTtl=${seconds}`, { method: 'POST' });
}

const refreshRequests = (log) => log.filter((r) => r.path === '/oidc/token' && r.grant === 'refresh_token');
const text = async (page, id) => (await page.getByTestId(id).textContent()).trim();
const storedDefaultToken = (page) => page.evaluate((app) => JSON.parse(localStorage.getItem(`logto:${app}:accessToken`) || '{}')['@']?.token, APP_ID);
const storedRefreshToken = (page) => page.evaluate((app) => localStorage.getItem(`logto:${app}:refreshToken`), APP_ID);

/** Clicks "Renew now" in every page at once (dispatched together, no page timers involved). */
async function renewEverywhereAtOnce(pages) {
  await Promise.all(pages.map((p) => p.evaluate(() => document.querySelector('[data-testid=renew]').click())));
}

async function waitAllIdleWith(pages, notToken) {
  for (const p of pages) {
    await p.waitForFunction((old) => {
      const status = document.querySelector('[data-testid=renew-status]')?.textContent;
      const shown = document.querySelector('[data-testid=access-token]')?.textContent?.trim();
      return status === 'idle' && shown && shown !== old;
    }, notToken, { timeout: 15_000 });
  }
}

test('the session renews silently before the access token expires; userinfo is refreshed', async () => {
  await setAccessTokenTtl(15);
  // Closed at the end: left open, this page keeps renewing its 15 s tokens and its refresh
  // requests land in the provider log the next tests count.
  const { context, page } = await newPage(browser);
  try {
    await signIn(page, 'alice');
    const firstToken = await text(page, 'access-token');
    const firstRefresh = await storedRefreshToken(page);
    await clearProviderLog();
    // Renewal is due 10 s before expiry: about 5 s after sign-in. Nobody touches the page.
    await page.waitForFunction((old) => document.querySelector('[data-testid=access-token]')?.textContent.trim() !== old, firstToken, { timeout: 25_000 });
    assert.notEqual(await storedRefreshToken(page), firstRefresh, 'the refresh token rotated');
    assert.equal(await text(page, 'access-token'), await storedDefaultToken(page));
    assert.equal(JSON.parse(await text(page, 'id-token-claims')).sub, 'alice', 'still signed in');
    const log = await providerLog();
    assert.ok(refreshRequests(log).length >= 1);
    assert.ok(refreshRequests(log).every((r) => r.status === 200));
    const renewedAt = refreshRequests(log)[0].time;
    assert.ok(log.some((r) => r.path === '/oidc/me' && r.time >= renewedAt), 'userinfo fetched again after renewal');
  } finally {
    await context.close();
    await setAccessTokenTtl(3600);
  }
});

for (const tabs of [2, 3]) {
  test(`${tabs} tabs renewing at the same instant send one refresh per rotation, never reuse a token (20 rounds)`, async () => {
    const context = await browser.newContext();
    const pages = [await context.newPage()];
    await signIn(pages[0], 'alice');
    for (let i = 1; i < tabs; i += 1) {
      const p = await context.newPage();
      await p.goto(APP + '/');
      await p.getByTestId('id-token-claims').waitFor();
      pages.push(p);
    }
    const seenRefreshTokens = new Set();
    for (let round = 0; round < 20; round += 1) {
      // "At the same moment" is 500 ms for the client: rounds are further apart than that.
      await new Promise((r) => setTimeout(r, 600));
      const before = await storedDefaultToken(pages[0]);
      await clearProviderLog();
      await renewEverywhereAtOnce(pages);
      await waitAllIdleWith(pages, before);
      const requests = refreshRequests(await providerLog());
      assert.equal(requests.length, 1, `round ${round}: ${JSON.stringify(requests)}`);
      assert.equal(requests[0].status, 200, `round ${round}: no invalid_grant`);
      assert.ok(!seenRefreshTokens.has(requests[0].refreshToken), `round ${round}: a rotated refresh token was reused`);
      seenRefreshTokens.add(requests[0].refreshToken);
      const stored = await storedDefaultToken(pages[0]);
      for (const p of pages) assert.equal(await text(p, 'access-token'), stored, `round ${round}: every tab has the new token`);
    }
    for (const p of pages) assert.equal(await p.getByTestId('auth-error').count(), 0);
    await context.close();
  });
}

test('signing out in one tab signs out the others within a second', async () => {
  const context = await browser.newContext();
  const a = await context.newPage();
  await signIn(a, 'alice');
  const b = await context.newPage();
  await b.goto(APP + '/');
  await b.getByTestId('id-token-claims').waitFor();
  await a.getByTestId('sign-out').click();
  await b.getByTestId('sign-in').waitFor({ timeout: 1_000 });
  assert.equal(await b.getByTestId('id-token-claims').count(), 0);
  await context.close();
});

test('API resource and organization tokens have the right audience and scopes', async () => {
  const { page } = await newPage(browser);
  await signIn(page, 'alice');
  await page.getByTestId('nav-protected').click();
  await page.getByTestId('call-api').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=resource-token-claims]')?.textContent.length > 0);
  assert.match(await text(page, 'api-result'), /^HTTP 200/);
  const resourceClaims = JSON.parse(await text(page, 'resource-token-claims'));
  assert.deepEqual(resourceClaims.aud, ['https://api.demo.test']);
  assert.deepEqual(resourceClaims.scope.split(' ').sort(), ['read', 'write']);
  const map = await page.evaluate((app) => JSON.parse(localStorage.getItem(`logto:${app}:accessToken`)), APP_ID);
  assert.ok(map['@https://api.demo.test'], 'cached under @<resource>');
  assert.ok(map['@'], 'the default token (for userinfo) is kept apart');
  assert.notEqual(map['@'].token, map['@https://api.demo.test'].token);

  await page.getByTestId('org-token-org-acme').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=org-token-claims]')?.textContent.length > 0);
  const orgClaims = JSON.parse(await text(page, 'org-token-claims'));
  assert.deepEqual(orgClaims.aud, ['urn:logto:organization:org-acme']);
  const after = await page.evaluate((app) => JSON.parse(localStorage.getItem(`logto:${app}:accessToken`)), APP_ID);
  assert.ok(after['@#org-acme'], 'cached under @#<org id>');
});

test('the guard sends a signed-out user to sign-in and back to the page they asked for', async () => {
  const { page } = await newPage(browser);
  await page.goto(APP + '/protected?tab=2');
  await providerLogin(page, 'alice');
  await page.waitForURL(APP + '/protected?tab=2', { timeout: 15_000 });
  await page.getByTestId('call-api').waitFor();
});

test('crafted return paths never leave the app', async () => {
  // A protocol-relative path in the address bar is not followed after sign-in.
  const first = await newPage(browser);
  await first.page.goto(APP + '//evil.test');
  await first.page.getByTestId('sign-in').click();
  await providerLogin(first.page, 'alice');
  await first.page.getByTestId('id-token-claims').waitFor();
  assert.equal(first.page.url(), APP + '/');

  // A tampered stored return path (storage written by a hostile script) is not followed either.
  const second = await newPage(browser);
  await second.context.addInitScript((app) => {
    if (location.pathname !== '/callback') return;
    const key = `logto:${app}:signInSession`;
    const session = JSON.parse(sessionStorage.getItem(key) || 'null');
    if (session) sessionStorage.setItem(key, JSON.stringify({ ...session, returnTo: 'https://evil.test' }));
  }, APP_ID);
  await second.page.goto(APP + '/');
  await second.page.getByTestId('sign-in').click();
  await providerLogin(second.page, 'alice');
  await second.page.getByTestId('id-token-claims').waitFor();
  assert.equal(second.page.url(), APP + '/');
});

test('a revoked grant ends the session once, with a message, and no retry loop', async () => {
  const { page } = await newPage(browser);
  await signIn(page, 'alice');
  await fetch(`${PROVIDER}/__test/revoke-all`, { method: 'POST' });
  await clearProviderLog();
  await page.getByTestId('renew').click();
  await page.getByTestId('sign-in').waitFor();
  assert.match(await text(page, 'auth-error'), /session has ended.*invalid_grant/);
  await new Promise((r) => setTimeout(r, 3_000));
  const requests = refreshRequests(await providerLog());
  assert.equal(requests.length, 1, 'exactly one refresh attempt');
  assert.equal(requests[0].status, 400);
  const keys = await logtoKeys(page);
  assert.deepEqual(keys.filter((k) => /:(idToken|refreshToken|accessToken)$/.test(k)), []);
});

test('authorized fetch: a 401 renews the resource token once and retries once', async () => {
  const { page } = await newPage(browser);
  await signIn(page, 'alice');
  await page.getByTestId('nav-protected').click();
  await page.getByTestId('call-api').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=api-result]')?.textContent.startsWith('HTTP 200'));
  // The cached resource token goes bad (revoked, or a key rotated at the API): the API says 401.
  await page.evaluate((app) => {
    const key = `logto:${app}:accessToken`;
    const map = JSON.parse(localStorage.getItem(key));
    map['@https://api.demo.test'].token = 'not-a-valid-token';
    localStorage.setItem(key, JSON.stringify(map));
  }, APP_ID);
  await clearProviderLog();
  await page.getByTestId('call-api').click();
  const apiCalls = (log) => log.filter((r) => r.path === '/api/whoami' && r.method === 'GET' && r.status);
  let log = [];
  for (let i = 0; i < 100 && apiCalls(log).length < 2; i += 1) {
    await new Promise((r) => setTimeout(r, 100));
    log = await providerLog();
  }
  await page.waitForTimeout(300);
  log = await providerLog();
  assert.match(await text(page, 'api-result'), /^HTTP 200/);
  assert.deepEqual(apiCalls(log).map((r) => r.status), [401, 200], 'one retry after one 401');
  assert.equal(refreshRequests(log).length, 1, 'one renewal');
});
