/* geo: geodesics (PROJ geodesic.h), projections (PROJ), outlines and GEOS helpers. */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <geodesic.h>
#include <geos_c.h>
#include <proj.h>

#include "geo.h"
#include "banned.h"

/* WGS84 */
#define WGS84_A 6378137.0
#define WGS84_F (1.0 / 298.257223563)

#define EQUAL_AREA_DEF "+proj=eqearth +datum=WGS84"

/* geo_dist_km on an initialised ellipsoid (geod_init is ~1400 instructions: once per batch, not per call). */
static double dist_km_g(const struct geod_geodesic *g, double lat1, double lon1, double lat2, double lon2)
{
	double s12;
	geod_inverse(g, lat1, lon1, lat2, lon2, &s12, NULL, NULL);
	return s12 / 1000.0;
}

double geo_dist_km(double lat1, double lon1, double lat2, double lon2)
{
	struct geod_geodesic g;
	geod_init(&g, WGS84_A, WGS84_F);
	return dist_km_g(&g, lat1, lon1, lat2, lon2);
}

/* A run of geo_dists_km: points [from, to). */
struct dists_job {
	double lat0, lon0;
	const double *lat, *lon;
	double *out;
	size_t from, to;
};

static void *dists_run(void *arg)
{
	const struct dists_job *j = arg;
	struct geod_geodesic g;
	geod_init(&g, WGS84_A, WGS84_F);
	for (size_t i = j->from; i < j->to; i++)
		j->out[i] = dist_km_g(&g, j->lat0, j->lon0, j->lat[i], j->lon[i]);
	return NULL;
}

void geo_dists_km(double lat0, double lon0, const double *lat, const double *lon, size_t n, int jobs,
		  double *out)
{
	struct dists_job first = { lat0, lon0, lat, lon, out, 0, n }, second;
	pthread_t tid;
	int shared = 0;
	if (jobs > 1 && n >= GEO_DISTS_SHARE_MIN) {
		second = first;
		second.from = first.to = n / 2;
		shared = pthread_create(&tid, NULL, dists_run, &second) == 0;
		if (!shared)
			first.to = n;
	}
	dists_run(&first);
	if (shared)
		pthread_join(tid, NULL);
}

static double norm_lon(double lon)
{
	double r = remainder(lon, 360.0);
	if (r == -180.0 && lon > 0)
		r = 180.0;
	return r;
}

void geo_path(double lat1, double lon1, double lat2, double lon2, size_t n, double *lat, double *lon)
{
	struct geod_geodesic g;
	struct geod_geodesicline l;
	if (n < 2)
		n = 2;
	geod_init(&g, WGS84_A, WGS84_F);
	/* what geod_position needs for latitude and longitude: nothing for azimuths, scales or areas */
	geod_inverseline(&l, &g, lat1, lon1, lat2, lon2, GEOD_LATITUDE | GEOD_LONGITUDE | GEOD_DISTANCE_IN);
	for (size_t i = 0; i < n; i++) {
		double s = l.s13 * (double)i / (double)(n - 1);
		geod_position(&l, s, &lat[i], &lon[i], NULL);
		lon[i] = norm_lon(lon[i]);
	}
	/* exact ends */
	lat[0] = lat1;
	lon[0] = norm_lon(lon1);
	lat[n - 1] = lat2;
	lon[n - 1] = norm_lon(lon2);
}

static void direct_g(const struct geod_geodesic *g, double lat, double lon, double azi_deg, double dist_km,
		     double *lat2, double *lon2)
{
	geod_direct(g, lat, lon, azi_deg, dist_km * 1000.0, lat2, lon2, NULL);
	*lon2 = norm_lon(*lon2);
}

void geo_direct(double lat, double lon, double azi_deg, double dist_km, double *lat2, double *lon2)
{
	struct geod_geodesic g;
	geod_init(&g, WGS84_A, WGS84_F);
	direct_g(&g, lat, lon, azi_deg, dist_km, lat2, lon2);
}

double geo_polygon_area_km2(const double *lat, const double *lon, size_t n)
{
	struct geod_geodesic g;
	struct geod_polygon p;
	double area = 0, perim = 0;
	geod_init(&g, WGS84_A, WGS84_F);
	geod_polygon_init(&p, 0);
	for (size_t i = 0; i < n; i++)
		geod_polygon_addpoint(&g, &p, lat[i], lon[i]);
	geod_polygon_compute(&g, &p, 0, 1, &area, &perim);
	return fabs(area) / 1e6;
}

/* ---- projections ---- */

struct geo_proj {
	PJ_CONTEXT *ctx;
	PJ *pj;
	int angular_in;   /* expects radians */
	int angular_out;  /* inverse gives radians */
};

static void proj_silent(void *data, int level, const char *message)
{
	(void)data;
	(void)level;
	(void)message;
}

/*
 * A PROJ context that looks for no resource files. proj_create opens
 * proj.db even for a "+proj=" string (PROJ 9: pj_obj_create asks for the
 * database to format the string back), which is ~30 M instructions of
 * SQLite schema parsing per process for nothing: plain projections on
 * WGS84 need no database and no grids. With a search path that cannot
 * hold proj.db ("/dev/null/proj.db" is never a file) PROJ logs "cannot
 * find proj.db" (to the silent logger) and goes on. nodb 0: PROJ's
 * defaults.
 */
static PJ_CONTEXT *proj_ctx(int nodb)
{
	static const char *const no_paths[] = { "/dev/null" };
	PJ_CONTEXT *ctx = proj_context_create();
	if (!ctx)
		return NULL;
	proj_log_level(ctx, PJ_LOG_NONE);
	proj_log_func(ctx, NULL, proj_silent);
	if (nodb) {
		proj_context_set_enable_network(ctx, 0);
		proj_context_set_search_paths(ctx, 1, no_paths);
	}
	return ctx;
}

struct geo_proj *geo_proj_new(const char *def, struct strbuf *err)
{
	struct geo_proj *p = xcalloc(1, sizeof(*p));
	p->ctx = proj_ctx(1);
	if (!p->ctx) {
		sb_addf(err, "'%s': cannot create a PROJ context", def);
		free(p);
		return NULL;
	}
	p->pj = proj_create(p->ctx, def);
	if (!p->pj) {
		/* a definition that needs the database (or a bad one): again with PROJ's defaults */
		proj_context_destroy(p->ctx);
		p->ctx = proj_ctx(0);
		if (!p->ctx) {
			sb_addf(err, "'%s': cannot create a PROJ context", def);
			free(p);
			return NULL;
		}
		p->pj = proj_create(p->ctx, def);
	}
	if (!p->pj) {
		int e = proj_context_errno(p->ctx);
		sb_addf(err, "'%s': not a usable projection: %s", def, proj_context_errno_string(p->ctx, e));
		proj_context_destroy(p->ctx);
		free(p);
		return NULL;
	}
	p->angular_in = proj_angular_input(p->pj, PJ_FWD) && !proj_degree_input(p->pj, PJ_FWD);
	p->angular_out = proj_angular_output(p->pj, PJ_INV) && !proj_degree_output(p->pj, PJ_INV);
	return p;
}

void geo_proj_free(struct geo_proj *p)
{
	if (!p)
		return;
	proj_destroy(p->pj);
	proj_context_destroy(p->ctx);
	free(p);
}

int geo_proj_fwd(const struct geo_proj *p, double lon, double lat, double *x, double *y)
{
	PJ_COORD in, c;
	if (!isfinite(lon) || !isfinite(lat) || fabs(lat) > 90.0)
		return -1;
	in = proj_coord(p->angular_in ? proj_torad(lon) : lon, p->angular_in ? proj_torad(lat) : lat, 0, 0);
	/*
	 * PROJ's error state is cleared only when it is found set (this is
	 * called ~160,000 times a run, proj_errno_reset cost a tenth of it):
	 * set after the call, it may have been left by an earlier one (the
	 * context's creation, geo_proj_inv), so the point is projected again
	 * from a clean state, as if it had been cleared before; a failure
	 * clears it before returning.
	 */
	c = proj_trans(p->pj, PJ_FWD, in);
	if (proj_errno(p->pj)) {
		proj_errno_reset(p->pj);
		c = proj_trans(p->pj, PJ_FWD, in);
		if (proj_errno(p->pj)) {
			proj_errno_reset(p->pj);
			return -1;
		}
	}
	if (!isfinite(c.xy.x) || !isfinite(c.xy.y) || c.xy.x == HUGE_VAL)
		return -1;
	*x = c.xy.x;
	*y = c.xy.y;
	return 0;
}

