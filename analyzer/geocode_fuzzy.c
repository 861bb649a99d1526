/*
 * geocode_fuzzy.c: near spellings ("Wroclav, Poland", "Amsterdm"): a
 * banded Damerau-Levenshtein distance and the indexes that let a search
 * read only the places that can be within its limit, built lazily per
 * country, per admin-1 region and for the bare-name list (struct
 * gc_fuzzy, owned by the struct gc).
 */
#include "geocode_int.h"

#include <stdlib.h>
#include <string.h>

#include "banned.h"

#define BARE_FUZZY_MIN_POP 100000 /* a bare unknown name is compared with places of at least this size */

struct big {
	uint32_t idx, pop;
	uint64_t mask;                  /* letter_mask of the key */
	uint8_t klen;
	unsigned char first;
};

/*
 * Near-spelling index for gc_fuzzy_place (built lazily in gc->fuzzy, freed
 * by gc_fuzzy_free). One entry per place of a gazetteer list (gz_country_places
 * or gz_admin1_places), at the same index range as the list: for a country
 * each run of one first byte is filled on its first search, for an admin-1
 * region the whole list at once. Inside a filled range the entries are
 * ordered by key length, then by list position, so a search reads only the
 * lengths within its edit limit. Beside the entries, a bitset per letter
 * feature (letter_mask) over the entries lets a search drop, 64 entries at
 * a time, those lacking more of the query's features than edits allowed.
 * Per place and list: 16 bytes of entry and 8 of bitsets; bounded by twice
 * the gazetteer's place count.
 */
struct fz_ent {
	uint64_t mask;                  /* letter_mask of the place's key (0 when klen > 64: never compared) */
	uint32_t pos;                   /* position in the gazetteer's list */
	uint8_t klen;                   /* gz_place_rec.klen */
};

struct fz_list {
	struct fz_ent *ent;             /* as many as the list has places; NULL until the first search */
	uint64_t *has;                  /* has[f * nwords + i / 64] bit i % 64: entry i has feature f */
	size_t nwords;                  /* 64-bit words per feature: (places + 63) / 64 */
	uint32_t done[8];               /* filled ranges: countries a bit per first byte, admin-1 bit 0 */
};

/* The near-spelling indexes of a struct gc (gc->fuzzy), built on first need, freed by gc_fuzzy_free. */
struct gc_fuzzy {
	struct big *big;                /* places for near spellings of a bare name (built on first need) */
	size_t nbig;
	int big_ready;
	struct fz_list *fz_country;     /* near-spelling index per country, per admin-1 region (NULL until first need) */
	struct fz_list *fz_admin1;
	size_t nfz_country, nfz_admin1;
};

static struct gc_fuzzy *fuzzy_of(struct gc *gc)
{
	if (!gc->fuzzy)
		gc->fuzzy = xcalloc(1, sizeof(*gc->fuzzy));
	return gc->fuzzy;
}

void gc_fuzzy_free(struct gc_fuzzy *fz)
{
	if (!fz)
		return;
	free(fz->big);
	for (size_t i = 0; i < fz->nfz_country; i++) {
		free(fz->fz_country[i].ent);
		free(fz->fz_country[i].has);
	}
	free(fz->fz_country);
	for (size_t i = 0; i < fz->nfz_admin1; i++) {
		free(fz->fz_admin1[i].ent);
		free(fz->fz_admin1[i].has);
	}
	free(fz->fz_admin1);
	free(fz);
}

/*
 * Damerau-Levenshtein distance (optimal string alignment) of a and b when
 * it is at most max, else a value above max (keys over 64 bytes: max + 1).
 * Only the band of cells with |i - j| <= max is computed: a cell outside
 * it is more than max, and stands in as max + 1, which can only make
 * results above max differ.
 */
