/* Private to scenario_parse.c, scenario_check.c and scenario_play.c: the
 * helpers the three parts of the scenario code share. */
#ifndef SCENARIO_IMPL_H
#define SCENARIO_IMPL_H

#include <stddef.h>

#include "errlist.h"

/* Characters of a user string quoted in a message. */
#define SCENARIO_DISPLAY_MAX 40

void  scenario_oom(void) __attribute__((noreturn));
void *scenario_xmalloc(size_t n, size_t size);
void *scenario_xrealloc(void *p, size_t n, size_t size);

/*
 * A user string fit for quoting in a message: at most max_chars characters
 * (then "…"), with invalid UTF-8 and control characters shown as U+FFFD.
 * malloc'ed; the caller frees it.
 */
char *scenario_display(const char *s, size_t max_chars);

/* Appends an error at base (key NULL) or at base/key (key escaped here). */
void scenario_err(struct errlist *errs, const char *base, const char *key,
                  unsigned line, unsigned column, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

#endif
