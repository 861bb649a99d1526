/* regions: user regions from GeoJSON (jansson), GEOS point-in-polygon. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <geos_c.h>
#include <jansson.h>

#include "regions.h"

#include "geo.h"
#include "text.h"
#include "banned.h"

/* Largest GeoJSON file read (the shipped ones are under 200 KiB). */
#define RG_MAX_BYTES (64u << 20)
/* Longest name or parser excerpt quoted in a message. */
#define RG_MSG_TEXT 200
/*
 * Bounds on the work a file may ask for. Repairing a polygon (GEOS
 * MakeValid) costs far more than linear time in its self-intersections (a
 * 500-vertex star polygon, ~60,000 of them, ran for minutes; 20,000
 * vertices reached 6.7 GB), so a region with more than RG_MAX_CROSSINGS is
 * refused rather than repaired, and so is one whose intersections cannot be
 * counted within RG_MAX_PAIR_TESTS segment pairs. With these a file loads
 * in about a second at most (100,000 vertices and 100 crossings: 0.7 s).
 */
#define RG_MAX_REGION_VERTICES 100000u
#define RG_MAX_VERTICES 1000000u
#define RG_MAX_CROSSINGS 100u
#define RG_MAX_PAIR_TESTS 20000000u

struct rg_msg {
	char text[256];
};

struct rg_set {
	GEOSContextHandle_t h;
	struct rg_msg *msg;
	size_t nr, alloc;
	char **names;
	GEOSGeometry **geom;
	struct geo_index *index;
	size_t repaired;
};

static void on_error(const char *message, void *userdata)
{
	struct rg_msg *m = userdata;
	snprintf(m->text, sizeof(m->text), "%s", message);
}

/* Input text for a one-line message: control characters as spaces, invalid UTF-8 as U+FFFD, cut. */
static const char *clean(struct strbuf *sb, const char *s)
{
	sb_reset(sb);
	txt_label(sb, s, strlen(s), RG_MSG_TEXT);
	return sb->buf;
}

struct capped_reader {
	FILE *f;
	size_t total;
	int too_big;
};

/* json_load_callback source: the file, at most RG_MAX_BYTES of it. */
static size_t read_capped(void *buf, size_t len, void *data)
{
	struct capped_reader *r = data;
	size_t n = fread(buf, 1, len, r->f);
	if (n == 0 && ferror(r->f))
		return (size_t)-1;
	r->total += n;
	if (r->total > RG_MAX_BYTES) {
		r->too_big = 1;
		return (size_t)-1;
	}
	return n;
}

static void on_notice(const char *message, void *userdata)
{
	(void)message;
	(void)userdata;
}

void rg_free(struct rg_set *set)
{
	if (!set)
		return;
	geo_index_free(set->index);
	for (size_t i = 0; i < set->nr; i++) {
		if (set->geom[i])
			GEOSGeom_destroy_r(set->h, set->geom[i]);
		free(set->names[i]);
	}
	free(set->geom);
	free(set->names);
	GEOS_finish_r(set->h);
	free(set->msg);
	free(set);
}

size_t rg_count(const struct rg_set *set)
{
	return set->nr;
}

const char *rg_name(const struct rg_set *set, size_t i)
{
	return set->names[i];
}

const char **rg_names(const struct rg_set *set)
{
	return (const char **)set->names;
}

size_t rg_repaired(const struct rg_set *set)
{
	return set->repaired;
}

