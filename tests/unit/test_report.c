#include "unit.h"

#include <sys/stat.h>
#include <unistd.h>

#include "../plot/fixture.h"
#include "report.h"
#include "text.h"

static const char *const files[] = {
	"summary.json", "places.csv", "unresolved.csv", "skipped.csv", "report.md", "index.html",
};

static char *read_all(const char *dir, const char *name, size_t *len)
{
	struct strbuf path = STRBUF_INIT, sb = STRBUF_INIT;
	char buf[8192];
	size_t n;
	FILE *f;
	sb_addf(&path, "%s/%s", dir, name);
	f = fopen(path.buf, "rb");
	if (!f)
		fail_msg("cannot open %s", path.buf);
	sb_init(&sb, 0);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		sb_add(&sb, buf, n);
	fclose(f);
	sb_release(&path);
	return sb_detach(&sb, len);
}

static void make_dir(char *tmpl)
{
	if (!mkdtemp(tmpl))
		fail_msg("mkdtemp failed");
}

static void remove_dir(const char *dir)
{
	struct strbuf p = STRBUF_INIT;
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		sb_reset(&p);
		sb_addf(&p, "%s/%s", dir, files[i]);
		unlink(p.buf);
	}
	rmdir(dir);
	sb_release(&p);
}

static void write_report(const struct an_result *r, char *dir, int rendered, int show_names)
{
	struct rp_options o = { rendered, 0, show_names };
	struct strbuf err = STRBUF_INIT;
	make_dir(dir);
	assert_int_equal(rp_write(r, dir, &o, &err), NR_EX_OK);
	assert_int_equal(err.len, 0);
	sb_release(&err);
}

static json_int_t jint(json_t *root, const char *obj, const char *key)
{
	json_t *o = json_object_get(root, obj), *v = o ? json_object_get(o, key) : NULL;
	if (!json_is_integer(v))
		fail_msg("%s.%s is not an integer", obj, key);
	return json_integer_value(v);
}

static void test_summary_json(void **state)
{
	struct an_result r;
	json_t *j;
	char *text;
	static const char *const top[] = {
		"schema_version", "input", "inputs", "home", "reach", "distance_km", "radius_of_gyration_km",
		"distinct", "diversity", "footprint", "countries", "admin1", "bands", "regions", "timeline",
		"attribution",
	};
	static const char *const input_keys[] = {
		"file", "format", "encoding", "delimiter", "columns", "rows", "resolved", "unresolved",
		"no_location", "skipped",
	};
	static const char *const home_keys[] = {
		"query", "name", "admin1", "country_code", "lat", "lon", "inferred", "radius_km",
	};
	(void)state;
	fx_build(&r, FX_NR_CITIES, 1, 0);
	j = rp_summary_json(&r);
	for (size_t i = 0; i < ARRAY_SIZE(top); i++)
		if (!json_object_get(j, top[i]))
			fail_msg("summary.json lacks %s", top[i]);
	for (size_t i = 0; i < ARRAY_SIZE(input_keys); i++)
		if (!json_object_get(json_object_get(j, "input"), input_keys[i]))
			fail_msg("summary.json lacks input.%s", input_keys[i]);
	for (size_t i = 0; i < ARRAY_SIZE(home_keys); i++)
		if (!json_object_get(json_object_get(j, "home"), home_keys[i]))
			fail_msg("summary.json lacks home.%s", home_keys[i]);
	/* 40+25+20+10+8+5+4+3+2+1+2+1+1 = 122 resolved; rows = 122 + 9 + 4 + 2 */
	assert_int_equal(jint(j, "input", "resolved"), 122);
	assert_int_equal(jint(j, "input", "rows"), 137);
	assert_int_equal(jint(j, "input", "rows"),
			 jint(j, "input", "resolved") + jint(j, "input", "unresolved") +
				 jint(j, "input", "no_location") + jint(j, "input", "skipped"));
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "input"), "file")), "Connections.csv");
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "input"), "delimiter")), ",");
	assert_int_equal(json_array_size(json_object_get(j, "bands")), 5);
	assert_int_equal(json_array_size(json_object_get(j, "timeline")), 6);
	assert_int_equal(json_array_size(json_object_get(j, "regions")), 3);
	/* countries: US 40+25+20+10+8+5+2 = 110 first */
	{
		json_t *c0 = json_array_get(json_object_get(j, "countries"), 0);
		assert_string_equal(json_string_value(json_object_get(c0, "code")), "US");
		assert_int_equal(json_integer_value(json_object_get(c0, "count")), 110);
	}
	text = json_dumps(j, RP_JSON_FLAGS);
	/* located = 122 - 2 (Wisconsin) - 1 (Germany) = 119; 40/119 = 0.336134... -> 4 decimals; 79/119 beyond home */
	assert_non_null(strstr(text, "\"home_share\": 0.3361,\n"));
	assert_non_null(strstr(text, "\"home_count\": 40,\n"));
	assert_non_null(strstr(text, "\"home_base\": 119,\n"));
	assert_non_null(strstr(text, "\"beyond_home_share\": 0.6639,\n"));
	assert_non_null(strstr(text, "\"outside_home_admin1_share\": 0.3689,\n")); /* 45/122 */
	assert_non_null(strstr(text, "\"lat\": 43.7508,\n"));
	assert_non_null(strstr(text, "\"union_km2\": 123457.0,\n"));
	assert_non_null(strstr(text, "\"month\": \"2023-01\""));
	assert_non_null(strstr(text, "\"countries_effective\": 1.84,\n")); /* exp(0.61234) = 1.8447 */
	assert_null(strstr(text, "jane.doe"));
	free(text);
	json_decref(j);
	fx_release(&r);
}

