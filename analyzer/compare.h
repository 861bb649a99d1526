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

/* 95% interval of a proportion x/n by Wilson's score method; [0,0] when n == 0. */
void cmp_wilson(unsigned long x, unsigned long n, double *lo, double *hi);

/*
 * 95% interval for p2 - p1 = x2/n2 - x1/n1 by Newcombe's hybrid score
 * method (his method 10): Wilson intervals of each proportion combined by
 * square-and-add. Returns the difference.
 */
double cmp_newcombe(unsigned long x1, unsigned long n1, unsigned long x2, unsigned long n2,
		    double *lo, double *hi);

/*
 * A weighted sample: values[i] occurs weights[i] times; values sorted
 * ascending. cmp_median_ci gives the median (lower median for an even
 * total) and a distribution-free 95% interval from order statistics
 * (ranks n/2 -/+ 1.96 sqrt(n)/2). Returns the median; NAN when empty.
 */
double cmp_median_ci(const double *values, const unsigned long *weights, size_t n,
		     double *lo, double *hi);

#endif
