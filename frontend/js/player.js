// module.html?slug=<slug>: the module player. Sections in order, progress from the
// server (so a learner resumes on any device), "Volgende" marks a section done through
// the offline-safe queue, and after the last section the quiz.

import { ApiError, NetworkError, get, post, seg } from './api.js';
import { ProgressQueue } from './queue.js';
import {
  describeError, el, goToLogin, hideMessage, replaceChildren, showMessage, showPageError,
  startPage,
} from './ui.js';

const OFFLINE_TEXT = 'Je bent offline; je voortgang wordt verstuurd zodra er weer verbinding is.';
const SYNCED_TEXT = 'Er is weer verbinding; je voortgang is opgeslagen.';
const SLUG_RE = /^[a-z0-9][a-z0-9-]{0,63}$/;

const $id = (id) => document.getElementById(id);
const main = $id('main');
const ui = {
  loading: $id('player-loading'),
  player: $id('player'),
  title: $id('module-title'),
  progress: $id('module-progress'),
  progressText: $id('module-progress-text'),
  notice: $id('offline-notice'),
  list: $id('section-list'),
  sectionView: $id('section-view'),
  sectionCount: $id('section-count'),
  sectionTitle: $id('section-title'),
  sectionBody: $id('section-body'),
  prev: $id('prev-button'),
  next: $id('next-button'),
  quizView: $id('quiz-view'),
  quizTitle: $id('quiz-title'),
  quizIntro: $id('quiz-intro'),
  quizResult: $id('quiz-result'),
  quizForm: $id('quiz-form'),
  quizQuestions: $id('quiz-questions'),
  quizMessage: $id('quiz-message'),
  quizSubmit: $id('quiz-submit'),
};

const state = {
  slug: '',
  module: null,
  sections: [],
  done: new Set(),
  current: 0,          // index into sections; sections.length means the quiz
  queue: null,
  quizRendered: false,
  quizLoading: false,
  attempt: null,       // the started attempt: {attempt_id, questions, ...}
  submitting: false,
  syncedTimer: null,
};

// ---- progress and navigation ---------------------------------------------------

function allDone() {
  return state.sections.every((s) => state.done.has(s.id));
}

function firstUndone() {
  const i = state.sections.findIndex((s) => !state.done.has(s.id));
  return i === -1 ? state.sections.length : i;
}

function renderProgress() {
  const total = state.sections.length;
  const done = state.sections.filter((s) => state.done.has(s.id)).length;
  ui.progress.max = Math.max(1, total);
  ui.progress.value = done;
  ui.progressText.textContent = `${done} van ${total} onderdelen klaar`;
}

function renderNav() {
  const items = state.sections.map((s, i) => {
    const done = state.done.has(s.id);
    const button = el('button', {
      type: 'button',
      'data-index': i,
      'data-section-id': s.id,
      'data-done': done ? 'true' : 'false',
      class: done ? 'is-done' : false,
      'aria-current': i === state.current ? 'step' : false,
    },
    el('span', { class: 'mark', 'aria-hidden': 'true' }, done ? '' : String(i + 1)),
    el('span', {}, s.title, done ? el('span', { class: 'visually-hidden' }, ' (afgerond)') : null));
    return el('li', {}, button);
  });
  const quizReady = allDone();
  const quizButton = el('button', {
    type: 'button',
    'data-index': state.sections.length,
    'data-quiz': 'true',
    disabled: !quizReady,
    'aria-current': state.current === state.sections.length ? 'step' : false,
  },
  el('span', { class: 'mark', 'aria-hidden': 'true' }, '?'),
  // Why the quiz is greyed out, in words for everyone (not a grey colour alone).
  el('span', {}, 'Toets',
    quizReady ? null : el('span', { class: 'locked-note', id: 'quiz-locked' },
      ' (rond eerst alle onderdelen af)')));
  items.push(el('li', {}, quizButton));
  replaceChildren(ui.list, items);
}

function go(index, { focus = true } = {}) {
  const n = state.sections.length;
  let target = Math.max(0, Math.min(index, n));
  if (target === n && !allDone()) target = firstUndone();
  state.current = target;
  if (target === n) showQuiz();
  else showSection(target);
  renderNav();
  renderProgress();
  if (focus) {
    const heading = target === n ? ui.quizTitle : ui.sectionTitle;
    heading.focus();
    heading.scrollIntoView({ block: 'start' });
  }
}

