/* Role-play scenarios, part 1 of 3: parse the JSON text of a document, and
 * the helpers all three parts share (scenario_impl.h). */
#include "scenario.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "scenario_impl.h"
#include "validate.h"

#define REPLACEMENT "\xef\xbf\xbd" /* U+FFFD */

static const char *parse_reason(const json_error_t *err);

void
scenario_oom(void)
{
	fputs("scenario: out of memory\n", stderr);
	abort();
}

void *
scenario_xmalloc(size_t n, size_t size)
{
	void *p;

	if (size != 0 && n > SIZE_MAX / size)
		scenario_oom();
	p = malloc(n * size == 0 ? 1 : n * size);
	if (p == NULL)
		scenario_oom();
	return p;
}

void *
scenario_xrealloc(void *p, size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size)
		scenario_oom();
	p = realloc(p, n * size == 0 ? 1 : n * size);
	if (p == NULL)
		scenario_oom();
	return p;
}

/*
 * A user string fit for quoting in a message: at most max_chars characters
 * (then "…"), with invalid UTF-8 and control characters shown as U+FFFD.
 */
char *
scenario_display(const char *s, size_t max_chars)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t               left = strlen(s), n, o = 0, chars = 0;
	char                *out;

	out = scenario_xmalloc(4 * max_chars + 4, 1);
	while (left > 0 && chars < max_chars) {
		n = utf8_seq_len(p, left);
		if (n == 0 || (n == 1 && (*p < 0x20 || *p == 0x7F))) {
			memcpy(out + o, REPLACEMENT, 3);
			o += 3;
			n = n == 0 ? 1 : n;
		} else {
			memcpy(out + o, p, n);
			o += n;
		}
		p += n;
		left -= n;
		chars++;
	}
	if (left > 0) {
		memcpy(out + o, "\xe2\x80\xa6", 3); /* U+2026 */
		o += 3;
	}
	out[o] = '\0';
	return out;
}

/*
 * Appends an error at base (key NULL) or at base/key (key escaped here).
 */
void
scenario_err(struct errlist *errs, const char *base, const char *key,
             unsigned line, unsigned column, const char *fmt, ...)
{
	va_list ap;
	char   *path = key != NULL ? errlist_ptr_child(base, key) : NULL;
	char   *msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		scenario_oom();
	va_end(ap);
	errlist_add(errs, path != NULL ? path : base, line, column, "%s", msg);
	free(path);
	free(msg);
}

/* A Dutch reason for a jansson parse error. */
static const char *
parse_reason(const json_error_t *err)
{
	static const struct {
		enum json_error_code code;
		const char          *why;
	} reasons[] = {
	    {json_error_invalid_utf8, "de tekst is geen geldige UTF-8"},
	    {json_error_premature_end_of_input,
	     "het document houdt te vroeg op (mist er een } of ]?)"},
	    {json_error_end_of_input_expected,
	     "na het einde van het document staat nog tekst"},
	    {json_error_duplicate_key,
	     "een veld staat twee keer in hetzelfde object"},
	    {json_error_numeric_overflow, "een getal is te groot"},
	    {json_error_null_character, "het teken \\u0000 is niet toegestaan"},
	    {json_error_stack_overflow, "het document is te diep genest"},
	};

	for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (reasons[i].code == json_error_code(err))
			return reasons[i].why;
	return NULL;
}

int
scenario_parse(const char *buf, size_t len, json_t **out, struct errlist *errs)
{
	json_error_t err;
	json_t      *v;
	const char  *why, *near;
	char        *shown, tok[JSON_ERROR_TEXT_LENGTH];

	*out = NULL;
	if (buf == NULL || len == 0) {
		scenario_err(errs, "", NULL, 0, 0, "Het document is leeg.");
		return -1;
	}
	if (len > SCENARIO_BYTES_MAX) {
		scenario_err(errs, "", NULL, 0, 0,
		             "Het document is %zu bytes; de grens is %d bytes "
		             "(2 MiB).",
		             len, SCENARIO_BYTES_MAX);
		return -1;
	}
	v = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &err);
	if (v == NULL) {
		why = parse_reason(&err);
		near = strstr(err.text, "near '");
		if (json_error_code(&err) == json_error_duplicate_key &&
		    near != NULL && strlen(near) > 7 &&
		    near[strlen(near) - 1] == '\'') {
			/* jansson names the key as a JSON string literal:
			 * near '"title"'. */
			near += 6;
			snprintf(tok, sizeof(tok), "%.*s",
			         (int)(strlen(near) - 1), near);
			shown = scenario_display(tok, SCENARIO_DISPLAY_MAX + 2);
			scenario_err(
			    errs, "", NULL, err.line, err.column,
			    "Geen geldige JSON op regel %d, kolom %d: het "
			    "veld %s staat twee keer in hetzelfde object.",
			    err.line, err.column, shown);
			free(shown);
		} else if (why != NULL) {
			scenario_err(
			    errs, "", NULL, err.line, err.column,
			    "Geen geldige JSON op regel %d, kolom %d: %s.",
			    err.line, err.column, why);
		} else {
			/* jansson's own English text, which names the
			 * token it choked on. */
			shown =
			    scenario_display(err.text, JSON_ERROR_TEXT_LENGTH);
			scenario_err(
			    errs, "", NULL, err.line, err.column,
			    "Geen geldige JSON op regel %d, kolom %d (%s).",
			    err.line, err.column, shown);
			free(shown);
		}
		return -1;
	}
	if (json_depth(v, SCENARIO_DEPTH_MAX + 1) > SCENARIO_DEPTH_MAX) {
		json_decref(v);
		scenario_err(errs, "", NULL, 0, 0,
		             "Het document is dieper genest dan %d niveaus.",
		             SCENARIO_DEPTH_MAX);
		return -1;
	}
	*out = v;
	return 0;
}
