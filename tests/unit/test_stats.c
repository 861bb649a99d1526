#include "unit.h"

#include <math.h>

#include "data.h"
#include "geo.h"
#include "stats.h"
#include "util.h"

/*
 * Geodesic distances from Sheboygan WI (43.7508, -87.7145), computed
 * independently with Vincenty's inverse formula on WGS84.
 */
#define D_KOHLER 5.5642
#define D_MILW 80.6075
#define D_CHI 208.1519
#define D_BERLIN 6953.5235

static struct gc_place city(const char *name, double lat, double lon, const char *cc, const char *a1code,
			    const char *a1, const char *country, const char *cont, uint64_t key)
{
	struct gc_place p;
	memset(&p, 0, sizeof(p));
	p.level = GC_LEVEL_CITY;
	p.lat = lat;
	p.lon = lon;
	p.key = key;
	p.name = name;
	p.admin1_code = a1code;
	p.admin1 = a1;
	p.cc = cc;
	p.country = country;
	p.continent = cont;
	p.confidence = 1;
	p.method = "exact";
	return p;
}

enum { A_SHEB, B_KOHLER, C_MILW, D_CHI_, E_BERLIN, F_GERMANY, G_WISC, H_US, NPLACES };

static void make_places(struct st_place *pl, struct gc_place *home)
{
	static const unsigned long counts[NPLACES] = { 4, 1, 3, 2, 2, 1, 1, 1 };
	memset(pl, 0, NPLACES * sizeof(*pl));
	pl[A_SHEB].place = city("Sheboygan", 43.7508, -87.7145, "US", "55", "Wisconsin", "United States", "NA", 1);
	pl[B_KOHLER].place = city("Kohler", 43.7392, -87.7817, "US", "55", "Wisconsin", "United States", "NA", 2);
	pl[C_MILW].place = city("Milwaukee", 43.0389, -87.9065, "US", "55", "Wisconsin", "United States", "NA", 3);
	pl[D_CHI_].place = city("Chicago", 41.8781, -87.6298, "US", "17", "Illinois", "United States", "NA", 4);
	pl[E_BERLIN].place = city("Berlin", 52.52, 13.405, "DE", "16", "Berlin", "Germany", "EU", 5);
	pl[F_GERMANY].place = city("Germany", 51.0, 10.0, "DE", "", "", "Germany", "EU", 6);
	pl[F_GERMANY].place.level = GC_LEVEL_COUNTRY;
	pl[G_WISC].place = city("Wisconsin", 44.5, -89.5, "US", "55", "Wisconsin", "United States", "NA", 7);
	pl[G_WISC].place.level = GC_LEVEL_ADMIN1;
	pl[H_US].place = city("United States", 39.8, -98.5, "US", "", "", "United States", "NA", 8);
	pl[H_US].place.level = GC_LEVEL_COUNTRY;
	for (int i = 0; i < NPLACES; i++) {
		pl[i].count = counts[i];
		pl[i].region = -1;
	}
	*home = pl[A_SHEB].place;
}

static void test_quantile(void **state)
{
	(void)state;
	{
		double v[] = { 1, 2, 3, 4 };
		unsigned long w[] = { 1, 1, 1, 1 };
		assert_double_near(st_quantile(v, w, 4, 0.5), 2.5, 1e-12);
		assert_double_near(st_quantile(v, w, 4, 0.1), 1.3, 1e-12);
		assert_double_near(st_quantile(v, w, 4, 0.9), 3.7, 1e-12);
		assert_double_near(st_quantile(v, w, 4, 0.0), 1.0, 1e-12);
		assert_double_near(st_quantile(v, w, 4, 1.0), 4.0, 1e-12);
	}
	{ /* weights expand: [10, 10, 10, 20] */
		double v[] = { 10, 20 };
		unsigned long w[] = { 3, 1 };
		assert_double_near(st_quantile(v, w, 2, 0.5), 10.0, 1e-12);
		assert_double_near(st_quantile(v, w, 2, 0.9), 17.0, 1e-12);
		assert_double_near(st_quantile(v, w, 2, 0.75), 12.5, 1e-12);
	}
	{ /* zero weights are skipped: [1, 3] */
		double v[] = { 1, 2, 3 };
		unsigned long w[] = { 1, 0, 1 };
		assert_double_near(st_quantile(v, w, 3, 0.5), 2.0, 1e-12);
	}
	{
		double v[] = { 5 };
		unsigned long w[] = { 7 }, z[] = { 0 };
		assert_double_near(st_quantile(v, w, 1, 0.9), 5.0, 1e-12);
		assert_double_near(st_quantile(v, z, 1, 0.9), 0.0, 1e-12);
	}
}

