// studio.html (trainers): the trainer's own scenarios with status and version; a JSON
// editor (paste or upload) that shows the server's validation errors at the line they
// point at; a preview with the learners' player; publishing; media upload; and how
// often each choice was taken, grouped by step of the Meldcode.

import { ApiError, NetworkError, get, post, seg, sendRaw } from './api.js';
import { formatBytes, formatNumber, formatPct } from './format.js';
import { markInvalid } from './forms.js';
import { lineAt, lineStarts, locateJson, placeFor } from './jsonpos.js';
import { loadMeta } from './meta.js';
import { createScenarioPlayer } from './scenario-player.js';
import {
  describeError, el, goToLogin, hideMessage, homeForRole, replaceChildren, showMessage,
  startPage, timeEl,
} from './ui.js';

const $id = (id) => document.getElementById(id);
const ID_RE = /^[1-9][0-9]{0,17}$/;
const DOC_MAX_BYTES = 2 * 1024 * 1024;
const MEDIA_MAX_BYTES = 50 * 1024 * 1024;
const MEDIA_TYPES = {
  'image/png': ['png'],
  'image/jpeg': ['jpg', 'jpeg'],
  'audio/mpeg': ['mp3'],
  'video/mp4': ['mp4'],
};
const SVG_NS = 'http://www.w3.org/2000/svg';

export const MELDCODE_STEPS = {
  1: 'Stap 1: In kaart brengen van signalen',
  2: 'Stap 2: Collegiale consultatie en zo nodig raadplegen Veilig Thuis',
  3: 'Stap 3: Gesprek met de betrokkene(n)',
  4: 'Stap 4: Wegen van het geweld of de kindermishandeling',
  5: 'Stap 5: Beslissen: hulp organiseren en/of melden',
};

const ui = {
  main: $id('main'),
  loading: $id('studio-loading'),
  studio: $id('studio'),
  rows: $id('scenario-rows'),
  listMessage: $id('list-message'),
  newButton: $id('new-button'),
  detail: $id('detail'),
  detailTitle: $id('detail-title'),
  detailStatus: $id('detail-status'),
  detailFacts: $id('detail-facts'),
  detailMessage: $id('detail-message'),
  editButton: $id('edit-button'),
  previewButton: $id('preview-button'),
  publishButton: $id('publish-button'),
  preview: $id('preview'),
  previewRoot: $id('preview-root'),
  previewClose: $id('preview-close'),
  mediaForm: $id('media-form'),
  mediaFile: $id('media-file'),
  mediaSubmit: $id('media-submit'),
  mediaProgress: $id('media-progress'),
  mediaResult: $id('media-result'),
  statsVersion: $id('stats-version'),
  statsSummary: $id('stats-summary'),
  statsRoot: $id('stats-root'),
  editorTitle: $id('editor-title'),
  editorIntro: $id('editor-intro'),
  fileInput: $id('file-input'),
  fileDrop: $id('file-drop'),
  fileName: $id('file-name'),
  form: $id('editor-form'),
  input: $id('doc-input'),
  gutter: $id('doc-gutter'),
  caret: $id('doc-caret'),
  editorMessage: $id('editor-message'),
  errorList: $id('error-list'),
  saveButton: $id('save-button'),
  templateButton: $id('template-button'),
};

const state = {
  scenarios: [],
  selected: null,     // id of the scenario in the detail panel
  editing: null,      // id whose new version the editor saves; null: a new scenario
  errors: [],         // [{ path, message, start, end, line, exact }] of the last refusal
  syntax: null,       // { message, offset } of a local JSON syntax error
  activeLine: 0,
  busy: false,
  lineCount: 0,
};

let inputTimer = null;

const statusLabel = (s) => (s === 'published' ? 'Gepubliceerd' : 'Concept');

// ---- list -----------------------------------------------------------------------

function ownScenarios(list) {
  return (Array.isArray(list) ? list : []).filter((s) => s && s.owner === true);
}

function renderList() {
  const rows = state.scenarios.map((s) => {
    const open = el('button', { type: 'button', class: 'button button-quiet', 'data-open': String(s.id) },
      'Openen', el('span', { class: 'visually-hidden' }, `: ${s.title || ''}`));
    open.addEventListener('click', () => openDetail(s.id, { focus: true }));
    return el('tr', {
      'data-scenario-id': String(s.id),
      class: String(s.id) === String(state.selected) ? 'is-selected' : false,
    },
    el('th', { scope: 'row' }, s.title || '(zonder titel)'),
    el('td', {}, el('span', { class: `status ${s.status === 'published' ? 'status-completed' : 'status-in_progress'}` },
      statusLabel(s.status))),
    el('td', { class: 'num' }, String(s.version ?? '–')),
    el('td', { class: 'num' }, Number(s.published_version) > 0 ? `versie ${s.published_version}` : '–'),
    el('td', {}, s.updated_at ? timeEl(s.updated_at) : '–'),
    el('td', {}, open));
  });
  if (rows.length === 0) {
    rows.push(el('tr', { class: 'empty-row' },
      el('td', { colspan: 6 }, 'Je hebt nog geen scenario’s. Maak er hieronder een aan.')));
  }
  replaceChildren(ui.rows, rows);
}

