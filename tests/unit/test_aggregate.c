#include "unit.h"

#include "aggregate.h"
#include "data.h"
#include "util.h"

#define M(y, m) ((y) * 12 + (m) - 1)

struct spec {
	unsigned long line;
	const char *location;    /* NULL: none */
	int coords;              /* lat/lon below */
	double lat, lon;
	int month;               /* 0: no date */
	const char *company;     /* NULL: none */
	const char *skip;        /* skipped with this reason */
};

static void feed(struct ag *a, const struct spec *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct ing_row row;
		memset(&row, 0, sizeof(row));
		row.line = s[i].line;
		row.status = s[i].skip ? ING_ROW_SKIPPED : s[i].location || s[i].coords ? ING_ROW_OK : ING_ROW_NO_LOCATION;
		row.skip_reason = s[i].skip;
		row.location = s[i].location;
		row.location_len = s[i].location ? strlen(s[i].location) : 0;
		row.has_coords = s[i].coords;
		row.lat = s[i].lat;
		row.lon = s[i].lon;
		row.date_state = s[i].month ? ING_DATE_OK : ING_DATE_NONE;
		row.month = s[i].month;
		row.field[ING_COMPANY] = s[i].company;
		row.field_len[ING_COMPANY] = s[i].company ? strlen(s[i].company) : 0;
		assert_int_equal(ag_row(&row, a), 0);
	}
}

static const struct spec rows[] = {
	{ 2, "Berlin", 0, 0, 0, M(2024, 1), "Acme", NULL },
	{ 3, "Munich", 0, 0, 0, M(2024, 1), " ACME ", NULL },
	{ 4, "Berlin", 0, 0, 0, M(2024, 2), NULL, NULL },
	{ 5, NULL, 0, 0, 0, 0, NULL, "field longer than 1 MiB" },
	{ 6, NULL, 1, 52.5201, 13.4049, M(2024, 2), "The Acme", NULL },
	{ 7, NULL, 0, 0, 0, 0, "Initech", NULL },
};

static void opts(struct ag_options *o, size_t max_distinct)
{
	memset(o, 0, sizeof(*o));
	o->nr_inputs = 1;
	o->max_distinct = max_distinct;
	o->max_listed = 100;
}

/* What one aggregator made of rows[] (hand-counted); places: Berlin 0, Munich 1, the coordinates unresolved. */
static void check_rows(struct ag *a, unsigned long line_shift)
{
	struct ag_company *co, *tg;
	struct ag_month_count *conn;
	struct st_month_place *m;
	size_t nco, nconn, nm, nsk;
	unsigned long dated;
	char *targets[] = { "acme", "Globex" };
	struct ag_skipped *sk;
	size_t len;

	ag_flush(a); /* the rows ag_row held back */
	assert_int_equal(a->total.rows, 6);
	assert_int_equal(a->in[0].rows, 6);
	assert_int_equal(a->total.skipped, 1);
	assert_int_equal(a->total.no_location, 1);
	assert_int_equal(a->with_company, 4);
	/* three locs in order of first sight */
	assert_int_equal(a->nr_locs, 3);
	assert_int_equal(a->locs[0].kind, AG_LOC_STRING);
	assert_memory_equal(ag_loc_text(a, 0, &len), "Berlin", 6);
	assert_int_equal(len, 6);
	assert_int_equal(a->locs[0].count, 2);
	assert_int_equal(a->locs[1].count, 1);
	assert_int_equal(a->locs[2].kind, AG_LOC_COORDS);
	assert_int_equal(a->locs[2].lat_e3, 52520);
	assert_int_equal(a->locs[2].lon_e3, 13405);
	assert_int_equal(a->locs[2].count, 1);

	/* companies: "Acme", " ACME " (trimmed) and "The Acme" fold to one, named after the first in byte order */
	ag_companies(a, targets, 2, &co, &nco, &tg);
	assert_int_equal(nco, 2);
	assert_string_equal(co[0].name, "ACME");
	assert_int_equal(co[0].count, 3);
	assert_string_equal(co[1].name, "Initech");
	assert_int_equal(co[1].count, 1);
	assert_string_equal(tg[0].name, "acme");
	assert_int_equal(tg[0].count, 3);
	assert_int_equal(tg[1].count, 0);
	for (size_t i = 0; i < nco; i++)
		free(co[i].name);
	for (size_t i = 0; i < 2; i++)
		free(tg[i].name);
	free(co);
	free(tg);

	/* connected per month: every dated row not skipped */
	ag_connected(a, &conn, &nconn, &dated);
	assert_int_equal(nconn, 2);
	assert_int_equal(conn[0].month, M(2024, 1));
	assert_int_equal(conn[0].count, 2);
	assert_int_equal(conn[1].month, M(2024, 2));
	assert_int_equal(conn[1].count, 2);
	assert_int_equal(dated, 4);
	free(conn);

	/* the caller resolves the locs; the month table follows (the unresolved coordinates left out) */
	a->locs[0].place = 0;
	a->locs[1].place = 1;
	m = ag_month_places(a, &nm);
	assert_int_equal(nm, 3);
	assert_int_equal(m[0].month, M(2024, 1));
	assert_int_equal(m[0].place, 0);
	assert_int_equal(m[0].count, 1);
	assert_int_equal(m[1].month, M(2024, 1));
	assert_int_equal(m[1].place, 1);
	assert_int_equal(m[2].month, M(2024, 2));
	assert_int_equal(m[2].place, 0);
	assert_int_equal(m[2].count, 1);
	free(m);

	sk = ag_take_skipped(a, &nsk);
	assert_int_equal(nsk, 1);
	assert_int_equal(sk[0].line, 5 + line_shift);
	assert_string_equal(sk[0].reason, "field longer than 1 MiB");
	free(sk);
}

