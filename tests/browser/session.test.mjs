// Browser test of the session's end (WCAG 2.2.1 Timing Adjustable, 3.3.7/3.3.8, 2.3.3),
// keyboard only, in Debian's Chromium through playwright-core. playwright's page.clock
// moves the browser's clock near the end of the trainer's session on the scenario
// studio: the warning appears (focus inside, scanned), "Ingelogd blijven" by keyboard
// gives a later end (GET /me); Escape closes it and it comes back a minute before the
// end. Then the session is revoked for real (logged out through the API with the same
// cookie), the trainer saves the scenario typed in the studio: a login dialog on the
// page (scanned, a wrong password first), logging in by keyboard sends the request
// again and the scenario is saved (checked through the API). In a second browser with
// prefers-reduced-motion: reduce no element animates, and a different account that
// logs in in the dialog gets nothing of the trainer's sent, and is told the page
// reloads.
//
// Environment (tests/run-browser.sh): BASE_URL, DEMO_ACCOUNTS, SCREENSHOT_DIR,
// A11Y_REPORT, CHROMIUM. Prints "ok - / not ok -" per check and "N passed, M failed"
// last; exits 1 when a check failed.

import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { assertAccessible, assertReflows, focusedElement, tabTo } from './a11y.mjs';
import {
  BASE_URL, assert, check, configure, launchChromium, openPage, part, readAccounts, run, shot, waitUntil,
} from './harness.mjs';

const TICK_MS = 16000; // a little more than session.js's check interval
const MINUTE = 60000;

configure({ errorLines: 8, pollInterval: 100, shotPrefix: 'session-', fullPageShots: false });

const sleep = (ms) => new Promise((r) => { setTimeout(r, ms); });

// ---- accounts and the API -----------------------------------------------------------

function demoAccount(role) {
  const file = process.env.DEMO_ACCOUNTS;
  assert(file, 'DEMO_ACCOUNTS is not set');
  const account = readAccounts(file)[role];
  assert(account, `no ${role} in ${file}`);
  return account;
}

/** The API from the test itself (not the browser): JSON or null, with the status. */
async function apiCall(method, path, { token, cookie, body } = {}) {
  const headers = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (cookie) headers.Cookie = `session=${cookie}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(`${BASE_URL}/api/v1${path}`, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
  return { status: res.status, json };
}

async function loginToken(account) {
  const r = await apiCall('POST', '/auth/login', { body: { email: account.email, password: account.password } });
  assert(r.status === 200, `login of ${account.email}: HTTP ${r.status}`);
  return r.json.token;
}

/** The browser's session cookie (the token) in `context`. */
async function sessionCookie(context) {
  const c = (await context.cookies(BASE_URL)).find((k) => k.name === 'session' || k.name === '__Host-session');
  assert(c && c.value, 'the browser has no session cookie');
  return c.value;
}

/** session_expires_at of the browser's session, in ms, read with its own cookie. */
async function sessionEnd(context) {
  const r = await apiCall('GET', '/me', { cookie: await sessionCookie(context) });
  assert(r.status === 200, `GET /me with the browser's cookie: HTTP ${r.status}`);
  const t = Date.parse(r.json.session_expires_at);
  assert(!Number.isNaN(t), `GET /me has no session_expires_at: ${JSON.stringify(r.json)}`);
  return t;
}

/** The trainer's scenario titles, through the API with a token of their own. */
async function scenarioTitles(token) {
  const r = await apiCall('GET', '/scenarios', { token });
  assert(r.status === 200 && Array.isArray(r.json), `GET /scenarios: HTTP ${r.status}`);
  return r.json.filter((s) => s.owner).map((s) => s.title);
}

