// Browser test of the teacher's course flow, in Debian's Chromium through playwright-core:
// register with a join code, open the demo module from "Mijn modules", work through the
// sections (one of them offline), resume after a reload, fail and then pass the quiz,
// open the certificate, and check it on the public verification page in a fresh,
// logged-out browser context.
//
// Environment:
//   BASE_URL        the site, e.g. http://127.0.0.1:8081 (default http://127.0.0.1:8080)
//   JOIN_CODE       a school's join code (required)
//   QUIZ_ANSWERS    optional JSON {"q1":["a"],...}; default: read from
//                   content/modules/meldcode-kort/module.json ("correct": true)
//   SCREENSHOT_DIR  default tests/browser/screenshots
//   CHROMIUM        default /usr/bin/chromium
//
// Prints "ok - ..." / "not ok - ..." per check and "N passed, M failed" at the end;
// exits 1 when a check failed. After a failed step that later steps depend on, the
// rest is reported as skipped.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import {
  BASE_URL, STEP_TIMEOUT, assert, assertEqual, check, checkConsole, launchChromium, openPage, repoRoot, run,
  shot, textOf, waitForText, waitUntil, watchConsole,
} from './harness.mjs';
import { answersForAttempt, quizFromRepo } from './quiz-answers.mjs';

const JOIN_CODE = process.env.JOIN_CODE || '';
const SLUG = 'meldcode-kort';
const SYNC_TIMEOUT = 45000;
const OFFLINE_TEXT = 'Je bent offline; je voortgang wordt verstuurd zodra er weer verbinding is';

// ---- quiz answers -----------------------------------------------------------------

/**
 * Right answers, matched to the ids the API sends. From QUIZ_ANSWERS when set, else
 * from the content file (matched by id, or by text when the file has no ids).
 */
function rightAnswers(apiQuiz) {
  if (process.env.QUIZ_ANSWERS) {
    const parsed = JSON.parse(process.env.QUIZ_ANSWERS);
    const out = {};
    for (const q of apiQuiz.questions) {
      assert(Array.isArray(parsed[q.id]), `QUIZ_ANSWERS has no answer for question ${q.id}`);
      out[q.id] = parsed[q.id].map(String);
    }
    return out;
  }
  const content = quizFromRepo(repoRoot, SLUG);
  assert(content, `no quiz with "correct": true choices in content/modules/${SLUG}/module.json`);
  const out = {};
  for (const [qi, q] of apiQuiz.questions.entries()) {
    const cq = content.questions.find((c) => c.id === String(q.id))
      || content.questions.find((c) => c.text === q.text)
      || content.questions[qi];
    assert(cq, `question ${q.id} of the API is not in ${content.file}`);
    out[q.id] = cq.choices.filter((c) => c.correct).map((c) => {
      // The page shows the attempt's own choice ids ("1".."n"), not the author's: match by text.
      const match = q.choices.find((a) => a.text === c.text)
        || q.choices[c.index];
      assert(match, `right choice ${c.id ?? c.text} of question ${q.id} is not in the API's choices`);
      return String(match.id);
    });
    assert(out[q.id].length > 0, `question ${q.id} has no choice marked "correct": true`);
  }
  return out;
}

/** A wrong answer per question: a wrong choice, or fewer right choices than needed. */
function wrongAnswers(apiQuiz, right) {
  const out = {};
  for (const q of apiQuiz.questions) {
    const good = new Set(right[q.id]);
    const bad = q.choices.map((c) => String(c.id)).filter((id) => !good.has(id));
    if (bad.length) out[q.id] = [bad[0]];
    else if (good.size > 1) out[q.id] = [[...good][0]];
    else return null;
  }
  return out;
}

// ---- the test ---------------------------------------------------------------------