static void test_bands_and_breadth(void **state)
{
	struct st_place pl[NPLACES];
	struct st_input in;
	struct st_summary s;
	struct strbuf err = STRBUF_INIT;
	(void)state;
	sb_init(&err, 0);
	memset(&in, 0, sizeof(in));
	make_places(pl, &in.home);
	in.places = pl;
	in.nr_places = NPLACES;
	in.radius_km = 50;
	{
		struct nr_data data;
		nd_init(&data, TEST_DATA_DIR);
		assert_int_equal(st_compute(&in, &data, &s, &err), NR_EX_OK);
		assert_non_null(data.countries); /* opened for the footprint's countries */
		nd_release(&data);
	}

	assert_double_near(pl[C_MILW].dist_km, D_MILW, 0.01);
	assert_double_near(pl[E_BERLIN].dist_km, D_BERLIN, 0.01);

	assert_int_equal(s.resolved, 15);
	assert_int_equal(s.located, 12);
	assert_int_equal(s.reach[ST_REACH_HOME].count, 5);
	assert_int_equal(s.reach[ST_REACH_HOME].base, 12);
	assert_double_near(s.reach[ST_REACH_HOME].share, 5.0 / 12, 1e-12);
	assert_string_equal(s.reach[ST_REACH_HOME].key, "home");
	assert_string_equal(s.reach[ST_REACH_HOME].label, "Home town (within 50 km)");
	assert_string_equal(s.reach[ST_REACH_OUTSIDE_ADMIN1].key, "outside_home_admin1"); /* summary.json's spelling */
	assert_string_equal(s.reach[ST_REACH_OUTSIDE_ADMIN1].label, "Outside the home state or region");
	assert_double_near(s.reach[ST_REACH_BEYOND_HOME].share, 7.0 / 12, 1e-12);
	assert_double_near(s.reach[ST_REACH_BEYOND_161KM].share, 4.0 / 12, 1e-12);
	/* outside Wisconsin: Chicago 2 + Berlin 2 + Germany 1 of 14 (United States is undecidable) */
	assert_int_equal(s.reach[ST_REACH_OUTSIDE_ADMIN1].count, 5);
	assert_int_equal(s.reach[ST_REACH_OUTSIDE_ADMIN1].base, 14);
	assert_double_near(s.reach[ST_REACH_OUTSIDE_COUNTRY].share, 3.0 / 15, 1e-12);
	assert_double_near(s.reach[ST_REACH_OUTSIDE_CONTINENT].share, 3.0 / 15, 1e-12);
	assert_int_equal(s.reach[ST_REACH_OUTSIDE_CONTINENT].base, 15);

	{
		static const unsigned long want[ST_DIST_BANDS] = { 5, 3, 2, 0, 2 };
		for (int b = 0; b < ST_DIST_BANDS; b++) {
			assert_int_equal(s.dist_band[b].count, want[b]);
			assert_double_near(s.dist_band[b].share, want[b] / 12.0, 1e-12);
		}
		assert_string_equal(s.dist_band[4].key, "3000+");
	}

	/* expanded sample: 0 0 0 0 K M M M C C B B (N = 12), type 7 */
	assert_double_near(s.dist_km.p10, 0.0, 1e-9);                          /* h = 1.1 */
	assert_double_near(s.dist_km.p25, 0.0, 1e-9);                          /* h = 2.75 */
	assert_double_near(s.dist_km.median, D_MILW, 0.01);                    /* h = 5.5 */
	assert_double_near(s.dist_km.p75, D_CHI, 0.01);                        /* h = 8.25 */
	assert_double_near(s.dist_km.p90, D_CHI + 0.9 * (D_BERLIN - D_CHI), 0.01); /* h = 9.9 */
	assert_double_near(s.dist_km.mean, (D_KOHLER + 3 * D_MILW + 2 * D_CHI + 2 * D_BERLIN) / 12, 0.01);
	assert_double_near(s.dist_km.max, D_BERLIN, 0.01);
	assert_double_near(s.rog_home_km,
			   sqrt((D_KOHLER * D_KOHLER + 3 * D_MILW * D_MILW + 2 * D_CHI * D_CHI +
				 2 * D_BERLIN * D_BERLIN) / 12),
			   0.01);

	assert_int_equal(s.distinct.cities, 5);
	assert_int_equal(s.distinct.admin1, 3);
	assert_int_equal(s.distinct.countries, 2);
	assert_int_equal(s.distinct.continents, 2);
	/* countries US 12, DE 3 of 15 */
	assert_double_near(s.countries_entropy, -(0.8 * log(0.8) + 0.2 * log(0.2)), 1e-12);
	assert_double_near(s.countries_effective, exp(-(0.8 * log(0.8) + 0.2 * log(0.2))), 1e-12);
	/* admin-1 US-55 9, US-17 2, DE-16 2 of 13 */
	{
		double h = -(9.0 / 13 * log(9.0 / 13) + 2 * (2.0 / 13 * log(2.0 / 13)));
		assert_double_near(s.admin1_entropy, h, 1e-12);
		assert_double_near(s.admin1_effective, exp(h), 1e-12);
	}
	assert_int_equal(s.nr_countries, 2);
	assert_string_equal(s.countries[0].code, "US");
	assert_string_equal(s.countries[0].name, "United States");
	assert_int_equal(s.countries[0].count, 12);
	assert_double_near(s.countries[1].share, 0.2, 1e-12);
	assert_int_equal(s.nr_admin1, 3);
	assert_string_equal(s.admin1[0].code, "US-55");
	assert_string_equal(s.admin1[0].name, "Wisconsin");
	assert_string_equal(s.admin1[0].cc, "US");
	assert_string_equal(s.admin1[1].code, "DE-16"); /* tie at 2: by code */
	assert_string_equal(s.admin1[2].code, "US-17");
	assert_double_near(s.admin1[0].share, 9.0 / 13, 1e-12);
	assert_int_equal(s.nr_continents, 2);
	assert_string_equal(s.continents[0].code, "NA");
	assert_string_equal(s.continents[0].name, "North America");
	assert_string_equal(s.continents[1].name, "Europe");
	assert_int_equal(s.nr_regions, 0);
	assert_int_equal(s.nr_timeline, 0);

	/* footprint: Sheboygan, Kohler, Milwaukee and Chicago disks in the US, Berlin's in Germany */
	assert_int_equal(s.footprint.countries, 2);
	assert_true(s.footprint.union_km2 > 3 * M_PI * 2500 && s.footprint.union_km2 < 5 * M_PI * 2500);
	assert_true(s.footprint.hull_km2 > 0);
	st_summary_release(&s);
	sb_release(&err);
}

