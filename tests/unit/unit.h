#ifndef UNIT_H
#define UNIT_H

/* Common includes for cmocka unit tests. Data dir for tests: build/share/netreach. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <unistd.h>

#include "util.h"

#define TEST_DATA_DIR "build/share/netreach"

#define assert_double_near(a, b, eps)                                                         \
	do {                                                                                  \
		double a_ = (a), b_ = (b);                                                    \
		if (!(a_ - b_ <= (eps) && b_ - a_ <= (eps)))                                  \
			fail_msg("%s = %.10g, expected %.10g (+/- %g)", #a, a_, b_, (double)(eps)); \
	} while (0)

/* Write text to a new file /tmp/netreach-test-TAG-XXXXXX; returns its path (the caller unlinks and frees it). */
static inline char *unit_write_tmp(const char *tag, const char *text)
{
	struct strbuf path = STRBUF_INIT;
	int fd;
	FILE *f;
	sb_addf(&path, "/tmp/netreach-test-%s-XXXXXX", tag);
	fd = mkstemp(path.buf);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	return sb_detach(&path, NULL);
}

#endif
