/*
 * gazetteer_build: compile datasets/gazetteer/ (places.tsv.gz, admin1.tsv,
 * admin2.tsv, countries.tsv, metros.tsv) into the binary index that
 * gazetteer.c maps (layout: gazetteer_int.h). Linked into the build-time
 * tool gzindex (and the gazetteer's unit test) only, never into netreach.
 */
#include "gazetteer_build.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "gazetteer.h"
#include "gazetteer_int.h"
#include "text.h"
#include "util.h"
#include "banned.h"

struct bplace {
	struct gz_place_rec rec;
	char cc[3];
	char *admin1_code;
};

struct bpost {
	uint32_t key;
	uint32_t pop;
	struct gz_posting p;
};

struct builder {
	uint32_t *pkey;              /* per place: normalised name offset */
	size_t apkey;
	struct strbuf str;           /* string pool */
	struct strmap strs;          /* dedupe pool strings -> offset */
	struct gz_place_rec *places;
	size_t nplaces, aplaces;
	struct gz_country_rec *countries;
	size_t ncountries, acountries;
	uint32_t cc_table[26 * 26];
	struct gz_admin1_rec *admin1;
	size_t nadmin1, aadmin1;
	struct strmap admin1_by_code; /* "CC.code" -> index */
	struct gz_admin2_rec *admin2;
	size_t nadmin2, aadmin2;
	struct strmap admin2_by_code; /* "CC.admin1.admin2" -> index */
	struct strmap keys;          /* normalised key -> key index */
	struct bpost *posts;
	size_t nposts, aposts;
	struct strbuf k1, k2, scratch;
	uint32_t *kstart, *kcount;  /* per key: run in the sorted posts (index_posts) */
	size_t nranged;
	uint32_t cur_keys[512];      /* keys already posted for the current entity */
	size_t ncur;
	uint8_t *stale_admin1;       /* per country: admin-1 codes of its places dropped (drop_stale_admin1) */
};

static uint32_t pool_add(struct builder *b, const char *s, size_t len)
{
	int ins;
	size_t *v = sm_put(&b->strs, s, len, b->str.len, &ins);
	if (ins) {
		sb_add(&b->str, s, len);
		sb_addch(&b->str, '\0');
	}
	return (uint32_t)*v;
}

static void post_key(struct builder *b, const char *key, size_t len, uint32_t ref, int type, int kind, uint32_t pop)
{
	if (!len || len > 0xffff)
		return;
	size_t *v = sm_put(&b->keys, key, len, sm_count(&b->keys), NULL);
	uint32_t k = (uint32_t)*v;
	for (size_t i = 0; i < b->ncur; i++)
		if (b->cur_keys[i] == k)
			return; /* this entity already has this key with a better or equal kind */
	if (b->ncur < ARRAY_SIZE(b->cur_keys))
		b->cur_keys[b->ncur++] = k;
	ALLOC_GROW(b->posts, b->nposts + 1, b->aposts);
	struct bpost *p = &b->posts[b->nposts++];
	p->key = k;
	p->pop = pop;
	p->p.ref = ref;
	p->p.type = (uint8_t)type;
	p->p.kind = (uint8_t)kind;
	p->p.pad = 0;
}

/* Post name under its plain and umlaut-expanded keys. */
static void post_name(struct builder *b, const char *name, size_t len, uint32_t ref, int type, int kind, uint32_t pop)
{
	gz_normalize(&b->k1, &b->scratch, name, len, 0);
	post_key(b, b->k1.buf, b->k1.len, ref, type, kind, pop);
	gz_normalize(&b->k2, &b->scratch, name, len, TXT_FOLD_UMLAUT);
	if (b->k2.len != b->k1.len || memcmp(b->k1.buf, b->k2.buf, b->k1.len))
		post_key(b, b->k2.buf, b->k2.len, ref, type, kind, pop);
}

/* Split line (modified in place) on tabs into at most max fields. */
static size_t split_tabs(char *line, char **f, size_t max)
{
	size_t n = 0;
	char *p = line;
	while (n < max) {
		f[n++] = p;
		char *t = strchr(p, '\t');
		if (!t)
			break;
		*t = '\0';
		p = t + 1;
	}
	return n;
}

/* Next non-empty '|'-separated item of *cur; returns 0 at the end. */
static int next_item(const char **cur, const char **item, size_t *len)
{
	while (**cur == '|')
		(*cur)++;
	if (!**cur)
		return 0;
	const char *bar = strchr(*cur, '|');
	*item = *cur;
	*len = bar ? (size_t)(bar - *cur) : strlen(*cur);
	*cur += *len;
	return 1;
}

static int read_line(gzFile f, struct strbuf *line)
{
	char buf[8192];
	sb_reset(line);
	while (gzgets(f, buf, sizeof(buf))) {
		sb_adds(line, buf);
		if (line->len && line->buf[line->len - 1] == '\n') {
			sb_setlen(line, line->len - 1);
			if (line->len && line->buf[line->len - 1] == '\r')
				sb_setlen(line, line->len - 1);
			return 1;
		}
	}
	return line->len > 0;
}

