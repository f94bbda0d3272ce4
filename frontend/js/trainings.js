// trainings.html (trainers): in-person training sessions. Create one (title, module,
// date, location), list one's own sessions, open one to see who attended and how each
// was judged, and record attendance by e-mail address (rows) with a tick per criterion
// of the module (the session's GET lists them): "geslaagd" follows from every criterion
// ticked, and the server checks the same. A row can also be "nog niet beoordeeld"
// (present only). A CSV file (email[,passed]) records presence only.

import { ApiError, NetworkError, get, post, seg, uploadCsv } from './api.js';
import { formatNumber, todayIso } from './format.js';
import { clearFieldErrors, markInvalid, setFieldError, showFieldError } from './forms.js';
import { lineErrorTable, lineErrors } from './upload.js';
import {
  describeError, el, goToLogin, hideMessage, homeForRole, replaceChildren, showMessage,
  startPage,
} from './ui.js';

const $id = (id) => document.getElementById(id);
const ID_RE = /^[1-9][0-9]{0,17}$/;
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const SLUG_RE = /^[a-z0-9][a-z0-9-]{0,63}$/;
const CSV_MAX_BYTES = 5 * 1024 * 1024;
const MONTHS = ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus',
  'september', 'oktober', 'november', 'december'];

const ui = {
  main: $id('main'),
  loading: $id('trainings-loading'),
  page: $id('trainings'),
  rows: $id('training-rows'),
  listMessage: $id('list-message'),
  detail: $id('detail'),
  detailTitle: $id('detail-title'),
  detailFacts: $id('detail-facts'),
  attendance: $id('attendance-root'),
  criteria: $id('criteria-root'),
  attendeeRows: $id('attendee-rows'),
  addRow: $id('add-row'),
  attendanceForm: $id('attendance-form'),
  attendanceSubmit: $id('attendance-submit'),
  csvForm: $id('csv-form'),
  csvFile: $id('csv-file'),
  csvSubmit: $id('csv-submit'),
  result: $id('record-result'),
  createForm: $id('create-form'),
  createMessage: $id('create-message'),
  title: $id('training-title'),
  moduleField: $id('module-field'),
  date: $id('training-date'),
  location: $id('training-location'),
  createSubmit: $id('create-submit'),
};

const state = {
  trainings: [], selected: null, session: null, modules: [], busy: false, rowSeq: 0, sentRows: [],
};
const CRITERION_ID_RE = /^[a-z0-9][a-z0-9-]{0,31}$/;

/** "22 november 2026" for "2026-11-22" (a calendar date, no time zone involved). */
function dayText(ymd) {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(ymd || ''));
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) return String(ymd || 'onbekend');
  return `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]} ${m[1]}`;
}

const dayEl = (ymd) => el('time', { datetime: /^\d{4}-\d{2}-\d{2}$/.test(String(ymd || '')) ? ymd : false }, dayText(ymd));

function setUrl(id) {
  const url = id ? `${window.location.pathname}?id=${encodeURIComponent(id)}` : window.location.pathname;
  window.history.replaceState(null, '', url);
}

// ---- criteria -----------------------------------------------------------------------

/** The criteria of the open session's module: [{id, text}] as the server sent them. */
function sessionCriteria() {
  const list = state.session && Array.isArray(state.session.criteria) ? state.session.criteria : [];
  return list.filter((c) => c && CRITERION_ID_RE.test(String(c.id)) && typeof c.text === 'string');
}

/** "Opening van het gesprek" for "Opening van het gesprek. Je opent …". */
function shortLabel(text) {
  const end = text.indexOf('. ');
  return end > 0 && end <= 60 ? text.slice(0, end) : text;
}

/** One attendee's judgement as a short Dutch text ("5 van 6 criteria behaald: …"). */
function judgementText(a, criteria) {
  const judged = a && a.criteria && typeof a.criteria === 'object' ? a.criteria : null;
  if (!judged) return 'Nog niet beoordeeld';
  const ids = Object.keys(judged);
  const met = ids.filter((id) => judged[id] === true).length;
  const missing = criteria.filter((c) => judged[c.id] !== true).map((c) => shortLabel(c.text));
  const total = criteria.length || ids.length;
  let text = `${formatNumber(met)} van ${formatNumber(total)} criteria behaald`;
  if (missing.length && missing.length < total) text += `; niet (of nog niet) behaald: ${missing.join(', ')}`;
  return text;
}

