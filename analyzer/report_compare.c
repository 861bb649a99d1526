/* report_compare: the compare report: its headline (rp_compare_headline) and the sections of its documents. */
#include "report_int.h"

#include <math.h>
#include <string.h>

#include "i18n.h"
#include "plot.h"

#include "banned.h"

static const struct chart compare_charts[] = {
#define PL_ENTRY(stem, title, alt) { stem, title, alt },
	PL_COMPARE_CHARTS(PL_ENTRY)
#undef PL_ENTRY
};

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
		rp_pct(&n1, y);
		rp_pct(&n2, x);
		if (round_to(y * 100.0, 0) == round_to(x * 100.0, 0))
			sb_addf(out, _("%1$s of your network now lives beyond %2$s, as before (%3$s). "), n1.s, rp_home_in(a), n2.s);
		else if (y > x)
			sb_addf(out, _("%1$s of your network now lives beyond %2$s, up from %3$s. "), n1.s, rp_home_in(a), n2.s);
		else
			sb_addf(out, _("%1$s of your network now lives beyond %2$s, down from %3$s. "), n1.s, rp_home_in(a), n2.s);
	}
	if (bs->nr_timeline) {
		i18n_month_year(&since, bs->timeline[bs->nr_timeline - 1].month);
	} else if (b->nr_connected) {
		/* no placed contact has a date (an export without locations): any dated one */
		i18n_month_year(&since, b->connected[b->nr_connected - 1].month);
	}
	if (c->added && !c->removed) {
		if (since.len)
			sb_addf(out, ngettext("Since %1$s your network grew by %2$s person", "Since %1$s your network grew by %2$s people",
					      c->added), since.buf, rp_cnt(&n1, c->added));
		else
			sb_addf(out, ngettext("Since the earlier export your network grew by %s person",
					      "Since the earlier export your network grew by %s people", c->added), rp_cnt(&n1, c->added));
	} else if (c->added) {
		if (since.len)
			sb_addf(out, ngettext("Since %1$s, %2$s person joined your network and %3$s left it",
					      "Since %1$s, %2$s people joined your network and %3$s left it", c->added),
				since.buf, rp_cnt(&n1, c->added), rp_cnt(&n2, c->removed));
		else
			sb_addf(out, ngettext("Since the earlier export, %1$s person joined your network and %2$s left it",
					      "Since the earlier export, %1$s people joined your network and %2$s left it", c->added),
				rp_cnt(&n1, c->added), rp_cnt(&n2, c->removed));
		newcomers = 1;
	} else if (c->removed) {
		if (since.len)
			sb_addf(out, ngettext("Since %1$s, %2$s person left your network and nobody joined",
					      "Since %1$s, %2$s people left your network and nobody joined", c->removed),
				since.buf, rp_cnt(&n1, c->removed));
		else
			sb_addf(out, ngettext("Since the earlier export, %s person left your network and nobody joined",
					      "Since the earlier export, %s people left your network and nobody joined", c->removed),
				rp_cnt(&n1, c->removed));
	} else {
		if (since.len)
			sb_addf(out, _("Since %s nobody joined or left your network"), since.buf);
		else
			sb_adds(out, _("Since the earlier export nobody joined or left your network"));
	}
	if (c->added_resolved && bs->reach[ST_REACH_OUTSIDE_COUNTRY].base) {
		rp_pct(&n1, share_of(c->added_abroad, c->added_resolved));
		rp_pct(&n2, bs->reach[ST_REACH_OUTSIDE_COUNTRY].share);
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
				      c->nr_countries_gained), rp_cnt(&n1, c->nr_countries_gained));
	} else if (c->nr_countries_gained) {
		struct strbuf x = STRBUF_INIT;
		rp_add_countries(&x, c->nr_countries_gained);
		sb_addf(out, _("; you now reach %1$s you did not reach before, and no longer reach %2$s"), x.buf,
			rp_cnt(&n1, c->nr_countries_lost));
		sb_release(&x);
	} else if (c->nr_countries_lost) {
		struct strbuf x = STRBUF_INIT;
		rp_add_countries(&x, c->nr_countries_lost);
		sb_addf(out, _("; you no longer reach %s"), x.buf);
		sb_release(&x);
	}
	if (c->nr_doors_gained || c->nr_doors_lost) {
		sb_addf(out, ngettext("; a foot in the door at %s more target", "; a foot in the door at %s more targets",
				      c->nr_doors_gained), rp_cnt(&n1, c->nr_doors_gained));
		if (c->nr_doors_lost)
			sb_addf(out, _(", and no longer at %s"), rp_cnt(&n3, c->nr_doors_lost));
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
	rp_doc_h(d, 2, _("A foot in the door"), "doors");
	sb_addf(&t, _("Connections working at each company or publication in --targets. Doors gained: %1$s (no "
		      "connection there before, at least one now); doors lost: %2$s."),
		rp_cnt(&n1, c->nr_doors_gained), rp_cnt(&n2, c->nr_doors_lost));
	rp_doc_p(d, t.buf, NULL);
	rp_doc_table(d, "lrrl", head);
	for (size_t i = 0; i < n; i++) {
		unsigned long x = b->targets[i].count, y = a->targets[i].count;
		rp_cells_reset(cl);
		sb_adds(&cl->c[0], a->targets[i].name);
		add_count(&cl->c[1], x);
		add_count(&cl->c[2], y);
		/* TRANSLATORS: the state of a door (a target company) */
		sb_adds(&cl->c[3], !x && y ? P_("door", "gained") : x && !y ? P_("door", "lost") : y ? P_("door", "open")
											   : P_("door", "closed"));
		rp_doc_row(d, rp_cells_ptrs(cl));
	}
	rp_doc_table_end(d);
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
	rp_add_km(out, fabs(d));
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
	rp_doc_h(d, 2, _("Who came, who left, who moved"), "change");
	rp_doc_table(d, "lr", head);
#define ROW2(label, n) do { rp_cells_reset(cl); sb_adds(&cl->c[0], label); add_count(&cl->c[1], n); rp_doc_row(d, rp_cells_ptrs(cl)); } while (0)
	ROW2(_("Added (only in the later export)"), c->added);
	ROW2(_("Removed (only in the earlier export)"), c->removed);
	ROW2(_("Moved (in both, living elsewhere now)"), c->moved);
	ROW2(_("Unchanged (in both, same place)"), c->unchanged);
#undef ROW2
	rp_doc_table_end(d);
	sb_addf(&t, _("Of the %1$s connections in both exports, %2$s were recognised by their profile URL, %3$s by e-mail "
		      "address and %4$s by name and company. "), rp_cnt(&n1, matched), rp_cnt(&n2, c->by[CMP_BY_URL]),
		rp_cnt(&n3, c->by[CMP_BY_EMAIL]), rp_cnt(&n4, c->by[CMP_BY_NAME]));
	if (c->moved_abroad)
		sb_addf(&t, _("%s of the moves were from the home country to another. "), rp_cnt(&n1, c->moved_abroad));
	if (c->unplaced)
		sb_addf(&t, _("%s of the unchanged have no recognised place in one export, so a move cannot be seen. "),
			rp_cnt(&n1, c->unplaced));
	sb_adds(&t, _("A connection moved when both places are towns more than the home radius apart, or when a coarser "
		      "place (a state or country) is in another country or state; \"Germany\" becoming \"Berlin, Germany\" "
		      "is not a move."));
	rp_doc_p(d, t.buf, "note");
	sb_release(&t);
}

