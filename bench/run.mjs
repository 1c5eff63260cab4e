// Side-by-side benchmark: leptos-logto's release build against the app from Logto's Angular
// guide (zone.js as the guide, and a zoneless signals variant), same static server (gzip,
// SPA fallback), same local provider, headless Chromium, N interleaved runs with a fresh
// browser context each. Prints a table (median/min/max and ours ÷ Angular) and writes
// bench/results/latest.json and latest.md.
//   BENCH_RUNS=20 node bench/run.mjs    (servers started by scripts/bench.sh)
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { launchBrowser, providerLogin, PROVIDER } from '../e2e/lib/harness.mjs';

const RUNS = Number(process.env.BENCH_RUNS || 20);
const APPS = [
  { name: 'leptos-logto', origin: 'http://127.0.0.1:3000' },
  { name: 'angular-zone', origin: 'http://127.0.0.1:3100' },
  { name: 'angular-signals', origin: 'http://127.0.0.1:3101' },
];
const OUT = path.join(import.meta.dirname, 'results');

// Marks taken inside the page, relative to that document's navigation start.
function installMarks() {
  const marks = {};
  window.__benchMarks = marks;
  const check = () => {
    const now = performance.now();
    if (!marks.signIn && document.querySelector('[data-testid=sign-in]')) marks.signIn = now;
    const claims = document.querySelector('[data-testid=id-token-claims]');
    if (!marks.claims && claims && claims.textContent.trim().length > 2) {
      marks.claims = now;
      marks.claimsEpoch = Date.now();
    }
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, characterData: true });
}

async function measureOnce(browser, app) {
  const context = await browser.newContext();
  await context.addInitScript(installMarks);
  const page = await context.newPage();
  const result = { app: app.name };

  // 1. First load: bytes as transferred from the app's origin (each response's gzip
  // content-length; the same static server serves every app), navigation → "Sign in" painted.
  const loaded = [];
  let counting = true;
  page.on('response', (res) => {
    if (counting && res.url().startsWith(app.origin)) loaded.push({ url: res.url(), bytes: Number(res.headers()['content-length'] || 0) });
  });
  await page.goto(app.origin + '/');
  await page.getByTestId('sign-in').waitFor();
  await page.waitForLoadState('networkidle');
  counting = false;
  result.firstLoadBytes = loaded.reduce((sum, r) => sum + r.bytes, 0);
  let raw = 0;
  for (const r of loaded) raw += (await (await fetch(r.url, { headers: { 'accept-encoding': 'identity' } })).arrayBuffer()).byteLength;
  result.firstLoadRawBytes = raw;
  result.firstLoadFiles = loaded.map((r) => new URL(r.url).pathname);
  result.navToSignInMs = await page.evaluate(() => window.__benchMarks.signIn);

  // 2. Sign in; the callback phase: /callback request → claims painted, and what it asked the provider.
  const callbackRequests = [];
  let inCallback = false;
  page.on('request', (req) => {
    if (req.url().startsWith(app.origin + '/callback')) inCallback = true;
    else if (inCallback && req.url().startsWith(PROVIDER)) {
      callbackRequests.push({ at: Date.now(), what: `${req.method()} ${new URL(req.url()).pathname}` });
    }
  });
  await page.getByTestId('sign-in').click();
  await providerLogin(page, 'alice');
  await page.getByTestId('id-token-claims').waitFor({ timeout: 20_000 });
  await page.waitForFunction(() => window.__benchMarks.claims);
  result.callbackToClaimsMs = await page.evaluate(() => window.__benchMarks.claims);
  // Requests that started before the claims painted (the critical path); CORS preflights
  // (OPTIONS) are the browser's, listed too.
  const paintedAt = await page.evaluate(() => window.__benchMarks.claimsEpoch);
  result.callbackRequests = callbackRequests.filter((r) => r.at <= paintedAt).map((r) => r.what);
  inCallback = false;

  // 3. Sign out → back on the app with "Sign in" painted (through the provider's end session).
  const started = Date.now();
  await page.getByTestId('sign-out').click();
  await page.waitForURL((u) => u.href.startsWith(app.origin) && !u.pathname.startsWith('/callback'), { timeout: 20_000 });
  await page.getByTestId('sign-in').waitFor({ timeout: 20_000 });
  result.signOutMs = Date.now() - started;
  await context.close();
  return result;
}

const stats = (values) => {
  const sorted = values.slice().sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
};

const browser = await launchBrowser();
const runs = Object.fromEntries(APPS.map((a) => [a.name, []]));
for (let i = 0; i < RUNS; i += 1) {
  // Interleaved, rotating the order, so machine noise hits every app alike.
  const order = APPS.map((_, k) => APPS[(k + i) % APPS.length]);
  for (const app of order) runs[app.name].push(await measureOnce(browser, app));
  process.stderr.write(`run ${i + 1}/${RUNS} done\n`);
}
await browser.close();

const METRICS = [
  ['firstLoadBytes', 'first load, bytes transferred (gzip)', 0],
  ['firstLoadRawBytes', 'first load, bytes uncompressed', 0],
  ['navToSignInMs', 'navigation → "Sign in" painted (ms)', 1],
  ['callbackToClaimsMs', '/callback request → claims painted (ms)', 1],
  ['signOutMs', '"Sign out" → "Sign in" painted (ms)', 0],
];
const summary = {
  date: new Date().toISOString(),
  machine: `${os.cpus().length} × ${os.cpus()[0]?.model?.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.release()}`,
  runs: RUNS,
  apps: {},
};
for (const app of APPS) {
  const r = runs[app.name];
  summary.apps[app.name] = Object.fromEntries(METRICS.map(([key]) => [key, stats(r.map((x) => x[key]))]));
  summary.apps[app.name].callbackRequests = r[r.length - 1].callbackRequests;
}
const ratio = (key, other) => summary.apps['leptos-logto'][key].median / summary.apps[other][key].median;
summary.ratios = Object.fromEntries(METRICS.map(([key]) => [key, {
  vsAngularSignals: ratio(key, 'angular-signals'),
  vsAngularZone: ratio(key, 'angular-zone'),
}]));

const fmt = (v, digits) => v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const cell = (s, digits) => `${fmt(s.median, digits)} (${fmt(s.min, digits)}–${fmt(s.max, digits)})`;
const lines = [
  `Benchmark ${summary.date.slice(0, 10)} — ${summary.machine} — ${RUNS} runs each, median (min–max)`,
  '',
  '| metric | leptos-logto | Angular (signals) | Angular (zone.js) | ours ÷ signals | ours ÷ zone |',
  '|---|---:|---:|---:|---:|---:|',
  ...METRICS.map(([key, label, digits]) => `| ${label} | ${cell(summary.apps['leptos-logto'][key], digits)} | ${cell(summary.apps['angular-signals'][key], digits)} | ${cell(summary.apps['angular-zone'][key], digits)} | ${summary.ratios[key].vsAngularSignals.toFixed(2)} | ${summary.ratios[key].vsAngularZone.toFixed(2)} |`),
  '',
  'Requests to the provider between the /callback request and the claims painting:',
  ...APPS.map((a) => `- ${a.name}: ${summary.apps[a.name].callbackRequests.join(', ') || '(none)'}`),
];
fs.mkdirSync(OUT, { recursive: true });
fs.writeFileSync(path.join(OUT, 'latest.json'), JSON.stringify(summary, null, 2) + '\n');
fs.writeFileSync(path.join(OUT, 'latest.md'), lines.join('\n') + '\n');
console.log(lines.join('\n'));
