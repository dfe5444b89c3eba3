/* SPDX-License-Identifier: MIT */
/* failrealloc.c - out-of-memory on demand, for tests (LD_PRELOAD).
 *
 * EMUCONV_FAIL_REALLOC="N MODULE": in a process whose name contains
 * "emuconv" (not the shell or libtool's wrapper around it), the Nth call
 * of realloc() made from the shared object whose file name contains
 * MODULE (e.g. "docx.so") returns NULL.  N = 0 fails nothing and prints
 * "failrealloc: K" on stderr at exit, K the number of such calls, so that
 * a test can try each of them in turn and check that the conversion
 * either fails with an error or writes everything: it never drops data
 * silently. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *realloc(void *ptr, size_t size);

static unsigned long fail_nth, calls;
static char module[256];
static int armed = -1; /* -1: not looked yet */

static void report(void)
{
  fprintf(stderr, "failrealloc: %lu\n", calls);
}

static void arm(void)
{
  const char *spec = getenv("EMUCONV_FAIL_REALLOC");
  armed = spec && strstr(program_invocation_short_name, "emuconv") &&
          sscanf(spec, "%lu %255s", &fail_nth, module) == 2;
  if (armed && !fail_nth)
    atexit(report);
}

void *realloc(void *ptr, size_t size)
{
  static void *(*real_realloc)(void *, size_t);
  if (!real_realloc)
    *(void **)&real_realloc = dlsym(RTLD_NEXT, "realloc");
  if (armed < 0)
    arm();
  Dl_info from;
  if (armed && dladdr(__builtin_return_address(0), &from) && from.dli_fname &&
      strstr(from.dli_fname, module) && ++calls == fail_nth) {
    errno = ENOMEM;
    return NULL;
  }
  return real_realloc(ptr, size);
}
