// account.html: everything around one's own account.
//   #verify=<token>  the link from the confirmation mail: confirms the address.
//   #reset=<token>   the link from the "nieuw wachtwoord" mail: choose a new password.
//   otherwise        logged in: "Mijn account" (details, resend the confirmation mail,
//                    change the password, download one's data); not logged in: the
//                    "Wachtwoord vergeten?" form.
// The token sits in the fragment so that it never reaches a server log; it is read
// once and removed from the address bar (and history) straight away.

import { ApiError, get, post } from './api.js';
import {
  clearFieldErrors, fieldInput, focusFirstInvalid, hasErrors, setFieldError, stopAtInvalid,
  withBusy, withBusyButton,
} from './forms.js';
import {
  describeError, el, hideMessage, homeForRole, renderUserNav, replaceChildren,
  showMessage, showPageError,
} from './ui.js';
import { labelOf, loadMeta } from './meta.js';

const $id = (id) => document.getElementById(id);
const MIN_PASSWORD = 12;
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const TOKEN_RE = /^[0-9a-f]{64}$/;
const mainEl = $id('main');
const title = $id('account-title');

// The login page shows a fixed text for these keys (see login.js); nothing from the
// address is ever shown as such.
const LOGIN_AFTER_CHANGE = '/?melding=wachtwoord-gewijzigd';
const LOGIN_AFTER_RESET = '/?melding=wachtwoord-ingesteld';

// ---- the fragment ----------------------------------------------------------------

/** { kind: 'verify'|'reset', token } from the fragment, or null; removes it. */
function takeFragment() {
  const m = /^#(verify|reset)=(.*)$/.exec(window.location.hash || '');
  if (!m) return null;
  window.history.replaceState(null, '', window.location.pathname + window.location.search);
  return { kind: m[1], token: m[2].trim().toLowerCase() };
}

// ---- form helpers (with forms.js) --------------------------------------------------

function clearErrors(form, messageBox) {
  clearFieldErrors(form);
  if (messageBox) hideMessage(messageBox);
}

/** The server's text for a field (our backend writes Dutch), else `fallback`. */
function reasonText(reason, fallback) {
  return typeof reason === 'string' && reason.trim() ? reason : fallback;
}

/** Shows `error.fields` next to their fields; the rest goes into `box`. */
function showServerFields(form, box, fields, fallbacks = {}) {
  const loose = [];
  for (const [name, reason] of Object.entries(fields || {})) {
    const text = reasonText(reason, fallbacks[name] || 'Controleer dit veld.');
    if (!setFieldError(form, name, text)) loose.push(text);
  }
  if (loose.length || !hasErrors(form)) {
    showMessage(box, loose.length ? loose.join(' ') : 'Controleer de gegevens en probeer het opnieuw.');
  }
  focusFirstInvalid(form);
}

/** Checks a new password and its repetition; reports on the given field names. */
function checkNewPassword(form, name, name2) {
  const pw = fieldInput(form, name).value;
  const pw2 = fieldInput(form, name2).value;
  if (!pw) setFieldError(form, name, 'Kies een nieuw wachtwoord.');
  else if ([...pw].length < MIN_PASSWORD) {
    setFieldError(form, name, `Kies een wachtwoord van minstens ${MIN_PASSWORD} tekens.`);
  }
  if (!pw2) setFieldError(form, name2, 'Vul het nieuwe wachtwoord nog een keer in.');
  else if (pw && pw !== pw2) setFieldError(form, name2, 'De twee wachtwoorden zijn niet gelijk.');
  return pw;
}

function focusTitle() {
  title.focus();
}

function showView(id, heading, pageTitle) {
  for (const v of ['verify-view', 'reset-view', 'forgot-view', 'account-view']) {
    $id(v).hidden = v !== id;
  }
  $id('account-loading').hidden = true;
  title.textContent = heading;
  document.title = `${pageTitle || heading} – Leeromgeving huiselijk geweld en kindermishandeling`;
}

/** The start page for a user: their dashboard, or "Mijn modules". */
const homeOf = (user) => homeForRole(user && user.role) || '/modules.html';

// ---- #verify= ----------------------------------------------------------------------

