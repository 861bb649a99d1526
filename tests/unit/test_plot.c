#include "unit.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "../plot/fixture.h"
#include "plot.h"
#include "text.h"

#define GOLDEN_DIR "tests/plot/expected"

static const char *const charts[] = {
#define PL_STEM(stem, title, alt) stem,
	PL_CHARTS(PL_STEM)
#undef PL_STEM
};

static const char *const compare_charts[] = {
#define PL_STEM(stem, title, alt) stem,
	PL_COMPARE_CHARTS(PL_STEM)
#undef PL_STEM
};

static char *read_file(const char *path, size_t *len)
{
	struct strbuf sb = STRBUF_INIT;
	char buf[8192];
	size_t n;
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s", path);
	sb_init(&sb, 0);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		sb_add(&sb, buf, n);
	fclose(f);
	return sb_detach(&sb, len);
}

/* Sorted names of the files in dir ending in ext (NULL: all). */
static size_t list_dir(const char *dir, const char *ext, char ***out)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **v = NULL;
	size_t nr = 0, alloc = 0;
	if (!d)
		fail_msg("cannot open %s", dir);
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		if (de->d_name[0] == '.')
			continue;
		if (ext && (len < strlen(ext) || strcmp(de->d_name + len - strlen(ext), ext)))
			continue;
		ALLOC_GROW(v, nr + 1, alloc);
		v[nr++] = xstrdup(de->d_name);
	}
	closedir(d);
	for (size_t i = 1; i < nr; i++)
		for (size_t k = i; k > 0 && strcmp(v[k - 1], v[k]) > 0; k--) {
			char *t = v[k];
			v[k] = v[k - 1];
			v[k - 1] = t;
		}
	*out = v;
	return nr;
}

static void free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void remove_tree(const char *dir)
{
	struct strbuf p = STRBUF_INIT;
	char **v;
	size_t n;
	sb_addf(&p, "%s/charts", dir);
	if (!access(p.buf, F_OK)) {
		n = list_dir(p.buf, NULL, &v);
		for (size_t i = 0; i < n; i++) {
			sb_reset(&p);
			sb_addf(&p, "%s/charts/%s", dir, v[i]);
			unlink(p.buf);
		}
		free_list(v, n);
		sb_reset(&p);
		sb_addf(&p, "%s/charts", dir);
		rmdir(p.buf);
	}
	rmdir(dir);
	sb_release(&p);
}

static void write_charts(const struct an_result *r, char *dir, const char *data_dir)
{
	struct strbuf err = STRBUF_INIT;
	struct nr_data data;
	if (!mkdtemp(dir))
		fail_msg("mkdtemp failed");
	if (data_dir)
		nd_init(&data, data_dir);
	if (pl_write(r, dir, data_dir ? &data : NULL, &err) != NR_EX_OK)
		fail_msg("pl_write: %s", err.buf);
	if (data_dir)
		nd_release(&data);
	sb_release(&err);
}

/* Render, then check every chart of list is a PNG of the promised size and gnuplot said nothing. */
static void render_and_check_list(const char *dir, const char *const *list, size_t nr)
{
	struct strbuf err = STRBUF_INIT, p = STRBUF_INIT;
	int st = pl_render(dir, 4, 0, &err);
	if (st != NR_EX_OK)
		fail_msg("pl_render: %d %s", st, err.buf);
	for (size_t i = 0; i < nr; i++) {
		unsigned w = 0, h = 0;
		FILE *f;
		char line[512];
		sb_reset(&p);
		sb_addf(&p, "%s/charts/%s.png", dir, list[i]);
		if (pl_png_size(p.buf, &w, &h))
			fail_msg("%s is not a PNG", p.buf);
		assert_int_equal(w, PL_WIDTH);
		assert_int_equal(h, PL_HEIGHT);
		/*
		 * the small-screen rendering beside it: 800 px wide, the distance chart 1300 high, the other
		 * charts 1100; a map as high as its titles (at least 123 px: one line of each), the map at 784 px
		 * wide (the world map 784 x 387, the home map's view 784 x 417) and the 150 px of legend under it
		 * (300 with the compare map's key)
		 */
		sb_reset(&p);
		sb_addf(&p, "%s/charts/%s-phone.png", dir, list[i]);
		if (pl_png_size(p.buf, &w, &h))
			fail_msg("%s is not a PNG", p.buf);
		assert_int_equal(w, PL_PHONE_WIDTH);
		if (strstr(list[i], "-map")) {
			assert_in_range(h, 123 + 387 + 150, 123 + 4 * 58 + 6 * 39 + 417 + 4 + 300);
		}
		else if (!strcmp(list[i], "distance-cdf"))
			assert_int_equal(h, 1300);
		else
			assert_int_equal(h, PL_PHONE_HEIGHT);
		/* no warnings either, in both renderings: run the script again and capture stderr (test only: a shell) */
		for (int phone = 0; phone < 2; phone++) {
			sb_reset(&p);
			sb_addf(&p, "cd '%s/charts' && gnuplot -d %s'%s.gp' 2>&1", dir, phone ? "-e 'nr_phone = 1' " : "",
				list[i]);
			f = popen(p.buf, "r");
			assert_non_null(f);
			if (fgets(line, sizeof(line), f))
				fail_msg("%s.gp%s: gnuplot said: %s", list[i], phone ? " (phone)" : "", line);
			assert_int_equal(pclose(f), 0);
		}
	}
	sb_release(&p);
	sb_release(&err);
}

