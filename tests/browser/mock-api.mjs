// A stand-in for nginx + backend, for working on frontend/ without the real stack:
// serves frontend/ with the production Content-Security-Policy, /verificatie/<code>
// as verify.html, and an in-memory version of the api.md endpoints the frontend uses.
//
//   node tests/browser/mock-api.mjs            # http://127.0.0.1:8099, join code DEMO-MOCK
//   PORT=8123 JOIN_CODE=X node tests/browser/mock-api.mjs
//   BASE_URL=http://127.0.0.1:8099 JOIN_CODE=DEMO-MOCK node tests/browser/course.test.mjs
//
// The module comes from content/modules/meldcode-kort/module.json when that file has a
// quiz the test can read; otherwise a small built-in fixture. Not used by `make test`.

import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import { readFileSync, existsSync, statSync } from 'node:fs';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractQuiz } from './quiz-answers.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const webRoot = join(root, 'frontend');
const PORT = Number(process.env.PORT || 8099);
const JOIN_CODE = process.env.JOIN_CODE || 'DEMO-MOCK';

const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'";
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png',
};

const escapeHtml = (t) => t.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const readText = (f) => (existsSync(f) ? readFileSync(f, 'utf8') : '');

/** A rough stand-in for the server's Markdown rendering: headings and paragraphs. */
function roughHtml(md) {
  return md.split(/\n\s*\n/).map((block) => block.trim()).filter(Boolean).map((block) => {
    const h = /^(#{1,4})\s+(.*)$/.exec(block);
    return h ? `<h${h[1].length + 1}>${escapeHtml(h[2])}</h${h[1].length + 1}>` : `<p>${escapeHtml(block)}</p>`;
  }).join('\n');
}

function fixtureModule() {
  const file = join(root, 'content', 'modules', 'meldcode-kort', 'module.json');
  if (existsSync(file)) {
    try {
      const doc = JSON.parse(readFileSync(file, 'utf8'));
      const quiz = extractQuiz(doc);
      const sections = (doc.sections || []).map((s) => ({
        id: s.id, title: s.title, html: roughHtml(s.file ? readText(join(dirname(file), s.file)) : s.title),
      }));
      if (quiz.questions.length && sections.length) {
        return { slug: 'meldcode-kort', title: doc.title || 'Meldcode', summary: doc.summary || '',
          estimated_minutes: doc.estimated_minutes || 20, validity_months: doc.validity_months || 24,
          pass_mark: doc.pass_mark || quiz.pass_mark || 70, sections, questions: quiz.questions };
      }
    } catch (e) { /* fall back */ }
  }
  const p = (t) => `<p>${t}</p><ul><li>Eerste punt</li><li>Tweede punt</li></ul>`;
  return {
    slug: 'meldcode-kort', title: 'De meldcode in het kort',
    summary: 'De vijf stappen van de meldcode huiselijk geweld en kindermishandeling.',
    estimated_minutes: 20, validity_months: 24, pass_mark: 70,
    sections: [
      { id: 'inleiding', title: 'Waarom een meldcode', html: p('Inleiding.') },
      { id: 'signalen', title: 'Stap 1: signalen in kaart brengen', html: p('Signalen.') },
      { id: 'collega', title: 'Stap 2: collegiale consultatie', html: p('Overleg.') },
      { id: 'gesprek', title: 'Stap 3: gesprek met ouders', html: p('Gesprek.') },
      { id: 'besluit', title: 'Stap 4 en 5: wegen en beslissen', html: p('Besluit.') },
    ],
    questions: [
      { id: 'q1', text: 'Hoeveel stappen heeft de meldcode?', multiple: false, explanation: 'Vijf stappen.',
        choices: [{ id: 'a', text: 'Drie', correct: false }, { id: 'b', text: 'Vijf', correct: true }] },
      { id: 'q2', text: 'Met wie overleg je in stap 2?', multiple: true, explanation: 'Collega en Veilig Thuis.',
        choices: [{ id: 'a', text: 'Een collega', correct: true }, { id: 'b', text: 'Veilig Thuis', correct: true },
          { id: 'c', text: 'De buren', correct: false }] },
    ],
  };
}

const MOD = fixtureModule();
const users = new Map();      // email -> user
const sessions = new Map();   // token -> user id
const progress = new Map();   // user id -> Set(section id)
const certs = [];

const iso = (d) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

function send(res, status, body, headers = {}) {
  const h = { 'Cache-Control': 'no-store', ...headers };
  if (body === undefined) { res.writeHead(status, h); res.end(); return; }
  h['Content-Type'] = 'application/json; charset=utf-8';
  res.writeHead(status, h);
  res.end(JSON.stringify(body));
}
const fail = (res, status, code, message, extra = {}) =>
  send(res, status, { error: { code, message, ...extra } });

function readBody(req) {
  return new Promise((ok) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => ok(Buffer.concat(chunks).toString('utf8')));
  });
}

