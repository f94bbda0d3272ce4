// Keyboard-only browser test of the role-plays, the scenario studio and the attendance of
// in-person trainings, with an axe-core scan (WCAG 2.0/2.1/2.2 A and AA) at every state
// and the reflow check at 320×740 and 640×450 (1280 px at 200% zoom). It uses
// harness.mjs; every action is a key press (Tab, Shift+Tab, Enter, Space,
// arrows, Escape, typing); a file is chosen by Space on the file input and answering the
// file chooser, as a keyboard user's system dialog does.
//
//   teacher: logs in; "Rollenspellen" (scan); opens a published scenario and plays it to
//   an end: every choice is a Tab stop, Enter or Space chooses, the focus moves to what
//   the choice brought (the feedback) and a live region announces the next line of the
//   conversation (scans mid-play and at the end); "Opnieuw spelen" starts over; Tab
//   leaves the player again (no trap); the player mid-play reflows at 320 and 640 px.
//   trainer: the studio (scan); a JSON file that is no JSON, then one with two errors the
//   server finds: the error list gets the focus, the text field is invalid and described
//   by the list, each error names its place and jumps there (scans); the fix is typed
//   over the selected text, the scenario is created and published (scans); the preview
//   opens with the focus inside and Escape closes it with the focus back on its button;
//   the studio with errors reflows at 320 and 640 px.
//   trainer: trainings.html: a new training with a missing field (the field is invalid
//   and described by its error), then created; attendance with a malformed and an unknown
//   e-mail address (each tied to its row), a CSV file with a bad line (the line table),
//   then the demo teacher recorded (scans); the page reflows at 320 and 640 px, and every
//   table box that scrolls sideways is a labelled region that takes the focus.
//
// The test adds one scenario owned by the demo trainer (published, unique title), one
// attempt by the demo teacher on a demo scenario, and one training session with the demo
// teacher present. It registers no account.
//
// Environment: BASE_URL, DEMO_ACCOUNTS (trainer and teacher lines), SCREENSHOT_DIR,
// A11Y_REPORT (see a11y.mjs), CHROMIUM (default /usr/bin/chromium).

import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { assertAccessible, assertReflows, focusedElement, tabTo } from './a11y.mjs';
import {
  BASE_URL, DEMO_ACCOUNTS, assert, assertEqual, blockedBy, check, checkConsole, configure, keyboardLogin,
  launchChromium, openPage, readAccounts, run, shot, squash, waitForText, waitUntil, watchConsole,
} from './harness.mjs';

const TRAINING_MODULE = 'af-praktijktraining';
const NARROW = [{ width: 320, height: 740 }, { width: 640, height: 450 }];

// Three flows (play, studio, trainings) that do not depend on each other: each check
// names its flow, and a failure skips the rest of that flow only.
configure({ errorLines: 8, pollInterval: 100 });

// ---- keyboard and focus helpers ----------------------------------------------------------

/**
 * tabTo with room for long lists: the stack keeps the scenarios and trainings of earlier
 * runs, and each one is a Tab stop ("Openen") on the way.
 */
const TAB_LIMIT = { limit: 250 };
const tab = (page, selector, opts = {}) => tabTo(page, selector, { ...TAB_LIMIT, ...opts });

/** True when the focused element matches `selector`. */
const focusIs = (page, selector) => page.evaluate((sel) => Boolean(document.activeElement
  && document.activeElement.matches(sel)), selector);

async function assertFocus(page, selector, what) {
  await waitUntil(() => focusIs(page, selector),
    `${what}: focus should be on ${selector}, is on ${await focusedElement(page)}`, 5000);
}

/** The focused element shows a focus indicator (outline or box shadow). */
async function assertFocusVisible(page, what) {
  const visible = await page.evaluate(() => {
    const cs = getComputedStyle(document.activeElement);
    return (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0) || (cs.boxShadow && cs.boxShadow !== 'none');
  });
  assert(visible, `${what}: no visible focus indicator on ${await focusedElement(page)}`);
}

/** The texts of the live regions (aria-live, role=status/alert) inside `scope`. */
const liveTexts = (page, scope = 'body') => page.evaluate((sel) => [...document.querySelector(sel)
  .querySelectorAll('[aria-live]:not([aria-live="off"]), [role="status"], [role="alert"]')]
  .map((n) => n.textContent.replace(/\s+/g, ' ').trim()), scope);

