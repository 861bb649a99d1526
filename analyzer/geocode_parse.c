/*
 * geocode_parse.c: a place string to parts (struct part in gc->parts):
 * split at separators, normalised, postal codes and stop words dropped,
 * region and metro words stripped, trailing regions peeled off, and junk
 * (markup, code, placeholders) recognised. Reads the gazetteer only to
 * decide how to split; scoring is geocode_score.c's.
 */
#include "geocode_int.h"
#include "text.h"

#include <string.h>

#include "banned.h"

/* Words that name no place */

static const char *const nonplaces[] = {
	"remote", "remotely", "fully remote", "remote work", "work from home", "wfh", "home", "home office",
	"worldwide", "world wide", "world", "the world", "earth", "planet earth", "global", "globe", "international",
	"anywhere", "everywhere", "nowhere", "somewhere", "here", "online", "virtual", "internet", "the internet",
	"cloud", "the cloud", "n a", "na", "none", "unknown", "not specified", "unspecified", "not available",
	"null", "nil", "undefined", "other", "others", "various", "various locations", "multiple",
	"multiple locations", "tbd", "tba", "hybrid", "on the road", "travelling", "traveling", "digital nomad",
	"nomad", "location", "city", "country", "private", "confidential", "n", "x", "xx", "xxx", "test",
	"mars", "moon", "space", "the moon", "distributed", "relocating", "open to relocation", "no",
	/* placeholders and values of empty cells in exported data */
	"state", "province", "region", "town", "village", "address", "zip", "zip code", "postal code", "postcode",
	"home city", "home state", "home country", "city state", "city state country", "your city", "my city",
	"nan", "true", "false", "object object", "lorem ipsum", "asdf", "asdfgh", "qwerty", "sample", "example",
	"placeholder", "not applicable", "dummy", "foo", "bar", "foobar", "blah", "abc", "xyz", "test test",
};

static const char *const continents[] = {
	"europe", "asia", "africa", "north america", "south america", "latin america", "central america",
	"oceania", "antarctica", "emea", "apac", "amer", "americas", "the americas", "middle east", "latam",
	"dach", "benelux", "nordics", "scandinavia", "eu", "european union", "asia pacific", "mena",
	"southeast asia", "south east asia", "east asia", "western europe", "eastern europe", "central europe",
	"northern europe", "southern europe", "sub saharan africa", "caribbean", "pacific",
};

void gc_stop_words(struct strmap *stop, uint64_t *lens)
{
	memset(lens, 0, 256 * sizeof(*lens));
	for (size_t i = 0; i < ARRAY_SIZE(nonplaces); i++)
		sm_put(stop, nonplaces[i], strlen(nonplaces[i]), STOP_NONPLACE, NULL);
	for (size_t i = 0; i < ARRAY_SIZE(continents); i++)
		sm_put(stop, continents[i], strlen(continents[i]), STOP_CONTINENT, NULL); /* keeps a nonplace as one */
	for (size_t i = 0; i < sm_count(stop); i++) {
		size_t n = sm_keylen(stop, i);
		lens[(unsigned char)sm_key(stop, i)[0]] |= n < 64 ? 1ull << n : 1ull << 63;
	}
}

/* gc->stop's value for key[0..len), NULL when none; keys whose first byte and length no stop word has are not looked up. */
static const size_t *stop_word(const struct gc *gc, const char *key, size_t len)
{
	if (!len || !(gc->stop_lens[(unsigned char)key[0]] & (len < 64 ? 1ull << len : 1ull << 63)))
		return NULL;
	return sm_get(&gc->stop, key, len);
}

static int is_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return n > 0;
}

/* Does s[0..n) hold a digit? */
static int has_digit(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] >= '0' && s[i] <= '9')
			return 1;
	return 0;
}

