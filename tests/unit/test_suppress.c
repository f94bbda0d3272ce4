/* Unit and property tests of the region suppression (suppress.c): no hidden
 * figure of a region report can be solved from what it shows.
 *
 * The property test builds SUPPRESS_TEST_REGIONS random regions (default
 * 10,000; seed SUPPRESS_TEST_SEED) and, for every hidden figure, asks an
 * exact integer solver (GLPK's branch and cut) for the least and the largest
 * value it can take given everything shown.  The model is what an outsider
 * can know: the cells (schools of one board in one municipality) and their
 * number of schools are public; per cell the unknowns are integers a
 * (certified staff), u (other staff), f (schools with a certified AF) with
 * a, u >= 0, 0 <= f <= schools, f <= a; every shown figure of every row and
 * of the total is an equation (staff = sum a + u, certified = sum a,
 * schools_with_af = sum f over the row's cells).  A hidden figure is
 * derivable when its least and largest value are equal.  The unknowns get a
 * generous upper bound so that every problem has an optimum; a bound only
 * narrows the range, so it can only make a figure look more derivable than
 * it is, never less.  It prints the number of regions, hidden figures and
 * derivable figures; the last must be 0.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <glpk.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suppress.h"

#define MAX_B 14
#define MAX_M 6
#define MAX_CELLS (MAX_B * 3)

static uint64_t rng;

static uint32_t
rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng % n);
}

/* A random region of one of several shapes. */
static int
random_region(struct sup_cell *cells, int *nb, int *nm)
{
	int shape = (int)rnd(5), n = 0;

	*nb = 1 + (int)rnd(shape == 0 ? 2 : shape == 2 ? MAX_B : 8);
	*nm = 1 + (int)rnd(shape == 0 ? 2 : MAX_M);
	for (int b = 0; b < *nb; b++) {
		int spread = 1 + (int)rnd(3);
		int first = (int)rnd((uint32_t)*nm);

		for (int j = 0; j < spread && j < *nm; j++) {
			struct sup_cell *c = &cells[n++];
			long long        max_staff;

			c->board = b;
			c->municipality = (first + j) % *nm;
			c->schools = 1 + rnd(3);
			switch (shape) {
			case 0: /* tiny */
				max_staff = 4;
				break;
			case 2: /* many small boards, one big one */
				max_staff = b == 0 ? 80 : 6;
				break;
			case 3:
				max_staff = 12;
				break;
			default:
				max_staff = 40;
			}
			c->staff = rnd((uint32_t)max_staff + 1);
			switch (rnd(4)) {
			case 0:
				c->certified = c->staff; /* everyone */
				break;
			case 1:
				c->certified = 0;
				break;
			default:
				c->certified = rnd((uint32_t)c->staff + 1);
			}
			c->af = rnd((uint32_t)(c->schools < c->certified
			                           ? c->schools
			                           : c->certified) +
			            1);
		}
	}
	/* Every municipality index must name one: renumber the used ones. */
	{
		int map[MAX_M], used = 0;

		for (int m = 0; m < MAX_M; m++)
			map[m] = -1;
		for (int i = 0; i < n; i++)
			if (map[cells[i].municipality] < 0)
				map[cells[i].municipality] = used++;
		for (int i = 0; i < n; i++)
			cells[i].municipality = map[cells[i].municipality];
		*nm = used;
	}
	return n;
}

struct checker {
	glp_prob *lp;
	int       ncells;
	int      *ia, *ja;
	double   *ar;
	int       ne;
};

/* Column of unknown `which` (0 a, 1 u, 2 f) of cell i; 1-based. */
static int
col(int i, int which)
{
	return 3 * i + which + 1;
}

static void
add_coefs(struct checker *ck, int row, const struct sup_cell *cells,
          const struct sup_region *r, int v, enum sup_counter k)
{
	for (int i = 0; i < ck->ncells; i++) {
		bool in = v < 0 || (v < r->nboards ? cells[i].board == v
		                                   : cells[i].municipality ==
		                                         v - r->nboards);

		if (!in)
			continue;
		if (k == SUP_STAFF) {
			ck->ia[++ck->ne] = row, ck->ja[ck->ne] = col(i, 0),
			ck->ar[ck->ne] = 1;
			ck->ia[++ck->ne] = row, ck->ja[ck->ne] = col(i, 1),
			ck->ar[ck->ne] = 1;
		} else {
			ck->ia[++ck->ne] = row;
			ck->ja[ck->ne] = col(i, k == SUP_CERTIFIED ? 0 : 2);
			ck->ar[ck->ne] = 1;
		}
	}
}

