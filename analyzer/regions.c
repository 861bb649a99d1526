/* regions: user regions from GeoJSON (jansson), GEOS point-in-polygon. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <geos_c.h>
#include <jansson.h>

#include "regions.h"
#include "banned.h"

struct rg_msg {
	char text[256];
};

struct rg_set {
	GEOSContextHandle_t h;
	struct rg_msg *msg;
	size_t nr, alloc;
	char **names;
	GEOSGeometry **geom;
	const GEOSPreparedGeometry **prep;
	GEOSSTRtree *tree;
	size_t repaired;
};

static void on_error(const char *message, void *userdata)
{
	struct rg_msg *m = userdata;
	snprintf(m->text, sizeof(m->text), "%s", message);
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
	if (set->tree)
		GEOSSTRtree_destroy_r(set->h, set->tree);
	for (size_t i = 0; i < set->nr; i++) {
		if (set->prep && set->prep[i])
			GEOSPreparedGeom_destroy_r(set->h, set->prep[i]);
		if (set->geom[i])
			GEOSGeom_destroy_r(set->h, set->geom[i]);
		free(set->names[i]);
	}
	free(set->prep);
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

int rg_load(struct rg_set **out, const char *path, struct strbuf *notes, struct strbuf *err)
{
	json_error_t jerr;
	json_t *root = NULL, *features;
	struct rg_set *set;
	struct stat st;
	FILE *f;
	int rc = NR_EX_DATAERR;
	size_t nf;

	*out = NULL;
	f = fopen(path, "rb");
	if (!f) {
		sb_addf(err, "'%s': %s", path, strerror(errno));
		return NR_EX_NOINPUT;
	}
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		fclose(f);
		sb_addf(err, "'%s': is a directory", path);
		return NR_EX_NOINPUT;
	}
	root = json_loadf(f, JSON_REJECT_DUPLICATES, &jerr);
	fclose(f);
	if (!root) {
		sb_addf(err, "'%s': not JSON: line %d column %d: %s", path, jerr.line, jerr.column, jerr.text);
		return NR_EX_DATAERR;
	}
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
	set->prep = xcalloc(nf, sizeof(*set->prep));

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
				sb_addf(err, "'%s': two regions are named '%s'", path, name);
				goto fail;
			}
		set->names[i] = xstrdup(name);
		set->nr = i + 1;
		set->msg->text[0] = '\0';
		g = geometry_from_json(set, json_object_get(feat, "geometry"), &why, &type);
		if (!g) {
			if (why)
				sb_addf(err, "'%s': region '%s': bad geometry: %s", path, name,
					why[0] ? why : "unknown GEOS error");
			else
				sb_addf(err, "'%s': region '%s': geometry is a %s, not a Polygon or MultiPolygon", path,
					name, type);
			goto fail;
		}
		set->geom[i] = g;
		if (GEOSisValid_r(set->h, g) != 1) {
			char *reason = GEOSisValidReason_r(set->h, g);
			GEOSGeometry *fixed = GEOSMakeValid_r(set->h, g);
			if (!fixed) {
				sb_addf(err, "'%s': region '%s': invalid polygon (%s) that cannot be repaired", path, name,
					reason ? reason : "?");
				if (reason)
					GEOSFree_r(set->h, reason);
				goto fail;
			}
			if (notes)
				sb_addf(notes, "'%s': region '%s': invalid polygon (%s), repaired\n", path, name,
					reason ? reason : "?");
			if (reason)
				GEOSFree_r(set->h, reason);
			GEOSGeom_destroy_r(set->h, g);
			set->geom[i] = fixed;
			set->repaired++;
		}
	}
	set->tree = GEOSSTRtree_create_r(set->h, 10);
	for (size_t i = 0; i < set->nr; i++) {
		set->prep[i] = GEOSPrepare_r(set->h, set->geom[i]);
		if (!set->prep[i]) {
			sb_addf(err, "'%s': region '%s': %s", path, set->names[i], set->msg->text);
			goto fail;
		}
		GEOSSTRtree_insert_r(set->h, set->tree, set->geom[i], (void *)(uintptr_t)(i + 1));
	}
	json_decref(root);
	*out = set;
	return NR_EX_OK;
fail:
	json_decref(root);
	rg_free(set);
	return rc;
}

struct best {
	const struct rg_set *set;
	const GEOSGeometry *pt;
	size_t best; /* index + 1, 0 = none */
};

static void visit(void *item, void *userdata)
{
	struct best *b = userdata;
	size_t i = (size_t)(uintptr_t)item - 1;
	if (b->best && i >= b->best - 1)
		return;
	if (GEOSPreparedCovers_r(b->set->h, b->set->prep[i], b->pt) == 1)
		b->best = i + 1;
}

int rg_locate(const struct rg_set *set, double lat, double lon)
{
	struct best b = { set, NULL, 0 };
	GEOSGeometry *pt;
	if (!isfinite(lat) || !isfinite(lon))
		return -1;
	pt = GEOSGeom_createPointFromXY_r(set->h, lon, lat);
	if (!pt)
		return -1;
	b.pt = pt;
	GEOSSTRtree_query_r(set->h, set->tree, pt, visit, &b);
	GEOSGeom_destroy_r(set->h, pt);
	return b.best ? (int)(b.best - 1) : -1;
}