static void test_one(void **state)
{
	struct ag a;
	struct ag_options o;
	opts(&o, 100);
	ag_init(&a, &o);
	feed(&a, rows, ARRAY_SIZE(rows));
	check_rows(&a, 0);
	ag_release(&a);
}

/* A split read: the first rows in one aggregator, the rest (lines from the cut) in a part, joined. */
static void test_join(void **state)
{
	struct spec second[3];
	struct ag a, part;
	struct ag_options o;
	opts(&o, 100);
	ag_init(&a, &o);
	ag_init_part(&part, &a);
	feed(&a, rows, 3);
	/* lines of the second part count from the cut: base 4 makes line 1 line 4 */
	for (size_t i = 0; i < 3; i++) {
		second[i] = rows[3 + i];
		second[i].line = rows[3 + i].line - 3;
	}
	feed(&part, second, 3);
	assert_int_equal(part.total.rows, 3);
	assert_int_equal(ag_join(&a, &part, 4, 1), 0);
	assert_int_equal(a.split_reads, 1);
	/* the part is empty again, ready for the next cut */
	assert_int_equal(part.total.rows, 0);
	assert_int_equal(part.nr_locs, 0);
	/* a second join into the same aggregator is refused (one second part per export) */
	feed(&part, second, 1);
	assert_int_equal(ag_join(&a, &part, 4, 1), 1);
	assert_int_equal(a.total.rows, 6);
	check_rows(&a, 0);
	/* unused rows are not merged */
	feed(&part, second, 1);
	assert_int_equal(ag_join(&a, &part, 4, 0), 1);
	assert_int_equal(a.total.rows, 6);
	ag_release(&part);
	ag_release(&a);
}