/** Fails unless a live region in `scope` says `text` (or the focus is on it). */
async function assertAnnounced(page, text, what, scope = 'body') {
  const want = squash(text);
  await waitUntil(async () => {
    if ((await liveTexts(page, scope)).some((t) => t.includes(want))) return true;
    return page.evaluate((w) => (document.activeElement.textContent || '').replace(/\s+/g, ' ').includes(w), want);
  }, `${what}: "${want.slice(0, 80)}" is in no live region (${JSON.stringify(await liveTexts(page, scope))}) nor focused`, 5000);
}

/**
 * `field` is invalid and its aria-describedby names an element that holds `text`.
 */
async function assertFieldError(page, field, text, what) {
  const out = await page.evaluate(([sel, want]) => {
    const input = document.querySelector(sel);
    if (!input) return `no ${sel}`;
    if (input.getAttribute('aria-invalid') !== 'true') return `${sel} has no aria-invalid="true"`;
    const ids = (input.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
    const said = ids.map((id) => document.getElementById(id)).filter((n) => n && !n.hidden)
      .map((n) => n.textContent.replace(/\s+/g, ' ')).join(' | ');
    return said.includes(want) ? null : `${sel} is described by ${JSON.stringify(said)}, not by "${want}"`;
  }, [field, text]);
  assert(out === null, `${what}: ${out}`);
}

/** Every table box that scrolls sideways is a labelled region in the tab order. */
async function assertScrollBoxesReachable(page, what) {
  const bad = await page.evaluate(() => [...document.querySelectorAll('.table-scroll')]
    .filter((box) => box.offsetParent !== null && box.scrollWidth > box.clientWidth + 1)
    .filter((box) => box.getAttribute('tabindex') !== '0' || box.getAttribute('role') !== 'region'
      || !(box.getAttribute('aria-label') || box.getAttribute('aria-labelledby')))
    .map((box) => `${box.id || box.className} (${box.querySelector('table') ? box.querySelector('table').id || 'table' : ''})`));
  assert(bad.length === 0, `${what}: table boxes that scroll without a label or tab stop: ${bad.join(', ')}`);
}

/** Reflow and axe at each narrow viewport, then back to 1280×900. */
async function narrowChecks(page, label, extra = null) {
  try {
    for (const size of NARROW) {
      await page.setViewportSize(size);
      await page.waitForTimeout(50); // one layout after the resize
      await assertReflows(page, `${label} at ${size.width}×${size.height}`);
      await assertAccessible(page, `${label} at ${size.width} px`);
      await assertScrollBoxesReachable(page, `${label} at ${size.width} px`);
      if (extra) await extra(page, `${label} at ${size.width} px`);
    }
  } finally {
    await page.setViewportSize({ width: 1280, height: 900 });
  }
}

/** Every control of the attendee form lies inside the window: no sideways scrolling in
 *  its box to reach a criterion. */
async function attendeeRowsFit(page, what) {
  const out = await page.evaluate(() => [...document.querySelectorAll('#attendee-rows input, #attendee-rows button')]
    .filter((n) => { const r = n.getBoundingClientRect(); return r.width > 0 && (r.right > window.innerWidth || r.left < 0); })
    .map((n) => n.id || n.className));
  assert(out.length === 0, `${what}: attendee form controls outside the window: ${out.slice(0, 4).join(', ')}`);
}

/** Chooses a file the keyboard way: Space on the focused file input opens the chooser. */
async function chooseFile(page, inputSelector, file, opts = {}) {
  await tab(page, inputSelector, opts);
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.keyboard.press('Space')]);
  await chooser.setFiles(file);
}

// ---- the trainer's scenario ------------------------------------------------------------------