/*
 * st_distances sorts by distance, equal distances (-0 equals 0) keeping
 * their places' order; places that are not towns, have no contact or no
 * finite distance are left out.
 */
static void test_distances_order(void **state)
{
	static const double km[] = { 3.0, 0.0, 12000.5, 3.0, -0.0, 1e-3, 0.5, 3.0, 300.0, 7.25e-300, 3.0 };
	static const unsigned long cnt[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 };
	/* expected: (distance, count) ascending; the town at 3.0 with 11 has no contact left (count 0 below) */
	static const double want_km[] = { 0.0, -0.0, 7.25e-300, 1e-3, 0.5, 3.0, 3.0, 3.0, 300.0, 12000.5 };
	static const unsigned long want_cnt[] = { 2, 5, 10, 6, 7, 1, 4, 8, 9, 3 };
	struct st_place pl[ARRAY_SIZE(km) + 2];
	double *d;
	unsigned long *w;
	size_t n;
	(void)state;
	memset(pl, 0, sizeof(pl));
	for (size_t i = 0; i < ARRAY_SIZE(km); i++) {
		pl[i].place.level = GC_LEVEL_CITY;
		pl[i].count = cnt[i];
		pl[i].dist_km = km[i];
	}
	pl[10].count = 0;
	pl[ARRAY_SIZE(km)] = pl[0]; /* a country: no distance */
	pl[ARRAY_SIZE(km)].place.level = GC_LEVEL_COUNTRY;
	pl[ARRAY_SIZE(km) + 1] = pl[0]; /* no finite distance */
	pl[ARRAY_SIZE(km) + 1].dist_km = NAN;
	n = st_distances(pl, ARRAY_SIZE(pl), &d, &w);
	assert_int_equal(n, ARRAY_SIZE(want_km));
	for (size_t i = 0; i < n; i++) {
		assert_true(d[i] == want_km[i]);
		assert_int_equal(w[i], want_cnt[i]);
	}
	free(d);
	free(w);
}

