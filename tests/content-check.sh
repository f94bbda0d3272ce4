#!/bin/bash
# Content checks for content/ (issues 5 and 12).  Run from anywhere; works on the repo
# this script lives in.
#
#   tests/content-check.sh
#
# Checks:
#   (a) `hgkm-content check content` passes (parsing, one right answer per
#       single-answer question, explanations, no raw HTML, ...).  The binary is
#       $HGKM_CONTENT, default build/asan/hgkm-content.
#   (b) every Markdown link and image in content/ resolves:
#       - in module sections (content/modules/*/*.md) the platform serves only
#         the rendered text, so relative links and images cannot work there;
#         a link to another module has the form /module.html?slug=<slug>
#         (the page the module list links to) and the slug must exist;
#       - elsewhere in content/ (README.md, SOURCES.md) a relative link or
#         image must point to an existing file inside the repository;
#       - external http(s) and mailto links are allowed and listed;
#       - other schemes (javascript:, file:, data:, ...) are refused.
#   (c) spelling: the Markdown text of every module section (code left out)
#       and the titles, summaries, questions, choices and explanations of
#       every module.json pass `hunspell -d nl_NL -p content/words.txt`.
#       content/words.txt is the project word list: one word per line, only
#       real terms and proper names that the Dutch dictionary lacks.  It is
#       itself checked: sorted, no duplicates, every entry used in the text,
#       and no entry that the dictionary already accepts.
#   (d) module rules of issues 5 and 12: every module except the demo
#       module meldcode-kort (and the in-person af-praktijktraining) has 4-8
#       sections, an estimate of 15-40 minutes and a question bank of 12-60
#       questions (an attempt draws from it per objective, issue 12);
#       positions are unique; the course modules exist with the right
#       audience.
#
# Prints "ok - ..." / "not ok - ..." per check and "N passed, M failed" at the
# end; exits 1 when a check failed.  Needs bash, python3, hunspell with a
# Dutch dictionary (Debian: hunspell, hunspell-nl) and libcmark (already a
# build dependency).
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 2

HGKM_CONTENT=${HGKM_CONTENT:-build/asan/hgkm-content}
CONTENT=content
WORDS=$CONTENT/words.txt
# The demo module and the in-person training (no online course: its
# certificate comes from attendance) are exempt from the size rules of (d).
EXEMPT="meldcode-kort af-praktijktraining"
# The course of issues 5 and 12: slug and audience (as in module.json).
COURSE="signalen-herkennen:teacher,ib meldcode-vijf-stappen:teacher,ib
het-gesprek:teacher,ib samenwerken:teacher,ib handle-with-care:teacher,ib
aandachtsfunctionaris:ib wet-en-privacy:teacher,ib
online-en-seksueel:teacher,ib lessen-in-de-klas:teacher,ib"

passed=0
failed=0
ok() { printf 'ok - %s\n' "$*"; passed=$((passed + 1)); }
not_ok() { printf 'not ok - %s\n' "$*"; failed=$((failed + 1)); }
# Indents a check's details under its result line.
detail() { sed 's/^/    /'; }

TMP=$(mktemp -d) || exit 2
trap 'rm -rf "$TMP"' EXIT

# One Python helper for the parts that need a Markdown parser or JSON.
# Markdown is parsed by libcmark (the parser the platform itself uses),
# through ctypes.
cat >"$TMP/helper.py" <<'PY'
import ctypes, ctypes.util, json, os, re, sys, urllib.parse
import xml.etree.ElementTree as ET

CONTENT = 'content'
MODULES = os.path.join(CONTENT, 'modules')
NS = '{http://commonmark.org/xml/1.0}'
SLUG_RE = re.compile(r'^[a-z0-9][a-z0-9-]{0,63}$')


