/*
 * geocode_score.c: the parts of a string to its best reading. Every city,
 * admin-2, admin-1 and country a part names is scored against the parts
 * after it (its context: a stated region or country is a constraint), and
 * the winner is checked for namesakes the string cannot tell apart. The
 * rules are listed at the top of geocode.c.
 */
#include "geocode_int.h"

#include <math.h>
#include <string.h>

#include "banned.h"

static double fcode_bonus(int fc)
{
	switch (fc) {
	case GZ_FC_PPLC:
		return 0.5;
	case GZ_FC_PPLA:
		return 0.1;
	case GZ_FC_PPLA2:
		return 0.05;
	case GZ_FC_PPLX:
		return -0.3;
	case GZ_FC_HIST:
		return -3;
	case GZ_FC_OTHER:
		return -0.5;
	default:
		return 0;
	}
}

/* Population 0 means unknown in GeoNames; seats of divisions are rarely hamlets. */
static double known_pop(const struct gz_place_rec *p)
{
	if (p->pop)
		return p->pop;
	switch (p->fcode) {
	case GZ_FC_PPLC:
	case GZ_FC_PPLA:
		return 20000;
	case GZ_FC_PPLA2:
		return 10000;
	case GZ_FC_PPLA3:
		return 2000;
	default:
		return 0;
	}
}

/* The prior of place p (gc_place(gc, ref)) read by a name of kind; log10 of its size remembered with gc_place's memo. */
static double place_prior(const struct gc *gc, uint32_t ref, const struct gz_place_rec *p, int kind)
{
	size_t slot = ref & (MEMO - 1);
	double lpop;
	if (ref != UINT32_MAX && gc->memo_ref[slot] == ref + 1 && gc->memo_rec[slot] == p) {
		if (isnan(gc->memo_lpop[slot]))
			gc->memo_lpop[slot] = log10(known_pop(p) + 10.0);
		lpop = gc->memo_lpop[slot];
	} else {
		lpop = log10(known_pop(p) + 10.0);
	}
	return lpop + fcode_bonus(p->fcode) - (kind == GZ_K_ALT ? 1.0 : 0.0);
}

/* The country a posting's place, region or country lies in. */
uint32_t gc_posting_country(const struct gc *gc, const struct gz_posting *q)
{
	const struct gz *gz = gc->gz;
	switch (q->type) {
	case GZ_T_COUNTRY:
		return q->ref;
	case GZ_T_ADMIN1:
		return gz_admin1(gz, q->ref)->country;
	case GZ_T_ADMIN2:
		return gz_admin2(gz, q->ref)->country;
	default:
		return gc_place(gc, q->ref)->country;
	}
}

/*
 * Does region posting q (of a context part) name something containing
 * place p? 2: its country, admin-1 or admin-2
 * region; 1: the sovereign country of its dependency ("Saint-Denis,
 * France" for Réunion), or a former region its admin-1 region was part of
 * ("Hyderabad, Andhra Pradesh": Telangana since 2014), which weighs less
 * than today's region of that name ("Ikare, Ondo": the Ikare of Ondo, not
 * Ikere-Ekiti, also "Ikare", in Ekiti, split off in 1996); 0: no
 * (*same_country set when q is a region of p's country).
 */
static int explains_place(const struct gz *gz, const struct gz_posting *q, const struct gz_place_rec *p, int *same_country)
{
	if (q->type == GZ_T_COUNTRY) {
		return q->ref == p->country ? 2 : q->ref == gz_country(gz, p->country)->parent;
	} else if (q->type == GZ_T_ADMIN1) {
		if (q->ref == p->admin1)
			return q->kind == GZ_K_FORMER ? 1 : 2;
		if (gz_admin1(gz, q->ref)->country == p->country)
			*same_country = 1;
	} else if (q->type == GZ_T_ADMIN2) {
		if (q->ref == p->admin2)
			return 2;
		if (gz_admin2(gz, q->ref)->country == p->country)
			*same_country = 1;
	}
	return 0;
}

static void consider(struct best *b, double score, int type, uint32_t ref, int kind, int metro, int context, int explained,
		     double penalty, size_t part)
{
	int same = b->type >= 0 && type == b->type && ref == b->ref;
	if (same ? score <= b->score : (b->type >= 0 && score <= b->score)) {
		/* not better: at most a new runner-up (a candidate never competes with itself) */
		if (!same && score > b->second)
			b->second = score;
		return;
	}
	if (!same && b->type >= 0 && b->score > b->second)
		b->second = b->score;
	b->score = score;
	b->type = type;
	b->ref = ref;
	b->kind = kind;
	b->metro = metro;
	b->context = context;
	b->explained = explained;
	b->penalty = penalty;
	b->part = part;
}

static double km_between(double lat1, double lon1, double lat2, double lon2)
{
	const double d2r = M_PI / 180.0;
	double dlat = (lat2 - lat1) * d2r, dlon = (lon2 - lon1) * d2r;
	double a = sin(dlat / 2) * sin(dlat / 2) + cos(lat1 * d2r) * cos(lat2 * d2r) * sin(dlon / 2) * sin(dlon / 2);
	return 2 * 6371.0088 * asin(sqrt(a < 1 ? a : 1));
}

/* Does s[0..n) contain the words w[0..m) (at word boundaries)? */
static int has_words(const char *s, size_t n, const char *w, size_t m)
{
	for (size_t i = 0; m && i + m <= n; i++)
		if ((i == 0 || s[i - 1] == ' ') && (i + m == n || s[i + m] == ' ') && !memcmp(s + i, w, m))
			return 1;
	return 0;
}

/*
 * The normalised name (gz_normalize) of admin-1 region a, *len its
 * length: made once per gc (in gc->a1keys), or into gc->key each time
 * for an index out of range (gz_admin1's stand-in, the damage noted).
 */
