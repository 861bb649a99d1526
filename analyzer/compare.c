#include "compare.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "geo.h"
#include "outdir.h"
#include "plot.h"
#include "report.h"
#include "text.h"

#include "banned.h"

#define Z95 1.959963984540054

void cmp_options_init(struct cmp_options *o)
{
	memset(o, 0, sizeof(*o));
	an_options_init(&o->an);
	o->render = 1;
}

void cmp_wilson(unsigned long x, unsigned long n, double *lo, double *hi)
{
	double p, z2, denom, centre, half;
	if (!n) {
		*lo = *hi = 0;
		return;
	}
	p = (double)x / (double)n;
	z2 = Z95 * Z95;
	denom = 1 + z2 / (double)n;
	centre = (p + z2 / (2.0 * (double)n)) / denom;
	half = Z95 / denom * sqrt(p * (1 - p) / (double)n + z2 / (4.0 * (double)n * (double)n));
	*lo = centre - half < 0 ? 0 : centre - half;
	*hi = centre + half > 1 ? 1 : centre + half;
}

double cmp_newcombe(unsigned long x1, unsigned long n1, unsigned long x2, unsigned long n2,
		    double *lo, double *hi)
{
	double p1 = n1 ? (double)x1 / (double)n1 : 0, p2 = n2 ? (double)x2 / (double)n2 : 0;
	double l1, u1, l2, u2, d = p2 - p1;
	cmp_wilson(x1, n1, &l1, &u1);
	cmp_wilson(x2, n2, &l2, &u2);
	*lo = d - sqrt((p2 - l2) * (p2 - l2) + (u1 - p1) * (u1 - p1));
	*hi = d + sqrt((u2 - p2) * (u2 - p2) + (p1 - l1) * (p1 - l1));
	return d;
}

/* The value at 1-based rank k of the weighted sample. */
static double at_rank(const double *v, const unsigned long *w, size_t n, unsigned long long k)
{
	unsigned long long cum = 0;
	for (size_t i = 0; i < n; i++) {
		cum += w[i];
		if (cum >= k)
			return v[i];
	}
	return n ? v[n - 1] : NAN;
}

double cmp_median_ci(const double *values, const unsigned long *weights, size_t n,
		     double *lo, double *hi)
{
	unsigned long long total = 0;
	double half, med;
	long long j, k;
	for (size_t i = 0; i < n; i++)
		total += weights[i];
	if (!total) {
		*lo = *hi = NAN;
		return NAN;
	}
	med = at_rank(values, weights, n, (total + 1) / 2);
	half = Z95 * sqrt((double)total) / 2.0;
	j = (long long)floor((double)total / 2.0 - half);
	k = (long long)ceil((double)total / 2.0 + half) + 1;
	if (j < 1)
		j = 1;
	if (k > (long long)total)
		k = (long long)total;
	*lo = at_rank(values, weights, n, (unsigned long long)j);
	*hi = at_rank(values, weights, n, (unsigned long long)k);
	return med;
}

/* A set of 64-bit identity hashes -> first contact index, open addressing. */
struct idmap {
	uint64_t *keys;    /* 0 = empty (0 hashes are never stored) */
	uint32_t *vals;
	size_t mask;
};

static void idmap_init(struct idmap *m, size_t n)
{
	size_t cap = 16;
	while (cap < n * 2)
		cap <<= 1;
	m->keys = xcalloc(cap, sizeof(*m->keys));
	m->vals = xcalloc(cap, sizeof(*m->vals));
	m->mask = cap - 1;
}

static void idmap_release(struct idmap *m)
{
	free(m->keys);
	free(m->vals);
}

/* Insert unless present (first contact wins). */
static void idmap_add(struct idmap *m, uint64_t k, uint32_t v)
{
	size_t i;
	if (!k)
		return;
	for (i = (size_t)(k ^ (k >> 29)) & m->mask; m->keys[i]; i = (i + 1) & m->mask)
		if (m->keys[i] == k)
			return;
	m->keys[i] = k;
	m->vals[i] = v;
}

