// scenario.html?id=N: plays one role-play (the published version) with the shared
// player component.

import { ApiError, get, seg } from './api.js';
import { createScenarioPlayer } from './scenario-player.js';
import {
  el, goToLogin, replaceChildren, showPageError, startPage,
} from './ui.js';

const ID_RE = /^[1-9][0-9]{0,17}$/;
const SLUG_RE = /^[a-z0-9][a-z0-9-]{0,63}$/;
const main = document.getElementById('main');
const root = document.getElementById('scenario-root');
const loading = document.getElementById('scenario-loading');

function notFound() {
  replaceChildren(main,
    el('h1', {}, 'Rollenspel niet gevonden'),
    el('p', {}, 'Dit rollenspel bestaat niet of is niet voor jou bedoeld. ',
      el('a', { href: '/scenarios.html' }, 'Ga naar Rollenspellen'), '.'));
}

async function load(id) {
  const res = await get(`/scenarios/${seg(id)}`);
  return { doc: res && res.document ? res.document : {}, version: res && res.version };
}

async function start() {
  const params = new URLSearchParams(window.location.search);
  const id = params.get('id') || '';
  // Opened from a module section (scenario.html?id=N&module=<slug>): lead back there.
  const moduleSlug = SLUG_RE.test(params.get('module') || '') ? params.get('module') : null;
  const moduleHref = moduleSlug ? `/module.html?slug=${encodeURIComponent(moduleSlug)}` : null;
  if (moduleHref) {
    const back = document.getElementById('back-link');
    back.href = moduleHref;
    back.textContent = 'Terug naar de module';
  }
  if (!ID_RE.test(id)) {
    notFound();
    return;
  }
  const user = await startPage(main);
  if (!user) return;

  let first;
  try {
    first = await load(id);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) { goToLogin(); return; }
    if (err instanceof ApiError && err.status === 404) { notFound(); return; }
    showPageError(main, err, 'Het rollenspel kon niet worden geladen');
    return;
  }
  loading.hidden = true;
  if (typeof first.doc.title === 'string' && first.doc.title) {
    document.title = `${first.doc.title} – Rollenspel`;
  }
  createScenarioPlayer(root, {
    id,
    doc: first.doc,
    version: first.version,
    headingLevel: 1,
    reload: () => load(id),
    onFinish: () => {
      if (!moduleHref) return;
      const actions = root.querySelector('.scenario-end .actions');
      if (actions && !actions.querySelector('.module-back')) {
        actions.append(el('a', { class: 'button module-back', href: moduleHref }, 'Verder met de module'));
      }
    },
  });
}

start();
