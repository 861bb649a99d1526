/*
 * cli: the netreach command line: options, the environment, printing and
 * the exit status, and the dispatch to the commands (cmd.h), which do the
 * work. The only place that prints results, reads the environment and
 * exits; every module below returns an exit status and a message.
 */

#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analyze.h"
#include "cmd.h"
#include "data.h"
#include "gazetteer.h"
#include "i18n.h"
#include "ingest.h"
#include "util.h"

#include "banned.h"

static const char usage_main[] =
	"usage: netreach analyze EXPORT... [options]\n"
	"       netreach compare BEFORE AFTER [options]\n"
	"       netreach geocode [PLACE...]\n"
	"       netreach inspect EXPORT [--column ROLE=HEADER] [--locations FILE]\n"
	"       netreach template EXPORT > locations.csv\n"
	"       netreach --version | --help | help COMMAND\n"
	"\n"
	"Shows how far a professional network reaches beyond the home town:\n"
	"geocodes the contacts of a CSV export offline, computes reach statistics\n"
	"and writes charts and a report (index.html, report.md, summary.json).\n"
	"See netreach(1) for details and exit statuses.\n";

#define USAGE_OPTIONS(OUTPUT_DEFAULT) \
	"Options:\n" \
	"  --home PLACE           home town, e.g. 'Sheboygan, WI' (default: the most\n" \
	"                         common city among the contacts)\n" \
	"  --home-coords LAT,LON  home point in decimal degrees\n" \
	"  --profile FILE         LinkedIn Profile.csv; its Geo Location is the home\n" \
	"  --radius KM            home town radius in km (default 50)\n" \
	"  --locations FILE       CSV of profile URL + location to join to exports\n" \
	"                         that have no location column (LinkedIn)\n" \
	"  --regions FILE         GeoJSON FeatureCollection of named regions to count\n" \
	"  --targets FILE         companies or publications, one a line: how many\n" \
	"                         connections work at each (a foot in the door)\n" \
	"  --column ROLE=HEADER   use column HEADER for ROLE (location, city, region,\n" \
	"                         country, lat, lon, url, email, first_name, last_name,\n" \
	"                         full_name, company, position, connected_on)\n" \
	"  -o, --output DIR       report directory (default " OUTPUT_DEFAULT ",\n" \
	"                         the name without its extension)\n" \
	"  --no-render            write chart scripts and data, do not run gnuplot\n" \
	"  --show-names           allow names in the report (off: private by default)\n" \
	"  --timestamp            put the run time in the report (off: byte-identical reruns)\n" \
	"  --lang LANG            language of the report and charts: en or de\n" \
	"                         (default: from LC_ALL, LC_MESSAGES or LANG)\n" \
	"  -q, --quiet            no progress and no summary on the terminal\n" \
	"  --jobs N               1: read on one core; 2 (default with 2+ CPUs): a big\n" \
	"                         export is read in two parts at once, same result\n"

static const char usage_analyze[] =
	"usage: netreach analyze EXPORT... [options]\n"
	"\n"
	"Analyze one or more contact exports (merged; the same profile URL counts once)\n"
	"and write a report directory with index.html, report.md, summary.json,\n"
	"places.csv, unresolved.csv, skipped.csv and charts/.\n\n" USAGE_OPTIONS("reports/<first EXPORT>");

static const char usage_compare[] =
	"usage: netreach compare BEFORE AFTER [options]\n"
	"\n"
	"Compare an older export with a newer one: who was added, removed or moved,\n"
	"and how every reach share changed (with 95% confidence intervals). Writes\n"
	"compare.json, index.html, report.md and charts/.\n\n" USAGE_OPTIONS("reports/compare-<AFTER>");

static const char usage_geocode[] =
	"usage: netreach geocode [PLACE...]\n"
	"\n"
	"Resolve place names offline and print one TSV row per place, in order, with\n"
	"the header: input status lat lon name admin1 country_code country continent\n"
	"level confidence method. Without arguments, places are read from standard\n"
	"input, one per line.\n";

