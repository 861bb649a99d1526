#include "unit.h"

#include <locale.h>
#include <math.h>

#include "i18n.h"

static void test_parse(void **state)
{
	(void)state;
	assert_int_equal(i18n_parse("de"), I18N_DE);
	assert_int_equal(i18n_parse("de_DE.UTF-8"), I18N_DE);
	assert_int_equal(i18n_parse("de_AT@euro"), I18N_DE);
	assert_int_equal(i18n_parse("de-CH"), I18N_DE);
	assert_int_equal(i18n_parse("en"), I18N_EN);
	assert_int_equal(i18n_parse("en_GB.UTF-8"), I18N_EN);
	assert_int_equal(i18n_parse("C"), I18N_EN);
	assert_int_equal(i18n_parse("C.UTF-8"), I18N_EN);
	assert_int_equal(i18n_parse("POSIX"), I18N_EN);
	assert_int_equal(i18n_parse("fr_FR.UTF-8"), -1);
	assert_int_equal(i18n_parse("deu"), -1); /* a language is two letters before the territory */
	assert_int_equal(i18n_parse("d"), -1);
	assert_int_equal(i18n_parse(""), -1);
	assert_int_equal(i18n_parse(NULL), -1);
}

static void test_from_env(void **state)
{
	(void)state;
	/* POSIX order: LC_ALL, then LC_MESSAGES, then LANG; the first set and non-empty decides */
	assert_int_equal(i18n_from_env(NULL, NULL, "de_DE.UTF-8"), I18N_DE);
	assert_int_equal(i18n_from_env("C", NULL, "de_DE.UTF-8"), I18N_EN);
	assert_int_equal(i18n_from_env("", "de_AT", "en_US.UTF-8"), I18N_DE);
	assert_int_equal(i18n_from_env("de_CH.UTF-8", "en_US", "en_US"), I18N_DE);
	assert_int_equal(i18n_from_env(NULL, "fr_FR", "de_DE"), I18N_EN); /* no French: English, not the next one */
	assert_int_equal(i18n_from_env(NULL, NULL, NULL), I18N_EN);
}

/* Without a catalogue (as the English report runs) the texts and separators are the English ones. */
static void test_english(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	(void)state;
	i18n_count(&sb, 1234567);
	sb_addch(&sb, ' ');
	i18n_fixed(&sb, 71.54, 1);
	sb_addch(&sb, ' ');
	i18n_percent(&sb, "71.5");
	sb_addch(&sb, ' ');
	i18n_month_year(&sb, 2026 * 12 + 11);
	sb_addf(&sb, " %s %s", i18n_month_abbr(2), i18n_month_abbr(4));
	assert_string_equal(sb.buf, "1,234,567 71.5 71.5% December 2026 Mar May");
	sb_reset(&sb);
	i18n_fixed(&sb, INFINITY, 1);
	i18n_count(&sb, 999);
	i18n_count(&sb, 0);
	assert_string_equal(sb.buf, "-9990");
	sb_release(&sb);
}

/*
 * The German catalogue as cli.c sets it up (build/share/netreach/locale,
 * LC_MESSAGES only): German separators and months, and printf's own
 * numbers stay "1.5" (LC_NUMERIC untouched).
 */
static void test_german(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	char c[16];
	(void)state;
	if (access(TEST_DATA_DIR "/locale/de/LC_MESSAGES/netreach.mo", R_OK))
		fail_msg("no German catalogue in " TEST_DATA_DIR "/locale (make data)");
	assert_non_null(setlocale(LC_MESSAGES, "C.UTF-8"));
	i18n_bind(TEST_DATA_DIR "/locale", "de");
	i18n_count(&sb, 1234567);
	sb_addch(&sb, ' ');
	i18n_fixed(&sb, 71.54, 1);
	sb_addch(&sb, ' ');
	i18n_percent(&sb, "71,5");
	sb_addch(&sb, ' ');
	i18n_month_year(&sb, 2026 * 12 + 11);
	sb_addf(&sb, " %s %s %s", i18n_month_abbr(2), i18n_month_abbr(4), i18n_month_abbr(9));
	assert_string_equal(sb.buf, "1.234.567 71,5 71,5\xc2\xa0% Dezember 2026 Mär Mai Okt");
	assert_string_equal(_("Connections"), "Kontakte");
	assert_string_equal(ngettext("%s country", "%s countries", 1), "%s Land");
	assert_string_equal(ngettext("%s country", "%s countries", 3), "%s Ländern");
	/* the same msgid in two contexts: "May" the month and "May" the abbreviation */
	assert_string_equal(_("May"), "Mai");
	snprintf(c, sizeof(c), "%.1f", 1.5);
	assert_string_equal(c, "1.5");
	/* back to English for whatever runs after */
	textdomain("messages");
	assert_non_null(setlocale(LC_MESSAGES, "C"));
	assert_string_equal(_("Connections"), "Connections");
	sb_release(&sb);
}