static const struct sup_group *
group_of(const struct sup_region *r, int v)
{
	return v < 0            ? &r->total
	       : v < r->nboards ? &r->boards[v]
	                        : &r->municipalities[v - r->nboards];
}

/* The model of everything r shows. */
static void
build_model(struct checker *ck, const struct sup_cell *cells,
            const struct sup_region *r)
{
	int    nv = r->nboards + r->nmunicipalities, row = 0;
	size_t cap =
	    (size_t)(ck->ncells * 2 + 1) * (size_t)(nv + 2) * 3 * 2 + 16;
	double big = 1000;

	ck->lp = glp_create_prob();
	ck->ia = calloc(cap, sizeof(int));
	ck->ja = calloc(cap, sizeof(int));
	ck->ar = calloc(cap, sizeof(double));
	ck->ne = 0;
	glp_add_cols(ck->lp, 3 * ck->ncells);
	for (int i = 0; i < ck->ncells; i++) {
		for (int w = 0; w < 3; w++)
			glp_set_col_kind(ck->lp, col(i, w), GLP_IV);
		glp_set_col_bnds(ck->lp, col(i, 0), GLP_DB, 0, big);
		glp_set_col_bnds(ck->lp, col(i, 1), GLP_DB, 0, big);
		if (cells[i].schools > 0)
			glp_set_col_bnds(ck->lp, col(i, 2), GLP_DB, 0,
			                 (double)cells[i].schools);
		else
			glp_set_col_bnds(ck->lp, col(i, 2), GLP_FX, 0, 0);
		row = glp_add_rows(ck->lp, 1); /* f - a <= 0 */
		glp_set_row_bnds(ck->lp, row, GLP_UP, 0, 0);
		ck->ia[++ck->ne] = row, ck->ja[ck->ne] = col(i, 2),
		ck->ar[ck->ne] = 1;
		ck->ia[++ck->ne] = row, ck->ja[ck->ne] = col(i, 0),
		ck->ar[ck->ne] = -1;
	}
	for (int v = -1; v < nv; v++)
		for (int k = 0; k < SUP_NCOUNTERS; k++) {
			const struct sup_group *g = group_of(r, v);

			if (g->hidden[k])
				continue;
			row = glp_add_rows(ck->lp, 1);
			glp_set_row_bnds(
			    ck->lp, row, GLP_FX,
			    (double)sup_value(g, (enum sup_counter)k),
			    (double)sup_value(g, (enum sup_counter)k));
			add_coefs(ck, row, cells, r, v, (enum sup_counter)k);
		}
	glp_load_matrix(ck->lp, ck->ne, ck->ia, ck->ja, ck->ar);
}

static void
free_model(struct checker *ck)
{
	glp_delete_prob(ck->lp);
	free(ck->ia);
	free(ck->ja);
	free(ck->ar);
}

/* The optimum of the figure (v, k) in direction dir. */
static long long
optimum(struct checker *ck, const struct sup_cell *cells,
        const struct sup_region *r, int v, enum sup_counter k, int dir)
{
	glp_iocp parm;
	int      ret;

	for (int j = 1; j <= 3 * ck->ncells; j++)
		glp_set_obj_coef(ck->lp, j, 0);
	for (int i = 0; i < ck->ncells; i++) {
		bool in = v < 0 || (v < r->nboards ? cells[i].board == v
		                                   : cells[i].municipality ==
		                                         v - r->nboards);

		if (!in)
			continue;
		if (k == SUP_STAFF) {
			glp_set_obj_coef(ck->lp, col(i, 0), 1);
			glp_set_obj_coef(ck->lp, col(i, 1), 1);
		} else
			glp_set_obj_coef(ck->lp,
			                 col(i, k == SUP_CERTIFIED ? 0 : 2), 1);
	}
	glp_set_obj_dir(ck->lp, dir > 0 ? GLP_MAX : GLP_MIN);
	glp_init_iocp(&parm);
	parm.presolve = GLP_ON;
	parm.msg_lev = GLP_MSG_OFF;
	ret = glp_intopt(ck->lp, &parm);
	if (ret != 0 || glp_mip_status(ck->lp) != GLP_OPT)
		fail_msg("solver: ret %d status %d", ret,
		         glp_mip_status(ck->lp));
	return llround(glp_mip_obj_val(ck->lp));
}

