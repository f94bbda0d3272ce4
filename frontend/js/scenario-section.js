// A role-play inside a module section (a section whose API object has
// "scenario": {"id","slug"}): loads the published scenario and plays it with the shared
// player. The server counts the section as done when an attempt reaches an end, so the
// module player must not mark such a section done itself (PUT answers 409 there).
//
// Use from the module player (js/player.js), after the section body is shown:
//   if (s.scenario) mountScenarioSection(ui.sectionBody, s.scenario,
//     { onFinish: () => { state.done.add(s.id); renderNav(); renderProgress(); } });

import { ApiError, get, seg } from './api.js';
import { createScenarioPlayer } from './scenario-player.js';
import { describeError, el } from './ui.js';

/**
 * Appends the role-play to `container`. `scenario`: { id, slug } from the section.
 * opts: { onFinish?(result) after a recorded attempt, headingLevel (default 3) }.
 * Resolves with the player ({ restart, element }) or null when it could not be loaded
 * (a message is shown instead).
 */
export async function mountScenarioSection(container, scenario, { onFinish = null, headingLevel = 3 } = {}) {
  const box = el('div', { class: 'scenario-section', 'data-scenario-id': String(scenario && scenario.id) },
    el('p', { class: 'loading', role: 'status' }, 'Het rollenspel wordt geladen…'));
  container.append(box);
  if (!scenario || scenario.id === undefined || scenario.id === null) {
    box.replaceChildren(el('p', { class: 'message message-error', role: 'alert' },
      'Het rollenspel van dit onderdeel is (nog) niet beschikbaar.'));
    return null;
  }
  const load = async () => {
    const res = await get(`/scenarios/${seg(scenario.id)}`);
    return { doc: (res && res.document) || {}, version: res && res.version };
  };
  try {
    const first = await load();
    return createScenarioPlayer(box, {
      id: scenario.id, doc: first.doc, version: first.version, headingLevel, reload: load, onFinish,
    });
  } catch (err) {
    box.replaceChildren(el('p', { class: 'message message-error', role: 'alert' },
      err instanceof ApiError && err.status === 404
        ? 'Het rollenspel van dit onderdeel is (nog) niet gepubliceerd.'
        : `Het rollenspel kon niet worden geladen. ${describeError(err)}`));
    return null;
  }
}
