#ifndef INGEST_H
#define INGEST_H

/*
 * ingest: contact exports (CSV through libcsv) to rows.
 *
 * ing_read() streams one export (a vCard file, one that starts with
 * BEGIN:VCARD, goes through vcard.h instead of the CSV reader: one record
 * per card, format "vcard", columns named by vCard property, never split):
 * it detects the encoding (UTF-8 with or
 * without BOM, UTF-16LE/BE with BOM, Windows-1252) and transcodes to UTF-8,
 * sniffs the delimiter (, ; TAB |) from the header line, finds the header
 * (skipping LinkedIn's "Notes:" preamble), maps columns to roles through a
 * table of known header names (case- and accent-insensitive, English and
 * German), and calls back once per data record. Memory does not grow with
 * the number of rows.
 *
 * Every data record is reported exactly once, with a status: OK (has a
 * location string and/or coordinates), NO_LOCATION, or SKIPPED (with a
 * reason: field over 1 MiB, more than 1,000 fields, ...). Empty lines are
 * not records. The caller decides resolved/unresolved later.
 *
 * Decisions, in detail:
 *  - The header is the first record (of the first 100, within the first
 *    256 KiB) with at least two cells in the known-header table (or one, if
 *    it is the record's only cell); the delimiter is the one of , ; TAB |
 *    that gives the most hits there. Without such a record the first
 *    non-empty record is the header (and usually fails the column check).
 *  - A record whose cells are all empty (",,,") is not a record, like an
 *    empty or blank line. Line numbers count CR, LF and CRLF.
 *  - Short rows: cells past the end are "" (length 0); extra cells are
 *    ignored. A role without a column has field[] NULL.
 *  - SKIPPED reasons (static strings): "unterminated quote" (a quoted
 *    field still open at end of file: that record is skipped, rows before
 *    it are kept), "field longer than 1 MiB" (reading stops accumulating
 *    at the limit, so memory stays bounded whatever the field's size),
 *    "more than 1,000 fields".
 *  - Windows-1252 vs UTF-8 without BOM: decided by the first chunk holding
 *    a byte >= 0x80 (see encoding.h). In UTF-8 text a cell's bytes that
 *    are not UTF-8 are read as Windows-1252 (rows pasted in from an Excel
 *    export: enc_utf8_mixed), and the row is counted in
 *    ing_info.recoded_rows. The other way round, in Windows-1252 text
 *    the valid UTF-8 sequences (rows pasted in from a UTF-8 export after
 *    a first chunk in Windows-1252) are kept as UTF-8, and those rows are
 *    counted in recoded_rows too. A NUL byte, or a first chunk that is more than
 *    2% control bytes, is a data error (binary file).
 *  - Location: "City, Region, Country" from the non-empty structured
 *    parts (business / work / mailing first; an Outlook or Thunderbird
 *    Home address, or Salesforce's Other*, when all of those are empty),
 *    else the free-text location column (Location, Address 1 - Formatted)
 *    if its cell is non-empty, else the --locations entry for the row's
 *    normalised URL. Outlook's free-text "Location" is often an office
 *    ("Building 5"), so it never hides an address.
 *  - Coordinates: both cells must parse (decimal point or comma) and lie
 *    in [-90, 90] / [-180, 180]; Salesforce's OtherLatitude/OtherLongitude
 *    when the Mailing pair is missing or invalid.
 *  - In a LinkedIn export a row whose only non-empty cell is Connected On
 *    is SKIPPED with reason ING_EMPTY_LINKEDIN.
 *
 * Ownership: everything a struct ing_row points to is owned by the reader
 * and valid only during the callback; cells and the location are also
 * NUL-terminated. struct ing_info is filled by ing_read (as soon as the
 * header is known, so callbacks may read it) and released with
 * ing_info_release, also after an error.
 */

#include <stddef.h>

#include "util.h"

