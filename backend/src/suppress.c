/*
 * What a region may publish (docs/api.md, "Regions: what is hidden").
 *
 * Who reads a region report may know which schools belong to which board and
 * municipality (DUO's register is public), so a published figure is a sum
 * over known cells: the schools of one board in one municipality.  Each cell
 * holds certified staff a, other staff u and schools with a certified
 * aandachtsfunctionaris f (0 <= f <= schools, f <= a).  The rule:
 *
 *  1. Primary: a group (board, municipality, region total) of fewer than
 *     SUPPRESS_MIN staff shows no counter.  Its certified count shows only
 *     when at least SUPPRESS_MIN are certified and SUPPRESS_MIN are not, so
 *     no one's status follows from "all" or "none" or "all but 2".
 *  2. Remainder: where a level's total is known, the hidden rows of that
 *     level add up to total minus shown rows; that remainder is a group of
 *     its own and must pass rule 1 (at least two rows, >= SUPPRESS_MIN staff;
 *     >= SUPPRESS_MIN certified and not; for schools with an AF neither 0
 *     nor all), else the next smallest row, or the total, is hidden too.
 *  3. No hidden figure can be solved: for every hidden figure we construct
 *     another set of cell values, consistent with everything shown and with
 *     the bounds above, in which that figure differs: a move of one person
 *     (or one school's AF status) along an alternating path of cells from
 *     its group to another hidden group, which leaves every group in
 *     between unchanged.  Where no such path exists another row is hidden.
 *     Hiding more never breaks a path found before, so the loop ends.
 *
 * tests/unit/test_suppress.c checks rule 3 against an exact integer solver
 * on many random regions.
 */
#include "suppress.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define BIT(k) (1u << (k))

/* One kind of move on a cell: a change of (a, u, f) and the counters it
 * changes.  A path applies it with alternating sign. */
struct move {
	int      da, du, df;
	unsigned changes;
};

static const struct move moves[] = {
    {0, 1, 0, BIT(SUP_STAFF)},                      /* uncertified */
    {1, 0, 0, BIT(SUP_STAFF) | BIT(SUP_CERTIFIED)}, /* certified */
    {1, -1, 0, BIT(SUP_CERTIFIED)},                 /* status */
    {0, 0, 1, BIT(SUP_AF)},                         /* AF status */
    {1, 0, 1,
     BIT(SUP_STAFF) | BIT(SUP_CERTIFIED) | BIT(SUP_AF)}, /* AF person */
};

struct work {
	struct sup_region *r;
	int                nv;        /* boards, then municipalities */
	int               *adj_start; /* nv + 1 */
	int               *adj;       /* cell indexes, 2 per cell */
	int               *queue, *phase, *seen;
	int                stamp;
	bool              *witnessed; /* per vertex and counter; + total */
};

long long
sup_value(const struct sup_group *g, enum sup_counter k)
{
	return k == SUP_STAFF       ? g->staff
	       : k == SUP_CERTIFIED ? g->certified
	                            : g->af;
}

static struct sup_group *
vertex_group(struct work *w, int v)
{
	return v < w->r->nboards ? &w->r->boards[v]
	                         : &w->r->municipalities[v - w->r->nboards];
}

static bool
all_hidden(const struct sup_group *g, unsigned mask)
{
	for (int k = 0; k < SUP_NCOUNTERS; k++)
		if ((mask & BIT(k)) && !g->hidden[k])
			return false;
	return true;
}

static void
hide(struct sup_group *g, enum sup_counter k)
{
	/* A row without its staff count shows nothing: the UI's "suppressed".
	 */
	if (k == SUP_STAFF)
		for (int i = 0; i < SUP_NCOUNTERS; i++)
			g->hidden[i] = true;
	else
		g->hidden[k] = true;
}

static void
primary(struct sup_group *g)
{
	memset(g->hidden, 0, sizeof(g->hidden));
	if (g->staff < SUPPRESS_MIN)
		hide(g, SUP_STAFF);
	if (g->certified < SUPPRESS_MIN ||
	    g->staff - g->certified < SUPPRESS_MIN)
		hide(g, SUP_CERTIFIED);
	/* "None" or "all" of the schools: most schools have one IB'er, so it
	 * tells that person's status (a board of one school, say). */
	if (g->af == 0 || g->af >= g->schools)
		hide(g, SUP_AF);
}