/* A row "label | x2/n2 | x1/n1 | difference (interval)" of the newcomers' table. */
static void newcomer_row(struct doc *d, struct cells *cl, const char *label, const struct cmp_delta *x)
{
	struct strbuf v = STRBUF_INIT;
	struct num n1;
	rp_cells_reset(cl);
	sb_adds(&cl->c[0], label);
	rp_add_pct1(&v, x->after);
	/* TRANSLATORS: a share and its base, "12.5% of 40" */
	sb_addf(&cl->c[1], _("%1$s of %2$s"), v.buf, rp_cnt(&n1, x->n2));
	sb_reset(&v);
	rp_add_pct1(&v, x->before);
	sb_addf(&cl->c[2], _("%1$s of %2$s"), v.buf, rp_cnt(&n1, x->n1));
	add_pts(&cl->c[3], x->diff);
	sb_adds(&cl->c[3], " (");
	add_interval(&cl->c[3], x, 0);
	sb_adds(&cl->c[3], ")");
	rp_doc_row(d, rp_cells_ptrs(cl));
	sb_release(&v);
}

static void section_newcomers(struct doc *d, const struct an_result *b, const struct cmp_result *c,
			      struct cells *cl)
{
	/* xgettext:no-c-format */
	const char *diff_head = _("Difference (95% interval)");
	const char *const head[] = { "", _("Added connections"), _("Earlier network"), diff_head };
	struct strbuf t = STRBUF_INIT;
	rp_doc_h(d, 2, _("Do the new connections reach farther?"), "newcomers");
	rp_doc_table(d, "lrrr", head);
	sb_addf(&t, _("Live beyond %s"), rp_home_in(b));
	newcomer_row(d, cl, t.buf, &c->added_beyond_home_vs_existing);
	newcomer_row(d, cl, _("Live abroad"), &c->added_abroad_vs_existing);
	rp_doc_table_end(d);
	rp_doc_p(d, _("\"Beyond\" counts connections placed in a town; \"abroad\" counts every connection placed at least "
		   "in a country. The earlier network is everyone in the earlier export."), "note");
	sb_release(&t);
}