enum ing_role {
	ING_FIRST_NAME,
	ING_LAST_NAME,
	ING_FULL_NAME,
	ING_URL,
	ING_EMAIL,
	ING_COMPANY,
	ING_POSITION,
	ING_CONNECTED_ON,
	ING_LOCATION,   /* one free-text place: "Location", "Geo Location" */
	ING_CITY,
	ING_REGION,     /* state, province, Bundesland */
	ING_COUNTRY,
	ING_LAT,
	ING_LON,
	ING_ROLE_COUNT
};

/* "first_name", "location", ... as used by --column ROLE=HEADER; NULL if out of range. */
const char *ing_role_name(enum ing_role role);
/* Role for a --column name, or -1. */
int ing_role_parse(const char *name);

/*
 * The table of known header names (for tests and `inspect`): the folded
 * header text of entry i and its role in *role (may be NULL), or NULL
 * when i >= ing_known_header_count(). Strings are static. A role of
 * ING_ROLE_COUNT marks a header that only names the export (PhantomBuster's
 * "vmid"): it counts for finding the header and the format.
 */
size_t ing_known_header_count(void);
const char *ing_known_header(size_t i, int *role);

enum ing_status {
	ING_ROW_OK,
	ING_ROW_NO_LOCATION,
	ING_ROW_SKIPPED
};

enum ing_date_state {
	ING_DATE_NONE,        /* no date column, or the cell is empty */
	ING_DATE_OK,
	ING_DATE_UNPARSEABLE
};

struct ing_row {
	unsigned long line;        /* 1-based physical line where the record starts */
	enum ing_status status;
	const char *skip_reason;   /* static text when SKIPPED, else NULL */

	/*
	 * The place, in UTF-8: the location column, or "City, Region, Country"
	 * joined from the parts that are present (or from --locations when the
	 * export has none). NULL when there is none.
	 */
	const char *location;
	size_t location_len;

	int has_coords;            /* lat/lon columns held valid numbers */
	double lat, lon;

	enum ing_date_state date_state;
	int month;                 /* year * 12 + (month - 1) when date_state is OK */

	/*
	 * Raw cells by role, UTF-8; NULL when the export has no such column
	 * or the role is in ing_options.omit_fields.
	 */
	const char *field[ING_ROLE_COUNT];
	size_t field_len[ING_ROLE_COUNT];
};

/* Bit of a role in ing_options.omit_fields; ING_ROLES_ALL has every role's bit. */
#define ING_ROLE_BIT(role) (1u << (role))
#define ING_ROLES_ALL ((1u << ING_ROLE_COUNT) - 1)

struct ing_split;

struct ing_options {
	/* --column ROLE=HEADER overrides; NULL entries use the table */
	const char *column[ING_ROLE_COUNT];
	/* --locations FILE: CSV of profile URL + location joined by normalised URL */
	const char *locations_path;
	/*
	 * Roles (ING_ROLE_BIT) whose row->field[] the caller never reads:
	 * their field[] stays NULL (length 0) in every row, and a column only
	 * they would use is not copied per row. Everything else is unchanged:
	 * header detection, the format, info->column[], location (with its
	 * city/region/country and --locations fallbacks), coordinates and
	 * dates are computed from the cells whatever this says. 0 (the
	 * default) fills every role's field[].
	 */
	unsigned omit_fields;
	/* read one big export in two parts at once (see struct ing_split); NULL: in one piece */
	const struct ing_split *split;
};

