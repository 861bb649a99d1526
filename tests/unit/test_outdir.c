#include "unit.h"

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "outdir.h"

static char base[] = "/tmp/nr-outdir-XXXXXX";

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

static void test_commit_and_replace(void **state)
{
	struct outdir od;
	struct strbuf err = STRBUF_INIT, p = STRBUF_INIT;
	(void)state;
	sb_addf(&p, "%s/a/b/report", base);
	assert_int_equal(od_begin(&od, p.buf, NULL, 0, &err), NR_EX_OK);
	assert_false(exists(p.buf));     /* nothing visible before commit */
	{
		struct strbuf f = STRBUF_INIT;
		sb_addf(&f, "%s/summary.json", od.stage);
		write_file(f.buf, "first");
		sb_release(&f);
	}
	assert_int_equal(od_commit(&od, &err), NR_EX_OK);
	sb_addf(&p, "/summary.json");
	assert_true(exists(p.buf));
	sb_setlen(&p, p.len - strlen("/summary.json"));

	/* a rerun replaces the whole report */
	assert_int_equal(od_begin(&od, p.buf, NULL, 0, &err), NR_EX_OK);
	{
		struct strbuf f = STRBUF_INIT;
		sb_addf(&f, "%s/index.html", od.stage);
		write_file(f.buf, "second");
		sb_release(&f);
	}
	assert_int_equal(od_commit(&od, &err), NR_EX_OK);
	sb_addf(&p, "/index.html");
	assert_true(exists(p.buf));
	sb_setlen(&p, p.len - strlen("/index.html"));
	sb_addf(&p, "/summary.json");
	assert_false(exists(p.buf));

	/* an aborted run leaves the previous report untouched and no staging dir */
	sb_setlen(&p, p.len - strlen("/summary.json"));
	assert_int_equal(od_begin(&od, p.buf, NULL, 0, &err), NR_EX_OK);
	{
		char *stage = xstrdup(od.stage);
		od_abort(&od);
		assert_false(exists(stage));
		free(stage);
	}
	sb_addf(&p, "/index.html");
	assert_true(exists(p.buf));
	sb_release(&p);
	sb_release(&err);
}

static void test_refuses_foreign_dirs(void **state)
{
	struct outdir od;
	struct strbuf err = STRBUF_INIT, p = STRBUF_INIT, f = STRBUF_INIT;
	(void)state;
	sb_addf(&p, "%s/precious", base);
	assert_int_equal(mkdir(p.buf, 0755), 0);
	sb_addf(&f, "%s/thesis.tex", p.buf);
	write_file(f.buf, "do not delete");
	assert_int_equal(od_begin(&od, p.buf, NULL, 0, &err), NR_EX_CANTCREAT);
	assert_non_null(strstr(err.buf, "is not a netreach report"));
	assert_true(exists(f.buf));

	sb_reset(&err);
	assert_int_equal(od_begin(&od, f.buf, NULL, 0, &err), NR_EX_CANTCREAT);
	assert_non_null(strstr(err.buf, "is not a directory"));
	sb_release(&p);
	sb_release(&f);
	sb_release(&err);
}

/* A staging directory left by a killed run goes at the next run; a live run's stays. */
static void test_sweeps_stale_staging(void **state)
{
	struct outdir od;
	struct strbuf err = STRBUF_INIT, dead = STRBUF_INIT, live = STRBUF_INIT, dir = STRBUF_INIT, f = STRBUF_INIT;
	pid_t pid = fork();
	(void)state;
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(0);
	assert_int_equal(waitpid(pid, NULL, 0), pid);   /* pid is now a process that is gone */
	sb_addf(&dir, "%s/swept", base);
	sb_addf(&dead, "%s.tmp-%ld-abcdef", dir.buf, (long)pid);
	sb_addf(&live, "%s.tmp-%ld-ghijkl", dir.buf, (long)getpid());
	assert_int_equal(mkdir(dead.buf, 0755), 0);
	assert_int_equal(mkdir(live.buf, 0755), 0);
	sb_addf(&f, "%s/" OD_MARKER, dead.buf);
	write_file(f.buf, "");
	sb_reset(&f);
	sb_addf(&f, "%s/" OD_MARKER, live.buf);
	write_file(f.buf, "");
	assert_int_equal(od_begin(&od, dir.buf, NULL, 0, &err), NR_EX_OK);
	assert_false(exists(dead.buf));
	assert_true(exists(live.buf));
	assert_int_equal(od_commit(&od, &err), NR_EX_OK);
	assert_int_equal(od_remove_tree(live.buf), 0);
	sb_release(&err);
	sb_release(&dead);
	sb_release(&live);
	sb_release(&dir);
	sb_release(&f);
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(base) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return od_remove_tree(base);
}

/* Messages about files in the staging directory name the destination instead. */
static void test_unstage_message(void **state)
{
	struct outdir od;
	struct strbuf err = STRBUF_INIT;
	(void)state;
	od.final = xstrdup("out/r");
	od.stage = xstrdup("out/r.tmp-Ab12Cd");
	sb_adds(&err, "'out/r.tmp-Ab12Cd/charts/x.gp': write failed (out/r.tmp-Ab12Cd)");
	od_unstage_message(&od, &err);
	assert_string_equal(err.buf, "'out/r/charts/x.gp': write failed (out/r)");
	sb_reset(&err);
	sb_adds(&err, "chart 'admin1': gnuplot failed");
	od_unstage_message(&od, &err);
	assert_string_equal(err.buf, "chart 'admin1': gnuplot failed");
	free(od.stage);
	od.stage = NULL;
	sb_reset(&err);
	sb_adds(&err, "'out/r.tmp-Ab12Cd/x': y");
	od_unstage_message(&od, &err); /* no staging directory: unchanged */
	assert_string_equal(err.buf, "'out/r.tmp-Ab12Cd/x': y");
	free(od.final);
	sb_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_commit_and_replace),
		cmocka_unit_test(test_refuses_foreign_dirs),
		cmocka_unit_test(test_sweeps_stale_staging),
		cmocka_unit_test(test_unstage_message),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
