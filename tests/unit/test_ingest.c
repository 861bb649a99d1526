#include "unit.h"

#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ingest.h"
#include "progress.h"
#include "text.h"
#include "util.h"

#define FIX "tests/ingest/"
#define TMPDIR "build/tests/ingest-tmp"

/* One collected row: copies of what the callback saw. */
struct crow {
	unsigned long line;
	enum ing_status status;
	const char *reason;
	char *location;        /* NULL when none */
	int has_coords;
	double lat, lon;
	enum ing_date_state date_state;
	int month;
	char *field[ING_ROLE_COUNT];
};

struct rows {
	struct crow *v;
	size_t nr, alloc;
	int stop_at;           /* return 7 from the callback at this row (1-based), 0 never */
	unsigned long progress_calls;
	unsigned long long last_done, last_total;
};

static char *dup_or_null(const char *s, size_t n)
{
	return s ? xstrndup(s, n) : NULL;
}

static int collect(const struct ing_row *row, void *ctx)
{
	struct rows *r = ctx;
	struct crow *c;
	ALLOC_GROW(r->v, r->nr + 1, r->alloc);
	c = &r->v[r->nr++];
	memset(c, 0, sizeof(*c));
	c->line = row->line;
	c->status = row->status;
	c->reason = row->skip_reason;
	c->location = dup_or_null(row->location, row->location_len);
	c->has_coords = row->has_coords;
	c->lat = row->lat;
	c->lon = row->lon;
	c->date_state = row->date_state;
	c->month = row->month;
	for (int k = 0; k < ING_ROLE_COUNT; k++)
		c->field[k] = dup_or_null(row->field[k], row->field_len[k]);
	return r->stop_at && (int)r->nr == r->stop_at ? 7 : 0;
}

static void on_progress(unsigned long long done, unsigned long long total, unsigned long records, void *ctx)
{
	struct rows *r = ctx;
	(void)records;
	r->progress_calls++;
	r->last_done = done;
	r->last_total = total;
}

static void rows_free(struct rows *r)
{
	for (size_t i = 0; i < r->nr; i++) {
		free(r->v[i].location);
		for (int k = 0; k < ING_ROLE_COUNT; k++)
			free(r->v[i].field[k]);
	}
	free(r->v);
	memset(r, 0, sizeof(*r));
}

/* Read path into rows/info; returns ing_read's value. err is kept in *err_out if given. */
static int readf(const char *path, const struct ing_options *opt, struct rows *rows,
		 struct ing_info *info, struct strbuf *err)
{
	memset(rows, 0, sizeof(*rows));
	return ing_read(path, opt, collect, on_progress, rows, info, err);
}

static int month(int y, int m)
{
	return y * 12 + m - 1;
}

static void assert_row(const struct crow *c, unsigned long line, enum ing_status st, const char *loc)
{
	assert_int_equal(c->line, line);
	assert_int_equal(c->status, st);
	if (loc) {
		assert_non_null(c->location);
		assert_string_equal(c->location, loc);
	} else {
		assert_null(c->location);
	}
}

static void assert_counts(const struct ing_info *info, unsigned long ok, unsigned long noloc,
			  unsigned long skipped)
{
	assert_int_equal(info->ok, ok);
	assert_int_equal(info->no_location, noloc);
	assert_int_equal(info->skipped, skipped);
	assert_int_equal(info->records, ok + noloc + skipped);
}

static void mk_tmpdir(void)
{
	mkdir("build", 0777);
	mkdir("build/tests", 0777);
	mkdir(TMPDIR, 0777);
}

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* ---- table and small functions ---- */

static void test_known_headers_are_folded(void **state)
{
	struct strbuf f = STRBUF_INIT;
	(void)state;
	assert_true(ing_known_header_count() > 50);
	for (size_t i = 0; i < ing_known_header_count(); i++) {
		int role = -1;
		const char *h = ing_known_header(i, &role);
		assert_non_null(h);
		assert_true(role >= 0 && role <= ING_ROLE_COUNT);
		txt_fold(&f, h, strlen(h), 0);
		assert_string_equal(f.buf, h);
		/* no header name appears twice */
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(ing_known_header(j, NULL), h);
	}
	assert_null(ing_known_header(ing_known_header_count(), NULL));
	sb_release(&f);
}

static void test_role_names(void **state)
{
	(void)state;
	for (int k = 0; k < ING_ROLE_COUNT; k++)
		assert_int_equal(ing_role_parse(ing_role_name(k)), k);
	assert_string_equal(ing_role_name(ING_LOCATION), "location");
	assert_string_equal(ing_role_name(ING_CONNECTED_ON), "connected_on");
	assert_int_equal(ing_role_parse("lat"), ING_LAT);
	assert_int_equal(ing_role_parse("nope"), -1);
	assert_null(ing_role_name(ING_ROLE_COUNT));
}

static void check_key(const char *url, const char *want)
{
	struct strbuf k = STRBUF_INIT;
	size_t n = ing_url_key(&k, url, strlen(url));
	assert_int_equal(n, strlen(want));
	assert_string_equal(k.buf, want);
	sb_release(&k);
}

static void test_url_key(void **state)
{
	(void)state;
	check_key("https://www.linkedin.com/in/jane-doe-123", "linkedin.com/in/jane-doe-123");
	check_key("HTTP://WWW.LinkedIn.com/in/Jane-Doe-123/", "linkedin.com/in/jane-doe-123");
	check_key("linkedin.com/in/jane-doe-123?trk=x#frag", "linkedin.com/in/jane-doe-123");
	check_key("https://de.linkedin.com/in/jane-doe-123///", "linkedin.com/in/jane-doe-123");
	check_key("  www.linkedin.com/in/j%61ne-doe%2D123  ", "linkedin.com/in/jane-doe-123");
	check_key("https://www.linkedin.com/in/j%C3%BCrgen", "linkedin.com/in/j%c3%bcrgen");
	check_key("https://example.com/u/x", "example.com/u/x");
	check_key("", "");
	check_key("   ", "");
}

struct month_case {
	const char *s;
	int y, m; /* y == 0: unparseable */
};

static void check_months(const struct month_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int got = ing_parse_month(cases[i].s, strlen(cases[i].s));
		int want = cases[i].y ? month(cases[i].y, cases[i].m) : -1;
		if (got != want)
			fail_msg("ing_parse_month(\"%s\") = %d, expected %d", cases[i].s, got, want);
	}
}

static void test_parse_month(void **state)
{
	static const struct month_case cases[] = {
		{ "03 Jan 2024", 2024, 1 }, { "3 Jan 2024", 2024, 1 }, { "03 jan 2024", 2024, 1 },
		{ "03 Mär 2024", 2024, 3 }, { "3. März 2024", 2024, 3 }, { "03. Jan. 2024", 2024, 1 },
		{ "03 Dez 2019", 2019, 12 }, { "1. Mai 2020", 2020, 5 }, { "03 Okt 2022", 2022, 10 },
		{ "03.01.2024", 2024, 1 }, { "3.1.24", 2024, 1 }, { "2024-01-03", 2024, 1 },
		{ "2024/11/30", 2024, 11 }, { "2024-02", 2024, 2 }, { "2024-01-03T10:00:00Z", 2024, 1 },
		{ "1/3/2024", 2024, 1 }, { "12/31/2020", 2020, 12 }, { "31/12/2020", 2020, 12 },
		{ "Dec 5, 2019", 2019, 12 }, { "December 2019", 2019, 12 }, { "03-Jan-24", 2024, 1 },
		{ "15 Jänner 2021", 2021, 1 }, { "03 September 2023", 2023, 9 },
		{ "", 0, 0 }, { "yesterday", 0, 0 }, { "2024-13-01", 0, 0 }, { "32.01.2024", 0, 0 },
		{ "03 Foo 2024", 0, 0 }, { "03 Jan 1800", 0, 0 }, { "2024", 0, 0 }, { "0", 0, 0 },
		{ "03 Jan", 0, 0 }, { "\xff\xfe", 0, 0 }, { "99999999999999 Jan 2024", 0, 0 },
	};
	(void)state;
	check_months(cases, ARRAY_SIZE(cases));
}

/* The fixed-width forms have a fast path: its edges must give what the general rules give. */
static void test_parse_month_fixed_forms(void **state)
{
	static const struct month_case cases[] = {
		/* DD Mon YYYY: any case, English and German three-letter names */
		{ "02 Jul 2022", 2022, 7 }, { "02 JUL 2022", 2022, 7 }, { "02 jUl 2022", 2022, 7 },
		{ "28 Mrz 2021", 2021, 3 }, { "01 Okt 1999", 1999, 10 }, { "01 Mai 1900", 1900, 5 },
		{ "31 Dez 2199", 2199, 12 }, { "00 Jan 2024", 2024, 1 }, { "31 Jan 2024", 2024, 1 },
		{ "32 Jan 2024", 0, 0 }, { "99 Jan 2024", 0, 0 }, { "01 Jan 1899", 0, 0 },
		{ "01 Jan 2200", 0, 0 }, { "01 Jax 2024", 0, 0 }, { "01 J n 2024", 0, 0 },
		{ "01 Jan 202a", 0, 0 }, { "0a Jan 2024", 0, 0 }, { "01 Jan 2024 ", 2024, 1 },
		/* 11 bytes but another shape: the general rules */
		{ "1. Jan 2024", 2024, 1 }, { "01-Jan-2024", 2024, 1 }, { "2024-01-03Z", 2024, 1 },
		/* YYYY-MM-DD with - / . */
		{ "2022-07-02", 2022, 7 }, { "2022/07/02", 2022, 7 }, { "2022.07.02", 2022, 7 },
		{ "1900-01-01", 1900, 1 }, { "2199-12-31", 2199, 12 }, { "2024-12-00", 2024, 12 },
		{ "2024-00-10", 0, 0 }, { "2024-13-10", 0, 0 }, { "2024-12-32", 0, 0 },
		{ "1899-12-31", 0, 0 }, { "2200-01-01", 0, 0 },
		{ "2024-12/31", 2024, 12 }, /* separators differ: year and month only */
		/* DD.MM.YYYY, DD-MM-YYYY; MM/DD/YYYY when the first number can be a month */
		{ "02.07.2022", 2022, 7 }, { "02-07-2022", 2022, 7 }, { "07/02/2022", 2022, 7 },
		{ "12/31/2022", 2022, 12 }, { "13/02/2022", 2022, 2 }, { "31/12/2022", 2022, 12 },
		{ "32.01.2022", 0, 0 }, { "01.13.2022", 0, 0 }, { "00.00.2022", 0, 0 },
		{ "01.02-2022", 0, 0 },
		{ "01.02.20x2", 2020, 2 }, /* not the fixed shape: the general rules read "20" */
	};
	(void)state;
	check_months(cases, ARRAY_SIZE(cases));
}

/* ---- omit_fields ---- */

