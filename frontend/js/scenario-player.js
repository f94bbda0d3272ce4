// The role-play player, used by scenario.html (learners) and by the studio's preview
// (trainers): the conversation as speech bubbles, the choices as buttons, feedback after
// each choice, and at the end the outcome and the score the server computed from the
// choices. Every text of a scenario is shown as text (textContent through el()), never
// as HTML: a scenario may contain "<script>" and it must appear literally.

import { ApiError, NetworkError, contentTypeOf, post, seg } from './api.js';
import { describeError, el, goToLogin, replaceChildren } from './ui.js';

/** 0..n-1 in a random order (Fisher-Yates with crypto.getRandomValues). */
export function shuffledIndexes(n) {
  const order = Array.from({ length: n }, (_, i) => i);
  const rnd = new Uint32Array(1);
  for (let i = n - 1; i > 0; i--) {
    // Rejection sampling keeps every position equally likely.
    const limit = Math.floor(0x100000000 / (i + 1)) * (i + 1);
    let r;
    do {
      crypto.getRandomValues(rnd);
      r = rnd[0];
    } while (r >= limit);
    const j = r % (i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

const MAX_STEPS = 1000; // as the server: at most 1000 choices in one attempt
const NARRATORS = new Set(['verteller', 'verteler', 'vertelster', 'narrator']);
const MEDIA_ID_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

// media_id -> Promise<'image'|'audio'|'video'|null>; the type comes from the server's
// Content-Type (the document only holds the id).
const mediaKinds = new Map();

function mediaKind(url) {
  if (!mediaKinds.has(url)) {
    // Only the headers are needed; the element loads the file itself.
    mediaKinds.set(url, contentTypeOf(url).then((type) => {
      if (type === null) return null;
      if (type.startsWith('image/')) return 'image';
      if (type.startsWith('audio/')) return 'audio';
      if (type.startsWith('video/')) return 'video';
      return null;
    }));
  }
  return mediaKinds.get(url);
}

/** A figure for a node's media: a plain link first, the image or player once the
 *  type is known. */
function mediaFigure(mediaId) {
  const url = `/api/v1/media/${encodeURIComponent(mediaId)}`;
  const link = el('a', { href: url, class: 'media-link', target: '_blank', rel: 'noopener' },
    'Bijlage openen');
  const figure = el('figure', { class: 'bubble-media', 'data-media-id': mediaId }, link);
  mediaKind(url).then((kind) => {
    if (kind === 'image') {
      replaceChildren(figure, el('img', { src: url, alt: 'Afbeelding bij dit deel van het gesprek', loading: 'lazy' }));
    } else if (kind === 'audio') {
      replaceChildren(figure, el('audio', { src: url, controls: true, preload: 'metadata' },
        el('a', { href: url }, 'Geluidsfragment openen')));
    } else if (kind === 'video') {
      replaceChildren(figure, el('video', { src: url, controls: true, preload: 'metadata' },
        el('a', { href: url }, 'Video openen')));
    }
  });
  return figure;
}

function pointsText(score) {
  const s = Number(score) || 0;
  if (s === 1 || s === -1) return `${s > 0 ? '+' : '−'}1 punt`;
  if (s > 0) return `+${s} punten`;
  if (s < 0) return `−${Math.abs(s)} punten`;
  return '0 punten';
}

function scoreText(score) {
  const s = Number(score) || 0;
  return `${s} ${Math.abs(s) === 1 ? 'punt' : 'punten'}`;
}

/**
 * Renders a player for scenario `id` into `root`.
 * opts: {
 *   doc: the scenario document,
 *   version: the version being played (shown in the preview),
 *   preview: true in the studio (a note that this is how learners see it),
 *   headingLevel: 1 on its own page, 3 inside the studio,
 *   reload?(): async, returns { doc, version } after the server refused an attempt
 *              because the scenario changed,
 *   onFinish?(result): after a recorded attempt,
 * }
 * Returns { restart(), element }.
 */
export function createScenarioPlayer(root, opts) {
  const { id, preview = false, headingLevel = 1, reload = null, onFinish = null } = opts;
  let doc = opts.doc || {};
  let version = opts.version;
  const uid = `sp-${Math.random().toString(36).slice(2, 8)}`;

  const titleEl = el(`h${headingLevel}`, { class: 'scenario-title', id: `${uid}-title`, tabindex: '-1' });
  const summaryEl = el('p', { class: 'scenario-summary' });
  const note = el('p', { class: 'scenario-note' });
  const chat = el('ol', { class: 'chat', 'aria-label': 'Gesprek' });
  const choiceArea = el('div', { class: 'chat-choices' });
  const endArea = el('section', { class: 'scenario-end', hidden: true });
  // The focus goes to the feedback of a choice; this live region reads out the line of
  // the conversation that follows it (and the outcome at the end), so a screen reader
  // user hears what happened without looking for it (WCAG 4.1.3).
  const announcer = el('p', { class: 'visually-hidden scenario-announce', role: 'status' });
  const element = el('div', { class: 'scenario-player', 'data-scenario-id': String(id) },
    titleEl, summaryEl, note, chat, choiceArea, endArea, announcer);
  replaceChildren(root, element);

  const state = { node: null, choices: [], steps: 0, busy: false, finished: false };

  function nodes() {
    return doc && typeof doc.nodes === 'object' && doc.nodes !== null ? doc.nodes : {};
  }

  function bubble(node, nodeId) {
    const speaker = typeof node.speaker === 'string' && node.speaker ? node.speaker : '';
    const narrator = NARRATORS.has(speaker.trim().toLowerCase());
    const item = el('li', {
      class: `bubble ${narrator ? 'bubble-narrator' : 'bubble-them'}`,
      'data-node': nodeId,
    },
    speaker ? el('p', { class: 'bubble-speaker' }, speaker) : null,
    el('p', { class: 'bubble-text' }, typeof node.text === 'string' ? node.text : ''));
    if (typeof node.media === 'string' && MEDIA_ID_RE.test(node.media)) {
      item.append(mediaFigure(node.media));
    }
    return item;
  }

  function showNode(nodeId) {
    const node = nodes()[nodeId];
    state.node = nodeId;
    if (!node || typeof node !== 'object') {
      replaceChildren(choiceArea, el('p', { class: 'message message-error', role: 'alert' },
        'Dit rollenspel kan hier niet verder: het volgende deel ontbreekt.'));
      return null;
    }
    const item = bubble(node, nodeId);
    chat.append(item);
    const choices = Array.isArray(node.choices) ? node.choices : [];
    if (choices.length === 0) {
      replaceChildren(choiceArea);
      finish(node);
      return item;
    }
    if (state.steps >= MAX_STEPS) {
      replaceChildren(choiceArea, el('p', { class: 'message message-error', role: 'alert' },
        `Na ${MAX_STEPS} keuzes stopt het gesprek. Begin opnieuw.`));
      endArea.hidden = false;
      replaceChildren(endArea, replayButton());
      return item;
    }
    const promptId = `${uid}-prompt-${state.steps}`;
    const list = el('ol', { class: 'choice-list' });
    // A new order on every play, so that the best choice is not always in the
    // same place; each button keeps the original index, which is what the
    // server grades and counts (GET /scenarios/{id}/stats).
    shuffledIndexes(choices.length).forEach((index) => {
      const c = choices[index];
      const button = el('button', {
        type: 'button',
        class: 'choice-button',
        'data-index': index,
      }, (c && typeof c.text === 'string') ? c.text : `Keuze ${index + 1}`);
      button.addEventListener('click', () => choose(index));
      list.append(el('li', {}, button));
    });
    replaceChildren(choiceArea,
      el('div', { role: 'group', 'aria-labelledby': promptId, class: 'choice-group' },
        el('p', { class: 'choice-prompt', id: promptId }, 'Wat doe of zeg je?'),
        list));
    return item;
  }

  function choose(index) {
    if (state.busy || state.finished) return;
    const node = nodes()[state.node];
    const choice = node && Array.isArray(node.choices) ? node.choices[index] : null;
    if (!choice) return;
    state.choices.push(index);
    state.steps += 1;

    chat.append(el('li', { class: 'bubble bubble-me', 'data-choice': index },
      el('p', { class: 'bubble-speaker' }, 'Jij'),
      el('p', { class: 'bubble-text' }, typeof choice.text === 'string' ? choice.text : '')));
    const score = Number(choice.score) || 0;
    const kind = score > 0 ? 'good' : (score < 0 ? 'bad' : 'neutral');
    const feedback = el('li', {
      class: `chat-feedback chat-feedback-${kind}`,
      tabindex: '-1',
      'data-score': String(score),
    },
    el('p', { class: 'chat-feedback-head' },
      el('span', { class: 'visually-hidden' }, 'Terugkoppeling: '),
      el('span', { class: 'chat-points' }, pointsText(score))),
    typeof choice.feedback === 'string' && choice.feedback
      ? el('p', { class: 'chat-feedback-text' }, choice.feedback) : null);
    chat.append(feedback);

    const nextId = typeof choice.next === 'string' ? choice.next : '';
    showNode(nextId);
    announcer.textContent = lineText(nodes()[nextId]);
    // Read on from the feedback: it is followed by the next part of the conversation
    // and then by the new choices, or by the outcome and "Opnieuw spelen".
    feedback.focus({ preventScroll: true });
    feedback.scrollIntoView({ block: 'start' });
  }

  /** "Moeder van Sam zegt: …" (a narrator's text as it is), at an end "Afloop: …" after it. */
  function lineText(node) {
    if (!node || typeof node !== 'object') return 'Dit rollenspel kan hier niet verder: het volgende deel ontbreekt.';
    const speaker = typeof node.speaker === 'string' && node.speaker.trim() ? node.speaker.trim() : '';
    const text = typeof node.text === 'string' ? node.text : '';
    const line = speaker && !NARRATORS.has(speaker.toLowerCase()) ? `${speaker} zegt: ${text}` : text;
    const ends = !Array.isArray(node.choices) || node.choices.length === 0;
    return ends && typeof node.outcome === 'string' ? `${line} Afloop: ${node.outcome}` : line;
  }

  function replayButton() {
    const b = el('button', { type: 'button', class: 'button button-primary replay-button' },
      'Opnieuw spelen');
    b.addEventListener('click', () => restart({ focus: true }));
    return b;
  }

  async function finish(node) {
    state.finished = true;
    const headingId = `${uid}-end`;
    const heading = el(`h${Math.min(6, headingLevel + 1)}`, { id: headingId, tabindex: '-1' }, 'Afloop');
    const outcome = el('p', { class: 'scenario-outcome' },
      typeof node.outcome === 'string' ? node.outcome : '');
    const score = el('p', { class: 'scenario-score', 'aria-live': 'polite' }, 'Je score wordt berekend…');
    const message = el('div', { class: 'message message-error', role: 'alert', hidden: true });
    const actions = el('p', { class: 'actions' }, replayButton());
    endArea.hidden = false;
    endArea.setAttribute('aria-labelledby', headingId);
    replaceChildren(endArea, heading, outcome, score, message, actions);
    await submit({
      heading, outcome, score, message, actions,
    });
  }

  async function submit(parts) {
    state.busy = true;
    const {
      heading, outcome, score, message, actions,
    } = parts;
    message.hidden = true;
    try {
      const res = await post(`/scenarios/${seg(id)}/attempts`, { choices: state.choices });
      if (res && typeof res.outcome === 'string') outcome.textContent = res.outcome;
      score.textContent = '';
      score.append('Je score: ', el('strong', { class: 'score-value' }, scoreText(res && res.score)));
      score.dataset.score = String(res && res.score);
      element.dataset.finished = 'true';
      if (onFinish) onFinish(res);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) { goToLogin(); return; }
      score.textContent = 'Je score is niet opgeslagen.';
      if (err instanceof ApiError && err.status === 400) {
        message.textContent = 'Dit rollenspel is intussen gewijzigd, daarom telt deze ronde niet. Speel het opnieuw.';
        if (reload) {
          try {
            const fresh = await reload();
            if (fresh && fresh.doc) {
              doc = fresh.doc;
              version = fresh.version;
            }
          } catch (e) { /* "Opnieuw spelen" still works with what we have */ }
        }
      } else {
        message.textContent = err instanceof NetworkError || (err instanceof ApiError && err.transient)
          ? 'Je keuzes konden niet worden verstuurd, omdat er geen verbinding is. Probeer het opnieuw zodra je weer online bent.'
          : `Je keuzes konden niet worden verstuurd. ${describeError(err)}`;
        const retry = el('button', { type: 'button', class: 'button' }, 'Opnieuw versturen');
        retry.addEventListener('click', () => {
          // The button goes away: the focus goes to the heading of the end, not lost to
          // the page (WCAG 2.4.3); the score line is live and says what follows.
          heading.focus({ preventScroll: true });
          retry.remove();
          score.textContent = 'Je score wordt berekend…';
          submit(parts);
        });
        actions.prepend(retry);
      }
      message.hidden = false;
    } finally {
      state.busy = false;
    }
  }

  function restart({ focus = false } = {}) {
    state.node = null;
    state.choices = [];
    state.steps = 0;
    state.busy = false;
    state.finished = false;
    delete element.dataset.finished;
    titleEl.textContent = typeof doc.title === 'string' && doc.title ? doc.title : 'Rollenspel';
    summaryEl.textContent = typeof doc.summary === 'string' ? doc.summary : '';
    summaryEl.hidden = !summaryEl.textContent;
    note.textContent = preview
      ? `Voorbeeld van versie ${version}: zo ziet een deelnemer dit rollenspel. Je keuzes tellen mee in de statistieken van deze versie.`
      : 'Lees wat er gebeurt en kies steeds wat jij zou doen. Na elke keuze krijg je uitleg. Je kunt het rollenspel zo vaak spelen als je wilt.';
    replaceChildren(chat);
    replaceChildren(choiceArea);
    replaceChildren(endArea);
    endArea.hidden = true;
    announcer.textContent = '';
    const start = typeof doc.start === 'string' ? doc.start : '';
    showNode(start);
    if (focus) {
      titleEl.focus({ preventScroll: true });
      titleEl.scrollIntoView({ block: 'start' });
    }
  }

  restart();
  return { restart, element };
}