/* Remove tokens of three or more digits (postal codes) when letters remain. */
static void drop_numbers(struct strbuf *key, struct strbuf *tmp)
{
	int any_digit = 0, any_word = 0;
	for (size_t i = 0; i < key->len;) {
		size_t j = i;
		while (j < key->len && key->buf[j] != ' ')
			j++;
		if (j - i >= 3 && is_digits(key->buf + i, j - i))
			any_digit = 1;
		else
			any_word = 1;
		i = j + 1;
	}
	if (!any_digit || !any_word)
		return;
	sb_reset(tmp);
	for (size_t i = 0; i < key->len;) {
		size_t j = i;
		while (j < key->len && key->buf[j] != ' ')
			j++;
		if (!(j - i >= 3 && is_digits(key->buf + i, j - i))) {
			if (tmp->len)
				sb_addch(tmp, ' ');
			sb_add(tmp, key->buf + i, j - i);
		}
		i = j + 1;
	}
	sb_reset(key);
	sb_add(key, tmp->buf, tmp->len);
}

/* Sets *has_region (any admin-2, admin-1 or country posting) and *rfirst (the first such, n when none); returns n. */
static size_t region_or_place(const struct gz_posting *p, size_t n, int *has_region, size_t *rfirst)
{
	*has_region = 0;
	*rfirst = n;
	for (size_t i = n; i-- > 0;)
		if (p[i].type == GZ_T_ADMIN2 || p[i].type == GZ_T_ADMIN1 || p[i].type == GZ_T_COUNTRY) {
			*has_region = 1;
			*rfirst = i;
		}
	return n;
}

/* Append a part; returns it, or NULL when MAX_PARTS are taken (the rest of a long string is ignored). */
static struct part *add_part(struct gc *gc, const char *key, size_t len, const struct gz_posting *post, size_t npost, int metro)
{
	if (gc->nparts >= MAX_PARTS)
		return NULL;
	struct part *p = &gc->parts[gc->nparts++];
	p->off = gc->keys.len;
	p->len = len;
	sb_add(&gc->keys, key, len);
	p->post = post;
	p->npost = region_or_place(post, npost, &p->has_region, &p->rfirst);
	p->metro = metro;
	p->weak = 0;
	p->region_word = 0;
	p->nfit = 0;
	p->group = gc->group;
	return p;
}

/* A word list entry with its length (no strlen per comparison). */
struct word {
	const char *s;
	size_t n;
};

#define WORD(lit) { lit, sizeof(lit) - 1 }

/* Is key longer than w and starts with it? */
static int starts_with(const struct strbuf *key, const struct word *w)
{
	return key->len > w->n && key->buf[0] == w->s[0] && !memcmp(key->buf, w->s, w->n);
}

/* Is key longer than w and ends with it? */
static int ends_with(const struct strbuf *key, const struct word *w)
{
	return key->len > w->n && key->buf[key->len - 1] == w->s[w->n - 1] && !memcmp(key->buf + key->len - w->n, w->s, w->n);
}

/*
 * Strip generic words of region names ("Región de Murcia", "Lima Province");
 * returns 0 when nothing was stripped, 2 for the words LinkedIn also writes
 * for metro areas ("Région de Lyon", "Provincia di Milano"), else 1.
 */