/* A linear ring from a GeoJSON position array; NULL with *why on error. */
static GEOSGeometry *ring_from_json(struct rg_set *set, json_t *ring, const char **why)
{
	size_t n = json_is_array(ring) ? json_array_size(ring) : 0, m;
	double *xy;
	GEOSCoordSequence *cs;
	if (!json_is_array(ring)) {
		*why = "a ring is not an array of positions";
		return NULL;
	}
	xy = xcalloc(2 * (n + 1), sizeof(*xy));
	for (size_t i = 0; i < n; i++) {
		json_t *pos = json_array_get(ring, i);
		json_t *x = json_array_get(pos, 0), *y = json_array_get(pos, 1);
		if (!json_is_array(pos) || !json_is_number(x) || !json_is_number(y)) {
			*why = "a position is not [lon, lat]";
			free(xy);
			return NULL;
		}
		xy[2 * i] = json_number_value(x);
		xy[2 * i + 1] = json_number_value(y);
		if (!isfinite(xy[2 * i]) || !isfinite(xy[2 * i + 1]) || fabs(xy[2 * i]) > 180.0 ||
		    fabs(xy[2 * i + 1]) > 90.0) {
			*why = "a position is outside lon -180..180, lat -90..90";
			free(xy);
			return NULL;
		}
	}
	m = n;
	/* close an open ring */
	if (n > 0 && (xy[0] != xy[2 * n - 2] || xy[1] != xy[2 * n - 1])) {
		xy[2 * n] = xy[0];
		xy[2 * n + 1] = xy[1];
		m++;
	}
	if (m < 4) {
		*why = "a ring has fewer than 4 positions";
		free(xy);
		return NULL;
	}
	cs = GEOSCoordSeq_copyFromBuffer_r(set->h, xy, m, 0, 0);
	free(xy);
	if (!cs) {
		*why = set->msg->text;
		return NULL;
	}
	{
		GEOSGeometry *r = GEOSGeom_createLinearRing_r(set->h, cs);
		if (!r)
			*why = set->msg->text;
		return r;
	}
}

static GEOSGeometry *polygon_from_json(struct rg_set *set, json_t *rings, const char **why)
{
	size_t n = json_is_array(rings) ? json_array_size(rings) : 0;
	GEOSGeometry *shell, **holes, *poly;
	if (n == 0) {
		*why = "a polygon has no rings";
		return NULL;
	}
	shell = ring_from_json(set, json_array_get(rings, 0), why);
	if (!shell)
		return NULL;
	holes = xcalloc(n, sizeof(*holes));
	for (size_t i = 1; i < n; i++) {
		holes[i - 1] = ring_from_json(set, json_array_get(rings, i), why);
		if (!holes[i - 1]) {
			for (size_t j = 0; j + 1 < i; j++)
				GEOSGeom_destroy_r(set->h, holes[j]);
			GEOSGeom_destroy_r(set->h, shell);
			free(holes);
			return NULL;
		}
	}
	poly = GEOSGeom_createPolygon_r(set->h, shell, holes, (unsigned)(n - 1));
	free(holes);
	if (!poly)
		*why = set->msg->text;
	return poly;
}

static GEOSGeometry *geometry_from_json(struct rg_set *set, json_t *g, const char **why, const char **type_out)
{
	const char *type = json_string_value(json_object_get(g, "type"));
	json_t *coords = json_object_get(g, "coordinates");
	*type_out = type ? type : "null";
	if (!json_is_object(g) || !type) {
		*why = "no geometry";
		return NULL;
	}
	if (strcmp(type, "Polygon") == 0)
		return polygon_from_json(set, coords, why);
	if (strcmp(type, "MultiPolygon") == 0) {
		size_t n = json_is_array(coords) ? json_array_size(coords) : 0;
		GEOSGeometry **polys, *mp;
		if (n == 0) {
			*why = "a MultiPolygon has no polygons";
			return NULL;
		}
		polys = xcalloc(n, sizeof(*polys));
		for (size_t i = 0; i < n; i++) {
			polys[i] = polygon_from_json(set, json_array_get(coords, i), why);
			if (!polys[i]) {
				for (size_t j = 0; j < i; j++)
					GEOSGeom_destroy_r(set->h, polys[j]);
				free(polys);
				return NULL;
			}
		}
		mp = GEOSGeom_createCollection_r(set->h, GEOS_MULTIPOLYGON, polys, (unsigned)n);
		free(polys);
		if (!mp)
			*why = set->msg->text;
		return mp;
	}
	*why = NULL; /* wrong type */
	return NULL;
}

/* Positions of a Polygon or MultiPolygon's rings as given (before any checks); 0 for anything else. */
static size_t count_positions(json_t *g)
{
	const char *type = json_string_value(json_object_get(g, "type"));
	json_t *coords = json_object_get(g, "coordinates");
	size_t n = 0, np;
	int multi;
	if (!type || !json_is_array(coords))
		return 0;
	multi = !strcmp(type, "MultiPolygon");
	if (!multi && strcmp(type, "Polygon"))
		return 0;
	np = multi ? json_array_size(coords) : 1;
	for (size_t p = 0; p < np; p++) {
		json_t *rings = multi ? json_array_get(coords, p) : coords;
		for (size_t r = 0; r < json_array_size(rings); r++)
			n += json_array_size(json_array_get(rings, r));
	}
	return n;
}