static void assert_same_rows(const struct rows *a, const struct rows *b)
{
	assert_int_equal(a->nr, b->nr);
	for (size_t i = 0; i < a->nr; i++) {
		const struct crow *x = &a->v[i], *y = &b->v[i];
		assert_int_equal(x->line, y->line);
		assert_int_equal(x->status, y->status);
		assert_true(x->reason == y->reason);
		if (x->location)
			assert_string_equal(x->location, y->location);
		else
			assert_null(y->location);
		assert_int_equal(x->has_coords, y->has_coords);
		assert_true(x->lat == y->lat && x->lon == y->lon);
		assert_int_equal(x->date_state, y->date_state);
		assert_int_equal(x->month, y->month);
	}
}

static void test_omit_fields(void **state)
{
	static const char csv[] =
		"First Name,Last Name,URL,Email Address,Company,Position,Connected On,Location,City,Country,Lat,Lon\r\n"
		"Jane,Doe,https://linkedin.com/in/jane,,Acme,CEO, 02 Jul 2022 ,\" Berlin \",,,,\r\n"
		"Max,M\xc3\xbcller,https://linkedin.com/in/max,m@x.de,,,2022-07-02,,Paris,France,,\r\n"
		"Short,Row\r\n"
		"Bad,\xff,https://linkedin.com/in/bad,,,,02.07.2022,K\xf6ln,,,50.9,6.9\r\n"
		"Geo,Only,,,,,x,,,,\"52,5\",13.4\r\n";
	const char *path = TMPDIR "/omit.csv";
	struct rows all, none, url;
	struct ing_info ia, in, iu;
	struct ing_options opt;
	struct strbuf err = STRBUF_INIT;
	(void)state;
	mk_tmpdir();
	write_file(path, csv, sizeof(csv) - 1);
	memset(&opt, 0, sizeof(opt));
	assert_int_equal(readf(path, &opt, &all, &ia, &err), 0);
	opt.omit_fields = ING_ROLES_ALL;
	assert_int_equal(readf(path, &opt, &none, &in, &err), 0);
	opt.omit_fields = ING_ROLES_ALL & ~ING_ROLE_BIT(ING_URL);
	assert_int_equal(readf(path, &opt, &url, &iu, &err), 0);

	/* what the reader computes is the same */
	assert_int_equal(all.nr, 5);
	assert_row(&all.v[0], 2, ING_ROW_OK, "Berlin");
	assert_int_equal(all.v[0].month, month(2022, 7));
	assert_row(&all.v[1], 3, ING_ROW_OK, "Paris, France");
	assert_int_equal(all.v[1].month, month(2022, 7));
	assert_row(&all.v[2], 4, ING_ROW_NO_LOCATION, NULL);
	assert_row(&all.v[3], 5, ING_ROW_OK, "K\xc3\xb6ln"); /* not UTF-8: read as Windows-1252 */
	assert_true(all.v[3].has_coords);
	assert_int_equal(all.v[3].month, month(2022, 7));
	assert_row(&all.v[4], 6, ING_ROW_OK, NULL);
	assert_true(all.v[4].has_coords && all.v[4].lat == 52.5 && all.v[4].lon == 13.4);
	assert_int_equal(all.v[4].date_state, ING_DATE_UNPARSEABLE);
	assert_same_rows(&all, &none);
	assert_same_rows(&all, &url);
	assert_int_equal(in.ok, ia.ok);
	assert_int_equal(in.dates_ok, ia.dates_ok);
	assert_int_equal(in.dates_unparseable, ia.dates_unparseable);
	assert_string_equal(in.format, ia.format);
	for (int k = 0; k < ING_ROLE_COUNT; k++) {
		if (ia.column[k])
			assert_string_equal(in.column[k], ia.column[k]);
		else
			assert_null(in.column[k]);
	}

	/* field[]: all of them by default, none or only the URL when omitted */
	assert_string_equal(all.v[0].field[ING_FIRST_NAME], "Jane");
	assert_string_equal(all.v[0].field[ING_EMAIL], "");
	assert_string_equal(all.v[0].field[ING_LOCATION], " Berlin ");
	assert_string_equal(all.v[1].field[ING_LAST_NAME], "M\xc3\xbcller");
	assert_string_equal(all.v[2].field[ING_URL], ""); /* short row */
	assert_string_equal(all.v[3].field[ING_LAST_NAME], "\xc3\xbf"); /* 0xff read as Windows-1252 */
	assert_null(all.v[0].field[ING_FULL_NAME]);
	for (size_t i = 0; i < none.nr; i++) {
		for (int k = 0; k < ING_ROLE_COUNT; k++) {
			assert_null(none.v[i].field[k]);
			if (k != ING_URL)
				assert_null(url.v[i].field[k]);
			else
				assert_string_equal(url.v[i].field[k], all.v[i].field[k]);
		}
	}
	rows_free(&all);
	rows_free(&none);
	rows_free(&url);
	ing_info_release(&ia);
	ing_info_release(&in);
	ing_info_release(&iu);
	sb_release(&err);
}

/* --locations needs the URL cell even when the caller omits it. */
static void test_omit_fields_join(void **state)
{
	struct rows rows;
	struct ing_info info;
	struct ing_options opt;
	struct strbuf err = STRBUF_INIT;
	(void)state;
	memset(&opt, 0, sizeof(opt));
	opt.locations_path = FIX "linkedin_locations.csv";
	opt.omit_fields = ING_ROLES_ALL;
	assert_int_equal(readf(FIX "linkedin_en.csv", &opt, &rows, &info, &err), 0);
	assert_int_equal(rows.nr, 4);
	assert_row(&rows.v[0], 5, ING_ROW_OK, "Berlin, Germany");
	assert_int_equal(rows.v[0].month, month(2024, 1));
	assert_null(rows.v[0].field[ING_URL]);
	assert_null(rows.v[0].field[ING_FIRST_NAME]);
	assert_row(&rows.v[1], 6, ING_ROW_OK, "München");
	assert_row(&rows.v[2], 7, ING_ROW_OK, "Hamburg, Germany");
	assert_row(&rows.v[3], 8, ING_ROW_NO_LOCATION, NULL);
	assert_int_equal(info.locations_joined, 3);
	assert_string_equal(info.column[ING_URL], "URL");
	rows_free(&rows);
	ing_info_release(&info);
	sb_release(&err);
}

/* ---- LinkedIn ---- */

static void test_linkedin_without_locations(void **state)
{
	struct rows rows;
	struct ing_info info;
	struct strbuf err = STRBUF_INIT;
	(void)state;
	/* LinkedIn's own export has no location column: read, every row without a location */
	assert_int_equal(readf(FIX "linkedin_en.csv", NULL, &rows, &info, &err), 0);
	assert_int_equal(info.no_place_column, 1);
	assert_string_equal(info.format, "linkedin");
	assert_int_equal(rows.nr, 4);
	for (size_t i = 0; i < rows.nr; i++)
		assert_row(&rows.v[i], 5 + i, ING_ROW_NO_LOCATION, NULL);
	assert_string_equal(rows.v[1].field[ING_COMPANY], "Muster, Inc.");
	assert_counts(&info, 0, 4, 0);
	rows_free(&rows);
	ing_info_release(&info);
	sb_release(&err);
}

static void test_linkedin_empty_rows(void **state)
{
	struct rows rows;
	struct ing_info info;
	struct strbuf err = STRBUF_INIT;
	char *path;
	(void)state;
	/* ",,,,,,date" is LinkedIn's empty row; a row with only a name, or only a company, is a contact */
	path = unit_write_tmp("ingest", "First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n"
					"Jo,,,,,,06 Sep 2025\r\n"
					",,,,,,06 Sep 2025\r\n"
					",,,,Acme,,\r\n"
					",,,,,, 07 Sep 2025 \r\n"
					",,,,,,\r\n"
					",,,,,,06 Sep 2025");
	assert_int_equal(readf(path, NULL, &rows, &info, &err), 0);
	assert_int_equal(rows.nr, 5);
	assert_row(&rows.v[0], 2, ING_ROW_NO_LOCATION, NULL);
	assert_row(&rows.v[1], 3, ING_ROW_SKIPPED, NULL);
	assert_string_equal(rows.v[1].reason, ING_EMPTY_LINKEDIN);
	assert_row(&rows.v[2], 4, ING_ROW_NO_LOCATION, NULL);
	assert_row(&rows.v[3], 5, ING_ROW_SKIPPED, NULL);
	assert_row(&rows.v[4], 7, ING_ROW_SKIPPED, NULL);
	assert_int_equal(info.empty_rows, 3);
	assert_counts(&info, 0, 2, 3);
	rows_free(&rows);
	ing_info_release(&info);
	unlink(path);
	free(path);
	/* not LinkedIn: a date-only row is a contact without a location */
	path = unit_write_tmp("ingest", "Name,City,Connection Date\n,,06 Sep 2025\n");
	assert_int_equal(readf(path, NULL, &rows, &info, &err), 0);
	assert_int_equal(rows.nr, 1);
	assert_row(&rows.v[0], 2, ING_ROW_NO_LOCATION, NULL);
	assert_int_equal(info.empty_rows, 0);
	rows_free(&rows);
	ing_info_release(&info);
	unlink(path);
	free(path);
	sb_release(&err);
}

