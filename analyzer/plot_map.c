#include "plot_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compare.h"
#include "geo.h"
#include "geocode.h"
#include "i18n.h"
#include "stats.h"

#include "banned.h"

/*
 * plot's maps: the world map (Equal Earth, cut where the fewest paths
 * cross), the compare map, and the home country's map (admin-1 borders,
 * distance rings, place labels, an inset); outlines, bubbles and arcs.
 */

#define MAX_ARCS 300          /* arcs drawn from home (to the biggest places) */
#define MAX_MOVES 200         /* arrows on the compare map (the biggest moves) */

/* "%.1f\t%.1f\n" of x and y (map outlines print ~10^5 points: no printf). */
static void add_xy(struct strbuf *sb, double x, double y)
{
	char buf[2 * NR_FIXED_MAX + 2];
	size_t a = nr_fmt_fixed(buf, x, 1), b;
	if (!a || !(b = nr_fmt_fixed(buf + a + 1, y, 1))) {
		sb_addf(sb, "%.1f\t%.1f\n", x, y);
		return;
	}
	buf[a] = '\t';
	buf[a + 1 + b] = '\n';
	sb_add(sb, buf, a + b + 2);
}

/* A bubble's line: "%.1f\t%.1f\t%.1f\t%lu\n" of x, y, its radius and count (the three numbers made in one buffer). */
static void add_bubble(struct strbuf *sb, double x, double y, double r, unsigned long count)
{
	char buf[3 * (NR_FIXED_MAX + 1)];
	size_t a, b, c;
	if ((a = nr_fmt_fixed(buf, x, 1)) && (b = nr_fmt_fixed(buf + a + 1, y, 1)) &&
	    (c = nr_fmt_fixed(buf + a + b + 2, r, 1))) {
		buf[a] = buf[a + 1 + b] = buf[a + b + 2 + c] = '\t';
		sb_add(sb, buf, a + b + c + 3);
		sb_addu(sb, count);
		sb_addch(sb, '\n');
		return;
	}
	sb_addfixed(sb, x, 1);
	sb_addch(sb, '\t');
	sb_addfixed(sb, y, 1);
	sb_addch(sb, '\t');
	sb_addfixed(sb, r, 1);
	sb_addch(sb, '\t');
	sb_addu(sb, count);
	sb_addch(sb, '\n');
}

struct view {
	double x0, x1, y0, y1;      /* projected extent, metres */
	/*
	 * For write_rings, set by view_reach: the view is a Lambert azimuthal
	 * equal-area map centred at (lat0, lon0) and no point farther than
	 * reach_cos (the cosine of an angle) from the centre can land within
	 * it (plus write_rings' margin). reach_cos < -1: no such bound.
	 */
	double lat0, lon0, reach_cos;
};

#define DEG (M_PI / 180.0)

/*
 * Set v's reach for write_rings' margin (a quarter of the view's width
 * on every side) on the ellipsoidal LAEA centred at (lat0, lon0).
 *
 * Snyder's ellipsoidal LAEA computes on the authalic sphere (radius Rq,
 * authalic latitude beta): with D = a m1 / (Rq cos beta1),
 *   (x / D)^2 + (y D)^2 = (2 Rq sin(c / 2))^2
 * where c is the angle between the point and the centre on that sphere
 * (polar aspect: D = 1). So a point at distance rho = hypot(x, y) from the
 * centre has 2 Rq sin(c / 2) <= max(D, 1/D) rho, and max(D, 1/D) < 1.0025
 * on WGS84 (1.01 below). Within the padded view rho <= the farthest
 * corner's distance. Authalic and geodetic latitudes differ by at most
 * 0.129 degrees (0.0023 rad), so the angle between the geodetic
 * positions is at most c + 0.0045 (0.01 below). Rq = 6371007 m (6.371e6
 * below, which only makes the bound larger).
 */
static void view_reach(struct view *v, double lat0, double lon0)
{
	double pad = 0.25 * (v->x1 - v->x0), far = 0, s;
	double xs[2] = { v->x0 - pad, v->x1 + pad }, ys[2] = { v->y0 - pad, v->y1 + pad };
	for (int i = 0; i < 2; i++)
		for (int k = 0; k < 2; k++)
			far = fmax(far, hypot(xs[i], ys[k]));
	v->lat0 = lat0;
	v->lon0 = lon0;
	s = 1.01 * far / (2 * 6.371e6);
	if (!(s < 1.0) || 2 * asin(s) + 0.01 >= M_PI)
		v->reach_cos = -2;
	else
		v->reach_cos = cos(2 * asin(s) + 0.01);
}

/*
 * Whether a ring might have a point within the angle of v's reach from
 * its centre, from the ring's lon/lat box: an upper bound of
 *   cos c = sin(lat0) sin(lat) + cos(lat0) cos(lat) cos(lon - lon0)
 * over the box, each term at its largest. 0 means that no point of the
 * ring can be in the view, so it need not be projected.
 */
static int ring_may_reach(const struct view *v, const struct geo_ring *g)
{
	double la0 = 90, la1 = -90, lo0 = 180, lo1 = -180, t1, cmax, cmin, m, lon0;
	if (!(v->reach_cos >= -1.0))
		return 1;
	for (size_t k = 0; k < g->n; k++) {
		double lon = g->lonlat[2 * k], lat = g->lonlat[2 * k + 1];
		la0 = lat < la0 ? lat : la0;
		la1 = lat > la1 ? lat : la1;
		lo0 = lon < lo0 ? lon : lo0;
		lo1 = lon > lo1 ? lon : lo1;
	}
	t1 = sin(v->lat0 * DEG) * sin((v->lat0 >= 0 ? la1 : la0) * DEG);
	cmax = la0 <= 0 && la1 >= 0 ? 1.0 : cos(fmin(fabs(la0), fabs(la1)) * DEG);
	cmin = cos(fmax(fabs(la0), fabs(la1)) * DEG);
	lon0 = remainder(v->lon0, 360.0);
	if (lon0 >= lo0 && lon0 <= lo1)
		m = 1.0;
	else
		m = cos(fmin(fabs(remainder(lo0 - lon0, 360.0)), fabs(remainder(lo1 - lon0, 360.0))) * DEG);
	return t1 + cos(v->lat0 * DEG) * (m >= 0 ? cmax : cmin) * m + 1e-9 >= v->reach_cos;
}

static int in_view(const struct view *v, double x, double y, double pad)
{
	return x >= v->x0 - pad && x <= v->x1 + pad && y >= v->y0 - pad && y <= v->y1 + pad;
}

/*
 * Write the outline rings (projected, in km) into w->data, one block per
 * ring; returns the number of points written. With v, only rings with a
 * point within v (plus a margin) are kept; a ring with a point that does
 * not project is left out whole (a ring cut into pieces would be filled
 * with chords across the map). home_cc selects which rings go in (want_home
 * 1: only home_cc's, 0: all others); NULL: all.
 */
static size_t write_rings(struct pl_writer *w, const struct geo_outlines *o, const struct geo_proj *pj,
			  const struct view *v, const char *home_cc, int want_home)
{
	double *xs = NULL, *ys = NULL;
	size_t alloc = 0, points = 0;
	for (size_t i = 0; i < o->nr; i++) {
		const struct geo_ring *g = &o->rings[i];
		int is_home = home_cc && !strcmp(g->cc, home_cc);
		int any = 0, bad = 0;
		if (home_cc && is_home != want_home)
			continue;
		if (v && !ring_may_reach(v, g))
			continue; /* no point near the view: the loop below would find none */
		ALLOC_GROW(xs, g->n, alloc);
		ys = xrealloc(ys, alloc * sizeof(*ys));
		for (size_t k = 0; k < g->n && !bad; k++) {
			double lon = g->lonlat[2 * k], lat = g->lonlat[2 * k + 1];
			if (geo_proj_fwd(pj, lon, lat, &xs[k], &ys[k])) {
				bad = 1;
				break;
			}
			if (!v || in_view(v, xs[k], ys[k], 0.25 * (v->x1 - v->x0)))
				any = 1;
		}
		if (!any || bad)
			continue;
		for (size_t k = 0; k < g->n; k++)
			add_xy(&w->data, xs[k] / 1000.0, ys[k] / 1000.0);
		points += g->n;
		sb_addch(&w->data, '\n');
	}
	free(xs);
	free(ys);
	return points;
}

/*
 * Great-circle arc from home to (lat, lon), projected. On a map whose
 * central meridian is lon0 (not NaN), an arc that reaches the map's edge
 * (lon0 + 180) is split there: it ends at the edge and goes on from the
 * other one. NaN: the map has no such edge (an azimuthal home map).
 */
