// board.html: the board dashboard. Totals, a sortable and filterable table of schools
// with a bar chart, coverage over 24 months, drill-down per school (staff, expiring
// certificates, the package checklist), join codes, CSV export and roster upload.
// For a board_admin the board comes from GET /me; an admin passes ?board=<id>.

import { ApiError, get, post, put, seg } from './api.js';
import {
  describeError, el, formatDate, replaceChildren, showMessage,
  showPageError, startPage, timeEl,
} from './ui.js';
import { barChart } from './charts.js';
import {
  coverageBar, coverageColumns, loadHistory, renderStats, setQuery, setupPicker, showNoAccess,
} from './dashboard.js';
import {
  formatDateTime, formatNumber, formatPct, num, parseId, todayIso,
} from './format.js';
import { sortableTable } from './table.js';
import { setupCsvUpload } from './upload.js';
import { findItem, labelOf, loadMeta } from './meta.js';

const ROSTER_MAX = 5 * 1024 * 1024;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

const $id = (id) => document.getElementById(id);
const mainEl = $id('main');

const state = {
  meta: null, // the domain lists (meta.js): package items, roles, statuses
  boardId: null,
  coverage: null,
  schools: [],
  target: 100,
  openSchoolId: null,
  detailToken: 0,
};

// ---- rules -------------------------------------------------------------------------

function packageDone(school) {
  const p = school.package || {};
  return state.meta.package_items.filter(({ code }) => p[code]).length;
}

/** Below target: fewer certified than the target, or no certified aandachtsfunctionaris. */
function isBelow(school) {
  return (num(school.coverage_pct) ?? 0) < state.target || !school.has_certified_af;
}

// ---- totals --------------------------------------------------------------------------

function renderTotals() {
  const t = state.coverage.totals || {};
  const below = state.schools.filter(isBelow).length;
  renderStats($id('totals'), [
    { key: 'schools', label: 'Scholen', value: formatNumber(t.schools) },
    {
      key: 'below', label: `Scholen onder het doel (${formatPct(state.target)})`,
      value: formatNumber(below), warn: below > 0,
    },
    { key: 'teachers', label: 'Medewerkers (leerkrachten en IB\'ers)', value: formatNumber(t.teachers) },
    { key: 'teachers_certified', label: 'Gecertificeerd', value: formatNumber(t.teachers_certified) },
    { key: 'coverage_pct', label: 'Percentage gecertificeerd', value: formatPct(t.coverage_pct) },
    {
      key: 'ib_certified', label: 'IB\'ers gecertificeerd',
      value: `${formatNumber(t.ib_certified)} van ${formatNumber(t.ib)}`,
    },
    {
      key: 'schools_with_af', label: 'Scholen met gecertificeerde aandachtsfunctionaris',
      value: `${formatNumber(t.schools_with_af)} van ${formatNumber(t.schools)}`,
    },
    {
      key: 'expiring_90d', label: 'Certificaten die binnen 90 dagen verlopen',
      value: formatNumber(t.expiring_90d), warn: num(t.expiring_90d) > 0,
    },
  ]);
}

// ---- schools table, filters, bar chart -------------------------------------------

const filterForm = $id('filters');
const municipalitySelect = $id('filter-municipality');
const targetInput = $id('filter-target');
const belowBox = $id('filter-below');
const noAfBox = $id('filter-no-af');

function renderBarChart(rows) {
  const chartRows = rows.map((s) => coverageBar(s.name || s.brin || `School ${s.school_id}`, s,
    { below: isBelow(s) }));
  replaceChildren($id('bar-chart'), barChart(chartRows, {
    title: 'Percentage gecertificeerd per school',
    desc: `Staafdiagram met ${rows.length} ${rows.length === 1 ? 'school' : 'scholen'}, 0 tot 100 procent; `
      + `de streepjeslijn is het doel van ${formatPct(state.target)}. Scholen onder het doel hebben een andere kleur. `
      + 'Dezelfde cijfers staan in de tabel.',
    target: state.target,
    emptyText: 'Geen scholen die aan het filter voldoen.',
  }));
}

function detailsButton(school) {
  const b = el('button', { type: 'button', class: 'button button-quiet', 'data-open-school': school.school_id },
    'Details', el('span', { class: 'visually-hidden' }, ` van ${school.name}`));
  b.addEventListener('click', () => openSchool(school.school_id));
  return b;
}