size_t gc_edit_distance(const char *a, size_t n, const char *b, size_t m, size_t max)
{
	size_t rows[3][66];
	size_t *pp = rows[0], *prev = rows[1], *cur = rows[2];
	size_t far = max + 1;
	if (n > 64 || m > 64)
		return max + 1;
	if ((n > m ? n - m : m - n) > max)
		return max + 1;
	for (size_t j = 0; j <= m; j++)
		prev[j] = j <= max ? j : far;
	prev[m + 1] = far;
	for (size_t i = 1; i <= n; i++) {
		size_t lo = far;
		size_t jlo = i > max ? i - max : 1, jhi = i + max < m ? i + max : m;
		cur[0] = i <= max ? i : far;
		cur[jlo - 1] = jlo == 1 ? cur[0] : far;
		for (size_t j = jlo; j <= jhi; j++) {
			size_t c = prev[j - 1] + (a[i - 1] != b[j - 1]);
			if (prev[j] + 1 < c)
				c = prev[j] + 1;
			if (cur[j - 1] + 1 < c)
				c = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && pp[j - 2] + 1 < c)
				c = pp[j - 2] + 1;
			cur[j] = c;
			if (c < lo)
				lo = c;
		}
		cur[jhi + 1] = far; /* the next row reads one cell past this band */
		if (lo > max)
			return max + 1;
		size_t *t = pp;
		pp = prev;
		prev = cur;
		cur = t;
	}
	return prev[m];
}

/*
 * The letters of s as a set of features, for a cheap lower bound on edit
 * distance: bytes fall into 32 classes by their low five bits (a..z are
 * classes 1..26 of their own, space is 0; digits and other bytes share);
 * bit c is set when class c occurs in s, bit 32 + c when it occurs twice
 * or more. An edit (insertion, deletion, substitution, transposition)
 * moves one class count up by one and/or another down by one, so it adds
 * at most one feature and removes at most one: a string within d edits of
 * s has at most d features that s lacks and lacks at most d that s has
 * (within_edits).
 */
static uint64_t letter_mask(const char *s, size_t len)
{
	uint32_t once = 0, twice = 0;
	for (size_t i = 0; i < len; i++) {
		uint32_t bit = 1u << ((unsigned char)s[i] & 31);
		twice |= once & bit;
		once |= bit;
	}
	return once | (uint64_t)twice << 32;
}

/* Number of bits set in x (branch-free: no popcnt instruction assumed). */
static unsigned popcount64(uint64_t x)
{
	x = x - ((x >> 1) & 0x5555555555555555u);
	x = (x & 0x3333333333333333u) + ((x >> 2) & 0x3333333333333333u);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fu;
	return (unsigned)((x * 0x0101010101010101u) >> 56);
}

/*
 * Can strings with letter_mask a and b be within lim edits of each other?
 * 0 means certainly not; 1 means maybe (edit_distance decides).
 */
static int within_edits(uint64_t a, uint64_t b, size_t lim)
{
	return popcount64(a & ~b) <= lim && popcount64(b & ~a) <= lim;
}

/* Index of the lowest set bit of x (x != 0); de Bruijn multiplication, no ctz instruction assumed. */
static unsigned lowest_bit(uint64_t x)
{
	static const unsigned char pos[64] = {
		0, 1, 48, 2, 57, 49, 28, 3, 61, 58, 50, 42, 38, 29, 17, 4, 62, 55, 59, 36, 53, 51, 43, 22, 45, 39, 33, 30,
		24, 18, 12, 5, 63, 47, 56, 27, 60, 41, 37, 16, 54, 35, 52, 21, 44, 32, 23, 11, 46, 26, 40, 15, 34, 20, 31,
		10, 25, 14, 19, 9, 13, 8, 7, 6,
	};
	return pos[((x & (~x + 1)) * 0x03f79d71b4cb0a89u) >> 58];
}

/* Transpose a 64x64 bit matrix in place: afterwards bit i of a[f] is what bit f of a[i] was. */
static void transpose64(uint64_t a[64])
{
	uint64_t m = 0x00000000ffffffffu;
	/* swap ever smaller off-diagonal blocks: 32x32, then 16x16, ... 1x1 */
	for (unsigned j = 32; j; j >>= 1, m ^= m << j) {
		for (unsigned k = 0; k < 64; k = (k + j + 1) & ~j) {
			uint64_t t = ((a[k] >> j) ^ a[k + j]) & m;
			a[k] ^= t << j;
			a[k + j] ^= t;
		}
	}
}

/*
 * Fill entries lo..hi of fl from list[lo..hi) (a country's or an admin-1
 * region's places): ordered by klen, then by list position (a stable
 * counting sort), with their feature bits set in fl->has (64 entries at a
 * time, by transposing their masks). Allocates nothing.
 */