/* Past max_distinct a second part gives up, and a first resolves new strings on arrival. */
static void test_limits(void **state)
{
	static const struct spec many[] = {
		{ 2, "Berlin", 0, 0, 0, 0, NULL, NULL },
		{ 3, "Munich", 0, 0, 0, 0, NULL, NULL },
		{ 4, "Sheboygan, WI", 0, 0, 0, 0, NULL, NULL },
		{ 5, "Atlantis of the Deep Sea Floor", 0, 0, 0, 0, NULL, NULL },
		{ 6, "Berlin", 0, 0, 0, 0, NULL, NULL },
	};
	struct nr_data data;
	struct strbuf err = STRBUF_INIT;
	struct ag a, part;
	struct ag_options o;
	struct ing_row row;
	struct gz *gz;

	nd_init(&data, TEST_DATA_DIR);
	opts(&o, 2);
	assert_int_equal(nd_gazetteer(&data, &gz, &err), NR_EX_OK);
	o.gz = gz;
	ag_init(&a, &o);
	feed(&a, many, ARRAY_SIZE(many));
	ag_flush(&a);
	/* Berlin and Munich kept; Sheboygan resolved to a place on arrival, the last one to a reason */
	assert_int_equal(sm_count(&a.strs), 2);
	assert_int_equal(a.overflow_rows, 2);
	assert_int_equal(a.nr_locs, 4);
	assert_int_equal(a.locs[0].count, 2);
	assert_int_equal(a.locs[2].kind, AG_LOC_PLACED);
	assert_string_equal(a.locs[2].placed->cc, "US");
	assert_int_equal(a.locs[3].kind, AG_LOC_OVERFLOW);
	assert_int_equal(a.total.rows, 5);

	/* the part's limit is a quarter of 2, at least 1: its second distinct string gives up */
	ag_init_part(&part, &a);
	memset(&row, 0, sizeof(row));
	row.status = ING_ROW_OK;
	row.location = "Paris";
	row.location_len = 5;
	assert_int_equal(ag_row(&row, &part), 0);
	assert_int_equal(ag_row(&row, &part), 0);
	row.location = "Rome";
	row.location_len = 4;
	/*
	 * the loc of a row with a location is found AG_LAG rows after it
	 * came: Rome's (the third row) when row 3 + AG_LAG comes, and the
	 * part gives up there
	 */
	for (int k = 3; k < 3 + AG_LAG; k++) /* rows 3 .. 2 + AG_LAG */
		assert_int_equal(ag_row(&row, &part), 0);
	assert_int_equal(ag_row(&row, &part), AG_GAVE_UP);
	ag_release(&part);
	/* a part that gives up only when ag_join counts its last rows is refused, and main stays as it was */
	ag_init_part(&part, &a);
	row.location = "Paris";
	row.location_len = 5;
	assert_int_equal(ag_row(&row, &part), 0);
	row.location = "Rome";
	row.location_len = 4;
	assert_int_equal(ag_row(&row, &part), 0);
	assert_int_equal(ag_join(&a, &part, 7, 1), 1);
	assert_int_equal(a.total.rows, 5);
	assert_int_equal(a.nr_locs, 4);
	ag_release(&part);
	ag_release(&a);
	nd_release(&data);
	sb_release(&err);
}

/*
 * Companies counted by spelling through the company index and past it: 70,000
 * short spellings (the index holds the first 65,536, AG_SIDX_MAX / 2), one
 * longer than an index key, and spellings that a joined part brought (in the
 * strmap, not in the index) named again afterwards.
 */
static void test_companies(void **state)
{
	enum { NCO = 70000 };
	static const char long_name[] = "Zeta Consolidated Holdings of the Northern Hemisphere Limited";
	static char names[NCO][16];
	struct spec s = { 2, NULL, 0, 0, 0, 0, NULL, NULL };
	struct ag a, part;
	struct ag_options o;
	struct ag_company *co, *tg;
	char *targets[] = { "co5", "co69999", "part only" };
	size_t nco;
	(void)state;
	assert_true(sizeof(long_name) - 1 > AG_SIDX_KEY);
	assert_true(AG_SIDX_MAX / 2 < NCO);
	opts(&o, 100000);
	ag_init(&a, &o);
	ag_init_part(&part, &a);
	/* the part comes after a's rows: it brings "part only" and one more "co5" */
	s.company = "part only";
	feed(&part, &s, 1);
	s.company = "co5";
	feed(&part, &s, 1);
	for (int i = 0; i < NCO; i++) {
		snprintf(names[i], sizeof(names[i]), "co%d", i);
		s.company = names[i];
		feed(&a, &s, 1);
	}
	s.company = long_name;
	feed(&a, &s, 1);
	feed(&a, &s, 1);
	s.company = "co69999"; /* past the index */
	feed(&a, &s, 1);
	assert_int_equal(ag_join(&a, &part, 4, 1), 0);
	/* after the join: a's reading goes on (the strmap has "part only", the index not) */
	s.company = "part only";
	feed(&a, &s, 1);
	s.company = long_name;
	feed(&a, &s, 1);
	assert_int_equal(a.with_company, NCO + 7);
	ag_flush(&a); /* the counts in the company index's buckets */
	ag_companies(&a, targets, 3, &co, &nco, &tg);
	assert_int_equal(nco, NCO + 2);
	/* three with 3 (the long name sorts first: 'Z' < 'c'), then "co69999" and "part only" with 2 */
	assert_string_equal(co[0].name, long_name);
	assert_int_equal(co[0].count, 3);
	assert_string_equal(co[1].name, "co5");
	assert_int_equal(co[1].count, 2);
	assert_string_equal(co[2].name, "co69999");
	assert_int_equal(co[2].count, 2);
	assert_string_equal(co[3].name, "part only");
	assert_int_equal(co[3].count, 2);
	assert_int_equal(co[4].count, 1);
	assert_int_equal(co[nco - 1].count, 1);
	assert_int_equal(tg[0].count, 2);
	assert_int_equal(tg[1].count, 2);
	assert_int_equal(tg[2].count, 2);
	for (size_t i = 0; i < nco; i++)
		free(co[i].name);
	for (size_t i = 0; i < 3; i++)
		free(tg[i].name);
	free(co);
	free(tg);
	ag_release(&part);
	ag_release(&a);
}