static void write_arc(struct strbuf *out, const struct geo_proj *pj, double lon0, double hlat, double hlon, double lat,
		      double lon, double dist_km)
{
	size_t n = 2 + (size_t)(dist_km / 50.0);
	double *la, *lo, r0 = 0;
	int have = 0;
	if (n > 400)
		n = 400;
	la = xcalloc(n, sizeof(*la));
	lo = xcalloc(n, sizeof(*lo));
	geo_path(hlat, hlon, lat, lon, n, la, lo);
	for (size_t i = 0; i < n; i++) {
		double x, y;
		double r1 = isnan(lon0) ? 0 : remainder(lo[i] - lon0, 360.0);
		/* r0: the previous point's r1 */
		if (i && fabs(r1 - r0) > 180.0) {
			/* crossing the edge: end there, restart on the other side */
			double side = r0 > 0 ? 180.0 : -180.0;
			double span = 360.0 - fabs(r1 - r0);
			double f = span > 0 ? (side - r0) * (side > 0 ? 1 : -1) / span : 0.5;
			double lat_x = la[i - 1] + f * (la[i] - la[i - 1]);
			double edge = lon0 + side;
			if (!geo_proj_fwd(pj, remainder(edge - (side > 0 ? 1e-6 : -1e-6), 360.0), lat_x, &x, &y))
				add_xy(out, x / 1000.0, y / 1000.0);
			sb_addch(out, '\n');
			if (!geo_proj_fwd(pj, remainder(edge + (side > 0 ? 1e-6 : -1e-6), 360.0), lat_x, &x, &y))
				add_xy(out, x / 1000.0, y / 1000.0);
			have = 0;
		}
		r0 = r1;
		if (geo_proj_fwd(pj, lo[i], la[i], &x, &y)) {
			if (have)
				sb_addch(out, '\n');
			have = 0;
			continue;
		}
		have = 1;
		add_xy(out, x / 1000.0, y / 1000.0);
	}
	sb_adds(out, "\n\n");
	free(la);
	free(lo);
}

struct bubble {
	unsigned long count;
	size_t idx;
};

/*
 * b[0..n), in index order, into the bubbles' order (count descending,
 * then index: a total order): a stable radix sort on the bytes of the
 * counts (up to the largest, most), biggest byte value first, so that
 * equal counts keep their index order. qsort took ~9 M instructions for
 * 20,000 places.
 */