static void test_zero_resolved(void **state)
{
	struct an_result r;
	char dir[] = "/tmp/test_report.XXXXXX";
	struct strbuf line = STRBUF_INIT;
	char *s;
	json_t *j;
	(void)state;
	fx_build(&r, 0, 0, 0);
	rp_headline(&line, &r);
	/* 15 rows: 9 unresolved, 4 without a location, 2 skipped (no duplicates) */
	assert_string_equal(line.buf, "None of your 15 connections could be placed: 9 with a location netreach did "
				      "not recognise (see unresolved.csv), 4 without a location and 2 unreadable (see "
				      "skipped.csv).");
	j = rp_summary_json(&r);
	assert_true(json_is_null(json_object_get(json_object_get(j, "distance_km"), "median")));
	json_decref(j);
	write_report(&r, dir, 0, 0);
	s = read_all(dir, "places.csv", NULL);
	assert_string_equal(s, "place,level,lat,lon,admin1,country,count,distance_km\r\n");
	free(s);
	remove_dir(dir);
	sb_release(&line);
	fx_release(&r);
}

/* Nothing placed: the headline names only the files that list something. */
static void test_headline_nothing_placed(void **state)
{
	struct an_result r;
	struct strbuf line = STRBUF_INIT;
	(void)state;
	fx_build(&r, 0, 0, 0);
	r.unresolved = r.skipped = 0;
	r.rows = r.no_location = 4;
	rp_headline(&line, &r);
	assert_string_equal(line.buf, "None of your 4 connections could be placed: 4 without a location.");
	r.rows = r.no_location = 0;
	sb_reset(&line);
	rp_headline(&line, &r);
	assert_string_equal(line.buf, "The export has no rows, so there is nothing to place.");
	r.rows = r.skipped = r.duplicates = 3;
	sb_reset(&line);
	rp_headline(&line, &r);
	assert_string_equal(line.buf, "Every row of the export repeats an earlier one, so there is nothing to place.");
	r.rows = r.skipped = 3;
	r.duplicates = 1;
	r.no_location = 1;
	r.rows = 4;
	sb_reset(&line);
	rp_headline(&line, &r);
	assert_string_equal(line.buf, "None of your 3 connections could be placed: 1 without a location and 2 "
				      "unreadable (see skipped.csv).");
	r.duplicates = 0;
	sb_release(&line);
	fx_release(&r);
}