struct rg_seg {
	double x0, y0, x1, y1;
	double minx, maxx, miny, maxy;
	size_t ring, idx, nring;  /* ring number, position in it, its segment count */
};

static void add_ring_segs(struct rg_set *set, const GEOSGeometry *ring, size_t rno, struct rg_seg **segs, size_t *nr,
			  size_t *alloc)
{
	const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(set->h, ring);
	unsigned int n = 0;
	double *xy;
	if (!cs || !GEOSCoordSeq_getSize_r(set->h, cs, &n) || n < 2)
		return;
	xy = xcalloc(2 * (size_t)n, sizeof(*xy));
	if (GEOSCoordSeq_copyToBuffer_r(set->h, cs, xy, 0, 0)) {
		ALLOC_GROW(*segs, *nr + n - 1, *alloc);
		for (unsigned int i = 0; i + 1 < n; i++) {
			struct rg_seg *s = &(*segs)[(*nr)++];
			s->x0 = xy[2 * i], s->y0 = xy[2 * i + 1];
			s->x1 = xy[2 * i + 2], s->y1 = xy[2 * i + 3];
			s->minx = fmin(s->x0, s->x1), s->maxx = fmax(s->x0, s->x1);
			s->miny = fmin(s->y0, s->y1), s->maxy = fmax(s->y0, s->y1);
			s->ring = rno, s->idx = i, s->nring = n - 1;
		}
	}
	free(xy);
}

static int cmp_seg(const void *a, const void *b)
{
	const struct rg_seg *x = a, *y = b;
	return x->minx < y->minx ? -1 : x->minx > y->minx;
}

static int orient(double ax, double ay, double bx, double by, double cx, double cy)
{
	double d = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
	return d > 0 ? 1 : d < 0 ? -1 : 0;
}

/* Collinear point c within the bounding box of segment s. */
static int on_seg(const struct rg_seg *s, double cx, double cy)
{
	return cx >= s->minx && cx <= s->maxx && cy >= s->miny && cy <= s->maxy;
}

/* Segments a and b share a point (crossing, touching or overlapping). */
static int segs_meet(const struct rg_seg *a, const struct rg_seg *b)
{
	int o1 = orient(a->x0, a->y0, a->x1, a->y1, b->x0, b->y0);
	int o2 = orient(a->x0, a->y0, a->x1, a->y1, b->x1, b->y1);
	int o3 = orient(b->x0, b->y0, b->x1, b->y1, a->x0, a->y0);
	int o4 = orient(b->x0, b->y0, b->x1, b->y1, a->x1, a->y1);
	if (o1 * o2 < 0 && o3 * o4 < 0)
		return 1;
	return (!o1 && on_seg(a, b->x0, b->y0)) || (!o2 && on_seg(a, b->x1, b->y1)) ||
	       (!o3 && on_seg(b, a->x0, a->y0)) || (!o4 && on_seg(b, a->x1, a->y1));
}

/*
 * The number of points where two non-adjacent segments of g's rings meet,
 * counted up to RG_MAX_CROSSINGS + 1; (size_t)-1 when that takes more than
 * RG_MAX_PAIR_TESTS segment pairs. A sweep over segments sorted by their
 * smallest x.
 */
