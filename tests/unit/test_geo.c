#include "unit.h"

#include <math.h>
#include <unistd.h>

#include "geo.h"
#include "util.h"

#define COUNTRIES TEST_DATA_DIR "/world/countries-50m.tsv"

/*
 * Reference distances computed independently with Vincenty's inverse
 * formula on WGS84 (tests/truth/README.md has the script): Madison WI
 * (43.0731,-89.4012) to Milwaukee WI (43.0389,-87.9065) = 121.8262 km;
 * one degree of longitude on the equator = 111.3195 km; one degree of
 * latitude from the equator = 110.5744 km.
 */
static void test_dist(void **state)
{
	(void)state;
	assert_double_near(geo_dist_km(43.0731, -89.4012, 43.0389, -87.9065), 121.8262, 0.1);
	assert_double_near(geo_dist_km(0, 0, 0, 1), 111.3195, 0.001);
	assert_double_near(geo_dist_km(0, 0, 1, 0), 110.5744, 0.001);
	assert_double_near(geo_dist_km(10, 20, 10, 20), 0.0, 1e-9);
	/* symmetric, and across the antimeridian */
	assert_double_near(geo_dist_km(0, 179.5, 0, -179.5), 111.3195, 0.001);
	/* half the equator */
	assert_double_near(geo_dist_km(0, 0, 0, 180), 20003.93, 0.01);
}

/* geo_dists_km: the same values as geo_dist_km, on one thread or two (above the sharing size). */
static void test_dists(void **state)
{
	size_t n = GEO_DISTS_SHARE_MIN + 7;
	double *lat = xcalloc(n, sizeof(*lat)), *lon = xcalloc(n, sizeof(*lon));
	double *one = xcalloc(n, sizeof(*one)), *two = xcalloc(n, sizeof(*two));
	(void)state;
	for (size_t i = 0; i < n; i++) {
		lat[i] = -89.0 + 178.0 * (double)((i * 7919) % n) / (double)n;
		lon[i] = -180.0 + 360.0 * (double)((i * 104729) % n) / (double)n;
	}
	geo_dists_km(43.7508, -87.7145, lat, lon, n, 1, one);
	geo_dists_km(43.7508, -87.7145, lat, lon, n, 2, two);
	for (size_t i = 0; i < n; i++) {
		double want = geo_dist_km(43.7508, -87.7145, lat[i], lon[i]);
		assert_true(one[i] == want);
		assert_true(two[i] == want);
	}
	geo_dists_km(0, 0, lat, lon, 0, 2, two); /* nothing to do */
	free(lat);
	free(lon);
	free(one);
	free(two);
}

static void test_path_direct(void **state)
{
	double lat[5], lon[5], la, lo;
	(void)state;
	geo_path(43.0731, -89.4012, 52.52, 13.405, 5, lat, lon);
	assert_double_near(lat[0], 43.0731, 1e-12);
	assert_double_near(lon[4], 13.405, 1e-12);
	/* points equally spaced along the geodesic */
	double total = geo_dist_km(43.0731, -89.4012, 52.52, 13.405);
	for (int i = 0; i < 4; i++)
		assert_double_near(geo_dist_km(lat[i], lon[i], lat[i + 1], lon[i + 1]), total / 4, 1e-6);
	/* the great circle from Wisconsin to Berlin passes north of both (over the Atlantic near Greenland's south) */
	assert_true(lat[2] > 55.0);
	/* across the antimeridian: longitudes stay in [-180, 180] */
	geo_path(0, 170, 0, -170, 5, lat, lon);
	assert_double_near(fabs(lon[2]), 180.0, 1e-9);
	for (int i = 0; i < 5; i++)
		assert_true(lon[i] >= -180.0 && lon[i] <= 180.0);

	geo_direct(0, 0, 90, 111.3195, &la, &lo);
	assert_double_near(la, 0, 1e-9);
	assert_double_near(lo, 1.0, 1e-5);
	geo_direct(0, 179.5, 90, 111.3195, &la, &lo);
	assert_double_near(lo, -179.5, 1e-5);
}

static void test_proj(void **state)
{
	struct strbuf err = STRBUF_INIT;
	struct geo_proj *p;
	double x, y, lo, la;
	(void)state;
	sb_init(&err, 0);
	p = geo_proj_new("+proj=eqearth +datum=WGS84", &err);
	assert_non_null(p);
	assert_int_equal(geo_proj_fwd(p, 0, 0, &x, &y), 0);
	assert_double_near(x, 0, 1e-6);
	assert_double_near(y, 0, 1e-6);
	assert_int_equal(geo_proj_fwd(p, 13.405, 52.52, &x, &y), 0);
	assert_true(x > 0 && y > 0);
	assert_int_equal(geo_proj_inv(p, x, y, &lo, &la), 0);
	assert_double_near(lo, 13.405, 1e-7);
	assert_double_near(la, 52.52, 1e-7);
	assert_int_equal(geo_proj_fwd(p, 0, 91, &x, &y), -1);
	geo_proj_free(p);

	/* Equal Earth is equal-area: a 1x1 degree cell at the equator projects to ~12308 km² */
	assert_null(geo_proj_new("+proj=nosuchprojection", &err));
	assert_non_null(strstr(err.buf, "'+proj=nosuchprojection'"));
	sb_release(&err);
}

