/* stats: reach statistics over distinct places (definitions in stats.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data.h"
#include "geo.h"
#include "i18n.h"
#include "stats.h"
#include "banned.h"

static const struct {
	const char *code, *name;
} continents[] = {
	/* English names (summary.json); N_ marks them for the report's translation */
	{ "AF", N_("Africa") }, { "AN", N_("Antarctica") }, { "AS", N_("Asia") }, { "EU", N_("Europe") },
	{ "NA", N_("North America") }, { "OC", N_("Oceania") }, { "SA", N_("South America") },
};

const struct st_band_def st_reach_bands[ST_REACH_COUNT] = {
	[ST_REACH_HOME] = {
		.key = "home", .label = "Home town (within %g km)",
		.text = N_("Home town (within %s)"),
		/* TRANSLATORS: a bar of the reach chart; %1$s is the radius in km, %2$s the home town */
		.chart = N_("Within %1$s km of %2$s"),
	},
	[ST_REACH_BEYOND_HOME] = {
		.key = "beyond_home", .label = "Beyond the home town",
		.text = N_("Beyond %s"), .chart = N_("Beyond %s km"),
	},
	[ST_REACH_BEYOND_161KM] = {
		.key = "beyond_161km", .label = "Beyond 161 km (100 miles)",
		.text = N_("Beyond 161 km (100 miles)"), .chart = N_("Beyond 161 km (100 mi)"),
	},
	[ST_REACH_OUTSIDE_ADMIN1] = {
		.key = "outside_home_admin1", .label = "Outside the home state or region",
		.text = N_("Outside %s"), .text_none = N_("the home state or region"),
		.chart = N_("Outside %s"), .chart_none = N_("the home region"),
	},
	[ST_REACH_OUTSIDE_COUNTRY] = {
		.key = "outside_home_country", .label = "Outside the home country",
		.text = N_("Outside %s"), .text_none = N_("the home country"),
		.chart = N_("Outside %s"), .chart_none = N_("the home country"),
	},
	[ST_REACH_OUTSIDE_CONTINENT] = {
		.key = "outside_home_continent", .label = "Outside the home continent",
		.text = N_("Outside %s"), .text_none = N_("the home continent"),
		.chart = N_("Outside %s"), .chart_none = N_("the home continent"),
	},
};

const struct st_band_def st_dist_bands[ST_DIST_BANDS] = {
	/* TRANSLATORS: the distance bands, as axis labels ("3,000" with the thousands separator) */
	{ .key = "0-50", .label = "0-50 km", .chart = N_("0–50 km"),
	  /* TRANSLATORS: the marks of the distance chart, "37% within 100 miles" */
	  .mark = N_("50 km"), .min_km = 0, .max_km = 50.0, .shown_min_km = 0, .shown_max_km = 50 },
	{ .key = "50-161", .label = "50-161 km", .chart = N_("50–161 km"),
	  .mark = N_("100 miles"), .min_km = 50.0, .max_km = ST_100_MILES_KM, .shown_min_km = 50, .shown_max_km = 161 },
	{ .key = "161-800", .label = "161-800 km", .chart = N_("161–800 km"),
	  .mark = N_("800 km"), .min_km = ST_100_MILES_KM, .max_km = 800.0, .shown_min_km = 161, .shown_max_km = 800 },
	{ .key = "800-3000", .label = "800-3,000 km", .chart = N_("800–3,000 km"),
	  .mark = N_("3,000 km"), .min_km = 800.0, .max_km = 3000.0, .shown_min_km = 800, .shown_max_km = 3000 },
	{ .key = "3000+", .label = "over 3,000 km", .chart = N_("over 3,000 km"),
	  .min_km = 3000.0, .max_km = INFINITY, .shown_min_km = 3000, .shown_max_km = INFINITY },
};

const char *st_place_name(const struct gc_place *p, int after_prep)
{
	if (p->level == GC_LEVEL_COUNTRY && p->name && p->country && !strcmp(p->name, p->country))
		return after_prep ? i18n_country_dative(p->cc, p->name) : i18n_country(p->cc, p->name);
	if (p->level == GC_LEVEL_ADMIN1 && p->name && p->admin1 && !strcmp(p->name, p->admin1))
		return after_prep ? i18n_admin1_dative(p->cc, p->admin1_code, p->name)
				  : i18n_admin1(p->cc, p->admin1_code, p->name);
	return p->name;
}

