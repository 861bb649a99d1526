/* report_analyze: the analyze report: its headline (rp_headline) and the sections of its documents. */
#include "report_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "plot.h"

#include "banned.h"

#define COMPANIES_SHOWN 15
#define UNRESOLVED_SHOWN 50

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
		sb_addf(&e, ngettext("%s employer", "%s employers", employers), rp_cnt(&b, employers));
		sb_addf(out, ngettext("Your %1$s connection works at %2$s", "Your %1$s connections work at %2$s", people),
			rp_cnt(&a, people), e.buf);
		sb_release(&e);
		if (r->with_company < people) {
			unsigned long none = people - r->with_company;
			sb_addf(out, ngettext(" (%s name none)", " (%s name none)", none), rp_cnt(&a, none));
		}
	} else {
		sb_addf(out, ngettext("Your %s connection names no employer", "Your %s connections name no employer", people),
			rp_cnt(&a, people));
	}
	if (r->nr_targets)
		sb_addf(out, ngettext("; you have a foot in the door at %1$s of your %2$s target",
				      "; you have a foot in the door at %1$s of your %2$s targets", r->nr_targets),
			rp_cnt(&b, doors_open(r)), rp_cnt(&c, r->nr_targets));
	sb_adds(out, _(". The export has no locations, so where they live is not known yet."));
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
				      people), rp_cnt(&a, people));
#define PART(n, text)                                                                         \
	do {                                                                                  \
		if (!(n))                                                                     \
			break;                                                                \
		sb_adds(out, ++k == parts && k > 1 ? _(" and ") : sep);                       \
		sep = ", ";                                                                   \
		sb_addf(out, text, rp_cnt(&a, n));                                               \
	} while (0)
		PART(r->unresolved, _("%s with a location netreach did not recognise (see unresolved.csv)"));
		PART(r->no_location, _("%s without a location"));
		PART(unreadable, _("%s unreadable (see skipped.csv)"));
#undef PART
		sb_adds(out, ".");
		return;
	}
	if (s->located) {
		rp_add_pct(num, s->reach[ST_REACH_BEYOND_HOME].share);
		/* TRANSLATORS: after the big number of the headline, "71%"; %s is the home town */
		sb_addf(words, _("of your network lives beyond %s"), rp_home_in(r));
	} else {
		rp_add_pct(num, s->reach[ST_REACH_OUTSIDE_COUNTRY].share);
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
			rp_cnt(&a, x->count), rp_cnt(&b, x->base), rp_km_text(&c, r->radius_km), rp_home_in(r));
	} else {
		x = &s->reach[ST_REACH_OUTSIDE_COUNTRY];
		sb_addf(out, ngettext("%1$s of the %2$s connection placed lives outside %3$s; none could be placed in a "
				      "town, so distances are unknown.",
				      "%1$s of the %2$s connections placed live outside %3$s; none could be placed in a "
				      "town, so distances are unknown.", x->base),
			rp_cnt(&a, x->count), rp_cnt(&b, x->base), rp_home_country(r));
	}
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
		rp_place_full_name(&name, &p->place);
		sb_addf(&list, ngettext("%1$s (%2$s connection)", "%1$s (%2$s connections)", p->count), name.buf,
			rp_cnt(&a, p->count));
		sb_release(&name);
	}
	{
		const struct gc_place *p = &r->places[h->alt[0]].place;
		const char *in = p->admin1 && *p->admin1 ? i18n_admin1(p->cc, p->admin1_code, p->admin1)
							 : nz(i18n_country(p->cc, p->country));
		sb_adds(&run, nz(rp_place_name(p)));
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
			     "--home \"%3$s\"."), rp_home_name(r), list.buf, run.buf);
	sb_release(&list);
	sb_release(&run);
}