function showSection(i) {
  const s = state.sections[i];
  const n = state.sections.length;
  ui.quizView.hidden = true;
  ui.sectionView.hidden = false;
  ui.sectionView.dataset.sectionId = s.id;
  ui.sectionCount.textContent = `Onderdeel ${i + 1} van ${n}`;
  ui.sectionTitle.textContent = s.title;
  // The only server text rendered as HTML: the section body, rendered on the server
  // from the module's own Markdown with raw HTML disabled.
  ui.sectionBody.innerHTML = typeof s.html === 'string' ? s.html : '';
  // A role-play section is done by playing the scenario to its end there.
  if (s.scenario && s.scenario.id) {
    const played = state.done.has(s.id);
    ui.sectionBody.append(el('p', { class: 'scenario-link' },
      el('a', { class: 'button', href: `/scenario.html?id=${encodeURIComponent(s.scenario.id)}&module=${encodeURIComponent(state.slug)}` },
        played ? 'Rollenspel opnieuw spelen' : 'Speel het rollenspel'),
      ' ',
      el('span', { class: 'muted' }, played
        ? 'Gespeeld: dit onderdeel is klaar.'
        : 'Dit onderdeel is klaar zodra je het rollenspel tot het einde hebt gespeeld.')));
  }
  ui.prev.hidden = i === 0;
  ui.next.textContent = i === n - 1 ? 'Volgende: naar de toets' : 'Volgende';
  document.title = `${s.title} – ${state.module.title}`;
}

function onNext() {
  const s = state.sections[state.current];
  if (!s) return;
  if (!state.done.has(s.id) && !s.scenario) {
    // Optimistic: done locally at once; the queue sends it now or later.
    state.done.add(s.id);
    state.queue.add(state.slug, s.id).then((r) => {
      if (r.state === 'auth') goToLogin();
    });
  }
  const n = state.sections.length;
  const nextIndex = state.current + 1 < n ? state.current + 1 : (allDone() ? n : firstUndone());
  go(nextIndex);
}

function onQueueChange({ pending, offline }) {
  clearTimeout(state.syncedTimer);
  if (pending > 0 && offline) {
    ui.notice.dataset.state = 'offline';
    ui.notice.textContent = OFFLINE_TEXT;
  } else if (pending === 0 && ui.notice.dataset.state === 'offline') {
    ui.notice.dataset.state = 'synced';
    ui.notice.textContent = SYNCED_TEXT;
    state.syncedTimer = setTimeout(() => {
      ui.notice.dataset.state = '';
      ui.notice.textContent = '';
    }, 6000);
  }
}

// ---- quiz -----------------------------------------------------------------------

function questionFieldset(q, qi) {
  const type = q.multiple ? 'checkbox' : 'radio';
  const name = `q-${qi}`;
  const errorId = `q-${qi}-error`;
  const choices = (q.choices || []).map((c, ci) => {
    const id = `q-${qi}-c-${ci}`;
    return el('div', { class: 'choice' },
      el('input', {
        type, id, name, value: c.id, 'data-choice-id': c.id, 'aria-describedby': errorId,
      }),
      el('label', { for: id }, c.text));
  });
  // The number is visible: "Nog open: vraag 3" must be findable without counting.
  return el('fieldset', { class: 'question', 'data-question-id': q.id, 'aria-describedby': errorId },
    el('legend', {}, el('span', { class: 'question-number' }, `Vraag ${qi + 1}: `), q.text),
    q.multiple ? el('p', { class: 'multi-hint' }, 'Er kunnen meerdere antwoorden goed zijn. Kies alle goede antwoorden.') : null,
    choices,
    el('p', { class: 'field-error question-error', id: errorId, hidden: true }));
}

/** Marks an unanswered question in words next to it (not by its border colour alone),
 *  tied to its choices; `missing` false clears the mark. */