static int idmap_get(const struct idmap *m, uint64_t k, uint32_t *v)
{
	size_t i;
	if (!k)
		return 0;
	for (i = (size_t)(k ^ (k >> 29)) & m->mask; m->keys[i]; i = (i + 1) & m->mask) {
		if (m->keys[i] == k) {
			*v = m->vals[i];
			return 1;
		}
	}
	return 0;
}

struct cmp_counts {
	unsigned long added, removed, moved, unchanged;
	unsigned long by_url, by_email, by_name;
	/* added contacts: resolved, abroad (outside the home country), at a city-level place, beyond the home town */
	unsigned long added_resolved, added_abroad, added_located, added_beyond_home;
	/* per place of AFTER / BEFORE: added and removed counts, for the map */
	unsigned long *added_at, *removed_at;
};

static int located(const struct an_result *r, uint32_t place)
{
	return place != UINT32_MAX && r->places[place].place.level == GC_LEVEL_CITY;
}

/*
 * Match AFTER's contacts to BEFORE's by URL, then email, then name +
 * company, and classify. A contact that occurs twice in one export is
 * matched once.
 */
static void match_contacts(const struct an_result *b, const struct an_result *a, struct cmp_counts *c)
{
	struct idmap by[3];
	unsigned char *used = xcalloc(b->nr_contacts ? b->nr_contacts : 1, 1);

	memset(c, 0, sizeof(*c));
	c->added_at = xcalloc(a->nr_places + 1, sizeof(*c->added_at));
	c->removed_at = xcalloc(b->nr_places + 1, sizeof(*c->removed_at));
	for (int k = 0; k < 3; k++)
		idmap_init(&by[k], b->nr_contacts);
	for (size_t i = 0; i < b->nr_contacts; i++) {
		idmap_add(&by[0], b->contacts[i].url, (uint32_t)i);
		idmap_add(&by[1], b->contacts[i].email, (uint32_t)i);
		idmap_add(&by[2], b->contacts[i].name, (uint32_t)i);
	}
	for (size_t i = 0; i < a->nr_contacts; i++) {
		const struct an_contact *ac = &a->contacts[i];
		uint64_t ids[3] = { ac->url, ac->email, ac->name };
		uint32_t j = 0;
		int kind = -1;
		for (int k = 0; k < 3 && kind < 0; k++)
			if (idmap_get(&by[k], ids[k], &j) && !used[j])
				kind = k;
		if (kind < 0) {
			c->added++;
			if (ac->place != UINT32_MAX) {
				c->added_at[ac->place]++;
				c->added_resolved++;
				if (a->home.place.cc && a->places[ac->place].place.cc &&
				    strcmp(a->home.place.cc, a->places[ac->place].place.cc))
					c->added_abroad++;
			}
			if (located(a, ac->place)) {
				c->added_located++;
				if (a->places[ac->place].dist_km > a->radius_km)
					c->added_beyond_home++;
			}
			continue;
		}
		used[j] = 1;
		if (kind == 0)
			c->by_url++;
		else if (kind == 1)
			c->by_email++;
		else
			c->by_name++;
		{
			const struct an_contact *bc = &b->contacts[j];
			if (bc->place != UINT32_MAX && ac->place != UINT32_MAX &&
			    geo_dist_km(b->places[bc->place].place.lat, b->places[bc->place].place.lon,
					a->places[ac->place].place.lat, a->places[ac->place].place.lon) > a->radius_km)
				c->moved++;
			else
				c->unchanged++;
		}
	}
	for (size_t i = 0; i < b->nr_contacts; i++) {
		if (used[i])
			continue;
		c->removed++;
		if (b->contacts[i].place != UINT32_MAX)
			c->removed_at[b->contacts[i].place]++;
	}
	for (int k = 0; k < 3; k++)
		idmap_release(&by[k]);
	free(used);
}

