// Accessibility of every page's first view, for a visitor and each of the six roles, in
// Debian's Chromium: axe-core's WCAG 2.0/2.1/2.2 A and AA rules at 1280 px and at a
// 320 px phone; no sideways scrolling at 320 px and at 200% zoom (640 px); the page's
// structure a screen reader relies on (lang="nl", one main landmark, header and footer,
// one h1, no skipped heading level, the skip link as first tab stop that moves focus to
// the content, the accessibility statement linked from every page); and a 360 × 740
// screenshot of each page as a phone shows it.
//
// The states after the first view (errors, feedback, dialogs, mid-play) and the
// keyboard-only flows are in keyboard-*.test.mjs and session.test.mjs.
//
// Environment (see tests/run-browser.sh): BASE_URL, DEMO_ACCOUNTS, SCREENSHOT_DIR,
// A11Y_REPORT, CHROMIUM; PHONE_SCREENSHOTS_DIR (optional, e.g. docs/screenshots/phone):
// where the phone screenshots go besides SCREENSHOT_DIR/phone.

import { copyFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { assertAccessible, assertReflows, focusedElement } from './a11y.mjs';
import {
  BASE_URL, SCREENSHOT_DIR, STEP_TIMEOUT, assert, check, configure, launchChromium, login, readAccounts, run,
  watchConsole,
} from './harness.mjs';

const PHONE_DIR = join(SCREENSHOT_DIR, 'phone');
const PHONE_COPY_DIR = process.env.PHONE_SCREENSHOTS_DIR ? resolve(process.env.PHONE_SCREENSHOTS_DIR) : '';

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 320, height: 740 };
const ZOOM_200 = { width: 640, height: 450 }; // 1280 × 900 at 200% zoom
const SCREENSHOT = { width: 360, height: 740 };

// Each page a role reaches from its menu, as [path, short name for labels and files].
const PAGES = {
  visitor: [['/', 'inloggen'], ['/verify.html', 'verificatie'], ['/account.html', 'wachtwoord-vergeten'],
    ['/toegankelijkheid.html', 'toegankelijkheid'], ['/bestaat-niet.html', '404'], ['/fout.html', 'fout']],
  teacher: [['/modules.html', 'mijn-modules'], ['/module.html?slug=meldcode-kort', 'module'],
    ['/scenarios.html', 'rollenspellen'], ['/account.html', 'mijn-account']],
  ib: [['/modules.html', 'mijn-modules'], ['/account.html', 'mijn-account']],
  trainer: [['/studio.html', 'scenariostudio'], ['/trainings.html', 'trainingen']],
  board_admin: [['/board.html', 'bestuursoverzicht']],
  region_viewer: [['/region.html', 'regio-overzicht']],
  admin: [['/admin.html', 'beheer'], ['/board.html', 'bestuursoverzicht'], ['/region.html', 'regio-overzicht']],
};

// Every check stands on its own; the loops below skip what depends on a failed one.
configure({ errorLines: 12, independent: true });

/** Waits until the page's own requests are done and its script has filled it in. */
async function settle(page) {
  await page.waitForLoadState('networkidle', { timeout: STEP_TIMEOUT });
  await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'), null, { timeout: STEP_TIMEOUT });
}

/**
 * The structure a screen reader user navigates by; throws naming what is missing.
 * Only headings that are shown count (hidden panels are not part of the page yet).
 */
async function assertStructure(page) {
  const s = await page.evaluate(() => {
    const shown = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
    const headings = [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].filter(shown)
      .map((h) => ({ level: Number(h.tagName[1]), text: h.textContent.replace(/\s+/g, ' ').trim().slice(0, 50) }));
    return {
      lang: document.documentElement.getAttribute('lang'),
      mains: document.querySelectorAll('main, [role="main"]').length,
      banner: !!document.querySelector('body > header, [role="banner"]'),
      footer: !!document.querySelector('body > footer, [role="contentinfo"]'),
      statement: !!document.querySelector('footer a[href="/toegankelijkheid.html"]'),
      headings,
      title: document.title,
    };
  });
  assert(s.lang === 'nl', `lang is ${JSON.stringify(s.lang)}, not "nl"`);
  assert(s.mains === 1, `${s.mains} main landmarks`);
  assert(s.banner && s.footer, 'header (banner) or footer (contentinfo) missing');
  assert(s.statement, 'no link to the accessibility statement in the footer');
  assert(s.title.replace(/\s+/g, ' ').trim().length >= 10, `page title ${JSON.stringify(s.title)} says too little`);
  const h1 = s.headings.filter((h) => h.level === 1);
  assert(h1.length === 1, `${h1.length} h1 headings: ${JSON.stringify(h1)}`);
  assert(s.headings[0] && s.headings[0].level === 1, `the first heading is not the h1: ${JSON.stringify(s.headings[0])}`);
  for (let i = 1; i < s.headings.length; i += 1) {
    const prev = s.headings[i - 1];
    const cur = s.headings[i];
    assert(cur.level <= prev.level + 1,
      `heading level skipped: h${prev.level} "${prev.text}" → h${cur.level} "${cur.text}"`);
  }
}