int geo_proj_inv(const struct geo_proj *p, double x, double y, double *lon, double *lat)
{
	PJ_COORD c = proj_coord(x, y, 0, 0);
	proj_errno_reset(p->pj);
	c = proj_trans(p->pj, PJ_INV, c);
	if (proj_errno(p->pj) || !isfinite(c.lp.lam) || !isfinite(c.lp.phi) || c.lp.lam == HUGE_VAL)
		return -1;
	*lon = p->angular_out ? proj_todeg(c.lp.lam) : c.lp.lam;
	*lat = p->angular_out ? proj_todeg(c.lp.phi) : c.lp.phi;
	return 0;
}

/* ---- outlines ---- */

void geo_outlines_init(struct geo_outlines *o)
{
	o->rings = NULL;
	o->nr = o->alloc = 0;
}

void geo_outlines_release(struct geo_outlines *o)
{
	for (size_t i = 0; i < o->nr; i++)
		free(o->rings[i].lonlat);
	free(o->rings);
	geo_outlines_init(o);
}

/* Parse one ring line into r; returns 0 or -1 (problem in *why). */
/*
 * strtod for the outline files' plain decimals ("-17.5060"): up to 15
 * digits are exact in the mantissa and 10^k (k <= 22) is exact, so one
 * division is correctly rounded, i.e. the same double as strtod (Clinger's
 * fast path). Anything else (exponents, more digits, "+", "inf") goes to
 * strtod. strtod was a third of loading the outlines.
 */
static double parse_decimal(const char *s, char **end)
{
	static const double pow10[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
					1e12, 1e13, 1e14, 1e15 };
	const unsigned char *p = (const unsigned char *)s, *first;
	uint64_t m = 0;  /* wraps harmlessly past 19 digits: those go to strtod */
	size_t digits, frac = 0;
	unsigned d;
	int neg = *p == '-';
	double v;
	p += neg;
	d = (unsigned)*p - '0';
	if (d > 9)
		return strtod(s, end);
	first = p;
	do {
		m = m * 10 + d;
		d = (unsigned)*++p - '0';
	} while (d <= 9);
	digits = (size_t)(p - first);
	if (*p == '.') {
		const unsigned char *f = ++p;
		for (d = (unsigned)*p - '0'; d <= 9; d = (unsigned)*++p - '0')
			m = m * 10 + d;
		frac = (size_t)(p - f);
		digits += frac;
	}
	if (digits > 15 || *p == 'e' || *p == 'E' || *p == 'x' || *p == 'X' || *p == '.')
		return strtod(s, end);
	v = (double)(int64_t)m / pow10[frac];  /* m < 10^15 < 2^53: exact */
	*end = (char *)(uintptr_t)p;
	return neg ? -v : v;
}

static int parse_ring(char *line, struct geo_ring *r, int closed, const char **why)
{
	char *f[4], *p = line, *end;
	size_t alloc = 0;
	for (int i = 0; i < 3; i++) {
		f[i] = p;
		p = strchr(p, '\t');
		if (!p) {
			*why = "expected 4 tab-separated fields";
			return -1;
		}
		*p++ = '\0';
	}
	f[3] = p;
	if (strlen(f[0]) != 2) {
		*why = "country code is not 2 characters";
		return -1;
	}
	memcpy(r->cc, f[0], 3);
	errno = 0;
	r->part = (int)strtol(f[1], &end, 10);
	if (*end || end == f[1] || r->part < 0) {
		*why = "bad part number";
		return -1;
	}
	r->ring = (int)strtol(f[2], &end, 10);
	if (*end || end == f[2] || r->ring < 0) {
		*why = "bad ring number";
		return -1;
	}
	r->n = 0;
	r->lonlat = NULL;
	p = f[3];
	while (*p) {
		double lo, la;
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		lo = parse_decimal(p, &end);
		if (end == p || *end != ',') {
			*why = "bad coordinate";
			goto fail;
		}
		p = end + 1;
		la = parse_decimal(p, &end);
		if (end == p || (*end && *end != ' ') || !isfinite(lo) || !isfinite(la) ||
		    fabs(lo) > 180.0 || fabs(la) > 90.0) {
			*why = "bad coordinate";
			goto fail;
		}
		p = end;
		ALLOC_GROW(r->lonlat, 2 * (r->n + 1), alloc);
		r->lonlat[2 * r->n] = lo;
		r->lonlat[2 * r->n + 1] = la;
		r->n++;
	}
	if (!closed && r->n < 2) {
		*why = "line of fewer than 2 points";
		goto fail;
	}
	if (closed && (r->n < 4 || r->lonlat[0] != r->lonlat[2 * r->n - 2] || r->lonlat[1] != r->lonlat[2 * r->n - 1])) {
		*why = "ring not closed or fewer than 4 points";
		goto fail;
	}
	return 0;
fail:
	free(r->lonlat);
	r->lonlat = NULL;
	return -1;
}

/* only_cc: keep only the lines whose CC field is only_cc, skipping the others unparsed (NULL: all). */
static int load_rings(struct geo_outlines *o, const char *path, int closed, const char *only_cc, struct strbuf *err)
{
	size_t cc_len = only_cc ? strlen(only_cc) : 0;
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	unsigned long lineno = 0;
	if (!f) {
		sb_addf(err, "'%s': %s", path, strerror(errno));
		return NR_EX_NOINPUT;
	}
	while ((len = getline(&line, &cap, f)) >= 0) {
		struct geo_ring r;
		const char *why = NULL;
		lineno++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len == 0 || line[0] == '#')
			continue;
		if (only_cc && (strncmp(line, only_cc, cc_len) || line[cc_len] != '\t'))
			continue;
		if (parse_ring(line, &r, closed, &why)) {
			sb_addf(err, "'%s': line %lu: %s", path, lineno, why);
			free(line);
			fclose(f);
			return NR_EX_DATAERR;
		}
		ALLOC_GROW(o->rings, o->nr + 1, o->alloc);
		o->rings[o->nr++] = r;
	}
	if (ferror(f)) {
		sb_addf(err, "'%s': read error", path);
		free(line);
		fclose(f);
		return NR_EX_IOERR;
	}
	free(line);
	fclose(f);
	if (o->nr == 0) {
		sb_addf(err, "'%s': no outlines", path);
		return NR_EX_DATAERR;
	}
	return NR_EX_OK;
}

int geo_outlines_load(struct geo_outlines *o, const char *path, struct strbuf *err)
{
	return load_rings(o, path, 1, NULL, err);
}

int geo_lines_load(struct geo_outlines *o, const char *path, struct strbuf *err)
{
	return load_rings(o, path, 0, NULL, err);
}

int geo_lines_load_cc(struct geo_outlines *o, const char *path, const char *cc, struct strbuf *err)
{
	return load_rings(o, path, 0, cc, err);
}

/* Append a copy of n lon/lat pairs as a ring like proto (cc, part, ring). */
static void push_ring(struct geo_outlines *o, const struct geo_ring *proto, const double *ll, size_t n)
{
	struct geo_ring *r;
	ALLOC_GROW(o->rings, o->nr + 1, o->alloc);
	r = &o->rings[o->nr++];
	*r = *proto;
	r->n = n;
	r->lonlat = xmalloc(2 * n * sizeof(*r->lonlat));
	memcpy(r->lonlat, ll, 2 * n * sizeof(*r->lonlat));
}

/*
 * The pieces of ring g west (side 0) or east (side 1) of the meridian cut,
 * by GEOSClipByRect, appended to out; points on the cut are moved 1e-6
 * degrees to the piece's side. Returns -1 when GEOS fails.
 */