void st_reach_label(struct strbuf *t, int band, enum st_label_use use, const char *radius, const char *home_name,
		    const struct gc_place *home)
{
	const struct st_band_def *d = &st_reach_bands[band];
	const char *fmt = _(use == ST_LABEL_CHART ? d->chart : d->text);
	const char *none = use == ST_LABEL_CHART ? d->chart_none : d->text_none;
	const char *name;
	switch (band) {
	case ST_REACH_HOME:
		if (use == ST_LABEL_CHART)
			sb_addf(t, fmt, radius, home_name);
		else
			sb_addf(t, fmt, radius);
		return;
	case ST_REACH_BEYOND_HOME:
		sb_addf(t, fmt, use == ST_LABEL_CHART ? radius : home_name);
		return;
	case ST_REACH_BEYOND_161KM:
		sb_adds(t, fmt);
		return;
	case ST_REACH_OUTSIDE_ADMIN1:
		/* names in the report's language, as after a preposition ("Outside %s": "Nicht in der Schweiz") */
		name = home->admin1 && *home->admin1 ? i18n_admin1_dative(home->cc, home->admin1_code, home->admin1) : NULL;
		break;
	case ST_REACH_OUTSIDE_COUNTRY:
		name = home->country && *home->country ? i18n_country_dative(home->cc, home->country) : NULL;
		break;
	default:
		name = st_continent_name(home->continent);
		name = name ? _(name) : NULL;
	}
	sb_addf(t, fmt, name ? name : _(none));
}

const char *st_continent_name(const char *code)
{
	if (!code)
		return NULL;
	for (size_t i = 0; i < ARRAY_SIZE(continents); i++)
		if (strcmp(continents[i].code, code) == 0)
			return continents[i].name;
	return NULL;
}

static const char *own(struct st_summary *s, char *str)
{
	ALLOC_GROW(s->strings, s->nr_strings + 1, s->alloc_strings);
	s->strings[s->nr_strings++] = str;
	return str;
}

static const char *ownf(struct st_summary *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static const char *ownf(struct st_summary *s, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	sb_init(&sb, 32);
	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	return own(s, sb_detach(&sb, NULL));
}

static int nonempty(const char *s)
{
	return s && *s;
}

double st_quantile(const double *v, const unsigned long *w, size_t n, double p)
{
	unsigned long long total = 0, cum = 0;
	double h, f, lo = 0, hi = 0;
	unsigned long long k;
	size_t i;
	for (i = 0; i < n; i++)
		total += w[i];
	if (total == 0)
		return 0;
	if (p <= 0)
		p = 0;
	if (p >= 1)
		p = 1;
	h = (double)(total - 1) * p;
	k = (unsigned long long)floor(h);
	f = h - (double)k;
	/* x[k] and x[k+1] of the expanded sample */
	for (i = 0; i < n; i++) {
		cum += w[i];
		if (cum > k) {
			lo = v[i];
			break;
		}
	}
	if (k + 1 >= total || f == 0)
		return lo;
	if (cum > k + 1) {
		hi = lo;
	} else {
		for (i++; i < n; i++)
			if (w[i] > 0) {
				hi = v[i];
				break;
			}
	}
	return lo + f * (hi - lo);
}

/* ---- items (countries, admin-1, continents) ---- */

struct tally {
	struct strmap map;        /* code -> index into items */
	struct st_item *items;
	size_t nr, alloc;
};

static void tally_init(struct tally *t)
{
	sm_init(&t->map);
	t->items = NULL;
	t->nr = t->alloc = 0;
}

static struct st_item *tally_get(struct tally *t, const char *code, size_t len)
{
	int inserted;
	size_t *v = sm_put(&t->map, code, len, t->nr, &inserted);
	if (inserted) {
		ALLOC_GROW(t->items, t->nr + 1, t->alloc);
		memset(&t->items[t->nr], 0, sizeof(t->items[t->nr]));
		t->nr++;
	}
	return &t->items[*v];
}

static int cmp_item(const void *a, const void *b)
{
	const struct st_item *x = a, *y = b;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->code, y->code);
}

