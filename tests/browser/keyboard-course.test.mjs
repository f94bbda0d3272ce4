// Browser test of the learner's pages in every state a user meets, with the keyboard
// only (issue 16, WCAG 2.2 AA): the login and registration forms with their errors,
// "Wachtwoord vergeten?", registering, "Mijn modules", every section of the demo module,
// a failed and a passed quiz, the certificate, its public verification page and that
// of an unknown code; then "Mijn modules" and "Mijn account" (with the password form's
// errors) of the demo teacher and IB'er. Every state gets an axe-core scan; the module
// list, a section, the quiz feedback and the certificate also at 320 px and at 640 px
// (1280 at 200%) for reflow; personal-data fields carry their autocomplete purpose and
// take a pasted value.
//
// Acting is done with page.keyboard only (Tab, Enter, Space, arrows, typing, Ctrl+V);
// page.goto only opens the start of a flow. tabTo() checks every focus stop for a
// visible focus indicator and fails on a trap.
//
// Environment (as tests/run-browser.sh sets it): BASE_URL, JOIN_CODE, DEMO_ACCOUNTS,
// SCREENSHOT_DIR, A11Y_REPORT, CHROMIUM (default /usr/bin/chromium).
// Prints "ok - ..." / "not ok - ..." per check and "N passed, M failed" last; exit 1
// when a check failed.

import { randomBytes } from 'node:crypto';
import { assertAccessible, assertReflows, focusedElement, tabTo } from './a11y.mjs';
import {
  BASE_URL, assert, assertEqual, bearerLogin, bearerRequest, check, checkConsole, configure, launchChromium,
  openPage, readAccounts, repoRoot, run, shot, waitUntil, watchConsole,
} from './harness.mjs';
import { answersForAttempt, quizFromRepo } from './quiz-answers.mjs';

const JOIN_CODE = process.env.JOIN_CODE || '';
const DEMO_ACCOUNTS = process.env.DEMO_ACCOUNTS || '';
const SLUG = 'meldcode-kort';
const PHONE = { width: 320, height: 740 };
const ZOOMED = { width: 640, height: 450 }; // 1280 × 900 at 200 %
const DESKTOP = { width: 1280, height: 900 };

configure({ errorLines: 14, pollInterval: 100, shotPrefix: 'kbd-' });

/** Waits until the first element that matches `selector` contains (or matches) `expected`. */
async function waitForText(page, selector, expected, what) {
  let seen = '';
  await waitUntil(async () => {
    seen = await page.evaluate((sel) => {
      const n = document.querySelector(sel);
      return n ? n.textContent.replace(/\s+/g, ' ').trim() : '';
    }, selector);
    return expected instanceof RegExp ? expected.test(seen) : seen.includes(expected);
  }, `${what}: expected ${expected} in ${selector}, saw ${JSON.stringify(seen)}`);
}

// ---- keyboard and assertions -----------------------------------------------------------

/** Tabs to `selector`, selects what the field holds and types `text` over it. */
async function typeInto(page, selector, text) {
  const here = await page.evaluate((sel) => document.activeElement.matches(sel), selector);
  if (!here) await tabTo(page, selector);
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  if (text) await page.keyboard.type(text);
}

/** Tabs to `selector` and presses Enter. */
async function activate(page, selector) {
  await tabTo(page, selector);
  await page.keyboard.press('Enter');
}

/** Puts `text` on the clipboard, tabs to the field, replaces its value by Ctrl+V and
 *  checks that the paste arrived (a page that blocks pasting fails WCAG 3.3.8). */
async function pasteInto(page, selector, text) {
  await page.evaluate((t) => navigator.clipboard.writeText(t), text);
  const here = await page.evaluate((sel) => document.activeElement.matches(sel), selector);
  if (!here) await tabTo(page, selector);
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Control+V');
  const value = await page.evaluate((sel) => document.querySelector(sel).value, selector);
  assertEqual(value, text, `value of ${selector} after Ctrl+V (paste must not be blocked)`);
}

async function focusIs(page, selector, what) {
  await waitUntil(() => page.evaluate((sel) => {
    const a = document.activeElement;
    return Boolean(a && a.matches(sel));
  }, selector), `${what}: focus on ${selector}, is on ${await focusedElement(page)}`, 5000);
}

/**
 * What the browser's accessibility tree says of an element (`selector`, or the focused
 * element when null): its role, computed accessible name and description, as a screen
 * reader gets them.
 */
async function axOf(page, selector = null) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const expression = selector ? `document.querySelector(${JSON.stringify(selector)})` : 'document.activeElement';
    const { result } = await cdp.send('Runtime.evaluate', { expression });
    if (!result.objectId) return { role: '', name: '', description: '' };
    const { nodes } = await cdp.send('Accessibility.getPartialAXTree', { objectId: result.objectId, fetchRelatives: false });
    const node = nodes.find((n) => !n.ignored) || nodes[0] || {};
    const value = (p) => (p && p.value !== undefined ? String(p.value) : '');
    return { role: value(node.role), name: value(node.name).replace(/\s+/g, ' ').trim(), description: value(node.description).replace(/\s+/g, ' ').trim() };
  } finally {
    await cdp.detach();
  }
}

/**
 * The field has aria-invalid="true", an aria-describedby that names a visible element
 * whose text matches `pattern`, and that text is in its computed accessible description
 * (so a screen reader reads it with the field).
 */
