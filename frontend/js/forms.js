// Field errors and the busy state of a form, for the login, account and admin pages:
// a field's error text stands in the element with id "<field id>-error", the field
// gets aria-invalid, and the first invalid field gets the focus.

/** The control called `name` in `form`. */
export function fieldInput(form, name) {
  return form.querySelector(`[name="${name}"]`);
}

/** Shows `text` under field `name`. False when the form shows no such field (then
 *  the caller says it in the form's message). */
export function setFieldError(form, name, text) {
  const input = fieldInput(form, name);
  if (!input || input.type === 'hidden' || input.closest('[hidden]')) return false;
  input.setAttribute('aria-invalid', 'true');
  const box = document.getElementById(`${input.id}-error`);
  if (box) {
    box.textContent = text;
    box.hidden = false;
  }
  return true;
}

/** Clears the error of every field of `form`. */
export function clearFieldErrors(form) {
  for (const input of form.querySelectorAll('input, select')) {
    input.removeAttribute('aria-invalid');
    const box = document.getElementById(`${input.id}-error`);
    if (box) {
      box.hidden = true;
      box.textContent = '';
    }
  }
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