/* The distance CDF: one step per distinct distance of a located place, counts summed up to it. */
static void test_cdf(void **state)
{
	struct st_place pl[NPLACES + 1];
	struct st_input in;
	struct st_summary s;
	struct st_cdf c;
	struct strbuf err = STRBUF_INIT;
	(void)state;
	memset(&in, 0, sizeof(in));
	make_places(pl, &in.home);
	/* a second place where Milwaukee is: the same distance, the same step */
	pl[NPLACES] = pl[C_MILW];
	pl[NPLACES].place.key = 99;
	pl[NPLACES].count = 2;
	in.places = pl;
	in.nr_places = NPLACES + 1;
	in.radius_km = 50;
	assert_int_equal(st_compute(&in, NULL, &s, &err), NR_EX_OK);
	st_cdf(pl, NPLACES + 1, &c);
	/* Sheboygan 4 at 0, Kohler 1, Milwaukee 3 + 2, Chicago 2, Berlin 2; regions and countries have no distance */
	assert_int_equal(c.n, 5);
	assert_int_equal(c.total, 14);
	assert_int_equal(c.within_100mi, 10);
	assert_double_near(c.km[0], 0.0, 1e-9);
	assert_int_equal(c.cum[0], 4);
	assert_double_near(c.km[1], D_KOHLER, 0.01);
	assert_int_equal(c.cum[1], 5);
	assert_double_near(c.km[2], D_MILW, 0.01);
	assert_int_equal(c.cum[2], 10);
	assert_double_near(c.km[3], D_CHI, 0.01);
	assert_int_equal(c.cum[3], 12);
	assert_double_near(c.km[4], D_BERLIN, 0.01);
	assert_int_equal(c.cum[4], 14);
	/* the summary keeps the distribution: the same steps from it, bit for bit */
	{
		struct st_cdf k;
		assert_int_equal(s.nr_dist, 6); /* the six city-level places with contacts */
		st_summary_cdf(&s, &k);
		assert_int_equal(k.n, c.n);
		assert_int_equal(k.total, c.total);
		assert_int_equal(k.within_100mi, c.within_100mi);
		for (size_t i = 0; i < c.n; i++) {
			assert_memory_equal(&k.km[i], &c.km[i], sizeof(double));
			assert_int_equal(k.cum[i], c.cum[i]);
		}
		st_cdf_release(&k);
	}
	st_cdf_release(&c);
	assert_null(c.km);
	st_cdf(pl, 0, &c);
	assert_int_equal(c.n, 0);
	assert_int_equal(c.total, 0);
	st_cdf_release(&c);
	st_summary_release(&s);
	assert_null(s.dist_sorted);
	st_summary_cdf(&s, &c); /* a released summary: no distance */
	assert_int_equal(c.n, 0);
	assert_int_equal(c.total, 0);
	st_cdf_release(&c);
	sb_release(&err);
}