static void sort_bubbles(struct bubble *b, size_t n, unsigned long most)
{
	struct bubble *tmp, *src = b, *dst;
	size_t at[256];
	if (n < 2)
		return;
	tmp = xmalloc(n * sizeof(*tmp));
	dst = tmp;
	for (unsigned shift = 0; shift < 8 * sizeof(most) && most >> shift; shift += 8) {
		struct bubble *t;
		size_t sum = 0;
		memset(at, 0, sizeof(at));
		for (size_t i = 0; i < n; i++)
			at[255 - ((src[i].count >> shift) & 255)]++;
		for (int d = 0; d < 256; d++) {
			size_t c = at[d];
			at[d] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			dst[at[255 - ((src[i].count >> shift) & 255)]++] = src[i];
		t = src;
		src = dst;
		dst = t;
	}
	if (src != b)
		memcpy(b, src, n * sizeof(*b));
	free(tmp);
}

/*
 * City-level places of r with a count (count[i], or the place's own count
 * when count is NULL), biggest first, equal counts by index; *n gets how
 * many, *max is raised to the largest count. Caller frees.
 */
static struct bubble *located_places(const struct an_result *r, const unsigned long *count, size_t *n,
				     unsigned long *max)
{
	struct bubble *b = xcalloc(r->nr_places + 1, sizeof(*b));
	unsigned long most = 0;
	*n = 0;
	for (size_t i = 0; i < r->nr_places; i++) {
		const struct st_place *p = &r->places[i];
		unsigned long c = count ? count[i] : p->count;
		if (!gc_level_is_point(p->place.level) || !c)
			continue;
		b[*n].count = c;
		b[*n].idx = i;
		(*n)++;
		if (c > most)
			most = c;
	}
	if (most > *max)
		*max = most;
	sort_bubbles(b, *n, most);
	return b;
}

/*
 * Whether the place at (lat, lon) might be within the angle of v's reach
 * from its centre (view_reach): 0 means that it cannot land within v or
 * its margin. Always 1 without a reach.
 */
static int point_may_reach(const struct view *v, double lat, double lon)
{
	double c;
	if (!(v->reach_cos >= -1.0))
		return 1;
	c = sin(v->lat0 * DEG) * sin(lat * DEG) + cos(v->lat0 * DEG) * cos(lat * DEG) * cos((lon - v->lon0) * DEG);
	return c + 1e-9 >= v->reach_cos;
}

/*
 * The places of r projected by one map's projection, each at most once: the
 * home map asks for a place for its frame, its inset, its arcs and its
 * bubbles. With a view that has a reach (view_reach), a place that cannot
 * be within it is not projected and is answered as one that does not
 * project: every caller draws only places within the view.
 */
struct place_xy {
	const struct an_result *r;
	const struct geo_proj *pj;
	const struct view *v;        /* NULL: every place is projected */
	double *xy;                  /* per place: x, y in metres */
	unsigned char *state;        /* per place: 0 not asked yet, 1 projected, 2 not (or out of reach) */
};

static void pxy_init(struct place_xy *c, const struct an_result *r, const struct geo_proj *pj, const struct view *v)
{
	c->r = r;
	c->pj = pj;
	c->v = v;
	c->xy = xcalloc(2 * r->nr_places + 2, sizeof(*c->xy));
	c->state = xcalloc(r->nr_places + 1, 1);
}

static void pxy_release(struct place_xy *c)
{
	free(c->xy);
	free(c->state);
	memset(c, 0, sizeof(*c));
}

/* geo_proj_fwd of place i of c->r (0, or -1 when it does not project or cannot be in the view). */
static int pxy_fwd(struct place_xy *c, size_t i, double *x, double *y)
{
	if (!c->state[i]) {
		const struct gc_place *p = &c->r->places[i].place;
		int near = !c->v || point_may_reach(c->v, p->lat, p->lon);
		c->state[i] = near && !geo_proj_fwd(c->pj, p->lon, p->lat, &c->xy[2 * i], &c->xy[2 * i + 1]) ? 1 : 2;
	}
	if (c->state[i] != 1)
		return -1;
	*x = c->xy[2 * i];
	*y = c->xy[2 * i + 1];
	return 0;
}

/* One layer of bubbles on a map. */
struct layer {
	const struct an_result *r;     /* the places */
	const unsigned long *count;    /* per place of r; NULL: each place's count */
	const char *suffix;            /* its data file is STEM-SUFFIX.tsv (fixed text) */
	const char *style;             /* what follows "with circles" (fixed text) */
	const char *title;             /* key entry (fixed text), NULL for none */
	/* what a caller that has them already lends (NULL: map_layers makes them) */
	const struct bubble *sorted;   /* located_places(r, count): nsorted of them, the largest count max */
	size_t nsorted;
	unsigned long max;
	struct place_xy *xy;           /* r's places in the map's projection */
};

/* Place i of layer l projected by pj (through l->xy when it has them). */
static int layer_fwd(const struct layer *l, const struct geo_proj *pj, size_t i, double *x, double *y)
{
	const struct gc_place *p = &l->r->places[i].place;
	return l->xy ? pxy_fwd(l->xy, i, x, y) : geo_proj_fwd(pj, p->lon, p->lat, x, y);
}

/*
 * Bubble radii in km for layers b[0..nly) (n[k] bubbles each, largest
 * count max) on a map of area_km2: rmax shrinks so that the bubbles cover
 * at most 5% of the map; rmin never exceeds rmax.
 */
static void bubble_scale(const struct bubble *const *b, const size_t *n, size_t nly, unsigned long max, double area_km2,
			 double *rmin, double *rmax)
{
	double sum = 0, cap;
	for (size_t k = 0; k < nly; k++)
		for (size_t i = 0; i < n[k]; i++)
			sum += (double)b[k][i].count / (double)max;
	cap = sum > 0 ? sqrt(0.05 * area_km2 / (M_PI * sum)) : *rmax;
	if (*rmax > cap)
		*rmax = cap;
	if (*rmin > *rmax)
		*rmin = *rmax;
}

/* What a map adds to map_layers' plot command: fixed text and numbers only. */
struct map_opts {
	double lon0;          /* central meridian for splitting arcs at the edge; NaN: none */
	const char *before;   /* script before the plot command (objects, multiplot) */
	const char *under;    /* plot clauses (each ending ", \\\n     ") after the outlines, under arcs and bubbles */
	const char *over;     /* plot clauses (each starting ", \\\n     ") after home */
	const char *after;    /* script after the plot command (an inset) */
	const char *lakes;    /* the lakes' fill colour when STEM-lakes.tsv has rings (drawn over the outlines); NULL: none */
	double ratio;         /* the map's height over its width (its y range over its x range): sizes the phone canvas */
};

/* A map's outline layers: the home country's (on the world map: all land) and the other countries'. */
enum outline { OUTLINE_LAND, OUTLINE_OTHER };

/*
 * Append the plot clauses of outline layer o, from STEM-land.tsv or
 * STEM-other.tsv: its areas filled, then their edges lw (fixed text) wide;
 * each clause ends in ", \\\n     ".
 */
static void gp_outline(struct strbuf *gp, const char *stem, enum outline o, const char *lw)
{
	static const struct {
		const char *file, *fill, *edge;
	} style[] = {
		[OUTLINE_LAND] = { "land", "#d6d6d6", "#9a9a9a" },
		[OUTLINE_OTHER] = { "other", "#ececec", "#b5b5b5" },
	};
	sb_addf(gp, "'%s-%s.tsv' using 1:2 with filledcurves closed fc rgb '%s', \\\n"
		    "     '' using 1:2 with lines lw %s lc rgb '%s', \\\n     ",
		stem, style[o].file, style[o].fill, lw, style[o].edge);
}

/*
 * Append the plot clauses of the lakes (STEM-lakes.tsv): filled with fill
 * (the sea's colour: the country outlines count them as land), edged like
 * the land; each clause ends in ", \\\n     ".
 */
static void gp_lakes(struct strbuf *gp, const char *stem, const char *fill, const char *lw)
{
	sb_addf(gp, "'%s-lakes.tsv' using 1:2 with filledcurves closed fc rgb '%s', \\\n"
		    "     '' using 1:2 with lines lw %s lc rgb '#9a9a9a', \\\n     ",
		stem, fill, lw);
}

/*
 * Append the plot clauses of home's marker and name (STEM-home.tsv: x, y,
 * name; home_box is what they cover), with no separator after them.
 */
static void gp_home(struct strbuf *gp, const char *stem)
{
	sb_addf(gp, "'%s-home.tsv' using 1:2 with points pt 5 ps 2.2 lc rgb '#000000', \\\n"
		    "     '' using 1:2:3 with labels boxed left offset 1.4,0.9 font ',16' textcolor rgb '#000000' noenhanced",
		stem);
}

/*
 * The data and plot command shared by the maps: outlines (already in
 * STEM-land.tsv and STEM-other.tsv), arcs from home to the first layer's
 * places (when arcs), bubbles of every layer on one scale, home. rmin/rmax
 * are bubble radii in km.
 */
static void map_layers(struct pl_writer *w, const char *stem, const struct geo_proj *pj, const struct view *v,
		       double area_km2, double rmin, double rmax, int have_land, int have_other, int have_sphere,
		       const struct layer *ly, size_t nly, int arcs_on, const struct map_opts *mo)
{
	const struct an_result *r = w->r;
	const struct gc_place *h = &r->home.place;
	const struct bubble *b[4];
	size_t n[4], arcs = 0, bubbles[4] = { 0 }, all = 0;
	unsigned long max = 0;
	double bottom = nly > 1 ? 300.0 : 150.0; /* pixels under the map on the phone: the key (150 px high), legend and credits */
	double hx = 0, hy = 0;
	int home_ok = !geo_proj_fwd(pj, h->lon, h->lat, &hx, &hy);

	if (nly > ARRAY_SIZE(b))
		nly = ARRAY_SIZE(b);
	for (size_t k = 0; k < nly; k++) {
		if (ly[k].sorted) {
			b[k] = ly[k].sorted;
			n[k] = ly[k].nsorted;
			if (ly[k].max > max)
				max = ly[k].max;
		} else {
			b[k] = located_places(ly[k].r, ly[k].count, &n[k], &max);
		}
	}
	bubble_scale(b, n, nly, max, area_km2, &rmin, &rmax);
	/* arcs: to the biggest places first, drawn under the bubbles */
	for (size_t i = 0; arcs_on && nly && i < n[0] && arcs < MAX_ARCS; i++) {
		const struct st_place *p = &ly[0].r->places[b[0][i].idx];
		double x, y;
		if (p->dist_km < 1.0 || layer_fwd(&ly[0], pj, b[0][i].idx, &x, &y))
			continue;
		if (v && !in_view(v, x, y, 0))
			continue;
		write_arc(&w->data, pj, mo->lon0, h->lat, h->lon, p->place.lat, p->place.lon, p->dist_km);
		arcs++;
	}
	if (arcs_on) {
		if (!arcs)
			sb_adds(&w->data, "\n");
		pl_put_filef(w, &w->data, "%s-arcs.tsv", stem);
	}

	/* bubbles: x, y, radius (km, area proportional to count), count */
	for (size_t k = 0; k < nly; k++) {
		for (size_t i = 0; i < n[k]; i++) {
			double x, y, rad = rmax * sqrt((double)b[k][i].count / (double)max);
			if (layer_fwd(&ly[k], pj, b[k][i].idx, &x, &y))
				continue;
			if (v && !in_view(v, x, y, 0))
				continue;
			add_bubble(&w->data, x / 1000.0, y / 1000.0, rad < rmin ? rmin : rad, b[k][i].count);
			bubbles[k]++;
		}
		if (!bubbles[k])
			sb_adds(&w->data, "\n");
		all += bubbles[k];
		pl_put_filef(w, &w->data, "%s-%s.tsv", stem, ly[k].suffix);
	}

	/* home: x, y, name */
	if (home_ok) {
		sb_addf(&w->data, "%.1f\t%.1f\t", hx / 1000.0, hy / 1000.0);
		pl_labelz(&w->data, pl_home_name(r));
		sb_addch(&w->data, '\n');
	} else {
		sb_adds(&w->data, "\n");
	}
	pl_put_filef(w, &w->data, "%s-home.tsv", stem);

	/* legend text: bubble scale; our numbers only */
	if (all) {
		struct strbuf most = STRBUF_INIT;
		i18n_count(&most, max);
		sb_addf(&w->data, _("Bubble area ∝ connections; largest: %s"), most.buf);
		sb_addch(&w->data, '\n');
		sb_release(&most);
	} else {
		sb_adds(&w->data, _("No town or city to show on this map"));
		sb_addch(&w->data, '\n');
	}
	pl_put_filef(w, &w->data, "%s-legend.tsv", stem);

	sb_addf(&w->gp, "stats '%s-legend.tsv' using (legend = strcol(1), 0) nooutput\n", stem);
	/*
	 * On the phone the map spans the canvas' width, so its height is known: the canvas is made as high as
	 * the titles, the map and the legend under it need (no band of white between the titles and a map
	 * centred in a taller frame); the titles' positions, fractions of the canvas, are moved with it.
	 */
	if (mo->ratio > 0) {
		sb_addf(&w->gp, "if (nr_phone) {\n\tnr_h = ceil((1 - nr_top) * nr_ph + %.1f)\n",
			0.98 * PL_PHONE_WIDTH * mo->ratio + 4.0 + bottom);
		sb_adds(&w->gp, "\tnr_ty = 1 - (1 - nr_ty) * nr_ph / nr_h\n"
				"\tif (exists(\"nr_sy\")) {\n\t\tnr_sy = 1 - (1 - nr_sy) * nr_ph / nr_h\n"
				"\t\tset label 102 at screen 0.5, screen nr_sy\n\t}\n"
				"\tnr_top = 1 - (1 - nr_top) * nr_ph / nr_h\n\tnr_ph = nr_h\n");
		sb_addf(&w->gp, "\tset terminal pngcairo size %d,nr_ph font 'DejaVu Sans,16' fontscale %s noenhanced "
				"linewidth 2.2\n\tset output '%s-phone.png'\n",
			PL_PHONE_WIDTH, PL_PHONE_FONTSCALE, stem);
		sb_adds(&w->gp, "\tset label 101 at screen 0.5, screen nr_ty\n}\n");
	}
	/* on the phone the legend and the credits stand one over the other, under the map */
	sb_adds(&w->gp, "set label 104 nr_wrap(legend, 46) at screen 0.02, screen (nr_phone ? 100.0 / nr_ph : 0.02)");
	sb_adds(&w->gp, " left font ',13' textcolor rgb '" C_TEXT "' noenhanced\n");
	sb_adds(&w->gp, "set label 105 nr_wrap(");
	pl_gp_strz(&w->gp, _("Places: GeoNames (CC BY 4.0) · Outlines: Made with Natural Earth"));
	sb_adds(&w->gp, ", 46) at screen (nr_phone ? 0.02 : 0.98), screen (nr_phone ? 50.0 / nr_ph : 0.02)");
	sb_adds(&w->gp, " font ',13' textcolor rgb '" C_TEXT "'\nif (!nr_phone) set label 105 right\n");
	sb_adds(&w->gp, "unset border\nunset tics\nunset xlabel\nunset ylabel\nset size ratio -1\n");
	pl_gp_margins(&w->gp, 0.01, 0.99, 0.055, 0.89, 0.01, 0.99, bottom / PL_PHONE_MAP_HEIGHT);
	sb_addf(&w->gp, "if (nr_phone) set bmargin at screen %.1f / nr_ph\n", bottom);
	sb_adds(&w->gp, "set clip two\n");
	sb_adds(&w->gp, "set style textbox opaque fc rgb '#ffffff' noborder margins 2,1\n");
	if (nly > 1)
		sb_adds(&w->gp, "set key bottom left at screen 0.02, screen (nr_phone ? 150.0 / nr_ph : 0.05) reverse Left width 2 "
				"font ',15' box lc rgb '#bbbbbb' opaque samplen 1 spacing 1.3\n");
	if (mo->before)
		sb_adds(&w->gp, mo->before);
	/* only layers with data: gnuplot warns about empty files */
	sb_adds(&w->gp, "plot ");
	if (have_sphere)
		sb_addf(&w->gp, "'%s-sphere.tsv' using 1:2 with filledcurves closed fc rgb '#eef4fa', \\\n     ", stem);
	if (have_land)
		gp_outline(&w->gp, stem, OUTLINE_LAND, "0.6");
	if (have_other)
		gp_outline(&w->gp, stem, OUTLINE_OTHER, "0.6");
	if (mo->lakes)
		gp_lakes(&w->gp, stem, mo->lakes, "0.6");
	if (mo->under)
		sb_adds(&w->gp, mo->under);
	if (arcs)
		sb_addf(&w->gp, "'%s-arcs.tsv' using 1:2 with lines lw %s lc rgb '#66c55a11', \\\n     ", stem,
			arcs > 100 ? "0.6" : arcs > 30 ? "0.9" : "1.2");
	for (size_t k = 0; k < nly; k++) {
		if (bubbles[k]) {
			sb_addf(&w->gp, "'%s-%s.tsv' using 1:2:3 with circles %s", stem, ly[k].suffix, ly[k].style);
			if (ly[k].title) {
				sb_adds(&w->gp, " title ");
				pl_gp_strz(&w->gp, _(ly[k].title));
			}
			sb_adds(&w->gp, ", \\\n     ");
		} else if (ly[k].title) {
			/* still in the key, so that "none removed" is visible */
			sb_addf(&w->gp, "NaN with circles %s title ", ly[k].style);
			pl_gp_strz(&w->gp, _(ly[k].title));
			sb_adds(&w->gp, ", \\\n     ");
		}
	}
	if (home_ok)
		gp_home(&w->gp, stem);
	else
		sb_adds(&w->gp, "NaN notitle");
	if (mo->over)
		sb_adds(&w->gp, mo->over);
	sb_addch(&w->gp, '\n');
	if (mo->after)
		sb_adds(&w->gp, mo->after);
	for (size_t k = 0; k < nly; k++)
		if (!ly[k].sorted)
			free((void *)b[k]);
}

#define PLACES_STYLE "fc rgb '" C_MID "' fs transparent solid 0.55 border lc rgb '" C_DARK "'"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Degrees of latitude of land that the meridian lon crosses in o's exterior rings. */
static double land_on_meridian(const struct geo_outlines *o, double lon)
{
	double *lat = NULL, sum = 0;
	size_t alloc = 0;
	for (size_t i = 0; i < o->nr; i++) {
		const struct geo_ring *g = &o->rings[i];
		size_t nr = 0;
		if (g->ring)
			continue;
		for (size_t k = 1; k < g->n; k++) {
			double x0 = g->lonlat[2 * k - 2], y0 = g->lonlat[2 * k - 1];
			double x1 = g->lonlat[2 * k], y1 = g->lonlat[2 * k + 1];
			if ((x0 > lon) == (x1 > lon))
				continue;
			ALLOC_GROW(lat, nr + 1, alloc);
			lat[nr++] = y0 + (lon - x0) / (x1 - x0) * (y1 - y0);
		}
		if (nr > 1)
			qsort(lat, nr, sizeof(*lat), cmp_double);
		for (size_t k = 0; k + 1 < nr; k += 2)
			sum += lat[k + 1] - lat[k];
	}
	free(lat);
	return sum;
}

/* A path drawn on the world map, as longitudes: from lon, by delta (-180..180) degrees east. */
struct span {
	double lon, delta;
};

/* Whether the meridian cut is within margin degrees of span s (or across it). */
static int span_meets(const struct span *s, double cut, double margin)
{
	double off = remainder(cut - s->lon, 360.0); /* where the cut is, seen from the start */
	double lo = fmin(0, s->delta) - margin, hi = fmax(0, s->delta) + margin;
	return (off >= lo && off <= hi) || (off - 360.0 >= lo) || (off + 360.0 <= hi);
}

/*
 * The meridian to cut the world map at (its edge; the map is centred on
 * the opposite one) so that the paths it draws, each going the short way
 * in longitude (a shortest path changes longitude monotonically, by at
 * most 180 degrees), are not cut: of the meridians every 5 degrees, the
 * one within 5 degrees of the fewest paths (weighted by how many
 * connections each stands for), then 180 (the usual map), then the one
 * crossing the least land in o, then the nearest to 180, then the
 * smallest.
 */
static double world_cut(const struct span *sp, const double *weight, size_t n, const struct geo_outlines *o)
{
	double best = 180.0, best_w = INFINITY, best_land = INFINITY;
	for (int c = -175; c <= 180; c += 5) {
		double wsum = 0, land;
		for (size_t i = 0; i < n; i++)
			if (span_meets(&sp[i], c, 5.0))
				wsum += weight[i];
		if (wsum > best_w + 1e-9)
			continue;
		land = c == 180 ? -1 : o ? land_on_meridian(o, c) : 0;
		if (wsum < best_w - 1e-9 || land < best_land - 1e-9 ||
		    (fabs(land - best_land) <= 1e-9 && fabs(remainder(c - 180.0, 360.0)) < fabs(remainder(best - 180.0, 360.0)))) {
			best = c;
			best_w = wsum;
			best_land = land;
		}
	}
	return best;
}

/*
 * The paths of a world map: arcs from home to the MAX_ARCS biggest places
 * of ly at least a km away (map_layers' choice), and the compare map's
 * moves (write_moves' choice). *sp and *weight are the caller's to free.
 */
static size_t world_spans(const struct layer *ly, int arcs_on, const struct an_result *before,
			  const struct pl_compare *c, struct span **sp, double **weight)
{
	size_t n = 0, alloc = 0, walloc = 0;
	*sp = NULL;
	*weight = NULL;
	if (arcs_on) {
		const struct gc_place *h = &ly->r->home.place;
		unsigned long max = 0;
		size_t nb = ly->nsorted, arcs = 0;
		struct bubble *made = ly->sorted ? NULL : located_places(ly->r, ly->count, &nb, &max);
		const struct bubble *b = made ? made : ly->sorted;
		for (size_t i = 0; i < nb && arcs < MAX_ARCS; i++) {
			const struct st_place *p = &ly->r->places[b[i].idx];
			if (p->dist_km < 1.0)
				continue;
			ALLOC_GROW(*sp, n + 1, alloc);
			ALLOC_GROW(*weight, n + 1, walloc);
			(*sp)[n] = (struct span){ h->lon, remainder(p->place.lon - h->lon, 360.0) };
			(*weight)[n++] = (double)b[i].count;
			arcs++;
		}
		free(made);
	}
	for (size_t i = 0, drawn = 0; c && before && i < c->nr_moves && drawn < MAX_MOVES; i++) {
		const struct gc_place *p = &before->places[c->moves[i].before].place;
		const struct gc_place *q = &ly->r->places[c->moves[i].after].place;
		if (!gc_level_is_point(p->level) || !gc_level_is_point(q->level) ||
		    geo_dist_km(p->lat, p->lon, q->lat, q->lon) < 1.0)
			continue;
		ALLOC_GROW(*sp, n + 1, alloc);
		ALLOC_GROW(*weight, n + 1, walloc);
		(*sp)[n] = (struct span){ p->lon, remainder(q->lon - p->lon, 360.0) };
		(*weight)[n++] = (double)c->moves[i].count;
		drawn++;
	}
	return n;
}

#define C_MOVE "#7b3294"

/*
 * The compare map's arrows: for the MAX_MOVES biggest moves between two
 * towns (both places at city level), the great circle from the BEFORE
 * town to the AFTER town (STEM-moves.tsv, split at the map's edge) and an
 * arrow head at its end (STEM-moveheads.tsv: x, y, dx, dy of the last
 * stretch). Moves to or from a region or country have no point to draw.
 * Appends the plot clauses to under; returns the arrows written.
 */
static size_t write_moves(struct pl_writer *w, const char *stem, const struct geo_proj *pj, double lon0,
			  const struct an_result *b, const struct pl_compare *c, struct strbuf *under)
{
	const struct an_result *a = w->r;
	struct strbuf heads = STRBUF_INIT;
	size_t drawn = 0;
	for (size_t i = 0; i < c->nr_moves && drawn < MAX_MOVES; i++) {
		const struct gc_place *p = &b->places[c->moves[i].before].place, *q = &a->places[c->moves[i].after].place;
		double d, la0, lo0, x0, y0, x1, y1;
		if (!gc_level_is_point(p->level) || !gc_level_is_point(q->level))
			continue;
		d = geo_dist_km(p->lat, p->lon, q->lat, q->lon);
		if (d < 1.0)
			continue;
		/* the head points along the last stretch of the path (1/33 of it) */
		{
			size_t n = 2 + (size_t)(d / 50.0);
			double *pla, *plo;
			if (n > 400)
				n = 400;
			if (n < 34)
				n = 34;
			pla = xcalloc(n, sizeof(*pla));
			plo = xcalloc(n, sizeof(*plo));
			geo_path(p->lat, p->lon, q->lat, q->lon, n, pla, plo);
			la0 = pla[n - 1 - n / 33];
			lo0 = plo[n - 1 - n / 33];
			free(pla);
			free(plo);
		}
		if (geo_proj_fwd(pj, lo0, la0, &x0, &y0) || geo_proj_fwd(pj, q->lon, q->lat, &x1, &y1))
			continue;
		write_arc(&w->data, pj, lon0, p->lat, p->lon, q->lat, q->lon, d);
		if (fabs(x1 - x0) < 0.25 * 34800e3) /* not across the map's edge */
			sb_addf(&heads, "%.1f\t%.1f\t%.1f\t%.1f\n", x0 / 1000.0, y0 / 1000.0, (x1 - x0) / 1000.0,
				(y1 - y0) / 1000.0);
		drawn++;
	}
	if (drawn) {
		pl_put_filef(w, &w->data, "%s-moves.tsv", stem);
		if (!heads.len)
			sb_addch(&heads, '\n');
		pl_put_filef(w, &heads, "%s-moveheads.tsv", stem);
		sb_addf(under, "'%s-moves.tsv' using 1:2 with lines lw 1.4 lc rgb '%s' notitle, \\\n     ", stem,
			drawn > 50 ? "#997b3294" : C_MOVE);
		sb_addf(under, "'%s-moveheads.tsv' using 1:2:3:4 with vectors head filled size screen 0.009,25 fixed "
			       "lw 1.4 lc rgb '" C_MOVE "' title ", stem);
		pl_gp_strz(under, _("Moved (arrow: old town to new)"));
		sb_adds(under, ", \\\n     ");
	}
	sb_release(&heads);
	return drawn;
}

static void world_map(struct pl_writer *w, const struct geo_outlines *o, const char *stem, const char *what,
		      const char *title, const char *subtitle, const struct layer *layers, size_t nly, int arcs_on,
		      const struct an_result *before, const struct pl_compare *moves)
{
	/* the first layer's places, biggest first: for the cut (world_spans) and for map_layers */
	struct layer ly[4];
	struct bubble *sorted = NULL;
	struct strbuf under = STRBUF_INIT;
	struct geo_proj *pj;
	struct strbuf def = STRBUF_INIT;
	struct geo_outlines cut_o, cut_l;
	struct map_opts mo = { NAN, NULL, NULL, NULL, NULL, NULL, 0 };
	const struct geo_outlines *lakes = w->lakes;
	double x, y, cut, lon0, *weight;
	struct span *sp;
	size_t land = 0, nsp;

	if (nly > ARRAY_SIZE(ly))
		nly = ARRAY_SIZE(ly);
	memcpy(ly, layers, nly * sizeof(*ly));
	if (nly && !ly[0].sorted) {
		ly[0].max = 0;
		sorted = located_places(ly[0].r, ly[0].count, &ly[0].nsorted, &ly[0].max);
		ly[0].sorted = sorted;
	}
	nsp = nly ? world_spans(&ly[0], arcs_on, before, moves, &sp, &weight) : 0;
	cut = nsp ? world_cut(sp, weight, nsp, o) : 180.0;
	lon0 = remainder(cut + 180.0, 360.0);
	if (nly) {
		free(sp);
		free(weight);
	}
	geo_outlines_init(&cut_o);
	geo_outlines_init(&cut_l);
	if (lon0 == 0)
		sb_adds(&def, "+proj=eqearth +datum=WGS84");
	else
		sb_addf(&def, "+proj=eqearth +lon_0=%.0f +datum=WGS84", lon0);
	pj = geo_proj_new(def.buf, w->err);
	sb_release(&def);
	if (!pj) {
		w->st = NR_EX_SOFTWARE;
		free(sorted);
		return;
	}
	mo.lon0 = lon0;
	if (o && cut != 180.0) {
		if (geo_outlines_cut(o, cut, &cut_o, w->err)) {
			w->st = NR_EX_SOFTWARE;
			geo_proj_free(pj);
			free(sorted);
			return;
		}
		o = &cut_o;
	}
	if (lakes && cut != 180.0) {
		if (geo_outlines_cut(lakes, cut, &cut_l, w->err)) {
			w->st = NR_EX_SOFTWARE;
			geo_outlines_release(&cut_o);
			geo_proj_free(pj);
			free(sorted);
			return;
		}
		lakes = &cut_l;
	}
	pl_gp_head(&w->gp, stem, what, PL_PHONE_MAP_HEIGHT);
	pl_gp_title(&w->gp, title, "home", subtitle, "home"); /* translated; %s is the home town */
	/* the globe's outline: the meridians at the map's two edges */
	for (int lat = -90; lat <= 90; lat++)
		if (!geo_proj_fwd(pj, lon0 == 0 ? -180.0 : remainder(cut + 1e-6, 360.0), lat, &x, &y))
			add_xy(&w->data, x / 1000.0, y / 1000.0);
	for (int lat = 90; lat >= -90; lat--)
		if (!geo_proj_fwd(pj, lon0 == 0 ? 180.0 : remainder(cut - 1e-6, 360.0), lat, &x, &y))
			add_xy(&w->data, x / 1000.0, y / 1000.0);
	pl_put_filef(w, &w->data, "%s-sphere.tsv", stem);
	if (o)
		land = write_rings(w, o, pj, NULL, NULL, 0);
	sb_addch(&w->data, '\n');
	pl_put_filef(w, &w->data, "%s-land.tsv", stem);
	if (lakes && write_rings(w, lakes, pj, NULL, NULL, 0) > 0) {
		pl_put_filef(w, &w->data, "%s-lakes.tsv", stem);
		mo.lakes = "#eef4fa";
	} else
		sb_reset(&w->data);
	sb_adds(&w->gp, "set xrange [-17400:17400]\nset yrange [-8600:8600]\n");	mo.ratio = 8600.0 / 17400.0;

	if (moves && before && write_moves(w, stem, pj, lon0, before, moves, &under))
		mo.under = under.buf;
	map_layers(w, stem, pj, NULL, 5.1e8 * 0.86, 45.0, 650.0, land > 0, 0, 1, ly, nly, arcs_on, &mo);
	sb_release(&under);
	pl_put_filef(w, &w->gp, "%s.gp", stem);
	geo_outlines_release(&cut_o);
	geo_outlines_release(&cut_l);
	geo_proj_free(pj);
	free(sorted);
}

void pl_chart_world(struct pl_writer *w, const struct geo_outlines *o)
{
	const struct layer places_layer = { w->r, NULL, "places", PLACES_STYLE, NULL, NULL, 0, 0, NULL };
	world_map(w, o, "world-map", "world map of where connections live", _("Where your connections live"),
		  _("Each bubble is a town or city; lines are great circles from %s (Equal Earth projection)"),
		  &places_layer, 1, 1, NULL, NULL);
}

void pl_chart_compare_map(struct pl_writer *w, const struct geo_outlines *o, const struct an_result *b,
			  const struct pl_compare *c)
{
	const struct an_result *a = w->r;
	const struct layer layers[2] = {
		{ a, c->added_at, "added", "fc rgb '" C_GAIN "' fs transparent solid 0.6 border lc rgb '#8a3d0b'", N_("Added"),
		  NULL, 0, 0, NULL },
		{ b, c->removed_at, "removed", "fc rgb '" C_LOSS "' fs transparent solid 0.25 border lc rgb '#404040'",
		  N_("Removed"), NULL, 0, 0, NULL },
	};

	world_map(w, o, "compare-map", "world map of added and removed connections",
		  _("Where your added and removed connections live"),
		  _("Each bubble is a town or city, sized by connections added (or removed) there (Equal Earth projection)"),
		  layers, ARRAY_SIZE(layers), 0, b, c);
}

struct bbox {
	double lon0, lon1, lat0, lat1;
};

static int ring_contains(const struct geo_ring *g, double lon, double lat)
{
	int in = 0;
	for (size_t i = 0, j = g->n ? g->n - 1 : 0; i < g->n; j = i++) {
		double xi = g->lonlat[2 * i], yi = g->lonlat[2 * i + 1];
		double xj = g->lonlat[2 * j], yj = g->lonlat[2 * j + 1];
		if ((yi > lat) != (yj > lat) && lon < (xj - xi) * (lat - yi) / (yj - yi) + xi)
			in = !in;
	}
	return in;
}

static struct bbox ring_bbox(const struct geo_ring *g)
{
	struct bbox b = { 999, -999, 999, -999 };
	for (size_t k = 0; k < g->n; k++) {
		double lon = g->lonlat[2 * k], lat = g->lonlat[2 * k + 1];
		b.lon0 = fmin(b.lon0, lon);
		b.lon1 = fmax(b.lon1, lon);
		b.lat0 = fmin(b.lat0, lat);
		b.lat1 = fmax(b.lat1, lat);
	}
	return b;
}

static int bbox_near(const struct bbox *a, const struct bbox *b, double margin)
{
	return a->lon0 <= b->lon1 + margin && b->lon0 <= a->lon1 + margin && a->lat0 <= b->lat1 + margin &&
	       b->lat0 <= a->lat1 + margin;
}

/*
 * The home country's extent in lon/lat: the outline part that holds home
 * (else the largest), grown by the parts within 2 degrees of it, so that
 * the lower 48 stay apart from Alaska and Hawaii and France from its
 * overseas departments. Returns 0 when the country has no outline.
 */
static int home_extent(const struct geo_outlines *o, const struct gc_place *h, struct bbox *out)
{
	size_t main_i = SIZE_MAX;
	double best = -1;
	struct bbox ext;
	unsigned char *used;
	int grew;
	if (!o || !h->cc)
		return 0;
	for (size_t i = 0; i < o->nr; i++) {
		const struct geo_ring *g = &o->rings[i];
		struct bbox b;
		double area;
		if (strcmp(g->cc, h->cc) || g->ring)
			continue;
		if (ring_contains(g, h->lon, h->lat)) {
			main_i = i;
			break;
		}
		b = ring_bbox(g);
		area = (b.lon1 - b.lon0) * (b.lat1 - b.lat0) * cos((b.lat0 + b.lat1) / 2 * M_PI / 180);
		if (area > best) {
			best = area;
			main_i = i;
		}
	}
	if (main_i == SIZE_MAX)
		return 0;
	ext = ring_bbox(&o->rings[main_i]);
	used = xcalloc(o->nr, 1);
	used[main_i] = 1;
	do {
		grew = 0;
		for (size_t i = 0; i < o->nr; i++) {
			const struct geo_ring *g = &o->rings[i];
			struct bbox b;
			if (used[i] || strcmp(g->cc, h->cc) || g->ring)
				continue;
			b = ring_bbox(g);
			if (!bbox_near(&ext, &b, 2.0))
				continue;
			used[i] = 1;
			grew = 1;
			ext.lon0 = fmin(ext.lon0, b.lon0);
			ext.lon1 = fmax(ext.lon1, b.lon1);
			ext.lat0 = fmin(ext.lat0, b.lat0);
			ext.lat1 = fmax(ext.lat1, b.lat1);
		}
	} while (grew);
	free(used);
	*out = ext;
	return 1;
}

/* ---- home map: admin-1 borders, distance rings, place labels, inset -------- */

/* The home map's plot area in pixels (map_layers' margins). */
#define HM_W_PX (0.98 * PL_WIDTH)
#define HM_H_PX (0.835 * PL_HEIGHT)
#define HM_LABELS 10           /* place labels on the map, and in the inset */
#define HM_LABEL_TRY 60        /* the biggest places tried for a label */
#define HM_LABEL_BYTES 24      /* bytes of a name in a map label */
/* Inset (screen fractions): its size, and where the plot area may hold it. */
#define IN_W 0.31
#define IN_H 0.44

struct box {
	double x0, y0, x1, y1;      /* km on the map */
};

static int box_hit(const struct box *a, const struct box *b)
{
	return a->x0 < b->x1 && b->x0 < a->x1 && a->y0 < b->y1 && b->y0 < a->y1;
}

static int box_has(const struct box *a, double x, double y)
{
	return x > a->x0 && x < a->x1 && y > a->y0 && y < a->y1;
}

/* Code points of UTF-8 text. */
static size_t utf8_chars(const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xc0) != 0x80;
	return n;
}

