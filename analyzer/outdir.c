#include "outdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "banned.h"

/* First line of the marker; the lines after it list what the report holds. */
#define OD_MANIFEST_HEAD "netreach report 1\n"
/* Largest marker read (a report lists a few dozen paths). */
#define OD_MANIFEST_MAX (1u << 20)
/* ".tmp-" or ".old-", a pid of up to 10 digits, "-XXXXXX" */
#define OD_SIDE_SUFFIX 22

static int remove_at(int dirfd, const char *name)
{
	struct stat st;
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : -1;
	if (S_ISDIR(st.st_mode)) {
		int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
		DIR *d;
		struct dirent *de;
		int ret = 0;
		if (fd < 0)
			return -1;
		d = fdopendir(fd);
		if (!d) {
			close(fd);
			return -1;
		}
		while ((de = readdir(d))) {
			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
				continue;
			if (remove_at(fd, de->d_name) < 0)
				ret = -1;
		}
		closedir(d);
		if (ret < 0)
			return -1;
		return unlinkat(dirfd, name, AT_REMOVEDIR);
	}
	return unlinkat(dirfd, name, 0);
}

int od_remove_tree(const char *path)
{
	return remove_at(AT_FDCWD, path);
}

static int mkdir_parents(const char *dir)
{
	struct strbuf p = STRBUF_INIT;
	int ret = 0;
	sb_adds(&p, dir);
	for (size_t i = 1; i < p.len; i++) {
		if (p.buf[i] != '/')
			continue;
		p.buf[i] = '\0';
		if (mkdir(p.buf, 0777) < 0 && errno != EEXIST)
			ret = -1;
		p.buf[i] = '/';
		if (ret)
			break;
	}
	sb_release(&p);
	return ret;
}

/* ------------------------------------------------------------------ */
/* The manifest: what a report directory holds                         */

/*
 * A path of the manifest: relative, components separated by single
 * slashes, none of them "." or "..", a directory with a trailing slash.
 */
static int manifest_path_ok(const char *s, size_t len)
{
	size_t i = 0;
	if (!len || s[0] == '/')
		return 0;
	while (i < len) {
		size_t j = i;
		while (j < len && s[j] != '/')
			j++;
		if (j == i || (j - i == 1 && s[i] == '.') || (j - i == 2 && s[i] == '.' && s[i + 1] == '.'))
			return 0;
		i = j + 1;
	}
	return 1;
}

enum { MAN_NONE, MAN_LEGACY, MAN_OK };

/*
 * Read the marker of the directory open at dirfd into m (paths as keys).
 * MAN_NONE: no marker; MAN_LEGACY: a marker without a list (written by
 * netreach before it kept one) or one that cannot be read as a list.
 */
static int read_manifest(int dirfd, struct strmap *m)
{
	struct strbuf sb = STRBUF_INIT;
	struct stat st;
	int fd = openat(dirfd, OD_MARKER, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	int ret = MAN_LEGACY;
	size_t hl = strlen(OD_MANIFEST_HEAD);

	if (fd < 0)
		return errno == ENOENT ? MAN_NONE : MAN_LEGACY;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > OD_MANIFEST_MAX) {
		close(fd);
		return MAN_LEGACY;
	}
	sb_grow(&sb, (size_t)st.st_size + 1);
	for (;;) {
		ssize_t n = read(fd, sb.buf + sb.len, sb.alloc - sb.len - 1);
		if (n < 0) {
			sb.len = 0;
			break;
		}
		if (n == 0)
			break;
		sb_setlen(&sb, sb.len + (size_t)n);
		if (sb.len + 1 >= sb.alloc)
			sb_grow(&sb, 4096);
		if (sb.len > OD_MANIFEST_MAX)
			break;
	}
	close(fd);
	if (sb.len >= hl && sb.len <= OD_MANIFEST_MAX && !memcmp(sb.buf, OD_MANIFEST_HEAD, hl) &&
	    sb.buf[sb.len - 1] == '\n') {
		ret = MAN_OK;
		for (size_t i = hl; i < sb.len;) {
			const char *e = memchr(sb.buf + i, '\n', sb.len - i);
			size_t n = (size_t)(e - (sb.buf + i));
			if (!manifest_path_ok(sb.buf + i, n)) {
				ret = MAN_LEGACY;
				break;
			}
			sm_put(m, sb.buf + i, n, 0, NULL);
			i += n + 1;
		}
	}
	sb_release(&sb);
	return ret;
}