static const char *admin1_key(struct gc *gc, uint32_t a, size_t *len)
{
	size_t n = gz_admin1_count(gc->gz);
	if (a >= n) {
		const char *an = gz_str(gc->gz, gz_admin1(gc->gz, a)->name);
		gc_norm(gc, &gc->key, an, strlen(an));
		*len = gc->key.len;
		return gc->key.buf;
	}
	if (!gc->a1off) {
		gc->a1off = xcalloc(n, sizeof(*gc->a1off));
		gc->a1len = xcalloc(n, sizeof(*gc->a1len));
	}
	if (!gc->a1off[a]) {
		const char *an = gz_str(gc->gz, gz_admin1(gc->gz, a)->name);
		gc_norm(gc, &gc->key, an, strlen(an));
		gc->a1off[a] = gc->a1keys.len + 1;
		gc->a1len[a] = gc->key.len;
		sb_add(&gc->a1keys, gc->key.buf, gc->key.len);
	}
	*len = gc->a1len[a];
	return gc->a1keys.buf + gc->a1off[a] - 1;
}

/* Is some place of region posting r (admin-1 or admin-2) within km of p? */
static int region_within(const struct gc *gc, const struct gz_posting *r, const struct gz_place_rec *p, double km)
{
	const struct gz *gz = gc->gz;
	const uint32_t *list;
	size_t n = r->type == GZ_T_ADMIN1 ? gz_admin1_places(gz, r->ref, &list) : gz_admin2_places(gz, r->ref, &list);
	double lat = p->lat_e5 / 1e5, lon = p->lon_e5 / 1e5, dlat = km / 111.0;
	for (size_t i = 0; i < n; i++) {
		const struct gz_place_rec *o = gc_place(gc, list[i]);
		if (fabs(o->lat_e5 / 1e5 - lat) <= dlat && km_between(lat, lon, o->lat_e5 / 1e5, o->lon_e5 / 1e5) <= km)
			return 1;
	}
	return 0;
}

/*
 * Place p (read from part pk by posting q) is not in the admin-1 (or
 * admin-2) region a context part pj names, but in the same country. Accept it (returning a
 * penalty) only when GeoNames gives it no known region, when its region's
 * name holds the words the part wrote (GeoNames has both "Lima Province"
 * and "Lima region": "Huacho, Lima, Peru"), or when the region was drawn
 * anew: no place of that name in the region named, the only one of its
 * name in the country, and within REGION_SPLIT_KM of the region named:
 * a town across the border ("Cape Girardeau, IL" is in Missouri,
 * "Pembroke, QC" in Ontario, "Echuca, NSW" in Victoria; a city beside the
 * district around it: "Marrakesh, ..., Al Haouz") or in a region split
 * off ("Khammam, Andhra Pradesh": Telangana since 2014). Otherwise
 * return -1 (a contradiction).
 */
#define REGION_SPLIT_KM 50.0

static double admin1_mismatch(struct gc *gc, const struct gz_place_rec *p, const struct part *pk,
			      const struct gz_posting *q, const struct part *pj)
{
	const struct gz *gz = gc->gz;
	/* GeoNames gives no (or a retired) admin-1 code: nothing to contradict ("Lang Son, Lạng Sơn, Vietnam") */
	if (p->admin1 == GZ_NONE)
		return 1.0;
	size_t akl;
	const char *ak = admin1_key(gc, p->admin1, &akl);
	if (has_words(ak, akl, gc->keys.buf + pj->off, pj->len))
		return 1.0;
	/*
	 * A stated region is a constraint: "Kent, NY" is not Kent,
	 * Connecticut, however close (other Kents exist), nor "Cochrane,
	 * Ontario" the only Cochrane GeoNames lists (in Alberta, far away);
	 * an alternate name never crosses it.
	 */
	if (q->kind == GZ_K_ALT)
		return -1;
	for (size_t i = 0; i < pk->npost; i++) {
		const struct gz_posting *o = &pk->post[i];
		if (o->type == GZ_T_PLACE && o->ref != q->ref && o->kind != GZ_K_ALT && gc_place(gc, o->ref)->country == p->country)
			return -1;
	}
	for (size_t m = 0; m < pj->npost; m++) {
		const struct gz_posting *r = &pj->post[m];
		if (((r->type == GZ_T_ADMIN1 && gz_admin1(gz, r->ref)->country == p->country) ||
		     (r->type == GZ_T_ADMIN2 && gz_admin2(gz, r->ref)->country == p->country)) &&
		    region_within(gc, r, p, REGION_SPLIT_KM))
			return 2.0;
	}
	return -1;
}

static int is_code_part(const struct part *pk)
{
	if (pk->len > 3)
		return 0;
	for (size_t i = 0; i < pk->npost; i++)
		if ((pk->post[i].type == GZ_T_ADMIN1 || pk->post[i].type == GZ_T_COUNTRY) && pk->post[i].kind == GZ_K_CODE)
			return 1;
	return 0;
}

/*
 * Cost of reading a part as contradicting a candidate: a country named in
 * full (or by a curated alias) is decisive; region names ("Centre",
 * "Eastern", "Ouest") exist in many countries and exports spell them
 * differently, so they only weigh against.
 */
static double contradiction(const struct part *pj)
{
	for (size_t m = pj->rfirst; m < pj->npost; m++)
		if (pj->post[m].type == GZ_T_COUNTRY && (pj->post[m].kind == GZ_K_NAME || pj->post[m].kind == GZ_K_ALIAS))
			return 20.0;
	return 8.0;
}