async function loadList() {
  try {
    state.scenarios = ownScenarios(await get('/scenarios'));
    hideMessage(ui.listMessage);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) { goToLogin(); return; }
    showMessage(ui.listMessage, `Je scenario’s konden niet worden geladen. ${describeError(err)}`);
  }
  renderList();
}

const findScenario = (id) => state.scenarios.find((s) => String(s.id) === String(id)) || null;

function setUrl(id) {
  const url = id ? `${window.location.pathname}?id=${encodeURIComponent(id)}` : window.location.pathname;
  window.history.replaceState(null, '', url);
}

// ---- detail: status, publish, preview -------------------------------------------

function renderDetail() {
  const s = findScenario(state.selected);
  if (!s) {
    ui.detail.hidden = true;
    return;
  }
  ui.detail.hidden = false;
  ui.detail.dataset.scenarioId = String(s.id);
  ui.detailTitle.textContent = s.title || '(zonder titel)';
  replaceChildren(ui.detailStatus, el('span', {
    class: `status ${s.status === 'published' ? 'status-completed' : 'status-in_progress'}`,
    id: 'detail-status-text',
  }, statusLabel(s.status)));
  const published = Number(s.published_version) > 0;
  replaceChildren(ui.detailFacts,
    `Huidige versie: ${s.version}. `,
    published ? `Deelnemers spelen versie ${s.published_version}. ` : 'Nog niet gepubliceerd: deelnemers zien het nog niet. ',
    s.updated_at ? ['Bijgewerkt op ', timeEl(s.updated_at), '.'] : null);
  const upToDate = s.status === 'published';
  ui.publishButton.disabled = upToDate;
  ui.publishButton.textContent = upToDate ? `Versie ${s.version} is gepubliceerd` : `Versie ${s.version} publiceren`;
  renderRowsSelection();
}

function renderRowsSelection() {
  for (const tr of ui.rows.querySelectorAll('tr[data-scenario-id]')) {
    tr.classList.toggle('is-selected', tr.dataset.scenarioId === String(state.selected));
  }
}

async function openDetail(id, { focus = false } = {}) {
  const changed = String(state.selected) !== String(id);
  state.selected = id;
  setUrl(id);
  if (changed) {
    hideMessage(ui.detailMessage);
    closePreview({ focus: false });
    replaceChildren(ui.mediaResult);
  }
  renderDetail();
  if (!findScenario(id)) return;
  if (focus) {
    ui.detailTitle.focus({ preventScroll: true });
    ui.detail.scrollIntoView({ block: 'start' });
  }
  fillVersionSelect();
  await loadStats();
}

async function publish() {
  const s = findScenario(state.selected);
  if (!s || state.busy) return;
  state.busy = true;
  ui.publishButton.disabled = true;
  try {
    const res = await post(`/scenarios/${seg(s.id)}/publish`);
    await loadList();
    renderDetail();
    fillVersionSelect();
    showMessage(ui.detailMessage,
      `Versie ${res && res.version ? res.version : s.version} is gepubliceerd. Deelnemers spelen nu deze versie.`, 'ok');
    // The button that had the focus is disabled now: the focus goes to what happened.
    focusMessage(ui.detailMessage);
    await loadStats();
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) { goToLogin(); return; }
    showMessage(ui.detailMessage, err instanceof ApiError && err.status === 403 && err.message
      ? err.message : `Publiceren is niet gelukt. ${describeError(err)}`);
    renderDetail();
    focusMessage(ui.detailMessage);
  } finally {
    state.busy = false;
  }
}

/** Moves the focus to a message box (not a tab stop itself). */
function focusMessage(box) {
  box.setAttribute('tabindex', '-1');
  box.focus();
}

async function openPreview() {
  const s = findScenario(state.selected);
  if (!s) return;
  ui.previewButton.disabled = true;
  try {
    // As the owner, GET answers the current version and an attempt plays it.
    const res = await get(`/scenarios/${seg(s.id)}`);
    ui.preview.hidden = false;
    createScenarioPlayer(ui.previewRoot, {
      id: s.id,
      doc: (res && res.document) || {},
      version: res && res.version,
      preview: true,
      headingLevel: 3,
      reload: async () => {
        const fresh = await get(`/scenarios/${seg(s.id)}`);
        return { doc: fresh.document, version: fresh.version };
      },
      onFinish: () => loadStats(),
    });
    const title = ui.previewRoot.querySelector('.scenario-title');
    if (title) {
      title.focus({ preventScroll: true });
      ui.preview.scrollIntoView({ block: 'start' });
    }
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) { goToLogin(); return; }
    showMessage(ui.detailMessage, `Het voorbeeld kon niet worden geladen. ${describeError(err)}`);
  } finally {
    ui.previewButton.disabled = false;
  }
}

