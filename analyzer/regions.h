#ifndef REGIONS_H
#define REGIONS_H

/*
 * regions: user-defined regions (--regions FILE.geojson).
 *
 * The file is a GeoJSON FeatureCollection (RFC 7946: lon/lat on WGS84);
 * each feature is one region, named by its "name" property (a non-empty
 * string, unique within the file), with a Polygon or MultiPolygon
 * geometry. Regions are kept in file order. A point belongs to the FIRST
 * region (file order) whose polygon covers it (boundary included), or to
 * none. Polygons are planar in lon/lat: a region that crosses the
 * antimeridian must be split there, as GeoJSON asks.
 *
 * Invalid polygons (self-intersecting rings, ...) are repaired with GEOS
 * MakeValid and a note is appended to `notes`, one line per repaired
 * region: "'file': region 'X': invalid polygon (Self-intersection[...]), repaired".
 *
 * Ownership: struct rg_set owns everything (names, GEOS geometries, its
 * own GEOS context; nothing is global) until rg_free. Strings returned by
 * rg_name / rg_names stay valid until then.
 */

#include <stddef.h>

#include "util.h"

struct rg_set;

/*
 * Load path. Returns NR_EX_OK, or with one line in err:
 *   NR_EX_NOINPUT  "'path': cannot open: no such file or directory" (missing, unreadable),
 *                  "'path': is a directory"
 *   NR_EX_IOERR    "'path': read error: ..."
 *   NR_EX_DATAERR  "'path': not JSON: line L column C: ...", "'path': not a GeoJSON
 *                  FeatureCollection", "'path': no features", "'path': feature N has no
 *                  \"name\" property", "'path': region 'X': geometry is a Point, not a
 *                  Polygon or MultiPolygon", "'path': region 'X': bad geometry: ...",
 *                  "'path': two regions are named 'X'",
 *                  "'path': region 'X': invalid polygon (R) that cannot be repaired" (nothing
 *                  with an area left after MakeValid), "'path': larger than 64 MiB",
 *                  "'path': region 'X': more than 100,000 vertices", "'path': more than
 *                  1,000,000 vertices in all (at region 'X')", "'path': region 'X': invalid
 *                  polygon (R) too complex to repair (crosses itself more than 100 times)"
 *                  (or "(more than 20,000,000 segment pairs to test)")
 * Names and parser excerpts in messages have control characters replaced
 * by spaces and are cut to 200 bytes, so a message is always one line.
 * Feature numbers N are 1-based. notes (may be NULL) gets repair notes.
 */
int rg_load(struct rg_set **out, const char *path, struct strbuf *notes, struct strbuf *err);
void rg_free(struct rg_set *set);

size_t rg_count(const struct rg_set *set);
/* Name of region i (i < rg_count), UTF-8. */
const char *rg_name(const struct rg_set *set, size_t i);
/* All names, rg_count of them (for st_input.region_names). */
const char **rg_names(const struct rg_set *set);
/* Number of regions whose polygon was repaired. */
size_t rg_repaired(const struct rg_set *set);

/* Index of the first region covering (lat, lon), or -1. */
int rg_locate(const struct rg_set *set, double lat, double lon);

#endif
