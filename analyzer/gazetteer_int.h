#ifndef GAZETTEER_FORMAT_H
#define GAZETTEER_FORMAT_H

/*
 * The file layout of gazetteer.bin, shared by the reader (gazetteer.c) and
 * the builder (gazetteer_build.c) and by nothing else. All little-endian
 * host order, sections 8-byte aligned: struct gz_header, then the sections
 * of enum sec. Keys live in an open-addressing hash table (slots hold key
 * index + 1) whose key records point to a run of postings. A 1-degree grid
 * (grid_start has one entry per cell plus one) lists the places in each
 * cell for gz_nearest. The header carries a CRC-32 of itself and one of
 * each section.
 */

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "gazetteer.h"

#define GZ_MAGIC "NRGZIX07"
#define GRID_W 360
#define GRID_H 180
#define GRID_CELLS (GRID_W * GRID_H)

enum sec {
	SEC_STR,        /* char */
	SEC_PLACE,      /* struct gz_place_rec */
	SEC_COUNTRY,    /* struct gz_country_rec */
	SEC_ADMIN1,     /* struct gz_admin1_rec, sorted by (country cc, code) */
	SEC_KEY,        /* struct key_rec */
	SEC_SLOT,       /* uint32_t, power-of-two count */
	SEC_POST,       /* struct gz_posting */
	SEC_GRID_START, /* uint32_t[GRID_CELLS + 1] */
	SEC_GRID_ITEM,  /* uint32_t place indexes */
	SEC_CC,         /* uint32_t[26 * 26]: country index + 1 by alpha-2 */
	SEC_PKEY,       /* uint32_t per place: string offset of its normalised name */
	SEC_CPLACE,     /* uint32_t place indexes by (country, admin-1, population desc) */
	SEC_CSTART,     /* uint32_t[ncountries + 1]: each country's run in SEC_CPLACE */
	SEC_APLACE,     /* uint32_t place indexes by (admin-1, population desc); places without admin-1 last */
	SEC_ASTART,     /* uint32_t[nadmin1 + 1]: each admin-1 region's run in SEC_APLACE */
	SEC_ADMIN2,     /* struct gz_admin2_rec, in admin2.tsv order (cc, admin-1 code, admin-2 code) */
	SEC_A2PLACE,    /* uint32_t place indexes by (admin-2, first letter, population desc); places without admin-2 last */
	SEC_A2START,    /* uint32_t[nadmin2 + 1]: each admin-2 region's run in SEC_A2PLACE */
	NSEC
};

/* Bytes per element of each section. */
extern const size_t gz_sec_elem[NSEC];

struct key_rec {
	uint32_t hash;  /* low 32 bits of sm_hash */
	uint32_t str;
	uint32_t post;
	uint16_t len;
	uint16_t npost;
};

struct gz_header {
	char magic[8];
	uint32_t endian;   /* 0x01020304 */
	uint32_t nsec;
	uint64_t size;
	struct {
		uint64_t off, count;
	} sec[NSEC];
	uint32_t crc[NSEC];  /* CRC-32 of each section's bytes */
	uint32_t hdr_crc;    /* CRC-32 of this header with hdr_crc set to 0 */
	uint32_t pad;
};

/* Slot of an alpha-2 code ("DE", any case) in the 26 * 26 table, or -1. */
static inline int cc_slot(const char *cc)
{
	if (!cc)
		return -1;
	int a = cc[0] & ~0x20, b = cc[0] ? cc[1] & ~0x20 : 0;
	if (a < 'A' || a > 'Z' || b < 'A' || b > 'Z' || cc[2])
		return -1;
	return (a - 'A') * 26 + (b - 'A');
}

/* Grid row and column of a latitude and longitude (1-degree cells). */
static inline int cell_row(double lat)
{
	int r = (int)floor(lat) + 90;
	return r < 0 ? 0 : r >= GRID_H ? GRID_H - 1 : r;
}

static inline int cell_col(double lon)
{
	int c = (int)floor(lon) + 180;
	return ((c % GRID_W) + GRID_W) % GRID_W;
}

#endif
