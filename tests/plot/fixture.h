#ifndef PLOT_FIXTURE_H
#define PLOT_FIXTURE_H

/*
 * A hand-built struct an_result for the plot and report tests: a writer
 * in Sheboygan, WI with 130 connections in 13 places. The summary is
 * computed here with plain spherical formulas (not the stats module), so
 * the tests do not depend on it; the values only need to be consistent.
 *
 * With hostile set, every name that reaches a chart or report (places,
 * regions, countries, continents, user regions, unresolved strings, the
 * home query, column headers) is replaced by hostile text.
 */

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "util.h"

/* Hostile strings: each must never reach a gnuplot script, HTML unescaped or a CSV formula. */
static const char *const fx_hostile[] = {
	"`touch CANARY`",
	"system(\"touch CANARY\")",
	"\"; system(\"touch CANARY\"); \"",
	"'; ! touch CANARY; '",
	"<script>alert(1)</script>",
	"=HYPERLINK(\"http://evil.example/\",\"x\")",
	"+cmd|' /C calc'!A0",
	"line\nbreak\rand\ttab",
	"\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d \xd8\xb9\xd8\xa7\xd9\x84\xd9\x85 \xe2\x80\xae`touch CANARY`",
	"@SUM(1+1)*cmd|' /C calc'!A0",
	"load '/etc/passwd'",
	"set print \"|touch CANARY\"",
	"\"< touch CANARY\"",
	"-2+3 {/Symbol a}^{x}_{y} @ & \\ # $1 %s",
};
#define FX_NR_HOSTILE (sizeof(fx_hostile) / sizeof(fx_hostile[0]))

struct fx_city {
	const char *name, *admin1_code, *admin1, *cc, *country, *continent;
	double lat, lon;
	unsigned long count;
	enum gc_level level;
	int region;
};

static const struct fx_city fx_cities[] = {
	{ "Sheboygan", "55", "Wisconsin", "US", "United States", "NA", 43.7508, -87.7145, 40, GC_LEVEL_CITY, 0 },
	{ "Milwaukee", "55", "Wisconsin", "US", "United States", "NA", 43.0389, -87.9065, 25, GC_LEVEL_CITY, 0 },
	{ "Chicago", "17", "Illinois", "US", "United States", "NA", 41.8781, -87.6298, 20, GC_LEVEL_CITY, 1 },
	{ "Madison", "55", "Wisconsin", "US", "United States", "NA", 43.0731, -89.4012, 10, GC_LEVEL_CITY, 0 },
	{ "New York City", "36", "New York", "US", "United States", "NA", 40.7128, -74.0060, 8, GC_LEVEL_CITY, -1 },
	{ "San Francisco", "06", "California", "US", "United States", "NA", 37.7749, -122.4194, 5, GC_LEVEL_CITY, -1 },
	{ "London", "ENG", "England", "GB", "United Kingdom", "EU", 51.5074, -0.1278, 4, GC_LEVEL_CITY, -1 },
	{ "Berlin", "16", "Berlin", "DE", "Germany", "EU", 52.5200, 13.4050, 3, GC_LEVEL_CITY, -1 },
	{ "Tokyo", "40", "Tokyo", "JP", "Japan", "AS", 35.6762, 139.6503, 2, GC_LEVEL_CITY, -1 },
	{ "Sydney", "02", "New South Wales", "AU", "Australia", "OC", -33.8688, 151.2093, 1, GC_LEVEL_CITY, -1 },
	{ "Wisconsin", "55", "Wisconsin", "US", "United States", "NA", 44.5, -89.5, 2, GC_LEVEL_ADMIN1, 0 },
	{ "Germany", "", "", "DE", "Germany", "EU", 51.5, 10.5, 1, GC_LEVEL_COUNTRY, -1 },
	{ "Suva", "C", "Central", "FJ", "Fiji", "OC", -18.1416, 178.4419, 1, GC_LEVEL_CITY, -1 },
};
#define FX_NR_CITIES (sizeof(fx_cities) / sizeof(fx_cities[0]))