function scenarioDoc(title) {
  return {
    title,
    summary: 'Toetsenbordtest: een vader die boos is bij het hek.',
    audience: ['teacher', 'ib'],
    start: 'hek',
    nodes: {
      hek: {
        speaker: 'Verteller',
        text: 'De vader van Noor staat bij het hek en roept dat de juf zich nergens mee moet bemoeien.',
        meldcode_step: 1,
        choices: [
          { text: 'Blijf rustig en vraag wat hij bedoelt.', next: 'gesprek', feedback: 'Goed: je houdt het gesprek open.', score: 10 },
          { text: 'Zeg dat hij weg moet gaan.', next: 'einde', feedback: 'Zo stopt het gesprek.', score: -5 },
        ],
      },
      gesprek: {
        speaker: 'Vader van Noor',
        text: 'Hij zegt dat Noor thuis niets mag vertellen over school.',
        meldcode_step: 3,
        choices: [
          { text: 'Schrijf op wat hij zei.', next: 'einde', feedback: 'Feiten vastleggen helpt later.', score: 5 },
        ],
      },
      einde: { speaker: 'Verteller', text: 'Je bespreekt het met de aandachtsfunctionaris.', outcome: 'Afgerond.' },
    },
  };
}

const lineOf = (text, needle) => text.slice(0, text.indexOf(needle)).split('\n').length;

// ---- playing by keys -------------------------------------------------------------------------

/**
 * Plays the player in `scope` to an end with keys only. At each step: the choices are
 * consecutive Tab stops, Enter or Space (in turn) chooses the last one reached, the focus
 * moves to the feedback of the choice (with a visible indicator) and a live region
 * announces the next line. `afterStep(n)` runs after step n. Returns the number of steps.
 */
async function playByKeys(page, scope, afterStep = null, { scored = true } = {}) {
  const root = page.locator(scope);
  const choiceSel = `${scope} .choice-group .choice-button`;
  const activeChoice = () => page.evaluate((sel) => {
    const a = document.activeElement;
    return a && a.matches(sel) ? a.dataset.index : null;
  }, choiceSel);
  let steps = 0;
  for (;;) {
    const n = await page.locator(choiceSel).count();
    if (n === 0) break;
    assert(steps < 25, 'no end after 25 choices');
    await tab(page, choiceSel);
    const seen = [await activeChoice()];
    for (let k = 1; k < n; k += 1) {
      await page.keyboard.press('Tab');
      seen.push(await activeChoice());
    }
    assertEqual(new Set(seen.filter((x) => x !== null)).size, n, `the ${n} choices of step ${steps + 1} as consecutive Tab stops (${seen})`);
    const before = await root.locator('.chat > li').count();
    await page.keyboard.press(steps % 2 === 0 ? 'Enter' : 'Space');
    steps += 1;
    await waitUntil(async () => (await root.locator('.chat > li').count()) >= before + 3, `step ${steps}: choice, feedback and the next line shown`);
    await assertFocus(page, `${scope} .chat > li.chat-feedback:nth-last-child(2)`, `step ${steps}`);
    await assertFocusVisible(page, `the feedback of step ${steps}`);
    const next = squash(await root.locator('.chat > li.bubble').last().locator('.bubble-text').textContent());
    await assertAnnounced(page, next, `step ${steps}: the next line`, scope);
    if (afterStep) await afterStep(steps);
  }
  await root.locator('.scenario-end').waitFor({ state: 'visible' });
  if (!scored) return steps;
  await waitForText(root.locator('.scenario-score'), /Je score: -?\d+ punt/, 'the score from the server');
  await assertAnnounced(page, squash(await root.locator('.scenario-outcome').textContent()), 'the outcome', scope);
  await assertAnnounced(page, 'Je score:', 'the score', scope);
  assertEqual(await root.locator('.scenario-player').getAttribute('data-finished'), 'true', 'attempt recorded');
  return steps;
}

// ---- the test -----------------------------------------------------------------------------