static gzFile open_data(const char *dir, const char *name, struct strbuf *err)
{
	struct strbuf path = STRBUF_INIT;
	sb_init(&path, 0);
	sb_addf(&path, "%s/gazetteer/%s", dir, name);
	gzFile f = gzopen(path.buf, "rb");
	if (!f)
		sb_addf(err, "'%s': %s", path.buf, strerror(errno ? errno : ENOENT));
	sb_release(&path);
	return f;
}

static uint8_t fcode_of(const char *s)
{
	static const struct {
		const char *code;
		uint8_t fc;
	} tab[] = {
		{ "PPL", GZ_FC_PPL }, { "PPLC", GZ_FC_PPLC }, { "PPLA", GZ_FC_PPLA }, { "PPLA2", GZ_FC_PPLA2 },
		{ "PPLA3", GZ_FC_PPLA3 }, { "PPLA4", GZ_FC_PPLA3 }, { "PPLA5", GZ_FC_PPLA3 }, { "PPLX", GZ_FC_PPLX },
		{ "PPLH", GZ_FC_HIST }, { "PPLQ", GZ_FC_HIST }, { "PPLW", GZ_FC_HIST }, { "PPLCH", GZ_FC_HIST },
	};
	for (size_t i = 0; i < ARRAY_SIZE(tab); i++)
		if (!strcmp(s, tab[i].code))
			return tab[i].fc;
	return GZ_FC_OTHER;
}

static int load_countries(struct builder *b, const char *dir, struct strbuf *err)
{
	gzFile f = open_data(dir, "countries.tsv", err);
	struct strbuf line = STRBUF_INIT;
	char *fl[7];
	size_t lineno = 0;
	char (*parents)[3] = NULL;
	size_t aparents = 0;
	if (!f)
		return NR_EX_NOINPUT;
	sb_init(&line, 256);
	while (read_line(f, &line)) {
		lineno++;
		if (!line.len || line.buf[0] == '#')
			continue;
		size_t n = split_tabs(line.buf, fl, 7);
		int slot = cc_slot(fl[0]);
		if (n < 7 || slot < 0 || strlen(fl[2]) != 2 || !*fl[1]) {
			sb_addf(err, "'%s/gazetteer/countries.tsv': line %zu: bad row", dir, lineno);
			sb_release(&line);
			free(parents);
			gzclose(f);
			return NR_EX_DATAERR;
		}
		if (b->cc_table[slot])
			continue;
		uint32_t idx = (uint32_t)b->ncountries;
		ALLOC_GROW(b->countries, b->ncountries + 1, b->acountries);
		ALLOC_GROW(parents, b->ncountries + 1, aparents);
		struct gz_country_rec *c = &b->countries[b->ncountries++];
		memset(c, 0, sizeof(*c));
		c->cc = pool_add(b, fl[0], 2);
		c->name = pool_add(b, fl[1], strlen(fl[1]));
		c->continent = pool_add(b, fl[2], 2);
		c->alpha3 = pool_add(b, fl[3], strlen(fl[3]));
		c->rep_place = GZ_NONE;
		c->parent = GZ_NONE;
		memset(parents[idx], 0, 3);
		if (strlen(fl[4]) == 2)
			memcpy(parents[idx], fl[4], 2);
		b->cc_table[slot] = idx + 1;
		b->ncur = 0;
		const char *cur, *it;
		size_t itlen;
		post_name(b, fl[1], strlen(fl[1]), idx, GZ_T_COUNTRY, GZ_K_NAME, 0);
		for (cur = fl[5]; next_item(&cur, &it, &itlen);)
			post_name(b, it, itlen, idx, GZ_T_COUNTRY, GZ_K_ALIAS, 0);
		post_name(b, fl[0], 2, idx, GZ_T_COUNTRY, GZ_K_CODE, 0);
		if (*fl[3])
			post_name(b, fl[3], strlen(fl[3]), idx, GZ_T_COUNTRY, GZ_K_CODE, 0);
		for (cur = fl[6]; next_item(&cur, &it, &itlen);)
			post_name(b, it, itlen, idx, GZ_T_COUNTRY, GZ_K_FOREIGN, 0);
	}
	for (size_t i = 0; i < b->ncountries; i++) {
		int s = cc_slot(parents[i]);
		if (s >= 0 && b->cc_table[s] && b->cc_table[s] - 1 != i)
			b->countries[i].parent = b->cc_table[s] - 1;
	}
	free(parents);
	sb_release(&line);
	gzclose(f);
	return NR_EX_OK;
}

/*
 * admin1.tsv and admin2.tsv, each read twice: first the records (places
 * refer to them, by "CC.admin1" and "CC.admin1.admin2"), then, once places
 * are counted, the names of the regions that have places (a region without
 * places has no representative point and could only mislead; admin-1
 * regions of a country whose codes were stale are posted all the same:
 * there they name the country).
 *
 *   admin1.tsv: cc, admin-1 code, name, aliases, abbreviations, former regions it was part of
 *   admin2.tsv: cc, admin-1 code, admin-2 code, name, aliases
 */