/*
 * Reading one big export on two cores. With ing_options.split set,
 * ing_read may cut a UTF-8 (or ASCII) regular file of at least min_bytes
 * at a line end near the middle of the data and parse the second part in
 * a second thread while the calling thread parses the first. Rows of the
 * first part go to fn(row, ctx) in the calling thread, rows of the second
 * to fn(row, ctx2) in the other thread, with row->line counted from the
 * cut (the line after it is line 1): fn must touch nothing but its
 * context. When both parts are read, join(ctx, ctx2, base, use) is called
 * in the calling thread:
 *   use = 1: the second part's rows are the ones a single reader would
 *     have seen. join adds base - 1 to their line numbers, moves what
 *     ctx2 gathered into ctx and returns 0, or returns nonzero (leaving
 *     ctx as it was) to have them read again;
 *   use = 0: they are not (the cut fell inside a quoted field spanning
 *     lines, the first part stopped early, the second met an error, a NUL
 *     byte, non-ASCII bytes while the encoding was still undecided, or fn
 *     returned nonzero there).
 * Either way join leaves ctx2 empty and ready for rows again; when the
 * rows were not used the second part is read again, in the calling thread,
 * into ctx. So rows, their order, line numbers, errors and ing_info are
 * the same as from reading in one piece; only the callback's context
 * differs. The progress callback is called in the calling thread only,
 * with the bytes and records of both parts.
 */
struct ing_split {
	unsigned long long min_bytes;  /* smallest file to cut (at least 1) */
	void *ctx2;
	int (*join)(void *ctx, void *ctx2, unsigned long base, int use);
};

struct ing_info {
	char *path;
	/*
	 * static: "linkedin", "linkedin-de", "google", "outlook", "outlook-de",
	 * "hubspot", "salesforce", "thunderbird", "phantombuster", "apollo",
	 * "dux-soup", "evaboot", "waalaxy", "sales-navigator", "vcard", "generic"
	 */
	const char *format;
	const char *encoding;    /* static: "utf-8", "utf-8-bom", "utf-16le", "utf-16be", "windows-1252" */
	char delimiter;
	unsigned long header_line;
	char *column[ING_ROLE_COUNT];  /* header text of the column used per role, or NULL */
	unsigned long records;         /* data records seen = ok + no_location + skipped */
	unsigned long ok, no_location, skipped;
	unsigned long dates_ok, dates_unparseable;
	unsigned long locations_joined; /* rows whose location came from --locations */
	unsigned long empty_rows;       /* skipped as ING_EMPTY_LINKEDIN (also in skipped) */
	int no_place_column;            /* a LinkedIn export without location or coordinates columns (and no --locations) */
	/*
	 * rows in the other encoding: of a UTF-8 export, with bytes that are not
	 * UTF-8 (read as Windows-1252); of a Windows-1252 one, with UTF-8 (kept)
	 */
	unsigned long recoded_rows;
	unsigned long long bytes;       /* bytes read from the file */
};

void ing_info_release(struct ing_info *info);

/*
 * The skip reason of a LinkedIn row whose only non-empty cell is its
 * Connected On date (",,,,,,06 Sep 2025": a connection LinkedIn no longer
 * shows). Such a row is not a contact; ing_info.empty_rows counts them.
 */
#define ING_EMPTY_LINKEDIN "empty row from LinkedIn"

/* Return nonzero from the callback to stop reading (ing_read then returns that value). */
typedef int (*ing_row_fn)(const struct ing_row *row, void *ctx);

/* Called now and then with bytes read so far and the file size (0 if unknown). */
typedef void (*ing_progress_fn)(unsigned long long done, unsigned long long total, unsigned long records, void *ctx);

/*
 * Read the export at path. Returns NR_EX_OK, the callback's nonzero
 * value, or an exit status with a one-line message in err of the form
 * "'<path>': line N: <problem>" (or "'<path>': <problem>"):
 *   NR_EX_NOINPUT  missing, unreadable or a directory
 *   NR_EX_DATAERR  empty, no header, no usable column (no location,
 *                  coordinates or join key; a LinkedIn export without
 *                  them is read, its rows NO_LOCATION, with
 *                  info->no_place_column set), binary data, bad --column
 *                  ("'<path>': no column 'X' for --column ROLE")
 *   NR_EX_IOERR    read error
 *   NR_EX_OSERR    the CSV parser failed (out of memory)
 * Errors in the --locations file name that file. info need not be
 * initialised (it is overwritten); opt may be NULL. progress may be NULL;
 * it is called after each 256 KiB chunk.
 */
