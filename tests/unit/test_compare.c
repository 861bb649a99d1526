#include "unit.h"

#include <math.h>

#include "../plot/fixture.h"
#include "compare.h"
#include "report.h"

/*
 * Wilson, z = 1.959964, z^2 = 3.841459. For 56/70: p = 0.8,
 * denom = 1 + 3.841459/70 = 1.054878, centre = (0.8 + 3.841459/140)/denom
 * = 0.827439/1.054878 = 0.784393, half = z/denom * sqrt(0.8*0.2/70 +
 * 3.841459/(4*70^2)) = 1.858001 * sqrt(0.0022857 + 0.0001960) = 1.858001 *
 * 0.0498167 = 0.092560: [0.691834, 0.876953].
 * For 48/80: p = 0.6, denom = 1.048018, centre = 0.624009/1.048018 =
 * 0.595418, half = 1.870162 * sqrt(0.003 + 0.0001501) = 1.870162 * 0.0561254
 * = 0.104964: [0.490455, 0.700382].
 * For 0/29: centre = (3.841459/58)/1.132464 = 0.058485, half = 1.730707 *
 * sqrt(3.841459/3364) = 1.730707 * 0.0337925 = 0.058485: [0, 0.116970].
 */
/* The change per country: every code of either export once, by size of change, gains first, then code. */
static void test_countries(void **state)
{
	struct st_item bi[] = { { "US", "United States", NULL, 10, 0 }, { "DE", "Germany", NULL, 3, 0 },
				{ "FR", "France", NULL, 2, 0 }, { "IT", "Italy", NULL, 1, 0 } };
	struct st_item ai[] = { { "US", "United States", NULL, 12, 0 }, { "JP", "Japan", NULL, 2, 0 },
				{ "DE", "Germany", NULL, 1, 0 }, { "IT", "Italy", NULL, 1, 0 } };
	struct st_summary b, a;
	struct cmp_country *c;
	size_t n;
	(void)state;
	memset(&b, 0, sizeof(b));
	memset(&a, 0, sizeof(a));
	b.countries = bi;
	b.nr_countries = ARRAY_SIZE(bi);
	a.countries = ai;
	a.nr_countries = ARRAY_SIZE(ai);
	n = cmp_countries(&b, &a, &c);
	assert_int_equal(n, 5);
	/* JP +2 and US +2 (gains, by code), DE -2 and FR -2, IT 0 */
	assert_ptr_equal(c[0].it, &ai[1]);
	assert_int_equal(c[0].before, 0);
	assert_int_equal(c[0].after, 2);
	assert_ptr_equal(c[1].it, &ai[0]); /* AFTER's item when both have it */
	assert_int_equal(c[1].change, 2);
	assert_int_equal(c[1].before, 10);
	assert_string_equal(c[2].it->code, "DE");
	assert_int_equal(c[2].change, -2);
	assert_ptr_equal(c[3].it, &bi[2]); /* only BEFORE has France */
	assert_int_equal(c[3].after, 0);
	assert_int_equal(c[3].change, -2);
	assert_string_equal(c[4].it->code, "IT");
	assert_int_equal(c[4].change, 0);
	free(c);
}

static void test_wilson(void **state)
{
	double lo, hi;
	(void)state;
	cmp_wilson(56, 70, &lo, &hi);
	assert_double_near(lo, 0.691834, 1e-6);
	assert_double_near(hi, 0.876953, 1e-6);
	cmp_wilson(48, 80, &lo, &hi);
	assert_double_near(lo, 0.490455, 1e-6);
	assert_double_near(hi, 0.700382, 1e-6);
	cmp_wilson(0, 29, &lo, &hi);
	assert_double_near(lo, 0.0, 1e-12);
	assert_double_near(hi, 0.116970, 1e-6);
	cmp_wilson(29, 29, &lo, &hi);  /* mirror image */
	assert_double_near(lo, 1 - 0.116970, 1e-6);
	assert_double_near(hi, 1.0, 1e-12);
	cmp_wilson(0, 0, &lo, &hi);
	assert_true(lo == 0 && hi == 0);
}