function scenarioText(title) {
  return JSON.stringify({
    title,
    summary: 'Sessietest: een scenario dat tijdens een verlopen sessie is getypt.',
    audience: ['teacher', 'ib'],
    start: 'begin',
    nodes: {
      begin: {
        speaker: 'Verteller', text: 'Een leerling komt te laat en kijkt weg.', meldcode_step: 1,
        choices: [
          { text: 'Vraag rustig hoe het gaat.', next: 'goed', feedback: 'Je blijft in contact.', score: 10 },
          { text: 'Zeg er niets van.', next: 'mis', feedback: 'Zo mis je een signaal.', score: -5 },
        ],
      },
      goed: { speaker: 'Verteller', text: 'De leerling vertelt iets.', outcome: 'Je noteert het letterlijk.' },
      mis: { speaker: 'Verteller', text: 'De leerling zwijgt.', outcome: 'Signaal gemist.' },
    },
  });
}

/** "14:32" in the Netherlands, as the page says it. */
function clockTime(ms) {
  return new Intl.DateTimeFormat('nl-NL', {
    timeZone: 'Europe/Amsterdam', hour: '2-digit', minute: '2-digit',
  }).format(new Date(ms));
}

// ---- page helpers ---------------------------------------------------------------------

/** Moves the browser's clock to `ms` and lets session.js's check run once. */
async function clockTo(page, ms) {
  await page.clock.setSystemTime(ms);
  await page.clock.fastForward(TICK_MS);
}

const dialogOpen = (page, id) => page.evaluate((i) => {
  const d = document.getElementById(i);
  return Boolean(d && d.open);
}, id);

/** Where the focus is: the id of the active element, and whether it lies in `dialogId`. */
const focusInfo = (page, dialogId) => page.evaluate((i) => {
  const a = document.activeElement;
  const d = document.getElementById(i);
  return { id: a ? a.id : '', inside: Boolean(d && a && d.contains(a)) };
}, dialogId);

async function openStudio(browser, account, options = {}) {
  const { context, page } = await openPage(browser, options);
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  // Logging in is not what this test is about: the API sets the cookie in this browser.
  const r = await context.request.post(`${BASE_URL}/api/v1/auth/login`, { data: account });
  assert(r.status() === 200, `login of ${account.email}: HTTP ${r.status()}`);
  await page.clock.install();
  await page.goto(`${BASE_URL}/studio.html`);
  await page.locator('#studio').waitFor({ state: 'visible' });
  await page.locator('#user-nav').waitFor({ state: 'visible' });
  return { context, page, errors };
}

/** Tab to the studio's text box and type `text` (keyboard only; every stop on the way
 *  shows its focus, as tabTo asks). */
async function typeScenario(page, text) {
  await tabTo(page, '#doc-input', { limit: 80 });
  await page.keyboard.type(text);
}

/** A session token signed with the stack's key (JWT_SECRET_FILE) whose password login
 *  was `ageHours` ago: what a session refreshed for that long carries. */
