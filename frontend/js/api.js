// HTTP client for /api/v1: same-origin fetch with the session cookie, one error type
// per failure kind. Nothing secret is stored in the browser: the API sets an HttpOnly
// cookie on login and register.

const BASE = '/api/v1';
const DEFAULT_TIMEOUT_MS = 20000;

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

/**
 * Calls the API. `body` (optional) is sent as JSON. Resolves with the parsed JSON body,
 * or null for 204 and other bodiless answers. Rejects with ApiError or NetworkError.
 */
export async function api(method, path, body, { timeoutMs = DEFAULT_TIMEOUT_MS } = {}) {
  const headers = { Accept: 'application/json' };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const controller = new AbortController();
  init.signal = controller.signal;
  const timer = setTimeout(() => controller.abort(), timeoutMs);

  let res;
  try {
    res = await fetch(BASE + path, init);
  } catch (e) {
    clearTimeout(timer);
    throw new NetworkError(e && e.name === 'AbortError' ? 'Time-out' : 'Geen verbinding');
  }

  let data = null;
  try {
    const type = res.headers.get('Content-Type') || '';
    if (res.status !== 204 && type.includes('application/json')) {
      data = await res.json();
    }
  } catch (e) {
    // A body that is cut off or not JSON: a half-open connection looks like this.
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

export const get = (path, opts) => api('GET', path, undefined, opts);
export const post = (path, body, opts) => api('POST', path, body, opts);
export const put = (path, body, opts) => api('PUT', path, body, opts);

/** Path segment escaping for slugs, ids and codes that go into a URL path. */
export const seg = (s) => encodeURIComponent(String(s));