function markMissing(fs, missing) {
  fs.classList.toggle('is-missing', missing);
  const box = fs.querySelector('.question-error');
  const multiple = fs.querySelector('input[type="checkbox"]') !== null;
  if (box) {
    box.textContent = missing
      ? (multiple ? 'Deze vraag is nog open: kies minstens één antwoord.' : 'Deze vraag is nog open: kies een antwoord.')
      : '';
    box.hidden = !missing;
  }
  for (const input of fs.querySelectorAll('input')) {
    if (missing) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  }
}

function clockTime(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return d.toLocaleTimeString('nl-NL', { hour: '2-digit', minute: '2-digit' });
}

/** "14:32 uur", "morgen 09:05 uur" or "8 december 09:05 uur": an attempt runs 21 hours. */
function untilText(iso) {
  const d = new Date(iso);
  const time = clockTime(iso);
  if (!time) return '';
  const day = (x) => x.toLocaleDateString('nl-NL', { year: 'numeric', month: '2-digit', day: '2-digit' });
  const tomorrow = new Date();
  tomorrow.setDate(tomorrow.getDate() + 1);
  if (day(d) === day(new Date())) return `${time} uur`;
  if (day(d) === day(tomorrow)) return `morgen ${time} uur`;
  return `${d.toLocaleDateString('nl-NL', { day: 'numeric', month: 'long' })} ${time} uur`;
}

function sectionIndex(id) {
  return state.sections.findIndex((s) => s.id === id);
}

/** Links to the sections of objectives that went wrong ("Lees nog eens"). */
function rereadList(objectives) {
  const items = (objectives || []).map((o) => {
    const links = (o.sections || []).map((sid) => {
      const i = sectionIndex(sid);
      if (i < 0) return null;
      const b = el('button', { type: 'button', class: 'link-button', 'data-reread': sid },
        state.sections[i].title);
      b.addEventListener('click', () => go(i));
      return el('li', {}, b);
    }).filter(Boolean);
    return el('li', { 'data-objective-id': o.id }, o.title || o.id,
      links.length ? el('ul', {}, links) : null);
  });
  return items.length ? el('ul', { class: 'reread', id: 'reread-list' }, items) : null;
}

/** The sections to reread after a wrong answer ([{id, title}]), as links. */
function rereadLinks(sections) {
  return (Array.isArray(sections) ? sections : []).map((sec) => {
    const i = sectionIndex(sec.id);
    if (i < 0) return null;
    const b = el('button', { type: 'button', class: 'link-button', 'data-reread': sec.id },
      sec.title || state.sections[i].title);
    b.addEventListener('click', () => go(i));
    return el('li', {}, b);
  }).filter(Boolean);
}

function renderQuestions(attempt) {
  const questions = attempt.questions || [];
  replaceChildren(ui.quizQuestions, questions.map(questionFieldset));
  ui.quizIntro.textContent = `${questions.length} ${questions.length === 1 ? 'vraag' : 'vragen'}, `
    + 'in willekeurige volgorde. Bij een nieuwe poging krijg je eerst vragen die je nog niet hebt gehad. Je slaagt met een score van '
    + `${attempt.pass_mark}% of hoger en minstens één goed antwoord per leerdoel. `
    + `Deze poging loopt tot ${untilText(attempt.expires_at)}.`;
  ui.quizSubmit.hidden = questions.length === 0;
  ui.quizForm.dataset.attemptId = String(attempt.attempt_id);
  setQuizLocked(false);
}

function showPaused(error) {
  state.attempt = null;
  replaceChildren(ui.quizQuestions);
  ui.quizSubmit.hidden = true;
  ui.quizIntro.textContent = '';
  ui.quizResult.className = 'result result-failed';
  ui.quizResult.dataset.paused = 'true';
  replaceChildren(ui.quizResult,
    el('h3', { id: 'quiz-result-title' }, 'Even pauze'),
    el('p', { id: 'pause-message' },
      `Je hebt de toets twee keer achter elkaar niet gehaald. Vanaf ${clockTime(error.retry_after)} uur kun je de toets opnieuw maken. Lees eerst deze onderdelen nog eens:`),
    rereadList(error.reread));
  ui.quizResult.hidden = false;
}

