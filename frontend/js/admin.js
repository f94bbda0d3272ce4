// admin.html: the platform operator's forms. Create a region, a board, a school (shows
// the new join code) and an account; link a trainer to a board; import DUO's school
// register; read the audit log and erase a person. Server field errors
// (`error.fields`, Dutch) appear next to their fields.

import { ApiError, get, post, seg } from './api.js';
import {
  clearFieldErrors, focusFirstInvalid, setFieldError, stopAtInvalid,
} from './forms.js';
import {
  describeError, el, replaceChildren, showPageError, startPage,
} from './ui.js';
import { findItem, labelInSentence, loadMeta } from './meta.js';
import { showNoAccess } from './dashboard.js';
import { formatNumber, parseId } from './format.js';
import { setupCsvUpload } from './upload.js';

const $id = (id) => document.getElementById(id);
const mainEl = $id('main');
const REGISTER_MAX = 20 * 1024 * 1024;
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const BRIN_RE = /^[0-9A-Za-z]{4}[0-9]{2}$/;

// ---- field errors ------------------------------------------------------------------

function formMessage(form) {
  return form.querySelector('.form-message');
}

function showFormMessage(form, kind, ...content) {
  const box = formMessage(form);
  box.className = `form-message message message-${kind}`;
  box.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  replaceChildren(box, ...content);
  box.hidden = false;
}

function clearErrors(form) {
  clearFieldErrors(form);
  const box = formMessage(form);
  box.hidden = true;
  replaceChildren(box);
}

/** Shows `error.fields` next to the fields; what has no field goes into the message. */
function showServerFields(form, fields, fallback) {
  const loose = [];
  for (const [name, reason] of Object.entries(fields || {})) {
    const text = typeof reason === 'string' && reason ? reason : 'Controleer dit veld.';
    if (!setFieldError(form, name, text)) loose.push(text);
  }
  if (loose.length || !form.querySelector('[aria-invalid="true"]')) {
    showFormMessage(form, 'error', loose.length ? loose.join(' ') : (fallback || 'Controleer de gegevens en probeer het opnieuw.'));
  }
  focusFirstInvalid(form);
}

const values = (form) => Object.fromEntries([...new FormData(form).entries()]
  .map(([k, v]) => [k, typeof v === 'string' ? v.trim() : v]));

/**
 * Wires one form. `check(v, err)` validates in the browser (err(name, text)); `request(v)`
 * gives { path, body }; `success(answer, v)` gives the content of the success message;
 * `conflict` / `notFound` (optional) give [field, text] for a 409 / 404; `confirmText(v)`
 * (optional) is asked with window.confirm first, and nothing is sent when it is declined.
 */
function setupForm(form, { check, request, success, conflict, notFound, after, confirmText }) {
  const button = form.querySelector('button[type="submit"]');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const v = values(form);
    check(v, (name, text) => setFieldError(form, name, text));
    if (stopAtInvalid(form)) return;
    if (confirmText && !window.confirm(confirmText(v))) return;
    const { path, body } = request(v);
    button.disabled = true;
    form.setAttribute('aria-busy', 'true');
    try {
      const answer = await post(path, body);
      showFormMessage(form, 'ok', ...[].concat(success(answer || {}, v)));
      form.reset();
      if (after) after();
      const box = formMessage(form);
      box.setAttribute('tabindex', '-1');
      box.focus();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'validation_failed') {
        showServerFields(form, err.fields, err.message);
      } else if (err instanceof ApiError && err.status === 409 && conflict) {
        const [name, text] = conflict(err);
        if (!setFieldError(form, name, text)) showFormMessage(form, 'error', text);
        focusFirstInvalid(form);
      } else if (err instanceof ApiError && err.status === 404 && notFound) {
        const [name, text] = notFound(err);
        if (!setFieldError(form, name, text)) showFormMessage(form, 'error', text);
        focusFirstInvalid(form);
      } else if (err instanceof ApiError && err.status === 401) {
        showFormMessage(form, 'error', 'Je bent niet meer ingelogd. ',
          el('a', { href: '/' }, 'Log opnieuw in'), ' en probeer het nog eens.');
      } else {
        const detail = err instanceof ApiError && err.message && err.status < 500 ? err.message : describeError(err);
        showFormMessage(form, 'error', `Niet gelukt. ${detail}`);
      }
    } finally {
      button.disabled = false;
      form.removeAttribute('aria-busy');
    }
  });
}