static int cut_side(GEOSContextHandle_t h, const struct geo_ring *g, double cut, int side, struct geo_outlines *out)
{
	GEOSCoordSequence *cs = GEOSCoordSeq_copyFromBuffer_r(h, g->lonlat, (unsigned)g->n, 0, 0);
	GEOSGeometry *shell = cs ? GEOSGeom_createLinearRing_r(h, cs) : NULL, *poly, *clip;
	double *ll = NULL;
	size_t alloc = 0;
	int n, ok = 0;
	if (!shell)
		return -1;
	poly = GEOSGeom_createPolygon_r(h, shell, NULL, 0);
	if (!poly)
		return -1;
	clip = side ? GEOSClipByRect_r(h, poly, cut, -90.0, 180.0, 90.0) : GEOSClipByRect_r(h, poly, -180.0, -90.0, cut, 90.0);
	GEOSGeom_destroy_r(h, poly);
	if (!clip)
		return -1;
	n = GEOSGetNumGeometries_r(h, clip);
	for (int i = 0; i < n; i++) {
		const GEOSGeometry *part = GEOSGetGeometryN_r(h, clip, i), *ext;
		const GEOSCoordSequence *seq;
		unsigned size = 0;
		if (GEOSGeomTypeId_r(h, part) != GEOS_POLYGON || GEOSisEmpty_r(h, part))
			continue;
		ext = GEOSGetExteriorRing_r(h, part);
		seq = ext ? GEOSGeom_getCoordSeq_r(h, ext) : NULL;
		if (!seq || !GEOSCoordSeq_getSize_r(h, seq, &size) || size < 4)
			continue;
		ALLOC_GROW(ll, 2 * (size_t)size, alloc);
		if (!GEOSCoordSeq_copyToBuffer_r(h, seq, ll, 0, 0))
			goto out;
		for (unsigned k = 0; k < size; k++)
			if (ll[2 * k] == cut)
				ll[2 * k] = side ? cut + 1e-6 : cut - 1e-6;
		push_ring(out, g, ll, size);
	}
	ok = 1;
out:
	GEOSGeom_destroy_r(h, clip);
	free(ll);
	return ok ? 0 : -1;
}

int geo_outlines_cut(const struct geo_outlines *in, double cut_lon, struct geo_outlines *out, struct strbuf *err)
{
	GEOSContextHandle_t h = NULL;
	for (size_t i = 0; i < in->nr; i++) {
		const struct geo_ring *g = &in->rings[i];
		double lo0 = 180, lo1 = -180;
		for (size_t k = 0; k < g->n; k++) {
			lo0 = fmin(lo0, g->lonlat[2 * k]);
			lo1 = fmax(lo1, g->lonlat[2 * k]);
		}
		if (!(lo0 <= cut_lon && lo1 >= cut_lon)) {
			push_ring(out, g, g->lonlat, g->n);
			continue;
		}
		if (!h)
			h = GEOS_init_r();
		if (!h || cut_side(h, g, cut_lon, 0, out) || cut_side(h, g, cut_lon, 1, out)) {
			sb_addf(err, "'%s': cannot cut the outline at longitude %.4f", g->cc, cut_lon);
			if (h)
				GEOS_finish_r(h);
			return NR_EX_SOFTWARE;
		}
	}
	if (h)
		GEOS_finish_r(h);
	return NR_EX_OK;
}

/* ---- GEOS ---- */

struct geos_msg {
	char text[256];
};

static void geos_on_error(const char *message, void *userdata)
{
	struct geos_msg *m = userdata;
	if (!m->text[0])
		snprintf(m->text, sizeof(m->text), "%s", message);
}

static void geos_on_notice(const char *message, void *userdata)
{
	(void)message;
	(void)userdata;
}

struct geo_countries {
	GEOSContextHandle_t h;
	struct geos_msg *msg;   /* last GEOS error, written through the handler */
	size_t nr;
	char (*cc)[3];
	GEOSGeometry **geom;
	struct geo_index *index;
	struct geo_outlines outlines;  /* the file's rings, "--" ones too, lent by geo_countries_outlines */
};

struct geo_index {
	GEOSContextHandle_t h;
	size_t n;
	const GEOSPreparedGeometry **prep;
	GEOSSTRtree *tree;
};

struct geo_index *geo_index_new(GEOSContextHandle_t h, GEOSGeometry *const *geom, size_t n, size_t *bad)
{
	struct geo_index *ix = xcalloc(1, sizeof(*ix));
	ix->h = h;
	ix->prep = xcalloc(n ? n : 1, sizeof(*ix->prep));
	ix->tree = GEOSSTRtree_create_r(h, 10);
	for (size_t i = 0; i < n; i++) {
		ix->prep[i] = GEOSPrepare_r(h, geom[i]);
		if (!ix->prep[i] || !ix->tree) {
			*bad = i;
			geo_index_free(ix);
			return NULL;
		}
		ix->n = i + 1;
		/* item = index + 1 (never NULL) */
		GEOSSTRtree_insert_r(h, ix->tree, geom[i], (void *)(uintptr_t)(i + 1));
	}
	return ix;
}

void geo_index_free(struct geo_index *ix)
{
	if (!ix)
		return;
	if (ix->tree)
		GEOSSTRtree_destroy_r(ix->h, ix->tree);
	for (size_t i = 0; i < ix->n; i++)
		GEOSPreparedGeom_destroy_r(ix->h, ix->prep[i]);
	free(ix->prep);
	free(ix);
}

struct index_query {
	const struct geo_index *ix;
	const GEOSGeometry *pt;
	size_t best;  /* index + 1, 0 = none yet */
};

static void index_visit(void *item, void *userdata)
{
	struct index_query *q = userdata;
	size_t i = (size_t)(uintptr_t)item - 1;
	if (q->best && i >= q->best - 1)
		return; /* an earlier geometry already covers the point */
	if (GEOSPreparedCovers_r(q->ix->h, q->ix->prep[i], q->pt) == 1)
		q->best = i + 1;
}

long geo_index_locate(const struct geo_index *ix, double lat, double lon)
{
	struct index_query q = { ix, NULL, 0 };
	GEOSGeometry *pt;
	if (!isfinite(lat) || !isfinite(lon))
		return -1;
	pt = GEOSGeom_createPointFromXY_r(ix->h, lon, lat);
	if (!pt)
		return -1;
	q.pt = pt;
	GEOSSTRtree_query_r(ix->h, ix->tree, pt, index_visit, &q);
	GEOSGeom_destroy_r(ix->h, pt);
	return q.best ? (long)(q.best - 1) : -1;
}

struct hits {
	size_t *idx;
	size_t nr, alloc;
};

static void collect_hit(void *item, void *userdata)
{
	struct hits *h = userdata;
	ALLOC_GROW(h->idx, h->nr + 1, h->alloc);
	h->idx[h->nr++] = (size_t)(uintptr_t)item - 1;
}

void geo_index_mark(const struct geo_index *ix, const GEOSGeometry *g, unsigned char *hit)
{
	struct hits hits = { NULL, 0, 0 };
	int parts = GEOSGetNumGeometries_r(ix->h, g);
	for (int i = 0; i < parts; i++)
		GEOSSTRtree_query_r(ix->h, ix->tree, GEOSGetGeometryN_r(ix->h, g, i), collect_hit, &hits);
	for (size_t i = 0; i < hits.nr; i++) {
		size_t k = hits.idx[i];
		if (!hit[k] && GEOSPreparedIntersects_r(ix->h, ix->prep[k], g) == 1)
			hit[k] = 1;
	}
	free(hits.idx);
}

static GEOSGeometry *ring_geom(GEOSContextHandle_t h, const struct geo_ring *r)
{
	GEOSCoordSequence *cs = GEOSCoordSeq_copyFromBuffer_r(h, r->lonlat, r->n, 0, 0);
	if (!cs)
		return NULL;
	return GEOSGeom_createLinearRing_r(h, cs);
}

/* Polygon from rings[0..n): rings[0] exterior. NULL on failure. */
static GEOSGeometry *polygon_geom(GEOSContextHandle_t h, const struct geo_ring *rings, size_t n)
{
	GEOSGeometry *shell = ring_geom(h, &rings[0]);
	GEOSGeometry **holes = n > 1 ? xcalloc(n - 1, sizeof(*holes)) : NULL;
	GEOSGeometry *poly;
	if (!shell) {
		free(holes);
		return NULL;
	}
	for (size_t i = 1; i < n; i++) {
		holes[i - 1] = ring_geom(h, &rings[i]);
		if (!holes[i - 1]) {
			for (size_t j = 0; j + 1 < i; j++)
				GEOSGeom_destroy_r(h, holes[j]);
			GEOSGeom_destroy_r(h, shell);
			free(holes);
			return NULL;
		}
	}
	poly = GEOSGeom_createPolygon_r(h, shell, holes, (unsigned)(n - 1));
	free(holes);
	return poly;
}

