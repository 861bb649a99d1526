#ifndef ANALYZE_H
#define ANALYZE_H

/*
 * analyze: the pipeline of `netreach analyze`, up to the numbers.
 *
 *   export(s) --ingest--> rows --distinct location strings--> geocode
 *     --> places (+ count per place) --stats--> summary
 *
 * Rows are aggregated by distinct location string while reading
 * (aggregate.h: one loc per string with its count, per-month counts, the
 * URL set, companies; a split read joins two aggregators), each distinct
 * string is geocoded once, and strings are then folded into distinct
 * places, from which stats computes the summary. Memory
 * grows with distinct strings, never with rows (except the optional
 * per-contact keys that compare asks for, 32 bytes each), and is bounded
 * (AN_MAX_DISTINCT, AN_MAX_LISTED below).
 *
 * Ownership: an_run fills a caller-provided struct an_result, released
 * with an_result_release. Place strings point into the gazetteer of the
 * struct nr_data the run was lent (data.h), which must outlive the result.
 */

#include <stddef.h>
#include <string.h>
#include <stdint.h>

#include "aggregate.h"
#include "data.h"
#include "geocode.h"
#include "ingest.h"
#include "stats.h"
#include "util.h"

struct an_options {
	const char *home_query;      /* --home PLACE */
	int has_home_coords;         /* --home-coords LAT,LON */
	double home_lat, home_lon;
	const char *profile_path;    /* --profile Profile.csv */
	double radius_km;            /* --radius, default 50 */
	const char *regions_path;    /* --regions FILE.geojson */
	struct ing_options ing;      /* --column, --locations */
	int progress;                /* show a progress bar on stderr */
	int keep_contacts;           /* fill an_result.contacts (for compare) */
	size_t max_distinct;         /* 0: AN_MAX_DISTINCT; smaller in tests */
	size_t max_listed;           /* 0: AN_MAX_LISTED; smaller in tests */
	/*
	 * --jobs: 1 does everything on one thread; 2 or more lets one big
	 * export (a single input, without keep_contacts) be read in two parts
	 * at once (ing_split), and resolving, the distances, the footprint
	 * and the report's pieces use two threads, with the same result; 0
	 * means 2 when the machine has two or more CPUs online, else 1
	 * (an_jobs).
	 */
	int jobs;
	const char *targets_path;    /* --targets FILE: companies or publications, one a line */
	unsigned long long split_min; /* smallest export read in two parts; 0: AN_SPLIT_MIN (tests set 1) */
};

/* Zero everything, radius_km = 50. (Inline: the netreach front parses options without the pipeline.) */
static inline void an_options_init(struct an_options *o)
{
	memset(o, 0, sizeof(*o));
	o->radius_km = ST_DEFAULT_RADIUS_KM;
}

#define AN_SPLIT_MIN (8ULL << 20)   /* 8 MiB, about 80,000 LinkedIn rows: below that a second thread does not pay */
#define AN_NEAREST_KM 100.0          /* how far gz_nearest looks for coordinate rows and --home-coords */

/*
 * Memory bounds. At most AN_MAX_DISTINCT distinct location strings (and as
 * many distinct rounded coordinates) are kept for aggregation (about 250
 * bytes each). A row whose string is new past that is resolved on arrival
 * and counted by its place, or, when unresolved, in one unresolved entry
 * per reason whose text says so; a coordinate row new past that is
 * unresolved with reason AN_OVERFLOW_COORDS. skipped_list keeps the first
 * AN_MAX_LISTED skipped rows (skipped counts them all). Either case adds a
 * line to notes. Every row is still counted exactly once.
 */
#define AN_MAX_DISTINCT 1000000
#define AN_MAX_LISTED 1000000
#define AN_OVERFLOW_COORDS AG_OVERFLOW_COORDS

struct an_unresolved {
	char *text;                  /* the location string as written (UTF-8 sanitised) */
	unsigned long count;
	const char *reason;          /* static */
};

#define AN_HOME_ALTS 3               /* at most this many other candidates for home are kept */

struct an_home {
	char *query;                 /* what the user gave (or the inferred city's name) */
	const char *source;          /* "home", "home-coords", "profile", "inferred", "none" (no locations at all) */
	int inferred;
	struct gc_place place;
	/*
	 * Other places home could have meant, biggest first (indexes into
	 * an_result.places): for a --home without a comma, the export's towns of
	 * the same name farther than the radius from the one taken ("Plymouth"
	 * taken as Plymouth, England while the export is full of Plymouth,
	 * Wisconsin); for an inferred home, the towns tied with it.
	 */
	size_t alt[AN_HOME_ALTS];
	size_t nr_alts;
};

/* Row accounting of one input: rows == resolved + unresolved + no_location + skipped. */
struct an_input_counts {
	unsigned long rows;          /* data records (ing_info.records) */
	unsigned long resolved, unresolved, no_location;
	unsigned long skipped;       /* ingest's skipped rows plus duplicates */
	unsigned long duplicates;    /* rows whose profile URL an earlier row (this or an earlier input) had */
	unsigned long empty_rows;    /* LinkedIn's empty rows (ING_EMPTY_LINKEDIN), also in skipped */
};

#define AN_TARGETS_MAX 10000         /* lines of a --targets file */
#define AN_TARGET_LINE_MAX 1024      /* bytes of one */

struct an_result {
	struct ing_info *inputs;
	size_t nr_inputs;
	struct an_input_counts *input_counts;  /* nr_inputs of them, parallel to inputs */

