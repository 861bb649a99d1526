#include "unit.h"

#include <sys/stat.h>

#include "data.h"
#include "gazetteer.h"
#include "geo.h"
#include "util.h"

/* A data directory /tmp/netreach-data-XXXXXX/world holding symlinks to the given outline files of TEST_DATA_DIR. */
static char *outline_dir(const char *const *files, size_t n)
{
	char tmpl[] = "/tmp/netreach-data-XXXXXX";
	struct strbuf p = STRBUF_INIT, target = STRBUF_INIT;
	char cwd[4096];
	assert_non_null(mkdtemp(tmpl));
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	sb_addf(&p, "%s/world", tmpl);
	assert_int_equal(mkdir(p.buf, 0777), 0);
	for (size_t i = 0; i < n; i++) {
		sb_reset(&p);
		sb_reset(&target);
		sb_addf(&p, "%s/world/%s", tmpl, files[i]);
		sb_addf(&target, "%s/" TEST_DATA_DIR "/world/%s", cwd, files[i]);
		assert_int_equal(symlink(target.buf, p.buf), 0);
	}
	sb_release(&p);
	sb_release(&target);
	return xstrdup(tmpl);
}

static void remove_outline_dir(char *dir, const char *const *files, size_t n)
{
	struct strbuf p = STRBUF_INIT;
	for (size_t i = 0; i < n; i++) {
		sb_reset(&p);
		sb_addf(&p, "%s/world/%s", dir, files[i]);
		unlink(p.buf);
	}
	sb_reset(&p);
	sb_addf(&p, "%s/world", dir);
	rmdir(p.buf);
	rmdir(dir);
	sb_release(&p);
	free(dir);
}

/* Rings in an outline file, read on its own. */
static size_t rings_of(const char *name)
{
	struct geo_outlines o;
	struct strbuf path = STRBUF_INIT, err = STRBUF_INIT;
	size_t n;
	geo_outlines_init(&o);
	sb_addf(&path, TEST_DATA_DIR "/world/%s", name);
	if (geo_outlines_load(&o, path.buf, &err))
		fail_msg("%s", err.buf);
	n = o.nr;
	geo_outlines_release(&o);
	sb_release(&path);
	sb_release(&err);
	return n;
}

/* Each file opens once, on first use, and nothing else opens with it. */
static void test_once_and_lazy(void **state)
{
	struct nr_data d;
	struct strbuf err = STRBUF_INIT;
	struct gz *gz = NULL, *gz2 = NULL;
	struct geo_countries *c = NULL, *c2 = NULL;
	const struct geo_outlines *w = NULL, *w2 = NULL, *h = NULL;

	nd_init(&d, TEST_DATA_DIR);
	assert_string_equal(d.dir, TEST_DATA_DIR);
	assert_null(d.gz);
	assert_int_equal(nd_gazetteer(&d, &gz, &err), NR_EX_OK);
	assert_int_equal(nd_gazetteer(&d, &gz2, &err), NR_EX_OK);
	assert_ptr_equal(gz, gz2);
	assert_true(gz_place_count(gz) > 1000);
	/* the gazetteer alone: no outline was read, nothing to release but it */
	assert_null(d.countries);
	assert_null(d.world);
	assert_null(d.release_geo);

	assert_int_equal(nd_countries(&d, &c, &err), NR_EX_OK);
	assert_int_equal(nd_countries(&d, &c2, &err), NR_EX_OK);
	assert_ptr_equal(c, c2);
	assert_string_equal(geo_countries_locate(c, 48.137, 11.575), "DE");
	assert_null(d.world);

	/* the world map: the 110m file; the home map: the rings of the countries already open */
	assert_int_equal(nd_world_outlines(&d, &w, &err), NR_EX_OK);
	assert_int_equal(nd_world_outlines(&d, &w2, &err), NR_EX_OK);
	assert_ptr_equal(w, w2);
	assert_int_equal(w->nr, rings_of("countries-110m.tsv"));
	assert_int_equal(nd_home_outlines(&d, &h, &err), NR_EX_OK);
	assert_ptr_equal(h, geo_countries_outlines(c));
	assert_int_equal(h->nr, rings_of("countries-50m.tsv"));
	assert_null(d.home);
	assert_int_equal(err.len, 0);
	nd_release(&d);
	assert_null(d.dir);
	assert_null(d.gz);
	assert_null(d.countries);
	sb_release(&err);
}

/* The home map opens the countries when nothing did yet (the file is then read once for both). */
static void test_home_opens_countries(void **state)
{
	struct nr_data d;
	struct strbuf err = STRBUF_INIT;
	const struct geo_outlines *h = NULL;
	struct geo_countries *c = NULL;
	nd_init(&d, TEST_DATA_DIR);
	assert_int_equal(nd_home_outlines(&d, &h, &err), NR_EX_OK);
	assert_non_null(d.countries);
	assert_int_equal(nd_countries(&d, &c, &err), NR_EX_OK);
	assert_ptr_equal(h, geo_countries_outlines(c));
	nd_release(&d);
	sb_release(&err);
}