static int strip_admin_words(struct strbuf *key)
{
	static const struct word pre[] = {
		WORD("region de "), WORD("provincia de "), WORD("province of "), WORD("province de "),
		WORD("departamento de "), WORD("departement de "), WORD("estado de "), WORD("state of "),
		WORD("canton of "), WORD("canton de "), WORD("kanton "), WORD("bundesland "), WORD("county of "),
		WORD("comunidad de "), WORD("comunidad autonoma de "), WORD("region of "), WORD("regione "),
		WORD("wojewodztwo "), WORD("provincia di "), WORD("landkreis "), WORD("kreis "), WORD("bezirk "),
		WORD("kabupaten "), WORD("district of "), WORD("departement du "), WORD("comte de "),
	};
	static const struct word suf[] = {
		WORD(" province"), WORD(" state"), WORD(" department"), WORD(" departement"), WORD(" region"),
		WORD(" district"), WORD(" governorate"), WORD(" prefecture"), WORD(" oblast"), WORD(" voivodeship"),
		WORD(" county"), WORD(" municipality"), WORD(" canton"), WORD(" territory"), WORD(" division"),
		WORD(" provinz"), WORD(" kraj"), WORD(" megye"), WORD(" ili"), WORD(" parish"), WORD(" borough"),
		WORD(" regency"), WORD(" district council"), WORD(" kreis"),
	};
	for (size_t i = 0; i < ARRAY_SIZE(pre); i++) {
		size_t n = pre[i].n;
		if (starts_with(key, &pre[i])) {
			memmove(key->buf, key->buf + n, key->len - n);
			sb_setlen(key, key->len - n);
			return !strcmp(pre[i].s, "region de ") || !strcmp(pre[i].s, "provincia di ") ? 2 : 1;
		}
	}
	for (size_t i = 0; i < ARRAY_SIZE(suf); i++) {
		if (ends_with(key, &suf[i])) {
			sb_setlen(key, key->len - suf[i].n);
			return 1;
		}
	}
	return 0;
}

/* Strip LinkedIn metro words from key (in place); returns 1 when changed. */
static int strip_metro(struct strbuf *key)
{
	/*
	 * English, and the phrasings of LinkedIn's localized interfaces
	 * (pt, es, de, fr, it, nl) as they fold: "São Paulo e Região",
	 * "Gran Lima", "Großraum München", "Lyon et périphérie", "Milano e
	 * dintorni", "Amsterdam en omgeving". (The order does not matter: see below.)
	 */
	static const struct word pre[] = {
		WORD("greater "), WORD("metropolregion "), WORD("grossraum "), WORD("metropolitan city of "),
		WORD("metro "), WORD("the "), WORD("city of "), WORD("area of "), WORD("agglomeration de "),
		WORD("agglomeration d "), WORD("agglomeration "), WORD("regiao metropolitana de "), WORD("regiao metropolitana do "), WORD("regiao metropolitana da "),
		WORD("area metropolitana de "), WORD("area metropolitana do "), WORD("area metropolitana di "),
		WORD("zona metropolitana de "), WORD("zona metropolitana del "), WORD("citta metropolitana di "),
		WORD("region metropolitana de "),
		WORD("regiao de "), WORD("regiao do "), WORD("regiao da "), WORD("region de "), WORD("region d "),
		WORD("area de "), WORD("area di "), WORD("zona di "), WORD("zona de "), WORD("ballungsraum "),
		WORD("raum "), WORD("region "), WORD("regio "), WORD("omgeving "), WORD("landkreis "), WORD("grande "), WORD("gran "),
		WORD("grand "), WORD("groot "),
	};
	static const struct word suf[] = {
		WORD(" metropolitan area"), WORD(" metropolitan region"), WORD(" metro area"), WORD(" metroplex"),
		WORD(" metropolitan"), WORD(" metro"), WORD(" area"), WORD(" region"), WORD(" and surrounding areas"),
		WORD(" and surrounding area"), WORD(" surrounding area"), WORD(" und umgebung"), WORD(" urban area"),
		WORD(" agglomeration"), WORD(" capital region"), WORD(" city area"), WORD(" e regiao"),
		WORD(" e regiao metropolitana"), WORD(" y alrededores"), WORD(" et peripherie"), WORD(" et environs"),
		WORD(" e dintorni"), WORD(" en omgeving"), WORD(" e arredores"), WORD(" und region"),
	};
	/*
	 * The longest word that fits is taken each round: " and surrounding
	 * area", not " area" (which would leave "Washington, D.C. and
	 * surrounding" unknown, and the state the answer).
	 */
	int changed = 0, again = 1;
	while (again) {
		size_t np = 0, ns = 0;
		again = 0;
		for (size_t i = 0; i < ARRAY_SIZE(pre); i++)
			if (pre[i].n > np && starts_with(key, &pre[i]))
				np = pre[i].n;
		if (np) {
			memmove(key->buf, key->buf + np, key->len - np);
			sb_setlen(key, key->len - np);
			again = changed = 1;
		}
		for (size_t i = 0; i < ARRAY_SIZE(suf); i++)
			if (suf[i].n > ns && ends_with(key, &suf[i]))
				ns = suf[i].n;
		if (ns) {
			sb_setlen(key, key->len - ns);
			again = changed = 1;
		}
	}
	return changed;
}