static void test_join_keys_and_languages(void **state)
{
	struct rows rows;
	struct ing_info info;
	struct ing_options opt;
	struct strbuf err = STRBUF_INIT;
	char *exp, *loc, *loc2, *loc3;
	(void)state;
	/* LinkedIn before 2020: no URL; joined by e-mail, else by name and company; a Portuguese header */
	exp = unit_write_tmp("ingest", "First Name,Last Name,Email Address,Company,Position,Connected On\r\n"
				       "Ann,Berg,,Sheboygan Press,Editor,14 Mar 2019\r\n"
				       "Ben,Carr,BEN@example.com ,Journal,Reporter,02 Jun 2018\r\n"
				       "Cy,Dale,,Other Co,Editor,02 Jun 2018\r\n");
	loc = unit_write_tmp("ingest", "Nome,Empresa,E-mail,Localiza\xc3\xa7\xc3\xa3o\n"
				       "ann berg,SHEBOYGAN PRESS,,\"Sheboygan, WI\"\n"
				       "Someone,Journal,ben@example.com,\"Milwaukee, WI\"\n"
				       "Cy Dale,Elsewhere,,Chicago\n");
	memset(&opt, 0, sizeof(opt));
	opt.locations_path = loc;
	assert_int_equal(readf(exp, &opt, &rows, &info, &err), 0);
	assert_int_equal(rows.nr, 3);
	assert_row(&rows.v[0], 2, ING_ROW_OK, "Sheboygan, WI"); /* folded name + company */
	assert_row(&rows.v[1], 3, ING_ROW_OK, "Milwaukee, WI"); /* e-mail, case and blanks aside */
	assert_row(&rows.v[2], 4, ING_ROW_NO_LOCATION, NULL);   /* same name, another company */
	assert_int_equal(info.locations_joined, 2);
	rows_free(&rows);
	ing_info_release(&info);
	/* --column names a column of the locations file (the export lacks it) */
	loc2 = unit_write_tmp("ingest", "Contato,Cidade natal\nben@example.com,Madison\n");
	opt.locations_path = loc2;
	opt.column[ING_EMAIL] = "Contato";
	opt.column[ING_LOCATION] = "Cidade natal";
	assert_int_equal(readf(exp, &opt, &rows, &info, &err), 0);
	assert_row(&rows.v[1], 3, ING_ROW_OK, "Madison");
	assert_int_equal(info.locations_joined, 1);
	rows_free(&rows);
	ing_info_release(&info);
	/* a --column in neither file is an error naming the export */
	opt.locations_path = loc;
	opt.column[ING_EMAIL] = NULL;
	opt.column[ING_LOCATION] = "Nowhere";
	assert_int_equal(readf(exp, &opt, &rows, &info, &err), NR_EX_DATAERR);
	assert_non_null(strstr(err.buf, "no column 'Nowhere' for --column location"));
	rows_free(&rows);
	ing_info_release(&info);
	/* nothing to join on: say what to do */
	loc3 = unit_write_tmp("ingest", "Foo,Location\nx,Berlin\n");
	memset(&opt, 0, sizeof(opt));
	opt.locations_path = loc3;
	sb_reset(&err);
	assert_int_equal(readf(exp, &opt, &rows, &info, &err), NR_EX_DATAERR);
	assert_non_null(strstr(err.buf, "line 1: no profile URL, e-mail or name column to join --locations on; "
					"name one with --column url=HEADER"));
	rows_free(&rows);
	ing_info_release(&info);
	unlink(exp);
	unlink(loc);
	unlink(loc2);
	unlink(loc3);
	free(exp);
	free(loc);
	free(loc2);
	free(loc3);
	sb_release(&err);
}

static void test_address_precedence(void **state)
{
	struct rows rows;
	struct ing_info info;
	struct strbuf err = STRBUF_INIT;
	char *path;
	(void)state;
	/* business parts, then home parts, then the free-text Location ("Building 5" hides nothing) */
	path = unit_write_tmp("ingest", "First Name,Business City,Business Country,Home City,Home Country,Location\n"
					"a,Madison,United States,Lyon,France,Building 5\n"
					"b,,,Lyon,France,Building 5\n"
					"c,,,,,Building 5\n"
					"d,,Canada,Seattle,,\n"
					"e,,,,,\n");
	assert_int_equal(readf(path, NULL, &rows, &info, &err), 0);
	assert_string_equal(info.format, "outlook");
	assert_int_equal(rows.nr, 5);
	assert_row(&rows.v[0], 2, ING_ROW_OK, "Madison, United States");
	assert_row(&rows.v[1], 3, ING_ROW_OK, "Lyon, France");
	assert_row(&rows.v[2], 4, ING_ROW_OK, "Building 5");
	assert_row(&rows.v[3], 5, ING_ROW_OK, "Canada");
	assert_row(&rows.v[4], 6, ING_ROW_NO_LOCATION, NULL);
	rows_free(&rows);
	ing_info_release(&info);
	unlink(path);
	free(path);
	/* Salesforce API names: Mailing* first, Other* (coordinates too) when the Mailing ones are empty */
	path = unit_write_tmp("ingest", "FirstName,MailingCity,MailingCountry,MailingLatitude,MailingLongitude,"
					"OtherCity,OtherCountry,OtherLatitude,OtherLongitude\n"
					"a,Denver,US,,,Osaka,Japan,1,2\n"
					"b,,,,,Osaka,Japan,,\n"
					"c,,,59.5,18.25,,,1,2\n"
					"d,,,x,,,,-33.5,151.25\n");
	assert_int_equal(readf(path, NULL, &rows, &info, &err), 0);
	assert_string_equal(info.format, "salesforce");
	assert_row(&rows.v[0], 2, ING_ROW_OK, "Denver, US");
	assert_row(&rows.v[1], 3, ING_ROW_OK, "Osaka, Japan");
	assert_row(&rows.v[2], 4, ING_ROW_OK, NULL);
	assert_true(rows.v[2].has_coords && rows.v[2].lat == 59.5 && rows.v[2].lon == 18.25);
	assert_row(&rows.v[3], 5, ING_ROW_OK, NULL);
	assert_true(rows.v[3].has_coords && rows.v[3].lat == -33.5 && rows.v[3].lon == 151.25);
	rows_free(&rows);
	ing_info_release(&info);
	unlink(path);
	free(path);
	sb_release(&err);
}

static void test_linkedin_join(void **state)
{
	struct rows rows;
	struct ing_info info;
	struct ing_options opt;
	struct strbuf err = STRBUF_INIT;
	(void)state;
	memset(&opt, 0, sizeof(opt));
	opt.locations_path = FIX "linkedin_locations.csv";
	assert_int_equal(readf(FIX "linkedin_en.csv", &opt, &rows, &info, &err), 0);
	assert_string_equal(info.format, "linkedin");
	assert_string_equal(info.encoding, "utf-8");
	assert_int_equal(info.delimiter, ',');
	assert_int_equal(info.header_line, 4);
	assert_string_equal(info.column[ING_URL], "URL");
	assert_string_equal(info.column[ING_CONNECTED_ON], "Connected On");
	assert_string_equal(info.column[ING_EMAIL], "Email Address");
	assert_null(info.column[ING_LOCATION]);
	assert_int_equal(rows.nr, 4);
	assert_row(&rows.v[0], 5, ING_ROW_OK, "Berlin, Germany");
	assert_int_equal(rows.v[0].month, month(2024, 1));
	assert_string_equal(rows.v[0].field[ING_FIRST_NAME], "Jane");
	assert_string_equal(rows.v[0].field[ING_EMAIL], "");
	assert_null(rows.v[0].field[ING_LOCATION]);
	assert_row(&rows.v[1], 6, ING_ROW_OK, "München");
	assert_string_equal(rows.v[1].field[ING_COMPANY], "Muster, Inc.");
	assert_int_equal(rows.v[1].month, month(2023, 2));
	assert_row(&rows.v[2], 7, ING_ROW_OK, "Hamburg, Germany");
	assert_int_equal(rows.v[2].month, month(2019, 12));
	assert_row(&rows.v[3], 8, ING_ROW_NO_LOCATION, NULL);
	assert_string_equal(rows.v[3].field[ING_COMPANY], "Fix \"It\" Co");
	assert_int_equal(rows.v[3].date_state, ING_DATE_UNPARSEABLE);
	assert_counts(&info, 3, 1, 0);
	assert_int_equal(info.locations_joined, 3);
	assert_int_equal(info.dates_ok, 3);
	assert_int_equal(info.dates_unparseable, 1);
	assert_int_equal(info.bytes, 784);
	assert_true(rows.progress_calls >= 1);
	assert_int_equal(rows.last_done, 784);
	assert_int_equal(rows.last_total, 784);
	rows_free(&rows);
	ing_info_release(&info);
	sb_release(&err);
}

static void test_linkedin_de_join(void **state)
{
	struct rows rows;
	struct ing_info info;
	struct ing_options opt;
	struct strbuf err = STRBUF_INIT;
	(void)state;
	memset(&opt, 0, sizeof(opt));
	opt.locations_path = FIX "linkedin_de_locations.csv";
	assert_int_equal(readf(FIX "linkedin_de.csv", &opt, &rows, &info, &err), 0);
	assert_string_equal(info.format, "linkedin-de");
	assert_int_equal(info.header_line, 4);
	assert_string_equal(info.column[ING_FIRST_NAME], "Vorname");
	assert_string_equal(info.column[ING_EMAIL], "E-Mail-Adresse");
	assert_string_equal(info.column[ING_COMPANY], "Unternehmen");
	assert_string_equal(info.column[ING_CONNECTED_ON], "Verbunden am");
	assert_int_equal(rows.nr, 4);
	assert_row(&rows.v[0], 5, ING_ROW_OK, "Köln");
	assert_string_equal(rows.v[0].field[ING_LAST_NAME], "Groß");
	assert_int_equal(rows.v[0].month, month(2024, 1));
	assert_row(&rows.v[1], 6, ING_ROW_OK, "Walldorf, Baden-Württemberg");
	assert_int_equal(rows.v[1].month, month(2024, 3));
	assert_row(&rows.v[2], 7, ING_ROW_NO_LOCATION, NULL);
	assert_int_equal(rows.v[2].month, month(2024, 3));
	assert_row(&rows.v[3], 8, ING_ROW_NO_LOCATION, NULL);
	assert_int_equal(rows.v[3].month, month(2024, 1));
	assert_counts(&info, 2, 2, 0);
	assert_int_equal(info.locations_joined, 2);
	assert_int_equal(info.dates_ok, 4);
	rows_free(&rows);
	ing_info_release(&info);
	sb_release(&err);
}

/* An export with its own location column uses --locations only for rows without one. */
static void test_join_as_fallback(void **state)
{
	struct rows rows;
	struct ing_info info;
	struct ing_options opt;
	struct strbuf err = STRBUF_INIT;
	const char *path = TMPDIR "/join_fallback.csv";
	const char *data = "Profile URL,Location\n"
			   "https://www.linkedin.com/in/jane-doe-123/?x=1,\n"
			   "https://www.linkedin.com/in/maxmustermann,Paris\n"
			   "https://www.linkedin.com/in/unknown,\n";
	(void)state;
	mk_tmpdir();
	write_file(path, data, strlen(data));
	memset(&opt, 0, sizeof(opt));
	opt.locations_path = FIX "linkedin_locations.csv";
	assert_int_equal(readf(path, &opt, &rows, &info, &err), 0);
	assert_string_equal(info.column[ING_URL], "Profile URL");
	assert_int_equal(rows.nr, 3);
	assert_row(&rows.v[0], 2, ING_ROW_OK, "Berlin, Germany");
	assert_row(&rows.v[1], 3, ING_ROW_OK, "Paris");
	assert_row(&rows.v[2], 4, ING_ROW_NO_LOCATION, NULL);
	assert_int_equal(info.locations_joined, 1);
	assert_counts(&info, 2, 1, 0);
	rows_free(&rows);
	ing_info_release(&info);
	sb_release(&err);
}

