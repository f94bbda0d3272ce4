// Sending a body as it is (JSON text typed by a trainer, an image, a video) instead of
// an object that api() would serialise. Same errors as api() in api.js: ApiError with
// `body` holding the whole error answer, or NetworkError.

import { ApiError, NetworkError } from './api.js';

const BASE = '/api/v1';

/**
 * `method` `path` with `body` (a string, File or Blob, sent byte for byte) and the
 * given Content-Type. Resolves with the parsed JSON answer, or null without one.
 */
export async function sendRaw(method, path, body, contentType,
  { timeoutMs = 10 * 60 * 1000 } = {}) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  let res;
  try {
    res = await fetch(BASE + path, {
      method,
      headers: { Accept: 'application/json', 'Content-Type': contentType },
      body,
      credentials: 'same-origin',
      cache: 'no-store',
      signal: controller.signal,
    });
  } catch (e) {
    clearTimeout(timer);
    throw new NetworkError(e && e.name === 'AbortError' ? 'Time-out' : 'Geen verbinding');
  }
  let data = null;
  try {
    const type = res.headers.get('Content-Type') || '';
    if (res.status !== 204 && type.includes('application/json')) data = await res.json();
  } catch (e) {
    clearTimeout(timer);
    if (res.ok) throw new NetworkError('Onvolledig antwoord');
    data = null;
  }
  clearTimeout(timer);
  if (!res.ok) {
    const err = (data && typeof data === 'object' && data.error) || {};
    throw new ApiError(res.status, err.code, err.message, err.fields, data);
  }
  return data;
}
