#include "plot_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "geocode.h"
#include "i18n.h"
#include "text.h"

#include "banned.h"

/*
 * plot's primitives: labels in data files, writing a file of DIR/charts,
 * the head every script starts with, strings and margins in scripts.
 */

void pl_label(struct strbuf *out, const char *s, size_t len, size_t max_bytes)
{
	struct strbuf t = STRBUF_INIT;
	size_t start = out->len;
	sb_init(&t, len + 4);
	txt_label(&t, s, len, max_bytes);
	for (size_t i = 0; i < t.len; i++) {
		const unsigned char *u = (const unsigned char *)t.buf + i;
		if (t.buf[i] == '"') {
			sb_adds(out, "\xe2\x80\x9d");
		} else if (i + 2 < t.len && u[0] == 0xe2 && u[1] == 0x80 && u[2] >= 0xaa && u[2] <= 0xae) {
			i += 2; /* U+202A..U+202E: bidi embedding and override controls */
		} else if (i + 2 < t.len && u[0] == 0xe2 && u[1] == 0x81 && u[2] >= 0xa6 && u[2] <= 0xa9) {
			i += 2; /* U+2066..U+2069: bidi isolates */
		} else {
			sb_addch(out, t.buf[i]);
		}
	}
	if (out->len == start)
		sb_addch(out, '-');
	sb_release(&t);
}

void pl_labelz(struct strbuf *out, const char *s)
{
	s = s ? s : "";
	pl_label(out, s, strlen(s), LABEL_MAX);
}

void pl_put_file(struct pl_writer *w, const char *name, struct strbuf *content)
{
	struct strbuf path = STRBUF_INIT;
	FILE *f;
	if (w->st)
		goto out;
	sb_addf(&path, "%s/%s", w->dir, name);
	f = fopen(path.buf, "wb");
	if (!f) {
		sb_addf(w->err, "'%s': cannot create: %s", path.buf, strerror(errno));
		w->st = NR_EX_CANTCREAT;
		goto out;
	}
	if (fwrite(content->buf, 1, content->len, f) != content->len || fflush(f)) {
		sb_addf(w->err, "'%s': write failed: %s", path.buf, strerror(errno));
		w->st = NR_EX_IOERR;
	}
	if (fclose(f) && !w->st) {
		sb_addf(w->err, "'%s': write failed: %s", path.buf, strerror(errno));
		w->st = NR_EX_IOERR;
	}
out:
	sb_reset(content);
	sb_release(&path);
}

void pl_put_filef(struct pl_writer *w, struct strbuf *content, const char *fmt, ...)
{
	struct strbuf name = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(&name, fmt, ap);
	va_end(ap);
	pl_put_file(w, name.buf, content);
	sb_release(&name);
}

void pl_gp_head(struct strbuf *gp, const char *stem, const char *what, int phone_h)
{
	sb_addf(gp, "# netreach chart: %s\n", what);
	sb_addf(gp, "# Written by netreach " NR_VERSION "; every name is in the data files. Render: gnuplot -d %s.gp\n",
		stem);
	sb_addf(gp, "# (gnuplot -d -e 'nr_phone = 1' %s.gp: the small-screen rendering %s-phone.png)\n", stem, stem);
	sb_adds(gp, "set encoding utf8\n");
	sb_adds(gp, "if (!exists(\"nr_phone\")) nr_phone = 0\n");
	sb_addf(gp, "nr_ph = nr_phone ? %d : %d\n", phone_h, PL_HEIGHT);
	sb_adds(gp, "if (nr_phone) {\n");
	sb_addf(gp, "\tset terminal pngcairo size %d,%d font 'DejaVu Sans,16' fontscale %s noenhanced linewidth 2.2\n",
		PL_PHONE_WIDTH, phone_h, PL_PHONE_FONTSCALE);
	sb_addf(gp, "\tset output '%s-phone.png'\n} else {\n", stem);
	sb_addf(gp, "\tset terminal pngcairo size %d,%d font 'DejaVu Sans,16' noenhanced linewidth 1.5\n",
		PL_WIDTH, PL_HEIGHT);
	sb_addf(gp, "\tset output '%s.png'\n}\n", stem);
	/* string functions only: a name is text to them, never code */
	sb_adds(gp, "nr_w(s, n, line) = strlen(s) == 0 ? line : nr_w2(s, n, line, strstrt(s, ' '))\n");
	sb_adds(gp, "nr_w2(s, n, line, p) = nr_w3(p ? s[1:p - 1] : s, p ? s[p + 1:] : '', n, line)\n");
	sb_adds(gp, "nr_w3(wd, rest, n, line) = strlen(line) > 0 && strlen(line) + 1 + strlen(wd) > n ? "
		    "line.\"\\n\".nr_w(rest, n, wd) : nr_w(rest, n, strlen(line) > 0 ? line.' '.wd : wd)\n");
	sb_adds(gp, "nr_wrap(s, n) = nr_phone ? nr_w(s, n, '') : s\n");
	sb_adds(gp, "nr_lines(s) = strstrt(s, \"\\n\") ? 1 + nr_lines(s[strstrt(s, \"\\n\") + 1:]) : 1\n");
	/* a label at x = nr_off is outside every range: one rendering leaves it out (gnuplot 5.4 can crash on NaN there) */
	sb_adds(gp, "nr_top = 0.87\nnr_off = 1e30\n");
	sb_adds(gp, "set termoption noenhanced\n");
	sb_adds(gp, "set datafile separator \"\\t\"\n");
	sb_adds(gp, "set datafile commentschars ''\n");
	sb_adds(gp, "set datafile missing ''\n");
	sb_adds(gp, "set border 3 lw 1 lc rgb '" C_TEXT "'\n");
	sb_adds(gp, "set tics nomirror textcolor rgb '" C_TEXT "'\n");
	sb_adds(gp, "set style fill solid 1.0 noborder\n");
	sb_adds(gp, "set key noautotitle\n");
	/* names (home, regions) come from the data file meta.tsv, never from this script */
	sb_adds(gp, "stats 'meta.tsv' using (home = strcol(1), home_region = strcol(2), "
		    "home_country = strcol(3), home_continent = strcol(4), 0) nooutput\n");
}

