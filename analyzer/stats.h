#ifndef STATS_H
#define STATS_H

/*
 * stats: reach statistics over distinct places.
 *
 * Input is the list of distinct resolved places with a contact count each
 * (struct st_place), the home, and the per-month counts; every statistic
 * depends only on the place, so nothing here is per contact. st_compute
 * fills a struct st_summary; the report module (rp_summary_json) turns it
 * into the summary.json document.
 *
 * Definitions (everything is weighted by st_place.count: a place with 7
 * contacts counts as 7 equal contacts at that place):
 *
 *  - resolved: contacts at any resolved place (level CITY, ADMIN1 or
 *    COUNTRY).
 *  - located: contacts at city-level places. Only these have a position
 *    precise enough for distances, so EVERY distance-based number (home
 *    town, beyond 161 km, distance bands, quantiles, mean, max, radii of
 *    gyration, centre, footprint, user regions) uses located contacts only.
 *    A place that names only a region or a country ("Bavaria",
 *    "Germany") counts in resolved and in the admin-1 / country /
 *    continent statistics where its level says enough (see each band).
 *  - distance: geodesic distance on WGS84 (geo_dist_km) from home.
 *  - share: count / base, where base is the number of contacts for which
 *    the statistic is decidable (st_band.base); 0 when base is 0.
 *  - 161 km means 100 miles = 160.9344 km (ST_100_MILES_KM).
 *  - quantiles (p10 ... p90): linear interpolation on the expanded sample
 *    (each located contact one value, sorted ascending: x[0] <= ... <=
 *    x[N-1]); q(p) = x[k] + f (x[k+1] - x[k]) with h = (N - 1) p, k =
 *    floor(h), f = h - k. This is R's type 7 and numpy.percentile's
 *    default. With N = 1 every quantile is x[0].
 *
 * Ownership: struct st_summary owns its arrays (st_summary_release frees
 * them); name/code strings inside point into the gazetteer, into the
 * caller's places or region names (which must outlive the summary), or
 * into the summary's own string storage (admin-1 codes "US-55", region
 * codes), freed by st_summary_release.
 */

#include <stddef.h>
#include <stdint.h>

#include "geocode.h"
#include "util.h"

#define ST_100_MILES_KM 160.9344
#define ST_FOOTPRINT_KM 50.0       /* disk radius for footprint.union_km2 */
#define ST_DEFAULT_RADIUS_KM 50.0

/* Reach bands, in this order in st_summary.reach. */
enum st_reach {
	ST_REACH_HOME,              /* within radius_km of home (distance <= radius_km); base = located */
	ST_REACH_BEYOND_HOME,       /* distance > radius_km; base = located */
	ST_REACH_BEYOND_161KM,      /* distance > 160.9344 km; base = located */
	/*
	 * Admin-1 (state, Bundesland) differs from home's. Decidable when the
	 * country differs from home's (then it is outside, whatever the level),
	 * or when both the place (CITY or ADMIN1 level) and home have an
	 * admin-1 code. A country-level place in the home country, or a place
	 * without admin-1 code in the home country, is not in base.
	 */
	ST_REACH_OUTSIDE_ADMIN1,
	ST_REACH_OUTSIDE_COUNTRY,   /* cc differs from home's; base = resolved */
	ST_REACH_OUTSIDE_CONTINENT, /* continent code differs; base = resolved places with a continent (home must have one) */
	ST_REACH_COUNT
};

/*
 * Distance bands 0-50, 50-161, 161-800, 800-3000, >3000 km: band i holds
 * located contacts with lower < distance <= upper (band 0 includes 0),
 * uppers 50, 160.9344, 800, 3000, infinity. base = located. The bands do
 * not move with radius_km.
 */
#define ST_DIST_BANDS 5

/*
 * The bands, defined once for every module that counts, names, bounds or
 * labels them (stats, report, plot, compare): st_reach_bands[i] is reach
 * band i (enum st_reach), st_dist_bands[i] distance band i. Texts for
 * people are gettext msgids (N_), translated where they are printed; key
 * and label are the same in every language.
 */
struct st_band_def {
	const char *key;           /* summary.json key: "home", "beyond_home", "beyond_161km", "outside_home_admin1", "outside_home_country", "outside_home_continent"; "0-50", "50-161", "161-800", "800-3000", "3000+" */
	const char *label;         /* English, never translated: st_band.label (summary.json "label" of a distance band); the home band's is a printf format of radius_km (%g) */
	const char *text;          /* reach bands: msgid, the label in report.md and index.html (a format, see st_reach_label); NULL for distance bands */
	const char *text_none;     /* msgid: what text's %s says when home lacks the name (reach outside_*), else NULL */
	const char *chart;         /* msgid: the label in the charts (reach: a format, see st_reach_label; distance bands: the axis label) */
	const char *chart_none;    /* msgid: chart's text_none */
	const char *mark;          /* msgid: distance band's upper edge as a mark on the distance CDF ("100 miles"); NULL for the last band and the reach bands */
	double min_km, max_km;     /* distance bands: min_km < distance <= max_km (band 0 includes 0), the last max_km INFINITY; 0 for reach bands */
	double shown_min_km, shown_max_km; /* the same edges as summary.json publishes them (161 for 160.9344) */
};

