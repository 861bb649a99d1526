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

#define TEST_DATA_DIR "build/share/netreach"

#define assert_double_near(a, b, eps)                                                         \
	do {                                                                                  \
		double a_ = (a), b_ = (b);                                                    \
		if (!(a_ - b_ <= (eps) && b_ - a_ <= (eps)))                                  \
			fail_msg("%s = %.10g, expected %.10g (+/- %g)", #a, a_, b_, (double)(eps)); \
	} while (0)

#endif