/** Checks an id field; `required` false allows it empty. Returns the number or null. */
function idField(v, err, name, { required = true, what = 'nummer' } = {}) {
  if (!v[name]) {
    if (required) err(name, `Vul het ${what} in.`);
    return null;
  }
  const id = parseId(v[name]);
  if (!id) err(name, 'Vul een nummer in, alleen cijfers, bijvoorbeeld 12.');
  return id;
}

const idOf = (answer) => (answer && answer.id !== undefined && answer.id !== null ? String(answer.id) : '?');

// ---- the forms ---------------------------------------------------------------------

function setupRegionForm() {
  const form = $id('region-form');
  setupForm(form, {
    check: (v, err) => { if (!v.name) err('name', 'Geef de regio een naam.'); },
    request: (v) => ({ path: '/regions', body: { name: v.name } }),
    success: (a, v) => {
      formMessage(form).setAttribute('data-id', idOf(a));
      return [`Regio „${v.name}” is aangemaakt met nummer `, el('strong', { class: 'new-id' }, idOf(a)), '. ',
        el('a', { href: `/region.html?region=${encodeURIComponent(idOf(a))}` }, 'Regio-overzicht openen')];
    },
    conflict: () => ['name', 'Er bestaat al een regio met deze naam.'],
  });
}

function setupBoardForm() {
  const form = $id('board-form');
  setupForm(form, {
    check: (v, err) => {
      if (!v.name) err('name', 'Geef het bestuur een naam.');
      if (!v.number) err('number', 'Vul het bestuursnummer in.');
      else if (!/^[0-9]+$/.test(v.number)) err('number', 'Het bestuursnummer bestaat uit cijfers.');
      idField(v, err, 'region_id', { required: false });
    },
    request: (v) => {
      const body = { name: v.name, number: v.number };
      if (v.region_id) body.region_id = parseId(v.region_id);
      return { path: '/boards', body };
    },
    success: (a, v) => {
      formMessage(form).setAttribute('data-id', idOf(a));
      return [`Bestuur „${v.name}” is aangemaakt met nummer `, el('strong', { class: 'new-id' }, idOf(a)), '. ',
        el('a', { href: `/board.html?board=${encodeURIComponent(idOf(a))}` }, 'Bestuursoverzicht openen')];
    },
    conflict: () => ['number', 'Er bestaat al een bestuur met dit bestuursnummer.'],
  });
}

function setupSchoolForm() {
  const form = $id('school-form');
  setupForm(form, {
    check: (v, err) => {
      idField(v, err, 'board_id', { what: 'nummer van het bestuur' });
      if (!v.name) err('name', 'Geef de school een naam.');
      if (!v.brin) err('brin', 'Vul de vestigingscode in.');
      else if (!BRIN_RE.test(v.brin)) err('brin', 'Een vestigingscode is vier tekens BRIN en twee cijfers, bijvoorbeeld 32JK00.');
      if (!v.municipality) err('municipality', 'Vul de gemeente in.');
    },
    request: (v) => ({
      path: '/schools',
      body: { board_id: parseId(v.board_id), name: v.name, brin: v.brin.toUpperCase(), municipality: v.municipality },
    }),
    success: (a, v) => {
      formMessage(form).setAttribute('data-id', idOf(a));
      return [`School „${v.name}” is aangemaakt met nummer ${idOf(a)}. De schoolcode is `,
        el('code', { class: 'join-code join-code-large', id: 'new-join-code' }, a.join_code || '?'),
        '. Geef die door aan de school: leerkrachten en IB\'ers maken er zelf hun account mee aan.'];
    },
    conflict: () => ['brin', 'Er bestaat al een school met deze vestigingscode.'],
  });
}