static double fx_dist(double la1, double lo1, double la2, double lo2)
{
	double r = M_PI / 180.0, dla = (la2 - la1) * r, dlo = (lo2 - lo1) * r;
	double a = sin(dla / 2) * sin(dla / 2) + cos(la1 * r) * cos(la2 * r) * sin(dlo / 2) * sin(dlo / 2);
	return 2 * 6371.0088 * asin(sqrt(a));
}

static const char *fx_name(int hostile, size_t i, const char *normal)
{
	return hostile ? fx_hostile[i % FX_NR_HOSTILE] : normal;
}

/* Count-desc, code-asc list of distinct keys. */
static void fx_add_item(struct st_item **items, size_t *n, const char *code, const char *name, const char *cc,
			unsigned long count)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*items)[i].code, code)) {
			(*items)[i].count += count;
			return;
		}
	*items = xrealloc(*items, (*n + 1) * sizeof(**items));
	(*items)[*n] = (struct st_item){ code, name, cc, count, 0 };
	(*n)++;
}

static int fx_item_cmp(const void *a, const void *b)
{
	const struct st_item *x = a, *y = b;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->code, y->code);
}

static void fx_finish_items(struct st_item *items, size_t n, unsigned long total)
{
	if (!n)
		return;
	qsort(items, n, sizeof(*items), fx_item_cmp);
	for (size_t i = 0; i < n; i++)
		items[i].share = (double)items[i].count / (double)total;
}

static const char *const fx_admin1_codes[] = {
	"US-55", "US-55", "US-17", "US-55", "US-36", "US-06", "GB-ENG", "DE-16", "JP-40", "AU-02", "US-55", "", "FJ-C",
};

/*
 * Fill r. nr_places limits the places used (0..FX_NR_CITIES); dated adds
 * a timeline; hostile replaces names (see above).
 */
