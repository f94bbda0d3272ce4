// modules.html ("Mijn modules"): the caller's modules with progress, and certificates.

import { get, post, seg } from './api.js';
import { ProgressQueue } from './queue.js';
import {
  describeError, el, goToLogin, homeForRole, renderUserNav, replaceChildren,
  showMessage, startPage, timeEl,
} from './ui.js';
import {
  findItem, labelInSentence, labelOf, loadMeta,
} from './meta.js';

const OFFLINE_TEXT = 'Je bent offline; je voortgang wordt verstuurd zodra er weer verbinding is.';

const list = document.getElementById('module-list');
const loading = document.getElementById('modules-loading');
const errorBox = document.getElementById('modules-error');
const certList = document.getElementById('certificate-list');
const certLoading = document.getElementById('certificates-loading');
const certError = document.getElementById('certificates-error');
const notice = document.getElementById('queue-notice');

const ACTIONS = {
  not_started: 'Starten',
  in_progress: 'Verder gaan',
  completed: 'Bekijken',
  expired: 'Opnieuw doen',
};

function moduleCard(m, { statuses }) {
  const p = m.progress || {};
  const total = Math.max(0, Number(p.sections_total) || 0);
  const done = Math.min(total, Math.max(0, Number(p.sections_done) || 0));
  const status = findItem(statuses, p.status) ? p.status : 'not_started';
  const titleId = `module-${m.slug}-title`;

  const statusLine = el('p', { class: 'status-line' },
    el('span', { class: `status status-${status}` }, labelOf(statuses, status)));
  if (status === 'completed' && p.expires_at) {
    statusLine.append(' geldig tot ', timeEl(p.expires_at));
    // In its last 90 days a certificate can be renewed by passing again.
    if (p.expiring_soon) {
      statusLine.append(' ', el('span', { class: 'badge badge-warn' }, 'verloopt binnenkort'));
    }
  } else if (status === 'expired' && p.expires_at) {
    statusLine.append(' sinds ', timeEl(p.expires_at));
  }

  const progress = el('progress', {
    max: total || 1,
    value: done,
    'aria-labelledby': `${titleId} ${titleId}-progress`,
  });

  const href = `/module.html?slug=${encodeURIComponent(m.slug)}`;
  return el('li', { class: 'card', 'data-slug': m.slug, 'data-status': status },
    el('h2', { id: titleId }, m.title || m.slug),
    m.summary ? el('p', { class: 'summary' }, m.summary) : null,
    el('p', { class: 'meta' },
      m.estimated_minutes ? `Ongeveer ${m.estimated_minutes} minuten` : null),
    el('div', { class: 'progress-row' },
      progress,
      el('span', { class: 'progress-text', id: `${titleId}-progress` },
        `${done} van ${total} onderdelen klaar`)),
    statusLine,
    el('div', { class: 'card-actions' },
      el('a', { class: status === 'completed' && !p.expiring_soon ? 'button' : 'button button-primary', href },
        status === 'completed' && p.expiring_soon ? 'Vernieuwen' : ACTIONS[status],
        el('span', { class: 'visually-hidden' }, `: ${m.title || m.slug}`))));
}

async function loadModules() {
  try {
    const [modules, meta] = await Promise.all([get('/modules'), loadMeta()]);
    loading.hidden = true;
    errorBox.hidden = true;
    if (!Array.isArray(modules) || modules.length === 0) {
      replaceChildren(list, el('li', { class: 'panel' },
        'Er staan nog geen modules voor je klaar.'));
      return;
    }
    replaceChildren(list, modules.map((m) => moduleCard(m, meta)));
  } catch (err) {
    if (err && err.status === 401) return goToLogin();
    loading.hidden = true;
    errorBox.textContent = `Je modules konden niet worden geladen. ${describeError(err)}`;
    errorBox.hidden = false;
  }
}

function certificateItem(c) {
  const valid = c.valid !== false;
  const href = `/certificate.html?code=${encodeURIComponent(c.code)}`;
  const dates = el('span', { class: 'cert-dates' }, 'Behaald op ', timeEl(c.issued_at));
  if (valid) dates.append(', geldig tot ', timeEl(c.expires_at));
  else dates.append(', verlopen op ', timeEl(c.expires_at));
  return el('li', { 'data-code': c.code, 'data-valid': valid ? 'true' : 'false' },
    el('span', {},
      el('span', { class: 'cert-name' }, c.module_title || c.module_slug || 'Module'), ' ',
      el('span', { class: valid ? 'status status-completed' : 'status status-expired' },
        valid ? 'Geldig' : 'Verlopen')),
    dates,
    el('a', { href }, 'Bekijk certificaat',
      el('span', { class: 'visually-hidden' }, `: ${c.module_title || c.module_slug || ''}`)));
}

