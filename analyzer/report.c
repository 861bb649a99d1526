#include "report.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "i18n.h"
#include "plot.h"
#include "text.h"

#include "banned.h"

/* ---- small helpers ---------------------------------------------------- */

static const char *basename_of(const char *path)
{
	const char *s;
	if (!path)
		return "";
	s = strrchr(path, '/');
	return s ? s + 1 : path;
}

static double round_to(double x, int decimals)
{
	double f = pow(10.0, decimals);
	double v = round(x * f) / f;
	return v == 0.0 ? 0.0 : v; /* no -0 */
}

/* A real rounded to fixed decimals; null when not finite. */
static json_t *jreal(double x, int decimals)
{
	if (!isfinite(x))
		return json_null();
	return json_real(round_to(x, decimals));
}

/* A string as valid UTF-8; null for NULL. */
static json_t *jstr(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	json_t *j;
	if (!s)
		return json_null();
	sb_init(&sb, strlen(s));
	txt_utf8_sanitize(&sb, s, strlen(s));
	j = json_stringn(sb.buf, sb.len);
	sb_release(&sb);
	return j ? j : json_null();
}

static json_t *jcount(unsigned long n)
{
	return json_integer((json_int_t)n);
}

static void month_text(char buf[16], int month)
{
	int y = month >= 0 ? month / 12 : 0, m = month >= 0 ? month % 12 + 1 : 0;
	snprintf(buf, 16, "%04d-%02d", y, m);
}

static const char *nz(const char *s)
{
	return s ? s : "";
}

static double share_of(unsigned long n, unsigned long total)
{
	return total ? (double)n / (double)total : 0.0;
}

/*
 * Numbers for people go through i18n (the separators of the report's
 * language: "1,234" and "58.3%" in English, "1.234" and "58,3 %" in
 * German); numbers in JSON and CSV never do.
 */
#define add_count i18n_count

/* "58%", "<1%", ">99%" for a share in [0, 1]. */
static void add_pct(struct strbuf *out, double share)
{
	char n[32];
	if (!isfinite(share))
		share = 0.0;
	if (share > 0.0 && share < 0.005)
		snprintf(n, sizeof(n), "<1");
	else if (share < 1.0 && share > 0.995)
		snprintf(n, sizeof(n), ">99");
	else
		snprintf(n, sizeof(n), "%.0f", share * 100.0);
	i18n_percent(out, n);
}

/* "58.3%" */
static void add_pct1(struct strbuf *out, double share)
{
	struct strbuf n = STRBUF_INIT;
	if (!isfinite(share))
		share = 0.0;
	i18n_fixed(&n, share * 100.0, 1);
	i18n_percent(out, n.buf);
	sb_release(&n);
}

static void add_km(struct strbuf *out, double km)
{
	if (!isfinite(km)) {
		sb_adds(out, "-");
		return;
	}
	if (km >= 100.0 || km == round(km))
		add_count(out, (unsigned long long)llround(km));
	else
		i18n_fixed(out, km, 1);
	sb_adds(out, " km");
}

/* "92 km": whole kilometres (one decimal under 10 km), for plain words */
static void add_km_plain(struct strbuf *out, double km)
{
	if (isfinite(km) && km >= 10.0)
		km = round(km);
	add_km(out, km);
}

/*
 * A number as text for a translated format string: the functions below
 * fill the caller's buffer and return it, so a sentence is one
 * sb_addf(out, _("..."), cnt(&a, n), ...) whatever the language's order.
 */
struct num {
	char s[64];
};

static const char *num_take(struct num *b, struct strbuf *t)
{
	snprintf(b->s, sizeof(b->s), "%s", t->len ? t->buf : "");
	sb_release(t);
	return b->s;
}

static const char *cnt(struct num *b, unsigned long long n)
{
	struct strbuf t = STRBUF_INIT;
	add_count(&t, n);
	return num_take(b, &t);
}

static const char *pct(struct num *b, double share)
{
	struct strbuf t = STRBUF_INIT;
	add_pct(&t, share);
	return num_take(b, &t);
}

static const char *km_text(struct num *b, double km)
{
	struct strbuf t = STRBUF_INIT;
	add_km(&t, km);
	return num_take(b, &t);
}

static const char *km_plain_text(struct num *b, double km)
{
	struct strbuf t = STRBUF_INIT;
	add_km_plain(&t, km);
	return num_take(b, &t);
}

static int looks_like_email(const char *s)
{
	const char *at = strchr(s, '@');
	return at && at > s && strchr(at + 1, '.') && !strchr(at + 1, ' ');
}

static const char *home_name(const struct an_result *r)
{
	if (r->home.place.name && *r->home.place.name)
		return r->home.place.name;
	if (r->home.query && *r->home.query)
		return r->home.query;
	return _("your home");
}

/* The home's country in the report's language, or the fallback text. */
static const char *home_country(const struct an_result *r)
{
	const struct gc_place *h = &r->home.place;
	return h->country && *h->country ? i18n_country(h->cc, h->country) : _("the home country");
}

/*
 * A place's name for people: a place that is a country or an admin-1
 * region ("Germany" named alone) in the report's language, a town as the
 * gazetteer names it.
 */
static const char *place_name(const struct gc_place *p)
{
	if (p->level == GC_LEVEL_COUNTRY && p->name && p->country && !strcmp(p->name, p->country))
		return i18n_country(p->cc, p->name);
	if (p->level == GC_LEVEL_ADMIN1 && p->name && p->admin1 && !strcmp(p->name, p->admin1))
		return i18n_admin1(p->cc, p->admin1_code, p->name);
	return p->name;
}

static void add_timestamp(struct strbuf *out)
{
	time_t now = time(NULL);
	struct tm tm;
	char buf[32];
	if (gmtime_r(&now, &tm) && strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm))
		sb_adds(out, buf);
}

/* ---- summary.json ----------------------------------------------------- */

static json_t *columns_json(const struct ing_info *in)
{
	json_t *o = json_object();
	for (int i = 0; i < ING_ROLE_COUNT; i++)
		if (in->column[i])
			json_object_set_new(o, ing_role_name((enum ing_role)i), jstr(in->column[i]));
	return o;
}

static json_t *delim_json(char d)
{
	char s[2] = { d, 0 };
	return d ? json_string(s) : json_null();
}

static json_t *input_json(const struct an_result *r)
{
	json_t *o = json_object();
	const struct ing_info *first = r->nr_inputs ? &r->inputs[0] : NULL;
	int same_format = 1, same_enc = 1, same_delim = 1;
	for (size_t i = 1; i < r->nr_inputs; i++) {
		same_format &= !strcmp(nz(r->inputs[i].format), nz(first->format));
		same_enc &= !strcmp(nz(r->inputs[i].encoding), nz(first->encoding));
		same_delim &= r->inputs[i].delimiter == first->delimiter;
	}
	json_object_set_new(o, "file", r->nr_inputs == 1 ? jstr(basename_of(first->path)) : json_null());
	json_object_set_new(o, "files", json_integer((json_int_t)r->nr_inputs));
	json_object_set_new(o, "format", first && same_format ? jstr(first->format) : json_null());
	json_object_set_new(o, "encoding", first && same_enc ? jstr(first->encoding) : json_null());
	json_object_set_new(o, "delimiter", first && same_delim ? delim_json(first->delimiter) : json_null());
	json_object_set_new(o, "columns", r->nr_inputs == 1 ? columns_json(first) : json_null());
	json_object_set_new(o, "rows", jcount(r->rows));
	json_object_set_new(o, "resolved", jcount(r->resolved));
	json_object_set_new(o, "located", jcount(r->summary.located));
	json_object_set_new(o, "unresolved", jcount(r->unresolved));
	json_object_set_new(o, "no_location", jcount(r->no_location));
	json_object_set_new(o, "skipped", jcount(r->skipped));
	json_object_set_new(o, "duplicates", jcount(r->duplicates));
	json_object_set_new(o, "empty_rows", jcount(r->empty_rows));
	json_object_set_new(o, "distinct_unresolved", json_integer((json_int_t)r->nr_unresolved_list));
	return o;
}