static int load_admin(struct builder *b, const char *dir, int level, int post, struct strbuf *err)
{
	/* the codes take `ncode` columns after the country; name, aliases (and abbreviations) follow */
	const size_t ncode = level == 1 ? 1 : 2, name = ncode + 1;
	struct strmap *by_code = level == 1 ? &b->admin1_by_code : &b->admin2_by_code;
	gzFile f = open_data(dir, level == 1 ? "admin1.tsv" : "admin2.tsv", err);
	struct strbuf line = STRBUF_INIT, key = STRBUF_INIT;
	char *fl[6];
	if (!f)
		return NR_EX_NOINPUT;
	sb_init(&line, 256);
	sb_init(&key, 32);
	while (read_line(f, &line)) {
		if (!line.len || line.buf[0] == '#')
			continue;
		size_t n = split_tabs(line.buf, fl, 6), k;
		int slot = cc_slot(fl[0]);
		if (n < name + 1 || slot < 0 || !b->cc_table[slot])
			continue; /* region of a country we do not know */
		for (k = 1; k <= ncode && *fl[k]; k++)
			;
		if (k <= ncode || (level == 2 && !*fl[name]))
			continue; /* a code (or an admin-2 name) missing */
		sb_reset(&key);
		sb_adds(&key, fl[0]);
		for (k = 1; k <= ncode; k++)
			sb_addf(&key, ".%s", fl[k]);
		if (post) {
			size_t *v = sm_get(by_code, key.buf, key.len);
			if (!v)
				continue;
			uint32_t idx = (uint32_t)*v, pop = 0;
			int type;
			if (level == 1) {
				if (!b->admin1[idx].nplaces && !b->stale_admin1[b->admin1[idx].country])
					continue;
				type = GZ_T_ADMIN1;
			} else {
				if (!b->admin2[idx].nplaces)
					continue;
				type = GZ_T_ADMIN2;
				pop = b->admin2[idx].pop;
			}
			b->ncur = 0;
			const char *cur, *it;
			size_t itlen;
			post_name(b, fl[name], strlen(fl[name]), idx, type, GZ_K_NAME, pop);
			for (cur = n > name + 1 ? fl[name + 1] : ""; next_item(&cur, &it, &itlen);)
				post_name(b, it, itlen, idx, type, GZ_K_ALIAS, pop);
			for (cur = level == 1 && n > name + 2 ? fl[name + 2] : ""; next_item(&cur, &it, &itlen);)
				post_name(b, it, itlen, idx, type, GZ_K_ABBR, pop);
			for (cur = level == 1 && n > name + 3 ? fl[name + 3] : ""; next_item(&cur, &it, &itlen);)
				post_name(b, it, itlen, idx, type, GZ_K_FORMER, pop);
			continue;
		}
		int ins;
		sm_put(by_code, key.buf, key.len, level == 1 ? b->nadmin1 : b->nadmin2, &ins);
		if (!ins)
			continue;
		if (level == 1) {
			ALLOC_GROW(b->admin1, b->nadmin1 + 1, b->aadmin1);
			struct gz_admin1_rec *a = &b->admin1[b->nadmin1++];
			memset(a, 0, sizeof(*a));
			a->country = b->cc_table[slot] - 1;
			a->code = pool_add(b, fl[1], strlen(fl[1]));
			a->name = pool_add(b, fl[name], strlen(fl[name]));
			a->rep_place = GZ_NONE;
		} else {
			ALLOC_GROW(b->admin2, b->nadmin2 + 1, b->aadmin2);
			struct gz_admin2_rec *a = &b->admin2[b->nadmin2++];
			memset(a, 0, sizeof(*a));
			a->country = b->cc_table[slot] - 1;
			sb_reset(&key);
			sb_addf(&key, "%s.%s", fl[0], fl[1]);
			size_t *v1 = sm_get(&b->admin1_by_code, key.buf, key.len);
			a->admin1 = v1 ? (uint32_t)*v1 : GZ_NONE;
			a->code = pool_add(b, fl[2], strlen(fl[2]));
			a->name = pool_add(b, fl[name], strlen(fl[name]));
			a->seat = GZ_NONE;
			a->rep_place = GZ_NONE;
		}
	}
	sb_release(&line);
	sb_release(&key);
	gzclose(f);
	return NR_EX_OK;
}

static int parse_coord(const char *s, double lim, int32_t *out)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || end == s || *end || !(v >= -lim && v <= lim))
		return 0;
	*out = (int32_t)lround(v * 1e5);
	return 1;
}

/*
 * admin1.tsv and places.tsv.gz come from different GeoNames editions. When
 * a country renumbered its regions in between, its places carry codes of
 * the old table, and the few that exist in the new one name other regions
 * (Vietnam, 2025: Hanoi's old "44" is Quang Tri's new code). A country
 * with at least 20 coded places of which more than half are unknown to the
 * admin-1 table gets no admin-1 regions for its places: none beats wrong.
 * unknown[c] counts the coded places of country c whose code is unknown,
 * coded[c] all its coded places.
 */
static void drop_stale_admin1(struct builder *b, const uint32_t *coded, const uint32_t *unknown)
{
	b->stale_admin1 = xcalloc(b->ncountries + 1, 1);
	for (size_t c = 0; c < b->ncountries; c++)
		b->stale_admin1[c] = coded[c] >= 20 && unknown[c] * 2 > coded[c];
	for (size_t i = 0; i < b->nplaces; i++)
		if (b->stale_admin1[b->places[i].country]) {
			b->places[i].admin1 = GZ_NONE;
			b->places[i].admin2 = GZ_NONE;
		}
}