function closePreview({ focus = true } = {}) {
  if (ui.preview.hidden) return;
  ui.preview.hidden = true;
  replaceChildren(ui.previewRoot);
  if (focus) ui.previewButton.focus();
}

// ---- media ------------------------------------------------------------------------

function mediaType(file) {
  if (MEDIA_TYPES[file.type]) return file.type;
  const ext = (/\.([a-z0-9]+)$/i.exec(file.name || '') || [])[1];
  if (!ext) return null;
  const lower = ext.toLowerCase();
  return Object.keys(MEDIA_TYPES).find((t) => MEDIA_TYPES[t].includes(lower)) || null;
}

async function uploadMedia(event) {
  event.preventDefault();
  const s = findScenario(state.selected);
  const file = ui.mediaFile.files && ui.mediaFile.files[0];
  // The error describes the file field, which gets the focus back (WCAG 3.3.1).
  const fail = (text, { focus = true } = {}) => {
    ui.mediaResult.prepend(el('p', { class: 'message message-error', role: 'alert', id: 'media-error' }, text));
    markInvalid(ui.mediaFile, 'media-error', 'media-hint');
    if (focus) ui.mediaFile.focus();
  };
  for (const old of ui.mediaResult.querySelectorAll('.message-error')) old.remove();
  markInvalid(ui.mediaFile, null, 'media-hint');
  if (!s) return;
  if (!file) { fail('Kies eerst een bestand.'); return; }
  const type = mediaType(file);
  if (!type) { fail(`${file.name}: alleen PNG, JPEG, MP3 of MP4.`); return; }
  if (file.size === 0) { fail(`${file.name} is leeg.`); return; }
  if (file.size > MEDIA_MAX_BYTES) {
    fail(`${file.name} is ${formatBytes(file.size)}; het mag hoogstens ${formatBytes(MEDIA_MAX_BYTES)} zijn.`);
    return;
  }
  ui.mediaSubmit.disabled = true;
  ui.mediaProgress.hidden = false;
  try {
    const res = await sendRaw('POST', `/scenarios/${seg(s.id)}/media`, file, type);
    const mediaId = String(res && res.media_id ? res.media_id : '');
    const fieldId = `media-id-${mediaId.slice(0, 12)}-${Date.now().toString(36)}`;
    const copy = el('button', { type: 'button', class: 'button button-quiet' }, 'Kopiëren');
    const out = el('input', { type: 'text', id: fieldId, readonly: true, value: `"media": "${mediaId}"`, class: 'media-snippet', spellcheck: 'false' });
    copy.addEventListener('click', async () => {
      out.select();
      try {
        await navigator.clipboard.writeText(out.value);
        copy.textContent = 'Gekopieerd';
      } catch (e) {
        copy.textContent = 'Selecteer en kopieer met Ctrl+C';
      }
    });
    ui.mediaResult.prepend(el('div', { class: 'message message-ok media-done', 'data-media-id': mediaId },
      el('p', {}, `${file.name} is opgeslagen als ${type}. Media-id: `, el('code', { class: 'media-id' }, mediaId)),
      el('div', { class: 'field-tools' },
        el('label', { for: fieldId, class: 'visually-hidden' }, 'Regel om in een knooppunt te plakken'),
        out, copy)));
    ui.mediaFile.value = '';
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) { goToLogin(); return; }
    if (err instanceof ApiError && err.status === 413) fail(`${file.name} is te groot; het mag hoogstens 50 MB zijn.`);
    else if (err instanceof ApiError && (err.status === 415 || err.status === 400 || err.status === 403) && err.message) {
      fail(`${file.name}: ${err.message}`);
    } else if (err instanceof NetworkError) fail('De verbinding viel weg tijdens het uploaden. Probeer het opnieuw.');
    else fail(`${file.name} kon niet worden opgeslagen. ${describeError(err)}`);
  } finally {
    ui.mediaSubmit.disabled = false;
    ui.mediaProgress.hidden = true;
  }
}

// ---- statistics -------------------------------------------------------------------

