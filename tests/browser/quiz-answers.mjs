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