function renderCriteria() {
  const criteria = sessionCriteria();
  if (criteria.length === 0) {
    replaceChildren(ui.criteria, el('p', { class: 'message', role: 'status' },
      'Deze module heeft geen criteria. Je kunt alleen aanwezigheid vastleggen; slagen kan niet.'));
    return;
  }
  replaceChildren(ui.criteria,
    el('h4', { id: 'criteria-title' }, 'De criteria van deze training'),
    el('ol', { id: 'criteria-list', class: 'criteria-list' },
      criteria.map((c) => el('li', { 'data-criterion': c.id }, c.text))));
}

// ---- list ---------------------------------------------------------------------------

function renderList() {
  const rows = state.trainings.map((t) => {
    const open = el('button', { type: 'button', class: 'button button-quiet', 'data-open': String(t.id) },
      'Openen', el('span', { class: 'visually-hidden' }, `: ${t.title || ''}`));
    open.addEventListener('click', () => openTraining(t.id, { focus: true }));
    return el('tr', {
      'data-training-id': String(t.id),
      class: String(t.id) === String(state.selected) ? 'is-selected' : false,
    },
    el('td', {}, dayEl(t.date)),
    el('th', { scope: 'row' }, t.title || '(zonder titel)'),
    el('td', {}, t.module_title || t.module_slug || ''),
    el('td', {}, t.location || ''),
    el('td', { class: 'num' }, formatNumber(t.attendees ?? 0)),
    el('td', { class: 'num' }, formatNumber(t.passed ?? 0)),
    el('td', {}, open));
  });
  if (rows.length === 0) {
    rows.push(el('tr', { class: 'empty-row' },
      el('td', { colspan: 7 }, 'Je hebt nog geen trainingen. Maak er hieronder een aan.')));
  }
  replaceChildren(ui.rows, rows);
}

async function loadList() {
  try {
    const list = await get('/trainings');
    state.trainings = (Array.isArray(list) ? list : [])
      .slice().sort((a, b) => String(b.date || '').localeCompare(String(a.date || '')));
    hideMessage(ui.listMessage);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) { goToLogin(); return; }
    showMessage(ui.listMessage, `Je trainingen konden niet worden geladen. ${describeError(err)}`);
  }
  renderList();
}

// ---- one session ----------------------------------------------------------------------

// Attendees on a roster whose certificate waits until they have a verified account.
function pendingList(session) {
  const pending = Array.isArray(session.pending) ? session.pending : [];
  if (pending.length === 0) return [];
  return [
    el('h4', {}, 'Wachten op een account'),
    el('p', { class: 'hint' }, 'Deze deelnemers staan op de personeelslijst, maar hebben nog geen bevestigd account bij dat bestuur. Het certificaat (met de datum van de training) volgt vanzelf zodra ze een account hebben en hun e-mailadres bevestigen.'),
    el('ul', { id: 'pending-list' }, pending.map((p) => el('li', { 'data-email': p.email || '' },
      `${p.name || p.email} (${p.email}): ${p.passed ? 'geslaagd' : 'aanwezig, niet geslaagd'}`,
      ` (${judgementText(p, sessionCriteria()).toLowerCase()})`))),
  ];
}

