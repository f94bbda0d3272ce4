// Browser test of the role-play scenarios, in Debian's Chromium through playwright-core
// (harness.mjs, as every browser test):
//
//   trainer: logs in on the login page and lands on the scenario studio; pastes a
//   scenario with an unknown `next` and sees the server's error with its JSON-pointer
//   path and line; clicking the path selects that line in the textarea, which stays
//   editable; fixes it and creates the scenario (version 1, draft); uploads an image for
//   it and saves a new version that shows the image (version 2); previews it with the
//   learners' player; publishes it.
//   teacher (a new browser context): "Rollenspellen" in the header, the scenario in the
//   list, played to the end with the keyboard. Texts containing <script>, <img onerror>
//   and other markup are shown literally and run nothing (window.__pwned stays
//   undefined); focus moves to the feedback after each choice; the outcome and the score
//   come from the server; "Opnieuw spelen" starts over.
//   trainer again: the choice statistics count the teacher's choices, grouped under the
//   Meldcode steps. trainings.html: creates a session for af-praktijktraining, shows its
//   six criteria with a checkbox each per attendee ("geslaagd" only with all six ticked),
//   an address outside the trainer's boards is refused (403, nothing recorded), and the
//   demo teacher is recorded with five of six criteria met: present, not passed (so no
//   certificate is issued), and the judgement shows in the attendance table.
//
// The test adds to the stack one scenario owned by the demo trainer (a unique title, two
// versions), one image, the demo teacher's attempt, and one training session with the
// demo teacher present (judged, not passed). The trainer's preview is only
// opened, not played, so the statistics hold the teacher's choices alone.
//
// Environment:
//   BASE_URL        the site (default http://127.0.0.1:8080)
//   DEMO_ACCOUNTS   TSV file, lines role<TAB>email<TAB>password (needs trainer and
//                   teacher); default var/run/demo-accounts.tsv of this repository
//   SCREENSHOT_DIR  default tests/browser/screenshots
//   CHROMIUM        default /usr/bin/chromium
//
// Prints "ok - ..." / "not ok - ..." per check and "N passed, M failed" at the end;
// exits 1 when a check failed. After a failed step that later steps depend on, the rest
// is reported as skipped.

import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import {
  BASE_URL, DEMO_ACCOUNTS, STEP_TIMEOUT, assert, assertEqual, check, checkConsole, launchChromium, login,
  readAccounts, run, shot, waitForText, waitUntil, watchConsole,
} from './harness.mjs';

const TRAINING_MODULE = 'af-praktijktraining';

const SCRIPT_TEXT = '<script>window.__pwned=1</script>';
const IMG_TEXT = '<img src=x onerror="window.__pwned=2">';
const OUTCOME_TEXT = 'Goed afgerond. </p><script>window.__pwned=3</script><b>vet</b>';
// A 1×1 PNG: libmagic reads it as image/png.
const PNG_1X1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

// ---- the scenario -----------------------------------------------------------------------

function scenarioDoc(title, { media = null } = {}) {
  const hek = {
    speaker: 'Verteller',
    text: 'Het is kwart over acht. De moeder van Sam brengt hem naar school; ze draagt een grote zonnebril, terwijl het regent.',
    meldcode_step: 1,
    choices: [
      { text: 'Groet haar vriendelijk en vraag hoe het gaat.', next: 'gesprek', feedback: 'Goed: je blijft in contact zonder te oordelen.', score: 10 },
      { text: 'Loop door naar binnen.', next: 'einde_gemist', feedback: 'Zo mis je een signaal.', score: -5 },
    ],
  };
  if (media) hek.media = media;
  return {
    title,
    summary: 'Browsertest: een moeder met een zonnebril. <i>Opmaak</i> blijft tekst.',
    audience: ['teacher', 'ib'],
    start: 'hek',
    nodes: {
      hek,
      gesprek: {
        speaker: 'Moeder van Sam',
        text: `Ze zegt zachtjes: ${SCRIPT_TEXT} en lacht het weg.`,
        meldcode_step: 3,
        choices: [
          { text: `Schrijf letterlijk op wat ze zei: ${IMG_TEXT}`, next: 'einde_goed', feedback: 'Feitelijk vastleggen <b>helpt</b> later.', score: 5 },
          { text: 'Zeg er niets over.', next: 'einde_gemist', feedback: 'Jammer: ze gaf je een opening.', score: 0 },
        ],
      },
      einde_goed: {
        speaker: 'Verteller',
        text: 'Je bespreekt het dezelfde dag met de aandachtsfunctionaris.',
        outcome: OUTCOME_TEXT,
      },
      einde_gemist: {
        speaker: 'Verteller',
        text: 'Een week later is Sam vaak afwezig.',
        outcome: 'Signaal gemist.',
      },
    },
  };
}