/* What the share of a reach ring is of: "1,799 placed in a town" */
static void reach_base(struct strbuf *t, const struct an_result *r, int band)
{
	const struct st_band *x = &r->summary.reach[band];
	struct num a;
	rp_cnt(&a, x->base);
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
			rp_km_plain_text(&a, s->dist_km.median), rp_home_in(r), rp_km_plain_text(&b, s->dist_km.p90));
		sb_addf(&it[n++], _("%1$s live in the home town (within %2$s), %3$s more than 161 km (100 miles) away."),
			rp_pct(&a, s->reach[ST_REACH_HOME].share), rp_km_text(&b, r->radius_km),
			rp_pct(&c, s->reach[ST_REACH_BEYOND_161KM].share));
	}
	sb_addf(&it[n++], _("%1$s live abroad (outside %2$s)."), rp_pct(&a, s->reach[ST_REACH_OUTSIDE_COUNTRY].share),
		rp_home_country(r));
	rp_add_countries(&x, s->distinct.countries);
	sb_addf(&y, ngettext("%s state or region", "%s states or regions", s->distinct.admin1), rp_cnt(&a, s->distinct.admin1));
	sb_addf(&z, ngettext("%s town or city", "%s towns and cities", s->distinct.cities), rp_cnt(&b, s->distinct.cities));
	sb_addf(&it[n++], _("They live in %1$s, %2$s and %3$s."), x.buf, y.buf, z.buf);
	rp_doc_h(d, 2, _("At a glance"), "glance");
	rp_doc_list(d, it, n);
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
	rp_doc_h(d, 2, _("How far they live"), "summary");
	rp_doc_table(d, "lrrr", head);
	for (int i = 0; i < ST_REACH_COUNT; i++) {
		if (!s->located && i <= ST_REACH_BEYOND_161KM)
			continue;
		rp_cells_reset(c);
		rp_reach_label(&c->c[0], r, i);
		add_count(&c->c[1], s->reach[i].count);
		reach_base(&c->c[2], r, i);
		rp_add_pct1(&c->c[3], s->reach[i].share);
		rp_doc_row(d, rp_cells_ptrs(c));
	}
	rp_doc_table_end(d);
	sb_addf(&t, _("Each share is of the connections that can say: distances need a town, so the first rows count the "
		      "%s placed in a town or city. "), rp_cnt(&a, s->located));
	if (s->located < r->resolved) {
		unsigned long more = r->resolved - s->located;
		sb_addf(&t, ngettext("%s more is placed only in a state or country; they count in the rows that level decides. ",
				     "%s more are placed only in a state or country; they count in the rows that level decides. ",
				     more), rp_cnt(&a, more));
	}
	sb_addf(&t, _("Of all %1$s rows of the export, %2$s could be placed (see \"Every row accounted for\")."),
		rp_cnt(&a, r->rows), rp_cnt(&b, r->resolved));
	rp_doc_p(d, t.buf, "note");
	sb_release(&t);
}

/* The measures for the curious, each with one line saying what it means. */
static void section_curious(struct doc *d, const struct an_result *r, struct cells *c)
{
	const struct st_summary *s = &r->summary;
	const char *const head[] = { _("Measure"), _("Value"), _("What it means") };
	if (!r->resolved)
		return;
	rp_doc_h(d, 2, _("For the curious"), "curious");
	rp_doc_table(d, "lrl", head);
#define ROW3(label, meaning, ...) do { rp_cells_reset(c); sb_adds(&c->c[0], _(label)); __VA_ARGS__; \
	sb_adds(&c->c[2], _(meaning)); rp_doc_row(d, rp_cells_ptrs(c)); } while (0)
	if (s->located) {
		ROW3(N_("Median distance"), N_("half of those placed in a town live closer than this, half farther"),
		     rp_add_km(&c->c[1], s->dist_km.median));
		ROW3(N_("Middle half"), N_("a quarter live closer than the first figure, a quarter farther than the second"),
		     rp_add_km(&c->c[1], s->dist_km.p25); sb_adds(&c->c[1], " – "); rp_add_km(&c->c[1], s->dist_km.p75));
		ROW3(N_("Mean distance"), N_("the average; a few far connections pull it up"),
		     rp_add_km(&c->c[1], s->dist_km.mean));
		ROW3(N_("Farthest"), N_("the connection farthest from home"), rp_add_km(&c->c[1], s->dist_km.max));
		ROW3(N_("Radius of gyration"), N_("the root mean square distance from home: how spread out the network is, "
			 "weighing far places more"), rp_add_km(&c->c[1], s->rog_home_km));
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
	rp_doc_table_end(d);
}