const schoolsTable = sortableTable([
  {
    key: 'name', label: 'School', rowHeader: true,
    cell: (s) => [el('span', { class: 'school-name' }, s.name || ''),
      isBelow(s) ? el('span', { class: 'badge badge-bad' }, 'onder doel') : null],
  },
  { key: 'brin', label: 'BRIN' },
  { key: 'municipality', label: 'Gemeente' },
  ...coverageColumns(),
  {
    key: 'ib_certified', label: 'IB\'ers gecertificeerd', numeric: true,
    sortValue: (s) => num(s.ib_certified),
    cell: (s) => `${formatNumber(s.ib_certified)} van ${formatNumber(s.ib)}`,
  },
  {
    key: 'has_certified_af', label: 'Aandachts\u00adfunctionaris',
    sortValue: (s) => Boolean(s.has_certified_af),
    cell: (s) => (s.has_certified_af
      ? el('span', { class: 'status status-completed' }, 'Ja')
      : el('span', { class: 'status status-expired' }, 'Nee')),
  },
  {
    key: 'expiring_90d', label: 'Verloopt binnen 90 dagen', numeric: true,
    sortValue: (s) => num(s.expiring_90d), cell: (s) => formatNumber(s.expiring_90d),
  },
  {
    key: 'package', label: 'Schoolpakket', numeric: true,
    sortValue: packageDone, cell: (s) => `${packageDone(s)} van ${state.meta.package_items.length}`,
  },
  { key: 'actions', label: 'Bekijken', sortable: false, cell: detailsButton },
], {
  caption: 'Scholen van het bestuur. Kies een kolomkop om op die kolom te sorteren.',
  initialSort: { key: 'name', dir: 'asc' },
  rowAttrs: (s) => ({ 'data-school-id': s.school_id, class: isBelow(s) ? 'is-below' : false }),
  emptyText: 'Geen scholen die aan het filter voldoen.',
  onSort: renderBarChart,
  id: 'schools',
});
$id('schools-table').append(schoolsTable.element);

function filteredSchools() {
  const municipality = municipalitySelect.value;
  return state.schools.filter((s) => (!municipality || (s.municipality || '') === municipality)
    && (!belowBox.checked || isBelow(s))
    && (!noAfBox.checked || !s.has_certified_af));
}

function applyFilters() {
  const rows = filteredSchools();
  schoolsTable.setRows(rows);
  const total = state.schools.length;
  $id('filter-count').textContent = rows.length === total
    ? `${formatNumber(total)} ${total === 1 ? 'school' : 'scholen'}.`
    : `${formatNumber(rows.length)} van ${formatNumber(total)} scholen getoond.`;
}

function readTarget() {
  const errorBox = $id('filter-target-error');
  const raw = targetInput.value.trim().replace(',', '.');
  const v = Number(raw);
  if (raw === '' || !Number.isFinite(v) || v < 0 || v > 100) {
    targetInput.setAttribute('aria-invalid', 'true');
    errorBox.textContent = 'Vul een percentage van 0 tot en met 100 in.';
    errorBox.hidden = false;
    return;
  }
  targetInput.removeAttribute('aria-invalid');
  errorBox.hidden = true;
  state.target = v;
  renderTotals();
  applyFilters();
}

function setupFilters() {
  const names = [...new Set(state.schools.map((s) => s.municipality || '').filter(Boolean))]
    .sort((a, b) => a.localeCompare(b, 'nl'));
  const selected = municipalitySelect.value;
  replaceChildren(municipalitySelect, el('option', { value: '' }, 'Alle gemeenten'),
    names.map((n) => el('option', { value: n }, n)));
  if (names.includes(selected)) municipalitySelect.value = selected;
}

municipalitySelect.addEventListener('change', applyFilters);
belowBox.addEventListener('change', applyFilters);
noAfBox.addEventListener('change', applyFilters);
targetInput.addEventListener('input', readTarget);
filterForm.addEventListener('submit', (e) => e.preventDefault());
filterForm.addEventListener('reset', () => {
  // The form resets its controls after this event; read them afterwards.
  setTimeout(() => {
    targetInput.value = '100';
    readTarget();
  }, 0);
});

// ---- coverage over time ------------------------------------------------------------

const showHistory = () => loadHistory(`/boards/${seg(state.boardId)}/coverage/history`,
  { title: 'Percentage gecertificeerd per maand' });

