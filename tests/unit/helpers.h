/* tests/unit/helpers.h - cmocka glue shared by the unit tests. */
#ifndef K8SMIG_TEST_HELPERS_H
#define K8SMIG_TEST_HELPERS_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <k8smig.h>
#include <k8smig/sys/object.h>

/* A failure: return code and the error's field path, both asserted. */
#define assert_fails(expr, want, errpath)                                  \
	do {                                                               \
		int rc_ = (expr);                                          \
		assert_int_equal(rc_, (want));                             \
		assert_int_equal(k8smig_error_last()->code, (want));       \
		assert_string_equal(k8smig_error_last()->path, (errpath)); \
	} while (0)

#define assert_ok(expr) assert_int_equal((expr), 0)

static inline int teardown_error(void **state)
{
	(void)state;
	k8smig_error_clear();
	return 0;
}

#endif