static const char *const reach_keys[ST_REACH_COUNT] = {
	"home_share", "beyond_home_share", "beyond_161km_share", "outside_home_admin1_share",
	"outside_home_country_share", "outside_home_continent_share",
};

static double round_to(double x, int decimals)
{
	double f = pow(10, decimals), v = round(x * f) / f;
	return v == 0.0 ? 0.0 : v;
}

static json_t *jr(double x, int decimals)
{
	return isfinite(x) ? json_real(round_to(x, decimals)) : json_null();
}

struct dw {
	double d;
	unsigned long w;
};

static int cmp_dw(const void *a, const void *b)
{
	const struct dw *x = a, *y = b;
	if (x->d != y->d)
		return x->d < y->d ? -1 : 1;
	return x->w < y->w ? -1 : x->w > y->w;
}

/* Distances of located places, ascending, with counts (for the median CI). */
static size_t located_distances(const struct an_result *r, double **v, unsigned long **w)
{
	struct dw *a = xcalloc(r->nr_places + 1, sizeof(*a));
	size_t n = 0;
	for (size_t i = 0; i < r->nr_places; i++)
		if (r->places[i].place.level == GC_LEVEL_CITY) {
			a[n].d = r->places[i].dist_km;
			a[n++].w = r->places[i].count;
		}
	qsort(a, n, sizeof(*a), cmp_dw);
	*v = xcalloc(n + 1, sizeof(**v));
	*w = xcalloc(n + 1, sizeof(**w));
	for (size_t i = 0; i < n; i++) {
		(*v)[i] = a[i].d;
		(*w)[i] = a[i].w;
	}
	free(a);
	return n;
}

/* Items (countries or admin-1) of `in` whose code is not among `other`'s. */
static json_t *items_missing(const struct st_item *in, size_t n, const struct st_item *other, size_t m)
{
	struct strmap seen;
	json_t *a = json_array();
	sm_init(&seen);
	for (size_t i = 0; i < m; i++)
		sm_put(&seen, other[i].code, strlen(other[i].code), i, NULL);
	for (size_t i = 0; i < n; i++) {
		json_t *o;
		if (sm_get(&seen, in[i].code, strlen(in[i].code)))
			continue;
		o = json_object();
		json_object_set_new(o, "code", json_string(in[i].code));
		json_object_set_new(o, "name", in[i].name ? json_string(in[i].name) : json_null());
		json_object_set_new(o, "count", json_integer((json_int_t)in[i].count));
		json_array_append_new(a, o);
	}
	sm_release(&seen);
	return a;
}

static json_t *delta_share(const struct st_band *b, const struct st_band *a)
{
	json_t *o = json_object(), *ci = json_array();
	double lo, hi, d = cmp_newcombe(b->count, b->base, a->count, a->base, &lo, &hi);
	json_object_set_new(o, "before", jr(b->share, 4));
	json_object_set_new(o, "after", jr(a->share, 4));
	json_object_set_new(o, "diff", jr(d, 4));
	json_array_append_new(ci, jr(lo, 4));
	json_array_append_new(ci, jr(hi, 4));
	json_object_set_new(o, "ci95", ci);
	return o;
}

static json_t *delta_median(const struct an_result *b, const struct an_result *a)
{
	double *vb, *va, lb, hb, la, ha, mb, ma, d, lo, hi;
	unsigned long *wb, *wa;
	size_t nb = located_distances(b, &vb, &wb), na = located_distances(a, &va, &wa);
	json_t *o = json_object(), *ci = json_array();
	mb = cmp_median_ci(vb, wb, nb, &lb, &hb);
	ma = cmp_median_ci(va, wa, na, &la, &ha);
	d = ma - mb;
	/* MOVER (Zou and Donner): square-and-add the two medians' intervals */
	lo = d - sqrt((ma - la) * (ma - la) + (hb - mb) * (hb - mb));
	hi = d + sqrt((ha - ma) * (ha - ma) + (mb - lb) * (mb - lb));
	json_object_set_new(o, "before", jr(mb, 1));
	json_object_set_new(o, "after", jr(ma, 1));
	json_object_set_new(o, "diff", jr(d, 1));
	json_array_append_new(ci, jr(lo, 1));
	json_array_append_new(ci, jr(hi, 1));
	json_object_set_new(o, "ci95", ci);
	free(vb);
	free(va);
	free(wb);
	free(wa);
	return o;
}

