// Outbox for section progress, so that bad Wi-Fi or a closed laptop lid loses nothing.
//
// Every "section done" goes into a queue in localStorage first (key per user id; only
// the module slug and section id, nothing secret) and is then sent with
// PUT /modules/{slug}/sections/{id}. An item leaves the queue when the server accepts it
// (2xx) or refuses it for good (4xx other than 401). A network failure or 5xx keeps it
// and schedules a retry with backoff; the queue is also flushed on the `online` event,
// when the page becomes visible again, and on page load (start()). A 401 keeps the queue
// and reports that a new login is needed.

import { ApiError, NetworkError, put, seg } from './api.js';

const KEY_PREFIX = 'hgkm.progress-queue.v1.';
const FIRST_RETRY_MS = 2000;
const MAX_RETRY_MS = 60000;
const PUT_TIMEOUT_MS = 15000;
const ID_RE = /^[A-Za-z0-9_-]{1,128}$/;

export class ProgressQueue {
  /**
   * @param {number|string} userId  the logged-in user's id (one queue per user)
   * @param {object} hooks
   *   onChange({pending, offline}): called whenever the queue or the connection state
   *     changes; `offline` is true while the last attempt failed for network reasons.
   *   onAuthRequired(): the server answered 401; the queue is kept.
   */
  constructor(userId, { onChange, onAuthRequired } = {}) {
    this.key = KEY_PREFIX + String(userId);
    this.onChange = onChange || (() => {});
    this.onAuthRequired = onAuthRequired || (() => {});
    this.offline = false;
    this.failures = 0;
    this.timer = null;
    this.running = null;
    this.again = false;
    this.memory = [];   // used only when localStorage is not available
    this.started = false;
  }

  /** The queued items, oldest first: [{slug, section}]. */
  items() {
    let raw = null;
    try {
      raw = window.localStorage.getItem(this.key);
    } catch (e) {
      return this.memory.slice();
    }
    if (!raw) return [];
    try {
      const list = JSON.parse(raw);
      if (!Array.isArray(list)) return [];
      return list.filter((it) => it && ID_RE.test(it.slug) && ID_RE.test(it.section));
    } catch (e) {
      return [];
    }
  }

  save(list) {
    try {
      if (list.length === 0) window.localStorage.removeItem(this.key);
      else window.localStorage.setItem(this.key, JSON.stringify(list));
    } catch (e) {
      this.memory = list.slice();
    }
  }

  get pending() {
    return this.items().length;
  }

  has(slug, section) {
    return this.items().some((it) => it.slug === slug && it.section === section);
  }

  /** Section ids of `slug` that are queued (done locally, not yet on the server). */
  sectionsFor(slug) {
    return new Set(this.items().filter((it) => it.slug === slug).map((it) => it.section));
  }

  /** Queues "section done" and tries to send it. Resolves like flush(). */
  add(slug, section) {
    const slugStr = String(slug);
    const sectionStr = String(section);
    if (!ID_RE.test(slugStr) || !ID_RE.test(sectionStr)) {
      return Promise.resolve({ state: 'ok', pending: this.pending });
    }
    if (!this.has(slugStr, sectionStr)) {
      const list = this.items();
      list.push({ slug: slugStr, section: sectionStr });
      this.save(list);
      this.notify();
    }
    return this.flush();
  }

  remove(item) {
    this.save(this.items().filter((it) => !(it.slug === item.slug && it.section === item.section)));
  }

  notify() {
    this.onChange({ pending: this.pending, offline: this.offline });
  }

  /**
   * Sends everything queued, in order. Resolves with {state, pending} where state is
   * 'ok' (queue empty), 'offline' (network or server trouble; a retry is scheduled) or
   * 'auth' (401: log in again). Concurrent calls share one run.
   */
  flush() {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      let result;
      do {
        this.again = false;
        result = await this.flushOnce();
      } while (this.again && result.state === 'ok');
      return result;
    })().finally(() => { this.running = null; });
    return this.running;
  }

  async flushOnce() {
    for (const item of this.items()) {
      try {
        await put(`/modules/${seg(item.slug)}/sections/${seg(item.section)}`, undefined,
          { timeoutMs: PUT_TIMEOUT_MS });
        this.remove(item);
        this.notify();
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) {
          this.clearTimer();
          this.onAuthRequired();
          return { state: 'auth', pending: this.pending };
        }
        if (err instanceof NetworkError || (err instanceof ApiError && err.status >= 500)) {
          this.failures += 1;
          this.offline = true;
          this.scheduleRetry();
          this.notify();
          return { state: 'offline', pending: this.pending };
        }
        // Any other 4xx: the server will never accept this item (unknown module or
        // section, no access). Drop it so it does not block the rest.
        this.remove(item);
        this.notify();
      }
    }
    this.failures = 0;
    this.clearTimer();
    if (this.offline) {
      this.offline = false;
    }
    this.notify();
    return { state: 'ok', pending: 0 };
  }

  clearTimer() {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }

  scheduleRetry() {
    this.clearTimer();
    const base = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, this.failures - 1));
    const delay = Math.round(base * (0.8 + Math.random() * 0.4));
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
    }, delay);
  }

  /** Listens for `online` and for the page becoming visible, and flushes now. */
  start() {
    if (!this.started) {
      this.started = true;
      window.addEventListener('online', () => {
        this.failures = 0;
        this.flush();
      });
      document.addEventListener('visibilitychange', () => {
        if (document.visibilityState === 'visible' && this.pending > 0) this.flush();
      });
    }
    return this.flush();
  }
}
