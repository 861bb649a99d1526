#include "unit.h"

#include <jansson.h>
#include <math.h>
#include <unistd.h>

#include "analyze.h"
#include "geo.h"
#include "util.h"

#define SAMPLE "datasets/samples/connections-sample.csv"
#define TRUTH "tests/truth/connections-sample.truth.json"

/* The test data directory, lent to every an_run; opened once for all tests (setup, teardown). */
static struct nr_data data;

static int setup(void **state)
{
	nd_init(&data, TEST_DATA_DIR);
	return 0;
}

static int teardown(void **state)
{
	nd_release(&data);
	return 0;
}

static void opts(struct an_options *o)
{
	an_options_init(o);
}

static void check_accounting(const struct an_result *r)
{
	unsigned long rows = 0;
	assert_int_equal(r->rows, r->resolved + r->unresolved + r->no_location + r->skipped);
	for (size_t i = 0; i < r->nr_inputs; i++) {
		const struct an_input_counts *c = &r->input_counts[i];
		assert_int_equal(c->rows, c->resolved + c->unresolved + c->no_location + c->skipped);
		assert_int_equal(c->rows, r->inputs[i].records);
		rows += c->rows;
	}
	assert_int_equal(rows, r->rows);
	{
		unsigned long placed = 0, unres = 0;
		for (size_t i = 0; i < r->nr_places; i++) {
			placed += r->places[i].count;
			if (i)
				assert_true(r->places[i - 1].count > r->places[i].count ||
					    (r->places[i - 1].count == r->places[i].count &&
					     strcmp(r->places[i - 1].place.name, r->places[i].place.name) <= 0));
		}
		assert_int_equal(placed, r->resolved);
		for (size_t i = 0; i < r->nr_unresolved_list; i++)
			unres += r->unresolved_list[i].count;
		assert_int_equal(unres, r->unresolved);
		assert_int_equal(r->summary.resolved, r->resolved);
	}
}

/* an_run that must succeed (else the test fails with its message), then check_accounting. */
static void run_checked(const struct an_options *o, const char **paths, size_t n, struct an_result *r)
{
	struct strbuf err = STRBUF_INIT;
	sb_init(&err, 0);
	if (an_run(&data, o, paths, n, r, &err))
		fail_msg("an_run: %s", err.buf);
	check_accounting(r);
	sb_release(&err);
}

static double jnum(json_t *o, const char *a, const char *b)
{
	json_t *v = json_object_get(o, a);
	if (b)
		v = json_object_get(v, b);
	if (!json_is_number(v))
		fail_msg("truth: no number %s.%s", a, b ? b : "");
	return json_number_value(v);
}

/*
 * The truth test: the generated sample (scripts/gen-sample) through the whole
 * pipeline against the generator's own numbers: every share within 2
 * percentage points, the median distance within 5%.
 */