static void render_and_check(const char *dir)
{
	render_and_check_list(dir, charts, ARRAY_SIZE(charts));
}

static void test_render_all(void **state)
{
	struct an_result r;
	char dir[] = "/tmp/test_plot.XXXXXX";
	(void)state;
	fx_build(&r, FX_NR_CITIES, 1, 0);
	write_charts(&r, dir, TEST_DATA_DIR);
	render_and_check(dir);
	remove_tree(dir);
	fx_release(&r);
}

static void test_degenerate(void **state)
{
	/* no places; one place (home only, no dates); two places without dates */
	static const size_t nr[] = { 0, 1, 2 };
	(void)state;
	for (size_t k = 0; k < ARRAY_SIZE(nr); k++) {
		struct an_result r;
		char dir[] = "/tmp/test_plot.XXXXXX";
		fx_build(&r, nr[k], k == 2 ? 0 : 1, 0);
		if (k == 1) {
			r.summary.nr_timeline = 1; /* a single month */
		}
		write_charts(&r, dir, TEST_DATA_DIR);
		render_and_check(dir);
		remove_tree(dir);
		fx_release(&r);
	}
}

static void test_without_outlines(void **state)
{
	struct an_result r;
	char dir[] = "/tmp/test_plot.XXXXXX";
	struct strbuf err = STRBUF_INIT;
	(void)state;
	fx_build(&r, FX_NR_CITIES, 1, 0);
	write_charts(&r, dir, NULL);
	render_and_check(dir);
	remove_tree(dir);
	/* a data dir without outlines is an error that names the file */
	{
		struct nr_data data;
		nd_init(&data, "/nonexistent");
		assert_int_equal(pl_write(&r, "/tmp", &data, &err), NR_EX_NOINPUT);
		nd_release(&data);
	}
	assert_non_null(strstr(err.buf, "'/nonexistent/world/countries-110m.tsv'"));
	sb_release(&err);
	fx_release(&r);
}

/* Compare (or with UPDATE_GOLDEN=1 rewrite) every script and small data file against tests/plot/expected/. */
static void test_golden(void **state)
{
	struct an_result r;
	char dir[] = "/tmp/test_plot.XXXXXX";
	struct strbuf cd = STRBUF_INIT, a = STRBUF_INIT, b = STRBUF_INIT;
	int update = getenv("UPDATE_GOLDEN") && !strcmp(getenv("UPDATE_GOLDEN"), "1");
	char **v;
	size_t n, compared = 0;
	(void)state;
	fx_build(&r, FX_NR_CITIES, 1, 0);
	write_charts(&r, dir, TEST_DATA_DIR);
	sb_addf(&cd, "%s/charts", dir);
	n = list_dir(cd.buf, NULL, &v);
	for (size_t i = 0; i < n; i++) {
		size_t la, lb;
		char *x, *y;
		/* outline files derive from the datasets; everything else is pinned */
		if (strstr(v[i], "-land.tsv") || strstr(v[i], "-other.tsv") || strstr(v[i], "-sphere.tsv") ||
		    strstr(v[i], "-borders.tsv") || strstr(v[i], "-lakes.tsv"))
			continue;
		sb_reset(&a);
		sb_addf(&a, "%s/%s", cd.buf, v[i]);
		sb_reset(&b);
		sb_addf(&b, GOLDEN_DIR "/%s", v[i]);
		x = read_file(a.buf, &la);
		if (update) {
			FILE *f = fopen(b.buf, "wb");
			assert_non_null(f);
			assert_int_equal(fwrite(x, 1, la, f), la);
			fclose(f);
		}
		y = read_file(b.buf, &lb);
		if (la != lb || memcmp(x, y, la))
			fail_msg("%s differs from %s (UPDATE_GOLDEN=1 to accept)", a.buf, b.buf);
		compared++;
		free(x);
		free(y);
	}
	/* 8 scripts + meta + 6 chart data files + 4 per map */
	assert_true(compared >= 8 + 1 + 6 + 8);
	free_list(v, n);
	remove_tree(dir);
	sb_release(&cd);
	sb_release(&a);
	sb_release(&b);
	fx_release(&r);
}