/*
 * Newcombe (1998), Stat Med 17:873, Table II, method 10 (by hand from the
 * Wilson limits above). cmp_newcombe(x1, n1, x2, n2) is p2 - p1.
 *  (a) 56/70 - 48/80: d = 0.8 - 0.6 = 0.2000;
 *      lo = 0.2 - sqrt((0.8 - 0.691834)^2 + (0.700382 - 0.6)^2)
 *         = 0.2 - sqrt(0.011700 + 0.010077) = 0.2 - 0.147569 = 0.0524,
 *      hi = 0.2 + sqrt((0.876953 - 0.8)^2 + (0.6 - 0.490455)^2)
 *         = 0.2 + sqrt(0.005922 + 0.012000) = 0.2 + 0.133873 = 0.3339.
 *      (The paper's table has 0.0524 to 0.3339; a difference of 0.1833 with
 *      an upper limit of 0.3094 does not belong to this example.)
 *  (b) 9/10 - 3/10: d = 0.6; Wilson 9/10 = [0.595850, 0.982124], 3/10 =
 *      [0.107791, 0.603222]; lo = 0.6 - sqrt(0.304150^2 + 0.303222^2) =
 *      0.6 - 0.429478 = 0.1705, hi = 0.6 + sqrt(0.082124^2 + 0.192209^2) =
 *      0.6 + 0.209018 = 0.8090 (paper: 0.1705 to 0.8090).
 *  (c) 5/56 - 0/29: d = 0.0893; Wilson 5/56 = [0.038742, 0.192560];
 *      lo = 0.0893 - sqrt(0.050544^2 + 0.116970^2) = -0.0381, hi = 0.0893
 *      + sqrt(0.103274^2 + 0) = 0.1926 (paper: -0.0381 to 0.1926).
 */
static void test_newcombe(void **state)
{
	double lo, hi, d;
	(void)state;
	d = cmp_newcombe(48, 80, 56, 70, &lo, &hi);
	assert_double_near(d, 0.2, 1e-12);
	assert_double_near(lo, 0.0524, 5e-5);
	assert_double_near(hi, 0.3339, 5e-5);
	/* the other order: the interval mirrors */
	d = cmp_newcombe(56, 70, 48, 80, &lo, &hi);
	assert_double_near(d, -0.2, 1e-12);
	assert_double_near(lo, -0.3339, 5e-5);
	assert_double_near(hi, -0.0524, 5e-5);
	d = cmp_newcombe(3, 10, 9, 10, &lo, &hi);
	assert_double_near(d, 0.6, 1e-12);
	assert_double_near(lo, 0.1705, 5e-5);
	assert_double_near(hi, 0.8090, 5e-5);
	d = cmp_newcombe(0, 29, 5, 56, &lo, &hi);
	assert_double_near(d, 5.0 / 56, 1e-12);
	assert_double_near(lo, -0.0381, 5e-5);
	assert_double_near(hi, 0.1926, 5e-5);
	/* no base: no interval */
	d = cmp_newcombe(0, 0, 5, 56, &lo, &hi);
	assert_true(isnan(lo) && isnan(hi));
	(void)d;
}

/*
 * Order-statistic interval of the median: ranks floor(N/2 - 1.96 sqrt(N)/2)
 * and ceil(1 + N/2 + 1.96 sqrt(N)/2).
 *  - 1..100 once each: 1.959964 * 10 / 2 = 9.80; ranks floor(40.2) = 40 and
 *    ceil(60.8) = 61 (the textbook 40th and 61st of 100); median (50 +
 *    51) / 2 = 50.5 (type 7).
 *  - 10 x10, 20 x5, 30 x5 (N = 20): 1.959964 * 4.472136 / 2 = 4.38; ranks
 *    floor(5.62) = 5 -> 10 and ceil(15.38) = 16 -> 30 (ranks 11-15 are
 *    20, 16-20 are 30); median (x[10] + x[11]) / 2 = (10 + 20) / 2 = 15.
 *  - N = 5: ranks clamp to 1 and 5.
 */