static void test_truth(void **state)
{
	struct an_options o;
	struct an_result r;
	const char *paths[] = { SAMPLE };
	json_error_t jerr;
	json_t *t = json_load_file(TRUTH, 0, &jerr);
	static const struct {
		const char *key;
		int reach;  /* index into reach[], or -1 - dist band */
	} shares[] = {
		{ "home", ST_REACH_HOME }, { "beyond_home", ST_REACH_BEYOND_HOME },
		{ "beyond_161km", ST_REACH_BEYOND_161KM }, { "outside_admin1", ST_REACH_OUTSIDE_ADMIN1 },
		{ "outside_country", ST_REACH_OUTSIDE_COUNTRY }, { "outside_continent", ST_REACH_OUTSIDE_CONTINENT },
		{ "0-50", -1 }, { "50-161", -2 }, { "161-800", -3 }, { "800-3000", -4 }, { "3000+", -5 },
	};
	(void)state;
	assert_non_null(t);
	opts(&o);
	o.home_query = "Sheboygan, Wisconsin, United States";
	run_checked(&o, paths, 1, &r);
	assert_int_equal(r.rows, (unsigned long)jnum(t, "rows", NULL));
	assert_int_equal(r.no_location, (unsigned long)jnum(t, "no_location", NULL));
	assert_int_equal(r.skipped, 0);
	/* junk strings are unresolved; allow 1% of rows either way for geocoder judgement */
	assert_double_near((double)r.unresolved, jnum(t, "junk", NULL), 0.01 * r.rows);
	assert_double_near((double)r.summary.located, jnum(t, "located", NULL), 0.01 * r.rows);
	assert_string_equal(r.home.place.name, "Sheboygan");
	assert_string_equal(r.home.source, "home");
	assert_int_equal(r.home.inferred, 0);
	for (size_t i = 0; i < ARRAY_SIZE(shares); i++) {
		double want = jnum(t, "share", shares[i].key);
		double got = shares[i].reach >= 0 ? r.summary.reach[shares[i].reach].share
						  : r.summary.dist_band[-shares[i].reach - 1].share;
		if (fabs(got - want) > 0.02)
			fail_msg("share %s = %.4f, truth %.4f", shares[i].key, got, want);
	}
	{
		double want = jnum(t, "dist_km", "median");
		if (fabs(r.summary.dist_km.median - want) > 0.05 * want)
			fail_msg("median = %.2f km, truth %.2f km", r.summary.dist_km.median, want);
	}
	/* every country of the truth is found, with about its count */
	{
		json_t *cs = json_object_get(t, "countries");
		const char *cc;
		json_t *v;
		json_object_foreach(cs, cc, v) {
			size_t i;
			for (i = 0; i < r.summary.nr_countries; i++)
				if (strcmp(r.summary.countries[i].code, cc) == 0)
					break;
			if (i == r.summary.nr_countries)
				fail_msg("country %s not found", cc);
			assert_double_near((double)r.summary.countries[i].count, json_number_value(v), 0.01 * r.rows);
		}
		assert_int_equal(r.summary.nr_countries, json_object_size(cs));
	}
	/* dates: the sample spans 2014..2025, every row dated */
	assert_int_equal(r.summary.timeline[0].month / 12, 2014);
	assert_int_equal(r.summary.timeline[r.summary.nr_timeline - 1].month / 12, 2025);
	assert_int_equal(r.summary.timeline[r.summary.nr_timeline - 1].cumulative, r.resolved);
	/*
	 * The run opened the country outlines in the data it was lent, where
	 * they stay (for the home map, and the next run) after the result.
	 */
	an_result_release(&r);
	{
		struct geo_countries *c = data.countries, *again = NULL;
		struct strbuf err = STRBUF_INIT;
		assert_non_null(c);
		assert_true(geo_countries_outlines(c)->nr > 1500);
		assert_string_equal(geo_countries_locate(c, 52.52, 13.405), "DE");
		assert_int_equal(nd_countries(&data, &again, &err), NR_EX_OK);
		assert_ptr_equal(again, c);
		sb_release(&err);
	}
	json_decref(t);
}

/* A record of 1,001 fields, which ingest skips ("more than 1,000 fields"). */
static void add_wide_row(struct strbuf *csv)
{
	for (int i = 0; i < 1000; i++)
		sb_adds(csv, "x,");
	sb_adds(csv, "x\n");
}

static const char *const HEAD = "First Name,Last Name,URL,Email Address,Company,Position,Connected On,Location\n";

