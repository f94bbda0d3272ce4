// region.html: the region dashboard, aggregates only (no names, no e-mail addresses).
// Totals, tables and bar charts per municipality and per board, and coverage over 24
// months. What a region may see is decided by the server (docs/api.md, "Regions"): a
// group of fewer than 5 staff, or one that would let another be worked out, comes as
// "suppressed" and shows no numbers; any single hidden figure is null and shows
// HIDDEN_TEXT. History counts are rounded to 5.
// The region: ?region=<id> (the link a region viewer gets, and admins), else the
// caller's region from GET /me when the API gives one, else the one opened last.

import { ApiError, get, seg } from './api.js';
import {
  el, replaceChildren, showPageError, startPage,
} from './ui.js';
import { barChart } from './charts.js';
import {
  coverageBar, coverageColumns, loadHistory, renderStats, setQuery, setupPicker, showNoAccess,
} from './dashboard.js';
import {
  formatDateTime, formatNumber, formatPct, num, parseId,
} from './format.js';
import { sortableTable } from './table.js';

export const SUPPRESSED_TEXT = 'niet getoond — kleine groep of terug te rekenen';
export const HIDDEN_TEXT = 'niet getoond';

const $id = (id) => document.getElementById(id);
const mainEl = $id('main');
const rememberKey = (userId) => `hgkm.region.${userId}`;

function remembered(userId) {
  try {
    return parseId(localStorage.getItem(rememberKey(userId)));
  } catch (e) {
    return null;
  }
}

function remember(userId, regionId) {
  try {
    if (regionId) localStorage.setItem(rememberKey(userId), String(regionId));
    else localStorage.removeItem(rememberKey(userId));
  } catch (e) { /* private mode: nothing to remember */ }
}

const hidden = (value) => num(value) === null;
const count = (value) => (hidden(value) ? HIDDEN_TEXT : formatNumber(value));
const pct = (value) => (hidden(value) ? HIDDEN_TEXT : formatPct(value));
const afCell = (r) => (hidden(r.schools_with_af)
  ? HIDDEN_TEXT : `${formatNumber(r.schools_with_af)} van ${formatNumber(r.schools)}`);

function groupTable(nameKey, nameLabel, id, caption) {
  return sortableTable([
    { key: nameKey, label: nameLabel, rowHeader: true },
    { key: 'schools', label: 'Scholen', numeric: true, sortValue: (r) => num(r.schools), cell: (r) => formatNumber(r.schools) },
    ...coverageColumns({ count, pct }),
    {
      key: 'schools_with_af', label: 'Scholen met gecertificeerde aandachtsfunctionaris', numeric: true,
      sortValue: (r) => num(r.schools_with_af), cell: afCell,
    },
  ], {
    caption,
    captionHidden: true,
    initialSort: { key: nameKey, dir: 'asc' },
    rowAttrs: (r) => ({ 'data-suppressed': r.suppressed ? 'true' : 'false', class: r.suppressed ? 'is-suppressed' : false }),
    // A suppressed group shows no numbers at all, not even its number of schools
    // (the server still sends it: the school register is public).
    spanRow: (r) => (r.suppressed ? { from: 'schools', content: SUPPRESSED_TEXT } : null),
    emptyText: 'Geen gegevens.',
    id,
  });
}

function chartRows(rows, nameKey) {
  return rows.map((r) => {
    // A percentage only comes with both of its counts.
    const off = Boolean(r.suppressed) || hidden(r.coverage_pct);
    return coverageBar(r[nameKey] || '–', r, off ? { value: null, suppressed: true, detail: '' } : { suppressed: false });
  });
}

function renderGroup(rows, { nameKey, nameLabel, tableBox, chartBox, id, caption, chartTitle, what }) {
  const table = groupTable(nameKey, nameLabel, id, caption);
  const list = Array.isArray(rows) ? rows : [];
  replaceChildren($id(tableBox), table.element);
  table.setRows(list);
  const shown = list.filter((r) => !r.suppressed).length;
  const sorted = list.slice().sort((a, b) => String(a[nameKey] || '').localeCompare(String(b[nameKey] || ''), 'nl'));
  replaceChildren($id(chartBox), barChart(chartRows(sorted, nameKey), {
    title: chartTitle,
    desc: `Staafdiagram per ${what}, 0 tot 100 procent: ${shown} van ${list.length} getoond; `
      + 'groepen waarvan het percentage niet getoond wordt, staan er zonder cijfer in. Dezelfde cijfers staan in de tabel.',
    suppressedText: HIDDEN_TEXT,
    emptyText: 'Geen gegevens.',
  }));
}