/** The drawn questions as the page shows them: {questions:[{id, multiple, choices:[{id,text}]}]}. */
async function shownQuiz(page) {
  const questions = await page.locator('#quiz-questions fieldset.question').evaluateAll((fss) =>
    fss.map((fs) => ({
      id: fs.dataset.questionId,
      text: '',
      multiple: fs.querySelector('input[type="checkbox"]') !== null,
      choices: [...fs.querySelectorAll('input')].map((inp) => ({
        id: inp.dataset.choiceId,
        text: (fs.querySelector(`label[for="${inp.id}"]`) || {}).textContent || '',
      })),
    })));
  return { questions };
}

async function fillQuiz(page, answers) {
  for (const [qid, choiceIds] of Object.entries(answers)) {
    const fieldset = page.locator(`#quiz-questions fieldset[data-question-id=${JSON.stringify(String(qid))}]`);
    // Reset checkboxes first, then tick the wanted choices through their labels.
    for (const box of await fieldset.locator('input[type="checkbox"]:checked').all()) {
      await box.uncheck();
    }
    for (const cid of choiceIds) {
      const input = fieldset.locator(`input[data-choice-id=${JSON.stringify(String(cid))}]`);
      assertEqual(await input.count(), 1, `choice ${cid} of question ${qid} on the page`);
      const id = await input.getAttribute('id');
      await page.locator(`label[for="${id}"]`).click();
      assert(await input.isChecked(), `choice ${cid} of question ${qid} is checked`);
    }
  }
}