/* The same rule for admin-2 codes (admin2.tsv is the newer edition too), per country. */
static void drop_stale_admin2(struct builder *b, const uint32_t *coded, const uint32_t *unknown)
{
	for (size_t i = 0; i < b->nplaces; i++) {
		uint16_t c = b->places[i].country;
		if (coded[c] >= 20 && unknown[c] * 2 > coded[c])
			b->places[i].admin2 = GZ_NONE;
	}
}

static int load_places(struct builder *b, const char *dir, struct strbuf *err)
{
	gzFile f = open_data(dir, "places.tsv.gz", err);
	struct strbuf line = STRBUF_INIT, key = STRBUF_INIT;
	char *fl[11];
	size_t lineno = 0;
	uint32_t *coded, *unknown, *coded2, *unknown2;
	int st = NR_EX_DATAERR;
	if (!f)
		return NR_EX_NOINPUT;
	coded = xcalloc(b->ncountries + 1, sizeof(*coded));
	unknown = xcalloc(b->ncountries + 1, sizeof(*unknown));
	coded2 = xcalloc(b->ncountries + 1, sizeof(*coded2));
	unknown2 = xcalloc(b->ncountries + 1, sizeof(*unknown2));
	sb_init(&line, 4096);
	sb_init(&key, 32);
	while (read_line(f, &line)) {
		lineno++;
		if (!line.len || line.buf[0] == '#')
			continue;
		size_t n = split_tabs(line.buf, fl, 11);
		struct gz_place_rec r;
		int slot;
		char *end;
		memset(&r, 0, sizeof(r));
		if (n < 10 || (slot = cc_slot(fl[7])) < 0 || !parse_coord(fl[4], 90, &r.lat_e5) ||
		    !parse_coord(fl[5], 180, &r.lon_e5) || !*fl[1]) {
			sb_addf(err, "'%s/gazetteer/places.tsv.gz': line %zu: bad row", dir, lineno);
			goto fail;
		}
		if (!b->cc_table[slot])
			continue;
		r.id = (uint32_t)strtoul(fl[0], &end, 10);
		unsigned long long pop = strtoull(fl[9], NULL, 10);
		r.pop = pop > UINT32_MAX ? UINT32_MAX : (uint32_t)pop;
		r.name = pool_add(b, fl[1], strlen(fl[1]));
		r.country = (uint16_t)(b->cc_table[slot] - 1);
		r.fcode = fcode_of(fl[6]);
		r.admin1 = GZ_NONE;
		if (*fl[8]) {
			sb_reset(&key);
			sb_addf(&key, "%s.%s", fl[7], fl[8]);
			size_t *v = sm_get(&b->admin1_by_code, key.buf, key.len);
			if (v)
				r.admin1 = (uint32_t)*v;
			coded[r.country]++;
			unknown[r.country] += !v;
		}
		r.admin2 = GZ_NONE;
		if (n > 10 && *fl[8] && *fl[10]) {
			sb_reset(&key);
			sb_addf(&key, "%s.%s.%s", fl[7], fl[8], fl[10]);
			size_t *v = sm_get(&b->admin2_by_code, key.buf, key.len);
			if (v)
				r.admin2 = (uint32_t)*v;
			coded2[r.country]++;
			unknown2[r.country] += !v;
		}
		uint32_t idx = (uint32_t)b->nplaces;
		ALLOC_GROW(b->places, b->nplaces + 1, b->aplaces);
		b->places[b->nplaces++] = r;
		/* the ASCII name for fuzzy matching: "Wroclaw", not "Wrocław" (ł has no decomposition) */
		const char *fz = *fl[2] ? fl[2] : fl[1];
		gz_normalize(&b->k1, &b->scratch, fz, strlen(fz), 0);
		ALLOC_GROW(b->pkey, b->nplaces, b->apkey);
		b->pkey[idx] = pool_add(b, b->k1.buf, b->k1.len);
		b->places[idx].klen = (uint8_t)(b->k1.len > 255 ? 255 : b->k1.len);
		b->ncur = 0;
		post_name(b, fl[1], strlen(fl[1]), idx, GZ_T_PLACE, GZ_K_NAME, r.pop);
		if (*fl[2])
			post_name(b, fl[2], strlen(fl[2]), idx, GZ_T_PLACE, GZ_K_ASCII, r.pop);
		const char *cur = fl[3], *it;
		size_t itlen;
		while (next_item(&cur, &it, &itlen))
			post_name(b, it, itlen, idx, GZ_T_PLACE, GZ_K_ALT, r.pop);
	}
	drop_stale_admin1(b, coded, unknown);
	drop_stale_admin2(b, coded2, unknown2);
	st = NR_EX_OK;
fail:
	free(coded);
	free(unknown);
	free(coded2);
	free(unknown2);
	sb_release(&line);
	sb_release(&key);
	gzclose(f);
	return st;
}

/*
 * Most populous place of each country and admin-1 region (ties: lower
 * index); admin-2 regions: seat, most populous place, point (see struct
 * gz_admin2_rec).
 */