static void test_deterministic(void **state)
{
	struct an_result r;
	char d1[] = "/tmp/test_plot.XXXXXX", d2[] = "/tmp/test_plot.XXXXXX";
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	char **v1, **v2;
	size_t n1, n2;
	(void)state;
	fx_build(&r, FX_NR_CITIES, 1, 0);
	write_charts(&r, d1, TEST_DATA_DIR);
	write_charts(&r, d2, TEST_DATA_DIR);
	sb_addf(&a, "%s/charts", d1);
	sb_addf(&b, "%s/charts", d2);
	n1 = list_dir(a.buf, NULL, &v1);
	n2 = list_dir(b.buf, NULL, &v2);
	assert_int_equal(n1, n2);
	/* scripts, meta and chart data, 7 per map (lakes among them), and the home map's borders, rings, labels and inset (6) */
	assert_int_equal(n1, 8 + 8 + 7 + 7 + 6);
	for (size_t i = 0; i < n1; i++) {
		size_t la, lb;
		char *x, *y;
		assert_string_equal(v1[i], v2[i]);
		sb_reset(&a);
		sb_addf(&a, "%s/charts/%s", d1, v1[i]);
		sb_reset(&b);
		sb_addf(&b, "%s/charts/%s", d2, v2[i]);
		x = read_file(a.buf, &la);
		y = read_file(b.buf, &lb);
		if (la != lb || memcmp(x, y, la))
			fail_msg("%s differs between two runs", v1[i]);
		free(x);
		free(y);
	}
	free_list(v1, n1);
	free_list(v2, n2);
	remove_tree(d1);
	remove_tree(d2);
	sb_release(&a);
	sb_release(&b);
	fx_release(&r);
}

/* Every name the fixture puts into the result (normal and hostile). */
static void collect_names(const struct an_result *r, const char ***out, size_t *n)
{
	const char **v = xcalloc(256, sizeof(*v));
	size_t k = 0;
#define ADD(s) do { if ((s) && strlen(s) >= 4 && k < 256) v[k++] = (s); } while (0)
	ADD(r->home.query);
	ADD(r->home.place.name);
	ADD(r->home.place.admin1);
	ADD(r->home.place.country);
	for (size_t i = 0; i < r->nr_places; i++) {
		ADD(r->places[i].place.name);
		ADD(r->places[i].place.admin1);
		ADD(r->places[i].place.country);
	}
	for (size_t i = 0; i < r->summary.nr_countries; i++)
		ADD(r->summary.countries[i].name);
	for (size_t i = 0; i < r->summary.nr_admin1; i++)
		ADD(r->summary.admin1[i].name);
	for (size_t i = 0; i < r->summary.nr_continents; i++)
		ADD(r->summary.continents[i].name);
	for (size_t i = 0; i < r->nr_regions; i++)
		ADD(r->region_names[i]);
	for (size_t i = 0; i < r->nr_unresolved_list; i++)
		ADD(r->unresolved_list[i].text);
#undef ADD
	*out = v;
	*n = k;
}

static void scan_scripts_n(const char *dir, const struct an_result *r, int hostile, size_t nr_charts)
{
	struct strbuf cd = STRBUF_INIT, p = STRBUF_INIT;
	const char **names;
	size_t nn, ng;
	char **gp;
	collect_names(r, &names, &nn);
	assert_true(nn >= 10);
	sb_addf(&cd, "%s/charts", dir);
	ng = list_dir(cd.buf, ".gp", &gp);
	assert_int_equal(ng, nr_charts);
	for (size_t i = 0; i < ng; i++) {
		char *s;
		sb_reset(&p);
		sb_addf(&p, "%s/%s", cd.buf, gp[i]);
		s = read_file(p.buf, NULL);
		for (size_t k = 0; k < nn; k++)
			if (strstr(s, names[k]))
				fail_msg("%s contains input-derived text \"%s\"", gp[i], names[k]);
		/* also any 6-byte piece of a hostile string that is not plain words */
		if (hostile)
			for (size_t k = 0; k < FX_NR_HOSTILE; k++) {
				const char *h = fx_hostile[k];
				for (size_t o = 0; h[o] && strlen(h + o) >= 8; o++) {
					char piece[9];
					memcpy(piece, h + o, 8);
					piece[8] = 0;
					if (strpbrk(piece, "`\"'$|<>(){};!@=") && strstr(s, piece))
						fail_msg("%s contains a piece of hostile string %zu: \"%s\"", gp[i], k, piece);
				}
			}
		assert_null(strstr(s, "CANARY"));
		assert_null(strchr(s, '`'));
		assert_null(strstr(s, "system"));
		assert_null(strstr(s, "load"));
		assert_null(strstr(s, "set print"));
		assert_null(strstr(s, "'<"));
		free(s);
	}
	free_list(gp, ng);
	free(names);
	sb_release(&cd);
	sb_release(&p);
}

