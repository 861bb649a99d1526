/* analyze: exports -> distinct location strings -> places -> summary (see analyze.h). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyze.h"
#include "gazetteer.h"
#include "geo.h"
#include "i18n.h"
#include "progress.h"
#include "regions.h"
#include "text.h"
#include "banned.h"

#define NO_LOC UINT32_MAX
#define AN_PART_GAVE_UP 1          /* on_row of a second part: stop, the rows are read again (struct part) */


/* ---- a set of 64-bit hashes (profile URLs seen, for de-duplication) ---- */

struct u64set {
	uint64_t *slots;  /* 0 = empty; a hash of 0 is stored as 1 */
	size_t n, cap;
};

static int u64set_add(struct u64set *s, uint64_t h)
{
	size_t mask, i;
	if (h == 0)
		h = 1;
	if (4 * (s->n + 1) > 3 * s->cap) { /* load <= 3/4: 10.7 to 21.3 bytes per URL */
		size_t ncap = s->cap ? 2 * s->cap : 1024;
		uint64_t *ns = xcalloc(ncap, sizeof(*ns));
		for (size_t k = 0; k < s->cap; k++)
			if (s->slots[k]) {
				size_t j = (size_t)s->slots[k] & (ncap - 1);
				while (ns[j])
					j = (j + 1) & (ncap - 1);
				ns[j] = s->slots[k];
			}
		free(s->slots);
		s->slots = ns;
		s->cap = ncap;
	}
	mask = s->cap - 1;
	for (i = (size_t)h & mask; s->slots[i]; i = (i + 1) & mask)
		if (s->slots[i] == h)
			return 0;
	s->slots[i] = h;
	s->n++;
	return 1;
}

/*
 * ---- rows per (month, loc) ----
 * The key (month << 32 | loc) and the count live in the slot itself: one
 * cache line touched per row, 16 bytes per slot at load <= 3/4.
 * A big export has hundreds of thousands of (month, loc) pairs, so that
 * line is rarely in cache: rows go through a ring of MTAB_LAG keys, the
 * slot of a key is prefetched when it enters and counted when it leaves,
 * MTAB_LAG rows later (mtab_push), so the miss overlaps the parsing of
 * the rows in between. mtab_drain counts what is still in the ring.
 */
#define MTAB_LAG 16

struct mtab {
	struct mslot {
		uint64_t key;
		unsigned long count;  /* 0 = empty */
	} *slots;
	size_t n, cap;
	uint64_t ring[MTAB_LAG];  /* keys not counted yet */
	unsigned ring_n, ring_at; /* keys in the ring; the next position */
};

static size_t mtab_slot(uint64_t key, size_t mask)
{
	key ^= key >> 33;
	key *= 0xff51afd7ed558ccdULL;
	key ^= key >> 33;
	return (size_t)key & mask;
}

/* Room for n keys at load <= 3/4, growing (by doubling) in one step. */
static void mtab_reserve(struct mtab *t, size_t n)
{
	size_t ncap = t->cap ? t->cap : 4096;
	struct mslot *ns;
	while (4 * n > 3 * ncap)
		ncap *= 2;
	if (ncap == t->cap)
		return;
	ns = xcalloc(ncap, sizeof(*ns));
	for (size_t k = 0; k < t->cap; k++)
		if (t->slots[k].count) {
			size_t j = mtab_slot(t->slots[k].key, ncap - 1);
			while (ns[j].count)
				j = (j + 1) & (ncap - 1);
			ns[j] = t->slots[k];
		}
	free(t->slots);
	t->slots = ns;
	t->cap = ncap;
}

/* Count n more rows of (month, loc). */
static void mtab_add(struct mtab *t, int32_t month, uint32_t loc, unsigned long n)
{
	uint64_t key = (uint64_t)(uint32_t)month << 32 | loc;
	size_t mask = t->cap - 1, i;
	if (t->cap)
		for (i = mtab_slot(key, mask); t->slots[i].count; i = (i + 1) & mask)
			if (t->slots[i].key == key) {
				t->slots[i].count += n;
				return;
			}
	if (4 * (t->n + 1) > 3 * t->cap) {
		mtab_reserve(t, t->n + 1);
		mask = t->cap - 1;
	}
	for (i = mtab_slot(key, mask); t->slots[i].count; i = (i + 1) & mask)
		;
	t->slots[i].key = key;
	t->slots[i].count = n;
	t->n++;
}

/* Count a row of (month, loc) MTAB_LAG rows from now (or at mtab_drain). */
static void mtab_push(struct mtab *t, int32_t month, uint32_t loc)
{
	uint64_t key = (uint64_t)(uint32_t)month << 32 | loc;
	uint64_t old = t->ring[t->ring_at];
	if (t->cap)
		__builtin_prefetch(&t->slots[mtab_slot(key, t->cap - 1)], 1);
	t->ring[t->ring_at] = key;
	t->ring_at = (t->ring_at + 1) % MTAB_LAG;
	if (t->ring_n < MTAB_LAG)
		t->ring_n++;
	else
		mtab_add(t, (int32_t)(uint32_t)(old >> 32), (uint32_t)old, 1);
}

/* Count the rows still in the ring; the table is then complete. */
static void mtab_drain(struct mtab *t)
{
	unsigned at = (t->ring_at + MTAB_LAG - t->ring_n) % MTAB_LAG;
	for (; t->ring_n; t->ring_n--, at = (at + 1) % MTAB_LAG)
		mtab_add(t, (int32_t)(uint32_t)(t->ring[at] >> 32), (uint32_t)t->ring[at], 1);
	t->ring_at = 0;
}

/* ---- aggregation while reading ---- */

enum loc_kind {
	LOC_STRING,               /* a distinct location string (key: entry in strs) */
	LOC_COORDS,               /* distinct rounded coordinates (key: entry in coords) */
	LOC_PLACED,               /* past AN_MAX_DISTINCT: strings resolved on arrival to one place (key: entry in placed) */
	LOC_OVERFLOW              /* past AN_MAX_DISTINCT: unresolved strings or coordinates, by reason */
};

struct loc {
	enum loc_kind kind;
	size_t key;               /* entry index in strs, coords or placed */
	int32_t lat_e3, lon_e3;   /* coordinates * 1000, rounded (LOC_COORDS) */
	unsigned long count;
	unsigned long *in;        /* count per input; NULL with one input (count is that) */
	uint32_t place;           /* after folding: index into places, or NO_LOC */
	const char *reason;       /* unresolved: why */
	struct gc_place *placed;  /* LOC_PLACED: the place */
};