struct od_keep {
	dev_t dev;
	ino_t ino;
};

/* The files a report of netreach (of any version so far) holds at its top. */
static const char *const legacy_top[] = {
	"index.html", "report.md", "summary.json", "compare.json", "places.csv", "unresolved.csv", "skipped.csv"
};

/*
 * A path (as walk_dir lists them) that netreach writes into a report: one
 * of legacy_top, "charts/", or a chart file "charts/NAME.gp|png|tsv|dat"
 * with NAME of lower-case letters, digits and hyphens.
 */
static int legacy_path_ok(const char *p)
{
	static const char *const ext[] = { ".gp", ".png", ".tsv", ".dat" };
	size_t n;
	for (size_t i = 0; i < ARRAY_SIZE(legacy_top); i++)
		if (!strcmp(p, legacy_top[i]))
			return 1;
	if (strncmp(p, "charts/", 7))
		return 0;
	p += 7;
	if (!*p)
		return 1;
	n = strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789-");
	if (!n)
		return 0;
	for (size_t i = 0; i < ARRAY_SIZE(ext); i++)
		if (!strcmp(p + n, ext[i]))
			return 1;
	return 0;
}

/* A walk over a report directory, checking or removing what its manifest lists. */
struct walk {
	const struct strmap *man;  /* NULL: list everything into paths */
	const struct od_keep *keep;
	size_t nkeep;
	int remove;                /* remove what the manifest lists */
	struct strbuf rel;         /* path of the current directory, "" or "charts/" */
	struct strbuf foreign;     /* first path found that the manifest does not list */
	struct strbuf input;       /* first path found that is an input */
	char **paths;              /* man == NULL: everything found */
	size_t npaths, alloc;
	int error;                 /* a directory could not be read */
};

static int is_kept(const struct walk *w, const struct stat *st)
{
	for (size_t i = 0; i < w->nkeep; i++)
		if (w->keep[i].dev == st->st_dev && w->keep[i].ino == st->st_ino)
			return 1;
	return 0;
}

static void walk_dir(struct walk *w, int fd, int top)
{
	DIR *d = fdopendir(fd);
	struct dirent *de;
	size_t base = w->rel.len;

	if (!d) {
		close(fd);
		w->error = 1;
		return;
	}
	while ((de = readdir(d))) {
		struct stat st;
		int dir;
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (top && !strcmp(de->d_name, OD_MARKER))
			continue;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			w->error = 1;
			continue;
		}
		dir = S_ISDIR(st.st_mode);
		sb_setlen(&w->rel, base);
		sb_adds(&w->rel, de->d_name);
		if (dir)
			sb_addch(&w->rel, '/');
		if (!w->man) {
			ALLOC_GROW(w->paths, w->npaths + 1, w->alloc);
			w->paths[w->npaths++] = xstrdup(w->rel.buf);
		} else if (!dir && is_kept(w, &st)) {
			if (!w->input.len)
				sb_add(&w->input, w->rel.buf, w->rel.len);
			continue;
		} else if (!sm_get(w->man, w->rel.buf, w->rel.len)) {
			if (!w->foreign.len)
				sb_add(&w->foreign, w->rel.buf, w->rel.len);
			continue;
		}
		if (dir) {
			int sub = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (sub < 0) {
				w->error = 1;
				continue;
			}
			walk_dir(w, sub, 0);
			if (w->remove)
				unlinkat(dirfd(d), de->d_name, AT_REMOVEDIR); /* fails when something was kept */
		} else if (w->remove) {
			unlinkat(dirfd(d), de->d_name, 0);
		}
	}
	sb_setlen(&w->rel, base);
	closedir(d);
}