/*
 * A label's size in pixels at font size pt: DejaVu Sans at pngcairo's
 * scale averages about 0.75 pt per character across, a line is 1.6 pt
 * high; plus the text box's margins. Generous, so that boxes that do not
 * overlap here do not overlap in the PNG.
 */
static double label_w_px(size_t chars, double pt)
{
	return 0.75 * pt * (double)chars + 8;
}

static double label_h_px(double pt)
{
	return 1.6 * pt + 4;
}

/* One bubble as drawn in a frame: projected km, radius km. */
struct mbub {
	double x, y, r;
	unsigned long count;
	size_t idx;                 /* place index */
	int labelled;               /* place_labels gave it a label */
};

/* A frame of the home map: its view (km) and km per pixel. */
struct frame {
	struct box view;
	double kmpp;
};

/*
 * Labels ("Name (count)") for the biggest of the bubbles bb[0..n) (biggest
 * first) into out as "x <TAB> y <TAB> text" lines, centred at x, y: each
 * placed right, left, above or below its bubble, or up and right of it,
 * wherever its box stays in the frame, overlaps no box in taken (which it
 * joins), not avoid (NULL: none), and covers no bigger bubble's centre.
 * Places within 1 km of home (home has its own label), outside the frame
 * or inside skip (NULL: none) get none, nor a second place of a name
 * already labelled. At most max labels; returns how many.
 */