static const char usage_inspect[] =
	"usage: netreach inspect EXPORT [--column ROLE=HEADER] [--locations FILE]\n"
	"\n"
	"Show what netreach reads from an export: format, encoding, delimiter, the\n"
	"column used for each role, and the status of every record.\n";

static const char usage_template[] =
	"usage: netreach template EXPORT [--column ROLE=HEADER] [--locations FILE] > locations.csv\n"
	"\n"
	"Write a CSV with one row per contact of the export (URL, First Name, Last Name,\n"
	"Email Address, Company, and a Location column, empty unless the export or\n"
	"--locations already has one). Fill in Location in a spreadsheet and give the\n"
	"file back with --locations. LinkedIn's empty rows are left out.\n";

struct cli_opts {
	const char **inputs;
	size_t nr_inputs;
	struct an_options an;
	const char *out_dir;
	int no_render, quiet, timestamp, show_names;
	int lang;               /* --lang: enum i18n_lang, or -1 (from the locale) */
	int render_timeout_s;   /* NETREACH_RENDER_TIMEOUT; 0: PL_RENDER_TIMEOUT_S */
};

static int usage_error(const char *cmd, const char *fmt, const char *arg)
{
	struct strbuf a = STRBUF_INIT;
	if (arg)
		nr_escape_controls(&a, arg, strlen(arg));
	fputs("netreach: ", stderr);
	fprintf(stderr, fmt, arg ? a.buf : arg);
	fprintf(stderr, "\nTry 'netreach %s --help'.\n", cmd ? cmd : "");
	sb_release(&a);
	return NR_EX_USAGE;
}

/* Parse "LAT,LON" into degrees; 0 on success. */
static int parse_coords(const char *s, double *lat, double *lon)
{
	char *end;
	errno = 0;
	*lat = strtod(s, &end);
	if (end == s || *end != ',' || errno)
		return -1;
	s = end + 1;
	*lon = strtod(s, &end);
	if (end == s || *end || errno)
		return -1;
	if (!isfinite(*lat) || !isfinite(*lon) || *lat < -90 || *lat > 90 || *lon < -180 || *lon > 180)
		return -1;
	return 0;
}

/*
 * Parse the options shared by analyze, compare and inspect. Returns
 * NR_EX_OK, or an exit status after printing the error; *help set when
 * --help was given.
 */
