/*
 * geocode: place strings to places.
 *
 * 1. The whole string is looked up as a LinkedIn metro name; "lat, lon" is
 *    answered with gz_nearest.
 * 2. Otherwise it is cut into parts at "," ";" "|" " - " (" - " only when
 *    the comma-separated piece is not itself a name, "Happy Valley - Goose
 *    Bay"; "(...)", "/", " and " when the whole piece is unknown, " and "
 *    only when both sides are names). Each part is normalised
 *    (gz_normalize; postal codes dropped; stop words such as "Remote"
 *    dropped) and looked up. A part that matches nothing gets second
 *    chances: generic region words stripped ("Región de Murcia"), " City"
 *    stripped, metro words stripped ("Greater X Area", "São Paulo e Região",
 *    "Gran Lima", "Großraum München", "Lyon et périphérie", "Milano e
 *    dintorni", "Amsterdam en omgeving"; then split at "/" or "-"),
 *    trailing words peeled off as a region ("Madison WI"). Markup, code,
 *    template placeholders and spreadsheet values ("<script>", "{{city}}",
 *    "home_city", "#REF!", "NaN") are not places at all.
 * 3. Every place named by a part is scored against the parts to its right
 *    (the context): 10 per part naming its country or admin-1 region. A
 *    stated region is a constraint: a part naming another region of the
 *    same country is a contradiction (-8; -20 for a country named in full)
 *    unless GeoNames gives the place no known region or its region's name
 *    holds the words written ("Lima" for "Lima region"), which cost 1, or
 *    the place is the only one of its name in the country, just across
 *    the region's border ("Cape Girardeau, IL"), which costs 2.
 *    Prior: log10(population; seats of unknown population count
 *    as 20,000/10,000/2,000) plus small bonuses for capitals and seats, -1
 *    for alternate names, -3 per position to the right, -3 when an unknown
 *    part precedes it, -8 when an earlier part names a city of the same
 *    country by its name that the later parts agree with ("Huacho, Lima,
 *    Peru" is Huacho, not Lima). A city read from a later part after an
 *    unknown part, or after a part naming another place of its country,
 *    needs an admin-1 region after it that explains it ("Suite 5, Dallas,
 *    TX"); otherwise the later parts are the first part's region.
 * 4. Region and country readings of the parts compete under the same
 *    scheme with fixed priors (country 7.5, admin-1 5.0, abbreviations and
 *    codes only after a city). An admin-1 reading of the first part costs 2
 *    when the part also names the city the region is named after (inside
 *    it, or a capital/seat GeoNames puts in a region of its own nearby or
 *    named after it: "Minsk, Belarus"); a region named again in the next
 *    part does not explain itself when the part also names a city of that
 *    country ("Lang Son, Lạng Sơn, Vietnam"). When a region wins because
 *    the first part was unknown, a near spelling is searched inside that
 *    region ("Wroclav, Poland"; one edit per 7 bytes in a region, 8
 *    country-wide); a bare name that matches nothing gets the nearest
 *    spelling among places of 100,000+ ("Amsterdm").
 * 5. Precision before recall: a winning city whose name another place of
 *    at least a third its size shares, more than 161 km away, that the
 *    string allows as well (the same scoring rules it: country named, no
 *    admin-1 region to tell them apart), falls back to the country
 *    ("Auburn, United States") or stays unresolved ("Springfield"); a
 *    tenth suffices when a later part states what we cannot check ("Nei
 *    Mongol"). Country codes ("LS", "GT") count only after a place of that
 *    country. Wrong is worse than unresolved.
 * Confidence comes from how much of the context agrees and, for a bare
 * name, from the margin over the runner-up.
 */
#include "geocode.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gazetteer.h"
#include "i18n.h"
#include "text.h"
#include "util.h"
#include "banned.h"

#define MAX_PARTS 12
#define MAX_KEY 200 /* no name in the index is longer; longer parts are not looked into (bounds the work on hostile input) */
#define CHUNK 1024
#define BARE_FUZZY_MIN_POP 100000 /* a bare unknown name is compared with places of at least this size */

struct big {
	uint32_t idx, pop;
	uint64_t mask;                  /* letter_mask of the key */
	uint8_t klen;
	unsigned char first;
};

/*
 * Near-spelling index for fuzzy_place (built lazily inside struct gc, freed
 * by gc_free). One entry per place of a gazetteer list (gz_country_places
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

struct part {
	size_t off, len;                /* key in gc->keys */
	const struct gz_posting *post;
	size_t npost;
	int metro;                      /* derived by stripping metro words */
	int weak;                       /* region peeled off the end of a part: ignored when it contradicts */
	int has_region;                 /* has admin-1 or country postings */
	int region_word;                /* found after stripping a region word ("Minsk Region"): means the region */
	unsigned group;                 /* parts of one piece split at "/", "&", " and " share it: siblings, not context */
	uint16_t fit_cc[4];             /* countries of its places that the later parts agree with (score_places) */
	size_t nfit;
};

struct gc {
	const struct gz *gz;
	struct strmap cache;            /* input -> result index */
	struct strmap stop;             /* nonplaces (1) and continents (2), keyed as normalised */
	struct gc_place **chunks;
	size_t nchunks, achunks, nresults;
	struct strbuf key, scratch, keys, tmp;
	struct part parts[MAX_PARTS];
	size_t nparts;
	unsigned group;                 /* the group of the next part (struct part.group) */
	int saw_stop, saw_continent;
	struct big *big;                /* places for near spellings of a bare name (built on first need) */
	size_t nbig;
	int big_ready;
	struct fz_list *fz_country;     /* near-spelling index per country, per admin-1 region (NULL until first need) */
	struct fz_list *fz_admin1;
	size_t nfz_country, nfz_admin1;
};

/* ------------------------------------------------------------------ */
/* Words that name no place                                            */

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

enum { STOP_NONPLACE = 1, STOP_CONTINENT = 2 }; /* values in gc->stop */

const char *gc_level_name(enum gc_level level)
{
	switch (level) {
	case GC_LEVEL_CITY:
		return "city";
	case GC_LEVEL_METRO:
		return "metro";
	case GC_LEVEL_ADMIN2:
		return "admin2";
	case GC_LEVEL_ADMIN1:
		return "admin1";
	case GC_LEVEL_COUNTRY:
		return "country";
	default:
		return "none";
	}
}

int gc_level_is_point(enum gc_level level)
{
	return level == GC_LEVEL_CITY || level == GC_LEVEL_METRO || level == GC_LEVEL_ADMIN2;
}

struct gc *gc_new(const struct gz *gz)
{
	struct gc *gc = xcalloc(1, sizeof(*gc));
	gc->gz = gz;
	sm_init(&gc->cache);
	sm_init(&gc->stop);
	for (size_t i = 0; i < ARRAY_SIZE(nonplaces); i++)
		sm_put(&gc->stop, nonplaces[i], strlen(nonplaces[i]), STOP_NONPLACE, NULL);
	for (size_t i = 0; i < ARRAY_SIZE(continents); i++)
		sm_put(&gc->stop, continents[i], strlen(continents[i]), STOP_CONTINENT, NULL); /* keeps a nonplace as one */
	sb_init(&gc->key, 64);
	sb_init(&gc->scratch, 64);
	sb_init(&gc->keys, 256);
	sb_init(&gc->tmp, 64);
	return gc;
}