static size_t place_labels(struct strbuf *out, const struct an_result *r, struct mbub *bb, size_t n,
			   const struct frame *f, struct box *taken, size_t *ntaken, size_t max, double pt,
			   const struct box *avoid, const struct box *skip)
{
	struct strbuf t = STRBUF_INIT;
	size_t done = 0;
	for (size_t i = 0; i < n && i < HM_LABEL_TRY && done < max; i++) {
		const struct gc_place *p = &r->places[bb[i].idx].place;
		double w, hh, gap = 3 * f->kmpp, x = bb[i].x, y = bb[i].y, rr = bb[i].r;
		double cand[5][2];
		const char *name = p->name ? p->name : "";
		int dup = 0;
		/* home has its own label; a place whose centre is not shown or lies in skip has none */
		if (r->places[bb[i].idx].dist_km < 1.0 || !box_has(&f->view, x, y) || (skip && box_has(skip, x, y)))
			continue;
		/* one label per name: two places both called Milwaukee would read as a mistake */
		for (size_t k = 0; k < i && !dup; k++)
			dup = bb[k].labelled && !strcmp(r->places[bb[k].idx].place.name ? r->places[bb[k].idx].place.name : "", name);
		if (dup)
			continue;
		sb_reset(&t);
		pl_label(&t, name, strlen(name), HM_LABEL_BYTES);
		sb_addf(&t, " (%lu)", bb[i].count);
		w = label_w_px(utf8_chars(t.buf, t.len), pt) * f->kmpp;
		hh = label_h_px(pt) * f->kmpp;
		cand[0][0] = x + rr + gap + w / 2, cand[0][1] = y;
		cand[1][0] = x - rr - gap - w / 2, cand[1][1] = y;
		cand[2][0] = x, cand[2][1] = y + rr + gap + hh / 2;
		cand[3][0] = x, cand[3][1] = y - rr - gap - hh / 2;
		cand[4][0] = x + 0.7 * rr + w / 2, cand[4][1] = y + 0.7 * rr + hh / 2;
		for (int c = 0; c < 5; c++) {
			struct box b = { cand[c][0] - w / 2, cand[c][1] - hh / 2, cand[c][0] + w / 2, cand[c][1] + hh / 2 };
			int ok = b.x0 > f->view.x0 + gap && b.x1 < f->view.x1 - gap && b.y0 > f->view.y0 + gap &&
				 b.y1 < f->view.y1 - gap && !(avoid && box_hit(&b, avoid));
			for (size_t k = 0; ok && k < *ntaken; k++)
				ok = !box_hit(&b, &taken[k]);
			for (size_t k = 0; ok && k < n; k++)
				ok = k == i || bb[k].count < bb[i].count || !box_has(&b, bb[k].x, bb[k].y);
			if (!ok)
				continue;
			taken[(*ntaken)++] = b;
			bb[i].labelled = 1;
			sb_addf(out, "%.1f\t%.1f\t", cand[c][0], cand[c][1]);
			sb_add(out, t.buf, t.len);
			sb_addch(out, '\n');
			done++;
			break;
		}
	}
	sb_release(&t);
	return done;
}

