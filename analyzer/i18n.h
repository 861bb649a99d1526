#ifndef I18N_H
#define I18N_H

/*
 * i18n: the language of the texts people read -- report.md, index.html,
 * the terminal summary of analyze and compare, chart titles, axes, keys
 * and band labels -- through GNU gettext, text domain "netreach"
 * (po/netreach.pot, po/de.po; msgfmt builds
 * <data dir>/locale/de/LC_MESSAGES/netreach.mo).
 *
 * cli.c chooses the language and sets LC_MESSAGES, i18n_bind the catalogues (the
 * numeric locale stays "C", so printf("%.1f") in JSON, CSV and gnuplot
 * scripts is never "1,5"). Every other module only marks its texts with
 * _(), N_(), P_() and ngettext(), and formats numbers for people with the
 * i18n_ functions, which take the separators from the translation itself.
 * Machine-readable outputs (summary.json, compare.json, the CSV files)
 * never go through this module.
 *
 * Ownership: nothing is kept; the functions append to a caller's strbuf.
 */

#include <libintl.h>

#include "util.h"

#define I18N_DOMAIN "netreach"
/*
 * The text domain of country and admin-1 names (datasets/names/LANG.tsv,
 * compiled to <data dir>/locale/LANG/LC_MESSAGES/netreach-names.mo), keyed
 * by code: "DE", "DE-07".
 */
#define I18N_NAMES_DOMAIN "netreach-names"

#define _(s) gettext(s)
#define N_(s) (s)
/* A text with a context for the translator (xgettext --keyword=P_:1c,2). */
#define P_(ctx, s) i18n_pgettext(ctx "\004" s, s)
/* The message id of P_ without translating it, for tables (xgettext --keyword=NP_:1c,2). */
#define NP_(ctx, s) ctx "\004" s

enum i18n_lang { I18N_EN, I18N_DE };

/*
 * The language a name means: "en", "C", "POSIX", "en_US.UTF-8" ... give
 * I18N_EN; "de", "de_DE.UTF-8", "de_AT@euro", "de-CH" give I18N_DE;
 * anything else (and NULL or "") -1.
 */
int i18n_parse(const char *name);

/*
 * The language of a locale environment, given the values of LC_ALL,
 * LC_MESSAGES and LANG (each may be NULL): the first that is set and not
 * empty decides, as in POSIX; a language netreach has no translation for
 * is English.
 */
enum i18n_lang i18n_from_env(const char *lc_all, const char *lc_messages, const char *lang);

/*
 * Bind the catalogues of locale directory dir (data_dir/locale) for
 * language code ("de", "en") and make netreach the text domain: the
 * report's texts (netreach.mo, when there is one for the language: English
 * has none, its texts are the sources') and the names of countries and
 * states (netreach-names.mo; without it they stay as the gazetteer writes
 * them). Sets LANGUAGE to code; the caller has set LC_MESSAGES to a locale
 * that is not "C" (gettext translates nothing in "C").
 */
void i18n_bind(const char *dir, const char *code);

/*
 * The translation of the message "ctx\004id" (what P_ passes), or id
 * when there is none. Static storage; do not free.
 */
const char *i18n_pgettext(const char *ctx_id, const char *id) __attribute__((format_arg(2)));

/* n with thousands separators of the language: "1,234" / "1.234". */
void i18n_count(struct strbuf *out, unsigned long long n);

/* x with the given decimals and the language's decimal sign: "71.5" / "71,5"; "-" when not finite. */
void i18n_fixed(struct strbuf *out, double x, int decimals);

/* A percentage already formatted as text (e.g. "71.5", "<1"), with the sign: "71.5%" / "71,5 %". */
void i18n_percent(struct strbuf *out, const char *number);

/* "March 2025" / "März 2025" for a month counted as year * 12 + (month - 1); nothing when negative. */
void i18n_month_year(struct strbuf *out, int month);

/* The abbreviated name of month m (0 = January): "Mar" / "Mär". */
const char *i18n_month_abbr(int m);

/*
 * The name of a country or an admin-1 region in the report's language, for
 * the texts people read (never for JSON or CSV). code is a country's ISO
 * 3166-1 code ("DE") or a region's country code, '-' and GeoNames admin-1
 * code ("DE-07", as in summary.json); english is the gazetteer's name.
 * Returns the translation ("Deutschland", "Nordrhein-Westfalen"; static
 * storage) or english itself: in English (no catalogue bound), when the
 * language has no other name for it, and when code is NULL or empty.
 * City names are never translated (there is no such data).
 */
const char *i18n_area(const char *code, const char *english);

/* i18n_area for country cc ("DE"). */
const char *i18n_country(const char *cc, const char *english);

/* i18n_area for admin-1 region admin1_code of country cc ("DE", "07" -> "DE-07"). */
const char *i18n_admin1(const char *cc, const char *admin1_code, const char *english);

/*
 * The name as it stands after a preposition that takes the dative, with its
 * article where the language uses one: in German "der Schweiz", "den
 * Vereinigten Staaten", "dem Kanton Zürich" (datasets/names/LANG-dative.tsv,
 * the context "dative" of netreach-names), for sentences such as "in %s",
 * "nicht in %s", "außer %s". code and english as for i18n_area; a name
 * without an article in the table (and every name in English) is
 * i18n_area's name. For names that stand alone (tables, lists of names)
 * use i18n_area.
 */
const char *i18n_area_dative(const char *code, const char *english);

/* i18n_area_dative for country cc. */
const char *i18n_country_dative(const char *cc, const char *english);

/* i18n_area_dative for admin-1 region admin1_code of country cc. */
const char *i18n_admin1_dative(const char *cc, const char *admin1_code, const char *english);

#endif