static void test_headline(void **state)
{
	struct an_result r;
	struct strbuf line = STRBUF_INIT;
	(void)state;
	fx_build(&r, FX_NR_CITIES, 1, 0);
	/*
	 * 137 rows, 122 resolved, 119 located; beyond home 79/119 = 66%: one
	 * number, and the line under it names its base.
	 */
	rp_headline(&line, &r);
	assert_string_equal(line.buf, "66% of your network lives beyond Sheboygan.");
	sb_reset(&line);
	rp_headline_base(&line, &r);
	assert_string_equal(line.buf, "79 of the 119 connections placed in a town live more than 50 km from Sheboygan.");
	/* only state or country level: the share abroad, GB 4 + DE 3+1 + JP 2 + AU 1 + FJ 1 = 12/122 = 10% */
	r.summary.located = 0;
	sb_reset(&line);
	rp_headline(&line, &r);
	assert_string_equal(line.buf, "10% of your network lives abroad.");
	sb_reset(&line);
	rp_headline_base(&line, &r);
	assert_string_equal(line.buf, "12 of the 122 connections placed live outside United States; none could be "
				      "placed in a town, so distances are unknown.");
	sb_release(&line);
	fx_release(&r);
}

static void test_files_and_determinism(void **state)
{
	struct an_result r;
	char d1[] = "/tmp/test_report.XXXXXX", d2[] = "/tmp/test_report.XXXXXX";
	char *s;
	(void)state;
	fx_build(&r, FX_NR_CITIES, 1, 0);
	write_report(&r, d1, 1, 0);
	write_report(&r, d2, 1, 0);
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		size_t l1, l2;
		char *a = read_all(d1, files[i], &l1), *b = read_all(d2, files[i], &l2);
		if (l1 != l2 || memcmp(a, b, l1))
			fail_msg("%s differs between two runs", files[i]);
		if (strstr(a, "jane.doe") || strstr(a, "jane@example.com"))
			fail_msg("%s leaks personal data", files[i]);
		free(a);
		free(b);
	}
	s = read_all(d1, "unresolved.csv", NULL);
	assert_string_equal(s, "location,count,reason\r\n"
			       "Gotham City,4,names no known place\r\n"
			       "Remote,2,names no known place\r\n"
			       "Springfield,2,ambiguous\r\n"
			       "(email address hidden),1,names no known place\r\n");
	free(s);
	s = read_all(d1, "skipped.csv", NULL);
	assert_string_equal(s, "file,line,reason\r\n"
			       "Connections.csv,17,field longer than 1 MiB\r\n"
			       "Connections.csv,90,\"more than 1,000 fields\"\r\n");
	free(s);
	s = read_all(d1, "places.csv", NULL);
	assert_non_null(strstr(s, "place,level,lat,lon,admin1,country,count,distance_km\r\n"
				  "Sheboygan,city,43.7508,-87.7145,Wisconsin,United States,40,0.0\r\n"
				  "Milwaukee,city,43.0389,-87.9065,Wisconsin,United States,25,80.7\r\n"));
	assert_non_null(strstr(s, "\r\nGermany,country,51.5000,10.5000,,Germany,1,"));
	free(s);
	s = read_all(d1, "index.html", NULL);
	assert_non_null(strstr(s, "<p class=\"big\"><strong>66%</strong> of your network lives beyond Sheboygan</p>"));
	assert_non_null(strstr(s, "79 of the 119 connections placed in a town live more than 50 km from Sheboygan."));
	assert_non_null(strstr(s, "<img src=\"charts/world-map.png\""));
	assert_null(strstr(s, "gnuplot -d"));
	assert_non_null(strstr(s, "netreach " NR_VERSION));
	assert_non_null(strstr(s, "CC BY 4.0"));
	assert_non_null(strstr(s, "Natural Earth"));
	assert_null(strstr(s, "<script"));
	assert_null(strstr(s, "http://"));
	assert_null(strstr(s, "https://"));
	free(s);
	s = read_all(d1, "report.md", NULL);
	assert_non_null(strstr(s, "## 66% of your network lives beyond Sheboygan\n\n79 of the 119 connections placed in a town"));
	/* Markdown is not HTML-escaped: quotes are quotes */
	assert_non_null(strstr(s, "(from \"Sheboygan, WI\")"));
	assert_null(strstr(s, "&quot;"));
	/* a state- or country-level place shows no stand-in distance */
	assert_non_null(strstr(s, "| Germany | 1 | whole country |\n"));
	assert_non_null(strstr(s, "![Bars: connections at home"));
	assert_non_null(strstr(s, "| Outside Wisconsin | 45 | 122 whose state is known | 36.9% |\n")); /* 20+8+5+4+3+2+1+1+1 = 45 of 122 */
	free(s);
	remove_dir(d1);
	remove_dir(d2);
	fx_release(&r);
}