function renderAttendance(session) {
  const list = Array.isArray(session.attendance) ? session.attendance : [];
  if (list.length === 0) {
    replaceChildren(ui.attendance, pendingList(session).length
      ? pendingList(session) : el('p', { class: 'hint' }, 'Nog niemand vastgelegd.'));
    return;
  }
  const sorted = list.slice().sort((a, b) => String(a.name || a.email).localeCompare(String(b.name || b.email), 'nl'));
  replaceChildren(ui.attendance, el('div', {
    class: 'table-scroll', role: 'region', 'aria-label': 'Tabel met vastgelegde aanwezigen', tabindex: '0',
  },
    el('table', { class: 'data-table', id: 'attendance-table' },
      el('caption', { class: 'visually-hidden' }, 'Vastgelegde aanwezigen'),
      el('thead', {}, el('tr', {},
        el('th', { scope: 'col' }, 'Naam'),
        el('th', { scope: 'col' }, 'E-mailadres'),
        el('th', { scope: 'col' }, 'Resultaat'),
        el('th', { scope: 'col' }, 'Beoordeling'),
        el('th', { scope: 'col' }, 'Certificaat'))),
      el('tbody', {}, sorted.map((a) => el('tr', { 'data-email': a.email || '' },
        el('th', { scope: 'row' }, a.name || '–'),
        el('td', { class: 'email' }, a.email || ''),
        el('td', {}, el('span', { class: a.passed ? 'status status-completed' : 'status' },
          a.passed ? 'Geslaagd' : 'Aanwezig, niet geslaagd')),
        el('td', { class: 'judgement' }, judgementText(a, sessionCriteria())),
        el('td', {}, a.certificate_code
          ? el('a', { href: `/verificatie/${encodeURIComponent(a.certificate_code)}` }, 'Controleren',
            el('span', { class: 'visually-hidden' }, ` (certificaat van ${a.name || a.email})`))
          : '–')))))), pendingList(session));
}

function renderDetail() {
  const t = state.session;
  if (!t) {
    ui.detail.hidden = true;
    return;
  }
  ui.detail.hidden = false;
  ui.detail.dataset.trainingId = String(t.id);
  ui.detailTitle.textContent = t.title || '(zonder titel)';
  replaceChildren(ui.detailFacts,
    dayEl(t.date), t.location ? ` · ${t.location}` : '',
    ` · module: ${t.module_title || t.module_slug || 'onbekend'}`);
  renderCriteria();
  renderAttendance(t);
  for (const tr of ui.rows.querySelectorAll('tr[data-training-id]')) {
    tr.classList.toggle('is-selected', tr.dataset.trainingId === String(t.id));
  }
}

async function openTraining(id, { focus = false } = {}) {
  const changed = String(state.selected) !== String(id);
  state.selected = id;
  setUrl(id);
  if (changed) replaceChildren(ui.result);
  try {
    const session = await get(`/trainings/${seg(id)}`);
    state.session = { ...(state.trainings.find((t) => String(t.id) === String(id)) || {}), ...session, id };
    // The rows carry a checkbox per criterion of this session's module.
    if (changed) resetRows();
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) { goToLogin(); return; }
    state.session = null;
    renderDetail();
    showMessage(ui.listMessage, err instanceof ApiError && err.status === 403 && err.message
      ? err.message : `De training kon niet worden geladen. ${describeError(err)}`);
    return;
  }
  renderDetail();
  if (focus) {
    ui.detailTitle.focus({ preventScroll: true });
    ui.detail.scrollIntoView({ block: 'start' });
  }
}

// ---- recording attendance ------------------------------------------------------------------

/**
 * Keeps a row's judgement consistent and shows its result, which follows from the
 * ticks as the server decides it. A new row is "nog niet beoordeeld" (present only);
 * ticking a criterion judges the row, and "nog niet beoordeeld" clears the ticks.
 */
function updateRowStatus(tr, changed = null) {
  const boxes = [...tr.querySelectorAll('.attendee-criterion')];
  const unjudged = tr.querySelector('.attendee-unjudged');
  if (changed && changed.classList.contains('attendee-criterion') && changed.checked) unjudged.checked = false;
  if (changed === unjudged && unjudged.checked) for (const box of boxes) box.checked = false;
  const notYet = unjudged.checked;
  const met = boxes.filter((b) => b.checked).length;
  const passed = !notYet && boxes.length > 0 && met === boxes.length;
  const status = tr.querySelector('.attendee-status');
  status.dataset.passed = String(passed);
  status.className = passed ? 'attendee-status status status-completed' : 'attendee-status status';
  status.textContent = notYet ? 'Alleen aanwezig'
    : passed ? 'Geslaagd' : `Niet geslaagd (${formatNumber(met)} van ${formatNumber(boxes.length)})`;
}

