/*
 * testlib: the few macros every C unit test uses. Each test binary ends with
 * test_summary(), which prints "<name>: N passed, M failed" and returns the
 * exit code; tests/run-all.sh adds those lines up.
 */
#ifndef KENTONGAN_TESTLIB_H
#define KENTONGAN_TESTLIB_H

#include <stdio.h>
#include <string.h>
#include <time.h>

static int test_passed, test_failed;

#define CHECK(cond, ...) do {						\
	if (cond) { test_passed++; }					\
	else {								\
		test_failed++;						\
		fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
		fprintf(stderr, __VA_ARGS__);				\
		fputc('\n', stderr);					\
	}								\
} while (0)

#define CHECK_STR(got, want) do {					\
	const char *g_ = (got), *w_ = (want);				\
	CHECK(g_ && w_ && strcmp(g_, w_) == 0, "got \"%s\" want \"%s\"", \
	    g_ ? g_ : "(null)", w_ ? w_ : "(null)");			\
} while (0)

#define CHECK_INT(got, want) do {					\
	long long g_ = (got), w_ = (want);				\
	CHECK(g_ == w_, "got %lld want %lld", g_, w_);			\
} while (0)

/* Local "YYYY-MM-DD HH:MM" (in the zone TZ names) to Unix seconds. */
static inline long long
test_local_time(const char *s)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	strptime(s, "%Y-%m-%d %H:%M", &tm);
	tm.tm_isdst = -1;
	return (long long)mktime(&tm);
}

static inline int
test_summary(const char *name)
{
	printf("%s: %d passed, %d failed\n", name, test_passed, test_failed);
	return test_failed ? 1 : 0;
}

#endif