static size_t count_crossings(struct rg_set *set, const GEOSGeometry *g)
{
	struct rg_seg *segs = NULL;
	size_t nr = 0, alloc = 0, rno = 0, found = 0, tests = 0;
	int np = GEOSGetNumGeometries_r(set->h, g);
	for (int p = 0; p < np; p++) {
		const GEOSGeometry *poly = GEOSGetGeometryN_r(set->h, g, p);
		int nh = GEOSGetNumInteriorRings_r(set->h, poly);
		add_ring_segs(set, GEOSGetExteriorRing_r(set->h, poly), rno++, &segs, &nr, &alloc);
		for (int i = 0; i < nh; i++)
			add_ring_segs(set, GEOSGetInteriorRingN_r(set->h, poly, i), rno++, &segs, &nr, &alloc);
	}
	if (nr)
		qsort(segs, nr, sizeof(*segs), cmp_seg);
	for (size_t i = 0; i < nr && found <= RG_MAX_CROSSINGS; i++) {
		const struct rg_seg *a = &segs[i];
		for (size_t j = i + 1; j < nr && segs[j].minx <= a->maxx; j++) {
			const struct rg_seg *b = &segs[j];
			if (++tests > RG_MAX_PAIR_TESTS) {
				free(segs);
				return (size_t)-1;
			}
			if (b->miny > a->maxy || b->maxy < a->miny)
				continue;
			if (a->ring == b->ring) {
				size_t d = a->idx > b->idx ? a->idx - b->idx : b->idx - a->idx;
				if (d == 1 || d == a->nring - 1)
					continue; /* neighbours share their end point */
			}
			if (segs_meet(a, b) && ++found > RG_MAX_CROSSINGS)
				break;
		}
	}
	free(segs);
	return found;
}