struct ctx {
	struct an_result *r;
	const struct an_options *opt;
	size_t input, nr_inputs;
	struct strmap strs, coords;
	struct mtab months;        /* rows per (month, loc) */
	struct mtab months2;       /* a merged second part's rows per (month, its loc), see part_merge */
	uint32_t *months2_loc;     /* its loc -> loc */
	struct strmap placed;     /* place key -> loc, past AN_MAX_DISTINCT */
	struct strmap overflow;   /* reason -> loc, past AN_MAX_DISTINCT */
	struct gc *ogc;           /* resolves strings on arrival past AN_MAX_DISTINCT */
	size_t ogc_used;
	size_t max_distinct;      /* opt->max_distinct or AN_MAX_DISTINCT */
	size_t max_listed;        /* opt->max_listed or AN_MAX_LISTED */
	unsigned long overflow_rows;
	struct loc *locs;
	size_t nr_locs, alloc_locs;
	size_t alloc_skipped, alloc_contacts;
	struct u64set urls;
	struct nr_data *data;      /* lent by the caller: gazetteer and country outlines */
	struct gz *gz;             /* data's gazetteer */
	int dedup;
	int second_part;          /* rows after the cut of a split read (struct part): never resolves */
	int gave_up;              /* second_part reached max_distinct: its rows must be read again */
	struct strbuf url, tmp, tmp2;
	struct pg pg;
	struct strmap companies;  /* Company cell as written (trimmed) -> contacts */
	unsigned long *by_month;  /* contacts per month since 1900 (AN_MONTHS of them), allocated on first use */
	char **target_lines;      /* --targets, as read */
	size_t nr_target_lines;
};

#define MONTH_BASE (1900 * 12)
#define AN_MONTHS (300 * 12)        /* ing_parse_month gives years 1900 to 2199 */

/* ing_read passes one ctx to both callbacks: forward progress to the bar. */
static void on_progress(unsigned long long done, unsigned long long total, unsigned long records, void *vctx)
{
	struct ctx *c = vctx;
	pg_ing_progress(done, total, records, &c->pg);
}

static uint32_t new_loc(struct ctx *c, enum loc_kind kind, size_t key)
{
	struct loc *l;
	ALLOC_GROW(c->locs, c->nr_locs + 1, c->alloc_locs);
	l = &c->locs[c->nr_locs];
	memset(l, 0, sizeof(*l));
	l->kind = kind;
	l->key = key;
	l->place = NO_LOC;
	if (c->nr_inputs > 1)
		l->in = xcalloc(c->nr_inputs, sizeof(*l->in));
	return (uint32_t)c->nr_locs++;
}

/* Rows of l that came from input k. */
static unsigned long loc_in(const struct loc *l, size_t k)
{
	return l->in ? l->in[k] : l->count;
}

/* The loc collecting unresolved rows past AN_MAX_DISTINCT that share a reason (static). */
static uint32_t overflow_loc(struct ctx *c, const char *reason)
{
	int inserted;
	size_t *v = sm_put(&c->overflow, reason, strlen(reason), c->nr_locs, &inserted);
	if (inserted) {
		uint32_t i = new_loc(c, LOC_OVERFLOW, sm_count(&c->overflow) - 1);
		c->locs[i].reason = reason;
		return i;
	}
	return (uint32_t)*v;
}

/*
 * Past AN_MAX_DISTINCT distinct strings, a new string is resolved on
 * arrival and its row counted by place (or by reason when unresolved), so
 * memory stays bounded while every row is still counted. The resolver's
 * cache starts afresh every AN_MAX_DISTINCT / 16 strings.
 */
static uint32_t placed_loc(struct ctx *c, const char *s, size_t len)
{
	const struct gc_place *g;
	int inserted;
	size_t *v;
	c->overflow_rows++;
	if (!c->ogc || c->ogc_used >= c->max_distinct / 16 + 1) {
		gc_free(c->ogc);
		c->ogc = gc_new(c->gz);
		c->ogc_used = 0;
	}
	c->ogc_used++;
	g = gc_resolve(c->ogc, s, len);
	if (g->level == GC_LEVEL_NONE)
		return overflow_loc(c, g->reason ? g->reason : N_("names no known place"));
	v = sm_put(&c->placed, &g->key, sizeof(g->key), c->nr_locs, &inserted);
	if (inserted) {
		uint32_t i = new_loc(c, LOC_PLACED, sm_count(&c->placed) - 1);
		c->locs[i].placed = xmalloc(sizeof(*c->locs[i].placed));
		*c->locs[i].placed = *g; /* its strings point into the gazetteer */
		return i;
	}
	return (uint32_t)*v;
}

static uint32_t string_loc(struct ctx *c, const char *s, size_t len)
{
	int inserted;
	size_t *v;
	if (sm_count(&c->strs) >= c->max_distinct) {
		v = sm_get(&c->strs, s, len);
		if (v)
			return (uint32_t)*v;
		if (c->second_part) {
			c->gave_up = 1;
			return NO_LOC;
		}
		return placed_loc(c, s, len);
	}
	v = sm_put(&c->strs, s, len, c->nr_locs, &inserted);
	if (inserted)
		return new_loc(c, LOC_STRING, sm_count(&c->strs) - 1);
	return (uint32_t)*v;
}

/* The loc of coordinates rounded to 0.001 degree (lat_e3, lon_e3). */
static uint32_t coords_loc_e3(struct ctx *c, int32_t lat_e3, int32_t lon_e3)
{
	int32_t k[2] = { lat_e3, lon_e3 };
	int inserted;
	size_t *v;
	if (sm_count(&c->coords) >= c->max_distinct) {
		v = sm_get(&c->coords, k, sizeof(k));
		if (v)
			return (uint32_t)*v;
		if (c->second_part) {
			c->gave_up = 1;
			return NO_LOC;
		}
		c->overflow_rows++;
		return overflow_loc(c, AN_OVERFLOW_COORDS);
	}
	v = sm_put(&c->coords, k, sizeof(k), c->nr_locs, &inserted);
	if (inserted) {
		uint32_t i = new_loc(c, LOC_COORDS, sm_count(&c->coords) - 1);
		c->locs[i].lat_e3 = k[0];
		c->locs[i].lon_e3 = k[1];
		return i;
	}
	return (uint32_t)*v;
}

static uint32_t coords_loc(struct ctx *c, double lat, double lon)
{
	return coords_loc_e3(c, (int32_t)lround(lat * 1000.0), (int32_t)lround(lon * 1000.0));
}

/* List a skipped row while the list is below max_listed (the count is the caller's). */
static void add_skipped_listed(struct ctx *c, unsigned long line, const char *reason)
{
	struct an_result *r = c->r;
	if (r->nr_skipped_list < c->max_listed) {
		ALLOC_GROW(r->skipped_list, r->nr_skipped_list + 1, c->alloc_skipped);
		r->skipped_list[r->nr_skipped_list].input = c->input;
		r->skipped_list[r->nr_skipped_list].line = line;
		r->skipped_list[r->nr_skipped_list].reason = reason;
		r->nr_skipped_list++;
	}
}

static void add_skipped(struct ctx *c, unsigned long line, const char *reason)
{
	struct an_result *r = c->r;
	add_skipped_listed(c, line, reason);
	r->skipped++;
	r->input_counts[c->input].skipped++;
}

static const char *field(const struct ing_row *row, enum ing_role role, size_t *len)
{
	*len = row->field[role] ? row->field_len[role] : 0;
	return *len ? row->field[role] : NULL;
}

/*
 * Identities of a contact for compare: hashes of the URL key, the e-mail
 * (lower case, no blanks) and the folded name + company; 0 where absent.
 */