/* Is some part before k unknown in country (no postings, or only places and regions elsewhere)? */
static int unknown_before(const struct gc *gc, size_t k, uint32_t country)
{
	for (size_t j = 0; j < k; j++) {
		const struct part *pj = &gc->parts[j];
		int here = 0;
		for (size_t i = 0; i < pj->npost && !here; i++) {
			const struct gz_posting *q = &pj->post[i];
			here = gc_posting_country(gc, q) == country;
		}
		if (!here)
			return 1;
	}
	return 0;
}

/* Does part pr name a place of country by its name or ASCII name (or, when capital is set, its capital by any name)? */
static int names_place_in(const struct gc *gc, const struct part *pr, uint32_t country, int capital)
{
	for (size_t i = 0; i < pr->npost; i++) {
		const struct gz_posting *q = &pr->post[i];
		if (q->type != GZ_T_PLACE || gc_place(gc, q->ref)->country != country)
			continue;
		if (q->kind != GZ_K_ALT || (capital && gc_place(gc, q->ref)->fcode == GZ_FC_PPLC))
			return 1;
	}
	return 0;
}

/* Does some part before r name a place of country (by any name)? */
static int places_before(const struct gc *gc, const struct part *parts, size_t r, uint32_t country)
{
	for (size_t j = 0; j < r; j++)
		for (size_t i = 0; i < parts[j].npost; i++)
			if ((parts[j].post[i].type == GZ_T_PLACE || parts[j].post[i].type == GZ_T_ADMIN2) &&
			    gc_posting_country(gc, &parts[j].post[i]) == country)
				return 1;
	return 0;
}

/* Does some part before k name, by its name or ASCII name, a place of country that the parts after it agree with? */
static int place_before(const struct gc *gc, size_t k, uint32_t country)
{
	for (size_t j = 0; j < k; j++)
		for (size_t i = 0; i < gc->parts[j].nfit; i++)
			if (gc->parts[j].fit_cc[i] == country)
				return 1;
	return 0;
}

/* One reading of a part as a city, scored against the parts after it (score_place). */
struct cand {
	double score, penalty;
	int kind, metro, context, explained;
	int by_region;     /* explained by a named admin-1 or admin-2 region */
	int unchecked;     /* later parts that state something we cannot check: unknown, or naming only towns far from it */
};

/* Does part pt name a place in country (and in admin-1 region admin1 unless GZ_NONE)? */
int gc_has_place_in(const struct gc *gc, const struct part *pt, uint32_t country, uint32_t admin1)
{
	for (size_t i = 0; i < pt->npost; i++) {
		if (pt->post[i].type != GZ_T_PLACE)
			continue;
		const struct gz_place_rec *p = gc_place(gc, pt->post[i].ref);
		if (p->country == country && (admin1 == GZ_NONE || p->admin1 == admin1))
			return 1;
	}
	return 0;
}

/*
 * Does part pr also name, by its name or ASCII name, a place inside
 * admin-2 region a or in its admin-1 region (a district named after its
 * town: "Bonn", "Heihe", "Callao")? An alternate name counts when it is a
 * short form of the place's own name (its words in the name: "Sudbury" for
 * Greater Sudbury, beside the Sudbury District).
 */
static int admin2_names_own_place(const struct gc *gc, const struct part *pr, uint32_t a)
{
	const struct gz *gz = gc->gz;
	const struct gz_admin2_rec *ar = gz_admin2(gz, a);
	for (size_t i = 0; i < pr->npost; i++) {
		if (pr->post[i].type != GZ_T_PLACE)
			continue;
		const struct gz_place_rec *p = gc_place(gc, pr->post[i].ref);
		if (pr->post[i].kind == GZ_K_ALT &&
		    !has_words(gz_place_key(gz, pr->post[i].ref), p->klen, gc->keys.buf + pr->off, pr->len))
			continue;
		if (p->admin2 == a || (p->country == ar->country && ar->admin1 != GZ_NONE && p->admin1 == ar->admin1))
			return 1;
	}
	return 0;
}

/*
 * Does part pj name regions only as districts named after a town it also
 * names ("Bandundu", "Boulemane", "Chitipa": no admin-1 region or country
 * of that name, no region word), each in p's own admin-1 region? Such a
 * part is the town's old province or region as often as the district
 * (gc_score_regions reads the district as unsure as the town, too), and
 * the admin-1 region it lies in agrees with p: it states what cannot be
 * checked, no contradiction. A district of another admin-1 region still
 * contradicts ("Kenge, Bandundu": not the Kenge of Kongo-Central).
 */
static int only_town_districts(const struct gc *gc, const struct part *pj, const struct gz_place_rec *p)
{
	const struct gz *gz = gc->gz;
	int any = 0;
	if (pj->region_word || p->admin1 == GZ_NONE || !pj->npost)
		return 0;
	/* postings are ordered by type: an admin-1 region or a country comes last (the common case, at once) */
	if (pj->post[pj->npost - 1].type == GZ_T_ADMIN1 || pj->post[pj->npost - 1].type == GZ_T_COUNTRY)
		return 0;
	for (size_t i = 0; i < pj->npost; i++) {
		const struct gz_posting *q = &pj->post[i];
		if (q->type == GZ_T_ADMIN2) {
			const struct gz_admin2_rec *a = gz_admin2(gz, q->ref);
			if (a->country != p->country || a->admin1 != p->admin1 || !admin2_names_own_place(gc, pj, q->ref))
				return 0;
			any = 1;
		}
	}
	return any;
}

/* Does part pj name a place within 161 km of p? */
static int names_place_near(const struct gc *gc, const struct part *pj, const struct gz_place_rec *p)
{
	for (size_t i = 0; i < pj->npost; i++) {
		if (pj->post[i].type != GZ_T_PLACE && pj->post[i].type != GZ_T_METRO)
			continue;
		const struct gz_place_rec *o = gc_place(gc, pj->post[i].ref);
		if (km_between(p->lat_e5 / 1e5, p->lon_e5 / 1e5, o->lat_e5 / 1e5, o->lon_e5 / 1e5) <= 161)
			return 1;
	}
	return 0;
}