void pl_gp_text(struct strbuf *gp, const char *s, size_t len, char quote)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\'' && quote == '\'')
			sb_adds(gp, "''");
		else if ((c == '"' || c == '\\') && quote == '"') {
			sb_addch(gp, '\\');
			sb_addch(gp, (char)c);
		} else if (c == '`')
			sb_adds(gp, "\xe2\x80\x98");
		else if (c == '@')
			sb_adds(gp, "\xef\xbc\xa0");
		else if (c < 0x20 || c == 0x7f)
			sb_addch(gp, ' ');
		else
			sb_addch(gp, (char)c);
	}
}

void pl_gp_string(struct strbuf *gp, const char *s, size_t len)
{
	sb_addch(gp, '\'');
	pl_gp_text(gp, s, len, '\'');
	sb_addch(gp, '\'');
}

void pl_gp_ph(struct strbuf *gp, double laptop, double phone)
{
	sb_addf(gp, "(nr_phone ? %.4g : %.4g)", phone, laptop);
}

void pl_gp_margins(struct strbuf *gp, double l, double r, double b, double t, double pl, double pr, double pb)
{
	sb_adds(gp, "set lmargin at screen ");
	pl_gp_ph(gp, l, pl);
	sb_adds(gp, "\nset rmargin at screen ");
	pl_gp_ph(gp, r, pr);
	sb_adds(gp, "\nset bmargin at screen ");
	pl_gp_ph(gp, b, pb);
	sb_addf(gp, "\nset tmargin at screen (nr_phone ? nr_top : %.4g)\n", t);
}

void pl_gp_strz(struct strbuf *gp, const char *s)
{
	pl_gp_string(gp, s, strlen(s));
}

void pl_gp_expr(struct strbuf *gp, const char *tmpl, const char *var)
{
	struct strbuf piece = STRBUF_INIT;
	int parts = 0;
	for (const char *c = tmpl;; c++) {
		size_t skip = 0;
		if (*c == '%' && c[1] == 's')
			skip = 2;
		else if (*c == '%' && c[1] == '1' && c[2] == '$' && c[3] == 's')
			skip = 4;
		if (!*c || (skip && var)) {
			if (piece.len || (!parts && !*c)) {
				if (parts++)
					sb_addch(gp, '.');
				pl_gp_string(gp, piece.len ? piece.buf : "", piece.len);
			}
			sb_reset(&piece);
			if (!*c)
				break;
			if (parts++)
				sb_addch(gp, '.');
			sb_adds(gp, var);
			c += skip - 1;
			continue;
		}
		if (*c == '%' && c[1] == '%')
			c++;
		sb_addch(&piece, *c);
	}
	sb_release(&piece);
}

void pl_gp_title(struct strbuf *gp, const char *title, const char *title_var, const char *subtitle,
		 const char *subtitle_var)
{
	/* on the phone: the title in lines of 24 characters, the subtitle of 37 under it, the plot below both */
	sb_adds(gp, "nr_t = nr_wrap(");
	pl_gp_expr(gp, title, title_var);
	sb_adds(gp, ", 24)\nnr_ty = nr_phone ? 1 - 30.0 / nr_ph : 0.965\nnr_top = nr_ty - (nr_lines(nr_t) * 58 - 20.0) / nr_ph\n");
	sb_adds(gp, "set label 101 nr_t at screen 0.5, screen nr_ty center font ',24' textcolor rgb '#000000' noenhanced\n");
	if (subtitle) {
		sb_adds(gp, "nr_s = nr_wrap(");
		pl_gp_expr(gp, subtitle, subtitle_var);
		sb_adds(gp, ", 37)\nnr_sy = nr_phone ? nr_top - 10.0 / nr_ph : 0.925\n"
			    "nr_top = nr_sy - (nr_lines(nr_s) * 39 - 10.0) / nr_ph\n");
		sb_adds(gp, "set label 102 nr_s at screen 0.5, screen nr_sy center font ',16' textcolor rgb '" C_TEXT
			    "' noenhanced\n");
	}
	sb_adds(gp, "nr_top = nr_top - 16.0 / nr_ph\n");
}

const char *pl_home_name(const struct an_result *r)
{
	return an_home_name(r, _("home"));
}

const char *pl_home_in(const struct an_result *r)
{
	return an_home_in(r, _("home"));
}
