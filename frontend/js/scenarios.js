// scenarios.html ("Rollenspellen"): the published role-plays for the caller's role,
// each with a link to the player. Titles and summaries are shown as text.

import { get } from './api.js';
import {
  describeError, el, goToLogin, replaceChildren, startPage, timeEl,
} from './ui.js';

const list = document.getElementById('scenario-list');
const loading = document.getElementById('scenarios-loading');
const errorBox = document.getElementById('scenarios-error');

function scenarioCard(s) {
  const titleId = `scenario-${s.id}-title`;
  const title = s.title || 'Rollenspel zonder titel';
  const draft = !(Number(s.published_version) > 0);
  return el('li', { class: 'card', 'data-scenario-id': String(s.id) },
    el('h2', { id: titleId }, title),
    s.summary ? el('p', { class: 'summary' }, s.summary) : null,
    draft || s.updated_at
      ? el('p', { class: 'meta' },
        draft ? el('span', { class: 'status' }, 'Concept (alleen voor jou zichtbaar)') : null,
        !draft && s.updated_at ? ['Bijgewerkt op ', timeEl(s.updated_at)] : null)
      : null,
    el('div', { class: 'card-actions' },
      el('a', { class: 'button button-primary', href: `/scenario.html?id=${encodeURIComponent(s.id)}` },
        'Spelen', el('span', { class: 'visually-hidden' }, `: ${title}`))));
}

async function main() {
  const user = await startPage(document.getElementById('main'));
  if (!user) return;
  try {
    const scenarios = await get('/scenarios');
    loading.hidden = true;
    // A trainer's own drafts can be played in the studio, not here.
    const playable = (Array.isArray(scenarios) ? scenarios : [])
      .filter((s) => Number(s.published_version) > 0 || s.status === 'published');
    if (playable.length === 0) {
      replaceChildren(list, el('li', { class: 'panel' },
        'Er staan nog geen rollenspellen voor je klaar.'));
      return;
    }
    replaceChildren(list, playable.map(scenarioCard));
  } catch (err) {
    if (err && err.status === 401) { goToLogin(); return; }
    loading.hidden = true;
    errorBox.textContent = `De rollenspellen konden niet worden geladen. ${describeError(err)}`;
    errorBox.hidden = false;
  }
}

main();