// ---- school detail: staff, expiring, package ---------------------------------------

const detail = $id('school-detail');

function moduleItem(m) {
  const { statuses } = state.meta;
  const status = findItem(statuses, m.status) ? m.status : 'not_started';
  const li = el('li', { 'data-slug': m.slug, 'data-status': status },
    el('span', { class: 'module-name' }, m.title || m.slug), ' ',
    el('span', { class: `status status-${status}` }, labelOf(statuses, status)));
  if (status === 'completed' && m.expires_at) li.append(' geldig tot ', timeEl(m.expires_at));
  else if (status === 'expired' && m.expires_at) li.append(' verlopen op ', timeEl(m.expires_at));
  if (m.expiring_soon) li.append(' ', el('span', { class: 'badge badge-warn' }, 'verloopt binnenkort'));
  return li;
}

// An account of another board's school is only linked once its owner accepts.
const LINK_LABELS = {
  invited: 'Uitgenodigd (wacht op antwoord)',
  declined: 'Uitnodiging geweigerd',
};
function accountLabel(p) {
  if (LINK_LABELS[p.link]) return LINK_LABELS[p.link];
  return p.registered === false ? 'Nog geen account' : 'Aangemaakt';
}

const roleLabel = (p) => labelOf(state.meta.roles, p.role);
const completedCount = (p) => (p.modules || []).filter((m) => m.status === 'completed').length;
const isComplete = (p) => (p.modules || []).every((m) => m.status === 'completed');

const staffTable = sortableTable([
  { key: 'name', label: 'Naam', rowHeader: true },
  { key: 'email', label: 'E-mailadres', className: 'email' },
  { key: 'role', label: 'Rol', sortValue: roleLabel, cell: roleLabel },
  { key: 'registered', label: 'Account', sortValue: accountLabel, cell: accountLabel },
  {
    key: 'modules', label: 'Modules', sortValue: completedCount,
    cell: (p) => {
      const mods = Array.isArray(p.modules) ? p.modules : [];
      if (mods.length === 0) return el('span', { class: 'meta' }, 'Geen verplichte modules');
      return [
        el('span', { class: 'module-summary' }, `${completedCount(p)} van ${mods.length} afgerond`),
        el('ul', { class: 'module-status-list' }, mods.map(moduleItem)),
      ];
    },
  },
], {
  caption: 'Medewerkers van de school en hun modules',
  captionHidden: true,
  initialSort: { key: 'name', dir: 'asc' },
  rowAttrs: (p) => ({ 'data-email': p.email || '', class: isComplete(p) ? false : 'is-incomplete' }),
  emptyText: 'Geen medewerkers.',
  id: 'staff-table',
});

let staffRows = [];
function renderStaff() {
  const missingOnly = $id('staff-missing-only').checked;
  const rows = missingOnly ? staffRows.filter((p) => !isComplete(p)) : staffRows;
  staffTable.setRows(rows);
  const incomplete = staffRows.filter((p) => !isComplete(p)).length;
  $id('staff-count').textContent = `${formatNumber(staffRows.length)} medewerkers, van wie ${formatNumber(incomplete)} nog niet alles hebben afgerond.`;
}
$id('staff-missing-only').addEventListener('change', renderStaff);

async function loadStaff(schoolId, token) {
  const box = $id('staff-box');
  try {
    const staff = await get(`/boards/${seg(state.boardId)}/schools/${seg(schoolId)}/staff`);
    if (token !== state.detailToken) return;
    staffRows = Array.isArray(staff) ? staff : [];
    if (staffRows.length === 0) {
      replaceChildren(box, el('p', {}, 'Er staan nog geen medewerkers op de personeelslijst van deze school.'));
      $id('staff-count').textContent = '';
      return;
    }
    replaceChildren(box, staffTable.element);
    renderStaff();
  } catch (err) {
    if (token !== state.detailToken) return;
    replaceChildren(box, el('p', { class: 'message message-error', role: 'alert' },
      `De medewerkers konden niet worden geladen. ${describeError(err)}`));
  }
}