/* Can cell c take the move m with sign s and stay within its bounds? */
static bool
cell_allows(const struct sup_cell *c, const struct move *m, int s)
{
	long long a = c->certified + s * m->da;
	long long u = c->staff - c->certified + s * m->du;
	long long f = c->af + s * m->df;

	return a >= 0 && u >= 0 && f >= 0 && f <= c->schools && f <= a;
}

/*
 * Is there an alternating path from `start` (sign s on the cells taken from
 * start's side) to another group that, like start, hides every counter the
 * move changes?  A group in between gains and loses one, so it is unchanged.
 * An end on the other side changes the total by s: allowed when the total
 * hides those counters too, else a second path, from a hidden group on
 * start's side to a hidden one on the other side with sign -s, must undo
 * that change (phase 1).  The search visits every group at most once, so
 * the paths share no cell; it may miss a move (then more is hidden), never
 * accept a wrong one.
 */
static bool
path_from(struct work *w, int start, const struct move *m, int s)
{
	struct sup_region *r = w->r;
	bool               total_ok = all_hidden(&r->total, m->changes);
	bool               start_board = start < r->nboards, jumped = false;
	int                head = 0, tail = 0;

	w->stamp++;
	w->seen[start] = w->stamp;
	w->queue[tail] = start;
	w->phase[tail++] = 0;
	while (head < tail) {
		int  v = w->queue[head], ph = w->phase[head++];
		bool v_start_side = (v < r->nboards) == start_board;
		int  sign = (v_start_side ? s : -s) * (ph ? -1 : 1);

		for (int i = w->adj_start[v]; i < w->adj_start[v + 1]; i++) {
			const struct sup_cell *c = &r->cells[w->adj[i]];
			int  to = v < r->nboards ? r->nboards + c->municipality
			                         : c->board;
			bool to_start_side, end;

			if (w->seen[to] == w->stamp || !cell_allows(c, m, sign))
				continue;
			to_start_side = (to < r->nboards) == start_board;
			end = all_hidden(vertex_group(w, to), m->changes);
			if (end && (ph == 0 ? to_start_side || total_ok
			                    : !to_start_side))
				return true;
			w->seen[to] = w->stamp;
			w->queue[tail] = to;
			w->phase[tail++] = ph;
			if (ph == 1 || !end || to_start_side || jumped)
				continue;
			/* Phase 1 may start at any unvisited hidden group on
			 * start's side. */
			jumped = true;
			for (int u = start_board ? 0 : r->nboards;
			     u < (start_board ? r->nboards : w->nv); u++)
				if (w->seen[u] != w->stamp &&
				    all_hidden(vertex_group(w, u),
				               m->changes)) {
					w->seen[u] = w->stamp;
					w->queue[tail] = u;
					w->phase[tail++] = 1;
				}
		}
	}
	return false;
}

/* Does hidden counter k of vertex v (or of the total, v == -1) have a move
 * that changes it while everything shown stays? */
static bool
has_witness(struct work *w, int v, enum sup_counter k)
{
	struct sup_region *r = w->r;

	for (size_t i = 0; i < sizeof(moves) / sizeof(moves[0]); i++) {
		const struct move *m = &moves[i];

		if (!(m->changes & BIT(k)))
			continue;
		for (int s = -1; s <= 1; s += 2) {
			if (v >= 0) {
				if (all_hidden(vertex_group(w, v),
				               m->changes) &&
				    path_from(w, v, m, s))
					return true;
				continue;
			}
			/* The total changes only by a path from a board to a
			 * municipality. */
			if (!all_hidden(&r->total, m->changes))
				continue;
			for (int b = 0; b < r->nboards; b++)
				if (all_hidden(&r->boards[b], m->changes) &&
				    path_from(w, b, m, s))
					return true;
		}
	}
	return false;
}

/* Hides counter k of the shown row with the fewest staff in [from, to);
 * false when every row there hides it already. */
static bool
hide_smallest(struct work *w, int from, int to, enum sup_counter k)
{
	int best = -1;

	for (int v = from; v < to; v++) {
		struct sup_group *g = vertex_group(w, v);

		if (!g->hidden[k] &&
		    (best < 0 || g->staff < vertex_group(w, best)->staff))
			best = v;
	}
	if (best < 0)
		return false;
	hide(vertex_group(w, best), k);
	return true;
}

