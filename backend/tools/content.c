/* hgkm-content: checks the course content and loads it into PostgreSQL. */

/*
 * Every module is parsed and checked before the database is touched, so a
 * broken module never leaves a half-loaded catalogue.  The load is one
 * transaction under an advisory lock, so two loaders cannot interleave.  A
 * module whose content hash matches its row is not written at all; a
 * changed one gets version + 1, its sections and questions are upserted by
 * id, and rows that disappeared are marked inactive rather than deleted,
 * because progress and attempts point at them.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "content.h"
#include "db.h"
#include "store/store.h"

#define CONTENT_EXIT_OK 0
#define CONTENT_EXIT_FAIL 1
#define CONTENT_EXIT_USAGE 2

/* The loaded catalogue: every module of content/modules, in slug order. */
struct catalogue {
	struct content_module **mods;
	size_t                  count;
};

static void usage(void);
static void print_errors(const struct errlist *errs);
static int  catalogue_load(const char *content_dir, struct catalogue *cat);
static void catalogue_free(struct catalogue *cat);
static void print_outcome(const struct store_content_outcome *o);
static int  cmd_check(const char *content_dir);
static int  cmd_load(const char *content_dir);

static void
usage(void)
{
	fputs("usage: hgkm-content check <content-dir>\n"
	      "       hgkm-content load <content-dir>\n"
	      "\n"
	      "check  parse and check every module in <content-dir>/modules\n"
	      "load   check, then load into the database named by the\n"
	      "       DATABASE_URL environment variable (a libpq conninfo)\n",
	      stderr);
}

static void
print_errors(const struct errlist *errs)
{
	size_t i;

	for (i = 0; i < errs->count; i++)
		fprintf(stderr, "%s\n", errs->items[i].message);
	if (errs->dropped > 0)
		fprintf(stderr, "hgkm-content: %zu more errors not shown\n",
		        errs->dropped);
}

/*
 * Parses every module.  Returns 0 with the catalogue filled, or -1 after
 * printing every error; the catalogue is then empty.
 */
static int
catalogue_load(const char *content_dir, struct catalogue *cat)
{
	struct errlist      errs;
	struct content_list list;
	char               *modules_dir, *dir;
	size_t              i;
	int                 rc;

	cat->mods = NULL;
	cat->count = 0;
	errlist_init(&errs);
	if (asprintf(&modules_dir, "%s/modules", content_dir) < 0) {
		fputs("hgkm-content: out of memory\n", stderr);
		return -1;
	}
	rc = -1;
	if (content_list_modules(modules_dir, &list, &errs) != 0)
		goto out;
	if (list.count == 0) {
		/* An empty catalogue would deactivate every module: refuse. */
		fprintf(stderr, "%s: no modules found\n", modules_dir);
		goto out;
	}
	cat->mods = calloc(list.count, sizeof(*cat->mods));
	if (cat->mods == NULL) {
		fputs("hgkm-content: out of memory\n", stderr);
		goto out;
	}
	cat->count = list.count;
	for (i = 0; i < list.count; i++) {
		if (asprintf(&dir, "%s/%s", modules_dir, list.names[i]) < 0) {
			fputs("hgkm-content: out of memory\n", stderr);
			goto out;
		}
		/* Errors are collected; keep going to report every module. */
		content_module_load(dir, &cat->mods[i], &errs);
		free(dir);
	}
	if (errs.count == 0 && errs.dropped == 0)
		rc = 0;
out:
	print_errors(&errs);
	if (rc != 0)
		catalogue_free(cat);
	content_list_free(&list);
	errlist_free(&errs);
	free(modules_dir);
	return rc;
}

static void
catalogue_free(struct catalogue *cat)
{
	size_t i;

	for (i = 0; i < cat->count; i++)
		content_module_free(cat->mods[i]);
	free(cat->mods);
	cat->mods = NULL;
	cat->count = 0;
}

/*
 * The balance table: per module with a quiz, what a guesser sees.  Returns
 * the number of broken balance rules (their messages go to stderr).
 */
