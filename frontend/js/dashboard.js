// The widgets of the board and region dashboards, one set for both: the key figures,
// the coverage columns of their tables and the bars of their charts, the history
// section (line chart and the numbers per month), the "open by number" form for
// admins, and the page for a role that has no access.

import { get } from './api.js';
import { lineChart } from './charts.js';
import { labelId, scrollBox } from './table.js';
import {
  describeError, el, homeForRole, replaceChildren, showMessage,
} from './ui.js';
import {
  formatNumber, formatPct, longMonth, num, parseId,
} from './format.js';

/** Fills a <dl class="stats"> with [{ key, label, value, note? }]. */
export function renderStats(dl, items) {
  replaceChildren(dl, items.map((item) => el('div', { class: `stat${item.warn ? ' stat-warn' : ''}`, 'data-key': item.key },
    el('dt', {}, item.label),
    el('dd', {}, el('span', { class: 'stat-value' }, item.value),
      item.note ? el('span', { class: 'stat-note' }, item.note) : null))));
}

/**
 * The form in which an admin (or a region viewer without a link) types the number of
 * a board or region; submitting it reloads the page with ?<param>=<id>.
 */
export function setupPicker(form, input, param, { error = null, value = null } = {}) {
  const errorBox = document.getElementById(`${input.id}-error`);
  const showError = (text) => {
    input.setAttribute('aria-invalid', 'true');
    errorBox.textContent = text;
    errorBox.hidden = false;
  };
  form.hidden = false;
  if (value !== null && value !== undefined) input.value = String(value);
  if (error) showError(error);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const id = parseId(input.value);
    if (!id) {
      showError('Vul een nummer in, bijvoorbeeld 12.');
      input.focus();
      return;
    }
    const params = new URLSearchParams(window.location.search);
    params.set(param, String(id));
    params.delete('school');
    window.location.assign(`${window.location.pathname}?${params}`);
  });
}

/** Replaces the main content by "no access" and a link to the user's own page. */
export function showNoAccess(main, user, text) {
  const home = homeForRole(user.role) || '/modules.html';
  replaceChildren(main,
    el('h1', { tabindex: '-1', id: 'page-error' }, 'Geen toegang'),
    el('p', { class: 'message message-error', role: 'alert' }, text),
    el('p', {}, el('a', { href: home }, 'Naar je eigen startpagina')));
  document.getElementById('page-error').focus();
}

/** Sets or removes query parameters without reloading (for reloads and bookmarks). */
export function setQuery(changes) {
  const params = new URLSearchParams(window.location.search);
  for (const [key, value] of Object.entries(changes)) {
    if (value === null || value === undefined || value === '') params.delete(key);
    else params.set(key, String(value));
  }
  const qs = params.toString();
  window.history.replaceState(null, '', `${window.location.pathname}${qs ? `?${qs}` : ''}${window.location.hash}`);
}

/**
 * The coverage columns of a dashboard table (staff, certified, percentage).
 * `count` and `pct` format one figure; the region's show a hidden figure as text.
 */
export function coverageColumns({ count = formatNumber, pct = formatPct } = {}) {
  const column = (key, label, format) => ({
    key, label, numeric: true, sortValue: (r) => num(r[key]), cell: (r) => format(r[key]),
  });
  return [
    column('teachers', 'Medewerkers', count),
    column('teachers_certified', 'Gecertificeerd', count),
    column('coverage_pct', 'Percentage', pct),
  ];
}

/** One bar of a coverage bar chart: `label`, the percentage of `r` and its counts;
 *  `extra` adds or overrides fields (below, suppressed, value). */
export function coverageBar(label, r, extra = {}) {
  return {
    label,
    value: r.coverage_pct,
    detail: `${formatNumber(r.teachers_certified)} van ${formatNumber(r.teachers)} gecertificeerd`,
    ...extra,
  };
}

/**
 * The coverage per month as a table inside <details>, newest first. A month that
 * comes as `suppressed` shows `suppressedText` instead of its numbers.
 * opts: { count, pct, caption, countSuffix (after the count headers), suppressedText }
 */
export function historyTable(history, {
  count = formatNumber, pct = formatPct, caption = 'Percentage gecertificeerd per maand',
  countSuffix = '', suppressedText = 'niet getoond',
} = {}) {
  const rows = history.slice().reverse().map((p) => el('tr', { 'data-suppressed': p.suppressed ? 'true' : 'false' },
    el('th', { scope: 'row' }, longMonth(p.month)),
    ...(p.suppressed
      ? [el('td', { colspan: 3, class: 'span-cell' }, suppressedText)]
      : [el('td', { class: 'num' }, count(p.teachers)),
        el('td', { class: 'num' }, count(p.teachers_certified)),
        el('td', { class: 'num' }, pct(p.coverage_pct))])));
  const captionId = labelId('history-caption');
  return el('details', { class: 'chart-details' },
    el('summary', {}, 'Toon de cijfers per maand als tabel'),
    scrollBox(
      el('table', { class: 'data-table' },
        el('caption', { class: 'visually-hidden', id: captionId }, caption),
        el('thead', {}, el('tr', {},
          el('th', { scope: 'col' }, 'Maand'),
          el('th', { scope: 'col', class: 'num' }, `Medewerkers${countSuffix}`),
          el('th', { scope: 'col', class: 'num' }, `Gecertificeerd${countSuffix}`),
          el('th', { scope: 'col', class: 'num' }, 'Percentage'))),
        el('tbody', {}, rows)),
      captionId));
}

/**
 * Fills the history section (#history-chart, errors in #history-error) from `path`
 * (GET .../coverage/history): the line chart titled `title`, whose description
 * says `note` (if any) before pointing to the table, then `notes(list)` (nodes
 * after the chart, if any), then historyTable(list, table).
 */
export async function loadHistory(path, {
  title, note = '', notes = () => [], pct = formatPct, table = {},
}) {
  const box = document.getElementById('history-chart');
  const errorBox = document.getElementById('history-error');
  try {
    const history = await get(path);
    errorBox.hidden = true;
    const list = Array.isArray(history) ? history : [];
    if (list.length === 0) {
      replaceChildren(box, el('p', {}, 'Er is nog geen verloop te tonen.'));
      return;
    }
    const last = list[list.length - 1];
    replaceChildren(box,
      lineChart(list, {
        title,
        desc: `Lijngrafiek over ${list.length} maanden; nu ${pct(last.coverage_pct)}. ${note}`
          + 'De cijfers per maand staan ook in de tabel onder de grafiek.',
      }),
      ...notes(list),
      historyTable(list, { pct, ...table }));
  } catch (err) {
    replaceChildren(box);
    showMessage(errorBox, `Het verloop kon niet worden geladen. ${describeError(err)}`);
  }
}
