/*
 * geocode: place strings to places (the files of the module: geocode_int.h).
 *
 * 1. The whole string is looked up as a LinkedIn metro name; "lat, lon" is
 *    answered with the reverse geocoder (gc_place_at).
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
 *    holds the words written ("Lima" for "Lima region"), or the part names
 *    a former region its region was part of ("Hyderabad, Andhra Pradesh":
 *    Telangana since 2014; never an answer itself), which cost 1, or
 *    the place is the only one of its name in the country, just across
 *    the region's border ("Cape Girardeau, IL"; also of an admin-2 region
 *    named: "Blackpool, Lancashire"), which costs 2. A part naming only
 *    districts named after a town it names, in the place's own admin-1
 *    region ("Kikwit, Bandundu, Congo"), is unchecked, not a contradiction.
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
 *    admin-1 region to tell them apart, or a region name two countries
 *    use: "Esperance, WA"), falls back to the country
 *    ("Auburn, United States") or stays unresolved ("Springfield"; also
 *    when the namesakes lie in different countries: "Trinidad, CO"); a
 *    tenth suffices when a later part states what we cannot check ("Nei
 *    Mongol"). Country codes ("LS", "GT") count only after a place of that
 *    country. Wrong is worse than unresolved.
 * Confidence comes from how much of the context agrees and, for a bare
 * name, from the margin over the runner-up.
 */
#include "geocode_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "text.h"
#include "banned.h"

#define CHUNK 1024

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
	gc->memo_ref = xcalloc(MEMO, sizeof(*gc->memo_ref));
	gc->memo_rec = xcalloc(MEMO, sizeof(*gc->memo_rec));
	gc->memo_lpop = xcalloc(MEMO, sizeof(*gc->memo_lpop));
	gc->country_size = xcalloc(gz_country_count(gz) + 1, sizeof(*gc->country_size));
	for (size_t i = 0; i <= gz_country_count(gz); i++)
		gc->country_size[i] = NAN;
	gc->fold = txt_fold_memo_new();
	sm_init(&gc->cache);
	sm_init(&gc->stop);
	gc_stop_words(&gc->stop, gc->stop_lens);
	sb_init(&gc->key, 64);
	sb_init(&gc->scratch, 64);
	sb_init(&gc->keys, 256);
	sb_init(&gc->tmp, 64);
	sb_init(&gc->folds, 64);
	sb_init(&gc->fold1, 64);
	sb_init(&gc->a1keys, 0);
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
	sb_release(&gc->folds);
	sb_release(&gc->fold1);
	gc_fuzzy_free(gc->fuzzy);
	free(gc->memo_ref);
	free(gc->memo_rec);
	free(gc->memo_lpop);
	free(gc->country_size);
	free(gc->a1off);
	free(gc->a1len);
	sb_release(&gc->a1keys);
	txt_fold_memo_free(gc->fold);
	free(gc);
}

size_t gc_cache_size(const struct gc *gc)
{
	return gc->nresults;
}

/*
 * Places from the gazetteer's records. Keys: GeoNames ids for places;
 * synthetic keys above any id for regions and countries (1<<40 | index
 * for admin-1, 2<<40 country, 3<<40 admin-2; 4<<40 marks a metro,
 * as_metro) and for points off the gazetteer (1<<62 | the point to 0.001
 * degree).
 */
#define KEY_ADMIN1 (1ULL << 40)
#define KEY_COUNTRY (2ULL << 40)
#define KEY_ADMIN2 (3ULL << 40)
#define KEY_COORDS (1ULL << 62)

/* The admin-1 region of index a (GZ_NONE or out of range: none) into *out. */
static void set_admin1(const struct gz *gz, uint32_t a, struct gc_place *out)
{
	int known = a != GZ_NONE && a < gz_admin1_count(gz);
	out->admin1_code = known ? gz_str(gz, gz_admin1(gz, a)->code) : "";
	out->admin1 = known ? gz_str(gz, gz_admin1(gz, a)->name) : "";
}

