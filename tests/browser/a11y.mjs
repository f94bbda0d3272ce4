// Accessibility checks shared by the browser tests: axe-core's WCAG 2.0/2.1/2.2 A and
// AA rules on the page as the user sees it now, reflow (no sideways scrolling) at a
// narrow or zoomed viewport, and the keyboard focus helpers of the keyboard-only tests.
//
// axe-core is run through playwright's evaluate (the DevTools protocol), so the
// site's Content-Security-Policy stays in force for the page itself.
//
// A11Y_REPORT (optional): a file to which every scan appends "label<TAB>violations",
// the page × state table that tests/run-browser.sh prints at the end.

import { appendFileSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** The rule sets the project promises: WCAG 2.0, 2.1 and 2.2, levels A and AA. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

/** Runs axe-core on the page; returns its violations in short form. */
export async function axeViolations(page) {
  const loaded = await page.evaluate(() => typeof window.axe === 'object');
  if (!loaded) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (tags) => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}: ${n.failureSummary.split('\n').slice(1, 3).join(' ')}`),
      count: v.nodes.length,
    }));
  }, WCAG_TAGS);
}

function report(label, count) {
  const file = process.env.A11Y_REPORT;
  if (file) appendFileSync(file, `${label}\t${count}\n`);
}

/**
 * Throws (with the rule, the element and axe's reason) when axe finds a WCAG A/AA
 * violation on the page in its current state; `label` names page and state.
 */
export async function assertAccessible(page, label) {
  const violations = await axeViolations(page);
  const count = violations.reduce((n, v) => n + v.count, 0);
  report(label, count);
  if (violations.length) {
    const lines = violations.map((v) => `${v.id} (${v.impact}, ${v.count}×): ${v.help}\n      ${v.nodes.join('\n      ')}`);
    throw new Error(`${label}: ${count} axe violation(s)\n    ${lines.join('\n    ')}`);
  }
}

/**
 * Throws when the page scrolls sideways at the current viewport (WCAG 1.4.10): the
 * document may not be wider than the window; wide tables must scroll in their own box.
 * Names the widest elements that stick out, to find the cause quickly.
 */
export async function assertReflows(page, label) {
  const out = await page.evaluate(() => {
    const doc = document.documentElement;
    const width = doc.clientWidth;
    if (doc.scrollWidth <= width + 1) return null;
    const wide = [];
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.right > width + 1 && r.width > 0) {
        const name = el.tagName.toLowerCase() + (el.id ? `#${el.id}` : '') +
          (el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : '');
        wide.push(`${name} (right edge ${Math.round(r.right)})`);
      }
    }
    return { width, scrollWidth: doc.scrollWidth, wide: wide.slice(0, 6) };
  });
  if (out) {
    const what = out.wide.length ? out.wide.join(', ') : 'no element sticks out: text wider than its box (a long word?)';
    throw new Error(`${label}: scrolls sideways at ${out.width} px (document ${out.scrollWidth} px wide): ${what}`);
  }
}

/** A short description of the element that has the keyboard focus. */
export async function focusedElement(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return 'body';
    const text = (el.getAttribute('aria-label') || el.textContent || el.value || '').replace(/\s+/g, ' ').trim().slice(0, 60);
    return `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} "${text}"`;
  });
}

/**
 * Presses Tab (or Shift+Tab) until the focused element matches `selector`, at most
 * `limit` times; throws with the focus path when it never arrives (a trap or a
 * missing tab stop). Returns the number of presses. Every stop must show a visible
 * focus indicator, or it throws too: an outline, or a box shadow in the site's focus
 * colour (--focus); a shadow some elements carry anyway does not count.
 */
export async function tabTo(page, selector, { limit = 60, backwards = false } = {}) {
  const path = [];
  for (let i = 1; i <= limit; i += 1) {
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
    const state = await page.evaluate((sel) => {
      const el = document.activeElement;
      if (!el || el === document.body) return { match: false, visible: true };
      const cs = getComputedStyle(el);
      const hex = getComputedStyle(document.documentElement).getPropertyValue('--focus').trim();
      const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
      const focusRgb = m ? `rgb(${parseInt(m[1], 16)}, ${parseInt(m[2], 16)}, ${parseInt(m[3], 16)})` : null;
      const visible = (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0) ||
        (!!focusRgb && !!cs.boxShadow && cs.boxShadow.includes(focusRgb));
      return { match: el.matches(sel), visible };
    }, selector);
    path.push(await focusedElement(page));
    if (!state.visible) throw new Error(`no visible focus indicator on ${path[path.length - 1]}`);
    if (state.match) return i;
  }
  throw new Error(`focus never reached ${selector} in ${limit} Tab presses; path: ${path.slice(-12).join(' → ')}`);
}