def cmark():
    names = [ctypes.util.find_library('cmark'), 'libcmark.so.0.30.2',
             'libcmark.so.0', 'libcmark.so']
    for name in names:
        if not name:
            continue
        try:
            lib = ctypes.CDLL(name)
        except OSError:
            continue
        lib.cmark_parse_document.restype = ctypes.c_void_p
        lib.cmark_parse_document.argtypes = [ctypes.c_char_p, ctypes.c_size_t,
                                             ctypes.c_int]
        lib.cmark_render_xml.restype = ctypes.c_void_p
        lib.cmark_render_xml.argtypes = [ctypes.c_void_p, ctypes.c_int]
        lib.cmark_node_free.argtypes = [ctypes.c_void_p]
        return lib
    sys.exit('libcmark not found (Debian package libcmark0.30.2)')


LIB = None


def parse(path):
    """The cmark XML tree of a Markdown file, with source positions."""
    global LIB
    if LIB is None:
        LIB = cmark()
    src = open(path, 'rb').read()
    doc = LIB.cmark_parse_document(src, len(src), 0)
    xml = ctypes.string_at(LIB.cmark_render_xml(doc, 1 << 1))  # SOURCEPOS
    LIB.cmark_node_free(doc)
    return ET.fromstring(xml)


def line_of(node, parents):
    for n in [node] + parents[::-1]:
        pos = n.get('sourcepos')
        if pos:
            return int(pos.split(':')[0])
    return 0


def walk(node, parents=None):
    parents = parents or []
    yield node, parents
    for child in node:
        yield from walk(child, parents + [node])


def markdown_files():
    for dirpath, dirnames, filenames in os.walk(CONTENT):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith('.'))
        for f in sorted(filenames):
            if f.endswith('.md') and not f.startswith('.'):
                yield os.path.join(dirpath, f)


def module_dirs():
    if not os.path.isdir(MODULES):
        return []
    return sorted(d for d in os.listdir(MODULES)
                  if not d.startswith('.') and
                  os.path.isdir(os.path.join(MODULES, d)))


def in_module(path):
    return os.path.dirname(os.path.dirname(path)) == MODULES


def links():
    """Prints 'E <message>' per problem and 'X <where> <url>' per external
    link, then 'S <files> <internal> <external>'."""
    slugs = set(module_dirs())
    root = os.path.realpath('.')
    nfiles = ninternal = nexternal = 0
    for path in markdown_files():
        nfiles += 1
        for node, parents in walk(parse(path)):
            tag = node.tag.replace(NS, '')
            if tag not in ('link', 'image'):
                continue
            dest = node.get('destination', '')
            where = '%s:%d' % (path, line_of(node, parents))
            what = 'image' if tag == 'image' else 'link'
            scheme = re.match(r'^([A-Za-z][A-Za-z0-9+.-]*):', dest)
            if dest.strip() == '':
                print('E %s: %s with an empty destination' % (where, what))
            elif scheme and scheme.group(1).lower() in ('http', 'https',
                                                        'mailto'):
                nexternal += 1
                print('X %s %s' % (where, dest))
            elif scheme:
                print('E %s: %s "%s": scheme %s: is not allowed'
                      % (where, what, dest, scheme.group(1)))
            elif dest.startswith('//'):
                print('E %s: %s "%s": write the scheme (https://) in '
                      'external links' % (where, what, dest))
            elif in_module(path):
                m = re.match(r'^/module\.html\?slug=([^&#]*)$', dest)
                if tag == 'link' and m:
                    ninternal += 1
                    slug = urllib.parse.unquote(m.group(1))
                    if not SLUG_RE.match(slug) or slug not in slugs:
                        print('E %s: link "%s": no module "%s" in %s'
                              % (where, dest, slug, MODULES))
                elif tag == 'link':
                    print('E %s: link "%s": a module section can only link '
                          'to another module, as /module.html?slug=<slug>, '
                          'or to an external https:// address (the platform '
                          'serves no other files)' % (where, dest))
                else:
                    print('E %s: image "%s": the platform serves no images '
                          'from content/; module sections cannot show them'
                          % (where, dest))
            elif dest.startswith('#'):
                ninternal += 1  # an anchor in the same file, as on GitHub
            else:
                ninternal += 1
                rel = urllib.parse.unquote(re.split(r'[?#]', dest)[0])
                if rel.startswith('/'):
                    target = os.path.normpath(os.path.join('.', rel.lstrip('/')))
                else:
                    target = os.path.normpath(
                        os.path.join(os.path.dirname(path), rel))
                real = os.path.realpath(target)
                if not (real == root or real.startswith(root + os.sep)):
                    print('E %s: %s "%s" points outside the repository'
                          % (where, what, dest))
                elif not os.path.exists(target):
                    print('E %s: %s "%s": %s does not exist'
                          % (where, what, dest, target))
    print('S %d %d %d' % (nfiles, ninternal, nexternal))