function fillVersionSelect() {
  const s = findScenario(state.selected);
  if (!s) return;
  const current = Math.max(1, Number(s.version) || 1);
  const published = Number(s.published_version) || 0;
  const wanted = published || current;
  const options = [];
  for (let v = current; v >= 1; v -= 1) {
    const label = v === published ? `versie ${v} (gepubliceerd)` : `versie ${v}`;
    options.push(el('option', { value: String(v), selected: v === wanted }, label));
  }
  replaceChildren(ui.statsVersion, options);
  ui.statsVersion.value = String(wanted);
}

function bar(share) {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('class', 'stat-bar');
  svg.setAttribute('viewBox', '0 0 100 10');
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const bg = document.createElementNS(SVG_NS, 'rect');
  bg.setAttribute('class', 'stat-bar-bg');
  bg.setAttribute('width', '100');
  bg.setAttribute('height', '10');
  const fill = document.createElementNS(SVG_NS, 'rect');
  fill.setAttribute('class', 'stat-bar-fill');
  fill.setAttribute('width', String(Math.max(0, Math.min(100, share * 100)).toFixed(2)));
  fill.setAttribute('height', '10');
  svg.append(bg, fill);
  return svg;
}

function shorten(text, max = 160) {
  const t = String(text || '').replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

function nodeTable(node) {
  const choices = Array.isArray(node.choices) ? node.choices : [];
  const total = choices.reduce((sum, c) => sum + (Number(c.count) || 0), 0);
  // A box that may scroll sideways: a labelled region a keyboard user can focus (WCAG 2.1.1).
  return el('div', {
    class: 'table-scroll stats-node', 'data-node': node.node, role: 'region', tabindex: '0',
    'aria-label': `Gekozen antwoorden bij ${node.node}`,
  },
    el('table', { class: 'data-table stats-table' },
      el('caption', {},
        el('code', { class: 'node-id' }, node.node), ' ',
        el('span', { class: 'node-text' }, shorten(node.text)),
        el('span', { class: 'node-total' }, ` (${formatNumber(total)} keer gekozen)`)),
      el('thead', {}, el('tr', {},
        el('th', { scope: 'col' }, 'Keuze'),
        el('th', { scope: 'col', class: 'num' }, 'Aantal'),
        el('th', { scope: 'col', class: 'bar-col' }, 'Aandeel'))),
      el('tbody', {}, choices.map((c) => {
        const count = Number(c.count) || 0;
        const share = total > 0 ? count / total : 0;
        return el('tr', { 'data-choice': String(c.index), 'data-count': String(count) },
          el('td', {}, el('span', { class: 'choice-index' }, `${Number(c.index) + 1}. `), c.text || ''),
          el('td', { class: 'num' }, formatNumber(count)),
          el('td', { class: 'bar-col' },
            el('span', { class: 'bar-cell' }, bar(share),
              el('span', { class: 'bar-pct' }, total > 0 ? formatPct(Math.round(share * 1000) / 10) : '–'))));
      }))));
}

function renderStats(stats) {
  const nodes = Array.isArray(stats.nodes) ? stats.nodes : [];
  const attempts = Number(stats.attempts) || 0;
  ui.statsSummary.textContent = attempts === 0
    ? `Versie ${stats.version} is nog niet gespeeld.`
    : `Versie ${stats.version}: ${formatNumber(attempts)} keer tot het eind gespeeld.`;
  const groups = new Map();
  for (const step of [1, 2, 3, 4, 5, null]) groups.set(step, []);
  for (const node of nodes) {
    const step = Number.isInteger(node.meldcode_step) && MELDCODE_STEPS[node.meldcode_step]
      ? node.meldcode_step : null;
    groups.get(step).push(node);
  }
  const sections = [];
  for (const [step, list] of groups) {
    if (list.length === 0) continue;
    const headingId = `stats-step-${step === null ? 'overig' : step}`;
    sections.push(el('section', { class: 'stats-group', 'aria-labelledby': headingId, 'data-step': step === null ? 'overig' : String(step) },
      el('h4', { id: headingId }, step === null ? 'Overig' : MELDCODE_STEPS[step]),
      list.map(nodeTable)));
  }
  if (sections.length === 0) sections.push(el('p', {}, 'Dit scenario heeft geen keuzes.'));
  replaceChildren(ui.statsRoot, sections);
}

let statsRequest = 0;
async function loadStats() {
  const s = findScenario(state.selected);
  if (!s) return;
  const ticket = ++statsRequest;
  const v = ui.statsVersion.value;
  ui.statsSummary.textContent = 'De cijfers worden geladen…';
  try {
    const stats = await get(`/scenarios/${seg(s.id)}/stats${v ? `?version=${encodeURIComponent(v)}` : ''}`);
    if (ticket !== statsRequest) return;
    renderStats(stats || {});
  } catch (err) {
    if (ticket !== statsRequest) return;
    if (err instanceof ApiError && err.status === 401) { goToLogin(); return; }
    replaceChildren(ui.statsRoot);
    ui.statsSummary.textContent = `De cijfers konden niet worden geladen. ${describeError(err)}`;
  }
}

// ---- editor -----------------------------------------------------------------------

function setEditing(id) {
  state.editing = id;
  const s = id ? findScenario(id) : null;
  if (id) {
    ui.editorTitle.textContent = `Nieuwe versie van ‘${s ? s.title : id}’`;
    ui.saveButton.textContent = 'Nieuwe versie opslaan';
    ui.editorIntro.textContent = 'Pas de JSON aan en sla op: dat wordt een nieuwe versie (concept). Deelnemers spelen de gepubliceerde versie tot je opnieuw publiceert.';
  } else {
    ui.editorTitle.textContent = 'Nieuw scenario';
    ui.saveButton.textContent = 'Scenario aanmaken';
    ui.editorIntro.textContent = 'Plak de JSON van een scenario hieronder, of kies een bestand. Bij fouten zie je precies waar ze zitten: klik op een fout om naar de regel te gaan.';
  }
}

function lineHeight() {
  const lh = parseFloat(window.getComputedStyle(ui.input).lineHeight);
  return Number.isFinite(lh) && lh > 0 ? lh : 24;
}

/** Line numbers beside the textarea; lines with an error are marked. */
function renderGutter() {
  const text = ui.input.value;
  let count = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count += 1;
  state.lineCount = count;
  const marked = new Set(state.errors.map((e) => e.line).filter(Boolean));
  if (state.syntax && state.syntax.line) marked.add(state.syntax.line);
  const parts = [];
  let plain = '';
  for (let n = 1; n <= count; n += 1) {
    const special = marked.has(n) || n === state.activeLine;
    if (!special) {
      plain += `${n}\n`;
      continue;
    }
    if (plain) { parts.push(plain); plain = ''; }
    const cls = ['gutter-line'];
    if (marked.has(n)) cls.push('gutter-error');
    if (n === state.activeLine) cls.push('gutter-active');
    parts.push(el('span', { class: cls.join(' '), 'data-line': n }, String(n)), '\n');
  }
  if (plain) parts.push(plain);
  replaceChildren(ui.gutter, parts);
  ui.gutter.scrollTop = ui.input.scrollTop;
}

/** Works out again where each error points, after the text changed. */
function relocateErrors() {
  if (state.errors.length === 0 && !state.syntax) return;
  const text = ui.input.value;
  const starts = lineStarts(text);
  const located = locateJson(text);
  for (const e of state.errors) {
    if (Number.isInteger(e.srcLine) && e.srcLine >= 1 && e.srcLine <= starts.length) {
      // A parse error the server found (path ""): it gives the line and column.
      const lineStart = starts[e.srcLine - 1];
      const lineEnd = e.srcLine < starts.length ? starts[e.srcLine] - 1 : text.length;
      const at = Math.min(lineEnd, lineStart + Math.max(0, (e.srcColumn || 1) - 1));
      e.start = at;
      e.end = Math.min(lineEnd, at + 1);
      e.exact = true;
      e.line = e.srcLine;
      continue;
    }
    const place = located.ok ? placeFor(text, located.places, e.path) : null;
    e.start = place ? place.start : null;
    e.end = place ? place.end : null;
    e.exact = place ? place.exact : false;
    e.line = place ? lineAt(starts, place.start).line : null;
  }
  for (const li of ui.errorList.querySelectorAll('li[data-error-index]')) {
    const e = state.errors[Number(li.dataset.errorIndex)];
    const where = li.querySelector('.error-line');
    if (e && where) where.textContent = e.line ? `regel ${e.line}` : 'regel onbekend';
  }
}

function selectRange(start, end, line) {
  const input = ui.input;
  input.focus({ preventScroll: true });
  input.setSelectionRange(start, end);
  const lh = lineHeight();
  input.scrollTop = Math.max(0, (line - 1) * lh - input.clientHeight / 3);
  const col = start - input.value.lastIndexOf('\n', start - 1) - 1;
  if (col < 60) input.scrollLeft = 0;
  state.activeLine = line;
  renderGutter();
  input.closest('.code-editor').scrollIntoView({ block: 'nearest' });
  updateCaret();
}

function jumpToError(index) {
  relocateErrors();
  const e = state.errors[index];
  if (!e) return;
  if (e.start === null || e.start === undefined) {
    ui.input.focus();
    ui.caret.textContent = `${e.path || 'Het document'}: deze plek staat niet (meer) in de tekst. ${e.message}`;
    return;
  }
  selectRange(e.start, e.end, e.line);
}

function jumpToSyntax() {
  if (!state.syntax) return;
  const at = Math.min(state.syntax.offset, ui.input.value.length);
  selectRange(at, Math.min(at + 1, ui.input.value.length), state.syntax.line);
}

function updateCaret() {
  const input = ui.input;
  const pos = input.selectionStart || 0;
  const { line, column } = lineAt(lineStarts(input.value), pos);
  const here = state.errors.filter((e) => e.line === line);
  const syntaxHere = state.syntax && state.syntax.line === line ? [state.syntax.message] : [];
  const problems = [...syntaxHere, ...here.map((e) => `${e.path || '(document)'}: ${e.message}`)];
  ui.caret.className = problems.length ? 'caret-status caret-error' : 'caret-status';
  ui.caret.textContent = problems.length
    ? `Regel ${line}: ${problems.join(' · ')}`
    : `Regel ${line}, kolom ${column}`;
}

function clearErrors() {
  state.errors = [];
  state.syntax = null;
  state.activeLine = 0;
  ui.errorList.hidden = true;
  replaceChildren(ui.errorList);
  ui.input.removeAttribute('aria-invalid');
  ui.input.setAttribute('aria-describedby', 'doc-caret');
  renderGutter();
}

/** Marks the text field invalid and described by the error (by default the error list's
 *  heading) (WCAG 3.3.1). */
function markInputInvalid(errorId = 'error-list-title') {
  ui.input.setAttribute('aria-invalid', 'true');
  ui.input.setAttribute('aria-describedby', `${errorId} doc-caret`);
}

function showSyntaxError(located) {
  const starts = lineStarts(ui.input.value);
  const { line, column } = lineAt(starts, located.offset);
  state.syntax = { message: located.message, offset: located.offset, line, text: ui.input.value };
  const jump = el('button', { type: 'button', class: 'link-button error-path' }, `regel ${line}, kolom ${column}`);
  jump.addEventListener('click', jumpToSyntax);
  ui.errorList.hidden = false;
  replaceChildren(ui.errorList,
    el('h3', { id: 'error-list-title', tabindex: '-1' }, 'Dit is geen geldige JSON'),
    el('p', {}, 'Er is niets verstuurd. ', jump, ': ', el('span', { class: 'error-message' }, located.message)));
  markInputInvalid();
  renderGutter();
  $id('error-list-title').focus();
}

function showServerErrors(err) {
  const list = err.body && err.body.error && Array.isArray(err.body.error.errors) ? err.body.error.errors : [];
  state.errors = list.map((e) => ({
    path: typeof e.path === 'string' ? e.path : '',
    message: typeof e.message === 'string' ? e.message : 'Onbekende fout',
    srcLine: Number.isInteger(e.line) ? e.line : null,
    srcColumn: Number.isInteger(e.column) ? e.column : null,
  }));
  relocateErrors();
  const n = state.errors.length;
  const items = state.errors.map((e, index) => {
    const jump = el('button', {
      type: 'button',
      class: 'error-path',
      'data-path': e.path,
      'aria-describedby': `error-msg-${index}`,
    }, el('code', {}, e.path || '(het hele document)'));
    jump.addEventListener('click', () => jumpToError(index));
    return el('li', { 'data-error-index': index, 'data-path': e.path },
      jump, ' ',
      el('span', { class: 'error-line' }, e.line ? `regel ${e.line}` : 'regel onbekend'),
      e.exact === false && e.line ? el('span', { class: 'error-note' }, ' (ontbreekt; hier hoort het bij)') : null,
      el('p', { class: 'error-message', id: `error-msg-${index}` }, e.message));
  });
  ui.errorList.hidden = false;
  replaceChildren(ui.errorList,
    el('h3', { id: 'error-list-title', tabindex: '-1' },
      n === 1 ? '1 fout in het scenario' : `${formatNumber(n)} fouten in het scenario`),
    el('p', {}, `${err.message ? `${err.message} ` : ''}Er is niets opgeslagen. Klik op een fout om naar de plek in de tekst te gaan, verbeter de tekst en sla opnieuw op.`),
    el('ol', { class: 'error-items' }, items));
  markInputInvalid();
  renderGutter();
  $id('error-list-title').focus();
}

async function save(event) {
  if (event) event.preventDefault();
  if (state.busy) return;
  clearTimeout(inputTimer);
  hideMessage(ui.editorMessage);
  clearErrors();
  const text = ui.input.value;
  if (!text.trim()) {
    showMessage(ui.editorMessage, 'Het tekstvak is leeg. Plak de JSON van een scenario of kies een bestand.');
    markInputInvalid('editor-message');
    ui.input.focus();
    return;
  }
  if (new Blob([text]).size > DOC_MAX_BYTES) {
    showMessage(ui.editorMessage, `Het scenario is groter dan ${formatBytes(DOC_MAX_BYTES)}; dat kan niet worden opgeslagen.`);
    markInputInvalid('editor-message');
    ui.input.focus();
    return;
  }
  const located = locateJson(text);
  if (!located.ok) {
    showSyntaxError(located);
    return;
  }
  state.busy = true;
  ui.saveButton.disabled = true;
  ui.form.setAttribute('aria-busy', 'true');
  const editing = state.editing;
  try {
    const res = editing
      ? await sendRaw('PUT', `/scenarios/${seg(editing)}`, text, 'application/json', { timeoutMs: 60000 })
      : await sendRaw('POST', '/scenarios', text, 'application/json', { timeoutMs: 60000 });
    const id = res && res.id ? res.id : editing;
    await loadList();
    setEditing(id);
    showMessage(ui.editorMessage, editing
      ? `Opgeslagen als versie ${res.version} (concept). Bekijk het voorbeeld en publiceer het als het klaar is.`
      : `Het scenario is aangemaakt (versie ${res.version}, concept). Bekijk het voorbeeld en publiceer het als het klaar is.`, 'ok');
    await openDetail(id, { focus: false });
    focusMessage(ui.editorMessage);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) { goToLogin(); return; }
    if (err instanceof ApiError && err.status === 400 && err.body && err.body.error
      && Array.isArray(err.body.error.errors) && err.body.error.errors.length > 0) {
      showServerErrors(err);
    } else if (err instanceof ApiError && err.status === 400) {
      showMessage(ui.editorMessage, `Het scenario is niet opgeslagen. ${err.message || 'De server kon de tekst niet lezen.'}`);
    } else if (err instanceof ApiError && err.status === 413) {
      showMessage(ui.editorMessage, `Het scenario is te groot (hoogstens ${formatBytes(DOC_MAX_BYTES)}).`);
    } else if (err instanceof ApiError && err.status === 403) {
      showMessage(ui.editorMessage, err.message || 'Je mag dit scenario niet wijzigen.');
    } else {
      showMessage(ui.editorMessage, `Het scenario is niet opgeslagen. ${describeError(err)}`);
    }
  } finally {
    state.busy = false;
    ui.saveButton.disabled = false;
    ui.form.removeAttribute('aria-busy');
  }
}

