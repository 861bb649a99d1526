/* analyze: exports -> distinct location strings -> places -> summary (see analyze.h). */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyze.h"
#include "gazetteer.h"
#include "geo.h"
#include "i18n.h"
#include "progress.h"
#include "regions.h"
#include "text.h"
#include "banned.h"

#define NO_LOC AG_NONE


/* ---- reading: the rows go to the aggregator ---- */

struct ctx {
	struct ag ag;              /* first: ing_read's row callback is ag_row, on the ctx itself */
	struct an_result *r;
	const struct an_options *opt;
	size_t nr_inputs;
	size_t max_distinct;       /* opt->max_distinct or AN_MAX_DISTINCT */
	size_t max_listed;         /* opt->max_listed or AN_MAX_LISTED */
	struct nr_data *data;      /* lent by the caller: gazetteer and country outlines */
	struct gz *gz;             /* data's gazetteer */
	struct pg pg;
	char **target_lines;       /* --targets, as read */
	size_t nr_target_lines;
};

/* ing_read passes one ctx to both callbacks: forward progress to the bar. */
static void on_progress(unsigned long long done, unsigned long long total, unsigned long records, void *vctx)
{
	struct ctx *c = vctx;
	pg_ing_progress(done, total, records, &c->pg);
}

/* ---- resolution ---- */

static const char *own_str(struct an_result *r, char *s)
{
	ALLOC_GROW(r->strings, r->nr_strings + 1, r->alloc_strings);
	r->strings[r->nr_strings++] = s;
	return s;
}

/*
 * A place for the point (lat, lon): gc_place_at with the country whose
 * outline contains the point (countries may be NULL); a point off the
 * gazetteer's places is named by its coordinates. Returns 0 when found,
 * else -1 with *reason.
 */
static int place_at(struct ctx *c, const struct geo_countries *countries, double lat, double lon,
		    struct gc_place *out, const char **reason)
{
	struct an_result *r = c->r;
	int inside = lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180;
	const char *cc = countries && inside ? geo_countries_locate(countries, lat, lon) : NULL;
	if (gc_place_at(c->gz, lat, lon, AN_NEAREST_KM, cc, out, reason))
		return -1;
	if (!out->name) {
		struct strbuf sb = STRBUF_INIT;
		sb_init(&sb, 32);
		sb_addf(&sb, "%.3f, %.3f", lat, lon);
		out->name = own_str(r, sb_detach(&sb, NULL));
	}
	return 0;
}

static int cmp_place(const void *a, const void *b)
{
	const struct st_place *x = a, *y = b;
	int c;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	c = strcmp(x->place.name ? x->place.name : "", y->place.name ? y->place.name : "");
	if (c)
		return c;
	return x->place.key < y->place.key ? -1 : x->place.key > y->place.key;
}

static int cmp_unresolved(const void *a, const void *b)
{
	const struct an_unresolved *x = a, *y = b;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->text, y->text);
}

/*
 * With two jobs, a second thread resolves the location strings of locs
 * [from, to) with a resolver of its own while the calling thread does
 * those before from; answers do not depend on the resolver or its cache,
 * so the places are the same as on one thread.
 */
struct res_share {
	const struct ag *ag;
	const struct gz *gz;
	size_t from, to;
	size_t every;            /* a fresh resolver every so many strings (its cache stays small) */
	struct gc_place *out;    /* out[i - from]: the answer for string loc i */
};

static void *res_share_run(void *v)
{
	struct res_share *sh = v;
	struct gc *gc = gc_new(sh->gz);
	for (size_t i = sh->from, used = 0; i < sh->to; i++) {
		size_t len;
		const char *text;
		if (sh->ag->locs[i].kind != AG_LOC_STRING)
			continue;
		if (++used % sh->every == 0) {
			gc_free(gc);
			gc = gc_new(sh->gz);
		}
		text = ag_loc_text(sh->ag, i, &len);
		sh->out[i - sh->from] = *gc_resolve(gc, text, len);
	}
	gc_free(gc);
	return NULL;
}

/* Strings below which one thread resolves them all (a thread costs more than it saves). */
#define RES_SHARE_MIN 4096

