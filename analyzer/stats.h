#ifndef STATS_H
#define STATS_H

/*
 * stats: reach statistics over distinct places.
 *
 * Input is the list of distinct resolved places with a contact count each
 * (struct st_place), the home, and the per-month counts; every statistic
 * depends only on the place, so nothing here is per contact. st_compute
 * fills a struct st_summary; st_summary_json turns it into the
 * summary.json document (schema in doc/summary-schema.md).
 *
 * Ownership: struct st_summary owns its arrays (st_summary_release frees
 * them); name/code strings inside point into the gazetteer or into the
 * caller's places and must outlive the summary.
 */

#include <stddef.h>
#include <stdint.h>

#include "geocode.h"
#include "util.h"

/* Reach bands, in this order in st_summary.reach. */
enum st_reach {
	ST_REACH_HOME,              /* within radius_km of home */
	ST_REACH_BEYOND_HOME,
	ST_REACH_BEYOND_161KM,
	ST_REACH_OUTSIDE_ADMIN1,
	ST_REACH_OUTSIDE_COUNTRY,
	ST_REACH_OUTSIDE_CONTINENT,
	ST_REACH_COUNT
};

/* Distance bands 0-50, 50-161, 161-800, 800-3000, >3000 km. */
#define ST_DIST_BANDS 5

struct st_place {
	struct gc_place place;     /* resolved place (level CITY, ADMIN1 or COUNTRY) */
	unsigned long count;       /* contacts at this place */
	double dist_km;            /* geodesic distance from home, filled by st_compute */
	int region;                /* index into st_input.region_names, -1 for none */
};

struct st_month_place {
	int month;                 /* year * 12 + month - 1 */
	size_t place;              /* index into st_input.places */
	unsigned long count;
};

struct st_input {
	struct st_place *places;   /* st_compute fills dist_km */
	size_t nr_places;
	struct gc_place home;      /* resolved home */
	double radius_km;
	const char **region_names; /* user regions (--regions), may be NULL */
	size_t nr_regions;
	const struct st_month_place *months; /* sorted by month, may be NULL */
	size_t nr_months;
};

struct st_item {
	const char *code;          /* "DE", "US-55", continent "EU", region index as text */
	const char *name;          /* "Germany", "Wisconsin", "Europe", region name */
	const char *cc;            /* country of an admin-1 item, else NULL */
	unsigned long count;
	double share;              /* count / resolved */
};

struct st_band {
	const char *key;           /* "home", "beyond_home", ..., "0-50", ... */
	const char *label;         /* "Home town (within 50 km)", ... */
	unsigned long count;
	double share;
};

struct st_month {
	int month;
	unsigned long added;                 /* new connections this month (resolved, dated) */
	unsigned long cumulative;
	unsigned long cumulative_beyond_home;
	double cumulative_beyond_home_share;
	const char **new_countries;          /* cc of countries first reached this month */
	size_t nr_new_countries;
};

struct st_summary {
	unsigned long resolved;
	double radius_km;
	struct st_band reach[ST_REACH_COUNT];
	struct st_band dist_band[ST_DIST_BANDS];
	struct {
		double p10, p25, median, p75, p90, mean, max;
	} dist_km;
	double rog_home_km;        /* radius of gyration about home */
	double rog_centre_km;      /* about the network's centre of mass */
	double centre_lat, centre_lon;
	struct {
		size_t cities, admin1, countries, continents;
	} distinct;
	double countries_entropy, countries_effective;
	double admin1_entropy, admin1_effective;
	struct {
		double union_km2;      /* union of 50 km geodesic disks, equal-area */
		double hull_km2;       /* convex hull of places, equal-area */
		size_t countries;      /* countries the union touches */
	} footprint;
	struct st_item *countries; size_t nr_countries;    /* all, by count desc then code */
	struct st_item *admin1; size_t nr_admin1;
	struct st_item *continents; size_t nr_continents;
	struct st_item *regions; size_t nr_regions;        /* user regions, in file order, plus "outside all regions" */
	struct st_month *timeline; size_t nr_timeline;
};

/*
 * Compute everything. Returns NR_EX_OK, or an exit status with a message
 * in err (e.g. PROJ or GEOS failing to initialise). Needs the data dir for
 * country outlines (footprint countries).
 */
int st_compute(struct st_input *in, const char *data_dir, struct st_summary *out, struct strbuf *err);
void st_summary_release(struct st_summary *s);

#endif