static void test_outlines(void **state)
{
	struct geo_outlines o;
	struct strbuf err = STRBUF_INIT;
	char *path;
	(void)state;
	sb_init(&err, 0);
	path = unit_write_tmp("geo", "# comment\n"
			 "AA\t0\t0\t0,0 10,0 10,10 0,10 0,0\n"
			 "AA\t0\t1\t2,2 2,4 4,4 4,2 2,2\n"
			 "BB\t0\t0\t5,5 15,5 15,15 5,15 5,5\n");
	geo_outlines_init(&o);
	assert_int_equal(geo_outlines_load(&o, path, &err), NR_EX_OK);
	assert_int_equal(o.nr, 3);
	assert_string_equal(o.rings[1].cc, "AA");
	assert_int_equal(o.rings[1].ring, 1);
	assert_int_equal(o.rings[2].n, 5);
	assert_double_near(o.rings[2].lonlat[2], 15.0, 0);
	geo_outlines_release(&o);

	/* point-in-polygon: hole, overlap (first in file wins), outside */
	{
		struct geo_countries *c;
		assert_int_equal(geo_countries_open(&c, path, &err), NR_EX_OK);
		assert_int_equal(geo_countries_count(c), 2);
		assert_string_equal(geo_countries_locate(c, 1, 1), "AA");
		assert_null(geo_countries_locate(c, 3, 3));          /* in AA's hole, outside BB */
		assert_string_equal(geo_countries_locate(c, 7, 7), "AA");   /* both: file order */
		assert_string_equal(geo_countries_locate(c, 12, 12), "BB");
		assert_string_equal(geo_countries_locate(c, 0, 5), "AA");   /* on the boundary */
		assert_null(geo_countries_locate(c, 20, 20));
		assert_null(geo_countries_locate(c, NAN, 0));
		/* the rings as read, lent (geo_countries_outlines) */
		{
			const struct geo_outlines *lo = geo_countries_outlines(c);
			assert_int_equal(lo->nr, 3);
			assert_int_equal(lo->rings[1].ring, 1);
			assert_string_equal(lo->rings[2].cc, "BB");
			assert_double_near(lo->rings[2].lonlat[2], 15.0, 0);
		}
		geo_countries_free(c);
	}
	unlink(path);
	free(path);

	/* not checked when opened; geo_countries_check finds the bow tie (self-intersection at 5,5) */
	path = unit_write_tmp("geo", "AA\t0\t0\t0,0 1,0 1,1 0,1 0,0\n"
			 "BB\t0\t0\t0,0 10,10 10,0 0,10 0,0\n");
	{
		struct geo_countries *c;
		assert_int_equal(geo_countries_open(&c, path, &err), NR_EX_OK);
		assert_int_equal(geo_countries_count(c), 2);
		sb_reset(&err);
		assert_int_equal(geo_countries_check(c, "bowtie.tsv", &err), NR_EX_DATAERR);
		assert_non_null(strstr(err.buf, "'bowtie.tsv': 'BB': invalid outline: Self-intersection"));
		geo_countries_free(c);
	}
	unlink(path);
	free(path);

	path = unit_write_tmp("geo", "AA\t0\t0\t0,0 10,0 10,10 0,10 0,0\nAA\t0\t0\t0,0 1,0 zz\n");
	geo_outlines_init(&o);
	sb_reset(&err);
	assert_int_equal(geo_outlines_load(&o, path, &err), NR_EX_DATAERR);
	assert_non_null(strstr(err.buf, "line 2: bad coordinate"));
	geo_outlines_release(&o);
	unlink(path);
	free(path);

	path = unit_write_tmp("geo", "AA\t0\t0\t0,0 10,0 10,10 0,10\n");
	geo_outlines_init(&o);
	sb_reset(&err);
	assert_int_equal(geo_outlines_load(&o, path, &err), NR_EX_DATAERR);
	assert_non_null(strstr(err.buf, "not closed"));
	geo_outlines_release(&o);
	unlink(path);
	free(path);

	geo_outlines_init(&o);
	sb_reset(&err);
	assert_int_equal(geo_outlines_load(&o, "/nonexistent/x.tsv", &err), NR_EX_NOINPUT);
	assert_non_null(strstr(err.buf, "'/nonexistent/x.tsv'"));
	geo_outlines_release(&o);
	sb_release(&err);
}