/*
 * Score posting q of part k (a place or a curated metro) as the answer;
 * returns 0 when the string rules it out. Reads only the parts; the
 * ranking (gc_score_places) and the ambiguity test (gc_ambiguous_city) share it.
 */
static int score_place(struct gc *gc, size_t k, const struct gz_posting *q, int alone, struct cand *c)
{
	const struct gz *gz = gc->gz;
	const struct part *pk = &gc->parts[k];
	const struct gz_place_rec *p = gc_place(gc, q->ref);
	int kind = q->type == GZ_T_METRO ? GZ_K_NAME : q->kind;
	if (pk->region_word && !pk->metro)
		return 0; /* "Alpine County, CA" is the county, not the town of Alpine */
	if (alone && q->type == GZ_T_PLACE) {
		/* a bare word: only places of some size, never tiny namesakes */
		uint32_t min_pop = kind == GZ_K_ALT ? 10000 : 1000;
		/* (a second-order seat of unknown population counts as a town: "Saidu" = Saidu Sharif) */
		double size = p->pop || p->fcode != GZ_FC_PPLA2 ? p->pop : known_pop(p);
		if (pk->len < 3 || (size < min_pop && p->fcode != GZ_FC_PPLC && p->fcode != GZ_FC_PPLA))
			return 0;
	}
	int context = 0, explained = 0, by_region = 0, contradicted = 0, unchecked = 0;
	int metro = pk->metro || q->type == GZ_T_METRO;
	double penalty = 0;
	for (size_t j = k + 1; j < gc->nparts; j++) {
		const struct part *pj = &gc->parts[j];
		if (pj->group == pk->group)
			continue;
		if (!pj->has_region) {
			/*
			 * A part we cannot read as a region ("Jining, Nai Mongol,
			 * China"), or naming only towns far from this one (old
			 * provinces named after their capital: "Morondava, Toliary,
			 * Madagascar"), states something that cannot be checked:
			 * gc_ambiguous_city then asks for a clearer win. Towns near it
			 * agree ("Uptown, Dallas, TX").
			 */
			if (!names_place_near(gc, pj, p))
				unchecked++;
			continue;
		}
		int match = 0, same_country = 0;
		for (size_t m = pj->rfirst; m < pj->npost && match < 2; m++) { /* (places explain nothing) */
			int e = explains_place(gz, &pj->post[m], p, &same_country);
			if (e == 2 && (pj->post[m].type == GZ_T_ADMIN1 || pj->post[m].type == GZ_T_ADMIN2))
				by_region = 1;
			match = e > match ? e : match;
		}
		if (match) {
			context++;
			explained++;
			if (match == 1)
				penalty += 1.0;
			metro |= pj->metro;
		} else if (pj->weak && kind != GZ_K_ALT) {
			/* a peeled-off region may be spelled otherwise; an alternate name ("Gran" for Esztergom) must agree */
			continue;
		} else if (only_town_districts(gc, pj, p)) {
			/* "Kikwit, Bandundu, Congo": like a part naming only towns, unchecked unless near */
			if (!names_place_near(gc, pj, p))
				unchecked++;
			continue;
		} else {
			double pen = same_country ? admin1_mismatch(gc, p, pk, q, pj) : -1;
			context++;
			penalty += pen >= 0 ? pen : contradiction(pj);
			if (pen < 0)
				contradicted |= same_country || contradiction(pj) >= 20.0 ? 2 : 1;
		}
	}
	/*
	 * A stated region or country is a constraint: a city that another
	 * region of its country or a country named in full rules out is
	 * never the answer. A region name only other countries use
	 * ("Tours, Centre, France") weighs against a city its country
	 * explains, and rules out one nothing explains ("Atka, AK" is not
	 * Atka in Magadan).
	 */
	if (contradicted == 2 || (contradicted && !explained))
		return 0;
	double score = explained * 10.0 + place_prior(gc, q->ref, p, kind) - (double)k * 3.0 - penalty;
	/*
	 * "Los Blancos, Salta, Argentina", "Kenge, Bandundu, Congo": after a
	 * part we do not know, the later parts are its region. A later
	 * part is read as the city only when a region after it says so
	 * ("Suite 5, Dallas, TX"); otherwise the answer is the region or
	 * country, not a namesake city of the region ("Juliaca, Callao").
	 */
	if (k > 0 && unknown_before(gc, k, p->country)) {
		if (!by_region)
			return 0;
		score -= 3.0;
	} else if (k > 0 && !by_region && places_before(gc, gc->parts, k, p->country)) {
		/* "Dembi Dolo, Addis Ababa, Ethiopia": the city comes first; a later part is its region */
		return 0;
	}
	/*
	 * "Huacho, Lima, Peru": exports write the city first; reading a
	 * later part as the city skips a city of the same country that
	 * the context agrees with, which weighs like a contradicted
	 * region (not so when that city contradicts the context:
	 * "Uptown, Dallas, TX")
	 */
	if (k > 0 && place_before(gc, k, p->country))
		score -= 8.0;
	*c = (struct cand){ .score = score, .penalty = penalty, .kind = kind, .metro = metro, .context = context,
			    .explained = explained, .by_region = by_region, .unchecked = unchecked };
	return 1;
}