static void test_merge_and_lists(void **state)
{
	struct an_options o;
	struct an_result r;
	struct strbuf err = STRBUF_INIT, a = STRBUF_INIT, b = STRBUF_INIT;
	char *pa, *pb;
	const char *paths[2];
	(void)state;
	sb_init(&err, 0);
	sb_init(&a, 0);
	sb_init(&b, 0);
	sb_adds(&a, HEAD);
	sb_adds(&a, "Ann,A,https://www.linkedin.com/in/ann,,Kohler Co.,Editor,03 Jan 2024,\"Sheboygan, Wisconsin, United States\"\n"
		    "Bob,B,https://www.linkedin.com/in/bob,,,Writer,15 Jan 2024,\"Sheboygan, WI\"\n"
		    "Cy,C,https://www.linkedin.com/in/cy,,,Writer,20 Mar 2024,\"Berlin, Germany\"\n"
		    "Di,D,https://www.linkedin.com/in/di,,,Writer,01 Mar 2024,Remote\n"
		    "Ed,E,https://www.linkedin.com/in/ed,,,Writer,01 Mar 2024,\n"
		    "Fay,F,https://www.linkedin.com/in/fay,,,Writer,01 Apr 2024,N/A\n"
		    "Gus,G,https://www.linkedin.com/in/gus,,,Writer,01 Apr 2024,N/A\n");
	/* the second export repeats Ann (URL spelled differently) and Cy, and adds Hal in Milwaukee */
	sb_adds(&b, HEAD);
	sb_adds(&b, "Ann,A,http://linkedin.com/in/ann/,,,Editor,03 Jan 2024,\"Sheboygan, Wisconsin, United States\"\n"
		    "Cy,C,https://www.linkedin.com/in/cy?trk=x,,,Writer,20 Mar 2024,\"Berlin, Germany\"\n"
		    "Hal,H,https://www.linkedin.com/in/hal,,,Writer,01 May 2024,Greater Milwaukee Area\n");
	pa = unit_write_tmp("analyze", a.buf);
	pb = unit_write_tmp("analyze", b.buf);
	paths[0] = pa;
	paths[1] = pb;
	opts(&o);
	o.keep_contacts = 1;
	run_checked(&o, paths, 2, &r);
	assert_int_equal(r.rows, 10);
	assert_int_equal(r.duplicates, 2);
	assert_int_equal(r.skipped, 2);
	assert_int_equal(r.input_counts[1].duplicates, 2);
	assert_int_equal(r.input_counts[1].resolved, 1);
	assert_int_equal(r.input_counts[0].skipped, 0);
	assert_int_equal(r.nr_skipped_list, 2);
	assert_int_equal(r.skipped_list[0].input, 1);
	assert_int_equal(r.skipped_list[0].line, 2);
	assert_string_equal(r.skipped_list[0].reason, "duplicate profile URL");
	assert_int_equal(r.resolved, 4);      /* Ann, Bob (Sheboygan), Cy (Berlin), Hal (Milwaukee) */
	assert_int_equal(r.unresolved, 3);    /* Remote, N/A x2 */
	assert_int_equal(r.no_location, 1);   /* Ed */
	/* unresolved: by count desc, then text */
	assert_int_equal(r.nr_unresolved_list, 2);
	assert_string_equal(r.unresolved_list[0].text, "N/A");
	assert_int_equal(r.unresolved_list[0].count, 2);
	assert_string_equal(r.unresolved_list[1].text, "Remote");
	assert_non_null(r.unresolved_list[1].reason);
	/* two spellings of Sheboygan fold into one place */
	assert_int_equal(r.nr_places, 3);
	assert_string_equal(r.places[0].place.name, "Sheboygan");
	assert_int_equal(r.places[0].count, 2);
	assert_string_equal(r.places[1].place.name, "Berlin");    /* tie at 1: by name */
	assert_string_equal(r.places[2].place.name, "Milwaukee");
	/* home inferred: the most common city */
	assert_int_equal(r.home.inferred, 1);
	assert_string_equal(r.home.source, "inferred");
	assert_string_equal(r.home.query, "Sheboygan");
	assert_double_near(r.summary.reach[ST_REACH_HOME].share, 0.5, 1e-12);
	assert_double_near(r.summary.reach[ST_REACH_OUTSIDE_COUNTRY].share, 0.25, 1e-12);
	/* months: Jan 2024 Sheboygan 2; Mar Berlin 1; May Milwaukee 1 */
	assert_int_equal(r.nr_months, 3);
	assert_int_equal(r.months[0].month, 2024 * 12);
	assert_int_equal(r.months[0].count, 2);
	assert_int_equal(r.months[0].place, 0);
	assert_int_equal(r.months[2].month, 2024 * 12 + 4);
	assert_int_equal(r.summary.nr_timeline, 5);
	assert_double_near(r.summary.timeline[4].cumulative_beyond_home_share, 0.5, 1e-12);
	/* contacts: one per kept row (not the duplicates), by URL; Ed has no place */
	assert_int_equal(r.nr_contacts, 8);
	for (size_t i = 0; i < r.nr_contacts; i++)
		assert_true(r.contacts[i].url != 0);
	assert_int_equal(r.contacts[0].place, 0);
	assert_int_equal(r.contacts[4].place, UINT32_MAX);
	assert_int_equal(r.contacts[7].place, 2);
	assert_true(r.contacts[0].url != r.contacts[1].url);
	an_result_release(&r);

	/* one input: no de-duplication */
	paths[0] = pb;
	if (an_run(&data, &o, paths, 1, &r, &err))
		fail_msg("an_run: %s", err.buf);
	assert_int_equal(r.duplicates, 0);
	an_result_release(&r);

	unlink(pa);
	unlink(pb);
	free(pa);
	free(pb);
	sb_release(&a);
	sb_release(&b);
	sb_release(&err);
}