/*
 * Try key as "<place words> <region words>": the longest prefix that names
 * something followed by a suffix that names a region. Adds two parts.
 */
static int peel(struct gc *gc, const char *key, size_t len, int metro)
{
	size_t cut[32], ncut = 0;
	for (size_t i = 0; i < len && ncut < ARRAY_SIZE(cut); i++)
		if (key[i] == ' ')
			cut[ncut++] = i;
	for (size_t c = ncut; c-- > 0;) {
		const struct gz_posting *pp, *sp;
		size_t np = gc_lookup(gc, key, cut[c], &pp);
		if (!np || !gc_has_type(pp, np, 0))
			continue;
		size_t ns = gc_lookup(gc, key + cut[c] + 1, len - cut[c] - 1, &sp);
		if (!ns || !gc_has_type(sp, ns, 1))
			continue;
		add_part(gc, key, cut[c], pp, np, metro);
		gc->group++; /* "Madison WI": the region is context of the place */
		struct part *rg = add_part(gc, key + cut[c] + 1, len - cut[c] - 1, sp, ns, metro);
		if (rg)
			rg->weak = 1;
		return 1;
	}
	return 0;
}

/* Longest word prefix of key that names a place. */
static int prefix_place(struct gc *gc, const char *key, size_t len, int metro)
{
	for (size_t i = len; i-- > 1;) {
		if (key[i] != ' ')
			continue;
		const struct gz_posting *pp;
		size_t np = gc_lookup(gc, key, i, &pp);
		if (np && gc_has_type(pp, np, 0)) {
			add_part(gc, key, i, pp, np, metro);
			return 1;
		}
	}
	return 0;
}

/* The first byte of s[0..len) that is in seps or NUL (as strchr(seps, byte) finds), NULL when none. */
static const char *find_sep(const char *s, size_t len, const char *seps)
{
	for (size_t i = 0; i < len; i++) {
		for (const char *p = seps;; p++) {
			if (*p == s[i])
				return s + i;
			if (!*p)
				break;
		}
	}
	return NULL;
}

/* Does s[0..len) as a whole name anything in the gazetteer? (Uses gc->key and gc->scratch.) */
static int names_something(struct gc *gc, const char *s, size_t len)
{
	const struct gz_posting *post;
	gc_norm(gc, &gc->key, s, len);
	return gc->key.len && gc->key.len <= MAX_KEY && gc_lookup(gc, gc->key.buf, gc->key.len, &post) > 0;
}

/* The first " and " / " und " / " et " (any case) in s, its length in *wl; NULL when none. */
static const char *find_and(const char *s, size_t len, size_t *wl)
{
	static const char *const words[] = { " and ", " und ", " et " };
	for (size_t i = 0; i + 4 <= len; i++) {
		if (s[i] != ' ')
			continue;
		for (size_t w = 0; w < ARRAY_SIZE(words); w++) {
			size_t n = strlen(words[w]);
			size_t k = 1;
			while (k < n && i + k < len && (s[i + k] | 0x20) == words[w][k])
				k++;
			if (k == n && i > 0 && i + n < len) {
				*wl = n;
				return s + i;
			}
		}
	}
	return NULL;
}