/* Each line of a data file has exactly nf tab-separated fields. */
static void scan_scripts(const char *dir, const struct an_result *r, int hostile)
{
	scan_scripts_n(dir, r, hostile, ARRAY_SIZE(charts));
}

static void check_fields(const char *dir, const char *name, int nf)
{
	struct strbuf p = STRBUF_INIT;
	char *s, *line;
	size_t lines = 0;
	sb_addf(&p, "%s/charts/%s", dir, name);
	s = read_file(p.buf, NULL);
	for (line = s; *line;) {
		char *e = strchr(line, '\n');
		int f = 1;
		assert_non_null(e);
		for (char *c = line; c < e; c++) {
			f += *c == '\t';
			if (*c == '"' || *c == '\r')
				fail_msg("%s: raw quote or CR in: %.*s", name, (int)(e - line), line);
		}
		if (e > line && f != nf)
			fail_msg("%s: %d fields, expected %d: %.*s", name, f, nf, (int)(e - line), line);
		lines++;
		line = e + 1;
	}
	assert_true(lines > 0);
	free(s);
	sb_release(&p);
}

static void test_hostile(void **state)
{
	struct an_result r;
	char dir[] = "/tmp/test_plot.XXXXXX";
	struct strbuf p = STRBUF_INIT;
	(void)state;
	unlink("CANARY");
	fx_build(&r, FX_NR_CITIES, 1, 1);
	write_charts(&r, dir, TEST_DATA_DIR);
	scan_scripts(dir, &r, 1);
	check_fields(dir, "meta.tsv", 4);
	check_fields(dir, "reach.tsv", 4);
	check_fields(dir, "countries.tsv", 3);
	check_fields(dir, "admin1.tsv", 3);
	check_fields(dir, "world-map-home.tsv", 3);
	render_and_check(dir);
	sb_addf(&p, "%s/charts/CANARY", dir);
	assert_int_not_equal(access(p.buf, F_OK), 0);
	assert_int_not_equal(access("CANARY", F_OK), 0);
	assert_int_not_equal(access("/tmp/CANARY", F_OK), 0);
	remove_tree(dir);
	sb_release(&p);
	fx_release(&r);
}

/*
 * The compare charts with hostile names in both results: no script holds
 * any of them, the data files keep their fields, gnuplot renders every
 * chart without a warning, and nothing runs.
 */
static void test_compare_hostile(void **state)
{
	struct an_result b, a;
	struct nr_data data;
	char dir[] = "/tmp/test_plot.XXXXXX";
	struct strbuf p = STRBUF_INIT, err = STRBUF_INIT;
	unsigned long added[FX_NR_CITIES + 1] = { 0 }, removed[FX_NR_CITIES + 1] = { 0 };
	const struct cmp_move moves[] = { { 1, 3, 2 } }; /* arrows, and their key entry, with hostile names around */
	struct pl_compare c = { added, removed, moves, ARRAY_SIZE(moves), NULL, 0 };
	struct cmp_country *countries;
	(void)state;
	unlink("CANARY");
	fx_build(&b, 9, 1, 1);
	fx_build(&a, FX_NR_CITIES, 1, 1);
	c.nr_countries = cmp_countries(&b.summary, &a.summary, &countries);
	c.countries = countries;
	added[6] = 3;  /* London */
	added[12] = 1; /* Suva */
	removed[2] = 2; /* Chicago */
	if (!mkdtemp(dir))
		fail_msg("mkdtemp failed");
	nd_init(&data, TEST_DATA_DIR);
	if (pl_compare_write(&b, &a, &c, dir, &data, &err) != NR_EX_OK)
		fail_msg("pl_compare_write: %s", err.buf);
	nd_release(&data);
	scan_scripts_n(dir, &a, 1, ARRAY_SIZE(compare_charts));
	scan_scripts_n(dir, &b, 1, ARRAY_SIZE(compare_charts));
	check_fields(dir, "meta.tsv", 4);
	check_fields(dir, "compare-reach.tsv", 5);
	check_fields(dir, "compare-countries.tsv", 5);
	check_fields(dir, "compare-countries-note.tsv", 1);  /* US: +2 (the Wisconsin admin-1 place) */
	check_fields(dir, "compare-map-added.tsv", 4);
	check_fields(dir, "compare-map-removed.tsv", 4);
	check_fields(dir, "compare-map-home.tsv", 3);
	render_and_check_list(dir, compare_charts, ARRAY_SIZE(compare_charts));
	sb_addf(&p, "%s/charts/CANARY", dir);
	assert_int_not_equal(access(p.buf, F_OK), 0);
	assert_int_not_equal(access("CANARY", F_OK), 0);
	remove_tree(dir);
	sb_release(&p);
	sb_release(&err);
	fx_release(&b);
	fx_release(&a);
	free(countries);
}