function attendeeRow(email = '') {
  state.rowSeq += 1;
  const n = state.rowSeq;
  const criteria = sessionCriteria();
  const emailInput = el('input', {
    type: 'email', id: `attendee-email-${n}`, class: 'attendee-email', autocomplete: 'off',
    spellcheck: 'false', inputmode: 'email', value: email, 'aria-label': `E-mailadres deelnemer ${n}`,
    'aria-describedby': `attendee-email-${n}-error`,
  });
  const emailError = el('p', { class: 'field-error', id: `attendee-email-${n}-error`, hidden: true });
  const unjudged = el('input', { type: 'checkbox', id: `attendee-unjudged-${n}`, class: 'attendee-unjudged' });
  unjudged.checked = true;
  unjudged.disabled = criteria.length === 0;
  const boxes = criteria.map((c, i) => el('span', { class: 'check' },
    el('input', {
      type: 'checkbox', id: `attendee-${n}-criterion-${i}`, class: 'attendee-criterion', 'data-criterion': c.id,
    }),
    el('label', { for: `attendee-${n}-criterion-${i}`, title: c.text },
      `${i + 1}. ${shortLabel(c.text)}`, el('span', { class: 'visually-hidden' }, ` (deelnemer ${n})`))));
  const judgement = el('fieldset', { class: 'criteria-set' },
    el('legend', { class: 'visually-hidden' }, `Criteria behaald door deelnemer ${n}`),
    boxes,
    el('span', { class: 'check' }, unjudged,
      el('label', { for: `attendee-unjudged-${n}` }, 'nog niet beoordeeld (alleen aanwezig)')));
  const status = el('span', { class: 'attendee-status status', 'aria-live': 'polite' });
  const remove = el('button', { type: 'button', class: 'button button-quiet' },
    'Verwijderen', el('span', { class: 'visually-hidden' }, ` (rij ${n})`));
  const tr = el('tr', { class: 'attendee-row' },
    el('td', {}, emailInput, emailError),
    el('td', {}, judgement),
    el('td', {}, status),
    el('td', {}, remove));
  judgement.addEventListener('change', (e) => updateRowStatus(tr, e.target));
  updateRowStatus(tr);
  remove.addEventListener('click', () => {
    const next = tr.nextElementSibling || tr.previousElementSibling;
    tr.remove();
    if (!ui.attendeeRows.querySelector('tr')) ui.attendeeRows.append(attendeeRow());
    const target = (next && next.isConnected ? next : ui.attendeeRows.querySelector('tr')).querySelector('input');
    if (target) target.focus();
  });
  // Enter in the last e-mail field adds a row instead of sending the form.
  emailInput.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && tr === ui.attendeeRows.lastElementChild && emailInput.value.trim()) {
      e.preventDefault();
      addRow();
    }
  });
  return tr;
}

/** Shows `text` under the row's e-mail field, which becomes invalid (WCAG 3.3.1). */
function setRowError(tr, text) {
  showFieldError(tr.querySelector('.attendee-email'), text);
}

function clearRowError(tr) {
  showFieldError(tr.querySelector('.attendee-email'), null);
}

/** The CSV file field invalid and described by the error box `errorId`, or valid
 *  again (null) (WCAG 3.3.1). */
function markCsvFile(errorId) {
  markInvalid(ui.csvFile, errorId, 'csv-hint');
}

function addRow() {
  const tr = attendeeRow();
  ui.attendeeRows.append(tr);
  tr.querySelector('input').focus();
}

function resetRows() {
  replaceChildren(ui.attendeeRows, attendeeRow(), attendeeRow(), attendeeRow());
}

function showResult(res) {
  const recorded = Number(res && res.recorded) || 0;
  const issued = Number(res && res.certificates_issued) || 0;
  const pending = Number(res && res.pending) || 0;
  replaceChildren(ui.result, el('div', {
    class: 'message message-ok', role: 'status', tabindex: '-1', id: 'record-outcome',
    'data-recorded': String(recorded), 'data-certificates': String(issued),
  },
  el('strong', {}, 'Opgeslagen. '),
  `${formatNumber(recorded)} ${recorded === 1 ? 'deelnemer' : 'deelnemers'} vastgelegd, `,
  `${formatNumber(issued)} ${issued === 1 ? 'certificaat' : 'certificaten'} uitgereikt.`,
  pending > 0 ? ` ${formatNumber(pending)} ${pending === 1 ? 'deelnemer heeft' : 'deelnemers hebben'} nog geen bevestigd account: het certificaat volgt zodra dat er is.` : ''));
  $id('record-outcome').focus();
}

