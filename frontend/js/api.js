// The HTTP client for /api/v1 (the only module that calls fetch): same-origin requests
// with the session cookie, JSON, raw and CSV bodies, one error type per failure kind. Nothing secret is stored in the browser: the API sets an HttpOnly
// cookie on login and register.

const BASE = '/api/v1';
const DEFAULT_TIMEOUT_MS = 20000;
const UPLOAD_TIMEOUT_MS = 10 * 60 * 1000;

/** The server answered with a 4xx/5xx status. `code` and `fields` come from the
 *  error body `{"error":{"code","message","fields"?}}` when there is one. */
export class ApiError extends Error {
  constructor(status, code, message, fields, body) {
    super(message || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = code || '';
    this.fields = fields || null;
    this.body = body || null;
  }

  /** True for answers that mean "the server or the way to it is down for now":
   *  502/503/504 (nginx without backend, database unreachable, gateway timeout). */
  get transient() {
    return this.status === 502 || this.status === 503 || this.status === 504;
  }
}

/** No answer at all: offline, DNS, connection refused, timeout, aborted. */
export class NetworkError extends Error {
  constructor(message) {
    super(message || 'Geen verbinding');
    this.name = 'NetworkError';
  }
}

/** True when an error means "try again later" rather than "this request is wrong". */
export function isRetryable(err) {
  return err instanceof NetworkError || (err instanceof ApiError && err.transient);
}

// Set by session.js on a logged-in page: on a 401 it lets the user log in again on
// the page and resolves true when the same account is back (see request()).
let reauthenticate = null;

/** `fn()` is asked what to do when a request gets 401: resolve true to send the
 *  request once more, false to let the 401 through. */
export function setReauthenticate(fn) {
  reauthenticate = fn;
}

/**
 * The one way to the API: every request of the frontend goes through here. `body`
 * (optional) is sent as it is (a string, File or Blob, byte for byte) with
 * `contentType`. Resolves with the parsed JSON answer, or null for 204 and other
 * answers without JSON. Rejects with ApiError (its `body` holds the whole error
 * answer) or NetworkError. The session cookie goes along (same origin only); the
 * server checks the Origin header of every change, so there is no token to add.
 *
 * A 401 of a logged-in page (the session ended or was revoked) first goes to the
 * login dialog of session.js, and after the same account logged in again the
 * request is sent once more, so that what the user typed is not lost; not for the
 * /auth/ requests themselves (their 401 means a wrong password), nor with
 * `reauth: false`.
 */
export async function request(method, path, opts = {}) {
  try {
    return await send(method, path, opts);
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 401) || opts.reauth === false
      || !reauthenticate || path.startsWith('/auth/')) throw err;
    if (!(await reauthenticate())) throw err;
    return send(method, path, opts);
  }
}

async function send(method, path, { body, contentType, timeoutMs = DEFAULT_TIMEOUT_MS } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = contentType;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    let res;
    try {
      res = await fetch(BASE + path, {
        method, headers, body, credentials: 'same-origin', cache: 'no-store', signal: controller.signal,
      });
    } catch (e) {
      throw new NetworkError(e && e.name === 'AbortError' ? 'Time-out' : 'Geen verbinding');
    }
    let data = null;
    try {
      const type = res.headers.get('Content-Type') || '';
      if (res.status !== 204 && type.includes('application/json')) data = await res.json();
    } catch (e) {
      // A body that is cut off or not JSON: a half-open connection looks like this.
      if (res.ok) throw new NetworkError('Onvolledig antwoord');
      data = null;
    }
    if (!res.ok) {
      const err = (data && typeof data === 'object' && data.error) || {};
      throw new ApiError(res.status, err.code, err.message, err.fields, data);
    }
    return data;
  } finally {
    clearTimeout(timer);
  }
}

/** Calls the API with `body` (optional) serialised as JSON; see request(). */
export function api(method, path, body, { timeoutMs, reauth } = {}) {
  return body === undefined
    ? request(method, path, { timeoutMs, reauth })
    : request(method, path, { body: JSON.stringify(body), contentType: 'application/json', timeoutMs, reauth });
}

/** Sends `body` as it is (JSON text typed by a trainer, an image, a video) with the
 *  given Content-Type; uploads may take minutes. */
export const sendRaw = (method, path, body, contentType, { timeoutMs = UPLOAD_TIMEOUT_MS, reauth } = {}) =>
  request(method, path, { body, contentType, timeoutMs, reauth });

/** POSTs a CSV file (a File or Blob) as the raw request body, as the roster,
 *  school-register and attendance endpoints take it. */
export const uploadCsv = (path, file, opts) => sendRaw('POST', path, file, 'text/csv', opts);

/** The Content-Type of what `url` (under /api/v1, e.g. scenario media) answers, or
 *  null when it does not answer 2xx. Only the headers are read; the body is left. */
export async function contentTypeOf(url) {
  const controller = new AbortController();
  try {
    const res = await fetch(url, { credentials: 'same-origin', signal: controller.signal });
    controller.abort();
    return res.ok ? (res.headers.get('Content-Type') || '').toLowerCase() : null;
  } catch (e) {
    return null;
  }
}

export const get = (path, opts) => api('GET', path, undefined, opts);
export const post = (path, body, opts) => api('POST', path, body, opts);
export const put = (path, body, opts) => api('PUT', path, body, opts);

/** Path segment escaping for slugs, ids and codes that go into a URL path. */
export const seg = (s) => encodeURIComponent(String(s));