void gc_score_places(struct gc *gc, struct best *b, int alone)
{
	for (size_t k = 0; k < gc->nparts; k++) {
		struct part *pk = &gc->parts[k];
		/* "Leonara, WA": after the first part, "WA" is a state, not the town of Wa */
		if (k > 0 && is_code_part(pk))
			continue;
		for (size_t i = 0; i < pk->npost; i++) {
			const struct gz_posting *q = &pk->post[i];
			struct cand c;
			if ((q->type != GZ_T_PLACE && q->type != GZ_T_METRO) || !score_place(gc, k, q, alone, &c))
				continue;
			uint32_t country = gc_place(gc, q->ref)->country;
			if (c.explained && c.penalty < 8.0 && c.kind != GZ_K_ALT && pk->nfit < ARRAY_SIZE(pk->fit_cc)) {
				size_t f = 0;
				while (f < pk->nfit && pk->fit_cc[f] != country)
					f++;
				if (f == pk->nfit)
					pk->fit_cc[pk->nfit++] = country;
			}
			consider(b, c.score, GZ_T_PLACE, q->ref, c.kind, c.metro, c.context, c.explained, c.penalty, k);
			if (b->type == GZ_T_PLACE && b->ref == q->ref && b->part == k) {
				b->by_region = c.by_region;
				b->unchecked = c.unchecked;
				b->curated = q->type == GZ_T_METRO;
			}
		}
	}
}

/*
 * Does part r also name the city that region a is named after? Either a
 * place of some size inside a ("St. Gallen", "Salzburg"), or a capital or
 * first-order seat of the same country that GeoNames puts in a region of
 * its own: one named after the city ("Minsk" is Minsk Oblast and the city
 * in "Minsk City"; "Sofia", "Buenos Aires"), one GeoNames does not list,
 * or one next to a (within 150 km of its main place). Not "Washington":
 * its region, the District of Columbia, is named otherwise and far away.
 */
static int names_own_seat(struct gc *gc, const struct part *pr, uint32_t a)
{
	const struct gz *gz = gc->gz;
	const struct gz_admin1_rec *ar = gz_admin1(gz, a);
	const char *key = gc->keys.buf + pr->off;
	for (size_t i = 0; i < pr->npost; i++) {
		if (pr->post[i].type != GZ_T_PLACE)
			continue;
		const struct gz_place_rec *p = gc_place(gc, pr->post[i].ref);
		if (p->admin1 == a && p->pop >= 1000)
			return 1;
		if (p->country != ar->country || (p->fcode != GZ_FC_PPLC && p->fcode != GZ_FC_PPLA) ||
		    pr->post[i].kind == GZ_K_ALT)
			continue;
		if (p->admin1 == GZ_NONE)
			return 1;
		if (ar->rep_place != GZ_NONE) {
			const struct gz_place_rec *r = gc_place(gc, ar->rep_place);
			if (km_between(p->lat_e5 / 1e5, p->lon_e5 / 1e5, r->lat_e5 / 1e5, r->lon_e5 / 1e5) <= 150)
				return 1;
		}
		size_t akl;
		const char *ak = admin1_key(gc, p->admin1, &akl);
		if (has_words(ak, akl, key, pr->len))
			return 1;
	}
	return 0;
}

static double region_prior(const struct gc *gc, const struct gz_posting *q, uint32_t country)
{
	/* ties ("WA": Washington or Western Australia; "SC") go to the country with more places listed */
	size_t ci = country < gz_country_count(gc->gz) ? country : gz_country_count(gc->gz); /* (the last: gz_country's stand-in) */
	if (isnan(gc->country_size[ci]))
		gc->country_size[ci] = 0.01 * log10((double)gz_country(gc->gz, country)->nplaces + 1.0);
	double size = gc->country_size[ci];
	if (q->type == GZ_T_COUNTRY) {
		static const double pri[] = { 7.5, 7.2, 4.5, 6.0 };
		return (q->kind < ARRAY_SIZE(pri) ? pri[q->kind] : 4.5) + size;
	}
	if (q->type == GZ_T_ADMIN2) /* more specific than its admin-1 region */
		return (q->kind == GZ_K_NAME ? 5.3 : 4.8) + size;
	return (q->kind == GZ_K_NAME ? 5.0 : 4.7) + size;
}

/* Is part pr also an admin-1 abbreviation in a country other than country? */
static int abbr_elsewhere(const struct gz *gz, const struct part *pr, uint32_t country)
{
	for (size_t i = 0; i < pr->npost; i++)
		if (pr->post[i].type == GZ_T_ADMIN1 && pr->post[i].kind == GZ_K_ABBR &&
		    gz_admin1(gz, pr->post[i].ref)->country != country)
			return 1;
	return 0;
}

/* Does a part after r name a2's admin-1 region? */
static int explained_by_admin1(const struct gc *gc, size_t r, const struct gz_admin2_rec *a2)
{
	for (size_t j = r + 1; j < gc->nparts; j++)
		for (size_t i = 0; i < gc->parts[j].npost; i++)
			if (gc->parts[j].post[i].type == GZ_T_ADMIN1 && gc->parts[j].post[i].ref == a2->admin1)
				return 1;
	return 0;
}