static void test_home_and_coords(void **state)
{
	struct an_options o;
	struct an_result r;
	struct strbuf err = STRBUF_INIT;
	char *p;
	const char *paths[1];
	(void)state;
	sb_init(&err, 0);
	/* coordinates only: Berlin, the Sheboygan area, the middle of the Atlantic */
	p = unit_write_tmp("analyze", "Name,Latitude,Longitude\nA,52.5200,13.4050\nB,43.7508,-87.7145\nC,43.75081,-87.71452\nD,30.0,-40.0\nE,,\n");
	paths[0] = p;
	opts(&o);
	o.has_home_coords = 1;
	o.home_lat = 43.7508;
	o.home_lon = -87.7145;
	run_checked(&o, paths, 1, &r);
	assert_string_equal(r.home.source, "home-coords");
	assert_string_equal(r.home.place.name, "Sheboygan");
	assert_double_near(r.home.place.lat, 43.7508, 1e-12);
	assert_int_equal(r.resolved, 3);
	assert_int_equal(r.nr_places, 2);
	assert_string_equal(r.places[0].place.name, "Sheboygan"); /* B and C round to the same point */
	assert_int_equal(r.places[0].count, 2);
	assert_string_equal(r.places[1].place.cc, "DE");
	assert_int_equal(r.unresolved, 1);
	assert_string_equal(r.unresolved_list[0].text, "30.000,-40.000");
	assert_string_equal(r.unresolved_list[0].reason, "no known place near the coordinates");
	assert_int_equal(r.no_location, 1);
	an_result_release(&r);

	/* --home must name a town */
	opts(&o);
	o.home_query = "Qwxzyville Nowhere";
	sb_reset(&err);
	assert_int_equal(an_run(&data, &o, paths, 1, &r, &err), NR_EX_USAGE);
	assert_string_equal(err.buf, "--home 'Qwxzyville Nowhere': names no known place");
	an_result_release(&r); /* safe after an error */
	o.home_query = "Germany";
	sb_reset(&err);
	assert_int_equal(an_run(&data, &o, paths, 1, &r, &err), NR_EX_USAGE);
	assert_string_equal(err.buf, "--home 'Germany': names no known place at town level (it names the country Germany)");
	o.home_query = "Berlin, Germany";
	o.radius_km = 10;
	assert_int_equal(an_run(&data, &o, paths, 1, &r, &err), NR_EX_OK);
	assert_double_near(r.radius_km, 10, 0);
	assert_int_equal(r.summary.reach[ST_REACH_HOME].count, 1);
	an_result_release(&r);
	unlink(p);
	free(p);

	/* nothing resolves to a town: home cannot be inferred */
	p = unit_write_tmp("analyze", "Name,Location\nA,Remote\nB,Germany\n");
	paths[0] = p;
	opts(&o);
	sb_reset(&err);
	assert_int_equal(an_run(&data, &o, paths, 1, &r, &err), NR_EX_DATAERR);
	assert_non_null(strstr(err.buf, "home cannot be inferred"));
	unlink(p);
	free(p);

	/* errors from ingest and regions pass through */
	paths[0] = "/nonexistent/connections.csv";
	sb_reset(&err);
	assert_int_equal(an_run(&data, &o, paths, 1, &r, &err), NR_EX_NOINPUT);
	assert_non_null(strstr(err.buf, "'/nonexistent/connections.csv'"));
	paths[0] = SAMPLE;
	o.regions_path = "/nonexistent/r.geojson";
	sb_reset(&err);
	assert_int_equal(an_run(&data, &o, paths, 1, &r, &err), NR_EX_NOINPUT);
	assert_non_null(strstr(err.buf, "'/nonexistent/r.geojson'"));
	sb_release(&err);
}