/** The first Tab stop is the skip link; Enter on it moves focus to the main content. */
async function assertSkipLink(page) {
  await page.evaluate(() => { document.activeElement?.blur(); window.scrollTo(0, 0); });
  await page.keyboard.press('Tab');
  const first = await page.evaluate(() => document.activeElement?.getAttribute('href'));
  assert(first === '#main', `first tab stop is ${await focusedElement(page)}, not the skip link`);
  const visible = await page.evaluate(() => {
    const r = document.activeElement.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < window.innerHeight;
  });
  assert(visible, 'the skip link is not visible when it has focus');
  await page.keyboard.press('Enter');
  const after = await page.evaluate(() => document.activeElement?.id);
  assert(after === 'main', `after the skip link the focus is on ${await focusedElement(page)}, not main`);
}

async function main() {
  mkdirSync(PHONE_DIR, { recursive: true });
  if (PHONE_COPY_DIR) mkdirSync(PHONE_COPY_DIR, { recursive: true });
  const accounts = readAccounts(process.env.DEMO_ACCOUNTS || '');
  const browser = await launchChromium();
  if (!browser) return;
  try {
    for (const [role, pages] of Object.entries(PAGES)) {
      const context = await browser.newContext({ locale: 'nl-NL', timezoneId: 'Europe/Amsterdam', viewport: DESKTOP });
      const page = await context.newPage();
      const problems = [];
      const who = role === 'visitor' ? 'bezoeker' : role;
      watchConsole(page, who, problems, /status of 40[14]/);
      if (role !== 'visitor') {
        const ok = await check(`${who}: logs in with the demo account`, async () => {
          assert(accounts[role], `no ${role} line in DEMO_ACCOUNTS`);
          await login(page, accounts[role]);
          await page.waitForURL((url) => url.pathname !== '/', { timeout: STEP_TIMEOUT });
          await settle(page); // the landing page may still change its own address (board.html?board=…)
          return true;
        });
        if (!ok) { await context.close(); continue; }
      }
      for (const [path, name] of pages) {
        const label = `${path} (${who})`;
        const loaded = await check(`${label}: loads`, async () => {
          await page.setViewportSize(DESKTOP);
          await page.goto(`${BASE_URL}${path}`);
          await settle(page);
          return true;
        });
        if (!loaded) continue;
        await check(`${label}: no axe violation at 1280 px`, () => assertAccessible(page, `${path} – eerste weergave (${who})`));
        await check(`${label}: lang, landmarks, one h1, heading levels in order, statement linked`, () => assertStructure(page));
        await check(`${label}: the skip link is the first tab stop and moves focus to the content`, () => assertSkipLink(page));
        await check(`${label}: reflows at 320 px without sideways scrolling, no axe violation`, async () => {
          await page.setViewportSize(PHONE);
          await settle(page);
          await assertReflows(page, label);
          await assertAccessible(page, `${path} – 320 px (${who})`);
        });
        await check(`${label}: reflows at 200% zoom (640 px) without sideways scrolling`, async () => {
          await page.setViewportSize(ZOOM_200);
          await settle(page);
          await assertReflows(page, label);
        });
        await check(`${label}: screenshot at 360 × 740`, async () => {
          await page.setViewportSize(SCREENSHOT);
          await page.goto(`${BASE_URL}${path}`); // as a phone opens it: at the top, nothing focused
          await settle(page);
          const file = join(PHONE_DIR, `${role}-${name}.png`);
          await page.screenshot({ path: file });
          if (PHONE_COPY_DIR) copyFileSync(file, join(PHONE_COPY_DIR, `${role}-${name}.png`));
        });
      }
      await check(`${who}: no script errors or CSP violations on these pages`, async () => {
        assert(problems.length === 0, problems.slice(0, 5).join('\n'));
      });
      await context.close();
    }
  } finally {
    await browser.close();
  }
}

await run(main);