/*
 * The outline reader's number parser gives exactly strtod's doubles: a
 * ring of 2000 pseudo-random decimals (1-3 integer digits, 0-17 fraction
 * digits, so both the fast path and the strtod fallback), plus odd forms,
 * compared bit for bit.
 */
/*
 * Open border lines load (2 points are enough, no closing); a ring across
 * the cut meridian becomes its west and east pieces, a ring away from it
 * is copied as it is.
 */
static void test_lines_and_cut(void **state)
{
	struct geo_outlines o, c;
	struct strbuf err = STRBUF_INIT;
	char *path;
	double west_max = -999, east_min = 999, area[2] = { 0, 0 };
	(void)state;
	sb_init(&err, 0);
	path = unit_write_tmp("geo", "US\t0\t0\t-90,40 -88,42\nUS\t1\t0\t-91,40 -91,41 -90,45\n");
	geo_outlines_init(&o);
	assert_int_equal(geo_lines_load(&o, path, &err), NR_EX_OK);
	assert_int_equal(o.nr, 2);
	assert_int_equal(o.rings[0].n, 2);
	assert_int_equal(o.rings[1].part, 1);
	geo_outlines_release(&o);
	/* one country's lines: the others are skipped, even a bad one; "U" and "USA" are not "US" */
	free(path);
	path = unit_write_tmp("geo", "# borders\nDE\t0\t0\t10,50 11,51\nUS\t0\t0\tbad\nU\t0\t0\t1,1 2,2\n"
				     "USA\t0\t0\t1,1 2,2\nDE\t3\t0\t12,52 13,53 14,54\n");
	assert_int_equal(geo_lines_load_cc(&o, path, "DE", &err), NR_EX_OK);
	assert_int_equal(o.nr, 2);
	assert_string_equal(o.rings[0].cc, "DE");
	assert_int_equal(o.rings[1].part, 3);
	assert_int_equal(o.rings[1].n, 3);
	assert_true(o.rings[1].lonlat[4] == 14.0 && o.rings[1].lonlat[5] == 54.0);
	geo_outlines_release(&o);
	sb_reset(&err);
	assert_int_equal(geo_lines_load_cc(&o, path, "FR", &err), NR_EX_DATAERR);
	assert_non_null(strstr(err.buf, "no outlines"));
	geo_outlines_release(&o);
	sb_reset(&err);
	assert_int_equal(geo_lines_load_cc(&o, path, "US", &err), NR_EX_DATAERR);
	assert_non_null(strstr(err.buf, "bad coordinate"));
	geo_outlines_release(&o);
	/* one point is not a line; closed-ring files still need closed rings */
	free(path);
	path = unit_write_tmp("geo", "US\t0\t0\t-90,40\n");
	assert_int_equal(geo_lines_load(&o, path, &err), NR_EX_DATAERR);
	assert_non_null(strstr(err.buf, "fewer than 2 points"));
	geo_outlines_release(&o);
	free(path);

	/* a 20 x 10 degree box from 90E to 110E, cut at 100E; and a box away from it */
	path = unit_write_tmp("geo", "AA\t0\t0\t90,0 110,0 110,10 90,10 90,0\nBB\t0\t0\t-10,0 -5,0 -5,5 -10,5 -10,0\n");
	geo_outlines_init(&o);
	geo_outlines_init(&c);
	assert_int_equal(geo_outlines_load(&o, path, &err), NR_EX_OK);
	assert_int_equal(geo_outlines_cut(&o, 100.0, &c, &err), NR_EX_OK);
	assert_int_equal(c.nr, 3);
	assert_string_equal(c.rings[0].cc, "AA");
	assert_string_equal(c.rings[1].cc, "AA");
	assert_string_equal(c.rings[2].cc, "BB");
	assert_int_equal(c.rings[2].n, 5);
	for (int k = 0; k < 2; k++) {
		const struct geo_ring *g = &c.rings[k];
		double lo0 = 999, lo1 = -999, a = 0;
		assert_true(g->n >= 4);
		assert_double_near(g->lonlat[0], g->lonlat[2 * g->n - 2], 0); /* closed */
		for (size_t i = 0; i < g->n; i++) {
			lo0 = fmin(lo0, g->lonlat[2 * i]);
			lo1 = fmax(lo1, g->lonlat[2 * i]);
		}
		for (size_t i = 1; i < g->n; i++) /* shoelace */
			a += g->lonlat[2 * i - 2] * g->lonlat[2 * i + 1] - g->lonlat[2 * i] * g->lonlat[2 * i - 1];
		if (lo1 < 100.0) {
			west_max = lo1;
			assert_double_near(lo0, 90.0, 0);
			area[0] = fabs(a) / 2;
		} else {
			east_min = lo0;
			assert_double_near(lo1, 110.0, 0);
			area[1] = fabs(a) / 2;
		}
	}
	/* points on the cut moved 1e-6 degrees to their side; 10 x 10 degrees each */
	assert_double_near(west_max, 100.0 - 1e-6, 1e-12);
	assert_double_near(east_min, 100.0 + 1e-6, 1e-12);
	assert_double_near(area[0], 100.0, 1e-4);
	assert_double_near(area[1], 100.0, 1e-4);
	geo_outlines_release(&o);
	geo_outlines_release(&c);
	free(path);
	sb_release(&err);
}