static void test_locations_file_errors(void **state)
{
	struct rows rows;
	struct ing_info info;
	struct ing_options opt;
	struct strbuf err = STRBUF_INIT;
	(void)state;
	memset(&opt, 0, sizeof(opt));
	/* a locations file without a URL column joins by e-mail or name (nobody matches here) */
	opt.locations_path = FIX "hubspot.csv";
	assert_int_equal(readf(FIX "linkedin_en.csv", &opt, &rows, &info, &err), 0);
	assert_int_equal(info.locations_joined, 0);
	assert_counts(&info, 0, 4, 0);
	rows_free(&rows);
	ing_info_release(&info);
	/* so does an export without a URL column (Name, Email) */
	opt.locations_path = FIX "linkedin_locations.csv";
	assert_int_equal(readf(FIX "no_location.csv", &opt, &rows, &info, &err), 0);
	assert_int_equal(info.locations_joined, 0);
	rows_free(&rows);
	ing_info_release(&info);
	/* a missing locations file */
	opt.locations_path = FIX "does-not-exist.csv";
	assert_int_equal(readf(FIX "linkedin_en.csv", &opt, &rows, &info, &err), NR_EX_NOINPUT);
	assert_string_equal(err.buf, "'" FIX "does-not-exist.csv': cannot open: no such file or directory");
	rows_free(&rows);
	ing_info_release(&info);
	sb_release(&err);
}

static void test_profile_location(void **state)
{
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	(void)state;
	sb_init(&out, 0);
	assert_int_equal(ing_profile_location(FIX "profile.csv", &out, &err), 0);
	assert_string_equal(out.buf, "Berlin, Berlin, Germany");
	sb_reset(&out);
	assert_int_equal(ing_profile_location(FIX "profile_empty.csv", &out, &err), NR_EX_DATAERR);
	assert_string_equal(err.buf, "'" FIX "profile_empty.csv': line 2: no location in the profile");
	assert_int_equal(out.len, 0);
	assert_int_equal(ing_profile_location(FIX "only_header.csv", &out, &err), NR_EX_DATAERR);
	assert_string_equal(err.buf, "'" FIX "only_header.csv': no data row");
	assert_int_equal(ing_profile_location(FIX "linkedin_en.csv", &out, &err), NR_EX_DATAERR);
	sb_release(&out);
	sb_release(&err);
}

/* ---- other export formats ---- */

static void test_google(void **state)
{
	struct rows rows;
	struct ing_info info;
	struct strbuf err = STRBUF_INIT;
	(void)state;
	assert_int_equal(readf(FIX "google.csv", NULL, &rows, &info, &err), 0);
	assert_string_equal(info.format, "google");
	assert_string_equal(info.column[ING_FIRST_NAME], "Given Name");
	assert_string_equal(info.column[ING_FULL_NAME], "Name");
	assert_string_equal(info.column[ING_EMAIL], "E-mail 1 - Value");
	assert_string_equal(info.column[ING_CITY], "Address 1 - City");
	assert_string_equal(info.column[ING_REGION], "Address 1 - Region");
	assert_string_equal(info.column[ING_COUNTRY], "Address 1 - Country");
	assert_string_equal(info.column[ING_COMPANY], "Organization 1 - Name");
	assert_string_equal(info.column[ING_POSITION], "Organization 1 - Title");
	assert_int_equal(rows.nr, 3);
	/* row 2 holds a quoted newline, so the next record starts on line 4 */
	assert_row(&rows.v[0], 2, ING_ROW_OK, "London, England, United Kingdom");
	assert_string_equal(rows.v[0].field[ING_EMAIL], "ada@example.org");
	assert_row(&rows.v[1], 4, ING_ROW_OK, "Arlington, VA, USA");
	assert_row(&rows.v[2], 5, ING_ROW_NO_LOCATION, NULL);
	assert_counts(&info, 2, 1, 0);
	rows_free(&rows);
	ing_info_release(&info);
	sb_release(&err);
}

static void test_outlook_en_cp1252(void **state)
{
	struct rows rows;
	struct ing_info info;
	struct strbuf err = STRBUF_INIT;
	(void)state;
	assert_int_equal(readf(FIX "outlook_en.csv", NULL, &rows, &info, &err), 0);
	assert_string_equal(info.format, "outlook");
	assert_string_equal(info.encoding, "windows-1252");
	assert_string_equal(info.column[ING_CITY], "Business City");
	assert_string_equal(info.column[ING_COUNTRY], "Business Country/Region");
	assert_string_equal(info.column[ING_POSITION], "Job Title");
	assert_string_equal(info.column[ING_EMAIL], "E-mail Address");
	assert_int_equal(rows.nr, 3);
	assert_row(&rows.v[0], 2, ING_ROW_OK, "Zürich, ZH, Switzerland");
	assert_string_equal(rows.v[0].field[ING_FIRST_NAME], "Jörg");
	assert_string_equal(rows.v[0].field[ING_POSITION], "Actuary");
	/* no business address: the Home columns are the fallback */
	assert_row(&rows.v[1], 3, ING_ROW_OK, "Besançon, France");
	assert_row(&rows.v[2], 4, ING_ROW_NO_LOCATION, NULL);
	assert_counts(&info, 2, 1, 0);
	rows_free(&rows);
	ing_info_release(&info);
	sb_release(&err);
}

static void test_outlook_de_semicolon_cp1252(void **state)
{
	struct rows rows;
	struct ing_info info;
	struct strbuf err = STRBUF_INIT;
	(void)state;
	assert_int_equal(readf(FIX "outlook_de.csv", NULL, &rows, &info, &err), 0);
	assert_string_equal(info.format, "outlook-de");
	assert_string_equal(info.encoding, "windows-1252");
	assert_int_equal(info.delimiter, ';');
	assert_string_equal(info.column[ING_CITY], "Ort geschäftlich");
	assert_string_equal(info.column[ING_REGION], "Bundesland/Kanton geschäftlich");
	assert_string_equal(info.column[ING_COUNTRY], "Land/Region geschäftlich");
	assert_string_equal(info.column[ING_COMPANY], "Firma");
	assert_int_equal(rows.nr, 3);
	assert_row(&rows.v[0], 2, ING_ROW_OK, "München, Bayern, Deutschland");
	assert_string_equal(rows.v[0].field[ING_COMPANY], "Müller & Söhne");
	assert_row(&rows.v[1], 3, ING_ROW_OK, "Düsseldorf, Deutschland");
	assert_row(&rows.v[2], 4, ING_ROW_OK, "Graz, Steiermark, Österreich");
	assert_string_equal(rows.v[2].field[ING_FIRST_NAME], "€uro");
	assert_counts(&info, 3, 0, 0);
	rows_free(&rows);
	ing_info_release(&info);
	sb_release(&err);
}

static void test_hubspot_salesforce(void **state)
{
	struct rows rows;
	struct ing_info info;
	struct strbuf err = STRBUF_INIT;
	(void)state;
	assert_int_equal(readf(FIX "hubspot.csv", NULL, &rows, &info, &err), 0);
	assert_string_equal(info.format, "hubspot");
	assert_string_equal(info.column[ING_REGION], "State/Region");
	assert_string_equal(info.column[ING_COUNTRY], "Country/Region");
	assert_string_equal(info.column[ING_COMPANY], "Company Name");
	assert_int_equal(rows.nr, 3);
	assert_row(&rows.v[0], 2, ING_ROW_OK, "São Paulo, SP, Brazil");
	assert_row(&rows.v[1], 3, ING_ROW_OK, "Shenzhen, China");
	assert_row(&rows.v[2], 4, ING_ROW_NO_LOCATION, NULL);
	assert_counts(&info, 2, 1, 0);
	rows_free(&rows);
	ing_info_release(&info);

	assert_int_equal(readf(FIX "salesforce.csv", NULL, &rows, &info, &err), 0);
	assert_string_equal(info.format, "salesforce");
	assert_string_equal(info.column[ING_CITY], "Mailing City");
	assert_string_equal(info.column[ING_REGION], "Mailing State/Province");
	assert_string_equal(info.column[ING_COUNTRY], "Mailing Country");
	assert_string_equal(info.column[ING_POSITION], "Title");
	assert_string_equal(info.column[ING_COMPANY], "Account Name");
	assert_int_equal(rows.nr, 2);
	assert_row(&rows.v[0], 2, ING_ROW_OK, "Austin, TX, United States");
	assert_row(&rows.v[1], 3, ING_ROW_OK, "Canada");
	assert_counts(&info, 2, 0, 0);
	rows_free(&rows);
	ing_info_release(&info);
	sb_release(&err);
}

/* ---- encodings ---- */

static void check_unicode_file(const char *path, const char *encoding)
{
	struct rows rows;
	struct ing_info info;
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(readf(path, NULL, &rows, &info, &err), 0);
	assert_string_equal(info.encoding, encoding);
	assert_int_equal(info.header_line, 1);
	assert_string_equal(info.column[ING_FIRST_NAME], "First Name");
	assert_int_equal(rows.nr, 3);
	assert_row(&rows.v[0], 2, ING_ROW_OK, "Malmö, Sweden");
	assert_string_equal(rows.v[0].field[ING_LAST_NAME], "Ångström");
	assert_row(&rows.v[1], 3, ING_ROW_OK, "Москва, Россия");
	assert_row(&rows.v[2], 4, ING_ROW_OK, "Tōkyō");
	assert_string_equal(rows.v[2].field[ING_LAST_NAME], "😀");
	assert_counts(&info, 3, 0, 0);
	rows_free(&rows);
	ing_info_release(&info);
	sb_release(&err);
}

static void test_bom_and_utf16(void **state)
{
	(void)state;
	check_unicode_file(FIX "bom_utf8.csv", "utf-8-bom");
	check_unicode_file(FIX "utf16le.csv", "utf-16le");
	check_unicode_file(FIX "utf16be.csv", "utf-16be");
}

static void test_invalid_utf8(void **state)
{
	struct rows rows;
	struct ing_info info;
	struct strbuf err = STRBUF_INIT;
	(void)state;
	assert_int_equal(readf(FIX "invalid_utf8.csv", NULL, &rows, &info, &err), 0);
	assert_string_equal(info.encoding, "utf-8");
	assert_int_equal(rows.nr, 3);
	assert_row(&rows.v[0], 2, ING_ROW_OK, "Zürich, Schweiz");
	/* not UTF-8: read as Windows-1252 (valid sequences kept), and counted */
	assert_row(&rows.v[1], 3, ING_ROW_OK, "Gen\xc3\xa8ve\xc3\xbf, Suisse");
	assert_row(&rows.v[2], 4, ING_ROW_OK, "K\xc3\x83");
	assert_int_equal(info.recoded_rows, 2);
	assert_counts(&info, 3, 0, 0);
	rows_free(&rows);
	ing_info_release(&info);
	sb_release(&err);
}

/* Windows-1252 bytes that first appear after the first 256 KiB chunk. */
static void test_cp1252_late(void **state)
{
	struct rows rows;
	struct ing_info info;
	struct strbuf err = STRBUF_INIT, data = STRBUF_INIT;
	const char *path = TMPDIR "/cp1252_late.csv";
	(void)state;
	mk_tmpdir();
	sb_adds(&data, "Name,City\n");
	for (int i = 0; i < 30000; i++)
		sb_adds(&data, "Someone,Berlin\n");
	sb_adds(&data, "Late,K\xf6ln\n");
	write_file(path, data.buf, data.len);
	assert_int_equal(readf(path, NULL, &rows, &info, &err), 0);
	assert_string_equal(info.encoding, "windows-1252");
	assert_int_equal(rows.nr, 30001);
	assert_row(&rows.v[30000], 30002, ING_ROW_OK, "Köln");
	rows_free(&rows);
	ing_info_release(&info);
	sb_release(&data);
	sb_release(&err);
}