/** Puts the document in a readable key order before it goes into the editor. */
function ordered(doc) {
  const order = (obj, keys) => {
    if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return obj;
    const out = {};
    for (const k of keys) if (Object.prototype.hasOwnProperty.call(obj, k)) out[k] = obj[k];
    for (const k of Object.keys(obj)) if (!(k in out)) out[k] = obj[k];
    return out;
  };
  const top = order(doc, ['title', 'summary', 'audience', 'start', 'nodes']);
  if (top && top.nodes && typeof top.nodes === 'object' && !Array.isArray(top.nodes)) {
    const nodes = {};
    for (const [id, node] of Object.entries(top.nodes)) {
      const n = order(node, ['speaker', 'text', 'media', 'meldcode_step', 'choices', 'outcome']);
      if (n && Array.isArray(n.choices)) n.choices = n.choices.map((c) => order(c, ['text', 'next', 'feedback', 'score']));
      nodes[id] = n;
    }
    top.nodes = nodes;
  }
  return top;
}

function setText(text) {
  ui.input.value = text;
  ui.input.scrollTop = 0;
  ui.input.scrollLeft = 0;
  clearErrors();
  updateCaret();
}

async function editCurrent() {
  const s = findScenario(state.selected);
  if (!s) return;
  ui.editButton.disabled = true;
  try {
    const res = await get(`/scenarios/${seg(s.id)}`);
    setText(`${JSON.stringify(ordered(res.document), null, 2)}\n`);
    setEditing(s.id);
    hideMessage(ui.editorMessage);
    ui.editorTitle.focus({ preventScroll: true });
    ui.editorTitle.scrollIntoView({ block: 'start' });
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) { goToLogin(); return; }
    showMessage(ui.detailMessage, `Het scenario kon niet worden geladen. ${describeError(err)}`);
  } finally {
    ui.editButton.disabled = false;
  }
}