async function loadExpiring(schoolId, token) {
  const box = $id('expiring-box');
  try {
    const list = await get(`/boards/${seg(state.boardId)}/schools/${seg(schoolId)}/expiring`);
    if (token !== state.detailToken) return;
    const rows = Array.isArray(list) ? list : [];
    if (rows.length === 0) {
      replaceChildren(box, el('p', {}, 'Geen certificaten die de komende 90 dagen verlopen.'));
      return;
    }
    const table = sortableTable([
      { key: 'name', label: 'Naam', rowHeader: true },
      { key: 'email', label: 'E-mailadres', className: 'email' },
      { key: 'module_title', label: 'Module', sortValue: (r) => r.module_title || r.module_slug, cell: (r) => r.module_title || r.module_slug },
      { key: 'expires_at', label: 'Verloopt op', cell: (r) => timeEl(r.expires_at) },
    ], {
      caption: 'Certificaten die binnen 90 dagen verlopen',
      captionHidden: true,
      initialSort: { key: 'expires_at', dir: 'asc' },
      id: 'expiring-table',
    });
    replaceChildren(box, table.element);
    table.setRows(rows);
  } catch (err) {
    if (token !== state.detailToken) return;
    replaceChildren(box, el('p', { class: 'message message-error', role: 'alert' },
      `De verlopende certificaten konden niet worden geladen. ${describeError(err)}`));
  }
}

function packageState(node, date) {
  node.className = date ? 'check-state state-done' : 'check-state';
  replaceChildren(node, date ? ['Gedaan op ', timeEl(`${date}T12:00:00Z`)] : 'Nog niet gedaan');
}

function packageItem(school, key, label) {
  const inputId = `pkg-${key}`;
  const current = (school.package || {})[key] || null;
  const input = el('input', {
    type: 'date', id: inputId, name: key, value: current || '', max: '9999-12-31',
    'aria-describedby': `${inputId}-state ${inputId}-msg`,
  });
  const stateNode = el('span', { id: `${inputId}-state` });
  packageState(stateNode, current);
  const msg = el('p', { class: 'check-msg', id: `${inputId}-msg`, role: 'status', 'aria-live': 'polite' });
  const save = el('button', { type: 'button', class: 'button', 'data-action': 'save' },
    'Opslaan', el('span', { class: 'visually-hidden' }, `: ${label}`));
  const clear = el('button', { type: 'button', class: 'button button-quiet', 'data-action': 'clear' },
    'Wissen', el('span', { class: 'visually-hidden' }, `: ${label}`));

  const say = (text, kind) => {
    msg.className = `check-msg check-msg-${kind}`;
    msg.textContent = text;
  };

  async function send(value) {
    save.disabled = true;
    clear.disabled = true;
    say('Bezig met opslaan…', 'busy');
    try {
      await put(`/schools/${seg(school.school_id)}/package/${seg(key)}`, { done_on: value });
      school.package = { ...(school.package || {}), [key]: value };
      packageState(stateNode, value);
      input.value = value || '';
      input.removeAttribute('aria-invalid');
      say(value ? `Opgeslagen: gedaan op ${formatDate(`${value}T12:00:00Z`)}.` : 'Gewist: dit onderdeel staat weer open.', 'ok');
      applyFilters();
    } catch (err) {
      let text = describeError(err);
      if (err instanceof ApiError && err.status === 400) {
        text = (err.fields && err.fields.done_on) || err.message || 'Deze datum klopt niet.';
        input.setAttribute('aria-invalid', 'true');
      }
      say(`Niet opgeslagen. ${text}`, 'error');
    } finally {
      save.disabled = false;
      clear.disabled = false;
    }
  }

  save.addEventListener('click', () => {
    const value = input.value;
    if (!DATE_RE.test(value)) {
      input.setAttribute('aria-invalid', 'true');
      say('Kies eerst een datum, of gebruik Wissen.', 'error');
      input.focus();
      return;
    }
    if (value > todayIso()) {
      input.setAttribute('aria-invalid', 'true');
      say('Deze datum ligt in de toekomst. Vul de datum in waarop het gedaan is.', 'error');
      input.focus();
      return;
    }
    send(value);
  });
  clear.addEventListener('click', () => {
    if (!(school.package || {})[key]) {
      input.value = '';
      say('Dit onderdeel staat al open.', 'ok');
      return;
    }
    send(null);
  });

  return el('li', { class: 'check-item', 'data-item': key },
    el('div', { class: 'check-item-head' },
      el('label', { for: inputId, class: 'check-label' }, label), stateNode),
    el('div', { class: 'check-item-controls' }, input, save, clear),
    msg);
}

