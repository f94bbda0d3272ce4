// Browser test of the account pages, in Debian's Chromium through playwright-core:
// register a new teacher, confirm the address with the link from the mail (and see a
// used link refused), "Mijn account" (details, resend → already confirmed, download of
// mijn-gegevens.json), change the password (a second session ends too, the login page
// says why), "Wachtwoord vergeten?" from the login page with the neutral answer, the
// reset link from the mail, log in with the new password; as the demo admin the audit
// log (the password change, "Oudere") and "Persoon wissen" of the test teacher.
//
// The dev stack writes outgoing mail as files (deploy/dev/sendmail-to-file.sh); the test
// reads the newest mail to the new address from MAIL_DIR and opens its link on BASE_URL.
//
// The test changes the stack only by: one new teacher account (erased again at the
// end through "Persoon wissen"), its mails, its audit lines, and 250 audit lines it
// writes itself (a long log for "Oudere", one with markup in its details).
//
// Environment:
//   BASE_URL        the site (default http://127.0.0.1:8080)
//   JOIN_CODE       a school's join code (required)
//   DEMO_ACCOUNTS   TSV file, lines role<TAB>email<TAB>password (needs admin); default
//                   var/run/demo-accounts.tsv of this repository
//   DATABASE_URL    the stack's database (var/test/env), for the long audit log
//   MAIL_DIR        where the stack writes mails as *.eml (default $VAR_DIR/mail when
//                   VAR_DIR is set, as in var/test/env; else var/test/mail)
//   SCREENSHOT_DIR  default tests/browser/screenshots
//   CHROMIUM        default /usr/bin/chromium
//
// Prints "ok - ..." / "not ok - ..." per check and "N passed, M failed" at the end;
// exits 1 when a check failed. After a failed step that later steps depend on, the rest
// of that part is reported as skipped.

import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import {
  BASE_URL, DEMO_ACCOUNTS, assert, assertEqual, bearerLogin, bearerRequest, blockedBy, check, checkConsole,
  launchChromium, login, openPage, part, readAccounts, repoRoot, run, shot, squash, textOf, waitForText,
  waitUntil, watchConsole,
} from './harness.mjs';

const JOIN_CODE = process.env.JOIN_CODE || '';
const MAIL_DIR = resolve(repoRoot, process.env.MAIL_DIR
  || (process.env.VAR_DIR ? join(process.env.VAR_DIR, 'mail') : join('var', 'test', 'mail')));
const MAIL_TIMEOUT = 30000;
const NEUTRAL_TEXT = 'Als dit adres bij ons bekend is, krijg je een mail met een link (een uur geldig)';

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// ---- mail files ----------------------------------------------------------------------

/**
 * The token of the newest mail in MAIL_DIR to `email` with an account.html#<kind>= link,
 * written at or after `since` (ms); null when there is none (yet).
 */
function newestMailToken(email, kind, since) {
  if (!existsSync(MAIL_DIR)) return null;
  const to = new RegExp(`^To:.*<?${escapeRe(email)}>?\\s*$`, 'im');
  const link = new RegExp(`/account\\.html#${kind}=([0-9a-f]{64})`);
  let best = null;
  for (const name of readdirSync(MAIL_DIR)) {
    if (!name.endsWith('.eml')) continue;
    const file = join(MAIL_DIR, name);
    let mtime;
    let text;
    try {
      mtime = statSync(file).mtimeMs;
      text = readFileSync(file, 'utf8');
    } catch (e) {
      continue; // renamed or removed meanwhile
    }
    // Mail files carry whole seconds in their names; mtime can be a little behind.
    if (mtime < since - 2000) continue;
    const head = text.split(/\r?\n\r?\n/)[0];
    if (!to.test(head)) continue;
    const m = link.exec(text);
    if (!m) continue;
    if (!best || mtime > best.mtime || (mtime === best.mtime && name > best.name)) {
      best = { mtime, name, token: m[1] };
    }
  }
  return best;
}

async function waitForMail(email, kind, since) {
  const found = await waitUntil(() => newestMailToken(email, kind, since),
    `a mail to ${email} with an account.html#${kind}= link in ${MAIL_DIR}`, MAIL_TIMEOUT, 300);
  return found.token;
}

