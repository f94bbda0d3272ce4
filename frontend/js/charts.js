// SVG charts drawn with DOM calls only (the CSP allows no inline styles): a horizontal
// bar chart of percentages and a line chart of coverage per month. Colours and fonts
// come from classes in app.css; only geometry is set as attributes. Every chart has a
// <title> and <desc> for screen readers, and the pages show the same numbers in a table.

import { el } from './ui.js';
import { scrollBox } from './table.js';
import { formatNumber, formatPct, longMonth, num, shortMonth } from './format.js';

const NS = 'http://www.w3.org/2000/svg';
let chartCounter = 0;
// Sizes in SVG units: width, label column, right margin, top, bar, gap, x axis.
const BAR_GEOMETRY = { W: 760, LABEL: 250, RIGHT: 64, TOP: 30, BAR: 20, GAP: 10, AXIS: 48 };
// Width, height and the margins left, right, top and bottom.
const LINE_GEOMETRY = { W: 760, H: 320, L: 62, R: 28, T: 24, B: 62 };

/** Creates an SVG element; strings among the children become text nodes. */
function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(NS, tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    node.setAttribute(key, String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const round = (n) => Math.round(n * 10) / 10;
const clampPct = (v) => Math.max(0, Math.min(100, v));

function truncate(text, max) {
  const s = String(text || '');
  return s.length > max ? `${s.slice(0, max - 1).trimEnd()}…` : s;
}

/** The <svg> root with role="img", a title and a description. */
function chartRoot(width, height, title, desc, className) {
  chartCounter += 1;
  const id = `chart-${chartCounter}`;
  return svg('svg', {
    xmlns: NS,
    viewBox: `0 0 ${width} ${height}`,
    width,
    height,
    class: `chart ${className}`,
    role: 'img',
    'aria-labelledby': `${id}-title ${id}-desc`,
    preserveAspectRatio: 'xMinYMin meet',
  },
  svg('title', { id: `${id}-title` }, title),
  svg('desc', { id: `${id}-desc` }, desc));
}

/** The id of a chart's <title>, which also names the box it scrolls in. */
const titleId = (root) => root.querySelector('title').id;

/**
 * Horizontal bars, one per row, on a 0–100 % scale.
 * rows: [{ label, value (number|null), suppressed?, below?, detail? }]
 * options: { title, desc, target (number|null), targetLabel, suppressedText, emptyText }
 * Returns a <figure> with the SVG and a legend.
 */
export function barChart(rows, {
  title, desc, target = null, targetLabel = 'doel', suppressedText = 'niet getoond',
  emptyText = 'Geen gegevens om te tonen.',
} = {}) {
  const {
    W, LABEL, RIGHT, TOP, BAR, GAP, AXIS,
  } = BAR_GEOMETRY;
  const plotW = W - LABEL - RIGHT;
  const n = rows.length;
  const H = TOP + Math.max(n, 1) * (BAR + GAP) + AXIS;
  const x = (v) => LABEL + (clampPct(v) / 100) * plotW;
  const bottom = TOP + Math.max(n, 1) * (BAR + GAP);

  const root = chartRoot(W, H, title, desc, 'bar-chart');

  // Grid and x axis: 0, 25, 50, 75, 100 %.
  const grid = svg('g', { class: 'chart-grid' });
  const axis = svg('g', { class: 'chart-axis' });
  for (const t of [0, 25, 50, 75, 100]) {
    grid.append(svg('line', { x1: x(t), x2: x(t), y1: TOP - 6, y2: bottom }));
    axis.append(svg('line', { x1: x(t), x2: x(t), y1: bottom, y2: bottom + 5, class: 'chart-tick' }));
    axis.append(svg('text', { x: x(t), y: bottom + 20, 'text-anchor': 'middle', class: 'chart-tick-label' },
      `${t}%`));
  }
  axis.append(svg('line', { x1: LABEL, x2: LABEL + plotW, y1: bottom, y2: bottom, class: 'chart-axis-line' }));
  axis.append(svg('line', { x1: LABEL, x2: LABEL, y1: TOP - 6, y2: bottom, class: 'chart-axis-line' }));
  axis.append(svg('text', { x: LABEL + plotW / 2, y: bottom + 42, 'text-anchor': 'middle', class: 'chart-axis-title' },
    'Percentage gecertificeerd'));
  root.append(grid, axis);

  const bars = svg('g', { class: 'chart-bars' });
  if (n === 0) {
    bars.append(svg('text', { x: LABEL + 8, y: TOP + BAR / 2 + 5, class: 'chart-note' }, emptyText));
  }
  rows.forEach((row, i) => {
    const y = TOP + i * (BAR + GAP) + GAP / 2;
    const mid = y + BAR / 2;
    const value = num(row.value);
    const shown = !row.suppressed && value !== null;
    const g = svg('g', {
      class: `chart-row${row.below ? ' is-below' : ''}${row.suppressed ? ' is-suppressed' : ''}`,
      'data-label': row.label,
    });
    g.append(svg('title', {}, row.suppressed
      ? `${row.label}: ${suppressedText}`
      : `${row.label}: ${formatPct(value)}${row.detail ? ` (${row.detail})` : ''}`));
    g.append(svg('text', { x: LABEL - 10, y: mid, dy: '0.35em', 'text-anchor': 'end', class: 'chart-label' },
      truncate(row.label, 34)));
    if (shown) {
      g.append(svg('rect', {
        x: LABEL, y, width: round(x(value) - LABEL), height: BAR,
        class: row.below ? 'chart-bar chart-bar-below' : 'chart-bar',
      }));
      g.append(svg('text', { x: round(x(value) + 6), y: mid, dy: '0.35em', class: 'chart-value' },
        formatPct(value)));
    } else {
      g.append(svg('text', { x: LABEL + 8, y: mid, dy: '0.35em', class: 'chart-note' },
        row.suppressed ? suppressedText : 'geen gegevens'));
    }
    bars.append(g);
  });
  root.append(bars);

  const t = num(target);
  if (t !== null && t > 0 && t <= 100) {
    const tx = round(x(t));
    root.append(svg('g', { class: 'chart-target' },
      svg('line', { x1: tx, x2: tx, y1: TOP - 8, y2: bottom }),
      svg('text', { x: tx, y: TOP - 14, 'text-anchor': t > 90 ? 'end' : 'middle', class: 'chart-target-label' },
        `${targetLabel} ${formatPct(t)}`)));
  }

  let legend = null;
  if (t !== null && t > 0 && t <= 100) {
    legend = el('ul', { class: 'chart-legend' },
      el('li', {}, el('span', { class: 'swatch swatch-ok', 'aria-hidden': 'true' }), 'op of boven het doel'),
      el('li', {}, el('span', { class: 'swatch swatch-below', 'aria-hidden': 'true' }),
        'onder het doel (te weinig gecertificeerd of geen aandachtsfunctionaris)'),
      el('li', {}, el('span', { class: 'swatch swatch-target', 'aria-hidden': 'true' }),
        `streepjeslijn: doel van ${formatPct(t)}`));
  }
  return el('figure', { class: 'chart-figure' }, scrollBox(root, titleId(root), 'chart-scroll'), legend);
}

/**
 * Line chart of coverage per month.
 * history: [{ month: "YYYY-MM", teachers, teachers_certified, coverage_pct }], oldest first.
 * Months with coverage_pct null (suppressed) break the line.
 */
export function lineChart(history, { title, desc } = {}) {
  const {
    W, H, L, R, T, B,
  } = LINE_GEOMETRY;
  const plotW = W - L - R;
  const plotH = H - T - B;
  const n = history.length;
  const x = (i) => L + (n > 1 ? (i * plotW) / (n - 1) : plotW / 2);
  const y = (v) => T + plotH - (clampPct(v) / 100) * plotH;
  const baseY = T + plotH;

  const root = chartRoot(W, H, title, desc, 'line-chart');

  const grid = svg('g', { class: 'chart-grid' });
  const axis = svg('g', { class: 'chart-axis' });
  for (const t of [0, 25, 50, 75, 100]) {
    grid.append(svg('line', { x1: L, x2: L + plotW, y1: round(y(t)), y2: round(y(t)) }));
    axis.append(svg('text', { x: L - 10, y: round(y(t)), dy: '0.35em', 'text-anchor': 'end', class: 'chart-tick-label' },
      `${t}%`));
  }
  axis.append(svg('line', { x1: L, x2: L, y1: T, y2: baseY, class: 'chart-axis-line' }));
  axis.append(svg('line', { x1: L, x2: L + plotW, y1: baseY, y2: baseY, class: 'chart-axis-line' }));
  history.forEach((p, i) => {
    const labelled = (n - 1 - i) % 3 === 0;
    axis.append(svg('line', { x1: round(x(i)), x2: round(x(i)), y1: baseY, y2: baseY + (labelled ? 6 : 3), class: 'chart-tick' }));
    if (labelled) {
      axis.append(svg('text', { x: round(x(i)), y: baseY + 22, 'text-anchor': 'middle', class: 'chart-tick-label' },
        shortMonth(p.month)));
    }
  });
  axis.append(svg('text', {
    x: 16, y: T + plotH / 2, 'text-anchor': 'middle', class: 'chart-axis-title',
    transform: `rotate(-90 16 ${T + plotH / 2})`,
  }, 'Percentage gecertificeerd'));
  axis.append(svg('text', { x: L + plotW / 2, y: H - 10, 'text-anchor': 'middle', class: 'chart-axis-title' },
    'Maand'));
  root.append(grid, axis);

  // Segments of consecutive months that have a value.
  const segments = [];
  let current = [];
  history.forEach((p, i) => {
    const v = num(p.coverage_pct);
    if (v === null) {
      if (current.length) segments.push(current);
      current = [];
    } else {
      current.push([round(x(i)), round(y(v))]);
    }
  });
  if (current.length) segments.push(current);

  for (const seg of segments) {
    const line = seg.map(([px, py], j) => `${j ? 'L' : 'M'}${px} ${py}`).join(' ');
    if (seg.length > 1) {
      const area = `${line} L${seg[seg.length - 1][0]} ${baseY} L${seg[0][0]} ${baseY} Z`;
      root.append(svg('path', { d: area, class: 'chart-area' }));
    }
    root.append(svg('path', { d: line, class: 'chart-line' }));
  }

  const points = svg('g', { class: 'chart-points' });
  history.forEach((p, i) => {
    const v = num(p.coverage_pct);
    if (v === null) return;
    const teachers = num(p.teachers);
    const detail = teachers === null ? ''
      : teachers === 0 ? ' (geen medewerkers)'
        : ` (${formatNumber(p.teachers_certified)} van ${formatNumber(teachers)} gecertificeerd)`;
    points.append(svg('circle', {
      cx: round(x(i)), cy: round(y(v)), r: 3.5, class: 'chart-point', 'data-month': p.month,
    }, svg('title', {}, `${longMonth(p.month)}: ${formatPct(v)}${detail}`)));
  });
  root.append(points);

  // The latest value, written next to the last point.
  for (let i = n - 1; i >= 0; i -= 1) {
    const v = num(history[i].coverage_pct);
    if (v === null) continue;
    root.append(svg('text', {
      x: round(x(i)), y: round(y(v) - 10), 'text-anchor': 'end', class: 'chart-value chart-last-value',
    }, formatPct(v)));
    break;
  }

  return el('figure', { class: 'chart-figure' }, scrollBox(root, titleId(root), 'chart-scroll'));
}
