// The upload form for a CSV file (sent with uploadCsv() of api.js) and its outcome: a
// summary, or every line error of a refused file in a "Regel / Probleem" table.

import { ApiError, NetworkError, uploadCsv } from './api.js';
import { describeError, el, replaceChildren } from './ui.js';
import { formatBytes, formatNumber } from './format.js';
import { markInvalid } from './forms.js';
import { labelId, scrollBox } from './table.js';

/** The `errors` list of a refused upload ([{line, message}]), or []. */
export function lineErrors(err) {
  const list = err && err.body && err.body.error && err.body.error.errors;
  return Array.isArray(list) ? list : [];
}

/** A "Regel / Probleem" table of line errors, sorted by line. */
export function lineErrorTable(errors, caption = 'Fouten in het bestand') {
  const sorted = errors.slice().sort((a, b) => (Number(a.line) || 0) - (Number(b.line) || 0));
  const captionId = labelId('errors-caption');
  return scrollBox(
    el('table', { class: 'data-table error-table' },
      el('caption', { id: captionId }, caption),
      el('thead', {}, el('tr', {},
        el('th', { scope: 'col', class: 'num' }, 'Regel'),
        el('th', { scope: 'col' }, 'Probleem'))),
      el('tbody', {}, sorted.map((e) => el('tr', { 'data-line': e.line ?? '' },
        el('td', { class: 'num' }, e.line === null || e.line === undefined ? '–' : String(e.line)),
        el('td', {}, e.message || 'Onbekende fout'))))),
    captionId);
}

/**
 * Wires the upload form of partials/upload.html whose ids start with `prefix`: the
 * file input in its drop zone, the submit button, the <progress> and status line,
 * and the result area.
 *
 * opts: { maxBytes, path() -> string, what ("De personeelslijst"),
 *         successContent(result) -> node, onSuccess?(result) }
 */
export function setupCsvUpload(prefix, {
  maxBytes, path, what, successContent, onSuccess,
}) {
  const part = (name) => document.getElementById(`${prefix}-${name}`);
  const form = part('form');
  const input = part('file');
  const dropzone = part('dropzone');
  const fileName = part('file-name');
  const progress = part('progress');
  const status = part('status');
  const result = part('result');
  const button = form.querySelector('button[type="submit"]');
  let busy = false;

  const showFileName = () => {
    const file = input.files && input.files[0];
    if (fileName) fileName.textContent = file ? `Gekozen: ${file.name} (${formatBytes(file.size)})` : 'Nog geen bestand gekozen.';
  };
  // An error about the chosen file itself is tied to the file field (aria-invalid and
  // aria-describedby), so a screen reader reads it with the field.
  const errorId = `${prefix}-file-error`;
  const describedBy = input.getAttribute('aria-describedby') || '';
  const markFile = (bad) => markInvalid(input, bad ? errorId : null, describedBy);
  input.addEventListener('change', () => {
    showFileName();
    markFile(false);
    replaceChildren(result);
  });
  showFileName();

  if (dropzone) {
    const over = (e) => {
      e.preventDefault();
      if (!busy) dropzone.classList.add('is-dragover');
    };
    dropzone.addEventListener('dragenter', over);
    dropzone.addEventListener('dragover', over);
    dropzone.addEventListener('dragleave', () => dropzone.classList.remove('is-dragover'));
    dropzone.addEventListener('drop', (e) => {
      e.preventDefault();
      dropzone.classList.remove('is-dragover');
      if (busy || !e.dataTransfer || !e.dataTransfer.files || e.dataTransfer.files.length === 0) return;
      try {
        input.files = e.dataTransfer.files;
      } catch (err) {
        return;
      }
      input.dispatchEvent(new Event('change'));
    });
  }

  const fail = (...content) => replaceChildren(result,
    el('div', { class: 'message message-error', role: 'alert' }, ...content));
  /** An error in the chosen file, found before sending: next to the field, focus on it. */
  const failFile = (text) => {
    replaceChildren(result, el('div', { class: 'message message-error', role: 'alert', id: errorId }, text));
    markFile(true);
    input.focus();
  };

  function setBusy(on, file) {
    busy = on;
    input.disabled = on;
    if (button) button.disabled = on;
    if (on) form.setAttribute('aria-busy', 'true');
    else form.removeAttribute('aria-busy');
    progress.hidden = !on;
    if (on) progress.removeAttribute('value');
    status.textContent = on
      ? `${file.name} (${formatBytes(file.size)}) wordt verstuurd en gecontroleerd. Dit kan bij een groot bestand een minuut duren; sluit deze pagina niet.`
      : '';
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (busy) return;
    const file = input.files && input.files[0];
    if (!file) {
      failFile('Kies eerst een CSV-bestand.');
      return;
    }
    if (file.size === 0) {
      failFile(`Het bestand ${file.name} is leeg. Er is niets veranderd.`);
      return;
    }
    if (file.size > maxBytes) {
      failFile(`Het bestand ${file.name} is ${formatBytes(file.size)}; het mag hoogstens ${formatBytes(maxBytes)} zijn. Er is niets veranderd.`);
      return;
    }
    markFile(false);
    replaceChildren(result);
    setBusy(true, file);
    try {
      const answer = await uploadCsv(path(), file);
      setBusy(false);
      const done = el('div', { class: 'message message-ok', role: 'status', tabindex: '-1' },
        successContent(answer || {}));
      replaceChildren(result, done);
      // The outcome gets the focus, as an error does: it is read out, and the next Tab
      // goes on from there.
      done.focus();
      if (onSuccess) onSuccess(answer || {});
    } catch (err) {
      setBusy(false);
      const errors = lineErrors(err);
      if (err instanceof ApiError && err.status === 400 && errors.length > 0) {
        const n = errors.length;
        replaceChildren(result,
          el('div', { class: 'message message-error', role: 'alert' },
            el('strong', {}, `${what} is niet verwerkt: er is niets veranderd.`), ' ',
            n === 1 ? 'Eén regel bevat een fout.' : `${formatNumber(n)} regels bevatten een fout.`,
            ' Verbeter het bestand en upload het opnieuw.'),
          lineErrorTable(errors));
      } else if (err instanceof ApiError && err.status === 400) {
        fail(el('strong', {}, `${what} is niet verwerkt: er is niets veranderd.`), ' ',
          err.message || 'Het bestand klopt niet.');
      } else if (err instanceof ApiError && err.status === 413) {
        fail(`Het bestand is te groot; het mag hoogstens ${formatBytes(maxBytes)} zijn. Er is niets veranderd.`);
      } else if (err instanceof ApiError && err.status === 415) {
        fail('De server neemt dit bestand niet aan als CSV-bestand. Er is niets veranderd.');
      } else if (err instanceof ApiError && (err.status === 404 || err.status === 405)) {
        fail('Uploaden kan hier (nog) niet: de server kent dit adres niet. Er is niets veranderd.');
      } else if (err instanceof NetworkError) {
        fail('De verbinding viel weg tijdens het uploaden. Misschien is het bestand toch verwerkt: laad de pagina opnieuw om dat te zien, voordat je het nog eens probeert.');
      } else if (err instanceof ApiError && err.status === 401) {
        fail('Je bent niet meer ingelogd. Log opnieuw in en upload het bestand nog eens.');
      } else {
        fail(`${what} is niet verwerkt. ${describeError(err)}`);
      }
      const box = result.querySelector('.message');
      if (box) {
        box.setAttribute('tabindex', '-1');
        box.focus();
      }
    }
  });
}