function renderPackage(school) {
  replaceChildren($id('package-list'),
    state.meta.package_items.map(({ code, label }) => packageItem(school, code, label)));
}

function openSchool(schoolId, { focus = true } = {}) {
  const school = state.schools.find((s) => String(s.school_id) === String(schoolId));
  if (!school) return;
  state.openSchoolId = school.school_id;
  state.detailToken += 1;
  const token = state.detailToken;
  $id('detail-title').textContent = school.name || `School ${school.school_id}`;
  $id('detail-meta').textContent = [school.brin ? `BRIN ${school.brin}` : '', school.municipality || '']
    .filter(Boolean).join(' · ');
  detail.setAttribute('data-school-id', school.school_id);
  $id('staff-missing-only').checked = false;
  $id('staff-count').textContent = '';
  replaceChildren($id('staff-box'), el('p', { class: 'loading' }, 'De medewerkers worden geladen…'));
  replaceChildren($id('expiring-box'), el('p', { class: 'loading' }, 'Wordt geladen…'));
  renderPackage(school);
  detail.hidden = false;
  setQuery({ school: school.school_id });
  if (focus) {
    $id('detail-title').focus();
    detail.scrollIntoView({ block: 'start' });
  }
  loadStaff(school.school_id, token);
  loadExpiring(school.school_id, token);
}

$id('detail-close').addEventListener('click', () => {
  const id = state.openSchoolId;
  detail.hidden = true;
  state.openSchoolId = null;
  state.detailToken += 1;
  setQuery({ school: null });
  const button = document.querySelector(`#schools [data-open-school="${CSS.escape(String(id))}"]`);
  if (button) button.focus();
});

// ---- join codes --------------------------------------------------------------------

let codeRows = [];
const codesTable = sortableTable([
  { key: 'name', label: 'School', rowHeader: true },
  { key: 'brin', label: 'BRIN' },
  { key: 'municipality', label: 'Gemeente' },
  { key: 'join_code', label: 'Schoolcode', cell: (s) => el('code', { class: 'join-code' }, s.join_code || '–') },
  {
    key: 'closed', label: 'Status', sortValue: (s) => Boolean(s.closed),
    cell: (s) => (s.closed ? el('span', { class: 'badge badge-bad' }, 'Gesloten') : 'Open'),
  },
  {
    key: 'actions', label: 'Nieuwe code', sortable: false,
    cell: (s) => {
      const b = el('button', { type: 'button', class: 'button button-quiet', 'data-new-code': s.id },
        'Nieuwe code', el('span', { class: 'visually-hidden' }, ` voor ${s.name}`));
      b.addEventListener('click', () => newJoinCode(s, b));
      return b;
    },
  },
], {
  caption: 'Scholen van het bestuur met hun schoolcode',
  captionHidden: true,
  initialSort: { key: 'name', dir: 'asc' },
  rowAttrs: (s) => ({ 'data-school-id': s.id }),
  emptyText: 'Dit bestuur heeft nog geen scholen.',
  id: 'codes-table',
});

async function newJoinCode(school, button) {
  const message = $id('codes-message');
  const ok = window.confirm(`Een nieuwe schoolcode maken voor ${school.name}? `
    + `De huidige code ${school.join_code || ''} werkt daarna niet meer; wie nog een account moet aanmaken, heeft de nieuwe code nodig.`);
  if (!ok) return;
  button.disabled = true;
  try {
    const answer = await post(`/schools/${seg(school.id)}/join-code`);
    school.join_code = answer && answer.join_code;
    codesTable.setRows(codeRows);
    showMessage(message, `Nieuwe schoolcode voor ${school.name}: ${school.join_code}. De oude code werkt niet meer.`, 'ok');
    const again = document.querySelector(`#codes-table [data-new-code="${CSS.escape(String(school.id))}"]`);
    if (again) again.focus();
  } catch (err) {
    button.disabled = false;
    showMessage(message, `Er is geen nieuwe code gemaakt. ${describeError(err)}`, 'error');
  }
}

async function loadJoinCodes() {
  const box = $id('codes-box');
  try {
    const list = await get(`/boards/${seg(state.boardId)}/schools`);
    codeRows = Array.isArray(list) ? list : [];
    replaceChildren(box, codesTable.element);
    codesTable.setRows(codeRows);
  } catch (err) {
    replaceChildren(box, el('p', { class: 'message message-error', role: 'alert' },
      `De schoolcodes konden niet worden geladen. ${describeError(err)}`));
  }
}

