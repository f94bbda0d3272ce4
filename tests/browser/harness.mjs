// The shared harness of the browser tests (*.test.mjs): checks, assertions, waiting, Chromium, accounts, summary.
//
// Each file imports what it uses, sets what it does differently once with configure(),
// and ends with run(main): that prints "N passed, M failed" last (a skipped check counts
// as failed) and exits 1 on any failure; tests/run-browser.sh reads that line.
//
// Environment: BASE_URL (default http://127.0.0.1:8080), SCREENSHOT_DIR (default
// tests/browser/screenshots), CHROMIUM (default /usr/bin/chromium), DEMO_ACCOUNTS (default
// var/run/demo-accounts.tsv), TIMINGS (set: each passed check prints its seconds).

import { chromium } from 'playwright-core';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tabTo } from './a11y.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '..', '..');
export const BASE_URL = (process.env.BASE_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
export const SCREENSHOT_DIR = resolve(process.env.SCREENSHOT_DIR || join(here, 'screenshots'));
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const DEMO_ACCOUNTS = process.env.DEMO_ACCOUNTS || join(repoRoot, 'var', 'run', 'demo-accounts.tsv');
export const STEP_TIMEOUT = 15000;

// What the files do differently; configure() changes it before the first check.
const settings = {
  errorLines: 6, // lines of a failure's message printed under "not ok"
  pollInterval: 200, // ms between two tries of waitUntil
  shotPrefix: '', // put before every screenshot's name
  fullPageShots: true, // screenshots of the whole page, not only the window
  independent: false, // true: by default a check neither waits for nor blocks others
};

export function configure(options) {
  for (const [key, value] of Object.entries(options)) {
    if (!(key in settings)) throw new Error(`harness.configure: unknown setting ${key}`);
    settings[key] = value;
  }
}

// ---- checks and the summary -----------------------------------------------------------

const counts = { passed: 0, failed: 0, skipped: 0 };
// The failed check that stops each flow ('' is the default flow), by flow.
const blockers = new Map();

function describe(err) {
  const msg = err && err.message ? err.message : String(err);
  return msg.split('\n').slice(0, settings.errorLines).join('\n    ');
}

/** Counts and prints a failure outside check() (Chromium did not start, the script threw). */
export function fail(name, err) {
  counts.failed += 1;
  console.log(`not ok - ${name}\n    ${describe(err)}`);
}

/**
 * Runs one check and returns what `fn` returns (undefined when it failed or was
 * skipped). By default a check needs its flow so far (it is skipped after a failed
 * blocking check of that flow) and blocks the rest of the flow when it fails.
 * `needs: false`: runs regardless and blocks nothing; `blocks: false`: skipped after a
 * blocking failure, but its own failure does not stop the flow; `flow`: a flow of its
 * own, which the other flows' failures do not stop.
 */
export async function check(name, fn, { needs = !settings.independent, blocks = needs, flow = '' } = {}) {
  const blocker = blockers.get(flow);
  if (blocker && needs) {
    counts.skipped += 1;
    console.log(`not ok - ${name} # SKIP (after: ${blocker})`);
    return undefined;
  }
  const started = Date.now();
  try {
    const value = await fn();
    counts.passed += 1;
    console.log(`ok - ${name}${process.env.TIMINGS ? ` # ${((Date.now() - started) / 1000).toFixed(1)} s` : ''}`);
    return value;
  } catch (err) {
    fail(name, err);
    if (blocks) blockers.set(flow, name);
    return undefined;
  }
}

/** The check that `problems` (from watchConsole) is empty; it runs whatever failed before. */
export function checkConsole(problems) {
  return check('no CSP violations or script errors in the browser console', () => {
    assert(problems.length === 0, problems.join('\n'));
  }, { needs: false });
}

/** The name of the failed check that stops `flow`, or null while it runs on. */
export function blockedBy(flow = '') {
  return blockers.get(flow) || null;
}

/** A new part of the test: what failed before no longer blocks. A title is printed as "# title". */
export function part(title) {
  blockers.clear();
  if (title) console.log(`# ${title}`);
}

/** Prints the summary ("N passed, M failed" last; skipped checks count as failed) and exits. */
export function finish() {
  console.log(`# screenshots in ${SCREENSHOT_DIR}`);
  if (counts.skipped) console.log(`# ${counts.skipped} checks were not run after an earlier failure; they count as failed`);
  const failed = counts.failed + counts.skipped;
  console.log(`${counts.passed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
}

/** Runs the test's main function (SCREENSHOT_DIR made first); an exception in it counts as one failure. Then finish(). */
export async function run(main) {
  try {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await main();
  } catch (err) {
    fail('the test script itself', err);
  }
  finish();
}

// ---- assertions and waiting -----------------------------------------------------------

export function assert(cond, message) {
  if (!cond) throw new Error(message);
}

export function assertEqual(actual, expected, what) {
  if (actual !== expected) {
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

/** Polls `fn` until it returns a truthy value; fails with `message` after `timeout` ms. */
export async function waitUntil(fn, message, timeout = STEP_TIMEOUT, interval = settings.pollInterval) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) {
      const detail = last instanceof Error ? ` (last error: ${last.message})` : '';
      throw new Error(`${message} (waited ${timeout} ms)${detail}`);
    }
    await new Promise((r) => { setTimeout(r, interval); });
  }
}

/** Text with every run of white space made one space, trimmed. */
export const squash = (s) => (s || '').replace(/\s+/g, ' ').trim();

export async function textOf(locator) {
  return squash(await locator.textContent({ timeout: STEP_TIMEOUT }));
}

/** Waits until the locator's text contains `expected` (a string) or matches it (a RegExp). */
export async function waitForText(locator, expected, what, timeout = STEP_TIMEOUT) {
  let seen = '';
  await waitUntil(async () => {
    seen = squash(await locator.textContent({ timeout: 1000 }));
    return expected instanceof RegExp ? expected.test(seen) : seen.includes(expected);
  }, `${what}: expected text ${expected} but saw ${JSON.stringify(seen)}`, timeout);
}

// ---- the browser ------------------------------------------------------------------------

export async function shot(page, name) {
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${settings.shotPrefix}${name}.png`), fullPage: settings.fullPageShots });
}