function showFailure(err, what) {
  let content;
  if (err instanceof ApiError && err.status === 403) {
    // "<address> staat niet op de personeelslijst …": the row with that address.
    for (const tr of state.sentRows) {
      const email = tr.isConnected ? tr.querySelector('.attendee-email').value.trim().toLowerCase() : '';
      if (email && err.message && err.message.toLowerCase().startsWith(`${email} `)) setRowError(tr, err.message);
    }
    content = err.message
      ? [el('strong', {}, 'Niet opgeslagen. '), err.message]
      : [el('strong', {}, 'Niet opgeslagen: er is niets vastgelegd. '),
        'Je mag de aanwezigheid van deze deelnemers niet vastleggen.'];
  } else if (err instanceof ApiError && err.status === 400 && lineErrors(err).length > 0) {
    replaceChildren(ui.result,
      el('div', { class: 'message message-error', role: 'alert', tabindex: '-1', id: 'record-outcome' },
        el('strong', {}, `${what} is niet verwerkt: er is niets vastgelegd. `), err.message || ''),
      lineErrorTable(lineErrors(err)));
    $id('record-outcome').focus();
    return;
  } else if (err instanceof ApiError && err.status === 400) {
    const fields = err.fields ? Object.values(err.fields).filter((v) => typeof v === 'string') : [];
    // "attendees[2].criteria.x": mark the row the server names.
    for (const [key, reason] of Object.entries(err.fields || {})) {
      const m = /^attendees\[(\d+)\]/.exec(key);
      const tr = m && state.sentRows[Number(m[1])];
      if (tr && tr.isConnected) setRowError(tr, typeof reason === 'string' && reason ? reason : 'Controleer deze rij.');
    }
    content = [el('strong', {}, 'Niet opgeslagen: er is niets vastgelegd. '),
      [err.message, ...fields].filter(Boolean).join(' ')];
  } else if (err instanceof ApiError && err.status === 413) {
    content = ['Het bestand is te groot.'];
  } else if (err instanceof NetworkError) {
    content = ['De verbinding viel weg. Misschien is de aanwezigheid toch opgeslagen: open de training opnieuw om dat te zien, voordat je het nog eens probeert.'];
  } else {
    content = [`${what} is niet opgeslagen. ${describeError(err)}`];
  }
  replaceChildren(ui.result, el('div', {
    class: 'message message-error', role: 'alert', tabindex: '-1', id: 'record-outcome',
  }, content));
  $id('record-outcome').focus();
}

async function afterRecording(res) {
  showResult(res);
  await loadList();
  const id = state.selected;
  try {
    const session = await get(`/trainings/${seg(id)}`);
    state.session = { ...(state.trainings.find((t) => String(t.id) === String(id)) || {}), ...session, id };
    renderDetail();
  } catch (e) { /* the result message stands; the list shows the counts */ }
}

async function submitAttendance(event) {
  event.preventDefault();
  if (state.busy || !state.selected) return;
  markCsvFile(null);
  const attendees = [];
  const seen = new Set();
  let firstBad = null;
  const sentRows = [];
  let bad = 0;
  for (const tr of ui.attendeeRows.querySelectorAll('tr')) {
    const input = tr.querySelector('.attendee-email');
    const email = input.value.trim();
    clearRowError(tr);
    if (!email) continue;
    const key = email.toLowerCase();
    if (!EMAIL_RE.test(email) || seen.has(key)) {
      const text = seen.has(key) ? `${email} staat er twee keer in.` : `${email} is geen geldig e-mailadres.`;
      setRowError(tr, text);
      bad += 1;
      if (!firstBad) firstBad = { input, text };
      continue;
    }
    seen.add(key);
    sentRows.push(tr);
    if (tr.querySelector('.attendee-unjudged').checked) {
      attendees.push({ email }); // present, not judged yet
      continue;
    }
    const criteria = {};
    for (const box of tr.querySelectorAll('.attendee-criterion')) criteria[box.dataset.criterion] = box.checked;
    attendees.push({ email, criteria, passed: Object.values(criteria).every(Boolean) });
  }
  if (firstBad) {
    replaceChildren(ui.result, el('p', { class: 'message message-error', role: 'alert' },
      bad === 1 ? `Niet opgeslagen: ${firstBad.text}` : `Niet opgeslagen: ${formatNumber(bad)} rijen hebben een fout. ${firstBad.text}`));
    firstBad.input.focus();
    return;
  }
  if (attendees.length === 0) {
    replaceChildren(ui.result, el('p', { class: 'message message-error', role: 'alert' },
      'Vul minstens één e-mailadres in.'));
    const first = ui.attendeeRows.querySelector('input');
    if (first) first.focus();
    return;
  }
  state.sentRows = sentRows;
  state.busy = true;
  ui.attendanceSubmit.disabled = true;
  try {
    const res = await post(`/trainings/${seg(state.selected)}/attendance`, { attendees });
    resetRows();
    await afterRecording(res);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) { goToLogin(); return; }
    showFailure(err, 'De aanwezigheid');
  } finally {
    state.busy = false;
    ui.attendanceSubmit.disabled = false;
  }
}