static void contact_id(struct ctx *c, const struct ing_row *row, size_t url_len, struct an_contact *out)
{
	const char *s;
	size_t len;
	out->url = url_len ? sm_hash(c->url.buf, url_len) : 0;
	out->email = out->name = 0;
	s = field(row, ING_EMAIL, &len);
	if (s) {
		sb_reset(&c->tmp);
		for (size_t i = 0; i < len; i++) {
			unsigned char ch = (unsigned char)s[i];
			if (ch == ' ' || ch == '\t')
				continue;
			sb_addch(&c->tmp, ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
		}
		if (c->tmp.len)
			out->email = sm_hash(c->tmp.buf, c->tmp.len);
	}
	/* name: full name, else first + last */
	sb_reset(&c->tmp2);
	s = field(row, ING_FULL_NAME, &len);
	if (s) {
		sb_add(&c->tmp2, s, len);
	} else {
		s = field(row, ING_FIRST_NAME, &len);
		if (s)
			sb_add(&c->tmp2, s, len);
		s = field(row, ING_LAST_NAME, &len);
		if (s) {
			sb_addch(&c->tmp2, ' ');
			sb_add(&c->tmp2, s, len);
		}
	}
	txt_fold(&c->tmp, c->tmp2.buf, c->tmp2.len, 0);
	if (!c->tmp.len)
		return;
	sb_addch(&c->tmp, '\x1f');
	s = field(row, ING_COMPANY, &len);
	if (s) {
		size_t at = c->tmp.len;
		sb_reset(&c->tmp2);
		txt_fold(&c->tmp2, s, len, 0);
		sb_setlen(&c->tmp, at);
		sb_add(&c->tmp, c->tmp2.buf, c->tmp2.len);
	}
	out->name = sm_hash(c->tmp.buf, c->tmp.len);
}

/*
 * Count the row's Company cell (trimmed) as written; the spellings are
 * folded together once, at the end (fold_companies). Returns 0, or 1 when
 * the company was not kept: past max_distinct spellings it is counted in
 * companies_unlisted (a second part gives up instead, like string_loc).
 */
static int count_company(struct ctx *c, const struct ing_row *row)
{
	const char *s = row->field[ING_COMPANY];
	size_t len = row->field_len[ING_COMPANY];
	size_t *v;
	while (len && (*s == ' ' || *s == '\t'))
		s++, len--;
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r' || s[len - 1] == '\n'))
		len--;
	if (!len)
		return 0;
	c->r->with_company++;
	v = sm_get(&c->companies, s, len);
	if (!v) {
		if (sm_count(&c->companies) >= c->max_distinct) {
			if (c->second_part)
				c->gave_up = 1;
			else
				c->r->companies_unlisted++;
			return 1;
		}
		v = sm_put(&c->companies, s, len, 0, NULL);
	}
	(*v)++;
	return 0;
}

static int on_row(const struct ing_row *row, void *vctx)
{
	struct ctx *c = vctx;
	struct an_result *r = c->r;
	struct an_input_counts *ic = &r->input_counts[c->input];
	uint32_t loc = NO_LOC;
	size_t url_len = 0, len;
	const char *url;

	r->rows++;
	ic->rows++;
	if (row->status == ING_ROW_SKIPPED) {
		if (row->skip_reason && !strcmp(row->skip_reason, ING_EMPTY_LINKEDIN)) {
			r->empty_rows++;
			ic->empty_rows++;
		}
		add_skipped(c, row->line, row->skip_reason ? row->skip_reason : "skipped");
		return 0;
	}
	url = field(row, ING_URL, &len);
	if (url && (c->dedup || c->opt->keep_contacts))
		url_len = ing_url_key(&c->url, url, len);
	if (c->dedup && url_len && !u64set_add(&c->urls, sm_hash(c->url.buf, url_len))) {
		r->duplicates++;
		ic->duplicates++;
		add_skipped(c, row->line, "duplicate profile URL");
		return 0;
	}
	if (row->date_state == ING_DATE_OK && row->month >= MONTH_BASE && row->month < MONTH_BASE + AN_MONTHS) {
		if (!c->by_month)
			c->by_month = xcalloc(AN_MONTHS, sizeof(*c->by_month));
		c->by_month[row->month - MONTH_BASE]++;
	}
	if (row->field[ING_COMPANY] && row->field_len[ING_COMPANY] && count_company(c, row) && c->gave_up)
		return AN_PART_GAVE_UP;
	if (row->status == ING_ROW_OK) {
		if (row->location && row->location_len)
			loc = string_loc(c, row->location, row->location_len);
		else if (row->has_coords)
			loc = coords_loc(c, row->lat, row->lon);
		if (c->gave_up)
			return AN_PART_GAVE_UP;
	}
	if (loc == NO_LOC) {
		r->no_location++;
		ic->no_location++;
	} else {
		struct loc *l = &c->locs[loc];
		l->count++;
		if (l->in)
			l->in[c->input]++;
		if (row->date_state == ING_DATE_OK)
			mtab_push(&c->months, row->month, loc);
	}
	if (c->opt->keep_contacts) {
		struct an_contact *ct;
		ALLOC_GROW(r->contacts, r->nr_contacts + 1, c->alloc_contacts);
		ct = &r->contacts[r->nr_contacts++];
		contact_id(c, row, url_len, ct);
		ct->place = loc; /* a loc index until the places are known */
	}
	return 0;
}

/* ---- resolution ---- */

static const char *own_str(struct an_result *r, char *s)
{
	ALLOC_GROW(r->strings, r->nr_strings + 1, r->alloc_strings);
	r->strings[r->nr_strings++] = s;
	return s;
}

/*
 * A place for the point (lat, lon): gc_place_at with the country whose
 * outline contains the point (countries may be NULL); a point off the
 * gazetteer's places is named by its coordinates. Returns 0 when found,
 * else -1 with *reason.
 */
static int place_at(struct ctx *c, const struct geo_countries *countries, double lat, double lon,
		    struct gc_place *out, const char **reason)
{
	struct an_result *r = c->r;
	int inside = lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180;
	const char *cc = countries && inside ? geo_countries_locate(countries, lat, lon) : NULL;
	if (gc_place_at(c->gz, lat, lon, AN_NEAREST_KM, cc, out, reason))
		return -1;
	if (!out->name) {
		struct strbuf sb = STRBUF_INIT;
		sb_init(&sb, 32);
		sb_addf(&sb, "%.3f, %.3f", lat, lon);
		out->name = own_str(r, sb_detach(&sb, NULL));
	}
	return 0;
}

static int cmp_place(const void *a, const void *b)
{
	const struct st_place *x = a, *y = b;
	int c;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	c = strcmp(x->place.name ? x->place.name : "", y->place.name ? y->place.name : "");
	if (c)
		return c;
	return x->place.key < y->place.key ? -1 : x->place.key > y->place.key;
}

static int cmp_unresolved(const void *a, const void *b)
{
	const struct an_unresolved *x = a, *y = b;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->text, y->text);
}