/** Starts an attempt (or gets the open one back) and shows its questions. */
async function startQuiz() {
  if (state.quizLoading) return;
  state.quizLoading = true;
  clearFeedback();
  hideMessage(ui.quizMessage);
  ui.quizResult.hidden = true;
  delete ui.quizResult.dataset.paused;
  replaceChildren(ui.quizResult);
  ui.quizIntro.textContent = 'De toets wordt klaargezet…';
  try {
    // All progress must be on the server before the quiz opens.
    const flushed = await state.queue.flush();
    if (flushed.state === 'auth') return goToLogin();
    const attempt = await post(`/modules/${seg(state.slug)}/quiz`);
    state.attempt = attempt;
    renderQuestions(attempt);
  } catch (err) {
    state.attempt = null;
    ui.quizIntro.textContent = '';
    ui.quizSubmit.hidden = true;
    if (err instanceof ApiError && err.status === 401) return goToLogin();
    if (err instanceof ApiError && err.code === 'quiz_paused') {
      showPaused(err.body && err.body.error ? err.body.error : {});
      return;
    }
    if (err instanceof ApiError && err.code === 'sections_incomplete') {
      showMessage(ui.quizMessage, 'Nog niet alle onderdelen zijn afgerond. Rond ze eerst af; daarna kun je de toets maken.');
      return;
    }
    showMessage(ui.quizMessage, `De toets kon niet worden klaargezet. ${describeError(err)}`);
  } finally {
    state.quizLoading = false;
  }
}

function renderQuiz() {
  state.quizRendered = true;
  startQuiz();
}

function showQuiz() {
  ui.sectionView.hidden = true;
  ui.quizView.hidden = false;
  if (!state.quizRendered) renderQuiz();
  document.title = `Toets – ${state.module.title}`;
}

function collectAnswers() {
  const answers = {};
  const missing = [];
  const fieldsets = [...ui.quizQuestions.querySelectorAll('fieldset.question')];
  fieldsets.forEach((fs, i) => {
    const chosen = [...fs.querySelectorAll('input:checked')].map((inp) => inp.value);
    markMissing(fs, chosen.length === 0);
    if (chosen.length === 0) missing.push(i + 1);
    answers[fs.dataset.questionId] = chosen;
  });
  return { answers, missing, fieldsets };
}

function setQuizLocked(locked) {
  for (const input of ui.quizQuestions.querySelectorAll('input')) input.disabled = locked;
  ui.quizSubmit.hidden = locked;
}

function clearFeedback() {
  for (const fb of ui.quizQuestions.querySelectorAll('.feedback')) fb.remove();
  for (const mark of ui.quizQuestions.querySelectorAll('.your-answer')) mark.remove();
  for (const fs of ui.quizQuestions.querySelectorAll('fieldset.question')) {
    fs.classList.remove('is-correct', 'is-incorrect');
    markMissing(fs, false);
    fs.removeAttribute('data-correct');
  }
}