/* With one outline file only, both maps use it; with none, the error names the file wanted first. */
static void test_fallbacks(void **state)
{
	static const char *const only50[] = { "countries-50m.tsv" };
	static const char *const only110[] = { "countries-110m.tsv" };
	struct strbuf err = STRBUF_INIT, want = STRBUF_INIT;
	const struct geo_outlines *w = NULL, *h = NULL;
	struct nr_data d;
	char *dir;

	dir = outline_dir(only50, 1);
	nd_init(&d, dir);
	assert_int_equal(nd_world_outlines(&d, &w, &err), NR_EX_OK);
	assert_int_equal(w->nr, rings_of("countries-50m.tsv"));
	assert_int_equal(nd_home_outlines(&d, &h, &err), NR_EX_OK);
	assert_int_equal(h->nr, rings_of("countries-50m.tsv"));
	nd_release(&d);
	remove_outline_dir(dir, only50, 1);

	dir = outline_dir(only110, 1);
	nd_init(&d, dir);
	assert_int_equal(nd_home_outlines(&d, &h, &err), NR_EX_OK);
	assert_int_equal(h->nr, rings_of("countries-110m.tsv"));
	assert_null(d.countries); /* no 50m file to locate with: not opened */
	assert_int_equal(nd_world_outlines(&d, &w, &err), NR_EX_OK);
	assert_int_equal(w->nr, rings_of("countries-110m.tsv"));
	nd_release(&d);
	remove_outline_dir(dir, only110, 1);

	dir = outline_dir(NULL, 0);
	nd_init(&d, dir);
	assert_int_equal(nd_world_outlines(&d, &w, &err), NR_EX_NOINPUT);
	sb_addf(&want, "'%s/world/countries-110m.tsv': no map outlines (reinstall netreach's data)", dir);
	assert_string_equal(err.buf, want.buf);
	sb_reset(&err);
	sb_reset(&want);
	assert_int_equal(nd_home_outlines(&d, &h, &err), NR_EX_NOINPUT);
	sb_addf(&want, "'%s/world/countries-50m.tsv': no map outlines (reinstall netreach's data)", dir);
	assert_string_equal(err.buf, want.buf);
	sb_reset(&err);
	/* and the gazetteer's own error, again on the next call (nothing is cached on failure) */
	{
		struct gz *gz = NULL;
		assert_int_not_equal(nd_gazetteer(&d, &gz, &err), NR_EX_OK);
		assert_non_null(strstr(err.buf, "gazetteer.bin"));
		sb_reset(&err);
		assert_int_not_equal(nd_gazetteer(&d, &gz, &err), NR_EX_OK);
		assert_null(d.gz);
	}
	nd_release(&d);
	remove_outline_dir(dir, NULL, 0);
	sb_release(&err);
	sb_release(&want);
}

/*
 * The lakes: read once, on first use; Lake Michigan (its middle, 43.5 N
 * 87.0 W, is water, though the US outline covers it) is in one of them;
 * a data directory without the file has no lakes and no error.
 */
static void test_lakes(void **state)
{
	static const struct geo_outlines not_set;
	struct nr_data d;
	struct strbuf err = STRBUF_INIT;
	const struct geo_outlines *l = NULL, *l2 = NULL;
	int michigan = 0;
	char *dir;
	nd_init(&d, TEST_DATA_DIR);
	assert_int_equal(nd_lakes(&d, &l, &err), NR_EX_OK);
	assert_non_null(l);
	assert_int_equal(nd_lakes(&d, &l2, &err), NR_EX_OK);
	assert_ptr_equal(l, l2);
	assert_int_equal(l->nr, rings_of("lakes-50m.tsv"));
	for (size_t i = 0; i < l->nr; i++) {
		const struct geo_ring *g = &l->rings[i];
		int in = 0;
		for (size_t k = 0, j = g->n - 1; k < g->n; j = k++) {
			double xk = g->lonlat[2 * k], yk = g->lonlat[2 * k + 1], xj = g->lonlat[2 * j], yj = g->lonlat[2 * j + 1];
			if ((yk > 43.5) != (yj > 43.5) && -87.0 < xk + (43.5 - yk) * (xj - xk) / (yj - yk))
				in = !in;
		}
		michigan += in && g->ring == 0;
	}
	assert_int_equal(michigan, 1);
	assert_int_equal(err.len, 0);
	nd_release(&d);
	assert_null(d.lakes);

	dir = outline_dir(NULL, 0);
	nd_init(&d, dir);
	l = &not_set; /* nd_lakes sets it to NULL */
	assert_int_equal(nd_lakes(&d, &l, &err), NR_EX_OK);
	assert_null(l);
	assert_int_equal(err.len, 0);
	nd_release(&d);
	remove_outline_dir(dir, NULL, 0);
	sb_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_once_and_lazy),
		cmocka_unit_test(test_home_opens_countries),
		cmocka_unit_test(test_fallbacks),
		cmocka_unit_test(test_lakes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