static const struct chart analyze_charts[] = {
#define PL_ENTRY(stem, title, alt) { stem, title, alt },
	PL_CHARTS(PL_ENTRY)
#undef PL_ENTRY
};

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
	rp_doc_h(d, 3, title, id);
	memcpy(h, with_cc ? head_cc : head, (with_cc ? 5 : 4) * sizeof(*h));
	h[1] = what;
	rp_doc_table(d, with_cc ? "rllrr" : "rlrr", h);
	for (size_t i = 0; i < shown; i++) {
		size_t k = 0;
		rp_cells_reset(c);
		sb_addf(&c->c[k++], "%zu", i + 1);
		/* countries and admin-1 regions in the report's language (a --regions code names none) */
		sb_adds(&c->c[k++], with_continent ? continent_text(it[i].name) : nz(i18n_area(it[i].code, it[i].name)));
		if (with_cc)
			sb_adds(&c->c[k++], nz(it[i].cc));
		add_count(&c->c[k++], it[i].count);
		rp_add_pct1(&c->c[k++], it[i].share);
		rp_doc_row(d, rp_cells_ptrs(c));
	}
	rp_doc_table_end(d);
	if (n > shown)
		rp_doc_more(d, n - shown, "summary.json");
}

static void section_lists(struct doc *d, const struct an_result *r, struct cells *c)
{
	const struct st_summary *s = &r->summary;
	const char *const head[] = { "#", _("Place"), _("Region"), _("Country"), _("Connections"), _("Distance") };
	size_t shown = r->nr_places < TOP_N ? r->nr_places : TOP_N;
	rp_doc_h(d, 2, _("Where they live"), "where");
	if (!r->resolved) {
		rp_doc_p(d, _("No connection could be placed."), NULL);
		return;
	}
	items_table(d, c, _("Countries"), "countries", _("Country"), s->countries, s->nr_countries, 0, 0);
	items_table(d, c, _("States and regions"), "admin1", _("Region"), s->admin1, s->nr_admin1, 1, 0);
	items_table(d, c, _("Continents"), "continents", _("Continent"), s->continents, s->nr_continents, 0, 1);
	items_table(d, c, _("Your regions"), "regions", _("Region"), s->regions, s->nr_regions, 0, 0);
	rp_doc_h(d, 3, _("Places"), "places");
	rp_doc_table(d, "rlllrr", head);
	for (size_t i = 0; i < shown; i++) {
		const struct st_place *p = &r->places[i];
		rp_cells_reset(c);
		sb_addf(&c->c[0], "%zu", i + 1);
		sb_adds(&c->c[1], nz(rp_place_name(&p->place)));
		sb_adds(&c->c[2], nz(i18n_admin1(p->place.cc, p->place.admin1_code, p->place.admin1)));
		sb_adds(&c->c[3], nz(i18n_country(p->place.cc, p->place.country)));
		add_count(&c->c[4], p->count);
		if (gc_level_is_point(p->place.level))
			rp_add_km(&c->c[5], p->dist_km);
		else /* a state or country has no distance: its point is only a stand-in */
			sb_adds(&c->c[5], p->place.level == GC_LEVEL_COUNTRY ? _("whole country") : _("whole state"));
		rp_doc_row(d, rp_cells_ptrs(c));
	}
	rp_doc_table_end(d);
	if (r->nr_places > shown) {
		struct strbuf t = STRBUF_INIT;
		struct num a;
		sb_addf(&t, _("A place named only as a state or country has no distance (\"whole state\", \"whole country\"). "
			      "All %s places are in places.csv."), rp_cnt(&a, r->nr_places));
		rp_doc_p(d, t.buf, "note");
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
	rp_doc_h(d, 2, _("Every row accounted for"), "rows");
	rp_doc_table(d, "lrr", head);
	for (size_t i = 0; i < ARRAY_SIZE(counts); i++) {
		rp_cells_reset(c);
		sb_adds(&c->c[0], labels[i]);
		add_count(&c->c[1], counts[i]);
		rp_add_pct1(&c->c[2], share_of(counts[i], r->rows));
		rp_doc_row(d, rp_cells_ptrs(c));
	}
	rp_cells_reset(c);
	sb_adds(&c->c[0], _("Rows read"));
	add_count(&c->c[1], r->rows);
	rp_add_pct1(&c->c[2], r->rows ? 1.0 : 0.0);
	rp_doc_row(d, rp_cells_ptrs(c));
	rp_doc_table_end(d);
	if (r->duplicates) {
		struct strbuf t = STRBUF_INIT;
		sb_addf(&t, ngettext("%s of the skipped rows repeat a profile already seen in another export.",
				     "%s of the skipped rows repeat a profile already seen in another export.", r->duplicates),
			rp_cnt(&a, r->duplicates));
		rp_doc_p(d, t.buf, "note");
		sb_release(&t);
	}
	if (r->empty_rows) {
		struct strbuf t = STRBUF_INIT;
		sb_addf(&t, ngettext("%s of the skipped rows is an empty row from LinkedIn (nothing but a date: connections "
				     "LinkedIn no longer shows); they are not counted as connections.",
				     "%s of the skipped rows are empty rows from LinkedIn (nothing but a date: connections "
				     "LinkedIn no longer shows); they are not counted as connections.", r->empty_rows),
			rp_cnt(&a, r->empty_rows));
		rp_doc_p(d, t.buf, "note");
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
				rp_cnt(&a, in->recoded_rows), basename_of(in->path), "\xe2\x80\x9cK\xc3\xb6ln\xe2\x80\x9d",
				"\xe2\x80\x9cK\xc3\x83\xc2\xb6ln\xe2\x80\x9d");
		else
			sb_addf(&t, ngettext("%1$s row of %2$s held bytes that are not UTF-8; they were read as Windows-1252 "
					     "(as Excel writes), e.g. %3$s, not %4$s.",
					     "%1$s rows of %2$s held bytes that are not UTF-8; they were read as Windows-1252 "
					     "(as Excel writes), e.g. %3$s, not %4$s.", in->recoded_rows),
				rp_cnt(&a, in->recoded_rows), basename_of(in->path), "\xe2\x80\x9cK\xc3\xb6ln\xe2\x80\x9d",
				"\xe2\x80\x9cK\xef\xbf\xbdln\xe2\x80\x9d");
		rp_doc_p(d, t.buf, "note");
		sb_release(&t);
	}
	if (r->nr_inputs > 1) {
		rp_doc_table(d, "lllrrr", head_in);
		for (size_t i = 0; i < r->nr_inputs; i++) {
			const struct ing_info *in = &r->inputs[i];
			rp_cells_reset(c);
			sb_adds(&c->c[0], basename_of(in->path));
			sb_adds(&c->c[1], nz(in->format));
			sb_adds(&c->c[2], nz(in->encoding));
			add_count(&c->c[3], in->records);
			add_count(&c->c[4], in->ok);
			add_count(&c->c[5], in->skipped);
			rp_doc_row(d, rp_cells_ptrs(c));
		}
		rp_doc_table_end(d);
	}
	if (r->nr_unresolved_list) {
		const struct an_unresolved **v = rp_sorted_unresolved(r);
		size_t shown = r->nr_unresolved_list < UNRESOLVED_SHOWN ? r->nr_unresolved_list : UNRESOLVED_SHOWN;
		struct strbuf t = STRBUF_INIT;
		rp_doc_h(d, 3, _("Locations netreach could not place"), "unresolved");
		rp_doc_p(d, _("Biggest first: fixing the top few (a typo, a nickname, a missing country) places the most "
			   "connections. Correct them in the export, or set them with --locations."), NULL);
		rp_doc_table(d, "lrl", head_un);
		for (size_t i = 0; i < shown; i++) {
			rp_cells_reset(c);
			sb_adds(&c->c[0], rp_unresolved_text(v[i], o));
			add_count(&c->c[1], v[i]->count);
			/* the reasons are literals marked N_ in geocode.c and analyze.c; unresolved.csv keeps them in English */
			sb_adds(&c->c[2], v[i]->reason && *v[i]->reason ? _(v[i]->reason) : "");
			rp_doc_row(d, rp_cells_ptrs(c));
		}
		rp_doc_table_end(d);
		sb_addf(&t, ngettext("All %s location is in unresolved.csv.", "All %s distinct locations are in unresolved.csv.",
				     r->nr_unresolved_list), rp_cnt(&a, r->nr_unresolved_list));
		rp_doc_p(d, t.buf, "note");
		sb_release(&t);
		free(v);
	}
	if (r->skipped) {
		struct strbuf t = STRBUF_INIT;
		if (r->nr_skipped_list >= r->skipped)
			sb_addf(&t, ngettext("%s record was skipped; skipped.csv lists each with its file, line and reason.",
					     "%s records were skipped; skipped.csv lists each with its file, line and reason.",
					     r->skipped), rp_cnt(&a, r->skipped));
		else
			sb_addf(&t, ngettext("%1$s record was skipped; skipped.csv lists the first %2$s with their file, line "
					     "and reason.",
					     "%1$s records were skipped; skipped.csv lists the first %2$s with their file, line "
					     "and reason.", r->skipped), rp_cnt(&a, r->skipped), rp_cnt(&b, r->nr_skipped_list));
		rp_doc_p(d, t.buf, "note");
		sb_release(&t);
	}
}

