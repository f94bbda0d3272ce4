// The session of a logged-in page (WCAG 2.2.1, 3.3.7, 3.3.8): a warning five minutes
// before the session ends, with "Ingelogd blijven" (a fresh session) and "Uitloggen";
// and, when a request still gets 401, a login dialog on the page itself, after which
// the request is sent again, so that nothing the user typed is lost.

import { ApiError, NetworkError, get, post, setReauthenticate } from './api.js';
import { clearFieldErrors, showFieldError, withBusyButton } from './forms.js';
import { el } from './ui.js';

const WARN_BEFORE_MS = 5 * 60 * 1000;
const LAST_WARN_BEFORE_MS = 60 * 1000;
const TICK_MS = 15 * 1000;

const session = {
  user: null,          // the account this page belongs to (GET /me)
  expiresAt: 0,        // ms since the epoch; 0 when unknown
  warned: 0,           // 0: not yet, 1: at five minutes, 2: at one minute
  ending: false,       // the user logs out: a 401 then is expected
  warning: null,       // the warning dialog, once made
  login: null,         // the login dialog, once made
  pendingLogin: null,  // the promise of the login dialog that is open
  lostBar: null,       // "niet meer ingelogd" on the page, after the dialog was closed
};

/** Starts the session timer and the login dialog for `user` (GET /me, with
 *  session_expires_at); once per page. */
export function startSession(user) {
  if (session.user || !user) return;
  session.user = user;
  setExpiry(user.session_expires_at);
  setReauthenticate(reauthenticate);
  // An interval, not one long timeout: a computer that slept still warns in time.
  setInterval(tick, TICK_MS);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') tick();
  });
}

/** The user logs out (true; false when that failed): a 401 then needs no login
 *  dialog. */
export function endSession(ending) {
  session.ending = ending;
}

function setExpiry(iso) {
  const t = iso ? Date.parse(iso) : NaN;
  const at = Number.isNaN(t) ? 0 : t;
  // Warn again only for a session that really was extended.
  if (at !== session.expiresAt) session.warned = 0;
  session.expiresAt = at;
}

/**
 * A request of this page got 401 and the user closed the login dialog: the page stays
 * (with everything typed in it) and says so, with a button to log in again. False
 * when this page has no session (ui.js:goToLogin then goes to the login page).
 */
export function sessionLost() {
  if (!session.user || session.ending) return false;
  if (!session.lostBar) {
    const again = el('button', { type: 'button', class: 'button button-primary', id: 'session-lost-login' },
      'Opnieuw inloggen');
    session.lostBar = el('div', { id: 'session-lost', class: 'message message-error', role: 'alert' },
      el('p', {}, 'Je bent niet meer ingelogd. Wat je hebt ingevuld, staat er nog. '
        + 'Log opnieuw in en probeer het daarna nog een keer.'),
      again);
    again.addEventListener('click', async () => {
      if (await reauthenticate()) session.lostBar.hidden = true;
    });
    const main = document.getElementById('main');
    if (main) main.prepend(session.lostBar);
    else document.body.prepend(session.lostBar);
  }
  session.lostBar.hidden = false;
  return true;
}

/** "14:32" in the Netherlands. */
function clockTime(ms) {
  try {
    return new Intl.DateTimeFormat('nl-NL', {
      timeZone: 'Europe/Amsterdam', hour: '2-digit', minute: '2-digit',
    }).format(new Date(ms));
  } catch (e) {
    const d = new Date(ms);
    return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  }
}

async function tick() {
  if (!session.expiresAt || session.ending || session.pendingLogin) return;
  const left = session.expiresAt - Date.now();
  if (left <= 0 || left > WARN_BEFORE_MS) return;
  const due = left <= LAST_WARN_BEFORE_MS ? 2 : 1;
  if (session.warned >= due) return;
  session.warned = due;
  // Another tab may have extended the session (the cookie is shared): ask first.
  try {
    const me = await get('/me', { reauth: false });
    if (me && me.id === session.user.id && Date.parse(me.session_expires_at) > session.expiresAt) {
      setExpiry(me.session_expires_at);
      return;
    }
  } catch (e) {
    // Unknown: warn anyway; a 401 on the next request opens the login dialog.
  }
  showWarning();
}

// ---- the warning ---------------------------------------------------------------------

function makeWarning() {
  const text = el('p', { id: 'session-warning-text' });
  const error = el('p', { id: 'session-warning-error', class: 'message message-error', role: 'alert', hidden: true });
  const stay = el('button', { type: 'button', class: 'button button-primary', id: 'session-stay' }, 'Ingelogd blijven');
  const leave = el('button', { type: 'button', class: 'button', id: 'session-logout' }, 'Uitloggen');
  const dialog = el('dialog', {
    id: 'session-warning', class: 'session-dialog', role: 'alertdialog',
    'aria-labelledby': 'session-warning-title', 'aria-describedby': 'session-warning-text',
  },
  el('h2', { id: 'session-warning-title' }, 'Je sessie loopt bijna af'),
  text, error,
  el('div', { class: 'actions' }, stay, leave));
  stay.addEventListener('click', () => extend(stay));
  leave.addEventListener('click', () => {
    closeDialog(dialog);
    logOut();
  });
  dialog.addEventListener('close', () => restoreFocus(dialog));
  document.body.append(dialog);
  return { dialog, text, error, stay };
}