static void section_deltas(struct doc *d, const struct an_result *a, const struct cmp_result *c, struct cells *cl)
{
	/* xgettext:no-c-format */
	const char *ci_head = _("95% interval");
	const char *const head[] = { _("Where"), _("Before"), _("After"), _("Change"), ci_head };
	rp_doc_h(d, 2, _("Reach, before and after"), "reach");
	rp_doc_table(d, "lrrrr", head);
	for (int i = 0; i < ST_REACH_COUNT; i++) {
		const struct cmp_delta *x = &c->reach[i];
		rp_cells_reset(cl);
		rp_reach_label(&cl->c[0], a, i);
		rp_add_pct1(&cl->c[1], x->before);
		rp_add_pct1(&cl->c[2], x->after);
		add_pts(&cl->c[3], x->diff);
		add_interval(&cl->c[4], x, 0);
		rp_doc_row(d, rp_cells_ptrs(cl));
	}
	rp_cells_reset(cl);
	sb_adds(&cl->c[0], _("Median distance from home"));
	rp_add_km(&cl->c[1], c->median_km.before);
	rp_add_km(&cl->c[2], c->median_km.after);
	add_signed_km(&cl->c[3], c->median_km.diff);
	add_interval(&cl->c[4], &c->median_km, 1);
	rp_doc_row(d, rp_cells_ptrs(cl));
	rp_doc_table_end(d);
	rp_doc_p(d, _("Changes of shares are in percentage points. Intervals: the Newcombe hybrid score method on Wilson "
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
	rp_doc_h(d, 3, title, NULL);
	rp_doc_table(d, "llr", h);
	for (size_t i = 0; i < shown; i++) {
		rp_cells_reset(cl);
		sb_adds(&cl->c[0], nz(i18n_area(it[i]->code, it[i]->name)));
		sb_adds(&cl->c[1], nz(it[i]->code));
		add_count(&cl->c[2], it[i]->count);
		rp_doc_row(d, rp_cells_ptrs(cl));
	}
	rp_doc_table_end(d);
	if (n > shown)
		rp_doc_more(d, n - shown, "compare.json");
}

static void section_gained(struct doc *d, const struct cmp_result *c, struct cells *cl)
{
	rp_doc_h(d, 2, _("Countries and regions gained and lost"), "gained");
	if (!c->nr_countries_gained && !c->nr_countries_lost && !c->nr_admin1_gained && !c->nr_admin1_lost) {
		rp_doc_p(d, _("You reach the same countries and states or regions as before."), NULL);
		return;
	}
	changed_table(d, cl, _("Countries gained"), _("Country"), c->countries_gained, c->nr_countries_gained);
	changed_table(d, cl, _("Countries lost"), _("Country"), c->countries_lost, c->nr_countries_lost);
	changed_table(d, cl, _("States and regions gained"), _("Region"), c->admin1_gained, c->nr_admin1_gained);
	changed_table(d, cl, _("States and regions lost"), _("Region"), c->admin1_lost, c->nr_admin1_lost);
	rp_doc_p(d, _("Counts are connections there in the export that has the place."), "note");
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
	rp_doc_h(d, 2, _("Every row accounted for"), "rows");
	rp_doc_table(d, "lrr", head);
	for (size_t i = 0; i < ARRAY_SIZE(labels); i++) {
		rp_cells_reset(cl);
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
		rp_doc_row(d, rp_cells_ptrs(cl));
	}
	rp_doc_table_end(d);
	rp_doc_p(d, _("Rows read = placed + not recognised + no location + skipped, in each export. The per-export details "
		   "(unrecognised locations, skipped lines) are in compare.json under before and after; run netreach "
		   "analyze on either export for its full report."), "note");
}

void rp_compare_document(struct strbuf *out, int md, const struct an_result *b, const struct an_result *a,
			 const struct cmp_result *c, const struct rp_options *o, const char *dir)
{
	static const char *const files[] = { "compare.json", "report.md", "charts/" };
	struct doc d;
	struct strbuf t = STRBUF_INIT;
	struct cells cl;
	rp_cells_init(&cl);
	rp_doc_begin(&d, out, md, o, dir, _("How your network changed"));
	rp_compare_headline(&t, b, a, c);
	rp_doc_p(&d, t.buf, "lead");
	sb_reset(&t);
	if (a->no_place_column && b->no_place_column) {
		/* two LinkedIn exports as they come: who joined and left, and the doors */
		rp_section_add_locations(&d);
		rp_doc_files(&d, files, ARRAY_SIZE(files));
		section_change(&d, c, &cl);
		section_doors(&d, b, a, c, &cl);
	} else {
		rp_home_description(&t, a);
		rp_doc_p(&d, t.buf, NULL);
		rp_doc_files(&d, files, ARRAY_SIZE(files));
		section_deltas(&d, a, c, &cl);
		section_change(&d, c, &cl);
		section_gained(&d, c, &cl);
		section_newcomers(&d, b, c, &cl);
		section_doors(&d, b, a, c, &cl);
		rp_section_charts(&d, o, compare_charts, ARRAY_SIZE(compare_charts));
	}
	section_compare_rows(&d, b, a, &cl);
	rp_doc_end(&d, o);
	rp_cells_release(&cl);
	sb_release(&t);
}