/* The compare countries chart: home country in the note, the rest by size of change; counts of the map layers. */
static void test_compare_data(void **state)
{
	struct an_result b, a;
	struct nr_data data;
	char dir[] = "/tmp/test_plot.XXXXXX";
	struct strbuf p = STRBUF_INIT, err = STRBUF_INIT;
	unsigned long added[FX_NR_CITIES + 1] = { 0 }, removed[FX_NR_CITIES + 1] = { 0 };
	/* Sheboygan -> Wisconsin (a region: no arrow), Milwaukee -> Madison, Berlin -> Tokyo */
	const struct cmp_move moves[] = { { 0, 10, 4 }, { 1, 3, 2 }, { 7, 8, 1 } };
	struct pl_compare c = { added, removed, moves, ARRAY_SIZE(moves), NULL, 0 };
	struct cmp_country *countries;
	char *s, *line;
	size_t blocks = 0, heads = 0;
	int in_block = 0;
	double last[2][2] = { { NAN, NAN }, { NAN, NAN } }, x, y, dx, dy;
	(void)state;
	fx_build(&b, 9, 1, 0);
	fx_build(&a, FX_NR_CITIES, 1, 0);
	c.nr_countries = cmp_countries(&b.summary, &a.summary, &countries);
	c.countries = countries;
	added[6] = 3;   /* London */
	added[10] = 5;  /* Wisconsin: admin-1 level, not on the map */
	removed[2] = 2; /* Chicago */
	if (!mkdtemp(dir))
		fail_msg("mkdtemp failed");
	nd_init(&data, TEST_DATA_DIR);
	if (pl_compare_write(&b, &a, &c, dir, &data, &err) != NR_EX_OK)
		fail_msg("pl_compare_write: %s", err.buf);
	nd_release(&data);
	/*
	 * BEFORE has places 0-8, AFTER 0-12: US 108 -> 110 (Wisconsin, 2), DE
	 * 3 -> 4 (Germany, 1), AU +1, FJ +1; the rest unchanged. By size of
	 * change, then gains first, then code: AU, DE, FJ. Gains are drawn in
	 * 0xc55a11 = 12933649; the last field is where the text goes (the bar's
	 * end for gains).
	 */
	sb_addf(&p, "%s/charts/compare-countries.tsv", dir);
	s = read_file(p.buf, NULL);
	assert_string_equal(s, "Australia\t1\t+1 (0 → 1)\t12933649\t1\n"
			       "Germany\t1\t+1 (3 → 4)\t12933649\t1\n"
			       "Fiji\t1\t+1 (0 → 1)\t12933649\t1\n");
	free(s);
	sb_reset(&p);
	sb_addf(&p, "%s/charts/compare-countries-note.tsv", dir);
	s = read_file(p.buf, NULL);
	assert_string_equal(s, "Not shown: United States (home) +2 (108 → 110)\n");
	free(s);
	/* map layers: one added town (London; Wisconsin is not a town), one removed (Chicago) */
	sb_reset(&p);
	sb_addf(&p, "%s/charts/compare-map-added.tsv", dir);
	s = read_file(p.buf, NULL);
	assert_int_equal(strchr(s, '\n') - s + 1, strlen(s));
	assert_non_null(strstr(s, "\t3\n"));
	free(s);
	sb_reset(&p);
	sb_addf(&p, "%s/charts/compare-map-removed.tsv", dir);
	s = read_file(p.buf, NULL);
	assert_int_equal(strchr(s, '\n') - s + 1, strlen(s));
	assert_non_null(strstr(s, "\t2\n"));
	free(s);
	/* moves: two arrows (the region has no point), each path's end where its head points */
	sb_reset(&p);
	sb_addf(&p, "%s/charts/compare-map-moves.tsv", dir);
	s = read_file(p.buf, NULL);
	for (line = s; *line; line = strchr(line, '\n') + 1) {
		if (*line == '\n') {
			in_block = 0;
			continue;
		}
		assert_int_equal(sscanf(line, "%lf\t%lf", &x, &y), 2);
		blocks += !in_block;
		in_block = 1;
		if (blocks <= 2) {
			last[blocks - 1][0] = x;
			last[blocks - 1][1] = y;
		}
	}
	assert_int_equal(blocks, 2);
	free(s);
	sb_reset(&p);
	sb_addf(&p, "%s/charts/compare-map-moveheads.tsv", dir);
	s = read_file(p.buf, NULL);
	for (line = s; *line; line = strchr(line, '\n') + 1, heads++) {
		assert_int_equal(sscanf(line, "%lf\t%lf\t%lf\t%lf", &x, &y, &dx, &dy), 4);
		assert_true(heads < 2);
		assert_double_near(x + dx, last[heads][0], 0.25);
		assert_double_near(y + dy, last[heads][1], 0.25);
		assert_true(hypot(dx, dy) > 1.0);
	}
	assert_int_equal(heads, 2);
	free(s);
	sb_reset(&p);
	sb_addf(&p, "%s/charts/compare-map.gp", dir);
	s = read_file(p.buf, NULL);
	assert_non_null(strstr(s, "'compare-map-moveheads.tsv' using 1:2:3:4 with vectors head filled"));
	free(s);
	render_and_check_list(dir, compare_charts, ARRAY_SIZE(compare_charts));
	remove_tree(dir);
	sb_release(&p);
	sb_release(&err);
	fx_release(&b);
	fx_release(&a);
	free(countries);
}