void gc_free(struct gc *gc)
{
	if (!gc)
		return;
	for (size_t i = 0; i < gc->nchunks; i++)
		free(gc->chunks[i]);
	free(gc->chunks);
	sm_release(&gc->cache);
	sm_release(&gc->stop);
	sb_release(&gc->key);
	sb_release(&gc->scratch);
	sb_release(&gc->keys);
	sb_release(&gc->tmp);
	free(gc->big);
	for (size_t i = 0; i < gc->nfz_country; i++) {
		free(gc->fz_country[i].ent);
		free(gc->fz_country[i].has);
	}
	free(gc->fz_country);
	for (size_t i = 0; i < gc->nfz_admin1; i++) {
		free(gc->fz_admin1[i].ent);
		free(gc->fz_admin1[i].has);
	}
	free(gc->fz_admin1);
	free(gc);
}

size_t gc_cache_size(const struct gc *gc)
{
	return gc->nresults;
}

/* ------------------------------------------------------------------ */
/* Parsing                                                             */

static int is_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return n > 0;
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

static size_t region_or_place(const struct gz_posting *p, size_t n, int *has_region)
{
	*has_region = 0;
	for (size_t i = 0; i < n; i++)
		if (p[i].type == GZ_T_ADMIN2 || p[i].type == GZ_T_ADMIN1 || p[i].type == GZ_T_COUNTRY)
			*has_region = 1;
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
	p->npost = region_or_place(post, npost, &p->has_region);
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
	 * dintorni", "Amsterdam en omgeving". Longer forms first.
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
	int changed = 0, again = 1;
	while (again) {
		again = 0;
		for (size_t i = 0; i < ARRAY_SIZE(pre); i++) {
			size_t n = pre[i].n;
			if (starts_with(key, &pre[i])) {
				memmove(key->buf, key->buf + n, key->len - n);
				sb_setlen(key, key->len - n);
				again = changed = 1;
			}
		}
		for (size_t i = 0; i < ARRAY_SIZE(suf); i++) {
			if (ends_with(key, &suf[i])) {
				sb_setlen(key, key->len - suf[i].n);
				again = changed = 1;
			}
		}
	}
	return changed;
}

static size_t lookup(struct gc *gc, const char *key, size_t len, const struct gz_posting **post)
{
	return gz_lookup(gc->gz, key, len, post);
}