extern const struct st_band_def st_reach_bands[ST_REACH_COUNT];
extern const struct st_band_def st_dist_bands[ST_DIST_BANDS];

/* Who reads a label of st_reach_label. */
enum st_label_use { ST_LABEL_TEXT, ST_LABEL_CHART };

/*
 * Append the translated label of reach band `band` (enum st_reach) for
 * use to t: st_reach_bands[band].text or .chart with its arguments.
 * radius is the home radius as the caller prints it ("50 km" in the
 * text, "50" in charts), home_name the home town's name as it stands
 * after a preposition (i18n_area_dative for a home that is a region or a
 * country), home the home place (its admin-1, country and continent name
 * the outside_* bands, in the dative form of i18n_area_dative;
 * text_none/chart_none when one is empty).
 */
void st_reach_label(struct strbuf *t, int band, enum st_label_use use, const char *radius, const char *home_name,
		    const struct gc_place *home);

/*
 * The name of place p for people, in the report's language: a place that
 * is a country or an admin-1 region named alone ("Germany") as i18n names
 * it -- after_prep: as it stands after a preposition (i18n_area_dative:
 * "the United States", "den Vereinigten Staaten") -- a town as the
 * gazetteer names it. Points into p or the catalogue; NULL when p has no
 * name.
 */
const char *st_place_name(const struct gc_place *p, int after_prep);

struct st_place {
	struct gc_place place;     /* resolved place (level CITY, ADMIN1 or COUNTRY) */
	unsigned long count;       /* contacts at this place */
	double dist_km;            /* geodesic distance from home, filled by st_compute (also for ADMIN1/COUNTRY levels: from their representative point; not used in any statistic) */
	int region;                /* index into st_input.region_names, -1 for none (only city-level places are counted in regions) */
};

struct st_month_place {
	int month;                 /* year * 12 + month - 1 */
	size_t place;              /* index into st_input.places */
	unsigned long count;
};

struct nr_data;

struct st_input {
	struct st_place *places;   /* st_compute fills dist_km; count 0 places are ignored */
	size_t nr_places;
	struct gc_place home;      /* resolved home: needs valid lat/lon, cc; admin1_code and continent may be "" */
	double radius_km;          /* > 0 */
	const char **region_names; /* user regions (--regions), may be NULL */
	size_t nr_regions;
	const struct st_month_place *months; /* sorted by month, may be NULL */
	size_t nr_months;
	int jobs;                  /* threads the footprint and distances may use (1 or 2; 0: 1); the result does not depend on it */
};

struct st_item {
	const char *code;          /* "DE", "US-55" (cc-admin1 code), continent "EU", region index as text ("0", "1", ...; "none" for outside all regions) */
	const char *name;          /* "Germany", "Wisconsin", "Europe", region name; never NULL (falls back to the code) */
	const char *cc;            /* country of an admin-1 item, else NULL */
	unsigned long count;
	double share;              /* count / resolved; for admin-1 items count / (contacts with a known admin-1), for regions count / located */
};

struct st_band {
	const char *key;           /* the band's st_band_def key (static) */
	const char *label;         /* the band's st_band_def label, "Home town (within 50 km)", ... (static, except the home label which is in the summary's storage) */
	unsigned long count;
	double share;              /* count / base, 0 when base is 0 */
	unsigned long base;        /* contacts for which this band is decidable (see enum st_reach) */
};

struct st_month {
	int month;                           /* year * 12 + month - 1; every month from the first to the last dated one, gaps included */
	unsigned long added;                 /* new connections this month (resolved, dated) */
	unsigned long cumulative;            /* sum of added up to and including this month */
	unsigned long cumulative_located;    /* the same, counting only located (city-level) contacts */
	unsigned long cumulative_beyond_home;/* located dated contacts beyond radius_km, up to this month */
	double cumulative_beyond_home_share; /* cumulative_beyond_home / cumulative_located (0 when none) */
	const char **new_countries;          /* cc of countries first reached this month (any level), sorted by code */
	size_t nr_new_countries;
};