/*
 * The other direction: an export that starts in Windows-1252 (decided on the
 * first chunk) with rows pasted in from a UTF-8 one later, CRLF and LF, one
 * with its "ö" cut by the chunk boundary: those rows read as UTF-8 ("Köln",
 * not "KÃ¶ln") and are counted in recoded_rows; Windows-1252 rows after them
 * still read as Windows-1252.
 */
static void test_cp1252_then_utf8(void **state)
{
	struct rows rows;
	struct ing_info info;
	struct strbuf err = STRBUF_INIT, data = STRBUF_INIT;
	const char *path = TMPDIR "/cp1252_utf8.csv";
	(void)state;
	mk_tmpdir();
	sb_adds(&data, "Name,City\n");
	while (data.len < 256 * 1024 - 40)
		sb_adds(&data, "Z,Z\xfcrich\n");
	/* a row that pads the file so that "Cut,K\xc3" ends the first chunk, "\xb6ln" starts the second */
	sb_adds(&data, "P,");
	while (data.len < 256 * 1024 - 6 - 1)
		sb_addch(&data, 'x');
	sb_addch(&data, '\n');
	assert_int_equal(data.len, 256 * 1024 - 6);
	sb_adds(&data, "Cut,K\xc3");
	sb_adds(&data, "\xb6ln\nU,M\xc3\xbcnchen\r\nW,K\xf6ln\n\"Q,\",\"Gen\xc3\xa8ve\nGE\"\n");
	write_file(path, data.buf, data.len);
	assert_int_equal(readf(path, NULL, &rows, &info, &err), 0);
	assert_string_equal(info.encoding, "windows-1252");
	assert_string_equal(rows.v[0].location, "Z\xc3\xbcrich");
	assert_string_equal(rows.v[rows.nr - 4].location, "K\xc3\xb6ln");
	assert_string_equal(rows.v[rows.nr - 3].location, "M\xc3\xbcnchen");
	assert_string_equal(rows.v[rows.nr - 2].location, "K\xc3\xb6ln");
	assert_string_equal(rows.v[rows.nr - 1].location, "Gen\xc3\xa8ve\nGE");
	/* Cut, U and the two-line Q row; not W */
	assert_int_equal(info.recoded_rows, 3);
	rows_free(&rows);
	ing_info_release(&info);
	sb_release(&data);
	sb_release(&err);
}

/*
 * ing_read_mem gives what ing_read gives for a file of the same bytes: rows
 * (every field), counts, format, encoding, header line and errors (with the
 * name in place of the path). The large export spans several chunks and
 * mixes Windows-1252 and UTF-8.
 */
static void check_mem_same(const char *path)
{
	struct rows a, b;
	struct ing_info ia, ib;
	struct strbuf ea = STRBUF_INIT, eb = STRBUF_INIT, data = STRBUF_INIT;
	FILE *f = fopen(path, "rb");
	char buf[65536];
	size_t n;
	int ra, rb;
	assert_non_null(f);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		sb_add(&data, buf, n);
	fclose(f);
	ra = readf(path, NULL, &a, &ia, &ea);
	memset(&b, 0, sizeof(b));
	rb = ing_read_mem(path, data.buf, data.len, NULL, collect, on_progress, &b, &ib, &eb);
	assert_int_equal(ra, rb);
	assert_string_equal(ea.len ? ea.buf : "", eb.len ? eb.buf : "");
	assert_int_equal(a.nr, b.nr);
	for (size_t i = 0; i < a.nr; i++) {
		assert_int_equal(a.v[i].line, b.v[i].line);
		assert_int_equal(a.v[i].status, b.v[i].status);
		assert_ptr_equal(a.v[i].reason, b.v[i].reason);
		assert_string_equal(a.v[i].location ? a.v[i].location : "(none)", b.v[i].location ? b.v[i].location : "(none)");
		assert_int_equal(a.v[i].has_coords, b.v[i].has_coords);
		assert_true(a.v[i].lat == b.v[i].lat && a.v[i].lon == b.v[i].lon);
		assert_int_equal(a.v[i].date_state, b.v[i].date_state);
		assert_int_equal(a.v[i].month, b.v[i].month);
		for (int k = 0; k < ING_ROLE_COUNT; k++)
			assert_string_equal(a.v[i].field[k] ? a.v[i].field[k] : "(none)",
					    b.v[i].field[k] ? b.v[i].field[k] : "(none)");
	}
	assert_string_equal(ia.path, ib.path);
	assert_string_equal(ia.format, ib.format);
	assert_string_equal(ia.encoding, ib.encoding);
	assert_int_equal(ia.delimiter, ib.delimiter);
	assert_int_equal(ia.header_line, ib.header_line);
	assert_int_equal(ia.records, ib.records);
	assert_int_equal(ia.ok, ib.ok);
	assert_int_equal(ia.no_location, ib.no_location);
	assert_int_equal(ia.skipped, ib.skipped);
	assert_int_equal(ia.dates_ok, ib.dates_ok);
	assert_int_equal(ia.recoded_rows, ib.recoded_rows);
	assert_int_equal(ia.bytes, ib.bytes);
	rows_free(&a);
	rows_free(&b);
	ing_info_release(&ia);
	ing_info_release(&ib);
	sb_release(&ea);
	sb_release(&eb);
	sb_release(&data);
}

static void test_read_mem(void **state)
{
	static const char *const fixtures[] = {
		"linkedin_en.csv", "outlook_de.csv", "utf16le.csv", "utf16be.csv", "invalid_utf8.csv",
		"quoted_newlines.csv", "cr_only.csv", "unterminated.csv", "binary.bin", "empty.csv", "ragged.csv",
		"tab.tsv", "salesforce.csv",
	};
	struct strbuf path = STRBUF_INIT, data = STRBUF_INIT;
	struct rows rows;
	struct ing_info info;
	struct strbuf err = STRBUF_INIT;
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(fixtures); i++) {
		sb_reset(&path);
		sb_addf(&path, FIX "%s", fixtures[i]);
		check_mem_same(path.buf);
	}
	mk_tmpdir();
	sb_adds(&data, "Name,City\n");
	for (int i = 0; i < 60000; i++)
		sb_adds(&data, i % 7 ? "Z,Z\xfcrich\n" : "K,K\xc3\xb6ln\n");
	write_file(TMPDIR "/mem_big.csv", data.buf, data.len);
	check_mem_same(TMPDIR "/mem_big.csv");
	/* nothing at all: the same "empty file" error as an empty file, naming the name */
	memset(&rows, 0, sizeof(rows));
	assert_int_equal(ing_read_mem("pasted", NULL, 0, NULL, collect, NULL, &rows, &info, &err), NR_EX_DATAERR);
	assert_string_equal(err.buf, "'pasted': empty file");
	ing_info_release(&info);
	sb_release(&err);
	sb_release(&path);
	sb_release(&data);
}

/* Bytes that are not UTF-8 first appearing after the first chunk are read as Windows-1252, and counted. */
static void test_invalid_utf8_late(void **state)
{
	struct rows rows;
	struct ing_info info;
	struct strbuf err = STRBUF_INIT, data = STRBUF_INIT;
	const char *path = TMPDIR "/invalid_late.csv";
	(void)state;
	mk_tmpdir();
	sb_adds(&data, "Name,City\n");
	/* 9-byte rows with a 2-byte character: some straddle chunk boundaries */
	for (int i = 0; i < 40000; i++)
		sb_adds(&data, "Z,Z\xc3\xbcrich\n");
	sb_adds(&data, "Late,Gen\xe8ve\n");
	write_file(path, data.buf, data.len);
	assert_int_equal(readf(path, NULL, &rows, &info, &err), 0);
	assert_string_equal(info.encoding, "utf-8");
	assert_int_equal(rows.nr, 40001);
	for (size_t i = 0; i < 40000; i++)
		if (strcmp(rows.v[i].location, "Z\xc3\xbcrich"))
			fail_msg("row %zu: '%s'", i, rows.v[i].location);
	assert_row(&rows.v[40000], 40002, ING_ROW_OK, "Gen\xc3\xa8ve");
	assert_int_equal(info.recoded_rows, 1);
	rows_free(&rows);
	ing_info_release(&info);
	sb_release(&data);
	sb_release(&err);
}

/* UTF-16 with surrogate pairs and CRLFs straddling chunk boundaries. */
static void test_utf16_chunks(void **state)
{
	struct rows rows;
	struct ing_info info;
	struct strbuf err = STRBUF_INIT, data = STRBUF_INIT;
	const char *path = TMPDIR "/utf16_chunks.csv";
	const unsigned char row[] = { 'A', 0, ',', 0, 0x3D, 0xD8, 0x00, 0xDE, 'x', 0, '\r', 0, '\n', 0 };
	(void)state;
	mk_tmpdir();
	sb_add(&data, "\xff\xfeN\0,\0C\0i\0t\0y\0\r\0\n\0", 18);
	/* 14-byte rows do not divide 256 KiB: boundaries fall everywhere */
	for (int i = 0; i < 50000; i++)
		sb_add(&data, row, sizeof(row));
	write_file(path, data.buf, data.len);
	assert_int_equal(readf(path, NULL, &rows, &info, &err), 0);
	assert_string_equal(info.encoding, "utf-16le");
	assert_int_equal(rows.nr, 50000);
	for (size_t i = 0; i < rows.nr; i++) {
		if (rows.v[i].line != i + 2 || strcmp(rows.v[i].location, "\xf0\x9f\x98\x80x"))
			fail_msg("row %zu: line %lu location '%s'", i, rows.v[i].line, rows.v[i].location);
	}
	rows_free(&rows);
	ing_info_release(&info);
	sb_release(&data);
	sb_release(&err);
}

/* ---- CSV shapes ---- */

static void test_line_ends(void **state)
{
	struct rows rows;
	struct ing_info info;
	struct strbuf err = STRBUF_INIT;
	(void)state;
	/* "Name,City,Country\r\rAlice..\rBob,"Multi\rLine",Spain\rCarol,Oslo,Norway" */
	assert_int_equal(readf(FIX "cr_only.csv", NULL, &rows, &info, &err), 0);
	assert_int_equal(rows.nr, 3);
	assert_row(&rows.v[0], 3, ING_ROW_OK, "Lyon, France");
	assert_row(&rows.v[1], 4, ING_ROW_OK, "Multi\rLine, Spain");
	assert_row(&rows.v[2], 6, ING_ROW_OK, "Oslo, Norway");
	rows_free(&rows);
	ing_info_release(&info);

	assert_int_equal(readf(FIX "crlf.csv", NULL, &rows, &info, &err), 0);
	assert_int_equal(rows.nr, 3);
	assert_row(&rows.v[0], 2, ING_ROW_OK, "Lyon, France");
	assert_row(&rows.v[1], 4, ING_ROW_OK, "Line\r\nTwo");
	assert_row(&rows.v[2], 6, ING_ROW_OK, "Oslo");
	assert_counts(&info, 3, 0, 0);
	rows_free(&rows);
	ing_info_release(&info);
	sb_release(&err);
}