static void test_outline_numbers(void **state)
{
	static const char *const odd[] = { "-0.0", "1e1", "0.1e1", "+5", "5.", "0.000000000000001",
					   "89.999999999999999999", "89.99999999999999", "0.1", "0.3",
					   "-23.4567890123456", "-73.456789012345", "9.007199254740993", "0", "-0" };
	struct strbuf line = STRBUF_INIT, num = STRBUF_INIT, err = STRBUF_INIT;
	struct geo_outlines o;
	char **vals;
	size_t nv = 0, n = 4000 + 2 * ARRAY_SIZE(odd);
	uint64_t x = 88172645463325252ULL;
	char *path;
	(void)state;
	vals = calloc(n + 2, sizeof(*vals));
	for (size_t i = 0; i < ARRAY_SIZE(odd); i++) {
		vals[nv++] = strdup(odd[i]);
		vals[nv++] = strdup(odd[ARRAY_SIZE(odd) - 1 - i]);
	}
	while (nv < n) {
		unsigned lim = nv % 2 ? 90 : 180, frac;
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		frac = (unsigned)(x % 18);
		sb_reset(&num);
		sb_addf(&num, "%s%u", (x >> 8) & 1 ? "-" : "", (unsigned)((x >> 16) % lim));
		if (frac) {
			sb_addch(&num, '.');
			for (unsigned k = 0; k < frac; k++)
				sb_addch(&num, (char)('0' + (x >> (20 + 2 * k)) % 10));
		}
		vals[nv++] = strdup(num.buf);
	}
	vals[nv++] = vals[0];  /* closed */
	vals[nv++] = vals[1];
	sb_adds(&line, "ZZ\t0\t0\t");
	for (size_t i = 0; i < nv; i += 2)
		sb_addf(&line, "%s%s,%s", i ? " " : "", vals[i], vals[i + 1]);
	sb_addch(&line, '\n');
	path = unit_write_tmp("geo", line.buf);
	geo_outlines_init(&o);
	if (geo_outlines_load(&o, path, &err) != NR_EX_OK)
		fail_msg("%s", err.buf);
	assert_int_equal(o.nr, 1);
	assert_int_equal(o.rings[0].n, nv / 2);
	for (size_t i = 0; i < nv; i++) {
		double want = strtod(vals[i], NULL);
		if (memcmp(&want, &o.rings[0].lonlat[i], sizeof(want)) != 0)
			fail_msg("'%s': got %.17g, strtod %.17g", vals[i], o.rings[0].lonlat[i], want);
	}
	geo_outlines_release(&o);
	unlink(path);
	free(path);
	for (size_t i = 0; i + 2 < nv; i++)
		free(vals[i]);
	free(vals);
	sb_release(&line);
	sb_release(&num);
	sb_release(&err);
}

/* NULL-safe: "(none)" for no country */
static const char *cc_at(const struct geo_countries *c, double lat, double lon)
{
	const char *cc = geo_countries_locate(c, lat, lon);
	return cc ? cc : "(none)";
}