/* The band table: contiguous distance edges, and the labels (untranslated here: no catalogue is bound). */
static void test_band_table(void **state)
{
	struct gc_place h = city("Sheboygan", 43.7508, -87.7145, "US", "55", "Wisconsin", "United States", "NA", 1);
	struct strbuf t = STRBUF_INIT;
	(void)state;
	assert_double_near(st_dist_bands[0].min_km, 0, 0);
	for (int i = 0; i + 1 < ST_DIST_BANDS; i++) {
		assert_true(st_dist_bands[i].max_km == st_dist_bands[i + 1].min_km);
		assert_true(st_dist_bands[i].shown_max_km == st_dist_bands[i + 1].shown_min_km);
		assert_true(fabs(st_dist_bands[i].shown_max_km - st_dist_bands[i].max_km) < 0.5);
		assert_non_null(st_dist_bands[i].mark);
	}
	assert_true(st_dist_bands[1].max_km == ST_100_MILES_KM);
	assert_true(isinf(st_dist_bands[ST_DIST_BANDS - 1].max_km));
	assert_null(st_dist_bands[ST_DIST_BANDS - 1].mark);
#define LABEL(band, use, want) do { sb_reset(&t); st_reach_label(&t, band, use, use == ST_LABEL_CHART ? "50" : "50 km", \
	"Sheboygan", &h); assert_string_equal(t.buf, want); } while (0)
	LABEL(ST_REACH_HOME, ST_LABEL_TEXT, "Home town (within 50 km)");
	LABEL(ST_REACH_HOME, ST_LABEL_CHART, "Within 50 km of Sheboygan");
	LABEL(ST_REACH_BEYOND_HOME, ST_LABEL_TEXT, "Beyond Sheboygan");
	LABEL(ST_REACH_BEYOND_HOME, ST_LABEL_CHART, "Beyond 50 km");
	LABEL(ST_REACH_BEYOND_161KM, ST_LABEL_TEXT, "Beyond 161 km (100 miles)");
	LABEL(ST_REACH_BEYOND_161KM, ST_LABEL_CHART, "Beyond 161 km (100 mi)");
	LABEL(ST_REACH_OUTSIDE_ADMIN1, ST_LABEL_TEXT, "Outside Wisconsin");
	LABEL(ST_REACH_OUTSIDE_COUNTRY, ST_LABEL_CHART, "Outside United States");
	LABEL(ST_REACH_OUTSIDE_CONTINENT, ST_LABEL_TEXT, "Outside North America");
	h.admin1 = "";
	h.country = NULL;
	h.continent = "XX";
	LABEL(ST_REACH_OUTSIDE_ADMIN1, ST_LABEL_TEXT, "Outside the home state or region");
	LABEL(ST_REACH_OUTSIDE_ADMIN1, ST_LABEL_CHART, "Outside the home region");
	LABEL(ST_REACH_OUTSIDE_COUNTRY, ST_LABEL_TEXT, "Outside the home country");
	LABEL(ST_REACH_OUTSIDE_CONTINENT, ST_LABEL_CHART, "Outside the home continent");
#undef LABEL
	sb_release(&t);
}

/*
 * st_place_name in English (no catalogue bound): a country or a region
 * named alone, and a town, come back as the gazetteer's very name; a
 * country-level entry whose name is not the country's (a metro read as a
 * country) is named as it is; no name gives NULL.
 */
static void test_place_name(void **state)
{
	struct gc_place p = { 0 };
	(void)state;
	p.level = GC_LEVEL_COUNTRY;
	p.name = "Germany";
	p.country = "Germany";
	p.cc = "DE";
	assert_ptr_equal(st_place_name(&p, 0), p.name);
	assert_ptr_equal(st_place_name(&p, 1), p.name);
	p.level = GC_LEVEL_ADMIN1;
	p.name = "Bavaria";
	p.admin1 = "Bavaria";
	p.admin1_code = "02";
	assert_ptr_equal(st_place_name(&p, 1), p.name);
	p.level = GC_LEVEL_CITY;
	p.name = "Munich";
	assert_ptr_equal(st_place_name(&p, 1), p.name);
	p.name = NULL;
	assert_null(st_place_name(&p, 0));
}