void gc_score_regions(struct gc *gc, struct best *b, int alone, int *skipped_abbr)
{
	const struct gz *gz = gc->gz;
	for (size_t r = 0; r < gc->nparts; r++) {
		const struct part *pr = &gc->parts[r];
		for (size_t i = pr->rfirst; i < pr->npost; i++) {
			const struct gz_posting *q = &pr->post[i];
			if (q->type != GZ_T_ADMIN2 && q->type != GZ_T_ADMIN1 && q->type != GZ_T_COUNTRY)
				continue;
			/*
			 * A former region split between several ("Katanga": four
			 * provinces since 2015) is context for a city, never one of
			 * its successors as the answer
			 */
			if (q->type == GZ_T_ADMIN1 && q->kind == GZ_K_FORMER)
				continue;
			/*
			 * A county's name without its generic word ("Sheboygan" for
			 * Sheboygan County) means the county only when the string said
			 * "County" ("Douglas County" -> "Douglas") or names no place.
			 */
			if (q->type == GZ_T_ADMIN2 && q->kind != GZ_K_NAME && !pr->region_word && gc_has_type(pr->post, pr->npost, 0))
				continue;
			/* "Gold Coast Area", "Greater Norfolk Area": metro words make a city of it, not a country */
			if (q->type == GZ_T_COUNTRY && pr->metro && gc_has_type(pr->post, pr->npost, 0))
				continue;
			if (q->kind == GZ_K_CODE && r == 0) {
				/* "DE", "IN", "CA" alone are too ambiguous; "NSW", "NRW" are not */
				if (!(alone && q->type == GZ_T_ADMIN1 && pr->len >= 3)) {
					*skipped_abbr = 1;
					continue;
				}
			}
			uint32_t country = gc_posting_country(gc, q);
			const struct gz_admin2_rec *a2 = q->type == GZ_T_ADMIN2 ? gz_admin2(gz, q->ref) : NULL;
			/*
			 * A country code ("LS", "GT") is context for a city, not a place
			 * of its own: after a part that names no place of its country
			 * ("System, LS", "Foo, GT") it says nothing. (A state code after
			 * an unknown town still names the state: "Ambler, AK".)
			 */
			if (q->kind == GZ_K_CODE && q->type == GZ_T_COUNTRY && r > 0 && !places_before(gc, gc->parts, r, country)) {
				*skipped_abbr = 1;
				continue;
			}
			/* "Fort Simpson, NT": a state code of several countries, and no known place to say which */
			if (q->kind == GZ_K_ABBR && q->type == GZ_T_ADMIN1 && r > 0 && abbr_elsewhere(gz, pr, country) &&
			    !places_before(gc, gc->parts, r, country)) {
				*skipped_abbr = 1;
				continue;
			}
			uint32_t parent = gz_country(gz, country)->parent;
			uint32_t rep = q->type == GZ_T_COUNTRY ? gz_country(gz, q->ref)->rep_place
				       : a2 ? a2->rep_place : gz_admin1(gz, q->ref)->rep_place;
			/* a region without places (its places' codes were dropped as stale): it still names its country */
			int placeless = rep == GZ_NONE;
			if (placeless && (q->type != GZ_T_ADMIN1 || gz_country(gz, country)->rep_place == GZ_NONE))
				continue;
			int context = 0, explained = 0, metro = pr->metro;
			/*
			 * "Lang Son, Lạng Sơn, Vietnam", "New York, New York", "Kuwait,
			 * Kuwait": a region or country does not precede itself; named
			 * twice, the first is its city
			 */
			int city_too = names_place_in(gc, pr, country, q->type == GZ_T_COUNTRY);
			int contradicted = 0;
			double penalty = 0;
			for (size_t j = r + 1; j < gc->nparts; j++) {
				const struct part *pj = &gc->parts[j];
				if (!pj->has_region || pj->group == pr->group)
					continue;
				int match = 0, consistent = 0;
				for (size_t m = pj->rfirst; m < pj->npost; m++) { /* (every case below is a region) */
					const struct gz_posting *c = &pj->post[m];
					if (c->type == GZ_T_COUNTRY && q->type == GZ_T_COUNTRY && c->ref == q->ref && city_too)
						consistent = 1; /* "Kuwait, Kuwait", "Luxembourg, Luxembourg": the capital */
					else if (c->type == GZ_T_COUNTRY && (c->ref == country || c->ref == parent))
						match = 2;
					else if ((c->type == GZ_T_ADMIN1 && q->type == GZ_T_ADMIN1 && c->ref == q->ref && !city_too) ||
						 (c->type == GZ_T_ADMIN1 && a2 && c->ref == a2->admin1)) /* "Sheboygan County, WI" */
						match = c->kind != GZ_K_FORMER ? 2 : match > 1 ? match : 1; /* a former region weighs less (score_place) */
					else if (c->type == GZ_T_ADMIN1 && !a2 && gz_admin1(gz, c->ref)->country == country)
						consistent = 1;
					else if (c->type == GZ_T_ADMIN2 && !a2 && gz_admin2(gz, c->ref)->country == country)
						consistent = 1;
				}
				if (match) {
					explained++;
					if (match == 1)
						penalty += 1.0;
				} else if (pj->weak)
					continue;
				else if (!consistent) {
					penalty += contradiction(pj);
					contradicted = 1;
				}
				context++;
			}
			/* the same constraint for regions: "Gulf County, FL" is not Gulf Province, Papua New Guinea */
			if (contradicted)
				continue;
			double score = explained * 10.0 + region_prior(gc, q, country) - (double)r * 3.0 - penalty;
			if (a2 && !pr->region_word && admin2_names_own_place(gc, pr, q->ref)) {
				/* "Bonn", "Heihe, Heilongjiang": the city, not the district named after it */
				if (r == 0)
					score -= 3.0;
				/*
				 * "Kenge, Bandundu, Congo": after another first part, a district
				 * named like its town is as unsure as the town (gc_score_places)
				 */
				else if (unknown_before(gc, r, country) || places_before(gc, gc->parts, r, country))
					continue;
			}
			/*
			 * A county named like towns elsewhere in the country, with no
			 * region to place it ("Allende, Mexico": municipios carry their
			 * town's name), is the city reading's to answer.
			 */
			if (a2 && r == 0 && !pr->region_word && q->kind == GZ_K_NAME && !explained_by_admin1(gc, r, a2) &&
			    gc_has_type(pr->post, pr->npost, 0))
				continue;
			if (r == 0 && q->type == GZ_T_ADMIN1) {
				/*
				 * "St. Gallen", "Salzburg": a region named like a city inside it
				 * means the city; "Washington, United States" (exports write
				 * "Region, Country" for regions) means the state, not the
				 * namesake city elsewhere.
				 */
				if (names_own_seat(gc, pr, q->ref) && (!pr->region_word || pr->metro))
					score -= 2.0; /* and "Región de Mendoza": LinkedIn's words for the metro of the city */
				else if (explained && q->kind == GZ_K_NAME && !placeless)
					score += 2.0;
			}
			/* only its country: a city of that name there is the better answer */
			if (placeless)
				consider(b, score - 2.0, GZ_T_COUNTRY, country, q->kind, metro, context, explained, penalty, r);
			else
				consider(b, score, q->type, q->ref, q->kind, metro, context, explained, penalty, r);
		}
	}
}