static void walk_init(struct walk *w, const struct strmap *man, const struct od_keep *keep, size_t nkeep)
{
	memset(w, 0, sizeof(*w));
	w->man = man;
	w->keep = keep;
	w->nkeep = nkeep;
	sb_init(&w->rel, 0);
	sb_init(&w->foreign, 0);
	sb_init(&w->input, 0);
}

static void walk_release(struct walk *w)
{
	for (size_t i = 0; i < w->npaths; i++)
		free(w->paths[i]);
	free(w->paths);
	sb_release(&w->rel);
	sb_release(&w->foreign);
	sb_release(&w->input);
}

/*
 * The manifest of the report directory open at dirfd, into m: its
 * marker's list, or for a marker without one (MAN_LEGACY: a report of a
 * netreach from before the list) everything the directory holds, when
 * that is only what netreach writes into a report (legacy_path_ok).
 * Returns MAN_OK, MAN_NONE (no marker) or MAN_LEGACY, and then puts the
 * first path netreach does not write into foreign (when foreign is not
 * NULL; empty when the directory could not be read).
 */
static int load_manifest(int dirfd, struct strmap *m, struct strbuf *foreign)
{
	struct walk w;
	int kind = read_manifest(dirfd, m), fd;
	if (kind != MAN_LEGACY)
		return kind;
	/* its own open file description: a dup would share (and leave at the end) the caller's offset */
	fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return MAN_LEGACY;
	walk_init(&w, NULL, NULL, 0);
	walk_dir(&w, fd, 1);
	kind = w.error ? MAN_LEGACY : MAN_OK;
	for (size_t i = 0; i < w.npaths && kind == MAN_OK; i++) {
		if (!legacy_path_ok(w.paths[i])) {
			kind = MAN_LEGACY;
			if (foreign)
				sb_adds(foreign, w.paths[i]);
		}
	}
	for (size_t i = 0; i < w.npaths && kind == MAN_OK; i++)
		sm_put(m, w.paths[i], strlen(w.paths[i]), 0, NULL);
	walk_release(&w);
	return kind;
}

/*
 * Remove from the report directory path what its manifest lists (never an
 * input), then the marker and the directory. Anything else is left where
 * it is, and so is the directory. Returns 0 when path is gone.
 */
static int remove_report(const char *path, const struct od_keep *keep, size_t nkeep)
{
	struct strmap man;
	struct walk w;
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC), ret = -1;
	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	sm_init(&man);
	if (load_manifest(fd, &man, NULL) != MAN_OK) {
		close(fd);
		sm_release(&man);
		return -1;
	}
	walk_init(&w, &man, keep, nkeep);
	w.remove = 1;
	walk_dir(&w, dup(fd), 1);
	if (!w.foreign.len && !w.input.len && !w.error && unlinkat(fd, OD_MARKER, 0) == 0)
		ret = rmdir(path);
	close(fd);
	walk_release(&w);
	sm_release(&man);
	return ret;
}

/*
 * Check that the existing directory dir may be replaced: it is empty, or
 * holds only what its manifest lists, and no input. NR_EX_OK, or
 * NR_EX_CANTCREAT with a message.
 */