void gc_whole_key(struct gc *gc, const char *s, size_t len)
{
	gc->nsegs = 0;
	sb_reset(&gc->folds);
	int ascii = 1;
	for (size_t i = 0; i <= len;) {
		const char *comma = memchr(s + i, ',', len - i);
		size_t j = comma ? (size_t)(comma - s) : len;
		txt_fold_memo(gc->fold, &gc->fold1, s + i, j - i);
		size_t off = gc->folds.len;
		if (gc->fold1.len) {
			if (gc->folds.len) {
				sb_addch(&gc->folds, ' ');
				off++;
			}
			sb_add(&gc->folds, gc->fold1.buf, gc->fold1.len);
		}
		if (txt_is_ascii(gc->fold1.buf, gc->fold1.len)) {
			if (gc->nsegs < MAX_SEGS) {
				/* process_piece looks the segment up soon: its slot is fetched meanwhile */
				uint64_t h = sm_hash(gc->fold1.buf, gc->fold1.len);
				gz_prefetch(gc->gz, h);
				gc->segs[gc->nsegs++] = (struct seg){ .s = s + i, .len = j - i, .off = off, .flen = gc->fold1.len, .hash = h };
			}
		} else {
			ascii = 0;
		}
		i = j + 1;
	}
	if (ascii) {
		/* an ASCII fold folds to itself: only the word expansions of gz_normalize remain to be done */
		sb_reset(&gc->key);
		sb_add(&gc->key, gc->folds.buf, gc->folds.len);
		gz_expand(&gc->key, &gc->scratch);
	} else {
		gc_norm(gc, &gc->key, s, len);
	}
}

void gc_normalize(struct gc *gc, const char *s, size_t len)
{
	gc->key_seg = NULL;
	for (size_t i = 0; i < gc->nsegs; i++) {
		const struct seg *g = &gc->segs[i];
		if (g->s == s && g->len == len) {
			gc->key_seg = g;
			/* as in gc_whole_key: the fold is its own */
			sb_reset(&gc->key);
			sb_add(&gc->key, gc->folds.buf + g->off, g->flen);
			gz_expand(&gc->key, &gc->scratch);
			return;
		}
	}
	gc_norm(gc, &gc->key, s, len);
}

/* Are all n postings curated metros (metros.tsv), no place or region of that name? */
static int only_curated(const struct gz_posting *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i].type != GZ_T_METRO)
			return 0;
	return 1;
}

/*
 * Is raw[0..rlen) "Nan" as a name is written? Programs write the value as
 * "NaN", "nan" or "NAN", never so; Nan is a town in Thailand ("Nan,
 * Thailand").
 */
static int is_town_nan(const char *raw, size_t rlen)
{
	while (rlen && raw[0] == ' ')
		raw++, rlen--;
	while (rlen && raw[rlen - 1] == ' ')
		rlen--;
	return rlen == 3 && !memcmp(raw, "Nan", 3);
}