static void tally_finish(struct tally *t, unsigned long base, double *entropy, double *effective,
			 struct st_item **out, size_t *nr)
{
	double h = 0;
	for (size_t i = 0; i < t->nr; i++) {
		t->items[i].share = base ? (double)t->items[i].count / (double)base : 0;
		if (t->items[i].share > 0)
			h -= t->items[i].share * log(t->items[i].share);
	}
	if (t->nr > 1)
		qsort(t->items, t->nr, sizeof(*t->items), cmp_item);
	if (entropy) {
		*entropy = h;
		*effective = exp(h);
	}
	*out = t->items;
	*nr = t->nr;
	sm_release(&t->map);
}

/* ---- distances ---- */

struct dist_w {
	double d;
	unsigned long w;
};

/*
 * The sort key of a finite distance: its bits, which order non-negative
 * doubles as their values, with the sign bit set (negative ones: all bits
 * flipped, below them); -0 as 0, which it equals.
 */
static uint64_t dist_key(double d)
{
	uint64_t k;
	if (d == 0)
		d = 0.0;
	memcpy(&k, &d, sizeof(k));
	return k >> 63 ? ~k : k | (uint64_t)1 << 63;
}

/*
 * dw[0..m) by distance ascending, equal distances in their order (as the
 * merge sort of glibc's qsort left them): a stable radix sort on the bytes
 * of dist_key, a pass skipped when every distance has the same byte there.
 * qsort took ~9 M instructions for 20,000 places.
 */
static void sort_dists(struct dist_w *dw, size_t m)
{
	struct dist_w *tmp, *src = dw, *dst;
	size_t at[256];
	if (m < 2)
		return;
	tmp = xmalloc(m * sizeof(*tmp));
	dst = tmp;
	for (unsigned shift = 0; shift < 64; shift += 8) {
		struct dist_w *t;
		size_t sum = 0;
		int same = 0;
		memset(at, 0, sizeof(at));
		for (size_t i = 0; i < m; i++)
			at[(dist_key(src[i].d) >> shift) & 255]++;
		for (int d = 0; d < 256; d++) {
			size_t c = at[d];
			same |= c == m;
			at[d] = sum;
			sum += c;
		}
		if (same)
			continue;
		for (size_t i = 0; i < m; i++)
			dst[at[(dist_key(src[i].d) >> shift) & 255]++] = src[i];
		t = src;
		src = dst;
		dst = t;
	}
	if (src != dw)
		memcpy(dw, src, m * sizeof(*dw));
	free(tmp);
}

size_t st_distances(const struct st_place *places, size_t n, double **dist, unsigned long **count)
{
	struct dist_w *dw = xcalloc(n ? n : 1, sizeof(*dw));
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		const struct st_place *p = &places[i];
		if (p->count == 0 || !gc_level_is_point(p->place.level) || !isfinite(p->dist_km))
			continue;
		dw[m].d = p->dist_km;
		dw[m++].w = p->count;
	}
	sort_dists(dw, m);
	*dist = xcalloc(m ? m : 1, sizeof(**dist));
	*count = xcalloc(m ? m : 1, sizeof(**count));
	for (size_t i = 0; i < m; i++) {
		(*dist)[i] = dw[i].d;
		(*count)[i] = dw[i].w;
	}
	free(dw);
	return m;
}

/* out->km[0..m) and out->cum[0..m), st_distances' pairs, into the steps of the CDF. */
static void cdf_steps(struct st_cdf *out, size_t m)
{
	unsigned long cum = 0;
	out->n = 0;
	out->within_100mi = 0;
	/* in place: step k sums every distance up to the k-th distinct one */
	for (size_t i = 0; i < m; i++) {
		double km = out->km[i];
		cum += out->cum[i];
		if (km <= ST_100_MILES_KM)
			out->within_100mi += out->cum[i];
		if (i + 1 < m && out->km[i + 1] == km)
			continue;
		out->km[out->n] = km;
		out->cum[out->n++] = cum;
	}
	out->total = cum;
}

void st_cdf(const struct st_place *places, size_t n, struct st_cdf *out)
{
	cdf_steps(out, st_distances(places, n, &out->km, &out->cum));
}