/* The admin-2 region of index a (GZ_NONE or out of range: none) into *out. */
static void set_admin2(const struct gz *gz, uint32_t a, struct gc_place *out)
{
	int known = a != GZ_NONE && a < gz_admin2_count(gz);
	out->admin2_code = known ? gz_str(gz, gz_admin2(gz, a)->code) : "";
	out->admin2 = known ? gz_str(gz, gz_admin2(gz, a)->name) : "";
}

/* The country of index country into *out. */
static void set_country(const struct gz *gz, uint32_t country, struct gc_place *out)
{
	const struct gz_country_rec *c = gz_country(gz, country);
	out->cc = gz_str(gz, c->cc);
	out->country = gz_str(gz, c->name);
	out->continent = gz_str(gz, c->continent);
}

/* Point, country, admin-1 and admin-2 of place record p. */
static void fill_common(const struct gz *gz, const struct gz_place_rec *p, struct gc_place *out)
{
	out->lat = p->lat_e5 / 1e5;
	out->lon = p->lon_e5 / 1e5;
	set_country(gz, p->country, out);
	set_admin1(gz, p->admin1, out);
	set_admin2(gz, p->admin2, out);
	out->reason = NULL;
}

void gc_fill_place(const struct gz *gz, uint32_t place, double confidence, const char *method, struct gc_place *out)
{
	const struct gz_place_rec *p = gz_place(gz, place);
	memset(out, 0, sizeof(*out));
	fill_common(gz, p, out);
	out->level = GC_LEVEL_CITY;
	out->key = p->id;
	out->name = gz_str(gz, p->name);
	out->confidence = confidence;
	out->method = method;
}

/*
 * What the region forms share: *out zeroed, then, unless the region has
 * no places (rep is GZ_NONE: 0 returned), filled from its representative
 * place rep, with the level, its key, the confidence and the level's name
 * as method ("admin2", "admin1", "country"). The caller sets the region's
 * own fields.
 */
static int fill_region(const struct gz *gz, uint32_t rep, enum gc_level level, uint64_t key, double confidence,
		       struct gc_place *out)
{
	memset(out, 0, sizeof(*out));
	if (rep == GZ_NONE)
		return 0;
	fill_common(gz, gz_place(gz, rep), out);
	out->level = level;
	out->key = key;
	out->confidence = confidence;
	out->method = gc_level_name(level);
	return 1;
}

int gc_fill_admin1(const struct gz *gz, uint32_t admin1, double confidence, struct gc_place *out)
{
	const struct gz_admin1_rec *a = gz_admin1(gz, admin1);
	if (!fill_region(gz, a->rep_place, GC_LEVEL_ADMIN1, KEY_ADMIN1 | admin1, confidence, out))
		return 0;
	set_country(gz, a->country, out);
	set_admin1(gz, admin1, out);
	set_admin2(gz, GZ_NONE, out);
	out->name = out->admin1;
	return 1;
}

int gc_fill_admin2(const struct gz *gz, uint32_t admin2, double confidence, struct gc_place *out)
{
	const struct gz_admin2_rec *a = gz_admin2(gz, admin2);
	if (!fill_region(gz, a->rep_place, GC_LEVEL_ADMIN2, KEY_ADMIN2 | admin2, confidence, out))
		return 0;
	out->lat = a->lat_e5 / 1e5;
	out->lon = a->lon_e5 / 1e5;
	set_admin1(gz, a->admin1, out);
	set_admin2(gz, admin2, out);
	out->name = out->admin2;
	return 1;
}

int gc_fill_country(const struct gz *gz, uint32_t country, double confidence, struct gc_place *out)
{
	if (!fill_region(gz, gz_country(gz, country)->rep_place, GC_LEVEL_COUNTRY, KEY_COUNTRY | country, confidence, out))
		return 0;
	set_country(gz, country, out);
	set_admin1(gz, GZ_NONE, out);
	set_admin2(gz, GZ_NONE, out);
	out->name = out->country;
	return 1;
}

