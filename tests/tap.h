/* SPDX-License-Identifier: MIT */
/* tap.h - a minimal TAP producer for the C unit tests. */
#ifndef EMUCONV_TEST_TAP_H
#define EMUCONV_TEST_TAP_H
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_count, tap_failures;

static void plan(int n) { printf("1..%d\n", n); }

static int ok(int cond, const char *fmt, ...) __attribute__((format(printf, 2, 3), unused));
static int ok(int cond, const char *fmt, ...)
{
  va_list ap;
  printf("%s %d - ", cond ? "ok" : "not ok", ++tap_count);
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  printf("\n");
  if (!cond)
    tap_failures++;
  return cond;
}

#define is_int(got, want, ...)                                               \
  do {                                                                       \
    long long g_ = (got), w_ = (want);                                       \
    if (!ok(g_ == w_, __VA_ARGS__))                                          \
      printf("#   got %lld, wanted %lld\n", g_, w_);                         \
  } while (0)

#define is_str(got, want, ...)                                               \
  do {                                                                       \
    const char *g_ = (got), *w_ = (want);                                    \
    if (!ok(g_ && w_ && strcmp(g_, w_) == 0, __VA_ARGS__))                   \
      printf("#   got \"%s\", wanted \"%s\"\n", g_ ? g_ : "(null)", w_ ? w_ : "(null)"); \
  } while (0)

static int done_testing(void) { return tap_failures ? 1 : 0; }

#endif