/** The roles an admin gives an account here: all but the learners', who join
 *  with their school's code. */
const accountRoles = (meta) => meta.roles.filter(({ code }) => !findItem(meta.learner_roles, code));

function setupUserForm(meta) {
  const form = $id('user-form');
  const role = $id('user-role');
  const roles = accountRoles(meta);
  role.append(...roles.map(({ code, label }) => el('option', { value: code }, `${label} (${code})`)));
  const boardField = $id('user-board-field');
  const regionField = $id('user-region-field');
  const password = $id('user-password');
  const show = $id('user-password-show');
  const syncRole = () => {
    boardField.hidden = role.value !== 'board_admin';
    regionField.hidden = role.value !== 'region_viewer';
  };
  role.addEventListener('change', syncRole);
  syncRole();
  show.addEventListener('change', () => { password.type = show.checked ? 'text' : 'password'; });
  $id('user-password-generate').addEventListener('click', () => {
    // 18 characters from an alphabet without look-alikes: about 100 bits.
    const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
    const bytes = new Uint8Array(18);
    crypto.getRandomValues(bytes);
    password.value = [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
    show.checked = true;
    password.type = 'text';
    password.focus();
  });

  setupForm(form, {
    check: (v, err) => {
      if (!EMAIL_RE.test(v.email || '')) err('email', 'Vul een geldig e-mailadres in.');
      if (!v.name) err('name', 'Vul een naam in.');
      if (!findItem(roles, v.role)) err('role', 'Kies een rol.');
      if (v.role === 'board_admin') idField(v, err, 'board_id', { what: 'nummer van het bestuur' });
      if (v.role === 'region_viewer') idField(v, err, 'region_id', { what: 'nummer van de regio' });
      if ([...(v.password || '')].length < 12) err('password', 'Kies een wachtwoord van minstens 12 tekens.');
    },
    request: (v) => {
      const body = { email: v.email, name: v.name, role: v.role, password: v.password };
      if (v.role === 'board_admin') body.board_id = parseId(v.board_id);
      if (v.role === 'region_viewer') body.region_id = parseId(v.region_id);
      return { path: '/users', body };
    },
    success: (a, v) => {
      formMessage(form).setAttribute('data-id', idOf(a));
      const link = v.role === 'region_viewer'
        ? [' Stuur de projectleider deze link naar het overzicht: ',
          el('code', {}, `${window.location.origin}/region.html?region=${parseId(v.region_id)}`)]
        : [];
      return [`Account voor ${v.name} (${v.email}) is aangemaakt als ${labelInSentence(roles, v.role)}, met gebruikersnummer `,
        el('strong', { class: 'new-id' }, idOf(a)), '.', ...link];
    },
    conflict: () => ['email', 'Er bestaat al een account met dit e-mailadres.'],
    after: () => {
      syncRole();
      password.type = 'password';
    },
  });
}

function setupTrainerForm() {
  const form = $id('trainer-form');
  setupForm(form, {
    check: (v, err) => {
      idField(v, err, 'user_id', { what: 'gebruikersnummer van de trainer' });
      idField(v, err, 'board_id', { what: 'nummer van het bestuur' });
    },
    request: (v) => ({
      path: `/trainers/${seg(parseId(v.user_id))}/boards`,
      body: { board_id: parseId(v.board_id) },
    }),
    // A 404 here means: no account with that number, or it is not a trainer.
    notFound: () => ['user_id', 'Er is geen trainer met dit gebruikersnummer.'],
    success: (a, v) => `Trainer ${parseId(v.user_id)} mag nu de aanwezigheid registreren voor medewerkers van bestuur ${parseId(v.board_id)}.`,
  });
}

function setupRegisterUpload() {
  const item = (r, key, label) => el('li', { 'data-key': key }, `${label}: `,
    el('strong', {}, formatNumber(r[key] ?? 0)));
  setupCsvUpload('register', {
    maxBytes: REGISTER_MAX,
    path: () => '/school-register',
    what: 'Het register',
    successContent: (r) => {
      const none = ['boards_created', 'schools_created', 'schools_updated', 'schools_closed']
        .every((k) => !Number(r[k]));
      return [
        el('strong', {}, none ? 'Het register is ingelezen; er is niets veranderd (dit bestand was al ingelezen).'
          : 'Het register is ingelezen.'),
        el('ul', { class: 'result-list', id: 'register-summary' },
          item(r, 'boards_created', 'Nieuwe besturen'),
          item(r, 'schools_created', 'Nieuwe scholen'),
          item(r, 'schools_updated', 'Bijgewerkte scholen'),
          item(r, 'schools_closed', 'Gesloten (niet meer in het register)')),
      ];
    },
  });
}

// ---- audit log ---------------------------------------------------------------------

const AUDIT_LABELS = {
  roster_import: 'Personeelslijst ingelezen',
  join_code_rotate: 'Schoolcode vernieuwd',
  scenario_publish: 'Scenario gepubliceerd',
  attendance: 'Aanwezigheid geregistreerd',
  account_create: 'Account aangemaakt',
  trainer_board_link: 'Trainer aan bestuur gekoppeld',
  package_item: 'Preventiepakket bijgewerkt',
  school_register_import: 'DUO-register ingelezen',
  password_change: 'Wachtwoord gewijzigd',
  erase: 'Persoon gewist',
};

const TARGET_LABELS = {
  user: 'account',
  school: 'school',
  board: 'bestuur',
  region: 'regio',
  training: 'training',
  scenario: 'scenario',
  register: 'DUO-register',
};

const two = (n) => String(n).padStart(2, '0');

/** "22-11-2026 23:28" (Dutch time) for an RFC 3339 time; the input when unreadable. */
function formatDateTime(iso) {
  const d = new Date(iso);
  if (!iso || Number.isNaN(d.getTime())) return String(iso || '');
  try {
    const parts = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Amsterdam', year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', hourCycle: 'h23',
    }).formatToParts(d);
    const p = (t) => Number(parts.find((x) => x.type === t).value);
    return `${two(p('day'))}-${two(p('month'))}-${p('year')} ${two(p('hour') % 24)}:${two(p('minute'))}`;
  } catch (e) {
    return d.toISOString().slice(0, 16).replace('T', ' ');
  }
}