static int cmp_month(const void *a, const void *b)
{
	const struct st_month_place *x = a, *y = b;
	if (x->month != y->month)
		return x->month < y->month ? -1 : 1;
	return x->place < y->place ? -1 : x->place > y->place;
}

/*
 * Sort by (month, place), the order of cmp_month, in linear time: a
 * counting sort by place, then a stable one by month (months lie within
 * 300 years, see ing_parse_month; places below the number of places).
 * qsort on a million entries was a tenth of a 1M-row run.
 */
static void sort_months(struct st_month_place *m, size_t n)
{
	struct st_month_place *tmp;
	size_t *cnt, maxp = 0, range;
	int lo, hi;
	if (n < 2)
		return;
	lo = hi = m[0].month;
	for (size_t i = 0; i < n; i++) {
		if (m[i].month < lo)
			lo = m[i].month;
		if (m[i].month > hi)
			hi = m[i].month;
		if (m[i].place > maxp)
			maxp = m[i].place;
	}
	range = (size_t)(hi - lo) + 1;
	if (range > 4 * n + 4096 || maxp > 4 * n + 4096) { /* not the ranges above: no linear gain */
		qsort(m, n, sizeof(*m), cmp_month);
		return;
	}
	cnt = xcalloc((range > maxp + 1 ? range : maxp + 1) + 1, sizeof(*cnt));
	tmp = xmalloc(n * sizeof(*tmp));
	for (size_t i = 0; i < n; i++)
		cnt[m[i].place + 1]++;
	for (size_t k = 1; k <= maxp + 1; k++)
		cnt[k] += cnt[k - 1];
	for (size_t i = 0; i < n; i++)
		tmp[cnt[m[i].place]++] = m[i];
	memset(cnt, 0, (range + 1) * sizeof(*cnt));
	for (size_t i = 0; i < n; i++)
		cnt[(size_t)(tmp[i].month - lo) + 1]++;
	for (size_t k = 1; k <= range; k++)
		cnt[k] += cnt[k - 1];
	for (size_t i = 0; i < n; i++)
		m[cnt[(size_t)(tmp[i].month - lo)]++] = tmp[i];
	free(tmp);
	free(cnt);
}

/*
 * Append table t's (month, loc) counts to r->months as (month, place)
 * (locs through loc_of when not NULL; unresolved ones left out), then free
 * the table, before the sort allocates. Slot order is arbitrary: the sort
 * (a total order) and the merge after it make the list canonical.
 */
static void fold_months(struct ctx *c, struct mtab *t, const uint32_t *loc_of, size_t *n, size_t *alloc)
{
	struct an_result *r = c->r;
	for (size_t i = 0; i < t->cap; i++) {
		const struct mslot *ms = &t->slots[i];
		uint32_t loc = (uint32_t)ms->key;
		if (!ms->count)
			continue;
		if (loc_of)
			loc = loc_of[loc];
		if (c->locs[loc].place == NO_LOC)
			continue;
		ALLOC_GROW(r->months, *n + 1, *alloc);
		r->months[*n].month = (int32_t)(uint32_t)(ms->key >> 32);
		r->months[*n].place = c->locs[loc].place;
		r->months[*n].count = ms->count;
		(*n)++;
	}
	free(t->slots);
	memset(t, 0, sizeof(*t));
}

static int resolve_all(struct ctx *c, struct strbuf *err)
{
	struct an_result *r = c->r;
	struct gc *gc = gc_new(c->gz);
	struct geo_countries *countries = NULL;
	struct strmap bykey;   /* place key -> index */
	size_t alloc_places = 0, alloc_unres = 0, *order = NULL;
	int rc = NR_EX_OK;

	if (sm_count(&c->coords)) {
		rc = nd_countries(c->data, &countries, err);
		if (rc) {
			gc_free(gc);
			return rc;
		}
	}
	sm_init(&bykey);
	for (size_t i = 0, used = 0; i < c->nr_locs; i++) {
		struct loc *l = &c->locs[i];
		struct gc_place p;
		const char *reason = NULL;
		int ok;
		if (l->kind == LOC_COORDS) {
			ok = place_at(c, countries, l->lat_e3 / 1000.0, l->lon_e3 / 1000.0, &p, &reason) == 0;
		} else if (l->kind == LOC_PLACED) {
			ok = 1;
			p = *l->placed;
		} else if (l->kind == LOC_OVERFLOW) {
			ok = 0;
			reason = l->reason;
		} else {
			const struct gc_place *g;
			/* each string comes once: keep the resolver's cache small */
			if (++used % (c->max_distinct / 16 + 1) == 0) {
				gc_free(gc);
				gc = gc_new(c->gz);
			}
			g = gc_resolve(gc, sm_key(&c->strs, l->key), sm_keylen(&c->strs, l->key));
			ok = g->level != GC_LEVEL_NONE;
			if (ok)
				p = *g;
			else
				reason = g->reason ? g->reason : "names no known place";
		}
		if (!ok) {
			l->reason = reason;
			r->unresolved += l->count;
			for (size_t k = 0; k < c->nr_inputs; k++)
				r->input_counts[k].unresolved += loc_in(l, k);
			continue;
		}
		{
			int inserted;
			size_t *v = sm_put(&bykey, &p.key, sizeof(p.key), r->nr_places, &inserted);
			if (inserted) {
				ALLOC_GROW(r->places, r->nr_places + 1, alloc_places);
				memset(&r->places[r->nr_places], 0, sizeof(r->places[0]));
				r->places[r->nr_places].place = p;
				r->places[r->nr_places].region = -1;
				r->nr_places++;
			}
			l->place = (uint32_t)*v;
			r->places[*v].count += l->count;
		}
		r->resolved += l->count;
		for (size_t k = 0; k < c->nr_inputs; k++)
			r->input_counts[k].resolved += loc_in(l, k);
	}
	sm_release(&bykey);
	gc_free(gc);

	/* sort places and remap loc -> place */
	order = xcalloc(r->nr_places + 1, sizeof(*order));
	{
		struct { struct st_place p; size_t old; } *tmp = xcalloc(r->nr_places + 1, sizeof(*tmp));
		for (size_t i = 0; i < r->nr_places; i++) {
			tmp[i].p = r->places[i];
			tmp[i].old = i;
		}
		/* qsort on the st_place prefix: cmp_place reads only the st_place part */
		qsort(tmp, r->nr_places, sizeof(*tmp), cmp_place);
		for (size_t i = 0; i < r->nr_places; i++) {
			r->places[i] = tmp[i].p;
			order[tmp[i].old] = i;
		}
		free(tmp);
	}
	for (size_t i = 0; i < c->nr_locs; i++)
		if (c->locs[i].place != NO_LOC)
			c->locs[i].place = (uint32_t)order[c->locs[i].place];
	free(order);

	/* unresolved strings */
	for (size_t i = 0; i < c->nr_locs; i++) {
		struct loc *l = &c->locs[i];
		struct an_unresolved *u;
		struct strbuf sb = STRBUF_INIT;
		if (l->place != NO_LOC || l->count == 0)
			continue;
		sb_init(&sb, 32);
		if (l->kind == LOC_COORDS)
			sb_addf(&sb, "%.3f,%.3f", l->lat_e3 / 1000.0, l->lon_e3 / 1000.0);
		else if (l->kind == LOC_OVERFLOW)
			sb_addf(&sb, "(locations past the first %zu distinct ones, not listed one by one)",
				c->max_distinct);
		else
			txt_utf8_sanitize(&sb, sm_key(&c->strs, l->key), sm_keylen(&c->strs, l->key));
		ALLOC_GROW(r->unresolved_list, r->nr_unresolved_list + 1, alloc_unres);
		u = &r->unresolved_list[r->nr_unresolved_list++];
		u->text = sb_detach(&sb, NULL);
		u->count = l->count;
		u->reason = l->reason;
	}
	if (r->nr_unresolved_list > 1)
		qsort(r->unresolved_list, r->nr_unresolved_list, sizeof(*r->unresolved_list), cmp_unresolved);

	/* months: (month, loc) -> (month, place), merged */
	{
		size_t n = 0, alloc = 0;
		mtab_drain(&c->months);
		fold_months(c, &c->months, NULL, &n, &alloc);
		fold_months(c, &c->months2, c->months2_loc, &n, &alloc);
		sort_months(r->months, n);
		r->nr_months = 0;
		for (size_t i = 0; i < n; i++) {
			if (r->nr_months && r->months[r->nr_months - 1].month == r->months[i].month &&
			    r->months[r->nr_months - 1].place == r->months[i].place)
				r->months[r->nr_months - 1].count += r->months[i].count;
			else
				r->months[r->nr_months++] = r->months[i];
		}
	}

	/* contacts: loc -> place */
	for (size_t i = 0; i < r->nr_contacts; i++)
		if (r->contacts[i].place != NO_LOC)
			r->contacts[i].place = c->locs[r->contacts[i].place].place;
	return NR_EX_OK;
}

