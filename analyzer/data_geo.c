/*
 * data: the outlines of a command's data directory (see data.h). Apart
 * from data.c so that a binary that only geocodes links without GEOS.
 */
#include "data.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "geo.h"

#include "banned.h"

static void release_geo(struct nr_data *d)
{
	geo_countries_free(d->countries);
	d->countries = NULL;
	if (d->world)
		geo_outlines_release(d->world);
	free(d->world);
	d->world = NULL;
	if (d->home)
		geo_outlines_release(d->home);
	free(d->home);
	d->home = NULL;
	if (d->lakes)
		geo_outlines_release(d->lakes);
	free(d->lakes);
	d->lakes = NULL;
	d->no_lakes = 0;
}

static void path_of(struct strbuf *path, const struct nr_data *d, const char *name)
{
	sb_reset(path);
	sb_addf(path, "%s/world/%s", d->dir, name);
}

int nd_countries(struct nr_data *d, struct geo_countries **out, struct strbuf *err)
{
	if (!d->countries) {
		struct strbuf path = STRBUF_INIT;
		int rc;
		path_of(&path, d, "countries-50m.tsv");
		rc = geo_countries_open(&d->countries, path.buf, err);
		sb_release(&path);
		if (rc) {
			d->countries = NULL;
			return rc;
		}
		d->release_geo = release_geo;
	}
	*out = d->countries;
	return NR_EX_OK;
}

/* Load into *slot the first of names[] that exists under DIR/world (NR_EX_NOINPUT naming `missing` when none). */
static int load_first(struct nr_data *d, struct geo_outlines **slot, const char *const *names, size_t n,
		      const char *missing, struct strbuf *err)
{
	struct strbuf path = STRBUF_INIT;
	int st = NR_EX_NOINPUT;
	for (size_t i = 0; i < n; i++) {
		struct stat sst;
		path_of(&path, d, names[i]);
		if (stat(path.buf, &sst))
			continue;
		*slot = xmalloc(sizeof(**slot));
		geo_outlines_init(*slot);
		d->release_geo = release_geo;
		st = geo_outlines_load(*slot, path.buf, err);
		if (st) {
			geo_outlines_release(*slot);
			free(*slot);
			*slot = NULL;
		}
		break;
	}
	if (st == NR_EX_NOINPUT && !err->len)
		sb_addf(err, "'%s/world/%s': no map outlines (reinstall netreach's data)", d->dir, missing);
	sb_release(&path);
	return st;
}

int nd_world_outlines(struct nr_data *d, const struct geo_outlines **out, struct strbuf *err)
{
	static const char *const names[] = { "countries-110m.tsv", "countries-50m.tsv" };
	if (!d->world) {
		int st = load_first(d, &d->world, names, ARRAY_SIZE(names), names[0], err);
		if (st)
			return st;
	}
	*out = d->world;
	return NR_EX_OK;
}

int nd_home_outlines(struct nr_data *d, const struct geo_outlines **out, struct strbuf *err)
{
	static const char *const names[] = { "countries-110m.tsv" };
	struct strbuf path = STRBUF_INIT;
	struct stat sst;
	int have_50m;
	if (d->countries) {
		*out = geo_countries_outlines(d->countries);
		return NR_EX_OK;
	}
	path_of(&path, d, "countries-50m.tsv");
	have_50m = stat(path.buf, &sst) == 0;
	sb_release(&path);
	if (have_50m) {
		struct geo_countries *c;
		int st = nd_countries(d, &c, err);
		if (!st)
			*out = geo_countries_outlines(c);
		return st;
	}
	if (!d->home) {
		int st = load_first(d, &d->home, names, ARRAY_SIZE(names), "countries-50m.tsv", err);
		if (st)
			return st;
	}
	*out = d->home;
	return NR_EX_OK;
}

int nd_lakes(struct nr_data *d, const struct geo_outlines **out, struct strbuf *err)
{
	static const char *const names[] = { "lakes-50m.tsv" };
	*out = NULL;
	if (!d->lakes && !d->no_lakes) {
		struct strbuf path = STRBUF_INIT;
		struct stat sst;
		int st;
		path_of(&path, d, names[0]);
		st = stat(path.buf, &sst);
		sb_release(&path);
		if (st) {
			d->no_lakes = 1; /* an older data directory: no lakes, no error */
			return NR_EX_OK;
		}
		st = load_first(d, &d->lakes, names, ARRAY_SIZE(names), names[0], err);
		if (st)
			return st;
	}
	*out = d->lakes;
	return NR_EX_OK;
}
