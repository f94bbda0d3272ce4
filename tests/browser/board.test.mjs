// Browser test of the board, region and admin dashboards, in Debian's Chromium through
// playwright-core (harness.mjs, as every browser test):
//
//   board admin: logs in on the login page and lands on board.html; totals and both demo
//   schools; sorting by header buttons (click and Enter, aria-sort); filters
//   (municipality, below target, the target setting, no aandachtsfunctionaris); the SVG
//   bar and line charts; the CSV export (fetched in the page, header row checked);
//   drill-down to a school's staff and expiring certificates; the package checklist's
//   items and labels are those of GET /api/v1/meta, fetched by the page; a package item saved,
//   still there after a reload, and cleared again; join codes ("Nieuwe code" asks first;
//   the test cancels, so no code changes); roster upload with one bad line (the line
//   error is shown, nothing changes), then the corrected file (the current staff, so
//   nothing changes either).
//   admin: lands on admin.html; Dutch field errors from the server; creates a region and
//   a board through the forms; opens a board's dashboard; a bad DUO register file is
//   refused with its errors.
//   region viewer: region.html with suppressed groups and the line chart (suppressed
//   months as text).
//   teacher: still lands on "Mijn modules".
//
// The checks marked [roster endpoint] and [school-register endpoint] need
// POST /api/v1/boards/{id}/roster and POST /api/v1/school-register, which land after the
// rest of the board API; until then they fail with "de server kent dit adres niet".
//
// The test changes the stack only by: one package item set and cleared again (restored
// to its earlier value), one new region and one new board (unique names). The roster
// uploads are a refused file and a file identical to the current staff list; the DUO
// file is refused. No join code is renewed.
//
// Environment:
//   BASE_URL        the site (default http://127.0.0.1:8080)
//   DEMO_ACCOUNTS   TSV file, lines role<TAB>email<TAB>password (needs board_admin and
//                   admin; region_viewer and teacher are used when present); default
//                   var/run/demo-accounts.tsv of this repository
//   REGION_ID       region of the region viewer (default 1: /me does not name it yet)
//   SCREENSHOT_DIR  default tests/browser/screenshots
//   CHROMIUM        default /usr/bin/chromium
//
// Prints "ok - ..." / "not ok - ..." per check and "N passed, M failed" at the end;
// exits 1 when a check failed. After a failed step that later steps depend on, the rest
// of that part is reported as skipped.

import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import {
  BASE_URL, DEMO_ACCOUNTS, assert, assertEqual, blockedBy, check, checkConsole, launchChromium, login,
  openPage, part, readAccounts, run, shot, squash, textOf, waitForText, waitUntil, watchConsole,
} from './harness.mjs';

const REGION_ID = process.env.REGION_ID || '1';
const UPLOAD_TIMEOUT = 60000;

const PACKAGE_LABELS = ['Tv-serie in groep 7', 'Lespakket gebruikt', 'Nieuwsbrief aan alle ouders',
  'Vast contactpersoon Veilig Thuis', 'Contact met het wijkteam'];
const STATUS_LABELS = ['Nog niet begonnen', 'Bezig', 'Afgerond', 'Verlopen'];
const SUPPRESSED_TEXT = 'niet getoond — kleine groep of terug te rekenen';

/** A Dutch percentage as the page writes it: 87.5 → "87,5%". */
const pct = (v) => `${new Intl.NumberFormat('nl-NL', { maximumFractionDigits: 1 }).format(Number(v))}%`;

/** Yesterday's date (Amsterdam), YYYY-MM-DD: never in the future for the checklist. */
function yesterday() {
  const d = new Date(Date.now() - 36 * 3600 * 1000);
  return d.toISOString().slice(0, 10);
}

// ---- page helpers --------------------------------------------------------------------

/** Names in the schools table, in the order shown. */
async function tableNames(page) {
  return page.locator('#schools tbody tr[data-school-id] th .school-name').allTextContents();
}

async function visibleSchoolIds(page) {
  return page.locator('#schools tbody tr[data-school-id]').evaluateAll(
    (rows) => rows.map((r) => r.getAttribute('data-school-id')));
}

async function sortState(page) {
  return page.locator('#schools thead th[aria-sort]').evaluateAll(
    (ths) => ths.map((th) => `${th.getAttribute('data-key')}:${th.getAttribute('aria-sort')}`));
}

// ---- the test ------------------------------------------------------------------------