function agedToken(userId, ageHours) {
  const key = readFileSync(process.env.JWT_SECRET_FILE);
  const now = Math.floor(Date.now() / 1000);
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const body = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({
    sub: String(userId), jti: randomBytes(16).toString('hex'), iat: now, exp: now + 600,
    ims: now * 1000, auth_time: now - ageHours * 3600,
  })}`;
  return `${body}.${createHmac('sha256', key).update(body).digest('base64url')}`;
}

// ---- the test -------------------------------------------------------------------------

async function main() {
  const trainer = demoAccount('trainer');
  const teacher = demoAccount('teacher');
  const suffix = randomBytes(4).toString('hex');
  const title = `Sessietest ${suffix}`;
  const otherTitle = `Sessietest ander account ${suffix}`;
  const browser = await launchChromium();
  if (!browser) return;

  try {
    let page;
    let context;
    let errors;
    let firstEnd;
    let secondEnd;
    let loginAt;
    const text = scenarioText(title);

    await check('trainer on the studio with a session end from GET /me', async () => {
      ({ context, page, errors } = await openStudio(browser, trainer));
      loginAt = Date.now();
      firstEnd = await sessionEnd(context);
      assert(firstEnd > Date.now() + 10 * MINUTE, `the session ends too soon: ${new Date(firstEnd).toISOString()}`);
      assert(!(await dialogOpen(page, 'session-warning')), 'a warning before the time');
    });

    await check('typed in the studio by keyboard, then the clock moves to 4.5 minutes before the end: the warning appears', async () => {
      await typeScenario(page, text);
      await clockTo(page, firstEnd - 4.5 * MINUTE);
      await waitUntil(() => dialogOpen(page, 'session-warning'), 'the warning dialog did not open');
      const role = await page.getAttribute('#session-warning', 'role');
      assert(role === 'alertdialog', `the warning's role is ${role}, not alertdialog`);
      const said = (await page.textContent('#session-warning-text')) || '';
      assert(said.includes(`Om ${clockTime(firstEnd)}`), `the warning does not say when the session ends (${clockTime(firstEnd)}): ${said}`);
      const f = await focusInfo(page, 'session-warning');
      assert(f.inside && f.id === 'session-stay', `focus is not on "Ingelogd blijven" in the dialog: ${await focusedElement(page)}`);
      await shot(page, '1-warning');
    });

    await check('axe: studio.html – sessiewaarschuwing (trainer)', async () => {
      await assertAccessible(page, 'studio.html – sessiewaarschuwing (trainer)');
    }, { blocks: false });

    await check('the warning animates without a reduced-motion request (the control for the reduced-motion check)', async () => {
      const d = await page.$eval('#session-warning', (n) => getComputedStyle(n).animationDuration);
      assert(d !== '0s', `the dialog has no animation to switch off: ${d}`);
    }, { blocks: false });

    await check('keyboard: Tab stays in the dialog and every stop shows its focus', async () => {
      await tabTo(page, '#session-logout', { limit: 3 });
      await tabTo(page, '#session-stay', { limit: 3, backwards: true });
    });

    await check('"Ingelogd blijven" by keyboard: dialog closed, focus back in the text box, a later end in GET /me', async () => {
      // The new end is whole seconds: let at least one pass since the login.
      const wait = 1100 - (Date.now() - loginAt);
      if (wait > 0) await sleep(wait);
      await page.keyboard.press('Enter');
      await waitUntil(async () => !(await dialogOpen(page, 'session-warning')), 'the warning stayed open');
      const f = await focusInfo(page, 'session-warning');
      assert(f.id === 'doc-input', `focus did not return to the text box: ${await focusedElement(page)}`);
      secondEnd = await sessionEnd(context);
      assert(secondEnd > firstEnd, `the session end did not move: ${new Date(secondEnd).toISOString()} vs ${new Date(firstEnd).toISOString()}`);
      const typed = await page.inputValue('#doc-input');
      assert(typed === text, 'the typed text changed');
    });

    await check('Escape closes the warning (focus back); it comes back one minute before the end', async () => {
      await clockTo(page, secondEnd - 4.5 * MINUTE);
      await waitUntil(() => dialogOpen(page, 'session-warning'), 'the warning did not open for the new end');
      const said = (await page.textContent('#session-warning-text')) || '';
      assert(said.includes(`Om ${clockTime(secondEnd)}`), `the warning does not name the new end: ${said}`);
      await page.keyboard.press('Escape');
      await waitUntil(async () => !(await dialogOpen(page, 'session-warning')), 'Escape did not close the warning');
      const f = await focusInfo(page, 'session-warning');
      assert(f.id === 'doc-input', `focus did not return after Escape: ${await focusedElement(page)}`);
      await clockTo(page, secondEnd - 3 * MINUTE);
      assert(!(await dialogOpen(page, 'session-warning')), 'the warning came back before the last minute');
      await clockTo(page, secondEnd - 50000);
      await waitUntil(() => dialogOpen(page, 'session-warning'), 'the warning did not come back a minute before the end');
      await page.keyboard.press('Escape');
      await waitUntil(async () => !(await dialogOpen(page, 'session-warning')), 'Escape did not close the warning');
    });

    await check('the session is revoked for real: logged out through the API with the same cookie', async () => {
      const r = await apiCall('POST', '/auth/logout', { cookie: await sessionCookie(context) });
      assert(r.status === 204, `logout: HTTP ${r.status}`);
      const me = await apiCall('GET', '/me', { cookie: await sessionCookie(context) });
      assert(me.status === 401, `the revoked cookie still works: HTTP ${me.status}`);
    });

    await check('saving by keyboard gets 401: a login dialog on the page (focus inside, e-mail filled in), no navigation', async () => {
      await tabTo(page, '#save-button');
      await page.keyboard.press('Enter');
      await waitUntil(() => dialogOpen(page, 'session-login'), 'no login dialog after the 401');
      assert(new URL(page.url()).pathname === '/studio.html', `the page went away: ${page.url()}`);
      const f = await focusInfo(page, 'session-login');
      assert(f.inside && f.id === 'session-login-password', `focus is not on the password field: ${await focusedElement(page)}`);
      const attrs = await page.evaluate(() => {
        const e = document.getElementById('session-login-email');
        const p = document.getElementById('session-login-password');
        return { email: e.value, ea: e.autocomplete, pa: p.autocomplete, pt: p.type };
      });
      assert(attrs.email.toLowerCase() === trainer.email.toLowerCase(), `e-mail not filled in: ${attrs.email}`);
      assert(attrs.ea === 'username' && attrs.pa === 'current-password' && attrs.pt === 'password',
        `autocomplete or type wrong: ${JSON.stringify(attrs)}`);
      await shot(page, '2-login');
    });

    await check('axe: studio.html – inlogvenster na verlopen sessie (trainer)', async () => {
      await assertAccessible(page, 'studio.html – inlogvenster na verlopen sessie (trainer)');
    }, { blocks: false });

    await check('a wrong password: error tied to the field (aria-invalid, aria-describedby), focus on it', async () => {
      await page.keyboard.type('Niet-het-goede-wachtwoord');
      await page.keyboard.press('Enter');
      await waitUntil(() => page.evaluate(() => document.getElementById('session-login-password').getAttribute('aria-invalid') === 'true'),
        'the password field is not marked invalid');
      const err = await page.evaluate(() => {
        const p = document.getElementById('session-login-password');
        const ids = (p.getAttribute('aria-describedby') || '').split(/\s+/);
        return ids.map((i) => document.getElementById(i)).filter((n) => n && !n.hidden).map((n) => n.textContent).join(' ');
      });
      assert(/klopt niet/.test(err), `no error text described by the password field: "${err}"`);
      const f = await focusInfo(page, 'session-login');
      assert(f.id === 'session-login-password', `focus is not on the password field: ${await focusedElement(page)}`);
      await assertAccessible(page, 'studio.html – inlogvenster met fout wachtwoord (trainer)');
    });

    await check('logging in by keyboard sends the save again: the typed scenario is saved (API)', async () => {
      await page.keyboard.press('Control+A');
      await page.keyboard.type(trainer.password);
      await page.keyboard.press('Enter');
      await waitUntil(async () => !(await dialogOpen(page, 'session-login')), 'the login dialog stayed open');
      await waitUntil(async () => /aangemaakt/.test((await page.textContent('#editor-message')) || ''),
        'the studio did not say the scenario was made');
      assert(new URL(page.url()).pathname === '/studio.html', `the page went away: ${page.url()}`);
      const titles = await scenarioTitles(await loginToken(trainer));
      assert(titles.filter((t) => t === title).length === 1, `the typed scenario "${title}" is not saved once: ${titles.length} own scenarios`);
      assert(errors.length === 0, `script errors: ${errors.join('; ')}`);
      await assertAccessible(page, 'studio.html – opgeslagen na opnieuw inloggen (trainer)');
    });
    if (context) await context.close();

    // ---- prefers-reduced-motion, and another account in the login dialog ----

    part();
    let sent = 0;
    await check('reduced motion: warning at 320 px, no element animates or transitions', async () => {
      ({ context, page, errors } = await openStudio(browser, trainer,
        { reducedMotion: 'reduce', viewport: { width: 320, height: 740 } }));
      page.on('request', (req) => {
        if (req.method() === 'POST' && req.url().endsWith('/api/v1/scenarios')) sent += 1;
      });
      const end = await sessionEnd(context);
      await clockTo(page, end - 4 * MINUTE);
      await waitUntil(() => dialogOpen(page, 'session-warning'), 'the warning did not open');
      const moving = await page.evaluate(() => {
        const out = [];
        const secs = (v) => v.split(',').reduce((m, x) => Math.max(m, parseFloat(x) || 0), 0);
        const look = (node, pseudo) => {
          const cs = getComputedStyle(node, pseudo);
          if (secs(cs.animationDuration) > 0 || secs(cs.transitionDuration) > 0) {
            out.push(`${node.tagName.toLowerCase()}${node.id ? `#${node.id}` : ''}${pseudo || ''}: animation ${cs.animationDuration}, transition ${cs.transitionDuration}`);
          }
        };
        for (const node of document.querySelectorAll('*')) {
          look(node);
          look(node, '::before');
          look(node, '::after');
        }
        look(document.getElementById('session-warning'), '::backdrop');
        return { out, scroll: getComputedStyle(document.documentElement).scrollBehavior };
      });
      assert(moving.out.length === 0, `still moving: ${moving.out.slice(0, 5).join('; ')}`);
      assert(moving.scroll === 'auto', `scroll-behavior is ${moving.scroll}`);
      await assertReflows(page, 'studio.html – sessiewaarschuwing 320 px (trainer)');
      await assertAccessible(page, 'studio.html – sessiewaarschuwing 320 px (trainer)');
      await page.keyboard.press('Escape');
      await waitUntil(async () => !(await dialogOpen(page, 'session-warning')), 'Escape did not close the warning');
    });

    await check('another account logs in in the dialog: nothing sent again, told in Dutch that the page reloads', async () => {
      const r = await apiCall('POST', '/auth/logout', { cookie: await sessionCookie(context) });
      assert(r.status === 204, `logout: HTTP ${r.status}`);
      await typeScenario(page, scenarioText(otherTitle));
      await tabTo(page, '#save-button');
      await page.keyboard.press('Enter');
      await waitUntil(() => dialogOpen(page, 'session-login'), 'no login dialog after the 401');
      await assertReflows(page, 'studio.html – inlogvenster 320 px (trainer)');
      await assertAccessible(page, 'studio.html – inlogvenster 320 px (trainer)');
      // The e-mail field is filled in with the trainer's address: go there and replace it.
      await tabTo(page, '#session-login-email', { limit: 4, backwards: true });
      await page.keyboard.press('Control+A');
      await page.keyboard.type(teacher.email);
      await page.keyboard.press('Tab');
      await page.keyboard.type(teacher.password);
      await page.keyboard.press('Enter');
      await waitUntil(() => page.evaluate(() => Boolean(document.getElementById('session-other'))),
        'no message about the other account');
      const said = (await page.textContent('#session-other')) || '';
      assert(/opnieuw geladen/.test(said) && /niet verstuurd/.test(said), `the message does not say it: ${said}`);
      const shown = await page.locator('#session-login').innerText();
      assert(!/alsnog verstuurd/.test(shown), `the dialog still promises to send what was typed: ${shown}`);
      const f = await focusInfo(page, 'session-login');
      assert(f.id === 'session-reload', `focus is not on "Pagina opnieuw laden": ${await focusedElement(page)}`);
      assert(sent === 1, `POST /scenarios was sent ${sent} times (only the refused one may be)`);
      const titles = await scenarioTitles(await loginToken(trainer));
      assert(!titles.includes(otherTitle), 'the trainer\'s scenario was saved after another account logged in');
      await assertAccessible(page, 'studio.html – ander account ingelogd (teacher)');
      await shot(page, '3-other-account');
      await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
      await waitUntil(() => page.locator('#user-nav').isVisible(), 'the reloaded page shows no user');
      assert(sent === 1, `POST /scenarios was sent ${sent} times after the reload`);
      assert(errors.length === 0, `script errors: ${errors.join('; ')}`);
    }, { blocks: false });
    if (context) await context.close();

    // ---- the login dialog closed with Escape: the page and the typed text stay ----

    part();
    await check('Escape on the login dialog: the page stays with the typed text and says "niet meer ingelogd", with a button that opens the dialog again', async () => {
      ({ context, page, errors } = await openStudio(browser, trainer));
      const typed = scenarioText(`Sessietest Escape ${suffix}`);
      await typeScenario(page, typed);
      const r = await apiCall('POST', '/auth/logout', { cookie: await sessionCookie(context) });
      assert(r.status === 204, `logout: HTTP ${r.status}`);
      await tabTo(page, '#save-button');
      await page.keyboard.press('Enter');
      await waitUntil(() => dialogOpen(page, 'session-login'), 'no login dialog after the 401');
      await page.keyboard.press('Escape');
      await waitUntil(() => page.locator('#session-lost').isVisible(), 'no "niet meer ingelogd" on the page');
      assert(new URL(page.url()).pathname === '/studio.html', `the page went away: ${page.url()}`);
      assert(/niet meer ingelogd/.test(await page.locator('#session-lost').innerText()), 'the message does not say so');
      assert((await page.getAttribute('#session-lost', 'role')) === 'alert', 'the message is not announced (role=alert)');
      assert((await page.inputValue('#doc-input')) === typed, 'the typed text is gone');
      await assertAccessible(page, 'studio.html – niet meer ingelogd na Escape (trainer)');
      await tabTo(page, '#session-lost-login', { backwards: true, limit: 80 });
      await page.keyboard.press('Enter');
      await waitUntil(() => dialogOpen(page, 'session-login'), 'the button did not open the login dialog');
      assert(errors.length === 0, `script errors: ${errors.join('; ')}`);
    }, { blocks: false });
    if (context) await context.close();

    // ---- 24 hours after the password: "Ingelogd blijven" asks for it ----

    part();
    await check('a session refreshed for 13 hours: "Ingelogd blijven" is refused and the login dialog asks for the password, with the reason', async () => {
      const me = await apiCall('GET', '/me', { token: await loginToken(trainer) });
      assert(me.status === 200, `GET /me: HTTP ${me.status}`);
      ({ context, page } = await openPage(browser));
      await context.addCookies([{ name: 'session', value: agedToken(me.json.id, 13), url: BASE_URL }]);
      await page.clock.install();
      await page.goto(`${BASE_URL}/studio.html`);
      await page.locator('#user-nav').waitFor({ state: 'visible' });
      await clockTo(page, (await sessionEnd(context)) - 4 * MINUTE);
      await waitUntil(() => dialogOpen(page, 'session-warning'), 'the warning did not open');
      await page.keyboard.press('Enter'); // "Ingelogd blijven" has the focus
      await waitUntil(() => dialogOpen(page, 'session-login'), 'no login dialog after the refused refresh');
      const said = await page.locator('#session-login-text').innerText();
      assert(/al lang ingelogd/.test(said), `the dialog does not say why: ${said}`);
      const f = await focusInfo(page, 'session-login');
      assert(f.inside, `the focus is not in the login dialog: ${await focusedElement(page)}`);
      await assertAccessible(page, 'studio.html – opnieuw inloggen na 24 uur (trainer)');
    }, { blocks: false });
    if (context) await context.close();
  } finally {
    await browser.close();
  }
}

await run(main);