static void test_centre(void **state)
{
	struct st_place pl[3];
	struct st_input in;
	struct st_summary s;
	struct strbuf err = STRBUF_INIT;
	(void)state;
	sb_init(&err, 0);
	memset(&in, 0, sizeof(in));
	memset(pl, 0, sizeof(pl));
	pl[0].place = city("East", 0, 10, "XA", "", "", "A", "AF", 1);
	pl[1].place = city("West", 0, -10, "XB", "", "", "B", "AF", 2);
	pl[0].count = pl[1].count = 3;
	pl[0].region = pl[1].region = -1;
	in.home = city("Home", 0, 10, "XA", "", "", "A", "AF", 3);
	in.places = pl;
	in.nr_places = 2;
	in.radius_km = 50;
	/* centre of two equal masses at +-10 degrees on the equator: (0, 0); one degree of equator is 111.3195 km */
	assert_int_equal(st_compute(&in, NULL, &s, &err), NR_EX_OK);
	assert_double_near(s.centre_lat, 0, 1e-9);
	assert_double_near(s.centre_lon, 0, 1e-9);
	assert_double_near(s.rog_centre_km, geo_dist_km(0, 0, 0, 10), 1e-9);
	assert_double_near(s.rog_centre_km, 1113.195, 0.01);
	assert_double_near(s.rog_home_km, sqrt(3 * pow(geo_dist_km(0, 10, 0, -10), 2) / 6), 1e-9);
	/* union of two disjoint disks: 2 pi 50^2 within 1%; hull of two points 0 */
	assert_double_near(s.footprint.union_km2 / (2 * M_PI * 2500), 1.0, 0.01);
	assert_double_near(s.footprint.hull_km2, 0, 1e-9);
	assert_int_equal(s.footprint.countries, 0); /* no data dir */
	st_summary_release(&s);

	/* antipodal masses: no centre; it falls back to home */
	pl[1].place.lon = -170;
	assert_int_equal(st_compute(&in, NULL, &s, &err), NR_EX_OK);
	assert_double_near(s.centre_lat, 0, 1e-9);
	assert_double_near(s.centre_lon, 10, 1e-9);
	st_summary_release(&s);

	/* a triangle: the centre lies inside, 3 masses at (0,0), (0,20), (20,0) -> lat, lon in (0, 20) */
	pl[1].place.lon = 20;
	pl[2].place = city("North", 20, 0, "XC", "", "", "C", "AF", 4);
	pl[2].count = 3;
	pl[2].region = -1;
	in.nr_places = 3;
	pl[0].place.lon = 0;
	assert_int_equal(st_compute(&in, NULL, &s, &err), NR_EX_OK);
	assert_true(s.centre_lat > 5 && s.centre_lat < 8);
	assert_true(s.centre_lon > 5 && s.centre_lon < 8);
	assert_double_near(s.centre_lat, s.centre_lon, 0.2); /* close but not equal: lat and lon are not symmetric on the sphere */
	st_summary_release(&s);
	sb_release(&err);
}

static void test_regions_and_timeline(void **state)
{
	struct st_place pl[NPLACES];
	struct st_input in;
	struct st_summary s;
	struct strbuf err = STRBUF_INIT;
	const char *names[] = { "Midwest", "Europe" };
	/* 2020-01: Sheboygan 2, Germany 1; 2020-03: Berlin 1, Milwaukee 1; 2020-04: Chicago 2 */
	struct st_month_place months[] = {
		{ 2020 * 12 + 0, A_SHEB, 2 },   { 2020 * 12 + 0, F_GERMANY, 1 }, { 2020 * 12 + 2, E_BERLIN, 1 },
		{ 2020 * 12 + 2, C_MILW, 1 },   { 2020 * 12 + 3, D_CHI_, 2 },
	};
	(void)state;
	sb_init(&err, 0);
	memset(&in, 0, sizeof(in));
	make_places(pl, &in.home);
	pl[A_SHEB].region = pl[B_KOHLER].region = pl[C_MILW].region = pl[D_CHI_].region = 0;
	pl[E_BERLIN].region = 1;
	pl[G_WISC].region = 0; /* not a city: not counted in regions */
	pl[B_KOHLER].region = -1;
	in.places = pl;
	in.nr_places = NPLACES;
	in.radius_km = 50;
	in.region_names = names;
	in.nr_regions = 2;
	in.months = months;
	in.nr_months = ARRAY_SIZE(months);
	assert_int_equal(st_compute(&in, NULL, &s, &err), NR_EX_OK);

	assert_int_equal(s.nr_regions, 3);
	assert_string_equal(s.regions[0].name, "Midwest");
	assert_string_equal(s.regions[0].code, "0");
	assert_int_equal(s.regions[0].count, 9);   /* 4 + 3 + 2 */
	assert_int_equal(s.regions[1].count, 2);
	assert_string_equal(s.regions[2].code, "none");
	assert_int_equal(s.regions[2].count, 1);   /* Kohler */
	assert_double_near(s.regions[0].share, 9.0 / 12, 1e-12);

	assert_int_equal(s.nr_timeline, 4);
	assert_int_equal(s.timeline[0].month, 2020 * 12);
	assert_int_equal(s.timeline[0].added, 3);
	assert_int_equal(s.timeline[0].cumulative_located, 2);
	assert_double_near(s.timeline[0].cumulative_beyond_home_share, 0, 1e-12);
	assert_int_equal(s.timeline[0].nr_new_countries, 2);
	assert_string_equal(s.timeline[0].new_countries[0], "DE");
	assert_string_equal(s.timeline[0].new_countries[1], "US");
	assert_int_equal(s.timeline[1].added, 0);  /* February: a gap month */
	assert_int_equal(s.timeline[1].cumulative, 3);
	assert_int_equal(s.timeline[2].cumulative, 5);
	assert_int_equal(s.timeline[2].cumulative_beyond_home, 2);
	assert_double_near(s.timeline[2].cumulative_beyond_home_share, 0.5, 1e-12);
	assert_int_equal(s.timeline[2].nr_new_countries, 0);
	assert_int_equal(s.timeline[3].cumulative, 7);
	assert_double_near(s.timeline[3].cumulative_beyond_home_share, 4.0 / 6, 1e-12);
	st_summary_release(&s);

	/* a code that is not two capital letters is a country of its own too */
	{
		const char *cc = pl[E_BERLIN].place.cc;
		pl[E_BERLIN].place.cc = "XKX";
		assert_int_equal(st_compute(&in, NULL, &s, &err), NR_EX_OK);
		assert_int_equal(s.timeline[2].nr_new_countries, 1);
		assert_string_equal(s.timeline[2].new_countries[0], "XKX");
		st_summary_release(&s);
		pl[E_BERLIN].place.cc = cc;
	}

	/* unsorted months are a bug in the caller */
	months[4].month = 2019 * 12;
	sb_reset(&err);
	assert_int_equal(st_compute(&in, NULL, &s, &err), NR_EX_SOFTWARE);
	assert_non_null(strstr(err.buf, "not sorted"));
	st_summary_release(&s);
	sb_release(&err);
}