static void process_piece(struct gc *gc, const char *raw, size_t rlen, int metro, int depth)
{
	const struct gz_posting *post;
	size_t n;

	gc_normalize(gc, raw, rlen);
	/* most keys hold no digit: then drop_numbers drops nothing, and only spaces could make a number of the key */
	int digits = has_digit(gc->key.buf, gc->key.len);
	if (digits)
		drop_numbers(&gc->key, &gc->tmp);
	if (!gc->key.len)
		return;
	if ((digits || gc->key.buf[0] == ' ') &&
	    (is_digits(gc->key.buf, gc->key.len) ||
	     (gc->key.len > 3 && strspn(gc->key.buf, "0123456789 ") == gc->key.len)))
		return;
	const size_t *stop = stop_word(gc, gc->key.buf, gc->key.len);
	if (stop && *stop == STOP_NONPLACE && !is_town_nan(raw, rlen)) {
		gc->saw_stop = 1;
		return;
	}
	if (stop && *stop == STOP_CONTINENT) {
		gc->saw_continent = 1;
		return;
	}
	if (gc->nparts >= MAX_PARTS)
		return;
	const struct seg *g = gc->key_seg;
	if (g && g->flen == gc->key.len && !memcmp(gc->folds.buf + g->off, gc->key.buf, g->flen))
		n = gz_lookup_hash(gc->gz, gc->key.buf, gc->key.len, g->hash, &post); /* the key is the segment's fold */
	else
		n = gc_lookup(gc, gc->key.buf, gc->key.len, &post);
	if (n && only_curated(post, n)) {
		/* "Greater Birmingham Area": when the curated metro contradicts the string, the words are a pattern */
		gc->curated_only = 1;
		if (gc->no_curated)
			n = 0;
	}
	if (n && !gc_has_type(post, n, 0) && gc->key.len > 5 && !memcmp(gc->key.buf + gc->key.len - 5, " city", 5)) {
		/* "Taipei City": GeoNames has the district of that name; the city is what is meant */
		const struct gz_posting *cp;
		size_t cn = gc_lookup(gc, gc->key.buf, gc->key.len - 5, &cp);
		if (cn && gc_has_type(cp, cn, 0)) {
			add_part(gc, gc->key.buf, gc->key.len - 5, cp, cn, metro);
			return;
		}
	}
	if (n) {
		add_part(gc, gc->key.buf, gc->key.len, post, n, metro);
		return;
	}
	if (gc->key.len > MAX_KEY && !find_sep(raw, rlen, "([/&")) {
		add_part(gc, gc->key.buf, gc->key.len, NULL, 0, metro);
		return;
	}
	if (depth < 3) {
		const char *open = find_sep(raw, rlen, "([");
		if (open && *open) {
			const char *close = memchr(open, *open == '(' ? ')' : ']', rlen - (size_t)(open - raw));
			const char *end = raw + rlen;
			/* "Frankfurt (Oder)", "Vientiane [prefecture]": what the parentheses or brackets hold is context */
			process_piece(gc, raw, (size_t)(open - raw), metro, depth + 1);
			gc->group++;
			process_piece(gc, open + 1, (size_t)((close ? close : end) - open - 1), metro, depth + 1);
			gc->group++;
			if (close && close + 1 < end)
				process_piece(gc, close + 1, (size_t)(end - close - 1), metro, depth + 1);
			return;
		}
	}
	if (gc->key.len > MAX_KEY) {
		add_part(gc, gc->key.buf, gc->key.len, NULL, 0, metro);
		return;
	}
	/* gc->key is reused by recursive calls: work on a copy in tmp */
	sb_reset(&gc->tmp);
	sb_add(&gc->tmp, gc->key.buf, gc->key.len);
	int admin_word = strip_admin_words(&gc->tmp);
	if (admin_word) {
		n = gc_lookup(gc, gc->tmp.buf, gc->tmp.len, &post);
		if (n && gc_has_type(post, n, 1)) {
			/*
			 * "Minsk Region", "Alpine County": the region, not the town. But
			 * "Région de Lyon", "Provincia di Milano" are also how LinkedIn
			 * writes metro areas: the region, or the city as a metro.
			 */
			struct part *rp = add_part(gc, gc->tmp.buf, gc->tmp.len, post, n,
						   metro || (admin_word == 2 && gc_has_type(post, n, 0)));
			if (rp)
				rp->region_word = 1;
			return;
		}
		if (n && admin_word == 2) {
			/* "Provincia di Firenze": no region of that name, the metro of the city */
			add_part(gc, gc->tmp.buf, gc->tmp.len, post, n, 1);
			return;
		}
		sb_reset(&gc->tmp);
		sb_add(&gc->tmp, gc->key.buf, gc->key.len);
	}
	if (gc->tmp.len > 5 && !memcmp(gc->tmp.buf + gc->tmp.len - 5, " city", 5)) {
		/* "Taipei City", "Kyiv City" */
		n = gc_lookup(gc, gc->tmp.buf, gc->tmp.len - 5, &post);
		if (n && gc_has_type(post, n, 0)) {
			add_part(gc, gc->tmp.buf, gc->tmp.len - 5, post, n, metro);
			return;
		}
	}
	int stripped = strip_metro(&gc->tmp);
	if (stripped) {
		n = gc_lookup(gc, gc->tmp.buf, gc->tmp.len, &post);
		if (n) {
			add_part(gc, gc->tmp.buf, gc->tmp.len, post, n, 1);
			return;
		}
	}
	if (depth < 3) {
		const char *sep = find_sep(raw, rlen, stripped ? "/-&" : "/&");
		if (sep) {
			const char *end = raw + rlen, *p = raw;
			while (p < end) {
				const char *q = find_sep(p, (size_t)(end - p), stripped ? "/-&" : "/&");
				if (!q)
					q = end;
				process_piece(gc, p, (size_t)(q - p), metro || stripped, depth + 1);
				p = q + 1;
			}
			return;
		}
		/* "Rotterdam and The Hague", "Köln und Bonn": two places, when both sides name something ("Sales and Marketing" does not) */
		size_t wl;
		sep = find_and(raw, rlen, &wl);
		if (sep && names_something(gc, raw, (size_t)(sep - raw)) &&
		    names_something(gc, sep + wl, rlen - (size_t)(sep - raw) - wl)) {
			process_piece(gc, raw, (size_t)(sep - raw), metro || stripped, depth + 1);
			process_piece(gc, sep + wl, rlen - (size_t)(sep - raw) - wl, metro || stripped, depth + 1);
			return;
		}
	}
	/* peel and prefix_place only look keys up (no recursion): gc->tmp stays put */
	if (!peel(gc, gc->tmp.buf, gc->tmp.len, metro || stripped) &&
	    !(stripped && prefix_place(gc, gc->tmp.buf, gc->tmp.len, 1)))
		add_part(gc, gc->tmp.buf, gc->tmp.len, NULL, 0, metro);
}

