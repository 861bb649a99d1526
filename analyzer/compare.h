#ifndef COMPARE_H
#define COMPARE_H

/*
 * compare: `netreach compare BEFORE AFTER`, two analyses and the change
 * between them.
 *
 * Both exports run through the same pipeline as analyze (an_run with
 * keep_contacts), measured from the same home: --home, --home-coords or
 * --profile as given, else the home inferred from AFTER is used for BEFORE
 * too (as coordinates). cmp_compute matches and classifies the contacts
 * and computes the deltas (struct cmp_result); cmp_run does both. This
 * module writes nothing: the compare command (cmd_compare.c) has report.c
 * turn the result into compare.json, index.html and report.md
 * (rp_compare_write) and plot.c into charts (pl_compare_write).
 *
 * Matching, in three passes over all contacts so that a weaker key never
 * takes a contact a stronger key would have matched:
 *  1. normalised profile URL (ing_url_key);
 *  2. e-mail (lower case, blanks removed), between contacts still
 *     unmatched whose URLs do not contradict (not both present and
 *     different);
 *  3. folded name + company, between contacts still unmatched whose URLs
 *     and e-mails do not contradict.
 * Within a pass, equal keys pair up in file order (the first unmatched
 * BEFORE contact with the key goes to the first AFTER contact with it).
 *
 * Classification of a matched pair (the places it is at in BEFORE and AFTER):
 *  - moved: both at city level and more than the home radius apart
 *    (geodesic); or both resolved, at least one coarser than a city, and
 *    decidably elsewhere: another country, or another admin-1 region when
 *    both have an admin-1 code. "Germany" -> "Berlin, Germany" is a sharper
 *    location, not a move.
 *  - unchanged: every other matched pair, including pairs where a side has
 *    no resolved place (counted again in unplaced).
 * Unmatched AFTER contacts are added, unmatched BEFORE contacts removed.
 *
 * Intervals: each reach share's change by Newcombe's hybrid score method
 * (cmp_newcombe) and the median distance's change by MOVER (Zou and Donner
 * 2008) on order-statistic intervals (cmp_median_ci). Both treat the two
 * exports as independent samples; since most contacts are in both, the
 * intervals are conservative (too wide rather than too narrow).
 *
 * Ownership: struct cmp_result owns its arrays (cmp_result_release); the
 * st_item pointers in it point into the two results' summaries, which must
 * outlive it.
 */

#include "analyze.h"
#include "util.h"

enum cmp_key { CMP_BY_URL, CMP_BY_EMAIL, CMP_BY_NAME, CMP_KEY_COUNT };

/* A change of one number, with its 95% interval (lo, hi NAN when undecidable). */
struct cmp_delta {
	double before, after, diff, lo, hi;
	unsigned long x1, n1, x2, n2;   /* counts and bases of a share (0 for the median) */
};

/* Contacts who moved from one place to another (place indices of BEFORE and AFTER). */
struct cmp_move {
	size_t before, after;
	unsigned long count;
};

/* A country's connections in both exports (cmp_countries). */
struct cmp_country {
	const struct st_item *it;       /* the country's item of AFTER, else of BEFORE */
	unsigned long before, after;    /* its count in each */
	long change;                    /* after - before */
};

struct cmp_result {
	unsigned long added, removed, moved, unchanged;
	unsigned long unplaced;         /* matched pairs with a side without a resolved place (also in unchanged) */
	unsigned long moved_abroad;     /* moved from the home country to another one */
	unsigned long by[CMP_KEY_COUNT];/* matched pairs by the key that matched them */

	/* added contacts: resolved, abroad (country differs from home's), located (city level), beyond the home radius */
	unsigned long added_resolved, added_abroad, added_located, added_beyond_home;
	/* the same for contacts in both exports (their AFTER place) */
	unsigned long kept_resolved, kept_abroad, kept_located, kept_beyond_home;