static int resolve_all(struct ctx *c, struct strbuf *err)
{
	struct an_result *r = c->r;
	struct gc *gc = gc_new(c->gz);
	struct geo_countries *countries = NULL;
	struct strmap bykey;   /* place key -> index */
	size_t alloc_places = 0, alloc_unres = 0, *order = NULL;
	int rc = NR_EX_OK, shared = 0; /* 1: the second thread runs, 2: joined */
	struct res_share share = { 0 };
	pthread_t share_tid;

	if (sm_count(&c->ag.coords)) {
		rc = nd_countries(c->data, &countries, err);
		if (rc) {
			gc_free(gc);
			return rc;
		}
	}
	sm_init(&bykey);
	{
		int jobs = an_jobs(c->opt);
		size_t nstr = 0;
		for (size_t i = 0; i < c->ag.nr_locs; i++)
			nstr += c->ag.locs[i].kind == AG_LOC_STRING;
		if (jobs >= 2 && nstr >= RES_SHARE_MIN) {
			/* the second half of the strings: from the loc where the first half ends */
			size_t half = 0, from = 0;
			while (half < nstr / 2)
				half += c->ag.locs[from++].kind == AG_LOC_STRING;
			share.ag = &c->ag;
			share.gz = c->gz;
			share.from = from;
			share.to = c->ag.nr_locs;
			share.every = c->max_distinct / 16 + 1;
			share.out = xmalloc((share.to - from) * sizeof(*share.out));
			if (pthread_create(&share_tid, NULL, res_share_run, &share) == 0) {
				shared = 1;
			} else {
				free(share.out);
				share.out = NULL;
			}
		}
	}
	for (size_t i = 0, used = 0; i < c->ag.nr_locs; i++) {
		struct ag_loc *l = &c->ag.locs[i];
		struct gc_place p;
		const char *reason = NULL;
		int ok;
		if (shared && i == share.from) {
			pthread_join(share_tid, NULL);
			shared = 2;
		}
		if (l->kind == AG_LOC_COORDS) {
			ok = place_at(c, countries, l->lat_e3 / 1000.0, l->lon_e3 / 1000.0, &p, &reason) == 0;
		} else if (l->kind == AG_LOC_PLACED) {
			ok = 1;
			p = *l->placed;
		} else if (l->kind == AG_LOC_OVERFLOW) {
			ok = 0;
			reason = l->reason;
		} else {
			const struct gc_place *g;
			size_t len;
			const char *text = ag_loc_text(&c->ag, i, &len);
			if (shared == 2) {
				g = &share.out[i - share.from];
			} else {
				/* each string comes once: keep the resolver's cache small */
				if (++used % (c->max_distinct / 16 + 1) == 0) {
					gc_free(gc);
					gc = gc_new(c->gz);
				}
				g = gc_resolve(gc, text, len);
			}
			ok = g->level != GC_LEVEL_NONE;
			if (ok)
				p = *g;
			else
				reason = g->reason ? g->reason : "names no known place";
		}
		if (!ok) {
			l->reason = reason;
			r->unresolved += l->count;
			for (size_t k = 0; k < c->nr_inputs; k++)
				r->input_counts[k].unresolved += ag_loc_in(l, k);
			continue;
		}
		{
			int inserted;
			size_t *v = sm_put(&bykey, &p.key, sizeof(p.key), r->nr_places, &inserted);
			if (inserted) {
				ALLOC_GROW(r->places, r->nr_places + 1, alloc_places);
				memset(&r->places[r->nr_places], 0, sizeof(r->places[0]));
				r->places[r->nr_places].place = p;
				r->places[r->nr_places].region = -1;
				r->nr_places++;
			}
			l->place = (uint32_t)*v;
			r->places[*v].count += l->count;
		}
		r->resolved += l->count;
		for (size_t k = 0; k < c->nr_inputs; k++)
			r->input_counts[k].resolved += ag_loc_in(l, k);
	}
	sm_release(&bykey);
	gc_free(gc);
	free(share.out);

	/* sort places and remap loc -> place */
	order = xcalloc(r->nr_places + 1, sizeof(*order));
	{
		struct { struct st_place p; size_t old; } *tmp = xcalloc(r->nr_places + 1, sizeof(*tmp));
		for (size_t i = 0; i < r->nr_places; i++) {
			tmp[i].p = r->places[i];
			tmp[i].old = i;
		}
		/* qsort on the st_place prefix: cmp_place reads only the st_place part */
		qsort(tmp, r->nr_places, sizeof(*tmp), cmp_place);
		for (size_t i = 0; i < r->nr_places; i++) {
			r->places[i] = tmp[i].p;
			order[tmp[i].old] = i;
		}
		free(tmp);
	}
	for (size_t i = 0; i < c->ag.nr_locs; i++)
		if (c->ag.locs[i].place != NO_LOC)
			c->ag.locs[i].place = (uint32_t)order[c->ag.locs[i].place];
	free(order);

	/* unresolved strings */
	for (size_t i = 0; i < c->ag.nr_locs; i++) {
		struct ag_loc *l = &c->ag.locs[i];
		struct an_unresolved *u;
		struct strbuf sb = STRBUF_INIT;
		if (l->place != NO_LOC || l->count == 0)
			continue;
		sb_init(&sb, 32);
		if (l->kind == AG_LOC_COORDS)
			sb_addf(&sb, "%.3f,%.3f", l->lat_e3 / 1000.0, l->lon_e3 / 1000.0);
		else if (l->kind == AG_LOC_OVERFLOW)
			sb_addf(&sb, "(locations past the first %zu distinct ones, not listed one by one)",
				c->max_distinct);
		else {
			size_t len;
			const char *text = ag_loc_text(&c->ag, i, &len);
			txt_utf8_sanitize(&sb, text, len);
		}
		ALLOC_GROW(r->unresolved_list, r->nr_unresolved_list + 1, alloc_unres);
		u = &r->unresolved_list[r->nr_unresolved_list++];
		u->text = sb_detach(&sb, NULL);
		u->count = l->count;
		u->reason = l->reason;
	}
	if (r->nr_unresolved_list > 1)
		qsort(r->unresolved_list, r->nr_unresolved_list, sizeof(*r->unresolved_list), cmp_unresolved);

	/* months and contacts: loc -> place */
	r->months = ag_month_places(&c->ag, &r->nr_months);
	r->contacts = ag_take_contacts(&c->ag, &r->nr_contacts);
	return NR_EX_OK;
}

