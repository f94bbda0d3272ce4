// Reads the right quiz answers from a module's content file: the choices marked
// `"correct": true`. The layout of module.json is the content team's, so this looks for
// the questions wherever they are (quiz.questions, questions, or any array of objects
// with `choices`) instead of assuming one shape.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

function findQuestionArrays(node, out, depth = 0) {
  if (!node || typeof node !== 'object' || depth > 8) return;
  if (Array.isArray(node)) {
    if (node.length && node.every((q) => q && typeof q === 'object' && Array.isArray(q.choices))) {
      out.push(node);
      return;
    }
    for (const item of node) findQuestionArrays(item, out, depth + 1);
    return;
  }
  for (const value of Object.values(node)) findQuestionArrays(value, out, depth + 1);
}

/** {pass_mark, questions:[{id, text, multiple, explanation, choices:[{id, text, correct}]}]} */
export function extractQuiz(doc) {
  const arrays = [];
  findQuestionArrays(doc, arrays);
  const questions = (arrays[0] || []).map((q, qi) => ({
    id: q.id !== undefined ? String(q.id) : `q${qi + 1}`,
    text: String(q.text ?? q.question ?? ''),
    multiple: Boolean(q.multiple),
    explanation: String(q.explanation ?? ''),
    choices: q.choices.map((c, ci) => ({
      id: c.id !== undefined ? String(c.id) : null,
      text: String(c.text ?? c.label ?? ''),
      correct: c.correct === true,
      index: ci,
    })),
  }));
  const passMark = (doc && (doc.pass_mark ?? (doc.quiz && doc.quiz.pass_mark))) ?? null;
  return { pass_mark: passMark, questions };
}

/** The right answers as {"<question_id>": ["<choice_id>", ...]}, from a parsed document. */
export function answersFromDoc(doc) {
  const answers = {};
  for (const q of extractQuiz(doc).questions) {
    answers[q.id] = q.choices.filter((c) => c.correct).map((c) => c.id ?? c.text);
  }
  return answers;
}

/**
 * The quiz of content/modules/<slug>/ in the repository at `root`: module.json, or a
 * quiz.json next to it when module.json has no questions. Null when neither has any.
 */
export function quizFromRepo(root, slug) {
  const dir = join(root, 'content', 'modules', slug);
  for (const name of ['module.json', 'quiz.json']) {
    const file = join(dir, name);
    if (!existsSync(file)) continue;
    const quiz = extractQuiz(JSON.parse(readFileSync(file, 'utf8')));
    if (quiz.questions.length) return { file, ...quiz };
  }
  return null;
}

/**
 * Answers to a started attempt ({questions:[{id, choices:[{id, text}]}]}) from the bank
 * of quizFromRepo: the attempt shows its own choice ids ("1".."n"), so the bank's choices
 * are matched by text. right: every correct choice; else one wrong choice per question.
 */
export function answersForAttempt(bank, attempt, right) {
  const answers = {};
  for (const q of attempt.questions) {
    const cq = bank.questions.find((c) => c.id === String(q.id));
    if (!cq) throw new Error(`question ${q.id} of the attempt is not in ${bank.file}`);
    const wanted = right ? cq.choices.filter((c) => c.correct) : cq.choices.filter((c) => !c.correct).slice(0, 1);
    answers[q.id] = wanted.map((c) => {
      const shown = q.choices.find((a) => a.text === c.text);
      if (!shown) throw new Error(`choice "${c.text}" of question ${q.id} is not shown`);
      return String(shown.id);
    });
  }
  return answers;
}
