// Field errors and the busy state of a form, for the login, account and admin pages:
// a field's error text stands in the element with id "<field id>-error", the field
// gets aria-invalid, and the first invalid field gets the focus.

/** The control called `name` in `form`. */
export function fieldInput(form, name) {
  return form.querySelector(`[name="${name}"]`);
}

/** Marks `input` invalid with `text` in its own error box ("<id>-error", which its
 *  aria-describedby names); '' marks it invalid without a text of its own (the
 *  message is elsewhere); null makes it valid again. */
export function showFieldError(input, text) {
  if (text === null) input.removeAttribute('aria-invalid');
  else input.setAttribute('aria-invalid', 'true');
  const box = document.getElementById(`${input.id}-error`);
  if (box) {
    box.textContent = text || '';
    box.hidden = !text;
  }
}

/** For an error shown away from its field (a file's result box): `input` invalid and
 *  described by the element `errorId` as well as by `base` (its hint, ids), or, with
 *  errorId null, valid again and described by `base` alone. */
export function markInvalid(input, errorId, base = '') {
  const describedBy = [base, errorId].filter(Boolean).join(' ');
  if (errorId) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
  if (describedBy) input.setAttribute('aria-describedby', describedBy);
  else input.removeAttribute('aria-describedby');
}

/** Shows `text` under field `name`. False when the form shows no such field (then
 *  the caller says it in the form's message). */
export function setFieldError(form, name, text) {
  const input = fieldInput(form, name);
  if (!input || input.type === 'hidden' || input.closest('[hidden]')) return false;
  showFieldError(input, text);
  return true;
}

/** Clears the error of every field of `form`. */
export function clearFieldErrors(form) {
  for (const input of form.querySelectorAll('input, select')) showFieldError(input, null);
}

export function focusFirstInvalid(form) {
  const bad = form.querySelector('[aria-invalid="true"]');
  if (bad) bad.focus();
}

export const hasErrors = (form) => Boolean(form.querySelector('[aria-invalid="true"]'));

/** True when `form` has a field error; the first invalid field then gets the focus. */
export function stopAtInvalid(form) {
  if (!hasErrors(form)) return false;
  focusFirstInvalid(form);
  return true;
}

/** Runs `fn` with `button` disabled and `busy` (the button itself, or its form)
 *  marked aria-busy. A button that had the keyboard focus gets it back afterwards,
 *  unless `fn` moved it elsewhere: disabling it drops the focus to the page's start. */
export async function withBusyButton(button, fn, busy = button) {
  const hadFocus = document.activeElement === button;
  button.disabled = true;
  busy.setAttribute('aria-busy', 'true');
  try {
    await fn();
  } finally {
    button.disabled = false;
    busy.removeAttribute('aria-busy');
    const now = document.activeElement;
    if (hadFocus && button.isConnected && (!now || now === document.body || now === button)) button.focus();
  }
}

/** Runs `fn` with the form's submit button disabled and the form aria-busy. */
export const withBusy = (form, fn) => withBusyButton(form.querySelector('button[type="submit"]'), fn, form);
