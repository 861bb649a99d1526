#ifndef COMPARE_H
#define COMPARE_H

/*
 * compare: `netreach compare BEFORE AFTER`, two analyses and the change
 * between them.
 *
 * Both exports run through the same pipeline as analyze (an_run with
 * keep_contacts), with the same home (resolved once from the options or
 * inferred from AFTER). Contacts are matched by normalised profile URL,
 * else email, else folded name + company, and classified as added,
 * removed, moved (in both, resolved places more than the home radius
 * apart) or unchanged. Output: compare.json, charts, index.html and
 * report.md, written atomically into out_dir.
 */

#include "analyze.h"
#include "util.h"

struct cmp_options {
	struct an_options an;
	const char *before, *after;
	const char *out_dir;
	int render, timestamp, show_names;
};

void cmp_options_init(struct cmp_options *o);

/*
 * Run the comparison and write the report. On success headline gets the
 * answer in a sentence ("Since March 2025 your network grew by 312
 * people; ..."). Returns NR_EX_OK or an exit status with err.
 */
int cmp_run(const struct cmp_options *o, struct strbuf *headline, struct strbuf *err);

#endif