/* The bytes that end a comma-separated piece (gc_split_parts): , ; | newline tab NUL. */
static const unsigned char piece_end[256] = { [','] = 1, [';'] = 1, ['|'] = 1, ['\n'] = 1, ['\t'] = 1, [0] = 1 };

void gc_split_parts(struct gc *gc, const char *s, size_t len)
{
	size_t i = 0;
	gc->nparts = 0;
	gc->curated_only = 0;
	sb_reset(&gc->keys);
	for (size_t k = 0; k < gc->nsegs; k++)
		gz_prefetch_key(gc->gz, gc->segs[k].hash); /* (the slots gc_whole_key asked for have come meanwhile) */
	while (i < len) {
		size_t j = i, e = i;
		int dash = 0;
		while (e < len && !piece_end[(unsigned char)s[e]]) {
			dash |= s[e] == ' ' && e + 2 < len && (s[e + 1] == '-' || s[e + 1] == '/') && s[e + 2] == ' ';
			e++;
		}
		if (dash) {
			/* "Happy Valley - Goose Bay": a name with " - " in it is not split */
			const struct gz_posting *post;
			gc_norm(gc, &gc->key, s + i, e - i);
			if (gc->key.len <= MAX_KEY && gc_lookup(gc, gc->key.buf, gc->key.len, &post)) {
				gc->group++;
				process_piece(gc, s + i, e - i, 0, 0);
				i = e + 1;
				continue;
			}
		}
		if (!dash)
			j = e; /* no " - " before e: the piece ends there */
		while (j < len && !piece_end[(unsigned char)s[j]] &&
		       !(s[j] == ' ' && j + 2 < len && (s[j + 1] == '-' || s[j + 1] == '/') && s[j + 2] == ' '))
			j++;
		if (j > i) {
			gc->group++; /* each comma-separated piece is context of the ones before it */
			process_piece(gc, s + i, j - i, 0, 0);
		}
		i = j + 1;
		if (j < len && s[j] == ' ')
			i = j + 3; /* skip " - " */
	}
}