async function assertFieldError(page, id, pattern) {
  const info = await page.evaluate((fid) => {
    const input = document.getElementById(fid);
    if (!input) return null;
    const ids = (input.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
    const texts = ids.map((i) => document.getElementById(i))
      .filter((n) => n && !n.closest('[hidden]') && n.getClientRects().length > 0)
      .map((n) => n.textContent.replace(/\s+/g, ' ').trim());
    return { invalid: input.getAttribute('aria-invalid'), texts };
  }, id);
  assert(info, `#${id} is on the page`);
  assertEqual(info.invalid, 'true', `aria-invalid of #${id}`);
  assert(info.texts.some((t) => pattern.test(t)),
    `#${id}: no visible aria-describedby text matches ${pattern} (described by: ${JSON.stringify(info.texts)})`);
  const ax = await axOf(page, `#${id}`);
  assert(pattern.test(ax.description), `#${id}: the accessible description ${JSON.stringify(ax.description)} does not say ${pattern}`);
  // The "!" before an error is decoration: a screen reader should not read "uitroepteken".
  assert(!/(^|\s)!(\s|$)/.test(ax.description), `#${id}: the description reads the decorative "!": ${JSON.stringify(ax.description)}`);
}

/** None of the fields `ids` is marked invalid (any more). */
async function assertNotInvalid(page, ids) {
  const bad = await page.evaluate((list) => list
    .filter((id) => document.getElementById(id).getAttribute('aria-invalid') === 'true'), ids);
  assertEqual(bad.join(','), '', 'fields still marked invalid');
}

/**
 * `pattern` is announced: it stands in a shown live region (aria-live, role=status,
 * role=alert), or in the accessible name or description of the focused element (what a
 * screen reader says when the focus moves there).
 */
async function assertAnnounced(page, pattern, what) {
  const inRegion = await page.evaluate((src) => {
    const re = new RegExp(src, 'i');
    const shown = (n) => n && !n.closest('[hidden]') && n.getClientRects().length > 0;
    for (const region of document.querySelectorAll('[aria-live], [role="status"], [role="alert"]')) {
      if (region.getAttribute('aria-live') === 'off') continue;
      if (shown(region) && re.test(region.textContent.replace(/\s+/g, ' '))) return true;
    }
    return false;
  }, pattern.source);
  if (inRegion) return 'live region';
  const ax = await axOf(page);
  assert(pattern.test(ax.name) || pattern.test(ax.description),
    `${what}: ${pattern} is in no live region, nor in the name or description of the focused ${await focusedElement(page)} (role ${ax.role}, name ${JSON.stringify(ax.name)}, description ${JSON.stringify(ax.description)})`);
  return 'focus';
}

/** At 320 × 740 (reflow and axe) and 640 × 450 (reflow), then back to 1280 (the caller scanned at 1280). */
async function assertAtAllWidths(page, label) {
  await page.setViewportSize(PHONE);
  try {
    await assertReflows(page, `${label} at 320 px`);
    await assertAccessible(page, `${label}, 320 px`);
    await page.setViewportSize(ZOOMED);
    await assertReflows(page, `${label} at 640 × 450 (200 %)`);
  } finally {
    await page.setViewportSize(DESKTOP);
  }
}

// ---- autocomplete (WCAG 1.3.5) ---------------------------------------------------------

// Every text, email and password field of the learner's pages, with its autocomplete
// purpose. A field not in this list fails the check: a new field needs a decision.
const AUTOCOMPLETE = {
  'login-email': 'username',
  'login-password': 'current-password',
  'register-name': 'name',
  'register-email': 'email',
  'register-password': 'new-password',
  'forgot-email': 'username',
  'reset-password': 'new-password',
  'reset-password2': 'new-password',
  'password-username': 'username',
  'password-current': 'current-password',
  'password-new': 'new-password',
  'password-new2': 'new-password',
};
// Fields that ask for nothing about the user (1.3.5 does not apply): a school's join
// code and a certificate code.
const NOT_PERSONAL = new Set(['register-join-code', 'verify-code']);

async function assertAutocomplete(page, where) {
  const fields = await page.evaluate(() => [...document.querySelectorAll('input, textarea, select')]
    .filter((n) => !['radio', 'checkbox', 'submit', 'button', 'file'].includes(n.type))
    .map((n) => ({ id: n.id, type: n.type, autocomplete: n.getAttribute('autocomplete') })));
  assert(fields.length > 0, `${where}: fields on the page`);
  for (const f of fields) {
    if (NOT_PERSONAL.has(f.id)) continue;
    assert(Object.prototype.hasOwnProperty.call(AUTOCOMPLETE, f.id),
      `${where}: field #${f.id} (${f.type}) has no autocomplete decision in this test`);
    assertEqual(f.autocomplete, AUTOCOMPLETE[f.id], `${where}: autocomplete of #${f.id}`);
  }
  return fields.length;
}

// ---- quiz by keyboard -------------------------------------------------------------------

/** The drawn questions as the page shows them. */
async function shownQuiz(page) {
  return page.evaluate(() => [...document.querySelectorAll('#quiz-questions fieldset.question')]
    .map((fs) => ({
      id: fs.dataset.questionId,
      multiple: fs.querySelector('input[type="checkbox"]') !== null,
      choices: [...fs.querySelectorAll('input')].map((inp) => ({
        inputId: inp.id,
        text: (fs.querySelector(`label[for="${inp.id}"]`) || {}).textContent || '',
      })),
    })));
}

/** Per shown question the input ids to tick: every right choice, or one wrong one. */
function choose(shown, bank, right) {
  return shown.map((q) => {
    const cq = bank.questions.find((c) => c.id === q.id);
    if (!cq) throw new Error(`question ${q.id} is not in ${bank.file}`);
    const wanted = right ? cq.choices.filter((c) => c.correct) : cq.choices.filter((c) => !c.correct).slice(0, 1);
    assert(wanted.length > 0, `question ${q.id}: a ${right ? 'right' : 'wrong'} choice`);
    return {
      q,
      inputIds: wanted.map((c) => {
        const shownChoice = q.choices.find((s) => s.text === c.text);
        if (!shownChoice) throw new Error(`choice "${c.text}" of question ${q.id} is not shown`);
        return shownChoice.inputId;
      }),
    };
  });
}

/**
 * Answers with keys as a keyboard user does: Tab into a radio group (the first choice
 * gets the focus), Space picks it, the arrows move to and pick another; checkboxes are
 * each a Tab stop, Space ticks them.
 */
async function answerByKeyboard(page, picks) {
  for (const { q, inputIds } of picks) {
    const fs = `#quiz-questions fieldset[data-question-id="${q.id}"]`;
    if (!q.multiple) {
      const index = q.choices.findIndex((c) => c.inputId === inputIds[0]);
      const inGroup = await page.evaluate((sel) => document.activeElement.matches(sel), `${fs} input[type="radio"]`);
      if (!inGroup) await tabTo(page, `${fs} input[type="radio"]`);
      const at = await page.evaluate(() => document.activeElement.id);
      const from = q.choices.findIndex((c) => c.inputId === at);
      if (index === from) await page.keyboard.press('Space');
      for (let i = from; i < index; i += 1) await page.keyboard.press('ArrowDown');
      for (let i = from; i > index; i -= 1) await page.keyboard.press('ArrowUp');
    } else {
      for (const id of inputIds) {
        const here = await page.evaluate((sel) => document.activeElement.matches(sel), `#${id}`);
        if (!here) await tabTo(page, `#${id}`);
        await page.keyboard.press('Space');
      }
    }
    const checked = await page.evaluate((sel) => [...document.querySelectorAll(`${sel} input:checked`)]
      .map((n) => n.id).sort().join(','), fs);
    assertEqual(checked, [...inputIds].sort().join(','), `checked choices of question ${q.id}`);
  }
}

// ---- set-up through the API (not what the test is about) -------------------------------

// ---- the flows --------------------------------------------------------------------------

async function main() {
  const stamp = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const learner = {
    name: `Toetsenbord ${stamp}`,
    email: `toetsenbord.${stamp}@school.example`,
    password: `stille-gang-${randomBytes(4).toString('hex')}-lokaal9`,
  };
  const demo = DEMO_ACCOUNTS ? readAccounts(DEMO_ACCOUNTS) : {};
  const consoleProblems = [];

  await check('environment: JOIN_CODE and DEMO_ACCOUNTS (teacher, ib, admin)', () => {
    assert(JOIN_CODE, 'set JOIN_CODE (see tests/run-browser.sh)');
    assert(demo.teacher && demo.ib && demo.admin, `DEMO_ACCOUNTS lists teacher, ib and admin: ${DEMO_ACCOUNTS}`);
  });

  const browser = await launchChromium();
  if (!browser) return;

  const newPage = async (label) => {
    const { context, page } = await openPage(browser, { viewport: DESKTOP });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BASE_URL });
    watchConsole(page, label, consoleProblems);
    return { context, page };
  };

  try {
    const { context, page } = await newPage('learner');

    // -- 1. logged out: the login form and its errors ---------------------------------
    await check('index.html: autocomplete purpose on every personal-data field (1.3.5); scan of the first view', async () => {
      await page.goto(`${BASE_URL}/`);
      await page.locator('#login-email').waitFor();
      await assertAutocomplete(page, 'index.html');
      await assertAccessible(page, 'index.html – login form (logged out)');
    });

    await check('keyboard: login with empty fields → both fields invalid, tied to their error, focus on the first', async () => {
      await activate(page, '#login-form button[type="submit"]');
      await focusIs(page, '#login-email', 'after an empty login');
      await assertFieldError(page, 'login-email', /geldig e-mailadres/);
      await assertFieldError(page, 'login-password', /Vul je wachtwoord in/);
      await assertAnnounced(page, /geldig e-mailadres/, 'the e-mail error');
      await assertAccessible(page, 'index.html – login, empty form errors (logged out)');
    }, { blocks: false });

    await check('keyboard: wrong password → "klopt niet" in an alert, tied to both fields, focus on the password', async () => {
      await typeInto(page, '#login-email', learner.email);
      await pasteInto(page, '#login-password', 'dit-is-niet-het-wachtwoord');
      await page.keyboard.press('Enter');
      await waitForText(page, '#login-message', 'E-mailadres of wachtwoord klopt niet', 'login message');
      await focusIs(page, '#login-password', 'after a wrong password');
      await assertFieldError(page, 'login-password', /klopt niet/);
      await assertFieldError(page, 'login-email', /klopt niet/);
      await assertAnnounced(page, /klopt niet/, 'the login error');
      await assertAccessible(page, 'index.html – login, wrong password (logged out)');
      await shot(page, '01-login-wrong');
    }, { blocks: false });

    // -- "Wachtwoord vergeten?" ---------------------------------------------------------
    await check('keyboard: "Wachtwoord vergeten?" → form (scan), empty send → error tied to the field, focus on it', async () => {
      await page.goto(`${BASE_URL}/`);
      await activate(page, '#forgot-link');
      await page.waitForURL(/\/account\.html$/);
      await page.locator('#forgot-view:not([hidden])').waitFor();
      await assertAutocomplete(page, 'account.html (Wachtwoord vergeten)');
      await assertAccessible(page, 'account.html – Wachtwoord vergeten (logged out)');
      await pasteInto(page, '#forgot-email', 'geplakt@school.example');
      await page.keyboard.press('Control+A');
      await page.keyboard.press('Delete');
      await activate(page, '#forgot-form button[type="submit"]');
      await focusIs(page, '#forgot-email', 'after sending an empty address');
      await assertFieldError(page, 'forgot-email', /geldig e-mailadres/);
      await assertAnnounced(page, /geldig e-mailadres/, 'the e-mail error');
      await assertAccessible(page, 'account.html – Wachtwoord vergeten, error (logged out)');
      await page.keyboard.type(`onbekend.${stamp}@school.example`);
      await page.keyboard.press('Enter');
      await waitForText(page, '#forgot-done', 'Als dit adres bij ons bekend is', 'the answer');
      await focusIs(page, '#forgot-done', 'after sending the address');
      await assertAnnounced(page, /Als dit adres bij ons bekend is/, 'the answer');
      await assertNotInvalid(page, ['forgot-email']);
      await assertAccessible(page, 'account.html – Wachtwoord vergeten, link sent (logged out)');
      await activate(page, '#forgot-view a[href="/"]');
      await page.waitForURL(/\/(index\.html)?$/);
    }, { blocks: false });

    await check('keyboard: account.html#reset=… (mail link): autocomplete and paste; empty → errors tied to their fields; a refused link announced with the focus on it; "Vraag een nieuwe link aan"', async () => {
      await page.goto(`${BASE_URL}/account.html#reset=${'0'.repeat(64)}`);
      await page.locator('#reset-view:not([hidden])').waitFor();
      await assertAutocomplete(page, 'account.html (nieuw wachtwoord)');
      await assertAccessible(page, 'account.html – nieuw wachtwoord kiezen (logged out)');
      await activate(page, '#reset-form button[type="submit"]');
      await focusIs(page, '#reset-password', 'after an empty new password');
      await assertFieldError(page, 'reset-password', /nieuw wachtwoord/i);
      await assertFieldError(page, 'reset-password2', /nog een keer/);
      await assertAccessible(page, 'account.html – nieuw wachtwoord kiezen, empty form errors (logged out)');
      await pasteInto(page, '#reset-password', learner.password);
      await pasteInto(page, '#reset-password2', learner.password);
      // The link's token is made up: the server refuses it.
      await page.keyboard.press('Enter');
      await page.locator('#reset-done:not([hidden])').waitFor();
      await focusIs(page, '#reset-done', 'after a refused link');
      await assertAnnounced(page, /link/i, 'the refused link');
      await assertAccessible(page, 'account.html – nieuw wachtwoord kiezen, link refused (logged out)');
      await activate(page, '#reset-done button');
      await page.locator('#forgot-view:not([hidden])').waitFor();
      await focusIs(page, '#forgot-email', 'after "Vraag een nieuwe link aan"');
    }, { blocks: false });

    // -- registration errors -------------------------------------------------------------
    await check('keyboard: "Account aanmaken" opens the panel with the focus on "Naam"; empty → 4 errors tied to their fields', async () => {
      await page.goto(`${BASE_URL}/`);
      await page.locator('#login-email').waitFor();
      await activate(page, '#show-register');
      await focusIs(page, '#register-name', 'after "Account aanmaken"');
      await assertAccessible(page, 'index.html – Account aanmaken (logged out)');
      await activate(page, '#register-form button[type="submit"]');
      await focusIs(page, '#register-name', 'after an empty registration');
      await assertFieldError(page, 'register-name', /Vul je naam in/);
      await assertFieldError(page, 'register-email', /geldig e-mailadres/);
      await assertFieldError(page, 'register-password', /minstens 12 tekens/);
      await assertFieldError(page, 'register-join-code', /schoolcode/);
      await assertAnnounced(page, /Vul je naam in/, 'the name error');
      await assertAccessible(page, 'index.html – Account aanmaken, empty form errors (logged out)');
    });

    await check('keyboard: bad e-mail and short password → those two fields invalid, focus on the e-mail', async () => {
      await pasteInto(page, '#register-name', learner.name);
      await typeInto(page, '#register-email', 'geen-adres');
      await typeInto(page, '#register-password', 'kort');
      await pasteInto(page, '#register-join-code', 'ONBEKEND7');
      await page.keyboard.press('Enter');
      await focusIs(page, '#register-email', 'after a bad address');
      await assertFieldError(page, 'register-email', /geldig e-mailadres/);
      await assertFieldError(page, 'register-password', /minstens 12 tekens/);
      await assertNotInvalid(page, ['register-name', 'register-join-code']);
      await assertAnnounced(page, /geldig e-mailadres/, 'the e-mail error');
      await assertAccessible(page, 'index.html – Account aanmaken, bad e-mail and short password (logged out)');
    });

    await check('keyboard: an unknown school code → the server\'s error at the code field, focus on it', async () => {
      await pasteInto(page, '#register-email', learner.email);
      await pasteInto(page, '#register-password', learner.password);
      await page.keyboard.press('Enter');
      await waitUntil(() => page.evaluate(() => document.getElementById('register-join-code')
        .getAttribute('aria-invalid') === 'true'), 'the code field marked invalid');
      await focusIs(page, '#register-join-code', 'after an unknown code');
      await assertFieldError(page, 'register-join-code', /schoolcode/i);
      await assertNotInvalid(page, ['register-name', 'register-email', 'register-password']);
      await assertAnnounced(page, /schoolcode/i, 'the code error');
      await assertAccessible(page, 'index.html – Account aanmaken, unknown school code (logged out)');
      await shot(page, '02-register-code');
    });

    // -- 2. register and take the module, keyboard only --------------------------------
    await check('keyboard: register with the school code → "Mijn modules", every module\'s status in words', async () => {
      await focusIs(page, '#register-join-code', 'still at the code field');
      await page.keyboard.press('Control+A');
      await page.keyboard.type(JOIN_CODE);
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/modules\.html$/);
      await page.locator(`li.card[data-slug="${SLUG}"]`).waitFor();
      await assertModuleStatuses(page);
      await waitForText(page, `li.card[data-slug="${SLUG}"] .status`, 'Nog niet begonnen', 'status of the demo module');
      await assertAccessible(page, 'modules.html – Mijn modules (new teacher)');
      await assertAtAllWidths(page, 'modules.html – Mijn modules (new teacher)');
    });

    let mod;
    await check('keyboard: the card\'s button opens the module; every section by "Volgende" with the focus on its heading', async () => {
      await activate(page, `li.card[data-slug="${SLUG}"] .card-actions a`);
      await page.waitForURL(new RegExp(`/module\\.html\\?slug=${SLUG}$`));
      const r = await context.request.get(`${BASE_URL}/api/v1/modules/${SLUG}`);
      assertEqual(r.status(), 200, 'GET the module');
      mod = await r.json();
      await waitForText(page, '#section-title', mod.sections[0].title, 'first section');
      const lock = await page.evaluate(() => {
        const b = document.querySelector('#section-list button[data-quiz]');
        const note = b && [...b.querySelectorAll('span')].find((n) => /alle onderdelen/.test(n.textContent));
        const r = note ? note.getBoundingClientRect() : { width: 0, height: 0 };
        return { disabled: b ? b.disabled : null, shown: r.width > 2 && r.height > 2, text: note ? note.textContent : '' };
      });
      assert(lock.disabled === true, 'the quiz is locked before every section is done');
      assert(lock.shown, `the lock is explained in visible words next to "Toets", not in grey alone: ${JSON.stringify(lock)}`);
      assert(/alle onderdelen/.test((await axOf(page, '#section-list button[data-quiz]')).name), 'the lock is in the button\'s name');
      await assertAccessible(page, 'module.html – first section (teacher)');
      await shot(page, '03-first-section');
      for (let i = 0; i < mod.sections.length; i += 1) {
        await activate(page, '#next-button');
        if (i + 1 < mod.sections.length) {
          await waitForText(page, '#section-title', mod.sections[i + 1].title, `section ${i + 2}`);
          await focusIs(page, '#section-title', `after "Volgende" to section ${i + 2}`);
          await waitForText(page, '#module-progress-text', `${i + 1} van ${mod.sections.length}`, 'progress in words');
          if (i === 0) {
            await assertAccessible(page, 'module.html – mid-module, section 2 (teacher)');
            await assertAtAllWidths(page, 'module.html – mid-module, section 2 (teacher)');
          }
        }
      }
      await page.locator('#quiz-view:not([hidden])').waitFor();
      await focusIs(page, '#quiz-title', 'after the last section');
      await waitUntil(async () => (await page.locator('#quiz-questions fieldset.question').count()) > 0, 'the drawn questions');
      const done = await page.evaluate(() => [...document.querySelectorAll('#section-list button[data-section-id]')]
        .map((b) => b.textContent.includes('(afgerond)')));
      assert(done.length === mod.sections.length && done.every(Boolean), `every section says "(afgerond)" in words: ${done}`);
      await assertAccessible(page, 'module.html – quiz, questions (teacher)');
    });

    const bank = quizFromRepo(repoRoot, SLUG);
    let firstIds = [];
    await check('keyboard: sending with no answers → an alert names the open questions, each says so in words, focus on the first', async () => {
      await activate(page, '#quiz-submit');
      await waitForText(page, '#quiz-message', /Beantwoord eerst alle vragen/, 'the quiz message');
      await assertAnnounced(page, /Beantwoord eerst alle vragen/, 'the quiz message');
      await focusIs(page, '#quiz-questions fieldset.question:first-of-type input', 'after sending no answers');
      const marks = await page.evaluate(() => [...document.querySelectorAll('#quiz-questions fieldset.question')].map((fs) => {
        const box = fs.querySelector('.question-error');
        return {
          legend: fs.querySelector('legend').innerText,
          text: box && !box.hidden ? box.textContent : '',
          invalid: [...fs.querySelectorAll('input')].every((i) => i.getAttribute('aria-invalid') === 'true'),
        };
      }));
      marks.forEach((m, i) => {
        assert(/nog open/.test(m.text), `question ${i + 1} says in words that it is open: ${JSON.stringify(m.text)}`);
        assert(m.invalid, `the choices of question ${i + 1} are aria-invalid`);
        assert(m.legend.startsWith(`Vraag ${i + 1}`), `question ${i + 1} shows its number ("Vraag ${i + 1}") that the message names: ${JSON.stringify(m.legend)}`);
      });
      const ax = await axOf(page);
      assert(/nog open/.test(ax.description), `the focused choice is described by the open-question text: ${JSON.stringify(ax)}`);
      await assertAccessible(page, 'module.html – quiz, unanswered questions (teacher)');
    }, { blocks: false });

    await check('keyboard: a wrong attempt → focus on the result, "Niet geslaagd" announced, each question "Goed"/"Niet goed" in words', async () => {
      assert(bank, `the quiz of content/modules/${SLUG}`);
      const shown = await shownQuiz(page);
      firstIds = shown.map((q) => q.id);
      await answerByKeyboard(page, choose(shown, bank, false));
      // Answering a question clears its "nog open" at once, before sending.
      const stillOpen = await page.evaluate(() => document.querySelectorAll(
        '#quiz-questions .question-error:not([hidden]), #quiz-questions input[aria-invalid="true"]').length);
      assertEqual(stillOpen, 0, 'questions still marked open after answering them');
      await activate(page, '#quiz-submit');
      await page.locator('#quiz-result:not([hidden])').waitFor();
      await waitForText(page, '#quiz-result', 'Niet geslaagd', 'the result');
      await focusIs(page, '#quiz-result, #quiz-result *', 'after sending the answers');
      await assertAnnounced(page, /Niet geslaagd/, 'the result');
      const resultAx = await axOf(page, '#quiz-result');
      assert(resultAx.role === 'region' && resultAx.name === 'Niet geslaagd',
        `the result is a region named by its verdict: ${JSON.stringify(resultAx)}`);
      const ownAnswers = await page.evaluate(() => [...document.querySelectorAll('#quiz-questions input:checked')]
        .map((i) => (i.closest('.choice').querySelector('.your-answer') || {}).textContent || ''));
      assert(ownAnswers.length === firstIds.length && ownAnswers.every((t) => t === 'jouw antwoord'),
        `every chosen answer says "jouw antwoord": ${JSON.stringify(ownAnswers)}`);
      const verdicts = await page.evaluate(() => [...document.querySelectorAll('#quiz-questions fieldset.question')]
        .map((fs) => (fs.querySelector('.feedback .verdict') || {}).textContent || ''));
      assert(verdicts.length === firstIds.length && verdicts.every((v) => /^(Goed|Niet goed)/.test(v)),
        `a verdict in words per question: ${JSON.stringify(verdicts)}`);
      await assertAccessible(page, 'module.html – quiz failed, feedback (teacher)');
      await assertAtAllWidths(page, 'module.html – quiz failed, feedback (teacher)');
      await shot(page, '04-quiz-failed');
    });

    let certCode = '';
    await check('keyboard: "Opnieuw proberen" → new questions, focus on the quiz heading; right answers → "Geslaagd", focus on the result', async () => {
      await activate(page, '#retry-button');
      await focusIs(page, '#quiz-title', 'after "Opnieuw proberen"');
      await waitUntil(async () => {
        const ids = await page.evaluate(() => [...document.querySelectorAll('#quiz-questions fieldset.question')]
          .map((f) => f.dataset.questionId));
        return ids.length > 0 && ids.every((id) => !firstIds.includes(id));
      }, 'other questions on the retake');
      await answerByKeyboard(page, choose(await shownQuiz(page), bank, true));
      await activate(page, '#quiz-submit');
      await waitForText(page, '#quiz-result', 'Geslaagd', 'the result');
      assertEqual(await page.getAttribute('#quiz-result', 'data-passed'), 'true', 'passed');
      await focusIs(page, '#quiz-result, #quiz-result *', 'after sending the right answers');
      await assertAnnounced(page, /Geslaagd/, 'the result');
      assertEqual((await axOf(page, '#quiz-result')).name, 'Geslaagd', 'the name of the result region');
      await assertAccessible(page, 'module.html – quiz passed (teacher)');
      const href = await page.getAttribute('#certificate-link', 'href');
      certCode = decodeURIComponent((/[?&]code=([^&]+)/.exec(href || '') || [])[1] || '');
      assert(certCode, `certificate link: ${href}`);
    });

    let verifyUrl = '';
    await check('keyboard: "Bekijk je certificaat" → the certificate page (scan, reflow)', async () => {
      await activate(page, '#certificate-link');
      await page.waitForURL(/\/certificate\.html\?code=/);
      await waitForText(page, '#cert-holder', learner.name, 'holder');
      verifyUrl = (await page.textContent('#verify-link')).trim();
      assertEqual(verifyUrl, `${BASE_URL}/verificatie/${certCode}`, 'verification link');
      await assertAccessible(page, 'certificate.html – certificate (teacher)');
      await assertAtAllWidths(page, 'certificate.html – certificate (teacher)');
      await activate(page, '#copy-button');
      await waitForText(page, '#copy-status', 'De link is gekopieerd', 'the copy result');
      await assertAnnounced(page, /De link is gekopieerd/, 'the copy result');
      assertEqual(await page.evaluate(() => navigator.clipboard.readText()), verifyUrl, 'the copied link');
      await shot(page, '05-certificate');
    });

    await check('keyboard: the verification link → "Geldig certificaat" (scan); another code typed in → "Onbekende code" (scan)', async () => {
      await activate(page, '#verify-link');
      await page.waitForURL(`${BASE_URL}/verificatie/${certCode}`);
      await page.locator('#verdict[data-verdict="valid"]').waitFor();
      await assertAnnounced(page, /Geldig certificaat/, 'the verdict');
      await assertAutocomplete(page, 'verify.html');
      await assertAccessible(page, 'verify.html – valid certificate');
      await pasteInto(page, '#verify-code', 'A'.repeat(26));
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/verify\.html\?code=A+$/);
      await page.locator('#verdict[data-verdict="unknown"]').waitFor();
      await assertAnnounced(page, /Onbekende code/, 'the verdict');
      await assertAccessible(page, 'verify.html – unknown code');
      await shot(page, '06-verify-unknown');
    });

    await check('keyboard: the skip link moves the focus to the content; "Mijn modules" after passing (scan, reflow); unknown module and certificate pages (scan)', async () => {
      await page.goto(`${BASE_URL}/modules.html`);
      await page.locator(`#certificate-list li[data-code="${certCode}"]`).waitFor();
      await waitForText(page, `li.card[data-slug="${SLUG}"] .status-line`, /^Afgerond geldig tot \d{1,2} [a-z]+ \d{4}$/, 'completed, in words');
      await waitForText(page, `#certificate-list li[data-code="${certCode}"] .status`, 'Geldig', 'certificate status in words');
      await assertModuleStatuses(page);
      await assertAccessible(page, 'modules.html – module completed, certificate listed (teacher)');
      await assertAtAllWidths(page, 'modules.html – module completed, certificate listed (teacher)');
      await page.keyboard.press('Tab');
      await focusIs(page, 'a.skip-link', 'the first Tab stop');
      await page.keyboard.press('Enter');
      await focusIs(page, 'main#main', 'after the skip link');
      await page.goto(`${BASE_URL}/module.html?slug=bestaat-niet`);
      await waitForText(page, 'main h1', 'Module niet gevonden', 'unknown module');
      await assertAccessible(page, 'module.html – module not found (teacher)');
      await page.goto(`${BASE_URL}/certificate.html?code=${'B'.repeat(26)}`);
      await waitForText(page, 'main h1', 'Certificaat niet gevonden', 'unknown certificate');
      await assertAccessible(page, 'certificate.html – not found (teacher)');
    }, { blocks: false });
    await check('two failed attempts after passing: the quiz pauses in words (scan); "Lees nog eens" by keyboard opens the section with the focus on its heading', async () => {
      // The attempts go through the API (the keyboard part of the quiz is above).
      for (let k = 0; k < 2; k += 1) {
        let r = await context.request.post(`${BASE_URL}/api/v1/modules/${SLUG}/quiz`);
        assertEqual(r.status(), 201, `quiz start ${k + 1}`);
        const attempt = await r.json();
        r = await context.request.post(`${BASE_URL}/api/v1/modules/${SLUG}/attempts`,
          { data: { attempt_id: attempt.attempt_id, answers: answersForAttempt(bank, attempt, false) } });
        assertEqual(r.status(), 200, `attempt ${k + 1}`);
      }
      await page.goto(`${BASE_URL}/module.html?slug=${SLUG}`);
      await waitForText(page, '#pause-message', /vanaf \d{2}:\d{2} uur/i, 'the pause, in words');
      assertEqual((await axOf(page, '#quiz-result')).name, 'Even pauze', 'the name of the result region');
      await assertAccessible(page, 'module.html – quiz paused (teacher)');
      const sid = await page.getAttribute('#reread-list button[data-reread]', 'data-reread');
      await activate(page, '#reread-list button[data-reread]');
      await waitForText(page, '#section-title', mod.sections.find((x) => x.id === sid).title, 'the section to reread');
      await focusIs(page, '#section-title', 'after "Lees nog eens"');
    }, { blocks: false });
    await context.close();

    // -- 3. the demo teacher and IB'er ------------------------------------------------------
    for (const role of ['teacher', 'ib']) {
      const who = role === 'ib' ? "IB'er" : 'teacher';
      const acc = demo[role];
      if (!acc) continue;
      const { context: ctx, page: p } = await newPage(role);
      await check(`${who}: keyboard login → "Mijn modules" (scan), every module's status in words`, async () => {
        await p.goto(`${BASE_URL}/`);
        await p.locator('#login-email').waitFor();
        await pasteInto(p, '#login-email', acc.email);
        await pasteInto(p, '#login-password', acc.password);
        await p.keyboard.press('Enter');
        await p.waitForURL(/\/modules\.html$/);
        await p.locator('li.card').first().waitFor();
        await assertModuleStatuses(p);
        await assertAccessible(p, `modules.html – Mijn modules (${role})`);
      }, { needs: false, blocks: false });

      if (role === 'teacher') await check('another board puts the demo teacher on its roster: the invitation on "Mijn modules" (scan); keyboard "Weigeren" → the answer announced with the focus on it (scan)', async () => {
        const admin = await bearerLogin(demo.admin.email, demo.admin.password);
        const board = await bearerRequest('POST', '/boards', admin,
          { name: `Stichting Toetsenbord ${stamp}`, number: `7${String(Date.now()).slice(-8)}` });
        assertEqual(board.status, 201, 'board');
        const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
        // DUO's location code: four characters of BRIN and two digits, e.g. 32JK00.
        const two = () => String(randomBytes(1)[0] % 100).padStart(2, '0');
        const brin = `${two()}${letters[randomBytes(1)[0] % 26]}${letters[randomBytes(1)[0] % 26]}${two()}`;
        const school = await bearerRequest('POST', '/schools', admin,
          { board_id: board.body.id, name: `Basisschool Toetsenbord ${stamp}`, brin, municipality: 'Elders' });
        assertEqual(school.status, 201, `school ${brin}`);
        const baEmail = `bestuur.${stamp}@toetsenbord.example`;
        const baPassword = `bestuur-sleutel-${randomBytes(4).toString('hex')}`;
        assertEqual((await bearerRequest('POST', '/users', admin, { email: baEmail, name: 'Bestuur Toetsenbord',
          role: 'board_admin', password: baPassword, board_id: board.body.id })).status, 201, 'board admin');
        const ba = await bearerLogin(baEmail, baPassword);
        const up = await bearerRequest('POST', `/boards/${board.body.id}/roster`, ba,
          `email,name,role,brin\n${acc.email},Demo leerkracht,teacher,${brin}\n`, 'text/csv');
        assertEqual(up.status, 200, 'roster');
        assertEqual(up.body.invited, 1, 'invited');

        await p.goto(`${BASE_URL}/modules.html`);
        await p.locator('#invitations:not([hidden]) #invitation-list li').waitFor();
        await assertAccessible(p, 'modules.html – invitation of another board (teacher)');
        // Without a connection the answer fails: said in words, the focus back on the button.
        await ctx.setOffline(true);
        await activate(p, '#invitation-list li button:not(.button-primary)');
        await waitForText(p, '#invitations-message', 'Dat is niet gelukt', 'the failure');
        await focusIs(p, '#invitation-list li button:not(.button-primary)', 'after a failed "Weigeren"');
        await assertAnnounced(p, /Dat is niet gelukt/, 'the failure');
        await ctx.setOffline(false);
        await p.keyboard.press('Enter');
        await waitForText(p, '#invitations-message', 'Geweigerd', 'the answer');
        await focusIs(p, '#invitations-message', 'after "Weigeren" (its item is gone)');
        await assertAnnounced(p, /Geweigerd/, 'the answer');
        await assertAccessible(p, 'modules.html – invitation declined (teacher)');
      }, { needs: false, blocks: false });

      await check(`${who}: keyboard to "Mijn account" (scan); the password form's errors tied to their fields (scan)`, async () => {
        await activate(p, '#user-nav a.account-link');
        await p.waitForURL(/\/account\.html$/);
        await p.locator('#account-view:not([hidden])').waitFor();
        await assertAutocomplete(p, `account.html (${role})`);
        await assertAccessible(p, `account.html – Mijn account (${role})`);
        await activate(p, '#password-form button[type="submit"]');
        await focusIs(p, '#password-current', 'after an empty password change');
        await assertFieldError(p, 'password-current', /huidige wachtwoord/);
        await assertFieldError(p, 'password-new', /nieuw wachtwoord/i);
        await assertFieldError(p, 'password-new2', /nog een keer/);
        await assertAnnounced(p, /huidige wachtwoord/, 'the first error');
        await assertAccessible(p, `account.html – password change, empty form errors (${role})`);
        // Two different new passwords: only the repetition is wrong.
        await pasteInto(p, '#password-current', 'niet-mijn-wachtwoord-99');
        await pasteInto(p, '#password-new', `nieuw-${learner.password}`);
        await typeInto(p, '#password-new2', `anders-${learner.password}`);
        await p.keyboard.press('Enter');
        await focusIs(p, '#password-new2', 'after two different new passwords');
        await assertFieldError(p, 'password-new2', /niet gelijk/);
        await assertNotInvalid(p, ['password-current', 'password-new']);
        await assertAccessible(p, `account.html – password change, passwords differ (${role})`);
        // The same new password twice, a wrong current one: the server's answer.
        await pasteInto(p, '#password-new2', `nieuw-${learner.password}`);
        await p.keyboard.press('Enter');
        await waitUntil(() => p.evaluate(() => document.getElementById('password-current')
          .getAttribute('aria-invalid') === 'true'), 'the current password marked invalid');
        await focusIs(p, '#password-current', 'after a wrong current password');
        await assertFieldError(p, 'password-current', /klopt niet/);
        await assertAnnounced(p, /klopt niet/, 'the server\'s error');
        await assertAccessible(p, `account.html – password change, wrong current password (${role})`);
        const me = await ctx.request.get(`${BASE_URL}/api/v1/me`);
        assertEqual(me.status(), 200, 'still logged in (the password did not change)');
      }, { needs: false, blocks: false });

      // Once is enough for the buttons below (the same page for both roles).
      if (role === 'teacher') await check(`${who}: keyboard "Bevestigingsmail opnieuw sturen" and "Mijn gegevens downloaden": the answer announced, the focus stays on the button`, async () => {
        await p.goto(`${BASE_URL}/account.html`);
        await p.locator('#account-view:not([hidden])').waitFor();
        await activate(p, '#resend-button');
        await waitUntil(() => p.evaluate(() => !document.getElementById('resend-message').hidden), 'the resend answer');
        await assertAnnounced(p, /bevestig|gestuurd/i, 'the resend answer');
        await focusIs(p, '#resend-button', 'after "Bevestigingsmail opnieuw sturen"');
        await assertAccessible(p, `account.html – confirmation mail asked again (${role})`);
        const download = p.waitForEvent('download');
        await activate(p, '#export-button');
        assertEqual((await download).suggestedFilename(), 'mijn-gegevens.json', 'the downloaded file');
        await waitForText(p, '#export-message', 'gedownload', 'the export answer');
        await assertAnnounced(p, /gedownload/, 'the export answer');
        await focusIs(p, '#export-button', 'after "Mijn gegevens downloaden"');
        await assertAccessible(p, `account.html – data downloaded (${role})`);
      }, { needs: false, blocks: false });
      await ctx.close();
    }

    await checkConsole(consoleProblems);
  } finally {
    await browser.close();
  }
}