int ing_read(const char *path, const struct ing_options *opt,
	     ing_row_fn fn, ing_progress_fn progress, void *ctx,
	     struct ing_info *info, struct strbuf *err);

/*
 * ing_read of an export held in memory, data[0..len) (borrowed for the
 * call; the fuzz targets and tests use it): the same rows, counts and
 * errors as ing_read of a file with those bytes, with name in place of the
 * path in messages and info->path, and never split (not a regular file).
 * opt->locations_path, if set, is still a file.
 */
int ing_read_mem(const char *name, const void *data, size_t len, const struct ing_options *opt,
		 ing_row_fn fn, ing_progress_fn progress, void *ctx, struct ing_info *info, struct strbuf *err);

/*
 * LinkedIn's Profile.csv: append the "Geo Location" (or Location) of its
 * first data row to out. Same return values and messages as ing_read,
 * plus NR_EX_DATAERR "'<path>': no data row" and "'<path>': line N: no
 * location in the profile" (out is then unchanged).
 */
int ing_profile_location(const char *path, struct strbuf *out, struct strbuf *err);

/*
 * Normalised profile URL key for matching: lower case, scheme and "www."
 * dropped, query string, fragment and trailing slashes removed, percent
 * escapes of unreserved characters decoded. Resets out; returns out->len
 * (0 when url is empty).
 */
size_t ing_url_key(struct strbuf *out, const char *url, size_t len);

/*
 * Parse a "Connected On" date: "03 Jan 2024", German "03. Jan. 2024",
 * "03.01.2024", "2024-01-03", "1/3/2024" (US), "03 Mär 2024". Returns
 * year * 12 + (month - 1), or -1 when unparseable.
 */
int ing_parse_month(const char *s, size_t len);

/*
 * `netreach inspect`: print what ingestion sees in an export: format,
 * encoding, delimiter, header line and the column used per role, then one
 * TSV line per record: line, status (ok, no_location, skipped), reason,
 * location, lat, lon, month (YYYY-MM or empty), and closing counts.
 * Same return values and messages as ing_read.
 *
 *   format\tlinkedin            encoding\tutf-8
 *   delimiter\tcomma            (comma, semicolon, tab, pipe)
 *   header_line\t4
 *   column\t<role>\t<header>     one per role with a column, in role order
 *   line\tstatus\treason\tlocation\tlat\tlon\tmonth
 *   5\tok\t\tBerlin, Germany\t\t\t2024-01   (lat/lon "%.6f" when present)
 *   records\tN, ok, no_location, skipped, dates_ok, dates_unparseable,
 *   locations_joined             one "name\tcount" line each
 *   recoded_rows\tN              only when N > 0 (as the report says it):
 *                                rows read in the other encoding
 *                                (ing_info.recoded_rows)
 *
 * Tabs, CR, LF and backslashes in locations are written as \t \r \n \\.
 * When reading fails midway the rows printed so far stay; no counts follow.
 */
#include <stdio.h>
int ing_inspect(FILE *out, const char *path, const struct ing_options *opt, struct strbuf *err);

/*
 * `netreach template`: write to out a CSV to fill in and give back as
 * --locations: the header "URL,First Name,Last Name,Email Address,Company,
 * Location" and one row per record that is not skipped (LinkedIn's empty
 * rows are not contacts), with the export's cells (trimmed, through
 * txt_csv_cell) and the Location the row already has (else empty). Same
 * return values and messages as ing_read, plus NR_EX_IOERR when writing
 * fails ("standard output: write error").
 */
int ing_template(FILE *out, const char *path, const struct ing_options *opt, struct strbuf *err);

#endif