static void fx_build(struct an_result *r, size_t nr_places, int dated, int hostile)
{
	static const char *const regions[] = { "Lakeshore", "Chicagoland" };
	struct st_summary *s = &r->summary;
	double sum = 0, sum2 = 0;
	const char *conts[8] = { 0 };
	size_t nconts = 0;
	memset(r, 0, sizeof(*r));
	r->nr_inputs = 1;
	r->inputs = xcalloc(1, sizeof(*r->inputs));
	r->inputs[0].path = xstrdup("/home/jane.doe/exports/Connections.csv");
	r->inputs[0].format = "generic";
	r->inputs[0].encoding = "utf-8";
	r->inputs[0].delimiter = ',';
	r->inputs[0].header_line = 1;
	r->inputs[0].column[ING_LOCATION] = xstrdup(hostile ? fx_hostile[0] : "Location");
	r->inputs[0].column[ING_CONNECTED_ON] = xstrdup("Connected On");

	r->home.query = xstrdup(hostile ? fx_hostile[1] : "Sheboygan, WI");
	r->home.source = "home";
	r->home.place = (struct gc_place){ GC_LEVEL_CITY, 43.7508, -87.7145, 5272893,
		fx_name(hostile, 2, "Sheboygan"), "55", fx_name(hostile, 3, "Wisconsin"), "US",
		fx_name(hostile, 4, "United States"), "NA", 1.0, "exact", NULL, "117", "Sheboygan County" };
	r->radius_km = 50;
	s->radius_km = 50;

	r->nr_places = nr_places;
	r->places = xcalloc(nr_places + 1, sizeof(*r->places));
	for (size_t i = 0; i < nr_places; i++) {
		const struct fx_city *c = &fx_cities[i];
		struct st_place *p = &r->places[i];
		p->place = (struct gc_place){ c->level, c->lat, c->lon, 1000 + i, fx_name(hostile, i + 5, c->name),
			c->admin1_code, c->level == GC_LEVEL_COUNTRY ? "" : fx_name(hostile, i + 6, c->admin1), c->cc,
			fx_name(hostile, i + 7, c->country), c->continent, 1.0, "exact", NULL, "", "" };
		p->count = c->count;
		p->dist_km = fx_dist(43.7508, -87.7145, c->lat, c->lon);
		p->region = c->region;
		r->resolved += c->count;
	}
	r->unresolved = 9;
	r->no_location = 4;
	r->skipped = 2;
	r->rows = r->resolved + r->unresolved + r->no_location + r->skipped;
	r->inputs[0].records = r->rows;
	r->inputs[0].ok = r->resolved + r->unresolved;
	r->inputs[0].no_location = r->no_location;
	r->inputs[0].skipped = r->skipped;

	r->nr_unresolved_list = 4;
	r->unresolved_list = xcalloc(4, sizeof(*r->unresolved_list));
	r->unresolved_list[0] = (struct an_unresolved){ xstrdup(hostile ? fx_hostile[5] : "Remote"), 2, "names no known place" };
	r->unresolved_list[1] = (struct an_unresolved){ xstrdup(hostile ? fx_hostile[4] : "Gotham City"), 4, "names no known place" };
	r->unresolved_list[2] = (struct an_unresolved){ xstrdup("jane@example.com"), 1, "names no known place" };
	r->unresolved_list[3] = (struct an_unresolved){ xstrdup(hostile ? fx_hostile[7] : "Springfield"), 2, "ambiguous" };
	r->nr_skipped_list = 2;
	r->skipped_list = xcalloc(2, sizeof(*r->skipped_list));
	r->skipped_list[0] = (struct ag_skipped){ 0, 17, "field longer than 1 MiB" };
	r->skipped_list[1] = (struct ag_skipped){ 0, 90, "more than 1,000 fields" };

	r->nr_regions = 2;
	r->region_names = xcalloc(2, sizeof(char *));
	for (size_t i = 0; i < 2; i++)
		r->region_names[i] = xstrdup(hostile ? fx_hostile[8 + i] : regions[i]);

	/* summary */
	static const char *const reach_keys[] = { "home", "beyond_home", "beyond_161km", "outside_home_admin1",
		"outside_home_country", "outside_home_continent" };
	static const char *const band_keys[] = { "0-50", "50-161", "161-800", "800-3000", "3000+" };
	static const double edges[] = { 0, 50, 161, 800, 3000, 1e9 };
	static const char *const region_codes[] = { "0", "1", "-" };
	for (int k = 0; k < ST_REACH_COUNT; k++)
		s->reach[k] = (struct st_band){ reach_keys[k], reach_keys[k], 0, 0, 0 };
	for (int k = 0; k < ST_DIST_BANDS; k++)
		s->dist_band[k] = (struct st_band){ band_keys[k], band_keys[k], 0, 0, 0 };
	s->resolved = r->resolved;
	for (size_t i = 0; i < nr_places; i++) {
		const struct st_place *p = &r->places[i];
		const struct fx_city *c = &fx_cities[i];
		int home = p->dist_km <= 50, city = c->level == GC_LEVEL_CITY;
		int k;
		s->located += city ? p->count : 0;
		s->reach[ST_REACH_HOME].count += city && home ? p->count : 0;
		s->reach[ST_REACH_BEYOND_HOME].count += city && !home ? p->count : 0;
		s->reach[ST_REACH_BEYOND_161KM].count += city && p->dist_km > 161 ? p->count : 0;
		s->reach[ST_REACH_OUTSIDE_ADMIN1].count += strcmp(fx_admin1_codes[i], "US-55") ? p->count : 0;
		s->reach[ST_REACH_OUTSIDE_COUNTRY].count += strcmp(c->cc, "US") ? p->count : 0;
		s->reach[ST_REACH_OUTSIDE_CONTINENT].count += strcmp(c->continent, "NA") ? p->count : 0;
		for (k = 0; k < ST_DIST_BANDS && p->dist_km >= edges[k + 1]; k++)
			;
		s->dist_band[k].count += city ? p->count : 0;
		fx_add_item(&s->countries, &s->nr_countries, c->cc, p->place.country, NULL, p->count);
		if (*fx_admin1_codes[i])
			fx_add_item(&s->admin1, &s->nr_admin1, fx_admin1_codes[i], p->place.admin1, c->cc, p->count);
		fx_add_item(&s->continents, &s->nr_continents, c->continent,
			    hostile ? fx_hostile[11] : c->continent, NULL, p->count);
		fx_add_item(&s->regions, &s->nr_regions, region_codes[c->region >= 0 ? c->region : 2],
			    c->region >= 0 ? r->region_names[c->region] : "Outside all regions", NULL, p->count);
		sum += p->dist_km * (double)p->count;
		sum2 += p->dist_km * p->dist_km * (double)p->count;
		s->distinct.cities += c->level == GC_LEVEL_CITY;
		if (s->dist_km.max < p->dist_km)
			s->dist_km.max = p->dist_km;
		size_t q;
		for (q = 0; q < nconts && strcmp(conts[q], c->continent); q++)
			;
		if (q == nconts)
			conts[nconts++] = c->continent;
	}
	/* the distance distribution, as st_compute keeps it */
	s->nr_dist = st_distances(r->places, r->nr_places, &s->dist_sorted, &s->dist_count);
	/* bases: distance-based bands over located, the rest over resolved (every place here is decidable) */
	for (int k = 0; k < ST_REACH_COUNT; k++) {
		s->reach[k].base = k <= ST_REACH_BEYOND_161KM ? s->located : r->resolved;
		s->reach[k].share = s->reach[k].base ? (double)s->reach[k].count / (double)s->reach[k].base : 0;
	}
	for (int k = 0; k < ST_DIST_BANDS; k++) {
		s->dist_band[k].base = s->located;
		s->dist_band[k].share = s->located ? (double)s->dist_band[k].count / (double)s->located : 0;
	}
	fx_finish_items(s->countries, s->nr_countries, r->resolved);
	fx_finish_items(s->admin1, s->nr_admin1, r->resolved);
	fx_finish_items(s->continents, s->nr_continents, r->resolved);
	for (size_t i = 0; i < s->nr_regions; i++) /* regions stay in file order */
		s->regions[i].share = (double)s->regions[i].count / (double)r->resolved;
	s->distinct.admin1 = s->nr_admin1;
	s->distinct.countries = s->nr_countries;
	s->distinct.continents = nconts;
	if (r->resolved) {
		s->dist_km.mean = sum / (double)r->resolved;
		s->dist_km.p10 = 0;
		s->dist_km.p25 = 0;
		s->dist_km.median = 80.1;
		s->dist_km.p75 = 210.5;
		s->dist_km.p90 = 1201.3;
		s->rog_home_km = sqrt(sum2 / (double)r->resolved);
		s->rog_centre_km = s->rog_home_km / 2;
		s->centre_lat = 43.1;
		s->centre_lon = -86.2;
		s->countries_entropy = 0.61234;
		s->countries_effective = exp(0.61234);
		s->admin1_entropy = 1.2;
		s->admin1_effective = exp(1.2);
		s->footprint.union_km2 = 123456.7;
		s->footprint.hull_km2 = 98765432.1;
		s->footprint.countries = s->nr_countries + 2;
	}
	if (dated && nr_places) {
		/* 2023-01 .. 2023-06: place i joins in month 2023*12 + i % 6 */
		unsigned long cum = 0, beyond = 0, cumloc = 0;
		s->nr_timeline = 6;
		s->timeline = xcalloc(6, sizeof(*s->timeline));
		for (int m = 0; m < 6; m++) {
			struct st_month *t = &s->timeline[m];
			t->month = 2023 * 12 + m;
			for (size_t i = (size_t)m; i < nr_places; i += 6) {
				t->added += r->places[i].count;
				if (fx_cities[i].level == GC_LEVEL_CITY) {
					beyond += r->places[i].dist_km > 50 ? r->places[i].count : 0;
					cumloc += r->places[i].count;
				}
			}
			cum += t->added;
			t->cumulative = cum;
			t->cumulative_located = cumloc;
			t->cumulative_beyond_home = beyond;
			t->cumulative_beyond_home_share = cumloc ? (double)beyond / (double)cumloc : 0;
		}
		s->timeline[0].nr_new_countries = 1;
		s->timeline[0].new_countries = xcalloc(1, sizeof(char *));
		s->timeline[0].new_countries[0] = "US";
	}
}

/* The fixture allocates exactly what an_run would, so it is released the same way. */
static void fx_release(struct an_result *r)
{
	an_result_release(r);
}

#endif