static void compute_reps(struct builder *b)
{
	double *sum = xcalloc(2 * b->nadmin2 + 1, sizeof(*sum));
	for (size_t i = 0; i < b->nplaces; i++) {
		const struct gz_place_rec *p = &b->places[i];
		if (p->admin2 == GZ_NONE)
			continue;
		struct gz_admin2_rec *a = &b->admin2[p->admin2];
		a->nplaces++;
		a->pop = a->pop + p->pop < a->pop ? UINT32_MAX : a->pop + p->pop;
		sum[2 * p->admin2] += p->lat_e5;
		sum[2 * p->admin2 + 1] += p->lon_e5;
		if (a->rep_place == GZ_NONE || p->pop > b->places[a->rep_place].pop)
			a->rep_place = (uint32_t)i;
		if (p->fcode == GZ_FC_PPLA2 && (a->seat == GZ_NONE || p->pop > b->places[a->seat].pop))
			a->seat = (uint32_t)i;
	}
	for (size_t j = 0; j < b->nadmin2; j++) {
		struct gz_admin2_rec *a = &b->admin2[j];
		if (!a->nplaces)
			continue;
		if (a->seat != GZ_NONE)
			a->rep_place = a->seat;
		if (a->seat != GZ_NONE || b->places[a->rep_place].pop > 0) {
			a->lat_e5 = b->places[a->rep_place].lat_e5;
			a->lon_e5 = b->places[a->rep_place].lon_e5;
		} else {
			a->lat_e5 = (int32_t)lround(sum[2 * j] / a->nplaces);
			a->lon_e5 = (int32_t)lround(sum[2 * j + 1] / a->nplaces);
		}
	}
	free(sum);
	for (size_t i = 0; i < b->nplaces; i++) {
		const struct gz_place_rec *p = &b->places[i];
		struct gz_country_rec *c = &b->countries[p->country];
		c->nplaces++;
		c->pop += p->pop;
		if (c->rep_place == GZ_NONE || p->pop > b->places[c->rep_place].pop)
			c->rep_place = (uint32_t)i;
		if (p->admin1 != GZ_NONE) {
			struct gz_admin1_rec *a = &b->admin1[p->admin1];
			a->nplaces++;
			if (a->rep_place == GZ_NONE || p->pop > b->places[a->rep_place].pop)
				a->rep_place = (uint32_t)i;
		}
	}
}

static int cmp_post(const void *a, const void *b)
{
	const struct bpost *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	if (x->p.type != y->p.type)
		return x->p.type < y->p.type ? -1 : 1;
	if (x->pop != y->pop)
		return x->pop > y->pop ? -1 : 1;
	if (x->p.kind != y->p.kind)
		return x->p.kind < y->p.kind ? -1 : 1;
	return x->p.ref < y->p.ref ? -1 : x->p.ref > y->p.ref;
}

/* Sort the postings and record each key's run (for find_place). */
static void index_posts(struct builder *b)
{
	qsort(b->posts, b->nposts, sizeof(*b->posts), cmp_post);
	b->nranged = sm_count(&b->keys);
	b->kstart = xcalloc(b->nranged + 1, sizeof(*b->kstart));
	b->kcount = xcalloc(b->nranged + 1, sizeof(*b->kcount));
	for (size_t i = 0; i < b->nposts; i++) {
		if (!b->kcount[b->posts[i].key])
			b->kstart[b->posts[i].key] = (uint32_t)i;
		b->kcount[b->posts[i].key]++;
	}
}

static int key_range(struct builder *b, const char *key, size_t len, uint32_t *start, uint32_t *count)
{
	size_t *v = sm_get(&b->keys, key, len);
	if (!v || *v >= b->nranged)
		return 0;
	*start = b->kstart[*v];
	*count = b->kcount[*v];
	return 1;
}

/* Most populous place named city in country, preferring those in the named admin-1 region. */
static uint32_t find_place(struct builder *b, const char *city, size_t clen, uint32_t country,
			   const char *admin1, size_t alen, int *admin1_ok)
{
	uint32_t best = GZ_NONE, best_any = GZ_NONE, cs, cn, as = 0, an = 0;
	*admin1_ok = 0;
	gz_normalize(&b->k1, &b->scratch, city, clen, 0);
	if (!key_range(b, b->k1.buf, b->k1.len, &cs, &cn))
		return GZ_NONE;
	gz_normalize(&b->k2, &b->scratch, admin1, alen, 0);
	key_range(b, b->k2.buf, b->k2.len, &as, &an);
	for (uint32_t i = cs; i < cs + cn; i++) {
		const struct bpost *p = &b->posts[i];
		if (p->p.type != GZ_T_PLACE)
			continue;
		const struct gz_place_rec *pl = &b->places[p->p.ref];
		if (pl->country != country)
			continue;
		int in_admin = 0;
		for (uint32_t j = as; j < as + an && pl->admin1 != GZ_NONE; j++)
			if (b->posts[j].p.type == GZ_T_ADMIN1 && b->posts[j].p.ref == pl->admin1)
				in_admin = 1;
		if (in_admin && (best == GZ_NONE || pl->pop > b->places[best].pop))
			best = p->p.ref;
		if (best_any == GZ_NONE || pl->pop > b->places[best_any].pop)
			best_any = p->p.ref;
	}
	*admin1_ok = best != GZ_NONE;
	return best != GZ_NONE ? best : best_any;
}