static void countries_free_geoms(struct geo_countries *c)
{
	geo_index_free(c->index);
	for (size_t i = 0; i < c->nr; i++)
		if (c->geom && c->geom[i])
			GEOSGeom_destroy_r(c->h, c->geom[i]);
	free(c->geom);
	free(c->cc);
}

void geo_countries_free(struct geo_countries *c)
{
	if (!c)
		return;
	countries_free_geoms(c);
	geo_outlines_release(&c->outlines);
	GEOS_finish_r(c->h);
	free(c->msg);
	free(c);
}

int geo_countries_open(struct geo_countries **out, const char *path, struct strbuf *err)
{
	struct geo_outlines o;
	struct geo_countries *c;
	GEOSGeometry **polys = NULL;
	size_t npolys = 0, apolys = 0, alloc = 0;
	int rc;

	*out = NULL;
	geo_outlines_init(&o);
	rc = geo_outlines_load(&o, path, err);
	if (rc) {
		geo_outlines_release(&o);
		return rc;
	}
	c = xcalloc(1, sizeof(*c));
	c->msg = xcalloc(1, sizeof(*c->msg));
	c->h = GEOS_init_r();
	GEOSContext_setErrorMessageHandler_r(c->h, geos_on_error, c->msg);
	GEOSContext_setNoticeMessageHandler_r(c->h, geos_on_notice, c->msg);

	/* Group consecutive rings: polygon = (cc, part), country = run of the same cc. */
	for (size_t i = 0; i < o.nr;) {
		size_t j = i + 1;
		GEOSGeometry *poly;
		if (strcmp(o.rings[i].cc, "--") == 0) {
			i++;
			continue;
		}
		if (o.rings[i].ring != 0) {
			sb_addf(err, "'%s': ring %d of part %d of '%s' comes before its exterior ring",
				path, o.rings[i].ring, o.rings[i].part, o.rings[i].cc);
			rc = NR_EX_DATAERR;
			goto fail;
		}
		while (j < o.nr && o.rings[j].ring != 0 && o.rings[j].part == o.rings[i].part &&
		       strcmp(o.rings[j].cc, o.rings[i].cc) == 0)
			j++;
		poly = polygon_geom(c->h, &o.rings[i], j - i);
		if (!poly) {
			sb_addf(err, "'%s': '%s' part %d: %s", path, o.rings[i].cc, o.rings[i].part,
				c->msg->text[0] ? c->msg->text : "bad polygon");
			rc = NR_EX_DATAERR;
			goto fail;
		}
		ALLOC_GROW(polys, npolys + 1, apolys);
		polys[npolys++] = poly;
		/* end of this country's run: make its multipolygon */
		if (j >= o.nr || strcmp(o.rings[j].cc, o.rings[i].cc) != 0) {
			GEOSGeometry *mp = GEOSGeom_createCollection_r(c->h, GEOS_MULTIPOLYGON, polys, (unsigned)npolys);
			npolys = 0;
			if (!mp) {
				sb_addf(err, "'%s': '%s': %s", path, o.rings[i].cc, c->msg->text);
				rc = NR_EX_DATAERR;
				goto fail;
			}
			/*
			 * Not validated here: GEOSisValid on the shipped outlines was
			 * ~0.12 G instructions per run. geo_countries_check does it,
			 * and test_geo runs it on every shipped outline file.
			 */
			ALLOC_GROW(c->geom, c->nr + 1, alloc);
			c->cc = xrealloc(c->cc, alloc * sizeof(*c->cc));
			memcpy(c->cc[c->nr], o.rings[i].cc, 3);
			c->geom[c->nr++] = mp;
		}
		i = j;
	}
	if (c->nr == 0) {
		sb_addf(err, "'%s': no country outlines", path);
		rc = NR_EX_DATAERR;
		goto fail;
	}
	{
		size_t bad = 0;
		c->index = geo_index_new(c->h, c->geom, c->nr, &bad);
		if (!c->index) {
			sb_addf(err, "'%s': '%s': %s", path, c->cc[bad], c->msg->text);
			rc = NR_EX_DATAERR;
			goto fail;
		}
	}
	free(polys);
	c->outlines = o;  /* kept for geo_countries_outlines (the home map): the file is read once per run */
	*out = c;
	return NR_EX_OK;
fail:
	for (size_t k = 0; k < npolys; k++)
		GEOSGeom_destroy_r(c->h, polys[k]);
	free(polys);
	geo_outlines_release(&o);
	geo_countries_free(c);
	return rc;
}

int geo_countries_check(const struct geo_countries *c, const char *path, struct strbuf *err)
{
	for (size_t i = 0; i < c->nr; i++) {
		char *why;
		c->msg->text[0] = '\0';
		switch (GEOSisValid_r(c->h, c->geom[i])) {
		case 1:
			continue;
		case 0:
			why = GEOSisValidReason_r(c->h, c->geom[i]);
			sb_addf(err, "'%s': '%s': invalid outline: %s", path, c->cc[i], why ? why : "unknown reason");
			if (why)
				GEOSFree_r(c->h, why);
			return NR_EX_DATAERR;
		default:
			sb_addf(err, "'%s': '%s': cannot check outline: %s", path, c->cc[i],
				c->msg->text[0] ? c->msg->text : "GEOS error");
			return NR_EX_DATAERR;
		}
	}
	return NR_EX_OK;
}

size_t geo_countries_count(const struct geo_countries *c)
{
	return c->nr;
}

const struct geo_outlines *geo_countries_outlines(const struct geo_countries *c)
{
	return &c->outlines;
}

const char *geo_countries_locate(const struct geo_countries *c, double lat, double lon)
{
	long i;
	if (fabs(lat) > 90.0 || fabs(lon) > 180.0)
		return NULL;
	i = geo_index_locate(c->index, lat, lon);
	return i < 0 ? NULL : c->cc[i];
}

/* ---- footprint ---- */

static int shift_cb(double *x, double *y, void *userdata)
{
	(void)y;
	*x += *(const double *)userdata;
	return 1;
}

/*
 * The radius at which the vertices of a regular k-gon lie so that its area
 * is that of the circle of radius r: r sqrt(2 pi / (k sin(2 pi / k))).
 */
static double equal_area_radius(double r, int k)
{
	return r * sqrt(2.0 * M_PI / (k * sin(2.0 * M_PI / k)));
}

/*
 * Append the pieces (lon/lat polygons) of the disk around (lat, lon) to
 * *out: k vertices at vkm along geodesics every 360/k degrees of azimuth.
 */
