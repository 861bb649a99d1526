#ifndef GEO_H
#define GEO_H

/*
 * geo: geometry on the WGS84 ellipsoid and on maps, over PROJ and GEOS.
 *
 *  - geodesic distances and great-circle paths (PROJ geodesic.h);
 *  - map projections, e.g. Equal Earth, and equal-area areas (PROJ);
 *  - country and land outlines from datasets/world/*.tsv (Natural Earth via
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

#include "util.h"

#define GEO_EARTH_KM 6371.0088  /* mean radius, only for rough bounds; distances use the ellipsoid */

/* Geodesic distance in km between two points on WGS84. */
double geo_dist_km(double lat1, double lon1, double lat2, double lon2);

/*
 * Points along the geodesic from (lat1,lon1) to (lat2,lon2): n >= 2 points
 * including both ends, written to lat[] and lon[] (lon in [-180, 180]).
 */
void geo_path(double lat1, double lon1, double lat2, double lon2, size_t n, double *lat, double *lon);

/* A map projection from geographic lon/lat degrees to metres. */
struct geo_proj;
/* def is a PROJ string such as "+proj=eqearth +datum=WGS84". NULL on failure (message in err). */
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

#endif