/* ---- home ---- */

/* "Plymouth, Wisconsin, United States" */
static void add_place_name(struct strbuf *out, const struct gc_place *p)
{
	sb_adds(out, p->name ? p->name : "");
	/* the region and country in the report's language (the terminal's notes); towns as the gazetteer names them */
	if (p->admin1 && *p->admin1 && (!p->name || strcmp(p->admin1, p->name)))
		sb_addf(out, ", %s", i18n_admin1(p->cc, p->admin1_code, p->admin1));
	if (p->country && *p->country)
		sb_addf(out, ", %s", i18n_country(p->cc, p->country));
}

/*
 * Other places the home could be (an_home.alt), and a note naming them: for
 * a --home without a comma, the export's towns with the home's name that lie
 * beyond the radius; for an inferred home, the towns with as many contacts.
 */
static void home_alternatives(struct an_result *r, const char *query, struct strbuf *notes)
{
	struct an_home *h = &r->home;
	struct strbuf key = STRBUF_INIT, k2 = STRBUF_INIT, scratch = STRBUF_INIT, t = STRBUF_INIT;
	size_t found = 0;
	unsigned long top = 0;
	const char *name = h->place.name ? h->place.name : "";
	if (!h->inferred && (!query || strchr(query, ',')))
		return;
	gz_normalize(&key, &scratch, name, strlen(name), 0);
	for (size_t i = 0; i < r->nr_places; i++)
		if (r->places[i].place.key == h->place.key)
			top = r->places[i].count;
	for (size_t i = 0; i < r->nr_places; i++) {
		const struct st_place *p = &r->places[i];
		if (!gc_level_is_point(p->place.level) || p->place.key == h->place.key)
			continue;
		if (h->inferred) {
			if (p->count < top)
				break; /* places are by count, then name */
		} else {
			const char *n = p->place.name ? p->place.name : "";
			gz_normalize(&k2, &scratch, n, strlen(n), 0);
			if (k2.len != key.len || memcmp(k2.buf, key.buf, key.len) ||
			    geo_dist_km(h->place.lat, h->place.lon, p->place.lat, p->place.lon) <= r->radius_km)
				continue;
		}
		found++;
		if (h->nr_alts < AN_HOME_ALTS)
			h->alt[h->nr_alts++] = i;
	}
	if (found) {
		/* the terminal's note, in the report's language (cli.c set it up) */
		struct strbuf home = STRBUF_INIT, list = STRBUF_INIT;
		add_place_name(&home, &h->place);
		for (size_t i = 0; i < h->nr_alts; i++) {
			const struct st_place *p = &r->places[h->alt[i]];
			if (i)
				sb_adds(&list, i + 1 == h->nr_alts && found == h->nr_alts ? _(" and ") : ", ");
			add_place_name(&list, &p->place);
			sb_addf(&list, ngettext(" (%lu connection)", " (%lu connections)", p->count), p->count);
		}
		if (found > h->nr_alts)
			sb_addf(&list, _(" and %zu more"), found - h->nr_alts);
		if (h->inferred) {
			sb_addf(&t, _("home inferred as %1$s (%2$lu connections), tied with %3$s; give --home to choose"),
				home.buf, top, list.buf);
		} else {
			sb_reset(&k2);
			txt_label(&k2, query, strlen(query), 200);
			sb_addf(&t, _("--home '%1$s' taken as %2$s; the export also has %3$s; give --home 'TOWN, REGION' to "
				      "choose"), k2.buf, home.buf, list.buf);
		}
		sb_addch(&t, '\n');
		sb_add(notes, t.buf, t.len);
		sb_release(&home);
		sb_release(&list);
	}
	sb_release(&key);
	sb_release(&k2);
	sb_release(&scratch);
	sb_release(&t);
}