function newScenario() {
  if (ui.input.value.trim() && !window.confirm('De tekst in het tekstvak wordt leeggemaakt. Doorgaan?')) return;
  setText('');
  setEditing(null);
  hideMessage(ui.editorMessage);
  ui.editorTitle.focus({ preventScroll: true });
  ui.editorTitle.scrollIntoView({ block: 'start' });
}

/** A scenario to start from, for every learner role (`learner_roles` of meta.js). */
const template = (learnerRoles) => ({
  title: 'Titel van het rollenspel',
  summary: 'Eén of twee zinnen over de situatie die de deelnemer oefent.',
  audience: learnerRoles.map(({ code }) => code),
  start: 'begin',
  nodes: {
    begin: {
      speaker: 'Verteller',
      text: 'Beschrijf hier de situatie.',
      meldcode_step: 1,
      choices: [
        { text: 'Een goede reactie', next: 'goed', feedback: 'Waarom dit goed is.', score: 10 },
        { text: 'Een minder goede reactie', next: 'minder', feedback: 'Waarom dit minder goed is.', score: -5 },
      ],
    },
    goed: { speaker: 'Verteller', text: 'Wat er daarna gebeurt.', outcome: 'De afloop en wat de deelnemer ervan kan leren.' },
    minder: { speaker: 'Verteller', text: 'Wat er daarna gebeurt.', outcome: 'De afloop en wat de deelnemer ervan kan leren.' },
  },
});

