#include "compare.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "geo.h"

#include "banned.h"

#define Z95 1.959963984540054
#define NONE UINT32_MAX
#define MAX_WALK 64   /* contacts tried per key in one pass (bounds the work on many equal keys) */

/* ---- intervals ---------------------------------------------------------- */

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
	if (!n1 || !n2) {
		*lo = *hi = NAN;
		return d;
	}
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
	double half;
	long long j, k;
	for (size_t i = 0; i < n; i++)
		total += weights[i];
	if (!total) {
		*lo = *hi = NAN;
		return NAN;
	}
	half = Z95 * sqrt((double)total) / 2.0;
	j = (long long)floor((double)total / 2.0 - half);
	k = (long long)ceil(1.0 + (double)total / 2.0 + half);
	if (j < 1)
		j = 1;
	if (k > (long long)total)
		k = (long long)total;
	*lo = at_rank(values, weights, n, (unsigned long long)j);
	*hi = at_rank(values, weights, n, (unsigned long long)k);
	return st_quantile(values, weights, n, 0.5);
}

/* ---- matching ----------------------------------------------------------- */

/* 64-bit key -> the first BEFORE contact of its chain, open addressing. */
struct idmap {
	uint64_t *keys;    /* 0 = empty (0 keys are never stored) */
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

/* The slot of k: where it is, or the empty slot where it would go. */
static size_t idmap_slot(const struct idmap *m, uint64_t k)
{
	size_t i;
	for (i = (size_t)(k ^ (k >> 29)) & m->mask; m->keys[i] && m->keys[i] != k; i = (i + 1) & m->mask)
		;
	return i;
}

static uint64_t key_of(const struct ag_contact *c, int k)
{
	return k == CMP_BY_URL ? c->url : k == CMP_BY_EMAIL ? c->email : c->name;
}

/* Whether b and a may be the same person when matched by key k: no stronger key says otherwise. */
static int compatible(const struct ag_contact *b, const struct ag_contact *a, int k)
{
	if (k >= CMP_BY_EMAIL && b->url && a->url && b->url != a->url)
		return 0;
	if (k >= CMP_BY_NAME && b->email && a->email && b->email != a->email)
		return 0;
	return 1;
}

/*
 * One pass: pair unmatched AFTER contacts with unmatched BEFORE contacts
 * of equal key k, in file order. match_a[i] gets the BEFORE index, used_b
 * marks BEFORE contacts taken.
 */
static void match_pass(const struct an_result *b, const struct an_result *a, int k, uint32_t *match_a,
		       unsigned char *used_b, unsigned long *count)
{
	struct idmap m;
	uint32_t *next = xcalloc(b->nr_contacts + 1, sizeof(*next));
	idmap_init(&m, b->nr_contacts);
	/* chains in file order: push from the back */
	for (size_t i = b->nr_contacts; i-- > 0;) {
		uint64_t key = key_of(&b->contacts[i], k);
		size_t s;
		if (!key || used_b[i])
			continue;
		s = idmap_slot(&m, key);
		next[i] = m.keys[s] ? m.vals[s] : NONE;
		m.keys[s] = key;
		m.vals[s] = (uint32_t)i;
	}
	for (size_t i = 0; i < a->nr_contacts; i++) {
		const struct ag_contact *ac = &a->contacts[i];
		uint64_t key = key_of(ac, k);
		size_t s;
		uint32_t j;
		int steps = 0;
		if (!key || match_a[i] != NONE)
			continue;
		s = idmap_slot(&m, key);
		if (!m.keys[s])
			continue;
		/* drop the taken head of the chain, then look for a compatible contact */
		while (m.vals[s] != NONE && used_b[m.vals[s]])
			m.vals[s] = next[m.vals[s]];
		for (j = m.vals[s]; j != NONE && steps < MAX_WALK; j = next[j], steps++) {
			if (used_b[j] || !compatible(&b->contacts[j], ac, k))
				continue;
			used_b[j] = 1;
			match_a[i] = j;
			(*count)++;
			break;
		}
	}
	idmap_release(&m);
	free(next);
}

/* ---- classification ------------------------------------------------------- */

static const struct gc_place *place_of(const struct an_result *r, uint32_t i)
{
	return i == NONE ? NULL : &r->places[i].place;
}

static int nonempty(const char *s)
{
	return s && *s;
}

static int same(const char *x, const char *y)
{
	return !strcmp(x ? x : "", y ? y : "");
}

/*
 * 1 when the pair moved, 0 when not, -1 when a side has no place. Most
 * contacts stay where they were: a pair at the same point is 0 km apart
 * without a geodesic (radius_km is positive), which is once per contact.
 */
static int moved(const struct gc_place *p, const struct gc_place *q, double radius_km)
{
	if (!p || !q)
		return -1;
	if (gc_level_is_point(p->level) && gc_level_is_point(q->level))
		return (p->lat != q->lat || p->lon != q->lon) && geo_dist_km(p->lat, p->lon, q->lat, q->lon) > radius_km;
	if (!same(p->cc, q->cc))
		return 1;
	return p->level != GC_LEVEL_COUNTRY && q->level != GC_LEVEL_COUNTRY && nonempty(p->admin1_code) &&
	       nonempty(q->admin1_code) && !same(p->admin1_code, q->admin1_code);
}

static int abroad(const struct an_result *r, const struct gc_place *p)
{
	return p && nonempty(r->home.place.cc) && !same(p->cc, r->home.place.cc);
}

/* Counts one contact into resolved/abroad/located/beyond-home. */
static void tally(const struct an_result *r, uint32_t place, unsigned long *resolved, unsigned long *ab,
		  unsigned long *loc, unsigned long *beyond)
{
	const struct gc_place *p = place_of(r, place);
	if (!p)
		return;
	(*resolved)++;
	*ab += (unsigned long)abroad(r, p);
	if (gc_level_is_point(p->level)) {
		(*loc)++;
		*beyond += r->places[place].dist_km > r->radius_km;
	}
}

static int cmp_move_pair(const void *x, const void *y)
{
	const struct cmp_move *p = x, *q = y;
	if (p->before != q->before)
		return p->before < q->before ? -1 : 1;
	return p->after < q->after ? -1 : p->after > q->after;
}

static int cmp_move_count(const void *x, const void *y)
{
	const struct cmp_move *p = x, *q = y;
	if (p->count != q->count)
		return p->count > q->count ? -1 : 1;
	return cmp_move_pair(x, y);
}

/* c->moves[0..n), one per moved contact: merged per pair, then by count desc (total order). */
static void fold_moves(struct cmp_result *c, size_t n)
{
	size_t k = 0;
	if (n > 1)
		qsort(c->moves, n, sizeof(*c->moves), cmp_move_pair);
	for (size_t i = 0; i < n; i++) {
		if (k && !cmp_move_pair(&c->moves[k - 1], &c->moves[i]))
			c->moves[k - 1].count += c->moves[i].count;
		else
			c->moves[k++] = c->moves[i];
	}
	if (k > 1)
		qsort(c->moves, k, sizeof(*c->moves), cmp_move_count);
	c->nr_moves = k;
}

static void classify(const struct an_result *b, const struct an_result *a, const uint32_t *match_a,
		     const unsigned char *used_b, struct cmp_result *c)
{
	size_t nm = 0, alloc = 0;
	for (size_t i = 0; i < a->nr_contacts; i++) {
		uint32_t ap = a->contacts[i].place;
		if (match_a[i] == NONE) {
			c->added++;
			if (ap != NONE)
				c->added_at[ap]++;
			tally(a, ap, &c->added_resolved, &c->added_abroad, &c->added_located, &c->added_beyond_home);
			continue;
		}
		{
			uint32_t bp = b->contacts[match_a[i]].place;
			const struct gc_place *p = place_of(b, bp), *q = place_of(a, ap);
			int m = moved(p, q, a->radius_km);
			if (m == 1) {
				c->moved++;
				ALLOC_GROW(c->moves, nm + 1, alloc);
				c->moves[nm++] = (struct cmp_move){ bp, ap, 1 };
				if (!abroad(b, p) && abroad(a, q))
					c->moved_abroad++;
			} else {
				c->unchanged++;
				if (m < 0)
					c->unplaced++;
			}
			tally(a, ap, &c->kept_resolved, &c->kept_abroad, &c->kept_located, &c->kept_beyond_home);
		}
	}
	for (size_t i = 0; i < b->nr_contacts; i++) {
		if (used_b[i])
			continue;
		c->removed++;
		if (b->contacts[i].place != NONE)
			c->removed_at[b->contacts[i].place]++;
	}
	fold_moves(c, nm);
}

/* ---- deltas ------------------------------------------------------------------- */

static int cmp_change(const void *x, const void *y)
{
	const struct cmp_country *p = x, *q = y;
	long ap = labs(p->change), aq = labs(q->change);
	if (ap != aq)
		return ap > aq ? -1 : 1;
	if (p->change != q->change)
		return p->change > q->change ? -1 : 1;
	return strcmp(p->it->code, q->it->code);
}

size_t cmp_countries(const struct st_summary *bs, const struct st_summary *as, struct cmp_country **out)
{
	struct cmp_country *c = xcalloc(bs->nr_countries + as->nr_countries + 1, sizeof(*c));
	struct strmap idx;
	size_t n = 0;

	sm_init(&idx);
	for (size_t i = 0; i < as->nr_countries; i++) {
		c[n].it = &as->countries[i];
		c[n].after = as->countries[i].count;
		sm_put(&idx, c[n].it->code, strlen(c[n].it->code), n, NULL);
		n++;
	}
	for (size_t i = 0; i < bs->nr_countries; i++) {
		size_t *k = sm_get(&idx, bs->countries[i].code, strlen(bs->countries[i].code));
		if (k) {
			c[*k].before = bs->countries[i].count;
			continue;
		}
		c[n].it = &bs->countries[i];
		c[n++].before = bs->countries[i].count;
	}
	sm_release(&idx);
	for (size_t i = 0; i < n; i++)
		c[i].change = (long)c[i].after - (long)c[i].before;
	qsort(c, n, sizeof(*c), cmp_change);
	*out = c;
	return n;
}

/* The median distance of the located contacts with its interval. */
static double median_of(const struct an_result *r, double *lo, double *hi)
{
	double *v, med;
	unsigned long *w;
	size_t n = st_distances(r->places, r->nr_places, &v, &w);
	med = cmp_median_ci(v, w, n, lo, hi);
	free(v);
	free(w);
	return med;
}

static void median_delta(const struct an_result *b, const struct an_result *a, struct cmp_delta *d)
{
	double lb, hb, la, ha;
	memset(d, 0, sizeof(*d));
	d->before = median_of(b, &lb, &hb);
	d->after = median_of(a, &la, &ha);
	d->diff = d->after - d->before;
	/* MOVER (Zou and Donner): square-and-add the two medians' intervals */
	d->lo = d->diff - sqrt((d->after - la) * (d->after - la) + (hb - d->before) * (hb - d->before));
	d->hi = d->diff + sqrt((ha - d->after) * (ha - d->after) + (d->before - lb) * (d->before - lb));
}

/* The change of a share x1/n1 -> x2/n2 with its Newcombe interval. */
static void share_delta(struct cmp_delta *d, unsigned long x1, unsigned long n1, unsigned long x2, unsigned long n2)
{
	d->x1 = x1;
	d->n1 = n1;
	d->x2 = x2;
	d->n2 = n2;
	d->before = n1 ? (double)x1 / (double)n1 : 0;
	d->after = n2 ? (double)x2 / (double)n2 : 0;
	d->diff = cmp_newcombe(x1, n1, x2, n2, &d->lo, &d->hi);
}

/* Items of `in` whose code is not among `other`'s, in `in`'s order. */
static size_t items_missing(const struct st_item *in, size_t n, const struct st_item *other, size_t m,
			    const struct st_item ***out)
{
	struct strmap seen;
	size_t k = 0;
	*out = xcalloc(n + 1, sizeof(**out));
	sm_init(&seen);
	for (size_t i = 0; i < m; i++)
		sm_put(&seen, other[i].code, strlen(other[i].code), i, NULL);
	for (size_t i = 0; i < n; i++)
		if (!sm_get(&seen, in[i].code, strlen(in[i].code)))
			(*out)[k++] = &in[i];
	sm_release(&seen);
	return k;
}

void cmp_compute(const struct an_result *b, const struct an_result *a, struct cmp_result *c)
{
	const struct st_summary *bs = &b->summary, *as = &a->summary;
	uint32_t *match_a = xcalloc(a->nr_contacts + 1, sizeof(*match_a));
	unsigned char *used_b = xcalloc(b->nr_contacts + 1, 1);

	memset(c, 0, sizeof(*c));
	c->added_at = xcalloc(a->nr_places + 1, sizeof(*c->added_at));
	c->removed_at = xcalloc(b->nr_places + 1, sizeof(*c->removed_at));
	for (size_t i = 0; i < a->nr_contacts; i++)
		match_a[i] = NONE;
	for (int k = 0; k < CMP_KEY_COUNT; k++)
		match_pass(b, a, k, match_a, used_b, &c->by[k]);
	classify(b, a, match_a, used_b, c);
	free(match_a);
	free(used_b);

	for (int i = 0; i < ST_REACH_COUNT; i++)
		share_delta(&c->reach[i], bs->reach[i].count, bs->reach[i].base, as->reach[i].count, as->reach[i].base);
	median_delta(b, a, &c->median_km);
	share_delta(&c->added_beyond_home_vs_existing, bs->reach[ST_REACH_BEYOND_HOME].count,
		    bs->reach[ST_REACH_BEYOND_HOME].base, c->added_beyond_home, c->added_located);
	share_delta(&c->added_abroad_vs_existing, bs->reach[ST_REACH_OUTSIDE_COUNTRY].count,
		    bs->reach[ST_REACH_OUTSIDE_COUNTRY].base, c->added_abroad, c->added_resolved);
	c->nr_countries_gained = items_missing(as->countries, as->nr_countries, bs->countries, bs->nr_countries,
					       &c->countries_gained);
	c->nr_countries_lost = items_missing(bs->countries, bs->nr_countries, as->countries, as->nr_countries,
					     &c->countries_lost);
	c->nr_admin1_gained = items_missing(as->admin1, as->nr_admin1, bs->admin1, bs->nr_admin1, &c->admin1_gained);
	c->nr_admin1_lost = items_missing(bs->admin1, bs->nr_admin1, as->admin1, as->nr_admin1, &c->admin1_lost);
	c->nr_countries = cmp_countries(bs, as, &c->countries);
	{
		size_t n = a->nr_targets < b->nr_targets ? a->nr_targets : b->nr_targets;
		c->doors_gained = xcalloc(n + 1, sizeof(*c->doors_gained));
		c->doors_lost = xcalloc(n + 1, sizeof(*c->doors_lost));
		for (size_t t = 0; t < n; t++) {
			if (!b->targets[t].count && a->targets[t].count)
				c->doors_gained[c->nr_doors_gained++] = t;
			else if (b->targets[t].count && !a->targets[t].count)
				c->doors_lost[c->nr_doors_lost++] = t;
		}
	}
}

void cmp_result_release(struct cmp_result *c)
{
	free(c->moves);
	free(c->added_at);
	free(c->removed_at);
	free(c->countries_gained);
	free(c->countries_lost);
	free(c->admin1_gained);
	free(c->admin1_lost);
	free(c->countries);
	free(c->doors_gained);
	free(c->doors_lost);
	memset(c, 0, sizeof(*c));
}

/* ---- both analyses ------------------------------------------------------------ */

int cmp_run(struct nr_data *data, const struct an_options *opt, const char *before, const char *after,
	    struct an_result *b, struct an_result *a, struct cmp_result *c, struct strbuf *err)
{
	struct an_options ao = *opt, bo;
	int rc;

	ao.keep_contacts = 1;
	rc = an_run(data, &ao, &after, 1, a, err);
	if (rc)
		return rc;
	/* BEFORE is measured from the same home point */
	bo = ao;
	if (!opt->home_query && !opt->has_home_coords && !opt->profile_path && strcmp(a->home.source, "none")) {
		bo.has_home_coords = 1;
		bo.home_lat = a->home.place.lat;
		bo.home_lon = a->home.place.lon;
	}
	rc = an_run(data, &bo, &before, 1, b, err);
	if (rc) {
		an_result_release(a);
		return rc;
	}
	if (a->home.inferred) {
		b->home.inferred = 1;
		b->home.source = a->home.source;
		free(b->home.query);
		b->home.query = xstrdup(a->home.query);
	}
	cmp_compute(b, a, c);
	return NR_EX_OK;
}
