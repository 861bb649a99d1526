#ifndef GEO_H
#define GEO_H

/*
 * geo: geometry on the WGS84 ellipsoid and on maps, over PROJ and GEOS.
 *
 *  - geodesic distances and great-circle paths (PROJ geodesic.h);
 *  - map projections, e.g. Equal Earth, and equal-area areas (PROJ);
 *  - country and land outlines from the .tsv files in datasets/world/ (Natural Earth via
 *    world-atlas), as plain rings and as GEOS geometries for
 *    point-in-polygon.
 *
 * Outline file format (datasets/world/countries-50m.tsv etc.): lines
 * starting with '#' are comments; every other line is one ring:
 *   CC <TAB> PART <TAB> RING <TAB> lon,lat lon,lat ...
 * CC is the ISO 3166-1 alpha-2 code ("--" for land or unknown), PART the
 * polygon's index within that country, RING 0 the exterior ring and 1.. its
 * holes. Rings are closed (first point == last point).
 *
 * Ownership: structs are owned by the caller's init/release pair.
 */

#include <stddef.h>

#include <geos_c.h>

#include "util.h"

#define GEO_EARTH_KM 6371.0088  /* mean radius, only for rough bounds; distances use the ellipsoid */

/* Geodesic distance in km between two points on WGS84. */
double geo_dist_km(double lat1, double lon1, double lat2, double lon2);

/*
 * out[i] = geo_dist_km(lat0, lon0, lat[i], lon[i]) for each i < n, the
 * same values, with the ellipsoid set up once. With jobs > 1 and n of at
 * least GEO_DISTS_SHARE_MIN another thread computes the second half (the
 * caller's thread does it when that thread cannot start).
 */
#define GEO_DISTS_SHARE_MIN 4096
void geo_dists_km(double lat0, double lon0, const double *lat, const double *lon, size_t n, int jobs,
		  double *out);

/*
 * Points along the geodesic from (lat1,lon1) to (lat2,lon2): n >= 2 points
 * including both ends, written to lat[] and lon[] (lon in [-180, 180]).
 */
void geo_path(double lat1, double lon1, double lat2, double lon2, size_t n, double *lat, double *lon);

/* A map projection from geographic lon/lat degrees to metres. */
struct geo_proj;
/*
 * def is a PROJ string such as "+proj=eqearth +datum=WGS84". NULL on failure (message in err).
 * PROJ is first asked without its resource files (proj.db, grids), which
 * plain projections do not need; a definition that fails so is tried again
 * with PROJ's default search paths.
 */
struct geo_proj *geo_proj_new(const char *def, struct strbuf *err);
void geo_proj_free(struct geo_proj *p);
/* Project one point; returns 0 on success, -1 when it cannot be projected. */
int geo_proj_fwd(const struct geo_proj *p, double lon, double lat, double *x, double *y);

struct geo_ring {
	char cc[3];
	int part, ring;
	size_t n;
	double *lonlat;  /* n pairs: lon0, lat0, lon1, lat1, ... */
};

struct geo_outlines {
	struct geo_ring *rings;
	size_t nr, alloc;
};

void geo_outlines_init(struct geo_outlines *o);
/* Load an outline file (format above). Returns NR_EX_OK or an exit status with err. */
int geo_outlines_load(struct geo_outlines *o, const char *path, struct strbuf *err);
void geo_outlines_release(struct geo_outlines *o);
/*
 * Load a file of open lines in the same format (datasets/world/admin1-lines.tsv:
 * borders between admin-1 areas): each line needs 2 or more points and need
 * not be closed; RING is 0. Same returns as geo_outlines_load; o is released
 * by geo_outlines_release.
 */
int geo_lines_load(struct geo_outlines *o, const char *path, struct strbuf *err);
/*
 * geo_lines_load keeping only the lines whose CC is cc: the others are
 * skipped unparsed (the home map wants one country's borders of a file of
 * the whole world's), so an error in one of them goes unnoticed. A file
 * without a line of cc is an error ("no outlines"), as an empty one is.
 */
int geo_lines_load_cc(struct geo_outlines *o, const char *path, const char *cc, struct strbuf *err);
/*
 * Copy in's rings to out (appended; the caller inits and releases it),
 * cutting every ring that reaches the meridian cut_lon into its pieces west
 * and east of it (GEOSClipByRect), so that a map centred on cut_lon + 180
 * has no ring across its edge. Points on the cut are moved 1e-6 degrees
 * into their piece's side. Returns NR_EX_OK, or NR_EX_SOFTWARE with err
 * when GEOS fails.
 */
int geo_outlines_cut(const struct geo_outlines *in, double cut_lon, struct geo_outlines *out, struct strbuf *err);

/*
 * The point reached from (lat, lon) after dist_km along the geodesic that
 * starts with azimuth azi_deg (degrees clockwise from north). *lon2 is in
 * [-180, 180].
 */
void geo_direct(double lat, double lon, double azi_deg, double dist_km, double *lat2, double *lon2);

/*
 * Area in km² of the geodesic polygon with vertices (lat[i], lon[i]),
 * i < n (PROJ geod_polygonarea; the ring need not be closed). Always
 * positive, whatever the orientation.
 */
double geo_polygon_area_km2(const double *lat, const double *lon, size_t n);

/* Inverse projection: metres to lon/lat degrees; 0 on success, -1 when outside the projection's domain. */
int geo_proj_inv(const struct geo_proj *p, double x, double y, double *lon, double *lat);