static int has_type(const struct gz_posting *p, size_t n, int region)
{
	for (size_t i = 0; i < n; i++)
		if ((p[i].type == GZ_T_ADMIN2 || p[i].type == GZ_T_ADMIN1 || p[i].type == GZ_T_COUNTRY) == region)
			return 1;
	return 0;
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
		size_t np = lookup(gc, key, cut[c], &pp);
		if (!np || !has_type(pp, np, 0))
			continue;
		size_t ns = lookup(gc, key + cut[c] + 1, len - cut[c] - 1, &sp);
		if (!ns || !has_type(sp, ns, 1))
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
		size_t np = lookup(gc, key, i, &pp);
		if (np && has_type(pp, np, 0)) {
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
	gz_normalize(&gc->key, &gc->scratch, s, len, 0);
	return gc->key.len && gc->key.len <= MAX_KEY && lookup(gc, gc->key.buf, gc->key.len, &post) > 0;
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

static void process_piece(struct gc *gc, const char *raw, size_t rlen, int metro, int depth)
{
	const struct gz_posting *post;
	size_t n;

	gz_normalize(&gc->key, &gc->scratch, raw, rlen, 0);
	drop_numbers(&gc->key, &gc->tmp);
	if (!gc->key.len)
		return;
	if (is_digits(gc->key.buf, gc->key.len) ||
	    (gc->key.len > 3 && strspn(gc->key.buf, "0123456789 ") == gc->key.len))
		return;
	const size_t *stop = sm_get(&gc->stop, gc->key.buf, gc->key.len);
	if (stop && *stop == STOP_NONPLACE) {
		gc->saw_stop = 1;
		return;
	}
	if (stop && *stop == STOP_CONTINENT) {
		gc->saw_continent = 1;
		return;
	}
	if (gc->nparts >= MAX_PARTS)
		return;
	n = lookup(gc, gc->key.buf, gc->key.len, &post);
	if (n && !has_type(post, n, 0) && gc->key.len > 5 && !memcmp(gc->key.buf + gc->key.len - 5, " city", 5)) {
		/* "Taipei City": GeoNames has the district of that name; the city is what is meant */
		const struct gz_posting *cp;
		size_t cn = lookup(gc, gc->key.buf, gc->key.len - 5, &cp);
		if (cn && has_type(cp, cn, 0)) {
			add_part(gc, gc->key.buf, gc->key.len - 5, cp, cn, metro);
			return;
		}
	}
	if (n) {
		add_part(gc, gc->key.buf, gc->key.len, post, n, metro);
		return;
	}
	if (gc->key.len > MAX_KEY && !memchr(raw, '(', rlen) && !find_sep(raw, rlen, "/&")) {
		add_part(gc, gc->key.buf, gc->key.len, NULL, 0, metro);
		return;
	}
	if (depth < 3) {
		const char *open = memchr(raw, '(', rlen);
		if (open) {
			const char *close = memchr(open, ')', rlen - (size_t)(open - raw));
			const char *end = raw + rlen;
			/* "Frankfurt (Oder)": what the parentheses hold is context */
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
		n = lookup(gc, gc->tmp.buf, gc->tmp.len, &post);
		if (n && has_type(post, n, 1)) {
			/*
			 * "Minsk Region", "Alpine County": the region, not the town. But
			 * "Région de Lyon", "Provincia di Milano" are also how LinkedIn
			 * writes metro areas: the region, or the city as a metro.
			 */
			struct part *rp = add_part(gc, gc->tmp.buf, gc->tmp.len, post, n,
						   metro || (admin_word == 2 && has_type(post, n, 0)));
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
		n = lookup(gc, gc->tmp.buf, gc->tmp.len - 5, &post);
		if (n && has_type(post, n, 0)) {
			add_part(gc, gc->tmp.buf, gc->tmp.len - 5, post, n, metro);
			return;
		}
	}
	int stripped = strip_metro(&gc->tmp);
	if (stripped) {
		n = lookup(gc, gc->tmp.buf, gc->tmp.len, &post);
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

static void split_parts(struct gc *gc, const char *s, size_t len)
{
	size_t i = 0;
	gc->nparts = 0;
	sb_reset(&gc->keys);
	while (i < len) {
		size_t j = i, e = i;
		int dash = 0;
		while (e < len && s[e] != ',' && s[e] != ';' && s[e] != '|' && s[e] != '\n' && s[e] != '\t' && s[e]) {
			dash |= s[e] == ' ' && e + 2 < len && (s[e + 1] == '-' || s[e + 1] == '/') && s[e + 2] == ' ';
			e++;
		}
		if (dash) {
			/* "Happy Valley - Goose Bay": a name with " - " in it is not split */
			const struct gz_posting *post;
			gz_normalize(&gc->key, &gc->scratch, s + i, e - i, 0);
			if (gc->key.len <= MAX_KEY && lookup(gc, gc->key.buf, gc->key.len, &post)) {
				gc->group++;
				process_piece(gc, s + i, e - i, 0, 0);
				i = e + 1;
				continue;
			}
		}
		while (j < len && s[j] != ',' && s[j] != ';' && s[j] != '|' && s[j] != '\n' && s[j] != '\t' && s[j] &&
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

/* ------------------------------------------------------------------ */
/* Scoring                                                             */

static double fcode_bonus(int fc)
{
	switch (fc) {
	case GZ_FC_PPLC:
		return 0.5;
	case GZ_FC_PPLA:
		return 0.1;
	case GZ_FC_PPLA2:
		return 0.05;
	case GZ_FC_PPLX:
		return -0.3;
	case GZ_FC_HIST:
		return -3;
	case GZ_FC_OTHER:
		return -0.5;
	default:
		return 0;
	}
}

/* Population 0 means unknown in GeoNames; seats of divisions are rarely hamlets. */
static double known_pop(const struct gz_place_rec *p)
{
	if (p->pop)
		return p->pop;
	switch (p->fcode) {
	case GZ_FC_PPLC:
	case GZ_FC_PPLA:
		return 20000;
	case GZ_FC_PPLA2:
		return 10000;
	case GZ_FC_PPLA3:
		return 2000;
	default:
		return 0;
	}
}

static double place_prior(const struct gz_place_rec *p, int kind)
{
	return log10(known_pop(p) + 10.0) + fcode_bonus(p->fcode) - (kind == GZ_K_ALT ? 1.0 : 0.0);
}

/* The country a posting's place, region or country lies in. */
static uint32_t posting_country(const struct gz *gz, const struct gz_posting *q)
{
	switch (q->type) {
	case GZ_T_COUNTRY:
		return q->ref;
	case GZ_T_ADMIN1:
		return gz_admin1(gz, q->ref)->country;
	case GZ_T_ADMIN2:
		return gz_admin2(gz, q->ref)->country;
	default:
		return gz_place(gz, q->ref)->country;
	}
}

/*
 * Does region posting q (of a context part) name something containing
 * place p? 2: its country, admin-1 or admin-2 region; 1: the sovereign
 * country of its dependency ("Saint-Denis, France" for Réunion); 0: no
 * (*same_country set when q is a region of p's country).
 */
static int explains_place(const struct gz *gz, const struct gz_posting *q, const struct gz_place_rec *p, int *same_country)
{
	if (q->type == GZ_T_COUNTRY) {
		return q->ref == p->country ? 2 : q->ref == gz_country(gz, p->country)->parent;
	} else if (q->type == GZ_T_ADMIN1) {
		if (q->ref == p->admin1)
			return 2;
		if (gz_admin1(gz, q->ref)->country == p->country)
			*same_country = 1;
	} else if (q->type == GZ_T_ADMIN2) {
		if (q->ref == p->admin2)
			return 2;
		if (gz_admin2(gz, q->ref)->country == p->country)
			*same_country = 1;
	}
	return 0;
}

struct best {
	double score, second;
	int type;          /* GZ_T_PLACE (city), GZ_T_ADMIN2, GZ_T_ADMIN1, GZ_T_COUNTRY; -1 none */
	uint32_t ref;
	int kind, metro, context, explained;
	int by_region;     /* a city explained by a named admin-1 region */
	int curated;       /* a city from metros.tsv (never ambiguous) */
	int unchecked;     /* struct cand.unchecked of a city */
	double penalty;
	size_t part;       /* index of the part it was read from */
};

static void consider(struct best *b, double score, int type, uint32_t ref, int kind, int metro, int context, int explained,
		     double penalty, size_t part)
{
	int same = b->type >= 0 && type == b->type && ref == b->ref;
	if (same ? score <= b->score : (b->type >= 0 && score <= b->score)) {
		/* not better: at most a new runner-up (a candidate never competes with itself) */
		if (!same && score > b->second)
			b->second = score;
		return;
	}
	if (!same && b->type >= 0 && b->score > b->second)
		b->second = b->score;
	b->score = score;
	b->type = type;
	b->ref = ref;
	b->kind = kind;
	b->metro = metro;
	b->context = context;
	b->explained = explained;
	b->penalty = penalty;
	b->part = part;
}

static double km_between(double lat1, double lon1, double lat2, double lon2)
{
	const double d2r = M_PI / 180.0;
	double dlat = (lat2 - lat1) * d2r, dlon = (lon2 - lon1) * d2r;
	double a = sin(dlat / 2) * sin(dlat / 2) + cos(lat1 * d2r) * cos(lat2 * d2r) * sin(dlon / 2) * sin(dlon / 2);
	return 2 * 6371.0088 * asin(sqrt(a < 1 ? a : 1));
}

/* Does s[0..n) contain the words w[0..m) (at word boundaries)? */
static int has_words(const char *s, size_t n, const char *w, size_t m)
{
	for (size_t i = 0; m && i + m <= n; i++)
		if ((i == 0 || s[i - 1] == ' ') && (i + m == n || s[i + m] == ' ') && !memcmp(s + i, w, m))
			return 1;
	return 0;
}

/* Is some place of admin-1 region a within km of p? */
static int region_within(const struct gz *gz, uint32_t a, const struct gz_place_rec *p, double km)
{
	const uint32_t *list;
	size_t n = gz_admin1_places(gz, a, &list);
	double lat = p->lat_e5 / 1e5, lon = p->lon_e5 / 1e5, dlat = km / 111.0;
	for (size_t i = 0; i < n; i++) {
		const struct gz_place_rec *o = gz_place(gz, list[i]);
		if (fabs(o->lat_e5 / 1e5 - lat) <= dlat && km_between(lat, lon, o->lat_e5 / 1e5, o->lon_e5 / 1e5) <= km)
			return 1;
	}
	return 0;
}

/*
 * Place p (read from part pk by posting q) is not in the admin-1 region a
 * context part pj names, but in the same country. Accept it (returning a
 * penalty) only when GeoNames gives it no known region, when its region's
 * name holds the words the part wrote (GeoNames has both "Lima Province"
 * and "Lima region": "Huacho, Lima, Peru"), or when the region was drawn
 * anew: no place of that name in the region named, the only one of its
 * name in the country, and within REGION_SPLIT_KM of the region named:
 * a town across the border ("Cape Girardeau, IL" is in Missouri,
 * "Pembroke, QC" in Ontario, "Echuca, NSW" in Victoria) or in a region
 * split off ("Khammam, Andhra Pradesh": Telangana since 2014). Otherwise
 * return -1 (a contradiction).
 */
#define REGION_SPLIT_KM 50.0
static double admin1_mismatch(struct gc *gc, const struct gz_place_rec *p, const struct part *pk,
			      const struct gz_posting *q, const struct part *pj)
{
	const struct gz *gz = gc->gz;
	/* GeoNames gives no (or a retired) admin-1 code: nothing to contradict ("Lang Son, Lạng Sơn, Vietnam") */
	if (p->admin1 == GZ_NONE)
		return 1.0;
	const char *an = gz_str(gz, gz_admin1(gz, p->admin1)->name);
	gz_normalize(&gc->key, &gc->scratch, an, strlen(an), 0);
	if (has_words(gc->key.buf, gc->key.len, gc->keys.buf + pj->off, pj->len))
		return 1.0;
	/*
	 * A stated region is a constraint: "Kent, NY" is not Kent,
	 * Connecticut, however close (other Kents exist), nor "Cochrane,
	 * Ontario" the only Cochrane GeoNames lists (in Alberta, far away);
	 * an alternate name never crosses it.
	 */
	if (q->kind == GZ_K_ALT)
		return -1;
	for (size_t i = 0; i < pk->npost; i++) {
		const struct gz_posting *o = &pk->post[i];
		if (o->type == GZ_T_PLACE && o->ref != q->ref && o->kind != GZ_K_ALT && gz_place(gz, o->ref)->country == p->country)
			return -1;
	}
	for (size_t m = 0; m < pj->npost; m++) {
		const struct gz_posting *r = &pj->post[m];
		if (r->type == GZ_T_ADMIN1 && gz_admin1(gz, r->ref)->country == p->country &&
		    region_within(gz, r->ref, p, REGION_SPLIT_KM))
			return 2.0;
	}
	return -1;
}

static int is_code_part(const struct part *pk)
{
	if (pk->len > 3)
		return 0;
	for (size_t i = 0; i < pk->npost; i++)
		if ((pk->post[i].type == GZ_T_ADMIN1 || pk->post[i].type == GZ_T_COUNTRY) && pk->post[i].kind == GZ_K_CODE)
			return 1;
	return 0;
}

/*
 * Cost of reading a part as contradicting a candidate: a country named in
 * full (or by a curated alias) is decisive; region names ("Centre",
 * "Eastern", "Ouest") exist in many countries and exports spell them
 * differently, so they only weigh against.
 */
static double contradiction(const struct part *pj)
{
	for (size_t m = 0; m < pj->npost; m++)
		if (pj->post[m].type == GZ_T_COUNTRY && (pj->post[m].kind == GZ_K_NAME || pj->post[m].kind == GZ_K_ALIAS))
			return 20.0;
	return 8.0;
}

/* Is some part before k unknown in country (no postings, or only places and regions elsewhere)? */
static int unknown_before(const struct gc *gc, size_t k, uint32_t country)
{
	for (size_t j = 0; j < k; j++) {
		const struct part *pj = &gc->parts[j];
		int here = 0;
		for (size_t i = 0; i < pj->npost && !here; i++) {
			const struct gz_posting *q = &pj->post[i];
			here = posting_country(gc->gz, q) == country;
		}
		if (!here)
			return 1;
	}
	return 0;
}

/* Does part pr name a place of country by its name or ASCII name (or, when capital is set, its capital by any name)? */
static int names_place_in(const struct gz *gz, const struct part *pr, uint32_t country, int capital)
{
	for (size_t i = 0; i < pr->npost; i++) {
		const struct gz_posting *q = &pr->post[i];
		if (q->type != GZ_T_PLACE || gz_place(gz, q->ref)->country != country)
			continue;
		if (q->kind != GZ_K_ALT || (capital && gz_place(gz, q->ref)->fcode == GZ_FC_PPLC))
			return 1;
	}
	return 0;
}

/* Does some part before r name a place of country (by any name)? */
static int places_before(const struct gz *gz, const struct part *parts, size_t r, uint32_t country)
{
	for (size_t j = 0; j < r; j++)
		for (size_t i = 0; i < parts[j].npost; i++)
			if ((parts[j].post[i].type == GZ_T_PLACE || parts[j].post[i].type == GZ_T_ADMIN2) &&
			    posting_country(gz, &parts[j].post[i]) == country)
				return 1;
	return 0;
}

/* Does some part before k name, by its name or ASCII name, a place of country that the parts after it agree with? */
static int place_before(const struct gc *gc, size_t k, uint32_t country)
{
	for (size_t j = 0; j < k; j++)
		for (size_t i = 0; i < gc->parts[j].nfit; i++)
			if (gc->parts[j].fit_cc[i] == country)
				return 1;
	return 0;
}

/* One reading of a part as a city, scored against the parts after it (score_place). */
struct cand {
	double score, penalty;
	int kind, metro, context, explained;
	int by_region;     /* explained by a named admin-1 or admin-2 region */
	int unchecked;     /* later parts that state something we cannot check: unknown, or naming only towns far from it */
};

/* Does part pt name a place in country (and in admin-1 region admin1 unless GZ_NONE)? */
static int has_place_in(const struct gz *gz, const struct part *pt, uint32_t country, uint32_t admin1)
{
	for (size_t i = 0; i < pt->npost; i++) {
		if (pt->post[i].type != GZ_T_PLACE)
			continue;
		const struct gz_place_rec *p = gz_place(gz, pt->post[i].ref);
		if (p->country == country && (admin1 == GZ_NONE || p->admin1 == admin1))
			return 1;
	}
	return 0;
}

/* Does part pj name a place within 161 km of p? */
static int names_place_near(const struct gz *gz, const struct part *pj, const struct gz_place_rec *p)
{
	for (size_t i = 0; i < pj->npost; i++) {
		if (pj->post[i].type != GZ_T_PLACE && pj->post[i].type != GZ_T_METRO)
			continue;
		const struct gz_place_rec *o = gz_place(gz, pj->post[i].ref);
		if (km_between(p->lat_e5 / 1e5, p->lon_e5 / 1e5, o->lat_e5 / 1e5, o->lon_e5 / 1e5) <= 161)
			return 1;
	}
	return 0;
}

/*
 * Score posting q of part k (a place or a curated metro) as the answer;
 * returns 0 when the string rules it out. Reads only the parts; the
 * ranking (score_places) and the ambiguity test (ambiguous_city) share it.
 */
static int score_place(struct gc *gc, size_t k, const struct gz_posting *q, int alone, struct cand *c)
{
	const struct gz *gz = gc->gz;
	const struct part *pk = &gc->parts[k];
	const struct gz_place_rec *p = gz_place(gz, q->ref);
	int kind = q->type == GZ_T_METRO ? GZ_K_NAME : q->kind;
	if (pk->region_word && !pk->metro)
		return 0; /* "Alpine County, CA" is the county, not the town of Alpine */
	if (alone && q->type == GZ_T_PLACE) {
		/* a bare word: only places of some size, never tiny namesakes */
		uint32_t min_pop = kind == GZ_K_ALT ? 10000 : 1000;
		/* (a second-order seat of unknown population counts as a town: "Saidu" = Saidu Sharif) */
		double size = p->pop || p->fcode != GZ_FC_PPLA2 ? p->pop : known_pop(p);
		if (pk->len < 3 || (size < min_pop && p->fcode != GZ_FC_PPLC && p->fcode != GZ_FC_PPLA))
			return 0;
	}
	int context = 0, explained = 0, by_region = 0, contradicted = 0, unchecked = 0;
	int metro = pk->metro || q->type == GZ_T_METRO;
	double penalty = 0;
	for (size_t j = k + 1; j < gc->nparts; j++) {
		const struct part *pj = &gc->parts[j];
		if (pj->group == pk->group)
			continue;
		if (!pj->has_region) {
			/*
			 * A part we cannot read as a region ("Jining, Nei Mongol,
			 * China"), or naming only towns far from this one (old
			 * provinces named after their capital: "Morondava, Toliary,
			 * Madagascar"), states something that cannot be checked:
			 * ambiguous_city then asks for a clearer win. Towns near it
			 * agree ("Uptown, Dallas, TX").
			 */
			if (!names_place_near(gz, pj, p))
				unchecked++;
			continue;
		}
		int match = 0, same_country = 0;
		for (size_t m = 0; m < pj->npost && match < 2; m++) {
			int e = explains_place(gz, &pj->post[m], p, &same_country);
			if (e == 2 && (pj->post[m].type == GZ_T_ADMIN1 || pj->post[m].type == GZ_T_ADMIN2))
				by_region = 1;
			match = e > match ? e : match;
		}
		if (match) {
			context++;
			explained++;
			if (match == 1)
				penalty += 1.0;
			metro |= pj->metro;
		} else if (pj->weak && kind != GZ_K_ALT) {
			/* a peeled-off region may be spelled otherwise; an alternate name ("Gran" for Esztergom) must agree */
			continue;
		} else {
			double pen = same_country ? admin1_mismatch(gc, p, pk, q, pj) : -1;
			context++;
			penalty += pen >= 0 ? pen : contradiction(pj);
			if (pen < 0)
				contradicted |= same_country || contradiction(pj) >= 20.0 ? 2 : 1;
		}
	}
	/*
	 * A stated region or country is a constraint: a city that another
	 * region of its country or a country named in full rules out is
	 * never the answer. A region name only other countries use
	 * ("Tours, Centre, France") weighs against a city its country
	 * explains, and rules out one nothing explains ("Atka, AK" is not
	 * Atka in Magadan).
	 */
	if (contradicted == 2 || (contradicted && !explained))
		return 0;
	double score = explained * 10.0 + place_prior(p, kind) - (double)k * 3.0 - penalty;
	/*
	 * "Los Blancos, Salta, Argentina", "Kenge, Bandundu, Congo": after a
	 * part we do not know, the later parts are its region. A later
	 * part is read as the city only when a region after it says so
	 * ("Suite 5, Dallas, TX"); otherwise the answer is the region or
	 * country, not a namesake city of the region ("Juliaca, Callao").
	 */
	if (k > 0 && unknown_before(gc, k, p->country)) {
		if (!by_region)
			return 0;
		score -= 3.0;
	} else if (k > 0 && !by_region && places_before(gz, gc->parts, k, p->country)) {
		/* "Dembi Dolo, Addis Ababa, Ethiopia": the city comes first; a later part is its region */
		return 0;
	}
	/*
	 * "Huacho, Lima, Peru": exports write the city first; reading a
	 * later part as the city skips a city of the same country that
	 * the context agrees with, which weighs like a contradicted
	 * region (not so when that city contradicts the context:
	 * "Uptown, Dallas, TX")
	 */
	if (k > 0 && place_before(gc, k, p->country))
		score -= 8.0;
	*c = (struct cand){ .score = score, .penalty = penalty, .kind = kind, .metro = metro, .context = context,
			    .explained = explained, .by_region = by_region, .unchecked = unchecked };
	return 1;
}

static void score_places(struct gc *gc, struct best *b, int alone)
{
	for (size_t k = 0; k < gc->nparts; k++) {
		struct part *pk = &gc->parts[k];
		/* "Leonara, WA": after the first part, "WA" is a state, not the town of Wa */
		if (k > 0 && is_code_part(pk))
			continue;
		for (size_t i = 0; i < pk->npost; i++) {
			const struct gz_posting *q = &pk->post[i];
			struct cand c;
			if ((q->type != GZ_T_PLACE && q->type != GZ_T_METRO) || !score_place(gc, k, q, alone, &c))
				continue;
			uint32_t country = gz_place(gc->gz, q->ref)->country;
			if (c.explained && c.penalty < 8.0 && c.kind != GZ_K_ALT && pk->nfit < ARRAY_SIZE(pk->fit_cc)) {
				size_t f = 0;
				while (f < pk->nfit && pk->fit_cc[f] != country)
					f++;
				if (f == pk->nfit)
					pk->fit_cc[pk->nfit++] = country;
			}
			consider(b, c.score, GZ_T_PLACE, q->ref, c.kind, c.metro, c.context, c.explained, c.penalty, k);
			if (b->type == GZ_T_PLACE && b->ref == q->ref && b->part == k) {
				b->by_region = c.by_region;
				b->unchecked = c.unchecked;
				b->curated = q->type == GZ_T_METRO;
			}
		}
	}
}


/*
 * Does part r also name the city that region a is named after? Either a
 * place of some size inside a ("St. Gallen", "Salzburg"), or a capital or
 * first-order seat of the same country that GeoNames puts in a region of
 * its own: one named after the city ("Minsk" is Minsk Oblast and the city
 * in "Minsk City"; "Sofia", "Buenos Aires"), one GeoNames does not list,
 * or one next to a (within 150 km of its main place). Not "Washington":
 * its region, the District of Columbia, is named otherwise and far away.
 */
static int names_own_seat(struct gc *gc, const struct part *pr, uint32_t a)
{
	const struct gz *gz = gc->gz;
	const struct gz_admin1_rec *ar = gz_admin1(gz, a);
	const char *key = gc->keys.buf + pr->off;
	for (size_t i = 0; i < pr->npost; i++) {
		if (pr->post[i].type != GZ_T_PLACE)
			continue;
		const struct gz_place_rec *p = gz_place(gz, pr->post[i].ref);
		if (p->admin1 == a && p->pop >= 1000)
			return 1;
		if (p->country != ar->country || (p->fcode != GZ_FC_PPLC && p->fcode != GZ_FC_PPLA) ||
		    pr->post[i].kind == GZ_K_ALT)
			continue;
		if (p->admin1 == GZ_NONE)
			return 1;
		if (ar->rep_place != GZ_NONE) {
			const struct gz_place_rec *r = gz_place(gz, ar->rep_place);
			if (km_between(p->lat_e5 / 1e5, p->lon_e5 / 1e5, r->lat_e5 / 1e5, r->lon_e5 / 1e5) <= 150)
				return 1;
		}
		const char *an = gz_str(gz, gz_admin1(gz, p->admin1)->name);
		gz_normalize(&gc->key, &gc->scratch, an, strlen(an), 0);
		if (has_words(gc->key.buf, gc->key.len, key, pr->len))
			return 1;
	}
	return 0;
}


/*
 * Does part pr also name, by its name or ASCII name, a place inside
 * admin-2 region a or in its admin-1 region (a district named after its
 * town: "Bonn", "Heihe", "Callao")?
 */
static int admin2_names_own_place(const struct gz *gz, const struct part *pr, uint32_t a)
{
	const struct gz_admin2_rec *ar = gz_admin2(gz, a);
	for (size_t i = 0; i < pr->npost; i++) {
		if (pr->post[i].type != GZ_T_PLACE || pr->post[i].kind == GZ_K_ALT)
			continue;
		const struct gz_place_rec *p = gz_place(gz, pr->post[i].ref);
		if (p->admin2 == a || (p->country == ar->country && ar->admin1 != GZ_NONE && p->admin1 == ar->admin1))
			return 1;
	}
	return 0;
}

static double region_prior(const struct gz *gz, const struct gz_posting *q, uint32_t country)
{
	/* ties ("WA": Washington or Western Australia; "SC") go to the country with more places listed */
	double size = 0.01 * log10((double)gz_country(gz, country)->nplaces + 1.0);
	if (q->type == GZ_T_COUNTRY) {
		static const double pri[] = { 7.5, 7.2, 4.5, 6.0 };
		return (q->kind < ARRAY_SIZE(pri) ? pri[q->kind] : 4.5) + size;
	}
	if (q->type == GZ_T_ADMIN2) /* more specific than its admin-1 region */
		return (q->kind == GZ_K_NAME ? 5.3 : 4.8) + size;
	return (q->kind == GZ_K_NAME ? 5.0 : 4.7) + size;
}


/* Is part pr also an admin-1 abbreviation in a country other than country? */
static int abbr_elsewhere(const struct gz *gz, const struct part *pr, uint32_t country)
{
	for (size_t i = 0; i < pr->npost; i++)
		if (pr->post[i].type == GZ_T_ADMIN1 && pr->post[i].kind == GZ_K_ABBR &&
		    gz_admin1(gz, pr->post[i].ref)->country != country)
			return 1;
	return 0;
}

/* Does a part after r name a2's admin-1 region? */
static int explained_by_admin1(const struct gc *gc, size_t r, const struct gz_admin2_rec *a2)
{
	for (size_t j = r + 1; j < gc->nparts; j++)
		for (size_t i = 0; i < gc->parts[j].npost; i++)
			if (gc->parts[j].post[i].type == GZ_T_ADMIN1 && gc->parts[j].post[i].ref == a2->admin1)
				return 1;
	return 0;
}

static void score_regions(struct gc *gc, struct best *b, int alone, int *skipped_abbr)
{
	const struct gz *gz = gc->gz;
	for (size_t r = 0; r < gc->nparts; r++) {
		const struct part *pr = &gc->parts[r];
		for (size_t i = 0; i < pr->npost; i++) {
			const struct gz_posting *q = &pr->post[i];
			if (q->type != GZ_T_ADMIN2 && q->type != GZ_T_ADMIN1 && q->type != GZ_T_COUNTRY)
				continue;
			/*
			 * A county's name without its generic word ("Sheboygan" for
			 * Sheboygan County) means the county only when the string said
			 * "County" ("Douglas County" -> "Douglas") or names no place.
			 */
			if (q->type == GZ_T_ADMIN2 && q->kind != GZ_K_NAME && !pr->region_word && has_type(pr->post, pr->npost, 0))
				continue;
			/* "Gold Coast Area", "Greater Norfolk Area": metro words make a city of it, not a country */
			if (q->type == GZ_T_COUNTRY && pr->metro && has_type(pr->post, pr->npost, 0))
				continue;
			if (q->kind == GZ_K_CODE && r == 0) {
				/* "DE", "IN", "CA" alone are too ambiguous; "NSW", "NRW" are not */
				if (!(alone && q->type == GZ_T_ADMIN1 && pr->len >= 3)) {
					*skipped_abbr = 1;
					continue;
				}
			}
			uint32_t country = posting_country(gz, q);
			const struct gz_admin2_rec *a2 = q->type == GZ_T_ADMIN2 ? gz_admin2(gz, q->ref) : NULL;
			/*
			 * A country code ("LS", "GT") is context for a city, not a place
			 * of its own: after a part that names no place of its country
			 * ("System, LS", "Foo, GT") it says nothing. (A state code after
			 * an unknown town still names the state: "Ambler, AK".)
			 */
			if (q->kind == GZ_K_CODE && q->type == GZ_T_COUNTRY && r > 0 && !places_before(gz, gc->parts, r, country)) {
				*skipped_abbr = 1;
				continue;
			}
			/* "Fort Simpson, NT": a state code of several countries, and no known place to say which */
			if (q->kind == GZ_K_ABBR && q->type == GZ_T_ADMIN1 && r > 0 && abbr_elsewhere(gz, pr, country) &&
			    !places_before(gz, gc->parts, r, country)) {
				*skipped_abbr = 1;
				continue;
			}
			uint32_t parent = gz_country(gz, country)->parent;
			uint32_t rep = q->type == GZ_T_COUNTRY ? gz_country(gz, q->ref)->rep_place
				       : a2 ? a2->rep_place : gz_admin1(gz, q->ref)->rep_place;
			/* a region without places (its places' codes were dropped as stale): it still names its country */
			int placeless = rep == GZ_NONE;
			if (placeless && (q->type != GZ_T_ADMIN1 || gz_country(gz, country)->rep_place == GZ_NONE))
				continue;
			int context = 0, explained = 0, metro = pr->metro;
			/*
			 * "Lang Son, Lạng Sơn, Vietnam", "New York, New York", "Kuwait,
			 * Kuwait": a region or country does not precede itself; named
			 * twice, the first is its city
			 */
			int city_too = names_place_in(gz, pr, country, q->type == GZ_T_COUNTRY);
			int contradicted = 0;
			double penalty = 0;
			for (size_t j = r + 1; j < gc->nparts; j++) {
				const struct part *pj = &gc->parts[j];
				if (!pj->has_region || pj->group == pr->group)
					continue;
				int match = 0, consistent = 0;
				for (size_t m = 0; m < pj->npost; m++) {
					const struct gz_posting *c = &pj->post[m];
					if (c->type == GZ_T_COUNTRY && q->type == GZ_T_COUNTRY && c->ref == q->ref && city_too)
						consistent = 1; /* "Kuwait, Kuwait", "Luxembourg, Luxembourg": the capital */
					else if (c->type == GZ_T_COUNTRY && (c->ref == country || c->ref == parent))
						match = 1;
					else if (c->type == GZ_T_ADMIN1 && q->type == GZ_T_ADMIN1 && c->ref == q->ref && !city_too)
						match = 1;
					else if (c->type == GZ_T_ADMIN1 && a2 && c->ref == a2->admin1)
						match = 1; /* "Sheboygan County, WI" */
					else if (c->type == GZ_T_ADMIN1 && !a2 && gz_admin1(gz, c->ref)->country == country)
						consistent = 1;
					else if (c->type == GZ_T_ADMIN2 && !a2 && gz_admin2(gz, c->ref)->country == country)
						consistent = 1;
				}
				if (match)
					explained++;
				else if (pj->weak)
					continue;
				else if (!consistent) {
					penalty += contradiction(pj);
					contradicted = 1;
				}
				context++;
			}
			/* the same constraint for regions: "Gulf County, FL" is not Gulf Province, Papua New Guinea */
			if (contradicted)
				continue;
			double score = explained * 10.0 + region_prior(gz, q, country) - (double)r * 3.0 - penalty;
			if (a2 && !pr->region_word && admin2_names_own_place(gz, pr, q->ref)) {
				/* "Bonn", "Heihe, Heilongjiang": the city, not the district named after it */
				if (r == 0)
					score -= 3.0;
				/*
				 * "Kenge, Bandundu, Congo": after another first part, a district
				 * named like its town is as unsure as the town (score_places)
				 */
				else if (unknown_before(gc, r, country) || places_before(gz, gc->parts, r, country))
					continue;
			}
			/*
			 * A county named like towns elsewhere in the country, with no
			 * region to place it ("Allende, Mexico": municipios carry their
			 * town's name), is the city reading's to answer.
			 */
			if (a2 && r == 0 && !pr->region_word && q->kind == GZ_K_NAME && !explained_by_admin1(gc, r, a2) &&
			    has_type(pr->post, pr->npost, 0))
				continue;
			if (r == 0 && q->type == GZ_T_ADMIN1) {
				/*
				 * "St. Gallen", "Salzburg": a region named like a city inside it
				 * means the city; "Washington, United States" (exports write
				 * "Region, Country" for regions) means the state, not the
				 * namesake city elsewhere.
				 */
				if (names_own_seat(gc, pr, q->ref) && (!pr->region_word || pr->metro))
					score -= 2.0; /* and "Región de Mendoza": LinkedIn's words for the metro of the city */
				else if (explained && q->kind == GZ_K_NAME && !placeless)
					score += 2.0;
			}
			/* only its country: a city of that name there is the better answer */
			if (placeless)
				consider(b, score - 2.0, GZ_T_COUNTRY, country, q->kind, metro, context, explained, penalty, r);
			else
				consider(b, score, q->type, q->ref, q->kind, metro, context, explained, penalty, r);
		}
	}
}

/*
 * Precision before recall: several places carry the winning city's name
 * and nothing in the string tells them apart ("Auburn, United States",
 * "Kochi", "Greater Newcastle Area"). Is there another reading of the
 * same part that the string allows as well as the winner (score_place:
 * not ruled out, explained by as many parts), more than 161 km away, with
 * at least 1/AMBIGUOUS_RATIO of the winner's population? An alternate
 * name counts only for a bigger place ("Heroica Matamoros"); suburbs and
 * historical places do not count. When a later part states something
 * that cannot be checked (an unknown region: "Jining, Nei Mongol,
 * China"), a rival of 1/UNCHECKED_RATIO suffices. A city that a named
 * region explains is not ambiguous. The winner's size is known_pop (the
 * proxy for seats of unknown size); a rival of unknown size counts as
 * 1,000 (cities500 lists towns of 500 and more).
 */
#define AMBIGUOUS_RATIO 3.0
#define UNCHECKED_RATIO 10.0
static int ambiguous_city(struct gc *gc, const struct best *b, int alone)
{
	const struct gz *gz = gc->gz;
	if (b->type != GZ_T_PLACE || b->by_region)
		return 0;
	const struct part *pk = &gc->parts[b->part];
	const struct gz_place_rec *w = gz_place(gz, b->ref);
	double wp = known_pop(w), ratio = b->unchecked ? UNCHECKED_RATIO : AMBIGUOUS_RATIO;
	for (size_t i = 0; i < pk->npost; i++) {
		const struct gz_posting *q = &pk->post[i];
		if (q->type != GZ_T_PLACE || q->ref == b->ref)
			continue;
		const struct gz_place_rec *p = gz_place(gz, q->ref);
		if (p->fcode == GZ_FC_HIST || p->fcode == GZ_FC_PPLX || (q->kind == GZ_K_ALT && p->pop <= wp))
			continue;
		double size = p->pop ? p->pop : 1000.0;
		struct cand c;
		if (size * ratio < wp || !score_place(gc, b->part, q, alone, &c) || c.explained < b->explained)
			continue;
		if (km_between(w->lat_e5 / 1e5, w->lon_e5 / 1e5, p->lat_e5 / 1e5, p->lon_e5 / 1e5) > 161)
			return 1;
	}
	return 0;
}

static double confidence(const struct best *b)
{
	double margin = b->second == -INFINITY ? 3.0 : b->score - b->second;
	double c;
	if (b->context > 0)
		c = b->explained == b->context ? 0.95 : 0.8;
	else
		c = 0.5 + 0.35 * (margin >= 1.5 ? 1.0 : margin / 1.5); /* a bare name: at most 0.85 */
	if (b->context > 0 && margin < 1.0)
		c -= 0.1;
	if (b->penalty >= 8)
		c = c > 0.6 ? 0.6 : c;
	if (b->metro)
		c *= 0.95;
	return c;
}

/*
 * Damerau-Levenshtein distance (optimal string alignment) of a and b when
 * it is at most max, else a value above max (keys over 64 bytes: max + 1).
 * Only the band of cells with |i - j| <= max is computed: a cell outside
 * it is more than max, and stands in as max + 1, which can only make
 * results above max differ.
 */
static size_t edit_distance(const char *a, size_t n, const char *b, size_t m, size_t max)
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
	struct fz_list *fl;
	unsigned bit = admin1 == GZ_NONE ? first : 0;
	if (admin1 == GZ_NONE) {
		if (!gc->fz_country) {
			gc->nfz_country = gz_country_count(gz);
			gc->fz_country = xcalloc(gc->nfz_country ? gc->nfz_country : 1, sizeof(*gc->fz_country));
		}
		if (country >= gc->nfz_country)
			return NULL;
		fl = &gc->fz_country[country];
	} else {
		if (!gc->fz_admin1) {
			gc->nfz_admin1 = gz_admin1_count(gz);
			gc->fz_admin1 = xcalloc(gc->nfz_admin1 ? gc->nfz_admin1 : 1, sizeof(*gc->fz_admin1));
		}
		if (admin1 >= gc->nfz_admin1)
			return NULL;
		fl = &gc->fz_admin1[admin1];
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
static uint32_t fuzzy_place(struct gc *gc, const char *key, size_t len, uint32_t country, uint32_t admin1, size_t *dist)
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
			size_t d = edit_distance(key, len, k, kl, lim);
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
 * Is s[0..len) markup, code, a template placeholder or a spreadsheet
 * value rather than a place? "<script>", "{{city}}", "${location}",
 * "%LOCATION%", "home_city", "[City]", "System(\"ls\")", "=HYPERLINK(..)",
 * "#REF!", "@SUM(..)", "`id`", "../etc", "NaN". Place names use none of
 * these characters; parentheses are fine ("Frankfurt (Oder)") unless a
 * quote follows one, and so is a backquote before a letter (an ayn:
 * "Sa`dah").
 */
static int is_junk(const char *s, size_t len)
{
	static const char *const values[] = { "nan", "null", "none", "nil", "undefined", "true", "false" };
	if (s[0] == '=' || s[0] == '@' || s[0] == '#' || s[0] == '+')
		return 1;
	for (size_t i = 0; i < len; i++) {
		switch (s[i]) {
		case '<': case '>': case '{': case '}': case '[': case ']': case '$': case '%':
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
	for (size_t i = 0; i < ARRAY_SIZE(values); i++) {
		size_t n = strlen(values[i]), k = 0;
		while (k < n && k < len && (s[k] | 0x20) == values[i][k])
			k++;
		if (k == n && len == n)
			return 1;
	}
	return 0;
}

static void unresolved(struct gc_place *out, const char *reason)
{
	memset(out, 0, sizeof(*out));
	out->level = GC_LEVEL_NONE;
	out->admin1_code = "";
	out->admin1 = "";
	out->admin2_code = "";
	out->admin2 = "";
	out->reason = reason;
}

/* "52.52, 13.40": the nearest place within 50 km, at the given point. */
static int try_coords(struct gc *gc, const char *s, size_t len, struct gc_place *out)
{
	char buf[96];
	double lat, lon;
	char *end;
	if (len >= sizeof(buf) || !len)
		return 0;
	memcpy(buf, s, len);
	buf[len] = '\0';
	lat = strtod(buf, &end);
	if (end == buf)
		return 0;
	while (*end == ' ' || *end == ',' || *end == ';')
		end++;
	char *p = end;
	lon = strtod(p, &end);
	if (end == p)
		return 0;
	while (*end == ' ')
		end++;
	if (*end || !memchr(buf, '.', len) || !(lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180))
		return 0;
	if (!gz_nearest(gc->gz, lat, lon, 50.0, out))
		return 0;
	out->lat = lat;
	out->lon = lon;
	out->method = "coords";
	out->confidence = 0.9;
	return 1;
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
 * GZ_NONE; *dist the edits. Builds gc->big on first need.
 */
static uint32_t fuzzy_bare(struct gc *gc, const char *key, size_t len, size_t *dist)
{
	const struct gz *gz = gc->gz;
	if (len < 6 || len > 64)
		return GZ_NONE;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)key[i] >= 0x80)
			return GZ_NONE; /* other scripts: bytes are not letters */
	if (!gc->big_ready) {
		size_t n = gz_place_count(gz), a = 0;
		gc->big_ready = 1;
		for (uint32_t i = 0; i < n; i++) {
			const struct gz_place_rec *p = gz_place(gz, i);
			if (p->pop < BARE_FUZZY_MIN_POP && p->fcode != GZ_FC_PPLC)
				continue;
			ALLOC_GROW(gc->big, gc->nbig + 1, a);
			const char *k = gz_place_key(gz, i);
			gc->big[gc->nbig++] = (struct big){ .idx = i, .pop = p->pop, .mask = letter_mask(k, p->klen), .klen = p->klen, .first = (unsigned char)k[0] };
		}
		/* by length, then first byte, then index (the order they were added in) */
		if (gc->nbig) {
			struct big *tmp = xmalloc(gc->nbig * sizeof(*tmp));
			sort_big_by(gc->big, tmp, gc->nbig, 0);
			sort_big_by(gc->big, tmp, gc->nbig, 1);
			free(tmp);
		}
	}
	size_t max = len <= 8 ? 1 : 2, best_d = max + 1;
	uint32_t best = GZ_NONE, best_pop = 0;
	uint64_t mask = letter_mask(key, len);
	unsigned char first = (unsigned char)key[0];
	for (size_t kl = len - max; kl <= len + max; kl++) {
		/* first entry with this length and first letter */
		size_t lo = 0, hi = gc->nbig;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			const struct big *m = &gc->big[mid];
			if (m->klen < kl || (m->klen == kl && m->first < first))
				lo = mid + 1;
			else
				hi = mid;
		}
		for (size_t i = lo; i < gc->nbig && gc->big[i].klen == kl && gc->big[i].first == first; i++) {
			const struct big *c = &gc->big[i];
			size_t lim = best_d <= max ? best_d : max;
			if (!within_edits(c->mask, mask, lim))
				continue;
			size_t d = edit_distance(key, len, gz_place_key(gz, c->idx), kl, lim);
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

/*
 * A metro area at its principal city: level METRO, and a key of its own
 * (the city's with bit 42 set), so that "Greater Milwaukee Area" and
 * "Milwaukee, WI" are two places of a report however the export orders them.
 */
static void as_metro(struct gc_place *out)
{
	out->level = GC_LEVEL_METRO;
	out->key |= 4ULL << 40;
}

static void resolve(struct gc *gc, const char *s, size_t len, struct gc_place *out)
{
	const struct gz_posting *post;
	size_t n;
	int skipped_abbr = 0;

	while (len && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r'))
		s++, len--;
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\n' || s[len - 1] == '\r'))
		len--;
	if (!len) {
		unresolved(out, N_("empty"));
		return;
	}
	if (try_coords(gc, s, len, out))
		return;
	if (is_junk(s, len)) {
		unresolved(out, N_("not a place (markup, code or a placeholder)"));
		return;
	}
	/* the whole string as one name: LinkedIn metros ("Madison, Wisconsin Area") */
	gz_normalize(&gc->key, &gc->scratch, s, len, 0);
	if (!gc->key.len) {
		unresolved(out, N_("no letters or digits"));
		return;
	}
	n = lookup(gc, gc->key.buf, gc->key.len, &post);
	for (size_t i = 0; i < n; i++) {
		if (post[i].type == GZ_T_METRO) {
			gz_fill_place(gc->gz, post[i].ref, 0.9, "metro", out);
			as_metro(out);
			return;
		}
	}
	gc->saw_stop = gc->saw_continent = 0;
	split_parts(gc, s, len);
	int known = 0;
	for (size_t i = 0; i < gc->nparts; i++)
		known += gc->parts[i].npost > 0;
	if (!known && gc->nparts == 1 && !gc->saw_continent && !gc->saw_stop) {
		size_t d;
		uint32_t f = fuzzy_bare(gc, gc->keys.buf + gc->parts[0].off, gc->parts[0].len, &d);
		if (f != GZ_NONE) {
			gz_fill_place(gc->gz, f, d <= 1 ? 0.45 : 0.35, "fuzzy", out);
			return;
		}
	}
	if (!known) {
		if (gc->saw_continent)
			unresolved(out, N_("names a continent or world region, not a country or place"));
		else if (gc->saw_stop)
			unresolved(out, N_("not a place (remote, worldwide, n/a, ...)"));
		else
			unresolved(out, N_("names no known place"));
		return;
	}
	int alone = gc->nparts == 1;
	struct best b = { .score = -INFINITY, .second = -INFINITY, .type = -1 };
	score_places(gc, &b, alone);
	score_regions(gc, &b, alone, &skipped_abbr);
	if (b.type < 0) {
		if (skipped_abbr && alone)
			unresolved(out, N_("ambiguous abbreviation; add a city or country"));
		else if (alone)
			unresolved(out, N_("matches only small places; add a region or country"));
		else
			unresolved(out, N_("names no known place (parts contradict each other)"));
		return;
	}
	uint32_t fz_country = b.type == GZ_T_COUNTRY ? b.ref
			      : b.type == GZ_T_ADMIN1 ? gz_admin1(gc->gz, b.ref)->country
			      : b.type == GZ_T_ADMIN2 ? gz_admin2(gc->gz, b.ref)->country : GZ_NONE;
	uint32_t fz_admin1 = b.type == GZ_T_ADMIN1 ? b.ref : b.type == GZ_T_ADMIN2 ? gz_admin2(gc->gz, b.ref)->admin1 : GZ_NONE;
	if (fz_country != GZ_NONE && b.part > 0 && !has_place_in(gc->gz, &gc->parts[0], fz_country, fz_admin1)) {
		uint32_t country = fz_country, admin1 = fz_admin1;
		size_t d;
		uint32_t f = fuzzy_place(gc, gc->keys.buf + gc->parts[0].off, gc->parts[0].len, country, admin1, &d);
		if (f != GZ_NONE) {
			gz_fill_place(gc->gz, f, d <= 1 ? 0.6 : 0.45, "fuzzy", out);
			return;
		}
	}
	double conf = confidence(&b);
	if (alone && b.type != GZ_T_PLACE) {
		/* "Georgia": a name shared by regions of different countries */
		const struct part *p0 = &gc->parts[0];
		uint32_t wc = posting_country(gc->gz, &(struct gz_posting){ .ref = b.ref, .type = (uint8_t)b.type });
		for (size_t i = 0; i < p0->npost; i++) {
			const struct gz_posting *q = &p0->post[i];
			if (q->kind == GZ_K_CODE || (q->type != GZ_T_ADMIN1 && q->type != GZ_T_COUNTRY))
				continue;
			uint32_t c = posting_country(gc->gz, q);
			if (c != wc && conf > 0.6)
				conf = 0.6;
		}
	}
	if (b.type == GZ_T_PLACE && !b.curated && ambiguous_city(gc, &b, alone)) {
		/* fall back to what the string does say: the country it names, else nothing */
		if (b.context > 0 && gz_fill_country(gc->gz, gz_place(gc->gz, b.ref)->country, conf, out))
			return;
		unresolved(out, N_("several places have this name; add a region or country"));
		return;
	}
	if (b.type == GZ_T_PLACE) {
		const char *method = b.metro ? "metro" : b.kind == GZ_K_NAME ? "exact" : b.kind == GZ_K_ASCII ? "ascii" : "alternate";
		gz_fill_place(gc->gz, b.ref, conf, method, out);
		if (b.metro)
			as_metro(out);
		return;
	}
	int ok = b.type == GZ_T_ADMIN2   ? gz_fill_admin2(gc->gz, b.ref, conf, out)
		 : b.type == GZ_T_ADMIN1 ? gz_fill_admin1(gc->gz, b.ref, conf, out)
					 : gz_fill_country(gc->gz, b.ref, conf, out);
	if (!ok)
		unresolved(out, N_("names a region with no places in the gazetteer"));
}

const struct gc_place *gc_resolve(struct gc *gc, const char *s, size_t len)
{
	int inserted;
	size_t *v = sm_put(&gc->cache, s, len, gc->nresults, &inserted);
	size_t idx = *v;
	if (inserted) {
		if (gc->nresults == gc->nchunks * CHUNK) {
			ALLOC_GROW(gc->chunks, gc->nchunks + 1, gc->achunks);
			gc->chunks[gc->nchunks++] = xmalloc(CHUNK * sizeof(struct gc_place));
		}
		gc->nresults++;
		resolve(gc, s, len, &gc->chunks[idx / CHUNK][idx % CHUNK]);
	}
	return &gc->chunks[idx / CHUNK][idx % CHUNK];
}

/* ------------------------------------------------------------------ */
/* TSV output                                                          */

void gc_write_tsv_header(struct strbuf *out)
{
	sb_adds(out, "input\tstatus\tlat\tlon\tname\tadmin1\tcountry_code\tcountry\tcontinent\tlevel\tconfidence\tmethod\n");
}

static void add_field(struct strbuf *out, const char *s)
{
	sb_addch(out, '\t');
	if (s && *s)
		txt_label(out, s, strlen(s), 256);
}

void gc_write_tsv_row(struct strbuf *out, const char *input, size_t len, const struct gc_place *p)
{
	txt_label(out, input, len, 1024);
	if (!p || p->level == GC_LEVEL_NONE) {
		sb_adds(out, "\tunresolved\t\t\t\t\t\t\t\t\t\t\n");
		return;
	}
	sb_addf(out, "\tok\t%.5f\t%.5f", p->lat, p->lon);
	add_field(out, p->name);
	add_field(out, p->admin1);
	add_field(out, p->cc);
	add_field(out, p->country);
	add_field(out, p->continent);
	add_field(out, gc_level_name(p->level));
	sb_addf(out, "\t%.2f", p->confidence);
	add_field(out, p->method);
	sb_addch(out, '\n');
}