/* One more hidden figure for counter k, starting at level `boards`: a row of
 * that level, else the total, else a row of the other level.  False when
 * all of them hide it already. */
static bool
widen(struct work *w, bool boards, enum sup_counter k)
{
	struct sup_region *r = w->r;
	int                nb = r->nboards;

	if (hide_smallest(w, boards ? 0 : nb, boards ? nb : w->nv, k))
		return true;
	if (!r->total.hidden[k]) {
		hide(&r->total, k);
		return true;
	}
	return hide_smallest(w, boards ? nb : 0, boards ? w->nv : nb, k);
}

/* Rule 2 for counter k at one level: false when the hidden rows' remainder
 * could be worked out and does not pass rule 1. */
static bool
remainder_ok(struct work *w, bool boards, enum sup_counter k)
{
	struct sup_region *r = w->r;
	int from = boards ? 0 : r->nboards, to = boards ? r->nboards : w->nv;
	int hidden = 0, hidden_other = 0;
	long long n = 0, c = 0, f = 0, s = 0;

	for (int v = 0; v < w->nv; v++) {
		struct sup_group *g = vertex_group(w, v);

		if (v >= from && v < to) {
			if (!g->hidden[k])
				continue;
			hidden++;
			n += g->staff;
			c += g->certified;
			f += g->af;
			s += g->schools;
		} else if (g->hidden[k])
			hidden_other++;
	}
	if (hidden == 0)
		return true;
	/* The total is known when shown, or when the other level shows all. */
	if (r->total.hidden[k] && hidden_other > 0)
		return true;
	if (hidden < 2)
		return false;
	switch (k) {
	case SUP_STAFF:
		return n >= SUPPRESS_MIN;
	case SUP_CERTIFIED:
		return c >= SUPPRESS_MIN && n - c >= SUPPRESS_MIN;
	default:
		return f >= 1 && s - f >= 1;
	}
}

static void
sum_into(struct sup_group *g, const struct sup_cell *c)
{
	g->schools += c->schools;
	g->staff += c->staff;
	g->certified += c->certified;
	g->af += c->af;
}

static bool
work_init(struct work *w, struct sup_region *r)
{
	memset(w, 0, sizeof(*w));
	w->r = r;
	w->nv = r->nboards + r->nmunicipalities;
	w->adj_start = calloc((size_t)w->nv + 1, sizeof(int));
	w->adj = calloc((size_t)r->ncells * 2 + 1, sizeof(int));
	w->queue = calloc((size_t)w->nv + 1, sizeof(int));
	w->phase = calloc((size_t)w->nv + 1, sizeof(int));
	w->seen = calloc((size_t)w->nv + 1, sizeof(int));
	w->witnessed =
	    calloc(((size_t)w->nv + 1) * SUP_NCOUNTERS, sizeof(bool));
	if (!w->adj_start || !w->adj || !w->queue || !w->phase || !w->seen ||
	    !w->witnessed)
		return false;
	for (int i = 0; i < r->ncells; i++) {
		w->adj_start[r->cells[i].board + 1]++;
		w->adj_start[r->nboards + r->cells[i].municipality + 1]++;
	}
	for (int v = 0; v < w->nv; v++)
		w->adj_start[v + 1] += w->adj_start[v];
	/* seen doubles as the fill position while the lists are built */
	for (int i = 0; i < r->ncells; i++) {
		int b = r->cells[i].board,
		    m = r->nboards + r->cells[i].municipality;

		w->adj[w->adj_start[b] + w->seen[b]++] = i;
		w->adj[w->adj_start[m] + w->seen[m]++] = i;
	}
	memset(w->seen, 0, ((size_t)w->nv + 1) * sizeof(int));
	return true;
}

static void
work_free(struct work *w)
{
	free(w->adj_start);
	free(w->adj);
	free(w->queue);
	free(w->phase);
	free(w->seen);
	free(w->witnessed);
}