/*
 * The box of the home marker and its label (gp_home: a square of ps 2.2,
 * the name at font 16, left, offset 1.4, 0.9 characters).
 */
static struct box home_box(const struct an_result *r, double hx, double hy, double kmpp)
{
	struct strbuf t = STRBUF_INIT;
	double w;
	pl_labelz(&t, pl_home_name(r));
	w = label_w_px(utf8_chars(t.buf, t.len), 16);
	sb_release(&t);
	return (struct box){ hx - 14 * kmpp, hy - 14 * kmpp, hx + (26 + w) * kmpp, hy + 40 * kmpp };
}

/* A geodesic circle of radius km around home, projected, as one data block. */
static void write_ring(struct strbuf *out, const struct geo_proj *pj, const struct gc_place *h, double km)
{
	for (int az = 0; az <= 360; az += 3) {
		double la, lo, x, y;
		geo_direct(h->lat, h->lon, az, km, &la, &lo);
		if (!geo_proj_fwd(pj, lo, la, &x, &y))
			add_xy(out, x / 1000.0, y / 1000.0);
	}
	sb_addch(out, '\n');
}

/*
 * Ring labels ("50 km", "161 km (100 mi)": our numbers) at the top of each
 * ring whose radius is at least min_px in frame f, into out; their boxes
 * join taken.
 */
static void ring_labels(struct strbuf *out, const struct geo_proj *pj, const struct gc_place *h, const double *km,
			size_t nkm, const struct frame *f, double min_px, struct box *taken, size_t *ntaken)
{
	struct strbuf text = STRBUF_INIT, num = STRBUF_INIT, t = STRBUF_INIT;
	for (size_t i = 0; i < nkm; i++) {
		double la, lo, x, y, hx, hy, w, hh;
		geo_direct(h->lat, h->lon, 0, km[i], &la, &lo);
		if (geo_proj_fwd(pj, lo, la, &x, &y) || geo_proj_fwd(pj, h->lon, h->lat, &hx, &hy))
			continue;
		x /= 1000.0, y /= 1000.0, hx /= 1000.0, hy /= 1000.0;
		if (hypot(x - hx, y - hy) < min_px * f->kmpp)
			continue;
		sb_reset(&text);
		sb_reset(&num);
		if (fabs(km[i] - ST_100_MILES_KM) < 0.5) {
			pl_label(&text, _("161 km (100 mi)"), strlen(_("161 km (100 mi)")), LABEL_MAX);
		} else {
			i18n_fixed(&num, km[i], 0);
			/* TRANSLATORS: a ring's radius on the home map, %s a number ("50") */
			sb_addf(&t, _("%s km"), num.buf);
			pl_label(&text, t.buf, t.len, LABEL_MAX);
			sb_reset(&t);
		}
		w = label_w_px(utf8_chars(text.buf, text.len), 13) * f->kmpp;
		hh = label_h_px(13) * f->kmpp;
		taken[(*ntaken)++] = (struct box){ x - w / 2, y - hh / 2, x + w / 2, y + hh / 2 };
		sb_addf(out, "%.1f\t%.1f\t", x, y);
		sb_add(out, text.buf, text.len);
		sb_addch(out, '\n');
	}
	sb_release(&text);
	sb_release(&num);
	sb_release(&t);
}

/* The home map's bubbles in frame f with radii rmin..rmax (km) by count / max. */
static size_t frame_bubbles(struct place_xy *pxy, const struct bubble *b, size_t n, const struct box *in,
			    unsigned long max, double rmin, double rmax, struct mbub *out)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		double x, y, rad = rmax * sqrt((double)b[i].count / (double)max);
		if (pxy_fwd(pxy, b[i].idx, &x, &y))
			continue;
		x /= 1000.0, y /= 1000.0;
		if (!(x >= in->x0 && x <= in->x1 && y >= in->y0 && y <= in->y1))
			continue;
		out[k++] = (struct mbub){ x, y, rad < rmin ? rmin : rad, b[i].count, b[i].idx, 0 };
	}
	return k;
}