int gc_place_at(const struct gz *gz, double lat, double lon, double max_km, const char *cc, struct gc_place *out,
		const char **reason)
{
	uint32_t near, country;
	if (!(lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180)) {
		*reason = N_("coordinates out of range");
		return -1;
	}
	near = gz_nearest(gz, lat, lon, max_km);
	country = cc ? gz_country_index(gz, cc) : GZ_NONE;
	if (near != GZ_NONE && (!cc || gz_place(gz, near)->country == country)) {
		gc_fill_place(gz, near, 1.0, "nearest", out);
		return 0;
	}
	if (country == GZ_NONE) {
		*reason = N_("no known place near the coordinates");
		return -1;
	}
	/* in a country the outlines know, off the gazetteer's places: the point itself */
	memset(out, 0, sizeof(*out));
	out->level = GC_LEVEL_CITY;
	out->lat = lat;
	out->lon = lon;
	out->key = KEY_COORDS | ((uint64_t)(uint32_t)lround(lat * 1000.0) << 31) |
		   (uint64_t)((uint32_t)lround(lon * 1000.0) & 0x7fffffffu);
	out->name = near != GZ_NONE ? gz_str(gz, gz_place(gz, near)->name) : NULL;
	set_country(gz, country, out);
	set_admin1(gz, GZ_NONE, out);
	set_admin2(gz, GZ_NONE, out);
	out->confidence = 1;
	out->method = "coords";
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
	/*
	 * strtod reads no number from text that starts otherwise, or only
	 * "inf" or "nan", out of range: not coordinates either way
	 */
	if (!((s[0] >= '0' && s[0] <= '9') || s[0] == '-' || s[0] == '+' || s[0] == '.' || s[0] == ' ' ||
	      (s[0] >= '\t' && s[0] <= '\r')))
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
	const char *reason;
	if (gc_place_at(gc->gz, lat, lon, 50.0, NULL, out, &reason))
		return 0;
	out->lat = lat;
	out->lon = lon;
	out->method = "coords";
	out->confidence = 0.9;
	return 1;
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

	gc->nsegs = 0; /* gc->segs point into the string of one resolve */
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
	if (gc_is_junk(s, len)) {
		unresolved(out, N_("not a place (markup, code or a placeholder)"));
		return;
	}
	/* the whole string as one name: LinkedIn metros ("Madison, Wisconsin Area") */
	gc_whole_key(gc, s, len);
	if (!gc->key.len) {
		unresolved(out, N_("no letters or digits"));
		return;
	}
	n = gc_lookup(gc, gc->key.buf, gc->key.len, &post);
	for (size_t i = 0; i < n; i++) {
		if (post[i].type == GZ_T_METRO) {
			gc_fill_place(gc->gz, post[i].ref, 0.9, "metro", out);
			as_metro(out);
			return;
		}
	}
	gc->saw_stop = gc->saw_continent = 0;
	gc_split_parts(gc, s, len);
	int known = 0;
	for (size_t i = 0; i < gc->nparts; i++)
		known += gc->parts[i].npost > 0;
	if (!known && gc->nparts == 1 && !gc->saw_continent && !gc->saw_stop) {
		size_t d;
		uint32_t f = gc_fuzzy_bare(gc, gc->keys.buf + gc->parts[0].off, gc->parts[0].len, &d);
		if (f != GZ_NONE) {
			gc_fill_place(gc->gz, f, d <= 1 ? 0.45 : 0.35, "fuzzy", out);
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
	gc_score_places(gc, &b, alone);
	gc_score_regions(gc, &b, alone, &skipped_abbr);
	if (b.type != GZ_T_PLACE && gc->curated_only) {
		/*
		 * A curated metro name lost to the rest of the string ("Greater
		 * Birmingham Area, United States": the curated one is in England).
		 * The stated country is a constraint: read the name by the metro
		 * patterns instead, as any other "Greater X Area".
		 */
		gc->no_curated = 1;
		gc->saw_stop = gc->saw_continent = 0;
		gc_split_parts(gc, s, len);
		gc->no_curated = 0;
		alone = gc->nparts == 1;
		skipped_abbr = 0;
		b = (struct best){ .score = -INFINITY, .second = -INFINITY, .type = -1 };
		gc_score_places(gc, &b, alone);
		gc_score_regions(gc, &b, alone, &skipped_abbr);
	}
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
	/* (not for a former region of that country that is no one region now: "Katanga, DR Congo" is no misspelt town) */
	int former_region = 0;
	for (size_t i = 0; i < gc->parts[0].npost; i++)
		former_region |= gc->parts[0].post[i].type == GZ_T_ADMIN1 && gc->parts[0].post[i].kind == GZ_K_FORMER &&
				 gz_admin1(gc->gz, gc->parts[0].post[i].ref)->country == fz_country;
	if (fz_country != GZ_NONE && b.part > 0 && !former_region && !gc_has_place_in(gc, &gc->parts[0], fz_country, fz_admin1)) {
		uint32_t country = fz_country, admin1 = fz_admin1;
		size_t d;
		uint32_t f = gc_fuzzy_place(gc, gc->keys.buf + gc->parts[0].off, gc->parts[0].len, country, admin1, &d);
		if (f != GZ_NONE) {
			gc_fill_place(gc->gz, f, d <= 1 ? 0.6 : 0.45, "fuzzy", out);
			return;
		}
	}
	double conf = gc_confidence(&b);
	if (alone && b.type != GZ_T_PLACE) {
		/* "Georgia": a name shared by regions of different countries */
		const struct part *p0 = &gc->parts[0];
		uint32_t wc = gc_posting_country(gc, &(struct gz_posting){ .ref = b.ref, .type = (uint8_t)b.type });
		for (size_t i = 0; i < p0->npost; i++) {
			const struct gz_posting *q = &p0->post[i];
			if (q->kind == GZ_K_CODE || (q->type != GZ_T_ADMIN1 && q->type != GZ_T_COUNTRY) ||
			    (q->type == GZ_T_ADMIN1 && q->kind == GZ_K_FORMER))
				continue;
			uint32_t c = gc_posting_country(gc, q);
			if (c != wc && conf > 0.6)
				conf = 0.6;
		}
	}
	int dominant = gc_dominant_alternate(gc, &b, alone);
	int ambiguous = b.type == GZ_T_PLACE && !b.curated ? gc_ambiguous_city(gc, &b, alone) : 0;
	if (ambiguous) {
		/*
		 * fall back to what the string does say: the country it names, else
		 * nothing ("Trinidad, CO" is Trinidad in Colorado or in Colombia:
		 * no country either)
		 */
		if (b.context > 0 && ambiguous == 1 && gc_fill_country(gc->gz, gz_place(gc->gz, b.ref)->country, conf, out))
			return;
		unresolved(out, N_("several places have this name; add a region or country"));
		return;
	}
	if (dominant && conf > 0.6)
		conf = 0.6; /* read by an alternate name over a namesake that has it as its own name */
	if (b.type == GZ_T_PLACE) {
		const char *method = b.metro ? "metro" : b.kind == GZ_K_NAME ? "exact" : b.kind == GZ_K_ASCII ? "ascii" : "alternate";
		gc_fill_place(gc->gz, b.ref, conf, method, out);
		if (b.metro)
			as_metro(out);
		return;
	}
	int ok = b.type == GZ_T_ADMIN2   ? gc_fill_admin2(gc->gz, b.ref, conf, out)
		 : b.type == GZ_T_ADMIN1 ? gc_fill_admin1(gc->gz, b.ref, conf, out)
					 : gc_fill_country(gc->gz, b.ref, conf, out);
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
