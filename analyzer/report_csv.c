/*
 * report_csv: places.csv, unresolved.csv and skipped.csv (every cell through
 * txt_csv_cell, which neutralises formulas); the order of the unresolved list
 * and the hiding of e-mail addresses in it, which the documents share.
 */
#include "report_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

#include "banned.h"

static int looks_like_email(const char *s)
{
	const char *at = strchr(s, '@');
	return at && at > s && strchr(at + 1, '.') && !strchr(at + 1, ' ');
}

static void csv_cell(struct strbuf *out, const char *s)
{
	s = nz(s);
	txt_csv_cell(out, s, strlen(s));
}

/*
 * The cells of the names that many places share (admin-1 and country: the
 * gazetteer's strings, a few thousand for ~20,000 places), each made by
 * txt_csv_cell once: a cell depends only on its text, and a string is found
 * again by its address (open addressing over the pointers).
 */
struct cell_cache {
	const char **key;          /* NULL: a free slot */
	size_t *off, *len;         /* the cell in text */
	size_t mask;
	struct strbuf text;
};

static void cells_init(struct cell_cache *c, size_t most)
{
	size_t size = 16;
	while (size < 2 * most)
		size *= 2;
	c->key = xcalloc(size, sizeof(*c->key));
	c->off = xcalloc(size, sizeof(*c->off));
	c->len = xcalloc(size, sizeof(*c->len));
	c->mask = size - 1;
	sb_init(&c->text, 4096);
}

static void cells_release(struct cell_cache *c)
{
	free(c->key);
	free(c->off);
	free(c->len);
	sb_release(&c->text);
}

/* csv_cell(out, s) through the cache (at most `most` distinct strings go in). */
static void cached_cell(struct cell_cache *c, struct strbuf *out, const char *s)
{
	size_t i;
	if (!s) {
		csv_cell(out, s);
		return;
	}
	i = (size_t)((uint64_t)((uintptr_t)s >> 3) * 0x9E3779B97F4A7C15ull >> 24) & c->mask;
	while (c->key[i] && c->key[i] != s)
		i = (i + 1) & c->mask;
	if (!c->key[i]) {
		c->key[i] = s;
		c->off[i] = c->text.len;
		csv_cell(&c->text, s);
		c->len[i] = c->text.len - c->off[i];
	}
	sb_add(out, c->text.buf + c->off[i], c->len[i]);
}

/* "lat,lon," to 4 decimals (sb_addfixed's bytes, both numbers made in one buffer). */
static void add_lat_lon(struct strbuf *out, double lat, double lon)
{
	char buf[2 * (NR_FIXED_MAX + 1)];
	size_t a, b;
	lat = round_to(lat, 4);
	lon = round_to(lon, 4);
	if ((a = nr_fmt_fixed(buf, lat, 4)) && (b = nr_fmt_fixed(buf + a + 1, lon, 4))) {
		buf[a] = buf[a + 1 + b] = ',';
		sb_add(out, buf, a + b + 2);
		return;
	}
	sb_addfixed(out, lat, 4);
	sb_addch(out, ',');
	sb_addfixed(out, lon, 4);
	sb_addch(out, ',');
}

void rp_places_csv(struct strbuf *out, const struct an_result *r)
{
	struct cell_cache cells;
	cells_init(&cells, 2 * r->nr_places);
	sb_adds(out, "place,level,lat,lon,admin1,country,count,distance_km\r\n");
	for (size_t i = 0; i < r->nr_places; i++) {
		const struct st_place *p = &r->places[i];
		csv_cell(out, p->place.name);
		sb_addch(out, ',');
		sb_adds(out, gc_level_name(p->place.level));
		sb_addch(out, ',');
		add_lat_lon(out, p->place.lat, p->place.lon);
		cached_cell(&cells, out, p->place.admin1);
		sb_addch(out, ',');
		cached_cell(&cells, out, p->place.country);
		sb_addch(out, ',');
		sb_addu(out, p->count);
		sb_addch(out, ',');
		sb_addfixed(out, round_to(p->dist_km, 1), 1);
		sb_adds(out, "\r\n");
	}
	cells_release(&cells);
}

const char *rp_unresolved_text(const struct an_unresolved *u, const struct rp_options *o)
{
	if (!o->show_names && u->text && looks_like_email(u->text))
		return "(email address hidden)";
	return nz(u->text);
}

static int cmp_unresolved(const void *a, const void *b)
{
	const struct an_unresolved *x = *(const struct an_unresolved *const *)a;
	const struct an_unresolved *y = *(const struct an_unresolved *const *)b;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(nz(x->text), nz(y->text));
}

const struct an_unresolved **rp_sorted_unresolved(const struct an_result *r)
{
	const struct an_unresolved **v = xcalloc(r->nr_unresolved_list + 1, sizeof(*v));
	for (size_t i = 0; i < r->nr_unresolved_list; i++)
		v[i] = &r->unresolved_list[i];
	qsort(v, r->nr_unresolved_list, sizeof(*v), cmp_unresolved);
	return v;
}

void rp_unresolved_csv(struct strbuf *out, const struct an_result *r, const struct rp_options *o)
{
	const struct an_unresolved **v = rp_sorted_unresolved(r);
	sb_adds(out, "location,count,reason\r\n");
	for (size_t i = 0; i < r->nr_unresolved_list; i++) {
		csv_cell(out, rp_unresolved_text(v[i], o));
		sb_addf(out, ",%lu,", v[i]->count);
		csv_cell(out, v[i]->reason);
		sb_adds(out, "\r\n");
	}
	free(v);
}

void rp_skipped_csv(struct strbuf *out, const struct an_result *r)
{
	sb_adds(out, "file,line,reason\r\n");
	for (size_t i = 0; i < r->nr_skipped_list; i++) {
		const struct ag_skipped *k = &r->skipped_list[i];
		const char *file = k->input < r->nr_inputs ? basename_of(r->inputs[k->input].path) : "";
		csv_cell(out, file);
		sb_addf(out, ",%lu,", k->line);
		csv_cell(out, k->reason);
		sb_adds(out, "\r\n");
	}
}
