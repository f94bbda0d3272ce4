// index.html: log in or create an account. A user who is already logged in goes
// straight to "Mijn modules".

import { ApiError, NetworkError, post } from './api.js';
import {
  clearFieldErrors, fieldInput, focusFirstInvalid, setFieldError, stopAtInvalid, withBusy,
} from './forms.js';
import { currentUser, describeError } from './ui.js';

const AFTER_LOGIN = '/modules.html';
const MIN_PASSWORD = 12;
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
// The server takes ASCII addresses only (look-alike letters such as İ could
// otherwise pass for an existing address); a domain with accents in its
// xn-- form.
const NON_ASCII_RE = /[^\x00-\x7f]/;
const NON_ASCII_TEXT = 'Dit e-mailadres bevat tekens die we niet kunnen gebruiken (zoals é of İ). Gebruik alleen gewone letters, cijfers en leestekens.';

/** The Dutch problem with an address typed into a form, or null. */
function emailProblem(email) {
  if (NON_ASCII_RE.test(email)) return NON_ASCII_TEXT;
  if (!EMAIL_RE.test(email)) return 'Vul een geldig e-mailadres in, zoals naam@school.nl.';
  return null;
}

const panels = {
  login: document.getElementById('login-panel'),
  register: document.getElementById('register-panel'),
};
const switches = {
  login: document.getElementById('show-login'),
  register: document.getElementById('show-register'),
};

function show(which, { focus = true } = {}) {
  for (const key of Object.keys(panels)) {
    const on = key === which;
    panels[key].hidden = !on;
    switches[key].setAttribute('aria-pressed', on ? 'true' : 'false');
  }
  if (focus) {
    const first = panels[which].querySelector('input');
    if (first) first.focus();
  }
  const hash = which === 'register' ? '#registreren' : '';
  if (window.location.hash !== hash) {
    window.history.replaceState(null, '', window.location.pathname + hash);
  }
}

switches.login.addEventListener('click', () => show('login'));
switches.register.addEventListener('click', () => show('register'));
for (const b of document.querySelectorAll('[data-show]')) {
  b.addEventListener('click', () => show(b.dataset.show));
}
if (window.location.hash === '#registreren') show('register', { focus: false });

// ---- a message from another page (?melding=<key>; fixed texts only) ---------------

const NOTICES = {
  'wachtwoord-gewijzigd': 'Je wachtwoord is gewijzigd en je bent overal uitgelogd. Log in met je nieuwe wachtwoord.',
  'wachtwoord-ingesteld': 'Je nieuwe wachtwoord is opgeslagen. Log ermee in.',
};
{
  const params = new URLSearchParams(window.location.search);
  const key = params.get('melding');
  if (key !== null) {
    if (Object.prototype.hasOwnProperty.call(NOTICES, key)) {
      const notice = document.getElementById('login-notice');
      notice.textContent = NOTICES[key];
      notice.hidden = false;
      show('login', { focus: false });
    }
    params.delete('melding');
    const qs = params.toString();
    window.history.replaceState(null, '', window.location.pathname + (qs ? `?${qs}` : '') + window.location.hash);
  }
}

// ---- field errors ---------------------------------------------------------------

function clearErrors(form, messageBox) {
  clearFieldErrors(form);
  messageBox.hidden = true;
  messageBox.textContent = '';
}

function showFormMessage(box, text) {
  box.textContent = text;
  box.hidden = false;
}

/** Dutch text for a server `fields` entry: chosen by field, refined by the reason. */
function fieldMessage(name, reason) {
  const r = String(reason || '').toLowerCase();
  switch (name) {
    case 'email':
      if (/long|lang/.test(r)) return 'Dit e-mailadres is te lang.';
      if (/required|missing|empty|verplicht|leeg/.test(r)) return 'Vul je e-mailadres in.';
      return 'Vul een geldig e-mailadres in, zoals naam@school.nl.';
    case 'password':
      if (/common|bekend|veel|list|pwned|breach/.test(r)) {
        return 'Dit wachtwoord wordt te vaak gebruikt. Kies een ander wachtwoord.';
      }
      if (/long|lang|max/.test(r)) return 'Dit wachtwoord is te lang.';
      if (/required|missing|empty|verplicht|leeg/.test(r)) return 'Vul een wachtwoord in.';
      return `Kies een wachtwoord van minstens ${MIN_PASSWORD} tekens.`;
    case 'name':
      if (/long|lang/.test(r)) return 'Deze naam is te lang.';
      return 'Vul je naam in.';
    case 'join_code':
      if (/required|missing|empty|verplicht|leeg/.test(r)) return 'Vul de schoolcode in.';
      return 'Deze schoolcode is niet bekend. Controleer de code of vraag je school om de juiste code.';
    default:
      return 'Controleer dit veld.';
  }
}