static void test_median_ci(void **state)
{
	double v[100], lo, hi, m;
	unsigned long w[100];
	static const double v3[] = { 10, 20, 30 };
	static const unsigned long w3[] = { 10, 5, 5 };
	(void)state;
	for (int i = 0; i < 100; i++) {
		v[i] = i + 1;
		w[i] = 1;
	}
	m = cmp_median_ci(v, w, 100, &lo, &hi);
	assert_double_near(m, 50.5, 1e-12);
	assert_double_near(lo, 40, 1e-12);
	assert_double_near(hi, 61, 1e-12);
	m = cmp_median_ci(v3, w3, 3, &lo, &hi);
	assert_double_near(m, 15, 1e-12);
	assert_double_near(lo, 10, 1e-12);
	assert_double_near(hi, 30, 1e-12);
	m = cmp_median_ci(v, w, 5, &lo, &hi);
	assert_double_near(m, 3, 1e-12);
	assert_double_near(lo, 1, 1e-12);
	assert_double_near(hi, 5, 1e-12);
	m = cmp_median_ci(v, w, 0, &lo, &hi);
	assert_true(isnan(m) && isnan(lo) && isnan(hi));
}

#define N UINT32_MAX

/*
 * Fixture places (tests/plot/fixture.h): 0 Sheboygan, 1 Milwaukee, 2
 * Chicago (IL), 3 Madison, 4 New York, 5 San Francisco, 6 London, 7 Berlin,
 * 8 Tokyo, 9 Sydney, 10 Wisconsin (admin-1), 11 Germany (country), 12 Suva.
 * BEFORE has places 0-8 (US, GB, DE, JP), AFTER all 13 (+ AU, FJ).
 */
static const struct ag_contact before_c[] = {
	{ 1, 0, 100, 0 },      /* b0 = a0 by URL; aS has its name but comes first and must not take it */
	{ 2, 20, 0, 1 },       /* b1 = a1 by e-mail (a1 has no URL) */
	{ 3, 0, 0, 7 },        /* b2 = a2 by URL: Berlin -> Germany is coarser, not a move */
	{ 0, 30, 300, 6 },     /* b3: a3 has its name but another e-mail: removed */
	{ 0, 0, 400, 0 },      /* b4 = a4 by name */
	{ 5, 0, 500, 2 },      /* b5: a5 has its name but another URL: removed */
	{ 0, 0, 0, N },        /* b6: no identity: removed */
	{ 7, 0, 0, 1 },        /* b7 = a6: Milwaukee -> Madison, 121 km: moved */
	{ 8, 0, 0, 0 },        /* b8 = a7: Sheboygan -> Sydney: moved abroad */
	{ 0, 90, 0, 3 },       /* b9 = a8 by e-mail: Madison -> Wisconsin, same state: unchanged */
	{ 10, 0, 0, 2 },       /* b10 = a9: Chicago (IL) -> Wisconsin: another state: moved */
	{ 11, 0, 0, N },       /* b11 = a10: no place before: unchanged, unplaced */
	{ 0, 0, 1300, 0 },     /* b12 = a11, b13 = a12: equal names pair in file order */
	{ 0, 0, 1300, 4 },
};