/*
 * Precision before recall: several places carry the winning city's name
 * and nothing in the string tells them apart ("Auburn, United States",
 * "Kochi", "Greater Newcastle Area"). Is there another reading of the
 * same part that the string allows as well as the winner (score_place:
 * not ruled out, explained by as many parts), more than 161 km away, with
 * at least 1/AMBIGUOUS_RATIO of the winner's population? An alternate
 * name counts only for a bigger place ("Heroica Matamoros"); suburbs and
 * historical places do not count. When a later part states something
 * that cannot be checked (an unknown region: "Jining, Nai Mongol,
 * China"), a rival of 1/UNCHECKED_RATIO suffices. A city that a named
 * region explains is not ambiguous, unless a region of that name abroad
 * explains a namesake there ("Esperance, WA"). The winner's size is known_pop (the
 * proxy for seats of unknown size); a rival of unknown size counts as
 * 1,000 (cities500 lists towns of 500 and more).
 */
#define AMBIGUOUS_RATIO 3.0

#define UNCHECKED_RATIO 10.0

#define FOREIGN_RATIO 100.0

/*
 * The other side of that rule: a place the winner's part names by an
 * alternate name, at least AMBIGUOUS_RATIO (UNCHECKED_RATIO) times the
 * winner's population, that the string allows as well (not ruled out,
 * explained by as many parts), more than 161 km away. Beside it the winner
 * is a namesake too small to count, as a primary-name namesake of that size
 * would be ("Gran Matamoros": Heroica Matamoros, 450,000, not the
 * Matamoros of 52,000 in Coahuila). Only an alternate name that is a short
 * form of the place's own name counts (its words in the name: a title or a
 * qualifier dropped, "Roxas City", "Ciudad Lázaro Cárdenas"), not any name
 * GeoNames lists for it; and a primary-name namesake of the winner of at
 * least 1/ratio of it, or another alternate-name reading of 1/ratio of the
 * dominant one, far away, leaves the string ambiguous. Puts the biggest such reading in *b
 * (method alternate) and returns 1; a rival of less than the ratio still
 * makes the string ambiguous ("Kochi": Cochin in India and Kōchi in Japan).
 */
int gc_dominant_alternate(struct gc *gc, struct best *b, int alone)
{
	const struct gz *gz = gc->gz;
	if (b->type != GZ_T_PLACE || b->by_region || b->curated)
		return 0;
	const struct part *pk = &gc->parts[b->part];
	const struct gz_place_rec *w = gc_place(gc, b->ref);
	double wp = known_pop(w), ratio = b->unchecked ? UNCHECKED_RATIO : AMBIGUOUS_RATIO, top = 0;
	uint32_t ref = GZ_NONE;
	struct cand best = { 0 };
	for (size_t i = 0; i < pk->npost; i++) {
		const struct gz_posting *q = &pk->post[i];
		if (q->type != GZ_T_PLACE || q->ref == b->ref || q->kind != GZ_K_ALT)
			continue;
		const struct gz_place_rec *p = gc_place(gc, q->ref);
		struct cand c;
		if (p->fcode == GZ_FC_HIST || p->fcode == GZ_FC_PPLX || p->pop < wp * ratio || p->pop <= top)
			continue;
		/* only a short form of its own name (its words in the name's key): "Heroica Matamoros", "Roxas City" */
		if (!has_words(gz_place_key(gz, q->ref), p->klen, gc->keys.buf + pk->off, pk->len))
			continue;
		if (!score_place(gc, b->part, q, alone, &c) || c.explained < b->explained ||
		    km_between(w->lat_e5 / 1e5, w->lon_e5 / 1e5, p->lat_e5 / 1e5, p->lon_e5 / 1e5) <= 161)
			continue;
		top = p->pop;
		ref = q->ref;
		best = c;
	}
	if (ref == GZ_NONE)
		return 0;
	const struct gz_place_rec *t = gc_place(gc, ref);
	for (size_t i = 0; i < pk->npost; i++) {
		const struct gz_posting *q = &pk->post[i];
		if (q->type != GZ_T_PLACE || q->ref == b->ref || q->ref == ref)
			continue;
		const struct gz_place_rec *p = gc_place(gc, q->ref);
		double size = p->pop ? p->pop : 1000.0;
		struct cand c;
		if (p->fcode == GZ_FC_HIST || p->fcode == GZ_FC_PPLX)
			continue;
		if (q->kind != GZ_K_ALT) {
			/* the name alone already names several places ("Vicente Guerrero"): no reading settles it */
			if (size * ratio >= wp && score_place(gc, b->part, q, alone, &c) && c.explained >= b->explained &&
			    km_between(w->lat_e5 / 1e5, w->lon_e5 / 1e5, p->lat_e5 / 1e5, p->lon_e5 / 1e5) > 161)
				return 0;
			continue;
		}
		/* another alternate-name reading of 1/ratio of it, far from it ("Caxias": Duque de Caxias, Caxias do Sul) */
		if (p->pop * ratio >= top && score_place(gc, b->part, q, alone, &c) && c.explained >= b->explained &&
		    km_between(t->lat_e5 / 1e5, t->lon_e5 / 1e5, p->lat_e5 / 1e5, p->lon_e5 / 1e5) > 161)
			return 0;
	}
	b->ref = ref;
	b->kind = GZ_K_ALT;
	b->metro = best.metro;
	b->context = best.context;
	b->explained = best.explained;
	b->penalty = best.penalty;
	b->by_region = best.by_region;
	b->unchecked = best.unchecked;
	return 1;
}