static size_t
print_balance(const char *content_dir, const struct catalogue *cat)
{
	struct errlist         errs;
	struct content_balance b;
	size_t                 i, broken = 0;
	char                  *path;

	errlist_init(&errs);
	printf("%-24s %5s %6s %10s %9s %16s %5s\n", "module", "bank", "drawn",
	       "objectives", "longest%", "longest-learner", "pass");
	for (i = 0; i < cat->count; i++) {
		const struct content_module *m = cat->mods[i];

		if (m->n_questions == 0)
			continue;
		content_balance(m, &b);
		printf("%-24s %5zu %6zu %10zu %8.0f%% %16.1f %5d\n", m->slug,
		       b.bank, b.drawn, b.objectives, b.longest_right_pct,
		       b.longest_learner_score, m->pass_mark);
		if (asprintf(&path, "%s/modules/%s/module.json", content_dir,
		             m->slug) < 0) {
			fputs("hgkm-content: out of memory\n", stderr);
			abort();
		}
		broken += content_balance_check(m, path, &errs);
		free(path);
	}
	print_errors(&errs);
	errlist_free(&errs);
	return broken;
}

static void
print_outcome(const struct store_content_outcome *o)
{
	static const char *const said[] = {
	    [STORE_CONTENT_UNCHANGED] = "unchanged",
	    [STORE_CONTENT_REACTIVATED] = "reactivated",
	    [STORE_CONTENT_NEW] = "new",
	};

	if (o->what == STORE_CONTENT_DEACTIVATED)
		printf("%s: deactivated (directory is gone)\n", o->slug);
	else if (o->what == STORE_CONTENT_UPDATED)
		printf("%s: updated to v%d\n", o->slug, o->version);
	else
		printf("%s: %s (v%d)\n", o->slug, said[o->what], o->version);
}

static int
cmd_check(const char *content_dir)
{
	struct catalogue cat;
	size_t           i, broken;

	if (catalogue_load(content_dir, &cat) != 0)
		return CONTENT_EXIT_FAIL;
	for (i = 0; i < cat.count; i++)
		printf("%s: ok (%zu sections, %zu questions, hash %.12s)\n",
		       cat.mods[i]->slug, cat.mods[i]->n_sections,
		       cat.mods[i]->n_questions, cat.mods[i]->hash);
	broken = print_balance(content_dir, &cat);
	catalogue_free(&cat);
	if (broken > 0 && CONTENT_BALANCE_RULES_ENFORCED) {
		fprintf(stderr,
		        "hgkm-content: %zu balance rule%s broken "
		        "(CONTENT_BALANCE_RULES_ENFORCED)\n",
		        broken, broken == 1 ? "" : "s");
		return CONTENT_EXIT_FAIL;
	}
	return CONTENT_EXIT_OK;
}

static int
cmd_load(const char *content_dir)
{
	static const struct db_stmt *const tables[] = {store_content_stmts,
	                                               NULL};
	struct catalogue                   cat;
	struct arena                       a;
	struct db                          db;
	struct store_ctx                   ctx = {.db = &db, .arena = &a};
	struct store_content_outcome      *out;
	const char                        *conninfo;
	size_t                             n = 0;
	enum db_status                     st;

	conninfo = getenv("DATABASE_URL");
	if (conninfo == NULL || conninfo[0] == '\0') {
		fputs("hgkm-content: DATABASE_URL is not set\n", stderr);
		return CONTENT_EXIT_USAGE;
	}
	/* Everything is checked before the database is touched. */
	if (catalogue_load(content_dir, &cat) != 0) {
		fputs("hgkm-content: nothing loaded\n", stderr);
		return CONTENT_EXIT_FAIL;
	}
	/* No statement timeout: a load is as long as the content. */
	db_init(&db, conninfo, tables, 0);
	arena_init(&a, 64 * 1024);
	st = db_ensure(&db);
	if (st == DB_OK)
		st = store_content_load(
		    &ctx, (const struct content_module *const *)cat.mods,
		    cat.count, &out, &n);
	/* What changed is said only once the transaction has committed. */
	for (size_t i = 0; i < n; i++)
		print_outcome(&out[i]);
	if (st != DB_OK)
		fputs("hgkm-content: nothing loaded\n", stderr);
	arena_destroy(&a);
	db_close(&db);
	catalogue_free(&cat);
	return st == DB_OK ? CONTENT_EXIT_OK : CONTENT_EXIT_FAIL;
}

int
main(int argc, char **argv)
{
	if (argc != 3) {
		usage();
		return CONTENT_EXIT_USAGE;
	}
	if (strcmp(argv[1], "check") == 0)
		return cmd_check(argv[2]);
	if (strcmp(argv[1], "load") == 0)
		return cmd_load(argv[2]);
	usage();
	return CONTENT_EXIT_USAGE;
}
