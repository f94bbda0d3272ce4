// A data table whose column headers are buttons that sort it (click, Enter or Space),
// with aria-sort on the sorted column and the new order announced. Rows are plain
// objects; cells are built by the column's `cell` function (nodes or strings, strings
// always as text). The box a wide table or chart scrolls in (scrollBox) is a named tab
// stop while it scrolls, so a keyboard user can scroll it with the arrow keys.

import { el, replaceChildren } from './ui.js';

const collator = new Intl.Collator('nl', { numeric: true, sensitivity: 'base' });
let boxCounter = 0;

/**
 * A box (class `className`) that scrolls sideways around `content` when that is wider
 * than the screen (a phone, or zoomed in). Only while it does, it is a region named by
 * the element `nameId` with a tab stop, so a keyboard user reaches it and scrolls it
 * with the arrow keys (WCAG 2.1.1, 1.4.10); when everything fits it is neither, so it
 * adds no needless stop.
 */
export function scrollBox(content, nameId, className = 'table-scroll') {
  const box = el('div', { class: className }, content);
  let owned = false; // the box is a region with a tab stop now
  const sync = () => {
    if (box.scrollWidth > box.clientWidth + 1) {
      box.setAttribute('tabindex', '0');
      box.setAttribute('role', 'region');
      box.setAttribute('aria-labelledby', nameId);
      owned = true;
    } else if (owned) {
      box.removeAttribute('tabindex');
      box.removeAttribute('role');
      box.removeAttribute('aria-labelledby');
      owned = false;
    }
  };
  if (typeof ResizeObserver === 'function') {
    // The box (viewport, zoom) and its content (new rows) both change the overflow.
    const observer = new ResizeObserver(sync);
    observer.observe(box);
    if (content instanceof Element) observer.observe(content);
  } else {
    box.setAttribute('tabindex', '0');
    box.setAttribute('role', 'region');
    box.setAttribute('aria-labelledby', nameId);
  }
  return box;
}

/** A fresh id for a caption or title that labels a scroll box. */
export function labelId(prefix) {
  boxCounter += 1;
  return `${prefix}-${boxCounter}`;
}

function compareValues(a, b) {
  const aMissing = a === null || a === undefined || a === '';
  const bMissing = b === null || b === undefined || b === '';
  if (aMissing || bMissing) return aMissing === bMissing ? 0 : (aMissing ? 1 : -1);
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return collator.compare(String(a), String(b));
}

/**
 * columns: [{ key, label, sortValue?(row), cell?(row), numeric?, sortable? (default true),
 *             rowHeader?, className? }]
 * options: { caption, captionHidden, initialSort: { key, dir: 'asc'|'desc' },
 *            rowAttrs?(row), emptyText, onSort?(sortedRows), tableClass, id,
 *            spanRow?(row) -> null | { from: key, content } }
 * spanRow: for that row, the columns from `from` on are one cell holding `content`
 * (used for suppressed rows that show no numbers).
 * Returns { element, table, setRows(rows), sortedRows(), sortBy(key, dir) }.
 * Missing values (null) always sort last; ties keep the order of the rows given.
 */
