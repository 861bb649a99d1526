/*
 * gazetteer: map and read the binary place index (the file layout is in
 * gazetteer_int.h; gazetteer_build.c writes it).
 *
 * Damage: gz_open checks the header's CRC and those of the small sections
 * it trusts as they are (countries, admin-1, the alpha-2 table and the run
 * starts: ~120 KB, ~0.05 ms); checking all ~40 MB would cost ~16 ms,
 * sixteen times a geocode cold start, so the large sections are instead
 * bounds-checked wherever they are read: a posting, a place record, a list
 * entry or a grid item out of range is never followed, the damage is
 * recorded, and gz_check reports it (the caller stops with one line and
 * NR_EX_SOFTWARE). gz_verify checks every section's CRC (gzindex does after
 * building).
 */
#include "gazetteer.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "gazetteer_int.h"
#include "text.h"
#include "util.h"
#include "banned.h"

const size_t gz_sec_elem[NSEC] = {
	1, sizeof(struct gz_place_rec), sizeof(struct gz_country_rec), sizeof(struct gz_admin1_rec),
	16, 4, sizeof(struct gz_posting), 4, 4, 4, 4, 4, 4, 4, 4,
	sizeof(struct gz_admin2_rec), 4, 4
};

static const char *const sec_name[] = {
	"strings", "places", "countries", "admin-1 regions", "keys", "slots", "postings", "grid",
	"grid items", "alpha-2 codes", "place keys", "country places", "country runs", "admin-1 places",
	"admin-1 runs", "admin-2 regions", "admin-2 places", "admin-2 runs"
};
_Static_assert(sizeof(sec_name) / sizeof(sec_name[0]) == NSEC, "a name for every section");
/* Sections whose CRC gz_open checks (small, and read without bounds checks). */
static const unsigned char sec_checked_at_open[NSEC] = {
	[SEC_COUNTRY] = 1, [SEC_ADMIN1] = 1, [SEC_CC] = 1, [SEC_CSTART] = 1, [SEC_ASTART] = 1
};

struct gz {
	void *map;
	size_t size;
	char *path;                 /* for messages */
	atomic_int *damaged;        /* set by an accessor that met a value out of range */
	const char *str;
	size_t str_len;
	const struct gz_place_rec *places;
	size_t nplaces;
	const struct gz_country_rec *countries;
	size_t ncountries;
	const struct gz_admin1_rec *admin1;
	size_t nadmin1;
	const struct gz_admin2_rec *admin2;
	size_t nadmin2;
	const struct key_rec *keys;
	size_t nkeys;
	const uint32_t *slots;
	size_t nslots;
	const struct gz_posting *posts;
	size_t nposts;
	const uint32_t *grid_start;
	const uint32_t *grid_item;
	size_t ngrid_items;
	const uint32_t *cc_table;
	const uint32_t *pkey;
	const uint32_t *cplace;
	const uint32_t *cstart;
	const uint32_t *aplace;
	const uint32_t *astart;
	const uint32_t *a2place;
	const uint32_t *a2start;
};

/* ------------------------------------------------------------------ */
/* Normalisation (shared by build and lookup)                          */

static const char *expand_word(const char *w, size_t n)
{
	if (n == 2 && !memcmp(w, "st", 2))
		return "saint";
	if (n == 5 && !memcmp(w, "sankt", 5))
		return "saint";
	if (n == 3 && !memcmp(w, "ste", 3))
		return "sainte";
	if (n == 2 && !memcmp(w, "ft", 2))
		return "fort";
	if (n == 2 && !memcmp(w, "mt", 2))
		return "mount";
	return NULL;
}

size_t gz_normalize(struct strbuf *out, struct strbuf *scratch, const char *s, size_t len, int flags)
{
	txt_fold(out, s, len, flags);
	return gz_expand(out, scratch);
}