static int disk_pieces(GEOSContextHandle_t h, const struct geod_geodesic *g, double lat, double lon, double km,
		       double vkm, int k, GEOSGeometry ***out, size_t *nr, size_t *alloc)
{
	double ring[2 * (GEO_DISK_VERTICES_MAX + 3)];
	double minx = 1e9, maxx = -1e9;
	size_t n = 0;
	double dn = dist_km_g(g, lat, lon, 90.0, lon), ds = dist_km_g(g, lat, lon, -90.0, lon);
	GEOSCoordSequence *cs;
	GEOSGeometry *poly, *shell;

	if (dn < km || ds < km) {
		/* polar cap: vertices sorted by longitude, closed through the pole */
		double pole = dn < km ? 90.0 : -90.0;
		double pts[GEO_DISK_VERTICES_MAX][2];
		for (int i = 0; i < k; i++)
			direct_g(g, lat, lon, 360.0 * i / k, vkm, &pts[i][1], &pts[i][0]);
		/* order by longitude: insertion sort, at most GEO_DISK_VERTICES_MAX items */
		for (int i = 1; i < k; i++)
			for (int j = i; j > 0 && pts[j][0] < pts[j - 1][0]; j--) {
				double t0 = pts[j][0], t1 = pts[j][1];
				pts[j][0] = pts[j - 1][0];
				pts[j][1] = pts[j - 1][1];
				pts[j - 1][0] = t0;
				pts[j - 1][1] = t1;
			}
		ring[n++] = -180.0;
		ring[n++] = pole;
		for (int i = 0; i < k; i++) {
			ring[n++] = pts[i][0];
			ring[n++] = pts[i][1];
		}
		ring[n++] = 180.0;
		ring[n++] = pole;
		ring[n++] = -180.0;
		ring[n++] = pole;
		n /= 2;
	} else {
		/*
		 * The disk is symmetric about its meridian (the geodesic at azimuth
		 * -a mirrors the one at a), so half of the vertices are computed
		 * and the others mirrored: k/2 + 1 geod_direct calls instead of k.
		 */
		for (int i = 0; i <= k / 2; i++) {
			double la, lo;
			direct_g(g, lat, lon, 360.0 * i / k, vkm, &la, &lo);
			lo = lon + remainder(lo - lon, 360.0); /* unwrapped around the centre */
			ring[2 * i] = lo;
			ring[2 * i + 1] = la;
			if (i > 0 && i < k - i) {
				ring[2 * (k - i)] = 2.0 * lon - lo;
				ring[2 * (k - i) + 1] = la;
			}
		}
		for (int i = 0; i < k; i++) {
			if (ring[2 * i] < minx)
				minx = ring[2 * i];
			if (ring[2 * i] > maxx)
				maxx = ring[2 * i];
		}
		ring[2 * k] = ring[0];
		ring[2 * k + 1] = ring[1];
		n = (size_t)k + 1;
	}
	cs = GEOSCoordSeq_copyFromBuffer_r(h, ring, n, 0, 0);
	if (!cs)
		return -1;
	shell = GEOSGeom_createLinearRing_r(h, cs);
	if (!shell)
		return -1;
	poly = GEOSGeom_createPolygon_r(h, shell, NULL, 0);
	if (!poly)
		return -1;
	if (minx >= -180.0 && maxx <= 180.0) {
		ALLOC_GROW(*out, *nr + 1, *alloc);
		(*out)[(*nr)++] = poly;
		return 0;
	}
	/* crosses the antimeridian: the parts of the unwrapped disk in [-180+s, 180+s], moved back by -s */
	for (int q = 0; q < 3; q++) {
		double s = (q - 1) * 360.0, dx = -s;
		GEOSGeometry *clip = GEOSClipByRect_r(h, poly, -180.0 + s, -90.0, 180.0 + s, 90.0);
		if (!clip) {
			GEOSGeom_destroy_r(h, poly);
			return -1;
		}
		double a = 0;
		if (GEOSisEmpty_r(h, clip) == 1 || GEOSArea_r(h, clip, &a) != 1 || !(a > 0)) {
			GEOSGeom_destroy_r(h, clip);
			continue;
		}
		if (s != 0.0) {
			GEOSGeometry *moved = GEOSGeom_transformXY_r(h, clip, shift_cb, &dx);
			GEOSGeom_destroy_r(h, clip);
			if (!moved) {
				GEOSGeom_destroy_r(h, poly);
				return -1;
			}
			clip = moved;
		}
		ALLOC_GROW(*out, *nr + 1, *alloc);
		(*out)[(*nr)++] = clip;
	}
	GEOSGeom_destroy_r(h, poly);
	return 0;
}

static void destroy_all(GEOSContextHandle_t h, GEOSGeometry **g, size_t n)
{
	for (size_t i = 0; i < n; i++)
		GEOSGeom_destroy_r(h, g[i]);
}

/* Set hit[k] for every country k whose outline intersects g. */
static void mark_countries(const struct geo_countries *c, const GEOSGeometry *g, unsigned char *hit)
{
	geo_index_mark(c->index, g, hit);
}

/* Distinct codes among the marked countries. */
static size_t count_marked(const struct geo_countries *c, const unsigned char *hit)
{
	size_t count = 0;
	for (size_t k = 0; k < c->nr; k++) {
		size_t j;
		if (!hit[k])
			continue;
		for (j = 0; j < k; j++)
			if (hit[j] && strcmp(c->cc[j], c->cc[k]) == 0)
				break;
		if (j == k)
			count++;
	}
	return count;
}

/*
 * The union's area, without polygons. The equal-area map of the ellipsoid
 * to the authalic sphere (geodetic latitude to authalic latitude, the same
 * longitude; PROJ's cylindrical equal-area projection gives it) keeps
 * areas, so the union's area on WGS84 is the area of its image on a sphere
 * of radius R_q (6371.0072 km). There a geodesic disk of radius r becomes
 * an oval with the area of a cap of angular radius r / R_q (to 1e-7: the
 * curvatures differ by under 1%, and that enters at r² K / 12) and, to
 * first order, the shape of an ellipse stretched east by
 * h = R_q cos(beta) / (N cos(phi)) and north by 1 / h (h - 1 <= 0.0011, at
 * the equator).
 *
 * The union of the caps is measured exactly through its boundary. A cap's
 * neighbours are the caps whose centres are less than 2 rho apart (a grid
 * of cubes of side 2 sin rho over the unit vectors finds them); each
 * covers an arc of its circle. Every arc A->B left uncovered adds the
 * signed area of the geodesic triangle (Q, A, B) for one point Q, plus the
 * area between the chord AB and the arc (its sector minus the triangle
 * (centre, A, B)): the sum over all arcs is the area of the union (modulo
 * 4 pi; Q is chosen far from every cap and from their antipodes, where the
 * triangles would be ill-conditioned). The ellipse's first-order effect
 * on the union is the integral over the uncovered arcs of the boundary's
 * displacement, rho (h - 1/h) / 2 cos 2t (t: angle from east), added in
 * closed form. What is left is of the second order (~1e-5 of the area;
 * test_footprint_geodesic measures it against geodesic polygons).
 */
#define FP_CEA_DEF "+proj=cea +datum=WGS84"
#define FP_MAX_KM 5000.0
#define FP_QCAND 64

struct fp_cap {
	double c[3], e[3], n[3];  /* centre on the unit authalic sphere, east and north there */
	double eps;               /* (h - 1/h) / 2: the image's east stretch */
	uint32_t ix, iy, iz;      /* grid cell */
};

/* A cap in the grid's order: cell, then centre, then index (so that equal centres are neighbours). */
struct fp_key {
	uint64_t key;
	double c[3];
	size_t i;
	int dup;   /* the same centre as the one before: left out */
};

struct fp_iv {
	double s, e;
};

struct fp_job {
	const struct fp_cap *cap;
	size_t n;
	const struct fp_key *keys;   /* the caps by (cell, index) */
	double rho, cosr, sinr, tanr, vers; /* vers = 1 - cos rho */
	uint32_t cells;              /* cells per axis */
	double q[3];
	double *area;                /* per cap, on the unit sphere */
	unsigned char *edge;         /* per cap: 1 when some of its circle is on the union's boundary */
	atomic_size_t *next;
};

static uint64_t cell_key(uint32_t x, uint32_t y, uint32_t z)
{
	return (uint64_t)x << 42 | (uint64_t)y << 21 | z;
}