static void test_quoted_newlines(void **state)
{
	struct rows rows;
	struct ing_info info;
	struct strbuf err = STRBUF_INIT;
	(void)state;
	assert_int_equal(readf(FIX "quoted_newlines.csv", NULL, &rows, &info, &err), 0);
	assert_int_equal(rows.nr, 3);
	assert_row(&rows.v[0], 2, ING_ROW_OK, "Paris, France");
	assert_row(&rows.v[1], 5, ING_ROW_OK, "Rome,\nItaly");
	assert_row(&rows.v[2], 7, ING_ROW_OK, "Madrid");
	rows_free(&rows);
	ing_info_release(&info);
	sb_release(&err);
}

static void test_ragged_rows(void **state)
{
	struct rows rows;
	struct ing_info info;
	struct strbuf err = STRBUF_INIT;
	(void)state;
	assert_int_equal(readf(FIX "ragged.csv", NULL, &rows, &info, &err), 0);
	assert_int_equal(rows.nr, 4);
	assert_row(&rows.v[0], 2, ING_ROW_NO_LOCATION, NULL);
	assert_string_equal(rows.v[0].field[ING_COMPANY], "Acme");
	assert_string_equal(rows.v[0].field[ING_LOCATION], ""); /* column exists, cell missing */
	assert_null(rows.v[0].field[ING_URL]);                  /* no such column */
	assert_int_equal(rows.v[0].date_state, ING_DATE_NONE);
	assert_row(&rows.v[1], 3, ING_ROW_OK, "Berlin");
	assert_int_equal(rows.v[1].month, month(2024, 1));
	assert_row(&rows.v[2], 4, ING_ROW_OK, "Paris");
	assert_int_equal(rows.v[2].month, month(2024, 2));
	assert_row(&rows.v[3], 5, ING_ROW_NO_LOCATION, NULL);
	assert_string_equal(rows.v[3].field[ING_FULL_NAME], "JustName");
	assert_counts(&info, 2, 2, 0);
	rows_free(&rows);
	ing_info_release(&info);
	sb_release(&err);
}

static void test_empty_lines(void **state)
{
	struct rows rows;
	struct ing_info info;
	struct strbuf err = STRBUF_INIT;
	(void)state;
	assert_int_equal(readf(FIX "empty_lines.csv", NULL, &rows, &info, &err), 0);
	assert_int_equal(info.header_line, 4);
	assert_int_equal(rows.nr, 2);
	assert_row(&rows.v[0], 6, ING_ROW_OK, "Berlin");
	assert_row(&rows.v[1], 10, ING_ROW_OK, "Paris"); /* ",," on line 9 is not a record */
	assert_counts(&info, 2, 0, 0);
	rows_free(&rows);
	ing_info_release(&info);
	sb_release(&err);
}

static void test_duplicate_headers(void **state)
{
	struct rows rows;
	struct ing_info info;
	struct strbuf err = STRBUF_INIT;
	(void)state;
	assert_int_equal(readf(FIX "duplicate_headers.csv", NULL, &rows, &info, &err), 0);
	assert_string_equal(info.column[ING_LOCATION], "Location");
	assert_string_equal(info.column[ING_CITY], "City");
	assert_int_equal(rows.nr, 2);
	assert_row(&rows.v[0], 2, ING_ROW_OK, "Lyon");     /* the first City column, before any free text */
	assert_string_equal(rows.v[0].field[ING_LOCATION], "Berlin"); /* the first Location column */
	assert_string_equal(rows.v[0].field[ING_CITY], "Lyon");
	assert_row(&rows.v[1], 3, ING_ROW_OK, "Lyon");
	rows_free(&rows);
	ing_info_release(&info);
	sb_release(&err);
}

static void test_delimiters(void **state)
{
	struct rows rows;
	struct ing_info info;
	struct strbuf err = STRBUF_INIT;
	(void)state;
	assert_int_equal(readf(FIX "tab.tsv", NULL, &rows, &info, &err), 0);
	assert_int_equal(info.delimiter, '\t');
	assert_int_equal(rows.nr, 2);
	assert_row(&rows.v[0], 2, ING_ROW_OK, "Ghent, Belgium");
	assert_row(&rows.v[1], 3, ING_ROW_OK, "Quoted\tTab, X");
	rows_free(&rows);
	ing_info_release(&info);

	assert_int_equal(readf(FIX "pipe.csv", NULL, &rows, &info, &err), 0);
	assert_int_equal(info.delimiter, '|');
	assert_int_equal(rows.nr, 1);
	assert_row(&rows.v[0], 2, ING_ROW_OK, "Vienna, Austria");
	assert_string_equal(rows.v[0].field[ING_COMPANY], "X, Y");
	rows_free(&rows);
	ing_info_release(&info);
	sb_release(&err);
}

static void test_coordinates(void **state)
{
	struct rows rows;
	struct ing_info info;
	struct strbuf err = STRBUF_INIT;
	(void)state;
	assert_int_equal(readf(FIX "latlon.csv", NULL, &rows, &info, &err), 0);
	assert_string_equal(info.column[ING_LAT], "Latitude");
	assert_string_equal(info.column[ING_LON], "Longitude");
	assert_int_equal(rows.nr, 5);
	assert_row(&rows.v[0], 2, ING_ROW_OK, NULL);
	assert_true(rows.v[0].has_coords);
	assert_double_near(rows.v[0].lat, 52.520008, 1e-9);
	assert_double_near(rows.v[0].lon, 13.404954, 1e-9);
	assert_row(&rows.v[1], 3, ING_ROW_OK, NULL);
	assert_double_near(rows.v[1].lat, -33.8688, 1e-9);
	assert_double_near(rows.v[1].lon, 151.2093, 1e-9);
	assert_row(&rows.v[2], 4, ING_ROW_NO_LOCATION, NULL); /* latitude 91 */
	assert_false(rows.v[2].has_coords);
	assert_row(&rows.v[3], 5, ING_ROW_NO_LOCATION, NULL);
	assert_row(&rows.v[4], 6, ING_ROW_NO_LOCATION, NULL); /* "abc" */
	assert_counts(&info, 2, 3, 0);
	rows_free(&rows);
	ing_info_release(&info);

	assert_int_equal(readf(FIX "latlon_de.csv", NULL, &rows, &info, &err), 0);
	assert_int_equal(info.delimiter, ';');
	assert_string_equal(info.column[ING_LAT], "Breitengrad");
	assert_string_equal(info.column[ING_LON], "Längengrad");
	assert_int_equal(rows.nr, 2);
	assert_double_near(rows.v[0].lat, 48.137154, 1e-9);
	assert_double_near(rows.v[0].lon, 11.576124, 1e-9);
	assert_double_near(rows.v[1].lat, -0.5, 1e-12);
	assert_double_near(rows.v[1].lon, 100, 1e-12);
	rows_free(&rows);
	ing_info_release(&info);
	sb_release(&err);
}

static void test_dates_file(void **state)
{
	static const int want[] = { 2024 * 12, 2024 * 12, 2024 * 12, 2024 * 12 + 2, 2024 * 12 + 2,
				    2022 * 12 + 9, 2024 * 12, 2020 * 12 + 11, 2019 * 12 + 11 };
	struct rows rows;
	struct ing_info info;
	struct strbuf err = STRBUF_INIT;
	(void)state;
	assert_int_equal(readf(FIX "dates.csv", NULL, &rows, &info, &err), 0);
	assert_int_equal(rows.nr, 13);
	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		assert_int_equal(rows.v[i].date_state, ING_DATE_OK);
		assert_int_equal(rows.v[i].month, want[i]);
	}
	assert_int_equal(rows.v[9].date_state, ING_DATE_UNPARSEABLE);  /* yesterday */
	assert_int_equal(rows.v[10].date_state, ING_DATE_UNPARSEABLE); /* 2024-13-01 */
	assert_int_equal(rows.v[11].date_state, ING_DATE_NONE);        /* empty */
	assert_int_equal(rows.v[12].date_state, ING_DATE_UNPARSEABLE); /* 32.01.2024 */
	assert_int_equal(info.dates_ok, 9);
	assert_int_equal(info.dates_unparseable, 3);
	assert_counts(&info, 13, 0, 0);
	rows_free(&rows);
	ing_info_release(&info);
	sb_release(&err);
}

static void test_column_override(void **state)
{
	struct rows rows;
	struct ing_info info;
	struct ing_options opt;
	struct strbuf err = STRBUF_INIT;
	(void)state;
	memset(&opt, 0, sizeof(opt));
	assert_int_equal(readf(FIX "column_override.csv", &opt, &rows, &info, &err), NR_EX_DATAERR);
	rows_free(&rows);
	ing_info_release(&info);
	opt.column[ING_LOCATION] = "Wohnort";
	assert_int_equal(readf(FIX "column_override.csv", &opt, &rows, &info, &err), 0);
	assert_string_equal(info.column[ING_LOCATION], "Wohnort");
	assert_int_equal(rows.nr, 2);
	assert_row(&rows.v[0], 2, ING_ROW_OK, "Bremen");
	assert_row(&rows.v[1], 3, ING_ROW_NO_LOCATION, NULL);
	rows_free(&rows);
	ing_info_release(&info);
	/* matched case- and accent-insensitively too */
	opt.column[ING_LOCATION] = "HEIMAT";
	assert_int_equal(readf(FIX "column_override.csv", &opt, &rows, &info, &err), 0);
	assert_string_equal(info.column[ING_LOCATION], "Heimat");
	assert_row(&rows.v[1], 3, ING_ROW_OK, "Kiel");
	rows_free(&rows);
	ing_info_release(&info);
	opt.column[ING_LOCATION] = "Nope";
	assert_int_equal(readf(FIX "column_override.csv", &opt, &rows, &info, &err), NR_EX_DATAERR);
	assert_string_equal(err.buf, "'" FIX "column_override.csv': no column 'Nope' for --column location");
	rows_free(&rows);
	ing_info_release(&info);
	sb_release(&err);
}

static void test_unterminated_quote(void **state)
{
	struct rows rows;
	struct ing_info info;
	struct strbuf err = STRBUF_INIT;
	(void)state;
	assert_int_equal(readf(FIX "unterminated.csv", NULL, &rows, &info, &err), 0);
	assert_int_equal(rows.nr, 2);
	assert_row(&rows.v[0], 2, ING_ROW_OK, "Berlin");
	assert_row(&rows.v[1], 3, ING_ROW_SKIPPED, NULL);
	assert_string_equal(rows.v[1].reason, "unterminated quote");
	assert_counts(&info, 1, 0, 1);
	rows_free(&rows);
	ing_info_release(&info);
	sb_release(&err);
}