/* Every shown figure passes the primary rule. */
static void
check_shown(const struct sup_group *g)
{
	if (!g->hidden[SUP_STAFF])
		assert_true(g->staff >= SUPPRESS_MIN);
	if (!g->hidden[SUP_CERTIFIED]) {
		assert_false(g->hidden[SUP_STAFF]);
		assert_true(g->certified >= SUPPRESS_MIN);
		assert_true(g->staff - g->certified >= SUPPRESS_MIN);
	}
	if (!g->hidden[SUP_AF])
		assert_false(g->hidden[SUP_STAFF]);
}

/* The hidden figures of r that the solver pins to one value; *hidden and
 * *shown count the figures. */
static long
count_derivable(const struct sup_cell *cells, const struct sup_region *r,
                long *hidden, long *shown, long region)
{
	struct checker ck = {0};
	long           derivable = 0;

	ck.ncells = r->ncells;
	build_model(&ck, cells, r);
	for (int v = -1; v < r->nboards + r->nmunicipalities; v++) {
		const struct sup_group *g = group_of(r, v);

		for (int k = 0; k < SUP_NCOUNTERS; k++) {
			long long truth = sup_value(g, (enum sup_counter)k);

			if (!g->hidden[k]) {
				(*shown)++;
				continue;
			}
			(*hidden)++;
			if (optimum(&ck, cells, r, v, (enum sup_counter)k, 1) >
			        truth ||
			    optimum(&ck, cells, r, v, (enum sup_counter)k, -1) <
			        truth)
				continue;
			derivable++;
			if (region >= 0)
				print_message(
				    "region %ld: figure %d of group %d (value "
				    "%lld) can be solved\n",
				    region, k, v, truth);
		}
	}
	free_model(&ck);
	return derivable;
}

static void
test_no_hidden_figure_can_be_solved(void **state)
{
	const char *env = getenv("SUPPRESS_TEST_REGIONS");
	long        regions = env ? atol(env) : 10000;
	long        hidden = 0, derivable = 0, shown = 0;

	(void)state;
	env = getenv("SUPPRESS_TEST_SEED");
	rng = env ? strtoull(env, NULL, 10) : 20261207;
	if (rng == 0)
		rng = 1;
	glp_term_out(GLP_OFF);
	for (long n = 0; n < regions; n++) {
		struct sup_cell   cells[MAX_CELLS];
		struct sup_group  boards[MAX_B], muns[MAX_M];
		struct sup_region r = {0};

		r.ncells = random_region(cells, &r.nboards, &r.nmunicipalities);
		r.cells = cells;
		r.boards = boards;
		r.municipalities = muns;
		assert_int_equal(suppress_region(&r), 0);
		for (int v = -1; v < r.nboards + r.nmunicipalities; v++)
			check_shown(group_of(&r, v));
		derivable += count_derivable(cells, &r, &hidden, &shown, n);
	}
	print_message(
	    "suppress property: %ld regions checked, %ld figures shown, "
	    "%ld hidden, %ld hidden figures derivable\n",
	    regions, shown, hidden, derivable);
	assert_int_equal(derivable, 0);
}

/* The solver finds what the old rule (hide groups under 5, nothing else)
 * gave away: Q = total - P, and Q = municipality - P. */
static void
test_solver_finds_the_old_leak(void **state)
{
	struct sup_cell cells[] = {
	    {0, 0, 1, 6, 3, 1},
	    {1, 0, 1, 2, 1, 0},
	};
	struct sup_group  boards[2], muns[1];
	struct sup_region r = {2, 1, 2, cells, boards, muns, {0}};
	long              hidden = 0, shown = 0;

	(void)state;
	assert_int_equal(suppress_region(&r), 0);
	/* Undo all but the old rule. */
	for (int v = -1; v < 3; v++) {
		struct sup_group *g = (struct sup_group *)group_of(&r, v);
		bool              small = g->staff < SUPPRESS_MIN;

		for (int k = 0; k < SUP_NCOUNTERS; k++)
			g->hidden[k] = small;
	}
	assert_true(boards[1].hidden[SUP_STAFF]);
	assert_false(boards[0].hidden[SUP_STAFF]);
	assert_int_equal(count_derivable(cells, &r, &hidden, &shown, -1), 3);
	assert_int_equal(hidden, 3);
}