export function sortableTable(columns, {
  caption, captionHidden = false, initialSort = null, rowAttrs = null,
  emptyText = 'Geen rijen.', onSort = null, tableClass = '', id = null, spanRow = null,
} = {}) {
  let rows = [];
  let sort = initialSort ? { ...initialSort } : null;
  const headerCells = new Map();

  const thead = el('thead');
  const headRow = el('tr');
  for (const col of columns) {
    const th = el('th', {
      scope: 'col',
      class: [col.numeric ? 'num' : '', col.className || ''].join(' ').trim() || false,
      'data-key': col.key,
    });
    if (col.sortable === false) {
      th.append(col.label);
    } else {
      const button = el('button', { type: 'button', class: 'sort-button', 'data-sort-key': col.key },
        el('span', { class: 'sort-label' }, col.label),
        el('span', { class: 'sort-icon', 'aria-hidden': 'true' }));
      button.addEventListener('click', () => {
        const dir = sort && sort.key === col.key && sort.dir === 'asc' ? 'desc' : 'asc';
        sortBy(col.key, dir);
        // aria-sort alone is not read out while the focus stays on the button.
        announce.textContent = `Gesorteerd op ${col.label.replace(/\u00ad/g, '')}, ${dir === 'desc' ? 'aflopend' : 'oplopend'}.`;
      });
      th.append(button);
      headerCells.set(col.key, th);
    }
    headRow.append(th);
  }
  thead.append(headRow);
  const tbody = el('tbody');
  const captionId = labelId(id ? `${id}-caption` : 'table-caption');
  const table = el('table', { class: `data-table ${tableClass}`.trim(), id: id || false },
    el('caption', { id: captionId, class: captionHidden ? 'visually-hidden' : false }, caption || 'Tabel'),
    thead, tbody);
  const announce = el('p', { class: 'visually-hidden', role: 'status' });
  const element = el('div', { class: 'table-box' }, scrollBox(table, captionId), announce);

  function sorted() {
    if (!sort) return rows.slice();
    const col = columns.find((c) => c.key === sort.key);
    if (!col) return rows.slice();
    const value = col.sortValue || ((r) => r[col.key]);
    const factor = sort.dir === 'desc' ? -1 : 1;
    return rows
      .map((row, index) => ({ row, index, v: value(row) }))
      .sort((a, b) => {
        const aMissing = a.v === null || a.v === undefined || a.v === '';
        const bMissing = b.v === null || b.v === undefined || b.v === '';
        if (aMissing || bMissing) {
          if (aMissing !== bMissing) return aMissing ? 1 : -1;
          return a.index - b.index;
        }
        return factor * compareValues(a.v, b.v) || a.index - b.index;
      })
      .map((x) => x.row);
  }

  function renderHeader() {
    for (const [key, th] of headerCells) {
      const icon = th.querySelector('.sort-icon');
      if (sort && sort.key === key) {
        th.setAttribute('aria-sort', sort.dir === 'desc' ? 'descending' : 'ascending');
        icon.textContent = sort.dir === 'desc' ? '▼' : '▲';
      } else {
        th.removeAttribute('aria-sort');
        icon.textContent = '↕';
      }
    }
  }

  function render() {
    renderHeader();
    const list = sorted();
    if (list.length === 0) {
      replaceChildren(tbody, el('tr', { class: 'empty-row' },
        el('td', { colspan: columns.length }, emptyText)));
    } else {
      replaceChildren(tbody, list.map((row) => {
        const tr = el('tr', rowAttrs ? rowAttrs(row) : {});
        const span = spanRow ? spanRow(row) : null;
        const spanFrom = span ? columns.findIndex((c) => c.key === span.from) : -1;
        for (const [index, col] of columns.entries()) {
          if (spanFrom >= 0 && index >= spanFrom) {
            tr.append(el('td', { colspan: columns.length - spanFrom, class: 'span-cell' }, span.content));
            break;
          }
          const content = col.cell ? col.cell(row) : row[col.key];
          const attrs = { class: [col.numeric ? 'num' : '', col.className || ''].join(' ').trim() || false };
          if (col.rowHeader) attrs.scope = 'row';
          tr.append(el(col.rowHeader ? 'th' : 'td', attrs, content === null || content === undefined ? '' : content));
        }
        return tr;
      }));
    }
    if (onSort) onSort(list);
    return list;
  }

  function sortBy(key, dir = 'asc') {
    sort = { key, dir };
    return render();
  }

  return {
    element,
    table,
    setRows(newRows) {
      rows = Array.isArray(newRows) ? newRows.slice() : [];
      return render();
    },
    sortedRows: sorted,
    sortBy,
  };
}