/* Append the plot clauses of the admin-1 borders (when borders; lw wide) and the distance rings, each ending in ", \\\n     ". */
static void gp_home_rings(struct strbuf *gp, int borders, const char *lw)
{
	if (borders)
		sb_addf(gp, "'home-map-borders.tsv' using 1:2 with lines lw %s lc rgb '#ffffff', \\\n     ", lw);
	sb_adds(gp, "'home-map-rings.tsv' using 1:2 with lines dt (8,6) lw 1.6 lc rgb '#333333', \\\n     ");
}

/* Append ", \\\n     " and the plot clause of the boxed labels in file (x, y, text: x through the using expression x). */
static void gp_labels(struct strbuf *gp, const char *file, const char *x, const char *colour)
{
	sb_addf(gp, ", \\\n     '%s' using %s:2:3 with labels boxed center font ',13' textcolor rgb '%s' noenhanced", file, x,
		colour);
}

/*
 * Everything the home map adds to map_layers: the borders between the home
 * country's admin-1 areas (datasets/world/admin1-lines.tsv, when it has
 * them), rings at the home radius and at 161 km, labels for the biggest
 * places that collide with nothing, and, when the home region is crowded
 * (3 or more bubbles within 1.3 x 161 km of home) and the map is at least 3
 * times wider than it, an inset zooming in on it, in the corner of the map
 * with the fewest connections. Writes the data files; the script parts go
 * into before, under, over and after (mo points at them).
 */
static void home_extras(struct pl_writer *w, const struct geo_proj *pj, const struct view *v, const struct layer *pl,
			double w_km, double h_km, double span_km, int have_land, int have_other, struct map_opts *mo,
			struct strbuf *before, struct strbuf *under, struct strbuf *over, struct strbuf *after)
{
	const struct an_result *r = w->r;
	const struct gc_place *h = &r->home.place;
	struct frame mf = { { v->x0 / 1000.0, v->y0 / 1000.0, v->x1 / 1000.0, v->y1 / 1000.0 }, w_km / HM_W_PX };
	double rings[2] = { r->radius_km > 0 ? r->radius_km : ST_DEFAULT_RADIUS_KM, ST_100_MILES_KM };
	size_t nrings = fabs(rings[0] - rings[1]) < 1.0 ? 1 : 2, n = pl->nsorted, nm, nz = 0, ntaken = 0;
	double rmin = span_km * 0.004, rmax = span_km * 0.035, hx, hy, zr, zhw, zhh;
	unsigned long max = pl->max;
	const struct bubble *b = pl->sorted;
	struct mbub *mb = xcalloc(n + 1, sizeof(*mb)), *zb = xcalloc(n + 1, sizeof(*zb));
	struct box *taken = xcalloc(2 * HM_LABELS + 8, sizeof(*taken)), zoom = { 0 }, inset = { 0 };
	struct geo_outlines lines;
	struct strbuf path = STRBUF_INIT;
	int borders = 0, inset_on = 0, zlabels = 0, mlabels, mrl;
	double in_x0 = 0, in_y0 = 0;

	if (geo_proj_fwd(pj, h->lon, h->lat, &hx, &hy)) {
		free(mb), free(zb), free(taken);
		return;
	}
	hx /= 1000.0, hy /= 1000.0;

	/* admin-1 borders of the home country */
	geo_outlines_init(&lines);
	if (w->data_dir && h->cc) {
		struct strbuf lerr = STRBUF_INIT;
		sb_addf(&path, "%s/world/admin1-lines.tsv", w->data_dir);
		if (!access(path.buf, R_OK) && !geo_lines_load_cc(&lines, path.buf, h->cc, &lerr))
			borders = write_rings(w, &lines, pj, v, h->cc, 1) > 0;
		sb_release(&lerr);
	}
	geo_outlines_release(&lines);
	if (borders)
		pl_put_file(w, "home-map-borders.tsv", &w->data);
	else
		sb_reset(&w->data);

	/* rings */
	for (size_t i = 0; i < nrings; i++)
		write_ring(&w->data, pj, h, rings[i]);
	pl_put_file(w, "home-map-rings.tsv", &w->data);

	/* the main map's bubbles (map_layers' scale) */
	bubble_scale(&b, &n, 1, max ? max : 1, w_km * h_km, &rmin, &rmax);
	nm = frame_bubbles(pl->xy, b, n, &mf.view, max ? max : 1, rmin, rmax, mb);

	/* the inset: the home region, when crowded */
	zr = 1.3 * fmax(rings[0], ST_100_MILES_KM);
	zhh = zr;
	zhw = zr * (IN_W * PL_WIDTH) / (IN_H * PL_HEIGHT);
	zoom = (struct box){ hx - zhw, hy - zhh, hx + zhw, hy + zhh };
	{
		size_t crowd = 0;
		for (size_t i = 0; i < nm; i++)
			crowd += box_has(&zoom, mb[i].x, mb[i].y);
		inset_on = crowd >= 3 && w_km >= 3 * 2 * zhw && h_km >= 3 * 2 * zhh;
	}
	if (inset_on) {
		/* corners: bottom left, bottom right, top right, top left */
		static const double cx[4] = { 0.02, 0.98 - IN_W, 0.98 - IN_W, 0.02 };
		static const double cy[4] = { 0.075, 0.075, 0.875 - IN_H, 0.875 - IN_H };
		double best = INFINITY;
		for (int c = 0; c < 4; c++) {
			struct box ib = { mf.view.x0 + (cx[c] - 0.01) / 0.98 * w_km, mf.view.y0 + (cy[c] - 0.055) / 0.835 * h_km,
					  mf.view.x0 + (cx[c] + IN_W - 0.01) / 0.98 * w_km,
					  mf.view.y0 + (cy[c] + IN_H - 0.055) / 0.835 * h_km };
			double score = box_hit(&ib, &zoom) ? 1e15 : 0;
			for (size_t i = 0; i < nm; i++)
				if (box_hit(&ib, &(struct box){ mb[i].x - mb[i].r, mb[i].y - mb[i].r, mb[i].x + mb[i].r,
								 mb[i].y + mb[i].r }))
					score += 1.0 + (double)mb[i].count;
			if (score < best) {
				best = score;
				inset = ib;
				in_x0 = cx[c];
				in_y0 = cy[c];
			}
		}
		inset_on = best < 1e15;
	}

	/* main map labels: rings, then places (outside the inset and the zoomed area) */
	taken[ntaken++] = home_box(r, hx, hy, mf.kmpp);
	if (inset_on)
		taken[ntaken++] = inset;
	ring_labels(&w->data, pj, h, rings, nrings, &mf, 70, taken, &ntaken);
	mrl = w->data.len > 0;
	if (mrl)
		pl_put_file(w, "home-map-ringlabels.tsv", &w->data);
	mlabels = place_labels(&w->data, r, mb, nm, &mf, taken, &ntaken, HM_LABELS, 13, inset_on ? &zoom : NULL, inset_on ? &zoom : NULL) > 0;
	if (mlabels)
		pl_put_file(w, "home-map-labels.tsv", &w->data);

	gp_home_rings(under, borders, "1.3");
	if (mrl)
		gp_labels(over, "home-map-ringlabels.tsv", "1", "#333333");
	if (mlabels) /* placed for the laptop's scale: none on the phone */
		gp_labels(over, "home-map-labels.tsv", "(nr_phone ? nr_off : $1)", "#000000");