static int find_home(struct ctx *c, const char *const *paths, struct strbuf *err)
{
	struct an_result *r = c->r;
	const struct an_options *opt = c->opt;
	struct an_home *h = &r->home;

	if (opt->home_query) {
		struct gc *gc = gc_new(c->gz);
		const struct gc_place *p = gc_resolve(gc, opt->home_query, strlen(opt->home_query));
		struct gc_place copy = *p;
		gc_free(gc);
		h->query = xstrdup(opt->home_query);
		h->source = "home";
		if (!gc_level_is_point(copy.level)) {
			/* the query as one line: control characters become spaces */
			struct strbuf q = STRBUF_INIT;
			txt_label(&q, opt->home_query, strlen(opt->home_query), 200);
			if (copy.level == GC_LEVEL_NONE)
				sb_addf(err, "--home '%s': names no known place", q.buf);
			else
				sb_addf(err, "--home '%s': names no known place at town level (it names %s %s)", q.buf,
					copy.level == GC_LEVEL_COUNTRY ? "the country" : "the region",
					copy.name ? copy.name : "");
			sb_release(&q);
			return NR_EX_USAGE;
		}
		h->place = copy;
		return NR_EX_OK;
	}
	if (opt->has_home_coords) {
		struct geo_countries *countries = NULL;
		struct strbuf q = STRBUF_INIT;
		const char *reason = NULL;
		int rc;
		sb_init(&q, 32);
		sb_addf(&q, "%.6f,%.6f", opt->home_lat, opt->home_lon);
		h->query = sb_detach(&q, NULL);
		h->source = "home-coords";
		if (!(opt->home_lat >= -90 && opt->home_lat <= 90 && opt->home_lon >= -180 && opt->home_lon <= 180)) {
			sb_addf(err, "--home-coords '%s': not a latitude,longitude", h->query);
			return NR_EX_USAGE;
		}
		rc = nd_countries(c->data, &countries, err);
		if (rc)
			return rc;
		rc = place_at(c, countries, opt->home_lat, opt->home_lon, &h->place, &reason);
		if (rc) {
			sb_addf(err, "--home-coords '%s': %s", h->query, reason);
			return NR_EX_USAGE;
		}
		/* the home is where the user says, named after the nearest place */
		h->place.lat = opt->home_lat;
		h->place.lon = opt->home_lon;
		return NR_EX_OK;
	}
	if (opt->profile_path) {
		struct strbuf loc = STRBUF_INIT;
		struct gc *gc;
		struct gc_place p;
		int rc;
		sb_init(&loc, 64);
		rc = ing_profile_location(opt->profile_path, &loc, err);
		if (rc) {
			sb_release(&loc);
			return rc;
		}
		gc = gc_new(c->gz);
		p = *gc_resolve(gc, loc.buf, loc.len);
		gc_free(gc);
		h->source = "profile";
		h->query = xstrdup(loc.buf);
		sb_release(&loc);
		if (!gc_level_is_point(p.level)) {
			sb_addf(err, "'%s': location '%s' names no known town; give --home PLACE", opt->profile_path,
				h->query);
			return NR_EX_DATAERR;
		}
		h->place = p;
		return NR_EX_OK;
	}
	/* inferred: the city with the most contacts (places are sorted by count, then name) */
	for (size_t i = 0; i < r->nr_places; i++)
		if (gc_level_is_point(r->places[i].place.level)) {
			h->place = r->places[i].place;
			h->query = xstrdup(h->place.name ? h->place.name : "");
			h->source = "inferred";
			h->inferred = 1;
			return NR_EX_OK;
		}
	sb_addf(err, "'%s': no contact location names a town, so home cannot be inferred; give --home PLACE",
		c->nr_inputs ? paths[0] : "");
	return NR_EX_DATAERR;
}