int rg_load(struct rg_set **out, const char *path, struct strbuf *notes, struct strbuf *err)
{
	json_error_t jerr;
	json_t *root = NULL, *features;
	struct rg_set *set;
	struct stat st;
	struct capped_reader rd = { NULL, 0, 0 };
	struct strbuf c1 = STRBUF_INIT, c2 = STRBUF_INIT;
	int rc = NR_EX_DATAERR;
	size_t nf, total = 0;

	*out = NULL;
	rd.f = fopen(path, "rb");
	if (!rd.f) {
		int e = errno;
		sb_addf(err, "'%s': cannot open: ", path);
		sb_addch(err, tolower((unsigned char)strerror(e)[0]));
		sb_adds(err, strerror(e) + 1);
		return e == EMFILE || e == ENFILE ? NR_EX_OSERR : NR_EX_NOINPUT;
	}
	if (fstat(fileno(rd.f), &st) == 0 && S_ISDIR(st.st_mode)) {
		fclose(rd.f);
		sb_addf(err, "'%s': is a directory", path);
		return NR_EX_NOINPUT;
	}
	root = json_load_callback(read_capped, &rd, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		int ioerr = !rd.too_big && ferror(rd.f);
		if (rd.too_big)
			sb_addf(err, "'%s': larger than %u MiB", path, RG_MAX_BYTES >> 20);
		else if (ioerr)
			sb_addf(err, "'%s': read error: %s", path, strerror(errno));
		else
			sb_addf(err, "'%s': not JSON: line %d column %d: %s", path, jerr.line, jerr.column,
				clean(&c1, jerr.text));
		fclose(rd.f);
		sb_release(&c1);
		return ioerr ? NR_EX_IOERR : NR_EX_DATAERR;
	}
	fclose(rd.f);
	if (!json_is_object(root) || !json_is_string(json_object_get(root, "type")) ||
	    strcmp(json_string_value(json_object_get(root, "type")), "FeatureCollection") != 0 ||
	    !json_is_array(json_object_get(root, "features"))) {
		sb_addf(err, "'%s': not a GeoJSON FeatureCollection", path);
		json_decref(root);
		return NR_EX_DATAERR;
	}
	features = json_object_get(root, "features");
	nf = json_array_size(features);
	if (nf == 0) {
		sb_addf(err, "'%s': no features", path);
		json_decref(root);
		return NR_EX_DATAERR;
	}

	set = xcalloc(1, sizeof(*set));
	set->msg = xcalloc(1, sizeof(*set->msg));
	set->h = GEOS_init_r();
	GEOSContext_setErrorMessageHandler_r(set->h, on_error, set->msg);
	GEOSContext_setNoticeMessageHandler_r(set->h, on_notice, set->msg);
	set->names = xcalloc(nf, sizeof(*set->names));
	set->geom = xcalloc(nf, sizeof(*set->geom));

	for (size_t i = 0; i < nf; i++) {
		json_t *feat = json_array_get(features, i);
		json_t *props = json_object_get(feat, "properties");
		const char *name = json_string_value(json_object_get(props, "name"));
		const char *why = NULL, *type = NULL;
		GEOSGeometry *g;
		if (!json_is_object(feat)) {
			sb_addf(err, "'%s': feature %zu is not an object", path, i + 1);
			goto fail;
		}
		if (!name || !*name) {
			sb_addf(err, "'%s': feature %zu has no \"name\" property", path, i + 1);
			goto fail;
		}
		for (size_t j = 0; j < i; j++)
			if (strcmp(set->names[j], name) == 0) {
				sb_addf(err, "'%s': two regions are named '%s'", path, clean(&c1, name));
				goto fail;
			}
		set->names[i] = xstrdup(name);
		set->nr = i + 1;
		set->msg->text[0] = '\0';
		{
			size_t nv = count_positions(json_object_get(feat, "geometry"));
			total += nv;
			if (nv > RG_MAX_REGION_VERTICES) {
				sb_addf(err, "'%s': region '%s': more than ", path, clean(&c1, name));
				sb_add_count(err, RG_MAX_REGION_VERTICES);
				sb_adds(err, " vertices");
				goto fail;
			}
			if (total > RG_MAX_VERTICES) {
				sb_addf(err, "'%s': more than ", path);
				sb_add_count(err, RG_MAX_VERTICES);
				sb_addf(err, " vertices in all (at region '%s')", clean(&c1, name));
				goto fail;
			}
		}
		g = geometry_from_json(set, json_object_get(feat, "geometry"), &why, &type);
		if (!g) {
			if (why)
				sb_addf(err, "'%s': region '%s': bad geometry: %s", path, clean(&c1, name),
					why[0] ? clean(&c2, why) : "unknown GEOS error");
			else
				sb_addf(err, "'%s': region '%s': geometry is a %s, not a Polygon or MultiPolygon", path,
					clean(&c1, name), clean(&c2, type));
			goto fail;
		}
		set->geom[i] = g;
		if (GEOSisValid_r(set->h, g) != 1) {
			char *reason = GEOSisValidReason_r(set->h, g);
			size_t crossings = count_crossings(set, g);
			GEOSGeometry *fixed;
			double area = 0;
			if (crossings > RG_MAX_CROSSINGS) {
				sb_addf(err, "'%s': region '%s': invalid polygon (%s) too complex to repair (", path,
					clean(&c1, name), clean(&c2, reason ? reason : "?"));
				if (crossings == (size_t)-1) {
					sb_adds(err, "more than ");
					sb_add_count(err, RG_MAX_PAIR_TESTS);
					sb_adds(err, " segment pairs to test)");
				} else {
					sb_addf(err, "crosses itself more than %u times)", RG_MAX_CROSSINGS);
				}
				if (reason)
					GEOSFree_r(set->h, reason);
				goto fail;
			}
			fixed = GEOSMakeValid_r(set->h, g);
			if (!fixed || GEOSArea_r(set->h, fixed, &area) != 1 || !(area > 0)) {
				sb_addf(err, "'%s': region '%s': invalid polygon (%s) that cannot be repaired", path,
					clean(&c1, name), clean(&c2, reason ? reason : "?"));
				if (reason)
					GEOSFree_r(set->h, reason);
				if (fixed)
					GEOSGeom_destroy_r(set->h, fixed);
				goto fail;
			}
			if (notes)
				sb_addf(notes, "'%s': region '%s': invalid polygon (%s), repaired\n", path,
					clean(&c1, name), clean(&c2, reason ? reason : "?"));
			if (reason)
				GEOSFree_r(set->h, reason);
			GEOSGeom_destroy_r(set->h, g);
			set->geom[i] = fixed;
			set->repaired++;
		}
	}
	{
		size_t bad = 0;
		set->index = geo_index_new(set->h, set->geom, set->nr, &bad);
		if (!set->index) {
			sb_addf(err, "'%s': region '%s': %s", path, clean(&c1, set->names[bad]),
				clean(&c2, set->msg->text));
			goto fail;
		}
	}
	json_decref(root);
	sb_release(&c1);
	sb_release(&c2);
	*out = set;
	return NR_EX_OK;
fail:
	json_decref(root);
	rg_free(set);
	sb_release(&c1);
	sb_release(&c2);
	return rc;
}

int rg_locate(const struct rg_set *set, double lat, double lon)
{
	return (int)geo_index_locate(set->index, lat, lon);
}