static const struct ag_contact after_c[] = {
	{ 0, 0, 100, 0 },      /* aS: added */
	{ 1, 0, 0, 0 },        /* a0 */
	{ 0, 20, 0, 1 },       /* a1 */
	{ 3, 0, 0, 11 },       /* a2 */
	{ 0, 31, 300, 6 },     /* a3: added (London: abroad, beyond home) */
	{ 0, 0, 400, 0 },      /* a4 */
	{ 6, 0, 500, 9 },      /* a5: added (Sydney) */
	{ 7, 0, 0, 3 },        /* a6 */
	{ 8, 0, 0, 9 },        /* a7 */
	{ 0, 90, 0, 10 },      /* a8 */
	{ 10, 0, 0, 10 },      /* a9 */
	{ 11, 0, 0, 0 },       /* a10 */
	{ 0, 0, 1300, 0 },     /* a11 */
	{ 0, 0, 1300, 4 },     /* a12 */
	{ 99, 0, 0, 12 },      /* a13: added (Suva) */
	{ 98, 0, 0, N },       /* a14: added, no place */
};

static void build_pair(struct an_result *b, struct an_result *a)
{
	fx_build(b, 9, 1, 0);
	fx_build(a, FX_NR_CITIES, 1, 0);
	b->nr_contacts = ARRAY_SIZE(before_c);
	b->contacts = xcalloc(b->nr_contacts, sizeof(*b->contacts));
	memcpy(b->contacts, before_c, sizeof(before_c));
	a->nr_contacts = ARRAY_SIZE(after_c);
	a->contacts = xcalloc(a->nr_contacts, sizeof(*a->contacts));
	memcpy(a->contacts, after_c, sizeof(after_c));
}

static void release_pair(struct an_result *b, struct an_result *a)
{
	fx_release(b);
	fx_release(a);
}

static void test_compute(void **state)
{
	struct an_result b, a;
	struct cmp_result c;
	(void)state;
	build_pair(&b, &a);
	cmp_compute(&b, &a, &c);
	assert_int_equal(c.by[CMP_BY_URL], 6);     /* a0 a2 a6 a7 a9 a10 */
	assert_int_equal(c.by[CMP_BY_EMAIL], 2);   /* a1 a8 */
	assert_int_equal(c.by[CMP_BY_NAME], 3);    /* a4 a11 a12 */
	assert_int_equal(c.added, 5);              /* aS a3 a5 a13 a14 */
	assert_int_equal(c.removed, 3);            /* b3 b5 b6 */
	assert_int_equal(c.moved, 3);              /* a6 a7 a9 */
	assert_int_equal(c.moved_abroad, 1);       /* a7 */
	assert_int_equal(c.unchanged, 8);
	assert_int_equal(c.unplaced, 1);           /* a10 */
	assert_int_equal(c.added + c.moved + c.unchanged, a.nr_contacts);
	assert_int_equal(c.removed + c.moved + c.unchanged, b.nr_contacts);
	/* added: aS Sheboygan, a3 London, a5 Sydney, a13 Suva, a14 nowhere */
	assert_int_equal(c.added_resolved, 4);
	assert_int_equal(c.added_abroad, 3);
	assert_int_equal(c.added_located, 4);
	assert_int_equal(c.added_beyond_home, 3);
	assert_int_equal(c.added_beyond_home_vs_existing.x2, 3);
	assert_int_equal(c.added_beyond_home_vs_existing.n2, 4);
	assert_int_equal(c.added_beyond_home_vs_existing.x1, b.summary.reach[ST_REACH_BEYOND_HOME].count);
	assert_int_equal(c.added_abroad_vs_existing.n1, b.summary.reach[ST_REACH_OUTSIDE_COUNTRY].base);
	assert_double_near(c.added_abroad_vs_existing.after, 0.75, 1e-12);
	assert_int_equal(c.added_at[0], 1);
	assert_int_equal(c.added_at[6], 1);
	assert_int_equal(c.added_at[9], 1);
	assert_int_equal(c.added_at[12], 1);
	assert_int_equal(c.added_at[1], 0);
	assert_int_equal(c.removed_at[6], 1);      /* b3 */
	assert_int_equal(c.removed_at[2], 1);      /* b5 */
	assert_int_equal(c.removed_at[0], 0);
	/* moves per (before, after) place, count desc then before then after: a7 0->9, a6 1->3, a9 2->10 */
	assert_int_equal(c.nr_moves, 3);
	assert_int_equal(c.moves[0].before, 0);
	assert_int_equal(c.moves[0].after, 9);
	assert_int_equal(c.moves[1].before, 1);
	assert_int_equal(c.moves[1].after, 3);
	assert_int_equal(c.moves[2].before, 2);
	assert_int_equal(c.moves[2].after, 10);
	for (size_t i = 0; i < c.nr_moves; i++)
		assert_int_equal(c.moves[i].count, 1);
	/* countries: AU (1) and FJ (1) gained, by count then code; none lost */
	assert_int_equal(c.nr_countries_gained, 2);
	assert_string_equal(c.countries_gained[0]->code, "AU");
	assert_string_equal(c.countries_gained[1]->code, "FJ");
	assert_int_equal(c.nr_countries_lost, 0);
	for (int i = 0; i < ST_REACH_COUNT; i++) {
		assert_int_equal(c.reach[i].x1, b.summary.reach[i].count);
		assert_int_equal(c.reach[i].n2, a.summary.reach[i].base);
		assert_double_near(c.reach[i].diff, a.summary.reach[i].share - b.summary.reach[i].share, 1e-12);
		assert_true(c.reach[i].lo <= c.reach[i].diff && c.reach[i].diff <= c.reach[i].hi);
	}
	cmp_result_release(&c);
	release_pair(&b, &a);
}

