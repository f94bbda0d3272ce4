// Keyboard-only and zoomed browser test of the board, region and admin dashboards
// (issue 16), in Debian's Chromium through playwright-core (harness.mjs, as
// every browser test). Every action is a key press (Tab, Shift+Tab, Enter, Space, arrows,
// typing); a file is chosen the way a keyboard user does: Tab to the file input, Space,
// and the operating system's dialog (playwright's "filechooser" event) gets the file.
// Every state reached is scanned by axe-core (a11y.mjs, WCAG 2.0/2.1/2.2 A and AA).
//
//   board admin: the schools table sorted by keyboard (aria-sort follows); the filter
//   with an error; a school's detail (focus on its heading), the package checklist with
//   a date in the future (error tied to the field), closing the detail (focus back on
//   its button); the charts and their text alternatives (the same numbers in a table);
//   "Nieuwe code" cancelled; the roster upload: a file with two bad lines and one new
//   person (the errors name line and field, focus moves to them, nothing is imported),
//   then the corrected file (the new person is created once, the others unchanged;
//   focus moves to the result). The roster is put back at the end.
//   admin: the board picker (empty, with its error, then opened); every section of
//   admin.html with its form errors; a region created; a refused DUO register.
//   region viewer: region.html, suppressed groups in words, the picker with an error.
//   320×740 and 640×450 (1280 px at 200 %): board, region and admin do not scroll
//   sideways; every table or chart box that scrolls can be reached with Tab, has a
//   name, and scrolls with the arrow keys. Scanned at 320 px too.
//
// The test changes the stack only by: one new region (unique name), one roster upload
// that adds a person and one that removes that person again (the roster as it was).
//
// Environment: BASE_URL, DEMO_ACCOUNTS (TSV role<TAB>email<TAB>password: board_admin,
// admin, region_viewer), SCREENSHOT_DIR, A11Y_REPORT, CHROMIUM; see tests/run-browser.sh.
// Prints "ok - ..." / "not ok - ..." per check and "N passed, M failed" at the end;
// exits 1 when a check failed.

import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import {
  assertAccessible, assertReflows, focusedElement, tabTo,
} from './a11y.mjs';
import {
  BASE_URL, DEMO_ACCOUNTS, assert, assertEqual, blockedBy, check, checkConsole, configure, keyboardLogin,
  launchChromium, openPage, part, readAccounts, run, shot, squash, textOf, waitForText, waitUntil,
  watchConsole,
} from './harness.mjs';

const UPLOAD_TIMEOUT = 60000;
const SUPPRESSED_TEXT = 'niet getoond — kleine groep of terug te rekenen';

configure({ errorLines: 12, pollInterval: 100 });

/** A Dutch percentage as the pages write it: 87.5 → "87,5%". */
const pct = (v) => `${new Intl.NumberFormat('nl-NL', { maximumFractionDigits: 1 }).format(Number(v))}%`;

// ---- keyboard and announcement helpers -----------------------------------------------

/** Logs in through the API (setup only: the keyboard login is tested once, by the board admin). */
async function apiLogin(context, account) {
  const res = await context.request.post(`${BASE_URL}/api/v1/auth/login`, { data: { email: account.email, password: account.password } });
  assertEqual(res.status(), 200, `login of ${account.email}`);
}

/** True when the focus is on (or inside) the element that matches `selector`. */
async function focusIsIn(page, selector) {
  return page.evaluate((sel) => {
    const target = document.querySelector(sel);
    return Boolean(target && document.activeElement && target.contains(document.activeElement));
  }, selector);
}

async function assertFocus(page, selector, what) {
  await waitUntil(() => focusIsIn(page, selector),
    `${what}: focus should be on ${selector}`, 5000).catch(async (err) => {
    throw new Error(`${err.message}; it is on ${await focusedElement(page)}`);
  });
}

/**
 * The text reaches a screen reader: it stands in a live region (role alert or status,
 * or aria-live polite/assertive) that is shown, or the focused element contains it or
 * is described by it. `live: true` when the focus did not move (Enter in a field):
 * then only a live region is read out.
 */
