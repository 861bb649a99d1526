#ifndef DATA_H
#define DATA_H

/*
 * data: the runtime data of one command, opened once and lent to every
 * module that reads it.
 *
 *   DIR/gazetteer.bin            the gazetteer (gz_open)           nd_gazetteer
 *   DIR/world/countries-50m.tsv  country outlines, point in        nd_countries
 *                                country and the home map
 *   DIR/world/countries-110m.tsv the world map's outlines          nd_world_outlines
 *   DIR/world/lakes-50m.tsv      the big lakes, drawn as water     nd_lakes
 *
 * A command (cmd_*.c) makes one struct nr_data for its data directory and
 * passes it to analyze, stats, plot and compare; each file is opened on
 * first use, at most once per struct nr_data (so `compare`, which runs two
 * analyses, reads each file once, and `geocode` never reads an outline).
 * A file that fails to open is tried again on the next call.
 *
 * The outlines need GEOS; they are opened by data_geo.c, which data.c
 * does not reference (it reaches it only through the release hook that
 * data_geo.c sets), so that the front binary (geocode, inspect), which uses
 * only nd_init, nd_gazetteer and nd_release, links without GEOS and PROJ.
 *
 * Ownership: the command owns the struct nr_data (nd_init .. nd_release).
 * Everything nd_* hands out is owned by it and valid until nd_release;
 * results whose strings point into the gazetteer or the outlines (place
 * names, country codes) borrow them, so they are released first.
 */

#include "util.h"

struct gz;
struct geo_countries;
struct geo_outlines;

struct nr_data {
	char *dir;                        /* the data directory (owned copy) */
	/* private: opened on first use */
	struct gz *gz;
	struct geo_countries *countries;  /* DIR/world/countries-50m.tsv */
	struct geo_outlines *world;       /* DIR/world/countries-110m.tsv (or -50m) */
	struct geo_outlines *home;        /* the home map's outlines when -50m is missing */
	struct geo_outlines *lakes;       /* DIR/world/lakes-50m.tsv */
	int no_lakes;                     /* DIR/world/lakes-50m.tsv does not exist */
	void (*release_geo)(struct nr_data *d); /* set by data_geo.c once it opened something */
};

/* Start with nothing open; dir (copied) is where the files are. */
void nd_init(struct nr_data *d, const char *dir);

/* Close everything that was opened and free dir; d can be nd_init'ed again. */
void nd_release(struct nr_data *d);

/*
 * The gazetteer of DIR, opened on the first call. Returns NR_EX_OK with
 * *out set, or gz_open's status and message in err.
 */
int nd_gazetteer(struct nr_data *d, struct gz **out, struct strbuf *err);

/*
 * The country outlines of DIR/world/countries-50m.tsv (geo_countries_open),
 * opened on the first call. Returns NR_EX_OK with *out set, or
 * geo_countries_open's status and message in err.
 */
int nd_countries(struct nr_data *d, struct geo_countries **out, struct strbuf *err);

/*
 * Outlines for the world map: DIR/world/countries-110m.tsv, else -50m
 * (the first that exists), loaded on the first call. Returns NR_EX_OK with
 * *out set; NR_EX_NOINPUT "'DIR/world/countries-110m.tsv': no map outlines
 * (reinstall netreach's data)" when neither exists; geo_outlines_load's
 * status and message when the file is bad.
 */
int nd_world_outlines(struct nr_data *d, const struct geo_outlines **out, struct strbuf *err);

/*
 * Outlines for the home country map: the rings of nd_countries
 * (countries-50m.tsv, read once for locating and drawing) when that file
 * exists, else countries-110m.tsv. Returns like nd_world_outlines (the
 * message names countries-50m.tsv).
 */
int nd_home_outlines(struct nr_data *d, const struct geo_outlines **out, struct strbuf *err);

/*
 * The lakes that the country outlines include as land (Natural Earth
 * 1:50m lakes, DIR/world/lakes-50m.tsv; rings in the outline format, code
 * "--"), for the maps to draw as water; opened on the first call.
 * Returns NR_EX_OK with *out set, or with *out NULL when the file does
 * not exist (an older data directory: the maps then draw no lakes);
 * geo_outlines_load's status and message when it cannot be read.
 */
int nd_lakes(struct nr_data *d, const struct geo_outlines **out, struct strbuf *err);

#endif