static void test_countries_real(void **state)
{
	struct geo_countries *c;
	struct strbuf err = STRBUF_INIT;
	struct geo_outlines o;
	(void)state;
	sb_init(&err, 0);
	/* the shipped outlines: planar rings inside [-180, 180], no jumps across the antimeridian */
	geo_outlines_init(&o);
	assert_int_equal(geo_outlines_load(&o, COUNTRIES, &err), NR_EX_OK);
	assert_true(o.nr > 1500);
	for (size_t i = 0; i < o.nr; i++)
		for (size_t k = 1; k < o.rings[i].n; k++)
			if (fabs(o.rings[i].lonlat[2 * k] - o.rings[i].lonlat[2 * k - 2]) > 180.0 &&
			    fabs(o.rings[i].lonlat[2 * k + 1]) < 89.9)
				fail_msg("ring %zu (%s) jumps across the antimeridian at point %zu", i, o.rings[i].cc, k);
	geo_outlines_release(&o);
	geo_outlines_init(&o);
	assert_int_equal(geo_outlines_load(&o, TEST_DATA_DIR "/world/land-50m.tsv", &err), NR_EX_OK);
	assert_string_equal(o.rings[0].cc, "--");
	geo_outlines_release(&o);

	assert_int_equal(geo_countries_open(&c, COUNTRIES, &err), NR_EX_OK);
	assert_true(geo_countries_count(c) > 200);
	/* geo_countries_open trusts the shipped outlines: every one must be valid */
	if (geo_countries_check(c, COUNTRIES, &err) != NR_EX_OK)
		fail_msg("shipped outlines: %s", err.buf);
	assert_string_equal(cc_at(c, 43.7508, -87.7145), "US");  /* Sheboygan */
	assert_string_equal(cc_at(c, 52.52, 13.405), "DE");      /* Berlin */
	assert_string_equal(cc_at(c, 48.2082, 16.3738), "AT");   /* Vienna */
	assert_string_equal(cc_at(c, 47.3769, 8.5417), "CH");    /* Zurich */
	assert_string_equal(cc_at(c, -17.8, 178.0), "FJ");       /* Viti Levu, inland */
	assert_string_equal(cc_at(c, 65.5, -173.0), "RU");       /* Chukotka east of the antimeridian */
	assert_string_equal(cc_at(c, 66.0, 172.0), "RU");        /* ... and west of it */
	assert_string_equal(cc_at(c, -33.8688, 151.2093), "AU"); /* Sydney */
	assert_string_equal(cc_at(c, -80.0, 0.0), "AQ");         /* Antarctica, a ring around the pole */
	assert_string_equal(cc_at(c, 30.0, -40.0), "(none)");    /* mid-Atlantic */
	geo_countries_free(c);
	sb_release(&err);
}

static void test_footprint(void **state)
{
	struct geo_footprint fp;
	struct strbuf err = STRBUF_INIT;
	const double r = 50.0, disk = M_PI * 50.0 * 50.0;
	(void)state;
	sb_init(&err, 0);

	{ /* two disjoint disks: 2 pi r^2 */
		double lat[] = { 0, 0 }, lon[] = { 0, 10 };
		assert_int_equal(geo_footprint_compute(lat, lon, 2, r, NULL, &fp, &err), NR_EX_OK);
		/* a geodesic disk's area is pi r^2 (1 - K r^2 / 12) (K: the Gaussian curvature), 5e-6 below pi r^2 */
		assert_double_near(fp.union_km2 / (2 * disk), 1.0 - 5.1e-6, 2e-7);
		assert_double_near(fp.hull_km2, 0.0, 1e-6); /* two points: no area */
		assert_int_equal(fp.countries, 0);
	}
	{ /* the same place twice counts once */
		double lat[] = { 45, 45, 90, 90 }, lon[] = { 7, 7, 0, 120 };
		assert_int_equal(geo_footprint_compute(lat, lon, 2, r, NULL, &fp, &err), NR_EX_OK);
		assert_double_near(fp.union_km2 / disk, 1.0 - 5.1e-6, 2e-7);
		/* the pole under two longitudes */
		assert_int_equal(geo_footprint_compute(lat + 2, lon + 2, 2, r, NULL, &fp, &err), NR_EX_OK);
		assert_double_near(fp.union_km2 / disk, 1.0 - 5.1e-6, 2e-7);
	}
	{ /* overlapping disks 50 km apart: 2 pi r^2 minus the lens 2 r^2 acos(d/2r) - (d/2) sqrt(4r^2 - d^2) */
		double lat[2] = { 10, 0 }, lon[2] = { 20, 0 };
		double d = 50.0, lens = 2 * r * r * acos(d / (2 * r)) - d / 2 * sqrt(4 * r * r - d * d);
		geo_direct(lat[0], lon[0], 90, d, &lat[1], &lon[1]);
		assert_int_equal(geo_footprint_compute(lat, lon, 2, r, NULL, &fp, &err), NR_EX_OK);
		/* the plane's lens is within 1e-5 of the sphere's at this size */
		assert_double_near(fp.union_km2 / (2 * disk - lens), 1.0, 2e-5);
	}
	{ /* a chain A-B-C 60 km apart (A and C do not touch) plus a lone disk far away and a repeated point */
		double lat[5] = { 45, 0, 0, -30, 45 }, lon[5] = { 7, 0, 0, 100, 7 };
		double d = 60.0, lens = 2 * r * r * acos(d / (2 * r)) - d / 2 * sqrt(4 * r * r - d * d);
		geo_direct(lat[0], lon[0], 0, d, &lat[1], &lon[1]);
		geo_direct(lat[1], lon[1], 0, d, &lat[2], &lon[2]);
		assert_int_equal(geo_footprint_compute(lat, lon, 5, r, NULL, &fp, &err), NR_EX_OK);
		assert_double_near(fp.union_km2 / (4 * disk - 2 * lens), 1.0, 2e-5);
	}
	{ /* a disk on the antimeridian keeps its area */
		double lat[] = { -17.0 }, lon[] = { 180.0 };
		assert_int_equal(geo_footprint_compute(lat, lon, 1, r, NULL, &fp, &err), NR_EX_OK);
		assert_double_near(fp.union_km2 / disk, 1.0 - 5.1e-6, 2e-7);
	}
	{ /* a disk around the pole */
		double lat[] = { 90.0 }, lon[] = { 0.0 };
		assert_int_equal(geo_footprint_compute(lat, lon, 1, r, NULL, &fp, &err), NR_EX_OK);
		assert_double_near(fp.union_km2 / disk, 1.0 - 5.1e-6, 2e-7);
	}
	{ /* hull of the triangle (0,0) (0,1) (1,0): half of a 1x1 degree cell, ~6154.6 km² */
		double lat[] = { 0, 0, 1, 0.2 }, lon[] = { 0, 1, 0, 0.2 };
		double ref = 0.5 * 111.3195 * 110.5744;
		assert_int_equal(geo_footprint_compute(lat, lon, 4, r, NULL, &fp, &err), NR_EX_OK);
		assert_double_near(fp.hull_km2 / ref, 1.0, 0.01);
		assert_double_near(geo_polygon_area_km2(lat, lon, 3) / ref, 1.0, 0.005);
	}
	{ /* countries touched, with the real outlines: a disk around Basel reaches CH, DE and FR */
		struct geo_countries *c;
		double lat[] = { 47.5596, 52.52 }, lon[] = { 7.5886, 13.405 };
		assert_int_equal(geo_countries_open(&c, COUNTRIES, &err), NR_EX_OK);
		assert_int_equal(geo_footprint_compute(lat, lon, 1, r, c, &fp, &err), NR_EX_OK);
		assert_int_equal(fp.countries, 3);
		/* Berlin adds nothing new (DE), a point in the sea adds nothing */
		assert_int_equal(geo_footprint_compute(lat, lon, 2, r, c, &fp, &err), NR_EX_OK);
		assert_int_equal(fp.countries, 3);
		geo_countries_free(c);
	}
	{ /* bad coordinates are an error, not a crash */
		double lat[] = { 100 }, lon[] = { 0 };
		sb_reset(&err);
		assert_int_equal(geo_footprint_compute(lat, lon, 1, r, NULL, &fp, &err), NR_EX_SOFTWARE);
		assert_non_null(strstr(err.buf, "not a valid coordinate"));
	}
	sb_release(&err);
}