size_t gz_expand(struct strbuf *out, struct strbuf *scratch)
{
	const char *sp = memchr(out->buf, ' ', out->len);
	if (!sp)
		return out->len;
	/* quick check: does any non-last word need expanding? */
	int need = 0;
	for (const char *w = out->buf, *end = out->buf + out->len; sp && !need; sp = memchr(w, ' ', (size_t)(end - w))) {
		need = expand_word(w, (size_t)(sp - w)) != NULL;
		w = sp + 1;
	}
	if (!need)
		return out->len;
	sb_reset(scratch);
	for (size_t i = 0; i < out->len;) {
		size_t j = i;
		while (j < out->len && out->buf[j] != ' ')
			j++;
		const char *e = j < out->len ? expand_word(out->buf + i, j - i) : NULL;
		if (scratch->len)
			sb_addch(scratch, ' ');
		if (e)
			sb_adds(scratch, e);
		else
			sb_add(scratch, out->buf + i, j - i);
		i = j + 1;
	}
	sb_reset(out);
	sb_add(out, scratch->buf, scratch->len);
	return out->len;
}

/* ------------------------------------------------------------------ */
/* Mapping and lookups                                                 */

int gz_open(struct gz **out, const char *data_dir, struct strbuf *err)
{
	struct strbuf path = STRBUF_INIT;
	int rc;
	sb_init(&path, 0);
	sb_addf(&path, "%s/gazetteer.bin", data_dir);
	rc = gz_open_file(out, path.buf, err);
	sb_release(&path);
	return rc;
}

int gz_verify_file(const char *file, struct strbuf *err)
{
	struct gz *gz;
	int rc = gz_open_file(&gz, file, err);
	if (rc)
		return rc;
	rc = gz_verify(gz, err);
	gz_close(gz);
	return rc;
}