/* ---- home ---- */

/* "Plymouth, Wisconsin, United States" */
static void add_place_name(struct strbuf *out, const struct gc_place *p)
{
	sb_adds(out, p->name ? p->name : "");
	if (p->admin1 && *p->admin1 && (!p->name || strcmp(p->admin1, p->name)))
		sb_addf(out, ", %s", p->admin1);
	if (p->country && *p->country)
		sb_addf(out, ", %s", p->country);
}

/*
 * Other places the home could be (an_home.alt), and a note naming them: for
 * a --home without a comma, the export's towns with the home's name that lie
 * beyond the radius; for an inferred home, the towns with as many contacts.
 */
static void home_alternatives(struct an_result *r, const char *query, struct strbuf *notes)
{
	struct an_home *h = &r->home;
	struct strbuf key = STRBUF_INIT, k2 = STRBUF_INIT, scratch = STRBUF_INIT, t = STRBUF_INIT;
	size_t found = 0;
	unsigned long top = 0;
	const char *name = h->place.name ? h->place.name : "";
	if (!h->inferred && (!query || strchr(query, ',')))
		return;
	gz_normalize(&key, &scratch, name, strlen(name), 0);
	for (size_t i = 0; i < r->nr_places; i++)
		if (r->places[i].place.key == h->place.key)
			top = r->places[i].count;
	for (size_t i = 0; i < r->nr_places; i++) {
		const struct st_place *p = &r->places[i];
		if (!gc_level_is_point(p->place.level) || p->place.key == h->place.key)
			continue;
		if (h->inferred) {
			if (p->count < top)
				break; /* places are by count, then name */
		} else {
			const char *n = p->place.name ? p->place.name : "";
			gz_normalize(&k2, &scratch, n, strlen(n), 0);
			if (k2.len != key.len || memcmp(k2.buf, key.buf, key.len) ||
			    geo_dist_km(h->place.lat, h->place.lon, p->place.lat, p->place.lon) <= r->radius_km)
				continue;
		}
		found++;
		if (h->nr_alts < AN_HOME_ALTS)
			h->alt[h->nr_alts++] = i;
	}
	if (found) {
		/* the terminal's note, in the report's language (cli.c set it up) */
		struct strbuf home = STRBUF_INIT, list = STRBUF_INIT;
		add_place_name(&home, &h->place);
		for (size_t i = 0; i < h->nr_alts; i++) {
			const struct st_place *p = &r->places[h->alt[i]];
			if (i)
				sb_adds(&list, i + 1 == h->nr_alts && found == h->nr_alts ? _(" and ") : ", ");
			add_place_name(&list, &p->place);
			sb_addf(&list, ngettext(" (%lu connection)", " (%lu connections)", p->count), p->count);
		}
		if (found > h->nr_alts)
			sb_addf(&list, _(" and %zu more"), found - h->nr_alts);
		if (h->inferred) {
			sb_addf(&t, _("home inferred as %1$s (%2$lu connections), tied with %3$s; give --home to choose"),
				home.buf, top, list.buf);
		} else {
			sb_reset(&k2);
			txt_label(&k2, query, strlen(query), 200);
			sb_addf(&t, _("--home '%1$s' taken as %2$s; the export also has %3$s; give --home 'TOWN, REGION' to "
				      "choose"), k2.buf, home.buf, list.buf);
		}
		sb_addch(&t, '\n');
		sb_add(notes, t.buf, t.len);
		sb_release(&home);
		sb_release(&list);
	}
	sb_release(&key);
	sb_release(&k2);
	sb_release(&scratch);
	sb_release(&t);
}

