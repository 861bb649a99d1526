/* aggregate: rows -> locs, months, URLs, companies, contacts; the merge of a split read (see aggregate.h). */
#include "aggregate.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "text.h"

#include "banned.h"

/* ---- a set of 64-bit hashes (profile URLs seen, for de-duplication); 0 = empty, a hash of 0 is stored as 1 ---- */

static int u64set_add(struct ag_u64set *s, uint64_t h)
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
 * The key and the count of a pair live in its slot: one cache line touched
 * per row, 8 bytes per slot at load <= 3/4 (the rare pair that does not fit
 * one in the wide slots, see struct ag_mtab): a big export has hundreds of
 * thousands of pairs, and every page of the table is a fresh one to the
 * kernel (cleared, a huge page at a time).
 * That line is rarely in cache: rows go through a ring of AG_MTAB_LAG
 * narrow keys, the slot of a key is prefetched when it enters and counted
 * when it leaves, AG_MTAB_LAG rows later (mtab_push), so the miss overlaps
 * the parsing of the rows in between. mtab_drain counts what is still in
 * the ring.
 */

static size_t mtab_slot(uint64_t key, size_t mask)
{
	key ^= key >> 33;
	key *= 0xff51afd7ed558ccdULL;
	key ^= key >> 33;
	return (size_t)key & mask;
}

/* The narrow key of (month, loc), or UINT32_MAX when it has none (loc * AG_MONTHS + month stays below it). */
static inline uint32_t mtab_key(int32_t month, uint32_t loc)
{
	uint32_t m = (uint32_t)month - AG_MONTH_BASE;
	return m < AG_MONTHS && loc < AG_MTAB_NARROW_LOCS ? loc * AG_MONTHS + m : UINT32_MAX;
}