/*
 * Is s[0..len) markup, code, a template placeholder or a spreadsheet
 * value rather than a place? "<script>", "{{city}}", "${location}",
 * "%LOCATION%", "home_city", "[City]", "System(\"ls\")", "=HYPERLINK(..)",
 * "#REF!", "@SUM(..)", "`id`", "../etc", "NaN". Place names use none of
 * these characters; parentheses are fine ("Frankfurt (Oder)") unless a
 * quote follows one, and so is a backquote before a letter (an ayn:
 * "Sa`dah").
 */
/* The bytes gc_is_junk's switch looks at (any other byte is passed over). */
static const unsigned char junk_byte[256] = {
	['['] = 1, ['<'] = 1, ['>'] = 1, ['{'] = 1, ['}'] = 1, [']'] = 1, ['$'] = 1, ['%'] = 1, ['_'] = 1,
	['\\'] = 1, ['='] = 1, ['`'] = 1, ['('] = 1, ['.'] = 1, ['&'] = 1,
};

int gc_is_junk(const char *s, size_t len)
{
	static const char *const values[] = { "nan", "null", "none", "nil", "undefined", "true", "false" };
	if (s[0] == '=' || s[0] == '@' || s[0] == '#' || s[0] == '+')
		return 1;
	for (size_t i = 0; i < len; i++) {
		if (!junk_byte[(unsigned char)s[i]])
			continue;
		switch (s[i]) {
		case '[':
			/*
			 * "[City]", "[object Object]" are placeholders; a word in brackets
			 * after a name is a note on it, as in parentheses ("Vientiane
			 * [prefecture]"): skipped to its bracket
			 */
			if (i >= 2 && s[i - 1] == ' ' && s[i - 2] != ' ' && s[i - 2] != ',') {
				size_t j = i + 1;
				while (j < len && s[j] != ']' && s[j] != '[' && s[j] != ',' &&
				       ((unsigned char)s[j] >= 0x80 || s[j] == ' ' || s[j] == '-' || ((s[j] | 0x20) >= 'a' && (s[j] | 0x20) <= 'z')))
					j++;
				if (j > i + 1 && j < len && s[j] == ']') {
					i = j;
					break;
				}
			}
			return 1;
		case '<': case '>': case '{': case '}': case ']': case '$': case '%':
		case '_': case '\\': case '=':
			return 1;
		case '`':
			/* an ayn as transliterations write it ("Sa`dah", "`Asir") comes before a letter; a closing quote of code does not */
			if (i + 1 == len || !((unsigned char)s[i + 1] >= 0x80 || ((s[i + 1] | 0x20) >= 'a' && (s[i + 1] | 0x20) <= 'z')))
				return 1;
			break;
		case '(':
			if (i + 1 < len && (s[i + 1] == '"' || s[i + 1] == '\'' || s[i + 1] == ')'))
				return 1;
			break;
		case '.':
			if (i + 2 < len && s[i + 1] == '.' && s[i + 2] == '/')
				return 1;
			break;
		case '&':
			if (i + 1 < len && s[i + 1] != ' ')
				return 1; /* HTML entities ("&lt;b&gt;"); "Bosnia & Herzegovina" has spaces */
			break;
		default:
			break;
		}
	}
	for (size_t i = 0; i < ARRAY_SIZE(values) && len <= 9; i++) { /* (9: the longest value) */
		size_t n = strlen(values[i]), k = 0;
		while (k < n && k < len && (s[k] | 0x20) == values[i][k])
			k++;
		if (k == n && len == n)
			return 1;
	}
	return 0;
}