async function insertTemplate() {
  if (ui.input.value.trim() && !window.confirm('De tekst in het tekstvak wordt vervangen door een voorbeeldopzet. Doorgaan?')) return;
  let meta;
  try {
    meta = await loadMeta();
  } catch (err) {
    showMessage(ui.editorMessage, `De voorbeeldopzet kon niet worden geladen. ${describeError(err)}`);
    return;
  }
  setText(`${JSON.stringify(template(meta.learner_roles), null, 2)}\n`);
  ui.input.focus();
  ui.input.setSelectionRange(0, 0);
}

async function loadFile(file) {
  if (!file) return;
  if (file.size > DOC_MAX_BYTES) {
    showMessage(ui.editorMessage, `${file.name} is ${formatBytes(file.size)}; een scenario mag hoogstens ${formatBytes(DOC_MAX_BYTES)} zijn.`);
    return;
  }
  try {
    const text = await file.text();
    setText(text);
    ui.fileName.textContent = `Gekozen: ${file.name} (${formatBytes(file.size)}).`;
    await save();
  } catch (e) {
    showMessage(ui.editorMessage, `${file.name} kon niet worden gelezen.`);
  }
}

function onInput() {
  clearTimeout(inputTimer);
  inputTimer = setTimeout(() => {
    relocateErrors();
    if (state.syntax && state.syntax.text !== ui.input.value) {
      // The mark of a syntax error is only right until the text changes.
      state.syntax = null;
    }
    renderGutter();
    updateCaret();
  }, 250);
}