/*
 * Two inputs: the rows counted in the string index's buckets go to each
 * loc's count per input at ag_flush, which comes before the input changes;
 * a flush with nothing held back changes nothing.
 */
static void test_inputs(void **state)
{
	static const struct spec first[] = {
		{ 2, "Berlin", 0, 0, 0, 0, "Acme", NULL },
		{ 3, "Berlin", 0, 0, 0, 0, "Acme", NULL },
		{ 4, "Berlin", 0, 0, 0, 0, NULL, NULL },
	};
	static const struct spec second[] = {
		{ 2, "Munich", 0, 0, 0, 0, "Acme", NULL },
		{ 3, "Berlin", 0, 0, 0, 0, NULL, NULL },
		{ 4, "Berlin", 0, 0, 0, 0, NULL, NULL },
	};
	struct ag a;
	struct ag_options o;
	(void)state;
	opts(&o, 100);
	o.nr_inputs = 2;
	ag_init(&a, &o);
	feed(&a, first, ARRAY_SIZE(first));
	ag_flush(&a);
	a.input = 1;
	feed(&a, second, ARRAY_SIZE(second));
	ag_flush(&a);
	ag_flush(&a);
	assert_int_equal(a.nr_locs, 2);
	assert_int_equal(a.locs[0].count, 5);
	assert_int_equal(ag_loc_in(&a.locs[0], 0), 3);
	assert_int_equal(ag_loc_in(&a.locs[0], 1), 2);
	assert_int_equal(a.locs[1].count, 1);
	assert_int_equal(ag_loc_in(&a.locs[1], 0), 0);
	assert_int_equal(ag_loc_in(&a.locs[1], 1), 1);
	assert_int_equal(sm_value(&a.companies, 0), 3);
	assert_int_equal(a.in[0].rows, 3);
	assert_int_equal(a.in[1].rows, 3);
	ag_release(&a);
}

/*
 * Months outside the years of ing_parse_month (1900 to 2199) have no
 * narrow key in the (month, loc) table: they are counted in its wide slots
 * and still listed, sorted and merged with the others; contacts per month
 * leave them out.
 */
static void test_months_wide(void **state)
{
	static const struct spec far[] = {
		{ 2, "Berlin", 0, 0, 0, M(1850, 3), NULL, NULL },
		{ 3, "Berlin", 0, 0, 0, M(2024, 1), NULL, NULL },
		{ 4, "Munich", 0, 0, 0, M(1850, 3), NULL, NULL },
		{ 5, "Berlin", 0, 0, 0, M(1850, 3), NULL, NULL },
		{ 6, "Munich", 0, 0, 0, M(2300, 12), NULL, NULL },
	};
	struct ag a;
	struct ag_options o;
	struct st_month_place *m;
	struct ag_month_count *conn;
	size_t nm, nconn;
	unsigned long dated;
	(void)state;
	opts(&o, 100);
	ag_init(&a, &o);
	feed(&a, far, ARRAY_SIZE(far));
	ag_flush(&a);
	assert_int_equal(a.nr_locs, 2);
	ag_connected(&a, &conn, &nconn, &dated);
	assert_int_equal(nconn, 1);
	assert_int_equal(conn[0].month, M(2024, 1));
	assert_int_equal(dated, 1);
	free(conn);
	a.locs[0].place = 1; /* Berlin */
	a.locs[1].place = 0; /* Munich */
	m = ag_month_places(&a, &nm);
	assert_int_equal(nm, 4);
	assert_int_equal(m[0].month, M(1850, 3));
	assert_int_equal(m[0].place, 0);
	assert_int_equal(m[0].count, 1);
	assert_int_equal(m[1].month, M(1850, 3));
	assert_int_equal(m[1].place, 1);
	assert_int_equal(m[1].count, 2);
	assert_int_equal(m[2].month, M(2024, 1));
	assert_int_equal(m[2].place, 1);
	assert_int_equal(m[2].count, 1);
	assert_int_equal(m[3].month, M(2300, 12));
	assert_int_equal(m[3].place, 0);
	assert_int_equal(m[3].count, 1);
	free(m);
	ag_release(&a);
}

