/* plot: rendering the charts (pl_render: gnuplot -d, jobs, deadline) and checking the PNGs they write (pl_png_size). */
#include "plot.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "text.h"

#include "banned.h"

static uint32_t be32(const unsigned char *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

int pl_png_size(const char *path, unsigned *w, unsigned *h)
{
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	struct strbuf sb = STRBUF_INIT;
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret = PL_PNG_BAD, idat = 0;
	size_t pos = 8;
	if (fd < 0)
		return PL_PNG_BAD;
	for (;;) {
		ssize_t n;
		sb_grow(&sb, 65536);
		n = read(fd, sb.buf + sb.len, sb.alloc - sb.len - 1);
		if (n <= 0)
			break;
		sb_setlen(&sb, sb.len + (size_t)n);
		if (sb.len > PL_PNG_MAX)
			break;
	}
	close(fd);
	if (sb.len < 8 || sb.len > PL_PNG_MAX || memcmp(sb.buf, sig, 8))
		goto out;
	/* every chunk whole and matching its CRC, IHDR first, IDAT data, up to IEND */
	for (int first = 1;; first = 0) {
		const unsigned char *c = (const unsigned char *)sb.buf + pos;
		uint32_t len, crc;
		if (sb.len - pos < 8) {
			ret = PL_PNG_SHORT;
			break;
		}
		len = be32(c);
		if (len > 0x7fffffffu)
			break;
		if (sb.len - pos - 8 < (size_t)len + 4) {
			ret = PL_PNG_SHORT;
			break;
		}
		crc = (uint32_t)crc32(0, c + 4, len + 4);
		if (crc != be32(c + 8 + len))
			break;
		if (first && (memcmp(c + 4, "IHDR", 4) || len != 13))
			break;
		if (first) {
			*w = be32(c + 8);
			*h = be32(c + 12);
		}
		idat |= !memcmp(c + 4, "IDAT", 4);
		if (!memcmp(c + 4, "IEND", 4)) {
			ret = idat ? 0 : PL_PNG_BAD;
			break;
		}
		pos += 12 + (size_t)len;
	}
out:
	sb_release(&sb);
	return ret;
}

/* ---- rendering ---------------------------------------------------------------- */

struct job {
	char *stem;             /* renders X.png, then X-phone.png (the small-screen rendering) */
	pid_t pid;
	int fd;                 /* gnuplot's stderr, -1 when closed */
	struct strbuf errtext;  /* first bytes of stderr */
	off_t cost;             /* bytes of the chart's script and data files: its likely rendering time */
	int done, status;       /* status -1: killed at the deadline */
};

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* A job's place in the starting order: its cost (struct job's) and its index. */
struct start {
	off_t cost;
	size_t job;
};

/* The costliest chart first (so that the last to finish is a short one), then by index (name order). */
static int cmp_start(const void *a, const void *b)
{
	const struct start *x = a, *y = b;
	if (x->cost != y->cost)
		return x->cost > y->cost ? -1 : 1;
	return x->job < y->job ? -1 : x->job > y->job;
}

/*
 * Close job j's pipe and reap it; killed: kill its whole process group
 * (gnuplot and anything it started) first; otherwise (gnuplot closed its
 * stderr: it is exiting) reap it, then kill whatever it left in its group.
 */
