// certificate.html?code=<code>: a printable certificate from the public
// GET /certificates/{code}, with print, PDF download and the verification link.

import { ApiError, get, seg } from './api.js';
import { currentUser, el, replaceChildren, renderUserNav, showPageError, timeEl } from './ui.js';

const CODE_RE = /^[A-Za-z0-9_-]{1,128}$/;
const $id = (id) => document.getElementById(id);
const main = $id('main');

function notFound() {
  replaceChildren(main,
    el('h1', {}, 'Certificaat niet gevonden'),
    el('p', {}, 'Er is geen certificaat met deze code. Controleer of je de link volledig hebt overgenomen.'),
    el('p', {}, el('a', { href: '/modules.html' }, 'Ga naar Mijn modules')));
}

async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  throw new Error('no clipboard');
}

async function start() {
  const code = new URLSearchParams(window.location.search).get('code') || '';
  // The header shows who is logged in, if anyone; the certificate itself is public.
  currentUser().then((user) => { if (user) renderUserNav(user); });

  if (!CODE_RE.test(code)) {
    notFound();
    return;
  }

  let cert;
  try {
    cert = await get(`/certificates/${seg(code)}`);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) {
      notFound();
      return;
    }
    showPageError(main, err, 'Het certificaat kon niet worden geladen');
    return;
  }

  const verifyUrl = `${window.location.origin}/verificatie/${encodeURIComponent(code)}`;
  $id('cert-holder').textContent = cert.holder_name || '';
  $id('cert-module').textContent = cert.module_title || '';
  replaceChildren($id('cert-issued'), timeEl(cert.issued_at));
  replaceChildren($id('cert-expires'), timeEl(cert.expires_at));
  const link = $id('verify-link');
  link.href = verifyUrl;
  link.textContent = verifyUrl;
  $id('pdf-link').href = `/api/v1/certificates/${seg(code)}/pdf`;
  $id('pdf-link').setAttribute('download', `certificaat-${code.slice(0, 12)}.pdf`);
  $id('certificate-expired').hidden = cert.valid !== false;
  document.title = `Certificaat ${cert.module_title || ''} – ${cert.holder_name || ''}`;

  $id('print-button').addEventListener('click', () => window.print());

  const copyStatus = $id('copy-status');
  $id('copy-button').addEventListener('click', async () => {
    try {
      await copyText(verifyUrl);
      copyStatus.textContent = 'De link is gekopieerd.';
    } catch (e) {
      const range = document.createRange();
      range.selectNodeContents(link);
      const sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
      copyStatus.textContent = 'Kopiëren lukte niet automatisch. De link is geselecteerd: kopieer hem met Ctrl+C (of Cmd+C).';
    }
  });

  $id('certificate-loading').hidden = true;
  $id('certificate-page').hidden = false;
}

start();