static int parse_opts(const char *cmd, int argc, const char **argv, struct cli_opts *o, int *help)
{
	const char *split_min = getenv("NETREACH_SPLIT_MIN");
	const char *render_timeout = getenv("NETREACH_RENDER_TIMEOUT");
	an_options_init(&o->an);
	/* seconds that rendering all the charts may take (netreach(1), ENVIRONMENT) */
	if (render_timeout && *render_timeout) {
		long t = strtol(render_timeout, NULL, 10);
		o->render_timeout_s = t > 0 && t <= 86400 ? (int)t : 0;
	}
	/* for tests: read exports of at least this many bytes in two parts (netreach(1), ENVIRONMENT) */
	if (split_min && *split_min)
		o->an.split_min = strtoull(split_min, NULL, 10);
	o->inputs = xcalloc((size_t)argc + 1, sizeof(*o->inputs));
	o->lang = -1;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *val = NULL, *eq;
		char name[64];
		size_t nlen;
		if (a[0] != '-' || !strcmp(a, "-")) {
			o->inputs[o->nr_inputs++] = a;
			continue;
		}
		if (!strcmp(a, "--")) {
			while (++i < argc)
				o->inputs[o->nr_inputs++] = argv[i];
			break;
		}
		eq = strchr(a, '=');
		nlen = eq && !strncmp(a, "--", 2) ? (size_t)(eq - a) : strlen(a);
		if (nlen >= sizeof(name))
			return usage_error(cmd, "unknown option '%s'", a);
		memcpy(name, a, nlen);
		name[nlen] = '\0';
		if (eq && !strncmp(a, "--", 2))
			val = eq + 1;

#define FLAG(n) (!strcmp(name, n))
#define NEEDVAL()                                                                    \
	do {                                                                         \
		if (!val) {                                                          \
			if (i + 1 >= argc)                                           \
				return usage_error(cmd, "option '%s' needs a value", name); \
			val = argv[++i];                                             \
		}                                                                    \
	} while (0)

		if (FLAG("-h") || FLAG("--help")) {
			*help = 1;
			return NR_EX_OK;
		} else if (FLAG("-q") || FLAG("--quiet")) {
			o->quiet = 1;
		} else if (FLAG("--no-render")) {
			o->no_render = 1;
		} else if (FLAG("--timestamp")) {
			o->timestamp = 1;
		} else if (FLAG("--show-names")) {
			o->show_names = 1;
		} else if (FLAG("--home")) {
			NEEDVAL();
			if (!*val)
				return usage_error(cmd, "--home needs a place%s", "");
			o->an.home_query = val;
		} else if (FLAG("--home-coords")) {
			NEEDVAL();
			if (parse_coords(val, &o->an.home_lat, &o->an.home_lon) < 0)
				return usage_error(cmd, "--home-coords '%s': expected LAT,LON in degrees (-90..90, -180..180)", val);
			o->an.has_home_coords = 1;
		} else if (FLAG("--profile")) {
			NEEDVAL();
			o->an.profile_path = val;
		} else if (FLAG("--radius")) {
			char *end;
			NEEDVAL();
			errno = 0;
			o->an.radius_km = strtod(val, &end);
			if (end == val || *end || errno || !isfinite(o->an.radius_km) ||
			    o->an.radius_km <= 0 || o->an.radius_km > 20000)
				return usage_error(cmd, "--radius '%s': expected a distance in km between 0 and 20000", val);
		} else if (FLAG("--locations")) {
			NEEDVAL();
			o->an.ing.locations_path = val;
		} else if (FLAG("--targets")) {
			NEEDVAL();
			o->an.targets_path = val;
		} else if (FLAG("--regions")) {
			NEEDVAL();
			o->an.regions_path = val;
		} else if (FLAG("--column")) {
			const char *e;
			char role[32];
			int r;
			NEEDVAL();
			e = strchr(val, '=');
			if (!e || e == val || !e[1] || (size_t)(e - val) >= sizeof(role))
				return usage_error(cmd, "--column '%s': expected ROLE=HEADER", val);
			memcpy(role, val, (size_t)(e - val));
			role[e - val] = '\0';
			r = ing_role_parse(role);
			if (r < 0)
				return usage_error(cmd, "--column: unknown role '%s'", role);
			o->an.ing.column[r] = e + 1;
		} else if (FLAG("--jobs")) {
			char *end;
			long j;
			NEEDVAL();
			errno = 0;
			j = strtol(val, &end, 10);
			if (end == val || *end || errno || j < 1 || j > 1024)
				return usage_error(cmd, "--jobs '%s': expected a number of cores from 1 to 1024", val);
			o->an.jobs = (int)j;
		} else if (FLAG("--lang")) {
			NEEDVAL();
			o->lang = i18n_parse(val);
			if (o->lang < 0)
				return usage_error(cmd, "--lang '%s': expected en or de", val);
		} else if (FLAG("-o") || FLAG("--output")) {
			NEEDVAL();
			o->out_dir = val;
		} else {
			return usage_error(cmd, "unknown option '%s'", a);
		}
#undef FLAG
#undef NEEDVAL
	}
	if (o->an.home_query && o->an.has_home_coords)
		return usage_error(cmd, "give either --home or --home-coords, not both%s", "");
	return NR_EX_OK;
}

/* The directory of this executable, or NULL (owned by the caller). */
static char *exe_dir(void)
{
	char exe[PATH_MAX], *slash;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (slash)
		*slash = '\0';
	return xstrdup(exe);
}

/*
 * The first of dir + rel[i] + "/" + name that exists, else
 * fallback/name (owned by the caller).
 */