// ---- roster upload -----------------------------------------------------------------

function rosterSummary(r) {
  const item = (key, label) => el('li', { 'data-key': key }, `${label}: `, el('strong', {}, formatNumber(r[key] ?? 0)));
  return [
    el('strong', {}, 'De personeelslijst is verwerkt.'),
    el('ul', { class: 'result-list', id: 'roster-summary' },
      item('created', 'Nieuw op de lijst'),
      item('updated', 'Gewijzigd'),
      item('unchanged', 'Ongewijzigd'),
      item('removed', 'Niet meer op de lijst (telt niet meer mee)'),
      item('invited', 'Uitgenodigd (account bij een ander bestuur)')),
  ];
}

setupCsvUpload('roster', {
  maxBytes: ROSTER_MAX,
  path: () => `/boards/${seg(state.boardId)}/roster`,
  what: 'De personeelslijst',
  successContent: rosterSummary,
  onSuccess: () => {
    loadCoverage({ keepDetail: true });
    showHistory();
  },
});

// ---- loading -----------------------------------------------------------------------

async function loadCoverage({ keepDetail = false } = {}) {
  const coverage = await get(`/boards/${seg(state.boardId)}/coverage`);
  state.coverage = coverage || {};
  state.schools = Array.isArray(state.coverage.schools) ? state.coverage.schools : [];
  const name = (state.coverage.board && state.coverage.board.name) || `Bestuur ${state.boardId}`;
  $id('board-title').textContent = name;
  document.title = `${name} – Bestuursoverzicht – Leeromgeving huiselijk geweld en kindermishandeling`;
  const asOf = $id('board-asof');
  asOf.textContent = `Bestuursoverzicht, stand van ${formatDateTime(state.coverage.as_of)}.`;
  asOf.hidden = false;
  renderTotals();
  setupFilters();
  applyFilters();
  if (keepDetail && state.openSchoolId !== null) openSchool(state.openSchoolId, { focus: false });
}

async function main() {
  const meta = loadMeta(); // alongside GET /me
  const user = await startPage(mainEl);
  if (!user) return;
  const loading = $id('board-loading');
  const params = new URLSearchParams(window.location.search);

  if (user.role === 'admin') {
    const wanted = params.get('board');
    state.boardId = parseId(wanted);
    if (!state.boardId) {
      loading.hidden = true;
      setupPicker($id('board-picker'), $id('picker-board'), 'board',
        { error: wanted ? 'Dit is geen geldig nummer.' : null, value: wanted });
      return;
    }
  } else if (user.role === 'board_admin') {
    state.boardId = user.board && parseId(user.board.id);
    if (!state.boardId) {
      loading.hidden = true;
      showMessage($id('board-error'), 'Je account hoort (nog) niet bij een bestuur. Vraag de beheerder om je account aan een bestuur te koppelen.');
      return;
    }
  } else {
    showNoAccess(mainEl, user, 'Deze pagina is voor bestuursbeheerders van een schoolbestuur.');
    return;
  }

  const csv = $id('csv-link');
  csv.href = `/api/v1/boards/${seg(state.boardId)}/coverage?format=csv`;
  csv.setAttribute('download', `dekking-bestuur-${state.boardId}-${todayIso()}.csv`);

  try {
    state.meta = await meta;
    await loadCoverage();
  } catch (err) {
    loading.hidden = true;
    if (err instanceof ApiError && err.status === 401) return;
    if (user.role === 'admin' && err instanceof ApiError && (err.status === 404 || err.status === 403)) {
      setupPicker($id('board-picker'), $id('picker-board'), 'board',
        { error: `Bestuur ${state.boardId} bestaat niet of is niet te bekijken.`, value: state.boardId });
      return;
    }
    if (err instanceof ApiError && err.status === 403) {
      showNoAccess(mainEl, user, 'Je hebt geen toegang tot dit bestuur.');
      return;
    }
    showPageError(mainEl, err, 'Het bestuursoverzicht kon niet worden geladen');
    return;
  }
  loading.hidden = true;
  $id('board-content').hidden = false;
  if (user.role === 'admin') setQuery({ board: state.boardId });

  const wantedSchool = parseId(params.get('school'));
  if (wantedSchool) openSchool(wantedSchool, { focus: false });
  showHistory();
  loadJoinCodes();
}

main();