/*
 * geo_index: which of n polygons, in the caller's order, covers a point.
 * Built over the caller's geometries in the caller's GEOS context h (it
 * neither copies nor frees them, so they must outlive the index); it owns
 * their prepared forms and an STRtree over them. Used for country outlines
 * and for user regions.
 */
struct geo_index;
/* NULL when GEOS cannot prepare geometry *bad. */
struct geo_index *geo_index_new(GEOSContextHandle_t h, GEOSGeometry *const *geom, size_t n, size_t *bad);
void geo_index_free(struct geo_index *ix);
/* The lowest i whose geometry covers (lon, lat) (boundary counts), or -1 (none, or not finite). */
long geo_index_locate(const struct geo_index *ix, double lat, double lon);
/* Set hit[i] for every geometry i that intersects g (hit has n entries). */
void geo_index_mark(const struct geo_index *ix, const GEOSGeometry *g, unsigned char *hit);

/*
 * Country point-in-polygon over a country outline file (countries-50m.tsv):
 * one GEOS MultiPolygon per run of rings with the same country code,
 * prepared, in an STRtree. The index owns its own GEOS context; nothing
 * is global. Rings with code "--" (disputed areas, unknown codes) are not
 * loaded.
 * The outlines are trusted to be valid OGC polygons and are not checked
 * when opened (the check costs more than the rest of the load): this is
 * for the shipped data, which tests/unit/test_geo.c checks with
 * geo_countries_check. Outlines from users (--regions) go through
 * regions.c, which validates and repairs them.
 */
struct geo_countries;
/* Load path. Returns NR_EX_OK, NR_EX_NOINPUT/NR_EX_DATAERR with "'path': ..." in err. */
int geo_countries_open(struct geo_countries **out, const char *path, struct strbuf *err);
void geo_countries_free(struct geo_countries *c);
/*
 * ISO alpha-2 code of the country containing (lat, lon) — boundary
 * points count as inside — or NULL when the point is in no country (sea,
 * or a "--" area). When outlines overlap, the first in file order wins.
 * The string is owned by c.
 */
const char *geo_countries_locate(const struct geo_countries *c, double lat, double lon);
/*
 * Check that every country's MultiPolygon is valid (GEOSisValid). Returns
 * NR_EX_OK, or NR_EX_DATAERR with "'path': 'CC': invalid outline: <GEOS
 * reason>" in err for the first invalid one. path only names the file.
 */
int geo_countries_check(const struct geo_countries *c, const char *path, struct strbuf *err);
/* Number of countries loaded. */
size_t geo_countries_count(const struct geo_countries *c);
/*
 * The outline file's rings as geo_outlines_load read them (every ring,
 * "--" ones included, in file order), so that a caller that also draws
 * them need not read the file again. Owned by c, valid until
 * geo_countries_free.
 */
const struct geo_outlines *geo_countries_outlines(const struct geo_countries *c);

/*
 * Footprint of a set of points (see stats.h for the meaning of each number):
 *  - union_km2: area of the union of geodesic disks of radius disk_km
 *    (at most 5,000) around each point, on the WGS84 ellipsoid, computed
 *    without polygons: on the authalic sphere (equal-area, so the area is
 *    kept) each disk becomes a cap of the disk's area, the union of the
 *    caps is measured exactly from the arcs of its boundary, and the
 *    first-order effect of the map's distortion of the disks' shapes
 *    (ellipses up to 0.2% longer east-west than north-south) is added in
 *    closed form (geo.c gives the method; the error is ~1e-6,
 *    doc/summary-schema.md states the bound). Repeated points count once;
 *    the antimeridian and the poles need no special case.
 *  - hull_km2: area of the convex hull of the points projected to Equal
 *    Earth (0 for fewer than three non-collinear points). Note that this
 *    hull is convex on the map, not on the globe.
 *  - countries: number of distinct countries in c whose outlines intersect
 *    one of the disks (0 when c is NULL). Here a disk is a polygon of
 *    opts->vertices geodesic vertices (cut at the antimeridian, a polar cap
 *    around a pole), made (GEOS) only for a disk whose bounding box meets a
 *    country not yet marked.
 * GEOS work runs in c's context when c is given, else in a context made
 * for this call; with opts->jobs >= 2 and many points, half of the union's
 * arcs are measured in a second thread (the result does not depend on
 * jobs: the disks' shares are added in input order).
 */
#define GEO_DISK_VERTICES 16
#define GEO_DISK_VERTICES_MAX 256
struct geo_footprint {
	double union_km2;
	double hull_km2;
	size_t countries;
};
struct geo_footprint_opts {
	int vertices;   /* per disk polygon for countries, even, 8 to GEO_DISK_VERTICES_MAX; 0: GEO_DISK_VERTICES */
	int jobs;       /* threads to use: 1 or 2; 0: 1 */
};
/* opts NULL: the defaults. */
int geo_footprint_run(const double *lat, const double *lon, size_t n, double disk_km, const struct geo_countries *c,
		      const struct geo_footprint_opts *opts, struct geo_footprint *out, struct strbuf *err);
/* geo_footprint_run with the defaults. */
int geo_footprint_compute(const double *lat, const double *lon, size_t n, double disk_km,
			  const struct geo_countries *c, struct geo_footprint *out, struct strbuf *err);

#endif
