#ifndef GEOCODE_H
#define GEOCODE_H

/*
 * geocode: place strings to places, offline, against the gazetteer.
 *
 * "City, Region, Country" is split and resolved from the right (country,
 * then admin-1 within it, then the city within those), with LinkedIn metro
 * names ("Greater Milwaukee Area") mapped to their principal place. Strings
 * that name only a region or a country resolve at that level; strings that
 * name nothing ("Remote", "N/A") are unresolved with a reason.
 *
 * A struct gc caches results per distinct input string: each distinct
 * string is resolved once per run. Returned pointers are owned by the
 * struct gc and stay valid until gc_free; string members point into the
 * gazetteer or into static storage.
 */

#include <stddef.h>
#include <stdint.h>

#include "gazetteer.h"
#include "util.h"

enum gc_level {
	GC_LEVEL_NONE = 0,  /* unresolved */
	GC_LEVEL_CITY,
	GC_LEVEL_METRO,     /* a metro area ("Greater Milwaukee Area", "São Paulo e Região"), at its principal city */
	GC_LEVEL_ADMIN2,    /* county, district, province: within its admin-1 region */
	GC_LEVEL_ADMIN1,
	GC_LEVEL_COUNTRY
};

struct gc_place {
	enum gc_level level;      /* NONE when unresolved */
	double lat, lon;          /* the city, or a representative point of the region/country */
	uint64_t key;             /* distinct per place: GeoNames id for cities; a stable synthetic key for metros, admin-2, admin-1 and countries; 0 when unresolved */
	const char *name;         /* "Sheboygan", "Wisconsin", "Germany"; NULL when unresolved */
	const char *admin1_code;  /* GeoNames admin-1 code ("55"), "" when unknown or level COUNTRY */
	const char *admin1;       /* admin-1 name, "" when unknown or level COUNTRY */
	const char *cc;           /* ISO alpha-2 */
	const char *country;      /* English country name */
	const char *continent;    /* continent code: EU NA SA AS AF OC AN */
	double confidence;        /* 0..1 */
	const char *method;       /* "exact", "ascii", "alternate", "metro", "admin2", "admin1", "country", "fuzzy", "nearest", "coords" */
	const char *reason;       /* why unresolved ("names no known place", "empty", ...); NULL when resolved */
	const char *admin2_code;  /* GeoNames admin-2 code ("117"), "" when unknown or level ADMIN1/COUNTRY */
	const char *admin2;       /* admin-2 name ("Sheboygan County"), "" when unknown or level ADMIN1/COUNTRY */
};

const char *gc_level_name(enum gc_level level); /* "none", "city", "metro", "admin2", "admin1", "country" */

/*
 * Does a place of this level stand for a point that distances are measured
 * to: a town, a metro area's principal city, a county's seat? (Admin-1
 * regions and countries do not: their point is only a stand-in.)
 */
int gc_level_is_point(enum gc_level level);

struct gc;

struct gc *gc_new(const struct gz *gz);
void gc_free(struct gc *gc);

/*
 * Resolve s[0..len) (UTF-8, invalid bytes tolerated). Always returns a
 * place (level NONE with a reason when unresolved); cached per distinct
 * string.
 */
const struct gc_place *gc_resolve(struct gc *gc, const char *s, size_t len);

/* Number of distinct strings resolved so far (the cache size). */
size_t gc_cache_size(const struct gc *gc);

/*
 * Reverse geocoding: the place for the point (lat, lon), in degrees. cc
 * is the ISO code of the country whose outline holds the point, NULL when
 * not known. The answer is the nearest gazetteer place within max_km
 * (method "nearest", at that place) when it lies in cc (or cc is NULL);
 * otherwise, when cc is a country the gazetteer knows, a city-level place
 * at the point itself in that country (method "coords", confidence 1, a
 * key of its own per 0.001 degree), named after the nearest place, or
 * with name NULL when there is none (the caller names it). Returns 0, or
 * -1 with *reason (a static, N_-marked string) when the point is out of
 * range or names no place. *out is overwritten when 0 is returned; its
 * strings point into the gazetteer.
 */
int gc_place_at(const struct gz *gz, double lat, double lon, double max_km, const char *cc, struct gc_place *out,
		const char **reason);

/*
 * A gazetteer record as a resolved place (*out fully overwritten) of level
 * CITY (place index; the given confidence and method, a static string),
 * ADMIN2, ADMIN1 or COUNTRY (methods "admin2", "admin1", "country"; at the
 * region's representative point, admin-1 and countries at their most
 * populous place). The region forms return 0, with *out zeroed, when the
 * region has no places. Strings point into the gazetteer.
 */
void gc_fill_place(const struct gz *gz, uint32_t place, double confidence, const char *method, struct gc_place *out);
int gc_fill_admin2(const struct gz *gz, uint32_t admin2, double confidence, struct gc_place *out);
int gc_fill_admin1(const struct gz *gz, uint32_t admin1, double confidence, struct gc_place *out);
int gc_fill_country(const struct gz *gz, uint32_t country, double confidence, struct gc_place *out);

/*
 * `netreach geocode` output: a header line, then one line per input:
 * input status lat lon name admin1 country_code country continent level
 * confidence method (tab-separated; status "ok" or "unresolved"; lat/lon
 * %.5f, confidence %.2f; every field after status empty when unresolved).
 * The input is sanitised with txt_label (no tabs or newlines). Both append
 * to out.
 */
void gc_write_tsv_header(struct strbuf *out);
void gc_write_tsv_row(struct strbuf *out, const char *input, size_t len, const struct gc_place *p);

#endif