/*
 * References for the footprint, computed here with PROJ's geodesics and
 * nothing of the footprint code: a disk as the geodesic polygon of REF_K
 * points at r km (geod_direct) and its area by geod_polygonarea (an
 * inscribed polygon: (2 pi / REF_K)^2 / 6 = 4e-7 small); the union of two
 * overlapping disks as the polygon of the points of each circle that lie
 * outside the other disk, each run in the circles' common (clockwise)
 * order.
 */
#define REF_K 4096
static double ref_pts[2][REF_K][2], ref_lat[2 * REF_K], ref_lon[2 * REF_K];
static unsigned char ref_in[2][REF_K];

static double ref_disk(double lat, double lon, double r)
{
	for (int i = 0; i < REF_K; i++)
		geo_direct(lat, lon, 360.0 * i / REF_K, r, &ref_lat[i], &ref_lon[i]);
	return geo_polygon_area_km2(ref_lat, ref_lon, REF_K);
}

static double ref_pair(const double *lat, const double *lon, double r)
{
	size_t m = 0;
	for (int d = 0; d < 2; d++)
		for (int i = 0; i < REF_K; i++)
			geo_direct(lat[d], lon[d], 360.0 * i / REF_K, r, &ref_pts[d][i][0], &ref_pts[d][i][1]);
	for (int d = 0; d < 2; d++)
		for (int i = 0; i < REF_K; i++)
			ref_in[d][i] = geo_dist_km(ref_pts[d][i][0], ref_pts[d][i][1], lat[1 - d], lon[1 - d]) < r;
	for (int d = 0; d < 2; d++) {
		int i0 = -1;
		for (int i = 0; i < REF_K && i0 < 0; i++)
			if (ref_in[d][i] && !ref_in[d][(i + 1) % REF_K])
				i0 = i + 1;
		assert_true(i0 >= 0); /* the disks overlap */
		for (int s = 0; s < REF_K && !ref_in[d][(i0 + s) % REF_K]; s++) {
			ref_lat[m] = ref_pts[d][(i0 + s) % REF_K][0];
			ref_lon[m++] = ref_pts[d][(i0 + s) % REF_K][1];
		}
	}
	return geo_polygon_area_km2(ref_lat, ref_lon, m);
}

