#ifndef ANALYZE_H
#define ANALYZE_H

/*
 * analyze: the pipeline of `netreach analyze`, up to the numbers.
 *
 *   export(s) --ingest--> rows --distinct location strings--> geocode
 *     --> places (+ count per place) --stats--> summary
 *
 * Rows are aggregated by distinct location string while reading (a hash
 * map from string to count and per-month counts), each distinct string is
 * geocoded once, and strings are then folded into distinct places. Memory
 * grows with distinct strings, never with rows (except the optional
 * per-contact keys that compare asks for, 16 bytes each).
 *
 * Ownership: an_run fills a caller-provided struct an_result, released
 * with an_result_release. Place strings point into the gazetteer, which
 * the result keeps open.
 */

#include <stddef.h>
#include <stdint.h>

#include "geocode.h"
#include "ingest.h"
#include "stats.h"
#include "util.h"

struct an_options {
	const char *data_dir;        /* where gazetteer.bin and outlines live */
	const char *home_query;      /* --home PLACE */
	int has_home_coords;         /* --home-coords LAT,LON */
	double home_lat, home_lon;
	const char *profile_path;    /* --profile Profile.csv */
	double radius_km;            /* --radius, default 50 */
	const char *regions_path;    /* --regions FILE.geojson */
	struct ing_options ing;      /* --column, --locations */
	int progress;                /* show a progress bar on stderr */
	int keep_contacts;           /* fill an_result.contacts (for compare) */
};

void an_options_init(struct an_options *o);

struct an_unresolved {
	char *text;                  /* the location string as written (UTF-8 sanitised) */
	unsigned long count;
	const char *reason;          /* static */
};

struct an_skipped {
	size_t input;                /* index into an_result.inputs */
	unsigned long line;
	const char *reason;          /* static */
};

struct an_home {
	char *query;                 /* what the user gave (or the inferred city's name) */
	const char *source;          /* "home", "home-coords", "profile", "inferred" */
	int inferred;
	struct gc_place place;
};

/* One contact, for compare: hashed identity and where it lives. */
struct an_contact {
	uint64_t id;                 /* hash of normalised URL, else email, else name+company */
	uint8_t id_kind;             /* AN_ID_URL, AN_ID_EMAIL, AN_ID_NAME */
	uint32_t place;              /* index into places, or UINT32_MAX when unresolved/no location */
};

enum { AN_ID_NONE, AN_ID_URL, AN_ID_EMAIL, AN_ID_NAME };

struct an_result {
	struct ing_info *inputs;
	size_t nr_inputs;

	/* row accounting: rows == resolved + unresolved + no_location + skipped */
	unsigned long rows, resolved, unresolved, no_location, skipped;
	unsigned long duplicates;    /* rows dropped as the same profile URL seen before (multi-export merge); counted in skipped */

	struct an_home home;
	double radius_km;

	struct st_place *places;     /* distinct resolved places, by count desc then name */
	size_t nr_places;
	struct an_unresolved *unresolved_list;  /* by count desc then text */
	size_t nr_unresolved_list;
	struct an_skipped *skipped_list;        /* in input order */
	size_t nr_skipped_list;

	char **region_names;         /* from --regions */
	size_t nr_regions;

	struct st_month_place *months;
	size_t nr_months;

	struct st_summary summary;

	struct an_contact *contacts; /* only with keep_contacts */
	size_t nr_contacts;

	struct gz *gz;               /* kept open for the place strings */
};

/*
 * Run the pipeline over paths[0..n). Returns NR_EX_OK or an exit status
 * with a one-line message in err (file, line and problem).
 */
int an_run(const struct an_options *opt, const char *const *paths, size_t n,
	   struct an_result *out, struct strbuf *err);
void an_result_release(struct an_result *r);

#endif