/* More skipped rows than the list keeps (memory bound): the report says the list is partial. */
static void test_skipped_list_capped(void **state)
{
	struct an_result r;
	char dir[] = "/tmp/test_report.XXXXXX", dir2[] = "/tmp/test_report.XXXXXX";
	char *s;
	(void)state;
	fx_build(&r, FX_NR_CITIES, 1, 0);
	write_report(&r, dir, 1, 0);
	s = read_all(dir, "report.md", NULL);
	assert_non_null(strstr(s, "2 records were skipped; skipped.csv lists each with its file, line and reason."));
	free(s);
	fx_release(&r);

	fx_build(&r, FX_NR_CITIES, 1, 0);
	r.skipped += 5;     /* 7 skipped, 2 listed */
	r.rows += 5;
	write_report(&r, dir2, 1, 0);
	s = read_all(dir2, "report.md", NULL);
	assert_non_null(strstr(s, "7 records were skipped; skipped.csv lists the first 2 with their file, line and reason."));
	free(s);
	fx_release(&r);
	remove_dir(dir);
	remove_dir(dir2);
}

/* Rendered charts are embedded as data: URIs, so index.html is one file; the CSP allows only those images. */
static void test_charts_embedded(void **state)
{
	struct an_result r;
	char dir[] = "/tmp/test_report.XXXXXX";
	struct strbuf p = STRBUF_INIT;
	struct rp_options o = { 1, 0, 0 };
	struct strbuf err = STRBUF_INIT;
	FILE *f;
	char *s;
	(void)state;
	fx_build(&r, FX_NR_CITIES, 1, 0);
	make_dir(dir);
	sb_addf(&p, "%s/charts", dir);
	assert_int_equal(mkdir(p.buf, 0700), 0);
	sb_adds(&p, "/reach.png");
	f = fopen(p.buf, "wb");
	assert_non_null(f);
	fwrite("\x89PNG\r\n\x1a\nab", 1, 10, f); /* 10 bytes: two '=' of padding */
	fclose(f);
	assert_int_equal(rp_write(&r, dir, &o, &err), NR_EX_OK);
	s = read_all(dir, "index.html", NULL);
	assert_non_null(strstr(s, "<img src=\"data:image/png;base64,iVBORw0KGgphYg==\""));
	assert_null(strstr(s, "src=\"charts/reach.png\""));
	/* a chart that is missing stays a file beside the page */
	assert_non_null(strstr(s, "src=\"charts/world-map.png\""));
	assert_non_null(strstr(s, "content=\"default-src 'none'; img-src data:; style-src"));
	free(s);
	s = read_all(dir, "report.md", NULL);
	assert_non_null(strstr(s, "](charts/reach.png)"));
	free(s);
	unlink(p.buf);
	sb_setlen(&p, p.len - strlen("/reach.png"));
	rmdir(p.buf);
	remove_dir(dir);
	sb_release(&p);
	sb_release(&err);
	fx_release(&r);
}

