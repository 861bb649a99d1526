#ifndef GAZETTEER_H
#define GAZETTEER_H

/*
 * gazetteer: the offline place database (GeoNames cities500, admin-1
 * names, country names in many languages, continents, metro aliases).
 *
 * The committed text files under datasets/gazetteer/ are compiled once
 * into a binary index (gz_build in gazetteer_build.h, linked into
 * `build/gzindex` only, run by `make data`);
 * gz_open maps that index read-only so a cold process is ready in a few
 * milliseconds. Everything returned by gz_* points into the mapping and
 * stays valid until gz_close.
 */

#include <stddef.h>
#include <stdint.h>

#include "util.h"

struct gz;

/*
 * Open the index "gazetteer.bin" in data_dir. Returns NR_EX_OK or an exit
 * status with a message in err.
 */
int gz_open(struct gz **out, const char *data_dir, struct strbuf *err);
/* gz_open for the index file at path itself (any name). */
int gz_open_file(struct gz **out, const char *path, struct strbuf *err);
void gz_close(struct gz *gz);

/*
 * A damaged index: gz_open refuses one whose header, or a small section,
 * does not match its checksum (NR_EX_SOFTWARE, "'.../gazetteer.bin':
 * damaged (...); reinstall netreach ..."). The large sections are bounds-
 * checked where they are read: an accessor that meets a reference out of
 * range returns an empty stand-in (gz_place, gz_country, gz_admin1 never
 * return NULL; gz_lookup returns no postings) and records the damage.
 * gz_check returns NR_EX_SOFTWARE with that one line once damage was met
 * (callers check it before they use a result), else NR_EX_OK.
 * gz_verify checks the checksums of every section (~16 ms) and then gz_check.
 */
int gz_check(const struct gz *gz, struct strbuf *err);
int gz_verify(const struct gz *gz, struct strbuf *err);
/*
 * Open the index file at path, gz_verify it and close it: NR_EX_OK, or
 * gz_open's or gz_verify's status and line (gzindex checks what it wrote).
 */
int gz_verify_file(const char *path, struct strbuf *err);

/* Country facts by ISO 3166-1 alpha-2 code ("DE", case-insensitive); NULL when unknown. */
const char *gz_country_name(const struct gz *gz, const char *cc);      /* English: "Germany" */
const char *gz_country_continent(const struct gz *gz, const char *cc); /* "EU", "NA", "SA", "AS", "AF", "OC", "AN" */
/* "Europe", "North America", ... for a continent code; NULL when unknown. */
const char *gz_continent_name(const char *code);
/*
 * Admin-1 name by country and GeoNames admin-1 code ("US", "WI" ->
 * "Wisconsin"; "DE", "02" -> "Bavaria");
 * NULL when unknown.
 */
const char *gz_admin1_name(const struct gz *gz, const char *cc, const char *admin1_code);

/*
 * Nearest populated place to (lat, lon) within max_km (great-circle
 * distance; the lower index wins a tie): its place index (gz_place), or
 * GZ_NONE when none, or for a point or limit out of range.
 */
uint32_t gz_nearest(const struct gz *gz, double lat, double lon, double max_km);

/* Number of places in the index (for --version and tests). */
size_t gz_place_count(const struct gz *gz);

/*
 * ---- Low-level index access (used by geocode.c and tests) ----
 *
 * Everything below points into the read-only mapping and stays valid
 * until gz_close. Indexes are dense: places [0, gz_place_count),
 * countries [0, gz_country_count), admin-1 regions [0, gz_admin1_count),
 * admin-2 regions [0, gz_admin2_count).
 */
#define GZ_NONE UINT32_MAX