static double share_of(unsigned long x, unsigned long n)
{
	return n ? (double)x / (double)n : 0;
}

/* The compare.json document (new reference). */
static json_t *compare_json(const struct an_result *b, const struct an_result *a, const struct cmp_counts *c)
{
	json_t *j = json_object(), *m = json_object(), *d = json_object(), *ad = json_object();
	json_object_set_new(j, "schema_version", json_integer(1));
	json_object_set_new(j, "added", json_integer((json_int_t)c->added));
	json_object_set_new(j, "removed", json_integer((json_int_t)c->removed));
	json_object_set_new(j, "moved", json_integer((json_int_t)c->moved));
	json_object_set_new(j, "unchanged", json_integer((json_int_t)c->unchanged));
	json_object_set_new(m, "url", json_integer((json_int_t)c->by_url));
	json_object_set_new(m, "email", json_integer((json_int_t)c->by_email));
	json_object_set_new(m, "name_company", json_integer((json_int_t)c->by_name));
	json_object_set_new(j, "matched_by", m);
	for (int i = 0; i < ST_REACH_COUNT; i++)
		json_object_set_new(d, reach_keys[i], delta_share(&b->summary.reach[i], &a->summary.reach[i]));
	json_object_set_new(d, "median_distance_km", delta_median(b, a));
	json_object_set_new(j, "delta", d);
	json_object_set_new(j, "countries_gained",
			    items_missing(a->summary.countries, a->summary.nr_countries,
					  b->summary.countries, b->summary.nr_countries));
	json_object_set_new(j, "countries_lost",
			    items_missing(b->summary.countries, b->summary.nr_countries,
					  a->summary.countries, a->summary.nr_countries));
	json_object_set_new(j, "admin1_gained",
			    items_missing(a->summary.admin1, a->summary.nr_admin1,
					  b->summary.admin1, b->summary.nr_admin1));
	json_object_set_new(j, "admin1_lost",
			    items_missing(b->summary.admin1, b->summary.nr_admin1,
					  a->summary.admin1, a->summary.nr_admin1));
	json_object_set_new(ad, "resolved", json_integer((json_int_t)c->added_resolved));
	json_object_set_new(ad, "abroad", json_integer((json_int_t)c->added_abroad));
	json_object_set_new(ad, "abroad_share", jr(share_of(c->added_abroad, c->added_resolved), 4));
	json_object_set_new(ad, "located", json_integer((json_int_t)c->added_located));
	json_object_set_new(ad, "beyond_home", json_integer((json_int_t)c->added_beyond_home));
	json_object_set_new(ad, "beyond_home_share", jr(share_of(c->added_beyond_home, c->added_located), 4));
	json_object_set_new(ad, "existing_beyond_home_share", jr(b->summary.reach[ST_REACH_BEYOND_HOME].share, 4));
	json_object_set_new(ad, "existing_abroad_share", jr(b->summary.reach[ST_REACH_OUTSIDE_COUNTRY].share, 4));
	json_object_set_new(j, "added_contacts", ad);
	json_object_set_new(j, "before", rp_summary_json(b));
	json_object_set_new(j, "after", rp_summary_json(a));
	return j;
}

static void month_name(struct strbuf *out, int month)
{
	static const char *const names[12] = { "January", "February", "March", "April", "May", "June", "July",
					       "August", "September", "October", "November", "December" };
	sb_addf(out, "%s %d", names[month % 12], month / 12);
}