void st_summary_cdf(const struct st_summary *s, struct st_cdf *out)
{
	size_t m = s->nr_dist;
	out->km = xmalloc((m ? m : 1) * sizeof(*out->km));
	out->cum = xmalloc((m ? m : 1) * sizeof(*out->cum));
	if (m) {
		memcpy(out->km, s->dist_sorted, m * sizeof(*out->km));
		memcpy(out->cum, s->dist_count, m * sizeof(*out->cum));
	}
	cdf_steps(out, m);
}

void st_cdf_release(struct st_cdf *c)
{
	free(c->km);
	free(c->cum);
	memset(c, 0, sizeof(*c));
}

/* "CC-A1" (country and admin-1 codes) into key, cut to size - 1 bytes; returns its length. */
static size_t admin1_key(char *key, size_t size, const char *cc, const char *a1)
{
	size_t n = 0;
	for (const char *s = cc; *s && n + 1 < size; s++)
		key[n++] = *s;
	if (n + 1 < size)
		key[n++] = '-';
	for (const char *s = a1; *s && n + 1 < size; s++)
		key[n++] = *s;
	key[n] = '\0';
	return n;
}

static void set_band(struct st_band *b, const char *key, const char *label, unsigned long count,
		     unsigned long base)
{
	b->key = key;
	b->label = label;
	b->count = count;
	b->base = base;
	b->share = base ? (double)count / (double)base : 0;
}

/* The positions of places, for geo_dists_km: all of them, or those with contacts at city level. */
struct st_coords {
	double *lat, *lon, *km;
	size_t *idx;   /* the place of entry i */
	size_t n;
};

static void coords_of(struct st_coords *c, const struct st_input *in, int located_only)
{
	size_t cap = in->nr_places ? in->nr_places : 1;
	c->lat = xmalloc(cap * sizeof(*c->lat));
	c->lon = xmalloc(cap * sizeof(*c->lon));
	c->km = xmalloc(cap * sizeof(*c->km));
	c->idx = xmalloc(cap * sizeof(*c->idx));
	c->n = 0;
	for (size_t i = 0; i < in->nr_places; i++) {
		const struct st_place *p = &in->places[i];
		if (located_only && (p->count == 0 || !gc_level_is_point(p->place.level)))
			continue;
		c->lat[c->n] = p->place.lat;
		c->lon[c->n] = p->place.lon;
		c->idx[c->n++] = i;
	}
}

static void coords_release(struct st_coords *c)
{
	free(c->lat);
	free(c->lon);
	free(c->km);
	free(c->idx);
}

/* The distance figures; pts: the places with contacts at city level (coords_of, located_only), pts->km used. */
static void distance_stats(struct st_input *in, struct st_coords *pts, struct st_summary *out)
{
	double *v, sum = 0, sum2 = 0, x = 0, y = 0, z = 0, rc2 = 0;
	unsigned long *w;
	size_t n = 0;
	unsigned long located = out->located;
	static const double qp[5] = { 0.10, 0.25, 0.50, 0.75, 0.90 };
	double q[5];

	for (size_t i = 0; i < in->nr_places; i++) {
		const struct st_place *p = &in->places[i];
		double la, lo;
		if (p->count == 0 || !gc_level_is_point(p->place.level))
			continue;
		sum += (double)p->count * p->dist_km;
		sum2 += (double)p->count * p->dist_km * p->dist_km;
		la = p->place.lat * M_PI / 180.0;
		lo = p->place.lon * M_PI / 180.0;
		x += (double)p->count * cos(la) * cos(lo);
		y += (double)p->count * cos(la) * sin(lo);
		z += (double)p->count * sin(la);
	}
	n = st_distances(in->places, in->nr_places, &v, &w);
	for (int i = 0; i < 5; i++)
		q[i] = st_quantile(v, w, n, qp[i]);
	out->dist_km.p10 = q[0];
	out->dist_km.p25 = q[1];
	out->dist_km.median = q[2];
	out->dist_km.p75 = q[3];
	out->dist_km.p90 = q[4];
	out->dist_km.mean = located ? sum / (double)located : 0;
	out->dist_km.max = n ? v[n - 1] : 0;
	out->rog_home_km = located ? sqrt(sum2 / (double)located) : 0;
	out->dist_sorted = v; /* kept for st_summary_cdf */
	out->dist_count = w;
	out->nr_dist = n;

	out->centre_lat = in->home.lat;
	out->centre_lon = in->home.lon;
	if (located) {
		double norm = sqrt(x * x + y * y + z * z) / (double)located;
		if (norm > 1e-9) {
			out->centre_lat = atan2(z, hypot(x, y)) * 180.0 / M_PI;
			out->centre_lon = atan2(y, x) * 180.0 / M_PI;
		}
		geo_dists_km(out->centre_lat, out->centre_lon, pts->lat, pts->lon, pts->n, in->jobs, pts->km);
		for (size_t i = 0; i < pts->n; i++)
			rc2 += (double)in->places[pts->idx[i]].count * pts->km[i] * pts->km[i];
		out->rog_centre_km = sqrt(rc2 / (double)located);
	}
}