function userOf(req) {
  const m = /(?:^|;\s*)session=([^;]+)/.exec(req.headers.cookie || '');
  const id = m && sessions.get(m[1]);
  return id ? [...users.values()].find((u) => u.id === id) : null;
}

function login(res, user, status) {
  const token = randomBytes(24).toString('base64url');
  sessions.set(token, user.id);
  const pub = { id: user.id, email: user.email, name: user.name, role: 'teacher', school_id: 1, board_id: 1 };
  send(res, status, { token, expires_at: iso(new Date(Date.now() + 12 * 3600e3)), user: pub },
    { 'Set-Cookie': `session=${token}; HttpOnly; SameSite=Strict; Path=/` });
}

function progressOf(u) {
  const done = progress.get(u.id) || new Set();
  const now = Date.now();
  const cert = certs.filter((c) => c.user === u.id).sort((a, b) => b.issued - a.issued)[0];
  let status = done.size === 0 ? 'not_started' : 'in_progress';
  if (cert) status = cert.expires > now ? 'completed' : 'expired';
  return { sections_done: done.size, sections_total: MOD.sections.length, status,
    completed_at: cert ? iso(new Date(cert.issued)) : null, expires_at: cert ? iso(new Date(cert.expires)) : null };
}

async function apiRoute(req, res, path) {
  const method = req.method;
  const raw = await readBody(req);
  let body = null;
  if (raw) {
    try { body = JSON.parse(raw); } catch (e) { return fail(res, 400, 'invalid_json', 'bad json'); }
  }
  if (path === '/health') return send(res, 200, { status: 'ok', db: 'ok' });
  if (path === '/auth/register' && method === 'POST') {
    const fields = {};
    if (!body || typeof body.email !== 'string' || !body.email.includes('@')) fields.email = 'invalid';
    if (!body || typeof body.name !== 'string' || !body.name.trim()) fields.name = 'required';
    if (!body || typeof body.password !== 'string' || body.password.length < 12) fields.password = 'too short';
    if (!body || body.join_code !== JOIN_CODE) fields.join_code = 'unknown';
    if (Object.keys(fields).length) return fail(res, 400, 'validation_failed', 'invalid', { fields });
    const key = body.email.toLowerCase();
    if (users.has(key)) return fail(res, 409, 'conflict', 'exists');
    const user = { id: users.size + 1, email: body.email, name: body.name.trim(), password: body.password };
    users.set(key, user);
    return login(res, user, 201);
  }
  if (path === '/auth/login' && method === 'POST') {
    const user = body && users.get(String(body.email || '').toLowerCase());
    if (!user || user.password !== body.password) return fail(res, 401, 'invalid_credentials', 'no');
    return login(res, user, 200);
  }
  if (path.startsWith('/certificates/')) {
    const [code, pdf] = path.slice('/certificates/'.length).split('/');
    const c = certs.find((x) => x.code === decodeURIComponent(code));
    if (!c) return fail(res, 404, 'not_found', 'unknown');
    if (pdf === 'pdf') {
      res.writeHead(200, { 'Content-Type': 'application/pdf' });
      return res.end('%PDF-1.4\n%mock\n');
    }
    const u = [...users.values()].find((x) => x.id === c.user);
    return send(res, 200, { valid: c.expires > Date.now(), holder_name: u.name, module_title: MOD.title,
      issued_at: iso(new Date(c.issued)), expires_at: iso(new Date(c.expires)) });
  }
  const user = userOf(req);
  if (!user) return fail(res, 401, 'unauthenticated', 'login');
  if (path === '/auth/logout' && method === 'POST') {
    for (const [t, id] of sessions) if (id === user.id) sessions.delete(t);
    return send(res, 204, undefined, { 'Set-Cookie': 'session=; Max-Age=0; Path=/' });
  }
  if (path === '/me') {
    return send(res, 200, { id: user.id, email: user.email, name: user.name, role: 'teacher',
      school: { id: 1, name: 'Testschool' }, board: { id: 1, name: 'Testbestuur' } });
  }
  if (path === '/me/certificates') {
    return send(res, 200, certs.filter((c) => c.user === user.id).map((c) => ({
      code: c.code, module_slug: MOD.slug, module_title: MOD.title, issued_at: iso(new Date(c.issued)),
      expires_at: iso(new Date(c.expires)), valid: c.expires > Date.now() })));
  }
  if (path === '/modules') {
    return send(res, 200, [{ slug: MOD.slug, title: MOD.title, summary: MOD.summary,
      estimated_minutes: MOD.estimated_minutes, version: 1, validity_months: MOD.validity_months,
      progress: progressOf(user) }]);
  }
  const m = /^\/modules\/([^/]+)(?:\/(sections|attempts)(?:\/([^/]+))?)?$/.exec(path);
  if (!m || decodeURIComponent(m[1]) !== MOD.slug) return fail(res, 404, 'not_found', 'no such module');
  const done = progress.get(user.id) || new Set();
  progress.set(user.id, done);
  if (!m[2] && method === 'GET') {
    return send(res, 200, { slug: MOD.slug, title: MOD.title, version: 1,
      sections: MOD.sections.map((s) => ({ ...s, done: done.has(s.id) })),
      quiz: { pass_mark: MOD.pass_mark, questions: MOD.questions.map((q) => ({ id: q.id, text: q.text,
        multiple: q.multiple, choices: q.choices.map((c) => ({ id: c.id, text: c.text })) })) } });
  }
  if (m[2] === 'sections' && method === 'PUT') {
    const id = decodeURIComponent(m[3] || '');
    if (!MOD.sections.some((s) => s.id === id)) return fail(res, 404, 'not_found', 'no such section');
    done.add(id);
    return send(res, 204);
  }
  if (m[2] === 'attempts' && method === 'POST') {
    if (MOD.sections.some((s) => !done.has(s.id))) return fail(res, 409, 'sections_incomplete', 'not yet');
    const answers = (body && body.answers) || {};
    const feedback = MOD.questions.map((q) => {
      const want = q.choices.filter((c) => c.correct).map((c) => c.id).sort().join(',');
      const got = [...(answers[q.id] || [])].sort().join(',');
      return { question_id: q.id, correct: want === got, explanation: q.explanation || '' };
    });
    const score = Math.round((100 * feedback.filter((f) => f.correct).length) / feedback.length);
    const passed = score >= MOD.pass_mark;
    let cert = null;
    if (passed) {
      let c = certs.find((x) => x.user === user.id && x.expires > Date.now());
      if (!c) {
        const now = Date.now();
        c = { code: randomBytes(18).toString('base64url'), user: user.id, issued: now,
          expires: now + MOD.validity_months * 30.44 * 86400e3 };
        certs.push(c);
      }
      cert = { code: c.code, issued_at: iso(new Date(c.issued)), expires_at: iso(new Date(c.expires)) };
    }
    return send(res, 200, { score, pass_mark: MOD.pass_mark, passed, certificate: cert, feedback });
  }
  return fail(res, 405, 'method_not_allowed', 'no');
}

function serveStatic(req, res, pathname) {
  let file = pathname === '/' ? '/index.html' : pathname;
  if (/^\/verificatie\/[^/]+$/.test(pathname)) file = '/verify.html';
  const full = normalize(join(webRoot, decodeURIComponent(file)));
  const headers = { 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff' };
  if (!full.startsWith(webRoot) || !existsSync(full) || !statSync(full).isFile()) {
    res.writeHead(404, { ...headers, 'Content-Type': TYPES['.html'] });
    return res.end(readFileSync(join(webRoot, '404.html')));
  }
  res.writeHead(200, { ...headers, 'Content-Type': TYPES[extname(full)] || 'application/octet-stream' });
  return res.end(readFileSync(full));
}

createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  if (url.pathname.startsWith('/api/v1/')) {
    apiRoute(req, res, url.pathname.slice('/api/v1'.length)).catch((e) => {
      console.error(e);
      fail(res, 500, 'internal', 'mock error');
    });
  } else {
    serveStatic(req, res, url.pathname);
  }
}).listen(PORT, '127.0.0.1', () => {
  console.log(`mock on http://127.0.0.1:${PORT} join code ${JOIN_CODE}`);
});
