// Pieces shared by the board and region dashboards: the key figures, the "open by
// number" form for admins, and the page for a role that has no access.

import { el, homeForRole, replaceChildren } from './ui.js';
import { parseId } from './format.js';

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