function showWarning() {
  if (!session.warning) session.warning = makeWarning();
  const w = session.warning;
  const minutes = Math.max(1, Math.round((session.expiresAt - Date.now()) / 60000));
  w.text.textContent = `Om ${clockTime(session.expiresAt)} word je uitgelogd (over ${minutes} ${minutes === 1 ? 'minuut' : 'minuten'}). `
    + 'Wil je ingelogd blijven? Wat je hebt ingevuld, blijft staan.';
  w.error.hidden = true;
  w.error.textContent = '';
  openDialog(w.dialog, w.stay);
}

function extend(button) {
  return withBusyButton(button, () => refreshSession(session.warning));
}

async function refreshSession(w) {
  try {
    const res = await post('/auth/refresh');
    setExpiry(res && res.expires_at);
    closeDialog(w.dialog);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401 && err.code === 'login_required') {
      // The session may not be extended any further (24 hours after the password):
      // the token still works, so ask for the password now, on the page.
      closeDialog(w.dialog);
      askLogin(err.message);
      return;
    }
    if (err instanceof ApiError && err.status === 401) {
      // Too late: the session has already ended. Log in on the page instead.
      closeDialog(w.dialog);
      reauthenticate();
      return;
    }
    w.error.textContent = err instanceof NetworkError
      ? 'Er is geen verbinding met de server. Probeer het opnieuw.'
      : 'Dat is niet gelukt. Probeer het opnieuw.';
    w.error.hidden = false;
  }
}

function logOut() {
  // The header's button sends what is still queued first (renderUserNav).
  const button = document.getElementById('logout');
  if (button) {
    button.click();
    return;
  }
  session.ending = true;
  post('/auth/logout').catch(() => {}).finally(() => window.location.replace('/'));
}

// ---- dialogs -------------------------------------------------------------------------

function openDialog(dialog, focusTarget) {
  if (dialog.open) {
    focusTarget.focus();
    return;
  }
  const active = document.activeElement;
  dialog.returnFocus = active && active !== document.body ? active : null;
  for (const other of document.querySelectorAll('dialog.session-dialog[open]')) {
    if (other !== dialog) other.close();
  }
  dialog.showModal();
  focusTarget.focus();
}

function closeDialog(dialog) {
  if (dialog.open) dialog.close();
}

/** Focus back where it was before the dialog opened (if it is still there). */
function restoreFocus(dialog) {
  const back = dialog.returnFocus;
  dialog.returnFocus = null;
  if (back && back.isConnected && !back.closest('dialog:not([open])')) back.focus();
}

// ---- logging in again on the page ----------------------------------------------------

/**
 * api.js calls this when a request got 401. Resolves true when the same account is
 * logged in again (the request is then sent once more), false when the user does not
 * log in (the page handles the 401 as before). When someone else logs in here the
 * page reloads and the promise never settles: their session must not send what the
 * previous user typed.
 */
function reauthenticate() {
  return loginOnce(checkThenLogIn);
}

/** The login dialog straight away (the session still works but may not be extended),
 *  with the server's reason. */
function askLogin(reason) {
  return loginOnce(() => showLogin(reason));
}

/** One login at a time: every 401 (and the warning) waits for the same dialog. */
function loginOnce(open) {
  if (session.ending) return Promise.resolve(false);
  if (!session.pendingLogin) {
    session.pendingLogin = open().finally(() => { session.pendingLogin = null; });
  }
  return session.pendingLogin;
}

async function checkThenLogIn() {
  // The cookie may work again already (another tab logged in or extended it).
  try {
    const me = await get('/me', { reauth: false });
    if (me && me.id === session.user.id) {
      setExpiry(me.session_expires_at);
      return true;
    }
    if (me) return otherAccount(me);
  } catch (e) {
    // 401 (or no connection): ask the user to log in.
  }
  return showLogin();
}

function fieldRow(id, label, attrs) {
  return el('div', { class: 'field' },
    el('label', { for: id }, label),
    el('input', { id, ...attrs, 'aria-describedby': `${id}-error` }),
    el('p', { id: `${id}-error`, class: 'field-error', hidden: true }));
}

