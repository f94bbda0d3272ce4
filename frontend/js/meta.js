// The domain lists (roles, learner roles, package items, statuses) as the server
// defines them (GET /api/v1/meta, from backend/src/domain.c): pages read them here
// instead of keeping their own copies. Fetched at most once per page.

import { get } from './api.js';

const LISTS = ['roles', 'learner_roles', 'package_items', 'statuses'];

let pending = null;

/** Keeps the lists' well-formed items ({code, label}, both strings), in the
 *  server's order, so that a page can rely on the shape. */
function normalise(data) {
  const meta = {};
  for (const name of LISTS) {
    const list = data && Array.isArray(data[name]) ? data[name] : [];
    meta[name] = list.filter((item) => item && typeof item.code === 'string' && typeof item.label === 'string')
      .map(({ code, label }) => ({ code, label }));
  }
  return meta;
}

/**
 * Resolves with `{roles, learner_roles, package_items, statuses}`, each an array of
 * `{code, label}` (label in Dutch) in the order pages show them; rejects like api.js.
 * The first call fetches, later calls share its answer; after a failure the next
 * call tries again. A page may call it early (before it needs the lists) so that
 * the request runs alongside its others: a failure then waits for the page to ask.
 */
export function loadMeta() {
  if (!pending) {
    pending = get('/meta').then(normalise);
    pending.catch(() => { pending = null; });
  }
  return pending;
}

/** The item of `list` with this code, or undefined. */
export const findItem = (list, code) => list.find((item) => item.code === code);

/** The Dutch label of `code` in `list`; the code itself when the list lacks it. */
export function labelOf(list, code) {
  const item = findItem(list, code);
  return item ? item.label : (code ?? '');
}

/** labelOf() for the middle of a sentence: "als intern begeleider". */
export function labelInSentence(list, code) {
  const label = labelOf(list, code);
  return label.charAt(0).toLowerCase() + label.slice(1);
}