static int cmp_key(const void *a, const void *b)
{
	const struct fp_key *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	for (int d = 0; d < 3; d++)
		if (x->c[d] != y->c[d])
			return x->c[d] < y->c[d] ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

static double dot3(const double *a, const double *b)
{
	return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

static void cross3(const double *a, const double *b, double *o)
{
	o[0] = a[1] * b[2] - a[2] * b[1];
	o[1] = a[2] * b[0] - a[0] * b[2];
	o[2] = a[0] * b[1] - a[1] * b[0];
}

/* Signed area of the geodesic triangle a, b, c on the unit sphere (positive counterclockwise seen from outside). */
static double tri_area(const double *a, const double *b, const double *c)
{
	double bc[3];
	cross3(b, c, bc);
	return 2.0 * atan2(dot3(a, bc), 1.0 + dot3(a, b) + dot3(b, c) + dot3(c, a));
}

/* The point of cap k's circle at angle t from east (counterclockwise). */
static void circle_point(const struct fp_job *j, const struct fp_cap *k, double t, double *p)
{
	double ct = cos(t) * j->sinr, st = sin(t) * j->sinr;
	for (int d = 0; d < 3; d++)
		p[d] = j->cosr * k->c[d] + ct * k->e[d] + st * k->n[d];
}

/* First index in keys[0..n) whose key is >= key. */
static size_t key_lower(const struct fp_key *keys, size_t n, uint64_t key)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (keys[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * key_lower(keys, n, key) when every key before from is below key (from:
 * the answer for a smaller key): galloping from there, a few steps when
 * the answer is near, as the next cell of a column of the grid is.
 */
static size_t key_lower_from(const struct fp_key *keys, size_t n, size_t from, uint64_t key)
{
	size_t lo = from, hi, step = 1;
	if (!from)
		return key_lower(keys, n, key);
	while (lo + step <= n && keys[lo + step - 1].key < key) {
		lo += step;
		step *= 2;
	}
	hi = lo + step <= n ? lo + step - 1 : n; /* keys[hi].key >= key, or hi == n */
	return lo + key_lower(keys + lo, hi - lo, key);
}

/* The terms of the uncovered arc of cap k's circle from angle t1 to t2 > t1. */
static double arc_term(const struct fp_job *j, const struct fp_cap *k, double t1, double t2)
{
	double a[3], b[3];
	circle_point(j, k, t1, a);
	circle_point(j, k, t2, b);
	return tri_area(j->q, a, b) + (t2 - t1) * j->vers - tri_area(k->c, a, b) +
	       k->eps * j->rho * j->sinr * (sin(2.0 * t2) - sin(2.0 * t1)) / 2.0;
}

/* Scratch of one thread: the arcs left uncovered, room to make the next list of them, and a cap's neighbours. */
struct fp_scratch {
	struct fp_iv *iv, *gap;
	size_t aiv, agap;
	size_t *near;                /* keys of the neighbours within reach */
	unsigned char *close;        /* per neighbour: 1 when nearer than about rho (it covers about 120 degrees or more) */
	size_t anear, aclose;
};

/*
 * Take [lo, hi] out of the sorted, disjoint gaps w->gap[0..*ngap) (the
 * result's ends are ends of the gaps or lo and hi, in whatever order the
 * intervals come).
 */
static void gaps_minus(struct fp_scratch *w, size_t *ngap, double lo, double hi)
{
	size_t m = 0;
	struct fp_iv *t;
	size_t ta;
	ALLOC_GROW(w->iv, *ngap + 1, w->aiv);
	for (size_t q = 0; q < *ngap; q++) {
		struct fp_iv g = w->gap[q];
		if (hi <= g.s || lo >= g.e) {
			w->iv[m++] = g;
			continue;
		}
		if (lo > g.s)
			w->iv[m++] = (struct fp_iv){ g.s, lo };
		if (hi < g.e)
			w->iv[m++] = (struct fp_iv){ hi, g.e };
	}
	/* the result becomes the gaps, the old gaps the scratch */
	t = w->gap;
	ta = w->agap;
	w->gap = w->iv;
	w->agap = w->aiv;
	w->iv = t;
	w->aiv = ta;
	*ngap = m;
}

/*
 * The share in the union's area of the cap at j->keys[p] (not a
 * duplicate): the terms of the arcs of its circle that no neighbour
 * covers. *edge = 1 when there is such an arc.
 *
 * The neighbours' arcs are taken out of the gaps nearest first (those
 * nearer than about rho, then the others): a cap inside the union is found to
 * be covered after fewer of them. The gaps left do not depend on the
 * order (their ends are ends of the arcs, compared, never computed), nor
 * does the answer for a cap that an equal centre before it covers.
 */
static double cap_share(const struct fp_job *j, size_t p, struct fp_scratch *w, unsigned char *edge)
{
	const struct fp_cap *k = &j->cap[j->keys[p].i];
	double reach2 = 4.0 * j->sinr * j->sinr, close2 = j->sinr * j->sinr, sum = 0;
	size_t ngap = 1, touched = 0, nnear = 0;

	for (int dx = -1; dx <= 1; dx++) {
		size_t from = 0; /* where the column's last cell began: the next one begins after it */
		for (int dy = -1; dy <= 1; dy++) {
			long x = (long)k->ix + dx, y = (long)k->iy + dy;
			uint64_t lo, hi;
			if (x < 0 || y < 0 || x >= (long)j->cells || y >= (long)j->cells)
				continue;
			lo = cell_key((uint32_t)x, (uint32_t)y, k->iz ? k->iz - 1 : 0);
			hi = cell_key((uint32_t)x, (uint32_t)y, k->iz + 1);
			from = key_lower_from(j->keys, j->n, from, lo);
			for (size_t q = from; q < j->n && j->keys[q].key <= hi; q++) {
				const double *oc = j->keys[q].c;
				double df[3], d2;
				if (q == p || j->keys[q].dup)
					continue;
				for (int d = 0; d < 3; d++)
					df[d] = oc[d] - k->c[d];
				d2 = dot3(df, df);
				if (d2 >= reach2)
					continue; /* the chord is 2 sin(d/2): d >= 2 rho */
				ALLOC_GROW(w->near, nnear + 1, w->anear);
				ALLOC_GROW(w->close, nnear + 1, w->aclose);
				w->close[nnear] = d2 < close2; /* 2 sin(d/2) < sin(rho): d below about rho */
				w->near[nnear++] = q;
			}
		}
	}

	ALLOC_GROW(w->gap, 1, w->agap);
	w->gap[0] = (struct fp_iv){ 0.0, 2.0 * M_PI };
	for (int pass = 1; pass >= 0; pass--)
		for (size_t m = 0; m < nnear; m++) {
			size_t q = w->near[m];
			const double *oc = j->keys[q].c;
			double cr[3], sd, cd, ca, a, th, s;
			if (w->close[m] != pass)
				continue;
			cross3(k->c, oc, cr);
			sd = sqrt(dot3(cr, cr));
			cd = dot3(k->c, oc);
			if (sd == 0) {
				/* centres equal but for the sign of a zero: the first covers the other */
				if (q < p)
					return 0;
				continue;
			}
			/* tan(d/2) / tan(rho) (d: the angle between the centres) is the cosine of half the arc o covers */
			ca = sd / (1.0 + cd) / j->tanr;
			if (!(ca < 1.0))
				continue;
			touched = 1;
			a = acos(ca);
			th = atan2(dot3(oc, k->n), dot3(oc, k->e));
			s = th - a;
			if (s < 0)
				s += 2.0 * M_PI;
			if (s + 2.0 * a > 2.0 * M_PI) {
				gaps_minus(w, &ngap, s, 2.0 * M_PI);
				gaps_minus(w, &ngap, 0.0, s + 2.0 * a - 2.0 * M_PI);
			} else {
				gaps_minus(w, &ngap, s, s + 2.0 * a);
			}
			if (!ngap)
				return 0; /* inside the union */
		}
	if (!touched) {
		*edge = 1;
		return 2.0 * M_PI * j->vers; /* a lone cap */
	}
	/* a gap that ends at 2 pi goes on into one that starts at 0 */
	if (ngap >= 2 && w->gap[0].s == 0 && w->gap[ngap - 1].e == 2.0 * M_PI) {
		w->gap[ngap - 1].e = w->gap[0].e + 2.0 * M_PI;
		w->gap[0].e = 0;
	}
	for (size_t q = 0; q < ngap; q++)
		if (w->gap[q].e > w->gap[q].s) {
			sum += arc_term(j, k, w->gap[q].s, w->gap[q].e);
			*edge = 1;
		}
	return sum;
}

static void *fp_job_run(void *arg)
{
	struct fp_job *j = arg;
	struct fp_scratch w = { NULL, NULL, 0, 0, NULL, NULL, 0, 0 };
	for (size_t b; (b = atomic_fetch_add(j->next, 256)) < j->n;)
		for (size_t p = b; p < j->n && p < b + 256; p++)
			if (!j->keys[p].dup)
				j->area[j->keys[p].i] = cap_share(j, p, &w, &j->edge[j->keys[p].i]);
	free(w.iv);
	free(w.gap);
	free(w.near);
	free(w.close);
	return NULL;
}

/*
 * The area of the union of geodesic disks of radius km around n points
 * (see above), in three steps: fp_union_begin sets the caps up,
 * fp_job_run(&u->job) measures them (on any number of threads at once,
 * each taking the next 256 caps), fp_union_end adds them up. u must not
 * move in between.
 */
struct fp_union {
	struct fp_job job;
	atomic_size_t next;
	double rq;                   /* the authalic radius, metres */
};

/* Set u up for the n points; 0, or -1 with err when PROJ fails (u then holds nothing). */
static int fp_union_begin(struct fp_union *u, const double *lat, const double *lon, size_t n, double km,
			  struct strbuf *err)
{
	struct geo_proj *cea = geo_proj_new(FP_CEA_DEF, err);
	struct fp_cap *cap;
	struct fp_key *keys;
	struct fp_job job;
	double yp, x, rq, cell, best = -1, e2 = WGS84_F * (2.0 - WGS84_F), rad = M_PI / 180.0;

	memset(u, 0, sizeof(*u));
	if (!cea)
		return -1;
	if (geo_proj_fwd(cea, 0.0, 90.0, &x, &yp) || !(yp > 0)) {
		sb_addf(err, "'%s': cannot project the pole", FP_CEA_DEF);
		geo_proj_free(cea);
		return -1;
	}
	rq = sqrt(WGS84_A * yp); /* metres */
	memset(&job, 0, sizeof(job));
	job.rho = km * 1000.0 / rq;
	job.cosr = cos(job.rho);
	job.sinr = sin(job.rho);
	job.tanr = tan(job.rho);
	job.vers = 2.0 * sin(job.rho / 2.0) * sin(job.rho / 2.0);
	cell = fmax(2.0 * job.sinr, 2.0 / 1e6);
	job.cells = (uint32_t)(2.0 / cell) + 1;
	cap = xcalloc(n, sizeof(*cap));
	keys = xcalloc(n, sizeof(*keys));
	for (size_t i = 0; i < n; i++) {
		struct fp_cap *k = &cap[i];
		double y, sb, cb, sl = sin(lon[i] * rad), cl = cos(lon[i] * rad), sp = sin(lat[i] * rad),
				  cp = cos(lat[i] * rad), h;
		if (geo_proj_fwd(cea, lon[i], lat[i], &x, &y)) {
			sb_addf(err, "'%s': cannot project (%g, %g)", FP_CEA_DEF, lat[i], lon[i]);
			free(cap);
			free(keys);
			geo_proj_free(cea);
			return -1;
		}
		sb = fmax(-1.0, fmin(1.0, y / yp));
		cb = sqrt((1.0 - sb) * (1.0 + sb));
		k->c[0] = cb * cl;
		k->c[1] = cb * sl;
		k->c[2] = sb;
		k->e[0] = -sl;
		k->e[1] = cl;
		k->e[2] = 0;
		k->n[0] = -sb * cl;
		k->n[1] = -sb * sl;
		k->n[2] = cb;
		/* h = R_q cos(beta) / (N cos(phi)); isotropic at the poles */
		h = cp > 1e-9 ? rq * cb * sqrt(1.0 - e2 * sp * sp) / (WGS84_A * cp) : 1.0;
		k->eps = (h - 1.0 / h) / 2.0;
		k->ix = (uint32_t)fmin(job.cells - 1, floor((k->c[0] + 1.0) / cell));
		k->iy = (uint32_t)fmin(job.cells - 1, floor((k->c[1] + 1.0) / cell));
		k->iz = (uint32_t)fmin(job.cells - 1, floor((k->c[2] + 1.0) / cell));
		keys[i].key = cell_key(k->ix, k->iy, k->iz);
		memcpy(keys[i].c, k->c, sizeof(k->c));
		keys[i].i = i;
	}
	geo_proj_free(cea);
	qsort(keys, n, sizeof(*keys), cmp_key);
	for (size_t p = 1; p < n; p++)
		keys[p].dup = keys[p].c[0] == keys[p - 1].c[0] && keys[p].c[1] == keys[p - 1].c[1] &&
			      keys[p].c[2] == keys[p - 1].c[2];

	/* Q: of FP_QCAND directions spread over the sphere, the one farthest from every centre and antipode */
	for (int c = 0; c < FP_QCAND; c++) {
		double z = 1.0 - (2.0 * c + 1.0) / FP_QCAND, r = sqrt(1.0 - z * z), a = c * M_PI * (3.0 - sqrt(5.0));
		double q[3] = { r * cos(a), r * sin(a), z }, worst = 2;
		for (size_t i = 0; i < n && worst > best; i++) {
			double m = 1.0 - fabs(dot3(q, cap[i].c));
			if (m < worst)
				worst = m;
		}
		if (worst > best) {
			best = worst;
			memcpy(job.q, q, sizeof(q));
		}
	}

	job.cap = cap;
	job.n = n;
	job.keys = keys;
	job.area = xcalloc(n, sizeof(*job.area));
	job.edge = xcalloc(n, 1);
	u->job = job;
	u->rq = rq;
	atomic_init(&u->next, 0);
	u->job.next = &u->next;
	return 0;
}

/* The union's area in km² once every cap is measured; frees what u holds. */
static double fp_union_end(struct fp_union *u)
{
	double total = 0;
	size_t edges = 0;
	/* added in cap order, whichever thread measured them */
	for (size_t i = 0; i < u->job.n; i++) {
		total += u->job.area[i];
		edges += u->job.edge[i];
	}
	/* the terms add up to the area modulo 4 pi; no boundary at all: the whole sphere */
	if (!edges)
		total = 4.0 * M_PI;
	else if (total < 0)
		total += 4.0 * M_PI;
	else if (total > 4.0 * M_PI)
		total -= 4.0 * M_PI;
	free(u->job.area);
	free(u->job.edge);
	free((void *)u->job.keys);
	free((void *)u->job.cap);
	return total * u->rq * u->rq / 1e6;
}

/* Envelope of a geometry: x0, y0, x1, y1. */
struct fp_env {
	double x0, y0, x1, y1;
};

static int lon_overlap(const struct fp_env *e, double lo, double hi)
{
	if (lo < -180.0 && e->x1 >= lo + 360.0)
		return 1;
	if (hi > 180.0 && e->x0 <= hi - 360.0)
		return 1;
	return e->x1 >= lo && e->x0 <= hi;
}

/* Whether the box [la0, la1] x [lo, hi] (lo < -180 or hi > 180 when it wraps) meets envelope e. */
static int box_meets(const struct fp_env *e, double la0, double la1, double lo, double hi)
{
	return e->y1 >= la0 && e->y0 <= la1 && lon_overlap(e, lo, hi);
}

/*
 * footprint.countries: the distinct codes of the countries whose outlines
 * meet one of the disks (k-gons, as disk_pieces draws them). A disk whose
 * bounding box (a conservative one: a degree of latitude is at least
 * 110.57 km, one of longitude at least 111.32 km x cos(latitude)) meets
 * the envelope of no polygon of a country still unmarked cannot mark a new
 * one, so its polygon is not even made: once the countries around a
 * cluster are marked, its disks cost a few comparisons each. The
 * envelopes of a country's polygons are looked at only when the disk meets
 * the country's: a country of islands strewn along the antimeridian (Fiji,
 * Kiribati) has an envelope around the globe, which most disks in its
 * band of latitude meet, and none of its islands'.
 */
static int fp_countries(const struct geo_countries *c, const struct geod_geodesic *g, const double *lat,
			const double *lon, size_t n, double km, int k, size_t *out)
{
	GEOSContextHandle_t h = c->h;
	struct fp_env *env = xcalloc(c->nr + 1, sizeof(*env));
	size_t *open = xcalloc(c->nr + 1, sizeof(*open)), nopen = 0, npieces = 0, apieces = 0;
	unsigned char *hit = xcalloc(c->nr + 1, 1);
	size_t *first = xcalloc(c->nr + 1, sizeof(*first)), nparts = 0, aparts = 0; /* country q's parts: first[q] .. first[q + 1] */
	struct fp_env *part = NULL;
	GEOSGeometry **pieces = NULL;
	double vkm = equal_area_radius(km, k);
	double dlat = vkm / 6335.439 * 180.0 / M_PI * 1.001; /* the meridian's smallest radius of curvature */
	int rc = 0;

	for (size_t q = 0; q < c->nr; q++) {
		int np;
		if (!GEOSGeom_getXMin_r(h, c->geom[q], &env[q].x0) || !GEOSGeom_getXMax_r(h, c->geom[q], &env[q].x1) ||
		    !GEOSGeom_getYMin_r(h, c->geom[q], &env[q].y0) || !GEOSGeom_getYMax_r(h, c->geom[q], &env[q].y1)) {
			rc = -1;
			goto done;
		}
		open[nopen++] = q;
		np = GEOSGetNumGeometries_r(h, c->geom[q]);
		if (np < 0) {
			rc = -1;
			goto done;
		}
		for (int i = 0; i < np; i++) {
			const GEOSGeometry *pg = GEOSGetGeometryN_r(h, c->geom[q], i);
			struct fp_env *e;
			ALLOC_GROW(part, nparts + 1, aparts);
			e = &part[nparts++];
			if (!pg || !GEOSGeom_getXMin_r(h, pg, &e->x0) || !GEOSGeom_getXMax_r(h, pg, &e->x1) ||
			    !GEOSGeom_getYMin_r(h, pg, &e->y0) || !GEOSGeom_getYMax_r(h, pg, &e->y1)) {
				rc = -1;
				goto done;
			}
		}
		first[q + 1] = nparts;
	}
	for (size_t i = 0; i < n && nopen; i++) {
		double la0 = lat[i] - dlat, la1 = lat[i] + dlat, lo = -180.0, hi = 180.0, far;
		int need = 0;
		far = fmax(fabs(la0), fabs(la1));
		if (far < 89.0) {
			/* N >= a: a parallel's radius is at least a cos(latitude) */
			double dlon = vkm / (WGS84_A / 1000.0 * cos(far * M_PI / 180.0)) * 180.0 / M_PI * 1.001;
			if (dlon < 180.0) {
				lo = lon[i] - dlon;
				hi = lon[i] + dlon;
			}
		}
		for (size_t q = 0; q < nopen && !need; q++) {
			if (!box_meets(&env[open[q]], la0, la1, lo, hi))
				continue;
			for (size_t p = first[open[q]]; p < first[open[q] + 1] && !need; p++)
				need = box_meets(&part[p], la0, la1, lo, hi);
		}
		if (!need)
			continue;
		npieces = 0;
		if (disk_pieces(h, g, lat[i], lon[i], km, vkm, k, &pieces, &npieces, &apieces)) {
			rc = -1;
			goto done;
		}
		for (size_t q = 0; q < npieces; q++) {
			mark_countries(c, pieces[q], hit);
			GEOSGeom_destroy_r(h, pieces[q]);
		}
		npieces = 0;
		/* keep the unmarked ones */
		{
			size_t m = 0;
			for (size_t q = 0; q < nopen; q++)
				if (!hit[open[q]])
					open[m++] = open[q];
			nopen = m;
		}
	}
	*out = count_marked(c, hit);
done:
	destroy_all(h, pieces, npieces);
	free(pieces);
	free(env);
	free(open);
	free(hit);
	free(first);
	free(part);
	return rc;
}

int geo_footprint_run(const double *lat, const double *lon, size_t n, double disk_km, const struct geo_countries *c,
		      const struct geo_footprint_opts *o, struct geo_footprint *out, struct strbuf *err)
{
	struct geos_msg own = { { 0 } };
	struct geos_msg *msg = c ? c->msg : &own;
	struct geod_geodesic geod;
	GEOSContextHandle_t h = NULL;
	struct geo_proj *p = NULL;
	GEOSGeometry *pts = NULL, *hull = NULL;
	struct fp_union u;
	pthread_t tid;
	int k = o && o->vertices ? o->vertices : GEO_DISK_VERTICES, jobs = o && o->jobs > 1 ? 2 : 1;
	int rc = NR_EX_OK, have_union = 0, started = 0;

	out->union_km2 = out->hull_km2 = 0;
	out->countries = 0;
	if (n == 0)
		return NR_EX_OK;
	if (k < 8 || k > GEO_DISK_VERTICES_MAX || k % 2) {
		sb_addf(err, "footprint: %d vertices per disk: not an even number from 8 to %d", k,
			GEO_DISK_VERTICES_MAX);
		return NR_EX_SOFTWARE;
	}
	if (!(disk_km <= FP_MAX_KM)) {
		sb_addf(err, "footprint: disks of %g km: more than %g km", disk_km, FP_MAX_KM);
		return NR_EX_SOFTWARE;
	}
	for (size_t i = 0; i < n; i++)
		if (!isfinite(lat[i]) || !isfinite(lon[i]) || fabs(lat[i]) > 90.0 || fabs(lon[i]) > 180.0) {
			sb_addf(err, "footprint: point %zu (%g, %g) is not a valid coordinate", i, lat[i], lon[i]);
			return NR_EX_SOFTWARE;
		}
	/*
	 * With two jobs a second thread measures the union's caps while this
	 * one finds the countries and the hull, then helps with the caps left.
	 */
	if (disk_km > 0) {
		if (fp_union_begin(&u, lat, lon, n, disk_km, err))
			return NR_EX_SOFTWARE;
		have_union = 1;
		started = jobs > 1 && n >= 2048 && pthread_create(&tid, NULL, fp_job_run, &u.job) == 0;
	}
	p = geo_proj_new(EQUAL_AREA_DEF, err);
	if (!p) {
		rc = NR_EX_SOFTWARE;
		goto done;
	}
	if (c) {
		h = c->h;
	} else {
		h = GEOS_init_r();
		GEOSContext_setErrorMessageHandler_r(h, geos_on_error, &own);
		GEOSContext_setNoticeMessageHandler_r(h, geos_on_notice, &own);
	}
	msg->text[0] = '\0';
	if (c && disk_km > 0) {
		geod_init(&geod, WGS84_A, WGS84_F);
		if (fp_countries(c, &geod, lat, lon, n, disk_km, k, &out->countries))
			goto geos_fail;
	}

	/*
	 * convex hull in the projection, of the points as one LineString (2 or
	 * more) or MultiPoint (0 or 1): GEOS takes the hull of the coordinates
	 * in either, in their order, and the line is one coordinate sequence
	 * instead of a geometry per point
	 */
	{
		double *xy = xmalloc(2 * n * sizeof(*xy));
		size_t np = 0;
		for (size_t i = 0; i < n; i++)
			if (!geo_proj_fwd(p, lon[i], lat[i], &xy[2 * np], &xy[2 * np + 1]))
				np++;
		if (np >= 2) {
			GEOSCoordSequence *cs = GEOSCoordSeq_copyFromBuffer_r(h, xy, (unsigned)np, 0, 0);
			pts = cs ? GEOSGeom_createLineString_r(h, cs) : NULL;
		} else {
			GEOSGeometry *pg[1];
			pg[0] = np ? GEOSGeom_createPointFromXY_r(h, xy[0], xy[1]) : NULL;
			pts = !np || pg[0] ? GEOSGeom_createCollection_r(h, GEOS_MULTIPOINT, pg, (unsigned)np) : NULL;
			if (!pts && np && pg[0])
				GEOSGeom_destroy_r(h, pg[0]);
		}
		free(xy);
		if (!pts)
			goto geos_fail;
		hull = GEOSConvexHull_r(h, pts);
		if (!hull || GEOSArea_r(h, hull, &out->hull_km2) != 1)
			goto geos_fail;
		out->hull_km2 /= 1e6;
	}
	goto done;

geos_fail:
	sb_addf(err, "footprint: GEOS failed: %s", msg->text[0] ? msg->text : "unknown error");
	rc = NR_EX_SOFTWARE;
done:
	if (have_union) {
		fp_job_run(&u.job); /* the caps not taken yet (all of them on one thread) */
		if (started)
			pthread_join(tid, NULL);
		out->union_km2 = fp_union_end(&u);
		if (rc)
			out->union_km2 = 0;
	}
	if (pts)
		GEOSGeom_destroy_r(h, pts);
	if (hull)
		GEOSGeom_destroy_r(h, hull);
	if (h && !c)
		GEOS_finish_r(h);
	geo_proj_free(p);
	return rc;
}

int geo_footprint_compute(const double *lat, const double *lon, size_t n, double disk_km,
			  const struct geo_countries *c, struct geo_footprint *out, struct strbuf *err)
{
	return geo_footprint_run(lat, lon, n, disk_km, c, NULL, out, err);
}
