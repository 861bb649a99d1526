/* report_json: summary.json (rp_summary_json) and compare.json (rp_compare_json) as jansson documents. */
#include "report_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "text.h"

#include "banned.h"

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

#define COMPANIES_JSON 100

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
		month_text(m, r->connected[i].month);
		json_object_set_new(o, "month", json_string(m));
		json_object_set_new(o, "connected", jcount(r->connected[i].count));
		json_object_set_new(o, "total", jcount(total));
		json_array_append_new(a, o);
	}
	return a;
}

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