function showResult(res) {
  const passed = Boolean(res.passed);
  ui.quizResult.className = `result ${passed ? 'result-passed' : 'result-failed'}`;
  ui.quizResult.dataset.passed = passed ? 'true' : 'false';
  const score = el('p', { class: 'score' },
    `Je score: ${res.score}%. Nodig om te slagen: ${res.pass_mark}%.`);
  const parts = [el('h3', { id: 'quiz-result-title' }, passed ? 'Geslaagd' : 'Niet geslaagd'), score];
  if (passed) {
    parts.push(el('p', {}, 'Goed gedaan. Je hebt deze module afgerond.'));
    const links = el('p', { class: 'actions' });
    if (res.certificate && res.certificate.code) {
      links.append(el('a', {
        class: 'button button-primary',
        id: 'certificate-link',
        href: `/certificate.html?code=${encodeURIComponent(res.certificate.code)}`,
      }, 'Bekijk je certificaat'));
    }
    links.append(el('a', { class: 'button', href: '/modules.html' }, 'Terug naar Mijn modules'));
    parts.push(links);
  } else {
    const wrong = (res.objectives || []).filter((o) => o.right < o.drawn);
    parts.push(el('p', {}, 'Bij de vragen die je goed had, staat een toelichting. Bij een fout antwoord staat wat je nog eens kunt lezen. Je ziet niet welk antwoord goed was: de vragen kunnen terugkomen.'));
    if (wrong.length) {
      parts.push(el('p', {}, 'Lees nog eens bij deze leerdoelen:'), rereadList(wrong));
    }
    if (res.next_attempt_at) {
      parts.push(el('p', { id: 'pause-message' },
        `Je hebt de toets twee keer achter elkaar niet gehaald. Vanaf ${clockTime(res.next_attempt_at)} uur kun je de toets opnieuw maken.`));
    } else {
      const retry = el('button', { type: 'button', class: 'button button-primary', id: 'retry-button' },
        'Opnieuw proberen');
      retry.addEventListener('click', resetQuiz);
      parts.push(el('p', { class: 'actions' }, retry));
    }
  }
  replaceChildren(ui.quizResult, parts);
  ui.quizResult.hidden = false;

  const feedback = Array.isArray(res.questions) ? res.questions : [];
  for (const fb of feedback) {
    const fs = [...ui.quizQuestions.querySelectorAll('fieldset.question')]
      .find((f) => f.dataset.questionId === String(fb.id));
    if (!fs) continue;
    const ok = Boolean(fb.right);
    // The chosen answers stay readable in words: a disabled, ticked control is faint.
    for (const input of fs.querySelectorAll('input:checked')) {
      input.closest('.choice').append(el('span', { class: 'your-answer' }, 'jouw antwoord'));
    }
    fs.classList.add(ok ? 'is-correct' : 'is-incorrect');
    fs.dataset.correct = ok ? 'true' : 'false';
    const reread = ok ? [] : rereadLinks(fb.reread);
    fs.append(el('div', { class: `feedback ${ok ? 'feedback-correct' : 'feedback-incorrect'}` },
      el('span', { class: 'verdict' }, ok ? 'Goed' : (reread.length ? 'Niet goed. Lees nog eens:' : 'Niet goed')),
      reread.length ? el('ul', { class: 'reread-question' }, reread) : null,
      fb.explanation ? el('span', { class: 'explanation' }, fb.explanation) : null));
  }
  state.attempt = null;
  setQuizLocked(true);
  ui.quizResult.focus();
  ui.quizResult.scrollIntoView({ block: 'start' });
}

function resetQuiz() {
  ui.quizTitle.focus();
  ui.quizTitle.scrollIntoView({ block: 'start' });
  startQuiz();
}

async function reloadModule() {
  const fresh = await get(`/modules/${seg(state.slug)}`);
  applyModule(fresh);
}

async function onSubmit(event) {
  event.preventDefault();
  if (state.submitting) return;
  hideMessage(ui.quizMessage);
  const { answers, missing, fieldsets } = collectAnswers();
  if (missing.length) {
    showMessage(ui.quizMessage, missing.length === 1
      ? `Beantwoord eerst alle vragen. Vraag ${missing[0]} is nog open.`
      : `Beantwoord eerst alle vragen. Nog open: vraag ${missing.join(', ')}.`);
    const first = fieldsets[missing[0] - 1].querySelector('input');
    if (first) first.focus();
    return;
  }

  state.submitting = true;
  ui.quizSubmit.disabled = true;
  try {
    // All progress must be on the server before the attempt counts.
    const flushed = await state.queue.flush();
    if (flushed.state === 'auth') return goToLogin();
    if (flushed.state !== 'ok' || state.queue.pending > 0) {
      showMessage(ui.quizMessage, 'Je voortgang is nog niet verstuurd, omdat er geen verbinding is. Je antwoorden blijven staan: probeer het opnieuw zodra je weer online bent.');
      return;
    }
    if (!state.attempt) return startQuiz();
    const res = await post(`/modules/${seg(state.slug)}/attempts`,
      { attempt_id: state.attempt.attempt_id, answers });
    showResult(res);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return goToLogin();
    if (err instanceof ApiError && err.code === 'sections_incomplete') {
      showMessage(ui.quizMessage, 'Nog niet alle onderdelen zijn afgerond. Rond ze eerst af; daarna kun je de toets maken.');
      try {
        await reloadModule();
        go(firstUndone());
      } catch (e) { /* the message above already says what to do */ }
      return;
    }
    if (err instanceof NetworkError || (err instanceof ApiError && err.transient)) {
      showMessage(ui.quizMessage, 'Je antwoorden konden niet worden verstuurd, omdat er geen verbinding is. Ze blijven staan: probeer het opnieuw zodra je weer online bent.');
      return;
    }
    if (err instanceof ApiError && err.code === 'attempt_expired') {
      showMessage(ui.quizMessage, 'De tijd voor deze poging is om. Je krijgt nieuwe vragen.');
      state.attempt = null;
      await startQuiz();
      showMessage(ui.quizMessage, 'De tijd voor je vorige poging was om. Dit zijn nieuwe vragen.');
      return;
    }
    if (err instanceof ApiError && err.status === 400) {
      showMessage(ui.quizMessage, 'De toets is intussen gewijzigd. Laad de pagina opnieuw en maak de toets nog een keer.');
      return;
    }
    showMessage(ui.quizMessage, `Je antwoorden konden niet worden verstuurd. ${describeError(err)}`);
  } finally {
    state.submitting = false;
    ui.quizSubmit.disabled = false;
  }
}