def texts():
    """Yields (where, text) for every text of the course that is spell-checked."""
    for slug in module_dirs():
        mdir = os.path.join(MODULES, slug)
        for f in sorted(os.listdir(mdir)):
            path = os.path.join(mdir, f)
            if not f.endswith('.md') or f.startswith('.'):
                continue
            for node, parents in walk(parse(path)):
                tag = node.tag.replace(NS, '')
                if tag == 'text' and node.text:
                    yield '%s:%d' % (path, line_of(node, parents)), node.text
        jpath = os.path.join(mdir, 'module.json')
        try:
            m = json.load(open(jpath, encoding='utf-8'))
        except (OSError, ValueError):
            continue  # reported by hgkm-content
        if not isinstance(m, dict):
            continue
        def get(obj, key):
            v = obj.get(key) if isinstance(obj, dict) else None
            return v if isinstance(v, str) else None
        for key in ('title', 'summary'):
            if get(m, key):
                yield '%s /%s' % (jpath, key), get(m, key)
        for i, s in enumerate(m.get('sections') or []):
            if get(s, 'title'):
                yield '%s /sections/%d/title' % (jpath, i), get(s, 'title')
        for i, o in enumerate(m.get('objectives') or []):
            if get(o, 'title'):
                yield '%s /objectives/%d/title' % (jpath, i), get(o, 'title')
        quiz = m.get('quiz') if isinstance(m.get('quiz'), dict) else {}
        for i, q in enumerate(quiz.get('questions') or []):
            for key in ('text', 'explanation'):
                if get(q, key):
                    yield '%s /quiz/questions/%d/%s' % (jpath, i, key), get(q, key)
            for j, c in enumerate((q.get('choices') if isinstance(q, dict) else None) or []):
                if get(c, 'text'):
                    yield ('%s /quiz/questions/%d/choices/%d/text'
                           % (jpath, i, j), get(c, 'text'))


def prepare(text):
    """The text as hunspell should see it."""
    text = re.sub(r'(?:https?|mailto):\S+', ' ', text)
    # The hyphen of an elided compound part: "advies- en meldpunt".
    text = re.sub(r'(\w)-(?=\s+(?:en|of|tot|noch)\b)', r'\1', text)
    return text.replace('\n', ' ')


def extract(out_text, out_where):
    with open(out_text, 'w', encoding='utf-8') as ft, \
         open(out_where, 'w', encoding='utf-8') as fw:
        for where, text in texts():
            ft.write(prepare(text) + '\n')
            fw.write(where + '\n')


def locate(text_file, where_file, bad_file):
    """For each misspelled word, where it occurs (at most three places)."""
    lines = open(text_file, encoding='utf-8').read().split('\n')
    wheres = open(where_file, encoding='utf-8').read().split('\n')
    for word in open(bad_file, encoding='utf-8').read().split():
        pat = re.compile(r'(?<!\w)' + re.escape(word) + r'(?!\w)')
        found = [wheres[i] for i, l in enumerate(lines) if pat.search(l)]
        more = ' (+%d more)' % (len(found) - 3) if len(found) > 3 else ''
        print('%s: %s%s' % (word, ', '.join(found[:3]) or '?', more))


def used(text_file, words_file):
    """Word-list entries that occur nowhere in the checked text."""
    text = open(text_file, encoding='utf-8').read()
    for w in open(words_file, encoding='utf-8').read().split('\n'):
        w = w.strip()
        if w and not re.search(r'(?<!\w)' + re.escape(w) + r'(?!\w)', text):
            print(w)