static void test_edge_cases(void **state)
{
	struct st_input in;
	struct st_summary s;
	struct strbuf err = STRBUF_INIT;
	(void)state;
	sb_init(&err, 0);
	memset(&in, 0, sizeof(in));
	in.home = city("Home", 43.75, -87.71, "US", "55", "Wisconsin", "United States", "NA", 1);
	in.radius_km = 25;
	/* no places at all: everything zero, nothing divides by zero; no outlines opened for no place */
	{
		struct nr_data data;
		nd_init(&data, TEST_DATA_DIR);
		assert_int_equal(st_compute(&in, &data, &s, &err), NR_EX_OK);
		assert_null(data.countries);
		nd_release(&data);
	}
	assert_int_equal(s.resolved, 0);
	assert_double_near(s.reach[ST_REACH_HOME].share, 0, 0);
	assert_string_equal(s.reach[ST_REACH_HOME].label, "Home town (within 25 km)");
	assert_double_near(s.dist_km.median, 0, 0);
	assert_double_near(s.countries_effective, 1, 1e-12);
	assert_double_near(s.centre_lat, 43.75, 1e-12);
	st_summary_release(&s);

	/* no places and no home position (an export without locations): nothing to measure, no error */
	in.home.lat = NAN;
	sb_reset(&err);
	assert_int_equal(st_compute(&in, NULL, &s, &err), NR_EX_OK);
	assert_int_equal(s.located, 0);
	st_summary_release(&s);
	{
		/* with a place, a home without a position is an error */
		struct st_place one;
		memset(&one, 0, sizeof(one));
		one.place = city("Home", 43.75, -87.71, "US", "55", "Wisconsin", "United States", "NA", 1);
		one.count = 1;
		in.places = &one;
		in.nr_places = 1;
		assert_int_equal(st_compute(&in, NULL, &s, &err), NR_EX_SOFTWARE);
		assert_non_null(strstr(err.buf, "'Home'"));
		st_summary_release(&s);
		in.places = NULL;
		in.nr_places = 0;
	}
	sb_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quantile),
		cmocka_unit_test(test_bands_and_breadth),
		cmocka_unit_test(test_distances_order),
		cmocka_unit_test(test_cdf),
		cmocka_unit_test(test_band_table),
		cmocka_unit_test(test_place_name),
		cmocka_unit_test(test_centre),
		cmocka_unit_test(test_regions_and_timeline),
		cmocka_unit_test(test_edge_cases),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