/* ---- timeline ---- */

/*
 * The countries reached so far: a bit per two-letter code A-Z A-Z (every
 * ISO code), a strmap for any other code. Returns 1 when cc is new.
 */
struct seen_cc {
	unsigned char bit[26 * 26 / 8 + 1];
	struct strmap other;
};

static int seen_first(struct seen_cc *s, const char *cc)
{
	unsigned a = (unsigned char)cc[0] - 'A', b, i;
	int inserted = 0;
	if (a < 26 && (b = (unsigned char)cc[1] - 'A') < 26 && !cc[2]) {
		i = a * 26 + b;
		if (s->bit[i / 8] & (1u << (i % 8)))
			return 0;
		s->bit[i / 8] |= (unsigned char)(1u << (i % 8));
		return 1;
	}
	sm_put(&s->other, cc, strlen(cc), 0, &inserted);
	return inserted;
}

static int timeline(struct st_input *in, struct st_summary *out, struct strbuf *err)
{
	struct seen_cc seen;
	int first, last;
	size_t k = 0;
	unsigned long cum = 0, cum_loc = 0, cum_beyond = 0;

	if (!in->months || in->nr_months == 0)
		return NR_EX_OK;
	for (size_t i = 0; i < in->nr_months; i++) {
		if (in->months[i].place >= in->nr_places) {
			sb_addf(err, "stats: month entry %zu names place %zu of %zu", i, in->months[i].place, in->nr_places);
			return NR_EX_SOFTWARE;
		}
		if (i && in->months[i].month < in->months[i - 1].month) {
			sb_addf(err, "stats: month entries are not sorted (entry %zu)", i);
			return NR_EX_SOFTWARE;
		}
	}
	first = in->months[0].month;
	last = in->months[in->nr_months - 1].month;
	out->nr_timeline = (size_t)(last - first) + 1;
	out->timeline = xcalloc(out->nr_timeline, sizeof(*out->timeline));
	memset(seen.bit, 0, sizeof(seen.bit));
	sm_init(&seen.other);
	for (size_t m = 0; m < out->nr_timeline; m++) {
		struct st_month *tm = &out->timeline[m];
		size_t alloc = 0;
		tm->month = first + (int)m;
		for (; k < in->nr_months && in->months[k].month == tm->month; k++) {
			const struct st_place *p = &in->places[in->months[k].place];
			unsigned long c = in->months[k].count;
			tm->added += c;
			if (gc_level_is_point(p->place.level)) {
				cum_loc += c;
				if (p->dist_km > in->radius_km)
					cum_beyond += c;
			}
			if (c && nonempty(p->place.cc)) {
				if (seen_first(&seen, p->place.cc)) {
					ALLOC_GROW(tm->new_countries, tm->nr_new_countries + 1, alloc);
					tm->new_countries[tm->nr_new_countries++] = p->place.cc;
				}
			}
		}
		/* sort the new countries by code (few: insertion sort) */
		for (size_t i = 1; i < tm->nr_new_countries; i++)
			for (size_t j = i; j > 0 && strcmp(tm->new_countries[j], tm->new_countries[j - 1]) < 0; j--) {
				const char *t = tm->new_countries[j];
				tm->new_countries[j] = tm->new_countries[j - 1];
				tm->new_countries[j - 1] = t;
			}
		cum += tm->added;
		tm->cumulative = cum;
		tm->cumulative_located = cum_loc;
		tm->cumulative_beyond_home = cum_beyond;
		tm->cumulative_beyond_home_share = cum_loc ? (double)cum_beyond / (double)cum_loc : 0;
	}
	sm_release(&seen.other);
	return NR_EX_OK;
}

/* ---- footprint ---- */

