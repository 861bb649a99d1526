/*
 * report_doc: one document in two syntaxes, Markdown (report.md) and HTML
 * (index.html): headings, paragraphs, tables, lists, the charts (embedded as
 * data: URIs), the page head with its CSS and the footer. Every text is
 * escaped here.
 */
#include "report_int.h"

#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "plot.h"
#include "text.h"

#include "banned.h"

static void esc(struct doc *d, const char *s)
{
	s = nz(s);
	if (d->md)
		txt_md_escape(d->out, s, strlen(s));
	else
		txt_html_escape(d->out, s, strlen(s));
}

void rp_doc_h(struct doc *d, int level, const char *text, const char *id)
{
	if (d->md) {
		for (int i = 0; i < level; i++)
			sb_addch(d->out, '#');
		sb_addch(d->out, ' ');
		esc(d, text);
		sb_adds(d->out, "\n\n");
	} else {
		sb_addf(d->out, "<h%d", level);
		if (id)
			sb_addf(d->out, " id=\"%s\"", id);
		sb_adds(d->out, ">");
		esc(d, text);
		sb_addf(d->out, "</h%d>\n", level);
	}
}

void rp_doc_p(struct doc *d, const char *text, const char *cls)
{
	if (d->md) {
		if (cls && !strcmp(cls, "lead")) {
			sb_adds(d->out, "**");
			esc(d, text);
			sb_adds(d->out, "**\n\n");
		} else {
			esc(d, text);
			sb_adds(d->out, "\n\n");
		}
	} else {
		if (cls)
			sb_addf(d->out, "<p class=\"%s\">", cls);
		else
			sb_adds(d->out, "<p>");
		esc(d, text);
		sb_adds(d->out, "</p>\n");
	}
}

void rp_doc_code(struct doc *d, const char *text)
{
	if (d->md) {
		sb_adds(d->out, "```sh\n");
		sb_adds(d->out, text); /* our own text only */
		sb_adds(d->out, "\n```\n\n");
	} else {
		sb_adds(d->out, "<pre><code>");
		esc(d, text);
		sb_adds(d->out, "</code></pre>\n");
	}
}

/*
 * One row of the current table: "| a | b |" in Markdown, <tr> of th (head)
 * or td cells in HTML, a right-aligned column's cells of class "num".
 */
static void table_row(struct doc *d, const char *const *cells, int head)
{
	const char *tag = head ? "th" : "td";
	sb_adds(d->out, d->md ? "|" : "<tr>");
	for (size_t i = 0; i < d->ncols; i++) {
		if (d->md) {
			sb_addch(d->out, ' ');
			esc(d, cells[i]);
			sb_adds(d->out, " |");
		} else {
			sb_addf(d->out, d->align[i] == 'r' ? "<%s class=\"num\">" : "<%s>", tag);
			esc(d, cells[i]);
			sb_addf(d->out, "</%s>", tag);
		}
	}
	sb_adds(d->out, d->md ? "\n" : head ? "</tr>" : "</tr>\n");
}

void rp_doc_table(struct doc *d, const char *align, const char *const *head)
{
	d->ncols = strlen(align);
	d->align = align;
	if (!d->md)
		sb_adds(d->out, "<table>\n<thead>");
	table_row(d, head, 1);
	if (d->md) {
		sb_addch(d->out, '|');
		for (size_t i = 0; i < d->ncols; i++)
			sb_adds(d->out, align[i] == 'r' ? " ---: |" : " --- |");
		sb_addch(d->out, '\n');
	} else {
		sb_adds(d->out, "</thead>\n<tbody>\n");
	}
}

void rp_doc_row(struct doc *d, const char *const *cells)
{
	table_row(d, cells, 0);
}

void rp_doc_table_end(struct doc *d)
{
	sb_adds(d->out, d->md ? "\n" : "</tbody>\n</table>\n");
}

