#include "i18n.h"

#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "banned.h"

int i18n_parse(const char *name)
{
	size_t n;
	if (!name || !*name)
		return -1;
	if (!strcmp(name, "C") || !strcmp(name, "POSIX") || !strncmp(name, "C.", 2))
		return I18N_EN;
	/* the language is what comes before _territory, .codeset, @modifier (or -territory) */
	n = strcspn(name, "_.@-");
	if (n == 2 && !strncmp(name, "en", 2))
		return I18N_EN;
	if (n == 2 && !strncmp(name, "de", 2))
		return I18N_DE;
	return -1;
}

enum i18n_lang i18n_from_env(const char *lc_all, const char *lc_messages, const char *lang)
{
	const char *v[] = { lc_all, lc_messages, lang };
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		if (v[i] && *v[i])
			return i18n_parse(v[i]) == I18N_DE ? I18N_DE : I18N_EN;
	}
	return I18N_EN;
}

void i18n_bind(const char *dir, const char *code)
{
	setenv("LANGUAGE", code, 1);
	bindtextdomain(I18N_DOMAIN, dir);
	bind_textdomain_codeset(I18N_DOMAIN, "UTF-8");
	textdomain(I18N_DOMAIN);
	bindtextdomain(I18N_NAMES_DOMAIN, dir);
	bind_textdomain_codeset(I18N_NAMES_DOMAIN, "UTF-8");
}

const char *i18n_pgettext(const char *ctx_id, const char *id)
{
	const char *t = gettext(ctx_id);
	return t == ctx_id ? id : t;
}

void i18n_count(struct strbuf *out, unsigned long long n)
{
	/* TRANSLATORS: the separator of thousands in numbers such as 1,234 */
	const char *sep = P_("thousands separator", ",");
	char tmp[32];
	int len = snprintf(tmp, sizeof(tmp), "%llu", n);
	for (int i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			sb_adds(out, sep);
		sb_addch(out, tmp[i]);
	}
}

void i18n_fixed(struct strbuf *out, double x, int decimals)
{
	/* TRANSLATORS: the decimal sign in numbers such as 71.5 */
	const char *dec = P_("decimal sign", ".");
	char tmp[64];
	if (!isfinite(x)) {
		sb_adds(out, "-");
		return;
	}
	snprintf(tmp, sizeof(tmp), "%.*f", decimals, x);
	for (const char *c = tmp; *c; c++) {
		if (*c == '.')
			sb_adds(out, dec);
		else
			sb_addch(out, *c);
	}
}

void i18n_percent(struct strbuf *out, const char *number)
{
	/* TRANSLATORS: a percentage; %s is the number ("71.5", "<1"); German puts a no-break space before % */
	sb_addf(out, P_("percent", "%s%%"), number);
}

static const char *const months[12] = {
	N_("January"), N_("February"), N_("March"), N_("April"), N_("May"), N_("June"),
	N_("July"), N_("August"), N_("September"), N_("October"), N_("November"), N_("December"),
};

void i18n_month_year(struct strbuf *out, int month)
{
	if (month < 0)
		return;
	/* TRANSLATORS: a month and its year, "March 2025"; %1$s is the month's name, %2$d the year */
	sb_addf(out, P_("month year", "%1$s %2$d"), gettext(months[month % 12]), month / 12);
}

const char *i18n_month_abbr(int m)
{
	/* TRANSLATORS: abbreviated month names on a time axis */
	static const char *const abbr[12] = {
		NP_("month", "Jan"), NP_("month", "Feb"), NP_("month", "Mar"), NP_("month", "Apr"),
		NP_("month", "May"), NP_("month", "Jun"), NP_("month", "Jul"), NP_("month", "Aug"),
		NP_("month", "Sep"), NP_("month", "Oct"), NP_("month", "Nov"), NP_("month", "Dec"),
	};
	m = ((m % 12) + 12) % 12;
	return i18n_pgettext(abbr[m], abbr[m] + sizeof("month"));
}

const char *i18n_area(const char *code, const char *english)
{
	const char *t;
	/* "" is the catalogue's header */
	if (!code || !*code)
		return english;
	t = dgettext(I18N_NAMES_DOMAIN, code);
	return t == code ? english : t;
}

const char *i18n_country(const char *cc, const char *english)
{
	return i18n_area(cc, english);
}

/* "CC-CODE" into key (n bytes); 0 when cc or admin1_code is missing or too long */
static int admin1_key(char *key, size_t n, const char *cc, const char *admin1_code)
{
	if (!cc || !*cc || !admin1_code || !*admin1_code)
		return 0;
	return (size_t)snprintf(key, n, "%s-%s", cc, admin1_code) < n;
}

const char *i18n_admin1(const char *cc, const char *admin1_code, const char *english)
{
	char key[64];
	return admin1_key(key, sizeof(key), cc, admin1_code) ? i18n_area(key, english) : english;
}

const char *i18n_area_dative(const char *code, const char *english)
{
	char ctx_id[80];
	const char *t;
	if (!code || !*code || (size_t)snprintf(ctx_id, sizeof(ctx_id), "dative\004%s", code) >= sizeof(ctx_id))
		return i18n_area(code, english);
	t = dgettext(I18N_NAMES_DOMAIN, ctx_id);
	return t == ctx_id ? i18n_area(code, english) : t;
}

const char *i18n_country_dative(const char *cc, const char *english)
{
	return i18n_area_dative(cc, english);
}

const char *i18n_admin1_dative(const char *cc, const char *admin1_code, const char *english)
{
	char key[64];
	return admin1_key(key, sizeof(key), cc, admin1_code) ? i18n_area_dative(key, english) : english;
}