async function loadCertificates() {
  try {
    const certs = await get('/me/certificates');
    certLoading.hidden = true;
    certError.hidden = true;
    if (!Array.isArray(certs) || certs.length === 0) {
      replaceChildren(certList, el('li', {}, 'Je hebt nog geen certificaten. Rond een module af met een voldoende voor de toets.'));
      return;
    }
    const sorted = certs.slice().sort((a, b) => String(b.issued_at).localeCompare(String(a.issued_at)));
    replaceChildren(certList, sorted.map(certificateItem));
  } catch (err) {
    if (err && err.status === 401) return goToLogin();
    certLoading.hidden = true;
    certError.textContent = `Je certificaten konden niet worden geladen. ${describeError(err)}`;
    certError.hidden = false;
  }
}

// ---- invitations: another board put this person on its staff list ----------------

const invSection = document.getElementById('invitations');
const invList = document.getElementById('invitation-list');
const invMessage = document.getElementById('invitations-message');

async function answerInvitation(inv, accept, item, pressed) {
  for (const b of item.querySelectorAll('button')) b.disabled = true;
  try {
    const res = await post(`/me/invitations/${seg(inv.id)}/${accept ? 'accept' : 'decline'}`);
    item.remove();
    showMessage(invMessage, accept
      ? `Geaccepteerd: je telt nu ook mee voor ${inv.board.name}. Je account blijft bij je eigen school.`
      : `Geweigerd: ${inv.board.name} ziet dat je niet bij hen hoort. Er is niets veranderd.`, 'ok');
    // The pressed button is gone with its item: the focus goes to the answer.
    invMessage.focus();
    if (accept && res && res.certificates_issued > 0) loadCertificates();
  } catch (err) {
    if (err && err.status === 401) return goToLogin();
    for (const b of item.querySelectorAll('button')) b.disabled = false;
    showMessage(invMessage, `Dat is niet gelukt. ${describeError(err)}`);
    // Disabling the button dropped the focus; give it back to try again.
    pressed.focus();
  }
  if (!invList.children.length) invList.hidden = true;
  return undefined;
}

function invitationItem(inv, { roles }) {
  const accept = el('button', { type: 'button', class: 'button button-primary' }, 'Accepteren');
  const decline = el('button', { type: 'button', class: 'button' }, 'Weigeren');
  const item = el('li', { 'data-invitation-id': String(inv.id) },
    el('p', {}, el('strong', {}, `${inv.board.name} heeft je op de personeelslijst gezet`),
      ` van ${inv.school.name}, als ${labelInSentence(roles, inv.role)}.`),
    el('p', {}, `Werk je ook voor dit bestuur, bijvoorbeeld als invalkracht of als IB'er voor twee besturen? Kies dan Accepteren: wat je hier hebt gedaan telt dan ook mee voor ${inv.board.name}. Je account blijft bij je eigen school. Werk je daar niet, kies dan Weigeren.`),
    el('div', { class: 'actions' }, accept, decline));
  accept.addEventListener('click', () => answerInvitation(inv, true, item, accept));
  decline.addEventListener('click', () => answerInvitation(inv, false, item, decline));
  return item;
}

async function loadInvitations() {
  try {
    const [list, meta] = await Promise.all([get('/me/invitations'), loadMeta()]);
    if (!Array.isArray(list) || list.length === 0) return;
    replaceChildren(invList, list.map((inv) => invitationItem(inv, meta)));
    invSection.hidden = false;
  } catch (err) {
    if (err && err.status === 401) goToLogin();
    // Without the notice the rest of the page still works; it returns on the next visit.
  }
}

const sleep = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

async function main() {
  const user = await startPage(document.getElementById('main'), { nav: false });
  if (!user) return;

  // Board admins, region viewers and admins take no modules: the login page sends
  // everyone here, so send them on to their own dashboard.
  const home = homeForRole(user.role);
  if (home) {
    window.location.replace(home);
    return;
  }

  let wasPending = false;
  const queue = new ProgressQueue(user.id, {
    onChange: ({ pending, offline }) => {
      notice.textContent = pending > 0 && offline ? OFFLINE_TEXT : '';
      // Queued progress reached the server: show the new progress bars.
      if (wasPending && pending === 0) loadModules();
      wasPending = pending > 0;
    },
    onAuthRequired: goToLogin,
  });
  wasPending = queue.pending > 0;
  renderUserNav(user, { beforeLogout: () => queue.flush() });

  // Send progress queued on an earlier visit first, so the bars include it; do not
  // keep the page waiting long for it on a bad connection.
  await Promise.race([queue.start(), sleep(3000)]);
  await Promise.all([loadModules(), loadCertificates(), loadInvitations()]);
}

main();