/* Rows ingest skips, contacts identified by e-mail or name + company. */
static void test_skipped_and_ids(void **state)
{
	struct an_options o;
	struct an_result r;
	struct strbuf csv = STRBUF_INIT;
	const char *paths[1];
	char *p;
	(void)state;
	sb_init(&csv, 0);
	sb_adds(&csv, "First Name,Last Name,Email Address,Company,Location\n"
		      "Ann,Smith,Ann.Smith@Example.COM,Acme,\"Sheboygan, Wisconsin, United States\"\n"
		      "Ann,Smith,,Acme,\"Milwaukee, Wisconsin, United States\"\n"
		      "ANN,SMITH,,ACME,\"Milwaukee, Wisconsin, United States\"\n"
		      ",,,,\"Milwaukee, Wisconsin, United States\"\n");
	add_wide_row(&csv); /* ingest skips it */
	sb_adds(&csv, "Bo,Li,,,\"Sheboygan, Wisconsin, United States\"\n");
	p = unit_write_tmp("analyze", csv.buf);
	paths[0] = p;
	opts(&o);
	o.keep_contacts = 1;
	run_checked(&o, paths, 1, &r);
	assert_int_equal(r.rows, 6);
	assert_int_equal(r.skipped, 1);
	assert_int_equal(r.duplicates, 0);
	assert_int_equal(r.nr_skipped_list, 1);
	assert_int_equal(r.skipped_list[0].line, 6);
	assert_non_null(r.skipped_list[0].reason);
	assert_int_equal(r.resolved, 5);
	assert_int_equal(r.nr_contacts, 5);
	/* Ann has an e-mail and a name; the name key ignores the e-mail */
	assert_true(r.contacts[0].email != 0);
	assert_true(r.contacts[0].url == 0);
	assert_true(r.contacts[1].email == 0);
	assert_true(r.contacts[0].name == r.contacts[1].name);
	/* name and company are folded: case does not matter */
	assert_true(r.contacts[1].name == r.contacts[2].name);
	assert_true(r.contacts[3].url == 0 && r.contacts[3].email == 0 && r.contacts[3].name == 0);
	assert_true(r.contacts[4].name != r.contacts[1].name);
	/* ties at 3 vs 2: Milwaukee first; home inferred = Milwaukee */
	assert_string_equal(r.places[0].place.name, "Milwaukee");
	assert_string_equal(r.home.place.name, "Milwaukee");
	assert_int_equal(r.contacts[0].place, 1);
	assert_int_equal(r.contacts[1].place, 0);
	an_result_release(&r);
	unlink(p);
	free(p);
	sb_release(&csv);
}

static void test_regions(void **state)
{
	struct an_options o;
	struct an_result r;
	struct strbuf err = STRBUF_INIT;
	const char *paths[] = { SAMPLE };
	unsigned long sum = 0;
	(void)state;
	sb_init(&err, 0);
	opts(&o);
	o.regions_path = TEST_DATA_DIR "/regions/us-census-regions.geojson";
	if (an_run(&data, &o, paths, 1, &r, &err))
		fail_msg("an_run: %s", err.buf);
	assert_int_equal(r.nr_regions, 4);
	assert_int_equal(r.summary.nr_regions, 5);
	assert_string_equal(r.summary.regions[1].name, "Midwest");
	for (size_t i = 0; i < r.summary.nr_regions; i++)
		sum += r.summary.regions[i].count;
	assert_int_equal(sum, r.summary.located);
	/* Sheboygan, Milwaukee, Chicago, Madison, ... dominate: the Midwest holds most */
	assert_true(r.summary.regions[1].share > 0.6);
	assert_null(r.notes);
	an_result_release(&r);
	sb_release(&err);
}

/*
 * Memory bounds, with tiny limits: past max_distinct distinct strings, new
 * strings are resolved on arrival and counted by place or by reason; past
 * max_listed skipped rows, skipped_list stops growing; every row is still
 * counted once, and notes say what happened.
 */