static void test_plain_names_not_in_scripts(void **state)
{
	struct an_result r;
	char dir[] = "/tmp/test_plot.XXXXXX";
	(void)state;
	fx_build(&r, FX_NR_CITIES, 1, 0);
	write_charts(&r, dir, TEST_DATA_DIR);
	scan_scripts(dir, &r, 0);
	remove_tree(dir);
	fx_release(&r);
}

/* The lines of DIR/charts/NAME, or NULL when the file does not exist. */
static char *chart_file(const char *dir, const char *name)
{
	struct strbuf p = STRBUF_INIT;
	char *s = NULL;
	sb_addf(&p, "%s/charts/%s", dir, name);
	if (!access(p.buf, F_OK))
		s = read_file(p.buf, NULL);
	sb_release(&p);
	return s;
}

/*
 * The world map of the fixture (home Sheboygan; Tokyo 132.6 degrees west
 * of it, Sydney and Suva west too, Berlin 101 degrees east) is cut where
 * no arc crosses its edge: one unbroken block per arc, 10 arcs (the
 * city-level places at least 1 km from home), no jump across the map. On
 * the usual map (centred on 0) the arcs to Tokyo, Sydney and Suva would
 * each be broken in two at 180 degrees.
 */
static void test_world_arcs_uncut(void **state)
{
	struct an_result r;
	char dir[] = "/tmp/test_plot.XXXXXX";
	char *s, *line;
	size_t blocks = 0, in_block = 0;
	double px = NAN;
	(void)state;
	fx_build(&r, FX_NR_CITIES, 1, 0);
	write_charts(&r, dir, TEST_DATA_DIR);
	s = chart_file(dir, "world-map-arcs.tsv");
	assert_non_null(s);
	for (line = s; *line;) {
		char *e = strchr(line, '\n');
		double x, y;
		assert_non_null(e);
		if (e == line) {
			in_block = 0;
			px = NAN;
		} else {
			assert_int_equal(sscanf(line, "%lf\t%lf", &x, &y), 2);
			if (!in_block)
				blocks++;
			in_block = 1;
			if (!isnan(px) && fabs(x - px) > 2000)
				fail_msg("arc jumps from x %.1f to %.1f km", px, x);
			px = x;
		}
		line = e + 1;
	}
	assert_int_equal(blocks, 10);
	free(s);
	remove_tree(dir);
	fx_release(&r);
}

/*
 * The home map of the fixture: Milwaukee (79 km from home), Madison (137
 * km) and home itself crowd the 1.3 x 161 km around Sheboygan, so there
 * is an inset; its labels name them with their counts, never home (which
 * has its own label); the main map labels no place inside the zoomed box
 * but does label New York City; rings at 50 and 161 km are drawn, and the
 * US state borders.
 */