static char *find_beside(const char *name, const char *const *rel, size_t nrel, const char *fallback)
{
	char *dir = exe_dir();
	struct strbuf p = STRBUF_INIT;
	struct stat st;
	for (size_t i = 0; dir && i < nrel; i++) {
		sb_reset(&p);
		sb_addf(&p, "%s%s/%s", dir, rel[i], name);
		if (stat(p.buf, &st) == 0) {
			free(dir);
			return sb_detach(&p, NULL);
		}
	}
	free(dir);
	sb_reset(&p);
	sb_addf(&p, "%s/%s", fallback, name);
	return sb_detach(&p, NULL);
}

/*
 * The data directory: $NETREACH_DATA, beside the binary (the build tree,
 * bin/ or libexec/netreach/ of an installation), or the install prefix.
 */
static char *find_data_dir(void)
{
	static const char *const rel[] = { "/share/netreach", "/../share/netreach", "/../../share/netreach" };
	const char *env = getenv("NETREACH_DATA");
	char *p;
	size_t n;
	if (env && *env)
		return xstrdup(env);
	p = find_beside("gazetteer.bin", rel, ARRAY_SIZE(rel), NR_DATADIR);
	n = strlen(p) - strlen("/gazetteer.bin");
	p[n] = '\0';
	return p;
}

#ifndef NR_FRONT
/*
 * The language of the report, the charts and the terminal summary:
 * --lang, else the locale (LC_ALL, LC_MESSAGES, LANG). German reads
 * data_dir/locale/de/LC_MESSAGES/netreach.mo and netreach-names.mo (the
 * country and state names). English is the texts as written; it binds only
 * data_dir/locale/en/LC_MESSAGES/netreach-names.mo, the names that take
 * "the" after a preposition ("outside the United States"), and LANGUAGE is
 * set by us, so neither the user's LANGUAGE nor an installed locale can
 * change a text. Only LC_MESSAGES is set: LC_NUMERIC stays "C" for the
 * numbers in JSON, CSV and gnuplot scripts. gettext translates only when
 * LC_MESSAGES is not "C", and de_DE.UTF-8 is often not installed, so
 * C.UTF-8 (always there) with LANGUAGE picks the catalogue; without it
 * English names go without "the" and German falls back to English.
 */
static void set_language(int lang, const char *data_dir)
{
	struct strbuf dir = STRBUF_INIT, mo = STRBUF_INIT;
	if (lang < 0)
		lang = (int)i18n_from_env(getenv("LC_ALL"), getenv("LC_MESSAGES"), getenv("LANG"));
	sb_addf(&dir, "%s/locale", data_dir);
	if (lang != I18N_DE) {
		sb_addf(&mo, "%s/en/LC_MESSAGES/" I18N_NAMES_DOMAIN ".mo", dir.buf);
		if (!access(mo.buf, R_OK) && setlocale(LC_MESSAGES, "C.UTF-8"))
			i18n_bind(dir.buf, "en");
	} else {
		sb_addf(&mo, "%s/de/LC_MESSAGES/" I18N_DOMAIN ".mo", dir.buf);
		if (access(mo.buf, R_OK))
			nr_error("'%s': no German translation (%s): the report is in English", mo.buf,
				 strerror(errno));
		else if (!setlocale(LC_MESSAGES, "C.UTF-8") && !setlocale(LC_MESSAGES, "de_DE.UTF-8"))
			nr_error("neither the C.UTF-8 nor the de_DE.UTF-8 locale is installed: the report is in English");
		else
			i18n_bind(dir.buf, "de");
	}
	sb_release(&dir);
	sb_release(&mo);
}

#endif

static int fail(int status, struct strbuf *err)
{
	if (err->len)
		nr_error("%s", err->buf);
	return status;
}

/*
 * Parse a command's options and check its number of exports (min..max).
 * Returns -1 to go on; otherwise the exit status to return at once (after
 * --help, or a usage error), with o->inputs freed.
 */
