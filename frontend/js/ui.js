// Shared page helpers: building elements safely (text only), Dutch dates and labels,
// the user part of the header (which starts the session warning and the login dialog
// of session.js on every logged-in page), and the login redirect.

import { ApiError, NetworkError, get, post } from './api.js';
import { endSession, sessionLost, startSession } from './session.js';

/**
 * Creates an element. `attrs` sets attributes (class, href, type, aria-*, data-*...);
 * children are nodes or strings, and strings always become text nodes, never HTML.
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === false || value === null || value === undefined) continue;
    if (key === 'text') node.textContent = String(value);
    else if (key === 'hidden') node.hidden = Boolean(value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Removes all children of `node` and appends `children` (see el). */
export function replaceChildren(node, ...children) {
  node.replaceChildren();
  append(node, children);
}

export const $ = (sel, root = document) => root.querySelector(sel);

const MONTHS = ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli',
  'augustus', 'september', 'oktober', 'november', 'december'];

/** Date parts of an RFC 3339 time as a calendar date in the Netherlands. */
function dutchDateParts(iso) {
  const d = new Date(iso);
  if (!iso || Number.isNaN(d.getTime())) return null;
  try {
    const parts = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Amsterdam', year: 'numeric', month: 'numeric', day: 'numeric',
    }).formatToParts(d);
    const get = (t) => Number(parts.find((p) => p.type === t).value);
    return { day: get('day'), month: get('month') - 1, year: get('year') };
  } catch (e) {
    return { day: d.getUTCDate(), month: d.getUTCMonth(), year: d.getUTCFullYear() };
  }
}

/** "22 november 2026" for an RFC 3339 time; "onbekend" when missing or invalid. */
export function formatDate(iso) {
  const p = dutchDateParts(iso);
  if (!p) return 'onbekend';
  return `${p.day} ${MONTHS[p.month]} ${p.year}`;
}

/** Machine-readable date for a <time datetime="..."> element. */
export function isoDay(iso) {
  const p = dutchDateParts(iso);
  if (!p) return '';
  const two = (n) => String(n).padStart(2, '0');
  return `${p.year}-${two(p.month + 1)}-${two(p.day)}`;
}

/** A <time> element showing a Dutch date. */
export function timeEl(iso) {
  return el('time', { datetime: isoDay(iso) || false }, formatDate(iso));
}

/** Sends the browser to the login page (the offline queue stays in localStorage); on a
 *  page whose session ended while it was open, the page stays with what was typed and
 *  offers to log in again (session.js). */
export function goToLogin() {
  if (sessionLost()) return;
  window.location.replace('/');
}

/** Dutch text for an error that has no more specific handling on the page. */
export function describeError(err) {
  if (err instanceof NetworkError) {
    return 'Er is geen verbinding met de server. Controleer je internetverbinding en probeer het opnieuw.';
  }
  if (err instanceof ApiError) {
    if (err.status === 429) return 'Te veel pogingen, probeer het over een kwartier opnieuw.';
    if (err.status === 404) return 'Niet gevonden.';
    if (err.status === 403) return 'Je hebt geen toegang tot deze pagina.';
    if (err.transient) return 'De leeromgeving is tijdelijk niet bereikbaar. Probeer het over een paar minuten opnieuw.';
  }
  return 'Er ging iets mis. Probeer het later opnieuw.';
}

/**
 * Loads the logged-in user (GET /me). On 401 the browser goes to the login page and
 * the returned promise never settles. Other errors are thrown.
 */
export async function requireUser() {
  try {
    return await get('/me');
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      goToLogin();
      return new Promise(() => {});
    }
    throw err;
  }
}

/** GET /me without redirect: the user, or null when not logged in or unreachable. */
export async function currentUser() {
  try {
    return await get('/me');
  } catch (err) {
    return null;
  }
}

// Pages of the roles that do not take modules themselves. Learners (teacher, ib) keep
// "Mijn modules" and the role-plays; trainers get the scenario studio and trainings.
const LEARNER_NAV = [['/modules.html', 'Mijn modules'], ['/scenarios.html', 'Rollenspellen']];
const ROLE_NAV = {
  trainer: [['/studio.html', 'Scenariostudio'], ['/trainings.html', 'Trainingen']],
  board_admin: [['/board.html', 'Bestuursoverzicht']],
  region_viewer: [['/region.html', 'Regio-overzicht']],
  admin: [['/admin.html', 'Beheer'], ['/board.html', 'Bestuursoverzicht'],
    ['/region.html', 'Regio-overzicht']],
};
const ROLE_HOME = {
  trainer: '/studio.html',
  board_admin: '/board.html',
  region_viewer: '/region.html',
  admin: '/admin.html',
};