async function main() {
  const stamp = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const teacher = {
    name: `Testleerkracht ${stamp}`,
    email: `leerkracht.${stamp}@school.example`,
    password: `rustige-ochtend-${randomBytes(4).toString('hex')}-groep7`,
  };
  const consoleProblems = [];

  await check('JOIN_CODE is set in the environment', () => {
    assert(JOIN_CODE, 'set JOIN_CODE to a school join code (see var/run/join-codes.tsv)');
  });

  await check(`API health at ${BASE_URL}/api/v1/health answers 200 {"status":"ok"}`, async () => {
    const res = await fetch(`${BASE_URL}/api/v1/health`);
    assertEqual(res.status, 200, 'health status');
    const body = await res.json();
    assertEqual(body.status, 'ok', 'health body status');
  });

  await check('every page of frontend/ comes with the one shell (SSI): doctype, lang="nl", charset, its own title, the skip link first, header, main, footer, its module', async () => {
    const names = readdirSync(join(repoRoot, 'frontend')).filter((n) => n.endsWith('.html')).sort();
    assert(names.length >= 14, `pages found: ${names.length}`);
    const titles = new Map();
    const count = (text, re) => (text.match(re) || []).length;
    for (const name of names) {
      const res = await fetch(`${BASE_URL}/${name}`);
      assertEqual(res.status, 200, `${name} status`);
      assert((res.headers.get('content-type') || '').startsWith('text/html'), `${name} is HTML`);
      const html = await res.text();
      const where = (what) => `${name}: ${what}`;
      assert(!html.includes('<!--#') && !html.includes('error occurred while processing'), where('every SSI directive done'));
      assert(/^\s*<!doctype html>\s*<html lang="nl">/i.test(html), where('doctype and lang="nl" first'));
      assert(html.indexOf('<meta charset="utf-8">') >= 0 && html.indexOf('<meta charset="utf-8">') < 1024, where('charset in the first 1024 bytes'));
      const title = /<title>([^<]+) – Leeromgeving huiselijk geweld en kindermishandeling<\/title>/.exec(html);
      assert(title && count(html, /<title>/g) === 1, where('one title, "… – Leeromgeving …"'));
      assert(!titles.has(title[1]), where(`title "${title[1]}" also on ${titles.get(title[1])}`));
      titles.set(title[1], name);
      assert(/<body>\s*<a class="skip-link" href="#main">Naar de inhoud<\/a>/.test(html), where('the skip link first in <body>'));
      assertEqual(count(html, /<header class="site-header">/g), 1, where('one header'));
      assert(/<header class="site-header">[\s\S]*<a class="brand" href="\/(modules\.html)?">/.test(html), where('the brand link in the header'));
      assertEqual(count(html, /<main id="main" /g), 1, where('one main#main'));
      assert(/<footer class="site-footer">[\s\S]*Veilig Thuis, 0800-2000[\s\S]*<\/footer>\s*<\/body>\s*<\/html>\s*$/.test(html), where('the footer last'));
      for (const [, src] of html.matchAll(/<script type="module" src="([^"]+)"><\/script>/g)) {
        const js = await fetch(`${BASE_URL}${src}`);
        assertEqual(js.status, 200, where(`its module ${src}`));
      }
    }
    const partial = await fetch(`${BASE_URL}/partials/top.html`);
    assertEqual(partial.status, 404, 'the partials themselves are not served');
  });

  const browser = await launchChromium();
  if (!browser) return;

  try {
    const { context, page } = await openPage(browser);
    // A failed fetch (401 on purpose, offline on purpose) is no problem (watchConsole).
    const watch = (p, label) => watchConsole(p, label, consoleProblems);
    watch(page, 'teacher');
    const api = async (path) => {
      const res = await context.request.get(`${BASE_URL}/api/v1${path}`);
      return { status: res.status(), body: res.status() === 200 ? await res.json() : null };
    };

    // -- login page --------------------------------------------------------------
    await check('login page loads in Dutch with labelled fields', async () => {
      await page.goto(`${BASE_URL}/`);
      assertEqual(await page.getAttribute('html', 'lang'), 'nl', '<html lang>');
      const panel = page.locator('#login-panel');
      await panel.getByLabel('E-mailadres').waitFor();
      await panel.getByLabel('Wachtwoord').waitFor();
      await shot(page, '00-login');
    });

    await check('keyboard: Tab reaches the skip link and the login fields, with a visible focus outline', async () => {
      await page.goto(`${BASE_URL}/`);
      await page.keyboard.press('Tab');
      assertEqual(await page.evaluate(() => document.activeElement.className), 'skip-link', 'first Tab stop');
      let reached = false;
      for (let i = 0; i < 12 && !reached; i += 1) {
        await page.keyboard.press('Tab');
        reached = await page.evaluate(() => document.activeElement.id === 'login-email');
      }
      assert(reached, 'Tab reaches the e-mail field of the login form');
      const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
      assert(outline !== 'none', `focused field has an outline (outline-style: ${outline})`);
    }, { needs: false });

    await check('wrong credentials show "E-mailadres of wachtwoord klopt niet"', async () => {
      await page.fill('#login-email', teacher.email);
      await page.fill('#login-password', 'dit-is-niet-het-wachtwoord');
      await page.click('#login-form button[type="submit"]');
      await waitForText(page.locator('#login-message'), 'E-mailadres of wachtwoord klopt niet',
        'login error message');
    }, { needs: false });

    await check('register form refuses a password under 12 characters, in Dutch, next to the field', async () => {
      await page.click('#show-register');
      const panel = page.locator('#register-panel');
      await panel.getByLabel('Naam').fill(teacher.name);
      await panel.getByLabel('E-mailadres').fill(teacher.email);
      await panel.getByLabel('Wachtwoord').fill('kort');
      await panel.getByLabel('Schoolcode').fill(JOIN_CODE);
      await page.click('#register-form button[type="submit"]');
      await waitForText(page.locator('#register-password-error'), 'minstens 12 tekens',
        'password field error');
      assertEqual(await page.getAttribute('#register-password', 'aria-invalid'), 'true',
        'aria-invalid on the password field');
    }, { needs: false });

    await check('register a new teacher with the join code; lands on "Mijn modules" with the name in the header', async () => {
      if (await page.locator('#register-panel').isHidden()) await page.click('#show-register');
      const panel = page.locator('#register-panel');
      await panel.getByLabel('Naam').fill(teacher.name);
      await panel.getByLabel('E-mailadres').fill(teacher.email);
      await panel.getByLabel('Wachtwoord').fill(teacher.password);
      await panel.getByLabel('Schoolcode').fill(JOIN_CODE);
      await page.click('#register-form button[type="submit"]');
      try {
        await page.waitForURL(/\/modules\.html$/, { timeout: STEP_TIMEOUT });
      } catch (e) {
        const msgs = await page.locator('#register-panel .message, #register-panel .field-error')
          .allTextContents();
        throw new Error(`still on ${page.url()}; messages on the page: ${JSON.stringify(msgs.filter(Boolean))}`);
      }
      await waitForText(page.locator('#user-nav'), teacher.name, 'header user name');
      await page.getByRole('button', { name: 'Uitloggen' }).waitFor();
    });

    await check('a logged-in user who opens the login page goes straight to "Mijn modules"', async () => {
      await page.goto(`${BASE_URL}/`);
      await page.waitForURL(/\/modules\.html$/);
    }, { needs: false });

    // -- Mijn modules ------------------------------------------------------------
    const card = page.locator(`li.card[data-slug="${SLUG}"]`);
    await check(`"Mijn modules" shows ${SLUG} as "Nog niet begonnen" with a progress bar and "Starten"`, async () => {
      if (!/\/modules\.html$/.test(page.url())) await page.goto(`${BASE_URL}/modules.html`);
      await card.waitFor();
      await waitForText(card.locator('.status'), 'Nog niet begonnen', 'module status');
      assertEqual(await card.locator('progress').count(), 1, 'progress bars in the card');
      assertEqual(await card.locator('progress').getAttribute('value'), '0', 'progress value');
      await waitForText(card.locator('.card-actions a'), 'Starten', 'card button');
      await waitForText(page.locator('#certificate-list'), 'nog geen certificaten', 'empty certificate list');
    });

    // -- the player --------------------------------------------------------------
    let mod;
    let shown; // the questions of the current attempt, as the page shows them
    await check('"Starten" opens the player at the first section, with a section list and progress', async () => {
      await card.locator('.card-actions a').click();
      await page.waitForURL(new RegExp(`/module\\.html\\?slug=${SLUG}$`));
      const r = await api(`/modules/${SLUG}`);
      assertEqual(r.status, 200, `GET /api/v1/modules/${SLUG}`);
      mod = r.body;
      assert(mod.sections.length >= 3, `the test needs at least 3 sections, the module has ${mod.sections.length}`);
      assert(mod.quiz && mod.quiz.questions_per_attempt > 0, 'the module has a quiz');
      assert(!('questions' in mod.quiz), 'the module page does not carry the question bank');
      await waitForText(page.locator('#module-title'), mod.title, 'module title');
      await waitForText(page.locator('#section-title'), mod.sections[0].title, 'first section title');
      assertEqual(await page.locator('#section-list button').count(), mod.sections.length + 1,
        'buttons in the section list (sections + quiz)');
      assert(await page.locator('#section-list button[data-quiz]').isDisabled(),
        'the quiz is locked until all sections are done');
      assert((await page.locator('#section-body').innerHTML()).trim().length > 0, 'section body has content');
      await shot(page, '01-player');
    });

    await check('"Volgende" marks section 1 done on the server and moves to section 2', async () => {
      await page.click('#next-button');
      await waitForText(page.locator('#section-title'), mod.sections[1].title, 'second section title');
      await waitUntil(async () => (await api(`/modules/${SLUG}`)).body.sections[0].done === true,
        `section ${mod.sections[0].id} is done on the server`);
      await waitForText(page.locator('#module-progress-text'), `1 van ${mod.sections.length}`, 'progress text');
    });

    await check('resume: reloading module.html opens at the first unfinished section', async () => {
      await page.reload();
      await waitForText(page.locator('#section-title'), mod.sections[1].title, 'section shown after reload');
      assertEqual(await page.locator(`#section-list button[data-section-id="${mod.sections[0].id}"]`)
        .getAttribute('data-done'), 'true', 'section 1 marked done in the list');
      assertEqual(await page.getAttribute('#module-progress', 'value'), '1', 'progress bar value');
    });

    // -- offline ------------------------------------------------------------------
    const offlineSection = () => mod.sections[1];
    await check('offline: "Volgende" keeps going, queues the progress and shows the offline notice', async () => {
      await context.setOffline(true);
      await page.click('#next-button');
      await waitForText(page.locator('#offline-notice'), OFFLINE_TEXT, 'offline notice');
      await waitForText(page.locator('#section-title'), mod.sections[2].title, 'next section while offline');
      const queued = await page.evaluate(() => Object.keys(localStorage)
        .filter((k) => k.startsWith('hgkm.progress-queue'))
        .map((k) => localStorage.getItem(k)).join(''));
      assert(queued.includes(offlineSection().id),
        `localStorage queue holds section ${offlineSection().id}: ${queued}`);
      assert(!/token|password|session/i.test(queued), 'nothing secret in the queue');
      await shot(page, '02-player-offline');
    });

    await check('back online: the queued progress reaches the server and the notice goes away', async () => {
      await context.setOffline(false);
      await waitUntil(async () => (await api(`/modules/${SLUG}`)).body.sections[1].done === true,
        `section ${offlineSection().id} done on the server after reconnecting`, SYNC_TIMEOUT, 500);
      await waitUntil(async () => !(await textOf(page.locator('#offline-notice'))).includes('offline'),
        'offline notice hidden after the queue was sent', SYNC_TIMEOUT);
      await page.reload();
      assertEqual(await page.locator(`#section-list button[data-section-id="${offlineSection().id}"]`)
        .getAttribute('data-done'), 'true', 'offline section marked done after reload');
      await waitForText(page.locator('#section-title'), mod.sections[2].title, 'resumed section after reload');
    });

    await check('work through every remaining section to the quiz', async () => {
      for (let i = 2; i < mod.sections.length; i += 1) {
        await waitForText(page.locator('#section-title'), mod.sections[i].title, `section ${i + 1} title`);
        await page.click('#next-button');
      }
      await page.locator('#quiz-view').waitFor({ state: 'visible' });
      await waitUntil(async () => (await page.locator('#quiz-questions fieldset.question').count())
        === mod.quiz.questions_per_attempt, 'the drawn questions on the page');
      assertEqual(await page.locator('#quiz-questions fieldset legend').count(),
        mod.quiz.questions_per_attempt, 'a legend per question');
      await waitUntil(async () => (await api(`/modules/${SLUG}`)).body.sections.every((s) => s.done),
        'all sections done on the server');
      shown = await shownQuiz(page);
      const bank = quizFromRepo(repoRoot, SLUG);
      for (const q of shown.questions) {
        const cq = bank.questions.find((c) => c.id === q.id);
        assert(cq, `drawn question ${q.id} is in the bank`);
        assertEqual(q.choices.length, cq.choices.length, `every choice of question ${q.id} is shown`);
        assertEqual(q.multiple, cq.multiple, `checkbox or radio for question ${q.id}`);
      }
    });

    // -- quiz ----------------------------------------------------------------------
    let right;
    await check('right answers are known (QUIZ_ANSWERS or content module.json)', () => {
      right = rightAnswers(shown);
    });

    const wrong = right ? wrongAnswers(shown, right) : null;
    await check('a wrong attempt shows "Niet geslaagd", per-question feedback without the right choice, and a retake with other questions', async () => {
      assert(wrong, 'could not build a wrong answer for every question');
      await fillQuiz(page, wrong);
      const gradedResponse = page.waitForResponse((r) => r.url().endsWith(`/modules/${SLUG}/attempts`));
      await page.click('#quiz-submit');
      await page.locator('#quiz-result').waitFor({ state: 'visible' });
      assertEqual(await page.getAttribute('#quiz-result', 'data-passed'), 'false', 'result passed flag');
      await waitForText(page.locator('#quiz-result'), 'Niet geslaagd', 'fail result');
      await waitForText(page.locator('#quiz-result'), 'Je score', 'score');
      assert(await page.locator('#quiz-questions fieldset[data-correct="false"]').count() > 0,
        'at least one question marked incorrect');
      // The answer names no right choice: a wrong question gets no explanation (it may name
      // the right choice and the question may come back) but the sections to reread.
      const graded = await (await gradedResponse).json();
      assert(!JSON.stringify(graded).includes('"correct"'), 'the graded attempt carries no answer key');
      assert(graded.questions.every((q) => Object.keys(q).sort().join() === 'explanation,id,reread,right'),
        'per question only id, right, explanation and reread');
      const wrongOnes = graded.questions.filter((q) => !q.right);
      assert(wrongOnes.length > 0, 'some questions wrong');
      for (const q of wrongOnes) {
        assertEqual(q.explanation, null, `no explanation for wrong question ${q.id}`);
        assert(q.reread.length > 0 && q.reread.every((r) => r.id && r.title), `sections to reread for ${q.id}`);
      }
      const bad = page.locator('#quiz-questions fieldset[data-correct="false"]').first();
      await waitForText(bad.locator('.feedback .verdict'), 'Niet goed. Lees nog eens:', 'verdict of a wrong question');
      assertEqual(await bad.locator('.feedback .explanation').count(), 0, 'no explanation shown with a wrong answer');
      const link = bad.locator('.feedback button[data-reread]').first();
      const linkedId = await link.getAttribute('data-reread');
      assertEqual(await link.textContent(), mod.sections.find((sec) => sec.id === linkedId).title,
        'the reread link names its section');
      await page.locator('#reread-list button[data-reread]').first().waitFor();
      await shot(page, '03-quiz-failed');
      const first = shown.questions.map((q) => q.id);
      await page.getByRole('button', { name: 'Opnieuw proberen' }).click();
      await page.locator('#quiz-result').waitFor({ state: 'hidden' });
      await waitUntil(async () => {
        const ids = await page.locator('#quiz-questions fieldset.question')
          .evaluateAll((fs) => fs.map((f) => f.dataset.questionId));
        return ids.length === first.length && ids.every((id) => !first.includes(id));
      }, 'the retake shows other questions (the bank is twice the draw)');
      assertEqual(await page.locator('#quiz-questions input:checked').count(), 0, 'answers cleared');
      assertEqual(await page.locator('#quiz-questions .feedback').count(), 0, 'feedback cleared');
      shown = await shownQuiz(page);
      right = rightAnswers(shown);
    }, { blocks: false });

    let certCode;
    await check('the right answers pass: "Geslaagd", every question "Goed" with its explanation, certificate link', async () => {
      await fillQuiz(page, right);
      await page.click('#quiz-submit');
      await page.locator('#quiz-result').waitFor({ state: 'visible' });
      const resultText = await textOf(page.locator('#quiz-result'));
      assertEqual(await page.getAttribute('#quiz-result', 'data-passed'), 'true',
        `result passed flag (result: ${resultText})`);
      await waitForText(page.locator('#quiz-result'), 'Geslaagd', 'pass result');
      assertEqual(await page.locator('#quiz-questions fieldset[data-correct="true"]').count(),
        mod.quiz.questions_per_attempt, 'questions marked correct');
      assertEqual(await page.locator('#quiz-questions .feedback .verdict').count(),
        mod.quiz.questions_per_attempt, 'feedback per question');
      const href = await page.getAttribute('#certificate-link', 'href');
      const m = /[?&]code=([^&]+)/.exec(href || '');
      assert(m, `certificate link with a code: ${href}`);
      certCode = decodeURIComponent(m[1]);
      await shot(page, '03-quiz-feedback');
    });

    // -- certificate ---------------------------------------------------------------
    let verifyUrl;
    await check('certificate page shows name, module, dates, "Afdrukken", PDF link and the full verification link', async () => {
      await page.click('#certificate-link');
      await page.waitForURL(/\/certificate\.html\?code=/);
      await waitForText(page.locator('#cert-holder'), teacher.name, 'holder name');
      await waitForText(page.locator('#cert-module'), mod.title, 'module title');
      await waitForText(page.locator('#cert-issued'), /^\d{1,2} [a-z]+ \d{4}$/, 'Dutch issue date');
      await page.getByRole('button', { name: 'Afdrukken' }).waitFor();
      const pdf = page.getByRole('link', { name: 'Download als PDF' });
      assertEqual(await pdf.getAttribute('href'), `/api/v1/certificates/${encodeURIComponent(certCode)}/pdf`, 'PDF link');
      verifyUrl = await textOf(page.locator('#verify-link'));
      assertEqual(verifyUrl, `${BASE_URL}/verificatie/${certCode}`, 'verification link text');
      await shot(page, '04-certificate');
      await page.emulateMedia({ media: 'print' });
      assert(await page.locator('.site-header').isHidden(), 'header hidden in print');
      assert(await page.locator('#print-button').isHidden(), 'buttons hidden in print');
      await shot(page, '04-certificate-print');
      await page.emulateMedia({ media: 'screen' });
    });

    await check('"Download als PDF" answers application/pdf', async () => {
      const res = await context.request.get(`${BASE_URL}/api/v1/certificates/${encodeURIComponent(certCode)}/pdf`);
      assertEqual(res.status(), 200, 'PDF status');
      assert((res.headers()['content-type'] || '').startsWith('application/pdf'),
        `PDF content type: ${res.headers()['content-type']}`);
      assert((await res.body()).subarray(0, 5).toString('latin1') === '%PDF-', 'body starts with %PDF-');
    }, { blocks: false });

    await check('"Mijn modules" now shows "Afgerond" with the expiry date, and the certificate', async () => {
      await page.goto(`${BASE_URL}/modules.html`);
      await card.waitFor();
      await waitForText(card.locator('.status-line'), /Afgerond geldig tot \d{1,2} [a-z]+ \d{4}/, 'completed status');
      assertEqual(await card.locator('progress').getAttribute('value'), String(mod.sections.length), 'full progress bar');
      await waitForText(card.locator('.card-actions a'), 'Bekijken', 'card button');
      const item = page.locator(`#certificate-list li[data-code="${certCode}"]`);
      await item.waitFor();
      assertEqual(await item.locator('a').getAttribute('href'),
        `/certificate.html?code=${encodeURIComponent(certCode)}`, 'certificate link');
      await shot(page, '05-my-modules');
    }, { blocks: false });

    await check('mobile width (375 px): "Mijn modules" and the player fit without sideways scrolling', async () => {
      await page.setViewportSize({ width: 375, height: 740 });
      for (const path of ['/modules.html', `/module.html?slug=${SLUG}`]) {
        await page.goto(`${BASE_URL}${path}`);
        await page.locator(path.startsWith('/modules') ? 'li.card' : '#player:not([hidden])').first().waitFor();
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert(overflow <= 1, `${path} is ${overflow}px wider than the screen`);
      }
      await shot(page, '06-phone-player');
      await page.setViewportSize({ width: 1280, height: 900 });
    }, { needs: false });

    // -- public verification, not logged in -----------------------------------------
    await check('the verification link, opened in a new logged-out browser context, says "Geldig certificaat" with the right name', async () => {
      const visitor = await browser.newContext({ locale: 'nl-NL', timezoneId: 'Europe/Amsterdam' });
      try {
        const me = await visitor.request.get(`${BASE_URL}/api/v1/me`);
        assertEqual(me.status(), 401, 'the new context is not logged in (GET /me)');
        const vp = await visitor.newPage();
        vp.setDefaultTimeout(STEP_TIMEOUT);
        watch(vp, 'visitor');
        await vp.goto(verifyUrl);
        await vp.locator('#verdict').waitFor();
        assertEqual(await vp.getAttribute('#verdict', 'data-verdict'), 'valid', 'verdict');
        await waitForText(vp.locator('#verdict h2'), 'Geldig certificaat', 'verdict heading');
        await waitForText(vp.locator('#verify-holder'), teacher.name, 'holder name');
        await waitForText(vp.locator('#verify-module'), mod.title, 'module title');
        await waitForText(vp.locator('#verdict'), /\d{1,2} (januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december) \d{4}/, 'Dutch date');
        await shot(vp, '07-verification');

        await vp.goto(`${BASE_URL}/verify.html?code=${encodeURIComponent(certCode)}`);
        await waitForText(vp.locator('#verdict h2'), 'Geldig certificaat', 'verdict via ?code=');

        await vp.goto(`${BASE_URL}/verificatie/${'A'.repeat(26)}`);
        await waitForText(vp.locator('#verdict h2'), 'Onbekende code', 'verdict for an unknown code');
      } finally {
        await visitor.close();
      }
    });

    await check('two failed attempts in a row: the quiz pauses, says from when it opens again and links the sections to reread', async () => {
      const other = await browser.newContext({ locale: 'nl-NL', timezoneId: 'Europe/Amsterdam' });
      try {
        const req = other.request;
        let r = await req.post(`${BASE_URL}/api/v1/auth/register`, {
          data: { email: `pauze.${stamp}@school.example`, name: `Pauze ${stamp}`,
            password: teacher.password, join_code: JOIN_CODE },
        });
        assertEqual(r.status(), 201, 'register a second teacher');
        for (const s of mod.sections) {
          r = await req.put(`${BASE_URL}/api/v1/modules/${SLUG}/sections/${s.id}`);
          assertEqual(r.status(), 204, `section ${s.id} done`);
        }
        // Two wrong attempts, built from the drawn questions and module.json.
        const bank = quizFromRepo(repoRoot, SLUG);
        for (let k = 0; k < 2; k += 1) {
          r = await req.post(`${BASE_URL}/api/v1/modules/${SLUG}/quiz`);
          assertEqual(r.status(), 201, `quiz start ${k + 1}`);
          const attempt = await r.json();
          const answers = answersForAttempt(bank, attempt, false);
          r = await req.post(`${BASE_URL}/api/v1/modules/${SLUG}/attempts`,
            { data: { attempt_id: attempt.attempt_id, answers } });
          assertEqual(r.status(), 200, `attempt ${k + 1}`);
          assertEqual((await r.json()).passed, false, `attempt ${k + 1} failed`);
        }
        const p2 = await other.newPage();
        await p2.goto(`${BASE_URL}/module.html?slug=${SLUG}`);
        await waitForText(p2.locator('#pause-message'), /vanaf \d{2}:\d{2} uur/i, 'pause message with the time');
        assertEqual(await p2.locator('#quiz-questions fieldset').count(), 0, 'no questions during the pause');
        const reread = p2.locator('#reread-list button[data-reread]');
        assert(await reread.count() > 0, 'sections to reread');
        const sid = await reread.first().getAttribute('data-reread');
        await shot(p2, '03-quiz-paused');
        await reread.first().click();
        const section = mod.sections.find((s) => s.id === sid);
        await waitForText(p2.locator('#section-title'), section.title, 'the linked section opens');
      } finally {
        await other.close();
      }
    }, { blocks: false });

    await check('"Uitloggen" ends the session and returns to the login page', async () => {
      await page.goto(`${BASE_URL}/modules.html`);
      await page.getByRole('button', { name: 'Uitloggen' }).click();
      await page.waitForURL(new RegExp(`^${BASE_URL.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/(index\\.html)?(#.*)?$`));
      assertEqual((await context.request.get(`${BASE_URL}/api/v1/me`)).status(), 401, 'GET /me after logout');
      await page.goto(`${BASE_URL}/modules.html`);
      await page.waitForURL(/\/(index\.html)?$/);
    }, { blocks: false });

    await checkConsole(consoleProblems);

    await context.close();
  } finally {
    await browser.close();
  }
}

await run(main);