int gz_open_file(struct gz **out, const char *file, struct strbuf *err)
{
	struct strbuf path = STRBUF_INIT;
	struct stat st;
	int fd;
	void *map;

	*out = NULL;
	sb_init(&path, 0);
	sb_adds(&path, file);
	fd = open(path.buf, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		sb_addf(err, "'%s': %s", path.buf, strerror(e));
		sb_release(&path);
		return e == EMFILE || e == ENFILE ? NR_EX_OSERR : NR_EX_NOINPUT;
	}
	if (fstat(fd, &st) < 0 || (size_t)st.st_size < sizeof(struct gz_header)) {
		sb_addf(err, "'%s': not a gazetteer index (too small); reinstall netreach (or rebuild it with `make data`)",
			path.buf);
		close(fd);
		sb_release(&path);
		return NR_EX_SOFTWARE;
	}
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED) {
		int e = errno;
		sb_addf(err, "'%s': mmap: %s", path.buf, strerror(e));
		sb_release(&path);
		/* out of address space or memory is 71, as for malloc; anything else is an I/O error */
		return e == ENOMEM ? NR_EX_OSERR : NR_EX_IOERR;
	}
	const struct gz_header *h = map;
	size_t size = (size_t)st.st_size;
	int ok = !memcmp(h->magic, GZ_MAGIC, 8) && h->endian == 0x01020304u && h->nsec == NSEC && h->size == size;
	for (int i = 0; ok && i < NSEC; i++) {
		uint64_t off = h->sec[i].off, cnt = h->sec[i].count;
		if (off % 8 || off > size || cnt > (size - off) / gz_sec_elem[i])
			ok = 0;
	}
	if (ok) {
		ok = h->sec[SEC_GRID_START].count == GRID_CELLS + 1 && h->sec[SEC_CC].count == 26 * 26 &&
		     h->sec[SEC_STR].count > 0 && h->sec[SEC_SLOT].count > 0 &&
		     (h->sec[SEC_SLOT].count & (h->sec[SEC_SLOT].count - 1)) == 0 &&
		     ((const char *)map)[h->sec[SEC_STR].off + h->sec[SEC_STR].count - 1] == '\0' &&
		     h->sec[SEC_PKEY].count == h->sec[SEC_PLACE].count && h->sec[SEC_CPLACE].count == h->sec[SEC_PLACE].count &&
		     h->sec[SEC_CSTART].count == h->sec[SEC_COUNTRY].count + 1 &&
		     h->sec[SEC_APLACE].count == h->sec[SEC_PLACE].count && h->sec[SEC_ASTART].count == h->sec[SEC_ADMIN1].count + 1 &&
		     h->sec[SEC_A2PLACE].count == h->sec[SEC_PLACE].count && h->sec[SEC_A2START].count == h->sec[SEC_ADMIN2].count + 1;
	}
	if (!ok) {
		sb_addf(err, "'%s': not a gazetteer index of this version, or damaged; reinstall netreach "
			"(or rebuild it with `make data`)", path.buf);
		munmap(map, size);
		sb_release(&path);
		return NR_EX_SOFTWARE;
	}
	{
		struct gz_header hc = *h;
		int bad = -1;
		hc.hdr_crc = 0;
		if (crc32_z(0, (const void *)&hc, sizeof(hc)) != h->hdr_crc)
			bad = NSEC;
		for (int i = 0; bad < 0 && i < NSEC; i++)
			if (sec_checked_at_open[i] &&
			    crc32_z(0, (const unsigned char *)map + h->sec[i].off, h->sec[i].count * gz_sec_elem[i]) != h->crc[i])
				bad = i;
		if (bad >= 0) {
			sb_addf(err, "'%s': damaged (the checksum of its %s does not match); reinstall netreach "
				"(or rebuild it with `make data`)", path.buf, bad == NSEC ? "header" : sec_name[bad]);
			munmap(map, size);
			sb_release(&path);
			return NR_EX_SOFTWARE;
		}
	}
	struct gz *gz = xcalloc(1, sizeof(*gz));
	const char *base = map;
	gz->map = map;
	gz->size = size;
	gz->damaged = xcalloc(1, sizeof(*gz->damaged));
	gz->str = base + h->sec[SEC_STR].off;
	gz->str_len = h->sec[SEC_STR].count;
	gz->places = (const void *)(base + h->sec[SEC_PLACE].off);
	gz->nplaces = h->sec[SEC_PLACE].count;
	gz->countries = (const void *)(base + h->sec[SEC_COUNTRY].off);
	gz->ncountries = h->sec[SEC_COUNTRY].count;
	gz->admin1 = (const void *)(base + h->sec[SEC_ADMIN1].off);
	gz->nadmin1 = h->sec[SEC_ADMIN1].count;
	gz->keys = (const void *)(base + h->sec[SEC_KEY].off);
	gz->nkeys = h->sec[SEC_KEY].count;
	gz->slots = (const void *)(base + h->sec[SEC_SLOT].off);
	gz->nslots = h->sec[SEC_SLOT].count;
	gz->posts = (const void *)(base + h->sec[SEC_POST].off);
	gz->nposts = h->sec[SEC_POST].count;
	gz->grid_start = (const void *)(base + h->sec[SEC_GRID_START].off);
	gz->grid_item = (const void *)(base + h->sec[SEC_GRID_ITEM].off);
	gz->ngrid_items = h->sec[SEC_GRID_ITEM].count;
	gz->cc_table = (const void *)(base + h->sec[SEC_CC].off);
	gz->pkey = (const void *)(base + h->sec[SEC_PKEY].off);
	gz->cplace = (const void *)(base + h->sec[SEC_CPLACE].off);
	gz->cstart = (const void *)(base + h->sec[SEC_CSTART].off);
	gz->aplace = (const void *)(base + h->sec[SEC_APLACE].off);
	gz->astart = (const void *)(base + h->sec[SEC_ASTART].off);
	gz->admin2 = (const void *)(base + h->sec[SEC_ADMIN2].off);
	gz->nadmin2 = h->sec[SEC_ADMIN2].count;
	gz->a2place = (const void *)(base + h->sec[SEC_A2PLACE].off);
	gz->a2start = (const void *)(base + h->sec[SEC_A2START].off);
	*out = gz;
	gz->path = sb_detach(&path, NULL);
	return NR_EX_OK;
}

static void mark_damaged(const struct gz *gz)
{
	atomic_store_explicit(gz->damaged, 1, memory_order_relaxed);
}

int gz_check(const struct gz *gz, struct strbuf *err)
{
	if (!atomic_load_explicit(gz->damaged, memory_order_relaxed))
		return NR_EX_OK;
	sb_addf(err, "'%s': damaged (a reference out of range); reinstall netreach (or rebuild it with `make data`)",
		gz->path);
	return NR_EX_SOFTWARE;
}