	/*
	 * Added contacts against the earlier network (everyone in BEFORE):
	 * before = BEFORE's share, after = the added contacts' share, with the
	 * Newcombe interval of the difference. Beyond home: of located
	 * contacts; abroad: of resolved ones.
	 */
	struct cmp_delta added_beyond_home_vs_existing, added_abroad_vs_existing;

	/*
	 * Moved contacts per (BEFORE place, AFTER place) pair, by count desc,
	 * then before, then after: the compare map's arrows (no names).
	 */
	struct cmp_move *moves;
	size_t nr_moves;
	unsigned long *added_at;        /* per AFTER place index: added contacts there */
	unsigned long *removed_at;      /* per BEFORE place index: removed contacts there */

	struct cmp_delta reach[ST_REACH_COUNT];   /* share of each reach band, before -> after */
	struct cmp_delta median_km;               /* median distance of located contacts */

	/* countries / admin-1 regions in one summary and not the other (count from the summary that has them) */
	const struct st_item **countries_gained, **countries_lost, **admin1_gained, **admin1_lost;
	size_t nr_countries_gained, nr_countries_lost, nr_admin1_gained, nr_admin1_lost;
	struct cmp_country *countries;  /* every country of either export, see cmp_countries */
	size_t nr_countries;

	/*
	 * --targets (the same list in both runs): indices of the targets with
	 * no connection there in BEFORE and some in AFTER (doors gained), and
	 * the other way round (doors lost), in the list's order.
	 */
	size_t *doors_gained, *doors_lost;
	size_t nr_doors_gained, nr_doors_lost;
};

/*
 * Match, classify and compute the deltas of b (BEFORE) and a (AFTER), both
 * run with keep_contacts and the same home and radius. Fills *out (released
 * with cmp_result_release).
 */
void cmp_compute(const struct an_result *b, const struct an_result *a, struct cmp_result *out);
void cmp_result_release(struct cmp_result *c);

/*
 * The change per country from summary b (BEFORE) to a (AFTER): one entry
 * per country code in either, sorted by the size of the change
 * (|change| desc), then gains before losses, then code. Fills *out with
 * a new array (the caller frees it; its items point into a and b) and
 * returns its length.
 */
size_t cmp_countries(const struct st_summary *b, const struct st_summary *a, struct cmp_country **out);

/*
 * Run both analyses (an_run with keep_contacts, AFTER first, BEFORE from
 * the same home as described above) with the data lent, and cmp_compute
 * them into *c. Returns NR_EX_OK with *b, *a and *c filled (the caller
 * releases all three, c first), or an exit status with err and nothing to
 * release.
 */
int cmp_run(struct nr_data *data, const struct an_options *opt, const char *before, const char *after,
	    struct an_result *b, struct an_result *a, struct cmp_result *c, struct strbuf *err);

/* 95% interval of a proportion x/n by Wilson's score method (z = 1.959964); [0,0] when n == 0. */
void cmp_wilson(unsigned long x, unsigned long n, double *lo, double *hi);

/*
 * 95% interval for p2 - p1 = x2/n2 - x1/n1 by Newcombe's hybrid score
 * method (his method 10): Wilson intervals (l1,u1), (l2,u2) combined by
 * square-and-add, lo = d - sqrt((p2-l2)^2 + (u1-p1)^2), hi = d +
 * sqrt((u2-p2)^2 + (p1-l1)^2). Returns d = p2 - p1. With n1 or n2 zero the
 * interval is [NAN, NAN].
 */
double cmp_newcombe(unsigned long x1, unsigned long n1, unsigned long x2, unsigned long n2,
		    double *lo, double *hi);

/*
 * A weighted sample: values[i] occurs weights[i] times; values sorted
 * ascending, N = sum of weights. Returns the type-7 median (st_quantile,
 * as in summary.json) and a distribution-free 95% interval from order
 * statistics: the values at 1-based ranks floor(N/2 - 1.96 sqrt(N)/2) and
 * ceil(1 + N/2 + 1.96 sqrt(N)/2), clamped to [1, N]. NAN (all three)
 * when N is 0.
 */
double cmp_median_ci(const double *values, const unsigned long *weights, size_t n,
		     double *lo, double *hi);

#endif