enum gz_fcode {          /* GeoNames feature codes of class P, condensed */
	GZ_FC_PPL = 0,       /* populated place */
	GZ_FC_PPLC,          /* capital of a country */
	GZ_FC_PPLA,          /* seat of a first-order division */
	GZ_FC_PPLA2,         /* seat of a second-order division */
	GZ_FC_PPLA3,         /* seat of a third..fifth-order division */
	GZ_FC_PPLX,          /* section of a populated place */
	GZ_FC_HIST,          /* historical, abandoned or destroyed (PPLH, PPLQ, PPLW, PPLCH) */
	GZ_FC_OTHER          /* PPLL, PPLF, PPLS, PPLG, PPLR, STLMT, ... */
};

/*
 * Places with an id from GZ_ID_MERGED up come from the newer GeoNames
 * edition (cities1000, without ids or populations): their population is
 * the proxy GZ_MERGED_POP and their feature code PPL, or PPLX when they lie
 * within 2 km of a town of 20,000 (see datasets/gazetteer/SOURCES.md).
 */
#define GZ_ID_MERGED 0x80000000u
#define GZ_MERGED_POP 1000u

struct gz_place_rec {
	uint32_t id;         /* GeoNames id */
	int32_t lat_e5;      /* latitude * 1e5 */
	int32_t lon_e5;      /* longitude * 1e5 */
	uint32_t pop;        /* population (0 when unknown) */
	uint32_t name;       /* string offset of the GeoNames name */
	uint32_t admin1;     /* admin-1 index or GZ_NONE */
	uint32_t admin2;     /* admin-2 index or GZ_NONE */
	uint16_t country;    /* country index */
	uint8_t fcode;       /* enum gz_fcode */
	uint8_t klen;        /* length of gz_place_key (255 when longer) */
};

struct gz_country_rec {
	uint32_t cc;         /* string offset: "DE" */
	uint32_t name;       /* string offset: "Germany" */
	uint32_t alpha3;     /* string offset: "DEU" ("" when unknown) */
	uint32_t continent;  /* string offset: "EU" */
	uint32_t rep_place;  /* most populous place, GZ_NONE when the country has none */
	uint32_t nplaces;
	uint64_t pop;        /* sum of its places' populations */
	uint32_t parent;     /* sovereign country index for dependencies (RE -> FR, HK -> CN), else GZ_NONE */
	uint32_t pad;
};

struct gz_admin1_rec {
	uint32_t country;    /* country index */
	uint32_t code;       /* string offset: "WI", "02" */
	uint32_t name;       /* string offset: "Wisconsin" */
	uint32_t rep_place;  /* most populous place, GZ_NONE when none */
	uint32_t nplaces;
	uint32_t pad;
};

/*
 * Admin-2 region (county, district, province): GeoNames admin2 code table.
 * Its point is its seat (the PPLA2 place in it), else its most populous
 * place (population > 0), else the centroid of its places. Regions
 * without places have nplaces 0, rep_place GZ_NONE and no postings.
 */
struct gz_admin2_rec {
	uint32_t country;    /* country index */
	uint32_t admin1;     /* admin-1 index or GZ_NONE */
	uint32_t code;       /* string offset: admin-2 code within its admin-1 ("117") */
	uint32_t name;       /* string offset: "Sheboygan County" */
	uint32_t seat;       /* most populous PPLA2 place in it, GZ_NONE when none */
	uint32_t rep_place;  /* seat, else most populous place; GZ_NONE when no places */
	int32_t lat_e5;      /* representative point (see above) * 1e5 */
	int32_t lon_e5;
	uint32_t nplaces;
	uint32_t pop;        /* sum of its places' populations (saturating) */
};

enum gz_ptype { GZ_T_PLACE = 0, GZ_T_METRO, GZ_T_ADMIN2, GZ_T_ADMIN1, GZ_T_COUNTRY };

/* Kinds of name, per type. Lower is a better match. */
enum {
	GZ_K_NAME = 0,       /* places: GeoNames name; countries: English name; admin-1/admin-2: name */
	GZ_K_ASCII = 1,      /* places: ASCII name; countries/admin-1: alias (any language); admin-2: name without generic words */
	GZ_K_ALT = 2,        /* places: alternate name; countries: ISO code; admin-1: abbreviation */
	GZ_K_ALIAS = 1,
	GZ_K_CODE = 2,
	GZ_K_ABBR = 2,
	GZ_K_FOREIGN = 3,    /* countries: name in a language other than English */
	GZ_K_FORMER = 3      /* admin-1: name of a former region it was part of (admin1.tsv column 6): context, not an answer */
};