function renderTotals(coverage) {
  const t = coverage.totals || {};
  if (t.suppressed) {
    renderStats($id('totals'), [
      { key: 'schools', label: 'Scholen', value: formatNumber(t.schools) },
      { key: 'suppressed', label: 'Medewerkers en percentage', value: SUPPRESSED_TEXT },
    ]);
    return;
  }
  renderStats($id('totals'), [
    { key: 'schools', label: 'Scholen', value: formatNumber(t.schools) },
    { key: 'teachers', label: 'Medewerkers (leerkrachten en IB\'ers)', value: count(t.teachers) },
    { key: 'teachers_certified', label: 'Gecertificeerd', value: count(t.teachers_certified) },
    { key: 'coverage_pct', label: 'Percentage gecertificeerd', value: pct(t.coverage_pct) },
    { key: 'schools_with_af', label: 'Scholen met gecertificeerde aandachtsfunctionaris', value: afCell(t) },
  ]);
}

function showHistory(regionId) {
  return loadHistory(`/regions/${seg(regionId)}/coverage/history`, {
    title: 'Percentage gecertificeerd in de regio per maand',
    note: 'Een maand zonder percentage is niet getoond om personen te beschermen. ',
    pct,
    notes: (list) => [
      list.some((p) => !hidden(p.coverage_pct)) ? null
        : el('p', { class: 'hint', id: 'history-none' },
          'Geen maand heeft genoeg medewerkers om een percentage te tonen.'),
      el('p', { class: 'hint', id: 'history-rounding' },
        'De aantallen per maand zijn afgerond op 5, het percentage komt uit die afgeronde aantallen.'),
    ],
    table: {
      count,
      caption: 'Medewerkers en percentage gecertificeerd per maand, afgerond op 5',
      countSuffix: ' (afgerond)',
      suppressedText: SUPPRESSED_TEXT,
    },
  });
}

async function main() {
  const user = await startPage(mainEl);
  if (!user) return;
  const loading = $id('region-loading');
  if (user.role !== 'region_viewer' && user.role !== 'admin') {
    showNoAccess(mainEl, user, 'Deze pagina is voor projectleiders van een regio.');
    return;
  }

  const params = new URLSearchParams(window.location.search);
  const fromLink = params.get('region');
  let regionId = parseId(fromLink);
  let source = 'link';
  if (!regionId && !fromLink && user.role === 'region_viewer') {
    regionId = parseId(user.region && user.region.id);
    source = 'me';
    if (!regionId) {
      regionId = remembered(user.id);
      source = 'remembered';
    }
  }
  const picker = (error, value = null) => {
    loading.hidden = true;
    setupPicker($id('region-picker'), $id('picker-region'), 'region', { error, value });
  };
  if (!regionId) {
    picker(fromLink ? 'Dit is geen geldig nummer.' : null, fromLink);
    return;
  }

  let coverage;
  try {
    coverage = await get(`/regions/${seg(regionId)}/coverage`);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return;
    if (err instanceof ApiError && (err.status === 403 || err.status === 404)) {
      if (source === 'remembered') remember(user.id, null);
      picker(err.status === 404
        ? `Regio ${regionId} bestaat niet.`
        : `Je hebt geen toegang tot regio ${regionId}. Controleer de link of het nummer.`, regionId);
      return;
    }
    loading.hidden = true;
    showPageError(mainEl, err, 'Het regio-overzicht kon niet worden geladen');
    return;
  }
  coverage = coverage || {};
  if (user.role === 'region_viewer') remember(user.id, regionId);
  setQuery({ region: regionId });

  const name = (coverage.region && coverage.region.name) || `Regio ${regionId}`;
  $id('region-title').textContent = name;
  document.title = `${name} – Regio-overzicht – Leeromgeving huiselijk geweld en kindermishandeling`;
  const asOf = $id('region-asof');
  asOf.textContent = `Regio-overzicht, stand van ${formatDateTime(coverage.as_of)}.`;
  asOf.hidden = false;

  renderTotals(coverage);
  renderGroup(coverage.municipalities, {
    nameKey: 'name', nameLabel: 'Gemeente', tableBox: 'municipalities-table', chartBox: 'municipalities-chart',
    id: 'municipalities', caption: 'Scholen, medewerkers en percentage gecertificeerd per gemeente',
    chartTitle: 'Percentage gecertificeerd per gemeente', what: 'gemeente',
  });
  renderGroup(coverage.boards, {
    nameKey: 'name', nameLabel: 'Schoolbestuur', tableBox: 'boards-table', chartBox: 'boards-chart',
    id: 'boards', caption: 'Scholen, medewerkers en percentage gecertificeerd per schoolbestuur',
    chartTitle: 'Percentage gecertificeerd per schoolbestuur', what: 'schoolbestuur',
  });
  loading.hidden = true;
  $id('region-content').hidden = false;
  showHistory(regionId);
}

main();