static int check_replaceable(const char *dir, const struct od_keep *keep, size_t nkeep, struct strbuf *err)
{
	struct strmap man;
	struct walk w;
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), kind, rc = NR_EX_OK;
	if (fd < 0) {
		sb_addf(err, "'%s': cannot read: %s", dir, strerror(errno));
		return NR_EX_CANTCREAT;
	}
	struct strbuf legacy = STRBUF_INIT;
	sm_init(&man);
	kind = load_manifest(fd, &man, &legacy);
	walk_init(&w, &man, keep, nkeep);
	walk_dir(&w, dup(fd), 1);
	if (w.input.len) {
		sb_addf(err, "'%s': holds the input '%s/%s'; choose another -o", dir, dir, w.input.buf);
		rc = NR_EX_CANTCREAT;
	} else if (w.error) {
		sb_addf(err, "'%s': cannot read all of it; choose another -o", dir);
		rc = NR_EX_CANTCREAT;
	} else if (kind == MAN_NONE && w.foreign.len) {
		sb_addf(err, "'%s': exists and is not a netreach report; choose another -o", dir);
		rc = NR_EX_CANTCREAT;
	} else if (kind == MAN_LEGACY && legacy.len) {
		sb_addf(err, "'%s': a report of an older netreach (no list of its files) that also holds '%s/%s', "
			"which netreach does not write; move that out and run again, or remove '%s', or choose "
			"another -o", dir, dir, legacy.buf, dir);
		rc = NR_EX_CANTCREAT;
	} else if (kind == MAN_LEGACY && w.foreign.len) {
		sb_addf(err, "'%s': a report of an older netreach, without a list of its files; "
			"remove it or choose another -o", dir);
		rc = NR_EX_CANTCREAT;
	} else if (w.foreign.len) {
		sb_addf(err, "'%s': holds '%s/%s', which netreach did not write; move it or choose another -o", dir,
			dir, w.foreign.buf);
		rc = NR_EX_CANTCREAT;
	}
	close(fd);
	walk_release(&w);
	sm_release(&man);
	sb_release(&legacy);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Write the marker of the staging directory: the header and every path in it, sorted. */
static int write_manifest(const char *stage, struct strbuf *err)
{
	struct walk w;
	struct strbuf sb = STRBUF_INIT, path = STRBUF_INIT;
	int fd = open(stage, O_RDONLY | O_DIRECTORY | O_CLOEXEC), ret = 0;
	if (fd < 0) {
		sb_addf(err, "'%s': cannot read: %s", stage, strerror(errno));
		return -1;
	}
	walk_init(&w, NULL, NULL, 0);
	walk_dir(&w, fd, 1);
	if (w.npaths)
		qsort(w.paths, w.npaths, sizeof(*w.paths), cmp_str);
	sb_adds(&sb, OD_MANIFEST_HEAD);
	for (size_t i = 0; i < w.npaths; i++)
		if (!strchr(w.paths[i], '\n'))
			sb_addf(&sb, "%s\n", w.paths[i]);
	sb_addf(&path, "%s/%s", stage, OD_MARKER);
	fd = open(path.buf, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, sb.buf, sb.len) != (ssize_t)sb.len) {
		sb_addf(err, "'%s': write failed: %s", path.buf, strerror(errno));
		ret = -1;
	}
	if (fd >= 0 && close(fd) < 0 && !ret) {
		sb_addf(err, "'%s': write failed: %s", path.buf, strerror(errno));
		ret = -1;
	}
	if (w.error && !ret) {
		sb_addf(err, "'%s': cannot read all of it", stage);
		ret = -1;
	}
	walk_release(&w);
	sb_release(&sb);
	sb_release(&path);
	return ret;
}

/* ------------------------------------------------------------------ */
/* Staging and swap directories beside the destination                 */

/*
 * Split dir into its parent ("." when none) and the start of the names of
 * its staging and swap directories: the last component, cut (at a UTF-8
 * character boundary) so that "<name>.tmp-<pid>-XXXXXX" stays within
 * NAME_MAX. *cut says whether it was cut.
 */
static void side_names(const char *dir, struct strbuf *parent, struct strbuf *name, int *cut)
{
	const char *slash = strrchr(dir, '/');
	const char *base = slash ? slash + 1 : dir;
	size_t len = strlen(base), max = NAME_MAX - OD_SIDE_SUFFIX;
	sb_reset(parent);
	sb_reset(name);
	if (slash)
		sb_add(parent, dir, slash == dir ? 1 : (size_t)(slash - dir));
	else
		sb_addch(parent, '.');
	*cut = len > max;
	if (*cut) {
		len = max;
		while (len > 0 && ((unsigned char)base[len] & 0xC0) == 0x80)
			len--;
	}
	sb_add(name, base, len);
}