function verifyBox(kind, heading, ...body) {
  return el('div', { class: `verdict-box verdict-${kind}`, id: 'verify-verdict', 'data-verdict': kind },
    el('h2', {}, heading), body);
}

async function runVerify(token, userPromise) {
  showView('verify-view', 'E-mailadres bevestigen');
  const result = $id('verify-result');
  const user = await userPromise;
  if (user) renderUserNav(user);
  const next = user
    ? el('p', {}, el('a', { href: homeOf(user) }, 'Verder naar de leeromgeving'))
    : el('p', {}, el('a', { href: '/' }, 'Naar inloggen'));
  const again = user
    ? 'Is je adres nog niet bevestigd? Vraag hieronder op deze pagina een nieuwe bevestigingsmail aan.'
    : 'Is je adres nog niet bevestigd? Log in en kies bij „Mijn account” voor „Bevestigingsmail opnieuw sturen”.';

  if (!TOKEN_RE.test(token)) {
    replaceChildren(result, verifyBox('unknown', 'Deze link klopt niet',
      el('p', {}, 'De link is niet compleet. Open de link rechtstreeks vanuit de mail, of kopieer hem in zijn geheel naar de adresbalk.'),
      el('p', {}, again), next));
    focusTitle();
    if (user) await showAccountBelow(user);
    return;
  }
  try {
    await post('/auth/verify', { token });
    replaceChildren(result, verifyBox('valid', 'Je e-mailadres is bevestigd',
      el('p', {}, 'Dank je wel. Je ontvangt voortaan berichten van de leeromgeving op dit adres.'), next));
    $id('resend-section').hidden = true; // nothing left to confirm
  } catch (err) {
    if (err instanceof ApiError && err.code === 'validation_failed') {
      replaceChildren(result, verifyBox('expired', 'Deze link werkt niet meer',
        el('p', {}, reasonText(err.fields && err.fields.token, 'Deze link is verlopen of al gebruikt.')),
        el('p', {}, 'Een bevestigingslink is een week geldig en werkt één keer. Heb je hem al eerder geopend, dan is je adres al bevestigd en hoef je niets te doen.'),
        el('p', {}, again), next));
    } else {
      const retry = el('button', { type: 'button', class: 'button' }, 'Opnieuw proberen');
      retry.addEventListener('click', () => { runVerify(token, Promise.resolve(user)); });
      replaceChildren(result,
        el('p', { class: 'message message-error', role: 'alert' },
          `Je e-mailadres kon niet worden bevestigd. ${describeError(err)}`),
        el('p', {}, retry));
    }
  }
  focusTitle();
  if (user) await showAccountBelow(user);
}

/** After a verification, a logged-in user also gets the account page underneath. */
async function showAccountBelow(user) {
  let meta;
  try {
    meta = await loadMeta();
  } catch (err) {
    return; // the verification above is what the link was for
  }
  $id('account-view').hidden = false;
  setupAccount(user, meta);
}

// ---- #reset= -----------------------------------------------------------------------

function runReset(token) {
  showView('reset-view', 'Nieuw wachtwoord kiezen');
  const form = $id('reset-form');
  const box = $id('reset-message');
  const done = $id('reset-done');

  const linkProblem = (text) => {
    const request = el('button', { type: 'button', class: 'link-button' }, 'Vraag een nieuwe link aan');
    request.addEventListener('click', () => runForgot({ focus: true }));
    form.hidden = true;
    done.className = 'message message-error';
    done.setAttribute('role', 'alert');
    replaceChildren(done,
      el('strong', {}, text), ' ',
      'Een link om een nieuw wachtwoord te kiezen is een uur geldig en werkt één keer. ',
      request, '.');
    done.hidden = false;
  };

  if (!TOKEN_RE.test(token)) {
    linkProblem('Deze link klopt niet of is niet compleet.');
    focusTitle();
    return;
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearErrors(form, box);
    const password = checkNewPassword(form, 'password', 'password2');
    if (stopAtInvalid(form)) return;
    withBusy(form, async () => {
      try {
        await post('/auth/reset', { token, password });
        form.hidden = true;
        done.className = 'message message-ok';
        done.setAttribute('role', 'status');
        done.setAttribute('tabindex', '-1');
        replaceChildren(done,
          el('strong', {}, 'Je nieuwe wachtwoord is opgeslagen. '),
          'Je bent overal uitgelogd. ',
          el('a', { href: LOGIN_AFTER_RESET, id: 'reset-login-link' }, 'Log in met je nieuwe wachtwoord'), '.');
        done.hidden = false;
        done.focus();
      } catch (err) {
        if (err instanceof ApiError && err.code === 'validation_failed' && err.fields && err.fields.token) {
          linkProblem(reasonText(err.fields.token, 'Deze link is verlopen of al gebruikt.'));
          done.setAttribute('tabindex', '-1');
          done.focus();
        } else if (err instanceof ApiError && err.code === 'validation_failed') {
          showServerFields(form, box, err.fields,
            { password: `Kies een wachtwoord van minstens ${MIN_PASSWORD} tekens.` });
        } else {
          showMessage(box, describeError(err));
        }
      }
    });
  });
  fieldInput(form, 'password').focus();
}