/* ---- companies, targets and the months ---- */

/*
 * Read --targets: one name a line (UTF-8, CR LF or LF), blank lines and
 * '#' comments ignored, into c->target_lines.
 */
static int read_targets(struct ctx *c, const char *path, struct strbuf *err)
{
	FILE *f = fopen(path, "rb");
	char *line = NULL;
	size_t cap = 0;
	unsigned long lineno = 0;
	ssize_t n;
	int rc = NR_EX_OK;
	if (!f) {
		const char *m = strerror(errno);
		sb_addf(err, "'%s': cannot open: %c%s", path, *m >= 'A' && *m <= 'Z' ? *m + 32 : *m, *m ? m + 1 : "");
		return NR_EX_NOINPUT;
	}
	while ((n = getline(&line, &cap, f)) >= 0) {
		const char *s = line;
		size_t len = (size_t)n;
		struct strbuf clean = STRBUF_INIT;
		lineno++;
		if (memchr(line, 0, len)) {
			sb_addf(err, "'%s': line %lu: NUL byte (not a text file)", path, lineno);
			rc = NR_EX_DATAERR;
			break;
		}
		if (lineno == 1 && len >= 3 && !memcmp(s, "\xef\xbb\xbf", 3))
			s += 3, len -= 3;
		while (len && (s[len - 1] == '\n' || s[len - 1] == '\r' || s[len - 1] == ' ' || s[len - 1] == '\t'))
			len--;
		while (len && (*s == ' ' || *s == '\t'))
			s++, len--;
		if (!len || *s == '#')
			continue;
		if (len > AN_TARGET_LINE_MAX) {
			sb_addf(err, "'%s': line %lu: longer than %d bytes", path, lineno, AN_TARGET_LINE_MAX);
			rc = NR_EX_DATAERR;
			break;
		}
		if (c->nr_target_lines >= AN_TARGETS_MAX) {
			sb_addf(err, "'%s': line %lu: more than %d targets", path, lineno, AN_TARGETS_MAX);
			rc = NR_EX_DATAERR;
			break;
		}
		txt_utf8_sanitize(&clean, s, len);
		c->target_lines = xrealloc(c->target_lines, (c->nr_target_lines + 1) * sizeof(*c->target_lines));
		c->target_lines[c->nr_target_lines++] = sb_detach(&clean, NULL);
	}
	if (!rc && ferror(f)) {
		sb_addf(err, "'%s': read error", path);
		rc = NR_EX_IOERR;
	}
	free(line);
	fclose(f);
	return rc;
}

/* ---- the pipeline ---- */

/* A ctx for reading n inputs into r; the aggregator is set up once the gazetteer is open (ctx_begin). */
static void ctx_init(struct ctx *c, const struct an_options *opt, struct an_result *r, size_t n)
{
	memset(c, 0, sizeof(*c));
	c->r = r;
	c->opt = opt;
	c->nr_inputs = n;
	c->max_distinct = opt->max_distinct ? opt->max_distinct : AN_MAX_DISTINCT;
	c->max_listed = opt->max_listed ? opt->max_listed : AN_MAX_LISTED;
}

/* The aggregator, resolving past the limit with the gazetteer c->gz. */
static void ctx_begin(struct ctx *c)
{
	struct ag_options ao;
	memset(&ao, 0, sizeof(ao));
	ao.nr_inputs = c->nr_inputs;
	ao.max_distinct = c->max_distinct;
	ao.max_listed = c->max_listed;
	ao.keep_contacts = c->opt->keep_contacts;
	ao.dedup = c->nr_inputs > 1;
	ao.gz = c->gz;
	ag_init(&c->ag, &ao);
}