// ---- start ------------------------------------------------------------------------

function wire() {
  ui.newButton.addEventListener('click', newScenario);
  ui.editButton.addEventListener('click', editCurrent);
  ui.previewButton.addEventListener('click', openPreview);
  ui.previewClose.addEventListener('click', () => closePreview());
  // Escape closes the preview from anywhere inside it; the focus returns to "Voorbeeld".
  ui.preview.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !ui.preview.hidden) {
      e.preventDefault();
      closePreview();
    }
  });
  ui.publishButton.addEventListener('click', publish);
  ui.mediaForm.addEventListener('submit', uploadMedia);
  ui.statsVersion.addEventListener('change', loadStats);
  ui.form.addEventListener('submit', save);
  ui.templateButton.addEventListener('click', insertTemplate);
  ui.fileInput.addEventListener('change', () => {
    const file = ui.fileInput.files && ui.fileInput.files[0];
    loadFile(file);
    ui.fileInput.value = '';
  });
  const over = (e) => { e.preventDefault(); ui.fileDrop.classList.add('is-dragover'); };
  ui.fileDrop.addEventListener('dragenter', over);
  ui.fileDrop.addEventListener('dragover', over);
  ui.fileDrop.addEventListener('dragleave', () => ui.fileDrop.classList.remove('is-dragover'));
  ui.fileDrop.addEventListener('drop', (e) => {
    e.preventDefault();
    ui.fileDrop.classList.remove('is-dragover');
    const file = e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files[0];
    loadFile(file);
  });
  ui.input.addEventListener('input', onInput);
  ui.input.addEventListener('scroll', () => { ui.gutter.scrollTop = ui.input.scrollTop; });
  for (const type of ['keyup', 'click', 'focus', 'select']) ui.input.addEventListener(type, updateCaret);
}

async function start() {
  const user = await startPage(ui.main);
  if (!user) return;
  if (user.role !== 'trainer') {
    const home = homeForRole(user.role) || '/modules.html';
    replaceChildren(ui.main,
      el('h1', {}, 'Scenariostudio'),
      el('p', { class: 'message message-error', role: 'alert' }, 'Deze pagina is alleen voor trainers.'),
      el('p', {}, el('a', { href: home }, 'Naar je startpagina')));
    return;
  }
  wire();
  await loadList();
  ui.loading.hidden = true;
  ui.studio.hidden = false;
  setEditing(null);
  renderGutter();
  updateCaret();
  const wanted = new URLSearchParams(window.location.search).get('id');
  if (wanted && ID_RE.test(wanted) && findScenario(wanted)) await openDetail(findScenario(wanted).id);
}

start();