/** "account 94" for "user:94"; other targets as they are. */
function targetText(target) {
  const m = /^([a-z_]+):(.*)$/.exec(String(target ?? ''));
  if (m && TARGET_LABELS[m[1]]) return `${TARGET_LABELS[m[1]]} ${m[2]}`;
  return String(target ?? '');
}

/** Compact text for the details object: "key: value, key: value"; "–" when empty. */
function detailsText(details) {
  if (details === null || details === undefined || details === '') return '–';
  if (typeof details !== 'object') return String(details);
  const entries = Array.isArray(details) ? [['', details]] : Object.entries(details);
  if (!entries.length) return '–';
  return entries.map(([k, v]) => {
    const value = v !== null && typeof v === 'object' ? JSON.stringify(v) : String(v);
    return k ? `${k}: ${value}` : value;
  }).join(', ');
}

function auditRow(a) {
  const details = detailsText(a.details);
  const short = details.length > 240 ? `${details.slice(0, 239)}…` : details;
  const actor = a.actor || (a.actor_id === null || a.actor_id === undefined ? 'systeem' : `account ${a.actor_id}`);
  return el('tr', { 'data-id': String(a.id), 'data-action': String(a.action || '') },
    el('td', { class: 'audit-time' }, el('time', { datetime: a.at || false }, formatDateTime(a.at))),
    el('td', { class: 'email' }, actor,
      a.actor_id !== null && a.actor_id !== undefined ? el('span', { class: 'meta' }, ` (${a.actor_id})`) : null),
    el('td', {}, AUDIT_LABELS[a.action] || String(a.action || '')),
    el('td', { class: 'audit-target' }, targetText(a.target)),
    el('td', { class: 'audit-details', title: short !== details ? details : false }, short));
}

