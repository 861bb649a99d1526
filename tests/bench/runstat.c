/*
 * runstat: run a command and report what it cost, for scripts/bench.
 *
 *   runstat OUT CMD [ARG...]
 *
 * Runs CMD (stdin, stdout and stderr inherited), waits for it and writes
 * one line to the file OUT:
 *
 *   wall_s<TAB>cpu_s<TAB>user_s<TAB>sys_s<TAB>maxrss_kib<TAB>status
 *
 * cpu_s is user + system time of CMD and of every descendant it waited for
 * (gnuplot processes that netreach renders with count); maxrss_kib is the
 * largest resident set among them (getrusage's ru_maxrss). The exit status
 * is CMD's (128 + signal when killed).
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "banned.h"

static double tv(struct timeval t)
{
	return (double)t.tv_sec + (double)t.tv_usec / 1e6;
}

int main(int argc, char **argv)
{
	struct timespec a, b;
	struct rusage ru;
	pid_t pid;
	int status, code;
	FILE *out;

	if (argc < 3) {
		fprintf(stderr, "usage: runstat OUT CMD [ARG...]\n");
		return 64;
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	pid = fork();
	if (pid < 0) {
		perror("runstat: fork");
		return 71;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		perror(argv[2]);
		_exit(127);
	}
	while (wait4(pid, &status, 0, &ru) < 0) {
		perror("runstat: wait4");
		return 71;
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	out = fopen(argv[1], "w");
	if (!out) {
		perror(argv[1]);
		return 73;
	}
	fprintf(out, "%.3f\t%.3f\t%.3f\t%.3f\t%ld\t%d\n",
		(double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9,
		tv(ru.ru_utime) + tv(ru.ru_stime), tv(ru.ru_utime), tv(ru.ru_stime), ru.ru_maxrss, code);
	if (fclose(out)) {
		perror(argv[1]);
		return 74;
	}
	return code;
}