static int find_home(struct ctx *c, const char *const *paths, struct strbuf *err)
{
	struct an_result *r = c->r;
	const struct an_options *opt = c->opt;
	struct an_home *h = &r->home;

	if (opt->home_query) {
		struct gc *gc = gc_new(c->gz);
		const struct gc_place *p = gc_resolve(gc, opt->home_query, strlen(opt->home_query));
		struct gc_place copy = *p;
		gc_free(gc);
		h->query = xstrdup(opt->home_query);
		h->source = "home";
		if (!gc_level_is_point(copy.level)) {
			/* the query as one line: control characters become spaces */
			struct strbuf q = STRBUF_INIT;
			txt_label(&q, opt->home_query, strlen(opt->home_query), 200);
			if (copy.level == GC_LEVEL_NONE)
				sb_addf(err, "--home '%s': names no known place", q.buf);
			else
				sb_addf(err, "--home '%s': names no known place at town level (it names %s %s)", q.buf,
					copy.level == GC_LEVEL_COUNTRY ? "the country" : "the region",
					copy.name ? copy.name : "");
			sb_release(&q);
			return NR_EX_USAGE;
		}
		h->place = copy;
		return NR_EX_OK;
	}
	if (opt->has_home_coords) {
		struct geo_countries *countries = NULL;
		struct strbuf q = STRBUF_INIT;
		const char *reason = NULL;
		int rc;
		sb_init(&q, 32);
		sb_addf(&q, "%.6f,%.6f", opt->home_lat, opt->home_lon);
		h->query = sb_detach(&q, NULL);
		h->source = "home-coords";
		if (!(opt->home_lat >= -90 && opt->home_lat <= 90 && opt->home_lon >= -180 && opt->home_lon <= 180)) {
			sb_addf(err, "--home-coords '%s': not a latitude,longitude", h->query);
			return NR_EX_USAGE;
		}
		rc = nd_countries(c->data, &countries, err);
		if (rc)
			return rc;
		rc = place_at(c, countries, opt->home_lat, opt->home_lon, &h->place, &reason);
		if (rc) {
			sb_addf(err, "--home-coords '%s': %s", h->query, reason);
			return NR_EX_USAGE;
		}
		/* the home is where the user says, named after the nearest place */
		h->place.lat = opt->home_lat;
		h->place.lon = opt->home_lon;
		return NR_EX_OK;
	}
	if (opt->profile_path) {
		struct strbuf loc = STRBUF_INIT;
		struct gc *gc;
		struct gc_place p;
		int rc;
		sb_init(&loc, 64);
		rc = ing_profile_location(opt->profile_path, &loc, err);
		if (rc) {
			sb_release(&loc);
			return rc;
		}
		gc = gc_new(c->gz);
		p = *gc_resolve(gc, loc.buf, loc.len);
		gc_free(gc);
		h->source = "profile";
		h->query = xstrdup(loc.buf);
		sb_release(&loc);
		if (!gc_level_is_point(p.level)) {
			sb_addf(err, "'%s': location '%s' names no known town; give --home PLACE", opt->profile_path,
				h->query);
			return NR_EX_DATAERR;
		}
		h->place = p;
		return NR_EX_OK;
	}
	/* inferred: the city with the most contacts (places are sorted by count, then name) */
	for (size_t i = 0; i < r->nr_places; i++)
		if (gc_level_is_point(r->places[i].place.level)) {
			h->place = r->places[i].place;
			h->query = xstrdup(h->place.name ? h->place.name : "");
			h->source = "inferred";
			h->inferred = 1;
			return NR_EX_OK;
		}
	sb_addf(err, "'%s': no contact location names a town, so home cannot be inferred; give --home PLACE",
		c->nr_inputs ? paths[0] : "");
	return NR_EX_DATAERR;
}

/* ---- companies, targets and the months ---- */

/* The matching key of a company name: txt_fold, then a leading "the " dropped. */
static void company_key(struct strbuf *key, const char *s, size_t len)
{
	txt_fold(key, s, len, 0);
	if (key->len > 4 && !memcmp(key->buf, "the ", 4)) {
		memmove(key->buf, key->buf + 4, key->len - 4 + 1);
		key->len -= 4;
	}
}

static int cmp_company(const void *a, const void *b)
{
	const struct an_company *x = a, *y = b;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->name, y->name);
}

/*
 * Read --targets: one name a line (UTF-8, CR LF or LF), blank lines and
 * '#' comments ignored, into c->target_lines.
 */
static int read_targets(struct ctx *c, const char *path, struct strbuf *err)
{
	FILE *f = fopen(path, "rb");
	char *line = NULL;
	size_t cap = 0;
	unsigned long lineno = 0;
	ssize_t n;
	int rc = NR_EX_OK;
	if (!f) {
		const char *m = strerror(errno);
		sb_addf(err, "'%s': cannot open: %c%s", path, *m >= 'A' && *m <= 'Z' ? *m + 32 : *m, *m ? m + 1 : "");
		return NR_EX_NOINPUT;
	}
	while ((n = getline(&line, &cap, f)) >= 0) {
		const char *s = line;
		size_t len = (size_t)n;
		struct strbuf clean = STRBUF_INIT;
		lineno++;
		if (memchr(line, 0, len)) {
			sb_addf(err, "'%s': line %lu: NUL byte (not a text file)", path, lineno);
			rc = NR_EX_DATAERR;
			break;
		}
		if (lineno == 1 && len >= 3 && !memcmp(s, "\xef\xbb\xbf", 3))
			s += 3, len -= 3;
		while (len && (s[len - 1] == '\n' || s[len - 1] == '\r' || s[len - 1] == ' ' || s[len - 1] == '\t'))
			len--;
		while (len && (*s == ' ' || *s == '\t'))
			s++, len--;
		if (!len || *s == '#')
			continue;
		if (len > AN_TARGET_LINE_MAX) {
			sb_addf(err, "'%s': line %lu: longer than %d bytes", path, lineno, AN_TARGET_LINE_MAX);
			rc = NR_EX_DATAERR;
			break;
		}
		if (c->nr_target_lines >= AN_TARGETS_MAX) {
			sb_addf(err, "'%s': line %lu: more than %d targets", path, lineno, AN_TARGETS_MAX);
			rc = NR_EX_DATAERR;
			break;
		}
		txt_utf8_sanitize(&clean, s, len);
		c->target_lines = xrealloc(c->target_lines, (c->nr_target_lines + 1) * sizeof(*c->target_lines));
		c->target_lines[c->nr_target_lines++] = sb_detach(&clean, NULL);
	}
	if (!rc && ferror(f)) {
		sb_addf(err, "'%s': read error", path);
		rc = NR_EX_IOERR;
	}
	free(line);
	fclose(f);
	return rc;
}

/*
 * Fold the spellings of c->companies by company_key into r->companies,
 * count the targets, and list the months: work per distinct spelling and
 * per target, never per row.
 */
static void fold_companies(struct ctx *c)
{
	struct an_result *r = c->r;
	struct strmap keys;          /* company key -> index into r->companies */
	size_t *best = NULL;         /* per company: the spelling it is named after */
	struct strbuf key = STRBUF_INIT;
	size_t n = sm_count(&c->companies);

	sm_init(&keys);
	r->companies = xcalloc(n + 1, sizeof(*r->companies));
	best = xcalloc(n + 1, sizeof(*best));
	for (size_t i = 0; i < n; i++) {
		const char *s = sm_key(&c->companies, i);
		size_t len = sm_keylen(&c->companies, i), cnt = sm_value(&c->companies, i);
		int inserted;
		size_t *v;
		company_key(&key, s, len);
		if (!key.len) /* only punctuation: its own company, by its bytes */
			sb_add(&key, s, len);
		v = sm_put(&keys, key.buf, key.len, r->nr_companies, &inserted);
		if (inserted) {
			best[r->nr_companies] = i;
			r->companies[r->nr_companies++].count = cnt;
		} else {
			struct an_company *co = &r->companies[*v];
			size_t b = best[*v], bcnt = sm_value(&c->companies, b);
			size_t blen = sm_keylen(&c->companies, b);
			int cmp = memcmp(s, sm_key(&c->companies, b), len < blen ? len : blen);
			co->count += cnt;
			if (cnt > bcnt || (cnt == bcnt && (cmp < 0 || (cmp == 0 && len < blen))))
				best[*v] = i;
		}
	}
	for (size_t k = 0; k < r->nr_companies; k++) {
		struct strbuf name = STRBUF_INIT;
		txt_utf8_sanitize(&name, sm_key(&c->companies, best[k]), sm_keylen(&c->companies, best[k]));
		r->companies[k].name = sb_detach(&name, NULL);
	}
	r->nr_targets = c->nr_target_lines;
	r->targets = xcalloc(r->nr_targets + 1, sizeof(*r->targets));
	for (size_t t = 0; t < c->nr_target_lines; t++) {
		size_t *v;
		company_key(&key, c->target_lines[t], strlen(c->target_lines[t]));
		v = key.len ? sm_get(&keys, key.buf, key.len) : NULL;
		r->targets[t].name = xstrdup(c->target_lines[t]);
		r->targets[t].count = v ? r->companies[*v].count : 0;
	}
	if (r->nr_companies > 1)
		qsort(r->companies, r->nr_companies, sizeof(*r->companies), cmp_company);
	for (size_t k = 0; c->by_month && k < AN_MONTHS; k++) {
		if (!c->by_month[k])
			continue;
		r->connected = xrealloc(r->connected, (r->nr_connected + 1) * sizeof(*r->connected));
		r->connected[r->nr_connected].month = (int)(MONTH_BASE + k);
		r->connected[r->nr_connected].count = c->by_month[k];
		r->dated += c->by_month[k];
		r->nr_connected++;
	}
	free(best);
	sb_release(&key);
	sm_release(&keys);
}