async function assertAnnounced(page, text, what, { live = false } = {}) {
  await waitUntil(() => page.evaluate(({ t, liveOnly }) => {
    const norm = (s) => (s || '').replace(/\s+/g, ' ');
    const shown = (n) => n.getClientRects().length > 0 && !n.closest('[hidden], [aria-hidden="true"]');
    for (const n of document.querySelectorAll('[role="alert"], [role="status"], [aria-live="polite"], [aria-live="assertive"]')) {
      if (shown(n) && norm(n.innerText).includes(t)) return true; // innerText: only what is shown
    }
    const a = document.activeElement;
    if (liveOnly || !a || a === document.body) return false;
    if (norm(a.textContent).includes(t)) return true;
    const ids = (a.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
    return ids.some((id) => {
      const d = document.getElementById(id);
      return d && shown(d) && norm(d.textContent).includes(t);
    });
  }, { t: text, liveOnly: live }), `${what}: "${text}" is not in a live region${live ? '' : ' nor on the focused element'}`, 5000);
}

/**
 * A field error a screen reader finds: aria-invalid="true", aria-describedby names a
 * shown element with the text; returns that text.
 */
async function assertFieldError(page, inputSelector, expected, what) {
  const info = await waitUntil(() => page.evaluate((sel) => {
    const input = document.querySelector(sel);
    if (!input || input.getAttribute('aria-invalid') !== 'true') return null;
    const ids = (input.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
    const texts = ids.map((id) => document.getElementById(id))
      .filter((d) => d && d.getClientRects().length > 0 && !d.closest('[hidden]'))
      .map((d) => d.textContent.replace(/\s+/g, ' ').trim()).filter(Boolean);
    return texts.length ? { texts } : null;
  }, inputSelector), `${what}: ${inputSelector} has aria-invalid="true" and a shown error in aria-describedby`, 5000);
  const joined = info.texts.join(' | ');
  assert(expected instanceof RegExp ? expected.test(joined) : joined.includes(expected),
    `${what}: error text of ${inputSelector}: expected ${expected}, got "${joined}"`);
  return joined;
}

/**
 * Opens the file chooser of a file input by keyboard (Tab to it, Space) and picks
 * `file`. The chooser is intercepted from the page's start (watchFileChooser), so a
 * key press cannot come before playwright listens; should the dialog not open, Enter
 * is tried, as a user would.
 */
async function chooseFileByKeyboard(page, inputSelector, file) {
  await tabTo(page, inputSelector, { limit: 80 });
  for (const key of ['Space', 'Enter']) {
    const opened = page.waitForEvent('filechooser', { timeout: 4000 }).catch(() => null);
    await page.keyboard.press(key);
    const chooser = await opened;
    if (chooser) {
      await chooser.setFiles(file);
      return;
    }
  }
  throw new Error(`neither Space nor Enter on ${inputSelector} opened the file dialog (focus on ${await focusedElement(page)})`);
}

/** Follows an in-page link of the "Op deze pagina" list with Tab and Enter. */
async function jumpTo(page, hash) {
  await focusTop(page);
  await tabTo(page, `.page-links a[href="${hash}"]`, { limit: 40 });
  await page.keyboard.press('Enter');
  await waitUntil(() => page.evaluate((h) => window.location.hash === h, hash), `went to ${hash}`, 3000);
}

/**
 * Puts the keyboard's starting point at the top of the content, where the skip link
 * "Naar de inhoud" puts it (the next Tab goes to the first stop in <main>).
 */
async function focusTop(page) {
  await page.evaluate(() => { window.scrollTo(0, 0); document.getElementById('main').focus(); });
}

/**
 * Every box that scrolls sideways (tables, charts) at this viewport: a keyboard user
 * can reach it with Tab (tabindex 0, or a focusable control inside that it scrolls
 * to is not enough for a wide table: the box itself), it has role region and a name,
 * and ArrowRight scrolls it. Returns the number of such boxes.
 */
async function assertScrollBoxesUsable(page, label) {
  const scan = () => page.evaluate(() => {
    for (const old of document.querySelectorAll('[data-kb-scroll]')) old.removeAttribute('data-kb-scroll');
    const out = [];
    let n = 0;
    for (const box of document.querySelectorAll('#main *')) {
      const cs = getComputedStyle(box);
      if (!['auto', 'scroll'].includes(cs.overflowX)) continue;
      // Not rendered: hidden, or in a closed <details> (content-visibility: hidden).
      if (!box.checkVisibility() || box.closest('[hidden]')) continue;
      if (box.scrollWidth <= box.clientWidth + 1) continue;
      n += 1;
      box.setAttribute('data-kb-scroll', String(n));
      const ids = (box.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean);
      const name = (box.getAttribute('aria-label')
        || ids.map((id) => (document.getElementById(id) || {}).textContent || '').join(' ')).trim();
      out.push({
        n, tabindex: box.getAttribute('tabindex'), role: box.getAttribute('role'), name,
        what: `${box.tagName.toLowerCase()}.${String(box.className).split(/\s+/).join('.')} "${name.slice(0, 40)}"`,
      });
    }
    return out;
  });
  const problems = (list) => list.flatMap((b) => [
    b.tabindex === '0' ? null : `${b.what} (#${b.n}) has tabindex ${b.tabindex}, not 0`,
    b.role === 'region' ? null : `${b.what} (#${b.n}) has role ${b.role}, not region`,
    b.name ? null : `${b.what} (#${b.n}) has no name (aria-labelledby or aria-label)`,
  ]).filter(Boolean);
  // The page marks a box when it starts to scroll (a ResizeObserver, on the next frame).
  let boxes = await scan();
  const end = Date.now() + 2000;
  while (problems(boxes).length && Date.now() < end) {
    await new Promise((r) => { setTimeout(r, 100); });
    boxes = await scan();
  }
  assert(problems(boxes).length === 0, `${label}: scrolling boxes a keyboard user cannot use: ${problems(boxes).join('; ')}`);
  // The first one is scrolled with the keyboard: Tab to it, ArrowRight.
  if (boxes.length) {
    const sel = `[data-kb-scroll="${boxes[0].n}"]`;
    await focusTop(page);
    await tabTo(page, sel, { limit: 120 });
    // From the start (an earlier call may have scrolled it to the end already).
    const before = await page.locator(sel).evaluate((b) => { b.scrollLeft = 0; return b.scrollLeft; });
    for (let i = 0; i < 4; i += 1) await page.keyboard.press('ArrowRight');
    await waitUntil(() => page.locator(sel).evaluate((b, x) => b.scrollLeft > x, before),
      `${label}: ArrowRight scrolls ${boxes[0].what}`, 3000);
  }
  return boxes.length;
}

/** Names in the schools table, in the order shown. */
async function tableNames(page) {
  return (await page.locator('#schools tbody tr[data-school-id] th .school-name').allTextContents()).map(squash);
}

// ---- the test ------------------------------------------------------------------------

async function main() {
  const stamp = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const consoleProblems = [];
  let accounts = {};

  part('setup');
  await check(`DEMO_ACCOUNTS (${DEMO_ACCOUNTS}) names a board_admin, an admin and a region_viewer`, () => {
    assert(existsSync(DEMO_ACCOUNTS), 'set DEMO_ACCOUNTS to the TSV of demo accounts');
    accounts = readAccounts(DEMO_ACCOUNTS);
    for (const role of ['board_admin', 'admin', 'region_viewer']) assert(accounts[role], `no ${role} line in DEMO_ACCOUNTS`);
  });
  await check(`API health at ${BASE_URL}/api/v1/health`, async () => {
    const res = await fetch(`${BASE_URL}/api/v1/health`);
    assertEqual(res.status, 200, 'health status');
  });
  if (blockedBy()) return;

  const browser = await launchChromium();
  if (!browser) return;

  const newContext = async (label) => {
    const { context, page } = await openPage(browser);
    // Only a refused request (4xx) is no problem; a 5xx or a failed connection is.
    watchConsole(page, label, consoleProblems, /^Failed to load resource: the server responded with a status of (4\d\d)/);
    // Intercept file dialogs from the start (see chooseFileByKeyboard).
    page.on('filechooser', () => {});
    // Reads through the page's own session (cookie), never acts for the user.
    const api = async (path) => page.evaluate(async (p) => {
      const res = await fetch(`/api/v1${p}`, { credentials: 'same-origin' });
      let body = null;
      try { body = await res.json(); } catch (e) { /* not JSON */ }
      return { status: res.status, body };
    }, path);
    return { context, page, api };
  };

  try {
    // ====================================================================== board admin
    part('board admin, keyboard only');
    const { context: bctx, page, api } = await newContext('board_admin');
    let boardId = null;
    let coverage = null;

    await check('board admin logs in with the keyboard and lands on board.html; first view scanned', async () => {
      await keyboardLogin(page, accounts.board_admin);
      await page.waitForURL(/\/board\.html/);
      await page.locator('#schools tbody tr[data-school-id]').first().waitFor();
      const me = await api('/me');
      boardId = me.body.board.id;
      coverage = (await api(`/boards/${boardId}/coverage`)).body;
      assert(coverage.schools.length >= 2, `the demo board has at least two schools (${coverage.schools.length})`);
      await page.locator('#history-chart svg').waitFor();
      await page.locator('#codes-table').waitFor();
      await assertAccessible(page, 'board.html – first view (board_admin)');
      // Below the target (100 %) or without a certified aandachtsfunctionaris: said in
      // words in the row, not only by the colour of the bar and the row's edge.
      for (const s of coverage.schools) {
        const row = await textOf(page.locator(`#schools tr[data-school-id="${s.school_id}"]`));
        const below = Number(s.coverage_pct) < 100 || !s.has_certified_af;
        assertEqual(row.includes('onder doel'), below, `"onder doel" in words for ${s.name}`);
        assert(row.includes(s.has_certified_af ? 'Ja' : 'Nee'), `aandachtsfunctionaris in words for ${s.name}: ${row}`);
      }
    });

    await check('schools table: Enter and Space on a column header sort it; aria-sort follows and is announced', async () => {
      await focusTop(page);
      await tabTo(page, '#schools th[data-key="teachers"] .sort-button', { limit: 80 });
      await page.keyboard.press('Enter');
      const th = page.locator('#schools th[data-key="teachers"]');
      await waitUntil(async () => (await th.getAttribute('aria-sort')) === 'ascending', 'aria-sort ascending after Enter');
      assertEqual(await page.locator('#schools th[aria-sort]').count(), 1, 'one sorted column');
      const byTeachers = (dir) => coverage.schools.slice()
        .sort((a, b) => dir * (a.teachers - b.teachers) || 0).map((s) => squash(s.name));
      const asc = await tableNames(page);
      const ascTeachers = asc.map((n) => coverage.schools.find((s) => squash(s.name) === n).teachers);
      assert(ascTeachers.every((t, i) => i === 0 || ascTeachers[i - 1] <= t), `ascending by staff: ${ascTeachers}`);
      await assertAnnounced(page, 'Medewerkers, oplopend', 'sort order');
      await page.keyboard.press('Space');
      await waitUntil(async () => (await th.getAttribute('aria-sort')) === 'descending', 'aria-sort descending after Space');
      const descTeachers = (await tableNames(page)).map((n) => coverage.schools.find((s) => squash(s.name) === n).teachers);
      assert(descTeachers.every((t, i) => i === 0 || descTeachers[i - 1] >= t), `descending by staff: ${descTeachers}`);
      assert(byTeachers(-1).length === descTeachers.length, 'every school shown');
      await assertAnnounced(page, 'Medewerkers, aflopend', 'sort order');
      assert(await focusIsIn(page, '#schools th[data-key="teachers"]'), 'focus stays on the header button');
      await assertAccessible(page, 'board.html – schools sorted by keyboard (board_admin)');
    }, { blocks: false });

    await check('filter: a target of 150 gives an error tied to the field; 80 and "onder het doel" filter, the count is announced', async () => {
      await focusTop(page);
      await tabTo(page, '#filter-target', { limit: 40 });
      await page.keyboard.press('Control+A');
      await page.keyboard.type('150');
      await assertFieldError(page, '#filter-target', 'percentage van 0 tot en met 100', 'target 150');
      await assertAnnounced(page, 'percentage van 0 tot en met 100', 'target error', { live: true }); // typing: the focus stays
      await assertAccessible(page, 'board.html – filter with an error (board_admin)');
      await page.keyboard.press('Control+A');
      await page.keyboard.type('80');
      await waitUntil(async () => (await page.getAttribute('#filter-target', 'aria-invalid')) === null, 'error gone at 80');
      await tabTo(page, '#filter-below');
      await page.keyboard.press('Space');
      const below = coverage.schools.filter((s) => Number(s.coverage_pct) < 80 || !s.has_certified_af).length;
      const expected = below === coverage.schools.length ? `${below} scholen.` : `${below} van ${coverage.schools.length} scholen getoond.`;
      await waitForText(page.locator('#filter-count'), expected, 'filter count');
      await assertAnnounced(page, expected, 'filter count');
      await assertAccessible(page, 'board.html – filtered (board_admin)');
      await tabTo(page, '#filter-reset');
      await page.keyboard.press('Enter');
      // The reset runs after the form's own reset (a timeout): wait for the target again.
      await waitUntil(async () => (await page.inputValue('#filter-target')) === '100'
        && !(await page.isChecked('#filter-below')), 'filters cleared');
      await waitForText(page.locator('#filter-count'), `${coverage.schools.length} scholen.`, 'after "Filters wissen"');
    }, { blocks: false });

    await check('charts: the bar chart is an image with a name and description, and the table states the same percentage per school', async () => {
      const bar = await waitUntil(() => page.locator('#bar-chart svg.bar-chart').evaluate((svg) => {
        if (!svg.isConnected) return null; // redrawn meanwhile: read the new one
        const ids = (svg.getAttribute('aria-labelledby') || '').split(/\s+/);
        return {
          role: svg.getAttribute('role'),
          name: ids.map((id) => (document.getElementById(id) || {}).textContent || '').join(' '),
          rows: [...svg.querySelectorAll('g.chart-row')].map((g) => ({
            label: g.getAttribute('data-label'), value: (g.querySelector('.chart-value') || {}).textContent || null,
          })),
        };
      }), 'the bar chart');
      assertEqual(bar.role, 'img', 'role of the bar chart');
      assert(/staafdiagram met \d+ scholen/i.test(bar.name) && /tabel/.test(bar.name), `bar chart name and description: ${bar.name}`);
      assertEqual(bar.rows.length, coverage.schools.length, 'bars');
      for (const row of bar.rows) {
        const school = coverage.schools.find((s) => squash(s.name) === squash(row.label));
        assert(school, `bar ${row.label} is a school of the board`);
        assertEqual(row.value, pct(school.coverage_pct), `bar value of ${row.label}`);
        const cell = await page.locator(`#schools tr[data-school-id="${school.school_id}"]`).evaluate((tr) => {
          const index = [...tr.closest('table').querySelectorAll('thead th')].findIndex((th) => th.dataset.key === 'coverage_pct');
          return tr.children[index].textContent.trim();
        });
        assertEqual(cell, pct(school.coverage_pct), `table percentage of ${row.label}`);
      }
    });

    await check('charts: the line chart has a name; "Toon de cijfers per maand als tabel" opens with Enter and lists every month with the API\'s percentage', async () => {
      const hist = (await api(`/boards/${boardId}/coverage/history`)).body;
      const name = await page.locator('#history-chart svg.line-chart').evaluate((svg) => (svg.getAttribute('aria-labelledby') || '')
        .split(/\s+/).map((id) => (document.getElementById(id) || {}).textContent || '').join(' '));
      assert(/lijngrafiek over 24 maanden/i.test(name), `line chart name: ${name}`);
      await jumpTo(page, '#history-section');
      await tabTo(page, '#history-chart summary');
      await page.keyboard.press('Enter');
      await waitUntil(() => page.locator('#history-chart details').evaluate((d) => d.open), 'details open');
      const rows = page.locator('#history-chart details tbody tr');
      assertEqual(await rows.count(), hist.length, 'months in the table');
      const cells = await rows.evaluateAll((trs) => trs.map((tr) => tr.lastElementChild.textContent.trim()));
      const expected = hist.slice().reverse().map((m) => pct(m.coverage_pct));
      assertEqual(JSON.stringify(cells), JSON.stringify(expected), 'percentages per month, newest first');
      await assertAccessible(page, 'board.html – history table open (board_admin)');
    });

    const school = coverage ? coverage.schools.slice().sort((a, b) => b.teachers - a.teachers)[0] : null;
    await check('school detail: Enter on "Details" opens it with the focus on its heading; staff and expiring scanned', async () => {
      await focusTop(page);
      await tabTo(page, `#schools [data-open-school="${school.school_id}"]`, { limit: 80 });
      await page.keyboard.press('Enter');
      await page.locator('#school-detail:not([hidden])').waitFor();
      await assertFocus(page, '#detail-title', 'after "Details"');
      await waitForText(page.locator('#detail-title'), school.name, 'detail heading');
      await page.locator('#staff-table tbody tr[data-email]').first().waitFor();
      await waitUntil(async () => !(await textOf(page.locator('#expiring-box'))).includes('Wordt geladen'), 'expiring loaded');
      await assertAnnounced(page, 'medewerkers, van wie', 'staff count');
      await assertAccessible(page, 'board.html – school detail with staff (board_admin)');
    });

    await check('staff table: sorted by "Account" with the keyboard; "Alleen wie nog niet alles heeft afgerond" with Space', async () => {
      await tabTo(page, '#staff-missing-only');
      await page.keyboard.press('Space');
      await assertAnnounced(page, 'nog niet alles hebben afgerond', 'staff filter');
      await tabTo(page, '#staff-table th[data-key="registered"] .sort-button');
      await page.keyboard.press('Enter');
      await waitUntil(async () => (await page.getAttribute('#staff-table th[data-key="registered"]', 'aria-sort')) === 'ascending',
        'aria-sort on "Account"');
      await page.keyboard.press('Shift+Tab');
      await tabTo(page, '#staff-missing-only', { backwards: true });
      await page.keyboard.press('Space');
      await assertAccessible(page, 'board.html – staff sorted and filtered (board_admin)');
    }, { blocks: false });

    await check('package checklist: a date in the future is refused next to its field (aria-invalid, described, focus back on the date), nothing saved', async () => {
      const before = (await api(`/boards/${boardId}/coverage`)).body.schools
        .find((s) => s.school_id === school.school_id).package.tv_series ?? null;
      await tabTo(page, '#pkg-tv_series', { limit: 80 });
            await page.keyboard.type('01012099'); // 1 January 2099 in either order of day and month
      await tabTo(page, '[data-item="tv_series"] button[data-action="save"]', { limit: 4 }); // past the day, month and year
      await page.keyboard.press('Enter');
      await assertFieldError(page, '#pkg-tv_series', 'in de toekomst', 'future date');
      await assertFocus(page, '#pkg-tv_series', 'after the refused date');
      await assertAnnounced(page, 'in de toekomst', 'future date');
      await assertAccessible(page, 'board.html – package item with an error (board_admin)');
      const after = (await api(`/boards/${boardId}/coverage`)).body.schools
        .find((s) => s.school_id === school.school_id).package.tv_series ?? null;
      assertEqual(after, before, 'package.tv_series unchanged');
    }, { blocks: false });

    await check('school detail: "Sluiten" with Enter closes it and the focus returns to its "Details" button', async () => {
      await tabTo(page, '#detail-close', { backwards: true, limit: 80 });
      await page.keyboard.press('Enter');
      await page.locator('#school-detail').waitFor({ state: 'hidden' });
      await assertFocus(page, `#schools [data-open-school="${school.school_id}"]`, 'after "Sluiten"');
    }, { blocks: false });

    await check('join codes: "Nieuwe code" with Enter asks first; cancelling keeps the code and the focus', async () => {
      const r = await api(`/boards/${boardId}/schools`);
      await jumpTo(page, '#codes-section');
      await tabTo(page, `#codes-table [data-new-code="${r.body[0].id}"]`, { limit: 40 });
      let asked = '';
      page.once('dialog', (dialog) => { asked = dialog.message(); dialog.dismiss(); });
      await page.keyboard.press('Enter');
      await waitUntil(() => asked, 'a confirmation dialog');
      assert(/nieuwe schoolcode/i.test(asked), `dialog text: ${asked}`);
      assert(await focusIsIn(page, `#codes-table [data-new-code="${r.body[0].id}"]`), 'focus stays on the button');
      assertEqual((await api(`/boards/${boardId}/schools`)).body[0].join_code, r.body[0].join_code, 'code unchanged');
      await assertAccessible(page, 'board.html – join codes (board_admin)');
    }, { blocks: false });

    // Roster: the current staff, a new person, and two bad lines; then corrected.
    let staffBefore = null;
    let rosterLines = null;
    const newEmail = `kb-${stamp}@voorbeeld.nl`;
    let erasedRows = 0; // in the last snapshot
    const staffSnapshot = async () => {
      const all = [];
      erasedRows = 0;
      for (const s of coverage.schools) {
        const r = await api(`/boards/${boardId}/schools/${s.school_id}/staff`);
        assertEqual(r.status, 200, `GET staff of ${s.name}`);
        // An erased person's row keeps its place (past counts stay right) under an
        // address no upload may use (EMAIL_ERASED_DOMAIN); a roster that omits it
        // removes it, as a board admin's next roster would.
        for (const p of r.body) {
          if (p.email.endsWith('@verwijderd.invalid')) erasedRows += 1;
          else all.push({ email: p.email, name: p.name, role: p.role, brin: s.brin });
        }
      }
      return all.sort((a, b) => a.email.localeCompare(b.email));
    };
    const csvField = (v) => (/[",;\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
    const csvFile = (name, lines) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8') });

    await check('roster upload by keyboard: two bad lines are listed (line and field), focus moves to the list, nothing is imported (not even the good new line)', async () => {
      staffBefore = await staffSnapshot();
      rosterLines = staffBefore.map((p) => [p.email, p.name, p.role, p.brin].map(csvField).join(','));
      const brin = coverage.schools[0].brin;
      const lines = ['email,name,role,brin', ...rosterLines,
        `${newEmail},Nieuwe Collega ${stamp},teacher,${brin}`,
        `geen-geldig-adres,Foute Regel ${stamp},teacher,${brin}`,
        `kb2-${stamp}@voorbeeld.nl,Tweede Fout ${stamp},directeur,${brin}`];
      const badEmailLine = rosterLines.length + 3;
      const badRoleLine = rosterLines.length + 4;
      await jumpTo(page, '#roster-section');
      await chooseFileByKeyboard(page, '#roster-file', csvFile('personeel-fout.csv', lines));
      await waitForText(page.locator('#roster-file-name'), 'personeel-fout.csv', 'chosen file name');
      await tabTo(page, '#roster-form button[type="submit"]');
      await page.keyboard.press('Enter');
      await page.locator('#roster-result .message').waitFor({ timeout: UPLOAD_TIMEOUT });
      await assertFocus(page, '#roster-result', 'after the refused upload');
      const message = await textOf(page.locator('#roster-result .message'));
      assert(message.includes('niets veranderd'), `message says nothing changed: ${message}`);
      await assertAnnounced(page, 'niets veranderd', 'refused roster');
      const rows = await page.locator('#roster-result table.error-table tbody tr').evaluateAll((trs) => trs.map((tr) => ({
        line: tr.getAttribute('data-line'), cells: [...tr.children].map((c) => c.textContent.replace(/\s+/g, ' ').trim()),
      })));
      assertEqual(rows.length, 2, `two errors: ${JSON.stringify(rows)}`);
      assertEqual(rows[0].cells[0], String(badEmailLine), 'line of the bad address');
      assert(/e-mailadres/i.test(rows[0].cells.join(' ')), `the error names the field (e-mailadres): ${rows[0].cells}`);
      assertEqual(rows[1].cells[0], String(badRoleLine), 'line of the bad role');
      assert(/rol/i.test(rows[1].cells.join(' ')), `the error names the field (rol): ${rows[1].cells}`);
      await assertAccessible(page, 'board.html – roster refused, line errors (board_admin)');
      assertEqual(JSON.stringify(await staffSnapshot()), JSON.stringify(staffBefore), 'staff unchanged: the good new line was not imported either');
    });

    await check('roster upload by keyboard: the corrected file is accepted; focus moves to the result; the new person is created once, nobody else changes', async () => {
      const brin = coverage.schools[0].brin;
      const lines = ['email,name,role,brin', ...rosterLines, `${newEmail},Nieuwe Collega ${stamp},teacher,${brin}`];
      const erasedBefore = erasedRows;
      await focusTop(page);
      await jumpTo(page, '#roster-section');
      await chooseFileByKeyboard(page, '#roster-file', csvFile('personeel-goed.csv', lines));
      await waitForText(page.locator('#roster-file-name'), 'personeel-goed.csv', 'chosen file name');
      assertEqual(await page.locator('#roster-result').textContent(), '', 'the old errors are gone once a new file is chosen');
      await tabTo(page, '#roster-form button[type="submit"]');
      await page.keyboard.press('Enter');
      await page.locator('#roster-summary').waitFor({ timeout: UPLOAD_TIMEOUT });
      await assertFocus(page, '#roster-result', 'after the accepted upload');
      await assertAnnounced(page, 'De personeelslijst is verwerkt', 'accepted roster');
      const n = async (key) => Number(await textOf(page.locator(`#roster-summary li[data-key="${key}"] strong`)));
      assertEqual(await n('created'), 1, 'created');
      assertEqual(await n('removed'), erasedBefore, 'removed (only rows of erased people)');
      assertEqual((await n('unchanged')) + (await n('updated')), rosterLines.length, 'unchanged + updated');
      await assertAccessible(page, 'board.html – roster accepted (board_admin)');
      const after = await staffSnapshot();
      assertEqual(after.filter((p) => p.email === newEmail).length, 1, 'the new person is on the list once');
      assertEqual(JSON.stringify(after.filter((p) => p.email !== newEmail)), JSON.stringify(staffBefore), 'everybody else as before');
    });

    if (rosterLines) await check('cleanup: the roster as it was (the new person removed again)', async () => {
      const csv = `${['email,name,role,brin', ...rosterLines].join('\r\n')}\r\n`;
      const res = await page.evaluate(async ({ path, body }) => {
        const r = await fetch(path, { method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'text/csv' }, body });
        return { status: r.status, body: await r.text() };
      }, { path: `/api/v1/boards/${boardId}/roster`, body: csv });
      assertEqual(res.status, 200, `roster put back: ${res.body}`);
      assertEqual(JSON.stringify(await staffSnapshot()), JSON.stringify(staffBefore), 'staff as before the test');
    }, { needs: false });

    // ----------------------------------------------------------- board at 320 and 640 px
    for (const [w, h] of [[320, 740], [640, 450]]) {
      await check(`board.html at ${w}×${h}: no sideways scrolling; every scrolling table or chart box has a name, a tab stop and scrolls with the arrows; detail too (at 320 px also the roster errors)`, async () => {
        await page.setViewportSize({ width: w, height: h });
        await page.goto(`${BASE_URL}/board.html`);
        await page.locator('#schools tbody tr[data-school-id]').first().waitFor();
        await page.locator('#history-chart svg').waitFor();
        await page.locator('#codes-table').waitFor();
        await assertReflows(page, `board.html at ${w} px`);
        const boxes = await assertScrollBoxesUsable(page, `board.html at ${w} px`);
        // The charts are wider than 320 px: there the check has something to check.
        if (w === 320) assert(boxes > 0, 'no scrolling box on board.html at 320 px');
        if (w === 320) await assertAccessible(page, 'board.html – first view at 320 px (board_admin)');
        await focusTop(page);
        await tabTo(page, `#schools [data-open-school="${school.school_id}"]`, { limit: 80 });
        await page.keyboard.press('Enter');
        await page.locator('#staff-table tbody tr[data-email]').first().waitFor();
        await assertReflows(page, `board.html, school detail at ${w} px`);
        await assertScrollBoxesUsable(page, `board.html, school detail at ${w} px`);
        await assertAccessible(page, `board.html – school detail at ${w} px (board_admin)`);
        if (w !== 320) return;
        await jumpTo(page, '#roster-section');
        await chooseFileByKeyboard(page, '#roster-file', csvFile('fout.csv', ['email,name,role,brin', 'geen-adres,X,teacher,00AA00']));
        await tabTo(page, '#roster-form button[type="submit"]');
        await page.keyboard.press('Enter');
        await page.locator('#roster-result .error-table').waitFor({ timeout: UPLOAD_TIMEOUT });
        await assertReflows(page, `board.html, roster errors at ${w} px`);
        await assertScrollBoxesUsable(page, `board.html, roster errors at ${w} px`);
        await assertAccessible(page, 'board.html – roster errors at 320 px (board_admin)');
        await shot(page, 'kb-board-320');
      }, { needs: false });
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    await bctx.close();

    // ============================================================================ admin
    part('admin, keyboard only');
    const { context: actx, page: ap, api: aapi } = await newContext('admin');

    await check('admin: admin.html, every section, scanned', async () => {
      await apiLogin(actx, accounts.admin);
      await ap.goto(`${BASE_URL}/admin.html`);
      await ap.locator('#admin-content:not([hidden])').waitFor();
      await ap.locator('#audit-status:not(.loading)').waitFor();
      await assertAccessible(ap, 'admin.html – first view, all sections (admin)');
    });

    await check('board.html without a number: the picker; Enter on an empty field gives an error tied to it and announced; a number opens the board', async () => {
      await ap.goto(`${BASE_URL}/board.html`);
      await ap.locator('#board-picker:not([hidden])').waitFor();
      await assertAccessible(ap, 'board.html – picker (admin)');
      await tabTo(ap, '#picker-board');
      await ap.keyboard.press('Enter');
      await assertFieldError(ap, '#picker-board', 'Vul een nummer in', 'empty picker');
      await assertAnnounced(ap, 'Vul een nummer in', 'empty picker', { live: true }); // the focus stays in the field
      await assertAccessible(ap, 'board.html – picker with an error (admin)');
      const me = await aapi('/boards/1/coverage');
      assertEqual(me.status, 200, 'board 1 exists');
      await ap.keyboard.type('1');
      await ap.keyboard.press('Enter');
      await ap.waitForURL(/\/board\.html\?board=1$/);
      await ap.locator('#schools tbody tr[data-school-id]').first().waitFor();
    });

    await check('board.html?board=<unknown>: the picker says so, announced and tied to the field', async () => {
      await ap.goto(`${BASE_URL}/board.html?board=987654321`);
      await ap.locator('#board-picker:not([hidden])').waitFor();
      await assertFieldError(ap, '#picker-board', 'bestaat niet', 'unknown board');
      await assertAnnounced(ap, 'bestaat niet', 'unknown board', { live: true }); // shown on load
      await assertAccessible(ap, 'board.html – picker, unknown board (admin)');
    }, { needs: false });

    // Each admin form sent empty with the keyboard: its errors, next to its fields.
    const forms = [ // form, its section, its fields with a word of their error
      ['region-form', [['#region-name', 'naam']]],
      ['board-form', [['#board-name', 'naam'], ['#board-number', 'bestuursnummer']]],
      ['school-form', [['#school-board_id', 'bestuur'], ['#school-name', 'naam'], ['#school-brin', 'vestigingscode'], ['#school-municipality', 'gemeente']]],
      ['user-form', [['#user-email', 'e-mailadres'], ['#user-name', 'naam'], ['#user-role', 'rol'], ['#user-password', '12 tekens']]],
      ['trainer-form', [['#trainer-user_id', 'gebruikersnummer'], ['#trainer-board_id', 'bestuur']]],
      ['erase-form', [['#erase-user_id', 'gebruikersnummer']]],
    ];
    await check('admin.html: every form sent empty by keyboard shows its errors next to the fields, focus on the first; scanned', async () => {
      await ap.goto(`${BASE_URL}/admin.html`);
      await ap.locator('#admin-content:not([hidden])').waitFor();
      for (const [form, fields] of forms) {
        await jumpTo(ap, `#${form.replace('-form', '-section')}`);
        await tabTo(ap, `#${form} button[type="submit"]`, { limit: 40 });
        await ap.keyboard.press('Enter');
        for (const [sel, text] of fields) await assertFieldError(ap, sel, new RegExp(text, 'i'), `${form} sent empty`);
        await assertFocus(ap, fields[0][0], `${form}: the first field with an error`);
      }
      await assertAccessible(ap, 'admin.html – every form with errors (admin)');
    }, { needs: false });

    await check('admin.html: the account form; the role chosen with the arrow keys shows the board field; its error tied to it', async () => {
      await jumpTo(ap, '#user-section');
      await tabTo(ap, '#user-role');
      // The role list: ArrowDown until "board_admin" is chosen.
      for (let i = 0; i < 8; i += 1) {
        if (await ap.inputValue('#user-role') === 'board_admin') break;
        await ap.keyboard.press('ArrowDown');
      }
      assertEqual(await ap.inputValue('#user-role'), 'board_admin', 'role chosen with the arrows');
      await ap.locator('#user-board-field:not([hidden])').waitFor();
      await tabTo(ap, '#user-form button[type="submit"]');
      await ap.keyboard.press('Enter');
      await assertFieldError(ap, '#user-board_id', /bestuur/i, 'board field of a board admin');
      await assertAccessible(ap, 'admin.html – account form for a board admin with errors (admin)');
    }, { needs: false });

    await check('admin.html: an unknown trainer and an unknown account to erase get a server error next to the field (nothing changed)', async () => {
      await jumpTo(ap, '#trainer-section');
      await tabTo(ap, '#trainer-user_id');
      await ap.keyboard.press('Control+A');
      await ap.keyboard.type('987654321');
      await tabTo(ap, '#trainer-board_id');
      await ap.keyboard.press('Control+A');
      await ap.keyboard.type('1');
      await ap.keyboard.press('Enter');
      await assertFieldError(ap, '#trainer-user_id', 'geen trainer', 'unknown trainer');
      await assertFocus(ap, '#trainer-user_id', 'unknown trainer');
      await jumpTo(ap, '#erase-section');
      await tabTo(ap, '#erase-user_id');
      await ap.keyboard.press('Control+A');
      await ap.keyboard.type('987654321');
      let asked = '';
      ap.once('dialog', (dialog) => { asked = dialog.message(); dialog.accept(); });
      await ap.keyboard.press('Enter');
      await assertFieldError(ap, '#erase-user_id', 'Er is geen account', 'unknown account');
      assert(/wissen/.test(asked), `asked first: ${asked}`);
      await assertAccessible(ap, 'admin.html – server errors next to the fields (admin)');
    }, { needs: false });

    await check('admin.html: a region created by keyboard; the success message gets the focus and is announced', async () => {
      await jumpTo(ap, '#region-section');
      await tabTo(ap, '#region-name');
      await ap.keyboard.type(`Toetsenbordregio ${stamp}`);
      await ap.keyboard.press('Enter');
      await waitForText(ap.locator('#region-message'), 'is aangemaakt', 'success message');
      await assertFocus(ap, '#region-message', 'after creating');
      await assertAnnounced(ap, 'is aangemaakt', 'region created');
      assertEqual(await ap.locator('#region-form [aria-invalid="true"]').count(), 0, 'no field errors left');
      await assertAccessible(ap, 'admin.html – region created (admin)');
    }, { needs: false });

    await check('admin.html: "Importeren" without a file: the error is tied to the file field and the focus goes there', async () => {
      await jumpTo(ap, '#register-section');
      await tabTo(ap, '#register-form button[type="submit"]');
      await ap.keyboard.press('Enter');
      await assertFieldError(ap, '#register-file', 'Kies eerst een CSV-bestand', 'no file');
      await assertFocus(ap, '#register-file', 'no file');
      await assertAccessible(ap, 'admin.html – DUO register without a file (admin)');
    }, { needs: false });

    await check('admin.html: a DUO register that is not one, chosen and sent by keyboard, is refused; focus on the errors; scanned', async () => {
      await jumpTo(ap, '#register-section');
      await chooseFileByKeyboard(ap, '#register-file', { name: 'geen-register.csv', mimeType: 'text/csv', buffer: Buffer.from('dit;is;geen;register\r\n1;2;3;4\r\n', 'latin1') });
      assertEqual(await ap.getAttribute('#register-file', 'aria-invalid'), null, 'a chosen file clears the field error');
      await tabTo(ap, '#register-form button[type="submit"]');
      await ap.keyboard.press('Enter');
      await ap.locator('#register-result .message').waitFor({ timeout: UPLOAD_TIMEOUT });
      await assertFocus(ap, '#register-result', 'after the refused register');
      await assertAnnounced(ap, 'niets veranderd', 'refused register');
      await assertAccessible(ap, 'admin.html – DUO register refused (admin)');
    }, { needs: false });

    await check('admin.html: the audit log box has a name and a tab stop; "Oudere" and "Nieuwste tonen" work by keyboard, the count is announced', async () => {
      await jumpTo(ap, '#audit-section');
      await tabTo(ap, '#audit-refresh');
      await ap.keyboard.press('Enter');
      await assertAnnounced(ap, 'regels getoond', 'audit count');
      const box = await ap.locator('#audit-scroll').evaluate((b) => ({ t: b.getAttribute('tabindex'), r: b.getAttribute('role') }));
      assertEqual(JSON.stringify(box), JSON.stringify({ t: '0', r: 'region' }), 'audit box');
      await assertAccessible(ap, 'admin.html – audit log (admin)');
    }, { needs: false });

    for (const [w, h] of [[320, 740], [640, 450]]) {
      await check(`admin.html at ${w}×${h}: no sideways scrolling, scrolling boxes usable by keyboard, forms with errors`, async () => {
        await ap.setViewportSize({ width: w, height: h });
        await ap.goto(`${BASE_URL}/admin.html`);
        await ap.locator('#admin-content:not([hidden])').waitFor();
        await ap.locator('#audit-status:not(.loading)').waitFor();
        await assertReflows(ap, `admin.html at ${w} px`);
        await assertScrollBoxesUsable(ap, `admin.html at ${w} px`);
        if (w === 320) await assertAccessible(ap, 'admin.html – first view at 320 px (admin)');
        await jumpTo(ap, '#school-section');
        await tabTo(ap, '#school-form button[type="submit"]');
        await ap.keyboard.press('Enter');
        await assertFieldError(ap, '#school-brin', /vestigingscode/i, 'school form');
        await assertReflows(ap, `admin.html with errors at ${w} px`);
        await assertAccessible(ap, `admin.html – form errors at ${w} px (admin)`);
        if (w === 320) await shot(ap, 'kb-admin-320');
      }, { needs: false });
    }
    await actx.close();

    // ===================================================================== region viewer
    part('region viewer, keyboard only');
    const { context: rctx, page: rp, api: rapi } = await newContext('region_viewer');
    let region = null;

    await check('region viewer: region.html scanned; suppressed groups say so in words, with no numbers', async () => {
      await apiLogin(rctx, accounts.region_viewer);
      await rp.goto(`${BASE_URL}/region.html`);
      await rp.locator('#region-content:not([hidden])').waitFor();
      await rp.locator('#history-chart svg').waitFor();
      const me = await rapi('/me');
      region = (await rapi(`/regions/${me.body.region.id}/coverage`)).body;
      await assertAccessible(rp, 'region.html – first view (region_viewer)');
      const suppressed = [...region.municipalities, ...region.boards].filter((g) => g.suppressed);
      assert(suppressed.length > 0, 'the demo region has suppressed groups (it has fewer than 5 staff per group)');
      for (const [list, id] of [[region.municipalities, 'municipalities'], [region.boards, 'boards']]) {
        for (const g of list.filter((x) => x.suppressed)) {
          const row = rp.locator(`#${id} tbody tr[data-suppressed="true"]`).filter({ hasText: g.name });
          const cell = row.locator('td.span-cell');
          assert(await cell.isVisible(), `the words in the row of ${g.name} are visible`);
          assertEqual(await textOf(cell), SUPPRESSED_TEXT, `suppressed text of ${g.name}`);
          const box = await cell.boundingBox();
          assert(box && box.width > 20 && box.height > 5, `the words take space on screen (${JSON.stringify(box)})`);
          assert(!/\d/.test((await textOf(row)).replace(g.name, '')), `no numbers in the row of ${g.name}`);
        }
      }
      await waitForText(rp.locator('#region-privacy'), 'minder dan 5 medewerkers', 'the rule in words');
      // The bar chart's text alternative says how many groups it shows, as the table does.
      const shown = region.municipalities.filter((g) => !g.suppressed).length;
      const chartName = await rp.locator('#municipalities-chart svg').evaluate((svg) => (svg.getAttribute('aria-labelledby') || '')
        .split(/\s+/).map((id) => (document.getElementById(id) || {}).textContent || '').join(' '));
      assert(chartName.includes(`${shown} van ${region.municipalities.length} getoond`), `chart description: ${chartName}`);
      if (region.totals.suppressed) await waitForText(rp.locator('#totals'), SUPPRESSED_TEXT, 'suppressed totals in words');
    });

    await check('region.html: the tables sort with the keyboard (aria-sort follows); the month table opens with Enter; scanned', async () => {
      await focusTop(rp);
      await tabTo(rp, '#municipalities th[data-key="name"] .sort-button', { limit: 40 });
      await rp.keyboard.press('Enter');
      await waitUntil(async () => (await rp.getAttribute('#municipalities th[data-key="name"]', 'aria-sort')) === 'descending',
        'aria-sort descending (it was ascending)');
      await assertAnnounced(rp, 'Gemeente, aflopend', 'sort order');
      await tabTo(rp, '#history-chart summary', { limit: 80 });
      await rp.keyboard.press('Enter');
      await waitUntil(() => rp.locator('#history-chart details').evaluate((d) => d.open), 'details open');
      await assertAccessible(rp, 'region.html – sorted, month table open (region_viewer)');
    }, { needs: false });

    await check('region.html?region=abc: the picker with an error tied to the field and announced; scanned', async () => {
      await rp.goto(`${BASE_URL}/region.html?region=abc`);
      await rp.locator('#region-picker:not([hidden])').waitFor();
      await assertFieldError(rp, '#picker-region', 'geen geldig nummer', 'region picker');
      await assertAnnounced(rp, 'geen geldig nummer', 'region picker', { live: true });
      await assertAccessible(rp, 'region.html – picker with an error (region_viewer)');
    }, { needs: false });

    for (const [w, h] of [[320, 740], [640, 450]]) {
      await check(`region.html at ${w}×${h}: no sideways scrolling; scrolling boxes usable by keyboard; suppressed words still visible`, async () => {
        await rp.setViewportSize({ width: w, height: h });
        await rp.goto(`${BASE_URL}/region.html`);
        await rp.locator('#region-content:not([hidden])').waitFor();
        await rp.locator('#history-chart svg').waitFor();
        await assertReflows(rp, `region.html at ${w} px`);
        const boxes = await assertScrollBoxesUsable(rp, `region.html at ${w} px`);
        if (w === 320) assert(boxes > 0, 'no scrolling box on region.html at 320 px');
        // The month table, opened with Enter, scrolls in its own box too.
        await focusTop(rp);
        await tabTo(rp, '#history-chart summary', { limit: 80 });
        await rp.keyboard.press('Enter');
        await waitUntil(() => rp.locator('#history-chart details').evaluate((d) => d.open), 'details open');
        await assertReflows(rp, `region.html, month table at ${w} px`);
        await assertScrollBoxesUsable(rp, `region.html, month table at ${w} px`);
        await assertAccessible(rp, `region.html – month table at ${w} px (region_viewer)`);
        const cell = rp.locator('#municipalities td.span-cell').first();
        if (await cell.count()) {
          const box = await cell.boundingBox();
          assert(box && box.width > 20, `suppressed words take space at ${w} px`);
        }
        if (w === 320) await assertAccessible(rp, 'region.html – first view at 320 px (region_viewer)');
        if (w === 320) await shot(rp, 'kb-region-320');
      }, { needs: false });
    }
    await rctx.close();

    part('console');
    await checkConsole(consoleProblems);
  } finally {
    await browser.close();
  }
}

await run(main);