/*
 * The union's area against those references: single disks at every
 * latitude (the pole inside the disk, the antimeridian through it), and
 * pairs 5 to 95 km apart in four directions on the equator (where the
 * ellipsoid distorts the disks' images most), at 45 N, 70 N, 60 S,
 * around the north pole and across the antimeridian. Measured: within
 * 1.1e-6 of the reference (most of it the reference's own polygons);
 * checked: 5e-6. The ellipse correction matters: without it the pairs
 * on the equator are off by up to 4e-4.
 */
static void test_footprint_geodesic(void **state)
{
	const double r = 50.0;
	const double lats[] = { 0, 30, 60, 80, 89.8, 90, -89.99, -45 };
	const double plat[] = { 0, 45, 70, -60, 89.8, -16.5 }, plon[] = { 10, 7, 25, 100, 0, 179.8 };
	const double dist[] = { 5, 30, 60, 95 }, az[] = { 0, 45, 90, 135 };
	struct geo_footprint fp;
	struct strbuf err = STRBUF_INIT;
	(void)state;
	sb_init(&err, 0);
	for (size_t i = 0; i < sizeof(lats) / sizeof(*lats); i++) {
		double la = lats[i], lo = 179.9;
		assert_int_equal(geo_footprint_compute(&la, &lo, 1, r, NULL, &fp, &err), NR_EX_OK);
		assert_double_near(fp.union_km2 / ref_disk(la, lo, r), 1.0, 5e-6);
	}
	for (size_t i = 0; i < sizeof(plat) / sizeof(*plat); i++)
		for (size_t d = 0; d < 4; d++)
			for (size_t z = 0; z < 4; z++) {
				double lat[2] = { plat[i], 0 }, lon[2] = { plon[i], 0 }, two[2];
				geo_direct(lat[0], lon[0], az[z], dist[d], &lat[1], &lon[1]);
				assert_int_equal(geo_footprint_compute(lat, lon, 2, r, NULL, &fp, &err), NR_EX_OK);
				assert_double_near(fp.union_km2 / ref_pair(lat, lon, r), 1.0, 5e-6);
				/* the other order: the same area */
				two[0] = fp.union_km2;
				lat[1] = lat[0];
				lon[1] = lon[0];
				geo_direct(lat[0], lon[0], az[z], dist[d], &lat[0], &lon[0]);
				assert_int_equal(geo_footprint_compute(lat, lon, 2, r, NULL, &fp, &err), NR_EX_OK);
				two[1] = fp.union_km2;
				assert_double_near(two[1] / two[0], 1.0, 1e-12);
			}
	sb_release(&err);
}

/* The area in km² of the union of k-gons of radius vkm around the points, by GEOS, in Equal Earth. */
static double ref_geos_union(const double *lat, const double *lon, size_t n, double vkm, int k)
{
	GEOSContextHandle_t h = GEOS_init_r();
	GEOSGeometry **g = calloc(n, sizeof(*g)), *coll, *un;
	struct strbuf err = STRBUF_INIT;
	struct geo_proj *p;
	double *ring = calloc(2 * (size_t)k + 2, sizeof(*ring)), a = -1;
	sb_init(&err, 0);
	p = geo_proj_new("+proj=eqearth +datum=WGS84", &err);
	assert_non_null(p);
	for (size_t i = 0; i < n; i++) {
		GEOSCoordSequence *cs;
		for (int v = 0; v < k; v++) {
			double la, lo;
			geo_direct(lat[i], lon[i], 360.0 * v / k, vkm, &la, &lo);
			assert_int_equal(geo_proj_fwd(p, lo, la, &ring[2 * v], &ring[2 * v + 1]), 0);
		}
		ring[2 * k] = ring[0];
		ring[2 * k + 1] = ring[1];
		cs = GEOSCoordSeq_copyFromBuffer_r(h, ring, (unsigned)k + 1, 0, 0);
		g[i] = GEOSGeom_createPolygon_r(h, GEOSGeom_createLinearRing_r(h, cs), NULL, 0);
		assert_non_null(g[i]);
	}
	coll = GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, g, (unsigned)n);
	un = GEOSUnaryUnion_r(h, coll);
	assert_non_null(un);
	assert_int_equal(GEOSArea_r(h, un, &a), 1);
	GEOSGeom_destroy_r(h, un);
	GEOSGeom_destroy_r(h, coll);
	GEOS_finish_r(h);
	geo_proj_free(p);
	sb_release(&err);
	free(g);
	free(ring);
	return a / 1e6;
}