static int begin_command(const char *cmd, const char *usage, size_t min, size_t max, const char *count_msg,
			 int argc, const char **argv, struct cli_opts *o)
{
	int help = 0, st = parse_opts(cmd, argc, argv, o, &help);
	if (!st && !help && o->nr_inputs >= min && o->nr_inputs <= max)
		return -1;
	if (help)
		fputs(usage, stdout);
	free(o->inputs);
	o->inputs = NULL;
	if (!st && !help)
		return usage_error(cmd, "%s", count_msg);
	return st;
}

#ifndef NR_FRONT
/* Print an analysis' notes (warnings), one line each. */
static void print_notes(const char *notes)
{
	for (const char *n = notes, *e; n && *n; n = *e ? e + 1 : e) {
		e = strchr(n, '\n');
		if (!e)
			e = n + strlen(n);
		nr_error("%.*s", (int)(e - n), n);
	}
}

typedef int (*report_cmd)(struct nr_data *data, const struct cmd_options *o, struct cmd_report *out,
			  struct strbuf *err);

/* analyze and compare: parse, run the command with the data directory's files, print what it says. */
static int run_report_cmd(const char *name, const char *usage, size_t min, size_t max, const char *count_msg,
			  report_cmd run, int argc, const char **argv)
{
	struct cli_opts o = { 0 };
	struct cmd_options co;
	struct cmd_report rep;
	struct nr_data data;
	struct strbuf err = STRBUF_INIT;
	char *data_dir;
	int st;

	st = begin_command(name, usage, min, max, count_msg, argc, argv, &o);
	if (st >= 0)
		return st;
	memset(&co, 0, sizeof(co));
	co.an = o.an;
	co.an.progress = !o.quiet && isatty(STDERR_FILENO);
	co.inputs = o.inputs;
	co.nr_inputs = o.nr_inputs;
	co.out_dir = o.out_dir;
	co.render = !o.no_render;
	co.timestamp = o.timestamp;
	co.show_names = o.show_names;
	co.render_timeout_s = o.render_timeout_s;
	data_dir = find_data_dir();
	set_language(o.lang, data_dir);
	nd_init(&data, data_dir);
	free(data_dir);
	cmd_report_init(&rep);

	st = run(&data, &co, &rep, &err);
	print_notes(rep.notes);
	if (rep.no_gnuplot && !o.quiet)
		nr_error("gnuplot not found: charts not rendered; install gnuplot and run "
			 "'gnuplot -d' on each script in charts/");
	if (!st && !o.quiet) {
		printf("%s\n", rep.headline.buf);
		printf(_("report: %s/index.html\n"), rep.out_dir);
	}
	st = fail(st, &err);
	cmd_report_release(&rep);
	nd_release(&data);
	sb_release(&err);
	free(o.inputs);
	return st;
}

static int run_analyze(int argc, const char **argv)
{
	return run_report_cmd("analyze", usage_analyze, 1, SIZE_MAX, "no export given", cmd_analyze, argc, argv);
}

static int run_compare(int argc, const char **argv)
{
	return run_report_cmd("compare", usage_compare, 2, 2, "expected two exports, BEFORE and AFTER", cmd_compare,
			      argc, argv);
}
#else
/*
 * analyze and compare run in netreach-analyze, this same CLI built with
 * GEOS, PROJ and gnuplot driving (NR_FRONT unset): exec it with the same
 * arguments. Without their 49 shared libraries this binary starts in
 * about 2 ms, which geocode and inspect keep.
 */
static int exec_analyzer(char **argv)
{
	static const char *const rel[] = { "", "/../libexec/netreach" };
	char *path = find_beside("netreach-analyze", rel, ARRAY_SIZE(rel), NR_LIBEXECDIR);
	execv(path, argv);
	nr_error("cannot run '%s': %s (netreach is not installed completely)", path, strerror(errno));
	free(path);
	return NR_EX_SOFTWARE;
}
#endif