/* Double the narrow slots (from 4096), in one step. */
static void mtab_grow(struct ag_mtab *t)
{
	size_t ncap = t->cap ? 2 * t->cap : 4096;
	struct ag_mslot *ns = xcalloc_table(ncap * sizeof(*ns));
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

/* Count a row of (month, loc) in the wide slots (load <= 3/4). */
static __attribute__((noinline)) void mtab_add_wide(struct ag_mtab *t, int32_t month, uint32_t loc)
{
	uint64_t key = (uint64_t)(uint32_t)month << 32 | loc;
	size_t mask = t->wcap - 1, i;
	if (t->wcap)
		for (i = mtab_slot(key, mask); t->wide[i].count; i = (i + 1) & mask)
			if (t->wide[i].key == key) {
				t->wide[i].count++;
				return;
			}
	if (4 * (t->wn + 1) > 3 * t->wcap) {
		size_t ncap = t->wcap ? 2 * t->wcap : 64;
		struct ag_wslot *ns = xcalloc(ncap, sizeof(*ns));
		for (size_t k = 0; k < t->wcap; k++)
			if (t->wide[k].count) {
				size_t j = mtab_slot(t->wide[k].key, ncap - 1);
				while (ns[j].count)
					j = (j + 1) & (ncap - 1);
				ns[j] = t->wide[k];
			}
		free(t->wide);
		t->wide = ns;
		t->wcap = ncap;
		mask = ncap - 1;
	}
	for (i = mtab_slot(key, mask); t->wide[i].count; i = (i + 1) & mask)
		;
	t->wide[i].key = key;
	t->wide[i].count = 1;
	t->wn++;
}

/*
 * A new pair (narrow key key) in the empty slot i, growing the table
 * first when it is full (then its slot is looked for again); or a row of
 * a pair whose count is full (i: SIZE_MAX), to the wide slots.
 */
static __attribute__((noinline)) void mtab_insert(struct ag_mtab *t, uint32_t key, size_t i)
{
	if (i == SIZE_MAX) {
		mtab_add_wide(t, (int32_t)(key % AG_MONTHS) + AG_MONTH_BASE, key / AG_MONTHS);
		return;
	}
	if (4 * (t->n + 1) > 3 * t->cap) {
		size_t mask;
		mtab_grow(t);
		mask = t->cap - 1;
		for (i = mtab_slot(key, mask); t->slots[i].count; i = (i + 1) & mask)
			;
	}
	t->slots[i].key = key;
	t->slots[i].count = 1;
	t->n++;
}

/* Count a row of the pair with the narrow key key (the table has slots: mtab_push made them). */
static void mtab_add(struct ag_mtab *t, uint32_t key)
{
	size_t mask = t->cap - 1, i;
	for (i = mtab_slot(key, mask); t->slots[i].count; i = (i + 1) & mask)
		if (t->slots[i].key == key) {
			if (__builtin_expect(t->slots[i].count == UINT32_MAX, 0)) /* full: a wide slot counts on */
				break;
			t->slots[i].count++;
			return;
		}
	mtab_insert(t, key, t->slots[i].count ? SIZE_MAX : i);
}

/*
 * Count a row of (month, loc) AG_MTAB_LAG rows from now (or at
 * mtab_drain); a pair without a narrow key (none from ingest) at once.
 */
static void mtab_push(struct ag_mtab *t, int32_t month, uint32_t loc)
{
	uint32_t key = mtab_key(month, loc), old = t->ring[t->ring_at];
	if (__builtin_expect(key == UINT32_MAX, 0)) {
		mtab_add_wide(t, month, loc);
		return;
	}
	if (__builtin_expect(!t->cap, 0))
		mtab_grow(t);
	__builtin_prefetch(&t->slots[mtab_slot(key, t->cap - 1)], 1);
	t->ring[t->ring_at] = key;
	t->ring_at = (t->ring_at + 1) % AG_MTAB_LAG;
	if (t->ring_n < AG_MTAB_LAG)
		t->ring_n++;
	else
		mtab_add(t, old);
}

/* Count the rows still in the ring; the table is then complete. */
static void mtab_drain(struct ag_mtab *t)
{
	unsigned at = (t->ring_at + AG_MTAB_LAG - t->ring_n) % AG_MTAB_LAG;
	for (; t->ring_n; t->ring_n--, at = (at + 1) % AG_MTAB_LAG)
		mtab_add(t, t->ring[at]);
	t->ring_at = 0;
}

/*
 * Slot i of t, the narrow slots [0, cap) first, then the wide ones: its
 * count (0: empty), and its month and loc.
 */
static inline unsigned long mtab_entry(const struct ag_mtab *t, size_t i, int32_t *month, uint32_t *loc)
{
	if (i < t->cap) {
		const struct ag_mslot *s = &t->slots[i];
		if (!s->count)
			return 0;
		*loc = s->key / AG_MONTHS;
		*month = (int32_t)(s->key % AG_MONTHS) + AG_MONTH_BASE;
		return s->count;
	}
	*loc = (uint32_t)t->wide[i - t->cap].key;
	*month = (int32_t)(uint32_t)(t->wide[i - t->cap].key >> 32);
	return t->wide[i - t->cap].count;
}

static void mtab_release(struct ag_mtab *t)
{
	free(t->slots);
	free(t->wide);
	memset(t, 0, sizeof(*t));
}

static uint32_t new_loc(struct ag *c, enum ag_loc_kind kind, size_t key)
{
	struct ag_loc *l;
	ALLOC_GROW(c->locs, c->nr_locs + 1, c->alloc_locs);
	l = &c->locs[c->nr_locs];
	memset(l, 0, sizeof(*l));
	l->kind = kind;
	l->key = key;
	l->place = AG_NONE;
	if (c->opt.nr_inputs > 1)
		l->in = xcalloc(c->opt.nr_inputs, sizeof(*l->in));
	return (uint32_t)c->nr_locs++;
}

/* The loc collecting unresolved rows past AN_MAX_DISTINCT that share a reason (static). */
static uint32_t overflow_loc(struct ag *c, const char *reason)
{
	int inserted;
	size_t *v = sm_put(&c->overflow, reason, strlen(reason), c->nr_locs, &inserted);
	if (inserted) {
		uint32_t i = new_loc(c, AG_LOC_OVERFLOW, sm_count(&c->overflow) - 1);
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
static uint32_t placed_loc(struct ag *c, const char *s, size_t len)
{
	const struct gc_place *g;
	int inserted;
	size_t *v;
	c->overflow_rows++;
	if (!c->ogc || c->ogc_used >= c->opt.max_distinct / 16 + 1) {
		gc_free(c->ogc);
		c->ogc = gc_new(c->opt.gz);
		c->ogc_used = 0;
	}
	c->ogc_used++;
	g = gc_resolve(c->ogc, s, len);
	if (g->level == GC_LEVEL_NONE)
		return overflow_loc(c, g->reason ? g->reason : N_("names no known place"));
	v = sm_put(&c->placed, &g->key, sizeof(g->key), c->nr_locs, &inserted);
	if (inserted) {
		uint32_t i = new_loc(c, AG_LOC_PLACED, sm_count(&c->placed) - 1);
		c->locs[i].placed = xmalloc(sizeof(*c->locs[i].placed));
		*c->locs[i].placed = *g; /* its strings point into the gazetteer */
		return i;
	}
	return (uint32_t)*v;
}

/*
 * ---- the indexes of short strings (struct ag_sidx) ----
 * Their hash (idx_hash, and copy_hash, which copies the string as well) takes
 * the string in words of 8 bytes (the last one overlapping; a short one in
 * two overlapping halves, or three bytes), each folded in by one 64 x 64 ->
 * 128-bit multiply whose halves are XORed: every bit of a word reaches the
 * low bits (the bucket) and the high ones (the tag). Inlined, it costs less
 * than sm_hash, which the strmaps keep.
 */
#define IDX_SEED 0x243f6a8885a308d3ULL
#define IDX_MUL 0x9fb21c651e98df25ULL

static inline uint64_t idx_fold(uint64_t h, uint64_t w)
{
	__extension__ unsigned __int128 p = (unsigned __int128)(h ^ w) * IDX_MUL;
	return (uint64_t)p ^ (uint64_t)(p >> 64);
}

/*
 * The word of a string of 1 to 7 bytes s[0..n): its first and last four
 * bytes, or its first, middle and last byte; it holds every byte of s, so
 * two strings of one length are equal iff their words are. With d, s is
 * copied there too.
 */
static inline uint64_t idx_short_word(char *d, const char *s, size_t n)
{
	uint32_t a, b;
	if (n < 4) {
		unsigned char x = (unsigned char)s[0], y = (unsigned char)s[n / 2], z = (unsigned char)s[n - 1];
		if (d) {
			d[0] = (char)x;
			d[n / 2] = (char)y;
			d[n - 1] = (char)z;
		}
		return x | (uint64_t)y << 8 | (uint64_t)z << 16;
	}
	memcpy(&a, s, 4);
	memcpy(&b, s + n - 4, 4);
	if (d) {
		memcpy(d, &a, 4);
		memcpy(d + n - 4, &b, 4);
	}
	return a | (uint64_t)b << 32;
}

/* The index hash of s[0..n), 1 <= n <= AG_SIDX_KEY. */
static inline uint64_t idx_hash(const char *s, size_t n)
{
	uint64_t h = IDX_SEED ^ n, w;
	if (n < 8)
		return idx_fold(h, idx_short_word(NULL, s, n));
	for (size_t i = 0; i + 8 < n; i += 8) {
		memcpy(&w, s + i, 8);
		h = idx_fold(h, w);
	}
	memcpy(&w, s + n - 8, 8);
	return idx_fold(h, w);
}

/* Copy s[0..n) (1 <= n <= AG_SIDX_KEY) to d and return idx_hash(s, n): each word loaded once. */
static inline uint64_t copy_hash(char *d, const char *s, size_t n)
{
	uint64_t h = IDX_SEED ^ n, w;
	if (n < 8)
		return idx_fold(h, idx_short_word(d, s, n));
	for (size_t i = 0; i + 8 < n; i += 8) {
		memcpy(&w, s + i, 8);
		memcpy(d + i, &w, 8);
		h = idx_fold(h, w);
	}
	memcpy(&w, s + n - 8, 8);
	memcpy(d + n - 8, &w, 8);
	return idx_fold(h, w);
}

/* a[0..n) == b[0..n), 1 <= n <= AG_SIDX_KEY, in word compares (the last one overlapping) */
static inline int key_equal(const char *a, const char *b, size_t n)
{
	uint64_t x, y;
	if (n < 8)
		return idx_short_word(NULL, a, n) == idx_short_word(NULL, b, n);
	for (size_t i = 0; i + 8 < n; i += 8) {
		memcpy(&x, a + i, 8);
		memcpy(&y, b + i, 8);
		if (x != y)
			return 0;
	}
	memcpy(&x, a + n - 8, 8);
	memcpy(&y, b + n - 8, 8);
	return x == y;
}

/* Put bucket nb (its hash h) into x, which has room (no equal string in it). */
static void sidx_put(struct ag_sidx *x, uint64_t h, const struct ag_sbucket *nb)
{
	size_t mask = x->cap - 1, i;
	for (i = (size_t)h & mask; x->b[i].len; i = (i + 1) & mask)
		;
	x->b[i] = *nb;
	x->n++;
}

/* Index s[0..len) (h: its idx_hash; not in x yet) with value loc unless x is full. */
static __attribute__((noinline)) void sidx_add(struct ag_sidx *x, uint64_t h, const char *s, size_t len, uint32_t loc)
{
	struct ag_sbucket nb;
	if (2 * (x->n + 1) > x->cap) {
		struct ag_sidx nx;
		if (x->cap >= AG_SIDX_MAX)
			return;
		nx.cap = x->cap ? 2 * x->cap : 1024;
		nx.n = 0;
		nx.held = x->held;
		nx.b = xcalloc_table(nx.cap * sizeof(*nx.b));
		for (size_t i = 0; i < x->cap; i++)
			if (x->b[i].len)
				sidx_put(&nx, idx_hash(x->b[i].key, x->b[i].len), &x->b[i]);
		free(x->b);
		*x = nx;
	}
	memset(&nb, 0, sizeof(nb));
	nb.tag = (uint16_t)(h >> 32);
	nb.len = (uint16_t)len;
	nb.loc = loc;
	memcpy(nb.key, s, len);
	sidx_put(x, h, &nb);
}

/* The bucket of s[0..len) (1 <= len <= AG_SIDX_KEY, h: its idx_hash) in x, or NULL. */
static inline struct ag_sbucket *sidx_bucket(const struct ag_sidx *x, uint64_t h, const char *s, size_t len)
{
	if (x->cap) {
		size_t mask = x->cap - 1;
		for (size_t i = (size_t)h & mask; x->b[i].len; i = (i + 1) & mask) {
			struct ag_sbucket *b = &x->b[i];
			if (b->tag == (uint16_t)(h >> 32) && b->len == len && key_equal(b->key, s, len))
				return b;
		}
	}
	return NULL;
}

/*
 * Count a row in the bucket of s[0..len) (1 <= len <= AG_SIDX_KEY, h: its
 * idx_hash) when x holds it and has room: its value, else AG_NONE (and
 * *indexed tells whether x holds it).
 */
static inline uint32_t sidx_count(struct ag_sidx *x, uint64_t h, const char *s, size_t len, int *indexed)
{
	struct ag_sbucket *b = sidx_bucket(x, h, s, len);
	*indexed = b != NULL;
	if (!b || __builtin_expect(b->count == UINT32_MAX, 0))
		return AG_NONE;
	b->count++;
	x->held++;
	return b->loc;
}

static uint32_t string_loc_map(struct ag *c, const char *s, size_t len);

/*
 * The loc of a location string (h: its idx_hash when short): by the index of short
 * strings when it is there, else by strs (string_loc_map), and a string
 * of strs then goes into the index.
 */
static uint32_t string_loc_h(struct ag *c, const char *s, size_t len, uint64_t h)
{
	struct ag_sidx *x = &c->sidx;
	uint32_t loc;
	struct ag_sbucket *b;
	if (len - 1 >= AG_SIDX_KEY) /* empty (it wraps) or long */
		return string_loc_map(c, s, len);
	b = sidx_bucket(x, h, s, len);
	if (b)
		return b->loc;
	loc = string_loc_map(c, s, len);
	if (loc != AG_NONE && c->locs[loc].kind == AG_LOC_STRING)
		sidx_add(x, h, s, len, loc);
	return loc;
}

static uint32_t string_loc(struct ag *c, const char *s, size_t len)
{
	return string_loc_h(c, s, len, len - 1 < AG_SIDX_KEY ? idx_hash(s, len) : 0);
}

/* The loc of a location string by the strmap (a new loc when new; past the limit, placed_loc's). */
static uint32_t string_loc_map(struct ag *c, const char *s, size_t len)
{
	int inserted;
	size_t *v;
	if (sm_count(&c->strs) >= c->opt.max_distinct) {
		v = sm_get(&c->strs, s, len);
		if (v)
			return (uint32_t)*v;
		if (c->second_part) {
			c->gave_up = 1;
			return AG_NONE;
		}
		return placed_loc(c, s, len);
	}
	v = sm_put(&c->strs, s, len, c->nr_locs, &inserted);
	if (inserted)
		return new_loc(c, AG_LOC_STRING, sm_count(&c->strs) - 1);
	return (uint32_t)*v;
}

/* The loc of coordinates rounded to 0.001 degree (lat_e3, lon_e3). */
static uint32_t coords_loc_e3(struct ag *c, int32_t lat_e3, int32_t lon_e3)
{
	int32_t k[2] = { lat_e3, lon_e3 };
	int inserted;
	size_t *v;
	if (sm_count(&c->coords) >= c->opt.max_distinct) {
		v = sm_get(&c->coords, k, sizeof(k));
		if (v)
			return (uint32_t)*v;
		if (c->second_part) {
			c->gave_up = 1;
			return AG_NONE;
		}
		c->overflow_rows++;
		return overflow_loc(c, AG_OVERFLOW_COORDS);
	}
	v = sm_put(&c->coords, k, sizeof(k), c->nr_locs, &inserted);
	if (inserted) {
		uint32_t i = new_loc(c, AG_LOC_COORDS, sm_count(&c->coords) - 1);
		c->locs[i].lat_e3 = k[0];
		c->locs[i].lon_e3 = k[1];
		return i;
	}
	return (uint32_t)*v;
}

static uint32_t coords_loc(struct ag *c, double lat, double lon)
{
	return coords_loc_e3(c, (int32_t)lround(lat * 1000.0), (int32_t)lround(lon * 1000.0));
}

/* List a skipped row while the list is below max_listed (the count is the caller's). */
static void add_skipped_listed(struct ag *c, unsigned long line, const char *reason)
{
	if (c->nr_skipped < c->opt.max_listed) {
		ALLOC_GROW(c->skipped, c->nr_skipped + 1, c->alloc_skipped);
		c->skipped[c->nr_skipped].input = c->input;
		c->skipped[c->nr_skipped].line = line;
		c->skipped[c->nr_skipped].reason = reason;
		c->nr_skipped++;
	}
}

static void add_skipped(struct ag *c, unsigned long line, const char *reason)
{
	add_skipped_listed(c, line, reason);
	c->total.skipped++;
	c->in[c->input].skipped++;
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
static void contact_id(struct ag *c, const struct ing_row *row, size_t url_len, struct ag_contact *out)
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
 * A spelling that the company index does not count (h: its idx_hash when
 * it is short; indexed: the index holds it, with a full count): count it
 * by companies, and index it when short. Returns count_company's value.
 */
static __attribute__((noinline)) int count_company_map(struct ag *c, const char *s, size_t len, uint64_t h,
							 int indexed)
{
	size_t *v = sm_get(&c->companies, s, len), i;
	if (!v) {
		if (sm_count(&c->companies) >= c->opt.max_distinct) {
			if (c->second_part)
				c->gave_up = 1;
			else
				c->companies_unlisted++;
			return 1;
		}
		v = sm_put(&c->companies, s, len, 0, NULL);
	}
	(*v)++;
	/* v is the value of one of the strmap's entries: its index */
	i = (size_t)((const char *)v - (const char *)&c->companies.entries[0].value) / sizeof(c->companies.entries[0]);
	if (len <= AG_SIDX_KEY && !indexed)
		sidx_add(&c->cidx, h, s, len, (uint32_t)i);
	return 0;
}

/*
 * Count the row's Company cell (trimmed) as written; the spellings are
 * folded together once, at the end (fold_companies). A short spelling is
 * counted in its bucket of the company index (ag_flush adds the count to
 * its entry in companies), the others by companies itself. Returns 0, or 1
 * when the company was not kept: past max_distinct spellings it is counted
 * in companies_unlisted (a second part gives up instead, like string_loc).
 */
static int count_company(struct ag *c, const struct ing_row *row)
{
	const char *s = row->field[ING_COMPANY];
	size_t len = row->field_len[ING_COMPANY];
	uint64_t h = 0;
	int indexed = 0;
	/* the common case: nothing to trim (the blanks trimmed are all <= ' ') */
	if (!len || (unsigned char)s[0] <= ' ' || (unsigned char)s[len - 1] <= ' ') {
		while (len && (*s == ' ' || *s == '\t'))
			s++, len--;
		while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r' || s[len - 1] == '\n'))
			len--;
		if (!len)
			return 0;
	}
	c->with_company++;
	if (len <= AG_SIDX_KEY) {
		h = idx_hash(s, len);
		if (sidx_count(&c->cidx, h, s, len, &indexed) != AG_NONE)
			return 0;
	}
	return count_company_map(c, s, len, h, indexed);
}

/* Count a row with a location at loc (AG_NONE: a second part gave up on it) and its month. */
static inline void count_loc(struct ag *c, uint32_t loc, int dated, int32_t month)
{
	if (loc == AG_NONE) {
		c->total.no_location++;
		c->in[c->input].no_location++;
	} else {
		struct ag_loc *l = &c->locs[loc];
		l->count++;
		if (l->in)
			l->in[c->input]++;
		if (dated)
			mtab_push(&c->months, month, loc);
	}
}

/*
 * Count a held-back row (in the order the rows came): a short string in
 * its bucket of the string index when it is there, else into its loc.
 */
static __attribute__((noinline)) void count_pend_loc(struct ag *c, const struct ag_pend *p)
{
	uint32_t loc = p->key.len ? string_loc_h(c, p->key.buf, p->key.len, p->hash) : coords_loc(c, p->lat, p->lon);
	count_loc(c, loc, p->dated, p->month);
}

static void count_pend(struct ag *c, const struct ag_pend *p)
{
	if (p->key.len && p->key.len <= AG_SIDX_KEY) {
		int indexed;
		uint32_t loc = sidx_count(&c->sidx, p->hash, p->key.buf, p->key.len, &indexed);
		if (loc != AG_NONE) {
			if (p->dated)
				mtab_push(&c->months, p->month, loc);
			return;
		}
	}
	count_pend_loc(c, p); /* kept out, so that the bucket's case saves fewer registers */
}

/*
 * Hold a row with a location back (AG_LAG rows), prefetching its bucket of
 * the string index, and count the row held back longest when the ring is
 * full.
 */
static void hold_row(struct ag *c, const struct ing_row *row)
{
	struct ag_pend *p = &c->pend[c->pend_at];
	if (c->pend_n == AG_LAG)
		count_pend(c, p);
	else
		c->pend_n++;
	if (row->location && row->location_len) {
		size_t n = row->location_len;
		if (__builtin_expect(n <= AG_SIDX_KEY, 1)) { /* the strbuf (64 bytes from ag_init), without its calls */
			p->hash = copy_hash(p->key.buf, row->location, n);
			p->key.buf[n] = '\0';
			p->key.len = n;
			if (c->sidx.cap)
				__builtin_prefetch(&c->sidx.b[(size_t)p->hash & (c->sidx.cap - 1)]);
		} else {
			sb_reset(&p->key);
			sb_add(&p->key, row->location, n); /* found by strs alone (string_loc_h) */
		}
	} else {
		sb_reset(&p->key);
		p->lat = row->lat;
		p->lon = row->lon;
	}
	p->dated = row->date_state == ING_DATE_OK;
	p->month = row->month;
	c->pend_at = (c->pend_at + 1) % AG_LAG;
}

void ag_flush(struct ag *c)
{
	unsigned at = (c->pend_at + AG_LAG - c->pend_n) % AG_LAG;
	for (; c->pend_n; c->pend_n--, at = (at + 1) % AG_LAG)
		count_pend(c, &c->pend[at]);
	c->pend_at = 0;
	/* the rows counted in the indexes' buckets go to their locs and companies */
	if (c->sidx.held) {
		for (size_t i = 0; i < c->sidx.cap; i++) {
			struct ag_sbucket *b = &c->sidx.b[i];
			if (b->count) {
				struct ag_loc *l = &c->locs[b->loc];
				l->count += b->count;
				if (l->in)
					l->in[c->input] += b->count;
				b->count = 0;
			}
		}
		c->sidx.held = 0;
	}
	if (c->cidx.held) {
		for (size_t i = 0; i < c->cidx.cap; i++) {
			struct ag_sbucket *b = &c->cidx.b[i];
			if (b->count) {
				c->companies.entries[b->loc].value += b->count;
				b->count = 0;
			}
		}
		c->cidx.held = 0;
	}
}

int ag_row(const struct ing_row *row, void *vag)
{
	struct ag *c = vag;
	struct ag_counts *r = &c->total, *ic = &c->in[c->input];
	uint32_t loc = AG_NONE;
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
	if (url && (c->opt.dedup || c->opt.keep_contacts))
		url_len = ing_url_key(&c->url, url, len);
	if (c->opt.dedup && url_len && !u64set_add(&c->urls, sm_hash(c->url.buf, url_len))) {
		r->duplicates++;
		ic->duplicates++;
		add_skipped(c, row->line, "duplicate profile URL");
		return 0;
	}
	if (row->date_state == ING_DATE_OK && row->month >= AG_MONTH_BASE && row->month < AG_MONTH_BASE + AG_MONTHS) {
		if (!c->by_month)
			c->by_month = xcalloc(AG_MONTHS, sizeof(*c->by_month));
		c->by_month[row->month - AG_MONTH_BASE]++;
	}
	if (row->field[ING_COMPANY] && row->field_len[ING_COMPANY] && count_company(c, row) && c->gave_up)
		return AG_GAVE_UP;
	if (row->status == ING_ROW_OK && !c->opt.keep_contacts &&
	    ((row->location && row->location_len) || row->has_coords)) {
		hold_row(c, row);
		return c->gave_up ? AG_GAVE_UP : 0;
	}
	if (row->status == ING_ROW_OK) {
		if (row->location && row->location_len)
			loc = string_loc(c, row->location, row->location_len);
		else if (row->has_coords)
			loc = coords_loc(c, row->lat, row->lon);
		if (c->gave_up)
			return AG_GAVE_UP;
	}
	count_loc(c, loc, row->date_state == ING_DATE_OK, row->month);
	if (c->opt.keep_contacts) {
		struct ag_contact *ct;
		ALLOC_GROW(c->contacts, c->nr_contacts + 1, c->alloc_contacts);
		ct = &c->contacts[c->nr_contacts++];
		contact_id(c, row, url_len, ct);
		ct->place = loc; /* a loc index until the places are known */
	}
	return 0;
}

static int cmp_month(const void *a, const void *b)
{
	const struct st_month_place *x = a, *y = b;
	if (x->month != y->month)
		return x->month < y->month ? -1 : 1;
	return x->place < y->place ? -1 : x->place > y->place;
}

/*
 * Sort the entries of one month m[0..n) by place (stable LSD radix, a byte
 * per pass, bytes below maxp's; tmp holds n). A month holds a few
 * thousand entries at most, so each pass works in cache.
 */
static void sort_month_places(struct st_month_place *m, struct st_month_place *tmp, size_t n, size_t maxp)
{
	if (n < 24) {
		for (size_t i = 1; i < n; i++) {
			struct st_month_place x = m[i];
			size_t j = i;
			for (; j > 0 && m[j - 1].place > x.place; j--)
				m[j] = m[j - 1];
			m[j] = x;
		}
		return;
	}
	for (unsigned shift = 0; shift < 8 * sizeof(size_t) && maxp >> shift; shift += 8) {
		size_t cnt[257] = { 0 };
		for (size_t i = 0; i < n; i++)
			cnt[((m[i].place >> shift) & 0xff) + 1]++;
		for (size_t k = 1; k <= 256; k++)
			cnt[k] += cnt[k - 1];
		for (size_t i = 0; i < n; i++)
			tmp[cnt[(m[i].place >> shift) & 0xff]++] = m[i];
		memcpy(m, tmp, n * sizeof(*m));
	}
}

/*
 * The (month, place) list of tables t (locs as they are) and t2 (locs
 * through loc_of), unresolved locs left out, sorted by (month, place), the
 * order of cmp_month, in linear time: the entries are counted by month,
 * put in their month's run (the writes go to a few hundred runs at a
 * time, so they stay in cache), and each run is sorted by place. Equal
 * pairs are the caller's to merge. A loc's place is read from a dense
 * copy, not from the locs. Frees both tables.
 */
static struct st_month_place *fold_months(struct ag *c, struct ag_mtab *t, struct ag_mtab *t2, const uint32_t *loc_of,
					  size_t *nr)
{
	struct ag_mtab *tabs[2] = { t, t2 };
	uint32_t *place_of = xmalloc((c->nr_locs + 1) * sizeof(*place_of));
	size_t *start = xcalloc(AG_MONTHS + 1, sizeof(*start)), n = 0, maxp = 0, maxrun = 0;
	struct st_month_place *m, *tmp;
	int out_of_range = 0;
	for (size_t i = 0; i < c->nr_locs; i++) {
		place_of[i] = c->locs[i].place;
		if (place_of[i] != AG_NONE && place_of[i] > maxp)
			maxp = place_of[i];
	}
	for (int k = 0; k < 2; k++) {
		const struct ag_mtab *tb = tabs[k];
		for (size_t i = 0; i < tb->cap + tb->wcap; i++) {
			uint32_t loc;
			int32_t month;
			if (!mtab_entry(tb, i, &month, &loc) || place_of[k ? loc_of[loc] : loc] == AG_NONE)
				continue;
			n++;
			if (month >= AG_MONTH_BASE && month < AG_MONTH_BASE + AG_MONTHS)
				start[month - AG_MONTH_BASE + 1]++;
			else
				out_of_range = 1;
		}
	}
	if (!n) {
		for (int k = 0; k < 2; k++)
			mtab_release(tabs[k]);
		free(start);
		free(place_of);
		*nr = 0;
		return NULL;
	}
	m = xmalloc(n * sizeof(*m));
	for (size_t k = 1; k <= AG_MONTHS; k++) {
		if (start[k] > maxrun)
			maxrun = start[k];
		start[k] += start[k - 1];
	}
	n = 0;
	for (int k = 0; k < 2; k++) {
		struct ag_mtab *tb = tabs[k];
		for (size_t i = 0; i < tb->cap + tb->wcap; i++) {
			uint32_t loc, place;
			int32_t month;
			unsigned long count = mtab_entry(tb, i, &month, &loc);
			size_t at;
			if (!count || (place = place_of[k ? loc_of[loc] : loc]) == AG_NONE)
				continue;
			/* months outside ing_parse_month's years (none today): a plain sort below */
			at = out_of_range ? n : start[month - AG_MONTH_BASE]++;
			m[at].month = month;
			m[at].place = place;
			m[at].count = count;
			n++;
		}
		mtab_release(tb);
	}
	if (out_of_range) {
		qsort(m, n, sizeof(*m), cmp_month);
	} else {
		/* start[k] is now the end of month k's run */
		tmp = xmalloc((maxrun ? maxrun : 1) * sizeof(*tmp));
		for (size_t k = 0, at = 0; k < AG_MONTHS; at = start[k], k++)
			sort_month_places(m + at, tmp, start[k] - at, maxp);
		free(tmp);
	}
	free(start);
	free(place_of);
	*nr = n;
	return m;
}

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
	const struct ag_company *x = a, *y = b;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->name, y->name);
}

void ag_companies(const struct ag *c, char *const *targets, size_t nr_targets, struct ag_company **companies,
		  size_t *nr_companies, struct ag_company **out_targets)
{
	struct strmap keys;          /* company key -> index into *companies */
	size_t *best = NULL;         /* per company: the spelling it is named after */
	struct strbuf key = STRBUF_INIT;
	size_t n = sm_count(&c->companies), nr = 0;
	struct ag_company *co = xcalloc(n + 1, sizeof(*co)), *tg;

	sm_init(&keys);
	best = xcalloc(n + 1, sizeof(*best));
	for (size_t i = 0; i < n; i++) {
		const char *s = sm_key(&c->companies, i);
		size_t len = sm_keylen(&c->companies, i), cnt = sm_value(&c->companies, i);
		int inserted;
		size_t *v;
		company_key(&key, s, len);
		if (!key.len) /* only punctuation: its own company, by its bytes */
			sb_add(&key, s, len);
		v = sm_put(&keys, key.buf, key.len, nr, &inserted);
		if (inserted) {
			best[nr] = i;
			co[nr++].count = cnt;
		} else {
			size_t b = best[*v], bcnt = sm_value(&c->companies, b);
			size_t blen = sm_keylen(&c->companies, b);
			int cmp = memcmp(s, sm_key(&c->companies, b), len < blen ? len : blen);
			co[*v].count += cnt;
			if (cnt > bcnt || (cnt == bcnt && (cmp < 0 || (cmp == 0 && len < blen))))
				best[*v] = i;
		}
	}
	for (size_t k = 0; k < nr; k++) {
		struct strbuf name = STRBUF_INIT;
		txt_utf8_sanitize(&name, sm_key(&c->companies, best[k]), sm_keylen(&c->companies, best[k]));
		co[k].name = sb_detach(&name, NULL);
	}
	tg = xcalloc(nr_targets + 1, sizeof(*tg));
	for (size_t t = 0; t < nr_targets; t++) {
		size_t *v;
		company_key(&key, targets[t], strlen(targets[t]));
		v = key.len ? sm_get(&keys, key.buf, key.len) : NULL;
		tg[t].name = xstrdup(targets[t]);
		tg[t].count = v ? co[*v].count : 0;
	}
	if (nr > 1)
		qsort(co, nr, sizeof(*co), cmp_company);
	free(best);
	sb_release(&key);
	sm_release(&keys);
	*companies = co;
	*nr_companies = nr;
	*out_targets = tg;
}

void ag_connected(const struct ag *c, struct ag_month_count **connected, size_t *nr, unsigned long *dated)
{
	*connected = NULL;
	*nr = 0;
	*dated = 0;
	for (size_t k = 0; c->by_month && k < AG_MONTHS; k++) {
		if (!c->by_month[k])
			continue;
		*connected = xrealloc(*connected, (*nr + 1) * sizeof(**connected));
		(*connected)[*nr].month = (int)(AG_MONTH_BASE + k);
		(*connected)[*nr].count = c->by_month[k];
		*dated += c->by_month[k];
		(*nr)++;
	}
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
static int part_merge(struct ag *c, struct ag *c2, unsigned long base)
{
	struct ag_counts *r = &c->total, *r2 = &c2->total, *ic = &c->in[c->input], *ic2 = &c2->in[c->input];
	uint32_t *remap;

	if (c->months2.slots || c->months2.wide || /* one second part per ctx (one export) */
	    sm_count(&c->strs) + keys_missing(&c->strs, &c2->strs) > c->opt.max_distinct ||
	    sm_count(&c->coords) + keys_missing(&c->coords, &c2->coords) > c->opt.max_distinct ||
	    sm_count(&c->companies) + keys_missing(&c->companies, &c2->companies) > c->opt.max_distinct)
		return 1;
	for (size_t i = 0; i < sm_count(&c2->companies); i++)
		*sm_put(&c->companies, sm_key(&c2->companies, i), sm_keylen(&c2->companies, i), 0, NULL) +=
			sm_value(&c2->companies, i);
	if (c2->by_month) {
		if (!c->by_month)
			c->by_month = xcalloc(AG_MONTHS, sizeof(*c->by_month));
		for (size_t k = 0; k < AG_MONTHS; k++)
			c->by_month[k] += c2->by_month[k];
	}
	c->with_company += c2->with_company;
	remap = xcalloc(c2->nr_locs + 1, sizeof(*remap));
	for (size_t i = 0; i < c2->nr_locs; i++) {
		const struct ag_loc *l2 = &c2->locs[i];
		uint32_t k = l2->kind == AG_LOC_STRING ? string_loc(c, sm_key(&c2->strs, l2->key), sm_keylen(&c2->strs, l2->key))
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
	for (size_t i = 0; i < c2->nr_skipped; i++)
		add_skipped_listed(c, c2->skipped[i].line + base - 1, c2->skipped[i].reason);
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

int ag_join(void *vag, void *vpart, unsigned long base, int use)
{
	struct ag *c = vag;
	struct ag *p = vpart;
	int rc;
	ag_flush(c);
	ag_flush(p);
	rc = use && !p->gave_up ? part_merge(c, p, base) : 1;
	if (!rc)
		c->split_reads++;
	ag_release(p);
	ag_init_part(p, c);
	return rc;
}


/* ---- the aggregator ---- */

void ag_init(struct ag *a, const struct ag_options *o)
{
	memset(a, 0, sizeof(*a));
	a->opt = *o;
	if (!a->opt.nr_inputs)
		a->opt.nr_inputs = 1;
	if (!a->opt.max_distinct)
		a->opt.max_distinct = 1;
	a->in = xcalloc(a->opt.nr_inputs, sizeof(*a->in));
	sm_init(&a->strs);
	sm_init(&a->coords);
	sm_init(&a->placed);
	sm_init(&a->overflow);
	sm_init(&a->companies);
	sb_init(&a->url, 128);
	sb_init(&a->tmp, 128);
	sb_init(&a->tmp2, 128);
	_Static_assert(AG_SIDX_KEY < 64, "hold_row copies a short string into a pend key without growing it");
	for (size_t k = 0; k < AG_LAG; k++)
		sb_init(&a->pend[k].key, 64);
}

void ag_init_part(struct ag *part, const struct ag *main)
{
	struct ag_options o = main->opt;
	/* memory stays within 1.25 times the limit: the first part may fill it, this one a quarter */
	o.max_distinct = main->opt.max_distinct / 4 ? main->opt.max_distinct / 4 : 1;
	o.keep_contacts = 0;
	o.dedup = 0;
	o.gz = NULL;
	ag_init(part, &o);
	part->input = main->input;
	part->second_part = 1;
}

void ag_release(struct ag *a)
{
	for (size_t i = 0; i < a->nr_locs; i++) {
		free(a->locs[i].in);
		free(a->locs[i].placed);
	}
	free(a->locs);
	free(a->in);
	free(a->skipped);
	free(a->contacts);
	gc_free(a->ogc);
	sm_release(&a->strs);
	sm_release(&a->coords);
	sm_release(&a->placed);
	sm_release(&a->overflow);
	sm_release(&a->companies);
	mtab_release(&a->months);
	mtab_release(&a->months2);
	free(a->months2_loc);
	free(a->urls.slots);
	sb_release(&a->url);
	sb_release(&a->tmp);
	sb_release(&a->tmp2);
	free(a->by_month);
	free(a->sidx.b);
	free(a->cidx.b);
	for (size_t k = 0; k < AG_LAG; k++)
		sb_release(&a->pend[k].key);
	memset(a, 0, sizeof(*a));
}

const char *ag_loc_text(const struct ag *a, size_t i, size_t *len)
{
	*len = sm_keylen(&a->strs, a->locs[i].key);
	return sm_key(&a->strs, a->locs[i].key);
}

void ag_end_rows(struct ag *a)
{
	ag_flush(a);
	gc_free(a->ogc);
	a->ogc = NULL;
}

struct st_month_place *ag_month_places(struct ag *a, size_t *nr)
{
	struct st_month_place *m;
	size_t n, k = 0;
	ag_flush(a);
	mtab_drain(&a->months);
	m = fold_months(a, &a->months, &a->months2, a->months2_loc, &n);
	for (size_t i = 0; i < n; i++) {
		if (k && m[k - 1].month == m[i].month && m[k - 1].place == m[i].place)
			m[k - 1].count += m[i].count;
		else
			m[k++] = m[i];
	}
	*nr = k;
	return m;
}

struct ag_contact *ag_take_contacts(struct ag *a, size_t *n)
{
	struct ag_contact *c = a->contacts;
	for (size_t i = 0; i < a->nr_contacts; i++)
		if (c[i].place != AG_NONE)
			c[i].place = a->locs[c[i].place].place;
	*n = a->nr_contacts;
	a->contacts = NULL;
	a->nr_contacts = a->alloc_contacts = 0;
	return c;
}

struct ag_skipped *ag_take_skipped(struct ag *a, size_t *n)
{
	struct ag_skipped *s = a->skipped;
	*n = a->nr_skipped;
	a->skipped = NULL;
	a->nr_skipped = a->alloc_skipped = 0;
	return s;
}