/** The audit table: newest first; "Oudere" asks for the page before the oldest row. */
function setupAuditLog() {
  const rows = $id('audit-rows');
  const scroll = $id('audit-scroll');
  const status = $id('audit-status');
  const errorBox = $id('audit-error');
  const older = $id('audit-older');
  const refresh = $id('audit-refresh');
  let oldest = null;
  let busy = false;

  const load = async (before) => {
    if (busy) return;
    busy = true;
    older.disabled = true;
    refresh.disabled = true;
    errorBox.hidden = true;
    status.className = 'loading';
    status.textContent = before ? 'Oudere regels worden geladen…' : 'Het auditlog wordt geladen…';
    try {
      const list = await get(before ? `/audit?before=${encodeURIComponent(before)}` : '/audit');
      const items = Array.isArray(list) ? list : [];
      if (!before) replaceChildren(rows);
      for (const a of items) rows.append(auditRow(a));
      const ids = items.map((a) => Number(a.id)).filter((n) => Number.isFinite(n));
      if (ids.length) oldest = Math.min(...ids);
      const shown = rows.querySelectorAll('tr[data-id]').length;
      scroll.hidden = shown === 0;
      if (!before && !items.length) {
        status.textContent = 'Er staat nog niets in het auditlog.';
      } else if (before && !items.length) {
        status.textContent = `Er zijn geen oudere regels. ${formatNumber(shown)} regels getoond.`;
      } else {
        status.textContent = `${formatNumber(shown)} regels getoond, de nieuwste eerst.`;
      }
      status.className = 'meta';
      older.hidden = !items.length || oldest === null || oldest <= 1;
    } catch (err) {
      status.textContent = '';
      errorBox.textContent = err instanceof ApiError && err.status === 401
        ? 'Je bent niet meer ingelogd. Log opnieuw in.'
        : `Het auditlog kon niet worden geladen. ${describeError(err)}`;
      errorBox.hidden = false;
    } finally {
      busy = false;
      older.disabled = false;
      refresh.disabled = false;
    }
  };

  older.addEventListener('click', () => { if (oldest !== null) load(oldest); });
  refresh.addEventListener('click', () => { oldest = null; load(null); });
  load(null);
  return () => { oldest = null; load(null); };
}

function setupEraseForm(reloadAudit) {
  const form = $id('erase-form');
  setupForm(form, {
    check: (v, err) => { idField(v, err, 'user_id', { what: 'gebruikersnummer' }); },
    confirmText: (v) => `Weet je zeker dat je account ${parseId(v.user_id)} wilt wissen? Naam en e-mailadres worden verwijderd en het account kan niet meer inloggen. Dit kan niet ongedaan worden gemaakt.`,
    request: (v) => ({ path: `/users/${seg(parseId(v.user_id))}/erase`, body: undefined }),
    success: (a, v) => {
      formMessage(form).setAttribute('data-id', String(parseId(v.user_id)));
      return `Account ${parseId(v.user_id)} is gewist: naam en e-mailadres zijn verwijderd. De aantallen in de overzichten blijven kloppen.`;
    },
    notFound: () => ['user_id', 'Er is geen account met dit gebruikersnummer, of het is al gewist.'],
    conflict: (err) => ['user_id', err.message || 'Dit account kan niet worden gewist.'],
    after: reloadAudit,
  });
}

async function main() {
  const metaLoad = loadMeta(); // alongside GET /me
  const user = await startPage(mainEl);
  if (!user) return;
  if (user.role !== 'admin') {
    showNoAccess(mainEl, user, 'Deze pagina is voor beheerders van het platform.');
    return;
  }
  let meta;
  try {
    meta = await metaLoad;
  } catch (err) {
    showPageError(mainEl, err);
    return;
  }
  setupRegionForm();
  setupBoardForm();
  setupSchoolForm();
  setupUserForm(meta);
  setupTrainerForm();
  setupRegisterUpload();
  const reloadAudit = setupAuditLog();
  setupEraseForm(reloadAudit);
  $id('admin-loading').hidden = true;
  $id('admin-content').hidden = false;
}

main();