/* The footprint of pts, the places with contacts at city level. */
static int footprint(const struct st_input *in, const struct st_coords *pts, struct nr_data *data,
		     struct st_summary *out, struct strbuf *err)
{
	struct geo_countries *c = NULL;
	struct geo_footprint fp;
	struct geo_footprint_opts opts = { 0, in->jobs };
	int rc = NR_EX_OK;

	if (pts->n && data)
		rc = nd_countries(data, &c, err);
	if (!rc)
		rc = geo_footprint_run(pts->lat, pts->lon, pts->n, ST_FOOTPRINT_KM, c, &opts, &fp, err);
	if (!rc) {
		out->footprint.union_km2 = fp.union_km2;
		out->footprint.hull_km2 = fp.hull_km2;
		out->footprint.countries = fp.countries;
	}
	return rc;
}

/* ---- the whole ---- */

int st_compute(struct st_input *in, struct nr_data *data, struct st_summary *out, struct strbuf *err)
{
	const struct gc_place *home = &in->home;
	struct tally countries, admin1, conts;
	struct st_coords located; /* the places with contacts at city level: distances from the centre, the footprint */
	unsigned long home_n = 0, beyond = 0, beyond161 = 0;
	unsigned long out_a1 = 0, base_a1 = 0, out_cc = 0, out_ct = 0, base_ct = 0, known_a1 = 0;
	unsigned long band[ST_DIST_BANDS] = { 0 };
	int rc;

	memset(out, 0, sizeof(*out));
	/* with no place there is nothing to measure from home: a run without locations has none */
	if (in->nr_places &&
	    (!isfinite(home->lat) || !isfinite(home->lon) || fabs(home->lat) > 90 || fabs(home->lon) > 180 ||
	     !nonempty(home->cc))) {
		sb_addf(err, "stats: home '%s' has no valid position or country", home->name ? home->name : "");
		return NR_EX_SOFTWARE;
	}
	if (!(in->radius_km > 0)) {
		sb_addf(err, "stats: radius %g km is not positive", in->radius_km);
		return NR_EX_SOFTWARE;
	}
	out->radius_km = in->radius_km;
	tally_init(&countries);
	tally_init(&admin1);
	tally_init(&conts);
	{
		struct st_coords all;
		coords_of(&all, in, 0);
		geo_dists_km(home->lat, home->lon, all.lat, all.lon, all.n, in->jobs, all.km);
		for (size_t i = 0; i < all.n; i++)
			in->places[i].dist_km = all.km[i];
		coords_release(&all);
	}

	for (size_t i = 0; i < in->nr_places; i++) {
		struct st_place *p = &in->places[i];
		const struct gc_place *g = &p->place;
		unsigned long c = p->count;
		int same_cc;
		if (c == 0 || g->level == GC_LEVEL_NONE)
			continue;
		out->resolved += c;
		same_cc = nonempty(g->cc) && strcmp(g->cc, home->cc) == 0;
		if (gc_level_is_point(g->level)) {
			int b = 0;
			out->located += c;
			out->distinct.cities++;
			if (p->dist_km <= in->radius_km)
				home_n += c;
			else
				beyond += c;
			if (p->dist_km > ST_100_MILES_KM)
				beyond161 += c;
			while (b < ST_DIST_BANDS - 1 && p->dist_km > st_dist_bands[b].max_km)
				b++;
			band[b] += c;
		}
		/* admin-1 band */
		if (!same_cc) {
			base_a1 += c;
			out_a1 += c;
		} else if (g->level != GC_LEVEL_COUNTRY && nonempty(g->admin1_code) && nonempty(home->admin1_code)) {
			base_a1 += c;
			if (strcmp(g->admin1_code, home->admin1_code) != 0)
				out_a1 += c;
		}
		if (!same_cc)
			out_cc += c;
		if (nonempty(g->continent) && nonempty(home->continent)) {
			base_ct += c;
			if (strcmp(g->continent, home->continent) != 0)
				out_ct += c;
		}
		/* tallies */
		if (nonempty(g->cc)) {
			struct st_item *it = tally_get(&countries, g->cc, strlen(g->cc));
			it->code = g->cc;
			it->name = nonempty(g->country) ? g->country : g->cc;
			it->count += c;
		}
		if (g->level != GC_LEVEL_COUNTRY && nonempty(g->admin1_code) && nonempty(g->cc)) {
			char key[64];
			size_t kl = admin1_key(key, sizeof(key), g->cc, g->admin1_code);
			struct st_item *it = tally_get(&admin1, key, kl);
			if (!it->code) {
				it->code = own(out, xstrndup(key, (size_t)kl));
				it->name = nonempty(g->admin1) ? g->admin1 : it->code;
				it->cc = g->cc;
			}
			it->count += c;
			known_a1 += c;
		}
		if (nonempty(g->continent)) {
			struct st_item *it = tally_get(&conts, g->continent, strlen(g->continent));
			if (!it->code) {
				it->code = g->continent;
				it->name = st_continent_name(g->continent);
				if (!it->name)
					it->name = g->continent;
			}
			it->count += c;
		}
	}

	{
		const unsigned long count[ST_REACH_COUNT] = { home_n, beyond, beyond161, out_a1, out_cc, out_ct };
		const unsigned long base[ST_REACH_COUNT] = { out->located, out->located, out->located, base_a1,
							     out->resolved, base_ct };
		for (int i = 0; i < ST_REACH_COUNT; i++)
			set_band(&out->reach[i], st_reach_bands[i].key,
				 i == ST_REACH_HOME ? ownf(out, st_reach_bands[i].label, in->radius_km)
						    : st_reach_bands[i].label, count[i], base[i]);
	}
	for (int b = 0; b < ST_DIST_BANDS; b++)
		set_band(&out->dist_band[b], st_dist_bands[b].key, st_dist_bands[b].label, band[b], out->located);

	coords_of(&located, in, 1);
	distance_stats(in, &located, out);

	out->distinct.countries = countries.nr;
	out->distinct.admin1 = admin1.nr;
	out->distinct.continents = conts.nr;
	tally_finish(&countries, out->resolved, &out->countries_entropy, &out->countries_effective,
		     &out->countries, &out->nr_countries);
	tally_finish(&admin1, known_a1, &out->admin1_entropy, &out->admin1_effective, &out->admin1,
		     &out->nr_admin1);
	tally_finish(&conts, out->resolved, NULL, NULL, &out->continents, &out->nr_continents);

	/* user regions: city-level places only */
	if (in->nr_regions) {
		unsigned long inside = 0;
		out->nr_regions = in->nr_regions + 1;
		out->regions = xcalloc(out->nr_regions, sizeof(*out->regions));
		for (size_t r = 0; r < in->nr_regions; r++) {
			out->regions[r].code = ownf(out, "%zu", r);
			out->regions[r].name = in->region_names && in->region_names[r] ? in->region_names[r]
											 : out->regions[r].code;
		}
		out->regions[in->nr_regions].code = "none";
		out->regions[in->nr_regions].name = "Outside all regions";
		for (size_t i = 0; i < in->nr_places; i++) {
			const struct st_place *p = &in->places[i];
			if (p->count == 0 || !gc_level_is_point(p->place.level) || p->region < 0)
				continue;
			if ((size_t)p->region >= in->nr_regions) {
				sb_addf(err, "stats: place '%s' has region %d of %zu", p->place.name ? p->place.name : "",
					p->region, in->nr_regions);
				st_summary_release(out);
				coords_release(&located);
				return NR_EX_SOFTWARE;
			}
			out->regions[p->region].count += p->count;
			inside += p->count;
		}
		out->regions[in->nr_regions].count = out->located - inside;
		for (size_t r = 0; r < out->nr_regions; r++)
			out->regions[r].share = out->located ? (double)out->regions[r].count / (double)out->located : 0;
	}

	rc = timeline(in, out, err);
	if (!rc)
		rc = footprint(in, &located, data, out, err);
	coords_release(&located);
	if (rc)
		st_summary_release(out);
	return rc;
}

void st_summary_release(struct st_summary *s)
{
	free(s->countries);
	free(s->admin1);
	free(s->continents);
	free(s->regions);
	for (size_t i = 0; i < s->nr_timeline; i++)
		free(s->timeline[i].new_countries);
	free(s->timeline);
	free(s->dist_sorted);
	free(s->dist_count);
	for (size_t i = 0; i < s->nr_strings; i++)
		free(s->strings[i]);
	free(s->strings);
	memset(s, 0, sizeof(*s));
}
