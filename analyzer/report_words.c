/*
 * report_words: numbers and names for people in the report's language
 * (shares, km, counts; the home, places, reach bands), shared by the analyze
 * and compare texts.
 */
#include "report_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "i18n.h"

#include "banned.h"

void rp_add_pct(struct strbuf *out, double share)
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

void rp_add_pct1(struct strbuf *out, double share)
{
	struct strbuf n = STRBUF_INIT;
	if (!isfinite(share))
		share = 0.0;
	i18n_fixed(&n, share * 100.0, 1);
	i18n_percent(out, n.buf);
	sb_release(&n);
}

void rp_add_km(struct strbuf *out, double km)
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
	rp_add_km(out, km);
}

static const char *num_take(struct num *b, struct strbuf *t)
{
	snprintf(b->s, sizeof(b->s), "%s", t->len ? t->buf : "");
	sb_release(t);
	return b->s;
}

const char *rp_cnt(struct num *b, unsigned long long n)
{
	struct strbuf t = STRBUF_INIT;
	add_count(&t, n);
	return num_take(b, &t);
}

/* x as text through add (rp_add_pct, rp_add_km, ...), in b. */
static const char *num_of(struct num *b, void (*add)(struct strbuf *, double), double x)
{
	struct strbuf t = STRBUF_INIT;
	add(&t, x);
	return num_take(b, &t);
}

const char *rp_pct(struct num *b, double share)
{
	return num_of(b, rp_add_pct, share);
}

const char *rp_km_text(struct num *b, double km)
{
	return num_of(b, rp_add_km, km);
}

const char *rp_km_plain_text(struct num *b, double km)
{
	return num_of(b, add_km_plain, km);
}

const char *rp_home_name(const struct an_result *r)
{
	return an_home_name(r, _("your home"));
}

const char *rp_home_in(const struct an_result *r)
{
	return an_home_in(r, _("your home"));
}

const char *rp_home_country(const struct an_result *r)
{
	const struct gc_place *h = &r->home.place;
	return h->country && *h->country ? i18n_country_dative(h->cc, h->country) : _("the home country");
}

void rp_place_full_name(struct strbuf *t, const struct gc_place *p)
{
	sb_adds(t, nz(st_place_name(p, 0)));
	if (gc_level_is_point(p->level) && p->admin1 && *p->admin1) {
		sb_adds(t, ", ");
		sb_adds(t, i18n_admin1(p->cc, p->admin1_code, p->admin1));
	}
	if (p->level != GC_LEVEL_COUNTRY && p->country && *p->country) {
		sb_adds(t, ", ");
		sb_adds(t, i18n_country(p->cc, p->country));
	}
}

void rp_home_description(struct strbuf *t, const struct an_result *r)
{
	const struct an_home *h = &r->home;
	struct strbuf place = STRBUF_INIT;
	struct num a;
	if (h->place.name && *h->place.name)
		rp_place_full_name(&place, &h->place);
	else
		sb_adds(&place, rp_home_name(r));
	if (h->inferred)
		sb_addf(t, _("Home: %s (inferred: the place where most of your connections live; set it with --home)."),
			place.buf);
	else if (h->query && *h->query)
		sb_addf(t, _("Home: %1$s (from \"%2$s\")."), place.buf, h->query);
	else
		sb_addf(t, _("Home: %s."), place.buf);
	sb_addf(t, _(" \"Home town\" means within %s of it."), rp_km_text(&a, r->radius_km));
	sb_release(&place);
}

void rp_reach_label(struct strbuf *t, const struct an_result *r, int band)
{
	struct num a;
	st_reach_label(t, band, ST_LABEL_TEXT, rp_km_text(&a, r->radius_km), rp_home_in(r), &r->home.place);
}

void rp_add_countries(struct strbuf *out, size_t n)
{
	struct num a;
	sb_addf(out, ngettext("%s country", "%s countries", n), rp_cnt(&a, n));
}