/*
 * The (month, place) list of many places in a month: 600 locs whose places
 * are a permutation (place = 7 * loc mod 600: the order of places is not
 * that of the locs; past 255, so the place sort takes two byte passes),
 * every 50th loc unresolved, loc 597 at loc 0's place (their pairs
 * merge); 3000 rows in three big months and two in a small one. Each
 * count is checked against the rows counted here one by one.
 */
static void test_month_order(void **state)
{
	enum { NLOC = 600, NROW = 3000 };
	static unsigned long want[4][NLOC];
	char name[NLOC][16];
	struct ag a;
	struct ag_options o;
	struct st_month_place *m;
	size_t nm, pairs = 0;
	(void)state;
	memset(want, 0, sizeof(want));
	opts(&o, 1000);
	ag_init(&a, &o);
	for (int i = 0; i < NLOC; i++)
		snprintf(name[i], sizeof(name[i]), "p%d", i);
	for (int r = 0; r < NROW + 2; r++) {
		struct spec s = { (unsigned long)r + 2, NULL, 0, 0, 0, 0, NULL, NULL };
		int loc = r < NROW ? (r * 13) % NLOC : 1 + r - NROW, mi = r < NROW ? r % 3 : 3;
		s.location = name[loc];
		s.month = M(2020, 1) + mi;
		feed(&a, &s, 1);
	}
	ag_flush(&a);
	assert_int_equal(a.nr_locs, NLOC);
	for (int i = 0; i < NLOC; i++) {
		/* loc i is string "p<i>": the first rows name locs 0, 13, 26, ... in that order */
		size_t len;
		const char *t = ag_loc_text(&a, i, &len);
		int k = atoi(t + 1);
		a.locs[i].place = k % 50 == 49 ? AG_NONE : k == 597 ? 0 : (uint32_t)((7 * k) % NLOC);
	}
	for (int r = 0; r < NROW + 2; r++) {
		int loc = r < NROW ? (r * 13) % NLOC : 1 + r - NROW, mi = r < NROW ? r % 3 : 3;
		if (loc % 50 != 49)
			want[mi][loc == 597 ? 0 : (7 * loc) % NLOC]++;
	}
	m = ag_month_places(&a, &nm);
	for (int mi = 0; mi < 4; mi++)
		for (int p = 0; p < NLOC; p++)
			pairs += want[mi][p] != 0;
	assert_int_equal(nm, pairs);
	for (size_t i = 0; i < nm; i++) {
		int mi = m[i].month - M(2020, 1);
		assert_true(mi >= 0 && mi < 4);
		assert_true(m[i].place < NLOC);
		if (i)
			assert_true(m[i - 1].month < m[i].month ||
				    (m[i - 1].month == m[i].month && m[i - 1].place < m[i].place));
		assert_int_equal(m[i].count, want[mi][m[i].place]);
	}
	/* the small month: locs 1 and 2 at places 7 and 14 */
	assert_int_equal(m[nm - 2].month, M(2020, 4));
	assert_int_equal(m[nm - 2].place, 7);
	assert_int_equal(m[nm - 1].place, 14);
	/* locs 0 and 597 share place 0: merged (each is named 5 times, all in month 0) */
	assert_int_equal(m[0].place, 0);
	assert_int_equal(m[0].count, 10);
	free(m);
	ag_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one),
		cmocka_unit_test(test_join),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_companies),
		cmocka_unit_test(test_inputs),
		cmocka_unit_test(test_month_order),
		cmocka_unit_test(test_months_wide),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