// ---- "Wachtwoord vergeten?" -----------------------------------------------------------

let forgotReady = false;

function runForgot({ focus = false } = {}) {
  showView('forgot-view', 'Wachtwoord vergeten?', 'Wachtwoord vergeten');
  renderNavless();
  const form = $id('forgot-form');
  const box = $id('forgot-message');
  const done = $id('forgot-done');
  if (focus) fieldInput(form, 'email').focus();
  if (forgotReady) return;
  forgotReady = true;

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearErrors(form, box);
    hideMessage(done);
    const email = fieldInput(form, 'email').value.trim();
    if (/[^\x00-\x7f]/.test(email)) {
      // The server takes ASCII addresses only (look-alikes such as İ).
      setFieldError(form, 'email', 'Dit e-mailadres bevat tekens die we niet kunnen gebruiken (zoals é of İ). Gebruik alleen gewone letters, cijfers en leestekens.');
      focusFirstInvalid(form);
      return;
    }
    if (!EMAIL_RE.test(email)) {
      setFieldError(form, 'email', 'Vul een geldig e-mailadres in, zoals naam@school.nl.');
      focusFirstInvalid(form);
      return;
    }
    withBusy(form, async () => {
      try {
        await post('/auth/reset-request', { email });
        // The same answer whether the address is known or not.
        showMessage(done, 'Als dit adres bij ons bekend is, krijg je een mail met een link (een uur geldig). Kijk ook in je map met ongewenste mail.', 'ok');
        done.setAttribute('tabindex', '-1');
        done.focus();
      } catch (err) {
        if (err instanceof ApiError && err.code === 'validation_failed') {
          showServerFields(form, box, err.fields,
            { email: 'Vul een geldig e-mailadres in, zoals naam@school.nl.' });
        } else {
          showMessage(box, describeError(err));
        }
      }
    });
  });
}

/** Public pages keep the header without a user area. */
function renderNavless() {
  const nav = $id('user-nav');
  if (nav) nav.hidden = true;
}

// ---- "Mijn account" -----------------------------------------------------------------

let accountReady = false;

function setupAccount(user, { roles }) {
  if (accountReady) return;
  accountReady = true;
  $id('account-name').textContent = user.name || '';
  $id('account-email').textContent = user.email || '';
  $id('account-role').textContent = labelOf(roles, user.role);
  const place = [['school', 'School'], ['board', 'Bestuur'], ['region', 'Regio']]
    .find(([key]) => user[key] && user[key].name);
  if (place) {
    $id('account-facts').append(el('dt', {}, place[1]),
      el('dd', { id: 'account-place' }, user[place[0]].name));
  }
  setupResend(user);
  setupPasswordChange(user);
  setupExport();
}

/** The text for a 401 on an action of a logged-in user: the session has ended. */
function loggedOutContent() {
  return ['Je bent niet meer ingelogd. ', el('a', { href: '/' }, 'Log opnieuw in'), ' en probeer het nog eens.'];
}

function showBox(box, kind, ...content) {
  box.className = `message message-${kind}`;
  box.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  replaceChildren(box, ...content);
  box.hidden = false;
}