/* "<parent>/<name>.<kind>-<pid>-XXXXXX", a template for mkdtemp */
static void side_template(struct strbuf *out, const char *dir, const char *kind)
{
	struct strbuf parent = STRBUF_INIT, name = STRBUF_INIT;
	int cut;
	side_names(dir, &parent, &name, &cut);
	sb_reset(out);
	sb_addf(out, "%s/%s.%s-%ld-XXXXXX", parent.buf, name.buf, kind, (long)getpid());
	sb_release(&parent);
	sb_release(&name);
}

/*
 * Remove what earlier runs left beside dir: staging directories
 * ("<dir>.tmp-<pid>-XXXXXX") of a run that was killed, and swap
 * directories ("<dir>.old-<pid>-XXXXXX", a previous report moved aside)
 * of one that was killed in the middle of the swap or lost a race with
 * another run. Only those whose process is gone and that hold our marker
 * are touched. A swap directory is put back as dir when dir is missing,
 * else only what its manifest lists is removed. Live runs and anything
 * else are left alone.
 */
static void sweep_stale(const char *dir)
{
	struct strbuf parent = STRBUF_INIT, name = STRBUF_INIT, path = STRBUF_INIT, marker = STRBUF_INIT;
	DIR *d;
	struct dirent *de;
	int cut;

	side_names(dir, &parent, &name, &cut);
	d = opendir(parent.buf);
	while (d && (de = readdir(d))) {
		const char *kind = de->d_name + name.len;
		char *end;
		long pid;
		struct stat st;
		if (strncmp(de->d_name, name.buf, name.len) || (strncmp(kind, ".tmp-", 5) && strncmp(kind, ".old-", 5)))
			continue;
		errno = 0;
		pid = strtol(kind + 5, &end, 10);
		if (errno || end == kind + 5 || *end != '-' || pid <= 0)
			continue;
		if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		sb_reset(&path);
		sb_addf(&path, "%s/%s", parent.buf, de->d_name);
		sb_reset(&marker);
		sb_addf(&marker, "%s/%s", path.buf, OD_MARKER);
		if (lstat(marker.buf, &st) < 0 || !S_ISREG(st.st_mode))
			continue;
		if (kind[1] == 't')
			od_remove_tree(path.buf);
		else if (cut || lstat(dir, &st) == 0 || rename(path.buf, dir) < 0)
			remove_report(path.buf, NULL, 0);
	}
	if (d)
		closedir(d);
	sb_release(&parent);
	sb_release(&name);
	sb_release(&path);
	sb_release(&marker);
}

int od_begin(struct outdir *od, const char *dir, const char *const *inputs, size_t ninputs, struct strbuf *err)
{
	struct stat st;
	struct strbuf tmpl = STRBUF_INIT;
	size_t len = strlen(dir);
	int fd, rc;

	memset(od, 0, sizeof(*od));
	while (len > 1 && dir[len - 1] == '/')
		len--;
	if (!len) {
		sb_addf(err, "output directory name is empty");
		return NR_EX_USAGE;
	}
	od->keep = xcalloc(ninputs ? ninputs : 1, sizeof(*od->keep));
	for (size_t i = 0; i < ninputs; i++)
		if (inputs[i] && stat(inputs[i], &st) == 0) {
			od->keep[od->nkeep].dev = st.st_dev;
			od->keep[od->nkeep].ino = st.st_ino;
			od->nkeep++;
		}
	od->final = xstrndup(dir, len);
	if (stat(od->final, &st) == 0) {
		if (!S_ISDIR(st.st_mode)) {
			sb_addf(err, "'%s': exists and is not a directory", od->final);
			od_abort(od);
			return NR_EX_CANTCREAT;
		}
		rc = check_replaceable(od->final, od->keep, od->nkeep, err);
		if (rc) {
			od_abort(od);
			return rc;
		}
	}
	if (mkdir_parents(od->final) < 0) {
		sb_addf(err, "'%s': cannot create parent directory: %s", od->final, strerror(errno));
		od_abort(od);
		return NR_EX_CANTCREAT;
	}
	sweep_stale(od->final);
	side_template(&tmpl, od->final, "tmp");
	if (!mkdtemp(tmpl.buf)) {
		/* name the destination: the staging name is random and never seen */
		sb_addf(err, "'%s': cannot create directory: %s", od->final, strerror(errno));
		sb_release(&tmpl);
		od_abort(od);
		return NR_EX_CANTCREAT;
	}
	chmod(tmpl.buf, 0755);
	od->stage = sb_detach(&tmpl, NULL);
	sb_addf(&tmpl, "%s/%s", od->stage, OD_MARKER);
	fd = open(tmpl.buf, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, OD_MANIFEST_HEAD, strlen(OD_MANIFEST_HEAD)) < 0 || close(fd) < 0) {
		sb_addf(err, "'%s': cannot write: %s", tmpl.buf, strerror(errno));
		sb_release(&tmpl);
		od_abort(od);
		return NR_EX_CANTCREAT;
	}
	sb_release(&tmpl);
	return NR_EX_OK;
}