static int run_geocode(int argc, const char **argv)
{
	struct nr_data data;
	struct strbuf err = STRBUF_INIT;
	char *data_dir;
	int st;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(usage_geocode, stdout);
			return NR_EX_OK;
		}
	}
	data_dir = find_data_dir();
	nd_init(&data, data_dir);
	free(data_dir);
	st = cmd_geocode(&data, argv, (size_t)argc, stdin, stdout, &err);
	nd_release(&data);
	st = fail(st, &err);
	sb_release(&err);
	return st;
}

/* inspect and template: one export in, a text on standard output */
typedef int (*export_cmd)(FILE *out, const char *path, const struct ing_options *opt, struct strbuf *err);

static int run_one_export(const char *name, const char *usage, export_cmd run, int argc, const char **argv)
{
	struct cli_opts o = { 0 };
	struct strbuf err = STRBUF_INIT;
	int st;

	st = begin_command(name, usage, 1, 1, "expected one export", argc, argv, &o);
	if (st >= 0)
		return st;
	st = run(stdout, o.inputs[0], &o.an.ing, &err);
	st = fail(st, &err);
	sb_release(&err);
	free(o.inputs);
	return st;
}

static int cmd_version(void)
{
	struct nr_data data;
	struct gz *gz;
	struct strbuf err = STRBUF_INIT;
	char *data_dir = find_data_dir();
	nd_init(&data, data_dir);
	printf("netreach %s\n", NR_VERSION);
	if (nd_gazetteer(&data, &gz, &err) == NR_EX_OK)
		printf("gazetteer: %zu places in %s\n", gz_place_count(gz), data_dir);
	else
		printf("gazetteer: not found (%s)\n", err.buf);
	puts("Place data: GeoNames (https://www.geonames.org), CC BY 4.0.\n"
	     "Outlines: Made with Natural Earth (public domain).");
	nd_release(&data);
	sb_release(&err);
	free(data_dir);
	return NR_EX_OK;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : NULL;
	const char **rest = (const char **)argv + 2;
	int nrest = argc > 2 ? argc - 2 : 0;

	/*
	 * Past a file size limit (ulimit -f) a write fails with EFBIG and is
	 * reported like any other write error, instead of SIGXFSZ killing the
	 * process halfway through a report.
	 */
	signal(SIGXFSZ, SIG_IGN);
	if (!cmd) {
		fputs(usage_main, stderr);
		return NR_EX_USAGE;
	}
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
		fputs(usage_main, stdout);
		return NR_EX_OK;
	}
	if (!strcmp(cmd, "help")) {
		const char *h = nrest ? rest[0] : "";
		if (!strcmp(h, "analyze"))
			fputs(usage_analyze, stdout);
		else if (!strcmp(h, "compare"))
			fputs(usage_compare, stdout);
		else if (!strcmp(h, "geocode"))
			fputs(usage_geocode, stdout);
		else if (!strcmp(h, "inspect"))
			fputs(usage_inspect, stdout);
		else if (!strcmp(h, "template"))
			fputs(usage_template, stdout);
		else
			fputs(usage_main, stdout);
		return NR_EX_OK;
	}
	if (!strcmp(cmd, "--version") || !strcmp(cmd, "version"))
		return cmd_version();
#ifdef NR_FRONT
	if (!strcmp(cmd, "analyze") || !strcmp(cmd, "compare"))
		return exec_analyzer(argv);
#else
	if (!strcmp(cmd, "analyze"))
		return run_analyze(nrest, rest);
	if (!strcmp(cmd, "compare"))
		return run_compare(nrest, rest);
#endif
	if (!strcmp(cmd, "geocode"))
		return run_geocode(nrest, rest);
	if (!strcmp(cmd, "inspect"))
		return run_one_export("inspect", usage_inspect, cmd_inspect, nrest, rest);
	if (!strcmp(cmd, "template"))
		return run_one_export("template", usage_template, cmd_template, nrest, rest);
	nr_error("unknown command '%s'", cmd);
	fputs(usage_main, stderr);
	return NR_EX_USAGE;
}
