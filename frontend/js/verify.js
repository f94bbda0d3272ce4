// verify.html, served for /verificatie/<code> (and /verify.html?code=<code>): the
// public check of a certificate. No login needed.

import { ApiError, get, seg } from './api.js';
import { describeError, el, replaceChildren, timeEl } from './ui.js';

const CODE_RE = /^[A-Za-z0-9_-]{1,128}$/;
const result = document.getElementById('verify-result');

/** The code from ?code=, else the last segment of /verificatie/<code>. */
function codeFromLocation() {
  const fromQuery = new URLSearchParams(window.location.search).get('code');
  if (fromQuery) return fromQuery.trim();
  const parts = window.location.pathname.split('/').filter(Boolean);
  if (parts.length >= 2 && parts[parts.length - 2] === 'verificatie') {
    try {
      return decodeURIComponent(parts[parts.length - 1]).trim();
    } catch (e) {
      return '';
    }
  }
  return '';
}

function verdict(kind, title, ...body) {
  return el('div', { class: `verdict-box verdict-${kind}`, 'data-verdict': kind, id: 'verdict' },
    el('h2', {}, title), body);
}

function facts(cert) {
  return el('dl', { class: 'facts' },
    el('dt', {}, 'Naam'), el('dd', { id: 'verify-holder' }, cert.holder_name || ''),
    el('dt', {}, 'Module'), el('dd', { id: 'verify-module' }, cert.module_title || ''),
    el('dt', {}, 'Afgerond op'), el('dd', {}, timeEl(cert.issued_at)),
    el('dt', {}, cert.valid ? 'Geldig tot' : 'Verlopen op'), el('dd', {}, timeEl(cert.expires_at)));
}

function unknown() {
  replaceChildren(result, verdict('unknown', 'Onbekende code',
    el('p', {}, 'Er is geen certificaat met deze code. Controleer of de link of code volledig is overgenomen.')));
}

async function start() {
  const code = codeFromLocation();
  document.getElementById('verify-code').value = code;
  if (!code) {
    replaceChildren(result, el('p', {}, 'Vul hieronder de code van het certificaat in.'));
    return;
  }
  if (!CODE_RE.test(code)) {
    unknown();
    return;
  }
  try {
    const cert = await get(`/certificates/${seg(code)}`);
    if (cert.valid) {
      replaceChildren(result, verdict('valid', 'Geldig certificaat',
        el('p', {}, 'Dit certificaat is echt en op dit moment geldig.'), facts(cert)));
    } else {
      replaceChildren(result, verdict('expired', 'Verlopen certificaat',
        el('p', {}, 'Dit certificaat is echt, maar niet meer geldig.'), facts(cert)));
    }
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) {
      unknown();
      return;
    }
    replaceChildren(result, el('p', { class: 'message message-error', role: 'alert' },
      `Het certificaat kon niet worden gecontroleerd. ${describeError(err)}`));
  }
}

start();