/* ---- the pipeline ---- */

/* A ctx gathering rows for r from n inputs; ctx_release frees what it gathered (not r). */
static void ctx_init(struct ctx *c, const struct an_options *opt, struct an_result *r, size_t n)
{
	memset(c, 0, sizeof(*c));
	c->r = r;
	c->opt = opt;
	c->nr_inputs = n;
	c->dedup = n > 1;
	c->max_distinct = opt->max_distinct ? opt->max_distinct : AN_MAX_DISTINCT;
	c->max_listed = opt->max_listed ? opt->max_listed : AN_MAX_LISTED;
	sm_init(&c->strs);
	sm_init(&c->coords);
	sm_init(&c->placed);
	sm_init(&c->overflow);
	sb_init(&c->url, 128);
	sb_init(&c->tmp, 128);
	sb_init(&c->tmp2, 128);
	sm_init(&c->companies);
}

static void ctx_release(struct ctx *c)
{
	for (size_t i = 0; i < c->nr_locs; i++) {
		free(c->locs[i].in);
		free(c->locs[i].placed);
	}
	free(c->locs);
	gc_free(c->ogc);
	sm_release(&c->placed);
	sm_release(&c->overflow);
	free(c->months.slots);
	free(c->months2.slots);
	free(c->months2_loc);
	free(c->urls.slots);
	sm_release(&c->strs);
	sm_release(&c->coords);
	sb_release(&c->url);
	sb_release(&c->tmp);
	sb_release(&c->tmp2);
	sm_release(&c->companies);
	free(c->by_month);
	for (size_t i = 0; i < c->nr_target_lines; i++)
		free(c->target_lines[i]);
	free(c->target_lines);
	memset(c, 0, sizeof(*c));
}

/* ---- the second part of a split read (ing_split) ---- */

/*
 * A split read (see ing_split in ingest.h) hands the rows after the cut to
 * a second ctx in another thread. It has its own maps, counters and
 * result, shares only the options (read-only) and never resolves
 * anything: when its distinct strings or coordinates reach a quarter of
 * the limit it gives up (on_row returns AN_PART_GAVE_UP), and the rows are
 * read again by the first ctx, where the limit applies in file order.
 */
struct part {
	struct ctx c;
	struct an_result r;
};

static void part_init(struct part *p, const struct ctx *c)
{
	memset(&p->r, 0, sizeof(p->r));
	p->r.input_counts = xcalloc(c->nr_inputs, sizeof(*p->r.input_counts));
	ctx_init(&p->c, c->opt, &p->r, c->nr_inputs);
	p->c.input = c->input;
	p->c.second_part = 1;
	/* memory stays within 1.25 times the limit: the first part may fill it, this one a quarter */
	p->c.max_distinct = c->max_distinct / 4 ? c->max_distinct / 4 : 1;
}

static void part_release(struct part *p)
{
	ctx_release(&p->c);
	free(p->r.input_counts);
	free(p->r.skipped_list);
	memset(p, 0, sizeof(*p));
}

/* Strings (or coordinates) of b that a lacks. */
static size_t keys_missing(const struct strmap *a, const struct strmap *b)
{
	size_t n = 0;
	for (size_t i = 0; i < sm_count(b); i++)
		n += !sm_get(a, sm_key(b, i), sm_keylen(b, i));
	return n;
}

/*
 * Move what part p gathered into c as if c had read those rows itself,
 * after its own: locs in p's order of first sight, its (month, loc) table
 * (as c->months2, see below), skipped rows (their lines counted from
 * base), row counts. Refuses (1, c unchanged) when c would pass the
 * distinct limit, so that the rows are read again by c.
 */
static int part_merge(struct ctx *c, struct part *p, unsigned long base)
{
	struct ctx *c2 = &p->c;
	struct an_result *r = c->r, *r2 = c2->r;
	struct an_input_counts *ic = &r->input_counts[c->input], *ic2 = &r2->input_counts[c->input];
	uint32_t *remap;

	if (c->months2.slots || /* one second part per ctx (one export) */
	    sm_count(&c->strs) + keys_missing(&c->strs, &c2->strs) > c->max_distinct ||
	    sm_count(&c->coords) + keys_missing(&c->coords, &c2->coords) > c->max_distinct ||
	    sm_count(&c->companies) + keys_missing(&c->companies, &c2->companies) > c->max_distinct)
		return 1;
	for (size_t i = 0; i < sm_count(&c2->companies); i++)
		*sm_put(&c->companies, sm_key(&c2->companies, i), sm_keylen(&c2->companies, i), 0, NULL) +=
			sm_value(&c2->companies, i);
	if (c2->by_month) {
		if (!c->by_month)
			c->by_month = xcalloc(AN_MONTHS, sizeof(*c->by_month));
		for (size_t k = 0; k < AN_MONTHS; k++)
			c->by_month[k] += c2->by_month[k];
	}
	r->with_company += r2->with_company;
	remap = xcalloc(c2->nr_locs + 1, sizeof(*remap));
	for (size_t i = 0; i < c2->nr_locs; i++) {
		const struct loc *l2 = &c2->locs[i];
		uint32_t k = l2->kind == LOC_STRING ? string_loc(c, sm_key(&c2->strs, l2->key), sm_keylen(&c2->strs, l2->key))
						    : coords_loc_e3(c, l2->lat_e3, l2->lon_e3);
		c->locs[k].count += l2->count;
		remap[i] = k;
	}
	/*
	 * The months: re-adding the second table's counts would cost a cache
	 * miss each (hundreds of thousands on a big export, tens of ms while
	 * nothing else runs), so the table moves over whole, with its locs'
	 * numbers in c, and resolve_all folds both.
	 */
	mtab_drain(&c2->months);
	c->months2 = c2->months;
	c->months2_loc = remap;
	memset(&c2->months, 0, sizeof(c2->months));
	for (size_t i = 0; i < r2->nr_skipped_list; i++)
		add_skipped_listed(c, r2->skipped_list[i].line + base - 1, r2->skipped_list[i].reason);
	r->skipped += r2->skipped;
	r->rows += r2->rows;
	r->no_location += r2->no_location;
	ic->skipped += ic2->skipped;
	ic->rows += ic2->rows;
	ic->no_location += ic2->no_location;
	r->empty_rows += r2->empty_rows;
	ic->empty_rows += ic2->empty_rows;
	return 0;
}

