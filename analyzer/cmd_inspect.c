/* cmd_inspect: netreach inspect and template (see cmd.h); in the front binary. */
#include "cmd.h"

#include "banned.h"

/* ing_inspect or ing_template, then the flush that tells whether out took it all. */
static int one_export(int (*write)(FILE *, const char *, const struct ing_options *, struct strbuf *), FILE *out,
		      const char *path, const struct ing_options *opt, struct strbuf *err)
{
	int st = write(out, path, opt, err);
	if (fflush(out) != 0 && !st) {
		sb_addf(err, "standard output: write error");
		st = NR_EX_IOERR;
	}
	return st;
}

int cmd_inspect(FILE *out, const char *path, const struct ing_options *opt, struct strbuf *err)
{
	return one_export(ing_inspect, out, path, opt, err);
}

int cmd_template(FILE *out, const char *path, const struct ing_options *opt, struct strbuf *err)
{
	return one_export(ing_template, out, path, opt, err);
}