function makeLogin() {
  const form = el('form', { id: 'session-login-form', novalidate: true },
    fieldRow('session-login-email', 'E-mailadres', {
      type: 'email', name: 'email', autocomplete: 'username', required: true, spellcheck: 'false',
    }),
    fieldRow('session-login-password', 'Wachtwoord', {
      type: 'password', name: 'password', autocomplete: 'current-password', required: true,
    }),
    el('div', { class: 'actions' },
      el('button', { type: 'submit', class: 'button button-primary', id: 'session-login-submit' }, 'Inloggen'),
      el('a', { href: '/', class: 'button', id: 'session-login-leave' }, 'Naar de inlogpagina')));
  const error = el('p', { id: 'session-login-error', class: 'message message-error', role: 'alert', hidden: true });
  const dialog = el('dialog', {
    id: 'session-login', class: 'session-dialog',
    'aria-labelledby': 'session-login-title', 'aria-describedby': 'session-login-text',
  },
  el('h2', { id: 'session-login-title', tabindex: '-1' }, 'Log opnieuw in'),
  el('p', { id: 'session-login-text' }, LOGIN_TEXT),
  error, form);
  document.body.append(dialog);
  return { dialog, form, error };
}

const LOGIN_TEXT = 'Je sessie is afgelopen. Log opnieuw in om verder te gaan: wat je hebt ingevuld, blijft staan en wordt daarna alsnog verstuurd.';

function showLogin(reason) {
  if (!session.login) session.login = makeLogin();
  const { dialog, form, error } = session.login;
  document.getElementById('session-login-text').textContent = reason
    ? `${reason} Wat je hebt ingevuld, blijft staan.` : LOGIN_TEXT;
  const email = form.elements.email;
  const password = form.elements.password;
  clearLoginErrors();
  if (!email.value) email.value = session.user.email || '';
  password.value = '';
  return new Promise((resolve) => {
    const done = (ok) => {
      form.removeEventListener('submit', onSubmit);
      dialog.removeEventListener('close', onClose);
      resolve(ok);
    };
    const onClose = () => {
      restoreFocus(dialog);
      done(dialog.returnValue === 'ok');
    };
    const onSubmit = async (event) => {
      event.preventDefault();
      clearLoginErrors();
      if (!email.value.trim()) showFieldError(email, 'Vul je e-mailadres in.');
      if (!password.value) showFieldError(password, 'Vul je wachtwoord in.');
      const bad = form.querySelector('[aria-invalid="true"]');
      if (bad) {
        bad.focus();
        return;
      }
      await withBusyButton(form.querySelector('button[type="submit"]'), logIn, form);
    };
    const logIn = async () => {
      try {
        const res = await post('/auth/login', { email: email.value.trim(), password: password.value });
        password.value = '';
        if (!res || !res.user || res.user.id !== session.user.id) {
          form.removeEventListener('submit', onSubmit);
          dialog.removeEventListener('close', onClose);
          otherAccount(res && res.user);
          return;
        }
        setExpiry(res.expires_at);
        dialog.close('ok');
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) {
          showFieldError(email, ''); // the message is under the password
          showFieldError(password, 'E-mailadres of wachtwoord klopt niet.');
          password.focus();
        } else if (err instanceof ApiError && err.code === 'validation_failed' && err.fields) {
          if (err.fields.email) showFieldError(email, err.fields.email);
          if (err.fields.password) showFieldError(password, err.fields.password);
          (form.querySelector('[aria-invalid="true"]') || password).focus();
        } else {
          error.textContent = err instanceof ApiError && err.status === 429 && err.message
            ? err.message
            : (err instanceof NetworkError
              ? 'Er is geen verbinding met de server. Probeer het opnieuw.'
              : 'Inloggen is niet gelukt. Probeer het opnieuw.');
          error.hidden = false;
        }
      }
    };
    form.addEventListener('submit', onSubmit);
    dialog.addEventListener('close', onClose);
    dialog.returnValue = '';
    openDialog(dialog, email.value ? password : email);
  });
}

function clearLoginErrors() {
  const { form, error } = session.login;
  error.hidden = true;
  error.textContent = '';
  clearFieldErrors(form);
}

/**
 * Another account is logged in now. What this page holds belongs to the previous one,
 * so nothing of it is sent: the page is loaded again for the new account, after the
 * user has read why. Never settles.
 */
function otherAccount(user) {
  if (!session.login) session.login = makeLogin();
  const { dialog, form, error } = session.login;
  const name = user && (user.name || user.email);
  const reload = el('button', { type: 'button', class: 'button button-primary', id: 'session-reload' },
    'Pagina opnieuw laden');
  reload.addEventListener('click', () => window.location.reload());
  form.hidden = true;
  error.hidden = true;
  // The dialog's first words promised to send what was typed: not for this account.
  document.getElementById('session-login-title').textContent = 'Ander account ingelogd';
  document.getElementById('session-login-text').hidden = true;
  dialog.setAttribute('aria-describedby', 'session-other');
  const note = el('div', { id: 'session-other', role: 'alert' },
    el('p', {}, `Je bent nu ingelogd als ${name || 'een ander account'}. Deze pagina hoorde bij een ander account. `
      + 'Wat hier was ingevuld, is niet verstuurd. De pagina wordt opnieuw geladen voor het account waarmee je nu bent ingelogd.'),
    el('div', { class: 'actions' }, reload));
  dialog.append(note);
  dialog.addEventListener('close', () => window.location.reload());
  openDialog(dialog, reload);
  return new Promise(() => {});
}
