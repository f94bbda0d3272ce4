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

/** Runs `fn` with the form's submit button disabled and the form aria-busy. */
export async function withBusy(form, fn) {
  const button = form.querySelector('button[type="submit"]');
  button.disabled = true;
  form.setAttribute('aria-busy', 'true');
  try {
    await fn();
  } finally {
    button.disabled = false;
    form.removeAttribute('aria-busy');
  }
}