	if (inset_on) {
		struct frame zf = { zoom, 2 * zhh / (IN_H * PL_HEIGHT) };
		double zrmin = 2 * zhw * 0.006, zrmax = 2 * zhw * 0.05;
		unsigned long zmax = 0;
		struct bubble *zsel = xcalloc(n + 1, sizeof(*zsel));
		size_t nsel = 0;
		int zrl;
		for (size_t i = 0; i < nm; i++)
			if (box_has(&(struct box){ zoom.x0 - zrmax, zoom.y0 - zrmax, zoom.x1 + zrmax, zoom.y1 + zrmax },
				    mb[i].x, mb[i].y)) {
				zsel[nsel++] = (struct bubble){ mb[i].count, mb[i].idx };
				zmax = mb[i].count > zmax ? mb[i].count : zmax;
			}
		{
			const struct bubble *zs = zsel;
			bubble_scale(&zs, &nsel, 1, zmax ? zmax : 1, 4 * zhw * zhh, &zrmin, &zrmax);
		}
		nz = frame_bubbles(pl->xy, zsel, nsel, &(struct box){ zoom.x0 - zrmax, zoom.y0 - zrmax, zoom.x1 + zrmax,
								      zoom.y1 + zrmax },
				   zmax ? zmax : 1, zrmin, zrmax, zb);
		free(zsel);
		for (size_t i = 0; i < nz; i++)
			add_bubble(&w->data, zb[i].x, zb[i].y, zb[i].r, zb[i].count);
		if (!nz)
			sb_addch(&w->data, '\n');
		pl_put_file(w, "home-map-zoom.tsv", &w->data);
		ntaken = 0;
		taken[ntaken++] = home_box(r, hx, hy, zf.kmpp);
		/* the inset's title, top left */
		taken[ntaken++] = (struct box){ zoom.x0, zoom.y1 - 34 * zf.kmpp, zoom.x1, zoom.y1 };
		ring_labels(&w->data, pj, h, rings, nrings, &zf, 30, taken, &ntaken);
		zrl = w->data.len > 0;
		if (zrl)
			pl_put_file(w, "home-map-zoom-ringlabels.tsv", &w->data);
		zlabels = place_labels(&w->data, r, zb, nz, &zf, taken, &ntaken, HM_LABELS, 13, NULL, NULL) > 0;
		if (zlabels)
			pl_put_file(w, "home-map-zoom-labels.tsv", &w->data);

		/* the inset is laid out for the laptop's canvas: none on the phone */
		sb_addf(before, "if (!nr_phone) {\n\tset multiplot\n\tset object 1 rectangle from %.1f,%.1f to %.1f,%.1f front fs empty "
				"border lc rgb '#333333' lw 1.5\n}\n", zoom.x0, zoom.y0, zoom.x1, zoom.y1);
		sb_adds(after, "if (!nr_phone) {\n");
		sb_adds(after, "unset label\nunset object\nunset key\nset size noratio\n");
		sb_addf(after, "set lmargin at screen %.4f\nset rmargin at screen %.4f\n", in_x0, in_x0 + IN_W);
		sb_addf(after, "set bmargin at screen %.4f\nset tmargin at screen %.4f\n", in_y0, in_y0 + IN_H);
		sb_addf(after, "set xrange [%.1f:%.1f]\nset yrange [%.1f:%.1f]\n", zoom.x0, zoom.x1, zoom.y0, zoom.y1);
		sb_adds(after, "set border 15 lw 2 lc rgb '#333333'\n");
		sb_adds(after, "set object 2 rectangle from graph 0,0 to graph 1,1 behind fc rgb '#ffffff' fs solid 1.0 noborder\n");
		sb_adds(after, "set label 201 ");
		/* TRANSLATORS: the home map's inset, %s the home town */
		pl_gp_expr(after, _("Around %s (the box on the map)"), "home");
		sb_adds(after, " at graph 0.02, graph 0.965 left front font ',14' textcolor rgb '#000000' noenhanced\n");
		sb_adds(after, "plot ");
		/* the main map's outline files, clipped to the inset */
		if (have_other)
			gp_outline(after, "home-map", OUTLINE_OTHER, "0.8");
		if (have_land)
			gp_outline(after, "home-map", OUTLINE_LAND, "0.8");
		if (mo->lakes)
			gp_lakes(after, "home-map", mo->lakes, "0.8");
		gp_home_rings(after, borders, "1.6");
		if (nz)
			sb_adds(after, "'home-map-zoom.tsv' using 1:2:3 with circles " PLACES_STYLE ", \\\n     ");
		gp_home(after, "home-map");
		if (zrl)
			gp_labels(after, "home-map-zoom-ringlabels.tsv", "1", "#333333");
		if (zlabels)
			gp_labels(after, "home-map-zoom-labels.tsv", "1", "#000000");
		sb_adds(after, "\nunset multiplot\n}\n");
	}
	mo->before = before->len ? before->buf : NULL;
	mo->under = under->len ? under->buf : NULL;
	mo->over = over->len ? over->buf : NULL;
	mo->after = after->len ? after->buf : NULL;
	sb_release(&path);
	free(mb), free(zb), free(taken);
}

void pl_chart_home(struct pl_writer *w, const struct geo_outlines *o)
{
	const struct an_result *r = w->r;
	const struct gc_place *h = &r->home.place;
	struct layer places_layer = { r, NULL, "places", PLACES_STYLE, NULL, NULL, 0, 0, NULL };
	struct bubble *sorted;
	struct place_xy pxy;
	struct bbox e;
	struct view v = { INFINITY, -INFINITY, INFINITY, -INFINITY, 0, 0, -2 };
	struct strbuf def = STRBUF_INIT;
	struct geo_proj *pj;
	double clat, clon, span_km, pad, w_km, h_km, cx, cy;
	size_t land = 0, other = 0;
	struct map_opts mo = { NAN, NULL, NULL, NULL, NULL, NULL, 0 };
	struct strbuf before = STRBUF_INIT, under = STRBUF_INIT, over = STRBUF_INIT, after = STRBUF_INIT;

	if (!home_extent(o, h, &e)) {
		/* no outline for the home country: 600 km around home */
		e.lat0 = fmax(-89, h->lat - 5.5);
		e.lat1 = fmin(89, h->lat + 5.5);
		e.lon0 = h->lon - 5.5 / fmax(0.2, cos(h->lat * M_PI / 180));
		e.lon1 = h->lon + 5.5 / fmax(0.2, cos(h->lat * M_PI / 180));
	}
	clat = (e.lat0 + e.lat1) / 2;
	clon = (e.lon0 + e.lon1) / 2;
	sb_addf(&def, "+proj=laea +lat_0=%.4f +lon_0=%.4f +datum=WGS84", clat, clon);
	pj = geo_proj_new(def.buf, w->err);
	sb_release(&def);
	if (!pj) {
		w->st = NR_EX_SOFTWARE;
		return;
	}
	/* projected extent: the bbox's edges sampled */
	for (int i = 0; i <= 40; i++) {
		double t = i / 40.0, x, y;
		double pts[4][2] = {
			{ e.lon0 + t * (e.lon1 - e.lon0), e.lat0 }, { e.lon0 + t * (e.lon1 - e.lon0), e.lat1 },
			{ e.lon0, e.lat0 + t * (e.lat1 - e.lat0) }, { e.lon1, e.lat0 + t * (e.lat1 - e.lat0) },
		};
		for (int k = 0; k < 4; k++) {
			if (geo_proj_fwd(pj, pts[k][0], pts[k][1], &x, &y))
				continue;
			v.x0 = fmin(v.x0, x);
			v.x1 = fmax(v.x1, x);
			v.y0 = fmin(v.y0, y);
			v.y1 = fmax(v.y1, y);
		}
	}
	if (!(v.x1 > v.x0) || !(v.y1 > v.y0))
		v = (struct view){ -600e3, 600e3, -600e3, 600e3, 0, 0, -2 };
	/* pad 4%, then widen to the chart's aspect so the view is centred */
	pad = 0.04 * fmax(v.x1 - v.x0, v.y1 - v.y0);
	v.x0 -= pad;
	v.x1 += pad;
	v.y0 -= pad;
	v.y1 += pad;
	w_km = (v.x1 - v.x0) / 1000.0;
	h_km = (v.y1 - v.y0) / 1000.0;
	cx = (v.x0 + v.x1) / 2000.0;
	cy = (v.y0 + v.y1) / 2000.0;
	{
		double aspect = (0.98 * PL_WIDTH) / (0.835 * PL_HEIGHT);
		if (w_km / h_km < aspect)
			w_km = h_km * aspect;
		else
			h_km = w_km / aspect;
	}
	v.x0 = (cx - w_km / 2) * 1000.0;
	v.x1 = (cx + w_km / 2) * 1000.0;
	v.y0 = (cy - h_km / 2) * 1000.0;
	v.y1 = (cy + h_km / 2) * 1000.0;
	span_km = fmax(w_km, h_km);
	view_reach(&v, clat, clon);
	/* the places, biggest first, and their positions: for the frame, the inset, the arcs and the bubbles */
	sorted = located_places(r, NULL, &places_layer.nsorted, &places_layer.max);
	places_layer.sorted = sorted;
	pxy_init(&pxy, r, pj, &v);
	places_layer.xy = &pxy;

	pl_gp_head(&w->gp, "home-map", "map of the home country", PL_PHONE_MAP_HEIGHT);
	pl_gp_title(&w->gp, _("Your connections in %s"), "home_country",
		    _("Each bubble is a town or city; lines are great circles from %s"), "home");
	if (o) {
		other = write_rings(w, o, pj, &v, h->cc, 0);
		sb_addch(&w->data, '\n');
		pl_put_file(w, "home-map-other.tsv", &w->data);
		land = write_rings(w, o, pj, &v, h->cc, 1);
	}
	sb_addch(&w->data, '\n');
	pl_put_file(w, "home-map-land.tsv", &w->data);
	/* the lakes in the view, white as the sea around the country */
	if (w->lakes && write_rings(w, w->lakes, pj, &v, NULL, 0) > 0) {
		pl_put_file(w, "home-map-lakes.tsv", &w->data);
		mo.lakes = "#ffffff";
	} else
		sb_reset(&w->data);
	sb_addf(&w->gp, "set xrange [%.1f:%.1f]\nset yrange [%.1f:%.1f]\n", v.x0 / 1000.0, v.x1 / 1000.0,
		v.y0 / 1000.0, v.y1 / 1000.0);
	mo.ratio = (v.y1 - v.y0) / (v.x1 - v.x0);
	home_extras(w, pj, &v, &places_layer, w_km, h_km, span_km, land > 0, other > 0, &mo, &before, &under, &over,
		    &after);
	map_layers(w, "home-map", pj, &v, w_km * h_km, span_km * 0.004, span_km * 0.035, land > 0, other > 0, 0,
		   &places_layer, 1, 1, &mo);
	sb_release(&before);
	sb_release(&under);
	sb_release(&over);
	sb_release(&after);
	pl_put_file(w, "home-map.gp", &w->gp);
	pxy_release(&pxy);
	free(sorted);
	geo_proj_free(pj);
}