/*
 * Many overlapping disks: 400 points in a 3 x 2 degree box around 50 N
 * (a dense network: the union is far below the sum of the disks) against
 * a GEOS union of 512-gons (vertices at the radius that gives a 512-gon
 * the circle's area: r sqrt(2 pi / (k sin(2 pi / k)))) in Equal Earth;
 * measured under 1e-6 apart, checked 2e-5. Then 4,000 points, dense, spread
 * and across the antimeridian: the same to the last bit with one and two
 * threads, the same area after moving every point 37 degrees east
 * (measured 1e-12; checked 1e-9) and with the points in reverse order.
 */
static void test_footprint_many(void **state)
{
	enum { N = 4000, BOX = 400 };
	static double lat[N], lon[N], lat2[N], lon2[N];
	struct geo_footprint f1, f2, f3, f4;
	struct geo_footprint_opts o1 = { 0, 1 }, o2 = { 0, 2 };
	struct strbuf err = STRBUF_INIT;
	unsigned long long s = 12345;
	const int k = 512;
	double vkm = 50.0 * sqrt(2 * M_PI / (k * sin(2 * M_PI / k)));
	(void)state;
	sb_init(&err, 0);
	for (int i = 0; i < N; i++) {
		double u, v;
		s = s * 6364136223846793005ull + 1442695040888963407ull;
		u = (double)(s >> 11) / 9007199254740992.0;
		s = s * 6364136223846793005ull + 1442695040888963407ull;
		v = (double)(s >> 11) / 9007199254740992.0;
		if (i < N / 2) {
			lat[i] = 49.0 + 2.0 * u;
			lon[i] = 6.0 + 3.0 * v;
		} else if (i < N / 2 + 20) {
			lat[i] = -20.0 + 4.0 * u;
			lon[i] = 179.0 + 2.0 * v - (179.0 + 2.0 * v > 180.0 ? 360.0 : 0.0);
		} else {
			lat[i] = -60.0 + 130.0 * u;
			lon[i] = -180.0 + 360.0 * v;
		}
	}
	assert_int_equal(geo_footprint_run(lat, lon, BOX, 50.0, NULL, &o1, &f1, &err), NR_EX_OK);
	assert_true(f1.union_km2 < 0.2 * BOX * M_PI * 50.0 * 50.0); /* the union really merged them */
	assert_double_near(f1.union_km2 / ref_geos_union(lat, lon, BOX, vkm, k), 1.0, 2e-5);

	assert_int_equal(geo_footprint_run(lat, lon, N, 50.0, NULL, &o1, &f1, &err), NR_EX_OK);
	assert_int_equal(geo_footprint_run(lat, lon, N, 50.0, NULL, &o2, &f2, &err), NR_EX_OK);
	assert_memory_equal(&f1.union_km2, &f2.union_km2, sizeof(double));
	for (int i = 0; i < N; i++) {
		lat2[i] = lat[i];
		lon2[i] = lon[i] + 37.0 > 180.0 ? lon[i] + 37.0 - 360.0 : lon[i] + 37.0;
	}
	assert_int_equal(geo_footprint_run(lat2, lon2, N, 50.0, NULL, &o2, &f3, &err), NR_EX_OK);
	assert_double_near(f3.union_km2 / f1.union_km2, 1.0, 1e-9);
	for (int i = 0; i < N; i++) {
		lat2[i] = lat[N - 1 - i];
		lon2[i] = lon[N - 1 - i];
	}
	assert_int_equal(geo_footprint_run(lat2, lon2, N, 50.0, NULL, &o1, &f4, &err), NR_EX_OK);
	assert_double_near(f4.union_km2 / f1.union_km2, 1.0, 1e-12);
	/* a vertex count out of range (the countries' disks) and a disk beyond 5,000 km are refused */
	o1.vertices = 7;
	assert_int_equal(geo_footprint_run(lat, lon, N, 50.0, NULL, &o1, &f1, &err), NR_EX_SOFTWARE);
	o1.vertices = 0;
	assert_int_equal(geo_footprint_run(lat, lon, N, 6000.0, NULL, &o1, &f1, &err), NR_EX_SOFTWARE);
	sb_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dist),
		cmocka_unit_test(test_path_direct),
		cmocka_unit_test(test_proj),
		cmocka_unit_test(test_outlines),
		cmocka_unit_test(test_outline_numbers),
		cmocka_unit_test(test_countries_real),
		cmocka_unit_test(test_footprint),
		cmocka_unit_test(test_dists),
		cmocka_unit_test(test_footprint_geodesic),
		cmocka_unit_test(test_footprint_many),
		cmocka_unit_test(test_lines_and_cut),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