/** True when a server reason reads as a Dutch sentence that can be shown as it is
 *  (our backend writes them in Dutch); codes and English get our own text. */
function isDutchSentence(reason) {
  if (typeof reason !== 'string' || reason.length < 8 || reason.length > 300) return false;
  if (/^[a-z0-9_.-]+$/i.test(reason)) return false;
  return !/\b(the|is not|must|invalid|required|too|characters|unknown|missing|please|not found)\b/i.test(reason);
}

/** Shows the `fields` of a validation_failed error next to the fields. */
function showServerFields(form, messageBox, fields) {
  let shown = 0;
  for (const [name, reason] of Object.entries(fields || {})) {
    const text = isDutchSentence(reason) ? reason : fieldMessage(name, reason);
    if (setFieldError(form, name, text)) shown += 1;
  }
  if (shown === 0) showFormMessage(messageBox, 'Controleer de gegevens en probeer het opnieuw.');
  focusFirstInvalid(form);
}

function commonError(err) {
  if (err instanceof ApiError && err.status === 429) {
    // The service says how long to wait ("probeer het over 4 seconden opnieuw").
    return isDutchSentence(err.message) ? err.message : 'Te veel pogingen. Wacht even en probeer het dan opnieuw.';
  }
  if (err instanceof NetworkError) {
    return 'Er is geen verbinding met de server. Controleer je internetverbinding en probeer het opnieuw.';
  }
  return describeError(err);
}

// ---- login ----------------------------------------------------------------------

const loginForm = document.getElementById('login-form');
const loginMessage = document.getElementById('login-message');

loginForm.addEventListener('submit', (event) => {
  event.preventDefault();
  clearErrors(loginForm, loginMessage);
  const email = fieldInput(loginForm, 'email').value.trim();
  const password = fieldInput(loginForm, 'password').value;
  if (emailProblem(email)) setFieldError(loginForm, 'email', emailProblem(email));
  if (!password) setFieldError(loginForm, 'password', 'Vul je wachtwoord in.');
  if (stopAtInvalid(loginForm)) return;
  withBusy(loginForm, async () => {
    try {
      await post('/auth/login', { email, password });
      window.location.replace(AFTER_LOGIN);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) {
        fieldInput(loginForm, 'email').setAttribute('aria-invalid', 'true');
        fieldInput(loginForm, 'password').setAttribute('aria-invalid', 'true');
        showFormMessage(loginMessage, 'E-mailadres of wachtwoord klopt niet.');
        fieldInput(loginForm, 'password').focus();
      } else if (err instanceof ApiError && err.code === 'validation_failed') {
        showServerFields(loginForm, loginMessage, err.fields);
      } else {
        showFormMessage(loginMessage, commonError(err));
      }
    }
  });
});

// ---- register -------------------------------------------------------------------

const registerForm = document.getElementById('register-form');
const registerMessage = document.getElementById('register-message');

registerForm.addEventListener('submit', (event) => {
  event.preventDefault();
  clearErrors(registerForm, registerMessage);
  const name = fieldInput(registerForm, 'name').value.trim();
  const email = fieldInput(registerForm, 'email').value.trim();
  const password = fieldInput(registerForm, 'password').value;
  const joinCode = fieldInput(registerForm, 'join_code').value.trim();
  if (!name) setFieldError(registerForm, 'name', 'Vul je naam in.');
  if (emailProblem(email)) setFieldError(registerForm, 'email', emailProblem(email));
  if ([...password].length < MIN_PASSWORD) {
    setFieldError(registerForm, 'password', `Kies een wachtwoord van minstens ${MIN_PASSWORD} tekens.`);
  }
  if (!joinCode) setFieldError(registerForm, 'join_code', 'Vul de schoolcode in.');
  if (stopAtInvalid(registerForm)) return;
  withBusy(registerForm, async () => {
    try {
      await post('/auth/register', { name, email, password, join_code: joinCode });
      window.location.replace(AFTER_LOGIN);
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        setFieldError(registerForm, 'email',
          'Er bestaat al een account met dit e-mailadres. Log in of gebruik een ander e-mailadres.');
        focusFirstInvalid(registerForm);
      } else if (err instanceof ApiError && err.code === 'validation_failed') {
        showServerFields(registerForm, registerMessage, err.fields);
      } else {
        showFormMessage(registerMessage, commonError(err));
      }
    }
  });
});

// ---- already logged in? ---------------------------------------------------------

currentUser().then((user) => {
  if (user) window.location.replace(AFTER_LOGIN);
});
