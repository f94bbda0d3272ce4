/* Course content, part 2 of 3: the checks across a parsed module (question
 * banks, balance, stray files). */
#include "content.h"

#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "content_impl.h"
#include "validate.h"

/*
 * Each objective's bank holds at least twice what an attempt draws from it
 * (and at least two questions), so that a retake can show other questions.
 * Skipped when the objectives or questions themselves were broken: that was
 * reported already.
 */
void
content_check_banks(struct ctx *c, const struct content_module *m)
{
	size_t i, j, n, need;

	if (m->n_objectives == 0 || m->n_objectives > CONTENT_MAX_OBJECTIVES ||
	    m->n_questions == 0)
		return;
	for (i = 0; i < m->n_questions; i++)
		if (m->questions[i].objective == NULL)
			return;
	for (i = 0; i < m->n_objectives; i++) {
		const struct content_objective *o = &m->objectives[i];

		if (o->id == NULL || o->draw == 0)
			continue;
		n = 0;
		for (j = 0; j < m->n_questions; j++)
			if (strcmp(m->questions[j].objective, o->id) == 0)
				n++;
		need = 2 * (size_t)o->draw;
		if (need < 2)
			need = 2;
		if (n < need)
			errlist_add(c->errs, NULL, 0, 0,
			            "%s: /objectives/%zu: \"%s\" has %zu "
			            "question%s, needs at least %zu (twice its "
			            "draw of %d, and at least 2)",
			            c->file, i, o->id, n, n == 1 ? "" : "s",
			            need, o->draw);
	}
}

/*
 * P(right) of a learner who ticks only the longest choice (uniformly among
 * ties): right only when the ticked set is exactly the correct set.
 */
static double
longest_pick_right(const struct content_question *q)
{
	size_t i, len, longest = 0, tied = 0, tied_correct = 0, correct = 0;

	for (i = 0; i < q->n_choices; i++) {
		len = utf8_chars(q->choices[i].text);
		if (len > longest)
			longest = len;
		if (q->choices[i].correct)
			correct++;
	}
	for (i = 0; i < q->n_choices; i++)
		if (utf8_chars(q->choices[i].text) == longest) {
			tied++;
			if (q->choices[i].correct)
				tied_correct++;
		}
	if (tied == 0 || correct != 1)
		return 0.0;
	return (double)tied_correct / (double)tied;
}

/* A correct choice is at least as long as every wrong one. */
static bool
longest_is_right(const struct content_question *q)
{
	size_t i, len, longest_right = 0, longest_wrong = 0;

	for (i = 0; i < q->n_choices; i++) {
		len = utf8_chars(q->choices[i].text);
		if (q->choices[i].correct && len > longest_right)
			longest_right = len;
		if (!q->choices[i].correct && len > longest_wrong)
			longest_wrong = len;
	}
	return longest_right >= longest_wrong;
}

void
content_balance(const struct content_module *m, struct content_balance *out)
{
	double weighted = 0.0;
	size_t i, j, n, draws = 0;

	memset(out, 0, sizeof(*out));
	out->bank = m->n_questions;
	out->objectives = m->n_objectives;
	for (j = 0; j < m->n_questions; j++)
		if (longest_is_right(&m->questions[j]))
			out->longest_right++;
	if (m->n_questions > 0)
		out->longest_right_pct =
		    100.0 * (double)out->longest_right / (double)m->n_questions;
	for (i = 0; i < m->n_objectives; i++) {
		const struct content_objective *o = &m->objectives[i];
		double                          sum = 0.0;

		n = 0;
		for (j = 0; j < m->n_questions; j++)
			if (strcmp(m->questions[j].objective, o->id) == 0) {
				sum += longest_pick_right(&m->questions[j]);
				n++;
			}
		draws += (size_t)o->draw;
		if (n > 0)
			weighted += (double)o->draw * sum / (double)n;
	}
	out->drawn = draws;
	if (draws > 0)
		out->longest_learner_score = 100.0 * weighted / (double)draws;
}

size_t
content_balance_check(const struct content_module *m, const char *json_path,
                      struct errlist *errs)
{
	struct content_balance b;
	size_t                 n = 0;

	if (m->n_questions == 0)
		return 0;
	content_balance(m, &b);
	if (b.longest_right_pct > CONTENT_LONGEST_RIGHT_MAX_PCT) {
		errlist_add(errs, NULL, 0, 0,
		            "%s: balance: in %zu of %zu questions (%.0f%%) a "
		            "right choice is the longest, at most %d%% may be",
		            json_path, b.longest_right, b.bank,
		            b.longest_right_pct, CONTENT_LONGEST_RIGHT_MAX_PCT);
		n++;
	}
	if (b.longest_learner_score >= (double)m->pass_mark) {
		errlist_add(
		    errs, NULL, 0, 0,
		    "%s: balance: a learner who always ticks the "
		    "longest choice scores %.1f on average, the pass mark "
		    "is %d: it must be below",
		    json_path, b.longest_learner_score, m->pass_mark);
		n++;
	}
	return n;
}

/* A Markdown file that no section lists is almost always a mistake. */
void
content_check_stray_files(const char *dir, const struct content_module *m,
                          struct errlist *errs)
{
	struct dirent *de;
	DIR           *d;
	size_t         i, len;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (de->d_name[0] == '.' || len < 3 ||
		    strcmp(de->d_name + len - 3, ".md") != 0)
			continue;
		for (i = 0; i < m->n_sections; i++)
			if (m->sections[i].file != NULL &&
			    strcmp(m->sections[i].file, de->d_name) == 0)
				break;
		if (i == m->n_sections)
			errlist_add(errs, NULL, 0, 0,
			            "%s/%s: not listed in module.json "
			            "/sections",
			            dir, de->d_name);
	}
	closedir(d);
}