static int load_metros(struct builder *b, const char *dir, struct strbuf *err)
{
	gzFile f = open_data(dir, "metros.tsv", err);
	struct strbuf line = STRBUF_INIT;
	char *fl[3];
	size_t lineno = 0;
	if (!f)
		return NR_EX_NOINPUT;
	sb_init(&line, 256);
	index_posts(b);
	while (read_line(f, &line)) {
		lineno++;
		if (!line.len || line.buf[0] == '#')
			continue;
		size_t n = split_tabs(line.buf, fl, 3);
		uint32_t country = GZ_NONE, place = GZ_NONE;
		int slot = n == 3 ? cc_slot(fl[2]) : -1;
		if (slot >= 0 && b->cc_table[slot])
			country = b->cc_table[slot] - 1;
		const char *c1 = n == 3 ? strchr(fl[1], ',') : NULL;
		if (country != GZ_NONE && c1) {
			const char *a = c1 + 1, *c2 = strchr(a, ',');
			while (*a == ' ')
				a++;
			int admin_ok;
			place = find_place(b, fl[1], (size_t)(c1 - fl[1]), country, a,
					   c2 ? (size_t)(c2 - a) : strlen(a), &admin_ok);
			size_t alen2 = c2 ? (size_t)(c2 - a) : strlen(a);
			if (place != GZ_NONE && !admin_ok && !(alen2 == 1 && *a == '-'))
				fprintf(stderr, "gzindex: metros.tsv: line %zu: '%s' not found in its region; using the most populous match in the country\n",
					lineno, fl[1]);
		}
		if (place == GZ_NONE) {
			sb_addf(err, "'%s/gazetteer/metros.tsv': line %zu: principal place '%s' not found",
				dir, lineno, n > 1 ? fl[1] : "");
			sb_release(&line);
			gzclose(f);
			return NR_EX_DATAERR;
		}
		b->ncur = 0;
		post_name(b, fl[0], strlen(fl[0]), place, GZ_T_METRO, GZ_K_NAME, b->places[place].pop);
	}
	sb_release(&line);
	gzclose(f);
	return NR_EX_OK;
}

static int cmp_admin1(const void *a, const void *b, void *ctx)
{
	const struct gz_admin1_rec *x = a, *y = b;
	const char *str = ctx;
	if (x->country != y->country)
		return x->country < y->country ? -1 : 1;
	return strcmp(str + x->code, str + y->code);
}

/* Sort admin-1 records by (country, code) and renumber the references to them. */
static void sort_admin1(struct builder *b)
{
	size_t n = b->nadmin1;
	uint32_t *order = xmalloc((n ? n : 1) * sizeof(*order)), *newidx = xmalloc((n ? n : 1) * sizeof(*newidx));
	for (size_t i = 0; i < n; i++)
		order[i] = (uint32_t)i;
	/* insertion-free: simple shell sort on order with cmp_admin1 (n is a few thousand) */
	for (size_t gap = n / 2; gap > 0; gap /= 2)
		for (size_t i = gap; i < n; i++)
			for (size_t j = i; j >= gap && cmp_admin1(&b->admin1[order[j - gap]], &b->admin1[order[j]], b->str.buf) > 0; j -= gap) {
				uint32_t t = order[j];
				order[j] = order[j - gap];
				order[j - gap] = t;
			}
	struct gz_admin1_rec *sorted = xmalloc((n ? n : 1) * sizeof(*sorted));
	for (size_t i = 0; i < n; i++) {
		sorted[i] = b->admin1[order[i]];
		newidx[order[i]] = (uint32_t)i;
	}
	free(b->admin1);
	b->admin1 = sorted;
	b->aadmin1 = n;
	for (size_t i = 0; i < b->nplaces; i++)
		if (b->places[i].admin1 != GZ_NONE)
			b->places[i].admin1 = newidx[b->places[i].admin1];
	for (size_t i = 0; i < b->nadmin2; i++)
		if (b->admin2[i].admin1 != GZ_NONE)
			b->admin2[i].admin1 = newidx[b->admin2[i].admin1];
	for (size_t i = 0; i < b->nposts; i++)
		if (b->posts[i].p.type == GZ_T_ADMIN1)
			b->posts[i].p.ref = newidx[b->posts[i].p.ref];
	free(order);
	free(newidx);
}

static int place_before(const struct gz_place_rec *pl, const char *str, const uint32_t *pkey, uint32_t a, uint32_t b)
{
	const struct gz_place_rec *x = &pl[a], *y = &pl[b];
	unsigned char ca = (unsigned char)str[pkey[a]], cb = (unsigned char)str[pkey[b]];
	if (x->country != y->country)
		return x->country < y->country;
	if (ca != cb)
		return ca < cb;
	if (x->pop != y->pop)
		return x->pop > y->pop;
	return a < b;
}

/* Stable merge sort of place indexes by (country, first byte of the fuzzy key, population desc). */
static void qsort_places(uint32_t *v, size_t n, const struct gz_place_rec *pl, const char *str, const uint32_t *pkey)
{
	uint32_t *tmp = xmalloc((n ? n : 1) * sizeof(*tmp));
	for (size_t w = 1; w < n; w *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * w) {
			size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
			size_t i = lo, j = mid, k = lo;
			while (i < mid && j < hi)
				tmp[k++] = place_before(pl, str, pkey, v[j], v[i]) ? v[j++] : v[i++];
			while (i < mid)
				tmp[k++] = v[i++];
			while (j < hi)
				tmp[k++] = v[j++];
		}
		memcpy(v, tmp, n * sizeof(*v));
	}
	free(tmp);
}