static void test_bounds(void **state)
{
	struct an_options o;
	struct an_result r;
	struct strbuf csv = STRBUF_INIT;
	const char *paths[1];
	const struct an_unresolved *ovf = NULL;
	char *p;
	unsigned long milwaukee = 0, berlin = 0;
	(void)state;
	sb_init(&csv, 0);
	sb_adds(&csv, "First Name,Last Name,Location\n"
		      "A,A,\"Sheboygan, WI\"\n"          /* kept: 1 */
		      "A,A,Qqzzxv Wwpl\n"                 /* kept: 2, unresolved */
		      "A,A,\"Sheboygan, WI\"\n"          /* kept already */
		      "A,A,\"Milwaukee, WI\"\n"          /* past: resolved on arrival */
		      "A,A,\"Milwaukee, Wisconsin\"\n"   /* past: the same place */
		      "A,A,\"Berlin, Germany\"\n"        /* past */
		      "A,A,Zzqx Kkvw\n"                   /* past, unresolved */
		      "A,A,Xxkq Vvzp\n"                   /* past, unresolved, same reason */
		      "A,A,Qqzzxv Wwpl\n");               /* kept already */
	for (int k = 0; k < 3; k++)
		add_wide_row(&csv);
	p = unit_write_tmp("analyze", csv.buf);
	paths[0] = p;
	opts(&o);
	o.home_query = "Sheboygan, WI";
	o.max_distinct = 2;
	o.max_listed = 2;
	run_checked(&o, paths, 1, &r);
	assert_int_equal(r.rows, 12);
	assert_int_equal(r.resolved, 5);
	assert_int_equal(r.unresolved, 4);
	assert_int_equal(r.skipped, 3);
	assert_int_equal(r.nr_skipped_list, 2);
	assert_int_equal(r.skipped_list[1].line, 12);
	for (size_t i = 0; i < r.nr_places; i++) {
		if (!strcmp(r.places[i].place.name, "Milwaukee"))
			milwaukee = r.places[i].count;
		if (!strcmp(r.places[i].place.name, "Berlin"))
			berlin = r.places[i].count;
	}
	assert_int_equal(milwaukee, 2);
	assert_int_equal(berlin, 1);
	/* the kept unresolved string by name, the two past the limit under one entry */
	assert_int_equal(r.nr_unresolved_list, 2);
	for (size_t i = 0; i < r.nr_unresolved_list; i++)
		if (strstr(r.unresolved_list[i].text, "past the first 2 distinct"))
			ovf = &r.unresolved_list[i];
	assert_non_null(ovf);
	assert_int_equal(ovf->count, 2);
	assert_non_null(ovf->reason);
	assert_non_null(r.notes);
	assert_non_null(strstr(r.notes, "more than 2 distinct locations: 5 rows past them"));
	assert_non_null(strstr(r.notes, "3 rows skipped: skipped.csv lists the first 2\n"));
	an_result_release(&r);
	unlink(p);
	free(p);
	sb_release(&csv);
}

/*
 * Analyse path (home Sheboygan, distinct-string limit max_distinct, 0 the
 * default) on one core into *one and with every file split into *two.
 */
static void run_one_and_split(const char *path, size_t max_distinct, struct an_result *one, struct an_result *two)
{
	struct an_options o;
	const char *paths[] = { path };
	opts(&o);
	o.home_query = "Sheboygan, WI";
	o.max_distinct = max_distinct;
	o.jobs = 1;
	run_checked(&o, paths, 1, one);
	o.jobs = 2;
	o.split_min = 1;
	run_checked(&o, paths, 1, two);
}