int gz_verify(const struct gz *gz, struct strbuf *err)
{
	const struct gz_header *h = gz->map;
	for (int i = 0; i < NSEC; i++)
		if (crc32_z(0, (const unsigned char *)gz->map + h->sec[i].off, h->sec[i].count * gz_sec_elem[i]) != h->crc[i]) {
			sb_addf(err, "'%s': damaged (the checksum of its %s does not match); reinstall netreach "
				"(or rebuild it with `make data`)", gz->path, sec_name[i]);
			return NR_EX_SOFTWARE;
		}
	return gz_check(gz, err);
}

void gz_close(struct gz *gz)
{
	if (!gz)
		return;
	munmap(gz->map, gz->size);
	free((void *)gz->damaged);
	free(gz->path);
	free(gz);
}

size_t gz_place_count(const struct gz *gz) { return gz->nplaces; }
size_t gz_country_count(const struct gz *gz) { return gz->ncountries; }
size_t gz_admin1_count(const struct gz *gz) { return gz->nadmin1; }
size_t gz_admin2_count(const struct gz *gz) { return gz->nadmin2; }

const char *gz_str(const struct gz *gz, uint32_t off)
{
	return off < gz->str_len ? gz->str + off : "";
}

const char *gz_place_key(const struct gz *gz, uint32_t idx)
{
	if (idx >= gz->nplaces || gz->pkey[idx] >= gz->str_len) {
		mark_damaged(gz);
		return "";
	}
	return gz->str + gz->pkey[idx];
}

/* Places i of a grouped list: list[start[i] .. start[i + 1]), checked against the index. */
static size_t group_slice(const struct gz *gz, const uint32_t *start, const uint32_t *list, uint32_t ngroups,
			  uint32_t i, const uint32_t **out)
{
	uint32_t a, b;
	*out = NULL;
	if (i >= ngroups)
		return 0;
	a = start[i];
	b = start[i + 1];
	if (a > b || b > gz->nplaces)
		return 0;
	*out = list + a;
	return b - a;
}

size_t gz_country_places(const struct gz *gz, uint32_t country, const uint32_t **out)
{
	return group_slice(gz, gz->cstart, gz->cplace, gz->ncountries, country, out);
}

size_t gz_admin1_places(const struct gz *gz, uint32_t admin1, const uint32_t **out)
{
	return group_slice(gz, gz->astart, gz->aplace, gz->nadmin1, admin1, out);
}

size_t gz_admin2_places(const struct gz *gz, uint32_t admin2, const uint32_t **out)
{
	return group_slice(gz, gz->a2start, gz->a2place, gz->nadmin2, admin2, out);
}

/* What a damaged reference reads instead: a nameless place of country 0 with an empty key. */
static const struct gz_place_rec no_place = { .admin1 = GZ_NONE, .admin2 = GZ_NONE, .fcode = GZ_FC_OTHER };
static const struct gz_country_rec no_country = { .rep_place = GZ_NONE, .parent = GZ_NONE };
static const struct gz_admin1_rec no_admin1 = { .rep_place = GZ_NONE };
static const struct gz_admin2_rec no_admin2 = { .admin1 = GZ_NONE, .seat = GZ_NONE, .rep_place = GZ_NONE };

const struct gz_place_rec *gz_place(const struct gz *gz, uint32_t idx)
{
	const struct gz_place_rec *p;
	uint32_t k;
	if (idx >= gz->nplaces)
		goto bad;
	p = &gz->places[idx];
	k = gz->pkey[idx];
	/*
	 * everything a caller follows: indexes, the name, and the key's klen
	 * bytes (letter_mask reads them), all inside the string section, which
	 * gz_open checked ends in a NUL (so every string read from it ends)
	 */
	if (p->country >= gz->ncountries || (p->admin1 != GZ_NONE && p->admin1 >= gz->nadmin1) ||
	    (p->admin2 != GZ_NONE && p->admin2 >= gz->nadmin2) ||
	    p->name >= gz->str_len || p->fcode > GZ_FC_OTHER || (size_t)k + p->klen >= gz->str_len)
		goto bad;
	return p;
bad:
	mark_damaged(gz);
	return &no_place;
}