def rules(exempt, course):
    """Prints 'OK <msg>' or 'NO <msg>' per check of (d)."""
    exempt = set(exempt.split())
    mods = {}
    for slug in module_dirs():
        try:
            m = json.load(open(os.path.join(MODULES, slug, 'module.json'),
                               encoding='utf-8'))
            if not isinstance(m, dict):
                raise ValueError('not an object')
            mods[slug] = m
        except (OSError, ValueError) as e:
            print('NO %s: module.json unreadable (%s)' % (slug, e))
    for slug, m in sorted(mods.items()):
        secs = m.get('sections') if isinstance(m.get('sections'), list) else []
        qs = (m.get('quiz') or {}).get('questions') if isinstance(m.get('quiz'), dict) else None
        qs = qs if isinstance(qs, list) else []
        mins = m.get('estimated_minutes')
        desc = '%s: %d sections, %s minutes, %d questions, pass mark %s' % (
            slug, len(secs), mins, len(qs), m.get('pass_mark'))
        if slug in exempt:
            print('OK %s (demo module, exempt from the size rules)' % desc)
            continue
        errs = []
        if not 4 <= len(secs) <= 8:
            errs.append('needs 4 to 8 sections')
        if not (isinstance(mins, int) and 15 <= mins <= 40):
            errs.append('estimated_minutes must be 15 to 40')
        if not 12 <= len(qs) <= 60:
            errs.append('question bank needs 12 to 60 questions')
        print(('NO %s: %s' % (desc, '; '.join(errs))) if errs else 'OK ' + desc)
    pos = {}
    for slug, m in mods.items():
        pos.setdefault(m.get('position'), []).append(slug)
    dup = ['%s share position %s' % (' and '.join(sorted(v)), k)
           for k, v in pos.items() if len(v) > 1]
    order = ' < '.join(s for s, _ in sorted(
        mods.items(), key=lambda kv: (kv[1].get('position') if isinstance(kv[1].get('position'), int) else 1 << 30, kv[0])))
    print(('NO module positions are not unique: ' + '; '.join(dup)) if dup
          else 'OK module positions are unique: ' + order)
    errs = []
    for item in course.split():
        slug, aud = item.split(':')
        want = aud.split(',')
        if slug not in mods:
            errs.append('%s is missing or its module.json is unreadable' % slug)
        elif sorted(mods[slug].get('audience') or []) != sorted(want):
            errs.append('%s has audience %s, expected %s' % (
                slug, json.dumps(mods[slug].get('audience')), json.dumps(want)))
    n = len(course.split())
    print(('NO course modules of issues 5 and 12: ' + '; '.join(errs)) if errs
          else 'OK the %d course modules of issues 5 and 12 exist with the right audience' % n)


if __name__ == '__main__':
    cmd, args = sys.argv[1], sys.argv[2:]
    {'links': links, 'extract': extract, 'locate': locate, 'used': used,
     'rules': rules}[cmd](*args)
PY
helper() { python3 "$TMP/helper.py" "$@"; }

# ---- (a) the platform's own content check ---------------------------------
if [ ! -x "$HGKM_CONTENT" ]; then
	if [ "$HGKM_CONTENT" = build/asan/hgkm-content ]; then
		not_ok "hgkm-content check $CONTENT: $HGKM_CONTENT not found (build it with make -s FLAVOR=asan build/asan/hgkm-content, or set HGKM_CONTENT)"
	else
		not_ok "hgkm-content check $CONTENT: HGKM_CONTENT=$HGKM_CONTENT is not an executable"
	fi
elif out=$("$HGKM_CONTENT" check "$CONTENT" 2>&1); then
	ok "hgkm-content check $CONTENT ($HGKM_CONTENT, $(printf '%s\n' "$out" | grep -c ': ok') modules)"
else
	not_ok "hgkm-content check $CONTENT ($HGKM_CONTENT)"
	printf '%s\n' "$out" | grep -v ': ok (' | detail
fi