/* Append the base64 (RFC 4648, padded) of p[0..n). No library the project uses has it. */
static void add_base64(struct strbuf *out, const unsigned char *p, size_t n)
{
	static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	sb_grow(out, (n + 2) / 3 * 4);
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)p[i] << 16 | (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0) | (i + 2 < n ? p[i + 2] : 0);
		sb_addch(out, abc[v >> 18 & 63]);
		sb_addch(out, abc[v >> 12 & 63]);
		sb_addch(out, i + 1 < n ? abc[v >> 6 & 63] : '=');
		sb_addch(out, i + 2 < n ? abc[v & 63] : '=');
	}
}

/*
 * The src of chart stem: with d->dir, the PNG itself as a data: URI (the
 * page is one file that can be mailed); else, or when the PNG cannot be
 * read, the file beside the page. phone: the small-screen rendering
 * X-phone.png, as a data: URI only (src stays empty without it), its size
 * in *w, *h.
 */
static void chart_src(struct doc *d, struct strbuf *src, const char *stem, int phone, unsigned *w, unsigned *h)
{
	struct strbuf path = STRBUF_INIT, png = STRBUF_INIT;
	unsigned char buf[16384];
	size_t n;
	FILE *f = NULL;
	if (d->dir) {
		sb_addf(&path, "%s/charts/%s%s.png", d->dir, stem, phone ? "-phone" : "");
		if (!phone || !pl_png_size(path.buf, w, h))
			f = fopen(path.buf, "rb");
	}
	if (f) {
		sb_init(&png, sizeof(buf));
		while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
			sb_add(&png, buf, n);
		if (ferror(f))
			sb_reset(&png);
		fclose(f);
	}
	if (png.len) {
		sb_adds(src, "data:image/png;base64,");
		add_base64(src, (const unsigned char *)png.buf, png.len);
	} else if (!phone) {
		sb_addf(src, "charts/%s.png", stem);
	}
	sb_release(&path);
	sb_release(&png);
}

/*
 * An image of a chart; src and alt are our own text. phone (HTML; NULL or
 * "": none) is the small-screen rendering, pw x ph pixels, which a
 * <picture> shows instead on a screen up to 600 CSS px wide, without
 * JavaScript.
 */
static void doc_figure(struct doc *d, const char *src, const char *phone, unsigned pw, unsigned ph, const char *title,
		       const char *alt)
{
	if (d->md) {
		sb_adds(d->out, "![");
		esc(d, alt);
		sb_addf(d->out, "](%s)\n\n", src);
	} else {
		sb_adds(d->out, "<figure>");
		if (phone && *phone)
			sb_addf(d->out, "<picture><source media=\"(max-width: 600px)\" srcset=\"%s\" width=\"%u\" height=\"%u\">",
				phone, pw, ph);
		sb_addf(d->out, "<img src=\"%s\" width=\"%d\" height=\"%d\" alt=\"", src, PL_WIDTH, PL_HEIGHT);
		esc(d, alt);
		sb_adds(d->out, phone && *phone ? "\"></picture><figcaption>" : "\"><figcaption>");
		esc(d, title);
		sb_adds(d->out, "</figcaption></figure>\n");
	}
}

void rp_doc_big(struct doc *d, const char *num, const char *words, const char *line)
{
	if (d->md) {
		sb_adds(d->out, "## ");
		if (*num) {
			esc(d, num);
			sb_addch(d->out, ' ');
		}
		esc(d, words);
		sb_adds(d->out, "\n\n");
	} else {
		sb_adds(d->out, "<p class=\"big\">");
		if (*num) {
			sb_adds(d->out, "<strong>");
			esc(d, num);
			sb_adds(d->out, "</strong> ");
		}
		esc(d, words);
		sb_adds(d->out, "</p>\n");
	}
	if (*line)
		rp_doc_p(d, line, "under");
}