/** Every module card says its status and its progress in words, not in colour alone. */
async function assertModuleStatuses(page) {
  const cards = await page.evaluate(() => [...document.querySelectorAll('#module-list li.card')].map((c) => {
    const progress = c.querySelector('progress');
    const names = (progress && progress.getAttribute('aria-labelledby') || '').split(/\s+/)
      .map((id) => document.getElementById(id)).filter(Boolean).map((n) => n.textContent.trim());
    return {
      slug: c.dataset.slug,
      status: (c.querySelector('.status-line .status') || {}).textContent || '',
      progressText: (c.querySelector('.progress-text') || {}).textContent || '',
      progressName: names.join(' '),
    };
  }));
  assert(cards.length > 0, 'module cards on the page');
  for (const c of cards) {
    assert(/^(Nog niet begonnen|Bezig|Afgerond|Verlopen)$/.test(c.status.trim()),
      `${c.slug}: a status in words, got ${JSON.stringify(c.status)}`);
    assert(/^\d+ van \d+ onderdelen klaar$/.test(c.progressText.trim()), `${c.slug}: progress in words, got ${JSON.stringify(c.progressText)}`);
    assert(c.progressName.includes(c.progressText.trim()), `${c.slug}: the progress bar is named by its words`);
  }
}

await run(main);