static void fz_fill(const struct gz *gz, const uint32_t *list, size_t lo, size_t hi, struct fz_list *fl)
{
	size_t start[257] = { 0 };
	struct fz_ent *e = fl->ent;
	for (size_t i = lo; i < hi; i++)
		start[gz_place(gz, list[i])->klen + 1]++;
	for (size_t k = 1; k < 257; k++)
		start[k] += start[k - 1];
	for (size_t i = lo; i < hi; i++) {
		const struct gz_place_rec *p = gz_place(gz, list[i]);
		uint64_t mask = p->klen <= 64 ? letter_mask(gz_place_key(gz, list[i]), p->klen) : 0;
		e[lo + start[p->klen]++] = (struct fz_ent){ .mask = mask, .pos = (uint32_t)i, .klen = p->klen };
	}
	for (size_t w = lo / 64; w * 64 < hi; w++) {
		uint64_t rows[64];
		for (size_t j = 0; j < 64; j++)
			rows[j] = w * 64 + j >= lo && w * 64 + j < hi ? e[w * 64 + j].mask : 0;
		transpose64(rows);
		for (size_t f = 0; f < 64; f++)
			fl->has[f * fl->nwords + w] |= rows[f];
	}
}

/*
 * The index of country (admin1 GZ_NONE) or of admin-1 region admin1, whose
 * gazetteer list has n places, with entries lo..hi filled (on first need).
 * For a country, lo..hi must be the run of places whose keys start with
 * byte first; for a region, the whole list. Returns NULL for an index the
 * gazetteer does not have.
 */
static struct fz_list *fz_index(struct gc *gc, uint32_t country, uint32_t admin1, const uint32_t *list, size_t n,
				unsigned char first, size_t lo, size_t hi)
{
	const struct gz *gz = gc->gz;
	struct gc_fuzzy *fz = fuzzy_of(gc);
	struct fz_list *fl;
	unsigned bit = admin1 == GZ_NONE ? first : 0;
	if (admin1 == GZ_NONE) {
		if (!fz->fz_country) {
			fz->nfz_country = gz_country_count(gz);
			fz->fz_country = xcalloc(fz->nfz_country ? fz->nfz_country : 1, sizeof(*fz->fz_country));
		}
		if (country >= fz->nfz_country)
			return NULL;
		fl = &fz->fz_country[country];
	} else {
		if (!fz->fz_admin1) {
			fz->nfz_admin1 = gz_admin1_count(gz);
			fz->fz_admin1 = xcalloc(fz->nfz_admin1 ? fz->nfz_admin1 : 1, sizeof(*fz->fz_admin1));
		}
		if (admin1 >= fz->nfz_admin1)
			return NULL;
		fl = &fz->fz_admin1[admin1];
	}
	if (!fl->ent) {
		fl->ent = xmalloc(n * sizeof(*fl->ent));
		fl->nwords = (n + 63) / 64;
		fl->has = xcalloc(64 * fl->nwords, sizeof(*fl->has));
	}
	if (!(fl->done[bit / 32] & (1u << (bit % 32)))) {
		fz_fill(gz, list, lo, hi, fl);
		fl->done[bit / 32] |= 1u << (bit % 32);
	}
	return fl;
}

/*
 * The first part named no place we know, but later parts fixed the
 * country (and maybe the admin-1 region): look for a near spelling among
 * that region's places ("Wroclav, Poland" -> "Wrocław"). At most one edit
 * per 7 bytes of key inside the admin-1 region when one is named, else one
 * per 8 bytes country-wide with the same first letter (and one edit in a
 * key of 6 or 7 bytes into a place of 100,000 or more); fewer
 * edits, then population, then the earlier place in the gazetteer's list
 * win. Keys under 4 bytes or over 64 bytes match nothing. Returns the
 * place or GZ_NONE; *dist the edits (untouched for keys under 4 bytes).
 * Reads and extends the index in gc (fz_index); the answer is the one a
 * scan of the whole list would give, the index only skips places that
 * cannot be within the limit.
 */