async function playFlow(browser, accounts, consoleProblems) {
  const F = { flow: 'play' };
  const { context: ctx, page } = await openPage(browser);
  watch(page, 'teacher', consoleProblems);
  const root = page.locator('#scenario-root');

  await check('teacher: logs in with the keyboard; "Rollenspellen" in the header by Tab and Enter; the list (scan)', async () => {
    await keyboardLogin(page, accounts.teacher, TAB_LIMIT);
    await page.waitForURL(/\/modules\.html$/);
    await page.locator('#user-nav a[href="/scenarios.html"]').waitFor();
    await tab(page, '#user-nav a[href="/scenarios.html"]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/scenarios\.html$/);
    await page.locator('#scenario-list li[data-scenario-id]').first().waitFor();
    await assertAccessible(page, 'scenarios.html – list (teacher)');
  }, F);

  await check('a published scenario opens with Tab and Enter on "Spelen"; the first line and the choices (scan)', async () => {
    await tab(page, '#scenario-list li[data-scenario-id] a.button');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/scenario\.html\?id=\d+$/);
    await root.locator('.choice-group .choice-button').first().waitFor();
    assertEqual(await root.locator('.chat > li').count(), 1, 'one line of conversation');
    await assertAccessible(page, 'scenario.html – start (teacher)');
  }, F);

  await check('played to an end by keys: every choice a Tab stop, Enter/Space chooses, focus on what it brought, the next line announced (scans)', async () => {
    await playByKeys(page, '#scenario-root', async (step) => {
      if (step === 1) await assertAccessible(page, 'scenario.html – mid-play with feedback (teacher)');
    });
    await assertAccessible(page, 'scenario.html – end with outcome and score (teacher)');
    await shot(page, 'keyboard-scenario-01-end');
  }, F);

  await check('"Opnieuw spelen" by Tab and Enter starts over with the focus on the title; Tab leaves the player (no trap) (scan)', async () => {
    await tab(page, '#scenario-root .replay-button');
    await page.keyboard.press('Enter');
    await waitUntil(async () => (await root.locator('.chat > li').count()) === 1, 'one line after starting over');
    await assertFocus(page, '#scenario-root .scenario-title', 'after "Opnieuw spelen"');
    assert(await root.locator('.scenario-end').isHidden(), 'the outcome is hidden');
    await assertAccessible(page, 'scenario.html – after "Opnieuw spelen" (teacher)');
    // On past the choices and out of the page: the Tab order wraps to the skip link.
    await tab(page, '.choice-group .choice-button');
    await tab(page, '.skip-link', { limit: 30 });
  }, F);

  await check('the player mid-play reflows at 320×740 and 640×450 (scans)', async () => {
    await tab(page, '.choice-group .choice-button');
    await page.keyboard.press('Enter');
    await assertFocus(page, '#scenario-root .chat-feedback', 'after the choice');
    await narrowChecks(page, 'scenario.html – mid-play (teacher)');
  }, F);

  await check('offline at the end: the alert says the choices were not sent (scan); online again, "Opnieuw versturen" by keys keeps the focus (on "Afloop") and brings the score', async () => {
    if (await root.locator('.scenario-end').isVisible()) {
      // The mid-play choice ended it already: start over.
      await tab(page, '#scenario-root .replay-button');
      await page.keyboard.press('Enter');
    }
    await page.context().setOffline(true);
    try {
      await playByKeys(page, '#scenario-root', null, { scored: false });
      const alert = root.locator('.scenario-end [role="alert"]');
      await waitForText(alert, 'geen verbinding', 'the alert');
      await assertAccessible(page, 'scenario.html – end, choices not sent (offline) (teacher)');
    } finally {
      await page.context().setOffline(false);
    }
    await tab(page, '#scenario-root .scenario-end button:not(.replay-button)');
    await waitForText(page.locator(':focus'), 'Opnieuw versturen', 'the focused button');
    await page.keyboard.press('Enter');
    await waitForText(root.locator('.scenario-score'), /Je score: -?\d+ punt/, 'the score from the server');
    await assertFocus(page, '#scenario-root .scenario-end h2', 'after "Opnieuw versturen"');
    assertEqual(await root.locator('.scenario-player').getAttribute('data-finished'), 'true', 'attempt recorded');
    await assertAccessible(page, 'scenario.html – end after sending again (teacher)');
  }, F);

  await check('an unknown scenario: "Rollenspel niet gevonden", the way back by Tab and Enter (scan)', async () => {
    await page.goto(`${BASE_URL}/scenario.html?id=999999999999`);
    await waitForText(page.locator('#main h1'), 'Rollenspel niet gevonden', 'the heading');
    await assertAccessible(page, 'scenario.html – not found (teacher)');
    await tab(page, '#main a[href="/scenarios.html"]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/scenarios\.html$/);
  }, F);

  await ctx.close();
}

function watch(p, label, problems) {
  // Playwright answers a file chooser only while one is awaited; a listener from the
  // start keeps that on, so a key press never races the first waitForEvent.
  p.on('filechooser', () => {});
  // Refused requests (the broken scenario's 400, the unknown address' 403) are on purpose.
  watchConsole(p, label, problems);
}

async function studioFlow(page, stamp) {
  const F = { flow: 'studio' };
  const title = `Toetsenbordtest ${stamp}: de vader bij het hek`;
  const good = `${JSON.stringify(scenarioDoc(title), null, 2)}\n`;
  const broken = good
    .replace('"next": "einde",\n          "feedback": "Zo stopt', '"next": "bestaat-niet",\n          "feedback": "Zo stopt')
    .replace('"score": 5\n', '"score": 500\n');

  await check('trainer: logs in with the keyboard and lands on the studio (scan)', async () => {
    assert(broken.includes('bestaat-niet') && broken.includes('"score": 500'), 'the test could not build the broken scenario');
    await page.waitForURL(/\/studio\.html/);
    await page.locator('#studio').waitFor({ state: 'visible' });
    await assertAccessible(page, 'studio.html – list and empty editor (trainer)');
  }, F);

  await check('a file that is no JSON, chosen with Space: the error gets the focus, the text field is invalid and described by it (scan)', async () => {
    await chooseFile(page, '#file-input', { name: 'kapot.json', mimeType: 'application/json', buffer: Buffer.from('{"title": "half', 'utf8') });
    await page.locator('#error-list').waitFor({ state: 'visible' });
    await assertFocus(page, '#error-list-title', 'after the syntax error');
    await waitForText(page.locator('#error-list'), 'Dit is geen geldige JSON', 'the error');
    await assertFieldError(page, '#doc-input', 'Dit is geen geldige JSON', 'the text field');
    await assertAccessible(page, 'studio.html – file that is no JSON (trainer)');
  }, F);

  await check('a scenario with two errors the server finds: the list gets the focus and is announced, each error names its place; the text field is described by the list (scan)', async () => {
    await chooseFile(page, '#file-input', { name: 'fouten.json', mimeType: 'application/json', buffer: Buffer.from(broken, 'utf8') });
    const items = page.locator('#error-list li[data-path]');
    await waitUntil(async () => (await items.count()) === 2, 'two errors listed');
    await assertFocus(page, '#error-list-title', 'after the refusal');
    await waitForText(page.locator('#error-list-title'), '2 fouten in het scenario', 'the heading');
    await assertFieldError(page, '#doc-input', '2 fouten in het scenario', 'the text field');
    for (const [path, needle] of [['/nodes/hek/choices/1/next', '"next": "bestaat-niet"'], ['/nodes/gesprek/choices/0/score', '"score": 500']]) {
      const item = page.locator(`#error-list li[data-path="${path}"]`);
      await waitForText(item.locator('.error-line'), `regel ${lineOf(broken, needle)}`, `the line of ${path}`);
      // The button that jumps there is described by the error's message.
      const described = await item.locator('button.error-path').evaluate((b) => {
        const m = document.getElementById(b.getAttribute('aria-describedby') || '');
        return m ? m.textContent : '';
      });
      assert(described.trim().length > 0 && described === await item.locator('.error-message').textContent(), `the button of ${path} is described by its message`);
    }
    await assertAccessible(page, 'studio.html – errors in the scenario (trainer)');
    await shot(page, 'keyboard-scenario-02-studio-errors');
  }, F);

  await check('the studio with errors reflows at 320×740 and 640×450 (scans)', async () => {
    await narrowChecks(page, 'studio.html – errors in the scenario (trainer)');
  }, F);

  await check('Enter on an error selects its place in the text, the caret line names it; typing over it fixes both', async () => {
    for (const [path, wrong, right] of [
      ['/nodes/hek/choices/1/next', '"next": "bestaat-niet"', '"next": "einde"'],
      ['/nodes/gesprek/choices/0/score', '"score": 500', '"score": 5'],
    ]) {
      await tab(page, `#error-list li[data-path="${path}"] button.error-path`);
      await page.keyboard.press('Enter');
      await assertFocus(page, '#doc-input', `after Enter on ${path}`);
      const selected = await page.evaluate(() => {
        const t = document.getElementById('doc-input');
        return t.value.slice(t.selectionStart, t.selectionEnd);
      });
      assertEqual(selected, wrong, `the text selected for ${path}`);
      await waitForText(page.locator('#doc-caret'), `Regel ${lineOf(broken, wrong)}:`, 'the caret line names the error');
      await page.keyboard.type(right);
    }
    assertEqual(await page.inputValue('#doc-input'), good, 'the text after typing over both errors');
  }, F);

  let scenarioId = null;
  await check('Tab to "Scenario aanmaken" and Enter: created, the message has the focus (scan)', async () => {
    await tab(page, '#save-button');
    await page.keyboard.press('Enter');
    await waitForText(page.locator('#editor-message'), 'aangemaakt (versie 1, concept)', 'the message');
    await assertFocus(page, '#editor-message', 'after creating');
    assert(await page.locator('#error-list').isHidden(), 'no error list');
    assertEqual(await page.locator('#doc-input').getAttribute('aria-invalid'), null, 'the text field is valid again');
    scenarioId = await page.locator('#detail').getAttribute('data-scenario-id');
    assert(scenarioId, 'the detail panel shows the new scenario');
    await assertAccessible(page, 'studio.html – scenario created (trainer)');
  }, F);

  await check('"Voorbeeld": the focus goes inside; Escape closes it and the focus returns to the button (scan)', async () => {
    await tab(page, '#preview-button');
    await page.keyboard.press('Enter');
    await page.locator('#preview-root .scenario-player').waitFor();
    await assertFocus(page, '#preview *', 'after opening the preview');
    await assertAccessible(page, 'studio.html – preview open (trainer)');
    await tab(page, '#preview-root .choice-button');
    await page.keyboard.press('Escape');
    await waitUntil(() => page.locator('#preview').isHidden(), 'the preview closes on Escape');
    await assertFocus(page, '#preview-button', 'after Escape');
  }, F);

  await check('the preview played to an end by keys; the statistics count it, each table box a labelled region; reflows at 320 and 640 px (scans)', async () => {
    await page.keyboard.press('Enter');
    await page.locator('#preview-root .scenario-player').waitFor();
    await playByKeys(page, '#preview-root');
    await waitForText(page.locator('#stats-summary'), 'Versie 1: 1 keer tot het eind gespeeld', 'the statistics');
    assert(await page.locator('#stats-root .stats-node').count() > 0, 'a table per node');
    await assertAccessible(page, 'studio.html – preview played, statistics (trainer)');
    await narrowChecks(page, 'studio.html – preview played, statistics (trainer)');
    await page.keyboard.press('Escape');
    await waitUntil(() => page.locator('#preview').isHidden(), 'the preview closes on Escape');
    await assertFocus(page, '#preview-button', 'after Escape');
  }, F);

  await check('Tab to "publiceren" and Enter: published, the focus on the message that says so (scan)', async () => {
    await tab(page, '#publish-button');
    await page.keyboard.press('Enter');
    await waitForText(page.locator('#detail-message'), 'Versie 1 is gepubliceerd', 'the message');
    await assertFocus(page, '#detail-message', 'after publishing');
    await waitForText(page.locator(`#scenario-rows tr[data-scenario-id="${scenarioId}"]`), 'Gepubliceerd', 'status in the list in words');
    await assertAccessible(page, 'studio.html – scenario published (trainer)');
    await shot(page, 'keyboard-scenario-03-studio-published');
  }, F);

  await check('media: "Uploaden" without a file, then a text file: the file field is invalid, described by the error and has the focus (scan)', async () => {
    await tab(page, '#media-submit');
    await page.keyboard.press('Enter');
    await assertFocus(page, '#media-file', 'after "Uploaden" without a file');
    await assertFieldError(page, '#media-file', 'Kies eerst een bestand', 'the file field');
    await chooseFile(page, '#media-file', { name: 'notities.txt', mimeType: 'text/plain', buffer: Buffer.from('geen beeld', 'utf8') });
    await tab(page, '#media-submit');
    await page.keyboard.press('Enter');
    await assertFocus(page, '#media-file', 'after a text file');
    await assertFieldError(page, '#media-file', 'notities.txt: alleen PNG, JPEG, MP3 of MP4', 'the file field');
    await assertAnnounced(page, 'alleen PNG, JPEG, MP3 of MP4', 'the error');
    await assertAccessible(page, 'studio.html – media upload refused (trainer)');
  }, F);

  await check('"Nieuw scenario" asks first (a browser dialog): cancelled keeps the text and the focus on the button; confirmed empties the editor with the focus on its heading', async () => {
    const text = await page.inputValue('#doc-input');
    assert(text.includes(stamp), 'the editor holds the scenario');
    // Escape in the browser's dialog is "dismiss"; Enter is "accept".
    page.once('dialog', (d) => d.dismiss());
    await tab(page, '#new-button');
    await page.keyboard.press('Enter');
    await assertFocus(page, '#new-button', 'after cancelling');
    assertEqual(await page.inputValue('#doc-input'), text, 'the text after cancelling');
    page.once('dialog', (d) => d.accept());
    await page.keyboard.press('Enter');
    await assertFocus(page, '#editor-title', 'after confirming');
    await waitForText(page.locator('#editor-title'), 'Nieuw scenario', 'the editor');
    assertEqual(await page.inputValue('#doc-input'), '', 'the text after confirming');
  }, F);

  await check('"Scenario aanmaken" with an empty text field: the field has the focus, is invalid and described by the message (scan)', async () => {
    await tab(page, '#save-button');
    await page.keyboard.press('Enter');
    await assertFocus(page, '#doc-input', 'after the refusal');
    await assertFieldError(page, '#doc-input', 'Het tekstvak is leeg', 'the text field');
    await assertAccessible(page, 'studio.html – empty scenario refused (trainer)');
  }, F);
}

async function trainingsFlow(page, stamp, accounts) {
  const F = { flow: 'trainings' };
  const trainingTitle = `Toetsenbordtraining ${stamp}`;

  await check('trainings.html: the list and the form (scan)', async () => {
    await page.goto(`${BASE_URL}/trainings.html`);
    await page.locator('#trainings').waitFor({ state: 'visible' });
    await assertAccessible(page, 'trainings.html – list and new training (trainer)');
  }, F);

  await check('a new training without a title: the field is invalid, described by its error and has the focus (scan)', async () => {
    await tab(page, '#create-submit');
    await page.keyboard.press('Enter');
    await assertFocus(page, '#training-title', 'after the refusal');
    await assertFieldError(page, '#training-title', 'Vul een titel in', 'the title');
    await assertAccessible(page, 'trainings.html – new training with errors (trainer)');
  }, F);

  await check('filled in by keys (arrows in the module list) and created: the session opens with the focus on its title (scan)', async () => {
    await page.keyboard.type(trainingTitle);
    await tab(page, '#training-module');
    const isSelect = await page.locator('#training-module').evaluate((n) => n.tagName === 'SELECT');
    if (isSelect) {
      for (let i = 0; i < 40 && await page.inputValue('#training-module') !== TRAINING_MODULE; i += 1) {
        await page.keyboard.press('ArrowDown');
      }
      assertEqual(await page.inputValue('#training-module'), TRAINING_MODULE, 'module chosen with the arrow keys');
    } else {
      await page.keyboard.type(TRAINING_MODULE);
    }
    // The date is today already (attendance needs a training that has been held).
    await tab(page, '#training-location');
    await page.keyboard.type('Heuvelstad');
    await page.keyboard.press('Enter');
    await waitForText(page.locator('#detail-title'), trainingTitle, 'the session');
    await assertFocus(page, '#detail-title', 'after creating');
    await assertAccessible(page, 'trainings.html – training opened (trainer)');
  }, F);

  await check('attendance: a malformed address is refused in its row (invalid, described by the error, focused) (scan)', async () => {
    await tab(page, '#attendee-rows tr:first-child .attendee-email');
    await page.keyboard.type('geen-adres');
    await tab(page, '#attendance-submit');
    await page.keyboard.press('Enter');
    await assertFocus(page, '#attendee-rows tr:first-child .attendee-email', 'after the refusal');
    await assertFieldError(page, '#attendee-rows tr:first-child .attendee-email', 'geen-adres is geen geldig e-mailadres', 'the row');
    await assertAnnounced(page, 'geen geldig e-mailadres', 'the error');
    await assertAccessible(page, 'trainings.html – attendance with a malformed address (trainer)');
  }, F);

  const unknown = `niemand.${stamp}@example.invalid`;
  await check('attendance: an address outside the trainer\'s boards: the server\'s refusal has the focus and is tied to its row (scan)', async () => {
    await page.keyboard.press('Control+A');
    await page.keyboard.type(unknown);
    await tab(page, '#attendance-submit');
    await page.keyboard.press('Enter');
    await waitForText(page.locator('#record-outcome'), unknown, 'the server names the address');
    await assertFocus(page, '#record-outcome', 'after the refusal');
    await assertFieldError(page, '#attendee-rows tr:first-child .attendee-email', unknown, 'the row');
    await waitForText(page.locator('#attendance-root'), 'Nog niemand vastgelegd', 'nothing recorded');
    await assertAccessible(page, 'trainings.html – attendance refused by the server (trainer)');
  }, F);

  await check('a CSV file with a bad line, chosen with Space: the line table, the focus on the message (scan)', async () => {
    // Back from the refusal (below the CSV form) to the file field.
    await chooseFile(page, '#csv-file', { name: 'aanwezig.csv', mimeType: 'text/csv', buffer: Buffer.from(`email\n${accounts.teacher.email}\ngeen-adres\n`, 'utf8') }, { backwards: true });
    await tab(page, '#csv-submit');
    await page.keyboard.press('Enter');
    await page.locator('#record-result .error-table').waitFor();
    await assertFocus(page, '#record-outcome', 'after the refusal');
    await waitForText(page.locator('#record-result .error-table tr[data-line="3"]'), '3', 'line 3 named');
    await assertFieldError(page, '#csv-file', 'Het CSV-bestand is niet verwerkt', 'the file field');
    await assertAccessible(page, 'trainings.html – CSV with a bad line (trainer)');
    await narrowChecks(page, 'trainings.html – CSV with a bad line (trainer)', attendeeRowsFit);
  }, F);

  await check('the demo teacher recorded by keys (Space ticks each criterion): the result has the focus and is announced (scan)', async () => {
    await tab(page, '#attendee-rows tr:first-child .attendee-email', { backwards: true });
    await page.keyboard.press('Control+A');
    await page.keyboard.type(accounts.teacher.email);
    const ids = await page.locator('#attendee-rows tr:first-child .attendee-criterion')
      .evaluateAll((boxes) => boxes.map((b) => b.dataset.criterion));
    assert(ids.length > 0, 'criteria to tick');
    for (const id of ids) {
      await tab(page, `#attendee-rows tr:first-child .attendee-criterion[data-criterion="${id}"]`);
      await page.keyboard.press('Space');
    }
    await waitForText(page.locator('#attendee-rows tr:first-child .attendee-status'), 'Geslaagd', 'all ticked');
    await assertAnnounced(page, 'Geslaagd', 'the row result');
    await tab(page, '#attendance-submit');
    await page.keyboard.press('Enter');
    await waitForText(page.locator('#record-outcome'), '1 deelnemer vastgelegd', 'the result');
    await assertFocus(page, '#record-outcome', 'after recording');
    const row = page.locator(`#attendance-table tr[data-email="${accounts.teacher.email}"]`);
    await waitForText(row, 'Geslaagd', 'the attendance row, in words');
    await assertAccessible(page, 'trainings.html – attendance recorded (trainer)');
    await shot(page, 'keyboard-scenario-04-trainings');
  }, F);

  await check('the trainings page reflows at 320×740 and 640×450 (scans)', async () => {
    await narrowChecks(page, 'trainings.html – attendance recorded (trainer)', attendeeRowsFit);
  }, F);
}

async function main() {
  const stamp = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const consoleProblems = [];
  let accounts = {};

  await check(`DEMO_ACCOUNTS (${DEMO_ACCOUNTS}) names a trainer and a teacher`, () => {
    assert(existsSync(DEMO_ACCOUNTS), 'set DEMO_ACCOUNTS to the TSV of demo accounts');
    accounts = readAccounts(DEMO_ACCOUNTS);
    assert(accounts.trainer && accounts.teacher, 'no trainer or teacher line in DEMO_ACCOUNTS');
  }, { flow: 'setup' });
  if (blockedBy('setup')) return;

  const browser = await launchChromium();
  if (!browser) return;
  try {
    await playFlow(browser, accounts, consoleProblems);

    const { context: ctx, page } = await openPage(browser);
    watch(page, 'trainer', consoleProblems);
    await check('trainer logs in with the keyboard', async () => {
      await keyboardLogin(page, accounts.trainer, TAB_LIMIT);
      await page.waitForURL(/\/studio\.html/);
    }, { flow: 'login' });
    if (!blockedBy('login')) {
      await studioFlow(page, stamp);
      await trainingsFlow(page, stamp, accounts);
    }
    await checkConsole(consoleProblems);
    await ctx.close();
  } finally {
    await browser.close();
  }
}

await run(main);