async function submitCsv(event) {
  event.preventDefault();
  if (state.busy || !state.selected) return;
  const file = ui.csvFile.files && ui.csvFile.files[0];
  markCsvFile(null);
  if (!file) {
    replaceChildren(ui.result, el('p', { class: 'message message-error', role: 'alert', id: 'record-outcome' }, 'Kies eerst een CSV-bestand.'));
    markCsvFile('record-outcome');
    ui.csvFile.focus();
    return;
  }
  if (file.size === 0 || file.size > CSV_MAX_BYTES) {
    replaceChildren(ui.result, el('p', { class: 'message message-error', role: 'alert', id: 'record-outcome' },
      file.size === 0 ? `${file.name} is leeg.` : `${file.name} is te groot (hoogstens 5 MB).`));
    markCsvFile('record-outcome');
    ui.csvFile.focus();
    return;
  }
  state.busy = true;
  ui.csvSubmit.disabled = true;
  try {
    const res = await uploadCsv(`/trainings/${seg(state.selected)}/attendance`, file);
    ui.csvFile.value = '';
    await afterRecording(res);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) { goToLogin(); return; }
    showFailure(err, 'Het CSV-bestand');
    if (err instanceof ApiError && err.status === 400) markCsvFile('record-outcome');
  } finally {
    state.busy = false;
    ui.csvSubmit.disabled = false;
  }
}

// ---- creating a session -------------------------------------------------------------

function moduleControl() {
  const modules = state.modules;
  if (modules.length > 0) {
    const select = el('select', {
      id: 'training-module', name: 'module_slug', required: true, 'aria-describedby': 'training-module-error',
    },
    el('option', { value: '' }, 'Kies een module'),
    modules.map((m) => el('option', { value: m.slug }, m.title || m.slug)));
    replaceChildren(ui.moduleField, el('label', { for: 'training-module' }, 'Module'), select, moduleError());
    return;
  }
  replaceChildren(ui.moduleField,
    el('label', { for: 'training-module' }, 'Module'),
    el('span', { class: 'hint', id: 'training-module-hint' },
      'De korte naam (slug) van de module waarvoor deelnemers het certificaat krijgen, bijvoorbeeld af-praktijktraining.'),
    el('input', {
      type: 'text', id: 'training-module', name: 'module_slug', required: true, spellcheck: 'false',
      autocapitalize: 'off', autocomplete: 'off', maxlength: 64, placeholder: 'af-praktijktraining',
      'aria-describedby': 'training-module-hint training-module-error',
    }),
    moduleError());
}

const moduleError = () => el('p', { class: 'field-error', id: 'training-module-error', hidden: true });

async function loadModules() {
  try {
    const list = await get('/modules');
    state.modules = (Array.isArray(list) ? list : []).filter((m) => m && typeof m.slug === 'string');
  } catch (err) {
    state.modules = [];
  }
  moduleControl();
}