// ---- the test --------------------------------------------------------------------------

async function main() {
  const stamp = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const teacher = {
    name: `Testaccount ${stamp}`,
    email: `account.${stamp}@school.example`,
    password: `eerste-sleutel-${randomBytes(4).toString('hex')}-groep5`,
  };
  const secondPassword = `tweede-sleutel-${randomBytes(4).toString('hex')}-groep6`;
  const thirdPassword = `derde-sleutel-${randomBytes(4).toString('hex')}-groep8`;
  const consoleProblems = [];
  let accounts = {};
  let teacherId = null;

  part('setup');
  await check('JOIN_CODE is set in the environment', () => {
    assert(JOIN_CODE, 'set JOIN_CODE to a school join code (see var/run/join-codes.tsv)');
  });
  await check(`DEMO_ACCOUNTS (${DEMO_ACCOUNTS}) names an admin`, () => {
    assert(existsSync(DEMO_ACCOUNTS), 'set DEMO_ACCOUNTS to the TSV of demo accounts (var/run/demo-accounts.tsv)');
    accounts = readAccounts(DEMO_ACCOUNTS);
    assert(accounts.admin, 'no admin line in DEMO_ACCOUNTS');
  });
  await check(`MAIL_DIR (${MAIL_DIR}) exists`, () => {
    assert(existsSync(MAIL_DIR), 'set MAIL_DIR to the directory the stack writes mails to (var/<instance>/mail)');
  });
  await check(`API health at ${BASE_URL}/api/v1/health answers 200 {"status":"ok"}`, async () => {
    const res = await fetch(`${BASE_URL}/api/v1/health`);
    assertEqual(res.status, 200, 'health status');
    assertEqual((await res.json()).status, 'ok', 'health body status');
  });
  if (blockedBy()) return;

  const browser = await launchChromium();
  if (!browser) return;

  const contexts = [];
  const newContext = async (label) => {
    const { context, page } = await openPage(browser, { acceptDownloads: true });
    contexts.push(context);
    // Refused requests (401 before login, 400 for a used link) are on purpose.
    watchConsole(page, label, consoleProblems);
    const me = async () => (await context.request.get(`${BASE_URL}/api/v1/me`)).status();
    return { context, page, me };
  };

  try {
    // ============================================================ register and verify
    part('register and confirm the address');
    const t = await newContext('teacher');
    let verifyToken;

    await check('register a new teacher with the join code; the header has "Mijn account"', async () => {
      await t.page.goto(`${BASE_URL}/#registreren`);
      const panel = t.page.locator('#register-panel');
      await panel.getByLabel('Naam').fill(teacher.name);
      await panel.getByLabel('E-mailadres').fill(teacher.email);
      await panel.getByLabel('Wachtwoord').fill(teacher.password);
      await panel.getByLabel('Schoolcode').fill(JOIN_CODE);
      const since = Date.now();
      await t.page.click('#register-form button[type="submit"]');
      try {
        await t.page.waitForURL(/\/modules\.html$/);
      } catch (e) {
        const msgs = await t.page.locator('#register-panel .message, #register-panel .field-error').allTextContents();
        throw new Error(`still on ${t.page.url()}; messages: ${JSON.stringify(msgs.filter(Boolean))}`);
      }
      const link = t.page.locator('#user-nav a.account-link');
      await waitForText(link, 'Mijn account', 'account link in the header');
      assertEqual(await link.getAttribute('href'), '/account.html', 'account link href');
      const res = await t.context.request.get(`${BASE_URL}/api/v1/me`);
      teacherId = (await res.json()).id;
      assert(teacherId, 'GET /me gives the new id');
      verifyToken = await waitForMail(teacher.email, 'verify', since);
    });

    await check('the link from the mail (account.html#verify=…) says "Je e-mailadres is bevestigd" and leaves no token in the address bar', async () => {
      await t.page.goto(`${BASE_URL}/account.html#verify=${verifyToken}`);
      await t.page.locator('#verify-verdict').waitFor();
      assertEqual(await t.page.getAttribute('#verify-verdict', 'data-verdict'), 'valid', 'verdict');
      await waitForText(t.page.locator('#verify-verdict h2'), 'Je e-mailadres is bevestigd', 'verdict heading');
      assert(!t.page.url().includes(verifyToken), `token removed from the address: ${t.page.url()}`);
      assert(!t.page.url().includes('#'), `no fragment left: ${t.page.url()}`);
      const history = await t.page.evaluate(() => window.location.href);
      assert(!history.includes('verify='), `location after replaceState: ${history}`);
      await shot(t.page, '30-account-verified');
    });

    await check('the same link a second time (pasted into the open tab): "Deze link werkt niet meer" (verlopen of al gebruikt)', async () => {
      // Only the fragment changes here: the page must load itself again.
      await t.page.goto(`${BASE_URL}/account.html#verify=${verifyToken}`);
      await waitUntil(async () => (await t.page.getAttribute('#verify-verdict', 'data-verdict', { timeout: 1000 })) === 'expired',
        'verdict "expired"');
      await waitForText(t.page.locator('#verify-verdict'), 'Deze link werkt niet meer', 'verdict heading');
      await waitForText(t.page.locator('#verify-verdict'), /verlopen of al gebruikt/, 'reason');
    }, { blocks: false });

    // ============================================================ invitation of another board
    part('invitation of another board');
    await check('another board puts the teacher on its roster: modules.html shows "… heeft je op de personeelslijst gezet"; "Accepteren" links without moving the account', async () => {
      const admin = await bearerLogin(accounts.admin.email, accounts.admin.password);
      const boardName = `Stichting Elders ${stamp}`;
      const board = await bearerRequest('POST', '/boards', admin,
        { name: boardName, number: `8${String(Date.now()).slice(-8)}` });
      assertEqual(board.status, 201, 'board');
      const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
      const brin = `${letters[randomBytes(1)[0] % 26]}${randomBytes(2).toString('hex').toUpperCase().replace(/[^0-9A-Z]/g, 'X').slice(0, 3)}${String(randomBytes(1)[0] % 100).padStart(2, '0')}`;
      const school = await bearerRequest('POST', '/schools', admin,
        { board_id: board.body.id, name: `Basisschool Elders ${stamp}`, brin, municipality: 'Elders' });
      assertEqual(school.status, 201, `school ${brin}`);
      const baPassword = `bestuur-sleutel-${randomBytes(4).toString('hex')}`;
      const baEmail = `bestuur.${stamp}@elders.example`;
      assertEqual((await bearerRequest('POST', '/users', admin, { email: baEmail, name: 'Bestuur Elders', role: 'board_admin',
        password: baPassword, board_id: board.body.id })).status, 201, 'board admin');
      const ba = await bearerLogin(baEmail, baPassword);
      const up = await fetch(`${BASE_URL}/api/v1/boards/${board.body.id}/roster`, {
        method: 'POST', headers: { Authorization: `Bearer ${ba}`, 'Content-Type': 'text/csv' },
        body: `email,name,role,brin\n${teacher.email},${teacher.name},teacher,${brin}\n`,
      });
      assertEqual(up.status, 200, 'roster');
      assertEqual((await up.json()).invited, 1, 'invited');
      const before = await (await t.context.request.get(`${BASE_URL}/api/v1/me`)).json();

      await t.page.goto(`${BASE_URL}/modules.html`);
      const box = t.page.locator('#invitations');
      await box.waitFor({ state: 'visible' });
      await waitForText(box, `${boardName} heeft je op de personeelslijst gezet`, 'notice');
      await waitForText(box, 'als leerkracht', 'role');
      await shot(t.page, '32-invitation');
      await box.getByRole('button', { name: 'Accepteren' }).click();
      await waitForText(t.page.locator('#invitations-message'), 'Geaccepteerd', 'answer');
      assertEqual(await t.page.locator('#invitation-list li').count(), 0, 'no invitation left');
      const after = await (await t.context.request.get(`${BASE_URL}/api/v1/me`)).json();
      assertEqual(JSON.stringify(after.school), JSON.stringify(before.school), 'own school kept');
      const staff = await bearerRequest('GET', `/boards/${board.body.id}/schools/${school.body.id}/staff`, ba);
      assertEqual(staff.body[0].link, 'linked', 'the other board sees the link');
      await t.page.reload();
      await t.page.locator('#module-list li').first().waitFor();
      assert(await box.isHidden(), 'the notice is gone after reload');
    }, { blocks: false });

    // ============================================================ Mijn account
    part('Mijn account');
    await check('"Mijn account" shows name, e-mail and role, with aria-current on the header link', async () => {
      await t.page.goto(`${BASE_URL}/modules.html`);
      await t.page.locator('#user-nav a.account-link').click();
      await t.page.waitForURL(/\/account\.html$/);
      await waitForText(t.page.locator('#account-title'), 'Mijn account', 'h1');
      await t.page.locator('#account-view:not([hidden])').waitFor();
      assertEqual(await textOf(t.page.locator('#account-name')), teacher.name, 'name');
      assertEqual(await textOf(t.page.locator('#account-email')), teacher.email, 'e-mail');
      assertEqual(await textOf(t.page.locator('#account-role')), 'Leerkracht', 'role');
      assertEqual(await t.page.getAttribute('#user-nav a.account-link', 'aria-current'), 'page', 'aria-current');
      await shot(t.page, '31-account');
    });

    await check('"Bevestigingsmail opnieuw sturen" after confirming: "al bevestigd" (409)', async () => {
      await t.page.getByRole('button', { name: 'Bevestigingsmail opnieuw sturen' }).click();
      await waitForText(t.page.locator('#resend-message'), 'al bevestigd', 'resend message');
      assert((await t.page.getAttribute('#resend-message', 'class')).includes('message-ok'), 'shown as ok, not as an error');
    }, { blocks: false });

    await check('"Mijn gegevens downloaden" saves mijn-gegevens.json: JSON with the e-mail address', async () => {
      const [download] = await Promise.all([
        t.page.waitForEvent('download'),
        t.page.getByRole('button', { name: 'Mijn gegevens downloaden' }).click(),
      ]);
      assertEqual(download.suggestedFilename(), 'mijn-gegevens.json', 'file name');
      const path = await download.path();
      const text = readFileSync(path, 'utf8');
      const data = JSON.parse(text);
      assert(text.includes(teacher.email), 'the file contains the e-mail address');
      assertEqual(data.account && data.account.email, teacher.email, 'account.email in the export');
      await waitForText(t.page.locator('#export-message'), 'mijn-gegevens.json', 'export message');
    }, { blocks: false });

    await check('mobile width (375 px): account.html fits without sideways scrolling', async () => {
      await t.page.setViewportSize({ width: 375, height: 740 });
      await t.page.reload();
      await t.page.locator('#account-view:not([hidden])').waitFor();
      const overflow = await t.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert(overflow <= 1, `account.html is ${overflow}px wider than the screen`);
      await shot(t.page, '32-account-phone');
      await t.page.setViewportSize({ width: 1280, height: 900 });
    }, { needs: false });

    // ============================================================ change the password
    part('change the password');
    const other = await newContext('teacher-2');
    await check('a second session (another browser) is logged in as the teacher', async () => {
      const res = await other.context.request.post(`${BASE_URL}/api/v1/auth/login`,
        { data: { email: teacher.email, password: teacher.password } });
      assertEqual(res.status(), 200, 'login of the second session');
      assertEqual(await other.me(), 200, 'GET /me in the second session');
    });

    await check('password form: a wrong current password and a repeat that differs are refused next to the fields', async () => {
      await t.page.goto(`${BASE_URL}/account.html`);
      await t.page.locator('#account-view:not([hidden])').waitFor();
      await t.page.locator('#password-form').getByLabel('Huidig wachtwoord').fill(teacher.password);
      await t.page.locator('#password-form').getByLabel('Nieuw wachtwoord', { exact: true }).fill(secondPassword);
      await t.page.locator('#password-form').getByLabel('Nieuw wachtwoord nog een keer').fill(`${secondPassword}x`);
      await t.page.click('#password-form button[type="submit"]');
      await waitForText(t.page.locator('#password-new2-error'), 'niet gelijk', 'repeat error');
      await t.page.locator('#password-form').getByLabel('Nieuw wachtwoord nog een keer').fill(secondPassword);
      await t.page.locator('#password-form').getByLabel('Huidig wachtwoord').fill('dit-is-niet-het-wachtwoord');
      await t.page.click('#password-form button[type="submit"]');
      await waitForText(t.page.locator('#password-current-error'), 'Je huidige wachtwoord klopt niet', 'current password error');
      assertEqual(await t.page.getAttribute('#password-current', 'aria-invalid'), 'true', 'aria-invalid');
      assertEqual(await t.me(), 200, 'still logged in after the refused change');
    }, { blocks: false });

    await check('change the password: the login page says so, this session and the other one have ended', async () => {
      await t.page.locator('#password-form').getByLabel('Huidig wachtwoord').fill(teacher.password);
      await t.page.locator('#password-form').getByLabel('Nieuw wachtwoord', { exact: true }).fill(secondPassword);
      await t.page.locator('#password-form').getByLabel('Nieuw wachtwoord nog een keer').fill(secondPassword);
      await t.page.click('#password-form button[type="submit"]');
      await t.page.waitForURL(new RegExp(`^${escapeRe(BASE_URL)}/(index\\.html)?$`));
      await waitForText(t.page.locator('#login-notice'), 'Je wachtwoord is gewijzigd', 'login notice');
      assertEqual(await t.me(), 401, 'GET /me in this session');
      assertEqual(await other.me(), 401, 'GET /me in the other session');
      await other.page.goto(`${BASE_URL}/modules.html`);
      await other.page.waitForURL(/\/(index\.html)?$/);
      await shot(t.page, '33-login-after-change');
    });

    await check('the old password no longer works, the new one does', async () => {
      await login(t.page, teacher);
      await waitForText(t.page.locator('#login-message'), 'E-mailadres of wachtwoord klopt niet', 'old password refused');
      await login(t.page, { email: teacher.email, password: secondPassword });
      await t.page.waitForURL(/\/modules\.html$/);
      await t.page.getByRole('button', { name: 'Uitloggen' }).click();
      await t.page.waitForURL(/\/(index\.html)?$/);
    });

    // ============================================================ forgotten password
    part('forgotten password');
    const r = await newContext('visitor');
    let resetToken;

    await check('"Wachtwoord vergeten?" on the login page opens the request form', async () => {
      await r.page.goto(`${BASE_URL}/`);
      await r.page.locator('#login-panel').getByRole('link', { name: 'Wachtwoord vergeten?' }).click();
      await r.page.waitForURL(/\/account\.html$/);
      await waitForText(r.page.locator('#account-title'), 'Wachtwoord vergeten?', 'h1');
      await r.page.locator('#forgot-view:not([hidden])').waitFor();
      assert(await r.page.locator('#user-nav').isHidden(), 'no user area when logged out');
    });

    await check('an invalid address is refused next to the field; an unknown one gets the neutral answer', async () => {
      await r.page.locator('#forgot-form').getByLabel('E-mailadres').fill('geen-adres');
      await r.page.click('#forgot-form button[type="submit"]');
      await waitForText(r.page.locator('#forgot-email-error'), 'geldig e-mailadres', 'field error');
      await r.page.locator('#forgot-form').getByLabel('E-mailadres').fill(`onbekend.${stamp}@school.example`);
      await r.page.click('#forgot-form button[type="submit"]');
      await waitForText(r.page.locator('#forgot-done'), NEUTRAL_TEXT, 'neutral answer');
    }, { blocks: false });

    await check('a look-alike address (dotted capital I) is refused in Dutch, by the page and by the server (a non-ASCII domain the email field itself turns into its xn-- form)', async () => {
      await r.page.locator('#forgot-form').getByLabel('E-mailadres').fill('k\u0130m@gmail.com');
      await r.page.click('#forgot-form button[type="submit"]');
      await waitForText(r.page.locator('#forgot-email-error'), 'tekens die we niet kunnen gebruiken', 'field error');
      const answer = await r.page.evaluate(async () => {
        const res = await fetch('/api/v1/auth/reset-request', { method: 'POST',
          headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: 'kim@gma\u0130l.com' }) });
        return { status: res.status, body: await res.json() };
      });
      assert(answer.status === 400, `server status ${answer.status}`);
      assert(/buiten ASCII/.test(answer.body.error.fields.email), `server text: ${answer.body.error.fields.email}`);
    }, { blocks: false });

    await check('the teacher\'s address gets the same neutral answer, and a mail with a reset link', async () => {
      await r.page.goto(`${BASE_URL}/account.html`);
      await r.page.locator('#forgot-view:not([hidden])').waitFor();
      await r.page.locator('#forgot-form').getByLabel('E-mailadres').fill(teacher.email);
      const since = Date.now();
      await r.page.click('#forgot-form button[type="submit"]');
      await waitForText(r.page.locator('#forgot-done'), NEUTRAL_TEXT, 'neutral answer');
      await shot(r.page, '34-forgot');
      resetToken = await waitForMail(teacher.email, 'reset', since);
    });

    await check('the reset link (pasted into the tab with the request form) shows "Nieuw wachtwoord kiezen" and removes the token from the address bar', async () => {
      await r.page.goto(`${BASE_URL}/account.html#reset=${resetToken}`);
      await waitForText(r.page.locator('#account-title'), 'Nieuw wachtwoord kiezen', 'h1');
      await r.page.locator('#reset-form').waitFor();
      assert(!r.page.url().includes(resetToken), `token removed from the address: ${r.page.url()}`);
    });

    await check('reset form: too short and not the same are refused in Dutch', async () => {
      await r.page.locator('#reset-form').getByLabel('Nieuw wachtwoord', { exact: true }).fill('kort');
      await r.page.locator('#reset-form').getByLabel('Nieuw wachtwoord nog een keer').fill('kort');
      await r.page.click('#reset-form button[type="submit"]');
      await waitForText(r.page.locator('#reset-password-error'), 'minstens 12 tekens', 'length error');
      await r.page.locator('#reset-form').getByLabel('Nieuw wachtwoord', { exact: true }).fill(thirdPassword);
      await r.page.locator('#reset-form').getByLabel('Nieuw wachtwoord nog een keer').fill(`${thirdPassword}!`);
      await r.page.click('#reset-form button[type="submit"]');
      await waitForText(r.page.locator('#reset-password2-error'), 'niet gelijk', 'repeat error');
    }, { blocks: false });

    await check('saving the new password ends the other sessions and links to the login page, where the new password works', async () => {
      const res = await other.context.request.post(`${BASE_URL}/api/v1/auth/login`,
        { data: { email: teacher.email, password: secondPassword } });
      assertEqual(res.status(), 200, 'login of another session before the reset');
      await r.page.locator('#reset-form').getByLabel('Nieuw wachtwoord', { exact: true }).fill(thirdPassword);
      await r.page.locator('#reset-form').getByLabel('Nieuw wachtwoord nog een keer').fill(thirdPassword);
      await r.page.click('#reset-form button[type="submit"]');
      await waitForText(r.page.locator('#reset-done'), 'Je nieuwe wachtwoord is opgeslagen', 'success');
      assertEqual(await other.me(), 401, 'GET /me in the other session after the reset');
      await shot(r.page, '35-reset-done');
      await r.page.locator('#reset-login-link').click();
      await r.page.waitForURL(new RegExp(`^${escapeRe(BASE_URL)}/(index\\.html)?$`));
      await waitForText(r.page.locator('#login-notice'), 'nieuwe wachtwoord', 'login notice');
      await login(r.page, { email: teacher.email, password: secondPassword });
      await waitForText(r.page.locator('#login-message'), 'E-mailadres of wachtwoord klopt niet', 'previous password refused');
      await login(r.page, { email: teacher.email, password: thirdPassword });
      await r.page.waitForURL(/\/modules\.html$/);
    });

    await check('the reset link a second time: "verlopen of al gebruikt", with a way to ask for a new one', async () => {
      await r.page.goto(`${BASE_URL}/account.html#reset=${resetToken}`);
      await r.page.locator('#reset-form').waitFor();
      await r.page.locator('#reset-form').getByLabel('Nieuw wachtwoord', { exact: true }).fill(thirdPassword);
      await r.page.locator('#reset-form').getByLabel('Nieuw wachtwoord nog een keer').fill(thirdPassword);
      await r.page.click('#reset-form button[type="submit"]');
      await waitForText(r.page.locator('#reset-done'), /verlopen of al gebruikt/, 'used link');
      await r.page.getByRole('button', { name: 'Vraag een nieuwe link aan' }).click();
      await r.page.locator('#forgot-view:not([hidden])').waitFor();
    }, { blocks: false });

    // ============================================================ admin: audit log, erase
    part('admin: audit log and "Persoon wissen"');
    const a = await newContext('admin');

    await check('admin.html shows the audit log with the teacher\'s password change (Dutch label, time, target)', async () => {
      assert(teacherId, 'the id of the test teacher is known');
      await login(a.page, accounts.admin);
      await a.page.waitForURL(/\/admin\.html$/);
      await a.page.locator('#admin-content:not([hidden])').waitFor();
      const row = a.page.locator(`#audit-rows tr[data-action="password_change"]`, { hasText: teacher.email }).first();
      await row.waitFor();
      const cells = (await row.locator('td').allTextContents()).map(squash);
      assert(/^\d{2}-\d{2}-\d{4} \d{2}:\d{2}$/.test(cells[0]), `Dutch date and time: ${cells[0]}`);
      assert(cells[1].includes(teacher.email), `actor: ${cells[1]}`);
      assertEqual(cells[2], 'Wachtwoord gewijzigd', 'action label');
      assertEqual(cells[3], `account ${teacherId}`, 'target');
      await a.page.locator('#audit-section').scrollIntoViewIfNeeded();
      await shot(a.page, '36-admin-audit');
    });

    await check('"Oudere" asks for ?before=<oldest id> and adds older rows or says there are none', async () => {
      const older = a.page.locator('#audit-older');
      if (await older.isHidden()) return; // everything is on the first page already
      const ids = await a.page.locator('#audit-rows tr[data-id]').evaluateAll((rows) => rows.map((r) => Number(r.dataset.id)));
      const oldest = Math.min(...ids);
      const [req] = await Promise.all([
        a.page.waitForRequest((q) => q.url().includes('/api/v1/audit?before=')),
        older.click(),
      ]);
      assertEqual(new URL(req.url()).searchParams.get('before'), String(oldest), 'before parameter');
      await waitUntil(async () => {
        const n = await a.page.locator('#audit-rows tr[data-id]').count();
        const status = await textOf(a.page.locator('#audit-status'));
        return n > ids.length || /geen oudere regels/.test(status);
      }, 'more rows or "geen oudere regels"');
      const after = await a.page.locator('#audit-rows tr[data-id]').evaluateAll((rows) => rows.map((r) => Number(r.dataset.id)));
      assert(after.slice(ids.length).every((id) => id < oldest), 'added rows are older');
    }, { blocks: false });

    await check('"Oudere" with a long log (250 lines written into the real audit_log first): pages back 200 at a time with ?before=, then hides; details stay text', async () => {
      assert(process.env.DATABASE_URL, 'DATABASE_URL (var/test/env), to write the lines');
      // The API itself writes no line with markup in its details, but the table can hold
      // one (an old or a tampered line): the page must show it as text. The newest line
      // carries the markup, the one before it is a roster import.
      const sql = (q) => execFileSync('psql', ['-X', '-A', '-t', '-q', '-v', 'ON_ERROR_STOP=1',
        '-d', process.env.DATABASE_URL, '-c', q], { encoding: 'utf8' }).trim();
      const ids = sql(`INSERT INTO audit_log (at, action, target, details)
        SELECT timestamptz '2026-03-01 08:05:00+00',
               CASE WHEN g = 250 THEN 'package_item' ELSE 'roster_import' END, 'board:' || g,
               CASE WHEN g = 250
                    THEN jsonb_build_object('item', '<img src=x id=pwned>', 'done_on', '2026-02-28')
                    ELSE jsonb_build_object('created', g) END
        FROM generate_series(1, 250) g RETURNING id`).split('\n').map(Number);
      assertEqual(ids.length, 250, 'lines written');
      const markupId = Math.max(...ids);
      const seen = [];
      const onRequest = (q) => {
        if (/\/api\/v1\/audit(\?.*)?$/.test(q.url())) seen.push(new URL(q.url()).searchParams.get('before'));
      };
      const shownIds = () => a.page.locator('#audit-rows tr[data-id]')
        .evaluateAll((rows) => rows.map((r) => Number(r.dataset.id)));
      a.page.on('request', onRequest);
      try {
        await a.page.reload();
        await a.page.locator(`#audit-rows tr[data-id="${markupId}"]`).waitFor();
        let shown = await shownIds();
        assertEqual(shown.length, 200, 'rows on the first page');
        const newest = shown[0];
        const befores = [null];
        const older = a.page.locator('#audit-older');
        for (let page = 2; !(await older.isHidden()); page += 1) {
          assert(page <= 1000, '"Oudere" hides at some point');
          const oldest = Math.min(...shown);
          befores.push(String(oldest));
          await older.click();
          await waitUntil(async () => {
            const status = await textOf(a.page.locator('#audit-status'));
            return (await a.page.locator('#audit-rows tr[data-id]').count()) > shown.length
              || /geen oudere regels/.test(status);
          }, `page ${page} of the audit log`);
          await waitUntil(async () => !(await older.isDisabled()) || (await older.isHidden()), 'loading done');
          shown = await shownIds();
        }
        assertEqual(JSON.stringify(seen), JSON.stringify(befores), 'requests (before=<oldest id shown>)');
        assert(shown.every((id, k) => k === 0 || id < shown[k - 1]), 'rows newest first, each once');
        assertEqual(String(shown.length), sql(`SELECT count(*) FROM audit_log WHERE id <= ${newest}`),
          'every line up to the newest shown, after "Oudere" hid');
        const cells = (await a.page.locator(`#audit-rows tr[data-id="${markupId}"] td`).allTextContents()).map(squash);
        assertEqual(cells[0], '01-03-2026 09:05', 'Dutch time (Europe/Amsterdam)');
        assertEqual(cells[2], 'Preventiepakket bijgewerkt', 'label');
        assertEqual(cells[3], 'bestuur 250', 'target');
        assertEqual(cells[4], 'item: <img src=x id=pwned>, done_on: 2026-02-28', 'details as text');
        assertEqual(await a.page.locator('#pwned').count(), 0, 'no element from the details');
        assertEqual(squash(await a.page.locator(`#audit-rows tr[data-id="${markupId - 1}"] td`).nth(2).textContent()),
          'Personeelslijst ingelezen', 'label of roster_import');
      } finally {
        a.page.off('request', onRequest);
        await a.page.reload();
        await a.page.locator('#admin-content:not([hidden])').waitFor();
      }
    }, { blocks: false });

    await check('"Persoon wissen": declining the confirmation sends nothing', async () => {
      await a.page.getByLabel('Account (gebruikersnummer)').fill(String(teacherId));
      let asked = '';
      a.page.once('dialog', (dialog) => { asked = dialog.message(); dialog.dismiss(); });
      let sent = false;
      const onRequest = (q) => { if (q.url().includes('/erase')) sent = true; };
      a.page.on('request', onRequest);
      await a.page.click('#erase-form button[type="submit"]');
      await waitUntil(() => asked, 'a confirmation dialog');
      assert(asked.includes(String(teacherId)), `dialog names the account: ${asked}`);
      await a.page.waitForTimeout(300);
      a.page.off('request', onRequest);
      assert(!sent, 'no erase request after "Annuleren"');
      assert(await a.page.locator('#erase-message').isHidden(), 'no message');
    });

    await check('"Persoon wissen" after confirming: the teacher is erased, the log shows "Persoon gewist"; again: not found', async () => {
      a.page.once('dialog', (dialog) => dialog.accept());
      await a.page.click('#erase-form button[type="submit"]');
      await waitForText(a.page.locator('#erase-message'), `Account ${teacherId} is gewist`, 'success message');
      await a.page.locator(`#audit-rows tr[data-action="erase"]`, { hasText: `account ${teacherId}` }).first().waitFor();
      const res = await r.context.request.get(`${BASE_URL}/api/v1/me`);
      assertEqual(res.status(), 401, 'the erased teacher\'s session has ended');
      await a.page.getByLabel('Account (gebruikersnummer)').fill(String(teacherId));
      a.page.once('dialog', (dialog) => dialog.accept());
      await a.page.click('#erase-form button[type="submit"]');
      await waitForText(a.page.locator('#erase-user_id-error'), 'Er is geen account met dit gebruikersnummer', '404 message');
      await shot(a.page, '37-admin-erase');
    }, { blocks: false });

    part('console');
    await checkConsole(consoleProblems);
  } finally {
    for (const c of contexts) await c.close().catch(() => {});
    await browser.close();
  }
}

await run(main);