void rp_section_add_locations(struct doc *d)
{
	rp_doc_h(d, 2, _("How to add locations"), "add-locations");
	rp_doc_p(d, _("LinkedIn exports (Connections.csv) never carry a location, so this report shows what the export "
		   "does hold: companies and when you connected. To see how far your network reaches, write a "
		   "template with one row per connection (profile URL, name, company and an empty Location "
		   "column), fill in the Location column in a spreadsheet (a town and country, e.g. "
		   "\"Sheboygan, WI\" or \"Lyon, France\"), and analyze again with it:"), NULL);
	rp_doc_code(d, "netreach template Connections.csv > locations.csv\n"
		    "netreach analyze Connections.csv --locations locations.csv");
}

static void section_companies(struct doc *d, const struct an_result *r, struct cells *c)
{
	const char *const head[] = { _("Company"), _("Connections"), _("Share") };
	const char *const head_t[] = { _("Target"), _("Connections there") };
	struct strbuf t = STRBUF_INIT, x = STRBUF_INIT;
	struct num a, b;
	size_t shown = r->nr_companies < COMPANIES_SHOWN ? r->nr_companies : COMPANIES_SHOWN;
	rp_doc_h(d, 2, _("Companies"), "companies");
	if (!r->with_company) {
		rp_doc_p(d, _("No connection names a company."), NULL);
	} else {
		sb_addf(&x, ngettext("%s distinct employer", "%s distinct employers", r->nr_companies),
			rp_cnt(&a, r->nr_companies));
		sb_addf(&t, ngettext("%1$s connection names a company: %2$s", "%1$s connections name a company: %2$s",
				     r->with_company), rp_cnt(&b, r->with_company), x.buf);
		if (r->companies_unlisted)
			sb_addf(&t, ngettext(", and %s connections at employers past the first ones, not listed by name",
					     ", and %s connections at employers past the first ones, not listed by name",
					     r->companies_unlisted), rp_cnt(&a, r->companies_unlisted));
		sb_addf(&t, _(". The top %s (spellings that differ only in case, accents, punctuation or a leading \"The\" "
			      "count as one):"), rp_cnt(&a, shown));
		rp_doc_p(d, t.buf, NULL);
		rp_doc_table(d, "lrr", head);
		for (size_t i = 0; i < shown; i++) {
			rp_cells_reset(c);
			sb_adds(&c->c[0], r->companies[i].name);
			add_count(&c->c[1], r->companies[i].count);
			rp_add_pct1(&c->c[2], share_of(r->companies[i].count, r->with_company));
			rp_doc_row(d, rp_cells_ptrs(c));
		}
		rp_doc_table_end(d);
	}
	if (r->nr_targets) {
		struct strbuf y = STRBUF_INIT;
		size_t open = doors_open(r);
		sb_reset(&t);
		rp_doc_h(d, 3, _("A foot in the door"), "targets");
		sb_addf(&y, ngettext("%s has", "%s have", open), rp_cnt(&b, open));
		sb_addf(&t, ngettext("Of the %1$s company or publication in --targets, %2$s at least one of your connections "
				     "working there.",
				     "Of the %1$s companies and publications in --targets, %2$s at least one of your "
				     "connections working there.", r->nr_targets), rp_cnt(&a, r->nr_targets), y.buf);
		sb_release(&y);
		rp_doc_p(d, t.buf, NULL);
		rp_doc_table(d, "lr", head_t);
		for (size_t i = 0; i < r->nr_targets; i++) {
			rp_cells_reset(c);
			sb_adds(&c->c[0], r->targets[i].name);
			add_count(&c->c[1], r->targets[i].count);
			rp_doc_row(d, rp_cells_ptrs(c));
		}
		rp_doc_table_end(d);
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
	rp_doc_h(d, 2, _("Connections over time"), "connected");
	if (!r->nr_connected) {
		rp_doc_p(d, _("The export has no dates of connection."), NULL);
		return;
	}
	i18n_month_year(&m1, r->connected[0].month);
	i18n_month_year(&m2, r->connected[r->nr_connected - 1].month);
	sb_addf(&t, ngettext("%1$s connection has a date, %2$s to %3$s (per month in summary.json, \"connected\").",
			     "%1$s connections have a date, from %2$s to %3$s (per month in summary.json, \"connected\").",
			     r->dated), rp_cnt(&a, r->dated), m1.buf, m2.buf);
	rp_doc_p(d, t.buf, NULL);
	rp_doc_table(d, "rrr", head);
	for (size_t i = 0; i < r->nr_connected;) {
		int year = r->connected[i].month / 12;
		unsigned long n = 0;
		for (; i < r->nr_connected && r->connected[i].month / 12 == year; i++)
			n += r->connected[i].count;
		total += n;
		rp_cells_reset(c);
		sb_addf(&c->c[0], "%d", year);
		add_count(&c->c[1], n);
		add_count(&c->c[2], total);
		rp_doc_row(d, rp_cells_ptrs(c));
	}
	rp_doc_table_end(d);
	sb_release(&t);
	sb_release(&m1);
	sb_release(&m2);
}

void rp_document(struct strbuf *out, int md, const struct an_result *r, const struct rp_options *o,
		     const char *dir)
{
	static const char *const files[] = {
		"summary.json", "places.csv", "unresolved.csv", "skipped.csv", "report.md", "charts/",
	};
	struct doc d;
	struct strbuf t = STRBUF_INIT;
	struct cells c;
	rp_cells_init(&c);
	rp_doc_begin(&d, out, md, o, dir, _("How far your network reaches"));
	{
		struct strbuf num, words;
		sb_init(&num, 16);
		sb_init(&words, 64);
		sb_init(&t, 128);
		headline_parts(r, &num, &words);
		rp_headline_base(&t, r);
		rp_doc_big(&d, num.buf, words.buf, t.buf);
		sb_release(&num);
		sb_release(&words);
	}
	sb_reset(&t);
	if (r->no_place_column) {
		/* LinkedIn's own export: what it holds, and how to add what it lacks */
		rp_section_add_locations(&d);
		rp_doc_files(&d, files, ARRAY_SIZE(files));
		section_companies(&d, r, &c);
		section_connected(&d, r, &c);
		section_rows(&d, r, &c, o);
	} else {
		rp_home_description(&t, r);
		rp_doc_p(&d, t.buf, NULL);
		sb_reset(&t);
		home_alternatives(&t, r);
		if (t.len)
			rp_doc_p(&d, t.buf, "warn");
		section_glance(&d, r);
		section_summary(&d, r, &c);
		rp_section_charts(&d, o, analyze_charts, ARRAY_SIZE(analyze_charts));
		section_lists(&d, r, &c);
		section_curious(&d, r, &c);
		if (r->with_company || r->nr_targets)
			section_companies(&d, r, &c);
		section_rows(&d, r, &c, o);
		rp_doc_files(&d, files, ARRAY_SIZE(files));
	}
	rp_doc_end(&d, o);
	rp_cells_release(&c);
	sb_release(&t);
}