async function main() {
  const stamp = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const consoleProblems = [];
  let accounts = {};

  part('setup');
  await check(`DEMO_ACCOUNTS (${DEMO_ACCOUNTS}) names a board_admin and an admin`, () => {
    assert(existsSync(DEMO_ACCOUNTS), 'set DEMO_ACCOUNTS to the TSV of demo accounts (var/run/demo-accounts.tsv)');
    accounts = readAccounts(DEMO_ACCOUNTS);
    assert(accounts.board_admin, 'no board_admin line in DEMO_ACCOUNTS');
    assert(accounts.admin, 'no admin line in DEMO_ACCOUNTS');
  });
  await check(`API health at ${BASE_URL}/api/v1/health answers 200 {"status":"ok"}`, async () => {
    const res = await fetch(`${BASE_URL}/api/v1/health`);
    assertEqual(res.status, 200, 'health status');
    assertEqual((await res.json()).status, 'ok', 'health body status');
  });
  if (blockedBy()) return;

  const browser = await launchChromium();
  if (!browser) return;

  const newContext = async (label) => {
    const { context, page } = await openPage(browser);
    // Failed fetches (401 before login, 403/404 on purpose) are no problem.
    watchConsole(page, label, consoleProblems);
    const api = async (path) => {
      const res = await context.request.get(`${BASE_URL}/api/v1${path}`);
      return { status: res.status(), body: res.status() === 200 ? await res.json() : null };
    };
    return { context, page, api };
  };

  try {
    // ======================================================================= board admin
    part('board admin');
    const { context, page, api } = await newContext('board_admin');
    let boardId;
    let coverage;
    // The answers of GET /api/v1/meta the page fetched (only watched, not changed).
    const metaAnswers = [];
    page.on('response', (res) => {
      if (new URL(res.url()).pathname === '/api/v1/meta') metaAnswers.push(res);
    });

    await check('board admin logs in on the login page and lands on board.html; the header links to "Bestuursoverzicht"', async () => {
      await login(page, accounts.board_admin);
      await page.waitForURL(/\/board\.html(\?.*)?$/);
      const me = await api('/me');
      assertEqual(me.status, 200, 'GET /me');
      boardId = me.body.board && me.body.board.id;
      assert(boardId, `GET /me names the board admin's board: ${JSON.stringify(me.body)}`);
      const link = page.locator('#user-nav a.nav-link');
      assertEqual(await link.count(), 1, 'nav links for a board admin');
      assertEqual(await textOf(link), 'Bestuursoverzicht', 'nav link text');
      assertEqual(await link.getAttribute('aria-current'), 'page', 'aria-current on the nav link');
    });

    await check('dashboard shows the board name, the totals and every school of the board (both demo schools)', async () => {
      const r = await api(`/boards/${boardId}/coverage`);
      assertEqual(r.status, 200, 'GET coverage');
      coverage = r.body;
      assert(coverage.schools.length >= 2, `the demo board has at least 2 schools, API gives ${coverage.schools.length}`);
      await page.locator('#board-content:not([hidden])').waitFor();
      await waitForText(page.locator('#board-title'), coverage.board.name, 'board name');
      await page.locator('#schools tbody tr[data-school-id]').first().waitFor();
      const names = await tableNames(page);
      assertEqual(names.length, coverage.schools.length, 'rows in the schools table');
      for (const s of coverage.schools) assert(names.includes(s.name), `school ${s.name} in the table (${names.join(', ')})`);
      const stat = (key) => textOf(page.locator(`#totals [data-key="${key}"] .stat-value`));
      assertEqual(await stat('schools'), String(coverage.totals.schools), 'totals: schools');
      assertEqual(await stat('teachers'), String(coverage.totals.teachers), 'totals: staff');
      assertEqual(await stat('teachers_certified'), String(coverage.totals.teachers_certified), 'totals: certified');
      assertEqual(await stat('coverage_pct'), pct(coverage.totals.coverage_pct), 'totals: coverage');
      assert((await stat('schools_with_af')).startsWith(String(coverage.totals.schools_with_af)), 'totals: schools with AF');
      assertEqual(await stat('expiring_90d'), String(coverage.totals.expiring_90d), 'totals: expiring');
      for (const s of coverage.schools) {
        const row = page.locator(`#schools tr[data-school-id="${s.school_id}"]`);
        assert((await textOf(row)).includes(pct(s.coverage_pct)), `coverage ${pct(s.coverage_pct)} in the row of ${s.name}`);
      }
      await shot(page, '10-board-dashboard');
    });

    await check('sorting: the "School" header button toggles aria-sort and the order; Enter on "Medewerkers" sorts by staff', async () => {
      const sorted = coverage.schools.map((s) => s.name).sort((a, b) => a.localeCompare(b, 'nl', { numeric: true, sensitivity: 'base' }));
      assertEqual(JSON.stringify(await sortState(page)), JSON.stringify(['name:ascending']), 'initial aria-sort');
      assertEqual(JSON.stringify(await tableNames(page)), JSON.stringify(sorted), 'initial order A-Z');
      await page.click('#schools thead th[data-key="name"] button');
      assertEqual(JSON.stringify(await sortState(page)), JSON.stringify(['name:descending']), 'aria-sort after a click');
      assertEqual(JSON.stringify(await tableNames(page)), JSON.stringify(sorted.slice().reverse()), 'order Z-A');
      await page.focus('#schools thead th[data-key="teachers"] button');
      await page.keyboard.press('Enter');
      assertEqual(JSON.stringify(await sortState(page)), JSON.stringify(['teachers:ascending']), 'aria-sort after Enter');
      const ids = await visibleSchoolIds(page);
      const counts = ids.map((id) => coverage.schools.find((s) => String(s.school_id) === id).teachers);
      assertEqual(JSON.stringify(counts), JSON.stringify(counts.slice().sort((a, b) => a - b)), 'staff counts ascending');
      const barLabels = await page.locator('#bar-chart svg .chart-row').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-label')));
      const rowNames = ids.map((id) => coverage.schools.find((s) => String(s.school_id) === id).name);
      assertEqual(JSON.stringify(barLabels), JSON.stringify(rowNames), 'bar chart in the order of the table');
      await page.click('#schools thead th[data-key="name"] button');
    });

    await check('filters: municipality, "onder het doel" with the target setting (default 100%), "zonder gecertificeerde aandachtsfunctionaris", "Filters wissen"', async () => {
      const rows = () => page.locator('#schools tbody tr[data-school-id]').count();
      const all = coverage.schools.length;
      // Municipality.
      const muni = coverage.schools[0].municipality;
      await page.selectOption('#filter-municipality', muni);
      const expectMuni = coverage.schools.filter((s) => s.municipality === muni).length;
      assertEqual(await rows(), expectMuni, `rows for municipality ${muni}`);
      assertEqual(await page.locator('#bar-chart svg .chart-row').count(), expectMuni, 'bars follow the filter');
      await waitForText(page.locator('#filter-count'), `${expectMuni} van ${all}`, 'filter count');
      await shot(page, '11-board-filter-municipality');
      await page.selectOption('#filter-municipality', '');
      // Below target, with the default target of 100%.
      assertEqual(await page.inputValue('#filter-target'), '100', 'default target');
      await page.check('#filter-below');
      const below = (t) => coverage.schools.filter((s) => Number(s.coverage_pct) < t || !s.has_certified_af).length;
      assertEqual(await rows(), below(100), 'rows below target 100%');
      await page.fill('#filter-target', '0');
      assertEqual(await rows(), below(0), 'rows below target 0% (only those without a certified AF)');
      await page.uncheck('#filter-below');
      await page.check('#filter-no-af');
      assertEqual(await rows(), coverage.schools.filter((s) => !s.has_certified_af).length, 'rows without certified AF');
      await page.click('#filter-reset');
      await waitUntil(async () => (await rows()) === all && (await page.inputValue('#filter-target')) === '100',
        'all schools back after "Filters wissen"');
      assert(!(await page.isChecked('#filter-no-af')), 'checkbox cleared');
    });

    await check('SVG charts: bar chart per school with axis and labels; line chart over 24 months with axes, month labels and a point per month', async () => {
      const bar = page.locator('#bar-chart svg.bar-chart');
      assertEqual(await bar.count(), 1, 'one bar chart');
      assertEqual(await bar.getAttribute('role'), 'img', 'bar chart role');
      assertEqual(await bar.locator('.chart-row').count(), coverage.schools.length, 'bars');
      assertEqual(await bar.locator('rect.chart-bar').count(), coverage.schools.length, 'bar rects');
      const ticks = await bar.locator('.chart-tick-label').allTextContents();
      for (const t of ['0%', '50%', '100%']) assert(ticks.includes(t), `x axis label ${t} (${ticks.join(' ')})`);
      assert((await bar.locator('title').first().textContent()).length > 0, 'bar chart has a <title>');
      const hist = await api(`/boards/${boardId}/coverage/history`);
      assertEqual(hist.status, 200, 'GET coverage/history');
      assertEqual(hist.body.length, 24, 'history months from the API');
      const line = page.locator('#history-chart svg.line-chart');
      await line.waitFor();
      assertEqual(await line.locator('circle.chart-point').count(), 24, 'points on the line chart');
      assert(await line.locator('path.chart-line').count() >= 1, 'a line path');
      const d = await line.locator('path.chart-line').first().getAttribute('d');
      assert(/^M[\d.]+ [\d.]+( L[\d.]+ [\d.]+)+$/.test(d), `line path geometry: ${d}`);
      const labels = await line.locator('.chart-tick-label').allTextContents();
      assert(labels.includes('100%') && labels.includes('0%'), 'y axis labels');
      assert(labels.some((l) => /^(jan|feb|mrt|apr|mei|jun|jul|aug|sep|okt|nov|dec) \d{4}$/.test(l)), `month labels: ${labels.join(', ')}`);
      assert((await line.locator('.chart-axis-title').allTextContents()).includes('Maand'), 'x axis title');
      const styled = await page.locator('svg [style]').count();
      assertEqual(styled, 0, 'SVG elements with a style attribute');
    });

    await check('CSV: the download link points at /coverage?format=csv; fetched in the page it is text/csv with the header row and a row per school', async () => {
      const href = await page.getAttribute('#csv-link', 'href');
      assertEqual(href, `/api/v1/boards/${boardId}/coverage?format=csv`, 'CSV link');
      assert((await page.getAttribute('#csv-link', 'download') || '').endsWith('.csv'), 'download attribute with a .csv name');
      const got = await page.evaluate(async (url) => {
        const res = await fetch(url, { credentials: 'same-origin' });
        return { status: res.status, type: res.headers.get('Content-Type'), text: await res.text() };
      }, href);
      assertEqual(got.status, 200, 'CSV status');
      assert((got.type || '').startsWith('text/csv'), `CSV content type: ${got.type}`);
      const lines = got.text.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.length > 0);
      const header = lines[0].split(/[,;]/);
      for (const col of ['school_id', 'name', 'brin', 'municipality', 'teachers', 'teachers_certified',
        'has_certified_af', 'expiring_90d', 'coverage_pct', 'package_tv_series']) {
        assert(header.includes(col), `CSV header has ${col}: ${lines[0]}`);
      }
      assertEqual(lines.length, coverage.schools.length + 1, 'CSV lines (header + schools)');
    }, { blocks: false });

    const school = coverage
      ? coverage.schools.slice().sort((a, b) => b.teachers - a.teachers)[0] : null;
    let staff = [];
    await check('drill-down: "Details" opens the school with its staff (name, e-mail, Dutch role and module status) and its expiring certificates', async () => {
      const r = await api(`/boards/${boardId}/schools/${school.school_id}/staff`);
      assertEqual(r.status, 200, 'GET staff');
      staff = r.body;
      await page.click(`#schools [data-open-school="${school.school_id}"]`);
      await page.locator('#school-detail:not([hidden])').waitFor();
      await waitForText(page.locator('#detail-title'), school.name, 'detail title');
      assert(await page.evaluate(() => document.activeElement && document.activeElement.id === 'detail-title'),
        'focus moves to the school heading');
      if (staff.length === 0) {
        await waitForText(page.locator('#staff-box'), 'nog geen medewerkers', 'empty staff');
      } else {
        await page.locator('#staff-table tbody tr[data-email]').first().waitFor();
        assertEqual(await page.locator('#staff-table tbody tr[data-email]').count(), staff.length, 'staff rows');
        for (const p of staff) {
          const row = page.locator(`#staff-table tr[data-email="${p.email}"]`);
          const text = await textOf(row);
          assert(text.includes(p.name), `name ${p.name} in the staff row`);
          const role = { teacher: 'Leerkracht', ib: 'Intern begeleider' }[p.role];
          assert(text.includes(role), `Dutch role "${role}" for ${p.email}: ${text}`);
          // An account of another board is only invited until its owner accepts.
          const account = { invited: 'Uitgenodigd', declined: 'Uitnodiging geweigerd' }[p.link]
            || (p.registered ? 'Aangemaakt' : 'Nog geen account');
          assert(text.includes(account), `account "${account}" (link ${p.link}) for ${p.email}: ${text}`);
          for (const m of p.modules) {
            const status = await textOf(row.locator(`li[data-slug="${m.slug}"] .status`));
            assert(STATUS_LABELS.includes(status), `Dutch status for ${m.slug}: ${status}`);
            if (m.expiring_soon) {
              await waitForText(row.locator(`li[data-slug="${m.slug}"]`), 'verloopt binnenkort', 'expiring badge');
            }
          }
        }
      }
      await waitUntil(async () => {
        const t = await textOf(page.locator('#expiring-box'));
        return !t.includes('Wordt geladen') && t.length > 0;
      }, 'expiring certificates loaded');
      const exp = await api(`/boards/${boardId}/schools/${school.school_id}/expiring`);
      assertEqual(exp.status, 200, 'GET expiring');
      if (exp.body.length === 0) {
        await waitForText(page.locator('#expiring-box'), 'Geen certificaten', 'no expiring certificates');
      } else {
        assertEqual(await page.locator('#expiring-table tbody tr').count(), exp.body.length, 'expiring rows');
      }
      await shot(page, '12-school-staff');
    });

    await check('package checklist: five items with Dutch labels, each a labelled date input with Opslaan and Wissen', async () => {
      const items = page.locator('#package-list li.check-item');
      assertEqual(await items.count(), 5, 'checklist items');
      assertEqual(JSON.stringify((await items.locator('label.check-label').allTextContents()).map(squash)),
        JSON.stringify(PACKAGE_LABELS), 'item labels');
      for (const label of PACKAGE_LABELS) {
        assertEqual(await page.getByLabel(label, { exact: true }).getAttribute('type'), 'date', `date input for ${label}`);
      }
      assertEqual(await items.locator('button[data-action="save"]').count(), 5, 'Opslaan buttons');
      assertEqual(await items.locator('button[data-action="clear"]').count(), 5, 'Wissen buttons');
    });

    await check('package checklist: codes and labels are those of GET /api/v1/meta, which board.html fetched (no list of its own)', async () => {
      assert(metaAnswers.length > 0, 'board.html did not fetch /api/v1/meta');
      const meta = await api('/meta');
      assertEqual(meta.status, 200, 'GET /meta');
      assertEqual(JSON.stringify(await metaAnswers[0].json()), JSON.stringify(meta.body), 'the page got the same lists');
      const shown = await page.locator('#package-list li.check-item').evaluateAll((items) => items.map(
        (li) => [li.getAttribute('data-item'), li.querySelector('label.check-label').textContent.replace(/\s+/g, ' ').trim()]));
      assertEqual(JSON.stringify(shown), JSON.stringify(meta.body.package_items.map(({ code, label }) => [code, label])),
        'checklist items (code, label) against /api/v1/meta');
    });

    await check('package: a date saved for "Tv-serie in groep 7" is stored, still shown after a reload, and cleared again', async () => {
      const item = page.locator('#package-list li[data-item="tv_series"]');
      const before = coverage.schools.find((s) => s.school_id === school.school_id).package.tv_series;
      let date = yesterday();
      if (before === date) date = '2025-09-15';
      await page.fill('#pkg-tv_series', date);
      await item.locator('button[data-action="save"]').click();
      await waitForText(item.locator('.check-msg'), 'Opgeslagen', 'save message');
      const stored = async () => (await api(`/boards/${boardId}/coverage`)).body.schools
        .find((s) => s.school_id === school.school_id).package.tv_series;
      assertEqual(await stored(), date, 'package.tv_series in the API');
      await page.reload();
      await page.locator('#school-detail:not([hidden])').waitFor();
      await waitForText(page.locator('#detail-title'), school.name, 'detail reopened after reload (?school=)');
      assertEqual(await page.inputValue('#pkg-tv_series'), date, 'date input after reload');
      await waitForText(item.locator('.check-state'), 'Gedaan op', 'state after reload');
      await shot(page, '13-package-saved');
      // Restore what was there.
      if (before) {
        await page.fill('#pkg-tv_series', before);
        await item.locator('button[data-action="save"]').click();
        await waitForText(item.locator('.check-msg'), 'Opgeslagen', 'restore message');
      } else {
        await item.locator('button[data-action="clear"]').click();
        await waitForText(item.locator('.check-msg'), 'Gewist', 'clear message');
        assertEqual(await page.inputValue('#pkg-tv_series'), '', 'date input after clearing');
      }
      assertEqual(await stored(), before, 'package.tv_series restored in the API');
    }, { blocks: false });

    await check('join codes: every school with its code; "Nieuwe code" asks first, and cancelling keeps the code', async () => {
      const r = await api(`/boards/${boardId}/schools`);
      assertEqual(r.status, 200, 'GET schools');
      await page.locator('#codes-table tbody tr[data-school-id]').first().waitFor();
      for (const s of r.body) {
        assertEqual(await textOf(page.locator(`#codes-table tr[data-school-id="${s.id}"] .join-code`)), s.join_code,
          `join code of ${s.name}`);
      }
      let asked = '';
      page.once('dialog', (dialog) => {
        asked = dialog.message();
        dialog.dismiss();
      });
      await page.click(`#codes-table [data-new-code="${r.body[0].id}"]`);
      await waitUntil(() => asked, 'a confirmation dialog');
      assert(/nieuwe schoolcode/i.test(asked), `dialog text: ${asked}`);
      const after = await api(`/boards/${boardId}/schools`);
      assertEqual(after.body[0].join_code, r.body[0].join_code, 'join code unchanged after cancelling');
    }, { blocks: false });

    // Roster: the current staff of every school, so that the good file changes nothing.
    let rosterLines = null;
    let staffBefore = null;
    const staffSnapshot = async () => {
      const all = [];
      for (const s of coverage.schools) {
        const r = await api(`/boards/${boardId}/schools/${s.school_id}/staff`);
        assertEqual(r.status, 200, `GET staff of ${s.name}`);
        for (const p of r.body) all.push({ email: p.email, name: p.name, role: p.role, brin: s.brin });
      }
      return all.sort((a, b) => a.email.localeCompare(b.email));
    };
    const csvField = (v) => (/[",;\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

    await check('[roster endpoint] a roster with one bad line is refused: progress while sending, "Regel / Probleem" with that line, "niets veranderd", staff unchanged', async () => {
      staffBefore = await staffSnapshot();
      rosterLines = staffBefore.map((p) => [p.email, p.name, p.role, p.brin].map(csvField).join(','));
      const badLine = rosterLines.length + 2; // header is line 1
      const csv = ['email,name,role,brin', ...rosterLines,
        `geen-geldig-adres,Foute Regel ${stamp},teacher,${coverage.schools[0].brin}`].join('\r\n');
      // Hold the request a moment so that the progress indicator can be seen.
      await page.route('**/api/v1/boards/*/roster', async (route) => {
        await new Promise((r) => { setTimeout(r, 700); });
        await route.continue();
      });
      await page.setInputFiles('#roster-file', { name: 'personeel-fout.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
      await waitForText(page.locator('#roster-file-name'), 'personeel-fout.csv', 'chosen file name');
      await page.click('#roster-form button[type="submit"]');
      await page.locator('#roster-progress').waitFor({ state: 'visible', timeout: 2000 });
      await waitForText(page.locator('#roster-status'), 'wordt verstuurd', 'progress text');
      await page.locator('#roster-result .message').waitFor({ timeout: UPLOAD_TIMEOUT });
      await page.unroute('**/api/v1/boards/*/roster');
      assert(await page.locator('#roster-progress').isHidden(), 'progress hidden afterwards');
      const message = await textOf(page.locator('#roster-result .message'));
      const table = page.locator('#roster-result table.error-table');
      assert(await table.count() === 1, `a table of line errors (message: ${message})`);
      assert(message.includes('niets veranderd'), `message says nothing changed: ${message}`);
      assertEqual(JSON.stringify((await table.locator('thead th').allTextContents()).map(squash)),
        JSON.stringify(['Regel', 'Probleem']), 'error table header');
      const row = table.locator(`tbody tr[data-line="${badLine}"]`);
      assertEqual(await row.count(), 1, `an error for line ${badLine}`);
      assert((await textOf(row.locator('td').nth(1))).length > 0, 'the problem is described');
      await shot(page, '14-roster-line-error');
      assertEqual(JSON.stringify(await staffSnapshot()), JSON.stringify(staffBefore), 'staff lists unchanged');
    }, { blocks: false });

    await check('[roster endpoint] the corrected roster is accepted: created / updated / unchanged / removed shown in Dutch, nobody added or removed', async () => {
      assert(rosterLines, 'the roster of the previous check');
      const csv = `\uFEFF${['email;name;role;brin', ...rosterLines.map((l) => l.replace(/,/g, ';'))].join('\r\n')}\r\n`;
      await page.setInputFiles('#roster-file', { name: 'personeel.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
      await page.click('#roster-form button[type="submit"]');
      await page.locator('#roster-result .message').waitFor({ timeout: UPLOAD_TIMEOUT });
      const message = await textOf(page.locator('#roster-result .message'));
      assert(await page.locator('#roster-summary').count() === 1, `a summary (message: ${message})`);
      const n = async (key) => Number(await textOf(page.locator(`#roster-summary li[data-key="${key}"] strong`)));
      for (const [key, label] of [['created', 'Nieuw'], ['updated', 'Gewijzigd'], ['unchanged', 'Ongewijzigd'], ['removed', 'Niet meer op de lijst'], ['invited', 'Uitgenodigd']]) {
        await waitForText(page.locator(`#roster-summary li[data-key="${key}"]`), label, `label for ${key}`);
      }
      assertEqual(await n('created'), 0, 'created');
      assertEqual(await n('removed'), 0, 'removed');
      assertEqual(await n('invited'), 0, 'invited');
      assertEqual((await n('unchanged')) + (await n('updated')), rosterLines.length, 'unchanged + updated');
      await shot(page, '15-roster-accepted');
      const after = await staffSnapshot();
      assertEqual(JSON.stringify(after.map((p) => p.email)), JSON.stringify(staffBefore.map((p) => p.email)), 'same staff');
    }, { blocks: false });

    await check('phone width (375 px): board.html does not scroll sideways (tables and charts scroll in their box)', async () => {
      await page.setViewportSize({ width: 375, height: 740 });
      await page.goto(`${BASE_URL}/board.html`);
      await page.locator('#schools tbody tr[data-school-id]').first().waitFor();
      await page.locator('#history-chart svg').waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert(overflow <= 1, `board.html is ${overflow}px wider than the screen`);
      await shot(page, '16-board-phone');
      await page.setViewportSize({ width: 1280, height: 900 });
    }, { needs: false });

    await context.close();

    // ============================================================================ admin
    part('admin');
    const admin = await newContext('admin');
    const ap = admin.page;
    let regionId;

    await check('admin logs in and lands on admin.html with links to "Beheer", "Bestuursoverzicht" and "Regio-overzicht"', async () => {
      await login(ap, accounts.admin);
      await ap.waitForURL(/\/admin\.html$/);
      await ap.locator('#admin-content:not([hidden])').waitFor();
      assertEqual(JSON.stringify((await ap.locator('#user-nav a.nav-link').allTextContents()).map(squash)),
        JSON.stringify(['Beheer', 'Bestuursoverzicht', 'Regio-overzicht']), 'nav links');
      await shot(ap, '20-admin');
    });

    await check('admin forms: a missing name is reported next to the field; a server error in error.fields (unknown board) appears next to its field', async () => {
      await ap.click('#region-form button[type="submit"]');
      await waitForText(ap.locator('#region-name-error'), 'naam', 'region name error');
      assertEqual(await ap.getAttribute('#region-name', 'aria-invalid'), 'true', 'aria-invalid');
      await ap.fill('#school-board_id', '987654321');
      await ap.fill('#school-name', `Testschool ${stamp}`);
      await ap.fill('#school-brin', '99ZZ99');
      await ap.fill('#school-municipality', 'Testgemeente');
      await ap.click('#school-form button[type="submit"]');
      await waitForText(ap.locator('#school-board_id-error'), /bestuur/i, 'server error next to the board field');
      assertEqual(await ap.getAttribute('#school-board_id', 'aria-invalid'), 'true', 'aria-invalid on the board field');
      await shot(ap, '21-admin-field-error');
    }, { blocks: false });

    const regionName = `Testregio ${stamp}`;
    let newBoardId;
    await check('admin creates a region through the form; the success message gives its number', async () => {
      await ap.fill('#region-name', regionName);
      await ap.click('#region-form button[type="submit"]');
      await waitForText(ap.locator('#region-message'), 'is aangemaakt', 'region success message');
      regionId = await ap.getAttribute('#region-message', 'data-id');
      assert(/^\d+$/.test(regionId || ''), `region id in the message: ${regionId}`);
      const r = await admin.api(`/regions/${regionId}/coverage`);
      assertEqual(r.status, 200, 'GET the new region');
      assertEqual(r.body.region.name, regionName, 'name of the new region');
    });

    await check('admin creates a board in that region through the form', async () => {
      const boardName = `Testbestuur ${stamp}`;
      await ap.fill('#board-name', boardName);
      // Nine digits: DUO's board numbers (imported by the integration tests) have at most five.
      await ap.fill('#board-number', `9${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`);
      await ap.fill('#board-region_id', regionId);
      await ap.click('#board-form button[type="submit"]');
      await waitForText(ap.locator('#board-message'), 'is aangemaakt', 'board success message');
      const id = await ap.getAttribute('#board-message', 'data-id');
      newBoardId = id;
      const r = await admin.api(`/boards/${id}/coverage`);
      assertEqual(r.status, 200, 'GET the new board');
      assertEqual(r.body.board.name, boardName, 'name of the new board');
      assertEqual(r.body.schools.length, 0, 'the new board has no schools');
      await shot(ap, '22-admin-created');
    }, { blocks: false });

    await check('XSS probe: a school and a teacher whose names carry <img onerror> and <script> are shown as text on board.html; no script runs', async () => {
      assert(newBoardId, 'the board made by the previous check');
      const imgName = `<img src=x onerror="window.__xss='school'">School ${stamp}`;
      const scriptName = `<script>window.__xss='naam'</script><img src=x onerror="window.__xss='naam'">Jan ${stamp}`;
      const brin = `X${String(Math.floor(Math.random() * 1e5)).padStart(5, '0')}`.slice(0, 6);
      const res = await admin.context.request.post(`${BASE_URL}/api/v1/schools`, {
        data: { board_id: Number(newBoardId), name: imgName, brin, municipality: '<b>Testgemeente</b>' } });
      assertEqual(res.status(), 201, `POST /schools: ${await res.text()}`);
      const { id: schoolId, join_code: joinCode } = await res.json();
      const reg = await fetch(`${BASE_URL}/api/v1/auth/register`, {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email: `xss-${stamp}@voorbeeld.invalid`, password: `Xss-wachtwoord-${stamp}`, name: scriptName, join_code: joinCode }) });
      assertEqual(reg.status, 201, `register with the school's code: ${await reg.text()}`);
      await ap.goto(`${BASE_URL}/board.html?board=${newBoardId}`);
      const row = ap.locator(`#schools tbody tr[data-school-id="${schoolId}"]`);
      await row.waitFor();
      assert((await textOf(row)).includes(squash(imgName)), `school name shown as text: ${await textOf(row)}`);
      await ap.click(`#schools [data-open-school="${schoolId}"]`);
      await ap.locator('#school-detail:not([hidden])').waitFor();
      await waitForText(ap.locator('#detail-title'), squash(imgName), 'school heading as text');
      await waitForText(ap.locator('#staff-table tbody'), squash(scriptName), 'teacher name as text');
      await shot(ap, '24-xss-probe');
      assertEqual(await ap.evaluate(() => window.__xss), undefined, 'no injected script ran');
      assertEqual(await ap.locator('#main img[src="x"], #main script, #main b').count(), 0, 'no element made from a name');
    }, { needs: false });

    await check('admin opens the demo board on board.html?board=<id> and sees its schools', async () => {
      assert(boardId && coverage, 'the demo board from the board admin part');
      await ap.goto(`${BASE_URL}/admin.html`);
      await ap.fill('#open-board', String(boardId));
      await ap.locator('#open-board').press('Enter');
      await ap.waitForURL(new RegExp(`/board\\.html\\?board=${boardId}$`));
      await ap.locator('#schools tbody tr[data-school-id]').first().waitFor();
      assertEqual(await ap.locator('#schools tbody tr[data-school-id]').count(), coverage.schools.length, 'schools for the admin');
    }, { needs: false });

    await check('[school-register endpoint] a file that is not DUO\'s register is refused: progress, the errors, "niets veranderd"', async () => {
      await ap.goto(`${BASE_URL}/admin.html`);
      await ap.locator('#admin-content:not([hidden])').waitFor();
      const bad = 'dit;is;geen;register\r\n1;2;3;4\r\n';
      await ap.route('**/api/v1/school-register', async (route) => {
        await new Promise((r) => { setTimeout(r, 700); });
        await route.continue();
      });
      await ap.setInputFiles('#register-file', { name: 'geen-register.csv', mimeType: 'text/csv', buffer: Buffer.from(bad, 'latin1') });
      await ap.click('#register-form button[type="submit"]');
      await ap.locator('#register-progress').waitFor({ state: 'visible', timeout: 2000 });
      await ap.locator('#register-result .message').waitFor({ timeout: UPLOAD_TIMEOUT });
      await ap.unroute('**/api/v1/school-register');
      const message = await textOf(ap.locator('#register-result .message'));
      assert(message.includes('niets veranderd'), `message says nothing changed: ${message}`);
      assert(!message.includes('kent dit adres niet'), `the endpoint exists: ${message}`);
      assert(await ap.locator('#register-result table.error-table tbody tr').count() >= 1,
        `line errors in a table (message: ${message})`);
      await shot(ap, '23-register-refused');
    }, { needs: false });

    await admin.context.close();

    // ===================================================================== region viewer
    part('region viewer');
    if (accounts.region_viewer) {
      await check(`region viewer lands on region.html; region ${REGION_ID}: groups per municipality and board, suppressed ones without numbers, the line chart`, async () => {
        const rv = await newContext('region_viewer');
        try {
          await login(rv.page, accounts.region_viewer);
          await rv.page.waitForURL(/\/region\.html/);
          await rv.page.goto(`${BASE_URL}/region.html?region=${encodeURIComponent(REGION_ID)}`);
          const r = await rv.api(`/regions/${REGION_ID}/coverage`);
          assertEqual(r.status, 200, `GET /regions/${REGION_ID}/coverage (set REGION_ID to the viewer's region)`);
          await rv.page.locator('#region-content:not([hidden])').waitFor();
          await waitForText(rv.page.locator('#region-title'), r.body.region.name, 'region name');
          for (const [list, id] of [[r.body.municipalities, 'municipalities'], [r.body.boards, 'boards']]) {
            assertEqual(await rv.page.locator(`#${id} tbody tr[data-suppressed]`).count(), list.length, `${id} rows`);
            for (const g of list.filter((x) => x.suppressed)) {
              const row = rv.page.locator(`#${id} tbody tr[data-suppressed="true"]`).filter({ hasText: g.name });
              const text = await textOf(row);
              assert(text.includes(SUPPRESSED_TEXT), `suppressed row of ${g.name}: ${text}`);
              assert(!/\d/.test(text.replace(g.name, '').replace(SUPPRESSED_TEXT, '')), `no numbers in ${text}`);
            }
          }
          assert(await rv.page.locator('#municipalities-chart svg.bar-chart').count() === 1, 'bar chart per municipality');
          // The history is suppressed like the report: points only for months shown,
          // hidden months as text in the table.
          const h = await rv.api(`/regions/${REGION_ID}/coverage/history`);
          assertEqual(h.status, 200, `GET /regions/${REGION_ID}/coverage/history`);
          await rv.page.locator('#history-chart svg.line-chart').waitFor();
          const shownMonths = h.body.filter((m) => m.coverage_pct !== null).length;
          if (shownMonths > 0) await rv.page.locator('#history-chart svg.line-chart circle.chart-point').first().waitFor();
          assertEqual(await rv.page.locator('#history-chart circle.chart-point').count(), shownMonths, 'points of shown months');
          const hiddenMonths = h.body.filter((m) => m.suppressed);
          assertEqual(await rv.page.locator('#history-chart tr[data-suppressed="true"]').count(), hiddenMonths.length,
            'hidden months in the table');
          for (const m of h.body.filter((x) => !x.suppressed)) {
            assert(m.teachers % 5 === 0, `month ${m.month}: teachers rounded to 5 (${m.teachers})`);
          }
          const text = await textOf(rv.page.locator('#main'));
          assert(!text.includes('@'), 'no e-mail addresses on the region page');
          await shot(rv.page, '30-region');
        } finally {
          await rv.context.close();
        }
      }, { needs: false });
    }

    // =========================================================================== teacher
    part('teacher');
    if (accounts.teacher) {
      await check('a teacher still lands on "Mijn modules" with the "Mijn modules" link (learner flow unchanged)', async () => {
        const t = await newContext('teacher');
        try {
          await login(t.page, accounts.teacher);
          await t.page.waitForURL(/\/modules\.html$/);
          await t.page.locator('li.card').first().waitFor();
          await t.page.waitForTimeout(500);
          assert(/\/modules\.html$/.test(t.page.url()), `still on modules.html: ${t.page.url()}`);
          const links = (await t.page.locator('#user-nav a.nav-link').allTextContents()).map(squash);
          assert(links.includes('Mijn modules'), `nav has "Mijn modules": ${JSON.stringify(links)}`);
          for (const staff of ['Bestuursoverzicht', 'Regio-overzicht', 'Beheer'])
            assert(!links.includes(staff), `no "${staff}" link for a teacher: ${JSON.stringify(links)}`);
          await t.page.goto(`${BASE_URL}/board.html`);
          await waitForText(t.page.locator('#main h1'), 'Geen toegang', 'board.html refuses a teacher');
        } finally {
          await t.context.close();
        }
      }, { needs: false });
    }

    part('console');
    await checkConsole(consoleProblems);
  } finally {
    await browser.close();
  }
}

await run(main);