static void expect_error(const char *path, int status, const char *msg)
{
	struct rows rows;
	struct ing_info info;
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(readf(path, NULL, &rows, &info, &err), status);
	assert_string_equal(err.buf, msg);
	assert_int_equal(rows.nr, 0);
	rows_free(&rows);
	ing_info_release(&info);
	sb_release(&err);
}

static void test_bad_files(void **state)
{
	(void)state;
	expect_error(FIX "binary.bin", NR_EX_DATAERR,
		     "'" FIX "binary.bin': line 1: NUL byte (binary data, not a CSV export)");
	{
		/* control bytes without a NUL: binary, with no line to name */
		struct strbuf text = STRBUF_INIT, msg = STRBUF_INIT;
		char *path;
		sb_adds(&text, "Name,Location\n");
		for (int i = 0; i < 200; i++)
			sb_adds(&text, "\x01\x02\x03\x04,\x05\x06\n");
		path = unit_write_tmp("ingest", text.buf);
		sb_addf(&msg, "'%s': binary data (control bytes), not a CSV export", path);
		expect_error(path, NR_EX_DATAERR, msg.buf);
		unlink(path);
		free(path);
		sb_release(&text);
		sb_release(&msg);
	}
	expect_error(FIX "empty.csv", NR_EX_DATAERR, "'" FIX "empty.csv': empty file");
	expect_error(FIX "blank.csv", NR_EX_DATAERR, "'" FIX "blank.csv': no header line found");
	expect_error(FIX "nope.csv", NR_EX_NOINPUT, "'" FIX "nope.csv': cannot open: no such file or directory");
	expect_error("tests/ingest", NR_EX_NOINPUT, "'tests/ingest': is a directory");
	expect_error(FIX "no_location.csv", NR_EX_DATAERR,
		     "'" FIX "no_location.csv': line 1: "
		     "no location column: looked for a place (Location, City, State, Country, and the "
		     "Business, Home, Work, Mailing and Address 1 forms of Outlook, Thunderbird, "
		     "Salesforce and Google) and Latitude/Longitude; name yours with --column "
		     "location=HEADER (or city=, country=), or join one with --locations FILE");
}

static void test_only_header(void **state)
{
	struct rows rows;
	struct ing_info info;
	struct strbuf err = STRBUF_INIT;
	(void)state;
	assert_int_equal(readf(FIX "only_header.csv", NULL, &rows, &info, &err), 0);
	assert_int_equal(rows.nr, 0);
	assert_counts(&info, 0, 0, 0);
	rows_free(&rows);
	ing_info_release(&info);
	sb_release(&err);
}

static void test_callback_stops(void **state)
{
	struct rows rows;
	struct ing_info info;
	struct strbuf err = STRBUF_INIT;
	(void)state;
	memset(&rows, 0, sizeof(rows));
	rows.stop_at = 2;
	assert_int_equal(ing_read(FIX "dates.csv", NULL, collect, NULL, &rows, &info, &err), 7);
	assert_int_equal(rows.nr, 2);
	assert_int_equal(info.records, 2);
	rows_free(&rows);
	ing_info_release(&info);
	sb_release(&err);
}

/* ---- limits ---- */

/* A field just over and one exactly at 1 MiB, with newlines inside the long one. */
static void test_long_field(void **state)
{
	struct rows rows;
	struct ing_info info;
	struct strbuf err = STRBUF_INIT, data = STRBUF_INIT;
	const char *path = TMPDIR "/long_field.csv";
	(void)state;
	mk_tmpdir();
	sb_adds(&data, "Name,Location,Note\nA,Berlin,x\nB,Paris,\"");
	for (int i = 0; i < 3; i++) {
		sb_grow(&data, 1024 * 1024);
		memset(data.buf + data.len, 'y', 700 * 1024);
		sb_setlen(&data, data.len + 700 * 1024);
		sb_adds(&data, "\r\n");
	}
	sb_adds(&data, "\"\n\"");
	sb_grow(&data, 1024 * 1024);
	memset(data.buf + data.len, 'z', 1024 * 1024);
	sb_setlen(&data, data.len + 1024 * 1024);
	sb_adds(&data, "\",Rome,x\nD,Oslo,x\n");
	write_file(path, data.buf, data.len);
	assert_int_equal(readf(path, NULL, &rows, &info, &err), 0);
	assert_int_equal(rows.nr, 4);
	assert_row(&rows.v[0], 2, ING_ROW_OK, "Berlin");
	assert_row(&rows.v[1], 3, ING_ROW_SKIPPED, NULL);
	assert_string_equal(rows.v[1].reason, "field longer than 1 MiB");
	/* the skipped record spans lines 3-6 (three CRLFs inside); exactly 1 MiB is fine */
	assert_row(&rows.v[2], 7, ING_ROW_OK, "Rome");
	assert_int_equal(strlen(rows.v[2].field[ING_FULL_NAME]), 1024 * 1024);
	assert_row(&rows.v[3], 8, ING_ROW_OK, "Oslo");
	assert_counts(&info, 3, 0, 1);
	rows_free(&rows);
	ing_info_release(&info);
	sb_release(&data);
	sb_release(&err);
}

static void test_many_fields(void **state)
{
	struct rows rows;
	struct ing_info info;
	struct strbuf err = STRBUF_INIT, data = STRBUF_INIT;
	const char *path = TMPDIR "/many_fields.csv";
	(void)state;
	mk_tmpdir();
	sb_adds(&data, "Name,Location\nA,Berlin\nB,Paris");
	for (int i = 2; i < 1001; i++)
		sb_adds(&data, ",f");
	sb_adds(&data, "\nC,Rome");
	for (int i = 2; i < 1000; i++)
		sb_adds(&data, ",f");
	sb_adds(&data, "\nD,Oslo\n");
	write_file(path, data.buf, data.len);
	assert_int_equal(readf(path, NULL, &rows, &info, &err), 0);
	assert_int_equal(rows.nr, 4);
	assert_row(&rows.v[0], 2, ING_ROW_OK, "Berlin");
	assert_row(&rows.v[1], 3, ING_ROW_SKIPPED, NULL); /* 1,001 fields */
	assert_string_equal(rows.v[1].reason, "more than 1,000 fields");
	assert_row(&rows.v[2], 4, ING_ROW_OK, "Rome");   /* exactly 1,000 */
	assert_row(&rows.v[3], 5, ING_ROW_OK, "Oslo");
	assert_counts(&info, 3, 0, 1);
	rows_free(&rows);
	ing_info_release(&info);
	sb_release(&data);
	sb_release(&err);
}