static void test_not_rendered_and_show_names(void **state)
{
	struct an_result r;
	char dir[] = "/tmp/test_report.XXXXXX";
	char *s;
	(void)state;
	fx_build(&r, 1, 0, 0);
	write_report(&r, dir, 0, 1);
	s = read_all(dir, "index.html", NULL);
	assert_non_null(strstr(s, "cd charts &amp;&amp; for f in *.gp; do gnuplot -d &quot;$f&quot;; done"));
	free(s);
	s = read_all(dir, "report.md", NULL);
	assert_non_null(strstr(s, "```sh\ncd charts && for f in *.gp; do gnuplot -d \"$f\"; done\n```"));
	free(s);
	s = read_all(dir, "unresolved.csv", NULL);
	assert_non_null(strstr(s, "\r\njane@example.com,1,"));
	free(s);
	remove_dir(dir);
	fx_release(&r);
}

/* Every CSV line's cells: none may start with a formula character. */
static void check_csv_safe(const char *s, const char *name)
{
	const char *p = s;
	int at_cell_start = 1, quoted = 0;
	for (; *p; p++) {
		if (at_cell_start) {
			const char *c = p;
			if (*c == '"')
				c++;
			if (*c && strchr("=+-@", *c) && !(*c == '-' && c[1] >= '0' && c[1] <= '9'))
				fail_msg("%s: cell starts with a formula character: %.40s", name, p);
			at_cell_start = 0;
		}
		if (*p == '"')
			quoted = !quoted;
		else if (!quoted && (*p == ',' || *p == '\n'))
			at_cell_start = 1;
	}
}

static void test_hostile(void **state)
{
	struct an_result r;
	char dir[] = "/tmp/test_report.XXXXXX";
	char *s;
	(void)state;
	fx_build(&r, FX_NR_CITIES, 1, 1);
	write_report(&r, dir, 1, 0);
	s = read_all(dir, "index.html", NULL);
	assert_null(strstr(s, "<script"));
	assert_non_null(strstr(s, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_null(strstr(s, "\"; system("));
	/* no input-derived attribute or tag can open: every '<' is one of ours */
	for (const char *p = strchr(s, '<'); p; p = strchr(p + 1, '<'))
		if (!strchr("/!abcdefhilmoprstuFHT", p[1]))
			fail_msg("unexpected tag at %.30s", p);
	free(s);
	s = read_all(dir, "report.md", NULL);
	/* Markdown: every '<' is backslash-escaped, so no tag can open */
	for (const char *p = strchr(s, '<'); p; p = strchr(p + 1, '<'))
		if (p == s || p[-1] != '\\')
			fail_msg("unescaped '<' at %.30s", p);
	assert_non_null(strstr(s, "\\<script\\>"));
	assert_null(strstr(s, "\nbreak"));
	free(s);
	s = read_all(dir, "unresolved.csv", NULL);
	check_csv_safe(s, "unresolved.csv");
	assert_non_null(strstr(s, "\"'=HYPERLINK(\"\"http://evil.example/\"\",\"\"x\"\")\",2,"));
	free(s);
	s = read_all(dir, "places.csv", NULL);
	check_csv_safe(s, "places.csv");
	free(s);
	s = read_all(dir, "summary.json", NULL);
	{
		json_error_t e;
		json_t *j = json_loads(s, 0, &e);
		if (!j)
			fail_msg("summary.json does not parse: %s", e.text);
		assert_string_equal(json_string_value(json_object_get(json_object_get(j, "home"), "query")),
				    fx_hostile[1]);
		json_decref(j);
	}
	free(s);
	remove_dir(dir);
	fx_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_summary_json),
		cmocka_unit_test(test_zero_resolved),
		cmocka_unit_test(test_headline),
		cmocka_unit_test(test_headline_nothing_placed),
		cmocka_unit_test(test_files_and_determinism),
		cmocka_unit_test(test_skipped_list_capped),
		cmocka_unit_test(test_charts_embedded),
		cmocka_unit_test(test_not_rendered_and_show_names),
		cmocka_unit_test(test_hostile),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