const struct gz_country_rec *gz_country(const struct gz *gz, uint32_t idx)
{
	if (idx < gz->ncountries)
		return &gz->countries[idx];
	mark_damaged(gz);
	return &no_country;
}

const struct gz_admin1_rec *gz_admin1(const struct gz *gz, uint32_t idx)
{
	if (idx < gz->nadmin1)
		return &gz->admin1[idx];
	mark_damaged(gz);
	return &no_admin1;
}

const struct gz_admin2_rec *gz_admin2(const struct gz *gz, uint32_t idx)
{
	const struct gz_admin2_rec *a;
	if (idx >= gz->nadmin2)
		goto bad;
	a = &gz->admin2[idx];
	if (a->country >= gz->ncountries || (a->admin1 != GZ_NONE && a->admin1 >= gz->nadmin1) ||
	    a->code >= gz->str_len || a->name >= gz->str_len || (a->seat != GZ_NONE && a->seat >= gz->nplaces) ||
	    (a->rep_place != GZ_NONE && a->rep_place >= gz->nplaces))
		goto bad;
	return a;
bad:
	mark_damaged(gz);
	return &no_admin2;
}

uint32_t gz_country_index(const struct gz *gz, const char *cc)
{
	int s = cc_slot(cc);
	if (s < 0 || !gz->cc_table[s] || gz->cc_table[s] > gz->ncountries)
		return GZ_NONE;
	return gz->cc_table[s] - 1;
}

const char *gz_country_name(const struct gz *gz, const char *cc)
{
	uint32_t i = gz_country_index(gz, cc);
	return i == GZ_NONE ? NULL : gz_str(gz, gz->countries[i].name);
}

const char *gz_country_continent(const struct gz *gz, const char *cc)
{
	uint32_t i = gz_country_index(gz, cc);
	return i == GZ_NONE ? NULL : gz_str(gz, gz->countries[i].continent);
}

const char *gz_continent_name(const char *code)
{
	static const char *const tab[][2] = {
		{ "AF", "Africa" }, { "AN", "Antarctica" }, { "AS", "Asia" }, { "EU", "Europe" },
		{ "NA", "North America" }, { "OC", "Oceania" }, { "SA", "South America" },
	};
	if (!code)
		return NULL;
	for (size_t i = 0; i < ARRAY_SIZE(tab); i++)
		if (!strcmp(code, tab[i][0]))
			return tab[i][1];
	return NULL;
}