// ---- start ------------------------------------------------------------------------

function applyModule(mod) {
  state.module = mod;
  state.sections = Array.isArray(mod.sections) ? mod.sections : [];
  const queued = state.queue.sectionsFor(state.slug);
  state.done = new Set(state.sections.filter((s) => s.done || queued.has(s.id)).map((s) => s.id));
}

async function start() {
  const params = new URLSearchParams(window.location.search);
  state.slug = params.get('slug') || '';
  if (!SLUG_RE.test(state.slug)) {
    replaceChildren(main,
      el('h1', {}, 'Module niet gevonden'),
      el('p', {}, 'Deze link verwijst niet naar een module. ',
        el('a', { href: '/modules.html' }, 'Ga naar Mijn modules'), '.'));
    return;
  }

  const user = await startPage(main, { nav: { beforeLogout: () => state.queue.flush() } });
  if (!user) return;
  state.queue = new ProgressQueue(user.id, { onChange: onQueueChange, onAuthRequired: goToLogin });

  // Progress queued on an earlier visit goes first, so the server's "done" flags are
  // complete; whatever is still queued afterwards counts as done locally.
  const flushed = await state.queue.start();
  if (flushed.state === 'auth') return;

  let mod;
  try {
    mod = await get(`/modules/${seg(state.slug)}`);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return goToLogin();
    if (err instanceof ApiError && err.status === 404) {
      replaceChildren(main,
        el('h1', {}, 'Module niet gevonden'),
        el('p', {}, 'Deze module bestaat niet of is niet voor jou bedoeld. ',
          el('a', { href: '/modules.html' }, 'Ga naar Mijn modules'), '.'));
      return;
    }
    showPageError(main, err, 'De module kon niet worden geladen');
    return;
  }
  applyModule(mod);

  ui.title.textContent = mod.title || state.slug;
  ui.loading.hidden = true;
  ui.player.hidden = false;

  ui.list.addEventListener('click', (event) => {
    const button = event.target.closest('button[data-index]');
    if (button && !button.disabled) go(Number(button.dataset.index));
  });
  ui.prev.addEventListener('click', () => go(state.current - 1));
  ui.next.addEventListener('click', onNext);
  ui.quizForm.addEventListener('submit', onSubmit);
  ui.quizQuestions.addEventListener('change', (event) => {
    const fs = event.target.closest('fieldset.question');
    if (fs && fs.classList.contains('is-missing') && fs.querySelector('input:checked')) markMissing(fs, false);
  });

  // Resume at the first section that is not done (the quiz when all are done).
  go(firstUndone(), { focus: false });
  if (state.current === state.sections.length) noteEarlierCertificate();
}

/** When all sections are done, says so and links a valid certificate if there is one. */
async function noteEarlierCertificate() {
  try {
    const certs = await get('/me/certificates');
    const cert = (certs || []).find((c) => c.module_slug === state.slug && c.valid);
    if (!cert) return;
    // Its own paragraph: the intro is rewritten when the quiz is set up.
    ui.quizIntro.after(el('p', { id: 'earlier-certificate' }, 'Je hebt deze module al afgerond. ',
      el('a', { href: `/certificate.html?code=${encodeURIComponent(cert.code)}` },
        'Bekijk je certificaat'), '.'));
  } catch (e) { /* only a convenience */ }
}

start();
