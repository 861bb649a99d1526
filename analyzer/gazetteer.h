#ifndef GAZETTEER_H
#define GAZETTEER_H

/*
 * gazetteer: the offline place database (GeoNames cities500, admin-1
 * names, country names in many languages, continents, metro aliases).
 *
 * The committed text files under datasets/ are compiled once into a
 * binary index (gz_build, run by `make` as `netreach index-gazetteer`);
 * gz_open maps that index read-only so a cold process is ready in a few
 * milliseconds. Everything returned by gz_* points into the mapping and
 * stays valid until gz_close.
 */

#include <stddef.h>
#include <stdint.h>

#include "util.h"

struct gz;

/* Build the binary index at out_path from the datasets directory. */
int gz_build(const char *datasets_dir, const char *out_path, struct strbuf *err);

/*
 * Open the index "gazetteer.bin" in data_dir. Returns NR_EX_OK or an exit
 * status with a message in err.
 */
int gz_open(struct gz **out, const char *data_dir, struct strbuf *err);
void gz_close(struct gz *gz);

/* Country facts by ISO 3166-1 alpha-2 code ("DE"); NULL when unknown. */
const char *gz_country_name(const struct gz *gz, const char *cc);      /* English: "Germany" */
const char *gz_country_continent(const struct gz *gz, const char *cc); /* "EU", "NA", "SA", "AS", "AF", "OC", "AN" */
/* "Europe", "North America", ... for a continent code; NULL when unknown. */
const char *gz_continent_name(const char *code);
/* Admin-1 name by country and GeoNames admin-1 code ("US", "55" -> "Wisconsin"); NULL when unknown. */
const char *gz_admin1_name(const struct gz *gz, const char *cc, const char *admin1_code);

/*
 * Nearest populated place to (lat, lon) within max_km; fills *out as a
 * city-level struct gc_place (see geocode.h) with method "nearest".
 * Returns 1 when found, 0 otherwise.
 */
struct gc_place;
int gz_nearest(const struct gz *gz, double lat, double lon, double max_km, struct gc_place *out);

/* Number of places in the index (for --version and tests). */
size_t gz_place_count(const struct gz *gz);

#endif