const char *gz_admin1_name(const struct gz *gz, const char *cc, const char *admin1_code)
{
	uint32_t c = gz_country_index(gz, cc);
	if (c == GZ_NONE || !admin1_code)
		return NULL;
	size_t lo = 0, hi = gz->nadmin1;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct gz_admin1_rec *a = &gz->admin1[mid];
		int cmp = a->country < c ? -1 : a->country > c ? 1 : strcmp(gz_str(gz, a->code), admin1_code);
		if (!cmp)
			return gz_str(gz, a->name);
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

size_t gz_lookup(const struct gz *gz, const char *key, size_t len, const struct gz_posting **out)
{
	return gz_lookup_hash(gz, key, len, sm_hash(key, len), out);
}

void gz_prefetch(const struct gz *gz, uint64_t h)
{
	__builtin_prefetch(&gz->slots[(size_t)h & (gz->nslots - 1)]);
}

void gz_prefetch_key(const struct gz *gz, uint64_t h)
{
	uint32_t s = gz->slots[(size_t)h & (gz->nslots - 1)];
	if (s && s <= gz->nkeys)
		__builtin_prefetch(&gz->keys[s - 1]);
}

size_t gz_lookup_hash(const struct gz *gz, const char *key, size_t len, uint64_t h, const struct gz_posting **out)
{
	size_t mask = gz->nslots - 1;
	*out = NULL;
	for (size_t i = (size_t)h & mask, n = 0; n < gz->nslots; i = (i + 1) & mask, n++) {
		uint32_t s = gz->slots[i];
		if (!s)
			return 0;
		if (s > gz->nkeys)
			goto bad;
		const struct key_rec *k = &gz->keys[s - 1];
		if (k->hash == (uint32_t)h && k->len == len && k->str + (size_t)len < gz->str_len &&
		    !memcmp(gz->str + k->str, key, len)) {
			if ((size_t)k->post + k->npost > gz->nposts)
				goto bad;
			/* every posting leads somewhere: callers follow them without checks */
			for (size_t j = 0; j < k->npost; j++) {
				const struct gz_posting *q = &gz->posts[k->post + j];
				size_t lim = q->type <= GZ_T_METRO ? gz->nplaces : q->type == GZ_T_ADMIN2 ? gz->nadmin2
					   : q->type == GZ_T_ADMIN1 ? gz->nadmin1 : q->type == GZ_T_COUNTRY ? gz->ncountries : 0;
				if (q->ref >= lim)
					goto bad;
				/* the caller reads the first places' records next: fetch them while it works on */
				if (j < 8) {
					if (q->type <= GZ_T_METRO) {
						__builtin_prefetch(&gz->places[q->ref]);
						__builtin_prefetch(&gz->pkey[q->ref]);
					} else if (q->type == GZ_T_ADMIN2) {
						__builtin_prefetch(&gz->admin2[q->ref]);
					}
				}
			}
			*out = gz->posts + k->post;
			return k->npost;
		}
	}
	return 0;
bad:
	mark_damaged(gz);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Nearest place                                                       */

static double haversine_km(double lat1, double lon1, double lat2, double lon2)
{
	const double r = 6371.0088, d2r = M_PI / 180.0;
	double dlat = (lat2 - lat1) * d2r, dlon = (lon2 - lon1) * d2r;
	double a = sin(dlat / 2) * sin(dlat / 2) +
		   cos(lat1 * d2r) * cos(lat2 * d2r) * sin(dlon / 2) * sin(dlon / 2);
	if (a > 1)
		a = 1;
	return 2 * r * asin(sqrt(a));
}

uint32_t gz_nearest(const struct gz *gz, double lat, double lon, double max_km)
{
	if (!(lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180) || !(max_km >= 0))
		return GZ_NONE;
	int r0 = cell_row(lat), c0 = cell_col(lon);
	double best = INFINITY;
	uint32_t best_i = GZ_NONE;
	for (int ring = 0; ring <= GRID_W / 2; ring++) {
		/* Any place in this ring is at least (ring - 1) degrees of latitude
		 * or of longitude away; a degree of longitude is shortest at the
		 * highest latitude the ring reaches. */
		if (ring >= 2) {
			double maxlat = fabs(lat) + ring;
			double lon_km = maxlat >= 90 ? 0 : 111.19 * cos(maxlat * M_PI / 180);
			double bound = (ring - 1) * (lon_km < 111.19 ? lon_km : 111.19);
			if (bound > best || bound > max_km)
				break;
		}
		for (int dr = -ring; dr <= ring; dr++) {
			int r = r0 + dr;
			if (r < 0 || r >= GRID_H)
				continue;
			int full = dr == -ring || dr == ring;
			for (int dc = -ring; dc <= ring; dc += full ? 1 : 2 * (ring ? ring : 1)) {
				if (ring * 2 + 1 > GRID_W && dc > -ring)
					break;
				int c = ((c0 + dc) % GRID_W + GRID_W) % GRID_W;
				size_t cell = (size_t)r * GRID_W + (size_t)c;
				for (uint32_t k = gz->grid_start[cell]; k < gz->grid_start[cell + 1] && k < gz->ngrid_items; k++) {
					uint32_t pi = gz->grid_item[k];
					if (pi >= gz->nplaces) {
						mark_damaged(gz);
						continue;
					}
					const struct gz_place_rec *p = &gz->places[pi];
					double d = haversine_km(lat, lon, p->lat_e5 / 1e5, p->lon_e5 / 1e5);
					if (d < best || (d == best && pi < best_i)) {
						best = d;
						best_i = pi;
					}
				}
				if (!ring)
					break;
			}
		}
	}
	if (best_i == GZ_NONE || best > max_km)
		return GZ_NONE;
	return best_i;
}