static int write_all(int fd, const void *p, size_t n)
{
	const char *c = p;
	while (n) {
		ssize_t w = write(fd, c, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

/* The admin-1 (level 1) or admin-2 (level 2) region of place i; GZ_NONE when it has none. */
static uint32_t region_of(const struct builder *b, size_t i, int level)
{
	return level == 1 ? b->places[i].admin1 : b->places[i].admin2;
}

/*
 * Places grouped by region (a counting sort): region r's places are
 * out[start[r] .. start[r + 1]), those without a region last (r = nregions);
 * within a region in cplace's order (by population). Returns out and sets
 * *start_out (nregions + 2 entries); the caller frees both.
 */
static uint32_t *group_by_region(const struct builder *b, const uint32_t *cplace, int level, size_t nregions,
				 uint32_t **start_out)
{
	uint32_t *out = xmalloc((b->nplaces ? b->nplaces : 1) * sizeof(*out));
	uint32_t *start = xcalloc(nregions + 2, sizeof(*start));
	uint32_t *fill = xmalloc((nregions + 1) * sizeof(*fill));
	for (size_t i = 0; i < b->nplaces; i++) {
		uint32_t a = region_of(b, i, level);
		start[(a == GZ_NONE ? nregions : a) + 1]++;
	}
	for (size_t a = 0; a <= nregions; a++)
		start[a + 1] += start[a];
	memcpy(fill, start, (nregions + 1) * sizeof(*fill));
	for (size_t i = 0; i < b->nplaces; i++) {
		uint32_t a = region_of(b, cplace[i], level);
		out[fill[a == GZ_NONE ? nregions : a]++] = cplace[i];
	}
	free(fill);
	*start_out = start;
	return out;
}

static int write_index(struct builder *b, const char *out_path, struct strbuf *err)
{
	/* keys and postings */
	size_t nkeys = sm_count(&b->keys);
	struct key_rec *keys = xcalloc(nkeys ? nkeys : 1, sizeof(*keys));
	struct gz_posting *posts = xmalloc((b->nposts ? b->nposts : 1) * sizeof(*posts));
	qsort(b->posts, b->nposts, sizeof(*b->posts), cmp_post);
	for (size_t i = 0; i < b->nposts;) {
		size_t j = i;
		while (j < b->nposts && b->posts[j].key == b->posts[i].key)
			j++;
		struct key_rec *k = &keys[b->posts[i].key];
		k->post = (uint32_t)i;
		k->npost = (uint16_t)(j - i > 0xffff ? 0xffff : j - i);
		i = j;
	}
	for (size_t i = 0; i < b->nposts; i++)
		posts[i] = b->posts[i].p;
	size_t nslots = 1;
	while (nslots < nkeys * 2 + 2)
		nslots <<= 1;
	uint32_t *slots = xcalloc(nslots, sizeof(*slots));
	for (size_t i = 0; i < nkeys; i++) {
		const char *key = sm_key(&b->keys, i);
		size_t len = sm_keylen(&b->keys, i);
		uint64_t h = sm_hash(key, len);
		keys[i].hash = (uint32_t)h;
		keys[i].len = (uint16_t)len;
		keys[i].str = pool_add(b, key, len);
		size_t s = (size_t)h & (nslots - 1);
		while (slots[s])
			s = (s + 1) & (nslots - 1);
		slots[s] = (uint32_t)i + 1;
	}
	/* grid */
	uint32_t *grid_start = xcalloc(GRID_CELLS + 1, sizeof(*grid_start));
	uint32_t *grid_item = xmalloc((b->nplaces ? b->nplaces : 1) * sizeof(*grid_item));
	for (size_t i = 0; i < b->nplaces; i++) {
		size_t cell = (size_t)cell_row(b->places[i].lat_e5 / 1e5) * GRID_W + (size_t)cell_col(b->places[i].lon_e5 / 1e5);
		grid_start[cell + 1]++;
	}
	for (size_t c = 0; c < GRID_CELLS; c++)
		grid_start[c + 1] += grid_start[c];
	uint32_t *fillp = xmalloc(GRID_CELLS * sizeof(*fillp));
	memcpy(fillp, grid_start, GRID_CELLS * sizeof(*fillp));
	for (size_t i = 0; i < b->nplaces; i++) {
		size_t cell = (size_t)cell_row(b->places[i].lat_e5 / 1e5) * GRID_W + (size_t)cell_col(b->places[i].lon_e5 / 1e5);
		grid_item[fillp[cell]++] = (uint32_t)i;
	}
	free(fillp);

	/* places by country (then first letter, population) for fuzzy matching */
	uint32_t *cplace = xmalloc((b->nplaces ? b->nplaces : 1) * sizeof(*cplace));
	uint32_t *cstart = xcalloc(b->ncountries + 1, sizeof(*cstart));
	for (size_t i = 0; i < b->nplaces; i++)
		cplace[i] = (uint32_t)i;
	qsort_places(cplace, b->nplaces, b->places, b->str.buf, b->pkey);
	for (size_t i = 0; i < b->nplaces; i++)
		cstart[b->places[cplace[i]].country + 1]++;
	for (size_t c = 0; c < b->ncountries; c++)
		cstart[c + 1] += cstart[c];
	uint32_t *astart, *a2start;
	uint32_t *aplace = group_by_region(b, cplace, 1, b->nadmin1, &astart);
	uint32_t *a2place = group_by_region(b, cplace, 2, b->nadmin2, &a2start);

	struct gz_header h;
	const void *data[NSEC] = { b->str.buf, b->places, b->countries, b->admin1, keys, slots, posts,
				   grid_start, grid_item, b->cc_table, b->pkey, cplace, cstart, aplace, astart,
				   b->admin2, a2place, a2start };
	size_t counts[NSEC] = { b->str.len, b->nplaces, b->ncountries, b->nadmin1, nkeys, nslots, b->nposts,
				GRID_CELLS + 1, b->nplaces, 26 * 26, b->nplaces, b->nplaces, b->ncountries + 1,
				b->nplaces, b->nadmin1 + 1, b->nadmin2, b->nplaces, b->nadmin2 + 1 };
	memset(&h, 0, sizeof(h));
	memcpy(h.magic, GZ_MAGIC, 8);
	h.endian = 0x01020304u;
	h.nsec = NSEC;
	uint64_t off = (sizeof(h) + 7) & ~(uint64_t)7;
	for (int i = 0; i < NSEC; i++) {
		h.sec[i].off = off;
		h.sec[i].count = counts[i];
		off = (off + counts[i] * gz_sec_elem[i] + 7) & ~(uint64_t)7;
	}
	h.size = off;
	for (int i = 0; i < NSEC; i++)
		h.crc[i] = (uint32_t)crc32_z(0, data[i], counts[i] * gz_sec_elem[i]);
	h.hdr_crc = (uint32_t)crc32_z(0, (const void *)&h, sizeof(h));

	int rc = NR_EX_OK;
	int fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		sb_addf(err, "'%s': %s", out_path, strerror(errno));
		rc = NR_EX_CANTCREAT;
	} else {
		static const char zeros[8];
		uint64_t pos = 0;
		int bad = write_all(fd, &h, sizeof(h));
		pos = sizeof(h);
		for (int i = 0; i < NSEC && !bad; i++) {
			bad |= write_all(fd, zeros, (size_t)(h.sec[i].off - pos));
			bad |= write_all(fd, data[i], counts[i] * gz_sec_elem[i]);
			pos = h.sec[i].off + counts[i] * gz_sec_elem[i];
		}
		bad |= write_all(fd, zeros, (size_t)(h.size - pos));
		if (close(fd) < 0)
			bad = 1;
		if (bad) {
			sb_addf(err, "'%s': write failed: %s", out_path, strerror(errno));
			rc = NR_EX_IOERR;
		}
	}
	free(keys);
	free(posts);
	free(slots);
	free(grid_start);
	free(grid_item);
	free(cplace);
	free(cstart);
	free(aplace);
	free(astart);
	free(a2place);
	free(a2start);
	return rc;
}

int gz_build(const char *datasets_dir, const char *out_path, struct strbuf *err)
{
	struct builder b;
	int rc;
	memset(&b, 0, sizeof(b));
	sb_init(&b.str, 1 << 20);
	sb_addch(&b.str, '\0'); /* offset 0 is "" */
	sm_init(&b.strs);
	sm_init(&b.admin1_by_code);
	sm_init(&b.admin2_by_code);
	sm_init(&b.keys);
	sb_init(&b.k1, 64);
	sb_init(&b.k2, 64);
	sb_init(&b.scratch, 64);
	pool_add(&b, "", 0);

	rc = load_countries(&b, datasets_dir, err);
	if (!rc)
		rc = load_admin(&b, datasets_dir, 1, 0, err);
	if (!rc)
		rc = load_admin(&b, datasets_dir, 2, 0, err);
	if (!rc)
		rc = load_places(&b, datasets_dir, err);
	if (!rc && !b.nplaces) {
		sb_addf(err, "'%s/gazetteer/places.tsv.gz': no places", datasets_dir);
		rc = NR_EX_DATAERR;
	}
	if (!rc) {
		compute_reps(&b);
		rc = load_admin(&b, datasets_dir, 2, 1, err);
	}
	if (!rc)
		rc = load_admin(&b, datasets_dir, 1, 1, err);
	if (!rc)
		rc = load_metros(&b, datasets_dir, err);
	if (!rc) {
		sort_admin1(&b);
		rc = write_index(&b, out_path, err);
	}
	sb_release(&b.str);
	sm_release(&b.strs);
	sm_release(&b.admin1_by_code);
	sm_release(&b.admin2_by_code);
	sm_release(&b.keys);
	sb_release(&b.k1);
	sb_release(&b.k2);
	sb_release(&b.scratch);
	free(b.places);
	free(b.countries);
	free(b.admin1);
	free(b.admin2);
	free(b.posts);
	free(b.kstart);
	free(b.kcount);
	free(b.pkey);
	free(b.stale_admin1);
	return rc;
}