/** The start page of a role that has its own dashboard, or null (learners). */
export function homeForRole(role) {
  return Object.prototype.hasOwnProperty.call(ROLE_HOME, role) ? ROLE_HOME[role] : null;
}

/**
 * Fills the header's user area (#user-nav) with the name and an "Uitloggen" button.
 * `beforeLogout` (optional, async) runs first, e.g. to send queued progress.
 * Every logged-in page comes here: it also starts the session's warning before it
 * ends and the login dialog for a 401 (session.js).
 */
export function renderUserNav(user, { beforeLogout } = {}) {
  startSession(user);
  const nav = document.getElementById('user-nav');
  if (!nav) return;
  const button = el('button', { type: 'button', class: 'button button-quiet', id: 'logout' },
    'Uitloggen');
  button.addEventListener('click', async () => {
    button.disabled = true;
    endSession(true); // a 401 from here on asks for no login
    try {
      if (beforeLogout) await beforeLogout();
    } catch (e) { /* logging out goes on regardless */ }
    try {
      await post('/auth/logout');
    } catch (err) {
      // 401: already logged out. Anything else: the session still works (the cookie
      // is HttpOnly, so only the server can end it); say so instead of pretending.
      if (!(err instanceof ApiError && err.status === 401)) {
        endSession(false);
        button.disabled = false;
        button.focus(); // disabling it dropped the focus to the page's start (WCAG 2.4.3)
        status.textContent = err instanceof NetworkError
          ? 'Uitloggen lukt niet zonder verbinding. Probeer het opnieuw.'
          : 'Uitloggen is niet gelukt. Probeer het opnieuw.';
        status.hidden = false;
        return;
      }
    }
    window.location.replace('/');
  });
  const status = el('span', { class: 'nav-error', role: 'alert', hidden: true });
  const links = (ROLE_NAV[user.role] || LEARNER_NAV).map(([href, label]) => el('a', {
    href, class: 'nav-link', 'aria-current': window.location.pathname === href ? 'page' : false,
  }, label));
  // Every logged-in user: their own account page. A class of its own (not nav-link),
  // so that the role links stay a list of the role's pages.
  const account = el('a', {
    href: '/account.html', class: 'account-link',
    'aria-current': window.location.pathname === '/account.html' ? 'page' : false,
  }, 'Mijn account');
  replaceChildren(nav,
    links,
    account,
    el('span', { class: 'user-name' },
      el('span', { class: 'visually-hidden' }, 'Ingelogd als '), user.name || user.email || ''),
    button,
    status);
  nav.hidden = false;
}

/** Shows a message in a box (role=alert for errors, role=status otherwise). */
export function showMessage(box, text, kind = 'error') {
  box.className = `message message-${kind}`;
  box.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  box.textContent = text;
  box.hidden = false;
}

export function hideMessage(box) {
  box.hidden = true;
  box.textContent = '';
}

/**
 * The start of a page for a logged-in user: GET /me (a 401 goes to the login page),
 * the page error in `main` on any other failure, and the user menu in the header
 * (`nav`: renderUserNav's options, or false for none). Resolves with the user, or
 * null when the page cannot go on.
 */
export async function startPage(main, { nav = {} } = {}) {
  let user;
  try {
    user = await requireUser();
  } catch (err) {
    showPageError(main, err);
    return null;
  }
  if (nav) renderUserNav(user, nav);
  return user;
}

/** Replaces the page's main content by an error and a "Opnieuw laden" button. */
export function showPageError(main, err, title = 'De pagina kon niet worden geladen') {
  const reload = el('button', { type: 'button', class: 'button' }, 'Opnieuw laden');
  reload.addEventListener('click', () => window.location.reload());
  replaceChildren(main,
    el('h1', { tabindex: '-1', id: 'page-error' }, title),
    el('p', { class: 'message message-error', role: 'alert' }, describeError(err)),
    el('p', {}, reload));
  const h = document.getElementById('page-error');
  if (h) h.focus();
}