/* The case of issue 11: board P with 6 staff and board Q with 2 in one
 * municipality; Q's figures must not follow from total minus P. */
static void
test_two_boards_one_municipality(void **state)
{
	struct sup_cell cells[] = {
	    {0, 0, 1, 6, 3, 1},
	    {1, 0, 1, 2, 1, 0},
	};
	struct sup_group  boards[2], muns[1];
	struct sup_region r = {2, 1, 2, cells, boards, muns, {0}};

	(void)state;
	assert_int_equal(suppress_region(&r), 0);
	assert_true(boards[1].hidden[SUP_STAFF]); /* Q: primary */
	/* Q's staff equals total - P, and municipality - P: P, the total and
	 * the municipality may not all show. */
	assert_true(boards[0].hidden[SUP_STAFF] ||
	            (r.total.hidden[SUP_STAFF] && muns[0].hidden[SUP_STAFF]));
	for (int k = 0; k < SUP_NCOUNTERS; k++)
		assert_true(boards[0].hidden[k] || r.total.hidden[k]);
}

/* P (6) and Q (2), each in a municipality of its own: hiding P and both
 * municipalities protects Q, and the region total of 8 may still show (a
 * person moved from Q to P changes no shown figure). */
static void
test_total_stays_when_rows_hide_each_other(void **state)
{
	struct sup_cell cells[] = {
	    {0, 0, 1, 6, 1, 0},
	    {1, 1, 1, 2, 1, 0},
	};
	struct sup_group  boards[2], muns[2];
	struct sup_region r = {2, 2, 2, cells, boards, muns, {0}};

	(void)state;
	assert_int_equal(suppress_region(&r), 0);
	assert_true(boards[0].hidden[SUP_STAFF]);
	assert_true(boards[1].hidden[SUP_STAFF]);
	assert_true(muns[0].hidden[SUP_STAFF]);
	assert_true(muns[1].hidden[SUP_STAFF]);
	assert_false(r.total.hidden[SUP_STAFF]);
	assert_int_equal(r.total.staff, 8);
	assert_true(r.total.hidden[SUP_CERTIFIED]); /* 2 of 8 */
}

/* A big board, and two small ones whose sum is below the threshold: the
 * remainder of the small ones (total - big) would show 3 people. */
static void
test_remainder_of_small_rows_is_hidden(void **state)
{
	struct sup_cell cells[] = {
	    {0, 0, 3, 40, 20, 2},
	    {1, 0, 1, 2, 1, 0},
	    {2, 0, 1, 1, 1, 1},
	};
	struct sup_group  boards[3], muns[1];
	struct sup_region r = {3, 1, 3, cells, boards, muns, {0}};

	(void)state;
	assert_int_equal(suppress_region(&r), 0);
	assert_true(boards[1].hidden[SUP_STAFF]);
	assert_true(boards[2].hidden[SUP_STAFF]);
	/* 2 + 1 < 5: the big board or the total must go too. */
	assert_true(boards[0].hidden[SUP_STAFF] || r.total.hidden[SUP_STAFF]);
}

/* A shown group whose certified count is all or nearly all hides it. */
static void
test_certified_all_or_none(void **state)
{
	struct sup_cell cells[] = {
	    {0, 0, 2, 20, 20, 2}, /* everyone certified */
	    {1, 0, 2, 20, 10, 1},
	    {2, 0, 2, 20, 0, 0},  /* no one */
	    {3, 0, 2, 20, 17, 1}, /* all but 3 */
	};
	struct sup_group  boards[4], muns[1];
	struct sup_region r = {4, 1, 4, cells, boards, muns, {0}};

	(void)state;
	assert_int_equal(suppress_region(&r), 0);
	for (int b = 0; b < 4; b++)
		assert_false(boards[b].hidden[SUP_STAFF]);
	assert_true(boards[0].hidden[SUP_CERTIFIED]);
	assert_true(boards[2].hidden[SUP_CERTIFIED]);
	assert_true(boards[3].hidden[SUP_CERTIFIED]);
}