static void headline_text(struct strbuf *out, const struct an_result *b, const struct an_result *a,
			  const struct cmp_counts *c, size_t gained, size_t lost)
{
	const struct st_summary *bs = &b->summary;
	if (bs->nr_timeline) {
		sb_adds(out, "Since ");
		month_name(out, bs->timeline[bs->nr_timeline - 1].month);
	} else {
		sb_adds(out, "Since the earlier export");
	}
	sb_adds(out, " your network grew by ");
	sb_add_count(out, c->added);
	sb_adds(out, c->added == 1 ? " person" : " people");
	if (c->removed) {
		sb_adds(out, " (");
		sb_add_count(out, c->removed);
		sb_adds(out, " left)");
	}
	if (c->added_resolved) {
		sb_addf(out, "; %.0f%% of them live abroad, against %.0f%% before",
			100.0 * share_of(c->added_abroad, c->added_resolved),
			100.0 * bs->reach[ST_REACH_OUTSIDE_COUNTRY].share);
	}
	if (gained)
		sb_addf(out, "; you now reach %zu more %s", gained, gained == 1 ? "country" : "countries");
	if (lost)
		sb_addf(out, "%s%zu %s no longer reached", gained ? ", and " : "; ", lost,
			lost == 1 ? "country is" : "countries are");
	sb_addch(out, '.');
	(void)a;
}

static int write_json_file(const char *dir, const char *name, json_t *j, struct strbuf *err)
{
	struct strbuf path = STRBUF_INIT;
	char *text = json_dumps(j, RP_JSON_FLAGS);
	FILE *f;
	int rc = NR_EX_OK;
	sb_addf(&path, "%s/%s", dir, name);
	f = fopen(path.buf, "w");
	if (!f) {
		sb_addf(err, "'%s': cannot create: %s", path.buf, strerror(errno));
		rc = NR_EX_CANTCREAT;
	} else {
		if (!text || fputs(text, f) == EOF || fputc('\n', f) == EOF)
			rc = NR_EX_IOERR;
		if (fclose(f) != 0)
			rc = NR_EX_IOERR;
		if (rc)
			sb_addf(err, "'%s': write error: %s", path.buf, strerror(errno));
	}
	free(text);
	sb_release(&path);
	return rc;
}

int cmp_run(const struct cmp_options *o, struct strbuf *headline, struct strbuf *err)
{
	struct an_options ao = o->an, bo;
	struct an_result a, b;
	struct cmp_counts c;
	struct outdir od;
	json_t *j;
	int rc;

	ao.keep_contacts = 1;
	rc = an_run(&ao, &o->after, 1, &a, err);
	if (rc)
		return rc;
	/* BEFORE is measured from the same home point */
	bo = ao;
	if (!o->an.home_query && !o->an.has_home_coords && !o->an.profile_path) {
		bo.has_home_coords = 1;
		bo.home_lat = a.home.place.lat;
		bo.home_lon = a.home.place.lon;
	}
	rc = an_run(&bo, &o->before, 1, &b, err);
	if (rc) {
		an_result_release(&a);
		return rc;
	}
	if (a.home.inferred) {
		b.home.inferred = 1;
		b.home.source = a.home.source;
		free(b.home.query);
		b.home.query = xstrdup(a.home.query);
	}
	match_contacts(&b, &a, &c);
	j = compare_json(&b, &a, &c);
	headline_text(headline, &b, &a, &c, json_array_size(json_object_get(j, "countries_gained")),
		      json_array_size(json_object_get(j, "countries_lost")));
	rc = od_begin(&od, o->out_dir, err);
	if (!rc) {
		rc = write_json_file(od.stage, "compare.json", j, err);
		if (!rc)
			rc = od_commit(&od, err);
		else
			od_abort(&od);
	}
	json_decref(j);
	free(c.added_at);
	free(c.removed_at);
	an_result_release(&b);
	an_result_release(&a);
	return rc;
}
