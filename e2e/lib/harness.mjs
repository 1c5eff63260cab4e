// Shared helpers for the end-to-end tests: Chromium (Debian's, headless) through
// playwright-core, the app and provider addresses, and a driver for the provider's dev login.
import { chromium } from 'playwright-core';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const APP = 'http://127.0.0.1:3000';
export const PROVIDER = 'http://127.0.0.1:3001';
export const ISSUER = `${PROVIDER}/oidc`;
export const APP_ID = 'demo-app';
export const ARTIFACTS = path.resolve(import.meta.dirname, '..', 'artifacts');

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // Several tabs of one test must run their timers on time (Chromium throttles background
      // tabs' timers to about once a second, which would skew the multi-tab tests).
      '--disable-background-timer-throttling',
      '--disable-renderer-backgrounding',
      '--disable-backgrounding-occluded-windows',
    ],
  });
}

/** A fresh context and page that records the requests it makes to the provider. */
export async function newPage(browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const providerRequests = [];
  page.on('request', (req) => {
    if (req.url().startsWith(PROVIDER)) providerRequests.push({ method: req.method(), url: req.url() });
  });
  const consoleErrors = [];
  page.on('pageerror', (err) => consoleErrors.push(String(err)));
  return { context, page, providerRequests, consoleErrors };
}

/** The first of several waits to succeed; the others' later failures are ignored. */
async function firstOf(waits) {
  return Promise.any(waits.map(([name, promise]) => promise.then(() => name)));
}

/**
 * At the provider: log in on the dev login form with any username/password (when it is shown;
 * a provider session skips it) and consent (prompt=consent, as Logto's SDKs send), until the
 * browser is on its way back to the app.
 */
export async function providerLogin(page, username = 'alice', password = 'any-password') {
  await page.waitForURL((u) => u.href.startsWith(PROVIDER), { timeout: 15_000 });
  const login = page.locator('input[name=login]');
  const consent = page.locator('button:has-text("Continue")');
  const backHome = () => page.waitForURL((u) => u.href.startsWith(APP), { timeout: 15_000 });
  const first = await firstOf([
    ['login', login.waitFor({ timeout: 15_000 })],
    ['consent', consent.waitFor({ timeout: 15_000 })],
    ['app', backHome()],
  ]);
  if (first === 'login') {
    await login.fill(username);
    await page.fill('input[name=password]', password);
    await page.click('button:has-text("Sign-in")');
    const next = await firstOf([['consent', consent.waitFor({ timeout: 15_000 })], ['app', backHome()]]);
    if (next === 'consent') await consent.click();
  } else if (first === 'consent') {
    await consent.click();
  }
}

/** Press "Sign in" on the home page and stop on the provider's page; returns the `state` sent. */
export async function startSignIn(page) {
  await page.goto(APP + '/');
  const authRequest = page.waitForRequest((r) => r.url().startsWith(`${ISSUER}/auth?`));
  await page.getByTestId('sign-in').click();
  const url = new URL((await authRequest).url());
  await page.waitForURL((u) => u.href.startsWith(PROVIDER));
  return url.searchParams.get('state');
}

/** From the app's home page: press "Sign in", log in at the provider, land back signed in. */
export async function signIn(page, username = 'alice') {
  await page.goto(APP + '/');
  await page.getByTestId('sign-in').click();
  await providerLogin(page, username);
  await page.waitForURL((u) => u.href.startsWith(APP) && !u.pathname.startsWith('/callback'), { timeout: 15_000 });
  await page.getByTestId('id-token-claims').waitFor({ timeout: 15_000 });
}

/** Every `logto:` key in local and session storage of the app's origin. */
export async function logtoKeys(page) {
  return page.evaluate(() => {
    const keys = [];
    for (const s of [localStorage, sessionStorage]) {
      for (let i = 0; i < s.length; i += 1) {
        const k = s.key(i);
        if (k.startsWith('logto:')) keys.push(k);
      }
    }
    return keys.sort();
  });
}

export async function providerLog() {
  const res = await fetch(`${PROVIDER}/__test/requests`);
  return res.json();
}

export async function clearProviderLog() {
  await fetch(`${PROVIDER}/__test/requests/clear`, { method: 'POST' });
}

export function artifact(name) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  return path.join(ARTIFACTS, name);
}