/** Debian's Chromium, headless; null (counted as a failure) when it does not start. */
export async function launchChromium() {
  try {
    return await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  } catch (err) {
    fail(`launch Chromium (${CHROMIUM})`, err);
    return null;
  }
}

/**
 * A new browser context as a Dutch user in Amsterdam sees the site, at 1280 × 900
 * (`options` add to that or change it), and a page in it whose steps wait STEP_TIMEOUT.
 */
export async function openPage(browser, options = {}) {
  const context = await browser.newContext({
    locale: 'nl-NL', timezoneId: 'Europe/Amsterdam', viewport: { width: 1280, height: 900 }, ...options,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT);
  return { context, page };
}

/**
 * Collects the page's script errors and console errors into `problems`. A refused
 * request (a 401 before login, a 400 or 403 on purpose) is logged by Chromium as "Failed
 * to load resource" and is no problem; `ignore` says which console errors to pass over.
 */
export function watchConsole(page, label, problems, ignore = /Failed to load resource/) {
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !ignore.test(msg.text())) problems.push(`${label} ${page.url()}: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`${label} ${page.url()}: ${err.message}`));
}

/** The demo accounts file: lines role<TAB>email<TAB>password; the first line of a role counts. */
export function readAccounts(file) {
  const out = {};
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const [role, email, password] = line.split('\t');
    if (role && email && password && !out[role]) out[role] = { email: email.trim(), password: password.trim() };
  }
  return out;
}

/** Logs in through the login form (the caller waits for where it lands). */
export async function login(page, account) {
  await page.goto(`${BASE_URL}/`);
  await page.fill('#login-email', account.email);
  await page.fill('#login-password', account.password);
  await page.click('#login-form button[type="submit"]');
}

/** Logs in on the login page with the keyboard only; `tabOptions` go to tabTo (a11y.mjs). */
export async function keyboardLogin(page, account, tabOptions = {}) {
  await page.goto(`${BASE_URL}/`);
  await page.locator('#login-email').waitFor();
  await tabTo(page, '#login-email', tabOptions);
  await page.keyboard.type(account.email);
  await tabTo(page, '#login-password', tabOptions);
  await page.keyboard.type(account.password);
  await page.keyboard.press('Enter');
}

// ---- the API from the test itself (set-up, not what a test is about) -------------------

/** One API request with a bearer token; the answer's status and JSON body (null when empty). */
export async function bearerRequest(method, path, token, body, type = 'application/json') {
  const res = await fetch(`${BASE_URL}/api/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': type },
    body: type === 'application/json' ? JSON.stringify(body) : body,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** Logs in through the API and returns the bearer token. */
export async function bearerLogin(email, password) {
  const res = await fetch(`${BASE_URL}/api/v1/auth/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password }),
  });
  assertEqual(res.status, 200, `login ${email}`);
  return (await res.json()).token;
}