/*
 * Country and admin-1 names (i18n_area; datasets/names/de.tsv compiled to
 * netreach-names.mo). Expectations checked by hand against CLDR and the
 * German state names: Germany is Deutschland, GeoNames admin-1 DE.07
 * (ISO DE-NW) Nordrhein-Westfalen, Bavaria Bayern, Vienna Wien; Wisconsin
 * and Schleswig-Holstein have no other German name and stay as given.
 */
static void test_area_names(void **state)
{
	const char *wi = "Wisconsin", *sh = "Schleswig-Holstein", *de = "Germany";
	(void)state;
	/* English: no catalogue is consulted, the gazetteer's name comes back itself */
	assert_ptr_equal(i18n_country("DE", de), de);
	assert_ptr_equal(i18n_admin1("DE", "07", wi), wi);
	if (access(TEST_DATA_DIR "/locale/de/LC_MESSAGES/" I18N_NAMES_DOMAIN ".mo", R_OK))
		fail_msg("no German names in " TEST_DATA_DIR "/locale (make data)");
	assert_non_null(setlocale(LC_MESSAGES, "C.UTF-8"));
	i18n_bind(TEST_DATA_DIR "/locale", "de");
	assert_string_equal(i18n_country("DE", de), "Deutschland");
	assert_string_equal(i18n_country("US", "United States"), "Vereinigte Staaten");
	assert_string_equal(i18n_country("AT", "Austria"), "Österreich");
	/* CLDR's short form where the gazetteer's English name is the short one ("Hong Kong", not "... SAR China") */
	assert_string_equal(i18n_country("HK", "Hong Kong"), "Hongkong");
	assert_string_equal(i18n_admin1("DE", "07", "North Rhine-Westphalia"), "Nordrhein-Westfalen");
	assert_string_equal(i18n_area("DE-07", "North Rhine-Westphalia"), "Nordrhein-Westfalen");
	assert_string_equal(i18n_admin1("DE", "02", "Bavaria"), "Bayern");
	assert_string_equal(i18n_admin1("DE", "16", "State of Berlin"), "Berlin");
	assert_string_equal(i18n_admin1("AT", "09", "Vienna"), "Wien");
	/* no German name: the English one, the very pointer given */
	assert_ptr_equal(i18n_admin1("US", "WI", wi), wi);
	assert_ptr_equal(i18n_admin1("DE", "10", sh), sh);
	assert_ptr_equal(i18n_country("ZZ", de), de);
	/* a country code is not a region's, nor "" the catalogue's header */
	assert_ptr_equal(i18n_admin1("DE", "", de), de);
	assert_ptr_equal(i18n_area("", de), de);
	assert_ptr_equal(i18n_area(NULL, de), de);
	assert_ptr_equal(i18n_admin1(NULL, "07", de), de);
	assert_ptr_equal(i18n_admin1("DE", "0123456789012345678901234567890123456789012345678901234567890123", de), de);
	/* after a preposition (datasets/names/de-dative.tsv): the dative with its article where German uses one
	 * (feminine and plural names, names with an adjective); the plain name where it does not */
	assert_string_equal(i18n_country_dative("US", "United States"), "den Vereinigten Staaten");
	assert_string_equal(i18n_country_dative("CH", "Switzerland"), "der Schweiz");
	assert_string_equal(i18n_country_dative("GB", "United Kingdom"), "dem Vereinigten Königreich");
	assert_string_equal(i18n_country_dative("NL", "Netherlands"), "den Niederlanden");
	assert_string_equal(i18n_country_dative("UA", "Ukraine"), "der Ukraine");
	assert_string_equal(i18n_country_dative("DE", de), "Deutschland");
	assert_string_equal(i18n_country_dative("AT", "Austria"), "Österreich");
	assert_string_equal(i18n_admin1_dative("CH", "ZH", "Zurich"), "dem Kanton Zürich");
	assert_string_equal(i18n_admin1_dative("DE", "09", "Saarland"), "dem Saarland");
	assert_string_equal(i18n_admin1_dative("DE", "02", "Bavaria"), "Bayern");
	assert_ptr_equal(i18n_admin1_dative("US", "WI", wi), wi);
	assert_ptr_equal(i18n_country_dative("ZZ", de), de);
	assert_ptr_equal(i18n_area_dative(NULL, de), de);
	assert_ptr_equal(i18n_admin1_dative("DE", NULL, de), de);
	/* the report's own texts are still translated */
	assert_string_equal(_("Connections"), "Kontakte");
	textdomain("messages");
	assert_non_null(setlocale(LC_MESSAGES, "C"));
	assert_ptr_equal(i18n_country("DE", de), de);
	assert_ptr_equal(i18n_country_dative("US", de), de);
}

