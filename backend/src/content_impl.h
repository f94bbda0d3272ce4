/* Private to content_parse.c, content_check.c and content_render.c: what
 * the three parts of the content code share. */
#ifndef CONTENT_IMPL_H
#define CONTENT_IMPL_H

#include <stdbool.h>
#include <stddef.h>

#include "content.h"
#include "errlist.h"

/* Where errors go while one file is being checked. */
struct ctx {
	const char     *file;
	struct errlist *errs;
};

/* Allocation failure aborts: this runs in a command-line loader, where
 * there is nothing sensible to do without memory. */
void  content_oom(void) __attribute__((noreturn));
void *content_xcalloc(size_t n, size_t size);
char *content_xstrdup(const char *s);
char *content_path_join(const char *dir, const char *name);

/* The 1-based line of byte `off` in s. */
size_t content_line_of(const char *s, size_t off);

/*
 * Reads a whole regular file, refusing symbolic links and anything over
 * `max` bytes.  On success *buf is a NUL-terminated heap copy owned by the
 * caller.
 */
int content_read_file(const char *path, size_t max, char **buf, size_t *len,
                      struct errlist *errs);

/* A section file: a plain name in the module directory, ending in ".md". */
bool content_valid_md_name(const char *s);

/* content_check.c: the question banks against the objectives' draws, and
 * Markdown files that no section lists. */
void content_check_banks(struct ctx *c, const struct content_module *m);
void content_check_stray_files(const char *dir, const struct content_module *m,
                               struct errlist *errs);

/* content_render.c: reads, checks and renders the Markdown of a section
 * (raw HTML refused), and the content hash of a parsed module. */
void content_render_markdown(const char *dir, struct content_section *s,
                             struct errlist *errs);
void content_module_hash(struct content_module *m);

#endif