static void ctx_release(struct ctx *c)
{
	ag_release(&c->ag);
	for (size_t i = 0; i < c->nr_target_lines; i++)
		free(c->target_lines[i]);
	free(c->target_lines);
	memset(c, 0, sizeof(*c));
}

/* The aggregator's row accounting, skipped rows and company counts into the result. */
static void take_counts(struct ctx *c)
{
	struct an_result *r = c->r;
	const struct ag *a = &c->ag;
	r->rows = a->total.rows;
	r->no_location = a->total.no_location;
	r->skipped = a->total.skipped;
	r->duplicates = a->total.duplicates;
	r->empty_rows = a->total.empty_rows;
	for (size_t k = 0; k < c->nr_inputs; k++) {
		r->input_counts[k].rows = a->in[k].rows;
		r->input_counts[k].no_location = a->in[k].no_location;
		r->input_counts[k].skipped = a->in[k].skipped;
		r->input_counts[k].duplicates = a->in[k].duplicates;
		r->input_counts[k].empty_rows = a->in[k].empty_rows;
	}
	r->with_company = a->with_company;
	r->companies_unlisted = a->companies_unlisted;
	r->split_reads = a->split_reads;
	r->skipped_list = ag_take_skipped(&c->ag, &r->nr_skipped_list);
}

/* Read export i into c, in two parts at once when allowed (see an_options.jobs). */
static int read_input(struct ctx *c, const char *path, size_t i, struct strbuf *err)
{
	const struct an_options *opt = c->opt;
	struct an_result *r = c->r;
	struct ing_options io = opt->ing;
	struct ing_split split;
	struct ag part;
	int jobs = an_jobs(opt), rc;

	c->ag.input = i;
	/* ag_row reads field[] only for the company, the URL when de-duplicating, the contacts for compare */
	if (!opt->keep_contacts)
		io.omit_fields = ING_ROLES_ALL & ~(ING_ROLE_BIT(ING_COMPANY) | (c->ag.opt.dedup ? ING_ROLE_BIT(ING_URL) : 0u));
	/* a second part has no URL set and no contacts: only for one export, without compare */
	if (jobs >= 2 && c->nr_inputs == 1 && !opt->keep_contacts) {
		ag_init_part(&part, &c->ag);
		split.min_bytes = opt->split_min ? opt->split_min : AN_SPLIT_MIN;
		split.ctx2 = &part;
		split.join = ag_join; /* called with the ctx, whose first member is the aggregator */
		io.split = &split;
	}
	pg_init(&c->pg, opt->progress);
	r->nr_inputs = i + 1;
	rc = ing_read(path, &io, ag_row, on_progress, c, &r->inputs[i], err);
	ag_flush(&c->ag); /* the rows ag_row held back belong to this input */
	pg_finish(&c->pg);
	if (io.split)
		ag_release(&part);
	return rc;
}

const char *an_home_name(const struct an_result *r, const char *fallback)
{
	if (r->home.place.name && *r->home.place.name)
		return r->home.place.name;
	if (r->home.query && *r->home.query)
		return r->home.query;
	return fallback;
}

const char *an_home_in(const struct an_result *r, const char *fallback)
{
	const char *n = st_place_name(&r->home.place, 1);
	return n && *n ? n : an_home_name(r, fallback);
}

int an_jobs(const struct an_options *o)
{
	return o->jobs ? o->jobs : sysconf(_SC_NPROCESSORS_ONLN) >= 2 ? 2 : 1;
}

int an_run(struct nr_data *data, const struct an_options *opt, const char *const *paths, size_t n,
	   struct an_result *out, struct strbuf *err)
{
	struct ctx c;
	struct geo_countries *countries;
	struct rg_set *rg = NULL;
	struct strbuf notes = STRBUF_INIT;
	int rc;

	memset(out, 0, sizeof(*out));
	out->radius_km = opt->radius_km > 0 ? opt->radius_km : ST_DEFAULT_RADIUS_KM;
	if (n == 0) {
		sb_addf(err, "no input files");
		return NR_EX_USAGE;
	}
	ctx_init(&c, opt, out, n);
	c.data = data;
	sb_init(&notes, 0);