uint32_t gc_fuzzy_place(struct gc *gc, const char *key, size_t len, uint32_t country, uint32_t admin1, size_t *dist)
{
	const struct gz *gz = gc->gz;
	const uint32_t *list;
	size_t n = admin1 == GZ_NONE ? gz_country_places(gz, country, &list) : gz_admin1_places(gz, admin1, &list);
	/*
	 * Calibrated on make eval's near spellings: an edit in a short name
	 * is as often another town as a typo ("Vasai" is not Vasa, "Toshima"
	 * not Tokushima), so a search inside a stated admin-1 region allows one
	 * edit per 7 bytes of key, a country-wide one per 8.
	 */
	size_t max = len / (admin1 == GZ_NONE ? 8 : 7);
	/* below that, one edit only into a city of 100,000+ (misspelt far more often than hamlets: "Wroclav") */
	uint32_t min_pop = 0;
	if (!max && len >= 6) {
		max = 1;
		min_pop = 100000;
	}
	uint32_t best = GZ_NONE, best_pop = 0, best_pos = 0;
	size_t best_d = max + 1;
	unsigned char first = (unsigned char)key[0];
	size_t lo = 0, hi = n;
	if (len < 4 || !max)
		return GZ_NONE;
	*dist = best_d;
	if (len > 64 || !n)
		return GZ_NONE; /* edit_distance compares keys of up to 64 bytes */
	if (admin1 == GZ_NONE) {
		/* country-wide: same first letter only; the country's places are sorted by it */
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if ((unsigned char)gz_place_key(gz, list[mid])[0] < first)
				lo = mid + 1;
			else
				hi = mid;
		}
		hi = n;
		for (size_t a = lo; a < hi;) {
			size_t mid = a + (hi - a) / 2;
			if ((unsigned char)gz_place_key(gz, list[mid])[0] == first)
				a = mid + 1;
			else
				hi = mid;
		}
		if (lo == hi)
			return GZ_NONE;
	}
	const struct fz_list *fl = fz_index(gc, country, admin1, list, n, first, lo, hi);
	if (!fl)
		return GZ_NONE;
	const struct fz_ent *e = fl->ent;
	/* entries lo..hi are ordered by length: keep those within max edits (and 64 bytes) */
	size_t min_kl = len - max, max_kl = len + max < 64 ? len + max : 64;
	for (size_t a = lo, b = hi; a < b;) {
		size_t mid = a + (b - a) / 2;
		if (e[mid].klen < min_kl)
			a = lo = mid + 1;
		else
			b = mid;
	}
	for (size_t a = lo, b = hi; a < b;) {
		size_t mid = a + (b - a) / 2;
		if (e[mid].klen <= max_kl)
			a = mid + 1;
		else
			b = hi = mid;
	}
	/* byte histogram (32 classes): a cheap lower bound for the candidates the features let through */
	int hist[32] = { 0 };
	for (size_t i = 0; i < len; i++)
		hist[(unsigned char)key[i] & 31]++;
	uint64_t mask = letter_mask(key, len);
	unsigned feat[64], nfeat = 0;
	for (uint64_t x = mask; x; x &= x - 1)
		feat[nfeat++] = lowest_bit(x);
	for (size_t w = lo / 64; w * 64 < hi; w++) {
		/*
		 * The 64 entries of word w: miss[j] marks those lacking more than
		 * j of the key's features (a saturating count, bit-sliced). An
		 * entry within lim edits lacks at most lim (letter_mask).
		 */
		uint64_t miss[4] = { 0, 0, 0, 0 };
		for (unsigned f = 0; f < nfeat; f++) {
			uint64_t lacks = ~fl->has[feat[f] * fl->nwords + w];
			miss[3] |= miss[2] & lacks;
			miss[2] |= miss[1] & lacks;
			miss[1] |= miss[0] & lacks;
			miss[0] |= lacks;
		}
		size_t lim = best_d <= max ? best_d : max;
		uint64_t cand = lim < 4 ? ~miss[lim] : ~(uint64_t)0;
		if (w == lo / 64)
			cand &= ~(uint64_t)0 << (lo % 64);
		if ((w + 1) * 64 > hi)
			cand &= ~(~(uint64_t)0 << (hi % 64));
		for (; cand; cand &= cand - 1) {
			size_t i = w * 64 + lowest_bit(cand);
			size_t kl = e[i].klen;
			lim = best_d <= max ? best_d : max;
			if ((kl > len ? kl - len : len - kl) > lim || !within_edits(e[i].mask, mask, lim))
				continue;
			uint32_t idx = list[e[i].pos];
			const char *k = gz_place_key(gz, idx);
			int h[32];
			memcpy(h, hist, sizeof(h));
			for (size_t j = 0; j < kl; j++)
				h[(unsigned char)k[j] & 31]--;
			/* an edit raises one class count by one and/or lowers another by one */
			size_t up = 0, down = 0;
			for (size_t j = 0; j < 32; j++) {
				up += (size_t)(h[j] > 0 ? h[j] : 0);
				down += (size_t)(h[j] < 0 ? -h[j] : 0);
			}
			if (up > lim || down > lim)
				continue;
			size_t d = gc_edit_distance(key, len, k, kl, lim);
			if (d > lim)
				continue;
			uint32_t pop = gz_place(gz, idx)->pop;
			if (pop < min_pop)
				continue;
			if (d < best_d || (d == best_d && (pop > best_pop || (pop == best_pop && e[i].pos < best_pos)))) {
				best = idx;
				best_d = d;
				best_pop = pop;
				best_pos = e[i].pos;
			}
		}
	}
	*dist = best_d;
	return best;
}

