#include "outdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "banned.h"

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

/* 1 when dir is empty or a previous report; 0 otherwise. */
static int replaceable(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int empty = 1, marked = 0;
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		empty = 0;
		if (!strcmp(de->d_name, OD_MARKER))
			marked = 1;
	}
	closedir(d);
	return empty || marked;
}

/*
 * Remove staging directories that an earlier run left beside dir when it
 * was killed (Ctrl-C): "<dir>.tmp-<pid>-XXXXXX" whose process is gone and
 * that hold our marker. Live runs and anything else are left alone.
 */
static void sweep_stale(const char *dir)
{
	struct strbuf parent = STRBUF_INIT, prefix = STRBUF_INIT, path = STRBUF_INIT;
	const char *slash = strrchr(dir, '/');
	DIR *d;
	struct dirent *de;

	if (slash)
		sb_add(&parent, dir, slash == dir ? 1 : (size_t)(slash - dir));
	else
		sb_addch(&parent, '.');
	sb_addf(&prefix, "%s.tmp-", slash ? slash + 1 : dir);
	d = opendir(parent.buf);
	while (d && (de = readdir(d))) {
		char *end;
		long pid;
		struct stat st;
		if (strncmp(de->d_name, prefix.buf, prefix.len))
			continue;
		errno = 0;
		pid = strtol(de->d_name + prefix.len, &end, 10);
		if (errno || end == de->d_name + prefix.len || *end != '-' || pid <= 0)
			continue;
		if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		sb_reset(&path);
		sb_addf(&path, "%s/%s/%s", parent.buf, de->d_name, OD_MARKER);
		if (stat(path.buf, &st) < 0)
			continue;
		sb_setlen(&path, path.len - strlen(OD_MARKER) - 1);
		od_remove_tree(path.buf);
	}
	if (d)
		closedir(d);
	sb_release(&parent);
	sb_release(&prefix);
	sb_release(&path);
}

int od_begin(struct outdir *od, const char *dir, struct strbuf *err)
{
	struct stat st;
	struct strbuf tmpl = STRBUF_INIT;
	size_t len = strlen(dir);
	int fd;

	od->final = NULL;
	od->stage = NULL;
	while (len > 1 && dir[len - 1] == '/')
		len--;
	if (!len) {
		sb_addf(err, "output directory name is empty");
		return NR_EX_USAGE;
	}
	if (stat(dir, &st) == 0) {
		if (!S_ISDIR(st.st_mode)) {
			sb_addf(err, "'%s': exists and is not a directory", dir);
			return NR_EX_CANTCREAT;
		}
		if (!replaceable(dir)) {
			sb_addf(err, "'%s': exists and is not a netreach report; choose another -o", dir);
			return NR_EX_CANTCREAT;
		}
	}
	od->final = xstrndup(dir, len);
	if (mkdir_parents(od->final) < 0) {
		sb_addf(err, "'%s': cannot create parent directory: %s", od->final, strerror(errno));
		free(od->final);
		od->final = NULL;
		return NR_EX_CANTCREAT;
	}
	sweep_stale(od->final);
	sb_addf(&tmpl, "%s.tmp-%ld-XXXXXX", od->final, (long)getpid());
	if (!mkdtemp(tmpl.buf)) {
		/* name the destination: the staging name is random and never seen */
		sb_addf(err, "'%s': cannot create directory: %s", od->final, strerror(errno));
		sb_release(&tmpl);
		free(od->final);
		od->final = NULL;
		return NR_EX_CANTCREAT;
	}
	chmod(tmpl.buf, 0755);
	od->stage = sb_detach(&tmpl, NULL);
	sb_addf(&tmpl, "%s/%s", od->stage, OD_MARKER);
	fd = open(tmpl.buf, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || close(fd) < 0) {
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
	int have_old = 0, ret = NR_EX_OK;

	if (!od->stage)
		return NR_EX_SOFTWARE;
	if (rename(od->stage, od->final) < 0) {
		if (errno != EEXIST && errno != ENOTEMPTY) {
			sb_addf(err, "'%s': cannot move report into place: %s", od->final, strerror(errno));
			od_abort(od);
			return NR_EX_CANTCREAT;
		}
		/* a previous report: move it aside, then swap */
		sb_addf(&old, "%s.old-XXXXXX", od->final);
		if (!mkdtemp(old.buf) || rmdir(old.buf) < 0 || rename(od->final, old.buf) < 0) {
			sb_addf(err, "'%s': cannot replace previous report: %s", od->final, strerror(errno));
			sb_release(&old);
			od_abort(od);
			return NR_EX_CANTCREAT;
		}
		have_old = 1;
		if (rename(od->stage, od->final) < 0) {
			sb_addf(err, "'%s': cannot move report into place: %s", od->final, strerror(errno));
			rename(old.buf, od->final); /* put the previous report back */
			sb_release(&old);
			od_abort(od);
			return NR_EX_CANTCREAT;
		}
	}
	if (have_old)
		od_remove_tree(old.buf);
	sb_release(&old);
	free(od->stage);
	od->stage = NULL;
	free(od->final);
	od->final = NULL;
	return ret;
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