static void end_job(struct job *j, int killed)
{
	int status = 0;
	if (killed)
		kill(-j->pid, SIGKILL);
	if (j->fd >= 0)
		close(j->fd);
	j->fd = -1;
	while (waitpid(j->pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!killed)
		kill(-j->pid, SIGKILL);
	j->done = 1;
	j->status = killed ? -1 : status;
}

/*
 * Read what job j's stderr pipe holds now into its errtext (up to 4 KiB kept),
 * without waiting: the pipe is non-blocking, and something gnuplot started may
 * still hold its write end open.
 */
static void drain_job(struct job *j)
{
	char buf[4096];
	ssize_t n;
	while ((n = read(j->fd, buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR))
		if (n > 0 && j->errtext.len < 4096)
			sb_add(&j->errtext, buf, (size_t)n);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Start gnuplot for job j in dir. Returns 0, PL_NO_GNUPLOT, or NR_EX_OSERR with err. */
static int start_job(struct job *j, const char *dir, struct strbuf *err)
{
	int errp[2], execp[2], e = 0;
	ssize_t n;
	struct strbuf script = STRBUF_INIT;
	if (pipe(errp))
		goto oserr;
	if (pipe(execp)) {
		close(errp[0]);
		close(errp[1]);
		goto oserr;
	}
	fcntl(execp[1], F_SETFD, FD_CLOEXEC);
	fcntl(errp[0], F_SETFD, FD_CLOEXEC);
	fcntl(execp[0], F_SETFD, FD_CLOEXEC);
	sb_addf(&script, "%s.gp", j->stem);
	j->pid = fork();
	if (j->pid < 0) {
		close(errp[0]);
		close(errp[1]);
		close(execp[0]);
		close(execp[1]);
		sb_release(&script);
		goto oserr;
	}
	if (j->pid == 0) {
		/*
		 * both renderings in one gnuplot (one start-up of cairo and its
		 * fonts): the script, then, from default settings and no variables
		 * again, the script with the phone's parameter, a constant, never
		 * text from the input. gnuplot stops at the first error.
		 */
		char *argv[] = { "gnuplot", "-d", script.buf, "-e", "reset session", "-e", "nr_phone = 1", script.buf,
				 NULL };
		setpgid(0, 0); /* a group of its own: killed as one at the deadline */
		int devnull = open("/dev/null", O_RDWR);
		if (devnull >= 0) {
			dup2(devnull, 0);
			dup2(devnull, 1);
		}
		dup2(errp[1], 2);
		if (chdir(dir) == 0)
			execvp("gnuplot", argv);
		e = errno;
		if (write(execp[1], &e, sizeof(e)) < 0)
			_exit(127);
		_exit(127);
	}
	setpgid(j->pid, j->pid); /* also here, so that it holds before any kill; EACCES once it has exec'd */
	sb_release(&script);
	close(errp[1]);
	close(execp[1]);
	/* non-blocking: what is left in the pipe of an exited gnuplot is drained without waiting */
	fcntl(errp[0], F_SETFL, fcntl(errp[0], F_GETFL) | O_NONBLOCK);
	do
		n = read(execp[0], &e, sizeof(e));
	while (n < 0 && errno == EINTR);
	close(execp[0]);
	j->fd = errp[0];
	if (n == (ssize_t)sizeof(e)) {
		/* exec failed: reap the child */
		waitpid(j->pid, NULL, 0);
		close(j->fd);
		j->fd = -1;
		j->done = 1;
		if (e == ENOENT || e == EACCES || e == ENOTDIR) {
			sb_adds(err, "gnuplot not found: install gnuplot to render the charts");
			return PL_NO_GNUPLOT;
		}
		sb_addf(err, "cannot run gnuplot: %s", strerror(e));
		return NR_EX_OSERR;
	}
	return 0;
oserr:
	sb_addf(err, "cannot start gnuplot: %s", strerror(errno));
	return NR_EX_OSERR;
}

/* The most useful line of gnuplot's stderr: the one naming a script line, else the first non-empty one. */
static void first_error_line(struct strbuf *out, const struct strbuf *text)
{
	const char *p = text->buf, *best = NULL, *first = NULL;
	size_t best_len = 0, first_len = 0;
	while (*p) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		struct strbuf t = STRBUF_INIT;
		sb_add(&t, p, len);
		sb_trim(&t);
		if (t.len && !first) {
			first = p;
			first_len = len;
		}
		if (!best && strstr(t.buf, "\" line ")) {
			best = p;
			best_len = len;
		}
		sb_release(&t);
		p += len + (e ? 1 : 0);
	}
	if (!best) {
		best = first;
		best_len = first_len;
	}
	if (best) {
		struct strbuf t = STRBUF_INIT;
		sb_add(&t, best, best_len);
		sb_trim(&t);
		txt_label(out, t.buf, t.len, 300);
		sb_release(&t);
	} else {
		sb_adds(out, "(no message)");
	}
}

/* gnuplot's messages say it could not write (a full disk, a file size limit, a quota): an I/O error. */
static int write_failure(const struct strbuf *errtext)
{
	static const char *const what[] = { "No space left on device", "File too large", "Disk quota exceeded",
					    "Input/output error" };
	for (size_t i = 0; i < ARRAY_SIZE(what); i++)
		if (strstr(errtext->buf ? errtext->buf : "", what[i]))
			return 1;
	return 0;
}

int pl_render(const char *dir, int jobs, int timeout_s, struct strbuf *err)
{
	struct strbuf cdir = STRBUF_INIT, png = STRBUF_INIT;
	DIR *d;
	struct dirent *de;
	struct job *job = NULL;
	char **stems = NULL, **files = NULL;
	off_t *sizes = NULL;
	size_t nr = 0, alloc = 0, nfiles = 0, afiles = 0, next = 0, running = 0;
	struct start *order = NULL;
	double deadline;
	int st = NR_EX_OK, late = 0;

	if (jobs < 1)
		jobs = 1;
	if (timeout_s <= 0)
		timeout_s = PL_RENDER_TIMEOUT_S;
	deadline = now_s() + timeout_s;
	sb_addf(&cdir, "%s/charts", dir);
	d = opendir(cdir.buf);
	if (!d) {
		sb_addf(err, "'%s': cannot open: %s", cdir.buf, strerror(errno));
		sb_release(&cdir);
		return NR_EX_NOINPUT;
	}
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		struct stat sbuf;
		if (de->d_name[0] == '.')
			continue;
		if (len > 3 && !strcmp(de->d_name + len - 3, ".gp")) {
			ALLOC_GROW(stems, nr + 1, alloc);
			stems[nr++] = xstrndup(de->d_name, len - 3);
		}
		ALLOC_GROW(files, nfiles + 1, afiles);
		sizes = xrealloc(sizes, afiles * sizeof(*sizes));
		sb_reset(&png);
		sb_addf(&png, "%s/%s", cdir.buf, de->d_name);
		files[nfiles] = xstrdup(de->d_name);
		sizes[nfiles++] = stat(png.buf, &sbuf) == 0 ? sbuf.st_size : 0;
	}
	closedir(d);
	if (nr)
		qsort(stems, nr, sizeof(*stems), cmp_str);
	/* a job per chart: X.png and X-phone.png */
	job = xcalloc(nr + 1, sizeof(*job));
	order = xcalloc(nr + 1, sizeof(*order));
	for (size_t i = 0; i < nr; i++) {
		size_t sl = strlen(stems[i]);
		job[i].stem = stems[i];
		job[i].fd = -1;
		sb_init(&job[i].errtext, 256);
		/* X.gp, X.tsv and X-*.tsv */
		for (size_t f = 0; f < nfiles; f++)
			if (!strncmp(files[f], job[i].stem, sl) && (files[f][sl] == '.' || files[f][sl] == '-') &&
			    !strstr(files[f], ".png"))
				job[i].cost += sizes[f];
		order[i] = (struct start){ job[i].cost, i };
		for (int phone = 0; phone < 2; phone++) {
			sb_reset(&png);
			sb_addf(&png, "%s/%s%s.png", cdir.buf, job[i].stem, phone ? "-phone" : "");
			unlink(png.buf);
		}
	}
	if (nr)
		qsort(order, nr, sizeof(*order), cmp_start);

	while (next < nr || running) {
		struct pollfd pfd[64];
		size_t map[64], np = 0;
		double left;
		/* start more */
		while (!st && !late && next < nr && running < (size_t)jobs && running < ARRAY_SIZE(pfd)) {
			int s = start_job(&job[order[next].job], cdir.buf, err);
			if (s) {
				st = s;
				break;
			}
			next++;
			running++;
		}
		if ((st || late) && !running)
			break;
		if (st || late)
			next = nr; /* start no more; finish the running ones */
		for (size_t i = 0; i < nr; i++)
			if (job[i].fd >= 0 && np < ARRAY_SIZE(pfd)) {
				pfd[np].fd = job[i].fd;
				pfd[np].events = POLLIN;
				map[np++] = i;
			}
		if (!np)
			break;
		left = deadline - now_s();
		if (left <= 0) {
			/* one deadline for all the charts: end every one still running, with its children */
			for (size_t k = 0; k < np; k++)
				end_job(&job[map[k]], 1);
			running = 0;
			late = 1;
			continue;
		}
		if (poll(pfd, np, left < 1.0 ? (int)(left * 1000) + 1 : 1000) < 0 && errno != EINTR) {
			sb_addf(err, "poll failed: %s", strerror(errno));
			st = NR_EX_OSERR;
			break;
		}
		for (size_t k = 0; k < np; k++) {
			struct job *j = &job[map[k]];
			char buf[4096];
			ssize_t n = 0;
			int status = 0;
			if (pfd[k].revents)
				n = read(j->fd, buf, sizeof(buf));
			if (n > 0 && j->errtext.len < 4096)
				sb_add(&j->errtext, buf, (size_t)n);
			if ((pfd[k].revents && n == 0) || (n < 0 && errno != EINTR && errno != EAGAIN)) {
				end_job(j, 0);
				running--;
			} else if (n <= 0 && waitpid(j->pid, &status, WNOHANG) == j->pid) {
				/*
				 * gnuplot exited (after this round's poll, or something it started
				 * holds its stderr): keep what it wrote since the poll, end the rest
				 */
				drain_job(j);
				kill(-j->pid, SIGKILL);
				close(j->fd);
				j->fd = -1;
				j->done = 1;
				j->status = status;
				running--;
			}
		}
	}

	if (late) {
		size_t first = nr, more = 0;
		for (size_t i = 0; i < nr; i++)
			if (job[i].done && job[i].status == -1) {
				if (first == nr)
					first = i;
				else
					more++;
			}
		sb_addf(err, "charts: gnuplot did not finish within %d s", timeout_s);
		if (first < nr)
			sb_addf(err, more ? " (chart '%s' and %zu more)" : " (chart '%s')", job[first].stem, more);
		st = NR_EX_SOFTWARE;
	}
	/* report the first failure in name order */
	for (size_t i = 0; i < nr && !st; i++) {
		struct job *j = &job[i];
		unsigned pw, ph;
		if (!j->done)
			continue;
		if (!WIFEXITED(j->status) || WEXITSTATUS(j->status)) {
			sb_addf(err, "chart '%s': gnuplot failed: ", j->stem);
			first_error_line(err, &j->errtext);
			st = write_failure(&j->errtext) ? NR_EX_IOERR : NR_EX_SOFTWARE;
		}
		for (int phone = 0; phone < 2 && !st; phone++) {
			int pst;
			sb_reset(&png);
			sb_addf(&png, "%s/%s%s.png", cdir.buf, j->stem, phone ? "-phone" : "");
			pst = pl_png_size(png.buf, &pw, &ph);
			if (pst == PL_PNG_SHORT) {
				/* gnuplot does not notice a failed write: a full disk or a file size limit */
				sb_addf(err, "chart '%s': '%s': write failed: the PNG is cut short", j->stem, png.buf);
				st = NR_EX_IOERR;
			} else if (pst) {
				sb_addf(err, "chart '%s': gnuplot wrote no PNG, or a damaged one", j->stem);
				st = NR_EX_SOFTWARE;
			}
		}
	}
	for (size_t i = 0; i < nr; i++) {
		if (job[i].fd >= 0)
			close(job[i].fd);
		sb_release(&job[i].errtext);
		free(stems[i]);
	}
	for (size_t f = 0; f < nfiles; f++)
		free(files[f]);
	free(files);
	free(sizes);
	free(order);
	free(job);
	free(stems);
	sb_release(&png);
	sb_release(&cdir);
	return st;
}