/** 1-based line of the first occurrence of `needle` in `text`. */
const lineOf = (text, needle) => text.slice(0, text.indexOf(needle)).split('\n').length;

// ---- the test -------------------------------------------------------------------------

async function main() {
  const stamp = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const title = `Browsertest ${stamp}: de moeder met de zonnebril <script>window.__pwned=4</script>`;
  const consoleProblems = [];
  let accounts = {};

  await check(`DEMO_ACCOUNTS (${DEMO_ACCOUNTS}) names a trainer and a teacher`, () => {
    assert(existsSync(DEMO_ACCOUNTS), 'set DEMO_ACCOUNTS to the TSV of demo accounts (var/run/demo-accounts.tsv)');
    accounts = readAccounts(DEMO_ACCOUNTS);
    assert(accounts.trainer, 'no trainer line in DEMO_ACCOUNTS');
    assert(accounts.teacher, 'no teacher line in DEMO_ACCOUNTS');
  });

  await check(`API health at ${BASE_URL}/api/v1/health answers 200 {"status":"ok"}`, async () => {
    const res = await fetch(`${BASE_URL}/api/v1/health`);
    assertEqual(res.status, 200, 'health status');
    assertEqual((await res.json()).status, 'ok', 'health body status');
  });

  const browser = await launchChromium();
  if (!browser) return;

  // A refused request (the broken scenario's 400) is on purpose, no problem.
  const watch = (p, label) => watchConsole(p, label, consoleProblems);
  const newContext = () => browser.newContext({ locale: 'nl-NL', timezoneId: 'Europe/Amsterdam',
    viewport: { width: 1280, height: 900 } });

  try {
    const trainerCtx = await newContext();
    const studio = await trainerCtx.newPage();
    studio.setDefaultTimeout(STEP_TIMEOUT);
    watch(studio, 'trainer');

    // -- trainer: broken scenario, fixed, created, new version, published -----------------
    await check('trainer logs in on the login page and lands on the scenario studio', async () => {
      await login(studio, accounts.trainer);
      await studio.waitForURL(/\/studio\.html/);
      await studio.locator('#studio').waitFor({ state: 'visible' });
      await waitForText(studio.locator('#user-nav'), 'Scenariostudio', 'header link');
      await waitForText(studio.locator('#user-nav'), 'Trainingen', 'header link');
    });

    const good = `${JSON.stringify(scenarioDoc(title), null, 2)}\n`;
    const broken = good.replace('"next": "einde_gemist",\n          "feedback": "Jammer',
      '"next": "bestaat-niet",\n          "feedback": "Jammer');
    const brokenPath = '/nodes/gesprek/choices/1/next';
    await check('a scenario with an unknown "next" is refused: the error names its path, line and node', async () => {
      assert(broken !== good, 'the test could not build the broken scenario');
      await studio.fill('#doc-input', broken);
      await studio.getByRole('button', { name: 'Scenario aanmaken' }).click();
      const item = studio.locator(`#error-list li[data-path="${brokenPath}"]`);
      await item.waitFor();
      await waitForText(item.locator('.error-message'), 'bestaat-niet', 'error message');
      await waitForText(item.locator('.error-path'), brokenPath, 'error path');
      const line = lineOf(broken, '"next": "bestaat-niet"');
      await waitForText(item.locator('.error-line'), `regel ${line}`, 'error line');
      assertEqual(await studio.locator('#error-list li').count(), 1, 'errors listed');
      assertEqual(await studio.getAttribute('#doc-input', 'aria-invalid'), 'true', 'aria-invalid on the textarea');
      assertEqual(await studio.locator(`#doc-gutter .gutter-error[data-line="${line}"]`).count(), 1,
        `line ${line} marked in the line numbers`);
      assertEqual(await studio.locator('#scenario-rows tr[data-scenario-id]').filter({ hasText: stamp }).count(), 0,
        'nothing created');
    });

    await check('clicking the path selects the broken line in the textarea, which stays editable', async () => {
      await studio.locator(`#error-list li[data-path="${brokenPath}"] .error-path`).click();
      const sel = await studio.evaluate(() => {
        const t = document.getElementById('doc-input');
        return { focused: document.activeElement === t, text: t.value.slice(t.selectionStart, t.selectionEnd),
          readOnly: t.readOnly, disabled: t.disabled };
      });
      assert(sel.focused, 'the textarea has the focus');
      assertEqual(sel.text, '"next": "bestaat-niet"', 'selected text');
      assert(!sel.readOnly && !sel.disabled, 'textarea is editable');
      await waitForText(studio.locator('#doc-caret'), 'bestaat-niet', 'the caret line names the error');
      await shot(studio, 'scenario-01-studio-error');
      // Fix it by typing over the selection, as a trainer would.
      await studio.keyboard.type('"next": "einde_gemist"');
      assertEqual(await studio.inputValue('#doc-input'), good, 'the text after typing over the selection');
    });

    let scenarioId;
    await check('the fixed scenario is created: version 1, draft, in "Mijn scenario’s"', async () => {
      await studio.getByRole('button', { name: 'Scenario aanmaken' }).click();
      await waitForText(studio.locator('#editor-message'), 'aangemaakt (versie 1, concept)', 'create message');
      assert(await studio.locator('#error-list').isHidden(), 'no error list');
      const row = studio.locator('#scenario-rows tr[data-scenario-id]').filter({ hasText: stamp });
      await row.waitFor();
      scenarioId = await row.getAttribute('data-scenario-id');
      await waitForText(row, 'Concept', 'status in the list');
      // The title holds <script>: shown as text.
      await waitForText(row.locator('th'), SCRIPT_TEXT.replace('__pwned=1', '__pwned=4'), 'title as text');
      await studio.locator('#detail').waitFor({ state: 'visible' });
      assertEqual(await studio.getAttribute('#detail', 'data-scenario-id'), scenarioId, 'detail panel');
      await waitForText(studio.locator('#editor-title'), 'Nieuwe versie van', 'editor now saves new versions');
    });

    let mediaId = null;
    await check('an image is uploaded for the scenario and its media id is shown', async () => {
      await studio.setInputFiles('#media-file', { name: 'zonnebril.png', mimeType: 'image/png', buffer: PNG_1X1 });
      await studio.getByRole('button', { name: 'Uploaden', exact: true }).click();
      const done = studio.locator('#media-result .media-done');
      await done.waitFor();
      mediaId = await done.getAttribute('data-media-id');
      assert(/^[0-9a-f]{64}$/.test(mediaId || ''), `media id: ${mediaId}`);
      assertEqual(await studio.inputValue('#media-result .media-snippet'), `"media": "${mediaId}"`, 'snippet to paste');
    }, { blocks: false });

    await check('a new version with the image on the first node is saved as version 2', async () => {
      const v2 = `${JSON.stringify(scenarioDoc(title, { media: mediaId }), null, 2)}\n`;
      await studio.fill('#doc-input', mediaId ? v2 : good);
      await studio.getByRole('button', { name: 'Nieuwe versie opslaan' }).click();
      await waitForText(studio.locator('#editor-message'), 'versie 2 (concept)', 'save message');
      await waitForText(studio.locator('#detail-facts'), 'Huidige versie: 2', 'detail facts');
    });

    await check('"Voorbeeld" shows the current version in the learners\' player', async () => {
      await studio.getByRole('button', { name: 'Voorbeeld', exact: true }).click();
      const player = studio.locator('#preview-root .scenario-player');
      await player.waitFor();
      await waitForText(player.locator('.scenario-note'), 'versie 2', 'preview note');
      await waitForText(player.locator('.bubble[data-node="hek"] .bubble-text'), 'zonnebril', 'first bubble');
      assertEqual(await player.locator('.choice-button').count(), 2, 'choice buttons');
      if (mediaId) {
        await waitUntil(() => player.locator('.bubble[data-node="hek"] img').evaluate((img) => img.complete && img.naturalWidth === 1),
          'the image is shown in the preview');
      }
      await shot(studio, 'scenario-02-studio-preview');
      await studio.getByRole('button', { name: 'Voorbeeld sluiten' }).click();
      assert(await studio.locator('#preview').isHidden(), 'preview closed');
    }, { blocks: false });

    await check('"Publiceren" publishes version 2', async () => {
      await studio.locator('#publish-button').click();
      await waitForText(studio.locator('#detail-message'), 'Versie 2 is gepubliceerd', 'publish message');
      await waitForText(studio.locator(`#scenario-rows tr[data-scenario-id="${scenarioId}"]`), 'Gepubliceerd', 'status in the list');
      assert(await studio.locator('#publish-button').isDisabled(), 'publish button disabled when up to date');
      const res = await trainerCtx.request.get(`${BASE_URL}/api/v1/scenarios`);
      const mine = (await res.json()).find((s) => String(s.id) === scenarioId);
      assertEqual(mine && mine.status, 'published', 'status from the API');
      assertEqual(mine && mine.published_version, 2, 'published_version from the API');
    });

    // -- teacher: plays it to the end ------------------------------------------------------
    const teacherCtx = await newContext();
    const player = await teacherCtx.newPage();
    player.setDefaultTimeout(STEP_TIMEOUT);
    watch(player, 'teacher');

    await check('teacher logs in; "Rollenspellen" in the header lists the scenario', async () => {
      await login(player, accounts.teacher);
      await player.waitForURL(/\/modules\.html$/);
      await player.locator('#user-nav').getByRole('link', { name: 'Rollenspellen' }).click();
      await player.waitForURL(/\/scenarios\.html$/);
      const card = player.locator(`#scenario-list li[data-scenario-id="${scenarioId}"]`);
      await card.waitFor();
      await waitForText(card.locator('h2'), title, 'card title as text');
      await card.getByRole('link', { name: /Spelen/ }).click();
      await player.waitForURL(new RegExp(`/scenario\\.html\\?id=${scenarioId}$`));
    });

    const root = player.locator('#scenario-root');
    await check('the player shows the first speech bubble with the speaker and the image, and choice buttons', async () => {
      await waitForText(root.locator('h1.scenario-title'), title, 'title');
      const first = root.locator('.bubble[data-node="hek"]');
      await waitForText(first.locator('.bubble-speaker'), 'Verteller', 'speaker');
      await waitForText(first.locator('.bubble-text'), 'grote zonnebril', 'text');
      if (mediaId) {
        await waitUntil(() => first.locator('img').evaluate((img) => img.complete && img.naturalWidth === 1),
          'the image of the first node is shown');
      }
      assertEqual(await root.locator('.choice-group button.choice-button').count(), 2, 'choice buttons');
    });

    await check('keyboard: Enter on a choice shows the choice, its feedback (focused) and the next bubble', async () => {
      await root.locator('.choice-button[data-index="0"]').focus();
      await player.keyboard.press('Enter');
      await waitForText(root.locator('.bubble-me').first(), 'Groet haar vriendelijk', 'own choice bubble');
      const fb = root.locator('.chat-feedback').first();
      await waitForText(fb, 'Goed: je blijft in contact', 'feedback');
      await waitForText(fb, '+10 punten', 'points');
      assert(await fb.evaluate((n) => document.activeElement === n), 'focus on the feedback');
      await waitForText(root.locator('.bubble[data-node="gesprek"] .bubble-speaker'), 'Moeder van Sam', 'next speaker');
      // Tab from the feedback reaches the first new choice.
      await player.keyboard.press('Tab');
      assertEqual(await player.evaluate(() => document.activeElement.className), 'choice-button', 'Tab after the feedback');
    });

    await check('text with <script> and <img onerror> is shown literally and runs nothing', async () => {
      const text = await root.locator('.bubble[data-node="gesprek"] .bubble-text').textContent();
      assert(text.includes(SCRIPT_TEXT), `bubble text shows the markup literally: ${text}`);
      const choice = await root.locator('.choice-button[data-index="0"]').textContent();
      assert(choice.includes(IMG_TEXT), `choice text shows the markup literally: ${choice}`);
      assertEqual(await root.locator('script, img:not([src^="/api/v1/media/"]), b, i').count(), 0,
        'elements made from scenario text');
      assertEqual(await player.evaluate(() => typeof window.__pwned), 'undefined', 'typeof window.__pwned');
    });

    await check('the last choice leads to the outcome and the server\'s score; nothing ran', async () => {
      // The choices are shuffled: focus the one with original index 0.
      await root.locator('.choice-button[data-index="0"]').focus();
      await player.keyboard.press('Enter');
      const end = root.locator('.scenario-end');
      await end.waitFor({ state: 'visible' });
      await waitForText(end.locator('.scenario-outcome'), OUTCOME_TEXT, 'outcome as text');
      await waitForText(end.locator('.scenario-score'), 'Je score: 15 punten', 'score from the server');
      assertEqual(await root.locator('.scenario-player').getAttribute('data-finished'), 'true', 'attempt recorded');
      assert(await root.locator('.chat-feedback').nth(1).evaluate((n) => document.activeElement === n),
        'focus on the last feedback');
      assertEqual(await root.locator('.choice-button').count(), 0, 'no choices left');
      assertEqual(await root.locator('script, img:not([src^="/api/v1/media/"]), b, i, p p').count(), 0,
        'elements made from scenario text');
      assertEqual(await player.evaluate(() => typeof window.__pwned), 'undefined', 'typeof window.__pwned');
      await shot(player, 'scenario-03-player-end');
    });

    await check('"Opnieuw spelen" starts over with the focus on the title', async () => {
      await root.getByRole('button', { name: 'Opnieuw spelen' }).click();
      await waitUntil(async () => (await root.locator('.chat > li').count()) === 1, 'one bubble after restarting');
      assert(await root.locator('.scenario-end').isHidden(), 'outcome hidden');
      assert(await root.locator('h1.scenario-title').evaluate((n) => document.activeElement === n), 'focus on the title');
      assertEqual(await root.locator('.choice-button').count(), 2, 'choices again');
    }, { blocks: false });

    await check('a later play shows the choices in another order; each button keeps its original index', async () => {
      const order = async () => {
        await waitUntil(async () => (await root.locator('.choice-group .choice-button').count()) === 2,
          'two choice buttons');
        return root.locator('.choice-group .choice-button').evaluateAll((bs) => bs.map((b) => b.dataset.index).join(','));
      };
      const first = await order();
      assertEqual(first.split(',').sort().join(','), '0,1', 'the original indexes of the first node');
      // Two choices: the same order comes back with chance 1/2 per play, so
      // up to 30 plays (page loads, which record nothing) make a false
      // failure a one-in-a-billion event.
      let other = first;
      for (let i = 0; i < 30 && other === first; i += 1) {
        await player.reload();
        other = await order();
      }
      assert(other !== first, `the choices kept the order ${first} in 30 plays`);
      const best = root.locator('.choice-button[data-index="0"]');
      await waitForText(best, 'Groet haar vriendelijk', 'index 0 is still the same choice');
    }, { blocks: false });

    await check('phone width (375 px): the player fits without sideways scrolling', async () => {
      await player.setViewportSize({ width: 375, height: 740 });
      if (await root.locator('.replay-button').isVisible()) await root.locator('.replay-button').click();
      await root.locator('.choice-button[data-index="0"]').click();
      await root.locator('.bubble[data-node="gesprek"]').waitFor();
      const overflow = await player.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert(overflow <= 1, `scenario.html is ${overflow}px wider than the screen`);
      await shot(player, 'scenario-04-player-phone');
      await player.setViewportSize({ width: 1280, height: 900 });
    }, { blocks: false });

    // -- trainer: statistics ------------------------------------------------------------------
    await check('the studio\'s statistics count the teacher\'s choices under the Meldcode steps', async () => {
      await studio.goto(`${BASE_URL}/studio.html?id=${scenarioId}`);
      await studio.locator('#detail').waitFor({ state: 'visible' });
      await waitForText(studio.locator('#stats-summary'), 'Versie 2: 1 keer tot het eind gespeeld', 'attempts');
      const step1 = studio.locator('.stats-group[data-step="1"]');
      await waitForText(step1.locator('h4'), 'Stap 1: In kaart brengen van signalen', 'step 1 heading');
      const step3 = studio.locator('.stats-group[data-step="3"]');
      await waitForText(step3.locator('h4'), 'Stap 3: Gesprek met de betrokkene(n)', 'step 3 heading');
      const hek = step1.locator('.stats-node[data-node="hek"]');
      assertEqual(await hek.locator('tr[data-choice="0"]').getAttribute('data-count'), '1', 'hek choice 1 count');
      assertEqual(await hek.locator('tr[data-choice="1"]').getAttribute('data-count'), '0', 'hek choice 2 count');
      assertEqual(await hek.locator('tr[data-choice="0"] rect.stat-bar-fill').getAttribute('width'), '100.00', 'bar width');
      assertEqual(await hek.locator('tr[data-choice="1"] rect.stat-bar-fill').getAttribute('width'), '0.00', 'bar width');
      const gesprek = step3.locator('.stats-node[data-node="gesprek"]');
      assertEqual(await gesprek.locator('tr[data-choice="0"]').getAttribute('data-count'), '1', 'gesprek choice 1 count');
      await waitForText(gesprek.locator('tr[data-choice="0"] td').first(), IMG_TEXT, 'choice text as text');
      assertEqual(await studio.locator('.stats-group[data-step="overig"]').count(), 0, 'no "Overig" group (every node with choices has a step)');
      await shot(studio, 'scenario-05-studio-stats');
    }, { blocks: false });

    await check('trainings.html: a session is created (module by slug when the module list is empty) and opened', async () => {
      await studio.goto(`${BASE_URL}/trainings.html`);
      await studio.locator('#trainings').waitFor({ state: 'visible' });
      await studio.getByLabel('Titel').fill(`Browsertest-training ${stamp}`);
      const moduleField = studio.locator('#training-module');
      if (await moduleField.evaluate((n) => n.tagName === 'SELECT')) {
        await moduleField.selectOption(TRAINING_MODULE);
      } else {
        await waitForText(studio.locator('#module-field .hint'), 'bijvoorbeeld af-praktijktraining', 'slug hint');
        await moduleField.fill(TRAINING_MODULE);
      }
      await studio.getByLabel('Datum').fill('2026-12-01');
      await studio.getByLabel('Locatie').fill('Heuvelstad');
      await studio.getByRole('button', { name: 'Training aanmaken' }).click();
      await waitForText(studio.locator('#create-message'), 'is aangemaakt', 'create message');
      await studio.locator('#detail').waitFor({ state: 'visible' });
      await waitForText(studio.locator('#detail-title'), `Browsertest-training ${stamp}`, 'session title');
      await waitForText(studio.locator('#training-rows'), `Browsertest-training ${stamp}`, 'session in the list');
    }, { blocks: false });

    await check('attendance: the module\'s six criteria are listed and ticked per attendee; "geslaagd" follows from all six ticked', async () => {
      assert(await studio.locator('#detail').isVisible(), 'a session is open');
      assertEqual(await studio.locator('#criteria-list li').count(), 6, 'criteria listed');
      await waitForText(studio.locator('#criteria-list li').first(), 'Opening van het gesprek', 'first criterion');
      const row = studio.locator('#attendee-rows tr').nth(0);
      assertEqual(await row.locator('.attendee-criterion').count(), 6, 'a checkbox per criterion');
      await waitForText(row.locator('.attendee-status'), 'Alleen aanwezig', 'a new row is not judged');
      assert(await row.locator('.attendee-unjudged').isChecked(), '"nog niet beoordeeld" ticked');
      await row.getByLabel(/^1\. Opening van het gesprek/).check();
      assert(!(await row.locator('.attendee-unjudged').isChecked()), 'a tick judges the row');
      await waitForText(row.locator('.attendee-status'), 'Niet geslaagd (1 van 6)', 'one ticked');
      for (const box of await row.locator('.attendee-criterion').all()) await box.check();
      await waitForText(row.locator('.attendee-status'), 'Geslaagd', 'all six ticked');
      assertEqual(await row.locator('.attendee-status').getAttribute('data-passed'), 'true', 'passed');
      await row.getByLabel(/^6\. Wegen en beslissen/).uncheck();
      await waitForText(row.locator('.attendee-status'), 'Niet geslaagd (5 van 6)', 'one unticked');
      await row.locator('.attendee-unjudged').check();
      await waitForText(row.locator('.attendee-status'), 'Alleen aanwezig', 'not judged');
      assertEqual(await row.locator('.attendee-criterion:checked').count(), 0, '"nog niet beoordeeld" clears the ticks');
      for (const box of await row.locator('.attendee-criterion').all()) await box.check();
      await waitForText(row.locator('.attendee-status'), 'Geslaagd', 'all six ticked again');
    }, { blocks: false });

    await check('attendance: an e-mail outside the trainer\'s boards is refused with the server\'s 403 message; the demo teacher is recorded with five of six criteria (not passed)', async () => {
      assert(await studio.locator('#detail').isVisible(), 'a session is open');
      const rows = studio.locator('#attendee-rows tr');
      await rows.nth(0).locator('.attendee-email').fill(`niemand.${stamp}@example.invalid`);
      for (const box of await rows.nth(0).locator('.attendee-criterion').all()) await box.check();
      await studio.getByRole('button', { name: 'Aanwezigheid opslaan' }).click();
      await waitForText(studio.locator('#record-outcome'), 'Niet opgeslagen', '403 message');
      await waitForText(studio.locator('#record-outcome'), `niemand.${stamp}@example.invalid`, 'the server names the address');
      await waitForText(studio.locator('#attendance-root'), 'Nog niemand vastgelegd', 'nothing recorded');
      await rows.nth(0).locator('.attendee-email').fill(accounts.teacher.email);
      await rows.nth(0).getByLabel(/^6\. Wegen en beslissen/).uncheck();
      await waitForText(rows.nth(0).locator('.attendee-status'), 'Niet geslaagd (5 van 6)', 'five of six');
      await studio.getByRole('button', { name: 'Aanwezigheid opslaan' }).click();
      await waitForText(studio.locator('#record-outcome'), '1 deelnemer vastgelegd, 0 certificaten uitgereikt', 'result');
      const row = studio.locator(`#attendance-table tr[data-email="${accounts.teacher.email}"]`);
      await waitForText(row, 'Aanwezig, niet geslaagd', 'attendance row');
      await waitForText(row.locator('.judgement'), '5 van 6 criteria behaald; niet (of nog niet) behaald: Wegen en beslissen', 'the judgement from the server');
      await shot(studio, 'scenario-06-trainings');
    }, { blocks: false });

    await checkConsole(consoleProblems);

    await teacherCtx.close();
    await trainerCtx.close();
  } finally {
    await browser.close();
  }
}

await run(main);
