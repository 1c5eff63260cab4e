// The harness itself: the release build is served as a static site with SPA fallback, the
// local provider answers like a Logto tenant, and its dev login can be driven.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { APP, ISSUER, launchBrowser, newPage, signIn } from '../lib/harness.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

test('the release build loads and shows "Sign in"', async () => {
  const { page, consoleErrors } = await newPage(browser);
  await page.goto(APP + '/');
  await page.getByTestId('sign-in').waitFor();
  assert.deepEqual(consoleErrors, []);
});

test('a deep link to /callback (and any path) serves the app', async () => {
  for (const path of ['/callback', '/some/deep/link?x=1']) {
    const res = await fetch(APP + path);
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /_bg\.wasm/, `${path} serves index.html`);
  }
  const { page } = await newPage(browser);
  await page.goto(APP + '/no-such-page');
  await page.getByText('Page not found').waitFor();
});

test('the provider publishes Logto-like discovery with ES384 ID tokens', async () => {
  const res = await fetch(`${ISSUER}/.well-known/openid-configuration`);
  const doc = await res.json();
  assert.equal(doc.issuer, ISSUER);
  assert.ok(doc.id_token_signing_alg_values_supported.includes('ES384'));
  assert.equal(doc.userinfo_endpoint, `${ISSUER}/me`);
  assert.equal(doc.end_session_endpoint, `${ISSUER}/session/end`);
  assert.equal(doc.jwks_uri, `${ISSUER}/jwks`);
  assert.deepEqual(doc.code_challenge_methods_supported, ['S256']);
  assert.equal(doc.authorization_response_iss_parameter_supported, true);
  const jwks = await (await fetch(doc.jwks_uri)).json();
  assert.deepEqual(jwks.keys.map((k) => k.alg).sort(), ['ES384', 'RS256']);
  assert.ok(jwks.keys.every((k) => !('d' in k)), 'no private key material is published');
});

test('the dev login can be driven by the shared helper', async () => {
  const { page } = await newPage(browser);
  await signIn(page, 'bob');
  const claims = JSON.parse(await page.getByTestId('id-token-claims').textContent());
  assert.equal(claims.sub, 'bob');
});