struct st_summary {
	unsigned long resolved;    /* contacts at resolved places, any level */
	unsigned long located;     /* contacts at city-level places */
	double radius_km;
	struct st_band reach[ST_REACH_COUNT];
	struct st_band dist_band[ST_DIST_BANDS];
	struct {
		double p10, p25, median, p75, p90, mean, max;  /* km over located contacts (type-7 quantiles, weighted mean); all 0 when located == 0 */
	} dist_km;
	double rog_home_km;        /* radius of gyration about home: sqrt(sum c d(home, place)^2 / located) */
	double rog_centre_km;      /* the same about (centre_lat, centre_lon) */
	/*
	 * Centre of mass of the located contacts on the sphere: the
	 * count-weighted mean of the unit vectors (cos lat cos lon, cos lat
	 * sin lon, sin lat), normalised back to lat/lon. When the mean vector
	 * is (nearly) zero, or located == 0, the centre is home.
	 */
	double centre_lat, centre_lon;
	struct {
		size_t cities;         /* distinct city-level places */
		size_t admin1;         /* distinct (cc, admin1 code) over CITY and ADMIN1 places with a code */
		size_t countries;      /* distinct cc over all resolved places */
		size_t continents;     /* distinct continent codes over all resolved places */
	} distinct;
	/*
	 * Shannon entropy, natural log: H = -sum p ln p over countries with p =
	 * count / resolved; effective number of countries = exp(H). For admin-1,
	 * p = count / (contacts with a known admin-1). 0 and 1 when empty.
	 */
	double countries_entropy, countries_effective;
	double admin1_entropy, admin1_effective;
	struct {
		double union_km2;      /* union of 50 km geodesic disks around located places, equal-area (see geo_footprint_compute) */
		double hull_km2;       /* convex hull of located places in the Equal Earth plane */
		size_t countries;      /* countries (Natural Earth 1:50m outlines) the union intersects */
	} footprint;
	struct st_item *countries; size_t nr_countries;    /* all, by count desc then code */
	struct st_item *admin1; size_t nr_admin1;          /* all with a known admin-1, by count desc then code */
	struct st_item *continents; size_t nr_continents;  /* by count desc then code */
	struct st_item *regions; size_t nr_regions;        /* user regions, in file order, plus "outside all regions" last (code "none"); empty without regions */
	struct st_month *timeline; size_t nr_timeline;     /* by month ascending */
	/*
	 * The distance distribution of the located contacts, st_distances of
	 * the places st_compute measured: nr_dist distances ascending and the
	 * contacts at each (for st_summary_cdf).
	 */
	double *dist_sorted; unsigned long *dist_count; size_t nr_dist;

	/* storage for strings the summary owns (private) */
	char **strings; size_t nr_strings, alloc_strings;
};

/*
 * Compute everything. Returns NR_EX_OK, or an exit status with a message
 * in err (e.g. PROJ or GEOS failing to initialise). The country outlines
 * for footprint.countries come from data (nd_countries, opened there when
 * there are located places and they are not yet); data NULL skips that one
 * number (footprint.countries = 0). On error *out is left released.
 */
int st_compute(struct st_input *in, struct nr_data *data, struct st_summary *out, struct strbuf *err);
void st_summary_release(struct st_summary *s);

/*
 * The distance distribution of the located contacts: one (distance, count)
 * pair per city-level place with contacts and a finite distance, sorted by
 * distance. Fills *dist and *count with new arrays (the caller frees
 * both) and returns their length. stats, compare and plot all read
 * distances through this.
 */
size_t st_distances(const struct st_place *places, size_t n, double **dist, unsigned long **count);

/*
 * Weighted type-7 quantile of values v[0..n) with weights w[0..n) (counts),
 * v sorted ascending (see the definitions above). Returns 0 when the total
 * weight is 0. Exposed for tests and for the report.
 */
double st_quantile(const double *v, const unsigned long *w, size_t n, double p);

/*
 * The cumulative distance distribution of the located contacts (the
 * distance CDF): step i is at km[i], the distinct distances ascending, and
 * cum[i] contacts live at most km[i] away; total is all of them (cum[n-1]),
 * within_100mi those at most ST_100_MILES_KM away. Built on st_distances;
 * st_cdf_release frees the arrays.
 */
struct st_cdf {
	double *km;
	unsigned long *cum;
	size_t n;
	unsigned long total, within_100mi;
};
void st_cdf(const struct st_place *places, size_t n, struct st_cdf *out);
/* st_cdf of the places s was computed from, made from s's distance distribution (nothing sorted again). */
void st_summary_cdf(const struct st_summary *s, struct st_cdf *out);
void st_cdf_release(struct st_cdf *c);

/* "Europe" for "EU", ... (static); NULL for an unknown code. */
const char *st_continent_name(const char *code);

#endif