static json_t *inputs_json(const struct an_result *r)
{
	json_t *a = json_array();
	for (size_t i = 0; i < r->nr_inputs; i++) {
		const struct ing_info *in = &r->inputs[i];
		json_t *o = json_object();
		json_object_set_new(o, "file", jstr(basename_of(in->path)));
		json_object_set_new(o, "format", jstr(in->format));
		json_object_set_new(o, "encoding", jstr(in->encoding));
		json_object_set_new(o, "delimiter", delim_json(in->delimiter));
		json_object_set_new(o, "header_line", jcount(in->header_line));
		json_object_set_new(o, "columns", columns_json(in));
		json_object_set_new(o, "records", jcount(in->records));
		if (r->input_counts) {
			const struct an_input_counts *ic = &r->input_counts[i];
			json_object_set_new(o, "rows", jcount(ic->rows));
			json_object_set_new(o, "resolved", jcount(ic->resolved));
			json_object_set_new(o, "unresolved", jcount(ic->unresolved));
			json_object_set_new(o, "no_location", jcount(ic->no_location));
			json_object_set_new(o, "skipped", jcount(ic->skipped));
			json_object_set_new(o, "duplicates", jcount(ic->duplicates));
			json_object_set_new(o, "empty_rows", jcount(ic->empty_rows));
		}
		json_object_set_new(o, "with_location", jcount(in->ok));
		json_object_set_new(o, "no_location", jcount(in->no_location));
		json_object_set_new(o, "skipped", jcount(in->skipped));
		json_object_set_new(o, "dates_ok", jcount(in->dates_ok));
		json_object_set_new(o, "dates_unparseable", jcount(in->dates_unparseable));
		json_object_set_new(o, "recoded_rows", jcount(in->recoded_rows));
		json_object_set_new(o, "locations_joined", jcount(in->locations_joined));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *home_json(const struct an_result *r)
{
	json_t *o = json_object();
	const struct gc_place *p = &r->home.place;
	int ok = p->level != GC_LEVEL_NONE;
	json_object_set_new(o, "query", jstr(r->home.query));
	json_object_set_new(o, "source", jstr(r->home.source));
	json_object_set_new(o, "name", ok ? jstr(p->name) : json_null());
	json_object_set_new(o, "level", jstr(gc_level_name(p->level)));
	json_object_set_new(o, "admin1", ok && p->admin1 && *p->admin1 ? jstr(p->admin1) : json_null());
	json_object_set_new(o, "country_code", ok ? jstr(p->cc) : json_null());
	json_object_set_new(o, "country", ok ? jstr(p->country) : json_null());
	json_object_set_new(o, "continent", ok ? jstr(p->continent) : json_null());
	json_object_set_new(o, "lat", ok ? jreal(p->lat, 4) : json_null());
	json_object_set_new(o, "lon", ok ? jreal(p->lon, 4) : json_null());
	json_object_set_new(o, "inferred", json_boolean(r->home.inferred));
	json_object_set_new(o, "radius_km", jreal(r->radius_km, 1));
	return o;
}

static json_t *reach_json(const struct st_summary *s)
{
	json_t *o = json_object();
	struct strbuf k = STRBUF_INIT;
	for (int i = 0; i < ST_REACH_COUNT; i++) {
		sb_reset(&k);
		sb_addf(&k, "%s_share", st_reach_bands[i].key);
		json_object_set_new(o, k.buf, jreal(s->reach[i].share, 4));
		sb_reset(&k);
		sb_addf(&k, "%s_count", st_reach_bands[i].key);
		json_object_set_new(o, k.buf, jcount(s->reach[i].count));
		sb_reset(&k);
		sb_addf(&k, "%s_base", st_reach_bands[i].key);
		json_object_set_new(o, k.buf, jcount(s->reach[i].base));
	}
	sb_release(&k);
	return o;
}

static json_t *items_json(const struct st_item *it, size_t n, int with_cc)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_object();
		json_object_set_new(o, "code", jstr(it[i].code));
		json_object_set_new(o, "name", jstr(it[i].name));
		if (with_cc)
			json_object_set_new(o, "country_code", jstr(it[i].cc));
		json_object_set_new(o, "count", jcount(it[i].count));
		json_object_set_new(o, "share", jreal(it[i].share, 4));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *bands_json(const struct st_summary *s)
{
	json_t *a = json_array();
	for (int i = 0; i < ST_DIST_BANDS; i++) {
		json_t *o = json_object();
		json_object_set_new(o, "key", jstr(s->dist_band[i].key));
		json_object_set_new(o, "label", jstr(s->dist_band[i].label));
		json_object_set_new(o, "min_km", jreal(st_dist_bands[i].shown_min_km, 1));
		json_object_set_new(o, "max_km", jreal(st_dist_bands[i].shown_max_km, 1));
		json_object_set_new(o, "count", jcount(s->dist_band[i].count));
		json_object_set_new(o, "share", jreal(s->dist_band[i].share, 4));
		json_object_set_new(o, "base", jcount(s->dist_band[i].base));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *timeline_json(const struct st_summary *s)
{
	json_t *a = json_array();
	char m[16];
	for (size_t i = 0; i < s->nr_timeline; i++) {
		const struct st_month *t = &s->timeline[i];
		json_t *o = json_object(), *nc = json_array();
		month_text(m, t->month);
		json_object_set_new(o, "month", json_string(m));
		json_object_set_new(o, "added", jcount(t->added));
		json_object_set_new(o, "cumulative", jcount(t->cumulative));
		json_object_set_new(o, "cumulative_located", jcount(t->cumulative_located));
		json_object_set_new(o, "cumulative_beyond_home", jcount(t->cumulative_beyond_home));
		json_object_set_new(o, "cumulative_beyond_home_share", jreal(t->cumulative_beyond_home_share, 4));
		for (size_t k = 0; k < t->nr_new_countries; k++)
			json_array_append_new(nc, jstr(t->new_countries[k]));
		json_object_set_new(o, "new_countries", nc);
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *companies_json(const struct an_result *r);
static json_t *connected_json(const struct an_result *r);

json_t *rp_summary_json(const struct an_result *r)
{
	const struct st_summary *s = &r->summary;
	int any = s->located > 0;
	json_t *root = json_object(), *o;

	json_object_set_new(root, "schema_version", json_integer(RP_SCHEMA_VERSION));
	json_object_set_new(root, "generator", json_string("netreach " NR_VERSION));
	json_object_set_new(root, "input", input_json(r));
	json_object_set_new(root, "inputs", inputs_json(r));
	json_object_set_new(root, "home", home_json(r));
	json_object_set_new(root, "reach", reach_json(s));

	o = json_object();
	json_object_set_new(o, "p10", any ? jreal(s->dist_km.p10, 1) : json_null());
	json_object_set_new(o, "p25", any ? jreal(s->dist_km.p25, 1) : json_null());
	json_object_set_new(o, "median", any ? jreal(s->dist_km.median, 1) : json_null());
	json_object_set_new(o, "p75", any ? jreal(s->dist_km.p75, 1) : json_null());
	json_object_set_new(o, "p90", any ? jreal(s->dist_km.p90, 1) : json_null());
	json_object_set_new(o, "mean", any ? jreal(s->dist_km.mean, 1) : json_null());
	json_object_set_new(o, "max", any ? jreal(s->dist_km.max, 1) : json_null());
	json_object_set_new(root, "distance_km", o);
	json_object_set_new(root, "radius_of_gyration_km", any ? jreal(s->rog_home_km, 1) : json_null());
	o = json_object();
	json_object_set_new(o, "lat", any ? jreal(s->centre_lat, 4) : json_null());
	json_object_set_new(o, "lon", any ? jreal(s->centre_lon, 4) : json_null());
	json_object_set_new(o, "radius_of_gyration_km", any ? jreal(s->rog_centre_km, 1) : json_null());
	json_object_set_new(root, "centre", o);

	o = json_object();
	json_object_set_new(o, "cities", json_integer((json_int_t)s->distinct.cities));
	json_object_set_new(o, "admin1", json_integer((json_int_t)s->distinct.admin1));
	json_object_set_new(o, "countries", json_integer((json_int_t)s->distinct.countries));
	json_object_set_new(o, "continents", json_integer((json_int_t)s->distinct.continents));
	json_object_set_new(o, "places", json_integer((json_int_t)r->nr_places));
	json_object_set_new(root, "distinct", o);

	o = json_object();
	json_object_set_new(o, "countries_entropy", jreal(s->countries_entropy, 4));
	json_object_set_new(o, "countries_effective", jreal(s->countries_effective, 2));
	json_object_set_new(o, "admin1_entropy", jreal(s->admin1_entropy, 4));
	json_object_set_new(o, "admin1_effective", jreal(s->admin1_effective, 2));
	json_object_set_new(root, "diversity", o);

	o = json_object();
	json_object_set_new(o, "union_km2", jreal(s->footprint.union_km2, 0));
	json_object_set_new(o, "hull_km2", jreal(s->footprint.hull_km2, 0));
	json_object_set_new(o, "countries", json_integer((json_int_t)s->footprint.countries));
	json_object_set_new(root, "footprint", o);

	json_object_set_new(root, "countries", items_json(s->countries, s->nr_countries, 0));
	json_object_set_new(root, "admin1", items_json(s->admin1, s->nr_admin1, 1));
	json_object_set_new(root, "continents", items_json(s->continents, s->nr_continents, 0));
	json_object_set_new(root, "bands", bands_json(s));
	json_object_set_new(root, "regions", items_json(s->regions, s->nr_regions, 0));
	json_object_set_new(root, "timeline", timeline_json(s));

	json_object_set_new(root, "companies", companies_json(r));
	json_object_set_new(root, "connected", connected_json(r));
	o = json_object();
	json_object_set_new(o, "places", json_string("GeoNames (https://www.geonames.org), CC BY 4.0"));
	json_object_set_new(o, "outlines", json_string("Made with Natural Earth (https://www.naturalearthdata.com), public domain"));
	json_object_set_new(root, "attribution", o);
	return root;
}

/* ---- companies and dates ------------------------------------------------ */

static void month_name(struct strbuf *out, int month);

#define COMPANIES_SHOWN 15
#define COMPANIES_JSON 100

/* Targets with at least one connection there. */
static size_t doors_open(const struct an_result *r)
{
	size_t n = 0;
	for (size_t i = 0; i < r->nr_targets; i++)
		n += r->targets[i].count > 0;
	return n;
}

/* The headline of an export without locations (LinkedIn's Connections.csv): companies, not places. */
static void companies_headline(struct strbuf *out, const struct an_result *r, unsigned long people)
{
	struct num a, b, c;
	if (!people) {
		sb_adds(out, _("The export has no connections, so there is nothing to show."));
		return;
	}
	if (r->nr_companies) {
		unsigned long employers = r->nr_companies + (r->companies_unlisted ? 1 : 0);
		struct strbuf e = STRBUF_INIT;
		sb_addf(&e, ngettext("%s employer", "%s employers", employers), cnt(&b, employers));
		sb_addf(out, ngettext("Your %1$s connection works at %2$s", "Your %1$s connections work at %2$s", people),
			cnt(&a, people), e.buf);
		sb_release(&e);
		if (r->with_company < people) {
			unsigned long none = people - r->with_company;
			sb_addf(out, ngettext(" (%s name none)", " (%s name none)", none), cnt(&a, none));
		}
	} else {
		sb_addf(out, ngettext("Your %s connection names no employer", "Your %s connections name no employer", people),
			cnt(&a, people));
	}
	if (r->nr_targets)
		sb_addf(out, ngettext("; you have a foot in the door at %1$s of your %2$s target",
				      "; you have a foot in the door at %1$s of your %2$s targets", r->nr_targets),
			cnt(&b, doors_open(r)), cnt(&c, r->nr_targets));
	sb_adds(out, _(". The export has no locations, so where they live is not known yet."));
}

static json_t *companies_json(const struct an_result *r)
{
	json_t *o = json_object(), *top = json_array(), *t = json_array();
	json_object_set_new(o, "with_company", jcount(r->with_company));
	json_object_set_new(o, "distinct", json_integer((json_int_t)r->nr_companies));
	json_object_set_new(o, "unlisted", jcount(r->companies_unlisted));
	for (size_t i = 0; i < r->nr_companies && i < COMPANIES_JSON; i++) {
		json_t *c = json_object();
		json_object_set_new(c, "name", jstr(r->companies[i].name));
		json_object_set_new(c, "count", jcount(r->companies[i].count));
		json_array_append_new(top, c);
	}
	json_object_set_new(o, "top", top);
	for (size_t i = 0; i < r->nr_targets; i++) {
		json_t *c = json_object();
		json_object_set_new(c, "name", jstr(r->targets[i].name));
		json_object_set_new(c, "count", jcount(r->targets[i].count));
		json_array_append_new(t, c);
	}
	json_object_set_new(o, "targets", t);
	return o;
}

/* Contacts by the month they connected (all, placed or not), with the running total. */
static json_t *connected_json(const struct an_result *r)
{
	json_t *a = json_array();
	unsigned long total = 0;
	for (size_t i = 0; i < r->nr_connected; i++) {
		json_t *o = json_object();
		char m[16];
		total += r->connected[i].count;
		snprintf(m, sizeof(m), "%04d-%02d", r->connected[i].month / 12, r->connected[i].month % 12 + 1);
		json_object_set_new(o, "month", json_string(m));
		json_object_set_new(o, "connected", jcount(r->connected[i].count));
		json_object_set_new(o, "total", jcount(total));
		json_array_append_new(a, o);
	}
	return a;
}

/* ---- headline ----------------------------------------------------------- */

/* "17 countries", "1 country" */
static void add_countries(struct strbuf *out, size_t n)
{
	struct num a;
	sb_addf(out, ngettext("%s country", "%s countries", n), cnt(&a, n));
}

/*
 * The headline in two parts: the number ("71%", empty when nothing is
 * placed) and the words after it ("of your network lives beyond
 * Sheboygan"), or the whole sentence when nothing could be placed.
 */
static void headline_parts(const struct an_result *r, struct strbuf *num, struct strbuf *words)
{
	const struct st_summary *s = &r->summary;
	unsigned long people = r->rows - r->duplicates - r->empty_rows;
	struct num a;
	if (r->no_place_column) {
		(void)num;
		companies_headline(words, r, people);
		return;
	}
	if (!r->resolved) {
		/* say why, and point only to the files that list something */
		unsigned long unreadable = r->skipped - r->duplicates - r->empty_rows;
		const char *sep = ": ";
		size_t parts = (r->unresolved > 0) + (r->no_location > 0) + (unreadable > 0), k = 0;
		struct strbuf *out = words;
		if (!people) {
			sb_adds(out, r->rows ? _("Every row of the export repeats an earlier one, so there is nothing to place.")
					     : _("The export has no rows, so there is nothing to place."));
			return;
		}
		sb_addf(out, ngettext("Your %s connection could not be placed", "None of your %s connections could be placed",
				      people), cnt(&a, people));
#define PART(n, text)                                                                         \
	do {                                                                                  \
		if (!(n))                                                                     \
			break;                                                                \
		sb_adds(out, ++k == parts && k > 1 ? _(" and ") : sep);                       \
		sep = ", ";                                                                   \
		sb_addf(out, text, cnt(&a, n));                                               \
	} while (0)
		PART(r->unresolved, _("%s with a location netreach did not recognise (see unresolved.csv)"));
		PART(r->no_location, _("%s without a location"));
		PART(unreadable, _("%s unreadable (see skipped.csv)"));
#undef PART
		sb_adds(out, ".");
		return;
	}
	if (s->located) {
		add_pct(num, s->reach[ST_REACH_BEYOND_HOME].share);
		/* TRANSLATORS: after the big number of the headline, "71%"; %s is the home town */
		sb_addf(words, _("of your network lives beyond %s"), home_name(r));
	} else {
		add_pct(num, s->reach[ST_REACH_OUTSIDE_COUNTRY].share);
		/* TRANSLATORS: after the big number of the headline, "12%" */
		sb_adds(words, _("of your network lives abroad"));
	}
}

void rp_headline(struct strbuf *out, const struct an_result *r)
{
	struct strbuf num = STRBUF_INIT, words = STRBUF_INIT;
	headline_parts(r, &num, &words);
	if (num.len) {
		sb_add(out, num.buf, num.len);
		sb_addch(out, ' ');
		sb_add(out, words.buf, words.len);
		sb_addch(out, '.');
	} else {
		sb_add(out, words.buf, words.len);
	}
	sb_release(&num);
	sb_release(&words);
}

void rp_headline_base(struct strbuf *out, const struct an_result *r)
{
	const struct st_summary *s = &r->summary;
	const struct st_band *x;
	struct num a, b, c;
	if (!r->resolved)
		return;
	if (s->located) {
		x = &s->reach[ST_REACH_BEYOND_HOME];
		sb_addf(out, ngettext("%1$s of the %2$s connection placed in a town lives more than %3$s from %4$s.",
				      "%1$s of the %2$s connections placed in a town live more than %3$s from %4$s.",
				      x->base),
			cnt(&a, x->count), cnt(&b, x->base), km_text(&c, r->radius_km), home_name(r));
	} else {
		x = &s->reach[ST_REACH_OUTSIDE_COUNTRY];
		sb_addf(out, ngettext("%1$s of the %2$s connection placed lives outside %3$s; none could be placed in a "
				      "town, so distances are unknown.",
				      "%1$s of the %2$s connections placed live outside %3$s; none could be placed in a "
				      "town, so distances are unknown.", x->base),
			cnt(&a, x->count), cnt(&b, x->base), home_country(r));
	}
}

/* ---- files ------------------------------------------------------------ */

static int write_file(const char *dir, const char *name, const struct strbuf *sb, struct strbuf *err)
{
	struct strbuf path = STRBUF_INIT;
	FILE *f;
	int st = NR_EX_OK;
	sb_addf(&path, "%s/%s", dir, name);
	f = fopen(path.buf, "wb");
	if (!f) {
		sb_addf(err, "'%s': cannot create: %s", path.buf, strerror(errno));
		sb_release(&path);
		return NR_EX_CANTCREAT;
	}
	if (fwrite(sb->buf, 1, sb->len, f) != sb->len || fflush(f)) {
		sb_addf(err, "'%s': write failed: %s", path.buf, strerror(errno));
		st = NR_EX_IOERR;
	}
	if (fclose(f) && !st) {
		sb_addf(err, "'%s': write failed: %s", path.buf, strerror(errno));
		st = NR_EX_IOERR;
	}
	sb_release(&path);
	return st;
}

static void csv_cell(struct strbuf *out, const char *s)
{
	s = nz(s);
	txt_csv_cell(out, s, strlen(s));
}

static void places_csv(struct strbuf *out, const struct an_result *r)
{
	sb_adds(out, "place,level,lat,lon,admin1,country,count,distance_km\r\n");
	for (size_t i = 0; i < r->nr_places; i++) {
		const struct st_place *p = &r->places[i];
		csv_cell(out, p->place.name);
		sb_addf(out, ",%s,%.4f,%.4f,", gc_level_name(p->place.level),
			round_to(p->place.lat, 4), round_to(p->place.lon, 4));
		csv_cell(out, p->place.admin1);
		sb_addch(out, ',');
		csv_cell(out, p->place.country);
		sb_addf(out, ",%lu,%.1f\r\n", p->count, round_to(p->dist_km, 1));
	}
}

static const char *unresolved_text(const struct an_unresolved *u, const struct rp_options *o)
{
	if (!o->show_names && u->text && looks_like_email(u->text))
		return "(email address hidden)";
	return nz(u->text);
}

static int cmp_unresolved(const void *a, const void *b)
{
	const struct an_unresolved *x = *(const struct an_unresolved *const *)a;
	const struct an_unresolved *y = *(const struct an_unresolved *const *)b;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(nz(x->text), nz(y->text));
}

/* The unresolved list by count desc, then text (a total order). Caller frees the array. */
static const struct an_unresolved **sorted_unresolved(const struct an_result *r)
{
	const struct an_unresolved **v = xcalloc(r->nr_unresolved_list + 1, sizeof(*v));
	for (size_t i = 0; i < r->nr_unresolved_list; i++)
		v[i] = &r->unresolved_list[i];
	qsort(v, r->nr_unresolved_list, sizeof(*v), cmp_unresolved);
	return v;
}

static void unresolved_csv(struct strbuf *out, const struct an_result *r, const struct rp_options *o)
{
	const struct an_unresolved **v = sorted_unresolved(r);
	sb_adds(out, "location,count,reason\r\n");
	for (size_t i = 0; i < r->nr_unresolved_list; i++) {
		csv_cell(out, unresolved_text(v[i], o));
		sb_addf(out, ",%lu,", v[i]->count);
		csv_cell(out, v[i]->reason);
		sb_adds(out, "\r\n");
	}
	free(v);
}

static void skipped_csv(struct strbuf *out, const struct an_result *r)
{
	sb_adds(out, "file,line,reason\r\n");
	for (size_t i = 0; i < r->nr_skipped_list; i++) {
		const struct ag_skipped *k = &r->skipped_list[i];
		const char *file = k->input < r->nr_inputs ? basename_of(r->inputs[k->input].path) : "";
		csv_cell(out, file);
		sb_addf(out, ",%lu,", k->line);
		csv_cell(out, k->reason);
		sb_adds(out, "\r\n");
	}
}

/* ---- one document, two syntaxes (HTML and Markdown) -------------------- */

struct doc {
	struct strbuf *out;
	int md;
	size_t ncols;
	const char *align; /* per column: 'l' or 'r' */
	const char *dir;   /* the report directory: HTML embeds dir/charts/X.png when set */
};

static void esc(struct doc *d, const char *s)
{
	s = nz(s);
	if (d->md)
		txt_md_escape(d->out, s, strlen(s));
	else
		txt_html_escape(d->out, s, strlen(s));
}

static void doc_h(struct doc *d, int level, const char *text, const char *id)
{
	if (d->md) {
		for (int i = 0; i < level; i++)
			sb_addch(d->out, '#');
		sb_addch(d->out, ' ');
		esc(d, text);
		sb_adds(d->out, "\n\n");
	} else {
		sb_addf(d->out, "<h%d", level);
		if (id)
			sb_addf(d->out, " id=\"%s\"", id);
		sb_adds(d->out, ">");
		esc(d, text);
		sb_addf(d->out, "</h%d>\n", level);
	}
}

/* A paragraph of plain text; cls is an HTML class (may be NULL). */
static void doc_p(struct doc *d, const char *text, const char *cls)
{
	if (d->md) {
		if (cls && !strcmp(cls, "lead")) {
			sb_adds(d->out, "**");
			esc(d, text);
			sb_adds(d->out, "**\n\n");
		} else {
			esc(d, text);
			sb_adds(d->out, "\n\n");
		}
	} else {
		if (cls)
			sb_addf(d->out, "<p class=\"%s\">", cls);
		else
			sb_adds(d->out, "<p>");
		esc(d, text);
		sb_adds(d->out, "</p>\n");
	}
}

static void doc_code(struct doc *d, const char *text)
{
	if (d->md) {
		sb_adds(d->out, "```sh\n");
		sb_adds(d->out, text); /* our own text only */
		sb_adds(d->out, "\n```\n\n");
	} else {
		sb_adds(d->out, "<pre><code>");
		esc(d, text);
		sb_adds(d->out, "</code></pre>\n");
	}
}

static void doc_table(struct doc *d, const char *align, const char *const *head)
{
	size_t n = strlen(align);
	d->ncols = n;
	d->align = align;
	if (d->md) {
		sb_adds(d->out, "|");
		for (size_t i = 0; i < n; i++) {
			sb_addch(d->out, ' ');
			esc(d, head[i]);
			sb_adds(d->out, " |");
		}
		sb_adds(d->out, "\n|");
		for (size_t i = 0; i < n; i++)
			sb_adds(d->out, align[i] == 'r' ? " ---: |" : " --- |");
		sb_addch(d->out, '\n');
	} else {
		sb_adds(d->out, "<table>\n<thead><tr>");
		for (size_t i = 0; i < n; i++) {
			sb_adds(d->out, align[i] == 'r' ? "<th class=\"num\">" : "<th>");
			esc(d, head[i]);
			sb_adds(d->out, "</th>");
		}
		sb_adds(d->out, "</tr></thead>\n<tbody>\n");
	}
}

static void doc_row(struct doc *d, const char *const *cells)
{
	if (d->md) {
		sb_adds(d->out, "|");
		for (size_t i = 0; i < d->ncols; i++) {
			sb_addch(d->out, ' ');
			esc(d, cells[i]);
			sb_adds(d->out, " |");
		}
		sb_addch(d->out, '\n');
	} else {
		sb_adds(d->out, "<tr>");
		for (size_t i = 0; i < d->ncols; i++) {
			sb_adds(d->out, d->align[i] == 'r' ? "<td class=\"num\">" : "<td>");
			esc(d, cells[i]);
			sb_adds(d->out, "</td>");
		}
		sb_adds(d->out, "</tr>\n");
	}
}

static void doc_table_end(struct doc *d)
{
	sb_adds(d->out, d->md ? "\n" : "</tbody>\n</table>\n");
}

/* Append the base64 (RFC 4648, padded) of p[0..n). No library the project uses has it. */
static void add_base64(struct strbuf *out, const unsigned char *p, size_t n)
{
	static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	sb_grow(out, (n + 2) / 3 * 4);
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)p[i] << 16 | (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0) | (i + 2 < n ? p[i + 2] : 0);
		sb_addch(out, abc[v >> 18 & 63]);
		sb_addch(out, abc[v >> 12 & 63]);
		sb_addch(out, i + 1 < n ? abc[v >> 6 & 63] : '=');
		sb_addch(out, i + 2 < n ? abc[v & 63] : '=');
	}
}

/*
 * The src of chart stem: with d->dir, the PNG itself as a data: URI (the
 * page is one file that can be mailed); else, or when the PNG cannot be
 * read, the file beside the page. phone: the small-screen rendering
 * X-phone.png, as a data: URI only (src stays empty without it), its size
 * in *w, *h.
 */
static void chart_src(struct doc *d, struct strbuf *src, const char *stem, int phone, unsigned *w, unsigned *h)
{
	struct strbuf path = STRBUF_INIT, png = STRBUF_INIT;
	unsigned char buf[16384];
	size_t n;
	FILE *f = NULL;
	if (d->dir) {
		sb_addf(&path, "%s/charts/%s%s.png", d->dir, stem, phone ? "-phone" : "");
		if (!phone || !pl_png_size(path.buf, w, h))
			f = fopen(path.buf, "rb");
	}
	if (f) {
		sb_init(&png, sizeof(buf));
		while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
			sb_add(&png, buf, n);
		if (ferror(f))
			sb_reset(&png);
		fclose(f);
	}
	if (png.len) {
		sb_adds(src, "data:image/png;base64,");
		add_base64(src, (const unsigned char *)png.buf, png.len);
	} else if (!phone) {
		sb_addf(src, "charts/%s.png", stem);
	}
	sb_release(&path);
	sb_release(&png);
}

/*
 * An image of a chart; src and alt are our own text. phone (HTML; NULL or
 * "": none) is the small-screen rendering, pw x ph pixels, which a
 * <picture> shows instead on a screen up to 600 CSS px wide, without
 * JavaScript.
 */
static void doc_figure(struct doc *d, const char *src, const char *phone, unsigned pw, unsigned ph, const char *title,
		       const char *alt)
{
	if (d->md) {
		sb_adds(d->out, "![");
		esc(d, alt);
		sb_addf(d->out, "](%s)\n\n", src);
	} else {
		sb_adds(d->out, "<figure>");
		if (phone && *phone)
			sb_addf(d->out, "<picture><source media=\"(max-width: 600px)\" srcset=\"%s\" width=\"%u\" height=\"%u\">",
				phone, pw, ph);
		sb_addf(d->out, "<img src=\"%s\" width=\"%d\" height=\"%d\" alt=\"", src, PL_WIDTH, PL_HEIGHT);
		esc(d, alt);
		sb_adds(d->out, phone && *phone ? "\"></picture><figcaption>" : "\"><figcaption>");
		esc(d, title);
		sb_adds(d->out, "</figcaption></figure>\n");
	}
}

/* The headline: a big number, the words after it, and the line under it. */
static void doc_big(struct doc *d, const char *num, const char *words, const char *line)
{
	if (d->md) {
		sb_adds(d->out, "## ");
		if (*num) {
			esc(d, num);
			sb_addch(d->out, ' ');
		}
		esc(d, words);
		sb_adds(d->out, "\n\n");
	} else {
		sb_adds(d->out, "<p class=\"big\">");
		if (*num) {
			sb_adds(d->out, "<strong>");
			esc(d, num);
			sb_adds(d->out, "</strong> ");
		}
		esc(d, words);
		sb_adds(d->out, "</p>\n");
	}
	if (*line)
		doc_p(d, line, "under");
}

/* A bulleted list; items are plain text. */
static void doc_list(struct doc *d, const struct strbuf *items, size_t n)
{
	if (!n)
		return;
	if (!d->md)
		sb_adds(d->out, "<ul class=\"glance\">\n");
	for (size_t i = 0; i < n; i++) {
		sb_adds(d->out, d->md ? "- " : "<li>");
		esc(d, items[i].buf);
		sb_adds(d->out, d->md ? "\n" : "</li>\n");
	}
	sb_adds(d->out, d->md ? "\n" : "</ul>\n");
}

/* A list of links to files beside the report (our own names). */
static void doc_files(struct doc *d, const char *const *names, size_t n)
{
	if (d->md) {
		sb_adds(d->out, _("Files:"));
		for (size_t i = 0; i < n; i++)
			sb_addf(d->out, " [%s](%s)%s", names[i], names[i], i + 1 < n ? " ·" : "");
		sb_adds(d->out, "\n\n");
	} else {
		sb_adds(d->out, "<p class=\"files\">");
		esc(d, _("Files:"));
		for (size_t i = 0; i < n; i++)
			sb_addf(d->out, " <a href=\"%s\">%s</a>%s", names[i], names[i], i + 1 < n ? " ·" : "");
		sb_adds(d->out, "</p>\n");
	}
}

/* ---- the report's content ------------------------------------------- */

#define TOP_N 15
#define UNRESOLVED_SHOWN 50

struct cells {
	struct strbuf c[6];
	const char *p[6];
};

static void cells_init(struct cells *c)
{
	for (size_t i = 0; i < ARRAY_SIZE(c->c); i++)
		sb_init(&c->c[i], 32);
}

static void cells_reset(struct cells *c)
{
	for (size_t i = 0; i < ARRAY_SIZE(c->c); i++)
		sb_reset(&c->c[i]);
}

static const char *const *cells_ptrs(struct cells *c)
{
	for (size_t i = 0; i < ARRAY_SIZE(c->c); i++)
		c->p[i] = c->c[i].buf;
	return c->p;
}

static void cells_release(struct cells *c)
{
	for (size_t i = 0; i < ARRAY_SIZE(c->c); i++)
		sb_release(&c->c[i]);
}

/* "Plymouth, Wisconsin, United States" */
static void place_full_name(struct strbuf *t, const struct gc_place *p)
{
	sb_adds(t, nz(place_name(p)));
	if (gc_level_is_point(p->level) && p->admin1 && *p->admin1) {
		sb_adds(t, ", ");
		sb_adds(t, i18n_admin1(p->cc, p->admin1_code, p->admin1));
	}
	if (p->level != GC_LEVEL_COUNTRY && p->country && *p->country) {
		sb_adds(t, ", ");
		sb_adds(t, i18n_country(p->cc, p->country));
	}
}

static void home_description(struct strbuf *t, const struct an_result *r)
{
	const struct an_home *h = &r->home;
	struct strbuf place = STRBUF_INIT;
	struct num a;
	if (h->place.name && *h->place.name)
		place_full_name(&place, &h->place);
	else
		sb_adds(&place, home_name(r));
	if (h->inferred)
		sb_addf(t, _("Home: %s (inferred: the place where most of your connections live; set it with --home)."),
			place.buf);
	else if (h->query && *h->query)
		sb_addf(t, _("Home: %1$s (from \"%2$s\")."), place.buf, h->query);
	else
		sb_addf(t, _("Home: %s."), place.buf);
	sb_addf(t, _(" \"Home town\" means within %s of it."), km_text(&a, r->radius_km));
	sb_release(&place);
}

/* The other places home could be (an_home.alt), as one sentence; nothing when there are none. */
static void home_alternatives(struct strbuf *t, const struct an_result *r)
{
	const struct an_home *h = &r->home;
	struct strbuf list = STRBUF_INIT, run = STRBUF_INIT;
	struct num a;
	if (!h->nr_alts)
		return;
	for (size_t i = 0; i < h->nr_alts; i++) {
		const struct st_place *p = &r->places[h->alt[i]];
		struct strbuf name = STRBUF_INIT;
		if (i)
			sb_adds(&list, i + 1 == h->nr_alts ? _(" and ") : ", ");
		place_full_name(&name, &p->place);
		sb_addf(&list, ngettext("%1$s (%2$s connection)", "%1$s (%2$s connections)", p->count), name.buf,
			cnt(&a, p->count));
		sb_release(&name);
	}
	{
		const struct gc_place *p = &r->places[h->alt[0]].place;
		const char *in = p->admin1 && *p->admin1 ? i18n_admin1(p->cc, p->admin1_code, p->admin1)
							 : nz(i18n_country(p->cc, p->country));
		sb_adds(&run, nz(place_name(p)));
		if (*in) {
			sb_adds(&run, ", ");
			sb_adds(&run, in);
		}
	}
	if (h->inferred)
		sb_addf(t, ngettext("As many connections live in %1$s. If one of them is your home, run again with --home, "
				    "e.g. --home \"%2$s\".",
				    "As many connections live in each of %1$s. If one of them is your home, run again with "
				    "--home, e.g. --home \"%2$s\".", h->nr_alts),
			list.buf, run.buf);
	else
		sb_addf(t, _("Did you mean another %1$s? Your export also has %2$s. To measure from there, run again with "
			     "--home \"%3$s\"."), home_name(r), list.buf, run.buf);
	sb_release(&list);
	sb_release(&run);
}

static void reach_label(struct strbuf *t, const struct an_result *r, int band)
{
	struct num a;
	st_reach_label(t, band, ST_LABEL_TEXT, km_text(&a, r->radius_km), home_name(r), &r->home.place);
}

/* What the share of a reach ring is of: "1,799 placed in a town" */
static void reach_base(struct strbuf *t, const struct an_result *r, int band)
{
	const struct st_band *x = &r->summary.reach[band];
	struct num a;
	cnt(&a, x->base);
	switch (band) {
	case ST_REACH_HOME:
	case ST_REACH_BEYOND_HOME:
	case ST_REACH_BEYOND_161KM:
		sb_addf(t, _("%s placed in a town"), a.s);
		break;
	case ST_REACH_OUTSIDE_ADMIN1:
		sb_addf(t, _("%s whose state is known"), a.s);
		break;
	case ST_REACH_OUTSIDE_COUNTRY:
		sb_addf(t, _("%s placed"), a.s);
		break;
	default:
		sb_addf(t, _("%s placed on a continent"), a.s);
	}
}

/* Plain words first: distances, abroad, how many countries and states. */
static void section_glance(struct doc *d, const struct an_result *r)
{
	const struct st_summary *s = &r->summary;
	struct strbuf it[4], x = STRBUF_INIT, y = STRBUF_INIT, z = STRBUF_INIT;
	struct num a, b, c;
	size_t n = 0;
	if (!r->resolved)
		return;
	for (size_t i = 0; i < ARRAY_SIZE(it); i++)
		sb_init(&it[i], 64);
	if (s->located) {
		sb_addf(&it[n++], _("Half live within %1$s of %2$s; nine in ten within %3$s."),
			km_plain_text(&a, s->dist_km.median), home_name(r), km_plain_text(&b, s->dist_km.p90));
		sb_addf(&it[n++], _("%1$s live in the home town (within %2$s), %3$s more than 161 km (100 miles) away."),
			pct(&a, s->reach[ST_REACH_HOME].share), km_text(&b, r->radius_km),
			pct(&c, s->reach[ST_REACH_BEYOND_161KM].share));
	}
	sb_addf(&it[n++], _("%1$s live abroad (outside %2$s)."), pct(&a, s->reach[ST_REACH_OUTSIDE_COUNTRY].share),
		home_country(r));
	add_countries(&x, s->distinct.countries);
	sb_addf(&y, ngettext("%s state or region", "%s states or regions", s->distinct.admin1), cnt(&a, s->distinct.admin1));
	sb_addf(&z, ngettext("%s town or city", "%s towns and cities", s->distinct.cities), cnt(&b, s->distinct.cities));
	sb_addf(&it[n++], _("They live in %1$s, %2$s and %3$s."), x.buf, y.buf, z.buf);
	doc_h(d, 2, _("At a glance"), "glance");
	doc_list(d, it, n);
	for (size_t i = 0; i < ARRAY_SIZE(it); i++)
		sb_release(&it[i]);
	sb_release(&x);
	sb_release(&y);
	sb_release(&z);
}

static void section_summary(struct doc *d, const struct an_result *r, struct cells *c)
{
	const struct st_summary *s = &r->summary;
	const char *const head[] = { _("Where"), _("Connections"), _("Out of"), _("Share") };
	struct strbuf t = STRBUF_INIT;
	struct num a, b;
	if (!r->resolved)
		return;
	doc_h(d, 2, _("How far they live"), "summary");
	doc_table(d, "lrrr", head);
	for (int i = 0; i < ST_REACH_COUNT; i++) {
		if (!s->located && i <= ST_REACH_BEYOND_161KM)
			continue;
		cells_reset(c);
		reach_label(&c->c[0], r, i);
		add_count(&c->c[1], s->reach[i].count);
		reach_base(&c->c[2], r, i);
		add_pct1(&c->c[3], s->reach[i].share);
		doc_row(d, cells_ptrs(c));
	}
	doc_table_end(d);
	sb_addf(&t, _("Each share is of the connections that can say: distances need a town, so the first rows count the "
		      "%s placed in a town or city. "), cnt(&a, s->located));
	if (s->located < r->resolved) {
		unsigned long more = r->resolved - s->located;
		sb_addf(&t, ngettext("%s more is placed only in a state or country; they count in the rows that level decides. ",
				     "%s more are placed only in a state or country; they count in the rows that level decides. ",
				     more), cnt(&a, more));
	}
	sb_addf(&t, _("Of all %1$s rows of the export, %2$s could be placed (see \"Every row accounted for\")."),
		cnt(&a, r->rows), cnt(&b, r->resolved));
	doc_p(d, t.buf, "note");
	sb_release(&t);
}

/* The measures for the curious, each with one line saying what it means. */
static void section_curious(struct doc *d, const struct an_result *r, struct cells *c)
{
	const struct st_summary *s = &r->summary;
	const char *const head[] = { _("Measure"), _("Value"), _("What it means") };
	if (!r->resolved)
		return;
	doc_h(d, 2, _("For the curious"), "curious");
	doc_table(d, "lrl", head);
#define ROW3(label, meaning, ...) do { cells_reset(c); sb_adds(&c->c[0], _(label)); __VA_ARGS__; \
	sb_adds(&c->c[2], _(meaning)); doc_row(d, cells_ptrs(c)); } while (0)
	if (s->located) {
		ROW3(N_("Median distance"), N_("half of those placed in a town live closer than this, half farther"),
		     add_km(&c->c[1], s->dist_km.median));
		ROW3(N_("Middle half"), N_("a quarter live closer than the first figure, a quarter farther than the second"),
		     add_km(&c->c[1], s->dist_km.p25); sb_adds(&c->c[1], " – "); add_km(&c->c[1], s->dist_km.p75));
		ROW3(N_("Mean distance"), N_("the average; a few far connections pull it up"),
		     add_km(&c->c[1], s->dist_km.mean));
		ROW3(N_("Farthest"), N_("the connection farthest from home"), add_km(&c->c[1], s->dist_km.max));
		ROW3(N_("Radius of gyration"), N_("the root mean square distance from home: how spread out the network is, "
			 "weighing far places more"), add_km(&c->c[1], s->rog_home_km));
	}
	ROW3(N_("Effective number of countries"), N_("exp(Shannon entropy) of the country shares: how many equally large "
		 "countries would be as diverse"), i18n_fixed(&c->c[1], round_to(s->countries_effective, 2), 2));
	ROW3(N_("Effective number of regions"), N_("the same for states and regions"),
	     i18n_fixed(&c->c[1], round_to(s->admin1_effective, 2), 2));
	if (s->located)
		ROW3(N_("Footprint"), N_("the area within 50 km of any town where a connection lives"),
		     add_count(&c->c[1], (unsigned long long)llround(s->footprint.union_km2)); sb_adds(&c->c[1], " km²"));
	ROW3(N_("Distinct places"), N_("towns, cities, and states or countries named without a town"),
	     add_count(&c->c[1], r->nr_places));
	ROW3(N_("Continents"), N_("continents with at least one connection"), add_count(&c->c[1], s->distinct.continents));
#undef ROW3
	doc_table_end(d);
}

struct chart {
	const char *stem, *title, *alt;
};

static const struct chart analyze_charts[] = {
#define PL_ENTRY(stem, title, alt) { stem, title, alt },
	PL_CHARTS(PL_ENTRY)
#undef PL_ENTRY
};

static const struct chart compare_charts[] = {
#define PL_ENTRY(stem, title, alt) { stem, title, alt },
	PL_COMPARE_CHARTS(PL_ENTRY)
#undef PL_ENTRY
};

static void section_charts(struct doc *d, const struct rp_options *o, const struct chart *charts, size_t n)
{
	struct strbuf src = STRBUF_INIT, phone = STRBUF_INIT;
	doc_h(d, 2, _("Charts"), "charts");
	if (!o->rendered) {
		doc_p(d, _("The charts were not rendered (gnuplot was not found or --no-render was given). "
			   "Their scripts and data are in charts/; to render them, install gnuplot and run:"), NULL);
		doc_code(d, "cd charts && for f in *.gp; do gnuplot -d \"$f\"; done");
		doc_p(d, _("then reload this page."), NULL);
	}
	for (size_t i = 0; i < n; i++) {
		unsigned w = 0, h = 0;
		sb_reset(&src);
		sb_reset(&phone);
		if (d->md) {
			sb_addf(&src, "charts/%s.png", charts[i].stem); /* report.md: the laptop's PNGs */
		} else {
			chart_src(d, &src, charts[i].stem, 0, &w, &h);
			chart_src(d, &phone, charts[i].stem, 1, &w, &h);
		}
		doc_figure(d, src.buf, phone.buf, w, h, _(charts[i].title), _(charts[i].alt));
	}
	sb_release(&src);
	sb_release(&phone);
}

/* "and N more in FILE." under a cut table. */
static void doc_more(struct doc *d, size_t more, const char *file)
{
	struct strbuf t = STRBUF_INIT;
	struct num a;
	sb_addf(&t, _("and %1$s more in %2$s."), cnt(&a, more), file);
	doc_p(d, t.buf, "note");
	sb_release(&t);
}

/* A continent's name in the report's language (the names of st_continent_name are marked N_). */
static const char *continent_text(const char *name)
{
	return name && *name ? _(name) : "";
}

static void items_table(struct doc *d, struct cells *c, const char *title, const char *id,
			const char *what, const struct st_item *it, size_t n, int with_cc, int with_continent)
{
	const char *const head_cc[] = { "#", "", _("Country"), _("Connections"), _("Share") };
	const char *const head[] = { "#", "", _("Connections"), _("Share") };
	const char *h[5];
	size_t shown = n < TOP_N ? n : TOP_N;
	if (!n)
		return;
	doc_h(d, 3, title, id);
	memcpy(h, with_cc ? head_cc : head, (with_cc ? 5 : 4) * sizeof(*h));
	h[1] = what;
	doc_table(d, with_cc ? "rllrr" : "rlrr", h);
	for (size_t i = 0; i < shown; i++) {
		size_t k = 0;
		cells_reset(c);
		sb_addf(&c->c[k++], "%zu", i + 1);
		/* countries and admin-1 regions in the report's language (a --regions code names none) */
		sb_adds(&c->c[k++], with_continent ? continent_text(it[i].name) : nz(i18n_area(it[i].code, it[i].name)));
		if (with_cc)
			sb_adds(&c->c[k++], nz(it[i].cc));
		add_count(&c->c[k++], it[i].count);
		add_pct1(&c->c[k++], it[i].share);
		doc_row(d, cells_ptrs(c));
	}
	doc_table_end(d);
	if (n > shown)
		doc_more(d, n - shown, "summary.json");
}

static void section_lists(struct doc *d, const struct an_result *r, struct cells *c)
{
	const struct st_summary *s = &r->summary;
	const char *const head[] = { "#", _("Place"), _("Region"), _("Country"), _("Connections"), _("Distance") };
	size_t shown = r->nr_places < TOP_N ? r->nr_places : TOP_N;
	doc_h(d, 2, _("Where they live"), "where");
	if (!r->resolved) {
		doc_p(d, _("No connection could be placed."), NULL);
		return;
	}
	items_table(d, c, _("Countries"), "countries", _("Country"), s->countries, s->nr_countries, 0, 0);
	items_table(d, c, _("States and regions"), "admin1", _("Region"), s->admin1, s->nr_admin1, 1, 0);
	items_table(d, c, _("Continents"), "continents", _("Continent"), s->continents, s->nr_continents, 0, 1);
	items_table(d, c, _("Your regions"), "regions", _("Region"), s->regions, s->nr_regions, 0, 0);
	doc_h(d, 3, _("Places"), "places");
	doc_table(d, "rlllrr", head);
	for (size_t i = 0; i < shown; i++) {
		const struct st_place *p = &r->places[i];
		cells_reset(c);
		sb_addf(&c->c[0], "%zu", i + 1);
		sb_adds(&c->c[1], nz(place_name(&p->place)));
		sb_adds(&c->c[2], nz(i18n_admin1(p->place.cc, p->place.admin1_code, p->place.admin1)));
		sb_adds(&c->c[3], nz(i18n_country(p->place.cc, p->place.country)));
		add_count(&c->c[4], p->count);
		if (gc_level_is_point(p->place.level))
			add_km(&c->c[5], p->dist_km);
		else /* a state or country has no distance: its point is only a stand-in */
			sb_adds(&c->c[5], p->place.level == GC_LEVEL_COUNTRY ? _("whole country") : _("whole state"));
		doc_row(d, cells_ptrs(c));
	}
	doc_table_end(d);
	if (r->nr_places > shown) {
		struct strbuf t = STRBUF_INIT;
		struct num a;
		sb_addf(&t, _("A place named only as a state or country has no distance (\"whole state\", \"whole country\"). "
			      "All %s places are in places.csv."), cnt(&a, r->nr_places));
		doc_p(d, t.buf, "note");
		sb_release(&t);
	}
}

static void section_rows(struct doc *d, const struct an_result *r, struct cells *c, const struct rp_options *o)
{
	const char *const head[] = { _("Rows"), _("Count"), _("Share") };
	const char *const head_in[] = { _("File"), _("Format"), _("Encoding"), _("Records"), _("With a location"),
					_("Skipped") };
	const char *const head_un[] = { _("Location as written"), _("Connections"), _("Why") };
	const char *labels[] = {
		_("Placed on the map"), _("Location not recognised"), _("No location"),
		_("Skipped (unreadable or duplicate)"),
	};
	unsigned long counts[] = { r->resolved, r->unresolved, r->no_location, r->skipped };
	struct num a, b;
	doc_h(d, 2, _("Every row accounted for"), "rows");
	doc_table(d, "lrr", head);
	for (size_t i = 0; i < ARRAY_SIZE(counts); i++) {
		cells_reset(c);
		sb_adds(&c->c[0], labels[i]);
		add_count(&c->c[1], counts[i]);
		add_pct1(&c->c[2], share_of(counts[i], r->rows));
		doc_row(d, cells_ptrs(c));
	}
	cells_reset(c);
	sb_adds(&c->c[0], _("Rows read"));
	add_count(&c->c[1], r->rows);
	add_pct1(&c->c[2], r->rows ? 1.0 : 0.0);
	doc_row(d, cells_ptrs(c));
	doc_table_end(d);
	if (r->duplicates) {
		struct strbuf t = STRBUF_INIT;
		sb_addf(&t, ngettext("%s of the skipped rows repeat a profile already seen in another export.",
				     "%s of the skipped rows repeat a profile already seen in another export.", r->duplicates),
			cnt(&a, r->duplicates));
		doc_p(d, t.buf, "note");
		sb_release(&t);
	}
	if (r->empty_rows) {
		struct strbuf t = STRBUF_INIT;
		sb_addf(&t, ngettext("%s of the skipped rows is an empty row from LinkedIn (nothing but a date: connections "
				     "LinkedIn no longer shows); they are not counted as connections.",
				     "%s of the skipped rows are empty rows from LinkedIn (nothing but a date: connections "
				     "LinkedIn no longer shows); they are not counted as connections.", r->empty_rows),
			cnt(&a, r->empty_rows));
		doc_p(d, t.buf, "note");
		sb_release(&t);
	}
	for (size_t i = 0; i < r->nr_inputs; i++) {
		const struct ing_info *in = &r->inputs[i];
		struct strbuf t = STRBUF_INIT;
		if (!in->recoded_rows)
			continue;
		/* the example is the same in every language (and keeps the messages ASCII) */
		if (!strcmp(nz(in->encoding), "windows-1252"))
			sb_addf(&t, ngettext("%1$s row of %2$s (a Windows-1252 export) held UTF-8; it was read as UTF-8, "
					     "e.g. %3$s, not %4$s.",
					     "%1$s rows of %2$s (a Windows-1252 export) held UTF-8; they were read as UTF-8, "
					     "e.g. %3$s, not %4$s.", in->recoded_rows),
				cnt(&a, in->recoded_rows), basename_of(in->path), "\xe2\x80\x9cK\xc3\xb6ln\xe2\x80\x9d",
				"\xe2\x80\x9cK\xc3\x83\xc2\xb6ln\xe2\x80\x9d");
		else
			sb_addf(&t, ngettext("%1$s row of %2$s held bytes that are not UTF-8; they were read as Windows-1252 "
					     "(as Excel writes), e.g. %3$s, not %4$s.",
					     "%1$s rows of %2$s held bytes that are not UTF-8; they were read as Windows-1252 "
					     "(as Excel writes), e.g. %3$s, not %4$s.", in->recoded_rows),
				cnt(&a, in->recoded_rows), basename_of(in->path), "\xe2\x80\x9cK\xc3\xb6ln\xe2\x80\x9d",
				"\xe2\x80\x9cK\xef\xbf\xbdln\xe2\x80\x9d");
		doc_p(d, t.buf, "note");
		sb_release(&t);
	}
	if (r->nr_inputs > 1) {
		doc_table(d, "lllrrr", head_in);
		for (size_t i = 0; i < r->nr_inputs; i++) {
			const struct ing_info *in = &r->inputs[i];
			cells_reset(c);
			sb_adds(&c->c[0], basename_of(in->path));
			sb_adds(&c->c[1], nz(in->format));
			sb_adds(&c->c[2], nz(in->encoding));
			add_count(&c->c[3], in->records);
			add_count(&c->c[4], in->ok);
			add_count(&c->c[5], in->skipped);
			doc_row(d, cells_ptrs(c));
		}
		doc_table_end(d);
	}
	if (r->nr_unresolved_list) {
		const struct an_unresolved **v = sorted_unresolved(r);
		size_t shown = r->nr_unresolved_list < UNRESOLVED_SHOWN ? r->nr_unresolved_list : UNRESOLVED_SHOWN;
		struct strbuf t = STRBUF_INIT;
		doc_h(d, 3, _("Locations netreach could not place"), "unresolved");
		doc_p(d, _("Biggest first: fixing the top few (a typo, a nickname, a missing country) places the most "
			   "connections. Correct them in the export, or set them with --locations."), NULL);
		doc_table(d, "lrl", head_un);
		for (size_t i = 0; i < shown; i++) {
			cells_reset(c);
			sb_adds(&c->c[0], unresolved_text(v[i], o));
			add_count(&c->c[1], v[i]->count);
			/* the reasons are literals marked N_ in geocode.c and analyze.c; unresolved.csv keeps them in English */
			sb_adds(&c->c[2], v[i]->reason && *v[i]->reason ? _(v[i]->reason) : "");
			doc_row(d, cells_ptrs(c));
		}
		doc_table_end(d);
		sb_addf(&t, ngettext("All %s location is in unresolved.csv.", "All %s distinct locations are in unresolved.csv.",
				     r->nr_unresolved_list), cnt(&a, r->nr_unresolved_list));
		doc_p(d, t.buf, "note");
		sb_release(&t);
		free(v);
	}
	if (r->skipped) {
		struct strbuf t = STRBUF_INIT;
		if (r->nr_skipped_list >= r->skipped)
			sb_addf(&t, ngettext("%s record was skipped; skipped.csv lists each with its file, line and reason.",
					     "%s records were skipped; skipped.csv lists each with its file, line and reason.",
					     r->skipped), cnt(&a, r->skipped));
		else
			sb_addf(&t, ngettext("%1$s record was skipped; skipped.csv lists the first %2$s with their file, line "
					     "and reason.",
					     "%1$s records were skipped; skipped.csv lists the first %2$s with their file, line "
					     "and reason.", r->skipped), cnt(&a, r->skipped), cnt(&b, r->nr_skipped_list));
		doc_p(d, t.buf, "note");
		sb_release(&t);
	}
}

static void footer(struct doc *d, const struct rp_options *o)
{
	struct strbuf t = STRBUF_INIT;
	sb_addf(&t, _("Made with netreach %s. Places: GeoNames (geonames.org), CC BY 4.0. "
		      "Outlines: Made with Natural Earth."), NR_VERSION);
	if (o->timestamp) {
		struct strbuf ts = STRBUF_INIT;
		add_timestamp(&ts);
		sb_addf(&t, _(" Generated %s."), ts.buf);
		sb_release(&ts);
	}
	if (d->md) {
		sb_adds(d->out, "---\n\n");
		doc_p(d, t.buf, NULL);
	} else {
		sb_adds(d->out, "<footer>");
		esc(d, t.buf);
		sb_adds(d->out, "</footer>\n");
	}
	sb_release(&t);
}

static const char css[] =
	"body{margin:0;background:#f6f6f4;color:#1d1d1b;font:16px/1.5 \"DejaVu Sans\",system-ui,sans-serif}"
	"main{max-width:1000px;margin:0 auto;padding:24px 20px 48px;background:#fff}"
	"h1{font-size:20px;margin:8px 0 4px;color:#555;font-weight:normal}"
	"h2{font-size:22px;margin:36px 0 8px;border-bottom:2px solid #2b6ca3}"
	"h3{font-size:18px;margin:24px 0 6px}"
	".big{font-size:30px;line-height:1.2;margin:16px 0 4px;font-weight:bold}"
	".big strong{display:block;font-size:76px;line-height:1;color:#1f4e79}"
	".under{font-size:18px;color:#333;margin:4px 0 16px}"
	".lead{font-size:22px;line-height:1.35;margin:12px 0}"
	".warn{background:#fff4d6;border-left:4px solid #d89b00;padding:8px 12px}"
	".glance li{margin:4px 0;font-size:18px}"
	".note,.files,footer{color:#555;font-size:14px}"
	"table{border-collapse:collapse;margin:8px 0;min-width:50%}"
	"th,td{padding:4px 10px;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}"
	"th{background:#eef3f8}.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}"
	"figure{margin:16px 0}img{max-width:100%;height:auto;border:1px solid #ddd}"
	"figcaption{color:#555;font-size:14px}pre{background:#f0f0f0;padding:8px;overflow-x:auto}"
	"footer{margin-top:40px;border-top:1px solid #ddd;padding-top:8px}"
	"td{overflow-wrap:anywhere}"
	"@media (max-width:600px){main{padding:12px 10px 32px}.big{font-size:24px}.big strong{font-size:60px}"
	"th,td{padding:3px 5px}table{font-size:14px;min-width:0}.num{white-space:normal}}";

/* The page's head (HTML) and its h1; title is our own text. */
/* How to add locations to an export without them (our own text: the commands name no input). */
static void section_add_locations(struct doc *d)
{
	doc_h(d, 2, _("How to add locations"), "add-locations");
	doc_p(d, _("LinkedIn exports (Connections.csv) never carry a location, so this report shows what the export "
		   "does hold: companies and when you connected. To see how far your network reaches, write a "
		   "template with one row per connection (profile URL, name, company and an empty Location "
		   "column), fill in the Location column in a spreadsheet (a town and country, e.g. "
		   "\"Sheboygan, WI\" or \"Lyon, France\"), and analyze again with it:"), NULL);
	doc_code(d, "netreach template Connections.csv > locations.csv\n"
		    "netreach analyze Connections.csv --locations locations.csv");
}

static void section_companies(struct doc *d, const struct an_result *r, struct cells *c)
{
	const char *const head[] = { _("Company"), _("Connections"), _("Share") };
	const char *const head_t[] = { _("Target"), _("Connections there") };
	struct strbuf t = STRBUF_INIT, x = STRBUF_INIT;
	struct num a, b;
	size_t shown = r->nr_companies < COMPANIES_SHOWN ? r->nr_companies : COMPANIES_SHOWN;
	doc_h(d, 2, _("Companies"), "companies");
	if (!r->with_company) {
		doc_p(d, _("No connection names a company."), NULL);
	} else {
		sb_addf(&x, ngettext("%s distinct employer", "%s distinct employers", r->nr_companies),
			cnt(&a, r->nr_companies));
		sb_addf(&t, ngettext("%1$s connection names a company: %2$s", "%1$s connections name a company: %2$s",
				     r->with_company), cnt(&b, r->with_company), x.buf);
		if (r->companies_unlisted)
			sb_addf(&t, ngettext(", and %s connections at employers past the first ones, not listed by name",
					     ", and %s connections at employers past the first ones, not listed by name",
					     r->companies_unlisted), cnt(&a, r->companies_unlisted));
		sb_addf(&t, _(". The top %s (spellings that differ only in case, accents, punctuation or a leading \"The\" "
			      "count as one):"), cnt(&a, shown));
		doc_p(d, t.buf, NULL);
		doc_table(d, "lrr", head);
		for (size_t i = 0; i < shown; i++) {
			cells_reset(c);
			sb_adds(&c->c[0], r->companies[i].name);
			add_count(&c->c[1], r->companies[i].count);
			add_pct1(&c->c[2], share_of(r->companies[i].count, r->with_company));
			doc_row(d, cells_ptrs(c));
		}
		doc_table_end(d);
	}
	if (r->nr_targets) {
		struct strbuf y = STRBUF_INIT;
		size_t open = doors_open(r);
		sb_reset(&t);
		doc_h(d, 3, _("A foot in the door"), "targets");
		sb_addf(&y, ngettext("%s has", "%s have", open), cnt(&b, open));
		sb_addf(&t, ngettext("Of the %1$s company or publication in --targets, %2$s at least one of your connections "
				     "working there.",
				     "Of the %1$s companies and publications in --targets, %2$s at least one of your "
				     "connections working there.", r->nr_targets), cnt(&a, r->nr_targets), y.buf);
		sb_release(&y);
		doc_p(d, t.buf, NULL);
		doc_table(d, "lr", head_t);
		for (size_t i = 0; i < r->nr_targets; i++) {
			cells_reset(c);
			sb_adds(&c->c[0], r->targets[i].name);
			add_count(&c->c[1], r->targets[i].count);
			doc_row(d, cells_ptrs(c));
		}
		doc_table_end(d);
	}
	sb_release(&t);
	sb_release(&x);
}

/* Growth: connections per year of Connected On, with the running total. */
static void section_connected(struct doc *d, const struct an_result *r, struct cells *c)
{
	const char *const head[] = { _("Year"), _("Connected"), _("Total so far") };
	struct strbuf t = STRBUF_INIT, m1 = STRBUF_INIT, m2 = STRBUF_INIT;
	struct num a;
	unsigned long total = 0;
	doc_h(d, 2, _("Connections over time"), "connected");
	if (!r->nr_connected) {
		doc_p(d, _("The export has no dates of connection."), NULL);
		return;
	}
	i18n_month_year(&m1, r->connected[0].month);
	i18n_month_year(&m2, r->connected[r->nr_connected - 1].month);
	sb_addf(&t, ngettext("%1$s connection has a date, %2$s to %3$s (per month in summary.json, \"connected\").",
			     "%1$s connections have a date, from %2$s to %3$s (per month in summary.json, \"connected\").",
			     r->dated), cnt(&a, r->dated), m1.buf, m2.buf);
	doc_p(d, t.buf, NULL);
	doc_table(d, "rrr", head);
	for (size_t i = 0; i < r->nr_connected;) {
		int year = r->connected[i].month / 12;
		unsigned long n = 0;
		for (; i < r->nr_connected && r->connected[i].month / 12 == year; i++)
			n += r->connected[i].count;
		total += n;
		cells_reset(c);
		sb_addf(&c->c[0], "%d", year);
		add_count(&c->c[1], n);
		add_count(&c->c[2], total);
		doc_row(d, cells_ptrs(c));
	}
	doc_table_end(d);
	sb_release(&t);
	sb_release(&m1);
	sb_release(&m2);
}

static void doc_begin(struct doc *d, const char *title)
{
	if (!d->md) {
		sb_adds(d->out, "<!DOCTYPE html>\n<html lang=\"");
		/* TRANSLATORS: the language code of the HTML page (lang attribute) */
		esc(d, P_("html lang", "en"));
		sb_adds(d->out, "\">\n<head>\n<meta charset=\"utf-8\">\n"
				"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src ");
		/* embedded charts need only data:; charts still to be rendered are files beside the page */
		sb_adds(d->out, d->dir ? "data:" : "'self' file:");
		sb_adds(d->out, "; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'\">\n"
				"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
				"<meta name=\"robots\" content=\"noindex\">\n<title>");
		esc(d, title);
		sb_adds(d->out, " — netreach</title>\n<style>");
		sb_adds(d->out, css);
		sb_adds(d->out, "</style>\n</head>\n<body>\n<main>\n");
	}
	doc_h(d, 1, title, NULL);
}

/* The footer and the end of the page. */
static void doc_end(struct doc *d, const struct rp_options *o)
{
	footer(d, o);
	if (!d->md)
		sb_adds(d->out, "</main>\n</body>\n</html>\n");
}

static void document(struct strbuf *out, int md, const struct an_result *r, const struct rp_options *o,
		     const char *dir)
{
	static const char *const files[] = {
		"summary.json", "places.csv", "unresolved.csv", "skipped.csv", "report.md", "charts/",
	};
	struct doc d = { out, md, 0, NULL, o->rendered && !md ? dir : NULL };
	struct strbuf t = STRBUF_INIT;
	struct cells c;
	cells_init(&c);
	doc_begin(&d, _("How far your network reaches"));
	{
		struct strbuf num, words;
		sb_init(&num, 16);
		sb_init(&words, 64);
		sb_init(&t, 128);
		headline_parts(r, &num, &words);
		rp_headline_base(&t, r);
		doc_big(&d, num.buf, words.buf, t.buf);
		sb_release(&num);
		sb_release(&words);
	}
	sb_reset(&t);
	if (r->no_place_column) {
		/* LinkedIn's own export: what it holds, and how to add what it lacks */
		section_add_locations(&d);
		doc_files(&d, files, ARRAY_SIZE(files));
		section_companies(&d, r, &c);
		section_connected(&d, r, &c);
		section_rows(&d, r, &c, o);
		doc_end(&d, o);
		cells_release(&c);
		sb_release(&t);
		return;
	}
	home_description(&t, r);
	doc_p(&d, t.buf, NULL);
	sb_reset(&t);
	home_alternatives(&t, r);
	if (t.len)
		doc_p(&d, t.buf, "warn");
	section_glance(&d, r);
	section_summary(&d, r, &c);
	section_charts(&d, o, analyze_charts, ARRAY_SIZE(analyze_charts));
	section_lists(&d, r, &c);
	section_curious(&d, r, &c);
	if (r->with_company || r->nr_targets)
		section_companies(&d, r, &c);
	section_rows(&d, r, &c, o);
	doc_files(&d, files, ARRAY_SIZE(files));
	doc_end(&d, o);
	cells_release(&c);
	sb_release(&t);
}

/* The JSON document, dumped with RP_JSON_FLAGS and a final newline, into dir/name. */
static int write_json(const char *dir, const char *name, json_t *j, const struct rp_options *o, struct strbuf *err)
{
	struct strbuf sb = STRBUF_INIT;
	char *text;
	int st;
	if (o->timestamp) {
		add_timestamp(&sb);
		json_object_set_new(j, "generated_at", json_string(sb.buf));
		sb_reset(&sb);
	}
	text = json_dumps(j, RP_JSON_FLAGS);
	if (!text) {
		sb_addf(err, "cannot encode %s", name);
		sb_release(&sb);
		return NR_EX_SOFTWARE;
	}
	sb_adds(&sb, text);
	sb_addch(&sb, '\n');
	free(text);
	st = write_file(dir, name, &sb, err);
	sb_release(&sb);
	return st;
}

int rp_write(const struct an_result *r, const char *dir, const struct rp_options *o, struct strbuf *err)
{
	struct strbuf sb = STRBUF_INIT;
	json_t *j = rp_summary_json(r);
	int st = write_json(dir, "summary.json", j, o, err);

	json_decref(j);


	if (!st) {
		sb_reset(&sb);
		places_csv(&sb, r);
		st = write_file(dir, "places.csv", &sb, err);
	}
	if (!st) {
		sb_reset(&sb);
		unresolved_csv(&sb, r, o);
		st = write_file(dir, "unresolved.csv", &sb, err);
	}
	if (!st) {
		sb_reset(&sb);
		skipped_csv(&sb, r);
		st = write_file(dir, "skipped.csv", &sb, err);
	}
	if (!st) {
		sb_reset(&sb);
		document(&sb, 1, r, o, dir);
		st = write_file(dir, "report.md", &sb, err);
	}
	if (!st) {
		sb_reset(&sb);
		document(&sb, 0, r, o, dir);
		st = write_file(dir, "index.html", &sb, err);
	}
	sb_release(&sb);
	return st;
}

/* ---- compare ---------------------------------------------------------- */

static json_t *delta_json(const struct cmp_delta *d, int decimals)
{
	json_t *o = json_object(), *ci;
	json_object_set_new(o, "before", jreal(d->before, decimals));
	json_object_set_new(o, "after", jreal(d->after, decimals));
	json_object_set_new(o, "diff", jreal(d->diff, decimals));
	if (isfinite(d->lo) && isfinite(d->hi)) {
		ci = json_array();
		json_array_append_new(ci, jreal(d->lo, decimals));
		json_array_append_new(ci, jreal(d->hi, decimals));
	} else {
		ci = json_null();
	}
	json_object_set_new(o, "ci95", ci);
	return o;
}

static json_t *changed_items_json(const struct st_item *const *it, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_object();
		json_object_set_new(o, "code", jstr(it[i]->code));
		json_object_set_new(o, "name", jstr(it[i]->name));
		json_object_set_new(o, "count", jcount(it[i]->count));
		json_array_append_new(a, o);
	}
	return a;
}

/* resolved / abroad / located / beyond_home counts and shares of a group of contacts */
static json_t *group_json(unsigned long resolved, unsigned long abroad, unsigned long located, unsigned long beyond)
{
	json_t *o = json_object();
	json_object_set_new(o, "resolved", jcount(resolved));
	json_object_set_new(o, "abroad", jcount(abroad));
	json_object_set_new(o, "abroad_share", jreal(share_of(abroad, resolved), 4));
	json_object_set_new(o, "located", jcount(located));
	json_object_set_new(o, "beyond_home", jcount(beyond));
	json_object_set_new(o, "beyond_home_share", jreal(share_of(beyond, located), 4));
	return o;
}

json_t *rp_compare_json(const struct an_result *b, const struct an_result *a, const struct cmp_result *c)
{
	json_t *j = json_object(), *m = json_object(), *d = json_object(), *g = json_object();
	json_object_set_new(j, "schema_version", json_integer(RP_COMPARE_SCHEMA_VERSION));
	json_object_set_new(j, "generator", json_string("netreach " NR_VERSION));
	json_object_set_new(j, "added", jcount(c->added));
	json_object_set_new(j, "removed", jcount(c->removed));
	json_object_set_new(j, "moved", jcount(c->moved));
	json_object_set_new(j, "unchanged", jcount(c->unchanged));
	json_object_set_new(j, "unplaced", jcount(c->unplaced));
	json_object_set_new(j, "moved_abroad", jcount(c->moved_abroad));
	json_object_set_new(m, "url", jcount(c->by[CMP_BY_URL]));
	json_object_set_new(m, "email", jcount(c->by[CMP_BY_EMAIL]));
	json_object_set_new(m, "name_company", jcount(c->by[CMP_BY_NAME]));
	json_object_set_new(j, "matched_by", m);
	for (int i = 0; i < ST_REACH_COUNT; i++) {
		struct strbuf k = STRBUF_INIT;
		sb_addf(&k, "%s_share", st_reach_bands[i].key);
		json_object_set_new(d, k.buf, delta_json(&c->reach[i], 4));
		sb_release(&k);
	}
	json_object_set_new(d, "median_distance_km", delta_json(&c->median_km, 1));
	json_object_set_new(j, "delta", d);
	json_object_set_new(j, "countries_gained", changed_items_json(c->countries_gained, c->nr_countries_gained));
	json_object_set_new(j, "countries_lost", changed_items_json(c->countries_lost, c->nr_countries_lost));
	json_object_set_new(j, "admin1_gained", changed_items_json(c->admin1_gained, c->nr_admin1_gained));
	json_object_set_new(j, "admin1_lost", changed_items_json(c->admin1_lost, c->nr_admin1_lost));

	json_object_set_new(g, "added", group_json(c->added_resolved, c->added_abroad, c->added_located,
						    c->added_beyond_home));
	json_object_set_new(g, "existing", group_json(c->added_abroad_vs_existing.n1, c->added_abroad_vs_existing.x1,
						       c->added_beyond_home_vs_existing.n1,
						       c->added_beyond_home_vs_existing.x1));
	json_object_set_new(g, "kept", group_json(c->kept_resolved, c->kept_abroad, c->kept_located,
						   c->kept_beyond_home));
	json_object_set_new(g, "beyond_home_added_vs_existing", delta_json(&c->added_beyond_home_vs_existing, 4));
	json_object_set_new(g, "abroad_added_vs_existing", delta_json(&c->added_abroad_vs_existing, 4));
	json_object_set_new(j, "added_vs_existing", g);
	{
		json_t *doors = json_object(), *ts = json_array(), *ga = json_array(), *lo = json_array();
		size_t n = a->nr_targets < b->nr_targets ? a->nr_targets : b->nr_targets;
		for (size_t t = 0; t < n; t++) {
			json_t *o = json_object();
			json_object_set_new(o, "name", jstr(a->targets[t].name));
			json_object_set_new(o, "before", jcount(b->targets[t].count));
			json_object_set_new(o, "after", jcount(a->targets[t].count));
			json_array_append_new(ts, o);
		}
		for (size_t k = 0; k < c->nr_doors_gained; k++)
			json_array_append_new(ga, jstr(a->targets[c->doors_gained[k]].name));
		for (size_t k = 0; k < c->nr_doors_lost; k++)
			json_array_append_new(lo, jstr(a->targets[c->doors_lost[k]].name));
		json_object_set_new(doors, "targets", ts);
		json_object_set_new(doors, "gained", ga);
		json_object_set_new(doors, "lost", lo);
		json_object_set_new(j, "doors", doors);
	}
	json_object_set_new(j, "before", rp_summary_json(b));
	json_object_set_new(j, "after", rp_summary_json(a));
	return j;
}

static void month_name(struct strbuf *out, int month)
{
	i18n_month_year(out, month);
}

void rp_compare_headline(struct strbuf *out, const struct an_result *b, const struct an_result *a,
			 const struct cmp_result *c)
{
	const struct st_summary *bs = &b->summary;
	int newcomers = 0; /* "of the newcomers" rather than "of them" */
	struct num n1, n2, n3;
	struct strbuf since = STRBUF_INIT;
	/* first the change in the headline number (rp_headline) */
	if (bs->located && a->summary.located) {
		double x = bs->reach[ST_REACH_BEYOND_HOME].share, y = a->summary.reach[ST_REACH_BEYOND_HOME].share;
		pct(&n1, y);
		pct(&n2, x);
		if (round_to(y * 100.0, 0) == round_to(x * 100.0, 0))
			sb_addf(out, _("%1$s of your network now lives beyond %2$s, as before (%3$s). "), n1.s, home_name(a), n2.s);
		else if (y > x)
			sb_addf(out, _("%1$s of your network now lives beyond %2$s, up from %3$s. "), n1.s, home_name(a), n2.s);
		else
			sb_addf(out, _("%1$s of your network now lives beyond %2$s, down from %3$s. "), n1.s, home_name(a), n2.s);
	}
	if (bs->nr_timeline) {
		month_name(&since, bs->timeline[bs->nr_timeline - 1].month);
	} else if (b->nr_connected) {
		/* no placed contact has a date (an export without locations): any dated one */
		month_name(&since, b->connected[b->nr_connected - 1].month);
	}
	if (c->added && !c->removed) {
		if (since.len)
			sb_addf(out, ngettext("Since %1$s your network grew by %2$s person", "Since %1$s your network grew by %2$s people",
					      c->added), since.buf, cnt(&n1, c->added));
		else
			sb_addf(out, ngettext("Since the earlier export your network grew by %s person",
					      "Since the earlier export your network grew by %s people", c->added), cnt(&n1, c->added));
	} else if (c->added) {
		if (since.len)
			sb_addf(out, ngettext("Since %1$s, %2$s person joined your network and %3$s left it",
					      "Since %1$s, %2$s people joined your network and %3$s left it", c->added),
				since.buf, cnt(&n1, c->added), cnt(&n2, c->removed));
		else
			sb_addf(out, ngettext("Since the earlier export, %1$s person joined your network and %2$s left it",
					      "Since the earlier export, %1$s people joined your network and %2$s left it", c->added),
				cnt(&n1, c->added), cnt(&n2, c->removed));
		newcomers = 1;
	} else if (c->removed) {
		if (since.len)
			sb_addf(out, ngettext("Since %1$s, %2$s person left your network and nobody joined",
					      "Since %1$s, %2$s people left your network and nobody joined", c->removed),
				since.buf, cnt(&n1, c->removed));
		else
			sb_addf(out, ngettext("Since the earlier export, %s person left your network and nobody joined",
					      "Since the earlier export, %s people left your network and nobody joined", c->removed),
				cnt(&n1, c->removed));
	} else {
		if (since.len)
			sb_addf(out, _("Since %s nobody joined or left your network"), since.buf);
		else
			sb_adds(out, _("Since the earlier export nobody joined or left your network"));
	}
	if (c->added_resolved && bs->reach[ST_REACH_OUTSIDE_COUNTRY].base) {
		pct(&n1, share_of(c->added_abroad, c->added_resolved));
		pct(&n2, bs->reach[ST_REACH_OUTSIDE_COUNTRY].share);
		if (newcomers)
			sb_addf(out, ngettext("; %1$s of the newcomers lives abroad, against %2$s before",
					      "; %1$s of the newcomers live abroad, against %2$s before", c->added_resolved),
				n1.s, n2.s);
		else
			sb_addf(out, ngettext("; %1$s of them lives abroad, against %2$s before",
					      "; %1$s of them live abroad, against %2$s before", c->added_resolved), n1.s, n2.s);
	}
	if (c->nr_countries_gained && !c->nr_countries_lost) {
		sb_addf(out, ngettext("; you now reach %s more country", "; you now reach %s more countries",
				      c->nr_countries_gained), cnt(&n1, c->nr_countries_gained));
	} else if (c->nr_countries_gained) {
		struct strbuf x = STRBUF_INIT;
		add_countries(&x, c->nr_countries_gained);
		sb_addf(out, _("; you now reach %1$s you did not reach before, and no longer reach %2$s"), x.buf,
			cnt(&n1, c->nr_countries_lost));
		sb_release(&x);
	} else if (c->nr_countries_lost) {
		struct strbuf x = STRBUF_INIT;
		add_countries(&x, c->nr_countries_lost);
		sb_addf(out, _("; you no longer reach %s"), x.buf);
		sb_release(&x);
	}
	if (c->nr_doors_gained || c->nr_doors_lost) {
		sb_addf(out, ngettext("; a foot in the door at %s more target", "; a foot in the door at %s more targets",
				      c->nr_doors_gained), cnt(&n1, c->nr_doors_gained));
		if (c->nr_doors_lost)
			sb_addf(out, _(", and no longer at %s"), cnt(&n3, c->nr_doors_lost));
	}
	sb_addch(out, '.');
	sb_release(&since);
}

/* --targets in both exports: connections at each target before and after, doors gained and lost. */
static void section_doors(struct doc *d, const struct an_result *b, const struct an_result *a,
			  const struct cmp_result *c, struct cells *cl)
{
	const char *const head[] = { _("Target"), _("Before"), _("After"), _("Door") };
	size_t n = a->nr_targets < b->nr_targets ? a->nr_targets : b->nr_targets;
	struct strbuf t = STRBUF_INIT;
	struct num n1, n2;
	if (!n)
		return;
	doc_h(d, 2, _("A foot in the door"), "doors");
	sb_addf(&t, _("Connections working at each company or publication in --targets. Doors gained: %1$s (no "
		      "connection there before, at least one now); doors lost: %2$s."),
		cnt(&n1, c->nr_doors_gained), cnt(&n2, c->nr_doors_lost));
	doc_p(d, t.buf, NULL);
	doc_table(d, "lrrl", head);
	for (size_t i = 0; i < n; i++) {
		unsigned long x = b->targets[i].count, y = a->targets[i].count;
		cells_reset(cl);
		sb_adds(&cl->c[0], a->targets[i].name);
		add_count(&cl->c[1], x);
		add_count(&cl->c[2], y);
		/* TRANSLATORS: the state of a door (a target company) */
		sb_adds(&cl->c[3], !x && y ? P_("door", "gained") : x && !y ? P_("door", "lost") : y ? P_("door", "open")
											   : P_("door", "closed"));
		doc_row(d, cells_ptrs(cl));
	}
	doc_table_end(d);
	sb_release(&t);
}

/* "+2.3 pts" for a change of shares */
static void add_pts(struct strbuf *out, double d)
{
	double v = round_to(d * 100.0, 1);
	struct strbuf n = STRBUF_INIT;
	if (!isfinite(d)) {
		sb_adds(out, "-");
		return;
	}
	sb_adds(&n, v > 0 ? "+" : v < 0 ? "−" : "±");
	i18n_fixed(&n, fabs(v), 1);
	/* TRANSLATORS: a change of a share in percentage points, "+2.3 pts"; %s is the signed number */
	sb_addf(out, _("%s pts"), n.buf);
	sb_release(&n);
}

static void add_signed_km(struct strbuf *out, double d)
{
	if (!isfinite(d)) {
		sb_adds(out, "-");
		return;
	}
	sb_adds(out, round_to(d, 1) > 0 ? "+" : round_to(d, 1) < 0 ? "−" : "±");
	add_km(out, fabs(d));
}

static void add_interval(struct strbuf *out, const struct cmp_delta *d, int km)
{
	if (!isfinite(d->lo) || !isfinite(d->hi)) {
		sb_adds(out, "-");
		return;
	}
	if (km)
		add_signed_km(out, d->lo);
	else
		add_pts(out, d->lo);
	/* TRANSLATORS: between the ends of an interval, "+1.2 pts to +3.4 pts" */
	sb_adds(out, _(" to "));
	if (km)
		add_signed_km(out, d->hi);
	else
		add_pts(out, d->hi);
}

static void section_change(struct doc *d, const struct cmp_result *c, struct cells *cl)
{
	const char *const head[] = { _("Connections"), _("Count") };
	unsigned long matched = c->moved + c->unchanged;
	struct strbuf t = STRBUF_INIT;
	struct num n1, n2, n3, n4;
	doc_h(d, 2, _("Who came, who left, who moved"), "change");
	doc_table(d, "lr", head);
#define ROW2(label, n) do { cells_reset(cl); sb_adds(&cl->c[0], label); add_count(&cl->c[1], n); doc_row(d, cells_ptrs(cl)); } while (0)
	ROW2(_("Added (only in the later export)"), c->added);
	ROW2(_("Removed (only in the earlier export)"), c->removed);
	ROW2(_("Moved (in both, living elsewhere now)"), c->moved);
	ROW2(_("Unchanged (in both, same place)"), c->unchanged);
#undef ROW2
	doc_table_end(d);
	sb_addf(&t, _("Of the %1$s connections in both exports, %2$s were recognised by their profile URL, %3$s by e-mail "
		      "address and %4$s by name and company. "), cnt(&n1, matched), cnt(&n2, c->by[CMP_BY_URL]),
		cnt(&n3, c->by[CMP_BY_EMAIL]), cnt(&n4, c->by[CMP_BY_NAME]));
	if (c->moved_abroad)
		sb_addf(&t, _("%s of the moves were from the home country to another. "), cnt(&n1, c->moved_abroad));
	if (c->unplaced)
		sb_addf(&t, _("%s of the unchanged have no recognised place in one export, so a move cannot be seen. "),
			cnt(&n1, c->unplaced));
	sb_adds(&t, _("A connection moved when both places are towns more than the home radius apart, or when a coarser "
		      "place (a state or country) is in another country or state; \"Germany\" becoming \"Berlin, Germany\" "
		      "is not a move."));
	doc_p(d, t.buf, "note");
	sb_release(&t);
}

/* A row "label | x2/n2 | x1/n1 | difference (interval)" of the newcomers' table. */
static void newcomer_row(struct doc *d, struct cells *cl, const char *label, const struct cmp_delta *x)
{
	struct strbuf v = STRBUF_INIT;
	struct num n1;
	cells_reset(cl);
	sb_adds(&cl->c[0], label);
	add_pct1(&v, x->after);
	/* TRANSLATORS: a share and its base, "12.5% of 40" */
	sb_addf(&cl->c[1], _("%1$s of %2$s"), v.buf, cnt(&n1, x->n2));
	sb_reset(&v);
	add_pct1(&v, x->before);
	sb_addf(&cl->c[2], _("%1$s of %2$s"), v.buf, cnt(&n1, x->n1));
	add_pts(&cl->c[3], x->diff);
	sb_adds(&cl->c[3], " (");
	add_interval(&cl->c[3], x, 0);
	sb_adds(&cl->c[3], ")");
	doc_row(d, cells_ptrs(cl));
	sb_release(&v);
}

static void section_newcomers(struct doc *d, const struct an_result *b, const struct cmp_result *c,
			      struct cells *cl)
{
	/* xgettext:no-c-format */
	const char *diff_head = _("Difference (95% interval)");
	const char *const head[] = { "", _("Added connections"), _("Earlier network"), diff_head };
	struct strbuf t = STRBUF_INIT;
	doc_h(d, 2, _("Do the new connections reach farther?"), "newcomers");
	doc_table(d, "lrrr", head);
	sb_addf(&t, _("Live beyond %s"), home_name(b));
	newcomer_row(d, cl, t.buf, &c->added_beyond_home_vs_existing);
	newcomer_row(d, cl, _("Live abroad"), &c->added_abroad_vs_existing);
	doc_table_end(d);
	doc_p(d, _("\"Beyond\" counts connections placed in a town; \"abroad\" counts every connection placed at least "
		   "in a country. The earlier network is everyone in the earlier export."), "note");
	sb_release(&t);
}

static void section_deltas(struct doc *d, const struct an_result *a, const struct cmp_result *c, struct cells *cl)
{
	/* xgettext:no-c-format */
	const char *ci_head = _("95% interval");
	const char *const head[] = { _("Where"), _("Before"), _("After"), _("Change"), ci_head };
	doc_h(d, 2, _("Reach, before and after"), "reach");
	doc_table(d, "lrrrr", head);
	for (int i = 0; i < ST_REACH_COUNT; i++) {
		const struct cmp_delta *x = &c->reach[i];
		cells_reset(cl);
		reach_label(&cl->c[0], a, i);
		add_pct1(&cl->c[1], x->before);
		add_pct1(&cl->c[2], x->after);
		add_pts(&cl->c[3], x->diff);
		add_interval(&cl->c[4], x, 0);
		doc_row(d, cells_ptrs(cl));
	}
	cells_reset(cl);
	sb_adds(&cl->c[0], _("Median distance from home"));
	add_km(&cl->c[1], c->median_km.before);
	add_km(&cl->c[2], c->median_km.after);
	add_signed_km(&cl->c[3], c->median_km.diff);
	add_interval(&cl->c[4], &c->median_km, 1);
	doc_row(d, cells_ptrs(cl));
	doc_table_end(d);
	doc_p(d, _("Changes of shares are in percentage points. Intervals: the Newcombe hybrid score method on Wilson "
		   "intervals for shares; for the median, order-statistic intervals of each median combined the same way "
		   "(MOVER). Both treat the exports as independent samples, so with most connections in both they are "
		   "on the wide side. An interval that does not include 0 is a change beyond chance."), "note");
}

static void changed_table(struct doc *d, struct cells *cl, const char *title, const char *what,
			  const struct st_item *const *it, size_t n)
{
	const char *h[3] = { what, _("Code"), _("Connections") };
	size_t shown = n < TOP_N ? n : TOP_N;
	if (!n)
		return;
	doc_h(d, 3, title, NULL);
	doc_table(d, "llr", h);
	for (size_t i = 0; i < shown; i++) {
		cells_reset(cl);
		sb_adds(&cl->c[0], nz(i18n_area(it[i]->code, it[i]->name)));
		sb_adds(&cl->c[1], nz(it[i]->code));
		add_count(&cl->c[2], it[i]->count);
		doc_row(d, cells_ptrs(cl));
	}
	doc_table_end(d);
	if (n > shown)
		doc_more(d, n - shown, "compare.json");
}

static void section_gained(struct doc *d, const struct cmp_result *c, struct cells *cl)
{
	doc_h(d, 2, _("Countries and regions gained and lost"), "gained");
	if (!c->nr_countries_gained && !c->nr_countries_lost && !c->nr_admin1_gained && !c->nr_admin1_lost) {
		doc_p(d, _("You reach the same countries and states or regions as before."), NULL);
		return;
	}
	changed_table(d, cl, _("Countries gained"), _("Country"), c->countries_gained, c->nr_countries_gained);
	changed_table(d, cl, _("Countries lost"), _("Country"), c->countries_lost, c->nr_countries_lost);
	changed_table(d, cl, _("States and regions gained"), _("Region"), c->admin1_gained, c->nr_admin1_gained);
	changed_table(d, cl, _("States and regions lost"), _("Region"), c->admin1_lost, c->nr_admin1_lost);
	doc_p(d, _("Counts are connections there in the export that has the place."), "note");
}

static void section_compare_rows(struct doc *d, const struct an_result *b, const struct an_result *a,
				 struct cells *cl)
{
	const char *const head[] = { _("Rows"), _("Earlier export"), _("Later export") };
	const struct an_result *r[2] = { b, a };
	const char *labels[] = {
		_("File"), _("Format"), _("Placed on the map"), _("Location not recognised"), _("No location"),
		_("Skipped (unreadable or duplicate)"), _("Rows read"),
	};
	doc_h(d, 2, _("Every row accounted for"), "rows");
	doc_table(d, "lrr", head);
	for (size_t i = 0; i < ARRAY_SIZE(labels); i++) {
		cells_reset(cl);
		sb_adds(&cl->c[0], labels[i]);
		for (int k = 0; k < 2; k++) {
			struct strbuf *o = &cl->c[k + 1];
			const struct an_result *x = r[k];
			switch (i) {
			case 0: sb_adds(o, x->nr_inputs ? basename_of(x->inputs[0].path) : ""); break;
			case 1: sb_adds(o, x->nr_inputs ? nz(x->inputs[0].format) : ""); break;
			case 2: add_count(o, x->resolved); break;
			case 3: add_count(o, x->unresolved); break;
			case 4: add_count(o, x->no_location); break;
			case 5: add_count(o, x->skipped); break;
			default: add_count(o, x->rows);
			}
		}
		doc_row(d, cells_ptrs(cl));
	}
	doc_table_end(d);
	doc_p(d, _("Rows read = placed + not recognised + no location + skipped, in each export. The per-export details "
		   "(unrecognised locations, skipped lines) are in compare.json under before and after; run netreach "
		   "analyze on either export for its full report."), "note");
}

static void compare_document(struct strbuf *out, int md, const struct an_result *b, const struct an_result *a,
			     const struct cmp_result *c, const struct rp_options *o, const char *dir)
{
	static const char *const files[] = { "compare.json", "report.md", "charts/" };
	struct doc d = { out, md, 0, NULL, o->rendered && !md ? dir : NULL };
	struct strbuf t = STRBUF_INIT;
	struct cells cl;
	cells_init(&cl);
	doc_begin(&d, _("How your network changed"));
	rp_compare_headline(&t, b, a, c);
	doc_p(&d, t.buf, "lead");
	sb_reset(&t);
	if (a->no_place_column && b->no_place_column) {
		/* two LinkedIn exports as they come: who joined and left, and the doors */
		section_add_locations(&d);
		doc_files(&d, files, ARRAY_SIZE(files));
		section_change(&d, c, &cl);
		section_doors(&d, b, a, c, &cl);
		section_compare_rows(&d, b, a, &cl);
		doc_end(&d, o);
		cells_release(&cl);
		sb_release(&t);
		return;
	}
	home_description(&t, a);
	doc_p(&d, t.buf, NULL);
	doc_files(&d, files, ARRAY_SIZE(files));
	section_deltas(&d, a, c, &cl);
	section_change(&d, c, &cl);
	section_gained(&d, c, &cl);
	section_newcomers(&d, b, c, &cl);
	section_doors(&d, b, a, c, &cl);
	section_charts(&d, o, compare_charts, ARRAY_SIZE(compare_charts));
	section_compare_rows(&d, b, a, &cl);
	doc_end(&d, o);
	cells_release(&cl);
	sb_release(&t);
}

int rp_compare_write(const struct an_result *b, const struct an_result *a, const struct cmp_result *c,
		     const char *dir, const struct rp_options *o, struct strbuf *err)
{
	struct strbuf sb = STRBUF_INIT;
	json_t *j = rp_compare_json(b, a, c);
	int st = write_json(dir, "compare.json", j, o, err);
	json_decref(j);
	if (!st) {
		compare_document(&sb, 1, b, a, c, o, dir);
		st = write_file(dir, "report.md", &sb, err);
	}
	if (!st) {
		sb_reset(&sb);
		compare_document(&sb, 0, b, a, c, o, dir);
		st = write_file(dir, "index.html", &sb, err);
	}
	sb_release(&sb);
	return st;
}