/* ing_split's join: merge the second part when its rows count, then empty it. */
static int part_join(void *vc, void *vpart, unsigned long base, int use)
{
	struct ctx *c = vc;
	struct part *p = vpart;
	int rc = use ? part_merge(c, p, base) : 1;
	if (!rc)
		c->r->split_reads++;
	part_release(p);
	part_init(p, c);
	return rc;
}

/* Read export i into c, in two parts at once when allowed (see an_options.jobs). */
static int read_input(struct ctx *c, const char *path, size_t i, struct strbuf *err)
{
	const struct an_options *opt = c->opt;
	struct an_result *r = c->r;
	struct ing_options io = opt->ing;
	struct ing_split split;
	struct part part;
	int jobs = opt->jobs ? opt->jobs : sysconf(_SC_NPROCESSORS_ONLN) >= 2 ? 2 : 1, rc;

	c->input = i;
	/* on_row reads field[] only for the company, the URL when de-duplicating, contact_id for compare */
	if (!opt->keep_contacts)
		io.omit_fields = ING_ROLES_ALL & ~(ING_ROLE_BIT(ING_COMPANY) | (c->dedup ? ING_ROLE_BIT(ING_URL) : 0u));
	/* a second part has no URL set and no contacts: only for one export, without compare */
	if (jobs >= 2 && c->nr_inputs == 1 && !opt->keep_contacts) {
		part_init(&part, c);
		split.min_bytes = opt->split_min ? opt->split_min : AN_SPLIT_MIN;
		split.ctx2 = &part;
		split.join = part_join;
		io.split = &split;
	}
	pg_init(&c->pg, opt->progress);
	r->nr_inputs = i + 1;
	rc = ing_read(path, &io, on_row, on_progress, c, &r->inputs[i], err);
	pg_finish(&c->pg);
	if (io.split)
		part_release(&part);
	return rc;
}

int an_run(struct nr_data *data, const struct an_options *opt, const char *const *paths, size_t n,
	   struct an_result *out, struct strbuf *err)
{
	struct ctx c;
	struct geo_countries *countries;
	struct rg_set *rg = NULL;
	struct strbuf notes = STRBUF_INIT;
	int rc;

	memset(out, 0, sizeof(*out));
	out->radius_km = opt->radius_km > 0 ? opt->radius_km : ST_DEFAULT_RADIUS_KM;
	if (n == 0) {
		sb_addf(err, "no input files");
		return NR_EX_USAGE;
	}
	ctx_init(&c, opt, out, n);
	c.data = data;
	sb_init(&notes, 0);

	rc = nd_gazetteer(data, &c.gz, err);
	if (rc)
		goto done;
	if (opt->regions_path) {
		rc = rg_load(&rg, opt->regions_path, &notes, err);
		if (rc)
			goto done;
		out->nr_regions = rg_count(rg);
		out->region_names = xcalloc(out->nr_regions, sizeof(*out->region_names));
		for (size_t i = 0; i < out->nr_regions; i++)
			out->region_names[i] = xstrdup(rg_name(rg, i));
	}

	if (opt->targets_path) {
		rc = read_targets(&c, opt->targets_path, err);
		if (rc)
			goto done;
	}
	out->inputs = xcalloc(n, sizeof(*out->inputs));
	out->input_counts = xcalloc(n, sizeof(*out->input_counts));
	out->no_place_column = 1;
	for (size_t i = 0; i < n; i++) {
		rc = read_input(&c, paths[i], i, err);
		if (rc)
			goto done;
		out->no_place_column &= out->inputs[i].no_place_column;
	}
	fold_companies(&c);

	gc_free(c.ogc);
	c.ogc = NULL;
	if (c.overflow_rows)
		sb_addf(&notes, "more than %zu distinct locations: %lu rows past them were resolved one by one, "
			"and their unresolved ones are not listed by name\n", c.max_distinct, c.overflow_rows);
	if (out->skipped > out->nr_skipped_list)
		sb_addf(&notes, "%lu rows skipped: skipped.csv lists the first %zu\n", out->skipped, c.max_listed);
	rc = resolve_all(&c, err);
	if (rc)
		goto done;
	if (out->no_place_column && !opt->home_query && !opt->has_home_coords && !opt->profile_path) {
		/* nothing to measure from or to: companies and dates only */
		out->home.source = "none";
		out->home.query = xstrdup("");
	} else {
		rc = find_home(&c, paths, err);
		if (rc)
			goto done;
		home_alternatives(out, opt->home_query, &notes);
	}
	if (rg)
		for (size_t i = 0; i < out->nr_places; i++)
			if (gc_level_is_point(out->places[i].place.level))
				out->places[i].region = rg_locate(rg, out->places[i].place.lat, out->places[i].place.lon);

	{
		struct st_input in;
		memset(&in, 0, sizeof(in));
		in.places = out->places;
		in.nr_places = out->nr_places;
		in.home = out->home.place;
		in.radius_km = out->radius_km;
		in.region_names = (const char **)out->region_names;
		in.nr_regions = out->nr_regions;
		in.months = out->months;
		in.nr_months = out->nr_months;
		in.jobs = opt->jobs ? opt->jobs : sysconf(_SC_NPROCESSORS_ONLN) >= 2 ? 2 : 1;
		/* opened here even without located places, as the home map draws them */
		rc = nd_countries(data, &countries, err);
		if (!rc)
			rc = st_compute(&in, data, &out->summary, err);
	}
	/* a damaged gazetteer met while resolving: no report from it */
	if (!rc)
		rc = gz_check(c.gz, err);
done:
	if (notes.len)
		out->notes = sb_detach(&notes, NULL);
	sb_release(&notes);
	rg_free(rg);
	ctx_release(&c);
	if (rc)
		an_result_release(out);
	return rc;
}

void an_result_release(struct an_result *r)
{
	for (size_t i = 0; i < r->nr_inputs; i++)
		ing_info_release(&r->inputs[i]);
	free(r->inputs);
	free(r->input_counts);
	free(r->places);
	for (size_t i = 0; i < r->nr_unresolved_list; i++)
		free(r->unresolved_list[i].text);
	free(r->unresolved_list);
	free(r->skipped_list);
	for (size_t i = 0; i < r->nr_regions; i++)
		free(r->region_names[i]);
	free(r->region_names);
	free(r->months);
	st_summary_release(&r->summary);
	free(r->contacts);
	for (size_t i = 0; i < r->nr_companies; i++)
		free(r->companies[i].name);
	free(r->companies);
	for (size_t i = 0; i < r->nr_targets; i++)
		free(r->targets[i].name);
	free(r->targets);
	free(r->connected);
	free(r->home.query);
	free(r->notes);
	for (size_t i = 0; i < r->nr_strings; i++)
		free(r->strings[i]);
	free(r->strings);
	memset(r, 0, sizeof(*r));
}