# ---- (b) links and images -------------------------------------------------
if out=$(helper links 2>&1); then
	errs=$(printf '%s\n' "$out" | sed -n 's/^E //p')
	read -r nf ni ne <<<"$(printf '%s\n' "$out" | sed -n 's/^S //p')"
	if [ -z "$errs" ]; then
		ok "links and images in $CONTENT/ resolve (${nf:-0} Markdown files, ${ni:-0} internal, ${ne:-0} external)"
	else
		not_ok "links and images in $CONTENT/ resolve"
		printf '%s\n' "$errs" | detail
	fi
	printf '%s\n' "$out" | sed -n 's/^X \([^ ]*\) \(.*\)$/# external link: \2 (\1)/p'
else
	not_ok "links and images in $CONTENT/ resolve: the link checker failed"
	printf '%s\n' "$out" | detail
fi

# ---- (c) spelling ---------------------------------------------------------
dict=
if command -v hunspell >/dev/null 2>&1; then
	avail=$(hunspell -D </dev/null 2>&1)
	for d in nl_NL nl; do
		if printf '%s\n' "$avail" | grep -q "/$d\$"; then
			dict=$d
			break
		fi
	done
fi
if [ -z "$dict" ]; then
	not_ok "spelling: hunspell with a Dutch dictionary (nl_NL or nl) is not installed (Debian: apt-get install hunspell hunspell-nl)"
elif [ ! -f "$WORDS" ]; then
	not_ok "spelling: word list $WORDS is missing"
elif ! out=$(helper extract "$TMP/text" "$TMP/where" 2>&1); then
	not_ok "spelling: extracting the text failed"
	printf '%s\n' "$out" | detail
else
	nwords=$(wc -w <"$TMP/text")
	hunspell -i UTF-8 -d "$dict" -p "$WORDS" -l <"$TMP/text" | sort -u >"$TMP/bad"
	if [ -s "$TMP/bad" ]; then
		not_ok "spelling ($dict + $WORDS, $nwords words): $(wc -l <"$TMP/bad") unknown words; fix the text, or add a real term or name to $WORDS"
		helper locate "$TMP/text" "$TMP/where" "$TMP/bad" | detail
	else
		ok "spelling of module texts and quizzes ($dict + $WORDS, $nwords words)"
	fi

	# The word list itself: sorted, unique, used, and not redundant.
	problems=
	if ! LC_ALL=C sort -c "$WORDS" 2>/dev/null; then
		problems+="not sorted (LC_ALL=C sort -o $WORDS $WORDS)"$'\n'
	fi
	dups=$(LC_ALL=C sort "$WORDS" | uniq -d)
	[ -n "$dups" ] && problems+="duplicates: ${dups//$'\n'/ }"$'\n'
	bad=$(grep -n -v -E '^[[:alnum:]][[:alnum:]'"'"'.-]*$' "$WORDS")
	[ -n "$bad" ] && problems+="not one word per line: ${bad//$'\n'/ }"$'\n'
	unused=$(helper used "$TMP/text" "$WORDS")
	[ -n "$unused" ] && problems+="not used in the text: ${unused//$'\n'/ }"$'\n'
	known=$(grep -v '^$' "$WORDS" | hunspell -i UTF-8 -d "$dict" -G)
	[ -n "$known" ] && problems+="already in the $dict dictionary: ${known//$'\n'/ }"$'\n'
	if [ -z "$problems" ]; then
		ok "word list $WORDS: $(grep -c . "$WORDS") entries, sorted, all used, none redundant"
	else
		not_ok "word list $WORDS"
		printf '%s' "$problems" | detail
	fi
fi

# ---- (d) module rules of issues 5 and 12 ---------------------------------
if out=$(helper rules "$EXEMPT" "$COURSE" 2>&1); then
	while IFS= read -r line; do
		case $line in
		OK\ *) ok "${line#OK }" ;;
		NO\ *) not_ok "${line#NO }" ;;
		*) [ -n "$line" ] && printf '%s\n' "$line" | detail ;;
		esac
	done <<<"$out"
else
	not_ok "module rules: the checker failed"
	printf '%s\n' "$out" | detail
fi

printf '%d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