static void test_headline(void **state)
{
	struct an_result b, a;
	struct cmp_result c;
	struct strbuf t = STRBUF_INIT;
	(void)state;
	build_pair(&b, &a);
	cmp_compute(&b, &a, &c);
	rp_compare_headline(&t, &b, &a, &c);
	/*
	 * BEFORE's last dated month is the fixture's last month; 3 of the 4
	 * placed newcomers live abroad (75%), against BEFORE's outside-country
	 * share; AU and FJ gained.
	 */
	{
		struct strbuf want = STRBUF_INIT;
		static const char *const months[] = { "January", "February", "March", "April", "May", "June", "July",
						      "August", "September", "October", "November", "December" };
		int m = b.summary.timeline[b.summary.nr_timeline - 1].month;
		/* it leads with the change in the headline number (beyond home; both fixtures round alike) */
		sb_addf(&want, "%.0f%% of your network now lives beyond Sheboygan, as before (%.0f%%). ",
			100.0 * a.summary.reach[ST_REACH_BEYOND_HOME].share, 100.0 * b.summary.reach[ST_REACH_BEYOND_HOME].share);
		sb_addf(&want, "Since %s %d, 5 people joined your network and 3 left it; 75%% of the newcomers live "
			       "abroad, against %.0f%% before; you now reach 2 more countries.",
			months[m % 12], m / 12, 100.0 * b.summary.reach[ST_REACH_OUTSIDE_COUNTRY].share);
		assert_string_equal(t.buf, want.buf);
		sb_release(&want);
	}
	/* the headline number went up */
	a.summary.reach[ST_REACH_BEYOND_HOME].share = 0.75;
	b.summary.reach[ST_REACH_BEYOND_HOME].share = 0.5;
	sb_reset(&t);
	rp_compare_headline(&t, &b, &a, &c);
	assert_non_null(strstr(t.buf, "75% of your network now lives beyond Sheboygan, up from 50%. Since "));
	/* nobody removed: "grew by" */
	c.removed = 0;
	sb_reset(&t);
	rp_compare_headline(&t, &b, &a, &c);
	assert_non_null(strstr(t.buf, " your network grew by 5 people; 75% of them live abroad"));
	sb_release(&t);
	cmp_result_release(&c);
	release_pair(&b, &a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_countries),
		cmocka_unit_test(test_wilson),
		cmocka_unit_test(test_newcombe),
		cmocka_unit_test(test_median_ci),
		cmocka_unit_test(test_compute),
		cmocka_unit_test(test_headline),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