async function createTraining(event) {
  event.preventDefault();
  if (state.busy) return;
  hideMessage(ui.createMessage);
  const moduleInput = $id('training-module');
  const fields = {
    title: ui.title.value.trim(),
    module_slug: moduleInput.value.trim(),
    date: ui.date.value,
    location: ui.location.value.trim(),
  };
  const inputs = { title: ui.title, module_slug: moduleInput, date: ui.date, location: ui.location };
  const problems = [];
  clearFieldErrors(ui.createForm);
  if (!fields.title) problems.push(['title', 'Vul een titel in.']);
  if (!SLUG_RE.test(fields.module_slug)) {
    problems.push(['module_slug', state.modules.length ? 'Kies een module.' : 'Vul de korte naam van de module in, bijvoorbeeld af-praktijktraining (kleine letters, cijfers en streepjes).']);
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(fields.date)) problems.push(['date', 'Kies een datum.']);
  if (!fields.location) problems.push(['location', 'Vul een locatie in.']);
  if (problems.length) {
    // Each error stands under its field and describes it (WCAG 3.3.1); the first gets the focus.
    for (const [name, text] of problems) setFieldError(ui.createForm, name, text);
    showMessage(ui.createMessage, problems.length === 1
      ? 'De training is niet aangemaakt: één veld heeft een fout.'
      : `De training is niet aangemaakt: ${formatNumber(problems.length)} velden hebben een fout.`);
    inputs[problems[0][0]].focus();
    return;
  }
  state.busy = true;
  ui.createSubmit.disabled = true;
  try {
    const res = await post('/trainings', fields);
    showMessage(ui.createMessage, `De training „${fields.title}” is aangemaakt. Leg hierboven de aanwezigheid vast.`, 'ok');
    ui.title.value = '';
    ui.location.value = '';
    await loadList();
    if (res && res.id) await openTraining(res.id, { focus: true });
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) { goToLogin(); return; }
    // 422: the module is done online, with a quiz (module_not_in_person).
    if (err instanceof ApiError && (err.status === 400 || err.status === 422)) {
      const f = err.fields || {};
      for (const [name, reason] of Object.entries(f)) {
        if (inputs[name]) setFieldError(ui.createForm, name, typeof reason === 'string' && reason ? reason : 'Controleer dit veld.');
      }
      const LABELS = { title: 'Titel', module_slug: 'Module', date: 'Datum', location: 'Locatie' };
      const sentence = (t) => (/[.!?]$/.test(t) ? t : `${t}.`);
      const detail = Object.entries(f).map(([name, reason]) => sentence(
        `${LABELS[name] || name}: ${typeof reason === 'string' && reason ? reason : 'controleer dit veld'}`)).join(' ');
      showMessage(ui.createMessage, `De training is niet aangemaakt. ${err.message || ''} ${detail}`.trim());
      const first = Object.keys(f).find((name) => inputs[name]);
      if (first) inputs[first].focus();
    } else if (err instanceof ApiError && (err.status === 403 || err.status === 404) && err.message) {
      showMessage(ui.createMessage, `De training is niet aangemaakt. ${err.message}`);
    } else {
      showMessage(ui.createMessage, `De training is niet aangemaakt. ${describeError(err)}`);
    }
  } finally {
    state.busy = false;
    ui.createSubmit.disabled = false;
  }
}

// ---- start --------------------------------------------------------------------------

async function start() {
  const user = await startPage(ui.main);
  if (!user) return;
  if (user.role !== 'trainer') {
    replaceChildren(ui.main,
      el('h1', {}, 'Trainingen'),
      el('p', { class: 'message message-error', role: 'alert' }, 'Deze pagina is alleen voor trainers.'),
      el('p', {}, el('a', { href: homeForRole(user.role) || '/modules.html' }, 'Naar je startpagina')));
    return;
  }
  ui.date.value = todayIso();
  resetRows();
  ui.addRow.addEventListener('click', addRow);
  ui.attendanceForm.addEventListener('submit', submitAttendance);
  ui.csvForm.addEventListener('submit', submitCsv);
  ui.createForm.addEventListener('submit', createTraining);
  await Promise.all([loadList(), loadModules()]);
  ui.loading.hidden = true;
  ui.page.hidden = false;
  const wanted = new URLSearchParams(window.location.search).get('id');
  if (wanted && ID_RE.test(wanted)) await openTraining(wanted);
}

start();