/*
 * Stable counting sort of b[0..n) by klen (by_klen) or by first byte,
 * through tmp (n entries); the result is back in b.
 */
static void sort_big_by(struct big *b, struct big *tmp, size_t n, int by_klen)
{
	size_t start[257] = { 0 };
	for (size_t i = 0; i < n; i++)
		start[(by_klen ? b[i].klen : b[i].first) + 1]++;
	for (size_t k = 1; k < 257; k++)
		start[k] += start[k - 1];
	for (size_t i = 0; i < n; i++)
		tmp[start[by_klen ? b[i].klen : b[i].first]++] = b[i];
	memcpy(b, tmp, n * sizeof(*b));
}

/*
 * A bare name that matches nothing ("San Fransisco", "Amsterdm"): the
 * nearest spelling among places of at least BARE_FUZZY_MIN_POP people
 * (and capitals) with the same first letter: 1 edit for names up to 8
 * bytes, 2 beyond, none below 6; fewer edits, then population, then the
 * shorter key, then the lower place index win. Returns the place or
 * GZ_NONE; *dist the edits. Builds fz->big on first need.
 */
uint32_t gc_fuzzy_bare(struct gc *gc, const char *key, size_t len, size_t *dist)
{
	const struct gz *gz = gc->gz;
	struct gc_fuzzy *fz = fuzzy_of(gc);
	if (len < 6 || len > 64)
		return GZ_NONE;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)key[i] >= 0x80)
			return GZ_NONE; /* other scripts: bytes are not letters */
	if (!fz->big_ready) {
		size_t n = gz_place_count(gz), a = 0;
		fz->big_ready = 1;
		for (uint32_t i = 0; i < n; i++) {
			const struct gz_place_rec *p = gz_place(gz, i);
			if (p->pop < BARE_FUZZY_MIN_POP && p->fcode != GZ_FC_PPLC)
				continue;
			ALLOC_GROW(fz->big, fz->nbig + 1, a);
			const char *k = gz_place_key(gz, i);
			fz->big[fz->nbig++] = (struct big){ .idx = i, .pop = p->pop, .mask = letter_mask(k, p->klen), .klen = p->klen, .first = (unsigned char)k[0] };
		}
		/* by length, then first byte, then index (the order they were added in) */
		if (fz->nbig) {
			struct big *tmp = xmalloc(fz->nbig * sizeof(*tmp));
			sort_big_by(fz->big, tmp, fz->nbig, 0);
			sort_big_by(fz->big, tmp, fz->nbig, 1);
			free(tmp);
		}
	}
	size_t max = len <= 8 ? 1 : 2, best_d = max + 1;
	uint32_t best = GZ_NONE, best_pop = 0;
	uint64_t mask = letter_mask(key, len);
	unsigned char first = (unsigned char)key[0];
	for (size_t kl = len - max; kl <= len + max; kl++) {
		/* first entry with this length and first letter */
		size_t lo = 0, hi = fz->nbig;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			const struct big *m = &fz->big[mid];
			if (m->klen < kl || (m->klen == kl && m->first < first))
				lo = mid + 1;
			else
				hi = mid;
		}
		for (size_t i = lo; i < fz->nbig && fz->big[i].klen == kl && fz->big[i].first == first; i++) {
			const struct big *c = &fz->big[i];
			size_t lim = best_d <= max ? best_d : max;
			if (!within_edits(c->mask, mask, lim))
				continue;
			size_t d = gc_edit_distance(key, len, gz_place_key(gz, c->idx), kl, lim);
			/* scanned by length, then index: the first of equal edits and population wins */
			if (d < best_d || (d == best_d && d <= max && c->pop > best_pop)) {
				best = c->idx;
				best_d = d;
				best_pop = c->pop;
			}
		}
	}
	*dist = best_d;
	return best_d <= max ? best : GZ_NONE;
}