/* A board of one school shows no AF figure: 0 or 1 would be its IB'er's
 * status.  Neither does a group where every school or none has one. */
static void
test_af_none_or_all(void **state)
{
	struct sup_cell cells[] = {
	    {0, 0, 1, 20, 10, 1}, /* one school, with a certified AF */
	    {1, 0, 1, 20, 10, 0}, /* one school, without */
	    {2, 0, 3, 30, 15, 3}, /* all three */
	    {3, 0, 4, 40, 20, 2}, /* two of four */
	};
	struct sup_group  boards[4], muns[1];
	struct sup_region r = {4, 1, 4, cells, boards, muns, {0}};

	(void)state;
	assert_int_equal(suppress_region(&r), 0);
	assert_true(boards[0].hidden[SUP_AF]);
	assert_true(boards[1].hidden[SUP_AF]);
	assert_true(boards[2].hidden[SUP_AF]);
	for (int b = 0; b < 4; b++)
		assert_false(boards[b].hidden[SUP_STAFF]);
}

static void
test_month(void **state)
{
	struct sup_month m;

	(void)state;
	m = suppress_month(2, 1);
	assert_true(m.hidden);
	assert_int_equal(m.staff, -1);
	assert_int_equal(m.pct, -1);
	m = suppress_month(23, 11);
	assert_false(m.hidden);
	assert_int_equal(m.staff, 25);
	assert_int_equal(m.certified, 10);
	assert_int_equal(m.pct, 40);
	m = suppress_month(22, 20); /* 2 not certified */
	assert_int_equal(m.staff, 20);
	assert_int_equal(m.certified, -1);
	assert_int_equal(m.pct, -1);
}

static void
test_report_json(void **state)
{
	const char *raw =
	    "{\"region\":{\"id\":1,\"name\":\"R\"},\"as_of\":\"x\",\"cells\":["
	    "{\"board_id\":7,\"board\":\"P\",\"b\":1,\"municipality\":\"M\","
	    "\"m\":1,\"schools\":1,\"staff\":6,\"certified\":3,\"af\":1},"
	    "{\"board_id\":8,\"board\":\"Q\",\"b\":2,\"municipality\":\"M\","
	    "\"m\":1,\"schools\":1,\"staff\":2,\"certified\":1,\"af\":0}]}";
	char   *text = suppress_region_report(raw);
	json_t *doc, *q, *t;

	(void)state;
	assert_non_null(text);
	doc = json_loads(text, 0, NULL);
	free(text);
	assert_non_null(doc);
	t = json_object_get(doc, "totals");
	q = json_array_get(json_object_get(doc, "boards"), 1);
	assert_string_equal(json_string_value(json_object_get(q, "name")), "Q");
	assert_true(json_is_true(json_object_get(q, "suppressed")));
	assert_true(json_is_null(json_object_get(q, "teachers")));
	assert_int_equal(json_integer_value(json_object_get(q, "schools")), 1);
	/* 8 staff, 4 certified: the total shows but never beside P's 6. */
	assert_int_equal(json_integer_value(json_object_get(t, "schools")), 2);
	assert_true(json_is_null(json_object_get(t, "teachers")) ||
	            json_is_null(json_object_get(
	                json_array_get(json_object_get(doc, "boards"), 0),
	                "teachers")));
	assert_null(suppress_region_report("{\"cells\":[{\"b\":0}]}"));
	assert_null(suppress_region_report("not json"));
	json_decref(doc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_two_boards_one_municipality),
	    cmocka_unit_test(test_total_stays_when_rows_hide_each_other),
	    cmocka_unit_test(test_remainder_of_small_rows_is_hidden),
	    cmocka_unit_test(test_certified_all_or_none),
	    cmocka_unit_test(test_af_none_or_all),
	    cmocka_unit_test(test_month),
	    cmocka_unit_test(test_report_json),
	    cmocka_unit_test(test_solver_finds_the_old_leak),
	    cmocka_unit_test(test_no_hidden_figure_can_be_solved),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
