/* What a region may publish: small-cell suppression of the region report and
 * its history, so that no hidden figure can be worked out from the figures
 * that are shown (docs/api.md, "Regions").  Pure: counts in, flags out. */
#ifndef HGKM_SUPPRESS_H
#define HGKM_SUPPRESS_H

#include <stdbool.h>

/* A group of fewer people than this is never shown; the one place the
 * threshold is set. */
#define SUPPRESS_MIN 5
/* History counts are rounded to a multiple of this. */
#define SUPPRESS_ROUND 5

enum sup_counter {
	SUP_STAFF,     /* teachers: active staff */
	SUP_CERTIFIED, /* teachers_certified */
	SUP_AF,        /* schools_with_af */
	SUP_NCOUNTERS
};

/* The schools of one board in one municipality: the finest unit anyone can
 * know the make-up of (the school register is public), so the unit over
 * which hidden figures must stay unsolvable. */
struct sup_cell {
	int       board, municipality; /* indexes into the groups */
	long long schools, staff, certified, af;
};

/* One published row: sums over its cells and which counters are hidden.
 * `schools` is public and never hidden. */
struct sup_group {
	long long schools, staff, certified, af;
	bool      hidden[SUP_NCOUNTERS];
};

struct sup_region {
	int                    nboards, nmunicipalities, ncells;
	const struct sup_cell *cells;
	struct sup_group      *boards;         /* nboards, filled by the call */
	struct sup_group      *municipalities; /* nmunicipalities, filled */
	struct sup_group       total;          /* filled */
};

/* Sums the cells into the groups and the total and decides what is hidden.
 * 0, or -1 when memory ran out or a cell names a group out of range. */
int suppress_region(struct sup_region *r);

/* The value of counter k of g. */
long long sup_value(const struct sup_group *g, enum sup_counter k);

/* One month of the history: published counts rounded to SUPPRESS_ROUND,
 * the percentage from the rounded counts; -1 where hidden. */
struct sup_month {
	bool      hidden; /* fewer than SUPPRESS_MIN staff: nothing shown */
	long long staff, certified;
	int       pct;
};
struct sup_month suppress_month(long long staff, long long certified);

/* The region report as the store reads it ({"region","as_of","cells":[{
 * "board_id","board","b","m","municipality","schools","staff","certified",
 * "af"}]}, b and m the 1-based rank of the board and municipality) into the
 * published report.  A malloc'ed string, NULL on bad input or no memory. */
char *suppress_region_report(const char *raw);

/* The region history as the store reads it ([{"month","teachers",
 * "teachers_certified",...}]) into the published one; as above. */
char *suppress_region_history(const char *raw);

#endif