static long peak_rss_kib(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

/*
 * 96 MiB inside one unterminated quoted field: memory stays bounded (libcsv
 * alone would grow its buffer to the whole field) and the record is skipped.
 */
static void test_huge_field_bounded_memory(void **state)
{
	struct rows rows;
	struct ing_info info;
	struct strbuf err = STRBUF_INIT;
	const char *path = TMPDIR "/huge_field.csv";
	char *block = xmalloc(1024 * 1024);
	FILE *f;
	long before;
	(void)state;
	mk_tmpdir();
	memset(block, 'q', 1024 * 1024);
	block[1000] = '\n';
	f = fopen(path, "wb");
	assert_non_null(f);
	fputs("Name,Location\nA,Berlin\nB,\"", f);
	for (int i = 0; i < 96; i++)
		assert_int_equal(fwrite(block, 1, 1024 * 1024, f), 1024 * 1024);
	assert_int_equal(fclose(f), 0);
	free(block);
	before = peak_rss_kib();
	assert_int_equal(readf(path, NULL, &rows, &info, &err), 0);
	if (peak_rss_kib() - before > 40 * 1024)
		fail_msg("peak RSS grew by %ld KiB reading a 96 MiB field", peak_rss_kib() - before);
	assert_int_equal(rows.nr, 2);
	assert_row(&rows.v[1], 3, ING_ROW_SKIPPED, NULL);
	assert_string_equal(rows.v[1].reason, "unterminated quote");
	assert_counts(&info, 1, 0, 1);
	rows_free(&rows);
	ing_info_release(&info);
	sb_release(&err);
	unlink(path);
}

static void test_nul_after_first_chunk(void **state)
{
	struct rows rows;
	struct ing_info info;
	struct strbuf err = STRBUF_INIT, data = STRBUF_INIT;
	const char *path = TMPDIR "/nul_late.csv";
	(void)state;
	mk_tmpdir();
	sb_adds(&data, "Name,Location\n");
	for (int i = 0; i < 40000; i++)
		sb_adds(&data, "A,Berlin\n");
	sb_add(&data, "B,Par\0is\n", 9);
	write_file(path, data.buf, data.len);
	assert_int_equal(readf(path, NULL, &rows, &info, &err), NR_EX_DATAERR);
	assert_string_equal(err.buf, "'" TMPDIR "/nul_late.csv': line 40002: NUL byte (binary data, not a CSV export)");
	assert_int_equal(rows.nr, 40000);
	rows_free(&rows);
	ing_info_release(&info);
	sb_release(&data);
	sb_release(&err);
}

/* Rows are not allocated per record: heap use is flat across 200,000 rows. */
static void test_rows_counted_once_streaming(void **state)
{
	struct rows rows;
	struct ing_info info;
	struct strbuf err = STRBUF_INIT, data = STRBUF_INIT;
	const char *path = TMPDIR "/many_rows.csv";
	(void)state;
	mk_tmpdir();
	sb_adds(&data, "Name,Location,Connected On\n");
	for (int i = 0; i < 200000; i++) {
		if (i % 1000 == 999)
			sb_adds(&data, "\n");                 /* empty lines are not records */
		else if (i % 100 == 5)
			sb_addf(&data, "p%d,,x\n", i);        /* no location, bad date */
		else
			sb_addf(&data, "p%d,\"City %d, Land\",03 Jan 2024\r\n", i, i % 50);
	}
	write_file(path, data.buf, data.len);
	assert_int_equal(readf(path, NULL, &rows, &info, &err), 0);
	assert_int_equal(info.records, 200000 - 200);
	assert_int_equal(info.no_location, 2000);
	assert_int_equal(info.ok, 200000 - 200 - 2000);
	assert_int_equal(info.dates_unparseable, 2000);
	/* row i is on line i + 2; the last one (i = 199999) is an empty line */
	assert_int_equal(rows.v[rows.nr - 1].line, 200000);
	assert_int_equal(rows.v[1000].line, 1003);
	assert_true(rows.progress_calls >= 2);
	assert_int_equal(rows.last_done, data.len);
	rows_free(&rows);
	ing_info_release(&info);
	sb_release(&data);
	sb_release(&err);
}

/* ---- inspect ---- */

static void test_inspect_output(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct strbuf err = STRBUF_INIT;
	struct ing_options opt;
	(void)state;
	memset(&opt, 0, sizeof(opt));
	opt.locations_path = FIX "linkedin_locations.csv";
	assert_int_equal(ing_inspect(f, FIX "linkedin_en.csv", &opt, &err), 0);
	fclose(f);
	assert_string_equal(buf,
		"format\tlinkedin\n"
		"encoding\tutf-8\n"
		"delimiter\tcomma\n"
		"header_line\t4\n"
		"column\tfirst_name\tFirst Name\n"
		"column\tlast_name\tLast Name\n"
		"column\turl\tURL\n"
		"column\temail\tEmail Address\n"
		"column\tcompany\tCompany\n"
		"column\tposition\tPosition\n"
		"column\tconnected_on\tConnected On\n"
		"line\tstatus\treason\tlocation\tlat\tlon\tmonth\n"
		"5\tok\t\tBerlin, Germany\t\t\t2024-01\n"
		"6\tok\t\tMünchen\t\t\t2023-02\n"
		"7\tok\t\tHamburg, Germany\t\t\t2019-12\n"
		"8\tno_location\t\t\t\t\t\n"
		"records\t4\nok\t3\nno_location\t1\nskipped\t0\n"
		"dates_ok\t3\ndates_unparseable\t1\nlocations_joined\t3\n");
	free(buf);
	sb_release(&err);
}

/* ---- progress ---- */

static void test_progress(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct pg pg;
	(void)state;
	pg_init_stream(&pg, f);
	pg_update(&pg, 10, 100, 5);       /* too soon after start: nothing */
	fflush(f);
	assert_int_equal(len, 0);
	pg_update(&pg, 100, 100, 12345);  /* done == total always draws */
	fflush(f);
	assert_non_null(strstr(buf, "[####################] 100%"));
	assert_non_null(strstr(buf, "rows/s"));
	pg_finish(&pg);
	fclose(f);
	assert_true(len >= 4);
	assert_memory_equal(buf + len - 4, "\r\033[K", 4);
	free(buf);
	/* disabled: never writes */
	pg_init(&pg, 0);
	assert_null(pg.out);
	pg_update(&pg, 100, 100, 1);
	pg_finish(&pg);
}

/* ---- split reads (ing_split) ---- */

/* The second part's context: its rows, and what join was told. */
struct split_ctx {
	struct rows rows;       /* first: collect() takes the ctx as struct rows */
	int joins, use, refuse;
	unsigned long base;
};

/* Move the second part's rows after the first's, lines counted from the file's start. */
static int split_join(void *ctx, void *ctx2, unsigned long base, int use)
{
	struct rows *first = ctx;
	struct split_ctx *s = ctx2;
	s->joins++;
	s->use = use;
	s->base = base;
	if (use && !s->refuse) {
		for (size_t i = 0; i < s->rows.nr; i++) {
			ALLOC_GROW(first->v, first->nr + 1, first->alloc);
			first->v[first->nr] = s->rows.v[i];
			first->v[first->nr++].line += base - 1;
		}
		free(s->rows.v);
		memset(&s->rows, 0, sizeof(s->rows));
		return 0;
	}
	rows_free(&s->rows);
	return 1;
}

/*
 * An export of about 700 KB that exercises what a cut could break: CRLF
 * and LF lines, quoted fields spanning lines, empty lines, short rows,
 * invalid UTF-8, a row of 1,001 fields, unparseable dates. mid is put
 * at the middle of the data: a quoted field of many lines when mid_quoted,
 * else more rows.
 */
static void split_export(struct strbuf *d, int mid_quoted)
{
	sb_adds(d, "First Name,Last Name,URL,Connected On,Location\r\n");
	for (int i = 0; i < 16000; i++) {
		if (mid_quoted && i == 8000) {
			sb_adds(d, "Long,Note,https://linkedin.com/in/long,01 Jan 2020,\"Berlin");
			for (int k = 0; k < 14000; k++) /* 392 KB: the middle of the data falls inside */
				sb_adds(d, "\nline of a long quoted field");
			sb_adds(d, "\"\n");
			continue;
		}
		switch (i % 9) {
		case 0: sb_addf(d, "A%d,B,https://linkedin.com/in/u%d,02 Jul 2022,\"Madison, WI\"\r\n", i, i); break;
		case 1: sb_addf(d, "C%d,D,https://linkedin.com/in/u%d,2021-03-04,\"Two\nlines\"\n", i, i); break;
		case 2: sb_adds(d, "\n"); break;
		case 3: sb_addf(d, "Short%d\n", i); break;
		case 4: sb_addf(d, "E%d,\xff,https://linkedin.com/in/u%d,x,K\xf6ln\n", i, i); break;
		case 5:
			if (i % 4000 == 5) {
				for (int k = 0; k < 1000; k++)
					sb_adds(d, "x,");
				sb_adds(d, "x\n");
			} else {
				sb_addf(d, "F%d,G,,03.04.2019,M\xc3\xbcnchen\n", i);
			}
			break;
		default: sb_addf(d, "H%d,I,https://linkedin.com/in/u%d,, Paris \r\n", i, i); break;
		}
	}
}

/* Read path in one piece and split (refusing the second part when refuse), expecting the same. */
static void check_split(const char *path, int refuse, int want_use)
{
	struct rows one, two;
	struct ing_info i1, i2;
	struct ing_options opt;
	struct ing_split split;
	struct split_ctx sc;
	struct strbuf e1 = STRBUF_INIT, e2 = STRBUF_INIT;
	int rc1, rc2;

	rc1 = readf(path, NULL, &one, &i1, &e1);
	memset(&opt, 0, sizeof(opt));
	memset(&sc, 0, sizeof(sc));
	sc.refuse = refuse;
	split.min_bytes = 1;
	split.ctx2 = &sc;
	split.join = split_join;
	opt.split = &split;
	rc2 = readf(path, &opt, &two, &i2, &e2);
	assert_int_equal(rc1, rc2);
	assert_int_equal(e1.len, e2.len);
	if (e1.len)
		assert_string_equal(e1.buf, e2.buf);
	assert_int_equal(sc.joins, 1);
	assert_int_equal(sc.use, want_use);
	assert_int_equal(sc.rows.nr, 0);
	assert_same_rows(&one, &two);
	for (size_t i = 0; i < one.nr; i++)
		for (int k = 0; k < ING_ROLE_COUNT; k++)
			if (one.v[i].field[k])
				assert_string_equal(one.v[i].field[k], two.v[i].field[k]);
			else
				assert_null(two.v[i].field[k]);
	assert_int_equal(i1.records, i2.records);
	assert_int_equal(i1.ok, i2.ok);
	assert_int_equal(i1.no_location, i2.no_location);
	assert_int_equal(i1.skipped, i2.skipped);
	assert_int_equal(i1.dates_ok, i2.dates_ok);
	assert_int_equal(i1.dates_unparseable, i2.dates_unparseable);
	assert_true(i1.bytes == i2.bytes);
	assert_string_equal(i1.encoding, i2.encoding);
	if (!rc1)
		assert_true(two.last_done == two.last_total && two.last_total == i1.bytes);
	rows_free(&one);
	rows_free(&two);
	ing_info_release(&i1);
	ing_info_release(&i2);
	sb_release(&e1);
	sb_release(&e2);
}

/* The second part's rows, lines rebased, are exactly a single reader's. */
static void test_split_same_rows(void **state)
{
	struct strbuf d = STRBUF_INIT;
	const char *path = TMPDIR "/split.csv";
	(void)state;
	mk_tmpdir();
	split_export(&d, 0);
	write_file(path, d.buf, d.len);
	check_split(path, 0, 1);
	/* join refuses: the second part is read again into the first ctx */
	check_split(path, 1, 1);
	sb_release(&d);
}

/* A cut inside a quoted field that spans lines: the second part is not used. */
static void test_split_cut_in_quotes(void **state)
{
	struct strbuf d = STRBUF_INIT;
	const char *path = TMPDIR "/split-quoted.csv";
	(void)state;
	mk_tmpdir();
	split_export(&d, 1);
	write_file(path, d.buf, d.len);
	check_split(path, 0, 0);
	sb_release(&d);
}

/* A NUL byte late in the file: the same error, with the file's line number, from the first reader. */
static void test_split_error_in_second_part(void **state)
{
	struct strbuf d = STRBUF_INIT;
	const char *path = TMPDIR "/split-nul.csv";
	(void)state;
	mk_tmpdir();
	split_export(&d, 0);
	sb_add(&d, "N,O,,,Par\0is\n", 13);
	write_file(path, d.buf, d.len);
	check_split(path, 0, 0);
	sb_release(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_huge_field_bounded_memory),
		cmocka_unit_test(test_known_headers_are_folded),
		cmocka_unit_test(test_role_names),
		cmocka_unit_test(test_url_key),
		cmocka_unit_test(test_parse_month),
		cmocka_unit_test(test_parse_month_fixed_forms),
		cmocka_unit_test(test_omit_fields),
		cmocka_unit_test(test_omit_fields_join),
		cmocka_unit_test(test_linkedin_without_locations),
		cmocka_unit_test(test_linkedin_empty_rows),
		cmocka_unit_test(test_address_precedence),
		cmocka_unit_test(test_join_keys_and_languages),
		cmocka_unit_test(test_linkedin_join),
		cmocka_unit_test(test_linkedin_de_join),
		cmocka_unit_test(test_join_as_fallback),
		cmocka_unit_test(test_locations_file_errors),
		cmocka_unit_test(test_profile_location),
		cmocka_unit_test(test_google),
		cmocka_unit_test(test_outlook_en_cp1252),
		cmocka_unit_test(test_outlook_de_semicolon_cp1252),
		cmocka_unit_test(test_hubspot_salesforce),
		cmocka_unit_test(test_bom_and_utf16),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_cp1252_late),
		cmocka_unit_test(test_cp1252_then_utf8),
		cmocka_unit_test(test_read_mem),
		cmocka_unit_test(test_invalid_utf8_late),
		cmocka_unit_test(test_utf16_chunks),
		cmocka_unit_test(test_line_ends),
		cmocka_unit_test(test_quoted_newlines),
		cmocka_unit_test(test_ragged_rows),
		cmocka_unit_test(test_empty_lines),
		cmocka_unit_test(test_duplicate_headers),
		cmocka_unit_test(test_delimiters),
		cmocka_unit_test(test_coordinates),
		cmocka_unit_test(test_dates_file),
		cmocka_unit_test(test_column_override),
		cmocka_unit_test(test_unterminated_quote),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_only_header),
		cmocka_unit_test(test_callback_stops),
		cmocka_unit_test(test_long_field),
		cmocka_unit_test(test_many_fields),
		cmocka_unit_test(test_nul_after_first_chunk),
		cmocka_unit_test(test_rows_counted_once_streaming),
		cmocka_unit_test(test_inspect_output),
		cmocka_unit_test(test_progress),
		cmocka_unit_test(test_split_same_rows),
		cmocka_unit_test(test_split_cut_in_quotes),
		cmocka_unit_test(test_split_error_in_second_part),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