	/* row accounting: rows == resolved + unresolved + no_location + skipped */
	unsigned long rows, resolved, unresolved, no_location, skipped;
	unsigned long duplicates;    /* rows dropped as the same profile URL seen before (multi-export merge); counted in skipped */
	unsigned long empty_rows;    /* LinkedIn's empty rows (",,,,,,06 Sep 2025", not contacts); counted in skipped */

	struct an_home home;
	double radius_km;

	struct st_place *places;     /* distinct resolved places, by count desc then name */
	size_t nr_places;
	struct an_unresolved *unresolved_list;  /* by count desc then text */
	size_t nr_unresolved_list;
	struct ag_skipped *skipped_list;        /* in input order, the first AN_MAX_LISTED skipped rows */
	size_t nr_skipped_list;                 /* <= skipped */

	char **region_names;         /* from --regions */
	size_t nr_regions;

	struct st_month_place *months;
	size_t nr_months;

	struct st_summary summary;

	/*
	 * Companies: contacts with a non-empty Company cell, counted by the
	 * folded name (txt_fold, a leading "the " dropped), in companies by
	 * count desc then name. Past max_distinct distinct spellings a new one
	 * is counted in companies_unlisted only. targets: one per line of
	 * --targets, in file order, with the contacts whose company folds to
	 * the same key ("a foot in the door").
	 */
	unsigned long with_company, companies_unlisted;
	struct ag_company *companies;
	size_t nr_companies;
	struct ag_company *targets;
	size_t nr_targets;

	/* contacts (not skipped) by the month of Connected On, months ascending; dated = their sum */
	struct ag_month_count *connected;
	size_t nr_connected;
	unsigned long dated;

	int no_place_column;         /* no input has a location column (LinkedIn's Connections.csv) */

	struct ag_contact *contacts; /* only with keep_contacts; place: an index into places, or AG_NONE */
	size_t nr_contacts;

	/*
	 * Warnings for the user, one line each ending in '\n' (e.g. a --regions
	 * polygon that was repaired); NULL when there are none. Not errors:
	 * the analysis went on.
	 */
	char *notes;

	/* inputs read in two parts at once and merged (see an_options.jobs); reports do not show it */
	size_t split_reads;

	/* strings the result owns (names of coordinate-only places); private */
	char **strings;
	size_t nr_strings, alloc_strings;
};

/*
 * The home's name for people: the home place's name, else what --home
 * said, else fallback. an_home_in: the name as it stands after a
 * preposition ("beyond %s", "in %s"): a home that is a country or an
 * admin-1 region named alone in the report's language, in the dative with
 * its article where the language uses one (st_place_name: "den
 * Vereinigten Staaten"), else an_home_name. Both point into r, the
 * catalogue or fallback.
 */
const char *an_home_name(const struct an_result *r, const char *fallback);
const char *an_home_in(const struct an_result *r, const char *fallback);

/*
 * The threads an analysis may use: o->jobs, or when that is 0, 2 on a
 * machine with two or more CPUs online, else 1.
 */
int an_jobs(const struct an_options *o);

/*
 * Run the pipeline over paths[0..n), with the gazetteer and country
 * outlines of data (opened there if they are not yet; the result borrows
 * them). Returns NR_EX_OK or an exit status
 * with a one-line message in err (file, line and problem). On error the
 * result is released (an_result_release is still safe to call).
 *
 * Details:
 *  - Rows are aggregated by their location string as written (byte-exact);
 *    each distinct string is geocoded once (gc_resolve) and strings are
 *    folded into places by gc_place.key.
 *  - A row with coordinates but no location string goes by its
 *    coordinates rounded to 0.001 degree: its country is the Natural Earth
 *    1:50m country containing the point (GEOS), its name the nearest
 *    gazetteer place within AN_NEAREST_KM (gz_nearest). When the two agree
 *    (or the point is in no outline, e.g. on the coast), it is that
 *    gazetteer place; when they disagree (near a border), it is a city-level
 *    place at the point itself, named after the nearest place, in the
 *    containing country, method "coords". With no place within
 *    AN_NEAREST_KM and no country it is unresolved ("no known place near
 *    the coordinates"). A row with both a location and coordinates goes by
 *    its location.
 *  - With more than one input, a row whose normalised profile URL
 *    (ing_url_key) an earlier row had is skipped with reason "duplicate
 *    profile URL" and counted in duplicates (and skipped). A single input
 *    is not de-duplicated (memory stays proportional to distinct strings).
 *  - Home: --home must name a town (NR_EX_USAGE "--home 'X': names no
 *    known place"; for a state or country "--home 'X': names no known place at
 *    town level (it names the country Germany)");
 *    --home-coords is used as given, named after the nearest place; a
 *    --profile location must resolve to a town (NR_EX_DATAERR); else home is
 *    the city with the most contacts (ties: by name), inferred = 1, and an
 *    export where no location resolves to a town is NR_EX_DATAERR. Other
 *    candidates (an_home.alt) are kept and named in a note.
 *  - Regions are assigned to city-level places only (see stats.h).
 *  - Without a location column in any input (LinkedIn's own export) and
 *    without --home, --home-coords or --profile there is no home: source
 *    "none", the place zeroed; the analysis is of companies and dates.
 *  - --targets FILE: NR_EX_NOINPUT when it cannot be read, NR_EX_DATAERR
 *    "'FILE': line N: ..." for a line over AN_TARGET_LINE_MAX bytes, a
 *    NUL byte, or more than AN_TARGETS_MAX lines. Blank lines and lines
 *    starting with '#' are ignored.
 */
int an_run(struct nr_data *data, const struct an_options *opt, const char *const *paths, size_t n,
	   struct an_result *out, struct strbuf *err);
void an_result_release(struct an_result *r);

#endif