function setupResend(user) {
  const button = $id('resend-button');
  const box = $id('resend-message');
  button.addEventListener('click', () => withBusyButton(button, async () => {
    hideMessage(box);
    try {
      await post('/auth/verify/resend');
      showBox(box, 'ok', 'We hebben een nieuwe bevestigingsmail gestuurd naar ',
        el('strong', {}, user.email || 'je e-mailadres'), '. De link erin is een week geldig.');
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        showBox(box, 'ok', 'Je e-mailadres is al bevestigd. Je hoeft niets te doen.');
      } else if (err instanceof ApiError && err.status === 401) {
        showBox(box, 'error', ...loggedOutContent());
      } else {
        showBox(box, 'error', `De mail kon niet worden verstuurd. ${describeError(err)}`);
      }
    }
  }));
}

function setupPasswordChange(user) {
  const form = $id('password-form');
  const box = $id('password-message');
  fieldInput(form, 'username').value = user.email || '';
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearErrors(form, box);
    const current = fieldInput(form, 'current_password').value;
    if (!current) setFieldError(form, 'current_password', 'Vul je huidige wachtwoord in.');
    const next = checkNewPassword(form, 'new_password', 'new_password2');
    if (stopAtInvalid(form)) return;
    withBusy(form, async () => {
      try {
        await post('/auth/password', { current_password: current, new_password: next });
        // Every session has ended, this one too: log in again with the new password.
        window.location.replace(LOGIN_AFTER_CHANGE);
      } catch (err) {
        if (err instanceof ApiError && err.status === 401 && err.code === 'invalid_credentials') {
          setFieldError(form, 'current_password', 'Je huidige wachtwoord klopt niet.');
          focusFirstInvalid(form);
        } else if (err instanceof ApiError && err.status === 401) {
          showBox(box, 'error', ...loggedOutContent());
        } else if (err instanceof ApiError && err.code === 'validation_failed') {
          showServerFields(form, box, err.fields, {
            current_password: 'Vul je huidige wachtwoord in.',
            new_password: `Kies een wachtwoord van minstens ${MIN_PASSWORD} tekens.`,
          });
        } else {
          showBox(box, 'error', `Je wachtwoord is niet gewijzigd. ${describeError(err)}`);
        }
      }
    });
  });
}

/** Saves `text` as a file through a temporary Blob link. */
function saveFile(text, name, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = el('a', { href: url, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

function setupExport() {
  const button = $id('export-button');
  const box = $id('export-message');
  button.addEventListener('click', () => withBusyButton(button, async () => {
    hideMessage(box);
    try {
      const data = await get('/me/export');
      saveFile(`${JSON.stringify(data, null, 2)}\n`, 'mijn-gegevens.json', 'application/json');
      showBox(box, 'ok', 'Je gegevens zijn gedownload als ', el('code', {}, 'mijn-gegevens.json'), '.');
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) {
        showBox(box, 'error', ...loggedOutContent());
      } else {
        showBox(box, 'error', `Je gegevens konden niet worden gedownload. ${describeError(err)}`);
      }
    }
  }));
}

// ---- start -------------------------------------------------------------------------

/** GET /me: the user, null when not logged in; other errors are thrown. */
async function loadUser() {
  try {
    return await get('/me');
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}

async function start() {
  const fragment = takeFragment();
  if (fragment && fragment.kind === 'reset') {
    runReset(fragment.token);
    return;
  }
  if (fragment && fragment.kind === 'verify') {
    // Verifying needs no login; a logged-in user also gets the header and the page.
    await runVerify(fragment.token, loadUser().catch(() => null));
    return;
  }
  const user = await loadUser();
  if (!user) {
    runForgot();
    return;
  }
  const meta = await loadMeta();
  renderUserNav(user);
  showView('account-view', 'Mijn account');
  setupAccount(user, meta);
}

// A mail link pasted into this tab while account.html is open only changes the
// fragment: load the page again so that the link is handled like a fresh visit.
window.addEventListener('hashchange', () => {
  if (/^#(verify|reset)=/.test(window.location.hash)) window.location.reload();
});

start().catch((err) => showPageError(mainEl, err));