/*
 * English after a preposition (datasets/names/en-dative.tsv, the English
 * netreach-names catalogue, bound as cli.c does for English): "the" where
 * English uses it, the very name given where it does not; the report's own
 * texts stay the sources' (English has no netreach.mo).
 */
static void test_english_article(void **state)
{
	const char *fr = "France", *wi = "Wisconsin";
	(void)state;
	if (access(TEST_DATA_DIR "/locale/en/LC_MESSAGES/" I18N_NAMES_DOMAIN ".mo", R_OK))
		fail_msg("no English names in " TEST_DATA_DIR "/locale (make data)");
	assert_non_null(setlocale(LC_MESSAGES, "C.UTF-8"));
	i18n_bind(TEST_DATA_DIR "/locale", "en");
	assert_string_equal(i18n_country_dative("US", "United States"), "the United States");
	assert_string_equal(i18n_country_dative("NL", "Netherlands"), "the Netherlands");
	assert_string_equal(i18n_country_dative("GM", "Gambia"), "the Gambia");
	assert_string_equal(i18n_admin1_dative("US", "DC", "District of Columbia"), "the District of Columbia");
	assert_ptr_equal(i18n_country_dative("FR", fr), fr);
	assert_ptr_equal(i18n_admin1_dative("US", "WI", wi), wi);
	/* a name standing alone keeps no article */
	assert_ptr_equal(i18n_country("US", fr), fr);
	assert_string_equal(_("Connections"), "Connections");
	textdomain("messages");
	assert_non_null(setlocale(LC_MESSAGES, "C"));
	assert_ptr_equal(i18n_country_dative("US", fr), fr);
}

/*
 * The committed table behind it: the row of ISO 3166-2 DE-NW is GeoNames
 * code DE-07, Nordrhein-Westfalen (scripts/build-names maps ISO codes to
 * GeoNames codes through iso3166-2-db).
 */
static void test_area_table(void **state)
{
	char line[512];
	int found = 0;
	FILE *f = fopen("datasets/names/de.tsv", "r");
	(void)state;
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		if (strstr(line, "\tDE-NW\t")) {
			assert_string_equal(line, "DE-07\tDE-NW\tNorth Rhine-Westphalia\tNordrhein-Westfalen\n");
			found++;
		}
		/* Wisconsin's German name is Wisconsin: no row */
		assert_null(strstr(line, "\tUS-WI\t"));
	}
	fclose(f);
	assert_int_equal(found, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_from_env),
		cmocka_unit_test(test_english),
		cmocka_unit_test(test_german),
		cmocka_unit_test(test_area_names),
		cmocka_unit_test(test_english_article),
		cmocka_unit_test(test_area_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