/*
 * One meaning of a normalised name. Postings of a key are ordered by type
 * (place, metro, admin-2, admin-1, country), then places and admin-2
 * regions by population descending. ref indexes places (GZ_T_PLACE and
 * GZ_T_METRO: the metro's principal place), admin-2 regions, admin-1
 * regions or countries.
 */
struct gz_posting {
	uint32_t ref;
	uint8_t type;        /* enum gz_ptype */
	uint8_t kind;        /* GZ_K_* */
	uint16_t pad;
};

/*
 * Normalised matching key for a name, the same at build time and at
 * lookup: txt_fold(s, flags), then in keys of two or more words every word
 * but the last is expanded: "st"/"sankt" -> "saint", "ste" -> "sainte",
 * "ft" -> "fort", "mt" -> "mount" ("St. Gallen" -> "saint gallen", but "MT"
 * alone stays "mt"). Resets out; scratch is working space. Returns the
 * key length.
 */
size_t gz_normalize(struct strbuf *out, struct strbuf *scratch, const char *s, size_t len, int flags);

/*
 * The second step of gz_normalize on a fold already in out (txt_fold's
 * output, or txt_fold_memo's): the word expansions, in place. Returns the
 * key length.
 */
size_t gz_expand(struct strbuf *out, struct strbuf *scratch);

/* Postings for a normalised key; *out is set to the first, returns the count (0 when absent). */
size_t gz_lookup(const struct gz *gz, const char *key, size_t len, const struct gz_posting **out);

/* gz_lookup, with h = sm_hash(key, len) from the caller (who may have needed it before: gz_prefetch). */
size_t gz_lookup_hash(const struct gz *gz, const char *key, size_t len, uint64_t h, const struct gz_posting **out);

/* Start fetching the slot that gz_lookup_hash of hash h reads first (a hint to the memory system; no effect on results). */
void gz_prefetch(const struct gz *gz, uint64_t h);

/* The next step after gz_prefetch (once its slot has arrived): start fetching the key record that slot leads to. */
void gz_prefetch_key(const struct gz *gz, uint64_t h);

size_t gz_country_count(const struct gz *gz);
size_t gz_admin1_count(const struct gz *gz);
size_t gz_admin2_count(const struct gz *gz);
const struct gz_place_rec *gz_place(const struct gz *gz, uint32_t idx);
const struct gz_country_rec *gz_country(const struct gz *gz, uint32_t idx);
const struct gz_admin1_rec *gz_admin1(const struct gz *gz, uint32_t idx);
const struct gz_admin2_rec *gz_admin2(const struct gz *gz, uint32_t idx); /* out of range: a stand-in, see gz_check */
/* Normalised ASCII name (gz_normalize of the GeoNames asciiname, else name) of place idx. */
const char *gz_place_key(const struct gz *gz, uint32_t idx);
/* Places of a country ordered by the first byte of gz_place_key, then population descending; *out set to the first. */
size_t gz_country_places(const struct gz *gz, uint32_t country, const uint32_t **out);
/* Places of an admin-1 region (first letter, then population descending); *out set to the first. */
size_t gz_admin1_places(const struct gz *gz, uint32_t admin1, const uint32_t **out);
/* Places of an admin-2 region (first letter, then population descending); *out set to the first. */
size_t gz_admin2_places(const struct gz *gz, uint32_t admin2, const uint32_t **out);
/* Country index for an alpha-2 code, GZ_NONE when unknown. */
uint32_t gz_country_index(const struct gz *gz, const char *cc);
/* The NUL-terminated string at a string offset of the records above. */
const char *gz_str(const struct gz *gz, uint32_t off);

#endif