	rc = nd_gazetteer(data, &c.gz, err);
	if (rc)
		goto done;
	ctx_begin(&c);
	if (opt->regions_path) {
		rc = rg_load(&rg, opt->regions_path, &notes, err);
		if (rc)
			goto done;
		out->nr_regions = rg_count(rg);
		out->region_names = xcalloc(out->nr_regions, sizeof(*out->region_names));
		for (size_t i = 0; i < out->nr_regions; i++)
			out->region_names[i] = xstrdup(rg_name(rg, i));
	}

	if (opt->targets_path) {
		rc = read_targets(&c, opt->targets_path, err);
		if (rc)
			goto done;
	}
	out->inputs = xcalloc(n, sizeof(*out->inputs));
	out->input_counts = xcalloc(n, sizeof(*out->input_counts));
	out->no_place_column = 1;
	for (size_t i = 0; i < n; i++) {
		rc = read_input(&c, paths[i], i, err);
		if (rc)
			goto done;
		out->no_place_column &= out->inputs[i].no_place_column;
	}
	ag_end_rows(&c.ag);
	take_counts(&c);
	ag_companies(&c.ag, c.target_lines, c.nr_target_lines, &out->companies, &out->nr_companies, &out->targets);
	out->nr_targets = c.nr_target_lines;
	ag_connected(&c.ag, &out->connected, &out->nr_connected, &out->dated);
	if (c.ag.overflow_rows)
		sb_addf(&notes, "more than %zu distinct locations: %lu rows past them were resolved one by one, "
			"and their unresolved ones are not listed by name\n", c.max_distinct, c.ag.overflow_rows);
	if (out->skipped > out->nr_skipped_list)
		sb_addf(&notes, "%lu rows skipped: skipped.csv lists the first %zu\n", out->skipped, c.max_listed);
	rc = resolve_all(&c, err);
	if (rc)
		goto done;
	if (out->no_place_column && !opt->home_query && !opt->has_home_coords && !opt->profile_path) {
		/* nothing to measure from or to: companies and dates only */
		out->home.source = "none";
		out->home.query = xstrdup("");
	} else {
		rc = find_home(&c, paths, err);
		if (rc)
			goto done;
		home_alternatives(out, opt->home_query, &notes);
	}
	if (rg)
		for (size_t i = 0; i < out->nr_places; i++)
			if (gc_level_is_point(out->places[i].place.level))
				out->places[i].region = rg_locate(rg, out->places[i].place.lat, out->places[i].place.lon);

	{
		struct st_input in;
		memset(&in, 0, sizeof(in));
		in.places = out->places;
		in.nr_places = out->nr_places;
		in.home = out->home.place;
		in.radius_km = out->radius_km;
		in.region_names = (const char **)out->region_names;
		in.nr_regions = out->nr_regions;
		in.months = out->months;
		in.nr_months = out->nr_months;
		in.jobs = an_jobs(opt);
		/* opened here even without located places, as the home map draws them */
		rc = nd_countries(data, &countries, err);
		if (!rc)
			rc = st_compute(&in, data, &out->summary, err);
	}
	/* a damaged gazetteer met while resolving: no report from it */
	if (!rc)
		rc = gz_check(c.gz, err);
done:
	if (notes.len)
		out->notes = sb_detach(&notes, NULL);
	sb_release(&notes);
	rg_free(rg);
	ctx_release(&c);
	if (rc)
		an_result_release(out);
	return rc;
}

void an_result_release(struct an_result *r)
{
	for (size_t i = 0; i < r->nr_inputs; i++)
		ing_info_release(&r->inputs[i]);
	free(r->inputs);
	free(r->input_counts);
	free(r->places);
	for (size_t i = 0; i < r->nr_unresolved_list; i++)
		free(r->unresolved_list[i].text);
	free(r->unresolved_list);
	free(r->skipped_list);
	for (size_t i = 0; i < r->nr_regions; i++)
		free(r->region_names[i]);
	free(r->region_names);
	free(r->months);
	st_summary_release(&r->summary);
	free(r->contacts);
	for (size_t i = 0; i < r->nr_companies; i++)
		free(r->companies[i].name);
	free(r->companies);
	for (size_t i = 0; i < r->nr_targets; i++)
		free(r->targets[i].name);
	free(r->targets);
	free(r->connected);
	free(r->home.query);
	free(r->notes);
	for (size_t i = 0; i < r->nr_strings; i++)
		free(r->strings[i]);
	free(r->strings);
	memset(r, 0, sizeof(*r));
}