/*
 * Does part pk name place ref by a former name of it: an alternate name
 * that is neither a short form of its own name (the part's words in it)
 * nor a spelling of it (more than half the letters differ)?
 */
static int former_name(const struct gc *gc, const struct part *pk, uint32_t ref)
{
	const struct gz_place_rec *p = gc_place(gc, ref);
	const char *pkey = gz_place_key(gc->gz, ref), *k = gc->keys.buf + pk->off;
	size_t lim = (p->klen > pk->len ? p->klen : pk->len) / 2;
	return !has_words(pkey, p->klen, k, pk->len) && gc_edit_distance(k, pk->len, pkey, p->klen, lim) > lim;
}

/* Are countries a and b one, or one a dependency of the other (GF and FR)? */
static int same_country(const struct gz *gz, uint32_t a, uint32_t b)
{
	return a == b || gz_country(gz, a)->parent == b || gz_country(gz, b)->parent == a;
}

/*
 * Can a namesake abroad of the winning city *b be explained by a region
 * as well: does a part after it name an admin-1 or admin-2 region of
 * another country ("WA": Washington and Western Australia), and no part
 * name the city's country in full (which rules out every place abroad)?
 */
static int region_abroad(const struct gc *gc, const struct best *b)
{
	uint32_t country = gc_place(gc, b->ref)->country;
	const struct part *pk = &gc->parts[b->part];
	int abroad = 0;
	if (pk->nfit == 1 && pk->fit_cc[0] == country)
		return 0; /* the later parts explain no place abroad by this name (gc_score_places' fit_cc) */
	for (size_t j = gc->nparts; j-- > b->part + 1;) /* from the end, where the country usually is */
		for (size_t i = 0; i < gc->parts[j].npost; i++) {
			const struct gz_posting *q = &gc->parts[j].post[i];
			if (q->type == GZ_T_COUNTRY) {
				if (q->kind != GZ_K_CODE && same_country(gc->gz, q->ref, country))
					return 0;
			} else if (!abroad && (q->type == GZ_T_ADMIN1 || q->type == GZ_T_ADMIN2)) {
				abroad = !same_country(gc->gz, gc_posting_country(gc, q), country);
			}
		}
	return abroad;
}

int gc_ambiguous_city(struct gc *gc, const struct best *b, int alone)
{
	if (b->type != GZ_T_PLACE || (b->by_region && !region_abroad(gc, b)))
		return 0;
	const struct part *pk = &gc->parts[b->part];
	const struct gz_place_rec *w = gc_place(gc, b->ref);
	double wp = known_pop(w), ratio = b->unchecked ? UNCHECKED_RATIO : AMBIGUOUS_RATIO;
	int found = 0;
	/*
	 * A winner read by an alternate name that is neither a short form nor a
	 * spelling of its own name (more than half its letters differ: a former
	 * name, Austin's "Waterloo", Engels' "Pokrovsk") is a namesake of the
	 * places whose own name it is down to 1/FOREIGN_RATIO of its size, not
	 * 1/3 ("Roma", "Sevilla" are spellings of Rome's and Seville's names)
	 */
	int foreign = b->kind == GZ_K_ALT && former_name(gc, pk, b->ref);
	for (size_t i = 0; i < pk->npost; i++) {
		const struct gz_posting *q = &pk->post[i];
		if (q->type != GZ_T_PLACE || q->ref == b->ref)
			continue;
		const struct gz_place_rec *p = gc_place(gc, q->ref);
		if (p->fcode == GZ_FC_HIST || p->fcode == GZ_FC_PPLX || (q->kind == GZ_K_ALT && p->pop <= wp))
			continue;
		double size = p->pop ? p->pop : 1000.0;
		struct cand c;
		if (size * (foreign && q->kind != GZ_K_ALT ? FOREIGN_RATIO : ratio) < wp)
			continue;
		/*
		 * and the other way round: a place that the part names by a former
		 * name of its own (Tolyatti's "Stavropol", Planaltina's "Altamira",
		 * Beaumont's "Jefferson City") is a namesake of a winner read by its
		 * own name only at FOREIGN_RATIO times its size
		 */
		if (!foreign && q->kind == GZ_K_ALT && size < wp * FOREIGN_RATIO && former_name(gc, pk, q->ref))
			continue;
		/*
		 * a city that a named region explains is ambiguous only beside a
		 * namesake abroad that a region of that name explains as well (the
		 * abbreviation "WA": Esperance in Washington and in Western Australia)
		 */
		if (b->by_region && same_country(gc->gz, p->country, w->country))
			continue;
		if (!score_place(gc, b->part, q, alone, &c) || c.explained < b->explained || (b->by_region && !c.by_region))
			continue;
		if (km_between(w->lat_e5 / 1e5, w->lon_e5 / 1e5, p->lat_e5 / 1e5, p->lon_e5 / 1e5) > 161) {
			if (!same_country(gc->gz, p->country, w->country))
				return 2;
			found = 1;
		}
	}
	return found;
}

double gc_confidence(const struct best *b)
{
	double margin = b->second == -INFINITY ? 3.0 : b->score - b->second;
	double c;
	if (b->context > 0)
		c = b->explained == b->context ? 0.95 : 0.8;
	else
		c = 0.5 + 0.35 * (margin >= 1.5 ? 1.0 : margin / 1.5); /* a bare name: at most 0.85 */
	if (b->context > 0 && margin < 1.0)
		c -= 0.1;
	if (b->penalty >= 8)
		c = c > 0.6 ? 0.6 : c;
	if (b->metro)
		c *= 0.95;
	return c;
}