/* One step of rules 2 and 3: true when it hid something. */
static bool
widen_once(struct work *w)
{
	struct sup_region *r = w->r;

	for (int k = 0; k < SUP_NCOUNTERS; k++)
		for (int lvl = 0; lvl < 2; lvl++)
			if (!remainder_ok(w, lvl == 0, (enum sup_counter)k) &&
			    widen(w, lvl == 0, (enum sup_counter)k))
				return true;
	for (int v = -1; v < w->nv; v++)
		for (int k = 0; k < SUP_NCOUNTERS; k++) {
			const struct sup_group *g =
			    v < 0 ? &r->total : vertex_group(w, v);
			bool *done =
			    &w->witnessed[(size_t)(v + 1) * SUP_NCOUNTERS + k];

			if (!g->hidden[k] || *done)
				continue;
			if (has_witness(w, v, (enum sup_counter)k)) {
				*done = true; /* stays true: hiding more only
				                 adds moves */
				continue;
			}
			if (widen(w, v < r->nboards, (enum sup_counter)k))
				return true;
			/* Everything hides k: only a region without schools. */
			*done = true;
		}
	return false;
}

int
suppress_region(struct sup_region *r)
{
	struct work w;
	int         rc = -1;

	memset(&r->total, 0, sizeof(r->total));
	memset(r->boards, 0, sizeof(*r->boards) * (size_t)r->nboards);
	memset(r->municipalities, 0,
	       sizeof(*r->municipalities) * (size_t)r->nmunicipalities);
	for (int i = 0; i < r->ncells; i++) {
		const struct sup_cell *c = &r->cells[i];

		if (c->board < 0 || c->board >= r->nboards ||
		    c->municipality < 0 ||
		    c->municipality >= r->nmunicipalities)
			return -1;
		sum_into(&r->boards[c->board], c);
		sum_into(&r->municipalities[c->municipality], c);
		sum_into(&r->total, c);
	}
	if (!work_init(&w, r))
		goto out;
	primary(&r->total);
	for (int v = 0; v < w.nv; v++)
		primary(vertex_group(&w, v));
	while (widen_once(&w))
		;
	rc = 0;
out:
	work_free(&w);
	return rc;
}

static long long
round_to(long long n, long long step)
{
	return (n + step / 2) / step * step;
}

struct sup_month
suppress_month(long long staff, long long certified)
{
	struct sup_month m = {
	    .hidden = true, .staff = -1, .certified = -1, .pct = -1};

	/* Months can be set side by side: rounded counts keep the arrival or
	 * departure of one person (and their status) out of the difference. */
	if (staff < SUPPRESS_MIN)
		return m;
	m.hidden = false;
	m.staff = round_to(staff, SUPPRESS_ROUND);
	if (certified >= SUPPRESS_MIN && staff - certified >= SUPPRESS_MIN) {
		m.certified = round_to(certified, SUPPRESS_ROUND);
		m.pct = (int)((200 * m.certified + m.staff) / (2 * m.staff));
	}
	return m;
}

/* Counter k of g as JSON: null when hidden. */
static json_t *
shown(const struct sup_group *g, enum sup_counter k)
{
	return g->hidden[k] ? json_null() : json_integer(sup_value(g, k));
}

static json_t *
group_json(const struct sup_group *g)
{
	json_t *o = json_object();
	bool    pct =
	    !g->hidden[SUP_STAFF] && !g->hidden[SUP_CERTIFIED] && g->staff > 0;

	json_object_set_new(o, "schools", json_integer(g->schools));
	json_object_set_new(o, "suppressed",
	                    json_boolean(g->hidden[SUP_STAFF]));
	json_object_set_new(o, "teachers", shown(g, SUP_STAFF));
	json_object_set_new(o, "teachers_certified", shown(g, SUP_CERTIFIED));
	json_object_set_new(o, "schools_with_af", shown(g, SUP_AF));
	/* A whole percentage, and only beside the counts it comes from. */
	json_object_set_new(
	    o, "coverage_pct",
	    pct ? json_integer((200 * g->certified + g->staff) / (2 * g->staff))
	        : json_null());
	return o;
}

static long long
int_of(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_integer(v) ? json_integer_value(v) : -1;
}