/* Everything the report is made of, equal between a and b. */
static void assert_same_result(const struct an_result *a, const struct an_result *b)
{
	assert_int_equal(a->rows, b->rows);
	assert_int_equal(a->resolved, b->resolved);
	assert_int_equal(a->unresolved, b->unresolved);
	assert_int_equal(a->no_location, b->no_location);
	assert_int_equal(a->skipped, b->skipped);
	assert_int_equal(a->inputs[0].records, b->inputs[0].records);
	assert_int_equal(a->inputs[0].dates_ok, b->inputs[0].dates_ok);
	assert_int_equal(a->nr_places, b->nr_places);
	for (size_t i = 0; i < a->nr_places; i++) {
		assert_true(a->places[i].place.key == b->places[i].place.key);
		assert_int_equal(a->places[i].count, b->places[i].count);
	}
	assert_int_equal(a->nr_unresolved_list, b->nr_unresolved_list);
	for (size_t i = 0; i < a->nr_unresolved_list; i++) {
		assert_string_equal(a->unresolved_list[i].text, b->unresolved_list[i].text);
		assert_int_equal(a->unresolved_list[i].count, b->unresolved_list[i].count);
	}
	assert_int_equal(a->nr_skipped_list, b->nr_skipped_list);
	for (size_t i = 0; i < a->nr_skipped_list; i++) {
		assert_int_equal(a->skipped_list[i].line, b->skipped_list[i].line);
		assert_string_equal(a->skipped_list[i].reason, b->skipped_list[i].reason);
	}
	assert_int_equal(a->nr_months, b->nr_months);
	for (size_t i = 0; i < a->nr_months; i++) {
		assert_int_equal(a->months[i].month, b->months[i].month);
		assert_int_equal(a->months[i].place, b->months[i].place);
		assert_int_equal(a->months[i].count, b->months[i].count);
	}
	assert_string_equal(a->home.place.name, b->home.place.name);
}

/* One export read in two parts at once (jobs 2, any size split) gives the result of one reader. */
static void test_split_read(void **state)
{
	struct an_result one, two;
	struct strbuf csv = STRBUF_INIT, sample = STRBUF_INIT;
	char *p;
	FILE *f = fopen(SAMPLE, "r");
	char line[4096];
	(void)state;
	assert_non_null(f);
	while (fgets(line, sizeof(line), f))
		sb_adds(&sample, line);
	fclose(f);
	sb_init(&csv, 0);
	sb_add(&csv, sample.buf, sample.len);
	for (int k = 0; k < 2; k++) { /* the data rows again, and a row of 1,001 fields after each copy */
		sb_adds(&csv, strstr(sample.buf, "First Name") + strlen(HEAD));
		add_wide_row(&csv);
	}
	p = unit_write_tmp("analyze-split", csv.buf);
	run_one_and_split(p, 0, &one, &two);
	assert_int_equal(one.split_reads, 0);
	assert_int_equal(two.split_reads, 1);
	assert_int_equal(two.skipped, 2);
	assert_true(two.skipped_list[1].line > two.rows / 2); /* in the second part, counted from the file's start */
	assert_same_result(&one, &two);
	an_result_release(&one);
	an_result_release(&two);
	unlink(p);
	free(p);
	sb_release(&csv);
	sb_release(&sample);
}

/*
 * The distinct-string limit falls where one reader would put it: the
 * first part's rows name 90 strings, the second part's 20 others (the
 * labels switch exactly at the cut, which is the first line end past the
 * middle of what follows the first 256 KiB). The second part may hold a
 * quarter of the limit. Limit 100: it holds its 20, but with the first
 * part's 90 they pass the limit, so the merge is refused and the second
 * part read again; limit 60: it passes its 15 and gives up. Either way
 * the result is one reader's.
 */
static void test_split_read_limits(void **state)
{
	struct an_result one, two;
	struct strbuf csv = STRBUF_INIT;
	const size_t nrows = 30000, first_chunk = 256 * 1024;
	size_t mid, at;
	char *p;
	static const size_t limits[] = { 0, 100, 60 };
	(void)state;
	sb_init(&csv, 0);
	sb_adds(&csv, "First Name,Last Name,Location\n");
	for (size_t i = 0; i < nrows; i++)
		sb_addf(&csv, "Ann,Lee,\"Xq%02zu, Zzland\"\n", i % 90); /* 23 bytes a row */
	mid = first_chunk + (csv.len - first_chunk) / 2;
	at = strlen("First Name,Last Name,Location\n");
	for (size_t i = 0; i < nrows; i++, at += 23)
		if (at > mid) { /* "Xw00".."Xw19": the rows after the cut */
			csv.buf[at + 10] = 'w';
			csv.buf[at + 11] = (char)('0' + i % 20 / 10);
			csv.buf[at + 12] = (char)('0' + i % 10);
		}
	p = unit_write_tmp("analyze-split-limit", csv.buf);
	for (size_t k = 0; k < ARRAY_SIZE(limits); k++) {
		run_one_and_split(p, limits[k], &one, &two);
		assert_int_equal(two.rows, nrows);
		assert_int_equal(two.split_reads, limits[k] ? 0 : 1);
		assert_int_equal(one.nr_unresolved_list, limits[k] ? limits[k] + 1 : 110);
		assert_same_result(&one, &two);
		an_result_release(&one);
		an_result_release(&two);
	}
	unlink(p);
	free(p);
	sb_release(&csv);
}