void rp_doc_list(struct doc *d, const struct strbuf *items, size_t n)
{
	if (!n)
		return;
	if (!d->md)
		sb_adds(d->out, "<ul class=\"glance\">\n");
	for (size_t i = 0; i < n; i++) {
		sb_adds(d->out, d->md ? "- " : "<li>");
		esc(d, items[i].buf);
		sb_adds(d->out, d->md ? "\n" : "</li>\n");
	}
	sb_adds(d->out, d->md ? "\n" : "</ul>\n");
}

void rp_doc_files(struct doc *d, const char *const *names, size_t n)
{
	if (d->md) {
		sb_adds(d->out, _("Files:"));
		for (size_t i = 0; i < n; i++)
			sb_addf(d->out, " [%s](%s)%s", names[i], names[i], i + 1 < n ? " ·" : "");
		sb_adds(d->out, "\n\n");
	} else {
		sb_adds(d->out, "<p class=\"files\">");
		esc(d, _("Files:"));
		for (size_t i = 0; i < n; i++)
			sb_addf(d->out, " <a href=\"%s\">%s</a>%s", names[i], names[i], i + 1 < n ? " ·" : "");
		sb_adds(d->out, "</p>\n");
	}
}

void rp_doc_more(struct doc *d, size_t more, const char *file)
{
	struct strbuf t = STRBUF_INIT;
	struct num a;
	sb_addf(&t, _("and %1$s more in %2$s."), rp_cnt(&a, more), file);
	rp_doc_p(d, t.buf, "note");
	sb_release(&t);
}

void rp_cells_init(struct cells *c)
{
	for (size_t i = 0; i < ARRAY_SIZE(c->c); i++)
		sb_init(&c->c[i], 32);
}

void rp_cells_reset(struct cells *c)
{
	for (size_t i = 0; i < ARRAY_SIZE(c->c); i++)
		sb_reset(&c->c[i]);
}

const char *const *rp_cells_ptrs(struct cells *c)
{
	for (size_t i = 0; i < ARRAY_SIZE(c->c); i++)
		c->p[i] = c->c[i].buf;
	return c->p;
}

void rp_cells_release(struct cells *c)
{
	for (size_t i = 0; i < ARRAY_SIZE(c->c); i++)
		sb_release(&c->c[i]);
}

void rp_section_charts(struct doc *d, const struct rp_options *o, const struct chart *charts, size_t n)
{
	struct strbuf src = STRBUF_INIT, phone = STRBUF_INIT;
	rp_doc_h(d, 2, _("Charts"), "charts");
	if (!o->rendered) {
		rp_doc_p(d, _("The charts were not rendered (gnuplot was not found or --no-render was given). "
			   "Their scripts and data are in charts/; to render them, install gnuplot and run:"), NULL);
		rp_doc_code(d, "cd charts && for f in *.gp; do gnuplot -d \"$f\"; done");
		rp_doc_p(d, _("then reload this page."), NULL);
	}
	for (size_t i = 0; i < n; i++) {
		unsigned w = 0, h = 0;
		sb_reset(&src);
		sb_reset(&phone);
		if (d->md) {
			sb_addf(&src, "charts/%s.png", charts[i].stem); /* report.md: the laptop's PNGs */
		} else {
			chart_src(d, &src, charts[i].stem, 0, &w, &h);
			chart_src(d, &phone, charts[i].stem, 1, &w, &h);
		}
		doc_figure(d, src.buf, phone.buf, w, h, _(charts[i].title), _(charts[i].alt));
	}
	sb_release(&src);
	sb_release(&phone);
}