int od_commit(struct outdir *od, struct strbuf *err)
{
	struct strbuf old = STRBUF_INIT;
	struct stat st;
	int rc;

	if (!od->stage)
		return NR_EX_SOFTWARE;
	if (write_manifest(od->stage, err) < 0) {
		od_abort(od);
		return NR_EX_IOERR;
	}
	if (rename(od->stage, od->final) == 0)
		goto done;
	if (errno != EEXIST && errno != ENOTEMPTY) {
		sb_addf(err, "'%s': cannot move report into place: %s", od->final, strerror(errno));
		od_abort(od);
		return NR_EX_CANTCREAT;
	}
	/* a previous report: check it again (files may have appeared since od_begin), move it aside, swap */
	if (stat(od->final, &st) == 0 && (rc = check_replaceable(od->final, od->keep, od->nkeep, err))) {
		od_abort(od);
		return rc;
	}
	side_template(&old, od->final, "old");
	if (!mkdtemp(old.buf) || rmdir(old.buf) < 0 || rename(od->final, old.buf) < 0) {
		sb_addf(err, "'%s': cannot replace previous report: %s", od->final, strerror(errno));
		sb_release(&old);
		od_abort(od);
		return NR_EX_CANTCREAT;
	}
	if (rename(od->stage, od->final) < 0) {
		int e = errno;
		if (rename(old.buf, od->final) < 0) {
			/* another run put its report there first: ours and the one set aside go */
			remove_report(old.buf, od->keep, od->nkeep);
			sb_addf(err, "'%s': replaced by another run at the same time; run again", od->final);
		} else {
			sb_addf(err, "'%s': cannot move report into place: %s", od->final, strerror(e));
		}
		sb_release(&old);
		od_abort(od);
		return NR_EX_CANTCREAT;
	}
	remove_report(old.buf, od->keep, od->nkeep);
done:
	sb_release(&old);
	free(od->stage);
	od->stage = NULL;
	od_abort(od);
	return NR_EX_OK;
}

void od_abort(struct outdir *od)
{
	if (od->stage) {
		od_remove_tree(od->stage);
		free(od->stage);
		od->stage = NULL;
	}
	free(od->final);
	od->final = NULL;
	free(od->keep);
	od->keep = NULL;
	od->nkeep = 0;
}
void od_unstage_message(const struct outdir *od, struct strbuf *msg)
{
	struct strbuf out = STRBUF_INIT;
	size_t slen, i = 0;
	const char *hit;

	if (!od->stage || !od->final || !msg->len)
		return;
	slen = strlen(od->stage);
	while (i < msg->len && (hit = strstr(msg->buf + i, od->stage))) {
		size_t at = (size_t)(hit - msg->buf);
		sb_add(&out, msg->buf + i, at - i);
		sb_adds(&out, od->final);
		i = at + slen;
	}
	if (!out.len) {
		sb_release(&out);
		return;
	}
	sb_add(&out, msg->buf + i, msg->len - i);
	sb_reset(msg);
	sb_add(msg, out.buf, out.len);
	sb_release(&out);
}