static void test_home_map_labels(void **state)
{
	struct an_result r;
	char dir[] = "/tmp/test_plot.XXXXXX";
	char *zoom, *main_l, *gp, *rings, *borders;
	size_t blocks = 0;
	(void)state;
	fx_build(&r, FX_NR_CITIES, 1, 0);
	write_charts(&r, dir, TEST_DATA_DIR);
	zoom = chart_file(dir, "home-map-zoom-labels.tsv");
	main_l = chart_file(dir, "home-map-labels.tsv");
	gp = chart_file(dir, "home-map.gp");
	rings = chart_file(dir, "home-map-rings.tsv");
	borders = chart_file(dir, "home-map-borders.tsv");
	assert_non_null(zoom);
	assert_non_null(main_l);
	assert_non_null(strstr(zoom, "\tMilwaukee (25)\n"));
	assert_non_null(strstr(zoom, "\tMadison (10)\n"));
	assert_null(strstr(zoom, "\tSheboygan"));
	assert_null(strstr(main_l, "\tSheboygan"));
	assert_null(strstr(main_l, "\tMilwaukee"));
	assert_null(strstr(main_l, "\tMadison"));
	assert_non_null(strstr(main_l, "\tNew York City (8)\n"));
	assert_non_null(strstr(gp, "set multiplot\n"));
	assert_non_null(strstr(gp, "'home-map-zoom.tsv' using 1:2:3 with circles"));
	for (const char *p = rings; (p = strstr(p, "\n\n")); p += 1)
		blocks++;
	assert_int_equal(blocks, 2); /* two blocks, each ended by a blank line: 50 km, then 161 km */
	assert_non_null(borders);
	free(zoom);
	free(main_l);
	free(gp);
	free(rings);
	free(borders);
	remove_tree(dir);
	fx_release(&r);
}

static void test_label(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	(void)state;
	pl_label(&sb, "a\"b\tc\nd", 7, 48);
	assert_string_equal(sb.buf, "a\xe2\x80\x9d" "b c d");
	sb_reset(&sb);
	pl_label(&sb, "", 0, 48);
	assert_string_equal(sb.buf, "-");
	sb_reset(&sb);
	pl_label(&sb, "\xe2\x80\xae" "abc\xe2\x81\xa7" "d", 10, 48); /* RLO abc FSI d */
	assert_string_equal(sb.buf, "abcd");
	sb_reset(&sb);
	pl_label(&sb, "\xe2\x80\xae", 3, 48);
	assert_string_equal(sb.buf, "-");
	sb_release(&sb);
}

static void put_be32(unsigned char *b, uint32_t v)
{
	b[0] = (unsigned char)(v >> 24), b[1] = (unsigned char)(v >> 16), b[2] = (unsigned char)(v >> 8), b[3] = (unsigned char)v;
}

/* Append a chunk: length, type, data, CRC of type and data. */
static void add_chunk(struct strbuf *png, const char *type, const unsigned char *data, uint32_t len)
{
	unsigned char b[4];
	size_t at;
	put_be32(b, len);
	sb_add(png, b, 4);
	at = png->len;
	sb_add(png, type, 4);
	sb_add(png, data, len);
	put_be32(b, (uint32_t)crc32(0, (const unsigned char *)png->buf + at, len + 4));
	sb_add(png, b, 4);
}

static void write_bytes(const char *path, const void *b, size_t n)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(b, 1, n, f), n);
	fclose(f);
}

/*
 * A translated chart text is escaped as gnuplot code would need it: a
 * hostile "translation" with quotes, a backquote command, a macro and a
 * newline stays one string, and gnuplot prints it without running anything.
 */
static void test_gp_string(void **state)
{
	static const char hostile[] = "It's `touch pwned` @m\nset output '|touch pwned2'";
	struct strbuf sb = STRBUF_INIT, gp = STRBUF_INIT, path = STRBUF_INIT;
	char dir[] = "/tmp/netreach-gpstr-XXXXXX";
	char *out;
	size_t n;
	(void)state;
	pl_gp_string(&sb, hostile, strlen(hostile));
	assert_string_equal(sb.buf, "'It''s \xe2\x80\x98touch pwned\xe2\x80\x98 \xef\xbc\xa0m set output ''|touch pwned2'''");
	sb_reset(&sb);
	pl_gp_string(&sb, "Anteil (%)", 10);
	assert_string_equal(sb.buf, "'Anteil (%)'");
	if (system("command -v gnuplot >/dev/null 2>&1") != 0) {
		sb_release(&sb);
		skip();
	}
	assert_non_null(mkdtemp(dir));
	sb_reset(&sb);
	pl_gp_string(&sb, hostile, strlen(hostile));
	sb_addf(&gp, "set print 'printed.txt'\nprint %s\n", sb.buf);
	sb_addf(&path, "%s/t.gp", dir);
	write_bytes(path.buf, gp.buf, gp.len);
	sb_reset(&gp);
	sb_addf(&gp, "cd '%s' && gnuplot -d t.gp 2>/dev/null", dir);
	assert_int_equal(system(gp.buf), 0);
	sb_reset(&path);
	sb_addf(&path, "%s/printed.txt", dir);
	out = read_file(path.buf, &n);
	assert_string_equal(out, "It's \xe2\x80\x98touch pwned\xe2\x80\x98 \xef\xbc\xa0m set output '|touch pwned2'\n");
	free(out);
	sb_reset(&path);
	sb_addf(&path, "%s/pwned", dir);
	assert_int_not_equal(access(path.buf, F_OK), 0);
	sb_reset(&gp);
	sb_addf(&gp, "rm -rf '%s'", dir);
	assert_int_equal(system(gp.buf), 0);
	sb_release(&sb);
	sb_release(&gp);
	sb_release(&path);
}