char *
suppress_region_report(const char *raw)
{
	json_t *doc = json_loads(raw, 0, NULL), *cells, *row, *out = NULL;
	json_t *bnames, *bids, *mnames;
	struct sup_cell  *cell = NULL;
	struct sup_group *groups = NULL;
	struct sup_region r = {0};
	char             *text = NULL;
	size_t            i;

	cells = json_object_get(doc, "cells");
	bnames = json_array();
	bids = json_array();
	mnames = json_array();
	if (!json_is_array(cells))
		goto out;
	r.ncells = (int)json_array_size(cells);
	cell = calloc((size_t)r.ncells + 1, sizeof(*cell));
	if (cell == NULL)
		goto out;
	json_array_foreach (cells, i, row) {
		struct sup_cell *c = &cell[i];
		long long        b = int_of(row, "b"), m = int_of(row, "m");

		c->schools = int_of(row, "schools");
		c->staff = int_of(row, "staff");
		c->certified = int_of(row, "certified");
		c->af = int_of(row, "af");
		if (b < 1 || m < 1 || b > r.ncells || m > r.ncells ||
		    c->schools < 0 || c->staff < 0 || c->certified < 0 ||
		    c->af < 0)
			goto out;
		c->board = (int)b - 1;
		c->municipality = (int)m - 1;
		if (c->board >= r.nboards)
			r.nboards = c->board + 1;
		if (c->municipality >= r.nmunicipalities)
			r.nmunicipalities = c->municipality + 1;
		/* Names by rank; the ranks are dense, so every slot gets one.
		 */
		while (json_array_size(bnames) <= (size_t)c->board) {
			json_array_append_new(bnames, json_null());
			json_array_append_new(bids, json_null());
		}
		while (json_array_size(mnames) <= (size_t)c->municipality)
			json_array_append_new(mnames, json_null());
		json_array_set(bnames, (size_t)c->board,
		               json_object_get(row, "board"));
		json_array_set(bids, (size_t)c->board,
		               json_object_get(row, "board_id"));
		json_array_set(mnames, (size_t)c->municipality,
		               json_object_get(row, "municipality"));
	}
	groups = calloc((size_t)(r.nboards + r.nmunicipalities) + 1,
	                sizeof(*groups));
	if (groups == NULL)
		goto out;
	r.cells = cell;
	r.boards = groups;
	r.municipalities = groups + r.nboards;
	if (suppress_region(&r) != 0)
		goto out;
	out = json_object();
	json_object_set(out, "region", json_object_get(doc, "region"));
	json_object_set(out, "as_of", json_object_get(doc, "as_of"));
	json_object_set_new(out, "totals", group_json(&r.total));
	json_object_set_new(out, "municipalities", json_array());
	for (int m = 0; m < r.nmunicipalities; m++) {
		json_t *g = group_json(&r.municipalities[m]);

		json_object_set(g, "name", json_array_get(mnames, (size_t)m));
		json_array_append_new(json_object_get(out, "municipalities"),
		                      g);
	}
	json_object_set_new(out, "boards", json_array());
	for (int b = 0; b < r.nboards; b++) {
		json_t *g = group_json(&r.boards[b]);

		json_object_set(g, "board_id", json_array_get(bids, (size_t)b));
		json_object_set(g, "name", json_array_get(bnames, (size_t)b));
		json_array_append_new(json_object_get(out, "boards"), g);
	}
	text = json_dumps(out, JSON_COMPACT);
out:
	json_decref(out);
	json_decref(doc);
	json_decref(bnames);
	json_decref(bids);
	json_decref(mnames);
	free(cell);
	free(groups);
	return text;
}

char *
suppress_region_history(const char *raw)
{
	json_t *doc = json_loads(raw, 0, NULL), *row, *out = NULL;
	char   *text = NULL;
	size_t  i;

	if (!json_is_array(doc))
		goto out;
	out = json_array();
	json_array_foreach (doc, i, row) {
		long long        n = int_of(row, "teachers");
		long long        c = int_of(row, "teachers_certified");
		struct sup_month m;
		json_t          *o;

		if (n < 0 || c < 0)
			goto out;
		m = suppress_month(n, c);
		o = json_object();
		json_object_set(o, "month", json_object_get(row, "month"));
		json_object_set_new(o, "suppressed", json_boolean(m.hidden));
		json_object_set_new(o, "rounded_to",
		                    json_integer(SUPPRESS_ROUND));
		json_object_set_new(o, "teachers",
		                    m.staff < 0 ? json_null()
		                                : json_integer(m.staff));
		json_object_set_new(
		    o, "teachers_certified",
		    m.certified < 0 ? json_null() : json_integer(m.certified));
		json_object_set_new(o, "coverage_pct",
		                    m.pct < 0 ? json_null()
		                              : json_integer(m.pct));
		json_array_append_new(out, o);
	}
	text = json_dumps(out, JSON_COMPACT);
out:
	json_decref(out);
	json_decref(doc);
	return text;
}