static void footer(struct doc *d, const struct rp_options *o)
{
	struct strbuf t = STRBUF_INIT;
	sb_addf(&t, _("Made with netreach %s. Places: GeoNames (geonames.org), CC BY 4.0. "
		      "Outlines: Made with Natural Earth."), NR_VERSION);
	if (o->timestamp) {
		struct strbuf ts = STRBUF_INIT;
		rp_add_timestamp(&ts);
		sb_addf(&t, _(" Generated %s."), ts.buf);
		sb_release(&ts);
	}
	if (d->md) {
		sb_adds(d->out, "---\n\n");
		rp_doc_p(d, t.buf, NULL);
	} else {
		sb_adds(d->out, "<footer>");
		esc(d, t.buf);
		sb_adds(d->out, "</footer>\n");
	}
	sb_release(&t);
}

static const char css[] =
	"body{margin:0;background:#f6f6f4;color:#1d1d1b;font:16px/1.5 \"DejaVu Sans\",system-ui,sans-serif}"
	"main{max-width:1000px;margin:0 auto;padding:24px 20px 48px;background:#fff}"
	"h1{font-size:20px;margin:8px 0 4px;color:#555;font-weight:normal}"
	"h2{font-size:22px;margin:36px 0 8px;border-bottom:2px solid #2b6ca3}"
	"h3{font-size:18px;margin:24px 0 6px}"
	".big{font-size:30px;line-height:1.2;margin:16px 0 4px;font-weight:bold}"
	".big strong{display:block;font-size:76px;line-height:1;color:#1f4e79}"
	".under{font-size:18px;color:#333;margin:4px 0 16px}"
	".lead{font-size:22px;line-height:1.35;margin:12px 0}"
	".warn{background:#fff4d6;border-left:4px solid #d89b00;padding:8px 12px}"
	".glance li{margin:4px 0;font-size:18px}"
	".note,.files,footer{color:#555;font-size:14px}"
	"table{border-collapse:collapse;margin:8px 0;min-width:50%}"
	"th,td{padding:4px 10px;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}"
	"th{background:#eef3f8}.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}"
	"figure{margin:16px 0}img{max-width:100%;height:auto;border:1px solid #ddd}"
	"figcaption{color:#555;font-size:14px}pre{background:#f0f0f0;padding:8px;overflow-x:auto}"
	"footer{margin-top:40px;border-top:1px solid #ddd;padding-top:8px}"
	/* a long word wraps only where it does not fit a line by itself, hyphenated by the page's lang where the
	 * browser can; never split inside a word that fits ("Heim|atort" at 400 px) */
	"td{overflow-wrap:break-word;hyphens:auto}"
	"@media (max-width:600px){main{padding:12px 10px 32px}.big{font-size:24px}.big strong{font-size:60px}"
	"th,td{padding:3px 3px}table{font-size:13px;min-width:0}.num{white-space:normal}}";

void rp_doc_begin(struct doc *d, struct strbuf *out, int md, const struct rp_options *o, const char *dir,
		  const char *title)
{
	*d = (struct doc){ out, md, 0, NULL, o->rendered && !md ? dir : NULL };
	if (!d->md) {
		sb_adds(d->out, "<!DOCTYPE html>\n<html lang=\"");
		/* TRANSLATORS: the language code of the HTML page (lang attribute) */
		esc(d, P_("html lang", "en"));
		sb_adds(d->out, "\">\n<head>\n<meta charset=\"utf-8\">\n"
				"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src ");
		/* embedded charts need only data:; charts still to be rendered are files beside the page */
		sb_adds(d->out, d->dir ? "data:" : "'self' file:");
		sb_adds(d->out, "; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'\">\n"
				"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
				"<meta name=\"robots\" content=\"noindex\">\n<title>");
		esc(d, title);
		sb_adds(d->out, " — netreach</title>\n<style>");
		sb_adds(d->out, css);
		sb_adds(d->out, "</style>\n</head>\n<body>\n<main>\n");
	}
	rp_doc_h(d, 1, title, NULL);
}

void rp_doc_end(struct doc *d, const struct rp_options *o)
{
	footer(d, o);
	if (!d->md)
		sb_adds(d->out, "</main>\n</body>\n</html>\n");
}
