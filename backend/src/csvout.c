/* CSV output: the one CSV writer, on arena memory. */
#include "csvout.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static void add(struct csvout *w, const char *s, size_t n);
static void separate(struct csvout *w);

void
csvout_init(struct csvout *w, struct arena *a)
{
	static char empty[1];

	memset(w, 0, sizeof(*w));
	w->arena = a;
	w->data = empty;
}

/* Appends n bytes; the arena holds the old buffer until it is reset, so a
 * doubling buffer costs at most twice the text. */
static void
add(struct csvout *w, const char *s, size_t n)
{
	if (w->len + n + 1 > w->cap) {
		size_t cap = w->cap != 0 ? w->cap : 4096;
		char  *grown;

		while (cap < w->len + n + 1)
			cap *= 2;
		grown = arena_alloc(w->arena, cap);
		memcpy(grown, w->data, w->len);
		w->data = grown;
		w->cap = cap;
	}
	memcpy(w->data + w->len, s, n);
	w->len += n;
	w->data[w->len] = '\0';
}

static void
separate(struct csvout *w)
{
	if (w->cells++ > 0)
		add(w, ",", 1);
}

void
csvout_cell(struct csvout *w, const char *s)
{
	bool quote = strpbrk(s, ",;\"\r\n") != NULL;

	separate(w);
	if (quote)
		add(w, "\"", 1);
	if (s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL)
		add(w, "'", 1);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			add(w, "\"", 1);
		add(w, s, 1);
	}
	if (quote)
		add(w, "\"", 1);
}

void
csvout_json(struct csvout *w, const json_t *v)
{
	char num[64];
	int  n = 0;

	if (json_is_string(v)) {
		csvout_cell(w, json_string_value(v));
		return;
	}
	separate(w);
	if (json_is_integer(v))
		n = snprintf(num, sizeof(num), "%lld",
		             (long long)json_integer_value(v));
	else if (json_is_real(v))
		n = snprintf(num, sizeof(num), "%.1f", json_real_value(v));
	else if (json_is_true(v))
		n = snprintf(num, sizeof(num), "ja");
	else if (json_is_false(v))
		n = snprintf(num, sizeof(num), "nee");
	if (n > 0)
		add(w, num, (size_t)n);
}

void
csvout_end_row(struct csvout *w)
{
	add(w, "\r\n", 2);
	w->cells = 0;
}