/*
 * LinkedIn's own export: no location column, empty rows, companies folded
 * across spellings, targets, months of every contact; no home needed.
 */
static void test_companies_without_locations(void **state)
{
	struct an_options o;
	struct an_result r;
	char *path, *tpath;
	const char *paths[1];
	(void)state;
	path = unit_write_tmp("analyze", "Notes:\n\"a note\"\n\n"
					 "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
					 "A,a,https://linkedin.com/in/a,,The New York Times,,03 Jan 2024\n"
					 ",,,,,,03 Jan 2024\n"
					 "B,b,https://linkedin.com/in/b,,new york times,,15 Jan 2024\n"
					 "C,c,https://linkedin.com/in/c,,  Acme  ,,02 Mar 2023\n"
					 "D,d,https://linkedin.com/in/d,,NEW YORK TIMES,,\n"
					 "E,e,https://linkedin.com/in/e,,,,02 Mar 2023\n"
					 "F,f,https://linkedin.com/in/f,,Zeta,,02 Mar 2023\n");
	tpath = unit_write_tmp("targets", "# where I pitch\nNew York Times\n\n  Acme \r\nThe Gazette\n");
	paths[0] = path;
	opts(&o);
	o.targets_path = tpath;
	run_checked(&o, paths, 1, &r);
	assert_int_equal(r.no_place_column, 1);
	assert_string_equal(r.home.source, "none");
	assert_int_equal(r.rows, 7);
	assert_int_equal(r.empty_rows, 1);
	assert_int_equal(r.skipped, 1);
	assert_int_equal(r.no_location, 6);
	assert_int_equal(r.with_company, 5);
	assert_int_equal(r.nr_companies, 3);
	/* 3 spellings of one paper: named after the most common, ties by byte order ("NEW..." < "The..." < "new...") */
	assert_string_equal(r.companies[0].name, "NEW YORK TIMES");
	assert_int_equal(r.companies[0].count, 3);
	assert_string_equal(r.companies[1].name, "Acme");
	assert_int_equal(r.companies[1].count, 1);
	assert_string_equal(r.companies[2].name, "Zeta");
	assert_int_equal(r.nr_targets, 3);
	assert_string_equal(r.targets[0].name, "New York Times");
	assert_int_equal(r.targets[0].count, 3);
	assert_string_equal(r.targets[1].name, "Acme");
	assert_int_equal(r.targets[1].count, 1);
	assert_string_equal(r.targets[2].name, "The Gazette");
	assert_int_equal(r.targets[2].count, 0);
	/* months of every dated contact, the empty row not among them */
	assert_int_equal(r.nr_connected, 2);
	assert_int_equal(r.connected[0].month, 2023 * 12 + 2);
	assert_int_equal(r.connected[0].count, 3);
	assert_int_equal(r.connected[1].month, 2024 * 12 + 0);
	assert_int_equal(r.connected[1].count, 2);
	assert_int_equal(r.dated, 5);
	an_result_release(&r);
	{
		struct strbuf err = STRBUF_INIT;
		o.targets_path = "tests/no-such-targets.txt";
		assert_int_equal(an_run(&data, &o, paths, 1, &r, &err), NR_EX_NOINPUT);
		assert_string_equal(err.buf, "'tests/no-such-targets.txt': cannot open: no such file or directory");
		an_result_release(&r);
		sb_release(&err);
	}
	unlink(path);
	unlink(tpath);
	free(path);
	free(tpath);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_truth),
		cmocka_unit_test(test_split_read),
		cmocka_unit_test(test_split_read_limits),
		cmocka_unit_test(test_merge_and_lists),
		cmocka_unit_test(test_home_and_coords),
		cmocka_unit_test(test_skipped_and_ids),
		cmocka_unit_test(test_regions),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_companies_without_locations),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