/* pl_png_size reads the whole file: cut short, a changed byte, no IEND or no image data are caught. */
static void test_png_check(void **state)
{
	char path[] = "/tmp/nr-png-XXXXXX";
	int fd = mkstemp(path);
	struct strbuf png = STRBUF_INIT;
	unsigned char ihdr[13] = { 0, 0, 0, 3, 0, 0, 0, 2, 8, 0, 0, 0, 0 }; /* 3x2, 8-bit grey */
	unsigned char raw[8] = { 0 }, z[64];
	uLongf zlen = sizeof(z);
	unsigned w = 0, h = 0;
	size_t whole;
	(void)state;
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(compress(z, &zlen, raw, sizeof(raw)), Z_OK);
	sb_add(&png, "\x89PNG\r\n\x1a\n", 8);
	add_chunk(&png, "IHDR", ihdr, 13);
	add_chunk(&png, "IDAT", z, (uint32_t)zlen);
	add_chunk(&png, "IEND", NULL, 0);
	whole = png.len;
	write_bytes(path, png.buf, whole);
	assert_int_equal(pl_png_size(path, &w, &h), 0);
	assert_int_equal(w, 3);
	assert_int_equal(h, 2);
	/* cut anywhere after the header (as a full disk does): short */
	write_bytes(path, png.buf, whole - 1);
	assert_int_equal(pl_png_size(path, &w, &h), PL_PNG_SHORT);
	write_bytes(path, png.buf, 40);
	assert_int_equal(pl_png_size(path, &w, &h), PL_PNG_SHORT);
	/* a byte changed inside the image data: its CRC no longer matches */
	png.buf[8 + 25 + 9] ^= 0x40;
	write_bytes(path, png.buf, whole);
	assert_int_equal(pl_png_size(path, &w, &h), PL_PNG_BAD);
	/* no image data */
	sb_reset(&png);
	sb_add(&png, "\x89PNG\r\n\x1a\n", 8);
	add_chunk(&png, "IHDR", ihdr, 13);
	add_chunk(&png, "IEND", NULL, 0);
	write_bytes(path, png.buf, png.len);
	assert_int_equal(pl_png_size(path, &w, &h), PL_PNG_BAD);
	unlink(path);
	assert_int_equal(pl_png_size(path, &w, &h), PL_PNG_BAD);
	sb_release(&png);
}

static void test_render_errors(void **state)
{
	char dir[] = "/tmp/test_plot.XXXXXX";
	struct strbuf p = STRBUF_INIT, err = STRBUF_INIT;
	char *path = getenv("PATH") ? xstrdup(getenv("PATH")) : NULL;
	FILE *f;
	(void)state;
	assert_non_null(mkdtemp(dir));
	/* no charts dir */
	assert_int_equal(pl_render(dir, 2, 0, &err), NR_EX_NOINPUT);
	sb_reset(&err);
	sb_addf(&p, "%s/charts", dir);
	assert_int_equal(mkdir(p.buf, 0777), 0);
	sb_addf(&p, "/bad.gp");
	f = fopen(p.buf, "w");
	assert_non_null(f);
	fputs("set terminal pngcairo\nset output 'bad.png'\nplot nosuchvariable\n", f);
	fclose(f);
	/* gnuplot fails: the chart and gnuplot's message */
	assert_int_equal(pl_render(dir, 2, 0, &err), NR_EX_SOFTWARE);
	assert_non_null(strstr(err.buf, "chart 'bad': gnuplot failed: "));
	assert_non_null(strstr(err.buf, "undefined variable: nosuchvariable"));
	/* no gnuplot on PATH */
	sb_reset(&err);
	setenv("PATH", "/nonexistent", 1);
	assert_int_equal(pl_render(dir, 2, 0, &err), PL_NO_GNUPLOT);
	assert_non_null(strstr(err.buf, "gnuplot not found"));
	if (path)
		setenv("PATH", path, 1);
	free(path);
	unlink(p.buf);
	remove_tree(dir);
	sb_release(&p);
	sb_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_label),
		cmocka_unit_test(test_gp_string),
		cmocka_unit_test(test_render_all),
		cmocka_unit_test(test_degenerate),
		cmocka_unit_test(test_without_outlines),
		cmocka_unit_test(test_golden),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_compare_hostile),
		cmocka_unit_test(test_compare_data),
		cmocka_unit_test(test_plain_names_not_in_scripts),
		cmocka_unit_test(test_render_errors),
		cmocka_unit_test(test_png_check),
		cmocka_unit_test(test_world_arcs_uncut),
		cmocka_unit_test(test_home_map_labels),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
